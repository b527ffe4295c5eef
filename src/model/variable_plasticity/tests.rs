use super::*;
use crate::analysis::system::central_difference;
use crate::model::synapse_map::{SynapseMap, SynapseParams};
use approx::assert_relative_eq;
use proptest::prelude::*;

fn soft_bound() -> SynapseModel {
    SynapseModel::new(SynapseParams::default()).unwrap()
}

fn additive() -> SynapseModel {
    SynapseModel::new(SynapseParams {
        period_ms: 3.0,
        mu: 0.0,
        ..SynapseParams::default()
    })
    .unwrap()
}

fn coupled(params: VariablePlasticityParams) -> VariablePlasticity {
    VariablePlasticity::new(soft_bound(), params).unwrap()
}

#[test]
fn fixed_point_is_the_synapse_fixed_point_with_eta_on_its_nullcline() {
    let vp = VariablePlasticityParams::default();
    let system = coupled(vp);
    let fps = system.fixed_points().unwrap();
    let synapse_fps = soft_bound().fixed_points();
    assert_eq!(fps.len(), synapse_fps.len());
    let (fp, reference) = (&fps[0], &synapse_fps[0]);
    assert_relative_eq!(fp.w, reference.w, max_relative = 1e-15);
    // η* = η_min + 1/(η_max − w*) (MODEL.md §5, d = w).
    assert_relative_eq!(
        fp.eta,
        vp.eta_min + 1.0 / (vp.eta_max - reference.w),
        max_relative = 1e-15
    );
    // Lower-triangular: ∂ẇ/∂η = F(w*) = 0 up to the root's rounding.
    assert!(fp.jacobian[1].abs() < 1e-14, "{:?}", fp.jacobian);
    // λ1 = η* F'(w*), λ2 = −1/τ_d exactly (the entry is computed as −1/τ_d).
    assert_eq!(fp.jacobian[3].to_bits(), (-1.0 / vp.tau_d).to_bits());
    let mut re: Vec<f64> = fp.eigenvalues.iter().map(|e| e.re).collect();
    re.sort_by(f64::total_cmp);
    assert_relative_eq!(re[0], fp.eta * reference.d_f_dw, max_relative = 1e-12);
    assert_relative_eq!(re[1], -1.0 / vp.tau_d, max_relative = 1e-12);
    // The lower-left entry is +1/(τ_d (η_max − w*)²): the poster prints it negative.
    let expected = 1.0 / (vp.tau_d * (vp.eta_max - fp.w).powi(2));
    assert_relative_eq!(fp.jacobian[2], expected, max_relative = 1e-14);
}

#[test]
fn map_step_moves_w_like_the_synapse_map_at_the_current_rate() {
    let system = coupled(VariablePlasticityParams::default());
    let map = VariablePlasticityMap::new(system, 1.0).unwrap();
    for &(w, eta) in &[(2.5, 0.3), (2.9, 1.7), (2.0, 0.01)] {
        let mut out = [0.0; 2];
        map.step(&[w, eta], &mut out);
        let mut reference = [0.0];
        SynapseMap::new(soft_bound(), eta)
            .unwrap()
            .step(&[w], &mut reference);
        assert_relative_eq!(out[0], reference[0], max_relative = 1e-15);
        // Euler step of τ_d η̇ = −(η − η_min) + 1/(η_max − w).
        let vp = VariablePlasticityParams::default();
        let eta_next = eta + (-(eta - vp.eta_min) + 1.0 / (vp.eta_max - w)) / vp.tau_d;
        assert_relative_eq!(out[1], eta_next, max_relative = 1e-15);
    }
}

#[test]
fn simulation_converges_to_the_predicted_fixed_point_below_eta_c() {
    let system = coupled(VariablePlasticityParams::default());
    let fp = &system.fixed_points().unwrap()[0];
    let map = VariablePlasticityMap::new(system, 1.0).unwrap();
    let mut x = vec![2.4, 0.2];
    let mut next = vec![0.0; 2];
    for _ in 0..2_000 {
        map.step(&x, &mut next);
        x.copy_from_slice(&next);
    }
    assert_eq!(map.classify(&x), OrbitStatus::Ok);
    assert_relative_eq!(x[0], fp.w, max_relative = 1e-12);
    assert_relative_eq!(x[1], fp.eta, max_relative = 1e-12);
}

