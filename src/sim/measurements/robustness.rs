//! Robustness to lost synapses (NETWORKS.md §5): synapses deleted at random in growing
//! fractions — nested, each fraction deleting the first synapses of one random order, so a
//! larger fraction deletes a superset — and the fraction at which accuracy has fallen by a
//! criterion, interpolated linearly between the measured fractions.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// A random order of `n` synapses from `seed`: deleting a fraction f deletes the first
/// round(f·n) of it.
pub fn deletion_order(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    order
}

/// The smallest fraction at which `accuracy` (over increasing `fractions`, the first the
/// intact network's) falls to `threshold` or below, linearly interpolated between the two
/// measured fractions around the first crossing; None if it never does.
pub fn crossing_fraction(fractions: &[f64], accuracy: &[f64], threshold: f64) -> Option<f64> {
    let points: Vec<(f64, f64)> = fractions
        .iter()
        .copied()
        .zip(accuracy.iter().copied())
        .collect();
    let first = points.iter().position(|&(_, a)| a <= threshold)?;
    if first == 0 {
        return Some(points[0].0);
    }
    let ((f0, a0), (f1, a1)) = (points[first - 1], points[first]);
    Some(f0 + (f1 - f0) * (a0 - threshold) / (a0 - a1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crossing_is_interpolated_between_the_measured_fractions() {
        let f = [0.0, 0.1, 0.2, 0.4];
        let a = [0.90, 0.89, 0.83, 0.50];
        // 5 points below 0.90 is 0.85: between 0.1 (0.89) and 0.2 (0.83), 4/6 of the way.
        let x = crossing_fraction(&f, &a, 0.85).unwrap();
        assert!((x - (0.1 + 0.1 * 4.0 / 6.0)).abs() < 1e-12);
        // 3 % relative: 0.873, between the same two points.
        let x = crossing_fraction(&f, &a, 0.9 * 0.97).unwrap();
        assert!((x - (0.1 + 0.1 * (0.89 - 0.873) / 0.06)).abs() < 1e-12);
        assert_eq!(crossing_fraction(&f, &a, 0.2), None);
    }

    #[test]
    fn deletions_are_a_permutation_and_nested() {
        let order = deletion_order(1000, 3);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..1000).collect::<Vec<_>>());
        assert_ne!(order, deletion_order(1000, 4));
        assert_eq!(order, deletion_order(1000, 3));
    }
}
