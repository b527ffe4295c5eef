//! Local Jacobians of single synapses inside a learning network (the poster's Figure 13,
//! "randomly sampled synaptic eigenvalues from a three neuron network over 500 timesteps"):
//! along a run of `samples` presentations, before each one `per_sample` synapses are drawn
//! at random and the 2 × 2 Jacobian of that presentation's map (w, η) ↦ (w', η') of the
//! synapse is taken by central differences, the rest of the learning state held and the
//! presentation under the same random stream (common random numbers). Its eigenvalues μ are
//! multipliers over one sample of length T; the rates ln μ / T (1/ms; principal logarithm)
//! are the continuous-time eigenvalues the poster draws, to be compared with its stable
//! eigenvalue λ2 = −1/τ_d (MODEL.md §5).
//!
//! A synapse whose weight is within two steps of its clip bounds, or ends the sample at a
//! bound, has a one-sided map there (`at_bound`); one whose weight changed sign (flipping
//! resets η) has a discontinuous one (`flipped`); and where a step of ±h changed a spike
//! (a neuron crossing its threshold one step earlier or later, or not at all) the map jumps
//! (`non_smooth`: the forward and backward differences disagree by more than 10⁻³ of their
//! size plus 10⁻⁶). All are recorded and left out of the figure and the summary.

use crate::analysis::correlation::median;
use crate::analysis::fixed_points::Eigenvalue;
use crate::error::{Error, Result};
use crate::figures::line::RefLine;
use crate::figures::{line_chart, LineChart, Series, SeriesStyle};
use crate::output::{csv_number, write_csv, write_json};
use crate::sim::presets::{Preset, PresetSpec};
use crate::sim::{stream_seed, Learner};
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// The data file's name.
pub const KIND: &str = "local-jacobians";
/// Stream tags: the presentations' inputs, the draws of synapses, the network.
const INPUT_TAG: u64 = 0x6a61;
const PICK_TAG: u64 = 0x6a62;
const NETWORK_TAG: u64 = 0x6a63;

/// A run of local Jacobians, validated.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LocalJacobianPlan {
    /// The preset (its synapses must carry η, its samples a fixed length `sample_ms`).
    pub preset: String,
    /// Output neurons (None: the preset's default).
    pub neurons: Option<usize>,
    /// Preset parameters.
    pub set: BTreeMap<String, f64>,
    /// Presentations of the run.
    pub samples: usize,
    /// Synapses drawn (with replacement) before each presentation.
    pub per_sample: usize,
    /// Finite-difference step, relative: w_max · delta for w, max(η, 1) · delta for η.
    pub delta: f64,
    /// Run seed.
    pub seed: u64,
}

/// Whether a synapse's map is smooth where it was differentiated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JacobianStatus {
    /// Smooth: drawn and summarised.
    Ok,
    /// Within two steps of a clip bound, or clipped at the end of the sample.
    AtBound,
    /// The weight changed sign during the sample.
    Flipped,
    /// The forward and backward differences disagree: a spike moved within ±h.
    NonSmooth,
}

/// One synapse's local Jacobian.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LocalJacobian {
    /// Presentation index.
    pub sample: usize,
    /// Synapse index among those carrying η (projection by projection, slot order).
    pub synapse: usize,
    /// Weight before the presentation.
    pub w: f64,
    /// η before the presentation.
    pub eta: f64,
    /// [∂w'/∂w, ∂w'/∂η, ∂η'/∂w, ∂η'/∂η].
    pub jacobian: [f64; 4],
    /// Its eigenvalues (multipliers over one sample), [re, im] each.
    pub multipliers: [[f64; 2]; 2],
    /// ln μ / T (1/ms), [re, im] each (re = −∞ for μ = 0).
    pub rates: [[f64; 2]; 2],
    /// See [`JacobianStatus`].
    pub status: JacobianStatus,
}

