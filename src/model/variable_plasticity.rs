//! Variable plasticity and the coupled (w, η) system of MODEL.md §5.
//!
//! Each synapse carries its own learning rate η, driven by
//!
//! ```text
//! τ_d dη/dt = −(η − η_min) + 1 / (η_max − d),     d = w (default) or d = |S(Δt)|
//! ```
//!
//! and coupled to the reduced 1:1 synapse of MODEL.md §4 ([`crate::model::synapse_map`]):
//!
//! ```text
//! dw/dt = η F(w) + ε g(w),      g(w) = S(x*(w))   (triangulated attribution, MODEL.md §6)
//! ```
//!
//! Time is counted in presynaptic periods T (one pairing per unit time), so the map of §4 is
//! the Euler step of this flow with h = 1, and τ_d is in periods too. In the 1:1 reduction the
//! synapse is the only candidate of the attribution, so it always receives `ε S(Δt)` for its
//! causal pair Δt = x*(w): that is g. Below w_c (and for inhibitory, negative weights) the post
//! neuron is silent: no pair, no update of w, drive d = w or 0 (window drive).
//!
//! Owns the vector field, its analytic Jacobian, the fixed points and the blow-up check
//! (drive reaching η_max, the poster's "spiralling effect": detected and reported as
//! [`OrbitStatus::BlownUp`], never clamped). Synaptic flipping (a weight crossing 0 resets η to
//! 0) is a discrete event, so it lives in the map form [`VariablePlasticityMap`] only. The poster's own
//! printed formulas live in [`crate::model::poster`].

use crate::analysis::entry::{param, Built, ParamDef, SystemEntry, Values};
use crate::analysis::fixed_points::{eigenvalues, Eigenvalue};
use crate::analysis::system::Dynamics;
use crate::analysis::{Flow, Map, OrbitStatus};
use crate::error::{require_finite, require_non_negative, require_positive, Error, Result};
use crate::model::synapse_map::{SynapseModel, SynapseParams};

/// What drives the learning rate (MODEL.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Drive {
    /// d = w: the poster's literal `w(Δt)` read as the weight (default).
    Weight,
    /// d = |S(Δt)|: the window value of the causal pair Δt = x*(w) (0 when silent).
    Window,
}

impl Drive {
    /// From the numeric parameter `drive` (0 = weight, 1 = window).
    /// The code of this drive (0: the weight, 1: the window value).
    pub fn code(self) -> f64 {
        match self {
            Drive::Weight => 0.0,
            Drive::Window => 1.0,
        }
    }

    /// The drive of a code (0 or 1).
    pub fn from_code(code: f64) -> Result<Self> {
        match code {
            c if c.abs() < f64::EPSILON => Ok(Drive::Weight),
            c if (c - 1.0).abs() < f64::EPSILON => Ok(Drive::Window),
            _ => Err(Error::invalid(
                "drive",
                code,
                "0 (d = w) or 1 (d = |S(Δt)|)",
            )),
        }
    }
}

/// Raw parameters of variable plasticity, by their MODEL.md names.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct VariablePlasticityParams {
    /// η_min, the rate η relaxes towards without drive.
    pub eta_min: f64,
    /// η_max: the drive must stay below it.
    pub eta_max: f64,
    /// τ_d, decay time of η in presynaptic periods.
    pub tau_d: f64,
    /// ε, attribution gain (0 switches attribution off exactly).
    pub epsilon: f64,
    /// What drives η.
    pub drive: Drive,
    /// Synaptic flipping (map form only): a weight crossing 0 resets η to 0.
    pub flipping: bool,
}

impl Default for VariablePlasticityParams {
    /// η_min = 1, η_max = 4, τ_d = 10 periods, ε = 0, d = w, no flipping: with the soft-bound
    /// synapse (w* = 2.7827) this gives η* = 1.82, inside the stable range η < η_c = 2.4253.
    fn default() -> Self {
        Self {
            eta_min: 1.0,
            eta_max: 4.0,
            tau_d: 10.0,
            epsilon: 0.0,
            drive: Drive::Weight,
            flipping: false,
        }
    }
}

