use super::*;
use crate::sim::presets::SplitMergeParams;

const MNIST: (usize, usize, usize) = (28, 28, 1);

fn params(maps: f64, mechanisms: MechanismParams) -> MesoNetParams {
    MesoNetParams {
        split_merge: SplitMergeParams {
            maps,
            ..SplitMergeParams::default()
        },
        mechanisms,
    }
}

fn off() -> MechanismParams {
    MechanismParams {
        variable_plasticity: 0.0,
        flipping: 0.0,
        epsilon: 0.0,
        ..MechanismParams::default()
    }
}

/// Bright stripes whose phase depends on `k` (every sample makes the layer fire).
fn image(k: usize) -> Vec<u8> {
    (0..784)
        .map(|i| if (i / 28 + k) % 7 < 4 { 255 } else { 0 })
        .collect()
}

fn input_weights(net: &Network) -> &[f64] {
    &net.projections[0].synapses.w
}

#[test]
fn with_every_mechanism_off_it_is_split_merge_bit_for_bit() {
    let p = params(2.0, off());
    let mut meso = MesoNet::new(p, MNIST, 4).unwrap();
    let mut plain = SplitMerge::new(p.split_merge, MNIST, 4).unwrap();
    for k in 0..3 {
        let a = meso.present(&image(k), true, k as u64);
        let b = plain.present(&image(k), true, k as u64);
        assert_eq!(a, b);
    }
    let (a, b) = (
        input_weights(meso.network()),
        input_weights(plain.network()),
    );
    assert!(a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits()));
    assert_eq!(meso.events().attributions, 0);
}

#[test]
fn each_mechanism_changes_the_weights_and_counts_what_it_did() {
    let reference = {
        let mut net = MesoNet::new(params(2.0, off()), MNIST, 4).unwrap();
        for k in 0..2 {
            net.present(&image(k), true, k as u64);
        }
        input_weights(net.network()).to_vec()
    };
    let variants = [
        MechanismParams {
            variable_plasticity: 1.0,
            ..off()
        },
        MechanismParams {
            epsilon: 1.0,
            ..off()
        },
        MechanismParams::default(),
    ];
    for m in variants {
        let mut net = MesoNet::new(params(2.0, m), MNIST, 4).unwrap();
        for k in 0..2 {
            net.present(&image(k), true, k as u64);
        }
        let w = input_weights(net.network());
        let changed = w
            .iter()
            .zip(&reference)
            .filter(|(a, b)| a.to_bits() != b.to_bits())
            .count();
        assert!(changed > 0, "{m:?}");
        assert!(w.iter().all(|x| x.is_finite() && x.abs() <= 1.0 + 1e-12));
        let events = net.events();
        assert_eq!(events.attributions > 0, m.epsilon > 0.0, "{events:?}");
        let state = &net.network().projections[0].plastic.as_ref().unwrap().state;
        assert!(state.iter().all(|x| x.is_finite()));
    }
}

#[test]
fn variable_plasticity_inside_the_network_is_the_ode() {
    // After training, settle every η far ahead with no update: each reaches
    // η* = η_min + 1/(η_max − w) of its own weight (MODEL.md §5's fixed point), the
    // network's η being the model's, not an ad-hoc rate.
    let m = MechanismParams {
        variable_plasticity: 1.0,
        ..off()
    };
    let mut net = MesoNet::new(params(2.0, m), MNIST, 1).unwrap();
    net.present(&image(0), true, 0);
    let projection = &mut net.split_merge.network.projections[0];
    let plastic = projection.plastic.as_mut().unwrap();
    let etas: Vec<f64> = plastic.state.chunks(3).map(|s| s[0]).collect();
    assert!(etas.iter().any(|&e| (e - 1.0).abs() > 1e-6), "η moved");
    plastic.settle(&projection.synapses.w, 1e9, 1);
    for (s, &w) in plastic.state.chunks(3).zip(&projection.synapses.w) {
        assert!((s[0] - (0.5 + 1.0 / (2.0 - w))).abs() < 1e-12);
    }
}

#[test]
fn flipping_normalises_magnitudes_and_lets_weights_change_sign() {
    // A strong depression rate drives weights through 0; the next presentation rescales
    // Σ|w| (not Σw) to the weight sum.
    let mut p = params(2.0, MechanismParams::default());
    p.split_merge.nu_pre = 0.05;
    let mut net = MesoNet::new(p, MNIST, 2).unwrap();
    for k in 0..3 {
        net.present(&image(k), true, k as u64);
    }
    assert!(net.events().flips > 0);
    assert!(input_weights(net.network()).iter().any(|&w| w < 0.0));
    net.present(&vec![0u8; 784], true, 9);
    for field in net.receptive_fields().unwrap() {
        let magnitude: f64 = field.iter().map(|w| w.abs()).sum();
        assert!((magnitude - 78.4).abs() < 1e-9, "{magnitude}");
    }
}

