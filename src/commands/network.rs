//! The sweeps over trained networks: `mesonet network-heatmap` (a grid: λ of learning and
//! accuracy per cell), `mesonet network-orbit` (a simulated orbit diagram with λ beneath) and
//! `mesonet merge` (the shards of either joined into the output of the unsharded run).

use super::train::{commit, data_dir, load, preset_help, set_help, DATA_HELP};
use super::Report;
use crate::analysis::Grid;
use crate::error::{Error, Result};
use crate::jobs::network_heatmap::{self, run_cells, NetworkHeatmapData, NetworkHeatmapPlan};
use crate::jobs::network_orbit::{
    self, run_values, NetworkOrbitData, NetworkOrbitPlan, Observable,
};
use crate::jobs::shard::Shard;
use crate::output::{Manifest, OutputDir};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `mesonet network-heatmap`.
#[derive(Debug, Clone, Args)]
pub struct NetworkHeatmapArgs {
    #[arg(long, default_value = "mesonet", long_help = preset_help())]
    /// The network preset every cell trains [default: mesonet].
    pub preset: String,
    /// Horizontal axis: a preset parameter as NAME:FROM:TO:POINTS.
    #[arg(
        long,
        value_name = "NAME:FROM:TO:POINTS",
        default_value = "eta_min:0.25:1:4"
    )]
    pub x: String,
    /// Vertical axis: another preset parameter as NAME:FROM:TO:POINTS (η_max must stay above
    /// the largest drive, w_max = 1 for the weight drive).
    #[arg(
        long,
        value_name = "NAME:FROM:TO:POINTS",
        default_value = "eta_max:1.25:4:4"
    )]
    pub y: String,
    #[arg(long = "set", value_name = "NAME=VALUE", long_help = set_help())]
    /// Fix a preset parameter in every cell, repeatable (not an axis).
    pub set: Vec<String>,
    /// Output neurons of every cell [default: the preset's for the data and the cell's
    /// parameters: 100 for diehl-cook, areas × maps for split-merge and mesonet].
    #[arg(long)]
    pub neurons: Option<usize>,
    #[arg(long, long_help = DATA_HELP)]
    /// Directory with the four IDX files (default: $MESONET_DATA).
    pub data: Option<PathBuf>,
    /// Training samples per cell: the first n of the training split, one pass.
    #[arg(long)]
    pub train_samples: usize,
    /// Test samples per cell: the first m of the test split (or of the held-out images).
    #[arg(long)]
    pub test_samples: usize,
    /// Presentations averaged by the Lyapunov measurement of each trained network (two
    /// copies, common random numbers, renormalised when their distance leaves a band).
    #[arg(long, default_value_t = 100)]
    pub lyapunov_samples: usize,
    /// Initial separation of the two copies' learning states, relative to their norm.
    #[arg(long, default_value_t = 1e-8)]
    pub d0: f64,
    /// Hold out the last N training images as the evaluation set (the test split is then
    /// never read) [default: 0, off].
    #[arg(long, default_value_t = 0)]
    pub holdout: usize,
    /// Run seed: each cell's network, inputs and separation derive from it and the cell's
    /// index.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Compute only shard i of n (cells i, i+n, …) and write them; join the n shard
    /// directories with `mesonet merge`. Default 0/1: every cell.
    #[arg(long, value_name = "i/n", default_value = "0/1")]
    pub shard: String,
    /// Output directory; default notebooks-out/network-heatmap-<preset>-<x>-<y>[-shard-i-of-n].
    /// Replaced only if empty or written by this command before.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads: cells run in parallel, one thread each (0 = one per core; capped at
    /// the cells). Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `mesonet merge`.
#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// The shard directories (each written by a sweep run with --shard i/n), in any order.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Output directory: receives what the unsharded run would have written (data files
    /// byte for byte). Replaced only if empty or written by the sweep's command before.
    #[arg(long)]
    pub out: PathBuf,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

fn grid(text: &str, flag: &str) -> Result<Grid> {
    let v = super::sweep::axis(text, flag)?;
    let field = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    Grid::linspace(
        v["param"].as_str().unwrap_or_default(),
        field("from"),
        field("to"),
        v["points"].as_u64().unwrap_or(0) as usize,
    )
    .map_err(|e| Error::InvalidParameter {
        name: flag.into(),
        value: format!("'{text}'"),
        requirement: format!("a valid range ({e})"),
    })
}

