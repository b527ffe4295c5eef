//! The Lambert W function on its two real branches, to a few ulps of *relative* error.
//!
//! W is the inverse of `w ↦ w·e^w`: `W(z)·e^{W(z)} = z`. For real `z` it has two real branches
//! that meet at the branch point `z = -1/e`, `W = -1`:
//!
//! * the principal branch `W0: [-1/e, ∞) → [-1, ∞)` ([`lambert_w0`]);
//! * the lower branch `W-1: [-1/e, 0) → (-∞, -1]` ([`lambert_wm1`]).
//!
//! This module owns the accuracy layer only. The first guess comes from the `lambert_w` crate
//! (Fukushima's piecewise minimax approximations, about 50 bits, but only *absolutely* accurate
//! near `z = 0`); each guess is then polished by one Halley step in a form whose residual
//! keeps full relative accuracy. Three regions need their own treatment:
//!
//! * `|z| ≤ 1e-3` on W0: the Taylor series `W0(z) = Σ (-n)^{n-1}/n! · z^n`, which stays
//!   relatively accurate down to subnormal `z`;
//! * near the branch point: with `t = W + 1` the defining equation becomes
//!   `g(t) = (t - 1)·e^t + 1 = e·z + 1`, whose right side is computed as `e·(z + 1/e)` with
//!   `1/e` held as a double-double, and whose left side is a power series `Σ (n-1)/n!·t^n` with
//!   no cancellation; the first guess there is the series in `p = ±√(2(e·z + 1))`;
//! * everywhere else: Halley on `f(w) = w - z·e^{-w}`, whose residual is relatively accurate
//!   (an exactly represented `w` goes into `exp`) and which neither overflows for
//!   `z → f64::MAX` nor underflows for `z → 0-` on W-1.
//!
//! Domain convention: the double nearest to `-1/e`, `-0.36787944117144233`, lies `1.24e-17`
//! *below* `-1/e`, where W is strictly complex (`-1 ± 8.2e-9 i`). Like Boost.Math and SciPy we
//! map that one double to the branch point and return `-1` (the correctly rounded real part);
//! anything below it is outside the domain.
//!
//! References: R. M. Corless, G. H. Gonnet, D. E. G. Hare, D. J. Jeffrey, D. E. Knuth,
//! "On the Lambert W function", Adv. Comput. Math. 5 (1996) 329–359 (series at 0 and at the
//! branch point, eq. 4.22); T. Fukushima, "Precise and fast computation of Lambert
//! W-functions without transcendental function evaluations", J. Comput. Appl. Math. 244 (2013).

/// High part of `1/e` as a double-double: the double nearest to `1/e`.
#[allow(clippy::excessive_precision)]
const INV_E_HI: f64 = 0.367_879_441_171_442_33;

/// Low part of `1/e` as a double-double: `1/e - INV_E_HI` rounded to a double.
const INV_E_LO: f64 = -1.242_875_367_278_836_3e-17;

/// The smallest accepted argument: the double nearest to `-1/e` (see the module docs).
pub const NEG_INV_E: f64 = -INV_E_HI;

/// Euler's number `e`, rounded to a double.
const E: f64 = std::f64::consts::E;

/// On W0, `|z|` up to this uses the Taylor series at 0.
const W0_TAYLOR_RADIUS: f64 = 1e-3;

/// Taylor coefficients of `W0(z)/z` at 0: `(-n)^{n-1}/n!` for `n = 1..=9` (Corless et al.
/// eq. 3.1). At `|z| = 1e-3` the first omitted term is below `1e-21` relative.
const W0_TAYLOR: [f64; 9] = [
    1.0,
    -1.0,
    3.0 / 2.0,
    -8.0 / 3.0,
    125.0 / 24.0,
    -54.0 / 5.0,
    16807.0 / 720.0,
    -16384.0 / 315.0,
    531441.0 / 4480.0,
];

