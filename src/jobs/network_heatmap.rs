//! Trained-network heatmaps (NETWORKS.md §5): over a grid of two preset parameters, every
//! cell trains its own network, measures its test accuracy and then the Lyapunov exponent of
//! its learning (two copies with common random numbers, [`learning_lyapunov`]). The outputs
//! put accuracy beside λ: the λ heatmap with its λ = 0 contour, the accuracy heatmap on the
//! same grid, and accuracy against λ with Spearman's ρ and a bootstrap 95 % interval — the
//! edge-of-chaos hypothesis asked of trained networks.
//!
//! A cell's seed is derived from the run seed and the cell's index, and each cell's network
//! runs on one thread, so a cell's numbers do not depend on the thread count or on the shard
//! ([`super::shard`]) that computed it.

use super::shard::Shard;
use crate::analysis::correlation::{spearman, spearman_interval, BootstrapInterval};
use crate::analysis::{Grid, OrbitStatus};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::figures::heatmap::{heatmap, ColourScale, HeatmapFigure};
use crate::figures::line::{line_chart, LineChart, RefLine, Series, SeriesStyle};
use crate::figures::StatusNames;
use crate::output::{csv_number, write_csv, write_json};
use crate::sim::learning_map::{learning_lyapunov, LearningStatus};
use crate::sim::presets::Preset;
use crate::sim::stream_seed;
use crate::sim::training::{evaluate, Checkpoint, TrainConfig};
use crate::sim::Learner;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// The data file's name (and the kind `mesonet merge` recognises).
pub const KIND: &str = "network-heatmap";
/// Stream tag of the cells' seeds.
const CELL_TAG: u64 = 0x6e68;
/// Bootstrap resamples of ρ's interval.
const RESAMPLES: usize = 2_000;
/// Labels are assigned from at most this many of the last training samples.
const ASSIGN_MAX: usize = 10_000;

/// A trained-network heatmap, validated.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NetworkHeatmapPlan {
    /// The preset every cell trains.
    pub preset: String,
    /// Output neurons (None: the preset's default for the data's shape and the cell's
    /// parameters).
    pub neurons: Option<usize>,
    /// First parameter (x axis).
    pub x: Grid,
    /// Second parameter (y axis).
    pub y: Grid,
    /// The other parameters given (the rest are the preset's defaults).
    pub set: BTreeMap<String, f64>,
    /// Training samples per cell (the first n of the training set, one pass).
    pub train_samples: usize,
    /// Test samples per cell (the first m of the evaluation set).
    pub test_samples: usize,
    /// Presentations averaged by the Lyapunov measurement, after training.
    pub lyapunov_samples: usize,
    /// Initial separation of the two copies' learning states, relative to their norm.
    pub d0_relative: f64,
    /// Hold out the last `holdout` training images as the evaluation set (0: the test split).
    pub holdout: usize,
    /// Run seed.
    pub seed: u64,
}

/// One trained network of the grid.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NetworkCell {
    /// Cell index, `iy · nx + ix`.
    pub index: usize,
    /// The two swept parameters' values, by name.
    #[serde(flatten)]
    pub params: BTreeMap<String, f64>,
    /// The cell's network seed.
    pub seed: u64,
    /// Output neurons.
    pub neurons: usize,
    /// Lyapunov exponent of learning (per presentation); None when the copies merged (−∞).
    pub lambda: Option<f64>,
    /// Its standard error.
    pub lambda_stderr: f64,
    /// How the two copies ended.
    pub status: LearningStatus,
    /// Test accuracy, all-activity vote (the accuracy compared with λ).
    pub accuracy: f64,
    /// Test accuracy, proportion weighting.
    pub accuracy_proportion: f64,
    /// Test accuracy, vote-for-all.
    pub accuracy_vote_for_all: f64,
    /// Presentations during training (retries included).
    pub presentations: u64,
    /// What the plasticity rule counted during training and the measurement (MesoNet rule).
    pub plasticity_events: Option<crate::sim::plasticity::MesoEvents>,
}

