//! The synapse store: rows by presynaptic neuron in delay order, the derived delay and column
//! indices, and access by (pre, post).

use std::collections::VecDeque;
use std::ops::Range;

/// A projection onto this many postsynaptic neurons or more is laid out in two blocks.
const TWO_BLOCKS_FROM: usize = 1024;

/// Blocks the synapses onto `n_post` neurons are laid out in: the slots onto each contiguous
/// block of postsynaptic neurons are stored apart, so that the threads running a network, each
/// owning whole blocks, never write the same cache line. Two blocks from [`TWO_BLOCKS_FROM`]
/// neurons (the machines this project runs on have two cores). Smaller targets are one block:
/// each block costs a queued segment per spike and delay, and measured on Diehl & Cook's
/// network (400 and 1600 neurons, where a step is 1-15 µs of work; with the per-step segment
/// lookup that preceded the ring) a second thread made training slower, not faster; on the
/// 9 408-neuron split-and-merge shape it makes a presentation 1.6× faster.
/// Where the blocks are cut is the network's choice ([`Synapses::relayout`]); results never
/// depend on it: a neuron's arrivals come in the same order in any layout.
pub fn layout_blocks(n_post: usize) -> usize {
    if n_post >= TWO_BLOCKS_FROM {
        2
    } else {
        1
    }
}

/// [`layout_blocks`] blocks of (nearly) equal numbers of neurons: the layout synapses are
/// built in, before a network cuts them where the work is.
pub fn even_bounds(n_post: usize) -> Vec<usize> {
    crate::sim::disjoint::part_bounds(n_post, layout_blocks(n_post))
}

/// True for block cuts of `n_post` neurons: at least one block, rising from 0 to `n_post`.
pub(super) fn valid_cuts(bounds: &[usize], n_post: usize) -> bool {
    bounds.len() >= 2
        && bounds[0] == 0
        && bounds[bounds.len() - 1] == n_post
        && bounds.windows(2).all(|b| b[0] <= b[1])
}

/// The block of postsynaptic neuron `j` in a layout cut at `bounds`.
pub(super) fn block_of(bounds: &[usize], j: usize) -> usize {
    bounds.partition_point(|&b| b <= j) - 1
}

/// One synapse as the constructors take it: (presynaptic, postsynaptic, weight, delay in steps).
pub type SynapseSpec = (usize, usize, f64, u16);

/// The synapses of one projection.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Synapses {
    /// Presynaptic population size.
    pub n_pre: usize,
    /// Postsynaptic population size.
    pub n_post: usize,
    /// Row r = b·n_pre + i — the synapses of presynaptic neuron i onto the postsynaptic neurons
    /// of block b — is the slots `row_start[r]..row_start[r + 1]`.
    pub row_start: Vec<usize>,
    /// Block b of the layout is the postsynaptic neurons `block_bounds[b]..block_bounds[b + 1]`
    /// (built in [`layout_blocks`] equal blocks; a network cuts them where the work is,
    /// [`Synapses::relayout`]). Empty in checkpoints written before it was stored: the rows then
    /// tell the block count, and the blocks are equal ([`Synapses::layout_bounds`]).
    #[serde(default)]
    pub block_bounds: Vec<usize>,
    /// Weight of each slot.
    pub w: Vec<f64>,
    /// Postsynaptic neuron of each slot (rows sorted by delay, then target).
    pub target: Vec<u32>,
    /// Delay (steps) of each slot.
    pub delay_steps: Vec<u16>,
    /// Per presynaptic neuron, the last emission step all of whose synapses have arrived.
    pub(crate) settled_emission: Vec<i64>,
    /// Spikes emitted during the last `max_delay` steps: (emission step, presynaptic index).
    /// In emission order (step, then neuron). Changed only by [`Synapses::emit`], delivery
    /// (which retires settled spikes), [`Synapses::merge_part_flights`] and
    /// [`Synapses::forget_spikes`], which keep every thread's ring of due segments in step.
    pub(crate) in_flight: VecDeque<(i64, u32)>,
    #[serde(skip)]
    pub(super) index: SlotIndex,
    #[serde(skip)]
    pub(super) post_scratch: PostScratch,
    #[serde(skip)]
    pub(super) due: DueSegments,
}

