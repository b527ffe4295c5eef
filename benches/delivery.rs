//! The machine's limit for the input→excitatory event delivery of Diehl & Cook training, and
//! how close the simulator's delivery comes to it.
//!
//! The access pattern, with the sizes of the real network: 784 Poisson inputs (rates from the
//! first MNIST-subset image at intensity 2, i.e. pixel/4 Hz), dense projection onto N
//! neurons, delays U(0, 10 ms) on a 0.5 ms grid, each presynaptic row sorted by delay. At every
//! step, each spike emitted in the last 21 steps delivers the segment of its row whose delay
//! equals its age: a short contiguous run of ~N/21 synapses starting at a scattered place.
//! One iteration = one 350 ms presentation plus the 10 ms tail (720 steps). Throughput is
//! reported in delivered events.
//!
//! Kernels, each over exactly the same segments:
//! - `read_weights`: sum of the segment's weights (8 B per event: the streaming floor);
//! - `scatter_add`: g[target] += w (12 B read per event, a scatter into N values in L1);
//! - `scatter_add_depress`: the same plus w ← clip(w − ν_pre·post1[target], 0, 1) (the work of
//!   the triplet rule's arrival: 12 B read, 8 B written per event) — the roofline of the
//!   pattern;
//! - `mesonet_deliver`: `Synapses::deliver` with the triplet rule, as the network calls it
//!   (the same segments, but queued once per spike into a ring by arrival step and walked
//!   step by step, instead of looked up per spike and step as the kernels above do).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mesonet::data::{load_mnist_like, Split};
use mesonet::sim::disjoint::DisjointMut;
use mesonet::sim::plasticity::{Plasticity, TripletStdp};
use mesonet::sim::synapses::Delivery;
use mesonet::sim::Synapses;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;

const N_PRE: usize = 784;
const DT_MS: f64 = 0.5;
const MAX_DELAY: usize = 20;
const INPUT_STEPS: usize = 700;
const STEPS: usize = INPUT_STEPS + MAX_DELAY;

/// The synapses in the simulator's layout, in plain arrays (slot order: rows by presynaptic
/// neuron, each sorted by delay).
struct Slots {
    w: Vec<f64>,
    target: Vec<u32>,
    delay: Vec<u16>,
}

/// Which slots each step delivers.
struct Segments {
    /// `start[i * (MAX_DELAY + 2) + d]`: first slot of row i with delay ≥ d.
    start: Vec<u32>,
    /// Spikes emitted at each step.
    spikes: Vec<Vec<u32>>,
    /// Events one iteration delivers.
    events: u64,
}

