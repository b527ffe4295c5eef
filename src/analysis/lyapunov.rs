//! Lyapunov exponents of maps and flows.
//!
//! * [`largest_1d`]: λ = ⟨ln |f'(x_n)|⟩ for one-dimensional maps, with the map's Jacobian.
//! * [`map_spectrum`]: the full spectrum of an n-D map by the Benettin/QR method: the tangent
//!   basis Q is pushed forward by Df and re-orthonormalised every step (modified Gram–Schmidt);
//!   λ_i = ⟨ln R_ii⟩ (Benettin et al. 1980, Meccanica 15:9).
//! * [`flow_spectrum`]: the same for a flow, integrating the state and its tangent system
//!   dY/dt = Df(x) Y with fixed-step RK4 and re-orthonormalising every `renorm_every` steps.
//! * [`two_trajectory`]: the largest exponent of a non-smooth map from the separation of two
//!   nearby orbits, renormalised every step (no derivative needed).
//!
//! Every result carries an [`OrbitStatus`]: an orbit that enters a region where the map is the
//! identity is `absorbed` (exponents exactly 0 there, reported as such, never as chaos-free
//! data), one that leaves every bound is `diverged` (exponents NaN, JSON null).

use super::system::{Flow, Map, OrbitStatus};
use super::two_copy::{two_copy, Evolving, Renormalise};
use crate::error::{Error, Result};

/// Settings of a Lyapunov computation.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LyapunovOptions {
    /// Iterations (maps) or RK4 steps (flows) discarded before averaging.
    pub transient: usize,
    /// Iterations (maps) or RK4 steps (flows) averaged over.
    pub steps: usize,
    /// RK4 step of flows, in the flow's time unit.
    pub dt: f64,
    /// Re-orthonormalise the tangent basis of a flow every this many RK4 steps.
    pub renorm_every: usize,
    /// Initial separation of the two-trajectory method.
    pub separation: f64,
}

impl Default for LyapunovOptions {
    fn default() -> Self {
        Self {
            transient: 1_000,
            steps: 100_000,
            dt: 0.01,
            renorm_every: 1,
            separation: 1e-9,
        }
    }
}

impl LyapunovOptions {
    /// Validates the options (steps ≥ 1, dt > 0, renorm_every ≥ 1, separation in (0, 1e-3]).
    pub fn validate(self) -> Result<Self> {
        if self.steps == 0 {
            return Err(Error::invalid("steps", 0.0, ">= 1"));
        }
        crate::error::require_positive("dt", self.dt)?;
        if self.renorm_every == 0 {
            return Err(Error::invalid("renorm_every", 0.0, ">= 1"));
        }
        if !(self.separation > 0.0 && self.separation <= 1e-3) {
            return Err(Error::invalid(
                "separation",
                self.separation,
                "in (0, 1e-3]",
            ));
        }
        Ok(self)
    }
}

/// Outcome of a Lyapunov computation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LyapunovResult {
    /// Exponents in decreasing order, per iteration (maps) or per time unit (flows).
    /// All 0 when `absorbed`, all NaN when `diverged`.
    pub exponents: Vec<f64>,
    /// What became of the orbit.
    pub status: OrbitStatus,
    /// Averaged steps actually taken before the orbit was absorbed or diverged (= `steps` when ok).
    pub steps_done: usize,
    /// The method used: "derivative_1d", "benettin_qr", "two_trajectory".
    pub method: &'static str,
}

impl LyapunovResult {
    /// The largest exponent (NaN when the orbit diverged).
    pub fn largest(&self) -> f64 {
        self.exponents.first().copied().unwrap_or(f64::NAN)
    }

    fn stopped(status: OrbitStatus, dim: usize, steps_done: usize, method: &'static str) -> Self {
        let value = if status == OrbitStatus::Absorbed {
            0.0
        } else {
            f64::NAN
        };
        Self {
            exponents: vec![value; dim],
            status,
            steps_done,
            method,
        }
    }
}

