//! The network's state as a whole: the learning state out and in as one flat vector, taking
//! over another network's dynamic state under new parameters, and going back to rest.

use super::Network;
use crate::error::{Error, Result};
use crate::sim::groups::NeuronGroup;

impl Network {
    /// Back to rest, keeping what is learned: every group at rest (adaptive thresholds kept),
    /// fresh traces, no spike in flight, inputs silent, time 0 (every η of a MesoNet rule
    /// first advanced to the time it leaves).
    pub fn rest(&mut self) {
        for g in &mut self.groups {
            g.rest();
        }
        let t_ms = self.step as f64 * self.dt_ms;
        for p in &mut self.projections {
            p.synapses.forget_spikes();
            if let Some(plastic) = &mut p.plastic {
                plastic.traces = plastic.rule.new_traces(p.synapses.n_post);
                if let crate::sim::Rule::Meso(rule) = &plastic.rule {
                    rule.restart_clock(&p.synapses.w, &mut plastic.state, t_ms);
                }
            }
        }
        for input in &mut self.inputs {
            input.silence();
        }
        self.step = 0;
    }

    /// Takes over the dynamic state of `old` — synapses (weights, delays, spikes in flight),
    /// rule traces and per-synapse state, neuron states, inputs, time — keeping this network's
    /// parameters (rules, neuron parameters). Refuses a network of another structure.
    pub fn adopt_state(&mut self, old: &Network) -> Result<()> {
        let same = self.groups.len() == old.groups.len()
            && self.inputs.len() == old.inputs.len()
            && self.projections.len() == old.projections.len()
            && self
                .groups
                .iter()
                .zip(&old.groups)
                .all(|(a, b)| a.len() == b.len())
            && (self.dt_ms - old.dt_ms).abs() <= 0.0;
        if !same {
            return Err(Error::invalid(
                "set",
                0.0,
                "parameters that keep the network's structure (sizes, dt_ms)",
            ));
        }
        for (new, old) in self.projections.iter_mut().zip(&old.projections) {
            new.synapses = old.synapses.clone();
            if let (Some(n), Some(o)) = (&mut new.plastic, &old.plastic) {
                n.traces = o.traces.clone();
                n.state = o.state.clone();
                n.rule.adopt_counts(&o.rule);
            }
        }
        for (new, old) in self.groups.iter_mut().zip(&old.groups) {
            new.adopt_state(old);
        }
        self.inputs = old.inputs.clone();
        self.step = old.step;
        self.synaptic_events = old.synaptic_events;
        self.prepare()
    }

