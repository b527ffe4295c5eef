//! `kind: "stdp_window"`: the STDP window S(Δt).

use super::QuickSizes;
use crate::analysis::Grid;
use crate::error::{require_positive, Result};
use crate::model::stdp::StdpWindow;
use crate::spec::plan::{PlanKind, StdpWindowPlan};

spec_body! {
    /// `kind: "stdp_window"` — the window S(Δt).
    pub struct StdpWindowSpec {
        /// A+.
        pub a_plus: f64,
        /// A−.
        pub a_minus: f64,
        /// τ± (ms).
        pub tau: f64,
        /// Draw Δt over [−range_ms, range_ms].
        pub range_ms: f64,
        /// Number of points.
        pub points: usize,
    }
}

impl StdpWindowSpec {
    /// Validates into a plan body, with `q` overriding sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let window = StdpWindow::new(self.a_plus, self.a_minus, self.tau, self.tau)?;
        require_positive("range_ms", self.range_ms)?;
        let dt = Grid::linspace(
            "dt",
            -self.range_ms,
            self.range_ms,
            q.points.unwrap_or(self.points),
        )?;
        Ok(PlanKind::StdpWindow(StdpWindowPlan { window, dt }))
    }
}
