//! `mesonet run`: runs analysis specs from `analyses/`.

use super::{CommonArgs, Report};
use crate::error::Result;
use crate::jobs::{self, Progress};
use crate::spec::{spec_files, Spec};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `mesonet run`.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// A spec file (.json) or a directory of specs (every *.json in it, in name order).
    pub path: PathBuf,
    /// Directory that receives one sub-directory per spec.
    #[arg(long, default_value = "notebooks-out")]
    pub out: PathBuf,
    /// Use each spec's small "quick" sizes (what the test suite runs).
    #[arg(long)]
    pub quick: bool,
    /// Shared options.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Validates every spec first (nothing runs if one is invalid), then runs them in order.
pub fn run(args: &RunArgs) -> Result<Report> {
    let plans = spec_files(&args.path)?
        .iter()
        .map(|path| Spec::load(path)?.validate(args.quick))
        .collect::<Result<Vec<_>>>()?;
    let mut reports = Vec::with_capacity(plans.len());
    let mut text = String::new();
    for plan in &plans {
        let bar = super::progress_bar(&plan.name);
        let start = |n: u64| bar.set_length(n);
        let tick = || bar.inc(1);
        let started = std::time::Instant::now();
        let report = jobs::run(
            plan,
            &args.out,
            &Progress {
                start: &start,
                tick: &tick,
            },
        )?;
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
