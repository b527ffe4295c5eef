//! Conductance-based LIF neuron groups (Diehl & Cook 2015, NETWORKS.md §2):
//!
//! ```text
//! τ dv/dt = (v_rest − v) + g_e (E_exc − v) + g_i (E_inh − v)
//! dg_e/dt = −g_e/τ_ge,   dg_i/dt = −g_i/τ_gi,   dθ/dt = −θ/τ_θ   (adaptive part, optional)
//! spike when v > θ − θ_offset + v_thresh and not refractory;  v ← v_reset, θ += θ_plus
//! ```
//!
//! Voltages in mV, times in ms, conductances dimensionless (weights add straight to them).
//! v is advanced by forward Euler (the integrator of the Brian2 ports of the reference code);
//! the conductances and θ decay exactly (they are linear and uncoupled). While refractory,
//! v is held at its reset value (Brian's `unless refractory`, Diehl & Cook's reference code)
//! or, with [`ConductanceParams::integrate_while_refractory`], keeps integrating with only
//! firing blocked (Brian2 without the flag, Meng et al.'s code); the conductances keep
//! decaying either way.

use crate::error::{require_finite, require_non_negative, require_positive, Error, Result};

/// Parameters of one conductance-based LIF group.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ConductanceParams {
    /// Resting potential (mV).
    pub v_rest_mv: f64,
    /// Reset potential (mV).
    pub v_reset_mv: f64,
    /// Threshold (mV), before the adaptive part.
    pub v_thresh_mv: f64,
    /// Membrane time constant (ms).
    pub tau_ms: f64,
    /// Refractory period (ms).
    pub refractory_ms: f64,
    /// Excitatory reversal potential (mV).
    pub e_exc_mv: f64,
    /// Inhibitory reversal potential (mV).
    pub e_inh_mv: f64,
    /// Excitatory conductance time constant (ms).
    pub tau_ge_ms: f64,
    /// Inhibitory conductance time constant (ms).
    pub tau_gi_ms: f64,
    /// Adaptive threshold: increment per spike (mV); 0 switches it off.
    pub theta_plus_mv: f64,
    /// Adaptive threshold decay time constant (ms).
    pub tau_theta_ms: f64,
    /// Initial adaptive threshold θ (mV).
    pub theta_init_mv: f64,
    /// Constant subtracted from θ in the threshold test (mV): spike when v > θ − offset + v_thresh.
    pub theta_offset_mv: f64,
    /// Initial v relative to v_rest (mV).
    pub v_init_offset_mv: f64,
    /// Integrate the conductances and θ by forward Euler (factor 1 − dt/τ per step, as the
    /// reference code's Brian integrator does) instead of the exact factor e^{−dt/τ}. With v
    /// sampled at the start of the step, Euler keeps each input's charge ∫g dt = g τ exactly;
    /// the exact factor over-counts it (by 27 % for τ_ge = 1 ms at dt = 0.5 ms).
    #[serde(default)]
    pub euler_conductances: bool,
    /// With exact decay: v sees each conductance averaged over the step, (τ/dt)(1 − e^{−dt/τ})
    /// times its value at the step's start, so that each input's charge ∫g dt is g·τ exactly
    /// (as with Euler) instead of over-counted. Not combinable with `euler_conductances`.
    #[serde(default)]
    pub averaged_conductances: bool,
    /// A neuron may fire only when more than this has passed since its last spike (ms; 0 = no
    /// block). Diehl & Cook's reference code has `dtimer/dt = 100 ms/s`, `timer = 0` at a
    /// spike and the condition `timer > 5 ms`: a 50 ms block, counted from the start too.
    #[serde(default)]
    pub spike_block_ms: f64,
    /// While refractory, v keeps integrating its input and only firing is blocked (Brian2's
    /// semantics when the equation lacks `unless refractory`, as in Meng et al.'s code);
    /// false holds v at the reset value until the period ends.
    #[serde(default)]
    pub integrate_while_refractory: bool,
}

