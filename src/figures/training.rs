//! Figures of a trained network: learned receptive fields as a grid of grey tiles
//! ([`tile_grid`]), confusion matrices ([`confusion`]) and histograms ([`histogram`], e.g. of
//! the adaptive thresholds θ). Owns the layout of these figures; does not own the training
//! itself or the statistics beyond the few the figures print (accuracy, mean, median).

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    axis_range, draw_axis_labels, draw_label, draw_legend, draw_mesh, draw_no_data, draw_title,
    finite_extent, format_tick, label_width, legend_width, msg, nice_ticks, plot_rect, render_both,
    with_suffix, Align, DrawResult, Mark, Render, LABEL_SIZE, PALETTE, REF_COLOR, TICK_SIZE,
    TITLE_HEIGHT,
};
use crate::Error;

// ---------------------------------------------------------------------------------------------
// Tile grid.

/// Grey levels the tiles are quantised to (fewer when the rectangle budget demands it).
const GREY_LEVELS: usize = 64;
/// Fewest grey levels the budget may reduce the tiles to.
const MIN_GREY_LEVELS: usize = 8;
/// Most rectangles drawn for the tiles (≈ 85 bytes each in the SVG, so ≈ 17 MB).
const RECT_BUDGET: usize = 200_000;
/// Largest side of the tile grid in pixels that the scale aims for.
const GRID_TARGET_PX: f64 = 1600.0;
/// Largest magnification of one tile pixel (screen pixels per tile pixel).
const MAX_PIXEL_SCALE: f64 = 24.0;
/// Colour of the 1-px separators between tiles.
const SEPARATOR_COLOR: RGBColor = RGBColor(120, 150, 200);
/// Colour of pixels without a finite value.
const MISSING_COLOR: RGBColor = RGBColor(230, 60, 60);
/// Quantised level of a pixel without a finite value.
const MISSING_LEVEL: u8 = u8::MAX;
/// Width of the column holding the colour bar and legend (px).
const SIDE_COLUMN: u32 = 250;

/// A grid of grey-scale tiles, e.g. the learned receptive fields (one 28×28 tile per neuron).
#[derive(Debug, Clone)]
pub struct TileGrid {
    /// Title above the figure.
    pub title: String,
    /// Pixel rows per tile (28 for MNIST).
    pub tile_rows: usize,
    /// Pixel columns per tile (28 for MNIST).
    pub tile_cols: usize,
    /// One row-major tile each (`tile_rows * tile_cols` values), any range; non-finite values
    /// are drawn in red and listed in the legend.
    pub tiles: Vec<Vec<f64>>,
    /// Tiles per grid row; `None` → `ceil(sqrt(n))`.
    pub columns: Option<usize>,
    /// Colour-bar label, e.g. "weight".
    pub value_label: String,
    /// One min..max for all tiles (`true`) or each tile scaled to its own range (`false`).
    pub shared_scale: bool,
}

/// Writes `fig` to `<stem>.png` and `<stem>.svg`; the canvas grows with the grid (a 10×10
/// grid of 28×28 tiles is drawn 5 px per tile pixel, a 40×40 grid 1 px per tile pixel).
///
/// Low values are white, high values black (on one scale for all tiles or one per tile), with
/// 1-px blue-grey separators between tiles and a grey colour bar. Pixels are quantised to 64
/// grey levels and drawn as rectangles: each tile is filled with its most common level, then
/// the runs of another level are drawn, runs of one level merged along a row and identical runs
/// merged down the rows. When that still takes more than 200 000 rectangles (noisy tiles in
/// large grids) the levels are halved, down to 8, which keeps the SVG of smooth fields under
/// ≈ 20 MB; pure noise in a 40×40 grid can still exceed it.
///
/// Tiles whose length is not `tile_rows * tile_cols` (ragged input), or a zero tile size with
/// tiles given, are [`crate::Error::Plot`] and nothing is written. An empty `tiles` gives a
/// figure saying "no data". Backend failures are [`crate::Error::Plot`].
pub fn tile_grid(fig: &TileGrid, stem: &Path) -> crate::Result<()> {
    let plan = TilePlan::new(fig).map_err(|message| Error::Plot {
        path: with_suffix(stem, "png"),
        message,
    })?;
    render_both(&plan, stem)
}

