//! Preset `pair`: the poster's 1:1 connection (its Figure 5) in the simulator — the reduced
//! synapse map of MODEL.md §4 run as a network.
//!
//! One presynaptic neuron fires with period T onto one current-based LIF neuron with τ_s = τ_m,
//! so that one input spike of weight w gives the alpha kernel w k x e^{−x/τ_m} of MODEL.md §2
//! (charge w k τ_m² per spike). The weight learns by pair STDP with nearest-neighbour pairing
//! at exact spike times and the soft bounds of MODEL.md §3, amplitudes η A±. One sample is one
//! period: the presynaptic spike at its start, then T of simulation. Readings fixed here where
//! MODEL.md leaves a choice, each so that a period is what the reduced map assumes: the
//! postsynaptic neuron starts every period at rest (otherwise the kernel's tail, e^{−T/τ_m} of
//! the current, would shorten the next latency below x*(w)) and is refractory for
//! `refractory_ms` after a spike (5 ms by default: it fires once per period and is free again
//! before the next presynaptic spike); the STDP traces carry over, so each presynaptic spike
//! pairs with the previous period's postsynaptic spike (Δt = −(T − x*)); weights are clipped to
//! [0, w_max]; a presynaptic spike acts from the end of its step (exact on the step grid).

use crate::error::{require_positive, Error, Result};
use crate::model::lif::LifParams;
use crate::model::stdp::SoftBounds;
use crate::sim::learner::{Learner, Response};
use crate::sim::monitors::SpikeCounts;
use crate::sim::network::{Monitor, Network, Source};
use crate::sim::{
    CurrentLifGroup, InputGroup, InputKind, NeuronGroup, PairStdp, PeriodicInput, Rule, Synapses,
    Var,
};

/// Every parameter of the preset, by its MODEL.md §4 name (the §4 soft-bound example).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairParams {
    /// Presynaptic period T (ms).
    #[serde(rename = "T")]
    pub t_ms: f64,
    /// Potentiation amplitude A+.
    pub a_plus: f64,
    /// Depression amplitude A−.
    pub a_minus: f64,
    /// STDP time constant τ = τ+ = τ− (ms).
    pub tau: f64,
    /// Soft-bound upper weight.
    pub w_max: f64,
    /// Soft-bound exponent (0 additive, 1 multiplicative).
    pub mu: f64,
    /// Firing threshold θ.
    pub theta: f64,
    /// Kernel gain k.
    pub k: f64,
    /// Membrane time constant τ_m = τ_s (ms).
    pub tau_m: f64,
    /// Learning rate η.
    pub eta: f64,
    /// Initial weight.
    pub w_init: f64,
    /// Refractory period of the postsynaptic neuron (ms); must stay below T.
    pub refractory_ms: f64,
    /// Simulation step (ms).
    pub dt_ms: f64,
}

impl Default for PairParams {
    fn default() -> Self {
        Self {
            t_ms: 6.0,
            a_plus: 1.0,
            a_minus: 1.0,
            tau: 2.0,
            w_max: 3.0,
            mu: 1.0,
            theta: 1.0,
            k: 1.0,
            tau_m: 2.0,
            eta: 0.01,
            w_init: 2.5,
            refractory_ms: 5.0,
            dt_ms: 0.1,
        }
    }
}

impl PairParams {
    /// Sets one parameter by name; unknown names list the valid ones.
    pub fn set(&mut self, name: &str, value: f64) -> Result<()> {
        super::set_by_name(self, "pair", name, value)
    }

    /// Checks every value's domain.
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("T", self.t_ms),
            ("tau", self.tau),
            ("w_max", self.w_max),
            ("theta", self.theta),
            ("k", self.k),
            ("tau_m", self.tau_m),
            ("dt_ms", self.dt_ms),
        ] {
            require_positive(name, v)?;
        }
        for (name, v) in [
            ("a_plus", self.a_plus),
            ("a_minus", self.a_minus),
            ("mu", self.mu),
            ("eta", self.eta),
            ("w_init", self.w_init),
            ("refractory_ms", self.refractory_ms),
        ] {
            crate::error::require_non_negative(name, v)?;
        }
        if self.refractory_ms >= self.t_ms {
            return Err(Error::invalid(
                "refractory_ms",
                self.refractory_ms,
                &format!(
                    "< T = {} (the neuron must be free at the next presynaptic spike)",
                    self.t_ms
                ),
            ));
        }
        if self.w_init > self.w_max {
            return Err(Error::invalid(
                "w_init",
                self.w_init,
                &format!("<= w_max = {}", self.w_max),
            ));
        }
        let steps = self.t_ms / self.dt_ms;
        if !(1.0..=1e7).contains(&steps) {
            return Err(Error::invalid("dt_ms", self.dt_ms, "between T/1e7 and T"));
        }
        SoftBounds::new(self.mu, self.w_max)?;
        Ok(())
    }
}

