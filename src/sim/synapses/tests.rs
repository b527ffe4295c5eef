use super::*;
use crate::sim::plasticity::{Plasticity, SpikeTime, TripletStdp, NEVER};

fn plain(g: &mut [f64]) -> Delivery<'_, TripletStdp> {
    Delivery {
        target: g,
        first: 0,
        rule: None,
        t_arrival_ms: 0.0,
    }
}

#[test]
fn each_synapse_arrives_after_its_own_delay() {
    // 1 pre, 3 post with delays 0, 2, 5 steps.
    let mut p = Synapses::dense(1, 3, vec![0.1, 0.2, 0.3], vec![0, 2, 5]).unwrap();
    let mut g = vec![0.0; 3];
    let mut events = 0;
    let mut arrival_step = [None; 3];
    p.emit(10, 0);
    for step in 10..20 {
        let before = g.clone();
        events += p.deliver(step, plain(&mut g));
        for j in 0..3 {
            if g[j] > before[j] {
                arrival_step[j] = Some(step);
            }
        }
    }
    assert_eq!(arrival_step, [Some(10), Some(12), Some(15)]);
    assert_eq!(events, 3);
    assert_eq!(
        p.settled_emission,
        vec![10],
        "the spike settles once every synapse arrived"
    );
    assert!(p.in_flight.is_empty());
}

#[test]
fn sparse_charges_arrive_exactly_after_their_delay() {
    let mut p =
        Synapses::from_list(2, 3, vec![(0, 1, 0.5, 3), (0, 2, 0.25, 0), (1, 1, 2.0, 1)]).unwrap();
    let mut per_step = Vec::new();
    for step in 0..6 {
        if step == 1 {
            p.emit(step, 0);
            p.emit(step, 1);
        }
        let mut g = vec![0.0; 3];
        p.deliver(step, plain(&mut g));
        per_step.push(g);
    }
    assert_eq!(per_step[1], vec![0.0, 0.0, 0.25]); // delay 0: the same step
    assert_eq!(per_step[2], vec![0.0, 2.0, 0.0]); // delay 1
    assert_eq!(per_step[4], vec![0.0, 0.5, 0.0]); // delay 3
    assert!(Synapses::from_list(2, 3, vec![(2, 0, 1.0, 0)]).is_err());
    assert!(Synapses::from_list(2, 3, vec![(0, 0, f64::NAN, 0)]).is_err());
    assert!(Synapses::from_list(2, 3, vec![(0, 0, 1.0, 0), (0, 0, 2.0, 1)]).is_err());
}

#[test]
fn normalisation_sets_column_sums() {
    let mut p = Synapses::dense(2, 2, vec![1.0, 0.5, 3.0, 0.5], vec![0; 4]).unwrap();
    p.normalize(78.0, 1);
    let (w00, w01, w10, w11) = (
        p.weight(0, 0),
        p.weight(0, 1),
        p.weight(1, 0),
        p.weight(1, 1),
    );
    assert!((w00 + w10 - 78.0).abs() < 1e-12);
    assert!((w01 + w11 - 78.0).abs() < 1e-12);
    assert!((w00 / w10 - 1.0 / 3.0).abs() < 1e-15);
    assert_eq!(p.incoming_weights(1), vec![w01, w11]);
}

#[test]
fn post_spike_uses_each_synapse_s_own_trace() {
    let dt = 0.5;
    let rule = TripletStdp::new(1e-4, 1e-2, (0.0, 1.0), dt, [20.0, 20.0, 40.0]);
    let mut traces = rule.new_traces(1);
    traces.b[0] = 0.8; // post2 just before the spike
                       // Input 0 emitted at step 0 with delay 4: arrival at 4, i.e. 40 steps (20 ms) before the
                       // post spike at 44. Input 1 never fired.
    let mut p = Synapses::dense(2, 1, vec![0.5, 0.5], vec![4, 0]).unwrap();
    p.emit(0, 0);
    let mut g = [0.0];
    for step in 0..44 {
        p.deliver(step, plain(&mut g));
    }
    let spike = SpikeTime {
        step: 44,
        offset_ms: dt,
    };
    p.on_post_spike(0, spike, dt, &rule, &traces, &mut []);
    let expected = 0.5 + 1e-2 * (-1.0f64).exp() * 0.8;
    assert!((p.weight(0, 0) - expected).abs() < 1e-15);
    assert!(
        (p.weight(1, 0) - 0.5).abs() < 1e-15,
        "a never-arrived synapse does not change"
    );
    // A spike still in flight (emitted at 42, arrives at 46) does not count yet: the trace comes
    // from the arrival at 34 of the spike emitted at 30.
    let mut q = Synapses::dense(1, 1, vec![0.5], vec![4]).unwrap();
    for step in 30..45 {
        if step == 30 || step == 42 {
            q.emit(step, 0);
        }
        q.deliver(step, plain(&mut g));
    }
    traces.b[0] = 1.0;
    q.on_post_spike(0, spike, dt, &rule, &traces, &mut []);
    let expected = 0.5 + 1e-2 * (-(10.0 * dt / 20.0f64)).exp();
    assert!((q.weight(0, 0) - expected).abs() < 1e-15);
}

