//! Every parameter of the `mesonet` preset: those of `split-merge` and those of the poster's
//! mechanisms (variable plasticity, flipping, triangulated attribution), in one flat list of
//! `--set` names.

use super::super::checks;
use super::super::SplitMergeParams;
use crate::error::{require_finite, require_non_negative, require_positive, Error, Result};
use crate::model::variable_plasticity::Drive;
use crate::sim::plasticity::{AttributionParams, EtaDynamics, MesoStdp};

/// The mechanisms' parameters, by the names scripts use.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MechanismParams {
    /// 1: variable plasticity on (an η per synapse scaling its updates); 0: η ≡ 1.
    pub variable_plasticity: f64,
    /// η_min, the rate η relaxes to without drive.
    pub eta_min: f64,
    /// η_max: must exceed every drive the weights can reach.
    pub eta_max: f64,
    /// τ_d, the decay time of η (ms).
    pub tau_d: f64,
    /// 0: d = w; 1: d = |Δ| of the synapse's last STDP change, before η scales it (the window
    /// value).
    pub drive: f64,
    /// 1: signed weights, a sign change flips the synapse and resets its η to 0.
    pub flipping: f64,
    /// κ of the attribution's relevance (> 0).
    pub kappa: f64,
    /// ε, the attribution gain (0: attribution off, exactly).
    pub epsilon: f64,
    /// Attribution candidates arrived at most this long before the spike (ms).
    pub attribution_window_ms: f64,
    /// τ_m of the spike latency x*(w) (Theorem 1's first crossing, Lambert W) that prices the
    /// attribution graph's edges (ms).
    pub latency_tau_ms: f64,
    /// w_c of that latency: a weaker synapse cannot fire its neuron alone (no edge).
    pub latency_w_c: f64,
}

impl Default for MechanismParams {
    /// Every mechanism on. η_min = 0.5 and η_max = 2 keep η* = η_min + 1/(η_max − w) in
    /// [1, 1.5] over the weights' range [0, 1], so the triplet rule's rates stay those of
    /// split-merge at w = 0; τ_d = 350 ms, one input phase. Attribution: ε = 1 (one triplet
    /// potentiation), κ = 0.1 (a tenth of the weight range), a 20 ms window (τ_pre), latency
    /// τ_m = 20 ms and w_c = 0.1, the mean weight of a 28 × 28 field (78.4 / 784; of a
    /// 16 × 16 field, 0.31).
    fn default() -> Self {
        Self {
            variable_plasticity: 1.0,
            eta_min: 0.5,
            eta_max: 2.0,
            tau_d: 350.0,
            drive: 0.0,
            flipping: 1.0,
            kappa: 0.1,
            epsilon: 1.0,
            attribution_window_ms: 20.0,
            latency_tau_ms: 20.0,
            latency_w_c: 0.1,
        }
    }
}

/// Every parameter of the preset: split-merge's and the mechanisms' (one flat JSON object).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MesoNetParams {
    /// The split-and-merge network's.
    pub split_merge: SplitMergeParams,
    /// The mechanisms'.
    pub mechanisms: MechanismParams,
}

impl serde::Serialize for MesoNetParams {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        serialize_flat(&self.split_merge, &self.mechanisms, s)
    }
}

impl<'de> serde::Deserialize<'de> for MesoNetParams {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let (split_merge, mechanisms) = deserialize_flat(d)?;
        Ok(Self {
            split_merge,
            mechanisms,
        })
    }
}

/// A network's parameters and the mechanisms' as one flat JSON object (the `--set` names).
pub(in crate::sim::presets) fn serialize_flat<N: serde::Serialize, S: serde::Serializer>(
    network: &N,
    mechanisms: &MechanismParams,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::Serialize;
    let mut all = serde_json::to_value(network).map_err(serde::ser::Error::custom)?;
    let mechanisms = serde_json::to_value(mechanisms).map_err(serde::ser::Error::custom)?;
    let (Some(all_map), Some(m)) = (all.as_object_mut(), mechanisms.as_object()) else {
        return Err(serde::ser::Error::custom("parameters are structs"));
    };
    all_map.extend(m.clone());
    all.serialize(s)
}

