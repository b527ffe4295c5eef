//! Preset `diehl-cook`: the unsupervised STDP network of Diehl & Cook (2015) with the values of
//! their reference code (NETWORKS.md §2), every one a named parameter overridable by
//! `--set name=value`.
//!
//! 784 Poisson inputs → N conductance-based excitatory neurons with adaptive thresholds
//! (all-to-all, per-synapse delays U(0, 10) ms, triplet STDP, weights in [0, 1]) → N inhibitory
//! neurons one-to-one (10.4) → back to every other excitatory neuron (17.0): a soft
//! winner-take-all. Each sample: 350 ms of input, then 150 ms of rest; fewer than 5 excitatory
//! spikes → intensity + 1 and the sample is shown again. Refractoriness: 5 ms (exc) and 2 ms
//! (inh), as the paper states (not the 50 ms block of one port).

use crate::error::{Error, Result};
use crate::sim::plasticity::TripletStdp;
use crate::sim::{ConductanceGroup, ConductanceParams, DelayedDense, PoissonInput};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Smallest time step (ms).
pub const MIN_DT_MS: f64 = 1e-3;
/// Longest input presentation or rest (ms).
pub const MAX_PHASE_MS: f64 = 1e6;
/// Most extra presentations per sample.
pub const MAX_RETRIES: f64 = 1000.0;

/// Every parameter of the preset (NETWORKS.md §2), by the name `--set` uses.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiehlCookParams {
    /// Time step (ms).
    pub dt_ms: f64,
    /// Input presentation per sample (ms).
    pub input_ms: f64,
    /// Rest after each presentation (ms).
    pub rest_ms: f64,
    /// Initial input intensity: rate = pixel / rate_divisor × intensity (Hz).
    pub intensity: f64,
    /// Intensity increase when a presentation gives too few spikes.
    pub intensity_step: f64,
    /// Pixel divisor of the rate (pixel 255 at intensity 2 → 63.75 Hz).
    pub rate_divisor: f64,
    /// Fewer excitatory spikes than this → show the sample again, brighter.
    pub min_spikes: f64,
    /// At most this many extra presentations per sample.
    pub max_retries: f64,
    /// Excitatory resting potential (mV).
    pub exc_v_rest: f64,
    /// Excitatory reset (mV).
    pub exc_v_reset: f64,
    /// Excitatory threshold before the adaptive part (mV).
    pub exc_v_thresh: f64,
    /// Excitatory refractory period (ms).
    pub exc_refractory_ms: f64,
    /// Excitatory membrane time constant (ms).
    pub exc_tau_ms: f64,
    /// Excitatory reversal potential seen by excitatory neurons (mV).
    pub exc_e_exc: f64,
    /// Inhibitory reversal potential seen by excitatory neurons (mV).
    pub exc_e_inh: f64,
    /// Initial adaptive threshold θ (mV).
    pub theta_init: f64,
    /// θ increment per spike (mV).
    pub theta_plus: f64,
    /// θ decay time constant (ms).
    pub tau_theta_ms: f64,
    /// Offset in the threshold test v > θ − offset + v_thresh (mV).
    pub theta_offset: f64,
    /// Inhibitory resting potential (mV).
    pub inh_v_rest: f64,
    /// Inhibitory reset (mV).
    pub inh_v_reset: f64,
    /// Inhibitory threshold (mV).
    pub inh_v_thresh: f64,
    /// Inhibitory refractory period (ms).
    pub inh_refractory_ms: f64,
    /// Inhibitory membrane time constant (ms).
    pub inh_tau_ms: f64,
    /// Excitatory reversal potential seen by inhibitory neurons (mV).
    pub inh_e_exc: f64,
    /// Inhibitory reversal potential seen by inhibitory neurons (mV).
    pub inh_e_inh: f64,
    /// Excitatory conductance time constant (ms).
    pub tau_ge_ms: f64,
    /// Inhibitory conductance time constant (ms).
    pub tau_gi_ms: f64,
    /// Initial v relative to v_rest (mV).
    pub v_init_offset: f64,
    /// Excitatory → inhibitory weight (one-to-one).
    pub w_exc_inh: f64,
    /// Inhibitory → excitatory weight (all but self).
    pub w_inh_exc: f64,
    /// Upper clip of the input weights (lower clip 0).
    pub w_max: f64,
    /// Initial input weights: (U(0,1) + w_init_offset) × w_init_scale.
    pub w_init_scale: f64,
    /// See `w_init_scale`.
    pub w_init_offset: f64,
    /// Input delays U(0, delay_max_ms).
    pub delay_max_ms: f64,
    /// Presynaptic trace time constant (ms).
    pub tau_pre_ms: f64,
    /// Fast postsynaptic trace time constant (ms).
    pub tau_post1_ms: f64,
    /// Slow postsynaptic trace time constant (ms).
    pub tau_post2_ms: f64,
    /// Depression rate at presynaptic arrivals.
    pub nu_pre: f64,
    /// Potentiation rate at postsynaptic spikes.
    pub nu_post: f64,
    /// Each excitatory neuron's input weights are rescaled to sum to this before each sample.
    pub weight_sum: f64,
    /// 0: exact exponential decay factors for the conductances and θ (default); 1: forward
    /// Euler, the integrator of the Brian ports of the reference code (see
    /// `ConductanceParams::euler_conductances`). Measured, 100 neurons, one pass over 60k
    /// MNIST images, seed 0: exact 79.4 % / 81.8 % (all-activity / proportion), Euler 62.6 % /
    /// 68.4 % with 2.2 presentations per sample. 400 neurons, Euler: 88.4 % / 89.7 % with 1.03
    /// presentations per sample (the exact-decay 400-neuron run is still to be measured).
    pub euler_conductances: f64,
}

