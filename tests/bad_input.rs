//! The bad-input harness: for every subcommand, generated invalid values (0, negative, NaN,
//! ±inf, 1e308, empty and reversed ranges, wrong dimensions, unknown names, malformed and
//! oversized specs, corrupted gzip/IDX/checkpoint files, occupied or unwritable output paths)
//! run the binary in a temporary workspace that holds files a user cares about. Every case must
//! give exit code 2, exactly one line on stderr naming the offending field (and the value where
//! it is a plain value), no panic, no hang, and leave every file of the workspace as it was: no
//! file written, changed, moved or removed, inside or outside the command's output directory.
//!
//! The cases are enumerated from a table (every field × every invalid value of its kind) and
//! then varied by a seeded generator (random invalid numbers and strings, flag order, `--json`),
//! a few thousand in all (`MESONET_BAD_INPUT_CASES` sets how many generated ones; default 2000).
//! Cases that once failed are kept in `tests/data/bad_input_regressions.jsonl` and run first
//! (1 821 of the first 2 258 cases failed before the output layer and validation were fixed).
//! With `MESONET_BAD_INPUT_RECORD=path` the failing cases are written there (one JSON per line).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One invocation and what its error line must contain.
#[derive(Debug, Clone, PartialEq)]
struct Case {
    args: Vec<String>,
    /// Every one must appear in the error line (compared lower-case, '-' read as '_').
    needles: Vec<String>,
}

impl Case {
    fn new(args: &[&str], needles: &[&str]) -> Self {
        Self {
            args: args.iter().map(|s| s.to_string()).collect(),
            needles: needles.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The case as a regression line; the test data's path is written `$SUBSET`.
    fn to_json(&self) -> Value {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| a.replace(&subset(), "$SUBSET"))
            .collect();
        json!({"args": args, "needles": self.needles})
    }

    fn from_json(v: &Value) -> Self {
        let strings = |key: &str| -> Vec<String> {
            v[key]
                .as_array()
                .unwrap_or_else(|| panic!("regression line without {key}: {v}"))
                .iter()
                .map(|s| s.as_str().unwrap().replace("$SUBSET", &subset()))
                .collect()
        };
        Self {
            args: strings("args"),
            needles: strings("needles"),
        }
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn subset() -> String {
    repo()
        .join("tests/data/mnist-subset")
        .to_string_lossy()
        .into_owned()
}

const BINARY: &str = env!("CARGO_BIN_EXE_mesonet");

// ---------------------------------------------------------------------------------------------
// The workspace: files a user cares about, and fixtures the cases point at.
// ---------------------------------------------------------------------------------------------

/// A temporary tree `root/a/b/ws` (the command's working directory, two levels down so that an
/// escaping `../../x` still lands inside `root`, where the snapshot sees it).
struct Workspace {
    root: tempfile::TempDir,
    ws: PathBuf,
    before: BTreeMap<PathBuf, String>,
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// A small valid checkpoint (4 neurons, 10 samples), made once per test process.
fn valid_checkpoint() -> Value {
    static CKPT: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    CKPT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        let status = Command::new(BINARY)
            .args(["train", "--data", &subset(), "--neurons", "4"])
            .args(["--train-samples", "10", "--test-samples", "10", "--out"])
            .arg(&out)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "the fixture training run failed");
        let bytes = std::fs::read(out.join("checkpoint.json.gz")).unwrap();
        serde_json::from_slice(&gunzip(&bytes)).unwrap()
    })
    .clone()
}

/// The checkpoint variants: (file name, edit of the valid checkpoint's JSON).
type Edit = fn(&mut Value);
const CHECKPOINT_EDITS: &[(&str, Edit, &[&str])] = &[
    (
        "n-post.json.gz",
        |c| net(c)["projections"][0]["synapses"]["n_post"] = json!(5),
        &["n_post"],
    ),
    (
        "w-short.json.gz",
        |c| {
            net(c)["projections"][0]["synapses"]["w"]
                .as_array_mut()
                .unwrap()
                .pop();
        },
        &["projections[0]"],
    ),
    (
        "exc-v.json.gz",
        |c| {
            net(c)["groups"][0]["Conductance"]["v"]
                .as_array_mut()
                .unwrap()
                .push(json!(-65.0));
        },
        &["groups[0].v"],
    ),
    (
        "config-neurons.json.gz",
        |c| c["config"]["neurons"] = json!(7),
        &["neurons"],
    ),
    (
        "target.json.gz",
        |c| net(c)["projections"][0]["synapses"]["target"][3] = json!(99),
        &["target"],
    ),
    (
        "dt-zero.json.gz",
        |c| c["network"]["params"]["dt_ms"] = json!(0.0),
        &["dt_ms"],
    ),
    (
        "config-dt-zero.json.gz",
        |c| c["config"]["set"]["dt_ms"] = json!(0.0),
        &["dt_ms"],
    ),
    (
        "delay.json.gz",
        |c| net(c)["projections"][0]["synapses"]["delay_steps"][0] = json!(60000),
        &["delay"],
    ),
    (
        "theta-nan.json.gz",
        |c| net(c)["groups"][0]["Conductance"]["theta"][0] = json!(null),
        &["theta"],
    ),
    (
        "samples-done.json.gz",
        |c| c["samples_done"] = json!(1_000_000),
        &["samples_done"],
    ),
    ("format.json.gz", |c| c["format"] = json!(99), &["format"]),
    (
        "other-preset.json.gz",
        |c| c["config"]["preset"] = json!("pair"),
        &["preset"],
    ),
];

/// The simulator's network inside a checkpoint.
fn net(c: &mut Value) -> &mut Value {
    &mut c["network"]["network"]
}

impl Workspace {
    fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let ws = root.path().join("a/b/ws");
        // What a user has and must keep.
        write(&ws.join("notebooks-out/keep/data.csv"), b"x,y\n1,2\n");
        write(
            &ws.join("notebooks-out/orbit-logistic-r/notes.txt"),
            b"mine\n",
        );
        write(&ws.join("notebooks-out/verify/notes.txt"), b"mine\n");
        write(&ws.join("results/old/x.txt"), b"old results\n");
        write(&ws.join("n.txt"), b"notes\n");
        write(&ws.join("out/keep/data.csv"), b"1\n");
        write(
            &root.path().join("a/b/sibling.txt"),
            b"beside the workspace\n",
        );
        // Specs.
        let spec = |name: &str, text: &str| write(&ws.join("specs").join(name), text.as_bytes());
        spec("syntax.json", "{\"kind\": \"orbit\", \"name\": \"x\",, }");
        spec(
            "ok/window.json",
            "{\"kind\": \"stdp_window\", \"name\": \"window\", \"a_plus\": 1, \"a_minus\": 1, \"tau\": 2, \"range_ms\": 10, \"points\": 5}",
        );
        spec(
            "unknown-kind.json",
            "{\"kind\": \"surface\", \"name\": \"x\"}",
        );
        spec("empty.json", "");
        spec("not-json.json", "\u{0}\u{1}binary");
        spec(
            "escape-name.json",
            "{\"kind\": \"stdp_window\", \"name\": \"../escape\", \"a_plus\": 1, \"a_minus\": 1, \"tau\": 2, \"range_ms\": 10, \"points\": 5}",
        );
        spec(
            "huge-points.json",
            "{\"kind\": \"orbit\", \"name\": \"huge\", \"system\": \"logistic\", \"sweep\": {\"param\": \"r\", \"from\": 3, \"to\": 4, \"points\": 1000000000000}, \"transient\": 10, \"samples\": 10}",
        );
        spec(
            "huge-heatmap.json",
            "{\"kind\": \"heatmap\", \"name\": \"huge\", \"system\": \"henon\", \"x\": {\"param\": \"a\", \"from\": 1, \"to\": 1.4, \"points\": 1000000}, \"y\": {\"param\": \"b\", \"from\": 0.2, \"to\": 0.3, \"points\": 1000000}, \"transient\": 10, \"steps\": 10}",
        );
        spec(
            "nan-range.json",
            "{\"kind\": \"orbit\", \"name\": \"nanr\", \"system\": \"logistic\", \"sweep\": {\"param\": \"r\", \"from\": 3, \"to\": 1e999, \"points\": 10}, \"transient\": 10, \"samples\": 10}",
        );
        let mut big =
            String::from("{\"kind\": \"stdp_window\", \"name\": \"big\", \"description\": \"");
        big.push_str(&"x".repeat(3 << 20));
        big.push_str(
            "\", \"a_plus\": 1, \"a_minus\": 1, \"tau\": 2, \"range_ms\": 10, \"points\": 5}",
        );
        spec("oversized.json", &big);
        // Data directories.
        let src = repo().join("tests/data/mnist-subset");
        let copy_all = |dir: &str| {
            for name in [
                "train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz",
            ] {
                write(
                    &ws.join(dir).join(name),
                    &std::fs::read(src.join(name)).unwrap(),
                );
            }
        };
        std::fs::create_dir_all(ws.join("data/empty")).unwrap();
        copy_all("data/truncated");
        let images = gunzip(&std::fs::read(src.join("t10k-images-idx3-ubyte.gz")).unwrap());
        std::fs::remove_file(ws.join("data/truncated/t10k-images-idx3-ubyte.gz")).unwrap();
        write(
            &ws.join("data/truncated/t10k-images-idx3-ubyte"),
            &images[..images.len() - 100],
        );
        copy_all("data/bad-gzip");
        write(
            &ws.join("data/bad-gzip/t10k-images-idx3-ubyte.gz"),
            b"\x1f\x8b\x08garbage",
        );
        copy_all("data/wrong-dims");
        let mut dims = images.clone();
        dims[11] = 27;
        std::fs::remove_file(ws.join("data/wrong-dims/t10k-images-idx3-ubyte.gz")).unwrap();
        write(&ws.join("data/wrong-dims/t10k-images-idx3-ubyte"), &dims);
        copy_all("data/bad-magic");
        let mut magic = images;
        magic[3] = 9;
        std::fs::remove_file(ws.join("data/bad-magic/t10k-images-idx3-ubyte.gz")).unwrap();
        write(&ws.join("data/bad-magic/t10k-images-idx3-ubyte"), &magic);
        // Checkpoints.
        let valid = valid_checkpoint();
        let ckpt = |name: &str, value: &Value| {
            write(
                &ws.join("ckpt").join(name),
                &gzip(&serde_json::to_vec(value).unwrap()),
            )
        };
        ckpt("valid.json.gz", &valid);
        for (name, edit, _) in CHECKPOINT_EDITS {
            let mut c = valid.clone();
            edit(&mut c);
            ckpt(name, &c);
        }
        write(&ws.join("ckpt/not-gzip.json.gz"), b"{\"format\": 1}");
        write(
            &ws.join("ckpt/garbage.json.gz"),
            &gzip(b"\x00\x01 not json"),
        );
        let whole = gzip(&serde_json::to_vec(&valid).unwrap());
        write(
            &ws.join("ckpt/truncated.json.gz"),
            &whole[..whole.len() / 2],
        );
        let before = snapshot(root.path());
        Self { root, ws, before }
    }
}

