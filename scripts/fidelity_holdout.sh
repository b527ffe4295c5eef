#!/bin/sh
# How much do split-merge's two departures from Meng et al.'s code cost? The step (0.5 ms here,
# Brian2's 0.1 ms there) and v during the refractory period (held here, integrating there).
# MNIST with the last 10 000 training images held out as the evaluation set (the test split is
# never read), N training samples (default 5000), seed 0: the preset's defaults, each
# departure undone alone, and both. Runs finished before are kept, interrupted ones continue
# from their last checkpoint (scripts/train_or_resume.sh); prints a table at the end.
# Usage: scripts/fidelity_holdout.sh MNIST_DIR [N] [OUT_ROOT]
set -eu
data=${1:?MNIST directory}
n=${2:-5000}
root=${3:-notebooks-out/fidelity-holdout}
bin=${MESONET_BIN:-target/release/mesonet}
mkdir -p "$root"
. "$(dirname "$0")/train_or_resume.sh"
run() {
    name=$1
    shift
    train_or_resume "$root/$name" "$data" --preset split-merge --holdout 10000 \
        --train-samples "$n" --seed 0 "$@"
}
run defaults
run integrate-refractory --set integrate_refractory=1
run dt-0.1 --set dt_ms=0.1
run both --set integrate_refractory=1 --set dt_ms=0.1
python3 - "$root" <<'EOF'
import json, sys
from pathlib import Path
root = Path(sys.argv[1])
print("| run | all-activity % | proportion % | vote-for-all % | presentations / sample | ms / sample |")
print("|---|---|---|---|---|---|")
for name in ["defaults", "integrate-refractory", "dt-0.1", "both"]:
    r = json.loads((root / name / "result.json").read_text())
    print(f"| {name} | {100 * r['test_accuracy']:.2f} | {100 * r['test_accuracy_proportion']:.2f} | "
          f"{100 * r['test_accuracy_vote_for_all']:.2f} | {r['presentations'] / r['train_samples']:.3f} | "
          f"{1e3 * r['seconds_per_sample']:.0f} |")
EOF
