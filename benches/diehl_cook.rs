//! One training sample of the Diehl & Cook network (preset defaults, dt 0.5 ms, 350 + 150 ms,
//! intensity retry) for 100, 400 and 1600 excitatory neurons, on the first MNIST training
//! images (`$MESONET_DATA`, else the repository's subset in tests/data/mnist-subset). Each
//! iteration presents the next image, so the time includes retries.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use mesonet::data::{load_mnist_like, Split};
use mesonet::sim::presets::{DiehlCook, DiehlCookParams};
use mesonet::sim::Learner;
use std::path::Path;

fn training_sample(c: &mut Criterion) {
    let dir = std::env::var_os("MESONET_DATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mnist-subset"),
        std::path::PathBuf::from,
    );
    let data = load_mnist_like(&dir, Split::Train).expect("MNIST-format data");
    let mut group = c.benchmark_group("diehl_cook_training_sample");
    group.sample_size(20);
    for neurons in [100usize, 400, 1600] {
        let shape = (data.rows, data.cols, data.channels);
        let mut net = DiehlCook::new(DiehlCookParams::default(), neurons, shape, 0).unwrap();
        // Warm the network past its first samples so spiking is typical.
        for i in 0..20 {
            net.present(data.image(i), true, i as u64);
        }
        let mut index = 20usize;
        group.bench_function(BenchmarkId::from_parameter(neurons), |b| {
            b.iter(|| {
                let r = net.present(data.image(index % 1000), true, index as u64);
                index += 1;
                r
            })
        });
    }
    group.finish();
}

criterion_group!(benches, training_sample);
criterion_main!(benches);
