//! The MesoNet rule: the triplet STDP of split-merge with the poster's two mechanisms and
//! synaptic flipping (MODEL.md §5-6 inside the network; docs/NETWORKS.md §3).
//!
//! - **Variable plasticity.** Every synapse carries its own η, which scales each of its STDP
//!   updates (`w ← clip(w + η Δ)`, Δ the triplet rule's change). Between two updates of the
//!   synapse its drive d is constant (d = w, or d = |Δ| of its last STDP change — unscaled,
//!   unclipped — for the window drive; attributed changes do not enter it), so
//!   `τ_d dη/dt = −(η − η_min) + 1/(η_max − d)` is advanced exactly:
//!   `η(t) = η_∞ + (η(t₀) − η_∞) e^{−(t − t₀)/τ_d}` with `η_∞ = η_min + 1/(η_max − d)`.
//!   Weight normalisation changes every w at once, so every η is first advanced to that
//!   instant ([`MesoStdp::settle`]). With the weight drive, an arrival whose STDP change is
//!   exactly 0 (post1 of its neuron has decayed to 0) is no update: the weight is only
//!   clipped and η is left to be advanced at the synapse's next update over the whole
//!   interval — the same exact solution, as neither w nor the drive changes in between (only
//!   rounding differs from two advances). Most arrivals are such events, and their synapses'
//!   state is then never read. Postsynaptic spikes (where attribution reads η) and the window
//!   drive (whose drive a zero change resets) always advance η. At a drive at or above η_max the rest value
//!   1/(η_max − d) is infinite or negative — the poster's "spiralling effect" — so η is held
//!   where it was (a modelling choice, not a clamp of a value: the equation is left alone) and
//!   the advance is counted ([`MesoEvents::drive_reached_eta_max`], updates and settles alike,
//!   a NaN drive included) and reported in the run's record. η starts at `η_min + 1/η_max`,
//!   its rest value at d = 0. Off: η ≡ 1, and every update is bit for bit the triplet rule's.
//! - **Flipping.** Weights are signed (clipped to [−w_max, w_max] instead of [w_min, w_max]);
//!   a weight whose sign changes strictly (old · new < 0; a weight landing exactly on 0 is no
//!   flip) flips its synapse between excitatory and inhibitory and, with variable plasticity,
//!   its η is reset to 0. A negative weight subtracts from the target
//!   conductance (the excitatory driving force with the opposite sign; no separate inhibitory
//!   channel is modelled).
//! - **Triangulated attribution** ([`super::attribution`]): at each postsynaptic spike, after
//!   the STDP updates, the most relevant candidate synapse receives `ε S(Δt)`, with the
//!   triplet rule's potentiation window `S(Δt) = ν_post e^{−Δt/τ_pre}` (Δt = spike − its last
//!   arrival). ε = 0 is off: the network never gathers the candidates.
//!
//! State per synapse: η, the step of η's last advance, and the drive |Δ| of its last update
//! (window drive). η advances by whole steps; the decay factors of intervals up to 2 048
//! steps come from a table (the same expression, evaluated once). Without variable plasticity
//! the state is never touched.

use super::attribution::{cheapest_path, most_relevant, Edge};
use super::{
    clip, IncomingSynapse, Plasticity, PostTraces, PostView, SpikeTime, TracesMut, TripletStdp,
    NEVER,
};
use crate::model::spike_timing::SpikeTiming;
use crate::model::variable_plasticity::Drive;
use std::sync::atomic::{AtomicU64, Ordering};

/// Variable plasticity's values inside the network.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EtaDynamics {
    /// η_min, the rate η relaxes to without drive.
    pub eta_min: f64,
    /// η_max: the drive must stay below it.
    pub eta_max: f64,
    /// τ_d (ms).
    pub tau_d_ms: f64,
    /// What drives η.
    pub drive: Drive,
    /// The network's step (ms): η is advanced by whole steps.
    pub dt_ms: f64,
}