/// A rectangle of one level inside a tile, in tile pixels: rows `r0..r1`, columns `c0..c1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    r0: usize,
    r1: usize,
    c0: usize,
    c1: usize,
    level: u8,
}

/// A tile reduced to the rectangles that draw it.
struct TileRects {
    background: u8,
    runs: Vec<Run>,
}

/// Everything [`tile_grid`] draws, computed once for both backends.
struct TilePlan<'a> {
    fig: &'a TileGrid,
    columns: usize,
    rows: usize,
    /// Tile size on screen (px).
    tile_px: (i32, i32),
    levels: usize,
    tiles: Vec<TileRects>,
    /// The shared value range, if the scale is shared and some value is finite.
    range: Option<(f64, f64)>,
    any_missing: bool,
}

/// Position of `v` in `[lo, hi]` as a fraction (halving first, so extreme ranges do not
/// overflow); 0.5 for an empty range.
fn fraction(v: f64, lo: f64, hi: f64) -> f64 {
    let span = hi / 2.0 - lo / 2.0;
    if span > 0.0 {
        ((v / 2.0 - lo / 2.0) / span).clamp(0.0, 1.0)
    } else {
        0.5
    }
}

/// Grey of level `q` of `levels`: 0 is white, `levels - 1` black.
fn grey(q: u8, levels: usize) -> RGBColor {
    if q == MISSING_LEVEL {
        return MISSING_COLOR;
    }
    let g = 255.0 * (1.0 - q as f64 / (levels - 1).max(1) as f64);
    let g = g.round().clamp(0.0, 255.0) as u8;
    RGBColor(g, g, g)
}

/// Quantised levels of one tile on `[lo, hi]`.
fn quantise(tile: &[f64], (lo, hi): (f64, f64), levels: usize) -> Vec<u8> {
    tile.iter()
        .map(|&v| {
            if v.is_finite() {
                (fraction(v, lo, hi) * (levels - 1) as f64).round() as u8
            } else {
                MISSING_LEVEL
            }
        })
        .collect()
}

/// Reduces a tile of levels (`rows × cols`, row-major) to a background level and runs.
fn tile_rects(levels: &[u8], rows: usize, cols: usize) -> TileRects {
    let mut counts = [0usize; 256];
    levels.iter().for_each(|&q| counts[q as usize] += 1);
    let background = (0..=255u8).max_by_key(|&q| counts[q as usize]).unwrap_or(0);
    let mut runs: Vec<Run> = Vec::new();
    // Indices in `runs` of the runs that end at the row before the current one.
    let mut open: Vec<usize> = Vec::new();
    for r in 0..rows {
        let row = &levels[r * cols..(r + 1) * cols];
        let mut next_open = Vec::new();
        let mut c = 0;
        while c < cols {
            let (start, level) = (c, row[c]);
            while c < cols && row[c] == level {
                c += 1;
            }
            if level == background {
                continue;
            }
            let run = Run {
                r0: r,
                r1: r + 1,
                c0: start,
                c1: c,
                level,
            };
            let same = |&&i: &&usize| {
                let o: &Run = &runs[i];
                (o.c0, o.c1, o.level) == (run.c0, run.c1, run.level)
            };
            match open.iter().find(same).copied() {
                Some(i) => {
                    runs[i].r1 = r + 1;
                    next_open.push(i);
                }
                None => {
                    runs.push(run);
                    next_open.push(runs.len() - 1);
                }
            }
        }
        open = next_open;
    }
    TileRects { background, runs }
}

