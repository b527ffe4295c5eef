//! `mesonet train` and `mesonet eval`: the Diehl & Cook network on MNIST-format data.

use super::Report;
use crate::data::{load_mnist_like, Dataset, Split};
use crate::error::{Error, Result};
use crate::output::write_json;
use crate::presets::DiehlCookParams;
use crate::training::{evaluate, Checkpoint, Evaluation, TrainConfig};
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `mesonet train`.
#[derive(Debug, Clone, Args)]
pub struct TrainArgs {
    /// Network preset (only `diehl-cook` so far).
    #[arg(long, default_value = "diehl-cook")]
    pub preset: String,
    /// Excitatory neurons (and as many inhibitory ones).
    #[arg(long, default_value_t = 100)]
    pub neurons: usize,
    /// Directory with the four IDX files (MNIST or Fashion-MNIST), gzip or raw.
    #[arg(long, default_value = "../shared/data/mnist")]
    pub data: PathBuf,
    /// Training samples per epoch: the first n of the training split.
    #[arg(long, default_value_t = 60_000)]
    pub train_samples: usize,
    /// Test samples: the first m of the test split.
    #[arg(long, default_value_t = 10_000)]
    pub test_samples: usize,
    /// Passes over the training samples.
    #[arg(long, default_value_t = 1)]
    pub epochs: usize,
    /// Training samples (the last of the epoch) whose frozen responses assign the labels
    /// (default: min(10000, train-samples)).
    #[arg(long)]
    pub assign_samples: Option<usize>,
    /// Run seed: weights, delays and every Poisson input derive from it.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Output directory (checkpoint, result JSON, figures); default
    /// notebooks-out/train-<preset>-<neurons>-s<seed>.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Save a checkpoint every this many training samples (0 = only at the end).
    #[arg(long, default_value_t = 5_000)]
    pub checkpoint_every: u64,
    /// Continue the run saved in this checkpoint (its configuration wins; --set is refused).
    #[arg(long)]
    pub resume: Option<PathBuf>,
    /// Override a preset parameter, repeatable (e.g. nu_post=0.02); see the JSON's `params`.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Worker threads for the frozen evaluation passes (0 = one per core). Results do not
    /// depend on it; training itself is sequential.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `mesonet eval`.
#[derive(Debug, Clone, Args)]
pub struct EvalArgs {
    /// A checkpoint written by `mesonet train`.
    #[arg(long)]
    pub checkpoint: PathBuf,
    /// Directory with the four IDX files.
    #[arg(long, default_value = "../shared/data/mnist")]
    pub data: PathBuf,
    /// Test samples (default: the run's own).
    #[arg(long)]
    pub test_samples: Option<usize>,
    /// Also write result.json and the figures into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (0 = one per core). Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

fn load(dir: &Path) -> Result<(Dataset, Dataset)> {
    Ok((
        load_mnist_like(dir, Split::Train)?,
        load_mnist_like(dir, Split::Test)?,
    ))
}

fn evaluation_json(ckpt: &Checkpoint, eval: &Evaluation) -> serde_json::Value {
    let c = &ckpt.config;
    serde_json::json!({
        "preset": c.preset,
        "neurons": c.neurons,
        "seed": c.seed,
        "epochs": c.epochs,
        "train_samples": ckpt.samples_done,
        "train_samples_per_epoch": c.train_samples,
        "presentations": ckpt.presentations,
        "test_samples": eval.test_samples,
        "assign_range": eval.assign_range,
        "test_accuracy": eval.test_accuracy,
        "test_accuracy_proportion": eval.test_accuracy_proportion,
        "silent_neurons": eval.silent_neurons,
        "confusion": eval.confusion.counts,
        "confusion_proportion": eval.confusion_proportion.counts,
        "training_seconds": ckpt.training_seconds,
        "seconds_per_sample": ckpt.training_seconds / ckpt.samples_done.max(1) as f64,
        "samples_per_second": ckpt.samples_done as f64 / ckpt.training_seconds.max(1e-12),
        "evaluation_seconds": eval.seconds,
        "synaptic_events": ckpt.network.synaptic_events,
        "curve": ckpt.curve,
        "params": c.params,
        "commit": option_env!("MESONET_COMMIT").unwrap_or("unknown"),
    })
}

fn text_summary(json: &serde_json::Value) -> String {
    format!(
        "test accuracy {:.2} % (all-activity), {:.2} % (proportion) on {} test samples after {} training samples; {:.3} ms per training sample\n",
        100.0 * json["test_accuracy"].as_f64().unwrap_or(f64::NAN),
        100.0 * json["test_accuracy_proportion"].as_f64().unwrap_or(f64::NAN),
        json["test_samples"],
        json["train_samples"],
        1e3 * json["seconds_per_sample"].as_f64().unwrap_or(f64::NAN),
    )
}

/// Trains (or resumes), evaluates, writes the checkpoint, `result.json` and the figures.
pub fn train(args: &TrainArgs) -> Result<Report> {
    if args.preset != "diehl-cook" {
        return Err(Error::InvalidParameter {
            name: "preset".into(),
            value: args.preset.clone(),
            requirement: "one of: diehl-cook".into(),
        });
    }
    let (train_set, test_set) = load(&args.data)?;
    let mut ckpt = match &args.resume {
        Some(path) => {
            if !args.set.is_empty() {
                return Err(Error::InvalidParameter {
                    name: "set".into(),
                    value: args.set.join(" "),
                    requirement: "empty with --resume (the checkpoint's parameters are used)"
                        .into(),
                });
            }
            Checkpoint::load(path)?
        }
        None => {
            let mut params = DiehlCookParams::default();
            for text in &args.set {
                let (name, value) = crate::params::parse_assignment(text)?;
                params.set(name, value)?;
            }
            let config = TrainConfig {
                preset: args.preset.clone(),
                neurons: args.neurons,
                train_samples: args.train_samples,
                test_samples: args.test_samples,
                epochs: args.epochs,
                seed: args.seed,
                assign_samples: args
                    .assign_samples
                    .unwrap_or(args.train_samples.min(10_000)),
                checkpoint_every: args.checkpoint_every,
                params,
            };
            config.validate(&train_set, &test_set)?;
            Checkpoint::start(config)?
        }
    };
    ckpt.config.validate(&train_set, &test_set)?;
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from(format!(
            "notebooks-out/train-{}-{}-s{}",
            ckpt.config.preset, ckpt.config.neurons, ckpt.config.seed
        ))
    });
    std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
    let checkpoint_path = out.join("checkpoint.json.gz");

