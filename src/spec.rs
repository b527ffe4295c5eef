//! The JSON analysis specs of `analyses/` and their validation into plans.
//!
//! A spec is read twice from its text: once for its `kind`, once into that kind's raw struct
//! (unknown fields rejected), so every syntax or type error carries its line and column.
//! [`Spec::validate`] turns the raw struct into a [`Plan`]: nothing runs on an unvalidated
//! value. A spec may carry `quick` sizes that the test suite uses (`mesonet run --quick`).

use crate::analysis::continuation::ContinuationOptions;
use crate::analysis::lyapunov::LyapunovOptions;
use crate::analysis::orbit::OrbitOptions;
use crate::analysis::spectrum::Backend;
use crate::analysis::Grid;
use crate::error::{require_positive, Error, Result};
use crate::many_synapse::{Layer, LayerParams};
use crate::params::{ParamSet, SystemKind};
use crate::plasticity::StdpWindow;
use crate::qspike::QSpikeParams;
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Declares a raw spec body: the kind's own fields plus the header fields (`kind`, `name`,
/// `description`, `quick`, read separately by [`Spec::parse`]), with unknown fields rejected.
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
    /// circular/elliptic laws: a symmetric Gaussian (`goe`), an i.i.d. Gaussian (`iid`), or the
    /// Jacobian of the reduced many-synapse layer at its fixed point (`synapses`, MODEL.md §7).
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
        /// Synapse parameters overriding the defaults (`synapses`).
        #[serde(default)]
        pub set: BTreeMap<String, f64>,
        /// Seed of the matrix or of the offsets.
        #[serde(default)]
        pub seed: u64,
        /// `nalgebra` (default) or `lapack`.
        #[serde(default = "default_backend")]
        pub backend: String,
    }
}

fn default_layer_eta() -> f64 {
    0.05
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
}

impl SpectrumSpec {
    /// Validates into a plan body; `q.points` replaces n (goe, iid) or the post count.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let backend = Backend::parse(&s.backend)?.available()?;
        let sized = |n: usize, name: &str| -> Result<usize> {
            let n = q.points.unwrap_or(n);
            if n == 0 {
                return Err(Error::invalid(name, 0.0, ">= 1"));
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
                let params = param_set(SystemKind::Synapse, &s.set)?;
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
            other => {
                return Err(Error::InvalidParameter {
                    name: "matrix".into(),
                    value: other.into(),
                    requirement: "goe, iid or synapses".into(),
                })
            }
        };
        Ok(PlanKind::Spectrum {
            matrix,
            seed: s.seed,
            backend,
        })
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

/// The kind-specific body of a spec.
#[derive(Debug, Clone)]
pub enum SpecBody {
    /// See [`SpikeTimingSpec`].
    SpikeTiming(SpikeTimingSpec),
    /// See [`StdpWindowSpec`].
    StdpWindow(StdpWindowSpec),
    /// See [`SynapseMapSpec`].
    SynapseMap(SynapseMapSpec),
    /// See [`OrbitSpec`].
    Orbit(OrbitSpec),
    /// See [`HeatmapSpec`].
    Heatmap(HeatmapSpec),
    /// See [`ContinuationSpec`].
    Continuation(ContinuationSpec),
    /// See [`SpectrumSpec`].
    Spectrum(SpectrumSpec),
}

/// A parsed, not yet validated spec.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Output name (directory under `notebooks-out/`).
    pub name: String,
    /// One sentence on what it shows.
    pub description: String,
    /// Sizes for quick runs.
    pub quick: QuickSizes,
    /// The kind-specific part.
    pub body: SpecBody,
    /// Where it was read from (for error locations).
    pub path: PathBuf,
    text: String,
}

#[derive(Deserialize)]
struct Header {
    kind: String,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    quick: QuickSizes,
}

const KINDS: &str =
    "spike_timing, stdp_window, synapse_map, orbit, heatmap, continuation, spectrum";

impl Spec {
    /// Reads and parses a spec file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(path, text)
    }

