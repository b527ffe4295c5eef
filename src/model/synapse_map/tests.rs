use super::*;
use crate::analysis::lyapunov::{largest_1d, LyapunovOptions};
use proptest::prelude::*;

fn additive(period_ms: f64) -> SynapseModel {
    SynapseModel::new(SynapseParams {
        period_ms,
        mu: 0.0,
        ..SynapseParams::default()
    })
    .unwrap()
}

#[test]
fn additive_numeric_fixed_point_equals_closed_form() {
    // MODEL.md §4: T = 3, A± = 1, τ = τ_m = 2 → Δt* = 1.5, w* = θ e^{Δt*/τ_m}/(k Δt*).
    let model = additive(3.0);
    let expected_w = (0.75f64).exp() / 1.5;
    let closed = model.additive_closed_form().unwrap();
    assert!((closed.w - expected_w).abs() <= 1e-15 * expected_w);
    let numeric = model.fixed_points();
    assert_eq!(numeric.len(), 1);
    assert!(
        (numeric[0].w - expected_w).abs() <= 1e-10,
        "{} vs {expected_w}",
        numeric[0].w
    );
    assert!((numeric[0].latency_ms - 1.5).abs() <= 1e-10);
    // F'(w*) > 0: a repeller for every η (poster: "unstable critical points").
    assert_eq!(numeric[0].kind, FixedPointKind::Repeller);
    assert!(numeric[0].eta_c.is_none());
}

#[test]
fn additive_without_interior_fixed_point_says_so() {
    // T = 6 → Δt* = 3 > τ_m = 2: the first crossing cannot reach that latency.
    let model = additive(6.0);
    assert!(model.fixed_points().is_empty());
    let err = model.additive_closed_form().unwrap_err().to_string();
    assert!(err.contains("outside"), "{err}");
}

#[test]
fn soft_bound_example_is_stable_then_flips() {
    let model = SynapseModel::new(SynapseParams::default()).unwrap();
    let fps = model.fixed_points();
    assert_eq!(fps.len(), 1, "{fps:?}");
    let fp = fps[0];
    assert!(fp.w > model.w_c() && fp.w < 3.0);
    assert_eq!(fp.kind, FixedPointKind::StableBelowEtaC);
    let eta_c = fp.eta_c.unwrap();
    // The multiplier 1 + η F'(w*) is −1 exactly at η_c.
    assert!((1.0 + eta_c * fp.d_f_dw + 1.0).abs() < 1e-12);
    // Below η_c the orbit converges to w*; above it a period-2 orbit appears.
    let opts = LyapunovOptions {
        transient: 20_000,
        steps: 2_000,
        ..Default::default()
    };
    let below = SynapseMap::new(model, 0.9 * eta_c).unwrap();
    let mut w = [fp.w + 0.05];
    let mut next = [0.0];
    for _ in 0..20_000 {
        below.step(&w, &mut next);
        w = next;
    }
    assert!((w[0] - fp.w).abs() < 1e-10);
    let res = largest_1d(&below, &[fp.w + 0.05], &opts).unwrap();
    let multiplier = (1.0 + 0.9 * eta_c * fp.d_f_dw).abs().ln();
    assert!(
        (res.largest() - multiplier).abs() < 1e-9,
        "{} vs {multiplier}",
        res.largest()
    );

    let above = SynapseMap::new(model, 1.05 * eta_c).unwrap();
    let mut w = [fp.w + 0.01];
    for _ in 0..50_000 {
        above.step(&w, &mut next);
        w = next;
    }
    let mut w2 = [0.0];
    above.step(&w, &mut w2);
    let mut w3 = [0.0];
    above.step(&w2, &mut w3);
    assert!(
        (w3[0] - w[0]).abs() < 1e-10,
        "not period 2: {} {}",
        w[0],
        w3[0]
    );
    assert!(
        (w2[0] - w[0]).abs() > 1e-3,
        "collapsed onto the fixed point"
    );
}

