//! `kind: "spectrum"`: eigenvalues of a large random, synapse-layer or network matrix.

use std::collections::BTreeMap;

use super::{param_set, QuickSizes};
use crate::analysis::spectrum::Backend;
use crate::error::{require_positive, Error, Result};
use crate::model::many_synapse::{Layer, LayerParams};
use crate::registry::{ParamSet, SystemKind};
use crate::sim::presets::PoissonLayerParams;
use crate::spec::plan::{PlanKind, SpectrumPlan};

spec_body! {
    /// `kind: "spectrum"` — eigenvalues of a large matrix against the semicircle and the
    /// circular/elliptic laws: a symmetric Gaussian (`goe`), an i.i.d. Gaussian (`iid`), the
    /// Jacobian of the reduced many-synapse layer at its fixed point (`synapses`, MODEL.md §7),
    /// or of a simulated network's learning return map (`network`: `inputs_per_post` Poisson
    /// inputs → `posts` LIF neurons, finite differences with common random numbers).
    pub struct SpectrumSpec {
        /// `goe`, `iid` or `synapses`.
        pub matrix: String,
        /// Matrix size for `goe` / `iid`.
        #[serde(default)]
        pub n: usize,
        /// Post neurons of the layer (`synapses`).
        #[serde(default)]
        pub posts: usize,
        /// Inputs per post neuron (`synapses`).
        #[serde(default)]
        pub inputs_per_post: usize,
        /// Largest pairing offset in ms (`synapses`).
        #[serde(default)]
        pub d_max: f64,
        /// Learning rate (`synapses`).
        #[serde(default = "default_layer_eta")]
        pub eta: f64,
        /// Synapse parameters overriding the defaults (`synapses`; θ defaults to
        /// `inputs_per_post` × the 1:1 synapse's θ).
        #[serde(default)]
        pub set: BTreeMap<String, f64>,
        /// Seed of the matrix or of the offsets.
        #[serde(default)]
        pub seed: u64,
        /// `nalgebra` (default) or `lapack`.
        #[serde(default = "default_backend")]
        pub backend: String,
        /// Charge per unit weight of one input spike (`network`).
        #[serde(default = "default_charge")]
        pub charge: f64,
    }
}

fn default_layer_eta() -> f64 {
    0.05
}

fn default_charge() -> f64 {
    8.0
}

fn default_backend() -> String {
    "nalgebra".into()
}

/// The matrix of a spectrum plan.
#[derive(Debug, Clone)]
pub enum SpectrumMatrix {
    /// Symmetric, off-diagonal N(0, 1/n), diagonal N(0, 2/n).
    Goe {
        /// Size.
        n: usize,
    },
    /// I.i.d. N(0, 1/n).
    Iid {
        /// Size.
        n: usize,
    },
    /// The many-synapse layer's Jacobian at its fixed point.
    Synapses(LayerParams),
    /// The learning map of a small simulated network (preset `layer`): its Jacobian by
    /// finite differences with common random numbers where the iteration has settled.
    Network {
        /// The network's parameters.
        layer: PoissonLayerParams,
        /// Its neurons.
        posts: usize,
        /// Seed of the input trains (one fixed stream: common random numbers).
        seed: u64,
    },
}

impl SpectrumSpec {
    /// Validates into a plan body; `q.points` replaces n (goe, iid) or the post count.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let backend = Backend::parse(&s.backend)?.available()?;
        let sized = |n: usize, name: &str| -> Result<usize> {
            let n = q.points.unwrap_or(n);
            if n < 2 {
                return Err(Error::invalid(name, n as f64, ">= 2"));
            }
            Ok(n)
        };
        let matrix = match s.matrix.as_str() {
            "goe" => SpectrumMatrix::Goe {
                n: sized(s.n, "n")?,
            },
            "iid" => SpectrumMatrix::Iid {
                n: sized(s.n, "n")?,
            },
            "synapses" => {
                if s.inputs_per_post == 0 {
                    return Err(Error::invalid("inputs_per_post", 0.0, ">= 1"));
                }
                // Unless set, θ = n_in × the 1:1 synapse's θ: each input then carries the 1:1
                // synapse's share of the threshold, and the layer has a fixed point.
                let mut set = s.set.clone();
                let default_theta = ParamSet::defaults(SystemKind::SynapseMap).get("theta")?;
                set.entry("theta".into())
                    .or_insert(default_theta * s.inputs_per_post as f64);
                let params = param_set(SystemKind::SynapseMap, &set)?;
                let layer = LayerParams {
                    synapse: params.synapse_params()?,
                    eta: s.eta,
                    posts: sized(s.posts, "posts")?,
                    inputs_per_post: s.inputs_per_post,
                    d_max_ms: s.d_max,
                    seed: s.seed,
                };
                Layer::new(layer)?;
                SpectrumMatrix::Synapses(layer)
            }
            "network" => {
                if s.inputs_per_post == 0 {
                    return Err(Error::invalid("inputs_per_post", 0.0, ">= 1"));
                }
                let layer = PoissonLayerParams {
                    inputs: s.inputs_per_post as f64,
                    charge: require_positive("charge", s.charge)?,
                    eta: require_positive("eta", s.eta)?,
                    ..PoissonLayerParams::default()
                };
                layer.validate()?;
                SpectrumMatrix::Network {
                    layer,
                    posts: sized(s.posts, "posts")?,
                    seed: s.seed,
                }
            }
            other => {
                return Err(Error::InvalidParameter {
                    name: "matrix".into(),
                    value: other.into(),
                    requirement: "goe, iid, synapses or network".into(),
                })
            }
        };
        Ok(PlanKind::Spectrum(SpectrumPlan {
            matrix,
            seed: s.seed,
            backend,
        }))
    }
}
