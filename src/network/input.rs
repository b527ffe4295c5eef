//! Input groups: Poisson rate coding of an image (NETWORKS.md §1).
//!
//! A Poisson input with rate r fires in each step of length dt with probability p = r·dt
//! (Brian2's PoissonGroup). Instead of one uniform draw per neuron and step, the spike steps are
//! drawn as geometric gaps (P(gap = k) = (1 − p)^{k−1} p, by inversion: one logarithm per
//! spike), which is the same process.

use rand::RngExt;

/// Spike events of a Poisson input population over one presentation, sorted by step.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PoissonInput {
    /// (step, input index) pairs, sorted by step then index.
    pub events: Vec<(u32, u32)>,
}

impl PoissonInput {
    /// Draws the spikes of inputs with rates `rates_hz` over `steps` steps of `dt_ms`.
    /// Rates with r·dt ≥ 1 fire every step.
    pub fn draw(&mut self, rates_hz: &[f64], steps: u32, dt_ms: f64, rng: &mut impl rand::Rng) {
        self.events.clear();
        for (i, &rate) in rates_hz.iter().enumerate() {
            let p = rate * dt_ms * 1e-3;
            if p <= 0.0 {
                continue;
            }
            let log_q = (1.0 - p.min(1.0)).ln();
            let mut step: u64 = 0;
            loop {
                // Gap ≥ 1 with P(gap > k) = (1 − p)^k: gap = 1 + floor(ln U / ln(1 − p)).
                let gap = if p >= 1.0 {
                    1
                } else {
                    let u: f64 = 1.0 - rng.random::<f64>(); // in (0, 1]
                    1 + (u.ln() / log_q).floor() as u64
                };
                step += gap;
                if step > steps as u64 {
                    break;
                }
                self.events.push(((step - 1) as u32, i as u32));
            }
        }
        self.events.sort_unstable();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn spike_counts_have_poisson_mean_and_variance() {
        // 1000 inputs at 40 Hz for 350 ms at dt = 0.5 ms: Binomial(700, 0.02) per input,
        // mean 14, variance 13.72.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut input = PoissonInput::default();
        input.draw(&vec![40.0; 1000], 700, 0.5, &mut rng);
        let mut counts = vec![0f64; 1000];
        for &(step, i) in &input.events {
            assert!(step < 700);
            counts[i as usize] += 1.0;
        }
        let mean = counts.iter().sum::<f64>() / 1000.0;
        let var = counts.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / 999.0;
        // Standard errors: 0.12 for the mean, about 0.6 for the variance.
        assert!((mean - 14.0).abs() < 0.5, "mean {mean}");
        assert!((var - 13.72).abs() < 2.5, "variance {var}");
        assert!(input.events.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn zero_rate_is_silent_and_saturated_rate_fires_every_step() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let mut input = PoissonInput::default();
        input.draw(&[0.0, 5000.0], 10, 0.5, &mut rng);
        assert_eq!(input.events, (0..10).map(|s| (s, 1)).collect::<Vec<_>>());
    }
}
