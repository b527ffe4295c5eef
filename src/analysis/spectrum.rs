//! Eigenvalue spectra of large matrices and the random-matrix laws they are compared with
//! (MODEL.md §7): the Wigner semicircle, the circular law and the elliptic law, with
//! Kolmogorov-Smirnov distances.
//!
//! Owns the backends (nalgebra's real Schur form by default; LAPACK's `dgeev` / `dsyev`
//! through nalgebra-lapack with the `lapack` feature), the laws' closed forms and the
//! distances. Knows nothing about synapses.

use crate::analysis::fixed_points::{eigenvalues, Eigenvalue};
use crate::error::{Error, Result};
use nalgebra::DMatrix;

/// Which library computes the eigenvalues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    /// nalgebra's real Schur decomposition (pure Rust, always available).
    Nalgebra,
    /// LAPACK (`dgeev`, `dsyev`) through nalgebra-lapack; needs the `lapack` cargo feature.
    Lapack,
}

impl Backend {
    /// From its command-line name.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "nalgebra" => Ok(Backend::Nalgebra),
            "lapack" => Ok(Backend::Lapack),
            _ => Err(Error::InvalidParameter {
                name: "backend".into(),
                value: name.into(),
                requirement: "nalgebra or lapack".into(),
            }),
        }
    }
}

impl Backend {
    /// The backend if this build has it (LAPACK needs the `lapack` feature).
    pub fn available(self) -> Result<Self> {
        if self == Backend::Lapack && !cfg!(feature = "lapack") {
            return Err(lapack_missing());
        }
        Ok(self)
    }
}

fn lapack_missing() -> Error {
    Error::InvalidParameter {
        name: "backend".into(),
        value: "lapack".into(),
        requirement: "a build with the `lapack` feature (cargo build --features lapack)".into(),
    }
}

/// Eigenvalues of a real square matrix, sorted by decreasing modulus.
pub fn general_eigenvalues(matrix: &DMatrix<f64>, backend: Backend) -> Result<Vec<Eigenvalue>> {
    let n = matrix.nrows();
    match backend {
        Backend::Nalgebra => eigenvalues(matrix.transpose().as_slice(), n),
        #[cfg(feature = "lapack")]
        Backend::Lapack => {
            let eigen =
                nalgebra_lapack::Eigen::new(matrix.clone(), false, false).ok_or_else(|| {
                    Error::NotConverged {
                        method: "LAPACK dgeev".into(),
                        iterations: 0,
                        residual: f64::NAN,
                    }
                })?;
            let mut values: Vec<Eigenvalue> = eigen
                .eigenvalues_re
                .iter()
                .zip(eigen.eigenvalues_im.iter())
                .map(|(&re, &im)| Eigenvalue { re, im })
                .collect();
            values.sort_by(|a, b| b.modulus().total_cmp(&a.modulus()));
            Ok(values)
        }
        #[cfg(not(feature = "lapack"))]
        Backend::Lapack => Err(lapack_missing()),
    }
}

/// Eigenvalues of a real symmetric matrix (only the lower triangle is read), ascending.
pub fn symmetric_eigenvalues(matrix: &DMatrix<f64>, backend: Backend) -> Result<Vec<f64>> {
    let mut values: Vec<f64> = match backend {
        Backend::Nalgebra => nalgebra::SymmetricEigen::try_new(matrix.clone(), f64::EPSILON, 0)
            .ok_or_else(|| Error::NotConverged {
                method: "symmetric eigensolver".into(),
                iterations: 0,
                residual: f64::NAN,
            })?
            .eigenvalues
            .iter()
            .copied()
            .collect(),
        #[cfg(feature = "lapack")]
        Backend::Lapack => nalgebra_lapack::SymmetricEigen::try_new(matrix.clone())
            .ok_or_else(|| Error::NotConverged {
                method: "LAPACK dsyev".into(),
                iterations: 0,
                residual: f64::NAN,
            })?
            .eigenvalues
            .iter()
            .copied()
            .collect(),
        #[cfg(not(feature = "lapack"))]
        Backend::Lapack => return Err(lapack_missing()),
    };
    values.sort_by(f64::total_cmp);
    Ok(values)
}

/// The Wigner semicircle law with centre c and variance σ² (radius R = 2σ):
/// density 2/(πR²) √(R² − (x − c)²).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Semicircle {
    /// Centre c.
    pub centre: f64,
    /// Variance σ².
    pub variance: f64,
}

impl Semicircle {
    /// The radius R = 2σ.
    pub fn radius(&self) -> f64 {
        2.0 * self.variance.sqrt()
    }

    /// Density at x.
    pub fn density(&self, x: f64) -> f64 {
        let r = self.radius();
        let u = x - self.centre;
        if u.abs() >= r {
            0.0
        } else {
            2.0 / (std::f64::consts::PI * r * r) * (r * r - u * u).sqrt()
        }
    }

    /// CDF: 1/2 + (u √(1 − u²) + asin u)/π with u = (x − c)/R clamped to [−1, 1].
    pub fn cdf(&self, x: f64) -> f64 {
        let u = ((x - self.centre) / self.radius()).clamp(-1.0, 1.0);
        0.5 + (u * (1.0 - u * u).sqrt() + u.asin()) / std::f64::consts::PI
    }
}