/// Accuracy against λ over the cells with a finite λ (all None in a shard's file).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Correlation {
    /// Cells with a finite λ (status ok or saturated).
    pub finite_lambda_cells: Option<usize>,
    /// Spearman's ρ of accuracy and λ (None with fewer than 3 cells or a constant).
    pub spearman_rho: Option<f64>,
    /// Its percentile-bootstrap 95 % interval.
    pub spearman_interval: Option<BootstrapInterval>,
    /// The same of accuracy and |λ| (the edge-of-chaos reading: best near |λ| = 0 means
    /// a negative ρ).
    pub spearman_rho_abs: Option<f64>,
    /// Its interval.
    pub spearman_interval_abs: Option<BootstrapInterval>,
}

/// What a (whole or sharded) run writes as its data file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NetworkHeatmapData {
    /// Always [`KIND`].
    pub kind: String,
    /// The plan.
    pub plan: NetworkHeatmapPlan,
    /// The shard this file holds (None: every cell).
    pub shard: Option<Shard>,
    /// The cells, by index.
    pub cells: Vec<NetworkCell>,
    /// Accuracy against λ (whole runs only).
    #[serde(flatten)]
    pub correlation: Correlation,
    /// The build that computed the cells (`git describe`-like; shards must agree).
    pub commit: String,
}

impl NetworkHeatmapPlan {
    /// Cells in the grid.
    pub fn cells(&self) -> usize {
        self.x.len() * self.y.len()
    }

    /// The parameters of cell `index`.
    fn cell_set(&self, index: usize) -> BTreeMap<String, f64> {
        let (ix, iy) = (index % self.x.len(), index / self.x.len());
        let mut set = self.set.clone();
        set.insert(self.x.name.clone(), self.x.values[ix]);
        set.insert(self.y.name.clone(), self.y.values[iy]);
        set
    }

    /// The training run of cell `index` on images of `shape`.
    fn cell_config(&self, index: usize, shape: (usize, usize, usize)) -> Result<TrainConfig> {
        let set = self.cell_set(index);
        let neurons = match self.neurons {
            Some(n) => n,
            None => Preset::default_neurons(&self.preset, &set, shape)?,
        };
        Ok(TrainConfig {
            preset: self.preset.clone(),
            neurons,
            train_samples: self.train_samples,
            test_samples: self.test_samples,
            epochs: 1,
            seed: stream_seed(&[self.seed, CELL_TAG, index as u64]),
            assign_samples: self.train_samples.min(ASSIGN_MAX),
            checkpoint_every: 0,
            set,
            holdout: self.holdout,
            input: Default::default(),
        })
    }

    /// Checks every cell's parameters and counts before anything is read or trained.
    pub fn validate(&self) -> Result<()> {
        if self.x.name == self.y.name {
            return Err(Error::InvalidParameter {
                name: "y".into(),
                value: self.y.name.clone(),
                requirement: "a parameter other than x's".into(),
            });
        }
        for axis in [&self.x.name, &self.y.name] {
            if self.set.contains_key(axis) {
                return Err(Error::InvalidParameter {
                    name: "set".into(),
                    value: axis.clone(),
                    requirement: "not a swept parameter (it is an axis of the grid)".into(),
                });
            }
        }
        Preset::check_name(&self.preset)?;
        if !Preset::takes_images(&self.preset) {
            return Err(Error::InvalidParameter {
                name: "preset".into(),
                value: self.preset.clone(),
                requirement: "a preset that learns from images (each cell's accuracy)".into(),
            });
        }
        crate::sim::learning_map::check_lyapunov_sizes(
            "lyapunov-samples",
            self.lyapunov_samples,
            self.d0_relative,
        )?;
        crate::resources::check_count("cells", self.cells(), 1.0)?;
        for index in 0..self.cells() {
            let config = self.cell_config(index, (28, 28, 1))?;
            config.validate()?;
        }
        Ok(())
    }

