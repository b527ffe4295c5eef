#!/usr/bin/env python3
"""Peer timing: Brian2 running the split-and-merge network of Meng et al. (2021) on MNIST.

Measures seconds per *training* sample of the `split-merge` preset (docs/NETWORKS.md §3) so the
Rust simulator can quote a ratio against it. Written from the preset's description and
parameters (src/sim/presets/split_merge/), in the structure of brian2_diehl_cook.py.

How to run (throwaway venv, nothing installed system-wide; Brian2 2.9 needs numpy < 2.3):

    python3 -m venv /tmp/venv-brian2 && /tmp/venv-brian2/bin/pip install brian2 "numpy<2.3"
    /tmp/venv-brian2/bin/python benches/peer/brian2_split_merge.py --samples 20
    /tmp/venv-brian2/bin/python benches/peer/brian2_split_merge.py --maps 2 --samples 2 \
        --device runtime

Options: --maps M (feature maps per competition area, default 448: 21 × 448 = 9 408 neurons),
--samples S (the first S images of the MNIST training set, read with gzip from --data DIR, else
$MESONET_DATA, else the repository's tests/data/mnist-subset), --device cpp_standalone|runtime
(default cpp_standalone, the fastest; it falls back to runtime if the C++ build fails), --seed,
--build-dir (standalone project directory, default a fresh temp dir), --make-jobs (parallel
compile jobs, default 1 because the machine is shared), --threads (OpenMP threads of the
standalone device). Prints one JSON line.

Model (the preset, every value used): 28×28 images; three kernel types, sizes 28 / 24 / 16,
strides 1 / 4 / 6 (1, 4 and 9 positions), 4 / 2 / 1 kernels per position: 21 competition areas.
Area a is neurons a·M .. (a+1)·M − 1 of one excitatory group, areas in the order kernel type,
kernel, position (row-major). dt 0.5 ms; each presentation 350 ms of Poisson input (rate =
pixel × intensity Hz, no divisor; intensity starts at 0.25) then 150 ms of rest; if the layer
fired < 5 × 21 = 105 spikes in the 350 ms, intensity += 0.125 and the sample is shown again
(after its rest), at most 20 times per sample (max_retries), and the next sample starts again
at 0.25. Conductance-based LIF (v_rest −65, v_reset −65, v_thresh −52 mV, τ 100 ms, E_exc 0,
E_inh −100 mV, τ_ge 1, τ_gi 2 ms), method='euler' for v, ge, gi and θ (ge ← ge·(1 − dt/τ_ge),
the preset's euler_conductances = 1); v is clamped for the 5 ms refractory period (ge/gi/θ keep
decaying), no spike block; adaptive threshold v > θ − 20 mV + v_thresh, θ_init 20 mV,
θ += 0.05 mV per spike, τ_θ 1e7 ms; v starts at v_rest − 40 mV. Each neuron receives only the
pixels of its area's receptive field (weights 0.3·U + 1e-7, delays U(0, 10) ms; no synapse
outside it; Brian2 and mesonet both round delays to whole steps), with the triplet STDP of the
Diehl & Cook peer (ν_pre 1e-4, ν_post 1e-2, τ_pre 20, τ_post1 20, τ_post2 40 ms) clipped to
[1e-7, 1]; each neuron inhibits every other neuron of its own area directly (gi += 24, no
delay, no inhibitory population); before every presentation (repeats included) each neuron's
input weights are rescaled to sum to 78.4.

The whole protocol runs inside ONE simulation run in both devices, as in brian2_diehl_cook.py,
so both measure the same thing and nothing is done from Python between samples:
  * a 1-neuron controller group (`ctrl`) counts the layer's spikes (through an all-to-one
    synapse) and runs a state machine in `run_regularly` code every 50 ms: at 350 ms into a
    presentation it switches the input off and decides whether to repeat (fewer than 105 spikes
    and fewer than 20 repeats of this sample so far); at the 500 ms boundary it either raises
    the intensity (repeat) or moves to the next sample with intensity 0.25;
  * the input group reads the current image from a 2-D TimedArray holding all S images, indexed
    by the controller's sample number (linked variables), and fires as Poisson (rand() < rate*dt);
  * normalisation every 500 ms: a summed variable (wsum = Σ w over each neuron's input synapses,
    its updater moved from every step to a 500 ms clock; its loop is sequential, so it is also
    right with OpenMP threads), then a run_regularly that divides w by wsum/78.4;
  * the input synapses are given as explicit (pre, post) arrays sorted by presynaptic pixel
    (Brian2's favourable order, like the all-to-all order of the D&C peer); the inhibition is
    a generator (`k for k in range(first of the area, last + 1) if k != i`) with a scalar
    delay of 0, as is the spike counter;
  * the run ends when the controller has finished sample S: in cpp_standalone through a tiny
    C++ function that sets Brian's Network::_globally_stopped flag, in runtime through a
    network_operation every 500 ms that calls Network.stop(). The run's nominal duration is a
    cap (min(4*S + 20, 21*S) presentations, and one 50 ms tick to close the last);
    `completed_samples` says whether it was reached.
Output fields: seconds_per_sample = wall time of training / S (retried presentations and the
rest periods included); cpu_seconds_per_sample = process CPU time of the same loop (Brian's
std::clock record in standalone, time.process_time() in runtime), the steadier figure on a
loaded machine (load_average_1min is recorded with it; with OpenMP it sums the threads);
exc_spikes_total = all spikes of the layer in the run (every presentation, input and rest
phases); retries = repeated presentations; synapses_input / synapses_inhibition = the
synapse counts, M × (4·784 + 8·576 + 9·256) = M × 10 048 and 21 × M × (M − 1); build_seconds
in runtime depends on Brian's Cython cache (~/.cython/brian_extensions): minutes cold, a few
seconds warm.
--debug records spikes and prints per-presentation checks (input spike counts against
sum(pixels)*intensity*0.35 s, intensity, sample index, the layer's spikes) and checks that every
neuron's inputs are exactly its area's receptive field and that inhibition stays inside areas;
--min-spikes-per-area changes the retry threshold only to exercise the retry path. For a given
--seed both devices, and 1 or 2 OpenMP threads, give identical spike counts.

Training time is the wall time of the simulation loop only (in standalone measured by
std::chrono code inserted around the network run; in runtime around Network.run after a
zero-length run that compiles every code object). build_seconds is everything before it
(building the network, code generation and C++/Cython compilation).

Where this departs from mesonet's split-merge (the only departures): the Poisson spikes, weights
and delays come from other random streams (numpy / Brian2's generators, not mesonet's ChaCha8
streams), so spike counts agree only statistically; and mesonet keeps each Euler step of v
inside the hull of its current value, v_rest, E_exc and E_inh (it matters only when
dt/τ·(1 + ge + gi) > 1, i.e. ge + gi > 199 at dt 0.5 ms, e.g. nine maps of an area firing in
one step), which Brian2's integrator does not do.
"""

