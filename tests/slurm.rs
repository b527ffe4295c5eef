//! A sharded sweep on a real Slurm cluster: the array job of `scripts/slurm/submit.sh` and its
//! dependent merge job write what the unsharded run writes, byte for byte. Needs `sbatch` and
//! a running cluster (`.ci/run` starts a one-node one with `scripts/slurm/local-cluster.sh`).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mesonet");

fn grid_flags(data: &str) -> Vec<String> {
    [
        "--data",
        data,
        "--set",
        "maps=1",
        "--x",
        "eta_min:0.25:1:3",
        "--y",
        "eta_max:1.5:3:2",
        "--train-samples",
        "30",
        "--test-samples",
        "30",
        "--lyapunov-samples",
        "4",
        "--seed",
        "11",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[test]
#[ignore = "needs a Slurm cluster (scripts/slurm/local-cluster.sh; .ci/run starts one)"]
fn a_slurm_array_sweep_merges_to_the_unsharded_run() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mnist-subset");
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    let status = Command::new(BIN)
        .arg("network-heatmap")
        .args(grid_flags(data))
        .args(["--threads", "2", "--out", whole.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success());

    let out = dir.path().join("slurm");
    let submit = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/slurm/submit.sh");
    let submitted = Command::new("sh")
        .args([submit, "4", out.to_str().unwrap(), "network-heatmap"])
        .args(grid_flags(data))
        .env("MESONET_BIN", BIN)
        .output()
        .expect("sh runs");
    assert!(
        submitted.status.success(),
        "submit.sh failed: {}",
        String::from_utf8_lossy(&submitted.stderr)
    );
    let ids = String::from_utf8_lossy(&submitted.stdout).to_string();
    let merge_id = ids
        .split_whitespace()
        .nth(1)
        .expect("two job ids")
        .to_string();

    let logs = || {
        std::fs::read_dir(out.join("logs"))
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    };
    // Wait for the merge job to leave the queue (it runs after every shard succeeded).
    let started = Instant::now();
    loop {
        let queue = Command::new("squeue")
            .args(["-h", "-j", &merge_id, "-o", "%T %r"])
            .output()
            .unwrap();
        let state = String::from_utf8_lossy(&queue.stdout).trim().to_string();
        if state.is_empty() {
            break;
        }
        assert!(
            !state.contains("DependencyNeverSatisfied"),
            "a shard failed: {state}; job logs:\n{}",
            logs()
        );
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "the merge job is still {state} after 10 minutes"
        );
        std::thread::sleep(Duration::from_secs(1));
    }
    let merged = out.join("merged");
    for file in ["network-heatmap.json", "cells.csv"] {
        let a = std::fs::read(whole.join(file)).unwrap();
        let b = std::fs::read(merged.join(file)).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; job logs:\n{}",
                merged.join(file).display(),
                logs()
            )
        });
        assert!(a == b, "{file} differs from the unsharded run");
    }
    assert!(Path::new(&merged.join("lambda.png")).is_file());
}
