//! Preset `noise-mesonet`: the poster's small MesoNet networks (its Figures 13 and 15) —
//! `inputs` current-based LIF neurons driven by Gaussian-noise currents (NETWORKS.md §1) →
//! `layers` layers (1 or 2) of `--neurons` current-based LIF neurons (3 by default), all to
//! all, every projection learning by the MesoNet rule ([`crate::sim::plasticity::MesoStdp`]:
//! triplet STDP with variable plasticity, flipping and triangulated attribution, the switches
//! and names of preset `mesonet`).
//!
//! Readings fixed here where the poster is silent (it gives no sizes, rates or constants):
//! - The noise drives the input neurons only: charge N(μ dt, σ² dt) per step
//!   (`noise_mean` μ, `noise_sigma` σ, in units of the threshold per ms), so σ sets how often
//!   and how irregularly the inputs fire, and the layers see only spikes.
//! - One sample is `sample_ms` of activity from rest (neurons, traces, no spike in flight),
//!   its noise drawn from the sample's stream: with a fixed stream a sample is a
//!   deterministic function of the learning state, as the learning map requires (the
//!   poster's "500 timesteps" are 500 samples).
//! - Initial weights U(`w_init_low`, `w_init_high`) from the seed, delays 0; a synapse of
//!   weight w delivers the charge `charge` · w (MODEL.md §1), so a negative (flipped) weight
//!   inhibits.
//! - Attribution acts inside each projection on its own (the rule sees one layer of incoming
//!   synapses, as in `mesonet`); a path through both layers is not searched.

use super::mesonet::params::{deserialize_flat, largest_drive, serialize_flat};
use super::MechanismParams;
use crate::error::{require_finite, require_non_negative, require_positive, Error, Result};
use crate::model::lif::LifParams;
use crate::sim::learner::{stream_seed, Learner, Response};
use crate::sim::monitors::SpikeCounts;
use crate::sim::network::{Monitor, Network, Source};
use crate::sim::plasticity::MesoEvents;
use crate::sim::presentation::present_from_rest;
use crate::sim::{
    CurrentLifGroup, GaussianNoise, InputGroup, InputKind, NeuronGroup, Rule, Synapses,
    TripletStdp, Var,
};
use rand::{RngExt, SeedableRng};

/// The network's own parameters (the mechanisms' are [`MechanismParams`]).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoiseNetParams {
    /// Noise-driven input neurons.
    pub inputs: f64,
    /// Layers of `--neurons` neurons after the inputs: 1 or 2.
    pub layers: f64,
    /// Mean μ of the noise current: a charge N(μ dt, σ² dt) per step holds an input neuron's
    /// V at μ on average (threshold units).
    pub noise_mean: f64,
    /// Standard deviation σ of the noise current (per √ms): V fluctuates with standard
    /// deviation σ / √(2 (τ_m + τ_s)) around μ.
    pub noise_sigma: f64,
    /// Length of one sample (ms), from rest.
    pub sample_ms: f64,
    /// Step (ms).
    pub dt_ms: f64,
    /// Membrane time constant τ_m (ms), every neuron.
    pub tau_m: f64,
    /// Synaptic time constant τ_s (ms).
    pub tau_s: f64,
    /// Threshold θ (rest and reset at 0).
    pub theta: f64,
    /// Refractory period (ms).
    pub refractory_ms: f64,
    /// Charge delivered per unit weight by one spike onto a layer neuron.
    pub charge: f64,
    /// Triplet rule: presynaptic (depression) rate ν_pre.
    pub nu_pre: f64,
    /// Triplet rule: postsynaptic (potentiation) rate ν_post.
    pub nu_post: f64,
    /// Weights are clipped to [0, w_max] ([−w_max, w_max] with flipping).
    pub w_max: f64,
    /// Presynaptic trace time constant (ms).
    pub tau_pre_ms: f64,
    /// First postsynaptic trace time constant (ms).
    pub tau_post1_ms: f64,
    /// Second (triplet) postsynaptic trace time constant (ms).
    pub tau_post2_ms: f64,
    /// Initial weights are drawn uniformly from [w_init_low, w_init_high].
    pub w_init_low: f64,
    /// See `w_init_low`.
    pub w_init_high: f64,
}

