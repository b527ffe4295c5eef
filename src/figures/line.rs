//! Line charts: several labelled series (lines, dashed lines, dots or circle markers) with
//! vertical and horizontal reference lines, a legend beside the plot, PNG + SVG.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    axis_range, clipped_runs, draw_axis_labels, draw_hlines, draw_legend, draw_mesh, draw_no_data,
    draw_polyline, draw_title, draw_vlines, finite_extent, inside, legend_width, msg, plot_rect,
    render_both, Chart, DrawResult, Mark, Render, PALETTE, TITLE_HEIGHT,
};

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesStyle {
    /// A solid line through the points (gaps at non-finite points).
    Line,
    /// A dashed line through the points.
    Dashed,
    /// Small filled dots, no line.
    Points,
    /// Small open circles, no line.
    Markers,
}

/// One labelled data series of a [`LineChart`].
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend text (may use `_sub` / `^sup`); an empty label gives no legend entry.
    pub label: String,
    /// The `(x, y)` points; non-finite points are skipped (and break a line).
    pub points: Vec<(f64, f64)>,
    /// How the series is drawn.
    pub style: SeriesStyle,
}

/// A vertical or horizontal reference line with a label (e.g. "w_c", "η_c").
#[derive(Debug, Clone)]
pub struct RefLine {
    /// Where the line is, in data units of its axis.
    pub value: f64,
    /// Label drawn next to the line (may be empty).
    pub label: String,
}

/// A line chart; see [`line_chart`].
#[derive(Debug, Clone)]
pub struct LineChart {
    /// Title above the chart.
    pub title: String,
    /// x-axis label, with units.
    pub x_label: String,
    /// y-axis label, with units.
    pub y_label: String,
    /// The series, drawn in order with distinct colours.
    pub series: Vec<Series>,
    /// x range; `None` → from the finite data (and reference lines) with a 5 % margin.
    pub x_range: Option<(f64, f64)>,
    /// y range; `None` → from the finite data (and reference lines) with a 5 % margin.
    pub y_range: Option<(f64, f64)>,
    /// Vertical reference lines.
    pub vlines: Vec<RefLine>,
    /// Horizontal reference lines.
    pub hlines: Vec<RefLine>,
}

/// Writes `chart` to `<stem>.png` (1200×800) and `<stem>.svg`.
///
/// Non-finite points are skipped; with no finite point at all the axes are still drawn, with a
/// "no data" note. Backend failures are [`crate::Error::Plot`].
pub fn line_chart(chart: &LineChart, stem: &Path) -> crate::Result<()> {
    render_both(chart, stem)
}

impl LineChart {
    /// Axis ranges: as given, else from the finite data and reference lines.
    fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        let pts = || self.series.iter().flat_map(|s| s.points.iter());
        let finite = || pts().filter(|p| p.0.is_finite() && p.1.is_finite());
        let xs = finite()
            .map(|p| p.0)
            .chain(self.vlines.iter().map(|l| l.value));
        let x = axis_range(self.x_range, finite_extent(xs));
        let ys = finite()
            .filter(|p| p.0 >= x.0 && p.0 <= x.1)
            .map(|p| p.1)
            .chain(self.hlines.iter().map(|l| l.value));
        let y = axis_range(self.y_range, finite_extent(ys));
        (x, y)
    }

    /// Legend entries, one per labelled series.
    fn legend(&self) -> Vec<(Mark, String)> {
        self.series
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.label.is_empty())
            .map(|(i, s)| {
                let c = PALETTE[i % PALETTE.len()];
                let mark = match s.style {
                    SeriesStyle::Line => Mark::Line(c),
                    SeriesStyle::Dashed => Mark::Dashed(c),
                    SeriesStyle::Points => Mark::Dots(c),
                    SeriesStyle::Markers => Mark::Circles(c),
                };
                (mark, s.label.clone())
            })
            .collect()
    }

    /// Draws every series; returns whether anything was inside the ranges.
    fn draw_series<DB: DrawingBackend>(&self, chart: &mut Chart<'_, DB>) -> Result<bool, String> {
        let (xr, yr) = (chart.x_range(), chart.y_range());
        let (xr, yr) = ((xr.start, xr.end), (yr.start, yr.end));
        let mut drawn = false;
        for (i, s) in self.series.iter().enumerate() {
            let c = PALETTE[i % PALETTE.len()];
            match s.style {
                SeriesStyle::Line | SeriesStyle::Dashed => {
                    let dashed = s.style == SeriesStyle::Dashed;
                    for run in clipped_runs(&s.points, xr, yr) {
                        drawn = true;
                        draw_polyline(chart, &run, c, 3, dashed)?;
                    }
                    // A lone finite point has no segment: show it as a dot.
                    let lone = s.points.len() == 1 && inside(s.points[0], xr, yr);
                    if lone {
                        drawn = true;
                        let p = s.points[0];
                        chart
                            .draw_series(std::iter::once(Circle::new(p, 3, c.filled())))
                            .map_err(msg)?;
                    }
                }
                SeriesStyle::Points | SeriesStyle::Markers => {
                    let pts: Vec<(f64, f64)> = s
                        .points
                        .iter()
                        .copied()
                        .filter(|p| inside(*p, xr, yr))
                        .collect();
                    drawn |= !pts.is_empty();
                    let markers = s.style == SeriesStyle::Markers;
                    let style = if markers {
                        c.stroke_width(2)
                    } else {
                        c.filled()
                    };
                    let radius = if markers { 5 } else { 2 };
                    chart
                        .draw_series(pts.into_iter().map(|p| Circle::new(p, radius, style)))
                        .map_err(msg)?;
                }
            }
        }
        Ok(drawn)
    }
}