/// Step counts whose decay factor e^{−k·dt/τ_d} is tabulated (16 KB; the intervals between a
/// synapse's updates are mostly shorter, since every presentation settles every η).
const TABULATED_STEPS: usize = 2048;

impl EtaDynamics {
    /// e^{−k·dt/τ_d} for `k` steps (the same expression whether tabulated or not).
    fn factor(&self, k: f64) -> f64 {
        (k * (-self.dt_ms / self.tau_d_ms)).exp()
    }

    /// η after `steps` steps under the constant drive `d`, from `eta`, with the decay factor
    /// `factor` = e^{−steps·dt/τ_d}; None when d ≥ η_max (the equation has no solution there).
    #[inline]
    fn advance_by(&self, eta: f64, d: f64, factor: f64) -> Option<f64> {
        if d >= self.eta_max || d.is_nan() {
            return None;
        }
        let rest = self.eta_min + 1.0 / (self.eta_max - d);
        Some(rest + crate::sim::decay::decay(eta - rest, factor))
    }

    /// η after `elapsed_ms` (rounded to whole steps) under the constant drive `d`.
    pub fn advance(&self, eta: f64, d: f64, elapsed_ms: f64) -> Option<f64> {
        self.advance_by(eta, d, self.factor((elapsed_ms / self.dt_ms).round()))
    }

    /// η's rest value at d = 0, where every synapse starts.
    pub fn initial(&self) -> f64 {
        self.eta_min + 1.0 / self.eta_max
    }
}

/// The tabulated decay factors, built on first use (derived, not state: any two compare
/// equal and it is not stored).
#[derive(Debug, Clone, Default)]
pub struct FactorTable(std::sync::OnceLock<Vec<f64>>);

impl PartialEq for FactorTable {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Triangulated attribution's values inside the network.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AttributionParams {
    /// ε, the gain of the attributed update (> 0; 0 is expressed by no attribution).
    pub epsilon: f64,
    /// κ of the relevance (> 0).
    pub kappa: f64,
    /// Candidates: presynaptic spikes that arrived at most this long before the spike (ms).
    pub window_ms: f64,
    /// The latency kernel's τ_m (ms).
    pub latency_tau_ms: f64,
    /// The latency kernel's w_c: weaker synapses cannot fire the neuron alone (no edge).
    pub latency_w_c: f64,
}

impl AttributionParams {
    /// The spike-latency model x*(w) whose w_c and τ_m are these (θ = 1, k = e/(τ_m w_c)).
    fn timing(&self) -> SpikeTiming {
        let k = std::f64::consts::E / (self.latency_tau_ms * self.latency_w_c);
        SpikeTiming::new(k, 1.0, self.latency_tau_ms).expect("validated by the preset")
    }
}

/// A count kept by a rule shared by the threads of a run (relaxed atomic adds; compared and
/// stored as its value).
#[derive(Debug, Default)]
pub struct EventCount(AtomicU64);

impl EventCount {
    fn add(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    fn set(&self, value: u64) {
        self.0.store(value, Ordering::Relaxed);
    }

    /// The count.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl Clone for EventCount {
    fn clone(&self) -> Self {
        Self(AtomicU64::new(self.get()))
    }
}

impl PartialEq for EventCount {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl serde::Serialize for EventCount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.get())
    }
}

impl<'de> serde::Deserialize<'de> for EventCount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        u64::deserialize(d).map(|v| Self(AtomicU64::new(v)))
    }
}

/// What the rule counted, for the run's record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MesoEvents {
    /// Advances of η (at updates and at the settles before normalisation) whose drive was at
    /// or above η_max, or NaN (η held there and counted, never silently).
    pub drive_reached_eta_max: u64,
    /// Weights that changed sign.
    pub flips: u64,
    /// Attributed updates.
    pub attributions: u64,
}

