//! Mode analysis (NETWORKS.md §5, after Lin & Huang, "Spiking mode-based neural networks"):
//! the singular values of a trained weight matrix W (one row per neuron, its incoming
//! weights) against their rank, and the layer's filtered spike trains projected onto the
//! leading left singular vectors (modes in neuron space).
//!
//! The SVD is taken through the symmetric eigendecomposition of the smaller Gram matrix
//! (W Wᵀ or Wᵀ W), whose eigenvalues are σ²: singular values below about 10⁻⁸ σ_max are
//! therefore not resolved (they come out as rounding noise or 0).

use nalgebra::{DMatrix, SymmetricEigen};

/// The singular values of W, descending, and its leading left singular vectors.
#[derive(Debug, Clone, PartialEq)]
pub struct Modes {
    /// σ_1 ≥ σ_2 ≥ … (min(rows, columns) of them).
    pub singular_values: Vec<f64>,
    /// The first left singular vectors u_μ (unit norm, one entry per neuron), each signed so
    /// that its entries sum to a non-negative number.
    pub left: Vec<Vec<f64>>,
}

/// The modes of `rows` (one row per neuron, all of one length), keeping `keep` left vectors
/// (at most the number of non-zero singular values).
pub fn modes(rows: &[Vec<f64>], keep: usize) -> Modes {
    let (n, m) = (rows.len(), rows.first().map_or(0, Vec::len));
    if n == 0 || m == 0 {
        return Modes {
            singular_values: Vec::new(),
            left: Vec::new(),
        };
    }
    let w = DMatrix::from_fn(n, m, |i, j| rows[i][j]);
    // The Gram matrix of the smaller side; its eigenvectors are the left (n ≤ m) or the
    // right (n > m) singular vectors.
    let by_rows = n <= m;
    let gram = if by_rows {
        &w * w.transpose()
    } else {
        w.transpose() * &w
    };
    let eigen = SymmetricEigen::new(gram);
    let mut order: Vec<usize> = (0..eigen.eigenvalues.len()).collect();
    order.sort_by(|&a, &b| eigen.eigenvalues[b].total_cmp(&eigen.eigenvalues[a]));
    let singular_values: Vec<f64> = order
        .iter()
        .map(|&k| eigen.eigenvalues[k].max(0.0).sqrt())
        .collect();
    let left = order
        .iter()
        .take(keep)
        .zip(&singular_values)
        .filter(|(_, &s)| s > 0.0)
        .map(|(&k, &s)| {
            let v = eigen.eigenvectors.column(k);
            let mut u: Vec<f64> = if by_rows {
                v.iter().copied().collect()
            } else {
                (&w * v).iter().map(|x| x / s).collect()
            };
            if u.iter().sum::<f64>() < 0.0 {
                u.iter_mut().for_each(|x| *x = -*x);
            }
            u
        })
        .collect();
    Modes {
        singular_values,
        left,
    }
}

/// The layer's spike trains filtered with a causal exponential of `tau_ms`,
/// r_i(t) = Σ_{spikes s of i, t_s ≤ t} e^{−(t − t_s)/τ}, on the grid t = start + k·step for
/// k = 0 … ⌊duration/step⌋, projected onto each mode: one row per grid time, one column per
/// mode. `spikes` are (time in ms, neuron).
pub fn filtered_projection(
    spikes: &[(f64, u32)],
    (start_ms, duration_ms, step_ms): (f64, f64, f64),
    tau_ms: f64,
    modes: &[Vec<f64>],
) -> Vec<Vec<f64>> {
    let points = (duration_ms / step_ms).floor() as usize + 1;
    let mut sorted: Vec<(f64, u32)> = spikes.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Each mode's projection is a sum of exponentials, one per spike weighted by u_μ[i]:
    // carried from grid point to grid point by e^{−step/τ}.
    let decay = (-step_ms / tau_ms).exp();
    let mut value = vec![0.0; modes.len()];
    let mut next = 0;
    let mut out = Vec::with_capacity(points);
    for k in 0..points {
        let t = start_ms + k as f64 * step_ms;
        if k > 0 {
            value.iter_mut().for_each(|v| *v *= decay);
        }
        while next < sorted.len() && sorted[next].0 <= t {
            let (ts, i) = sorted[next];
            let weight = (-(t - ts) / tau_ms).exp();
            for (v, u) in value.iter_mut().zip(modes) {
                *v += weight * u.get(i as usize).copied().unwrap_or(0.0);
            }
            next += 1;
        }
        out.push(value.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against nalgebra's own SVD (Golub-Kahan), both orientations.
    #[test]
    fn singular_values_and_vectors_match_a_direct_svd() {
        for (n, m) in [(5, 9), (9, 5)] {
            let rows: Vec<Vec<f64>> = (0..n)
                .map(|i| {
                    (0..m)
                        .map(|j| ((i * 7 + j * 3) % 11) as f64 / 11.0 - 0.3)
                        .collect()
                })
                .collect();
            let got = modes(&rows, 2);
            let w = DMatrix::from_fn(n, m, |i, j| rows[i][j]);
            let svd = w.clone().svd(true, false);
            let mut reference: Vec<f64> = svd.singular_values.iter().copied().collect();
            reference.sort_by(|a, b| b.total_cmp(a));
            for (a, b) in got.singular_values.iter().zip(&reference) {
                assert!((a - b).abs() < 1e-10 * reference[0], "{a} vs {b}");
            }
            // u_1 is a unit vector with W W^T u = σ² u.
            let u = nalgebra::DVector::from_vec(got.left[0].clone());
            assert!((u.norm() - 1.0).abs() < 1e-12);
            let image = &w * w.transpose() * &u;
            let s2 = reference[0] * reference[0];
            assert!((image - s2 * &u).norm() < 1e-9 * s2);
        }
    }

    #[test]
    fn a_rank_one_matrix_has_one_mode() {
        let u = [1.0, 2.0, 2.0];
        let v = [3.0, 0.0, 4.0, 0.0];
        let rows: Vec<Vec<f64>> = u
            .iter()
            .map(|a| v.iter().map(|b| a * b).collect())
            .collect();
        let got = modes(&rows, 3);
        // σ_1 = |u| |v| = 3 · 5.
        assert!((got.singular_values[0] - 15.0).abs() < 1e-12);
        assert!(got.singular_values[1..].iter().all(|s| *s < 1e-6));
        let expected = [1.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0];
        for (a, b) in got.left[0].iter().zip(expected) {
            assert!((a - b).abs() < 1e-12);
        }
    }

    #[test]
    fn the_filter_is_a_sum_of_causal_exponentials() {
        let mode = vec![vec![1.0, -2.0]];
        let spikes = [(1.0, 0), (2.5, 1), (2.5, 0)];
        let p = filtered_projection(&spikes, (0.0, 4.0, 1.0), 2.0, &mode);
        assert_eq!(p.len(), 5);
        let r = |t: f64| -> f64 {
            spikes
                .iter()
                .filter(|s| s.0 <= t)
                .map(|&(ts, i)| mode[0][i as usize] * (-(t - ts) / 2.0).exp())
                .sum()
        };
        for (k, row) in p.iter().enumerate() {
            assert!((row[0] - r(k as f64)).abs() < 1e-12, "t = {k}: {}", row[0]);
        }
    }
}
