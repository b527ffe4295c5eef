//! The training and evaluation protocol of NETWORKS.md §4 for the `diehl-cook` preset.
//!
//! Train on the training split (one pass unless `epochs`), then freeze the network, assign
//! labels from its responses to training samples (never the test set), and evaluate on the
//! test split. Every sample's input comes from the random stream (seed, phase, epoch, index),
//! so a run resumed from a checkpoint ends with exactly the weights of an uninterrupted run, and
//! the frozen passes (run in parallel chunks, each from the trained state) give the same
//! result for any thread count.

use crate::data::Dataset;
use crate::sim::decoding::{assign, predict_all_activity, predict_proportion, Assignment, Confusion};
use crate::error::{Error, Result};
use crate::sim::presets::diehl_cook::{stream_seed, DiehlCook, DiehlCookParams};
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;

/// Stream tags of the protocol's phases.
const PHASE_TRAIN: u64 = 1;
const PHASE_ASSIGN: u64 = 2;
const PHASE_TEST: u64 = 3;

/// Training samples per running-accuracy window (assignments from one window score the next).
pub const WINDOW: usize = 1000;

/// Samples per chunk of a frozen pass (the unit of parallel work).
pub const CHUNK: usize = 250;

/// Number of classes (MNIST family).
pub const CLASSES: usize = 10;

/// Checkpoint format version.
const FORMAT: u32 = 1;

/// What a training run does (recorded in every checkpoint and result).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainConfig {
    /// Preset name.
    pub preset: String,
    /// Excitatory neurons.
    pub neurons: usize,
    /// Training samples per epoch (the first n of the training split).
    pub train_samples: usize,
    /// Test samples (the first m of the test split).
    pub test_samples: usize,
    /// Passes over the training samples.
    pub epochs: usize,
    /// Run seed.
    pub seed: u64,
    /// Training samples (the last ones of the epoch) whose frozen responses assign labels.
    pub assign_samples: usize,
    /// Save a checkpoint every this many samples (0 = only at the end).
    pub checkpoint_every: u64,
    /// Every parameter of the preset.
    pub params: DiehlCookParams,
}

/// Bytes one input synapse takes while training (weight 8, target 4, delay 2, slot index 4)
/// and, at most, while its checkpoint is read (its text, about 30 bytes).
const BYTES_PER_SYNAPSE: f64 = 50.0;
/// Rough training cost per excitatory neuron and presentation (s): 2.5 ms per sample at 100
/// neurons (criterion bench `diehl_cook`).
const SECONDS_PER_NEURON_SAMPLE: f64 = 2.5e-5;

impl TrainConfig {
    /// Checks everything that does not need the data: counts, parameters, and that the
    /// network fits in memory. Runs before any data is read.
    pub fn validate(&self) -> Result<()> {
        let at_least_one = |name: &str, v: usize| {
            if v == 0 {
                Err(Error::invalid(name, 0.0, ">= 1"))
            } else {
                Ok(())
            }
        };
        at_least_one("neurons", self.neurons)?;
        at_least_one("epochs", self.epochs)?;
        at_least_one("train-samples", self.train_samples)?;
        at_least_one("test-samples", self.test_samples)?;
        at_least_one("assign-samples", self.assign_samples)?;
        if self.assign_samples > self.train_samples {
            return Err(Error::invalid(
                "assign-samples",
                self.assign_samples as f64,
                &format!("<= train-samples = {}", self.train_samples),
            ));
        }
        self.params.validate()?;
        self.budget(0).check("the network")
    }

    /// Memory of the network and the rough time of `samples_left` training samples plus the
    /// evaluation passes.
    pub fn budget(&self, samples_left: u64) -> crate::resources::Budget {
        let synapses = (crate::sim::presets::diehl_cook::N_INPUT * self.neurons) as f64;
        let samples = samples_left as f64 + (self.test_samples + self.assign_samples) as f64;
        crate::resources::Budget::new(
            "neurons",
            self.neurons,
            synapses * BYTES_PER_SYNAPSE,
            samples * self.neurons as f64 * SECONDS_PER_NEURON_SAMPLE,
        )
        .hint("reduce --neurons")
    }

