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

/// Pair-based STDP of MODEL.md §3 with nearest-spike traces: a presynaptic trace (τ+) and the
/// postsynaptic trace `post1` (τ−), both set to 1 at their spikes. On a presynaptic arrival
/// `w ← clip(w − A− B−(w) post1)`, on a postsynaptic spike `w ← clip(w + A+ B+(w) pre)`, so one
/// pair Δt = t_post − t_pre changes w by the window value S(Δt) (times the soft bound).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PairStdp {
    /// Potentiation amplitude A+.
    pub a_plus: f64,
    /// Depression amplitude A−.
    pub a_minus: f64,
    /// Soft bounds B±(w) (μ = 0: additive).
    pub bounds: crate::model::stdp::SoftBounds,
    /// Lower clip of the weight.
    pub w_min: f64,
    /// Upper clip of the weight.
    pub w_max: f64,
}

impl Plasticity for PairStdp {
    fn on_pre(&self, w: f64, post1: f64) -> f64 {
        clip(
            w - self.a_minus * self.bounds.depression(w) * post1,
            self.w_min,
            self.w_max,
        )
    }

    fn on_post(&self, w: f64, pre: f64, _post2_before: f64) -> f64 {
        clip(
            w + self.a_plus * self.bounds.potentiation(w) * pre,
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
    use crate::model::stdp::{SoftBounds, StdpWindow};

    #[test]
    fn pair_rule_changes_w_by_the_window_value() {
        let window = StdpWindow::new(0.01, 0.012, 20.0, 30.0).unwrap();
        let additive = PairStdp {
            a_plus: 0.01,
            a_minus: 0.012,
            bounds: SoftBounds::new(0.0, 1.0).unwrap(),
            w_min: -10.0,
            w_max: 10.0,
        };
        for dt in [1.0, 7.5, 40.0] {
            // Pre then post: the pre trace at the post spike is e^{−Δt/τ+}.
            let w = additive.on_post(0.4, (-dt / 20.0_f64).exp(), 0.0);
            assert!((w - 0.4 - window.value(dt)).abs() < 1e-15, "Δt = {dt}");
            // Post then pre: the post trace at the arrival is e^{−|Δt|/τ−}.
            let w = additive.on_pre(0.4, (-dt / 30.0_f64).exp());
            assert!((w - 0.4 - window.value(-dt)).abs() < 1e-15, "Δt = −{dt}");
        }
        // Multiplicative soft bounds (μ = 1, w_max = 1): potentiation × (1 − w), depression × w.
        let soft = PairStdp {
            bounds: SoftBounds::new(1.0, 1.0).unwrap(),
            ..additive
        };
        let pre = (-5.0 / 20.0_f64).exp();
        assert!((soft.on_post(0.25, pre, 0.0) - (0.25 + 0.75 * window.value(5.0))).abs() < 1e-15);
        // Clipping.
        let clipped = PairStdp {
            w_min: 0.0,
            w_max: 0.401,
            ..additive
        };
        assert!((clipped.on_post(0.4, 1.0, 0.0) - 0.401).abs() < 1e-15);
    }

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
