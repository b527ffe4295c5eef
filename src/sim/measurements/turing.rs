//! The Turing map (NETWORKS.md §5): each neuron's signed input balance Σ_j w_ij / Σ_j |w_ij|
//! laid out on the cores × maps grid, smoothed with a Gaussian
//! ([`crate::data::transform::gaussian_blur`]). Positive: the neuron's input is
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balance_is_the_signed_share_of_the_input() {
        let b = input_balance(&[vec![1.0, -1.0, 2.0], vec![0.5, 0.5], vec![-3.0], vec![0.0]]);
        assert_eq!(b, vec![0.5, 1.0, -1.0, 0.0]);
    }
}
