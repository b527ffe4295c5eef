//! Legends drawn in their own column, so they never cover data.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::label::{draw_label, label_width, Align};
use super::render::msg;
use super::style::{REF_COLOR, TICK_SIZE};

/// What a legend calls the special statuses (cells of a heatmap, shades of an orbit
/// diagram): the analysis core's names unless the data mean something else by them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatusNames {
    /// [`crate::analysis::OrbitStatus::Absorbed`].
    pub absorbed: &'static str,
    /// [`crate::analysis::OrbitStatus::BlownUp`].
    pub blown_up: &'static str,
}

impl Default for StatusNames {
    fn default() -> Self {
        Self {
            absorbed: "absorbed",
            blown_up: "blown up",
        }
    }
}

/// The symbol drawn in front of a legend entry.
#[derive(Clone, Copy)]
pub(crate) enum Mark {
    /// A solid line.
    Line(RGBColor),
    /// A dashed line.
    Dashed(RGBColor),
    /// Small filled dots.
    Dots(RGBColor),
    /// Open circles.
    Circles(RGBColor),
    /// A filled rectangle (a shaded region or a colour).
    Patch(RGBColor),
    /// A filled rectangle with a diagonal stroke (cells without a value).
    Hatched,
}

/// Width of a legend column holding `labels`.
pub(crate) fn legend_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[&str],
) -> u32 {
    let widest = labels
        .iter()
        .map(|l| label_width(area, l, TICK_SIZE))
        .max()
        .unwrap_or(0);
    (widest + 76).clamp(110, 380) as u32
}

/// Draws legend entries top-down from `(x, y)` (pixels of `area`) and returns the y below them.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    entries: &[(Mark, String)],
) -> std::result::Result<i32, String> {
    const ROW: i32 = 32;
    for (i, (mark, label)) in entries.iter().enumerate() {
        let cy = y + ROW / 2 + i as i32 * ROW;
        let (x0, x1) = (x, x + 40);
        match *mark {
            Mark::Line(c) => area
                .draw(&PathElement::new(
                    vec![(x0, cy), (x1, cy)],
                    c.stroke_width(3),
                ))
                .map_err(msg)?,
            Mark::Dashed(c) => {
                for k in 0..3 {
                    let a = x0 + k * 15;
                    area.draw(&PathElement::new(
                        vec![(a, cy), (a + 9, cy)],
                        c.stroke_width(3),
                    ))
                    .map_err(msg)?;
                }
            }
            Mark::Dots(c) => {
                for k in 0..4 {
                    area.draw(&Circle::new((x0 + 5 + k * 10, cy), 2, c.filled()))
                        .map_err(msg)?;
                }
            }
            Mark::Circles(c) => {
                for k in 0..2 {
                    area.draw(&Circle::new((x0 + 10 + k * 20, cy), 5, c.stroke_width(2)))
                        .map_err(msg)?;
                }
            }
            Mark::Patch(c) => {
                area.draw(&Rectangle::new([(x0, cy - 10), (x1, cy + 10)], c.filled()))
                    .map_err(msg)?;
                area.draw(&Rectangle::new(
                    [(x0, cy - 10), (x1, cy + 10)],
                    BLACK.stroke_width(1),
                ))
                .map_err(msg)?;
            }
            Mark::Hatched => {
                area.draw(&Rectangle::new(
                    [(x0, cy - 10), (x1, cy + 10)],
                    BLACK.stroke_width(1),
                ))
                .map_err(msg)?;
                area.draw(&PathElement::new(
                    vec![(x0, cy + 10), (x1, cy - 10)],
                    REF_COLOR,
                ))
                .map_err(msg)?;
            }
        }
        draw_label(
            area,
            label,
            (x1 + 10, cy),
            TICK_SIZE,
            Align::Left,
            false,
            &BLACK,
        )?;
    }
    Ok(y + entries.len() as i32 * ROW)
}
