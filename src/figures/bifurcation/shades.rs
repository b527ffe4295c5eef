//! Shading of the parameter ranges whose orbits were absorbed, diverged or blew up.

use plotters::prelude::*;

use super::BifurcationFigure;
use crate::analysis::OrbitStatus;
use crate::figures::{msg, Chart, DrawResult};

/// Shading of parameter ranges whose orbits were absorbed.
pub(super) const ABSORBED_SHADE: RGBColor = RGBColor(214, 214, 214);
/// Shading of parameter ranges whose orbits diverged.
pub(super) const DIVERGED_SHADE: RGBColor = RGBColor(250, 196, 196);
/// Shade of parameter ranges whose orbit blew up (a rate of the model became singular).
pub(super) const BLOWN_UP_SHADE: RGBColor = RGBColor(216, 200, 236);

/// A shaded parameter interval.
pub(super) struct Shade {
    pub(super) from: f64,
    pub(super) to: f64,
    pub(super) status: OrbitStatus,
}

impl BifurcationFigure {
    /// Non-regular parameter intervals: each status sample covers the half-way points to its
    /// neighbours; adjacent samples of the same status are merged.
    pub(super) fn shades(&self) -> Vec<Shade> {
        let mut s: Vec<(f64, OrbitStatus)> = self
            .status
            .iter()
            .copied()
            .filter(|p| p.0.is_finite())
            .collect();
        s.sort_by(|a, b| a.0.total_cmp(&b.0));
        let n = s.len();
        let (lo, hi) = self.param_range();
        let half = |i: usize, j: usize| 0.5 * (s[j].0 - s[i].0).abs();
        let mut out: Vec<Shade> = Vec::new();
        for i in 0..n {
            if s[i].1 == OrbitStatus::Ok {
                continue;
            }
            let default = 0.005 * (hi - lo);
            let left = if i > 0 {
                half(i - 1, i)
            } else if n > 1 {
                half(0, 1)
            } else {
                default
            };
            let right = if i + 1 < n {
                half(i, i + 1)
            } else if n > 1 {
                half(n - 2, n - 1)
            } else {
                default
            };
            let (from, to) = (s[i].0 - left, s[i].0 + right);
            let merges = i > 0 && s[i - 1].1 == s[i].1;
            match out.last_mut() {
                Some(last) if merges => last.to = to,
                _ => out.push(Shade {
                    from,
                    to,
                    status: s[i].1,
                }),
            }
        }
        out
    }
}

/// Shades the non-regular intervals over the whole height of `chart`.
pub(super) fn draw_shades<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    shades: &[Shade],
) -> DrawResult {
    let (xr, yr) = (chart.x_range(), chart.y_range());
    let rects = shades.iter().filter_map(|s| {
        let (a, b) = (s.from.max(xr.start), s.to.min(xr.end));
        let color = match s.status {
            OrbitStatus::Absorbed => ABSORBED_SHADE,
            OrbitStatus::BlownUp => BLOWN_UP_SHADE,
            _ => DIVERGED_SHADE,
        };
        (a < b).then(|| Rectangle::new([(a, yr.start), (b, yr.end)], color.filled()))
    });
    chart.draw_series(rects).map(|_| ()).map_err(msg)
}
