//! Eigenvalue spectra against the random-matrix laws: histogram of the real parts with the
//! predicted semicircle, and the eigenvalues in the complex plane with the fitted ellipse.

mod summary;

pub use summary::{MatrixSummary, RadiusFraction, SpectrumSummary};

use super::{write_summary, Header, Progress};
use crate::analysis::fixed_points::Eigenvalue;
use crate::analysis::spectrum::{
    general_eigenvalues, goe_matrix, iid_matrix, ks_critical_1pct, ks_distance,
    standardised_moments, symmetric_eigenvalues, Backend, Ellipse, Semicircle,
};
use crate::error::Result;
use crate::figures::{line_chart, LineChart, Series, SeriesStyle};
use crate::model::many_synapse::{compare_with_laws, Layer};
use crate::output::{csv_number, write_csv};
use crate::sim::presets::{PoissonLayer, PoissonLayerParams};
use crate::sim::LearningMap;
use crate::spec::{Plan, SpectrumMatrix, SpectrumPlan};
use nalgebra::DMatrix;
use std::path::Path;

/// Computes the spectrum and its comparisons; writes `eigenvalues.csv`, `<name>.json`,
/// `histogram.png/svg` and `complex_plane.png/svg`.
pub fn run(
    plan: &Plan,
    kind: &SpectrumPlan,
    dir: &Path,
    _progress: &Progress,
) -> Result<SpectrumSummary> {
    let SpectrumPlan {
        matrix,
        seed,
        backend,
    } = kind;
    let (values, law, ellipse, summary) = match matrix {
        SpectrumMatrix::Goe { n } => {
            let real = symmetric_eigenvalues(&goe_matrix(*n, *seed), *backend)?;
            let law = Semicircle {
                centre: 0.0,
                variance: 1.0,
            };
            let summary = MatrixSummary::Goe {
                n: *n,
                moments_1_to_6: standardised_moments(&real, 0.0, 1.0, 6),
                ks_semicircle: ks_distance(&real, |x| law.cdf(x)),
                ks_critical_1pct: ks_critical_1pct(*n),
            };
            let values = real.iter().map(|&re| Eigenvalue { re, im: 0.0 }).collect();
            (values, Some(law), None, summary)
        }
        SpectrumMatrix::Iid { n } => {
            let m = iid_matrix(*n, *seed);
            let values = general_eigenvalues(&m, *backend)?;
            let ellipse = Ellipse::fit(&m);
            let radius_fractions = [0.25, 0.5, 0.75, 0.9, 1.0]
                .iter()
                .map(|&r| {
                    let inside = values.iter().filter(|e| e.modulus() <= r).count();
                    RadiusFraction {
                        r,
                        fraction_inside: inside as f64 / *n as f64,
                        r_squared: r * r,
                    }
                })
                .collect();
            let summary = MatrixSummary::Iid {
                n: *n,
                radius_fractions,
                ellipse,
                ks_ellipse: ellipse.ks_distance(&values),
                ks_critical_1pct: ks_critical_1pct(*n),
            };
            (values, None, Some(ellipse), summary)
        }
        SpectrumMatrix::Synapses(params) => {
            let layer = Layer::new(*params)?;
            let c = compare_with_laws(&layer, *backend)?;
            let summary = MatrixSummary::Synapses {
                layer: *params,
                n: layer.len(),
                lambda1: c.predicted.centre,
                ks_semicircle: c.ks_semicircle,
                ks_semicircle_recentred: c.ks_semicircle_recentred,
                ks_ellipse: c.ks_ellipse,
                ks_critical_1pct: c.ks_critical_1pct,
                mean_real: c.mean_real,
                max_imag: c.max_imag,
                predicted: c.predicted,
                ellipse: c.ellipse,
            };
            (c.eigenvalues, Some(c.predicted), Some(c.ellipse), summary)
        }
        SpectrumMatrix::Network { layer, posts, seed } => {
            network_spectrum(layer, *posts, *seed, *backend)?
        }
    };
    write_csv(
        &dir.join("eigenvalues.csv"),
        &["re", "im"],
        values
            .iter()
            .map(|e| vec![csv_number(e.re), csv_number(e.im)]),
    )?;
    draw(plan, dir, &values, law, ellipse)?;
    let summary = SpectrumSummary {
        header: Header::new(plan, "spectrum"),
        seed: *seed,
        backend: *backend,
        matrix: summary,
    };
    write_summary(plan, dir, &summary)?;
    Ok(summary)
}

/// Iterations of the learning return map towards its fixed point.
const NETWORK_ITERATIONS: usize = 3_000;

/// The eigenvalues, the semicircle and the ellipse to draw, and the summary.
type Spectrum = (
    Vec<Eigenvalue>,
    Option<Semicircle>,
    Option<Ellipse>,
    MatrixSummary,
);

