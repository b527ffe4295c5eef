//! Pseudo-arclength continuation of one branch, bifurcation detection by test functions,
//! location by bisection, and branch switching at a flip.
//!
//! A point y = (x, p) of a branch solves R(x, p) = 0. From a point y with unit tangent t the
//! predictor is y + s t; the corrector is Newton's method on the bordered system
//! `[R(y); t·(y' − y) − s] = 0` with Jacobian `[[R_x, R_p]; [tᵀ]]`, and the new tangent solves
//! `[[R_x, R_p]; [tᵀ]] t' = [0; 1]`. The step s grows after quick corrections and halves after
//! failed ones.
//!
//! Test functions, evaluated on the spectrum matrix A (D f^k for maps, D rhs for flows), change
//! sign at the bifurcations: maps — fold det(A − I), flip det(A + I), Neimark-Sacker
//! Π_{i<j}(μ_i μ_j − 1); flows — fold det(A), Hopf Π_{i<j}(λ_i + λ_j). The last two also vanish
//! at neutral saddles (a real pair μ, 1/μ or λ, −λ), so a located zero only counts when a
//! complex pair sits on the unit circle (on the imaginary axis). A branch point (transcritical,
//! pitchfork) also changes the sign of the fold test and is reported as a fold.

use super::family::{is_map, linearise, Family, Linearisation};
use crate::analysis::fixed_points::{eigenvalues, Eigenvalue};
use crate::analysis::system::OrbitStatus;
use crate::error::{require_finite, Error, Result};
use nalgebra::{Complex, DMatrix, DVector};

/// Options of a continuation run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContinuationOptions {
    /// Start of the parameter range (the first point is solved at it).
    pub from: f64,
    /// End of the parameter range.
    pub to: f64,
    /// Initial arclength step (default 1 % of the range).
    pub ds: Option<f64>,
    /// Points per branch at most.
    pub max_points: usize,
    /// How many period doublings to follow from flips (0: only the starting branch).
    pub max_doublings: usize,
}

impl ContinuationOptions {
    /// Checks the range (finite, non-empty), the step and the point budget.
    pub fn validate(self) -> Result<Self> {
        require_finite("from", self.from)?;
        require_finite("to", self.to)?;
        if (self.to - self.from).abs() <= f64::EPSILON * self.from.abs().max(1.0) {
            return Err(Error::EmptyRange {
                name: "continuation parameter".into(),
                from: self.from,
                to: self.to,
                points: 0,
            });
        }
        if let Some(ds) = self.ds {
            crate::error::require_positive("ds", ds)?;
        }
        if self.max_points < 2 {
            return Err(Error::invalid("max_points", self.max_points as f64, ">= 2"));
        }
        Ok(self)
    }

    fn range(&self) -> (f64, f64) {
        (self.from.min(self.to), self.from.max(self.to))
    }
}

/// The kind of a detected bifurcation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BifurcationKind {
    /// A real multiplier crosses +1 (maps) or a real eigenvalue crosses 0 (flows).
    Fold,
    /// A multiplier crosses −1: period doubling (maps).
    Flip,
    /// A complex pair of multipliers crosses the unit circle (maps).
    NeimarkSacker,
    /// A complex pair of eigenvalues crosses the imaginary axis (flows).
    Hopf,
}

/// A located bifurcation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Bifurcation {
    /// What it is.
    pub kind: BifurcationKind,
    /// The parameter value.
    pub at: f64,
    /// The state there.
    pub x: Vec<f64>,
    /// Period of the branch it sits on.
    pub period: usize,
}

/// One computed point of a branch.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BranchPoint {
    /// Parameter value.
    pub p: f64,
    /// State.
    pub x: Vec<f64>,
    /// Linearly stable (maps: every |μ| < 1; flows: every Re λ < 0).
    pub stable: bool,
    /// Multipliers (maps, of f^k) or eigenvalues (flows), by decreasing modulus.
    pub eigenvalues: Vec<Eigenvalue>,
}

/// A branch of period-k points (k = 1 for fixed points and equilibria).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Branch {
    /// The period k.
    pub period: usize,
    /// Points in the order computed.
    pub points: Vec<BranchPoint>,
    /// Why the branch ended.
    pub stopped: String,
}

