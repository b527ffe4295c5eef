//! MODEL.md §1: the current-based leaky integrate-and-fire neuron, integrated *exactly*.
//!
//! ```text
//! τ_m dV/dt = -(V - V_rest) + I        τ_s dI/dt = -I + Σ_f q_f δ(t - t_f)
//! ```
//!
//! An input spike of weight (charge) `q` makes `I` jump by `q / τ_s`. Between events the
//! system is linear and is advanced with its closed-form propagator (no Euler). Threshold
//! crossings are located on the analytic trajectory inside a grid step, not rounded to the
//! grid, and the step continues from the spike time (reset, refractoriness).
//!
//! This module owns one neuron: its parameters ([`LifParams`]), its state ([`LifNeuron`]),
//! the propagator over one grid step ([`Propagator`]), the closed-form PSP ([`psp`]) and the
//! single-input first-spike experiment ([`first_spike_time_ms`]). It does not own network
//! wiring, input generation or monitors.
//!
//! **Mapping to the poster (MODEL.md §2).** With `τ_s = τ_m = τ` the PSP is the alpha kernel
//! `q t e^{-t/τ} / τ²`, which equals the poster's `w k x e^{-x/τ_m}` when `q = w k τ_m²`
//! ([`poster_charge`]). With that charge the simulated first spike time must equal
//! [`crate::model::spike_timing::SpikeTiming::spike_time_ms`] to integrator precision.

use crate::error::{require_finite, require_non_negative, require_positive};
use crate::{Error, Result};

/// Validated parameters of one LIF neuron (MODEL.md §1). Defaults are the poster's:
/// τ_m = 2 ms, τ_s = 1 ms, V_rest = 0, V_reset = 0, θ = 1, t_ref = 0. Deserialised values
/// are checked again with [`LifParams::validate`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LifParams {
    tau_m_ms: f64,
    tau_s_ms: f64,
    v_rest: f64,
    v_reset: f64,
    theta: f64,
    t_ref_ms: f64,
}

impl Default for LifParams {
    fn default() -> Self {
        Self {
            tau_m_ms: 2.0,
            tau_s_ms: 1.0,
            v_rest: 0.0,
            v_reset: 0.0,
            theta: 1.0,
            t_ref_ms: 0.0,
        }
    }
}

impl LifParams {
    /// Validates the parameters: `τ_m, τ_s > 0`, `t_ref ≥ 0`, all finite, and
    /// `V_reset < θ` (otherwise a reset neuron would fire again at once). Errors name the
    /// field as the command line writes it: `tau_m`, `tau_s`, `v_rest`, `v_reset`, `theta`,
    /// `t_ref`.
    pub fn new(
        tau_m_ms: f64,
        tau_s_ms: f64,
        v_rest: f64,
        v_reset: f64,
        theta: f64,
        t_ref_ms: f64,
    ) -> Result<Self> {
        let theta = require_finite("theta", theta)?;
        let v_reset = require_finite("v_reset", v_reset)?;
        if v_reset >= theta {
            return Err(Error::invalid("v_reset", v_reset, "< theta"));
        }
        Ok(Self {
            tau_m_ms: require_positive("tau_m", tau_m_ms)?,
            tau_s_ms: require_positive("tau_s", tau_s_ms)?,
            v_rest: require_finite("v_rest", v_rest)?,
            v_reset,
            theta,
            t_ref_ms: require_non_negative("t_ref", t_ref_ms)?,
        })
    }

    /// Checks the values again (after deserialising): the rules of [`LifParams::new`].
    pub fn validate(&self) -> Result<()> {
        Self::new(
            self.tau_m_ms,
            self.tau_s_ms,
            self.v_rest,
            self.v_reset,
            self.theta,
            self.t_ref_ms,
        )
        .map(|_| ())
    }

    /// Membrane time constant τ_m in ms.
    pub fn tau_m_ms(&self) -> f64 {
        self.tau_m_ms
    }

    /// Synaptic time constant τ_s in ms.
    pub fn tau_s_ms(&self) -> f64 {
        self.tau_s_ms
    }

    /// Resting potential V_rest.
    pub fn v_rest(&self) -> f64 {
        self.v_rest
    }

    /// Reset potential V_reset.
    pub fn v_reset(&self) -> f64 {
        self.v_reset
    }

    /// Threshold θ.
    pub fn theta(&self) -> f64 {
        self.theta
    }