/// The validated plan and shard of the arguments.
fn plan(args: &NetworkHeatmapArgs) -> Result<(NetworkHeatmapPlan, Shard)> {
    let set = super::sweep::assignments(&args.set)?;
    if args.neurons == Some(0) {
        return Err(Error::invalid("neurons", 0.0, ">= 1"));
    }
    let plan = NetworkHeatmapPlan {
        preset: args.preset.clone(),
        neurons: args.neurons,
        x: grid(&args.x, "x")?,
        y: grid(&args.y, "y")?,
        set,
        train_samples: args.train_samples,
        test_samples: args.test_samples,
        lyapunov_samples: args.lyapunov_samples,
        d0_relative: args.d0,
        holdout: args.holdout,
        seed: args.seed,
    };
    plan.validate()?;
    Ok((plan, Shard::parse(&args.shard)?))
}

/// Runs a trained-network heatmap (or one shard of it).
pub fn heatmap(args: &NetworkHeatmapArgs) -> Result<Report> {
    let (plan, shard) = plan(args)?;
    let dir = args.out.clone().unwrap_or_else(|| {
        let mut name = format!(
            "network-heatmap-{}-{}-{}",
            plan.preset, plan.x.name, plan.y.name
        );
        if !shard.is_whole() {
            name.push_str(&format!("-shard-{}-of-{}", shard.index, shard.count));
        }
        PathBuf::from("notebooks-out").join(name)
    });
    let out = OutputDir::at(&dir, Manifest::new(network_heatmap::KIND, None))?;
    out.check()?;
    let (train, test) = load(&data_dir(&args.data)?)?;
    let (train, test) = plan.sets(train, test)?;
    plan.validate_data(&train, &test)?;

    let started = std::time::Instant::now();
    let cells = shard.cells(plan.cells());
    let bar = super::progress_display("cells")?;
    bar.set_length(cells.len() as u64);
    let computed = super::with_threads(args.threads, cells.len(), || {
        run_cells(&plan, shard, (&train, &test), &|| bar.inc(1))
    })?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let data = NetworkHeatmapData::new(plan, shard, computed, commit());
    let files = write_staged(&out, |dir| data.write(dir))?;
    Ok(report(&data, data.text(), files, Some(seconds)))
}

/// The report of a written sweep: its data, where it went, and (not in any file) how long
/// it took.
fn report<D: serde::Serialize>(
    data: &D,
    mut text: String,
    (dir, files): (PathBuf, Vec<String>),
    seconds: Option<f64>,
) -> Report {
    let mut json = serde_json::to_value(data).expect("plain data serialises");
    json["output_dir"] = serde_json::json!(dir);
    json["files"] = serde_json::json!(files);
    if let Some(s) = seconds {
        json["seconds"] = serde_json::json!(s);
        text.push_str(&format!("{s:.1} s; "));
    }
    text.push_str(&format!(
        "wrote {} files to {}\n",
        files.len(),
        dir.display()
    ));
    Report { json, text }
}

/// Writes a sweep's files into `out` with `write` (staged, renamed into place when
/// complete); returns the directory and the files.
fn write_staged(
    out: &OutputDir,
    write: impl FnOnce(&std::path::Path) -> Result<Vec<String>>,
) -> Result<(PathBuf, Vec<String>)> {
    let staged = out.stage()?;
    let files = write(staged.path())?;
    Ok((staged.commit()?, files))
}

/// Reads the data file of sweep kind `kind` from each shard directory.
fn read_parts<D: serde::de::DeserializeOwned>(
    dirs: &[(String, PathBuf, String)],
) -> Result<Vec<(String, D)>> {
    dirs.iter()
        .map(|(name, path, text)| {
            let data = serde_json::from_str(text).map_err(|e| Error::InvalidParameter {
                name: "merge".into(),
                value: path.display().to_string(),
                requirement: format!("the data file of a sweep shard ({e})"),
            })?;
            Ok((name.clone(), data))
        })
        .collect()
}