    /// Checks the sizes against the data.
    pub fn validate_data(&self, train: &Dataset, test: &Dataset) -> Result<()> {
        let bounded = |name: &str, v: usize, max: usize| {
            if v > max {
                Err(Error::invalid(
                    name,
                    v as f64,
                    &format!("in 1..={max} (the split's size)"),
                ))
            } else {
                Ok(())
            }
        };
        bounded("train-samples", self.train_samples, train.len())?;
        bounded("test-samples", self.test_samples, test.len())?;
        if train.rows * train.cols * train.channels != crate::sim::presets::diehl_cook::N_INPUT {
            return Err(Error::invalid(
                "data",
                (train.rows * train.cols * train.channels) as f64,
                "28×28 grey images (784 pixels) for the diehl-cook preset",
            ));
        }
        Ok(())
    }
}

/// One point of the running-accuracy curve.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CurvePoint {
    /// Training samples seen.
    pub samples: u64,
    /// Accuracy on the last window, with labels assigned from the window before it.
    pub accuracy: f64,
}

/// The whole state of a training run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    /// Format version.
    pub format: u32,
    /// The run's configuration.
    pub config: TrainConfig,
    /// Training samples completed (over all epochs).
    pub samples_done: u64,
    /// Presentations including intensity retries.
    pub presentations: u64,
    /// Wall time spent training so far (s).
    pub training_seconds: f64,
    /// The network.
    pub network: DiehlCook,
    /// Running-accuracy curve.
    pub curve: Vec<CurvePoint>,
    /// Responses of the current window: (counts, label).
    pub window: Vec<(Vec<u32>, u8)>,
    /// Assignment from the previous window.
    pub window_assignment: Option<Assignment>,
}

impl Checkpoint {
    /// A fresh run.
    pub fn start(config: TrainConfig) -> Result<Self> {
        let network = DiehlCook::new(config.params, config.neurons, config.seed)?;
        Ok(Self {
            format: FORMAT,
            config,
            samples_done: 0,
            presentations: 0,
            training_seconds: 0.0,
            network,
            curve: Vec::new(),
            window: Vec::new(),
            window_assignment: None,
        })
    }

    /// Total training samples of the run.
    pub fn total_samples(&self) -> u64 {
        (self.config.train_samples * self.config.epochs) as u64
    }

