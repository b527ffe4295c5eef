//! A tile of the tile grid reduced to rectangles: values quantised to grey levels, the most
//! common level as the background, and the runs of other levels merged along rows and down
//! identical rows.

use plotters::style::RGBColor;

use super::fraction;

/// Colour of pixels without a finite value.
pub(super) const MISSING_COLOR: RGBColor = RGBColor(230, 60, 60);
/// Quantised level of a pixel without a finite value.
const MISSING_LEVEL: u8 = u8::MAX;

/// A rectangle of one level inside a tile, in tile pixels: rows `r0..r1`, columns `c0..c1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Run {
    pub(super) r0: usize,
    pub(super) r1: usize,
    pub(super) c0: usize,
    pub(super) c1: usize,
    pub(super) level: u8,
}

/// A tile reduced to the rectangles that draw it.
pub(super) struct TileRects {
    pub(super) background: u8,
    pub(super) runs: Vec<Run>,
}

/// Grey of level `q` of `levels`: 0 is white, `levels - 1` black.
pub(super) fn grey(q: u8, levels: usize) -> RGBColor {
    if q == MISSING_LEVEL {
        return MISSING_COLOR;
    }
    let g = 255.0 * (1.0 - q as f64 / (levels - 1).max(1) as f64);
    let g = g.round().clamp(0.0, 255.0) as u8;
    RGBColor(g, g, g)
}

/// Quantised levels of one tile on `[lo, hi]`.
pub(super) fn quantise(tile: &[f64], (lo, hi): (f64, f64), levels: usize) -> Vec<u8> {
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
pub(super) fn tile_rects(levels: &[u8], rows: usize, cols: usize) -> TileRects {
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

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::style::{BLACK, WHITE};

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
}
