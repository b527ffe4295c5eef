//! The learning return map of a small simulated network (MODEL.md §7, STYLE "learning return
//! map"): weights before one presentation ↦ weights after it. It implements
//! [`crate::analysis::Map`], so the analysis core (fixed points, finite-difference Jacobians,
//! spectra, Lyapunov exponents) applies to the simulator itself.
//!
//! The network: n_in Poisson inputs (rates fixed, spike trains drawn once from the seed, so
//! every evaluation of the map sees the same trains: common random numbers) → m current-based
//! LIF neurons, all-to-all, pair STDP with nearest-spike traces and soft bounds. Each
//! presentation starts from neurons at rest. Spike times are located inside the step
//! ([`CurrentLifGroup`]), so the map is piecewise smooth in the weights: finite differences of
//! it are meaningful as long as no spike appears or vanishes within the difference step.

use super::{CurrentLifGroup, PairStdp, Plasticity, PoissonInput};
use crate::analysis::Map;
use crate::error::{Error, Result};
use crate::model::lif::LifParams;

/// Raw parameters of the network.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LearningMapParams {
    /// Inputs n_in.
    pub inputs: usize,
    /// Post neurons m.
    pub posts: usize,
    /// Input rate (Hz).
    pub rate_hz: f64,
    /// Presentation length (ms).
    pub duration_ms: f64,
    /// Step (ms).
    pub dt_ms: f64,
    /// Charge delivered per unit weight by one input spike.
    pub charge_per_weight: f64,
    /// Seed of the input trains.
    pub seed: u64,
}

/// The map w ↦ w after one presentation.
#[derive(Debug)]
pub struct LearningReturnMap {
    params: LearningMapParams,
    lif: LifParams,
    rule: PairStdp,
    /// (step, input) events of the one presentation every evaluation replays.
    events: Vec<(u32, u32)>,
    steps: u32,
}

impl LearningReturnMap {
    /// Validates and draws the input trains.
    pub fn new(params: LearningMapParams, lif: LifParams, rule: PairStdp) -> Result<Self> {
        use rand::SeedableRng;
        if params.inputs == 0 || params.posts == 0 {
            return Err(Error::invalid("inputs and posts", 0.0, ">= 1"));
        }
        crate::error::require_non_negative("rate", params.rate_hz)?;
        crate::error::require_positive("duration", params.duration_ms)?;
        crate::error::require_positive("dt", params.dt_ms)?;
        crate::error::require_finite("charge_per_weight", params.charge_per_weight)?;
        let steps = (params.duration_ms / params.dt_ms).round() as u32;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(params.seed);
        let mut input = PoissonInput::default();
        input.draw(
            &vec![params.rate_hz; params.inputs],
            steps,
            params.dt_ms,
            &mut rng,
        );
        CurrentLifGroup::new(lif, params.posts, params.dt_ms, None)?;
        Ok(Self {
            params,
            lif,
            rule,
            events: input.events,
            steps,
        })
    }

    /// One presentation from `w` (input-major: w[i·m + j]) into `out`.
    fn present(&self, w: &[f64], out: &mut [f64]) {
        let (n_in, m) = (self.params.inputs, self.params.posts);
        let dt = self.params.dt_ms;
        let tau_plus = self.lif.tau_m_ms(); // pair-rule time constants = τ_m (MODEL.md §3)
        out.copy_from_slice(w);
        // Neurons at rest for every presentation (validated in `new`, so this cannot fail).
        let Ok(mut group) = CurrentLifGroup::new(self.lif, m, dt, None) else {
            out.fill(f64::NAN);
            return;
        };
        let mut last_pre = vec![f64::NEG_INFINITY; n_in];
        let mut last_post = vec![f64::NEG_INFINITY; m];
        let mut spikes = Vec::new();
        let mut next = 0;
        for step in 0..self.steps {
            let t = step as f64 * dt;
            while next < self.events.len() && self.events[next].0 == step {
                let i = self.events[next].1 as usize;
                for (j, &last) in last_post.iter().enumerate() {
                    let post_trace = (-(t - last) / tau_plus).exp();
                    let k = i * m + j;
                    out[k] = self.rule.on_pre(out[k], post_trace);
                    group.receive(j, out[k] * self.params.charge_per_weight);
                }
                last_pre[i] = t;
                next += 1;
            }
            group.step(&mut spikes);
            for &(j, offset) in &spikes {
                let t_post = t + offset;
                for (i, &last) in last_pre.iter().enumerate() {
                    let pre_trace = (-(t_post - last) / tau_plus).exp();
                    let k = i * m + j;
                    out[k] = self.rule.on_post(out[k], pre_trace, 0.0);
                }
                last_post[j] = t_post;
            }
        }
    }

