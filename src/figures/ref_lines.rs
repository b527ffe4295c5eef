//! Dashed reference lines across a chart, with their labels.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{plot_rect, Chart};
use super::label::{draw_label, Align};
use super::render::{msg, DrawResult};
use super::style::{REF_COLOR, TICK_SIZE};
use super::RefLine;

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
