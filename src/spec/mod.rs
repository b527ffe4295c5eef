//! The JSON analysis specs of `analyses/` and their validation into plans.
//!
//! A spec is read twice from its text: once for its `kind`, once into that kind's raw struct
//! (unknown fields rejected), so every syntax or type error carries its line and column.
//! [`Spec::validate`] turns the raw struct into a [`Plan`]: nothing runs on an unvalidated
//! value. A spec may carry `quick` sizes that the test suite uses (`mesonet run --quick`).
//!
//! * [`kinds`] — the raw spec body of each kind and its validation into a [`PlanKind`].
//! * [`plan`] — the validated [`Plan`] that the jobs run.

pub mod kinds;
pub mod plan;

pub use kinds::*;
pub use plan::{
    ContinuationPlan, HeatmapPlan, NetworkHeatmapJob, NetworkOrbitJob, OrbitPlan, Plan, PlanKind,
    SpectrumPlan, SpikeTimingPlan, StdpWindowPlan, SynapseMapPlan,
};

use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The kind-specific body of a spec.
#[derive(Debug, Clone)]
pub enum SpecBody {
    /// See [`SpikeTimingSpec`].
    SpikeTiming(SpikeTimingSpec),
    /// See [`StdpWindowSpec`].
    StdpWindow(StdpWindowSpec),
    /// See [`SynapseMapSpec`].
    SynapseMap(SynapseMapSpec),
    /// See [`OrbitSpec`].
    Orbit(OrbitSpec),
    /// See [`HeatmapSpec`].
    Heatmap(HeatmapSpec),
    /// See [`ContinuationSpec`].
    Continuation(ContinuationSpec),
    /// See [`SpectrumSpec`].
    Spectrum(SpectrumSpec),
    /// See [`NetworkHeatmapSpec`].
    NetworkHeatmap(NetworkHeatmapSpec),
    /// See [`NetworkOrbitSpec`].
    NetworkOrbit(NetworkOrbitSpec),
    /// See [`LocalJacobiansSpec`].
    LocalJacobians(LocalJacobiansSpec),
}

/// A parsed, not yet validated spec.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Output name (directory under `notebooks-out/`).
    pub name: String,
    /// One sentence on what it shows.
    pub description: String,
    /// Sizes for quick runs.
    pub quick: QuickSizes,
    /// The kind-specific part.
    pub body: SpecBody,
    /// Where it was read from (for error locations).
    pub path: PathBuf,
    text: String,
}

#[derive(Deserialize)]
struct Header {
    kind: String,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    quick: QuickSizes,
}

/// Largest spec file read (bytes).
pub const MAX_SPEC_BYTES: u64 = 1 << 20;

const KINDS: &str = "spike_timing, stdp_window, synapse_map, orbit, heatmap, continuation, \
                     spectrum, network_heatmap, network_orbit, local_jacobians";

impl Spec {
    /// Reads and parses a spec file.
    pub fn load(path: &Path) -> Result<Self> {
        let size = std::fs::metadata(path)
            .map_err(|e| Error::io(path, e))?
            .len();
        if size > MAX_SPEC_BYTES {
            return Err(Error::Spec {
                path: path.to_path_buf(),
                line: 0,
                column: 0,
                message: format!(
                    "{size} bytes: a spec is at most {MAX_SPEC_BYTES} bytes (it describes an \
                     analysis, it does not carry data)"
                ),
            });
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| Error::Spec {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            message: format!("not UTF-8 text ({e})"),
        })?;
        Self::parse(path, text)
    }

    /// Parses spec text (`path` only labels errors).
    pub fn parse(path: &Path, text: String) -> Result<Self> {
        let at = |e: serde_json::Error| Error::Spec {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: e
                .to_string()
                .split(" at line")
                .next()
                .unwrap_or_default()
                .to_string(),
        };
        let header: Header = serde_json::from_str(&text).map_err(at)?;
        fn body<T: serde::de::DeserializeOwned>(text: &str) -> serde_json::Result<T> {
            serde_json::from_str::<T>(text)
        }
        let parsed = match header.kind.as_str() {
            "spike_timing" => body(&text).map(SpecBody::SpikeTiming),
            "stdp_window" => body(&text).map(SpecBody::StdpWindow),
            "synapse_map" => body(&text).map(SpecBody::SynapseMap),
            "orbit" => body(&text).map(SpecBody::Orbit),
            "heatmap" => body(&text).map(SpecBody::Heatmap),
            "continuation" => body(&text).map(SpecBody::Continuation),
            "spectrum" => body(&text).map(SpecBody::Spectrum),
            "network_heatmap" => body(&text).map(SpecBody::NetworkHeatmap),
            "network_orbit" => body(&text).map(SpecBody::NetworkOrbit),
            "local_jacobians" => body(&text).map(SpecBody::LocalJacobians),
            other => {
                let (line, column) = locate(&text, "kind");
                return Err(Error::Spec {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message: format!("unknown kind '{other}'; valid: {KINDS}"),
                });
            }
        }
        .map_err(at)?;
        if let Err(e) = crate::output::validate_name("name", &header.name) {
            let (line, column) = locate(&text, "name");
            return Err(Error::Spec {
                path: path.to_path_buf(),
                line,
                column,
                message: e.to_string(),
            });
        }
        Ok(Self {
            name: header.name,
            description: header.description,
            quick: header.quick,
            body: parsed,
            path: path.to_path_buf(),
            text,
        })
    }

