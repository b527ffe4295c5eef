//! MODEL.md §2: the poster's Theorem 1 (Lambert-W spike timing of the kernel
//! `V(x) = w k x e^{-x/τ_m}`) and the approximations the poster offers for it: the quadratic
//! ("Q-spike") closed form, Taylor-N roots and the poster's order rule for N.
//!
//! This module owns the *closed forms* only. It does not simulate anything: the exactly
//! integrated LIF neuron that checks these formulas lives in [`crate::model::lif`], and the
//! Lambert W function itself in [`crate::special`].
//!
//! Conventions: every latency is measured in ms from the input spike; a function returns
//! `None` when the quantity does not exist for that weight (no threshold crossing, or a
//! non-finite / non-positive weight), never a clamped or extrapolated number.

use crate::error::require_positive;
use crate::special::{lambert_w0, lambert_wm1};
use crate::Result;

/// Highest Taylor order [`SpikeTiming::taylor_ms`] accepts. Beyond it the alternating
/// polynomial can no longer be evaluated accurately in `f64` where its roots may lie
/// (the terms reach `e^{0.28 N}` times the value), so larger orders return `None`. The
/// poster's [`SpikeTiming::order_rule`] gives N ≤ 58 for every τ_m up to 1e40 ms.
pub const MAX_TAYLOR_ORDER: usize = 60;

/// Validated parameters of the poster's kernel `V(x) = w k x e^{-x/τ_m}` with threshold θ
/// (MODEL.md §2). Construct with [`SpikeTiming::new`]; the fields are private so that an
/// unvalidated value can never reach the formulas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpikeTiming {
    k: f64,
    theta: f64,
    tau_m_ms: f64,
}

impl SpikeTiming {
    /// Validates `k > 0`, `θ > 0`, `τ_m > 0` (all finite). Errors name the field as the
    /// command line writes it: `k`, `theta`, `tau_m`.
    pub fn new(k: f64, theta: f64, tau_m_ms: f64) -> Result<Self> {
        Ok(Self {
            k: require_positive("k", k)?,
            theta: require_positive("theta", theta)?,
            tau_m_ms: require_positive("tau_m", tau_m_ms)?,
        })
    }

    /// The kernel gain k.
    pub fn k(&self) -> f64 {
        self.k
    }

    /// The threshold θ.
    pub fn theta(&self) -> f64 {
        self.theta
    }

    /// The membrane time constant τ_m in ms.
    pub fn tau_m_ms(&self) -> f64 {
        self.tau_m_ms
    }

    /// The first spike of the exactly simulated LIF neuron (MODEL.md §1) for the poster weight
    /// `w`: one input spike of charge q = w k τ_m², so that at τ_s = τ_m the PSP is the poster's
    /// kernel w k x e^{−x/τ_m} and the spike time must equal the Lambert-W time (MODEL.md §2).
    /// Followed for [`SpikeTiming::simulation_horizon_ms`].
    pub fn simulated_spike_ms(&self, w: f64, tau_s_ms: f64, dt_ms: f64) -> Result<Option<f64>> {
        use crate::model::lif::{first_spike_time_ms, poster_charge, LifParams};
        let lif = LifParams::new(self.tau_m_ms, tau_s_ms, 0.0, 0.0, self.theta, 0.0)?;
        let q = poster_charge(w, self.k, self.tau_m_ms);
        first_spike_time_ms(&lif, q, dt_ms, self.simulation_horizon_ms(tau_s_ms))
    }

    /// How long the simulated neuron is followed for its first spike (ms): 20 (τ_m + τ_s).
    pub fn simulation_horizon_ms(&self, tau_s_ms: f64) -> f64 {
        20.0 * (self.tau_m_ms + tau_s_ms)
    }

    /// The kernel itself, `V(x) = w k x e^{-x/τ_m}` (MODEL.md §2), at latency `x_ms`.
    pub fn kernel(&self, w: f64, x_ms: f64) -> f64 {
        w * self.k * x_ms * (-x_ms / self.tau_m_ms).exp()
    }

    /// Critical weight `w_c = e θ / (k τ_m)` (MODEL.md §2): the kernel's maximum, reached at
    /// `x = τ_m`, equals θ exactly when `w = w_c`. Below it the neuron never fires.
    pub fn w_c(&self) -> f64 {
        std::f64::consts::E * self.theta / (self.k * self.tau_m_ms)
    }

    /// Smallest weight for which the quadratic form exists, `4 θ / (k τ_m)` (MODEL.md §2).
    pub fn w_quadratic(&self) -> f64 {
        4.0 * self.theta / (self.k * self.tau_m_ms)
    }

    /// Dimensionless threshold `a = θ / (w k τ_m)`: the kernel in units `u = x/τ_m` reads
    /// `u e^{-u} = a`. Computed by successive divisions so that a huge `w` cannot overflow.
    fn scaled_threshold(&self, w: f64) -> f64 {
        self.theta / w / self.k / self.tau_m_ms
    }

