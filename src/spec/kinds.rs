//! The raw body of each spec kind (unknown fields rejected) and its validation into a
//! [`PlanKind`], with the spec's quick sizes applied.

use super::plan::{
    ContinuationPlan, HeatmapPlan, OrbitPlan, PlanKind, SpectrumPlan, SpikeTimingPlan,
    StdpWindowPlan, SynapseMapPlan,
};
use crate::analysis::continuation::ContinuationOptions;
use crate::analysis::lyapunov::LyapunovOptions;
use crate::analysis::orbit::OrbitOptions;
use crate::analysis::spectrum::Backend;
use crate::analysis::Grid;
use crate::error::{require_positive, Error, Result};
use crate::model::many_synapse::{Layer, LayerParams};
use crate::model::spike_timing::SpikeTiming;
use crate::model::stdp::StdpWindow;
use crate::registry::{ParamSet, SystemKind};
use crate::sim::presets::PoissonLayerParams;
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Declares a raw spec body: the kind's own fields plus the header fields (`kind`, `name`,
/// `description`, `quick`, read separately by [`super::Spec::parse`]), with unknown fields rejected.
/// (`#[serde(flatten)]` would silently disable `deny_unknown_fields`.)
macro_rules! spec_body {
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            #[serde(rename = "kind", default)]
            _kind: Option<IgnoredAny>,
            #[serde(rename = "name", default)]
            _name: Option<IgnoredAny>,
            #[serde(rename = "description", default)]
            _description: Option<IgnoredAny>,
            #[serde(rename = "quick", default)]
            _quick: Option<IgnoredAny>,
            $($body)*
        }
    };
}

/// Smaller sizes for quick runs (tests); each kind applies the fields it has.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuickSizes {
    /// Grid points (1-D sweeps and curves).
    pub points: Option<usize>,
    /// Grid points of a heatmap's x axis.
    pub x_points: Option<usize>,
    /// Grid points of a heatmap's y axis.
    pub y_points: Option<usize>,
    /// Transient iterations.
    pub transient: Option<usize>,
    /// Samples per parameter value.
    pub samples: Option<usize>,
    /// Lyapunov averaging steps.
    pub steps: Option<usize>,
}

/// One axis of a sweep.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxisSpec {
    /// Parameter name.
    pub param: String,
    /// First value.
    pub from: f64,
    /// Last value.
    pub to: f64,
    /// Number of values.
    pub points: usize,
}

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

spec_body! {
    /// `kind: "synapse_map"` — F(w) and its fixed points.
    pub struct SynapseMapSpec {
        /// Synapse parameters overriding the defaults.
        #[serde(default)]
        pub set: BTreeMap<String, f64>,
        /// Number of weights drawn.
        pub points: usize,
    }
}

spec_body! {
    /// `kind: "orbit"` — orbit (bifurcation) diagram of a map, optionally with λ beneath.
    pub struct OrbitSpec {
        /// System name.
        pub system: String,
        /// Parameters overriding the defaults.
        #[serde(default)]
        pub set: BTreeMap<String, f64>,
        /// The swept parameter.
        pub sweep: AxisSpec,
        /// Transient iterations per value.
        pub transient: usize,
        /// Samples per value.
        pub samples: usize,
        /// Carry the state from one value to the next.
        #[serde(default)]
        pub carry_state: bool,
        /// Lyapunov averaging steps for the λ panel (omit for no panel).
        pub lyapunov_steps: Option<usize>,
        /// Starting state (default: the system's).
        pub x0: Option<Vec<f64>>,
    }
}

spec_body! {
    /// `kind: "heatmap"` — largest Lyapunov exponent over two parameters.
    pub struct HeatmapSpec {
        /// System name.
        pub system: String,
        /// Parameters overriding the defaults.
        #[serde(default)]
        pub set: BTreeMap<String, f64>,
        /// Horizontal axis.
        pub x: AxisSpec,
        /// Vertical axis.
        pub y: AxisSpec,
        /// Transient iterations (maps) or RK4 steps (flows).
        pub transient: usize,
        /// Averaging iterations (maps) or RK4 steps (flows).
        pub steps: usize,
        /// RK4 step for flows.
        #[serde(default = "default_dt")]
        pub dt: f64,
        /// Starting state (default: each cell's system's own).
        pub x0: Option<Vec<f64>>,
    }
}