    /// The (training, evaluation) sets of every cell: the splits as loaded, or with a
    /// holdout the training split cut before its last images, which become the evaluation set.
    pub fn sets(&self, train: Dataset, test: Dataset) -> Result<(Dataset, Dataset)> {
        let shape = (train.rows, train.cols, train.channels);
        self.cell_config(0, shape)?.sets(train, test)
    }

    /// Checks the data against every cell (sizes, input geometry).
    pub fn validate_data(&self, train: &Dataset, test: &Dataset) -> Result<()> {
        let shape = (train.rows, train.cols, train.channels);
        for index in 0..self.cells() {
            self.cell_config(index, shape)?
                .validate_data(train, test, None)?;
        }
        Ok(())
    }
}

/// Trains, evaluates and measures cell `index` (one thread).
fn run_cell(
    plan: &NetworkHeatmapPlan,
    index: usize,
    (train, test): (&Dataset, &Dataset),
) -> Result<NetworkCell> {
    let shape = (train.rows, train.cols, train.channels);
    let config = plan.cell_config(index, shape)?;
    let mut ckpt = Checkpoint::start(config, shape)?;
    ckpt.network.network_mut().set_threads(1);
    ckpt.train(train, None, &|_, _, _| {})?;
    let eval = evaluate(&ckpt.network, &ckpt.config, train, test, &|| {});
    let lyapunov = learning_lyapunov(
        &ckpt.network,
        Some(train),
        (0, plan.lyapunov_samples),
        plan.d0_relative,
        ckpt.config.seed,
    );
    let c = &ckpt.config;
    Ok(NetworkCell {
        index,
        params: [&plan.x.name, &plan.y.name]
            .into_iter()
            .map(|name| (name.clone(), c.set[name]))
            .collect(),
        seed: c.seed,
        neurons: c.neurons,
        lambda: lyapunov.lambda,
        lambda_stderr: lyapunov.stderr,
        status: lyapunov.status,
        accuracy: eval.test_accuracy,
        accuracy_proportion: eval.test_accuracy_proportion,
        accuracy_vote_for_all: eval.test_accuracy_vote_for_all,
        presentations: ckpt.presentations,
        plasticity_events: ckpt.network.network().plasticity_events(),
    })
}

/// What figures call the statuses of a Lyapunov exponent of learning
/// ([`LearningStatus::orbit_status`]).
pub const LEARNING_STATUS_NAMES: StatusNames = StatusNames {
    absorbed: "copies merged (λ = −∞)",
    blown_up: "weights at the bounds",
};

/// Runs the cells of `shard`, in parallel on the current rayon pool, calling `tick` after
/// each.
pub fn run_cells(
    plan: &NetworkHeatmapPlan,
    shard: Shard,
    sets: (&Dataset, &Dataset),
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<NetworkCell>> {
    shard
        .cells(plan.cells())
        .into_par_iter()
        .map(|index| {
            let cell = run_cell(plan, index, sets);
            tick();
            cell
        })
        .collect()
}

/// The images of a spec's grid: the spec's `data` (relative to the working directory), else
/// $MESONET_DATA.
pub(super) fn spec_data_dir(data: &Option<String>) -> Result<std::path::PathBuf> {
    data.as_ref()
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os(crate::data::DATA_ENV).map(Into::into))
        .ok_or_else(|| Error::InvalidParameter {
            name: "data".into(),
            value: "(none)".into(),
            requirement: format!(
                "a data directory: the spec's \"data\" or ${}",
                crate::data::DATA_ENV
            ),
        })
}

/// Runs a spec's grid (kind `network_heatmap`) into `dir`: every cell, the data file under
/// the plan's name and the figures.
pub fn run(
    plan: &crate::spec::Plan,
    job: &crate::spec::NetworkHeatmapJob,
    dir: &Path,
    progress: &super::Progress,
) -> Result<NetworkHeatmapData> {
    let grid = &job.grid;
    let (train, test) = crate::data::load_splits(&spec_data_dir(&job.data)?)?;
    let (train, test) = grid.sets(train, test)?;
    grid.validate_data(&train, &test)?;
    (progress.start)(grid.cells() as u64);
    let cells = run_cells(grid, Shard::WHOLE, (&train, &test), progress.tick)?;
    let data = NetworkHeatmapData::new(
        grid.clone(),
        Shard::WHOLE,
        cells,
        crate::output::build_commit(),
    );
    data.write(dir)?;
    super::name_data_file(plan, dir, KIND)?;
    Ok(data)
}

