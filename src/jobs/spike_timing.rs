//! Spike time against w (MODEL.md §2): the Lambert-W solution of Theorem 1 beside the
//! quadratic (Q-spike) and Taylor-N approximations and the exactly simulated LIF neuron,
//! with τ_s = τ_m (must equal Lambert W) and with the poster's τ_s ≠ τ_m.

use super::{write_summary, Header, Progress};
use crate::error::Result;
use crate::figures::{line_chart, LineChart, RefLine, Series, SeriesStyle};
use crate::model::spike_timing::SpikeTiming;
use crate::output::{csv_number, write_csv};
use crate::spec::{Plan, SpikeTimingPlan};
use std::collections::BTreeMap;
use std::path::Path;

fn or_nan(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::NAN)
}

/// Largest |approx − exact| over the weights where both exist (NaN when none).
fn max_error(exact: &[f64], approx: &[f64]) -> f64 {
    exact
        .iter()
        .zip(approx)
        .filter(|(e, a)| e.is_finite() && a.is_finite())
        .map(|(e, a)| (a - e).abs())
        .fold(f64::NAN, f64::max)
}

/// What spike timing writes as `<name>.json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SpikeTimingSummary {
    /// Name, kind, description.
    #[serde(flatten)]
    pub header: Header,
    /// |approx − exact| at w = 2 w_c (ms), by curve (`taylor<N>`, `simulated_tau_s_<τ>`).
    pub abs_error_at_2w_c_ms: BTreeMap<String, f64>,
    /// The kernel's parameters and the simulation step.
    pub params: TimingParams,
    /// The critical weight w_c.
    pub w_c: f64,
    /// The order rule's N.
    pub order_rule: usize,
    /// Largest |approx − exact| over the weights (ms), by curve.
    pub max_abs_error_ms: BTreeMap<String, f64>,
    /// Weights below w_c at which the simulated neuron (τ_s = τ_m) still spiked.
    pub simulated_spikes_below_w_c: usize,
    /// The weights.
    pub w: Vec<f64>,
    /// The exact (Lambert W) spike time at each weight (ms).
    pub lambert_ms: Vec<f64>,
}

/// The kernel's parameters and the simulation step.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct TimingParams {
    /// Kernel gain.
    pub k: f64,
    /// Threshold.
    pub theta: f64,
    /// Membrane time constant (ms).
    pub tau_m: f64,
    /// Simulation step (ms).
    pub dt_ms: f64,
}

impl SpikeTimingSummary {
    /// No text: the figures are the result.
    pub fn text(&self) -> String {
        String::new()
    }
}

