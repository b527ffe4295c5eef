//! `mesonet energy`, `mesonet robustness`, `mesonet turing-map` and `mesonet modes`:
//! measurements of a trained network (docs/NETWORKS.md §5), each from a checkpoint written by
//! `mesonet train`, with `--json` and figures.

use super::train::{load_checkpoint, run_sets, DATA_HELP};
use super::Report;
use crate::analysis::OrbitStatus;
use crate::error::{Error, Result};
use crate::figures::training::{histogram, Histogram};
use crate::figures::{heatmap, line_chart, HeatmapFigure, LineChart, RefLine, Series, SeriesStyle};
use crate::output::{write_json, Manifest, OutputDir};
use crate::sim::measurements::{
    crossing_fraction, deletion_order, energy::ann_macs, input_balance, EnergyModel, EnergyReport,
};
use crate::sim::presets::Preset;
use crate::sim::training::{evaluate, frozen_responses, Checkpoint, PHASE_TEST};
use crate::sim::Learner;
use clap::Args;
use std::path::{Path, PathBuf};

/// What every measurement reads: a checkpoint, the data, where to write.
#[derive(Debug, Clone, Args)]
pub struct MeasureInput {
    /// A checkpoint written by `mesonet train`.
    #[arg(long)]
    pub checkpoint: PathBuf,
    #[arg(long, long_help = DATA_HELP)]
    /// Directory with the four IDX files (default: $MESONET_DATA).
    pub data: Option<PathBuf>,
    /// Test samples (default: the run's own; with the run's --holdout, of the held-out
    /// images).
    #[arg(long)]
    pub test_samples: Option<usize>,
    /// Output directory for the result JSON and the figures (default: a folder named after
    /// the command beside the checkpoint); replaced only if empty or written by the same
    /// command before.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (0 = one per core; capped at the work). Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `mesonet energy`.
#[derive(Debug, Clone, Args)]
pub struct EnergyArgs {
    /// The checkpoint, data and output.
    #[command(flatten)]
    pub input: MeasureInput,
    /// Energy of one accumulate, a synaptic operation (pJ) [default: 0.9, a 32-bit float add
    /// at 45 nm, Horowitz 2014].
    #[arg(long, default_value_t = 0.9)]
    pub accumulate_pj: f64,
    /// Energy of one multiply-accumulate, the ANN's operation (pJ) [default: 4.6 = 3.7 + 0.9].
    #[arg(long, default_value_t = 4.6)]
    pub mac_pj: f64,
    /// Energy of one neuron state update (pJ) [default: 4.6, one MAC].
    #[arg(long, default_value_t = 4.6)]
    pub neuron_update_pj: f64,
}

/// Arguments of `mesonet robustness`.
#[derive(Debug, Clone, Args)]
pub struct RobustnessArgs {
    /// The checkpoint, data and output.
    #[command(flatten)]
    pub input: MeasureInput,
    /// Fractions of the input synapses deleted, increasing, from 0 (comma-separated).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9"
    )]
    pub fractions: Vec<f64>,
    /// Seed of the random deletion order [default: the run's seed].
    #[arg(long)]
    pub deletion_seed: Option<u64>,
}