#[test]
fn receptive_fields_see_their_patch() {
    // 6 × 4 input, k = 3, stride 1: a 4 × 2 output grid, 9 sources each.
    let proj = Synapses::receptive_fields(6, 4, 3, 1, 1.0, 0).unwrap();
    assert_eq!((proj.n_pre, proj.n_post), (24, 8));
    let sources: Vec<Vec<usize>> = (0..8)
        .map(|j| {
            let w = proj.incoming_weights(j);
            (0..24).filter(|&i| w[i] > 0.0).collect()
        })
        .collect();
    assert!(sources.iter().all(|s| s.len() == 9));
    // Target (1, 2) (index 1·4 + 2 = 6): rows 1..4, columns 2..5 of the input.
    let expected: Vec<usize> = (1..4)
        .flat_map(|r| (2..5).map(move |c| r * 6 + c))
        .collect();
    assert_eq!(sources[6], expected);
    // Stride 2 over 28 × 28 with k = 4: 13 × 13 targets.
    assert_eq!(
        Synapses::receptive_fields(28, 28, 4, 2, 1.0, 0)
            .unwrap()
            .n_post,
        169
    );
    assert!(Synapses::receptive_fields(4, 4, 5, 1, 1.0, 0).is_err());
}

#[test]
fn random_one_to_one_and_all_but_self_have_their_structure() {
    let (n_pre, n_post, p) = (200, 150, 0.1);
    let proj = Synapses::random(n_pre, n_post, p, 1.0, 5, 9).unwrap();
    let pairs = (n_pre * n_post) as f64;
    // Four binomial standard deviations.
    let sd = (pairs * p * (1.0 - p)).sqrt();
    assert!(
        (proj.len() as f64 - p * pairs).abs() < 4.0 * sd,
        "{}",
        proj.len()
    );
    assert!(proj.delay_steps.iter().all(|&d| d <= 5));
    let one = Synapses::one_to_one(5, 10.4, 0).unwrap();
    assert!((0..5).all(|i| one.target[one.row_start[i]..one.row_start[i + 1]] == [i as u32]));
    let lateral = Synapses::all_but_self(5, 17.0, 0).unwrap();
    assert_eq!(lateral.len(), 20);
    assert!((0..5).all(
        |i| !lateral.target[lateral.row_start[i]..lateral.row_start[i + 1]].contains(&(i as u32))
    ));
    assert!(Synapses::random(2, 2, 1.5, 1.0, 0, 0).is_err());
}

#[test]
fn check_refuses_inconsistent_loaded_state() {
    let good = Synapses::dense(3, 2, vec![0.1; 6], vec![0, 1, 2, 0, 1, 2]).unwrap();
    good.check("p", 3, 2, 2).unwrap();
    assert!(good.check("p", 3, 3, 2).unwrap_err().contains("n_post"));
    assert!(good.check("p", 3, 2, 1).unwrap_err().contains("delay"));
    let mut bad = good.clone();
    bad.target[1] = 7;
    assert!(bad.check("p", 3, 2, 2).unwrap_err().contains("target[1]"));
    let mut bad = good.clone();
    bad.w.pop();
    assert!(bad.check("p", 3, 2, 2).is_err());
    for bounds in [vec![0, 3], vec![0, 2, 1, 2], vec![1, 2]] {
        let mut bad = good.clone();
        bad.block_bounds = bounds;
        assert!(bad
            .check("p", 3, 2, 2)
            .unwrap_err()
            .contains("block_bounds"));
    }
    // Two blocks are a valid layout of the same rows only when the rows say so.
    let mut bad = good.clone();
    bad.block_bounds = vec![0, 1, 2];
    assert!(bad.check("p", 3, 2, 2).unwrap_err().contains("row_start"));
    let mut bad = good;
    bad.settled_emission = vec![NEVER];
    assert!(bad
        .check("p", 3, 2, 2)
        .unwrap_err()
        .contains("settled_emission"));
}

