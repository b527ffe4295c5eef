//! Plasticity rules, the plug-ins of the synapse update (NETWORKS.md §1).
//!
//! A rule sees the events of one synapse — a presynaptic arrival, a postsynaptic spike — with
//! the traces it keeps per postsynaptic neuron ([`PostTraces`]) and the synapse's own state
//! (`STATE` values per synapse, e.g. an η per synapse for variable plasticity; none for plain
//! STDP), and returns the new weight. A rule may also see every incoming synapse of a neuron
//! that just fired ([`Plasticity::on_post_incoming`], where credit assignment over paths goes).
//! The network's loop is the same for every rule; [`Rule`] lists the rules a network can hold.
//!
//! Timing (see [`crate::sim::network`]): a presynaptic spike delivered at step s acts on its
//! target from the end of that step, so its arrival time is (s + 1)·dt; a postsynaptic spike
//! at step s happens at s·dt + offset, offset ∈ (0, dt] located inside the step where the
//! neuron model can (current-based LIF) and dt otherwise.

pub mod attribution;
mod meso;

pub use meso::{AttributionParams, EtaDynamics, EventCount, MesoEvents, MesoStdp};

/// Per postsynaptic neuron, the traces a rule keeps (their meaning is the rule's).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PostTraces {
    /// First trace (triplet: post1; pair: time of the last postsynaptic spike, ms).
    pub a: Vec<f64>,
    /// Second trace (triplet: post2; pair: unused, zeros).
    pub b: Vec<f64>,
}

/// The traces of a contiguous range of postsynaptic neurons (all of them, or one thread's
/// part), writable; index 0 is the range's first neuron.
#[derive(Debug)]
pub struct TracesMut<'a> {
    /// See [`PostTraces::a`].
    pub a: &'a mut [f64],
    /// See [`PostTraces::b`].
    pub b: &'a mut [f64],
}

impl PostTraces {
    /// Every neuron's traces, writable.
    pub fn as_mut(&mut self) -> TracesMut<'_> {
        TracesMut {
            a: &mut self.a,
            b: &mut self.b,
        }
    }

    /// The traces of neurons `range` (a copy), for a thread to keep on its own.
    pub fn extract(&self, range: std::ops::Range<usize>) -> Self {
        Self {
            a: self.a[range.clone()].to_vec(),
            b: self.b[range].to_vec(),
        }
    }

    /// Writes back `part`, extracted from neurons `first..`.
    pub fn restore(&mut self, first: usize, part: &Self) {
        self.a[first..first + part.a.len()].copy_from_slice(&part.a);
        self.b[first..first + part.b.len()].copy_from_slice(&part.b);
    }
}

impl TracesMut<'_> {
    /// A shorter-lived borrow of the same traces.
    pub fn reborrow(&mut self) -> TracesMut<'_> {
        TracesMut {
            a: self.a,
            b: self.b,
        }
    }

    /// Neuron `j`'s traces (j counted from the range's start).
    #[inline]
    pub fn view(&self, j: usize) -> PostView {
        PostView {
            a: self.a[j],
            b: self.b[j],
        }
    }
}

/// One neuron's traces, by value (the hot path reads them once per event).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PostView {
    /// See [`PostTraces::a`].
    pub a: f64,
    /// See [`PostTraces::b`].
    pub b: f64,
}

/// When a postsynaptic neuron spiked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpikeTime {
    /// The step during which it crossed threshold.
    pub step: i64,
    /// Time of the crossing after the step's start (ms).
    pub offset_ms: f64,
}

/// An incoming synapse of a neuron that just fired, as [`Plasticity::on_post_incoming`] sees
/// it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IncomingSynapse {
    /// Presynaptic neuron.
    pub pre: usize,
    /// Its weight (the rule may change it).
    pub w: f64,
    /// Step of its last delivered presynaptic spike ([`NEVER`] if none).
    pub last_arrival_step: i64,
    /// Its learning rate: the first value of its state (1 for rules without state); a rule
    /// may change it.
    pub eta: f64,
}

