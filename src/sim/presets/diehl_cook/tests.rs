use super::*;
use crate::sim::learner::{stream_seed, Learner, Response};
use crate::sim::NeuronGroup;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const MNIST: (usize, usize, usize) = (28, 28, 1);

#[test]
fn set_names_and_rejects_unknown_parameters() {
    let mut p = DiehlCookParams::default();
    p.set("nu_post", 0.02).unwrap();
    assert!((p.nu_post - 0.02).abs() < 1e-18);
    let e = p.set("nu_postt", 1.0).unwrap_err().to_string();
    assert!(e.contains("nu_postt") && e.contains("nu_post"), "{e}");
    p.set("exc_tau_ms", -1.0).unwrap();
    let e = p.validate().unwrap_err().to_string();
    assert!(e.contains("exc_tau_ms") && e.contains("-1"), "{e}");
}

#[test]
fn initial_weights_and_delays_follow_the_preset() {
    let net = DiehlCook::new(DiehlCookParams::default(), 10, MNIST, 3).unwrap();
    let synapses = &net.network.projections[net.wiring.normalized].synapses;
    let w = &synapses.w;
    assert!(w.iter().all(|&x| (0.003..=0.303).contains(&x)));
    let mean = w.iter().sum::<f64>() / w.len() as f64;
    // E[(U + 0.01)·0.3] = 0.153; standard error ≈ 0.087/√7840 ≈ 0.001.
    assert!((mean - 0.153).abs() < 0.005, "{mean}");
    assert!(synapses.delay_steps.iter().all(|&d| d <= 20));
    // Rows are stored in delay order; (i, j) access still finds each synapse.
    let mut rng = ChaCha8Rng::seed_from_u64(stream_seed(&[3, 0]));
    let first: f64 = (rng.random::<f64>() + 0.01) * 0.3;
    assert!((synapses.weight(0, 0) - first).abs() < 1e-15);
    assert!(DiehlCook::new(DiehlCookParams::default(), 0, MNIST, 3).is_err());
}

#[test]
fn a_blank_image_retries_with_rising_intensity_and_a_bright_one_makes_spikes() {
    let mut net = DiehlCook::new(DiehlCookParams::default(), 20, MNIST, 1).unwrap();
    let blank = vec![0u8; 784];
    let r = net.present(&blank, true, 9);
    assert_eq!(r.presentations, 21, "max_retries 20 → 21 presentations");
    assert!(r.counts.iter().all(|&c| c == 0));
    let bright = vec![255u8; 784];
    let r = net.present(&bright, true, 10);
    assert!(r.counts.iter().sum::<u32>() >= 5, "{:?}", r.counts);
    assert!(net.network.synaptic_events > 0);
}

#[test]
fn same_stream_gives_identical_state() {
    let image: Vec<u8> = (0..784).map(|i| (i * 7 % 256) as u8).collect();
    let run = || {
        let mut net = DiehlCook::new(DiehlCookParams::default(), 16, MNIST, 5).unwrap();
        for s in 0..3 {
            net.present(&image, true, s);
        }
        net
    };
    let (a, b) = (run(), run());
    assert_eq!(a.plastic_state(), b.plastic_state());
}

#[test]
fn the_spike_block_holds_a_neuron_for_its_duration() {
    // With a 50 ms block no excitatory neuron fires twice within 100 steps of 0.5 ms.
    let p = DiehlCookParams {
        spike_block_ms: 50.0,
        ..Default::default()
    };
    let mut net = DiehlCook::new(p, 8, MNIST, 2).unwrap();
    let bright = vec![255u8; 784];
    let mut last = [None::<i64>; 8];
    let mut gaps = Vec::new();
    net.network
        .add_monitor(crate::sim::network::Monitor::Raster {
            group: 0,
            raster: crate::sim::Raster::new(100_000).unwrap(),
        });
    net.present(&bright, true, 1);
    if let crate::sim::network::Monitor::Raster { raster, .. } = &net.network.monitors[1] {
        for &(t, j) in &raster.spikes {
            let step = (t / 0.5).round() as i64;
            if let Some(prev) = last[j as usize] {
                gaps.push(step - prev);
            }
            last[j as usize] = Some(step);
        }
        assert!(
            raster.spikes.first().is_some_and(|&(t, _)| t > 50.0),
            "blocked from the start"
        );
    }
    assert!(!gaps.is_empty(), "some neuron fired twice");
    assert!(gaps.iter().all(|&g| g > 100), "{gaps:?}");
    assert!(matches!(net.network.groups[0], NeuronGroup::Conductance(_)));
}

#[test]
fn training_on_two_threads_is_bit_identical_to_one() {
    // 1030 neurons: two layout blocks per group, one per thread; lateral inhibition crosses
    // the cut every step.
    let images: Vec<Vec<u8>> = (0..3)
        .map(|k| {
            (0..784)
                .map(|i| ((i * (3 + k) + 11 * k) % 256) as u8)
                .collect()
        })
        .collect();
    let train = |threads: usize| {
        let mut net = DiehlCook::new(DiehlCookParams::default(), 1030, MNIST, 5).unwrap();
        net.network.set_threads(threads);
        // Every inhibitory neuron reaches both parts: the threads meet every step.
        assert!(!net.network.thread_parts().2);
        let responses: Vec<Response> = images
            .iter()
            .enumerate()
            .map(|(s, image)| net.present(image, true, s as u64))
            .collect();
        (net, responses)
    };
    let (one, r1) = train(1);
    let (two, r2) = train(2);
    assert!(r1.iter().map(|r| r.counts.iter().sum::<u32>()).sum::<u32>() > 0);
    assert_eq!(r1, r2);
    assert!(one.network == two.network);
    assert_eq!(one.plastic_state(), two.plastic_state());
}
