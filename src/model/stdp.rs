//! The pair-based STDP window of MODEL.md §3 and its multiplicative soft bounds.
//!
//! Owns the window S(Δt) and the bound factors B±(w); not the online trace implementation
//! of the simulator, nor the learning-rate dynamics (variable plasticity).

use crate::error::{require_non_negative, require_positive, Result};

/// Parameters of the pair-based window (MODEL.md §3):
///
/// S(Δt) = A+ e^{-Δt/τ+} for Δt = t_post − t_pre > 0, S(Δt) = −A− e^{Δt/τ−} for Δt < 0.
///
/// The poster uses τ+ = τ− = τ_m; here the two time constants are separate parameters.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct StdpWindow {
    /// Potentiation amplitude A+ (≥ 0).
    pub a_plus: f64,
    /// Depression amplitude A− (≥ 0, entered as a magnitude).
    pub a_minus: f64,
    /// Potentiation time constant τ+ in ms.
    pub tau_plus_ms: f64,
    /// Depression time constant τ− in ms.
    pub tau_minus_ms: f64,
}

impl StdpWindow {
    /// Validated constructor; names the fields as the command line does (`a_plus`, `a_minus`,
    /// `tau`).
    pub fn new(a_plus: f64, a_minus: f64, tau_plus_ms: f64, tau_minus_ms: f64) -> Result<Self> {
        Ok(Self {
            a_plus: require_non_negative("a_plus", a_plus)?,
            a_minus: require_non_negative("a_minus", a_minus)?,
            tau_plus_ms: require_positive("tau", tau_plus_ms)?,
            tau_minus_ms: require_positive("tau", tau_minus_ms)?,
        })
    }

    /// The window value S(Δt) for Δt = t_post − t_pre in ms. At Δt = 0 (coincident spikes)
    /// the pair is counted as neither causal nor anti-causal and S = 0.
    pub fn value(&self, dt_ms: f64) -> f64 {
        if dt_ms > 0.0 {
            self.a_plus * (-dt_ms / self.tau_plus_ms).exp()
        } else if dt_ms < 0.0 {
            -self.a_minus * (dt_ms / self.tau_minus_ms).exp()
        } else {
            0.0
        }
    }

    /// dS/dΔt for Δt ≠ 0 (the window is discontinuous at 0).
    pub fn slope(&self, dt_ms: f64) -> f64 {
        if dt_ms > 0.0 {
            -self.value(dt_ms) / self.tau_plus_ms
        } else {
            self.value(dt_ms) / self.tau_minus_ms
        }
    }
}

/// Weight dependence of the update (MODEL.md §3).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "SoftBoundsValues")]
pub struct SoftBounds {
    /// Exponent μ: 0 = additive (B± = 1), 1 = multiplicative (Diehl & Cook).
    pub mu: f64,
    /// Upper bound w_max of the potentiation factor.
    pub w_max: f64,
    /// μ classified once, so the hot path avoids `powf` for the common exponents 0 and 1.
    #[serde(skip_serializing)]
    shape: BoundShape,
}

/// The serialised values of [`SoftBounds`], validated by [`SoftBounds::new`] when read.
#[derive(serde::Deserialize)]
struct SoftBoundsValues {
    mu: f64,
    w_max: f64,
}

impl TryFrom<SoftBoundsValues> for SoftBounds {
    type Error = crate::Error;
    fn try_from(v: SoftBoundsValues) -> Result<Self> {
        Self::new(v.mu, v.w_max)
    }
}

/// The three forms of x ↦ sgn(x)|x|^μ that need different arithmetic.
#[derive(Debug, Clone, Copy, PartialEq)]
enum BoundShape {
    /// μ = 0: the constant 1.
    Additive,
    /// μ = 1: x itself.
    Linear,
    /// Any other μ > 0.
    Power,
}

impl SoftBounds {
    /// Validated constructor (μ ≥ 0, w_max > 0).
    pub fn new(mu: f64, w_max: f64) -> Result<Self> {
        let mu = require_non_negative("mu", mu)?;
        let shape = if mu == 0.0 {
            BoundShape::Additive
        } else if (mu - 1.0).abs() == 0.0 {
            BoundShape::Linear
        } else {
            BoundShape::Power
        };
        Ok(Self {
            mu,
            w_max: require_positive("w_max", w_max)?,
            shape,
        })
    }

