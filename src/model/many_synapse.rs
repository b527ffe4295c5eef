//! The reduced many-synapse model of MODEL.md §7: a layer of synapses coupled through shared
//! postsynaptic neurons, its fixed point and the exact Jacobian of its weight-update map.
//!
//! m postsynaptic neurons each receive n_in presynaptic neurons (n = m·n_in synapses). Every
//! presynaptic neuron fires with period T. As in the 1:1 reduction (MODEL.md §4) the post
//! neuron's input is reduced to the summed weight W_j = Σ_i w_ij arriving together, so it fires
//! x_j = x*(W_j) after it (Theorem 1, [`crate::model::spike_timing`]). Synapse (i, j) carries a pairing
//! offset d_ij ∈ [0, d_max] (its axonal delay, drawn from the seed): its presynaptic spike is
//! seen d_ij later, so its nearest-neighbour pairs are Δt = x_j − d_ij and Δt − T, and
//!
//! ```text
//! w_ij ← w_ij + η F_ij,   F_ij = Σ_{pairs} B±(w_ij) S(pair)     (B+ for pair > 0, B− else)
//! ```
//!
//! The Jacobian is block diagonal over post neurons; each block is
//! `I + η (D_j + u_j 1ᵀ)` with D_j = diag(∂F/∂w) and u_ij = ∂F/∂Δt · x*'(W_j): the coupling
//! through the shared latency is rank one per post neuron.

use crate::analysis::spectrum::{
    general_eigenvalues, ks_critical_1pct, ks_distance, Backend, Ellipse, Semicircle,
};
use crate::error::{require_non_negative, require_positive, Error, Result};
use crate::model::spike_timing::SpikeTiming;
use crate::model::stdp::{SoftBounds, StdpWindow};
use crate::model::synapse_map::{SynapseModel, SynapseParams};
use nalgebra::DMatrix;

/// Raw parameters of the layer.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LayerParams {
    /// The synapse parameters shared by every synapse (MODEL.md §4 names).
    pub synapse: SynapseParams,
    /// Learning rate η.
    pub eta: f64,
    /// Post neurons m.
    pub posts: usize,
    /// Presynaptic inputs per post neuron n_in.
    pub inputs_per_post: usize,
    /// Largest pairing offset d_max (ms); offsets are uniform in [0, d_max].
    pub d_max_ms: f64,
    /// Seed of the offsets.
    pub seed: u64,
}

/// A validated layer with its drawn offsets.
#[derive(Debug, Clone)]
pub struct Layer {
    params: LayerParams,
    window: StdpWindow,
    bounds: SoftBounds,
    timing: SpikeTiming,
    /// Offsets d_ij (ms), post-major: index j·n_in + i.
    offsets_ms: Vec<f64>,
}

/// The layer's fixed point with the Jacobian of its update map there.
#[derive(Debug, Clone)]
pub struct LayerFixedPoint {
    /// Weights w_ij, post-major.
    pub weights: Vec<f64>,
    /// Post latencies x_j (ms).
    pub latencies_ms: Vec<f64>,
    /// The n × n Jacobian of w ↦ w + η F(w).
    pub jacobian: DMatrix<f64>,
}

/// Grid over the latency range when bracketing a post neuron's fixed latency.
const LATENCY_SCAN_POINTS: usize = 512;