fn pattern(n_post: usize) -> (Slots, Segments) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (mut w, mut target, mut delay) = (Vec::new(), Vec::new(), Vec::new());
    let stride = MAX_DELAY + 2;
    let mut start = vec![0u32; N_PRE * stride];
    for i in 0..N_PRE {
        let mut row: Vec<(u16, u32)> = (0..n_post as u32)
            .map(|j| ((rng.random::<f64>() * MAX_DELAY as f64).round() as u16, j))
            .collect();
        row.sort_unstable();
        let base = w.len();
        for d in 0..stride {
            start[i * stride + d] =
                (base + row.iter().filter(|&&(k, _)| (k as usize) < d).count()) as u32;
        }
        for (d, j) in row {
            w.push(0.3 * rng.random::<f64>());
            target.push(j);
            delay.push(d);
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mnist-subset");
    let image = load_mnist_like(&dir, Split::Train)
        .expect("the MNIST subset")
        .image(0)
        .to_vec();
    let spikes: Vec<Vec<u32>> = (0..STEPS)
        .map(|s| {
            (0..N_PRE as u32)
                .filter(|&i| {
                    let rate_hz = image[i as usize] as f64 / 4.0;
                    s < INPUT_STEPS && rng.random::<f64>() < rate_hz * DT_MS / 1000.0
                })
                .collect()
        })
        .collect();
    let emitted: usize = spikes.iter().map(Vec::len).sum();
    (
        Slots { w, target, delay },
        Segments {
            start,
            spikes,
            events: (emitted * n_post) as u64,
        },
    )
}

/// Calls `segment(lo, hi)` for every (spike, age) delivery of one iteration.
fn for_each_segment(p: &Segments, mut segment: impl FnMut(usize, usize)) {
    let stride = MAX_DELAY + 2;
    for step in 0..STEPS {
        for age in (0..=MAX_DELAY.min(step)).rev() {
            for &i in &p.spikes[step - age] {
                let at = i as usize * stride + age;
                segment(p.start[at] as usize, p.start[at + 1] as usize);
            }
        }
    }
}

fn delivery(c: &mut Criterion) {
    let mut group = c.benchmark_group("delivery");
    group.sample_size(20);
    for n_post in [100usize, 400] {
        let (mut slots, segments) = pattern(n_post);
        group.throughput(Throughput::Elements(segments.events));
        let post1: Vec<f64> = (0..n_post).map(|j| (j % 7) as f64 * 0.1).collect();
        let mut g = vec![0.0f64; n_post];

        group.bench_function(BenchmarkId::new("read_weights", n_post), |b| {
            b.iter(|| {
                let mut sum = 0.0;
                for_each_segment(&segments, |lo, hi| {
                    sum += slots.w[lo..hi].iter().sum::<f64>()
                });
                sum
            })
        });
        group.bench_function(BenchmarkId::new("scatter_add", n_post), |b| {
            b.iter(|| {
                for_each_segment(&segments, |lo, hi| {
                    for (w, &j) in slots.w[lo..hi].iter().zip(&slots.target[lo..hi]) {
                        g[j as usize] += *w;
                    }
                });
                g[0]
            })
        });
        group.bench_function(BenchmarkId::new("scatter_add_depress", n_post), |b| {
            b.iter(|| {
                for_each_segment(&segments, |lo, hi| {
                    let targets = &slots.target[lo..hi];
                    for (w, &j) in slots.w[lo..hi].iter_mut().zip(targets) {
                        g[j as usize] += *w;
                        *w = (*w - 1e-4 * post1[j as usize]).clamp(0.0, 1.0);
                    }
                });
                g[0]
            })
        });

        let rule = TripletStdp::new(1e-4, 1e-2, (0.0, 1.0), DT_MS, [20.0, 20.0, 40.0]);
        let mut traces = rule.new_traces(n_post);
        traces.a.clone_from(&post1);
        // The simulator's store takes (pre, post)-ordered arrays and sorts each row itself;
        // give it the same weight and delay per (pre, post) as the plain slots.
        let mut w = vec![0.0; N_PRE * n_post];
        let mut delays = vec![0u16; N_PRE * n_post];
        for (k, (&j, &d)) in slots.target.iter().zip(&slots.delay).enumerate() {
            let dense = (k / n_post) * n_post + j as usize;
            w[dense] = slots.w[k];
            delays[dense] = d;
        }
        let mut synapses = Synapses::dense(N_PRE, n_post, w, delays).unwrap();
        let mut step = 0i64;
        group.bench_function(BenchmarkId::new("mesonet_deliver", n_post), |b| {
            b.iter(|| {
                for spikes in &segments.spikes {
                    for &i in spikes {
                        synapses.emit(step, i);
                    }
                    synapses.deliver(
                        step,
                        Delivery {
                            target: &mut g,
                            first: 0,
                            rule: Some((&rule, &traces.as_mut(), DisjointMut::new(&mut []))),
                            t_arrival_ms: (step + 1) as f64 * DT_MS,
                        },
                    );
                    step += 1;
                }
                g[0]
            })
        });
    }
    group.finish();
}

criterion_group!(benches, delivery);
criterion_main!(benches);
