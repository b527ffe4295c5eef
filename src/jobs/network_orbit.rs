//! Bifurcation diagrams from simulation (NETWORKS.md §5): for each value of one preset
//! parameter, a fresh network learns through `transient` presentations, then a scalar
//! observable of its learning state is recorded after each of `samples` more; the cloud of
//! observations over the parameter is drawn with the network's Lyapunov exponent of learning
//! (two copies, common random numbers) in a panel beneath, on the same axis — the simulated
//! twin of the reduced maps' orbit diagrams.
//!
//! Each value's seed derives from the run seed and the value's index and its network runs on
//! one thread, so results do not depend on threads or shards ([`super::shard`]).

use super::shard::{Part, Shard};
use crate::analysis::Grid;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::figures::bifurcation::{bifurcation, BifurcationFigure};
use crate::figures::line::RefLine;
use crate::output::{csv_number, write_csv, write_json};
use crate::sim::learning_map::{learning_lyapunov, LearningCopy, LearningStatus};
use crate::sim::presets::{Preset, PresetSpec};
use crate::sim::stream_seed;
use crate::sim::Learner;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// The data file's name (and the kind `mesonet merge` recognises).
pub const KIND: &str = "network-orbit";
/// Stream tag of the values' seeds.
const VALUE_TAG: u64 = 0x6e6f;

/// What is recorded of the learning state after each presentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observable {
    /// Component K of the learning state (the K-th plastic weight, in the network's order).
    Weight(usize),
    /// The mean weight onto output neuron J from the input (its receptive field's mean).
    Neuron(usize),
    /// The projection of the recorded learning states on their first principal direction
    /// (uncentred second moment; sign such that the projections' mean is positive).
    Pc1,
}

impl Observable {
    /// Parses `weight:K`, `neuron:J` or `pc1`; errors name the field `observable`.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = || Error::InvalidParameter {
            name: "observable".into(),
            value: text.into(),
            requirement: "weight:K (component K of the learning state), neuron:J (mean input \
                          weight of output neuron J) or pc1"
                .into(),
        };
        if text == "pc1" {
            return Ok(Self::Pc1);
        }
        let (kind, k) = text.split_once(':').ok_or_else(bad)?;
        let k: usize = k.parse().map_err(|_| bad())?;
        match kind {
            "weight" => Ok(Self::Weight(k)),
            "neuron" => Ok(Self::Neuron(k)),
            _ => Err(bad()),
        }
    }

    /// The observable of `learner`'s current state (Pc1: the whole state, projected later).
    fn read<L: Learner>(&self, learner: &L) -> Result<Vec<f64>> {
        match *self {
            Self::Weight(k) => {
                let state = learner.plastic_state();
                let v = state.get(k).ok_or_else(|| {
                    Error::invalid(
                        "observable",
                        k as f64,
                        &format!(
                            "weight:K with K < {} (the learning state's length)",
                            state.len()
                        ),
                    )
                })?;
                Ok(vec![*v])
            }
            Self::Neuron(j) => {
                let fields = learner.receptive_fields().ok_or_else(|| {
                    Error::invalid(
                        "observable",
                        j as f64,
                        "weight:K or pc1 (this preset has no input receptive fields)",
                    )
                })?;
                let field = fields.get(j).ok_or_else(|| {
                    Error::invalid(
                        "observable",
                        j as f64,
                        &format!("neuron:J with J < {} (the output neurons)", fields.len()),
                    )
                })?;
                Ok(vec![field.iter().sum::<f64>() / field.len().max(1) as f64])
            }
            Self::Pc1 => Ok(learner.plastic_state()),
        }
    }
}

impl std::fmt::Display for Observable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Weight(k) => write!(f, "weight:{k}"),
            Self::Neuron(j) => write!(f, "neuron:{j}"),
            Self::Pc1 => write!(f, "pc1"),
        }
    }
}

