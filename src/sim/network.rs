//! The network: neuron groups, input groups and the projections between them, advanced by
//! the one time-step loop of the simulator (Brian2's `Network.run`).
//!
//! Each step runs Brian2's default schedule once:
//!
//! 1. inputs emit this step's spikes (noise inputs add their charges to their groups);
//! 2. every neuron group updates its state, tests its threshold and resets the neurons that
//!    fired (the reset touches only the membrane, which no synapse reads, so running it before
//!    propagation is Brian2's order in effect);
//! 3. plasticity traces decay;
//! 4. synaptic propagation, pre pathways: every projection emits its source's spikes and
//!    delivers the arrivals due now (weight added to the target variable; with learning on,
//!    the rule's presynaptic update);
//! 5. post pathways: for every plastic projection, the rule's postsynaptic update of the
//!    synapses onto each neuron that fired, then its traces;
//! 6. monitors record (only those attached).
//!
//! Everything a presentation needs to be replayed exactly is in the struct (serialisable):
//! a network saved between presentations and loaded again continues bit for bit.

use super::groups::{NeuronGroup, Scratch, Spike, Var};
use super::input::InputGroup;
use super::monitors::{Raster, SpikeCounts};
use super::plasticity::{Plastic, Plasticity, Rule, TripletStdp};
use super::synapses::{Delivery, Synapses};
use crate::error::{Error, Result};

/// Where a projection's spikes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Source {
    /// Input group k.
    Input(usize),
    /// Neuron group k.
    Group(usize),
}

/// Synapses from a source to a neuron group's variable, with an optional plasticity rule.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Projection {
    /// Name in messages and figures (e.g. "input→exc").
    pub name: String,
    /// Presynaptic population.
    pub source: Source,
    /// Postsynaptic neuron group.
    pub target: usize,
    /// The target variable the weights add to.
    pub var: Var,
    /// The synapses.
    pub synapses: Synapses,
    /// Largest delay any synapse may have (steps): the bound a loaded state is checked against.
    pub max_delay_steps: u16,
    /// The rule, if the projection learns.
    pub plastic: Option<Plastic>,
}

/// A monitor attached to a neuron group (Brian2's SpikeMonitor and friends).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Monitor {
    /// Spike counts per neuron.
    SpikeCounts {
        /// The group.
        group: usize,
        /// The counts.
        counts: SpikeCounts,
    },
    /// Spike times (bounded).
    Raster {
        /// The group.
        group: usize,
        /// The raster.
        raster: Raster,
    },
}

/// The network.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Network {
    /// Step (ms).
    pub dt_ms: f64,
    /// Steps done (time = step·dt).
    pub step: i64,
    /// Neuron groups.
    pub groups: Vec<NeuronGroup>,
    /// Input groups.
    pub inputs: Vec<InputGroup>,
    /// Projections, in propagation order.
    pub projections: Vec<Projection>,
    /// Attached monitors.
    pub monitors: Vec<Monitor>,
    /// Synaptic events delivered so far.
    pub synaptic_events: u64,
    #[serde(skip)]
    scratch: StepScratch,
}

/// Per-step buffers, reused (no allocation inside a step).
#[derive(Debug, Clone, Default)]
struct StepScratch {
    group_spikes: Vec<Vec<Spike>>,
    input_spikes: Vec<Vec<u32>>,
    group: Scratch,
}

impl PartialEq for StepScratch {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Network {
    /// An empty network with step `dt_ms`.
    pub fn new(dt_ms: f64) -> Result<Self> {
        Ok(Self {
            dt_ms: crate::error::require_positive("dt_ms", dt_ms)?,
            step: 0,
            groups: Vec::new(),
            inputs: Vec::new(),
            projections: Vec::new(),
            monitors: Vec::new(),
            synaptic_events: 0,
            scratch: StepScratch::default(),
        })
    }

    /// Adds a neuron group; returns its index.
    pub fn add_group(&mut self, group: NeuronGroup) -> usize {
        self.groups.push(group);
        self.groups.len() - 1
    }

    /// Adds an input group; returns its index.
    pub fn add_input(&mut self, input: InputGroup) -> usize {
        self.inputs.push(input);
        self.inputs.len() - 1
    }