    /// The learning state as one flat vector: every plastic projection's weights and learned
    /// rule state ([`crate::sim::Rule::learned_per_synapse`] values per synapse, slot order, as
    /// they are now: η advanced to the current step; bookkeeping such as the step of η's last
    /// advance is not learning state), then the
    /// thresholds of every group with an adaptive threshold.
    pub fn plastic_state(&self) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.plastic_state_len());
        for p in &self.projections {
            if let Some(plastic) = &p.plastic {
                out.extend_from_slice(&p.synapses.w);
                let (per, learned) = (
                    plastic.rule.state_per_synapse(),
                    plastic.rule.learned_per_synapse(),
                );
                if learned > 0 {
                    let t_ms = self.step as f64 * self.dt_ms;
                    for (s, &w) in plastic.state.chunks_exact(per).zip(&p.synapses.w) {
                        plastic.rule.learned_at(w, s, t_ms, &mut out);
                    }
                }
            }
        }
        for g in &self.groups {
            if g.adaptive() {
                out.extend(g.thresholds());
            }
        }
        out
    }

    /// Where the synapses whose rule carries a variable η (the MesoNet rule with variable
    /// plasticity) sit in [`Network::plastic_state`]: (index of w, index of η), projection by
    /// projection, in slot order.
    pub fn eta_coordinates(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut offset = 0;
        for p in &self.projections {
            let Some(plastic) = &p.plastic else {
                continue;
            };
            let (n, learned) = (p.synapses.w.len(), plastic.rule.learned_per_synapse());
            if let crate::sim::Rule::Meso(rule) = &plastic.rule {
                if rule.eta.is_some() {
                    out.extend((0..n).map(|k| (offset + k, offset + n + k * learned)));
                }
            }
            offset += n * (1 + learned);
        }
        out
    }

    /// Writes a vector laid out as [`Network::plastic_state`]; refuses a wrong length or a
    /// non-finite value (naming its index).
    pub fn set_plastic_state(&mut self, x: &[f64]) -> Result<()> {
        check_state_vector(
            "plastic state",
            x,
            self.plastic_state_len(),
            (f64::is_finite, "finite"),
        )?;
        let mut rest = x;
        for p in &mut self.projections {
            if let Some(plastic) = &mut p.plastic {
                let (w, tail) = rest.split_at(p.synapses.w.len());
                p.synapses.w.copy_from_slice(w);
                let (per, learned) = (
                    plastic.rule.state_per_synapse(),
                    plastic.rule.learned_per_synapse(),
                );
                let (s, tail) = tail.split_at(learned * p.synapses.w.len());
                if learned > 0 {
                    let t_ms = self.step as f64 * self.dt_ms;
                    for (state, values) in
                        plastic.state.chunks_exact_mut(per).zip(s.chunks(learned))
                    {
                        plastic.rule.set_learned_at(state, values, t_ms);
                    }
                }
                rest = tail;
            }
        }
        for g in &mut self.groups {
            if g.adaptive() {
                let (t, tail) = rest.split_at(g.len());
                g.set_thresholds(t);
                rest = tail;
            }
        }
        Ok(())
    }

    /// The continuously evolving state that is not learned: every group's membranes and
    /// synaptic variables ([`NeuronGroup::hidden_state`]), then every plastic projection's
    /// postsynaptic traces (a, then b). Discrete state — refractory clocks, spikes in flight,
    /// arrival steps — is not in it. The two-copy method rescales it with the learning state
    /// ([`crate::analysis::two_copy::Evolving::hidden_state`]).
    pub fn hidden_state(&self) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.hidden_state_len());
        for g in &self.groups {
            g.hidden_state(&mut out);
        }
        for plastic in self.projections.iter().filter_map(|p| p.plastic.as_ref()) {
            out.extend_from_slice(&plastic.traces.a);
            out.extend_from_slice(&plastic.traces.b);
        }
        out
    }

    /// Length of [`Network::hidden_state`].
    pub fn hidden_state_len(&self) -> usize {
        let groups: usize = self.groups.iter().map(NeuronGroup::hidden_state_len).sum();
        let traces: usize = self
            .projections
            .iter()
            .filter_map(|p| p.plastic.as_ref())
            .map(|plastic| plastic.traces.a.len() + plastic.traces.b.len())
            .sum();
        groups + traces
    }

    /// Writes a vector laid out as [`Network::hidden_state`]; refuses a wrong length or a NaN
    /// (naming its index; infinite values are states too: a spike-time trace before any
    /// spike is −∞). Values outside their physical range — a two-copy difference scaled up
    /// can put them there — are moved to its edge: conductances ≥ 0, v between the
    /// potentials it relaxes to, decaying traces in [0, 1], a last-spike time not after now.
    pub fn set_hidden_state(&mut self, h: &[f64]) -> Result<()> {
        check_state_vector(
            "hidden state",
            h,
            self.hidden_state_len(),
            (|v: f64| !v.is_nan(), "a number"),
        )?;
        let t_now_ms = self.step as f64 * self.dt_ms;
        let mut rest = h;
        for g in &mut self.groups {
            rest = g.set_hidden_state(rest);
        }
        for plastic in self
            .projections
            .iter_mut()
            .filter_map(|p| p.plastic.as_mut())
        {
            let (a, tail) = rest.split_at(plastic.traces.a.len());
            plastic.traces.a.copy_from_slice(a);
            let (b, tail) = tail.split_at(plastic.traces.b.len());
            plastic.traces.b.copy_from_slice(b);
            plastic
                .rule
                .keep_traces_physical(&mut plastic.traces, t_now_ms);
            rest = tail;
        }
        Ok(())
    }

    /// Length of [`Network::plastic_state`].
    pub fn plastic_state_len(&self) -> usize {
        let projections: usize = self
            .projections
            .iter()
            .filter_map(|p| {
                p.plastic
                    .as_ref()
                    .map(|pl| p.synapses.w.len() * (1 + pl.rule.learned_per_synapse()))
            })
            .sum();
        let groups: usize = self
            .groups
            .iter()
            .filter(|g| g.adaptive())
            .map(NeuronGroup::len)
            .sum();
        projections + groups
    }
}

/// Refuses a state vector `x` (named `name` in messages) that does not have `expected` values
/// or has a value failing `accept` (its index named, the requirement given).
fn check_state_vector(
    name: &str,
    x: &[f64],
    expected: usize,
    (accept, requirement): (impl Fn(f64) -> bool, &str),
) -> Result<()> {
    if x.len() != expected {
        return Err(Error::invalid(
            name,
            x.len() as f64,
            &format!("{expected} values"),
        ));
    }
    if let Some(k) = x.iter().position(|&v| !accept(v)) {
        return Err(Error::invalid(&format!("{name}[{k}]"), x[k], requirement));
    }
    Ok(())
}