spec_body! {
    /// `kind: "continuation"` — pseudo-arclength continuation of a fixed point (equilibrium)
    /// over one parameter, with located bifurcations, overlaid on the orbit diagram (maps).
    pub struct ContinuationSpec {
        /// System name.
        pub system: String,
        /// Parameters overriding the defaults.
        #[serde(default)]
        pub set: BTreeMap<String, f64>,
        /// The continued parameter: range, and the orbit diagram's number of values.
        pub sweep: AxisSpec,
        /// Transient iterations per value of the orbit diagram.
        pub transient: usize,
        /// Samples per value of the orbit diagram.
        pub samples: usize,
        /// Period doublings to follow from flips.
        #[serde(default)]
        pub max_doublings: usize,
        /// Points per branch at most.
        #[serde(default = "default_max_points")]
        pub max_points: usize,
        /// Starting guess of the fixed point (default: the system's start).
        pub x0: Option<Vec<f64>>,
    }
}

spec_body! {
    /// `kind: "spectrum"` — eigenvalues of a large matrix against the semicircle and the
    /// circular/elliptic laws: a symmetric Gaussian (`goe`), an i.i.d. Gaussian (`iid`), the
    /// Jacobian of the reduced many-synapse layer at its fixed point (`synapses`, MODEL.md §7),
    /// or of a simulated network's learning return map (`network`: `inputs_per_post` Poisson
    /// inputs → `posts` LIF neurons, finite differences with common random numbers).
    pub struct SpectrumSpec {
        /// `goe`, `iid` or `synapses`.
        pub matrix: String,
        /// Matrix size for `goe` / `iid`.
        #[serde(default)]
        pub n: usize,
        /// Post neurons of the layer (`synapses`).
        #[serde(default)]
        pub posts: usize,
        /// Inputs per post neuron (`synapses`).
        #[serde(default)]
        pub inputs_per_post: usize,
        /// Largest pairing offset in ms (`synapses`).
        #[serde(default)]
        pub d_max: f64,
        /// Learning rate (`synapses`).
        #[serde(default = "default_layer_eta")]
        pub eta: f64,
        /// Synapse parameters overriding the defaults (`synapses`; θ defaults to
        /// `inputs_per_post` × the 1:1 synapse's θ).
        #[serde(default)]
        pub set: BTreeMap<String, f64>,
        /// Seed of the matrix or of the offsets.
        #[serde(default)]
        pub seed: u64,
        /// `nalgebra` (default) or `lapack`.
        #[serde(default = "default_backend")]
        pub backend: String,
        /// Charge per unit weight of one input spike (`network`).
        #[serde(default = "default_charge")]
        pub charge: f64,
    }
}

fn default_layer_eta() -> f64 {
    0.05
}

fn default_charge() -> f64 {
    8.0
}

fn default_backend() -> String {
    "nalgebra".into()
}

/// The matrix of a spectrum plan.
#[derive(Debug, Clone)]
pub enum SpectrumMatrix {
    /// Symmetric, off-diagonal N(0, 1/n), diagonal N(0, 2/n).
    Goe {
        /// Size.
        n: usize,
    },
    /// I.i.d. N(0, 1/n).
    Iid {
        /// Size.
        n: usize,
    },
    /// The many-synapse layer's Jacobian at its fixed point.
    Synapses(LayerParams),
    /// The learning map of a small simulated network (preset `layer`): its Jacobian by
    /// finite differences with common random numbers where the iteration has settled.
    Network {
        /// The network's parameters.
        layer: PoissonLayerParams,
        /// Its neurons.
        posts: usize,
        /// Seed of the input trains (one fixed stream: common random numbers).
        seed: u64,
    },
}

