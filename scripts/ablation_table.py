#!/usr/bin/env python3
"""The ablation table (Markdown) from the result files that scripts/ablation_holdout.sh writes.

Usage: scripts/ablation_table.py [ROOT]   (default notebooks-out/ablation-holdout)
Reads ROOT/<row>.json (the `mesonet train --json` records) and, where present,
ROOT/<row>/energy/result.json and ROOT/<row>/robustness/result.json; prints the table.
"""
import json
import sys
from pathlib import Path

ROWS = [
    ("diehl-cook-400", "Diehl & Cook, 400 neurons"),
    ("split-merge", "split-merge"),
    ("variable-plasticity", "+ variable plasticity"),
    ("flipping", "+ flipping"),
    ("attribution", "+ attribution"),
    ("mesonet", "full mesonet"),
]


def load(path):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "notebooks-out/ablation-holdout")
    print("| row | all-activity % | proportion % | vote-for-all % | presentations / sample "
          "| ms / training sample | SOPs / test sample | energy / test sample (µJ; % of the ANN "
          "with the same connections) | robustness: deleted fraction at −5 points | flips | "
          "attributions | drives ≥ η_max |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for key, label in ROWS:
        r = load(root / f"{key}.json")
        if r is None:
            print(f"| {label} | (not run) |||||||||||")
            continue
        e = load(root / key / "energy" / "result.json")
        b = load(root / key / "robustness" / "result.json")
        ev = r.get("plasticity_events") or {}
        sops = energy = "–"
        if e:
            same = e["same_connections_ann"]
            sops = f"{same['synaptic_operations_per_sample']:.3g}"
            energy = f"{same['snn_uj_per_sample']:.1f} ({100 * same['snn_over_ann']:.0f} %)"
        robust = "–"
        if b:
            x = b.get("fraction_at_minus_5_points")
            robust = "not reached" if x is None else f"{x:.2f}"
        cells = [
            label,
            f"{100 * r['test_accuracy']:.2f}",
            f"{100 * r['test_accuracy_proportion']:.2f}",
            f"{100 * r['test_accuracy_vote_for_all']:.2f}",
            f"{r['presentations'] / r['train_samples']:.3f}",
            f"{1e3 * r['seconds_per_sample']:.0f}",
            sops,
            energy,
            robust,
            str(ev.get("flips", "–")),
            str(ev.get("attributions", "–")),
            str(ev.get("drive_reached_eta_max", "–")),
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