impl Layer {
    /// Validates (synapse parameters as [`SynapseModel::new`], μ > 0 so that F is monotone
    /// in w, η > 0, m, n_in ≥ 1, 0 ≤ d_max < T − τ_m) and draws the offsets.
    pub fn new(params: LayerParams) -> Result<Self> {
        let model = SynapseModel::new(params.synapse)?;
        let p = params.synapse;
        require_positive("mu", p.mu)?;
        require_positive("eta", params.eta)?;
        for (name, v) in [
            ("posts", params.posts),
            ("inputs_per_post", params.inputs_per_post),
        ] {
            if v == 0 {
                return Err(Error::invalid(name, 0.0, ">= 1"));
            }
        }
        require_non_negative("d_max", params.d_max_ms)?;
        if params.d_max_ms >= p.period_ms - p.tau_m_ms {
            return Err(Error::invalid(
                "d_max",
                params.d_max_ms,
                &format!("< T − tau_m = {} ms", p.period_ms - p.tau_m_ms),
            ));
        }
        let n = params.posts * params.inputs_per_post;
        let offsets_ms = {
            use rand::{RngExt, SeedableRng};
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(params.seed);
            (0..n)
                .map(|_| params.d_max_ms * rng.random::<f64>())
                .collect()
        };
        Ok(Self {
            params,
            window: StdpWindow::new(p.a_plus, p.a_minus, p.tau_ms, p.tau_ms)?,
            bounds: SoftBounds::new(p.mu, p.w_max)?,
            timing: *model.timing(),
            offsets_ms,
        })
    }

    /// Number of synapses n = m·n_in.
    pub fn len(&self) -> usize {
        self.offsets_ms.len()
    }

    /// True for an empty layer (never, after validation).
    pub fn is_empty(&self) -> bool {
        self.offsets_ms.is_empty()
    }

    /// F(w, Δt) and its partial derivatives ∂F/∂w, ∂F/∂Δt for the pairs Δt and Δt − T.
    fn drift(&self, w: f64, dt_ms: f64) -> [f64; 3] {
        let (mut f, mut df_dw, mut df_ddt) = (0.0, 0.0, 0.0);
        for pair in [dt_ms, dt_ms - self.params.synapse.period_ms] {
            let (b, db) = if pair > 0.0 {
                (
                    self.bounds.potentiation(w),
                    self.bounds.potentiation_slope(w),
                )
            } else {
                (self.bounds.depression(w), self.bounds.depression_slope(w))
            };
            let s = self.window.value(pair);
            f += b * s;
            df_dw += db * s;
            df_ddt += b * self.window.slope(pair);
        }
        [f, df_dw, df_ddt]
    }

    /// The weight in [0, w_max] with F(w, Δt) = 0 (F decreases in w for μ > 0), by bisection.
    fn balanced_weight(&self, dt_ms: f64) -> f64 {
        let g = |w: f64| self.drift(w, dt_ms)[0];
        crate::analysis::roots::bisect(&g, 0.0, self.params.synapse.w_max)
    }

    /// The fixed point: for each post neuron the latency x with x*(Σ_i w_i(x)) = x, where
    /// w_i(x) balances synapse i at Δt = x − d_i; bracketed on a grid over (0, τ_m] and
    /// bisected. Errors when a post neuron has none (e.g. its balanced weights sum below w_c).
    pub fn fixed_point(&self) -> Result<LayerFixedPoint> {
        let n_in = self.params.inputs_per_post;
        let tau_m = self.timing.tau_m_ms();
        let mut weights = Vec::with_capacity(self.len());
        let mut latencies = Vec::with_capacity(self.params.posts);
        for j in 0..self.params.posts {
            let offsets = &self.offsets_ms[j * n_in..(j + 1) * n_in];
            let total = |x: f64| {
                offsets
                    .iter()
                    .map(|d| self.balanced_weight(x - d))
                    .sum::<f64>()
            };
            let residual = |x: f64| {
                self.timing
                    .spike_time_ms(total(x))
                    .map_or(f64::NAN, |t| t - x)
            };
            let step = tau_m / LATENCY_SCAN_POINTS as f64;
            // The smallest latency that balances (the scan returns decreasing latencies).
            let root =
                crate::analysis::roots::scan_roots(&residual, step, (1, LATENCY_SCAN_POINTS - 1))
                    .last()
                    .copied();
            let Some(x) = root else {
                return Err(Error::Undefined {
                    what: format!("the fixed point of post neuron {j}"),
                    why: format!(
                        "no latency x in (0, tau_m) balances its synapses (x*(Σ w) = x); with \
                         {n_in} inputs per post neuron try theta = {n_in} (each input then \
                         carries the 1:1 synapse's share)"
                    ),
                });
            };
            latencies.push(x);
            weights.extend(offsets.iter().map(|d| self.balanced_weight(x - d)));
        }
        let jacobian = self.jacobian(&weights)?;
        Ok(LayerFixedPoint {
            weights,
            latencies_ms: latencies,
            jacobian,
        })
    }

