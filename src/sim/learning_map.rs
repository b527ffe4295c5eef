//! A network's learning seen by the analysis core (STYLE: "a trained network seen through its
//! learning map is just another Map").
//!
//! * [`LearningMap`]: the learning state before a fixed block of presentations ↦ the state
//!   after it, every presentation under its fixed random stream (common random numbers) and
//!   from the same non-learning state (membranes, traces): an [`crate::analysis::Map`], so fixed
//!   points, finite-difference Jacobians and their spectra apply to any learner.
//! * [`LearningCopy`]: one copy of a learner going through a sequence of samples (sample n
//!   under stream (seed, n)), an [`Evolving`] system: the two-copy method measures the
//!   Lyapunov exponent of learning (NETWORKS.md §5) — two copies with identical input spikes,
//!   learning states d0 apart, Benettin renormalisation when their distance leaves a band.

use super::learner::{stream_seed, Learner};
use crate::analysis::two_copy::{two_copy, Evolving, Renormalise, TwoCopy};
use crate::analysis::Map;
use crate::data::Dataset;
use crate::error::{Error, Result};

/// The learning map of a learner over a fixed block of samples.
#[derive(Debug, Clone)]
pub struct LearningMap<L> {
    base: L,
    block: Vec<(Vec<u8>, u64)>,
}

impl<L: Learner> LearningMap<L> {
    /// The map that presents `block` — (sample, stream) pairs, in order — to `base` with
    /// learning on, starting each evaluation from `base`'s state with the learning state
    /// replaced.
    pub fn new(base: L, block: Vec<(Vec<u8>, u64)>) -> Self {
        Self { base, block }
    }

    /// The learner it starts from.
    pub fn base(&self) -> &L {
        &self.base
    }
}

impl<L: Learner> Map for LearningMap<L> {
    fn dim(&self) -> usize {
        self.base.network().plastic_state_len()
    }

    fn step(&self, x: &[f64], out: &mut [f64]) {
        let mut learner = self.base.clone();
        if learner.set_plastic_state(x).is_err() {
            out.fill(f64::NAN);
            return;
        }
        for (sample, stream) in &self.block {
            learner.present(sample, true, *stream);
        }
        out.copy_from_slice(&learner.plastic_state());
    }

    /// Clipping and spike-count changes make the map only piecewise smooth.
    fn is_smooth(&self) -> bool {
        false
    }
}

/// One copy of a learner going through samples `samples[n mod len]` (or empty samples for a
/// learner without input) with the stream (seed, n) for presentation n.
#[derive(Debug, Clone)]
pub struct LearningCopy<'a, L> {
    /// The learner.
    pub learner: L,
    samples: Option<&'a Dataset>,
    seed: u64,
}

impl<'a, L: Learner> LearningCopy<'a, L> {
    /// A copy of `learner` fed from `samples` (None: the learner's input is built in).
    pub fn new(learner: L, samples: Option<&'a Dataset>, seed: u64) -> Self {
        Self {
            learner,
            samples,
            seed,
        }
    }
}

impl<L: Learner> Evolving for LearningCopy<'_, L> {
    fn state(&self) -> Vec<f64> {
        self.learner.plastic_state()
    }

    fn set_state(&mut self, x: &[f64]) {
        self.learner
            .set_plastic_state(x)
            .expect("the two-copy method writes states of the learner's own length");
    }

    fn hidden_state(&self) -> Vec<f64> {
        self.learner.hidden_state()
    }

    fn set_hidden_state(&mut self, h: &[f64]) {
        self.learner
            .set_hidden_state(h)
            .expect("the two-copy method writes hidden states of the learner's own length");
    }

    fn advance(&mut self, n: usize) {
        let stream = stream_seed(&[self.seed, STREAM_TAG, n as u64]);
        match self.samples {
            Some(data) => {
                let sample = data.image(n % data.len()).to_vec();
                self.learner.present(&sample, true, stream);
            }
            None => {
                self.learner.present(&[], true, stream);
            }
        }
    }
}

/// Stream tag of the Lyapunov presentations (apart from training's phases).
const STREAM_TAG: u64 = 11;

/// How the two copies ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LearningStatus {
    /// The estimate is an exponent.
    Ok,
    /// The copies merged (d = 0): learning contracts to a point (exponent −∞).
    Locked,
    /// At least 99 % of the plastic weights sit at a clip bound: the exponent measures the
    /// bounds, not the learning.
    Saturated,
}

