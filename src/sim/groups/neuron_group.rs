//! One type for every kind of neuron group the network holds: its step (state update,
//! threshold, reset), the variables synapses deliver to, and its checks.

use super::{ConductanceGroup, CurrentLifGroup};

/// A spike of this step: the neuron, and when in the step it crossed threshold (ms after the
/// step's start; the step length where the model does not locate it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spike {
    /// The neuron.
    pub neuron: usize,
    /// Time of the crossing after the step's start (ms).
    pub offset_ms: f64,
}

/// The variable of a group that a projection's synapses add their weight to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Var {
    /// Excitatory conductance g_e (conductance groups).
    Ge,
    /// Inhibitory conductance g_i (conductance groups).
    Gi,
    /// Input charge (current-based groups): I ← I + q/τ_s.
    Charge,
}

/// A neuron group of either kind.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum NeuronGroup {
    /// Conductance-based LIF (Diehl & Cook).
    Conductance(ConductanceGroup),
    /// Current-based LIF, integrated exactly (MODEL.md §1).
    CurrentLif(CurrentLifGroup),
}

impl NeuronGroup {
    /// Number of neurons.
    pub fn len(&self) -> usize {
        match self {
            NeuronGroup::Conductance(g) => g.len(),
            NeuronGroup::CurrentLif(g) => g.len(),
        }
    }

    /// True for an empty group.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// (Re)builds the per-step constants for step `dt_ms` (after deserialising).
    pub fn prepare(&mut self, dt_ms: f64) -> crate::Result<()> {
        match self {
            NeuronGroup::Conductance(g) => {
                g.prepare(dt_ms);
                Ok(())
            }
            NeuronGroup::CurrentLif(g) => g.prepare(dt_ms),
        }
    }

    /// Checks a deserialised group of `n` neurons.
    pub fn check(&self, name: &str, n: usize) -> Result<(), String> {
        match self {
            NeuronGroup::Conductance(g) => g.check(name, n),
            NeuronGroup::CurrentLif(g) => g.check(name, n),
        }
    }

    /// State update, threshold and reset of one step of `dt_ms`; this step's spikes go to
    /// `spikes` (cleared first). With `adapt`, adaptive thresholds change.
    pub fn step(
        &mut self,
        adapt: bool,
        dt_ms: f64,
        spikes: &mut Vec<Spike>,
        scratch: &mut Scratch,
    ) {
        spikes.clear();
        match self {
            NeuronGroup::Conductance(g) => {
                scratch.indices.clear();
                g.step(adapt, &mut scratch.indices);
                spikes.extend(scratch.indices.iter().map(|&neuron| Spike {
                    neuron,
                    offset_ms: dt_ms,
                }));
            }
            NeuronGroup::CurrentLif(g) => {
                g.step(adapt, &mut scratch.timed);
                spikes.extend(
                    scratch
                        .timed
                        .iter()
                        .map(|&(neuron, offset_ms)| Spike { neuron, offset_ms }),
                );
            }
        }
    }

    /// A group of neurons `range` of this one (same kind and parameters, a copy of their
    /// state), for a thread to step on its own ([`crate::sim::network`]).
    pub fn extract(&self, range: std::ops::Range<usize>) -> Self {
        match self {
            NeuronGroup::Conductance(g) => NeuronGroup::Conductance(g.extract(range)),
            NeuronGroup::CurrentLif(g) => NeuronGroup::CurrentLif(g.extract(range)),
        }
    }

    /// Writes back the state of `part`, extracted from neurons `first..`.
    pub fn restore(&mut self, first: usize, part: &NeuronGroup) {
        match (self, part) {
            (NeuronGroup::Conductance(g), NeuronGroup::Conductance(p)) => g.restore(first, p),
            (NeuronGroup::CurrentLif(g), NeuronGroup::CurrentLif(p)) => g.restore(first, p),
            _ => panic!("a part restored into a group of another kind"),
        }
    }

