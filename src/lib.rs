//! # mesonet
//!
//! A toolkit that takes the MesoNet spiking-network learning theory apart and measures it.
//!
//! * [`analysis`] — the analysis core, written once against small traits ([`analysis::Map`],
//!   [`analysis::Flow`]): fixed points, Jacobians, Lyapunov exponents and spectra, orbit
//!   (bifurcation) diagrams and parameter heatmaps, with reference systems of known answers.
//! * [`special`] — special functions (the Lambert W function on both real branches).
//! * [`qspike`] — MODEL.md §2: the poster's Theorem 1 (Lambert-W spike timing) and its
//!   approximations.
//! * [`network`] — the spiking simulator: neuron groups, Poisson input, delayed synapses,
//!   plasticity rules (NETWORKS.md §1).
//! * [`presets`] — networks assembled from them (`diehl-cook`).
//! * [`neuron`] — the exactly integrated current-based LIF neuron of MODEL.md §1.
//! * [`plasticity`] — the pair-based STDP window of MODEL.md §3.
//! * [`synapse`] — the reduced 1:1 synapse map of MODEL.md §4.
//! * [`params`] — named parameter sets (`--set name=value`) and the registry of systems.
//! * [`spec`] — the JSON analysis specs of `analyses/`, validated into plans.
//! * [`figures`] — PNG/SVG rendering with plotters.
//! * [`jobs`] — runs validated plans: computes, writes CSV/JSON and figures.
//! * [`output`] — atomic output directories and CSV/JSON writers.
//! * [`commands`] — one function per command-line subcommand.
#![warn(missing_docs)]
#![deny(clippy::float_cmp)]

pub mod analysis;
pub mod commands;
pub mod data;
pub mod decoding;
pub mod error;
pub mod figures;
pub mod jobs;
pub mod many_synapse;
pub mod network;
pub mod neuron;
pub mod output;
pub mod params;
pub mod plasticity;
pub mod poster;
pub mod presets;
pub mod qspike;
pub mod resources;
pub mod spec;
pub mod special;
pub mod synapse;
pub mod training;
pub mod variable_plasticity;
pub mod verify;

pub use error::{Error, Result};
