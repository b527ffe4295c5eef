//! Validated plans: what a job runs, with every value checked.

use super::kinds::SpectrumMatrix;
use crate::analysis::continuation::ContinuationOptions;
use crate::analysis::lyapunov::LyapunovOptions;
use crate::analysis::orbit::OrbitOptions;
use crate::analysis::spectrum::Backend;
use crate::analysis::Grid;
use crate::model::spike_timing::SpikeTiming;
use crate::model::stdp::StdpWindow;
use crate::registry::ParamSet;
use crate::resources::Budget;

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

impl Plan {
    /// A plan whose name is one plain path component and whose memory estimate fits this
    /// machine (a long one is announced on stderr).
    pub fn new(name: String, description: String, kind: PlanKind) -> crate::Result<Self> {
        crate::output::validate_name("name", &name)?;
        kind.budget().check(&name)?;
        Ok(Self {
            name,
            description,
            kind,
        })
    }
}

/// Rough costs behind the budgets: one map iteration of a small system (s) and the bytes one
/// recorded value takes on its way to a CSV row.
const SECONDS_PER_ITERATION: f64 = 5e-8;
const BYTES_PER_RECORD: f64 = 100.0;
/// nalgebra's dense eigenvalues of an n × n matrix take about this × n³ s (measured 3.4 s at
/// n = 1000, criterion bench `eigen`), and hold about 4 n² doubles.
const EIGEN_SECONDS_PER_N3: f64 = 3.4e-9;
const EIGEN_DOUBLES_PER_N2: f64 = 4.0;

fn eigen_budget(field: &str, value: usize, n: usize) -> Budget {
    let n = n as f64;
    Budget::new(
        field,
        value,
        EIGEN_DOUBLES_PER_N2 * 8.0 * n * n,
        EIGEN_SECONDS_PER_N3 * n.powi(3),
    )
}

impl PlanKind {
    /// Independent work items (the unit of parallel work): heatmap cells, orbit values.
    pub fn work_items(&self) -> usize {
        match self {
            PlanKind::Heatmap(p) => p.x.len() * p.y.len(),
            PlanKind::Orbit(p) => p.grid.len(),
            PlanKind::Continuation(p) => p.grid.len(),
            PlanKind::SpikeTiming(p) => p.weights.len(),
            PlanKind::StdpWindow(p) => p.dt.len(),
            PlanKind::SynapseMap(p) => p.points,
            PlanKind::Spectrum(_) => 1,
            PlanKind::NetworkHeatmap(j) => j.grid.cells(),
            PlanKind::NetworkOrbit(j) => j.orbit.param.len(),
            PlanKind::LocalJacobians(p) => p.samples,
        }
    }

