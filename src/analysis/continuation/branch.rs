//! A continuation run: its options, its results (branches of period-k points and the
//! bifurcations located on them), and the driver that follows the starting branch and the
//! period-doubled branches seeded at its flips.

use super::family::{is_map, linearise, Family};
use super::tracer::Tracer;
use crate::analysis::fixed_points::Eigenvalue;
use crate::error::{require_finite, Error, Result};
use nalgebra::DVector;

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

    pub(super) fn range(&self) -> (f64, f64) {
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
pub(super) fn solve_at_fixed_p(
    family: &dyn Family,
    x0: &[f64],
    p: f64,
    period: usize,
) -> Result<Vec<f64>> {
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
