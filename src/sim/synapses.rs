//! Synapses: a dense projection with per-synapse delays and a pluggable plasticity rule.
//!
//! Each presynaptic neuron's outgoing synapses are stored in *delay order*: a spike emitted at
//! step t0 delivers, at step t0 + d, the contiguous slice of its row whose delay is d steps, so
//! delivery streams through memory (a ring of the spikes of the last `max_delay` steps; no
//! per-event allocation). `position` maps a postsynaptic index back to its slot, for the rare
//! passes by postsynaptic neuron (postsynaptic spikes, normalisation).
//!
//! Presynaptic traces are per synapse (set at each *arrival*, which differs between synapses of
//! one presynaptic neuron). Instead of storing every synapse's last arrival, it is derived when a
//! postsynaptic spike needs it: the latest emission e of neuron i with e + d_ij ≤ t, taken from
//! the spikes still in flight or, failing those, from the last emission whose synapses have all
//! arrived.

use super::plasticity::Plasticity;
use std::collections::VecDeque;

/// Marker for "no emission yet" in [`DelayedDense::settled_emission`].
pub const NEVER: i64 = i64::MIN;

/// A dense projection with per-synapse delays.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DelayedDense {
    /// Presynaptic population size.
    pub n_pre: usize,
    /// Postsynaptic population size.
    pub n_post: usize,
    /// Weights in slot order: row i holds `w[i * n_post + k]` for the synapse onto
    /// `target[i * n_post + k]`. Use [`DelayedDense::weight`] for (i, j) access.
    pub w: Vec<f64>,
    /// Postsynaptic index of each slot (rows sorted by delay, then index).
    pub target: Vec<u32>,
    /// Delay (steps) of each slot.
    pub delay_steps: Vec<u16>,
    /// Per presynaptic neuron, the last emission step all of whose synapses have arrived.
    pub settled_emission: Vec<i64>,
    /// Spikes emitted during the last `max_delay` steps: (emission step, presynaptic index).
    pub in_flight: VecDeque<(i64, u32)>,
    #[serde(skip)]
    index: SlotIndex,
}

/// Derived lookup tables (rebuilt by [`DelayedDense::prepare`]).
#[derive(Debug, Clone, Default, PartialEq)]
struct SlotIndex {
    max_delay: usize,
    /// `start[i * (max_delay + 2) + d]`: first slot of row i with delay ≥ d.
    start: Vec<u32>,
    /// `position[i * n_post + j]`: slot of the synapse (i, j) in row i.
    position: Vec<u32>,
}

impl DelayedDense {
    /// A projection from row-major weights and delays (`[i * n_post + j]`, both
    /// `n_pre * n_post`); rows are reordered by delay internally.
    pub fn new(n_pre: usize, n_post: usize, w: Vec<f64>, delay_steps: Vec<u16>) -> Self {
        assert_eq!(w.len(), n_pre * n_post, "weights must be n_pre * n_post");
        assert_eq!(
            delay_steps.len(),
            n_pre * n_post,
            "delays must be n_pre * n_post"
        );
        assert!(
            n_post <= u32::MAX as usize,
            "postsynaptic index must fit u32"
        );
        let mut slot_w = Vec::with_capacity(w.len());
        let mut target = Vec::with_capacity(w.len());
        let mut slot_delay = Vec::with_capacity(w.len());
        for i in 0..n_pre {
            let row = i * n_post..(i + 1) * n_post;
            let mut idx: Vec<u32> = (0..n_post as u32).collect();
            idx.sort_by_key(|&j| (delay_steps[row.start + j as usize], j));
            for &j in &idx {
                slot_w.push(w[row.start + j as usize]);
                slot_delay.push(delay_steps[row.start + j as usize]);
            }
            target.extend(idx);
        }
        let mut projection = Self {
            n_pre,
            n_post,
            w: slot_w,
            target,
            delay_steps: slot_delay,
            settled_emission: vec![NEVER; n_pre],
            in_flight: VecDeque::new(),
            index: SlotIndex::default(),
        };
        projection.prepare();
        projection
    }

