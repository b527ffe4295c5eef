//! `mesonet train` and `mesonet eval`: the Diehl & Cook network on MNIST-format data.
//!
//! Arguments are validated before any data is read; the output directory is checked before
//! anything is trained (see [`crate::output`]); a checkpoint is validated as strictly as the
//! command line.

use super::Report;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::output::{write_json, Manifest, OutputDir, TargetState};
use crate::sim::presets::{Preset, PRESETS};
use crate::sim::training::{evaluate, Checkpoint, Evaluation, TrainConfig};
use crate::sim::Learner;
use clap::Args;
use std::path::{Path, PathBuf};

/// The environment variable naming the default data directory.
pub use crate::data::DATA_ENV;

/// The checkpoint's file name inside a training directory.
const CHECKPOINT: &str = "checkpoint.json.gz";

pub const DATA_HELP: &str =
    "Directory with the four MNIST-format IDX files (train-images-idx3-ubyte, \
train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte; gzip or raw): MNIST, \
or Fashion-MNIST (Debian's dataset-fashion-mnist installs it in \
/usr/share/datasets/fashion-mnist); or CIFAR-10's binary files (data_batch_1.bin … \
data_batch_5.bin, test_batch.bin, here or in cifar-10-batches-bin/; see --colour and \
--dog-sigma). Default: $MESONET_DATA. The repository's tests/data/mnist-subset holds the \
first 3000 training and 1000 test images of MNIST.";

/// `--set` help: every preset's parameters with their defaults.
pub fn set_help() -> String {
    format!(
        "Override a preset parameter, repeatable (refused with --resume: the checkpoint's \
         parameters are used). Parameters and defaults — {}",
        Preset::parameter_help()
    )
}

/// `--preset` help: the presets.
pub fn preset_help() -> String {
    let list: Vec<String> = PRESETS
        .iter()
        .map(|(name, doc, images)| {
            format!("{name}{}: {doc}", if *images { " (images)" } else { "" })
        })
        .collect();
    format!("Network preset [default: diehl-cook]. {}", list.join("; "))
}

/// Arguments of `mesonet train`.
#[derive(Debug, Clone, Args)]
pub struct TrainArgs {
    #[arg(long, long_help = preset_help())]
    /// Network preset that learns from images [default: diehl-cook].
    pub preset: Option<String>,
    /// Output neurons: diehl-cook's excitatory layer (and as many inhibitory neurons)
    /// [default: 100]; for split-merge and mesonet the layer's areas × maps, which --set maps changes
    /// [default: 9408 on 28×28 images].
    #[arg(long)]
    pub neurons: Option<usize>,
    #[arg(long, long_help = DATA_HELP)]
    /// Directory with the four IDX files (default: $MESONET_DATA).
    pub data: Option<PathBuf>,
    /// Training samples per epoch: the first n of the training split [default: 60000].
    #[arg(long)]
    pub train_samples: Option<usize>,
    /// Test samples: the first m of the test split (or of the held-out images) [default:
    /// 10000, or --holdout].
    #[arg(long)]
    pub test_samples: Option<usize>,
    /// Colour images (CIFAR-10): `channels` gives every plane its own pathways, `grey`
    /// converts to luma first [default: channels; grey images are unchanged].
    #[arg(long, value_enum)]
    pub colour: Option<ColourArg>,
    /// On/off-centre difference-of-Gaussians filter with this centre σ (pixels; surround 2σ):
    /// every plane becomes an ON and an OFF plane [default: off].
    #[arg(long)]
    pub dog_sigma: Option<f64>,
    /// Hold out the last N training images: they are the evaluation set, the test split is
    /// not used, and training draws from the images before them (tune parameters this way,
    /// never on the test split) [default: 0, off].
    #[arg(long)]
    pub holdout: Option<usize>,
    /// Passes over the training samples [default: 1].
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Training samples (the last of the epoch) whose frozen responses assign the labels
    /// [default: min(10000, train-samples)].
    #[arg(long)]
    pub assign_samples: Option<usize>,
    /// Run seed: weights, delays and every Poisson input derive from it [default: 0].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output directory (checkpoint, result JSON, figures); default
    /// notebooks-out/train-<preset>-<neurons>-s<seed>, or the checkpoint's directory with
    /// --resume. A fresh run refuses a directory that already holds a training run; any
    /// directory not written by `mesonet train` is refused unless empty.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Save a checkpoint every this many training samples (0 = only at the end)
    /// [default: 5000].
    #[arg(long)]
    pub checkpoint_every: Option<u64>,
    /// Continue the run saved in this checkpoint: its configuration is used, and the flags
    /// that would change it (--neurons, --seed, --set, …) are refused.
    #[arg(long)]
    pub resume: Option<PathBuf>,
    #[arg(long = "set", value_name = "NAME=VALUE", long_help = set_help())]
    /// Override a preset parameter, repeatable (e.g. nu_post=0.02).
    pub set: Vec<String>,
    /// Threads (0 = one per core): the frozen evaluation passes run samples in parallel
    /// (capped at the work); training runs the network on them where its groups are large
    /// enough to split (1 024 neurons and more). Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `--colour` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColourArg {
    /// One pathway set per plane.
    Channels,
    /// Luma first.
    Grey,
}