impl serde::Serialize for Observable {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for Observable {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A simulated orbit diagram, validated.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NetworkOrbitPlan {
    /// The preset.
    pub preset: String,
    /// Output neurons (None: the preset's default).
    pub neurons: Option<usize>,
    /// The swept parameter's values.
    pub param: Grid,
    /// The other parameters given.
    pub set: BTreeMap<String, f64>,
    /// What is recorded.
    pub observable: Observable,
    /// Presentations before recording.
    pub transient: usize,
    /// Presentations recorded.
    pub samples: usize,
    /// Presentations averaged by the Lyapunov measurement after them.
    pub lyapunov_samples: usize,
    /// Relative initial separation of the two copies.
    pub d0_relative: f64,
    /// Run seed.
    pub seed: u64,
}

/// The orbit at one parameter value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OrbitValue {
    /// Index of the value.
    pub index: usize,
    /// The parameter's value.
    pub value: f64,
    /// The network's seed.
    pub seed: u64,
    /// The observable after each recorded presentation.
    pub samples: Vec<f64>,
    /// Lyapunov exponent of learning after them (None: the copies merged, −∞).
    pub lambda: Option<f64>,
    /// Its standard error.
    pub lambda_stderr: f64,
    /// How the two copies ended.
    pub status: LearningStatus,
}

/// What a (whole or sharded) run writes.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NetworkOrbitData {
    /// Always [`KIND`].
    pub kind: String,
    /// The plan.
    pub plan: NetworkOrbitPlan,
    /// The shard this file holds (None: every value).
    pub shard: Option<Shard>,
    /// The values, by index.
    pub values: Vec<OrbitValue>,
    /// The build that computed them.
    pub commit: String,
}

impl NetworkOrbitPlan {
    /// Checks everything that does not need the data.
    pub fn validate(&self) -> Result<()> {
        Preset::check_name(&self.preset)?;
        if self.set.contains_key(&self.param.name) {
            return Err(Error::InvalidParameter {
                name: "set".into(),
                value: self.param.name.clone(),
                requirement: "not the swept parameter".into(),
            });
        }
        if self.samples < 1 {
            return Err(Error::invalid("samples", 0.0, ">= 1"));
        }
        crate::sim::learning_map::check_lyapunov_sizes(
            "lyapunov-samples",
            self.lyapunov_samples,
            self.d0_relative,
        )?;
        if self.observable == Observable::Pc1 && self.samples < 2 {
            return Err(Error::invalid(
                "samples",
                self.samples as f64,
                ">= 2 for pc1",
            ));
        }
        for value in &self.param.values {
            let mut set = self.set.clone();
            set.insert(self.param.name.clone(), *value);
            Preset::params_json(&self.preset, &set)?;
        }
        Ok(())
    }

    /// Checks the observable against the network of the first value (before any long run).
    pub fn validate_observable(&self, data: Option<&Dataset>) -> Result<()> {
        let learner = self.learner(0, data.map(|d| (d.rows, d.cols, d.channels)))?;
        self.observable.read(&learner).map(|_| ())
    }

    /// The network of value `index` on samples of `shape` (None: no images).
    fn learner(&self, index: usize, shape: Option<(usize, usize, usize)>) -> Result<Preset> {
        let mut set = self.set.clone();
        set.insert(self.param.name.clone(), self.param.values[index]);
        let neurons = match (self.neurons, shape) {
            (Some(n), _) => n,
            (None, Some(shape)) => Preset::default_neurons(&self.preset, &set, shape)?,
            (None, None) if self.preset == "poisson-layer" => 10,
            (None, None) if self.preset == "noise-mesonet" => 3,
            (None, None) => 1,
        };
        let spec = PresetSpec {
            name: self.preset.clone(),
            neurons,
            set,
            seed: stream_seed(&[self.seed, VALUE_TAG, index as u64]),
        };
        let mut learner = Preset::build(&spec, shape)?;
        learner.network_mut().set_threads(1);
        Ok(learner)
    }
}

