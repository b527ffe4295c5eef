//! The synapse store: rows by presynaptic neuron in delay order, the derived delay and column
//! indices, and access by (pre, post).

use std::collections::VecDeque;

/// One synapse as the constructors take it: (presynaptic, postsynaptic, weight, delay in steps).
pub type SynapseSpec = (usize, usize, f64, u16);

/// The synapses of one projection.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Synapses {
    /// Presynaptic population size.
    pub n_pre: usize,
    /// Postsynaptic population size.
    pub n_post: usize,
    /// Row i (presynaptic neuron i) is the slots `row_start[i]..row_start[i + 1]`.
    pub row_start: Vec<usize>,
    /// Weight of each slot.
    pub w: Vec<f64>,
    /// Postsynaptic neuron of each slot (rows sorted by delay, then target).
    pub target: Vec<u32>,
    /// Delay (steps) of each slot.
    pub delay_steps: Vec<u16>,
    /// Per presynaptic neuron, the last emission step all of whose synapses have arrived.
    pub settled_emission: Vec<i64>,
    /// Spikes emitted during the last `max_delay` steps: (emission step, presynaptic index).
    pub in_flight: VecDeque<(i64, u32)>,
    #[serde(skip)]
    pub(super) index: SlotIndex,
    #[serde(skip)]
    pub(super) post_scratch: PostScratch,
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

/// Derived lookup tables (rebuilt by [`Synapses::prepare`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct SlotIndex {
    pub(super) max_delay: usize,
    /// `start[i * (max_delay + 2) + d]`: first slot of row i with delay ≥ d.
    pub(super) start: Vec<u32>,
    /// Incoming synapses of postsynaptic neuron j: `incoming[incoming_start[j]..[j + 1]]`,
    /// as (presynaptic neuron, slot), by presynaptic neuron.
    pub(super) incoming_start: Vec<u32>,
    pub(super) incoming: Vec<(u32, u32)>,
}

impl Synapses {
    /// (Re)builds the lookup tables (after deserialising).
    pub fn prepare(&mut self) {
        let max_delay = self.delay_steps.iter().copied().max().unwrap_or(0) as usize;
        let stride = max_delay + 2;
        let mut start = vec![0u32; self.n_pre * stride];
        for i in 0..self.n_pre {
            let (lo, hi) = (self.row_start[i], self.row_start[i + 1]);
            let delays = &self.delay_steps[lo..hi];
            for (d, s) in start[i * stride..(i + 1) * stride].iter_mut().enumerate() {
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
        let mut fill = counts.clone();
        let mut incoming = vec![(0u32, 0u32); self.target.len()];
        for i in 0..self.n_pre {
            for k in self.row_start[i]..self.row_start[i + 1] {
                let j = self.target[k] as usize;
                incoming[fill[j] as usize] = (i as u32, k as u32);
                fill[j] += 1;
            }
        }
        self.index = SlotIndex {
            max_delay,
            start,
            incoming_start: counts,
            incoming,
        };
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
