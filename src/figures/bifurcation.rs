//! Orbit (bifurcation) diagrams: state samples against a parameter, drawn as 1-px dots, with
//! absorbed and diverged parameter ranges shaded, and an optional Lyapunov panel beneath that
//! shares the parameter axis.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    axis_range, clipped_runs, draw_axis_labels, draw_hlines, draw_legend, draw_mesh, draw_no_data,
    draw_polyline, draw_title, draw_vlines, finite_extent, legend_width, msg, plot_rect,
    render_both, Chart, DrawResult, Mark, RefLine, Render, PALETTE, TITLE_HEIGHT,
};
use crate::analysis::OrbitStatus;

/// Shading of parameter ranges whose orbits were absorbed.
const ABSORBED_SHADE: RGBColor = RGBColor(214, 214, 214);
/// Shading of parameter ranges whose orbits diverged.
const DIVERGED_SHADE: RGBColor = RGBColor(250, 196, 196);
/// Shade of parameter ranges whose orbit blew up (a rate of the model became singular).
const BLOWN_UP_SHADE: RGBColor = RGBColor(216, 200, 236);
/// Colour of the orbit dots.
const ORBIT_COLOR: RGBColor = RGBColor(20, 20, 20);

/// Orbit (bifurcation) diagram with an optional Lyapunov panel beneath sharing the x axis.
#[derive(Debug, Clone)]
pub struct BifurcationFigure {
    /// Title above the figure.
    pub title: String,
    /// Parameter-axis label, with units.
    pub param_label: String,
    /// State-axis label, with units.
    pub state_label: String,
    /// `(parameter, state sample)` pairs; 10^5–10^6 of them are fine (drawn as 1-px dots).
    pub orbit: Vec<(f64, f64)>,
    /// Orbit status per parameter value; absorbed and diverged ranges are shaded.
    pub status: Vec<(f64, OrbitStatus)>,
    /// `(parameter, λ)` for the regular parameter values; `None` → no Lyapunov panel.
    pub lyapunov: Option<Vec<(f64, f64)>>,
    /// Label of the Lyapunov axis, e.g. "λ (per iteration)".
    pub lyapunov_label: String,
    /// Vertical reference lines (e.g. η_c), drawn in both panels.
    pub vlines: Vec<RefLine>,
    /// Continuation branches overlaid on the orbit: runs of `(parameter, state)`, stable ones
    /// solid, unstable ones dashed.
    pub branches: Vec<BranchCurve>,
    /// Labelled points (e.g. located bifurcations), drawn as numbered circles; the legend
    /// gives each number's label.
    pub markers: Vec<(f64, f64, String)>,
}

/// One run of a continuation branch with one stability.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchCurve {
    /// `(parameter, state)` points in branch order.
    pub points: Vec<(f64, f64)>,
    /// Linearly stable (solid) or not (dashed).
    pub stable: bool,
}

/// Colour of continuation branches.
const BRANCH_COLOR: RGBColor = RGBColor(31, 119, 180);
/// Colour of bifurcation markers.
const MARKER_COLOR: RGBColor = RGBColor(214, 39, 40);

/// Writes `fig` to `<stem>.png` and `<stem>.svg` (1200×800, or 1200×1000 with the Lyapunov
/// panel).
///
/// Non-finite samples are skipped; with none finite the axes are still drawn, with a
/// "no data" note. Backend failures are [`crate::Error::Plot`].
pub fn bifurcation(fig: &BifurcationFigure, stem: &Path) -> crate::Result<()> {
    render_both(fig, stem)
}

/// A shaded parameter interval.
struct Shade {
    from: f64,
    to: f64,
    status: OrbitStatus,
}

impl BifurcationFigure {
    /// The parameter range: the tight extent of all parameter values and reference lines.
    fn param_range(&self) -> (f64, f64) {
        let lyap = self.lyapunov.iter().flatten().map(|p| p.0);
        let xs = self
            .orbit
            .iter()
            .filter(|p| p.1.is_finite())
            .map(|p| p.0)
            .chain(self.status.iter().map(|s| s.0))
            .chain(lyap)
            .chain(self.vlines.iter().map(|l| l.value));
        match finite_extent(xs) {
            Some((lo, hi)) if hi > lo => (lo, hi),
            other => axis_range(None, other),
        }
    }

