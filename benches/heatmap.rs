//! A 200 × 200 heatmap of the soft-bound synapse's largest Lyapunov exponent over η × τ_m,
//! 1e4 averaged steps per cell, on 1 and on 2 threads (the speed-up is the ratio of the two).
//! Also the edge-of-chaos sweep of issue 5: a 100 × 100 η_min × η_max heatmap of the coupled
//! (w, η) map (analyses/edge-of-chaos.json sizes: 2000 transient + 5000 averaged steps) on 2
//! threads. Set MESONET_BENCH_GRID to a smaller side length for a quick run.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use mesonet::analysis::heatmap::compute;
use mesonet::analysis::lyapunov::LyapunovOptions;
use mesonet::analysis::Grid;
use mesonet::registry::{largest_lyapunov, ParamSet, SystemKind};

fn synapse_heatmap(c: &mut Criterion) {
    let side: usize = std::env::var("MESONET_BENCH_GRID")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let x = Grid::linspace("eta", 0.05, 4.0, side).unwrap();
    let y = Grid::linspace("tau_m", 1.0, 5.0, side).unwrap();
    let params = ParamSet::defaults(SystemKind::SynapseMap);
    let opts = LyapunovOptions {
        transient: 0,
        steps: 10_000,
        ..LyapunovOptions::default()
    };
    let mut group = c.benchmark_group("synapse_heatmap");
    group.sample_size(10);
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        group.bench_function(
            BenchmarkId::new(format!("{side}x{side}_1e4_steps"), threads),
            |b| {
                b.iter(|| {
                    pool.install(|| {
                        compute(
                            &x,
                            &y,
                            |eta, tau_m| {
                                let mut at = params.clone();
                                at.set("eta", eta)?;
                                at.set("tau_m", tau_m)?;
                                largest_lyapunov(&at, None, &opts)
                            },
                            &|| {},
                        )
                        .unwrap()
                    })
                })
            },
        );
    }
    group.finish();
}

fn edge_of_chaos_heatmap(c: &mut Criterion) {
    let x = Grid::linspace("eta_min", 0.0, 3.0, 100).unwrap();
    let y = Grid::linspace("eta_max", 3.02, 6.0, 100).unwrap();
    let params = ParamSet::defaults(SystemKind::VariablePlasticity);
    let opts = LyapunovOptions {
        transient: 2_000,
        steps: 5_000,
        ..LyapunovOptions::default()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let mut group = c.benchmark_group("edge_of_chaos_heatmap");
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("100x100_eta_min_eta_max", 2), |b| {
        b.iter(|| {
            pool.install(|| {
                compute(
                    &x,
                    &y,
                    |eta_min, eta_max| {
                        let mut at = params.clone();
                        at.set("eta_min", eta_min)?;
                        at.set("eta_max", eta_max)?;
                        largest_lyapunov(&at, None, &opts)
                    },
                    &|| {},
                )
                .unwrap()
            })
        })
    });
    group.finish();
}

criterion_group!(benches, synapse_heatmap, edge_of_chaos_heatmap);
criterion_main!(benches);
