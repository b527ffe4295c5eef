//! The step loop, run by one thread per part of the network (see [`crate::sim::disjoint`]).
//!
//! Every neuron group is cut into contiguous parts, one per thread, at the blocks its incoming
//! synapses are laid out in ([`crate::sim::disjoint::thread_bounds`]); thread p owns part p of
//! every group: the neurons' state and the traces of the plastic projections onto them — a
//! copy the thread makes itself and steps for the whole run, so that no cache line of it is
//! ever written by two threads — and the synapses onto them (their weights and per-synapse
//! state, in their own layout blocks). Each step, thread p
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
//! published on a [`SpikeBoard`].
//!
//! When no synapse from a group reaches another thread's neurons (the split-and-merge layer
//! cut between its competition areas, [`super::Network::balanced_cuts`]), the threads are
//! **independent**: none needs another's spikes, so they never meet during the run. Each emits
//! only its own spikes (the others' have no synapse onto its neurons) and logs them; after the
//! run the monitors record the logs step by step in part order, and each group-fed
//! projection's spikes in flight become every part's own ([`crate::sim::synapses::Synapses::merge_part_flights`]):
//! the same records and the same state as one thread's.

use super::{Monitor, Source};
use crate::sim::disjoint::{thread_blocks, DisjointMut, SpinBarrier};
use crate::sim::groups::{NeuronGroup, Scratch, Spike, Var};
use crate::sim::input::{InputGroup, InputKind};
use crate::sim::plasticity::{Plasticity, PostTraces, Rule, SpikeTime, TracesMut, TripletStdp};
use crate::sim::synapses::{Delivery, Flight, SynapseView};

/// What every thread reads of a projection.
pub(super) struct SharedProjection<'a> {
    pub(super) source: Source,
    pub(super) target: usize,
    pub(super) var: Var,
    /// Its layout blocks ([`crate::sim::synapses::Synapses::block_bounds`]).
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
    /// No group's spike reaches another part's neurons: the threads never meet.
    pub(super) independent: bool,
    /// Per group, whether a monitor records it (independent threads log only those spikes).
    pub(super) monitored: Vec<bool>,
    pub(super) projections: Vec<SharedProjection<'a>>,
    /// Published spikes.
    pub(super) board: SpikeBoard,
    pub(super) barrier: SpinBarrier,
}

/// What one thread owns for one run.
pub(super) struct Share<'a> {
    pub(super) part: usize,
    /// Its part of every neuron group (the whole group with one thread).
    pub(super) groups: &'a mut [NeuronGroup],
    /// The group's index of each part's first neuron.
    pub(super) firsts: Vec<usize>,
    /// Its part of every plastic projection's traces (None for the others).
    pub(super) traces: Vec<Option<&'a mut PostTraces>>,
    /// Its copy of every projection's spikes in flight (of a group-fed projection, only its
    /// own part's spikes when the threads are independent).
    pub(super) flights: Vec<Flight<'a>>,
    /// Its copy of the input groups.
    pub(super) inputs: &'a mut [InputGroup],
    /// The monitors (thread 0 only, and only when the threads meet every step).
    pub(super) monitors: Option<&'a mut [Monitor]>,
    pub(super) buffers: Buffers,
    /// Synaptic events it delivered.
    pub(super) events: u64,
    /// Its own spikes of the monitored groups as (step of the run, group, spike), when the
    /// threads are independent (the monitors record them after the run).
    pub(super) spike_log: Vec<(u32, u32, Spike)>,
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

/// Where each thread publishes its neurons' spikes of a step for the others: one list per
/// (step parity, part, group), each on cache lines of its own. Thread p writes only its own
/// lists of the step's parity, before the step's barrier; every thread reads them after it.
/// The next write to the same list comes two steps later, after a barrier every reader has
/// passed — the barrier orders every access, so the lists need no lock.
pub(super) struct SpikeBoard {
    lists: Vec<Padded>,
    parts: usize,
    groups: usize,
}

/// A spike list alone on its cache lines (a write to one never invalidates another's).
#[repr(align(128))]
struct Padded(std::cell::UnsafeCell<Vec<Spike>>);

// SAFETY: the lists are accessed only as described on SpikeBoard: a list is written by one
// thread while no other accesses it, and read by several while none writes it, the phases
// separated by the barrier (acquire/release).
unsafe impl Sync for SpikeBoard {}

