//! Heatmaps of a signed scalar (typically the largest Lyapunov exponent) over two parameters:
//! a diverging colour map centred at 0, a colour bar, absorbed and diverged cells in colours
//! of their own, and optionally the value = 0 contour.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::StatusNames;
use super::{
    draw_axis_labels, draw_label, draw_legend, draw_mesh, draw_no_data, draw_title, format_tick,
    label_width, legend_width, msg, nice_ticks, plot_rect, render_both, Align, Chart, DrawResult,
    Mark, Render, LABEL_SIZE, TICK_SIZE, TITLE_HEIGHT,
};
use crate::analysis::OrbitStatus;

/// Colour of absorbed cells (not the colour of 0, which is white).
const ABSORBED_COLOR: RGBColor = RGBColor(150, 150, 150);
/// Colour of diverged cells.
const DIVERGED_COLOR: RGBColor = BLACK;
/// Colour of cells whose orbit blew up (a rate of the model became singular).
const BLOWN_UP_COLOR: RGBColor = RGBColor(148, 103, 189);
/// Colour of the zero contour.
const CONTOUR_COLOR: RGBColor = RGBColor(0, 0, 0);

/// ColorBrewer RdBu (9 classes, reversed: blue negative, red positive) with pure white at 0.
const DIVERGING: [(u8, u8, u8); 9] = [
    (33, 102, 172),
    (67, 147, 195),
    (146, 197, 222),
    (209, 229, 240),
    (255, 255, 255),
    (253, 219, 199),
    (244, 165, 130),
    (214, 96, 77),
    (178, 24, 43),
];

/// How values map to colours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColourScale {
    /// Blue–white–red, symmetric about 0 (signed values: Lyapunov exponents, balances).
    Diverging,
    /// Light to dark from `low` to `high` (values of one sign: accuracies); values beyond
    /// take the end colours.
    Sequential {
        /// The value of the lightest colour.
        low: f64,
        /// The value of the darkest colour.
        high: f64,
    },
}

/// ColorBrewer YlGnBu (9 classes): light yellow (low) to dark blue (high).
const SEQUENTIAL: [(u8, u8, u8); 9] = [
    (255, 255, 217),
    (237, 248, 177),
    (199, 233, 180),
    (127, 205, 187),
    (65, 182, 196),
    (29, 145, 192),
    (34, 94, 168),
    (37, 52, 148),
    (8, 29, 88),
];

/// Heatmap of a scalar (largest Lyapunov exponent) over two parameters.
#[derive(Debug, Clone)]
pub struct HeatmapFigure {
    /// Title above the figure.
    pub title: String,
    /// x-axis (first parameter) label, with units.
    pub x_label: String,
    /// y-axis (second parameter) label, with units.
    pub y_label: String,
    /// Label of the colour bar (the value), with units.
    pub value_label: String,
    /// Cell centres along x, increasing.
    pub x_values: Vec<f64>,
    /// Cell centres along y, increasing.
    pub y_values: Vec<f64>,
    /// Values, row-major: index = iy * x_values.len() + ix.
    pub values: Vec<f64>,
    /// Status per cell, same layout as `values`.
    pub status: Vec<OrbitStatus>,
    /// Draw the value = 0 contour (marching squares over regular cells).
    pub zero_contour: bool,
    /// The colour scale.
    pub scale: ColourScale,
    /// Legend names of the special statuses.
    pub status_names: StatusNames,
}

/// Writes `fig` to `<stem>.png` (1200×900) and `<stem>.svg`.
///
/// Regular cells are coloured on a blue–white–red scale symmetric about 0 (limits ± the
/// larger of the largest positive value and the 95th percentile of |value|; beyond, colours
/// saturate); absorbed cells are grey, diverged ones black, and
/// regular cells without a finite value are hatched. Backend failures are
/// [`crate::Error::Plot`].
pub fn heatmap(fig: &HeatmapFigure, stem: &Path) -> crate::Result<()> {
    render_both(fig, stem)
}

/// What a cell shows.
#[derive(Clone, Copy, PartialEq)]
enum Cell {
    Color(RGBColor),
    Missing,
}

