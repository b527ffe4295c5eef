//! Branch switching at a flip onto the period-doubled branch.

use super::branch::Bifurcation;
use super::family::{linearise, solve_at_fixed_p};
use super::tracer::Tracer;
use crate::analysis::system::OrbitStatus;
use crate::error::Result;
use nalgebra::DMatrix;

impl Tracer<'_> {
    /// Seeds the period-2k branch at a flip: x_f ± δ v (v: the −1 eigenvector of D f^k) at
    /// p_f + Δp on either side, solved by Newton at fixed p and accepted when it is not a
    /// period-k point. Returns the seed and the direction that leads away from the flip.
    pub(super) fn switch_at_flip(
        &self,
        flip: &Bifurcation,
    ) -> Result<Option<(Vec<f64>, f64, f64)>> {
        let n = flip.x.len();
        let lin = linearise(self.family, &flip.x, flip.at, self.period)?;
        let shifted = &lin.spectrum_matrix + DMatrix::<f64>::identity(n, n);
        let svd = shifted.svd(false, true);
        let Some(v_t) = svd.v_t else { return Ok(None) };
        let smallest = (0..n)
            .min_by(|&a, &b| svd.singular_values[a].total_cmp(&svd.singular_values[b]))
            .unwrap_or(0);
        let v: Vec<f64> = v_t.row(smallest).iter().copied().collect();
        let (lo, hi) = self.opts.range();
        let span = hi - lo;
        let scale = 1.0 + flip.x.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        for dp in [1e-4 * span, 1e-3 * span, 1e-2 * span] {
            for side in [1.0, -1.0] {
                let p = flip.at + side * dp;
                for delta in [1e-2, 3e-2, 1e-1, 3e-3] {
                    let guess: Vec<f64> = flip
                        .x
                        .iter()
                        .zip(&v)
                        .map(|(x, v)| x + delta * scale * v)
                        .collect();
                    let Ok(x) = solve_at_fixed_p(self.family, &guess, p, 2 * self.period) else {
                        continue;
                    };
                    let own = linearise(self.family, &x, p, self.period)?;
                    if own.residual.norm() > 1e-6 * scale && own.status == OrbitStatus::Ok {
                        return Ok(Some((x, p, side)));
                    }
                }
            }
        }
        Ok(None)
    }
}
