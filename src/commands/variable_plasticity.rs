//! `mesonet plasticity`: fixed points of the coupled (w, η) system of MODEL.md §5 with the
//! analytic Jacobian, the same Jacobian by finite differences of the flow, and eigenvalues.

use super::Report;
use crate::analysis::fixed_points::eigenvalues;
use crate::analysis::system::central_difference;
use crate::analysis::Flow;
use crate::error::Result;
use crate::model::variable_plasticity::VariablePlasticityFlow;
use crate::registry::{ParamSet, SystemKind};
use clap::Args;

/// Arguments of `mesonet plasticity`.
#[derive(Debug, Clone, Args)]
pub struct VariablePlasticityArgs {
    /// Set a parameter, repeatable: the synapse's (T, a_plus, a_minus, tau, w_max, mu, theta,
    /// k, tau_m) and variable plasticity's (eta_min, eta_max, tau_d in periods, epsilon,
    /// drive 0 = w / 1 = |S|, flipping, h). Defaults: the soft-bound synapse, eta_min = 1,
    /// eta_max = 4, tau_d = 10, epsilon = 0.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Fixed points (w*, η*), flow Jacobian (analytic and finite differences), eigenvalues, and
/// the map-form multipliers 1 + h λ.
pub fn run(args: &VariablePlasticityArgs) -> Result<Report> {
    let mut params = ParamSet::defaults(SystemKind::VariablePlasticity);
    params.apply_assignments(&args.set)?;
    let system = params.coupled_system()?;
    let h = crate::error::require_positive("h", params.get("h")?)?;
    let flow = VariablePlasticityFlow { system };
    let mut points = Vec::new();
    let mut text = String::new();
    for fp in system.fixed_points()? {
        let mut numeric = [0.0; 4];
        central_difference(2, &[fp.w, fp.eta], &mut numeric, |x, out| flow.rhs(x, out));
        let multipliers = eigenvalues(
            &[
                1.0 + h * fp.jacobian[0],
                h * fp.jacobian[1],
                h * fp.jacobian[2],
                1.0 + h * fp.jacobian[3],
            ],
            2,
        )?;
        text.push_str(&format!(
            "w* = {:.12}  eta* = {:.12}\n  J (analytic) = {:?}\n  J (finite differences) = {:?}\n  eigenvalues (flow) = {:?}\n  |multipliers| (map, h = {h}) = {:?}\n",
            fp.w,
            fp.eta,
            fp.jacobian,
            numeric,
            fp.eigenvalues.iter().map(|e| (e.re, e.im)).collect::<Vec<_>>(),
            multipliers.iter().map(|e| e.modulus()).collect::<Vec<_>>(),
        ));
        points.push(serde_json::json!({
            "w": fp.w,
            "eta": fp.eta,
            "jacobian": fp.jacobian,
            "jacobian_finite_differences": numeric,
            "eigenvalues": fp.eigenvalues.iter().map(|e| [e.re, e.im]).collect::<Vec<_>>(),
            "map_multipliers": multipliers.iter().map(|e| [e.re, e.im]).collect::<Vec<_>>(),
            "map_stable": multipliers.iter().all(|e| e.modulus() < 1.0),
            "flow_stable": fp.eigenvalues.iter().all(|e| e.re < 0.0),
        }));
    }
    if points.is_empty() {
        text.push_str("no fixed point w* >= w_c\n");
    }
    let (bound, why) = system.drive_bound();
    let json = serde_json::json!({
        "params": params.to_json(),
        "w_c": system.synapse().w_c(),
        "drive_bound": bound,
        "drive_bound_reason": why,
        "fixed_points": points,
    });
    Ok(Report { json, text })
}
