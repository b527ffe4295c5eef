#!/bin/sh
# Submits a mesonet sweep to Slurm as an array job of N shards and a merge job that runs once
# every shard succeeded. Prints the two job ids. Usage:
#   scripts/slurm/submit.sh N OUT_DIR network-heatmap [FLAGS...]
# e.g. scripts/slurm/submit.sh 10 runs/edge network-heatmap --data /data/mnist \
#        --set maps=5 --set min_spikes_per_area=1 --x eta_min:0.1:1:10 --y eta_max:1.25:5:10 \
#        --train-samples 2000 --test-samples 1000 --lyapunov-samples 200
# OUT_DIR must be on a filesystem every node sees. The result is OUT_DIR/merged; logs go to
# OUT_DIR/logs. Extra sbatch options (partition, account, time, memory) go in $SBATCH_OPTIONS,
# e.g. SBATCH_OPTIONS="--partition=cpu --time=02:00:00 --mem=4G"; the binary is $MESONET_BIN
# (default: mesonet on the PATH of the nodes).
set -eu
if [ "$#" -lt 3 ]; then
    echo "usage: $0 N OUT_DIR COMMAND [FLAGS...]" >&2
    exit 2
fi
n=$1
out=$2
case "$n" in
    '' | *[!0-9]* | 0*)
        echo "error: N must be a whole number >= 1 without leading zeros, got '$n'" >&2
        exit 2
        ;;
esac
for flag in "$@"; do
    case "$flag" in
        --shard | --shard=* | --out | --out=* | --threads | --threads=*)
            echo "error: $flag is set per task by shard.sbatch; leave it out of FLAGS" >&2
            exit 2
            ;;
    esac
done
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/logs"
# shellcheck disable=SC2086 # SBATCH_OPTIONS is a list of options
array=$(sbatch --parsable ${SBATCH_OPTIONS:-} --array="0-$((n - 1))" \
    --output="$out/logs/shard-%a.out" "$here/shard.sbatch" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_OPTIONS:-} --dependency="afterok:$array" \
    --output="$out/logs/merge.out" "$here/merge.sbatch" "$n" "$out")
echo "$array ${merge%%;*}"