#[test]
fn soft_bound_cascade_reaches_chaos_and_then_absorption() {
    let model = SynapseModel::new(SynapseParams::default()).unwrap();
    let fp = model.fixed_points()[0];
    let eta_c = fp.eta_c.unwrap();
    let opts = LyapunovOptions {
        transient: 2_000,
        steps: 20_000,
        ..Default::default()
    };
    // Scan η above η_c: some value must have λ > 0 (chaos) while the orbit stays alive, and a
    // larger η must be absorbed in the silent region.
    let mut first_chaotic = None;
    let mut first_absorbed = None;
    for i in 0..2_000 {
        let eta = eta_c * (1.0 + i as f64 * 0.001);
        let map = SynapseMap::new(model, eta).unwrap();
        let res = largest_1d(&map, &[fp.w + 0.01], &opts).unwrap();
        if first_chaotic.is_none() && res.status == OrbitStatus::Ok && res.largest() > 0.05 {
            first_chaotic = Some(eta);
        }
        if first_absorbed.is_none() && res.status == OrbitStatus::Absorbed {
            assert_eq!(res.largest().to_bits(), 0.0f64.to_bits());
            first_absorbed = Some(eta);
        }
    }
    let chaotic = first_chaotic.expect("no chaotic η found above η_c");
    let absorbed = first_absorbed.expect("no absorbed η found");
    assert!(
        chaotic < absorbed,
        "chaos at {chaotic}, absorption at {absorbed}"
    );
}

#[test]
fn silent_region_is_the_identity_and_absorbing() {
    let model = SynapseModel::new(SynapseParams::default()).unwrap();
    let map = SynapseMap::new(model, 0.5).unwrap();
    let w = 0.99 * model.w_c();
    let mut out = [0.0];
    map.step(&[w], &mut out);
    assert_eq!(out[0].to_bits(), w.to_bits());
    assert_eq!(map.classify(&[w]), OrbitStatus::Absorbed);
    assert!(model.drift(w).is_none());
}

#[test]
fn invalid_parameters_name_the_field() {
    let bad = |p: SynapseParams| SynapseModel::new(p).unwrap_err().to_string();
    let e = bad(SynapseParams {
        tau_m_ms: -1.0,
        ..SynapseParams::default()
    });
    assert!(e.contains("tau_m") && e.contains("-1"), "{e}");
    let e = bad(SynapseParams {
        w_max: 0.0,
        ..SynapseParams::default()
    });
    assert!(e.contains("w_max"), "{e}");
    let e = bad(SynapseParams {
        period_ms: 1.5,
        ..SynapseParams::default()
    });
    assert!(e.contains('T') && e.contains("1.5"), "{e}");
    let e = bad(SynapseParams {
        a_plus: f64::NAN,
        ..SynapseParams::default()
    });
    assert!(e.contains("a_plus") && e.contains("NaN"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// The exact Lambert-W derivative F'(w) equals a central finite difference of F.
    #[test]
    fn drift_slope_matches_finite_difference(
        period_ms in 2.5f64..12.0,
        a_plus in 0.1f64..2.0,
        a_minus in 0.1f64..2.0,
        tau_ms in 0.5f64..5.0,
        w_max in 1.0f64..6.0,
        mu in prop_oneof![Just(0.0), Just(1.0), 0.2f64..2.0],
        theta in 0.5f64..2.0,
        k in 0.5f64..2.0,
        tau_m_ms in 0.5f64..2.4,
        offset in 0.02f64..3.0,
    ) {
        let model = SynapseModel::new(SynapseParams {
            period_ms, a_plus, a_minus, tau_ms, w_max, mu, theta, k, tau_m_ms,
        }).unwrap();
        // Stay away from w_c (where dx*/dw diverges) and, for fractional μ, from the kinks of
        // the soft bounds at w = 0 and w = w_max.
        let w = model.w_c() * (1.0 + offset);
        prop_assume!(mu == 0.0 || (mu - 1.0).abs() < f64::EPSILON || ((w - w_max).abs() > 0.05 && w > 0.05));
        let h = 1e-6 * w;
        let fd = (model.drift(w + h).unwrap() - model.drift(w - h).unwrap()) / (2.0 * h);
        let analytic = model.drift_slope(w).unwrap();
        prop_assert!((analytic - fd).abs() <= 1e-6 * (1.0 + analytic.abs()), "{} vs {}", analytic, fd);
    }
}
