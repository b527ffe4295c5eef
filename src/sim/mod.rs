//! The spiking-network simulator (NETWORKS.md §1): neuron groups, input groups, synapses
//! with per-synapse delays, and pluggable plasticity rules. Names follow Brian2's vocabulary
//! (neuron groups, synapses, input, monitors).
//!
//! Time is discrete (step `dt`); within a step the order is Brian2's default schedule:
//! state update of every group, thresholds, synaptic propagation (pre then post pathways),
//! resets. Owns the building blocks only; networks are assembled in [`crate::sim::presets`].

pub mod decay;
pub mod decoding;
pub mod disjoint;
pub mod groups;
pub mod input;
pub mod learner;
pub mod learning_map;
pub mod measurements;
pub mod monitors;
pub mod network;
pub mod plasticity;
pub mod presentation;
pub mod presets;
pub mod synapses;
pub mod training;

pub use groups::{
    Adaptation, ConductanceGroup, ConductanceParams, CurrentLifGroup, NeuronGroup, Spike, Var,
};
pub use input::{
    GaussianNoise, InputGroup, InputKind, PeriodicInput, PoissonInput, SpikeListInput,
};
pub use learner::{stream_seed, Learner, Response};
pub use learning_map::{
    learning_lyapunov, LearningCopy, LearningLyapunov, LearningMap, LearningStatus,
};
pub use monitors::{Raster, SpikeCounts, StateTrace, WeightSnapshots};
pub use network::{Monitor, Network, Projection, Source};
pub use plasticity::{PairStdp, Plastic, Plasticity, Rule, TripletStdp};
pub use synapses::Synapses;
