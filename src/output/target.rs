//! The one directory a command owns, and the rules for writing it.
//!
//! * A name (`--name`, a spec's `name`) is one plain path component: letters, digits, `-`, `_`
//!   and `.`, starting with a letter or digit ([`validate_name`]). An output path (`--out`) is
//!   not empty and has no `..` component; the directory a command owns has a plain last
//!   component (not `.`, `/`).
//! * A directory is replaced only if it is empty or carries the [`MANIFEST`] written by the
//!   same mesonet command ([`OutputDir::check`]); anything else (a user's directory, a file, a
//!   symbolic link, another command's output) is refused with [`Error::Output`].
//! * Whole directories are written into a staging directory beside the target and renamed into
//!   place when complete ([`StagedDir`]); single files go through a temporary
//!   ([`temp_file`]). Temporaries carry the writing process's id
//!   (`.staging-<name>-<pid>-…`, `.mesonet-tmp-<pid>-…`), so the next run removes those of
//!   processes that no longer exist (a run killed with SIGKILL cannot clean up itself).
//! * Parent directories a command created are removed again when it fails.

use crate::error::{Error, Result};
use std::path::{Component, Path, PathBuf};

/// The file that marks a directory as a mesonet command's output.
pub const MANIFEST: &str = ".mesonet-output.json";

/// Prefix of the temporary files of one process (followed by its id and a dash).
const TEMP_PREFIX: &str = ".mesonet-tmp-";

/// Prefix of staging directories (followed by the target's name, the process id and a dash).
const STAGING_PREFIX: &str = ".staging-";

/// What the manifest of an output directory records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// Always "mesonet".
    pub written_by: String,
    /// The subcommand that owns the directory (`run`, `orbit`, `train`, …).
    pub command: String,
    /// The spec file or run name it was made from, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
}

impl Manifest {
    /// The manifest of `command`'s output made from `spec`.
    pub fn new(command: &str, spec: Option<String>) -> Self {
        Self {
            written_by: "mesonet".into(),
            command: command.into(),
            spec,
        }
    }

    fn write(&self, dir: &Path) -> Result<()> {
        let value = serde_json::to_value(self).expect("a plain struct serialises");
        super::write_json(&dir.join(MANIFEST), &value)
    }

    /// Reads the manifest of `dir`, if it has a valid one.
    pub fn read(dir: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
        serde_json::from_str::<Self>(&text)
            .ok()
            .filter(|m| m.written_by == "mesonet")
    }
}

/// Checks that `name` (the flag or field `field`) is one plain path component.
pub fn validate_name(field: &str, name: &str) -> Result<()> {
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let starts_plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if plain && starts_plain && name.len() <= 200 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name: field.into(),
            value: format!("'{name}'"),
            requirement: "one plain name of at most 200 letters, digits, '-', '_' or '.', \
                          starting with a letter or digit (no '/', no '..')"
                .into(),
        })
    }
}

/// Checks an output path given by the user: not empty, no `..` component.
fn validate_path(field: &str, path: &Path) -> Result<()> {
    let refuse = |why: &str| Error::Output {
        field: field.into(),
        path: path.to_path_buf(),
        why: why.into(),
    };
    if path.as_os_str().is_empty() {
        return Err(Error::InvalidParameter {
            name: field.into(),
            value: "''".into(),
            requirement: "a directory path".into(),
        });
    }
    if path.components().any(|c| c == Component::ParentDir) {
        return Err(refuse(
            "'..' is not allowed in an output path (give an absolute path instead)",
        ));
    }
    Ok(())
}

/// What an output directory holds before a command writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetState {
    /// Nothing there yet.
    Absent,
    /// An empty directory.
    Empty,
    /// A directory this command wrote before (its manifest says so).
    Owned,
}

/// The directory a command owns, validated but not yet written.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputDir {
    path: PathBuf,
    field: String,
    manifest: Manifest,
}