impl Default for NoiseNetParams {
    /// τ_m = 20 ms, τ_s = 5 ms, θ = 1; μ = 0.8 holds an input at V = 0.8 θ on average, so it
    /// fires by fluctuations (σ = 2: V's standard deviation 0.28 θ, about 7 Hz); 10 inputs
    /// of weight 0.5 and charge 20 then drive a layer neuron at a few to 20 Hz (measured:
    /// 5 / 18 / 37 Hz at σ = 1.5 / 2 / 2.5). The triplet rule's rates are 10× (ν_pre) and
    /// 2× (ν_post) Diehl & Cook's, so that a few hundred samples of 100 ms move the weights.
    fn default() -> Self {
        Self {
            inputs: 10.0,
            layers: 1.0,
            noise_mean: 0.8,
            noise_sigma: 2.0,
            sample_ms: 100.0,
            dt_ms: 0.5,
            tau_m: 20.0,
            tau_s: 5.0,
            theta: 1.0,
            refractory_ms: 2.0,
            charge: 20.0,
            nu_pre: 1e-3,
            nu_post: 2e-2,
            w_max: 1.0,
            tau_pre_ms: 20.0,
            tau_post1_ms: 20.0,
            tau_post2_ms: 40.0,
            w_init_low: 0.2,
            w_init_high: 0.8,
        }
    }
}

impl NoiseNetParams {
    fn validate(&self) -> Result<()> {
        if !(1.0..=1e4).contains(&self.inputs) || self.inputs.fract() != 0.0 {
            return Err(Error::invalid(
                "inputs",
                self.inputs,
                "a whole number in 1..=10000",
            ));
        }
        if ![1.0, 2.0].contains(&self.layers) {
            return Err(Error::invalid("layers", self.layers, "1 or 2"));
        }
        for (name, v) in [
            ("sample_ms", self.sample_ms),
            ("dt_ms", self.dt_ms),
            ("tau_m", self.tau_m),
            ("tau_s", self.tau_s),
            ("theta", self.theta),
            ("w_max", self.w_max),
            ("tau_pre_ms", self.tau_pre_ms),
            ("tau_post1_ms", self.tau_post1_ms),
            ("tau_post2_ms", self.tau_post2_ms),
        ] {
            require_positive(name, v)?;
        }
        for (name, v) in [
            ("noise_sigma", self.noise_sigma),
            ("refractory_ms", self.refractory_ms),
            ("nu_pre", self.nu_pre),
            ("nu_post", self.nu_post),
        ] {
            require_non_negative(name, v)?;
        }
        require_finite("noise_mean", self.noise_mean)?;
        require_finite("charge", self.charge)?;
        if self.dt_ms > self.sample_ms || self.sample_ms / self.dt_ms > 1e7 {
            return Err(Error::invalid(
                "dt_ms",
                self.dt_ms,
                "in [sample_ms / 1e7, sample_ms]",
            ));
        }
        if !(0.0 <= self.w_init_low
            && self.w_init_low <= self.w_init_high
            && self.w_init_high <= self.w_max)
        {
            return Err(Error::invalid(
                "w_init_high",
                self.w_init_high,
                &format!(
                    "0 <= w_init_low = {} <= w_init_high <= w_max = {}",
                    self.w_init_low, self.w_max
                ),
            ));
        }
        Ok(())
    }

    fn stdp(&self) -> TripletStdp {
        TripletStdp::new(
            self.nu_pre,
            self.nu_post,
            (0.0, self.w_max),
            self.dt_ms,
            [self.tau_pre_ms, self.tau_post1_ms, self.tau_post2_ms],
        )
    }
}

/// Every parameter of the preset, one flat list of `--set` names.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NoiseMesoNetParams {
    /// The network's.
    pub network: NoiseNetParams,
    /// The mechanisms' (defaults of `mesonet`, latency τ_m = the neurons' τ_m).
    pub mechanisms: MechanismParams,
}

impl serde::Serialize for NoiseMesoNetParams {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        serialize_flat(&self.network, &self.mechanisms, s)
    }
}

