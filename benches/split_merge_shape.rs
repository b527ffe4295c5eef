//! The `split-merge` preset (Meng et al. 2021; docs/NETWORKS.md §3) at its defaults: 21
//! competition areas of 448 maps (9 408 conductance LIF neurons), ~4.5 M plastic input synapses
//! and direct inhibition inside each area. One iteration is one training presentation of the
//! next MNIST-subset image (350 ms of input, 150 ms of rest, weights normalised first; retries
//! off, `max_retries = 0`), on one thread and on two (bit-identical results).

use criterion::{criterion_group, criterion_main, Criterion};
use mesonet::data::{load_mnist_like, Split};
use mesonet::sim::presets::{SplitMerge, SplitMergeParams};
use mesonet::sim::Learner;
use std::path::Path;

fn presentation(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mnist-subset");
    let data = load_mnist_like(&dir, Split::Train).expect("the MNIST subset");
    let params = SplitMergeParams {
        max_retries: 0.0,
        ..SplitMergeParams::default()
    };
    let mut net = SplitMerge::new(params, (data.rows, data.cols, data.channels), 11).unwrap();
    let mut index = 0usize;
    for _ in 0..3 {
        net.present(data.image(index), true, index as u64);
        index += 1;
    }
    let before = net.network.synaptic_events;
    net.present(data.image(index), true, index as u64);
    index += 1;
    eprintln!(
        "split_merge_shape: {} neurons, {} synaptic events in one presentation",
        net.neurons(),
        net.network.synaptic_events - before
    );
    let mut group = c.benchmark_group("split_merge_shape");
    group.sample_size(10);
    for threads in [1usize, 2] {
        net.network.set_threads(threads);
        let id = match threads {
            1 => "presentation".to_string(),
            _ => format!("presentation, {threads} threads"),
        };
        group.bench_function(id, |b| {
            b.iter(|| {
                let r = net.present(data.image(index % 1000), true, index as u64);
                index += 1;
                r.presentations
            })
        });
    }
    group.finish();
}

criterion_group!(benches, presentation);
criterion_main!(benches);
