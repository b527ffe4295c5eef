use super::*;
use crate::model::spike_timing::SpikeTiming;
use approx::assert_relative_eq;

/// MODEL.md §1's PSP, written literally (independent of the propagator's form).
fn literal_psp(tau_m: f64, tau_s: f64, q: f64, t: f64) -> f64 {
    q * ((-t / tau_m).exp() - (-t / tau_s).exp()) / (tau_m - tau_s)
}

fn alpha(tau: f64) -> LifParams {
    LifParams::new(tau, tau, 0.0, 0.0, 1.0, 0.0).unwrap()
}

#[test]
fn psp_matches_model_formulas() {
    let params = LifParams::default();
    for t in [0.0, 0.01, 0.5, 1.386, 3.0, 20.0] {
        let expected = literal_psp(2.0, 1.0, 3.0, t);
        assert!((psp(&params, 3.0, t) - expected).abs() <= 1e-15);
    }
    let equal = alpha(2.0);
    for t in [0.0f64, 0.3, 2.0, 9.0] {
        let expected = 0.7 * t * (-t / 2.0).exp() / 4.0;
        assert!((psp(&equal, 0.7, t) - expected).abs() <= 1e-16);
    }
    assert!(psp(&params, 3.0, -1.0).abs() <= 0.0);
}

#[test]
fn alpha_neuron_first_spike_equals_lambert() {
    let mut worst: f64 = 0.0;
    for (k, theta, tau) in [(1.0, 1.0, 2.0), (0.5, 1.3, 3.0)] {
        let theory = SpikeTiming::new(k, theta, tau).unwrap();
        let params = LifParams::new(tau, tau, 0.0, 0.0, theta, 0.0).unwrap();
        for factor in [1.001, 1.1, 2.0, 5.0, 50.0] {
            let w = factor * theory.w_c();
            let x_star = theory.spike_time_ms(w).unwrap();
            for dt in [0.5, 0.1, 0.013] {
                let q = poster_charge(w, k, tau);
                let simulated = first_spike_time_ms(&params, q, dt, 20.0).unwrap().unwrap();
                let error = (simulated - x_star).abs();
                worst = worst.max(error);
                assert!(
                    error < 1e-9,
                    "w = {factor} w_c, dt = {dt}: {simulated} vs {x_star}"
                );
            }
        }
        let below = poster_charge(0.999 * theory.w_c(), k, tau);
        for dt in [0.5, 0.1, 0.013] {
            assert!(first_spike_time_ms(&params, below, dt, 50.0)
                .unwrap()
                .is_none());
        }
    }
    println!("max |simulated - Lambert| = {worst:.3e} ms");
}

#[test]
fn grid_voltages_and_spike_time_follow_the_psp() {
    let params = LifParams::default();
    let dt = 0.07;
    let propagator = Propagator::new(&params, dt).unwrap();
    // Sub-threshold: peak q/4 = 0.75.
    let mut neuron = LifNeuron::at_rest(&params);
    neuron.receive(&params, 3.0);
    for n in 1..=300 {
        assert!(neuron.step(&propagator).is_none());
        let t = n as f64 * dt;
        let expected = literal_psp(2.0, 1.0, 3.0, t);
        assert!((neuron.v - expected).abs() <= 1e-12, "t = {t}");
        assert!((neuron.i - 3.0 * (-t).exp()).abs() <= 1e-12);
    }
    // Supra-threshold: the spike time solves psp(t) = θ.
    for q in [4.01, 6.0, 30.0] {
        let t = first_spike_time_ms(&params, q, dt, 20.0).unwrap().unwrap();
        assert!(
            (literal_psp(2.0, 1.0, q, t) - 1.0).abs() <= 1e-12,
            "q = {q}"
        );
    }
    assert!(first_spike_time_ms(&params, 3.99, dt, 20.0)
        .unwrap()
        .is_none());
}

#[test]
fn crossing_inside_one_step_is_found() {
    // One huge step: V rises above θ and falls back within it.
    let params = LifParams::default();
    let propagator = Propagator::new(&params, 10.0).unwrap();
    let mut neuron = LifNeuron::at_rest(&params);
    neuron.receive(&params, 4.5);
    let t = neuron.step(&propagator).unwrap();
    assert!((literal_psp(2.0, 1.0, 4.5, t) - 1.0).abs() <= 1e-12);
    assert!(t < 2.0 * std::f64::consts::LN_2);
}

#[test]
fn two_half_steps_equal_one_full_step() {
    for params in [LifParams::default(), alpha(2.0)] {
        let (full, half) = (
            Propagator::new(&params, 0.37).unwrap(),
            Propagator::new(&params, 0.185).unwrap(),
        );
        let start = LifNeuron {
            v: 0.3,
            i: 0.5,
            refractory_left_ms: 0.0,
        };
        let (mut one, mut two) = (start, start);
        for _ in 0..20 {
            assert!(one.step(&full).is_none());
            assert!(two.step(&half).is_none() && two.step(&half).is_none());
            assert!((one.v - two.v).abs() <= 1e-14);
            assert!((one.i - two.i).abs() <= 1e-14);
        }
    }
}