impl VariablePlasticityParams {
    /// The parameter definitions (after the synapse's), defaults from
    /// [`VariablePlasticityParams::default`]; `h`, the map step, is the map entry's own.
    pub fn defs() -> Vec<ParamDef> {
        let d = Self::default();
        vec![
            param("eta_min", d.eta_min, "rate eta relaxes to without drive"),
            param("eta_max", d.eta_max, "the drive must stay below it"),
            param("tau_d", d.tau_d, "decay time of eta (presynaptic periods)"),
            param("epsilon", d.epsilon, "attribution gain (0 = off)"),
            param("drive", d.drive.code(), "0: d = w, 1: d = |S(dt)|"),
            param(
                "flipping",
                if d.flipping { 1.0 } else { 0.0 },
                "1: a weight crossing 0 resets eta to 0 (map form)",
            ),
        ]
    }
}

/// Map step h of the entry `variable-plasticity` unless set (presynaptic periods).
pub const DEFAULT_H: f64 = 1.0;

/// The synapse's and variable plasticity's parameter definitions, then `h`.
fn entry_defs() -> Vec<ParamDef> {
    let mut defs = SynapseParams::defs();
    defs.extend(VariablePlasticityParams::defs());
    defs.push(param("h", DEFAULT_H, "map step (presynaptic periods)"));
    defs
}

impl VariablePlasticity {
    /// The coupled system from an entry's values, validated.
    pub fn from_values(v: &Values<'_>) -> Result<Self> {
        let flipping = v.get("flipping");
        if !(flipping.abs() < f64::EPSILON || (flipping - 1.0).abs() < f64::EPSILON) {
            return Err(Error::invalid("flipping", flipping, "0 (off) or 1 (on)"));
        }
        let model = SynapseModel::new(SynapseParams::from_values(v))?;
        Self::new(
            model,
            VariablePlasticityParams {
                eta_min: v.get("eta_min"),
                eta_max: v.get("eta_max"),
                tau_d: v.get("tau_d"),
                epsilon: v.get("epsilon"),
                drive: Drive::from_code(v.get("drive"))?,
                flipping: flipping > 0.5,
            },
        )
    }
}

/// Entry `variable-plasticity`: the coupled (w, η) system as a map with step h.
pub const MAP_ENTRY: SystemEntry = SystemEntry {
    name: "variable-plasticity",
    params: entry_defs,
    state: &["w", "eta"],
    is_map: true,
    build: |v| {
        let system = VariablePlasticity::from_values(&v)?;
        let initial_state = system.default_start();
        Ok(Built {
            dynamics: Dynamics::Map(Box::new(VariablePlasticityMap::new(system, v.get("h"))?)),
            initial_state,
        })
    },
};

/// Entry `variable-plasticity-flow`: the coupled (w, η) system as a flow (h unused).
pub const FLOW_ENTRY: SystemEntry = SystemEntry {
    name: "variable-plasticity-flow",
    params: entry_defs,
    state: &["w", "eta"],
    is_map: false,
    build: |v| {
        let system = VariablePlasticity::from_values(&v)?;
        if system.params().flipping {
            return Err(Error::invalid(
                "flipping",
                1.0,
                "0 in the flow form (flipping is a discrete event; use variable-plasticity)",
            ));
        }
        let initial_state = system.default_start();
        Ok(Built {
            dynamics: Dynamics::Flow(Box::new(VariablePlasticityFlow { system })),
            initial_state,
        })
    },
};

/// The validated coupled (w, η) system: a synapse model plus variable plasticity.
#[derive(Debug, Clone, Copy)]
pub struct VariablePlasticity {
    synapse: SynapseModel,
    params: VariablePlasticityParams,
}

