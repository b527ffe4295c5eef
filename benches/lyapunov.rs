//! 1e6 steps of the 1-D Lyapunov loop (derivative method) on the logistic map and on the
//! soft-bound synapse map (every step evaluates Lambert W once).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use mesonet::analysis::lyapunov::{largest_1d, LyapunovOptions};
use mesonet::analysis::systems::Logistic;
use mesonet::model::synapse_map::{SynapseMap, SynapseModel, SynapseParams};
use std::hint::black_box;

const STEPS: usize = 1_000_000;

fn lyapunov_1d(c: &mut Criterion) {
    let opts = LyapunovOptions {
        transient: 0,
        steps: STEPS,
        ..LyapunovOptions::default()
    };
    let mut group = c.benchmark_group("lyapunov_1d");
    group.sample_size(10);
    let logistic = Logistic { r: 4.0 };
    group.bench_function(BenchmarkId::new("logistic_r4", STEPS), |b| {
        b.iter(|| largest_1d(&logistic, black_box(&[0.3]), &opts).unwrap())
    });
    let model = SynapseModel::new(SynapseParams::default()).unwrap();
    // η = 2.9: inside the chaotic band, so the orbit never settles.
    let synapse = SynapseMap::new(model, 2.9).unwrap();
    let start = [model.fixed_points()[0].w + 0.01];
    group.bench_function(BenchmarkId::new("synapse_eta2.9", STEPS), |b| {
        b.iter(|| largest_1d(&synapse, black_box(&start), &opts).unwrap())
    });
    group.finish();
}

criterion_group!(benches, lyapunov_1d);
criterion_main!(benches);