impl Default for DiehlCookParams {
    fn default() -> Self {
        Self {
            dt_ms: 0.5,
            input_ms: 350.0,
            rest_ms: 150.0,
            intensity: 2.0,
            intensity_step: 1.0,
            rate_divisor: 8.0,
            min_spikes: 5.0,
            max_retries: 20.0,
            exc_v_rest: -65.0,
            exc_v_reset: -65.0,
            exc_v_thresh: -52.0,
            exc_refractory_ms: 5.0,
            exc_tau_ms: 100.0,
            exc_e_exc: 0.0,
            exc_e_inh: -100.0,
            theta_init: 20.0,
            theta_plus: 0.05,
            tau_theta_ms: 1e7,
            theta_offset: 20.0,
            inh_v_rest: -60.0,
            inh_v_reset: -45.0,
            inh_v_thresh: -40.0,
            inh_refractory_ms: 2.0,
            inh_tau_ms: 10.0,
            inh_e_exc: 0.0,
            inh_e_inh: -85.0,
            tau_ge_ms: 1.0,
            tau_gi_ms: 2.0,
            v_init_offset: -40.0,
            w_exc_inh: 10.4,
            w_inh_exc: 17.0,
            w_max: 1.0,
            w_init_scale: 0.3,
            w_init_offset: 0.01,
            delay_max_ms: 10.0,
            tau_pre_ms: 20.0,
            tau_post1_ms: 20.0,
            tau_post2_ms: 40.0,
            nu_pre: 1e-4,
            nu_post: 1e-2,
            weight_sum: 78.0,
            euler_conductances: 0.0,
        }
    }
}