impl<'de> serde::Deserialize<'de> for NoiseMesoNetParams {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let (network, mechanisms) = deserialize_flat(d)?;
        Ok(Self {
            network,
            mechanisms,
        })
    }
}

impl NoiseMesoNetParams {
    /// Sets one parameter by name; unknown names list the valid ones.
    pub fn set(&mut self, name: &str, value: f64) -> Result<()> {
        super::set_by_name(self, "noise-mesonet", name, value)
    }

    /// Checks every value's domain.
    pub fn validate(&self) -> Result<()> {
        self.network.validate()?;
        let stdp = self.network.stdp();
        self.mechanisms
            .validate(|drive| largest_drive(&stdp, drive))
    }

    /// The rule of every projection (validated parameters).
    pub fn rule(&self) -> Rule {
        Rule::Meso(
            self.mechanisms
                .rule(self.network.stdp(), self.network.dt_ms),
        )
    }
}

/// The network.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NoiseMesoNet {
    /// The parameters.
    pub params: NoiseMesoNetParams,
    /// The network: group 0 the inputs, then the layers.
    pub network: Network,
    /// The spike-count monitor of the last layer.
    pub counts: usize,
}

impl NoiseMesoNet {
    /// `width` neurons per layer; initial weights from `seed`.
    pub fn new(params: NoiseMesoNetParams, width: usize, seed: u64) -> Result<Self> {
        params.validate()?;
        if width == 0 || width > 10_000 {
            return Err(Error::invalid("neurons", width as f64, "in 1..=10000"));
        }
        let p = params.network;
        let n_in = p.inputs as usize;
        let mut net = Network::new(p.dt_ms)?;
        let lif = LifParams::new(p.tau_m, p.tau_s, 0.0, 0.0, p.theta, p.refractory_ms)?;
        let inputs = net.add_group(NeuronGroup::CurrentLif(CurrentLifGroup::new(
            lif, n_in, p.dt_ms, None,
        )?));
        net.add_input(InputGroup::new(
            n_in,
            InputKind::Noise {
                noise: GaussianNoise::new(p.noise_mean, p.noise_sigma)?,
                target: inputs,
            },
        ));
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(stream_seed(&[seed, 0]));
        let (mut source, mut n_pre) = (inputs, n_in);
        for layer in 0..p.layers as usize {
            let group = CurrentLifGroup::new(lif, width, p.dt_ms, None)?.with_gain(p.charge)?;
            let target = net.add_group(NeuronGroup::CurrentLif(group));
            let w: Vec<f64> = (0..n_pre * width)
                .map(|_| p.w_init_low + (p.w_init_high - p.w_init_low) * rng.random::<f64>())
                .collect();
            net.connect(
                &format!("layer {layer}→layer {}", layer + 1),
                Source::Group(source),
                (target, Var::Charge),
                Synapses::dense(n_pre, width, w, vec![0; n_pre * width])?,
                Some(params.rule()),
            )?;
            (source, n_pre) = (target, width);
        }
        let counts = net.add_monitor(Monitor::SpikeCounts {
            group: source,
            counts: SpikeCounts::new(width),
        });
        Ok(Self {
            params,
            network: net,
            counts,
        })
    }

    /// What the rule counted over every projection (drives that reached η_max, flips,
    /// attributions).
    pub fn events(&self) -> MesoEvents {
        self.network.plasticity_events().unwrap_or_default()
    }
}

