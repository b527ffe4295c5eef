//! The summary a spectrum writes as `<name>.json`, and its text.

use crate::analysis::spectrum::{Backend, Ellipse, Semicircle};
use crate::jobs::Header;
use crate::model::many_synapse::LayerParams;
use crate::sim::presets::PoissonLayerParams;

/// What a spectrum writes as `<name>.json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SpectrumSummary {
    /// Name, kind, description.
    #[serde(flatten)]
    pub header: Header,
    /// Seed.
    pub seed: u64,
    /// Eigenvalue backend.
    pub backend: Backend,
    /// The matrix (its `matrix` key) and its comparisons with the laws.
    #[serde(flatten)]
    pub matrix: MatrixSummary,
}

/// The matrix of a spectrum and its comparisons with the laws.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "matrix", rename_all = "lowercase")]
pub enum MatrixSummary {
    /// Symmetric Gaussian: the semicircle.
    Goe {
        /// Matrix size.
        n: usize,
        /// Standardised moments 1 to 6 of the eigenvalues.
        moments_1_to_6: Vec<f64>,
        /// KS distance to the semicircle.
        ks_semicircle: f64,
        /// The 1 % KS critical value.
        ks_critical_1pct: f64,
    },
    /// I.i.d. Gaussian: the circular law.
    Iid {
        /// Matrix size.
        n: usize,
        /// Fractions of the eigenvalues inside radii r (circular law: r²).
        radius_fractions: Vec<RadiusFraction>,
        /// The fitted elliptic law.
        ellipse: Ellipse,
        /// KS distance to the elliptic law.
        ks_ellipse: f64,
        /// The 1 % KS critical value.
        ks_critical_1pct: f64,
    },
    /// The many-synapse layer's Jacobian.
    Synapses {
        /// The layer's parameters.
        layer: LayerParams,
        /// Matrix size.
        n: usize,
        /// The predicted centre λ1.
        lambda1: f64,
        /// KS distance to the predicted semicircle.
        ks_semicircle: f64,
        /// KS distance to the semicircle re-centred at the eigenvalues' mean.
        ks_semicircle_recentred: f64,
        /// KS distance to the elliptic law.
        ks_ellipse: f64,
        /// The 1 % KS critical value.
        ks_critical_1pct: f64,
        /// Mean of the real parts.
        mean_real: f64,
        /// Largest |imaginary part|.
        max_imag: f64,
        /// The predicted semicircle.
        predicted: Semicircle,
        /// The fitted elliptic law.
        ellipse: Ellipse,
    },
    /// A simulated network's learning map.
    Network {
        /// The network's parameters.
        network: PoissonLayerParams,
        /// Its neurons.
        posts: usize,
        /// Learning rate.
        eta: f64,
        /// Matrix size.
        n: usize,
        /// Iterations towards the fixed point.
        iterations: usize,
        /// The last iteration's largest weight change.
        fixed_point_residual: f64,
        /// The semicircle moment-matched to the eigenvalues.
        fitted_semicircle: Semicircle,
        /// KS distance to the fitted semicircle.
        ks_semicircle_fitted: f64,
        /// The fitted elliptic law.
        ellipse: Ellipse,
        /// KS distance to the elliptic law.
        ks_ellipse: f64,
        /// The 1 % KS critical value.
        ks_critical_1pct: f64,
    },
}

/// The fraction of the eigenvalues inside radius r.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct RadiusFraction {
    /// The radius.
    pub r: f64,
    /// Fraction of the eigenvalues with |λ| ≤ r.
    pub fraction_inside: f64,
    /// r², the circular law's fraction.
    pub r_squared: f64,
}

impl MatrixSummary {
    /// The matrix's name (its `matrix` key).
    pub fn name(&self) -> &'static str {
        match self {
            MatrixSummary::Goe { .. } => "goe",
            MatrixSummary::Iid { .. } => "iid",
            MatrixSummary::Synapses { .. } => "synapses",
            MatrixSummary::Network { .. } => "network",
        }
    }

    /// Matrix size.
    pub fn n(&self) -> usize {
        match self {
            MatrixSummary::Goe { n, .. }
            | MatrixSummary::Iid { n, .. }
            | MatrixSummary::Synapses { n, .. }
            | MatrixSummary::Network { n, .. } => *n,
        }
    }

    /// The headline statistics by key, in the order the text shows them.
    fn statistics(&self) -> Vec<(&'static str, f64)> {
        match *self {
            MatrixSummary::Goe {
                ks_semicircle,
                ks_critical_1pct,
                ..
            } => vec![
                ("ks_semicircle", ks_semicircle),
                ("ks_critical_1pct", ks_critical_1pct),
            ],
            MatrixSummary::Iid {
                ks_ellipse,
                ks_critical_1pct,
                ..
            } => vec![
                ("ks_ellipse", ks_ellipse),
                ("ks_critical_1pct", ks_critical_1pct),
            ],
            MatrixSummary::Synapses {
                lambda1,
                mean_real,
                ks_semicircle,
                ks_semicircle_recentred,
                ks_ellipse,
                ks_critical_1pct,
                ..
            } => vec![
                ("lambda1", lambda1),
                ("mean_real", mean_real),
                ("ks_semicircle", ks_semicircle),
                ("ks_semicircle_recentred", ks_semicircle_recentred),
                ("ks_ellipse", ks_ellipse),
                ("ks_critical_1pct", ks_critical_1pct),
            ],
            MatrixSummary::Network {
                ks_semicircle_fitted,
                ks_ellipse,
                ks_critical_1pct,
                ..
            } => vec![
                ("ks_semicircle_fitted", ks_semicircle_fitted),
                ("ks_ellipse", ks_ellipse),
                ("ks_critical_1pct", ks_critical_1pct),
            ],
        }
    }
}

impl SpectrumSummary {
    /// The matrix, its size, the KS distances (finite ones), and the moments or radius
    /// fractions.
    pub fn text(&self) -> String {
        let m = &self.matrix;
        let mut text = format!("spectrum of {} (n = {}):", m.name(), m.n());
        for (key, v) in m.statistics() {
            if v.is_finite() {
                text.push_str(&format!(" {key} {v:.4}"));
            }
        }
        if let MatrixSummary::Goe { moments_1_to_6, .. } = m {
            let shown: Vec<String> = moments_1_to_6.iter().map(|v| format!("{v:.4}")).collect();
            text.push_str(&format!(" moments 1-6 [{}]", shown.join(", ")));
        }
        if let MatrixSummary::Iid {
            radius_fractions, ..
        } = m
        {
            for f in radius_fractions {
                text.push_str(&format!(
                    " inside r={}: {:.3} (r² {:.4})",
                    f.r, f.fraction_inside, f.r_squared
                ));
            }
        }
        text.push('\n');
        text
    }
}
