//! `mesonet synapse`: fixed points of the reduced 1:1 synapse map.

use super::Report;
use crate::error::Result;
use crate::model::synapse_map::SynapseModel;
use crate::registry::{ParamSet, SystemKind};
use clap::Args;

/// Arguments of `mesonet synapse`.
#[derive(Debug, Clone, Args)]
pub struct SynapseMapArgs {
    /// Set a parameter, repeatable: T, a_plus, a_minus, tau, w_max, mu, theta, k, tau_m, eta
    /// (defaults: the soft-bound example of MODEL.md §4 and eta = 0.01).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Computes w_c and the fixed points with F'(w*), η_c, kind, and the multiplier at `eta`.
pub fn run(args: &SynapseMapArgs) -> Result<Report> {
    let mut params = ParamSet::defaults(SystemKind::SynapseMap);
    params.apply_assignments(&args.set)?;
    let eta = crate::error::require_non_negative("eta", params.get("eta")?)?;
    let model = SynapseModel::new(params.synapse_params()?)?;
    let mut json = crate::jobs::synapse_map::fixed_point_json(&model);
    let fixed = model.fixed_points();
    if let Some(list) = json["fixed_points"].as_array_mut() {
        for (entry, fp) in list.iter_mut().zip(&fixed) {
            let multiplier = 1.0 + eta * fp.d_f_dw;
            entry["multiplier_at_eta"] = serde_json::json!(multiplier);
            entry["stable_at_eta"] = serde_json::json!(multiplier.abs() < 1.0);
        }
    }
    json["params"] = params.to_json();
    let mut text = format!("w_c = {:.12}\n", model.w_c());
    if fixed.is_empty() {
        text.push_str("no fixed point w* >= w_c\n");
    }
    for fp in &fixed {
        text.push_str(&format!(
            "w* = {:.12}  latency = {:.12} ms  F'(w*) = {:.12}  eta_c = {}  kind = {}  multiplier(eta={eta}) = {:.6}\n",
            fp.w,
            fp.latency_ms,
            fp.d_f_dw,
            super::show(fp.eta_c),
            serde_json::to_value(fp.kind).expect("enum").as_str().unwrap_or_default(),
            1.0 + eta * fp.d_f_dw
        ));
    }
    if let Some(closed) = json.get("additive_closed_form") {
        text.push_str(&format!("additive closed form: {closed}\n"));
    }
    Ok(Report { json, text })
}
