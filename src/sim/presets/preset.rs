//! [`Preset`]: any preset's network as one type — what `--preset NAME` builds, what a
//! checkpoint stores (tagged with the preset's name) and what training is written against.

use super::{
    DiehlCook, DiehlCookParams, MesoNet, MesoNetParams, NoiseMesoNet, NoiseMesoNetParams, Pair,
    PairParams, PoissonLayer, PoissonLayerParams, SplitMerge, SplitMergeParams,
};
use crate::error::{Error, Result};
use crate::sim::learner::{Learner, Response};
use crate::sim::network::Network;
use crate::sim::presentation::ImageWiring;
use std::collections::BTreeMap;

/// The presets, with what each is and whether it learns from images (`train` takes those).
pub const PRESETS: &[(&str, &str, bool)] = &[
    (
        "diehl-cook",
        "Diehl & Cook (2015): Poisson image inputs → excitatory layer with adaptive thresholds and triplet STDP, lateral inhibition (docs/NETWORKS.md §2)",
        true,
    ),
    (
        "split-merge",
        "Meng et al. (2021): kernels of three sizes tile the image, each kernel position a competition area of `maps` neurons with direct inhibition, triplet STDP (docs/NETWORKS.md §3); --neurons is areas × maps (9408 on 28×28 images)",
        true,
    ),
    (
        "mesonet",
        "the poster's network: split-merge whose input synapses learn with variable plasticity (an η per synapse), synaptic flipping and triangulated attribution, each a switch (variable_plasticity, flipping, epsilon; all off = split-merge) (docs/NETWORKS.md §3)",
        true,
    ),
    (
        "poisson-layer",
        "n_in Poisson inputs → a layer of LIF neurons with pair STDP and soft bounds, every sample from rest (the learning map of docs/MODEL.md §7)",
        false,
    ),
    (
        "noise-mesonet",
        "the poster's small MesoNet networks (its Figures 13, 15): inputs driven by Gaussian-noise currents → `layers` (1 or 2) layers of --neurons (3) LIF neurons, every projection learning by the MesoNet rule; one sample is sample_ms from rest",
        false,
    ),
    (
        "pair",
        "the poster's 1:1 connection: a periodic presynaptic neuron → one LIF neuron, pair STDP with soft bounds (docs/MODEL.md §4); one sample is one period",
        false,
    ),
];

/// A network built by one of the presets.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "preset", rename_all = "kebab-case")]
pub enum Preset {
    /// See [`DiehlCook`].
    DiehlCook(Box<DiehlCook>),
    /// See [`SplitMerge`].
    SplitMerge(Box<SplitMerge>),
    /// See [`MesoNet`].
    Mesonet(Box<MesoNet>),
    /// See [`PoissonLayer`].
    PoissonLayer(PoissonLayer),
    /// See [`NoiseMesoNet`].
    NoiseMesonet(Box<NoiseMesoNet>),
    /// See [`Pair`].
    Pair(Pair),
}

/// What a preset is built from.
#[derive(Debug, Clone, PartialEq)]
pub struct PresetSpec {
    /// Preset name.
    pub name: String,
    /// Output neurons (presets with a layer of free size).
    pub neurons: usize,
    /// Parameter overrides.
    pub set: BTreeMap<String, f64>,
    /// Seed of the initial weights and delays.
    pub seed: u64,
}

