use super::*;
use crate::model::lif::LifParams;
use crate::sim::{CurrentLifGroup, InputKind, PeriodicInput, SpikeListInput};

/// Input spike list → current LIF group A (one neuron) → group B (one neuron), delay 0.
fn chain(weight: f64) -> Network {
    let dt = 0.1;
    let mut net = Network::new(dt).unwrap();
    let input = net.add_input(InputGroup::new(
        1,
        InputKind::SpikeList(SpikeListInput::new(1, &[(0, 0.0)]).unwrap()),
    ));
    let lif = LifParams::new(2.0, 2.0, 0.0, 0.0, 1.0, 3.0).unwrap();
    let a = net.add_group(NeuronGroup::CurrentLif(
        CurrentLifGroup::new(lif, 1, dt, None).unwrap(),
    ));
    let b = net.add_group(NeuronGroup::CurrentLif(
        CurrentLifGroup::new(lif, 1, dt, None).unwrap(),
    ));
    net.connect(
        "in→a",
        Source::Input(input),
        (a, Var::Charge),
        Synapses::one_to_one(1, weight, 0).unwrap(),
        None,
    )
    .unwrap();
    net.connect(
        "a→b",
        Source::Group(a),
        (b, Var::Charge),
        Synapses::one_to_one(1, weight, 0).unwrap(),
        None,
    )
    .unwrap();
    net.add_monitor(Monitor::Raster {
        group: a,
        raster: Raster::new(100).unwrap(),
    });
    net.add_monitor(Monitor::Raster {
        group: b,
        raster: Raster::new(100).unwrap(),
    });
    let mut rng = rand::rngs::SmallRng::seed_from_u64(0);
    net.inputs[input].present(&[], 200, dt, &mut rng);
    net
}

use rand::SeedableRng;

fn raster(net: &Network, k: usize) -> Vec<(f64, u32)> {
    match &net.monitors[k] {
        Monitor::Raster { raster, .. } => raster.spikes.clone(),
        _ => unreachable!(),
    }
}

#[test]
fn a_spike_acts_on_its_target_from_the_end_of_its_step() {
    // The input spike of step 0 reaches A during step 0's propagation and drives A from
    // t = dt on: A's first spike is at dt + x*(q) with x* the single-neuron reference time.
    let q = 8.0;
    let mut net = chain(q);
    net.run(200, false);
    let lif = LifParams::new(2.0, 2.0, 0.0, 0.0, 1.0, 3.0).unwrap();
    let x = crate::model::lif::first_spike_time_ms(&lif, q, 0.1, 20.0)
        .unwrap()
        .unwrap();
    let a = raster(&net, 0);
    assert!((a[0].0 - (0.1 + x)).abs() < 1e-9, "{a:?} vs {x}");
    // B receives A's spike at the end of A's spike step and fires x* later.
    let step_of_a = (a[0].0 / 0.1).floor();
    let b = raster(&net, 1);
    assert!(
        (b[0].0 - ((step_of_a + 1.0) * 0.1 + x)).abs() < 1e-9,
        "{b:?}"
    );
    assert_eq!(net.synaptic_events as usize, 1 + a.len());
}

#[test]
fn a_network_saved_mid_run_continues_bit_for_bit() {
    let mut whole = chain(8.0);
    whole.run(120, false);
    let mut first = chain(8.0);
    first.run(50, false);
    let text = serde_json::to_string(&first).unwrap();
    let mut loaded: Network = serde_json::from_str(&text).unwrap();
    loaded.prepare().unwrap();
    loaded.check().unwrap();
    loaded.run(70, false);
    assert_eq!(raster(&loaded, 1), raster(&whole, 1));
    assert_eq!(
        serde_json::to_string(&loaded).unwrap(),
        serde_json::to_string(&whole).unwrap()
    );
}

#[test]
fn connections_and_loaded_states_are_checked() {
    let mut net = chain(1.0);
    let wrong_size = Synapses::one_to_one(2, 1.0, 0).unwrap();
    assert!(net
        .connect("x", Source::Group(0), (1, Var::Charge), wrong_size, None)
        .is_err());
    let missing_var = Synapses::one_to_one(1, 1.0, 0).unwrap();
    assert!(net
        .connect("x", Source::Group(0), (1, Var::Ge), missing_var, None)
        .is_err());
    let mut bad = chain(1.0);
    bad.projections[1].synapses.target[0] = 4;
    assert!(bad.check().unwrap_err().contains("projections[1]"));
    let mut bad = chain(1.0);
    bad.projections[0].synapses.delay_steps[0] = 3;
    assert!(bad.check().unwrap_err().contains("delay"));
    let mut bad = chain(1.0);
    bad.dt_ms = 0.0;
    assert!(bad.check().is_err());
}

#[test]
fn the_learning_state_goes_out_and_in() {
    let mut net = Network::new(0.5).unwrap();
    let pre = net.add_input(InputGroup::new(
        1,
        InputKind::Periodic(PeriodicInput::new(6.0, vec![0.0]).unwrap()),
    ));
    let lif = LifParams::new(2.0, 2.0, 0.0, 0.0, 1.0, 0.0).unwrap();
    let post = net.add_group(NeuronGroup::CurrentLif(
        CurrentLifGroup::new(lif, 2, 0.5, None).unwrap(),
    ));
    let rule = crate::sim::PairStdp {
        a_plus: 0.01,
        a_minus: 0.01,
        tau_plus_ms: 2.0,
        tau_minus_ms: 2.0,
        bounds: crate::model::stdp::SoftBounds::new(0.0, 3.0).unwrap(),
        w_min: 0.0,
        w_max: 3.0,
    };
    net.connect(
        "p",
        Source::Input(pre),
        (post, Var::Charge),
        Synapses::dense(1, 2, vec![1.0, 2.0], vec![0, 0]).unwrap(),
        Some(Rule::Pair(rule)),
    )
    .unwrap();
    assert_eq!(net.plastic_state(), vec![1.0, 2.0]);
    net.set_plastic_state(&[0.5, 0.25]).unwrap();
    assert_eq!(net.projections[0].synapses.w, vec![0.5, 0.25]);
    assert!(net.set_plastic_state(&[0.5]).is_err());
    let e = net
        .set_plastic_state(&[0.5, f64::NAN])
        .unwrap_err()
        .to_string();
    assert!(e.contains("plastic state[1]"), "{e}");
}
