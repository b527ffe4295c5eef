//! Synapses (Brian2's `Synapses`): the synapses of one projection with per-synapse delays, in a
//! layout made for event delivery, and the pre and post pathways that run a plasticity rule.
//!
//! Each presynaptic neuron's outgoing synapses form one row, stored in *delay order* (then by
//! target): a spike emitted at step t0 delivers, at step t0 + d, the contiguous slice of its row
//! whose delay is d steps, so delivery streams through memory (a queue of the spikes of the last
//! `max_delay` steps; no per-event allocation). A column index lists each postsynaptic neuron's
//! incoming synapses by presynaptic neuron, for the passes by postsynaptic neuron (its spikes,
//! normalisation). Dense (all-to-all), random, receptive-field, one-to-one and all-but-self
//! projections are all built into this one layout.
//!
//! The last arrival of a synapse is not stored: when a postsynaptic spike needs it, it is
//! derived from the latest emission e of neuron i with e + d_ij ≤ t, taken from the spikes still
//! in flight or, failing those, from the last emission whose synapses have all arrived.

use super::plasticity::{IncomingSynapse, Plasticity, PostTraces, PostView, SpikeTime, NEVER};
use crate::error::{require_finite, Error, Result};
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
    index: SlotIndex,
    #[serde(skip)]
    post_scratch: PostScratch,
}

/// Buffers of the post pathway, reused across the spikes of a step (no allocation per spike).
#[derive(Debug, Clone, Default)]
struct PostScratch {
    /// The step `by_pre` was built for.
    step: Option<i64>,
    /// The spikes in flight as (presynaptic neuron, emission step), sorted.
    by_pre: Vec<(u32, i64)>,
    /// (presynaptic neuron, slot, last arrival step) of the spiking neuron's synapses.
    arrivals: Vec<(usize, usize, i64)>,
}

impl PartialEq for PostScratch {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Derived lookup tables (rebuilt by [`Synapses::prepare`]).
#[derive(Debug, Clone, Default, PartialEq)]
struct SlotIndex {
    max_delay: usize,
    /// `start[i * (max_delay + 2) + d]`: first slot of row i with delay ≥ d.
    start: Vec<u32>,
    /// Incoming synapses of postsynaptic neuron j: `incoming[incoming_start[j]..[j + 1]]`,
    /// as (presynaptic neuron, slot), by presynaptic neuron.
    incoming_start: Vec<u32>,
    incoming: Vec<(u32, u32)>,
}

/// Where a delivery's charges go and which rule runs on each arrival.
pub struct Delivery<'a, R> {
    /// The target group's variable (conductance or current), one entry per postsynaptic neuron.
    pub target: &'a mut [f64],
    /// The rule with its traces and per-synapse state, when the projection learns.
    pub rule: Option<(&'a R, &'a PostTraces, &'a mut [f64])>,
    /// Arrival time of this step's deliveries (ms): (step + 1)·dt.
    pub t_arrival_ms: f64,
}

impl Synapses {
    /// From (pre, post, weight, delay) synapses: indices checked, weights finite, each pair
    /// at most once.
    pub fn from_list(n_pre: usize, n_post: usize, mut synapses: Vec<SynapseSpec>) -> Result<Self> {
        if n_post > u32::MAX as usize || n_pre > u32::MAX as usize {
            return Err(Error::invalid(
                "neurons",
                n_pre.max(n_post) as f64,
                "< 2^32",
            ));
        }
        for &(i, j, w, _) in &synapses {
            if i >= n_pre || j >= n_post {
                return Err(Error::invalid(
                    "synapse index",
                    (if i >= n_pre { i } else { j }) as f64,
                    &format!("pre < {n_pre} and post < {n_post}"),
                ));
            }
            require_finite("weight", w)?;
        }
        synapses.sort_by_key(|&(i, j, _, d)| (i, d, j));
        if let Some(pair) = synapses
            .windows(2)
            .find(|p| p[0].0 == p[1].0 && p[0].1 == p[1].1)
        {
            return Err(Error::invalid(
                "synapse",
                pair[0].1 as f64,
                &format!("listed once per pair (pre {} twice onto it)", pair[0].0),
            ));
        }
        let mut row_start = vec![0usize; n_pre + 1];
        for &(i, _, _, _) in &synapses {
            row_start[i + 1] += 1;
        }
        for i in 0..n_pre {
            row_start[i + 1] += row_start[i];
        }
        let mut s = Self {
            n_pre,
            n_post,
            row_start,
            w: synapses.iter().map(|s| s.2).collect(),
            target: synapses.iter().map(|s| s.1 as u32).collect(),
            delay_steps: synapses.iter().map(|s| s.3).collect(),
            settled_emission: vec![NEVER; n_pre],
            in_flight: VecDeque::new(),
            index: SlotIndex::default(),
            post_scratch: PostScratch::default(),
        };
        s.prepare();
        Ok(s)
    }

