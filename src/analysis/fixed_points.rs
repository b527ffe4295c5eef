//! Fixed points of maps, their Jacobians and eigenvalue spectra.
//!
//! Owns Newton's method on g(x) = f(x) − x and the eigenvalues of a real (non-symmetric)
//! Jacobian through nalgebra's real Schur decomposition, with an iteration cap so that no
//! input can make it loop forever.

use super::system::{map_jacobian, Map};
use crate::error::{Error, Result};
use nalgebra::DMatrix;

/// A complex eigenvalue.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Eigenvalue {
    /// Real part.
    pub re: f64,
    /// Imaginary part.
    pub im: f64,
}

impl Eigenvalue {
    /// Modulus |λ|.
    pub fn modulus(&self) -> f64 {
        self.re.hypot(self.im)
    }
}

/// Deflation tolerances of the Schur decomposition, tried in order.
const DEFLATION_TOLERANCES: [f64; 3] = [f64::EPSILON, 1e-14, 1e-12];

/// Iteration cap of the Schur decomposition (per eigenvalue, as in LAPACK's 30·n rule).
const SCHUR_ITERATIONS_PER_ROW: usize = 30;

/// Eigenvalues of the row-major `n × n` matrix `a`, sorted by decreasing modulus.
pub fn eigenvalues(a: &[f64], n: usize) -> Result<Vec<Eigenvalue>> {
    if a.len() != n * n || a.iter().any(|v| !v.is_finite()) {
        return Err(Error::Undefined {
            what: "eigenvalues".into(),
            why: format!("the {n}x{n} matrix has non-finite entries or the wrong size"),
        });
    }
    let matrix = DMatrix::from_row_slice(n, n, a);
    let max_iterations = SCHUR_ITERATIONS_PER_ROW * n.max(1);
    // nalgebra deflates a subdiagonal entry when it falls below `tolerance` times its diagonal
    // neighbours. At machine epsilon some matrices (e.g. finite-difference Jacobians of a
    // simulated network) never get there; 1e-14 and 1e-12 still give eigenvalues to about
    // that relative accuracy, so those are tried next.
    let schur = DEFLATION_TOLERANCES
        .iter()
        .find_map(|&tolerance| {
            nalgebra::linalg::Schur::try_new(matrix.clone(), tolerance, max_iterations)
        })
        .ok_or_else(|| Error::NotConverged {
            method: format!(
                "real Schur decomposition (deflation tolerances {DEFLATION_TOLERANCES:?})"
            ),
            iterations: max_iterations,
            residual: f64::NAN,
        })?;
    let mut values: Vec<Eigenvalue> = schur
        .complex_eigenvalues()
        .iter()
        .map(|c| Eigenvalue { re: c.re, im: c.im })
        .collect();
    values.sort_by(|a, b| {
        b.modulus()
            .total_cmp(&a.modulus())
            .then(b.im.total_cmp(&a.im))
    });
    Ok(values)
}

/// Solves f(x) = x by Newton's method on g(x) = f(x) − x, using the map's Jacobian
/// (Dg = Df − I). Converges when ‖g(x)‖∞ ≤ `tolerance`.
pub fn newton<M: Map + ?Sized>(
    map: &M,
    guess: &[f64],
    tolerance: f64,
    max_iterations: usize,
) -> Result<Vec<f64>> {
    let n = map.dim();
    let mut x = guess.to_vec();
    let mut image = vec![0.0; n];
    let mut residual = f64::INFINITY;
    for _ in 0..max_iterations {
        map.step(&x, &mut image);
        let g: Vec<f64> = image.iter().zip(&x).map(|(fx, xi)| fx - xi).collect();
        residual = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if !residual.is_finite() {
            break;
        }
        if residual <= tolerance {
            return Ok(x);
        }
        let mut dg = map_jacobian(map, &x);
        for i in 0..n {
            dg[i * n + i] -= 1.0;
        }
        let lu = DMatrix::from_row_slice(n, n, &dg).lu();
        let Some(delta) = lu.solve(&nalgebra::DVector::from_column_slice(&g)) else {
            break;
        };
        x.iter_mut().zip(delta.iter()).for_each(|(xi, d)| *xi -= d);
    }
    Err(Error::NotConverged {
        method: "Newton fixed-point iteration".into(),
        iterations: max_iterations,
        residual,
    })
}

/// A fixed point with its linearisation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FixedPointReport {
    /// The state x* with f(x*) = x*.
    pub state: Vec<f64>,
    /// Row-major Jacobian Df(x*).
    pub jacobian: Vec<f64>,
    /// Eigenvalues of Df(x*) by decreasing modulus.
    pub eigenvalues: Vec<Eigenvalue>,
    /// True when every eigenvalue lies strictly inside the unit circle.
    pub stable: bool,
}

/// Linearises `map` at the fixed point `state`.
pub fn linearise<M: Map + ?Sized>(map: &M, state: &[f64]) -> Result<FixedPointReport> {
    let jacobian = map_jacobian(map, state);
    let eigenvalues = eigenvalues(&jacobian, map.dim())?;
    let stable = eigenvalues.iter().all(|e| e.modulus() < 1.0);
    Ok(FixedPointReport {
        state: state.to_vec(),
        jacobian,
        eigenvalues,
        stable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::systems::{Henon, Logistic};

    #[test]
    fn henon_fixed_point_and_eigenvalues_are_analytic() {
        let (a, b) = (1.4, 0.3);
        let henon = Henon { a, b };
        let x = newton(&henon, &[0.5, 0.2], 1e-14, 50).unwrap();
        let xs = (-(1.0 - b) + ((1.0f64 - b).powi(2) + 4.0 * a).sqrt()) / (2.0 * a);
        assert!((x[0] - xs).abs() < 1e-13 && (x[1] - b * xs).abs() < 1e-13);
        // Characteristic polynomial λ² + 2a x* λ − b = 0.
        let root = (a * a * xs * xs + b).sqrt();
        let expected = [-a * xs - root, -a * xs + root];
        let report = linearise(&henon, &x).unwrap();
        assert!(!report.stable);
        assert!((report.eigenvalues[0].re - expected[0]).abs() < 1e-12);
        assert!((report.eigenvalues[1].re - expected[1]).abs() < 1e-12);
    }

    #[test]
    fn rotation_has_complex_pair() {
        let (c, s) = (0.6f64, 0.8f64);
        let ev = eigenvalues(&[c, -s, s, c], 2).unwrap();
        assert!((ev[0].re - c).abs() < 1e-15 && (ev[0].im.abs() - s).abs() < 1e-15);
        assert!((ev[0].im + ev[1].im).abs() < 1e-15);
    }

    #[test]
    fn logistic_fixed_point_is_one_minus_one_over_r() {
        let x = newton(&Logistic { r: 2.8 }, &[0.5], 1e-15, 50).unwrap();
        assert!((x[0] - (1.0 - 1.0 / 2.8)).abs() < 1e-15);
    }

    #[test]
    fn non_finite_matrix_is_an_error() {
        assert!(eigenvalues(&[f64::NAN, 0.0, 0.0, 1.0], 2).is_err());
    }
}