/// The uncentred first principal direction's projections of `states` (one row per recorded
/// presentation): √λ₁ u, u the leading eigenvector of the Gram matrix X Xᵀ (power iteration),
/// signed so that their mean is positive.
pub fn pc1_projections(states: &[Vec<f64>]) -> Vec<f64> {
    let n = states.len();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let gram: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| dot(&states[i], &states[j])).collect())
        .collect();
    let mut u = vec![1.0 / (n as f64).sqrt(); n];
    let mut eigenvalue = 0.0;
    for _ in 0..1000 {
        let next: Vec<f64> = gram.iter().map(|row| dot(row, &u)).collect();
        let norm = dot(&next, &next).sqrt();
        if norm == 0.0 {
            return vec![0.0; n];
        }
        let next: Vec<f64> = next.iter().map(|v| v / norm).collect();
        let change = next
            .iter()
            .zip(&u)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        u = next;
        eigenvalue = norm;
        if change < 1e-14 {
            break;
        }
    }
    let sign = if u.iter().sum::<f64>() < 0.0 {
        -1.0
    } else {
        1.0
    };
    u.iter().map(|v| sign * eigenvalue.sqrt() * v).collect()
}

/// Runs value `index`: transient, recorded presentations, then the Lyapunov measurement.
fn run_value(plan: &NetworkOrbitPlan, index: usize, data: Option<&Dataset>) -> Result<OrbitValue> {
    let shape = data.map(|d| (d.rows, d.cols, d.channels));
    let learner = plan.learner(index, shape)?;
    let seed = stream_seed(&[plan.seed, VALUE_TAG, index as u64]);
    let mut copy = LearningCopy::new(learner, data, seed);
    use crate::analysis::two_copy::Evolving;
    for n in 0..plan.transient {
        copy.advance(n);
    }
    let mut recorded = Vec::with_capacity(plan.samples);
    for n in plan.transient..plan.transient + plan.samples {
        copy.advance(n);
        recorded.push(plan.observable.read(&copy.learner)?);
    }
    let samples = match plan.observable {
        Observable::Pc1 => pc1_projections(&recorded),
        _ => recorded.into_iter().map(|v| v[0]).collect(),
    };
    let lyapunov = learning_lyapunov(
        &copy.learner,
        data,
        (0, plan.lyapunov_samples),
        plan.d0_relative,
        seed,
    );
    Ok(OrbitValue {
        index,
        value: plan.param.values[index],
        seed,
        samples,
        lambda: lyapunov.lambda,
        lambda_stderr: lyapunov.stderr,
        status: lyapunov.status,
    })
}

/// Runs a spec's sweep (kind `network_orbit`) into `dir`: every value, the data file under
/// the plan's name and the figure.
pub fn run(
    plan: &crate::spec::Plan,
    job: &crate::spec::NetworkOrbitJob,
    dir: &Path,
    progress: &super::Progress,
) -> Result<NetworkOrbitData> {
    let orbit = &job.orbit;
    let data = if Preset::takes_images(&orbit.preset) {
        let dir = super::network_heatmap::spec_data_dir(&job.data)?;
        Some(crate::data::load_splits(&dir)?.0)
    } else {
        None
    };
    orbit.validate_observable(data.as_ref())?;
    (progress.start)(orbit.param.len() as u64);
    let values = run_values(orbit, Shard::WHOLE, data.as_ref(), progress.tick)?;
    let result = NetworkOrbitData::new(
        orbit.clone(),
        Shard::WHOLE,
        values,
        crate::output::build_commit(),
    );
    result.write(dir)?;
    super::name_data_file(plan, dir, KIND)?;
    Ok(result)
}