impl ConductanceParams {
    /// The lowest and highest of the potentials v relaxes towards (v_rest, E_exc, E_inh) (mV):
    /// the exact v never leaves them.
    pub fn v_hull(&self) -> (f64, f64) {
        (
            self.v_rest_mv.min(self.e_exc_mv).min(self.e_inh_mv),
            self.v_rest_mv.max(self.e_exc_mv).max(self.e_inh_mv),
        )
    }

    /// Checks every field (time constants > 0, refractory ≥ 0, all finite); `prefix` names the
    /// group in errors (e.g. "exc.").
    pub fn validate(&self, prefix: &str) -> Result<()> {
        let name = |f: &str| format!("{prefix}{f}");
        for (f, v) in [
            ("v_rest", self.v_rest_mv),
            ("v_reset", self.v_reset_mv),
            ("v_thresh", self.v_thresh_mv),
            ("e_exc", self.e_exc_mv),
            ("e_inh", self.e_inh_mv),
            ("theta_plus", self.theta_plus_mv),
            ("theta_init", self.theta_init_mv),
            ("theta_offset", self.theta_offset_mv),
            ("v_init_offset", self.v_init_offset_mv),
        ] {
            require_finite(&name(f), v)?;
        }
        for (f, v) in [
            ("tau", self.tau_ms),
            ("tau_ge", self.tau_ge_ms),
            ("tau_gi", self.tau_gi_ms),
            ("tau_theta", self.tau_theta_ms),
        ] {
            require_positive(&name(f), v)?;
        }
        require_non_negative(&name("refractory"), self.refractory_ms)?;
        require_non_negative(&name("spike_block_ms"), self.spike_block_ms)?;
        if self.averaged_conductances && self.euler_conductances {
            return Err(Error::invalid(
                &name("averaged_conductances"),
                1.0,
                "0 with euler_conductances = 1 (Euler already keeps each charge)",
            ));
        }
        Ok(())
    }
}

/// Per-step constants derived from the parameters and dt.
#[derive(Debug, Clone, Copy, PartialEq)]
struct StepConstants {
    dt_over_tau: f64,
    ge_decay: f64,
    gi_decay: f64,
    /// Factor on ge (gi) in the drive of v: 1, or the step average of the decay.
    ge_gain: f64,
    gi_gain: f64,
    theta_decay: f64,
    refractory_steps: u32,
    /// Steps after a spike before the neuron may fire again: the first k with k·dt > block.
    block_steps: u32,
}

/// State of a group of `n` conductance-based LIF neurons (structure of arrays).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ConductanceGroup {
    /// The parameters.
    pub params: ConductanceParams,
    /// Membrane potentials (mV).
    pub v: Vec<f64>,
    /// Excitatory conductances.
    pub ge: Vec<f64>,
    /// Inhibitory conductances.
    pub gi: Vec<f64>,
    /// Adaptive thresholds θ (mV).
    pub theta: Vec<f64>,
    /// Steps of refractoriness left.
    pub refractory_left: Vec<u32>,
    /// Steps since each neuron's last spike (0 at the start; saturates).
    pub since_spike: Vec<u32>,
    #[serde(skip, default = "no_constants")]
    constants: Option<StepConstants>,
    /// Per neuron dt/τ, or 0 while refractory and v is held (derived from `refractory_left` by
    /// `prepare`).
    #[serde(skip)]
    free: Vec<f64>,
}

fn no_constants() -> Option<StepConstants> {
    None
}

impl ConductanceGroup {
    /// `n` neurons at v_rest + v_init_offset, no conductance, θ = θ_init; `dt_ms` is the step.
    pub fn new(params: ConductanceParams, n: usize, dt_ms: f64) -> Self {
        let mut group = Self {
            params,
            v: vec![params.v_rest_mv + params.v_init_offset_mv; n],
            ge: vec![0.0; n],
            gi: vec![0.0; n],
            theta: vec![params.theta_init_mv; n],
            refractory_left: vec![0; n],
            since_spike: vec![0; n],
            constants: None,
            free: Vec::new(),
        };
        group.prepare(dt_ms);
        group
    }

