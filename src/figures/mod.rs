//! Figures: every figure is written twice, `<stem>.png` (bitmap) and `<stem>.svg` (vector), by
//! one drawing routine generic over the plotters backend.
//!
//! Owns: the embedded font (DejaVu Sans, registered once as `"sans-serif"`), the rendering of a
//! figure to both backends, and the drawing helpers the figure kinds share (labels with
//! `_sub`/`^sup` scripts, legends, reference lines, axis ranges and ticks). Does not own: the
//! data (computed by [`crate::analysis`]) or the output directories.
//!
//! * [`line`] — line charts ([`line_chart`]).
//! * [`bifurcation`] — orbit diagrams with an optional Lyapunov panel ([`bifurcation()`]).
//! * [`heatmap`] — two-parameter heatmaps of a signed scalar ([`heatmap()`]).
//!
//! Labels may carry subscripts and superscripts: `"τ_m"`, `"η_c"`, `"x_{n+1}"`, `"s^{-1}"`.
//! Non-finite data points are skipped; a chart with no finite data still has its axes and
//! says "no data".

pub mod bifurcation;
pub mod heatmap;
pub mod line;
pub mod training;

pub use bifurcation::{bifurcation, BifurcationFigure};
pub use heatmap::{heatmap, HeatmapFigure};
pub use line::{line_chart, LineChart, RefLine, Series, SeriesStyle};
pub use training::{confusion, histogram, tile_grid, ConfusionFigure, Histogram, TileGrid};

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use crate::{Error, Result};

/// The family name under which the embedded font is registered.
pub const FONT_FAMILY: &str = "sans-serif";

/// DejaVu Sans (Bitstream Vera licence, see `assets/DejaVuSans.LICENSE`).
static FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// Registers the embedded font for every style, once per process.
fn ensure_font() -> std::result::Result<(), String> {
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
fn with_suffix(stem: &Path, ext: &str) -> PathBuf {
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

// ---------------------------------------------------------------------------------------------
// Colours and sizes shared by the figure kinds.

/// Series colours (matplotlib's tab10, distinguishable in print and by most colour-blind
/// readers).
pub(crate) const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];
/// Colour of reference lines.
pub(crate) const REF_COLOR: RGBColor = RGBColor(90, 90, 90);
/// Grid lines.
pub(crate) const GRID_COLOR: RGBColor = RGBColor(225, 225, 225);
/// Title font size (px).
pub(crate) const TITLE_SIZE: f64 = 30.0;
/// Axis-label font size (px).
pub(crate) const LABEL_SIZE: f64 = 24.0;
/// Tick-label and legend font size (px).
pub(crate) const TICK_SIZE: f64 = 19.0;
/// Height reserved for the title (px).
pub(crate) const TITLE_HEIGHT: u32 = 56;

/// The embedded font at `size` px.
pub(crate) fn font(size: f64) -> FontDesc<'static> {
    (FONT_FAMILY, size).into_font()
}

// ---------------------------------------------------------------------------------------------
// Labels with sub- and superscripts.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Normal,
    Sub,
    Super,
}

/// Splits `"τ_m"`, `"x_{n+1}"`, `"s^{-1}"` into runs of normal, subscript and superscript text.
fn parse_scripts(text: &str) -> Vec<(String, Script)> {
    let mut runs: Vec<(String, Script)> = Vec::new();
    let push = |s: String, k: Script, runs: &mut Vec<(String, Script)>| {
        if s.is_empty() {
            return;
        }
        match runs.last_mut() {
            Some((last, kind)) if *kind == k => last.push_str(&s),
            _ => runs.push((s, k)),
        }
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let kind = match c {
            '_' => Script::Sub,
            '^' => Script::Super,
            _ => {
                push(c.to_string(), Script::Normal, &mut runs);
                continue;
            }
        };
        match chars.next() {
            Some('{') => {
                let inner: String = chars.by_ref().take_while(|&d| d != '}').collect();
                push(inner, kind, &mut runs);
            }
            Some('(') => {
                // "e^(−Δt/τ)": the parenthesised group, parentheses included.
                let (mut word, mut depth) = ("(".to_string(), 1);
                for e in chars.by_ref() {
                    word.push(e);
                    depth += match e {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    if depth == 0 {
                        break;
                    }
                }
                push(word, kind, &mut runs)
            }
            Some(d) => {
                // Without braces the script runs over a word: "λ_max", "τ_m", "r_∞".
                let mut word = d.to_string();
                while let Some(&e) = chars.peek() {
                    if !e.is_alphanumeric() {
                        break;
                    }
                    word.push(e);
                    chars.next();
                }
                push(word, kind, &mut runs)
            }
            None => push(c.to_string(), Script::Normal, &mut runs),
        }
    }
    runs
}

/// Where a label sits relative to its anchor point along its reading direction.
#[derive(Clone, Copy)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// Font size of a run.
fn run_size(size: f64, kind: Script) -> f64 {
    match kind {
        Script::Normal => size,
        _ => 0.72 * size,
    }
}

/// Width in pixels of a label drawn with [`draw_label`].
pub(crate) fn label_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
) -> i32 {
    parse_scripts(text)
        .iter()
        .map(|(s, k)| {
            area.estimate_text_size(s, &TextStyle::from(font(run_size(size, *k))))
                .map(|(w, _)| w as i32)
                .unwrap_or((0.6 * size * s.chars().count() as f64) as i32)
        })
        .sum()
}

