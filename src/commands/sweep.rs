//! `mesonet orbit`, `mesonet heatmap` and `mesonet continue`: the spec kinds `orbit`,
//! `heatmap` and `continuation` driven from flags. The flags are turned into the same raw spec a JSON file would give and validated by
//! the same code, so both routes behave identically.

use super::{CommonArgs, Report};
use crate::error::{Error, Result};
use crate::jobs::{self, Progress};
use crate::output::{Manifest, OutputDir};
use crate::spec::{ContinuationSpec, HeatmapSpec, OrbitSpec, Plan, QuickSizes, SpectrumSpec};
use clap::Args;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where a flag-driven analysis writes.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output root: the command writes (only) the directory <out>/<name>/. It replaces that
    /// directory only if it is empty or was written by the same command before (it carries
    /// .mesonet-output.json); anything else there is refused.
    #[arg(long, default_value = "notebooks-out")]
    pub out: PathBuf,
    /// Output directory name: one plain name (letters, digits, '-', '_', '.'; default
    /// <command>-<system>-<parameters>).
    #[arg(long)]
    pub name: Option<String>,
    /// Shared options.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Flags every flag-driven analysis of a system shares.
#[derive(Debug, Clone, Args)]
pub struct SweepArgs {
    /// Set a fixed parameter, repeatable (see `mesonet lyapunov --help` for each system's);
    /// a swept parameter cannot also be set.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Starting state, comma-separated, one number per state component (default: the
    /// system's own start), e.g. --x0 -1,0.5.
    #[arg(long, value_name = "X,Y,..")]
    pub x0: Option<String>,
    /// Output root, name and shared options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `mesonet continue`.
#[derive(Debug, Clone, Args)]
pub struct ContinueArgs {
    /// The system: any map or flow of the registry (logistic, tent, henon, linear, lorenz,
    /// synapse, plasticity, plasticity-flow).
    #[arg(long)]
    pub system: String,
    /// The continued parameter (e.g. r for logistic, eta for synapse, rho for lorenz).
    #[arg(long)]
    pub param: String,
    /// Start of the parameter range; the fixed point is first solved here from x0.
    #[arg(long)]
    pub from: f64,
    /// End of the parameter range.
    #[arg(long)]
    pub to: f64,
    /// Period doublings to follow: at each flip, switch onto the period-2k branch.
    #[arg(long, default_value_t = 0)]
    pub max_doublings: usize,
    /// Points per branch at most.
    #[arg(long, default_value_t = 2_000)]
    pub max_points: usize,
    /// Parameter values of the background orbit diagram (maps).
    #[arg(long, default_value_t = 400)]
    pub points: usize,
    /// Iterations discarded at each value of the orbit diagram.
    #[arg(long, default_value_t = 1_000)]
    pub transient: usize,
    /// Iterations recorded at each value of the orbit diagram.
    #[arg(long, default_value_t = 100)]
    pub samples: usize,
    /// Parameters, start, output.
    #[command(flatten)]
    pub run: SweepArgs,
}

/// Arguments of `mesonet spectrum`.
#[derive(Debug, Clone, Args)]
pub struct SpectrumArgs {
    /// The matrix: goe (symmetric Gaussian, semicircle reference), iid (i.i.d. Gaussian,
    /// circular-law reference), synapses (the many-synapse layer's Jacobian, MODEL.md §7) or
    /// network (a simulated network's learning return map: inputs-per-post Poisson inputs →
    /// posts LIF neurons, Jacobian by finite differences with common random numbers).
    #[arg(long, default_value = "synapses")]
    pub matrix: String,
    /// Matrix size for goe and iid.
    #[arg(long, default_value_t = 1_000)]
    pub n: usize,
    /// Post neurons of the layer (synapses).
    #[arg(long, default_value_t = 100)]
    pub posts: usize,
    /// Inputs per post neuron (synapses); n = posts × inputs-per-post.
    #[arg(long, default_value_t = 10)]
    pub inputs_per_post: usize,
    /// Largest pairing offset d_max in ms (synapses; offsets uniform in [0, d_max]).
    #[arg(long, default_value_t = 1.0)]
    pub d_max: f64,
    /// Learning rate η (synapses).
    #[arg(long, default_value_t = 0.05)]
    pub eta: f64,
    /// Seed of the matrix or of the offsets.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Eigenvalue backend: nalgebra, or lapack (builds with --features lapack).
    #[arg(long, default_value = "nalgebra")]
    pub backend: String,
    /// Charge per unit weight of one input spike (network).
    #[arg(long, default_value_t = 8.0)]
    pub charge: f64,
    /// Set a synapse parameter of the layer (synapses), repeatable, e.g. theta=10; theta
    /// defaults to inputs-per-post, so that each input carries the 1:1 synapse's share of the
    /// threshold.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Output root, name and shared options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Arguments of `mesonet orbit`.
#[derive(Debug, Clone, Args)]
pub struct OrbitArgs {
    /// The map: logistic, tent, henon, linear, synapse, plasticity.
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
    /// Parameters, start, output.
    #[command(flatten)]
    pub run: SweepArgs,
}

/// Arguments of `mesonet heatmap`.
#[derive(Debug, Clone, Args)]
pub struct HeatmapArgs {
    /// The system: logistic, tent, henon, linear, lorenz, synapse, plasticity, plasticity-flow.
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
    /// Parameters, start, output.
    #[command(flatten)]
    pub run: SweepArgs,
}

/// `--set NAME=VALUE` flags as a map (errors name the assignment).
pub(super) fn assignments(set: &[String]) -> Result<BTreeMap<String, f64>> {
    set.iter()
        .map(|a| crate::registry::parse_assignment(a).map(|(n, v)| (n.to_string(), v)))
        .collect()
}

/// Parses NAME:FROM:TO:POINTS (finite numbers, a whole number of points).
pub(super) fn axis(text: &str, flag: &str) -> Result<serde_json::Value> {
    let parts: Vec<&str> = text.split(':').collect();
    let bad = || Error::InvalidParameter {
        name: flag.into(),
        value: format!("'{text}'"),
        requirement: "NAME:FROM:TO:POINTS with finite FROM < TO and a whole number of POINTS >= 2"
            .into(),
    };
    let [name, from, to, points] = parts[..] else {
        return Err(bad());
    };
    let from: f64 = from.parse().map_err(|_| bad())?;
    let to: f64 = to.parse().map_err(|_| bad())?;
    let points: usize = points.parse().map_err(|_| bad())?;
    if name.is_empty() || !crate::error::is_real(from) || !crate::error::is_real(to) {
        return Err(bad());
    }
    Ok(serde_json::json!({"param": name, "from": from, "to": to, "points": points}))
}

/// Checks a real flag before it goes into a raw spec (JSON has no NaN or infinity).
fn real(name: &str, value: f64) -> Result<f64> {
    crate::error::require_finite(name, value)
}

fn from_json<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| Error::InvalidParameter {
        name: "arguments".into(),
        value: String::new(),
        requirement: e.to_string(),
    })
}