/// What the run writes.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LocalJacobianData {
    /// Always [`KIND`].
    pub kind: String,
    /// The plan.
    pub plan: LocalJacobianPlan,
    /// Length T of a sample (ms).
    pub sample_ms: f64,
    /// τ_d of variable plasticity (ms).
    pub tau_d_ms: f64,
    /// The poster's stable eigenvalue −1/τ_d (1/ms).
    pub lambda2: f64,
    /// Every Jacobian, by sample then draw.
    pub jacobians: Vec<LocalJacobian>,
    /// The numbers over the smooth ones.
    pub summary: LocalJacobianSummary,
    /// The build that computed them.
    pub commit: String,
}

/// Statistics over the Jacobians with status `ok`. A synapse that no STDP update reached
/// during its sample has w' = w and η relaxing alone: rates exactly 0 and λ2. The medians are
/// therefore taken over the `updated` ones (∂w'/∂η ≠ 0), where learning acted.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LocalJacobianSummary {
    /// Jacobians with status ok / at_bound / flipped.
    pub ok: usize,
    /// See `ok`.
    pub at_bound: usize,
    /// See `ok`.
    pub flipped: usize,
    /// See `ok`.
    pub non_smooth: usize,
    /// Smooth Jacobians whose synapse was updated during the sample (∂w'/∂η ≠ 0).
    pub updated: usize,
    /// Median over the updated of the real part of the rate nearer to λ2 (1/ms).
    pub median_eta_rate: Option<f64>,
    /// Median over the updated of the real part of the other rate (1/ms).
    pub median_weight_rate: Option<f64>,
    /// Fraction of the updated with a complex pair of eigenvalues (the spiral the poster
    /// describes).
    pub complex_fraction: Option<f64>,
    /// Median over the updated of |∂w'/∂η| — the entry the poster's triangular Jacobian sets
    /// to 0.
    pub median_abs_dw_deta: Option<f64>,
    /// Median over the updated of |∂η'/∂w|.
    pub median_abs_deta_dw: Option<f64>,
}

impl LocalJacobianPlan {
    /// Checks the plan and returns (sample_ms, τ_d) of the preset's parameters.
    pub fn validate(&self) -> Result<(f64, f64)> {
        Preset::check_name(&self.preset)?;
        let requirement = "a preset whose samples have a fixed length and whose synapses carry \
                           η (noise-mesonet)";
        let refuse = || Error::InvalidParameter {
            name: "preset".into(),
            value: self.preset.clone(),
            requirement: requirement.into(),
        };
        if Preset::takes_images(&self.preset) {
            return Err(refuse());
        }
        for (name, v, min) in [
            ("samples", self.samples, 1),
            ("per-sample", self.per_sample, 1),
        ] {
            if v < min {
                return Err(Error::invalid(name, v as f64, &format!(">= {min}")));
            }
        }
        crate::error::require_relative_step("delta", self.delta)?;
        let params = Preset::params_json(&self.preset, &self.set)?;
        let read = |name: &str| params.get(name).and_then(|v| v.as_f64());
        let (Some(sample_ms), Some(tau_d)) = (read("sample_ms"), read("tau_d")) else {
            return Err(refuse());
        };
        let learner = self.learner()?;
        if learner.network().eta_coordinates().is_empty() {
            return Err(Error::invalid(
                "variable_plasticity",
                0.0,
                "1: the synapses must carry η",
            ));
        }
        Ok((sample_ms, tau_d))
    }

    fn learner(&self) -> Result<Preset> {
        let spec = PresetSpec {
            name: self.preset.clone(),
            neurons: match self.neurons {
                Some(n) => n,
                None => Preset::default_neurons(&self.preset, &self.set, (0, 0, 0))?,
            },
            set: self.set.clone(),
            seed: stream_seed(&[self.seed, NETWORK_TAG]),
        };
        let mut learner = Preset::build(&spec, None)?;
        learner.network_mut().set_threads(1);
        Ok(learner)
    }
}