    /// Non-regular parameter intervals: each status sample covers the half-way points to its
    /// neighbours; adjacent samples of the same status are merged.
    fn shades(&self) -> Vec<Shade> {
        let mut s: Vec<(f64, OrbitStatus)> = self
            .status
            .iter()
            .copied()
            .filter(|p| p.0.is_finite())
            .collect();
        s.sort_by(|a, b| a.0.total_cmp(&b.0));
        let n = s.len();
        let (lo, hi) = self.param_range();
        let half = |i: usize, j: usize| 0.5 * (s[j].0 - s[i].0).abs();
        let mut out: Vec<Shade> = Vec::new();
        for i in 0..n {
            if s[i].1 == OrbitStatus::Ok {
                continue;
            }
            let default = 0.005 * (hi - lo);
            let left = if i > 0 {
                half(i - 1, i)
            } else if n > 1 {
                half(0, 1)
            } else {
                default
            };
            let right = if i + 1 < n {
                half(i, i + 1)
            } else if n > 1 {
                half(n - 2, n - 1)
            } else {
                default
            };
            let (from, to) = (s[i].0 - left, s[i].0 + right);
            let merges = i > 0 && s[i - 1].1 == s[i].1;
            match out.last_mut() {
                Some(last) if merges => last.to = to,
                _ => out.push(Shade {
                    from,
                    to,
                    status: s[i].1,
                }),
            }
        }
        out
    }

    /// Legend entries: the orbit, the shaded statuses present, the λ curve.
    fn legend(&self, shades: &[Shade]) -> Vec<(Mark, String)> {
        let mut entries = vec![(Mark::Dots(ORBIT_COLOR), "orbit samples".to_string())];
        if shades.iter().any(|s| s.status == OrbitStatus::Absorbed) {
            entries.push((Mark::Patch(ABSORBED_SHADE), "absorbed".to_string()));
        }
        if shades.iter().any(|s| s.status == OrbitStatus::Diverged) {
            entries.push((Mark::Patch(DIVERGED_SHADE), "diverged".to_string()));
        }
        if shades.iter().any(|s| s.status == OrbitStatus::BlownUp) {
            entries.push((Mark::Patch(BLOWN_UP_SHADE), "blown up".to_string()));
        }
        if self.branches.iter().any(|b| b.stable) {
            entries.push((Mark::Line(BRANCH_COLOR), "stable branch".to_string()));
        }
        if self.branches.iter().any(|b| !b.stable) {
            entries.push((Mark::Dashed(BRANCH_COLOR), "unstable branch".to_string()));
        }
        if self.lyapunov.is_some() {
            entries.push((Mark::Line(PALETTE[0]), self.lyapunov_label.clone()));
        }
        for (i, (_, _, label)) in self.markers.iter().enumerate() {
            entries.push((Mark::Circles(MARKER_COLOR), format!("{}  {label}", i + 1)));
        }
        entries
    }

