//! Special functions. Owns the Lambert W function on its two real branches; nothing else.

pub mod lambert_w;

pub use lambert_w::{lambert_w0, lambert_wm1};