impl std::ops::AddAssign for MesoEvents {
    fn add_assign(&mut self, other: Self) {
        self.drive_reached_eta_max += other.drive_reached_eta_max;
        self.flips += other.flips;
        self.attributions += other.attributions;
    }
}

/// The MesoNet rule (see the module documentation).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MesoStdp {
    /// The underlying triplet rule (its clip is [−w_max, w_max] with flipping).
    pub stdp: TripletStdp,
    /// Variable plasticity (None: η ≡ 1).
    pub eta: Option<EtaDynamics>,
    /// Synaptic flipping.
    pub flipping: bool,
    /// Triangulated attribution (None: ε = 0, off).
    pub attribution: Option<AttributionParams>,
    /// Counts of updates whose drive reached η_max.
    pub drive_blowups: EventCount,
    /// Counts of sign changes.
    pub flips: EventCount,
    /// Counts of attributed updates.
    pub attributions: EventCount,
    #[serde(skip)]
    factors: FactorTable,
}

/// Index of η in a synapse's state.
const ETA: usize = 0;
/// Index of the step of η's last advance (a whole number).
const SINCE: usize = 1;
/// Index of the drive |Δ| of the last update (window drive).
const LAST_CHANGE: usize = 2;

impl MesoStdp {
    /// The rule; `stdp` keeps its own clip, which with `flipping` must be [−w_max, w_max].
    pub fn new(
        stdp: TripletStdp,
        eta: Option<EtaDynamics>,
        flipping: bool,
        attribution: Option<AttributionParams>,
    ) -> Self {
        Self {
            stdp,
            eta,
            flipping,
            attribution,
            drive_blowups: EventCount::default(),
            flips: EventCount::default(),
            attributions: EventCount::default(),
            factors: FactorTable::default(),
        }
    }

    /// A synapse's state before any update.
    pub fn initial_state(&self) -> [f64; 3] {
        [self.eta.map_or(1.0, |e| e.initial()), 0.0, 0.0]
    }

    /// Takes over `old`'s counts.
    pub fn adopt_counts(&self, old: &MesoStdp) {
        self.drive_blowups.set(old.drive_blowups.get());
        self.flips.set(old.flips.get());
        self.attributions.set(old.attributions.get());
    }

    /// What the rule counted so far.
    pub fn events(&self) -> MesoEvents {
        MesoEvents {
            drive_reached_eta_max: self.drive_blowups.get(),
            flips: self.flips.get(),
            attributions: self.attributions.get(),
        }
    }

    /// `t_ms` as a whole step (an arrival or a conductance neuron's spike falls on a step's
    /// end). Times are ≥ 0 and whole steps up to rounding: + 0.5 and truncation round them
    /// (plain arithmetic, where `round` is a library call).
    #[inline]
    fn step_of(dynamics: &EtaDynamics, t_ms: f64) -> f64 {
        (t_ms / dynamics.dt_ms + 0.5) as i64 as f64
    }

    /// The tabulated decay factors e^{−k·dt/τ_d}, k < [`TABULATED_STEPS`].
    #[inline]
    fn table(&self, dynamics: &EtaDynamics) -> &[f64] {
        self.factors.0.get_or_init(|| {
            (0..TABULATED_STEPS)
                .map(|k| dynamics.factor(k as f64))
                .collect()
        })
    }

    /// Advances a synapse's η (state `s`, weight `w`) to step `now` ([`Self::step_of`]);
    /// `table` is [`Self::table`].
    #[inline]
    fn advance_to(&self, dynamics: &EtaDynamics, table: &[f64], w: f64, s: &mut [f64], now: f64) {
        let s: &mut [f64; Self::STATE] = s.try_into().expect("a synapse's state");
        // Never negative in a run; after a network's clock is reset (or state is written from
        // outside) an interval that would run backwards counts as none.
        let steps = (now - s[SINCE]).max(0.0);
        let factor = if (0.0..TABULATED_STEPS as f64).contains(&steps) {
            table[steps as usize]
        } else {
            dynamics.factor(steps)
        };
        let d = match dynamics.drive {
            Drive::Weight => w,
            Drive::Window => s[LAST_CHANGE],
        };
        match dynamics.advance_by(s[ETA], d, factor) {
            Some(eta) => s[ETA] = eta,
            None => self.drive_blowups.add(),
        }
        s[SINCE] = now;
    }