#[test]
fn drive_reaching_eta_max_is_reported_as_blow_up_not_clamped() {
    // Additive rule: above the repeller w* the weight grows without bound, so the drive d = w
    // must reach η_max. η_max only has to exceed w* to be accepted.
    let model = additive();
    let w_star = model.fixed_points()[0].w;
    let system = VariablePlasticity::new(
        model,
        VariablePlasticityParams {
            eta_min: 0.01,
            eta_max: w_star + 0.5,
            ..Default::default()
        },
    )
    .unwrap();
    let map = VariablePlasticityMap::new(system, 1.0).unwrap();
    let mut x = vec![w_star + 0.01, 0.05];
    let mut next = vec![0.0; 2];
    let mut status = map.classify(&x);
    let mut steps = 0;
    while status == OrbitStatus::Ok && steps < 10_000 {
        map.step(&x, &mut next);
        x.copy_from_slice(&next);
        status = map.classify(&x);
        steps += 1;
        // Never a negative rate from 1/(η_max − d) with d > η_max.
        assert!(x[1] >= 0.0, "step {steps}: {x:?}");
    }
    assert_eq!(status, OrbitStatus::BlownUp, "after {steps} steps at {x:?}");
    // From the blown-up state the rate is infinite, never a finite clamped value.
    map.step(&x, &mut next);
    assert!(next[1].is_infinite());
    let flow = VariablePlasticityFlow { system };
    let mut rhs = [0.0; 2];
    flow.rhs(&x, &mut rhs);
    assert!(rhs[1].is_infinite());
}

#[test]
fn flipping_resets_eta_when_the_weight_changes_sign() {
    // Soft bounds: with a large rate the depression term −η A− w e^{−(T−x)/τ} overshoots 0.
    let params = VariablePlasticityParams {
        flipping: true,
        ..Default::default()
    };
    let map = VariablePlasticityMap::new(coupled(params), 1.0).unwrap();
    let (w, eta) = (2.99, 200.0);
    let mut out = [0.0; 2];
    map.step(&[w, eta], &mut out);
    assert!(out[0] < 0.0, "{out:?}");
    assert_eq!(out[1].to_bits(), 0.0_f64.to_bits());
    // The same step without flipping keeps the Euler value of η.
    let plain =
        VariablePlasticityMap::new(coupled(VariablePlasticityParams::default()), 1.0).unwrap();
    plain.step(&[w, eta], &mut out);
    assert!(out[1] > 100.0);
    // A flipped (inhibitory) synapse is silent: absorbed, w frozen.
    assert_eq!(map.classify(&[-0.5, 0.0]), OrbitStatus::Absorbed);
    map.step(&[-0.5, 0.0], &mut out);
    assert_eq!(out[0].to_bits(), (-0.5_f64).to_bits());
    assert!(!map.is_smooth());
}

#[test]
fn bad_parameters_are_refused_with_the_bound() {
    let err = |vp: VariablePlasticityParams| {
        VariablePlasticity::new(soft_bound(), vp)
            .unwrap_err()
            .to_string()
    };
    let e = err(VariablePlasticityParams {
        eta_max: 3.0,
        ..Default::default()
    });
    assert!(e.contains("eta_max") && e.contains("w_max"), "{e}");
    let e = err(VariablePlasticityParams {
        eta_max: 0.9,
        drive: Drive::Window,
        ..Default::default()
    });
    assert!(e.contains("eta_max") && e.contains("A+"), "{e}");
    for tau_d in [0.0, -2.0, f64::NAN] {
        let e = err(VariablePlasticityParams {
            tau_d,
            ..Default::default()
        });
        assert!(e.contains("tau_d"), "{e}");
    }
    assert!(Drive::from_code(0.5).is_err());
}

