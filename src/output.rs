//! Atomic output directories and the CSV/JSON writers.
//!
//! Every analysis writes into a staging directory beside its target
//! (`notebooks-out/.staging-<name>-XXXX`) and renames it into place only when every file is
//! complete, so a failed or interrupted run never leaves a half-written output directory.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A staging directory that becomes `target` on [`StagedDir::commit`] and disappears if
/// dropped uncommitted.
pub struct StagedDir {
    staging: tempfile::TempDir,
    target: PathBuf,
}

impl StagedDir {
    /// Creates the staging directory next to `target` (creating `target`'s parent).
    pub fn new(target: &Path) -> Result<Self> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let staging = tempfile::Builder::new()
            .prefix(&format!(".staging-{name}-"))
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, e))?;
        Ok(Self {
            staging,
            target: target.to_path_buf(),
        })
    }

    /// Where to write the files.
    pub fn path(&self) -> &Path {
        self.staging.path()
    }

    /// Moves the finished directory into place, replacing an older one. Returns the target.
    pub fn commit(self) -> Result<PathBuf> {
        let staged = self.staging.keep();
        if self.target.exists() {
            let retired = staged.with_extension("retired");
            std::fs::rename(&self.target, &retired).map_err(|e| Error::io(&self.target, e))?;
            std::fs::rename(&staged, &self.target).map_err(|e| Error::io(&self.target, e))?;
            std::fs::remove_dir_all(&retired).map_err(|e| Error::io(&retired, e))?;
        } else {
            std::fs::rename(&staged, &self.target).map_err(|e| Error::io(&self.target, e))?;
        }
        Ok(self.target)
    }
}

/// Writes pretty-printed JSON (non-finite numbers become null) atomically: into a temporary
/// file beside `path`, renamed into place when complete, so a reader never sees half a file.
pub fn write_json(path: &Path, value: &serde_json::Value) -> Result<()> {
    let dir: PathBuf = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(&dir, e))?;
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

/// Writes a CSV file with a header row.
pub fn write_csv(
    path: &Path,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<()> {
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut out = std::io::BufWriter::new(file);
    let write = || -> std::io::Result<()> {
        writeln!(out, "{}", header.join(","))?;
        for row in rows {
            writeln!(out, "{}", row.join(","))?;
        }
        out.flush()
    };
    write().map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncommitted_staging_leaves_nothing_and_commit_replaces() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("fig");
        {
            let staged = StagedDir::new(&target).unwrap();
            std::fs::write(staged.path().join("a.csv"), "x").unwrap();
        }
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
        for content in ["first", "second"] {
            let staged = StagedDir::new(&target).unwrap();
            std::fs::write(staged.path().join("a.csv"), content).unwrap();
            staged.commit().unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(target.join("a.csv")).unwrap(),
            "second"
        );
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }
}