    /// Draws the continuation branches and the numbered markers over the orbit. Each number
    /// goes to the first of a ring of positions around its marker that overlaps no number
    /// placed before and no marker, so a cascade of close bifurcations stays readable; the
    /// legend says what each number is.
    fn draw_overlay<DB: DrawingBackend>(&self, chart: &mut Chart<'_, DB>) -> DrawResult {
        for branch in &self.branches {
            draw_polyline(chart, &branch.points, BRANCH_COLOR, 3, !branch.stable)?;
        }
        const TAG_H: i32 = 20;
        let tag_w = |i: usize| 12 * (i + 1).to_string().len() as i32;
        let centres: Vec<(i32, i32)> = self
            .markers
            .iter()
            .map(|(p, x, _)| chart.backend_coord(&(*p, *x)))
            .collect();
        let overlaps = |a: (i32, i32, i32, i32), b: (i32, i32, i32, i32)| {
            a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
        };
        let marker_boxes: Vec<(i32, i32, i32, i32)> = centres
            .iter()
            .map(|&(cx, cy)| (cx - 7, cy - 7, cx + 7, cy + 7))
            .collect();
        let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
        for (i, (p, x, _)) in self.markers.iter().enumerate() {
            let circle = Circle::new((*p, *x), 6, MARKER_COLOR.stroke_width(2));
            chart.draw_series(std::iter::once(circle)).map_err(msg)?;
            let (cx, cy) = centres[i];
            let w = tag_w(i);
            let ring: [(i32, i32); 6] = [
                (10, -24),
                (10, 6),
                (-10 - w, -24),
                (-10 - w, 6),
                (-w / 2, -34),
                (-w / 2, 14),
            ];
            let offset = (1..=4)
                .flat_map(|r: i32| {
                    ring.iter()
                        .map(move |&(dx, dy)| (dx * r, dy + (r - 1) * dy.signum() * TAG_H))
                })
                .find(|&(dx, dy)| {
                    let tag = (cx + dx, cy + dy, cx + dx + w, cy + dy + TAG_H);
                    !placed
                        .iter()
                        .chain(&marker_boxes)
                        .any(|&b| overlaps(tag, b))
                })
                .unwrap_or(ring[0]);
            placed.push((
                cx + offset.0,
                cy + offset.1,
                cx + offset.0 + w,
                cy + offset.1 + TAG_H,
            ));
            let text = EmptyElement::at((*p, *x))
                + Text::new(
                    (i + 1).to_string(),
                    offset,
                    super::font(20.0).color(&MARKER_COLOR),
                );
            chart.draw_series(std::iter::once(text)).map_err(msg)?;
        }
        Ok(())
    }

    /// The Lyapunov curve as runs, broken where parameter values are missing (gaps wider than
    /// 2.5 median spacings, e.g. across an absorbed range).
    fn lyapunov_runs(&self) -> Vec<Vec<(f64, f64)>> {
        let mut pts: Vec<(f64, f64)> = self
            .lyapunov
            .iter()
            .flatten()
            .copied()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut gaps: Vec<f64> = pts.windows(2).map(|w| w[1].0 - w[0].0).collect();
        gaps.sort_by(f64::total_cmp);
        let limit = gaps.get(gaps.len() / 2).map_or(f64::INFINITY, |m| 2.5 * m);
        let mut runs = vec![Vec::new()];
        for (i, p) in pts.iter().enumerate() {
            if i > 0 && p.0 - pts[i - 1].0 > limit {
                runs.push(Vec::new());
            }
            if let Some(run) = runs.last_mut() {
                run.push(*p);
            }
        }
        runs
    }
}

/// Shades the non-regular intervals over the whole height of `chart`.
fn draw_shades<DB: DrawingBackend>(chart: &mut Chart<'_, DB>, shades: &[Shade]) -> DrawResult {
    let (xr, yr) = (chart.x_range(), chart.y_range());
    let rects = shades.iter().filter_map(|s| {
        let (a, b) = (s.from.max(xr.start), s.to.min(xr.end));
        let color = match s.status {
            OrbitStatus::Absorbed => ABSORBED_SHADE,
            OrbitStatus::BlownUp => BLOWN_UP_SHADE,
            _ => DIVERGED_SHADE,
        };
        (a < b).then(|| Rectangle::new([(a, yr.start), (b, yr.end)], color.filled()))
    });
    chart.draw_series(rects).map(|_| ()).map_err(msg)
}

/// Draws the orbit samples as 1-px dots: the samples are binned into the plot's pixels and
/// each column's runs of occupied pixels become one rectangle, so 10^6 samples cost at most a
/// few ten thousand drawing calls (and keep the SVG small). Returns whether any was drawn.
fn draw_orbit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    orbit: &[(f64, f64)],
) -> Result<bool, String> {
    let (xr, yr) = (chart.x_range(), chart.y_range());
    let (px0, py0, px1, py1) = plot_rect(chart);
    let (w, h) = ((px1 - px0).max(1) as usize, (py1 - py0).max(1) as usize);
    let mut occupied = vec![false; w * h];
    let mut any = false;
    for &(p, s) in orbit {
        let inside = p.is_finite() && s.is_finite() && xr.contains(&p) && yr.contains(&s);
        if !inside {
            continue;
        }
        let (bx, by) = chart.backend_coord(&(p, s));
        let ix = (bx - px0).clamp(0, w as i32 - 1) as usize;
        let iy = (by - py0).clamp(0, h as i32 - 1) as usize;
        occupied[iy * w + ix] = true;
        any = true;
    }
    let style = ORBIT_COLOR.filled();
    for ix in 0..w {
        let mut iy = 0;
        while iy < h {
            if !occupied[iy * w + ix] {
                iy += 1;
                continue;
            }
            let start = iy;
            while iy < h && occupied[iy * w + ix] {
                iy += 1;
            }
            let (x, y0, y1) = (px0 + ix as i32, py0 + start as i32, py0 + iy as i32);
            root.draw(&Rectangle::new([(x, y0), (x + 1, y1)], style))
                .map_err(msg)?;
        }
    }
    Ok(any)
}