/// Draws `text` (with `_sub`/`^sup` scripts) vertically centred on `pos`, horizontally as
/// `align` says; `rotated` draws it reading upwards (for y-axis labels). `pos` is in pixels of
/// `area`.
pub(crate) fn draw_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    pos: (i32, i32),
    size: f64,
    align: Align,
    rotated: bool,
    color: &RGBColor,
) -> DrawResult {
    let total = label_width(area, text, size);
    let mut u = match align {
        Align::Left => 0,
        Align::Center => -total / 2,
        Align::Right => -total,
    };
    for (run, kind) in parse_scripts(text) {
        let s = run_size(size, kind);
        // Offset of the run's centre line from the label's, keeping the baselines at
        // +0.22 em (subscript) and −0.36 em (superscript) from the normal baseline.
        let v = match kind {
            Script::Normal => 0,
            Script::Sub => (0.25 * size) as i32,
            Script::Super => (-0.32 * size) as i32,
        };
        let mut style = TextStyle::from(font(s))
            .color(color)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let at = if rotated {
            style = style.transform(FontTransform::Rotate270);
            (pos.0 + v, pos.1 - u)
        } else {
            (pos.0 + u, pos.1 + v)
        };
        area.draw_text(&run, &style, at).map_err(msg)?;
        u += area
            .estimate_text_size(&run, &TextStyle::from(font(s)))
            .map(|(w, _)| w as i32)
            .map_err(msg)?;
    }
    Ok(())
}

/// Draws the title centred in the strip `area`.
pub(crate) fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
) -> DrawResult {
    let (w, h) = area.dim_in_pixel();
    // Shrink a long title until it fits the width with a margin (never below 60 % size).
    let available = (w as f64 - 40.0).max(1.0);
    let natural = label_width(area, title, TITLE_SIZE).max(1) as f64;
    let size = TITLE_SIZE * (available / natural).clamp(0.6, 1.0);
    draw_label(
        area,
        title,
        (w as i32 / 2, h as i32 / 2 + 4),
        size,
        Align::Center,
        false,
        &BLACK,
    )
}

// ---------------------------------------------------------------------------------------------
// Legends drawn in their own column, so they never cover data.

/// The symbol drawn in front of a legend entry.
#[derive(Clone, Copy)]
pub(crate) enum Mark {
    /// A solid line.
    Line(RGBColor),
    /// A dashed line.
    Dashed(RGBColor),
    /// Small filled dots.
    Dots(RGBColor),
    /// Open circles.
    Circles(RGBColor),
    /// A filled rectangle (a shaded region or a colour).
    Patch(RGBColor),
    /// A filled rectangle with a diagonal stroke (cells without a value).
    Hatched,
}

/// Width of a legend column holding `labels`.
pub(crate) fn legend_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[&str],
) -> u32 {
    let widest = labels
        .iter()
        .map(|l| label_width(area, l, TICK_SIZE))
        .max()
        .unwrap_or(0);
    (widest + 76).clamp(110, 380) as u32
}

