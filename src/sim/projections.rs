//! Sparse projections with per-synapse delays (NETWORKS.md §1): random (connection
//! probability p), receptive fields (each target sees a k × k patch of a 2-D input, with
//! stride), one-to-one and all-but-self, stored as compressed rows (one row per presynaptic
//! neuron), and the ring buffer that holds charges in flight until their arrival step.
//!
//! The dense input projection of the Diehl & Cook network keeps its own delay-ordered layout
//! ([`crate::sim::DelayedDense`]), which is its hot path.

use crate::error::{require_finite, Error, Result};

/// Synapses as compressed rows: the synapses of presynaptic neuron i are
/// `row_start[i]..row_start[i + 1]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SparseProjection {
    n_pre: usize,
    n_post: usize,
    row_start: Vec<usize>,
    target: Vec<u32>,
    weight: Vec<f64>,
    delay_steps: Vec<u16>,
}

impl SparseProjection {
    /// From (pre, post, weight, delay in steps) synapses; indices are checked, weights must be
    /// finite; rows are sorted by target.
    pub fn from_synapses(
        n_pre: usize,
        n_post: usize,
        mut synapses: Vec<(usize, usize, f64, u16)>,
    ) -> Result<Self> {
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
        synapses.sort_by_key(|&(i, j, _, _)| (i, j));
        let mut row_start = vec![0usize; n_pre + 1];
        for &(i, _, _, _) in &synapses {
            row_start[i + 1] += 1;
        }
        for i in 0..n_pre {
            row_start[i + 1] += row_start[i];
        }
        Ok(Self {
            n_pre,
            n_post,
            row_start,
            target: synapses.iter().map(|s| s.1 as u32).collect(),
            weight: synapses.iter().map(|s| s.2).collect(),
            delay_steps: synapses.iter().map(|s| s.3).collect(),
        })
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
        let mut synapses = Vec::new();
        for i in 0..n_pre {
            for j in 0..n_post {
                let connect = rng.random::<f64>() < p;
                let delay = rng.random_range(0..=max_delay);
                if connect {
                    synapses.push((i, j, w, delay));
                }
            }
        }
        Self::from_synapses(n_pre, n_post, synapses)
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
        let mut synapses = Vec::with_capacity(out_w * out_h * k * k);
        for r in 0..out_h {
            for c in 0..out_w {
                let target = r * out_w + c;
                for dr in 0..k {
                    for dc in 0..k {
                        let pixel = (r * stride + dr) * width + c * stride + dc;
                        synapses.push((pixel, target, w, delay));
                    }
                }
            }
        }
        Self::from_synapses(width * height, out_w * out_h, synapses)
    }

    /// Neuron i → neuron i.
    pub fn one_to_one(n: usize, w: f64, delay: u16) -> Result<Self> {
        Self::from_synapses(n, n, (0..n).map(|i| (i, i, w, delay)).collect())
    }

    /// Neuron i → every neuron j ≠ i (lateral inhibition).
    pub fn all_but_self(n: usize, w: f64, delay: u16) -> Result<Self> {
        let synapses = (0..n)
            .flat_map(|i| {
                (0..n)
                    .filter(move |&j| j != i)
                    .map(move |j| (i, j, w, delay))
            })
            .collect();
        Self::from_synapses(n, n, synapses)
    }

    /// Number of synapses.
    pub fn len(&self) -> usize {
        self.target.len()
    }

    /// True without synapses.
    pub fn is_empty(&self) -> bool {
        self.target.is_empty()
    }

    /// (presynaptic, postsynaptic) sizes.
    pub fn shape(&self) -> (usize, usize) {
        (self.n_pre, self.n_post)
    }

    /// The synapses of presynaptic neuron `i` as (target, weight, delay steps).
    pub fn row(&self, i: usize) -> impl Iterator<Item = (usize, f64, u16)> + '_ {
        let range = self.row_start[i]..self.row_start[i + 1];
        range.map(move |s| (self.target[s] as usize, self.weight[s], self.delay_steps[s]))
    }

    /// The largest delay (steps), to size a [`DelayRing`].
    pub fn max_delay(&self) -> u16 {
        self.delay_steps.iter().copied().max().unwrap_or(0)
    }

    /// A spike of presynaptic neuron `i` now: each synapse's weight is put in flight to arrive
    /// after its delay. Errors when the ring is too short or too narrow for this projection.
    pub fn emit(&self, i: usize, ring: &mut DelayRing) -> Result<()> {
        for (j, w, d) in self.row(i) {
            ring.add(d, j, w)?;
        }
        Ok(())
    }
}

/// Charges in flight per target, by arrival step (a ring of max_delay + 1 slots).
#[derive(Debug, Clone, PartialEq)]
pub struct DelayRing {
    slots: Vec<Vec<f64>>,
    head: usize,
}

impl DelayRing {
    /// A ring for `n_post` targets and delays up to `max_delay` steps.
    pub fn new(n_post: usize, max_delay: u16) -> Self {
        Self {
            slots: vec![vec![0.0; n_post]; max_delay as usize + 1],
            head: 0,
        }
    }

    /// A ring sized for `projection` (its targets and largest delay).
    pub fn for_projection(projection: &SparseProjection) -> Self {
        Self::new(projection.shape().1, projection.max_delay())
    }

