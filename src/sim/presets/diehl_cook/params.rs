//! Every parameter of the `diehl-cook` preset (NETWORKS.md §2), by the name `--set` uses, with
//! its domain.

use crate::error::{Error, Result};
use crate::sim::plasticity::TripletStdp;
use crate::sim::presentation::ImageProtocol;
use crate::sim::ConductanceParams;

use super::super::checks;
pub use super::super::checks::{MAX_PHASE_MS, MAX_RETRIES, MIN_DT_MS};

/// Every parameter of the preset (NETWORKS.md §2), by the name `--set` uses.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiehlCookParams {
    /// Time step (ms).
    pub dt_ms: f64,
    /// Input presentation per sample (ms).
    pub input_ms: f64,
    /// Rest after each presentation (ms).
    pub rest_ms: f64,
    /// Initial input intensity: rate = pixel / rate_divisor × intensity (Hz).
    pub intensity: f64,
    /// Intensity increase when a presentation gives too few spikes.
    pub intensity_step: f64,
    /// Pixel divisor of the rate (pixel 255 at intensity 2 → 63.75 Hz).
    pub rate_divisor: f64,
    /// Fewer excitatory spikes than this → show the sample again, brighter.
    pub min_spikes: f64,
    /// At most this many extra presentations per sample.
    pub max_retries: f64,
    /// Excitatory resting potential (mV).
    pub exc_v_rest: f64,
    /// Excitatory reset (mV).
    pub exc_v_reset: f64,
    /// Excitatory threshold before the adaptive part (mV).
    pub exc_v_thresh: f64,
    /// Excitatory refractory period (ms).
    pub exc_refractory_ms: f64,
    /// Excitatory membrane time constant (ms).
    pub exc_tau_ms: f64,
    /// Excitatory reversal potential seen by excitatory neurons (mV).
    pub exc_e_exc: f64,
    /// Inhibitory reversal potential seen by excitatory neurons (mV).
    pub exc_e_inh: f64,
    /// Initial adaptive threshold θ (mV).
    pub theta_init: f64,
    /// θ increment per spike (mV).
    pub theta_plus: f64,
    /// θ decay time constant (ms).
    pub tau_theta_ms: f64,
    /// Offset in the threshold test v > θ − offset + v_thresh (mV).
    pub theta_offset: f64,
    /// Inhibitory resting potential (mV).
    pub inh_v_rest: f64,
    /// Inhibitory reset (mV).
    pub inh_v_reset: f64,
    /// Inhibitory threshold (mV).
    pub inh_v_thresh: f64,
    /// Inhibitory refractory period (ms).
    pub inh_refractory_ms: f64,
    /// Inhibitory membrane time constant (ms).
    pub inh_tau_ms: f64,
    /// Excitatory reversal potential seen by inhibitory neurons (mV).
    pub inh_e_exc: f64,
    /// Inhibitory reversal potential seen by inhibitory neurons (mV).
    pub inh_e_inh: f64,
    /// Excitatory conductance time constant (ms).
    pub tau_ge_ms: f64,
    /// Inhibitory conductance time constant (ms).
    pub tau_gi_ms: f64,
    /// Initial v relative to v_rest (mV).
    pub v_init_offset: f64,
    /// Excitatory → inhibitory weight (one-to-one).
    pub w_exc_inh: f64,
    /// Inhibitory → excitatory weight (all but self).
    pub w_inh_exc: f64,
    /// Upper clip of the input weights (lower clip 0).
    pub w_max: f64,
    /// Initial input weights: (U(0,1) + w_init_offset) × w_init_scale.
    pub w_init_scale: f64,
    /// See `w_init_scale`.
    pub w_init_offset: f64,
    /// Input delays U(0, delay_max_ms).
    pub delay_max_ms: f64,
    /// Presynaptic trace time constant (ms).
    pub tau_pre_ms: f64,
    /// Fast postsynaptic trace time constant (ms).
    pub tau_post1_ms: f64,
    /// Slow postsynaptic trace time constant (ms).
    pub tau_post2_ms: f64,
    /// Depression rate at presynaptic arrivals.
    pub nu_pre: f64,
    /// Potentiation rate at postsynaptic spikes.
    pub nu_post: f64,
    /// Each excitatory neuron's input weights are rescaled to sum to this before each sample.
    pub weight_sum: f64,
    /// 0: exact exponential decay factors for the conductances and θ (default); 1: forward
    /// Euler, the integrator of the Brian ports of the reference code (see
    /// `ConductanceParams::euler_conductances`). One pass over 60k MNIST images, seed 0
    /// (all-activity / proportion, 10k test): 100 neurons exact 79.4 % / 81.8 %, Euler 62.6 % /
    /// 68.4 % (2.2 presentations per sample); 400 neurons exact with the default block 88.5 % /
    /// 89.1 %, Euler 88.4 % / 89.7 %. The full table is in the README.
    pub euler_conductances: f64,
    /// An excitatory neuron may fire only when more than this has passed since its last spike
    /// (ms; 0 = no block beyond `exc_refractory_ms`). The reference code's `timer` makes it
    /// 50 ms (see `ConductanceParams::spike_block_ms`). Default 10 ms: before v was kept between
    /// its reversal potentials (see `ConductanceGroup::step`), the exact-decay 400-neuron layer
    /// ran away without a block (first 1000 samples, seed 0: 78 ms per sample, chance accuracy)
    /// and 10 ms was the smallest block measured (0, 10, 20, 50 ms) that prevented it; every
    /// default result in the README uses it. At 100 neurons (seed 0) it never acted: the
    /// weights equal those without a block.
    pub spike_block_ms: f64,
    /// 1: with exact decay, v sees each conductance averaged over the step, so that each
    /// input's charge is g·τ exactly (see `ConductanceParams::averaged_conductances`); 0: v
    /// sees the value at the step's start (default; 27 % more charge at dt 0.5, τ_ge 1 ms).
    /// Measured, one pass, seed 0, 10 ms block: 100 neurons 67.9 % / 73.1 % (2.25 presentations
    /// per sample), 400 neurons 89.3 % / 89.9 %.
    #[serde(default)]
    pub averaged_conductances: f64,
}

