//! Reference systems with known answers: the logistic, tent, Hénon and linear maps and the
//! Lorenz flow. Tests, benches and `--system` on the command line all reuse them.

use super::entry::{param, Built, SystemEntry};
use super::system::{Dynamics, Flow, Map};

/// Entry of [`Logistic`] (start 0.3).
pub const LOGISTIC_ENTRY: SystemEntry = SystemEntry {
    name: "logistic",
    params: || vec![param("r", Logistic::default().r, "growth parameter")],
    state: &["x"],
    is_map: true,
    build: |v| built_map(Logistic { r: v.get("r") }, vec![0.3]),
};

/// Entry of [`Tent`] (start 0.2345).
pub const TENT_ENTRY: SystemEntry = SystemEntry {
    name: "tent",
    params: || vec![param("mu", Tent::default().mu, "slope")],
    state: &["x"],
    is_map: true,
    build: |v| built_map(Tent { mu: v.get("mu") }, vec![0.2345]),
};

/// Entry of [`Henon`] (start (0.1, 0.1)).
pub const HENON_ENTRY: SystemEntry = SystemEntry {
    name: "henon",
    params: || {
        let d = Henon::default();
        vec![
            param("a", d.a, "quadratic coefficient"),
            param("b", d.b, "contraction"),
        ]
    },
    state: &["x", "y"],
    is_map: true,
    build: |v| {
        built_map(
            Henon {
                a: v.get("a"),
                b: v.get("b"),
            },
            vec![0.1, 0.1],
        )
    },
};

/// Entry of [`Linear`] (start at the fixed point, the origin: the tangent dynamics there is
/// A itself).
pub const LINEAR_ENTRY: SystemEntry = SystemEntry {
    name: "linear",
    params: || {
        let [a11, a12, a21, a22] = Linear::default().a;
        vec![
            param("a11", a11, "matrix entry (1,1)"),
            param("a12", a12, "matrix entry (1,2)"),
            param("a21", a21, "matrix entry (2,1)"),
            param("a22", a22, "matrix entry (2,2)"),
        ]
    },
    state: &["x", "y"],
    is_map: true,
    build: |v| {
        let a = [v.get("a11"), v.get("a12"), v.get("a21"), v.get("a22")];
        built_map(Linear { a }, vec![0.0, 0.0])
    },
};

/// Entry of [`Lorenz`] (start (1, 1, 1)).
pub const LORENZ_ENTRY: SystemEntry = SystemEntry {
    name: "lorenz",
    params: || {
        let d = Lorenz::default();
        vec![
            param("sigma", d.sigma, "Prandtl number"),
            param("rho", d.rho, "Rayleigh number"),
            param("beta", d.beta, "geometric factor"),
        ]
    },
    state: &["x", "y", "z"],
    is_map: false,
    build: |v| {
        let flow = Lorenz {
            sigma: v.get("sigma"),
            rho: v.get("rho"),
            beta: v.get("beta"),
        };
        Ok(Built {
            dynamics: Dynamics::Flow(Box::new(flow)),
            initial_state: vec![1.0, 1.0, 1.0],
        })
    },
};

fn built_map(map: impl Map + Send + 'static, initial_state: Vec<f64>) -> crate::Result<Built> {
    Ok(Built {
        dynamics: Dynamics::Map(Box::new(map)),
        initial_state,
    })
}

/// Logistic map x ↦ r x (1 − x). At r = 4 its Lyapunov exponent is ln 2 (Ulam–von Neumann).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Logistic {
    /// Growth parameter r.
    pub r: f64,
}

impl Default for Logistic {
    /// r = 4: fully chaotic, λ = ln 2.
    fn default() -> Self {
        Self { r: 4.0 }
    }
}

impl Map for Logistic {
    fn dim(&self) -> usize {
        1
    }
    fn step(&self, x: &[f64], out: &mut [f64]) {
        out[0] = self.r * x[0] * (1.0 - x[0]);
    }
    fn jacobian(&self, x: &[f64], out: &mut [f64]) {
        out[0] = self.r * (1.0 - 2.0 * x[0]);
    }
}

/// Tent map x ↦ μ min(x, 1 − x). Its slope is ±μ everywhere, so for 1 < μ ≤ 2 the Lyapunov
/// exponent is exactly ln μ. The kink at 1/2 makes it the test case of the two-trajectory
/// method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tent {
    /// Slope μ.
    pub mu: f64,
}

impl Default for Tent {
    /// μ = 1.99: λ = ln 1.99.
    fn default() -> Self {
        Self { mu: 1.99 }
    }
}

impl Map for Tent {
    fn dim(&self) -> usize {
        1
    }
    fn step(&self, x: &[f64], out: &mut [f64]) {
        out[0] = self.mu * x[0].min(1.0 - x[0]);
    }
    fn jacobian(&self, x: &[f64], out: &mut [f64]) {
        out[0] = if x[0] < 0.5 { self.mu } else { -self.mu };
    }
    fn is_smooth(&self) -> bool {
        false
    }
}

/// Hénon map (x, y) ↦ (1 − a x² + y, b x). det J = −b, so the exponents sum to ln |b|;
/// at (a, b) = (1.4, 0.3) the largest is 0.419 (Sprott, *Chaos and Time-Series Analysis*).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Henon {
    /// Parameter a.
    pub a: f64,
    /// Parameter b.
    pub b: f64,
}

