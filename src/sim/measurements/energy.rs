//! Energy of an evaluation pass against the multiply-accumulates of an ANN with the same layer
//! sizes (NETWORKS.md §5). Every energy is an assumption, printed with the result: by default
//! the 45 nm figures of Horowitz (ISSCC 2014) — a 32-bit float add 0.9 pJ, a multiply 3.7 pJ,
//! hence a MAC 4.6 pJ — and one MAC per neuron state update (v, g_e, g_i each relax by a
//! multiply-add per step; counting one is the favourable side for the spiking network).

/// Operations counted during an evaluation pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct OperationCounts {
    /// Samples shown (retries included in the counts, not here).
    pub samples: u64,
    /// Synaptic operations: one accumulate per spike delivered through each synapse.
    pub synaptic_operations: u64,
    /// Neuron state updates: neurons × steps.
    pub neuron_updates: u64,
    /// Plasticity updates (0 in a frozen evaluation).
    pub plasticity_updates: u64,
}

/// The energies assumed (pJ per operation).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct EnergyModel {
    /// One accumulate (a synaptic operation).
    pub accumulate_pj: f64,
    /// One multiply-accumulate (the ANN's operation).
    pub mac_pj: f64,
    /// One neuron state update.
    pub neuron_update_pj: f64,
    /// One plasticity update.
    pub plasticity_update_pj: f64,
}

impl Default for EnergyModel {
    /// Horowitz (2014), 45 nm, 32-bit float: add 0.9 pJ, MAC 4.6 pJ; a neuron or plasticity
    /// update as one MAC.
    fn default() -> Self {
        Self {
            accumulate_pj: 0.9,
            mac_pj: 4.6,
            neuron_update_pj: 4.6,
            plasticity_update_pj: 4.6,
        }
    }
}

/// The energy of a spiking pass against an ANN's.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct EnergyReport {
    /// What was counted.
    pub counts: OperationCounts,
    /// The energies assumed.
    pub model: EnergyModel,
    /// Synaptic operations per sample.
    pub synaptic_operations_per_sample: f64,
    /// Spiking network energy per sample (µJ).
    pub snn_uj_per_sample: f64,
    /// Of which synaptic operations (µJ).
    pub snn_synaptic_uj_per_sample: f64,
    /// MACs per sample of the ANN of the same layer sizes.
    pub ann_macs_per_sample: u64,
    /// ANN energy per sample (µJ).
    pub ann_uj_per_sample: f64,
    /// Spiking energy as a fraction of the ANN's (the poster claims 0.4723 against its ANN).
    pub snn_over_ann: f64,
}

/// MACs of a dense ANN whose layers have `sizes` units (input first): Σ sizes[k]·sizes[k+1];
/// `connections` instead when given (a layer that is not dense, e.g. receptive fields: the
/// ANN with the same connections).
pub fn ann_macs(sizes: &[usize], connections: Option<u64>) -> u64 {
    connections.unwrap_or_else(|| sizes.windows(2).map(|w| (w[0] * w[1]) as u64).sum())
}

impl EnergyReport {
    /// The report for `counts` under `model`, against an ANN of `ann_macs` MACs per sample.
    pub fn new(counts: OperationCounts, model: EnergyModel, ann_macs: u64) -> Self {
        let per = |x: u64| x as f64 / counts.samples.max(1) as f64;
        let synaptic = per(counts.synaptic_operations) * model.accumulate_pj;
        let snn = synaptic
            + per(counts.neuron_updates) * model.neuron_update_pj
            + per(counts.plasticity_updates) * model.plasticity_update_pj;
        let ann = ann_macs as f64 * model.mac_pj;
        Self {
            counts,
            model,
            synaptic_operations_per_sample: per(counts.synaptic_operations),
            snn_uj_per_sample: snn * 1e-6,
            snn_synaptic_uj_per_sample: synaptic * 1e-6,
            ann_macs_per_sample: ann_macs,
            ann_uj_per_sample: ann * 1e-6,
            snn_over_ann: snn / ann,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn energy_is_operations_times_their_cost() {
        // 2 samples, 10⁶ SOPs, 4·10⁵ neuron updates: per sample 0.5·10⁶ × 0.9 pJ = 0.45 µJ
        // plus 2·10⁵ × 4.6 pJ = 0.92 µJ. The ANN 784 → 100 → 10: 79 400 MACs × 4.6 pJ =
        // 0.365 24 µJ.
        let counts = OperationCounts {
            samples: 2,
            synaptic_operations: 1_000_000,
            neuron_updates: 400_000,
            plasticity_updates: 0,
        };
        let macs = ann_macs(&[784, 100, 10], None);
        assert_eq!(macs, 79_400);
        let r = EnergyReport::new(counts, EnergyModel::default(), macs);
        assert!((r.snn_synaptic_uj_per_sample - 0.45).abs() < 1e-12);
        assert!((r.snn_uj_per_sample - 1.37).abs() < 1e-12);
        assert!((r.ann_uj_per_sample - 0.365_24).abs() < 1e-12);
        assert!((r.snn_over_ann - 1.37 / 0.365_24).abs() < 1e-12);
        assert_eq!(ann_macs(&[784, 100], Some(123)), 123);
    }
}
