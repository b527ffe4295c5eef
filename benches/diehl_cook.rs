//! One training sample of the Diehl & Cook network (preset defaults, dt 0.5 ms, 350 + 150 ms,
//! intensity retry) for 100, 400 and 1600 excitatory neurons, on the first MNIST training
//! images. Each iteration presents the next image, so the time includes retries.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use mesonet::data::{load_mnist_like, Split};
use mesonet::presets::{DiehlCook, DiehlCookParams};
use std::path::Path;

fn training_sample(c: &mut Criterion) {
    let data = load_mnist_like(Path::new("../shared/data/mnist"), Split::Train)
        .expect("MNIST beside the repository");
    let mut group = c.benchmark_group("diehl_cook_training_sample");
    group.sample_size(20);
    for neurons in [100usize, 400, 1600] {
        let mut net = DiehlCook::new(DiehlCookParams::default(), neurons, 0).unwrap();
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
