//! Histograms of values (e.g. the adaptive thresholds θ) with mean, median and count.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::fraction;
use crate::figures::{
    axis_range, draw_axis_labels, draw_legend, draw_mesh, draw_no_data, draw_title, finite_extent,
    format_tick, legend_width, msg, plot_rect, render_both, DrawResult, Mark, Render, PALETTE,
    TITLE_HEIGHT,
};

/// A histogram of values (e.g. adaptive thresholds θ in mV) with `bins` equal bins over the
/// finite data range; mean, median and the number of values are printed in the legend.
#[derive(Debug, Clone)]
pub struct Histogram {
    /// Title above the chart.
    pub title: String,
    /// x-axis label (the quantity, with units).
    pub x_label: String,
    /// The values; non-finite ones are skipped (and counted in the legend).
    pub values: Vec<f64>,
    /// Number of equal bins (0 is treated as 1).
    pub bins: usize,
}

/// Writes `fig` to `<stem>.png` (1200×800) and `<stem>.svg`.
///
/// Bars with a thin dark outline over the finite range (a single distinct value gets one bar
/// of width 1 around it), the mean as a solid and the median as a dashed vertical line, and a
/// legend with n, mean and median. No finite value (or a finite range wider than `f64::MAX`)
/// gives empty axes saying "no data". Backend failures are [`crate::Error::Plot`].
pub fn histogram(fig: &Histogram, stem: &Path) -> crate::Result<()> {
    render_both(fig, stem)
}

/// Colour of the bars.
const BAR_COLOR: RGBColor = PALETTE[0];
/// Outline of the bars.
const BAR_EDGE: RGBColor = RGBColor(20, 60, 100);
/// Colour of the mean line.
const MEAN_COLOR: RGBColor = PALETTE[3];
/// Colour of the median line.
const MEDIAN_COLOR: RGBColor = PALETTE[1];

/// Summary of the finite values: bin edges, counts, mean and median.
struct Binned {
    edges: Vec<f64>,
    counts: Vec<u64>,
    mean: f64,
    median: f64,
    n: usize,
}

impl Histogram {
    /// Bins the finite values, or `None` when there are none.
    fn binned(&self) -> Option<Binned> {
        let mut finite: Vec<f64> = self
            .values
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        let (lo, hi) = finite_extent(finite.iter().copied())?;
        if !(hi - lo).is_finite() {
            // The range overflows f64 (values near ±1.8e308): no axis can show it.
            return None;
        }
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 0.5, hi + 0.5)
        };
        let bins = self.bins.max(1);
        let edges: Vec<f64> = (0..=bins)
            .map(|i| lo + (hi / 2.0 - lo / 2.0) * 2.0 * (i as f64 / bins as f64))
            .collect();
        let mut counts = vec![0u64; bins];
        for &v in &finite {
            let i = ((fraction(v, lo, hi) * bins as f64) as usize).min(bins - 1);
            counts[i] += 1;
        }
        let n = finite.len();
        let mean = finite.iter().map(|v| v / n as f64).sum::<f64>();
        finite.sort_by(f64::total_cmp);
        let median = if n % 2 == 1 {
            finite[n / 2]
        } else {
            finite[n / 2 - 1] / 2.0 + finite[n / 2] / 2.0
        };
        Some(Binned {
            edges,
            counts,
            mean,
            median,
            n,
        })
    }

    /// Legend entries: n (and skipped values), mean, median.
    fn legend(&self, b: Option<&Binned>) -> Vec<(Mark, String)> {
        let skipped = self.values.iter().filter(|v| !v.is_finite()).count();
        let n = b.map_or(0, |b| b.n);
        let mut count = format!("n = {n}");
        if b.is_none() && skipped < self.values.len() {
            count.push_str(" (range too wide to bin)");
        } else if skipped > 0 {
            count.push_str(&format!(" ({skipped} non-finite skipped)"));
        }
        let mut entries = vec![(Mark::Patch(BAR_COLOR), count)];
        if let Some(b) = b {
            let (lo, hi) = (b.edges[0], b.edges[b.edges.len() - 1]);
            let step = (hi - lo).abs() / 1000.0;
            let step = if step > 0.0 && step.is_finite() {
                step
            } else {
                1.0
            };
            let mean = format!("mean = {}", format_tick(b.mean, step));
            let median = format!("median = {}", format_tick(b.median, step));
            entries.push((Mark::Line(MEAN_COLOR), mean));
            entries.push((Mark::Dashed(MEDIAN_COLOR), median));
        }
        entries
    }
}

