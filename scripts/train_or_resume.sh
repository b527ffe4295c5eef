# Sourced by the run scripts (needs $bin, the mesonet binary). `train_or_resume DIR DATA ARGS...`
# trains with `mesonet train ARGS... --data DATA --threads 2 --out DIR --json`, the record in
# DIR.json. A run that finished (DIR/result.json) is skipped; one that was interrupted continues
# from its last checkpoint (`train --resume`, the same results as an uninterrupted run).
train_or_resume() {
    dir=$1
    data=$2
    shift 2
    if [ -f "$dir/result.json" ]; then
        echo "$dir: done"
    elif [ -f "$dir/checkpoint.json.gz" ]; then
        "$bin" train --resume "$dir/checkpoint.json.gz" --data "$data" --threads 2 --json \
            > "$dir.json"
    else
        "$bin" train "$@" --data "$data" --threads 2 --out "$dir" --json > "$dir.json"
    fi
}