    /// Writes the checkpoint atomically (gzip-compressed JSON; a temporary file renamed).
    pub fn save(&self, path: &Path) -> Result<()> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let tmp = crate::output::target::temp_file(dir)?;
        {
            let mut gz = flate2::write::GzEncoder::new(tmp.as_file(), flate2::Compression::fast());
            serde_json::to_writer(&mut gz, self).map_err(|e| Error::io(path, e.into()))?;
            gz.finish()
                .and_then(|f| f.sync_all())
                .map_err(|e| Error::io(path, e))?;
        }
        crate::output::persist_readable(tmp, path)
    }

    /// Reads a checkpoint written by [`Checkpoint::save`] and checks it as strictly as the
    /// command line: a checkpoint is input.
    pub fn load(path: &Path) -> Result<Self> {
        let data_error = |message: String| Error::Data {
            path: path.to_path_buf(),
            message,
        };
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut text = String::new();
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .map_err(|e| data_error(format!("not a gzip-compressed mesonet checkpoint: {e}")))?;
        let de = &mut serde_json::Deserializer::from_str(&text);
        let mut ckpt: Checkpoint = serde_path_to_error::deserialize(de).map_err(|e| {
            data_error(format!(
                "malformed checkpoint at {}: {}",
                e.path(),
                e.inner()
            ))
        })?;
        ckpt.validate().map_err(data_error)?;
        ckpt.network.prepare();
        Ok(ckpt)
    }

    /// Checks a deserialised checkpoint: format, configuration, network and progress.
    fn validate(&self) -> std::result::Result<(), String> {
        if self.format != FORMAT {
            return Err(format!(
                "format {} (this build reads {FORMAT})",
                self.format
            ));
        }
        self.config.validate().map_err(|e| format!("config: {e}"))?;
        let n = self.config.neurons;
        if let Err(e) = self.network.check(n) {
            // A network consistent at its own size contradicts only the configuration.
            let own = self.network.input.n_post;
            if own != n && self.network.check(own).is_ok() {
                return Err(format!(
                    "config.neurons = {n} but the network has {own} excitatory neurons"
                ));
            }
            return Err(e);
        }
        if self.network.params != self.config.params {
            return Err("network.params differ from config.params".into());
        }
        if self.samples_done > self.total_samples() {
            return Err(format!(
                "samples_done = {} exceeds the run's {} samples",
                self.samples_done,
                self.total_samples()
            ));
        }
        if !self.training_seconds.is_finite() || self.training_seconds < 0.0 {
            return Err(format!("training_seconds = {}", self.training_seconds));
        }
        if self.window.len() >= WINDOW {
            return Err(format!(
                "window holds {} responses, at most {}",
                self.window.len(),
                WINDOW - 1
            ));
        }
        if let Some((k, _)) = self
            .window
            .iter()
            .enumerate()
            .find(|(_, (counts, label))| counts.len() != n || *label as usize >= CLASSES)
        {
            return Err(format!(
                "window[{k}] needs {n} spike counts and a label below {CLASSES}"
            ));
        }
        if let Some(a) = &self.window_assignment {
            let labels_ok = a.labels.iter().flatten().all(|&l| (l as usize) < CLASSES);
            if a.classes != CLASSES
                || a.labels.len() != n
                || a.proportions.len() != n * CLASSES
                || !labels_ok
            {
                return Err(format!(
                    "window_assignment must hold {n} neurons × {CLASSES} classes"
                ));
            }
        }
        Ok(())
    }

    /// Trains until every sample is done, saving to `checkpoint` every
    /// `config.checkpoint_every` samples. `on_sample(done, total, running accuracy)` reports
    /// progress.
    pub fn train(
        &mut self,
        data: &Dataset,
        checkpoint: Option<&Path>,
        on_sample: &dyn Fn(u64, u64, Option<f64>),
    ) -> Result<()> {
        let total = self.total_samples();
        let n = self.config.train_samples as u64;
        while self.samples_done < total {
            let started = std::time::Instant::now();
            let (epoch, index) = (self.samples_done / n, (self.samples_done % n) as usize);
            let stream = stream_seed(&[self.config.seed, PHASE_TRAIN, epoch, index as u64]);
            let response = self.network.present(data.image(index), true, stream);
            self.presentations += response.presentations as u64;
            self.window.push((response.counts, data.label(index)));
            if self.window.len() == WINDOW {
                self.close_window();
            }
            self.samples_done += 1;
            self.training_seconds += started.elapsed().as_secs_f64();
            on_sample(
                self.samples_done,
                total,
                self.curve.last().map(|p| p.accuracy),
            );
            let every = self.config.checkpoint_every;
            if let Some(path) = checkpoint {
                if every > 0 && self.samples_done.is_multiple_of(every) && self.samples_done < total
                {
                    self.save(path)?;
                }
            }
        }
        Ok(())
    }

    fn close_window(&mut self) {
        let (responses, labels): (Vec<Vec<u32>>, Vec<u8>) =
            std::mem::take(&mut self.window).into_iter().unzip();
        if let Some(a) = &self.window_assignment {
            let right = responses
                .iter()
                .zip(&labels)
                .filter(|(r, &l)| predict_all_activity(r, a) == l)
                .count();
            self.curve.push(CurvePoint {
                samples: self.samples_done + 1,
                accuracy: right as f64 / labels.len() as f64,
            });
        }
        self.window_assignment = Some(assign(&responses, &labels, CLASSES));
    }
}

