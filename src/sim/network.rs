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
//! With [`Network::set_threads`] the steps run on several threads, each owning a part of every
//! group's neurons, with bit-identical results ([`schedule`]).
//!
//! Everything a presentation needs to be replayed exactly is in the struct (serialisable):
//! a network saved between presentations and loaded again continues bit for bit.

use super::disjoint::{thread_bounds, DisjointMut, SpinBarrier};
use super::groups::{NeuronGroup, Var};
use super::input::InputGroup;
use super::monitors::{Raster, SpikeCounts};
use super::plasticity::{Plastic, PostTraces, Rule};
use super::synapses::{even_bounds, layout_blocks, FlightCopy, Synapses};
use crate::error::{Error, Result};
use schedule::{Buffers, Context, Share, SharedProjection, SpikeBoard};

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

impl Monitor {
    /// The group it records.
    pub fn group(&self) -> usize {
        match self {
            Monitor::SpikeCounts { group, .. } | Monitor::Raster { group, .. } => *group,
        }
    }
}

/// A neuron's own step (state update, threshold, traces) as work of a thread, in incoming
/// synapses. Measured on the split-and-merge layer (9 408 neurons with 784, 576 or 256 input
/// synapses, 2 threads, 300 MNIST samples): 40.9 ms per sample with 0, 39.0 with 300, 36.9-37.5
/// with 600, 36.4 with 800, 37.7 with 1 000, 37.1 with 1 200; equal neuron counts 43.8.
/// Where the cut falls never changes what a network computes (see [`schedule`]), only the
/// time; what is drawn per slot in layout order (the direction of the Lyapunov measurement's
/// second copy; the robustness measurement draws over [`Synapses::slots_by_pre_post`])
/// follows the layout, which is itself a function of the network's structure.
const NEURON_WORK_IN_SYNAPSES: u64 = 800;

/// How much heavier than an equal share of the work a thread's part may become when the cuts
/// move to where no synapse of the group onto itself crosses them (the threads then run a
/// whole run without meeting; see [`schedule`]). Meeting every step cost each of the two
/// threads 6 ms of a 44 ms sample on the split-and-merge layer (MNIST, 200 samples), 14 % of
/// the run; its areas of 448 neurons put an allowed cut within 2.4 % of the balanced one.
const UNCUT_TOLERANCE: f64 = 0.10;

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
    #[serde(skip)]
    threads: Threads,
}

/// The calling thread's per-step buffers, reused across runs.
#[derive(Debug, Clone, Default)]
struct StepScratch {
    buffers: Buffers,
}

/// Threads that run a network: a setting, not state (networks that differ only in it are
/// equal).
#[derive(Debug, Clone, Copy)]
struct Threads(usize);

impl Default for Threads {
    fn default() -> Self {
        Threads(1)
    }
}