/// Draws legend entries top-down from `(x, y)` (pixels of `area`) and returns the y below them.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    entries: &[(Mark, String)],
) -> std::result::Result<i32, String> {
    const ROW: i32 = 32;
    for (i, (mark, label)) in entries.iter().enumerate() {
        let cy = y + ROW / 2 + i as i32 * ROW;
        let (x0, x1) = (x, x + 40);
        match *mark {
            Mark::Line(c) => area
                .draw(&PathElement::new(
                    vec![(x0, cy), (x1, cy)],
                    c.stroke_width(3),
                ))
                .map_err(msg)?,
            Mark::Dashed(c) => {
                for k in 0..3 {
                    let a = x0 + k * 15;
                    area.draw(&PathElement::new(
                        vec![(a, cy), (a + 9, cy)],
                        c.stroke_width(3),
                    ))
                    .map_err(msg)?;
                }
            }
            Mark::Dots(c) => {
                for k in 0..4 {
                    area.draw(&Circle::new((x0 + 5 + k * 10, cy), 2, c.filled()))
                        .map_err(msg)?;
                }
            }
            Mark::Circles(c) => {
                for k in 0..2 {
                    area.draw(&Circle::new((x0 + 10 + k * 20, cy), 5, c.stroke_width(2)))
                        .map_err(msg)?;
                }
            }
            Mark::Patch(c) => {
                area.draw(&Rectangle::new([(x0, cy - 10), (x1, cy + 10)], c.filled()))
                    .map_err(msg)?;
                area.draw(&Rectangle::new(
                    [(x0, cy - 10), (x1, cy + 10)],
                    BLACK.stroke_width(1),
                ))
                .map_err(msg)?;
            }
            Mark::Hatched => {
                area.draw(&Rectangle::new(
                    [(x0, cy - 10), (x1, cy + 10)],
                    BLACK.stroke_width(1),
                ))
                .map_err(msg)?;
                area.draw(&PathElement::new(
                    vec![(x0, cy + 10), (x1, cy - 10)],
                    REF_COLOR,
                ))
                .map_err(msg)?;
            }
        }
        draw_label(
            area,
            label,
            (x1 + 10, cy),
            TICK_SIZE,
            Align::Left,
            false,
            &BLACK,
        )?;
    }
    Ok(y + entries.len() as i32 * ROW)
}

// ---------------------------------------------------------------------------------------------
// Ranges, ticks, clipping.

/// Finite extent of `values`, or `None` when none is finite.
pub(crate) fn finite_extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// An axis range: `given` when it is usable, else the finite data extent with a 5 % margin,
/// else `(0, 1)`. Always finite with `lo < hi`.
pub(crate) fn axis_range(given: Option<(f64, f64)>, data: Option<(f64, f64)>) -> (f64, f64) {
    if let Some((lo, hi)) = given {
        if resolvable(lo, hi) {
            return (lo, hi);
        }
    }
    let Some((lo, hi)) = data else {
        return (0.0, 1.0);
    };
    let span = hi - lo;
    if resolvable(lo, hi) {
        let pad = 0.05 * span;
        if resolvable(lo - pad, hi + pad) {
            return (lo - pad, hi + pad);
        }
        return (lo, hi);
    }
    // Empty, sub-ulp or overflowing span: centre a readable window on the data.
    let mid = if (0.5 * lo + 0.5 * hi).is_finite() {
        0.5 * lo + 0.5 * hi
    } else {
        0.0
    };
    let half = if mid.abs() > 0.0 {
        (0.05 * mid.abs()).min(1e300)
    } else {
        0.5
    };
    (mid - half, mid + half)
}

/// True when [lo, hi] is finite, non-empty and wide enough for tick stepping: plotters' key
/// point search never terminates when the step is below the resolution of the endpoints.
fn resolvable(lo: f64, hi: f64) -> bool {
    let span = hi - lo;
    lo.is_finite() && hi.is_finite() && span.is_finite() && span > 1e-9 * lo.abs().max(hi.abs())
}

/// "Nice" tick positions (steps of 1, 2 or 5 × 10^k) covering `[lo, hi]`, about `n` of them,
/// with the step.
pub(crate) fn nice_ticks(lo: f64, hi: f64, n: usize) -> (Vec<f64>, f64) {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return (vec![lo], 1.0);
    }
    let n = n.max(1) as f64;
    let mag = 10f64.powf((span / n).log10().floor());
    // The 1-2-5 step whose tick count is closest to n.
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .min_by(|a, b| ((span / a - n).abs()).total_cmp(&(span / b - n).abs()))
        .unwrap_or(mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    let ticks = (first..=last).map(|k| k as f64 * step).collect();
    (ticks, step)
}