/// W0 below this `z` (where `W0 < -0.489`) is solved in the branch-point variable `t = W + 1`.
const W0_BRANCH_ZONE: f64 = -0.3;

/// W-1 below this `z` (where `W-1 > -1.57`) is solved in the branch-point variable `t = W + 1`.
const WM1_BRANCH_ZONE: f64 = -0.33;

/// Below this `|p|` the branch-point series is the first guess, above it the `lambert_w` crate.
const BRANCH_SERIES_LIMIT: f64 = 0.05;

/// Series of `t = W + 1` in `p = ±√(2(e·z + 1))` (Corless et al. eq. 4.22): coefficients of
/// `p^1 ..= p^8`. At `|p| = 0.05` the first omitted term is below `1e-13` relative, which the
/// following Halley step cubes away.
const BRANCH_SERIES: [f64; 8] = [
    1.0,
    -1.0 / 3.0,
    11.0 / 72.0,
    -43.0 / 540.0,
    769.0 / 17280.0,
    -221.0 / 8505.0,
    680_863.0 / 43_545_600.0,
    -1963.0 / 204_120.0,
];

/// Coefficients `(n-1)/n!`, `n = 2..=21`, of `g(t) = (t - 1)·e^t + 1 = Σ_{n≥2} (n-1)/n!·t^n`.
/// In the branch zones `|t| < 0.8`, where the first omitted term is below `1e-19` relative.
#[allow(clippy::excessive_precision)]
const G_SERIES: [f64; 20] = [
    0.5,
    0.333_333_333_333_333_3,
    0.125,
    0.033_333_333_333_333_33,
    0.006_944_444_444_444_444,
    0.001_190_476_190_476_190_6,
    0.000_173_611_111_111_111_12,
    2.204_585_537_918_871_4e-5,
    2.480_158_730_158_73e-6,
    2.505_210_838_544_172e-7,
    2.296_443_268_665_491e-8,
    1.927_085_260_418_593_7e-9,
    1.491_196_927_704_864_3e-10,
    1.070_602_922_454_774_3e-11,
    7.169_215_998_581_078e-13,
    4.498_331_606_952_833e-14,
    2.655_265_184_659_658_5e-15,
    1.479_714_344_392_379_3e-16,
    7.809_603_484_293_113e-18,
    3.914_588_212_678_252_3e-19,
];

/// Below this `w` the factor `e^{-w}` is split in two halves to avoid overflow (`e^{709.8}`).
const SPLIT_EXP_BELOW: f64 = -700.0;

/// Which real branch to evaluate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Branch {
    /// `W0`, `W ≥ -1`.
    Principal,
    /// `W-1`, `W ≤ -1`.
    Lower,
}

/// Principal branch `W0(z)`, `z >= -1/e`. `None` for NaN or `z < -1/e`.
///
/// Relative error of a few ulps on the whole domain, including subnormal `z`, `z` up to
/// `f64::MAX` and `z` next to the branch point. `W0(+∞) = +∞`, `W0(±0) = ±0`, and the double
/// nearest to `-1/e` maps to `-1` (see the module docs).
///
/// ```
/// use mesonet::special::lambert_w0;
/// let omega = lambert_w0(1.0).unwrap();
/// assert!((omega * omega.exp() - 1.0).abs() < 1e-15);
/// assert!(lambert_w0(-0.5).is_none());
/// ```
pub fn lambert_w0(z: f64) -> Option<f64> {
    if z.is_nan() || z < NEG_INV_E {
        return None;
    }
    if z.is_infinite() {
        return Some(f64::INFINITY);
    }
    let w = if z.abs() <= W0_TAYLOR_RADIUS {
        w0_taylor(z)
    } else if z < W0_BRANCH_ZONE {
        near_branch_point(z, Branch::Principal)
    } else {
        halley_step(z, lambert_w::lambert_w0(z))
    };
    Some(w)
}

