//! Input groups (NETWORKS.md §1): Poisson rate coding of an image, periodic spike trains,
//! recorded spike lists — all as sorted (step, input) events — and a Gaussian-noise current.
//!
//! A Poisson input with rate r fires in each step of length dt with probability p = r·dt
//! (Brian2's PoissonGroup). Instead of one uniform draw per neuron and step, the spike steps are
//! drawn as geometric gaps (P(gap = k) = (1 − p)^{k−1} p, by inversion: one logarithm per
//! spike), which is the same process.

use crate::error::{require_finite, require_non_negative, require_positive, Error, Result};
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

/// Periodic spike trains: input i fires at t = phase_i + k·period (k ≥ 0), on the step grid
/// (the step containing the time: ⌊t/dt⌋).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PeriodicInput {
    period_ms: f64,
    phases_ms: Vec<f64>,
}

impl PeriodicInput {
    /// Validated: period > 0, every phase finite and ≥ 0.
    pub fn new(period_ms: f64, phases_ms: Vec<f64>) -> Result<Self> {
        require_positive("period", period_ms)?;
        for &phase in &phases_ms {
            require_non_negative("phase", phase)?;
        }
        Ok(Self {
            period_ms,
            phases_ms,
        })
    }

    /// The events of `steps` steps of `dt_ms`, sorted by step then input.
    pub fn events(&self, steps: u32, dt_ms: f64) -> Vec<(u32, u32)> {
        let horizon_ms = steps as f64 * dt_ms;
        let mut events = Vec::new();
        for (i, &phase) in self.phases_ms.iter().enumerate() {
            let mut k = 0u64;
            loop {
                let t = phase + k as f64 * self.period_ms;
                if t >= horizon_ms {
                    break;
                }
                events.push(((t / dt_ms).floor() as u32, i as u32));
                k += 1;
            }
        }
        events.sort_unstable();
        events
    }
}

/// A recorded spike list: explicit (input, time) pairs, validated and sorted once.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SpikeListInput {
    /// (time ms, input) sorted by time then input.
    spikes: Vec<(f64, u32)>,
}

impl SpikeListInput {
    /// Validated: every index < `inputs`, every time finite and ≥ 0; sorted here.
    pub fn new(inputs: usize, spikes: &[(usize, f64)]) -> Result<Self> {
        let mut sorted = Vec::with_capacity(spikes.len());
        for &(i, t) in spikes {
            if i >= inputs {
                return Err(Error::invalid(
                    "spike input index",
                    i as f64,
                    &format!("< the {inputs} inputs"),
                ));
            }
            require_non_negative("spike time", t)?;
            sorted.push((t, i as u32));
        }
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        Ok(Self { spikes: sorted })
    }

    /// The events of `steps` steps of `dt_ms`, sorted by step then input.
    pub fn events(&self, steps: u32, dt_ms: f64) -> Vec<(u32, u32)> {
        let mut events: Vec<(u32, u32)> = self
            .spikes
            .iter()
            .map(|&(t, i)| ((t / dt_ms).floor(), i))
            .filter(|&(step, _)| step < steps as f64)
            .map(|(step, i)| (step as u32, i))
            .collect();
        events.sort_unstable();
        events
    }
}

/// Gaussian white-noise current: in each step of length dt every neuron receives the charge
/// q ~ N(μ·dt, σ²·dt), i.e. the integral over the step of a white-noise current of mean μ and
/// intensity σ (per √ms). Charges enter the synaptic current like input spikes, so the exact
/// propagator still applies.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GaussianNoise {
    /// Mean current μ (charge per ms).
    pub mean: f64,
    /// Noise intensity σ (charge per √ms).
    pub sigma: f64,
}

impl GaussianNoise {
    /// Validated: μ finite, σ ≥ 0.
    pub fn new(mean: f64, sigma: f64) -> Result<Self> {
        Ok(Self {
            mean: require_finite("noise mean", mean)?,
            sigma: require_non_negative("noise sigma", sigma)?,
        })
    }

    /// Fills `charges` with one step's charges (Box-Muller on `rng`).
    pub fn draw(&self, dt_ms: f64, charges: &mut [f64], rng: &mut impl rand::Rng) {
        let (mean, scale) = (self.mean * dt_ms, self.sigma * dt_ms.sqrt());
        for pair in charges.chunks_mut(2) {
            let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
            let u2: f64 = rng.random::<f64>();
            let radius = (-2.0 * u1.ln()).sqrt();
            let phase = 2.0 * std::f64::consts::PI * u2;
            pair[0] = mean + scale * radius * phase.cos();
            if let Some(second) = pair.get_mut(1) {
                *second = mean + scale * radius * phase.sin();
            }
        }
    }
}

/// What an input group emits.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum InputKind {
    /// Poisson trains at per-source rates given with each presentation (rate coding).
    Poisson,
    /// Periodic trains ([`PeriodicInput`]), restarting with each presentation.
    Periodic(PeriodicInput),
    /// A recorded spike list ([`SpikeListInput`]), replayed with each presentation.
    SpikeList(SpikeListInput),
    /// A Gaussian-noise current ([`GaussianNoise`]) onto neuron group `target`, one source
    /// per target neuron.
    Noise {
        /// The noise.
        noise: GaussianNoise,
        /// The neuron group it drives.
        target: usize,
    },
}

