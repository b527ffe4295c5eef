//! Orbit (bifurcation) diagrams: state samples against a parameter, drawn as 1-px dots, with
//! absorbed and diverged parameter ranges shaded, and an optional Lyapunov panel beneath that
//! shares the parameter axis.
//!
//! * `shades` — the shaded parameter ranges; `orbit` — the orbit samples as 1-px dots;
//!   `overlay` — continuation branches and numbered markers; `lyapunov` — the λ panel.

mod lyapunov;
mod orbit;
mod overlay;
mod shades;

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use self::orbit::{draw_orbit, ORBIT_COLOR};
use self::overlay::{BRANCH_COLOR, MARKER_COLOR};
use self::shades::{draw_shades, Shade, ABSORBED_SHADE, BLOWN_UP_SHADE, DIVERGED_SHADE};
use super::{
    axis_range, draw_axis_labels, draw_legend, draw_mesh, draw_no_data, draw_title, draw_vlines,
    finite_extent, legend_width, msg, plot_rect, render_both, DrawResult, Mark, RefLine, Render,
    PALETTE, TITLE_HEIGHT,
};
use crate::analysis::OrbitStatus;

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
    /// What the legend calls the shaded statuses.
    pub status_names: super::StatusNames,
}

/// One run of a continuation branch with one stability.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchCurve {
    /// `(parameter, state)` points in branch order.
    pub points: Vec<(f64, f64)>,
    /// Linearly stable (solid) or not (dashed).
    pub stable: bool,
}

/// Writes `fig` to `<stem>.png` and `<stem>.svg` (1200×800, or 1200×1000 with the Lyapunov
/// panel).
///
/// Non-finite samples are skipped; with none finite the axes are still drawn, with a
/// "no data" note. Backend failures are [`crate::Error::Plot`].
pub fn bifurcation(fig: &BifurcationFigure, stem: &Path) -> crate::Result<()> {
    render_both(fig, stem)
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

    /// Legend entries: the orbit, the shaded statuses present, the λ curve.
    fn legend(&self, shades: &[Shade]) -> Vec<(Mark, String)> {
        let mut entries = vec![(Mark::Dots(ORBIT_COLOR), "orbit samples".to_string())];
        if shades.iter().any(|s| s.status == OrbitStatus::Absorbed) {
            entries.push((
                Mark::Patch(ABSORBED_SHADE),
                self.status_names.absorbed.into(),
            ));
        }
        if shades.iter().any(|s| s.status == OrbitStatus::Diverged) {
            entries.push((Mark::Patch(DIVERGED_SHADE), "diverged".to_string()));
        }
        if shades.iter().any(|s| s.status == OrbitStatus::BlownUp) {
            entries.push((
                Mark::Patch(BLOWN_UP_SHADE),
                self.status_names.blown_up.into(),
            ));
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
            status_names: crate::figures::StatusNames::default(),
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
