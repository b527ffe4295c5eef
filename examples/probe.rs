//! Profiling aid: trains N neurons on the first S MNIST images and prints ms per sample.
use mesonet::data::{load_mnist_like, Split};
use mesonet::presets::{DiehlCook, DiehlCookParams};
fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(400);
    let samples: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let data = load_mnist_like(std::path::Path::new("../shared/data/mnist"), Split::Train).unwrap();
    let mut net = DiehlCook::new(DiehlCookParams::default(), n, 1).unwrap();
    let t = std::time::Instant::now();
    let mut presentations = 0;
    for s in 0..samples {
        presentations += net.present(data.image(s), true, s as u64).presentations;
    }
    let dt = t.elapsed().as_secs_f64();
    println!(
        "n={n} {:.3} ms/sample, {presentations} presentations, {:.0} events/sample",
        dt / samples as f64 * 1e3,
        net.synaptic_events as f64 / samples as f64
    );
}