/// The simulated network's learning map (preset `layer`: pair STDP, A± = η, soft bounds
/// w_max = 3, one fixed input stream): iterated from w = 1 for [`NETWORK_ITERATIONS`]
/// presentations (the last step's largest change is reported as `fixed_point_residual`), then
/// its Jacobian by central differences (the same input trains for every evaluation: common
/// random numbers) and the spectrum of J − I. No closed-form λ1 exists for this network: the
/// semicircle drawn is moment-matched to the eigenvalues (mean and variance of the real
/// parts), so its KS distance tests the shape alone.
fn network_spectrum(
    params: &PoissonLayerParams,
    posts: usize,
    seed: u64,
    backend: Backend,
) -> Result<Spectrum> {
    use crate::analysis::system::map_jacobian;
    use crate::analysis::Map;
    use crate::sim::Learner;
    let layer = PoissonLayer::new(*params, posts)?;
    let map = LearningMap::new(layer.clone(), vec![(Vec::new(), seed)]);
    let mut w = layer.plastic_state();
    let mut next = vec![0.0; w.len()];
    let n = map.dim();
    let mut residual = f64::NAN;
    for _ in 0..NETWORK_ITERATIONS {
        map.step(&w, &mut next);
        residual = next
            .iter()
            .zip(&w)
            .fold(0.0_f64, |m, (a, b)| m.max((a - b).abs()));
        std::mem::swap(&mut w, &mut next);
    }
    let jac = DMatrix::from_row_slice(n, n, &map_jacobian(&map, &w));
    let flow = &jac - DMatrix::<f64>::identity(n, n);
    let values = general_eigenvalues(&flow, backend)?;
    let real: Vec<f64> = values.iter().map(|e| e.re).collect();
    let mean = real.iter().sum::<f64>() / n as f64;
    let variance = real.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
    let fitted = Semicircle {
        centre: mean,
        variance,
    };
    let ellipse = Ellipse::fit(&flow);
    let summary = MatrixSummary::Network {
        network: *params,
        posts,
        eta: params.eta,
        n,
        iterations: NETWORK_ITERATIONS,
        fixed_point_residual: residual,
        fitted_semicircle: fitted,
        ks_semicircle_fitted: ks_distance(&real, |x| fitted.cdf(x)),
        ellipse,
        ks_ellipse: ellipse.ks_distance(&values),
        ks_critical_1pct: ks_critical_1pct(n),
    };
    Ok((values, Some(fitted), Some(ellipse), summary))
}

/// Density histogram of the real parts (a step line) over `bins` equal bins.
fn histogram(real: &[f64], bins: usize) -> Vec<(f64, f64)> {
    let lo = real.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = real.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return real.first().map(|&x| vec![(x, 1.0)]).unwrap_or_default();
    }
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0usize; bins];
    for &x in real {
        counts[(((x - lo) / width) as usize).min(bins - 1)] += 1;
    }
    let scale = 1.0 / (real.len() as f64 * width);
    let mut out = vec![(lo, 0.0)];
    for (k, &c) in counts.iter().enumerate() {
        let (a, b) = (lo + k as f64 * width, lo + (k + 1) as f64 * width);
        out.push((a, c as f64 * scale));
        out.push((b, c as f64 * scale));
    }
    out.push((hi, 0.0));
    out
}

fn draw(
    plan: &Plan,
    dir: &Path,
    values: &[Eigenvalue],
    law: Option<Semicircle>,
    ellipse: Option<Ellipse>,
) -> Result<()> {
    let real: Vec<f64> = values.iter().map(|e| e.re).collect();
    let mut series = vec![Series {
        label: format!("eigenvalues (real parts), n = {}", values.len()),
        points: histogram(&real, 60),
        style: SeriesStyle::Line,
    }];
    if let Some(law) = law {
        let r = law.radius();
        series.push(Series {
            label: format!(
                "semicircle, centre {:.4}, σ = {:.4}",
                law.centre,
                law.variance.sqrt()
            ),
            points: (0..=400)
                .map(|k| {
                    let x = law.centre - r + 2.0 * r * k as f64 / 400.0;
                    (x, law.density(x))
                })
                .collect(),
            style: SeriesStyle::Dashed,
        });
    }
    line_chart(
        &LineChart {
            title: format!("{}: spectral density", plan.name),
            x_label: "Re λ".into(),
            y_label: "density".into(),
            series,
            x_range: None,
            y_range: None,
            vlines: vec![],
            hlines: vec![],
        },
        &dir.join("histogram"),
    )?;
    let mut series = vec![Series {
        label: "eigenvalues".into(),
        points: values.iter().map(|e| (e.re, e.im)).collect(),
        style: SeriesStyle::Points,
    }];
    if let Some(e) = ellipse {
        let (a, b) = ((1.0 + e.tau) * e.sigma, (1.0 - e.tau) * e.sigma);
        series.push(Series {
            label: format!("elliptic law, σ = {:.4}, τ = {:.3}", e.sigma, e.tau),
            points: (0..=360)
                .map(|k| {
                    let t = 2.0 * std::f64::consts::PI * k as f64 / 360.0;
                    (e.centre + a * t.cos(), b * t.sin())
                })
                .collect(),
            style: SeriesStyle::Dashed,
        });
    }
    line_chart(
        &LineChart {
            title: format!("{}: eigenvalues in the complex plane", plan.name),
            x_label: "Re λ".into(),
            y_label: "Im λ".into(),
            series,
            x_range: None,
            y_range: None,
            vlines: vec![],
            hlines: vec![],
        },
        &dir.join("complex_plane"),
    )
}