impl<'a> TilePlan<'a> {
    fn new(fig: &'a TileGrid) -> Result<Self, String> {
        let (tr, tc) = (fig.tile_rows, fig.tile_cols);
        let n = fig.tiles.len();
        if n > 0 && (tr == 0 || tc == 0) {
            return Err(format!("tile size must be positive, got {tr}×{tc}"));
        }
        if let Some((i, t)) = fig
            .tiles
            .iter()
            .enumerate()
            .find(|(_, t)| t.len() != tr * tc)
        {
            return Err(format!(
                "tile {i} has {} values, expected {} ({tr}×{tc}): ragged tiles",
                t.len(),
                tr * tc
            ));
        }
        let default_columns = (n as f64).sqrt().ceil() as usize;
        let columns = fig.columns.unwrap_or(default_columns).clamp(1, n.max(1));
        let rows = n.div_ceil(columns).max(1);
        let range = finite_extent(fig.tiles.iter().flatten().copied());
        let extent = (columns * tc).max(rows * tr).max(1) as f64;
        let scale = GRID_TARGET_PX / extent;
        let scale = if scale >= 1.0 {
            scale.floor().min(MAX_PIXEL_SCALE)
        } else {
            scale
        };
        let tile_px = (
            ((tc as f64 * scale).round() as i32).max(1),
            ((tr as f64 * scale).round() as i32).max(1),
        );
        let mut levels = GREY_LEVELS;
        let tiles = loop {
            let tiles: Vec<TileRects> = fig
                .tiles
                .iter()
                .map(|t| {
                    let scale = if fig.shared_scale {
                        range
                    } else {
                        finite_extent(t.iter().copied())
                    };
                    let q = quantise(t, scale.unwrap_or((0.0, 1.0)), levels);
                    tile_rects(&q, tr, tc)
                })
                .collect();
            let count: usize = tiles.iter().map(|t| 1 + t.runs.len()).sum();
            if count <= RECT_BUDGET || levels <= MIN_GREY_LEVELS {
                break tiles;
            }
            levels /= 2;
        };
        let any_missing = fig.tiles.iter().flatten().any(|v| !v.is_finite());
        Ok(Self {
            fig,
            columns,
            rows,
            tile_px,
            levels,
            tiles,
            range: range.filter(|_| fig.shared_scale),
            any_missing,
        })
    }

    /// Size of the grid in pixels, separators included.
    fn grid_px(&self) -> (i32, i32) {
        let (tw, th) = self.tile_px;
        (
            self.columns as i32 * (tw + 1) + 1,
            self.rows as i32 * (th + 1) + 1,
        )
    }

    /// Draws the tiles with their separators, the grid's top-left corner at `(x, y)`.
    fn draw_tiles<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (x, y): (i32, i32),
    ) -> DrawResult {
        let (tw, th) = self.tile_px;
        let (tr, tc) = (self.fig.tile_rows, self.fig.tile_cols);
        let n = self.tiles.len();
        // One separator-coloured band per grid row, under the tiles of that row.
        for gy in 0..self.rows {
            let in_row = (n - gy * self.columns).min(self.columns) as i32;
            let top = y + gy as i32 * (th + 1);
            let band = [(x, top), (x + in_row * (tw + 1) + 1, top + th + 2)];
            root.draw(&Rectangle::new(band, SEPARATOR_COLOR.filled()))
                .map_err(msg)?;
        }
        for (i, tile) in self.tiles.iter().enumerate() {
            let (gx, gy) = ((i % self.columns) as i32, (i / self.columns) as i32);
            let (ox, oy) = (x + 1 + gx * (tw + 1), y + 1 + gy * (th + 1));
            let px = |c: usize| ox + (c as i64 * tw as i64 / tc as i64) as i32;
            let py = |r: usize| oy + (r as i64 * th as i64 / tr as i64) as i32;
            let bg = grey(tile.background, self.levels);
            root.draw(&Rectangle::new([(ox, oy), (ox + tw, oy + th)], bg.filled()))
                .map_err(msg)?;
            for run in &tile.runs {
                let (x0, x1, y0, y1) = (px(run.c0), px(run.c1), py(run.r0), py(run.r1));
                if x1 > x0 && y1 > y0 {
                    let c = grey(run.level, self.levels);
                    root.draw(&Rectangle::new([(x0, y0), (x1, y1)], c.filled()))
                        .map_err(msg)?;
                }
            }
        }
        Ok(())
    }

    /// The grey colour bar at `(x, top)`, `height` px tall, with its ticks and label; sizes
    /// grow with `scale` (the figure's width over the usual 1200 px), so that the ticks stay
    /// as readable as on the other figures when a large grid is viewed scaled down.
    fn draw_colorbar<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (x, top): (i32, i32),
        height: i32,
        scale: f64,
    ) -> Result<i32, String> {
        let width = (30.0 * scale).round() as i32;
        let tick_size = TICK_SIZE * scale;
        let label_size = LABEL_SIZE * scale;
        let levels = self.levels;
        for q in 0..levels {
            // Level 0 (low, white) at the bottom.
            let y0 = top + height - ((q + 1) as i32 * height) / levels as i32;
            let y1 = top + height - (q as i32 * height) / levels as i32;
            let c = grey(q as u8, levels);
            root.draw(&Rectangle::new([(x, y0), (x + width, y1)], c.filled()))
                .map_err(msg)?;
        }
        let frame = [(x, top), (x + width, top + height)];
        root.draw(&Rectangle::new(frame, BLACK.stroke_width(1)))
            .map_err(msg)?;
        let ticks: Vec<(f64, String)> = match self.range {
            Some((lo, hi)) if hi > lo => {
                let (ticks, step) = nice_ticks(lo, hi, 5);
                ticks
                    .into_iter()
                    .map(|t| (fraction(t, lo, hi), format_tick(t, step)))
                    .collect()
            }
            Some((lo, _)) => vec![(0.5, format_tick(lo, lo.abs().max(1.0) / 100.0))],
            None => vec![(0.0, "min".to_string()), (1.0, "max".to_string())],
        };
        let mut widest = 0;
        for (f, text) in ticks {
            let y = top + ((1.0 - f) * height as f64).round() as i32;
            root.draw(&PathElement::new(
                vec![(x + width, y), (x + width + (6.0 * scale) as i32, y)],
                BLACK,
            ))
            .map_err(msg)?;
            widest = widest.max(label_width(root, &text, tick_size));
            let at = (x + width + (10.0 * scale) as i32, y);
            draw_label(root, &text, at, tick_size, Align::Left, false, &BLACK)?;
        }
        let label = if self.fig.shared_scale {
            self.fig.value_label.clone()
        } else {
            format!("{} (per tile)", self.fig.value_label)
        };
        let at = (
            x + width + (10.0 * scale) as i32 + widest + (24.0 * scale) as i32,
            top + height / 2,
        );
        draw_label(root, &label, at, label_size, Align::Center, true, &BLACK)?;
        Ok(top + height)
    }
}

