//! Named parameter sets (`--set name=value`) and the registry of systems that
//! `--system NAME` and the specs choose from.
//!
//! Owns the mapping name → parameter definition → built [`System`]; not the dynamics
//! themselves (those live in [`crate::analysis::systems`] and [`crate::model::synapse_map`]).

use crate::analysis::systems::{Henon, Linear, Logistic, Lorenz, Tent};
use crate::analysis::Map;
use crate::error::{Error, Result};
use crate::model::synapse_map::{FixedPointKind, SynapseMap, SynapseModel, SynapseParams};
use crate::model::variable_plasticity::{
    Drive, VariablePlasticity, VariablePlasticityFlow, VariablePlasticityMap,
    VariablePlasticityParams,
};

/// One named parameter with its default and meaning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamDef {
    /// The name used by `--set` and the specs.
    pub name: &'static str,
    /// The default value.
    pub default: f64,
    /// What it is, with its unit.
    pub doc: &'static str,
}

const fn def(name: &'static str, default: f64, doc: &'static str) -> ParamDef {
    ParamDef { name, default, doc }
}

/// The systems the command line and the specs can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemKind {
    /// [`Logistic`] map.
    Logistic,
    /// [`Tent`] map.
    Tent,
    /// [`Henon`] map.
    Henon,
    /// [`Linear`] map.
    Linear,
    /// [`Lorenz`] flow.
    Lorenz,
    /// The reduced 1:1 synapse map of MODEL.md §4 ([`SynapseMap`]).
    SynapseMap,
    /// The coupled (w, η) system of MODEL.md §5 in map form ([`VariablePlasticityMap`], step h).
    VariablePlasticity,
    /// The coupled (w, η) system of MODEL.md §5 in flow form ([`VariablePlasticityFlow`]).
    VariablePlasticityFlow,
}

const LOGISTIC_PARAMS: &[ParamDef] = &[def("r", 4.0, "growth parameter")];
const TENT_PARAMS: &[ParamDef] = &[def("mu", 1.99, "slope")];
const HENON_PARAMS: &[ParamDef] = &[
    def("a", 1.4, "quadratic coefficient"),
    def("b", 0.3, "contraction"),
];
const LINEAR_PARAMS: &[ParamDef] = &[
    def("a11", 1.1, "matrix entry (1,1)"),
    def("a12", 0.0, "matrix entry (1,2)"),
    def("a21", 0.0, "matrix entry (2,1)"),
    def("a22", 0.8, "matrix entry (2,2)"),
];
const LORENZ_PARAMS: &[ParamDef] = &[
    def("sigma", 10.0, "Prandtl number"),
    def("rho", 28.0, "Rayleigh number"),
    def("beta", 8.0 / 3.0, "geometric factor"),
];
/// The synapse model's parameters (without η), shared by the 1:1 map and the coupled system.
macro_rules! synapse_model_params {
    ($($extra:expr),* $(,)?) => {
        &[
            def("T", 6.0, "presynaptic period (ms)"),
            def("a_plus", 1.0, "potentiation amplitude A+"),
            def("a_minus", 1.0, "depression amplitude A-"),
            def("tau", 2.0, "STDP time constant tau = tau+ = tau- (ms)"),
            def("w_max", 3.0, "soft-bound upper weight"),
            def("mu", 1.0, "soft-bound exponent (0 additive, 1 multiplicative)"),
            def("theta", 1.0, "firing threshold"),
            def("k", 1.0, "kernel gain of V(x) = w k x e^{-x/tau_m}"),
            def("tau_m", 2.0, "membrane time constant (ms)"),
            $($extra),*
        ]
    };
}
const SYNAPSE_PARAMS: &[ParamDef] = synapse_model_params!(def("eta", 0.01, "learning rate"));
/// The coupled system's own parameters (MODEL.md §5); defaults of [`VariablePlasticityParams`].
const PLASTICITY_PARAMS: &[ParamDef] = synapse_model_params!(
    def("eta_min", 1.0, "rate eta relaxes to without drive"),
    def("eta_max", 4.0, "the drive must stay below it"),
    def("tau_d", 10.0, "decay time of eta (presynaptic periods)"),
    def("epsilon", 0.0, "attribution gain (0 = off)"),
    def("drive", 0.0, "0: d = w, 1: d = |S(dt)|"),
    def(
        "flipping",
        0.0,
        "1: a weight crossing 0 resets eta to 0 (map form)"
    ),
    def("h", 1.0, "map step (presynaptic periods)"),
);