    /// What the plan will need: peak memory and a rough time, attributed to the field that
    /// sets the size.
    pub fn budget(&self) -> Budget {
        let iteration = |dim: usize| SECONDS_PER_ITERATION * (dim * dim).max(1) as f64;
        match self {
            PlanKind::SpikeTiming(SpikeTimingPlan {
                weights,
                taylor_orders,
                tau_s_ms,
                dt_ms,
                timing,
            }) => {
                let columns = (taylor_orders.len() + tau_s_ms.len() + 4) as f64;
                let steps = 20.0 * timing.tau_m_ms() / dt_ms;
                Budget::new(
                    "points",
                    weights.len(),
                    weights.len() as f64 * columns * BYTES_PER_RECORD,
                    weights.len() as f64 * (tau_s_ms.len() + 1) as f64 * steps * 2e-8,
                )
            }
            PlanKind::StdpWindow(StdpWindowPlan { dt, .. }) => {
                Budget::new("points", dt.len(), dt.len() as f64 * BYTES_PER_RECORD, 0.0)
            }
            PlanKind::SynapseMap(SynapseMapPlan { points, .. }) => Budget::new(
                "points",
                points,
                *points as f64 * BYTES_PER_RECORD,
                *points as f64 * 1e-6,
            ),
            PlanKind::Orbit(OrbitPlan {
                params,
                grid,
                orbit,
                lyapunov,
                ..
            }) => {
                let dim = params.kind().state_names().len();
                let records = grid.len() as f64 * orbit.samples as f64;
                let lyapunov_steps = lyapunov.as_ref().map_or(0, |l| l.transient + l.steps);
                let iterations =
                    grid.len() as f64 * (orbit.transient + orbit.samples + lyapunov_steps) as f64;
                Budget::new(
                    "points",
                    grid.len(),
                    records * dim as f64 * BYTES_PER_RECORD,
                    iterations * iteration(dim),
                )
                .hint("reduce the sweep's points or the samples per value")
            }
            PlanKind::Continuation(ContinuationPlan {
                params,
                grid,
                orbit,
                options,
                ..
            }) => {
                let dim = params.kind().state_names().len();
                let records = grid.len() as f64 * orbit.samples as f64
                    + (options.max_points * (options.max_doublings + 1)) as f64;
                let iterations = grid.len() as f64 * (orbit.transient + orbit.samples) as f64;
                Budget::new(
                    "points",
                    grid.len(),
                    records * dim as f64 * BYTES_PER_RECORD,
                    iterations * iteration(dim),
                )
            }
            PlanKind::Heatmap(HeatmapPlan {
                params,
                x,
                y,
                lyapunov,
                ..
            }) => {
                let dim = params.kind().state_names().len();
                let cells = x.len() as f64 * y.len() as f64;
                let iterations = cells * (lyapunov.transient + lyapunov.steps) as f64;
                // Flows take 4 RK4 stages per step.
                let stages = if params.kind().is_map() { 1.0 } else { 4.0 };
                let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
                Budget::new(
                    "points",
                    format!("{} × {}", x.len(), y.len()),
                    cells * 4.0 * BYTES_PER_RECORD,
                    iterations * stages * iteration(dim) / threads,
                )
                .hint("reduce the points of the x and y axes")
            }
            PlanKind::NetworkHeatmap(j) => {
                let g = &j.grid;
                // Every cell trains, labels (min(n, 10 000) samples), tests and runs two
                // copies; about 4 ms per presentation of a ~100-neuron network.
                let presentations = g.train_samples
                    + g.train_samples.min(10_000)
                    + g.test_samples
                    + 2 * g.lyapunov_samples;
                let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
                Budget::new(
                    "points",
                    format!("{} × {}", g.x.len(), g.y.len()),
                    g.cells() as f64 * 1e3,
                    g.cells() as f64 * presentations as f64 * 4e-3 / threads,
                )
                .hint("reduce the points of the axes or the samples per cell")
            }
            PlanKind::NetworkOrbit(j) => {
                let o = &j.orbit;
                // Every value runs transient + recorded presentations, then two copies;
                // about 1 ms per presentation of a small network (image presets: 4 ms).
                let per = if crate::sim::presets::Preset::takes_images(&o.preset) {
                    4e-3
                } else {
                    1e-3
                };
                let presentations = o.transient + o.samples + 2 * o.lyapunov_samples;
                let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
                Budget::new(
                    "points",
                    o.param.len(),
                    o.param.len() as f64 * o.samples as f64 * BYTES_PER_RECORD,
                    o.param.len() as f64 * presentations as f64 * per / threads,
                )
                .hint("reduce the parameter's points or the presentations per value")
            }
            PlanKind::LocalJacobians(p) => {
                // 1 + 4 per drawn synapse presentations per sample, ~0.1 ms each for the
                // small networks this takes.
                let presentations = p.samples as f64 * (1 + 4 * p.per_sample) as f64;
                Budget::new(
                    "samples",
                    p.samples,
                    p.samples as f64 * p.per_sample as f64 * 16.0 * BYTES_PER_RECORD,
                    presentations * 1e-4,
                )
                .hint("reduce samples or per_sample")
            }
            PlanKind::Spectrum(SpectrumPlan { matrix, .. }) => match matrix {
                SpectrumMatrix::Goe { n } | SpectrumMatrix::Iid { n } => eigen_budget("n", *n, *n),
                SpectrumMatrix::Synapses(layer) => {
                    eigen_budget("posts", layer.posts, layer.posts * layer.inputs_per_post)
                        .hint("reduce posts or inputs-per-post (n = posts × inputs-per-post)")
                }
                SpectrumMatrix::Network { layer, posts, .. } => {
                    let n = posts * layer.inputs as usize;
                    let mut budget = eigen_budget("posts", *posts, n)
                        .hint("reduce posts or inputs-per-post (n = posts × inputs-per-post)");
                    // 3000 presentations to settle, then n + 1 more for the Jacobian, each
                    // about (duration / dt) × posts × inputs steps.
                    let steps = layer.duration_ms / layer.dt_ms * n as f64;
                    budget.seconds += (3000.0 + n as f64 + 1.0) * steps * 2e-9;
                    budget
                }
            },
        }
    }
}

