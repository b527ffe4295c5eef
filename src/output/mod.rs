//! Where commands write, and how.
//!
//! The rule, implemented once in [`target`]: a command writes only inside the one directory it
//! owns (`--out`, or `--out/--name`; no empty, `.`, `..` or absolute name), replaces only a
//! directory that mesonet's same command created (marked by a small manifest,
//! [`target::MANIFEST`]), refuses anything else with an input error (exit code 2), and leaves
//! nothing behind when it fails or is killed: whole directories are staged beside their target
//! and renamed into place when complete, single files are written to a temporary and renamed,
//! and the temporaries of a killed run are removed by the next run.
//!
//! * [`target`] — the owned directory: names, manifest, staging, stale temporaries.
//! * this module — the CSV and JSON writers.

pub mod target;

pub use target::{validate_name, Manifest, OutputDir, StagedDir, TargetState};

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The commit this binary was built from (set by the build script; "unknown" outside a
/// git checkout), recorded in results.
pub fn build_commit() -> &'static str {
    option_env!("MESONET_COMMIT").unwrap_or("unknown")
}

/// Writes pretty-printed JSON (non-finite numbers become null) atomically: into a temporary
/// file beside `path`, renamed into place when complete, so a reader never sees half a file.
pub fn write_json(path: &Path, value: &serde_json::Value) -> Result<()> {
    let mut tmp = target::temp_file(&parent_dir(path))?;
    let text = serde_json::to_string_pretty(value).expect("a serde_json::Value always serialises");
    tmp.write_all(text.as_bytes())
        .and_then(|()| tmp.write_all(b"\n"))
        .map_err(|e| Error::io(path, e))?;
    persist_readable(tmp, path)
}

/// Renames a finished temporary file into place with ordinary permissions (0644; tempfile
/// creates them owner-only).
pub fn persist_readable(tmp: tempfile::NamedTempFile, path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(|e| Error::io(path, e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Formats a number for CSV: shortest round-trip form, empty for NaN (missing).
pub fn csv_number(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        format!("{v}")
    }
}

/// Writes a CSV file with a header row, atomically (a temporary renamed into place).
pub fn write_csv(
    path: &Path,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<()> {
    let tmp = target::temp_file(&parent_dir(path))?;
    let mut out = std::io::BufWriter::new(tmp.as_file());
    writeln!(out, "{}", header.join(","))
        .and_then(|()| {
            rows.into_iter()
                .try_for_each(|row| writeln!(out, "{}", row.join(",")))
        })
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(path, e))?;
    drop(out);
    persist_readable(tmp, path)
}

/// The directory a file path is in (`.` for a bare name).
pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
