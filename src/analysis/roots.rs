//! Roots of a scalar function: a scan for sign changes on a grid, each refined by bisection
//! down to adjacent doubles. One finder for every model that needs roots (fixed points of the
//! synapse maps, the balanced weights of the many-synapse layer, polynomial spike times).

/// Bisection of a sign change of `g` on [a, b] down to adjacent doubles; returns the end
/// with the smaller |g| when the bracket can no longer be halved, or a midpoint where g is
/// exactly 0.
pub fn bisect(g: &impl Fn(f64) -> f64, mut a: f64, mut b: f64) -> f64 {
    let mut ga = g(a);
    loop {
        let mid = 0.5 * (a + b);
        if mid <= a || mid >= b {
            return if g(a).abs() <= g(b).abs() { a } else { b };
        }
        let gm = g(mid);
        if gm == 0.0 {
            return mid;
        }
        if gm.signum() == ga.signum() {
            a = mid;
            ga = gm;
        } else {
            b = mid;
        }
    }
}

/// The roots of `g` found on the grid `x_k = step·k` for k = `last` down to `first`: where
/// two neighbouring values change sign (both finite, the lower one non-zero) the root is
/// bisected, and a grid value of exactly 0 is a root itself. Returned in decreasing x. Roots
/// where g only touches 0 are not found.
pub fn scan_roots(g: &impl Fn(f64) -> f64, step: f64, (first, last): (usize, usize)) -> Vec<f64> {
    let mut roots = Vec::new();
    let mut x_prev = step * last as f64;
    let mut g_prev = g(x_prev);
    for k in (first..last).rev() {
        let x = step * k as f64;
        let gx = g(x);
        if g_prev == 0.0 {
            roots.push(x_prev);
        } else if gx.is_finite()
            && g_prev.is_finite()
            && gx != 0.0
            && gx.signum() != g_prev.signum()
        {
            roots.push(bisect(g, x, x_prev));
        }
        x_prev = x;
        g_prev = gx;
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_sign_change_to_the_last_double() {
        // sin on (0, 10]: roots π, 2π, 3π.
        let roots = scan_roots(&f64::sin, 0.01, (1, 1000));
        let pi = std::f64::consts::PI;
        assert_eq!(roots.len(), 3);
        for (r, k) in roots.iter().zip([3.0, 2.0, 1.0]) {
            assert!((r - k * pi).abs() <= 4.0 * f64::EPSILON * k * pi, "{r}");
        }
        // x² − 2 from both sides; NaN pieces are skipped.
        let r = bisect(&|x: f64| x * x - 2.0, 0.0, 2.0);
        assert!((r - 2f64.sqrt()).abs() <= f64::EPSILON);
        let g = |x: f64| if x < 1.0 { f64::NAN } else { x - 1.5 };
        assert_eq!(scan_roots(&g, 0.25, (1, 8)), vec![1.5]);
    }
}