/// Runs the plan (the draws of one presentation in parallel on the current rayon pool),
/// calling `tick` after each presentation.
pub fn run(plan: &LocalJacobianPlan, tick: &(dyn Fn() + Sync)) -> Result<LocalJacobianData> {
    let (sample_ms, tau_d_ms) = plan.validate()?;
    let mut learner = plan.learner()?;
    let coordinates = learner.network().eta_coordinates();
    let (w_min, w_max) = learner.weight_bounds();
    let h_w = plan.delta * w_max.abs().max(w_min.abs()).max(1e-300);
    let mut jacobians = Vec::with_capacity(plan.samples * plan.per_sample);
    for n in 0..plan.samples {
        let stream = stream_seed(&[plan.seed, INPUT_TAG, n as u64]);
        let mut pick =
            rand_chacha::ChaCha8Rng::seed_from_u64(stream_seed(&[plan.seed, PICK_TAG, n as u64]));
        let drawn: Vec<usize> = (0..plan.per_sample)
            .map(|_| pick.random_range(0..coordinates.len()))
            .collect();
        let x = learner.plastic_state();
        let mut found: Vec<(usize, Evaluations)> = drawn
            .par_iter()
            .map(|&p| {
                let (iw, ie) = coordinates[p];
                let h_eta = plan.delta * x[ie].abs().max(1.0);
                evaluate(&learner, &x, (iw, ie), (h_w, h_eta), stream).map(|e| (p, e))
            })
            .collect::<Result<_>>()?;
        learner.present(&[], true, stream);
        let after = learner.plastic_state();
        for (p, evaluations) in found.drain(..) {
            let (iw, ie) = coordinates[p];
            let (w, w_after) = (x[iw], after[iw]);
            let (jacobian, smooth) = evaluations.jacobian((after[iw], after[ie]));
            let status = if w * w_after < 0.0 {
                JacobianStatus::Flipped
            } else if w - w_min < 2.0 * h_w
                || w_max - w < 2.0 * h_w
                || w_after <= w_min
                || w_after >= w_max
            {
                JacobianStatus::AtBound
            } else if !smooth {
                JacobianStatus::NonSmooth
            } else {
                JacobianStatus::Ok
            };
            let multipliers = eigenvalues_2x2(jacobian);
            let rates = multipliers.map(|m| rate(m, sample_ms));
            jacobians.push(LocalJacobian {
                sample: n,
                synapse: p,
                w,
                eta: x[ie],
                jacobian,
                multipliers: multipliers.map(|m| [m.re, m.im]),
                rates: rates.map(|r| [r.re, r.im]),
                status,
            });
        }
        tick();
    }
    let lambda2 = -1.0 / tau_d_ms;
    let summary = summarise(&jacobians, lambda2);
    Ok(LocalJacobianData {
        kind: KIND.into(),
        plan: plan.clone(),
        sample_ms,
        tau_d_ms,
        lambda2,
        jacobians,
        summary,
        commit: crate::output::build_commit().into(),
    })
}

/// Runs a spec's plan (kind `local_jacobians`) into `dir`, the data file under the plan's
/// name.
pub fn run_spec(
    plan: &crate::spec::Plan,
    local: &LocalJacobianPlan,
    dir: &Path,
    progress: &super::Progress,
) -> Result<LocalJacobianData> {
    (progress.start)(local.samples as u64);
    let data = run(local, progress.tick)?;
    data.write(dir)?;
    super::name_data_file(plan, dir, KIND)?;
    Ok(data)
}

/// A synapse's (w', η') after the presentation with w moved by +h and −h, then with η
/// moved by +h and −h, and the two steps.
struct Evaluations {
    moved: [[(f64, f64); 2]; 2],
    steps: [f64; 2],
}

impl Evaluations {
    /// The central-difference Jacobian (row-major) and whether both one-sided differences of
    /// every entry agree with each other, given the unmoved (w', η').
    fn jacobian(&self, base: (f64, f64)) -> ([f64; 4], bool) {
        let mut j = [0.0; 4];
        let mut smooth = true;
        for column in 0..2 {
            let ([plus, minus], h) = (self.moved[column], self.steps[column]);
            for (row, (p, m, b)) in [(plus.0, minus.0, base.0), (plus.1, minus.1, base.1)]
                .into_iter()
                .enumerate()
            {
                let (derivative, agree) =
                    crate::analysis::system::checked_central_difference(p, m, b, h);
                j[2 * row + column] = derivative;
                smooth &= agree;
            }
        }
        (j, smooth)
    }
}

