//! How a sample is presented.
//!
//! - [`present_image`]: the image protocol of Diehl & Cook (NETWORKS.md §2), for every preset
//!   that learns from images: normalise the plastic input weights (when learning), show the
//!   image as Poisson rates for `input_ms`, let the network rest for `rest_ms`, and show it
//!   again, brighter, while the output layer fires fewer than `min_spikes` spikes.
//! - [`present_from_rest`]: for presets whose input is built in, one sample from rest.

use super::learner::{stream_seed, Response};
use super::network::Network;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The protocol's values.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImageProtocol {
    /// Input presentation (ms).
    pub input_ms: f64,
    /// Rest after each presentation (ms).
    pub rest_ms: f64,
    /// First intensity: rate = pixel / rate_divisor × intensity (Hz).
    pub intensity: f64,
    /// Intensity added when a presentation gives too few spikes.
    pub intensity_step: f64,
    /// Pixel divisor of the rate.
    pub rate_divisor: f64,
    /// Fewer output spikes than this → show the sample again, brighter.
    pub min_spikes: f64,
    /// At most this many extra presentations.
    pub max_retries: f64,
}

/// Where in a network the protocol acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImageWiring {
    /// The Poisson input group that shows the image.
    pub input: usize,
    /// The spike-count monitor of the output group.
    pub counts: usize,
    /// The plastic projection whose per-neuron input weights are normalised before each
    /// learning presentation.
    pub normalized: usize,
}

/// One sample of a preset whose input is built in: the whole network at rest, input group 0
/// shown `rates` (ignored by a noise input, which draws its charges) for `steps` steps from
/// the stream `stream`, then the output's spike counts from monitor `counts`.
pub fn present_from_rest(
    network: &mut Network,
    rates: &[f64],
    steps: u32,
    (learn, stream): (bool, u64),
    counts: usize,
) -> Response {
    network.rest();
    let mut rng = ChaCha8Rng::seed_from_u64(stream);
    let dt_ms = network.dt_ms;
    network.inputs[0].present(rates, steps, dt_ms, &mut rng);
    network.reset_counts(counts);
    network.run(steps, learn);
    Response {
        counts: network.counts(counts).to_vec(),
        presentations: 1,
    }
}

/// Presents `image` under stream `stream` (attempt k draws from the stream (stream, k)).
/// With `learn`, the weights of `wiring.normalized` are rescaled to sum to `weight_sum` per
/// postsynaptic neuron before every presentation.
pub fn present_image(
    net: &mut Network,
    wiring: ImageWiring,
    protocol: &ImageProtocol,
    weight_sum: f64,
    (image, learn, stream): (&[u8], bool, u64),
) -> Response {
    let p = protocol;
    let input_steps = (p.input_ms / net.dt_ms).round() as u32;
    let rest_steps = (p.rest_ms / net.dt_ms).round() as u32;
    let mut intensity = p.intensity;
    let mut attempt = 0u32;
    loop {
        if learn {
            let (t_ms, threads) = (net.step as f64 * net.dt_ms, net.threads());
            let projection = &mut net.projections[wiring.normalized];
            if let Some(plastic) = &mut projection.plastic {
                plastic.settle(&projection.synapses.w, t_ms, threads);
            }
            projection.synapses.normalize(weight_sum, threads);
        }
        let rates: Vec<f64> = image
            .iter()
            .map(|&px| px as f64 / p.rate_divisor * intensity)
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(stream_seed(&[stream, attempt as u64]));
        let dt = net.dt_ms;
        net.inputs[wiring.input].present(&rates, input_steps, dt, &mut rng);
        net.reset_counts(wiring.counts);
        net.run(input_steps, learn);
        let counts = net.counts(wiring.counts).to_vec();
        net.inputs[wiring.input].silence();
        net.run(rest_steps, learn);
        let total: u32 = counts.iter().sum();
        if total as f64 >= p.min_spikes || attempt as f64 >= p.max_retries {
            return Response {
                counts,
                presentations: attempt + 1,
            };
        }
        attempt += 1;
        intensity += p.intensity_step;
    }
}