impl SpikeBoard {
    /// Empty lists for `parts` threads and `groups` groups.
    pub(super) fn new(parts: usize, groups: usize) -> Self {
        Self {
            lists: (0..2 * parts * groups)
                .map(|_| Padded(std::cell::UnsafeCell::new(Vec::new())))
                .collect(),
            parts,
            groups,
        }
    }

    fn list(&self, parity: usize, part: usize, group: usize) -> &std::cell::UnsafeCell<Vec<Spike>> {
        &self.lists[(parity * self.parts + part) * self.groups + group].0
    }

    /// Publishes `spikes` as thread `part`'s spikes of `group` (only thread `part` calls it,
    /// before the step's barrier). A list that stays empty is not written (no cache line moves
    /// on a silent step).
    fn publish(&self, parity: usize, part: usize, group: usize, spikes: &[Spike]) {
        // SAFETY: see SpikeBoard: only this thread accesses its own list in this phase.
        let list = unsafe { &mut *self.list(parity, part, group).get() };
        if !(list.is_empty() && spikes.is_empty()) {
            list.clear();
            list.extend_from_slice(spikes);
        }
    }

    /// Appends every part's spikes of `group`, in part order, to `out` (after the barrier).
    fn gather(&self, parity: usize, group: usize, out: &mut Vec<Spike>) {
        for part in 0..self.parts {
            // SAFETY: see SpikeBoard: no thread writes these lists in this phase.
            let list = unsafe { &*self.list(parity, part, group).get() };
            out.extend_from_slice(list);
        }
    }
}

/// Runs the context's steps on thread `me.part` (see the module documentation).
pub(super) fn run_part(ctx: &Context<'_>, me: &mut Share<'_>) {
    let groups = me.groups.len();
    let dt = ctx.dt_ms;
    // The threads meet every step to exchange spikes (several threads, not independent).
    let meet = ctx.parts > 1 && !ctx.independent;
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
                let first = me.firsts[t];
                if let Some(var) = me.groups[t].var_mut(Var::Charge) {
                    var.iter_mut()
                        .zip(&charges[first..])
                        .for_each(|(v, q)| *v += q);
                }
            }
        }
        // 2. Own neurons: state update, threshold, reset; spikes published.
        for (g, part) in me.groups.iter_mut().enumerate() {
            part.step(ctx.learn, dt, &mut buffers.own[g], &mut buffers.group);
            let first = me.firsts[g];
            if first > 0 {
                buffers.own[g].iter_mut().for_each(|s| s.neuron += first);
            }
            if meet {
                ctx.board.publish(parity, me.part, g, &buffers.own[g]);
            }
        }
        // 3. Own traces.
        for (proj, traces) in ctx.projections.iter().zip(&mut me.traces) {
            if let (Some(rule), Some(traces)) = (proj.rule, traces) {
                rule.decay(traces.as_mut());
            }
        }
        // Every part's spikes, in neuron order — when the threads meet. On one thread, or on
        // independent ones (which log theirs for the monitors), the own spikes are all.
        if meet {
            ctx.barrier.wait(me.part);
            for g in 0..groups {
                buffers.all[g].clear();
                ctx.board.gather(parity, g, &mut buffers.all[g]);
            }
        } else {
            for g in 0..groups {
                std::mem::swap(&mut buffers.all[g], &mut buffers.own[g]);
                if ctx.independent && ctx.monitored[g] {
                    let own = &buffers.all[g];
                    me.spike_log.extend(own.iter().map(|&s| (k, g as u32, s)));
                }
            }
        }
        let own = if meet { &buffers.own } else { &buffers.all };
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
            let first = me.firsts[proj.target];
            let target = me.groups[proj.target]
                .var_mut(proj.var)
                .expect("checked when connected");
            let at = (
                step,
                thread_blocks(proj.blocks, ctx.parts, me.part),
                t_arrival_ms,
            );
            let traces = me.traces[p].as_mut().map(|t| t.as_mut());
            me.events += match (proj.rule, &traces, ctx.learn) {
                (Some(Rule::Triplet(r)), Some(t), true) => {
                    deliver(proj, flight, at, (target, first), Some((r, t)))
                }
                (Some(Rule::Pair(r)), Some(t), true) => {
                    deliver(proj, flight, at, (target, first), Some((r, t)))
                }
                (Some(Rule::Meso(r)), Some(t), true) => {
                    deliver(proj, flight, at, (target, first), Some((r, t)))
                }
                _ => deliver::<TripletStdp>(proj, flight, at, (target, first), None),
            };
        }
        // 5. Post pathways of own neurons' spikes.
        for (p, proj) in ctx.projections.iter().enumerate() {
            let (Some(rule), Some(traces)) = (proj.rule, &mut me.traces[p]) else {
                continue;
            };
            let mut traces = traces.as_mut();
            let first = me.firsts[proj.target];
            for &spike in &own[proj.target] {
                let time = SpikeTime {
                    step,
                    offset_ms: spike.offset_ms,
                };
                let j = spike.neuron - first;
                let flight = &mut me.flights[p];
                let at = (j, (spike.neuron, time, dt), ctx.learn);
                match rule {
                    Rule::Triplet(r) => post_spike(proj, flight, r, &mut traces, at),
                    Rule::Pair(r) => post_spike(proj, flight, r, &mut traces, at),
                    Rule::Meso(r) => post_spike(proj, flight, r, &mut traces, at),
                }
            }
        }
        // 6. Monitors.
        if let Some(monitors) = &mut me.monitors {
            record(monitors, step as f64 * dt, &buffers.all);
        }
    }
}