/// Arguments of `mesonet turing-map`.
#[derive(Debug, Clone, Args)]
pub struct TuringMapArgs {
    /// Checkpoints written by `mesonet train` (repeatable: one map each, e.g. split-merge and
    /// mesonet side by side).
    #[arg(long, required = true)]
    pub checkpoint: Vec<PathBuf>,
    /// Width of the Gaussian smoothing, in grid cells (0 = none).
    #[arg(long, default_value_t = 1.0)]
    pub sigma: f64,
    /// Output directory (default: turing-map beside the first checkpoint).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `mesonet modes`.
#[derive(Debug, Clone, Args)]
pub struct ModesArgs {
    /// The checkpoint, data and output.
    #[command(flatten)]
    pub input: MeasureInput,
    /// Evaluation images whose filtered spike trains are projected onto the modes (the first
    /// ones of the run's evaluation set, presented as the evaluation presents them).
    #[arg(long, default_value_t = 50)]
    pub samples: usize,
    /// Time constant of the exponential filter of the spike trains (ms).
    #[arg(long, default_value_t = 20.0)]
    pub tau_ms: f64,
}

/// The output directory of `command` for `checkpoint` (checked, not yet written).
fn output_dir(command: &str, out: &Option<PathBuf>, checkpoint: &Path) -> Result<OutputDir> {
    let dir = out
        .clone()
        .unwrap_or_else(|| crate::output::parent_dir(checkpoint).join(command));
    let out = OutputDir::at(&dir, Manifest::new(command, None))?;
    out.check()?;
    Ok(out)
}

/// A checkpoint and its data, validated (the run's own sets, --holdout included).
struct Loaded {
    ckpt: Checkpoint,
    train: crate::data::Dataset,
    test: crate::data::Dataset,
}

fn load_run(input: &MeasureInput) -> Result<Loaded> {
    let ckpt = load_checkpoint(&input.checkpoint, input.test_samples)?;
    let (train, test) = run_sets(&ckpt, &input.data)?;
    Ok(Loaded { ckpt, train, test })
}

fn check_pj(name: &str, v: f64) -> Result<f64> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(Error::invalid(name, v, "finite and >= 0"))
    }
}

/// The number of input synapses of the network's first plastic projection, and its index.
fn input_projection(net: &Preset) -> Result<(usize, usize)> {
    net.network()
        .projections
        .iter()
        .position(|p| p.plastic.is_some())
        .map(|k| (k, net.network().projections[k].synapses.len()))
        .ok_or_else(|| Error::invalid("checkpoint", 0.0, "a network with a plastic projection"))
}

/// `mesonet energy`: operations of the frozen test pass and their energy against an ANN.
pub fn energy(args: &EnergyArgs) -> Result<Report> {
    let model = EnergyModel {
        accumulate_pj: check_pj("accumulate-pj", args.accumulate_pj)?,
        mac_pj: check_pj("mac-pj", args.mac_pj)?,
        neuron_update_pj: check_pj("neuron-update-pj", args.neuron_update_pj)?,
        plasticity_update_pj: args.mac_pj,
    };
    let out = output_dir("energy", &args.input.out, &args.input.checkpoint)?;
    let run = load_run(&args.input)?;
    let c = &run.ckpt.config;
    let pass = super::with_threads(args.input.threads, c.test_samples, || {
        Ok(frozen_responses(
            &run.ckpt.network,
            &run.test,
            0..c.test_samples,
            c.seed,
            PHASE_TEST,
            &|| {},
        ))
    })?;
    let (rows, cols, channels) = run.ckpt.network.input_shape().unwrap_or((0, 0, 0));
    let inputs = rows * cols * channels;
    let neurons = run.ckpt.network.outputs();
    let (_, synapses) = input_projection(&run.ckpt.network)?;
    let dense = EnergyReport::new(
        pass.operations,
        model,
        ann_macs(&[inputs, neurons, 10], None),
    );
    let same = EnergyReport::new(
        pass.operations,
        model,
        ann_macs(&[], Some(synapses as u64 + neurons as u64 * 10)),
    );
    let json = serde_json::json!({
        "checkpoint": args.input.checkpoint,
        "preset": c.preset,
        "neurons": neurons,
        "test_samples": c.test_samples,
        "evaluated_on": if c.holdout > 0 { "holdout" } else { "test split" },
        "assumptions": format!(
            "accumulate {} pJ, MAC {} pJ, neuron update {} pJ; ANN: {inputs} → {neurons} → 10 (dense) or the same {synapses} input connections + {neurons} × 10",
            model.accumulate_pj, model.mac_pj, model.neuron_update_pj
        ),
        "dense_ann": dense,
        "same_connections_ann": same,
        "output_dir": out.path(),
    });
    let staged = out.stage()?;
    write_json(&staged.path().join("result.json"), &json)?;
    let per_sample_uj: Vec<f64> = pass
        .sample_synaptic_operations
        .iter()
        .map(|&s| s as f64 * model.accumulate_pj * 1e-6)
        .collect();
    histogram(
        &Histogram {
            title: format!(
                "{} ({} neurons): synaptic energy per test sample; ANN, same connections: {:.1} µJ",
                c.preset, neurons, same.ann_uj_per_sample
            ),
            x_label: "synaptic operations × accumulate energy (µJ per sample)".into(),
            values: per_sample_uj,
            bins: 30,
        },
        &staged.path().join("energy"),
    )?;
    staged.commit()?;
    let text = format!(
        "{} per test sample: {:.3e} synaptic operations, {:.3} µJ spiking (of which synaptic {:.3} µJ) vs {:.3} µJ for the ANN with the same connections ({:.1} %) and {:.3} µJ dense ({:.1} %)\n",
        c.preset,
        dense.synaptic_operations_per_sample,
        dense.snn_uj_per_sample,
        dense.snn_synaptic_uj_per_sample,
        same.ann_uj_per_sample,
        100.0 * same.snn_over_ann,
        dense.ann_uj_per_sample,
        100.0 * dense.snn_over_ann
    );
    Ok(Report { json, text })
}

