//! `kind: "continuation"`: pseudo-arclength continuation of a fixed point over one parameter.

use std::collections::BTreeMap;

use super::{check_swept, check_x0, param_set, AxisSpec, QuickSizes};
use crate::analysis::continuation::ContinuationOptions;
use crate::analysis::orbit::OrbitOptions;
use crate::analysis::Grid;
use crate::error::Result;
use crate::registry::SystemKind;
use crate::spec::plan::{ContinuationPlan, PlanKind};

spec_body! {
    /// `kind: "continuation"` — pseudo-arclength continuation of a fixed point (equilibrium)
    /// over one parameter, with located bifurcations, overlaid on the orbit diagram (maps).
    pub struct ContinuationSpec {
        /// System name.
        pub system: String,
        /// Parameters overriding the defaults.
        #[serde(default)]
        pub set: BTreeMap<String, f64>,
        /// The continued parameter: range, and the orbit diagram's number of values.
        pub sweep: AxisSpec,
        /// Transient iterations per value of the orbit diagram.
        pub transient: usize,
        /// Samples per value of the orbit diagram.
        pub samples: usize,
        /// Period doublings to follow from flips.
        #[serde(default)]
        pub max_doublings: usize,
        /// Points per branch at most.
        #[serde(default = "default_max_points")]
        pub max_points: usize,
        /// Starting guess of the fixed point (default: the system's start).
        pub x0: Option<Vec<f64>>,
    }
}

fn default_max_points() -> usize {
    2_000
}

impl ContinuationSpec {
    /// Validates into a plan body, with `q` overriding the orbit diagram's sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let kind = SystemKind::parse(&s.system)?;
        let params = param_set(kind, &s.set)?;
        params.check_name(&s.sweep.param)?;
        check_swept(&s.set, &s.sweep.param, "continuation (param)")?;
        check_x0(kind, &s.x0)?;
        let options = ContinuationOptions {
            from: s.sweep.from,
            to: s.sweep.to,
            ds: None,
            max_points: s.max_points,
            max_doublings: s.max_doublings,
        }
        .validate()?;
        let grid = Grid::linspace(
            &s.sweep.param,
            s.sweep.from,
            s.sweep.to,
            q.points.unwrap_or(s.sweep.points),
        )?;
        let orbit = OrbitOptions {
            transient: q.transient.unwrap_or(s.transient),
            samples: q.samples.unwrap_or(s.samples),
            carry_state: false,
            component: 0,
        };
        Ok(PlanKind::Continuation(ContinuationPlan {
            params,
            grid,
            orbit,
            options,
            x0: s.x0.clone(),
        }))
    }
}