/// ln of [`crate::sim::decay::FLOOR`].
const LN_FLOOR: f64 = -69.077_552_789_821_37;

/// "No presynaptic spike delivered yet".
pub const NEVER: i64 = i64::MIN;

/// A synaptic plasticity rule.
pub trait Plasticity: Sync + Send {
    /// Values of state each synapse carries (kept by the projection, slot order).
    const STATE: usize = 0;
    /// Traces of `n` postsynaptic neurons before any spike.
    fn new_traces(&self, n: usize) -> PostTraces;
    /// Once per step, after the neuron groups and before propagation.
    fn decay(&self, traces: TracesMut<'_>);
    /// New weight when a presynaptic spike arrives at time `t_arrival_ms` at a synapse onto a
    /// neuron with traces `post`.
    fn on_pre(&self, w: f64, state: &mut [f64], post: PostView, t_arrival_ms: f64) -> f64;
    /// New weight when the postsynaptic neuron spikes at `spike` (step length `dt_ms`); the
    /// synapse's last presynaptic spike was delivered at `last_arrival_step` ([`NEVER`]).
    fn on_post(
        &self,
        w: f64,
        state: &mut [f64],
        last_arrival_step: i64,
        post: PostView,
        spike: SpikeTime,
        dt_ms: f64,
    ) -> f64;
    /// After every incoming synapse of a neuron saw its spike: update its traces, entry `j` of
    /// `traces`.
    fn after_post(&self, j: usize, spike: SpikeTime, dt_ms: f64, traces: TracesMut<'_>);
    /// Whether the rule needs [`Plasticity::on_post_incoming`] (the network gathers the
    /// incoming synapses only then).
    fn sees_incoming(&self) -> bool {
        false
    }
    /// Every incoming synapse of neuron `j`, which spiked at `spike` (step length `dt_ms`),
    /// after `on_post`.
    fn on_post_incoming(
        &self,
        _j: usize,
        _spike: SpikeTime,
        _dt_ms: f64,
        _incoming: &mut [IncomingSynapse],
    ) {
    }
}

/// The triplet STDP of Diehl & Cook's reference code (NETWORKS.md §2), with Brian2's clock-
/// driven traces: post1 and post2 decay by e^{−dt/τ} each step and are set to 1 at a
/// postsynaptic spike; the presynaptic trace of a synapse is e^{−(steps since its last
/// arrival)·dt/τ_pre}. On an arrival `w ← clip(w − ν_pre·post1)`, on a postsynaptic spike
/// `w ← clip(w + ν_post·pre·post2_before)`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TripletStdp {
    /// Depression rate ν_pre.
    pub nu_pre: f64,
    /// Potentiation rate ν_post.
    pub nu_post: f64,
    /// Lower clip of the weight.
    pub w_min: f64,
    /// Upper clip of the weight.
    pub w_max: f64,
    /// e^{−dt/τ_post1}.
    pub post1_decay: f64,
    /// e^{−dt/τ_post2}.
    pub post2_decay: f64,
    /// −dt/τ_pre: the presynaptic trace is e^{(steps since arrival)·pre_decay_log}.
    pub pre_decay_log: f64,
}

impl TripletStdp {
    /// The rule for step `dt_ms` and trace time constants τ_pre, τ_post1, τ_post2 (ms).
    pub fn new(
        nu_pre: f64,
        nu_post: f64,
        (w_min, w_max): (f64, f64),
        dt_ms: f64,
        taus_ms: [f64; 3],
    ) -> Self {
        let [tau_pre, tau_post1, tau_post2] = taus_ms;
        Self {
            nu_pre,
            nu_post,
            w_min,
            w_max,
            post1_decay: (-dt_ms / tau_post1).exp(),
            post2_decay: (-dt_ms / tau_post2).exp(),
            pre_decay_log: -dt_ms / tau_pre,
        }
    }
}

impl TripletStdp {
    /// The presynaptic trace at step `step` of a synapse whose last spike arrived at
    /// `last_arrival_step` ([`NEVER`]: 0); below the floor it is 0, never a subnormal (see
    /// [`crate::sim::decay`]).
    #[inline]
    pub fn pre_trace(&self, last_arrival_step: i64, step: i64) -> f64 {
        if last_arrival_step == NEVER {
            return 0.0;
        }
        let log_pre = (step - last_arrival_step) as f64 * self.pre_decay_log;
        if log_pre < LN_FLOOR {
            0.0
        } else {
            log_pre.exp()
        }
    }
}

impl Plasticity for TripletStdp {
    fn new_traces(&self, n: usize) -> PostTraces {
        PostTraces {
            a: vec![0.0; n],
            b: vec![0.0; n],
        }
    }