/// Checks the start and runs the transient: the state after it, or the status that stopped
/// the orbit (absorbed or diverged) before averaging began.
fn settle<M: Map + ?Sized>(
    map: &M,
    x0: &[f64],
    transient: usize,
) -> Result<std::result::Result<Vec<f64>, OrbitStatus>> {
    let dim = map.dim();
    if x0.len() != dim {
        return Err(Error::InvalidParameter {
            name: "x0".into(),
            value: format!("{x0:?}"),
            requirement: format!("a state of dimension {dim}"),
        });
    }
    for &v in x0 {
        crate::error::require_finite("x0", v)?;
    }
    let mut x = x0.to_vec();
    let mut next = vec![0.0; dim];
    let mut status = map.classify(&x);
    for _ in 0..transient {
        if status != OrbitStatus::Ok {
            break;
        }
        map.step(&x, &mut next);
        x.copy_from_slice(&next);
        status = map.classify(&x);
    }
    Ok(if status == OrbitStatus::Ok {
        Ok(x)
    } else {
        Err(status)
    })
}

/// Largest (only) exponent of a one-dimensional map: λ = (1/N) Σ ln |f'(x_n)|.
pub fn largest_1d<M: Map + ?Sized>(
    map: &M,
    x0: &[f64],
    opts: &LyapunovOptions,
) -> Result<LyapunovResult> {
    const METHOD: &str = "derivative_1d";
    if map.dim() != 1 {
        return Err(Error::InvalidParameter {
            name: "system".into(),
            value: format!("dimension {}", map.dim()),
            requirement: "one-dimensional for the derivative method".into(),
        });
    }
    let mut x = match settle(map, x0, opts.transient)? {
        Ok(x) => [x[0]],
        Err(status) => return Ok(LyapunovResult::stopped(status, 1, 0, METHOD)),
    };
    let mut next = [0.0];
    let mut slope = [0.0];
    let mut log_sum = 0.0;
    for n in 0..opts.steps {
        map.step_and_jacobian(&x, &mut next, &mut slope);
        log_sum += slope[0].abs().ln();
        x[0] = next[0];
        let status = map.classify(&x);
        if status != OrbitStatus::Ok {
            return Ok(LyapunovResult::stopped(status, 1, n + 1, METHOD));
        }
    }
    Ok(LyapunovResult {
        exponents: vec![log_sum / opts.steps as f64],
        status: OrbitStatus::Ok,
        steps_done: opts.steps,
        method: METHOD,
    })
}

/// Orthonormalises the columns of the column-major `n × n` matrix `q` in place (modified
/// Gram–Schmidt) and adds ln ‖column_i‖ (= ln R_ii of the QR factorisation) to `log_sums[i]`.
fn orthonormalise(q: &mut [f64], n: usize, log_sums: &mut [f64]) {
    for i in 0..n {
        for j in 0..i {
            let (done, rest) = q.split_at_mut(i * n);
            let qj = &done[j * n..(j + 1) * n];
            let qi = &mut rest[..n];
            let projection: f64 = qi.iter().zip(qj).map(|(a, b)| a * b).sum();
            qi.iter_mut()
                .zip(qj)
                .for_each(|(a, b)| *a -= projection * b);
        }
        let column = &mut q[i * n..(i + 1) * n];
        let norm = column.iter().map(|v| v * v).sum::<f64>().sqrt();
        log_sums[i] += norm.ln();
        column.iter_mut().for_each(|v| *v /= norm);
    }
}

/// out = J · q for row-major `J` and column-major `q`, `out` column-major.
fn jacobian_times_basis(jac: &[f64], q: &[f64], n: usize, out: &mut [f64]) {
    for col in 0..n {
        for row in 0..n {
            out[col * n + row] = (0..n).map(|k| jac[row * n + k] * q[col * n + k]).sum();
        }
    }
}

fn identity_basis(n: usize) -> Vec<f64> {
    let mut q = vec![0.0; n * n];
    for i in 0..n {
        q[i * n + i] = 1.0;
    }
    q
}