    /// Validates into a plan; with `quick`, the spec's quick sizes replace its own.
    pub fn validate(&self, quick: bool) -> Result<Plan> {
        let q = if quick {
            self.quick
        } else {
            QuickSizes::default()
        };
        let kind = match &self.body {
            SpecBody::SpikeTiming(s) => s.plan(&q),
            SpecBody::StdpWindow(s) => s.plan(&q),
            SpecBody::SynapseMap(s) => s.plan(&q),
            SpecBody::Orbit(s) => s.plan(&q),
            SpecBody::Heatmap(s) => s.plan(&q),
            SpecBody::Continuation(s) => s.plan(&q),
            SpecBody::Spectrum(s) => s.plan(&q),
            SpecBody::NetworkHeatmap(s) => s.plan(&q),
            SpecBody::NetworkOrbit(s) => s.plan(&q),
            SpecBody::LocalJacobians(s) => s.plan(&q),
        }
        .map_err(|e| self.locate_error(e))?;
        Plan::new(self.name.clone(), self.description.clone(), kind)
            .map_err(|e| self.locate_error(e))
    }

    /// Attaches the spec's location to a validation error that names a field.
    fn locate_error(&self, e: Error) -> Error {
        let field = match &e {
            Error::InvalidParameter { name, .. } | Error::UnknownParameter { name, .. } => {
                name.clone()
            }
            Error::EmptyRange { name, .. } => name.clone(),
            Error::TooLarge { field, .. } => field.clone(),
            Error::UnknownSystem { .. } => "system".into(),
            _ => return e,
        };
        let (line, column) = locate(&self.text, &field);
        Error::Spec {
            path: self.path.clone(),
            line,
            column,
            message: e.to_string(),
        }
    }
}

/// Line and column (1-based) of the first `"key"` in `text`, or of the value `"key"` when the
/// key names a parameter inside a sweep; (0, 0) when absent.
fn locate(text: &str, key: &str) -> (usize, usize) {
    let needle = format!("\"{key}\"");
    match text.find(&needle) {
        Some(offset) => {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let column = offset - before.rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
            (line, column)
        }
        None => (0, 0),
    }
}

/// The spec files of a directory (`*.json`, sorted), or the single file given.
pub fn spec_files(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Error::io(path, e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(Error::io(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no *.json spec in this directory",
                ),
            ));
        }
        Ok(files)
    } else if path.exists() {
        Ok(vec![path.to_path_buf()])
    } else {
        Err(Error::io(
            path,
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such spec file or directory",
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Spec> {
        Spec::parse(Path::new("t.json"), text.to_string())
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let e =
            parse("{\n  \"kind\": \"orbit\",\n  \"name\": \"x\"\n  \"system\": 1\n}").unwrap_err();
        match e {
            Error::Spec { line, column, .. } => assert_eq!((line, column), (4, 3)),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn unknown_fields_and_kinds_are_rejected_with_location() {
        let text = "{\"kind\": \"stdp_window\", \"name\": \"w\", \"a_plus\": 1, \"a_minus\": 1, \"tau\": 2,\n \"range_ms\": 10, \"points\": 5, \"colour\": 3}";
        let e = parse(text).unwrap_err().to_string();
        assert!(e.contains("t.json:2:") && e.contains("colour"), "{e}");
        let e = parse("{\"kind\": \"surface\", \"name\": \"w\"}")
            .unwrap_err()
            .to_string();
        assert!(e.contains("surface") && e.contains("heatmap"), "{e}");
    }

    #[test]
    fn validation_errors_name_field_and_location() {
        let text = "{\"kind\": \"orbit\", \"name\": \"o\", \"system\": \"logistic\",\n \"sweep\": {\"param\": \"r\", \"from\": 4, \"to\": 3, \"points\": 10},\n \"transient\": 10, \"samples\": 10}";
        let e = parse(text)
            .unwrap()
            .validate(false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("t.json:2:") && e.contains("empty range"), "{e}");
        let text = "{\"kind\": \"synapse_map\", \"name\": \"s\",\n \"set\": {\"tau_m\": -2}, \"points\": 10}";
        let e = parse(text)
            .unwrap()
            .validate(false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("tau_m") && e.contains("-2") && e.contains("t.json:2:"),
            "{e}"
        );
    }
}
