//! Domain checks every image preset's parameters share: the step against the protocol's phases,
//! retries, delays, 0/1 switches and the stability of forward Euler.

use crate::error::{Error, Result};

/// Smallest time step (ms).
pub const MIN_DT_MS: f64 = 1e-3;
/// Longest input presentation or rest (ms).
pub const MAX_PHASE_MS: f64 = 1e6;
/// Most extra presentations per sample.
pub const MAX_RETRIES: f64 = 1000.0;

/// `dt_ms` in [MIN_DT_MS, input_ms], and each phase at most [`MAX_PHASE_MS`].
pub fn step_and_phases(dt_ms: f64, input_ms: f64, rest_ms: f64) -> Result<()> {
    // Steps shorter than a microsecond resolve nothing these time constants (>= 1 ms) do
    // not, and would make one sample take billions of steps.
    if dt_ms < MIN_DT_MS || dt_ms > input_ms {
        return Err(Error::invalid(
            "dt_ms",
            dt_ms,
            &format!("in [{MIN_DT_MS}, input_ms = {input_ms}] ms"),
        ));
    }
    for (name, v) in [("input_ms", input_ms), ("rest_ms", rest_ms)] {
        if v > MAX_PHASE_MS {
            return Err(Error::invalid(name, v, &format!("<= {MAX_PHASE_MS} ms")));
        }
    }
    Ok(())
}

/// `max_retries` a whole number up to [`MAX_RETRIES`] (non-negative checked beforehand).
pub fn retries(max_retries: f64) -> Result<()> {
    if max_retries > MAX_RETRIES || max_retries.fract() != 0.0 {
        return Err(Error::invalid(
            "max_retries",
            max_retries,
            &format!("a whole number <= {MAX_RETRIES}"),
        ));
    }
    Ok(())
}

/// A switch `name` is 0 or 1; returns whether it is on.
pub fn switch(name: &str, v: f64) -> Result<bool> {
    let on = (v - 1.0).abs() == 0.0;
    if !on && v != 0.0 {
        return Err(Error::invalid(name, v, "0 or 1"));
    }
    Ok(on)
}

/// Forward Euler of a decay is stable and sign-preserving only for dt <= τ.
pub fn euler_step(dt_ms: f64, tau_ge_ms: f64, tau_gi_ms: f64) -> Result<()> {
    for (name, tau) in [("tau_ge_ms", tau_ge_ms), ("tau_gi_ms", tau_gi_ms)] {
        if tau < dt_ms {
            return Err(Error::invalid(
                name,
                tau,
                &format!(">= dt_ms = {dt_ms} with euler_conductances = 1"),
            ));
        }
    }
    Ok(())
}

/// Delays up to `delay_max_ms` fit the store's u16 steps of `dt_ms`.
pub fn delay_max(delay_max_ms: f64, dt_ms: f64) -> Result<()> {
    let max_delay_ms = (u16::MAX as f64 - 2.0) * dt_ms;
    if delay_max_ms > max_delay_ms {
        return Err(Error::invalid(
            "delay_max_ms",
            delay_max_ms,
            &format!("<= 65533 steps of dt_ms = {dt_ms} ({max_delay_ms} ms)"),
        ));
    }
    Ok(())
}
