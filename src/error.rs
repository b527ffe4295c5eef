//! The library's error type. Every variant carries the values that explain it, so the binary
//! can print one line that names the field and the value. Input errors (exit code 2) are told
//! apart from failures of the environment (I/O, rendering) by [`Error::is_input`].

use std::path::PathBuf;

/// Result alias used throughout the library.
pub type Result<T> = std::result::Result<T, Error>;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A parameter has a value outside its domain.
    #[error("{name} must be {requirement}, got {value}")]
    InvalidParameter {
        /// The parameter's name as the user writes it.
        name: String,
        /// The offending value, formatted.
        value: String,
        /// What the value must satisfy, e.g. "> 0".
        requirement: String,
    },
    /// A `--set` or spec parameter name that the system does not have.
    #[error("unknown parameter '{name}' for {system}; valid: {valid}")]
    UnknownParameter {
        /// The unknown name.
        name: String,
        /// The system it was given to.
        system: String,
        /// Comma-separated valid names.
        valid: String,
    },
    /// An unknown system name.
    #[error("unknown system '{name}'; valid: {valid}")]
    UnknownSystem {
        /// The unknown name.
        name: String,
        /// Comma-separated valid names.
        valid: String,
    },
    /// A malformed `name=value` assignment.
    #[error("malformed assignment '{text}': expected name=value with a finite number")]
    MalformedAssignment {
        /// The text as given.
        text: String,
    },
    /// A range with no interior, or a grid with too few points.
    #[error("{name}: empty range [{from}, {to}] with {points} points")]
    EmptyRange {
        /// The range's name.
        name: String,
        /// Lower end.
        from: f64,
        /// Upper end.
        to: f64,
        /// Number of points asked for.
        points: usize,
    },
    /// A spec file that does not parse or does not validate.
    #[error("{path}:{line}:{column}: {message}")]
    Spec {
        /// The spec file.
        path: PathBuf,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A quantity that does not exist for the given parameters (e.g. no spike below w_c).
    #[error("{what} is undefined: {why}")]
    Undefined {
        /// The quantity.
        what: String,
        /// Why it does not exist.
        why: String,
    },
    /// A numerical method that did not converge.
    #[error("{method} did not converge after {iterations} iterations (residual {residual:e})")]
    NotConverged {
        /// The method.
        method: String,
        /// Iterations spent.
        iterations: usize,
        /// Last residual.
        residual: f64,
    },
    /// A data file that is missing, truncated, corrupt or of the wrong shape.
    #[error("{path}: {message}")]
    Data {
        /// The file.
        path: PathBuf,
        /// What was expected and what was found.
        message: String,
    },
    /// File-system failure.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Figure rendering failed.
    #[error("rendering {path}: {message}")]
    Plot {
        /// The figure file.
        path: PathBuf,
        /// The plotting backend's message.
        message: String,
    },
}

impl Error {
    /// True for errors caused by the user's input (exit code 2), false for environment failures.
    pub fn is_input(&self) -> bool {
        !matches!(
            self,
            Error::Io { .. } | Error::Plot { .. } | Error::NotConverged { .. }
        )
    }

    /// Shorthand for [`Error::InvalidParameter`].
    pub fn invalid(name: &str, value: f64, requirement: &str) -> Self {
        Error::InvalidParameter {
            name: name.to_string(),
            value: format!("{value}"),
            requirement: requirement.to_string(),
        }
    }

    /// Wraps an I/O error with its path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Checks that `value` is finite and strictly positive.
pub fn require_positive(name: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, "finite and > 0"))
    }
}

/// Checks that `value` is finite and non-negative.
pub fn require_non_negative(name: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, "finite and >= 0"))
    }
}

/// Checks that `value` is finite.
pub fn require_finite(name: &str, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, "finite"))
    }
}
