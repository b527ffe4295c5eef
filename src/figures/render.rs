//! Rendering a figure twice, to `<stem>.png` (bitmap) and `<stem>.svg` (vector), by one drawing
//! routine generic over the plotters backend.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::font::ensure_font;
use crate::{Error, Result};

/// Result of a drawing routine; the message becomes [`Error::Plot`].
pub(crate) type DrawResult = std::result::Result<(), String>;

/// Turns a plotters error into the message of [`Error::Plot`].
pub(crate) fn msg<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// A figure that can draw itself on any plotters backend.
pub(crate) trait Render {
    /// Canvas size in pixels.
    fn size(&self) -> (u32, u32);
    /// Draws the whole figure on `root` (already filled white).
    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult;
}

/// `stem` with `.ext` appended (not replacing a dot already in the stem).
pub(crate) fn with_suffix(stem: &Path, ext: &str) -> PathBuf {
    let mut name = OsString::from(stem.as_os_str());
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// Renders `fig` to `<stem>.png` and `<stem>.svg`. A panic inside plotters is reported as
/// [`Error::Plot`] rather than unwinding into the caller.
pub(crate) fn render_both<R: Render>(fig: &R, stem: &Path) -> Result<()> {
    let png = with_suffix(stem, "png");
    let svg = with_suffix(stem, "svg");
    ensure_font().map_err(|message| Error::Plot {
        path: png.clone(),
        message,
    })?;
    let size = fig.size();
    let guarded = |path: &Path, run: &dyn Fn() -> DrawResult| -> Result<()> {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))
            .unwrap_or_else(|_| Err("the plotting backend panicked".to_string()));
        outcome.map_err(|message| Error::Plot {
            path: path.to_path_buf(),
            message,
        })
    };
    guarded(&png, &|| {
        let root = BitMapBackend::new(&png, size).into_drawing_area();
        root.fill(&WHITE).map_err(msg)?;
        fig.render(&root)?;
        root.present().map_err(msg)
    })?;
    guarded(&svg, &|| {
        let root = SVGBackend::new(&svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(msg)?;
        fig.render(&root)?;
        root.present().map_err(msg)
    })
}