/// `mesonet robustness`: accuracy after deleting growing fractions of the input synapses.
pub fn robustness(args: &RobustnessArgs) -> Result<Report> {
    let f = &args.fractions;
    if f.first() != Some(&0.0) {
        return Err(Error::invalid(
            "fractions",
            f.first().copied().unwrap_or(f64::NAN),
            "a list starting at 0 (the intact network)",
        ));
    }
    for w in f.windows(2) {
        if !(w[1] > w[0] && w[1] <= 1.0) {
            return Err(Error::invalid("fractions", w[1], "increasing and <= 1"));
        }
    }
    let out = output_dir("robustness", &args.input.out, &args.input.checkpoint)?;
    let run = load_run(&args.input)?;
    let c = &run.ckpt.config;
    let (projection, synapses) = input_projection(&run.ckpt.network)?;
    // Drawn over the synapses by (pre, post), whatever the layout's slot order.
    let by_pre_post = run.ckpt.network.network().projections[projection]
        .synapses
        .slots_by_pre_post();
    let order: Vec<usize> = deletion_order(synapses, args.deletion_seed.unwrap_or(c.seed))
        .into_iter()
        .map(|k| by_pre_post[k])
        .collect();
    let bar = super::progress_display("robustness")?;
    bar.set_length(f.len() as u64);
    let mut curve = Vec::new();
    for &fraction in f {
        let mut damaged = run.ckpt.network.clone();
        let deleted = (fraction * synapses as f64).round() as usize;
        let w = &mut damaged.network_mut().projections[projection].synapses.w;
        for &k in &order[..deleted] {
            w[k] = 0.0;
        }
        let eval = super::with_threads(args.input.threads, c.test_samples, || {
            Ok(evaluate(&damaged, c, &run.train, &run.test, &|| {}))
        })?;
        curve.push(serde_json::json!({
            "fraction": fraction,
            "deleted": deleted,
            "test_accuracy": eval.test_accuracy,
            "test_accuracy_proportion": eval.test_accuracy_proportion,
            "test_accuracy_vote_for_all": eval.test_accuracy_vote_for_all,
        }));
        bar.inc(1);
    }
    bar.finish_and_clear();
    let accuracy = |key: &str| -> Vec<f64> {
        curve
            .iter()
            .map(|p| p[key].as_f64().unwrap_or(f64::NAN))
            .collect()
    };
    let all = accuracy("test_accuracy");
    let five_points = crossing_fraction(f, &all, all[0] - 0.05);
    let three_percent = crossing_fraction(f, &all, all[0] * 0.97);
    let json = serde_json::json!({
        "checkpoint": args.input.checkpoint,
        "preset": c.preset,
        "synapses": synapses,
        "test_samples": c.test_samples,
        "evaluated_on": if c.holdout > 0 { "holdout" } else { "test split" },
        "criterion": "all-activity accuracy; labels reassigned on the damaged network",
        "curve": curve,
        "fraction_at_minus_5_points": five_points,
        "fraction_at_minus_3_percent": three_percent,
        "output_dir": out.path(),
    });
    let staged = out.stage()?;
    write_json(&staged.path().join("result.json"), &json)?;
    let series = |key: &str, label: &str, style| Series {
        label: label.into(),
        points: f.iter().copied().zip(accuracy(key)).collect(),
        style,
    };
    let mut vlines = Vec::new();
    if let Some(x) = five_points {
        vlines.push(RefLine {
            value: x,
            label: "−5 points".into(),
        });
    }
    line_chart(
        &LineChart {
            title: format!(
                "{} ({} synapses): accuracy after deleting input synapses at random",
                c.preset, synapses
            ),
            x_label: "fraction of input synapses deleted".into(),
            y_label: "test accuracy".into(),
            series: vec![
                series("test_accuracy", "all-activity", SeriesStyle::Line),
                series(
                    "test_accuracy_proportion",
                    "proportion",
                    SeriesStyle::Dashed,
                ),
                series(
                    "test_accuracy_vote_for_all",
                    "vote-for-all",
                    SeriesStyle::Markers,
                ),
            ],
            x_range: Some((0.0, 1.0)),
            y_range: Some((0.0, 1.0)),
            vlines,
            hlines: vec![RefLine {
                value: all[0] - 0.05,
                label: "intact − 5 points".into(),
            }],
        },
        &staged.path().join("robustness"),
    )?;
    staged.commit()?;
    let show = |x: Option<f64>| x.map_or("never".to_string(), |x| format!("{x:.3}"));
    let text = format!(
        "{}: intact accuracy {:.2} %; falls by 5 points at a deleted fraction of {}, by 3 % relative at {}\n",
        c.preset,
        100.0 * all[0],
        show(five_points),
        show(three_percent)
    );
    Ok(Report { json, text })
}

