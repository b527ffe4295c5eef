//! Jacobian spectra of a trained network's learning map (NETWORKS.md §5): the map F sends
//! the learning state before a block of training presentations (each under its fixed random
//! stream: common random numbers) to the state after it ([`crate::sim::LearningMap`]).
//!
//! - **Restricted Jacobian.** The columns of one neuron's (or one core's) incoming input
//!   weights, by central differences, each column from F(x ± h e_k), the rows restricted to
//!   the same weights; the eigenvalues of J_R − I (the flow-like form of MODEL.md §7) against
//!   the elliptic law fitted to its entries and a semicircle moment-matched to the real parts.
//!   A column whose forward and backward differences disagree (a spike moved within ±h) is
//!   counted as not smooth.
//! - **Whole map.** The multipliers of largest modulus of J over the entire learning state
//!   (the least stable directions; ln |μ| per presentation compares with the Lyapunov
//!   exponent of learning), by the Arnoldi iteration ([`crate::analysis::arnoldi`]) on
//!   Jacobian-vector products (F(x + h v) − F(x − h v)) / 2h, matrix-free. (On J − I the
//!   directions that weight normalisation annihilates, at −1, would dominate instead.)

use crate::analysis::arnoldi::{arnoldi, Arnoldi};
use crate::analysis::fixed_points::Eigenvalue;
use crate::analysis::spectrum::{
    general_eigenvalues, ks_distance, standard_normals, Backend, Ellipse, Semicircle,
};
use crate::analysis::system::checked_central_difference;
use crate::analysis::Map;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::figures::{line_chart, LineChart, Series, SeriesStyle};
use crate::output::{csv_number, write_csv, write_json};
use crate::sim::presets::Preset;
use crate::sim::{stream_seed, Learner, LearningMap};
use nalgebra::DMatrix;
use rayon::prelude::*;
use std::path::Path;

/// The data file's name.
pub const KIND: &str = "learning-spectrum";
/// Stream tag of the block's presentations.
const BLOCK_TAG: u64 = 0x7370;
/// Largest restricted dimension (a dense eigenproblem and 2 map evaluations per column).
pub const MAX_RESTRICTED: usize = 4096;

/// Whose incoming weights the dense Jacobian is restricted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Restriction {
    /// Output neuron J.
    Neuron(usize),
    /// Core (competition area) K: its `maps` neurons.
    Core(usize),
}

/// A learning-spectrum run, validated.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LearningSpectrumPlan {
    /// The dense part.
    pub restriction: Restriction,
    /// Training presentations per map step (the first ones of the training split).
    pub block: usize,
    /// Arnoldi steps on the whole map.
    pub arnoldi_steps: usize,
    /// Relative finite-difference step.
    pub delta: f64,
    /// Seed of the block's streams and of Arnoldi's start vector.
    pub seed: u64,
}

/// What the run writes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LearningSpectrumData {
    /// Always [`KIND`].
    pub kind: &'static str,
    /// The plan.
    pub plan: LearningSpectrumPlan,
    /// The network's preset.
    pub preset: String,
    /// Dimension of the whole learning state.
    pub dimension: usize,
    /// The restricted coordinates (indices into the learning state).
    pub restricted: Vec<usize>,
    /// Columns whose one-sided differences disagree.
    pub non_smooth_columns: usize,
    /// Eigenvalues of J_R − I, by decreasing modulus (empty when they could not be
    /// computed: see `eigenvalues_error`).
    pub eigenvalues: Vec<Eigenvalue>,
    /// Why the eigenvalues are missing, if they are.
    pub eigenvalues_error: Option<String>,
    /// The elliptic law fitted to J_R − I and the KS distance of the radii to it.
    pub ellipse: Ellipse,
    /// See `ellipse` (None without eigenvalues).
    pub ks_ellipse: Option<f64>,
    /// The semicircle moment-matched to the real parts and its KS distance (None without
    /// eigenvalues).
    pub semicircle: Option<Semicircle>,
    /// See `semicircle`.
    pub ks_semicircle: Option<f64>,
    /// The 1 % critical KS distance for that many eigenvalues.
    pub ks_critical_1pct: f64,
    /// Arnoldi on J of the whole map (multipliers).
    pub arnoldi: Arnoldi,
    /// ln |μ_1| / block: the leading multiplier's growth per presentation.
    pub leading_log_modulus_per_presentation: Option<f64>,
    /// The build that computed them.
    pub commit: String,
}