/// Splits a flat object by the mechanisms' names; each part keeps its unknown-field check.
pub(in crate::sim::presets) fn deserialize_flat<'de, N, D>(
    d: D,
) -> std::result::Result<(N, MechanismParams), D::Error>
where
    N: serde::de::DeserializeOwned,
    D: serde::Deserializer<'de>,
{
    use serde::Deserialize;
    let all = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
    let names =
        serde_json::to_value(MechanismParams::default()).map_err(serde::de::Error::custom)?;
    let names = names.as_object().expect("a struct");
    let (mechanisms, network): (serde_json::Map<_, _>, serde_json::Map<_, _>) =
        all.into_iter().partition(|(k, _)| names.contains_key(k));
    Ok((
        serde_json::from_value(network.into()).map_err(serde::de::Error::custom)?,
        serde_json::from_value(mechanisms.into()).map_err(serde::de::Error::custom)?,
    ))
}

impl MechanismParams {
    /// Checks every value's domain; `largest_drive` is the largest drive the network's
    /// synapses can reach for a drive code, and what bounds it (η_max must exceed it).
    pub fn validate(&self, largest_drive: impl Fn(Drive) -> (f64, &'static str)) -> Result<()> {
        let m = self;
        checks::switch("variable_plasticity", m.variable_plasticity)?;
        checks::switch("flipping", m.flipping)?;
        let drive = Drive::from_code(m.drive)?;
        for (name, v) in [
            ("tau_d", m.tau_d),
            ("kappa", m.kappa),
            ("attribution_window_ms", m.attribution_window_ms),
            ("latency_tau_ms", m.latency_tau_ms),
            ("latency_w_c", m.latency_w_c),
        ] {
            require_positive(name, v)?;
        }
        require_non_negative("eta_min", m.eta_min)?;
        require_non_negative("epsilon", m.epsilon)?;
        require_finite("eta_max", m.eta_max)?;
        let (reach, what) = largest_drive(drive);
        if m.eta_max <= reach {
            return Err(Error::invalid(
                "eta_max",
                m.eta_max,
                &format!("> {reach}, the largest drive the synapses can reach ({what})"),
            ));
        }
        Ok(())
    }

    /// The MesoNet rule around the triplet rule `stdp` (its clip widened to [−w_max, w_max]
    /// with flipping), η advanced by steps of `dt_ms` (validated parameters).
    pub fn rule(&self, mut stdp: crate::sim::TripletStdp, dt_ms: f64) -> MesoStdp {
        let m = self;
        let flipping = checks::switch("flipping", m.flipping).expect("validated");
        if flipping {
            stdp.w_min = -stdp.w_max;
        }
        let variable = checks::switch("variable_plasticity", m.variable_plasticity);
        let eta = variable.expect("validated").then(|| EtaDynamics {
            eta_min: m.eta_min,
            eta_max: m.eta_max,
            tau_d_ms: m.tau_d,
            drive: Drive::from_code(m.drive).expect("validated"),
            dt_ms,
        });
        let attribution = (m.epsilon > 0.0).then_some(AttributionParams {
            epsilon: m.epsilon,
            kappa: m.kappa,
            window_ms: m.attribution_window_ms,
            latency_tau_ms: m.latency_tau_ms,
            latency_w_c: m.latency_w_c,
        });
        MesoStdp::new(stdp, eta, flipping, attribution)
    }
}

impl MesoNetParams {
    /// Checks every value's domain: split-merge's, then the mechanisms'.
    pub fn validate(&self) -> Result<()> {
        self.split_merge.validate()?;
        self.mechanisms
            .validate(|drive| largest_drive(&self.split_merge.rule(), drive))
    }

    /// The input projection's rule (validated parameters).
    pub fn rule(&self) -> MesoStdp {
        self.mechanisms
            .rule(self.split_merge.rule(), self.split_merge.dt_ms)
    }
}

/// The largest drive a triplet rule's updates can produce, and what bounds it: its `w_max` for
/// d = w (weights are clipped to it; normalisation can still lift one above, which the run
/// counts); max(ν_pre, ν_post) for the window drive (every trace is at most 1).
pub(in crate::sim::presets) fn largest_drive(
    stdp: &crate::sim::TripletStdp,
    drive: Drive,
) -> (f64, &'static str) {
    match drive {
        Drive::Weight => (stdp.w_max, "w_max"),
        Drive::Window => (
            stdp.nu_pre.max(stdp.nu_post),
            "the larger of nu_pre and nu_post",
        ),
    }
}