    /// All-to-all from row-major weights and delays (`[i * n_post + j]`).
    pub fn dense(n_pre: usize, n_post: usize, w: Vec<f64>, delay_steps: Vec<u16>) -> Result<Self> {
        if w.len() != n_pre * n_post || delay_steps.len() != n_pre * n_post {
            return Err(Error::invalid(
                "weights",
                w.len() as f64,
                &format!("{n_pre} × {n_post} weights and delays"),
            ));
        }
        let list = (0..n_pre * n_post)
            .map(|k| (k / n_post, k % n_post, w[k], delay_steps[k]))
            .collect();
        Self::from_list(n_pre, n_post, list)
    }

    /// Neuron i → neuron i.
    pub fn one_to_one(n: usize, w: f64, delay: u16) -> Result<Self> {
        Self::from_list(n, n, (0..n).map(|i| (i, i, w, delay)).collect())
    }

    /// Neuron i → every neuron j ≠ i (lateral inhibition).
    pub fn all_but_self(n: usize, w: f64, delay: u16) -> Result<Self> {
        let list = (0..n)
            .flat_map(|i| {
                (0..n)
                    .filter(move |&j| j != i)
                    .map(move |j| (i, j, w, delay))
            })
            .collect();
        Self::from_list(n, n, list)
    }