impl LearningSpectrumPlan {
    /// Checks the sizes (the restriction is checked against the network in [`run`]).
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [("block", self.block), ("arnoldi", self.arnoldi_steps)] {
            if v == 0 {
                return Err(Error::invalid(name, 0.0, ">= 1"));
            }
        }
        if self.arnoldi_steps > 500 {
            return Err(Error::invalid(
                "arnoldi",
                self.arnoldi_steps as f64,
                "<= 500 steps",
            ));
        }
        crate::error::require_relative_step("delta", self.delta)?;
        Ok(())
    }

    /// The learning-state indices of the restricted weights: the slots of the first plastic
    /// projection whose target is one of the restricted neurons.
    pub fn restricted(&self, learner: &Preset) -> Result<Vec<usize>> {
        let (cores, maps) = learner.core_grid();
        let posts = match self.restriction {
            Restriction::Neuron(j) if j < learner.outputs() => j..j + 1,
            Restriction::Neuron(j) => {
                return Err(Error::invalid(
                    "neuron",
                    j as f64,
                    &format!("< {} (the output neurons)", learner.outputs()),
                ))
            }
            Restriction::Core(k) if k < cores => k * maps..(k + 1) * maps,
            Restriction::Core(k) => {
                return Err(Error::invalid(
                    "core",
                    k as f64,
                    &format!("< {cores} (the network's cores)"),
                ))
            }
        };
        let projection = learner
            .network()
            .projections
            .iter()
            .find(|p| p.plastic.is_some())
            .ok_or_else(|| Error::invalid("checkpoint", 0.0, "a network that learns"))?;
        let indices: Vec<usize> = projection
            .synapses
            .target
            .iter()
            .enumerate()
            .filter(|(_, &t)| posts.contains(&(t as usize)))
            .map(|(k, _)| k)
            .collect();
        let field = match self.restriction {
            Restriction::Neuron(_) => "neuron",
            Restriction::Core(_) => "core",
        };
        if indices.is_empty() || indices.len() > MAX_RESTRICTED {
            return Err(Error::invalid(
                field,
                indices.len() as f64,
                &format!("1..={MAX_RESTRICTED} incoming weights (a smaller part of the network)"),
            ));
        }
        Ok(indices)
    }
}