/// Formats a tick value with just the decimals its step needs (scientific for extreme
/// magnitudes).
pub(crate) fn format_tick(v: f64, step: f64) -> String {
    let v = if v.abs() < 1e-9 * step.abs() { 0.0 } else { v };
    if step.abs() < 1e-3 || v.abs() >= 1e5 {
        return format!("{v:.1e}");
    }
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    format!("{v:.decimals$}").replace('-', "−")
}

/// Clips the segment `a`–`b` to the rectangle `[x0,x1]×[y0,y1]` (Liang–Barsky).
pub(crate) fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    let clipped = (
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    );
    (t0 <= t1).then_some(clipped)
}

/// Splits a polyline into runs of consecutive finite points, each clipped to the ranges.
pub(crate) fn clipped_runs(
    points: &[(f64, f64)],
    xr: (f64, f64),
    yr: (f64, f64),
) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let finite = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let clipped = if finite(&a) && finite(&b) {
            clip_segment(a, b, xr, yr)
        } else {
            None
        };
        match clipped {
            Some((p, q)) => {
                if current.last() != Some(&p) {
                    if !current.is_empty() {
                        runs.push(std::mem::take(&mut current));
                    }
                    current.push(p);
                }
                current.push(q);
            }
            None => {
                if !current.is_empty() {
                    runs.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Draws a polyline (already finite and clipped) as a solid or dashed line. Consecutive points
/// on the same pixel are merged, and the line is split at turns sharper than about 105°, where
/// plotters' mitred joins of thick lines would otherwise shoot spikes out of the plot.
pub(crate) fn draw_polyline<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    run: &[(f64, f64)],
    color: RGBColor,
    width: u32,
    dashed: bool,
) -> DrawResult {
    let mut kept: Vec<((f64, f64), (i32, i32))> = Vec::with_capacity(run.len());
    for p in run {
        let px = chart.backend_coord(p);
        if kept.last().is_none_or(|(_, q)| *q != px) {
            kept.push((*p, px));
        }
    }
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for (i, (p, px)) in kept.iter().enumerate() {
        current.push(*p);
        if i == 0 || i + 1 == kept.len() {
            continue;
        }
        let (prev, next) = (kept[i - 1].1, kept[i + 1].1);
        let a = ((px.0 - prev.0) as f64, (px.1 - prev.1) as f64);
        let b = ((next.0 - px.0) as f64, (next.1 - px.1) as f64);
        let cos = (a.0 * b.0 + a.1 * b.1) / (a.0.hypot(a.1) * b.0.hypot(b.1));
        if cos < -0.25 {
            pieces.push(std::mem::replace(&mut current, vec![*p]));
        }
    }
    pieces.push(current);
    let style = color.stroke_width(width);
    for piece in pieces.into_iter().filter(|p| p.len() > 1) {
        if dashed {
            chart
                .draw_series(DashedLineSeries::new(piece, 14, 9, style))
                .map_err(msg)?;
        } else {
            chart
                .draw_series(LineSeries::new(piece, style))
                .map_err(msg)?;
        }
    }
    Ok(())
}

/// True when `p` is finite and inside the ranges.
pub(crate) fn inside(p: (f64, f64), (x0, x1): (f64, f64), (y0, y1): (f64, f64)) -> bool {
    p.0.is_finite() && p.1.is_finite() && p.0 >= x0 && p.0 <= x1 && p.1 >= y0 && p.1 <= y1
}

// ---------------------------------------------------------------------------------------------
// Axes, reference lines and notes on a chart.

/// A 2-D chart over `f64 × f64`.
pub(crate) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Most tick labels on an x axis.
const X_TICKS: usize = 9;
/// Most tick labels on a y axis.
const Y_TICKS: usize = 7;

/// The spacing of the ticks plotters draws on `range` with at most `n` labels (so the labels
/// get the decimals they need).
fn mesh_step(range: std::ops::Range<f64>, n: usize) -> f64 {
    let keys = RangedCoordf64::from(range.clone()).key_points(n);
    match keys.as_slice() {
        [a, b, ..] if b > a => b - a,
        _ => nice_ticks(range.start, range.end, n).1,
    }
}

/// Draws the axes, tick labels and (when `grid`) grid lines of `chart`; `x_ticks = false` hides
/// the x tick labels (for a panel sharing its x axis with the one below).
pub(crate) fn draw_mesh<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    x_ticks: bool,
    grid: bool,
) -> DrawResult {
    let (xr, yr) = (chart.x_range(), chart.y_range());
    let (xstep, ystep) = (mesh_step(xr, X_TICKS), mesh_step(yr, Y_TICKS));
    let fx = move |v: &f64| {
        if x_ticks {
            format_tick(*v, xstep)
        } else {
            String::new()
        }
    };
    let fy = move |v: &f64| format_tick(*v, ystep);
    chart
        .configure_mesh()
        .x_labels(X_TICKS)
        .y_labels(Y_TICKS)
        .x_label_formatter(&fx)
        .y_label_formatter(&fy)
        .label_style(font(TICK_SIZE))
        .bold_line_style(if grid { GRID_COLOR.into() } else { TRANSPARENT })
        .light_line_style(TRANSPARENT)
        .axis_style(BLACK.stroke_width(1))
        .set_all_tick_mark_size(6)
        .draw()
        .map_err(msg)
}

/// Pixel rectangle `(x0, y0, x1, y1)` of a chart's plotting area.
pub(crate) fn plot_rect<DB: DrawingBackend>(chart: &Chart<'_, DB>) -> (i32, i32, i32, i32) {
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    (xs.start, ys.start, xs.end, ys.end)
}

/// Draws the axis labels around `chart` on `root`; `x_label` may be empty.
pub(crate) fn draw_axis_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    x_label: &str,
    y_label: &str,
    y_label_x: i32,
) -> DrawResult {
    let (x0, y0, x1, y1) = plot_rect(chart);
    if !x_label.is_empty() {
        let at = ((x0 + x1) / 2, y1 + 58);
        draw_label(root, x_label, at, LABEL_SIZE, Align::Center, false, &BLACK)?;
    }
    let at = (y_label_x, (y0 + y1) / 2);
    draw_label(root, y_label, at, LABEL_SIZE, Align::Center, true, &BLACK)
}

