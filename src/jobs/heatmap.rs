//! Heatmaps of the largest Lyapunov exponent over two parameters.

use super::Progress;
use crate::analysis::heatmap::{compute, regime_fractions};
use crate::error::Result;
use crate::figures::{heatmap, HeatmapFigure};
use crate::output::{csv_number, write_csv, write_json};
use crate::registry::largest_lyapunov;
use crate::spec::{Plan, PlanKind};
use std::path::Path;

/// |λ| at or below this counts as "near zero" in the regime fractions.
pub const ZERO_BAND: f64 = 0.01;

/// Computes λ on the grid (in parallel); writes `heatmap.csv`, `<name>.json`, `heatmap.png/svg`.
pub fn run(plan: &Plan, dir: &Path, progress: &Progress) -> Result<serde_json::Value> {
    let PlanKind::Heatmap {
        params,
        x,
        y,
        lyapunov,
        x0,
    } = &plan.kind
    else {
        unreachable!("dispatched by kind")
    };
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
        },
        &dir.join("heatmap"),
    )?;
    let fractions: serde_json::Map<String, serde_json::Value> =
        regime_fractions(&map.cells, ZERO_BAND)
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::json!(v)))
            .collect();
    let mut json = super::header(plan, "heatmap");
    json.insert("system".into(), params.kind().name().into());
    json.insert("params".into(), params.to_json());
    json.insert(
        "lyapunov_options".into(),
        serde_json::to_value(lyapunov).expect("plain struct"),
    );
    json.insert(
        "regime_fractions".into(),
        serde_json::Value::Object(fractions),
    );
    json.insert("zero_band".into(), ZERO_BAND.into());
    json.insert("x".into(), serde_json::to_value(x).expect("plain struct"));
    json.insert("y".into(), serde_json::to_value(y).expect("plain struct"));
    json.insert(
        "lambda".into(),
        map.cells
            .iter()
            .map(|c| serde_json::json!(c.largest()))
            .collect(),
    );
    json.insert(
        "status".into(),
        map.cells
            .iter()
            .map(|c| serde_json::json!(c.status))
            .collect(),
    );
    let value = serde_json::Value::Object(json);
    write_json(&dir.join(format!("{}.json", plan.name)), &value)?;
    Ok(value)
}
