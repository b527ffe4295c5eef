//! Preset `poisson-layer`: n_in Poisson inputs → m current-based LIF neurons, all-to-all, pair STDP
//! with soft bounds (MODEL.md §3) — the small network whose learning map the spectrum analysis
//! of MODEL.md §7 differentiates. Every sample starts from rest (neurons, traces, no spike in
//! flight) and shows the inputs at `rate_hz` for `duration_ms`, drawn from the sample's stream;
//! with a fixed stream, a presentation is a deterministic function of the weights (common
//! random numbers).

use crate::error::{require_non_negative, require_positive, Error, Result};
use crate::model::lif::LifParams;
use crate::model::stdp::SoftBounds;
use crate::sim::learner::{Learner, Response};
use crate::sim::monitors::SpikeCounts;
use crate::sim::network::{Monitor, Network, Source};
use crate::sim::presentation::present_from_rest;
use crate::sim::{
    CurrentLifGroup, InputGroup, InputKind, NeuronGroup, PairStdp, Rule, Synapses, Var,
};

/// Every parameter of the preset.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoissonLayerParams {
    /// Inputs n_in.
    pub inputs: f64,
    /// Input rate (Hz).
    pub rate_hz: f64,
    /// Presentation length (ms).
    pub duration_ms: f64,
    /// Step (ms).
    pub dt_ms: f64,
    /// Charge delivered per unit weight by one input spike.
    pub charge: f64,
    /// Membrane time constant τ_m (ms); also τ± of the pair rule.
    pub tau_m: f64,
    /// Synaptic time constant τ_s (ms).
    pub tau_s: f64,
    /// Firing threshold θ.
    pub theta: f64,
    /// Refractory period (ms).
    pub refractory_ms: f64,
    /// Pair-rule amplitudes A+ = A− = eta.
    pub eta: f64,
    /// Soft-bound exponent μ.
    pub mu: f64,
    /// Soft-bound (and clip) upper weight.
    pub w_max: f64,
    /// Initial weight of every synapse.
    pub w_init: f64,
}

impl Default for PoissonLayerParams {
    fn default() -> Self {
        Self {
            inputs: 50.0,
            rate_hz: 40.0,
            duration_ms: 100.0,
            dt_ms: 0.5,
            charge: 8.0,
            tau_m: 2.0,
            tau_s: 1.0,
            theta: 1.0,
            refractory_ms: 2.0,
            eta: 0.01,
            mu: 1.0,
            w_max: 3.0,
            w_init: 1.0,
        }
    }
}

impl PoissonLayerParams {
    /// Sets one parameter by name.
    pub fn set(&mut self, name: &str, value: f64) -> Result<()> {
        super::set_by_name(self, "poisson-layer", name, value)
    }

    /// Checks every value's domain.
    pub fn validate(&self) -> Result<()> {
        if self.inputs < 1.0 || self.inputs.fract() != 0.0 || self.inputs > 1e6 {
            return Err(Error::invalid(
                "inputs",
                self.inputs,
                "a whole number in 1..=1e6",
            ));
        }
        for (name, v) in [
            ("duration_ms", self.duration_ms),
            ("dt_ms", self.dt_ms),
            ("tau_m", self.tau_m),
            ("tau_s", self.tau_s),
            ("theta", self.theta),
            ("w_max", self.w_max),
        ] {
            require_positive(name, v)?;
        }
        for (name, v) in [
            ("rate_hz", self.rate_hz),
            ("refractory_ms", self.refractory_ms),
            ("eta", self.eta),
            ("mu", self.mu),
            ("w_init", self.w_init),
        ] {
            require_non_negative(name, v)?;
        }
        crate::error::require_finite("charge", self.charge)?;
        if self.duration_ms / self.dt_ms > 1e7 {
            return Err(Error::invalid(
                "dt_ms",
                self.dt_ms,
                "at least duration_ms / 1e7",
            ));
        }
        Ok(())
    }
}

/// The layer network.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PoissonLayer {
    /// The parameters.
    pub params: PoissonLayerParams,
    /// The network.
    pub network: Network,
    /// The spike-count monitor of the layer.
    pub counts: usize,
}

impl PoissonLayer {
    /// `posts` neurons.
    pub fn new(params: PoissonLayerParams, posts: usize) -> Result<Self> {
        let p = params;
        p.validate()?;
        if posts == 0 {
            return Err(Error::invalid("neurons", 0.0, ">= 1"));
        }
        let n_in = p.inputs as usize;
        let mut net = Network::new(p.dt_ms)?;
        let input = net.add_input(InputGroup::new(n_in, InputKind::Poisson));
        let lif = LifParams::new(p.tau_m, p.tau_s, 0.0, 0.0, p.theta, p.refractory_ms)?;
        let group = CurrentLifGroup::new(lif, posts, p.dt_ms, None)?.with_gain(p.charge)?;
        let post = net.add_group(NeuronGroup::CurrentLif(group));
        let rule = PairStdp {
            a_plus: p.eta,
            a_minus: p.eta,
            tau_plus_ms: p.tau_m,
            tau_minus_ms: p.tau_m,
            bounds: SoftBounds::new(p.mu, p.w_max)?,
            w_min: 0.0,
            w_max: p.w_max,
        };
        let w = vec![p.w_init; n_in * posts];
        net.connect(
            "input→layer",
            Source::Input(input),
            (post, Var::Charge),
            Synapses::dense(n_in, posts, w, vec![0; n_in * posts])?,
            Some(Rule::Pair(rule)),
        )?;
        let counts = net.add_monitor(Monitor::SpikeCounts {
            group: post,
            counts: SpikeCounts::new(posts),
        });
        Ok(Self {
            params: p,
            network: net,
            counts,
        })
    }
}

impl Learner for PoissonLayer {
    fn preset(&self) -> &'static str {
        "poisson-layer"
    }

    fn input_shape(&self) -> Option<(usize, usize, usize)> {
        None
    }

    fn outputs(&self) -> usize {
        self.network.groups[0].len()
    }

    /// From rest, the inputs at `rate_hz` for `duration_ms`, drawn from `stream` (the sample
    /// is not used).
    fn present(&mut self, _sample: &[u8], learn: bool, stream: u64) -> Response {
        let p = self.params;
        let steps = (p.duration_ms / p.dt_ms).round() as u32;
        let rates = vec![p.rate_hz; p.inputs as usize];
        present_from_rest(
            &mut self.network,
            &rates,
            steps,
            (learn, stream),
            self.counts,
        )
    }

    fn network(&self) -> &Network {
        &self.network
    }

    fn network_mut(&mut self) -> &mut Network {
        &mut self.network
    }

    fn set_plastic_state(&mut self, x: &[f64]) -> Result<()> {
        self.network.set_plastic_state(x)
    }

    fn weight_bounds(&self) -> (f64, f64) {
        (0.0, self.params.w_max)
    }
}
