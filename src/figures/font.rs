//! The embedded font: DejaVu Sans, registered once as `"sans-serif"` for every style.

use std::sync::OnceLock;

use plotters::prelude::*;

/// The family name under which the embedded font is registered.
pub const FONT_FAMILY: &str = "sans-serif";

/// DejaVu Sans (Bitstream Vera licence, see `assets/DejaVuSans.LICENSE`).
static FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// Registers the embedded font for every style, once per process.
pub(super) fn ensure_font() -> std::result::Result<(), String> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        [
            FontStyle::Normal,
            FontStyle::Bold,
            FontStyle::Italic,
            FontStyle::Oblique,
        ]
        .into_iter()
        .all(|style| plotters::style::register_font(FONT_FAMILY, style, FONT_BYTES).is_ok())
    });
    if ok {
        Ok(())
    } else {
        Err("the embedded DejaVu Sans font could not be registered".to_string())
    }
}

/// The embedded font at `size` px.
pub(crate) fn font(size: f64) -> FontDesc<'static> {
    (FONT_FAMILY, size).into_font()
}