    /// Checks a deserialised group (a checkpoint is input): every state vector has `n` finite
    /// entries. `name` prefixes the message, e.g. "network.exc".
    pub fn check(&self, name: &str, n: usize) -> std::result::Result<(), String> {
        for (field, values) in [
            ("v", &self.v),
            ("ge", &self.ge),
            ("gi", &self.gi),
            ("theta", &self.theta),
        ] {
            if values.len() != n {
                return Err(format!(
                    "{name}.{field} has {} entries, expected {n} (one per neuron)",
                    values.len()
                ));
            }
            if let Some(k) = values.iter().position(|v| !v.is_finite()) {
                return Err(format!("{name}.{field}[{k}] = {} is not finite", values[k]));
            }
        }
        if self.since_spike.len() != n {
            return Err(format!(
                "{name}.since_spike has {} entries, expected {n} (one per neuron)",
                self.since_spike.len()
            ));
        }
        if self.refractory_left.len() != n {
            return Err(format!(
                "{name}.refractory_left has {} entries, expected {n} (one per neuron)",
                self.refractory_left.len()
            ));
        }
        Ok(())
    }

    /// Recomputes the per-step constants (after deserialising or changing dt).
    pub fn prepare(&mut self, dt_ms: f64) {
        let p = &self.params;
        let decay = |tau: f64| {
            if p.euler_conductances {
                1.0 - dt_ms / tau
            } else {
                (-dt_ms / tau).exp()
            }
        };
        // ∫ e^{−t/τ} dt over the step, divided by dt: the step average of a decaying conductance.
        let gain = |tau: f64| {
            if p.averaged_conductances {
                tau / dt_ms * -(-dt_ms / tau).exp_m1()
            } else {
                1.0
            }
        };
        self.constants = Some(StepConstants {
            dt_over_tau: dt_ms / p.tau_ms,
            ge_decay: decay(p.tau_ge_ms),
            gi_decay: decay(p.tau_gi_ms),
            ge_gain: gain(p.tau_ge_ms),
            gi_gain: gain(p.tau_gi_ms),
            theta_decay: decay(p.tau_theta_ms),
            refractory_steps: (p.refractory_ms / dt_ms).round() as u32,
            block_steps: if p.spike_block_ms > 0.0 {
                (p.spike_block_ms / dt_ms).floor() as u32 + 1
            } else {
                0
            },
        });
        let (dt_over_tau, held) = (dt_ms / p.tau_ms, !p.integrate_while_refractory);
        self.free = self
            .refractory_left
            .iter()
            .map(|&r| if r > 0 && held { 0.0 } else { dt_over_tau })
            .collect();
    }

    /// Number of neurons.
    pub fn len(&self) -> usize {
        self.v.len()
    }

    /// A group of neurons `range` of this one (same parameters, a copy of their state), for a
    /// thread to step on its own.
    pub fn extract(&self, range: std::ops::Range<usize>) -> Self {
        Self {
            params: self.params,
            v: self.v[range.clone()].to_vec(),
            ge: self.ge[range.clone()].to_vec(),
            gi: self.gi[range.clone()].to_vec(),
            theta: self.theta[range.clone()].to_vec(),
            refractory_left: self.refractory_left[range.clone()].to_vec(),
            since_spike: self.since_spike[range.clone()].to_vec(),
            constants: self.constants,
            free: self.free[range].to_vec(),
        }
    }

