//! One row of the verification report: a claim, the poster's value, the model's value, their
//! relative error, the method and the verdict.

/// How the model's value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// A closed form derived in MODEL.md (or a root of one), to machine precision.
    ClosedForm,
    /// Central finite differences of the system itself.
    FiniteDifferences,
    /// Running the system (neuron, map or orbit) and measuring.
    Simulation,
}

impl Method {
    /// Tolerance on the relative error below which the values agree: rounding for closed
    /// forms, the O(h²) truncation of central differences, the resolution of a simulation.
    pub fn tolerance(self) -> f64 {
        match self {
            Method::ClosedForm => 1e-9,
            Method::FiniteDifferences => 1e-6,
            Method::Simulation => 1e-3,
        }
    }
}

/// The verdict of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The relative error is within the method's tolerance.
    Agrees,
    /// It is not.
    Disagrees,
    /// The poster's or the model's value does not exist (formula undefined at that point).
    Undefined,
    /// The measurement it needs was not given (e.g. a trained-network grid).
    NotMeasured,
}

/// One claim.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClaimRow {
    /// Short stable identifier (e.g. `w_star`, `jacobian_lower_left`).
    pub claim: &'static str,
    /// The poster's value, as printed (None when its formula is undefined there).
    pub poster: Option<f64>,
    /// The model's value.
    pub model: Option<f64>,
    /// |model − poster| / |poster|; the absolute difference when the poster's value is 0.
    pub rel_error: Option<f64>,
    /// How the model's value was obtained.
    pub method: Method,
    /// The verdict.
    pub verdict: Verdict,
    /// Where it was evaluated and how to read it.
    pub note: String,
}

impl ClaimRow {
    /// Compares `poster` with `model` within `method`'s tolerance.
    pub fn compare(
        claim: &'static str,
        poster: Option<f64>,
        model: Option<f64>,
        method: Method,
        note: impl Into<String>,
    ) -> Self {
        Self::compare_within(claim, poster, model, method, method.tolerance(), note)
    }

    /// Compares within an explicit tolerance (e.g. a statistical critical value).
    pub fn compare_within(
        claim: &'static str,
        poster: Option<f64>,
        model: Option<f64>,
        method: Method,
        tolerance: f64,
        note: impl Into<String>,
    ) -> Self {
        let finite = |v: Option<f64>| v.filter(|x| x.is_finite());
        let (rel_error, verdict) = match (finite(poster), finite(model)) {
            (Some(p), Some(m)) => {
                let difference = (m - p).abs();
                let rel = if p == 0.0 {
                    difference
                } else {
                    difference / p.abs()
                };
                let verdict = if rel <= tolerance {
                    Verdict::Agrees
                } else {
                    Verdict::Disagrees
                };
                (Some(rel), verdict)
            }
            _ => (None, Verdict::Undefined),
        };
        Self {
            claim,
            poster: finite(poster),
            model: finite(model),
            rel_error,
            method,
            verdict,
            note: note.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_tolerance_and_definedness() {
        let row = ClaimRow::compare("a", Some(2.0), Some(2.0 + 1e-10), Method::ClosedForm, "");
        assert_eq!(row.verdict, Verdict::Agrees);
        let row = ClaimRow::compare("a", Some(-1.0), Some(1.0), Method::FiniteDifferences, "");
        assert_eq!(row.verdict, Verdict::Disagrees);
        assert!((row.rel_error.unwrap() - 2.0).abs() < 1e-15);
        let row = ClaimRow::compare("a", None, Some(1.0), Method::Simulation, "");
        assert_eq!(row.verdict, Verdict::Undefined);
        let row = ClaimRow::compare("a", Some(f64::NAN), Some(1.0), Method::Simulation, "");
        assert_eq!((row.verdict, row.poster), (Verdict::Undefined, None));
        // Poster 0: the absolute difference decides.
        let row = ClaimRow::compare("a", Some(0.0), Some(1e-12), Method::ClosedForm, "");
        assert_eq!(row.verdict, Verdict::Agrees);
    }
}
