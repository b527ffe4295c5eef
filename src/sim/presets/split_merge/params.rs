//! Every parameter of the `split-merge` preset (NETWORKS.md §3), by the name `--set` uses, with
//! its domain. Defaults are the values of Meng et al.'s reference code (`src/Train.py`), except
//! the step: their Brian2 script leaves it at Brian2's 0.1 ms; the preset uses the 0.5 ms of
//! the `diehl-cook` preset (five times fewer steps; `dt_ms=0.1` restores theirs).

use super::super::checks;
use crate::error::{require_finite, require_non_negative, require_positive, Error, Result};
use crate::sim::plasticity::TripletStdp;
use crate::sim::presentation::ImageProtocol;
use crate::sim::ConductanceParams;

/// Kernel types a network may have (each with its size, stride and count).
pub const KERNEL_TYPES: usize = 3;

/// Every parameter of the preset, by the name `--set` uses.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitMergeParams {
    /// Side of the square kernels of type 1 (pixels).
    pub kernel_size_1: f64,
    /// Side of the square kernels of type 2 (pixels).
    pub kernel_size_2: f64,
    /// Side of the square kernels of type 3 (pixels).
    pub kernel_size_3: f64,
    /// Stride of type 1 (pixels).
    pub stride_1: f64,
    /// Stride of type 2 (pixels).
    pub stride_2: f64,
    /// Stride of type 3 (pixels).
    pub stride_3: f64,
    /// Kernels of type 1 (0 leaves the type out); each covers the image with its positions.
    pub kernels_1: f64,
    /// Kernels of type 2.
    pub kernels_2: f64,
    /// Kernels of type 3.
    pub kernels_3: f64,
    /// Feature maps per competition area (one area per kernel and position).
    pub maps: f64,
    /// Time step (ms).
    pub dt_ms: f64,
    /// Input presentation per sample (ms).
    pub input_ms: f64,
    /// Rest after each presentation (ms).
    pub rest_ms: f64,
    /// Initial intensity: rate = pixel × intensity (Hz).
    pub intensity: f64,
    /// Intensity increase when a presentation gives too few spikes.
    pub intensity_step: f64,
    /// Fewer spikes than this many per area on average (summed over the layer) → the sample is
    /// shown again, brighter.
    pub min_spikes_per_area: f64,
    /// At most this many extra presentations per sample (Meng et al.'s code has no limit).
    pub max_retries: f64,
    /// Resting potential (mV).
    pub v_rest: f64,
    /// Reset (mV).
    pub v_reset: f64,
    /// Threshold before the adaptive part (mV).
    pub v_thresh: f64,
    /// Refractory period (ms).
    pub refractory_ms: f64,
    /// Membrane time constant (ms).
    pub tau_ms: f64,
    /// Excitatory reversal potential (mV).
    pub e_exc: f64,
    /// Inhibitory reversal potential (mV).
    pub e_inh: f64,
    /// Excitatory conductance time constant (ms).
    pub tau_ge_ms: f64,
    /// Inhibitory conductance time constant (ms).
    pub tau_gi_ms: f64,
    /// Initial adaptive threshold θ (mV).
    pub theta_init: f64,
    /// θ increment per spike (mV).
    pub theta_plus: f64,
    /// θ decay time constant (ms).
    pub tau_theta_ms: f64,
    /// Offset in the threshold test v > θ − offset + v_thresh (mV).
    pub theta_offset: f64,
    /// Initial v relative to v_rest (mV).
    pub v_init_offset: f64,
    /// 1: forward Euler for the conductances and θ (Meng et al.'s Brian2 code); 0: exact decay.
    pub euler_conductances: f64,
    /// A neuron may fire only when more than this has passed since its last spike (ms; 0 = no
    /// block beyond the refractory period, as in Meng et al.'s code).
    pub spike_block_ms: f64,
    /// 1: v keeps integrating during the refractory period, which only blocks firing (Meng et
    /// al.'s Brian2 equations have no `unless refractory`); 0: v is held at v_reset.
    #[serde(default)]
    pub integrate_refractory: f64,
    /// gi added to every other neuron of the same area by a spike (direct inhibition).
    pub w_inh: f64,
    /// Lower clip of the input weights (stays above 0 inside the receptive field).
    pub w_min: f64,
    /// Upper clip of the input weights.
    pub w_max: f64,
    /// Initial input weights inside the receptive field: w_init_scale · U(0, 1) + w_init_min.
    pub w_init_scale: f64,
    /// See `w_init_scale`.
    pub w_init_min: f64,
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
    /// Each neuron's input weights are rescaled to sum to this before each learning
    /// presentation (the same for every kernel size, as in Meng et al.'s code).
    pub weight_sum: f64,
}