/// Computes every curve; writes `spike_times.csv`, `<name>.json`, `spike_times.png/svg` and
/// `timing_error.png/svg`.
pub fn run(
    plan: &Plan,
    kind: &SpikeTimingPlan,
    dir: &Path,
    _progress: &Progress,
) -> Result<SpikeTimingSummary> {
    let SpikeTimingPlan {
        timing,
        weights,
        taylor_orders,
        tau_s_ms,
        dt_ms,
    } = kind;
    let w = &weights.values;
    let exact: Vec<f64> = w.iter().map(|&w| or_nan(timing.spike_time_ms(w))).collect();
    let down: Vec<f64> = w
        .iter()
        .map(|&w| or_nan(timing.down_crossing_ms(w)))
        .collect();
    let rule = timing.order_rule();
    let mut orders: Vec<usize> = taylor_orders.clone();
    orders.extend([rule.saturating_sub(1), rule, rule + 1]);
    orders.sort_unstable();
    orders.dedup();
    let taylor: Vec<Vec<f64>> = orders
        .iter()
        .map(|&n| w.iter().map(|&w| or_nan(timing.taylor_ms(w, n))).collect())
        .collect();
    let mut sim_taus = vec![timing.tau_m_ms()];
    sim_taus.extend(
        tau_s_ms
            .iter()
            .copied()
            .filter(|t| (t - timing.tau_m_ms()).abs() > 0.0),
    );
    let simulated: Vec<Vec<f64>> = sim_taus
        .iter()
        .map(|&ts| {
            w.iter()
                .map(|&w| timing.simulated_spike_ms(w, ts, *dt_ms).map(or_nan))
                .collect()
        })
        .collect::<Result<_>>()?;

    let mut header: Vec<String> = vec!["w".into(), "lambert_ms".into(), "lambert_down_ms".into()];
    header.extend(orders.iter().map(|n| format!("taylor{n}_ms")));
    header.extend(sim_taus.iter().map(|t| format!("simulated_tau_s_{t}_ms")));
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    write_csv(
        &dir.join("spike_times.csv"),
        &header_refs,
        (0..w.len()).map(|i| {
            let mut row = vec![csv_number(w[i]), csv_number(exact[i]), csv_number(down[i])];
            row.extend(taylor.iter().map(|c| csv_number(c[i])));
            row.extend(simulated.iter().map(|c| csv_number(c[i])));
            row
        }),
    )?;
    draw(
        dir, timing, w, &exact, &orders, &taylor, &sim_taus, &simulated,
    )?;

    let below_wc_spikes = w
        .iter()
        .zip(&simulated[0])
        .filter(|(&w, s)| w < timing.w_c() && s.is_finite())
        .count();
    let max_abs_error_ms: BTreeMap<String, f64> = orders
        .iter()
        .zip(&taylor)
        .map(|(n, c)| (format!("taylor{n}"), max_error(&exact, c)))
        .chain(
            sim_taus
                .iter()
                .zip(&simulated)
                .map(|(t, c)| (format!("simulated_tau_s_{t}"), max_error(&exact, c))),
        )
        .collect();
    // The maximum error is dominated by the fold at w_c; also report a typical weight.
    let w_typical = 2.0 * timing.w_c();
    let exact_typical = or_nan(timing.spike_time_ms(w_typical));
    let mut at_typical = BTreeMap::new();
    for &n in &orders {
        let e = (or_nan(timing.taylor_ms(w_typical, n)) - exact_typical).abs();
        at_typical.insert(format!("taylor{n}"), e);
    }
    for &t in &sim_taus {
        let e = (or_nan(timing.simulated_spike_ms(w_typical, t, *dt_ms)?) - exact_typical).abs();
        at_typical.insert(format!("simulated_tau_s_{t}"), e);
    }
    let summary = SpikeTimingSummary {
        header: Header::new(plan, "spike_timing"),
        abs_error_at_2w_c_ms: at_typical,
        params: TimingParams {
            k: timing.k(),
            theta: timing.theta(),
            tau_m: timing.tau_m_ms(),
            dt_ms: *dt_ms,
        },
        w_c: timing.w_c(),
        order_rule: rule,
        max_abs_error_ms,
        simulated_spikes_below_w_c: below_wc_spikes,
        w: w.clone(),
        lambert_ms: exact,
    };
    write_summary(plan, dir, &summary)?;
    Ok(summary)
}