/// Frozen responses (no plasticity, θ fixed) to `indices` of `data`. Runs in chunks of
/// [`CHUNK`] samples in parallel, each chunk starting from `network`'s state, with the stream
/// (seed, phase, index) per sample: the result does not depend on the thread count.
pub fn frozen_responses(
    network: &DiehlCook,
    data: &Dataset,
    indices: std::ops::Range<usize>,
    seed: u64,
    phase: u64,
    on_sample: &(dyn Fn() + Sync),
) -> Vec<Vec<u32>> {
    let all: Vec<usize> = indices.collect();
    all.par_chunks(CHUNK)
        .map(|chunk| {
            let mut net = network.clone();
            chunk
                .iter()
                .map(|&i| {
                    let r =
                        net.present(data.image(i), false, stream_seed(&[seed, phase, i as u64]));
                    on_sample();
                    r.counts
                })
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .concat()
}

/// The outcome of evaluating a trained network.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Evaluation {
    /// Test accuracy, all-activity vote.
    pub test_accuracy: f64,
    /// Test accuracy, proportion weighting.
    pub test_accuracy_proportion: f64,
    /// Confusion matrix of the all-activity vote.
    pub confusion: Confusion,
    /// Confusion matrix of proportion weighting.
    pub confusion_proportion: Confusion,
    /// The label assignment used.
    pub assignment: Assignment,
    /// Neurons that never fired on the assignment samples.
    pub silent_neurons: usize,
    /// Training samples used for the assignment (their index range).
    pub assign_range: (usize, usize),
    /// Test samples evaluated.
    pub test_samples: usize,
    /// Wall time of the two frozen passes (s).
    pub seconds: f64,
}

/// Assigns labels from frozen responses to the last `assign_samples` training samples and
/// evaluates on the first `test_samples` test samples.
pub fn evaluate(
    network: &DiehlCook,
    config: &TrainConfig,
    train: &Dataset,
    test: &Dataset,
    on_sample: &(dyn Fn() + Sync),
) -> Evaluation {
    let started = std::time::Instant::now();
    let assign_range = config.train_samples - config.assign_samples..config.train_samples;
    let responses = frozen_responses(
        network,
        train,
        assign_range.clone(),
        config.seed,
        PHASE_ASSIGN,
        on_sample,
    );
    let labels: Vec<u8> = assign_range.clone().map(|i| train.label(i)).collect();
    let assignment = assign(&responses, &labels, CLASSES);
    let test_responses = frozen_responses(
        network,
        test,
        0..config.test_samples,
        config.seed,
        PHASE_TEST,
        on_sample,
    );
    let truth: Vec<u8> = (0..config.test_samples).map(|i| test.label(i)).collect();
    let vote: Vec<u8> = test_responses
        .iter()
        .map(|r| predict_all_activity(r, &assignment))
        .collect();
    let weighted: Vec<u8> = test_responses
        .iter()
        .map(|r| predict_proportion(r, &assignment))
        .collect();
    let confusion = Confusion::new(&vote, &truth, CLASSES);
    let confusion_proportion = Confusion::new(&weighted, &truth, CLASSES);
    Evaluation {
        test_accuracy: confusion.accuracy(),
        test_accuracy_proportion: confusion_proportion.accuracy(),
        confusion,
        confusion_proportion,
        silent_neurons: assignment.labels.iter().filter(|l| l.is_none()).count(),
        assignment,
        assign_range: (assign_range.start, assign_range.end),
        test_samples: config.test_samples,
        seconds: started.elapsed().as_secs_f64(),
    }
}