/// Margin around the tile grid (px).
const GRID_MARGIN: i32 = 30;

impl Render for TilePlan<'_> {
    fn size(&self) -> (u32, u32) {
        let (w, h) = self.grid_px();
        let w = (w + 2 * GRID_MARGIN) as u32 + SIDE_COLUMN;
        let h = (h.max(360) + 2 * GRID_MARGIN) as u32 + TITLE_HEIGHT;
        (w.max(800), h)
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let (title_area, _) = root.split_vertically(TITLE_HEIGHT);
        draw_title(&title_area, &self.fig.title)?;
        let (w, _) = root.dim_in_pixel();
        let (gw, gh) = self.grid_px();
        let free = w as i32 - SIDE_COLUMN as i32 - gw;
        let origin = (
            (free / 2).max(GRID_MARGIN),
            TITLE_HEIGHT as i32 + GRID_MARGIN,
        );
        if self.tiles.is_empty() {
            let at = (origin.0 + gw / 2 + 150, origin.1 + 180);
            let (size, c) = (LABEL_SIZE, &REF_COLOR);
            return draw_label(root, "no data", at, size, Align::Center, false, c);
        }
        self.draw_tiles(root, origin)?;
        let bar_x = origin.0 + gw + GRID_MARGIN;
        let bar_h = (gh * 6 / 10).clamp(200, 600);
        let scale = (w as f64 / 1200.0).max(1.0);
        let below = self.draw_colorbar(root, (bar_x, origin.1), bar_h, scale)?;
        if self.any_missing {
            let legend = [(Mark::Patch(MISSING_COLOR), "no value".to_string())];
            draw_legend(root, (bar_x, below + 24), &legend)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Confusion matrix.

/// Colour of a row fraction of 0 (ColorBrewer Blues, lightest).
const BLUES_LOW: (f64, f64, f64) = (247.0, 251.0, 255.0);
/// Colour of a row fraction of 1 (ColorBrewer Blues, darkest).
const BLUES_HIGH: (f64, f64, f64) = (8.0, 48.0, 107.0);

/// A confusion matrix: `counts[true][predicted]`, class names on both axes, each cell
/// annotated with its count, colour = row-normalised fraction (white → dark blue), diagonal
/// outlined; the title shows the overall accuracy computed from the counts.
#[derive(Debug, Clone)]
pub struct ConfusionFigure {
    /// Title; the accuracy and number of samples are appended.
    pub title: String,
    /// Class names, in the order of the rows and columns of `counts`.
    pub class_names: Vec<String>,
    /// `counts[true_class][predicted_class]`; missing entries count as 0.
    pub counts: Vec<Vec<u64>>,
}

/// Writes `fig` to `<stem>.png` (1150×1000) and `<stem>.svg`.
///
/// The matrix has as many classes as the longest of `class_names`, `counts` and its rows
/// (classes without a name are numbered). Cells are coloured by their fraction of the true
/// class's row (rows without samples stay white) and annotated with the count; the diagonal
/// (correct predictions) is outlined. No classes give a figure saying "no data". Backend
/// failures are [`crate::Error::Plot`].
pub fn confusion(fig: &ConfusionFigure, stem: &Path) -> crate::Result<()> {
    render_both(fig, stem)
}

/// Blues colour of a fraction in `[0, 1]`.
fn blues(f: f64) -> RGBColor {
    let f = if f.is_finite() {
        f.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |a: f64, b: f64| (a + f * (b - a)).round() as u8;
    let (a, b) = (BLUES_LOW, BLUES_HIGH);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

impl ConfusionFigure {
    /// Number of classes drawn.
    fn classes(&self) -> usize {
        let widest = self.counts.iter().map(Vec::len).max().unwrap_or(0);
        self.class_names.len().max(self.counts.len()).max(widest)
    }

    /// `counts[t][p]`, 0 when missing.
    fn count(&self, t: usize, p: usize) -> u64 {
        self.counts
            .get(t)
            .and_then(|row| row.get(p))
            .copied()
            .unwrap_or(0)
    }

    /// Name of class `i`, its index when unnamed.
    fn name(&self, i: usize) -> String {
        self.class_names
            .get(i)
            .cloned()
            .unwrap_or_else(|| i.to_string())
    }

    /// Correct predictions and total samples (saturating).
    fn totals(&self) -> (u64, u64) {
        let k = self.classes();
        let correct = (0..k).fold(0u64, |s, i| s.saturating_add(self.count(i, i)));
        let total = (0..k)
            .flat_map(|t| (0..k).map(move |p| (t, p)))
            .fold(0u64, |s, (t, p)| s.saturating_add(self.count(t, p)));
        (correct, total)
    }

    /// The title with the overall accuracy appended.
    fn full_title(&self) -> String {
        let (correct, total) = self.totals();
        let accuracy = if total > 0 {
            format!("accuracy {:.1} %", 100.0 * correct as f64 / total as f64)
        } else {
            "accuracy n/a".to_string()
        };
        let sep = if self.title.is_empty() { "" } else { " — " };
        format!("{}{sep}{accuracy} (n = {total})", self.title)
    }

    /// Draws the cells of a `k`-class matrix with side `cell` px from `(x0, y0)`.
    fn draw_cells<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (x0, y0): (i32, i32),
        cell: i32,
    ) -> DrawResult {
        let k = self.classes();
        let text_size = (cell as f64 * 0.32).clamp(9.0, TICK_SIZE);
        for t in 0..k {
            let row_total = (0..k).fold(0u64, |s, p| s.saturating_add(self.count(t, p)));
            for p in 0..k {
                let n = self.count(t, p);
                let f = if row_total > 0 {
                    n as f64 / row_total as f64
                } else {
                    0.0
                };
                let (x, y) = (x0 + p as i32 * cell, y0 + t as i32 * cell);
                let rect = [(x, y), (x + cell, y + cell)];
                root.draw(&Rectangle::new(rect, blues(f).filled()))
                    .map_err(msg)?;
                let text = n.to_string();
                let natural = label_width(root, &text, text_size).max(1) as f64;
                let size = text_size * ((cell as f64 - 4.0) / natural).clamp(0.4, 1.0);
                let ink = if f > 0.45 { WHITE } else { BLACK };
                let at = (x + cell / 2, y + cell / 2);
                draw_label(root, &text, at, size, Align::Center, false, &ink)?;
            }
        }
        let side = k as i32 * cell;
        let frame = [(x0, y0), (x0 + side, y0 + side)];
        root.draw(&Rectangle::new(frame, REF_COLOR.stroke_width(1)))
            .map_err(msg)?;
        let outline = (cell / 25).clamp(1, 3) as u32;
        for i in 0..k as i32 {
            let (x, y) = (x0 + i * cell, y0 + i * cell);
            let rect = [(x + 1, y + 1), (x + cell - 1, y + cell - 1)];
            root.draw(&Rectangle::new(rect, BLACK.stroke_width(outline)))
                .map_err(msg)?;
        }
        Ok(())
    }

    /// Class names along both axes and the axis labels, for the matrix at `(x0, y0)`.
    fn draw_names<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (x0, y0): (i32, i32),
        cell: i32,
    ) -> DrawResult {
        let k = self.classes();
        let names: Vec<String> = (0..k).map(|i| self.name(i)).collect();
        let widest = names
            .iter()
            .map(|s| label_width(root, s, TICK_SIZE))
            .max()
            .unwrap_or(1)
            .max(1);
        // Column names must fit a cell; row names the 120 px left of the matrix.
        let x_size = TICK_SIZE * ((cell as f64 - 6.0) / widest as f64).clamp(0.45, 1.0);
        let y_size = TICK_SIZE * (110.0 / widest as f64).clamp(0.45, 1.0);
        let side = k as i32 * cell;
        for (i, name) in names.iter().enumerate() {
            let c = i as i32 * cell + cell / 2;
            let at = (x0 + c, y0 + side + 18);
            draw_label(root, name, at, x_size, Align::Center, false, &BLACK)?;
            let at = (x0 - 10, y0 + c);
            draw_label(root, name, at, y_size, Align::Right, false, &BLACK)?;
        }
        let at = (x0 + side / 2, y0 + side + 62);
        draw_label(
            root,
            "predicted class",
            at,
            LABEL_SIZE,
            Align::Center,
            false,
            &BLACK,
        )?;
        let at = (x0 - 150, y0 + side / 2);
        draw_label(
            root,
            "true class",
            at,
            LABEL_SIZE,
            Align::Center,
            true,
            &BLACK,
        )
    }
}

/// The Blues colour bar (fraction of the true class) at `(x, top)`, `height` px tall.
fn draw_fraction_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, top): (i32, i32),
    height: i32,
) -> Result<i32, String> {
    const WIDTH: i32 = 30;
    for k in 0..height {
        let f = 1.0 - (k as f64 + 0.5) / height as f64;
        let rect = [(x, top + k), (x + WIDTH, top + k + 1)];
        root.draw(&Rectangle::new(rect, blues(f).filled()))
            .map_err(msg)?;
    }
    let frame = [(x, top), (x + WIDTH, top + height)];
    root.draw(&Rectangle::new(frame, BLACK.stroke_width(1)))
        .map_err(msg)?;
    let (ticks, step) = nice_ticks(0.0, 1.0, 5);
    for t in ticks {
        let y = top + ((1.0 - t) * height as f64).round() as i32;
        root.draw(&PathElement::new(
            vec![(x + WIDTH, y), (x + WIDTH + 6, y)],
            BLACK,
        ))
        .map_err(msg)?;
        let at = (x + WIDTH + 10, y);
        let text = format_tick(t, step);
        draw_label(root, &text, at, TICK_SIZE, Align::Left, false, &BLACK)?;
    }
    let at = (x + WIDTH + 80, top + height / 2);
    let label = "fraction of true class";
    draw_label(root, label, at, LABEL_SIZE, Align::Center, true, &BLACK)?;
    Ok(top + height)
}

