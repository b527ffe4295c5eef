//! The Lyapunov panel beneath the orbit diagram: λ against the parameter, broken across gaps.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::shades::{draw_shades, Shade};
use super::BifurcationFigure;
use crate::figures::{
    axis_range, clipped_runs, draw_axis_labels, draw_hlines, draw_mesh, draw_no_data,
    draw_polyline, draw_vlines, finite_extent, msg, DrawResult, RefLine, PALETTE,
};

impl BifurcationFigure {
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

    /// The Lyapunov panel beneath the orbit diagram.
    pub(super) fn render_lyapunov<DB: DrawingBackend>(
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
