//! `mesonet qspike`: spike timing of the poster's kernel for one weight.

use super::Report;
use crate::error::{require_finite, require_positive, Result};
use crate::jobs::spike_timing::simulated_spike_ms;
use crate::qspike::QSpikeParams;
use clap::Args;

/// Arguments of `mesonet qspike`.
#[derive(Debug, Clone, Args)]
pub struct QSpikeArgs {
    /// Synaptic weight w of the kernel V(x) = w k x e^{-x/tau_m}.
    #[arg(long)]
    pub w: f64,
    /// Kernel gain k.
    #[arg(long, default_value_t = 1.0)]
    pub k: f64,
    /// Firing threshold theta.
    #[arg(long, default_value_t = 1.0)]
    pub theta: f64,
    /// Membrane time constant tau_m (ms).
    #[arg(long = "tau-m", default_value_t = 2.0)]
    pub tau_m: f64,
    /// Synaptic time constant of the simulated LIF neuron (ms; default tau_m, where the
    /// simulation must reproduce the Lambert-W time).
    #[arg(long = "tau-s")]
    pub tau_s: Option<f64>,
    /// Simulation step (ms); the spike time is located inside the step, not on the grid.
    #[arg(long, default_value_t = 0.1)]
    pub dt: f64,
    /// Taylor order N (default: the poster's order rule).
    #[arg(long = "taylor-order")]
    pub taylor_order: Option<usize>,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Computes w_c, the Lambert-W crossings, the quadratic and Taylor-N times and the simulated
/// spike time.
pub fn run(args: &QSpikeArgs) -> Result<Report> {
    let timing = QSpikeParams::new(args.k, args.theta, args.tau_m)?;
    let w = require_finite("w", args.w)?;
    let tau_s = require_positive("tau_s", args.tau_s.unwrap_or(args.tau_m))?;
    let order_rule = timing.order_rule();
    let order = args.taylor_order.unwrap_or(order_rule);
    if order > crate::qspike::MAX_TAYLOR_ORDER {
        return Err(crate::Error::invalid(
            "taylor-order",
            order as f64,
            &format!(
                "<= {} (beyond it the polynomial cannot be evaluated in f64)",
                crate::qspike::MAX_TAYLOR_ORDER
            ),
        ));
    }
    let simulated = simulated_spike_ms(&timing, w, tau_s, args.dt)?;
    let json = serde_json::json!({
        "w": w,
        "k": args.k,
        "theta": args.theta,
        "tau_m_ms": args.tau_m,
        "tau_s_ms": tau_s,
        "dt_ms": args.dt,
        "w_c": timing.w_c(),
        "lambert_ms": timing.spike_time_ms(w),
        "lambert_down_ms": timing.down_crossing_ms(w),
        "dx_dw": timing.dspike_dw(w),
        "quadratic_ms": timing.quadratic_ms(w),
        "order_rule": order_rule,
        "taylor_order": order,
        "taylor_ms": timing.taylor_ms(w, order),
        "simulated_ms": simulated,
    });
    let show = super::show;
    let text = format!(
        "w = {w}, w_c = {:.12}\nLambert W (up)   x* = {} ms\nLambert W (down)    = {} ms\nquadratic       x_Q = {} ms\nTaylor-{order}            = {} ms (order rule N = {order_rule})\nsimulated LIF (tau_s = {tau_s} ms, dt = {} ms) = {} ms\n",
        timing.w_c(),
        show(timing.spike_time_ms(w)),
        show(timing.down_crossing_ms(w)),
        show(timing.quadratic_ms(w)),
        show(timing.taylor_ms(w, order)),
        args.dt,
        show(simulated),
    );
    Ok(Report { json, text })
}
