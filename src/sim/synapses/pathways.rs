//! The pre and post pathways: emitting spikes, delivering arrivals with a rule's
//! presynaptic update, the rule's postsynaptic update of a neuron's incoming synapses, and the
//! per-neuron normalisation of weights.
//!
//! The pathways run on a [`SynapseView`] and a [`Flight`]: the view is what every thread of a
//! network shares (the layout, read-only, and the weights, which each thread writes only onto
//! its own part of the postsynaptic neurons); the flight is each thread's own copy of the
//! spikes in flight, which every thread keeps identical by emitting every spike — or, when the
//! threads are independent, holds its own part's spikes of a group-fed projection, merged
//! after the run ([`Synapses::merge_part_flights`]).

use super::store::{DueSegments, PostScratch, SlotIndex, Synapses};
use crate::sim::disjoint::DisjointMut;
use crate::sim::plasticity::{
    IncomingSynapse, Plasticity, PostTraces, PostView, SpikeTime, TracesMut, NEVER,
};
use std::collections::VecDeque;
use std::ops::Range;

/// Where a delivery's charges go and which rule runs on each arrival.
pub struct Delivery<'a, R> {
    /// The target group's variable (conductance or current) for the postsynaptic neurons of
    /// the parts delivered, from neuron `first` on.
    pub target: &'a mut [f64],
    /// The postsynaptic neuron of `target[0]` (and of the traces' entry 0).
    pub first: usize,
    /// The rule with its traces (from neuron `first`) and per-synapse state (slot order),
    /// when the projection learns.
    pub rule: Option<(&'a R, &'a TracesMut<'a>, DisjointMut<'a, f64>)>,
    /// Arrival time of this step's deliveries (ms): (step + 1)·dt.
    pub t_arrival_ms: f64,
}

/// What the threads running one network share of a projection: its layout and its weights.
#[derive(Debug, Clone, Copy)]
pub struct SynapseView<'a> {
    target: &'a [u32],
    delay_steps: &'a [u16],
    index: &'a SlotIndex,
    w: DisjointMut<'a, f64>,
}

/// One thread's view of a projection's spikes in flight: the emissions of the last
/// `max_delay` steps, each presynaptic neuron's last emission whose synapses have all arrived,
/// the post pathway's per-step index of the queue, and the thread's arrivals by step.
#[derive(Debug)]
pub struct Flight<'a> {
    in_flight: &'a mut VecDeque<(i64, u32)>,
    settled_emission: &'a mut [i64],
    scratch: &'a mut PostScratch,
    due: &'a mut DueSegments,
}

/// A thread's own copy of a projection's spikes in flight (see [`Flight`]).
#[derive(Debug, Clone)]
pub struct FlightCopy {
    in_flight: VecDeque<(i64, u32)>,
    settled_emission: Vec<i64>,
    scratch: PostScratch,
    due: DueSegments,
}

impl FlightCopy {
    /// The copy as a [`Flight`].
    pub fn as_flight(&mut self) -> Flight<'_> {
        Flight {
            in_flight: &mut self.in_flight,
            settled_emission: &mut self.settled_emission,
            scratch: &mut self.scratch,
            due: &mut self.due,
        }
    }
}

impl Flight<'_> {
    /// Records a presynaptic spike emitted at `step`.
    pub fn emit(&mut self, step: i64, pre: u32) {
        self.scratch.step = None;
        self.due.unqueued += 1;
        self.in_flight.push_back((step, pre));
    }
}

impl Synapses {
    /// The shared view and this thread's flight (the store's own).
    pub fn split(&mut self) -> (SynapseView<'_>, Flight<'_>) {
        let Synapses {
            w,
            target,
            delay_steps,
            settled_emission,
            in_flight,
            index,
            post_scratch,
            due,
            ..
        } = self;
        (
            SynapseView {
                target,
                delay_steps,
                index,
                w: DisjointMut::new(w),
            },
            Flight {
                in_flight,
                settled_emission,
                scratch: post_scratch,
                due,
            },
        )
    }

