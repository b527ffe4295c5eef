//! `kind: "heatmap"`: the largest Lyapunov exponent over two parameters.

use std::collections::BTreeMap;

use super::{check_swept, check_x0, param_set, AxisSpec, QuickSizes};
use crate::analysis::lyapunov::LyapunovOptions;
use crate::analysis::Grid;
use crate::error::{Error, Result};
use crate::registry::SystemKind;
use crate::spec::plan::{HeatmapPlan, PlanKind};

spec_body! {
    /// `kind: "heatmap"` — largest Lyapunov exponent over two parameters.
    pub struct HeatmapSpec {
        /// System name.
        pub system: String,
        /// Parameters overriding the defaults.
        #[serde(default)]
        pub set: BTreeMap<String, f64>,
        /// Horizontal axis.
        pub x: AxisSpec,
        /// Vertical axis.
        pub y: AxisSpec,
        /// Transient iterations (maps) or RK4 steps (flows).
        pub transient: usize,
        /// Averaging iterations (maps) or RK4 steps (flows).
        pub steps: usize,
        /// RK4 step for flows.
        #[serde(default = "default_dt")]
        pub dt: f64,
        /// Starting state (default: each cell's system's own).
        pub x0: Option<Vec<f64>>,
    }
}

fn default_dt() -> f64 {
    0.01
}

impl HeatmapSpec {
    /// Validates into a plan body, with `q` overriding sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let kind = SystemKind::parse(&s.system)?;
        let params = param_set(kind, &s.set)?;
        for (field, axis) in [("x", &s.x), ("y", &s.y)] {
            params
                .check_name(&axis.param)
                .map_err(|_| Error::InvalidParameter {
                    name: field.into(),
                    value: axis.param.clone(),
                    requirement: format!(
                        "a parameter of {}: {}",
                        kind.name(),
                        kind.params()
                            .iter()
                            .map(|p| p.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })?;
        }
        if s.x.param == s.y.param {
            return Err(Error::InvalidParameter {
                name: "y".into(),
                value: s.y.param.clone(),
                requirement: format!("a parameter other than the x axis' {}", s.x.param),
            });
        }
        check_swept(&s.set, &s.x.param, "x axis")?;
        check_swept(&s.set, &s.y.param, "y axis")?;
        check_x0(kind, &s.x0)?;
        let axis = |field: &str, spec: &AxisSpec, points: Option<usize>| {
            Grid::linspace(
                &spec.param,
                spec.from,
                spec.to,
                points.unwrap_or(spec.points),
            )
            .map_err(|e| match e {
                Error::EmptyRange {
                    name,
                    from,
                    to,
                    points,
                } => Error::EmptyRange {
                    name: format!("{field} axis ({name})"),
                    from,
                    to,
                    points,
                },
                other => other,
            })
        };
        let x = axis("x", &s.x, q.x_points)?;
        let y = axis("y", &s.y, q.y_points)?;
        let lyapunov = LyapunovOptions {
            transient: q.transient.unwrap_or(s.transient),
            steps: q.steps.unwrap_or(s.steps),
            dt: s.dt,
            renorm_every: 1,
            ..LyapunovOptions::default()
        }
        .validate()?;
        Ok(PlanKind::Heatmap(HeatmapPlan {
            params,
            x,
            y,
            lyapunov,
            x0: s.x0.clone(),
        }))
    }
}