/// A fixed point (w*, η*) of the coupled system with its flow-form linearisation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VariablePlasticityFixedPoint {
    /// The weight w*.
    pub w: f64,
    /// η* = η_min + 1/(η_max − d(w*)).
    pub eta: f64,
    /// The flow Jacobian at (w*, η*), row-major [[∂ẇ/∂w, ∂ẇ/∂η], [∂η̇/∂w, ∂η̇/∂η]].
    pub jacobian: [f64; 4],
    /// Its eigenvalues (flow form: stable when every real part is negative).
    pub eigenvalues: Vec<Eigenvalue>,
}

/// Latency grid bracketing the roots of the coupled drift along the spike branch.
const ROOT_SCAN_POINTS: usize = 4_096;

impl VariablePlasticity {
    /// Validates: η_min ≥ 0, τ_d > 0, ε finite, and η_max above the largest drive the weights
    /// can reach ([`VariablePlasticity::drive_bound`]).
    pub fn new(synapse: SynapseModel, params: VariablePlasticityParams) -> Result<Self> {
        require_non_negative("eta_min", params.eta_min)?;
        require_finite("eta_max", params.eta_max)?;
        require_positive("tau_d", params.tau_d)?;
        require_finite("epsilon", params.epsilon)?;
        let system = Self { synapse, params };
        let (bound, why) = system.drive_bound();
        if params.eta_max <= bound {
            return Err(Error::invalid(
                "eta_max",
                params.eta_max,
                &format!("> the largest reachable drive {bound} ({why})"),
            ));
        }
        Ok(system)
    }

    /// The synapse model.
    pub fn synapse(&self) -> &SynapseModel {
        &self.synapse
    }

    /// The variable-plasticity parameters.
    pub fn params(&self) -> &VariablePlasticityParams {
        &self.params
    }

    /// The largest drive the weights can reach, and why: window drive |S| < A+; weight drive
    /// under soft bounds (μ > 0) w_max, which the potentiation factor (w_max − w)^μ stops at;
    /// under the additive rule the weights have no upper bound, so only the largest fixed point
    /// is certain to be reached (an orbit above it is caught by the blow-up check at run time).
    pub fn drive_bound(&self) -> (f64, &'static str) {
        let p = self.synapse.params();
        match self.params.drive {
            Drive::Window => (p.a_plus, "drive = |S(Δt)| < A+"),
            Drive::Weight if p.mu > 0.0 => {
                (p.w_max, "drive = w, bounded by w_max under soft bounds")
            }
            Drive::Weight => (
                self.synapse
                    .fixed_points()
                    .iter()
                    .map(|fp| fp.w)
                    .fold(self.synapse.w_c(), f64::max),
                "drive = w, at least the largest fixed point (or w_c) under the additive rule",
            ),
        }
    }

    /// Attribution drift g(w) = S(x*(w)) = A+ e^{−x*/τ} and g'(w) = −(g/τ) dx*/dw (MODEL.md §6
    /// in the 1:1 reduction). None at and below w_c (no post spike).
    pub fn attribution(&self, w: f64) -> Option<(f64, f64)> {
        let timing = self.synapse.timing();
        let latency = timing.spike_time_ms(w)?;
        let dlatency_dw = timing.dspike_dw(w)?;
        let p = self.synapse.params();
        let g = p.a_plus * (-latency / p.tau_ms).exp();
        Some((g, -g / p.tau_ms * dlatency_dw))
    }

    /// The drive d(w) and d'(w).
    pub fn drive(&self, w: f64) -> (f64, f64) {
        match self.params.drive {
            Drive::Weight => (w, 1.0),
            Drive::Window => self.attribution(w).map_or((0.0, 0.0), |(g, dg)| {
                // S > 0 on the causal side, so |S| = S when A+ ≥ 0.
                (g, dg)
            }),
        }
    }

    /// The rate the drive sustains: η_min + 1/(η_max − d(w)), the η-nullcline. None when
    /// d(w) ≥ η_max (blow-up).
    pub fn eta_nullcline(&self, w: f64) -> Option<f64> {
        let gap = self.params.eta_max - self.drive(w).0;
        (gap > 0.0).then(|| self.params.eta_min + 1.0 / gap)
    }

