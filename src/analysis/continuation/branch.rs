//! The results of a continuation run: branches of period-k points and the bifurcations located
//! on them.

use crate::analysis::fixed_points::Eigenvalue;

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
