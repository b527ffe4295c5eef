//! `mesonet verify`: the poster's claims beside the model's values (MODEL.md §8).

use super::Report;
use crate::error::Result;
use crate::jobs::network_heatmap::NetworkHeatmapData;
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
    /// The network-heatmap.json of a whole trained-network grid (`mesonet network-heatmap`
    /// or `mesonet merge`): the `network_edge_of_chaos` row is decided from it (without it
    /// the row says it was not measured).
    #[arg(long)]
    pub network_heatmap: Option<PathBuf>,
    /// Print the rows as JSON (`rows`: objects with claim, poster, model, rel_error, method,
    /// verdict, note) instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// Computes every row, writes the report, returns the table.
pub fn run(args: &VerifyArgs) -> Result<Report> {
    let out = OutputDir::at(&args.out, Manifest::new("verify", None))?;
    out.check()?;
    let network_heatmap = args.network_heatmap.as_deref().map(load_grid).transpose()?;
    let rows = verify(&Settings {
        quick: args.quick,
        network_heatmap,
    })?;
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

/// Reads a whole grid's data file (a shard's is refused: its cells are a part).
fn load_grid(path: &std::path::Path) -> Result<NetworkHeatmapData> {
    let bad = |requirement: String| crate::error::Error::InvalidParameter {
        name: "network-heatmap".into(),
        value: path.display().to_string(),
        requirement,
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| bad(format!("a readable network-heatmap.json ({e})")))?;
    let data: NetworkHeatmapData = serde_json::from_str(&text)
        .map_err(|e| bad(format!("the data file of `mesonet network-heatmap` ({e})")))?;
    if let Some(shard) = data.shard {
        return Err(bad(format!(
            "a whole grid; this is shard {shard} (join the shards with `mesonet merge`)"
        )));
    }
    Ok(data)
}
