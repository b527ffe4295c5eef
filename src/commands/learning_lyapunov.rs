//! `mesonet learning-lyapunov`: the Lyapunov exponent of learning of a network (NETWORKS.md
//! §5): two copies with identical input spikes, learning states d0 apart, Benettin
//! renormalisation when their distance leaves a band.

use super::train::{data_dir, preset_help, set_help, DATA_HELP};
use super::Report;
use crate::data::{load_mnist_like, Split};
use crate::error::{Error, Result};
use crate::sim::learning_map::learning_lyapunov;
use crate::sim::presets::{Preset, PresetSpec};
use crate::sim::training::Checkpoint;
use crate::sim::Learner;
use clap::Args;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Arguments of `mesonet learning-lyapunov`.
#[derive(Debug, Clone, Args)]
pub struct LearningLyapunovArgs {
    #[arg(long, long_help = preset_help())]
    /// The network preset (default: the checkpoint's).
    pub preset: Option<String>,
    /// Start from this trained network (a checkpoint written by `mesonet train`) instead of a
    /// fresh one; --set then changes its rules and neuron parameters, not its learned state.
    #[arg(long)]
    pub checkpoint: Option<PathBuf>,
    #[arg(long = "set", value_name = "NAME=VALUE", long_help = set_help())]
    /// Override a preset parameter, repeatable.
    pub set: Vec<String>,
    #[arg(long, long_help = DATA_HELP)]
    /// Samples for presets that learn from images (the training split, in order).
    pub data: Option<PathBuf>,
    /// Presentations averaged (after the transient).
    #[arg(long)]
    pub samples: usize,
    /// Presentations of one copy before the two copies start.
    #[arg(long, default_value_t = 0)]
    pub transient: usize,
    /// Seed of the presentations' random streams, of the initial separation's direction and
    /// (fresh networks) of the initial weights.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Output neurons of a fresh network [default: 100 for diehl-cook, 10 for poisson-layer,
    /// 1 for pair].
    #[arg(long)]
    pub neurons: Option<usize>,
    /// Initial separation of the learning states, relative to their norm.
    #[arg(long, default_value_t = 1e-8)]
    pub d0: f64,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The learner: the checkpoint's (with --set applied) or a fresh preset.
fn learner(
    args: &LearningLyapunovArgs,
    set: &BTreeMap<String, f64>,
    shape: Option<(usize, usize, usize)>,
) -> Result<Preset> {
    if let Some(path) = &args.checkpoint {
        if let Some(n) = args.neurons {
            return Err(Error::invalid(
                "neurons",
                n as f64,
                "not given with --checkpoint (the checkpoint's size is used)",
            ));
        }
        let ckpt = Checkpoint::load(path)?;
        if let Some(name) = &args.preset {
            if *name != ckpt.config.preset {
                return Err(Error::InvalidParameter {
                    name: "preset".into(),
                    value: name.clone(),
                    requirement: format!("the checkpoint's preset, {}", ckpt.config.preset),
                });
            }
        }
        return if set.is_empty() {
            Ok(ckpt.network)
        } else {
            ckpt.network.with_params(set)
        };
    }
    let name = args.preset.clone().ok_or_else(|| Error::InvalidParameter {
        name: "preset".into(),
        value: "(none)".into(),
        requirement: "a preset, or --checkpoint".into(),
    })?;
    Preset::check_name(&name)?;
    let neurons = args.neurons.unwrap_or(match name.as_str() {
        "diehl-cook" => 100,
        "poisson-layer" => 10,
        _ => 1,
    });
    let spec = PresetSpec {
        name,
        neurons,
        set: set.clone(),
        seed: args.seed,
    };
    Preset::build(&spec, shape)
}

/// Validates, builds the learner, measures.
pub fn run(args: &LearningLyapunovArgs) -> Result<Report> {
    crate::sim::learning_map::check_lyapunov_sizes("samples", args.samples, args.d0)?;
    let set = super::sweep::assignments(&args.set)?;
    if args.preset.is_none() && args.checkpoint.is_none() {
        return Err(Error::InvalidParameter {
            name: "preset".into(),
            value: "(none)".into(),
            requirement: "a preset, or --checkpoint".into(),
        });
    }
    let name = args.preset.clone();
    if let Some(name) = &name {
        Preset::check_name(name)?;
        if args.checkpoint.is_none() {
            Preset::params_json(name, &set)?;
        }
    }
    let images = match (&name, &args.checkpoint) {
        (Some(n), None) => Preset::takes_images(n),
        _ => true,
    };
    let data = if images
        && (args.data.is_some()
            || args.checkpoint.is_none()
            || std::env::var_os(super::train::DATA_ENV).is_some())
    {
        match data_dir(&args.data) {
            Ok(dir) => Some(load_mnist_like(&dir, Split::Train)?),
            Err(e) if args.checkpoint.is_none() => return Err(e),
            Err(_) => None,
        }
    } else {
        None
    };
    let shape = data.as_ref().map(|d| (d.rows, d.cols, d.channels));
    let learner = learner(args, &set, shape)?;
    let needs_data = learner.input_shape().is_some();
    if needs_data && data.is_none() {
        data_dir(&args.data)?;
    }
    if let (Some(expected), Some(got)) = (learner.input_shape(), shape) {
        if expected != got {
            return Err(Error::invalid(
                "data",
                0.0,
                &format!("{}×{}×{} images", expected.0, expected.1, expected.2),
            ));
        }
    }
    let presentations = (args.transient + 2 * args.samples) as f64;
    crate::resources::Budget::new(
        "samples",
        args.samples,
        0.0,
        presentations * crate::sim::training::seconds_per_sample(learner.outputs()),
    )
    .check("the Lyapunov exponent of learning")?;
    let samples = if needs_data { data.as_ref() } else { None };
    let r = learning_lyapunov(
        &learner,
        samples,
        (args.transient, args.samples),
        args.d0,
        args.seed,
    );
    let json = serde_json::json!({
        "preset": learner.preset(),
        "params": learner.params(),
        "lambda": r.lambda,
        "stderr": r.stderr,
        "status": r.status,
        "presentations": r.presentations,
        "transient": args.transient,
        "d0": r.d0,
        "d0_relative": r.d0_relative,
        "seed": args.seed,
        "checkpoint": args.checkpoint,
    });
    let text = format!(
        "Lyapunov exponent of learning ({}): {} ± {:.2e} per presentation over {} presentations after {}; status {}\n",
        learner.preset(),
        r.lambda.map_or("−∞".to_string(), |l| format!("{l:.6e}")),
        r.stderr,
        r.presentations,
        args.transient,
        serde_json::to_value(r.status).expect("enum").as_str().unwrap_or_default(),
    );
    Ok(Report { json, text })
}
