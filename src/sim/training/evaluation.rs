//! The frozen passes: label assignment on training responses, then the test accuracy.

use super::{TrainConfig, CHUNK, CLASSES, PHASE_ASSIGN, PHASE_TEST};
use crate::data::Dataset;
use crate::sim::decoding::{
    assign, predict_all_activity, predict_proportion, predict_vote_for_all, Assignment, Confusion,
};
use crate::sim::learner::{stream_seed, Learner};
use crate::sim::measurements::OperationCounts;
use rayon::prelude::*;

/// A frozen pass: the responses and the operations it took.
#[derive(Debug, Clone, PartialEq)]
pub struct FrozenPass {
    /// Spike counts of the output neurons, one list per sample.
    pub counts: Vec<Vec<u32>>,
    /// Synaptic operations and neuron updates of the pass (retries included).
    pub operations: OperationCounts,
    /// Synaptic operations of each sample (retries included).
    pub sample_synaptic_operations: Vec<u64>,
}

/// Frozen responses (no plasticity, θ fixed) to `indices` of `data`. Runs in chunks of
/// [`CHUNK`] samples in parallel, each chunk starting from `network`'s state, with the stream
/// (seed, phase, index) per sample: the result does not depend on the thread count.
pub fn frozen_responses<L: Learner>(
    network: &L,
    data: &Dataset,
    indices: std::ops::Range<usize>,
    seed: u64,
    phase: u64,
    on_sample: &(dyn Fn() + Sync),
) -> FrozenPass {
    let all: Vec<usize> = indices.collect();
    // Per chunk: (spike counts, synaptic operations) per sample, and the chunk's operations.
    type Chunk = (Vec<(Vec<u32>, u64)>, OperationCounts);
    let chunks: Vec<Chunk> = all
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut net = network.clone();
            // The samples run in parallel: each copy on one thread (results are the same).
            net.network_mut().set_threads(1);
            let (events, steps) = (net.network().synaptic_events, net.network().step);
            let counts = chunk
                .iter()
                .map(|&i| {
                    let before = net.network().synaptic_events;
                    let r =
                        net.present(data.image(i), false, stream_seed(&[seed, phase, i as u64]));
                    on_sample();
                    (r.counts, net.network().synaptic_events - before)
                })
                .collect::<Vec<_>>();
            let n = net.network();
            let neurons: usize = n.groups.iter().map(|g| g.len()).sum();
            let operations = OperationCounts {
                samples: chunk.len() as u64,
                synaptic_operations: n.synaptic_events - events,
                neuron_updates: (n.step - steps) as u64 * neurons as u64,
                plasticity_updates: 0,
            };
            (counts, operations)
        })
        .collect();
    let mut pass = FrozenPass {
        counts: Vec::with_capacity(all.len()),
        operations: OperationCounts::default(),
        sample_synaptic_operations: Vec::with_capacity(all.len()),
    };
    for (samples, ops) in chunks {
        for (counts, events) in samples {
            pass.counts.push(counts);
            pass.sample_synaptic_operations.push(events);
        }
        let total = &mut pass.operations;
        total.samples += ops.samples;
        total.synaptic_operations += ops.synaptic_operations;
        total.neuron_updates += ops.neuron_updates;
    }
    pass
}

/// The outcome of evaluating a trained network.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Evaluation {
    /// Test accuracy, all-activity vote.
    pub test_accuracy: f64,
    /// Test accuracy, proportion weighting.
    pub test_accuracy_proportion: f64,
    /// Test accuracy, Meng et al.'s vote-for-all.
    pub test_accuracy_vote_for_all: f64,
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
    /// Operations of the test pass.
    pub test_operations: OperationCounts,
}

/// Assigns labels from frozen responses to the last `assign_samples` training samples and
/// evaluates on the first `test_samples` test samples.
pub fn evaluate<L: Learner>(
    network: &L,
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
    )
    .counts;
    let labels: Vec<u8> = assign_range.clone().map(|i| train.label(i)).collect();
    let assignment = assign(&responses, &labels, CLASSES);
    let test_pass = frozen_responses(
        network,
        test,
        0..config.test_samples,
        config.seed,
        PHASE_TEST,
        on_sample,
    );
    let test_responses = test_pass.counts;
    let truth: Vec<u8> = (0..config.test_samples).map(|i| test.label(i)).collect();
    let vote: Vec<u8> = test_responses
        .iter()
        .map(|r| predict_all_activity(r, &assignment))
        .collect();
    let weighted: Vec<u8> = test_responses
        .iter()
        .map(|r| predict_proportion(r, &assignment))
        .collect();
    let vote_for_all: Vec<u8> = test_responses
        .iter()
        .map(|r| predict_vote_for_all(r, &assignment))
        .collect();
    let confusion = Confusion::new(&vote, &truth, CLASSES);
    let confusion_proportion = Confusion::new(&weighted, &truth, CLASSES);
    Evaluation {
        test_accuracy: confusion.accuracy(),
        test_accuracy_proportion: confusion_proportion.accuracy(),
        test_accuracy_vote_for_all: Confusion::new(&vote_for_all, &truth, CLASSES).accuracy(),
        confusion,
        confusion_proportion,
        silent_neurons: assignment.labels.iter().filter(|l| l.is_none()).count(),
        assignment,
        assign_range: (assign_range.start, assign_range.end),
        test_samples: config.test_samples,
        seconds: started.elapsed().as_secs_f64(),
        test_operations: test_pass.operations,
    }
}