/// Runs the plan on `learner` (a trained network) with the training images `data`; the
/// columns and Jacobian-vector products run in parallel on the current rayon pool.
pub fn run(
    plan: &LearningSpectrumPlan,
    learner: &Preset,
    data: Option<&Dataset>,
    tick: &(dyn Fn() + Sync),
) -> Result<LearningSpectrumData> {
    plan.validate()?;
    let restricted = plan.restricted(learner)?;
    let block: Vec<(Vec<u8>, u64)> = (0..plan.block)
        .map(|i| {
            let sample = data.map_or_else(Vec::new, |d| d.image(i % d.len()).to_vec());
            (sample, stream_seed(&[plan.seed, BLOCK_TAG, i as u64]))
        })
        .collect();
    let mut base = learner.clone();
    base.network_mut().set_threads(1);
    let map = LearningMap::new(base, block);
    let x = learner.plastic_state();
    let n = x.len();
    let evaluate = |y: &[f64]| {
        let mut out = vec![0.0; n];
        map.step(y, &mut out);
        tick();
        out
    };
    let fx = evaluate(&x);
    let (w_lo, w_hi) = learner.weight_bounds();
    let w_scale = w_lo.abs().max(w_hi.abs()).max(1e-300);
    // Columns of the restricted Jacobian, with their smoothness.
    let columns: Vec<(Vec<f64>, bool)> = restricted
        .par_iter()
        .map(|&k| {
            let h = plan.delta * x[k].abs().max(w_scale);
            let moved = |shift: f64| {
                let mut y = x.clone();
                y[k] += shift;
                evaluate(&y)
            };
            let (plus, minus) = (moved(h), moved(-h));
            let mut smooth = true;
            let column = restricted
                .iter()
                .map(|&r| {
                    let (derivative, agree) =
                        checked_central_difference(plus[r], minus[r], fx[r], h);
                    smooth &= agree;
                    derivative
                })
                .collect();
            (column, smooth)
        })
        .collect();
    let m = restricted.len();
    let mut flow = DMatrix::from_fn(m, m, |r, c| columns[c].0[r]);
    for k in 0..m {
        flow[(k, k)] -= 1.0;
    }
    if let Some(k) = flow.iter().position(|v| !v.is_finite()) {
        return Err(Error::Undefined {
            what: "the restricted Jacobian".into(),
            why: format!("entry {k} is not finite (the network's state left its domain)"),
        });
    }
    // nalgebra's Schur iteration does not converge on some of these matrices (a cluster of
    // hundreds of nearly equal eigenvalues of a nearly frozen network, J ≈ I, beside the
    // normalisation's); LAPACK's dgeev is used when built in, and otherwise the failure is
    // recorded in place of the eigenvalues.
    let (eigenvalues, eigenvalues_error) = match general_eigenvalues(&flow, Backend::Nalgebra)
        .or_else(|e| match Backend::Lapack.available() {
            Ok(lapack) => general_eigenvalues(&flow, lapack),
            Err(_) => Err(e),
        }) {
        Ok(values) => (values, None),
        Err(e) => (
            Vec::new(),
            Some(format!(
                "{e} (build with --features lapack for LAPACK's dgeev)"
            )),
        ),
    };
    let ellipse = Ellipse::fit(&flow);
    let real: Vec<f64> = eigenvalues.iter().map(|e| e.re).collect();
    let semicircle = (!real.is_empty()).then(|| {
        let mean = real.iter().sum::<f64>() / real.len() as f64;
        Semicircle {
            centre: mean,
            variance: real.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / real.len() as f64,
        }
    });
    // The whole map: Arnoldi on J by central-difference products, h relative to |x|.
    let norm = x.iter().map(|v| v * v).sum::<f64>().sqrt().max(w_scale);
    let h = plan.delta * norm;
    let start = standard_normals(plan.seed, n);
    let arnoldi = arnoldi(n, plan.arnoldi_steps, &start, |v, out| {
        let shifted =
            |sign: f64| -> Vec<f64> { x.iter().zip(v).map(|(a, b)| a + sign * h * b).collect() };
        let (plus, minus) = rayon::join(|| evaluate(&shifted(1.0)), || evaluate(&shifted(-1.0)));
        for (o, (p, q)) in out.iter_mut().zip(plus.iter().zip(&minus)) {
            *o = (p - q) / (2.0 * h);
        }
    })?;
    Ok(LearningSpectrumData {
        kind: KIND,
        plan: plan.clone(),
        preset: learner.preset().to_string(),
        dimension: n,
        non_smooth_columns: columns.iter().filter(|c| !c.1).count(),
        restricted,
        ks_ellipse: (!eigenvalues.is_empty()).then(|| ellipse.ks_distance(&eigenvalues)),
        ks_semicircle: semicircle.map(|law| ks_distance(&real, |v| law.cdf(v))),
        ks_critical_1pct: crate::analysis::spectrum::ks_critical_1pct(m),
        eigenvalues,
        eigenvalues_error,
        ellipse,
        semicircle,
        leading_log_modulus_per_presentation: arnoldi
            .ritz
            .first()
            .map(|m| m.modulus().ln() / plan.block as f64),
        arnoldi,
        commit: crate::output::build_commit().into(),
    })
}

impl LearningSpectrumData {
    /// Map evaluations the plan needs for a restriction of `restricted` weights.
    pub fn evaluations(plan: &LearningSpectrumPlan, restricted: usize) -> usize {
        1 + 2 * restricted + 2 * plan.arnoldi_steps
    }