impl Render for BifurcationFigure {
    fn size(&self) -> (u32, u32) {
        match self.lyapunov {
            Some(_) => (1200, 1000),
            None => (1200, 800),
        }
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let (title_area, body) = root.split_vertically(TITLE_HEIGHT);
        draw_title(&title_area, &self.title)?;
        let shades = self.shades();
        let legend = self.legend(&shades);
        let labels: Vec<&str> = legend.iter().map(|(_, l)| l.as_str()).collect();
        let (body_w, body_h) = body.dim_in_pixel();
        let (plots, legend_area) = body.split_horizontally(body_w - legend_width(root, &labels));
        let (top_area, bottom_area) = match self.lyapunov {
            Some(_) => {
                let (a, b) = plots.split_vertically(body_h * 56 / 100);
                (a, Some(b))
            }
            None => (plots, None),
        };
        let (x0, x1) = self.param_range();
        let branch_points = self.branches.iter().flat_map(|b| b.points.iter());
        let orbit_y = finite_extent(
            self.orbit
                .iter()
                .chain(branch_points)
                .filter(|p| p.0.is_finite() && p.0 >= x0 && p.0 <= x1)
                .map(|p| p.1),
        );
        let (y0, y1) = axis_range(None, orbit_y);
        let x_ticks = bottom_area.is_none();
        let mut top = ChartBuilder::on(&top_area)
            .margin(8)
            .margin_right(24)
            .x_label_area_size(if x_ticks { 84 } else { 14 })
            .y_label_area_size(118)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(msg)?;
        draw_shades(&mut top, &shades)?;
        draw_mesh(&mut top, x_ticks, true)?;
        if !draw_orbit(root, &top, &self.orbit)? && self.branches.is_empty() {
            draw_no_data(root, &top)?;
        }
        self.draw_overlay(&mut top)?;
        draw_vlines(root, &top, &self.vlines, true)?;
        let y_label_x = top_area.get_base_pixel().0 + 28;
        let x_label = if x_ticks {
            self.param_label.as_str()
        } else {
            ""
        };
        draw_axis_labels(root, &top, x_label, &self.state_label, y_label_x)?;
        let (_, legend_top, _, _) = plot_rect(&top);
        let legend_x = legend_area.get_base_pixel().0 + 4;
        draw_legend(root, (legend_x, legend_top), &legend)?;
        if let Some(area) = bottom_area {
            self.render_lyapunov(root, &area, (x0, x1), &shades)?;
        }
        Ok(())
    }
}