    fn decay(&self, traces: TracesMut<'_>) {
        crate::sim::decay::decay_all(traces.a, self.post1_decay);
        crate::sim::decay::decay_all(traces.b, self.post2_decay);
    }

    #[inline]
    fn on_pre(&self, w: f64, _state: &mut [f64], post: PostView, _t_arrival_ms: f64) -> f64 {
        clip(w - self.nu_pre * post.a, self.w_min, self.w_max)
    }

    #[inline]
    fn on_post(
        &self,
        w: f64,
        _state: &mut [f64],
        last_arrival_step: i64,
        post: PostView,
        spike: SpikeTime,
        _dt_ms: f64,
    ) -> f64 {
        let pre = self.pre_trace(last_arrival_step, spike.step);
        clip(w + self.nu_post * pre * post.b, self.w_min, self.w_max)
    }

    fn after_post(&self, j: usize, _spike: SpikeTime, _dt_ms: f64, traces: TracesMut<'_>) {
        traces.a[j] = 1.0;
        traces.b[j] = 1.0;
    }
}

/// Pair-based STDP of MODEL.md §3 with nearest-spike pairing at exact times: a postsynaptic
/// spike potentiates each synapse by A+ B+(w) e^{−Δt/τ+} with Δt since the synapse's last
/// arrival; an arrival depresses by A− B−(w) e^{−Δt/τ−} with Δt since the last postsynaptic
/// spike. One pair Δt = t_post − t_pre thus changes w by the window value S(Δt) (times the
/// soft bound). Trace `a` holds the last postsynaptic spike time (ms).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PairStdp {
    /// Potentiation amplitude A+.
    pub a_plus: f64,
    /// Depression amplitude A−.
    pub a_minus: f64,
    /// τ+ (ms).
    pub tau_plus_ms: f64,
    /// τ− (ms).
    pub tau_minus_ms: f64,
    /// Soft bounds B±(w) (μ = 0: additive).
    pub bounds: crate::model::stdp::SoftBounds,
    /// Lower clip of the weight.
    pub w_min: f64,
    /// Upper clip of the weight.
    pub w_max: f64,
}

impl Plasticity for PairStdp {
    fn new_traces(&self, n: usize) -> PostTraces {
        PostTraces {
            a: vec![f64::NEG_INFINITY; n],
            b: vec![0.0; n],
        }
    }

    fn decay(&self, _traces: TracesMut<'_>) {}

    fn on_pre(&self, w: f64, _state: &mut [f64], post: PostView, t_arrival_ms: f64) -> f64 {
        let trace = (-(t_arrival_ms - post.a) / self.tau_minus_ms).exp();
        clip(
            w - self.a_minus * self.bounds.depression(w) * trace,
            self.w_min,
            self.w_max,
        )
    }

    fn on_post(
        &self,
        w: f64,
        _state: &mut [f64],
        last_arrival_step: i64,
        _post: PostView,
        spike: SpikeTime,
        dt_ms: f64,
    ) -> f64 {
        if last_arrival_step == NEVER {
            return w;
        }
        let t_arrival = (last_arrival_step + 1) as f64 * dt_ms;
        let t_post = spike.step as f64 * dt_ms + spike.offset_ms;
        if t_arrival > t_post {
            // Delivered during the spike's own step: it acts after the spike, pairs later.
            return w;
        }
        let trace = (-(t_post - t_arrival) / self.tau_plus_ms).exp();
        clip(
            w + self.a_plus * self.bounds.potentiation(w) * trace,
            self.w_min,
            self.w_max,
        )
    }

    fn after_post(&self, j: usize, spike: SpikeTime, dt_ms: f64, traces: TracesMut<'_>) {
        traces.a[j] = spike.step as f64 * dt_ms + spike.offset_ms;
    }
}

/// The rules a network can hold.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Rule {
    /// See [`TripletStdp`].
    Triplet(TripletStdp),
    /// See [`PairStdp`].
    Pair(PairStdp),
    /// See [`MesoStdp`].
    Meso(MesoStdp),
}

