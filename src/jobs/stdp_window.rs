//! The STDP window figure: S(Δt) of MODEL.md §3.

use crate::error::Result;
use crate::figures::{line_chart, LineChart, RefLine, Series, SeriesStyle};
use crate::output::{csv_number, write_csv, write_json};
use crate::spec::{Plan, PlanKind};
use std::path::Path;

/// Draws S(Δt) and writes `window.csv`, `<name>.json`, `window.png/svg`.
pub fn run(plan: &Plan, dir: &Path) -> Result<serde_json::Value> {
    let PlanKind::StdpWindow { window, dt } = &plan.kind else {
        unreachable!("dispatched by kind")
    };
    let causal: Vec<(f64, f64)> = dt
        .values
        .iter()
        .filter(|&&t| t > 0.0)
        .map(|&t| (t, window.value(t)))
        .collect();
    let anti: Vec<(f64, f64)> = dt
        .values
        .iter()
        .filter(|&&t| t < 0.0)
        .map(|&t| (t, window.value(t)))
        .collect();
    write_csv(
        &dir.join("window.csv"),
        &["dt_ms", "S"],
        dt.values
            .iter()
            .map(|&t| vec![csv_number(t), csv_number(window.value(t))]),
    )?;
    line_chart(
        &LineChart {
            title: format!(
                "STDP window: A+ = {}, A− = {}, τ± = {} ms",
                window.a_plus, window.a_minus, window.tau_plus_ms
            ),
            x_label: "Δt = t_post − t_pre (ms)".into(),
            y_label: "weight change S(Δt)".into(),
            series: vec![
                Series {
                    label: "causal: A+ e^(−Δt/τ+)".into(),
                    points: causal,
                    style: SeriesStyle::Line,
                },
                Series {
                    label: "anti-causal: −A− e^(Δt/τ−)".into(),
                    points: anti,
                    style: SeriesStyle::Line,
                },
            ],
            x_range: None,
            y_range: None,
            vlines: vec![],
            hlines: vec![RefLine {
                value: 0.0,
                label: String::new(),
            }],
        },
        &dir.join("window"),
    )?;
    let mut json = super::header(plan, "stdp_window");
    json.insert(
        "window".into(),
        serde_json::to_value(window).expect("plain struct"),
    );
    let value = serde_json::Value::Object(json);
    write_json(&dir.join(format!("{}.json", plan.name)), &value)?;
    Ok(value)
}
