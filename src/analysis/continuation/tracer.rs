//! Pseudo-arclength continuation of one branch.
//!
//! A point y = (x, p) of a branch solves R(x, p) = 0. From a point y with unit tangent t the
//! predictor is y + s t; the corrector is Newton's method on the bordered system
//! `[R(y); t·(y' − y) − s] = 0` with Jacobian `[[R_x, R_p]; [tᵀ]]`, and the new tangent solves
//! `[[R_x, R_p]; [tᵀ]] t' = [0; 1]`. The step s grows after quick corrections and halves after
//! failed ones.

use super::branch::{Bifurcation, Branch, BranchPoint};
use super::family::{linearise, Family, Linearisation};
use super::options::ContinuationOptions;
use crate::analysis::fixed_points::eigenvalues;
use crate::analysis::system::OrbitStatus;
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// Follows branches of one period.
pub(super) struct Tracer<'a> {
    pub(super) family: &'a dyn Family,
    pub(super) period: usize,
    pub(super) map: bool,
    pub(super) opts: ContinuationOptions,
}

/// A corrected point: y = (x, p) and its linearisation.
pub(super) struct Corrected {
    pub(super) y: DVector<f64>,
    pub(super) lin: Linearisation,
    iterations: usize,
}

impl Tracer<'_> {
    pub(super) fn n(&self, y: &DVector<f64>) -> usize {
        y.len() - 1
    }

    fn lin_at(&self, y: &DVector<f64>) -> Result<Linearisation> {
        let n = self.n(y);
        linearise(self.family, &y.as_slice()[..n], y[n], self.period)
    }

    /// [[R_x, R_p]; [rowᵀ]].
    fn bordered(lin: &Linearisation, row: &DVector<f64>) -> DMatrix<f64> {
        let n = lin.d_x.nrows();
        let mut m = DMatrix::zeros(n + 1, n + 1);
        m.view_mut((0, 0), (n, n)).copy_from(&lin.d_x);
        m.view_mut((0, n), (n, 1)).copy_from(&lin.d_p);
        m.view_mut((n, 0), (1, n + 1)).copy_from(&row.transpose());
        m
    }

    /// The unit tangent, oriented like `previous` (or along `direction` in p at the start).
    fn tangent(
        &self,
        lin: &Linearisation,
        previous: Option<&DVector<f64>>,
        direction: f64,
    ) -> Option<DVector<f64>> {
        let n = lin.d_x.nrows();
        let row = match previous {
            Some(t) => t.clone(),
            None => {
                let mut e = DVector::zeros(n + 1);
                e[n] = 1.0;
                e
            }
        };
        let mut rhs = DVector::zeros(n + 1);
        rhs[n] = 1.0;
        let mut t = Self::bordered(lin, &row).lu().solve(&rhs)?;
        let norm = t.norm();
        if !(norm.is_finite() && norm > 0.0) {
            return None;
        }
        t /= norm;
        if previous.is_none() && t[n] * direction < 0.0 {
            t = -t;
        }
        Some(t)
    }

    /// Newton on [R(y'); t·(y' − y) − s] = 0 from the predictor y + s t.
    pub(super) fn correct(&self, y: &DVector<f64>, t: &DVector<f64>, s: f64) -> Result<Corrected> {
        let mut z = y + t * s;
        for iteration in 1..=12 {
            let lin = self.lin_at(&z)?;
            let n = self.n(&z);
            let mut f = DVector::zeros(n + 1);
            f.rows_mut(0, n).copy_from(&lin.residual);
            f[n] = t.dot(&(&z - y)) - s;
            let dz =
                Self::bordered(&lin, t)
                    .lu()
                    .solve(&(-&f))
                    .ok_or_else(|| Error::Undefined {
                        what: "the continuation corrector".into(),
                        why: "singular bordered Jacobian".into(),
                    })?;
            z += &dz;
            if !z.iter().all(|v| v.is_finite()) {
                break;
            }
            if dz.norm() <= 1e-12 * (1.0 + z.norm()) {
                let lin = self.lin_at(&z)?;
                if lin.residual.norm() <= 1e-9 * (1.0 + z.norm()) {
                    return Ok(Corrected {
                        y: z,
                        lin,
                        iterations: iteration,
                    });
                }
            }
        }
        Err(Error::NotConverged {
            method: "the pseudo-arclength corrector".into(),
            iterations: 12,
            residual: f64::NAN,
        })
    }

    fn point(&self, y: &DVector<f64>, lin: &Linearisation) -> Result<BranchPoint> {
        let n = self.n(y);
        let a = &lin.spectrum_matrix;
        let values = eigenvalues(a.transpose().as_slice(), n)?;
        let stable = if self.map {
            values.iter().all(|e| e.modulus() < 1.0)
        } else {
            values.iter().all(|e| e.re < 0.0)
        };
        Ok(BranchPoint {
            p: y[n],
            x: y.as_slice()[..n].to_vec(),
            stable,
            eigenvalues: values,
        })
    }

    /// Follows the branch from (x, p) in the direction of increasing `direction`·p.
    pub(super) fn follow(
        &self,
        x: Vec<f64>,
        p: f64,
        direction: f64,
    ) -> Result<(Branch, Vec<Bifurcation>)> {
        let (lo, hi) = self.opts.range();
        let span = hi - lo;
        let (ds_min, ds_max) = (1e-9 * span, 0.05 * span);
        let mut ds = self.opts.ds.unwrap_or(0.01 * span).min(ds_max);
        let mut y = DVector::from_iterator(x.len() + 1, x.iter().copied().chain([p]));
        let mut lin = self.lin_at(&y)?;
        let mut t = self
            .tangent(&lin, None, direction)
            .ok_or_else(|| Error::Undefined {
                what: format!("the branch tangent at p = {p}"),
                why: "the start is singular (a fold or branch point)".into(),
            })?;
        let mut tests = self.tests(&lin);
        let mut points = vec![self.point(&y, &lin)?];
        let mut found = Vec::new();
        let stopped = loop {
            if points.len() >= self.opts.max_points {
                break format!("reached max_points = {}", self.opts.max_points);
            }
            let next = match self.correct(&y, &t, ds) {
                Ok(c) => c,
                Err(_) if ds > ds_min => {
                    ds *= 0.5;
                    continue;
                }
                Err(e) => break format!("step size fell below {ds_min:e}: {e}"),
            };
            if next.lin.status != OrbitStatus::Ok {
                break format!(
                    "the orbit is {} at p = {}",
                    next.lin.status.as_str(),
                    next.y[self.n(&y)]
                );
            }
            let Some(t_next) = self.tangent(&next.lin, Some(&t), direction) else {
                break "singular tangent".into();
            };
            let tests_next = self.tests(&next.lin);
            for (i, (a, b)) in tests.iter().zip(&tests_next).enumerate() {
                if a.signum() != b.signum() && a.is_finite() && b.is_finite() {
                    if let Some(b) = self.locate(&y, &t, ds, i, *a)? {
                        found.push(b);
                    }
                }
            }
            y = next.y;
            lin = next.lin;
            t = t_next;
            tests = tests_next;
            points.push(self.point(&y, &lin)?);
            let p_now = y[self.n(&y)];
            if !(lo..=hi).contains(&p_now) {
                break format!("left the range [{lo}, {hi}]");
            }
            if next.iterations <= 3 {
                ds = (ds * 1.5).min(ds_max);
            }
        };
        Ok((
            Branch {
                period: self.period,
                points,
                stopped,
            },
            found,
        ))
    }
}