impl PartialEq for Threads {
    fn eq(&self, _: &Self) -> bool {
        true
    }
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
            threads: Threads::default(),
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
        self.lay_out(target);
        Ok(self.projections.len() - 1)
    }

    /// Where group `g`'s layout blocks — the parts of the threads that run it — are cut: at
    /// equal shares of the work, counted as each neuron's incoming synapses in its plastic
    /// projections (every arrival there updates a weight; all its projections when none
    /// learns) plus [`NEURON_WORK_IN_SYNAPSES`] for the neuron's own step. Receptive fields of
    /// different sizes thus split by work, not by neuron count (the first half of the
    /// split-and-merge layer holds 68 % of its input synapses). When the group projects onto
    /// itself, the cuts move to the nearest positions none of those synapses crosses (between
    /// the split-and-merge layer's competition areas) if that leaves no part more than
    /// [`UNCUT_TOLERANCE`] above an equal share.
    fn balanced_cuts(&self, g: usize) -> Vec<usize> {
        let n = self.groups[g].len();
        let onto: Vec<&Projection> = self.projections.iter().filter(|p| p.target == g).collect();
        let plastic = onto.iter().any(|p| p.plastic.is_some());
        let mut work = vec![0u64; n];
        for p in onto.iter().filter(|p| p.plastic.is_some() || !plastic) {
            for (w, c) in work.iter_mut().zip(p.synapses.incoming_counts()) {
                *w += c;
            }
        }
        work.iter_mut().for_each(|w| *w += NEURON_WORK_IN_SYNAPSES);
        let balanced = super::disjoint::balanced_bounds(&work, layout_blocks(n));
        let mut allowed = vec![true; n + 1];
        for p in onto.iter().filter(|p| p.source == Source::Group(g)) {
            for (a, uncut) in allowed.iter_mut().zip(p.synapses.uncut_positions()) {
                *a &= uncut;
            }
        }
        super::disjoint::snapped_bounds(&work, &balanced, &allowed, UNCUT_TOLERANCE)
            .unwrap_or(balanced)
    }

    /// Lays every projection onto group `g` out in the group's blocks
    /// ([`Network::balanced_cuts`]), permuting per-synapse rule state with the synapses.
    fn lay_out(&mut self, g: usize) {
        let cuts = self.balanced_cuts(g);
        for p in self.projections.iter_mut().filter(|p| p.target == g) {
            if let Some(perm) = p.synapses.relayout(&cuts) {
                if let Some(plastic) = &mut p.plastic {
                    let per = plastic.rule.state_per_synapse();
                    plastic.state = perm
                        .iter()
                        .flat_map(|&k| plastic.state[k * per..(k + 1) * per].iter().copied())
                        .collect();
                }
            }
        }
    }

    /// Group `g`'s layout block cuts: those of the projections onto it (all the same, see
    /// [`Network::lay_out`]), or equal blocks when nothing projects onto it.
    fn cuts(&self, g: usize) -> Vec<usize> {
        self.projections
            .iter()
            .find(|p| p.target == g)
            .map(|p| p.synapses.layout_bounds())
            .unwrap_or_else(|| even_bounds(self.groups[g].len()))
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
        for g in 0..self.groups.len() {
            self.lay_out(g);
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
            p.synapses
                .check_emission_order(&name, matches!(p.source, Source::Group(_)))?;
            if let Some(plastic) = &p.plastic {
                plastic.check(&format!("{name}.plastic"), n_post, p.synapses.len())?;
            }
        }
        Ok(())
    }

    /// Threads that run this network from now on (at least 1; a thread owns whole layout
    /// blocks, [`layout_blocks`], so threads beyond two idle). Results do not depend on it
    /// (see [`schedule`]).
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = Threads(threads.max(1));
    }

    /// Threads that run this network ([`Network::set_threads`]).
    pub fn threads(&self) -> usize {
        self.threads.0
    }

    /// The parts the threads run (each group's cuts, [`thread_bounds`]: as many parts as
    /// threads, at most as many as the largest group has layout blocks) and whether they are
    /// independent — no synapse from a group reaches another part's neurons, so the threads
    /// never meet during a run (see [`schedule`]).
    pub fn thread_parts(&self) -> (usize, Vec<Vec<usize>>, bool) {
        let cuts: Vec<Vec<usize>> = (0..self.groups.len()).map(|g| self.cuts(g)).collect();
        // More threads than the largest group has layout blocks would own nothing.
        let most_blocks = cuts.iter().map(|c| c.len() - 1).max();
        let parts = self.threads.0.min(most_blocks.unwrap_or(1)).max(1);
        let bounds: Vec<Vec<usize>> = cuts.iter().map(|c| thread_bounds(c, parts)).collect();
        let independent = parts > 1
            && self.projections.iter().all(|p| match p.source {
                Source::Input(_) => true,
                Source::Group(s) => p.synapses.stays_within_parts(&bounds[s], &bounds[p.target]),
            });
        (parts, bounds, independent)
    }

    /// Runs `steps` steps; with `learn`, plasticity rules and adaptive thresholds act.
    pub fn run(&mut self, steps: u32, learn: bool) {
        if steps == 0 {
            return;
        }
        for g in 0..self.groups.len() {
            // Projections replaced through the public fields since they were connected are
            // laid out again: threads must own the same neurons in every projection onto g.
            let mut onto = self.projections.iter().filter(|p| p.target == g);
            let first = onto.next().map(|p| &p.synapses.block_bounds);
            if onto.any(|p| Some(&p.synapses.block_bounds) != first) {
                self.lay_out(g);
            }
        }
        let (parts, bounds, independent) = self.thread_parts();
        let Network {
            dt_ms,
            step,
            groups,
            inputs,
            projections,
            monitors,
            synaptic_events,
            scratch,
            ..
        } = self;
        let n_groups = groups.len();
        let mut worker_flights: Vec<Vec<FlightCopy>> = (1..parts).map(|_| Vec::new()).collect();
        let mut shared = Vec::with_capacity(projections.len());
        let mut main_flights = Vec::with_capacity(projections.len());
        let mut traces: Vec<Option<&mut PostTraces>> = Vec::with_capacity(projections.len());
        for p in projections.iter_mut() {
            for copies in &mut worker_flights {
                copies.push(p.synapses.flight_copy());
            }
            let Projection {
                source,
                target,
                var,
                synapses,
                plastic,
                ..
            } = p;
            let blocks = synapses.layout_bounds().len() - 1;
            let (view, flight) = synapses.split();
            main_flights.push(flight);
            let (rule, state) = match plastic {
                Some(Plastic {
                    rule,
                    traces: t,
                    state,
                }) => {
                    traces.push(Some(t));
                    (Some(&*rule), DisjointMut::new(&mut state[..]))
                }
                None => {
                    traces.push(None);
                    (None, DisjointMut::new(&mut [][..]))
                }
            };
            shared.push(SharedProjection {
                source: *source,
                target: *target,
                var: *var,
                blocks,
                view,
                rule,
                state,
            });
        }
        let ctx = Context {
            dt_ms: *dt_ms,
            first_step: *step,
            steps,
            learn,
            parts,
            independent,
            monitored: (0..n_groups)
                .map(|g| monitors.iter().any(|m| m.group() == g))
                .collect(),
            projections: shared,
            board: SpikeBoard::new(parts, n_groups),
            barrier: SpinBarrier::new(parts),
        };
        let n_inputs = inputs.len();
        let buffers = std::mem::take(&mut scratch.buffers).sized(n_inputs, n_groups);
        if parts == 1 {
            // The calling thread steps the groups and traces in place.
            let mut main = Share {
                part: 0,
                groups: &mut groups[..],
                firsts: vec![0; n_groups],
                traces: traces.iter_mut().map(|t| t.as_deref_mut()).collect(),
                flights: main_flights,
                inputs: &mut inputs[..],
                monitors: Some(&mut monitors[..]),
                buffers,
                events: 0,
                spike_log: Vec::new(),
            };
            schedule::run_part(&ctx, &mut main);
            *synaptic_events += main.events;
            scratch.buffers = main.buffers;
            *step += steps as i64;
            return;
        }
        // Each thread copies its part of the groups and traces, steps the copy, and hands it
        // back to be written in place when all are done.
        let targets: Vec<usize> = ctx.projections.iter().map(|p| p.target).collect();
        let extract = |part: usize, groups: &[NeuronGroup], traces: &[Option<&PostTraces>]| {
            let my_groups: Vec<NeuronGroup> = groups
                .iter()
                .zip(&bounds)
                .map(|(g, b)| g.extract(b[part]..b[part + 1]))
                .collect();
            let my_traces: Vec<Option<PostTraces>> = traces
                .iter()
                .zip(&targets)
                .map(|(t, &g)| t.map(|t| t.extract(bounds[g][part]..bounds[g][part + 1])))
                .collect();
            let firsts: Vec<usize> = bounds.iter().map(|b| b[part]).collect();
            (my_groups, my_traces, firsts)
        };
        let worker_inputs: Vec<Vec<InputGroup>> = (1..parts).map(|_| inputs.to_vec()).collect();
        let groups_now: &[NeuronGroup] = groups;
        let traces_now: Vec<Option<&PostTraces>> = traces.iter().map(|t| t.as_deref()).collect();
        let (ctx, extract, traces_now) = (&ctx, &extract, &traces_now);
        let parts_done = std::thread::scope(|s| {
            let workers: Vec<_> = worker_flights
                .into_iter()
                .zip(worker_inputs)
                .enumerate()
                .map(|(k, (flights, inputs))| {
                    s.spawn(move || {
                        // Everything the thread writes every step it allocates itself (its
                        // allocator arena), never beside another thread's data.
                        let (mut groups, mut traces, firsts) =
                            extract(k + 1, groups_now, traces_now);
                        let mut flights: Vec<FlightCopy> = flights.to_vec();
                        let mut inputs: Vec<InputGroup> = inputs.to_vec();
                        let mut share = Share {
                            part: k + 1,
                            groups: &mut groups,
                            firsts,
                            traces: traces.iter_mut().map(Option::as_mut).collect(),
                            flights: flights.iter_mut().map(FlightCopy::as_flight).collect(),
                            inputs: &mut inputs[..],
                            monitors: None,
                            buffers: Buffers::default().sized(n_inputs, n_groups),
                            events: 0,
                            spike_log: Vec::new(),
                        };
                        schedule::run_part(ctx, &mut share);
                        let (events, log) = (share.events, share.spike_log);
                        (groups, traces, events, flights, log)
                    })
                })
                .collect();
            let (mut my_groups, mut my_traces, firsts) = extract(0, groups_now, traces_now);
            let mut main = Share {
                part: 0,
                groups: &mut my_groups,
                firsts,
                traces: my_traces.iter_mut().map(Option::as_mut).collect(),
                flights: main_flights,
                inputs: &mut inputs[..],
                // Independent threads log their spikes, recorded below.
                monitors: (!independent).then_some(&mut monitors[..]),
                buffers,
                events: 0,
                spike_log: Vec::new(),
            };
            schedule::run_part(ctx, &mut main);
            *synaptic_events += main.events;
            scratch.buffers = std::mem::take(&mut main.buffers);
            let mut logs = vec![std::mem::take(&mut main.spike_log)];
            let mut done = vec![(my_groups, my_traces)];
            let mut flights = Vec::new();
            for w in workers {
                let (g, t, events, f, log) = w.join().expect("a network thread panicked");
                *synaptic_events += events;
                done.push((g, t));
                flights.push(f);
                logs.push(log);
            }
            (done, flights, logs)
        });
        let (parts_done, worker_flights, logs) = parts_done;
        for (part, (part_groups, part_traces)) in parts_done.iter().enumerate() {
            for ((group, b), done) in groups.iter_mut().zip(&bounds).zip(part_groups) {
                group.restore(b[part], done);
            }
            for ((t, &g), done) in traces.iter_mut().zip(&targets).zip(part_traces) {
                if let (Some(t), Some(done)) = (t, done) {
                    t.restore(bounds[g][part], done);
                }
            }
        }
        if independent {
            // As if one thread had emitted every spike and recorded every step.
            schedule::record_logged(monitors, &logs, n_groups, (*step, *dt_ms, steps));
            for (k, p) in projections.iter_mut().enumerate() {
                if let Source::Group(s) = p.source {
                    let copies: Vec<&FlightCopy> = worker_flights.iter().map(|f| &f[k]).collect();
                    p.synapses.merge_part_flights(&bounds[s], &copies);
                }
            }
        }
        *step += steps as i64;
    }

    /// The spike counts of monitor `k` (a [`Monitor::SpikeCounts`]).
    pub fn counts(&self, k: usize) -> &[u32] {
        match &self.monitors[k] {
            Monitor::SpikeCounts { counts, .. } => &counts.counts,
            _ => panic!("monitor {k} counts no spikes"),
        }
    }

    /// Every postsynaptic neuron's incoming weights through projection `k`, one per
    /// presynaptic neuron (0 where there is no synapse): its receptive field.
    pub fn incoming_weights(&self, k: usize) -> Vec<Vec<f64>> {
        let synapses = &self.projections[k].synapses;
        (0..synapses.n_post)
            .map(|j| synapses.incoming_weights(j))
            .collect()
    }

    /// What the MesoNet rules of all projections counted, summed; None when no projection
    /// learns by that rule.
    pub fn plasticity_events(&self) -> Option<crate::sim::plasticity::MesoEvents> {
        self.projections
            .iter()
            .filter_map(|p| p.plastic.as_ref().and_then(|plastic| plastic.rule.events()))
            .reduce(|mut all, e| {
                all += e;
                all
            })
    }

    /// Resets monitor `k`'s counts.
    pub fn reset_counts(&mut self, k: usize) {
        if let Monitor::SpikeCounts { counts, .. } = &mut self.monitors[k] {
            counts.reset();
        }
    }
}

mod schedule;
mod state;

#[cfg(test)]
mod tests;