/// An input group of the network: a population of sources whose spikes (or noise charges)
/// for one presentation are drawn when it starts, from that presentation's random stream, and
/// replayed step by step.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InputGroup {
    /// Number of sources.
    pub n: usize,
    /// What they emit.
    pub kind: InputKind,
    /// This presentation's spikes, (step since its start, source), sorted.
    pub events: Vec<(u32, u32)>,
    /// This presentation's noise charges, step-major, `n` per step (noise only).
    pub charges: Vec<f64>,
    /// Steps of the presentation done.
    pub elapsed: u32,
    /// Index of the next event.
    pub cursor: usize,
}

impl InputGroup {
    /// A silent group of `n` sources of `kind`.
    pub fn new(n: usize, kind: InputKind) -> Self {
        Self {
            n,
            kind,
            events: Vec::new(),
            charges: Vec::new(),
            elapsed: 0,
            cursor: 0,
        }
    }

    /// Starts a presentation of `steps` steps of `dt_ms`: Poisson sources fire at `rates_hz`
    /// (one per source; ignored by the other kinds), noise is drawn, all from `rng`.
    pub fn present(&mut self, rates_hz: &[f64], steps: u32, dt_ms: f64, rng: &mut impl rand::Rng) {
        self.elapsed = 0;
        self.cursor = 0;
        self.charges.clear();
        match &self.kind {
            InputKind::Poisson => {
                let mut poisson = PoissonInput {
                    events: std::mem::take(&mut self.events),
                };
                poisson.draw(rates_hz, steps, dt_ms, rng);
                self.events = poisson.events;
            }
            InputKind::Periodic(p) => self.events = p.events(steps, dt_ms),
            InputKind::SpikeList(l) => self.events = l.events(steps, dt_ms),
            InputKind::Noise { noise, .. } => {
                self.events.clear();
                self.charges.resize(self.n * steps as usize, 0.0);
                noise.draw(dt_ms, &mut self.charges, rng);
            }
        }
    }

    /// Stops emitting until the next presentation.
    pub fn silence(&mut self) {
        self.events.clear();
        self.charges.clear();
        self.cursor = 0;
    }

    /// This step's spiking sources into `spikes` (cleared first) and the noise charges of this
    /// step, if any; advances one step.
    pub fn advance(&mut self, spikes: &mut Vec<u32>) -> Option<&[f64]> {
        spikes.clear();
        while self.cursor < self.events.len() && self.events[self.cursor].0 == self.elapsed {
            spikes.push(self.events[self.cursor].1);
            self.cursor += 1;
        }
        let at = self.elapsed as usize * self.n;
        self.elapsed += 1;
        self.charges.get(at..at + self.n)
    }

    /// Checks a deserialised group.
    pub fn check(&self, name: &str) -> std::result::Result<(), String> {
        if self.events.iter().any(|&(_, i)| i as usize >= self.n) {
            return Err(format!("{name}.events name a source beyond its {}", self.n));
        }
        if self.events.windows(2).any(|w| w[0] > w[1]) || self.cursor > self.events.len() {
            return Err(format!("{name}.events are not in step order"));
        }
        if self.charges.iter().any(|q| !q.is_finite()) {
            return Err(format!("{name}.charges hold a non-finite value"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn periodic_trains_fire_on_their_grid() {
        // Period 10 ms, phases 0 and 2.5 ms, dt 0.5 ms, 60 steps (30 ms).
        let input = PeriodicInput::new(10.0, vec![0.0, 2.5]).unwrap();
        let events = input.events(60, 0.5);
        assert_eq!(
            events,
            vec![(0, 0), (5, 1), (20, 0), (25, 1), (40, 0), (45, 1)]
        );
        assert!(PeriodicInput::new(0.0, vec![]).is_err());
        assert!(PeriodicInput::new(1.0, vec![-1.0]).is_err());
    }

    #[test]
    fn spike_lists_are_validated_and_sorted() {
        let input = SpikeListInput::new(3, &[(2, 1.2), (0, 0.1), (1, 0.1), (2, 99.0)]).unwrap();
        assert_eq!(input.events(100, 0.5), vec![(0, 0), (0, 1), (2, 2)]);
        assert!(SpikeListInput::new(3, &[(3, 1.0)]).is_err());
        assert!(SpikeListInput::new(3, &[(0, f64::NAN)]).is_err());
        assert!(SpikeListInput::new(3, &[(0, -0.5)]).is_err());
    }

    #[test]
    fn noise_charges_have_the_white_noise_moments() {
        // μ = 0.3, σ = 0.8, dt = 0.25: charges N(0.075, 0.16); 200 000 samples.
        let noise = GaussianNoise::new(0.3, 0.8).unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mut charges = vec![0.0; 200_000];
        noise.draw(0.25, &mut charges, &mut rng);
        let n = charges.len() as f64;
        let mean = charges.iter().sum::<f64>() / n;
        let var = charges.iter().map(|q| (q - mean).powi(2)).sum::<f64>() / (n - 1.0);
        // Standard errors: √(0.16/n) = 9e-4 for the mean, 0.16·√(2/n) = 5e-4 for the variance.
        assert!((mean - 0.075).abs() < 4.0 * 9e-4, "mean {mean}");
        assert!((var - 0.16).abs() < 4.0 * 5.1e-4, "variance {var}");
        assert!(GaussianNoise::new(0.0, -1.0).is_err());
    }

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