impl Render for LineChart {
    fn size(&self) -> (u32, u32) {
        (1200, 800)
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let (title_area, body) = root.split_vertically(TITLE_HEIGHT);
        draw_title(&title_area, &self.title)?;
        let legend = self.legend();
        let labels: Vec<&str> = legend.iter().map(|(_, l)| l.as_str()).collect();
        let (body_w, _) = body.dim_in_pixel();
        let legend_w = if legend.is_empty() {
            0
        } else {
            legend_width(root, &labels)
        };
        let (plot_area, legend_area) = body.split_horizontally(body_w - legend_w);
        let ((x0, x1), (y0, y1)) = self.ranges();
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(8)
            .margin_right(24)
            .margin_left(12)
            .margin_bottom(8)
            .x_label_area_size(84)
            .y_label_area_size(118)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(msg)?;
        draw_mesh(&mut chart, true, true)?;
        draw_hlines(root, &chart, &self.hlines)?;
        draw_vlines(root, &chart, &self.vlines, true)?;
        if !self.draw_series(&mut chart)? {
            draw_no_data(root, &chart)?;
        }
        let y_label_x = plot_area.get_base_pixel().0 + 28;
        draw_axis_labels(root, &chart, &self.x_label, &self.y_label, y_label_x)?;
        if !legend.is_empty() {
            let (_, top, _, _) = plot_rect(&chart);
            let x = legend_area.get_base_pixel().0 + 4;
            draw_legend(root, (x, top), &legend)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{assert_written, examples_dir};
    use super::*;

    fn example() -> LineChart {
        let xs: Vec<f64> = (0..=200).map(|i| i as f64 * 0.05).collect();
        let series = |label: &str, style, f: fn(f64) -> f64| Series {
            label: label.to_string(),
            points: xs.iter().map(|&x| (x, f(x))).collect(),
            style,
        };
        LineChart {
            title: "Membrane potential of the LIF neuron (τ_m = 20 ms)".to_string(),
            x_label: "Δt = t_post − t_pre (ms)".to_string(),
            y_label: "potential V (mV)".to_string(),
            series: vec![
                series("exact: t e^(−t/τ_m)", SeriesStyle::Line, |x| {
                    x * (-x / 3.0).exp()
                }),
                series("approximation", SeriesStyle::Dashed, |x| {
                    x * (-x / 2.5).exp()
                }),
                series("samples", SeriesStyle::Markers, |x| {
                    if (x * 20.0) as i64 % 10 == 0 {
                        x * (-x / 3.0).exp() + 0.05
                    } else {
                        f64::NAN
                    }
                }),
                series("noise", SeriesStyle::Points, |x| {
                    0.6 + 0.1 * (7.0 * x).sin()
                }),
            ],
            x_range: None,
            y_range: None,
            vlines: vec![RefLine {
                value: 3.0,
                label: "w_c".to_string(),
            }],
            hlines: vec![RefLine {
                value: 1.0,
                label: "V_θ".to_string(),
            }],
        }
    }

    #[test]
    fn writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("line");
        line_chart(&example(), &stem).unwrap();
        assert_written(&stem, (1200, 800));
    }

    #[test]
    fn non_finite_and_empty_data_do_not_panic() {
        let dir = tempfile::tempdir().unwrap();
        let mut chart = example();
        chart.series[0].points = vec![
            (f64::NAN, 1.0),
            (1.0, f64::INFINITY),
            (f64::NEG_INFINITY, 0.0),
        ];
        chart.series[1].points = vec![(0.0, 1e300), (1.0, -1e300), (2.0, 0.0)];
        chart.x_range = Some((f64::NAN, 3.0));
        chart.vlines[0].value = f64::NAN;
        line_chart(&chart, &dir.path().join("bad")).unwrap();
        assert_written(&dir.path().join("bad"), (1200, 800));
        let empty = LineChart {
            series: vec![Series {
                label: "nothing".into(),
                points: vec![(f64::NAN, f64::NAN)],
                style: SeriesStyle::Line,
            }],
            vlines: vec![],
            hlines: vec![],
            ..example()
        };
        line_chart(&empty, &dir.path().join("empty")).unwrap();
        assert_written(&dir.path().join("empty"), (1200, 800));
    }

    #[test]
    fn missing_directory_is_a_plot_error() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("no/such/dir/fig");
        let err = line_chart(&example(), &stem).unwrap_err();
        assert!(matches!(err, crate::Error::Plot { .. }), "{err}");
    }

    #[test]
    #[ignore = "writes an example figure to look at"]
    fn example_figure() {
        line_chart(&example(), &examples_dir().join("line")).unwrap();
    }
}
