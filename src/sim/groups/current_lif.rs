//! A group of current-based LIF neurons integrated exactly between events (MODEL.md §1):
//! `τ_m dV/dt = −(V − V_rest) + I`, `τ_s dI/dt = −I + Σ w δ(t − t_k)`, with an optional adaptive
//! threshold θ_i = θ + a_i (a_i += θ_plus at each spike, decaying with τ_θ) and refractoriness.
//!
//! Every neuron shares one [`Propagator`]; spike times are located inside the step on the
//! analytic trajectory ([`LifNeuron::step_each_with_threshold`]), so results do not depend on
//! the step beyond the input's own timing. Owns the group's state only: inputs and synapses
//! deliver charges through [`CurrentLifGroup::receive`].

use crate::error::{require_non_negative, require_positive, Error, Result};
use crate::model::lif::{LifNeuron, LifParams, Propagator};
use crate::sim::decay::{decay_all, FLOOR};

/// Adaptive threshold: a_i += `theta_plus` at each spike of neuron i, then a_i decays with
/// `tau_theta_ms`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Adaptation {
    /// Increment per spike (voltage units).
    pub theta_plus: f64,
    /// Decay time constant of the increment (ms).
    pub tau_theta_ms: f64,
}

/// N current-based LIF neurons.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CurrentLifGroup {
    params: LifParams,
    neurons: Vec<LifNeuron>,
    adaptation: Option<Adaptation>,
    /// Adaptive part a_i of each threshold.
    theta_adapt: Vec<f64>,
    /// Charges delivered to each neuron since its last step (applied at the next step's start:
    /// no time passes in between).
    input: Vec<f64>,
    /// Charge per unit of delivered weight (1 unless set with [`CurrentLifGroup::with_gain`]).
    #[serde(default = "unit_gain")]
    gain: f64,
    #[serde(skip)]
    derived: Option<Derived>,
}

fn unit_gain() -> f64 {
    1.0
}

/// Per-step constants rebuilt by [`CurrentLifGroup::prepare`].
#[derive(Debug, Clone, Copy, PartialEq)]
struct Derived {
    propagator: Propagator,
    /// e^{−dt/τ_θ}.
    theta_decay: f64,
}

impl CurrentLifGroup {
    /// `n` neurons at rest with the given parameters and step `dt_ms`.
    pub fn new(
        params: LifParams,
        n: usize,
        dt_ms: f64,
        adaptation: Option<Adaptation>,
    ) -> Result<Self> {
        if n == 0 {
            return Err(Error::invalid("neurons", 0.0, ">= 1"));
        }
        let mut group = Self {
            params,
            neurons: vec![LifNeuron::at_rest(&params); n],
            adaptation,
            theta_adapt: vec![0.0; n],
            input: vec![0.0; n],
            gain: 1.0,
            derived: None,
        };
        group.prepare(dt_ms)?;
        Ok(group)
    }

    /// (Re)builds the per-step constants for step `dt_ms` (after deserialising).
    pub fn prepare(&mut self, dt_ms: f64) -> Result<()> {
        self.params.validate()?;
        let propagator = Propagator::new(&self.params, dt_ms)?;
        let theta_decay = match self.adaptation {
            Some(a) => {
                require_non_negative("theta_plus", a.theta_plus)?;
                (-dt_ms / require_positive("tau_theta", a.tau_theta_ms)?).exp()
            }
            None => 1.0,
        };
        self.derived = Some(Derived {
            propagator,
            theta_decay,
        });
        Ok(())
    }

    /// Checks a deserialised group of `n` neurons: sizes and finite state.
    pub fn check(&self, name: &str, n: usize) -> std::result::Result<(), String> {
        self.params
            .validate()
            .map_err(|e| format!("{name}.params: {e}"))?;
        for (field, len) in [
            ("neurons", self.neurons.len()),
            ("theta_adapt", self.theta_adapt.len()),
            ("input", self.input.len()),
        ] {
            if len != n {
                return Err(format!("{name}.{field} has {len} entries, expected {n}"));
            }
        }
        if !self.gain.is_finite() {
            return Err(format!("{name}.gain = {} is not finite", self.gain));
        }
        let finite = self
            .neurons
            .iter()
            .all(|x| x.v.is_finite() && x.i.is_finite() && x.refractory_left_ms.is_finite())
            && self
                .theta_adapt
                .iter()
                .chain(&self.input)
                .all(|v| v.is_finite());
        if !finite {
            return Err(format!("{name}: a state value is not finite"));
        }
        Ok(())
    }

    /// The same group with `gain` charge per unit of delivered weight (a synapse of weight w
    /// then delivers the charge gain·w).
    pub fn with_gain(mut self, gain: f64) -> Result<Self> {
        self.gain = crate::error::require_finite("gain", gain)?;
        Ok(self)
    }

    /// The neurons' parameters.
    pub fn params(&self) -> &LifParams {
        &self.params
    }

