//! Figures of a training run: learned receptive fields, running accuracy against training
//! samples, the confusion matrix and the histogram of adaptive thresholds θ.

use crate::error::Result;
use crate::figures::training::{
    confusion, histogram, tile_grid, ConfusionFigure, Histogram, TileGrid,
};
use crate::figures::{line_chart, LineChart, Series, SeriesStyle};
use crate::sim::training::{Checkpoint, Evaluation};
use crate::sim::Learner;
use std::path::Path;

/// Draws `receptive_fields` (learners with an input projection over images), `accuracy`,
/// `confusion` and `theta` (PNG + SVG) into `dir`.
pub fn draw(ckpt: &Checkpoint, eval: &Evaluation, dir: &Path) -> Result<()> {
    let net = &ckpt.network;
    let n = net.outputs();
    let c = &ckpt.config;
    if let (Some(tiles), Some((rows, cols, channels))) = (net.receptive_fields(), net.input_shape())
    {
        tile_grid(
            &TileGrid {
                title: format!(
                    "Learned input weights, {} neurons, {} training samples (seed {})",
                    n, ckpt.samples_done, c.seed
                ),
                tile_rows: rows * channels,
                tile_cols: cols,
                tiles,
                columns: None,
                value_label: "weight".into(),
                shared_scale: true,
            },
            &dir.join("receptive_fields"),
        )?;
    }
    line_chart(
        &LineChart {
            title: format!(
                "Running accuracy during training (labels from the previous {} samples)",
                crate::sim::training::WINDOW
            ),
            x_label: "training samples".into(),
            y_label: "accuracy on the last window".into(),
            series: vec![Series {
                label: format!("{} neurons", n),
                points: ckpt
                    .curve
                    .iter()
                    .map(|p| (p.samples as f64, p.accuracy))
                    .collect(),
                style: SeriesStyle::Line,
            }],
            x_range: Some((0.0, ckpt.samples_done.max(1) as f64)),
            y_range: Some((0.0, 1.0)),
            vlines: vec![],
            hlines: vec![],
        },
        &dir.join("accuracy"),
    )?;
    confusion(
        &ConfusionFigure {
            title: if c.holdout > 0 {
                "Held-out confusion (all-activity vote; last training images)".into()
            } else {
                "Test confusion (all-activity vote)".into()
            },
            class_names: (0..10).map(|d| d.to_string()).collect(),
            counts: eval.confusion.counts.clone(),
        },
        &dir.join("confusion"),
    )?;
    let thresholds: Vec<f64> = net
        .network()
        .groups
        .iter()
        .filter(|g| g.adaptive())
        .flat_map(|g| g.thresholds())
        .collect();
    histogram(
        &Histogram {
            title: "Adaptive thresholds after training".into(),
            x_label: "θ (mV)".into(),
            values: thresholds,
            bins: 30,
        },
        &dir.join("theta"),
    )
}
