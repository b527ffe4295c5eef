//! The options of a continuation run: the parameter range, the step and the point budget.

use crate::error::{require_finite, Error, Result};

/// Options of a continuation run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContinuationOptions {
    /// Start of the parameter range (the first point is solved at it).
    pub from: f64,
    /// End of the parameter range.
    pub to: f64,
    /// Initial arclength step (default 1 % of the range).
    pub ds: Option<f64>,
    /// Points per branch at most.
    pub max_points: usize,
    /// How many period doublings to follow from flips (0: only the starting branch).
    pub max_doublings: usize,
}

impl ContinuationOptions {
    /// Checks the range (finite, non-empty), the step and the point budget.
    pub fn validate(self) -> Result<Self> {
        require_finite("from", self.from)?;
        require_finite("to", self.to)?;
        if (self.to - self.from).abs() <= f64::EPSILON * self.from.abs().max(1.0) {
            return Err(Error::EmptyRange {
                name: "continuation parameter".into(),
                from: self.from,
                to: self.to,
                points: 0,
            });
        }
        if let Some(ds) = self.ds {
            crate::error::require_positive("ds", ds)?;
        }
        if self.max_points < 2 {
            return Err(Error::invalid("max_points", self.max_points as f64, ">= 2"));
        }
        Ok(self)
    }

    pub(super) fn range(&self) -> (f64, f64) {
        (self.from.min(self.to), self.from.max(self.to))
    }
}
