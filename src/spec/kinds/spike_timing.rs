//! `kind: "spike_timing"`: the spike time against the weight.

use super::QuickSizes;
use crate::analysis::Grid;
use crate::error::{require_positive, Error, Result};
use crate::model::spike_timing::SpikeTiming;
use crate::spec::plan::{PlanKind, SpikeTimingPlan};

spec_body! {
    /// `kind: "spike_timing"` — spike time against w: Lambert W, quadratic, Taylor-N, simulated LIF.
    pub struct SpikeTimingSpec {
        /// Kernel gain k.
        #[serde(default = "one")]
        pub k: f64,
        /// Threshold θ.
        #[serde(default = "one")]
        pub theta: f64,
        /// Membrane time constant τ_m (ms).
        #[serde(default = "two")]
        pub tau_m: f64,
        /// Sweep from `w_from · w_c` ...
        pub w_from_wc: f64,
        /// ... to `w_to · w_c`.
        pub w_to_wc: f64,
        /// Number of weights.
        pub points: usize,
        /// Taylor orders to draw (1 is the quadratic Q-spike form).
        pub taylor_orders: Vec<usize>,
        /// Synaptic time constants (ms) of the simulated LIF besides τ_s = τ_m.
        pub tau_s: Vec<f64>,
        /// Simulation step (ms).
        pub dt: f64,
    }
}

fn one() -> f64 {
    1.0
}
fn two() -> f64 {
    2.0
}

impl SpikeTimingSpec {
    /// Validates into a plan body, with `q` overriding sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let timing = SpikeTiming::new(s.k, s.theta, s.tau_m)?;
        let w_c = timing.w_c();
        require_positive("w_from_wc", s.w_from_wc)?;
        let weights = Grid::linspace(
            "w",
            s.w_from_wc * w_c,
            s.w_to_wc * w_c,
            q.points.unwrap_or(s.points),
        )?;
        for &tau_s in &s.tau_s {
            require_positive("tau_s", tau_s)?;
        }
        require_positive("dt", s.dt)?;
        if let Some(&n) = s
            .taylor_orders
            .iter()
            .find(|&&n| n > crate::model::spike_timing::MAX_TAYLOR_ORDER)
        {
            return Err(Error::invalid(
                "taylor_orders",
                n as f64,
                &format!("each <= {}", crate::model::spike_timing::MAX_TAYLOR_ORDER),
            ));
        }
        Ok(PlanKind::SpikeTiming(SpikeTimingPlan {
            timing,
            weights,
            taylor_orders: s.taylor_orders.clone(),
            tau_s_ms: s.tau_s.clone(),
            dt_ms: s.dt,
        }))
    }
}