/// The diverging colour of `v` on the scale `[-limit, limit]`.
fn diverging(v: f64, limit: f64) -> RGBColor {
    interpolate(&DIVERGING, ((v / limit).clamp(-1.0, 1.0) + 1.0) * 0.5)
}

/// The colour at `u` ∈ [0, 1] along `map`'s classes.
fn interpolate(map: &[(u8, u8, u8)], u: f64) -> RGBColor {
    let t = u.clamp(0.0, 1.0) * (map.len() - 1) as f64;
    let i = (t.floor() as usize).min(map.len() - 2);
    let f = t - i as f64;
    let (a, b) = (map[i], map[i + 1]);
    let mix = |p: u8, q: u8| (p as f64 + f * (q as f64 - p as f64)).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Cell edges from increasing centres; centres that are not finite and increasing are replaced
/// by their indices.
fn edges(centres: &[f64]) -> Vec<f64> {
    let valid = centres.iter().all(|c| c.is_finite()) && centres.windows(2).all(|w| w[1] > w[0]);
    let c: Vec<f64> = if valid {
        centres.to_vec()
    } else {
        (0..centres.len()).map(|i| i as f64).collect()
    };
    match c.len() {
        0 => vec![0.0, 1.0],
        1 => vec![c[0] - 0.5, c[0] + 0.5],
        n => {
            let mut e = vec![c[0] - 0.5 * (c[1] - c[0])];
            e.extend(c.windows(2).map(|w| 0.5 * (w[0] + w[1])));
            e.push(c[n - 1] + 0.5 * (c[n - 1] - c[n - 2]));
            e
        }
    }
}

impl HeatmapFigure {
    /// Value and status of cell `(ix, iy)`; missing entries are `NaN` / `Ok`.
    fn cell(&self, ix: usize, iy: usize) -> (f64, OrbitStatus) {
        let i = iy * self.x_values.len() + ix;
        let v = self.values.get(i).copied().unwrap_or(f64::NAN);
        let s = self.status.get(i).copied().unwrap_or(OrbitStatus::Ok);
        (v, s)
    }

    /// Half-width of the symmetric colour scale: the largest positive value of the regular
    /// cells or the 95th percentile of their |value|, whichever is larger. Lyapunov maps have
    /// isolated −∞ spikes (superstable parameters) that would otherwise wash out the scale;
    /// cells beyond the limit take the colour of the bar's end.
    fn limit(&self) -> f64 {
        let mut magnitudes: Vec<f64> = (0..self.y_values.len())
            .flat_map(|iy| (0..self.x_values.len()).map(move |ix| (ix, iy)))
            .map(|(ix, iy)| self.cell(ix, iy))
            .filter(|(v, s)| *s == OrbitStatus::Ok && v.is_finite())
            .map(|(v, _)| v)
            .collect();
        let largest_positive = magnitudes.iter().fold(0.0f64, |m, &v| m.max(v));
        magnitudes.iter_mut().for_each(|v| *v = v.abs());
        magnitudes.sort_by(f64::total_cmp);
        let percentile = magnitudes
            .get(
                ((magnitudes.len() as f64 * 0.95) as usize).min(magnitudes.len().saturating_sub(1)),
            )
            .copied()
            .unwrap_or(0.0);
        let m = largest_positive.max(percentile);
        if m > 0.0 && m.is_finite() {
            m
        } else {
            1.0
        }
    }

    /// The colour of a regular value `v` (`limit` from [`Self::limit`] for the diverging
    /// scale).
    fn colour(&self, v: f64, limit: f64) -> RGBColor {
        match self.scale {
            ColourScale::Diverging => diverging(v, limit),
            ColourScale::Sequential { low, high } => {
                interpolate(&SEQUENTIAL, (v - low) / (high - low))
            }
        }
    }

    fn shade(&self, ix: usize, iy: usize, limit: f64) -> Cell {
        match self.cell(ix, iy) {
            (_, OrbitStatus::Absorbed) => Cell::Color(ABSORBED_COLOR),
            (_, OrbitStatus::Diverged) => Cell::Color(DIVERGED_COLOR),
            (_, OrbitStatus::BlownUp) => Cell::Color(BLOWN_UP_COLOR),
            (v, OrbitStatus::Ok) if v.is_finite() => Cell::Color(self.colour(v, limit)),
            _ => Cell::Missing,
        }
    }

    /// Draws the cells, merging horizontal runs of one colour into one rectangle. Returns
    /// which statuses occurred: (absorbed, diverged, missing, any drawable cell, blown up).
    fn draw_cells<DB: DrawingBackend>(
        &self,
        chart: &mut Chart<'_, DB>,
        (xe, ye): (&[f64], &[f64]),
        limit: f64,
    ) -> Result<[bool; 5], String> {
        let (nx, ny) = (self.x_values.len(), self.y_values.len());
        let mut seen = [false; 5];
        for iy in 0..ny {
            let mut ix = 0;
            while ix < nx {
                let cell = self.shade(ix, iy, limit);
                let start = ix;
                while ix < nx && self.shade(ix, iy, limit) == cell {
                    ix += 1;
                }
                let (x0, x1, y0, y1) = (xe[start], xe[ix], ye[iy], ye[iy + 1]);
                match cell {
                    Cell::Color(c) => {
                        seen[0] |= c == ABSORBED_COLOR;
                        seen[1] |= c == DIVERGED_COLOR;
                        seen[4] |= c == BLOWN_UP_COLOR;
                        seen[3] = true;
                        let rect = Rectangle::new([(x0, y0), (x1, y1)], c.filled());
                        chart.draw_series(std::iter::once(rect)).map_err(msg)?;
                    }
                    Cell::Missing => {
                        seen[2] = true;
                        let hatch = (start..ix).map(|k| {
                            PathElement::new(vec![(xe[k], y0), (xe[k + 1], y1)], ABSORBED_COLOR)
                        });
                        chart.draw_series(hatch).map_err(msg)?;
                    }
                }
            }
        }
        Ok(seen)
    }

    /// Line segments of the value = 0 contour (marching squares on the regular cells'
    /// centres; saddles resolved by the mean of the four corners).
    fn zero_segments(&self, xc: &[f64], yc: &[f64]) -> Vec<[(f64, f64); 2]> {
        let mut segs = Vec::new();
        for iy in 0..yc.len().saturating_sub(1) {
            for ix in 0..xc.len().saturating_sub(1) {
                // Corners counter-clockwise from bottom-left.
                let corners = [(ix, iy), (ix + 1, iy), (ix + 1, iy + 1), (ix, iy + 1)];
                let mut v = [0.0; 4];
                let mut ok = true;
                for (k, &(i, j)) in corners.iter().enumerate() {
                    let (value, status) = self.cell(i, j);
                    ok &= status == OrbitStatus::Ok && value.is_finite();
                    v[k] = value;
                }
                if !ok {
                    continue;
                }
                let pos = |k: usize| (xc[corners[k].0], yc[corners[k].1]);
                // Crossing on edge k (corner k → corner k+1).
                let cross = |k: usize| {
                    let (a, b) = (v[k], v[(k + 1) % 4]);
                    ((a > 0.0) != (b > 0.0)).then(|| {
                        let t = a / (a - b);
                        let (p, q) = (pos(k), pos((k + 1) % 4));
                        (p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1))
                    })
                };
                let hits: Vec<(usize, (f64, f64))> =
                    (0..4).filter_map(|k| cross(k).map(|p| (k, p))).collect();
                match hits.as_slice() {
                    [(_, p), (_, q)] => segs.push([*p, *q]),
                    [(_, e0), (_, e1), (_, e2), (_, e3)] => {
                        let centre_positive = v.iter().sum::<f64>() > 0.0;
                        if centre_positive == (v[0] > 0.0) {
                            segs.push([*e0, *e1]);
                            segs.push([*e2, *e3]);
                        } else {
                            segs.push([*e3, *e0]);
                            segs.push([*e1, *e2]);
                        }
                    }
                    _ => {}
                }
            }
        }
        segs
    }
}

