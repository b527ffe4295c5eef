//! `mesonet spike-timing`: spike timing of the poster's kernel for one weight.

use super::Report;
use crate::error::{is_real, require_finite, require_positive, Error, Result};
use crate::model::spike_timing::SpikeTiming;
use clap::Args;

/// Most simulation steps of the LIF neuron (beyond, `--dt` is too small for the horizon).
const MAX_SIMULATION_STEPS: f64 = 1e8;

/// Arguments of `mesonet spike-timing`.
#[derive(Debug, Clone, Args)]
pub struct SpikeTimingArgs {
    /// Synaptic weight w of the kernel V(x) = w k x e^{-x/tau_m} (negative values are
    /// accepted: --w -1 or --w=-1).
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
pub fn run(args: &SpikeTimingArgs) -> Result<Report> {
    let timing = SpikeTiming::new(args.k, args.theta, args.tau_m)?;
    let w = require_finite("w", args.w)?;
    let charge = crate::model::lif::poster_charge(w, args.k, args.tau_m);
    if !is_real(charge) {
        return Err(Error::invalid(
            "w",
            w,
            &format!(
                "such that the input charge w k tau_m² (here {}) is at most 1e100",
                crate::error::show_value(charge)
            ),
        ));
    }
    let tau_s = require_positive("tau_s", args.tau_s.unwrap_or(args.tau_m))?;
    let dt = require_positive("dt", args.dt)?;
    let horizon_ms = timing.simulation_horizon_ms(tau_s);
    if horizon_ms / dt > MAX_SIMULATION_STEPS {
        return Err(Error::invalid(
            "dt",
            dt,
            &format!(
                ">= {} ms: the simulation spans {horizon_ms} ms in at most {MAX_SIMULATION_STEPS} steps",
                horizon_ms / MAX_SIMULATION_STEPS
            ),
        ));
    }
    let order_rule = timing.order_rule();
    let order = args.taylor_order.unwrap_or(order_rule);
    let max_order = crate::model::spike_timing::MAX_TAYLOR_ORDER;
    if order > max_order {
        let why = format!("<= {max_order} (beyond it the polynomial cannot be evaluated in f64)");
        return Err(match args.taylor_order {
            Some(_) => Error::invalid("taylor-order", order as f64, &why),
            None => Error::invalid(
                "tau_m",
                args.tau_m,
                &format!(
                    "small enough that the poster's order rule gives N {why}; it gives {order} \
                     (or pass --taylor-order)"
                ),
            ),
        });
    }
    let simulated = timing.simulated_spike_ms(w, tau_s, dt)?;
    let taylor = timing.taylor_ms(w, order);
    // Below w_c the exact kernel never reaches θ: a Taylor root there is an artefact.
    let taylor_spurious = taylor.is_some() && timing.spike_time_ms(w).is_none();
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
        "taylor_ms": taylor,
        "taylor_spurious": taylor_spurious,
        "simulated_ms": simulated,
    });
    let show = super::show;
    let text = format!(
        "w = {w}, w_c = {:.12}\nLambert W (up)   x* = {} ms\nLambert W (down)    = {} ms\nquadratic       x_Q = {} ms\nTaylor-{order}            = {} ms (order rule N = {order_rule}){}\nsimulated LIF (tau_s = {tau_s} ms, dt = {} ms) = {} ms\n",
        timing.w_c(),
        show(timing.spike_time_ms(w)),
        show(timing.down_crossing_ms(w)),
        show(timing.quadratic_ms(w)),
        show(taylor),
        if taylor_spurious {
            "  spurious: w < w_c, the exact kernel never reaches theta"
        } else {
            ""
        },
        args.dt,
        show(simulated),
    );
    Ok(Report { json, text })
}