    /// Principal-branch value `W_0(-θ/(w k τ_m))` for `w ≥ w_c`, else `None`. When the
    /// argument reaches the branch point `-1/e` (w = w_c, or rounding just below it although
    /// `w ≥ w_c` means mathematically `z ≥ -1/e`) the exact value -1 is used.
    fn principal_branch(&self, w: f64) -> Option<f64> {
        self.branch(w, lambert_w0)
    }

    /// As [`SpikeTiming::principal_branch`] for the lower branch `W_{-1}`.
    fn lower_branch(&self, w: f64) -> Option<f64> {
        self.branch(w, lambert_wm1)
    }

    fn branch(&self, w: f64, lambert: fn(f64) -> Option<f64>) -> Option<f64> {
        if !(w.is_finite() && w >= self.w_c()) {
            return None;
        }
        let z = -self.scaled_threshold(w);
        let branch_point = crate::special::lambert_w::NEG_INV_E;
        if z <= branch_point {
            return Some(-1.0);
        }
        lambert(z).filter(|value| value.is_finite())
    }

    /// Theorem 1, the first (upward) threshold crossing
    /// `x*(w) = -τ_m W_0(-θ / (w k τ_m))` in ms (MODEL.md §2). `None` when `w < w_c`, `w` is
    /// not finite, or `w ≤ 0`.
    pub fn spike_time_ms(&self, w: f64) -> Option<f64> {
        self.principal_branch(w)
            .map(|branch| -self.tau_m_ms * branch)
    }

    /// The downward crossing `-τ_m W_{-1}(-θ / (w k τ_m))` in ms, where the kernel falls back
    /// below θ (MODEL.md §2). Same domain as [`SpikeTiming::spike_time_ms`]; at `w = w_c` both
    /// crossings meet at `x = τ_m` (the fold).
    pub fn down_crossing_ms(&self, w: f64) -> Option<f64> {
        self.lower_branch(w).map(|branch| -self.tau_m_ms * branch)
    }

    /// Exact sensitivity `dx*/dw = τ_m W / (w (1 + W))`, `W = W_0(-θ/(w k τ_m))` in ms per
    /// unit weight (MODEL.md §2). `None` at and below `w_c`, where it diverges, and wherever
    /// rounding leaves `1 + W = 0`.
    pub fn dspike_dw(&self, w: f64) -> Option<f64> {
        if !(w.is_finite() && w > self.w_c()) {
            return None;
        }
        let branch = self.principal_branch(w)?;
        let slope = self.tau_m_ms * branch / (w * (1.0 + branch));
        slope.is_finite().then_some(slope)
    }

    /// The quadratic ("Q-spike", Taylor-1) latency
    /// `x_Q = (τ_m/2)(1 - sqrt(1 - 4θ/(w k τ_m)))` in ms (MODEL.md §2), evaluated in the
    /// cancellation-free form `x_Q = (2θ/(w k)) / (1 + sqrt(1 - 4θ/(w k τ_m)))`. `None` below
    /// [`SpikeTiming::w_quadratic`]; at it, a discriminant rounded below zero is taken as 0.
    pub fn quadratic_ms(&self, w: f64) -> Option<f64> {
        if !(w.is_finite() && w >= self.w_quadratic()) {
            return None;
        }
        let a = self.scaled_threshold(w);
        // Discriminant 1 - 4θ/(w k τ_m) of w k x (1 - x/τ_m) = θ.
        let discriminant = (1.0 - 4.0 * a).max(0.0);
        Some(2.0 * a * self.tau_m_ms / (1.0 + discriminant.sqrt()))
    }

    /// Taylor-N latency in ms (MODEL.md §2): the smallest positive root of
    /// `w k x P_N(x) = θ`, with `P_N` the N-th Taylor polynomial of `e^{-x/τ_m}`. N = 0 gives
    /// `θ/(w k)`, N = 1 the quadratic form. `None` when no positive root exists, `w` is not
    /// finite and positive, or `order > MAX_TAYLOR_ORDER`.
    ///
    /// In `u = x/τ_m` the equation is `h(u) = u P_N(u) - a = 0`, `a = θ/(w k τ_m)`. All real
    /// roots of `h` in `(0, B]` (B: Fujiwara's bound) are isolated exactly: the roots of `h'`
    /// split `(0, B]` into pieces on which `h` is monotone (found recursively down to a linear
    /// derivative), and each piece with a sign change is bisected to full precision. This
    /// cannot miss two close roots the way a sampling grid can (at `w = w_c`, Taylor-12 has
    /// two roots 1.2e-4 ms apart). A root where `h` only touches 0 (a double root, e.g.
    /// N = 1 at `w = 4θ/(kτ_m)`) is accepted when `|h|` at the local maximum is within 4 ulps
    /// of its terms, `4ε Σ|c_i| u^i` (the rounding of `a` and of the evaluation).
    pub fn taylor_ms(&self, w: f64, order: usize) -> Option<f64> {
        if !(w.is_finite() && w > 0.0) || order > MAX_TAYLOR_ORDER {
            return None;
        }
        let a = self.scaled_threshold(w);
        let coefficients = taylor_coefficients(a, order);
        let bound = fujiwara_bound(&coefficients);
        smallest_positive_root(&coefficients, bound).map(|u| u * self.tau_m_ms)
    }

