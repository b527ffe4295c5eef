//! Neuron groups (Brian2's `NeuronGroup`): conductance-based LIF neurons with an adaptive
//! threshold (Diehl & Cook) and exactly integrated current-based LIF neurons (MODEL.md §1),
//! and [`NeuronGroup`], the one type the network holds for either.

pub mod conductance;
pub mod current_lif;
mod neuron_group;

pub use conductance::{ConductanceGroup, ConductanceParams};
pub use current_lif::{Adaptation, CurrentLifGroup};
pub use neuron_group::{NeuronGroup, Scratch, Spike, Var};
