//! Synapses: a dense projection with per-synapse delays and a pluggable plasticity rule.
//!
//! Weights are stored row-major by presynaptic neuron (`w[i * n_post + j]`), so a presynaptic
//! spike touches one contiguous row. Each row's synapses are pre-sorted into delay buckets: a
//! spike emitted at step t0 delivers, at step t0 + d, exactly the synapses whose delay is d
//! steps (a ring of the spikes of the last `max_delay` steps; no per-event allocation).
//! Presynaptic traces are per synapse (they are set at each *arrival*, which differs between
//! synapses of one presynaptic neuron) and kept lazily as the step of the last arrival.

use super::plasticity::Plasticity;
use std::collections::VecDeque;

/// Marker for "no arrival yet" in [`DelayedDense::last_arrival`].
pub const NEVER: i64 = i64::MIN;

/// A dense projection with per-synapse delays.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DelayedDense {
    /// Presynaptic population size.
    pub n_pre: usize,
    /// Postsynaptic population size.
    pub n_post: usize,
    /// Weights, row-major by presynaptic neuron.
    pub w: Vec<f64>,
    /// Delays in steps, same layout.
    pub delay_steps: Vec<u16>,
    /// Step of each synapse's last presynaptic arrival ([`NEVER`] if none), same layout.
    pub last_arrival: Vec<i64>,
    /// Spikes emitted during the last `max_delay` steps: (emission step, presynaptic index).
    pub in_flight: VecDeque<(i64, u32)>,
    #[serde(skip)]
    buckets: Buckets,
}

/// Per presynaptic neuron, its postsynaptic indices sorted by delay, with bucket boundaries.
#[derive(Debug, Clone, Default, PartialEq)]
struct Buckets {
    max_delay: usize,
    /// `order[i * n_post ..][..n_post]`: postsynaptic indices of row i sorted by delay.
    order: Vec<u32>,
    /// `start[i * (max_delay + 2) + d]`: first position in row i's order with delay ≥ d.
    start: Vec<u32>,
}

impl DelayedDense {
    /// A projection with the given weights and delays (both `n_pre * n_post`, row-major by pre).
    pub fn new(n_pre: usize, n_post: usize, w: Vec<f64>, delay_steps: Vec<u16>) -> Self {
        assert_eq!(w.len(), n_pre * n_post, "weights must be n_pre * n_post");
        assert_eq!(
            delay_steps.len(),
            n_pre * n_post,
            "delays must be n_pre * n_post"
        );
        let mut projection = Self {
            n_pre,
            n_post,
            w,
            delay_steps,
            last_arrival: vec![NEVER; n_pre * n_post],
            in_flight: VecDeque::new(),
            buckets: Buckets::default(),
        };
        projection.prepare();
        projection
    }

    /// (Re)builds the delay buckets (after deserialising).
    pub fn prepare(&mut self) {
        let n = self.n_post;
        let max_delay = self.delay_steps.iter().copied().max().unwrap_or(0) as usize;
        let stride = max_delay + 2;
        let mut order = Vec::with_capacity(self.n_pre * n);
        let mut start = vec![0u32; self.n_pre * stride];
        for i in 0..self.n_pre {
            let row = &self.delay_steps[i * n..(i + 1) * n];
            let mut idx: Vec<u32> = (0..n as u32).collect();
            idx.sort_by_key(|&j| (row[j as usize], j));
            for d in 0..stride {
                start[i * stride + d] =
                    idx.partition_point(|&j| (row[j as usize] as usize) < d) as u32;
            }
            order.extend(idx);
        }
        self.buckets = Buckets {
            max_delay,
            order,
            start,
        };
    }

    /// Records a presynaptic spike emitted at `step`.
    pub fn emit(&mut self, step: i64, pre: u32) {
        self.in_flight.push_back((step, pre));
    }