impl Default for DiehlCookParams {
    fn default() -> Self {
        Self {
            dt_ms: 0.5,
            input_ms: 350.0,
            rest_ms: 150.0,
            intensity: 2.0,
            intensity_step: 1.0,
            rate_divisor: 8.0,
            min_spikes: 5.0,
            max_retries: 20.0,
            exc_v_rest: -65.0,
            exc_v_reset: -65.0,
            exc_v_thresh: -52.0,
            exc_refractory_ms: 5.0,
            exc_tau_ms: 100.0,
            exc_e_exc: 0.0,
            exc_e_inh: -100.0,
            theta_init: 20.0,
            theta_plus: 0.05,
            tau_theta_ms: 1e7,
            theta_offset: 20.0,
            inh_v_rest: -60.0,
            inh_v_reset: -45.0,
            inh_v_thresh: -40.0,
            inh_refractory_ms: 2.0,
            inh_tau_ms: 10.0,
            inh_e_exc: 0.0,
            inh_e_inh: -85.0,
            tau_ge_ms: 1.0,
            tau_gi_ms: 2.0,
            v_init_offset: -40.0,
            w_exc_inh: 10.4,
            w_inh_exc: 17.0,
            w_max: 1.0,
            w_init_scale: 0.3,
            w_init_offset: 0.01,
            delay_max_ms: 10.0,
            tau_pre_ms: 20.0,
            tau_post1_ms: 20.0,
            tau_post2_ms: 40.0,
            nu_pre: 1e-4,
            nu_post: 1e-2,
            weight_sum: 78.0,
            euler_conductances: 0.0,
            spike_block_ms: 10.0,
            averaged_conductances: 0.0,
        }
    }
}

impl DiehlCookParams {
    /// Sets one parameter by name; unknown names list the valid ones.
    pub fn set(&mut self, name: &str, value: f64) -> Result<()> {
        super::super::set_by_name(self, "diehl-cook", name, value)
    }

