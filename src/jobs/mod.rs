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
use crate::output::StagedDir;
use crate::spec::{Plan, PlanKind};
use std::path::{Path, PathBuf};

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

/// Runs `plan` and writes its outputs into `out_root/<name>/`.
pub fn run(plan: &Plan, out_root: &Path, progress: &Progress) -> Result<JobReport> {
    let staged = StagedDir::new(&out_root.join(&plan.name))?;
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
