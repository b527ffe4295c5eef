//! # mesonet
//!
//! A toolkit that takes the MesoNet spiking-network learning theory apart and measures it.
//!
//! The layers, bottom to top:
//!
//! * [`analysis`] — the analysis core, written once against small traits ([`analysis::Map`],
//!   [`analysis::Flow`]): fixed points, Jacobians, Lyapunov exponents and spectra, orbit
//!   (bifurcation) diagrams, heatmaps, continuation, with reference systems of known answers.
//!   It depends on neither the model nor the simulator.
//! * [`special`] — special functions (the Lambert W function on both real branches).
//! * [`model`] — the theory of docs/MODEL.md made precise: spike timing, STDP, the reduced
//!   synapse maps, variable plasticity, the poster's printed forms.
//! * [`sim`] — the spiking simulator of docs/NETWORKS.md: one [`sim::Network`] that owns the
//!   schedule, its parts (neuron groups, inputs, synapses, plasticity rules, monitors), the
//!   presets assembled from them, the [`sim::Learner`] interface, training and decoding.
//! * [`data`] — datasets (IDX, CIFAR) with their checks.
//! * [`registry`] — the systems `--system` and the specs can name, and their parameters.
//! * [`spec`] → [`jobs`] — JSON analysis specs validated into plans, then run into
//!   `notebooks-out/`; [`figures`] draws, [`output`] owns where things are written,
//!   [`resources`] checks that work fits before it starts.
//! * [`verify`] — every claim of the poster beside the model (docs/MODEL.md §8).
//! * [`commands`] — one function per command-line subcommand; `main.rs` only parses and prints.
#![warn(missing_docs)]
#![deny(clippy::float_cmp)]

pub mod analysis;
pub mod commands;
pub mod data;
pub mod error;
pub mod figures;
pub mod jobs;
pub mod model;
pub mod output;
pub mod registry;
pub mod resources;
pub mod sim;
pub mod spec;
pub mod special;
pub mod verify;

pub use error::{Error, Result};