impl SystemKind {
    /// Every system, in the order listed to users.
    pub const ALL: [SystemKind; 8] = [
        SystemKind::Logistic,
        SystemKind::Tent,
        SystemKind::Henon,
        SystemKind::Linear,
        SystemKind::Lorenz,
        SystemKind::SynapseMap,
        SystemKind::VariablePlasticity,
        SystemKind::VariablePlasticityFlow,
    ];

    /// The system's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            SystemKind::Logistic => "logistic",
            SystemKind::Tent => "tent",
            SystemKind::Henon => "henon",
            SystemKind::Linear => "linear",
            SystemKind::Lorenz => "lorenz",
            SystemKind::SynapseMap => "synapse-map",
            SystemKind::VariablePlasticity => "variable-plasticity",
            SystemKind::VariablePlasticityFlow => "variable-plasticity-flow",
        }
    }

    /// Looks a system up by name.
    pub fn parse(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| Error::UnknownSystem {
                name: name.to_string(),
                valid: Self::ALL.map(|k| k.name()).join(", "),
            })
    }

    /// The system's parameters with their defaults.
    pub fn params(self) -> &'static [ParamDef] {
        match self {
            SystemKind::Logistic => LOGISTIC_PARAMS,
            SystemKind::Tent => TENT_PARAMS,
            SystemKind::Henon => HENON_PARAMS,
            SystemKind::Linear => LINEAR_PARAMS,
            SystemKind::Lorenz => LORENZ_PARAMS,
            SystemKind::SynapseMap => SYNAPSE_PARAMS,
            SystemKind::VariablePlasticity | SystemKind::VariablePlasticityFlow => {
                PLASTICITY_PARAMS
            }
        }
    }

    /// Names of the state components (for axis labels and CSV headers).
    pub fn state_names(self) -> &'static [&'static str] {
        match self {
            SystemKind::Logistic | SystemKind::Tent => &["x"],
            SystemKind::Henon | SystemKind::Linear => &["x", "y"],
            SystemKind::Lorenz => &["x", "y", "z"],
            SystemKind::SynapseMap => &["w"],
            SystemKind::VariablePlasticity | SystemKind::VariablePlasticityFlow => &["w", "eta"],
        }
    }

    /// Checks a starting state given as `field`: one finite number per state component.
    pub fn check_state(self, field: &str, state: &[f64]) -> Result<()> {
        let names = self.state_names();
        if state.len() == names.len() && state.iter().all(|&v| crate::error::is_real(v)) {
            return Ok(());
        }
        let shown: Vec<String> = state.iter().map(|&v| crate::error::show_value(v)).collect();
        Err(Error::InvalidParameter {
            name: field.into(),
            value: shown.join(","),
            requirement: format!(
                "{} finite number{} ({}) for the {} system",
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                names.join(", "),
                self.name()
            ),
        })
    }

    /// True for discrete maps, false for flows.
    pub fn is_map(self) -> bool {
        !matches!(
            self,
            SystemKind::Lorenz | SystemKind::VariablePlasticityFlow
        )
    }
}

/// Values of a system's parameters, defaults overridden by `set`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSet {
    kind: SystemKind,
    values: Vec<f64>,
}