/// Accuracy against λ over the cells with a finite λ; the bootstrap draws from the plan's
/// seed.
pub fn correlation(plan: &NetworkHeatmapPlan, cells: &[NetworkCell]) -> Correlation {
    let (lambda, accuracy): (Vec<f64>, Vec<f64>) = cells
        .iter()
        .filter_map(|c| c.lambda.filter(|l| l.is_finite()).map(|l| (l, c.accuracy)))
        .unzip();
    let magnitude: Vec<f64> = lambda.iter().map(|l| l.abs()).collect();
    let boot = |seed_tag: u64| {
        (
            RESAMPLES,
            0.95,
            stream_seed(&[plan.seed, CELL_TAG, seed_tag]),
        )
    };
    Correlation {
        finite_lambda_cells: Some(lambda.len()),
        spearman_rho: spearman(&accuracy, &lambda),
        spearman_interval: spearman_interval(&accuracy, &lambda, boot(u64::MAX)),
        spearman_rho_abs: spearman(&accuracy, &magnitude),
        spearman_interval_abs: spearman_interval(&accuracy, &magnitude, boot(u64::MAX - 1)),
    }
}

impl NetworkHeatmapData {
    /// The data of a run computed by build `commit`: a whole one gets its correlation.
    pub fn new(
        plan: NetworkHeatmapPlan,
        shard: Shard,
        cells: Vec<NetworkCell>,
        commit: &str,
    ) -> Self {
        let correlation = if shard.is_whole() {
            correlation(&plan, &cells)
        } else {
            Correlation::default()
        };
        Self {
            kind: KIND.into(),
            plan,
            shard: (!shard.is_whole()).then_some(shard),
            cells,
            correlation,
            commit: commit.into(),
        }
    }

    /// Joins the shards of one plan (read from the directories named) into the data of the
    /// whole run.
    pub fn merge(parts: Vec<(String, NetworkHeatmapData)>) -> Result<Self> {
        let parts = parts
            .into_iter()
            .map(|(name, d)| super::shard::Part {
                name,
                plan: d.plan,
                shard: d.shard,
                commit: d.commit,
                cells: d.cells,
            })
            .collect();
        let (plan, commit, cells) =
            super::shard::join(parts, |c: &NetworkCell| c.index, NetworkHeatmapPlan::cells)?;
        // Each cell must be the plan's: its parameters and seed derive from its index.
        for c in &cells {
            let set = plan.cell_set(c.index);
            let seed = stream_seed(&[plan.seed, CELL_TAG, c.index as u64]);
            let same = [&plan.x.name, &plan.y.name].iter().all(|name| {
                c.params.get(*name).map(|v| v.to_bits()) == set.get(*name).map(|v| v.to_bits())
            });
            if !same || c.params.len() != 2 || c.seed != seed {
                return Err(Error::InvalidParameter {
                    name: "merge".into(),
                    value: format!("cell {}", c.index),
                    requirement: "the plan's parameters and seed for its index".into(),
                });
            }
        }
        Ok(Self::new(plan, Shard::WHOLE, cells, &commit))
    }

