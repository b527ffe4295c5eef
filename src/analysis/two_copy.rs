//! The two-copy estimate of the largest Lyapunov exponent (Benettin et al. 1976), written
//! once for anything that evolves step by step: a map, or a network that learns from a
//! sequence of samples (NETWORKS.md §5, the Lyapunov exponent of learning).
//!
//! Two copies start a distance d0 apart along a given direction; after every step the distance
//! d of their measured states is taken and ln(d/d_before) accumulated. The exponent is the
//! mean of that per-step growth, with the standard error of the mean. Each step may use
//! external input, the same for both copies (common random numbers).
//!
//! Only the measured part of the state (a network's learning state) can be compared and
//! renormalised; the rest of each copy (membranes, traces, spike times) evolves on its own.
//! Putting the second copy back at d0 rescales the measured difference but not the hidden
//! one, which knocks the pair off the slowest mode and biases the next steps' growth (1.2 %
//! of λ for the simulated pair synapse when renormalised after every step). Such systems
//! renormalise only when d leaves a band ([`Renormalise::Outside`]): the mismatch enters once
//! per excursion instead of once per step. Systems whose whole state is measured (maps)
//! renormalise after every step ([`Renormalise::EveryStep`]).

use super::system::OrbitStatus;

/// A system the two-copy method can advance.
pub trait Evolving: Clone {
    /// The measured state.
    fn state(&self) -> Vec<f64>;
    /// Writes the measured state.
    fn set_state(&mut self, x: &[f64]);
    /// Advances by step `n` (the n-th since the start: the input of step n is the same for
    /// both copies).
    fn advance(&mut self, n: usize);
    /// What became of it (absorbed or diverged orbits stop the estimate).
    fn status(&self) -> OrbitStatus {
        OrbitStatus::Ok
    }
}

/// When the second copy is put back at d0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Renormalise {
    /// After every step.
    EveryStep,
    /// When the distance leaves [below, above] (absolute distances, below ≤ d0 ≤ above).
    Outside {
        /// Lower end.
        below: f64,
        /// Upper end.
        above: f64,
    },
}

/// The estimate.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TwoCopy {
    /// Mean growth ln(d/d_before) per step (−∞ when the copies merged).
    pub lambda: f64,
    /// Standard error of that mean (NaN with fewer than two steps).
    pub stderr: f64,
    /// Steps averaged.
    pub steps: usize,
    /// The copies merged (d = 0) at some step.
    pub locked: bool,
    /// What became of the first copy.
    pub status: OrbitStatus,
    /// The separation d0.
    pub d0: f64,
}

/// Runs `transient` steps of one copy, then `steps` steps of two copies `d0` apart, the second
/// displaced along `direction` (any non-zero vector; normalised here) and put back at d0 as
/// `renormalise` says. Returns the estimate and the first copy as it ended.
pub fn two_copy<S: Evolving>(
    system: &S,
    (d0, renormalise): (f64, Renormalise),
    direction: &[f64],
    transient: usize,
    steps: usize,
) -> (TwoCopy, S) {
    let stopped = |status, done| TwoCopy {
        lambda: if status == OrbitStatus::Absorbed {
            0.0
        } else {
            f64::NAN
        },
        stderr: f64::NAN,
        steps: done,
        locked: false,
        status,
        d0,
    };
    let mut a = system.clone();
    for n in 0..transient {
        if a.status() != OrbitStatus::Ok {
            return (stopped(a.status(), 0), a);
        }
        a.advance(n);
    }
    if a.status() != OrbitStatus::Ok {
        return (stopped(a.status(), 0), a);
    }
    let norm = direction.iter().map(|v| v * v).sum::<f64>().sqrt();
    let unit: Vec<f64> = direction.iter().map(|v| v / norm).collect();
    let displaced =
        |x: &[f64]| -> Vec<f64> { x.iter().zip(&unit).map(|(xi, u)| xi + d0 * u).collect() };
    let mut b = a.clone();
    b.set_state(&displaced(&a.state()));
    // Welford's running mean and sum of squared deviations (no cancellation).
    let (mut mean, mut m2, mut locked) = (0.0, 0.0, false);
    // The distance after the previous step (d0 right after a renormalisation).
    let mut before = d0;
    for k in 0..steps {
        let n = transient + k;
        a.advance(n);
        b.advance(n);
        if a.status() != OrbitStatus::Ok {
            return (stopped(a.status(), k + 1), a);
        }
        let (xa, xb) = (a.state(), b.state());
        let d = xa
            .iter()
            .zip(&xb)
            .map(|(p, q)| (p - q) * (p - q))
            .sum::<f64>()
            .sqrt();
        if d > 0.0 {
            let r = (d / before).ln();
            let delta = r - mean;
            mean += delta / (k + 1) as f64;
            m2 += delta * (r - mean);
            let keep = match renormalise {
                Renormalise::EveryStep => false,
                Renormalise::Outside { below, above } => (below..=above).contains(&d),
            };
            if keep {
                before = d;
            } else {
                let back: Vec<f64> = xa
                    .iter()
                    .zip(&xb)
                    .map(|(p, q)| p + d0 * (q - p) / d)
                    .collect();
                b.set_state(&back);
                before = d0;
            }
        } else {
            // The copies merged (a contracting flat piece): restart the companion; a −∞
            // contribution makes the exponent −∞, which is the true answer.
            locked = true;
            b.set_state(&displaced(&xa));
            before = d0;
        }
    }
    let variance = m2 / (steps as f64 - 1.0);
    let estimate = TwoCopy {
        lambda: if locked { f64::NEG_INFINITY } else { mean },
        stderr: (variance / steps as f64).sqrt(),
        steps,
        locked,
        status: OrbitStatus::Ok,
        d0,
    };
    (estimate, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// x ↦ a x on the measured coordinate, with an unmeasured step counter.
    #[derive(Clone)]
    struct Scaling {
        a: f64,
        x: f64,
        count: usize,
    }

    impl Evolving for Scaling {
        fn state(&self) -> Vec<f64> {
            vec![self.x]
        }
        fn set_state(&mut self, x: &[f64]) {
            self.x = x[0];
        }
        fn advance(&mut self, n: usize) {
            assert_eq!(n, self.count, "both copies see step n as the n-th");
            self.count += 1;
            self.x *= self.a;
        }
    }

    #[test]
    fn a_linear_scaling_has_exponent_ln_a_and_no_spread() {
        // A linear map is exact for any separation; d0 = 1 keeps |x| ≤ 3^12 well resolved.
        for a in [0.5, 1.0, 3.0] {
            let (r, end) = two_copy(
                &Scaling {
                    a,
                    x: 1.0,
                    count: 0,
                },
                (1.0, Renormalise::EveryStep),
                &[1.0],
                2,
                10,
            );
            assert_eq!(end.count, 12);
            assert!((r.lambda - f64::ln(a)).abs() < 1e-9, "{a}: {}", r.lambda);
            assert!(r.stderr < 1e-9 && !r.locked && r.steps == 10);
        }
        let (r, _) = two_copy(
            &Scaling {
                a: 0.0,
                x: 1.0,
                count: 0,
            },
            (1e-8, Renormalise::EveryStep),
            &[1.0],
            0,
            10,
        );
        assert!(r.locked && r.lambda.is_infinite() && r.lambda < 0.0);
    }
}