impl Learner for NoiseMesoNet {
    fn preset(&self) -> &'static str {
        "noise-mesonet"
    }

    fn input_shape(&self) -> Option<(usize, usize, usize)> {
        None
    }

    fn outputs(&self) -> usize {
        self.network.groups.last().map_or(0, |g| g.len())
    }

    /// From rest, `sample_ms` of noise-driven activity drawn from `stream` (the sample is not
    /// used).
    fn present(&mut self, _sample: &[u8], learn: bool, stream: u64) -> Response {
        let p = self.params.network;
        let steps = (p.sample_ms / p.dt_ms).round() as u32;
        present_from_rest(&mut self.network, &[], steps, (learn, stream), self.counts)
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

    /// The weights onto each neuron of the last layer from the layer before it (the inputs
    /// with one layer).
    fn receptive_fields(&self) -> Option<Vec<Vec<f64>>> {
        Some(
            self.network
                .incoming_weights(self.network.projections.len() - 1),
        )
    }

    fn weight_bounds(&self) -> (f64, f64) {
        let w_max = self.params.network.w_max;
        if super::checks::switch("flipping", self.params.mechanisms.flipping).expect("validated") {
            (-w_max, w_max)
        } else {
            (0.0, w_max)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(set: &[(&str, f64)]) -> NoiseMesoNet {
        let mut p = NoiseMesoNetParams::default();
        for (k, v) in set {
            p.set(k, *v).unwrap();
        }
        NoiseMesoNet::new(p, 3, 1).unwrap()
    }

    #[test]
    fn noise_drives_every_layer_and_the_rule_learns() {
        for layers in [1.0, 2.0] {
            let mut n = net(&[("layers", layers)]);
            let before = n.plastic_state();
            let mut spikes = 0;
            for k in 0..20 {
                spikes += n
                    .present(&[], true, stream_seed(&[5, k]))
                    .counts
                    .iter()
                    .sum::<u32>();
            }
            assert!(spikes > 20, "layers = {layers}: {spikes} output spikes");
            let after = n.plastic_state();
            assert_ne!(before, after, "layers = {layers}");
            assert!(n.events().attributions > 0, "layers = {layers}");
        }
    }

    #[test]
    fn without_noise_nothing_fires_and_eta_relaxes_as_in_closed_form_across_samples() {
        let mut n = net(&[("noise_sigma", 0.0), ("noise_mean", 0.0)]);
        let before = n.plastic_state();
        for stream in [3, 4] {
            assert_eq!(n.present(&[], true, stream).counts, vec![0; 3]);
        }
        // The weights stay; η relaxes towards η_min + 1/(η_max − w) from its start
        // η_min + 1/η_max over both samples (2 × 100 ms; each sample restarts the clock).
        let after = n.plastic_state();
        let synapses = n.network.projections[0].synapses.w.len();
        assert_eq!(before[..synapses], after[..synapses]);
        let (eta_min, eta_max, tau_d) = (0.5, 2.0, 350.0);
        for (k, &w) in before[..synapses].iter().enumerate() {
            let rest = eta_min + 1.0 / (eta_max - w);
            let eta0 = eta_min + 1.0 / eta_max;
            let expected = rest + (eta0 - rest) * (-200.0_f64 / tau_d).exp();
            let eta = after[synapses + k];
            assert!(
                (eta - expected).abs() < 1e-12,
                "synapse {k}: {eta} vs {expected}"
            );
        }
    }

    #[test]
    fn a_sample_is_a_function_of_the_learning_state_and_the_stream() {
        let mut a = net(&[("layers", 2.0)]);
        let mut b = a.clone();
        a.present(&[], true, 11);
        let state = a.plastic_state();
        let (ra, rb) = (a.present(&[], true, 12), {
            b.set_plastic_state(&state).unwrap();
            b.present(&[], true, 12)
        });
        assert_eq!(ra, rb);
        assert_eq!(a.plastic_state(), b.plastic_state());
    }

    #[test]
    fn bad_values_name_their_field() {
        let mut p = NoiseMesoNetParams::default();
        p.set("layers", 3.0).unwrap();
        assert!(p.validate().unwrap_err().to_string().contains("layers"));
        let mut p = NoiseMesoNetParams::default();
        p.set("eta_max", 0.5).unwrap();
        assert!(p.validate().unwrap_err().to_string().contains("eta_max"));
        let mut p = NoiseMesoNetParams::default();
        p.set("w_init_high", 2.0).unwrap();
        assert!(p
            .validate()
            .unwrap_err()
            .to_string()
            .contains("w_init_high"));
        assert!(NoiseMesoNetParams::default()
            .set("nonsense", 1.0)
            .unwrap_err()
            .to_string()
            .contains("noise_sigma"));
    }
}