/// Records one step's spikes of every group (`all[g]`, in neuron order) at `t_ms`.
fn record(monitors: &mut [Monitor], t_ms: f64, all: &[Vec<Spike>]) {
    for m in monitors.iter_mut() {
        match m {
            Monitor::SpikeCounts { group, counts } => {
                counts.record(all[*group].iter().map(|s| s.neuron))
            }
            Monitor::Raster { group, raster } => {
                let timed: Vec<(usize, f64)> = all[*group]
                    .iter()
                    .map(|s| (s.neuron, s.offset_ms))
                    .collect();
                raster.record(t_ms, &timed);
            }
        }
    }
}

/// Records independent threads' spike logs (`logs[p]`: part p's, see [`Share::spike_log`]) of
/// `groups` groups over a run of `steps` steps from `first_step` (step `dt` ms) as one thread
/// records them: step by step, every part's spikes of a group in part order, which is neuron
/// order (a step without spikes records nothing).
pub(super) fn record_logged(
    monitors: &mut [Monitor],
    logs: &[Vec<(u32, u32, Spike)>],
    groups: usize,
    (first_step, dt, steps): (i64, f64, u32),
) {
    let mut all: Vec<Vec<Spike>> = vec![Vec::new(); groups];
    let mut cursors = vec![0usize; logs.len()];
    for k in 0..steps {
        all.iter_mut().for_each(Vec::clear);
        let mut any = false;
        for (log, cursor) in logs.iter().zip(&mut cursors) {
            while let Some(&(_, g, spike)) = log.get(*cursor).filter(|e| e.0 == k) {
                all[g as usize].push(spike);
                *cursor += 1;
                any = true;
            }
        }
        if any {
            record(monitors, (first_step + k as i64) as f64 * dt, &all);
        }
    }
}

/// Delivers projection `proj`'s arrivals due at `step` onto the neurons of layout blocks
/// `blocks` (their `target` variable, from neuron `first`), with the rule's presynaptic update
/// when it learns.
fn deliver<R: Plasticity>(
    proj: &SharedProjection<'_>,
    flight: &mut Flight<'_>,
    (step, blocks, t_arrival_ms): (i64, std::ops::Range<usize>, f64),
    (target, first): (&mut [f64], usize),
    rule: Option<(&R, &TracesMut<'_>)>,
) -> u64 {
    let delivery = Delivery {
        target,
        first,
        rule: rule.map(|(r, traces)| (r, traces, proj.state)),
        t_arrival_ms,
    };
    proj.view.deliver(flight, step, blocks, delivery)
}

/// The post pathway of one spike of own neuron `j` (entry j of `traces`) at (neuron, time,
/// step length): the rule's update of its incoming synapses when learning, then its traces.
fn post_spike<R: Plasticity>(
    proj: &SharedProjection<'_>,
    flight: &mut Flight<'_>,
    rule: &R,
    traces: &mut TracesMut<'_>,
    (j, at, learn): (usize, (usize, SpikeTime, f64), bool),
) {
    if learn {
        proj.view
            .on_post_spike(flight, at, rule, traces.view(j), proj.state);
    }
    rule.after_post(j, at.1, at.2, traces.reborrow());
}