    /// The update map w ↦ w + η F(w) (post-major weights). Errors when a post neuron is silent.
    pub fn step(&self, weights: &[f64]) -> Result<Vec<f64>> {
        let n_in = self.params.inputs_per_post;
        let mut out = weights.to_vec();
        for (j, block) in weights.chunks(n_in).enumerate() {
            let x = self.latency(j, block)?;
            for (i, &w) in block.iter().enumerate() {
                let dt = x - self.offsets_ms[j * n_in + i];
                out[j * n_in + i] = w + self.params.eta * self.drift(w, dt)[0];
            }
        }
        Ok(out)
    }

    fn latency(&self, j: usize, block: &[f64]) -> Result<f64> {
        let total: f64 = block.iter().sum();
        self.timing
            .spike_time_ms(total)
            .ok_or_else(|| Error::Undefined {
                what: format!("the latency of post neuron {j}"),
                why: format!(
                    "its summed weight {total} is below w_c = {}",
                    self.timing.w_c()
                ),
            })
    }

    /// Exact Jacobian of [`Layer::step`]: per post neuron I + η (diag(∂F/∂w) + u 1ᵀ) with
    /// u_i = ∂F/∂Δt · x*'(W_j).
    pub fn jacobian(&self, weights: &[f64]) -> Result<DMatrix<f64>> {
        let n_in = self.params.inputs_per_post;
        let n = weights.len();
        let eta = self.params.eta;
        let mut jac = DMatrix::<f64>::identity(n, n);
        for (j, block) in weights.chunks(n_in).enumerate() {
            let x = self.latency(j, block)?;
            let total: f64 = block.iter().sum();
            let dx_dw = self
                .timing
                .dspike_dw(total)
                .ok_or_else(|| Error::Undefined {
                    what: format!("dx*/dW of post neuron {j}"),
                    why: "its summed weight sits at the fold w_c".into(),
                })?;
            let base = j * n_in;
            for (i, &w) in block.iter().enumerate() {
                let [_, df_dw, df_ddt] = self.drift(w, x - self.offsets_ms[base + i]);
                for k in 0..n_in {
                    jac[(base + i, base + k)] += eta * df_ddt * dx_dw;
                }
                jac[(base + i, base + i)] += eta * df_dw;
            }
        }
        Ok(jac)
    }

    /// The poster's λ1 for this layer, in flow convention (map multiplier − 1): η F'(w*) of
    /// the 1:1 synapse that the layer reduces to when every offset is 0 — the same synapse
    /// with threshold θ/n_in (x* depends on θ/W only, and W = n_in w). With all offsets 0 each
    /// block has exactly one eigenvalue λ1 (the collective mode through the shared latency)
    /// and n_in − 1 eigenvalues η ∂F/∂w (latency held).
    pub fn lambda1(&self) -> Result<f64> {
        let mut share = self.params.synapse;
        share.theta /= self.params.inputs_per_post as f64;
        let model = SynapseModel::new(share)?;
        let fp = model
            .fixed_points()
            .into_iter()
            .next()
            .ok_or_else(|| Error::Undefined {
                what: "λ1".into(),
                why: "the equivalent 1:1 synapse has no fixed point".into(),
            })?;
        Ok(self.params.eta * fp.d_f_dw)
    }
}

