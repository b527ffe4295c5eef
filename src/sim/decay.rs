//! Decaying state without subnormal numbers.
//!
//! Conductances, traces and currents decay geometrically for thousands of steps between
//! inputs; below about 1e-308 they become subnormal floats, and on common x86 cores every
//! operation on a subnormal takes a slow microcode assist (5-8× slower training measured on
//! this project's machines). The simulator decides this in the model, the same way on every
//! machine and thread count: a decaying quantity whose magnitude falls below [`FLOOR`] of its
//! natural scale (1 for conductances and traces, whose increments are of order 1) is exactly
//! 0. At 1e-30 of its scale a conductance or trace changes nothing a simulation can resolve.

/// Magnitude below which a decaying quantity (of scale ~1) is exactly 0.
pub const FLOOR: f64 = 1e-30;

/// `x · factor`, or exactly 0 when the product's magnitude falls below [`FLOOR`].
#[inline]
pub fn decay(x: f64, factor: f64) -> f64 {
    let y = x * factor;
    if y.abs() < FLOOR {
        0.0
    } else {
        y
    }
}

/// Multiplies every element by `factor`, flushing those that fall below [`FLOOR`] to 0.
#[inline]
pub fn decay_all(values: &mut [f64], factor: f64) {
    values.iter_mut().for_each(|x| *x = decay(*x, factor));
}

/// True if `x` is a subnormal float (non-zero, below the smallest normal magnitude).
pub fn is_subnormal(x: f64) -> bool {
    x != 0.0 && x.abs() < f64::MIN_POSITIVE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decay_reaches_exact_zero_instead_of_subnormals() {
        let mut x = 1.0;
        let mut steps = 0;
        while x != 0.0 {
            x = decay(x, (-0.5f64 / 20.0).exp());
            assert!(!is_subnormal(x));
            steps += 1;
        }
        // ln(1e30) / (0.5/20) = 2763.1 steps to fall below the floor.
        assert_eq!(steps, 2764);
        assert!(is_subnormal(1e-310) && !is_subnormal(0.0) && !is_subnormal(1e-300));
    }
}
