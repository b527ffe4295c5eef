//! Colours and sizes shared by the figure kinds.

use plotters::style::RGBColor;

/// Series colours (matplotlib's tab10, distinguishable in print and by most colour-blind
/// readers).
pub(crate) const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];
/// Colour of reference lines.
pub(crate) const REF_COLOR: RGBColor = RGBColor(90, 90, 90);
/// Grid lines.
pub(crate) const GRID_COLOR: RGBColor = RGBColor(225, 225, 225);
/// Title font size (px).
pub(crate) const TITLE_SIZE: f64 = 30.0;
/// Axis-label font size (px).
pub(crate) const LABEL_SIZE: f64 = 24.0;
/// Tick-label and legend font size (px).
pub(crate) const TICK_SIZE: f64 = 19.0;
/// Height reserved for the title (px).
pub(crate) const TITLE_HEIGHT: u32 = 56;