    /// Refractory period t_ref in ms.
    pub fn t_ref_ms(&self) -> f64 {
        self.t_ref_ms
    }

    /// Synaptic coupling `K(s)`: the response of `V - V_rest` at time `s` to a unit current
    /// `I(0) = 1` with `V(0) = V_rest` (MODEL.md §1):
    ///
    /// ```text
    /// K(s) = (1/τ_m) ∫_0^s e^{-(s-r)/τ_m} e^{-r/τ_s} dr
    ///      = (τ_s/(τ_s-τ_m)) (e^{-s/τ_s} - e^{-s/τ_m})          τ_s ≠ τ_m
    ///      = (s/τ_m) e^{-m s} ψ(d s),   m = min(1/τ_m, 1/τ_s),  d = |τ_s-τ_m|/(τ_m τ_s),
    ///                                   ψ(x) = -expm1(-x)/x,  ψ(0) = 1
    /// ```
    ///
    /// The last form is the one evaluated: one formula for both cases (`d = 0` gives the
    /// alpha kernel `(s/τ) e^{-s/τ}` exactly), with no cancellation when `|τ_s - τ_m|` is tiny
    /// (`τ_s - τ_m` is exact by Sterbenz's lemma there, `expm1` is accurate) and no overflow.
    fn coupling(&self, s_ms: f64) -> f64 {
        let slow_rate = 1.0 / self.tau_m_ms.max(self.tau_s_ms);
        let rate_gap = (self.tau_s_ms - self.tau_m_ms).abs() / (self.tau_m_ms * self.tau_s_ms);
        let x = rate_gap * s_ms;
        let psi = if x > 0.0 { -(-x).exp_m1() / x } else { 1.0 };
        s_ms / self.tau_m_ms * (-slow_rate * s_ms).exp() * psi
    }

    /// Exact propagator coefficients over a span of `s_ms` (MODEL.md §1).
    fn coefficients(&self, s_ms: f64) -> Coefficients {
        Coefficients {
            decay_v: (-s_ms / self.tau_m_ms).exp(),
            decay_i: (-s_ms / self.tau_s_ms).exp(),
            coupling: self.coupling(s_ms),
        }
    }

    /// Advances `(u, I)`, `u = V - V_rest`, freely (no threshold) by `s_ms`.
    fn evolve(&self, u: f64, i: f64, s_ms: f64) -> (f64, f64) {
        self.coefficients(s_ms).apply(u, i)
    }
}

/// The linear map `(u, I) ↦ (u e^{-s/τ_m} + I K(s), I e^{-s/τ_s})`, `u = V - V_rest`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Coefficients {
    decay_v: f64,
    decay_i: f64,
    coupling: f64,
}

impl Coefficients {
    fn apply(&self, u: f64, i: f64) -> (f64, f64) {
        (u * self.decay_v + i * self.coupling, i * self.decay_i)
    }
}

/// Exact propagator of one grid step `dt` for given parameters (Rotter & Diesmann style
/// exact integration, MODEL.md §1). Built once per `(params, dt)` and reused for every step
/// and every neuron that shares them; sub-step spans after a spike are computed on demand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Propagator {
    params: LifParams,
    dt_ms: f64,
    full_step: Coefficients,
}

impl Propagator {
    /// Precomputes the propagator for a step of `dt_ms` (finite and > 0; error names `dt`).
    pub fn new(params: &LifParams, dt_ms: f64) -> Result<Self> {
        let dt_ms = require_positive("dt", dt_ms)?;
        Ok(Self {
            params: *params,
            dt_ms,
            full_step: params.coefficients(dt_ms),
        })
    }

    /// The step length in ms.
    pub fn dt_ms(&self) -> f64 {
        self.dt_ms
    }

    /// The parameters it was built for.
    pub fn params(&self) -> &LifParams {
        &self.params
    }
}

/// Closed-form post-synaptic potential `V(t) - V_rest` of one input spike of weight `q` at
/// `t = 0` onto a neuron at rest (MODEL.md §1):
/// `q (e^{-t/τ_m} - e^{-t/τ_s}) / (τ_m - τ_s)`, and `q t e^{-t/τ} / τ²` for `τ_s = τ_m`.
/// Evaluated as `(q/τ_s) K(t)` in the cancellation-free form of the coupling (exact in both
/// cases and accurate for `τ_s ≈ τ_m`). Zero for `t < 0`; no threshold or reset.
pub fn psp(params: &LifParams, q: f64, t_ms: f64) -> f64 {
    if t_ms < 0.0 {
        return 0.0;
    }
    q / params.tau_s_ms * params.coupling(t_ms)
}