/// `mesonet turing-map`: the signed input balance per neuron on the cores × maps grid.
pub fn turing_map(args: &TuringMapArgs) -> Result<Report> {
    if !(args.sigma.is_finite() && args.sigma >= 0.0 && args.sigma <= 1e3) {
        return Err(Error::invalid(
            "sigma",
            args.sigma,
            "in 0..=1000 (grid cells)",
        ));
    }
    let out = output_dir("turing-map", &args.out, &args.checkpoint[0])?;
    let mut maps = Vec::new();
    let staged = out.stage()?;
    for (k, path) in args.checkpoint.iter().enumerate() {
        let ckpt = Checkpoint::load(path)?;
        let net = &ckpt.network;
        let fields = net
            .receptive_fields()
            .ok_or_else(|| Error::invalid("checkpoint", k as f64, "a network over images"))?;
        let (rows, cols) = net.core_grid();
        let balance = input_balance(&fields);
        let smoothed = crate::data::transform::gaussian_blur(&balance, rows, cols, args.sigma);
        let negative = balance.iter().filter(|&&b| b < 0.0).count();
        let mean = balance.iter().sum::<f64>() / balance.len().max(1) as f64;
        let stem = format!("turing_map_{}_{}", k + 1, net.preset());
        heatmap(
            &HeatmapFigure {
                title: format!(
                    "{}: input balance Σw/Σ|w| per neuron (Gaussian σ = {} cells); red excitatory, blue inhibitory",
                    net.preset(),
                    args.sigma
                ),
                x_label: "map (neuron within its core)".into(),
                y_label: "core (competition area)".into(),
                value_label: "balance".into(),
                x_values: (0..cols).map(|x| x as f64).collect(),
                y_values: (0..rows).map(|y| y as f64).collect(),
                values: smoothed.clone(),
                status: vec![OrbitStatus::Ok; smoothed.len()],
                zero_contour: negative > 0,
                scale: crate::figures::heatmap::ColourScale::Diverging,
                status_names: Default::default(),
            },
            &staged.path().join(&stem),
        )?;
        maps.push(serde_json::json!({
            "checkpoint": path,
            "preset": net.preset(),
            "rows": rows,
            "cols": cols,
            "mean_balance": mean,
            "neurons_with_negative_balance": negative,
            "balance": balance,
            "smoothed": smoothed,
            "figure": format!("{stem}.png"),
        }));
    }
    let json = serde_json::json!({ "sigma": args.sigma, "maps": maps, "output_dir": out.path() });
    write_json(&staged.path().join("result.json"), &json)?;
    staged.commit()?;
    let text = maps
        .iter()
        .map(|m| {
            format!(
                "{}: mean balance {:.4}, {} neurons with a negative balance ({}×{} grid)\n",
                m["preset"].as_str().unwrap_or(""),
                m["mean_balance"].as_f64().unwrap_or(f64::NAN),
                m["neurons_with_negative_balance"],
                m["rows"],
                m["cols"]
            )
        })
        .collect();
    Ok(Report { json, text })
}