/// Full Lyapunov spectrum of an n-D map by the Benettin/QR method.
pub fn map_spectrum<M: Map + ?Sized>(
    map: &M,
    x0: &[f64],
    opts: &LyapunovOptions,
) -> Result<LyapunovResult> {
    const METHOD: &str = "benettin_qr";
    let n = map.dim();
    let mut x = match settle(map, x0, opts.transient)? {
        Ok(x) => x,
        Err(status) => return Ok(LyapunovResult::stopped(status, n, 0, METHOD)),
    };
    let mut next = vec![0.0; n];
    let mut q = identity_basis(n);
    let mut pushed = vec![0.0; n * n];
    let mut jac = vec![0.0; n * n];
    let mut log_sums = vec![0.0; n];
    for step in 0..opts.steps {
        map.step_and_jacobian(&x, &mut next, &mut jac);
        jacobian_times_basis(&jac, &q, n, &mut pushed);
        std::mem::swap(&mut q, &mut pushed);
        orthonormalise(&mut q, n, &mut log_sums);
        x.copy_from_slice(&next);
        let status = map.classify(&x);
        if status != OrbitStatus::Ok {
            return Ok(LyapunovResult::stopped(status, n, step + 1, METHOD));
        }
    }
    let mut exponents: Vec<f64> = log_sums.iter().map(|s| s / opts.steps as f64).collect();
    exponents.sort_by(|a, b| b.total_cmp(a));
    Ok(LyapunovResult {
        exponents,
        status: OrbitStatus::Ok,
        steps_done: opts.steps,
        method: METHOD,
    })
}

/// Largest exponent of a (possibly non-smooth) map from two nearby orbits: the second orbit is
/// kept at distance `separation` along the current separation direction after every step, and
/// λ = (1/N) Σ ln(d_n / separation) — the [`two_copy`] method on the map.
pub fn two_trajectory<M: Map + ?Sized>(
    map: &M,
    x0: &[f64],
    opts: &LyapunovOptions,
) -> Result<LyapunovResult> {
    const METHOD: &str = "two_trajectory";
    let n = map.dim();
    let x = match settle(map, x0, opts.transient)? {
        Ok(x) => x,
        Err(status) => return Ok(LyapunovResult::stopped(status, n, 0, METHOD)),
    };
    let orbit = MapOrbit { map, x };
    let (r, _) = two_copy(
        &orbit,
        (opts.separation, Renormalise::EveryStep),
        &vec![1.0; n],
        0,
        opts.steps,
    );
    if r.status != OrbitStatus::Ok {
        return Ok(LyapunovResult::stopped(r.status, n, r.steps, METHOD));
    }
    Ok(LyapunovResult {
        exponents: vec![r.lambda],
        status: OrbitStatus::Ok,
        steps_done: opts.steps,
        method: METHOD,
    })
}

/// A map's orbit as an [`Evolving`] system (the whole state measured).
struct MapOrbit<'a, M: ?Sized> {
    map: &'a M,
    x: Vec<f64>,
}

impl<M: ?Sized> Clone for MapOrbit<'_, M> {
    fn clone(&self) -> Self {
        Self {
            map: self.map,
            x: self.x.clone(),
        }
    }
}

impl<M: Map + ?Sized> Evolving for MapOrbit<'_, M> {
    fn state(&self) -> Vec<f64> {
        self.x.clone()
    }
    fn set_state(&mut self, x: &[f64]) {
        self.x.copy_from_slice(x);
    }
    fn advance(&mut self, _n: usize) {
        let mut next = vec![0.0; self.x.len()];
        self.map.step(&self.x, &mut next);
        self.x = next;
    }
    fn status(&self) -> OrbitStatus {
        self.map.classify(&self.x)
    }
}

/// The largest exponent of a map by the method that suits it: the derivative method for smooth
/// 1-D maps, the two-trajectory method for non-smooth maps, Benettin/QR otherwise.
pub fn largest<M: Map + ?Sized>(
    map: &M,
    x0: &[f64],
    opts: &LyapunovOptions,
) -> Result<LyapunovResult> {
    if !map.is_smooth() {
        two_trajectory(map, x0, opts)
    } else if map.dim() == 1 {
        largest_1d(map, x0, opts)
    } else {
        map_spectrum(map, x0, opts)
    }
}

/// The extended state (x, Y) of a flow with its tangent basis, and RK4 on it.
struct TangentRk4 {
    n: usize,
    k: [Vec<f64>; 4],
    stage: Vec<f64>,
    jac: Vec<f64>,
}