    /// Checks every value's domain.
    pub fn validate(&self) -> Result<()> {
        use crate::error::{require_non_negative, require_positive};
        for (name, v) in [
            ("dt_ms", self.dt_ms),
            ("input_ms", self.input_ms),
            ("rate_divisor", self.rate_divisor),
            ("tau_pre_ms", self.tau_pre_ms),
            ("tau_post1_ms", self.tau_post1_ms),
            ("tau_post2_ms", self.tau_post2_ms),
            ("w_max", self.w_max),
            ("weight_sum", self.weight_sum),
        ] {
            require_positive(name, v)?;
        }
        for (name, v) in [
            ("rest_ms", self.rest_ms),
            ("intensity", self.intensity),
            ("intensity_step", self.intensity_step),
            ("min_spikes", self.min_spikes),
            ("max_retries", self.max_retries),
            ("w_exc_inh", self.w_exc_inh),
            ("w_inh_exc", self.w_inh_exc),
            ("w_init_scale", self.w_init_scale),
            ("w_init_offset", self.w_init_offset),
            ("delay_max_ms", self.delay_max_ms),
            ("nu_pre", self.nu_pre),
            ("nu_post", self.nu_post),
            ("spike_block_ms", self.spike_block_ms),
        ] {
            require_non_negative(name, v)?;
        }
        checks::step_and_phases(self.dt_ms, self.input_ms, self.rest_ms)?;
        checks::retries(self.max_retries)?;
        let euler = checks::switch("euler_conductances", self.euler_conductances)?;
        let averaged = checks::switch("averaged_conductances", self.averaged_conductances)?;
        if euler && averaged {
            return Err(Error::invalid(
                "averaged_conductances",
                1.0,
                "0 with euler_conductances = 1 (Euler already keeps each charge)",
            ));
        }
        if euler {
            checks::euler_step(self.dt_ms, self.tau_ge_ms, self.tau_gi_ms)?;
        }
        checks::delay_max(self.delay_max_ms, self.dt_ms)?;
        for (name, v) in [
            ("exc_v_rest", self.exc_v_rest),
            ("exc_v_reset", self.exc_v_reset),
            ("exc_v_thresh", self.exc_v_thresh),
            ("exc_e_exc", self.exc_e_exc),
            ("exc_e_inh", self.exc_e_inh),
            ("theta_init", self.theta_init),
            ("theta_plus", self.theta_plus),
            ("theta_offset", self.theta_offset),
            ("inh_v_rest", self.inh_v_rest),
            ("inh_v_reset", self.inh_v_reset),
            ("inh_v_thresh", self.inh_v_thresh),
            ("inh_e_exc", self.inh_e_exc),
            ("inh_e_inh", self.inh_e_inh),
            ("v_init_offset", self.v_init_offset),
        ] {
            crate::error::require_finite(name, v)?;
        }
        for (name, v) in [
            ("exc_tau_ms", self.exc_tau_ms),
            ("inh_tau_ms", self.inh_tau_ms),
            ("tau_ge_ms", self.tau_ge_ms),
            ("tau_gi_ms", self.tau_gi_ms),
            ("tau_theta_ms", self.tau_theta_ms),
        ] {
            require_positive(name, v)?;
        }
        for (name, v) in [
            ("exc_refractory_ms", self.exc_refractory_ms),
            ("inh_refractory_ms", self.inh_refractory_ms),
        ] {
            require_non_negative(name, v)?;
        }
        Ok(())
    }

    /// The excitatory group's parameters.
    pub fn excitatory(&self) -> ConductanceParams {
        ConductanceParams {
            v_rest_mv: self.exc_v_rest,
            v_reset_mv: self.exc_v_reset,
            v_thresh_mv: self.exc_v_thresh,
            tau_ms: self.exc_tau_ms,
            refractory_ms: self.exc_refractory_ms,
            e_exc_mv: self.exc_e_exc,
            e_inh_mv: self.exc_e_inh,
            tau_ge_ms: self.tau_ge_ms,
            tau_gi_ms: self.tau_gi_ms,
            theta_plus_mv: self.theta_plus,
            tau_theta_ms: self.tau_theta_ms,
            theta_init_mv: self.theta_init,
            theta_offset_mv: self.theta_offset,
            v_init_offset_mv: self.v_init_offset,
            euler_conductances: self.euler_conductances > 0.5,
            averaged_conductances: self.averaged_conductances > 0.5,
            spike_block_ms: self.spike_block_ms,
            integrate_while_refractory: false,
        }
    }

    /// The inhibitory group's parameters (no adaptive threshold).
    pub fn inhibitory(&self) -> ConductanceParams {
        ConductanceParams {
            v_rest_mv: self.inh_v_rest,
            v_reset_mv: self.inh_v_reset,
            v_thresh_mv: self.inh_v_thresh,
            tau_ms: self.inh_tau_ms,
            refractory_ms: self.inh_refractory_ms,
            e_exc_mv: self.inh_e_exc,
            e_inh_mv: self.inh_e_inh,
            tau_ge_ms: self.tau_ge_ms,
            tau_gi_ms: self.tau_gi_ms,
            theta_plus_mv: 0.0,
            tau_theta_ms: 1.0,
            theta_init_mv: 0.0,
            theta_offset_mv: 0.0,
            v_init_offset_mv: self.v_init_offset,
            euler_conductances: self.euler_conductances > 0.5,
            averaged_conductances: self.averaged_conductances > 0.5,
            spike_block_ms: 0.0,
            integrate_while_refractory: false,
        }
    }

    /// The triplet rule of the input projection for the preset's step.
    pub fn rule(&self) -> TripletStdp {
        TripletStdp::new(
            self.nu_pre,
            self.nu_post,
            (0.0, self.w_max),
            self.dt_ms,
            [self.tau_pre_ms, self.tau_post1_ms, self.tau_post2_ms],
        )
    }

    /// The presentation protocol.
    pub fn protocol(&self) -> ImageProtocol {
        ImageProtocol {
            input_ms: self.input_ms,
            rest_ms: self.rest_ms,
            intensity: self.intensity,
            intensity_step: self.intensity_step,
            rate_divisor: self.rate_divisor,
            min_spikes: self.min_spikes,
            max_retries: self.max_retries,
        }
    }
}