    /// Number of weights n_in·m.
    pub fn len(&self) -> usize {
        self.params.inputs * self.params.posts
    }

    /// True without weights (never, after validation).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Map for LearningReturnMap {
    fn dim(&self) -> usize {
        self.len()
    }

    fn step(&self, x: &[f64], out: &mut [f64]) {
        self.present(x, out);
    }

    /// Clipping and spike-count changes make the map only piecewise smooth.
    fn is_smooth(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::system::map_jacobian;
    use crate::model::stdp::SoftBounds;

    fn map(eta: f64) -> LearningReturnMap {
        LearningReturnMap::new(
            LearningMapParams {
                inputs: 8,
                posts: 2,
                rate_hz: 40.0,
                duration_ms: 100.0,
                dt_ms: 0.5,
                charge_per_weight: 1.0,
                seed: 4,
            },
            LifParams::new(2.0, 1.0, 0.0, 0.0, 1.0, 2.0).unwrap(),
            PairStdp {
                a_plus: eta,
                a_minus: eta,
                bounds: SoftBounds::new(1.0, 3.0).unwrap(),
                w_min: 0.0,
                w_max: 3.0,
            },
        )
        .unwrap()
    }

    #[test]
    fn common_random_numbers_make_the_map_deterministic() {
        let m = map(0.01);
        let w = vec![1.5; m.dim()];
        let (mut a, mut b) = (vec![0.0; m.dim()], vec![0.0; m.dim()]);
        m.step(&w, &mut a);
        m.step(&w, &mut b);
        assert_eq!(a, b);
        assert!(
            a.iter().zip(&w).any(|(x, y)| (x - y).abs() > 1e-6),
            "no learning"
        );
    }

    #[test]
    fn jacobian_spectrum_after_learning_is_computable_and_consistent() {
        // The finite-difference Jacobian of the map after 3000 presentations (20 inputs × 5
        // neurons, charge 4) stalls nalgebra's Schur form at machine-epsilon deflation; the
        // eigenvalues must still come out, and their sum and sum of squares must equal tr J and
        // tr J² (independent of the decomposition).
        let m = LearningReturnMap::new(
            LearningMapParams {
                inputs: 20,
                posts: 5,
                rate_hz: 40.0,
                duration_ms: 100.0,
                dt_ms: 0.5,
                charge_per_weight: 4.0,
                seed: 4,
            },
            LifParams::new(2.0, 1.0, 0.0, 0.0, 1.0, 2.0).unwrap(),
            PairStdp {
                a_plus: 0.01,
                a_minus: 0.01,
                bounds: SoftBounds::new(1.0, 3.0).unwrap(),
                w_min: 0.0,
                w_max: 3.0,
            },
        )
        .unwrap();
        let n = m.dim();
        let (mut w, mut next) = (vec![1.0; n], vec![0.0; n]);
        for _ in 0..3000 {
            m.step(&w, &mut next);
            std::mem::swap(&mut w, &mut next);
        }
        let jac = map_jacobian(&m, &w);
        let values = crate::analysis::fixed_points::eigenvalues(&jac, n).unwrap();
        let a = nalgebra::DMatrix::from_row_slice(n, n, &jac);
        let trace = a.trace();
        let trace_sq = (&a * &a).trace();
        let sum: f64 = values.iter().map(|e| e.re).sum();
        let sum_sq: f64 = values.iter().map(|e| e.re * e.re - e.im * e.im).sum();
        assert!(
            (sum - trace).abs() < 1e-9 * trace.abs().max(1.0),
            "{sum} vs {trace}"
        );
        assert!((sum_sq - trace_sq).abs() < 1e-9 * trace_sq.abs().max(1.0));
    }

    #[test]
    fn without_learning_the_map_is_the_identity_and_its_jacobian_is_i() {
        let m = map(0.0);
        let w: Vec<f64> = (0..m.dim()).map(|k| 0.5 + 0.1 * k as f64).collect();
        let mut out = vec![0.0; m.dim()];
        m.step(&w, &mut out);
        assert_eq!(out, w);
        let jac = map_jacobian(&m, &w);
        let n = m.dim();
        for r in 0..n {
            for c in 0..n {
                let expected = if r == c { 1.0 } else { 0.0 };
                assert!((jac[r * n + c] - expected).abs() < 1e-9);
            }
        }
    }
}
