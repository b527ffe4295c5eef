//! Eigenvalue spectra against the random-matrix laws: histogram of the real parts with the
//! predicted semicircle, and the eigenvalues in the complex plane with the fitted ellipse.

use crate::analysis::fixed_points::Eigenvalue;
use crate::analysis::spectrum::{
    general_eigenvalues, goe_matrix, iid_matrix, ks_critical_1pct, ks_distance,
    standardised_moments, symmetric_eigenvalues, Ellipse, Semicircle,
};
use crate::error::Result;
use crate::figures::{line_chart, LineChart, Series, SeriesStyle};
use crate::model::many_synapse::{compare_with_laws, Layer};
use crate::output::{csv_number, write_csv, write_json};
use crate::sim::presets::{PoissonLayer, PoissonLayerParams};
use crate::sim::LearningMap;
use crate::spec::{Plan, PlanKind, SpectrumMatrix};
use nalgebra::DMatrix;
use std::path::Path;

/// Computes the spectrum and its comparisons; writes `eigenvalues.csv`, `<name>.json`,
/// `histogram.png/svg` and `complex_plane.png/svg`.
pub fn run(plan: &Plan, dir: &Path) -> Result<serde_json::Value> {
    let PlanKind::Spectrum {
        matrix,
        seed,
        backend,
    } = &plan.kind
    else {
        unreachable!("dispatched by kind")
    };
    let mut json = super::header(plan, "spectrum");
    json.insert("seed".into(), (*seed).into());
    json.insert(
        "backend".into(),
        serde_json::to_value(backend).expect("enum"),
    );
    let (values, law, ellipse) = match matrix {
        SpectrumMatrix::Goe { n } => {
            let real = symmetric_eigenvalues(&goe_matrix(*n, *seed), *backend)?;
            let law = Semicircle {
                centre: 0.0,
                variance: 1.0,
            };
            json.insert("matrix".into(), "goe".into());
            json.insert("n".into(), (*n).into());
            json.insert(
                "moments_1_to_6".into(),
                serde_json::json!(standardised_moments(&real, 0.0, 1.0, 6)),
            );
            json.insert(
                "ks_semicircle".into(),
                ks_distance(&real, |x| law.cdf(x)).into(),
            );
            json.insert("ks_critical_1pct".into(), ks_critical_1pct(*n).into());
            let values = real.iter().map(|&re| Eigenvalue { re, im: 0.0 }).collect();
            (values, Some(law), None)
        }
        SpectrumMatrix::Iid { n } => {
            let m = iid_matrix(*n, *seed);
            let values = general_eigenvalues(&m, *backend)?;
            let ellipse = Ellipse::fit(&m);
            json.insert("matrix".into(), "iid".into());
            json.insert("n".into(), (*n).into());
            let fractions: Vec<serde_json::Value> = [0.25, 0.5, 0.75, 0.9, 1.0]
                .iter()
                .map(|&r| {
                    let inside = values.iter().filter(|e| e.modulus() <= r).count();
                    serde_json::json!({"r": r, "fraction_inside": inside as f64 / *n as f64, "r_squared": r * r})
                })
                .collect();
            json.insert("radius_fractions".into(), fractions.into());
            json.insert(
                "ellipse".into(),
                serde_json::to_value(ellipse).expect("plain"),
            );
            json.insert("ks_ellipse".into(), ellipse.ks_distance(&values).into());
            json.insert("ks_critical_1pct".into(), ks_critical_1pct(*n).into());
            (values, None, Some(ellipse))
        }
        SpectrumMatrix::Synapses(params) => {
            let layer = Layer::new(*params)?;
            let c = compare_with_laws(&layer, *backend)?;
            json.insert("matrix".into(), "synapses".into());
            json.insert("layer".into(), serde_json::to_value(params).expect("plain"));
            json.insert("n".into(), layer.len().into());
            json.insert("lambda1".into(), c.predicted.centre.into());
            for (key, value) in [
                ("ks_semicircle", c.ks_semicircle),
                ("ks_semicircle_recentred", c.ks_semicircle_recentred),
                ("ks_ellipse", c.ks_ellipse),
                ("ks_critical_1pct", c.ks_critical_1pct),
                ("mean_real", c.mean_real),
                ("max_imag", c.max_imag),
            ] {
                json.insert(key.into(), value.into());
            }
            json.insert(
                "predicted".into(),
                serde_json::to_value(c.predicted).expect("plain"),
            );
            json.insert(
                "ellipse".into(),
                serde_json::to_value(c.ellipse).expect("plain"),
            );
            (c.eigenvalues, Some(c.predicted), Some(c.ellipse))
        }
        SpectrumMatrix::Network { layer, posts, seed } => {
            network_spectrum(layer, *posts, *seed, *backend, &mut json)?
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
    let value = serde_json::Value::Object(json);
    write_json(&dir.join(format!("{}.json", plan.name)), &value)?;
    Ok(value)
}

/// Iterations of the learning return map towards its fixed point.
const NETWORK_ITERATIONS: usize = 3_000;

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
    backend: crate::analysis::spectrum::Backend,
    json: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<(Vec<Eigenvalue>, Option<Semicircle>, Option<Ellipse>)> {
    use crate::analysis::system::map_jacobian;
    use crate::analysis::Map;
    use crate::sim::Learner;
    let layer = PoissonLayer::new(*params, posts)?;
    let eta = params.eta;
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
    json.insert("matrix".into(), "network".into());
    json.insert(
        "network".into(),
        serde_json::to_value(params).expect("plain"),
    );
    json.insert("posts".into(), posts.into());
    json.insert("eta".into(), eta.into());
    json.insert("n".into(), n.into());
    json.insert("iterations".into(), NETWORK_ITERATIONS.into());
    json.insert("fixed_point_residual".into(), residual.into());
    json.insert(
        "fitted_semicircle".into(),
        serde_json::to_value(fitted).expect("plain"),
    );
    json.insert(
        "ks_semicircle_fitted".into(),
        ks_distance(&real, |x| fitted.cdf(x)).into(),
    );
    json.insert(
        "ellipse".into(),
        serde_json::to_value(ellipse).expect("plain"),
    );
    json.insert("ks_ellipse".into(), ellipse.ks_distance(&values).into());
    json.insert("ks_critical_1pct".into(), ks_critical_1pct(n).into());
    Ok((values, Some(fitted), Some(ellipse)))
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