impl SpectrumSpec {
    /// Validates into a plan body; `q.points` replaces n (goe, iid) or the post count.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let backend = Backend::parse(&s.backend)?.available()?;
        let sized = |n: usize, name: &str| -> Result<usize> {
            let n = q.points.unwrap_or(n);
            if n < 2 {
                return Err(Error::invalid(name, n as f64, ">= 2"));
            }
            Ok(n)
        };
        let matrix = match s.matrix.as_str() {
            "goe" => SpectrumMatrix::Goe {
                n: sized(s.n, "n")?,
            },
            "iid" => SpectrumMatrix::Iid {
                n: sized(s.n, "n")?,
            },
            "synapses" => {
                if s.inputs_per_post == 0 {
                    return Err(Error::invalid("inputs_per_post", 0.0, ">= 1"));
                }
                // Unless set, θ = n_in × the 1:1 synapse's θ: each input then carries the 1:1
                // synapse's share of the threshold, and the layer has a fixed point.
                let mut set = s.set.clone();
                let default_theta = ParamSet::defaults(SystemKind::SynapseMap).get("theta")?;
                set.entry("theta".into())
                    .or_insert(default_theta * s.inputs_per_post as f64);
                let params = param_set(SystemKind::SynapseMap, &set)?;
                let layer = LayerParams {
                    synapse: params.synapse_params()?,
                    eta: s.eta,
                    posts: sized(s.posts, "posts")?,
                    inputs_per_post: s.inputs_per_post,
                    d_max_ms: s.d_max,
                    seed: s.seed,
                };
                Layer::new(layer)?;
                SpectrumMatrix::Synapses(layer)
            }
            "network" => {
                if s.inputs_per_post == 0 {
                    return Err(Error::invalid("inputs_per_post", 0.0, ">= 1"));
                }
                let layer = PoissonLayerParams {
                    inputs: s.inputs_per_post as f64,
                    charge: require_positive("charge", s.charge)?,
                    eta: require_positive("eta", s.eta)?,
                    ..PoissonLayerParams::default()
                };
                layer.validate()?;
                SpectrumMatrix::Network {
                    layer,
                    posts: sized(s.posts, "posts")?,
                    seed: s.seed,
                }
            }
            other => {
                return Err(Error::InvalidParameter {
                    name: "matrix".into(),
                    value: other.into(),
                    requirement: "goe, iid, synapses or network".into(),
                })
            }
        };
        Ok(PlanKind::Spectrum(SpectrumPlan {
            matrix,
            seed: s.seed,
            backend,
        }))
    }
}

fn default_max_points() -> usize {
    2_000
}

fn one() -> f64 {
    1.0
}
fn two() -> f64 {
    2.0
}
fn default_dt() -> f64 {
    0.01
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

impl OrbitSpec {
    /// Validates into a plan body, with `q` overriding sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let kind = SystemKind::parse(&s.system)?;
        if !kind.is_map() {
            return Err(Error::InvalidParameter {
                name: "system".into(),
                value: s.system.clone(),
                requirement: "a discrete map for an orbit diagram".into(),
            });
        }
        let params = param_set(kind, &s.set)?;
        params.check_name(&s.sweep.param)?;
        check_swept(&s.set, &s.sweep.param, "sweep (param)")?;
        check_x0(kind, &s.x0)?;
        let grid = Grid::linspace(
            &s.sweep.param,
            s.sweep.from,
            s.sweep.to,
            q.points.unwrap_or(s.sweep.points),
        )?;
        let orbit = OrbitOptions {
            transient: q.transient.unwrap_or(s.transient),
            samples: q.samples.unwrap_or(s.samples),
            carry_state: s.carry_state,
            component: 0,
        };
        if orbit.samples == 0 {
            return Err(Error::invalid("samples", 0.0, ">= 1"));
        }
        let lyapunov = s
            .lyapunov_steps
            .map(|steps| {
                if steps == 0 {
                    return Err(Error::invalid("lyapunov_steps", 0.0, ">= 1"));
                }
                LyapunovOptions {
                    transient: orbit.transient,
                    steps: q.steps.unwrap_or(steps),
                    ..LyapunovOptions::default()
                }
                .validate()
            })
            .transpose()?;
        Ok(PlanKind::Orbit(OrbitPlan {
            params,
            grid,
            orbit,
            lyapunov,
            x0: s.x0.clone(),
        }))
    }
}

