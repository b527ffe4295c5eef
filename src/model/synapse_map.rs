//! The reduced 1:1 synapse map of MODEL.md §4, the deterministic base case of STDP learning.
//!
//! A presynaptic neuron fires with period T; for w ≥ w_c the postsynaptic neuron fires once per
//! period, x*(w) after the presynaptic spike (Theorem 1, [`crate::model::spike_timing`]). Nearest-neighbour
//! pairing gives one causal pair (Δt = x*) and one anti-causal pair (Δt = −(T − x*)):
//!
//! ```text
//! w_{n+1} = w_n + η F(w_n),   F(w) = A+ B+(w) e^{−x*(w)/τ} − A− B−(w) e^{−(T − x*(w))/τ}
//! ```
//!
//! Below w_c there is no post spike and no update: the map is the identity there (an orbit that
//! enters it is *absorbed*, a dead synapse). Owns F, its exact derivative, the fixed points and
//! their classification; the map itself implements [`Map`] so every analysis applies to it.

use crate::analysis::entry::{param, Built, ParamDef, SystemEntry, Values};
use crate::analysis::roots::scan_roots;
use crate::analysis::system::Dynamics;
use crate::analysis::{Map, OrbitStatus};
use crate::error::{require_finite, require_positive, Error, Result};
use crate::model::spike_timing::SpikeTiming;
use crate::model::stdp::{SoftBounds, StdpWindow};

/// Raw parameters of the synapse, by their MODEL.md names (as given on the command line).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SynapseParams {
    /// Presynaptic period T (ms).
    #[serde(rename = "T")]
    pub period_ms: f64,
    /// Potentiation amplitude A+.
    pub a_plus: f64,
    /// Depression amplitude A−.
    pub a_minus: f64,
    /// STDP time constant τ = τ+ = τ− (ms).
    #[serde(rename = "tau")]
    pub tau_ms: f64,
    /// Upper weight bound of the soft-bound rule.
    pub w_max: f64,
    /// Soft-bound exponent μ (0 additive, 1 multiplicative).
    pub mu: f64,
    /// Firing threshold θ.
    pub theta: f64,
    /// Kernel gain k.
    pub k: f64,
    /// Membrane time constant τ_m (ms).
    #[serde(rename = "tau_m")]
    pub tau_m_ms: f64,
}

impl Default for SynapseParams {
    /// The soft-bound example of MODEL.md §4: T = 6, A± = 1, w_max = 3, θ = k = 1, τ = τ_m = 2, μ = 1.
    fn default() -> Self {
        Self {
            period_ms: 6.0,
            a_plus: 1.0,
            a_minus: 1.0,
            tau_ms: 2.0,
            w_max: 3.0,
            mu: 1.0,
            theta: 1.0,
            k: 1.0,
            tau_m_ms: 2.0,
        }
    }
}

/// Learning rate of the synapse map unless set.
pub const DEFAULT_ETA: f64 = 0.01;

impl SynapseParams {
    /// The parameter definitions, defaults from [`SynapseParams::default`].
    pub fn defs() -> Vec<ParamDef> {
        let d = Self::default();
        vec![
            param("T", d.period_ms, "presynaptic period (ms)"),
            param("a_plus", d.a_plus, "potentiation amplitude A+"),
            param("a_minus", d.a_minus, "depression amplitude A-"),
            param("tau", d.tau_ms, "STDP time constant tau = tau+ = tau- (ms)"),
            param("w_max", d.w_max, "soft-bound upper weight"),
            param(
                "mu",
                d.mu,
                "soft-bound exponent (0 additive, 1 multiplicative)",
            ),
            param("theta", d.theta, "firing threshold"),
            param("k", d.k, "kernel gain of V(x) = w k x e^{-x/tau_m}"),
            param("tau_m", d.tau_m_ms, "membrane time constant (ms)"),
        ]
    }

    /// The parameters read by their names from an entry's values.
    pub fn from_values(v: &Values<'_>) -> Self {
        Self {
            period_ms: v.get("T"),
            a_plus: v.get("a_plus"),
            a_minus: v.get("a_minus"),
            tau_ms: v.get("tau"),
            w_max: v.get("w_max"),
            mu: v.get("mu"),
            theta: v.get("theta"),
            k: v.get("k"),
            tau_m_ms: v.get("tau_m"),
        }
    }
}