impl Preset {
    /// Looks `name` up; unknown names list the presets.
    pub fn check_name(name: &str) -> Result<()> {
        if PRESETS.iter().any(|(n, _, _)| *n == name) {
            Ok(())
        } else {
            Err(Error::InvalidParameter {
                name: "preset".into(),
                value: name.into(),
                requirement: format!(
                    "one of: {}",
                    PRESETS
                        .iter()
                        .map(|(n, _, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
        }
    }

    /// Whether preset `name` learns from images.
    pub fn takes_images(name: &str) -> bool {
        PRESETS.iter().any(|&(n, _, images)| n == name && images)
    }

    /// Every preset's parameters with their defaults, one line each (for `--help`).
    pub fn parameter_help() -> String {
        PRESETS
            .iter()
            .map(|(name, _, _)| {
                let defaults =
                    Self::params_json(name, &BTreeMap::new()).expect("defaults are valid");
                let names: Vec<String> = defaults
                    .as_object()
                    .expect("a struct serialises to an object")
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                format!("{name}: {}", names.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The parameters of preset `name` with `set` applied and checked (no network is built:
    /// cheap, for validating arguments before anything else).
    pub fn params_json(name: &str, set: &BTreeMap<String, f64>) -> Result<serde_json::Value> {
        Self::check_name(name)?;
        fn apply<T>(
            mut p: T,
            set: &BTreeMap<String, f64>,
            preset: &str,
            validate: impl Fn(&T) -> Result<()>,
        ) -> Result<serde_json::Value>
        where
            T: serde::Serialize + serde::de::DeserializeOwned,
        {
            for (k, v) in set {
                set_by_name(&mut p, preset, k, *v)?;
            }
            validate(&p)?;
            Ok(serde_json::to_value(p).expect("plain structs serialise"))
        }
        match name {
            "diehl-cook" => apply(
                DiehlCookParams::default(),
                set,
                name,
                DiehlCookParams::validate,
            ),
            "split-merge" => apply(
                SplitMergeParams::default(),
                set,
                name,
                SplitMergeParams::validate,
            ),
            "mesonet" => apply(MesoNetParams::default(), set, name, MesoNetParams::validate),
            "poisson-layer" => apply(
                PoissonLayerParams::default(),
                set,
                name,
                PoissonLayerParams::validate,
            ),
            "noise-mesonet" => apply(
                NoiseMesoNetParams::default(),
                set,
                name,
                NoiseMesoNetParams::validate,
            ),
            _ => apply(PairParams::default(), set, name, PairParams::validate),
        }
    }

    /// The output neurons a run of preset `name` has on images of `shape` unless `--neurons`
    /// says otherwise: 100, or for `split-merge` and `mesonet` their areas × maps, 3 for
    /// `noise-mesonet`, 1 for `pair`.
    pub fn default_neurons(
        name: &str,
        set: &BTreeMap<String, f64>,
        (rows, cols, channels): (usize, usize, usize),
    ) -> Result<usize> {
        match name {
            "split-merge" => {
                let p: SplitMergeParams = serde_json::from_value(Self::params_json(name, set)?)
                    .expect("checked by params_json");
                p.layer_size(rows, cols, channels)
            }
            "mesonet" => {
                let p: MesoNetParams = serde_json::from_value(Self::params_json(name, set)?)
                    .expect("checked by params_json");
                p.split_merge.layer_size(rows, cols, channels)
            }
            "pair" => Ok(1),
            "noise-mesonet" => Ok(3),
            _ => Ok(100),
        }
    }

    /// Builds the preset for samples of `shape` (presets that take images need it).
    pub fn build(spec: &PresetSpec, shape: Option<(usize, usize, usize)>) -> Result<Self> {
        let params = Self::params_json(&spec.name, &spec.set)?;
        match spec.name.as_str() {
            "diehl-cook" => {
                let shape =
                    shape.ok_or_else(|| Error::invalid("data", 0.0, "images for diehl-cook"))?;
                let p: DiehlCookParams = serde_json::from_value(params).expect("checked above");
                let network = DiehlCook::new(p, spec.neurons, shape, spec.seed)?;
                Ok(Preset::DiehlCook(Box::new(network)))
            }
            "split-merge" | "mesonet" => {
                let shape = shape.ok_or_else(|| {
                    Error::invalid("data", 0.0, &format!("images for {}", spec.name))
                })?;
                let p: MesoNetParams = if spec.name == "mesonet" {
                    serde_json::from_value(params).expect("checked above")
                } else {
                    MesoNetParams {
                        split_merge: serde_json::from_value(params).expect("checked above"),
                        ..MesoNetParams::default()
                    }
                };
                let layer = p.split_merge.layer_size(shape.0, shape.1, shape.2)?;
                if layer != spec.neurons {
                    return Err(Error::invalid(
                        "neurons",
                        spec.neurons as f64,
                        &format!(
                            "areas × maps = {layer} for {}×{}×{} images (set maps to change it)",
                            shape.0, shape.1, shape.2
                        ),
                    ));
                }
                if spec.name == "mesonet" {
                    let network = MesoNet::new(p, shape, spec.seed)?;
                    Ok(Preset::Mesonet(Box::new(network)))
                } else {
                    let network = SplitMerge::new(p.split_merge, shape, spec.seed)?;
                    Ok(Preset::SplitMerge(Box::new(network)))
                }
            }
            "poisson-layer" => {
                let p: PoissonLayerParams = serde_json::from_value(params).expect("checked above");
                Ok(Preset::PoissonLayer(PoissonLayer::new(p, spec.neurons)?))
            }
            "noise-mesonet" => {
                let p: NoiseMesoNetParams = serde_json::from_value(params).expect("checked above");
                let network = NoiseMesoNet::new(p, spec.neurons, spec.seed)?;
                Ok(Preset::NoiseMesonet(Box::new(network)))
            }
            _ => {
                if spec.neurons != 1 {
                    return Err(Error::invalid(
                        "neurons",
                        spec.neurons as f64,
                        "1 for the pair preset",
                    ));
                }
                let p: PairParams = serde_json::from_value(params).expect("checked above");
                Ok(Preset::Pair(Pair::new(p)?))
            }
        }
    }

    /// Its parameters as JSON (for records).
    pub fn params(&self) -> serde_json::Value {
        match self {
            Preset::DiehlCook(l) => serde_json::to_value(l.params),
            Preset::SplitMerge(l) => serde_json::to_value(l.params),
            Preset::Mesonet(l) => serde_json::to_value(l.params()),
            Preset::PoissonLayer(l) => serde_json::to_value(l.params),
            Preset::NoiseMesonet(l) => serde_json::to_value(l.params),
            Preset::Pair(l) => serde_json::to_value(l.params),
        }
        .expect("plain structs serialise")
    }

    /// Checks a deserialised network of `outputs` output neurons (a checkpoint is input).
    pub fn check(&self, outputs: usize) -> std::result::Result<(), String> {
        match self {
            Preset::DiehlCook(l) => l.check(outputs),
            Preset::SplitMerge(l) => l.check(outputs),
            Preset::Mesonet(l) => l.check(outputs),
            Preset::PoissonLayer(l) => {
                let fresh = PoissonLayer::new(l.params, outputs)
                    .map_err(|e| format!("network.params: {e}"))?;
                same_assembly(&fresh.network, &l.network)
            }
            Preset::NoiseMesonet(l) => {
                let fresh = NoiseMesoNet::new(l.params, outputs, 0)
                    .map_err(|e| format!("network.params: {e}"))?;
                same_assembly(&fresh.network, &l.network)
            }
            Preset::Pair(l) => {
                let fresh = Pair::new(l.params).map_err(|e| format!("network.params: {e}"))?;
                same_assembly(&fresh.network, &l.network)
            }
        }
    }

    /// The same network with parameters overridden by `set` (the rules and neuron parameters
    /// change, the learned and dynamic state is kept). Parameters that change the network's
    /// structure (`dt_ms`, sizes) are refused.
    pub fn with_params(&self, set: &BTreeMap<String, f64>) -> Result<Self> {
        const STRUCTURE: &[&str] = &[
            "dt_ms",
            "inputs",
            "layers",
            "maps",
            "kernel_size_1",
            "kernel_size_2",
            "kernel_size_3",
            "stride_1",
            "stride_2",
            "stride_3",
            "kernels_1",
            "kernels_2",
            "kernels_3",
        ];
        if let Some(name) = STRUCTURE.iter().find(|n| set.contains_key(**n)) {
            return Err(Error::InvalidParameter {
                name: "set".into(),
                value: name.to_string(),
                requirement: "a parameter that keeps the trained network's structure".into(),
            });
        }
        let mut merged: BTreeMap<String, f64> =
            serde_json::from_value(self.params()).expect("numeric parameters");
        merged.extend(set.iter().map(|(k, v)| (k.clone(), *v)));
        Self::params_json(self.preset(), &merged)?;
        let mut fresh = match self {
            Preset::DiehlCook(l) => Preset::DiehlCook(Box::new(DiehlCook::new(
                serde_json::from_value(Self::params_json("diehl-cook", &merged)?).expect("checked"),
                l.neurons(),
                l.shape,
                0,
            )?)),
            Preset::SplitMerge(l) => Preset::SplitMerge(Box::new(SplitMerge::new(
                serde_json::from_value(Self::params_json("split-merge", &merged)?)
                    .expect("checked"),
                l.shape,
                0,
            )?)),
            Preset::Mesonet(l) => Preset::Mesonet(Box::new(MesoNet::new(
                serde_json::from_value(Self::params_json("mesonet", &merged)?).expect("checked"),
                l.split_merge.shape,
                0,
            )?)),
            Preset::PoissonLayer(l) => Preset::PoissonLayer(PoissonLayer::new(
                serde_json::from_value(Self::params_json("poisson-layer", &merged)?)
                    .expect("checked"),
                l.outputs(),
            )?),
            Preset::NoiseMesonet(l) => Preset::NoiseMesonet(Box::new(NoiseMesoNet::new(
                serde_json::from_value(Self::params_json("noise-mesonet", &merged)?)
                    .expect("checked"),
                l.outputs(),
                0,
            )?)),
            Preset::Pair(_) => Preset::Pair(Pair::new(
                serde_json::from_value(Self::params_json("pair", &merged)?).expect("checked"),
            )?),
        };
        let old = self.network().clone();
        match &mut fresh {
            Preset::DiehlCook(l) => l.network.adopt_state(&old)?,
            Preset::SplitMerge(l) => l.network.adopt_state(&old)?,
            Preset::Mesonet(l) => l.split_merge.network.adopt_state(&old)?,
            Preset::PoissonLayer(l) => l.network.adopt_state(&old)?,
            Preset::NoiseMesonet(l) => l.network.adopt_state(&old)?,
            Preset::Pair(l) => l.network.adopt_state(&old)?,
        }
        Ok(fresh)
    }

    /// The output layer as a grid of cores (rows) × neurons per core (columns): areas × maps
    /// for split-merge and mesonet, one row otherwise.
    pub fn core_grid(&self) -> (usize, usize) {
        match self {
            Preset::SplitMerge(l) => (l.areas, l.params.maps as usize),
            Preset::Mesonet(l) => (l.split_merge.areas, l.split_merge.params.maps as usize),
            _ => (1, self.outputs()),
        }
    }

    /// Rebuilds derived tables after deserialising.
    pub fn prepare(&mut self) -> Result<()> {
        match self {
            Preset::DiehlCook(l) => l.network.prepare(),
            Preset::SplitMerge(l) => l.network.prepare(),
            Preset::Mesonet(l) => l.split_merge.network.prepare(),
            Preset::PoissonLayer(l) => l.network.prepare(),
            Preset::NoiseMesonet(l) => l.network.prepare(),
            Preset::Pair(l) => l.network.prepare(),
        }
    }
}

macro_rules! dispatch {
    ($self:ident, $l:ident => $e:expr) => {
        match $self {
            Preset::DiehlCook($l) => $e,
            Preset::SplitMerge($l) => $e,
            Preset::Mesonet($l) => $e,
            Preset::PoissonLayer($l) => $e,
            Preset::NoiseMesonet($l) => $e,
            Preset::Pair($l) => $e,
        }
    };
}

impl Learner for Preset {
    fn preset(&self) -> &'static str {
        dispatch!(self, l => l.preset())
    }
    fn input_shape(&self) -> Option<(usize, usize, usize)> {
        dispatch!(self, l => l.input_shape())
    }
    fn outputs(&self) -> usize {
        dispatch!(self, l => l.outputs())
    }
    fn present(&mut self, sample: &[u8], learn: bool, stream: u64) -> Response {
        dispatch!(self, l => l.present(sample, learn, stream))
    }
    fn network(&self) -> &Network {
        dispatch!(self, l => l.network())
    }
    fn network_mut(&mut self) -> &mut Network {
        dispatch!(self, l => l.network_mut())
    }
    fn set_plastic_state(&mut self, x: &[f64]) -> Result<()> {
        dispatch!(self, l => l.set_plastic_state(x))
    }
    fn receptive_fields(&self) -> Option<Vec<Vec<f64>>> {
        dispatch!(self, l => l.receptive_fields())
    }
    fn weight_bounds(&self) -> (f64, f64) {
        dispatch!(self, l => l.weight_bounds())
    }
}

/// Checks a loaded network against a fresh one of the same preset, parameters and size: the
/// same parts, then the loaded network's own consistency.
/// Checks a loaded image preset's network against `fresh`, one its preset builds from the same
/// parameters (at any size): the same groups, projections, inputs and wiring, the parameters'
/// step `dt_ms`, every group of `neurons` neurons, and the network's own consistency.
pub(super) fn check_image_network(
    preset: &str,
    (loaded, loaded_wiring): (&Network, ImageWiring),
    (fresh, fresh_wiring): (&Network, ImageWiring),
    dt_ms: f64,
    neurons: usize,
) -> std::result::Result<(), String> {
    if loaded.groups.len() != fresh.groups.len()
        || loaded.projections.len() != fresh.projections.len()
        || loaded.inputs.len() != fresh.inputs.len()
        || loaded_wiring != fresh_wiring
    {
        return Err(format!("network: not a {preset} assembly"));
    }
    if (loaded.dt_ms - dt_ms).abs() > 0.0 {
        return Err(format!(
            "network.dt_ms = {} differs from params.dt_ms",
            loaded.dt_ms
        ));
    }
    for (k, g) in loaded.groups.iter().enumerate() {
        g.check(&format!("network.groups[{k}]"), neurons)?;
    }
    loaded.check()
}

fn same_assembly(fresh: &Network, loaded: &Network) -> std::result::Result<(), String> {
    let shape = |n: &Network| {
        (
            n.groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            n.inputs.iter().map(|i| i.n).collect::<Vec<_>>(),
            n.projections
                .iter()
                .map(|p| (p.source, p.target))
                .collect::<Vec<_>>(),
        )
    };
    if shape(fresh) != shape(loaded) || (fresh.dt_ms - loaded.dt_ms).abs() > 0.0 {
        return Err("network: not the assembly its preset and parameters build".into());
    }
    loaded.check()
}

/// Sets the field `name` of a parameter struct to `value` through its serialised form;
/// unknown names list the valid ones (errors name the preset).
pub fn set_by_name<T>(params: &mut T, preset: &str, name: &str, value: f64) -> Result<()>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    crate::error::require_finite(name, value)?;
    let mut map = match serde_json::to_value(&*params).expect("plain struct") {
        serde_json::Value::Object(m) => m,
        _ => unreachable!("a struct serialises to an object"),
    };
    if !map.contains_key(name) {
        return Err(Error::UnknownParameter {
            name: name.to_string(),
            system: format!("preset {preset}"),
            valid: map.keys().cloned().collect::<Vec<_>>().join(", "),
        });
    }
    map.insert(name.to_string(), serde_json::json!(value));
    *params = serde_json::from_value(serde_json::Value::Object(map)).expect("same fields");
    Ok(())
}
