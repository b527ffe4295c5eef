//! The interface every trainable network offers (NETWORKS.md §4-5): present one sample with
//! learning on or off under a given random stream, and hand its learning state out and in as
//! one flat vector. Training, evaluation, label assignment, checkpoints, the learning map and
//! the Lyapunov exponent of learning are written once against it.

use super::network::Network;
use crate::error::Result;

/// What one sample produced.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Response {
    /// Spike counts of the output neurons during the (last) input presentation.
    pub counts: Vec<u32>,
    /// Presentations needed (1 + intensity retries).
    pub presentations: u32,
}

/// A network that learns from samples.
pub trait Learner: Clone + Send + Sync {
    /// Name of the preset it was built by (`diehl-cook`, `pair`, …).
    fn preset(&self) -> &'static str;
    /// The (rows, columns, channels) of the samples it takes; `None` for a learner whose
    /// input is built in (a sample is then an empty slice).
    fn input_shape(&self) -> Option<(usize, usize, usize)>;
    /// Output neurons, whose spike counts decode labels.
    fn outputs(&self) -> usize;
    /// Presents one sample; with `learn`, plasticity and adaptation act. Every random draw
    /// comes from `stream`, so two learners in the same state given the same sample and
    /// stream respond identically (common random numbers).
    fn present(&mut self, sample: &[u8], learn: bool, stream: u64) -> Response;
    /// The network inside.
    fn network(&self) -> &Network;
    /// The network, writable (e.g. to run it on more threads: [`Network::set_threads`]).
    fn network_mut(&mut self) -> &mut Network;
    /// The learning state (see [`Network::plastic_state`]: weights, then per-synapse rule
    /// state such as η, then adaptive thresholds θ).
    fn plastic_state(&self) -> Vec<f64> {
        self.network().plastic_state()
    }
    /// Writes a learning state laid out as [`Learner::plastic_state`].
    fn set_plastic_state(&mut self, x: &[f64]) -> Result<()>;
    /// The continuously evolving state that is not learned ([`Network::hidden_state`]).
    fn hidden_state(&self) -> Vec<f64> {
        self.network().hidden_state()
    }
    /// Writes a state laid out as [`Learner::hidden_state`].
    fn set_hidden_state(&mut self, h: &[f64]) -> Result<()> {
        self.network_mut().set_hidden_state(h)
    }
    /// The weights onto each output neuron from the input, one vector per output neuron in
    /// input order (learned receptive fields), when the learner has such a projection.
    fn receptive_fields(&self) -> Option<Vec<Vec<f64>>> {
        None
    }
    /// Lower and upper bound the plastic weights are clipped to (for saturation checks).
    fn weight_bounds(&self) -> (f64, f64);
}

/// A random stream's seed from the run seed and the work item's coordinates (SplitMix64
/// finaliser over the parts), so results never depend on which thread runs the item.
pub fn stream_seed(parts: &[u64]) -> u64 {
    let mut h: u64 = 0x9E37_79B9_7F4A_7C15;
    for &p in parts {
        h ^= p
            .wrapping_add(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(h << 6)
            .wrapping_add(h >> 2);
        let mut z = h;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        h = z ^ (z >> 31);
    }
    h
}