impl Render for ConfusionFigure {
    fn size(&self) -> (u32, u32) {
        (1150, 1000)
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let (title_area, _) = root.split_vertically(TITLE_HEIGHT);
        draw_title(&title_area, &self.full_title())?;
        let (w, h) = root.dim_in_pixel();
        let (left, top) = (190, TITLE_HEIGHT as i32 + 20);
        let avail = (w as i32 - left - 220).min(h as i32 - top - 110);
        let k = self.classes();
        if k == 0 {
            let at = (left + avail / 2, top + avail / 2);
            let (size, c) = (LABEL_SIZE, &REF_COLOR);
            return draw_label(root, "no data", at, size, Align::Center, false, c);
        }
        let cell = (avail / k as i32).max(1);
        let side = cell * k as i32;
        let x0 = left + (avail - side) / 2;
        self.draw_cells(root, (x0, top), cell)?;
        self.draw_names(root, (x0, top), cell)?;
        let bar_x = x0 + side + 40;
        let below = draw_fraction_bar(root, (bar_x, top), (side * 6 / 10).max(150))?;
        let legend = [(Mark::Line(BLACK), "correct".to_string())];
        draw_legend(root, (bar_x, below + 24), &legend)?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Histogram.

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
    use super::super::test_util::assert_written;
    use super::*;

    /// A small deterministic generator (xorshift), so the examples need no rand set-up.
    struct Noise(u64);

    impl Noise {
        fn uniform(&mut self) -> f64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }

        /// Standard normal (Box–Muller).
        fn normal(&mut self) -> f64 {
            let (u, v) = (self.uniform().max(1e-300), self.uniform());
            (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
        }
    }

    /// `n` receptive-field-like 28×28 tiles: two or three Gaussian blobs plus a little noise.
    fn fields(n: usize, seed: u64) -> Vec<Vec<f64>> {
        let mut rng = Noise(seed);
        (0..n)
            .map(|_| {
                let blobs: Vec<(f64, f64, f64, f64)> = (0..2 + (rng.uniform() * 2.0) as usize)
                    .map(|_| {
                        let cx = 6.0 + 16.0 * rng.uniform();
                        let cy = 6.0 + 16.0 * rng.uniform();
                        let s = 2.0 + 3.0 * rng.uniform();
                        (cx, cy, s, 0.4 + 0.6 * rng.uniform())
                    })
                    .collect();
                (0..28 * 28)
                    .map(|i| {
                        let (x, y) = ((i % 28) as f64, (i / 28) as f64);
                        let v: f64 = blobs
                            .iter()
                            .map(|&(cx, cy, s, a)| {
                                a * (-((x - cx).powi(2) + (y - cy).powi(2)) / (2.0 * s * s)).exp()
                            })
                            .sum();
                        (v + 0.03 * rng.uniform()).min(1.0)
                    })
                    .collect()
            })
            .collect()
    }

    fn grid(n: usize) -> TileGrid {
        TileGrid {
            title: format!("Learned receptive fields ({n} excitatory neurons)"),
            tile_rows: 28,
            tile_cols: 28,
            tiles: fields(n, 7 + n as u64),
            columns: None,
            value_label: "weight w".to_string(),
            shared_scale: true,
        }
    }

    fn confusion_example() -> ConfusionFigure {
        let totals = [980u64, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];
        let mut rng = Noise(3);
        let counts = (0..10)
            .map(|t| {
                let mut row: Vec<u64> = (0..10)
                    .map(|p| {
                        if p == t {
                            0
                        } else {
                            (rng.uniform().powi(3) * 40.0) as u64
                        }
                    })
                    .collect();
                row[t] = totals[t] - row.iter().sum::<u64>();
                row
            })
            .collect();
        ConfusionFigure {
            title: "MNIST test set, 400 excitatory neurons".to_string(),
            class_names: (0..10).map(|d| d.to_string()).collect(),
            counts,
        }
    }

    fn histogram_example() -> Histogram {
        let mut rng = Noise(11);
        Histogram {
            title: "Adaptive thresholds after training".to_string(),
            x_label: "θ (mV)".to_string(),
            values: (0..400).map(|_| 20.0 + 4.0 * rng.normal()).collect(),
            bins: 30,
        }
    }

    fn png_size(stem: &Path) -> (u32, u32) {
        let png = std::fs::read(with_suffix(stem, "png")).unwrap();
        let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
        (be(16), be(20))
    }

    #[test]
    fn tile_grid_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("fields");
        let fig = grid(100);
        tile_grid(&fig, &stem).unwrap();
        assert_written(&stem, png_size(&stem));
        let (w, h) = png_size(&stem);
        assert!(w > 1000 && h > 1000 && w < 2200 && h < 2200, "{w}×{h}");
        // Per-tile scale and an explicit column count.
        let per_tile = TileGrid {
            shared_scale: false,
            columns: Some(25),
            ..fig
        };
        tile_grid(&per_tile, &dir.path().join("wide")).unwrap();
        assert_written(&dir.path().join("wide"), png_size(&dir.path().join("wide")));
    }

