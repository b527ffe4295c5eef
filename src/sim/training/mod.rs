//! The training and evaluation protocol of NETWORKS.md §4, for any [`crate::sim::Learner`].
//!
//! Train on the training split (one pass unless `epochs`), then freeze the network, assign
//! labels from its responses to training samples (never the test set), and evaluate on the
//! test split. Every sample's input comes from the random stream (seed, phase, epoch, index),
//! so a run resumed from a checkpoint ends with exactly the state of an uninterrupted run, and
//! the frozen passes (parallel chunks, each from the trained state) give the same result for
//! any thread count.

mod checkpoint;
mod config;
mod evaluation;

pub use checkpoint::{Checkpoint, CurvePoint};
pub use config::{seconds_per_sample, TrainConfig};
pub use evaluation::{evaluate, frozen_responses, Evaluation, FrozenPass};

/// Stream tags of the protocol's phases.
const PHASE_TRAIN: u64 = 1;
const PHASE_ASSIGN: u64 = 2;
/// Stream phase of the test pass (seeds derive from (run seed, phase, sample)).
pub const PHASE_TEST: u64 = 3;

/// Training samples per running-accuracy window (assignments from one window score the next).
pub const WINDOW: usize = 1000;

/// Samples per chunk of a frozen pass (the unit of parallel work).
pub const CHUNK: usize = 250;

/// Number of classes (MNIST family).
pub const CLASSES: usize = 10;