import argparse
import gzip
import json
import os
import struct
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PRESENTATION_MS = 500.0
INPUT_MS = 350.0
CONTROL_MS = 50.0  # gcd of 350 and 150: the controller's tick

P = dict(
    dt_ms=0.5,
    rows=28, cols=28,
    # (size, stride, kernels) of the three kernel types
    kernel_types=[(28, 1, 4), (24, 4, 2), (16, 6, 1)],
    maps=448,
    intensity_start=0.25, intensity_step=0.125, rate_divisor=1.0,
    min_spikes_per_area=5, max_retries=20,
    v_rest=-65.0, v_reset=-65.0, v_thresh=-52.0, refractory=5.0, tau=100.0,
    e_exc=0.0, e_inh=-100.0, tau_ge=1.0, tau_gi=2.0,
    theta_offset=20.0, theta_init=20.0, theta_plus=0.05, tau_theta=1e7, v_init_offset=-40.0,
    w_inh=24.0,
    w_min=1e-7, w_max=1.0, w_init_scale=0.3, w_init_min=1e-7, delay_max=10.0,
    tau_pre=20.0, tau_post1=20.0, tau_post2=40.0, nu_pre=1e-4, nu_post=1e-2,
    weight_sum=78.4,
)


def default_data_dir():
    # $MESONET_DATA, else the subset in the repository (two levels above benches/peer)
    env = os.environ.get("MESONET_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "tests" / "data" / "mnist-subset"


def read_mnist(data_dir, count):
    data_dir = Path(data_dir)
    with gzip.open(data_dir / "train-images-idx3-ubyte.gz", "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 2051, "not an idx3 image file"
        assert (rows, cols) == (P["rows"], P["cols"]), "the geometry is that of 28×28 images"
        count = min(count, n)
        images = np.frombuffer(f.read(count * rows * cols), dtype=np.uint8).reshape(count, rows * cols)
    with gzip.open(data_dir / "train-labels-idx1-ubyte.gz", "rb") as f:
        magic, n = struct.unpack(">II", f.read(8))
        assert magic == 2049, "not an idx1 label file"
        labels = np.frombuffer(f.read(count), dtype=np.uint8)
    return images.astype(np.float64), labels


def receptive_fields(width, height, k, stride):
    """Pixel indices (row-major) of every k×k patch at the given stride, positions row-major."""
    out_w, out_h = (width - k) // stride + 1, (height - k) // stride + 1
    offs = (np.arange(k)[:, None] * width + np.arange(k)[None, :]).ravel()
    return [r * stride * width + c * stride + offs for r in range(out_h) for c in range(out_w)]


def areas_pixels():
    """One pixel array per competition area: kernel type, kernel, position (mesonet's order)."""
    fields = []
    for size, stride, count in P["kernel_types"]:
        patches = receptive_fields(P["cols"], P["rows"], size, stride)
        for _ in range(count):
            fields.extend(patches)
    return fields


def input_synapses(maps, rng):
    """(pre, post, w, delay_ms) of the input projection: area by area, map by map, pixel by
    pixel (weights 0.3·U + 1e-7, delays U(0, 10) ms), then sorted by (pre, post)."""
    pre, post = [], []
    for a, pixels in enumerate(areas_pixels()):
        pre.append(np.tile(pixels, maps))
        post.append(np.repeat(a * maps + np.arange(maps), len(pixels)))
    pre, post = np.concatenate(pre), np.concatenate(post)
    u = rng.random((len(pre), 2))
    w = P["w_init_scale"] * u[:, 0] + P["w_init_min"]
    delay = u[:, 1] * P["delay_max"]
    order = np.lexsort((post, pre))
    return pre[order], post[order], w[order], delay[order]


def build_and_run(args):
    import brian2 as b
    from brian2 import ms, mV, Hz

    standalone = args.device == "cpp_standalone"
    t_build0 = time.perf_counter()
    if standalone:
        build_dir = args.build_dir or tempfile.mkdtemp(prefix=f"brian2_sm_m{args.maps}_")
        b.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
        b.prefs.devices.cpp_standalone.extra_make_args_unix = [f"-j{args.make_jobs}"]
        b.prefs.codegen.cpp.headers += ["<chrono>"]
        if args.threads > 1:
            b.prefs.devices.cpp_standalone.openmp_threads = args.threads
    else:
        b.prefs.codegen.target = "cython"
    b.defaultclock.dt = P["dt_ms"] * ms
    b.seed(args.seed)
    rng = np.random.default_rng(args.seed)

    M, S = args.maps, args.samples
    images, labels = read_mnist(args.data, S)
    S = images.shape[0]
    n_in = P["rows"] * P["cols"]
    fields = areas_pixels()
    A = len(fields)
    N = A * M
    min_spikes = args.min_spikes_per_area * A
    max_presentations = min(4 * S + 20, (P["max_retries"] + 1) * S)

    # ---- stop function -------------------------------------------------------------------
    if standalone:
        stop_if = b.Function(
            lambda x: 0.0, arg_units=[1], return_unit=1, stateless=False,
        )
        stop_if.implementations.add_implementation(
            "cpp",
            """
            double stop_if(double cond) {
                if (cond > 0.5) Network::_globally_stopped = true;
                return 0.0;
            }
            """,
            compiler_kwds={"headers": ['"network.h"']},
        )
    else:
        stop_if = None  # runtime: a network_operation calls Network.stop()

    # ---- controller ----------------------------------------------------------------------
    ns = dict(
        n_samples=S, intensity_start=P["intensity_start"], intensity_step=P["intensity_step"],
        min_spikes=min_spikes, max_retries=P["max_retries"], control_dt=CONTROL_MS * ms,
        n_phases=int(round(PRESENTATION_MS / CONTROL_MS)),
        input_phase=int(round(INPUT_MS / CONTROL_MS)),
    )
    if standalone:
        ns["stop_if"] = stop_if
    ctrl = b.NeuronGroup(
        1,
        """
        count : 1
        total : 1
        intensity : 1
        sample : integer
        active : 1
        repeat : 1
        tries : 1
        retries : 1
        done : 1
        """,
        namespace=ns,
        name="ctrl",
    )
    ctrl.intensity = P["intensity_start"]
    ctrl.sample = 0
    ctrl.active = 1
    # phase 0: presentation boundary (t = k*500 ms); phase 7: 350 ms into the presentation.
    # tries = repeats of the current sample so far (a repeat needs tries < max_retries).
    ctrl_code = """
        phase = int(t / control_dt + 0.5) % n_phases
        boundary = int(phase == 0 and t > control_dt / 2)
        repeat_now = boundary * repeat
        next_now = boundary * (1 - repeat)
        retries += repeat_now
        tries = (tries + repeat_now) * (1 - next_now)
        intensity = intensity + repeat_now * intensity_step + next_now * (intensity_start - intensity)
        sample += int(next_now)
        done = int(sample >= n_samples)
        STOP_LINE
        count = count * int(phase != 0)
        active = (int(phase == 0) + active * int(phase != 0 and phase != input_phase)) * (1 - done)
        again = int(count < min_spikes) * int(tries < max_retries)
        repeat = repeat * int(phase != input_phase) + int(phase == input_phase) * again
        """
    ctrl_code = ctrl_code.replace("STOP_LINE", "dummy = stop_if(done)" if standalone else "")
    ctrl.run_regularly(ctrl_code, dt=CONTROL_MS * ms, when="start", order=0, name="ctrl_tick")

    # ---- input ---------------------------------------------------------------------------
    pixels = b.TimedArray(images, dt=1 * ms)  # row k = sample k, read as pixels(k*ms, i)
    inp = b.NeuronGroup(
        n_in,
        """
        rate : Hz
        sample_l : integer (linked)
        intensity_l : 1 (linked)
        active_l : 1 (linked)
        """,
        threshold="rand() < rate * dt",
        namespace=dict(pixels=pixels, rate_divisor=P["rate_divisor"]),
        name="inp",
    )
    zeros = np.zeros(n_in, dtype=int)
    inp.sample_l = b.linked_var(ctrl, "sample", index=zeros)
    inp.intensity_l = b.linked_var(ctrl, "intensity", index=zeros)
    inp.active_l = b.linked_var(ctrl, "active", index=zeros)
    inp.run_regularly(
        "rate = pixels(sample_l * ms, i) / rate_divisor * intensity_l * active_l * Hz",
        dt=CONTROL_MS * ms, when="start", order=1, name="inp_rates",
    )

    # ---- the layer: 21 areas of M maps ---------------------------------------------------
    exc_ns = dict(
        v_rest=P["v_rest"] * mV, v_reset=P["v_reset"] * mV, v_thresh=P["v_thresh"] * mV,
        tau=P["tau"] * ms, e_exc=P["e_exc"] * mV, e_inh=P["e_inh"] * mV,
        offset=P["theta_offset"] * mV, theta_plus=P["theta_plus"] * mV,
        tau_theta=P["tau_theta"] * ms, tau_ge=P["tau_ge"] * ms, tau_gi=P["tau_gi"] * ms,
    )
    exc = b.NeuronGroup(
        N,
        """
        dv/dt = ((v_rest - v) + ge * (e_exc - v) + gi * (e_inh - v)) / tau : volt (unless refractory)
        dge/dt = -ge / tau_ge : 1
        dgi/dt = -gi / tau_gi : 1
        dtheta/dt = -theta / tau_theta : volt
        wsum : 1
        """,
        threshold="v > theta - offset + v_thresh",
        reset="v = v_reset; theta += theta_plus",
        refractory=P["refractory"] * ms,
        method="euler",
        namespace=exc_ns,
        name="exc",
    )
    exc.v = (P["v_rest"] + P["v_init_offset"]) * mV
    exc.theta = P["theta_init"] * mV

    # ---- synapses ------------------------------------------------------------------------
    stdp_ns = dict(
        tau_pre=P["tau_pre"] * ms, tau_post1=P["tau_post1"] * ms, tau_post2=P["tau_post2"] * ms,
        nu_pre=P["nu_pre"], nu_post=P["nu_post"], w_min=P["w_min"], w_max=P["w_max"],
        weight_sum=P["weight_sum"],
    )
    syn_in = b.Synapses(
        inp, exc,
        """
        w : 1
        wsum_post = w : 1 (summed)
        post2before : 1
        dpre/dt = -pre / tau_pre : 1 (event-driven)
        dpost1/dt = -post1 / tau_post1 : 1 (event-driven)
        dpost2/dt = -post2 / tau_post2 : 1 (event-driven)
        """,
        on_pre="ge_post += w; pre = 1.; w = clip(w - nu_pre * post1, w_min, w_max)",
        on_post="post2before = post2; w = clip(w + nu_post * pre * post2before, w_min, w_max); "
                "post1 = 1.; post2 = 1.",
        namespace=stdp_ns,
        name="syn_input_exc",
    )
    pre, post, w0, delay0 = input_synapses(M, rng)
    n_syn_in = len(pre)
    syn_in.connect(i=pre, j=post)  # receptive fields only, sorted by (pre, post)
    syn_in.w = w0
    syn_in.delay = delay0 * ms
    del pre, post, w0, delay0
    # normalisation before every presentation (t = k*500 ms): wsum = Σ w, then w *= 78.4/wsum.
    # The sum is Brian2's summed variable, whose loop over the synapses is sequential in every
    # device (a run_regularly `wsum_post += w` races on wsum under OpenMP: with 2 threads it
    # under-counts and the weights grow). Its updater runs on the target's clock every step by
    # default; it is moved to a 500 ms clock at the start of the step, before the scaling.
    summer = syn_in.summed_updaters["wsum_post"]
    summer._clock = b.Clock(dt=PRESENTATION_MS * ms, name="norm_sum_clock")
    summer.when, summer.order = "start", 2
    syn_in.run_regularly("w = w * weight_sum / wsum_post", dt=PRESENTATION_MS * ms, when="start",
                         order=3, name="norm_scale")

    # direct inhibition: every other neuron of the same area (neurons a*M .. a*M + M - 1)
    syn_inh = b.Synapses(exc, exc, on_pre="gi_post += w_inh", delay=0 * ms,
                         namespace=dict(w_inh=P["w_inh"]), name="syn_inhibition")
    syn_inh.connect(j=f"k for k in range(i - i % {M}, i - i % {M} + {M}) if k != i")
    counter = b.Synapses(exc, ctrl, on_pre="count_post += 1; total_post += 1", delay=0 * ms,
                         name="spike_counter")
    counter.connect()

    net = b.Network(ctrl, inp, exc, syn_in, syn_inh, counter)
    if args.debug:  # checks of the protocol, not for timing
        mon_in = b.SpikeMonitor(inp, record=True, name="mon_in")
        mon_exc = b.SpikeMonitor(exc, record=True, name="mon_exc")
        mon_ctrl = b.StateMonitor(ctrl, ["intensity", "sample", "active", "count", "repeat", "tries"],
                                  record=0, dt=CONTROL_MS * ms, when="end", name="mon_ctrl")
        net.add(mon_in, mon_exc, mon_ctrl)
    # one controller tick past the last presentation, so that its end is counted
    duration = (max_presentations * PRESENTATION_MS + CONTROL_MS) * ms

    if standalone:
        b.device.insert_code("main", "auto __sm_t0 = std::chrono::steady_clock::now();")
        net.run(duration, namespace={})
        b.device.insert_code(
            "main",
            'std::cout << "SM_TRAIN_SECONDS " << std::chrono::duration<double>('
            "std::chrono::steady_clock::now() - __sm_t0).count() << std::endl;",
        )
        b.device.build(directory=build_dir, compile=True, run=False, with_output=False)
        build_seconds = time.perf_counter() - t_build0
        t0 = time.perf_counter()
        b.device.run(directory=build_dir, with_output=False)  # stdout -> results/stdout.txt
        process_seconds = time.perf_counter() - t0
        out = Path(b.device.results_dir, "stdout.txt").read_text()
        train_seconds = None
        for line in out.splitlines():
            if line.startswith("SM_TRAIN_SECONDS"):
                train_seconds = float(line.split()[1])
        assert train_seconds is not None, out
        # Brian's own record of the run: process CPU time (std::clock), less sensitive to load
        cpu_seconds = float(Path(b.device.results_dir, "last_run_info.txt").read_text().split()[0])
    else:
        stopper = b.NetworkOperation(
            lambda: net.stop() if ctrl.sample[0] >= S else None,
            dt=PRESENTATION_MS * ms, when="end",
        )
        net.add(stopper)
        net.run(0 * ms, namespace={})  # code generation + Cython compilation of everything
        build_seconds = time.perf_counter() - t_build0
        t0, c0 = time.perf_counter(), time.process_time()
        net.run(duration, namespace={})
        train_seconds = time.perf_counter() - t0
        cpu_seconds = time.process_time() - c0
        process_seconds = None

    completed = int(ctrl.sample[0])
    n_syn_inh = len(syn_inh)
    assert len(syn_in) == n_syn_in, (len(syn_in), n_syn_in)
    result = dict(
        peer="brian2",
        model="split-merge (Meng et al. 2021)",
        maps=M,
        areas=A,
        neurons=N,
        samples=S,
        completed_samples=min(completed, S),
        device=args.device + ("" if standalone else "(cython)"),
        build_seconds=round(build_seconds, 3),
        train_seconds=round(train_seconds, 3),
        seconds_per_sample=round(train_seconds / max(1, min(completed, S)), 5),
        cpu_seconds_per_sample=round(cpu_seconds / max(1, min(completed, S)), 5),
        load_average_1min=os.getloadavg()[0],
        exc_spikes_total=int(ctrl.total[0]),
        retries=int(ctrl.retries[0]),
        presentations=min(completed, S) + int(ctrl.retries[0]),
        min_spikes=min_spikes,
        synapses_input=n_syn_in,
        synapses_inhibition=n_syn_inh,
        brian2_version=b.__version__,
        numpy_version=np.__version__,
        seed=args.seed,
        method="euler",
        dt_ms=P["dt_ms"],
        threads=args.threads if standalone else 1,
        mean_final_weight=float(np.mean(syn_in.w[:])),
        mean_theta_mV=float(np.mean(exc.theta[:] / mV)),
    )
    if process_seconds is not None:
        result["process_seconds"] = round(process_seconds, 3)
    if args.debug:
        t_in = np.asarray(mon_in.t / ms)
        t_exc = np.asarray(mon_exc.t / ms)
        i_exc = np.asarray(mon_exc.i)
        n_pres = result["presentations"]
        edges = np.arange(n_pres + 1) * PRESENTATION_MS
        for k in range(n_pres):
            t0 = edges[k]
            at = np.argmin(np.abs(np.asarray(mon_ctrl.t / ms) - (t0 + 100)))
            on = (t_exc >= t0) & (t_exc < t0 + INPUT_MS)
            r = dict(
                k=k, sample=int(mon_ctrl.sample[0][at]), intensity=float(mon_ctrl.intensity[0][at]),
                tries=int(mon_ctrl.tries[0][at]),
                in_on=int(np.sum((t_in >= t0) & (t_in < t0 + INPUT_MS))),
                in_off=int(np.sum((t_in >= t0 + INPUT_MS) & (t_in < t0 + PRESENTATION_MS))),
                exc_on=int(np.sum(on)),
                exc_off=int(np.sum((t_exc >= t0 + INPUT_MS) & (t_exc < t0 + PRESENTATION_MS))),
                areas_firing=int(len(np.unique(i_exc[on] // M))),
            )
            smp = r["sample"]
            expected = images[min(smp, S - 1)].sum() / P["rate_divisor"] * r["intensity"] * INPUT_MS / 1000
            r["in_expected"] = round(float(expected), 1)
            print(json.dumps(r), file=sys.stderr)
        # (net.t is the nominal end in standalone; the controller's last tick is when it stopped)
        print("last spike times: input %.1f ms, exc %.1f ms; controller's last tick %.1f ms" % (
            t_in.max(), t_exc.max() if len(t_exc) else -1, float(mon_ctrl.t[-1] / ms)),
            file=sys.stderr)
        sums = np.bincount(np.asarray(syn_in.j[:]), weights=np.asarray(syn_in.w[:]), minlength=N)
        print("weight sums per neuron at end (min, max):", sums.min(), sums.max(), file=sys.stderr)
        # every neuron's presynaptic pixels are exactly its area's receptive field
        pre_i, post_j = np.asarray(syn_in.i[:]), np.asarray(syn_in.j[:])
        by_post = np.lexsort((pre_i, post_j))
        want_pre = np.concatenate([np.tile(np.sort(f), M) for f in fields])
        want_post = np.concatenate([np.repeat(a * M + np.arange(M), len(f))
                                    for a, f in enumerate(fields)])
        assert np.array_equal(pre_i[by_post], want_pre)
        assert np.array_equal(post_j[by_post], want_post)
        inh_i, inh_j = np.asarray(syn_inh.i[:]), np.asarray(syn_inh.j[:])
        assert np.all(inh_i // M == inh_j // M) and np.all(inh_i != inh_j)
        print("receptive fields and inhibition areas checked", file=sys.stderr)
    if standalone and not args.build_dir and not args.keep_build:
        import shutil
        shutil.rmtree(build_dir, ignore_errors=True)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--maps", type=int, default=P["maps"],
                    help="feature maps per competition area (21 areas; the preset's 448)")
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument("--device", choices=["cpp_standalone", "runtime"], default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", default=str(default_data_dir()))
    ap.add_argument("--build-dir", default=None)
    ap.add_argument("--make-jobs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1,
                    help="OpenMP threads of the cpp_standalone device (Brian2's "
                         "devices.cpp_standalone.openmp_threads; 1 = no OpenMP)")
    ap.add_argument("--keep-build", action="store_true",
                    help="keep the temporary standalone project directory")
    ap.add_argument("--debug", action="store_true",
                    help="record spikes and print per-presentation checks (slower; not for timing)")
    ap.add_argument("--min-spikes-per-area", type=int, default=P["min_spikes_per_area"],
                    help="retry threshold per area, times 21 over the layer (the preset's 5; "
                         "only changed to test the retry path)")
    args = ap.parse_args()
    explicit = args.device is not None
    if args.device is None:
        args.device = "cpp_standalone"
    try:
        result = build_and_run(args)
    except Exception as err:  # noqa: BLE001 - fall back to the runtime device once
        if explicit or args.device != "cpp_standalone":
            raise
        print(f"cpp_standalone failed ({type(err).__name__}: {err}); falling back to runtime",
              file=sys.stderr)
        argv = [sys.executable, os.path.abspath(__file__)] + sys.argv[1:] + ["--device", "runtime"]
        os.execv(sys.executable, argv)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
