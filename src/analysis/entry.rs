//! The table entry of a system that `--system NAME` and the specs can name: its name, its
//! parameters (defaults taken from the system's own `Default`), its state's names, whether it
//! is a map or a flow, and its constructor. Each system declares its entry next to itself; the
//! table of all entries is [`crate::registry::SYSTEMS`].

use super::system::Dynamics;
use crate::error::Result;

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

/// A parameter definition.
pub const fn param(name: &'static str, default: f64, doc: &'static str) -> ParamDef {
    ParamDef { name, default, doc }
}

/// The values of an entry's parameters, read by name in its constructor.
#[derive(Debug, Clone, Copy)]
pub struct Values<'a> {
    /// The parameters, in the entry's order.
    pub defs: &'a [ParamDef],
    /// Their values.
    pub values: &'a [f64],
}

impl Values<'_> {
    /// The value of `name`, one of the entry's own parameters.
    pub fn get(&self, name: &str) -> f64 {
        let k = self
            .defs
            .iter()
            .position(|p| p.name == name)
            .unwrap_or_else(|| panic!("'{name}' is not a parameter of this entry"));
        self.values[k]
    }
}

/// A system built from its parameters, with its default starting state.
pub struct Built {
    /// The dynamics.
    pub dynamics: Dynamics,
    /// The default initial state.
    pub initial_state: Vec<f64>,
}

/// The entry of one system.
#[derive(Debug, Clone, Copy)]
pub struct SystemEntry {
    /// The name on the command line and in specs.
    pub name: &'static str,
    /// Its parameters with their defaults (from the system's `Default`).
    pub params: fn() -> Vec<ParamDef>,
    /// Names of the state components.
    pub state: &'static [&'static str],
    /// True for discrete maps, false for flows.
    pub is_map: bool,
    /// Builds the system, validating the values.
    pub build: fn(Values<'_>) -> Result<Built>,
}
