//! The table of systems that `--system NAME` and the specs choose from ([`SYSTEMS`]: one
//! entry per system, each declared next to its system), named parameter sets
//! (`--set name=value`) and the parameters' labels for figures.
//!
//! Owns the mapping name → parameter definitions → built [`System`]; not the dynamics
//! themselves (those live in [`crate::analysis::systems`] and [`crate::model`]).

use crate::analysis::Map;
use crate::error::{Error, Result};
use crate::model::synapse_map::SynapseParams;
use crate::model::variable_plasticity::VariablePlasticity;

pub use crate::analysis::entry::ParamDef;
use crate::analysis::entry::{SystemEntry, Values};

/// Every system `--system NAME` and the specs can name: one entry each, declared next to the
/// system. Adding a system is adding its entry here.
pub const SYSTEMS: &[SystemEntry] = &[
    crate::analysis::systems::LOGISTIC_ENTRY,
    crate::analysis::systems::TENT_ENTRY,
    crate::analysis::systems::HENON_ENTRY,
    crate::analysis::systems::LINEAR_ENTRY,
    crate::analysis::systems::LORENZ_ENTRY,
    crate::model::synapse_map::ENTRY,
    crate::model::variable_plasticity::MAP_ENTRY,
    crate::model::variable_plasticity::FLOW_ENTRY,
];

/// A system of the table (by its entry).
#[derive(Debug, Clone, Copy)]
pub struct SystemKind(&'static SystemEntry);

impl PartialEq for SystemKind {
    fn eq(&self, other: &Self) -> bool {
        self.0.name == other.0.name
    }
}

impl serde::Serialize for SystemKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.0.name)
    }
}

#[allow(non_upper_case_globals)]
impl SystemKind {
    /// `logistic`.
    pub const Logistic: SystemKind = SystemKind(&SYSTEMS[0]);
    /// `henon`.
    pub const Henon: SystemKind = SystemKind(&SYSTEMS[2]);
    /// `lorenz`.
    pub const Lorenz: SystemKind = SystemKind(&SYSTEMS[4]);
    /// `synapse-map`.
    pub const SynapseMap: SystemKind = SystemKind(&SYSTEMS[5]);
    /// `variable-plasticity`.
    pub const VariablePlasticity: SystemKind = SystemKind(&SYSTEMS[6]);
    /// `variable-plasticity-flow`.
    pub const VariablePlasticityFlow: SystemKind = SystemKind(&SYSTEMS[7]);

    /// Every system, in the order listed to users.
    pub fn all() -> impl Iterator<Item = SystemKind> {
        SYSTEMS.iter().map(SystemKind)
    }

    /// The system's name on the command line.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// Looks a system up by name.
    pub fn parse(name: &str) -> Result<Self> {
        Self::all()
            .find(|k| k.name() == name)
            .ok_or_else(|| Error::UnknownSystem {
                name: name.to_string(),
                valid: Self::all().map(|k| k.name()).collect::<Vec<_>>().join(", "),
            })
    }

    /// The system's parameters with their defaults.
    pub fn params(self) -> Vec<ParamDef> {
        (self.0.params)()
    }

    /// Names of the state components (for axis labels and CSV headers).
    pub fn state_names(self) -> &'static [&'static str] {
        self.0.state
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
        self.0.is_map
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

    /// The values as the entry's constructor reads them.
    fn with_values<T>(&self, f: impl FnOnce(Values<'_>) -> T) -> T {
        let defs = self.kind.params();
        f(Values {
            defs: &defs,
            values: &self.values,
        })
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

    /// The coupled system (for the variable-plasticity sets), validated.
    pub fn coupled_system(&self) -> Result<VariablePlasticity> {
        self.with_values(|v| VariablePlasticity::from_values(&v))
    }

    /// The synapse parameters (for sets of systems built on the synapse model).
    pub fn synapse_params(&self) -> Result<SynapseParams> {
        self.check_name("T")?;
        Ok(self.with_values(|v| SynapseParams::from_values(&v)))
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

pub use crate::analysis::entry::Built as System;
pub use crate::analysis::system::Dynamics;

/// Builds the system, validating its parameters.
pub fn build(params: &ParamSet) -> Result<System> {
    params.with_values(|v| (params.kind.0.build)(v))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_s_defaults_are_its_system_s_defaults() {
        use crate::analysis::systems::{Henon, Linear, Logistic, Lorenz, Tent};
        use crate::model::variable_plasticity::VariablePlasticityParams;
        let value = |kind: SystemKind, name: &str| ParamSet::defaults(kind).get(name).unwrap();
        let eq = |a: f64, b: f64| (a - b).abs() <= 0.0;
        assert!(eq(value(SystemKind::Logistic, "r"), Logistic::default().r));
        assert!(eq(
            value(SystemKind::parse("tent").unwrap(), "mu"),
            Tent::default().mu
        ));
        assert!(eq(value(SystemKind::Henon, "a"), Henon::default().a));
        assert!(eq(value(SystemKind::Henon, "b"), Henon::default().b));
        let linear = SystemKind::parse("linear").unwrap();
        for (k, name) in ["a11", "a12", "a21", "a22"].iter().enumerate() {
            assert!(eq(value(linear, name), Linear::default().a[k]));
        }
        let lorenz = Lorenz::default();
        assert!(eq(value(SystemKind::Lorenz, "rho"), lorenz.rho));
        assert!(eq(value(SystemKind::Lorenz, "beta"), lorenz.beta));
        for kind in [
            SystemKind::SynapseMap,
            SystemKind::VariablePlasticity,
            SystemKind::VariablePlasticityFlow,
        ] {
            assert_eq!(
                ParamSet::defaults(kind).synapse_params().unwrap(),
                SynapseParams::default()
            );
        }
        for kind in [
            SystemKind::VariablePlasticity,
            SystemKind::VariablePlasticityFlow,
        ] {
            let system = ParamSet::defaults(kind).coupled_system().unwrap();
            assert_eq!(*system.params(), VariablePlasticityParams::default());
        }
        // Every entry builds from its defaults, with a start of its own dimension.
        for kind in SystemKind::all() {
            let built = build(&ParamSet::defaults(kind)).unwrap();
            assert_eq!(
                built.initial_state.len(),
                kind.state_names().len(),
                "{}",
                kind.name()
            );
        }
    }

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
