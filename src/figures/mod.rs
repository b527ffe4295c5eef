//! PLACEHOLDER with the agreed API (helper delivering the real one).
#![allow(missing_docs)]
use crate::analysis::OrbitStatus;
use std::path::Path;
pub enum SeriesStyle { Line, Dashed, Points, Markers }
pub struct Series { pub label: String, pub points: Vec<(f64, f64)>, pub style: SeriesStyle }
#[derive(Clone)]
pub struct RefLine { pub value: f64, pub label: String }
pub struct LineChart { pub title: String, pub x_label: String, pub y_label: String, pub series: Vec<Series>, pub x_range: Option<(f64, f64)>, pub y_range: Option<(f64, f64)>, pub vlines: Vec<RefLine>, pub hlines: Vec<RefLine> }
pub fn line_chart(_c: &LineChart, stem: &Path) -> crate::Result<()> { std::fs::write(stem.with_extension("png"), b"").map_err(|e| crate::Error::io(stem, e)) }
pub struct BifurcationFigure { pub title: String, pub param_label: String, pub state_label: String, pub orbit: Vec<(f64, f64)>, pub status: Vec<(f64, OrbitStatus)>, pub lyapunov: Option<Vec<(f64, f64)>>, pub lyapunov_label: String, pub vlines: Vec<RefLine> }
pub fn bifurcation(_f: &BifurcationFigure, stem: &Path) -> crate::Result<()> { std::fs::write(stem.with_extension("png"), b"").map_err(|e| crate::Error::io(stem, e)) }
pub struct HeatmapFigure { pub title: String, pub x_label: String, pub y_label: String, pub value_label: String, pub x_values: Vec<f64>, pub y_values: Vec<f64>, pub values: Vec<f64>, pub status: Vec<OrbitStatus>, pub zero_contour: bool }
pub fn heatmap(_f: &HeatmapFigure, stem: &Path) -> crate::Result<()> { std::fs::write(stem.with_extension("png"), b"").map_err(|e| crate::Error::io(stem, e)) }
