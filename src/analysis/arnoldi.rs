//! Leading eigenvalues of a linear operator known only through its products v ↦ A v
//! (matrix-free), by the Arnoldi iteration, as continuation packages do for large Jacobians.
//!
//! An orthonormal basis of the Krylov space span{q, Aq, …, A^{k−1} q} is built by modified
//! Gram-Schmidt with one reorthogonalisation; the operator's projection on it is the upper
//! Hessenberg matrix H_k, whose eigenvalues (Ritz values) approximate the extreme eigenvalues
//! of A, those of largest modulus first. H_m for m < k is the leading m × m block of H_k,
//! so the Ritz values after `m` steps come for free: their distance to the final ones tells
//! how far each has converged.

use super::fixed_points::{eigenvalues, Eigenvalue};
use crate::error::Result;

/// The outcome of an Arnoldi run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Arnoldi {
    /// Steps taken (the Krylov dimension; fewer than asked after a breakdown).
    pub steps: usize,
    /// Ritz values after `steps`, by decreasing modulus.
    pub ritz: Vec<Eigenvalue>,
    /// For each Ritz value, the distance to the nearest Ritz value of the run stopped at
    /// `steps − compare` steps (∞ when that run had none): small means converged.
    pub change: Vec<f64>,
    /// The steps back of that comparison.
    pub compare: usize,
    /// Whether the Krylov space became invariant (an exact breakdown: its Ritz values are
    /// eigenvalues of A).
    pub invariant: bool,
}

/// `steps` Arnoldi steps of the operator `apply` (out = A v) on dimension `n` from the start
/// vector `start` (normalised here; must not be 0).
pub fn arnoldi(
    n: usize,
    steps: usize,
    start: &[f64],
    mut apply: impl FnMut(&[f64], &mut [f64]),
) -> Result<Arnoldi> {
    let steps = steps.min(n).max(1);
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let norm = |a: &[f64]| dot(a, a).sqrt();
    let start_norm = norm(start);
    let mut basis: Vec<Vec<f64>> = vec![start.iter().map(|x| x / start_norm).collect()];
    // h[i][j]: row i, column j of the (steps + 1) × steps Hessenberg matrix.
    let mut h = vec![vec![0.0; steps]; steps + 1];
    let mut taken = steps;
    let mut invariant = false;
    let mut w = vec![0.0; n];
    for j in 0..steps {
        apply(&basis[j], &mut w);
        let scale = norm(&w);
        for _pass in 0..2 {
            for (i, q) in basis.iter().enumerate() {
                let c = dot(q, &w);
                h[i][j] += c;
                w.iter_mut().zip(q).for_each(|(x, y)| *x -= c * y);
            }
        }
        let next = norm(&w);
        h[j + 1][j] = next;
        if next <= 1e-13 * scale.max(f64::MIN_POSITIVE) || !next.is_finite() {
            taken = j + 1;
            invariant = next.is_finite();
            break;
        }
        basis.push(w.iter().map(|x| x / next).collect());
    }
    let ritz_of = |m: usize| -> Result<Vec<Eigenvalue>> {
        let flat: Vec<f64> = (0..m).flat_map(|i| h[i][..m].to_vec()).collect();
        let mut values = eigenvalues(&flat, m)?;
        values.sort_by(|a, b| b.modulus().total_cmp(&a.modulus()));
        Ok(values)
    };
    let ritz = ritz_of(taken)?;
    let compare = (taken / 4).max(1);
    let earlier = if taken > compare {
        ritz_of(taken - compare)?
    } else {
        Vec::new()
    };
    let change = ritz
        .iter()
        .map(|r| {
            earlier
                .iter()
                .map(|e| (r.re - e.re).hypot(r.im - e.im))
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    Ok(Arnoldi {
        steps: taken,
        ritz,
        change,
        compare,
        invariant,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::DMatrix;

    /// A = Q D Qᵀ with a random orthogonal Q and known eigenvalues, three of them well
    /// separated from the bulk in [−1, 1]: the three leading Ritz values converge to them.
    #[test]
    fn finds_the_separated_leading_eigenvalues_of_a_known_matrix() {
        let n = 200;
        let gaussian = crate::analysis::spectrum::standard_normals(3, n * n);
        let q = DMatrix::from_row_slice(n, n, &gaussian).qr().q();
        let mut d = DMatrix::zeros(n, n);
        for k in 0..n {
            d[(k, k)] = match k {
                0 => 10.0,
                1 => -7.0,
                2 => 5.0,
                _ => -1.0 + 2.0 * k as f64 / n as f64,
            };
        }
        let a = &q * d * q.transpose();
        let start: Vec<f64> = crate::analysis::spectrum::standard_normals(9, n);
        let r = arnoldi(n, 40, &start, |v, out| {
            let y = &a * nalgebra::DVector::from_column_slice(v);
            out.copy_from_slice(y.as_slice());
        })
        .unwrap();
        assert_eq!(r.steps, 40);
        for (got, expected) in r.ritz.iter().zip([10.0, -7.0, 5.0]) {
            assert!(
                (got.re - expected).abs() < 1e-8 && got.im.abs() < 1e-8,
                "{got:?}"
            );
        }
        assert!(
            r.change[..3].iter().all(|c| *c < 1e-6),
            "{:?}",
            &r.change[..3]
        );
    }

    /// A rotation-dilation block has the complex pair ρ e^{±iφ}; a space it leaves invariant
    /// stops the iteration with exact eigenvalues.
    #[test]
    fn an_invariant_space_gives_exact_complex_eigenvalues() {
        let (rho, phi) = (2.0_f64, 0.7_f64);
        let a = [
            [rho * phi.cos(), -rho * phi.sin(), 0.0],
            [rho * phi.sin(), rho * phi.cos(), 0.0],
            [0.0, 0.0, 0.5],
        ];
        let r = arnoldi(3, 3, &[1.0, 0.0, 0.0], |v, out| {
            for (i, row) in a.iter().enumerate() {
                out[i] = row.iter().zip(v).map(|(x, y)| x * y).sum();
            }
        })
        .unwrap();
        assert!(r.invariant);
        assert_eq!(r.steps, 2);
        for e in &r.ritz {
            assert!((e.modulus() - rho).abs() < 1e-12);
            assert!((e.im.abs() - rho * phi.sin()).abs() < 1e-12);
        }
    }
}