impl BifurcationFigure {
    /// The Lyapunov panel beneath the orbit diagram.
    fn render_lyapunov<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
        (x0, x1): (f64, f64),
        shades: &[Shade],
    ) -> DrawResult {
        let runs = self.lyapunov_runs();
        let values = runs.iter().flatten().filter(|p| p.0 >= x0 && p.0 <= x1);
        let extent = finite_extent(values.map(|p| p.1).chain([0.0]));
        let (y0, y1) = axis_range(None, extent);
        let mut chart = ChartBuilder::on(area)
            .margin(8)
            .margin_right(24)
            .x_label_area_size(84)
            .y_label_area_size(118)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(msg)?;
        draw_shades(&mut chart, shades)?;
        draw_mesh(&mut chart, true, true)?;
        // λ = 0 separates regular from chaotic orbits; the 0 tick names it.
        let zero = RefLine {
            value: 0.0,
            label: String::new(),
        };
        draw_hlines(root, &chart, &[zero])?;
        draw_vlines(root, &chart, &self.vlines, false)?;
        let mut drawn = false;
        for run in &runs {
            if let [p] = run.as_slice() {
                if p.0 >= x0 && p.0 <= x1 && p.1 >= y0 && p.1 <= y1 {
                    let dot = Circle::new(*p, 2, PALETTE[0].filled());
                    chart.draw_series(std::iter::once(dot)).map_err(msg)?;
                    drawn = true;
                }
            }
            for piece in clipped_runs(run, (x0, x1), (y0, y1)) {
                draw_polyline(&mut chart, &piece, PALETTE[0], 2, false)?;
                drawn = true;
            }
        }
        if !drawn {
            draw_no_data(root, &chart)?;
        }
        let y_label_x = area.get_base_pixel().0 + 28;
        draw_axis_labels(
            root,
            &chart,
            &self.param_label,
            &self.lyapunov_label,
            y_label_x,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{assert_written, examples_dir};
    use super::*;

    /// The logistic map x ↦ r x (1 − x): orbit, λ, and (artificially) absorbed/diverged ends.
    pub(crate) fn logistic_example(n_param: usize, n_keep: usize) -> BifurcationFigure {
        let (mut orbit, mut status, mut lyap) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..n_param {
            let r = 2.5 + 1.5 * i as f64 / (n_param - 1) as f64;
            let (mut x, mut sum) = (0.4, 0.0);
            for k in 0..(500 + n_keep) {
                x = r * x * (1.0 - x);
                if k >= 500 {
                    orbit.push((r, x));
                    sum += (r * (1.0 - 2.0 * x)).abs().ln();
                }
            }
            let st = if r < 2.6 {
                OrbitStatus::Absorbed
            } else if r > 3.97 {
                OrbitStatus::Diverged
            } else {
                OrbitStatus::Ok
            };
            status.push((r, st));
            if st == OrbitStatus::Ok {
                lyap.push((r, (sum / n_keep as f64).max(-3.0)));
            }
        }
        BifurcationFigure {
            title: "Logistic map x_{n+1} = r x_n (1 − x_n)".to_string(),
            param_label: "growth rate r".to_string(),
            state_label: "state x_n".to_string(),
            orbit,
            status,
            lyapunov: Some(lyap),
            lyapunov_label: "λ (per iteration)".to_string(),
            vlines: vec![RefLine {
                value: 3.569_945_67,
                label: "r_∞".to_string(),
            }],
            branches: vec![],
            markers: vec![],
        }
    }

    #[test]
    fn writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("bif");
        bifurcation(&logistic_example(300, 100), &stem).unwrap();
        assert_written(&stem, (1200, 1000));
        let mut fig = logistic_example(50, 20);
        fig.lyapunov = None;
        bifurcation(&fig, &stem).unwrap();
        assert_written(&stem, (1200, 800));
    }

    #[test]
    fn non_finite_data_do_not_panic() {
        let dir = tempfile::tempdir().unwrap();
        let mut fig = logistic_example(40, 10);
        fig.orbit.push((f64::NAN, 0.5));
        fig.orbit.push((3.0, f64::INFINITY));
        fig.status.push((f64::NAN, OrbitStatus::Diverged));
        fig.lyapunov
            .as_mut()
            .unwrap()
            .push((3.1, f64::NEG_INFINITY));
        bifurcation(&fig, &dir.path().join("bad")).unwrap();
        assert_written(&dir.path().join("bad"), (1200, 1000));
        let empty = BifurcationFigure {
            orbit: vec![(f64::NAN, f64::NAN)],
            status: vec![],
            lyapunov: Some(vec![(f64::INFINITY, 1.0)]),
            vlines: vec![],
            ..fig
        };
        bifurcation(&empty, &dir.path().join("empty")).unwrap();
        assert_written(&dir.path().join("empty"), (1200, 1000));
    }

    #[test]
    #[ignore = "writes an example figure to look at"]
    fn example_figure() {
        bifurcation(
            &logistic_example(1000, 300),
            &examples_dir().join("bifurcation"),
        )
        .unwrap();
    }
}