impl Render for Histogram {
    fn size(&self) -> (u32, u32) {
        (1200, 800)
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let (title_area, body) = root.split_vertically(TITLE_HEIGHT);
        draw_title(&title_area, &self.title)?;
        let binned = self.binned();
        let legend = self.legend(binned.as_ref());
        let labels: Vec<&str> = legend.iter().map(|(_, l)| l.as_str()).collect();
        let (body_w, _) = body.dim_in_pixel();
        let column = legend_width(root, &labels);
        let (plot_area, legend_area) = body.split_horizontally(body_w - column);
        let edges = binned
            .as_ref()
            .map(|b| (b.edges[0], b.edges[b.edges.len() - 1]));
        let (x0, x1) = axis_range(None, edges);
        let top = binned
            .as_ref()
            .and_then(|b| b.counts.iter().max().copied())
            .unwrap_or(0) as f64;
        let y1 = (top * 1.08).max(5.0);
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(8)
            .margin_right(24)
            .margin_left(12)
            .margin_bottom(8)
            .x_label_area_size(84)
            .y_label_area_size(118)
            .build_cartesian_2d(x0..x1, 0.0..y1)
            .map_err(msg)?;
        draw_mesh(&mut chart, true, true)?;
        match &binned {
            Some(b) => {
                let bars = b.counts.iter().enumerate().filter(|(_, &c)| c > 0);
                let rects: Vec<[(f64, f64); 2]> = bars
                    .map(|(i, &c)| [(b.edges[i], 0.0), (b.edges[i + 1], c as f64)])
                    .collect();
                let fill = rects.iter().map(|r| Rectangle::new(*r, BAR_COLOR.filled()));
                chart.draw_series(fill).map_err(msg)?;
                let edge = rects
                    .iter()
                    .map(|r| Rectangle::new(*r, BAR_EDGE.stroke_width(1)));
                chart.draw_series(edge).map_err(msg)?;
                let mean = vec![(b.mean, 0.0), (b.mean, y1)];
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        mean,
                        MEAN_COLOR.stroke_width(3),
                    )))
                    .map_err(msg)?;
                let median = vec![(b.median, 0.0), (b.median, y1)];
                let style = MEDIAN_COLOR.stroke_width(3);
                chart
                    .draw_series(DashedLineSeries::new(median, 14, 9, style))
                    .map_err(msg)?;
            }
            None => draw_no_data(root, &chart)?,
        }
        let y_label_x = plot_area.get_base_pixel().0 + 28;
        draw_axis_labels(root, &chart, &self.x_label, "count", y_label_x)?;
        let (_, top_px, _, _) = plot_rect(&chart);
        let x = legend_area.get_base_pixel().0 + 4;
        draw_legend(root, (x, top_px), &legend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::examples::histogram_example;
    use super::*;
    use crate::figures::test_util::assert_written;

    #[test]
    fn histogram_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let fig = Histogram {
            values: vec![1.0, 2.0, 2.0, 3.0, 10.0],
            bins: 3,
            ..histogram_example()
        };
        let b = fig.binned().unwrap();
        assert_eq!(b.counts, vec![4, 0, 1]);
        approx::assert_relative_eq!(b.mean, 3.6, epsilon = 1e-12);
        approx::assert_relative_eq!(b.median, 2.0);
        let stem = dir.path().join("hist");
        histogram(&histogram_example(), &stem).unwrap();
        assert_written(&stem, (1200, 800));
    }

    #[test]
    fn histogram_bad_input() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            vec![],
            vec![f64::NAN, f64::INFINITY],
            vec![5.0; 7],
            vec![-1e308, 1e308, f64::NAN],
        ];
        for (i, values) in cases.into_iter().enumerate() {
            let fig = Histogram {
                values,
                bins: if i == 2 { 0 } else { 10 },
                ..histogram_example()
            };
            let stem = dir.path().join(format!("h{i}"));
            histogram(&fig, &stem).unwrap();
            assert_written(&stem, (1200, 800));
        }
    }
}
