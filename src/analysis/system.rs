//! The capability traits every analysis is written against.
//!
//! * [`Map`]: a discrete map `x_{n+1} = f(x_n)`; required: [`Map::dim`] and [`Map::step`].
//! * [`Flow`]: an autonomous ODE `dx/dt = f(x)`; required: [`Flow::dim`] and [`Flow::rhs`].
//!
//! Both carry a Jacobian with a central finite-difference default that a system overrides
//! with its analytic one, and a classification of states ([`OrbitStatus`]) so analyses can tell
//! a regular orbit from one absorbed in a region where the map is the identity or one that
//! diverged.

/// What became of an orbit (or what a state is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrbitStatus {
    /// A regular state: the result is meaningful.
    Ok,
    /// The orbit entered a region where the map is the identity (e.g. the silent region
    /// w < w_c of the synapse map); its Lyapunov exponent is exactly 0 by construction and
    /// says nothing about chaos.
    Absorbed,
    /// The orbit left every bound (non-finite, or beyond the system's escape radius).
    Diverged,
    /// A rate in the system became singular (e.g. the drive of variable plasticity reached
    /// η_max, MODEL.md §5): the model itself stops being defined there.
    BlownUp,
}

impl OrbitStatus {
    /// The lower-case name used in JSON and CSV output.
    pub fn as_str(self) -> &'static str {
        match self {
            OrbitStatus::Ok => "ok",
            OrbitStatus::Absorbed => "absorbed",
            OrbitStatus::Diverged => "diverged",
            OrbitStatus::BlownUp => "blown_up",
        }
    }
}

/// A system's dynamics: a discrete map or a flow.
pub enum Dynamics {
    /// A discrete map.
    Map(Box<dyn Map + Send>),
    /// A flow.
    Flow(Box<dyn Flow + Send>),
}

/// Relative step of the central finite-difference Jacobian: h_j = FD_STEP · max(1, |x_j|).
/// The cube root of machine epsilon balances truncation and rounding error.
pub const FD_STEP: f64 = 6.055_454_452_393_343e-6;

/// Default escape radius: a state with a component beyond it has diverged.
pub const DEFAULT_ESCAPE_RADIUS: f64 = 1e12;

/// A discrete map `x_{n+1} = f(x_n)` on R^dim.
pub trait Map: Sync {
    /// State dimension.
    fn dim(&self) -> usize;

    /// Writes f(x) into `out` (both of length [`Map::dim`]).
    fn step(&self, x: &[f64], out: &mut [f64]);

    /// Writes the Jacobian Df(x), row-major (`out[i * dim + j] = ∂f_i/∂x_j`).
    /// Default: central finite differences of [`Map::step`].
    fn jacobian(&self, x: &[f64], out: &mut [f64]) {
        central_difference(self.dim(), x, out, |y, fy| self.step(y, fy));
    }

    /// Writes f(x) into `out` and Df(x) into `jac` in one call. Default: [`Map::jacobian`] then
    /// [`Map::step`]; maps whose step and Jacobian share costly intermediate quantities
    /// override it (the hot loop of the Lyapunov methods calls this).
    fn step_and_jacobian(&self, x: &[f64], out: &mut [f64], jac: &mut [f64]) {
        self.jacobian(x, jac);
        self.step(x, out);
    }

    /// Classifies a state. Default: [`OrbitStatus::Diverged`] when a component is non-finite
    /// or beyond [`DEFAULT_ESCAPE_RADIUS`], otherwise [`OrbitStatus::Ok`]. Maps with a
    /// region where they are the identity override this to report
    /// [`OrbitStatus::Absorbed`] there.
    fn classify(&self, x: &[f64]) -> OrbitStatus {
        default_classify(x)
    }

    /// True when the map is smooth everywhere it is used (so tangent-space methods apply).
    /// Maps with kinks or jumps (tent map, clipped rules) return false and the Lyapunov
    /// driver uses the two-trajectory method instead.
    fn is_smooth(&self) -> bool {
        true
    }
}

/// An autonomous flow `dx/dt = f(x)` on R^dim.
pub trait Flow: Sync {
    /// State dimension.
    fn dim(&self) -> usize;

    /// Writes f(x) into `out`.
    fn rhs(&self, x: &[f64], out: &mut [f64]);