    /// Adds charge `q` for target `j`, arriving `delay` steps from now (0: this step). A delay
    /// beyond the ring or a target outside it is an error, never a wrapped-around arrival.
    pub fn add(&mut self, delay: u16, j: usize, q: f64) -> Result<()> {
        let len = self.slots.len();
        if delay as usize >= len || j >= self.slots[0].len() {
            return Err(Error::invalid(
                "delay",
                delay as f64,
                &format!("< {len} steps for a target < {}", self.slots[0].len()),
            ));
        }
        self.slots[(self.head + delay as usize) % len][j] += q;
        Ok(())
    }

    /// Moves the charges arriving this step into `arrivals` (added) and advances one step.
    pub fn advance(&mut self, arrivals: &mut [f64]) {
        let now = &mut self.slots[self.head];
        for (a, q) in arrivals.iter_mut().zip(now.iter_mut()) {
            *a += *q;
            *q = 0.0;
        }
        self.head = (self.head + 1) % self.slots.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_arrive_exactly_after_their_delay() {
        let proj = SparseProjection::from_synapses(
            2,
            3,
            vec![(0, 1, 0.5, 3), (0, 2, 0.25, 0), (1, 1, 2.0, 1)],
        )
        .unwrap();
        let mut ring = DelayRing::for_projection(&proj);
        let mut arrivals_per_step = Vec::new();
        for step in 0..6 {
            if step == 1 {
                proj.emit(0, &mut ring).unwrap();
                proj.emit(1, &mut ring).unwrap();
            }
            let mut arrivals = vec![0.0; 3];
            ring.advance(&mut arrivals);
            arrivals_per_step.push(arrivals);
        }
        assert_eq!(arrivals_per_step[1], vec![0.0, 0.0, 0.25]); // delay 0: same step
        assert_eq!(arrivals_per_step[2], vec![0.0, 2.0, 0.0]); // delay 1
        assert_eq!(arrivals_per_step[4], vec![0.0, 0.5, 0.0]); // delay 3
        let total: f64 = arrivals_per_step.iter().flatten().sum();
        assert!((total - 2.75).abs() < 1e-15);
        // A ring too short for a delay refuses it instead of wrapping around.
        assert!(DelayRing::new(3, 2).add(3, 0, 1.0).is_err());
        assert!(DelayRing::new(3, 2).add(0, 3, 1.0).is_err());
        assert!(SparseProjection::from_synapses(2, 3, vec![(2, 0, 1.0, 0)]).is_err());
        assert!(SparseProjection::from_synapses(2, 3, vec![(0, 0, f64::NAN, 0)]).is_err());
    }

    #[test]
    fn receptive_fields_see_their_patch() {
        // 6 × 4 input, k = 3, stride 1: a 4 × 2 output grid, 9 sources each.
        let proj = SparseProjection::receptive_fields(6, 4, 3, 1, 1.0, 0).unwrap();
        assert_eq!(proj.shape(), (24, 8));
        let mut sources = vec![Vec::new(); 8];
        for i in 0..24 {
            for (j, _, _) in proj.row(i) {
                sources[j].push(i);
            }
        }
        assert!(sources.iter().all(|s| s.len() == 9));
        // Target (1, 2) (index 1·4 + 2 = 6): rows 1..4, columns 2..5 of the input.
        let expected: Vec<usize> = (1..4)
            .flat_map(|r| (2..5).map(move |c| r * 6 + c))
            .collect();
        assert_eq!(sources[6], expected);
        // Stride 2 over 28 × 28 with k = 4: 13 × 13 targets.
        assert_eq!(
            SparseProjection::receptive_fields(28, 28, 4, 2, 1.0, 0)
                .unwrap()
                .shape()
                .1,
            169
        );
        assert!(SparseProjection::receptive_fields(4, 4, 5, 1, 1.0, 0).is_err());
    }

    #[test]
    fn random_one_to_one_and_all_but_self_have_their_structure() {
        let (n_pre, n_post, p) = (200, 150, 0.1);
        let proj = SparseProjection::random(n_pre, n_post, p, 1.0, 5, 9).unwrap();
        let pairs = (n_pre * n_post) as f64;
        let expected = p * pairs;
        // Four binomial standard deviations.
        let sd = (pairs * p * (1.0 - p)).sqrt();
        assert!(
            (proj.len() as f64 - expected).abs() < 4.0 * sd,
            "{}",
            proj.len()
        );
        assert!((0..n_pre).all(|i| proj.row(i).all(|(_, _, d)| d <= 5)));
        let one = SparseProjection::one_to_one(5, 10.4, 0).unwrap();
        assert!((0..5).all(|i| proj_targets(&one, i) == vec![i]));
        let lateral = SparseProjection::all_but_self(5, 17.0, 0).unwrap();
        assert_eq!(lateral.len(), 20);
        assert!((0..5).all(|i| !proj_targets(&lateral, i).contains(&i)));
        assert!(SparseProjection::random(2, 2, 1.5, 1.0, 0, 0).is_err());
    }

    fn proj_targets(p: &SparseProjection, i: usize) -> Vec<usize> {
        p.row(i).map(|(j, _, _)| j).collect()
    }
}
