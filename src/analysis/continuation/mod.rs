//! Pseudo-arclength continuation of fixed points (maps: also period-k points through the
//! k-th iterate) and equilibria (flows) over one parameter, with bifurcation detection.
//!
//! * [`family`] — the one-parameter family a branch lives in, and the residual
//!   R(x, p) = f^k(x; p) − x (maps) or rhs(x; p) (flows) with its Jacobians.
//! * [`branch`] — predictor-corrector continuation of one branch, test functions, location of
//!   bifurcations by bisection, and branch switching at a flip onto the period-doubled branch.
//!
//! Written against [`crate::analysis::Map`] / [`crate::analysis::Flow`] only.

pub mod branch;
pub mod family;

pub use branch::{
    continuation, Bifurcation, BifurcationKind, Branch, BranchPoint, Continuation,
    ContinuationOptions,
};
pub use family::Family;

#[cfg(test)]
mod tests;
