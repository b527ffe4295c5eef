use super::*;
use crate::analysis::system::Dynamics;
use crate::analysis::systems::{Logistic, Lorenz};
use crate::error::Result;

fn logistic(r: f64) -> Result<Dynamics> {
    Ok(Dynamics::Map(Box::new(Logistic { r })))
}

fn opts(from: f64, to: f64, max_doublings: usize) -> ContinuationOptions {
    ContinuationOptions {
        from,
        to,
        ds: None,
        max_points: 2_000,
        max_doublings,
    }
}

fn flips(c: &Continuation) -> Vec<f64> {
    let mut at: Vec<f64> = c
        .bifurcations
        .iter()
        .filter(|b| b.kind == BifurcationKind::Flip)
        .map(|b| b.at)
        .collect();
    at.sort_by(f64::total_cmp);
    at
}

#[test]
fn logistic_period_doubling_sequence() {
    let c = continuation(&logistic, &[0.6], &opts(2.5, 3.56, 2)).unwrap();
    let at = flips(&c);
    // r1 = 3, r2 = 1 + √6, r3 = 3.5440903595519228 (Feigenbaum cascade of the logistic map).
    let expected = [3.0, 1.0 + 6.0_f64.sqrt(), 3.544_090_359_551_922_8];
    assert_eq!(at.len(), 3, "{:?}", c.bifurcations);
    for (a, e) in at.iter().zip(expected) {
        assert!((a - e).abs() <= 1e-8, "flip at {a}, expected {e}");
    }
    assert!(c
        .bifurcations
        .iter()
        .all(|b| b.kind == BifurcationKind::Flip));
    // Stable below r1 on the fixed-point branch, unstable above.
    let first = &c.branches[0];
    for pt in &first.points {
        assert_eq!(pt.stable, pt.p < 3.0, "r = {}", pt.p);
        assert!((pt.x[0] - (1.0 - 1.0 / pt.p)).abs() < 1e-12);
    }
    assert_eq!(c.branches.iter().map(|b| b.period).max(), Some(4));
}

#[test]
fn fold_of_the_normal_form_flow() {
    // x' = p − x²: equilibria ±√p meet in a fold at p = 0 (continue the stable one from p = 1
    // downward; the branch turns at p = 0 onto the unstable equilibrium −√p).
    let family = |p: f64| -> Result<Dynamics> { Ok(Dynamics::Flow(Box::new(FoldFlow { p }))) };
    let c = continuation(&family, &[1.0], &opts(1.0, -1.0, 0)).unwrap();
    let folds: Vec<&Bifurcation> = c
        .bifurcations
        .iter()
        .filter(|b| b.kind == BifurcationKind::Fold)
        .collect();
    assert_eq!(folds.len(), 1, "{:?}", c.bifurcations);
    assert!(folds[0].at.abs() < 1e-8, "{}", folds[0].at);
    assert!(folds[0].x[0].abs() < 1e-4);
}

#[derive(Debug)]
struct FoldFlow {
    p: f64,
}

impl crate::analysis::Flow for FoldFlow {
    fn dim(&self) -> usize {
        1
    }
    fn rhs(&self, x: &[f64], out: &mut [f64]) {
        out[0] = self.p - x[0] * x[0];
    }
}

#[test]
fn lorenz_subcritical_hopf_of_the_convective_equilibria() {
    // C± = (±√(β(ρ−1)), ±√(β(ρ−1)), ρ − 1) lose stability at ρ_H = σ(σ+β+3)/(σ−β−1).
    let (sigma, beta) = (10.0, 8.0 / 3.0);
    let family = |rho: f64| -> Result<Dynamics> {
        Ok(Dynamics::Flow(Box::new(Lorenz { sigma, rho, beta })))
    };
    let rho0 = 15.0_f64;
    let c0 = (beta * (rho0 - 1.0)).sqrt();
    let c = continuation(&family, &[c0, c0, rho0 - 1.0], &opts(rho0, 30.0, 0)).unwrap();
    let hopf: Vec<&Bifurcation> = c
        .bifurcations
        .iter()
        .filter(|b| b.kind == BifurcationKind::Hopf)
        .collect();
    let expected = sigma * (sigma + beta + 3.0) / (sigma - beta - 1.0);
    assert_eq!(hopf.len(), 1, "{:?}", c.bifurcations);
    assert!(
        (hopf[0].at - expected).abs() <= 1e-8 * expected,
        "{} vs {expected}",
        hopf[0].at
    );
}

#[test]
fn delayed_logistic_neimark_sacker_at_r_2() {
    // x' = r x (1 − y), y' = x: fixed point (1 − 1/r, 1 − 1/r), det J = r − 1 → NS at r = 2.
    let family =
        |r: f64| -> Result<Dynamics> { Ok(Dynamics::Map(Box::new(DelayedLogistic { r }))) };
    let c = continuation(&family, &[0.4, 0.4], &opts(1.6, 2.2, 0)).unwrap();
    let ns: Vec<&Bifurcation> = c
        .bifurcations
        .iter()
        .filter(|b| b.kind == BifurcationKind::NeimarkSacker)
        .collect();
    assert_eq!(ns.len(), 1, "{:?}", c.bifurcations);
    assert!((ns[0].at - 2.0).abs() <= 1e-8, "{}", ns[0].at);
}

#[derive(Debug)]
struct DelayedLogistic {
    r: f64,
}