    /// Writes `<KIND>.json`, the eigenvalues and Ritz values as CSV, and the figure.
    pub fn write(&self, dir: &Path) -> Result<Vec<String>> {
        let json = serde_json::to_value(self).expect("plain data serialises");
        write_json(&dir.join(format!("{KIND}.json")), &json)?;
        let rows = |values: &[Eigenvalue]| -> Vec<Vec<String>> {
            values
                .iter()
                .map(|e| vec![csv_number(e.re), csv_number(e.im)])
                .collect()
        };
        write_csv(
            &dir.join("restricted_eigenvalues.csv"),
            &["re", "im"],
            rows(&self.eigenvalues),
        )?;
        write_csv(
            &dir.join("ritz_values.csv"),
            &["re", "im", "change"],
            self.arnoldi
                .ritz
                .iter()
                .zip(&self.arnoldi.change)
                .map(|(e, c)| vec![csv_number(e.re), csv_number(e.im), csv_number(*c)]),
        )?;
        let e = self.ellipse;
        let (a, b) = ((1.0 + e.tau) * e.sigma, (1.0 - e.tau) * e.sigma);
        let what = match self.plan.restriction {
            Restriction::Neuron(j) => format!("neuron {j}"),
            Restriction::Core(k) => format!("core {k}"),
        };
        line_chart(
            &LineChart {
                title: format!(
                    "{}: learning-map Jacobian − I ({}, {} presentation(s) per step)",
                    self.preset, what, self.plan.block
                ),
                x_label: "Re λ (per step)".into(),
                y_label: "Im λ".into(),
                series: vec![
                    Series {
                        label: format!("{what}'s {} input weights (dense)", self.restricted.len()),
                        points: self.eigenvalues.iter().map(|e| (e.re, e.im)).collect(),
                        style: SeriesStyle::Points,
                    },
                    Series {
                        label: format!(
                            "whole map ({} dims): Arnoldi, {} steps",
                            self.dimension, self.arnoldi.steps
                        ),
                        // Multipliers μ drawn as μ − 1, on the same axes as J_R − I.
                        points: self
                            .arnoldi
                            .ritz
                            .iter()
                            .map(|e| (e.re - 1.0, e.im))
                            .collect(),
                        style: SeriesStyle::Markers,
                    },
                    Series {
                        label: format!("elliptic law, σ = {:.3e}, τ = {:.2}", e.sigma, e.tau),
                        points: (0..=360)
                            .map(|k| {
                                let t = 2.0 * std::f64::consts::PI * k as f64 / 360.0;
                                (e.centre + a * t.cos(), b * t.sin())
                            })
                            .collect(),
                        style: SeriesStyle::Dashed,
                    },
                ],
                x_range: None,
                y_range: None,
                vlines: vec![],
                hlines: vec![],
            },
            &dir.join("complex_plane"),
        )?;
        Ok(vec![
            format!("{KIND}.json"),
            "restricted_eigenvalues.csv".into(),
            "ritz_values.csv".into(),
            "complex_plane.png".into(),
            "complex_plane.svg".into(),
        ])
    }