/// Input charge that makes the `τ_s = τ_m` LIF PSP `q t e^{-t/τ}/τ²` equal the poster's
/// kernel `w k x e^{-x/τ_m}` (MODEL.md §2): `q = w k τ_m²`.
pub fn poster_charge(w: f64, k: f64, tau_m_ms: f64) -> f64 {
    w * k * tau_m_ms * tau_m_ms
}

/// State of one LIF neuron (MODEL.md §1).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LifNeuron {
    /// Membrane potential V.
    pub v: f64,
    /// Synaptic current I (same units as V).
    pub i: f64,
    /// Refractory time left in ms (0 when not refractory); V is held at V_reset meanwhile.
    pub refractory_left_ms: f64,
}

impl LifNeuron {
    /// A neuron at rest: `V = V_rest`, `I = 0`, not refractory.
    pub fn at_rest(params: &LifParams) -> Self {
        Self {
            v: params.v_rest,
            i: 0.0,
            refractory_left_ms: 0.0,
        }
    }

    /// Delivers an input spike of weight `q`: `I ← I + q / τ_s` (MODEL.md §1).
    pub fn receive(&mut self, params: &LifParams, q: f64) {
        self.i += q / params.tau_s_ms;
    }

    /// Advances the neuron by one grid step and returns the time (ms from the start of the
    /// step) of its first spike in the step, if any. See [`LifNeuron::step_each`].
    pub fn step(&mut self, propagator: &Propagator) -> Option<f64> {
        let mut first = None;
        self.step_each(propagator, |s| {
            first.get_or_insert(s);
        });
        first
    }

    /// Advances the neuron by one grid step, calling `on_spike(s)` for every spike at time
    /// `s` ms after the start of the step, and returns the number of spikes.
    ///
    /// Refractory: V is held at V_reset while I keeps decaying. Free pieces: the threshold
    /// crossing is located on the analytic trajectory inside the step, including a rise
    /// above θ and fall back within the step (via the analytic maximum of V); after a spike
    /// V ← V_reset, the refractory clock starts, and the rest of the step is integrated from
    /// the spike time.
    pub fn step_each(&mut self, propagator: &Propagator, on_spike: impl FnMut(f64)) -> usize {
        self.step_each_with_threshold(propagator, propagator.params.theta, on_spike)
    }

    /// [`LifNeuron::step_each`] with the threshold `theta` given per call (an adaptive
    /// threshold θ + θ_adapt of a neuron group); the parameters' own θ is not used.
    pub fn step_each_with_threshold(
        &mut self,
        propagator: &Propagator,
        theta: f64,
        mut on_spike: impl FnMut(f64),
    ) -> usize {
        let params = &propagator.params;
        let dt_ms = propagator.dt_ms;
        let mut elapsed_ms = 0.0;
        let mut spikes = 0;
        loop {
            if self.refractory_left_ms > 0.0 {
                let held_ms = self.refractory_left_ms.min(dt_ms - elapsed_ms);
                self.i *= (-held_ms / params.tau_s_ms).exp();
                self.v = params.v_reset;
                self.refractory_left_ms -= held_ms;
                elapsed_ms += held_ms;
                if self.refractory_left_ms > 0.0 {
                    return spikes;
                }
            }
            let span_ms = dt_ms - elapsed_ms;
            if span_ms <= 0.0 {
                return spikes;
            }
            let span = if spikes == 0 && elapsed_ms <= 0.0 {
                propagator.full_step
            } else {
                params.coefficients(span_ms)
            };
            let (u0, i0) = (self.v - params.v_rest, self.i);
            let (u_end, i_end) = span.apply(u0, i0);
            match crossing_time(params, theta, u0, i0, span_ms, (u_end, i_end)) {
                None => {
                    self.v = params.v_rest + u_end;
                    self.i = i_end;
                    return spikes;
                }
                Some(spike_ms) => {
                    self.i *= (-spike_ms / params.tau_s_ms).exp();
                    self.v = params.v_reset;
                    self.refractory_left_ms = params.t_ref_ms;
                    elapsed_ms += spike_ms;
                    spikes += 1;
                    on_spike(elapsed_ms);
                }
            }
        }
    }
}

