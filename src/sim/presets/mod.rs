//! Network presets: each an assembly of the simulator's parts with its parameters, and
//! [`Preset`], the one type that holds any of them (what `--preset NAME` selects and what a
//! checkpoint stores).

mod checks;
pub mod diehl_cook;
pub mod mesonet;
pub mod noise_mesonet;
pub mod pair;
pub mod poisson_layer;
mod preset;
pub mod split_merge;

pub use diehl_cook::{DiehlCook, DiehlCookParams};
pub use mesonet::{MechanismParams, MesoNet, MesoNetParams};
pub use noise_mesonet::{NoiseMesoNet, NoiseMesoNetParams};
pub use pair::{Pair, PairParams};
pub use poisson_layer::{PoissonLayer, PoissonLayerParams};
pub use preset::{set_by_name, Preset, PresetSpec, PRESETS};
pub use split_merge::{SplitMerge, SplitMergeParams};