    /// Delivers every arrival due at `step`: `g[j] += w_ij`, marks the arrival (the
    /// presynaptic trace is reset to 1) and, with a rule, applies its `on_pre` with the
    /// postsynaptic trace `post1[j]`. Counts the delivered events into `events`.
    pub fn deliver<P: Plasticity + ?Sized>(
        &mut self,
        step: i64,
        g: &mut [f64],
        post1: &[f64],
        rule: Option<&P>,
        events: &mut u64,
    ) {
        let max_delay = self.buckets.max_delay as i64;
        while let Some(&(t0, _)) = self.in_flight.front() {
            if step - t0 > max_delay {
                self.in_flight.pop_front();
            } else {
                break;
            }
        }
        let n = self.n_post;
        let stride = self.buckets.max_delay + 2;
        for &(t0, pre) in &self.in_flight {
            let d = (step - t0) as usize;
            let i = pre as usize;
            let lo = self.buckets.start[i * stride + d] as usize;
            let hi = self.buckets.start[i * stride + d + 1] as usize;
            let order = &self.buckets.order[i * n..(i + 1) * n];
            let row = &mut self.w[i * n..(i + 1) * n];
            let arrivals = &mut self.last_arrival[i * n..(i + 1) * n];
            let targets = &order[lo..hi];
            assert!(
                g.len() >= n && post1.len() >= n,
                "one value per postsynaptic neuron"
            );
            // SAFETY: `order` is built in `prepare` as a permutation of 0..n_post for every
            // row, so each j < n = row.len() = arrivals.len() <= g.len(), post1.len()
            // (asserted above). Unchecked indexing removes four bounds checks per event from
            // the simulator's hottest loop.
            match rule {
                Some(rule) => {
                    for &j in targets {
                        let j = j as usize;
                        unsafe {
                            let w = *row.get_unchecked(j);
                            *g.get_unchecked_mut(j) += w;
                            *arrivals.get_unchecked_mut(j) = step;
                            *row.get_unchecked_mut(j) = rule.on_pre(w, *post1.get_unchecked(j));
                        }
                    }
                }
                None => {
                    for &j in targets {
                        let j = j as usize;
                        unsafe {
                            *g.get_unchecked_mut(j) += *row.get_unchecked(j);
                            *arrivals.get_unchecked_mut(j) = step;
                        }
                    }
                }
            }
            *events += (hi - lo) as u64;
        }
    }

    /// Applies `on_post` to every synapse onto postsynaptic neuron `j`, which spiked at `step`;
    /// the presynaptic trace of synapse (i, j) is `pre_decay^(step − last_arrival)`, with
    /// `pre_decay = e^{−dt/τ_pre}` (0 before any arrival).
    pub fn on_post_spike<P: Plasticity + ?Sized>(
        &mut self,
        j: usize,
        step: i64,
        pre_decay_log: f64,
        post2_before: f64,
        rule: &P,
    ) {
        let n = self.n_post;
        for i in 0..self.n_pre {
            let last = self.last_arrival[i * n + j];
            let pre = if last == NEVER {
                0.0
            } else {
                ((step - last) as f64 * pre_decay_log).exp()
            };
            let w = &mut self.w[i * n + j];
            *w = rule.on_post(*w, pre, post2_before);
        }
    }

    /// Rescales each postsynaptic neuron's incoming weights to sum to `total` (columns with a
    /// zero sum are left alone).
    pub fn normalize_columns(&mut self, total: f64, sums: &mut Vec<f64>) {
        let n = self.n_post;
        sums.clear();
        sums.resize(n, 0.0);
        for row in self.w.chunks_exact(n) {
            sums.iter_mut().zip(row).for_each(|(s, w)| *s += w);
        }
        for s in sums.iter_mut() {
            *s = if *s > 0.0 { total / *s } else { 1.0 };
        }
        for row in self.w.chunks_exact_mut(n) {
            row.iter_mut().zip(sums.iter()).for_each(|(w, f)| *w *= f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::plasticity::TripletStdp;

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
        assert!(p.in_flight.is_empty() || p.in_flight.len() == 1);
        assert_eq!(p.last_arrival, vec![10, 12, 15]);
    }

    #[test]
    fn normalisation_sets_column_sums() {
        let mut p = DelayedDense::new(2, 2, vec![1.0, 0.5, 3.0, 0.5], vec![0; 4]);
        p.normalize_columns(78.0, &mut Vec::new());
        assert!((p.w[0] + p.w[2] - 78.0).abs() < 1e-12);
        assert!((p.w[1] + p.w[3] - 78.0).abs() < 1e-12);
        assert!((p.w[0] / p.w[2] - 1.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn post_spike_uses_each_synapse_s_own_trace() {
        let rule = TripletStdp {
            nu_pre: 1e-4,
            nu_post: 1e-2,
            w_min: 0.0,
            w_max: 1.0,
        };
        let mut p = DelayedDense::new(2, 1, vec![0.5, 0.5], vec![0, 0]);
        p.last_arrival[0] = 0; // arrived 40 steps (20 ms at dt 0.5) before the post spike
        let dt_over_tau_pre = 0.5 / 20.0;
        p.on_post_spike(0, 40, -dt_over_tau_pre, 0.8, &rule);
        let expected = 0.5 + 1e-2 * (-1.0f64).exp() * 0.8;
        assert!((p.w[0] - expected).abs() < 1e-15);
        assert!(
            (p.w[1] - 0.5).abs() < 1e-15,
            "never-arrived synapse must not change"
        );
    }
}
