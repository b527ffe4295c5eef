//! Orbit (bifurcation) diagrams of maps over one parameter.
//!
//! For each parameter value the map is built, iterated through a transient, then sampled.
//! The state is either carried from one value to the next (follows a branch, shows hysteresis)
//! or reset to the same start for every value (then the columns run in parallel; the output is
//! the same for any thread count because each column depends only on its own value).

use super::grid::Grid;
use super::system::{Map, OrbitStatus};
use crate::error::{Error, Result};
use rayon::prelude::*;

/// Settings of an orbit diagram.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct OrbitOptions {
    /// Iterations discarded at each parameter value.
    pub transient: usize,
    /// Iterations recorded at each parameter value.
    pub samples: usize,
    /// Carry the final state of one value to the next (true) or restart from `x0` (false).
    /// A carried orbit that was absorbed or diverged restarts from `x0`.
    pub carry_state: bool,
    /// Which state component is recorded.
    pub component: usize,
}

/// The samples at one parameter value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OrbitColumn {
    /// The parameter value.
    pub param: f64,
    /// Recorded values of the chosen component (empty unless `status` is ok).
    pub samples: Vec<f64>,
    /// What became of the orbit.
    pub status: OrbitStatus,
}

/// Runs one column from `x`, leaving the final state in `x`.
fn column<M: Map>(map: &M, param: f64, x: &mut [f64], opts: &OrbitOptions) -> OrbitColumn {
    let mut next = vec![0.0; x.len()];
    let mut samples = Vec::with_capacity(opts.samples);
    let mut status = map.classify(x);
    for n in 0..opts.transient + opts.samples {
        if status != OrbitStatus::Ok {
            break;
        }
        map.step(x, &mut next);
        x.copy_from_slice(&next);
        status = map.classify(x);
        if n >= opts.transient && status == OrbitStatus::Ok {
            samples.push(x[opts.component]);
        }
    }
    if status != OrbitStatus::Ok {
        samples.clear();
    }
    OrbitColumn {
        param,
        samples,
        status,
    }
}

/// Computes the orbit diagram of the family `build(p)` over `grid`, starting from `x0`.
/// `on_column` is called once per finished column (for progress bars).
pub fn orbit_diagram<M, B>(
    grid: &Grid,
    x0: &[f64],
    opts: &OrbitOptions,
    build: B,
    on_column: &(dyn Fn() + Sync),
) -> Result<Vec<OrbitColumn>>
where
    M: Map,
    B: Fn(f64) -> Result<M> + Sync,
{
    if opts.samples == 0 {
        return Err(Error::invalid("samples", 0.0, ">= 1"));
    }
    let probe = build(grid.values[0])?;
    if opts.component >= probe.dim() || x0.len() != probe.dim() {
        return Err(Error::InvalidParameter {
            name: "x0/component".into(),
            value: format!("x0 {x0:?}, component {}", opts.component),
            requirement: format!(
                "a state of dimension {} and a component below it",
                probe.dim()
            ),
        });
    }
    if opts.carry_state {
        let mut x = x0.to_vec();
        let mut columns = Vec::with_capacity(grid.len());
        for &p in &grid.values {
            let map = build(p)?;
            let col = column(&map, p, &mut x, opts);
            if col.status != OrbitStatus::Ok {
                x.copy_from_slice(x0);
            }
            columns.push(col);
            on_column();
        }
        Ok(columns)
    } else {
        grid.values
            .par_iter()
            .map(|&p| {
                let map = build(p)?;
                let col = column(&map, p, &mut x0.to_vec(), opts);
                on_column();
                Ok(col)
            })
            .collect::<Vec<Result<OrbitColumn>>>()
            .into_iter()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::systems::Logistic;

    fn opts(carry_state: bool) -> OrbitOptions {
        OrbitOptions {
            transient: 5_000,
            samples: 64,
            carry_state,
            component: 0,
        }
    }

    fn distinct(samples: &[f64]) -> usize {
        let mut v = samples.to_vec();
        v.sort_by(f64::total_cmp);
        v.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
        v.len()
    }

    #[test]
    fn logistic_periods_follow_the_doubling_sequence() {
        // r1 = 3, r2 = 1 + √6 ≈ 3.449, r3 ≈ 3.544: periods 1, 2, 4 in between.
        let grid = Grid {
            name: "r".into(),
            values: vec![2.8, 3.2, 3.5],
        };
        for carry in [false, true] {
            let cols =
                orbit_diagram(&grid, &[0.3], &opts(carry), |r| Ok(Logistic { r }), &|| {}).unwrap();
            let periods: Vec<usize> = cols.iter().map(|c| distinct(&c.samples)).collect();
            assert_eq!(periods, vec![1, 2, 4]);
            // The fixed point below r1 is 1 − 1/r.
            assert!((cols[0].samples[0] - (1.0 - 1.0 / 2.8)).abs() < 1e-12);
        }
    }

    #[test]
    fn diverged_columns_are_marked_and_empty() {
        let grid = Grid {
            name: "r".into(),
            values: vec![3.9, 4.2],
        };
        let cols =
            orbit_diagram(&grid, &[0.3], &opts(true), |r| Ok(Logistic { r }), &|| {}).unwrap();
        assert_eq!(cols[0].status, OrbitStatus::Ok);
        assert_eq!(cols[1].status, OrbitStatus::Diverged);
        assert!(cols[1].samples.is_empty());
    }
}