/// Arguments of `mesonet eval`.
#[derive(Debug, Clone, Args)]
pub struct EvalArgs {
    /// A checkpoint written by `mesonet train`.
    #[arg(long)]
    pub checkpoint: PathBuf,
    #[arg(long, long_help = DATA_HELP)]
    /// Directory with the four IDX files (default: $MESONET_DATA).
    pub data: Option<PathBuf>,
    /// Test samples (default: the run's own).
    #[arg(long)]
    pub test_samples: Option<usize>,
    /// Training samples (the last of the epoch) whose frozen responses assign the labels
    /// (default: the run's own).
    #[arg(long)]
    pub assign_samples: Option<usize>,
    /// Also write result.json and the figures into this directory (replaced only if empty or
    /// written by `mesonet eval` before).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (0 = one per core; capped at the work). Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The data directory: `--data`, else `$MESONET_DATA`.
pub fn data_dir(flag: &Option<PathBuf>) -> Result<PathBuf> {
    flag.clone()
        .or_else(|| std::env::var_os(DATA_ENV).map(PathBuf::from))
        .ok_or_else(|| Error::InvalidParameter {
            name: "data".into(),
            value: "(none)".into(),
            requirement: format!(
                "a directory of MNIST-format IDX files: pass --data DIR or set {DATA_ENV} \
                 (MNIST: http://yann.lecun.com/exdb/mnist/; Fashion-MNIST: apt-get install \
                 dataset-fashion-mnist; a 3000-image MNIST subset is in tests/data/mnist-subset)"
            ),
        })
}

/// The (training, test) splits in `dir` ([`crate::data::load_splits`]).
pub(super) fn load(dir: &Path) -> Result<(Dataset, Dataset)> {
    crate::data::load_splits(dir)
}

/// The build's commit (`git describe`-like, `-dirty` when the tree had changes), or "unknown".
pub fn commit() -> &'static str {
    crate::output::build_commit()
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
        "evaluated_on": if c.holdout > 0 {
            format!("the last {} training images (--holdout; the test split unused)", c.holdout)
        } else {
            "the test split".to_string()
        },
        "holdout": c.holdout,
        "input": c.input,
        "assign_range": eval.assign_range,
        "test_accuracy": eval.test_accuracy,
        "test_accuracy_proportion": eval.test_accuracy_proportion,
        "test_accuracy_vote_for_all": eval.test_accuracy_vote_for_all,
        "silent_neurons": eval.silent_neurons,
        "confusion": eval.confusion.counts,
        "confusion_proportion": eval.confusion_proportion.counts,
        "training_seconds": ckpt.training_seconds,
        "seconds_per_sample": ckpt.training_seconds / ckpt.samples_done.max(1) as f64,
        "samples_per_second": ckpt.samples_done as f64 / ckpt.training_seconds.max(1e-12),
        "evaluation_seconds": eval.seconds,
        "synaptic_events": ckpt.network.network().synaptic_events,
        "synaptic_operations_per_test_sample": eval.test_operations.synaptic_operations as f64
            / eval.test_operations.samples.max(1) as f64,
        "plasticity_events": ckpt.network.network().plasticity_events(),
        "curve": ckpt.curve,
        "params": ckpt.network.params(),
        "commit": commit(),
    })
}

fn text_summary(json: &serde_json::Value) -> String {
    format!(
        "test accuracy {:.2} % (all-activity), {:.2} % (proportion), {:.2} % (vote-for-all) on {} test samples after {} training samples; {:.3} ms per training sample\n",
        100.0 * json["test_accuracy"].as_f64().unwrap_or(f64::NAN),
        100.0 * json["test_accuracy_proportion"].as_f64().unwrap_or(f64::NAN),
        100.0 * json["test_accuracy_vote_for_all"].as_f64().unwrap_or(f64::NAN),
        json["test_samples"],
        json["train_samples"],
        1e3 * json["seconds_per_sample"].as_f64().unwrap_or(f64::NAN),
    )
}