    /// A few lines with the numbers.
    pub fn text(&self) -> String {
        let lead = |v: &[Eigenvalue], k: usize| {
            v.iter()
                .take(k)
                .map(|e| format!("{:.4e}{:+.4e}i", e.re, e.im))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let show = |v: Option<f64>| v.map_or("undefined".into(), |x| format!("{x:.3}"));
        let restricted = match &self.eigenvalues_error {
            Some(e) => format!("eigenvalues not computed: {e}"),
            None => format!("J − I leading {}", lead(&self.eigenvalues, 3)),
        };
        format!(
            "restricted Jacobian: {} weights ({} columns not smooth); {}\n  \
             elliptic law σ = {:.4e}, τ = {:.3}: KS {}; semicircle on the real parts: KS \
             {} (1 % critical {:.3})\nwhole map ({} dims), Arnoldi {} steps{}: multipliers μ \
             of J, largest {} (changes over the last {} steps: {}); ln |μ1| per presentation \
             {}\n",
            self.restricted.len(),
            self.non_smooth_columns,
            restricted,
            self.ellipse.sigma,
            self.ellipse.tau,
            show(self.ks_ellipse),
            show(self.ks_semicircle),
            self.ks_critical_1pct,
            self.dimension,
            self.arnoldi.steps,
            if self.arnoldi.invariant {
                " (invariant space)"
            } else {
                ""
            },
            lead(&self.arnoldi.ritz, 3),
            self.arnoldi.compare,
            self.arnoldi
                .change
                .iter()
                .take(3)
                .map(|c| format!("{c:.1e}"))
                .collect::<Vec<_>>()
                .join(", "),
            self.leading_log_modulus_per_presentation
                .map_or("undefined".into(), |v| format!("{v:.4e}")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::system::map_jacobian;
    use crate::sim::presets::{PoissonLayer, PoissonLayerParams};

    /// A 20-input, 4-neuron layer (80 weights): the restricted eigenvalues equal those of the
    /// sub-block of the dense finite-difference Jacobian of the same map (the analysis
    /// core's), and Arnoldi's leading multiplier equals the dense Jacobian's.
    #[test]
    fn agrees_with_the_dense_jacobian_of_the_same_map() {
        let params = PoissonLayerParams {
            inputs: 20.0,
            eta: 0.05,
            ..PoissonLayerParams::default()
        };
        let learner = Preset::PoissonLayer(PoissonLayer::new(params, 4).unwrap());
        let plan = LearningSpectrumPlan {
            restriction: Restriction::Neuron(2),
            block: 2,
            arnoldi_steps: 40,
            delta: 1e-6,
            seed: 5,
        };
        let data = run(&plan, &learner, None, &|| {}).unwrap();
        assert_eq!(data.restricted.len(), 20);
        assert_eq!(data.dimension, 80);
        let block = (0..2)
            .map(|i| (Vec::new(), stream_seed(&[5, BLOCK_TAG, i])))
            .collect();
        let map = LearningMap::new(learner.clone(), block);
        let x = learner.plastic_state();
        let full = map_jacobian(&map, &x);
        let sub = DMatrix::from_fn(20, 20, |r, c| {
            let (i, j) = (data.restricted[r], data.restricted[c]);
            full[i * 80 + j] - if r == c { 1.0 } else { 0.0 }
        });
        let mut expected = general_eigenvalues(&sub, Backend::Nalgebra).unwrap();
        let mut got = data.eigenvalues.clone();
        let key = |e: &Eigenvalue| (e.re * 1e6).round() as i64;
        expected.sort_by_key(key);
        got.sort_by_key(key);
        for (a, b) in got.iter().zip(&expected) {
            assert!(
                (a.re - b.re).abs() < 1e-5 && (a.im - b.im).abs() < 1e-5,
                "{a:?} {b:?}"
            );
        }
        let dense = general_eigenvalues(&DMatrix::from_row_slice(80, 80, &full), Backend::Nalgebra)
            .unwrap();
        let lead = data.arnoldi.ritz[0];
        assert!(
            (lead.modulus() - dense[0].modulus()).abs() < 1e-5,
            "{lead:?} vs {:?}",
            dense[0]
        );
    }

    #[test]
    fn bad_restrictions_name_their_field() {
        let learner =
            Preset::PoissonLayer(PoissonLayer::new(PoissonLayerParams::default(), 3).unwrap());
        let mut plan = LearningSpectrumPlan {
            restriction: Restriction::Neuron(3),
            block: 1,
            arnoldi_steps: 5,
            delta: 1e-6,
            seed: 0,
        };
        let e = plan.restricted(&learner).unwrap_err().to_string();
        assert!(e.contains("neuron"), "{e}");
        plan.restriction = Restriction::Core(1);
        let e = plan.restricted(&learner).unwrap_err().to_string();
        assert!(e.contains("core"), "{e}");
        plan.delta = 0.5;
        assert!(plan.validate().unwrap_err().to_string().contains("delta"));
    }
}