/// First time in `[0, span]` at which `u = V - V_rest` reaches `θ - V_rest` on the free
/// trajectory from `(u0, i0)`, given its end state. Within a span
/// `u(s) = α e^{-s/τ_m} + β e^{-s/τ_s}` (or `(α + β s) e^{-s/τ}`), which has at most one
/// critical point, where `du/ds = (I - u)/τ_m` changes sign. So a crossing exists iff the
/// end value or an interior maximum (`I - u` going from + to -) reaches the threshold, and
/// then `[0, end]` or `[0, s_peak]` brackets exactly the first crossing.
fn crossing_time(
    params: &LifParams,
    theta: f64,
    u0: f64,
    i0: f64,
    span_ms: f64,
    (u_end, i_end): (f64, f64),
) -> Option<f64> {
    let target = theta - params.v_rest;
    if u0 >= target {
        return Some(0.0);
    }
    let bracket_end = if u_end >= target {
        span_ms
    } else {
        let rising_at_start = i0 - u0 > 0.0;
        let falling_at_end = i_end - u_end < 0.0;
        if !(rising_at_start && falling_at_end) {
            return None;
        }
        let peak_ms = peak_time(params, u0, i0, span_ms);
        if params.evolve(u0, i0, peak_ms).0 < target {
            return None;
        }
        peak_ms
    };
    Some(solve_crossing(params, u0, i0, target, bracket_end))
}

/// Time of the interior maximum of `u`, where `I(s) - u(s)` changes sign from + to -
/// (dV/ds = 0), by bisection on `[0, span]` to full precision.
fn peak_time(params: &LifParams, u0: f64, i0: f64, span_ms: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, span_ms);
    for _ in 0..1100 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        let (u, i) = params.evolve(u0, i0, mid);
        if i - u > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// Root of `f(s) = u(s) - target` on `[0, hi]` with `f(0) < 0 ≤ f(hi)`: Newton with
/// `f'(s) = (I(s) - u(s))/τ_m`, safeguarded by bisection whenever the Newton step leaves
/// the bracket or does not at least halve the previous step (Numerical Recipes' `rtsafe`).
/// Converges to ~1 ulp of the spike time.
fn solve_crossing(params: &LifParams, u0: f64, i0: f64, target: f64, hi: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, hi);
    let mut s = hi;
    let mut previous_step = hi - lo;
    for _ in 0..200 {
        let (u, i) = params.evolve(u0, i0, s);
        let f = u - target;
        if f >= 0.0 {
            hi = s;
        } else {
            lo = s;
        }
        let slope = (i - u) / params.tau_m_ms;
        let newton = s - f / slope;
        let step = if newton > lo && newton < hi && (2.0 * f).abs() <= (previous_step * slope).abs()
        {
            newton - s
        } else {
            0.5 * (lo + hi) - s
        };
        previous_step = step;
        s += step;
        let tolerance = 2.0 * f64::EPSILON * s.abs() + f64::MIN_POSITIVE;
        if step.abs() <= tolerance || hi - lo <= tolerance {
            break;
        }
    }
    s.clamp(lo, hi)
}

/// MODEL.md §2's simulation check: one input spike of weight `q` at `t = 0` onto a neuron
/// at rest, simulated on the `dt` grid with the exact propagator; the first spike time in
/// ms, or `None` if there is none by `t_max`. Errors name `q` (finite), `dt` and `t_max`
/// (finite, > 0).
pub fn first_spike_time_ms(
    params: &LifParams,
    q: f64,
    dt_ms: f64,
    t_max_ms: f64,
) -> Result<Option<f64>> {
    let q = require_finite("q", q)?;
    let t_max_ms = require_positive("t_max", t_max_ms)?;
    let full = Propagator::new(params, dt_ms)?;
    let mut neuron = LifNeuron::at_rest(params);
    neuron.receive(params, q);
    let mut step_index: u64 = 0;
    loop {
        let start_ms = step_index as f64 * dt_ms;
        if start_ms >= t_max_ms {
            return Ok(None);
        }
        let spike = if start_ms + dt_ms > t_max_ms {
            neuron.step(&Propagator::new(params, t_max_ms - start_ms)?)
        } else {
            neuron.step(&full)
        };
        if let Some(offset_ms) = spike {
            return Ok(Some(start_ms + offset_ms));
        }
        step_index += 1;
    }
}

#[cfg(test)]
mod tests;