impl Rule {
    /// Moves traces that were written from outside (the two-copy method's rescaled
    /// difference) back into their range: decaying traces (triplet, MesoNet) into [0, 1], the
    /// pair rule's last-spike time to at most `t_now_ms`.
    pub fn keep_traces_physical(&self, traces: &mut PostTraces, t_now_ms: f64) {
        match self {
            Rule::Triplet(_) | Rule::Meso(_) => {
                for x in traces.a.iter_mut().chain(traces.b.iter_mut()) {
                    *x = x.clamp(0.0, 1.0);
                }
            }
            Rule::Pair(_) => traces.a.iter_mut().for_each(|t| *t = t.min(t_now_ms)),
        }
    }

    /// Traces of `n` postsynaptic neurons before any spike.
    pub fn new_traces(&self, n: usize) -> PostTraces {
        match self {
            Rule::Triplet(r) => r.new_traces(n),
            Rule::Pair(r) => r.new_traces(n),
            Rule::Meso(r) => r.new_traces(n),
        }
    }

    /// Values of state per synapse.
    pub fn state_per_synapse(&self) -> usize {
        match self {
            Rule::Triplet(_) => TripletStdp::STATE,
            Rule::Pair(_) => PairStdp::STATE,
            Rule::Meso(_) => MesoStdp::STATE,
        }
    }

    /// Once per step (see [`Plasticity::decay`]).
    pub fn decay(&self, traces: TracesMut<'_>) {
        match self {
            Rule::Triplet(r) => r.decay(traces),
            Rule::Pair(r) => r.decay(traces),
            Rule::Meso(r) => r.decay(traces),
        }
    }

    /// The leading values of a synapse's state that are learning state (the MesoNet rule's η;
    /// the rest is bookkeeping): what [`crate::sim::Network::plastic_state`] exports.
    pub fn learned_per_synapse(&self) -> usize {
        match self {
            Rule::Meso(_) => 1,
            _ => self.state_per_synapse(),
        }
    }

    /// The learned values of a synapse (weight `w`, state `s`) as they are at `t_ms`, onto
    /// `out` ([`Rule::learned_per_synapse`] of them: the MesoNet rule's η, advanced to `t_ms`
    /// without changing the state).
    pub fn learned_at(&self, w: f64, s: &[f64], t_ms: f64, out: &mut Vec<f64>) {
        match self {
            Rule::Meso(r) => out.push(r.eta_at(w, s, t_ms)),
            _ => out.extend_from_slice(&s[..self.learned_per_synapse()]),
        }
    }

    /// Writes a synapse's learned `values` as its values at `t_ms` (state `s`).
    pub fn set_learned_at(&self, s: &mut [f64], values: &[f64], t_ms: f64) {
        match self {
            Rule::Meso(r) => r.set_eta_at(s, values[0], t_ms),
            _ => s[..values.len()].copy_from_slice(values),
        }
    }

    /// Takes over the event counts of `old` (a rule rebuilt with other parameters keeps the
    /// run's record).
    pub fn adopt_counts(&self, old: &Rule) {
        if let (Rule::Meso(new), Rule::Meso(old)) = (self, old) {
            new.adopt_counts(old);
        }
    }

    /// One synapse's state before any update.
    pub fn initial_state(&self) -> Vec<f64> {
        match self {
            Rule::Meso(r) => r.initial_state().to_vec(),
            _ => vec![0.0; self.state_per_synapse()],
        }
    }

