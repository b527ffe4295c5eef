//! Network presets assembled from the simulator's building blocks ([`crate::network`]).

pub mod diehl_cook;

pub use diehl_cook::{DiehlCook, DiehlCookParams, SampleResponse};