/// Everything a continuation run found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Continuation {
    /// The starting branch first, then the period-doubled ones.
    pub branches: Vec<Branch>,
    /// Bifurcations on every branch, by branch then arclength.
    pub bifurcations: Vec<Bifurcation>,
}

/// Continues the fixed point (equilibrium) found from `x0` at `from` to `to`, and the
/// period-doubled branches of up to `max_doublings` flips.
pub fn continuation(
    family: &dyn Family,
    x0: &[f64],
    opts: &ContinuationOptions,
) -> Result<Continuation> {
    let opts = opts.validate()?;
    let map = is_map(family, opts.from)?;
    if let crate::analysis::system::Dynamics::Map(member) = family.at(opts.from)? {
        if !member.is_smooth() {
            return Err(Error::Undefined {
                what: "continuation".into(),
                why: "the map is not smooth (kinks, clipping or flips): its Jacobian, and so \
                      the tangent and the test functions, are not defined everywhere"
                    .into(),
            });
        }
    }
    let x_start = solve_at_fixed_p(family, x0, opts.from, 1)?;
    let direction = (opts.to - opts.from).signum();
    let mut pending = vec![(x_start, opts.from, 1usize, direction, 0usize)];
    let mut result = Continuation {
        branches: Vec::new(),
        bifurcations: Vec::new(),
    };
    while let Some((x, p, period, direction, doublings)) = pending.pop() {
        let tracer = Tracer {
            family,
            period,
            map,
            opts,
        };
        let (branch, found) = tracer.follow(x, p, direction)?;
        if doublings < opts.max_doublings {
            if let Some(flip) = found.iter().find(|b| b.kind == BifurcationKind::Flip) {
                if let Some((x2, p2, dir2)) = tracer.switch_at_flip(flip)? {
                    pending.push((x2, p2, 2 * period, dir2, doublings + 1));
                }
            }
        }
        result.branches.push(branch);
        result.bifurcations.extend(found);
    }
    Ok(result)
}

/// Newton's method at fixed p on R(x, p) = 0.
fn solve_at_fixed_p(family: &dyn Family, x0: &[f64], p: f64, period: usize) -> Result<Vec<f64>> {
    let mut x = DVector::from_column_slice(x0);
    for iteration in 0..50 {
        let lin = linearise(family, x.as_slice(), p, period)?;
        let Some(dx) = lin.d_x.clone().lu().solve(&(-&lin.residual)) else {
            // A guess where the residual's Jacobian is singular (e.g. the logistic map's
            // x = (1 − 1/r)/2): move off it a little and try again (within the 50 iterations).
            x.iter_mut().for_each(|v| *v += 1e-3 * (1.0 + v.abs()));
            continue;
        };
        x += &dx;
        if dx.norm() <= 1e-13 * (1.0 + x.norm()) && iteration > 0 {
            let lin = linearise(family, x.as_slice(), p, period)?;
            if lin.residual.norm() <= 1e-9 * (1.0 + x.norm()) {
                return Ok(x.as_slice().to_vec());
            }
        }
        if !x.iter().all(|v| v.is_finite()) {
            break;
        }
    }
    Err(Error::NotConverged {
        method: format!("Newton's method for a period-{period} point at p = {p}"),
        iterations: 50,
        residual: f64::NAN,
    })
}

/// Follows branches of one period.
struct Tracer<'a> {
    family: &'a dyn Family,
    period: usize,
    map: bool,
    opts: ContinuationOptions,
}

/// A corrected point: y = (x, p) and its linearisation.
struct Corrected {
    y: DVector<f64>,
    lin: Linearisation,
    iterations: usize,
}