impl ParamSet {
    /// The defaults of `kind`.
    pub fn defaults(kind: SystemKind) -> Self {
        Self {
            kind,
            values: kind.params().iter().map(|p| p.default).collect(),
        }
    }

    /// The system these parameters belong to.
    pub fn kind(&self) -> SystemKind {
        self.kind
    }

    fn index(&self, name: &str) -> Result<usize> {
        self.kind
            .params()
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| Error::UnknownParameter {
                name: name.to_string(),
                system: self.kind.name().to_string(),
                valid: self
                    .kind
                    .params()
                    .iter()
                    .map(|p| p.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Sets one parameter; unknown names and non-finite values are errors.
    pub fn set(&mut self, name: &str, value: f64) -> Result<()> {
        let i = self.index(name)?;
        self.values[i] = crate::error::require_finite(name, value)?;
        Ok(())
    }

    /// Applies `name=value` assignments in order.
    pub fn apply_assignments(&mut self, assignments: &[String]) -> Result<()> {
        for text in assignments {
            let (name, value) = parse_assignment(text)?;
            self.set(name, value)?;
        }
        Ok(())
    }

    /// A parameter's value. Unknown names are errors.
    pub fn get(&self, name: &str) -> Result<f64> {
        Ok(self.values[self.index(name)?])
    }

    /// Checks that `name` is a parameter of this system (for sweeps).
    pub fn check_name(&self, name: &str) -> Result<()> {
        self.index(name).map(|_| ())
    }

    /// The parameters as a JSON object.
    pub fn to_json(&self) -> serde_json::Value {
        let map: serde_json::Map<String, serde_json::Value> = self
            .kind
            .params()
            .iter()
            .zip(&self.values)
            .map(|(p, v)| (p.name.to_string(), serde_json::json!(v)))
            .collect();
        serde_json::Value::Object(map)
    }

    /// The coupled system (for `SystemKind::VariablePlasticity` and `PlasticityFlow` sets), validated.
    pub fn coupled_system(&self) -> Result<VariablePlasticity> {
        let v = |n: &str| self.get(n);
        let flipping = v("flipping")?;
        if !(flipping.abs() < f64::EPSILON || (flipping - 1.0).abs() < f64::EPSILON) {
            return Err(Error::invalid("flipping", flipping, "0 (off) or 1 (on)"));
        }
        let model = SynapseModel::new(self.synapse_params()?)?;
        VariablePlasticity::new(
            model,
            VariablePlasticityParams {
                eta_min: v("eta_min")?,
                eta_max: v("eta_max")?,
                tau_d: v("tau_d")?,
                epsilon: v("epsilon")?,
                drive: Drive::from_code(v("drive")?)?,
                flipping: flipping > 0.5,
            },
        )
    }

    /// The synapse parameters (for `SystemKind::SynapseMap` sets).
    pub fn synapse_params(&self) -> Result<SynapseParams> {
        let v = |n: &str| self.get(n);
        Ok(SynapseParams {
            period_ms: v("T")?,
            a_plus: v("a_plus")?,
            a_minus: v("a_minus")?,
            tau_ms: v("tau")?,
            w_max: v("w_max")?,
            mu: v("mu")?,
            theta: v("theta")?,
            k: v("k")?,
            tau_m_ms: v("tau_m")?,
        })
    }
}

/// Parses `name=value` with a finite number.
pub fn parse_assignment(text: &str) -> Result<(&str, f64)> {
    let malformed = || Error::MalformedAssignment {
        text: text.to_string(),
    };
    let (name, value) = text.split_once('=').ok_or_else(malformed)?;
    let value: f64 = value.trim().parse().map_err(|_| malformed())?;
    if name.trim().is_empty() || !crate::error::is_real(value) {
        return Err(malformed());
    }
    Ok((name.trim(), value))
}

/// A parameter's symbol for figures: Greek letters for Greek names, the rest of the name as a
/// subscript (`eta_min` → `η_min`, `tau_m` → `τ_m`, `a_plus` → `A_+`).
pub fn symbol(name: &str) -> String {
    match name {
        "a_plus" => return "A_+".into(),
        "a_minus" => return "A_−".into(),
        _ => {}
    }
    let (base, rest) = match name.split_once('_') {
        Some((b, r)) => (b, Some(r)),
        None => (name, None),
    };
    let greek = match base {
        "alpha" => "α",
        "beta" => "β",
        "delta" => "δ",
        "epsilon" => "ε",
        "eta" => "η",
        "kappa" => "κ",
        "lambda" => "λ",
        "mu" => "μ",
        "nu" => "ν",
        "rho" => "ρ",
        "sigma" => "σ",
        "tau" => "τ",
        "theta" => "θ",
        other => other,
    };
    match rest {
        Some(r) => format!("{greek}_{}", r.trim_end_matches("_ms")),
        None => greek.to_string(),
    }
}

/// A parameter's axis label: its [`symbol`] with the unit, when it has one (times in ms; τ_d
/// counts presynaptic periods).
pub fn label(name: &str) -> String {
    let is_time = matches!(name, "T" | "tau" | "tau_m") || name.ends_with("_ms");
    if is_time {
        format!("{} (ms)", symbol(name))
    } else {
        symbol(name)
    }
}

pub use crate::analysis::system::Dynamics;

/// A system built from a [`ParamSet`], with its default starting state.
pub struct System {
    /// The dynamics.
    pub dynamics: Dynamics,
    /// The default initial state.
    pub initial_state: Vec<f64>,
}

/// Builds the system, validating its parameters.
pub fn build(params: &ParamSet) -> Result<System> {
    let v = |n: &str| params.get(n);
    let (dynamics, initial_state): (Dynamics, Vec<f64>) = match params.kind {
        SystemKind::Logistic => (Dynamics::Map(Box::new(Logistic { r: v("r")? })), vec![0.3]),
        SystemKind::Tent => (Dynamics::Map(Box::new(Tent { mu: v("mu")? })), vec![0.2345]),
        SystemKind::Henon => (
            Dynamics::Map(Box::new(Henon {
                a: v("a")?,
                b: v("b")?,
            })),
            vec![0.1, 0.1],
        ),
        SystemKind::Linear => (
            Dynamics::Map(Box::new(Linear {
                a: [v("a11")?, v("a12")?, v("a21")?, v("a22")?],
            })),
            // The origin is the fixed point: the tangent dynamics there is A itself.
            vec![0.0, 0.0],
        ),
        SystemKind::Lorenz => (
            Dynamics::Flow(Box::new(Lorenz {
                sigma: v("sigma")?,
                rho: v("rho")?,
                beta: v("beta")?,
            })),
            vec![1.0, 1.0, 1.0],
        ),
        SystemKind::SynapseMap => {
            let model = SynapseModel::new(params.synapse_params()?)?;
            let start = synapse_start(&model);
            (
                Dynamics::Map(Box::new(SynapseMap::new(model, v("eta")?)?)),
                vec![start],
            )
        }
        SystemKind::VariablePlasticity => {
            let system = params.coupled_system()?;
            let start = system.default_start();
            (
                Dynamics::Map(Box::new(VariablePlasticityMap::new(system, v("h")?)?)),
                start,
            )
        }
        SystemKind::VariablePlasticityFlow => {
            let system = params.coupled_system()?;
            if system.params().flipping {
                return Err(Error::invalid(
                    "flipping",
                    1.0,
                    "0 in the flow form (flipping is a discrete event; use system plasticity)",
                ));
            }
            let start = system.default_start();
            (
                Dynamics::Flow(Box::new(VariablePlasticityFlow { system })),
                start,
            )
        }
    };
    Ok(System {
        dynamics,
        initial_state,
    })
}

/// Builds the system with `name` set to `value` (a member of a one-parameter family).
pub fn build_with(params: &ParamSet, name: &str, value: f64) -> Result<System> {
    let mut params = params.clone();
    params.set(name, value)?;
    build(&params)
}

/// Builds the system with `name` set to `value`; errors for flows (`what` names the analysis
/// that needs a map). Returns the map and its default start.
pub fn build_map_with(
    params: &ParamSet,
    name: &str,
    value: f64,
    what: &str,
) -> Result<(Box<dyn Map + Send>, Vec<f64>)> {
    let mut params = params.clone();
    params.set(name, value)?;
    let system = build(&params)?;
    match system.dynamics {
        Dynamics::Map(map) => Ok((map, system.initial_state)),
        Dynamics::Flow(_) => Err(Error::InvalidParameter {
            name: "system".into(),
            value: params.kind().name().into(),
            requirement: format!("a discrete map for {what}"),
        }),
    }
}

/// Largest Lyapunov exponent of the system built from `params` (maps: the method that suits
/// the map; flows: Benettin/QR with RK4), from `x0` or the system's default start.
pub fn largest_lyapunov(
    params: &ParamSet,
    x0: Option<&[f64]>,
    opts: &crate::analysis::lyapunov::LyapunovOptions,
) -> Result<crate::analysis::lyapunov::LyapunovResult> {
    use crate::analysis::lyapunov;
    let system = build(params)?;
    let start = x0.unwrap_or(&system.initial_state);
    match &system.dynamics {
        Dynamics::Map(map) => lyapunov::largest(map.as_ref(), start, opts),
        Dynamics::Flow(flow) => lyapunov::flow_spectrum(flow.as_ref(), start, opts),
    }
}

/// Default start of a synapse orbit: just above its stable fixed point (1 % of the way to
/// w_max), or half-way between w_c and w_max when it has none.
pub fn synapse_start(model: &SynapseModel) -> f64 {
    let w_max = model.params().w_max.max(model.w_c() * 1.5);
    match model
        .fixed_points()
        .into_iter()
        .find(|fp| fp.kind == FixedPointKind::StableBelowEtaC)
    {
        Some(fp) => fp.w + 0.01 * (w_max - fp.w).abs().max(1e-3),
        None => 0.5 * (model.w_c() + w_max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_use_greek_symbols_and_units() {
        assert_eq!(label("eta_min"), "η_min");
        assert_eq!(label("tau_m"), "τ_m (ms)");
        assert_eq!(label("tau_d"), "τ_d");
        assert_eq!(label("T"), "T (ms)");
        assert_eq!(label("r"), "r");
        assert_eq!(symbol("a_plus"), "A_+");
        assert_eq!(label("delay_max_ms"), "delay_max (ms)");
    }

    #[test]
    fn unknown_parameter_lists_the_valid_ones() {
        let mut p = ParamSet::defaults(SystemKind::Henon);
        let e = p.set("c", 1.0).unwrap_err().to_string();
        assert!(e.contains("'c'") && e.contains("a, b"), "{e}");
        let e = SystemKind::parse("duffing").unwrap_err().to_string();
        assert!(e.contains("logistic") && e.contains("synapse"), "{e}");
    }

    #[test]
    fn assignments_are_parsed_and_checked() {
        let mut p = ParamSet::defaults(SystemKind::SynapseMap);
        p.apply_assignments(&["eta=0.5".into(), "tau_m = 3".into()])
            .unwrap();
        assert!((p.get("eta").unwrap() - 0.5).abs() < 1e-15);
        assert!((p.get("tau_m").unwrap() - 3.0).abs() < 1e-15);
        assert!(p.apply_assignments(&["eta".into()]).is_err());
        assert!(p.apply_assignments(&["eta=abc".into()]).is_err());
        let e = p
            .apply_assignments(&["eta=NaN".into()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("eta") && e.contains("NaN"), "{e}");
    }
}
