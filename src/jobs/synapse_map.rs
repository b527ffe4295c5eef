//! The synapse map figure: F(w) with w_c and the fixed points (MODEL.md §4).

use super::{write_summary, Header, Progress};
use crate::error::Result;
use crate::figures::{line_chart, LineChart, RefLine, Series, SeriesStyle};
use crate::model::synapse_map::{SynapseFixedPoint, SynapseModel};
use crate::output::{csv_number, write_csv};
use crate::spec::{Plan, SynapseMapPlan};
use std::path::Path;

/// The synapse's fixed points (shared with `mesonet synapse`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct FixedPoints {
    /// The critical weight w_c.
    pub w_c: f64,
    /// The fixed points w* ≥ w_c.
    pub fixed_points: Vec<SynapseFixedPoint>,
    /// The additive synapse's closed form (μ = 0 only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additive_closed_form: Option<ClosedForm>,
}

/// The additive synapse's closed-form fixed point, or why it is undefined.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum ClosedForm {
    /// The fixed point.
    Defined(SynapseFixedPoint),
    /// Why there is none.
    Undefined {
        /// The reason.
        undefined: String,
    },
}

impl FixedPoints {
    /// w_c, the fixed points and, for an additive synapse (μ = 0), the closed form.
    pub fn new(model: &SynapseModel) -> Self {
        let additive_closed_form =
            (model.params().mu == 0.0).then(|| match model.additive_closed_form() {
                Ok(fp) => ClosedForm::Defined(fp),
                Err(e) => ClosedForm::Undefined {
                    undefined: e.to_string(),
                },
            });
        Self {
            w_c: model.w_c(),
            fixed_points: model.fixed_points(),
            additive_closed_form,
        }
    }
}

/// Summary of the synapse's fixed points as JSON (shared with `mesonet synapse`).
pub fn fixed_point_json(model: &SynapseModel) -> serde_json::Value {
    super::to_json(&FixedPoints::new(model))
}

/// What the synapse map writes as `<name>.json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SynapseMapSummary {
    /// Name, kind, description.
    #[serde(flatten)]
    pub header: Header,
    /// The synapse's parameters.
    pub params: serde_json::Value,
    /// w_c and the fixed points.
    #[serde(flatten)]
    pub fixed: FixedPoints,
}

impl SynapseMapSummary {
    /// No text: the figure is the result.
    pub fn text(&self) -> String {
        String::new()
    }
}

/// Draws F(w) and writes `drift.csv`, `<name>.json`, `drift.png/svg`.
pub fn run(
    plan: &Plan,
    kind: &SynapseMapPlan,
    dir: &Path,
    _progress: &Progress,
) -> Result<SynapseMapSummary> {
    let SynapseMapPlan { params, points } = kind;
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
    let summary = SynapseMapSummary {
        header: Header::new(plan, "synapse_map"),
        params: params.to_json(),
        fixed: FixedPoints::new(&model),
    };
    write_summary(plan, dir, &summary)?;
    Ok(summary)
}