impl crate::analysis::Map for DelayedLogistic {
    fn dim(&self) -> usize {
        2
    }
    fn step(&self, x: &[f64], out: &mut [f64]) {
        out[0] = self.r * x[0] * (1.0 - x[1]);
        out[1] = x[0];
    }
}

#[test]
fn empty_or_non_finite_ranges_are_refused() {
    let e = continuation(&logistic, &[0.6], &opts(3.0, 3.0, 0)).unwrap_err();
    assert!(e.to_string().contains("empty range"), "{e}");
    assert!(continuation(&logistic, &[0.6], &opts(f64::NAN, 3.0, 0)).is_err());
}

#[test]
fn soft_bound_synapse_flips_at_eta_c() {
    // The registry's synapse map continued in η: the flip must sit at η_c = −2/F'(w*) of the
    // model's own fixed-point analysis (MODEL.md §4).
    use crate::model::synapse_map::SynapseModel;
    use crate::registry::{build_with, ParamSet, SystemKind};
    let params = ParamSet::defaults(SystemKind::SynapseMap);
    let eta_c = SynapseModel::new(params.synapse_params().unwrap())
        .unwrap()
        .fixed_points()[0]
        .eta_c
        .unwrap();
    let family = |eta: f64| build_with(&params, "eta", eta).map(|s| s.dynamics);
    let start = build_with(&params, "eta", 0.5).unwrap().initial_state;
    let c = continuation(&family, &start, &opts(0.5, 3.0, 1)).unwrap();
    let at = flips(&c);
    assert!(!at.is_empty(), "{:?}", c.bifurcations);
    assert!(
        (at[0] - eta_c).abs() <= 1e-8 * eta_c,
        "{} vs {eta_c}",
        at[0]
    );
    // Stable below, unstable above, on the fixed-point branch.
    for pt in &c.branches[0].points {
        if (pt.p - eta_c).abs() > 1e-6 {
            assert_eq!(pt.stable, pt.p < eta_c, "η = {}", pt.p);
        }
    }
}

#[test]
fn coupled_plasticity_map_flips_where_eta_star_reaches_eta_c() {
    // Variable plasticity (MODEL.md §5, h = 1, d = w): the w-multiplier is 1 + η* F'(w*) with
    // η* = η_min + 1/(η_max − w*), so continuing in η_min the flip sits at
    // η_min = η_c − 1/(η_max − w*).
    use crate::model::synapse_map::SynapseModel;
    use crate::registry::{build_with, ParamSet, SystemKind};
    let params = ParamSet::defaults(SystemKind::VariablePlasticity);
    let fp = SynapseModel::new(params.synapse_params().unwrap())
        .unwrap()
        .fixed_points()[0];
    let eta_max = params.get("eta_max").unwrap();
    let expected = fp.eta_c.unwrap() - 1.0 / (eta_max - fp.w);
    let family = |v: f64| build_with(&params, "eta_min", v).map(|s| s.dynamics);
    let start = build_with(&params, "eta_min", 0.5).unwrap().initial_state;
    let c = continuation(&family, &start, &opts(0.5, 2.5, 0)).unwrap();
    let at = flips(&c);
    assert_eq!(at.len(), 1, "{:?}", c.bifurcations);
    assert!(
        (at[0] - expected).abs() <= 1e-8 * expected,
        "{} vs {expected}",
        at[0]
    );
}

#[test]
fn neutral_saddles_are_not_hopf_or_neimark_sacker() {
    // Map diag(2 + p, 0.5): μ1 μ2 crosses 1 at p = 0 with real multipliers — no Neimark-Sacker.
    let map = |p: f64| -> Result<Dynamics> {
        Ok(Dynamics::Map(Box::new(crate::analysis::systems::Linear {
            a: [2.0 + p, 0.0, 0.0, 0.5],
        })))
    };
    let c = continuation(&map, &[0.0, 0.0], &opts(-0.5, 0.5, 0)).unwrap();
    assert!(
        c.bifurcations
            .iter()
            .all(|b| b.kind != BifurcationKind::NeimarkSacker),
        "{:?}",
        c.bifurcations
    );
    // Flow diag(1 + p, −1): the trace crosses 0 at p = 0 with real eigenvalues 1, −1 (the
    // bialternate test vanishes) — a neutral saddle, not a Hopf point.
    let flow = |p: f64| -> Result<Dynamics> {
        Ok(Dynamics::Flow(Box::new(DiagonalFlow {
            a: 1.0 + p,
            b: -1.0,
        })))
    };
    let c = continuation(&flow, &[0.0, 0.0], &opts(-0.5, 0.5, 0)).unwrap();
    assert!(
        c.bifurcations
            .iter()
            .all(|b| b.kind != BifurcationKind::Hopf),
        "{:?}",
        c.bifurcations
    );
    assert!(c.branches[0].points.len() > 2);
}

#[derive(Debug)]
struct DiagonalFlow {
    a: f64,
    b: f64,
}

impl crate::analysis::Flow for DiagonalFlow {
    fn dim(&self) -> usize {
        2
    }
    fn rhs(&self, x: &[f64], out: &mut [f64]) {
        out[0] = self.a * x[0];
        out[1] = self.b * x[1];
    }
}

#[test]
fn non_smooth_maps_are_refused() {
    let tent = |mu: f64| -> Result<Dynamics> {
        Ok(Dynamics::Map(Box::new(crate::analysis::systems::Tent {
            mu,
        })))
    };
    let e = continuation(&tent, &[0.6], &opts(1.2, 1.9, 0)).unwrap_err();
    assert!(e.to_string().contains("not smooth"), "{e}");
}
