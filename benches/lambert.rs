//! Cost per call of mesonet's relatively accurate Lambert W against the raw `lambert_w` crate
//! that provides its first guess. Each benchmark evaluates one function on the same fixed array
//! of `INPUTS` arguments (a deterministic grid built outside the timed loop); the reported time
//! divided by `INPUTS` is the cost per call. The SciPy peer is `benches/peer/scipy_lambertw.py`.
//!
//! Run: `cargo bench --bench lambert -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// Number of arguments per branch (per timed iteration).
const INPUTS: usize = 4096;

/// `-1/e` rounded to a double: the lower end of both domains.
const NEG_INV_E: f64 = -0.367_879_441_171_442_33;

/// W0 arguments: half on the negative part `(-1/e, 0)`, evenly spaced, half log-spaced on
/// `[1e-6, 1e6]`. Both halves are interleaved so that branches inside the function alternate.
fn w0_inputs() -> Vec<f64> {
    (0..INPUTS)
        .map(|i| {
            let fraction = (i / 2) as f64 / (INPUTS / 2) as f64;
            if i % 2 == 0 {
                NEG_INV_E * (1.0 - fraction) * (1.0 - 1e-9)
            } else {
                10f64.powf(-6.0 + 12.0 * fraction)
            }
        })
        .collect()
}

/// W-1 arguments: `z = -e^{-1-s}` with `s` evenly spaced on `(0, 50]`, i.e. from next to the
/// branch point (`W-1 ≈ -1`) to `z ≈ -7e-23` (`W-1 ≈ -55`).
fn wm1_inputs() -> Vec<f64> {
    (1..=INPUTS)
        .map(|i| {
            let s = 50.0 * i as f64 / INPUTS as f64;
            -(-1.0 - s).exp()
        })
        .collect()
}

/// Times `function` over all of `inputs`, summing the results so nothing is optimised away.
fn bench_over(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    inputs: &[f64],
    function: impl Fn(f64) -> f64,
) {
    group.bench_with_input(BenchmarkId::new(name, inputs.len()), inputs, |b, inputs| {
        b.iter(|| inputs.iter().map(|&z| function(black_box(z))).sum::<f64>())
    });
}

fn lambert_w0_bench(c: &mut Criterion) {
    let inputs = w0_inputs();
    let mut group = c.benchmark_group("lambert_w0");
    group.throughput(Throughput::Elements(inputs.len() as u64));
    bench_over(&mut group, "mesonet", &inputs, |z| {
        mesonet::special::lambert_w0(z).unwrap_or(f64::NAN)
    });
    bench_over(
        &mut group,
        "lambert_w_crate",
        &inputs,
        lambert_w::lambert_w0,
    );
    group.finish();
}

fn lambert_wm1_bench(c: &mut Criterion) {
    let inputs = wm1_inputs();
    let mut group = c.benchmark_group("lambert_wm1");
    group.throughput(Throughput::Elements(inputs.len() as u64));
    bench_over(&mut group, "mesonet", &inputs, |z| {
        mesonet::special::lambert_wm1(z).unwrap_or(f64::NAN)
    });
    bench_over(
        &mut group,
        "lambert_w_crate",
        &inputs,
        lambert_w::lambert_wm1,
    );
    group.finish();
}

criterion_group!(benches, lambert_w0_bench, lambert_wm1_bench);
criterion_main!(benches);
