//! `mesonet run`: runs analysis specs from `analyses/`.

use super::{CommonArgs, Report};
use crate::error::Result;
use crate::jobs::{self, Progress};
use crate::output::{Manifest, OutputDir};
use crate::spec::{spec_files, Spec};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `mesonet run`.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// A spec file (.json) or a directory of specs (every *.json in it, in name order).
    pub path: PathBuf,
    /// Output root: each spec writes (only) <out>/<spec name>/, replacing it only if it is empty
    /// or was written by `mesonet run` before (it carries .mesonet-output.json).
    #[arg(long, default_value = "notebooks-out")]
    pub out: PathBuf,
    /// Use each spec's small "quick" sizes (what the test suite runs).
    #[arg(long)]
    pub quick: bool,
    /// Shared options.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Validates every spec and its output directory first (nothing runs if one is invalid),
/// then runs them in order.
pub fn run(args: &RunArgs) -> Result<Report> {
    let mut jobs_to_run = Vec::new();
    for path in spec_files(&args.path)? {
        let plan = Spec::load(&path)?.validate(args.quick)?;
        let manifest = Manifest::new("run", Some(path.display().to_string()));
        let out = OutputDir::in_root(&args.out, &plan.name, manifest)?;
        out.check()?;
        jobs_to_run.push((plan, out));
    }
    let mut reports = Vec::with_capacity(jobs_to_run.len());
    let mut text = String::new();
    for (plan, out) in &jobs_to_run {
        let bar = super::progress_display(&plan.name)?;
        let start = |n: u64| bar.set_length(n);
        let tick = || bar.inc(1);
        let progress = Progress {
            start: &start,
            tick: &tick,
        };
        let started = std::time::Instant::now();
        let report = super::with_threads(args.common.threads, plan.kind.work_items(), || {
            jobs::run(plan, out, &progress)
        })?;
        bar.finish_and_clear();
        let seconds = started.elapsed().as_secs_f64();
        text.push_str(&format!(
            "{:<28} {:>7.2} s  -> {} ({})\n",
            plan.name,
            seconds,
            report.dir.display(),
            report.files.join(", ")
        ));
        reports.push(serde_json::json!({
            "name": report.name,
            "output_dir": report.dir,
            "files": report.files,
            "seconds": seconds,
        }));
    }
    Ok(Report {
        json: serde_json::json!({ "quick": args.quick, "runs": reports }),
        text,
    })
}