    #[test]
    fn large_tile_grid_svg_stays_small() {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("big");
        tile_grid(&grid(1600), &stem).unwrap();
        let (w, h) = png_size(&stem);
        assert!(w <= 2200 && h <= 2200, "{w}×{h}");
        let svg = std::fs::metadata(with_suffix(&stem, "svg")).unwrap().len();
        assert!(svg < 20_000_000, "svg of {svg} bytes");
    }

    #[test]
    fn runs_are_merged() {
        // A 4×4 tile: background 0, a 2×2 block of level 5 and one pixel of level 3.
        let mut q = vec![0u8; 16];
        for i in [5, 6, 9, 10] {
            q[i] = 5;
        }
        q[15] = 3;
        let t = tile_rects(&q, 4, 4);
        assert_eq!(t.background, 0);
        assert_eq!(
            t.runs,
            vec![
                Run {
                    r0: 1,
                    r1: 3,
                    c0: 1,
                    c1: 3,
                    level: 5
                },
                Run {
                    r0: 3,
                    r1: 4,
                    c0: 3,
                    c1: 4,
                    level: 3
                },
            ]
        );
        assert!(grey(0, 64) == WHITE && grey(63, 64) == BLACK);
    }

    #[test]
    fn tile_grid_bad_input() {
        let dir = tempfile::tempdir().unwrap();
        let mut fig = grid(9);
        fig.tiles[2].truncate(100);
        let err = tile_grid(&fig, &dir.path().join("ragged")).unwrap_err();
        assert!(err.to_string().contains("tile 2 has 100 values"), "{err}");
        assert!(!dir.path().join("ragged.png").exists());
        let mut fig = grid(9);
        fig.tiles[0][3] = f64::NAN;
        fig.tiles[1] = vec![f64::INFINITY; 28 * 28];
        fig.tiles[4] = vec![f64::NAN; 28 * 28];
        fig.shared_scale = false;
        let stem = dir.path().join("nan");
        tile_grid(&fig, &stem).unwrap();
        assert_written(&stem, png_size(&stem));
        fig.tiles = vec![vec![f64::NAN; 28 * 28]; 3];
        fig.shared_scale = true;
        tile_grid(&fig, &stem).unwrap();
        let empty = TileGrid {
            tiles: vec![],
            tile_rows: 0,
            ..grid(1)
        };
        let stem = dir.path().join("empty");
        tile_grid(&empty, &stem).unwrap();
        assert_written(&stem, png_size(&stem));
        let zero = TileGrid {
            tile_rows: 0,
            ..grid(1)
        };
        assert!(tile_grid(&zero, &stem).is_err());
    }

