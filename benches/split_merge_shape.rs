//! A synthetic network of the split-and-merge shape (Meng et al. 2021; docs/NETWORKS.md §3),
//! assembled from the simulator's parts, so that the preset to come starts from a measured
//! speed. Kernels of 28 × 28 (stride 1, 4 kernels), 24 × 24 (stride 4, 2 kernels) and
//! 16 × 16 (stride 6, 1 kernel) over a 28 × 28 image: 4 + 2·4 + 9 = 21 competition areas of
//! 448 feature maps, 9 408 conductance LIF neurons (the Diehl & Cook excitatory parameters,
//! forward Euler, 5 ms refractory, adaptive θ), ~4.5 M plastic input synapses (0.3·U + 1e-7,
//! delays U(0, 10 ms), triplet STDP clipped to [1e-7, 1]) and direct all-but-self inhibition
//! (gi += 24) inside each area. One iteration is one training presentation (350 ms of Poisson
//! input at pixel × 0.25 Hz, then 150 ms of rest) of the next MNIST-subset image. Not modelled
//! here: weight normalisation and intensity retries (the preset's protocol).

use criterion::{criterion_group, criterion_main, Criterion};
use mesonet::data::{load_mnist_like, Split};
use mesonet::sim::network::Source;
use mesonet::sim::plasticity::TripletStdp;
use mesonet::sim::presets::DiehlCookParams;
use mesonet::sim::synapses::{receptive_field_patches, SynapseSpec};
use mesonet::sim::{
    ConductanceGroup, InputGroup, InputKind, Network, NeuronGroup, Rule, Synapses, Var,
};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;

const MAPS: usize = 448;
const DT_MS: f64 = 0.5;
/// (kernel size, stride, kernels of this type).
const KERNELS: [(usize, usize, usize); 3] = [(28, 1, 4), (24, 4, 2), (16, 6, 1)];

fn network() -> (Network, usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let dc = DiehlCookParams {
        dt_ms: DT_MS,
        euler_conductances: 1.0,
        spike_block_ms: 0.0,
        ..DiehlCookParams::default()
    };
    let mut input_synapses: Vec<SynapseSpec> = Vec::new();
    let mut inhibition: Vec<SynapseSpec> = Vec::new();
    let mut area_start = 0usize;
    for (k, stride, kernels) in KERNELS {
        let patches = receptive_field_patches(28, 28, k, stride).unwrap();
        for _kernel in 0..kernels {
            for pixels in &patches {
                for map in 0..MAPS {
                    let post = area_start + map;
                    for &pixel in pixels {
                        let w = 0.3 * rng.random::<f64>() + 1e-7;
                        let delay = (rng.random::<f64>() * 10.0 / DT_MS).round() as u16;
                        input_synapses.push((pixel, post, w, delay));
                    }
                    for other in 0..MAPS {
                        if other != map {
                            inhibition.push((post, area_start + other, 24.0, 0));
                        }
                    }
                }
                area_start += MAPS;
            }
        }
    }
    let neurons = area_start;
    let mut net = Network::new(DT_MS).unwrap();
    let input = net.add_input(InputGroup::new(784, InputKind::Poisson));
    let exc = net.add_group(NeuronGroup::Conductance(ConductanceGroup::new(
        dc.excitatory(),
        neurons,
        DT_MS,
    )));
    let rule = TripletStdp::new(
        dc.nu_pre,
        dc.nu_post,
        (1e-7, 1.0),
        DT_MS,
        [dc.tau_pre_ms, dc.tau_post1_ms, dc.tau_post2_ms],
    );
    net.connect(
        "input→exc",
        Source::Input(input),
        (exc, Var::Ge),
        Synapses::from_list(784, neurons, input_synapses).unwrap(),
        Some(Rule::Triplet(rule)),
    )
    .unwrap();
    net.connect(
        "exc→exc inhibition",
        Source::Group(exc),
        (exc, Var::Gi),
        Synapses::from_list(neurons, neurons, inhibition).unwrap(),
        None,
    )
    .unwrap();
    (net, input)
}

fn presentation(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mnist-subset");
    let data = load_mnist_like(&dir, Split::Train).expect("the MNIST subset");
    let (mut net, input) = network();
    let mut index = 0usize;
    let present = |net: &mut Network, index: usize| {
        let rates: Vec<f64> = data
            .image(index)
            .iter()
            .map(|&px| px as f64 * 0.25)
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(index as u64);
        net.inputs[input].present(&rates, 700, DT_MS, &mut rng);
        net.run(700, true);
        net.inputs[input].silence();
        net.run(300, true);
    };
    for _ in 0..3 {
        present(&mut net, index);
        index += 1;
    }
    let before = net.synaptic_events;
    present(&mut net, index);
    index += 1;
    eprintln!(
        "split_merge_shape: {} neurons, {} synaptic events in one presentation",
        net.groups[0].len(),
        net.synaptic_events - before
    );
    let mut group = c.benchmark_group("split_merge_shape");
    group.sample_size(10);
    for threads in [1usize, 2] {
        net.set_threads(threads);
        let id = match threads {
            1 => "presentation".to_string(),
            _ => format!("presentation, {threads} threads"),
        };
        group.bench_function(id, |b| {
            b.iter(|| {
                present(&mut net, index % 1000);
                index += 1;
                net.synaptic_events
            })
        });
    }
    group.finish();
}

criterion_group!(benches, presentation);
criterion_main!(benches);