/// Validates the plan and its output directory, then runs it.
fn finish(
    command: &str,
    name: String,
    kind: crate::Result<crate::spec::PlanKind>,
    output: &OutputArgs,
) -> Result<Report> {
    let plan = Plan::new(name, String::new(), kind?)?;
    let out = OutputDir::in_root(&output.out, &plan.name, Manifest::new(command, None))?;
    out.check()?;
    let bar = super::progress_display(&plan.name)?;
    let start = |n: u64| bar.set_length(n);
    let tick = || bar.inc(1);
    let progress = Progress {
        start: &start,
        tick: &tick,
    };
    let report = super::with_threads(output.common.threads, plan.kind.work_items(), || {
        jobs::run(&plan, &out, &progress)
    })?;
    bar.finish_and_clear();
    let text = format!(
        "{}wrote {} ({})\n",
        report.text,
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
    let x0 = args.run.x0.as_deref().map(super::parse_state).transpose()?;
    let spec: OrbitSpec = from_json(serde_json::json!({
        "system": args.system,
        "set": assignments(&args.run.set)?,
        "sweep": {"param": args.param, "from": real("from", args.from)?, "to": real("to", args.to)?, "points": args.points},
        "transient": args.transient,
        "samples": args.samples,
        "carry_state": args.carry_state,
        "lyapunov_steps": args.lyapunov_steps,
        "x0": x0,
    }))?;
    let name = args
        .run
        .output
        .name
        .clone()
        .unwrap_or_else(|| format!("orbit-{}-{}", args.system, args.param));
    finish(
        "orbit",
        name,
        spec.plan(&QuickSizes::default()),
        &args.run.output,
    )
}

/// Runs a Lyapunov heatmap from flags.
pub fn heatmap(args: &HeatmapArgs) -> Result<Report> {
    let x0 = args.run.x0.as_deref().map(super::parse_state).transpose()?;
    let x = axis(&args.x, "x")?;
    let y = axis(&args.y, "y")?;
    let name = args.run.output.name.clone().unwrap_or_else(|| {
        format!(
            "heatmap-{}-{}-{}",
            args.system,
            x["param"].as_str().unwrap_or_default(),
            y["param"].as_str().unwrap_or_default()
        )
    });
    let spec: HeatmapSpec = from_json(serde_json::json!({
        "system": args.system,
        "set": assignments(&args.run.set)?,
        "x": x,
        "y": y,
        "transient": args.transient,
        "steps": args.steps,
        "dt": real("dt", args.dt)?,
        "x0": x0,
    }))?;
    finish(
        "heatmap",
        name,
        spec.plan(&QuickSizes::default()),
        &args.run.output,
    )
}

/// Runs a continuation from flags.
pub fn continuation(args: &ContinueArgs) -> Result<Report> {
    let x0 = args.run.x0.as_deref().map(super::parse_state).transpose()?;
    let spec: ContinuationSpec = from_json(serde_json::json!({
        "system": args.system,
        "set": assignments(&args.run.set)?,
        "sweep": {"param": args.param, "from": real("from", args.from)?, "to": real("to", args.to)?, "points": args.points},
        "transient": args.transient,
        "samples": args.samples,
        "max_doublings": args.max_doublings,
        "max_points": args.max_points,
        "x0": x0,
    }))?;
    let name = args
        .run
        .output
        .name
        .clone()
        .unwrap_or_else(|| format!("continue-{}-{}", args.system, args.param));
    finish(
        "continue",
        name,
        spec.plan(&QuickSizes::default()),
        &args.run.output,
    )
}

/// Runs a spectrum from flags.
pub fn spectrum(args: &SpectrumArgs) -> Result<Report> {
    let spec: SpectrumSpec = from_json(serde_json::json!({
        "matrix": args.matrix,
        "n": args.n,
        "posts": args.posts,
        "inputs_per_post": args.inputs_per_post,
        "d_max": real("d_max", args.d_max)?,
        "eta": real("eta", args.eta)?,
        "set": assignments(&args.set)?,
        "seed": args.seed,
        "backend": args.backend,
        "charge": real("charge", args.charge)?,
    }))?;
    let name = args
        .output
        .name
        .clone()
        .unwrap_or_else(|| format!("spectrum-{}", args.matrix));
    finish(
        "spectrum",
        name,
        spec.plan(&QuickSizes::default()),
        &args.output,
    )
}
