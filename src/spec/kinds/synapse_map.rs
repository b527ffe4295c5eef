//! `kind: "synapse_map"`: the synapse map F(w) and its fixed points.

use std::collections::BTreeMap;

use super::{param_set, QuickSizes};
use crate::error::{Error, Result};
use crate::registry::SystemKind;
use crate::spec::plan::{PlanKind, SynapseMapPlan};

spec_body! {
    /// `kind: "synapse_map"` — F(w) and its fixed points.
    pub struct SynapseMapSpec {
        /// Synapse parameters overriding the defaults.
        #[serde(default)]
        pub set: BTreeMap<String, f64>,
        /// Number of weights drawn.
        pub points: usize,
    }
}

impl SynapseMapSpec {
    /// Validates into a plan body, with `q` overriding sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let params = param_set(SystemKind::SynapseMap, &self.set)?;
        crate::model::synapse_map::SynapseModel::new(params.synapse_params()?)?;
        let points = q.points.unwrap_or(self.points);
        if points < 2 {
            return Err(Error::invalid("points", points as f64, ">= 2"));
        }
        Ok(PlanKind::SynapseMap(SynapseMapPlan { params, points }))
    }
}