/// The validated, kind-specific part of a plan: one plan type per kind.
#[derive(Debug, Clone)]
pub enum PlanKind {
    /// Spike time against w.
    SpikeTiming(SpikeTimingPlan),
    /// The STDP window.
    StdpWindow(StdpWindowPlan),
    /// F(w) with fixed points.
    SynapseMap(SynapseMapPlan),
    /// Orbit diagram.
    Orbit(OrbitPlan),
    /// Continuation of a fixed point over one parameter.
    Continuation(ContinuationPlan),
    /// Eigenvalue spectrum against the random-matrix laws.
    Spectrum(SpectrumPlan),
    /// Lyapunov heatmap.
    Heatmap(HeatmapPlan),
    /// A grid of trained networks.
    NetworkHeatmap(Box<NetworkHeatmapJob>),
    /// A bifurcation diagram from simulation.
    NetworkOrbit(Box<NetworkOrbitJob>),
    /// Local (w, η) Jacobians of synapses along a learning run.
    LocalJacobians(crate::jobs::local_jacobians::LocalJacobianPlan),
}

/// A bifurcation diagram from simulation and where its images are (presets that take them).
#[derive(Debug, Clone)]
pub struct NetworkOrbitJob {
    /// The validated sweep.
    pub orbit: crate::jobs::network_orbit::NetworkOrbitPlan,
    /// The data directory the spec names (None: $MESONET_DATA).
    pub data: Option<String>,
}

/// A grid of trained networks and where its images are.
#[derive(Debug, Clone)]
pub struct NetworkHeatmapJob {
    /// The validated grid.
    pub grid: crate::jobs::network_heatmap::NetworkHeatmapPlan,
    /// The data directory the spec names (None: $MESONET_DATA).
    pub data: Option<String>,
}

/// Spike time against w.
#[derive(Debug, Clone)]
pub struct SpikeTimingPlan {
    /// Kernel parameters.
    pub timing: SpikeTiming,
    /// Absolute weights.
    pub weights: Grid,
    /// Taylor orders.
    pub taylor_orders: Vec<usize>,
    /// Synaptic time constants of the simulated LIF besides τ_m (ms).
    pub tau_s_ms: Vec<f64>,
    /// Simulation step (ms).
    pub dt_ms: f64,
}

/// The STDP window.
#[derive(Debug, Clone)]
pub struct StdpWindowPlan {
    /// The window.
    pub window: StdpWindow,
    /// Δt values (ms).
    pub dt: Grid,
}

/// F(w) with fixed points.
#[derive(Debug, Clone)]
pub struct SynapseMapPlan {
    /// Synapse parameters.
    pub params: ParamSet,
    /// Number of weights drawn.
    pub points: usize,
}

/// Orbit diagram.
#[derive(Debug, Clone)]
pub struct OrbitPlan {
    /// System parameters.
    pub params: ParamSet,
    /// The swept parameter's values.
    pub grid: Grid,
    /// Orbit settings.
    pub orbit: OrbitOptions,
    /// λ panel settings.
    pub lyapunov: Option<LyapunovOptions>,
    /// Starting state override.
    pub x0: Option<Vec<f64>>,
}

/// Continuation of a fixed point over one parameter.
#[derive(Debug, Clone)]
pub struct ContinuationPlan {
    /// System parameters.
    pub params: ParamSet,
    /// The orbit diagram's parameter values (maps).
    pub grid: Grid,
    /// Orbit diagram settings.
    pub orbit: OrbitOptions,
    /// Continuation settings.
    pub options: ContinuationOptions,
    /// Starting guess override.
    pub x0: Option<Vec<f64>>,
}

/// Eigenvalue spectrum against the random-matrix laws.
#[derive(Debug, Clone)]
pub struct SpectrumPlan {
    /// The matrix.
    pub matrix: SpectrumMatrix,
    /// Seed.
    pub seed: u64,
    /// Eigenvalue backend.
    pub backend: Backend,
}

/// Lyapunov heatmap.
#[derive(Debug, Clone)]
pub struct HeatmapPlan {
    /// System parameters.
    pub params: ParamSet,
    /// Horizontal grid.
    pub x: Grid,
    /// Vertical grid.
    pub y: Grid,
    /// Lyapunov settings.
    pub lyapunov: LyapunovOptions,
    /// Starting state override.
    pub x0: Option<Vec<f64>>,
}
