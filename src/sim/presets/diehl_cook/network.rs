//! The Diehl & Cook network as an assembly of the simulator's parts.

use super::super::preset::check_image_network;
use super::DiehlCookParams;
use crate::error::Result;
use crate::sim::learner::{stream_seed, Learner, Response};
use crate::sim::monitors::SpikeCounts;
use crate::sim::network::{Monitor, Network, Source};
use crate::sim::presentation::{present_image, ImageWiring};
use crate::sim::{ConductanceGroup, InputGroup, InputKind, NeuronGroup, Rule, Synapses, Var};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The network with its parameters and the input geometry it was built for.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DiehlCook {
    /// The parameters.
    pub params: DiehlCookParams,
    /// (rows, columns, channels) of the images.
    pub shape: (usize, usize, usize),
    /// The network.
    pub network: Network,
    /// Where the presentation protocol acts.
    pub wiring: ImageWiring,
}

/// Index of the excitatory group (the output layer).
const EXC: usize = 0;

impl DiehlCook {
    /// `neurons` excitatory (and as many inhibitory) neurons for images of `shape`; initial
    /// weights (U + w_init_offset)·w_init_scale and delays U(0, delay_max) come from the stream
    /// (seed, 0).
    pub fn new(
        params: DiehlCookParams,
        neurons: usize,
        shape: (usize, usize, usize),
        seed: u64,
    ) -> Result<Self> {
        let p = params;
        p.validate()?;
        if neurons == 0 {
            return Err(crate::Error::invalid("neurons", 0.0, ">= 1"));
        }
        let n_input = shape.0 * shape.1 * shape.2;
        let mut rng = ChaCha8Rng::seed_from_u64(stream_seed(&[seed, 0]));
        let synapses = n_input * neurons;
        let w: Vec<f64> = (0..synapses)
            .map(|_| (rng.random::<f64>() + p.w_init_offset) * p.w_init_scale)
            .collect();
        let delays: Vec<u16> = (0..synapses)
            .map(|_| (rng.random::<f64>() * p.delay_max_ms / p.dt_ms).round() as u16)
            .collect();
        let mut net = Network::new(p.dt_ms)?;
        let input = net.add_input(InputGroup::new(n_input, InputKind::Poisson));
        let exc = net.add_group(NeuronGroup::Conductance(ConductanceGroup::new(
            p.excitatory(),
            neurons,
            p.dt_ms,
        )));
        let inh = net.add_group(NeuronGroup::Conductance(ConductanceGroup::new(
            p.inhibitory(),
            neurons,
            p.dt_ms,
        )));
        let plastic = net.connect(
            "input→exc",
            Source::Input(input),
            (exc, Var::Ge),
            Synapses::dense(n_input, neurons, w, delays)?,
            Some(Rule::Triplet(p.rule())),
        )?;
        net.projections[plastic].max_delay_steps = (p.delay_max_ms / p.dt_ms).round() as u16;
        net.connect(
            "exc→inh",
            Source::Group(exc),
            (inh, Var::Ge),
            Synapses::one_to_one(neurons, p.w_exc_inh, 0)?,
            None,
        )?;
        net.connect(
            "inh→exc",
            Source::Group(inh),
            (exc, Var::Gi),
            Synapses::all_but_self(neurons, p.w_inh_exc, 0)?,
            None,
        )?;
        let counts = net.add_monitor(Monitor::SpikeCounts {
            group: exc,
            counts: SpikeCounts::new(neurons),
        });
        Ok(Self {
            params: p,
            shape,
            network: net,
            wiring: ImageWiring {
                input,
                counts,
                normalized: plastic,
            },
        })
    }

    /// Number of excitatory neurons.
    pub fn neurons(&self) -> usize {
        self.network.groups[EXC].len()
    }

    /// Checks a deserialised network of `neurons` excitatory neurons (a checkpoint is input):
    /// its parameters as strictly as `--set`, then the network's sizes, indices and delays.
    pub fn check(&self, neurons: usize) -> std::result::Result<(), String> {
        self.params
            .validate()
            .map_err(|e| format!("network.params: {e}"))?;
        let fresh = Self::new(self.params, 1, self.shape, 0).map_err(|e| e.to_string())?;
        check_image_network(
            "diehl-cook",
            (&self.network, self.wiring),
            (&fresh.network, fresh.wiring),
            self.params.dt_ms,
            neurons,
        )
    }
}

impl Learner for DiehlCook {
    fn preset(&self) -> &'static str {
        "diehl-cook"
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
            &p.protocol(),
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
        (0.0, self.params.w_max)
    }
}