    /// ẇ = η F(w) + ε g(w) with ∂/∂w and ∂/∂η; all 0 where the post neuron is silent.
    pub fn weight_rate(&self, w: f64, eta: f64) -> [f64; 3] {
        let Some((drift, slope)) = self.synapse.drift_and_slope(w) else {
            return [0.0; 3];
        };
        let (g, dg) = if self.params.epsilon == 0.0 {
            (0.0, 0.0)
        } else {
            self.attribution(w).unwrap_or((0.0, 0.0))
        };
        let eps = self.params.epsilon;
        [eta * drift + eps * g, eta * slope + eps * dg, drift]
    }

    /// η̇ = (−(η − η_min) + 1/(η_max − d))/τ_d with ∂/∂w and ∂/∂η. None when d ≥ η_max.
    pub fn eta_rate(&self, w: f64, eta: f64) -> Option<[f64; 3]> {
        let (d, dd) = self.drive(w);
        let gap = self.params.eta_max - d;
        if gap.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            return None;
        }
        let tau_d = self.params.tau_d;
        let rate = (-(eta - self.params.eta_min) + 1.0 / gap) / tau_d;
        // d/dw of 1/(η_max − d(w)) is +d'(w)/(η_max − d)²: the sign the poster prints negative.
        Some([rate, dd / (tau_d * gap * gap), -1.0 / tau_d])
    }

    /// Analytic flow Jacobian at (w, η), row-major; None when the drive has reached η_max.
    pub fn flow_jacobian(&self, w: f64, eta: f64) -> Option<[f64; 4]> {
        let [_, dw_dw, dw_deta] = self.weight_rate(w, eta);
        let [_, deta_dw, deta_deta] = self.eta_rate(w, eta)?;
        Some([dw_dw, dw_deta, deta_dw, deta_deta])
    }

    /// The fixed points w* ≥ w_c with η* on the η-nullcline, by increasing w: roots of
    /// G(w) = η*(w) F(w) + ε g(w) bracketed on a latency grid over the spike branch (0, τ_m]
    /// and bisected to adjacent doubles. With ε = 0 these are the synapse's fixed points.
    pub fn fixed_points(&self) -> Result<Vec<VariablePlasticityFixedPoint>> {
        let tau_m = self.synapse.params().tau_m_ms;
        // G along the spike branch; NaN where undefined (the fold x = τ_m itself, blow-up).
        let residual = |x: f64| {
            let w = self.synapse.weight_at_latency(x);
            let attribution = match self.params.epsilon {
                0.0 => Some(0.0),
                eps => self.attribution(w).map(|(g, _)| eps * g),
            };
            match (self.eta_nullcline(w), self.synapse.drift(w), attribution) {
                (Some(eta), Some(drift), Some(attribution)) => eta * drift + attribution,
                _ => f64::NAN,
            }
        };
        let step = tau_m / ROOT_SCAN_POINTS as f64;
        let roots = crate::analysis::roots::scan_roots(&residual, step, (1, ROOT_SCAN_POINTS - 1));
        roots
            .into_iter()
            .map(|x| self.linearise_at(self.synapse.weight_at_latency(x)))
            .collect()
    }

    fn linearise_at(&self, w: f64) -> Result<VariablePlasticityFixedPoint> {
        let undefined = || Error::Undefined {
            what: format!("the coupled fixed point at w = {w}"),
            why: "the drive there reaches eta_max".into(),
        };
        let eta = self.eta_nullcline(w).ok_or_else(undefined)?;
        let jacobian = self.flow_jacobian(w, eta).ok_or_else(undefined)?;
        Ok(VariablePlasticityFixedPoint {
            w,
            eta,
            jacobian,
            eigenvalues: eigenvalues(&jacobian, 2)?,
        })
    }

    /// A default start: just above the stable synapse fixed point (as for the 1:1 map), with η
    /// on its nullcline. Falls back to w_c·1.5 when the drive there is out of range.
    pub fn default_start(&self) -> Vec<f64> {
        let w = crate::model::synapse_map::start(&self.synapse);
        let eta = self
            .eta_nullcline(w)
            .unwrap_or(self.params.eta_min + 1.0 / self.params.eta_max);
        vec![w, eta]
    }

    /// Status of a state: blown up when the drive has reached η_max or η is +∞; diverged when
    /// non-finite or escaped; absorbed when the post neuron is silent (w < w_c: w frozen, η
    /// relaxes); else ok.
    pub fn classify(&self, x: &[f64]) -> OrbitStatus {
        let (w, eta) = (x[0], x[1]);
        if w.is_finite() && (self.drive(w).0 >= self.params.eta_max || eta == f64::INFINITY) {
            return OrbitStatus::BlownUp;
        }
        match crate::analysis::system::default_classify(x) {
            OrbitStatus::Ok if w < self.synapse.w_c() => OrbitStatus::Absorbed,
            status => status,
        }
    }
}

