//! Axis ranges and ticks: finite data extents, usable axis ranges, "nice" tick positions and
//! their labels.

/// Finite extent of `values`, or `None` when none is finite.
pub(crate) fn finite_extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// An axis range: `given` when it is usable, else the finite data extent with a 5 % margin,
/// else `(0, 1)`. Always finite with `lo < hi`.
pub(crate) fn axis_range(given: Option<(f64, f64)>, data: Option<(f64, f64)>) -> (f64, f64) {
    if let Some((lo, hi)) = given {
        if resolvable(lo, hi) {
            return (lo, hi);
        }
    }
    let Some((lo, hi)) = data else {
        return (0.0, 1.0);
    };
    let span = hi - lo;
    if resolvable(lo, hi) {
        let pad = 0.05 * span;
        if resolvable(lo - pad, hi + pad) {
            return (lo - pad, hi + pad);
        }
        return (lo, hi);
    }
    // Empty, sub-ulp or overflowing span: centre a readable window on the data.
    let mid = if (0.5 * lo + 0.5 * hi).is_finite() {
        0.5 * lo + 0.5 * hi
    } else {
        0.0
    };
    let half = if mid.abs() > 0.0 {
        (0.05 * mid.abs()).min(1e300)
    } else {
        0.5
    };
    (mid - half, mid + half)
}

/// True when [lo, hi] is finite, non-empty and wide enough for tick stepping: plotters' key
/// point search never terminates when the step is below the resolution of the endpoints.
fn resolvable(lo: f64, hi: f64) -> bool {
    let span = hi - lo;
    lo.is_finite() && hi.is_finite() && span.is_finite() && span > 1e-9 * lo.abs().max(hi.abs())
}

/// "Nice" tick positions (steps of 1, 2 or 5 × 10^k) covering `[lo, hi]`, about `n` of them,
/// with the step.
pub(crate) fn nice_ticks(lo: f64, hi: f64, n: usize) -> (Vec<f64>, f64) {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return (vec![lo], 1.0);
    }
    let n = n.max(1) as f64;
    let mag = 10f64.powf((span / n).log10().floor());
    // The 1-2-5 step whose tick count is closest to n.
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .min_by(|a, b| ((span / a - n).abs()).total_cmp(&(span / b - n).abs()))
        .unwrap_or(mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    let ticks = (first..=last).map(|k| k as f64 * step).collect();
    (ticks, step)
}

/// Formats a tick value with just the decimals its step needs (scientific for extreme
/// magnitudes).
pub(crate) fn format_tick(v: f64, step: f64) -> String {
    let v = if v.abs() < 1e-9 * step.abs() { 0.0 } else { v };
    if step.abs() < 1e-3 || v.abs() >= 1e5 {
        return format!("{v:.1e}");
    }
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    format!("{v:.decimals$}").replace('-', "−")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_ranges_become_resolvable() {
        // θ values equal up to their last bits once made plotters' tick search loop forever.
        let theta = 20.0f64;
        let cases = [
            (theta, f64::from_bits(theta.to_bits() + 2)),
            (theta, theta),
            (-1.7e308, 1.7e308),
            (0.0, 0.0),
            (1e-300, 2e-300),
        ];
        for (lo, hi) in cases {
            let (a, b) = axis_range(None, Some((lo, hi)));
            assert!(resolvable(a, b), "{lo}, {hi} -> {a}, {b}");
            let (a, b) = axis_range(Some((lo, hi)), None);
            assert!(resolvable(a, b), "given {lo}, {hi} -> {a}, {b}");
        }
    }

    #[test]
    fn ranges_are_sane() {
        assert!(axis_range(None, None) == (0.0, 1.0));
        let (lo, hi) = axis_range(None, Some((2.0, 2.0)));
        assert!(lo < 2.0 && hi > 2.0);
        let (lo, hi) = axis_range(Some((f64::NAN, 1.0)), Some((0.0, 10.0)));
        assert!((lo + 0.5).abs() < 1e-12 && (hi - 10.5).abs() < 1e-12);
        let (ticks, step) = nice_ticks(0.0, 1.0, 5);
        assert!((step - 0.2).abs() < 1e-12 && ticks.len() == 6);
    }
}
