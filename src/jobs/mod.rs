//! Runs validated [`Plan`]s: computes the data, writes it as CSV and JSON and draws the
//! figures (PNG + SVG) into `<out_root>/<plan name>/`, atomically (see [`crate::output`]).
//! One module per plan kind.

pub mod continuation;
pub mod heatmap;
pub mod orbit;
pub mod spectrum;
pub mod spike_timing;
pub mod stdp_window;
pub mod synapse_map;
pub mod training;

use crate::error::Result;
use crate::output::OutputDir;
use crate::spec::{Plan, PlanKind};
use std::path::PathBuf;

/// Progress callbacks of a long job: `start(total units)` once, then `tick()` per unit.
pub struct Progress<'a> {
    /// Called once with the number of work units.
    pub start: &'a (dyn Fn(u64) + Sync),
    /// Called after each finished unit (from any thread).
    pub tick: &'a (dyn Fn() + Sync),
}

impl Progress<'_> {
    /// No progress reporting.
    pub fn none() -> Progress<'static> {
        Progress {
            start: &|_| {},
            tick: &|| {},
        }
    }
}

/// What a finished job reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct JobReport {
    /// The plan's name.
    pub name: String,
    /// The output directory.
    pub dir: PathBuf,
    /// Files written, relative to `dir`.
    pub files: Vec<String>,
    /// The job's summary (also written as `<name>.json`, with the full data).
    pub summary: serde_json::Value,
}

/// Runs `plan` and writes its outputs into `out` (staged, renamed into place when complete).
pub fn run(plan: &Plan, out: &OutputDir, progress: &Progress) -> Result<JobReport> {
    let staged = out.stage()?;
    let dir = staged.path();
    let summary = match &plan.kind {
        PlanKind::SpikeTiming { .. } => spike_timing::run(plan, dir)?,
        PlanKind::StdpWindow { .. } => stdp_window::run(plan, dir)?,
        PlanKind::SynapseMap { .. } => synapse_map::run(plan, dir)?,
        PlanKind::Orbit { .. } => orbit::run(plan, dir, progress)?,
        PlanKind::Heatmap { .. } => heatmap::run(plan, dir, progress)?,
        PlanKind::Continuation { .. } => continuation::run(plan, dir, progress)?,
        PlanKind::Spectrum { .. } => spectrum::run(plan, dir)?,
    };
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| crate::Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|name| !name.starts_with('.'))
        .collect();
    files.sort();
    let dir = staged.commit()?;
    Ok(JobReport {
        name: plan.name.clone(),
        dir,
        files,
        summary,
    })
}

/// The JSON header every job writes: name, description, kind.
fn header(plan: &Plan, kind: &str) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    m.insert("name".into(), plan.name.clone().into());
    m.insert("kind".into(), kind.into());
    m.insert("description".into(), plan.description.clone().into());
    m
}

/// A few lines of text with the numbers a job's summary holds (what `--json` prints in full).
pub fn describe(summary: &serde_json::Value) -> String {
    let num = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    let percent = |v: &serde_json::Value| format!("{:.2} %", 100.0 * num(v));
    match summary["kind"].as_str().unwrap_or_default() {
        "orbit" => {
            let sweep = &summary["sweep"];
            let values = sweep["values"].as_array().map_or(0, Vec::len);
            let mut text = format!(
                "orbit diagram of {} over {} ({values} values)\n",
                summary["system"].as_str().unwrap_or_default(),
                sweep["name"].as_str().unwrap_or_default()
            );
            for mark in summary["marks"].as_array().into_iter().flatten() {
                text.push_str(&format!(
                    "  {} = {:.10}\n",
                    mark["label"].as_str().unwrap_or_default(),
                    num(&mark["at"])
                ));
            }
            if let Some(lyap) = summary["lyapunov"].as_array() {
                let largest: Vec<f64> = lyap
                    .iter()
                    .map(|l| num(&l["exponents"][0]))
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
        "heatmap" => {
            let mut text = format!(
                "λ_max of {} over {} × {}: ",
                summary["system"].as_str().unwrap_or_default(),
                summary["x"]["name"].as_str().unwrap_or_default(),
                summary["y"]["name"].as_str().unwrap_or_default()
            );
            let parts: Vec<String> = summary["regime_fractions"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| format!("{k} {}", percent(v)))
                .collect();
            text.push_str(&parts.join(", "));
            text.push('\n');
            text
        }
        "continuation" => {
            let mut text = format!(
                "continuation of {} in {} from {} to {}: {} branch(es)\n",
                summary["system"].as_str().unwrap_or_default(),
                summary["param"].as_str().unwrap_or_default(),
                num(&summary["from"]),
                num(&summary["to"]),
                summary["branches"].as_array().map_or(0, Vec::len)
            );
            for b in summary["bifurcations"].as_array().into_iter().flatten() {
                text.push_str(&format!(
                    "  {} at {} = {:.12} (period {})\n",
                    b["kind"].as_str().unwrap_or_default(),
                    summary["param"].as_str().unwrap_or_default(),
                    num(&b["at"]),
                    b["period"]
                ));
            }
            text
        }
        "spectrum" => {
            let mut text = format!(
                "spectrum of {} (n = {}):",
                summary["matrix"].as_str().unwrap_or_default(),
                summary["n"]
            );
            for key in [
                "lambda1",
                "mean_real",
                "ks_semicircle",
                "ks_semicircle_recentred",
                "ks_semicircle_fitted",
                "ks_ellipse",
                "ks_critical_1pct",
            ] {
                if let Some(v) = summary[key].as_f64() {
                    text.push_str(&format!(" {key} {v:.4}"));
                }
            }
            if let Some(m) = summary["moments_1_to_6"].as_array() {
                let shown: Vec<String> = m.iter().map(|v| format!("{:.4}", num(v))).collect();
                text.push_str(&format!(" moments 1-6 [{}]", shown.join(", ")));
            }
            for f in summary["radius_fractions"].as_array().into_iter().flatten() {
                text.push_str(&format!(
                    " inside r={}: {:.3} (r² {:.4})",
                    num(&f["r"]),
                    num(&f["fraction_inside"]),
                    num(&f["r_squared"])
                ));
            }
            text.push('\n');
            text
        }
        _ => String::new(),
    }
}
