//! Orbit (bifurcation) diagrams with an optional Lyapunov panel beneath.

use super::{write_summary, Header, Progress};
use crate::analysis::lyapunov::LyapunovResult;
use crate::analysis::orbit::{orbit_diagram, OrbitColumn, OrbitOptions};
use crate::analysis::{Grid, OrbitStatus};
use crate::error::Result;
use crate::figures::{bifurcation, BifurcationFigure, RefLine};
use crate::model::synapse_map::SynapseModel;
use crate::output::{csv_number, write_csv};
use crate::registry::{build_map_with, largest_lyapunov, ParamSet, SystemKind};
use crate::spec::{OrbitPlan, Plan};
use rayon::prelude::*;
use std::path::Path;

/// What an orbit diagram writes as `<name>.json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrbitSummary {
    /// Name, kind, description.
    #[serde(flatten)]
    pub header: Header,
    /// The system's name.
    pub system: &'static str,
    /// The system's parameters.
    pub params: serde_json::Value,
    /// The swept parameter's values.
    pub sweep: Grid,
    /// Orbit settings.
    pub options: OrbitOptions,
    /// The starting state.
    pub x0: Vec<f64>,
    /// The orbit at each value.
    pub columns: Vec<OrbitColumn>,
    /// λ at each value (with the λ panel).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lyapunov: Option<Vec<LyapunovResult>>,
    /// Known locations marked on the figure.
    pub marks: Vec<Mark>,
}

/// A known location marked on the figure.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Mark {
    /// Its label.
    pub label: String,
    /// The swept parameter's value there.
    pub at: f64,
}

impl OrbitSummary {
    /// The system, the sweep, the marks and how often λ > 0.
    pub fn text(&self) -> String {
        let values = self.sweep.values.len();
        let mut text = format!(
            "orbit diagram of {} over {} ({values} values)\n",
            self.system, self.sweep.name
        );
        for mark in &self.marks {
            text.push_str(&format!("  {} = {:.10}\n", mark.label, mark.at));
        }
        if let Some(lyap) = &self.lyapunov {
            let largest: Vec<f64> = lyap
                .iter()
                .map(|l| l.exponents.first().copied().unwrap_or(f64::NAN))
                .filter(|v| v.is_finite())
                .collect();
            let positive = largest.iter().filter(|&&v| v > 0.0).count();
            let max = largest.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            text.push_str(&format!(
                "  λ > 0 at {positive} of {values} values; largest λ {max:.4}\n"
            ));
        }
        text
    }
}

/// Computes the orbit diagram and λ(p); writes `orbit.csv`, `columns.csv`, `<name>.json` and
/// `orbit.png/svg`.
pub fn run(plan: &Plan, kind: &OrbitPlan, dir: &Path, progress: &Progress) -> Result<OrbitSummary> {
    let OrbitPlan {
        params,
        grid,
        orbit,
        lyapunov,
        x0,
    } = kind;
    let name = grid.name.as_str();
    let (_, default_start) = build_map_with(params, name, grid.values[0], "an orbit diagram")?;
    let start = x0.clone().unwrap_or(default_start);
    let units = grid.len() as u64 * if lyapunov.is_some() { 2 } else { 1 };
    (progress.start)(units);
    let columns = orbit_diagram(
        grid,
        &start,
        orbit,
        |p| build_map_with(params, name, p, "an orbit diagram").map(|(m, _)| m),
        progress.tick,
    )?;
    let exponents = match lyapunov {
        Some(opts) => Some(
            grid.values
                .par_iter()
                .map(|&p| {
                    let mut at = params.clone();
                    at.set(name, p)?;
                    let r = largest_lyapunov(&at, x0.as_deref(), opts);
                    (progress.tick)();
                    r
                })
                .collect::<Vec<_>>()
                .into_iter()
                .collect::<Result<Vec<_>>>()?,
        ),
        None => None,
    };
    write_csv(
        &dir.join("orbit.csv"),
        &[
            name,
            SystemKind::state_names(params.kind())[orbit.component],
        ],
        columns.iter().flat_map(|c| {
            c.samples
                .iter()
                .map(move |&s| vec![csv_number(c.param), csv_number(s)])
        }),
    )?;
    write_csv(
        &dir.join("columns.csv"),
        &[name, "status", "lyapunov", "lyapunov_status"],
        columns.iter().enumerate().map(|(i, c)| {
            let lyap = exponents.as_ref().map(|e| &e[i]);
            vec![
                csv_number(c.param),
                c.status.as_str().into(),
                lyap.map(|l| csv_number(l.largest())).unwrap_or_default(),
                lyap.map(|l| l.status.as_str().to_string())
                    .unwrap_or_default(),
            ]
        }),
    )?;
    let marks = reference_marks(params, name)?;
    draw(plan, kind, dir, &columns, exponents.as_deref(), &marks)?;
    let summary = OrbitSummary {
        header: Header::new(plan, "orbit"),
        system: params.kind().name(),
        params: params.to_json(),
        sweep: grid.clone(),
        options: *orbit,
        x0: start,
        columns,
        lyapunov: exponents,
        marks: marks
            .into_iter()
            .map(|m| Mark {
                label: m.label,
                at: m.value,
            })
            .collect(),
    };
    write_summary(plan, dir, &summary)?;
    Ok(summary)
}

/// Known locations worth marking: η_c of the synapse's stable fixed points when sweeping η.
fn reference_marks(params: &ParamSet, name: &str) -> Result<Vec<RefLine>> {
    if params.kind() != SystemKind::SynapseMap || name != "eta" {
        return Ok(vec![]);
    }
    let model = SynapseModel::new(params.synapse_params()?)?;
    Ok(model
        .fixed_points()
        .iter()
        .filter_map(|fp| fp.eta_c)
        .map(|eta_c| RefLine {
            value: eta_c,
            label: format!("η_c = {eta_c:.4}"),
        })
        .collect())
}

fn draw(
    plan: &Plan,
    OrbitPlan { params, grid, .. }: &OrbitPlan,
    dir: &Path,
    columns: &[OrbitColumn],
    exponents: Option<&[LyapunovResult]>,
    marks: &[RefLine],
) -> Result<()> {
    let kind = params.kind();
    let label = kind
        .params()
        .iter()
        .find(|p| p.name == grid.name)
        .map(|p| format!("{} ({})", crate::registry::label(&grid.name), p.doc))
        .unwrap_or_else(|| grid.name.clone());
    bifurcation(
        &BifurcationFigure {
            title: if plan.description.is_empty() {
                format!("Orbit diagram of the {} map", kind.name())
            } else {
                plan.description.clone()
            },
            param_label: label,
            state_label: format!("{} (after transient)", kind.state_names()[0]),
            orbit: columns
                .iter()
                .flat_map(|c| c.samples.iter().map(move |&s| (c.param, s)))
                .collect(),
            status: columns.iter().map(|c| (c.param, c.status)).collect(),
            lyapunov: exponents.map(|e| {
                columns
                    .iter()
                    .zip(e)
                    .filter(|(_, l)| l.status == OrbitStatus::Ok)
                    .map(|(c, l)| (c.param, l.largest()))
                    .collect()
            }),
            lyapunov_label: "λ (per iteration)".into(),
            vlines: marks.to_vec(),
            branches: vec![],
            markers: vec![],
            status_names: crate::figures::StatusNames::default(),
        },
        &dir.join("orbit"),
    )
}