/// The synapse's (w', η') after one presentation under `stream` from the learning state `x`
/// with each of its coordinates (iw, ie) moved by ±h.
fn evaluate<L: Learner>(
    learner: &L,
    x: &[f64],
    (iw, ie): (usize, usize),
    (h_w, h_eta): (f64, f64),
    stream: u64,
) -> Result<Evaluations> {
    let after = |index: usize, shift: f64| -> Result<(f64, f64)> {
        let mut copy = learner.clone();
        let mut moved = x.to_vec();
        moved[index] += shift;
        copy.set_plastic_state(&moved)?;
        copy.present(&[], true, stream);
        let state = copy.plastic_state();
        Ok((state[iw], state[ie]))
    };
    Ok(Evaluations {
        moved: [
            [after(iw, h_w)?, after(iw, -h_w)?],
            [after(ie, h_eta)?, after(ie, -h_eta)?],
        ],
        steps: [h_w, h_eta],
    })
}

/// Eigenvalues of a real 2 × 2 matrix (row-major), the larger real part first.
pub fn eigenvalues_2x2([a, b, c, d]: [f64; 4]) -> [Eigenvalue; 2] {
    let half_trace = 0.5 * (a + d);
    // (a − d)²/4 + bc: the discriminant without the cancellation of tr²/4 − det.
    let disc = 0.25 * (a - d) * (a - d) + b * c;
    if disc >= 0.0 {
        let r = disc.sqrt();
        // The larger root directly, the smaller from the determinant (no cancellation).
        let big = half_trace + r.copysign(half_trace);
        let det = a * d - b * c;
        let small = if big != 0.0 {
            det / big
        } else {
            half_trace - r
        };
        let (hi, lo) = if big >= small {
            (big, small)
        } else {
            (small, big)
        };
        [
            Eigenvalue { re: hi, im: 0.0 },
            Eigenvalue { re: lo, im: 0.0 },
        ]
    } else {
        let im = (-disc).sqrt();
        [
            Eigenvalue { re: half_trace, im },
            Eigenvalue {
                re: half_trace,
                im: -im,
            },
        ]
    }
}

/// The continuous-time rate ln μ / T of a multiplier μ over a sample of `t_ms` (principal
/// logarithm; −∞ for μ = 0).
pub fn rate(mu: Eigenvalue, t_ms: f64) -> Eigenvalue {
    let modulus = mu.re.hypot(mu.im);
    Eigenvalue {
        re: modulus.ln() / t_ms,
        im: mu.im.atan2(mu.re) / t_ms,
    }
}

fn summarise(jacobians: &[LocalJacobian], lambda2: f64) -> LocalJacobianSummary {
    let count = |s| jacobians.iter().filter(|j| j.status == s).count();
    let ok = count(JacobianStatus::Ok);
    let updated: Vec<&LocalJacobian> = jacobians
        .iter()
        .filter(|j| j.status == JacobianStatus::Ok && j.jacobian[1] != 0.0)
        .collect();
    let (mut eta_rates, mut weight_rates) = (Vec::new(), Vec::new());
    for j in &updated {
        let [r0, r1] = j.rates;
        let (near, far) = if (r0[0] - lambda2).abs() <= (r1[0] - lambda2).abs() {
            (r0, r1)
        } else {
            (r1, r0)
        };
        eta_rates.push(near[0]);
        weight_rates.push(far[0]);
    }
    let complex = updated
        .iter()
        .filter(|j| j.multipliers[0][1] != 0.0)
        .count();
    LocalJacobianSummary {
        ok,
        at_bound: count(JacobianStatus::AtBound),
        flipped: count(JacobianStatus::Flipped),
        non_smooth: count(JacobianStatus::NonSmooth),
        updated: updated.len(),
        median_eta_rate: median(eta_rates),
        median_weight_rate: median(weight_rates),
        complex_fraction: (!updated.is_empty()).then(|| complex as f64 / updated.len() as f64),
        median_abs_dw_deta: median(updated.iter().map(|j| j.jacobian[1].abs()).collect()),
        median_abs_deta_dw: median(updated.iter().map(|j| j.jacobian[2].abs()).collect()),
    }
}