/// Lower branch `W-1(z)`, `-1/e <= z < 0`. `None` outside the domain or for NaN.
///
/// Relative error of a few ulps on the whole domain, including subnormal `z` (where
/// `W-1 ≈ -751`) and `z` next to the branch point. `W-1(z) → -∞` as `z → 0-`; `z = ±0` is
/// outside the domain. The double nearest to `-1/e` maps to `-1` (see the module docs).
///
/// ```
/// use mesonet::special::lambert_wm1;
/// let w = lambert_wm1(-0.1).unwrap();
/// assert!((w * w.exp() + 0.1).abs() < 1e-16);
/// assert!(lambert_wm1(0.0).is_none());
/// ```
pub fn lambert_wm1(z: f64) -> Option<f64> {
    if !(NEG_INV_E..0.0).contains(&z) {
        return None;
    }
    let w = if z < WM1_BRANCH_ZONE {
        near_branch_point(z, Branch::Lower)
    } else {
        halley_step(z, lambert_w::lambert_wm1(z))
    };
    Some(w)
}

/// Taylor series of W0 at 0, `W0(z) = z·Σ_{n≥1} (-n)^{n-1}/n!·z^{n-1}`, by Horner.
fn w0_taylor(z: f64) -> f64 {
    let ratio = W0_TAYLOR
        .iter()
        .rev()
        .fold(0.0, |acc, &coefficient| acc * z + coefficient);
    z * ratio
}

/// One Halley step on `f(w) = w - z·e^{-w}` from the guess `w`.
///
/// With `y = z·e^{-w}`: `f = w - y`, `f' = 1 + y`, `f'' = -y`, and Halley's update is
///
/// ```text
/// w ← w - n / (1 + n·y / (2 f')),   n = f / f'.
/// ```
///
/// `y` has a relative error of about one ulp for any exactly represented `w`, so the result is
/// relatively accurate to about `ε/|1 + w|`; the branch-point zone, where `1 + w → 0`, is left
/// to [`near_branch_point`].
fn halley_step(z: f64, w: f64) -> f64 {
    let y = if w < SPLIT_EXP_BELOW {
        let half = (-0.5 * w).exp();
        (z * half) * half
    } else {
        z * (-w).exp()
    };
    let residual = w - y;
    let slope = 1.0 + y;
    let newton = residual / slope;
    w - newton / (1.0 + newton * y / (2.0 * slope))
}

/// W near the branch point, solved for `t = W + 1` on `g(t) = e·z + 1`.
///
/// `e·z + 1 = e·(z + 1/e)`, where `z + 1/e = (z + INV_E_HI) + INV_E_LO` and the first sum is
/// exact (Sterbenz). The first guess is the series `t(p)` in `p = ±√(2(e·z + 1))` (sign `+` on
/// W0, `-` on W-1) when `|p|` is small, else the `lambert_w` crate; then one Halley step on
///
/// ```text
/// F(t) = g(t) - (e·z + 1),   g(t) = (t - 1)·e^t + 1,   g'(t) = t·e^t,   g''(t) = (1 + t)·e^t,
/// t ← t - n / (1 - n·(1 + t) / (2t)),   n = F / g'.
/// ```
fn near_branch_point(z: f64, branch: Branch) -> f64 {
    let distance = (z + INV_E_HI) + INV_E_LO;
    if distance <= 0.0 {
        return -1.0;
    }
    let scaled_distance = E * distance;
    let p_magnitude = (2.0 * scaled_distance).sqrt();
    let p = match branch {
        Branch::Principal => p_magnitude,
        Branch::Lower => -p_magnitude,
    };
    let t_guess = if p_magnitude < BRANCH_SERIES_LIMIT {
        branch_series(p)
    } else {
        match branch {
            Branch::Principal => lambert_w::lambert_w0(z) + 1.0,
            Branch::Lower => lambert_w::lambert_wm1(z) + 1.0,
        }
    };
    let residual = g_series(t_guess) - scaled_distance;
    let slope = t_guess * t_guess.exp();
    let newton = residual / slope;
    let t = t_guess - newton / (1.0 - newton * (1.0 + t_guess) / (2.0 * t_guess));
    -1.0 + t
}

