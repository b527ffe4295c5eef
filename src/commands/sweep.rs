//! `mesonet orbit` and `mesonet heatmap`: the spec kinds `orbit` and `heatmap` driven from
//! flags. The flags are turned into the same raw spec a JSON file would give and validated by
//! the same code, so both routes behave identically.

use super::{CommonArgs, Report};
use crate::error::{Error, Result};
use crate::jobs::{self, Progress};
use crate::spec::{HeatmapSpec, OrbitSpec, Plan, QuickSizes};
use clap::Args;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Arguments of `mesonet orbit`.
#[derive(Debug, Clone, Args)]
pub struct OrbitArgs {
    /// The map: logistic, tent, henon, linear, synapse.
    #[arg(long)]
    pub system: String,
    /// The swept parameter (e.g. r for logistic, eta for synapse).
    #[arg(long)]
    pub param: String,
    /// First value of the swept parameter.
    #[arg(long)]
    pub from: f64,
    /// Last value of the swept parameter.
    #[arg(long)]
    pub to: f64,
    /// Number of parameter values.
    #[arg(long, default_value_t = 400)]
    pub points: usize,
    /// Iterations discarded at each value.
    #[arg(long, default_value_t = 1_000)]
    pub transient: usize,
    /// Iterations recorded at each value.
    #[arg(long, default_value_t = 100)]
    pub samples: usize,
    /// Carry the state from one value to the next instead of restarting from x0.
    #[arg(long)]
    pub carry_state: bool,
    /// Also compute λ at each value, averaging this many iterations (adds the λ panel).
    #[arg(long)]
    pub lyapunov_steps: Option<usize>,
    /// Set a fixed parameter, repeatable.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Starting state, comma-separated (default: the system's own).
    #[arg(long, value_name = "X,Y,..")]
    pub x0: Option<String>,
    /// Directory that receives <name>/ with the figure and data.
    #[arg(long, default_value = "notebooks-out")]
    pub out: PathBuf,
    /// Output name (default: orbit-<system>-<param>).
    #[arg(long)]
    pub name: Option<String>,
    /// Shared options.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Arguments of `mesonet heatmap`.
#[derive(Debug, Clone, Args)]
pub struct HeatmapArgs {
    /// The system: logistic, tent, henon, linear, lorenz, synapse.
    #[arg(long)]
    pub system: String,
    /// Horizontal axis as NAME:FROM:TO:POINTS, e.g. eta:0:3:200.
    #[arg(long, value_name = "NAME:FROM:TO:POINTS")]
    pub x: String,
    /// Vertical axis as NAME:FROM:TO:POINTS, e.g. tau_m:1:4:200.
    #[arg(long, value_name = "NAME:FROM:TO:POINTS")]
    pub y: String,
    /// Discarded iterations (maps) or RK4 steps (flows) per cell.
    #[arg(long, default_value_t = 1_000)]
    pub transient: usize,
    /// Averaged iterations (maps) or RK4 steps (flows) per cell.
    #[arg(long, default_value_t = 10_000)]
    pub steps: usize,
    /// RK4 step for flows.
    #[arg(long, default_value_t = 0.01)]
    pub dt: f64,
    /// Set a fixed parameter, repeatable.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Starting state, comma-separated (default: each cell's system's own).
    #[arg(long, value_name = "X,Y,..")]
    pub x0: Option<String>,
    /// Directory that receives <name>/ with the figure and data.
    #[arg(long, default_value = "notebooks-out")]
    pub out: PathBuf,
    /// Output name (default: heatmap-<system>-<x>-<y>).
    #[arg(long)]
    pub name: Option<String>,
    /// Shared options.
    #[command(flatten)]
    pub common: CommonArgs,
}

fn assignments(set: &[String]) -> Result<BTreeMap<String, f64>> {
    set.iter()
        .map(|a| crate::params::parse_assignment(a).map(|(n, v)| (n.to_string(), v)))
        .collect()
}

fn axis(text: &str, flag: &str) -> Result<serde_json::Value> {
    let parts: Vec<&str> = text.split(':').collect();
    let bad = || Error::InvalidParameter {
        name: flag.into(),
        value: text.into(),
        requirement: "NAME:FROM:TO:POINTS with finite numbers and a whole number of points".into(),
    };
    let [name, from, to, points] = parts[..] else {
        return Err(bad());
    };
    let from: f64 = from.parse().map_err(|_| bad())?;
    let to: f64 = to.parse().map_err(|_| bad())?;
    let points: usize = points.parse().map_err(|_| bad())?;
    Ok(serde_json::json!({"param": name, "from": from, "to": to, "points": points}))
}

fn from_json<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| Error::InvalidParameter {
        name: "arguments".into(),
        value: String::new(),
        requirement: e.to_string(),
    })
}

fn finish(plan: Plan, out: &std::path::Path) -> Result<Report> {
    let bar = super::progress_bar(&plan.name);
    let start = |n: u64| bar.set_length(n);
    let tick = || bar.inc(1);
    let report = jobs::run(
        &plan,
        out,
        &Progress {
            start: &start,
            tick: &tick,
        },
    )?;
    bar.finish_and_clear();
    let text = format!(
        "wrote {} ({})\n",
        report.dir.display(),
        report.files.join(", ")
    );
    let mut json = report.summary;
    json["output_dir"] = serde_json::json!(report.dir);
    json["files"] = serde_json::json!(report.files);
    Ok(Report { json, text })
}

/// Runs an orbit diagram from flags.
pub fn orbit(args: &OrbitArgs) -> Result<Report> {
    let x0 = args.x0.as_deref().map(super::parse_state).transpose()?;
    let spec: OrbitSpec = from_json(serde_json::json!({
        "system": args.system,
        "set": assignments(&args.set)?,
        "sweep": {"param": args.param, "from": args.from, "to": args.to, "points": args.points},
        "transient": args.transient,
        "samples": args.samples,
        "carry_state": args.carry_state,
        "lyapunov_steps": args.lyapunov_steps,
        "x0": x0,
    }))?;
    let plan = Plan {
        name: args
            .name
            .clone()
            .unwrap_or_else(|| format!("orbit-{}-{}", args.system, args.param)),
        description: String::new(),
        kind: spec.plan(&QuickSizes::default())?,
    };
    finish(plan, &args.out)
}

/// Runs a Lyapunov heatmap from flags.
pub fn heatmap(args: &HeatmapArgs) -> Result<Report> {
    let x0 = args.x0.as_deref().map(super::parse_state).transpose()?;
    let x = axis(&args.x, "x")?;
    let y = axis(&args.y, "y")?;
    let name = args.name.clone().unwrap_or_else(|| {
        format!(
            "heatmap-{}-{}-{}",
            args.system,
            x["param"].as_str().unwrap_or_default(),
            y["param"].as_str().unwrap_or_default()
        )
    });
    let spec: HeatmapSpec = from_json(serde_json::json!({
        "system": args.system,
        "set": assignments(&args.set)?,
        "x": x,
        "y": y,
        "transient": args.transient,
        "steps": args.steps,
        "dt": args.dt,
        "x0": x0,
    }))?;
    let plan = Plan {
        name,
        description: String::new(),
        kind: spec.plan(&QuickSizes::default())?,
    };
    finish(plan, &args.out)
}