/// Map form: the Euler step of the flow with step h (periods); h = 1 is MODEL.md §4's map
/// with η replaced by the synapse's own rate. With flipping, a weight whose sign changes gets
/// η reset to 0.
#[derive(Debug, Clone, Copy)]
pub struct VariablePlasticityMap {
    /// The coupled system.
    pub system: VariablePlasticity,
    /// Step h in presynaptic periods.
    pub h: f64,
}

impl VariablePlasticityMap {
    /// Validated constructor (h > 0).
    pub fn new(system: VariablePlasticity, h: f64) -> Result<Self> {
        Ok(Self {
            system,
            h: require_positive("h", h)?,
        })
    }
}

impl Map for VariablePlasticityMap {
    fn dim(&self) -> usize {
        2
    }

    /// w' = w + h ẇ, η' = η + h η̇ (η' = +∞ when the drive has reached η_max; η' = 0 after a
    /// flip).
    fn step(&self, x: &[f64], out: &mut [f64]) {
        let (w, eta) = (x[0], x[1]);
        let w_next = w + self.h * self.system.weight_rate(w, eta)[0];
        let eta_next = match self.system.eta_rate(w, eta) {
            Some([rate, ..]) => eta + self.h * rate,
            None => f64::INFINITY,
        };
        let flipped = self.system.params.flipping
            && w != 0.0
            && w_next.is_finite()
            && (w_next == 0.0 || w_next.signum() != w.signum());
        out[0] = w_next;
        out[1] = if flipped { 0.0 } else { eta_next };
    }

    /// I + h J_flow (analytic; a flip makes the map discontinuous and is ignored here).
    fn jacobian(&self, x: &[f64], out: &mut [f64]) {
        match self.system.flow_jacobian(x[0], x[1]) {
            Some(j) => {
                out[0] = 1.0 + self.h * j[0];
                out[1] = self.h * j[1];
                out[2] = self.h * j[2];
                out[3] = 1.0 + self.h * j[3];
            }
            None => out.fill(f64::NAN),
        }
    }

    fn classify(&self, x: &[f64]) -> OrbitStatus {
        self.system.classify(x)
    }

    fn is_smooth(&self) -> bool {
        !self.system.params.flipping
    }
}

/// Flow form (no flipping: that is a discrete event of the map form).
#[derive(Debug, Clone, Copy)]
pub struct VariablePlasticityFlow {
    /// The coupled system.
    pub system: VariablePlasticity,
}

impl Flow for VariablePlasticityFlow {
    fn dim(&self) -> usize {
        2
    }

    /// (ẇ, η̇); η̇ = +∞ once the drive has reached η_max.
    fn rhs(&self, x: &[f64], out: &mut [f64]) {
        out[0] = self.system.weight_rate(x[0], x[1])[0];
        out[1] = self
            .system
            .eta_rate(x[0], x[1])
            .map_or(f64::INFINITY, |r| r[0]);
    }

    fn jacobian(&self, x: &[f64], out: &mut [f64]) {
        match self.system.flow_jacobian(x[0], x[1]) {
            Some(j) => out.copy_from_slice(&j),
            None => out.fill(f64::NAN),
        }
    }

    fn classify(&self, x: &[f64]) -> OrbitStatus {
        self.system.classify(x)
    }
}

#[cfg(test)]
mod tests;
