//! The blocks composed: a periodic presynaptic input drives one current-based LIF neuron
//! through one plastic synapse with the pair rule; the raster monitor records the post spikes.
//! Per period the weight must move by η F(w), the reduced 1:1 map of MODEL.md §4, up to the
//! O(η²) of applying depression and potentiation one after the other within the period.

use super::*;
use crate::model::lif::{poster_charge, LifParams};
use crate::model::stdp::SoftBounds;
use crate::model::synapse_map::{SynapseModel, SynapseParams};

#[test]
fn one_plastic_synapse_follows_the_reduced_map() {
    // T = 20 ms ≫ τ_m: the neuron's state left from one period is e^{−T/τ_m} ≈ 5e-5 of the
    // next period's, so the periods are independent as the reduced map assumes (at T = 6 ms the
    // 5 % carried over shifts the latency visibly).
    let (period_ms, dt_ms, tau_ms, eta) = (20.0, 0.5, 2.0, 1e-3);
    let model = SynapseModel::new(SynapseParams {
        period_ms,
        ..SynapseParams::default()
    })
    .unwrap();
    let k = model.params().k;
    // τ_s = τ_m: the alpha kernel of Theorem 1; a 3.5 ms refractory period keeps it to one
    // post spike per period, as the reduced map assumes.
    let lif = LifParams::new(tau_ms, tau_ms, 0.0, 0.0, 1.0, 3.5).unwrap();
    let mut post = CurrentLifGroup::new(lif, 1, dt_ms, None).unwrap();
    let input = PeriodicInput::new(period_ms, vec![0.0]).unwrap();
    let periods = 40u32;
    let steps_per_period = (period_ms / dt_ms) as u32;
    let events = input.events(periods * steps_per_period, dt_ms);
    let rule = PairStdp {
        a_plus: eta,
        a_minus: eta,
        bounds: SoftBounds::new(1.0, 3.0).unwrap(),
        w_min: 0.0,
        w_max: 3.0,
    };
    let mut raster = Raster::new(1_000).unwrap();
    let mut w = 2.5;
    let (mut last_pre_ms, mut last_post_ms) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    let mut next_event = 0;
    let mut spikes = Vec::new();
    let mut w_at_period_start = vec![w];
    for step in 0..periods * steps_per_period {
        let t_ms = step as f64 * dt_ms;
        while next_event < events.len() && events[next_event].0 == step {
            // Pre arrival: depression from the nearest post spike, then the charge.
            let post_trace = (-(t_ms - last_post_ms) / tau_ms).exp();
            w = rule.on_pre(w, post_trace);
            post.receive(0, poster_charge(w, k, tau_ms));
            last_pre_ms = t_ms;
            next_event += 1;
        }
        post.step(&mut spikes);
        raster.record(t_ms, &spikes);
        for &(_, offset) in &spikes {
            let t_post = t_ms + offset;
            let pre_trace = (-(t_post - last_pre_ms) / tau_ms).exp();
            w = rule.on_post(w, pre_trace, 0.0);
            last_post_ms = t_post;
        }
        if (step + 1) % steps_per_period == 0 {
            w_at_period_start.push(w);
        }
    }
    // One post spike per period, at the Lambert-W latency of the weight it was driven by.
    assert_eq!(raster.spikes.len() as u32, periods);
    assert_eq!(raster.dropped, 0);
    // From the second period on (the first has no earlier post spike to depress with), the
    // change over a period equals η F(w) to O(η²).
    for pair in w_at_period_start.windows(2).skip(1) {
        let (w0, w1) = (pair[0], pair[1]);
        let predicted = eta * model.drift(w0).unwrap();
        assert!(
            (w1 - w0 - predicted).abs() <= eta * eta,
            "w = {w0}: Δw = {}, η F(w) = {predicted}",
            w1 - w0
        );
    }
}
