//! The spiking-network simulator (NETWORKS.md §1): neuron groups, input groups, synapses
//! with per-synapse delays, and pluggable plasticity rules. Names follow Brian2's vocabulary
//! (neuron groups, synapses, input, monitors).
//!
//! Time is discrete (step `dt`); within a step the order is Brian2's default schedule:
//! state update of every group, thresholds, synaptic propagation (pre then post pathways),
//! resets. Owns the building blocks only; networks are assembled in [`crate::sim::presets`].

pub mod conductance;
pub mod current_lif;
pub mod decoding;
pub mod input;
pub mod learning_map;
pub mod monitors;
pub mod plasticity;
pub mod presets;
pub mod projections;
pub mod synapses;
pub mod training;

pub use conductance::{ConductanceGroup, ConductanceParams};
pub use current_lif::{Adaptation, CurrentLifGroup};
pub use input::{GaussianNoise, PeriodicInput, PoissonInput, SpikeListInput};
pub use learning_map::{LearningMapParams, LearningReturnMap};
pub use monitors::{Raster, SpikeCounts, StateTrace, WeightSnapshots};
pub use plasticity::{PairStdp, Plasticity, TripletStdp};
pub use projections::{DelayRing, SparseProjection};
pub use synapses::DelayedDense;

#[cfg(test)]
mod composed_tests;