    /// A group of neurons `range` of this one (same parameters, a copy of their state), for a
    /// thread to step on its own.
    pub fn extract(&self, range: std::ops::Range<usize>) -> Self {
        Self {
            params: self.params,
            neurons: self.neurons[range.clone()].to_vec(),
            adaptation: self.adaptation,
            theta_adapt: self.theta_adapt[range.clone()].to_vec(),
            input: self.input[range].to_vec(),
            gain: self.gain,
            derived: self.derived,
        }
    }

    /// Writes back the state of `part`, extracted from neurons `first..` (see
    /// [`CurrentLifGroup::extract`]).
    pub fn restore(&mut self, first: usize, part: &Self) {
        let range = first..first + part.len();
        self.neurons[range.clone()].copy_from_slice(&part.neurons);
        self.theta_adapt[range.clone()].copy_from_slice(&part.theta_adapt);
        self.input[range].copy_from_slice(&part.input);
    }

    /// Number of neurons.
    pub fn len(&self) -> usize {
        self.neurons.len()
    }

    /// True when the group has no neuron (never, after construction).
    pub fn is_empty(&self) -> bool {
        self.neurons.is_empty()
    }

    /// State of neuron `j`.
    pub fn neuron(&self, j: usize) -> &LifNeuron {
        &self.neurons[j]
    }

    /// Adaptive threshold part a_j.
    pub fn theta_adapt(&self, j: usize) -> f64 {
        self.theta_adapt[j]
    }

    /// Takes over `old`'s neuron states, adaptation and pending input (same size), keeping its
    /// own parameters.
    pub fn adopt_state(&mut self, old: &CurrentLifGroup) {
        self.neurons = old.neurons.clone();
        self.theta_adapt = old.theta_adapt.clone();
        self.input = old.input.clone();
    }

    /// Appends V, I and the pending charge of every neuron (see
    /// [`crate::sim::NeuronGroup::hidden_state`]).
    pub fn hidden_state(&self, out: &mut Vec<f64>) {
        out.extend(self.neurons.iter().map(|x| x.v));
        out.extend(self.neurons.iter().map(|x| x.i));
        out.extend_from_slice(&self.input);
    }

    /// Writes V, I and the pending charges laid out as [`CurrentLifGroup::hidden_state`].
    pub fn set_hidden_state(&mut self, h: &[f64]) {
        let n = self.neurons.len();
        for (k, x) in self.neurons.iter_mut().enumerate() {
            x.v = h[k];
            x.i = h[n + k];
        }
        self.input.copy_from_slice(&h[2 * n..3 * n]);
    }

    /// True when the threshold adapts.
    pub fn adaptive(&self) -> bool {
        self.adaptation.is_some()
    }

    /// Writes the adaptive threshold parts a_j.
    pub fn set_theta_adapt(&mut self, values: &[f64]) {
        self.theta_adapt.copy_from_slice(values);
    }

    /// Every neuron back at rest, with no pending input and no adaptation.
    pub fn reset(&mut self) {
        let rest = LifNeuron::at_rest(&self.params);
        self.neurons.iter_mut().for_each(|x| *x = rest);
        self.input.fill(0.0);
        self.theta_adapt.fill(0.0);
    }

    /// An input spike of weight `q` onto neuron `j`, acting from the start of the next step:
    /// I_j ← I_j + q/τ_s.
    pub fn receive(&mut self, j: usize, q: f64) {
        self.input[j] += q;
    }

    /// The charges pending for the next step, one per neuron (where synapses deliver).
    pub fn input_mut(&mut self) -> &mut [f64] {
        &mut self.input
    }

    /// Advances every neuron by one step; pushes `(neuron, time within the step in ms)` for
    /// every spike into `spikes` (cleared first), in neuron order. With `adapt`, the adaptive
    /// thresholds decay and grow at spikes; without, they are frozen.
    pub fn step(&mut self, adapt: bool, spikes: &mut Vec<(usize, f64)>) {
        spikes.clear();
        let d = self
            .derived
            .expect("prepare() is called by new() and after loading");
        let (params, gain) = (self.params, self.gain);
        for (neuron, q) in self.neurons.iter_mut().zip(self.input.iter_mut()) {
            if *q != 0.0 {
                neuron.receive(&params, gain * *q);
                *q = 0.0;
            }
        }
        let theta = params.theta();
        for (j, neuron) in self.neurons.iter_mut().enumerate() {
            let threshold = theta + self.theta_adapt[j];
            neuron.step_each_with_threshold(&d.propagator, threshold, |s| spikes.push((j, s)));
            flush_to_rest(neuron, &params);
        }
        if let (Some(a), true) = (self.adaptation, adapt) {
            decay_all(&mut self.theta_adapt, d.theta_decay);
            for &(j, _) in spikes.iter() {
                self.theta_adapt[j] += a.theta_plus;
            }
        }
    }
}