impl OutputDir {
    /// `root/name`, for commands that write one directory per result under an output root
    /// (`--out` the root, `--name` or the spec's name the directory).
    pub fn in_root(root: &Path, name: &str, manifest: Manifest) -> Result<Self> {
        validate_path("out", root)?;
        validate_name("name", name)?;
        Ok(Self {
            path: root.join(name),
            field: "name".into(),
            manifest,
        })
    }

    /// `dir` itself (`--out` of `verify`, `train`, `eval`).
    pub fn at(dir: &Path, manifest: Manifest) -> Result<Self> {
        validate_path("out", dir)?;
        if !matches!(dir.components().next_back(), Some(Component::Normal(_))) {
            return Err(Error::Output {
                field: "out".into(),
                path: dir.to_path_buf(),
                why: "must name a directory of its own (not '.' or '/')".into(),
            });
        }
        Ok(Self {
            path: dir.to_path_buf(),
            field: "out".into(),
            manifest,
        })
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The manifest the command writes.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    fn refuse(&self, why: String) -> Error {
        Error::Output {
            field: self.field.clone(),
            path: self.path.clone(),
            why,
        }
    }

    /// What is at the path now; refuses anything the command may not replace.
    pub fn check(&self) -> Result<TargetState> {
        // An ancestor that exists but is not a directory can never hold the output.
        for ancestor in self.path.ancestors().skip(1) {
            if let Ok(meta) = std::fs::metadata(ancestor) {
                if !meta.is_dir() {
                    return Err(Error::Output {
                        field: "out".into(),
                        path: ancestor.to_path_buf(),
                        why: "exists and is not a directory".into(),
                    });
                }
                break;
            }
        }
        let meta = match std::fs::symlink_metadata(&self.path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(TargetState::Absent),
            Err(e) => return Err(Error::io(&self.path, e)),
        };
        if meta.file_type().is_symlink() {
            return Err(self.refuse(
                "is a symbolic link; mesonet replaces only directories it created".into(),
            ));
        }
        if !meta.is_dir() {
            return Err(self.refuse("exists and is not a directory".into()));
        }
        let command = &self.manifest.command;
        match Manifest::read(&self.path) {
            Some(m) if m.command == *command => Ok(TargetState::Owned),
            Some(m) => Err(self.refuse(format!(
                "holds the output of `mesonet {}`, not of `mesonet {command}`; choose another \
                 --{} or move it away",
                m.command, self.field
            ))),
            None => {
                let empty = std::fs::read_dir(&self.path)
                    .map_err(|e| Error::io(&self.path, e))?
                    .next()
                    .is_none();
                if empty {
                    Ok(TargetState::Empty)
                } else {
                    Err(self.refuse(format!(
                        "exists and was not written by `mesonet {command}` (no {MANIFEST}); \
                         choose another --{} or move it away",
                        self.field
                    )))
                }
            }
        }
    }

    /// Checks the target, removes stale staging directories of killed runs beside it, and
    /// starts a staging directory (with the manifest already in it).
    pub fn stage(&self) -> Result<StagedDir> {
        self.check()?;
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .expect("validated: a plain last component");
        let parent = super::parent_dir(&self.path);
        let created = create_dirs(&parent)?;
        remove_stale(&parent, &format!("{STAGING_PREFIX}{name}-"));
        let staging = tempfile::Builder::new()
            .prefix(&format!("{STAGING_PREFIX}{name}-{}-", std::process::id()))
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, e))?;
        self.manifest.write(staging.path())?;
        Ok(StagedDir {
            staging: Some(staging),
            target: self.clone(),
            created,
        })
    }

    /// For commands that write their directory incrementally (training checkpoints): checks
    /// the target, creates it with the manifest if absent, and removes the temporaries of
    /// killed runs inside it. Returns the path.
    pub fn open_in_place(&self) -> Result<PathBuf> {
        let state = self.check()?;
        if state != TargetState::Owned {
            create_dirs(&self.path)?;
            self.manifest.write(&self.path)?;
        }
        remove_stale(&self.path, TEMP_PREFIX);
        Ok(self.path.clone())
    }
}

