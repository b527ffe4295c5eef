//! `kind: "orbit"`: the orbit (bifurcation) diagram of a map, optionally with λ beneath.

use std::collections::BTreeMap;

use super::{check_swept, check_x0, param_set, AxisSpec, QuickSizes};
use crate::analysis::lyapunov::LyapunovOptions;
use crate::analysis::orbit::OrbitOptions;
use crate::analysis::Grid;
use crate::error::{Error, Result};
use crate::registry::SystemKind;
use crate::spec::plan::{OrbitPlan, PlanKind};

spec_body! {
    /// `kind: "orbit"` — orbit (bifurcation) diagram of a map, optionally with λ beneath.
    pub struct OrbitSpec {
        /// System name.
        pub system: String,
        /// Parameters overriding the defaults.
        #[serde(default)]
        pub set: BTreeMap<String, f64>,
        /// The swept parameter.
        pub sweep: AxisSpec,
        /// Transient iterations per value.
        pub transient: usize,
        /// Samples per value.
        pub samples: usize,
        /// Carry the state from one value to the next.
        #[serde(default)]
        pub carry_state: bool,
        /// Lyapunov averaging steps for the λ panel (omit for no panel).
        pub lyapunov_steps: Option<usize>,
        /// Starting state (default: the system's).
        pub x0: Option<Vec<f64>>,
    }
}

impl OrbitSpec {
    /// Validates into a plan body, with `q` overriding sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let kind = SystemKind::parse(&s.system)?;
        if !kind.is_map() {
            return Err(Error::InvalidParameter {
                name: "system".into(),
                value: s.system.clone(),
                requirement: "a discrete map for an orbit diagram".into(),
            });
        }
        let params = param_set(kind, &s.set)?;
        params.check_name(&s.sweep.param)?;
        check_swept(&s.set, &s.sweep.param, "sweep (param)")?;
        check_x0(kind, &s.x0)?;
        let grid = Grid::linspace(
            &s.sweep.param,
            s.sweep.from,
            s.sweep.to,
            q.points.unwrap_or(s.sweep.points),
        )?;
        let orbit = OrbitOptions {
            transient: q.transient.unwrap_or(s.transient),
            samples: q.samples.unwrap_or(s.samples),
            carry_state: s.carry_state,
            component: 0,
        };
        if orbit.samples == 0 {
            return Err(Error::invalid("samples", 0.0, ">= 1"));
        }
        let lyapunov = s
            .lyapunov_steps
            .map(|steps| {
                if steps == 0 {
                    return Err(Error::invalid("lyapunov_steps", 0.0, ">= 1"));
                }
                LyapunovOptions {
                    transient: orbit.transient,
                    steps: q.steps.unwrap_or(steps),
                    ..LyapunovOptions::default()
                }
                .validate()
            })
            .transpose()?;
        Ok(PlanKind::Orbit(OrbitPlan {
            params,
            grid,
            orbit,
            lyapunov,
            x0: s.x0.clone(),
        }))
    }
}
