//! PLACEHOLDER with the agreed API (a helper is writing the real one).
#![allow(missing_docs)]
use std::path::Path;
pub struct TileGrid {
    pub title: String,
    pub tile_rows: usize,
    pub tile_cols: usize,
    pub tiles: Vec<Vec<f64>>,
    pub columns: Option<usize>,
    pub value_label: String,
    pub shared_scale: bool,
}
pub fn tile_grid(_f: &TileGrid, stem: &Path) -> crate::Result<()> {
    std::fs::write(stem.with_extension("png"), b"").map_err(|e| crate::Error::io(stem, e))
}
pub struct ConfusionFigure {
    pub title: String,
    pub class_names: Vec<String>,
    pub counts: Vec<Vec<u64>>,
}
pub fn confusion(_f: &ConfusionFigure, stem: &Path) -> crate::Result<()> {
    std::fs::write(stem.with_extension("png"), b"").map_err(|e| crate::Error::io(stem, e))
}
pub struct Histogram {
    pub title: String,
    pub x_label: String,
    pub values: Vec<f64>,
    pub bins: usize,
}
pub fn histogram(_f: &Histogram, stem: &Path) -> crate::Result<()> {
    std::fs::write(stem.with_extension("png"), b"").map_err(|e| crate::Error::io(stem, e))
}
