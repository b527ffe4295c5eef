//! Synapses (Brian2's `Synapses`): the synapses of one projection with per-synapse delays, in a
//! layout made for event delivery, and the pre and post pathways that run a plasticity rule.
//!
//! Each presynaptic neuron's outgoing synapses onto one block of postsynaptic neurons (one or
//! two blocks: [`layout_blocks`]) form one row, stored in *delay order* (then by target): a
//! spike emitted at step t0 delivers, at step t0 + d, the contiguous slice of its row whose
//! delay is d steps, so delivery streams through memory: each thread queues a spike's
//! segments, once, in a ring by arrival step, and walks one step's list of ranges per delivery
//! (the buffers are reused from step to step; no per-event allocation). A column index lists
//! each postsynaptic neuron's incoming synapses by presynaptic neuron, for the passes by postsynaptic neuron (its spikes,
//! normalisation). Dense (all-to-all), random, receptive-field, one-to-one and all-but-self
//! projections are all built into this one layout.
//!
//! The last arrival of a synapse is not stored: when a postsynaptic spike needs it, it is
//! derived from the latest emission e of neuron i with e + d_ij ≤ t, taken from the spikes still
//! in flight or, failing those, from the last emission whose synapses have all arrived.

mod build;
mod check;
mod pathways;
mod store;

pub use build::receptive_field_patches;
pub use pathways::{Delivery, Flight, FlightCopy, SynapseView};
pub use store::{even_bounds, layout_blocks, SynapseSpec, Synapses};

#[cfg(test)]
mod tests;
