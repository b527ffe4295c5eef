//! Pseudo-arclength continuation of fixed points (maps: also period-k points through the
//! k-th iterate) and equilibria (flows) over one parameter, with bifurcation detection.
//!
//! * [`family`] — the one-parameter family a branch lives in, and the residual
//!   R(x, p) = f^k(x; p) − x (maps) or rhs(x; p) (flows) with its Jacobians.
//! * [`options`] — the options of a run; [`branch`] — its results (branches and bifurcations);
//!   `driver` — follows the starting branch and the period-doubled ones.
//! * `tracer` — predictor-corrector continuation of one branch; `detection` — test functions
//!   and location of bifurcations by bisection; `switching` — branch switching at a flip onto
//!   the period-doubled branch.
//!
//! Written against [`crate::analysis::Map`] / [`crate::analysis::Flow`] only.

pub mod branch;
mod detection;
mod driver;
pub mod family;
pub mod options;
mod switching;
mod tracer;

pub use branch::{Bifurcation, BifurcationKind, Branch, BranchPoint, Continuation};
pub use driver::continuation;
pub use family::Family;
pub use options::ContinuationOptions;

#[cfg(test)]
mod tests;