impl DiehlCookParams {
    /// Sets one parameter by name; unknown names list the valid ones.
    pub fn set(&mut self, name: &str, value: f64) -> Result<()> {
        crate::error::require_finite(name, value)?;
        let mut map = match serde_json::to_value(*self).expect("plain struct") {
            serde_json::Value::Object(m) => m,
            _ => unreachable!("a struct serialises to an object"),
        };
        if !map.contains_key(name) {
            return Err(Error::UnknownParameter {
                name: name.to_string(),
                system: "preset diehl-cook".into(),
                valid: map.keys().cloned().collect::<Vec<_>>().join(", "),
            });
        }
        map.insert(name.to_string(), serde_json::json!(value));
        *self = serde_json::from_value(serde_json::Value::Object(map)).expect("same fields");
        Ok(())
    }

    /// Checks every value's domain.
    pub fn validate(&self) -> Result<()> {
        use crate::error::{require_non_negative, require_positive};
        for (name, v) in [
            ("dt_ms", self.dt_ms),
            ("input_ms", self.input_ms),
            ("rate_divisor", self.rate_divisor),
            ("tau_pre_ms", self.tau_pre_ms),
            ("tau_post1_ms", self.tau_post1_ms),
            ("tau_post2_ms", self.tau_post2_ms),
            ("w_max", self.w_max),
            ("weight_sum", self.weight_sum),
        ] {
            require_positive(name, v)?;
        }
        for (name, v) in [
            ("rest_ms", self.rest_ms),
            ("intensity", self.intensity),
            ("intensity_step", self.intensity_step),
            ("min_spikes", self.min_spikes),
            ("max_retries", self.max_retries),
            ("w_exc_inh", self.w_exc_inh),
            ("w_inh_exc", self.w_inh_exc),
            ("w_init_scale", self.w_init_scale),
            ("w_init_offset", self.w_init_offset),
            ("delay_max_ms", self.delay_max_ms),
            ("nu_pre", self.nu_pre),
            ("nu_post", self.nu_post),
        ] {
            require_non_negative(name, v)?;
        }
        // Steps shorter than a microsecond resolve nothing these time constants (>= 1 ms) do
        // not, and would make one sample take billions of steps.
        if self.dt_ms < MIN_DT_MS || self.dt_ms > self.input_ms {
            return Err(Error::invalid(
                "dt_ms",
                self.dt_ms,
                &format!("in [{MIN_DT_MS}, input_ms = {}] ms", self.input_ms),
            ));
        }
        for (name, v) in [("input_ms", self.input_ms), ("rest_ms", self.rest_ms)] {
            if v > MAX_PHASE_MS {
                return Err(Error::invalid(name, v, &format!("<= {MAX_PHASE_MS} ms")));
            }
        }
        if self.max_retries > MAX_RETRIES || self.max_retries.fract() != 0.0 {
            return Err(Error::invalid(
                "max_retries",
                self.max_retries,
                &format!("a whole number <= {MAX_RETRIES}"),
            ));
        }
        let euler = (self.euler_conductances - 1.0).abs() == 0.0;
        if !euler && self.euler_conductances != 0.0 {
            return Err(Error::invalid(
                "euler_conductances",
                self.euler_conductances,
                "0 or 1",
            ));
        }
        if euler {
            // Forward Euler of a decay is stable and sign-preserving only for dt <= τ.
            for (name, tau) in [("tau_ge_ms", self.tau_ge_ms), ("tau_gi_ms", self.tau_gi_ms)] {
                if tau < self.dt_ms {
                    return Err(Error::invalid(
                        name,
                        tau,
                        &format!(">= dt_ms = {} with euler_conductances = 1", self.dt_ms),
                    ));
                }
            }
        }
        let max_delay_ms = (u16::MAX as f64 - 2.0) * self.dt_ms;
        if self.delay_max_ms > max_delay_ms {
            return Err(Error::invalid(
                "delay_max_ms",
                self.delay_max_ms,
                &format!(
                    "<= 65533 steps of dt_ms = {} ({max_delay_ms} ms)",
                    self.dt_ms
                ),
            ));
        }
        for (name, v) in [
            ("exc_v_rest", self.exc_v_rest),
            ("exc_v_reset", self.exc_v_reset),
            ("exc_v_thresh", self.exc_v_thresh),
            ("exc_e_exc", self.exc_e_exc),
            ("exc_e_inh", self.exc_e_inh),
            ("theta_init", self.theta_init),
            ("theta_plus", self.theta_plus),
            ("theta_offset", self.theta_offset),
            ("inh_v_rest", self.inh_v_rest),
            ("inh_v_reset", self.inh_v_reset),
            ("inh_v_thresh", self.inh_v_thresh),
            ("inh_e_exc", self.inh_e_exc),
            ("inh_e_inh", self.inh_e_inh),
            ("v_init_offset", self.v_init_offset),
        ] {
            crate::error::require_finite(name, v)?;
        }
        for (name, v) in [
            ("exc_tau_ms", self.exc_tau_ms),
            ("inh_tau_ms", self.inh_tau_ms),
            ("tau_ge_ms", self.tau_ge_ms),
            ("tau_gi_ms", self.tau_gi_ms),
            ("tau_theta_ms", self.tau_theta_ms),
        ] {
            require_positive(name, v)?;
        }
        for (name, v) in [
            ("exc_refractory_ms", self.exc_refractory_ms),
            ("inh_refractory_ms", self.inh_refractory_ms),
        ] {
            require_non_negative(name, v)?;
        }
        Ok(())
    }

