//! Preset `mesonet`: the poster's network — the split-and-merge assembly of `split-merge`
//! (NETWORKS.md §3) whose input synapses learn by the MesoNet rule
//! ([`crate::sim::plasticity::MesoStdp`]): triplet STDP with variable plasticity, synaptic
//! flipping and triangulated attribution, each switchable so that an ablation is one `--set`
//! (`variable_plasticity=0`, `flipping=0`, `epsilon=0`; all three off is split-merge, bit for
//! bit).
//!
//! Readings fixed where the poster leaves a choice (MODEL.md §5-6, docs/NETWORKS.md §3):
//! - η scales each STDP change of its synapse (w ← w + η Δ) and follows
//!   `τ_d dη/dt = −(η − η_min) + 1/(η_max − d)` exactly between the synapse's updates, the drive
//!   d held at its value since the last one (d = w by default, the poster's `w(Δt)` read as the
//!   weight; `drive = 1`: |Δ| of the last change, the window value); every η is brought up to
//!   date before weight normalisation. A drive at or above η_max is counted in the run's
//!   record (η is held there: the equation has no solution), never silently clamped; η_max at
//!   or below the largest drive the clipped weights can reach is refused.
//! - Flipping: weights are clipped to [−w_max, w_max]; a sign change resets η to 0; a negative
//!   weight subtracts from the excitatory conductance. Normalisation rescales Σ|w| to
//!   `weight_sum`.
//! - Attribution: this network has one plastic layer, so the Dijkstra path from the inputs
//!   that fired within `attribution_window_ms` to the neuron that fired is its cheapest
//!   candidate synapse (cost: the latency x*(w), Lambert W, with `latency_tau_ms`, `latency_w_c`); the
//!   candidate with the largest `η exp(−|w − w_path|/κ)` receives ε ν_post e^{−Δt/τ_pre}.

pub(super) mod params;

pub use params::{MechanismParams, MesoNetParams};

use super::SplitMerge;
use crate::error::Result;
use crate::sim::learner::{Learner, Response};
use crate::sim::network::Network;
use crate::sim::plasticity::{MesoEvents, Rule};

/// The network: a split-merge assembly with the MesoNet rule, and the mechanisms' values.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MesoNet {
    /// The assembly (its `params` are the split-merge part of the parameters).
    pub split_merge: SplitMerge,
    /// The mechanisms' values.
    pub mechanisms: MechanismParams,
}

impl MesoNet {
    /// The network for images of `shape` (weights and delays as split-merge's for `seed`).
    pub fn new(params: MesoNetParams, shape: (usize, usize, usize), seed: u64) -> Result<Self> {
        params.validate()?;
        let rule = Rule::Meso(params.rule());
        Ok(Self {
            split_merge: SplitMerge::with_rule(params.split_merge, shape, seed, rule)?,
            mechanisms: params.mechanisms,
        })
    }

    /// Every parameter.
    pub fn params(&self) -> MesoNetParams {
        MesoNetParams {
            split_merge: self.split_merge.params,
            mechanisms: self.mechanisms,
        }
    }

    /// What the rule counted (drives that reached η_max, flips, attributions).
    pub fn events(&self) -> MesoEvents {
        self.rule().events()
    }

    fn rule(&self) -> &crate::sim::plasticity::MesoStdp {
        let projection = &self.split_merge.network.projections[self.split_merge.wiring.normalized];
        match projection.plastic.as_ref().map(|p| &p.rule) {
            Some(Rule::Meso(r)) => r,
            _ => unreachable!("checked when built or loaded"),
        }
    }

    /// Checks a deserialised network of `neurons` neurons: parameters, the assembly, and the
    /// input projection's rule (the one its parameters make, counts aside).
    pub fn check(&self, neurons: usize) -> std::result::Result<(), String> {
        self.params()
            .validate()
            .map_err(|e| format!("network.params: {e}"))?;
        self.split_merge.check(neurons)?;
        let projection = &self.split_merge.network.projections[self.split_merge.wiring.normalized];
        match projection.plastic.as_ref().map(|p| &p.rule) {
            Some(Rule::Meso(r)) => {
                let fresh = self.params().rule();
                if (r.stdp, r.eta, r.flipping, r.attribution)
                    != (fresh.stdp, fresh.eta, fresh.flipping, fresh.attribution)
                {
                    return Err("network: the input rule differs from its parameters".into());
                }
                Ok(())
            }
            _ => Err("network: not a mesonet assembly (input rule)".into()),
        }
    }
}

impl Learner for MesoNet {
    fn preset(&self) -> &'static str {
        "mesonet"
    }

    fn input_shape(&self) -> Option<(usize, usize, usize)> {
        self.split_merge.input_shape()
    }

    fn outputs(&self) -> usize {
        self.split_merge.outputs()
    }

    fn present(&mut self, sample: &[u8], learn: bool, stream: u64) -> Response {
        self.split_merge.present(sample, learn, stream)
    }

    fn network(&self) -> &Network {
        self.split_merge.network()
    }

    fn network_mut(&mut self) -> &mut Network {
        self.split_merge.network_mut()
    }

    fn set_plastic_state(&mut self, x: &[f64]) -> Result<()> {
        self.split_merge.set_plastic_state(x)
    }

    fn receptive_fields(&self) -> Option<Vec<Vec<f64>>> {
        self.split_merge.receptive_fields()
    }

    fn weight_bounds(&self) -> (f64, f64) {
        let rule = self.rule();
        (rule.stdp.w_min, rule.stdp.w_max)
    }
}

#[cfg(test)]
mod tests;
