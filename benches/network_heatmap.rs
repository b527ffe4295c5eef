//! Trained-network heatmap cells (issue 13's speed target: a 10 × 10 η_min × η_max grid of
//! ~100-neuron mesonet networks, 2 000 training + 1 000 test + 200 Lyapunov samples per cell,
//! under 30 min on 2 cores). A full cell takes minutes, so this measures a 2 × 2 grid of
//! scaled cells on the repository's MNIST subset (200 training, 100 test, 20 Lyapunov
//! samples; mesonet with 5 maps per area, as analyses/mnist/network-heatmap-mnist.json), on
//! 1 and on 2 threads. A full cell is not a fixed multiple of this one: presentations per
//! sample grow as a layer trains (1.06 over the first 400 samples, about 4 late in a
//! 2 000-sample cell), so a full cell took 108.9 s on one thread, 56× this cell's 1.9 s.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use mesonet::analysis::Grid;
use mesonet::data::load_splits;
use mesonet::jobs::network_heatmap::{run_cells, NetworkHeatmapPlan};
use mesonet::jobs::shard::Shard;
use std::collections::BTreeMap;
use std::path::Path;

fn cells(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mnist-subset");
    let (train, test) = load_splits(&dir).unwrap();
    let plan = NetworkHeatmapPlan {
        preset: "mesonet".into(),
        neurons: None,
        x: Grid::linspace("eta_min", 0.25, 1.0, 2).unwrap(),
        y: Grid::linspace("eta_max", 1.25, 4.0, 2).unwrap(),
        set: BTreeMap::from([
            ("maps".to_string(), 5.0),
            ("min_spikes_per_area".to_string(), 1.0),
        ]),
        train_samples: 200,
        test_samples: 100,
        lyapunov_samples: 20,
        d0_relative: 1e-8,
        holdout: 0,
        seed: 0,
    };
    plan.validate().unwrap();
    let mut group = c.benchmark_group("network_heatmap");
    group.sample_size(10);
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        group.bench_function(BenchmarkId::new("2x2_cells_200_100_20", threads), |b| {
            b.iter(|| {
                pool.install(|| run_cells(&plan, Shard::WHOLE, (&train, &test), &|| {}))
                    .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, cells);
criterion_main!(benches);