    /// The excitatory group's parameters.
    pub fn excitatory(&self) -> ConductanceParams {
        ConductanceParams {
            v_rest_mv: self.exc_v_rest,
            v_reset_mv: self.exc_v_reset,
            v_thresh_mv: self.exc_v_thresh,
            tau_ms: self.exc_tau_ms,
            refractory_ms: self.exc_refractory_ms,
            e_exc_mv: self.exc_e_exc,
            e_inh_mv: self.exc_e_inh,
            tau_ge_ms: self.tau_ge_ms,
            tau_gi_ms: self.tau_gi_ms,
            theta_plus_mv: self.theta_plus,
            tau_theta_ms: self.tau_theta_ms,
            theta_init_mv: self.theta_init,
            theta_offset_mv: self.theta_offset,
            v_init_offset_mv: self.v_init_offset,
            euler_conductances: self.euler_conductances > 0.5,
        }
    }

    /// The inhibitory group's parameters (no adaptive threshold).
    pub fn inhibitory(&self) -> ConductanceParams {
        ConductanceParams {
            v_rest_mv: self.inh_v_rest,
            v_reset_mv: self.inh_v_reset,
            v_thresh_mv: self.inh_v_thresh,
            tau_ms: self.inh_tau_ms,
            refractory_ms: self.inh_refractory_ms,
            e_exc_mv: self.inh_e_exc,
            e_inh_mv: self.inh_e_inh,
            tau_ge_ms: self.tau_ge_ms,
            tau_gi_ms: self.tau_gi_ms,
            theta_plus_mv: 0.0,
            tau_theta_ms: 1.0,
            theta_init_mv: 0.0,
            theta_offset_mv: 0.0,
            v_init_offset_mv: self.v_init_offset,
            euler_conductances: self.euler_conductances > 0.5,
        }
    }

    fn rule(&self) -> TripletStdp {
        TripletStdp {
            nu_pre: self.nu_pre,
            nu_post: self.nu_post,
            w_min: 0.0,
            w_max: self.w_max,
        }
    }
}

/// A random stream's seed from the run seed and the work item's coordinates (SplitMix64
/// finaliser over the parts), so results never depend on which thread runs the item.
pub fn stream_seed(parts: &[u64]) -> u64 {
    let mut h: u64 = 0x9E37_79B9_7F4A_7C15;
    for &p in parts {
        h ^= p
            .wrapping_add(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(h << 6)
            .wrapping_add(h >> 2);
        let mut z = h;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        h = z ^ (z >> 31);
    }
    h
}

/// Number of input pixels (28 × 28).
pub const N_INPUT: usize = 784;

/// What one sample produced.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SampleResponse {
    /// Excitatory spike counts during the (last) input presentation.
    pub counts: Vec<u32>,
    /// Presentations needed (1 + retries).
    pub presentations: u32,
    /// Intensity of the last presentation.
    pub intensity: f64,
}

