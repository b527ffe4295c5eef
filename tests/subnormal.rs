//! No state variable of a simulated network is ever a subnormal float (docs/NETWORKS.md,
//! "Decaying state"; `sim::decay`). Without the model's floor, a postsynaptic trace with
//! τ = 20 ms passes through the subnormal range 14.2-14.9 s after its neuron's last spike
//! (e^{−t/20 ms} between 4.9e-324 and 2.2e-308), τ = 40 ms at 28.3-29.8 s; conductances and
//! currents likewise. This test trains a network long enough for that and inspects every number
//! of its serialised state after each presentation (the current-based group has its own test,
//! checked every step, in `sim::groups::current_lif`).

use mesonet::data::{load_mnist_like, Split};
use mesonet::sim::presets::{DiehlCook, DiehlCookParams};
use mesonet::sim::{Learner, Network};
use serde_json::Value;
use std::path::Path;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mnist-subset");

/// Paths of every subnormal number in `value`.
fn subnormals(value: &Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::Number(n) => {
            if let Some(x) = n.as_f64() {
                if x != 0.0 && x.abs() < f64::MIN_POSITIVE {
                    found.push(format!("{path} = {x:e}"));
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                subnormals(item, &format!("{path}[{i}]"), found);
            }
        }
        Value::Object(fields) => {
            for (k, item) in fields {
                subnormals(item, &format!("{path}.{k}"), found);
            }
        }
        _ => {}
    }
}

fn assert_no_subnormal(network: &Network, when: &str) {
    let mut found = Vec::new();
    subnormals(
        &serde_json::to_value(network).unwrap(),
        "network",
        &mut found,
    );
    assert!(
        found.is_empty(),
        "{when}: {} subnormal state values, first {:?}",
        found.len(),
        &found[..found.len().min(5)]
    );
}

/// Longest run of consecutive presentations (ms) in which a neuron that had fired before stayed
/// silent, over all neurons.
fn longest_silence_after_a_spike_ms(counts: &[Vec<u32>], presentation_ms: f64) -> f64 {
    let neurons = counts[0].len();
    let mut longest = 0usize;
    for j in 0..neurons {
        let (mut fired, mut run) = (false, 0usize);
        for sample in counts {
            if sample[j] > 0 {
                fired = true;
                run = 0;
            } else if fired {
                run += 1;
                longest = longest.max(run);
            }
        }
    }
    longest as f64 * presentation_ms
}

#[test]
fn diehl_cook_training_never_holds_a_subnormal() {
    let train = load_mnist_like(Path::new(DATA), Split::Train).unwrap();
    let params = DiehlCookParams::default();
    let presentation_ms = params.input_ms + params.rest_ms;
    let mut net = DiehlCook::new(params, 25, (28, 28, 1), 3).unwrap();
    let mut counts = Vec::new();
    for i in 0..90 {
        let response = net.present(train.image(i), true, i as u64);
        counts.push(response.counts);
        assert_no_subnormal(net.network(), &format!("after sample {i}"));
    }
    // The check means something only if some trace would have crossed the subnormal range:
    // a neuron silent for more than 15 s after a spike (post1, τ = 20 ms, crosses it at
    // 14.2-14.9 s; the state is inspected every 0.5 s).
    let silence = longest_silence_after_a_spike_ms(&counts, presentation_ms);
    assert!(
        silence > 15_000.0,
        "longest silence after a spike {silence} ms"
    );
}