/// V − V_rest and I decay towards 0 between inputs: below [`FLOOR`] they are exactly 0, never
/// subnormal (`sim::decay`).
fn flush_to_rest(neuron: &mut LifNeuron, params: &LifParams) {
    if (neuron.v - params.v_rest()).abs() < FLOOR {
        neuron.v = params.v_rest();
    }
    if neuron.i.abs() < FLOOR {
        neuron.i = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lif::{first_spike_time_ms, psp};

    fn params(theta: f64, t_ref: f64) -> LifParams {
        LifParams::new(2.0, 1.0, 0.0, 0.0, theta, t_ref).unwrap()
    }

    #[test]
    fn one_input_follows_the_closed_form_psp() {
        // Subthreshold: V(t) = q (e^{−t/τ_m} − e^{−t/τ_s})/(τ_m − τ_s) at every step end.
        let p = params(10.0, 0.0);
        let dt = 0.1;
        let mut group = CurrentLifGroup::new(p, 3, dt, None).unwrap();
        group.receive(1, 0.7);
        let mut spikes = Vec::new();
        for step in 1..=100 {
            group.step(true, &mut spikes);
            let t = step as f64 * dt;
            let expected = psp(&p, 0.7, t);
            assert!((group.neuron(1).v - expected).abs() < 1e-12, "t = {t}");
            assert!(group.neuron(0).v.abs() < 1e-300 && spikes.is_empty());
        }
    }

    #[test]
    fn spike_time_matches_the_single_neuron_reference_and_resets() {
        let p = params(1.0, 2.0);
        let dt = 0.25;
        let q = 5.0;
        let reference = first_spike_time_ms(&p, q, dt, 20.0).unwrap().unwrap();
        let mut group = CurrentLifGroup::new(p, 1, dt, None).unwrap();
        group.receive(0, q);
        let mut spikes = Vec::new();
        let mut first = None;
        for step in 0..80 {
            group.step(true, &mut spikes);
            if let Some(&(_, s)) = spikes.first() {
                first.get_or_insert(step as f64 * dt + s);
                // Held at V_reset during the 2 ms refractory period.
                assert!(group.neuron(0).refractory_left_ms > 0.0);
                assert!(group.neuron(0).v.abs() < 1e-300);
            }
        }
        assert!((first.unwrap() - reference).abs() < 1e-12);
    }

    #[test]
    fn adaptive_threshold_grows_per_spike_and_decays() {
        let p = params(1.0, 0.0);
        let dt = 0.5;
        let a = Adaptation {
            theta_plus: 0.05,
            tau_theta_ms: 100.0,
        };
        let mut group = CurrentLifGroup::new(p, 2, dt, Some(a)).unwrap();
        group.receive(0, 5.0);
        let mut spikes = Vec::new();
        let mut count = 0;
        for _ in 0..40 {
            group.step(true, &mut spikes);
            count += spikes.len();
            assert!(spikes.iter().all(|&(j, _)| j == 0));
        }
        assert!(count >= 1);
        // After the last spike, a decays by e^{−dt/τ_θ} per step; bounded by count·θ_plus.
        assert!(group.theta_adapt(0) > 0.0 && group.theta_adapt(0) <= count as f64 * 0.05);
        assert!(group.theta_adapt(1).abs() < 1e-300);
        assert!(CurrentLifGroup::new(p, 0, dt, None).is_err());
        assert!(CurrentLifGroup::new(
            p,
            1,
            dt,
            Some(Adaptation {
                theta_plus: 0.1,
                tau_theta_ms: 0.0
            })
        )
        .is_err());
    }

    #[test]
    fn decaying_state_reaches_zero_without_subnormals() {
        // One neuron fires (its adaptive threshold then decays with τ_θ = 5 ms), one stays
        // below threshold (V and I decay with τ = 2 ms). Unfloored, e^{−t/2 ms} crosses the
        // subnormal range at t ≈ 1.42-1.49 s; the run lasts 2 s and checks every step.
        use crate::sim::decay::is_subnormal;
        let p = params(1.0, 1.0);
        let dt = 0.1;
        let a = Adaptation {
            theta_plus: 0.5,
            tau_theta_ms: 5.0,
        };
        let mut group = CurrentLifGroup::new(p, 2, dt, Some(a)).unwrap();
        group.receive(0, 5.0);
        group.receive(1, 0.7);
        let mut spikes = Vec::new();
        let mut unfloored = 0.7f64;
        let mut unfloored_was_subnormal = false;
        for _ in 0..20_000 {
            group.step(true, &mut spikes);
            for j in 0..2 {
                let n = group.neuron(j);
                for x in [n.v, n.i, group.theta_adapt(j)] {
                    assert!(!is_subnormal(x), "neuron {j}: {x:e}");
                }
            }
            unfloored *= (-dt / 2.0f64).exp();
            unfloored_was_subnormal |= is_subnormal(unfloored);
        }
        assert!(unfloored_was_subnormal);
        assert!(
            group.theta_adapt(0) == 0.0 && group.neuron(1).v == 0.0 && group.neuron(1).i == 0.0
        );
    }
}
