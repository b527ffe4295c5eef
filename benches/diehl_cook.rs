//! Training the Diehl & Cook network (preset defaults, dt 0.5 ms, 350 + 150 ms) for 100, 400
//! and 1600 excitatory neurons, on the first MNIST training images (`$MESONET_DATA`, else the
//! repository's subset in tests/data/mnist-subset). Each iteration presents the next image to
//! a copy of the network as it is after 20 warm-up samples.
//! `diehl_cook_training_sample`: one training sample, intensity retries included;
//! `diehl_cook_presentation`: one 500 ms presentation (retries off, `max_retries = 0`).
//! Ids: the neuron count (one thread), and `2 threads/<neurons>` for the same network run on
//! two threads (bit-identical results).

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use mesonet::data::{load_mnist_like, Split};
use mesonet::sim::presets::{DiehlCook, DiehlCookParams};
use mesonet::sim::Learner;
use std::path::Path;

fn data() -> mesonet::data::Dataset {
    let dir = std::env::var_os("MESONET_DATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mnist-subset"),
        std::path::PathBuf::from,
    );
    load_mnist_like(&dir, Split::Train).expect("MNIST-format data")
}

fn training(c: &mut Criterion, name: &str, params: DiehlCookParams) {
    let data = data();
    let mut group = c.benchmark_group(name);
    group.sample_size(20);
    for (neurons, threads) in [100usize, 400, 1600]
        .into_iter()
        .flat_map(|n| [(n, 1usize), (n, 2)])
    {
        let shape = (data.rows, data.cols, data.channels);
        let mut net = DiehlCook::new(params, neurons, shape, 0).unwrap();
        // Warm the network past its first samples so spiking is typical.
        for i in 0..20 {
            net.present(data.image(i), true, i as u64);
        }
        // Every iteration starts from this warmed state (a clone, made outside the timing), so
        // the measurement does not drift with the training it does.
        let mut index = 20usize;
        net.network.set_threads(threads);
        let id = match threads {
            1 => BenchmarkId::from_parameter(neurons),
            _ => BenchmarkId::new(format!("{threads} threads"), neurons),
        };
        group.bench_function(id, |b| {
            b.iter_batched(
                || net.clone(),
                |mut copy| {
                    copy.present(data.image(index % 1000), true, index as u64);
                    index += 1;
                    copy
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

fn training_sample(c: &mut Criterion) {
    training(c, "diehl_cook_training_sample", DiehlCookParams::default());
}

fn presentation(c: &mut Criterion) {
    let params = DiehlCookParams {
        max_retries: 0.0,
        ..DiehlCookParams::default()
    };
    training(c, "diehl_cook_presentation", params);
}

criterion_group!(benches, training_sample, presentation);
criterion_main!(benches);
