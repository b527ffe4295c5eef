//! The edge-of-chaos row from a grid of trained networks (`mesonet network-heatmap`).
//!
//! The poster's hypothesis: learning works best where the Lyapunov exponent of the network is
//! close to 0. Its value here is λ = 0 at the best-accuracy cell; the model's value is the λ
//! measured there. The criterion, stated in the row's note: the hypothesis **agrees** when
//! every cell tied at the best accuracy has λ within two standard errors of 0 *and* |λ| at
//! most the median |λ| of the grid (it sits nearer 0 than a typical cell, and 0 is within its
//! noise); a best cell whose copies merged (λ = −∞) disagrees. Cells whose weights sit at the
//! bounds (status saturated) measure the bounds, not learning, and are left out. Spearman's ρ of accuracy against |λ|
//! (negative when accuracy rises towards |λ| = 0) is reported beside it.

use super::row::{ClaimRow, Method, Verdict};
use crate::jobs::network_heatmap::{NetworkCell, NetworkHeatmapData};
use crate::sim::learning_map::LearningStatus;

/// Standard errors within which λ counts as 0.
const STDERRS: f64 = 2.0;

/// The `network_edge_of_chaos` row of a whole grid (`None`: no grid given).
pub fn edge_of_chaos_row(data: Option<&NetworkHeatmapData>) -> ClaimRow {
    let claim = "network_edge_of_chaos";
    let not_measured = |note: &str| ClaimRow {
        claim,
        poster: Some(0.0),
        model: None,
        rel_error: None,
        method: Method::Simulation,
        verdict: Verdict::NotMeasured,
        note: note.into(),
    };
    let Some(data) = data else {
        return not_measured(
            "no trained-network grid given: pass --network-heatmap FILE (the \
             network-heatmap.json of `mesonet network-heatmap`, or of `mesonet merge`)",
        );
    };
    // Cells whose weights sit at the bounds measure the bounds, not learning: left out.
    let considered: Vec<&NetworkCell> = data
        .cells
        .iter()
        .filter(|c| c.status != LearningStatus::Saturated)
        .collect();
    let excluded = data.cells.len() - considered.len();
    let Some(top) = considered.iter().map(|c| c.accuracy).max_by(f64::total_cmp) else {
        return not_measured("the grid has no cell whose weights are off the bounds");
    };
    // Every cell tied at the best accuracy must sit at λ ≈ 0.
    let best: Vec<&NetworkCell> = considered
        .iter()
        .copied()
        .filter(|c| c.accuracy.total_cmp(&top).is_eq())
        .collect();
    let magnitudes: Vec<f64> = considered
        .iter()
        .filter_map(|c| c.lambda.map(f64::abs))
        .collect();
    let median = crate::analysis::correlation::median(magnitudes).unwrap_or(f64::NAN);
    let p = &data.plan;
    let describe = |c: &NetworkCell| {
        let lambda = c.lambda.filter(|l| l.is_finite()).map_or_else(
            || "−∞ (the copies merged)".to_string(),
            |l| format!("{l:.4} ± {:.4}", c.lambda_stderr),
        );
        format!(
            "{} = {}, {} = {} (λ = {lambda})",
            p.x.name,
            c.params.get(&p.x.name).copied().unwrap_or(f64::NAN),
            p.y.name,
            c.params.get(&p.y.name).copied().unwrap_or(f64::NAN),
        )
    };
    let near_zero = |c: &&NetworkCell| {
        c.lambda
            .filter(|l| l.is_finite())
            .is_some_and(|l| l.abs() <= STDERRS * c.lambda_stderr && l.abs() <= median)
    };
    let verdict = if best.iter().all(near_zero) {
        Verdict::Agrees
    } else {
        Verdict::Disagrees
    };
    let rho = match (
        data.correlation.spearman_rho_abs,
        &data.correlation.spearman_interval_abs,
    ) {
        (Some(r), Some(i)) => format!("{r:.3} [{:.3}, {:.3}]", i.low, i.high),
        (Some(r), None) => format!("{r:.3}"),
        _ => "undefined".into(),
    };
    let first = best[0];
    ClaimRow {
        claim,
        poster: Some(0.0),
        model: first.lambda.filter(|l| l.is_finite()),
        rel_error: first.lambda.filter(|l| l.is_finite()).map(f64::abs),
        method: Method::Simulation,
        verdict,
        note: format!(
            "{} grid of {} cells ({} × {}), {} training samples each ({excluded} left out with \
             their weights at the bounds): best accuracy {:.2} % at {}; median |λ| of the \
             grid {median:.4} per presentation; Spearman ρ(accuracy, |λ|) = {rho}. Criterion: \
             agrees when every cell tied at the best accuracy has |λ| within {STDERRS} \
             standard errors of 0 and at most the grid's median |λ|.",
            p.preset,
            data.cells.len(),
            p.x.name,
            p.y.name,
            p.train_samples,
            100.0 * top,
            best.iter()
                .map(|c| describe(c))
                .collect::<Vec<_>>()
                .join("; "),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Grid;
    use crate::jobs::network_heatmap::NetworkHeatmapPlan;
    use crate::jobs::shard::Shard;

    /// A 2 × 2 grid with the given (accuracy, λ, stderr) per cell.
    fn grid(cells: [(f64, Option<f64>, f64); 4]) -> NetworkHeatmapData {
        let plan = NetworkHeatmapPlan {
            preset: "mesonet".into(),
            neurons: None,
            x: Grid::linspace("eta_min", 0.1, 1.0, 2).unwrap(),
            y: Grid::linspace("eta_max", 1.5, 3.0, 2).unwrap(),
            set: Default::default(),
            train_samples: 10,
            test_samples: 10,
            lyapunov_samples: 10,
            d0_relative: 1e-8,
            holdout: 0,
            seed: 0,
        };
        let cells = cells
            .iter()
            .enumerate()
            .map(|(index, &(accuracy, lambda, stderr))| NetworkCell {
                index,
                params: [("eta_min".to_string(), 0.1), ("eta_max".to_string(), 1.5)].into(),
                seed: 0,
                neurons: 10,
                lambda,
                lambda_stderr: stderr,
                status: if lambda.is_some() {
                    LearningStatus::Ok
                } else {
                    LearningStatus::Locked
                },
                accuracy,
                accuracy_proportion: accuracy,
                accuracy_vote_for_all: accuracy,
                presentations: 10,
                plasticity_events: None,
            })
            .collect();
        NetworkHeatmapData::new(plan, Shard::WHOLE, cells, "test")
    }

    #[test]
    fn the_best_cell_near_zero_within_its_noise_agrees() {
        let d = grid([
            (0.8, Some(-0.01), 0.02),
            (0.6, Some(-0.2), 0.01),
            (0.5, Some(0.3), 0.01),
            (0.7, Some(-0.1), 0.01),
        ]);
        let row = edge_of_chaos_row(Some(&d));
        assert_eq!(row.verdict, Verdict::Agrees, "{}", row.note);
        assert_eq!(row.model.unwrap().to_bits(), (-0.01f64).to_bits());
    }

    #[test]
    fn a_best_cell_far_from_zero_or_locked_disagrees() {
        // λ = −0.3 ± 0.01 at the best cell: 30 standard errors from 0.
        let d = grid([
            (0.9, Some(-0.3), 0.01),
            (0.6, Some(0.001), 0.01),
            (0.5, Some(0.002), 0.01),
            (0.7, Some(-0.1), 0.01),
        ]);
        assert_eq!(edge_of_chaos_row(Some(&d)).verdict, Verdict::Disagrees);
        // Within its (large) noise of 0 but farther from 0 than the grid's median |λ|.
        let d = grid([
            (0.9, Some(-0.3), 0.5),
            (0.6, Some(0.001), 0.01),
            (0.5, Some(0.002), 0.01),
            (0.7, Some(-0.01), 0.01),
        ]);
        assert_eq!(edge_of_chaos_row(Some(&d)).verdict, Verdict::Disagrees);
        let d = grid([
            (0.9, None, 0.0),
            (0.6, Some(0.001), 0.01),
            (0.5, Some(0.002), 0.01),
            (0.7, Some(-0.01), 0.01),
        ]);
        let row = edge_of_chaos_row(Some(&d));
        assert_eq!((row.verdict, row.model), (Verdict::Disagrees, None));
        assert_eq!(edge_of_chaos_row(None).verdict, Verdict::NotMeasured);
        // Two cells tied at the best accuracy: both must sit at λ ≈ 0, in any grid order.
        let d = grid([
            (0.9, Some(-0.01), 0.02),
            (0.6, Some(0.2), 0.01),
            (0.5, Some(0.3), 0.01),
            (0.9, Some(-0.5), 0.01),
        ]);
        assert_eq!(edge_of_chaos_row(Some(&d)).verdict, Verdict::Disagrees);
    }
}