    /// Writes back the state of `part`, extracted from neurons `first..` (see
    /// [`ConductanceGroup::extract`]).
    pub fn restore(&mut self, first: usize, part: &Self) {
        let range = first..first + part.len();
        self.v[range.clone()].copy_from_slice(&part.v);
        self.ge[range.clone()].copy_from_slice(&part.ge);
        self.gi[range.clone()].copy_from_slice(&part.gi);
        self.theta[range.clone()].copy_from_slice(&part.theta);
        self.refractory_left[range.clone()].copy_from_slice(&part.refractory_left);
        self.since_spike[range.clone()].copy_from_slice(&part.since_spike);
        self.free[range].copy_from_slice(&part.free);
    }

    /// Every neuron at v_rest + v_init_offset, no conductance, not refractory, the block
    /// clock at 0 (θ kept).
    pub fn rest(&mut self) {
        let p = self.params;
        self.v.fill(p.v_rest_mv + p.v_init_offset_mv);
        self.ge.fill(0.0);
        self.gi.fill(0.0);
        self.refractory_left.fill(0);
        self.since_spike.fill(0);
        let dt_over_tau = self.constants.map(|c| c.dt_over_tau).unwrap_or(0.0);
        self.free.iter_mut().for_each(|f| *f = dt_over_tau);
    }

    /// Appends v, ge and gi of every neuron (see [`crate::sim::NeuronGroup::hidden_state`]).
    pub fn hidden_state(&self, out: &mut Vec<f64>) {
        out.extend_from_slice(&self.v);
        out.extend_from_slice(&self.ge);
        out.extend_from_slice(&self.gi);
    }

    /// Writes v, ge and gi laid out as [`ConductanceGroup::hidden_state`], kept physical:
    /// conductances ≥ 0, v between the potentials it relaxes to.
    pub fn set_hidden_state(&mut self, h: &[f64]) {
        let n = self.v.len();
        let (lowest, highest) = self.params.v_hull();
        for (v, &x) in self.v.iter_mut().zip(&h[..n]) {
            *v = x.clamp(lowest, highest);
        }
        for (g, &x) in self.ge.iter_mut().zip(&h[n..2 * n]) {
            *g = x.max(0.0);
        }
        for (g, &x) in self.gi.iter_mut().zip(&h[2 * n..3 * n]) {
            *g = x.max(0.0);
        }
    }

    /// True when θ adapts (θ_plus > 0).
    pub fn adaptive(&self) -> bool {
        self.params.theta_plus_mv > 0.0
    }

    /// True for an empty group.
    pub fn is_empty(&self) -> bool {
        self.v.is_empty()
    }