/// A rule that leaves weights to its incoming-synapse hook, which records what it sees and
/// sets each weight to the step of the synapse's last arrival (or −1 if none).
struct SeesIncoming {
    seen: std::sync::Mutex<Vec<(usize, Vec<usize>)>>,
}

impl Plasticity for SeesIncoming {
    fn new_traces(&self, n: usize) -> crate::sim::plasticity::PostTraces {
        crate::sim::plasticity::PostTraces {
            a: vec![0.0; n],
            b: vec![0.0; n],
        }
    }
    fn decay(&self, _: crate::sim::plasticity::TracesMut<'_>) {}
    fn on_pre(&self, w: f64, _: &mut [f64], _: crate::sim::plasticity::PostView, _: f64) -> f64 {
        w
    }
    fn on_post(
        &self,
        w: f64,
        _: &mut [f64],
        _: i64,
        _: crate::sim::plasticity::PostView,
        _: SpikeTime,
        _: f64,
    ) -> f64 {
        w
    }
    fn after_post(&self, _: usize, _: SpikeTime, _: f64, _: crate::sim::plasticity::TracesMut<'_>) {
    }
    fn sees_incoming(&self) -> bool {
        true
    }
    fn on_post_incoming(
        &self,
        j: usize,
        _: SpikeTime,
        _: f64,
        incoming: &mut [crate::sim::plasticity::IncomingSynapse],
    ) {
        self.seen
            .lock()
            .unwrap()
            .push((j, incoming.iter().map(|s| s.pre).collect()));
        for s in incoming {
            s.w = if s.last_arrival_step == NEVER {
                -1.0
            } else {
                s.last_arrival_step as f64
            };
        }
    }
}

#[test]
fn a_rule_sees_every_incoming_synapse_of_a_neuron_that_fired() {
    // 3 pre → 2 post, sparse: neuron 1 receives from pre 0 (delay 1) and pre 2 (delay 0).
    let mut p =
        Synapses::from_list(3, 2, vec![(0, 1, 0.5, 1), (2, 1, 0.5, 0), (1, 0, 0.5, 0)]).unwrap();
    let rule = SeesIncoming {
        seen: std::sync::Mutex::new(Vec::new()),
    };
    let traces = rule.new_traces(2);
    let mut g = vec![0.0; 2];
    p.emit(3, 0);
    p.emit(3, 2);
    for step in 3..6 {
        p.deliver(step, plain(&mut g));
    }
    p.on_post_spike(
        1,
        SpikeTime {
            step: 5,
            offset_ms: 0.1,
        },
        0.1,
        &rule,
        &traces,
        &mut [],
    );
    assert_eq!(*rule.seen.lock().unwrap(), vec![(1, vec![0, 2])]);
    // Arrivals: pre 0 at 3 + 1, pre 2 at 3 + 0; the synapse onto neuron 0 is untouched.
    assert_eq!(
        (p.weight(0, 1), p.weight(2, 1), p.weight(1, 0)),
        (4.0, 3.0, 0.5)
    );
}

#[test]
fn a_one_block_layout_is_re_laid_out_into_the_blocks_to_the_same_synapses() {
    // 1100 targets: two blocks. Lay the same synapses out in one block (by presynaptic neuron,
    // delay, target: the layout of checkpoints written before blocks) and convert it back.
    let (n_pre, n_post) = (7, 1100);
    let list: Vec<SynapseSpec> = (0..n_pre)
        .flat_map(|i| {
            (0..n_post)
                .filter(move |j| (i * 31 + j * 7) % 5 != 0)
                .map(move |j| (i, j, (i * n_post + j) as f64 * 1e-4, ((i + j) % 4) as u16))
        })
        .collect();
    let blocked = Synapses::from_list(n_pre, n_post, list.clone()).unwrap();
    assert_eq!(blocked.row_start.len(), 2 * n_pre + 1);
    let mut legacy = blocked.clone();
    legacy.block_bounds.clear();
    let mut sorted = list.clone();
    sorted.sort_by_key(|&(i, j, _, d)| (i, d, j));
    legacy.row_start = (0..=n_pre)
        .map(|i| sorted.iter().filter(|s| s.0 < i).count())
        .collect();
    legacy.w = sorted.iter().map(|s| s.2).collect();
    legacy.target = sorted.iter().map(|s| s.1 as u32).collect();
    legacy.delay_steps = sorted.iter().map(|s| s.3).collect();
    legacy
        .check("p", n_pre, n_post, 3)
        .expect("the one-block layout is accepted");
    let even = super::store::even_bounds(n_post);
    let perm = legacy.relayout(&even).expect("converted");
    assert_eq!(legacy.row_start, blocked.row_start);
    assert_eq!(legacy.target, blocked.target);
    assert_eq!(legacy.delay_steps, blocked.delay_steps);
    assert_eq!(legacy.w, blocked.w);
    // The permutation maps each new slot to its old one.
    assert!(perm
        .iter()
        .enumerate()
        .all(|(k, &old)| sorted[old].2.to_bits() == blocked.w[k].to_bits()));
    assert!(legacy.relayout(&even).is_none(), "already laid out");
    for &(i, j, w, d) in list.iter().step_by(97) {
        assert_eq!((legacy.weight(i, j), legacy.delay(i, j)), (w, Some(d)));
    }
}

#[test]
fn blocks_cut_anywhere_deliver_and_normalise_to_the_same_bits() {
    // 1100 targets with uneven fan-in; one copy laid out in the equal blocks, one cut at 300.
    let (n_pre, n_post) = (9, 1100);
    let list: Vec<SynapseSpec> = (0..n_pre)
        .flat_map(|i| {
            (0..n_post)
                .filter(move |j| j < &200 || (i + j) % 4 == 0)
                .map(move |j| {
                    (
                        i,
                        j,
                        0.1 + ((i * 13 + j * 7) % 17) as f64 * 0.01,
                        ((i + 2 * j) % 6) as u16,
                    )
                })
        })
        .collect();
    let even = Synapses::from_list(n_pre, n_post, list.clone()).unwrap();
    assert_eq!(even.block_bounds, vec![0, 550, 1100]);
    let mut cut = even.clone();
    let perm = cut.relayout(&[0, 300, 1100]).expect("re-laid out");
    assert_eq!(cut.block_bounds, vec![0, 300, 1100]);
    assert!(
        perm.iter().enumerate().any(|(k, &old)| k != old),
        "slots moved"
    );
    cut.check("p", n_pre, n_post, 5).expect("a valid layout");
    for &(i, j, w, d) in list.iter().step_by(37) {
        assert_eq!((cut.weight(i, j), cut.delay(i, j)), (w, Some(d)));
    }
    // The same spikes give the same charges, to the bit, delivered per block.
    let mut charges = Vec::new();
    for p in [even.clone(), cut.clone()] {
        let mut p = p;
        let mut g = vec![0.0; n_post];
        for step in 0..12 {
            if step < 6 {
                p.emit(step, (step as u32 * 5) % n_pre as u32);
            }
            p.deliver(step, plain(&mut g));
        }
        charges.push(g.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
    }
    assert_eq!(charges[0], charges[1]);
    // Normalising on two threads (one per block) gives each neuron the sums of one thread.
    let (mut one, mut two) = (cut.clone(), cut);
    one.normalize(7.0, 1);
    two.normalize(7.0, 2);
    assert_eq!(one.w, two.w);
    let incoming: f64 = one.incoming_weights(3).iter().sum();
    assert!((incoming - 7.0).abs() < 1e-12, "{incoming}");
}

#[test]
fn arrivals_match_a_direct_sum_in_emission_order_through_gaps_relayouts_and_a_reset() {
    // 5 inputs onto 7 neurons in two blocks, delays 0..=6 steps, weights whose sums round
    // differently in another order: each neuron must receive, at every step, its arrivals
    // added to what it holds in the order the spikes were emitted.
    let (n_pre, n_post) = (5usize, 7usize);
    let mut list = Vec::new();
    for i in 0..n_pre {
        for j in 0..n_post {
            if (i * 3 + j) % 4 != 0 {
                let w = 0.1 + (list.len() as f64) * 0.0137 + 1.0 / (3.0 + i as f64);
                list.push((i, j, w, ((i * 5 + j * 3) % 7) as u16));
            }
        }
    }
    let mut p = Synapses::from_list(n_pre, n_post, list.clone()).unwrap();
    p.relayout(&[0, 3, n_post]).expect("re-laid out");
    // Block 0 on the store's own flight, block 1 on a copy, as two threads run a network.
    let mut copy = p.flight_copy();
    let skipped = [9i64, 10, 17, 31];
    let (relayout_at, reset_at) = (14i64, 25i64);
    let mut emitted: Vec<(i64, usize)> = Vec::new();
    let start = 1.0 / 3.0;
    for step in 0..45i64 {
        if step == relayout_at {
            // A new cut: both rings (the copy's too) were built against the old slots.
            p.relayout(&[0, 5, n_post]).expect("re-laid out");
        }
        if step == reset_at {
            p.forget_spikes();
            copy = p.flight_copy();
            emitted.clear();
        }
        let bounds = p.block_bounds.clone();
        let mut fired = Vec::new();
        for pre in [
            (step * 7 % 5) as usize,
            (step * 3 % 5) as usize,
            (step % 5) as usize,
        ] {
            if step % 3 != 1 && step < 38 && !fired.contains(&pre) {
                fired.push(pre);
            }
        }
        let mut g = vec![start; n_post];
        let mut events = 0;
        {
            let (view, mut own) = p.split();
            let mut theirs = copy.as_flight();
            for &pre in &fired {
                own.emit(step, pre as u32);
                theirs.emit(step, pre as u32);
            }
            if !skipped.contains(&step) {
                let (low, high) = g.split_at_mut(bounds[1]);
                let part = |target, first| Delivery::<TripletStdp> {
                    target,
                    first,
                    rule: None,
                    t_arrival_ms: 0.0,
                };
                events += view.deliver(&mut own, step, 0..1, part(low, 0));
                events += view.deliver(&mut theirs, step, 1..2, part(high, bounds[1]));
            }
        }
        emitted.extend(fired.iter().map(|&pre| (step, pre)));
        if skipped.contains(&step) {
            continue;
        }
        let mut expected = vec![start; n_post];
        let mut expected_events = 0;
        for &(t0, pre) in &emitted {
            for &(i, j, w, d) in &list {
                if i == pre && t0 + d as i64 == step {
                    expected[j] += w;
                    expected_events += 1;
                }
            }
        }
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&g), bits(&expected), "charges at step {step}");
        assert_eq!(events, expected_events, "events at step {step}");
    }
}

