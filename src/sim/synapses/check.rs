//! Checks of a deserialised projection (a checkpoint is input).

use super::store::Synapses;

impl Synapses {
    /// Checks a deserialised projection (a checkpoint is input): sizes, finite weights, each
    /// row's targets distinct and in range, rows in delay order with delays at most
    /// `max_delay_steps`, spikes in flight from existing neurons. `name` prefixes the message,
    /// e.g. "network.projections[0]".
    pub fn check(
        &self,
        name: &str,
        n_pre: usize,
        n_post: usize,
        max_delay_steps: usize,
    ) -> std::result::Result<(), String> {
        if self.n_pre != n_pre || self.n_post != n_post {
            return Err(format!(
                "{name}.n_pre × n_post = {} × {}, expected {n_pre} × {n_post}",
                self.n_pre, self.n_post
            ));
        }
        let synapses = self.w.len();
        // The layout's stored block cuts; in checkpoints written before they were stored, one
        // block (before blocks existed) or the equal blocks ([`Synapses::layout_bounds`]).
        let bounds = if self.block_bounds.is_empty() {
            let blocks = if self.row_start.len() == n_pre + 1 {
                1
            } else {
                super::store::layout_blocks(n_post)
            };
            crate::sim::disjoint::part_bounds(n_post, blocks)
        } else {
            let b = &self.block_bounds;
            if !super::store::valid_cuts(b, n_post) {
                return Err(format!(
                    "{name}.block_bounds = {b:?} must rise from 0 to {n_post}"
                ));
            }
            b.clone()
        };
        let rows = (bounds.len() - 1) * n_pre;
        if self.row_start.len() != rows + 1
            || self.row_start.first() != Some(&0)
            || self.row_start.last() != Some(&synapses)
            || self.row_start.windows(2).any(|r| r[0] > r[1])
        {
            return Err(format!(
                "{name}.row_start does not index the {synapses} synapses"
            ));
        }
        for (field, len) in [
            ("target", self.target.len()),
            ("delay_steps", self.delay_steps.len()),
        ] {
            if len != synapses {
                return Err(format!(
                    "{name}.{field} has {len} entries, expected {synapses} (one per weight)"
                ));
            }
        }
        if let Some(k) = self.w.iter().position(|w| !w.is_finite()) {
            return Err(format!("{name}.w[{k}] = {} is not finite", self.w[k]));
        }
        let mut seen = vec![usize::MAX; n_post];
        for i in 0..rows {
            let row = self.row_start[i]..self.row_start[i + 1];
            let block = i / n_pre.max(1);
            let (lo, hi) = (bounds[block], bounds[block + 1]);
            for k in row.clone() {
                let j = self.target[k] as usize;
                if !(lo..hi).contains(&j) || seen[j] == i {
                    return Err(format!(
                        "{name}.target[{k}] = {j}: row {i} must list distinct postsynaptic neurons in {lo}..{hi}"
                    ));
                }
                seen[j] = i;
            }
            let delays = &self.delay_steps[row.clone()];
            if let Some(k) = delays.iter().position(|&d| d as usize > max_delay_steps) {
                return Err(format!(
                    "{name}.delay_steps[{}] = {} exceeds the largest delay, {max_delay_steps} steps",
                    row.start + k,
                    delays[k]
                ));
            }
            let keys: Vec<(u16, u32)> = row
                .clone()
                .map(|k| (self.delay_steps[k], self.target[k]))
                .collect();
            if keys.windows(2).any(|p| p[0] > p[1]) {
                return Err(format!(
                    "{name}.delay_steps of row {i} are not in delay order"
                ));
            }
        }
        if self.settled_emission.len() != n_pre {
            return Err(format!(
                "{name}.settled_emission has {} entries, expected {n_pre}",
                self.settled_emission.len()
            ));
        }
        if let Some(&(_, pre)) = self
            .in_flight
            .iter()
            .find(|(_, pre)| *pre as usize >= n_pre)
        {
            return Err(format!(
                "{name}.in_flight names presynaptic neuron {pre} of {n_pre}"
            ));
        }
        Ok(())
    }

    /// Checks that the spikes in flight (named `name`.in_flight) are in emission order, which
    /// delivery relies on (it retires spikes from the front): steps never go back, and with
    /// `by_neuron` (a group's spikes: once each per step, in neuron order, the order the merge
    /// of independent threads' flights restores) strictly by (step, neuron). An input may
    /// repeat a spike within a step.
    pub fn check_emission_order(
        &self,
        name: &str,
        by_neuron: bool,
    ) -> std::result::Result<(), String> {
        let flight = &self.in_flight;
        let out_of_order = |k: usize| match by_neuron {
            true => flight[k - 1] >= flight[k],
            false => flight[k - 1].0 > flight[k].0,
        };
        match (1..flight.len()).find(|&k| out_of_order(k)) {
            Some(k) => Err(format!(
                "{name}.in_flight[{k}] = {:?} does not follow {:?} (emission step{})",
                flight[k],
                flight[k - 1],
                if by_neuron { ", then neuron" } else { "" }
            )),
            None => Ok(()),
        }
    }
}
