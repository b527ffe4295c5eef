//! PLACEHOLDER — being written by a helper. Interface is fixed.

/// Principal branch W0(z) for z >= -1/e; None outside the domain or for NaN.
pub fn lambert_w0(z: f64) -> Option<f64> {
    if z.is_nan() || z < -(-1.0f64).exp() { return None; }
    Some(lambert_w::lambert_w0(z))
}

/// Lower branch W-1(z) for -1/e <= z < 0; None outside the domain or for NaN.
pub fn lambert_wm1(z: f64) -> Option<f64> {
    if z.is_nan() || z < -(-1.0f64).exp() || z >= 0.0 { return None; }
    Some(lambert_w::lambert_wm1(z))
}