/// Modes of the trained input weights: singular values against rank (log-log), and the
/// output layer's filtered spike trains over evaluation images projected onto the first three
/// left singular vectors, coloured by label.
pub fn modes(args: &ModesArgs) -> Result<Report> {
    use crate::sim::measurements::modes::{filtered_projection, modes};
    use crate::sim::monitors::Raster;
    use crate::sim::network::Monitor;
    if !(args.tau_ms.is_finite() && args.tau_ms > 0.0 && args.tau_ms <= 1e4) {
        return Err(Error::invalid("tau_ms", args.tau_ms, "in (0, 10000] ms"));
    }
    if args.samples == 0 {
        return Err(Error::invalid("samples", 0.0, ">= 1"));
    }
    let out = output_dir("modes", &args.input.out, &args.input.checkpoint)?;
    let run = load_run(&args.input)?;
    let c = &run.ckpt.config;
    let fields = run
        .ckpt
        .network
        .receptive_fields()
        .ok_or_else(|| Error::invalid("checkpoint", 0.0, "a network over images"))?;
    let found = modes(&fields, 3);
    // Every preset counts its output layer with its first spike-count monitor.
    let mut net = run.ckpt.network.clone();
    net.network_mut().set_threads(1);
    let group = net
        .network()
        .monitors
        .iter()
        .find_map(|m| match m {
            Monitor::SpikeCounts { group, .. } => Some(*group),
            Monitor::Raster { .. } => None,
        })
        .ok_or_else(|| Error::invalid("checkpoint", 0.0, "a network that counts its outputs"))?;
    let raster = net.network_mut().add_monitor(Monitor::Raster {
        group,
        raster: Raster::new(50_000_000)?,
    });
    let samples = args.samples.min(run.test.len());
    let step_ms = 1.0;
    let mut rows = Vec::new();
    let mut by_label: Vec<Vec<(f64, f64)>> = vec![Vec::new(); 10];
    for i in 0..samples {
        let n = net.network();
        let start = n.step as f64 * n.dt_ms;
        net.present(
            run.test.image(i),
            false,
            crate::sim::stream_seed(&[c.seed, PHASE_TEST, i as u64]),
        );
        let n = net.network_mut();
        let end = n.step as f64 * n.dt_ms;
        let spikes = match &mut n.monitors[raster] {
            Monitor::Raster { raster, .. } => std::mem::take(&mut raster.spikes),
            Monitor::SpikeCounts { .. } => unreachable!("added as a raster"),
        };
        let label = run.test.label(i);
        let projection = filtered_projection(
            &spikes,
            (start, end - start, step_ms),
            args.tau_ms,
            &found.left,
        );
        for (k, p) in projection.iter().enumerate() {
            if p.len() >= 2 {
                by_label[label as usize % 10].push((p[0], p[1]));
            }
            let mut row = vec![
                i.to_string(),
                label.to_string(),
                crate::output::csv_number(k as f64 * step_ms),
            ];
            row.extend(p.iter().map(|v| crate::output::csv_number(*v)));
            rows.push(row);
        }
    }
    let sigma = &found.singular_values;
    let total: f64 = sigma.iter().map(|s| s * s).sum();
    let leading: f64 = sigma.iter().take(3).map(|s| s * s).sum();
    let participation = sigma.iter().sum::<f64>().powi(2) / total.max(f64::MIN_POSITIVE);
    let staged = out.stage()?;
    let dir = staged.path();
    crate::output::write_csv(
        &dir.join("singular_values.csv"),
        &["rank", "sigma"],
        sigma
            .iter()
            .enumerate()
            .map(|(k, s)| vec![(k + 1).to_string(), crate::output::csv_number(*s)]),
    )?;
    let mut header = vec!["sample".to_string(), "label".into(), "t_ms".into()];
    header.extend((1..=found.left.len()).map(|k| format!("mode_{k}")));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    crate::output::write_csv(&dir.join("projections.csv"), &header, rows)?;
    line_chart(
        &LineChart {
            title: format!(
                "{}: singular values of the trained input weights ({} × {})",
                run.ckpt.network.preset(),
                fields.len(),
                fields.first().map_or(0, Vec::len)
            ),
            x_label: "log10 rank".into(),
            y_label: "log10 σ".into(),
            series: vec![Series {
                label: format!(
                    "σ_k (first 3 carry {:.1} % of Σσ²)",
                    100.0 * leading / total.max(f64::MIN_POSITIVE)
                ),
                points: sigma
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| **s > 0.0)
                    .map(|(k, s)| (((k + 1) as f64).log10(), s.log10()))
                    .collect(),
                style: SeriesStyle::Points,
            }],
            x_range: None,
            y_range: None,
            vlines: vec![],
            hlines: vec![],
        },
        &dir.join("singular_values"),
    )?;
    line_chart(
        &LineChart {
            title: format!(
                "Output spike trains (τ = {} ms) on modes 1 and 2, {} evaluation images",
                args.tau_ms, samples
            ),
            x_label: "projection on mode 1".into(),
            y_label: "projection on mode 2".into(),
            series: by_label
                .into_iter()
                .enumerate()
                .filter(|(_, p)| !p.is_empty())
                .map(|(label, points)| Series {
                    label: format!("label {label}"),
                    points,
                    style: SeriesStyle::Points,
                })
                .collect(),
            x_range: None,
            y_range: None,
            vlines: vec![],
            hlines: vec![],
        },
        &dir.join("projections"),
    )?;
    let json = serde_json::json!({
        "checkpoint": args.input.checkpoint,
        "preset": c.preset,
        "rows": fields.len(),
        "columns": fields.first().map_or(0, Vec::len),
        "singular_values": sigma,
        "leading_three_share": leading / total.max(f64::MIN_POSITIVE),
        "participation_ratio": participation,
        "samples": samples,
        "tau_ms": args.tau_ms,
        "evaluated_on": if c.holdout > 0 { "holdout" } else { "test split" },
    });
    write_json(&dir.join("result.json"), &json)?;
    let dir = staged.commit()?;
    let text = format!(
        "{} singular values of the {} × {} input weights: σ1 = {:.4}, the first 3 carry {:.1} % \
         of Σσ², participation ratio {:.1}\n{} evaluation images projected; wrote {}\n",
        sigma.len(),
        fields.len(),
        fields.first().map_or(0, Vec::len),
        sigma.first().copied().unwrap_or(0.0),
        100.0 * leading / total.max(f64::MIN_POSITIVE),
        participation,
        samples,
        dir.display()
    );
    let mut json = json;
    json["output_dir"] = serde_json::json!(dir);
    Ok(Report { json, text })
}