/// Joins shard directories into the output of the unsharded run.
pub fn merge(args: &MergeArgs) -> Result<Report> {
    let kinds = [network_heatmap::KIND, network_orbit::KIND];
    let kind_of = |dir: &PathBuf| {
        kinds
            .into_iter()
            .find(|k| dir.join(format!("{k}.json")).is_file())
    };
    // The output is checked first, as the kind of the first recognisable shard writes it.
    let kind = args
        .dirs
        .iter()
        .find_map(kind_of)
        .unwrap_or(network_heatmap::KIND);
    let out = OutputDir::at(&args.out, Manifest::new(kind, None))?;
    out.check()?;
    let mut parts = Vec::new();
    for dir in &args.dirs {
        let name = dir.display().to_string();
        let requirement = match kind_of(dir) {
            Some(found) if found == kind => None,
            Some(_) => Some(format!(
                "a shard of the same kind of sweep as the others ({kind})"
            )),
            None => Some(format!(
                "a directory written by a sweep with --shard i/n (holding {})",
                kinds.map(|k| format!("{k}.json")).join(" or ")
            )),
        };
        if let Some(requirement) = requirement {
            return Err(Error::InvalidParameter {
                name: "merge".into(),
                value: name,
                requirement,
            });
        }
        let path = dir.join(format!("{kind}.json"));
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        parts.push((name, path, text));
    }
    if kind == network_orbit::KIND {
        let data = NetworkOrbitData::merge(read_parts(&parts)?)?;
        let files = write_staged(&out, |dir| data.write(dir))?;
        Ok(report(&data, data.text(), files, None))
    } else {
        let data = NetworkHeatmapData::merge(read_parts(&parts)?)?;
        let files = write_staged(&out, |dir| data.write(dir))?;
        Ok(report(&data, data.text(), files, None))
    }
}

