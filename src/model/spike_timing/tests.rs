use super::*;
use crate::Error;
use approx::assert_relative_eq;

fn poster() -> SpikeTiming {
    SpikeTiming::new(1.0, 1.0, 2.0).unwrap()
}

#[test]
fn spike_time_solves_the_threshold_equation() {
    for params in [poster(), SpikeTiming::new(0.3, 2.5, 7.0).unwrap()] {
        for factor in [1.0001, 1.01, 1.5, 2.0, 10.0, 1e3, 1e6] {
            let w = factor * params.w_c();
            let x = params.spike_time_ms(w).unwrap();
            assert!(x > 0.0 && x <= params.tau_m_ms());
            assert_relative_eq!(params.kernel(w, x), params.theta(), max_relative = 1e-14);
            let down = params.down_crossing_ms(w).unwrap();
            assert!(down >= params.tau_m_ms());
            assert_relative_eq!(params.kernel(w, down), params.theta(), max_relative = 1e-13);
        }
    }
}

#[test]
fn crossings_meet_at_tau_m_in_the_fold() {
    let params = poster();
    let w_c = params.w_c();
    assert_relative_eq!(w_c, std::f64::consts::E / 2.0, max_relative = 1e-15);
    let up = params.spike_time_ms(w_c).unwrap();
    let down = params.down_crossing_ms(w_c).unwrap();
    assert!((up - 2.0).abs() < 1e-7, "up {up}");
    assert!((down - 2.0).abs() < 1e-7, "down {down}");
    // Just above the fold the crossings split like sqrt(w - w_c): 2 τ sqrt(2 δ) apart.
    let w = w_c * (1.0 + 1e-15);
    let (up, down) = (
        params.spike_time_ms(w).unwrap(),
        params.down_crossing_ms(w).unwrap(),
    );
    assert!(up <= 2.0 && down >= 2.0, "up {up}, down {down}");
    assert!(
        (up - 2.0).abs() < 1e-7 && (down - 2.0).abs() < 1e-7,
        "{up}, {down}"
    );
}

#[test]
fn no_spike_below_w_c_or_for_bad_weights() {
    let params = poster();
    for w in [0.999 * params.w_c(), 0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(params.spike_time_ms(w).is_none(), "w = {w}");
        assert!(params.down_crossing_ms(w).is_none(), "w = {w}");
        assert!(params.dspike_dw(w).is_none(), "w = {w}");
    }
    assert!(params.dspike_dw(params.w_c()).is_none());
}

#[test]
fn derivative_matches_central_difference() {
    let params = poster();
    for factor in [1.05, 1.3, 2.0, 5.0, 50.0] {
        let w = factor * params.w_c();
        let h = 1e-5 * w;
        let numeric = (params.spike_time_ms(w + h).unwrap() - params.spike_time_ms(w - h).unwrap())
            / (2.0 * h);
        let exact = params.dspike_dw(w).unwrap();
        assert!(exact < 0.0);
        assert_relative_eq!(exact, numeric, max_relative = 1e-6);
    }
}

#[test]
fn quadratic_matches_textbook_formula_and_taylor_one() {
    for params in [poster(), SpikeTiming::new(2.0, 0.7, 3.0).unwrap()] {
        for factor in [1.0, 1.001, 1.5, 3.0, 100.0] {
            let w = factor * params.w_quadratic();
            let textbook = {
                // w k x - (w k / τ) x² - θ = 0, smaller root.
                let (qa, qb, qc) = (
                    -w * params.k() / params.tau_m_ms(),
                    w * params.k(),
                    -params.theta(),
                );
                (-qb + (qb * qb - 4.0 * qa * qc).max(0.0).sqrt()) / (2.0 * qa)
            };
            let quadratic = params.quadratic_ms(w).unwrap();
            let taylor = params.taylor_ms(w, 1).unwrap();
            assert_relative_eq!(quadratic, textbook, max_relative = 1e-9);
            assert_relative_eq!(quadratic, taylor, max_relative = 1e-12);
        }
        assert!(params.quadratic_ms(0.999 * params.w_quadratic()).is_none());
        assert!(params.taylor_ms(0.999 * params.w_quadratic(), 1).is_none());
    }
}

#[test]
fn taylor_zero_is_linear_latency() {
    let params = SpikeTiming::new(1.5, 0.8, 2.0).unwrap();
    assert_relative_eq!(
        params.taylor_ms(3.0, 0).unwrap(),
        0.8 / (3.0 * 1.5),
        max_relative = 1e-15
    );
}

#[test]
fn taylor_converges_to_lambert() {
    let params = poster();
    let w = 2.0 * params.w_c();
    let exact = params.spike_time_ms(w).unwrap();
    let errors: Vec<f64> = (0..=14)
        .map(|n| (params.taylor_ms(w, n).unwrap() - exact).abs())
        .collect();
    assert!(errors[12] < 1e-9, "N = 12 error {}", errors[12]);
    for n in 1..10 {
        assert!(errors[n] < errors[n - 1], "N = {n}: {errors:?}");
    }
    // The poster's rule at τ_m = 2 ms, and its neighbours.
    let rule = params.order_rule();
    assert_eq!(rule, 4);
    println!(
        "tau_m = 2, w = 2 w_c, x* = {exact:.15}: |Taylor-N - x*| N=3: {:.3e}, N=4 (rule): {:.3e}, N=5: {:.3e}",
        errors[3], errors[4], errors[5]
    );
}

