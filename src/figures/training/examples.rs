//! Example data for the tests of the training figures (receptive-field-like tiles, a confusion
//! matrix, threshold values), and the ignored test that writes the example figures.

use std::path::Path;

use super::{confusion, histogram, tile_grid, ConfusionFigure, Histogram, TileGrid};
use crate::figures::with_suffix;

/// A small deterministic generator (xorshift), so the examples need no rand set-up.
struct Noise(u64);

impl Noise {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform().max(1e-300), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// `n` receptive-field-like 28×28 tiles: two or three Gaussian blobs plus a little noise.
fn fields(n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = Noise(seed);
    (0..n)
        .map(|_| {
            let blobs: Vec<(f64, f64, f64, f64)> = (0..2 + (rng.uniform() * 2.0) as usize)
                .map(|_| {
                    let cx = 6.0 + 16.0 * rng.uniform();
                    let cy = 6.0 + 16.0 * rng.uniform();
                    let s = 2.0 + 3.0 * rng.uniform();
                    (cx, cy, s, 0.4 + 0.6 * rng.uniform())
                })
                .collect();
            (0..28 * 28)
                .map(|i| {
                    let (x, y) = ((i % 28) as f64, (i / 28) as f64);
                    let v: f64 = blobs
                        .iter()
                        .map(|&(cx, cy, s, a)| {
                            a * (-((x - cx).powi(2) + (y - cy).powi(2)) / (2.0 * s * s)).exp()
                        })
                        .sum();
                    (v + 0.03 * rng.uniform()).min(1.0)
                })
                .collect()
        })
        .collect()
}

pub(super) fn grid(n: usize) -> TileGrid {
    TileGrid {
        title: format!("Learned receptive fields ({n} excitatory neurons)"),
        tile_rows: 28,
        tile_cols: 28,
        tiles: fields(n, 7 + n as u64),
        columns: None,
        value_label: "weight w".to_string(),
        shared_scale: true,
    }
}

pub(super) fn confusion_example() -> ConfusionFigure {
    let totals = [980u64, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];
    let mut rng = Noise(3);
    let counts = (0..10)
        .map(|t| {
            let mut row: Vec<u64> = (0..10)
                .map(|p| {
                    if p == t {
                        0
                    } else {
                        (rng.uniform().powi(3) * 40.0) as u64
                    }
                })
                .collect();
            row[t] = totals[t] - row.iter().sum::<u64>();
            row
        })
        .collect();
    ConfusionFigure {
        title: "MNIST test set, 400 excitatory neurons".to_string(),
        class_names: (0..10).map(|d| d.to_string()).collect(),
        counts,
    }
}

pub(super) fn histogram_example() -> Histogram {
    let mut rng = Noise(11);
    Histogram {
        title: "Adaptive thresholds after training".to_string(),
        x_label: "θ (mV)".to_string(),
        values: (0..400).map(|_| 20.0 + 4.0 * rng.normal()).collect(),
        bins: 30,
    }
}

pub(super) fn png_size(stem: &Path) -> (u32, u32) {
    let png = std::fs::read(with_suffix(stem, "png")).unwrap();
    let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
    (be(16), be(20))
}

/// Writes the example figures to `$FIG2_EXAMPLES` (default `/tmp/fig2-examples`).
#[test]
#[ignore = "writes example figures to look at"]
fn example_figures() {
    let dir = std::env::var_os("FIG2_EXAMPLES")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "/tmp/fig2-examples".into());
    std::fs::create_dir_all(&dir).unwrap();
    tile_grid(&grid(100), &dir.join("fields-100")).unwrap();
    tile_grid(&grid(400), &dir.join("fields-400")).unwrap();
    tile_grid(&grid(1600), &dir.join("fields-1600")).unwrap();
    let per_tile = TileGrid {
        shared_scale: false,
        ..grid(100)
    };
    tile_grid(&per_tile, &dir.join("fields-100-per-tile")).unwrap();
    confusion(&confusion_example(), &dir.join("confusion")).unwrap();
    histogram(&histogram_example(), &dir.join("thresholds")).unwrap();
}
