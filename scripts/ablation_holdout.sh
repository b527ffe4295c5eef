#!/bin/sh
# The ablation rows on MNIST with the last 10 000 training images held out as the evaluation
# set (the test split is never read): Diehl & Cook 400, split-merge, split-merge plus each of
# the MesoNet mechanisms alone, and the full mesonet. One seed, N training samples (default
# 5000). Usage: scripts/ablation_holdout.sh MNIST_DIR [N] [OUT_ROOT]
set -eu
data=${1:?MNIST directory}
n=${2:-5000}
root=${3:-notebooks-out/ablation-holdout}
bin=${MESONET_BIN:-target/release/mesonet}
mkdir -p "$root"
run() {
    name=$1
    shift
    "$bin" train --data "$data" --holdout 10000 --train-samples "$n" --seed 0 \
        --out "$root/$name" --json "$@" > "$root/$name.json"
}
off="--set variable_plasticity=0 --set flipping=0 --set epsilon=0"
run split-merge --preset split-merge
run variable-plasticity --preset mesonet $off --set variable_plasticity=1
run flipping --preset mesonet $off --set flipping=1
run attribution --preset mesonet $off --set epsilon=1
run mesonet --preset mesonet
run diehl-cook-400 --preset diehl-cook --neurons 400
