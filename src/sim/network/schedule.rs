//! The step loop, run by one thread per part of the network (see [`crate::sim::disjoint`]).
//!
//! Every neuron group is cut into contiguous parts, one per thread, at the blocks its incoming
//! synapses are laid out in ([`crate::sim::disjoint::thread_bounds`]); thread p owns part p of
//! every group: the neurons' state, the traces of the plastic projections onto them, and the
//! synapses onto them (their weights and per-synapse state). Each step, thread p
//!
//! 1. advances its own copy of every input group (all copies emit the same spikes; noise
//!    charges are added to its own neurons only);
//! 2. steps its own neurons and publishes their spikes;
//! 3. decays its own traces, meets the other threads (the one barrier of the step) and reads
//!    every part's spikes;
//! 4. emits every spike into its own copy of each projection's spikes in flight and delivers
//!    the arrivals onto its own neurons;
//! 5. runs the post pathway for its own neurons' spikes;
//! 6. (thread 0) records the monitors.
//!
//! Every neuron and synapse is thus updated by one thread, by the same operations in the same
//! order as with one thread (a neuron's arrivals come in the order of the spikes in flight,
//! whoever delivers them), so results are bit-identical for any number of threads. Spikes are
//! published in two buffers by step parity: a thread overwrites a buffer two steps later, after
//! a barrier every reader has passed.

use super::{Monitor, Source};
use crate::sim::disjoint::{thread_blocks, DisjointMut, SpinBarrier};
use crate::sim::groups::{GroupPart, Scratch, Spike, Var};
use crate::sim::input::{InputGroup, InputKind};
use crate::sim::plasticity::{Plasticity, Rule, SpikeTime, TracesMut, TripletStdp};
use crate::sim::synapses::{Delivery, Flight, SynapseView};
use std::sync::Mutex;

/// What every thread reads of a projection.
pub(super) struct SharedProjection<'a> {
    pub(super) source: Source,
    pub(super) target: usize,
    pub(super) var: Var,
    /// Its layout blocks ([`crate::sim::synapses::layout_blocks`]).
    pub(super) blocks: usize,
    pub(super) view: SynapseView<'a>,
    /// The rule and its per-synapse state, when the projection learns.
    pub(super) rule: Option<&'a Rule>,
    pub(super) state: DisjointMut<'a, f64>,
}

/// What the threads share for one run.
pub(super) struct Context<'a> {
    pub(super) dt_ms: f64,
    pub(super) first_step: i64,
    pub(super) steps: u32,
    pub(super) learn: bool,
    pub(super) parts: usize,
    pub(super) projections: Vec<SharedProjection<'a>>,
    /// Published spikes: `exchange[(parity · parts + part) · groups + group]`.
    pub(super) exchange: Vec<Mutex<Vec<Spike>>>,
    pub(super) barrier: SpinBarrier,
}

/// What one thread owns for one run.
pub(super) struct Share<'a> {
    pub(super) part: usize,
    /// Its part of every neuron group.
    pub(super) groups: Vec<GroupPart<'a>>,
    /// Its part of every plastic projection's traces (None for the others).
    pub(super) traces: Vec<Option<TracesMut<'a>>>,
    /// Its copy of every projection's spikes in flight.
    pub(super) flights: Vec<Flight<'a>>,
    /// Its copy of the input groups.
    pub(super) inputs: &'a mut [InputGroup],
    /// The monitors (thread 0 only).
    pub(super) monitors: Option<&'a mut [Monitor]>,
    pub(super) buffers: Buffers,
    /// Synaptic events it delivered.
    pub(super) events: u64,
}

/// A thread's per-step buffers, reused (no allocation inside a step).
#[derive(Debug, Clone, Default)]
pub(super) struct Buffers {
    /// This step's spikes of each input group.
    input_spikes: Vec<Vec<u32>>,
    /// This step's spikes of its own part of each group.
    own: Vec<Vec<Spike>>,
    /// This step's spikes of each whole group, in neuron order.
    all: Vec<Vec<Spike>>,
    group: Scratch,
}

impl Buffers {
    /// Sized for `inputs` input groups and `groups` neuron groups.
    pub(super) fn sized(mut self, inputs: usize, groups: usize) -> Self {
        self.input_spikes.resize_with(inputs, Vec::new);
        self.own.resize_with(groups, Vec::new);
        self.all.resize_with(groups, Vec::new);
        self
    }
}

impl Context<'_> {
    fn exchange_slot(&self, parity: usize, part: usize, group: usize, groups: usize) -> usize {
        (parity * self.parts + part) * groups + group
    }
}