    /// Writes `<KIND>.json` and `cells.csv` into `dir`, and for a whole run the figures.
    /// Returns the files written.
    pub fn write(&self, dir: &Path) -> Result<Vec<String>> {
        let json = serde_json::to_value(self).expect("plain data serialises");
        write_json(&dir.join(format!("{KIND}.json")), &json)?;
        let (xn, yn) = (self.plan.x.name.as_str(), self.plan.y.name.as_str());
        write_csv(
            &dir.join("cells.csv"),
            &[
                "index",
                xn,
                yn,
                "lambda",
                "lambda_stderr",
                "status",
                "accuracy",
                "accuracy_proportion",
                "accuracy_vote_for_all",
            ],
            self.cells.iter().map(|c| {
                vec![
                    c.index.to_string(),
                    csv_number(c.params[xn]),
                    csv_number(c.params[yn]),
                    csv_number(c.lambda.unwrap_or(f64::NAN)),
                    csv_number(c.lambda_stderr),
                    c.status.as_str().to_string(),
                    csv_number(c.accuracy),
                    csv_number(c.accuracy_proportion),
                    csv_number(c.accuracy_vote_for_all),
                ]
            }),
        )?;
        let mut files = vec![format!("{KIND}.json"), "cells.csv".to_string()];
        if self.shard.is_none() {
            files.extend(self.figures(dir)?);
        }
        Ok(files)
    }

    /// The λ heatmap, the accuracy heatmap and accuracy against λ.
    fn figures(&self, dir: &Path) -> Result<Vec<String>> {
        let p = &self.plan;
        let mut lambda = vec![f64::NAN; p.cells()];
        let mut accuracy = vec![f64::NAN; p.cells()];
        let mut status = vec![OrbitStatus::Ok; p.cells()];
        for c in &self.cells {
            lambda[c.index] = c.lambda.unwrap_or(f64::NAN);
            accuracy[c.index] = c.accuracy;
            status[c.index] = c.status.orbit_status();
        }
        let names = LEARNING_STATUS_NAMES;
        let what = format!(
            "{}, {} training samples per cell",
            p.preset, p.train_samples
        );
        heatmap(
            &HeatmapFigure {
                title: format!("Lyapunov exponent of learning — {what}"),
                x_label: p.x.name.clone(),
                y_label: p.y.name.clone(),
                value_label: "λ (per presentation)".into(),
                x_values: p.x.values.clone(),
                y_values: p.y.values.clone(),
                values: lambda,
                status: status.clone(),
                zero_contour: true,
                scale: ColourScale::Diverging,
                status_names: names,
            },
            &dir.join("lambda"),
        )?;
        heatmap(
            &HeatmapFigure {
                title: format!("Test accuracy (all-activity) — {what}"),
                x_label: p.x.name.clone(),
                y_label: p.y.name.clone(),
                value_label: "test accuracy".into(),
                x_values: p.x.values.clone(),
                y_values: p.y.values.clone(),
                scale: {
                    // The grid's own range (a 0-1 scale would flatten differences of a few
                    // points); one value: that value's neighbourhood.
                    match crate::figures::finite_extent(accuracy.iter().copied()) {
                        Some((low, high)) if low < high => ColourScale::Sequential { low, high },
                        Some((value, _)) => ColourScale::Sequential {
                            low: value - 0.01,
                            high: value + 0.01,
                        },
                        None => ColourScale::Sequential {
                            low: 0.0,
                            high: 1.0,
                        },
                    }
                },
                values: accuracy,
                status: vec![OrbitStatus::Ok; p.cells()],
                zero_contour: false,
                status_names: StatusNames::default(),
            },
            &dir.join("accuracy"),
        )?;
        let c = &self.correlation;
        let rho = c.spearman_rho.map(|r| match &c.spearman_interval {
            Some(i) => format!("Spearman ρ = {r:.2} [{:.2}, {:.2}]", i.low, i.high),
            None => format!("Spearman ρ = {r:.2}"),
        });
        line_chart(
            &LineChart {
                title: format!(
                    "Accuracy against λ — {}",
                    rho.unwrap_or_else(|| "ρ undefined".into())
                ),
                x_label: "λ (per presentation)".into(),
                y_label: "test accuracy (all-activity)".into(),
                series: vec![Series {
                    label: format!("cells ({})", self.cells.len()),
                    points: self
                        .cells
                        .iter()
                        .map(|c| (c.lambda.unwrap_or(f64::NAN), c.accuracy))
                        .collect(),
                    style: SeriesStyle::Markers,
                }],
                x_range: None,
                y_range: None,
                vlines: vec![RefLine {
                    value: 0.0,
                    label: "λ = 0".into(),
                }],
                hlines: Vec::new(),
            },
            &dir.join("accuracy-vs-lambda"),
        )?;
        Ok(["lambda", "accuracy", "accuracy-vs-lambda"]
            .iter()
            .flat_map(|s| [format!("{s}.png"), format!("{s}.svg")])
            .collect())
    }