/// Draws dashed vertical reference lines; labels (when `labelled`) sit at the top, right of
/// the line. Lines outside the x range are skipped.
pub(crate) fn draw_vlines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    lines: &[RefLine],
    labelled: bool,
) -> DrawResult {
    let (xr, yr) = (chart.x_range(), chart.y_range());
    let (_, top, _, bottom) = plot_rect(chart);
    for line in lines {
        if !(line.value.is_finite() && line.value >= xr.start && line.value <= xr.end) {
            continue;
        }
        let (px, _) = chart.backend_coord(&(line.value, yr.end));
        dashed_pixels(root, (px, top), (px, bottom), REF_COLOR)?;
        if labelled && !line.label.is_empty() {
            let at = (px + 6, top + 16);
            draw_label(
                root,
                &line.label,
                at,
                TICK_SIZE,
                Align::Left,
                false,
                &REF_COLOR,
            )?;
        }
    }
    Ok(())
}

/// Draws dashed horizontal reference lines with their labels above the right end.
pub(crate) fn draw_hlines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    lines: &[RefLine],
) -> DrawResult {
    let (xr, yr) = (chart.x_range(), chart.y_range());
    let (left, _, right, _) = plot_rect(chart);
    for line in lines {
        if !(line.value.is_finite() && line.value >= yr.start && line.value <= yr.end) {
            continue;
        }
        let (_, py) = chart.backend_coord(&(xr.start, line.value));
        dashed_pixels(root, (left, py), (right, py), REF_COLOR)?;
        if !line.label.is_empty() {
            let at = (right - 6, py - 14);
            draw_label(
                root,
                &line.label,
                at,
                TICK_SIZE,
                Align::Right,
                false,
                &REF_COLOR,
            )?;
        }
    }
    Ok(())
}

/// A dashed axis-parallel line between two pixel positions of `root`.
fn dashed_pixels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    a: (i32, i32),
    b: (i32, i32),
    color: RGBColor,
) -> DrawResult {
    let len = (b.0 - a.0).abs().max((b.1 - a.1).abs());
    let (dx, dy) = ((b.0 - a.0).signum(), (b.1 - a.1).signum());
    let mut t = 0;
    while t < len {
        let e = (t + 8).min(len);
        let seg = vec![(a.0 + dx * t, a.1 + dy * t), (a.0 + dx * e, a.1 + dy * e)];
        root.draw(&PathElement::new(seg, color.stroke_width(2)))
            .map_err(msg)?;
        t += 14;
    }
    Ok(())
}