    /// Connects `source` to group `target`'s variable `var`, with an optional rule; returns the
    /// projection's index. Refuses sizes that do not match and a variable the group lacks.
    pub fn connect(
        &mut self,
        name: &str,
        source: Source,
        (target, var): (usize, Var),
        synapses: Synapses,
        rule: Option<Rule>,
    ) -> Result<usize> {
        let n_pre = self
            .source_len(source)
            .ok_or_else(|| Error::invalid("source", 0.0, "an existing group"))?;
        let group = self
            .groups
            .get_mut(target)
            .ok_or_else(|| Error::invalid("target", target as f64, "an existing group"))?;
        let n_post = group.len();
        if group.var_mut(var).is_none() {
            return Err(Error::InvalidParameter {
                name: "projection".into(),
                value: name.into(),
                requirement: format!("a variable the target group has (not {var:?})"),
            });
        }
        if synapses.n_pre != n_pre || synapses.n_post != n_post {
            return Err(Error::InvalidParameter {
                name: "projection".into(),
                value: name.into(),
                requirement: format!(
                    "{n_pre} × {n_post} synapses, got {} × {}",
                    synapses.n_pre, synapses.n_post
                ),
            });
        }
        let plastic = rule.map(|r| Plastic::new(r, n_post, synapses.len()));
        self.projections.push(Projection {
            name: name.into(),
            source,
            target,
            var,
            max_delay_steps: synapses.max_delay() as u16,
            synapses,
            plastic,
        });
        Ok(self.projections.len() - 1)
    }

    /// Attaches a monitor; returns its index.
    pub fn add_monitor(&mut self, monitor: Monitor) -> usize {
        self.monitors.push(monitor);
        self.monitors.len() - 1
    }

    /// Size of a projection source.
    fn source_len(&self, source: Source) -> Option<usize> {
        match source {
            Source::Input(k) => self.inputs.get(k).map(|i| i.n),
            Source::Group(k) => self.groups.get(k).map(NeuronGroup::len),
        }
    }

    /// (Re)builds every derived table and constant (after deserialising).
    pub fn prepare(&mut self) -> Result<()> {
        for g in &mut self.groups {
            g.prepare(self.dt_ms)?;
        }
        for p in &mut self.projections {
            p.synapses.prepare();
        }
        Ok(())
    }

    /// Checks a deserialised network (a checkpoint is input): step, sizes, indices, delays,
    /// finite state. Messages name the part, e.g. "network.projections[0].target[3]".
    pub fn check(&self) -> std::result::Result<(), String> {
        if !(self.dt_ms.is_finite() && self.dt_ms > 0.0) {
            return Err(format!(
                "network.dt_ms = {} must be finite and > 0",
                self.dt_ms
            ));
        }
        for (k, g) in self.groups.iter().enumerate() {
            g.check(&format!("network.groups[{k}]"), g.len())?;
        }
        for (k, input) in self.inputs.iter().enumerate() {
            let name = format!("network.inputs[{k}]");
            input.check(&name)?;
            if let super::input::InputKind::Noise { target, .. } = input.kind {
                if self.groups.get(target).map(NeuronGroup::len) != Some(input.n) {
                    return Err(format!("{name} drives a group of another size"));
                }
            }
        }
        for (k, p) in self.projections.iter().enumerate() {
            let name = format!("network.projections[{k}]");
            let n_pre = self
                .source_len(p.source)
                .ok_or_else(|| format!("{name}.source names no population"))?;
            let n_post = self
                .groups
                .get(p.target)
                .map(NeuronGroup::len)
                .ok_or_else(|| format!("{name}.target names no group"))?;
            p.synapses
                .check(&name, n_pre, n_post, p.max_delay_steps as usize)?;
            if let Some(plastic) = &p.plastic {
                plastic.check(&format!("{name}.plastic"), n_post, p.synapses.len())?;
            }
        }
        Ok(())
    }

    /// Runs `steps` steps; with `learn`, plasticity rules and adaptive thresholds act.
    pub fn run(&mut self, steps: u32, learn: bool) {
        let scratch = &mut self.scratch;
        scratch
            .group_spikes
            .resize_with(self.groups.len(), Vec::new);
        scratch
            .input_spikes
            .resize_with(self.inputs.len(), Vec::new);
        for _ in 0..steps {
            self.step_once(learn);
        }
    }