    /// A few lines with the numbers.
    pub fn text(&self) -> String {
        let mut t = format!(
            "{} of {} cells ({} × {} = {} × {})",
            self.cells.len(),
            self.plan.cells(),
            self.plan.x.name,
            self.plan.y.name,
            self.plan.x.len(),
            self.plan.y.len()
        );
        if let Some(s) = &self.shard {
            t.push_str(&format!(", shard {s}"));
        }
        t.push('\n');
        if let Some(best) = self
            .cells
            .iter()
            .max_by(|a, b| a.accuracy.total_cmp(&b.accuracy))
        {
            t.push_str(&format!(
                "best accuracy {:.2} % at {} = {}, {} = {} (λ = {})\n",
                100.0 * best.accuracy,
                self.plan.x.name,
                best.params[&self.plan.x.name],
                self.plan.y.name,
                best.params[&self.plan.y.name],
                best.lambda.map_or("−∞".to_string(), |l| format!("{l:.4}"))
            ));
        }
        let c = &self.correlation;
        if let Some(n) = c.finite_lambda_cells {
            let show = |r: Option<f64>, i: &Option<BootstrapInterval>| match (r, i) {
                (Some(r), Some(i)) => format!("{r:.3} [{:.3}, {:.3}]", i.low, i.high),
                (Some(r), None) => format!("{r:.3}"),
                _ => "undefined".into(),
            };
            t.push_str(&format!(
                "Spearman ρ(accuracy, λ) = {}; ρ(accuracy, |λ|) = {} over {} cells with finite λ\n",
                show(c.spearman_rho, &c.spearman_interval),
                show(c.spearman_rho_abs, &c.spearman_interval_abs),
                n
            ));
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> NetworkHeatmapPlan {
        NetworkHeatmapPlan {
            preset: "diehl-cook".into(),
            neurons: Some(10),
            x: Grid::linspace("nu_post", 0.005, 0.02, 2).unwrap(),
            y: Grid::linspace("nu_pre", 0.0001, 0.0004, 2).unwrap(),
            set: BTreeMap::new(),
            train_samples: 20,
            test_samples: 10,
            lyapunov_samples: 3,
            d0_relative: 1e-8,
            holdout: 0,
            seed: 3,
        }
    }

    #[test]
    fn bad_plans_are_refused_naming_the_field() {
        let mut p = plan();
        p.y.name = "nu_post".into();
        assert!(p.validate().unwrap_err().to_string().contains("y"));
        let mut p = plan();
        p.set.insert("nu_pre".into(), 1e-4);
        assert!(p.validate().unwrap_err().to_string().contains("set"));
        let mut p = plan();
        p.x = Grid::linspace("no_such", 0.0, 1.0, 2).unwrap();
        assert!(p.validate().unwrap_err().to_string().contains("no_such"));
        let mut p = plan();
        p.lyapunov_samples = 0;
        assert!(p
            .validate()
            .unwrap_err()
            .to_string()
            .contains("lyapunov-samples"));
        assert!(plan().validate().is_ok());
    }

    #[test]
    fn cells_carry_their_grid_values_and_distinct_seeds() {
        let p = plan();
        let a = p.cell_config(1, (28, 28, 1)).unwrap();
        let b = p.cell_config(2, (28, 28, 1)).unwrap();
        assert_eq!(a.set["nu_post"].to_bits(), 0.02f64.to_bits());
        assert_eq!(a.set["nu_pre"].to_bits(), 0.0001f64.to_bits());
        assert_eq!(b.set["nu_post"].to_bits(), 0.005f64.to_bits());
        assert_eq!(b.set["nu_pre"].to_bits(), 0.0004f64.to_bits());
        assert_ne!(a.seed, b.seed);
    }
}
