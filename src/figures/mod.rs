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
//!
//! The shared drawing kit lives in private modules, re-exported here for the figure kinds:
//!
//! * `font` — the embedded font; `style` — colours and sizes; `render` — the `Render` trait
//!   and the rendering to PNG + SVG.
//! * `label` — labels with scripts and titles; `legend` — legends in their own column.
//! * `ticks` — axis ranges and ticks; `axes` — mesh, axis labels and notes on a chart;
//!   `ref_lines` — dashed reference lines; `polyline` — clipped, spike-free polylines.

pub mod bifurcation;
pub mod heatmap;
pub mod line;
pub mod training;

pub use bifurcation::{bifurcation, BifurcationFigure};
pub use heatmap::{heatmap, HeatmapFigure};
pub use line::{line_chart, LineChart, RefLine, Series, SeriesStyle};
pub use training::{confusion, histogram, tile_grid, ConfusionFigure, Histogram, TileGrid};

mod axes;
mod font;
mod label;
mod legend;
mod polyline;
mod ref_lines;
mod render;
mod style;
mod ticks;

#[cfg(test)]
pub(crate) mod test_util;

pub use font::FONT_FAMILY;
pub use legend::StatusNames;

pub(crate) use axes::{draw_axis_labels, draw_mesh, draw_no_data, plot_rect, Chart};
pub(crate) use font::font;
pub(crate) use label::{draw_label, draw_title, label_width, Align};
pub(crate) use legend::{draw_legend, legend_width, Mark};
pub(crate) use polyline::{clipped_runs, draw_polyline, inside};
pub(crate) use ref_lines::{draw_hlines, draw_vlines};
pub(crate) use render::{msg, render_both, with_suffix, DrawResult, Render};
pub(crate) use style::{LABEL_SIZE, PALETTE, REF_COLOR, TICK_SIZE, TITLE_HEIGHT};
pub(crate) use ticks::{axis_range, finite_extent, format_tick, nice_ticks};
