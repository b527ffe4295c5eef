//! Preset `split-merge`: the split-and-merge ("Inception-like") network of Meng et al. (2021)
//! that the poster's architecture builds on (NETWORKS.md §3), with the values of their reference
//! code, every one a named parameter (`--set name=value`).
//!
//! Square kernels of three types (sides 28/24/16, strides 1/4/6, 4/2/1 kernels) tile the image;
//! each kernel at each position is a competition area of `maps` conductance LIF neurons with
//! adaptive thresholds that see only its receptive field (initial weights 0.3·U + 1e-7 inside,
//! no synapse outside, delays U(0, 10) ms, triplet STDP clipped to [1e-7, 1]) and inhibit one
//! another directly (gi += 24, no inhibitory population): 21 areas, 9 408 neurons, ~4.5 M input
//! synapses on 28 × 28 images. Samples are shown by the protocol of
//! [`crate::sim::presentation`] with rate = pixel × intensity (0.25, +0.125 while the layer
//! fires fewer than 5 spikes per area), each neuron's input weights rescaled to sum to 78.4.
//!
//! Readings of Meng et al.'s code where it differs from the paper or leaves a choice: the reset
//! is fixed (no "adaptive repolarisation"); the sum 78.4 is the same for every kernel size; the
//! spike threshold of a presentation is the layer's total (5 per area on average), not per
//! area. Differences from their code: the step is 0.5 ms (theirs is Brian2's default 0.1 ms);
//! by default v is held during the refractory period (theirs integrates through it, only
//! blocking spikes: `integrate_refractory=1`); retries are capped (`max_retries`, theirs are
//! unbounded).

mod network;
mod params;

pub use network::SplitMerge;
pub use params::{KernelType, SplitMergeParams, KERNEL_TYPES};

#[cfg(test)]
mod tests;
