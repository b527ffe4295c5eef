//! PLACEHOLDER (helper writing it).
#![allow(missing_docs)]
use crate::special::{lambert_w0, lambert_wm1};
use crate::Result;
#[derive(Debug, Clone, Copy)]
pub struct QSpikeParams { pub k: f64, pub theta: f64, pub tau_m_ms: f64 }
impl QSpikeParams {
    pub fn new(k: f64, theta: f64, tau_m_ms: f64) -> Result<Self> { Ok(Self { k, theta, tau_m_ms }) }
    pub fn w_c(&self) -> f64 { std::f64::consts::E * self.theta / (self.k * self.tau_m_ms) }
    pub fn spike_time_ms(&self, w: f64) -> Option<f64> { if !(w >= self.w_c()) { return None; } lambert_w0(-self.theta / (w * self.k * self.tau_m_ms)).map(|x| -self.tau_m_ms * x) }
    pub fn down_crossing_ms(&self, w: f64) -> Option<f64> { if !(w >= self.w_c()) { return None; } lambert_wm1(-self.theta / (w * self.k * self.tau_m_ms)).map(|x| -self.tau_m_ms * x) }
    pub fn dspike_dw(&self, w: f64) -> Option<f64> { if !(w > self.w_c()) { return None; } let z = lambert_w0(-self.theta / (w * self.k * self.tau_m_ms))?; Some(self.tau_m_ms * z / (w * (1.0 + z))) }
}
