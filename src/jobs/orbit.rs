//! Orbit (bifurcation) diagrams with an optional Lyapunov panel beneath.

use super::Progress;
use crate::analysis::orbit::{orbit_diagram, OrbitColumn};
use crate::analysis::OrbitStatus;
use crate::error::Result;
use crate::figures::{bifurcation, BifurcationFigure, RefLine};
use crate::model::synapse_map::SynapseModel;
use crate::output::{csv_number, write_csv, write_json};
use crate::registry::{build_map_with, largest_lyapunov, SystemKind};
use crate::spec::{Plan, PlanKind};
use rayon::prelude::*;
use std::path::Path;

/// Computes the orbit diagram and λ(p); writes `orbit.csv`, `columns.csv`, `<name>.json` and
/// `orbit.png/svg`.
pub fn run(plan: &Plan, dir: &Path, progress: &Progress) -> Result<serde_json::Value> {
    let PlanKind::Orbit {
        params,
        grid,
        orbit,
        lyapunov,
        x0,
    } = &plan.kind
    else {
        unreachable!("dispatched by kind")
    };
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
    let marks = reference_marks(plan, name)?;
    draw(plan, dir, &columns, exponents.as_deref(), &marks)?;
    let mut json = super::header(plan, "orbit");
    json.insert("system".into(), params.kind().name().into());
    json.insert("params".into(), params.to_json());
    json.insert(
        "sweep".into(),
        serde_json::to_value(grid).expect("plain struct"),
    );
    json.insert(
        "options".into(),
        serde_json::to_value(orbit).expect("plain struct"),
    );
    json.insert("x0".into(), serde_json::json!(start));
    json.insert(
        "columns".into(),
        serde_json::to_value(&columns).expect("plain struct"),
    );
    if let Some(e) = &exponents {
        json.insert(
            "lyapunov".into(),
            serde_json::to_value(e).expect("plain struct"),
        );
    }
    json.insert(
        "marks".into(),
        marks
            .iter()
            .map(|m| serde_json::json!({"label": m.label, "at": m.value}))
            .collect(),
    );
    let value = serde_json::Value::Object(json);
    write_json(&dir.join(format!("{}.json", plan.name)), &value)?;
    Ok(value)
}

/// Known locations worth marking: η_c of the synapse's stable fixed points when sweeping η.
fn reference_marks(plan: &Plan, name: &str) -> Result<Vec<RefLine>> {
    let PlanKind::Orbit { params, .. } = &plan.kind else {
        return Ok(vec![]);
    };
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
    dir: &Path,
    columns: &[OrbitColumn],
    exponents: Option<&[crate::analysis::lyapunov::LyapunovResult]>,
    marks: &[RefLine],
) -> Result<()> {
    let PlanKind::Orbit { params, grid, .. } = &plan.kind else {
        unreachable!("dispatched by kind")
    };
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
        },
        &dir.join("orbit"),
    )
}
