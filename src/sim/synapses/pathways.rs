//! The pre and post pathways: emitting spikes, delivering arrivals with a rule's
//! presynaptic update, the rule's postsynaptic update of a neuron's incoming synapses, and the
//! per-neuron normalisation of weights.

use super::store::Synapses;
use crate::sim::plasticity::{IncomingSynapse, Plasticity, PostTraces, PostView, SpikeTime, NEVER};

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