impl LocalJacobianData {
    /// Writes `<KIND>.json`, `jacobians.csv` and the figure `complex_plane`. Returns the files.
    pub fn write(&self, dir: &Path) -> Result<Vec<String>> {
        let json = serde_json::to_value(self).expect("plain data serialises");
        write_json(&dir.join(format!("{KIND}.json")), &json)?;
        write_csv(
            &dir.join("jacobians.csv"),
            &[
                "sample",
                "synapse",
                "w",
                "eta",
                "dw_dw",
                "dw_deta",
                "deta_dw",
                "deta_deta",
                "rate1_re",
                "rate1_im",
                "rate2_re",
                "rate2_im",
                "status",
            ],
            self.jacobians.iter().map(|j| {
                let mut row = vec![
                    j.sample.to_string(),
                    j.synapse.to_string(),
                    csv_number(j.w),
                    csv_number(j.eta),
                ];
                row.extend(j.jacobian.iter().map(|v| csv_number(*v)));
                row.extend(j.rates.iter().flatten().map(|v| csv_number(*v)));
                row.push(
                    serde_json::to_value(j.status)
                        .expect("a unit variant")
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                );
                row
            }),
        )?;
        self.figure(dir)?;
        Ok(vec![
            format!("{KIND}.json"),
            "jacobians.csv".into(),
            "complex_plane.png".into(),
            "complex_plane.svg".into(),
        ])
    }

    fn figure(&self, dir: &Path) -> Result<()> {
        let points: Vec<(f64, f64)> = self
            .jacobians
            .iter()
            .filter(|j| j.status == JacobianStatus::Ok)
            .flat_map(|j| j.rates.iter().map(|r| (r[0], r[1])))
            .collect();
        // The axes hold the central 98 % of the real parts (a synapse clipped inside its
        // sample has μ ≈ 0, a rate far to the left) and the whole imaginary range ±π/T.
        let mut re: Vec<f64> = points
            .iter()
            .map(|p| p.0)
            .filter(|x| x.is_finite())
            .collect();
        re.sort_by(f64::total_cmp);
        let x_range = (re.len() >= 50).then(|| {
            let (lo, hi) = (re[re.len() / 100], re[re.len() - 1 - re.len() / 100]);
            let (lo, hi) = (lo.min(self.lambda2), hi.max(0.0));
            let margin = 0.1 * (hi - lo).max(1e-12);
            (lo - margin, hi + margin)
        });
        let outside = x_range.map_or(0, |(lo, hi)| {
            points.iter().filter(|p| !(lo..=hi).contains(&p.0)).count()
        });
        let pi_over_t = std::f64::consts::PI / self.sample_ms;
        line_chart(
            &LineChart {
                title: format!(
                    "Eigenvalues of local (w, η) Jacobians — {}, {} × {} samples of {} ms",
                    self.plan.preset, self.plan.per_sample, self.plan.samples, self.sample_ms
                ),
                x_label: "Re (ln μ) / T (1/ms)".into(),
                y_label: "Im (ln μ) / T (1/ms)".into(),
                series: vec![Series {
                    label: format!("{} smooth ({outside} off the axes)", self.summary.ok),
                    points,
                    style: SeriesStyle::Points,
                }],
                x_range,
                y_range: Some((-1.1 * pi_over_t, 1.1 * pi_over_t)),
                vlines: vec![
                    RefLine {
                        value: self.lambda2,
                        label: "λ2 = −1/τ_d".into(),
                    },
                    RefLine {
                        value: 0.0,
                        label: String::new(),
                    },
                ],
                hlines: vec![],
            },
            &dir.join("complex_plane"),
        )
    }

