//! Runs validated [`Plan`]s: computes the data, writes it as CSV and JSON and draws the
//! figures (PNG + SVG) into `<out_root>/<plan name>/`, atomically (see [`crate::output`]).
//! One module per plan kind.

pub mod continuation;
pub mod heatmap;
pub mod learning_spectrum;
pub mod local_jacobians;
pub mod network_heatmap;
pub mod network_orbit;
pub mod orbit;
pub mod shard;
pub mod spectrum;
pub mod spike_timing;
pub mod stdp_window;
pub mod synapse_map;
pub mod training;

use crate::error::Result;
use crate::output::{write_json, OutputDir};
use crate::spec::{Plan, PlanKind};
use serde::Serialize;
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
    /// A few lines of text with the numbers the summary holds (what `--json` prints in full).
    pub text: String,
}

/// Runs `plan` and writes its outputs into `out` (staged, renamed into place when complete).
pub fn run(plan: &Plan, out: &OutputDir, progress: &Progress) -> Result<JobReport> {
    let staged = out.stage()?;
    let dir = staged.path();
    let (summary, text) = match &plan.kind {
        PlanKind::SpikeTiming(kind) => report(
            spike_timing::run(plan, kind, dir, progress)?,
            spike_timing::SpikeTimingSummary::text,
        ),
        PlanKind::StdpWindow(kind) => report(
            stdp_window::run(plan, kind, dir, progress)?,
            stdp_window::StdpWindowSummary::text,
        ),
        PlanKind::SynapseMap(kind) => report(
            synapse_map::run(plan, kind, dir, progress)?,
            synapse_map::SynapseMapSummary::text,
        ),
        PlanKind::Orbit(kind) => report(
            orbit::run(plan, kind, dir, progress)?,
            orbit::OrbitSummary::text,
        ),
        PlanKind::Heatmap(kind) => report(
            heatmap::run(plan, kind, dir, progress)?,
            heatmap::HeatmapSummary::text,
        ),
        PlanKind::Continuation(kind) => report(
            continuation::run(plan, kind, dir, progress)?,
            continuation::ContinuationSummary::text,
        ),
        PlanKind::Spectrum(kind) => report(
            spectrum::run(plan, kind, dir, progress)?,
            spectrum::SpectrumSummary::text,
        ),
        PlanKind::NetworkHeatmap(job) => report(
            network_heatmap::run(plan, job, dir, progress)?,
            network_heatmap::NetworkHeatmapData::text,
        ),
        PlanKind::LocalJacobians(p) => report(
            local_jacobians::run_spec(plan, p, dir, progress)?,
            local_jacobians::LocalJacobianData::text,
        ),
        PlanKind::NetworkOrbit(job) => report(
            network_orbit::run(plan, job, dir, progress)?,
            network_orbit::NetworkOrbitData::text,
        ),
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
        text,
    })
}

/// A typed summary as JSON, with its text.
fn report<S: Serialize>(summary: S, text: fn(&S) -> String) -> (serde_json::Value, String) {
    (to_json(&summary), text(&summary))
}

/// A summary as a JSON value (non-finite numbers become null).
fn to_json<S: Serialize>(summary: &S) -> serde_json::Value {
    serde_json::to_value(summary).expect("a summary has string keys")
}

/// Writes a job's summary as `<plan name>.json` into `dir`.
fn write_summary<S: Serialize>(plan: &Plan, dir: &Path, summary: &S) -> Result<()> {
    write_json(&dir.join(format!("{}.json", plan.name)), &to_json(summary))
}

/// Renames the data file `<kind>.json` that a command's writer put into `dir` to the spec
/// run's `<plan name>.json` (the sweeps whose files a command and a spec both write).
fn name_data_file(plan: &Plan, dir: &Path, kind: &str) -> Result<()> {
    std::fs::rename(
        dir.join(format!("{kind}.json")),
        dir.join(format!("{}.json", plan.name)),
    )
    .map_err(|e| crate::Error::io(dir, e))
}

/// The fields every job's summary starts with: name, kind, description.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    /// The plan's name.
    pub name: String,
    /// The plan's kind, as a spec names it.
    pub kind: &'static str,
    /// The plan's description.
    pub description: String,
}

impl Header {
    /// The header of `plan`, a plan of `kind`.
    fn new(plan: &Plan, kind: &'static str) -> Self {
        Self {
            name: plan.name.clone(),
            kind,
            description: plan.description.clone(),
        }
    }
}
