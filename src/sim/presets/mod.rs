//! Network presets assembled from the simulator's building blocks ([`crate::sim`]).

pub mod diehl_cook;

pub use diehl_cook::{DiehlCook, DiehlCookParams, SampleResponse};