/// The pair network.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Pair {
    /// The parameters.
    pub params: PairParams,
    /// The network.
    pub network: Network,
    /// The spike-count monitor of the postsynaptic neuron.
    pub counts: usize,
}

impl Pair {
    /// Builds the network.
    pub fn new(params: PairParams) -> Result<Self> {
        let p = params;
        p.validate()?;
        let mut net = Network::new(p.dt_ms)?;
        let pre = net.add_input(InputGroup::new(
            1,
            InputKind::Periodic(PeriodicInput::new(p.t_ms, vec![0.0])?),
        ));
        let lif = LifParams::new(p.tau_m, p.tau_m, 0.0, 0.0, p.theta, p.refractory_ms)?;
        // Charge w k τ_m² per spike of weight w: the PSP is the poster's kernel (MODEL.md §2).
        let gain = p.k * p.tau_m * p.tau_m;
        let post = net.add_group(NeuronGroup::CurrentLif(
            CurrentLifGroup::new(lif, 1, p.dt_ms, None)?.with_gain(gain)?,
        ));
        let rule = PairStdp {
            a_plus: p.eta * p.a_plus,
            a_minus: p.eta * p.a_minus,
            tau_plus_ms: p.tau,
            tau_minus_ms: p.tau,
            bounds: SoftBounds::new(p.mu, p.w_max)?,
            w_min: 0.0,
            w_max: p.w_max,
        };
        net.connect(
            "pre→post",
            Source::Input(pre),
            (post, Var::Charge),
            Synapses::from_list(1, 1, vec![(0, 0, p.w_init, 0)])?,
            Some(Rule::Pair(rule)),
        )?;
        let counts = net.add_monitor(Monitor::SpikeCounts {
            group: post,
            counts: SpikeCounts::new(1),
        });
        Ok(Self {
            params: p,
            network: net,
            counts,
        })
    }

    /// The synapse's weight.
    pub fn weight(&self) -> f64 {
        self.network.projections[0].synapses.w[0]
    }
}

impl Learner for Pair {
    fn preset(&self) -> &'static str {
        "pair"
    }

    fn input_shape(&self) -> Option<(usize, usize, usize)> {
        None
    }

    fn outputs(&self) -> usize {
        1
    }

    /// One period: the presynaptic spike at its start, then T of simulation. The sample and
    /// the stream are not used (the input is deterministic).
    fn present(&mut self, _sample: &[u8], learn: bool, stream: u64) -> Response {
        use rand::SeedableRng;
        let steps = (self.params.t_ms / self.params.dt_ms).round() as u32;
        let dt = self.network.dt_ms;
        let mut unused = rand_chacha::ChaCha8Rng::seed_from_u64(stream);
        self.network.inputs[0].present(&[], steps, dt, &mut unused);
        self.network.groups[0].rest();
        self.network.reset_counts(self.counts);
        self.network.run(steps, learn);
        Response {
            counts: self.network.counts(self.counts).to_vec(),
            presentations: 1,
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::synapse_map::{SynapseModel, SynapseParams};

    #[test]
    fn one_period_moves_the_weight_by_eta_f_of_the_reduced_map() {
        // Two periods from w0: the second one pairs its pre spike with the first period's post
        // spike, as the reduced map's F(w) does; the weight change per period is η F(w) up to
        // O(η²) (the updates of one period use the weight of the same period).
        let model = SynapseModel::new(SynapseParams::default()).unwrap();
        for w0 in [1.8, 2.2, 2.9] {
            for eta in [1e-3, 1e-4] {
                let p = PairParams {
                    eta,
                    w_init: w0,
                    ..Default::default()
                };
                let mut pair = Pair::new(p).unwrap();
                pair.present(&[], true, 0);
                let w1 = pair.weight();
                pair.present(&[], true, 0);
                let step = pair.weight() - w1;
                let expected = eta * model.drift(w1).unwrap();
                assert!(
                    (step - expected).abs() < 20.0 * eta * eta,
                    "w0 {w0}, η {eta}: {step} vs {expected}"
                );
            }
        }
    }

    #[test]
    fn the_post_neuron_fires_once_per_period_x_star_after_the_pre_spike() {
        let model = SynapseModel::new(SynapseParams::default()).unwrap();
        let p = PairParams {
            eta: 0.0,
            ..Default::default()
        };
        let mut pair = Pair::new(p).unwrap();
        for _ in 0..3 {
            assert_eq!(pair.present(&[], true, 0).counts, vec![1]);
        }
        // The last post spike, from the end of the first step of the third period.
        let last_post = pair.network.projections[0]
            .plastic
            .as_ref()
            .unwrap()
            .traces
            .a[0];
        let x_star = model.timing().spike_time_ms(p.w_init).unwrap();
        assert!(
            (last_post - (2.0 * p.t_ms + p.dt_ms) - x_star).abs() < 1e-9,
            "{last_post}"
        );
        assert!(PairParams {
            refractory_ms: 6.0,
            ..p
        }
        .validate()
        .is_err());
    }
}