impl Default for SplitMergeParams {
    fn default() -> Self {
        Self {
            kernel_size_1: 28.0,
            kernel_size_2: 24.0,
            kernel_size_3: 16.0,
            stride_1: 1.0,
            stride_2: 4.0,
            stride_3: 6.0,
            kernels_1: 4.0,
            kernels_2: 2.0,
            kernels_3: 1.0,
            maps: 448.0,
            dt_ms: 0.5,
            input_ms: 350.0,
            rest_ms: 150.0,
            intensity: 0.25,
            intensity_step: 0.125,
            min_spikes_per_area: 5.0,
            max_retries: 20.0,
            v_rest: -65.0,
            v_reset: -65.0,
            v_thresh: -52.0,
            refractory_ms: 5.0,
            tau_ms: 100.0,
            e_exc: 0.0,
            e_inh: -100.0,
            tau_ge_ms: 1.0,
            tau_gi_ms: 2.0,
            theta_init: 20.0,
            theta_plus: 0.05,
            tau_theta_ms: 1e7,
            theta_offset: 20.0,
            v_init_offset: -40.0,
            euler_conductances: 1.0,
            spike_block_ms: 0.0,
            integrate_refractory: 0.0,
            w_inh: 24.0,
            w_min: 1e-7,
            w_max: 1.0,
            w_init_scale: 0.3,
            w_init_min: 1e-7,
            delay_max_ms: 10.0,
            tau_pre_ms: 20.0,
            tau_post1_ms: 20.0,
            tau_post2_ms: 40.0,
            nu_pre: 1e-4,
            nu_post: 1e-2,
            weight_sum: 78.4,
        }
    }
}

/// One kernel type: side, stride (pixels) and how many kernels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KernelType {
    /// Side (pixels).
    pub size: usize,
    /// Stride (pixels).
    pub stride: usize,
    /// Kernels of this type.
    pub count: usize,
}

impl SplitMergeParams {
    /// Sets one parameter by name; unknown names list the valid ones.
    pub fn set(&mut self, name: &str, value: f64) -> Result<()> {
        super::super::set_by_name(self, "split-merge", name, value)
    }

    /// Checks every value's domain (the geometry against an image in [`Self::kernel_types`]).
    pub fn validate(&self) -> Result<()> {
        let whole = |name: &str, v: f64, lo: f64| {
            if v.fract() != 0.0 || v < lo || v > 1e6 {
                Err(Error::invalid(
                    name,
                    v,
                    &format!("a whole number in {lo}..=1e6"),
                ))
            } else {
                Ok(())
            }
        };
        for (k, (size, stride, count)) in self.raw_kernel_types().into_iter().enumerate() {
            whole(&format!("kernel_size_{}", k + 1), size, 1.0)?;
            whole(&format!("stride_{}", k + 1), stride, 1.0)?;
            whole(&format!("kernels_{}", k + 1), count, 0.0)?;
        }
        whole("maps", self.maps, 1.0)?;
        for (name, v) in [
            ("dt_ms", self.dt_ms),
            ("input_ms", self.input_ms),
            ("tau_ms", self.tau_ms),
            ("tau_ge_ms", self.tau_ge_ms),
            ("tau_gi_ms", self.tau_gi_ms),
            ("tau_theta_ms", self.tau_theta_ms),
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
            ("min_spikes_per_area", self.min_spikes_per_area),
            ("max_retries", self.max_retries),
            ("refractory_ms", self.refractory_ms),
            ("w_inh", self.w_inh),
            ("w_min", self.w_min),
            ("w_init_scale", self.w_init_scale),
            ("w_init_min", self.w_init_min),
            ("delay_max_ms", self.delay_max_ms),
            ("nu_pre", self.nu_pre),
            ("nu_post", self.nu_post),
            ("spike_block_ms", self.spike_block_ms),
            ("theta_plus", self.theta_plus),
        ] {
            require_non_negative(name, v)?;
        }
        for (name, v) in [
            ("v_rest", self.v_rest),
            ("v_reset", self.v_reset),
            ("v_thresh", self.v_thresh),
            ("e_exc", self.e_exc),
            ("e_inh", self.e_inh),
            ("theta_init", self.theta_init),
            ("theta_offset", self.theta_offset),
            ("v_init_offset", self.v_init_offset),
        ] {
            require_finite(name, v)?;
        }
        if self.w_min > self.w_max {
            return Err(Error::invalid(
                "w_min",
                self.w_min,
                &format!("<= w_max = {}", self.w_max),
            ));
        }
        checks::step_and_phases(self.dt_ms, self.input_ms, self.rest_ms)?;
        checks::retries(self.max_retries)?;
        checks::switch("integrate_refractory", self.integrate_refractory)?;
        if checks::switch("euler_conductances", self.euler_conductances)? {
            checks::euler_step(self.dt_ms, self.tau_ge_ms, self.tau_gi_ms)?;
        }
        checks::delay_max(self.delay_max_ms, self.dt_ms)?;
        if self
            .raw_kernel_types()
            .iter()
            .all(|&(_, _, count)| count == 0.0)
        {
            return Err(Error::invalid(
                "kernels_1",
                self.kernels_1,
                ">= 1 for some type",
            ));
        }
        Ok(())
    }