/// Refuses the flags that would change a resumed run's configuration.
fn refuse_with_resume(args: &TrainArgs) -> Result<()> {
    let given: [(&str, Option<String>); 11] = [
        ("colour", args.colour.map(|v| format!("{v:?}"))),
        ("dog-sigma", args.dog_sigma.map(|v| v.to_string())),
        ("holdout", args.holdout.map(|v| v.to_string())),
        ("preset", args.preset.clone()),
        ("neurons", args.neurons.map(|v| v.to_string())),
        ("train-samples", args.train_samples.map(|v| v.to_string())),
        ("test-samples", args.test_samples.map(|v| v.to_string())),
        ("epochs", args.epochs.map(|v| v.to_string())),
        ("assign-samples", args.assign_samples.map(|v| v.to_string())),
        ("seed", args.seed.map(|v| v.to_string())),
        (
            "checkpoint-every",
            args.checkpoint_every.map(|v| v.to_string()),
        ),
    ];
    let set = (!args.set.is_empty()).then(|| args.set.join(" "));
    for (name, value) in given.into_iter().chain([("set", set)]) {
        if let Some(value) = value {
            return Err(Error::InvalidParameter {
                name: name.into(),
                value,
                requirement: "not given with --resume (the checkpoint's configuration is used)"
                    .into(),
            });
        }
    }
    Ok(())
}

/// A fresh run's configuration from the flags, validated without data.
fn fresh_config(args: &TrainArgs) -> Result<TrainConfig> {
    let preset = args.preset.clone().unwrap_or_else(|| "diehl-cook".into());
    Preset::check_name(&preset)?;
    if !Preset::takes_images(&preset) {
        return Err(Error::InvalidParameter {
            name: "preset".into(),
            value: preset,
            requirement:
                "a preset that learns from images (train); see learning-lyapunov for the others"
                    .into(),
        });
    }
    let mut set = std::collections::BTreeMap::new();
    for text in &args.set {
        let (name, value) = crate::registry::parse_assignment(text)?;
        set.insert(name.to_string(), value);
    }
    let train_samples = args.train_samples.unwrap_or(60_000);
    // Set again from the data's geometry once it is read (see `train`).
    let neurons = match args.neurons {
        Some(n) => n,
        None => Preset::default_neurons(&preset, &set, (28, 28, 1))?,
    };
    let config = TrainConfig {
        preset,
        neurons,
        train_samples,
        test_samples: args
            .test_samples
            .unwrap_or(args.holdout.filter(|&n| n > 0).unwrap_or(10_000)),
        epochs: args.epochs.unwrap_or(1),
        seed: args.seed.unwrap_or(0),
        assign_samples: args.assign_samples.unwrap_or(train_samples.min(10_000)),
        checkpoint_every: args.checkpoint_every.unwrap_or(5_000),
        set,
        holdout: args.holdout.unwrap_or(0),
        input: crate::data::InputTransform {
            colour: match args.colour {
                Some(ColourArg::Grey) => crate::data::Colour::Grey,
                _ => crate::data::Colour::Channels,
            },
            dog_sigma: args.dog_sigma,
        },
    };
    config.validate()?;
    Ok(config)
}

/// Refuses an output directory that holds another training run's checkpoint than `resumed`.
fn refuse_other_run(out: &OutputDir, resumed: Option<&Path>) -> Result<()> {
    let existing = out.path().join(CHECKPOINT);
    if out.check()? != TargetState::Owned || !existing.exists() {
        return Ok(());
    }
    let same = resumed.is_some_and(|r| {
        let canonical = |p: &Path| std::fs::canonicalize(p).ok();
        canonical(r).is_some() && canonical(r) == canonical(&existing)
    });
    if same {
        return Ok(());
    }
    Err(Error::Output {
        field: "out".into(),
        path: out.path().to_path_buf(),
        why: format!(
            "holds a training run ({CHECKPOINT}); continue it with --resume {}, or choose \
             another --out",
            existing.display()
        ),
    })
}

/// Draws the figures into a temporary directory inside `dir`, then moves each into place.
fn draw_into(ckpt: &Checkpoint, eval: &Evaluation, dir: &Path) -> Result<()> {
    let staging = crate::output::target::temp_dir(dir)?;
    crate::jobs::training::draw(ckpt, eval, staging.path())?;
    for entry in std::fs::read_dir(staging.path()).map_err(|e| Error::io(staging.path(), e))? {
        let entry = entry.map_err(|e| Error::io(staging.path(), e))?;
        let target = dir.join(entry.file_name());
        std::fs::rename(entry.path(), &target).map_err(|e| Error::io(&target, e))?;
    }
    Ok(())
}

