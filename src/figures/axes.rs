//! Axes on a chart: the mesh with its ticks and grid, the axis labels, the plotting area, and
//! the "no data" note.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::font::font;
use super::label::{draw_label, Align};
use super::render::{msg, DrawResult};
use super::style::{GRID_COLOR, LABEL_SIZE, REF_COLOR, TICK_SIZE};
use super::ticks::{format_tick, nice_ticks};

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
