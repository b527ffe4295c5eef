//! Command-line integration tests: run the binary, check its JSON against values from outside
//! our code (analytic cases, the literature) and the files it writes.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn mesonet() -> Command {
    Command::cargo_bin("mesonet").expect("binary built")
}

/// Runs with `--json`, asserts success, parses stdout.
fn json(args: &[&str]) -> Value {
    let out = mesonet().args(args).arg("--json").output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object on stdout")
}

/// Runs, asserts exit code 2 and a one-line error containing every `needles`.
fn bad_input(args: &[&str], needles: &[&str]) {
    let out = mesonet().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    for n in needles {
        assert!(stderr.contains(n), "{args:?}: '{n}' not in {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// The embedded MNIST subset.
const SUBSET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mnist-subset");

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn qspike_simulation_equals_lambert_w_and_keys_are_stable() {
    // τ_s = τ_m: the simulated LIF spike must equal the Lambert-W time (MODEL.md §2).
    for w in ["1.4", "2", "7.5"] {
        let v = json(&["spike-timing", "--w", w, "--dt", "0.013"]);
        assert!(
            (f(&v["simulated_ms"]) - f(&v["lambert_ms"])).abs() < 1e-9,
            "{v}"
        );
        for key in [
            "w_c",
            "lambert_down_ms",
            "quadratic_ms",
            "taylor_order",
            "taylor_ms",
        ] {
            assert!(v.get(key).is_some(), "missing {key}: {v}");
        }
    }
    // Below w_c = e/2 there is no spike, simulated or exact.
    let v = json(&["spike-timing", "--w", "1.3"]);
    assert!(
        v["lambert_ms"].is_null() && v["simulated_ms"].is_null(),
        "{v}"
    );
    assert_eq!(v["taylor_order"], 4); // poster's rule at τ_m = 2: (N+1)! >= 8e·4 → N = 4
}

#[test]
fn synapse_reports_w_c_and_the_additive_closed_form() {
    // w_c = e θ / (k τ_m) = e / 2; additive T = 3: Δt* = 1.5, w* = e^{0.75} / 1.5.
    let v = json(&["synapse-map", "--set", "mu=0", "--set", "T=3"]);
    assert!((f(&v["w_c"]) - std::f64::consts::E / 2.0).abs() < 1e-15);
    let fp = &v["fixed_points"][0];
    assert!((f(&fp["w"]) - 0.75f64.exp() / 1.5).abs() < 1e-10);
    assert_eq!(fp["kind"], "repeller");
    assert!(fp["eta_c"].is_null());
    assert!(f(&fp["dF_dw"]) > 0.0);
}

#[test]
fn soft_bound_fixed_point_flips_at_minus_two_over_slope() {
    let v = json(&["synapse-map"]);
    let fp = &v["fixed_points"][0];
    assert_eq!(fp["kind"], "stable_below_eta_c");
    assert!((f(&fp["eta_c"]) * f(&fp["dF_dw"]) + 2.0).abs() < 1e-12);
}

#[test]
fn lyapunov_reference_values() {
    let v = json(&[
        "lyapunov", "--system", "logistic", "--set", "r=4", "--steps", "10000000",
    ]);
    assert_eq!(v["status"], "ok");
    assert!((f(&v["exponents"][0]) - 2f64.ln()).abs() < 1e-3, "{v}");
    let v = json(&[
        "lyapunov",
        "--system",
        "henon",
        "--spectrum",
        "--steps",
        "1000000",
    ]);
    assert!((f(&v["exponents"][0]) - 0.419).abs() < 0.003, "{v}");
    let sum = f(&v["exponents"][0]) + f(&v["exponents"][1]);
    assert!((sum - 0.3f64.ln()).abs() < 1e-6, "{v}");
    let v = json(&["lyapunov", "--system", "linear", "--spectrum"]);
    assert!((f(&v["exponents"][0]) - 1.1f64.ln()).abs() < 1e-12);
    assert!((f(&v["exponents"][1]) - 0.8f64.ln()).abs() < 1e-12);
    let v = json(&["lyapunov", "--system", "tent", "--set", "mu=1.7"]);
    assert_eq!(v["method"], "two_trajectory");
    assert!((f(&v["exponents"][0]) - 1.7f64.ln()).abs() < 1e-6, "{v}");
}

#[test]
fn lorenz_spectrum_matches_literature() {
    // Sprott: 0.9056, 0, −14.5723.
    let v = json(&[
        "lyapunov",
        "--system",
        "lorenz",
        "--spectrum",
        "--steps",
        "2000000",
        "--dt",
        "0.005",
    ]);
    for (got, want) in v["exponents"]
        .as_array()
        .unwrap()
        .iter()
        .zip([0.9056, 0.0, -14.5723])
    {
        assert!((f(got) - want).abs() < 0.02, "{v}");
    }
}

#[test]
fn synapse_lyapunov_is_absorbed_past_the_crisis() {
    let v = json(&["lyapunov", "--system", "synapse-map", "--set", "eta=3.5"]);
    assert_eq!(v["status"], "absorbed");
    assert!(f(&v["exponents"][0]).abs() <= 0.0);
}

#[test]
fn bad_input_gives_exit_code_2_and_one_line() {
    bad_input(&["synapse-map", "--set", "tau_m=-2"], &["tau_m", "-2"]);
    bad_input(&["synapse-map", "--set", "w_max=0"], &["w_max", "0"]);
    bad_input(&["synapse-map", "--set", "eta=NaN"], &["eta", "NaN"]);
    bad_input(&["synapse-map", "--set", "colour=1"], &["colour", "tau_m"]);
    bad_input(&["lyapunov", "--system", "duffing"], &["duffing", "lorenz"]);
    bad_input(
        &["lyapunov", "--system", "henon", "--set", "r=1"],
        &["'r'", "a, b"],
    );
    bad_input(&["lyapunov", "--system", "henon", "--x0", "1,nan"], &["x0"]);
    bad_input(
        &["spike-timing", "--w", "2", "--tau-m", "0"],
        &["tau_m", "0"],
    );
    bad_input(&["spike-timing", "--w", "NaN"], &["w", "NaN"]);
    bad_input(
        &["spike-timing", "--w", "2", "--taylor-order", "61"],
        &["taylor-order", "61"],
    );
}

#[test]
fn bad_specs_and_ranges_leave_no_output() {
    let out = tempfile::tempdir().unwrap();
    let spec = out.path().join("broken.json");
    std::fs::write(
        &spec,
        "{\n  \"kind\": \"orbit\",\n  \"name\": \"x\",\n  \"system\" \"logistic\"\n}",
    )
    .unwrap();
    let dest = out.path().join("figs");
    let dest_s = dest.to_str().unwrap();
    bad_input(
        &["run", spec.to_str().unwrap(), "--out", dest_s],
        &["broken.json:4:"],
    );
    bad_input(
        &[
            "orbit", "--system", "logistic", "--param", "r", "--from", "4", "--to", "3", "--out",
            dest_s,
        ],
        &["empty range", "r"],
    );
    bad_input(
        &[
            "heatmap",
            "--system",
            "synapse-map",
            "--x",
            "eta:0:1:0",
            "--y",
            "tau_m:1:2:3",
            "--out",
            dest_s,
        ],
        &["empty range", "eta"],
    );
    assert!(!dest.exists() || std::fs::read_dir(&dest).unwrap().count() == 0);
}

fn assert_png(path: &Path) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is not a PNG",
        path.display()
    );
}

#[test]
fn every_spec_in_analyses_runs_and_writes_figures_and_data() {
    let out = tempfile::tempdir().unwrap();
    let v = json(&[
        "run",
        "analyses",
        "--quick",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    let runs = v["runs"].as_array().unwrap();
    let specs = std::fs::read_dir("analyses")
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json")
        })
        .count();
    assert_eq!(runs.len(), specs);
    for run in runs {
        let dir = Path::new(run["output_dir"].as_str().unwrap());
        let files: Vec<&str> = run["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        for ext in ["png", "svg", "csv", "json"] {
            assert!(
                files.iter().any(|f| f.ends_with(ext)),
                "{}: no .{ext} in {files:?}",
                run["name"]
            );
        }
        for png in files.iter().filter(|f| f.ends_with(".png")) {
            assert_png(&dir.join(png));
        }
    }
    // No staging directories left behind.
    for entry in std::fs::read_dir(out.path()).unwrap() {
        assert!(!entry
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with('.'));
    }
}

#[test]
fn heatmap_is_identical_for_one_and_two_threads() {
    let out = tempfile::tempdir().unwrap();
    let run = |threads: &str, name: &str| {
        json(&[
            "heatmap",
            "--system",
            "synapse-map",
            "--x",
            "eta:0.5:3.5:9",
            "--y",
            "tau_m:1:5:7",
            "--steps",
            "2000",
            "--threads",
            threads,
            "--name",
            name,
            "--out",
            out.path().to_str().unwrap(),
        ])
    };
    let (one, two) = (run("1", "one"), run("2", "two"));
    assert_eq!(one["lambda"], two["lambda"]);
    assert_eq!(one["status"], two["status"]);
    let statuses: Vec<&str> = one["status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        statuses.contains(&"absorbed") && statuses.contains(&"ok"),
        "{statuses:?}"
    );
}

#[test]
fn orbit_command_writes_its_figure_and_data() {
    let out = tempfile::tempdir().unwrap();
    let v = json(&[
        "orbit",
        "--system",
        "logistic",
        "--param",
        "r",
        "--from",
        "2.8",
        "--to",
        "3.2",
        "--points",
        "3",
        "--transient",
        "5000",
        "--samples",
        "16",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    // r = 2.8: fixed point 1 − 1/r; r = 3.2: the period-2 orbit.
    let first = f(&v["columns"][0]["samples"][0]);
    assert!((first - (1.0 - 1.0 / 2.8)).abs() < 1e-12);
    assert_png(&out.path().join("orbit-logistic-r").join("orbit.png"));
}

#[test]
fn verify_reports_every_claim_of_model_section_8() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("verify");
    let v = json(&["verify", "--quick", "--out", dir.to_str().unwrap()]);
    let rows = v["rows"].as_array().unwrap();
    let claims: Vec<&str> = rows.iter().map(|r| r["claim"].as_str().unwrap()).collect();
    for claim in [
        "theorem1_timing",
        "order_rule",
        "w_star",
        "f_prime",
        "alpha",
        "eta_star",
        "jacobian_upper_left",
        "jacobian_upper_right",
        "jacobian_lower_left",
        "jacobian_lower_right",
        "lambda1",
        "lambda2",
        "eta_c",
        "semicircle_law",
        "lyapunov_function",
    ] {
        assert!(claims.contains(&claim), "{claim} missing from {claims:?}");
    }
    for r in rows {
        for key in ["claim", "poster", "model", "rel_error", "method", "verdict"] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
    }
    let row = |name: &str| rows.iter().find(|r| r["claim"] == name).unwrap();
    // The printed lower-left entry −1/(τ_d (η_max − w*)²) has the wrong sign.
    assert_eq!(row("jacobian_lower_left")["verdict"], "disagrees");
    assert!(f(&row("jacobian_lower_left")["model"]) > 0.0);
    // λ2 = −1/τ_d = −0.1 at the default τ_d = 10.
    assert!((f(&row("lambda2")["model"]) + 0.1).abs() < 1e-9);
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(report.contains("| `jacobian_lower_left` |"));
    assert!(dir.join("verify.json").is_file());
}

#[test]
fn coupled_system_bad_input_is_refused() {
    bad_input(
        &[
            "lyapunov",
            "--system",
            "variable-plasticity",
            "--set",
            "eta_max=2.5",
        ],
        &["eta_max", "2.5", "reachable drive"],
    );
    bad_input(
        &[
            "lyapunov",
            "--system",
            "variable-plasticity",
            "--set",
            "tau_d=0",
        ],
        &["tau_d", "0"],
    );
    bad_input(
        &[
            "lyapunov",
            "--system",
            "variable-plasticity-flow",
            "--set",
            "flipping=1",
        ],
        &["flipping"],
    );
    bad_input(
        &[
            "lyapunov",
            "--system",
            "variable-plasticity",
            "--set",
            "drive=2",
        ],
        &["drive", "2"],
    );
}

#[test]
fn plasticity_fixed_point_has_lambda2_minus_one_over_tau_d() {
    let v = json(&["variable-plasticity", "--set", "tau_d=4"]);
    let fp = &v["fixed_points"][0];
    // η* = η_min + 1/(η_max − w*) with the defaults η_min = 1, η_max = 4.
    let w = f(&fp["w"]);
    assert!((f(&fp["eta"]) - (1.0 + 1.0 / (4.0 - w))).abs() < 1e-12);
    // Lower-right entry −1/τ_d, lower-left +1/(τ_d (η_max − w*)²), analytic = finite differences.
    let j = fp["jacobian"].as_array().unwrap();
    let fd = fp["jacobian_finite_differences"].as_array().unwrap();
    assert!((f(&j[3]) + 0.25).abs() < 1e-15);
    assert!((f(&j[2]) - 1.0 / (4.0 * (4.0 - w).powi(2))).abs() < 1e-14);
    for (a, n) in j.iter().zip(fd) {
        assert!((f(a) - f(n)).abs() < 1e-7, "{a} vs {n}");
    }
    bad_input(
        &["variable-plasticity", "--set", "eta_max=3"],
        &["eta_max", "3"],
    );
}

#[test]
fn continue_finds_the_logistic_flips_and_refuses_bad_ranges() {
    let out = tempfile::tempdir().unwrap();
    let v = json(&[
        "continue",
        "--system",
        "logistic",
        "--param",
        "r",
        "--from",
        "2.5",
        "--to",
        "3.5",
        "--max-doublings",
        "1",
        "--points",
        "20",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    let flips: Vec<f64> = v["bifurcations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["kind"] == "flip")
        .map(|b| f(&b["at"]))
        .collect();
    assert_eq!(flips.len(), 2, "{}", v["bifurcations"]);
    assert!((flips[0] - 3.0).abs() < 1e-8);
    assert!((flips[1] - (1.0 + 6.0_f64.sqrt())).abs() < 1e-8);
    assert_png(
        &out.path()
            .join("continue-logistic-r")
            .join("continuation.png"),
    );
    bad_input(
        &[
            "continue", "--system", "logistic", "--param", "r", "--from", "3", "--to", "3",
        ],
        &["empty range"],
    );
    bad_input(
        &[
            "continue", "--system", "logistic", "--param", "q", "--from", "3", "--to", "4",
        ],
        &["'q'"],
    );
    bad_input(
        &[
            "continue", "--system", "logistic", "--param", "r", "--from", "nan", "--to", "4",
        ],
        &["from"],
    );
}

#[test]
fn spectrum_reference_matrices_and_bad_input() {
    let out = tempfile::tempdir().unwrap();
    let v = json(&[
        "spectrum",
        "--matrix",
        "goe",
        "--n",
        "300",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    // Semicircle of variance 1: second moment 1, fourth 2 (within 10 % at n = 300).
    let m = v["moments_1_to_6"].as_array().unwrap();
    assert!(
        (f(&m[1]) - 1.0).abs() < 0.1 && (f(&m[3]) - 2.0).abs() < 0.2,
        "{m:?}"
    );
    assert!(f(&v["ks_semicircle"]) < f(&v["ks_critical_1pct"]));
    let v = json(&[
        "spectrum",
        "--matrix",
        "synapses",
        "--posts",
        "5",
        "--set",
        "theta=10",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(v["n"], 50);
    assert!(v["lambda1"].as_f64().unwrap() < 0.0);
    bad_input(&["spectrum", "--matrix", "iid", "--n", "0"], &["n", "0"]);
    bad_input(&["spectrum", "--matrix", "wigner"], &["matrix", "wigner"]);
    bad_input(&["spectrum", "--d-max=-1"], &["d_max", "-1"]);
    #[cfg(not(feature = "lapack"))]
    bad_input(
        &["spectrum", "--matrix", "goe", "--backend", "lapack"],
        &["lapack"],
    );
    // Its own defaults work: θ defaults to inputs-per-post (each input carries the 1:1
    // synapse's share of the threshold).
    let v = json(&[
        "spectrum",
        "--posts",
        "20",
        "--out",
        out.path().to_str().unwrap(),
        "--name",
        "defaults",
    ]);
    assert_eq!(v["matrix"], "synapses");
    assert_eq!(f(&v["layer"]["synapse"]["theta"]), 10.0);
}

// ---------------------------------------------------------------------------------------------
// Output safety: the data-loss cases of the reliability issue, each reproduced, and the rule
// that replaces them (a command writes only the one directory it owns).
// ---------------------------------------------------------------------------------------------

/// Every file under `root` with its bytes.
fn tree(root: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.insert(path.clone(), b"<dir>".to_vec());
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// Runs in `dir`, asserts exit code 2, one line naming every needle, and no file changed.
fn refused_in(dir: &Path, args: &[&str], needles: &[&str]) {
    let root = dir.parent().unwrap();
    let before = tree(root);
    let out = mesonet().current_dir(dir).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    for n in needles {
        assert!(stderr.contains(n), "{args:?}: '{n}' not in {stderr}");
    }
    assert_eq!(tree(root), before, "{args:?} changed files");
}

#[test]
fn the_reproduced_data_loss_cases_are_refused_and_touch_nothing() {
    let root = tempfile::tempdir().unwrap();
    let ws = root.path().join("ws");
    std::fs::create_dir_all(ws.join("notebooks-out/mine")).unwrap();
    std::fs::write(ws.join("notebooks-out/mine/result.csv"), "keep").unwrap();
    std::fs::create_dir_all(ws.join("results/old")).unwrap();
    std::fs::write(ws.join("results/old/x"), "keep").unwrap();
    std::fs::write(ws.join("n.txt"), "notes\n").unwrap();
    let orbit = [
        "orbit",
        "--system",
        "logistic",
        "--param",
        "r",
        "--from",
        "3",
        "--to",
        "4",
        "--points",
        "3",
        "--transient",
        "5",
        "--samples",
        "2",
    ];
    // 1. An empty name would make the output root itself the output directory.
    let mut args = orbit.to_vec();
    args.extend(["--name", ""]);
    refused_in(&ws, &args, &["name", "''"]);
    let heatmap = [
        "heatmap",
        "--system",
        "henon",
        "--x",
        "a:1:1.4:2",
        "--y",
        "b:0.2:0.3:2",
        "--steps",
        "5",
        "--name",
        "",
    ];
    refused_in(&ws, &heatmap, &["name"]);
    // 2. A directory the command did not create is not replaced.
    refused_in(
        &ws,
        &["verify", "--quick", "--out", "results"],
        &["out", "results", "not written by"],
    );
    // 3. Nor is a file.
    refused_in(
        &ws,
        &["verify", "--quick", "--out", "n.txt"],
        &["out", "n.txt", "not a directory"],
    );
    // 4. A name cannot leave the output root.
    let mut args = orbit.to_vec();
    args.extend(["--name", "../../escape"]);
    refused_in(&ws, &args, &["name", "../../escape"]);
    let mut args = orbit.to_vec();
    args.extend(["--name", "mine"]);
    refused_in(&ws, &args, &["mine", "not written by"]);
}

#[test]
fn a_command_replaces_its_own_output_and_removes_stale_temporaries() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("figs");
    let out_s = out.to_str().unwrap();
    let args = [
        "orbit",
        "--system",
        "logistic",
        "--param",
        "r",
        "--from",
        "3",
        "--to",
        "4",
        "--points",
        "3",
        "--transient",
        "5",
        "--samples",
        "2",
        "--out",
        out_s,
        "--name",
        "o",
    ];
    json(&args);
    // A staging directory left by a run killed with SIGKILL (its process, a pid above the
    // kernel's maximum, no longer exists) and a user's file with a similar name.
    let stale = out.join(".staging-o-4194999-abcdef");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("partial.csv"), "half").unwrap();
    std::fs::write(out.join(".staging-notes"), "user").unwrap();
    let v = json(&args);
    assert!(!stale.exists(), "the stale staging directory is removed");
    assert!(out.join(".staging-notes").exists());
    assert!(out.join("o/.mesonet-output.json").exists());
    assert_eq!(v["files"].as_array().unwrap().len(), 5, "{v}");
    // Another command may not replace it.
    let other = [
        "heatmap",
        "--system",
        "henon",
        "--x",
        "a:1:1.4:2",
        "--y",
        "b:0.2:0.3:2",
        "--steps",
        "5",
        "--out",
        out_s,
        "--name",
        "o",
    ];
    bad_input(&other, &["mesonet orbit", "mesonet heatmap"]);
}

#[test]
fn long_runs_are_announced_on_stderr_even_without_a_terminal() {
    // 10^4 cells × 10^9 steps: about 10^13 iterations, far beyond the warning threshold.
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("mesonet"))
        .args(["heatmap", "--system", "henon", "--x", "a:1:1.4:100", "--y"])
        .args(["b:0.2:0.3:100", "--steps", "1000000000", "--out"])
        .arg(dir.path())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stderr.take().unwrap()),
        &mut line,
    )
    .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        line.starts_with("warning:") && line.contains("estimated"),
        "{line}"
    );
    assert!(line.contains("h") || line.contains("days"), "{line}");
}

/// `train` of a 2-neuron network on the embedded subset with `train` training and `test` test
/// samples, into `out`.
fn small_train(out: &Path, (train, test): (&str, &str)) -> Vec<String> {
    let out = out.to_str().unwrap();
    [
        "train",
        "--data",
        SUBSET,
        "--neurons",
        "2",
        "--train-samples",
        train,
    ]
    .into_iter()
    .chain(["--test-samples", test, "--out", out])
    .map(String::from)
    .collect()
}

#[test]
fn progress_reaches_a_log_file_and_a_bad_interval_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    // stderr is a pipe, not a terminal: a line per unit with the interval 0.
    let out = mesonet()
        .env("MESONET_PROGRESS_SECONDS", "0")
        .args(small_train(&dir.path().join("t"), ("4", "3")))
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    for expected in ["train: 4/4 (100.0 %)", "evaluate: 7/7 (100.0 %)"] {
        assert!(
            lines.iter().any(|l| l.starts_with(expected)),
            "'{expected}' not in {stderr}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("train: 4/4 (100.0 %) done in ")),
        "{stderr}"
    );
    serde_json::from_slice::<Value>(&out.stdout).expect("stdout stays one JSON object");
    // Without the variable, a run this short prints no progress at all.
    let quiet = mesonet()
        .env_remove("MESONET_PROGRESS_SECONDS")
        .args(small_train(&dir.path().join("q"), ("4", "3")))
        .arg("--json")
        .output()
        .unwrap();
    assert!(quiet.status.success());
    let stderr = String::from_utf8_lossy(&quiet.stderr);
    assert!(!stderr.contains("train:"), "{stderr}");
    // A bad value: exit 2, one line naming the variable and the value, nothing written.
    let fresh = dir.path().join("u");
    for bad in ["-1", "soon", "NaN"] {
        let refused = mesonet()
            .env("MESONET_PROGRESS_SECONDS", bad)
            .args(["train", "--data", SUBSET, "--neurons", "2", "--out"])
            .arg(&fresh)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("MESONET_PROGRESS_SECONDS") && stderr.contains(bad),
            "{stderr}"
        );
        assert!(!fresh.exists());
    }
}

#[test]
fn results_record_the_commit_they_were_built_from() {
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let dir = tempfile::tempdir().unwrap();
    let args = small_train(&dir.path().join("t"), ("5", "5"));
    let v = json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let commit = v["commit"].as_str().unwrap();
    match head {
        // Built from this checkout: its HEAD (plus "-dirty" when files differ from it).
        Some(head) => assert!(commit.starts_with(&head), "{commit} vs {head}"),
        None => assert_eq!(commit, "unknown"),
    }
}

// ---------------------------------------------------------------------------------------------
// The Lyapunov exponent of learning (docs/NETWORKS.md §5).
// ---------------------------------------------------------------------------------------------

/// ln|1 + η F'(w*)|: the reduced 1:1 map's exponent at its stable fixed point (MODEL.md §4),
/// from the library's closed-form slope F'(w*).
fn reduced_map_exponent(eta: f64) -> f64 {
    use mesonet::model::synapse_map::{SynapseModel, SynapseParams};
    let model = SynapseModel::new(SynapseParams::default()).unwrap();
    let fp = model.fixed_points()[0];
    (1.0 + eta * fp.d_f_dw).abs().ln()
}

#[test]
fn the_pair_network_learns_with_the_reduced_map_s_exponent() {
    let mut gaps = Vec::new();
    for eta in [0.01, 0.005, 0.0025] {
        let v = json(&[
            "learning-lyapunov",
            "--preset",
            "pair",
            "--set",
            &format!("eta={eta}"),
            "--samples",
            "400",
            "--transient",
            "3000",
        ]);
        assert_eq!(v["status"], "ok", "{v}");
        let (net, map) = (f(&v["lambda"]), reduced_map_exponent(eta));
        assert!(
            ((net - map) / map).abs() < 0.05,
            "η = {eta}: {net} vs {map}"
        );
        gaps.push(((net - map).abs(), eta));
    }
    // The simulated period differs from the reduced map at O(η): the gap vanishes with η
    // faster than the exponent itself.
    for (gap, eta) in gaps {
        assert!(gap / eta < 1e-3, "gap {gap} at η = {eta}");
    }
}

#[test]
fn a_trained_network_has_a_finite_learning_exponent_and_none_when_nothing_learns() {
    let dir = tempfile::tempdir().unwrap();
    let data = SUBSET;
    let out = dir.path().join("t");
    json(&[
        "train",
        "--data",
        data,
        "--neurons",
        "16",
        "--train-samples",
        "300",
        "--test-samples",
        "20",
        "--out",
        out.to_str().unwrap(),
    ]);
    let ckpt = out.join("checkpoint.json.gz");
    let ckpt = ckpt.to_str().unwrap();
    let v = json(&[
        "learning-lyapunov",
        "--checkpoint",
        ckpt,
        "--data",
        data,
        "--samples",
        "30",
        "--transient",
        "5",
    ]);
    assert!(
        f(&v["lambda"]).is_finite() && f(&v["stderr"]).is_finite(),
        "{v}"
    );
    assert_eq!(v["preset"], "diehl-cook");
    let learning = f(&v["lambda"]);
    // Nothing plastic: the weights change only by the per-neuron normalisation (and the clip
    // of a weight it pushes above w_max): the copies neither converge nor diverge — 0 within
    // the estimate's standard error, far below the learning network's exponent.
    let v = json(&[
        "learning-lyapunov",
        "--checkpoint",
        ckpt,
        "--data",
        data,
        "--samples",
        "30",
        "--transient",
        "5",
        "--set",
        "nu_pre=0",
        "--set",
        "nu_post=0",
        "--set",
        "theta_plus=0",
    ]);
    let frozen = f(&v["lambda"]);
    assert!(frozen.abs() <= 3.0 * f(&v["stderr"]) + 1e-12, "{v}");
    assert!(
        frozen.abs() < 0.05 * learning.abs(),
        "{frozen} vs {learning}"
    );
    bad_input(
        &["learning-lyapunov", "--preset", "nosuch", "--samples", "3"],
        &["preset", "nosuch"],
    );
    bad_input(
        &["learning-lyapunov", "--preset", "pair", "--samples", "0"],
        &["samples", "0"],
    );
    bad_input(
        &[
            "learning-lyapunov",
            "--preset",
            "pair",
            "--checkpoint",
            ckpt,
            "--samples",
            "3",
        ],
        &["preset", "diehl-cook"],
    );
    bad_input(
        &[
            "learning-lyapunov",
            "--checkpoint",
            ckpt,
            "--samples",
            "3",
            "--set",
            "dt_ms=0.25",
            "--data",
            data,
        ],
        &["set", "dt_ms"],
    );
}

/// Spearman's ρ computed here, independently of the library: Pearson on mean ranks.
fn spearman_here(x: &[f64], y: &[f64]) -> f64 {
    let ranks = |v: &[f64]| -> Vec<f64> {
        v.iter()
            .map(|a| {
                let below = v.iter().filter(|b| *b < a).count() as f64;
                let equal = v.iter().filter(|b| *b == a).count() as f64;
                below + (equal + 1.0) / 2.0
            })
            .collect()
    };
    let (rx, ry) = (ranks(x), ranks(y));
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (mx, my) = (mean(&rx), mean(&ry));
    let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sx: f64 = rx.iter().map(|a| (a - mx) * (a - mx)).sum();
    let sy: f64 = ry.iter().map(|b| (b - my) * (b - my)).sum();
    cov / (sx * sy).sqrt()
}

#[test]
fn network_heatmap_cells_are_training_runs_and_shards_merge_to_the_whole_run() {
    let data = SUBSET;
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let grid = [
        "network-heatmap",
        "--data",
        data,
        "--set",
        "maps=1",
        "--x",
        "eta_min:0.25:1:2",
        "--y",
        "eta_max:1.5:3:3",
        "--train-samples",
        "30",
        "--test-samples",
        "30",
        "--lyapunov-samples",
        "4",
        "--seed",
        "5",
    ];
    let whole_dir = path("whole");
    let mut args = grid.to_vec();
    args.extend(["--threads", "2", "--out", &whole_dir]);
    let whole = json(&args);
    let cells = whole["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 6);
    for c in cells {
        for key in [
            "eta_min",
            "eta_max",
            "lambda",
            "lambda_stderr",
            "status",
            "accuracy",
        ] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
    }
    // ρ of accuracy against λ, recomputed here.
    let (lambda, accuracy): (Vec<f64>, Vec<f64>) = cells
        .iter()
        .filter(|c| c["lambda"].is_f64())
        .map(|c| (f(&c["lambda"]), f(&c["accuracy"])))
        .unzip();
    if lambda.len() >= 3 {
        let rho = f(&whole["spearman_rho"]);
        assert!((rho - spearman_here(&accuracy, &lambda)).abs() < 1e-12);
        let i = &whole["spearman_interval"];
        assert!(f(&i["low"]) <= f(&i["high"]));
    }

    // Three shards on one thread each, merged in another order: the same files, byte for byte.
    let shards: Vec<String> = (0..3).map(|i| path(&format!("shard{i}"))).collect();
    for (i, out) in shards.iter().enumerate() {
        let shard = format!("{i}/3");
        let mut args = grid.to_vec();
        args.extend(["--shard", &shard, "--threads", "1", "--out", out]);
        let part = json(&args);
        assert_eq!(part["cells"].as_array().unwrap().len(), 2);
        assert!(part["spearman_rho"].is_null());
    }
    let merged_dir = path("merged");
    json(&[
        "merge",
        &shards[2],
        &shards[0],
        &shards[1],
        "--out",
        &merged_dir,
    ]);
    for file in ["network-heatmap.json", "cells.csv", ".mesonet-output.json"] {
        let a = std::fs::read(Path::new(&whole_dir).join(file)).unwrap();
        let b = std::fs::read(Path::new(&merged_dir).join(file)).unwrap();
        assert!(
            a == b,
            "{file} differs between the whole run and the merged shards"
        );
    }
    for figure in ["lambda.png", "accuracy.png", "accuracy-vs-lambda.png"] {
        assert!(Path::new(&merged_dir).join(figure).is_file(), "{figure}");
    }
    bad_input(
        &["merge", &shards[0], &shards[1], "--out", &path("m2")],
        &["merge", "shard 2/3 is missing"],
    );

    // A cell is the training run `mesonet train` makes with the cell's parameters and seed,
    // and its λ the one `mesonet learning-lyapunov` measures on that run's checkpoint.
    let cell = &cells[4];
    let seed = cell["seed"].as_u64().unwrap().to_string();
    let (eta_min, eta_max) = (
        format!("eta_min={}", f(&cell["eta_min"])),
        format!("eta_max={}", f(&cell["eta_max"])),
    );
    let train_dir = path("train");
    let trained = json(&[
        "train",
        "--preset",
        "mesonet",
        "--data",
        data,
        "--set",
        "maps=1",
        "--set",
        &eta_min,
        "--set",
        &eta_max,
        "--train-samples",
        "30",
        "--test-samples",
        "30",
        "--seed",
        &seed,
        "--out",
        &train_dir,
    ]);
    assert_eq!(
        f(&trained["test_accuracy"]).to_bits(),
        f(&cell["accuracy"]).to_bits()
    );
    let ckpt = Path::new(&train_dir).join("checkpoint.json.gz");
    let lyapunov = json(&[
        "learning-lyapunov",
        "--checkpoint",
        ckpt.to_str().unwrap(),
        "--data",
        data,
        "--samples",
        "4",
        "--seed",
        &seed,
    ]);
    assert_eq!(lyapunov["lambda"], cell["lambda"]);
}

#[test]
fn network_orbit_shards_merge_to_the_whole_run_and_the_pair_settles_below_its_flip() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let sweep = [
        "network-orbit",
        "--preset",
        "pair",
        "--param",
        "eta",
        "--from",
        "0.3",
        "--to",
        "1.5",
        "--n",
        "5",
        "--transient",
        "300",
        "--samples",
        "20",
        "--lyapunov-samples",
        "50",
    ];
    let whole_dir = path("whole");
    let mut args = sweep.to_vec();
    args.extend(["--out", &whole_dir]);
    let whole = json(&args);
    let values = whole["values"].as_array().unwrap();
    assert_eq!(values.len(), 5);
    // η = 0.3: a stable fixed point (every recorded weight the same, λ < 0).
    let first = &values[0];
    let samples: Vec<f64> = first["samples"].as_array().unwrap().iter().map(f).collect();
    assert!(samples.iter().all(|w| (w - samples[0]).abs() < 1e-12));
    assert!(f(&first["lambda"]) < 0.0);
    let shards: Vec<String> = (0..2).map(|i| path(&format!("shard{i}"))).collect();
    for (i, out) in shards.iter().enumerate() {
        let shard = format!("{i}/2");
        let mut args = sweep.to_vec();
        args.extend(["--shard", &shard, "--threads", "1", "--out", out]);
        json(&args);
    }
    let merged_dir = path("merged");
    json(&["merge", &shards[1], &shards[0], "--out", &merged_dir]);
    for file in ["network-orbit.json", "orbit.csv", "lambda.csv"] {
        let a = std::fs::read(Path::new(&whole_dir).join(file)).unwrap();
        let b = std::fs::read(Path::new(&merged_dir).join(file)).unwrap();
        assert!(
            a == b,
            "{file} differs between the whole run and the merged shards"
        );
    }
    assert!(Path::new(&merged_dir).join("orbit.png").is_file());
    // A heatmap shard and an orbit shard are not one sweep.
    bad_input(
        &["merge", &shards[0], &whole_dir, "--out", &path("m")],
        &["merge", "whole"],
    );
}