    /// Parses spec text (`path` only labels errors).
    pub fn parse(path: &Path, text: String) -> Result<Self> {
        let at = |e: serde_json::Error| Error::Spec {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: e
                .to_string()
                .split(" at line")
                .next()
                .unwrap_or_default()
                .to_string(),
        };
        let header: Header = serde_json::from_str(&text).map_err(at)?;
        fn body<T: serde::de::DeserializeOwned>(text: &str) -> serde_json::Result<T> {
            serde_json::from_str::<T>(text)
        }
        let parsed = match header.kind.as_str() {
            "spike_timing" => body(&text).map(SpecBody::SpikeTiming),
            "stdp_window" => body(&text).map(SpecBody::StdpWindow),
            "synapse_map" => body(&text).map(SpecBody::SynapseMap),
            "orbit" => body(&text).map(SpecBody::Orbit),
            "heatmap" => body(&text).map(SpecBody::Heatmap),
            "continuation" => body(&text).map(SpecBody::Continuation),
            "spectrum" => body(&text).map(SpecBody::Spectrum),
            other => {
                let (line, column) = locate(&text, "kind");
                return Err(Error::Spec {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message: format!("unknown kind '{other}'; valid: {KINDS}"),
                });
            }
        }
        .map_err(at)?;
        if header.name.is_empty()
            || !header
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            let (line, column) = locate(&text, "name");
            return Err(Error::Spec {
                path: path.to_path_buf(),
                line,
                column,
                message: format!(
                    "name '{}' must be non-empty letters, digits, '-' or '_'",
                    header.name
                ),
            });
        }
        Ok(Self {
            name: header.name,
            description: header.description,
            quick: header.quick,
            body: parsed,
            path: path.to_path_buf(),
            text,
        })
    }

    /// Validates into a plan; with `quick`, the spec's quick sizes replace its own.
    pub fn validate(&self, quick: bool) -> Result<Plan> {
        let q = if quick {
            self.quick
        } else {
            QuickSizes::default()
        };
        let kind = match &self.body {
            SpecBody::SpikeTiming(s) => s.plan(&q),
            SpecBody::StdpWindow(s) => s.plan(&q),
            SpecBody::SynapseMap(s) => s.plan(&q),
            SpecBody::Orbit(s) => s.plan(&q),
            SpecBody::Heatmap(s) => s.plan(&q),
            SpecBody::Continuation(s) => s.plan(&q),
            SpecBody::Spectrum(s) => s.plan(&q),
        }
        .map_err(|e| self.locate_error(e))?;
        Ok(Plan {
            name: self.name.clone(),
            description: self.description.clone(),
            kind,
        })
    }

    /// Attaches the spec's location to a validation error that names a field.
    fn locate_error(&self, e: Error) -> Error {
        let field = match &e {
            Error::InvalidParameter { name, .. } | Error::UnknownParameter { name, .. } => {
                name.clone()
            }
            Error::EmptyRange { name, .. } => name.clone(),
            Error::UnknownSystem { .. } => "system".into(),
            _ => return e,
        };
        let (line, column) = locate(&self.text, &field);
        Error::Spec {
            path: self.path.clone(),
            line,
            column,
            message: e.to_string(),
        }
    }
}

impl SpikeTimingSpec {
    /// Validates into a plan body, with `q` overriding sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let timing = QSpikeParams::new(s.k, s.theta, s.tau_m)?;
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
            .find(|&&n| n > crate::qspike::MAX_TAYLOR_ORDER)
        {
            return Err(Error::invalid(
                "taylor_orders",
                n as f64,
                &format!("each <= {}", crate::qspike::MAX_TAYLOR_ORDER),
            ));
        }
        Ok(PlanKind::SpikeTiming {
            timing,
            weights,
            taylor_orders: s.taylor_orders.clone(),
            tau_s_ms: s.tau_s.clone(),
            dt_ms: s.dt,
        })
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
                LyapunovOptions {
                    transient: orbit.transient,
                    steps: q.steps.unwrap_or(steps),
                    ..LyapunovOptions::default()
                }
                .validate()
            })
            .transpose()?;
        Ok(PlanKind::Orbit {
            params,
            grid,
            orbit,
            lyapunov,
            x0: s.x0.clone(),
        })
    }
}

impl ContinuationSpec {
    /// Validates into a plan body, with `q` overriding the orbit diagram's sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let kind = SystemKind::parse(&s.system)?;
        let params = param_set(kind, &s.set)?;
        params.check_name(&s.sweep.param)?;
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
        Ok(PlanKind::Continuation {
            params,
            grid,
            orbit,
            options,
            x0: s.x0.clone(),
        })
    }
}