#[test]
fn bad_mechanism_values_are_refused_naming_the_field() {
    let cases: [(&str, f64, &str); 6] = [
        ("eta_max", 1.0, "w_max"),
        ("eta_max", 0.5, "eta_max"),
        ("kappa", 0.0, "kappa"),
        ("kappa", -1.0, "kappa"),
        ("flipping", 0.5, "flipping"),
        ("drive", 2.0, "drive"),
    ];
    for (name, value, says) in cases {
        let mut p = MesoNetParams::default();
        crate::sim::presets::set_by_name(&mut p, "mesonet", name, value).unwrap();
        let e = p.validate().unwrap_err().to_string();
        assert!(e.contains(name) && e.contains(says), "{e}");
    }
    // The window drive is bounded by the rates, so a small η_max is fine there, but not one
    // at the largest rate.
    let mut p = MesoNetParams::default();
    p.mechanisms.drive = 1.0;
    p.mechanisms.eta_max = 0.5;
    p.validate().unwrap();
    p.mechanisms.eta_max = 1e-2;
    assert!(p.validate().unwrap_err().to_string().contains("nu_post"));
    // Names are one flat list; unknown ones list the valid ones of both parts.
    let mut p = MesoNetParams::default();
    let e = crate::sim::presets::set_by_name(&mut p, "mesonet", "kapa", 1.0)
        .unwrap_err()
        .to_string();
    assert!(e.contains("kappa") && e.contains("maps"), "{e}");
}

#[test]
fn two_threads_train_the_same_network_as_one() {
    // 21 areas × 49 maps = 1 029 neurons: two layout blocks, so the second thread runs; every
    // mechanism on (the attribution's counts and the η states included in the comparison).
    let p = params(49.0, MechanismParams::default());
    let mut nets: Vec<MesoNet> = (0..2).map(|_| MesoNet::new(p, MNIST, 7).unwrap()).collect();
    nets[1].network_mut().set_threads(2);
    // Cut between two competition areas (of 49 neurons), where no inhibition crosses: the
    // threads never meet.
    let (parts, bounds, independent) = nets[1].network().thread_parts();
    assert!(
        parts == 2 && independent && bounds[0][1] % 49 == 0,
        "{bounds:?}"
    );
    for net in &mut nets {
        for k in 0..2 {
            net.present(&image(k), true, k as u64);
        }
    }
    assert!(nets[0].events().attributions > 0);
    assert_eq!(nets[0], nets[1]);
}

#[test]
fn a_stored_network_resumes_exactly_and_exports_eta_as_its_learning_state() {
    // Through the checkpoint's form (the tagged Preset JSON): parameters, η states and counts
    // survive, the derived decay table is rebuilt, and training continues to the same bits.
    let p = params(2.0, MechanismParams::default());
    let mut net =
        crate::sim::presets::Preset::Mesonet(Box::new(MesoNet::new(p, MNIST, 3).unwrap()));
    net.present(&image(0), true, 0);
    let text = serde_json::to_string(&net).unwrap();
    let mut loaded: crate::sim::presets::Preset = serde_json::from_str(&text).unwrap();
    loaded.prepare().unwrap();
    assert_eq!(loaded, net);
    loaded.check(42).unwrap();
    for n in [&mut net, &mut loaded] {
        n.present(&image(1), true, 1);
    }
    assert_eq!(loaded, net);
    // The learning state is w and η per synapse (not the step of η's last advance), then θ.
    let synapses = net.network().projections[0].synapses.len();
    let state = net.network().plastic_state();
    assert_eq!(state.len(), 2 * synapses + 42);
    // η as it is now: what settling every synapse at the current time gives.
    let projection = &net.network().projections[0];
    let mut settled = projection.plastic.clone().unwrap();
    let now_ms = net.network().step as f64 * net.network().dt_ms;
    settled.settle(&projection.synapses.w, now_ms, 1);
    assert!(state[synapses..2 * synapses]
        .iter()
        .zip(settled.state.chunks(3))
        .all(|(a, s)| a.to_bits() == s[0].to_bits()));
    let mut changed = state.clone();
    changed[synapses] += 0.25;
    net.network_mut().set_plastic_state(&changed).unwrap();
    assert_eq!(net.network().plastic_state(), changed);
}
