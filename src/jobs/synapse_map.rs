//! The synapse map figure: F(w) with w_c and the fixed points (MODEL.md §4).

use crate::error::Result;
use crate::figures::{line_chart, LineChart, RefLine, Series, SeriesStyle};
use crate::model::synapse_map::SynapseModel;
use crate::output::{csv_number, write_csv, write_json};
use crate::spec::{Plan, PlanKind};
use std::path::Path;

/// Summary of the synapse's fixed points as JSON (shared with `mesonet synapse`).
pub fn fixed_point_json(model: &SynapseModel) -> serde_json::Value {
    let mut json = serde_json::json!({
        "w_c": model.w_c(),
        "fixed_points": model.fixed_points(),
    });
    if model.params().mu == 0.0 {
        json["additive_closed_form"] = match model.additive_closed_form() {
            Ok(fp) => serde_json::to_value(fp).expect("plain struct"),
            Err(e) => serde_json::json!({ "undefined": e.to_string() }),
        };
    }
    json
}

/// Draws F(w) and writes `drift.csv`, `<name>.json`, `drift.png/svg`.
pub fn run(plan: &Plan, dir: &Path) -> Result<serde_json::Value> {
    let PlanKind::SynapseMap { params, points } = &plan.kind else {
        unreachable!("dispatched by kind")
    };
    let model = SynapseModel::new(params.synapse_params()?)?;
    let w_c = model.w_c();
    let w_hi = model.params().w_max.max(2.0 * w_c) * 1.05;
    let w_lo = 0.8 * w_c;
    let weights: Vec<f64> = (0..*points)
        .map(|i| w_lo + (w_hi - w_lo) * i as f64 / (*points - 1) as f64)
        .collect();
    let drift: Vec<Option<f64>> = weights.iter().map(|&w| model.drift(w)).collect();
    write_csv(
        &dir.join("drift.csv"),
        &["w", "F", "silent"],
        weights.iter().zip(&drift).map(|(&w, f)| {
            vec![
                csv_number(w),
                csv_number(f.unwrap_or(f64::NAN)),
                (f.is_none() as u8).to_string(),
            ]
        }),
    )?;
    let active: Vec<(f64, f64)> = weights
        .iter()
        .zip(&drift)
        .filter_map(|(&w, f)| f.map(|f| (w, f)))
        .collect();
    let silent: Vec<(f64, f64)> = weights
        .iter()
        .filter(|&&w| w < w_c)
        .map(|&w| (w, 0.0))
        .collect();
    let fixed = model.fixed_points();
    let mut vlines = vec![RefLine {
        value: w_c,
        label: format!("w_c = {w_c:.4}"),
    }];
    vlines.extend(fixed.iter().map(|fp| RefLine {
        value: fp.w,
        label: format!("w* = {:.4}", fp.w),
    }));
    let p = model.params();
    line_chart(
        &LineChart {
            title: format!(
                "Synapse drift F(w): T = {} ms, τ = {} ms, τ_m = {} ms, μ = {}, w_max = {}",
                p.period_ms, p.tau_ms, p.tau_m_ms, p.mu, p.w_max
            ),
            x_label: "weight w".into(),
            y_label: "F(w) (weight change per period / η)".into(),
            series: vec![
                Series {
                    label: "F(w), post neuron fires".into(),
                    points: active,
                    style: SeriesStyle::Line,
                },
                Series {
                    label: "silent region w < w_c: no update".into(),
                    points: silent,
                    style: SeriesStyle::Dashed,
                },
                Series {
                    label: "fixed points".into(),
                    points: fixed.iter().map(|fp| (fp.w, 0.0)).collect(),
                    style: SeriesStyle::Markers,
                },
            ],
            x_range: Some((w_lo, w_hi)),
            y_range: None,
            vlines,
            hlines: vec![RefLine {
                value: 0.0,
                label: String::new(),
            }],
        },
        &dir.join("drift"),
    )?;
    let mut json = super::header(plan, "synapse_map");
    json.insert("params".into(), params.to_json());
    if let serde_json::Value::Object(fp) = fixed_point_json(&model) {
        json.extend(fp);
    }
    let value = serde_json::Value::Object(json);
    write_json(&dir.join(format!("{}.json", plan.name)), &value)?;
    Ok(value)
}