    /// A copy of the spikes in flight, for another thread.
    pub fn flight_copy(&self) -> FlightCopy {
        FlightCopy {
            in_flight: self.in_flight.clone(),
            settled_emission: self.settled_emission.clone(),
            scratch: PostScratch::default(),
            due: DueSegments::default(),
        }
    }

    /// After a run on independent threads (see [`crate::sim::network`]'s schedule), each of
    /// which emitted only its own part's spikes — presynaptic neurons
    /// `pre_bounds[p]..pre_bounds[p + 1]` for part p, part 0 into this store's own flight,
    /// part p > 0 into `others[p − 1]` — the spikes in flight and the settled emissions
    /// become those of one thread that emitted them all: each part's from the thread that
    /// owns it, in the order one thread emits them (emission step, then neuron). The derived
    /// per-step indexes are rebuilt at their next use.
    pub fn merge_part_flights(&mut self, pre_bounds: &[usize], others: &[&FlightCopy]) {
        assert_eq!(pre_bounds.len(), others.len() + 2, "a flight per part");
        let owner = |i: u32| pre_bounds.partition_point(|&b| b <= i as usize) - 1;
        let mut merged: Vec<(i64, u32)> = self
            .in_flight
            .iter()
            .copied()
            .filter(|&(_, i)| owner(i) == 0)
            .collect();
        for (p, copy) in others.iter().enumerate().map(|(k, c)| (k + 1, c)) {
            merged.extend(
                copy.in_flight
                    .iter()
                    .copied()
                    .filter(|&(_, i)| owner(i) == p),
            );
            let own = pre_bounds[p]..pre_bounds[p + 1];
            self.settled_emission[own.clone()].copy_from_slice(&copy.settled_emission[own]);
        }
        merged.sort_unstable();
        self.in_flight = merged.into();
        self.post_scratch.step = None;
        self.due.next_step = None;
    }

    /// Forgets every spike emitted so far (none in flight, no arrival on record).
    pub fn forget_spikes(&mut self) {
        self.post_scratch.step = None;
        self.due.next_step = None;
        self.in_flight.clear();
        self.settled_emission.fill(NEVER);
    }

    /// Records a presynaptic spike emitted at `step`.
    pub fn emit(&mut self, step: i64, pre: u32) {
        self.split().1.emit(step, pre);
    }

    /// Delivers every arrival due at `step` to every postsynaptic neuron (`delivery.first`
    /// must be 0): `target[j] += w_ij` and, with a rule, its `on_pre`. Returns the number of
    /// delivered events.
    pub fn deliver<R: Plasticity>(&mut self, step: i64, delivery: Delivery<'_, R>) -> u64 {
        let blocks = self.index.blocks;
        let (view, mut flight) = self.split();
        view.deliver(&mut flight, step, 0..blocks, delivery)
    }

    /// The post pathway: applies `on_post` to every synapse onto postsynaptic neuron `j`, which
    /// spiked at `spike`, then the rule's incoming-synapse hook if it has one.
    pub fn on_post_spike<R: Plasticity>(
        &mut self,
        j: usize,
        spike: SpikeTime,
        dt_ms: f64,
        rule: &R,
        traces: &PostTraces,
        state: &mut [f64],
    ) {
        let post = PostView {
            a: traces.a[j],
            b: traces.b[j],
        };
        let (view, mut flight) = self.split();
        view.on_post_spike(
            &mut flight,
            (j, spike, dt_ms),
            rule,
            post,
            DisjointMut::new(state),
        );
    }

