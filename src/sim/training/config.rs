//! What a training run does, validated before any data is read.

use crate::error::{Error, Result};
use crate::sim::presets::{Preset, PresetSpec};
use std::collections::BTreeMap;

/// Bytes one input synapse takes while training (weight 8, target 4, delay 2, column index 8)
/// and, at most, while its checkpoint is read (its text, about 30 bytes).
const BYTES_PER_SYNAPSE: f64 = 52.0;
/// Rough training cost of a sample (s): a fixed part plus a part per output neuron, fitted to
/// the criterion bench `diehl_cook` (1.35 / 3.39 / 14.1 ms per sample at 100 / 400 / 1600
/// neurons).
const SECONDS_PER_SAMPLE: f64 = 4e-4;
const SECONDS_PER_NEURON_SAMPLE: f64 = 8.5e-6;

/// Rough time (s) of one training presentation of a network with `outputs` output neurons, for
/// the long-run warning.
pub fn seconds_per_sample(outputs: usize) -> f64 {
    SECONDS_PER_SAMPLE + outputs as f64 * SECONDS_PER_NEURON_SAMPLE
}
/// Inputs assumed by the memory estimate before the data is read (28 × 28).
const ASSUMED_INPUTS: usize = 784;

/// What a training run does (recorded in every checkpoint and result).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainConfig {
    /// Preset name.
    pub preset: String,
    /// Output neurons.
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
    /// The preset parameters given (the rest are the preset's defaults).
    pub set: BTreeMap<String, f64>,
    /// When > 0, the last `holdout` images of the training split are the evaluation set
    /// instead of the test split, and training draws only from the images before them (for
    /// tuning without ever seeing the test split).
    #[serde(default)]
    pub holdout: usize,
    /// The input stage applied to both sets (colour images: grey or per channel, on/off-centre
    /// filter); the identity for grey images by default.
    #[serde(default)]
    pub input: crate::data::InputTransform,
}

impl TrainConfig {
    /// Checks everything that does not need the data: counts, the preset and its parameters,
    /// and that the network fits in memory. Runs before any data is read.
    pub fn validate(&self) -> Result<()> {
        Preset::params_json(&self.preset, &self.set)?;
        if let Some(sigma) = self.input.dog_sigma {
            if !(sigma.is_finite() && sigma > 0.0 && sigma <= 100.0) {
                return Err(Error::invalid("dog-sigma", sigma, "in (0, 100] pixels"));
            }
        }
        for (name, v) in [
            ("neurons", self.neurons),
            ("epochs", self.epochs),
            ("train-samples", self.train_samples),
            ("test-samples", self.test_samples),
            ("assign-samples", self.assign_samples),
        ] {
            if v == 0 {
                return Err(Error::invalid(name, 0.0, ">= 1"));
            }
        }
        if self.assign_samples > self.train_samples {
            return Err(Error::invalid(
                "assign-samples",
                self.assign_samples as f64,
                &format!("<= train-samples = {}", self.train_samples),
            ));
        }
        self.budget(ASSUMED_INPUTS, 0).check("the network")
    }

    /// The preset to build.
    pub fn spec(&self) -> PresetSpec {
        PresetSpec {
            name: self.preset.clone(),
            neurons: self.neurons,
            set: self.set.clone(),
            seed: self.seed,
        }
    }

    /// Memory of a network with `inputs` inputs per neuron and the rough time of
    /// `samples_left` training samples plus the evaluation passes.
    pub fn budget(&self, inputs: usize, samples_left: u64) -> crate::resources::Budget {
        let synapses = (inputs * self.neurons) as f64;
        let samples = samples_left as f64 + (self.test_samples + self.assign_samples) as f64;
        crate::resources::Budget::new(
            "neurons",
            self.neurons,
            synapses * BYTES_PER_SYNAPSE,
            samples * seconds_per_sample(self.neurons),
        )
        .hint("reduce --neurons")
    }

    /// The (training, evaluation) sets this run uses, after the input stage: the splits as
    /// loaded, or with
    /// [`TrainConfig::holdout`] the training split cut before its last `holdout` images, which
    /// become the evaluation set.
    pub fn sets(
        &self,
        train: crate::data::Dataset,
        test: crate::data::Dataset,
    ) -> Result<(crate::data::Dataset, crate::data::Dataset)> {
        let (train, test) = (self.input.apply(&train), self.input.apply(&test));
        if self.holdout == 0 {
            return Ok((train, test));
        }
        if self.holdout >= train.len() {
            return Err(Error::invalid(
                "holdout",
                self.holdout as f64,
                &format!(
                    "< {} (the training split's size; images must remain to train on)",
                    train.len()
                ),
            ));
        }
        let cut = train.len() - self.holdout;
        Ok((train.subset(0..cut), train.subset(cut..train.len())))
    }

    /// Checks the sizes against the data and the learner's input geometry.
    pub fn validate_data(
        &self,
        train: &crate::data::Dataset,
        test: &crate::data::Dataset,
        shape: Option<(usize, usize, usize)>,
    ) -> Result<()> {
        for (name, v, max) in [
            ("train-samples", self.train_samples, train.len()),
            ("test-samples", self.test_samples, test.len()),
        ] {
            if v > max {
                let what = if self.holdout > 0 {
                    "the set's size with --holdout"
                } else {
                    "the split's size"
                };
                return Err(Error::invalid(
                    name,
                    v as f64,
                    &format!("in 1..={max} ({what})"),
                ));
            }
        }
        let data_shape = (train.rows, train.cols, train.channels);
        if let Some(expected) = shape {
            if expected != data_shape {
                return Err(Error::InvalidParameter {
                    name: "data".into(),
                    value: format!("{}×{}×{} images", data_shape.0, data_shape.1, data_shape.2),
                    requirement: format!(
                        "{}×{}×{} images, the geometry the network was built for",
                        expected.0, expected.1, expected.2
                    ),
                });
            }
        }
        Ok(())
    }
}