/// A staging directory that becomes its target on [`StagedDir::commit`]; dropped uncommitted
/// (an error, a panic), it disappears, with the parent directories it created.
pub struct StagedDir {
    staging: Option<tempfile::TempDir>,
    target: OutputDir,
    created: Vec<PathBuf>,
}

impl StagedDir {
    /// Where to write the files.
    pub fn path(&self) -> &Path {
        self.staging.as_ref().expect("present until commit").path()
    }

    /// Moves the finished directory into place, replacing the command's older output (checked
    /// again: it may have changed while the command ran). Returns the target.
    pub fn commit(mut self) -> Result<PathBuf> {
        let state = self.target.check()?;
        let staged = self.staging.take().expect("present until commit").keep();
        let target = self.target.path.clone();
        let result = (|| {
            if state != TargetState::Absent {
                let retired = staged.with_extension("retired");
                std::fs::rename(&target, &retired).map_err(|e| Error::io(&target, e))?;
                std::fs::rename(&staged, &target).map_err(|e| Error::io(&target, e))?;
                std::fs::remove_dir_all(&retired).map_err(|e| Error::io(&retired, e))
            } else {
                std::fs::rename(&staged, &target).map_err(|e| Error::io(&target, e))
            }
        })();
        if result.is_err() {
            std::fs::remove_dir_all(&staged).ok();
        }
        result?;
        self.created.clear();
        Ok(target)
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        drop(self.staging.take());
        remove_created(&self.created);
    }
}

/// A temporary file in `dir` named after this process, for a file renamed into place when
/// complete ([`super::persist_readable`]).
pub fn temp_file(dir: &Path) -> Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))
}

/// A temporary directory in `dir` named after this process (removed when dropped).
pub fn temp_dir(dir: &Path) -> Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .tempdir_in(dir)
        .map_err(|e| Error::io(dir, e))
}

/// Creates `dir` and its missing ancestors; returns the ones it created (deepest last).
fn create_dirs(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    Ok(missing)
}

/// Removes directories created by [`create_dirs`] that are still empty (deepest first).
fn remove_created(created: &[PathBuf]) {
    for dir in created.iter().rev() {
        if std::fs::remove_dir(dir).is_err() {
            break;
        }
    }
}

