//! Continuation branches and numbered bifurcation markers drawn over the orbit.

use plotters::prelude::*;

use super::BifurcationFigure;
use crate::figures::{draw_polyline, font, msg, Chart, DrawResult};

/// Colour of continuation branches.
pub(super) const BRANCH_COLOR: RGBColor = RGBColor(31, 119, 180);
/// Colour of bifurcation markers.
pub(super) const MARKER_COLOR: RGBColor = RGBColor(214, 39, 40);

impl BifurcationFigure {
    /// Draws the continuation branches and the numbered markers over the orbit. Each number
    /// goes to the first of a ring of positions around its marker that overlaps no number
    /// placed before and no marker, so a cascade of close bifurcations stays readable; the
    /// legend says what each number is.
    pub(super) fn draw_overlay<DB: DrawingBackend>(&self, chart: &mut Chart<'_, DB>) -> DrawResult {
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
                + Text::new((i + 1).to_string(), offset, font(20.0).color(&MARKER_COLOR));
            chart.draw_series(std::iter::once(text)).map_err(msg)?;
        }
        Ok(())
    }
}