/// Writes "no data" in the middle of the chart.
pub(crate) fn draw_no_data<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
) -> DrawResult {
    let (x0, y0, x1, y1) = plot_rect(chart);
    let at = ((x0 + x1) / 2, (y0 + y1) / 2);
    draw_label(
        root,
        "no data",
        at,
        LABEL_SIZE,
        Align::Center,
        false,
        &REF_COLOR,
    )
}

#[cfg(test)]
pub(crate) mod test_util {
    //! Checks shared by the figure tests.
    use std::path::{Path, PathBuf};

    /// `$TMPDIR/fig-examples`, where the ignored `example_*` tests write figures to look at
    /// (`cargo test figures -- --ignored`).
    pub fn examples_dir() -> PathBuf {
        let dir = std::env::temp_dir().join("fig-examples");
        std::fs::create_dir_all(&dir).expect("create examples dir");
        dir
    }

    /// Asserts that `<stem>.png` is a PNG of the given size and `<stem>.svg` a non-empty SVG.
    pub fn assert_written(stem: &Path, size: (u32, u32)) {
        let png = std::fs::read(super::with_suffix(stem, "png")).expect("png written");
        assert!(png.len() > 1000, "png too small: {} bytes", png.len());
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
        assert_eq!(&png[12..16], b"IHDR");
        let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        assert_eq!((w, h), size);
        // Walk the chunks: each length must fit, and the last chunk must be IEND.
        let mut at = 8;
        let mut last = [0u8; 4];
        while at + 12 <= png.len() {
            let len = u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
            last.copy_from_slice(&png[at + 4..at + 8]);
            at += 12 + len as usize;
        }
        assert_eq!(at, png.len(), "chunk lengths add up to the file size");
        assert_eq!(&last, b"IEND");
        let svg = std::fs::read_to_string(super::with_suffix(stem, "svg")).expect("svg written");
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_ranges_become_resolvable() {
        // θ values equal up to their last bits once made plotters' tick search loop forever.
        let theta = 20.0f64;
        let cases = [
            (theta, f64::from_bits(theta.to_bits() + 2)),
            (theta, theta),
            (-1.7e308, 1.7e308),
            (0.0, 0.0),
            (1e-300, 2e-300),
        ];
        for (lo, hi) in cases {
            let (a, b) = axis_range(None, Some((lo, hi)));
            assert!(resolvable(a, b), "{lo}, {hi} -> {a}, {b}");
            let (a, b) = axis_range(Some((lo, hi)), None);
            assert!(resolvable(a, b), "given {lo}, {hi} -> {a}, {b}");
        }
    }

    #[test]
    fn scripts_are_parsed() {
        let runs = parse_scripts("τ_m and x_{n+1}^2 λ_max e^(−Δt/τ_+) t_post");
        let kinds: Vec<_> = runs.iter().map(|(s, k)| (s.as_str(), *k)).collect();
        assert!(
            kinds
                == vec![
                    ("τ", Script::Normal),
                    ("m", Script::Sub),
                    (" and x", Script::Normal),
                    ("n+1", Script::Sub),
                    ("2", Script::Super),
                    (" λ", Script::Normal),
                    ("max", Script::Sub),
                    (" e", Script::Normal),
                    ("(−Δt/τ_+)", Script::Super),
                    (" t", Script::Normal),
                    ("post", Script::Sub),
                ]
        );
    }

    #[test]
    fn ranges_are_sane() {
        assert!(axis_range(None, None) == (0.0, 1.0));
        let (lo, hi) = axis_range(None, Some((2.0, 2.0)));
        assert!(lo < 2.0 && hi > 2.0);
        let (lo, hi) = axis_range(Some((f64::NAN, 1.0)), Some((0.0, 10.0)));
        assert!((lo + 0.5).abs() < 1e-12 && (hi - 10.5).abs() < 1e-12);
        let (ticks, step) = nice_ticks(0.0, 1.0, 5);
        assert!((step - 0.2).abs() < 1e-12 && ticks.len() == 6);
    }

    #[test]
    fn segments_are_clipped() {
        let c = clip_segment((-1.0, 0.5), (2.0, 0.5), (0.0, 1.0), (0.0, 1.0)).unwrap();
        assert!((c.0 .0).abs() < 1e-12 && (c.1 .0 - 1.0).abs() < 1e-12);
        assert!(clip_segment((2.0, 2.0), (3.0, 3.0), (0.0, 1.0), (0.0, 1.0)).is_none());
    }
}
