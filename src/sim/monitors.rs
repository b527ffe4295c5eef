//! Monitors (Brian2's SpikeMonitor, StateMonitor, …): spike counts per sample, spike rasters,
//! state traces and weight snapshots. Each is bounded in memory (a capacity, with a count of
//! what was dropped) and off the hot path: the simulation loop calls `record` after a step
//! only when a monitor is attached.

use crate::error::{Error, Result};
use std::collections::VecDeque;

fn positive_capacity(name: &str, capacity: usize) -> Result<usize> {
    if capacity == 0 {
        return Err(Error::invalid(name, 0.0, ">= 1"));
    }
    Ok(capacity)
}

/// Spike counts of a group during the current sample.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SpikeCounts {
    /// Count per neuron.
    pub counts: Vec<u32>,
}

impl SpikeCounts {
    /// Zero counts for `n` neurons.
    pub fn new(n: usize) -> Self {
        Self { counts: vec![0; n] }
    }

    /// Adds one step's spiking neurons.
    pub fn record(&mut self, spiking: impl IntoIterator<Item = usize>) {
        for j in spiking {
            self.counts[j] += 1;
        }
    }

    /// Zeroes the counts (at the start of a sample).
    pub fn reset(&mut self) {
        self.counts.fill(0);
    }
}

/// Spike raster: (time ms, neuron) pairs up to `capacity`; later spikes are counted in
/// `dropped`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Raster {
    capacity: usize,
    /// Recorded spikes in recording order.
    pub spikes: Vec<(f64, u32)>,
    /// Spikes not recorded because the raster was full.
    pub dropped: u64,
}

impl Raster {
    /// An empty raster holding at most `capacity` spikes.
    pub fn new(capacity: usize) -> Result<Self> {
        Ok(Self {
            capacity: positive_capacity("raster capacity", capacity)?,
            spikes: Vec::new(),
            dropped: 0,
        })
    }

    /// Records the spikes of one step at `t_ms` (plus each spike's offset in the step).
    pub fn record(&mut self, t_ms: f64, spikes: &[(usize, f64)]) {
        for &(j, offset) in spikes {
            if self.spikes.len() < self.capacity {
                self.spikes.push((t_ms + offset, j as u32));
            } else {
                self.dropped += 1;
            }
        }
    }
}

/// State traces: the values of selected neurons every `every_steps` steps, at most
/// `capacity` samples (later ones counted in `dropped`).
#[derive(Debug, Clone, PartialEq)]
pub struct StateTrace {
    /// Recorded neurons.
    pub neurons: Vec<usize>,
    every_steps: u64,
    capacity: usize,
    /// (time ms, one value per recorded neuron).
    pub samples: Vec<(f64, Vec<f64>)>,
    /// Samples not recorded because the trace was full.
    pub dropped: u64,
}

impl StateTrace {
    /// Records `neurons` every `every_steps` steps, at most `capacity` samples.
    pub fn new(neurons: Vec<usize>, every_steps: u64, capacity: usize) -> Result<Self> {
        if every_steps == 0 {
            return Err(Error::invalid("record every", 0.0, ">= 1 step"));
        }
        Ok(Self {
            neurons,
            every_steps,
            capacity: positive_capacity("trace capacity", capacity)?,
            samples: Vec::new(),
            dropped: 0,
        })
    }

    /// Records at step `step` (time `t_ms`) if it is a recording step; `value(j)` gives the
    /// state of neuron j.
    pub fn record(&mut self, step: u64, t_ms: f64, value: impl Fn(usize) -> f64) {
        if !step.is_multiple_of(self.every_steps) {
            return;
        }
        if self.samples.len() < self.capacity {
            let values = self.neurons.iter().map(|&j| value(j)).collect();
            self.samples.push((t_ms, values));
        } else {
            self.dropped += 1;
        }
    }
}

/// Weight snapshots every `every_samples` samples, keeping the newest `capacity` (a ring).
#[derive(Debug, Clone, PartialEq)]
pub struct WeightSnapshots {
    every_samples: u64,
    capacity: usize,
    /// (sample index, weights), oldest first.
    pub snapshots: VecDeque<(u64, Vec<f64>)>,
    /// Snapshots evicted to respect the capacity.
    pub evicted: u64,
}

impl WeightSnapshots {
    /// Snapshots every `every_samples` samples, the newest `capacity` kept.
    pub fn new(every_samples: u64, capacity: usize) -> Result<Self> {
        if every_samples == 0 {
            return Err(Error::invalid("snapshot every", 0.0, ">= 1 sample"));
        }
        Ok(Self {
            every_samples,
            capacity: positive_capacity("snapshot capacity", capacity)?,
            snapshots: VecDeque::new(),
            evicted: 0,
        })
    }

    /// After sample `sample`: copies the weights if it is a snapshot sample.
    pub fn record(&mut self, sample: u64, weights: impl FnOnce() -> Vec<f64>) {
        if !sample.is_multiple_of(self.every_samples) {
            return;
        }
        if self.snapshots.len() == self.capacity {
            self.snapshots.pop_front();
            self.evicted += 1;
        }
        self.snapshots.push_back((sample, weights()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monitors_respect_their_bounds() {
        let mut counts = SpikeCounts::new(3);
        counts.record([0, 2, 2]);
        assert_eq!(counts.counts, vec![1, 0, 2]);
        counts.reset();
        assert_eq!(counts.counts, vec![0, 0, 0]);

        let mut raster = Raster::new(3).unwrap();
        raster.record(1.0, &[(0, 0.25), (4, 0.0)]);
        raster.record(1.5, &[(1, 0.1), (2, 0.2)]);
        assert_eq!(raster.spikes, vec![(1.25, 0), (1.0, 4), (1.6, 1)]);
        assert_eq!(raster.dropped, 1);

        let mut trace = StateTrace::new(vec![1, 3], 2, 2).unwrap();
        for step in 0..7 {
            trace.record(step, step as f64 * 0.5, |j| (j * 10) as f64 + step as f64);
        }
        assert_eq!(
            trace.samples,
            vec![(0.0, vec![10.0, 30.0]), (1.0, vec![12.0, 32.0])]
        );
        assert_eq!(trace.dropped, 2);

        let mut snapshots = WeightSnapshots::new(10, 2).unwrap();
        for sample in 0..35 {
            snapshots.record(sample, || vec![sample as f64]);
        }
        let kept: Vec<u64> = snapshots.snapshots.iter().map(|s| s.0).collect();
        assert_eq!(kept, vec![20, 30]);
        assert_eq!(snapshots.evicted, 2);

        assert!(Raster::new(0).is_err());
        assert!(StateTrace::new(vec![0], 0, 1).is_err());
        assert!(WeightSnapshots::new(1, 0).is_err());
    }
}
