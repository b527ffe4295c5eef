//! The poster's closed forms, **exactly as printed** (MODEL.md §2, §5, §8), so that the
//! verification report can put each beside the model's own value.
//!
//! Nothing here is corrected: a sign, a missing factor or an undefined symbol stays as the
//! poster prints it, and each function says which printed line it transcribes. Where the
//! poster leaves a symbol undefined (its `n`, the `λ` of E), the caller supplies it and the
//! report states the reading. The model's counterparts live in [`crate::model::synapse_map`],
//! [`crate::model::variable_plasticity`] and [`crate::model::spike_timing`].

use crate::special::lambert_w::lambert_w0;

/// Theorem 2: `w* = θ · exp(k/τ_m) / k²`.
pub fn w_star(theta: f64, k: f64, tau_m: f64) -> f64 {
    theta * (k / tau_m).exp() / (k * k)
}

/// Theorem 2: `f'(w*) = η · n / (τ_m w* k (1 − k/τ_m))`.
pub fn f_prime(eta: f64, n: f64, tau_m: f64, w_star: f64, k: f64) -> f64 {
    eta * n / (tau_m * w_star * k * (1.0 - k / tau_m))
}

/// Breakthrough #1: `λ = α = (η n k exp(−k/τ_m)) / (τ_m θ (k/τ_m − 1))`.
pub fn alpha(eta: f64, n: f64, k: f64, tau_m: f64, theta: f64) -> f64 {
    eta * n * k * (-k / tau_m).exp() / (tau_m * theta * (k / tau_m - 1.0))
}

/// Central theorem: `η* = η_min + 1/(η_max − w*)`.
pub fn eta_star(eta_min: f64, eta_max: f64, w_star: f64) -> f64 {
    eta_min + 1.0 / (eta_max - w_star)
}

/// Central theorem, `J_local` lower-left entry: `−1/(τ_d (η_max − w*)²)`.
pub fn jacobian_lower_left(tau_d: f64, eta_max: f64, w_star: f64) -> f64 {
    -1.0 / (tau_d * (eta_max - w_star).powi(2))
}

/// Central theorem, `J_local` upper-right entry: 0 (the printed matrix is lower triangular).
pub fn jacobian_upper_right() -> f64 {
    0.0
}

/// Central theorem, `J_local` lower-right entry and the stable eigenvalue: `λ2 = −1/τ_d`.
pub fn lambda2(tau_d: f64) -> f64 {
    -1.0 / tau_d
}

/// Central theorem:
/// `λ1 = −(η*/τ_m) · W(−θ/(w k τ_m)) / (τ_m w² k (1 + W(−θ/(w k τ_m)))) + ε g_w`,
/// with the poster's ω read as the principal branch W0 (the branch of Theorem 1's timing).
/// None where W0 is undefined (w below e θ/(k τ_m)) or 1 + W = 0.
pub fn lambda1(eta_star: f64, w: f64, theta: f64, k: f64, tau_m: f64, eps_g_w: f64) -> Option<f64> {
    let lambert = lambert_w0(-theta / (w * k * tau_m))?;
    let denominator = tau_m * w * w * k * (1.0 + lambert);
    (denominator != 0.0).then(|| -(eta_star / tau_m) * lambert / denominator + eps_g_w)
}

/// Theorem 1: `x = −τ_m ω(−θ/(w k τ_m))` (ω read as W0).
pub fn spike_time(w: f64, theta: f64, k: f64, tau_m: f64) -> Option<f64> {
    lambert_w0(-theta / (w * k * tau_m)).map(|lambert| -tau_m * lambert)
}

/// Theorem 1's order rule: `min N ≥ 0 : (N+1)! ≥ 8 e τ_m²` (τ_m taken as its number of ms).
/// [`crate::model::spike_timing::SpikeTiming::order_rule`] uses it.
pub fn order_rule(tau_m: f64) -> usize {
    let target = 8.0 * std::f64::consts::E * tau_m * tau_m;
    let mut factorial = 1.0; // (N+1)! for N = 0
    let mut order = 0;
    // (N+1)! overflows to +inf at N = 170, so the loop always ends.
    while factorial < target {
        order += 1;
        factorial *= (order + 1) as f64;
    }
    order
}

/// Theorem 2's candidate Lyapunov function `E(w, η) = ½ [Δt(w)]² + (λ/2) (f'(w))²`, given
/// the values the caller reads into it (Δt(w), λ and f'(w); the poster defines none of them
/// as functions of the state beyond their names).
pub fn energy(delta_t: f64, lambda: f64, f_prime: f64) -> f64 {
    0.5 * delta_t * delta_t + 0.5 * lambda * f_prime * f_prime
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn printed_forms_evaluate_as_written() {
        // Hand-evaluated at θ = k = 1, τ_m = 2 (the MODEL.md examples).
        assert_relative_eq!(w_star(1.0, 1.0, 2.0), 0.5_f64.exp(), max_relative = 1e-15);
        // f' = η n / (2 w* · 0.5) = η n / w*.
        assert_relative_eq!(f_prime(0.3, 1.0, 2.0, 1.5, 1.0), 0.2, max_relative = 1e-15);
        // α = η n e^{−1/2} / (2 (1/2 − 1)) = −η n e^{−1/2}.
        assert_relative_eq!(
            alpha(0.3, 1.0, 1.0, 2.0, 1.0),
            -0.3 * (-0.5_f64).exp(),
            max_relative = 1e-15
        );
        assert_relative_eq!(eta_star(1.0, 4.0, 3.0), 2.0, max_relative = 1e-15);
        assert_relative_eq!(
            jacobian_lower_left(10.0, 4.0, 3.0),
            -0.1,
            max_relative = 1e-15
        );
        assert_eq!(order_rule(2.0), 4); // 5! = 120 ≥ 8e·4 = 87.0 > 4! = 24
                                        // At w = e θ/(k τ_m) W0(−1/e) = −1: 1 + W = 0, undefined.
        assert!(lambda1(1.0, std::f64::consts::E / 2.0, 1.0, 1.0, 2.0, 0.0).is_none());
        // Theorem 1 at w = θ = k = 1, τ_m = 4: x = −4 W0(−1/4) = 1.42961182472556 ms (mpmath).
        let x = spike_time(1.0, 1.0, 1.0, 4.0).unwrap();
        assert_relative_eq!(x, 1.429_611_824_725_56, max_relative = 1e-14);
        assert_relative_eq!(energy(2.0, 3.0, 1.0), 3.5, max_relative = 1e-15);
    }
}