#[allow(clippy::too_many_arguments)]
fn draw(
    dir: &Path,
    timing: &SpikeTiming,
    w: &[f64],
    exact: &[f64],
    orders: &[usize],
    taylor: &[Vec<f64>],
    sim_taus: &[f64],
    simulated: &[Vec<f64>],
) -> Result<()> {
    let curve = |values: &[f64]| -> Vec<(f64, f64)> {
        w.iter().copied().zip(values.iter().copied()).collect()
    };
    let name_of = |n: usize| {
        if n == 1 {
            "quadratic (Taylor-1, Q-spike)".to_string()
        } else {
            format!("Taylor-{n}")
        }
    };
    let mut series = vec![Series {
        label: "Lambert W (exact, Theorem 1)".into(),
        points: curve(exact),
        style: SeriesStyle::Line,
    }];
    series.extend(orders.iter().zip(taylor).map(|(&n, c)| Series {
        label: name_of(n),
        points: curve(c),
        style: SeriesStyle::Dashed,
    }));
    series.extend(sim_taus.iter().zip(simulated).map(|(t, c)| {
        Series {
            label: format!("simulated LIF, τ_s = {t} ms"),
            points: curve(c)
                .into_iter()
                .step_by((w.len() / 40).max(1))
                .collect(),
            style: SeriesStyle::Markers,
        }
    }));
    let wc_line = vec![RefLine {
        value: timing.w_c(),
        label: "w_c".into(),
    }];
    line_chart(
        &LineChart {
            title: format!(
                "First spike time, k = {}, θ = {}, τ_m = {} ms (order rule N = {})",
                timing.k(),
                timing.theta(),
                timing.tau_m_ms(),
                timing.order_rule()
            ),
            x_label: "weight w".into(),
            y_label: "spike latency x* (ms)".into(),
            series,
            x_range: None,
            y_range: Some((0.0, 1.3 * timing.tau_m_ms())),
            vlines: wc_line.clone(),
            hlines: vec![],
        },
        &dir.join("spike_times"),
    )?;
    let log_error = |values: &[f64]| -> Vec<(f64, f64)> {
        w.iter()
            .zip(exact.iter().zip(values))
            .map(|(&w, (e, a))| (w, (a - e).abs().log10()))
            .collect()
    };
    // Approximations of x* (Taylor-N) and the integration error of the simulated neuron that
    // *is* the alpha kernel (τ_s = τ_m) share one figure; a neuron with another τ_s is a
    // different model, and its difference from x* is drawn apart (model_mismatch).
    let same_model = |t: f64| (t - timing.tau_m_ms()).abs() <= 0.0;
    let mut errors: Vec<Series> = orders
        .iter()
        .zip(taylor)
        .map(|(&n, c)| Series {
            label: name_of(n),
            points: log_error(c),
            style: SeriesStyle::Line,
        })
        .collect();
    errors.extend(
        sim_taus
            .iter()
            .zip(simulated)
            .filter(|(&t, _)| same_model(t))
            .map(|(t, c)| Series {
                label: format!("simulated LIF, τ_s = τ_m = {t} ms"),
                points: log_error(c),
                style: SeriesStyle::Points,
            }),
    );
    line_chart(
        &LineChart {
            title: format!(
                "Error of the approximate spike times against Lambert W (τ_m = {} ms)",
                timing.tau_m_ms()
            ),
            x_label: "weight w".into(),
            y_label: "log₁₀( |x_approx − x*| / 1 ms )".into(),
            series: errors,
            x_range: None,
            y_range: None,
            vlines: wc_line.clone(),
            hlines: vec![],
        },
        &dir.join("timing_error"),
    )?;
    let mismatch: Vec<Series> = sim_taus
        .iter()
        .zip(simulated)
        .filter(|(&t, _)| !same_model(t))
        .map(|(t, c)| Series {
            label: format!("simulated LIF, τ_s = {t} ms"),
            points: w
                .iter()
                .zip(exact.iter().zip(c))
                .map(|(&w, (e, a))| (w, a - e))
                .collect(),
            style: SeriesStyle::Points,
        })
        .collect();
    if mismatch.is_empty() {
        return Ok(());
    }
    line_chart(
        &LineChart {
            title: format!(
                "Model mismatch: a LIF neuron with τ_s ≠ τ_m = {} ms against the alpha-kernel time x*",
                timing.tau_m_ms()
            ),
            x_label: "weight w".into(),
            y_label: "x_sim − x* (ms)".into(),
            series: mismatch,
            x_range: None,
            y_range: None,
            vlines: wc_line,
            hlines: vec![RefLine {
                value: 0.0,
                label: String::new(),
            }],
        },
        &dir.join("model_mismatch"),
    )
}