    /// Writes the Jacobian Df(x), row-major. Default: central finite differences of
    /// [`Flow::rhs`].
    fn jacobian(&self, x: &[f64], out: &mut [f64]) {
        central_difference(self.dim(), x, out, |y, fy| self.rhs(y, fy));
    }

    /// Classifies a state; see [`Map::classify`].
    fn classify(&self, x: &[f64]) -> OrbitStatus {
        default_classify(x)
    }
}

/// [`OrbitStatus::Diverged`] for non-finite or escaped states, else [`OrbitStatus::Ok`].
pub fn default_classify(x: &[f64]) -> OrbitStatus {
    if x.iter()
        .all(|v| v.is_finite() && v.abs() <= DEFAULT_ESCAPE_RADIUS)
    {
        OrbitStatus::Ok
    } else {
        OrbitStatus::Diverged
    }
}

/// Central finite-difference Jacobian of `f` at `x`, written row-major into `out`.
///
/// ∂f_i/∂x_j ≈ (f_i(x + h e_j) − f_i(x − h e_j)) / (2h), h = FD_STEP · max(1, |x_j|).
pub fn central_difference(
    dim: usize,
    x: &[f64],
    out: &mut [f64],
    mut f: impl FnMut(&[f64], &mut [f64]),
) {
    let mut probe = x.to_vec();
    let mut f_plus = vec![0.0; dim];
    let mut f_minus = vec![0.0; dim];
    for j in 0..dim {
        let h = FD_STEP * x[j].abs().max(1.0);
        probe[j] = x[j] + h;
        f(&probe, &mut f_plus);
        probe[j] = x[j] - h;
        f(&probe, &mut f_minus);
        probe[j] = x[j];
        for i in 0..dim {
            out[i * dim + j] = (f_plus[i] - f_minus[i]) / (2.0 * h);
        }
    }
}

/// The central difference (f(x + h) − f(x − h)) / 2h from the three values, and whether its
/// two one-sided halves (f(x + h) − f(x)) / h and (f(x) − f(x − h)) / h agree to 10⁻³ of
/// their size plus 10⁻⁶: a piecewise-smooth map that jumped within ±h (a simulated spike that
/// moved across a step) does not.
pub fn checked_central_difference(plus: f64, minus: f64, base: f64, h: f64) -> (f64, bool) {
    let (forward, backward) = ((plus - base) / h, (base - minus) / h);
    let smooth = (forward - backward).abs() <= 1e-3 * forward.abs().max(backward.abs()) + 1e-6;
    ((plus - minus) / (2.0 * h), smooth)
}

/// Allocating convenience: the Jacobian of a map at `x` as a row-major vector.
pub fn map_jacobian<M: Map + ?Sized>(map: &M, x: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; map.dim() * map.dim()];
    map.jacobian(x, &mut out);
    out
}

/// Forwards [`Map`] through a pointer type, so `&M`, `&dyn Map` and `Box<dyn Map>` are maps.
macro_rules! forward_map {
    ($($pointer:ty),*) => {$(
        impl<T: Map + ?Sized> Map for $pointer {
            fn dim(&self) -> usize {
                (**self).dim()
            }
            fn step(&self, x: &[f64], out: &mut [f64]) {
                (**self).step(x, out)
            }
            fn jacobian(&self, x: &[f64], out: &mut [f64]) {
                (**self).jacobian(x, out)
            }
            fn step_and_jacobian(&self, x: &[f64], out: &mut [f64], jac: &mut [f64]) {
                (**self).step_and_jacobian(x, out, jac)
            }
            fn classify(&self, x: &[f64]) -> OrbitStatus {
                (**self).classify(x)
            }
            fn is_smooth(&self) -> bool {
                (**self).is_smooth()
            }
        }
    )*};
}

forward_map!(&T, Box<T>);

impl<T: Flow + ?Sized> Flow for &T {
    fn dim(&self) -> usize {
        (**self).dim()
    }
    fn rhs(&self, x: &[f64], out: &mut [f64]) {
        (**self).rhs(x, out)
    }
    fn jacobian(&self, x: &[f64], out: &mut [f64]) {
        (**self).jacobian(x, out)
    }
    fn classify(&self, x: &[f64]) -> OrbitStatus {
        (**self).classify(x)
    }
}