    /// The branch-free part of a step, compiled for the widest vectors the CPU has (the same
    /// operations in the same order, so the same bits on every machine: Rust never fuses a
    /// multiply and an add on its own).
    fn relax_dispatch(&mut self, adapt: bool) -> (bool, bool) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2 (checked on the line above).
            return unsafe { self.relax_avx2(adapt) };
        }
        self.relax(adapt)
    }

    /// [`ConductanceGroup::relax`] with AVX2 vectors.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn relax_avx2(&mut self, adapt: bool) -> (bool, bool) {
        self.relax(adapt)
    }

    /// Pass 1 of a step, branch-free so it vectorises: Euler step of v scaled by `free` (dt/τ,
    /// or 0 while v is held), decay of ge, gi and (with `adapt`) θ, the block clocks; returns
    /// whether anybody is refractory and whether anybody is above threshold.
    #[inline(always)]
    fn relax(&mut self, adapt: bool) -> (bool, bool) {
        let c = self
            .constants
            .expect("prepare() is called by new() and after loading");
        let p = self.params;
        let free = &mut self.free;
        free.resize(self.v.len(), c.dt_over_tau);
        // The exact v stays between its current value and the potentials it relaxes towards
        // (v_rest, E_exc, E_inh). An Euler step does too as long as f·(1 + ge + gi) ≤ 1 (it is
        // then a convex combination of them); past that — a burst of inhibition onto a large
        // layer — it overshoots and oscillates with growing amplitude until v leaves every
        // physical range and the neurons fire regardless of threshold. Keeping v in that hull
        // changes nothing while Euler is stable and stops the blow-up.
        let (lowest, highest) = p.v_hull();
        for (((v, ge), gi), f) in self
            .v
            .iter_mut()
            .zip(self.ge.iter_mut())
            .zip(self.gi.iter_mut())
            .zip(free.iter())
        {
            let drive = (p.v_rest_mv - *v)
                + *ge * c.ge_gain * (p.e_exc_mv - *v)
                + *gi * c.gi_gain * (p.e_inh_mv - *v);
            let next = *v + f * drive;
            // Plain comparisons (v is never NaN) rather than f64::min/max, which pay for NaN
            // handling in the vectorised loop.
            let lo = if *v < lowest { *v } else { lowest };
            let hi = if *v > highest { *v } else { highest };
            *v = if next < lo {
                lo
            } else if next > hi {
                hi
            } else {
                next
            };
            *ge = crate::sim::decay::decay(*ge, c.ge_decay);
            *gi = crate::sim::decay::decay(*gi, c.gi_decay);
        }
        if adapt {
            self.theta.iter_mut().for_each(|t| *t *= c.theta_decay);
        }
        let offset = p.v_thresh_mv - p.theta_offset_mv;
        if c.block_steps > 0 {
            self.since_spike
                .iter_mut()
                .for_each(|k| *k = k.saturating_add(1));
        }
        // Most steps nobody is refractory and nobody is above threshold: two branch-free scans
        // decide that before the branchy loop (which would then change nothing).
        let refractory = self.refractory_left.iter().fold(0, |acc, &r| acc | r) != 0;
        let above = self
            .v
            .iter()
            .zip(&self.theta)
            .fold(false, |acc, (&v, &theta)| acc | (v > theta + offset));
        (refractory, above)
    }

    /// Advances every neuron by one step (state update + threshold + reset) and pushes the
    /// indices of the neurons that spiked onto `spikes`. With `adapt`, θ decays and grows at
    /// spikes; without, θ is frozen (evaluation).
    pub fn step(&mut self, adapt: bool, spikes: &mut Vec<usize>) {
        let c = self
            .constants
            .expect("prepare() is called by new() and after loading");
        let p = self.params;
        // Pass 2, only when someone is above threshold: the threshold test and reset of the
        // neurons not refractory. Pass 3, only when someone is refractory (or has just
        // fired): the refractory clocks, branch-free over every neuron. Per neuron this is
        // what one loop did — a refractory neuron counts down and does not fire; one that
        // fires starts its clock — with a firing neuron's clock set one step longer, which
        // pass 3 takes back the same step (a period of 0 steps stays 0).
        let offset = p.v_thresh_mv - p.theta_offset_mv;
        let (refractory, above) = self.relax_dispatch(adapt);
        let before = spikes.len();
        if above {
            for j in 0..self.v.len() {
                if self.refractory_left[j] == 0
                    && self.v[j] > self.theta[j] + offset
                    && self.since_spike[j] >= c.block_steps
                {
                    spikes.push(j);
                    self.v[j] = p.v_reset_mv;
                    self.since_spike[j] = 0;
                    if c.refractory_steps > 0 {
                        self.refractory_left[j] = c.refractory_steps.saturating_add(1);
                        if !p.integrate_while_refractory {
                            self.free[j] = 0.0;
                        }
                    }
                    if adapt {
                        self.theta[j] += p.theta_plus_mv;
                    }
                }
            }
        }
        if refractory || spikes.len() > before {
            for (r, f) in self.refractory_left.iter_mut().zip(self.free.iter_mut()) {
                let was = *r;
                *r = was.saturating_sub(1);
                *f = if was == 1 { c.dt_over_tau } else { *f };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> ConductanceParams {
        ConductanceParams {
            v_rest_mv: -65.0,
            v_reset_mv: -65.0,
            v_thresh_mv: -52.0,
            tau_ms: 100.0,
            refractory_ms: 5.0,
            e_exc_mv: 0.0,
            e_inh_mv: -100.0,
            tau_ge_ms: 1.0,
            tau_gi_ms: 2.0,
            theta_plus_mv: 0.05,
            tau_theta_ms: 1e7,
            theta_init_mv: 20.0,
            theta_offset_mv: 20.0,
            v_init_offset_mv: 0.0,
            euler_conductances: false,
            averaged_conductances: false,
            spike_block_ms: 0.0,
            integrate_while_refractory: false,
        }
    }

    #[test]
    fn v_stays_between_the_potentials_it_relaxes_to_when_euler_is_unstable() {
        // gi = 1000 makes the Euler factor dt/τ·(1 + gi) = 5 > 1: unchecked, v would jump to
        // −65 + 0.005·1000·(−100 + 65) = −240 mV and oscillate with growing amplitude.
        let p = params();
        let mut group = ConductanceGroup::new(p, 2, 0.5);
        group.gi[0] = 1000.0;
        group.gi[1] = 10.0;
        let mut spikes = Vec::new();
        group.step(false, &mut spikes);
        assert_eq!(group.v[0].to_bits(), p.e_inh_mv.to_bits());
        // A stable step is the plain Euler step, to the bit.
        let euler_step: f64 = -65.0 + 0.005 * (10.0 * (-100.0 - -65.0));
        assert_eq!(group.v[1].to_bits(), euler_step.to_bits());
        for _ in 0..100 {
            group.step(false, &mut spikes);
            assert!(
                (p.e_inh_mv..=p.v_rest_mv).contains(&group.v[0]),
                "{}",
                group.v[0]
            );
            assert!(spikes.is_empty());
        }
    }

    #[test]
    fn averaged_conductances_deliver_each_charge_exactly() {
        // One input of weight g at rest, v far below E_exc: the depolarisation is
        // Δv ≈ (E_exc − v_rest)·∫g dt/τ. With the step average, ∫g dt = g·τ_ge; sampled at
        // the step's start it is g·dt/(1 − e^{−dt/τ_ge}) = 1.2707·g·τ_ge at dt = 0.5 ms.
        let dt = 0.5;
        let g = 1e-3;
        let peak = |averaged: bool| {
            let p = ConductanceParams {
                averaged_conductances: averaged,
                tau_ms: 1e4,
                ..params()
            };
            let mut group = ConductanceGroup::new(p, 1, dt);
            group.ge[0] = g;
            let mut spikes = Vec::new();
            let mut v_max = group.v[0];
            for _ in 0..40 {
                group.step(false, &mut spikes);
                v_max = v_max.max(group.v[0]);
            }
            v_max - p.v_rest_mv
        };
        // τ = 10 s: the leak over the ~20 ms the charge takes is negligible.
        let ideal = (0.0 - -65.0) * g * 1.0 / 1e4;
        let averaged = peak(true) / ideal;
        let sampled = peak(false) / ideal;
        assert!((0.995..=1.0).contains(&averaged), "{averaged}");
        let over_count = 0.5 / -(-0.5f64).exp_m1();
        assert!(
            ((sampled / averaged) - over_count).abs() < 1e-3,
            "{sampled} {averaged}"
        );
        let euler_and_averaged = ConductanceParams {
            averaged_conductances: true,
            euler_conductances: true,
            ..params()
        };
        assert!(euler_and_averaged.validate("exc.").is_err());
    }

    #[test]
    fn conductance_decays_exactly_and_v_follows_euler() {
        // One input of weight g at rest: ge(t) = g e^{−t/τ_ge}; v by Euler from v_rest.
        let dt = 0.5;
        let mut group = ConductanceGroup::new(params(), 1, dt);
        let g = 2.0;
        group.ge[0] = g;
        let mut spikes = Vec::new();
        let mut v_expected = -65.0;
        for k in 0..20 {
            let ge_now = g * (-(k as f64) * dt / 1.0).exp();
            v_expected += dt / 100.0 * ((-65.0 - v_expected) + ge_now * (0.0 - v_expected));
            group.step(true, &mut spikes);
            assert!((group.ge[0] - g * (-((k + 1) as f64) * dt).exp()).abs() < 1e-14);
            assert!((group.v[0] - v_expected).abs() < 1e-12);
        }
        assert!(spikes.is_empty());
    }

    #[test]
    fn spike_resets_raises_theta_and_is_refractory() {
        let dt = 0.5;
        let mut group = ConductanceGroup::new(params(), 2, dt);
        group.v[0] = -51.9; // above θ − 20 + v_thresh = −52
        let mut spikes = Vec::new();
        group.step(true, &mut spikes);
        assert_eq!(spikes, vec![0]);
        assert!((group.v[0] + 65.0).abs() < 1e-15);
        assert!((group.theta[0] - (20.0 * (-dt / 1e7f64).exp() + 0.05)).abs() < 1e-12);
        // Refractory for 5 ms = 10 steps: v held even under a huge drive.
        group.ge[0] = 1e3;
        for _ in 0..10 {
            spikes.clear();
            group.step(true, &mut spikes);
            assert!(spikes.is_empty());
        }
        assert!((group.v[0] + 65.0).abs() < 1e-15);
    }

    #[test]
    fn a_neuron_kept_above_threshold_fires_once_per_refractory_period_plus_one_step() {
        // v put back above threshold before every step: with a period of k steps the neuron
        // fires at steps 0, k + 1, 2(k + 1), ... — and every step when k = 0. Its v is free
        // to move again exactly when the period ends (held at the reset until then).
        for (refractory_ms, period) in [(0.0, 1usize), (0.5, 2), (5.0, 11)] {
            let mut group = ConductanceGroup::new(
                ConductanceParams {
                    refractory_ms,
                    ..params()
                },
                3,
                0.5,
            );
            let mut fired = Vec::new();
            for step in 0..40 {
                group.v[1] = -40.0;
                let mut spikes = Vec::new();
                group.step(false, &mut spikes);
                if spikes == vec![1] {
                    fired.push(step);
                } else {
                    assert!(spikes.is_empty(), "{spikes:?}");
                    assert_eq!(group.free[1] == 0.0, group.refractory_left[1] > 0);
                }
            }
            let expected: Vec<usize> = (0..40).step_by(period).collect();
            assert_eq!(fired, expected, "refractory {refractory_ms} ms");
            assert!(group.refractory_left[0] == 0 && group.refractory_left[2] == 0);
        }
    }

    #[test]
    fn while_refractory_v_is_held_or_integrates_and_firing_waits_for_the_period_to_end() {
        // v_rest −60 mV above v_reset −65 mV, no input: after the reset an integrating v
        // relaxes by Euler, v_k − v_rest = (v_reset − v_rest)(1 − dt/τ)^k; a held one stays.
        let dt = 0.5;
        for integrate in [false, true] {
            let p = ConductanceParams {
                v_rest_mv: -60.0,
                integrate_while_refractory: integrate,
                ..params()
            };
            let mut group = ConductanceGroup::new(p, 1, dt);
            group.v[0] = -51.9;
            let mut spikes = Vec::new();
            group.step(true, &mut spikes);
            assert_eq!(spikes, vec![0]);
            for k in 1..=5 {
                group.step(true, &mut spikes);
                let expected = if integrate {
                    -60.0 + (-65.0 - -60.0) * (1.0 - dt / 100.0f64).powi(k)
                } else {
                    -65.0
                };
                assert!((group.v[0] - expected).abs() < 1e-12, "{integrate} {k}");
            }
            // Far above threshold from step 6 on: no spike until the 10 steps (5 ms) are over,
            // then at the first step after them.
            group.v[0] = -40.0;
            for _ in 6..=10 {
                group.step(true, &mut spikes);
            }
            assert_eq!(spikes, vec![0], "{integrate}");
            group.step(true, &mut spikes);
            assert_eq!(spikes, vec![0, 0], "{integrate}");
        }
    }
}
