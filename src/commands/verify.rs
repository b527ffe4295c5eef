//! `mesonet verify`: the poster's claims beside the model's values (MODEL.md §8).

use super::Report;
use crate::error::Result;
use crate::output::{write_json, Manifest, OutputDir};
use crate::verify::{report, verify, Settings};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `mesonet verify`.
#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// Output directory for `report.md` and `verify.json`: replaced atomically, and only if it
    /// is empty or was written by `mesonet verify` before (it carries .mesonet-output.json).
    #[arg(long, default_value = "notebooks-out/verify")]
    pub out: PathBuf,
    /// Shorter simulations (same tolerances; coarser simulated η_c and fewer E steps).
    #[arg(long)]
    pub quick: bool,
    /// Print the rows as JSON (`rows`: objects with claim, poster, model, rel_error, method,
    /// verdict, note) instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// Computes every row, writes the report, returns the table.
pub fn run(args: &VerifyArgs) -> Result<Report> {
    let out = OutputDir::at(&args.out, Manifest::new("verify", None))?;
    out.check()?;
    let rows = verify(&Settings { quick: args.quick })?;
    let json = serde_json::json!({
        "rows": rows,
        "out": args.out,
        "quick": args.quick,
    });
    let staged = out.stage()?;
    let report_path = staged.path().join("report.md");
    std::fs::write(&report_path, report::markdown(&rows))
        .map_err(|e| crate::error::Error::io(&report_path, e))?;
    write_json(&staged.path().join("verify.json"), &json)?;
    staged.commit()?;
    let text = format!(
        "{}\nreport: {}\n",
        report::table(&rows),
        args.out.join("report.md").display()
    );
    Ok(Report { json, text })
}
