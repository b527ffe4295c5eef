//! Bifurcation detection by test functions, and location by bisection on the arclength.
//!
//! Test functions, evaluated on the spectrum matrix A (D f^k for maps, D rhs for flows), change
//! sign at the bifurcations: maps — fold det(A − I), flip det(A + I), Neimark-Sacker
//! Π_{i<j}(μ_i μ_j − 1); flows — fold det(A), Hopf Π_{i<j}(λ_i + λ_j). The last two also vanish
//! at neutral saddles (a real pair μ, 1/μ or λ, −λ), so a located zero only counts when a
//! complex pair sits on the unit circle (on the imaginary axis). A branch point (transcritical,
//! pitchfork) also changes the sign of the fold test and is reported as a fold.

use super::branch::{Bifurcation, BifurcationKind};
use super::family::Linearisation;
use super::tracer::Tracer;
use crate::error::Result;
use nalgebra::{Complex, DMatrix, DVector};

impl Tracer<'_> {
    /// Test functions: [fold, flip, NS] for maps, [fold, Hopf] for flows.
    pub(super) fn tests(&self, lin: &Linearisation) -> Vec<f64> {
        let a = &lin.spectrum_matrix;
        let n = a.nrows();
        let identity = DMatrix::<f64>::identity(n, n);
        let spectrum: Vec<Complex<f64>> = a.complex_eigenvalues().iter().copied().collect();
        let mut pair_test = Complex::new(1.0, 0.0);
        for i in 0..spectrum.len() {
            for j in i + 1..spectrum.len() {
                pair_test *= if self.map {
                    spectrum[i] * spectrum[j] - 1.0
                } else {
                    spectrum[i] + spectrum[j]
                };
            }
        }
        if self.map {
            vec![
                (a - &identity).determinant(),
                (a + &identity).determinant(),
                pair_test.re,
            ]
        } else {
            vec![a.determinant(), pair_test.re]
        }
    }

    fn kind(&self, test: usize) -> BifurcationKind {
        match (self.map, test) {
            (_, 0) => BifurcationKind::Fold,
            (true, 1) => BifurcationKind::Flip,
            (true, _) => BifurcationKind::NeimarkSacker,
            (false, _) => BifurcationKind::Hopf,
        }
    }

    /// Bisection on the arclength s ∈ (0, ds) for the zero of test `i` (sign `sign0` at s = 0).
    pub(super) fn locate(
        &self,
        y: &DVector<f64>,
        t: &DVector<f64>,
        ds: f64,
        i: usize,
        sign0: f64,
    ) -> Result<Option<Bifurcation>> {
        let (mut lo, mut hi) = (0.0, ds);
        let mut best = None;
        for _ in 0..80 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            let c = self.correct(y, t, mid)?;
            let value = self.tests(&c.lin)[i];
            if value.signum() == sign0.signum() {
                lo = mid;
            } else {
                hi = mid;
            }
            best = Some(c);
        }
        let Some(c) = best else { return Ok(None) };
        let kind = self.kind(i);
        if !self.on_boundary(kind, &c.lin) {
            // The test changed sign through a pole (e.g. a derivative diverging at the edge of
            // a silent region) or a neutral saddle: not a bifurcation.
            return Ok(None);
        }
        let n = self.n(&c.y);
        Ok(Some(Bifurcation {
            kind,
            at: c.y[n],
            x: c.y.as_slice()[..n].to_vec(),
            period: self.period,
        }))
    }

    /// Whether the spectrum at a located zero of a test function really has the critical
    /// eigenvalue of `kind`: +1 (fold, maps) or 0 (fold, flows), −1 (flip), a complex pair on
    /// the unit circle (Neimark-Sacker) or on the imaginary axis (Hopf), to 1e-6.
    fn on_boundary(&self, kind: BifurcationKind, lin: &Linearisation) -> bool {
        const TOLERANCE: f64 = 1e-6;
        let spectrum = lin.spectrum_matrix.complex_eigenvalues();
        let scale = spectrum.iter().fold(1.0_f64, |m, e| m.max(e.norm()));
        spectrum.iter().any(|e| {
            let complex = e.im.abs() > 1e-8 * scale;
            match kind {
                BifurcationKind::Fold if self.map => !complex && (e.re - 1.0).abs() < TOLERANCE,
                BifurcationKind::Fold => !complex && e.re.abs() < TOLERANCE * scale,
                BifurcationKind::Flip => !complex && (e.re + 1.0).abs() < TOLERANCE,
                BifurcationKind::NeimarkSacker => complex && (e.norm() - 1.0).abs() < TOLERANCE,
                BifurcationKind::Hopf => complex && e.re.abs() < TOLERANCE * scale,
            }
        })
    }
}
