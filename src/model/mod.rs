//! The theory, made precise (docs/MODEL.md): the quantities the poster states as closed forms,
//! computed exactly, and the poster's printed forms beside them. Nothing here simulates a
//! network; the simulator is [`crate::sim`], the analyses that apply to both are
//! [`crate::analysis`].
//!
//! * [`lif`] — §1: the exactly integrated current-based LIF neuron.
//! * [`spike_timing`] — §2: the Lambert-W spike time (Theorem 1) and its approximations.
//! * [`stdp`] — §3: the STDP window and soft bounds.
//! * [`synapse_map`] — §4: the reduced 1:1 synapse map, its fixed points and flip point η_c.
//! * [`variable_plasticity`] — §5: the coupled (w, η) system.
//! * [`many_synapse`] — §7: the reduced many-synapse layer and its Jacobian spectrum.
//! * [`poster`] — the poster's closed forms exactly as printed.

pub mod lif;
pub mod many_synapse;
pub mod poster;
pub mod spike_timing;
pub mod stdp;
pub mod synapse_map;
pub mod variable_plasticity;
