//! Confusion matrices: counts per true and predicted class, coloured by the fraction of the true
//! class, with the overall accuracy in the title.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::figures::{
    draw_label, draw_legend, draw_title, format_tick, label_width, msg, nice_ticks, render_both,
    Align, DrawResult, Mark, Render, LABEL_SIZE, REF_COLOR, TICK_SIZE, TITLE_HEIGHT,
};

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

#[cfg(test)]
mod tests {
    use super::super::examples::confusion_example;
    use super::*;
    use crate::figures::test_util::assert_written;

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
}