/// Runs the values of `shard` in parallel on the current rayon pool.
pub fn run_values(
    plan: &NetworkOrbitPlan,
    shard: Shard,
    data: Option<&Dataset>,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<OrbitValue>> {
    shard
        .cells(plan.param.len())
        .into_par_iter()
        .map(|index| {
            let v = run_value(plan, index, data);
            tick();
            v
        })
        .collect()
}

impl NetworkOrbitData {
    /// The data of a run computed by build `commit`.
    pub fn new(
        plan: NetworkOrbitPlan,
        shard: Shard,
        values: Vec<OrbitValue>,
        commit: &str,
    ) -> Self {
        Self {
            kind: KIND.into(),
            plan,
            shard: (!shard.is_whole()).then_some(shard),
            values,
            commit: commit.into(),
        }
    }

    /// Joins the shards of one plan into the data of the whole run.
    pub fn merge(parts: Vec<(String, NetworkOrbitData)>) -> Result<Self> {
        let parts = parts
            .into_iter()
            .map(|(name, d)| Part {
                name,
                plan: d.plan,
                shard: d.shard,
                commit: d.commit,
                cells: d.values,
            })
            .collect();
        let (plan, commit, values) = super::shard::join(
            parts,
            |v: &OrbitValue| v.index,
            |p: &NetworkOrbitPlan| p.param.len(),
        )?;
        for v in &values {
            let seed = stream_seed(&[plan.seed, VALUE_TAG, v.index as u64]);
            if v.value.to_bits() != plan.param.values[v.index].to_bits() || v.seed != seed {
                return Err(Error::InvalidParameter {
                    name: "merge".into(),
                    value: format!("value {}", v.index),
                    requirement: "the plan's parameter value and seed for its index".into(),
                });
            }
        }
        Ok(Self::new(plan, Shard::WHOLE, values, &commit))
    }

    /// Writes `<KIND>.json`, `orbit.csv` (one row per recorded sample) and `lambda.csv`, and
    /// for a whole run the figure. Returns the files written.
    pub fn write(&self, dir: &Path) -> Result<Vec<String>> {
        let json = serde_json::to_value(self).expect("plain data serialises");
        write_json(&dir.join(format!("{KIND}.json")), &json)?;
        let name = self.plan.param.name.as_str();
        let observable = self.plan.observable.to_string();
        write_csv(
            &dir.join("orbit.csv"),
            &[name, "sample", &observable],
            self.values.iter().flat_map(|v| {
                v.samples
                    .iter()
                    .enumerate()
                    .map(move |(k, o)| vec![csv_number(v.value), k.to_string(), csv_number(*o)])
            }),
        )?;
        write_csv(
            &dir.join("lambda.csv"),
            &[name, "lambda", "lambda_stderr", "status"],
            self.values.iter().map(|v| {
                vec![
                    csv_number(v.value),
                    csv_number(v.lambda.unwrap_or(f64::NAN)),
                    csv_number(v.lambda_stderr),
                    v.status.as_str().to_string(),
                ]
            }),
        )?;
        let mut files = vec![
            format!("{KIND}.json"),
            "orbit.csv".into(),
            "lambda.csv".into(),
        ];
        if self.shard.is_none() {
            self.figure(dir, &[])?;
            files.extend(["orbit.png".into(), "orbit.svg".into()]);
        }
        Ok(files)
    }

    /// The orbit cloud with λ beneath, with reference lines `vlines`, into `dir/orbit`.
    pub fn figure(&self, dir: &Path, vlines: &[RefLine]) -> Result<()> {
        let p = &self.plan;
        bifurcation(
            &BifurcationFigure {
                title: format!(
                    "Simulated orbit diagram — {}, {} after {} presentations",
                    p.preset, p.observable, p.transient
                ),
                param_label: p.param.name.clone(),
                state_label: p.observable.to_string(),
                orbit: self
                    .values
                    .iter()
                    .flat_map(|v| v.samples.iter().map(move |&o| (v.value, o)))
                    .collect(),
                status: self
                    .values
                    .iter()
                    .map(|v| (v.value, v.status.orbit_status()))
                    .collect(),
                lyapunov: Some(
                    self.values
                        .iter()
                        .map(|v| (v.value, v.lambda.unwrap_or(f64::NEG_INFINITY)))
                        .collect(),
                ),
                lyapunov_label: "λ of learning (per presentation)".into(),
                vlines: vlines.to_vec(),
                branches: Vec::new(),
                markers: Vec::new(),
                status_names: super::network_heatmap::LEARNING_STATUS_NAMES,
            },
            &dir.join("orbit"),
        )
    }

    /// A few lines with the numbers.
    pub fn text(&self) -> String {
        let mut t = format!(
            "{} of {} values of {} ({}), {} samples each",
            self.values.len(),
            self.plan.param.len(),
            self.plan.param.name,
            self.plan.observable,
            self.plan.samples
        );
        if let Some(s) = &self.shard {
            t.push_str(&format!(", shard {s}"));
        }
        t.push('\n');
        for v in &self.values {
            let (lo, hi) = v
                .samples
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                    (a.min(x), b.max(x))
                });
            t.push_str(&format!(
                "  {} = {}: observable in [{lo:.6}, {hi:.6}], λ = {}\n",
                self.plan.param.name,
                v.value,
                v.lambda.map_or("−∞".to_string(), |l| format!(
                    "{l:.4} ± {:.4}",
                    v.lambda_stderr
                ))
            ));
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observables_parse_and_refuse_naming_the_field() {
        assert_eq!(
            Observable::parse("weight:3").unwrap(),
            Observable::Weight(3)
        );
        assert_eq!(
            Observable::parse("neuron:0").unwrap(),
            Observable::Neuron(0)
        );
        assert_eq!(Observable::parse("pc1").unwrap(), Observable::Pc1);
        for bad in ["weight", "weight:-1", "w:1", "pc2", ""] {
            assert!(Observable::parse(bad)
                .unwrap_err()
                .to_string()
                .contains("observable"));
        }
    }

    #[test]
    fn pc1_of_a_two_cycle_separates_its_two_points() {
        // States alternating between a and b = a + small change: the leading direction is
        // about a's; the projections alternate between two values, and for a constant state
        // they are its norm.
        let a = vec![3.0, 4.0, 0.0];
        let b = vec![3.0, 4.0, 0.5];
        let states: Vec<Vec<f64>> = (0..6)
            .map(|k| if k % 2 == 0 { a.clone() } else { b.clone() })
            .collect();
        let p = pc1_projections(&states);
        assert!((p[0] - p[2]).abs() < 1e-9 && (p[1] - p[3]).abs() < 1e-9);
        assert!((p[0] - p[1]).abs() > 1e-3);
        let constant = pc1_projections(&vec![a.clone(); 4]);
        for v in constant {
            assert!((v - 5.0).abs() < 1e-12, "{v}");
        }
    }
}

#[cfg(test)]
mod pair_tests {
    use super::*;
    use crate::analysis::two_copy::Evolving;

    /// At a stable fixed point of the simulated pair, the two-copy exponent equals the rate at
    /// which a small perturbation of w relaxes (the slowest mode of the whole system, synapse
    /// and neuron state together), measured here without renormalisation or a second method.
    #[test]
    fn the_two_copy_exponent_is_the_relaxation_rate_of_a_perturbation() {
        let plan = NetworkOrbitPlan {
            preset: "pair".into(),
            neurons: None,
            param: Grid::linspace("eta", 0.5, 0.5, 1).unwrap(),
            set: BTreeMap::new(),
            observable: Observable::Weight(0),
            transient: 500,
            samples: 5,
            lyapunov_samples: 1000,
            d0_relative: 1e-8,
            seed: 1,
        };
        plan.validate().unwrap();
        let value = run_value(&plan, 0, None).unwrap();
        let lambda = value.lambda.unwrap();
        assert!(
            (value.samples[0] - value.samples[4]).abs() < 1e-12,
            "a fixed point"
        );
        // The orbit's own state, then a copy with w moved by 1e-6.
        let seed = stream_seed(&[plan.seed, VALUE_TAG, 0]);
        let mut reference = LearningCopy::new(plan.learner(0, None).unwrap(), None, seed);
        let n0 = plan.transient + plan.samples;
        for n in 0..n0 {
            reference.advance(n);
        }
        let mut perturbed = reference.clone();
        let mut x = perturbed.state();
        x[0] += 1e-6;
        perturbed.set_state(&x);
        let mut distance = Vec::new();
        for n in n0..n0 + 16 {
            reference.advance(n);
            perturbed.advance(n);
            distance.push((perturbed.state()[0] - reference.state()[0]).abs());
        }
        let relaxation = (distance[15] / distance[5]).ln() / 10.0;
        assert!(
            (lambda - relaxation).abs() < 1e-3 * lambda.abs(),
            "two-copy λ = {lambda}, relaxation rate {relaxation}"
        );
    }
}