impl HeatmapSpec {
    /// Validates into a plan body, with `q` overriding sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let s = self;
        let kind = SystemKind::parse(&s.system)?;
        let params = param_set(kind, &s.set)?;
        params.check_name(&s.x.param)?;
        params.check_name(&s.y.param)?;
        let x = Grid::linspace(
            &s.x.param,
            s.x.from,
            s.x.to,
            q.x_points.unwrap_or(s.x.points),
        )?;
        let y = Grid::linspace(
            &s.y.param,
            s.y.from,
            s.y.to,
            q.y_points.unwrap_or(s.y.points),
        )?;
        let lyapunov = LyapunovOptions {
            transient: q.transient.unwrap_or(s.transient),
            steps: q.steps.unwrap_or(s.steps),
            dt: s.dt,
            renorm_every: 1,
            ..LyapunovOptions::default()
        }
        .validate()?;
        Ok(PlanKind::Heatmap {
            params,
            x,
            y,
            lyapunov,
            x0: s.x0.clone(),
        })
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
        Ok(PlanKind::StdpWindow { window, dt })
    }
}

impl SynapseMapSpec {
    /// Validates into a plan body, with `q` overriding sizes.
    pub fn plan(&self, q: &QuickSizes) -> Result<PlanKind> {
        let params = param_set(SystemKind::Synapse, &self.set)?;
        crate::synapse::SynapseModel::new(params.synapse_params()?)?;
        let points = q.points.unwrap_or(self.points);
        if points < 2 {
            return Err(Error::invalid("points", points as f64, ">= 2"));
        }
        Ok(PlanKind::SynapseMap { params, points })
    }
}

/// Line and column (1-based) of the first `"key"` in `text`, or of the value `"key"` when the
/// key names a parameter inside a sweep; (0, 0) when absent.
fn locate(text: &str, key: &str) -> (usize, usize) {
    let needle = format!("\"{key}\"");
    match text.find(&needle) {
        Some(offset) => {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let column = offset - before.rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
            (line, column)
        }
        None => (0, 0),
    }
}

fn param_set(kind: SystemKind, set: &BTreeMap<String, f64>) -> Result<ParamSet> {
    let mut params = ParamSet::defaults(kind);
    for (name, value) in set {
        params.set(name, *value)?;
    }
    Ok(params)
}

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

/// The spec files of a directory (`*.json`, sorted), or the single file given.
pub fn spec_files(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Error::io(path, e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(Error::io(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no *.json spec in this directory",
                ),
            ));
        }
        Ok(files)
    } else if path.exists() {
        Ok(vec![path.to_path_buf()])
    } else {
        Err(Error::io(
            path,
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such spec file or directory",
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Spec> {
        Spec::parse(Path::new("t.json"), text.to_string())
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let e =
            parse("{\n  \"kind\": \"orbit\",\n  \"name\": \"x\"\n  \"system\": 1\n}").unwrap_err();
        match e {
            Error::Spec { line, column, .. } => assert_eq!((line, column), (4, 3)),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn unknown_fields_and_kinds_are_rejected_with_location() {
        let text = "{\"kind\": \"stdp_window\", \"name\": \"w\", \"a_plus\": 1, \"a_minus\": 1, \"tau\": 2,\n \"range_ms\": 10, \"points\": 5, \"colour\": 3}";
        let e = parse(text).unwrap_err().to_string();
        assert!(e.contains("t.json:2:") && e.contains("colour"), "{e}");
        let e = parse("{\"kind\": \"surface\", \"name\": \"w\"}")
            .unwrap_err()
            .to_string();
        assert!(e.contains("surface") && e.contains("heatmap"), "{e}");
    }

    #[test]
    fn validation_errors_name_field_and_location() {
        let text = "{\"kind\": \"orbit\", \"name\": \"o\", \"system\": \"logistic\",\n \"sweep\": {\"param\": \"r\", \"from\": 4, \"to\": 3, \"points\": 10},\n \"transient\": 10, \"samples\": 10}";
        let e = parse(text)
            .unwrap()
            .validate(false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("t.json:2:") && e.contains("empty range"), "{e}");
        let text = "{\"kind\": \"synapse_map\", \"name\": \"s\",\n \"set\": {\"tau_m\": -2}, \"points\": 10}";
        let e = parse(text)
            .unwrap()
            .validate(false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("tau_m") && e.contains("-2") && e.contains("t.json:2:"),
            "{e}"
        );
    }
}