impl TangentRk4 {
    fn new(n: usize) -> Self {
        let len = n + n * n;
        Self {
            n,
            k: [
                vec![0.0; len],
                vec![0.0; len],
                vec![0.0; len],
                vec![0.0; len],
            ],
            stage: vec![0.0; len],
            jac: vec![0.0; n * n],
        }
    }

    /// d/dt (x, Y) = (f(x), Df(x) Y), Y column-major after x.
    fn derivative<F: Flow + ?Sized>(
        flow: &F,
        n: usize,
        jac: &mut [f64],
        s: &[f64],
        out: &mut [f64],
    ) {
        let (x, y) = s.split_at(n);
        let (dx, dy) = out.split_at_mut(n);
        flow.rhs(x, dx);
        flow.jacobian(x, jac);
        jacobian_times_basis(jac, y, n, dy);
    }

    fn step<F: Flow + ?Sized>(&mut self, flow: &F, s: &mut [f64], dt: f64) {
        let n = self.n;
        let weights = [0.5 * dt, 0.5 * dt, dt];
        Self::derivative(flow, n, &mut self.jac, s, &mut self.k[0]);
        for (stage, weight) in weights.into_iter().enumerate() {
            for ((out, base), slope) in self.stage.iter_mut().zip(s.iter()).zip(&self.k[stage]) {
                *out = base + weight * slope;
            }
            let (_, rest) = self.k.split_at_mut(stage + 1);
            Self::derivative(flow, n, &mut self.jac, &self.stage, &mut rest[0]);
        }
        let [k1, k2, k3, k4] = &self.k;
        for (i, value) in s.iter_mut().enumerate() {
            *value += dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
        }
    }
}

/// Full Lyapunov spectrum of a flow: fixed-step RK4 on the state and tangent system,
/// re-orthonormalised every `renorm_every` steps; exponents per unit time.
pub fn flow_spectrum<F: Flow + ?Sized>(
    flow: &F,
    x0: &[f64],
    opts: &LyapunovOptions,
) -> Result<LyapunovResult> {
    const METHOD: &str = "benettin_qr";
    let n = flow.dim();
    if x0.len() != n || x0.iter().any(|v| !v.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "x0".into(),
            value: format!("{x0:?}"),
            requirement: format!("a finite state of dimension {n}"),
        });
    }
    let mut rk = TangentRk4::new(n);
    let mut s = vec![0.0; n + n * n];
    s[..n].copy_from_slice(x0);
    s[n..].copy_from_slice(&identity_basis(n));
    // `validate` guarantees >= 1; the guard keeps an unvalidated 0 from dividing by zero.
    let renorm_every = opts.renorm_every.max(1);
    let mut discarded = vec![0.0; n];
    for step in 0..opts.transient {
        rk.step(flow, &mut s, opts.dt);
        let status = flow.classify(&s[..n]);
        if status != OrbitStatus::Ok {
            return Ok(LyapunovResult::stopped(status, n, 0, METHOD));
        }
        if step % renorm_every == 0 {
            orthonormalise(&mut s[n..], n, &mut discarded);
        }
    }
    s[n..].copy_from_slice(&identity_basis(n));
    let mut log_sums = vec![0.0; n];
    for step in 0..opts.steps {
        rk.step(flow, &mut s, opts.dt);
        let status = flow.classify(&s[..n]);
        if status != OrbitStatus::Ok {
            return Ok(LyapunovResult::stopped(status, n, step + 1, METHOD));
        }
        if (step + 1) % renorm_every == 0 || step + 1 == opts.steps {
            orthonormalise(&mut s[n..], n, &mut log_sums);
        }
    }
    let total_time = opts.steps as f64 * opts.dt;
    let mut exponents: Vec<f64> = log_sums.iter().map(|v| v / total_time).collect();
    exponents.sort_by(|a, b| b.total_cmp(a));
    Ok(LyapunovResult {
        exponents,
        status: OrbitStatus::Ok,
        steps_done: opts.steps,
        method: METHOD,
    })
}

#[cfg(test)]
mod tests;