    /// The variable `var` that synapses add to, one entry per neuron.
    pub fn var_mut(&mut self, var: Var) -> Option<&mut [f64]> {
        match (self, var) {
            (NeuronGroup::Conductance(g), Var::Ge) => Some(&mut g.ge),
            (NeuronGroup::Conductance(g), Var::Gi) => Some(&mut g.gi),
            (NeuronGroup::CurrentLif(g), Var::Charge) => Some(g.input_mut()),
            _ => None,
        }
    }

    /// Appends the neurons' continuously evolving state that is not learned: v, ge, gi of a
    /// conductance group; V, I and the charge pending for the next step of a current-LIF
    /// group (variable by variable). Refractory clocks are discrete and not in it.
    pub fn hidden_state(&self, out: &mut Vec<f64>) {
        match self {
            NeuronGroup::Conductance(g) => g.hidden_state(out),
            NeuronGroup::CurrentLif(g) => g.hidden_state(out),
        }
    }

    /// Length of [`NeuronGroup::hidden_state`].
    pub fn hidden_state_len(&self) -> usize {
        3 * self.len()
    }

    /// Writes a state laid out as [`NeuronGroup::hidden_state`] from the front of `h` (a
    /// conductance group's values moved into their physical range: ge, gi ≥ 0 and v between
    /// the potentials it relaxes to); returns the rest.
    pub fn set_hidden_state<'h>(&mut self, h: &'h [f64]) -> &'h [f64] {
        let (mine, rest) = h.split_at(self.hidden_state_len());
        match self {
            NeuronGroup::Conductance(g) => g.set_hidden_state(mine),
            NeuronGroup::CurrentLif(g) => g.set_hidden_state(mine),
        }
        rest
    }

    /// The neurons' adaptive thresholds (mV for conductance groups, voltage units otherwise).
    pub fn thresholds(&self) -> Vec<f64> {
        match self {
            NeuronGroup::Conductance(g) => g.theta.clone(),
            NeuronGroup::CurrentLif(g) => (0..g.len()).map(|j| g.theta_adapt(j)).collect(),
        }
    }

    /// Every neuron at rest with no pending input (adaptive thresholds kept).
    pub fn rest(&mut self) {
        match self {
            NeuronGroup::Conductance(g) => g.rest(),
            NeuronGroup::CurrentLif(g) => {
                let theta: Vec<f64> = (0..g.len()).map(|j| g.theta_adapt(j)).collect();
                g.reset();
                g.set_theta_adapt(&theta);
            }
        }
    }

    /// Takes over `old`'s dynamic state (same kind and size), keeping its own parameters.
    pub fn adopt_state(&mut self, old: &NeuronGroup) {
        match (self, old) {
            (NeuronGroup::Conductance(new), NeuronGroup::Conductance(old)) => {
                let params = new.params;
                *new = old.clone();
                new.params = params;
            }
            (NeuronGroup::CurrentLif(new), NeuronGroup::CurrentLif(old)) => new.adopt_state(old),
            _ => {}
        }
    }

    /// True when the thresholds adapt (they are then part of the learning state).
    pub fn adaptive(&self) -> bool {
        match self {
            NeuronGroup::Conductance(g) => g.adaptive(),
            NeuronGroup::CurrentLif(g) => g.adaptive(),
        }
    }

    /// Writes the adaptive thresholds (as [`NeuronGroup::thresholds`] reads them).
    pub fn set_thresholds(&mut self, values: &[f64]) {
        match self {
            NeuronGroup::Conductance(g) => g.theta.copy_from_slice(values),
            NeuronGroup::CurrentLif(g) => g.set_theta_adapt(values),
        }
    }

    /// Membrane potential of neuron `j`.
    pub fn v(&self, j: usize) -> f64 {
        match self {
            NeuronGroup::Conductance(g) => g.v[j],
            NeuronGroup::CurrentLif(g) => g.neuron(j).v,
        }
    }
}

/// Reused buffers of [`NeuronGroup::step`] (no allocation inside a step).
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    indices: Vec<usize>,
    timed: Vec<(usize, f64)>,
}