    /// What a rule that counts events counted (the MesoNet rule), for the run's record.
    pub fn events(&self) -> Option<MesoEvents> {
        match self {
            Rule::Meso(r) => Some(r.events()),
            _ => None,
        }
    }
}

/// A projection's plasticity: the rule, its traces per postsynaptic neuron, its state per
/// synapse (slot order).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Plastic {
    /// The rule.
    pub rule: Rule,
    /// Traces of the postsynaptic neurons.
    pub traces: PostTraces,
    /// `rule.state_per_synapse()` values per synapse.
    pub state: Vec<f64>,
}

impl Plastic {
    /// The rule with fresh traces for `n_post` neurons and zero state for `synapses`.
    pub fn new(rule: Rule, n_post: usize, synapses: usize) -> Self {
        Self {
            traces: rule.new_traces(n_post),
            state: rule.initial_state().repeat(synapses),
            rule,
        }
    }

    /// Brings time-dependent per-synapse state up to `t_ms` (weights `w`, slot order) before
    /// something changes every weight at once (normalisation): the MesoNet rule's η. Each
    /// synapse is advanced on its own, so splitting them between `threads` threads gives the
    /// same state.
    pub fn settle(&mut self, w: &[f64], t_ms: f64, threads: usize) {
        let Rule::Meso(r) = &self.rule else {
            return;
        };
        if r.eta.is_none() {
            return;
        }
        let per_thread = w.len().div_ceil(threads.max(1)).max(1);
        let state = self.state.chunks_mut(per_thread * MesoStdp::STATE);
        std::thread::scope(|scope| {
            let mut parts = w.chunks(per_thread).zip(state);
            let first = parts.next();
            for (w, state) in parts {
                scope.spawn(move || r.settle(w, state, t_ms));
            }
            if let Some((w, state)) = first {
                r.settle(w, state, t_ms);
            }
        });
    }

    /// Checks a deserialised rule state against `n_post` neurons and `synapses` synapses.
    pub fn check(&self, name: &str, n_post: usize, synapses: usize) -> Result<(), String> {
        let fresh = self.rule.new_traces(n_post);
        if self.traces.a.len() != fresh.a.len() || self.traces.b.len() != fresh.b.len() {
            return Err(format!(
                "{name}.traces hold {} + {} values, expected {} + {} ({n_post} neurons)",
                self.traces.a.len(),
                self.traces.b.len(),
                fresh.a.len(),
                fresh.b.len()
            ));
        }
        let state = self.rule.state_per_synapse() * synapses;
        if self.state.len() != state {
            return Err(format!(
                "{name}.state has {} values, expected {state}",
                self.state.len()
            ));
        }
        if let Some(k) = self
            .traces
            .a
            .iter()
            .chain(&self.traces.b)
            .position(|v| v.is_nan())
        {
            return Err(format!("{name}.traces[{k}] is NaN"));
        }
        Ok(())
    }
}