    /// A synapse's η (state `s`, weight `w`) as it is at `t_ms`, without advancing it (held
    /// where a drive at η_max stops it; η itself without variable plasticity).
    pub fn eta_at(&self, w: f64, s: &[f64], t_ms: f64) -> f64 {
        let Some(dynamics) = &self.eta else {
            return s[ETA];
        };
        let mut copy = [s[ETA], s[SINCE], s[LAST_CHANGE]];
        let steps = (Self::step_of(dynamics, t_ms) - copy[SINCE]).max(0.0);
        let d = match dynamics.drive {
            Drive::Weight => w,
            Drive::Window => copy[LAST_CHANGE],
        };
        if let Some(eta) = dynamics.advance_by(copy[ETA], d, dynamics.factor(steps)) {
            copy[ETA] = eta;
        }
        copy[ETA]
    }

    /// Writes η = `eta` as the synapse's value at `t_ms` (state `s`).
    pub fn set_eta_at(&self, s: &mut [f64], eta: f64, t_ms: f64) {
        s[ETA] = eta;
        if let Some(dynamics) = &self.eta {
            s[SINCE] = Self::step_of(dynamics, t_ms);
        }
    }

    /// Advances a synapse's η (state `s`, weight `w`) to `t_ms`, rounded to whole steps.
    #[inline]
    fn advance(&self, dynamics: &EtaDynamics, w: f64, s: &mut [f64], t_ms: f64) {
        let table = self.table(dynamics);
        self.advance_to(dynamics, table, w, s, Self::step_of(dynamics, t_ms));
    }

    /// The synapse's new weight after the STDP change `change` at `t_ms` (at an `arrival`, or
    /// a postsynaptic spike), its η first advanced to `t_ms`. Without variable plasticity and
    /// flipping the state is not touched and the result is the triplet rule's.
    #[inline]
    fn update(&self, w: f64, s: &mut [f64], change: f64, (t_ms, arrival): (f64, bool)) -> f64 {
        let Some(dynamics) = &self.eta else {
            let new = clip(w + change, self.stdp.w_min, self.stdp.w_max);
            self.flipped(w, new);
            return new;
        };
        if arrival && change == 0.0 && dynamics.drive == Drive::Weight {
            // No update (see the module documentation): η is left as it is.
            return clip(w, self.stdp.w_min, self.stdp.w_max);
        }
        self.advance(dynamics, w, s, t_ms);
        if dynamics.drive == Drive::Window {
            s[LAST_CHANGE] = change.abs();
        }
        let new = clip(w + s[ETA] * change, self.stdp.w_min, self.stdp.w_max);
        if self.flipped(w, new) {
            s[ETA] = 0.0;
        }
        new
    }

    /// Counts a strict sign change of a weight, `old` → `new` (with flipping on); true when its
    /// η must be reset (variable plasticity on).
    #[inline]
    fn flipped(&self, old: f64, new: f64) -> bool {
        let flipped = self.flipping && new * old < 0.0;
        if flipped {
            self.flips.add();
        }
        flipped && self.eta.is_some()
    }

    /// Advances the η of every synapse (weights `w`, state `state`, 3 values each) to `t_ms`,
    /// before something changes every weight at once (normalisation).
    pub fn settle(&self, w: &[f64], state: &mut [f64], t_ms: f64) {
        let Some(dynamics) = &self.eta else {
            return;
        };
        let (table, now) = (self.table(dynamics), Self::step_of(dynamics, t_ms));
        for (w, s) in w.iter().zip(state.chunks_exact_mut(Self::STATE)) {
            self.advance_to(dynamics, table, *w, s, now);
        }
    }

