//! Validated plans: what a job runs, with every value checked.

use super::kinds::SpectrumMatrix;
use crate::analysis::continuation::ContinuationOptions;
use crate::analysis::lyapunov::LyapunovOptions;
use crate::analysis::orbit::OrbitOptions;
use crate::analysis::spectrum::Backend;
use crate::analysis::Grid;
use crate::params::ParamSet;
use crate::plasticity::StdpWindow;
use crate::qspike::QSpikeParams;

/// A validated spec, ready to run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Output name.
    pub name: String,
    /// One sentence on what it shows.
    pub description: String,
    /// What to compute.
    pub kind: PlanKind,
}

/// The validated, kind-specific part of a plan.
#[derive(Debug, Clone)]
pub enum PlanKind {
    /// Spike time against w.
    SpikeTiming {
        /// Kernel parameters.
        timing: QSpikeParams,
        /// Absolute weights.
        weights: Grid,
        /// Taylor orders.
        taylor_orders: Vec<usize>,
        /// Synaptic time constants of the simulated LIF besides τ_m (ms).
        tau_s_ms: Vec<f64>,
        /// Simulation step (ms).
        dt_ms: f64,
    },
    /// The STDP window.
    StdpWindow {
        /// The window.
        window: StdpWindow,
        /// Δt values (ms).
        dt: Grid,
    },
    /// F(w) with fixed points.
    SynapseMap {
        /// Synapse parameters.
        params: ParamSet,
        /// Number of weights drawn.
        points: usize,
    },
    /// Orbit diagram.
    Orbit {
        /// System parameters.
        params: ParamSet,
        /// The swept parameter's values.
        grid: Grid,
        /// Orbit settings.
        orbit: OrbitOptions,
        /// λ panel settings.
        lyapunov: Option<LyapunovOptions>,
        /// Starting state override.
        x0: Option<Vec<f64>>,
    },
    /// Continuation of a fixed point over one parameter.
    Continuation {
        /// System parameters.
        params: ParamSet,
        /// The orbit diagram's parameter values (maps).
        grid: Grid,
        /// Orbit diagram settings.
        orbit: OrbitOptions,
        /// Continuation settings.
        options: ContinuationOptions,
        /// Starting guess override.
        x0: Option<Vec<f64>>,
    },
    /// Eigenvalue spectrum against the random-matrix laws.
    Spectrum {
        /// The matrix.
        matrix: SpectrumMatrix,
        /// Seed.
        seed: u64,
        /// Eigenvalue backend.
        backend: Backend,
    },
    /// Lyapunov heatmap.
    Heatmap {
        /// System parameters.
        params: ParamSet,
        /// Horizontal grid.
        x: Grid,
        /// Vertical grid.
        y: Grid,
        /// Lyapunov settings.
        lyapunov: LyapunovOptions,
        /// Starting state override.
        x0: Option<Vec<f64>>,
    },
}