/// Buffers of the post pathway, reused across the spikes of a step (no allocation per spike).
#[derive(Debug, Clone, Default)]
pub(super) struct PostScratch {
    /// The step `by_pre` was built for.
    pub(super) step: Option<i64>,
    /// The spikes in flight as (presynaptic neuron, emission step), sorted.
    pub(super) by_pre: Vec<(u32, i64)>,
    /// (presynaptic neuron, slot, last arrival step) of the spiking neuron's synapses.
    pub(super) arrivals: Vec<(usize, usize, i64)>,
}

impl PartialEq for PostScratch {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// A thread's arrivals of the next `max_delay + 1` steps as slot ranges: each spike's
/// segments are queued once, at the first delivery after its emission (derived from the spikes
/// in flight and rebuilt from them whenever in doubt; not state, so any two compare equal).
/// Delivering a step is then a walk over one list of ranges, where looking up every spike in
/// flight's delay segment at every step cost a scattered index read per spike and step (most
/// segments hold a handful of synapses).
#[derive(Debug, Clone, Default)]
pub(super) struct DueSegments {
    /// The step whose arrivals the next delivery takes from the ring (None: rebuild it).
    pub(super) next_step: Option<i64>,
    /// The layout ([`SlotIndex::layout_id`]) the ranges are slots of.
    pub(super) layout_id: u64,
    /// The layout blocks whose segments the ring holds.
    pub(super) blocks: Range<usize>,
    /// Spikes at the back of the queue emitted since the last delivery, not yet in the ring.
    pub(super) unqueued: usize,
    /// Entry `t mod (max_delay + 1)`: the slot ranges arriving at step t, in the order of the
    /// spikes in flight, then of the blocks (the order arrivals were always delivered in).
    pub(super) ring: Vec<Vec<(u32, u32)>>,
}

impl PartialEq for DueSegments {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The next [`SlotIndex::layout_id`].
static NEXT_LAYOUT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Derived lookup tables (rebuilt by [`Synapses::prepare`]; not state, so any two compare
/// equal).
#[derive(Debug, Clone, Default)]
pub(super) struct SlotIndex {
    /// Unique to each [`Synapses::prepare`] in the process (never 0): a ring of due segments
    /// built against another layout is rebuilt.
    pub(super) layout_id: u64,
    pub(super) max_delay: usize,
    /// Blocks the postsynaptic neurons are laid out in ([`Synapses::block_bounds`]).
    pub(super) blocks: usize,
    /// Block b is postsynaptic neurons `block_bounds[b]..block_bounds[b + 1]`.
    pub(super) block_bounds: Vec<usize>,
    /// `start[(i · blocks + b) · (max_delay + 2) + d]`: first slot with delay ≥ d of the row of
    /// presynaptic neuron i onto block b (a neuron's blocks side by side: one cache line serves
    /// every block of an arrival).
    pub(super) start: Vec<u32>,
    /// Incoming synapses of postsynaptic neuron j: `incoming[incoming_start[j]..[j + 1]]`,
    /// as (presynaptic neuron, slot), by presynaptic neuron.
    pub(super) incoming_start: Vec<u32>,
    pub(super) incoming: Vec<(u32, u32)>,
    /// Per presynaptic neuron, the lowest and highest of its targets (`(u32::MAX, 0)` without
    /// synapses): where the threads running a network can be cut so that none of its spikes
    /// reaches another thread's neurons ([`Synapses::stays_within_parts`]).
    pub(super) target_span: Vec<(u32, u32)>,
}

impl PartialEq for SlotIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Synapses {
    /// The layout's block cuts: the stored ones, or for a checkpoint written before they were
    /// stored, the equal cuts of as many blocks as the rows tell (one block before blocks
    /// existed).
    pub fn layout_bounds(&self) -> Vec<usize> {
        if !self.block_bounds.is_empty() {
            return self.block_bounds.clone();
        }
        let blocks = (self.row_start.len().saturating_sub(1))
            .checked_div(self.n_pre)
            .map_or(layout_blocks(self.n_post), |b| b.max(1));
        crate::sim::disjoint::part_bounds(self.n_post, blocks)
    }

    /// Incoming synapses of each postsynaptic neuron.
    pub fn incoming_counts(&self) -> Vec<u64> {
        let mut counts = vec![0u64; self.n_post];
        for &j in &self.target {
            counts[j as usize] += 1;
        }
        counts
    }

    /// (Re)builds the lookup tables (after deserialising or re-laying out).
    pub fn prepare(&mut self) {
        let max_delay = self.delay_steps.iter().copied().max().unwrap_or(0) as usize;
        self.block_bounds = self.layout_bounds();
        let blocks = self.block_bounds.len() - 1;
        let rows = blocks * self.n_pre;
        assert_eq!(
            self.row_start.len(),
            rows + 1,
            "laid out in {blocks} blocks"
        );
        let stride = max_delay + 2;
        let mut start = vec![0u32; rows * stride];
        for r in 0..rows {
            let (lo, hi) = (self.row_start[r], self.row_start[r + 1]);
            let delays = &self.delay_steps[lo..hi];
            let key = (r % self.n_pre) * blocks + r / self.n_pre;
            for (d, s) in start[key * stride..(key + 1) * stride]
                .iter_mut()
                .enumerate()
            {
                *s = (lo + delays.partition_point(|&x| (x as usize) < d)) as u32;
            }
        }
        let mut counts = vec![0u32; self.n_post + 1];
        for &j in &self.target {
            counts[j as usize + 1] += 1;
        }
        for j in 0..self.n_post {
            counts[j + 1] += counts[j];
        }
        let mut target_span = vec![(u32::MAX, 0u32); self.n_pre];
        for r in 0..rows {
            let span = &mut target_span[r % self.n_pre];
            for &j in &self.target[self.row_start[r]..self.row_start[r + 1]] {
                *span = (span.0.min(j), span.1.max(j));
            }
        }
        let mut fill = counts.clone();
        let mut incoming = vec![(0u32, 0u32); self.target.len()];
        // Each neuron's synapses are all in its block, so visiting rows in order lists them by
        // presynaptic neuron.
        for r in 0..rows {
            let i = (r % self.n_pre) as u32;
            for k in self.row_start[r]..self.row_start[r + 1] {
                let j = self.target[k] as usize;
                incoming[fill[j] as usize] = (i, k as u32);
                fill[j] += 1;
            }
        }
        self.index = SlotIndex {
            layout_id: NEXT_LAYOUT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            max_delay,
            blocks,
            block_bounds: self.block_bounds.clone(),
            start,
            incoming_start: counts,
            incoming,
            target_span,
        };
    }

    /// Lays the synapses out in the blocks cut at `bounds` (from 0 to `n_post`), from any
    /// layout — another cut, or one block as checkpoints written before blocks stored — and
    /// rebuilds the lookup tables; returns the permutation (new slot k was slot `perm[k]`) for
    /// per-synapse state kept elsewhere, or None when the layout is already that one.
    pub fn relayout(&mut self, bounds: &[usize]) -> Option<Vec<usize>> {
        assert!(
            valid_cuts(bounds, self.n_post),
            "block cuts {bounds:?} of {} neurons",
            self.n_post
        );
        if self.layout_bounds() == bounds {
            if self.block_bounds.is_empty() {
                self.prepare();
            }
            return None;
        }
        let blocks = bounds.len() - 1;
        let block = |j: u32| block_of(bounds, j as usize);
        let mut perm: Vec<usize> = (0..self.w.len()).collect();
        let pre_of: Vec<usize> = (0..self.row_start.len() - 1)
            .flat_map(|r| {
                std::iter::repeat_n(r % self.n_pre, self.row_start[r + 1] - self.row_start[r])
            })
            .collect();
        perm.sort_by_key(|&k| {
            let j = self.target[k];
            (block(j), pre_of[k], self.delay_steps[k], j)
        });
        let mut row_start = vec![0usize; blocks * self.n_pre + 1];
        for &k in &perm {
            row_start[block(self.target[k]) * self.n_pre + pre_of[k] + 1] += 1;
        }
        for r in 0..blocks * self.n_pre {
            row_start[r + 1] += row_start[r];
        }
        self.row_start = row_start;
        self.block_bounds = bounds.to_vec();
        self.w = perm.iter().map(|&k| self.w[k]).collect();
        self.target = perm.iter().map(|&k| self.target[k]).collect();
        self.delay_steps = perm.iter().map(|&k| self.delay_steps[k]).collect();
        self.prepare();
        Some(perm)
    }

    /// True when every synapse joins presynaptic neuron i and postsynaptic neuron j of the same
    /// part: i in `pre_bounds[p]..pre_bounds[p + 1]` and j in `post_bounds[p]..post_bounds[p + 1]`
    /// (equally many parts on both sides). The threads owning those parts then never need
    /// each other's spikes of this projection.
    pub fn stays_within_parts(&self, pre_bounds: &[usize], post_bounds: &[usize]) -> bool {
        assert_eq!(
            pre_bounds.len(),
            post_bounds.len(),
            "as many parts on both sides"
        );
        let part = |bounds: &[usize], k: usize| bounds.partition_point(|&b| b <= k);
        self.index
            .target_span
            .iter()
            .enumerate()
            .filter(|(_, &(lo, hi))| lo <= hi)
            .all(|(i, &(lo, hi))| {
                let p = part(pre_bounds, i);
                part(post_bounds, lo as usize) == p && part(post_bounds, hi as usize) == p
            })
    }

    /// For a projection of a group onto itself: entry c (0..=n) is true when cutting the group
    /// before neuron c separates no presynaptic neuron from any of its targets (0 and n always
    /// are).
    pub fn uncut_positions(&self) -> Vec<bool> {
        assert_eq!(
            self.n_pre, self.n_post,
            "a projection of a group onto itself"
        );
        // +1 where a synapse's span of positions starts, −1 past its end.
        let mut crossing = vec![0i64; self.n_post + 2];
        for (i, &(lo, hi)) in self.index.target_span.iter().enumerate() {
            if lo <= hi {
                let (first, last) = (i.min(lo as usize), i.max(hi as usize));
                crossing[first + 1] += 1;
                crossing[last + 1] -= 1;
            }
        }
        let mut open = 0;
        (0..=self.n_post)
            .map(|c| {
                open += crossing[c];
                open == 0
            })
            .collect()
    }

    /// Every slot, listed by (presynaptic, postsynaptic) neuron: an order of the synapses that
    /// no layout changes (draws per synapse made in it pick the same synapses however the
    /// network is cut into blocks).
    pub fn slots_by_pre_post(&self) -> Vec<usize> {
        let mut slots: Vec<(u32, u32, usize)> = (0..self.row_start.len() - 1)
            .flat_map(|r| {
                let i = (r % self.n_pre) as u32;
                (self.row_start[r]..self.row_start[r + 1]).map(move |k| (i, self.target[k], k))
            })
            .collect();
        slots.sort_unstable();
        slots.into_iter().map(|(_, _, k)| k).collect()
    }

    /// Number of synapses.
    pub fn len(&self) -> usize {
        self.w.len()
    }

    /// True without synapses.
    pub fn is_empty(&self) -> bool {
        self.w.is_empty()
    }

    /// The largest delay (steps).
    pub fn max_delay(&self) -> usize {
        self.index.max_delay
    }

    /// The slot of synapse (i, j), if it exists.
    fn slot(&self, i: usize, j: usize) -> Option<usize> {
        let (lo, hi) = (
            self.index.incoming_start[j] as usize,
            self.index.incoming_start[j + 1] as usize,
        );
        let column = &self.index.incoming[lo..hi];
        column
            .binary_search_by_key(&(i as u32), |&(pre, _)| pre)
            .ok()
            .map(|p| column[p].1 as usize)
    }

    /// The weight of synapse (i, j) (0 if there is none).
    pub fn weight(&self, i: usize, j: usize) -> f64 {
        self.slot(i, j).map_or(0.0, |k| self.w[k])
    }

    /// The delay (steps) of synapse (i, j), if it exists.
    pub fn delay(&self, i: usize, j: usize) -> Option<u16> {
        self.slot(i, j).map(|k| self.delay_steps[k])
    }

    /// The weights onto postsynaptic neuron `j`, one per presynaptic neuron (0 where there is
    /// no synapse).
    pub fn incoming_weights(&self, j: usize) -> Vec<f64> {
        let mut out = vec![0.0; self.n_pre];
        let (lo, hi) = (
            self.index.incoming_start[j] as usize,
            self.index.incoming_start[j + 1] as usize,
        );
        for &(i, k) in &self.index.incoming[lo..hi] {
            out[i as usize] = self.w[k as usize];
        }
        out
    }
}
