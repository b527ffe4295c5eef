//! The tile grid: grey-scale tiles (e.g. learned receptive fields) in a grid with separators,
//! a grey colour bar and a legend for missing values.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::fraction;
use super::tile_rects::{grey, quantise, tile_rects, TileRects, MISSING_COLOR};
use crate::figures::{
    draw_label, draw_legend, draw_title, finite_extent, format_tick, label_width, msg, nice_ticks,
    render_both, with_suffix, Align, DrawResult, Mark, Render, LABEL_SIZE, REF_COLOR, TICK_SIZE,
    TITLE_HEIGHT,
};
use crate::Error;

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

#[cfg(test)]
mod tests {
    use super::super::examples::{grid, png_size};
    use super::*;
    use crate::figures::test_util::assert_written;

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
}
