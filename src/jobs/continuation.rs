//! Continuation of a fixed point over one parameter: the branches (stable solid, unstable
//! dashed) and located bifurcations overlaid on the orbit diagram.

use super::{write_summary, Header, Progress};
use crate::analysis::continuation::{
    continuation, Bifurcation, BifurcationKind, Branch, Continuation,
};
use crate::analysis::orbit::orbit_diagram;
use crate::analysis::system::Dynamics;
use crate::error::Result;
use crate::figures::bifurcation::BranchCurve;
use crate::figures::{bifurcation, BifurcationFigure};
use crate::output::{csv_number, write_csv};
use crate::registry::{build_map_with, build_with, ParamSet};
use crate::spec::{ContinuationPlan, Plan};
use std::path::Path;

/// What a continuation writes as `<name>.json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ContinuationSummary {
    /// Name, kind, description.
    #[serde(flatten)]
    pub header: Header,
    /// The system's name.
    pub system: &'static str,
    /// The continued parameter.
    pub param: String,
    /// The system's parameters.
    pub params: serde_json::Value,
    /// Start of the parameter range.
    pub from: f64,
    /// End of the parameter range.
    pub to: f64,
    /// The starting state.
    pub x0: Vec<f64>,
    /// Located bifurcations.
    pub bifurcations: Vec<Bifurcation>,
    /// The branches, the starting one first.
    pub branches: Vec<Branch>,
}

impl ContinuationSummary {
    /// The system, the range, the number of branches and the bifurcations.
    pub fn text(&self) -> String {
        let mut text = format!(
            "continuation of {} in {} from {} to {}: {} branch(es)\n",
            self.system,
            self.param,
            self.from,
            self.to,
            self.branches.len()
        );
        for b in &self.bifurcations {
            text.push_str(&format!(
                "  {} at {} = {:.12} (period {})\n",
                kind_name(b.kind),
                self.param,
                b.at,
                b.period
            ));
        }
        text
    }
}

/// A bifurcation's kind as its JSON names it ("flip", "neimark_sacker", ...).
fn kind_name(kind: BifurcationKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Continues the branch; writes `branches.csv`, `bifurcations.csv`, `<name>.json` and
/// `continuation.png/svg`.
pub fn run(
    plan: &Plan,
    kind: &ContinuationPlan,
    dir: &Path,
    progress: &Progress,
) -> Result<ContinuationSummary> {
    let ContinuationPlan {
        params,
        grid,
        orbit,
        options,
        x0,
    } = kind;
    let name = grid.name.as_str();
    let family = |p: f64| build_with(params, name, p).map(|s| s.dynamics);
    let start = match x0 {
        Some(x) => x.clone(),
        None => build_with(params, name, options.from)?.initial_state,
    };
    let is_map = params.kind().is_map();
    (progress.start)(if is_map { grid.len() as u64 } else { 0 });
    let result = continuation(&family, &start, options)?;
    let columns = if is_map {
        orbit_diagram(
            grid,
            &start,
            orbit,
            |p| build_map_with(params, name, p, "an orbit diagram").map(|(m, _)| m),
            progress.tick,
        )?
    } else {
        Vec::new()
    };
    write_branches(dir, name, &result)?;
    let curves = branch_curves(params, name, &result.branches)?;
    bifurcation(
        &BifurcationFigure {
            title: if plan.description.is_empty() {
                format!(
                    "Continuation of the {} system in {name}",
                    params.kind().name()
                )
            } else {
                plan.description.clone()
            },
            param_label: crate::registry::label(name),
            state_label: params.kind().state_names()[0].to_string(),
            orbit: columns
                .iter()
                .flat_map(|c| c.samples.iter().map(move |&s| (c.param, s)))
                .collect(),
            status: columns.iter().map(|c| (c.param, c.status)).collect(),
            lyapunov: None,
            lyapunov_label: String::new(),
            vlines: vec![],
            branches: curves,
            status_names: crate::figures::StatusNames::default(),
            markers: result
                .bifurcations
                .iter()
                .map(|b| {
                    let label = format!(
                        "{} at {} = {:.6}",
                        kind_name(b.kind),
                        crate::registry::symbol(name),
                        b.at
                    );
                    (b.at, b.x[0], label)
                })
                .collect(),
        },
        &dir.join("continuation"),
    )?;
    let summary = ContinuationSummary {
        header: Header::new(plan, "continuation"),
        system: params.kind().name(),
        param: name.to_string(),
        params: params.to_json(),
        from: options.from,
        to: options.to,
        x0: start,
        bifurcations: result.bifurcations,
        branches: result.branches,
    };
    write_summary(plan, dir, &summary)?;
    Ok(summary)
}

fn write_branches(dir: &Path, name: &str, result: &Continuation) -> Result<()> {
    write_csv(
        &dir.join("branches.csv"),
        &["branch", "period", name, "x0", "stable", "max_modulus"],
        result.branches.iter().enumerate().flat_map(|(i, b)| {
            b.points.iter().map(move |pt| {
                vec![
                    i.to_string(),
                    b.period.to_string(),
                    csv_number(pt.p),
                    csv_number(pt.x[0]),
                    pt.stable.to_string(),
                    csv_number(pt.eigenvalues.first().map_or(f64::NAN, |e| e.modulus())),
                ]
            })
        }),
    )?;
    write_csv(
        &dir.join("bifurcations.csv"),
        &["kind", "at", "x0", "period"],
        result.bifurcations.iter().map(|b| {
            vec![
                kind_name(b.kind),
                csv_number(b.at),
                csv_number(b.x[0]),
                b.period.to_string(),
            ]
        }),
    )
}

/// The branches as drawable runs of one stability. A period-k branch of a map is drawn through
/// all k points of its cycle (the branch point and its k − 1 iterates).
fn branch_curves(params: &ParamSet, name: &str, branches: &[Branch]) -> Result<Vec<BranchCurve>> {
    let mut curves = Vec::new();
    for branch in branches {
        let mut traces: Vec<Vec<(f64, f64, bool)>> = vec![Vec::new(); branch.period];
        for pt in &branch.points {
            let mut x = pt.x.clone();
            let member = build_with(params, name, pt.p)?.dynamics;
            for trace in traces.iter_mut() {
                trace.push((pt.p, x[0], pt.stable));
                if let Dynamics::Map(map) = &member {
                    let mut next = vec![0.0; x.len()];
                    map.step(&x, &mut next);
                    x = next;
                }
            }
        }
        for trace in traces {
            let runs: Vec<&[(f64, f64, bool)]> = trace.chunk_by(|a, b| a.2 == b.2).collect();
            for (i, run) in runs.iter().enumerate() {
                // Each run reaches to the next run's first point, so the curve has no gap
                // where the stability changes.
                let bridge = runs.get(i + 1).map(|next| next[0]);
                curves.push(BranchCurve {
                    points: run
                        .iter()
                        .chain(bridge.iter())
                        .map(|&(p, x, _)| (p, x))
                        .collect(),
                    stable: run[0].2,
                });
            }
        }
    }
    Ok(curves)
}