    /// Rescales each postsynaptic neuron's incoming weights so that their magnitudes sum to
    /// `total` (the sum itself for non-negative weights; signed weights keep their signs);
    /// neurons with a zero sum are left alone. The layout's blocks are rescaled on up to
    /// `threads` threads (each block's synapses are contiguous and onto its own neurons; every
    /// neuron's sum is added up in slot order, so the result is the same for any count).
    pub fn normalize(&mut self, total: f64, threads: usize) {
        let bounds = self.layout_bounds();
        let blocks = bounds.len() - 1;
        let parts = threads.clamp(1, blocks.max(1));
        // Each part's postsynaptic neurons and slots (a block's rows are contiguous).
        let cuts = crate::sim::disjoint::thread_bounds(&bounds, parts);
        let slot_cuts: Vec<usize> = (0..=parts)
            .map(|p| {
                let b = crate::sim::disjoint::thread_blocks(blocks, parts, p).start;
                self.row_start[b * self.n_pre]
            })
            .collect();
        let mut w_parts = Vec::with_capacity(parts);
        let mut rest = &mut self.w[..];
        for p in 0..parts {
            let (mine, others) = rest.split_at_mut(slot_cuts[p + 1] - slot_cuts[p]);
            w_parts.push((
                mine,
                &self.target[slot_cuts[p]..slot_cuts[p + 1]],
                cuts[p]..cuts[p + 1],
            ));
            rest = others;
        }
        let mut w_parts = w_parts.into_iter();
        let own = w_parts.next().expect("at least one part");
        std::thread::scope(|s| {
            for part in w_parts {
                s.spawn(move || normalize_part(part, total));
            }
            normalize_part(own, total);
        });
    }
}

/// [`Synapses::normalize`] on one part: weights `w` onto targets `target`, all among the
/// postsynaptic neurons `posts`.
fn normalize_part((w, target, posts): (&mut [f64], &[u32], Range<usize>), total: f64) {
    let mut factor = vec![0.0; posts.len()];
    for (w, &j) in w.iter().zip(target) {
        factor[j as usize - posts.start] += w.abs();
    }
    for s in factor.iter_mut() {
        *s = if *s > 0.0 { total / *s } else { 1.0 };
    }
    for (w, &j) in w.iter_mut().zip(target) {
        *w *= factor[j as usize - posts.start];
    }
}