    /// Each pair (i, j) connected with probability p (one draw per pair from `seed`), weight
    /// `w`, delay uniform in 0..=max_delay steps.
    pub fn random(
        n_pre: usize,
        n_post: usize,
        p: f64,
        w: f64,
        max_delay: u16,
        seed: u64,
    ) -> Result<Self> {
        use rand::{RngExt, SeedableRng};
        if !(0.0..=1.0).contains(&p) {
            return Err(Error::invalid("connection probability", p, "in [0, 1]"));
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut list = Vec::new();
        for i in 0..n_pre {
            for j in 0..n_post {
                let connect = rng.random::<f64>() < p;
                let delay = rng.random_range(0..=max_delay);
                if connect {
                    list.push((i, j, w, delay));
                }
            }
        }
        Self::from_list(n_pre, n_post, list)
    }

    /// Receptive fields over a `width × height` input (row-major pixels): target (r, c) of the
    /// output grid sees the k × k patch whose top-left pixel is (r·stride, c·stride).
    pub fn receptive_fields(
        width: usize,
        height: usize,
        k: usize,
        stride: usize,
        w: f64,
        delay: u16,
    ) -> Result<Self> {
        let patches = receptive_field_patches(width, height, k, stride)?;
        let list = patches
            .iter()
            .enumerate()
            .flat_map(|(target, pixels)| pixels.iter().map(move |&p| (p, target, w, delay)))
            .collect();
        Self::from_list(width * height, patches.len(), list)
    }

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

    /// Checks a deserialised projection (a checkpoint is input): sizes, finite weights, each
    /// row's targets distinct and in range, rows in delay order with delays at most
    /// `max_delay_steps`, spikes in flight from existing neurons. `name` prefixes the message,
    /// e.g. "network.projections[0]".
    pub fn check(
        &self,
        name: &str,
        n_pre: usize,
        n_post: usize,
        max_delay_steps: usize,
    ) -> std::result::Result<(), String> {
        if self.n_pre != n_pre || self.n_post != n_post {
            return Err(format!(
                "{name}.n_pre × n_post = {} × {}, expected {n_pre} × {n_post}",
                self.n_pre, self.n_post
            ));
        }
        let synapses = self.w.len();
        if self.row_start.len() != n_pre + 1
            || self.row_start.first() != Some(&0)
            || self.row_start.last() != Some(&synapses)
            || self.row_start.windows(2).any(|r| r[0] > r[1])
        {
            return Err(format!(
                "{name}.row_start does not index the {synapses} synapses"
            ));
        }
        for (field, len) in [
            ("target", self.target.len()),
            ("delay_steps", self.delay_steps.len()),
        ] {
            if len != synapses {
                return Err(format!(
                    "{name}.{field} has {len} entries, expected {synapses} (one per weight)"
                ));
            }
        }
        if let Some(k) = self.w.iter().position(|w| !w.is_finite()) {
            return Err(format!("{name}.w[{k}] = {} is not finite", self.w[k]));
        }
        let mut seen = vec![usize::MAX; n_post];
        for i in 0..n_pre {
            let row = self.row_start[i]..self.row_start[i + 1];
            for k in row.clone() {
                let j = self.target[k] as usize;
                if j >= n_post || seen[j] == i {
                    return Err(format!(
                        "{name}.target[{k}] = {j}: row {i} must list distinct postsynaptic neurons below {n_post}"
                    ));
                }
                seen[j] = i;
            }
            let delays = &self.delay_steps[row.clone()];
            if let Some(k) = delays.iter().position(|&d| d as usize > max_delay_steps) {
                return Err(format!(
                    "{name}.delay_steps[{}] = {} exceeds the largest delay, {max_delay_steps} steps",
                    row.start + k,
                    delays[k]
                ));
            }
            let keys: Vec<(u16, u32)> = row
                .clone()
                .map(|k| (self.delay_steps[k], self.target[k]))
                .collect();
            if keys.windows(2).any(|p| p[0] > p[1]) {
                return Err(format!(
                    "{name}.delay_steps of row {i} are not in delay order"
                ));
            }
        }
        if self.settled_emission.len() != n_pre {
            return Err(format!(
                "{name}.settled_emission has {} entries, expected {n_pre}",
                self.settled_emission.len()
            ));
        }
        if let Some(&(_, pre)) = self
            .in_flight
            .iter()
            .find(|(_, pre)| *pre as usize >= n_pre)
        {
            return Err(format!(
                "{name}.in_flight names presynaptic neuron {pre} of {n_pre}"
            ));
        }
        Ok(())
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

    /// Forgets every spike emitted so far (none in flight, no arrival on record).
    pub fn forget_spikes(&mut self) {
        self.post_scratch.step = None;
        self.in_flight.clear();
        self.settled_emission.fill(NEVER);
    }

    /// Records a presynaptic spike emitted at `step`.
    pub fn emit(&mut self, step: i64, pre: u32) {
        self.post_scratch.step = None;
        self.in_flight.push_back((step, pre));
    }

    /// Delivers every arrival due at `step`: `target[j] += w_ij` and, with a rule, its `on_pre`.
    /// Returns the number of delivered events.
    pub fn deliver<R: Plasticity>(&mut self, step: i64, delivery: Delivery<'_, R>) -> u64 {
        self.post_scratch.step = None;
        let max_delay = self.index.max_delay as i64;
        while let Some(&(t0, pre)) = self.in_flight.front() {
            if step - t0 > max_delay {
                self.settled_emission[pre as usize] = t0;
                self.in_flight.pop_front();
            } else {
                break;
            }
        }
        let Delivery {
            target: g,
            rule,
            t_arrival_ms,
        } = delivery;
        let stride = self.index.max_delay + 2;
        assert!(g.len() >= self.n_post, "one value per postsynaptic neuron");
        let mut events = 0u64;
        let (rule, traces, state) = match rule {
            Some((r, t, s)) => {
                assert!(t.a.len() >= self.n_post && t.b.len() >= self.n_post);
                assert!(s.len() >= R::STATE * self.w.len());
                (Some(r), Some(t), s)
            }
            None => (None, None, &mut [][..]),
        };
        for &(t0, pre) in &self.in_flight {
            let d = (step - t0) as usize;
            let i = pre as usize;
            let lo = self.index.start[i * stride + d] as usize;
            let hi = self.index.start[i * stride + d + 1] as usize;
            let weights = &mut self.w[lo..hi];
            let targets = &self.target[lo..hi];
            // SAFETY: every target is a postsynaptic index < n_post (checked when built or
            // loaded), and g and the traces have at least n_post entries (asserted above).
            // Unchecked indexing removes the bounds checks from the hottest loop.
            match (rule, traces) {
                (Some(rule), Some(traces)) => {
                    for (k, (w, &j)) in weights.iter_mut().zip(targets).enumerate() {
                        let j = j as usize;
                        let slot = lo + k;
                        unsafe {
                            *g.get_unchecked_mut(j) += *w;
                            let post = PostView {
                                a: *traces.a.get_unchecked(j),
                                b: *traces.b.get_unchecked(j),
                            };
                            let s = &mut state[slot * R::STATE..(slot + 1) * R::STATE];
                            *w = rule.on_pre(*w, s, post, t_arrival_ms);
                        }
                    }
                }
                _ => {
                    for (w, &j) in weights.iter().zip(targets) {
                        unsafe {
                            *g.get_unchecked_mut(j as usize) += *w;
                        }
                    }
                }
            }
            events += (hi - lo) as u64;
        }
        events
    }

    /// Fills `out` with (presynaptic neuron, slot, step of the last arrival delivered by
    /// `step` — [`NEVER`] if none) for every synapse onto `j`, by presynaptic neuron.
    fn last_arrivals(
        &self,
        j: usize,
        step: i64,
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
            let mut last = match self.settled_emission[i] {
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
        let mut scratch = std::mem::take(&mut self.post_scratch);
        // Emissions still in flight, grouped by presynaptic neuron (few: the last max_delay
        // steps), once per step for all of the step's postsynaptic spikes.
        if scratch.step != Some(spike.step) {
            scratch.by_pre.clear();
            scratch
                .by_pre
                .extend(self.in_flight.iter().map(|&(t0, i)| (i, t0)));
            scratch.by_pre.sort_unstable();
            scratch.step = Some(spike.step);
        }
        let post = PostView {
            a: traces.a[j],
            b: traces.b[j],
        };
        self.last_arrivals(j, spike.step, &scratch.by_pre, &mut scratch.arrivals);
        for &(_, k, last) in &scratch.arrivals {
            let s = &mut state[k * R::STATE..(k + 1) * R::STATE];
            self.w[k] = rule.on_post(self.w[k], s, last, post, spike, dt_ms);
        }
        if rule.sees_incoming() {
            let mut incoming: Vec<IncomingSynapse> = scratch
                .arrivals
                .iter()
                .map(|&(pre, k, last)| IncomingSynapse {
                    pre,
                    w: self.w[k],
                    last_arrival_step: last,
                })
                .collect();
            rule.on_post_incoming(j, spike, &mut incoming);
            for (&(_, k, _), s) in scratch.arrivals.iter().zip(&incoming) {
                self.w[k] = s.w;
            }
        }
        self.post_scratch = scratch;
    }

    /// Rescales each postsynaptic neuron's incoming weights to sum to `total` (neurons with a
    /// zero sum are left alone). `sums` is scratch space.
    pub fn normalize(&mut self, total: f64, sums: &mut Vec<f64>) {
        sums.clear();
        sums.resize(self.n_post, 0.0);
        for (w, &j) in self.w.iter().zip(&self.target) {
            sums[j as usize] += w;
        }
        for s in sums.iter_mut() {
            *s = if *s > 0.0 { total / *s } else { 1.0 };
        }
        for (w, &j) in self.w.iter_mut().zip(&self.target) {
            *w *= sums[j as usize];
        }
    }
}

/// The pixels (row-major indices of a `width × height` input) each receptive field of a k × k
/// kernel with `stride` sees, by output position (row-major over the output grid).
pub fn receptive_field_patches(
    width: usize,
    height: usize,
    k: usize,
    stride: usize,
) -> Result<Vec<Vec<usize>>> {
    if k == 0 || stride == 0 || k > width || k > height {
        return Err(Error::invalid(
            "receptive field",
            k as f64,
            &format!(
                "1 <= k <= min(width, height) = {} with stride >= 1",
                width.min(height)
            ),
        ));
    }
    let (out_w, out_h) = ((width - k) / stride + 1, (height - k) / stride + 1);
    Ok((0..out_h)
        .flat_map(|r| (0..out_w).map(move |c| (r, c)))
        .map(|(r, c)| {
            (0..k)
                .flat_map(|dr| (0..k).map(move |dc| (r * stride + dr) * width + c * stride + dc))
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests;