/// `t = W + 1` as the series `Σ_{k≥1} c_k p^k` (Corless et al. eq. 4.22), by Horner.
fn branch_series(p: f64) -> f64 {
    let ratio = BRANCH_SERIES
        .iter()
        .rev()
        .fold(0.0, |acc, &coefficient| acc * p + coefficient);
    p * ratio
}

/// `g(t) = (t - 1)·e^t + 1 = t²·Σ_{n≥2} (n-1)/n!·t^{n-2}`, by Horner, without cancellation.
fn g_series(t: f64) -> f64 {
    let ratio = G_SERIES
        .iter()
        .rev()
        .fold(0.0, |acc, &coefficient| acc * t + coefficient);
    t * t * ratio
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    /// The reference table written by `scripts/lambert_w_table.py` (mpmath, 50 digits).
    const TABLE: &str = include_str!("../../tests/data/lambert_w_table.csv");

    /// Maximum relative error accepted against the table.
    const TABLE_TOLERANCE: f64 = 2e-15;

    /// One row of the reference table.
    struct Row {
        branch: i32,
        z: f64,
        w: f64,
    }

    fn table() -> Vec<Row> {
        TABLE
            .lines()
            .skip(1)
            .map(|line| {
                let fields: Vec<&str> = line.split(',').collect();
                Row {
                    branch: fields[0].parse().unwrap(),
                    z: fields[1].parse().unwrap(),
                    w: fields[2].parse().unwrap(),
                }
            })
            .collect()
    }

    /// The region a table row belongs to, for the per-region error report.
    fn region(row: &Row) -> &'static str {
        let branch_distance = (row.z + INV_E_HI) + INV_E_LO;
        match (row.branch, row.z) {
            (_, _) if branch_distance < 1e-3 => "near -1/e",
            (0, z) if z.abs() <= 1e-3 => "|z| <= 1e-3",
            (-1, z) if z > -1e-3 => "z in (-1e-3, 0)",
            _ => "elsewhere",
        }
    }

    #[test]
    fn matches_reference_table() {
        let mut worst: std::collections::BTreeMap<(i32, &str), (f64, f64)> = Default::default();
        for row in table() {
            let ours = match row.branch {
                0 => lambert_w0(row.z),
                _ => lambert_wm1(row.z),
            }
            .unwrap_or_else(|| panic!("W{}({:e}) = None", row.branch, row.z));
            let relative_error = ((ours - row.w) / row.w).abs();
            let entry = worst.entry((row.branch, region(&row))).or_default();
            if relative_error >= entry.0 {
                *entry = (relative_error, row.z);
            }
        }
        for ((branch, name), (error, z)) in &worst {
            eprintln!("W{branch} {name:>16}: max rel error {error:.3e} at z = {z:e}");
        }
        for ((branch, name), (error, z)) in worst {
            assert!(
                error <= TABLE_TOLERANCE,
                "W{branch} {name}: rel error {error:e} at z = {z:e}"
            );
        }
    }

    #[test]
    fn known_values() {
        assert_relative_eq!(
            lambert_w0(1.0).unwrap(),
            0.567_143_290_409_783_8,
            max_relative = 2e-16
        );
        assert_relative_eq!(
            lambert_wm1(-0.1).unwrap(),
            -3.577_152_063_957_297,
            max_relative = 2e-16
        );
        assert_relative_eq!(
            lambert_w0(std::f64::consts::E).unwrap(),
            1.0,
            max_relative = 2e-16
        );
        assert_relative_eq!(
            lambert_wm1(-2.0 * (-2.0f64).exp()).unwrap(),
            -2.0,
            max_relative = 2e-16
        );
        assert_relative_eq!(lambert_w0(NEG_INV_E).unwrap(), -1.0);
        assert_relative_eq!(lambert_wm1(NEG_INV_E).unwrap(), -1.0);
        assert_relative_eq!(lambert_w0(-(-1.0f64).exp()).unwrap(), -1.0);
        assert_eq!(lambert_w0(0.0), Some(0.0));
        assert!(lambert_w0(-0.0).unwrap().is_sign_negative());
        assert_eq!(lambert_w0(f64::INFINITY), Some(f64::INFINITY));
        assert_eq!(lambert_w0(f64::MIN_POSITIVE * f64::EPSILON), Some(5e-324));
    }

    #[test]
    fn domain_errors_are_none() {
        let below_branch_point = NEG_INV_E.next_down();
        for z in [f64::NAN, below_branch_point, -0.5, -1.0, f64::NEG_INFINITY] {
            assert_eq!(lambert_w0(z), None, "W0({z})");
            assert_eq!(lambert_wm1(z), None, "W-1({z})");
        }
        for z in [0.0, -0.0, 5e-324, 1.0, f64::INFINITY] {
            assert_eq!(lambert_wm1(z), None, "W-1({z})");
        }
        assert!(lambert_wm1(-5e-324).is_some());
    }

    #[test]
    fn branches_are_monotone_near_branch_point() {
        let mut z = NEG_INV_E;
        let mut previous = (-1.0, -1.0);
        for _ in 0..200 {
            z = z.next_up();
            let current = (lambert_w0(z).unwrap(), lambert_wm1(z).unwrap());
            assert!(
                current.0 > previous.0 && current.1 < previous.1,
                "at z = {z:e}"
            );
            previous = current;
        }
    }

    /// Backward error: `|w·e^w - z| / |z|` in units of `ε`, with `e^w` split in two halves so
    /// that it stays a normal number down to `w = -1400`.
    fn backward_error_ulps(z: f64, w: f64) -> f64 {
        let half = (0.5 * w).exp();
        let reproduced = (w * half) * half;
        ((reproduced - z) / z).abs() / f64::EPSILON
    }

    /// Allowed backward error in ulps: a few ulps of evaluation plus the conditioning
    /// `|dz/z| = |1 + w|·|dw/w|` of a result that is itself a few ulps off.
    fn allowed_ulps(w: f64) -> f64 {
        4.0 + 3.0 * (1.0 + w).abs()
    }

    proptest! {
        #[test]
        fn w0_inverts_w_exp_w(exponent in -300.0f64..300.0, negative in any::<bool>()) {
            let magnitude = 10f64.powf(exponent);
            let z = if negative { -magnitude.min(INV_E_HI) } else { magnitude };
            let w = lambert_w0(z).unwrap();
            prop_assert!(backward_error_ulps(z, w) <= allowed_ulps(w), "z = {z:e}, w = {w:e}");
        }

        #[test]
        fn w0_inverts_near_branch_point(fraction in 0.0f64..1.0) {
            let z = NEG_INV_E + fraction * 0.1;
            let w = lambert_w0(z).unwrap();
            prop_assert!(backward_error_ulps(z, w) <= allowed_ulps(w), "z = {z:e}, w = {w:e}");
        }

        #[test]
        fn wm1_inverts_w_exp_w(exponent in -300.0f64..-0.44) {
            let z = -(10f64.powf(exponent).min(INV_E_HI));
            let w = lambert_wm1(z).unwrap();
            prop_assert!(backward_error_ulps(z, w) <= allowed_ulps(w), "z = {z:e}, w = {w:e}");
        }

        #[test]
        fn wm1_inverts_near_branch_point(fraction in 0.0f64..1.0) {
            let z = NEG_INV_E + fraction * 0.1;
            let w = lambert_wm1(z).unwrap();
            prop_assert!(backward_error_ulps(z, w) <= allowed_ulps(w), "z = {z:e}, w = {w:e}");
        }
    }
}