/// Is the process `pid` still running? Without `/proc` nothing is known, and every
/// temporary counts as alive (never removed).
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Removes the entries of `dir` named `<prefix><pid>-…` whose process no longer exists.
fn remove_stale(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path).ok();
        } else {
            std::fs::remove_file(&path).ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest::new("orbit", None)
    }

    #[test]
    fn names_are_one_plain_component() {
        for good in ["a", "orbit-logistic-r", "x_1.2", "A9"] {
            validate_name("name", good).unwrap();
        }
        for bad in [
            "", ".", "..", "../x", "a/b", "/abs", "-x", ".hidden", "a b", "é",
        ] {
            let e = validate_name("name", bad).unwrap_err().to_string();
            assert!(e.starts_with("name must be"), "{bad}: {e}");
        }
    }

    #[test]
    fn out_paths_refuse_parent_components_and_empty() {
        let root = Path::new("results");
        assert!(OutputDir::in_root(Path::new(""), "x", manifest()).is_err());
        assert!(OutputDir::in_root(Path::new("../r"), "x", manifest()).is_err());
        assert!(OutputDir::in_root(Path::new("a/../r"), "x", manifest()).is_err());
        assert!(OutputDir::in_root(root, "x", manifest()).is_ok());
        assert!(OutputDir::in_root(Path::new("."), "x", manifest()).is_ok());
        for bad in [".", "/", "..", ""] {
            assert!(OutputDir::at(Path::new(bad), manifest()).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_empty_or_own_directories_are_replaced() {
        let root = tempfile::tempdir().unwrap();
        let dir = OutputDir::in_root(root.path(), "fig", manifest()).unwrap();
        assert_eq!(dir.check().unwrap(), TargetState::Absent);
        // Uncommitted staging leaves nothing, not even the parent it created.
        let nested = OutputDir::in_root(&root.path().join("p/q"), "fig", manifest()).unwrap();
        {
            let staged = nested.stage().unwrap();
            std::fs::write(staged.path().join("a.csv"), "x").unwrap();
        }
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
        for content in ["first", "second"] {
            let staged = dir.stage().unwrap();
            std::fs::write(staged.path().join("a.csv"), content).unwrap();
            staged.commit().unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(root.path().join("fig/a.csv")).unwrap(),
            "second"
        );
        assert_eq!(dir.check().unwrap(), TargetState::Owned);
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
        // Another command's output, a user's directory, a file: refused, untouched.
        let other = OutputDir::in_root(root.path(), "fig", Manifest::new("heatmap", None)).unwrap();
        assert!(other
            .check()
            .unwrap_err()
            .to_string()
            .contains("mesonet orbit"));
        std::fs::create_dir_all(root.path().join("mine")).unwrap();
        std::fs::write(root.path().join("mine/notes"), "keep").unwrap();
        let mine = OutputDir::in_root(root.path(), "mine", manifest()).unwrap();
        assert!(mine.stage().is_err());
        std::fs::write(root.path().join("file"), "keep").unwrap();
        let file = OutputDir::at(&root.path().join("file"), manifest()).unwrap();
        assert!(file.check().is_err());
        let under_file = OutputDir::at(&root.path().join("file/sub"), manifest()).unwrap();
        assert!(under_file.check().is_err());
        assert_eq!(
            std::fs::read_to_string(root.path().join("mine/notes")).unwrap(),
            "keep"
        );
        assert_eq!(
            std::fs::read_to_string(root.path().join("file")).unwrap(),
            "keep"
        );
        // An empty directory is taken.
        std::fs::create_dir(root.path().join("empty")).unwrap();
        let empty = OutputDir::in_root(root.path(), "empty", manifest()).unwrap();
        empty.stage().unwrap().commit().unwrap();
        assert!(Manifest::read(&root.path().join("empty")).is_some());
    }

    #[test]
    fn temporaries_of_dead_processes_are_removed_and_live_ones_kept() {
        let root = tempfile::tempdir().unwrap();
        // A pid above the kernel's maximum (2^22) belongs to no process.
        let dead = 4_194_999u32;
        let live = std::process::id();
        let stale_file = root.path().join(format!("{TEMP_PREFIX}{dead}-abc"));
        let stale_dir = root.path().join(format!("{STAGING_PREFIX}fig-{dead}-xyz"));
        let live_file = root.path().join(format!("{TEMP_PREFIX}{live}-abc"));
        let other = root.path().join(".tmp-not-ours");
        std::fs::write(&stale_file, "partial").unwrap();
        std::fs::create_dir(&stale_dir).unwrap();
        std::fs::write(&live_file, "in use").unwrap();
        std::fs::write(&other, "user").unwrap();
        let dir = OutputDir::in_root(root.path(), "fig", manifest()).unwrap();
        dir.stage().unwrap().commit().unwrap();
        assert!(!stale_dir.exists());
        assert!(
            stale_file.exists(),
            "staging cleans only staging directories"
        );
        let own = OutputDir::at(root.path(), Manifest::new("train", None)).unwrap();
        std::fs::remove_dir_all(root.path().join("fig")).unwrap();
        std::fs::remove_file(&other).unwrap();
        std::fs::remove_file(&live_file).unwrap();
        // The root now holds only the stale temporary: it is neither empty nor owned.
        assert!(own.open_in_place().is_err());
        Manifest::new("train", None).write(root.path()).unwrap();
        std::fs::write(&live_file, "in use").unwrap();
        own.open_in_place().unwrap();
        assert!(!stale_file.exists());
        assert!(live_file.exists());
    }
}