    /// The poster's order rule, exactly as printed (MODEL.md §2):
    /// `N = min{N ≥ 0 : (N+1)! ≥ 8 e τ_m²}` with τ_m taken as its number of ms.
    pub fn order_rule(&self) -> usize {
        crate::model::poster::order_rule(self.tau_m_ms)
    }
}

/// Coefficients `c_0..c_{N+1}` (lowest first) of `h(u) = u P_N(u) - a`:
/// `c_0 = -a`, `c_{n+1} = (-1)^n / n!`.
fn taylor_coefficients(a: f64, order: usize) -> Vec<f64> {
    let mut coefficients = Vec::with_capacity(order + 2);
    coefficients.push(-a);
    let mut term = 1.0;
    for n in 0..=order {
        if n > 0 {
            term /= -(n as f64);
        }
        coefficients.push(term);
    }
    coefficients
}

/// Fujiwara's bound on the moduli of all roots of `Σ c_i u^i`:
/// `2 max( |c_{d-1}/c_d|, |c_{d-2}/c_d|^{1/2}, …, |c_0/(2 c_d)|^{1/d} )`.
fn fujiwara_bound(coefficients: &[f64]) -> f64 {
    let degree = coefficients.len() - 1;
    let lead = coefficients[degree];
    (1..=degree)
        .map(|i| {
            let ratio = (coefficients[degree - i] / lead).abs();
            let ratio = if i == degree { ratio / 2.0 } else { ratio };
            ratio.powf(1.0 / i as f64)
        })
        .fold(0.0, f64::max)
        * 2.0
}

/// Horner evaluation of `Σ c_i u^i`, together with the running bound `Σ |c_i| |u|^i` used
/// for the rounding-error estimate.
fn evaluate(coefficients: &[f64], u: f64) -> (f64, f64) {
    coefficients
        .iter()
        .rev()
        .fold((0.0, 0.0), |(value, magnitude), &c| {
            (value * u + c, magnitude * u.abs() + c.abs())
        })
}

/// Coefficients of the derivative polynomial.
fn derivative(coefficients: &[f64]) -> Vec<f64> {
    coefficients
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, &c)| i as f64 * c)
        .collect()
}

/// All real roots of the polynomial in `[lo, hi]`, sorted, each to full precision; only
/// sign changes count (used for the critical points, where a touching root does not matter).
fn real_roots(coefficients: &[f64], lo: f64, hi: f64) -> Vec<f64> {
    if coefficients.len() <= 2 {
        // Constant or linear.
        let (c0, c1) = (coefficients[0], *coefficients.get(1).unwrap_or(&0.0));
        let root = -c0 / c1;
        return if c1.abs() > 0.0 && (lo..=hi).contains(&root) {
            vec![root]
        } else {
            Vec::new()
        };
    }
    let mut breakpoints = vec![lo];
    breakpoints.extend(real_roots(&derivative(coefficients), lo, hi));
    breakpoints.push(hi);
    breakpoints
        .windows(2)
        .filter_map(|piece| bisect_sign_change(coefficients, piece[0], piece[1]))
        .collect()
}

/// Smallest root of `h` in `(0, bound]`, where `h(0) = c_0 < 0`. Besides sign changes, a
/// local maximum of `h` whose value is within rounding error of 0 counts as a (double) root.
fn smallest_positive_root(coefficients: &[f64], bound: f64) -> Option<f64> {
    let mut breakpoints = vec![0.0];
    breakpoints.extend(real_roots(&derivative(coefficients), 0.0, bound));
    breakpoints.push(bound);
    for piece in breakpoints.windows(2) {
        let (value, magnitude) = evaluate(coefficients, piece[1]);
        // A few ulps of the terms: the rounding of `a` and of the evaluation itself, not a
        // worst-case bound (that would accept Taylor-15's max at the fold, 4.5e-14 below θ).
        let rounding = 4.0 * f64::EPSILON * magnitude;
        if value >= 0.0 {
            return bisect_sign_change(coefficients, piece[0], piece[1]);
        }
        if value > -rounding {
            return Some(piece[1]);
        }
    }
    None
}

/// Root of a polynomial with a sign change on `[lo, hi]` by bisection until the midpoint
/// coincides with an end (full `f64` precision). `None` without a sign change.
fn bisect_sign_change(coefficients: &[f64], lo: f64, hi: f64) -> Option<f64> {
    let (f_lo, f_hi) = (evaluate(coefficients, lo).0, evaluate(coefficients, hi).0);
    if (f_lo > 0.0 && f_hi > 0.0) || (f_lo < 0.0 && f_hi < 0.0) || f_lo.is_nan() || f_hi.is_nan() {
        return None;
    }
    if f_lo.abs() == 0.0 {
        return Some(lo);
    }
    if f_hi.abs() == 0.0 {
        return Some(hi);
    }
    Some(crate::analysis::roots::bisect(
        &|x| evaluate(coefficients, x).0,
        lo,
        hi,
    ))
}

#[cfg(test)]
mod tests;