    /// Potentiation factor B+(w) = (w_max − w)^μ. For μ > 0 the power is sign-preserving,
    /// `sgn(w_max − w) |w_max − w|^μ`, so that for μ = 1 the factor is the plain linear one
    /// (and pushes a weight above w_max back down); μ = 0 gives 1 (additive rule).
    pub fn potentiation(&self, w: f64) -> f64 {
        self.signed_power(self.w_max - w)
    }

    /// Depression factor B−(w) = w^μ (sign-preserving for μ > 0, 1 for μ = 0).
    pub fn depression(&self, w: f64) -> f64 {
        self.signed_power(w)
    }

    /// dB+/dw.
    pub fn potentiation_slope(&self, w: f64) -> f64 {
        -self.signed_power_slope(self.w_max - w)
    }

    /// dB−/dw.
    pub fn depression_slope(&self, w: f64) -> f64 {
        self.signed_power_slope(w)
    }

    /// sgn(x)|x|^μ, with the additive convention 1 for μ = 0.
    fn signed_power(&self, x: f64) -> f64 {
        match self.shape {
            BoundShape::Additive => 1.0,
            BoundShape::Linear => x,
            BoundShape::Power => x.signum() * x.abs().powf(self.mu),
        }
    }

    /// d/dx of `signed_power`: μ|x|^{μ−1} (0 for μ = 0, 1 for μ = 1).
    fn signed_power_slope(&self, x: f64) -> f64 {
        match self.shape {
            BoundShape::Additive => 0.0,
            BoundShape::Linear => 1.0,
            BoundShape::Power => self.mu * x.abs().powf(self.mu - 1.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn window_matches_its_definition_at_one_time_constant() {
        let s = StdpWindow::new(0.5, 0.25, 20.0, 10.0).unwrap();
        // Δt = τ+: A+ / e. Δt = −τ−: −A− / e.
        assert_relative_eq!(
            s.value(20.0),
            0.5 / std::f64::consts::E,
            max_relative = 1e-15
        );
        assert_relative_eq!(
            s.value(-10.0),
            -0.25 / std::f64::consts::E,
            max_relative = 1e-15
        );
        assert_eq!(s.value(0.0).to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn slope_matches_finite_difference() {
        let s = StdpWindow::new(1.0, 0.7, 2.0, 3.0).unwrap();
        for &t in &[-4.0, -0.3, 0.2, 5.0] {
            let h = 1e-6;
            let fd = (s.value(t + h) - s.value(t - h)) / (2.0 * h);
            assert_relative_eq!(s.slope(t), fd, max_relative = 1e-8);
        }
    }

    #[test]
    fn soft_bounds_reduce_to_diehl_cook_and_additive() {
        let soft = SoftBounds::new(1.0, 3.0).unwrap();
        assert_relative_eq!(soft.potentiation(1.0), 2.0);
        assert_relative_eq!(soft.depression(1.0), 1.0);
        let general = SoftBounds::new(1.5, 3.0).unwrap();
        assert_relative_eq!(general.depression(4.0), 8.0);
        assert_relative_eq!(general.depression_slope(4.0), 3.0);
        assert_relative_eq!(general.potentiation(4.0), -1.0);
        let add = SoftBounds::new(0.0, 3.0).unwrap();
        assert_relative_eq!(add.potentiation(10.0), 1.0);
        assert_relative_eq!(add.depression_slope(10.0), 0.0);
    }

    #[test]
    fn invalid_values_name_the_field() {
        let e = StdpWindow::new(1.0, 1.0, -2.0, 2.0)
            .unwrap_err()
            .to_string();
        assert!(e.contains("tau") && e.contains("-2"), "{e}");
        let e = SoftBounds::new(1.0, f64::NAN).unwrap_err().to_string();
        assert!(e.contains("w_max") && e.contains("NaN"), "{e}");
    }
}