    /// True with `euler_conductances = 1`.
    fn euler(&self) -> bool {
        (self.euler_conductances - 1.0).abs() == 0.0
    }

    fn raw_kernel_types(&self) -> [(f64, f64, f64); KERNEL_TYPES] {
        [
            (self.kernel_size_1, self.stride_1, self.kernels_1),
            (self.kernel_size_2, self.stride_2, self.kernels_2),
            (self.kernel_size_3, self.stride_3, self.kernels_3),
        ]
    }

    /// The kernel types present (count > 0), checked against a `rows × cols` image: a kernel
    /// larger than the image is refused, naming its parameter.
    pub fn kernel_types(&self, rows: usize, cols: usize) -> Result<Vec<KernelType>> {
        let mut types = Vec::new();
        for (k, (size, stride, count)) in self.raw_kernel_types().into_iter().enumerate() {
            if count == 0.0 {
                continue;
            }
            if size as usize > rows.min(cols) {
                return Err(Error::invalid(
                    &format!("kernel_size_{}", k + 1),
                    size,
                    &format!("<= the image's side, {}", rows.min(cols)),
                ));
            }
            types.push(KernelType {
                size: size as usize,
                stride: stride as usize,
                count: count as usize,
            });
        }
        Ok(types)
    }

    /// Neurons of the layer on `rows × cols` images of `channels` planes: maps × channels ×
    /// Σ kernels × positions.
    pub fn layer_size(&self, rows: usize, cols: usize, channels: usize) -> Result<usize> {
        let positions =
            |k: &KernelType| ((rows - k.size) / k.stride + 1) * ((cols - k.size) / k.stride + 1);
        let areas: usize = self
            .kernel_types(rows, cols)?
            .iter()
            .map(|k| k.count * positions(k))
            .sum();
        Ok(areas * channels * self.maps as usize)
    }

    /// The neurons' parameters.
    pub fn neurons(&self) -> ConductanceParams {
        ConductanceParams {
            v_rest_mv: self.v_rest,
            v_reset_mv: self.v_reset,
            v_thresh_mv: self.v_thresh,
            tau_ms: self.tau_ms,
            refractory_ms: self.refractory_ms,
            e_exc_mv: self.e_exc,
            e_inh_mv: self.e_inh,
            tau_ge_ms: self.tau_ge_ms,
            tau_gi_ms: self.tau_gi_ms,
            theta_plus_mv: self.theta_plus,
            tau_theta_ms: self.tau_theta_ms,
            theta_init_mv: self.theta_init,
            theta_offset_mv: self.theta_offset,
            v_init_offset_mv: self.v_init_offset,
            euler_conductances: self.euler(),
            averaged_conductances: false,
            spike_block_ms: self.spike_block_ms,
            integrate_while_refractory: (self.integrate_refractory - 1.0).abs() == 0.0,
        }
    }

    /// The triplet rule of the input projection for the preset's step.
    pub fn rule(&self) -> TripletStdp {
        TripletStdp::new(
            self.nu_pre,
            self.nu_post,
            (self.w_min, self.w_max),
            self.dt_ms,
            [self.tau_pre_ms, self.tau_post1_ms, self.tau_post2_ms],
        )
    }

    /// The presentation protocol for a layer of `areas` competition areas.
    pub fn protocol(&self, areas: usize) -> ImageProtocol {
        ImageProtocol {
            input_ms: self.input_ms,
            rest_ms: self.rest_ms,
            intensity: self.intensity,
            intensity_step: self.intensity_step,
            rate_divisor: 1.0,
            min_spikes: self.min_spikes_per_area * areas as f64,
            max_retries: self.max_retries,
        }
    }
}