/// The network's whole state (serialisable for checkpoints).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DiehlCook {
    /// The parameters.
    pub params: DiehlCookParams,
    /// Input → excitatory projection (weights, delays, presynaptic arrivals).
    pub input: DelayedDense,
    /// Excitatory group.
    pub exc: ConductanceGroup,
    /// Inhibitory group.
    pub inh: ConductanceGroup,
    /// Fast postsynaptic traces of the excitatory neurons.
    pub post1: Vec<f64>,
    /// Slow postsynaptic traces of the excitatory neurons.
    pub post2: Vec<f64>,
    /// Global step counter (time = step × dt).
    pub step: i64,
    /// Synaptic events delivered so far (input → exc arrivals, exc → inh, inh → exc).
    pub synaptic_events: u64,
    #[serde(skip)]
    scratch: Scratch,
}

/// Per-step constants of [`DiehlCook::tick`], derived from the parameters once per sample.
struct TickConstants {
    /// e^{−dt/τ_post1}.
    post1_decay: f64,
    /// e^{−dt/τ_post2}.
    post2_decay: f64,
    /// −dt/τ_pre: the presynaptic trace is e^{(steps since arrival)·pre_decay_log}.
    pre_decay_log: f64,
    rule: TripletStdp,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Scratch {
    poisson: PoissonInput,
    rates: Vec<f64>,
    exc_spikes: Vec<usize>,
    inh_spikes: Vec<usize>,
    sums: Vec<f64>,
}

impl DiehlCook {
    /// Builds a network of `neurons` excitatory (and as many inhibitory) neurons; initial
    /// weights and delays come from the stream (seed, 0).
    pub fn new(params: DiehlCookParams, neurons: usize, seed: u64) -> Result<Self> {
        params.validate()?;
        if neurons == 0 {
            return Err(Error::invalid("neurons", 0.0, ">= 1"));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(stream_seed(&[seed, 0]));
        let synapses = N_INPUT * neurons;
        let w: Vec<f64> = (0..synapses)
            .map(|_| (rng.random::<f64>() + params.w_init_offset) * params.w_init_scale)
            .collect();
        let delay_steps: Vec<u16> = (0..synapses)
            .map(|_| (rng.random::<f64>() * params.delay_max_ms / params.dt_ms).round() as u16)
            .collect();
        Ok(Self {
            params,
            input: DelayedDense::new(N_INPUT, neurons, w, delay_steps),
            exc: ConductanceGroup::new(params.excitatory(), neurons, params.dt_ms),
            inh: ConductanceGroup::new(params.inhibitory(), neurons, params.dt_ms),
            post1: vec![0.0; neurons],
            post2: vec![0.0; neurons],
            step: 0,
            synaptic_events: 0,
            scratch: Scratch::default(),
        })
    }

    /// Checks a deserialised network of `neurons` excitatory neurons (a checkpoint is input):
    /// its parameters as strictly as `--set`, then every size, index and delay.
    pub fn check(&self, neurons: usize) -> std::result::Result<(), String> {
        self.params
            .validate()
            .map_err(|e| format!("network.params: {e}"))?;
        let max_delay = (self.params.delay_max_ms / self.params.dt_ms).round() as usize;
        self.input
            .check("network.input", N_INPUT, neurons, max_delay)?;
        self.exc.check("network.exc", neurons)?;
        self.inh.check("network.inh", neurons)?;
        for (field, values) in [("post1", &self.post1), ("post2", &self.post2)] {
            if values.len() != neurons {
                return Err(format!(
                    "network.{field} has {} entries, expected {neurons}",
                    values.len()
                ));
            }
        }
        Ok(())
    }

    /// Restores derived state after deserialising a checkpoint.
    pub fn prepare(&mut self) {
        self.input.prepare();
        self.exc.prepare(self.params.dt_ms);
        self.inh.prepare(self.params.dt_ms);
    }

    /// Number of excitatory neurons.
    pub fn neurons(&self) -> usize {
        self.exc.len()
    }

    /// Presents one image (784 pixels, 0-255) with the intensity retry. With `learn`, STDP,
    /// θ adaptation and weight normalisation are on. Each presentation's Poisson input comes
    /// from the stream (`stream`, attempt).
    pub fn present(&mut self, image: &[u8], learn: bool, stream: u64) -> SampleResponse {
        let p = self.params;
        let input_steps = (p.input_ms / p.dt_ms).round() as u32;
        let rest_steps = (p.rest_ms / p.dt_ms).round() as u32;
        let mut intensity = p.intensity;
        let mut counts = vec![0u32; self.neurons()];
        let mut attempt = 0u32;
        let constants = TickConstants {
            post1_decay: (-p.dt_ms / p.tau_post1_ms).exp(),
            post2_decay: (-p.dt_ms / p.tau_post2_ms).exp(),
            pre_decay_log: -p.dt_ms / p.tau_pre_ms,
            rule: p.rule(),
        };
        loop {
            if learn {
                let sums = &mut self.scratch.sums;
                self.input.normalize_columns(p.weight_sum, sums);
            }
            let rates = &mut self.scratch.rates;
            rates.clear();
            rates.extend(
                image
                    .iter()
                    .map(|&px| px as f64 / p.rate_divisor * intensity),
            );
            let mut rng = ChaCha8Rng::seed_from_u64(stream_seed(&[stream, attempt as u64]));
            let mut poisson = std::mem::take(&mut self.scratch.poisson);
            poisson.draw(&self.scratch.rates, input_steps, p.dt_ms, &mut rng);
            counts.iter_mut().for_each(|c| *c = 0);
            let mut next_event = 0;
            for s in 0..input_steps {
                let start = next_event;
                while next_event < poisson.events.len() && poisson.events[next_event].0 == s {
                    next_event += 1;
                }
                self.tick(
                    &constants,
                    &poisson.events[start..next_event],
                    learn,
                    Some(&mut counts),
                );
            }
            self.scratch.poisson = poisson;
            for _ in 0..rest_steps {
                self.tick(&constants, &[], learn, None);
            }
            let total: u32 = counts.iter().sum();
            if total as f64 >= p.min_spikes || attempt as f64 >= p.max_retries {
                return SampleResponse {
                    counts,
                    presentations: attempt + 1,
                    intensity,
                };
            }
            attempt += 1;
            intensity += p.intensity_step;
        }
    }

    /// One time step: groups update and fire, then synapses propagate (Brian2's schedule).
    fn tick(
        &mut self,
        c: &TickConstants,
        input_spikes: &[(u32, u32)],
        learn: bool,
        counts: Option<&mut [u32]>,
    ) {
        let p = self.params;
        let step = self.step;
        let mut exc_spikes = std::mem::take(&mut self.scratch.exc_spikes);
        let mut inh_spikes = std::mem::take(&mut self.scratch.inh_spikes);
        exc_spikes.clear();
        inh_spikes.clear();
        self.exc.step(learn, &mut exc_spikes);
        self.inh.step(false, &mut inh_spikes);
        self.post1.iter_mut().for_each(|x| *x *= c.post1_decay);
        self.post2.iter_mut().for_each(|x| *x *= c.post2_decay);

        for &(_, i) in input_spikes {
            self.input.emit(step, i);
        }
        self.input.deliver(
            step,
            &mut self.exc.ge,
            &self.post1,
            learn.then_some(&c.rule),
            &mut self.synaptic_events,
        );
        for &j in &exc_spikes {
            self.inh.ge[j] += p.w_exc_inh;
            if learn {
                self.input
                    .on_post_spike(j, step, c.pre_decay_log, self.post2[j], &c.rule);
            }
            self.post1[j] = 1.0;
            self.post2[j] = 1.0;
        }
        self.synaptic_events += exc_spikes.len() as u64;
        if let Some(counts) = counts {
            exc_spikes.iter().for_each(|&j| counts[j] += 1);
        }
        let n = self.neurons();
        for &k in &inh_spikes {
            for (j, gi) in self.exc.gi.iter_mut().enumerate() {
                if j != k {
                    *gi += p.w_inh_exc;
                }
            }
        }
        self.synaptic_events += (inh_spikes.len() * n.saturating_sub(1)) as u64;
        self.scratch.exc_spikes = exc_spikes;
        self.scratch.inh_spikes = inh_spikes;
        self.step += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_names_and_rejects_unknown_parameters() {
        let mut p = DiehlCookParams::default();
        p.set("nu_post", 0.02).unwrap();
        assert!((p.nu_post - 0.02).abs() < 1e-18);
        let e = p.set("nu_postt", 1.0).unwrap_err().to_string();
        assert!(e.contains("nu_postt") && e.contains("nu_post"), "{e}");
        p.set("exc_tau_ms", -1.0).unwrap();
        let e = p.validate().unwrap_err().to_string();
        assert!(e.contains("exc_tau") && e.contains("-1"), "{e}");
    }

    #[test]
    fn initial_weights_and_delays_follow_the_preset() {
        let net = DiehlCook::new(DiehlCookParams::default(), 10, 3).unwrap();
        let w = &net.input.w;
        assert!(w.iter().all(|&x| (0.003..=0.303).contains(&x)));
        let mean = w.iter().sum::<f64>() / w.len() as f64;
        // E[(U + 0.01)·0.3] = 0.153; standard error ≈ 0.087/√7840 ≈ 0.001.
        assert!((mean - 0.153).abs() < 0.005, "{mean}");
        assert!(net.input.delay_steps.iter().all(|&d| d <= 20));
        // Rows are stored in delay order; (i, j) access still finds each synapse.
        let mut rng = ChaCha8Rng::seed_from_u64(stream_seed(&[3, 0]));
        let first: f64 = (rng.random::<f64>() + 0.01) * 0.3;
        assert!((net.input.weight(0, 0) - first).abs() < 1e-15);
        assert!(DiehlCook::new(DiehlCookParams::default(), 0, 3).is_err());
    }

    #[test]
    fn a_blank_image_retries_with_rising_intensity_and_a_bright_one_makes_spikes() {
        let mut net = DiehlCook::new(DiehlCookParams::default(), 20, 1).unwrap();
        let blank = vec![0u8; N_INPUT];
        let r = net.present(&blank, true, 9);
        assert_eq!(r.presentations, 21, "max_retries 20 → 21 presentations");
        assert!(r.counts.iter().all(|&c| c == 0));
        let bright = vec![255u8; N_INPUT];
        let r = net.present(&bright, true, 10);
        assert!(r.counts.iter().sum::<u32>() >= 5, "{:?}", r.counts);
        assert!(net.synaptic_events > 0);
    }

    #[test]
    fn same_stream_gives_identical_state() {
        let image: Vec<u8> = (0..N_INPUT).map(|i| (i * 7 % 256) as u8).collect();
        let run = || {
            let mut net = DiehlCook::new(DiehlCookParams::default(), 16, 5).unwrap();
            for s in 0..3 {
                net.present(&image, true, s);
            }
            net
        };
        let (a, b) = (run(), run());
        assert_eq!(a.input.w, b.input.w);
        assert_eq!(a.exc.theta, b.exc.theta);
    }
}