    /// Checks a deserialised projection (a checkpoint is input): sizes, finite weights, each
    /// row's targets a permutation of the postsynaptic neurons, delays in row order and at
    /// most `max_delay_steps`, spikes in flight from existing neurons. `name` prefixes the
    /// message, e.g. "network.input".
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
        let synapses = n_pre * n_post;
        for (field, len) in [
            ("w", self.w.len()),
            ("target", self.target.len()),
            ("delay_steps", self.delay_steps.len()),
        ] {
            if len != synapses {
                return Err(format!(
                    "{name}.{field} has {len} entries, expected {synapses} ({n_pre} × {n_post})"
                ));
            }
        }
        if let Some(k) = self.w.iter().position(|w| !w.is_finite()) {
            return Err(format!("{name}.w[{k}] = {} is not finite", self.w[k]));
        }
        let mut seen = vec![usize::MAX; n_post];
        for i in 0..n_pre {
            let row = i * n_post..(i + 1) * n_post;
            for k in row.clone() {
                let j = self.target[k] as usize;
                if j >= n_post || seen[j] == i {
                    return Err(format!(
                        "{name}.target[{k}] = {j}: row {i} must list each of the {n_post} \
                         postsynaptic neurons once"
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
            if delays.windows(2).any(|d| d[0] > d[1]) {
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

    /// (Re)builds the lookup tables (after deserialising).
    pub fn prepare(&mut self) {
        let n = self.n_post;
        let max_delay = self.delay_steps.iter().copied().max().unwrap_or(0) as usize;
        let stride = max_delay + 2;
        let mut start = vec![0u32; self.n_pre * stride];
        let mut position = vec![0u32; self.n_pre * n];
        for i in 0..self.n_pre {
            let delays = &self.delay_steps[i * n..(i + 1) * n];
            for (d, s) in start[i * stride..(i + 1) * stride].iter_mut().enumerate() {
                *s = delays.partition_point(|&x| (x as usize) < d) as u32;
            }
            for (k, &j) in self.target[i * n..(i + 1) * n].iter().enumerate() {
                position[i * n + j as usize] = k as u32;
            }
        }
        self.index = SlotIndex {
            max_delay,
            start,
            position,
        };
    }

    /// The weight of synapse (i, j).
    pub fn weight(&self, i: usize, j: usize) -> f64 {
        self.w[i * self.n_post + self.index.position[i * self.n_post + j] as usize]
    }

    /// The delay (steps) of synapse (i, j).
    pub fn delay(&self, i: usize, j: usize) -> u16 {
        self.delay_steps[i * self.n_post + self.index.position[i * self.n_post + j] as usize]
    }

    /// All weights row-major by (i, j).
    pub fn weights_row_major(&self) -> Vec<f64> {
        (0..self.n_pre)
            .flat_map(|i| (0..self.n_post).map(move |j| (i, j)))
            .map(|(i, j)| self.weight(i, j))
            .collect()
    }

    /// Records a presynaptic spike emitted at `step`.
    pub fn emit(&mut self, step: i64, pre: u32) {
        self.in_flight.push_back((step, pre));
    }

    /// Delivers every arrival due at `step`: `g[j] += w_ij` and, with a rule, its `on_pre` with
    /// the postsynaptic trace `post1[j]`. Counts the delivered events into `events`.
    pub fn deliver<P: Plasticity + ?Sized>(
        &mut self,
        step: i64,
        g: &mut [f64],
        post1: &[f64],
        rule: Option<&P>,
        events: &mut u64,
    ) {
        let max_delay = self.index.max_delay as i64;
        while let Some(&(t0, pre)) = self.in_flight.front() {
            if step - t0 > max_delay {
                self.settled_emission[pre as usize] = t0;
                self.in_flight.pop_front();
            } else {
                break;
            }
        }
        let n = self.n_post;
        let stride = self.index.max_delay + 2;
        assert!(
            g.len() >= n && post1.len() >= n,
            "one value per postsynaptic neuron"
        );
        for &(t0, pre) in &self.in_flight {
            let d = (step - t0) as usize;
            let i = pre as usize;
            let lo = i * n + self.index.start[i * stride + d] as usize;
            let hi = i * n + self.index.start[i * stride + d + 1] as usize;
            let weights = &mut self.w[lo..hi];
            let targets = &self.target[lo..hi];
            // SAFETY: every target is a postsynaptic index < n_post = n (built as a permutation
            // of 0..n_post in `new`), and g, post1 have at least n entries (asserted above).
            // Unchecked indexing removes two bounds checks per event from the hottest loop.
            match rule {
                Some(rule) => {
                    for (w, &j) in weights.iter_mut().zip(targets) {
                        let j = j as usize;
                        unsafe {
                            *g.get_unchecked_mut(j) += *w;
                            *w = rule.on_pre(*w, *post1.get_unchecked(j));
                        }
                    }
                }
                None => {
                    for (w, &j) in weights.iter().zip(targets) {
                        unsafe {
                            *g.get_unchecked_mut(j as usize) += *w;
                        }
                    }
                }
            }
            *events += (hi - lo) as u64;
        }
    }

    /// Applies `on_post` to every synapse onto postsynaptic neuron `j`, which spiked at `step`;
    /// the presynaptic trace of synapse (i, j) is `e^{(step − last arrival)·pre_decay_log}`,
    /// with `pre_decay_log = −dt/τ_pre` (0 before any arrival).
    pub fn on_post_spike<P: Plasticity + ?Sized>(
        &mut self,
        j: usize,
        step: i64,
        pre_decay_log: f64,
        post2_before: f64,
        rule: &P,
    ) {
        let n = self.n_post;
        // Emissions still in flight, grouped by presynaptic neuron (few: the last max_delay steps).
        let mut in_flight_by_pre: Vec<(u32, i64)> =
            self.in_flight.iter().map(|&(t0, i)| (i, t0)).collect();
        in_flight_by_pre.sort_unstable();
        let mut cursor = 0;
        for i in 0..self.n_pre {
            let slot = i * n + self.index.position[i * n + j] as usize;
            let d = self.delay_steps[slot] as i64;
            let mut last = match self.settled_emission[i] {
                NEVER => NEVER,
                e => e + d,
            };
            while cursor < in_flight_by_pre.len() && (in_flight_by_pre[cursor].0 as usize) < i {
                cursor += 1;
            }
            let mut k = cursor;
            while k < in_flight_by_pre.len() && in_flight_by_pre[k].0 as usize == i {
                let arrival = in_flight_by_pre[k].1 + d;
                if arrival <= step {
                    last = last.max(arrival);
                }
                k += 1;
            }
            let pre = if last == NEVER {
                0.0
            } else {
                ((step - last) as f64 * pre_decay_log).exp()
            };
            self.w[slot] = rule.on_post(self.w[slot], pre, post2_before);
        }
    }

    /// Rescales each postsynaptic neuron's incoming weights to sum to `total` (columns with a
    /// zero sum are left alone).
    pub fn normalize_columns(&mut self, total: f64, sums: &mut Vec<f64>) {
        let n = self.n_post;
        sums.clear();
        sums.resize(n, 0.0);
        for (row, targets) in self.w.chunks_exact(n).zip(self.target.chunks_exact(n)) {
            for (w, &j) in row.iter().zip(targets) {
                sums[j as usize] += w;
            }
        }
        for s in sums.iter_mut() {
            *s = if *s > 0.0 { total / *s } else { 1.0 };
        }
        for (row, targets) in self.w.chunks_exact_mut(n).zip(self.target.chunks_exact(n)) {
            for (w, &j) in row.iter_mut().zip(targets) {
                *w *= sums[j as usize];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::plasticity::TripletStdp;

    #[test]
    fn each_synapse_arrives_after_its_own_delay() {
        // 1 pre, 3 post with delays 0, 2, 5 steps.
        let mut p = DelayedDense::new(1, 3, vec![0.1, 0.2, 0.3], vec![0, 2, 5]);
        let mut g = vec![0.0; 3];
        let mut events = 0;
        let mut arrival_step = [None; 3];
        p.emit(10, 0);
        for step in 10..20 {
            let before = g.clone();
            p.deliver::<TripletStdp>(step, &mut g, &[0.0; 3], None, &mut events);
            for j in 0..3 {
                if g[j] > before[j] {
                    arrival_step[j] = Some(step);
                }
            }
        }
        assert_eq!(arrival_step, [Some(10), Some(12), Some(15)]);
        assert_eq!(events, 3);
        assert_eq!(
            p.settled_emission,
            vec![10],
            "the spike settles once every synapse arrived"
        );
        assert!(p.in_flight.is_empty());
    }

    #[test]
    fn normalisation_sets_column_sums() {
        let mut p = DelayedDense::new(2, 2, vec![1.0, 0.5, 3.0, 0.5], vec![0; 4]);
        p.normalize_columns(78.0, &mut Vec::new());
        let w = p.weights_row_major();
        assert!((w[0] + w[2] - 78.0).abs() < 1e-12);
        assert!((w[1] + w[3] - 78.0).abs() < 1e-12);
        assert!((w[0] / w[2] - 1.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn post_spike_uses_each_synapse_s_own_trace() {
        let rule = TripletStdp {
            nu_pre: 1e-4,
            nu_post: 1e-2,
            w_min: 0.0,
            w_max: 1.0,
        };
        // Input 0 emitted at step 0 with delay 4: arrival at 4, i.e. 40 steps (20 ms at
        // dt 0.5) before the post spike at 44. Input 1 never fired.
        let mut p = DelayedDense::new(2, 1, vec![0.5, 0.5], vec![4, 0]);
        p.emit(0, 0);
        let mut g = [0.0];
        let mut events = 0;
        for step in 0..44 {
            p.deliver::<TripletStdp>(step, &mut g, &[0.0], None, &mut events);
        }
        let dt_over_tau_pre = 0.5 / 20.0;
        p.on_post_spike(0, 44, -dt_over_tau_pre, 0.8, &rule);
        let expected = 0.5 + 1e-2 * (-1.0f64).exp() * 0.8;
        assert!((p.weight(0, 0) - expected).abs() < 1e-15);
        assert!(
            (p.weight(1, 0) - 0.5).abs() < 1e-15,
            "never-arrived synapse must not change"
        );
        // A spike still in flight (emitted at 42, arrives at 46) does not count yet: the trace
        // comes from the arrival at 34 of the spike emitted at 30.
        let mut q = DelayedDense::new(1, 1, vec![0.5], vec![4]);
        for step in 30..45 {
            if step == 30 || step == 42 {
                q.emit(step, 0);
            }
            q.deliver::<TripletStdp>(step, &mut g, &[0.0], None, &mut events);
        }
        q.on_post_spike(0, 44, -dt_over_tau_pre, 1.0, &rule);
        let expected = 0.5 + 1e-2 * (-(10.0 * dt_over_tau_pre)).exp();
        assert!((q.weight(0, 0) - expected).abs() < 1e-15);
    }
}