/// Arguments of `mesonet network-orbit`.
#[derive(Debug, Clone, Args)]
pub struct NetworkOrbitArgs {
    #[arg(long, default_value = "pair", long_help = preset_help())]
    /// The network preset [default: pair].
    pub preset: String,
    /// The swept preset parameter (e.g. eta for pair, eta_max for mesonet).
    #[arg(long)]
    pub param: String,
    /// First value.
    #[arg(long)]
    pub from: f64,
    /// Last value.
    #[arg(long)]
    pub to: f64,
    /// Number of values.
    #[arg(long, default_value_t = 50)]
    pub n: usize,
    /// What is recorded after each presentation: weight:K (component K of the learning state,
    /// e.g. weight:0 for the pair's synapse), neuron:J (mean input weight of output neuron J)
    /// or pc1 (projection on the first principal direction of the recorded learning states).
    #[arg(long, default_value = "weight:0")]
    pub observable: String,
    /// Presentations before recording.
    #[arg(long, default_value_t = 500)]
    pub transient: usize,
    /// Presentations recorded at each value.
    #[arg(long, default_value_t = 100)]
    pub samples: usize,
    /// Presentations averaged by the Lyapunov measurement after the recorded ones.
    #[arg(long, default_value_t = 200)]
    pub lyapunov_samples: usize,
    /// Initial separation of the two copies' learning states, relative to their norm.
    #[arg(long, default_value_t = 1e-8)]
    pub d0: f64,
    #[arg(long = "set", value_name = "NAME=VALUE", long_help = set_help())]
    /// Fix a preset parameter, repeatable (not the swept one).
    pub set: Vec<String>,
    /// Output neurons [default: the preset's: 1 for pair, 10 for poisson-layer, the data's
    /// for image presets].
    #[arg(long)]
    pub neurons: Option<usize>,
    #[arg(long, long_help = DATA_HELP)]
    /// Images for presets that learn from them (the training split, in order; cycled).
    pub data: Option<PathBuf>,
    /// Run seed: each value's network and inputs derive from it and the value's index.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Compute only shard i of n (values i, i+n, …); join with `mesonet merge`.
    #[arg(long, value_name = "i/n", default_value = "0/1")]
    pub shard: String,
    /// Output directory; default notebooks-out/network-orbit-<preset>-<param>[-shard-i-of-n].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads: values run in parallel, one thread each (0 = one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs a simulated orbit diagram (or one shard of it).
pub fn orbit(args: &NetworkOrbitArgs) -> Result<Report> {
    let set = super::sweep::assignments(&args.set)?;
    if args.neurons == Some(0) {
        return Err(Error::invalid("neurons", 0.0, ">= 1"));
    }
    for (name, v) in [("from", args.from), ("to", args.to)] {
        crate::error::require_finite(name, v)?;
    }
    let plan = NetworkOrbitPlan {
        preset: args.preset.clone(),
        neurons: args.neurons,
        param: Grid::linspace(&args.param, args.from, args.to, args.n).map_err(|e| {
            Error::InvalidParameter {
                name: "n".into(),
                value: args.n.to_string(),
                requirement: format!("a valid range of {} ({e})", args.param),
            }
        })?,
        set,
        observable: Observable::parse(&args.observable)?,
        transient: args.transient,
        samples: args.samples,
        lyapunov_samples: args.lyapunov_samples,
        d0_relative: args.d0,
        seed: args.seed,
    };
    plan.validate()?;
    let shard = Shard::parse(&args.shard)?;
    let dir = args.out.clone().unwrap_or_else(|| {
        let mut name = format!("network-orbit-{}-{}", plan.preset, plan.param.name);
        if !shard.is_whole() {
            name.push_str(&format!("-shard-{}-of-{}", shard.index, shard.count));
        }
        PathBuf::from("notebooks-out").join(name)
    });
    let out = OutputDir::at(&dir, Manifest::new(network_orbit::KIND, None))?;
    out.check()?;
    let data = if crate::sim::presets::Preset::takes_images(&plan.preset) {
        Some(load(&data_dir(&args.data)?)?.0)
    } else {
        None
    };
    plan.validate_observable(data.as_ref())?;
    let started = std::time::Instant::now();
    let values = shard.cells(plan.param.len());
    let bar = super::progress_display("values")?;
    bar.set_length(values.len() as u64);
    let computed = super::with_threads(args.threads, values.len(), || {
        run_values(&plan, shard, data.as_ref(), &|| bar.inc(1))
    })?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let data = NetworkOrbitData::new(plan, shard, computed, commit());
    let files = write_staged(&out, |dir| data.write(dir))?;
    Ok(report(&data, data.text(), files, Some(seconds)))
}

/// Arguments of `mesonet local-jacobians`.
#[derive(Debug, Clone, Args)]
pub struct LocalJacobiansArgs {
    #[arg(long, default_value = "noise-mesonet", long_help = preset_help())]
    /// The network preset: its synapses must carry η (variable plasticity) and its samples
    /// have a fixed length (noise-mesonet) [default: noise-mesonet].
    pub preset: String,
    /// Presentations of the run (the poster's "500 timesteps").
    #[arg(long, default_value_t = 500)]
    pub samples: usize,
    /// Synapses drawn at random (with replacement) before each presentation.
    #[arg(long, default_value_t = 3)]
    pub per_sample: usize,
    /// Central-difference step, relative: w_max · delta for w, max(η, 1) · delta for η.
    #[arg(long, default_value_t = 1e-6)]
    pub delta: f64,
    #[arg(long = "set", value_name = "NAME=VALUE", long_help = set_help())]
    /// Set a preset parameter, repeatable (e.g. layers=2, noise_sigma=1.5).
    pub set: Vec<String>,
    /// Neurons per layer [default: the preset's, 3 for noise-mesonet].
    #[arg(long)]
    pub neurons: Option<usize>,
    /// Run seed: the network, the inputs and the draws of synapses derive from it.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Output directory; default notebooks-out/local-jacobians-<preset>.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads for the draws of one presentation (0 = one per core); results do not
    /// depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Samples local (w, η) Jacobians of synapses along a learning run.
pub fn local_jacobians(args: &LocalJacobiansArgs) -> Result<Report> {
    use crate::jobs::local_jacobians::{self, LocalJacobianPlan};
    if args.neurons == Some(0) {
        return Err(Error::invalid("neurons", 0.0, ">= 1"));
    }
    let plan = LocalJacobianPlan {
        preset: args.preset.clone(),
        neurons: args.neurons,
        set: super::sweep::assignments(&args.set)?,
        samples: args.samples,
        per_sample: args.per_sample,
        delta: args.delta,
        seed: args.seed,
    };
    plan.validate()?;
    let dir = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("notebooks-out").join(format!("local-jacobians-{}", plan.preset))
    });
    let out = OutputDir::at(&dir, Manifest::new(local_jacobians::KIND, None))?;
    out.check()?;
    let started = std::time::Instant::now();
    let bar = super::progress_display("samples")?;
    bar.set_length(plan.samples as u64);
    let data = super::with_threads(args.threads, plan.per_sample, || {
        local_jacobians::run(&plan, &|| bar.inc(1))
    })?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let files = write_staged(&out, |dir| data.write(dir))?;
    Ok(report(&data, data.text(), files, Some(seconds)))
}
