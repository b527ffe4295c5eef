use super::*;
use crate::analysis::systems::{Henon, Linear, Logistic, Lorenz, Tent};

fn opts(transient: usize, steps: usize) -> LyapunovOptions {
    LyapunovOptions {
        transient,
        steps,
        ..LyapunovOptions::default()
    }
}

#[test]
fn logistic_at_r4_has_ln2() {
    // Ulam & von Neumann (1947): λ = ln 2 at r = 4.
    let r = largest_1d(&Logistic { r: 4.0 }, &[0.3], &opts(1_000, 10_000_000)).unwrap();
    assert_eq!(r.status, OrbitStatus::Ok);
    assert!((r.largest() - 2f64.ln()).abs() < 1e-3, "{}", r.largest());
}

#[test]
fn logistic_in_the_period_2_window_has_the_cycle_multiplier() {
    // Period-2 orbit at r = 3.2: multiplier f'(p)f'(q) = 4 + 2r − r² (Strogatz 10.3).
    let r = 3.2;
    let expected = (4.0f64 + 2.0 * r - r * r).abs().ln() / 2.0;
    let res = largest_1d(&Logistic { r }, &[0.3], &opts(10_000, 100_000)).unwrap();
    assert!(
        (res.largest() - expected).abs() < 1e-9,
        "{} vs {expected}",
        res.largest()
    );
}

#[test]
fn tent_two_trajectory_gives_ln_mu() {
    for mu in [1.5, 1.99] {
        let res = two_trajectory(&Tent { mu }, &[0.2345], &opts(100, 200_000)).unwrap();
        assert_eq!(res.method, "two_trajectory");
        assert!(
            (res.largest() - f64::ln(mu)).abs() < 1e-6,
            "mu {mu}: {}",
            res.largest()
        );
    }
}

#[test]
fn henon_spectrum_matches_literature_and_sums_to_ln_b() {
    let res = map_spectrum(
        &Henon { a: 1.4, b: 0.3 },
        &[0.1, 0.1],
        &opts(1_000, 1_000_000),
    )
    .unwrap();
    assert!(
        (res.exponents[0] - 0.419).abs() < 0.003,
        "{:?}",
        res.exponents
    );
    let sum: f64 = res.exponents.iter().sum();
    assert!((sum - 0.3f64.ln()).abs() < 1e-6, "sum {sum}");
}

#[test]
fn linear_map_exponents_are_log_eigenvalues() {
    let m = Linear {
        a: [1.1, 0.0, 0.0, 0.8],
    };
    let res = map_spectrum(&m, &[0.0, 0.0], &opts(0, 1_000)).unwrap();
    assert!((res.exponents[0] - 1.1f64.ln()).abs() < 1e-12);
    assert!((res.exponents[1] - 0.8f64.ln()).abs() < 1e-12);
}

#[test]
fn lorenz_spectrum_matches_literature() {
    let flow = Lorenz {
        sigma: 10.0,
        rho: 28.0,
        beta: 8.0 / 3.0,
    };
    let o = LyapunovOptions {
        transient: 10_000,
        steps: 2_000_000,
        dt: 0.005,
        renorm_every: 10,
        ..LyapunovOptions::default()
    };
    let res = flow_spectrum(&flow, &[1.0, 1.0, 1.0], &o).unwrap();
    let expected = [0.9056, 0.0, -14.5723];
    for (got, want) in res.exponents.iter().zip(expected) {
        assert!((got - want).abs() < 0.02, "{:?}", res.exponents);
    }
}

#[test]
fn divergence_is_reported_not_averaged() {
    let res = largest_1d(&Logistic { r: 4.5 }, &[0.3], &opts(0, 1_000)).unwrap();
    assert_eq!(res.status, OrbitStatus::Diverged);
    assert!(res.largest().is_nan());
}

#[test]
fn wrong_start_dimension_is_an_error() {
    let err = map_spectrum(&Henon { a: 1.4, b: 0.3 }, &[0.1], &opts(0, 10)).unwrap_err();
    assert!(err.to_string().contains("x0"), "{err}");
}