/// Trains (or resumes), evaluates, writes the checkpoint, `result.json` and the figures.
pub fn train(args: &TrainArgs) -> Result<Report> {
    let manifest = Manifest::new("train", None);
    let (resumed, config, out) = match &args.resume {
        Some(path) => {
            refuse_with_resume(args)?;
            let ckpt = Checkpoint::load(path)?;
            let dir = args
                .out
                .clone()
                .unwrap_or_else(|| crate::output::parent_dir(path));
            let out = OutputDir::at(&dir, manifest)?;
            refuse_other_run(&out, Some(path))?;
            let config = ckpt.config.clone();
            (Some(ckpt), config, out)
        }
        None => {
            let config = fresh_config(args)?;
            let dir = args.out.clone().unwrap_or_else(|| {
                PathBuf::from(format!(
                    "notebooks-out/train-{}-{}-s{}",
                    config.preset, config.neurons, config.seed
                ))
            });
            let out = OutputDir::at(&dir, manifest)?;
            refuse_other_run(&out, None)?;
            (None, config, out)
        }
    };
    let (train_set, test_set) = load(&data_dir(&args.data)?)?;
    let (train_set, test_set) = config.sets(train_set, test_set)?;
    let shape = (train_set.rows, train_set.cols, train_set.channels);
    let mut config = config;
    if resumed.is_none() && args.neurons.is_none() {
        config.neurons = Preset::default_neurons(&config.preset, &config.set, shape)?;
    }
    let expected = resumed.as_ref().and_then(|c| c.network.input_shape());
    config.validate_data(&train_set, &test_set, expected)?;
    let mut ckpt = match resumed {
        Some(ckpt) => ckpt,
        None => Checkpoint::start(config, shape)?,
    };
    let samples_left = ckpt.total_samples() - ckpt.samples_done;
    ckpt.config
        .budget(shape.0 * shape.1 * shape.2, samples_left)
        .check("training")?;
    let out = out.open_in_place()?;
    let checkpoint_path = out.join(CHECKPOINT);

    let threads = crate::resources::cap_threads(args.threads, usize::MAX);
    ckpt.network.network_mut().set_threads(threads);
    let bar = super::progress_display("train")?;
    bar.set_length(ckpt.total_samples());
    bar.resume_from(ckpt.samples_done);
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
    draw_into(&ckpt, &eval, &out)?;
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
    let samples = config.assign_samples + config.test_samples;
    let bar = super::progress_display("evaluate")?;
    bar.set_length(samples as u64);
    let chunks = samples.div_ceil(crate::sim::training::CHUNK);
    let eval = super::with_threads(threads, chunks, || {
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

/// A saved checkpoint, its test samples set to `test_samples` when given (0 refused).
pub(super) fn load_checkpoint(path: &Path, test_samples: Option<usize>) -> Result<Checkpoint> {
    let mut ckpt = Checkpoint::load(path)?;
    if let Some(m) = test_samples {
        if m == 0 {
            return Err(Error::invalid("test-samples", 0.0, ">= 1"));
        }
        ckpt.config.test_samples = m;
    }
    Ok(ckpt)
}

/// The checkpoint's (training, evaluation) sets from `data` (its input stage and --holdout
/// applied), checked against its sizes and input geometry.
pub(super) fn run_sets(ckpt: &Checkpoint, data: &Option<PathBuf>) -> Result<(Dataset, Dataset)> {
    let (train, test) = load(&data_dir(data)?)?;
    let (train, test) = ckpt.config.sets(train, test)?;
    ckpt.config
        .validate_data(&train, &test, ckpt.network.input_shape())?;
    Ok((train, test))
}

/// Evaluates a saved checkpoint.
pub fn eval(args: &EvalArgs) -> Result<Report> {
    let mut ckpt = load_checkpoint(&args.checkpoint, args.test_samples)?;
    if let Some(m) = args.assign_samples {
        if m == 0 || m > ckpt.config.train_samples {
            return Err(Error::invalid(
                "assign-samples",
                m as f64,
                &format!(
                    "in 1..={} (the run's training samples)",
                    ckpt.config.train_samples
                ),
            ));
        }
        ckpt.config.assign_samples = m;
    }
    let out = args
        .out
        .as_ref()
        .map(|dir| OutputDir::at(dir, Manifest::new("eval", None)))
        .transpose()?;
    if let Some(out) = &out {
        out.check()?;
    }
    let (train_set, test_set) = run_sets(&ckpt, &args.data)?;
    let eval = evaluate_with_progress(&ckpt, &train_set, &test_set, args.threads)?;
    let mut json = evaluation_json(&ckpt, &eval);
    if let Some(out) = &out {
        json["output_dir"] = serde_json::json!(out.path());
        let staged = out.stage()?;
        write_json(&staged.path().join("result.json"), &json)?;
        crate::jobs::training::draw(&ckpt, &eval, staged.path())?;
        staged.commit()?;
    }
    let text = text_summary(&json);
    Ok(Report { json, text })
}
