//! `kind: "local_jacobians"`: eigenvalues of single synapses' (w, η) Jacobians sampled along a
//! learning run ([`crate::jobs::local_jacobians`]).

use std::collections::BTreeMap;

use super::QuickSizes;
use crate::error::Result;
use crate::jobs::local_jacobians::LocalJacobianPlan;
use crate::spec::plan::PlanKind;

spec_body! {
    /// `kind: "local_jacobians"`.
    pub struct LocalJacobiansSpec {
        /// Network preset (its synapses carry η, its samples have a fixed length).
        pub preset: String,
        /// Preset parameters.
        #[serde(default)]
        pub set: BTreeMap<String, f64>,
        /// Output neurons per layer (default: the preset's).
        pub neurons: Option<usize>,
        /// Presentations of the run (quick: `samples`).
        pub samples: usize,
        /// Synapses drawn before each presentation.
        pub per_sample: usize,
        /// Relative finite-difference step.
        #[serde(default = "default_delta")]
        pub delta: f64,
        /// Run seed.
        #[serde(default)]
        pub seed: u64,
    }
}

fn default_delta() -> f64 {
    1e-6
}

impl LocalJacobiansSpec {
    /// Validates into a plan body, with `q` overriding sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let plan = LocalJacobianPlan {
            preset: self.preset.clone(),
            neurons: self.neurons,
            set: self.set.clone(),
            samples: q.samples.unwrap_or(self.samples),
            per_sample: self.per_sample,
            delta: self.delta,
            seed: self.seed,
        };
        plan.validate()?;
        Ok(PlanKind::LocalJacobians(plan))
    }
}
