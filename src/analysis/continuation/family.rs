//! A one-parameter family of maps or flows, and the residual whose zero set is a branch.

use crate::analysis::system::{Dynamics, OrbitStatus};
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};

/// A family of systems indexed by one parameter p. One required method: build the member at p.
pub trait Family: Sync {
    /// The system at parameter value `p` (errors for values the system refuses).
    fn at(&self, p: f64) -> Result<Dynamics>;
}

impl<F: Fn(f64) -> Result<Dynamics> + Sync> Family for F {
    fn at(&self, p: f64) -> Result<Dynamics> {
        self(p)
    }
}

/// The residual of a point on a branch and its derivatives there.
#[derive(Debug, Clone)]
pub struct Linearisation {
    /// R(x, p): f^k(x) − x (maps) or rhs(x) (flows).
    pub residual: DVector<f64>,
    /// ∂R/∂x.
    pub d_x: DMatrix<f64>,
    /// ∂R/∂p (central differences in p).
    pub d_p: DVector<f64>,
    /// The matrix whose spectrum decides stability: D(f^k) (maps) or D rhs (flows).
    pub spectrum_matrix: DMatrix<f64>,
    /// Status of the state (and of every point of its k-orbit).
    pub status: OrbitStatus,
}

/// Whether the family's members are maps (true) or flows; errors if the family is empty at p.
pub fn is_map(family: &dyn Family, p: f64) -> Result<bool> {
    Ok(matches!(family.at(p)?, Dynamics::Map(_)))
}

/// R(x, p), its spectrum matrix and the orbit status for period `period`.
fn residual_at(
    member: &Dynamics,
    x: &[f64],
    period: usize,
) -> (DVector<f64>, DMatrix<f64>, OrbitStatus) {
    let n = x.len();
    match member {
        Dynamics::Map(map) => {
            let mut state = x.to_vec();
            let mut next = vec![0.0; n];
            let mut step_jac = vec![0.0; n * n];
            let mut product = DMatrix::<f64>::identity(n, n);
            let mut status = map.classify(&state);
            for _ in 0..period {
                map.step_and_jacobian(&state, &mut next, &mut step_jac);
                // Chain rule: D(f^k) = J(x_{k−1}) ⋯ J(x_0).
                product = DMatrix::from_row_slice(n, n, &step_jac) * product;
                state.copy_from_slice(&next);
                if status == OrbitStatus::Ok {
                    status = map.classify(&state);
                }
            }
            let residual = DVector::from_iterator(n, state.iter().zip(x).map(|(f, x)| f - x));
            (residual, product, status)
        }
        Dynamics::Flow(flow) => {
            let mut rhs = vec![0.0; n];
            let mut jac = vec![0.0; n * n];
            flow.rhs(x, &mut rhs);
            flow.jacobian(x, &mut jac);
            (
                DVector::from_vec(rhs),
                DMatrix::from_row_slice(n, n, &jac),
                flow.classify(x),
            )
        }
    }
}

/// Evaluates the residual at (x, p) with ∂R/∂x and ∂R/∂p.
pub fn linearise(family: &dyn Family, x: &[f64], p: f64, period: usize) -> Result<Linearisation> {
    let member = family.at(p)?;
    let (residual, spectrum_matrix, status) = residual_at(&member, x, period);
    let h = 1e-6 * p.abs().max(1.0);
    let (r_plus, _, _) = residual_at(&family.at(p + h)?, x, period);
    let (r_minus, _, _) = residual_at(&family.at(p - h)?, x, period);
    let d_p = (r_plus - r_minus) / (2.0 * h);
    let d_x = match member {
        Dynamics::Map(_) => &spectrum_matrix - DMatrix::identity(x.len(), x.len()),
        Dynamics::Flow(_) => spectrum_matrix.clone(),
    };
    let finite = residual
        .iter()
        .chain(d_x.iter())
        .chain(d_p.iter())
        .all(|v| v.is_finite());
    if !finite && status == OrbitStatus::Ok {
        return Err(Error::Undefined {
            what: format!("the continuation residual at p = {p}"),
            why: "it is not finite there".into(),
        });
    }
    Ok(Linearisation {
        residual,
        d_x,
        d_p,
        spectrum_matrix,
        status,
    })
}

/// Newton's method at fixed p on R(x, p) = 0.
pub(super) fn solve_at_fixed_p(
    family: &dyn Family,
    x0: &[f64],
    p: f64,
    period: usize,
) -> Result<Vec<f64>> {
    let mut x = DVector::from_column_slice(x0);
    for iteration in 0..50 {
        let lin = linearise(family, x.as_slice(), p, period)?;
        let Some(dx) = lin.d_x.clone().lu().solve(&(-&lin.residual)) else {
            // A guess where the residual's Jacobian is singular (e.g. the logistic map's
            // x = (1 − 1/r)/2): move off it a little and try again (within the 50 iterations).
            x.iter_mut().for_each(|v| *v += 1e-3 * (1.0 + v.abs()));
            continue;
        };
        x += &dx;
        if dx.norm() <= 1e-13 * (1.0 + x.norm()) && iteration > 0 {
            let lin = linearise(family, x.as_slice(), p, period)?;
            if lin.residual.norm() <= 1e-9 * (1.0 + x.norm()) {
                return Ok(x.as_slice().to_vec());
            }
        }
        if !x.iter().all(|v| v.is_finite()) {
            break;
        }
    }
    Err(Error::NotConverged {
        method: format!("Newton's method for a period-{period} point at p = {p}"),
        iterations: 50,
        residual: f64::NAN,
    })
}