impl SynapseView<'_> {
    /// Delivers every arrival due at `step` onto the postsynaptic neurons of layout blocks
    /// `blocks` ([`super::store::layout_blocks`]): `target[j − first] += w_ij` and, with a
    /// rule, its `on_pre`. Every thread calls it on its own flight every step, so each retires
    /// the same settled spikes of those it holds. Arrivals come in the order of the spikes in flight (emission step, then
    /// emission order), then of the blocks, then of the slots; a step that is not delivered
    /// (the next call is for a later step) loses its arrivals. Returns the number of
    /// delivered events.
    pub fn deliver<R: Plasticity>(
        &self,
        flight: &mut Flight<'_>,
        step: i64,
        blocks: Range<usize>,
        delivery: Delivery<'_, R>,
    ) -> u64 {
        flight.scratch.step = None;
        let max_delay = self.index.max_delay as i64;
        while let Some(&(t0, pre)) = flight.in_flight.front() {
            if step - t0 > max_delay {
                flight.settled_emission[pre as usize] = t0;
                flight.in_flight.pop_front();
            } else {
                break;
            }
        }
        self.queue_arrivals(flight, step, &blocks);
        let Delivery {
            target: g,
            first,
            rule,
            t_arrival_ms,
        } = delivery;
        let index = self.index;
        assert!(blocks.end <= index.blocks);
        let (lo_post, hi_post) = (
            index.block_bounds[blocks.start],
            index.block_bounds[blocks.end],
        );
        assert!(first <= lo_post && g.len() >= hi_post - first);
        let mut events = 0u64;
        // The traces as plain slices, so the hot loop keeps their addresses in registers.
        let rule = rule.map(|(r, traces, state)| {
            assert!(traces.a.len() >= hi_post - first && traces.b.len() >= hi_post - first);
            assert!(state.len() >= R::STATE * self.w.len());
            (r, &*traces.a, &*traces.b, state)
        });
        let due = &mut *flight.due;
        let entry = step.rem_euclid(due.ring.len() as i64) as usize;
        let mut segments = std::mem::take(&mut due.ring[entry]);
        for &(lo, hi) in &segments {
            let (lo, hi) = (lo as usize, hi as usize);
            assert!(hi <= self.w.len());
            events += (hi - lo) as u64;
            // SAFETY: slots lo..hi are the synapses of one row and delay, onto the postsynaptic
            // neurons of one of `blocks`; no other thread delivers to or updates them (each
            // owns other blocks), and no other slice of `w` is alive in this thread.
            let weights = unsafe { self.w.range_mut(lo, hi) };
            let targets = &self.target[lo..hi];
            // SAFETY (unchecked indexing): every target of these slots lies in
            // lo_post..hi_post (the blocks'), so j − first < hi_post − first ≤ g.len() and the
            // traces' lengths (asserted above). This is the hottest loop of the simulator.
            match rule {
                Some((rule, post_a, post_b, state)) => {
                    for (k, (w, &j)) in weights.iter_mut().zip(targets).enumerate() {
                        let j = j as usize - first;
                        let slot = lo + k;
                        unsafe {
                            *g.get_unchecked_mut(j) += *w;
                            let post = PostView {
                                a: *post_a.get_unchecked(j),
                                b: *post_b.get_unchecked(j),
                            };
                            // SAFETY: the slot's own state, in this thread's part.
                            let s = state.range_mut(slot * R::STATE, (slot + 1) * R::STATE);
                            *w = rule.on_pre(*w, s, post, t_arrival_ms);
                        }
                    }
                }
                None => {
                    for (w, &j) in weights.iter().zip(targets) {
                        unsafe {
                            *g.get_unchecked_mut(j as usize - first) += *w;
                        }
                    }
                }
            }
        }
        segments.clear();
        due.ring[entry] = segments;
        due.next_step = Some(step + 1);
        events
    }

    /// Brings the flight's ring of due segments up to `step` for `blocks`: the spikes emitted
    /// since the last delivery are queued; if this delivery is not the step after the last
    /// one, or for other blocks, or the ring was built against another layout (another
    /// projection's, or this one's before a relayout), it is rebuilt from every spike in
    /// flight. Either way only arrivals at `step` or later are queued.
    fn queue_arrivals(&self, flight: &mut Flight<'_>, step: i64, blocks: &Range<usize>) {
        let due = &mut *flight.due;
        let slots = self.index.max_delay + 1;
        let fresh = due.next_step == Some(step)
            && due.layout_id == self.index.layout_id
            && due.blocks == *blocks
            && due.ring.len() == slots
            && due.unqueued <= flight.in_flight.len();
        let new_spikes = if fresh {
            flight.in_flight.len() - due.unqueued
        } else {
            due.ring.resize_with(slots, Vec::new);
            due.ring.iter_mut().for_each(Vec::clear);
            due.blocks = blocks.clone();
            due.layout_id = self.index.layout_id;
            0
        };
        due.unqueued = 0;
        let index = self.index;
        let stride = index.max_delay + 2;
        for &(t0, pre) in flight.in_flight.range(new_spikes..) {
            let first_delay = (step - t0).max(0) as usize;
            for block in blocks.clone() {
                let c = (pre as usize * index.blocks + block) * stride;
                let starts = &index.start[c..c + stride];
                for d in first_delay..=index.max_delay {
                    let (lo, hi) = (starts[d], starts[d + 1]);
                    if lo < hi {
                        let arrival = (t0 + d as i64).rem_euclid(slots as i64) as usize;
                        due.ring[arrival].push((lo, hi));
                    }
                }
            }
        }
    }

    /// Fills `out` with (presynaptic neuron, slot, step of the last arrival delivered by
    /// `step` — [`NEVER`] if none) for every synapse onto `j`, by presynaptic neuron.
    fn last_arrivals(
        &self,
        settled_emission: &[i64],
        (j, step): (usize, i64),
        in_flight_by_pre: &[(u32, i64)],
        out: &mut Vec<(usize, usize, i64)>,
    ) {
        out.clear();
        let (lo, hi) = (
            self.index.incoming_start[j] as usize,
            self.index.incoming_start[j + 1] as usize,
        );
        let mut cursor = 0;
        for &(i, k) in &self.index.incoming[lo..hi] {
            let (i, k) = (i as usize, k as usize);
            let d = self.delay_steps[k] as i64;
            let mut last = match settled_emission[i] {
                NEVER => NEVER,
                e => e + d,
            };
            while cursor < in_flight_by_pre.len() && (in_flight_by_pre[cursor].0 as usize) < i {
                cursor += 1;
            }
            let mut c = cursor;
            while c < in_flight_by_pre.len() && in_flight_by_pre[c].0 as usize == i {
                let arrival = in_flight_by_pre[c].1 + d;
                if arrival <= step {
                    last = last.max(arrival);
                }
                c += 1;
            }
            out.push((i, k, last));
        }
    }

    /// The post pathway: applies `on_post` to every synapse onto postsynaptic neuron `j`
    /// (traces `post`), which spiked at `spike` (step `dt_ms`), then the rule's incoming-synapse
    /// hook if it has one. Called only by the thread whose part holds `j`.
    pub fn on_post_spike<R: Plasticity>(
        &self,
        flight: &mut Flight<'_>,
        (j, spike, dt_ms): (usize, SpikeTime, f64),
        rule: &R,
        post: PostView,
        state: DisjointMut<'_, f64>,
    ) {
        assert!(state.len() >= R::STATE * self.w.len());
        let scratch = &mut *flight.scratch;
        // Emissions still in flight, grouped by presynaptic neuron (few: the last max_delay
        // steps), once per step for all of the step's postsynaptic spikes.
        if scratch.step != Some(spike.step) {
            scratch.by_pre.clear();
            scratch
                .by_pre
                .extend(flight.in_flight.iter().map(|&(t0, i)| (i, t0)));
            scratch.by_pre.sort_unstable();
            scratch.step = Some(spike.step);
        }
        self.last_arrivals(
            flight.settled_emission,
            (j, spike.step),
            &scratch.by_pre,
            &mut scratch.arrivals,
        );
        let slot = |k: usize| {
            // SAFETY: slot k is a synapse onto j, whose part belongs to the calling thread;
            // the reference lives for this one update.
            unsafe { &mut self.w.range_mut(k, k + 1)[0] }
        };
        for &(_, k, last) in &scratch.arrivals {
            // SAFETY: as for the weight, the state of a synapse onto j.
            let s = unsafe { state.range_mut(k * R::STATE, (k + 1) * R::STATE) };
            let w = slot(k);
            *w = rule.on_post(*w, s, last, post, spike, dt_ms);
        }
        if rule.sees_incoming() {
            // SAFETY (state): as for the weights, the state of synapses onto j.
            let eta = |k: usize| unsafe { &mut state.range_mut(k * R::STATE, k * R::STATE + 1)[0] };
            let mut incoming: Vec<IncomingSynapse> = scratch
                .arrivals
                .iter()
                .map(|&(pre, k, last)| IncomingSynapse {
                    pre,
                    w: *slot(k),
                    last_arrival_step: last,
                    eta: if R::STATE > 0 { *eta(k) } else { 1.0 },
                })
                .collect();
            rule.on_post_incoming(j, spike, dt_ms, &mut incoming);
            for (&(_, k, _), s) in scratch.arrivals.iter().zip(&incoming) {
                *slot(k) = s.w;
                if R::STATE > 0 {
                    *eta(k) = s.eta;
                }
            }
        }
    }
}
