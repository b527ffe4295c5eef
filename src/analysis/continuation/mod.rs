//! Pseudo-arclength continuation of fixed points (maps: also period-k points through the
//! k-th iterate) and equilibria (flows) over one parameter, with bifurcation detection.
//!
//! * [`family`] — the one-parameter family a branch lives in, and the residual
//!   R(x, p) = f^k(x; p) − x (maps) or rhs(x; p) (flows) with its Jacobians.
//! * [`branch`] — the options and results of a run, and the driver that follows the starting
//!   branch and the period-doubled ones.
//! * `tracer` — predictor-corrector continuation of one branch; `detection` — test functions
//!   and location of bifurcations by bisection; `switching` — branch switching at a flip onto
//!   the period-doubled branch.
//!
//! Written against [`crate::analysis::Map`] / [`crate::analysis::Flow`] only.

pub mod branch;
mod detection;
pub mod family;
mod switching;
mod tracer;

pub use branch::{
    continuation, Bifurcation, BifurcationKind, Branch, BranchPoint, Continuation,
    ContinuationOptions,
};
pub use family::Family;

#[cfg(test)]
mod tests;