    /// One step of the schedule (see the module documentation).
    fn step_once(&mut self, learn: bool) {
        let step = self.step;
        let dt = self.dt_ms;
        let StepScratch {
            group_spikes,
            input_spikes,
            group: group_scratch,
        } = &mut self.scratch;
        // 1. Inputs.
        for (input, spikes) in self.inputs.iter_mut().zip(input_spikes.iter_mut()) {
            let target = match input.kind {
                super::input::InputKind::Noise { target, .. } => Some(target),
                _ => None,
            };
            if let (Some(charges), Some(t)) = (input.advance(spikes), target) {
                if let Some(var) = self.groups[t].var_mut(Var::Charge) {
                    var.iter_mut().zip(charges).for_each(|(v, q)| *v += q);
                }
            }
        }
        // 2. Groups: state update, threshold, reset.
        for (group, spikes) in self.groups.iter_mut().zip(group_spikes.iter_mut()) {
            group.step(learn, dt, spikes, group_scratch);
        }
        // 3. Traces.
        for p in &mut self.projections {
            if let Some(plastic) = &mut p.plastic {
                plastic.rule.decay(&mut plastic.traces);
            }
        }
        // 4. Pre pathways.
        let t_arrival_ms = (step + 1) as f64 * dt;
        for p in &mut self.projections {
            match p.source {
                Source::Input(k) => input_spikes[k]
                    .iter()
                    .for_each(|&i| p.synapses.emit(step, i)),
                Source::Group(k) => group_spikes[k]
                    .iter()
                    .for_each(|s| p.synapses.emit(step, s.neuron as u32)),
            }
            let target = self.groups[p.target]
                .var_mut(p.var)
                .expect("checked when connected");
            self.synaptic_events += match (&mut p.plastic, learn) {
                (Some(plastic), true) => {
                    let (traces, state) = (&plastic.traces, &mut plastic.state[..]);
                    match &plastic.rule {
                        Rule::Triplet(r) => p.synapses.deliver(
                            step,
                            Delivery {
                                target,
                                rule: Some((r, traces, state)),
                                t_arrival_ms,
                            },
                        ),
                        Rule::Pair(r) => p.synapses.deliver(
                            step,
                            Delivery {
                                target,
                                rule: Some((r, traces, state)),
                                t_arrival_ms,
                            },
                        ),
                    }
                }
                _ => p.synapses.deliver::<TripletStdp>(
                    step,
                    Delivery {
                        target,
                        rule: None,
                        t_arrival_ms,
                    },
                ),
            };
        }
        // 5. Post pathways.
        for p in &mut self.projections {
            let Some(plastic) = &mut p.plastic else {
                continue;
            };
            for &spike in &group_spikes[p.target] {
                let time = super::plasticity::SpikeTime {
                    step,
                    offset_ms: spike.offset_ms,
                };
                if learn {
                    let (traces, state) = (&plastic.traces, &mut plastic.state[..]);
                    match &plastic.rule {
                        Rule::Triplet(r) => {
                            p.synapses
                                .on_post_spike(spike.neuron, time, dt, r, traces, state)
                        }
                        Rule::Pair(r) => {
                            p.synapses
                                .on_post_spike(spike.neuron, time, dt, r, traces, state)
                        }
                    }
                }
                match &plastic.rule {
                    Rule::Triplet(r) => r.after_post(spike.neuron, time, dt, &mut plastic.traces),
                    Rule::Pair(r) => r.after_post(spike.neuron, time, dt, &mut plastic.traces),
                }
            }
        }
        // 6. Monitors.
        for m in &mut self.monitors {
            match m {
                Monitor::SpikeCounts { group, counts } => {
                    counts.record(group_spikes[*group].iter().map(|s| s.neuron))
                }
                Monitor::Raster { group, raster } => {
                    let timed: Vec<(usize, f64)> = group_spikes[*group]
                        .iter()
                        .map(|s| (s.neuron, s.offset_ms))
                        .collect();
                    raster.record(step as f64 * dt, &timed);
                }
            }
        }
        self.step += 1;
    }

    /// The spike counts of monitor `k` (a [`Monitor::SpikeCounts`]).
    pub fn counts(&self, k: usize) -> &[u32] {
        match &self.monitors[k] {
            Monitor::SpikeCounts { counts, .. } => &counts.counts,
            _ => panic!("monitor {k} counts no spikes"),
        }
    }

    /// Resets monitor `k`'s counts.
    pub fn reset_counts(&mut self, k: usize) {
        if let Monitor::SpikeCounts { counts, .. } = &mut self.monitors[k] {
            counts.reset();
        }
    }
}

mod state;

#[cfg(test)]
mod tests;
