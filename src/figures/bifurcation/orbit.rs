//! The orbit samples, binned into the plot's pixels and drawn as 1-px dots.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::figures::{msg, plot_rect, Chart};

/// Colour of the orbit dots.
pub(super) const ORBIT_COLOR: RGBColor = RGBColor(20, 20, 20);

/// Draws the orbit samples as 1-px dots: the samples are binned into the plot's pixels and
/// each column's runs of occupied pixels become one rectangle, so 10^6 samples cost at most a
/// few ten thousand drawing calls (and keep the SVG small). Returns whether any was drawn.
pub(super) fn draw_orbit<DB: DrawingBackend>(
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
