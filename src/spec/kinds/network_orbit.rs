//! `kind: "network_orbit"`: a bifurcation diagram from simulation (an observable of the
//! learning state after each presentation, λ of learning beneath;
//! [`crate::jobs::network_orbit`]).

use std::collections::BTreeMap;

use super::{AxisSpec, QuickSizes};
use crate::analysis::Grid;
use crate::error::Result;
use crate::jobs::network_orbit::{NetworkOrbitPlan, Observable};
use crate::spec::plan::{NetworkOrbitJob, PlanKind};

spec_body! {
    /// `kind: "network_orbit"` — every value of the swept parameter learns its own network.
    pub struct NetworkOrbitSpec {
        /// Network preset.
        pub preset: String,
        /// Preset parameters fixed at every value.
        #[serde(default)]
        pub set: BTreeMap<String, f64>,
        /// The swept preset parameter (quick: `points`).
        pub param: AxisSpec,
        /// `weight:K`, `neuron:J` or `pc1`.
        pub observable: String,
        /// Presentations before recording (quick: `transient`).
        pub transient: usize,
        /// Presentations recorded (quick: `samples`).
        pub samples: usize,
        /// Lyapunov presentations after them (quick: `steps`).
        pub lyapunov_samples: usize,
        /// Relative initial separation of the two copies.
        #[serde(default = "default_d0")]
        pub d0: f64,
        /// Output neurons (default: the preset's).
        pub neurons: Option<usize>,
        /// Run seed.
        #[serde(default)]
        pub seed: u64,
        /// Data directory for presets that learn from images, relative to the working
        /// directory (default: $MESONET_DATA); not part of the plan.
        pub data: Option<String>,
    }
}

fn default_d0() -> f64 {
    1e-8
}

impl NetworkOrbitSpec {
    /// Validates into a plan body, with `q` overriding sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let a = &s.param;
        let plan = NetworkOrbitPlan {
            preset: s.preset.clone(),
            neurons: s.neurons,
            param: Grid::linspace(&a.param, a.from, a.to, q.points.unwrap_or(a.points))?,
            set: s.set.clone(),
            observable: Observable::parse(&s.observable)?,
            transient: q.transient.unwrap_or(s.transient),
            samples: q.samples.unwrap_or(s.samples),
            lyapunov_samples: q.steps.unwrap_or(s.lyapunov_samples),
            d0_relative: s.d0,
            seed: s.seed,
        };
        plan.validate()?;
        Ok(PlanKind::NetworkOrbit(Box::new(NetworkOrbitJob {
            orbit: plan,
            data: s.data.clone(),
        })))
    }
}