/// Entry `synapse-map`: the map w ↦ w + η F(w), started just above its stable fixed point.
pub const ENTRY: SystemEntry = SystemEntry {
    name: "synapse-map",
    params: || {
        let mut defs = SynapseParams::defs();
        defs.push(param("eta", DEFAULT_ETA, "learning rate"));
        defs
    },
    state: &["w"],
    is_map: true,
    build: |v| {
        let model = SynapseModel::new(SynapseParams::from_values(&v))?;
        let start = start(&model);
        Ok(Built {
            dynamics: Dynamics::Map(Box::new(SynapseMap::new(model, v.get("eta"))?)),
            initial_state: vec![start],
        })
    },
};

/// Default start of a synapse orbit: just above its stable fixed point (1 % of the way to
/// w_max), or half-way between w_c and w_max when it has none.
pub fn start(model: &SynapseModel) -> f64 {
    let w_max = model.params().w_max.max(model.w_c() * 1.5);
    match model
        .fixed_points()
        .into_iter()
        .find(|fp| fp.kind == FixedPointKind::StableBelowEtaC)
    {
        Some(fp) => fp.w + 0.01 * (w_max - fp.w).abs().max(1e-3),
        None => 0.5 * (model.w_c() + w_max),
    }
}

/// The validated synapse model (F and its derivative); η is not part of it.
#[derive(Debug, Clone, Copy)]
pub struct SynapseModel {
    params: SynapseParams,
    window: StdpWindow,
    bounds: SoftBounds,
    timing: SpikeTiming,
}

/// How a fixed point of the map behaves as η grows from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixedPointKind {
    /// F'(w*) < 0: stable for 0 < η < η_c, flip (period-doubling) at η_c = −2/F'(w*).
    StableBelowEtaC,
    /// F'(w*) > 0: unstable for every η > 0.
    Repeller,
    /// F'(w*) = 0: not hyperbolic; linearisation decides nothing.
    NonHyperbolic,
}

/// A fixed point w* of the map (F(w*) = 0 with w* ≥ w_c).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SynapseFixedPoint {
    /// The weight w*.
    pub w: f64,
    /// The spike latency x*(w*) (ms).
    pub latency_ms: f64,
    /// F'(w*) from the exact Lambert-W derivative.
    #[serde(rename = "dF_dw")]
    pub d_f_dw: f64,
    /// The flip point η_c = −2/F'(w*), where the multiplier 1 + η F'(w*) reaches −1.
    pub eta_c: Option<f64>,
    /// Classification.
    pub kind: FixedPointKind,
}

/// Latency grid used to bracket roots of F along the spike branch x ∈ (0, τ_m].
const ROOT_SCAN_POINTS: usize = 4_096;

impl SynapseModel {
    /// Validates the parameters. Needs A± ≥ 0, τ, τ_m, θ, k, w_max > 0, μ ≥ 0 and T > τ_m (so
    /// that every post spike, whose latency is at most τ_m, falls inside its period).
    pub fn new(params: SynapseParams) -> Result<Self> {
        require_finite("T", params.period_ms)?;
        let window = StdpWindow::new(params.a_plus, params.a_minus, params.tau_ms, params.tau_ms)?;
        let bounds = SoftBounds::new(params.mu, params.w_max)?;
        let timing = SpikeTiming::new(params.k, params.theta, params.tau_m_ms)?;
        require_positive("T", params.period_ms)?;
        if params.a_plus == 0.0 && params.a_minus == 0.0 {
            return Err(Error::InvalidParameter {
                name: "a_plus".into(),
                value: "0 (and a_minus = 0)".into(),
                requirement: "non-zero, or a_minus non-zero: with both 0 the drift F(w) is \
                              identically 0 and every weight is a fixed point"
                    .into(),
            });
        }
        if params.period_ms <= params.tau_m_ms {
            return Err(Error::invalid(
                "T",
                params.period_ms,
                &format!(
                    "> tau_m = {} so that the post spike falls inside the period",
                    params.tau_m_ms
                ),
            ));
        }
        Ok(Self {
            params,
            window,
            bounds,
            timing,
        })
    }