/// Every file and directory under `root` with its content's hash (or "dir").
fn snapshot(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let key = path.strip_prefix(root).unwrap().to_path_buf();
            if meta.is_dir() {
                out.insert(key, "dir".into());
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                let mut h = std::hash::DefaultHasher::new();
                std::hash::Hash::hash(&bytes, &mut h);
                out.insert(
                    key,
                    format!("{}:{}", bytes.len(), std::hash::Hasher::finish(&h)),
                );
            }
        }
    }
    out
}

fn normalise(s: &str) -> String {
    s.to_lowercase().replace('-', "_")
}

/// Runs one case; `Err` says what went wrong.
fn run_case(ws: &Workspace, case: &Case) -> Result<(), String> {
    let mut child = Command::new(BINARY)
        .args(&case.args)
        .current_dir(&ws.ws)
        .env_remove("MESONET_DATA")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn: {e}"))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            child.kill().ok();
            child.wait().ok();
            return Err("hung: still running after 30 s".into());
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .ok();
    let mut problems = Vec::new();
    if status.code() != Some(2) {
        problems.push(format!("exit code {:?}", status.code()));
    }
    if stderr.contains("panicked") {
        problems.push("panicked".into());
    }
    let lines = stderr.trim_end().lines().count();
    if lines != 1 {
        problems.push(format!("{lines} lines on stderr"));
    }
    let line = normalise(&stderr);
    for needle in &case.needles {
        if !line.contains(&normalise(needle)) {
            problems.push(format!("'{needle}' not named"));
        }
    }
    let after = snapshot(ws.root.path());
    if after != ws.before {
        let changed: Vec<String> = after
            .iter()
            .filter(|(k, v)| ws.before.get(*k) != Some(v))
            .map(|(k, _)| format!("+{}", k.display()))
            .chain(
                ws.before
                    .keys()
                    .filter(|k| !after.contains_key(*k))
                    .map(|k| format!("-{}", k.display())),
            )
            .take(4)
            .collect();
        problems.push(format!("files changed: {}", changed.join(" ")));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let first: String = stderr.chars().take(300).collect();
        Err(format!(
            "{}; stderr: {}",
            problems.join(", "),
            first.trim_end()
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// The cases.
// ---------------------------------------------------------------------------------------------

/// Invalid values of a strictly positive real.
const POSITIVE: &[&str] = &["0", "-1", "nan", "inf", "-inf", "1e308", "abc", ""];
/// Invalid values of a finite real.
const FINITE: &[&str] = &["nan", "inf", "-inf", "1e999", "abc", ""];
/// Invalid values of a count that must be >= 1.
const COUNT: &[&str] = &["0", "-1", "1.5", "abc", "", "99999999999999999999999"];
/// Invalid values of a count that may be 0.
const COUNT0: &[&str] = &["-1", "1.5", "abc", "", "99999999999999999999999"];

/// A base invocation (valid and cheap) and its fields: (flag, the name the error must give,
/// invalid values).
struct Invocation {
    base: &'static [&'static str],
    fields: &'static [(&'static str, &'static str, &'static [&'static str])],
}

const COMMANDS: &[Invocation] = &[
    Invocation {
        base: &["spike-timing", "--w", "2"],
        fields: &[
            ("--w", "w", FINITE),
            ("--w", "w", &["1e308", "1e300"]),
            ("--k", "k", POSITIVE),
            ("--theta", "theta", POSITIVE),
            ("--tau-m", "tau_m", POSITIVE),
            ("--tau-m", "tau_m", &["1e300"]),
            ("--tau-s", "tau_s", POSITIVE),
            ("--dt", "dt", POSITIVE),
            (
                "--taylor-order",
                "taylor_order",
                &["-1", "1000000", "abc", ""],
            ),
        ],
    },
    Invocation {
        base: &[
            "lyapunov",
            "--system",
            "logistic",
            "--steps",
            "100",
            "--transient",
            "10",
        ],
        fields: &[
            ("--system", "system", &["nosuch", ""]),
            ("--steps", "steps", COUNT),
            ("--transient", "transient", COUNT0),
            ("--dt", "dt", POSITIVE),
            ("--renorm-every", "renorm_every", COUNT),
            ("--x0", "x0", &["1,2", "nan", "a", "", "1,,2"]),
            ("--method", "method", &["nosuch"]),
        ],
    },
    Invocation {
        base: &[
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
            "5",
            "--transient",
            "10",
            "--samples",
            "5",
            "--out",
            "out",
        ],
        fields: &[
            ("--system", "system", &["nosuch", "lorenz", ""]),
            ("--param", "param", &["nosuch", ""]),
            ("--from", "from", FINITE),
            ("--to", "to", FINITE),
            ("--to", "to", &["3", "2"]),
            ("--points", "points", COUNT),
            ("--points", "points", &["1"]),
            ("--samples", "samples", COUNT),
            ("--transient", "transient", COUNT0),
            ("--lyapunov-steps", "lyapunov_steps", COUNT),
            ("--x0", "x0", &["1,2", "nan", "a", ""]),
            (
                "--name",
                "name",
                &[
                    "",
                    ".",
                    "..",
                    "../escape",
                    "../../escape",
                    "/abs",
                    "a/b",
                    "keep",
                ],
            ),
            ("--out", "out", &["n.txt", "n.txt/sub", "", "..", "../x"]),
        ],
    },
    Invocation {
        base: &[
            "heatmap",
            "--system",
            "henon",
            "--x",
            "a:1:1.4:3",
            "--y",
            "b:0.2:0.3:3",
            "--transient",
            "10",
            "--steps",
            "50",
            "--out",
            "out",
        ],
        fields: &[
            ("--system", "system", &["nosuch", ""]),
            (
                "--x",
                "x",
                &[
                    "a:1:nan:3",
                    "a:1:inf:3",
                    "a:1:1.4",
                    "a:1:1.4:0",
                    "a:1:1.4:1",
                    "a:1.4:1:3",
                    "a:1:1:3",
                    "nosuch:1:2:3",
                    "",
                    "a:1:1.4:-3",
                    "a:x:1.4:3",
                ],
            ),
            (
                "--y",
                "y",
                &["b:0.2:nan:3", "b:0.3:0.2:3", "b:0.2:0.3", "a:1:1.4:3", ""],
            ),
            ("--steps", "steps", COUNT),
            ("--transient", "transient", COUNT0),
            ("--dt", "dt", POSITIVE),
            ("--x0", "x0", &["1", "1,2,3", "nan,1"]),
            ("--set", "set", &["a=2", "nosuch=1", "b", "b=nan", "=1"]),
            (
                "--name",
                "name",
                &["", "..", "../../escape", "/abs", "a/b", "keep"],
            ),
            ("--out", "out", &["n.txt", ""]),
        ],
    },
    Invocation {
        base: &[
            "continue",
            "--system",
            "logistic",
            "--param",
            "r",
            "--from",
            "2.5",
            "--to",
            "3.2",
            "--points",
            "5",
            "--transient",
            "10",
            "--samples",
            "5",
            "--out",
            "out",
        ],
        fields: &[
            ("--system", "system", &["nosuch", ""]),
            ("--param", "param", &["nosuch", ""]),
            ("--from", "from", FINITE),
            ("--to", "to", FINITE),
            ("--to", "to", &["2.5", "1"]),
            ("--max-points", "max_points", COUNT),
            ("--points", "points", COUNT),
            ("--samples", "samples", COUNT),
            ("--x0", "x0", &["1,2", "nan", "a"]),
            ("--set", "set", &["r=3", "nosuch=1", "r"]),
            ("--name", "name", &["", "..", "../escape", "/abs", "keep"]),
            ("--out", "out", &["n.txt", ""]),
        ],
    },
    Invocation {
        base: &["spectrum", "--matrix", "goe", "--n", "20", "--out", "out"],
        fields: &[
            ("--matrix", "matrix", &["nosuch", ""]),
            ("--n", "n", COUNT),
            ("--n", "n", &["1", "100000"]),
            ("--seed", "seed", &["-1", "abc"]),
            ("--backend", "backend", &["nosuch", "lapack"]),
            ("--name", "name", &["", "..", "../escape", "/abs", "keep"]),
            ("--out", "out", &["n.txt", ""]),
        ],
    },
    Invocation {
        base: &[
            "spectrum",
            "--matrix",
            "synapses",
            "--posts",
            "5",
            "--inputs-per-post",
            "3",
            "--out",
            "out",
        ],
        fields: &[
            ("--posts", "posts", COUNT),
            ("--inputs-per-post", "inputs_per_post", COUNT),
            ("--d-max", "d_max", &["-1", "nan", "inf", "abc"]),
            ("--eta", "eta", POSITIVE),
            ("--set", "set", &["nosuch=1", "tau_m=0", "theta=nan"]),
        ],
    },
    Invocation {
        base: &["synapse-map"],
        fields: &[("--set", "set", &["nosuch=1", "tau_m", "tau_m=abc", "=2"])],
    },
    Invocation {
        base: &["variable-plasticity"],
        fields: &[("--set", "set", &["nosuch=1", "eta_min", "h=abc"])],
    },
    Invocation {
        base: &["run", "specs/ok", "--out", "out"],
        fields: &[("--out", "out", &["n.txt", "n.txt/sub", "", "..", "../x"])],
    },
    Invocation {
        base: &[
            "train",
            "--neurons",
            "4",
            "--train-samples",
            "10",
            "--test-samples",
            "10",
            "--out",
            "out/t",
        ],
        fields: &[
            ("--neurons", "neurons", COUNT),
            ("--neurons", "neurons", &["1000000"]),
            ("--train-samples", "train_samples", COUNT),
            ("--test-samples", "test_samples", COUNT),
            ("--epochs", "epochs", COUNT),
            (
                "--assign-samples",
                "assign_samples",
                &["0", "11", "-1", "abc"],
            ),
            ("--seed", "seed", &["-1", "abc"]),
            ("--checkpoint-every", "checkpoint_every", &["-1", "abc"]),
            ("--threads", "threads", &["-1", "abc"]),
            ("--preset", "preset", &["nosuch", ""]),
            ("--set", "set", &["nosuch=1", "dt_ms", "=1", "dt_ms=abc"]),
            ("--out", "out", &["n.txt", "results", "", "..", "out/keep"]),
        ],
    },
    Invocation {
        base: &[
            "network-heatmap",
            "--set",
            "maps=1",
            "--x",
            "eta_min:0.25:1:2",
            "--y",
            "eta_max:1.5:3:2",
            "--train-samples",
            "5",
            "--test-samples",
            "5",
            "--lyapunov-samples",
            "2",
            "--out",
            "out/nh",
        ],
        fields: &[
            ("--preset", "preset", &["nosuch", ""]),
            (
                "--x",
                "x",
                &["eta_min:1:0:2", "eta_min:a:1:2", "", "eta_min:0:1"],
            ),
            ("--x", "nosuch", &["nosuch:0:1:2"]),
            ("--y", "y", &["eta_min:0:1:2", "eta_max:nan:3:2", "eta_max"]),
            ("--y", "eta_max", &["eta_max:0.5:3:2"]),
            ("--train-samples", "train_samples", COUNT),
            ("--test-samples", "test_samples", COUNT),
            ("--lyapunov-samples", "lyapunov_samples", COUNT),
            ("--d0", "d0", &["0", "1", "-1", "nan", "abc"]),
            ("--neurons", "neurons", COUNT),
            ("--shard", "shard", &["2/2", "1/0", "a/2", "1", ""]),
            ("--seed", "seed", &["-1", "abc"]),
            ("--threads", "threads", &["-1", "abc"]),
            ("--holdout", "holdout", &["3000", "-1", "abc"]),
            ("--set", "set", &["eta_min=0.5", "nosuch=1", "kappa=abc"]),
            ("--out", "out", &["n.txt", "results", "", ".."]),
        ],
    },
    Invocation {
        base: &[
            "network-orbit",
            "--preset",
            "pair",
            "--param",
            "eta",
            "--from",
            "0.5",
            "--to",
            "1",
            "--n",
            "2",
            "--transient",
            "5",
            "--samples",
            "3",
            "--lyapunov-samples",
            "3",
            "--out",
            "out/no",
        ],
        fields: &[
            ("--preset", "preset", &["nosuch", ""]),
            ("--param", "nosuch", &["nosuch"]),
            ("--from", "from", FINITE),
            ("--to", "to", FINITE),
            ("--to", "n", &["0.5", "0.1"]),
            ("--n", "n", COUNT),
            (
                "--observable",
                "observable",
                &["w:1", "weight", "weight:-1", "pc2", ""],
            ),
            ("--observable", "observable", &["weight:99", "neuron:0"]),
            ("--samples", "samples", COUNT),
            (
                "--lyapunov-samples",
                "lyapunov_samples",
                &["0", "1", "-1", "abc"],
            ),
            ("--transient", "transient", COUNT0),
            ("--d0", "d0", &["0", "1", "-1", "nan", "abc"]),
            ("--shard", "shard", &["2/2", "1/0", "a/2", ""]),
            ("--set", "set", &["eta=0.5", "nosuch=1", "theta=abc"]),
            ("--out", "out", &["n.txt", "results", "", ".."]),
        ],
    },
    Invocation {
        base: &["local-jacobians", "--samples", "2", "--out", "out/no"],
        fields: &[
            ("--preset", "preset", &["nosuch", "", "mesonet", "pair"]),
            ("--samples", "samples", COUNT),
            ("--per-sample", "per_sample", COUNT),
            ("--delta", "delta", &["0", "0.5", "-1", "nan", "abc"]),
            ("--neurons", "neurons", COUNT),
            (
                "--set",
                "set",
                &[
                    "nosuch=1",
                    "layers=3",
                    "eta_max=0.5",
                    "variable_plasticity=0",
                ],
            ),
            ("--out", "out", &["n.txt", "results", "", ".."]),
        ],
    },
    Invocation {
        base: &["merge", "out/missing-shard", "--out", "out/merged"],
        fields: &[("--out", "out", &["n.txt", "results", "", ".."])],
    },
    Invocation {
        base: &["verify", "--quick", "--out", "v"],
        fields: &[(
            "--out",
            "out",
            &[
                "n.txt",
                "n.txt/sub",
                "results",
                "notebooks-out/verify",
                "",
                ".",
                "..",
            ],
        )],
    },
];

/// `train --set` values that are out of their domain: (assignment, needles).
const TRAIN_SETS: &[(&str, &[&str])] = &[
    ("dt_ms=0", &["dt_ms"]),
    ("dt_ms=-0.5", &["dt_ms"]),
    ("dt_ms=1e-9", &["dt_ms"]),
    ("dt_ms=nan", &["dt_ms"]),
    ("intensity=-1", &["intensity", "-1"]),
    ("input_ms=0", &["input_ms"]),
    ("input_ms=1e12", &["input_ms"]),
    ("delay_max_ms=1e9", &["delay_max_ms"]),
    ("delay_max_ms=-1", &["delay_max_ms"]),
    ("tau_pre_ms=0", &["tau_pre_ms"]),
    ("exc_tau_ms=-1", &["exc_tau_ms"]),
    ("euler_conductances=2", &["euler_conductances"]),
    ("w_max=inf", &["w_max"]),
    ("weight_sum=0", &["weight_sum"]),
    ("max_retries=1e12", &["max_retries"]),
    ("max_retries=-1", &["max_retries"]),
    ("min_spikes=-1", &["min_spikes"]),
    ("rate_divisor=0", &["rate_divisor"]),
];

/// Domain errors of the analysis systems' parameters: (command prefix, assignment, needles).
const SYSTEM_SETS: &[(&[&str], &str, &[&str])] = &[
    (&["synapse-map"], "tau_m=0", &["tau_m"]),
    (&["synapse-map"], "tau_m=-2", &["tau_m", "-2"]),
    (&["synapse-map"], "T=-1", &["T"]),
    (&["synapse-map"], "w_max=0", &["w_max"]),
    (&["synapse-map"], "mu=-1", &["mu"]),
    (&["synapse-map"], "theta=0", &["theta"]),
    (&["synapse-map"], "k=0", &["k"]),
    (&["synapse-map"], "tau=0", &["tau"]),
    (&["synapse-map"], "eta=nan", &["eta"]),
    (&["synapse-map"], "theta=1e308", &["theta"]),
    (&["variable-plasticity"], "tau_d=0", &["tau_d"]),
    (&["variable-plasticity"], "drive=2", &["drive"]),
    (&["variable-plasticity"], "flipping=3", &["flipping"]),
    (&["variable-plasticity"], "h=0", &["h"]),
    (&["variable-plasticity"], "eta_max=1", &["eta_max"]),
    (&["variable-plasticity"], "epsilon=nan", &["epsilon"]),
    (
        &["lyapunov", "--system", "logistic", "--steps", "10"],
        "r=nan",
        &["r"],
    ),
    (
        &["lyapunov", "--system", "lorenz", "--steps", "10"],
        "sigma=inf",
        &["sigma"],
    ),
    (
        &["lyapunov", "--system", "synapse-map", "--steps", "10"],
        "nosuch=1",
        &["nosuch"],
    ),
    (
        &[
            "lyapunov",
            "--system",
            "variable-plasticity",
            "--steps",
            "10",
        ],
        "drive=0.5",
        &["drive"],
    ),
];

/// Hand-written cases: structure, files and conflicts the table cannot express.
fn special_cases() -> Vec<Case> {
    let data = subset();
    let d = data.as_str();
    let mut cases = vec![
        // Merging a directory that holds no shard, or no directory at all.
        Case::new(
            &["merge", "out/missing-shard", "--out", "out/merged"],
            &["merge", "missing-shard"],
        ),
        Case::new(
            &["merge", "specs", "--out", "out/merged"],
            &["merge", "specs"],
        ),
        // The synapse model with both amplitudes 0: F is identically 0.
        Case::new(
            &["synapse-map", "--set", "a_plus=0", "--set", "a_minus=0"],
            &["a_plus"],
        ),
        // A parameter swept and set at once; one parameter on both axes.
        Case::new(
            &[
                "orbit", "--system", "logistic", "--param", "r", "--from", "3", "--to", "4",
                "--points", "3", "--set", "r=2", "--out", "out",
            ],
            &["r"],
        ),
        Case::new(
            &[
                "heatmap",
                "--system",
                "henon",
                "--x",
                "a:1:1.4:3",
                "--y",
                "a:1:1.4:3",
                "--out",
                "out",
            ],
            &["a"],
        ),
        // Wrong state dimensions.
        Case::new(
            &[
                "continue", "--system", "lorenz", "--param", "rho", "--from", "15", "--to", "30",
                "--x0", "1,2", "--out", "out",
            ],
            &["x0", "1,2"],
        ),
        Case::new(
            &[
                "continue", "--system", "henon", "--param", "a", "--from", "1", "--to", "1.2",
                "--x0", "1", "--out", "out",
            ],
            &["x0"],
        ),
        Case::new(
            &["lyapunov", "--system", "variable-plasticity", "--x0", "1"],
            &["x0"],
        ),
        Case::new(
            &[
                "lyapunov",
                "--system",
                "lorenz",
                "--spectrum",
                "--x0",
                "1,2",
                "--steps",
                "10",
            ],
            &["x0"],
        ),
        Case::new(
            &[
                "orbit",
                "--system",
                "variable-plasticity",
                "--param",
                "eta_min",
                "--from",
                "1",
                "--to",
                "2",
                "--points",
                "3",
                "--x0",
                "1",
                "--out",
                "out",
            ],
            &["x0"],
        ),
        // Sizes that cannot fit in memory.
        Case::new(
            &[
                "heatmap",
                "--system",
                "henon",
                "--x",
                "a:1:1.4:100000",
                "--y",
                "b:0.2:0.3:100000",
                "--out",
                "out",
            ],
            &["memory"],
        ),
        Case::new(
            &[
                "spectrum", "--matrix", "goe", "--n", "100000", "--out", "out",
            ],
            &["n", "memory"],
        ),
        Case::new(
            &[
                "spectrum",
                "--matrix",
                "synapses",
                "--posts",
                "100000",
                "--inputs-per-post",
                "1000",
                "--out",
                "out",
            ],
            &["memory"],
        ),
        Case::new(
            &[
                "train",
                "--data",
                d,
                "--neurons",
                "1000000",
                "--out",
                "out/t",
            ],
            &["neurons", "memory"],
        ),
        Case::new(
            &["run", "specs/huge-points.json", "--out", "out"],
            &["points", "memory"],
        ),
        Case::new(
            &["run", "specs/huge-heatmap.json", "--out", "out"],
            &["memory"],
        ),
        // Specs.
        Case::new(
            &["run", "specs/syntax.json", "--out", "out"],
            &["syntax.json"],
        ),
        Case::new(
            &["run", "specs/unknown-kind.json", "--out", "out"],
            &["surface"],
        ),
        Case::new(
            &["run", "specs/empty.json", "--out", "out"],
            &["empty.json"],
        ),
        Case::new(
            &["run", "specs/not-json.json", "--out", "out"],
            &["not-json.json"],
        ),
        Case::new(
            &["run", "specs/escape-name.json", "--out", "out"],
            &["name", "../escape"],
        ),
        Case::new(
            &["run", "specs/oversized.json", "--out", "out"],
            &["oversized.json"],
        ),
        Case::new(
            &["run", "specs/nan-range.json", "--out", "out"],
            &["nan-range.json"],
        ),
        Case::new(
            &["run", "specs/missing.json", "--out", "out"],
            &["missing.json"],
        ),
        Case::new(&["run", "specs", "--out", "out"], &["specs"]),
        // Arguments are checked before any data is looked for.
        Case::new(
            &[
                "train",
                "--neurons",
                "0",
                "--data",
                "/nonexistent",
                "--out",
                "out/t",
            ],
            &["neurons", "0"],
        ),
        Case::new(
            &[
                "train",
                "--set",
                "dt_ms=1e-9",
                "--data",
                "/nonexistent",
                "--out",
                "out/t",
            ],
            &["dt_ms"],
        ),
        Case::new(&["train", "--out", "out/t"], &["data"]),
        Case::new(&["eval", "--checkpoint", "ckpt/valid.json.gz"], &["data"]),
        // Data files.
        Case::new(
            &["train", "--data", "/nonexistent", "--out", "out/t"],
            &["/nonexistent"],
        ),
        Case::new(
            &["train", "--data", "data/empty", "--out", "out/t"],
            &["data/empty"],
        ),
        Case::new(&["train", "--data", "n.txt", "--out", "out/t"], &["n.txt"]),
        Case::new(
            &[
                "train",
                "--data",
                "data/truncated",
                "--neurons",
                "4",
                "--train-samples",
                "10",
                "--test-samples",
                "10",
                "--out",
                "out/t",
            ],
            &["t10k-images"],
        ),
        Case::new(
            &[
                "train",
                "--data",
                "data/bad-gzip",
                "--neurons",
                "4",
                "--train-samples",
                "10",
                "--test-samples",
                "10",
                "--out",
                "out/t",
            ],
            &["t10k-images"],
        ),
        Case::new(
            &[
                "train",
                "--data",
                "data/wrong-dims",
                "--neurons",
                "4",
                "--train-samples",
                "10",
                "--test-samples",
                "10",
                "--out",
                "out/t",
            ],
            &["t10k-images"],
        ),
        Case::new(
            &[
                "train",
                "--data",
                "data/bad-magic",
                "--neurons",
                "4",
                "--train-samples",
                "10",
                "--test-samples",
                "10",
                "--out",
                "out/t",
            ],
            &["t10k-images"],
        ),
        Case::new(
            &[
                "train",
                "--data",
                d,
                "--train-samples",
                "70000",
                "--out",
                "out/t",
            ],
            &["train_samples", "70000"],
        ),
        Case::new(
            &[
                "eval",
                "--checkpoint",
                "ckpt/valid.json.gz",
                "--data",
                "data/truncated",
            ],
            &["t10k-images"],
        ),
        Case::new(
            &[
                "eval",
                "--checkpoint",
                "ckpt/valid.json.gz",
                "--data",
                d,
                "--test-samples",
                "0",
            ],
            &["test_samples", "0"],
        ),
        Case::new(
            &[
                "eval",
                "--checkpoint",
                "ckpt/valid.json.gz",
                "--data",
                d,
                "--test-samples",
                "100000",
            ],
            &["test_samples", "100000"],
        ),
        Case::new(
            &[
                "eval",
                "--checkpoint",
                "ckpt/valid.json.gz",
                "--data",
                d,
                "--out",
                "n.txt",
            ],
            &["out", "n.txt"],
        ),
        Case::new(
            &[
                "eval",
                "--checkpoint",
                "ckpt/valid.json.gz",
                "--data",
                d,
                "--out",
                "results",
            ],
            &["out", "results"],
        ),
        Case::new(
            &["eval", "--checkpoint", "ckpt/missing.json.gz", "--data", d],
            &["missing.json.gz"],
        ),
        // Conflicts with a resumed run's own configuration.
        Case::new(
            &[
                "train",
                "--data",
                d,
                "--resume",
                "ckpt/valid.json.gz",
                "--neurons",
                "50",
                "--out",
                "out/t",
            ],
            &["neurons"],
        ),
        Case::new(
            &[
                "train",
                "--data",
                d,
                "--resume",
                "ckpt/valid.json.gz",
                "--seed",
                "3",
                "--out",
                "out/t",
            ],
            &["seed"],
        ),
        Case::new(
            &[
                "train",
                "--data",
                d,
                "--resume",
                "ckpt/valid.json.gz",
                "--set",
                "nu_post=0.1",
                "--out",
                "out/t",
            ],
            &["set"],
        ),
        Case::new(
            &[
                "train",
                "--data",
                d,
                "--resume",
                "ckpt/missing.json.gz",
                "--out",
                "out/t",
            ],
            &["missing.json.gz"],
        ),
        // Output paths that are not the command's to write.
        Case::new(
            &[
                "orbit", "--system", "logistic", "--param", "r", "--from", "3", "--to", "4",
                "--points", "3",
            ],
            &["orbit-logistic-r"],
        ),
        Case::new(&["verify", "--quick"], &["verify"]),
        Case::new(
            &["verify", "--quick", "--out", "notebooks-out"],
            &["notebooks-out"],
        ),
    ];
    // The Lyapunov exponent of learning.
    cases.extend([
        Case::new(
            &["learning-lyapunov", "--preset", "nosuch", "--samples", "5"],
            &["preset", "nosuch"],
        ),
        Case::new(&["learning-lyapunov", "--samples", "5"], &["preset"]),
        Case::new(
            &["learning-lyapunov", "--preset", "pair", "--samples", "0"],
            &["samples", "0"],
        ),
        Case::new(
            &["learning-lyapunov", "--preset", "pair", "--samples", "1"],
            &["samples", "1"],
        ),
        Case::new(
            &[
                "learning-lyapunov",
                "--preset",
                "pair",
                "--samples",
                "5",
                "--d0",
                "0",
            ],
            &["d0", "0"],
        ),
        Case::new(
            &[
                "learning-lyapunov",
                "--preset",
                "pair",
                "--samples",
                "5",
                "--d0",
                "nan",
            ],
            &["d0"],
        ),
        Case::new(
            &[
                "learning-lyapunov",
                "--preset",
                "pair",
                "--samples",
                "5",
                "--set",
                "eta=-1",
            ],
            &["eta", "-1"],
        ),
        Case::new(
            &[
                "learning-lyapunov",
                "--preset",
                "pair",
                "--samples",
                "5",
                "--set",
                "refractory_ms=9",
            ],
            &["refractory_ms"],
        ),
        Case::new(
            &[
                "learning-lyapunov",
                "--preset",
                "pair",
                "--samples",
                "5",
                "--neurons",
                "3",
            ],
            &["neurons", "3"],
        ),
        Case::new(
            &[
                "learning-lyapunov",
                "--preset",
                "diehl-cook",
                "--samples",
                "5",
            ],
            &["data"],
        ),
        Case::new(
            &[
                "learning-lyapunov",
                "--preset",
                "pair",
                "--checkpoint",
                "ckpt/valid.json.gz",
                "--samples",
                "5",
            ],
            &["preset", "diehl-cook"],
        ),
        Case::new(
            &[
                "learning-lyapunov",
                "--checkpoint",
                "ckpt/theta-nan.json.gz",
                "--samples",
                "5",
                "--data",
                d,
            ],
            &["theta"],
        ),
        Case::new(
            &[
                "learning-lyapunov",
                "--checkpoint",
                "ckpt/valid.json.gz",
                "--samples",
                "5",
                "--data",
                d,
                "--neurons",
                "4",
            ],
            &["neurons"],
        ),
        Case::new(
            &[
                "learning-lyapunov",
                "--checkpoint",
                "ckpt/valid.json.gz",
                "--samples",
                "5",
                "--data",
                d,
                "--set",
                "dt_ms=0.25",
            ],
            &["dt_ms"],
        ),
        Case::new(
            &["train", "--preset", "pair", "--data", d, "--out", "out/t"],
            &["preset", "pair"],
        ),
        Case::new(
            &["train", "--preset", "nosuch", "--data", d, "--out", "out/t"],
            &["preset", "nosuch"],
        ),
        // split-merge: a size that is not areas × maps, a kernel larger than the image, a
        // zero stride, a non-integer number of maps.
        Case::new(
            &[
                "train",
                "--preset",
                "split-merge",
                "--neurons",
                "100",
                "--train-samples",
                "10",
                "--test-samples",
                "10",
                "--data",
                d,
                "--out",
                "out/t",
            ],
            &["neurons", "100"],
        ),
        Case::new(
            &[
                "train",
                "--preset",
                "split-merge",
                "--set",
                "kernel_size_2=40",
                "--data",
                d,
                "--out",
                "out/t",
            ],
            &["kernel_size_2", "40"],
        ),
        Case::new(
            &[
                "train",
                "--preset",
                "split-merge",
                "--set",
                "stride_3=0",
                "--data",
                d,
                "--out",
                "out/t",
            ],
            &["stride_3", "0"],
        ),
        Case::new(
            &[
                "train",
                "--preset",
                "split-merge",
                "--set",
                "maps=2.5",
                "--data",
                d,
                "--out",
                "out/t",
            ],
            &["maps", "2.5"],
        ),
        Case::new(
            &[
                "train",
                "--preset",
                "split-merge",
                "--set",
                "integrate_refractory=0.5",
                "--data",
                d,
                "--out",
                "out/t",
            ],
            &["integrate_refractory", "0.5"],
        ),
        // mesonet: η_max at or below the largest reachable drive, κ ≤ 0, its own switches and
        // rates, and split-merge's geometry through it.
        Case::new(
            &[
                "train",
                "--preset",
                "mesonet",
                "--set",
                "eta_max=1",
                "--data",
                d,
                "--out",
                "out/t",
            ],
            &["eta_max", "1"],
        ),
        Case::new(
            &[
                "train",
                "--preset",
                "mesonet",
                "--set",
                "eta_max=0.5",
                "--data",
                d,
                "--out",
                "out/t",
            ],
            &["eta_max", "0.5"],
        ),
        Case::new(
            &[
                "train", "--preset", "mesonet", "--set", "kappa=0", "--data", d, "--out", "out/t",
            ],
            &["kappa", "0"],
        ),
        Case::new(
            &[
                "train", "--preset", "mesonet", "--set", "kappa=-2", "--data", d, "--out", "out/t",
            ],
            &["kappa", "-2"],
        ),
        Case::new(
            &[
                "train", "--preset", "mesonet", "--set", "tau_d=0", "--data", d, "--out", "out/t",
            ],
            &["tau_d", "0"],
        ),
        Case::new(
            &[
                "train",
                "--preset",
                "mesonet",
                "--set",
                "flipping=2",
                "--data",
                d,
                "--out",
                "out/t",
            ],
            &["flipping", "2"],
        ),
        Case::new(
            &[
                "train",
                "--preset",
                "mesonet",
                "--set",
                "epsilon=-1",
                "--data",
                d,
                "--out",
                "out/t",
            ],
            &["epsilon", "-1"],
        ),
        Case::new(
            &[
                "train",
                "--preset",
                "mesonet",
                "--set",
                "kernel_size_1=29",
                "--data",
                d,
                "--out",
                "out/t",
            ],
            &["kernel_size_1", "29"],
        ),
        Case::new(
            &[
                "train",
                "--preset",
                "mesonet",
                "--set",
                "stride_1=0",
                "--data",
                d,
                "--out",
                "out/t",
            ],
            &["stride_1", "0"],
        ),
        Case::new(
            &[
                "train",
                "--preset",
                "mesonet",
                "--set",
                "drive=1",
                "--set",
                "eta_max=0.01",
                "--data",
                d,
                "--out",
                "out/t",
            ],
            &["eta_max", "0.01"],
        ),
        Case::new(
            &["train", "--holdout", "3000", "--data", d, "--out", "out/t"],
            &["holdout", "3000"],
        ),
    ]);
    for file in ["not-gzip.json.gz", "garbage.json.gz", "truncated.json.gz"] {
        let path = format!("ckpt/{file}");
        cases.push(Case::new(
            &["eval", "--checkpoint", &path, "--data", d],
            &[file],
        ));
        cases.push(Case::new(
            &["train", "--resume", &path, "--data", d, "--out", "out/t"],
            &[file],
        ));
    }
    for (file, _, needles) in CHECKPOINT_EDITS {
        let path = format!("ckpt/{file}");
        cases.push(Case::new(
            &["eval", "--checkpoint", &path, "--data", d],
            needles,
        ));
        cases.push(Case::new(
            &["train", "--resume", &path, "--data", d, "--out", "out/t"],
            needles,
        ));
    }
    for (set, needles) in TRAIN_SETS {
        let args = [
            "train",
            "--data",
            d,
            "--neurons",
            "4",
            "--train-samples",
            "10",
            "--test-samples",
            "10",
            "--out",
            "out/t",
            "--set",
            set,
        ];
        cases.push(Case::new(&args, needles));
    }
    for (prefix, set, needles) in SYSTEM_SETS {
        let mut args = prefix.to_vec();
        args.extend(["--set", set]);
        cases.push(Case::new(&args, needles));
    }
    cases
}

/// The command's base arguments (train reads the test subset).
fn base_args(command: &Invocation) -> Vec<String> {
    let mut base: Vec<String> = command.base.iter().map(|s| s.to_string()).collect();
    if base[0] == "train" || base[0] == "network-heatmap" {
        base.extend(["--data".to_string(), subset()]);
    }
    base
}

/// Replaces (or appends) `flag`'s value in `base`.
fn with_value(base: &[&str], flag: &str, value: &str) -> Vec<String> {
    let mut args: Vec<String> = base.iter().map(|s| s.to_string()).collect();
    match args.iter().position(|a| a == flag) {
        Some(i) if flag != "--set" => args[i + 1] = value.to_string(),
        _ => {
            args.push(flag.to_string());
            args.push(value.to_string());
        }
    }
    args
}

/// Is `value` plain enough that the error line must repeat it?
fn value_is_named(value: &str) -> bool {
    !value.is_empty()
        && value.len() < 20
        && !value.contains(['/', ':', ','])
        && value
            .parse::<f64>()
            .map_or(true, |v| v.is_finite() && v.abs() < 1e15)
}

/// Every field × every invalid value of the table, then the hand-written cases.
fn table_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for command in COMMANDS {
        let base = base_args(command);
        let base: Vec<&str> = base.iter().map(String::as_str).collect();
        for (flag, name, values) in command.fields {
            for value in *values {
                let mut needles = vec![name.to_string()];
                if *flag == "--set" {
                    // The assignment's own name is what the line must give ("set: malformed
                    // assignment 'r'", "unknown parameter 'nosuch'").
                    let assigned = value.split('=').next().unwrap_or_default();
                    needles = vec![if assigned.is_empty() { value } else { assigned }.to_string()];
                } else if value_is_named(value) {
                    needles.push(value.to_string());
                }
                cases.push(Case {
                    args: with_value(&base, flag, value),
                    needles,
                });
            }
        }
    }
    cases.extend(special_cases());
    cases
}

/// Random invalid numbers and strings of a field's kind.
fn random_invalid(rng: &mut ChaCha8Rng, pool: &[&str]) -> String {
    let positive_only = pool == POSITIVE;
    match rng.random_range(0..6) {
        0 => pool[rng.random_range(0..pool.len())].to_string(),
        1 => [
            "NaN",
            "-nan",
            "+inf",
            "-Infinity",
            "infinity",
            "1e309",
            "-1e309",
        ][rng.random_range(0..7)]
        .to_string(),
        2 if positive_only => format!(
            "-{:e}",
            rng.random::<f64>() * 10f64.powi(rng.random_range(-300..300))
        ),
        3 => {
            ["1.2.3", "0x10", "1e", "--", " ", "٣", "1,5", "e5"][rng.random_range(0..8)].to_string()
        }
        4 if pool == COUNT || pool == COUNT0 => format!("-{}", rng.random_range(1..1_000_000u64)),
        _ => pool[rng.random_range(0..pool.len())].to_string(),
    }
}

/// Seeded variations of the table: a random field of a random command gets a random invalid
/// value of its kind; flags are shuffled (in name-value pairs) and `--json` is sometimes added.
fn generated_cases(seed: u64, n: usize) -> Vec<Case> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut cases = Vec::with_capacity(n);
    while cases.len() < n {
        let command = &COMMANDS[rng.random_range(0..COMMANDS.len())];
        let (flag, name, pool) = command.fields[rng.random_range(0..command.fields.len())];
        if !matches!(pool, p if p == POSITIVE || p == FINITE || p == COUNT || p == COUNT0) {
            continue;
        }
        let value = random_invalid(&mut rng, pool);
        let base = base_args(command);
        let base: Vec<&str> = base.iter().map(String::as_str).collect();
        let args = with_value(&base, flag, &value);
        // Shuffle the flag pairs after the subcommand (and its positional argument).
        let head = if args[0] == "run" { 2 } else { 1 };
        let mut pairs: Vec<Vec<String>> = Vec::new();
        let mut i = head;
        while i < args.len() {
            let takes_value = !matches!(args[i].as_str(), "--quick" | "--spectrum" | "--json");
            let end = if takes_value { i + 2 } else { i + 1 };
            pairs.push(args[i..end.min(args.len())].to_vec());
            i = end;
        }
        for k in (1..pairs.len()).rev() {
            pairs.swap(k, rng.random_range(0..=k));
        }
        let mut shuffled: Vec<String> = args[..head].to_vec();
        shuffled.extend(pairs.into_iter().flatten());
        if rng.random_bool(0.3) {
            shuffled.push("--json".into());
        }
        // A value starting with "--" would be read as a flag by any parser: still an error,
        // but it cannot name the field it was meant for.
        let needles = if value.starts_with("--") || value.trim().is_empty() {
            vec![]
        } else if value_is_named(&value) {
            vec![name.to_string(), value.clone()]
        } else {
            vec![name.to_string()]
        };
        cases.push(Case {
            args: shuffled,
            needles,
        });
    }
    cases
}

fn regressions_path() -> PathBuf {
    repo().join("tests/data/bad_input_regressions.jsonl")
}

fn regressions() -> Vec<Case> {
    match std::fs::read_to_string(regressions_path()) {
        Ok(text) => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| Case::from_json(&serde_json::from_str(l).expect("a JSON line")))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Runs `cases` on two threads, each with its own workspace; returns the failures.
fn run_all(cases: &[Case]) -> Vec<(Case, String)> {
    let threads = 2;
    let chunk = cases.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut ws = Workspace::new();
                    let mut failed = Vec::new();
                    for case in part {
                        if let Err(why) = run_case(&ws, case) {
                            failed.push((case.clone(), why));
                            ws = Workspace::new(); // a fresh one for the next case
                        }
                    }
                    failed
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

#[test]
fn every_bad_input_is_refused_cleanly() {
    let generated: usize = std::env::var("MESONET_BAD_INPUT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let mut cases = regressions();
    for case in table_cases()
        .into_iter()
        .chain(generated_cases(2026, generated))
    {
        if !cases.contains(&case) {
            cases.push(case);
        }
    }
    let started = Instant::now();
    let failed = run_all(&cases);
    eprintln!(
        "bad-input harness: {} cases ({} regressions), {} failed, {:.1} s",
        cases.len(),
        regressions().len(),
        failed.len(),
        started.elapsed().as_secs_f64()
    );
    if let Ok(path) = std::env::var("MESONET_BAD_INPUT_RECORD") {
        let mut text = String::new();
        for (case, why) in &failed {
            let mut v = case.to_json();
            v["why"] = json!(why);
            text.push_str(&serde_json::to_string(&v).unwrap());
            text.push('\n');
        }
        std::fs::write(path, text).unwrap();
    }
    let report: Vec<String> = failed
        .iter()
        .take(40)
        .map(|(case, why)| format!("{:?}: {why}", case.args))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} bad-input cases failed:\n{}",
        failed.len(),
        cases.len(),
        report.join("\n")
    );
}