    /// Before the network's clock goes back to 0 at `t_ms`: every η advanced to `t_ms`, then
    /// dated 0, so that no interval is lost or runs backwards.
    pub fn restart_clock(&self, w: &[f64], state: &mut [f64], t_ms: f64) {
        if self.eta.is_none() {
            return;
        }
        self.settle(w, state, t_ms);
        for s in state.chunks_exact_mut(Self::STATE) {
            s[SINCE] = 0.0;
        }
    }
}

impl Plasticity for MesoStdp {
    const STATE: usize = 3;

    fn new_traces(&self, n: usize) -> PostTraces {
        self.stdp.new_traces(n)
    }

    fn decay(&self, traces: TracesMut<'_>) {
        self.stdp.decay(traces)
    }

    #[inline]
    fn on_pre(&self, w: f64, state: &mut [f64], post: PostView, t_arrival_ms: f64) -> f64 {
        self.update(w, state, -(self.stdp.nu_pre * post.a), (t_arrival_ms, true))
    }

    #[inline]
    fn on_post(
        &self,
        w: f64,
        state: &mut [f64],
        last_arrival_step: i64,
        post: PostView,
        spike: SpikeTime,
        dt_ms: f64,
    ) -> f64 {
        let pre = self.stdp.pre_trace(last_arrival_step, spike.step);
        let t_ms = spike.step as f64 * dt_ms + spike.offset_ms;
        self.update(w, state, self.stdp.nu_post * pre * post.b, (t_ms, false))
    }

    fn after_post(&self, j: usize, spike: SpikeTime, dt_ms: f64, traces: TracesMut<'_>) {
        self.stdp.after_post(j, spike, dt_ms, traces)
    }

    fn sees_incoming(&self) -> bool {
        self.attribution.is_some()
    }

