//! The raw body of each spec kind (unknown fields rejected) and its validation into a
//! [`PlanKind`](super::PlanKind), with the spec's quick sizes applied.
//!
//! Shared here: the `spec_body!` declaration of a raw body, the [`QuickSizes`], the
//! [`AxisSpec`] of a sweep and the checks of parameters and starting states. One module per
//! kind: `spike_timing`, `stdp_window`, `synapse_map`, `orbit`, `heatmap`, `continuation`,
//! `spectrum`, `network_heatmap`, `network_orbit`, `local_jacobians`.

use crate::error::{Error, Result};
use crate::registry::{ParamSet, SystemKind};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Declares a raw spec body: the kind's own fields plus the header fields (`kind`, `name`,
/// `description`, `quick`, read separately by [`super::Spec::parse`]), with unknown fields rejected.
/// (`#[serde(flatten)]` would silently disable `deny_unknown_fields`.)
macro_rules! spec_body {
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, ::serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            #[serde(rename = "kind", default)]
            _kind: Option<::serde::de::IgnoredAny>,
            #[serde(rename = "name", default)]
            _name: Option<::serde::de::IgnoredAny>,
            #[serde(rename = "description", default)]
            _description: Option<::serde::de::IgnoredAny>,
            #[serde(rename = "quick", default)]
            _quick: Option<::serde::de::IgnoredAny>,
            $($body)*
        }
    };
}

mod continuation;
mod heatmap;
mod local_jacobians;
mod network_heatmap;
mod network_orbit;
mod orbit;
mod spectrum;
mod spike_timing;
mod stdp_window;
mod synapse_map;

pub use continuation::ContinuationSpec;
pub use heatmap::HeatmapSpec;
pub use local_jacobians::LocalJacobiansSpec;
pub use network_heatmap::NetworkHeatmapSpec;
pub use network_orbit::NetworkOrbitSpec;
pub use orbit::OrbitSpec;
pub use spectrum::{SpectrumMatrix, SpectrumSpec};
pub use spike_timing::SpikeTimingSpec;
pub use stdp_window::StdpWindowSpec;
pub use synapse_map::SynapseMapSpec;

/// Smaller sizes for quick runs (tests); each kind applies the fields it has.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuickSizes {
    /// Grid points (1-D sweeps and curves).
    pub points: Option<usize>,
    /// Grid points of a heatmap's x axis.
    pub x_points: Option<usize>,
    /// Grid points of a heatmap's y axis.
    pub y_points: Option<usize>,
    /// Transient iterations.
    pub transient: Option<usize>,
    /// Samples per parameter value.
    pub samples: Option<usize>,
    /// Lyapunov averaging steps.
    pub steps: Option<usize>,
}

/// One axis of a sweep.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxisSpec {
    /// Parameter name.
    pub param: String,
    /// First value.
    pub from: f64,
    /// Last value.
    pub to: f64,
    /// Number of values.
    pub points: usize,
}

/// Checks an optional starting state against the system's dimension.
fn check_x0(kind: SystemKind, x0: &Option<Vec<f64>>) -> Result<()> {
    x0.as_deref().map_or(Ok(()), |x| kind.check_state("x0", x))
}

/// A swept parameter cannot also be fixed by `set`.
fn check_swept(set: &BTreeMap<String, f64>, swept: &str, axis: &str) -> Result<()> {
    match set.get(swept) {
        Some(&value) => Err(Error::InvalidParameter {
            name: "set".into(),
            value: format!("{swept}={}", crate::error::show_value(value)),
            requirement: format!("free of {swept}: it is swept by the {axis}"),
        }),
        None => Ok(()),
    }
}

fn param_set(kind: SystemKind, set: &BTreeMap<String, f64>) -> Result<ParamSet> {
    let mut params = ParamSet::defaults(kind);
    for (name, value) in set {
        params.set(name, *value)?;
    }
    Ok(params)
}
