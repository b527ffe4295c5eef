//! Order statistics of measurements over a grid of trained networks or a sample of synapses:
//! the median, and the rank correlation of paired measurements (accuracy against the
//! Lyapunov exponent), Spearman's ρ with its percentile-bootstrap interval.

use rand::{RngExt, SeedableRng};

/// The median of the finite `values` (the mean of the middle two for an even count); None
/// when none is finite.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    values.retain(|x| x.is_finite());
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let m = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[m]
    } else {
        0.5 * (values[m - 1] + values[m])
    })
}

/// Ranks of `values` from 1, ties given the mean of the ranks they span.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]].total_cmp(&values[order[start]]).is_eq() {
            end += 1;
        }
        // Positions start..end hold ranks start+1 ..= end: their mean.
        let mean = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            out[i] = mean;
        }
        start = end;
    }
    out
}

/// Pearson's correlation of `x` and `y`; None when either is constant.
fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's ρ: Pearson's correlation of the ranks (ties averaged). None for fewer than 3
/// pairs, a non-finite value, or a constant variable.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    assert_eq!(x.len(), y.len(), "paired measurements");
    if x.len() < 3 || x.iter().chain(y).any(|v| !v.is_finite()) {
        return None;
    }
    pearson(&ranks(x), &ranks(y))
}

/// A percentile-bootstrap interval of Spearman's ρ.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BootstrapInterval {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Coverage (0.95 for a 95 % interval).
    pub level: f64,
    /// Resamples drawn.
    pub resamples: usize,
    /// Resamples whose ρ was defined (a resample can be constant in one variable).
    pub defined: usize,
}

/// The percentile-bootstrap interval at `level` of Spearman's ρ of the pairs (x, y):
/// `resamples` resamples of the pairs with replacement, drawn from `seed`. None when ρ itself
/// is undefined or fewer than half the resamples give a defined ρ.
pub fn spearman_interval(
    x: &[f64],
    y: &[f64],
    (resamples, level, seed): (usize, f64, u64),
) -> Option<BootstrapInterval> {
    spearman(x, y)?;
    let n = x.len();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let (mut bx, mut by) = (vec![0.0; n], vec![0.0; n]);
    let mut rhos = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        for k in 0..n {
            let i = rng.random_range(0..n);
            bx[k] = x[i];
            by[k] = y[i];
        }
        if let Some(r) = spearman(&bx, &by) {
            rhos.push(r);
        }
    }
    if rhos.len() * 2 < resamples.max(1) {
        return None;
    }
    rhos.sort_by(f64::total_cmp);
    let quantile = |q: f64| {
        // Linear interpolation between order statistics (type 7).
        let h = q * (rhos.len() - 1) as f64;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        rhos[lo] + (h - lo as f64) * (rhos[hi] - rhos[lo])
    };
    let tail = (1.0 - level) / 2.0;
    Some(BootstrapInterval {
        low: quantile(tail),
        high: quantile(1.0 - tail),
        level,
        resamples,
        defined: rhos.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_non_finite_samples() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(vec![f64::NAN, 5.0, f64::INFINITY]), Some(5.0));
        assert_eq!(median(vec![f64::NAN]), None);
    }

    #[test]
    fn ranks_average_ties() {
        let r = ranks(&[10.0, 30.0, 20.0, 30.0, 5.0]);
        assert_eq!(
            r.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            [2.0, 4.5, 3.0, 4.5, 1.0f64]
                .iter()
                .map(|v| v.to_bits())
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn without_ties_rho_is_the_classical_formula() {
        // ρ = 1 − 6 Σd² / (n(n² − 1)); here the rank differences are 0, −2, 1, 1, 0, 0.
        let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let y = [0.1, 0.9, 0.2, 0.3, 2.0, 5.0];
        let d2 = 0.0 + 4.0 + 1.0 + 1.0 + 0.0 + 0.0;
        let expected = 1.0 - 6.0 * d2 / (6.0 * 35.0);
        assert!((spearman(&x, &y).unwrap() - expected).abs() < 1e-15);
    }

    #[test]
    fn with_ties_rho_is_pearson_on_mean_ranks() {
        // Ranks x: 1, 2.5, 2.5, 4; y: 1, 2, 3, 4. By hand: means 2.5; deviations x −1.5, 0, 0,
        // 1.5 and y −1.5, −0.5, 0.5, 1.5; Σxy = 4.5, Σx² = 4.5, Σy² = 5 → ρ = 4.5/√22.5.
        let rho = spearman(&[1.0, 2.0, 2.0, 3.0], &[4.0, 5.0, 6.0, 7.0]).unwrap();
        assert!((rho - 4.5 / 22.5f64.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn monotone_relations_are_plus_or_minus_one_and_constants_undefined() {
        let x: Vec<f64> = (0..20).map(|i| i as f64).collect();
        let up: Vec<f64> = x.iter().map(|v| v.exp()).collect();
        let down: Vec<f64> = x.iter().map(|v| -v * v * v).collect();
        assert!((spearman(&x, &up).unwrap() - 1.0).abs() < 1e-15);
        assert!((spearman(&x, &down).unwrap() + 1.0).abs() < 1e-15);
        assert_eq!(spearman(&x, &[2.0; 20]), None);
        assert_eq!(spearman(&[1.0, 2.0], &[3.0, 4.0]), None);
    }

    #[test]
    fn the_bootstrap_interval_covers_the_truth_about_as_often_as_it_says() {
        // Independent normal pairs (true ρ = 0): a 90 % interval should miss 0 in about 10 %
        // of 200 experiments; a binomial(200, 0.1) count lies in 8..=35 with probability
        // > 0.999.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut misses = 0;
        for e in 0..200u64 {
            let x: Vec<f64> = (0..40).map(|_| rng.random::<f64>()).collect();
            let y: Vec<f64> = (0..40).map(|_| rng.random::<f64>()).collect();
            let i = spearman_interval(&x, &y, (400, 0.9, e)).unwrap();
            assert!(i.low <= i.high && i.defined == 400);
            if !(i.low..=i.high).contains(&0.0) {
                misses += 1;
            }
        }
        assert!((8..=35).contains(&misses), "{misses} misses of 200");
    }
}