    /// A few lines with the numbers.
    pub fn text(&self) -> String {
        let s = &self.summary;
        let show = |v: Option<f64>| v.map_or("undefined".into(), |x| format!("{x:.6}"));
        format!(
            "{} local Jacobians of (w, η) over {} samples of {} ms: {} smooth ({} updated during \
             their sample), {} at a bound, {} flipped, {} not smooth\n  over the updated: λ2 = −1/τ_d = {:.6} \
             per ms; median rate nearest it {}, median other rate {}\n  complex pairs: {}; \
             median |∂w'/∂η| = {} (the poster's Jacobian: 0), median |∂η'/∂w| = {}\n",
            self.jacobians.len(),
            self.plan.samples,
            self.sample_ms,
            s.ok,
            s.updated,
            s.at_bound,
            s.flipped,
            s.non_smooth,
            self.lambda2,
            show(s.median_eta_rate),
            show(s.median_weight_rate),
            show(s.complex_fraction),
            show(s.median_abs_dw_deta),
            show(s.median_abs_deta_dw),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(set: &[(&str, f64)], samples: usize) -> LocalJacobianPlan {
        LocalJacobianPlan {
            preset: "noise-mesonet".into(),
            neurons: None,
            set: set.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            samples,
            per_sample: 3,
            delta: 1e-6,
            seed: 4,
        }
    }

    #[test]
    fn two_by_two_eigenvalues_match_the_characteristic_polynomial() {
        for m in [
            [1.0, 2.0, 3.0, 4.0],
            [0.5, -1.0, 1.0, 0.5],
            [1.0, 1e-9, 0.0, 1.0 - 1e-12],
            [0.0, 0.0, 0.0, 0.0],
        ] {
            let (tr, det) = (m[0] + m[3], m[0] * m[3] - m[1] * m[2]);
            for e in eigenvalues_2x2(m) {
                // λ² − tr λ + det = 0 in complex arithmetic.
                let (re, im) = (e.re * e.re - e.im * e.im, 2.0 * e.re * e.im);
                let (pr, pi) = (re - tr * e.re + det, im - tr * e.im);
                assert!(pr.hypot(pi) < 1e-12, "{m:?}: {e:?}");
            }
        }
    }

    /// Without noise nothing fires: w' = w and η relaxes exactly towards
    /// η_min + 1/(η_max − w), so the multipliers are 1 and e^{−T/τ_d} and the rates 0 and
    /// −1/τ_d (MODEL.md §5 with the weight frozen).
    #[test]
    fn a_silent_network_has_the_rates_zero_and_minus_one_over_tau_d() {
        let p = plan(&[("noise_sigma", 0.0), ("noise_mean", 0.0)], 5);
        let data = run(&p, &|| {}).unwrap();
        assert_eq!(data.jacobians.len(), 15);
        for j in &data.jacobians {
            assert_eq!(j.status, JacobianStatus::Ok);
            assert!(
                j.jacobian[1] == 0.0,
                "w' does not depend on η without spikes"
            );
            let [hi, lo] = j.rates;
            assert!(hi[0].abs() < 1e-8, "{hi:?}");
            assert!(
                (lo[0] - data.lambda2).abs() < 1e-7,
                "{lo:?} vs {}",
                data.lambda2
            );
            // ∂η'/∂w = (1 − e^{−T/τ_d}) / (η_max − w)².
            let decay = (-100.0_f64 / 350.0).exp();
            let expected = (1.0 - decay) / (2.0 - j.w).powi(2);
            assert!(
                (j.jacobian[2] - expected).abs() < 1e-6,
                "{} vs {expected}",
                j.jacobian[2]
            );
        }
    }

    #[test]
    fn a_learning_network_couples_w_and_eta_and_is_reproducible() {
        let p = plan(&[], 20);
        let a = run(&p, &|| {}).unwrap();
        assert_eq!(a, run(&p, &|| {}).unwrap());
        // Learning makes the weight depend on η (the poster's triangular form sets it to 0),
        // in some synapses of the first 20 samples.
        assert!(a.summary.updated > 0, "{:?}", a.summary);
        assert!(
            a.summary.median_abs_dw_deta.unwrap() > 0.0,
            "{:?}",
            a.summary
        );
    }

    #[test]
    fn bad_plans_name_their_field() {
        let mut p = plan(&[], 1);
        p.preset = "mesonet".into();
        assert!(p.validate().unwrap_err().to_string().contains("preset"));
        let p = plan(&[("variable_plasticity", 0.0)], 1);
        assert!(p
            .validate()
            .unwrap_err()
            .to_string()
            .contains("variable_plasticity"));
        let mut p = plan(&[], 1);
        p.delta = 0.5;
        assert!(p.validate().unwrap_err().to_string().contains("delta"));
        let mut p = plan(&[], 1);
        p.preset = "pair".into();
        assert!(p.validate().unwrap_err().to_string().contains("preset"));
    }
}