impl ContinuationSpec {
    /// Validates into a plan body, with `q` overriding the orbit diagram's sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let kind = SystemKind::parse(&s.system)?;
        let params = param_set(kind, &s.set)?;
        params.check_name(&s.sweep.param)?;
        check_swept(&s.set, &s.sweep.param, "continuation (param)")?;
        check_x0(kind, &s.x0)?;
        let options = ContinuationOptions {
            from: s.sweep.from,
            to: s.sweep.to,
            ds: None,
            max_points: s.max_points,
            max_doublings: s.max_doublings,
        }
        .validate()?;
        let grid = Grid::linspace(
            &s.sweep.param,
            s.sweep.from,
            s.sweep.to,
            q.points.unwrap_or(s.sweep.points),
        )?;
        let orbit = OrbitOptions {
            transient: q.transient.unwrap_or(s.transient),
            samples: q.samples.unwrap_or(s.samples),
            carry_state: false,
            component: 0,
        };
        Ok(PlanKind::Continuation(ContinuationPlan {
            params,
            grid,
            orbit,
            options,
            x0: s.x0.clone(),
        }))
    }
}

impl HeatmapSpec {
    /// Validates into a plan body, with `q` overriding sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let kind = SystemKind::parse(&s.system)?;
        let params = param_set(kind, &s.set)?;
        for (field, axis) in [("x", &s.x), ("y", &s.y)] {
            params
                .check_name(&axis.param)
                .map_err(|_| Error::InvalidParameter {
                    name: field.into(),
                    value: axis.param.clone(),
                    requirement: format!(
                        "a parameter of {}: {}",
                        kind.name(),
                        kind.params()
                            .iter()
                            .map(|p| p.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })?;
        }
        if s.x.param == s.y.param {
            return Err(Error::InvalidParameter {
                name: "y".into(),
                value: s.y.param.clone(),
                requirement: format!("a parameter other than the x axis' {}", s.x.param),
            });
        }
        check_swept(&s.set, &s.x.param, "x axis")?;
        check_swept(&s.set, &s.y.param, "y axis")?;
        check_x0(kind, &s.x0)?;
        let axis = |field: &str, spec: &AxisSpec, points: Option<usize>| {
            Grid::linspace(
                &spec.param,
                spec.from,
                spec.to,
                points.unwrap_or(spec.points),
            )
            .map_err(|e| match e {
                Error::EmptyRange {
                    name,
                    from,
                    to,
                    points,
                } => Error::EmptyRange {
                    name: format!("{field} axis ({name})"),
                    from,
                    to,
                    points,
                },
                other => other,
            })
        };
        let x = axis("x", &s.x, q.x_points)?;
        let y = axis("y", &s.y, q.y_points)?;
        let lyapunov = LyapunovOptions {
            transient: q.transient.unwrap_or(s.transient),
            steps: q.steps.unwrap_or(s.steps),
            dt: s.dt,
            renorm_every: 1,
            ..LyapunovOptions::default()
        }
        .validate()?;
        Ok(PlanKind::Heatmap(HeatmapPlan {
            params,
            x,
            y,
            lyapunov,
            x0: s.x0.clone(),
        }))
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

impl SynapseMapSpec {
    /// Validates into a plan body, with `q` overriding sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let params = param_set(SystemKind::SynapseMap, &self.set)?;
        crate::model::synapse_map::SynapseModel::new(params.synapse_params()?)?;
        let points = q.points.unwrap_or(self.points);
        if points < 2 {
            return Err(Error::invalid("points", points as f64, ">= 2"));
        }
        Ok(PlanKind::SynapseMap(SynapseMapPlan { params, points }))
    }
}

/// Checks an optional starting state against the system's dimension.
fn check_x0(kind: SystemKind, x0: &Option<Vec<f64>>) -> Result<()> {
    x0.as_deref().map_or(Ok(()), |x| kind.check_state("x0", x))
}

/// A swept parameter cannot also be fixed by `set`.
fn check_swept(set: &BTreeMap<String, f64>, swept: &str, axis: &str) -> Result<()> {
    match set.get(swept) {
        Some(&value) => Err(Error::InvalidParameter {
            name: "set".into(),
            value: format!("{swept}={}", crate::error::show_value(value)),
            requirement: format!("free of {swept}: it is swept by the {axis}"),
        }),
        None => Ok(()),
    }
}

fn param_set(kind: SystemKind, set: &BTreeMap<String, f64>) -> Result<ParamSet> {
    let mut params = ParamSet::defaults(kind);
    for (name, value) in set {
        params.set(name, *value)?;
    }
    Ok(params)
}