/// Kolmogorov-Smirnov distance sup |F_n − F| between the empirical distribution of `samples`
/// and the continuous CDF `cdf`. NaN for no samples.
pub fn ks_distance(samples: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let mut sorted: Vec<f64> = samples.iter().copied().filter(|v| !v.is_nan()).collect();
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).max((i + 1) as f64 / n - f)
        })
        .fold(0.0, f64::max)
}

/// The two-sided 1 % critical value of the KS statistic for n i.i.d. samples, 1.628/√n
/// (asymptotic Kolmogorov distribution). Eigenvalues are more rigid than i.i.d. samples, so
/// a law that holds passes this bound with room to spare.
pub fn ks_critical_1pct(n: usize) -> f64 {
    1.628 / (n.max(1) as f64).sqrt()
}

/// Moments (1/n) Σ ((x − c)/σ)^k for k = 1..=max_order.
pub fn standardised_moments(values: &[f64], centre: f64, sigma: f64, max_order: usize) -> Vec<f64> {
    let n = values.len().max(1) as f64;
    (1..=max_order)
        .map(|k| {
            values
                .iter()
                .map(|v| ((v - centre) / sigma).powi(k as i32))
                .sum::<f64>()
                / n
        })
        .collect()
}

/// The elliptic law (Sommers, Crisanti, Sompolinsky & Stein 1988): for an n × n matrix with
/// off-diagonal entries of variance σ²/n and correlation τ = corr(J_ij, J_ji), the eigenvalues
/// fill uniformly the ellipse centred at c with semi-axes (1 + τ)σ (real) and (1 − τ)σ
/// (imaginary). τ = 0 is the circular law (a disc of radius σ).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Ellipse {
    /// Centre on the real axis.
    pub centre: f64,
    /// σ: √n times the entries' standard deviation.
    pub sigma: f64,
    /// τ ∈ [−1, 1].
    pub tau: f64,
}

impl Ellipse {
    /// Estimates σ and τ from a matrix's off-diagonal entries, centred at the mean diagonal.
    pub fn fit(matrix: &DMatrix<f64>) -> Self {
        let n = matrix.nrows();
        let pairs = (n * n.saturating_sub(1)).max(1) as f64;
        let (mut sum, mut sum_sq, mut sum_cross) = (0.0, 0.0, 0.0);
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    sum += matrix[(i, j)];
                    sum_sq += matrix[(i, j)] * matrix[(i, j)];
                    sum_cross += matrix[(i, j)] * matrix[(j, i)];
                }
            }
        }
        let mean = sum / pairs;
        let variance = sum_sq / pairs - mean * mean;
        let covariance = sum_cross / pairs - mean * mean;
        let tau = if variance > 0.0 {
            (covariance / variance).clamp(-1.0, 1.0)
        } else {
            0.0
        };
        Self {
            centre: matrix.diagonal().mean(),
            sigma: (n as f64 * variance.max(0.0)).sqrt(),
            tau,
        }
    }

    /// The scaled radius ρ = √((x/a)² + (y/b)²) of an eigenvalue (1 on the ellipse); uniform
    /// filling means P(ρ ≤ r) = r².
    pub fn scaled_radius(&self, e: &Eigenvalue) -> f64 {
        let a = (1.0 + self.tau) * self.sigma;
        let b = (1.0 - self.tau) * self.sigma;
        let x = (e.re - self.centre) / a;
        let y = if b > 0.0 { e.im / b } else { 0.0 };
        x.hypot(y)
    }

    /// KS distance between the scaled radii and the uniform-ellipse radial law r².
    pub fn ks_distance(&self, values: &[Eigenvalue]) -> f64 {
        let radii: Vec<f64> = values.iter().map(|e| self.scaled_radius(e)).collect();
        ks_distance(&radii, |r| r.clamp(0.0, 1.0).powi(2))
    }
}

/// `count` standard normal samples (Box-Muller on a ChaCha8 stream seeded with `seed`).
pub fn standard_normals(seed: u64, count: usize) -> Vec<f64> {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(count + 1);
    while out.len() < count {
        let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
        let u2: f64 = rng.random::<f64>();
        let radius = (-2.0 * u1.ln()).sqrt();
        let phase = 2.0 * std::f64::consts::PI * u2;
        out.push(radius * phase.cos());
        out.push(radius * phase.sin());
    }
    out.truncate(count);
    out
}

/// Reference matrix: symmetric with off-diagonal N(0, 1/n) and diagonal N(0, 2/n) (GOE
/// scaling), whose spectrum tends to the semicircle of centre 0 and variance 1.
pub fn goe_matrix(n: usize, seed: u64) -> DMatrix<f64> {
    let z = standard_normals(seed, n * n);
    let mut m = DMatrix::zeros(n, n);
    for i in 0..n {
        for j in 0..=i {
            let variance = if i == j { 2.0 } else { 1.0 } / n as f64;
            m[(i, j)] = z[i * n + j] * variance.sqrt();
            m[(j, i)] = m[(i, j)];
        }
    }
    m
}

/// Reference matrix: i.i.d. N(0, 1/n) entries, whose spectrum tends to the uniform unit disc
/// (circular law).
pub fn iid_matrix(n: usize, seed: u64) -> DMatrix<f64> {
    let scale = 1.0 / (n.max(1) as f64).sqrt();
    DMatrix::from_iterator(
        n,
        n,
        standard_normals(seed, n * n).into_iter().map(|v| v * scale),
    )
}

#[cfg(test)]
mod tests;