impl Tracer<'_> {
    fn n(&self, y: &DVector<f64>) -> usize {
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
    fn correct(&self, y: &DVector<f64>, t: &DVector<f64>, s: f64) -> Result<Corrected> {
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

    /// Test functions: [fold, flip, NS] for maps, [fold, Hopf] for flows.
    fn tests(&self, lin: &Linearisation) -> Vec<f64> {
        let a = &lin.spectrum_matrix;
        let n = a.nrows();
        let identity = DMatrix::<f64>::identity(n, n);
        let spectrum: Vec<Complex<f64>> = a.complex_eigenvalues().iter().copied().collect();
        let mut pair_test = Complex::new(1.0, 0.0);
        for i in 0..spectrum.len() {
            for j in i + 1..spectrum.len() {
                pair_test *= if self.map {
                    spectrum[i] * spectrum[j] - 1.0
                } else {
                    spectrum[i] + spectrum[j]
                };
            }
        }
        if self.map {
            vec![
                (a - &identity).determinant(),
                (a + &identity).determinant(),
                pair_test.re,
            ]
        } else {
            vec![a.determinant(), pair_test.re]
        }
    }

    fn kind(&self, test: usize) -> BifurcationKind {
        match (self.map, test) {
            (_, 0) => BifurcationKind::Fold,
            (true, 1) => BifurcationKind::Flip,
            (true, _) => BifurcationKind::NeimarkSacker,
            (false, _) => BifurcationKind::Hopf,
        }
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
    fn follow(&self, x: Vec<f64>, p: f64, direction: f64) -> Result<(Branch, Vec<Bifurcation>)> {
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

    /// Bisection on the arclength s ∈ (0, ds) for the zero of test `i` (sign `sign0` at s = 0).
    fn locate(
        &self,
        y: &DVector<f64>,
        t: &DVector<f64>,
        ds: f64,
        i: usize,
        sign0: f64,
    ) -> Result<Option<Bifurcation>> {
        let (mut lo, mut hi) = (0.0, ds);
        let mut best = None;
        for _ in 0..80 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            let c = self.correct(y, t, mid)?;
            let value = self.tests(&c.lin)[i];
            if value.signum() == sign0.signum() {
                lo = mid;
            } else {
                hi = mid;
            }
            best = Some(c);
        }
        let Some(c) = best else { return Ok(None) };
        let kind = self.kind(i);
        if !self.on_boundary(kind, &c.lin) {
            // The test changed sign through a pole (e.g. a derivative diverging at the edge of
            // a silent region) or a neutral saddle: not a bifurcation.
            return Ok(None);
        }
        let n = self.n(&c.y);
        Ok(Some(Bifurcation {
            kind,
            at: c.y[n],
            x: c.y.as_slice()[..n].to_vec(),
            period: self.period,
        }))
    }

    /// Whether the spectrum at a located zero of a test function really has the critical
    /// eigenvalue of `kind`: +1 (fold, maps) or 0 (fold, flows), −1 (flip), a complex pair on
    /// the unit circle (Neimark-Sacker) or on the imaginary axis (Hopf), to 1e-6.
    fn on_boundary(&self, kind: BifurcationKind, lin: &Linearisation) -> bool {
        const TOLERANCE: f64 = 1e-6;
        let spectrum = lin.spectrum_matrix.complex_eigenvalues();
        let scale = spectrum.iter().fold(1.0_f64, |m, e| m.max(e.norm()));
        spectrum.iter().any(|e| {
            let complex = e.im.abs() > 1e-8 * scale;
            match kind {
                BifurcationKind::Fold if self.map => !complex && (e.re - 1.0).abs() < TOLERANCE,
                BifurcationKind::Fold => !complex && e.re.abs() < TOLERANCE * scale,
                BifurcationKind::Flip => !complex && (e.re + 1.0).abs() < TOLERANCE,
                BifurcationKind::NeimarkSacker => complex && (e.norm() - 1.0).abs() < TOLERANCE,
                BifurcationKind::Hopf => complex && e.re.abs() < TOLERANCE * scale,
            }
        })
    }

    /// Seeds the period-2k branch at a flip: x_f ± δ v (v: the −1 eigenvector of D f^k) at
    /// p_f + Δp on either side, solved by Newton at fixed p and accepted when it is not a
    /// period-k point. Returns the seed and the direction that leads away from the flip.
    fn switch_at_flip(&self, flip: &Bifurcation) -> Result<Option<(Vec<f64>, f64, f64)>> {
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
