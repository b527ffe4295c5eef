//! `kind: "network_heatmap"`: a grid of trained networks (λ of learning and accuracy per cell;
//! [`crate::jobs::network_heatmap`]).

use std::collections::BTreeMap;

use super::{AxisSpec, QuickSizes};
use crate::analysis::Grid;
use crate::error::Result;
use crate::jobs::network_heatmap::NetworkHeatmapPlan;
use crate::spec::plan::{NetworkHeatmapJob, PlanKind};

spec_body! {
    /// `kind: "network_heatmap"` — every cell trains its own network.
    pub struct NetworkHeatmapSpec {
        /// Network preset.
        pub preset: String,
        /// Preset parameters fixed in every cell.
        #[serde(default)]
        pub set: BTreeMap<String, f64>,
        /// Horizontal axis (a preset parameter).
        pub x: AxisSpec,
        /// Vertical axis (another preset parameter).
        pub y: AxisSpec,
        /// Output neurons (default: the preset's for the data).
        pub neurons: Option<usize>,
        /// Training samples per cell (quick: `samples`).
        pub train_samples: usize,
        /// Test samples per cell (quick: `samples`).
        pub test_samples: usize,
        /// Lyapunov presentations per cell (quick: `steps`).
        pub lyapunov_samples: usize,
        /// Relative initial separation of the two copies.
        #[serde(default = "default_d0")]
        pub d0: f64,
        /// Held-out training images as the evaluation set (0: the test split).
        #[serde(default)]
        pub holdout: usize,
        /// Run seed.
        #[serde(default)]
        pub seed: u64,
        /// Data directory, relative to the working directory (default: $MESONET_DATA); not
        /// part of the plan.
        pub data: Option<String>,
    }
}

fn default_d0() -> f64 {
    1e-8
}

impl NetworkHeatmapSpec {
    /// Validates into a plan body, with `q` overriding sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let axis = |a: &AxisSpec, points: Option<usize>| {
            Grid::linspace(&a.param, a.from, a.to, points.unwrap_or(a.points))
        };
        let plan = NetworkHeatmapPlan {
            preset: s.preset.clone(),
            neurons: s.neurons,
            x: axis(&s.x, q.x_points)?,
            y: axis(&s.y, q.y_points)?,
            set: s.set.clone(),
            train_samples: q.samples.unwrap_or(s.train_samples),
            test_samples: q.samples.unwrap_or(s.test_samples),
            lyapunov_samples: q.steps.unwrap_or(s.lyapunov_samples),
            d0_relative: s.d0,
            holdout: s.holdout,
            seed: s.seed,
        };
        plan.validate()?;
        Ok(PlanKind::NetworkHeatmap(Box::new(NetworkHeatmapJob {
            grid: plan,
            data: s.data.clone(),
        })))
    }
}
