//! The driver of a continuation run: it follows the starting branch and the period-doubled
//! branches seeded at its flips.

use super::branch::{BifurcationKind, Continuation};
use super::family::{is_map, solve_at_fixed_p, Family};
use super::options::ContinuationOptions;
use super::tracer::Tracer;
use crate::error::{Error, Result};

/// Continues the fixed point (equilibrium) found from `x0` at `from` to `to`, and the
/// period-doubled branches of up to `max_doublings` flips.
pub fn continuation(
    family: &dyn Family,
    x0: &[f64],
    opts: &ContinuationOptions,
) -> Result<Continuation> {
    let opts = opts.validate()?;
    let map = is_map(family, opts.from)?;
    if let crate::analysis::system::Dynamics::Map(member) = family.at(opts.from)? {
        if !member.is_smooth() {
            return Err(Error::Undefined {
                what: "continuation".into(),
                why: "the map is not smooth (kinks, clipping or flips): its Jacobian, and so \
                      the tangent and the test functions, are not defined everywhere"
                    .into(),
            });
        }
    }
    let x_start = solve_at_fixed_p(family, x0, opts.from, 1)?;
    let direction = (opts.to - opts.from).signum();
    let mut pending = vec![(x_start, opts.from, 1usize, direction, 0usize)];
    let mut result = Continuation {
        branches: Vec::new(),
        bifurcations: Vec::new(),
    };
    while let Some((x, p, period, direction, doublings)) = pending.pop() {
        let tracer = Tracer {
            family,
            period,
            map,
            opts,
        };
        let (branch, found) = tracer.follow(x, p, direction)?;
        if doublings < opts.max_doublings {
            if let Some(flip) = found.iter().find(|b| b.kind == BifurcationKind::Flip) {
                if let Some((x2, p2, dir2)) = tracer.switch_at_flip(flip)? {
                    pending.push((x2, p2, 2 * period, dir2, doublings + 1));
                }
            }
        }
        result.branches.push(branch);
        result.bifurcations.extend(found);
    }
    Ok(result)
}
