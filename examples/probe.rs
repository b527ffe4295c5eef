use mesonet::presets::{DiehlCook, DiehlCookParams};
fn main() {
    let n: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let mut img = vec![0u8; 784];
    for r in 6..22 {
        for c in 10..19 {
            img[r * 28 + c] = if (r + c) % 3 == 0 { 128 } else { 255 };
        }
    }
    let mut net = DiehlCook::new(DiehlCookParams::default(), n, 1).unwrap();
    let t = std::time::Instant::now();
    let mut pres = 0;
    let samples = 50;
    for s in 0..samples {
        pres += net.present(&img, true, s).presentations;
    }
    let dt = t.elapsed().as_secs_f64();
    println!(
        "n={n} {:.3} ms/sample, presentations {pres}, events/sample {:.0}",
        dt / samples as f64 * 1e3,
        net.synaptic_events as f64 / samples as f64
    );
}
