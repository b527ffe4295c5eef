//! Heatmaps of the largest Lyapunov exponent over two parameters.

use super::{write_summary, Header, Progress};
use crate::analysis::heatmap::{compute, regime_fractions};
use crate::analysis::lyapunov::LyapunovOptions;
use crate::analysis::{Grid, OrbitStatus};
use crate::error::Result;
use crate::figures::{heatmap, HeatmapFigure};
use crate::output::{csv_number, write_csv};
use crate::registry::largest_lyapunov;
use crate::spec::{HeatmapPlan, Plan};
use std::collections::BTreeMap;
use std::path::Path;

/// |λ| at or below this counts as "near zero" in the regime fractions.
pub const ZERO_BAND: f64 = 0.01;

/// What a heatmap writes as `<name>.json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HeatmapSummary {
    /// Name, kind, description.
    #[serde(flatten)]
    pub header: Header,
    /// The system's name.
    pub system: &'static str,
    /// The system's parameters.
    pub params: serde_json::Value,
    /// Lyapunov settings.
    pub lyapunov_options: LyapunovOptions,
    /// Fraction of the cells in each regime, by regime name.
    pub regime_fractions: BTreeMap<&'static str, f64>,
    /// |λ| at or below this counts as "near zero".
    pub zero_band: f64,
    /// Horizontal grid.
    pub x: Grid,
    /// Vertical grid.
    pub y: Grid,
    /// λ_max of each cell, row by row (x fastest).
    pub lambda: Vec<f64>,
    /// What became of the orbit in each cell.
    pub status: Vec<OrbitStatus>,
}

impl HeatmapSummary {
    /// The system, the axes and the regime fractions.
    pub fn text(&self) -> String {
        let parts: Vec<String> = self
            .regime_fractions
            .iter()
            .map(|(k, v)| format!("{k} {:.2} %", 100.0 * v))
            .collect();
        format!(
            "λ_max of {} over {} × {}: {}\n",
            self.system,
            self.x.name,
            self.y.name,
            parts.join(", ")
        )
    }
}

/// Computes λ on the grid (in parallel); writes `heatmap.csv`, `<name>.json`, `heatmap.png/svg`.
pub fn run(
    plan: &Plan,
    kind: &HeatmapPlan,
    dir: &Path,
    progress: &Progress,
) -> Result<HeatmapSummary> {
    let HeatmapPlan {
        params,
        x,
        y,
        lyapunov,
        x0,
    } = kind;
    (progress.start)((x.len() * y.len()) as u64);
    let map = compute(
        x,
        y,
        |xv, yv| {
            let mut at = params.clone();
            at.set(&x.name, xv)?;
            at.set(&y.name, yv)?;
            largest_lyapunov(&at, x0.as_deref(), lyapunov)
        },
        progress.tick,
    )?;
    write_csv(
        &dir.join("heatmap.csv"),
        &[&x.name, &y.name, "lambda", "status"],
        map.cells.iter().enumerate().map(|(i, c)| {
            vec![
                csv_number(x.values[i % x.len()]),
                csv_number(y.values[i / x.len()]),
                csv_number(c.largest()),
                c.status.as_str().into(),
            ]
        }),
    )?;
    let per_time = if params.kind().is_map() {
        "per iteration"
    } else {
        "per unit time"
    };
    heatmap(
        &HeatmapFigure {
            title: if plan.description.is_empty() {
                format!(
                    "Largest Lyapunov exponent of the {} system",
                    params.kind().name()
                )
            } else {
                plan.description.clone()
            },
            x_label: crate::registry::label(&x.name),
            y_label: crate::registry::label(&y.name),
            value_label: format!("λ_max ({per_time})"),
            x_values: x.values.clone(),
            y_values: y.values.clone(),
            values: map.cells.iter().map(|c| c.largest()).collect(),
            status: map.cells.iter().map(|c| c.status).collect(),
            zero_contour: true,
            scale: crate::figures::heatmap::ColourScale::Diverging,
            status_names: Default::default(),
        },
        &dir.join("heatmap"),
    )?;
    let summary = HeatmapSummary {
        header: Header::new(plan, "heatmap"),
        system: params.kind().name(),
        params: params.to_json(),
        lyapunov_options: *lyapunov,
        regime_fractions: regime_fractions(&map.cells, ZERO_BAND)
            .into_iter()
            .collect(),
        zero_band: ZERO_BAND,
        x: x.clone(),
        y: y.clone(),
        lambda: map.cells.iter().map(|c| c.largest()).collect(),
        status: map.cells.iter().map(|c| c.status).collect(),
    };
    write_summary(plan, dir, &summary)?;
    Ok(summary)
}