/// The colour bar with its ticks and label, in the column starting at `(x, top)` and `height`
/// pixels tall. Returns the y below it.
fn draw_colorbar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fig: &HeatmapFigure,
    (x, top): (i32, i32),
    height: i32,
    limit: f64,
) -> Result<i32, String> {
    const WIDTH: i32 = 30;
    let label = &fig.value_label;
    let (low, high) = match fig.scale {
        ColourScale::Diverging => (-limit, limit),
        ColourScale::Sequential { low, high } => (low, high),
    };
    let height = height.max(20);
    for k in 0..height {
        let v = high - (high - low) * (k as f64 + 0.5) / height as f64;
        let c = fig.colour(v, limit);
        root.draw(&Rectangle::new(
            [(x, top + k), (x + WIDTH, top + k + 1)],
            c.filled(),
        ))
        .map_err(msg)?;
    }
    let frame = [(x, top), (x + WIDTH, top + height)];
    root.draw(&Rectangle::new(frame, BLACK.stroke_width(1)))
        .map_err(msg)?;
    let (ticks, step) = nice_ticks(low, high, 6);
    let mut widest = 0;
    for t in ticks {
        let y = top + ((high - t) / (high - low) * height as f64).round() as i32;
        let tick = vec![(x + WIDTH, y), (x + WIDTH + 6, y)];
        root.draw(&PathElement::new(tick, BLACK)).map_err(msg)?;
        let text = format_tick(t, step);
        widest = widest.max(label_width(root, &text, TICK_SIZE));
        draw_label(
            root,
            &text,
            (x + WIDTH + 10, y),
            TICK_SIZE,
            Align::Left,
            false,
            &BLACK,
        )?;
    }
    let label_x = x + WIDTH + 10 + widest + 24;
    draw_label(
        root,
        label,
        (label_x, top + height / 2),
        LABEL_SIZE,
        Align::Center,
        true,
        &BLACK,
    )?;
    Ok(top + height)
}

