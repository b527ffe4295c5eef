//! Polylines: clipping to the plot's ranges (Liang–Barsky), splitting at non-finite points, and
//! drawing solid or dashed without spikes at sharp turns.

use plotters::prelude::*;

use super::axes::Chart;
use super::render::{msg, DrawResult};

/// Clips the segment `a`–`b` to the rectangle `[x0,x1]×[y0,y1]` (Liang–Barsky).
pub(crate) fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    let clipped = (
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    );
    (t0 <= t1).then_some(clipped)
}

/// Splits a polyline into runs of consecutive finite points, each clipped to the ranges.
pub(crate) fn clipped_runs(
    points: &[(f64, f64)],
    xr: (f64, f64),
    yr: (f64, f64),
) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let finite = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let clipped = if finite(&a) && finite(&b) {
            clip_segment(a, b, xr, yr)
        } else {
            None
        };
        match clipped {
            Some((p, q)) => {
                if current.last() != Some(&p) {
                    if !current.is_empty() {
                        runs.push(std::mem::take(&mut current));
                    }
                    current.push(p);
                }
                current.push(q);
            }
            None => {
                if !current.is_empty() {
                    runs.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Draws a polyline (already finite and clipped) as a solid or dashed line. Consecutive points
/// on the same pixel are merged, and the line is split at turns sharper than about 105°, where
/// plotters' mitred joins of thick lines would otherwise shoot spikes out of the plot.
pub(crate) fn draw_polyline<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    run: &[(f64, f64)],
    color: RGBColor,
    width: u32,
    dashed: bool,
) -> DrawResult {
    let mut kept: Vec<((f64, f64), (i32, i32))> = Vec::with_capacity(run.len());
    for p in run {
        let px = chart.backend_coord(p);
        if kept.last().is_none_or(|(_, q)| *q != px) {
            kept.push((*p, px));
        }
    }
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for (i, (p, px)) in kept.iter().enumerate() {
        current.push(*p);
        if i == 0 || i + 1 == kept.len() {
            continue;
        }
        let (prev, next) = (kept[i - 1].1, kept[i + 1].1);
        let a = ((px.0 - prev.0) as f64, (px.1 - prev.1) as f64);
        let b = ((next.0 - px.0) as f64, (next.1 - px.1) as f64);
        let cos = (a.0 * b.0 + a.1 * b.1) / (a.0.hypot(a.1) * b.0.hypot(b.1));
        if cos < -0.25 {
            pieces.push(std::mem::replace(&mut current, vec![*p]));
        }
    }
    pieces.push(current);
    let style = color.stroke_width(width);
    for piece in pieces.into_iter().filter(|p| p.len() > 1) {
        if dashed {
            chart
                .draw_series(DashedLineSeries::new(piece, 14, 9, style))
                .map_err(msg)?;
        } else {
            chart
                .draw_series(LineSeries::new(piece, style))
                .map_err(msg)?;
        }
    }
    Ok(())
}

/// True when `p` is finite and inside the ranges.
pub(crate) fn inside(p: (f64, f64), (x0, x1): (f64, f64), (y0, y1): (f64, f64)) -> bool {
    p.0.is_finite() && p.1.is_finite() && p.0 >= x0 && p.0 <= x1 && p.1 >= y0 && p.1 <= y1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_clipped() {
        let c = clip_segment((-1.0, 0.5), (2.0, 0.5), (0.0, 1.0), (0.0, 1.0)).unwrap();
        assert!((c.0 .0).abs() < 1e-12 && (c.1 .0 - 1.0).abs() < 1e-12);
        assert!(clip_segment((2.0, 2.0), (3.0, 3.0), (0.0, 1.0), (0.0, 1.0)).is_none());
    }
}