    #[test]
    fn confusion_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let fig = confusion_example();
        let (correct, total) = fig.totals();
        assert_eq!(total, 10_000);
        let diagonal: u64 = (0..10).map(|i| fig.counts[i][i]).sum();
        assert_eq!(correct, diagonal);
        let title = fig.full_title();
        let expected = format!("accuracy {:.1} %", diagonal as f64 / 100.0);
        assert!(title.contains(&expected), "{title}");
        let stem = dir.path().join("confusion");
        confusion(&fig, &stem).unwrap();
        assert_written(&stem, (1150, 1000));
    }

    #[test]
    fn confusion_bad_input() {
        let dir = tempfile::tempdir().unwrap();
        let ragged = ConfusionFigure {
            title: String::new(),
            class_names: vec!["a".into()],
            counts: vec![vec![3, 1, 2], vec![], vec![u64::MAX, u64::MAX]],
        };
        assert!(ragged.full_title().contains("(n = 18446744073709551615)"));
        confusion(&ragged, &dir.path().join("ragged")).unwrap();
        assert_written(&dir.path().join("ragged"), (1150, 1000));
        let empty = ConfusionFigure {
            title: "nothing".into(),
            class_names: vec![],
            counts: vec![],
        };
        assert!(empty.full_title().contains("accuracy n/a"));
        confusion(&empty, &dir.path().join("empty")).unwrap();
        assert_written(&dir.path().join("empty"), (1150, 1000));
    }

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

    /// Writes the example figures to `$FIG2_EXAMPLES` (default `/tmp/fig2-examples`).
    #[test]
    #[ignore = "writes example figures to look at"]
    fn example_figures() {
        let dir = std::env::var_os("FIG2_EXAMPLES")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| "/tmp/fig2-examples".into());
        std::fs::create_dir_all(&dir).unwrap();
        tile_grid(&grid(100), &dir.join("fields-100")).unwrap();
        tile_grid(&grid(400), &dir.join("fields-400")).unwrap();
        tile_grid(&grid(1600), &dir.join("fields-1600")).unwrap();
        let per_tile = TileGrid {
            shared_scale: false,
            ..grid(100)
        };
        tile_grid(&per_tile, &dir.join("fields-100-per-tile")).unwrap();
        confusion(&confusion_example(), &dir.join("confusion")).unwrap();
        histogram(&histogram_example(), &dir.join("thresholds")).unwrap();
    }
}
