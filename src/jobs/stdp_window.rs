//! The STDP window figure: S(Δt) of MODEL.md §3.

use super::{write_summary, Header, Progress};
use crate::error::Result;
use crate::figures::{line_chart, LineChart, RefLine, Series, SeriesStyle};
use crate::model::stdp::StdpWindow;
use crate::output::{csv_number, write_csv};
use crate::spec::{Plan, StdpWindowPlan};
use std::path::Path;

/// What the STDP window writes as `<name>.json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StdpWindowSummary {
    /// Name, kind, description.
    #[serde(flatten)]
    pub header: Header,
    /// The window.
    pub window: StdpWindow,
}

impl StdpWindowSummary {
    /// No text: the figure is the result.
    pub fn text(&self) -> String {
        String::new()
    }
}

/// Draws S(Δt) and writes `window.csv`, `<name>.json`, `window.png/svg`.
pub fn run(
    plan: &Plan,
    kind: &StdpWindowPlan,
    dir: &Path,
    _progress: &Progress,
) -> Result<StdpWindowSummary> {
    let StdpWindowPlan { window, dt } = kind;
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
    let summary = StdpWindowSummary {
        header: Header::new(plan, "stdp_window"),
        window: *window,
    };
    write_summary(plan, dir, &summary)?;
    Ok(summary)
}