impl Render for HeatmapFigure {
    fn size(&self) -> (u32, u32) {
        (1200, 900)
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let (title_area, body) = root.split_vertically(TITLE_HEIGHT);
        draw_title(&title_area, &self.title)?;
        let (xe, ye) = (edges(&self.x_values), edges(&self.y_values));
        let xc: Vec<f64> = xe.windows(2).map(|w| 0.5 * (w[0] + w[1])).collect();
        let yc: Vec<f64> = ye.windows(2).map(|w| 0.5 * (w[0] + w[1])).collect();
        let candidates = [
            self.status_names.absorbed,
            "diverged",
            "no value",
            "zero contour",
            self.status_names.blown_up,
        ];
        let column = legend_width(root, &candidates).max(220);
        let (body_w, _) = body.dim_in_pixel();
        let (plot_area, side) = body.split_horizontally(body_w - column);
        let (x0, x1) = (xe[0], xe[xe.len() - 1]);
        let (y0, y1) = (ye[0], ye[ye.len() - 1]);
        let mut chart = ChartBuilder::on(&plot_area)
            .margin(8)
            .margin_right(24)
            .x_label_area_size(84)
            .y_label_area_size(118)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(msg)?;
        let limit = self.limit();
        let seen = self.draw_cells(&mut chart, (&xe, &ye), limit)?;
        draw_mesh(&mut chart, true, false)?;
        let segs = if self.zero_contour {
            self.zero_segments(&xc, &yc)
        } else {
            Vec::new()
        };
        let lines = segs
            .iter()
            .map(|s| PathElement::new(s.to_vec(), CONTOUR_COLOR.stroke_width(2)));
        chart.draw_series(lines).map_err(msg)?;
        if !seen[3] {
            draw_no_data(root, &chart)?;
        }
        let y_label_x = plot_area.get_base_pixel().0 + 28;
        draw_axis_labels(root, &chart, &self.x_label, &self.y_label, y_label_x)?;
        let (_, top, _, bottom) = plot_rect(&chart);
        let bar_x = side.get_base_pixel().0 + 8;
        let bar_h = (bottom - top) * 62 / 100;
        let below = draw_colorbar(root, self, (bar_x, top), bar_h, limit)?;
        let mut legend = Vec::new();
        if seen[0] {
            legend.push((Mark::Patch(ABSORBED_COLOR), candidates[0].to_string()));
        }
        if seen[1] {
            legend.push((Mark::Patch(DIVERGED_COLOR), candidates[1].to_string()));
        }
        if seen[4] {
            legend.push((Mark::Patch(BLOWN_UP_COLOR), candidates[4].to_string()));
        }
        if seen[2] {
            legend.push((Mark::Hatched, candidates[2].to_string()));
        }
        if !segs.is_empty() {
            legend.push((Mark::Line(CONTOUR_COLOR), candidates[3].to_string()));
        }
        draw_legend(root, (bar_x, below + 24), &legend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{assert_written, examples_dir};
    use super::*;

    fn example(nx: usize, ny: usize) -> HeatmapFigure {
        let xs: Vec<f64> = (0..nx)
            .map(|i| 0.5 + 2.0 * i as f64 / (nx - 1) as f64)
            .collect();
        let ys: Vec<f64> = (0..ny)
            .map(|j| 10.0 + 40.0 * j as f64 / (ny - 1) as f64)
            .collect();
        let (mut values, mut status) = (Vec::new(), Vec::new());
        for &y in &ys {
            for &x in &xs {
                let v = 0.3 * ((3.0 * x).sin() + (y / 8.0).cos()) - 0.1;
                let s = if x < 0.75 {
                    OrbitStatus::Absorbed
                } else if x > 2.3 && y > 40.0 {
                    OrbitStatus::Diverged
                } else {
                    OrbitStatus::Ok
                };
                values.push(if s == OrbitStatus::Ok { v } else { f64::NAN });
                status.push(s);
            }
        }
        HeatmapFigure {
            title: "Largest Lyapunov exponent of the synapse map".to_string(),
            x_label: "learning rate η".to_string(),
            y_label: "membrane time constant τ_m (ms)".to_string(),
            value_label: "λ_max (per iteration)".to_string(),
            x_values: xs,
            y_values: ys,
            values,
            status,
            zero_contour: true,
            scale: ColourScale::Diverging,
            status_names: StatusNames::default(),
        }
    }

    #[test]
    fn writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("heat");
        heatmap(&example(60, 40), &stem).unwrap();
        assert_written(&stem, (1200, 900));
    }

    #[test]
    fn colour_scale_is_centred() {
        assert!(diverging(0.0, 1.0) == RGBColor(255, 255, 255));
        let neg = diverging(-1.0, 1.0);
        let pos = diverging(1.0, 1.0);
        assert!(neg.2 > neg.0 && pos.0 > pos.2);
    }

    #[test]
    fn zero_contour_of_a_plane() {
        let mut fig = example(5, 3);
        fig.x_values = vec![0.0, 1.0, 2.0, 3.0, 4.0];
        fig.y_values = vec![0.0, 1.0, 2.0];
        fig.values = (0..15).map(|i| (i % 5) as f64 - 1.5).collect();
        fig.status = vec![OrbitStatus::Ok; 15];
        let segs = fig.zero_segments(&fig.x_values, &fig.y_values);
        assert_eq!(segs.len(), 2);
        for s in segs {
            assert!((s[0].0 - 1.5).abs() < 1e-12 && (s[1].0 - 1.5).abs() < 1e-12);
        }
    }

    #[test]
    fn non_finite_and_ragged_input_do_not_panic() {
        let dir = tempfile::tempdir().unwrap();
        let mut fig = example(20, 10);
        fig.values[5] = f64::INFINITY;
        fig.values[6] = f64::NAN;
        fig.values.truncate(150);
        fig.status.truncate(120);
        fig.x_values[3] = f64::NAN;
        heatmap(&fig, &dir.path().join("bad")).unwrap();
        assert_written(&dir.path().join("bad"), (1200, 900));
        let empty = HeatmapFigure {
            x_values: vec![],
            y_values: vec![],
            values: vec![],
            status: vec![],
            ..example(3, 3)
        };
        heatmap(&empty, &dir.path().join("empty")).unwrap();
        assert_written(&dir.path().join("empty"), (1200, 900));
    }

    #[test]
    #[ignore = "writes an example figure to look at"]
    fn example_figure() {
        heatmap(&example(120, 80), &examples_dir().join("heatmap")).unwrap();
    }
}
