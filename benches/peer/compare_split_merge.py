#!/usr/bin/env python3
"""Split-and-merge training speed: mesonet against Brian2 on the same machine, same samples.

Runs `mesonet train --preset split-merge` (release build) and `brian2_split_merge.py` (Brian2 in
a throwaway venv, see that script's header) on the first S MNIST training images for each
number of maps M (21 competition areas of M neurons: 9 408 neurons at the preset's 448), and
prints one JSON line per (M, threads) with both seconds per training sample (training only,
retries included) and the ratio. Each line is also appended to
benches/peer/compare_results.jsonl (--no-record leaves the file alone, for smoke tests). Also
measures the machine's memory bandwidth (a large numpy copy) so that mesonet's synaptic events
per second can be set against it.

    python3 -m venv /tmp/venv-brian2 && /tmp/venv-brian2/bin/pip install brian2 "numpy<2.3"
    cargo build --release
    /tmp/venv-brian2/bin/python benches/peer/compare_split_merge.py --samples 20 --maps 448 \
        --threads 1 2 --data DIR

With --threads T, both sides run on T threads: `mesonet train --threads T` (one network split
over T threads where its groups have two layout blocks, 1 024 neurons and more; results are
identical for any T) and Brian2's `devices.cpp_standalone.openmp_threads = T`.

The split-merge preset's defaults are already the model the Brian2 script simulates (forward
Euler conductances, no spike block beyond the 5 ms refractory period), so mesonet runs once per
line, with its defaults and `--set maps=M`.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RECORD = os.path.join(HERE, "compare_results.jsonl")


def copy_bandwidth_gb_s():
    """Bytes moved per second by a 512 MiB array copy (read + write), best of 5."""
    import numpy as np

    a = np.ones(64 * 2**20)  # 512 MiB of float64
    b = np.empty_like(a)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        np.copyto(b, a)
        best = min(best, time.perf_counter() - t)
    return 2 * a.nbytes / best / 1e9


def machine():
    """CPU model, core count, memory: the line every result carries."""
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_gib = int(f.readline().split()[1]) / 2**20
    return f"{model}, {os.cpu_count()} cores, {mem_gib:.0f} GiB; {time.strftime('%Y-%m-%d')}"


def mesonet(maps, samples, seed, data, threads):
    binary = os.path.join(ROOT, "target", "release", "mesonet")
    with tempfile.TemporaryDirectory() as out:
        cmd = [binary, "train", "--preset", "split-merge", "--set", f"maps={maps}",
               "--train-samples", str(samples), "--test-samples", "1", "--assign-samples", "1",
               "--checkpoint-every", "0", "--seed", str(seed), "--data", data, "--out", out,
               "--threads", str(threads), "--json"]
        result = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    return result


def brian2(maps, samples, seed, data, threads):
    cmd = [sys.executable, os.path.join(HERE, "brian2_split_merge.py"), "--maps", str(maps),
           "--samples", str(samples), "--seed", str(seed), "--data", data,
           "--threads", str(threads)]
    lines = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()
    return json.loads(lines[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--maps", type=int, nargs="+", default=[448],
                    help="feature maps per competition area (the preset's 448 = 9 408 neurons)")
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, nargs="+", default=[1],
                    help="thread counts, each run on both sides")
    ap.add_argument(
        "--data",
        default=os.environ.get("MESONET_DATA", os.path.join(ROOT, "tests", "data", "mnist-subset")),
        help="MNIST-format IDX directory (default: $MESONET_DATA, else the repository's subset)",
    )
    ap.add_argument("--no-record", action="store_true",
                    help=f"print only; do not append to {os.path.relpath(RECORD, ROOT)}")
    args = ap.parse_args()
    bandwidth = copy_bandwidth_gb_s()
    for m, t in [(m, t) for m in args.maps for t in args.threads]:
        ours = mesonet(m, args.samples, args.seed, args.data, t)
        peer = brian2(m, args.samples, args.seed, args.data, t)
        ours_s = ours["seconds_per_sample"]
        events_per_s = ours["synaptic_events"] / ours["training_seconds"]
        line = json.dumps({
            "model": "split-merge",
            "maps": m,
            "neurons": ours["neurons"],
            "samples": args.samples,
            "threads": t,
            "mesonet_seconds_per_sample": ours_s,
            "mesonet_presentations": ours["presentations"],
            "mesonet_model": "split-merge defaults (euler_conductances=1 spike_block_ms=0, "
                             "as the Brian2 script)",
            "mesonet_commit": ours.get("commit"),
            "brian2_device": peer.get("device"),
            "brian2_seconds_per_sample": peer["seconds_per_sample"],
            "brian2_cpu_seconds_per_sample": peer.get("cpu_seconds_per_sample"),
            "brian2_presentations": peer.get("presentations"),
            "brian2_completed_samples": peer.get("completed_samples"),
            "brian2_exc_spikes_total": peer.get("exc_spikes_total"),
            "brian2_synapses_input": peer.get("synapses_input"),
            "brian2_synapses_inhibition": peer.get("synapses_inhibition"),
            "brian2_build_seconds": peer.get("build_seconds"),
            "brian2_load_average_1min": peer.get("load_average_1min"),
            "speedup": peer["seconds_per_sample"] / ours_s,
            "mesonet_synaptic_events_per_s": events_per_s,
            "copy_bandwidth_gb_s": bandwidth,
            "note": "an input->exc event streams ~20 B (weight read+write, target index)",
            "machine": machine(),
        })
        print(line, flush=True)
        if not args.no_record:
            with open(RECORD, "a") as f:
                f.write(line + "\n")


if __name__ == "__main__":
    main()