    /// Triangulated attribution over the incoming synapses of the neuron that fired: one
    /// layer here (the projection's), so the path is the cheapest usable candidate edge.
    fn on_post_incoming(
        &self,
        _j: usize,
        spike: SpikeTime,
        dt_ms: f64,
        incoming: &mut [IncomingSynapse],
    ) {
        let Some(a) = &self.attribution else {
            return;
        };
        let t_post = spike.step as f64 * dt_ms + spike.offset_ms;
        // Candidates: synapses whose last arrival lies inside the window before the spike.
        let since = |s: &IncomingSynapse| t_post - (s.last_arrival_step + 1) as f64 * dt_ms;
        let candidates: Vec<usize> = (0..incoming.len())
            .filter(|&k| {
                let s = &incoming[k];
                s.last_arrival_step != NEVER && (0.0..=a.window_ms).contains(&since(s))
            })
            .collect();
        if candidates.is_empty() {
            return;
        }
        // Nodes: candidate c is node c, the neuron that fired is node candidates.len().
        let timing = a.timing();
        let target = candidates.len();
        let edges: Vec<Edge> = candidates
            .iter()
            .enumerate()
            .map(|(c, &k)| Edge {
                from: c,
                to: target,
                cost: timing.spike_time_ms(incoming[k].w).unwrap_or(f64::INFINITY),
            })
            .collect();
        let sources: Vec<usize> = (0..target).collect();
        let Some(path) = cheapest_path(target + 1, &edges, &sources, target) else {
            return;
        };
        for e in path {
            let w_path = incoming[candidates[edges[e].from]].w;
            let chosen = most_relevant(
                candidates
                    .iter()
                    .map(|&k| (k, incoming[k].eta, incoming[k].w)),
                w_path,
                a.kappa,
            );
            if let Some(k) = chosen {
                let s = &mut incoming[k];
                let window = self.stdp.nu_post * (since(s) / dt_ms * self.stdp.pre_decay_log).exp();
                let old = s.w;
                s.w = clip(old + a.epsilon * window, self.stdp.w_min, self.stdp.w_max);
                self.attributions.add();
                if self.flipped(old, s.w) {
                    s.eta = 0.0;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn triplet(w_min: f64) -> TripletStdp {
        TripletStdp::new(1e-4, 1e-2, (w_min, 1.0), 0.5, [20.0, 20.0, 40.0])
    }

    fn dynamics(drive: Drive) -> EtaDynamics {
        EtaDynamics {
            eta_min: 0.5,
            eta_max: 2.0,
            tau_d_ms: 100.0,
            drive,
            dt_ms: 0.5,
        }
    }

    /// τ_d dη/dt = −(η − η_min) + 1/(η_max − d) by classical Runge-Kutta, 10⁴ steps.
    fn rk4(d: &EtaDynamics, eta0: f64, drive: f64, t_ms: f64) -> f64 {
        let f = |eta: f64| (-(eta - d.eta_min) + 1.0 / (d.eta_max - drive)) / d.tau_d_ms;
        let n = 10_000;
        let h = t_ms / n as f64;
        let mut eta = eta0;
        for _ in 0..n {
            let k1 = f(eta);
            let k2 = f(eta + 0.5 * h * k1);
            let k3 = f(eta + 0.5 * h * k2);
            let k4 = f(eta + h * k3);
            eta += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
        }
        eta
    }

    #[test]
    fn a_synapse_eta_follows_the_ode_between_updates() {
        let rule = MesoStdp::new(triplet(1e-7), Some(dynamics(Drive::Weight)), false, None);
        let mut s = rule.initial_state();
        assert_eq!((s[ETA]).to_bits(), (0.5f64 + 1.0 / 2.0).to_bits());
        // Depression at t = 30 ms with post1 = 0.5 at w = 0.6: η first follows the ODE from
        // t = 0 under the drive 0.6, then scales the change.
        let w = rule.on_pre(0.6, &mut s, PostView { a: 0.5, b: 0.0 }, 30.0);
        let eta30 = rk4(&dynamics(Drive::Weight), 1.0, 0.6, 30.0);
        assert!((s[ETA] - eta30).abs() < 1e-12, "{} vs {eta30}", s[ETA]);
        assert!((w - (0.6 - eta30 * 1e-4 * 0.5)).abs() < 1e-15);
        // Next update 250 ms later: the drive is the new weight.
        let before = s[ETA];
        let _ = rule.on_pre(w, &mut s, PostView { a: 0.3, b: 0.0 }, 280.0);
        let eta280 = rk4(&dynamics(Drive::Weight), before, w, 250.0);
        assert!((s[ETA] - eta280).abs() < 1e-12);
        // Long after, η sits at its fixed point η* = η_min + 1/(η_max − w) (MODEL.md §5).
        let mut state = [s[ETA], 560.0, 0.0];
        rule.settle(&[w], &mut state, 1e6);
        assert!((state[ETA] - (0.5 + 1.0 / (2.0 - w))).abs() < 1e-12);
    }

    #[test]
    fn the_window_drive_is_the_size_of_the_last_change() {
        let d = dynamics(Drive::Window);
        let rule = MesoStdp::new(triplet(1e-7), Some(d), false, None);
        let mut s = rule.initial_state();
        let w = rule.on_pre(0.6, &mut s, PostView { a: 0.5, b: 0.0 }, 10.0);
        // From 0 to 10 ms the drive was 0 (no change yet): η stays at its rest value 1.
        assert!((s[ETA] - 1.0).abs() < 1e-15);
        assert_eq!((s[LAST_CHANGE]).to_bits(), (1e-4f64 * 0.5).to_bits());
        let _ = rule.on_pre(w, &mut s, PostView { a: 0.2, b: 0.0 }, 60.0);
        assert!((s[ETA] - rk4(&d, 1.0, 0.5e-4, 50.0)).abs() < 1e-12);
    }

    #[test]
    fn a_flip_resets_eta_and_is_counted() {
        let mut stdp = triplet(-1.0);
        stdp.nu_pre = 0.5;
        let rule = MesoStdp::new(stdp, Some(dynamics(Drive::Weight)), true, None);
        let mut s = rule.initial_state();
        // 0.2 − η·0.5·1 with η ≈ 1 crosses 0.
        let w = rule.on_pre(0.2, &mut s, PostView { a: 1.0, b: 0.0 }, 1.0);
        assert!(w < 0.0);
        assert_eq!((s[ETA]).to_bits(), 0.0f64.to_bits());
        assert_eq!(rule.events().flips, 1);
        // η = 0 right after: the next change only moves w by what η regrew since.
        let w2 = rule.on_pre(w, &mut s, PostView { a: 1.0, b: 0.0 }, 1.0);
        assert_eq!((w2).to_bits(), (w).to_bits());
        // Without flipping the clip holds the sign and η is kept.
        let kept = MesoStdp::new(triplet(1e-7), Some(dynamics(Drive::Weight)), false, None);
        let mut s = kept.initial_state();
        let w = kept.on_pre(0.2, &mut s, PostView { a: 1e4, b: 0.0 }, 1.0);
        assert_eq!((w).to_bits(), 1e-7f64.to_bits());
        assert!(s[ETA] > 0.9);
        assert_eq!(kept.events().flips, 0);
    }

    #[test]
    fn an_interval_that_would_run_backwards_counts_as_none() {
        // A clock reset (or state written from outside) leaves η's last step ahead of now.
        let rule = MesoStdp::new(triplet(1e-7), Some(dynamics(Drive::Weight)), false, None);
        let mut s = [1.3, 1e6, 0.0];
        let w = rule.on_pre(0.5, &mut s, PostView { a: 0.5, b: 0.0 }, 10.0);
        assert_eq!(w.to_bits(), (0.5 - 1.3 * (1e-4 * 0.5f64)).to_bits());
        assert_eq!(s[ETA].to_bits(), 1.3f64.to_bits());
        assert_eq!(s[SINCE].to_bits(), 20.0f64.to_bits());
    }

    #[test]
    fn a_zero_change_at_an_arrival_is_no_update_with_the_weight_drive() {
        // Arrivals at a neuron whose post1 is 0 change nothing: η is advanced at the next real
        // update over the whole interval, the drive (w) having stayed the same.
        let d = dynamics(Drive::Weight);
        let rule = MesoStdp::new(triplet(1e-7), Some(d), false, None);
        let mut s = rule.initial_state();
        let w = rule.on_pre(0.6, &mut s, PostView { a: 0.5, b: 0.0 }, 10.0);
        let after_first = s;
        let w_same = rule.on_pre(w, &mut s, PostView { a: 0.0, b: 0.0 }, 40.0);
        assert_eq!(w_same.to_bits(), w.to_bits());
        assert_eq!(s.map(f64::to_bits), after_first.map(f64::to_bits));
        // Read at 40 ms without advancing, η is where the ODE has it.
        let read = rule.eta_at(w, &s, 40.0);
        assert!((read - rk4(&d, after_first[ETA], w, 30.0)).abs() < 1e-12);
        let _ = rule.on_pre(w, &mut s, PostView { a: 0.5, b: 0.0 }, 110.0);
        assert!((s[ETA] - rk4(&d, after_first[ETA], w, 100.0)).abs() < 1e-12);
        // With the window drive a zero change is an update: it resets the drive to 0.
        let rule = MesoStdp::new(triplet(1e-7), Some(dynamics(Drive::Window)), false, None);
        let mut s = rule.initial_state();
        let w = rule.on_pre(0.6, &mut s, PostView { a: 0.5, b: 0.0 }, 10.0);
        let _ = rule.on_pre(w, &mut s, PostView { a: 0.0, b: 0.0 }, 40.0);
        assert_eq!(s[LAST_CHANGE].to_bits(), 0.0f64.to_bits());
        assert_eq!(s[SINCE].to_bits(), 80.0f64.to_bits());
    }

    #[test]
    fn a_drive_at_eta_max_is_counted_and_eta_held() {
        let rule = MesoStdp::new(triplet(1e-7), Some(dynamics(Drive::Weight)), false, None);
        let mut s = rule.initial_state();
        // A weight above η_max = 2 (normalisation can put one there): no solution.
        let _ = rule.on_pre(2.5, &mut s, PostView { a: 0.1, b: 0.0 }, 50.0);
        assert_eq!((s[ETA]).to_bits(), 1.0f64.to_bits());
        assert_eq!(rule.events().drive_reached_eta_max, 1);
    }

    #[test]
    fn with_everything_off_updates_are_the_triplet_rule_bit_for_bit() {
        let stdp = triplet(1e-7);
        let rule = MesoStdp::new(stdp, None, false, None);
        let mut s = rule.initial_state();
        for (w, a, b) in [(0.3, 0.7, 0.2), (0.123456789, 0.33, 0.91), (1e-7, 1.0, 1.0)] {
            let post = PostView { a, b };
            assert_eq!(
                rule.on_pre(w, &mut s, post, 3.0).to_bits(),
                stdp.on_pre(w, &mut [], post, 3.0).to_bits()
            );
            let spike = SpikeTime {
                step: 40,
                offset_ms: 0.5,
            };
            assert_eq!(
                rule.on_post(w, &mut s, 7, post, spike, 0.5).to_bits(),
                stdp.on_post(w, &mut [], 7, post, spike, 0.5).to_bits()
            );
        }
    }

    #[test]
    fn attribution_rewards_the_most_relevant_candidate() {
        let attribution = AttributionParams {
            epsilon: 2.0,
            kappa: 0.1,
            window_ms: 20.0,
            latency_tau_ms: 20.0,
            latency_w_c: 0.3,
        };
        let rule = MesoStdp::new(triplet(1e-7), None, false, Some(attribution));
        let spike = SpikeTime {
            step: 100,
            offset_ms: 0.5,
        }; // t = 50.5 ms
        let syn = |w: f64, last: i64| IncomingSynapse {
            pre: 0,
            w,
            last_arrival_step: last,
            eta: 1.0,
        };
        // 0: strongest (cheapest edge) → the path; 1: weight 0.65, near the path's 0.7;
        // 2: 0.2, below w_c and far; 3: strongest of all but arrived 40 ms ago, outside the
        // window; 4: never arrived.
        let mut incoming = [
            syn(0.7, 90),
            syn(0.65, 95),
            syn(0.2, 99),
            syn(0.9, 20),
            syn(0.8, NEVER),
        ];
        let before: Vec<f64> = incoming.iter().map(|s| s.w).collect();
        rule.on_post_incoming(0, spike, 0.5, &mut incoming);
        // The path's edge itself is the most relevant (exp(0) = 1, equal η): it receives
        // ε ν_post e^{−Δt/τ_pre}, Δt = 50.5 − 45.5 = 5 ms.
        let expected = 0.7 + 2.0 * 1e-2 * (-5.0f64 / 20.0).exp();
        assert!((incoming[0].w - expected).abs() < 1e-15);
        for k in 1..5 {
            assert_eq!((incoming[k].w).to_bits(), (before[k]).to_bits());
        }
        assert_eq!(rule.events().attributions, 1);
        // A higher η on the near candidate outweighs the distance: 3 e^{−0.66} = 1.56 > 1.
        incoming[1].eta = 3.0;
        let w1 = incoming[1].w;
        rule.on_post_incoming(0, spike, 0.5, &mut incoming);
        assert!(incoming[1].w > w1);
        // No usable edge (all below w_c): no path, no attribution.
        let mut weak = [syn(0.1, 99), syn(0.2, 98)];
        rule.on_post_incoming(0, spike, 0.5, &mut weak);
        assert_eq!((weak[0].w, weak[1].w), (0.1, 0.2));
    }
}
