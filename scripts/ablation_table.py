#!/usr/bin/env python3
"""The ablation table (Markdown) from the runs' records.

Usage:
  scripts/ablation_table.py [ROOT]        held-out images: the runs of scripts/ablation_holdout.sh
                                          (default ROOT notebooks-out/ablation-holdout)
  scripts/ablation_table.py --test [OUT]  the MNIST test split: Diehl & Cook 400, split-merge and
                                          full mesonet from OUT/train-*-s<seed>/ (every seed
                                          found: mean ± sd), the single mechanisms from
                                          OUT/ablation-test/ (scripts/ablation_test.sh)
                                          (default OUT notebooks-out)

Each run's record is its `mesonet train --json` output (ROOT/<row>.json, or <run>/result.json);
where present, <run>/energy/result.json and <run>/robustness/result.json add the energy and
robustness columns (from the first seed that has them). A row with no record is "(not run)".
"""
import json
import statistics
import sys
from pathlib import Path

LABELS = {
    "diehl-cook-400": "Diehl & Cook, 400 neurons",
    "split-merge": "split-merge",
    "variable-plasticity": "+ variable plasticity",
    "flipping": "+ flipping",
    "attribution": "+ attribution",
    "mesonet": "full mesonet",
}
SEEDS = range(10)


def load(path):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def holdout_rows(root):
    """(label, [(record, run dir)]) per row of the held-out table."""
    for key, label in LABELS.items():
        r = load(root / f"{key}.json")
        yield label, [] if r is None else [(r, root / key)]


def test_rows(out):
    """(label, [(record, run dir)]) per row of the test-split table."""
    seeded = {
        "diehl-cook-400": "train-diehl-cook-400-s{}",
        "split-merge": "train-split-merge-9408-s{}",
        "mesonet": "train-mesonet-9408-s{}",
    }
    for key, label in LABELS.items():
        dirs = (
            [out / seeded[key].format(s) for s in SEEDS]
            if key in seeded
            else [out / "ablation-test" / key]
        )
        runs = [(load(d / "result.json"), d) for d in dirs]
        yield label, [(r, d) for r, d in runs if r is not None]


def spread(values, digits):
    """One value, or mean ± sd over seeds (n seeds)."""
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return (
        f"{statistics.mean(values):.{digits}f} ± {statistics.stdev(values):.{digits}f}"
        f" ({len(values)} seeds)"
    )


def metric(records, key, scale, digits):
    """`key` of every record × `scale`, spread over seeds; "–" where a record lacks it (runs
    older than the readout)."""
    values = [r.get(key) for r in records]
    if any(v is None for v in values):
        return "–"
    return spread([scale * v for v in values], digits)


def first(runs, sub):
    """The first run's measurement `sub` (energy, robustness) that exists."""
    for _, d in runs:
        m = load(d / sub / "result.json")
        if m is not None:
            return m
    return None


def row(label, runs):
    if not runs:
        return f"| {label} | (not run) |||||||||||"
    records = [r for r, _ in runs]
    e = first(runs, "energy")
    b = first(runs, "robustness")
    sops = energy = robust = "–"
    if e:
        same = e["same_connections_ann"]
        sops = f"{same['synaptic_operations_per_sample']:.3g}"
        energy = f"{same['snn_uj_per_sample']:.1f} ({100 * same['snn_over_ann']:.0f} %)"
    if b:
        x = b.get("fraction_at_minus_5_points")
        robust = "not reached" if x is None else f"{x:.2f}"

    def events(key):
        values = [(r.get("plasticity_events") or {}).get(key) for r in records]
        if any(v is None for v in values):
            return "–"
        return " / ".join(str(v) for v in values)

    cells = [
        label,
        metric(records, "test_accuracy", 100, 2),
        metric(records, "test_accuracy_proportion", 100, 2),
        metric(records, "test_accuracy_vote_for_all", 100, 2),
        spread([r["presentations"] / r["train_samples"] for r in records], 3),
        metric(records, "seconds_per_sample", 1e3, 0),
        sops,
        energy,
        robust,
        events("flips"),
        events("attributions"),
        events("drive_reached_eta_max"),
    ]
    return "| " + " | ".join(cells) + " |"


# Student's t 0.975 quantiles for 1..30 degrees of freedom.
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
        2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def difference(a, b):
    """Mean of a − mean of b with Welch's 95 % interval (degrees of freedom rounded down, so the
    interval is if anything too wide); None below two values on either side."""
    if len(a) < 2 or len(b) < 2:
        return None
    va, vb = statistics.variance(a) / len(a), statistics.variance(b) / len(b)
    se = (va + vb) ** 0.5
    d = statistics.mean(a) - statistics.mean(b)
    if se == 0:
        return d, 0.0
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    return d, T975[min(max(int(df), 1), 30) - 1] * se


def main():
    args = sys.argv[1:]
    if args[:1] == ["--test"]:
        rows = test_rows(Path(args[1] if len(args) > 1 else "notebooks-out"))
    else:
        rows = holdout_rows(Path(args[0] if args else "notebooks-out/ablation-holdout"))
    print("| row | all-activity % | proportion % | vote-for-all % | presentations / sample "
          "| ms / training sample | SOPs / test sample | energy / test sample (µJ; % of the ANN "
          "with the same connections) | robustness: deleted fraction at −5 points | flips | "
          "attributions | drives ≥ η_max |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    rows = list(rows)
    for label, runs in rows:
        print(row(label, runs))
    runs = dict(rows)
    intervals = []
    base, full = runs[LABELS["split-merge"]], runs[LABELS["mesonet"]]
    for key, name in [
        ("test_accuracy", "all-activity"),
        ("test_accuracy_proportion", "proportion"),
        ("test_accuracy_vote_for_all", "vote-for-all"),
    ]:
        if any(r.get(key) is None for r, _ in full + base):
            continue
        d = difference([100 * r[key] for r, _ in full], [100 * r[key] for r, _ in base])
        if d is not None:
            intervals.append(
                f"full mesonet − split-merge, {name}: {d[0]:+.2f} points, 95 % interval "
                f"[{d[0] - d[1]:+.2f}, {d[0] + d[1]:+.2f}] (Welch; {len(full)} and "
                f"{len(base)} seeds)"
            )
    if intervals:
        print("\n" + "\n".join(intervals))


if __name__ == "__main__":
    main()
