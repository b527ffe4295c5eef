//! Preset `diehl-cook`: the unsupervised STDP network of Diehl & Cook (2015) with the values of
//! their reference code (NETWORKS.md §2), every one a named parameter (`--set name=value`).
//!
//! Poisson inputs (one per pixel) → N conductance-based excitatory neurons with adaptive
//! thresholds (all-to-all, per-synapse delays U(0, 10) ms, triplet STDP, weights in [0, 1]) → N
//! inhibitory neurons one-to-one (10.4) → back to every other excitatory neuron (17.0): a soft
//! winner-take-all, shown each image by the protocol of [`crate::sim::presentation`].

mod network;
mod params;

pub use network::DiehlCook;
pub use params::{DiehlCookParams, MAX_PHASE_MS, MAX_RETRIES, MIN_DT_MS};

#[cfg(test)]
mod tests;