    /// The parameters it was built from.
    pub fn params(&self) -> &SynapseParams {
        &self.params
    }

    /// The Q-spike timing of the postsynaptic neuron.
    pub fn timing(&self) -> &SpikeTiming {
        &self.timing
    }

    /// The critical weight w_c = e θ / (k τ_m) below which the post neuron is silent.
    pub fn w_c(&self) -> f64 {
        self.timing.w_c()
    }

    /// F as a function of the latency x (ms) and the weight w it belongs to:
    /// A+ B+(w) e^{−x/τ} − A− B−(w) e^{−(T − x)/τ}.
    fn drift_at_latency(&self, w: f64, latency_ms: f64) -> f64 {
        let causal = self.bounds.potentiation(w) * self.window.value(latency_ms);
        let anti_causal =
            self.bounds.depression(w) * self.window.value(latency_ms - self.params.period_ms);
        causal + anti_causal
    }

    /// F(w), or None below w_c (no post spike, no update).
    pub fn drift(&self, w: f64) -> Option<f64> {
        let latency = self.timing.spike_time_ms(w)?;
        Some(self.drift_at_latency(w, latency))
    }

    /// F'(w) = ∂F/∂w|_x + ∂F/∂x · dx*/dw, with dx*/dw = τ_m W / (w (1 + W)) from Lambert W
    /// (MODEL.md §2). None at and below w_c, where dx*/dw diverges.
    pub fn drift_slope(&self, w: f64) -> Option<f64> {
        self.drift_and_slope(w).map(|(_, slope)| slope)
    }

    /// F(w) and F'(w) from one Lambert-W evaluation: W = W0(−θ/(w k τ_m)) gives the latency
    /// x* = −τ_m W and dx*/dw = τ_m W / (w (1 + W)). None at and below w_c.
    pub fn drift_and_slope(&self, w: f64) -> Option<(f64, f64)> {
        let latency = self.timing.spike_time_ms(w)?;
        let lambert = -latency / self.params.tau_m_ms;
        if lambert.partial_cmp(&-1.0) != Some(std::cmp::Ordering::Greater) {
            return None;
        }
        let dlatency_dw = self.params.tau_m_ms * lambert / (w * (1.0 + lambert));
        let causal_window = self.window.value(latency);
        let anti_window = self.window.value(latency - self.params.period_ms);
        let drift =
            self.bounds.potentiation(w) * causal_window + self.bounds.depression(w) * anti_window;
        let explicit = self.bounds.potentiation_slope(w) * causal_window
            + self.bounds.depression_slope(w) * anti_window;
        // dS/dΔt = −S/τ+ on the causal side and +S/τ− on the anti-causal side (MODEL.md §3),
        // so the slopes reuse the window values instead of new exponentials.
        let through_latency = -self.bounds.potentiation(w) * causal_window
            / self.window.tau_plus_ms
            + self.bounds.depression(w) * anti_window / self.window.tau_minus_ms;
        Some((drift, explicit + through_latency * dlatency_dw))
    }

    /// The weight whose first-crossing latency is x: w(x) = θ e^{x/τ_m} / (k x), the inverse of
    /// x*(w) on (0, τ_m].
    pub fn weight_at_latency(&self, latency_ms: f64) -> f64 {
        self.params.theta * (latency_ms / self.params.tau_m_ms).exp() / (self.params.k * latency_ms)
    }

    /// All fixed points w* ≥ w_c, by increasing w. Roots of F are bracketed on a latency grid
    /// over (0, τ_m] (the spike branch) and refined by bisection to machine precision, so
    /// roots where F only touches zero without changing sign are not found.
    pub fn fixed_points(&self) -> Vec<SynapseFixedPoint> {
        let step = self.params.tau_m_ms / ROOT_SCAN_POINTS as f64;
        let g = |x: f64| self.drift_at_latency(self.weight_at_latency(x), x);
        let roots = scan_roots(&g, step, (1, ROOT_SCAN_POINTS));
        roots
            .into_iter()
            .map(|x| self.classify_root(self.weight_at_latency(x)))
            .collect()
    }