#[test]
fn with_attribution_the_fixed_point_balances_both_drifts_and_is_not_triangular() {
    let vp = VariablePlasticityParams {
        epsilon: 0.2,
        ..Default::default()
    };
    let system = coupled(vp);
    let fp = &system.fixed_points().unwrap()[0];
    let drift = system.synapse().drift(fp.w).unwrap();
    let (g, _) = system.attribution(fp.w).unwrap();
    assert!((fp.eta * drift + vp.epsilon * g).abs() < 1e-12);
    // F(w*) ≠ 0 now, so the upper-right entry F(w*) is not 0: the theorem's triangular form
    // needs ε g(w*) = 0.
    assert!(fp.jacobian[1].abs() > 1e-3, "{:?}", fp.jacobian);
}

fn arbitrary_system() -> impl Strategy<Value = (VariablePlasticity, f64, f64)> {
    (
        (3.0..12.0_f64, 0.2..2.0_f64, 0.2..2.0_f64, 0.5..5.0_f64),
        (0.0..1.5_f64, 0.5..2.0_f64, 0.5..2.0_f64, 1.0..3.0_f64),
        (
            0.0..2.0_f64,
            0.1..5.0_f64,
            0.5..50.0_f64,
            -1.0..1.0_f64,
            any::<bool>(),
        ),
        (0.05..0.95_f64, 0.0..3.0_f64),
    )
        .prop_filter_map(
            "valid system",
            |((t, a_plus, a_minus, tau), (mu, theta, k, tau_m), vp, (u, eta))| {
                let (eta_min, headroom, tau_d, epsilon, window) = vp;
                // w_max well above the states drawn below: (w_max − w)^μ is singular at w_max
                // for μ < 1, where finite differences mean nothing.
                let w_max = 3.0 * std::f64::consts::E * theta / (k * tau_m) + 1.0;
                let model = SynapseModel::new(SynapseParams {
                    period_ms: tau_m + t,
                    a_plus,
                    a_minus,
                    tau_ms: tau,
                    w_max,
                    mu,
                    theta,
                    k,
                    tau_m_ms: tau_m,
                })
                .ok()?;
                let drive = if window { Drive::Window } else { Drive::Weight };
                let w_c = model.w_c();
                let bound = if window { a_plus } else { w_max };
                let system = VariablePlasticity::new(
                    model,
                    VariablePlasticityParams {
                        eta_min,
                        eta_max: bound + headroom,
                        tau_d,
                        epsilon,
                        drive,
                        flipping: false,
                    },
                )
                .ok()?;
                // A state on the spiking branch, away from the fold at w_c.
                let w = w_c * (1.05 + u);
                Some((system, w, eta))
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn analytic_jacobian_matches_finite_differences((system, w, eta) in arbitrary_system()) {
        let flow = VariablePlasticityFlow { system };
        let mut analytic = [0.0; 4];
        flow.jacobian(&[w, eta], &mut analytic);
        let mut numeric = [0.0; 4];
        central_difference(2, &[w, eta], &mut numeric, |x, out| flow.rhs(x, out));
        let scale = analytic.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
        for (a, n) in analytic.iter().zip(&numeric) {
            prop_assert!((a - n).abs() <= 1e-6 * scale, "{analytic:?} vs {numeric:?}");
        }
        // The map form is I + h J.
        let map = VariablePlasticityMap::new(system, 0.5).unwrap();
        let mut map_jac = [0.0; 4];
        map.jacobian(&[w, eta], &mut map_jac);
        let mut map_numeric = [0.0; 4];
        central_difference(2, &[w, eta], &mut map_numeric, |x, out| map.step(x, out));
        for (a, n) in map_jac.iter().zip(&map_numeric) {
            prop_assert!((a - n).abs() <= 1e-6 * scale.max(1.0), "{map_jac:?} vs {map_numeric:?}");
        }
    }
}
