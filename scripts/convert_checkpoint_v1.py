#!/usr/bin/env python3
"""Converts a format-1 checkpoint (mesonet before the Network refactor: the diehl-cook preset's
own loop) into format 2 (the preset as an assembly of sim::Network parts).

Usage: scripts/convert_checkpoint_v1.py OLD.json.gz TEMPLATE.json.gz NEW.json.gz

TEMPLATE is any format-2 diehl-cook checkpoint with the same neurons and input size (e.g. from
`mesonet train --neurons N --train-samples 1 --test-samples 1 --assign-samples 1`); its layout
is kept and every value is taken from OLD: configuration (every parameter becomes `set`), progress,
weights, delays, spikes in flight, membrane states, thresholds and traces. The layouts share
the slot order of the input synapses (rows by presynaptic neuron, sorted by delay then target),
so the weights are copied as they are.
"""
import gzip
import json
import sys


def main():
    old_path, template_path, new_path = sys.argv[1:4]
    old = json.load(gzip.open(old_path))
    new = json.load(gzip.open(template_path))
    if old.get("format") != 1 or new.get("format") != 2:
        raise SystemExit("expected a format-1 and a format-2 checkpoint")
    params = dict(old["config"]["params"])
    params.setdefault("spike_block_ms", 0.0)
    cfg = dict(old["config"])
    cfg.pop("params")
    # Every parameter, explicitly: the run's values whatever the defaults of this build.
    cfg["set"] = params
    new["config"] = cfg
    for key in ["samples_done", "presentations", "training_seconds", "curve", "window", "window_assignment"]:
        new[key] = old[key]
    net = old["network"]
    new["network"]["params"] = params
    inner = new["network"]["network"]
    inner["step"] = net["step"]
    inner["synaptic_events"] = net["synaptic_events"]
    n = net["input"]["n_post"]
    syn = inner["projections"][0]["synapses"]
    if syn["n_post"] != n or syn["n_pre"] != net["input"]["n_pre"]:
        raise SystemExit("the template has another size")
    for key in ["w", "target", "delay_steps", "settled_emission", "in_flight"]:
        syn[key] = net["input"][key]
    plastic = inner["projections"][0]["plastic"]
    plastic["traces"] = {"a": net["post1"], "b": net["post2"]}
    for k, name in [(0, "exc"), (1, "inh")]:
        group = inner["groups"][k]["Conductance"]
        old_group = net[name]
        group_params = dict(old_group["params"])
        group_params.setdefault("spike_block_ms", group["params"]["spike_block_ms"])
        group["params"] = group_params
        for key in ["v", "ge", "gi", "theta", "refractory_left"]:
            group[key] = old_group[key]
        # The old group had no spike block; its clock counts from the start of the run.
        group["since_spike"] = [min(net["step"], 2**32 - 1)] * n
    with gzip.open(new_path, "wt") as f:
        json.dump(new, f)


if __name__ == "__main__":
    main()
