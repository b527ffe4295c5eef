//! `mesonet lyapunov`: Lyapunov exponent(s) of a system.

use super::Report;
use crate::analysis::lyapunov::{self, LyapunovOptions};
use crate::error::{Error, Result};
use crate::registry::{build, Dynamics, ParamSet, SystemKind};
use clap::{Args, ValueEnum};

/// Which algorithm to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// Derivative method for smooth 1-D maps, two-trajectory for non-smooth maps,
    /// Benettin/QR otherwise.
    Auto,
    /// ⟨ln |f'(x)|⟩ (1-D maps).
    Derivative,
    /// Benettin/QR on the tangent dynamics (maps and flows).
    Qr,
    /// Separation of two nearby orbits (maps; no derivative needed).
    TwoTrajectory,
}

/// Arguments of `mesonet lyapunov`.
#[derive(Debug, Clone, Args)]
pub struct LyapunovArgs {
    /// The system: logistic, tent, henon, linear, lorenz, synapse, plasticity (coupled (w, η)
    /// map), plasticity-flow (its flow form).
    #[arg(long)]
    pub system: String,
    /// Set a parameter, repeatable (logistic: r; tent: mu; henon: a, b; linear: a11, a12,
    /// a21, a22; lorenz: sigma, rho, beta; synapse: T, a_plus, a_minus, tau, w_max, mu,
    /// theta, k, tau_m, eta; plasticity and plasticity-flow: the synapse's without eta, plus
    /// eta_min, eta_max, tau_d, epsilon, drive (0: d = w, 1: d = |S|), flipping (0/1), h).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// The full spectrum (Benettin/QR) instead of the largest exponent only.
    #[arg(long)]
    pub spectrum: bool,
    /// Algorithm for the largest exponent of a map.
    #[arg(long, value_enum, default_value_t = Method::Auto)]
    pub method: Method,
    /// Averaged iterations (maps; default 100000) or RK4 steps (flows; default 200000).
    #[arg(long)]
    pub steps: Option<usize>,
    /// Discarded iterations (maps; default 1000) or RK4 steps (flows; default 10000).
    #[arg(long)]
    pub transient: Option<usize>,
    /// RK4 step of flows.
    #[arg(long, default_value_t = 0.005)]
    pub dt: f64,
    /// Re-orthonormalise a flow's tangent basis every this many RK4 steps.
    #[arg(long, default_value_t = 10)]
    pub renorm_every: usize,
    /// Starting state, comma-separated (default: the system's own).
    #[arg(long, value_name = "X,Y,..")]
    pub x0: Option<String>,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Computes the exponent(s) and reports `exponents`, `status`, `method`, `steps_done`.
pub fn run(args: &LyapunovArgs) -> Result<Report> {
    let kind = SystemKind::parse(&args.system)?;
    let mut params = ParamSet::defaults(kind);
    params.apply_assignments(&args.set)?;
    let system = build(&params)?;
    let start = match &args.x0 {
        Some(text) => super::parse_state(text)?,
        None => system.initial_state.clone(),
    };
    kind.check_state("x0", &start)?;
    let is_map = kind.is_map();
    let opts = LyapunovOptions {
        transient: args
            .transient
            .unwrap_or(if is_map { 1_000 } else { 10_000 }),
        steps: args.steps.unwrap_or(if is_map { 100_000 } else { 200_000 }),
        dt: args.dt,
        renorm_every: args.renorm_every,
        ..LyapunovOptions::default()
    }
    .validate()?;
    let dim = start.len() as f64;
    let per_step = if is_map { 5e-8 } else { 2e-7 } * dim * dim;
    crate::resources::Budget::new(
        "steps",
        opts.steps,
        0.0,
        (opts.transient + opts.steps) as f64 * per_step,
    )
    .check("the Lyapunov computation")?;
    let result = match &system.dynamics {
        Dynamics::Flow(flow) => {
            if !matches!(args.method, Method::Auto | Method::Qr) {
                return Err(method_error(args.method, "a flow takes only qr"));
            }
            let mut r = lyapunov::flow_spectrum(flow.as_ref(), &start, &opts)?;
            if !args.spectrum {
                r.exponents.truncate(1);
            }
            r
        }
        Dynamics::Map(map) => {
            let map = map.as_ref();
            match (args.method, args.spectrum) {
                (Method::Auto, true) | (Method::Qr, _) => {
                    if !map.is_smooth() && map.dim() > 1 {
                        return Err(method_error(Method::Qr, "this map is not smooth"));
                    }
                    let mut r = lyapunov::map_spectrum(map, &start, &opts)?;
                    if !args.spectrum {
                        r.exponents.truncate(1);
                    }
                    r
                }
                (Method::Auto, false) => lyapunov::largest(map, &start, &opts)?,
                (Method::Derivative, false) => lyapunov::largest_1d(map, &start, &opts)?,
                (Method::TwoTrajectory, false) => lyapunov::two_trajectory(map, &start, &opts)?,
                (m, true) => return Err(method_error(m, "--spectrum needs qr or auto")),
            }
        }
    };
    let unit = if is_map {
        "per iteration"
    } else {
        "per unit time"
    };
    let json = serde_json::json!({
        "system": kind.name(),
        "params": params.to_json(),
        "x0": start,
        "exponents": result.exponents,
        "status": result.status,
        "method": result.method,
        "steps_done": result.steps_done,
        "options": opts,
        "unit": unit,
    });
    let values: Vec<String> = result.exponents.iter().map(|v| format!("{v:.6}")).collect();
    let text = format!(
        "{} exponents ({unit}): [{}]  status: {}  method: {}  steps: {}\n",
        kind.name(),
        values.join(", "),
        result.status.as_str(),
        result.method,
        result.steps_done
    );
    Ok(Report { json, text })
}

fn method_error(method: Method, why: &str) -> Error {
    Error::InvalidParameter {
        name: "method".into(),
        value: format!("{method:?}").to_lowercase(),
        requirement: why.into(),
    }
}