impl LearningStatus {
    /// The lower-case name used in JSON and CSV output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Locked => "locked",
            Self::Saturated => "saturated",
        }
    }

    /// The orbit status figures draw it as: merged copies as absorbed, saturated weights as
    /// blown up.
    pub fn orbit_status(self) -> crate::analysis::OrbitStatus {
        use crate::analysis::OrbitStatus;
        match self {
            Self::Ok => OrbitStatus::Ok,
            Self::Locked => OrbitStatus::Absorbed,
            Self::Saturated => OrbitStatus::BlownUp,
        }
    }
}

/// The Lyapunov exponent of learning.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LearningLyapunov {
    /// Mean ln(d/d0) per presentation (None when the copies locked: −∞).
    pub lambda: Option<f64>,
    /// Standard error of the mean.
    pub stderr: f64,
    /// How the copies ended.
    pub status: LearningStatus,
    /// Presentations averaged (after the transient).
    pub presentations: usize,
    /// The separation d0 (absolute).
    pub d0: f64,
    /// The separation relative to the norm of the learning state.
    pub d0_relative: f64,
}

/// Checks the sizes of a measurement of the Lyapunov exponent of learning: at least 2
/// presentations (the field `samples_field`: a growth needs two distances) and a relative
/// initial separation d0 in (0, 1e-2] (field `d0`).
pub fn check_lyapunov_sizes(samples_field: &str, samples: usize, d0_relative: f64) -> Result<()> {
    if samples < 2 {
        return Err(Error::invalid(samples_field, samples as f64, ">= 2"));
    }
    crate::error::require_relative_step("d0", d0_relative)?;
    Ok(())
}

/// Measures the Lyapunov exponent of learning of `learner` (NETWORKS.md §5): `transient`
/// presentations of one copy, then `samples` presentations of two copies whose learning
/// states start `d0_relative`·|x| apart along a direction drawn from `seed`.
pub fn learning_lyapunov<L: Learner>(
    learner: &L,
    data: Option<&Dataset>,
    (transient, samples): (usize, usize),
    d0_relative: f64,
    seed: u64,
) -> LearningLyapunov {
    use rand::{RngExt, SeedableRng};
    let copy = LearningCopy::new(learner.clone(), data, seed);
    let x = learner.plastic_state();
    let norm = x.iter().map(|v| v * v).sum::<f64>().sqrt().max(1e-300);
    let d0 = d0_relative * norm;
    let mut rng =
        rand_chacha::ChaCha8Rng::seed_from_u64(stream_seed(&[seed, STREAM_TAG, u64::MAX]));
    let direction: Vec<f64> = (0..x.len()).map(|_| rng.random::<f64>() - 0.5).collect();
    // Renormalised only on leaving [1e-4 d0, 1e2 d0] (discrete neuron state — refractory
    // clocks, spikes in flight — cannot be rescaled; see analysis::two_copy), the top capped
    // at 1e-3 |x| to stay linear and the bottom kept 1e6 roundings above |x|'s resolution.
    let band = Renormalise::Outside {
        below: (1e-4 * d0).max(1e6 * f64::EPSILON * norm).min(d0),
        above: (1e2 * d0).min(1e-3 * norm).max(d0),
    };
    let (r, end): (TwoCopy, _) = two_copy(&copy, (d0, band), &direction, transient, samples);
    let status = if r.locked {
        LearningStatus::Locked
    } else if saturated(&end.learner) {
        LearningStatus::Saturated
    } else {
        LearningStatus::Ok
    };
    LearningLyapunov {
        lambda: (!r.locked).then_some(r.lambda),
        stderr: r.stderr,
        status,
        presentations: r.steps,
        d0,
        d0_relative,
    }
}

/// Whether ≥ 99 % of the plastic weights of `learner` sit at a clip bound.
fn saturated<L: Learner>(learner: &L) -> bool {
    let (lo, hi) = learner.weight_bounds();
    let weights: Vec<f64> = learner
        .network()
        .projections
        .iter()
        .filter(|p| p.plastic.is_some())
        .flat_map(|p| p.synapses.w.iter().copied())
        .collect();
    let tolerance = 1e-12 * (hi - lo);
    let at_bound = weights
        .iter()
        .filter(|&&w| (w - lo).abs() <= tolerance || (w - hi).abs() <= tolerance)
        .count();
    !weights.is_empty() && at_bound as f64 >= 0.99 * weights.len() as f64
}
