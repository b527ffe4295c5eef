//! Measurements of a trained network (NETWORKS.md §5): the energy of its evaluation against
//! an ANN of the same layer sizes, its robustness to deleted synapses, the Turing map of its
//! input balance, and the modes of its weights. Each is a pure function of counts, accuracies or weights; the commands
//! (`mesonet energy`, `robustness`, `turing-map`) run the network and draw the figures.

pub mod energy;
pub mod modes;
pub mod robustness;
pub mod turing;

pub use energy::{EnergyModel, EnergyReport, OperationCounts};
pub use robustness::{crossing_fraction, deletion_order};
pub use turing::input_balance;