#[test]
fn repeated_spikes_within_a_step_match_a_fine_grid() {
    // Strong current, t_ref > 0: several spikes per coarse step.
    let params = LifParams::new(2.0, 1.0, 0.0, -0.2, 1.0, 0.3).unwrap();
    let spikes = |dt: f64, steps: usize| {
        let propagator = Propagator::new(&params, dt).unwrap();
        let mut neuron = LifNeuron::at_rest(&params);
        neuron.receive(&params, 40.0);
        let mut times = Vec::new();
        for n in 0..steps {
            neuron.step_each(&propagator, |s| times.push(n as f64 * dt + s));
        }
        times
    };
    let coarse = spikes(2.5, 4);
    let fine = spikes(0.001, 10_000);
    assert!(coarse.len() >= 4, "{coarse:?}");
    assert_eq!(coarse.len(), fine.len());
    for (a, b) in coarse.iter().zip(&fine) {
        assert!((a - b).abs() < 1e-10, "{a} vs {b}");
    }
    for pair in coarse.windows(2) {
        assert!(pair[1] - pair[0] > 0.3);
    }
}

#[test]
fn refractory_clamps_v_and_lets_i_decay() {
    let params = LifParams::new(2.0, 1.0, 0.0, -0.5, 1.0, 1.0).unwrap();
    let q = 10.0;
    let t_spike = first_spike_time_ms(&params, q, 0.1, 5.0).unwrap().unwrap();
    let propagator = Propagator::new(&params, 0.1).unwrap();
    let mut neuron = LifNeuron::at_rest(&params);
    neuron.receive(&params, q);
    let mut n = 0;
    while neuron.step(&propagator).is_none() {
        n += 1;
    }
    // Still refractory at the end of the spike's step and a bit later.
    for _ in 0..5 {
        n += 1;
        assert!(neuron.step(&propagator).is_none());
    }
    let t = (n + 1) as f64 * 0.1;
    assert!(t < t_spike + 1.0);
    assert!((neuron.v + 0.5).abs() <= 0.0);
    assert_relative_eq!(neuron.i, q * (-t).exp(), max_relative = 1e-13);
    assert_relative_eq!(
        neuron.refractory_left_ms,
        t_spike + 1.0 - t,
        max_relative = 1e-10
    );
}

#[test]
fn nearly_equal_time_constants_do_not_cancel() {
    let reference = alpha(2.0);
    let t_ref = first_spike_time_ms(&reference, 8.0, 0.1, 20.0)
        .unwrap()
        .unwrap();
    for tau_s in [2.0 + 1e-9, 2.0 - 1e-9, 2.0 + 1e-13] {
        let params = LifParams::new(2.0, tau_s, 0.0, 0.0, 1.0, 0.0).unwrap();
        let t = first_spike_time_ms(&params, 8.0, 0.1, 20.0)
            .unwrap()
            .unwrap();
        assert!((t - t_ref).abs() < 1e-6, "tau_s = {tau_s}: {t} vs {t_ref}");
        for s in [0.1, 1.0, 5.0] {
            assert!((psp(&params, 4.0, s) - psp(&reference, 4.0, s)).abs() < 1e-8);
        }
    }
}

#[test]
fn invalid_input_names_the_field() {
    let name = |result: Result<LifParams>| match result {
        Err(Error::InvalidParameter { name, .. }) => name,
        other => panic!("expected InvalidParameter, got {other:?}"),
    };
    assert_eq!(name(LifParams::new(0.0, 1.0, 0.0, 0.0, 1.0, 0.0)), "tau_m");
    assert_eq!(name(LifParams::new(-2.0, 1.0, 0.0, 0.0, 1.0, 0.0)), "tau_m");
    assert_eq!(
        name(LifParams::new(2.0, f64::NAN, 0.0, 0.0, 1.0, 0.0)),
        "tau_s"
    );
    assert_eq!(
        name(LifParams::new(2.0, 1.0, f64::NAN, 0.0, 1.0, 0.0)),
        "v_rest"
    );
    assert_eq!(
        name(LifParams::new(2.0, 1.0, 0.0, 1.0, 1.0, 0.0)),
        "v_reset"
    );
    assert_eq!(
        name(LifParams::new(2.0, 1.0, 0.0, 0.0, f64::INFINITY, 0.0)),
        "theta"
    );
    assert_eq!(name(LifParams::new(2.0, 1.0, 0.0, 0.0, 1.0, -1.0)), "t_ref");
    let params = LifParams::default();
    for (result, field) in [
        (first_spike_time_ms(&params, 5.0, 0.0, 10.0), "dt"),
        (first_spike_time_ms(&params, 5.0, -0.1, 10.0), "dt"),
        (first_spike_time_ms(&params, 5.0, f64::NAN, 10.0), "dt"),
        (first_spike_time_ms(&params, f64::NAN, 0.1, 10.0), "q"),
        (first_spike_time_ms(&params, 5.0, 0.1, 0.0), "t_max"),
    ] {
        match result {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, field),
            other => panic!("expected InvalidParameter for {field}, got {other:?}"),
        }
    }
    assert!(Propagator::new(&params, 0.0).is_err());
}