/// Runs the context's steps on thread `me.part` (see the module documentation).
pub(super) fn run_part(ctx: &Context<'_>, me: &mut Share<'_>) {
    let groups = me.groups.len();
    let dt = ctx.dt_ms;
    for k in 0..ctx.steps {
        let step = ctx.first_step + k as i64;
        let parity = (k % 2) as usize;
        let buffers = &mut me.buffers;
        // 1. Inputs.
        for (input, spikes) in me.inputs.iter_mut().zip(&mut buffers.input_spikes) {
            let target = match input.kind {
                InputKind::Noise { target, .. } => Some(target),
                _ => None,
            };
            if let (Some(charges), Some(t)) = (input.advance(spikes), target) {
                let part = &mut me.groups[t];
                let first = part.first();
                if let Some(var) = part.var_mut(Var::Charge) {
                    var.iter_mut()
                        .zip(&charges[first..])
                        .for_each(|(v, q)| *v += q);
                }
            }
        }
        // 2. Own neurons: state update, threshold, reset; spikes published.
        for (g, part) in me.groups.iter_mut().enumerate() {
            part.step(ctx.learn, dt, &mut buffers.own[g], &mut buffers.group);
            if ctx.parts > 1 {
                let slot = ctx.exchange_slot(parity, me.part, g, groups);
                let mut published = ctx.exchange[slot].lock().expect("no thread panics");
                published.clear();
                published.extend_from_slice(&buffers.own[g]);
            }
        }
        // 3. Own traces.
        for (proj, traces) in ctx.projections.iter().zip(&mut me.traces) {
            if let (Some(rule), Some(traces)) = (proj.rule, traces) {
                rule.decay(traces.reborrow());
            }
        }
        // Every part's spikes, in neuron order.
        if ctx.parts > 1 {
            ctx.barrier.wait();
            for g in 0..groups {
                buffers.all[g].clear();
                for q in 0..ctx.parts {
                    let slot = ctx.exchange_slot(parity, q, g, groups);
                    let published = ctx.exchange[slot].lock().expect("no thread panics");
                    buffers.all[g].extend_from_slice(&published);
                }
            }
        } else {
            for g in 0..groups {
                std::mem::swap(&mut buffers.all[g], &mut buffers.own[g]);
            }
        }
        let own = if ctx.parts > 1 {
            &buffers.own
        } else {
            &buffers.all
        };
        // 4. Pre pathways: every spike emitted, arrivals delivered onto own neurons.
        let t_arrival_ms = (step + 1) as f64 * dt;
        for (p, proj) in ctx.projections.iter().enumerate() {
            let flight = &mut me.flights[p];
            match proj.source {
                Source::Input(i) => buffers.input_spikes[i]
                    .iter()
                    .for_each(|&s| flight.emit(step, s)),
                Source::Group(g) => buffers.all[g]
                    .iter()
                    .for_each(|s| flight.emit(step, s.neuron as u32)),
            }
            let part = &mut me.groups[proj.target];
            let first = part.first();
            let target = part.var_mut(proj.var).expect("checked when connected");
            let parts = thread_blocks(proj.blocks, ctx.parts, me.part);
            me.events += match (proj.rule, &me.traces[p], ctx.learn) {
                (Some(Rule::Triplet(r)), Some(traces), true) => deliver(
                    proj,
                    flight,
                    (step, parts),
                    Delivery {
                        target,
                        first,
                        rule: Some((r, traces, proj.state)),
                        t_arrival_ms,
                    },
                ),
                (Some(Rule::Pair(r)), Some(traces), true) => deliver(
                    proj,
                    flight,
                    (step, parts),
                    Delivery {
                        target,
                        first,
                        rule: Some((r, traces, proj.state)),
                        t_arrival_ms,
                    },
                ),
                _ => deliver::<TripletStdp>(
                    proj,
                    flight,
                    (step, parts),
                    Delivery {
                        target,
                        first,
                        rule: None,
                        t_arrival_ms,
                    },
                ),
            };
        }
        // 5. Post pathways of own neurons' spikes.
        for (p, proj) in ctx.projections.iter().enumerate() {
            let (Some(rule), Some(traces)) = (proj.rule, &mut me.traces[p]) else {
                continue;
            };
            let first = me.groups[proj.target].first();
            for &spike in &own[proj.target] {
                let time = SpikeTime {
                    step,
                    offset_ms: spike.offset_ms,
                };
                let j = spike.neuron - first;
                let flight = &mut me.flights[p];
                let at = (spike.neuron, time, dt);
                match rule {
                    Rule::Triplet(r) => {
                        if ctx.learn {
                            let post = traces.view(j);
                            proj.view.on_post_spike(flight, at, r, post, proj.state);
                        }
                        r.after_post(j, time, dt, traces.reborrow());
                    }
                    Rule::Pair(r) => {
                        if ctx.learn {
                            let post = traces.view(j);
                            proj.view.on_post_spike(flight, at, r, post, proj.state);
                        }
                        r.after_post(j, time, dt, traces.reborrow());
                    }
                }
            }
        }
        // 6. Monitors.
        if let Some(monitors) = &mut me.monitors {
            for m in monitors.iter_mut() {
                match m {
                    Monitor::SpikeCounts { group, counts } => {
                        counts.record(buffers.all[*group].iter().map(|s| s.neuron))
                    }
                    Monitor::Raster { group, raster } => {
                        let timed: Vec<(usize, f64)> = buffers.all[*group]
                            .iter()
                            .map(|s| (s.neuron, s.offset_ms))
                            .collect();
                        raster.record(step as f64 * dt, &timed);
                    }
                }
            }
        }
    }
}

fn deliver<R: Plasticity>(
    proj: &SharedProjection<'_>,
    flight: &mut Flight<'_>,
    (step, parts): (i64, std::ops::Range<usize>),
    delivery: Delivery<'_, R>,
) -> u64 {
    proj.view.deliver(flight, step, parts, delivery)
}