/// The layer's Jacobian spectrum against the poster's prediction (MODEL.md §7).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SpectrumComparison {
    /// Eigenvalues of J − I (flow convention), by decreasing modulus.
    pub eigenvalues: Vec<crate::analysis::fixed_points::Eigenvalue>,
    /// The predicted semicircle: centre λ1, variance = Var(diagonal of J − I) + n_in ×
    /// Var(its in-block off-diagonal entries) (the components' variances summed, as free
    /// additive convolution of semicircles prescribes).
    pub predicted: Semicircle,
    /// KS distance of the real parts to the predicted semicircle.
    pub ks_semicircle: f64,
    /// KS distance to the same semicircle re-centred at the eigenvalues' mean (shape only).
    pub ks_semicircle_recentred: f64,
    /// The elliptic law fitted to J − I, and the KS distance of the scaled radii to it.
    pub ellipse: Ellipse,
    /// KS distance to the elliptic/circular law.
    pub ks_ellipse: f64,
    /// The 1 % KS critical value for this many eigenvalues.
    pub ks_critical_1pct: f64,
    /// Mean of the real parts.
    pub mean_real: f64,
    /// Largest |imaginary part|.
    pub max_imag: f64,
}

/// Computes the fixed point, its Jacobian's spectrum and the comparison with the laws.
pub fn compare_with_laws(layer: &Layer, backend: Backend) -> Result<SpectrumComparison> {
    let fp = layer.fixed_point()?;
    let n = layer.len();
    let flow = &fp.jacobian - DMatrix::<f64>::identity(n, n);
    let eigenvalues = general_eigenvalues(&flow, backend)?;
    let n_in = layer.params.inputs_per_post;
    let diagonal: Vec<f64> = flow.diagonal().iter().copied().collect();
    let off: Vec<f64> = (0..n)
        .flat_map(|r| {
            let block = r / n_in;
            (block * n_in..(block + 1) * n_in)
                .filter(move |&c| c != r)
                .map(move |c| (r, c))
        })
        .map(|(r, c)| flow[(r, c)])
        .collect();
    let variance = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / v.len().max(1) as f64;
        v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / v.len().max(1) as f64
    };
    let predicted = Semicircle {
        centre: layer.lambda1()?,
        variance: variance(&diagonal) + n_in as f64 * variance(&off),
    };
    let real: Vec<f64> = eigenvalues.iter().map(|e| e.re).collect();
    let mean_real = real.iter().sum::<f64>() / n as f64;
    let recentred = Semicircle {
        centre: mean_real,
        ..predicted
    };
    let ellipse = Ellipse::fit(&flow);
    Ok(SpectrumComparison {
        ks_semicircle: ks_distance(&real, |x| predicted.cdf(x)),
        ks_semicircle_recentred: ks_distance(&real, |x| recentred.cdf(x)),
        ks_ellipse: ellipse.ks_distance(&eigenvalues),
        ks_critical_1pct: ks_critical_1pct(n),
        max_imag: eigenvalues.iter().fold(0.0, |m, e| m.max(e.im.abs())),
        mean_real,
        predicted,
        ellipse,
        eigenvalues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::system::central_difference;
    use proptest::prelude::*;

    fn layer(posts: usize, n_in: usize, d_max: f64, seed: u64) -> Layer {
        Layer::new(LayerParams {
            synapse: SynapseParams {
                period_ms: 12.0,
                ..SynapseParams::default()
            },
            eta: 0.05,
            posts,
            inputs_per_post: n_in,
            d_max_ms: d_max,
            seed,
        })
        .unwrap()
    }

    #[test]
    fn fixed_point_is_a_fixed_point_of_the_map() {
        let l = layer(3, 4, 1.0, 5);
        let fp = l.fixed_point().unwrap();
        let next = l.step(&fp.weights).unwrap();
        for (a, b) in fp.weights.iter().zip(&next) {
            assert!((a - b).abs() < 1e-9, "{a} → {b}");
        }
    }

    #[test]
    fn without_offsets_each_block_has_lambda1_once() {
        // d_max = 0: every synapse of a post neuron is identical; the block I + η(D + u 1ᵀ)
        // has the collective eigenvalue 1 + λ1 once and 1 + η ∂F/∂w (n_in − 1) times.
        let (posts, n_in) = (2, 5);
        let l = Layer::new(LayerParams {
            synapse: SynapseParams {
                theta: 5.0,
                ..SynapseParams::default()
            },
            eta: 0.05,
            posts,
            inputs_per_post: n_in,
            d_max_ms: 0.0,
            seed: 1,
        })
        .unwrap();
        let fp = l.fixed_point().unwrap();
        let values = crate::analysis::spectrum::general_eigenvalues(
            &fp.jacobian,
            crate::analysis::spectrum::Backend::Nalgebra,
        )
        .unwrap();
        let lambda1 = l.lambda1().unwrap();
        let near = |target: f64| {
            values
                .iter()
                .filter(|e| (e.re - 1.0 - target).abs() < 1e-9 && e.im.abs() < 1e-9)
                .count()
        };
        assert_eq!(near(lambda1), posts, "λ1 = {lambda1}, {values:?}");
        let held = l.params.eta * l.drift(fp.weights[0], fp.latencies_ms[0])[1];
        assert_eq!(near(held), posts * (n_in - 1), "{values:?}");
    }

    #[test]
    fn bad_layers_are_refused() {
        let base = LayerParams {
            synapse: SynapseParams::default(),
            eta: 0.05,
            posts: 2,
            inputs_per_post: 2,
            d_max_ms: 1.0,
            seed: 0,
        };
        assert!(Layer::new(LayerParams { posts: 0, ..base }).is_err());
        assert!(Layer::new(LayerParams {
            d_max_ms: -1.0,
            ..base
        })
        .is_err());
        assert!(Layer::new(LayerParams {
            d_max_ms: 5.0,
            ..base
        })
        .is_err());
        assert!(Layer::new(LayerParams { eta: 0.0, ..base }).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn jacobian_matches_finite_differences(
            posts in 1usize..4, n_in in 1usize..5, d_max in 0.0..2.0_f64, seed in 0u64..1000,
            jitter in prop::collection::vec(-0.05..0.05_f64, 16),
        ) {
            let l = layer(posts, n_in, d_max, seed);
            let fp = l.fixed_point();
            // Layers without a fixed point are skipped; proptest fails if too many are.
            prop_assume!(fp.is_ok());
            let fp = fp.unwrap();
            // Away from the fixed point too: perturb the weights a little.
            let w: Vec<f64> = fp.weights.iter().enumerate().map(|(k, w)| w + jitter[k % 16]).collect();
            // The window jumps from −A− to +A+ at Δt = 0 (MODEL.md §3): where a synapse's
            // Δt = x_j − d_ij sits within a hair of it, differences straddle the jump and
            // mean nothing. Such states are skipped (proptest fails if too many are).
            let clear_of_jump = w.chunks(n_in).enumerate().all(|(j, block)| {
                l.latency(j, block).is_ok_and(|x| {
                    l.offsets_ms[j * n_in..(j + 1) * n_in]
                        .iter()
                        .all(|d| (x - d).abs() > 1e-3)
                })
            });
            prop_assume!(clear_of_jump);
            let analytic = l.jacobian(&w).unwrap();
            let n = w.len();
            let mut numeric = vec![0.0; n * n];
            central_difference(n, &w, &mut numeric, |x, out| {
                out.copy_from_slice(&l.step(x).unwrap());
            });
            for r in 0..n {
                for c in 0..n {
                    let (a, b) = (analytic[(r, c)], numeric[r * n + c]);
                    prop_assert!((a - b).abs() <= 1e-6 * (1.0 + a.abs()), "({r},{c}): {a} vs {b}");
                }
            }
        }
    }
}
