//! Two-parameter heatmaps: one value per cell of a grid over two parameters, computed in
//! parallel with rayon. Cells depend only on their own parameter pair, and results are
//! gathered in cell order, so the output is identical for any thread count.

use super::grid::Grid;
use super::lyapunov::LyapunovResult;
use crate::error::Result;
use rayon::prelude::*;

/// A computed heatmap: row-major cells, `cells[iy * x.len() + ix]`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Heatmap<T> {
    /// Grid of the horizontal parameter.
    pub x: Grid,
    /// Grid of the vertical parameter.
    pub y: Grid,
    /// One result per cell, row-major over (y, x).
    pub cells: Vec<T>,
}

/// Evaluates `cell(x, y)` on every grid point in parallel (in the current rayon pool).
/// `on_cell` is called once per finished cell (progress bars). The first failing cell in
/// row-major order determines the error, whatever the scheduling.
pub fn compute<T, C>(x: &Grid, y: &Grid, cell: C, on_cell: &(dyn Fn() + Sync)) -> Result<Heatmap<T>>
where
    T: Send,
    C: Fn(f64, f64) -> Result<T> + Sync,
{
    let nx = x.len();
    let results: Vec<Result<T>> = (0..nx * y.len())
        .into_par_iter()
        .map(|index| {
            let value = cell(x.values[index % nx], y.values[index / nx]);
            on_cell();
            value
        })
        .collect();
    let cells = results.into_iter().collect::<Result<Vec<T>>>()?;
    Ok(Heatmap {
        x: x.clone(),
        y: y.clone(),
        cells,
    })
}

/// Fractions of a Lyapunov heatmap's cells by regime: (`negative`, `near_zero`, `positive`,
/// `absorbed`, `diverged`, `blown_up`), with |λ| ≤ `zero_band` counted as near zero.
pub fn regime_fractions(cells: &[LyapunovResult], zero_band: f64) -> [(&'static str, f64); 6] {
    use super::system::OrbitStatus;
    let total = cells.len().max(1) as f64;
    let count = |pred: &dyn Fn(&LyapunovResult) -> bool| {
        cells.iter().filter(|c| pred(c)).count() as f64 / total
    };
    let ok = |c: &LyapunovResult| c.status == OrbitStatus::Ok;
    [
        ("negative", count(&|c| ok(c) && c.largest() < -zero_band)),
        (
            "near_zero",
            count(&|c| ok(c) && c.largest().abs() <= zero_band),
        ),
        ("positive", count(&|c| ok(c) && c.largest() > zero_band)),
        ("absorbed", count(&|c| c.status == OrbitStatus::Absorbed)),
        ("diverged", count(&|c| c.status == OrbitStatus::Diverged)),
        ("blown_up", count(&|c| c.status == OrbitStatus::BlownUp)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::lyapunov::{largest_1d, LyapunovOptions};
    use crate::analysis::systems::Logistic;

    #[test]
    fn identical_for_one_and_two_threads() {
        let x = Grid::linspace("r", 3.4, 4.0, 17).unwrap();
        let y = Grid::linspace("x0", 0.1, 0.9, 5).unwrap();
        let opts = LyapunovOptions {
            transient: 100,
            steps: 2_000,
            ..Default::default()
        };
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                compute(
                    &x,
                    &y,
                    |r, x0| largest_1d(&Logistic { r }, &[x0], &opts),
                    &|| {},
                )
                .unwrap()
            })
        };
        let (one, two) = (run(1), run(2));
        let bits = |h: &Heatmap<LyapunovResult>| {
            h.cells
                .iter()
                .map(|c| c.largest().to_bits())
                .collect::<Vec<_>>()
        };
        assert_eq!(bits(&one), bits(&two));
        // Cell order: row-major, x fastest.
        let direct = largest_1d(&Logistic { r: x.values[3] }, &[y.values[2]], &opts).unwrap();
        assert_eq!(
            one.cells[2 * 17 + 3].largest().to_bits(),
            direct.largest().to_bits()
        );
    }
}
