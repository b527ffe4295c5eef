//! Plasticity rules as plug-ins of the synapse update (NETWORKS.md §1). A rule sees the events
//! of one synapse — a presynaptic arrival, a postsynaptic spike — with the traces it needs and
//! returns the new weight; the simulator's loop stays the same for every rule (variable
//! plasticity, flipping and attribution of MODEL.md §5-6 are further implementations).

/// A synaptic plasticity rule driven by traces.
pub trait Plasticity: Sync + Send {
    /// New weight after a presynaptic spike arrives at the synapse, given the postsynaptic
    /// neuron's trace `post1` at that moment.
    fn on_pre(&self, w: f64, post1: f64) -> f64;
    /// New weight after the postsynaptic neuron spikes, given the synapse's presynaptic trace
    /// `pre` and the postsynaptic slow trace `post2` just before the spike.
    fn on_post(&self, w: f64, pre: f64, post2_before: f64) -> f64;
}

/// The triplet STDP of Diehl & Cook's reference code (NETWORKS.md §2): on a presynaptic
/// arrival `w ← clip(w − ν_pre·post1)`, on a postsynaptic spike
/// `w ← clip(w + ν_post·pre·post2_before)`; traces are set to 1 at their spikes.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TripletStdp {
    /// Depression rate ν_pre.
    pub nu_pre: f64,
    /// Potentiation rate ν_post.
    pub nu_post: f64,
    /// Lower clip of the weight.
    pub w_min: f64,
    /// Upper clip of the weight.
    pub w_max: f64,
}

impl Plasticity for TripletStdp {
    fn on_pre(&self, w: f64, post1: f64) -> f64 {
        clip(w - self.nu_pre * post1, self.w_min, self.w_max)
    }

    fn on_post(&self, w: f64, pre: f64, post2_before: f64) -> f64 {
        clip(
            w + self.nu_post * pre * post2_before,
            self.w_min,
            self.w_max,
        )
    }
}

/// Clips `w` to [lo, hi] with plain comparisons (no NaN bookkeeping, no `lo <= hi` assert:
/// the hot path of every synaptic event).
#[inline]
fn clip(w: f64, lo: f64, hi: f64) -> f64 {
    if w < lo {
        lo
    } else if w > hi {
        hi
    } else {
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pair_update_matches_the_reference_rule() {
        // Pre at 0 ms, post at 10 ms (τ_pre = 20 ms): pre trace e^{−0.5}; post2 before the
        // first post spike is 0, so the reference rule potentiates only from the 2nd post spike.
        let rule = TripletStdp {
            nu_pre: 1e-4,
            nu_post: 1e-2,
            w_min: 0.0,
            w_max: 1.0,
        };
        let pre = (-10.0f64 / 20.0).exp();
        assert!((rule.on_post(0.5, pre, 0.0) - 0.5).abs() < 1e-15);
        let post2 = (-5.0f64 / 40.0).exp(); // second post spike 5 ms after the first
        let expected = 0.5 + 1e-2 * pre * post2;
        assert!((rule.on_post(0.5, pre, post2) - expected).abs() < 1e-15);
        // Depression at an arrival 4 ms after a post spike (τ_post1 = 20 ms).
        let post1 = (-4.0f64 / 20.0).exp();
        assert!((rule.on_pre(0.5, post1) - (0.5 - 1e-4 * post1)).abs() < 1e-15);
        // Clipping.
        assert!((rule.on_pre(0.0, 1.0)).abs() < 1e-300);
        assert!((rule.on_post(1.0, 1.0, 1.0) - 1.0).abs() < 1e-15);
    }
}
