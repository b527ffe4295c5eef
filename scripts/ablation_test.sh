#!/bin/sh
# The ablation rows on the MNIST test split: split-merge plus each MesoNet mechanism alone, one
# full pass each (seed 0, defaults otherwise, two threads), into OUT_ROOT/<row>/. The rows
# Diehl & Cook 400, split-merge and full mesonet are the `train` runs of the README
# (notebooks-out/train-*); scripts/ablation_table.py --test reads both.
#
# A row whose run finished (result.json) is skipped; one that was interrupted continues from
# its last checkpoint (scripts/train_or_resume.sh). Runs take
# 1-2 h each on two cores: start it under nohup and read the progress lines in the log.
# Usage: scripts/ablation_test.sh MNIST_DIR [OUT_ROOT]
set -eu
data=${1:?MNIST directory}
root=${2:-notebooks-out/ablation-test}
bin=${MESONET_BIN:-target/release/mesonet}
mkdir -p "$root"
. "$(dirname "$0")/train_or_resume.sh"
off="--set variable_plasticity=0 --set flipping=0 --set epsilon=0"
row() {
    name=$1
    shift
    train_or_resume "$root/$name" "$data" --preset mesonet $off "$@" --seed 0
}
row variable-plasticity --set variable_plasticity=1
row flipping --set flipping=1
row attribution --set epsilon=1
