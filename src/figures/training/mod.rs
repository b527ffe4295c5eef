//! Figures of a trained network: learned receptive fields as a grid of grey tiles
//! ([`tile_grid()`]), confusion matrices ([`confusion()`]) and histograms ([`histogram()`], e.g. of
//! the adaptive thresholds θ). Owns the layout of these figures; does not own the training
//! itself or the statistics beyond the few the figures print (accuracy, mean, median).
//!
//! * `tile_grid` — the grid of tiles with its colour bar; `tile_rects` — a tile quantised to
//!   grey levels and reduced to rectangles.
//! * `confusion` — the confusion matrix; `histogram` — the histogram with mean and median.

mod confusion;
mod histogram;
mod tile_grid;
mod tile_rects;

#[cfg(test)]
mod examples;

pub use confusion::{confusion, ConfusionFigure};
pub use histogram::{histogram, Histogram};
pub use tile_grid::{tile_grid, TileGrid};

/// Position of `v` in `[lo, hi]` as a fraction (halving first, so extreme ranges do not
/// overflow); 0.5 for an empty range.
pub(super) fn fraction(v: f64, lo: f64, hi: f64) -> f64 {
    let span = hi / 2.0 - lo / 2.0;
    if span > 0.0 {
        ((v / 2.0 - lo / 2.0) / span).clamp(0.0, 1.0)
    } else {
        0.5
    }
}
