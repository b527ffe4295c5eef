//! `mesonet learning-spectrum`: the Jacobian spectra of a trained network's learning map
//! ([`crate::jobs::learning_spectrum`]).

use super::train::{data_dir, DATA_HELP};
use super::Report;
use crate::data::{load_mnist_like, Split};
use crate::error::{Error, Result};
use crate::jobs::learning_spectrum::{
    self, LearningSpectrumData, LearningSpectrumPlan, Restriction,
};
use crate::output::{Manifest, OutputDir};
use crate::sim::training::Checkpoint;
use crate::sim::Learner;
use clap::Args;
use std::path::PathBuf;

/// Arguments of `mesonet learning-spectrum`.
#[derive(Debug, Clone, Args)]
pub struct LearningSpectrumArgs {
    /// A checkpoint written by `mesonet train`: the trained network.
    #[arg(long)]
    pub checkpoint: PathBuf,
    #[arg(long, long_help = DATA_HELP)]
    /// Training images for the map's block (the first ones of the training split).
    pub data: Option<PathBuf>,
    /// Restrict the dense Jacobian to output neuron J's incoming input weights [default: 0].
    #[arg(long, conflicts_with = "core")]
    pub neuron: Option<usize>,
    /// Restrict it instead to core K's neurons (a competition area of split-merge or mesonet).
    #[arg(long)]
    pub core: Option<usize>,
    /// Training presentations per step of the learning map.
    #[arg(long, default_value_t = 1)]
    pub block: usize,
    /// Arnoldi steps on the whole map (Krylov dimension; 2 map evaluations each).
    #[arg(long, default_value_t = 30)]
    pub arnoldi: usize,
    /// Central-difference step, relative (to max(|x_k|, w_max) for a column, to |x| for a
    /// Jacobian-vector product).
    #[arg(long, default_value_t = 1e-6)]
    pub delta: f64,
    /// Seed of the block's input streams and of Arnoldi's start vector.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Output directory (default: learning-spectrum beside the checkpoint).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (0 = one per core); results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Validates, loads the network and the images, measures, writes.
pub fn run(args: &LearningSpectrumArgs) -> Result<Report> {
    let plan = LearningSpectrumPlan {
        restriction: match (args.neuron, args.core) {
            (_, Some(k)) => Restriction::Core(k),
            (j, None) => Restriction::Neuron(j.unwrap_or(0)),
        },
        block: args.block,
        arnoldi_steps: args.arnoldi,
        delta: args.delta,
        seed: args.seed,
    };
    plan.validate()?;
    let dir = args.out.clone().unwrap_or_else(|| {
        crate::output::parent_dir(&args.checkpoint).join(learning_spectrum::KIND)
    });
    let out = OutputDir::at(&dir, Manifest::new(learning_spectrum::KIND, None))?;
    out.check()?;
    let learner = Checkpoint::load(&args.checkpoint)?.network;
    let restricted = plan.restricted(&learner)?;
    let data = match learner.input_shape() {
        Some(shape) => {
            let data = load_mnist_like(&data_dir(&args.data)?, Split::Train)?;
            if (data.rows, data.cols, data.channels) != shape {
                return Err(Error::invalid(
                    "data",
                    0.0,
                    &format!("{}×{}×{} images", shape.0, shape.1, shape.2),
                ));
            }
            Some(data)
        }
        None => None,
    };
    let evaluations = LearningSpectrumData::evaluations(&plan, restricted.len());
    crate::resources::Budget::new(
        "neuron",
        restricted.len(),
        (plan.arnoldi_steps + 4) as f64 * learner.network().plastic_state_len() as f64 * 8.0,
        (evaluations * plan.block) as f64
            * crate::sim::training::seconds_per_sample(learner.outputs()),
    )
    .check("the learning-map spectra")?;
    let started = std::time::Instant::now();
    let bar = super::progress_display("map evaluations")?;
    bar.set_length(evaluations as u64);
    let data_ref = data.as_ref();
    let result = super::with_threads(args.threads, restricted.len(), || {
        learning_spectrum::run(&plan, &learner, data_ref, &|| bar.inc(1))
    })?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let staged = out.stage()?;
    let files = result.write(staged.path())?;
    let dir = staged.commit()?;
    let mut json = serde_json::to_value(&result).expect("plain data serialises");
    json["output_dir"] = serde_json::json!(dir);
    json["files"] = serde_json::json!(files);
    json["seconds"] = serde_json::json!(seconds);
    let text = format!(
        "{}{seconds:.1} s; wrote {} files to {}\n",
        result.text(),
        files.len(),
        dir.display()
    );
    Ok(Report { json, text })
}