/// Clips `w` to [lo, hi] with plain comparisons (no NaN bookkeeping, no `lo <= hi` assert:
/// the hot path of every synaptic event).
#[inline]
pub fn clip(w: f64, lo: f64, hi: f64) -> f64 {
    if w < lo {
        lo
    } else if w > hi {
        hi
    } else {
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::stdp::{SoftBounds, StdpWindow};

    fn pair(bounds: SoftBounds, (w_min, w_max): (f64, f64)) -> PairStdp {
        PairStdp {
            a_plus: 0.01,
            a_minus: 0.012,
            tau_plus_ms: 20.0,
            tau_minus_ms: 30.0,
            bounds,
            w_min,
            w_max,
        }
    }

    #[test]
    fn pair_rule_changes_w_by_the_window_value() {
        let window = StdpWindow::new(0.01, 0.012, 20.0, 30.0).unwrap();
        let additive = pair(SoftBounds::new(0.0, 1.0).unwrap(), (-10.0, 10.0));
        let dt: f64 = 0.1;
        for delta in [1.0f64, 7.5, 40.0] {
            // Pre delivered at step 9 (arrival 1.0 ms), post `delta` ms later.
            let t_post = 1.0 + delta;
            let spike = SpikeTime {
                step: (t_post / dt).floor() as i64,
                offset_ms: t_post - (t_post / dt).floor() * dt,
            };
            let post = PostView { a: 0.0, b: 0.0 };
            let w = additive.on_post(0.4, &mut [], 9, post, spike, dt);
            assert!(
                (w - 0.4 - window.value(delta)).abs() < 1e-14,
                "Δt = {delta}"
            );
            // Post at 1.0 ms, pre arriving `delta` later.
            let post = PostView { a: 1.0, b: 0.0 };
            let w = additive.on_pre(0.4, &mut [], post, 1.0 + delta);
            assert!(
                (w - 0.4 - window.value(-delta)).abs() < 1e-14,
                "Δt = −{delta}"
            );
        }
        // Multiplicative soft bounds (μ = 1, w_max = 1): potentiation × (1 − w).
        let soft = pair(SoftBounds::new(1.0, 1.0).unwrap(), (-10.0, 10.0));
        let spike = SpikeTime {
            step: 59,
            offset_ms: 0.1,
        };
        let w = soft.on_post(0.25, &mut [], 9, PostView { a: 0.0, b: 0.0 }, spike, dt);
        assert!((w - (0.25 + 0.75 * window.value(5.0))).abs() < 1e-14);
        // Clipping, and no pairing before any arrival.
        let clipped = pair(SoftBounds::new(0.0, 1.0).unwrap(), (0.0, 0.401));
        let w = clipped.on_post(0.4, &mut [], 9, PostView { a: 0.0, b: 0.0 }, spike, dt);
        assert!((w - 0.401).abs() < 1e-15);
        let w = clipped.on_post(0.4, &mut [], NEVER, PostView { a: 0.0, b: 0.0 }, spike, dt);
        assert!((w - 0.4).abs() < 1e-15);
    }

    #[test]
    fn one_pair_update_matches_the_reference_rule() {
        // dt 0.5 ms, τ_pre = τ_post1 = 20 ms, τ_post2 = 40 ms.
        let rule = TripletStdp::new(1e-4, 1e-2, (0.0, 1.0), 0.5, [20.0, 20.0, 40.0]);
        // Pre arrival 20 steps (10 ms) before the post spike: pre trace e^{−0.5}; post2 before
        // the first post spike is 0, so the reference rule potentiates only from the 2nd.
        let spike = SpikeTime {
            step: 20,
            offset_ms: 0.5,
        };
        let pre = (-10.0f64 / 20.0).exp();
        let w = rule.on_post(0.5, &mut [], 0, PostView { a: 0.0, b: 0.0 }, spike, 0.5);
        assert!((w - 0.5).abs() < 1e-15);
        let post2 = (-5.0f64 / 40.0).exp();
        let w = rule.on_post(0.5, &mut [], 0, PostView { a: 0.0, b: post2 }, spike, 0.5);
        assert!((w - (0.5 + 1e-2 * pre * post2)).abs() < 1e-15);
        // Depression at an arrival with post1 = e^{−4/20}.
        let post1 = (-4.0f64 / 20.0).exp();
        let w = rule.on_pre(0.5, &mut [], PostView { a: post1, b: 0.0 }, 0.0);
        assert!((w - (0.5 - 1e-4 * post1)).abs() < 1e-15);
        // Traces decay by e^{−dt/τ} per step and are set to 1 at a spike.
        let mut traces = rule.new_traces(2);
        rule.after_post(1, spike, 0.5, traces.as_mut());
        rule.decay(traces.as_mut());
        assert!((traces.a[1] - (-0.5f64 / 20.0).exp()).abs() < 1e-16);
        assert!((traces.b[1] - (-0.5f64 / 40.0).exp()).abs() < 1e-16);
        assert!(traces.a[0].abs() < 1e-300);
        // Clipping.
        let w = rule.on_pre(0.0, &mut [], PostView { a: 1.0, b: 0.0 }, 0.0);
        assert!(w.abs() < 1e-300);
    }
}