    fn classify_root(&self, w: f64) -> SynapseFixedPoint {
        let latency_ms = self.timing.spike_time_ms(w).unwrap_or(self.params.tau_m_ms);
        let d_f_dw = self.drift_slope(w).unwrap_or(f64::INFINITY);
        let (kind, eta_c) = if d_f_dw < 0.0 {
            (FixedPointKind::StableBelowEtaC, Some(-2.0 / d_f_dw))
        } else if d_f_dw > 0.0 {
            (FixedPointKind::Repeller, None)
        } else {
            (FixedPointKind::NonHyperbolic, None)
        };
        SynapseFixedPoint {
            w,
            latency_ms,
            d_f_dw,
            eta_c,
            kind,
        }
    }

    /// The additive rule's closed form (MODEL.md §4): Δt* = (T + τ ln(A+/A−)) / 2 and
    /// w* = θ e^{Δt*/τ_m} / (k Δt*). Undefined unless μ = 0, A± > 0 and 0 < Δt* ≤ τ_m (the
    /// latencies the first crossing covers).
    pub fn additive_closed_form(&self) -> Result<SynapseFixedPoint> {
        let p = &self.params;
        if p.mu != 0.0 {
            return Err(Error::Undefined {
                what: "the additive closed form".into(),
                why: format!("it needs mu = 0, got {}", p.mu),
            });
        }
        if p.a_plus <= 0.0 || p.a_minus <= 0.0 {
            return Err(Error::Undefined {
                what: "the additive fixed point".into(),
                why: "it needs a_plus > 0 and a_minus > 0".into(),
            });
        }
        let dt_star = (p.period_ms + p.tau_ms * (p.a_plus / p.a_minus).ln()) / 2.0;
        if !(dt_star > 0.0 && dt_star <= p.tau_m_ms) {
            return Err(Error::Undefined {
                what: "the additive fixed point".into(),
                why: format!(
                    "Δt* = (T + τ ln(A+/A−))/2 = {dt_star} ms lies outside (0, tau_m = {}] covered by the first crossing",
                    p.tau_m_ms
                ),
            });
        }
        Ok(self.classify_root(self.weight_at_latency(dt_star)))
    }
}

/// The synapse map w ↦ w + η F(w) for a fixed learning rate η (identity below w_c).
#[derive(Debug, Clone, Copy)]
pub struct SynapseMap {
    /// The model.
    pub model: SynapseModel,
    /// Learning rate η.
    pub eta: f64,
}

impl SynapseMap {
    /// Validated constructor (η finite and ≥ 0).
    pub fn new(model: SynapseModel, eta: f64) -> Result<Self> {
        Ok(Self {
            model,
            eta: crate::error::require_non_negative("eta", eta)?,
        })
    }
}

impl Map for SynapseMap {
    fn dim(&self) -> usize {
        1
    }

    fn step(&self, x: &[f64], out: &mut [f64]) {
        out[0] = match self.model.drift(x[0]) {
            Some(f) => x[0] + self.eta * f,
            None => x[0],
        };
    }

    /// 1 + η F'(w) above w_c, 1 below.
    fn jacobian(&self, x: &[f64], out: &mut [f64]) {
        out[0] = match self.model.drift_slope(x[0]) {
            Some(slope) => 1.0 + self.eta * slope,
            None => 1.0,
        };
    }

    /// One Lambert-W evaluation for both.
    fn step_and_jacobian(&self, x: &[f64], out: &mut [f64], jac: &mut [f64]) {
        match self.model.drift_and_slope(x[0]) {
            Some((drift, slope)) => {
                (out[0], jac[0]) = (x[0] + self.eta * drift, 1.0 + self.eta * slope)
            }
            None => {
                self.step(x, out);
                self.jacobian(x, jac);
            }
        }
    }

    /// Absorbed below w_c (the silent region), diverged when non-finite or beyond 1e12.
    fn classify(&self, x: &[f64]) -> OrbitStatus {
        match crate::analysis::system::default_classify(x) {
            OrbitStatus::Ok if x[0] < self.model.w_c() => OrbitStatus::Absorbed,
            status => status,
        }
    }
}

#[cfg(test)]
mod tests;