impl Default for Henon {
    /// The classical a = 1.4, b = 0.3.
    fn default() -> Self {
        Self { a: 1.4, b: 0.3 }
    }
}

impl Map for Henon {
    fn dim(&self) -> usize {
        2
    }
    fn step(&self, x: &[f64], out: &mut [f64]) {
        out[0] = 1.0 - self.a * x[0] * x[0] + x[1];
        out[1] = self.b * x[0];
    }
    fn jacobian(&self, x: &[f64], out: &mut [f64]) {
        out.copy_from_slice(&[-2.0 * self.a * x[0], 1.0, self.b, 0.0]);
    }
}

/// Linear map x ↦ A x with A = [[a11, a12], [a21, a22]]. Its Lyapunov exponents are the
/// logarithms of the moduli of A's eigenvalues.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    /// Row-major matrix entries [a11, a12, a21, a22].
    pub a: [f64; 4],
}

impl Default for Linear {
    /// diag(1.1, 0.8): exponents ln 1.1 and ln 0.8.
    fn default() -> Self {
        Self {
            a: [1.1, 0.0, 0.0, 0.8],
        }
    }
}

impl Map for Linear {
    fn dim(&self) -> usize {
        2
    }
    fn step(&self, x: &[f64], out: &mut [f64]) {
        out[0] = self.a[0] * x[0] + self.a[1] * x[1];
        out[1] = self.a[2] * x[0] + self.a[3] * x[1];
    }
    fn jacobian(&self, _x: &[f64], out: &mut [f64]) {
        out.copy_from_slice(&self.a);
    }
}

/// Lorenz flow ẋ = σ(y − x), ẏ = x(ρ − z) − y, ż = xy − βz. At (10, 28, 8/3) the exponents
/// are 0.9056, 0, −14.5723 (Sprott); their sum is the constant trace −(σ + 1 + β).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lorenz {
    /// Prandtl number σ.
    pub sigma: f64,
    /// Rayleigh number ρ.
    pub rho: f64,
    /// Geometric factor β.
    pub beta: f64,
}

impl Default for Lorenz {
    /// The classical σ = 10, ρ = 28, β = 8/3.
    fn default() -> Self {
        Self {
            sigma: 10.0,
            rho: 28.0,
            beta: 8.0 / 3.0,
        }
    }
}

impl Flow for Lorenz {
    fn dim(&self) -> usize {
        3
    }
    fn rhs(&self, s: &[f64], out: &mut [f64]) {
        let (x, y, z) = (s[0], s[1], s[2]);
        out[0] = self.sigma * (y - x);
        out[1] = x * (self.rho - z) - y;
        out[2] = x * y - self.beta * z;
    }
    fn jacobian(&self, s: &[f64], out: &mut [f64]) {
        let (x, y, z) = (s[0], s[1], s[2]);
        out.copy_from_slice(&[
            -self.sigma,
            self.sigma,
            0.0,
            self.rho - z,
            -1.0,
            -x,
            y,
            x,
            -self.beta,
        ]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::system::central_difference;
    use approx::assert_relative_eq;

    fn check_map_jacobian<M: Map>(m: &M, x: &[f64]) {
        let n = m.dim();
        let mut analytic = vec![0.0; n * n];
        let mut numeric = vec![0.0; n * n];
        m.jacobian(x, &mut analytic);
        central_difference(n, x, &mut numeric, |y, fy| m.step(y, fy));
        for (a, b) in analytic.iter().zip(&numeric) {
            assert!((a - b).abs() <= 1e-8 * (1.0 + a.abs()), "{a} vs {b}");
        }
    }

    #[test]
    fn analytic_jacobians_match_finite_differences() {
        check_map_jacobian(&Logistic { r: 3.7 }, &[0.3]);
        check_map_jacobian(&Henon { a: 1.4, b: 0.3 }, &[0.2, -0.4]);
        check_map_jacobian(
            &Linear {
                a: [1.1, 0.2, -0.3, 0.8],
            },
            &[1.0, 2.0],
        );
        let l = Lorenz {
            sigma: 10.0,
            rho: 28.0,
            beta: 8.0 / 3.0,
        };
        let x = [1.0, -2.0, 20.0];
        let mut analytic = [0.0; 9];
        let mut numeric = [0.0; 9];
        l.jacobian(&x, &mut analytic);
        central_difference(3, &x, &mut numeric, |y, fy| l.rhs(y, fy));
        for (a, b) in analytic.iter().zip(&numeric) {
            assert!((a - b).abs() <= 1e-7 * (1.0 + a.abs()), "{a} vs {b}");
        }
    }

    #[test]
    fn henon_fixed_point_is_the_textbook_one() {
        // x* = (−(1 − b) + sqrt((1 − b)² + 4a)) / (2a), y* = b x*.
        let (a, b) = (1.4, 0.3);
        let xs = (-(1.0 - b) + ((1.0f64 - b).powi(2) + 4.0 * a).sqrt()) / (2.0 * a);
        let mut out = [0.0; 2];
        Henon { a, b }.step(&[xs, b * xs], &mut out);
        assert_relative_eq!(out[0], xs, max_relative = 1e-14);
        assert_relative_eq!(out[1], b * xs, max_relative = 1e-14);
    }
}
