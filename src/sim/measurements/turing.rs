//! The Turing map (NETWORKS.md §5): each neuron's signed input balance Σ_j w_ij / Σ_j |w_ij|
//! laid out on the cores × maps grid, smoothed with a Gaussian. Positive: the neuron's input is
//! excitatory on balance; negative: inhibitory (only flipped synapses are negative).

/// The balance of each neuron's incoming weights, Σw / Σ|w| (0 for a neuron without weight).
pub fn input_balance(incoming: &[Vec<f64>]) -> Vec<f64> {
    incoming
        .iter()
        .map(|w| {
            let magnitude: f64 = w.iter().map(|x| x.abs()).sum();
            if magnitude > 0.0 {
                w.iter().sum::<f64>() / magnitude
            } else {
                0.0
            }
        })
        .collect()
}

/// `grid` (rows × cols, row-major) smoothed by a separable Gaussian of `sigma` cells
/// (truncated at 3σ and renormalised at the edges, so a constant grid stays constant);
/// `sigma = 0` returns the grid unchanged.
pub fn smooth_gaussian(grid: &[f64], rows: usize, cols: usize, sigma: f64) -> Vec<f64> {
    assert_eq!(grid.len(), rows * cols);
    if sigma <= 0.0 {
        return grid.to_vec();
    }
    let radius = (3.0 * sigma).ceil() as isize;
    let kernel: Vec<f64> = (-radius..=radius)
        .map(|k| (-(k * k) as f64 / (2.0 * sigma * sigma)).exp())
        .collect();
    let pass = |src: &[f64], len: usize, at: &dyn Fn(usize, usize) -> usize, lines: usize| {
        let mut out = vec![0.0; src.len()];
        for line in 0..lines {
            for i in 0..len {
                let (mut sum, mut weight) = (0.0, 0.0);
                for (k, &g) in kernel.iter().enumerate() {
                    let j = i as isize + k as isize - radius;
                    if (0..len as isize).contains(&j) {
                        sum += g * src[at(line, j as usize)];
                        weight += g;
                    }
                }
                out[at(line, i)] = sum / weight;
            }
        }
        out
    };
    let along_cols = pass(grid, cols, &|r, c| r * cols + c, rows);
    pass(&along_cols, rows, &|c, r| r * cols + c, cols)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balance_is_the_signed_share_of_the_input() {
        let b = input_balance(&[vec![1.0, -1.0, 2.0], vec![0.5, 0.5], vec![-3.0], vec![0.0]]);
        assert_eq!(b, vec![0.5, 1.0, -1.0, 0.0]);
    }

    #[test]
    fn smoothing_keeps_constants_and_spreads_a_point_as_a_gaussian() {
        let flat = smooth_gaussian(&[0.3; 20], 4, 5, 1.5);
        assert!(flat.iter().all(|v| (v - 0.3).abs() < 1e-15));
        // A point in the middle of a 1 × 41 line: neighbours k away get e^{−k²/2σ²} / Σ.
        let mut line = vec![0.0; 41];
        line[20] = 1.0;
        let s = smooth_gaussian(&line, 1, 41, 2.0);
        let norm: f64 = (-6..=6).map(|k: i32| (-(k * k) as f64 / 8.0).exp()).sum();
        for k in 0..=6usize {
            let expected = (-((k * k) as f64) / 8.0).exp() / norm;
            assert!((s[20 + k] - expected).abs() < 1e-15);
            assert!((s[20 - k] - expected).abs() < 1e-15);
        }
        assert_eq!(s[27].to_bits(), 0.0f64.to_bits());
        assert_eq!(smooth_gaussian(&line, 1, 41, 0.0), line);
    }
}
