//! Building synapses: from a list, dense (all-to-all), one-to-one, all-but-self, random and
//! receptive-field projections, all into the one delay-ordered store.

use super::store::{
    block_of, even_bounds, DueSegments, PostScratch, SlotIndex, SynapseSpec, Synapses,
};
use crate::error::{require_finite, Error, Result};
use crate::sim::plasticity::NEVER;
use std::collections::VecDeque;

impl Synapses {
    /// From (pre, post, weight, delay) synapses: indices checked, weights finite, each pair
    /// at most once.
    pub fn from_list(n_pre: usize, n_post: usize, mut synapses: Vec<SynapseSpec>) -> Result<Self> {
        if n_post > u32::MAX as usize || n_pre > u32::MAX as usize {
            return Err(Error::invalid(
                "neurons",
                n_pre.max(n_post) as f64,
                "< 2^32",
            ));
        }
        for &(i, j, w, _) in &synapses {
            if i >= n_pre || j >= n_post {
                return Err(Error::invalid(
                    "synapse index",
                    (if i >= n_pre { i } else { j }) as f64,
                    &format!("pre < {n_pre} and post < {n_post}"),
                ));
            }
            require_finite("weight", w)?;
        }
        let bounds = even_bounds(n_post);
        let blocks = bounds.len() - 1;
        let block = |j: usize| block_of(&bounds, j);
        synapses.sort_by_key(|&(i, j, _, d)| (block(j), i, d, j));
        // Each presynaptic neuron's synapses are contiguous now (delays may differ): the last
        // presynaptic neuron seen onto each target finds a pair listed twice.
        let mut last_pre = vec![usize::MAX; n_post];
        for &(i, j, _, _) in &synapses {
            if last_pre[j] == i {
                return Err(Error::invalid(
                    "synapse",
                    j as f64,
                    &format!("listed once per pair (pre {i} twice onto it)"),
                ));
            }
            last_pre[j] = i;
        }
        let mut row_start = vec![0usize; blocks * n_pre + 1];
        for &(i, j, _, _) in &synapses {
            row_start[block(j) * n_pre + i + 1] += 1;
        }
        for r in 0..blocks * n_pre {
            row_start[r + 1] += row_start[r];
        }
        let mut s = Self {
            n_pre,
            n_post,
            row_start,
            block_bounds: bounds.clone(),
            w: synapses.iter().map(|s| s.2).collect(),
            target: synapses.iter().map(|s| s.1 as u32).collect(),
            delay_steps: synapses.iter().map(|s| s.3).collect(),
            settled_emission: vec![NEVER; n_pre],
            in_flight: VecDeque::new(),
            index: SlotIndex::default(),
            post_scratch: PostScratch::default(),
            due: DueSegments::default(),
        };
        s.prepare();
        Ok(s)
    }

    /// All-to-all from row-major weights and delays (`[i * n_post + j]`).
    pub fn dense(n_pre: usize, n_post: usize, w: Vec<f64>, delay_steps: Vec<u16>) -> Result<Self> {
        if w.len() != n_pre * n_post || delay_steps.len() != n_pre * n_post {
            return Err(Error::invalid(
                "weights",
                w.len() as f64,
                &format!("{n_pre} × {n_post} weights and delays"),
            ));
        }
        let list = (0..n_pre * n_post)
            .map(|k| (k / n_post, k % n_post, w[k], delay_steps[k]))
            .collect();
        Self::from_list(n_pre, n_post, list)
    }

    /// Neuron i → neuron i.
    pub fn one_to_one(n: usize, w: f64, delay: u16) -> Result<Self> {
        Self::from_list(n, n, (0..n).map(|i| (i, i, w, delay)).collect())
    }

    /// Neuron i → every neuron j ≠ i (lateral inhibition).
    pub fn all_but_self(n: usize, w: f64, delay: u16) -> Result<Self> {
        let list = (0..n)
            .flat_map(|i| {
                (0..n)
                    .filter(move |&j| j != i)
                    .map(move |j| (i, j, w, delay))
            })
            .collect();
        Self::from_list(n, n, list)
    }

    /// Each pair (i, j) connected with probability p (one draw per pair from `seed`), weight
    /// `w`, delay uniform in 0..=max_delay steps.
    pub fn random(
        n_pre: usize,
        n_post: usize,
        p: f64,
        w: f64,
        max_delay: u16,
        seed: u64,
    ) -> Result<Self> {
        use rand::{RngExt, SeedableRng};
        if !(0.0..=1.0).contains(&p) {
            return Err(Error::invalid("connection probability", p, "in [0, 1]"));
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut list = Vec::new();
        for i in 0..n_pre {
            for j in 0..n_post {
                let connect = rng.random::<f64>() < p;
                let delay = rng.random_range(0..=max_delay);
                if connect {
                    list.push((i, j, w, delay));
                }
            }
        }
        Self::from_list(n_pre, n_post, list)
    }

    /// Receptive fields over a `width × height` input (row-major pixels): target (r, c) of the
    /// output grid sees the k × k patch whose top-left pixel is (r·stride, c·stride).
    pub fn receptive_fields(
        width: usize,
        height: usize,
        k: usize,
        stride: usize,
        w: f64,
        delay: u16,
    ) -> Result<Self> {
        let patches = receptive_field_patches(width, height, k, stride)?;
        let list = patches
            .iter()
            .enumerate()
            .flat_map(|(target, pixels)| pixels.iter().map(move |&p| (p, target, w, delay)))
            .collect();
        Self::from_list(width * height, patches.len(), list)
    }
}

/// The pixels (row-major indices of a `width × height` input) each receptive field of a k × k
/// kernel with `stride` sees, by output position (row-major over the output grid).
pub fn receptive_field_patches(
    width: usize,
    height: usize,
    k: usize,
    stride: usize,
) -> Result<Vec<Vec<usize>>> {
    if k == 0 || stride == 0 || k > width || k > height {
        return Err(Error::invalid(
            "receptive field",
            k as f64,
            &format!(
                "1 <= k <= min(width, height) = {} with stride >= 1",
                width.min(height)
            ),
        ));
    }
    let (out_w, out_h) = ((width - k) / stride + 1, (height - k) / stride + 1);
    Ok((0..out_h)
        .flat_map(|r| (0..out_w).map(move |c| (r, c)))
        .map(|(r, c)| {
            (0..k)
                .flat_map(|dr| (0..k).map(move |dc| (r * stride + dr) * width + c * stride + dc))
                .collect()
        })
        .collect())
}