#[test]
fn slots_by_pre_post_list_the_same_synapses_in_any_layout() {
    // Weight = 100·pre + post names each synapse; delays shuffle the rows' slot order.
    let (n_pre, n_post) = (7, 40);
    let list: Vec<SynapseSpec> = (0..n_pre)
        .flat_map(|i| {
            (0..n_post)
                .filter(move |j| (i + 3 * j) % 4 != 0)
                .map(move |j| (i, j, (100 * i + j) as f64, ((i * 7 + j * 5) % 6) as u16))
        })
        .collect();
    let mut p = Synapses::from_list(n_pre, n_post, list.clone()).unwrap();
    let mut named: Vec<f64> = list.iter().map(|s| s.2).collect();
    named.sort_by(f64::total_cmp);
    for cuts in [
        vec![0, 40],
        vec![0, 20, 40],
        vec![0, 3, 40],
        vec![0, 9, 31, 40],
    ] {
        p.relayout(&cuts);
        let in_order: Vec<f64> = p.slots_by_pre_post().iter().map(|&k| p.w[k]).collect();
        assert_eq!(in_order, named, "cut at {cuts:?}");
    }
    // The slot order itself does change with the layout.
    let slots = |cuts: &[usize], p: &mut Synapses| {
        p.relayout(cuts);
        p.slots_by_pre_post()
    };
    assert_ne!(slots(&[0, 40], &mut p), slots(&[0, 20, 40], &mut p));
}
