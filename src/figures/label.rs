//! Labels with sub- and superscripts (`"τ_m"`, `"x_{n+1}"`, `"s^{-1}"`), and titles.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use super::font::font;
use super::render::{msg, DrawResult};
use super::style::TITLE_SIZE;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Normal,
    Sub,
    Super,
}

/// Splits `"τ_m"`, `"x_{n+1}"`, `"s^{-1}"` into runs of normal, subscript and superscript text.
fn parse_scripts(text: &str) -> Vec<(String, Script)> {
    let mut runs: Vec<(String, Script)> = Vec::new();
    let push = |s: String, k: Script, runs: &mut Vec<(String, Script)>| {
        if s.is_empty() {
            return;
        }
        match runs.last_mut() {
            Some((last, kind)) if *kind == k => last.push_str(&s),
            _ => runs.push((s, k)),
        }
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let kind = match c {
            '_' => Script::Sub,
            '^' => Script::Super,
            _ => {
                push(c.to_string(), Script::Normal, &mut runs);
                continue;
            }
        };
        match chars.next() {
            Some('{') => {
                let inner: String = chars.by_ref().take_while(|&d| d != '}').collect();
                push(inner, kind, &mut runs);
            }
            Some('(') => {
                // "e^(−Δt/τ)": the parenthesised group, parentheses included.
                let (mut word, mut depth) = ("(".to_string(), 1);
                for e in chars.by_ref() {
                    word.push(e);
                    depth += match e {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    if depth == 0 {
                        break;
                    }
                }
                push(word, kind, &mut runs)
            }
            Some(d) => {
                // Without braces the script runs over a word: "λ_max", "τ_m", "r_∞".
                let mut word = d.to_string();
                while let Some(&e) = chars.peek() {
                    if !e.is_alphanumeric() {
                        break;
                    }
                    word.push(e);
                    chars.next();
                }
                push(word, kind, &mut runs)
            }
            None => push(c.to_string(), Script::Normal, &mut runs),
        }
    }
    runs
}

/// Where a label sits relative to its anchor point along its reading direction.
#[derive(Clone, Copy)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// Font size of a run.
fn run_size(size: f64, kind: Script) -> f64 {
    match kind {
        Script::Normal => size,
        _ => 0.72 * size,
    }
}

/// Width in pixels of a label drawn with [`draw_label`].
pub(crate) fn label_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
) -> i32 {
    parse_scripts(text)
        .iter()
        .map(|(s, k)| {
            area.estimate_text_size(s, &TextStyle::from(font(run_size(size, *k))))
                .map(|(w, _)| w as i32)
                .unwrap_or((0.6 * size * s.chars().count() as f64) as i32)
        })
        .sum()
}

/// Draws `text` (with `_sub`/`^sup` scripts) vertically centred on `pos`, horizontally as
/// `align` says; `rotated` draws it reading upwards (for y-axis labels). `pos` is in pixels of
/// `area`.
pub(crate) fn draw_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    pos: (i32, i32),
    size: f64,
    align: Align,
    rotated: bool,
    color: &RGBColor,
) -> DrawResult {
    let total = label_width(area, text, size);
    let mut u = match align {
        Align::Left => 0,
        Align::Center => -total / 2,
        Align::Right => -total,
    };
    for (run, kind) in parse_scripts(text) {
        let s = run_size(size, kind);
        // Offset of the run's centre line from the label's, keeping the baselines at
        // +0.22 em (subscript) and −0.36 em (superscript) from the normal baseline.
        let v = match kind {
            Script::Normal => 0,
            Script::Sub => (0.25 * size) as i32,
            Script::Super => (-0.32 * size) as i32,
        };
        let mut style = TextStyle::from(font(s))
            .color(color)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let at = if rotated {
            style = style.transform(FontTransform::Rotate270);
            (pos.0 + v, pos.1 - u)
        } else {
            (pos.0 + u, pos.1 + v)
        };
        area.draw_text(&run, &style, at).map_err(msg)?;
        u += area
            .estimate_text_size(&run, &TextStyle::from(font(s)))
            .map(|(w, _)| w as i32)
            .map_err(msg)?;
    }
    Ok(())
}

/// Draws the title centred in the strip `area`.
pub(crate) fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
) -> DrawResult {
    let (w, h) = area.dim_in_pixel();
    // Shrink a long title until it fits the width with a margin (never below 60 % size).
    let available = (w as f64 - 40.0).max(1.0);
    let natural = label_width(area, title, TITLE_SIZE).max(1) as f64;
    let size = TITLE_SIZE * (available / natural).clamp(0.6, 1.0);
    draw_label(
        area,
        title,
        (w as i32 / 2, h as i32 / 2 + 4),
        size,
        Align::Center,
        false,
        &BLACK,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_parsed() {
        let runs = parse_scripts("τ_m and x_{n+1}^2 λ_max e^(−Δt/τ_+) t_post");
        let kinds: Vec<_> = runs.iter().map(|(s, k)| (s.as_str(), *k)).collect();
        assert!(
            kinds
                == vec![
                    ("τ", Script::Normal),
                    ("m", Script::Sub),
                    (" and x", Script::Normal),
                    ("n+1", Script::Sub),
                    ("2", Script::Super),
                    (" λ", Script::Normal),
                    ("max", Script::Sub),
                    (" e", Script::Normal),
                    ("(−Δt/τ_+)", Script::Super),
                    (" t", Script::Normal),
                    ("post", Script::Sub),
                ]
        );
    }
}