#[test]
fn taylor_handles_orders_without_roots_and_far_roots() {
    let params = poster();
    // Below w_c an odd Taylor polynomial tops out below θ: no root.
    assert!(params.taylor_ms(0.9 * params.w_c(), 3).is_none());
    // An even one keeps rising, so a (far, spurious) root exists and solves the equation.
    let w = 0.9 * params.w_c();
    let x = params.taylor_ms(w, 2).unwrap();
    let u = x / params.tau_m_ms();
    let poly = u * (1.0 - u + u * u / 2.0);
    assert_relative_eq!(poly, params.scaled_threshold(w), max_relative = 1e-13);
    assert!(params.taylor_ms(2.0, MAX_TAYLOR_ORDER + 1).is_none());
    assert!(params.taylor_ms(2.0, MAX_TAYLOR_ORDER).is_some());
}

#[test]
fn taylor_agrees_with_a_dense_scan() {
    // Independent check: first sign change of w k x P_N(x) - θ on a fine grid.
    let params = poster();
    for order in 0..=15usize {
        for factor in [0.5, 0.9, 1.0, 1.2, 3.0, 40.0] {
            let w = factor * params.w_c();
            let h = |x: f64| {
                let u = x / params.tau_m_ms();
                let (mut term, mut poly) = (1.0, 1.0);
                for n in 1..=order {
                    term *= -u / n as f64;
                    poly += term;
                }
                w * params.k() * x * poly - params.theta()
            };
            if (factor - 1.0f64).abs() < f64::EPSILON {
                // At the fold the Taylor roots come in pairs closer than any grid
                // (N = 12: 1.2e-4 ms apart): check the residual instead.
                if let Some(x) = params.taylor_ms(w, order) {
                    assert!(h(x).abs() < 1e-14 && x <= 2.0, "N={order}: {x} {}", h(x));
                }
                continue;
            }
            let (samples, limit) = (200_000, 60.0);
            let scan = (1..=samples)
                .map(|j| j as f64 * limit / samples as f64)
                .find(|&x| h(x) >= 0.0);
            match (scan, params.taylor_ms(w, order)) {
                (Some(x_scan), Some(x)) => {
                    assert!(
                        x <= x_scan && x_scan - x <= limit / samples as f64,
                        "N={order} f={factor}: {x} vs {x_scan}"
                    );
                }
                (None, Some(x)) => assert!(x > limit, "N={order} f={factor}: {x}"),
                (None, None) => {}
                (Some(x_scan), None) => panic!("N={order} f={factor}: missed {x_scan}"),
            }
        }
    }
}

#[test]
fn order_rule_by_hand() {
    // τ = 2: 8 e 4 = 86.98 → 5! = 120 is the first factorial above → N = 4.
    assert_eq!(poster().order_rule(), 4);
    // τ = 1: 8 e = 21.75 → 4! = 24 → N = 3.
    assert_eq!(SpikeTiming::new(1.0, 1.0, 1.0).unwrap().order_rule(), 3);
    // τ = 0.1: 8 e 0.01 = 0.217 ≤ 1! → N = 0.
    assert_eq!(SpikeTiming::new(1.0, 1.0, 0.1).unwrap().order_rule(), 0);
    // τ = 3: 195.7 → 5! = 120 < 195.7 ≤ 720 = 6! → N = 5.
    assert_eq!(SpikeTiming::new(1.0, 1.0, 3.0).unwrap().order_rule(), 5);
    // The largest τ accepted (1e100): the rule in log space, ln (N+1)! >= ln(8e) + 2 ln τ.
    let bound = (8.0 * std::f64::consts::E).ln() + 2.0 * 1e100f64.ln();
    let mut ln_factorial = 0.0;
    let mut n = 0usize;
    while ln_factorial + ((n + 1) as f64).ln() < bound {
        n += 1;
        ln_factorial += (n as f64).ln();
    }
    assert_eq!(SpikeTiming::new(1.0, 1.0, 1e100).unwrap().order_rule(), n);
    assert!(SpikeTiming::new(1.0, 1.0, 1e300).is_err());
}

#[test]
fn bad_parameters_name_the_field() {
    let cases = [
        (SpikeTiming::new(0.0, 1.0, 2.0), "k"),
        (SpikeTiming::new(1.0, -1.0, 2.0), "theta"),
        (SpikeTiming::new(1.0, 1.0, f64::NAN), "tau_m"),
        (SpikeTiming::new(1.0, 1.0, f64::INFINITY), "tau_m"),
    ];
    for (result, field) in cases {
        match result {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, field),
            other => panic!("expected InvalidParameter for {field}, got {other:?}"),
        }
    }
}
