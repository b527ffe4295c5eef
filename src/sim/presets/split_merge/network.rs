//! The split-and-merge network as an assembly of the simulator's parts.

use super::super::preset::check_image_network;
use super::SplitMergeParams;
use crate::error::{Error, Result};
use crate::sim::learner::{stream_seed, Learner, Response};
use crate::sim::monitors::SpikeCounts;
use crate::sim::network::{Monitor, Network, Source};
use crate::sim::presentation::{present_image, ImageWiring};
use crate::sim::synapses::{receptive_field_patches, SynapseSpec};
use crate::sim::{ConductanceGroup, InputGroup, InputKind, NeuronGroup, Rule, Synapses, Var};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The network with its parameters and the input geometry it was built for.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SplitMerge {
    /// The parameters.
    pub params: SplitMergeParams,
    /// (rows, columns, channels) of the images.
    pub shape: (usize, usize, usize),
    /// Competition areas (kernels × positions); area a is neurons a·maps..(a + 1)·maps.
    pub areas: usize,
    /// The network.
    pub network: Network,
    /// Where the presentation protocol acts.
    pub wiring: ImageWiring,
}

/// Index of the excitatory group (the only layer).
const LAYER: usize = 0;

impl SplitMerge {
    /// The network for images of `shape` (every channel a plane with its own pathways, areas
    /// channel by channel); initial weights
    /// w_init_scale·U + w_init_min inside each receptive field and delays U(0, delay_max) come
    /// from the stream (seed, 0), area by area, map by map, pixel by pixel.
    pub fn new(params: SplitMergeParams, shape: (usize, usize, usize), seed: u64) -> Result<Self> {
        Self::with_rule(params, shape, seed, Rule::Triplet(params.rule()))
    }

    /// The same assembly with `rule` on the input projection (the `mesonet` preset's).
    pub fn with_rule(
        params: SplitMergeParams,
        shape: (usize, usize, usize),
        seed: u64,
        rule: Rule,
    ) -> Result<Self> {
        let p = params;
        p.validate()?;
        let (rows, cols, channels) = shape;
        if channels == 0 {
            return Err(Error::invalid("channels", 0.0, ">= 1"));
        }
        let maps = p.maps as usize;
        let mut rng = ChaCha8Rng::seed_from_u64(stream_seed(&[seed, 0]));
        let mut input_synapses: Vec<SynapseSpec> = Vec::new();
        let mut inhibition: Vec<SynapseSpec> = Vec::new();
        let mut areas = 0usize;
        // One pathway set per channel: every kernel type tiles every plane.
        for channel in 0..channels {
            let plane = channel * rows * cols;
            for kernel in p.kernel_types(rows, cols)? {
                let patches = receptive_field_patches(cols, rows, kernel.size, kernel.stride)?;
                for _ in 0..kernel.count {
                    for pixels in &patches {
                        let first = areas * maps;
                        for map in 0..maps {
                            let post = first + map;
                            for &pixel in pixels {
                                let w = p.w_init_scale * rng.random::<f64>() + p.w_init_min;
                                let delay_ms = rng.random::<f64>() * p.delay_max_ms;
                                input_synapses.push((
                                    plane + pixel,
                                    post,
                                    w,
                                    (delay_ms / p.dt_ms).round() as u16,
                                ));
                            }
                            // Direct inhibition of every other map at the same position of the
                            // same kernel: no inhibitory population.
                            inhibition.extend(
                                (first..first + maps)
                                    .filter(|&other| other != post)
                                    .map(|other| (post, other, p.w_inh, 0)),
                            );
                        }
                        areas += 1;
                    }
                }
            }
        }
        let neurons = areas * maps;
        let n_input = rows * cols * channels;
        let mut net = Network::new(p.dt_ms)?;
        let input = net.add_input(InputGroup::new(n_input, InputKind::Poisson));
        let layer = net.add_group(NeuronGroup::Conductance(ConductanceGroup::new(
            p.neurons(),
            neurons,
            p.dt_ms,
        )));
        let plastic = net.connect(
            "input→layer",
            Source::Input(input),
            (layer, Var::Ge),
            Synapses::from_list(n_input, neurons, input_synapses)?,
            Some(rule),
        )?;
        net.projections[plastic].max_delay_steps = (p.delay_max_ms / p.dt_ms).round() as u16;
        net.connect(
            "layer→layer inhibition",
            Source::Group(layer),
            (layer, Var::Gi),
            Synapses::from_list(neurons, neurons, inhibition)?,
            None,
        )?;
        let counts = net.add_monitor(Monitor::SpikeCounts {
            group: layer,
            counts: SpikeCounts::new(neurons),
        });
        Ok(Self {
            params: p,
            shape,
            areas,
            network: net,
            wiring: ImageWiring {
                input,
                counts,
                normalized: plastic,
            },
        })
    }

    /// Number of neurons (areas × maps).
    pub fn neurons(&self) -> usize {
        self.network.groups[LAYER].len()
    }

    /// Checks a deserialised network of `neurons` neurons (a checkpoint is input): parameters,
    /// the assembly (that of one map per area), sizes and state.
    pub fn check(&self, neurons: usize) -> std::result::Result<(), String> {
        self.params
            .validate()
            .map_err(|e| format!("network.params: {e}"))?;
        let one_map = SplitMergeParams {
            maps: 1.0,
            ..self.params
        };
        let fresh = Self::new(one_map, self.shape, 0).map_err(|e| e.to_string())?;
        if self.areas != fresh.areas {
            return Err("network: not a split-merge assembly".into());
        }
        let expected = self.areas * self.params.maps as usize;
        if neurons != expected {
            return Err(format!(
                "config.neurons = {neurons}, but the network has areas × maps = {expected}"
            ));
        }
        check_image_network(
            "split-merge",
            (&self.network, self.wiring),
            (&fresh.network, fresh.wiring),
            self.params.dt_ms,
            neurons,
        )
    }
}

impl Learner for SplitMerge {
    fn preset(&self) -> &'static str {
        "split-merge"
    }

    fn input_shape(&self) -> Option<(usize, usize, usize)> {
        Some(self.shape)
    }

    fn outputs(&self) -> usize {
        self.neurons()
    }

    fn present(&mut self, sample: &[u8], learn: bool, stream: u64) -> Response {
        let p = self.params;
        present_image(
            &mut self.network,
            self.wiring,
            &p.protocol(self.areas),
            p.weight_sum,
            (sample, learn, stream),
        )
    }

    fn network(&self) -> &Network {
        &self.network
    }

    fn network_mut(&mut self) -> &mut Network {
        &mut self.network
    }

    fn set_plastic_state(&mut self, x: &[f64]) -> Result<()> {
        self.network.set_plastic_state(x)
    }

    fn receptive_fields(&self) -> Option<Vec<Vec<f64>>> {
        Some(self.network.incoming_weights(self.wiring.normalized))
    }

    fn weight_bounds(&self) -> (f64, f64) {
        (self.params.w_min, self.params.w_max)
    }
}