    let bar = super::progress_bar("train");
    bar.set_length(ckpt.total_samples());
    bar.set_position(ckpt.samples_done);
    ckpt.train(&train_set, Some(&checkpoint_path), &|done, _, acc| {
        bar.set_position(done);
        if let Some(acc) = acc {
            bar.set_message(format!("train (running acc {:.1} %)", 100.0 * acc));
        }
    })?;
    bar.finish_and_clear();
    ckpt.save(&checkpoint_path)?;

    let eval = evaluate_with_progress(&ckpt, &train_set, &test_set, args.threads)?;
    let mut json = evaluation_json(&ckpt, &eval);
    json["output_dir"] = serde_json::json!(out);
    write_json(&out.join("result.json"), &json)?;
    crate::jobs::training::draw(&ckpt, &eval, &out)?;
    let text = text_summary(&json);
    Ok(Report { json, text })
}

/// The frozen evaluation passes with a progress bar, on `threads` workers.
fn evaluate_with_progress(
    ckpt: &Checkpoint,
    train_set: &Dataset,
    test_set: &Dataset,
    threads: usize,
) -> Result<Evaluation> {
    let config = &ckpt.config;
    let bar = super::progress_bar("evaluate");
    bar.set_length((config.assign_samples + config.test_samples) as u64);
    let eval = super::with_threads(threads, || {
        Ok(evaluate(
            &ckpt.network,
            config,
            train_set,
            test_set,
            &|| bar.inc(1),
        ))
    })?;
    bar.finish_and_clear();
    Ok(eval)
}

/// Evaluates a saved checkpoint.
pub fn eval(args: &EvalArgs) -> Result<Report> {
    let mut ckpt = Checkpoint::load(&args.checkpoint)?;
    let (train_set, test_set) = load(&args.data)?;
    if let Some(m) = args.test_samples {
        ckpt.config.test_samples = m;
    }
    ckpt.config.validate(&train_set, &test_set)?;
    let eval = evaluate_with_progress(&ckpt, &train_set, &test_set, args.threads)?;
    let json = evaluation_json(&ckpt, &eval);
    if let Some(out) = &args.out {
        std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
        write_json(&out.join("result.json"), &json)?;
        crate::jobs::training::draw(&ckpt, &eval, out)?;
    }
    let text = text_summary(&json);
    Ok(Report { json, text })
}
