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
    #[error("set: malformed assignment '{text}': expected name=value with a finite number of magnitude <= 1e100")]
    MalformedAssignment {
        /// The text as given.
        text: String,
    },
    /// A range with no interior, or a grid with too few points.
    #[error("{name}: empty range from {from} to {to} with {points} points (needs finite from < to and points >= 2)")]
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
    #[error("{}: {message}", spec_location(path, *line, *column))]
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
    /// File-system failure (the OS error is part of the one-line message, not a second line).
    #[error("{path}: {error}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        error: std::io::Error,
    },
    /// An output path the command may not write: occupied by something it did not create,
    /// not a directory, or escaping the output root.
    #[error("{field}: {path}: {why}")]
    Output {
        /// The flag or spec field that gave the path (`out`, `name`).
        field: String,
        /// The path.
        path: PathBuf,
        /// Why it is refused and what to do.
        why: String,
    },
    /// Work that would not fit in this machine's memory.
    #[error("{field} = {value}: needs about {needed} of memory, more than the {available} available; {hint}")]
    TooLarge {
        /// The flag or field that sets the size.
        field: String,
        /// Its value.
        value: String,
        /// The estimate, formatted (e.g. "80.0 GB").
        needed: String,
        /// What the machine has, formatted.
        available: String,
        /// What to change.
        hint: String,
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
    /// True for errors caused by the user's input (exit code 2), false for failures of the
    /// environment (exit code 1): a full disk, a broken device, a renderer or solver failure.
    /// A missing file, a path that is not a directory or a permission refused is input.
    pub fn is_input(&self) -> bool {
        use std::io::ErrorKind as K;
        match self {
            Error::Io { error, .. } => matches!(
                error.kind(),
                K::NotFound
                    | K::PermissionDenied
                    | K::AlreadyExists
                    | K::NotADirectory
                    | K::IsADirectory
                    | K::ReadOnlyFilesystem
                    | K::InvalidInput
                    | K::InvalidFilename
                    | K::DirectoryNotEmpty
                    | K::InvalidData
            ),
            Error::Plot { .. } | Error::NotConverged { .. } => false,
            _ => true,
        }
    }

    /// Shorthand for [`Error::InvalidParameter`].
    pub fn invalid(name: &str, value: f64, requirement: &str) -> Self {
        Error::InvalidParameter {
            name: name.to_string(),
            value: show_value(value),
            requirement: requirement.to_string(),
        }
    }

    /// Wraps an I/O error with its path.
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            error,
        }
    }
}

/// `path:line:column`, or just `path` when the line is unknown (0).
fn spec_location(path: &std::path::Path, line: usize, column: usize) -> String {
    if line == 0 {
        path.display().to_string()
    } else {
        format!("{}:{line}:{column}", path.display())
    }
}

/// The largest magnitude a real parameter may have: beyond it the product of two parameters
/// (w k τ_m, e θ, …) may overflow f64, so every model, simulator and analysis parameter is
/// refused above it rather than turned into a silently infinite intermediate.
pub const MAX_MAGNITUDE: f64 = 1e100;

/// Formats a value for an error message: `1e308`, `-2`, `0.5`, `NaN`, `inf`.
pub fn show_value(value: f64) -> String {
    if value.is_finite() && value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value}")
    } else {
        format!("{value:?}")
    }
}

/// True for a finite value of magnitude at most [`MAX_MAGNITUDE`].
pub fn is_real(value: f64) -> bool {
    value.is_finite() && value.abs() <= MAX_MAGNITUDE
}

/// Checks that `value` is finite, at most [`MAX_MAGNITUDE`] and strictly positive.
pub fn require_positive(name: &str, value: f64) -> Result<f64> {
    if is_real(value) && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, "finite, > 0 and <= 1e100"))
    }
}

/// Checks a relative finite-difference step or initial separation: in (0, 1e-2] (small
/// enough to stay linear, a fraction of the state it displaces).
pub fn require_relative_step(name: &str, value: f64) -> Result<f64> {
    if is_real(value) && value > 0.0 && value <= 1e-2 {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, "in (0, 1e-2]"))
    }
}

/// Checks that `value` is finite, at most [`MAX_MAGNITUDE`] and non-negative.
pub fn require_non_negative(name: &str, value: f64) -> Result<f64> {
    if is_real(value) && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, "finite, >= 0 and <= 1e100"))
    }
}

/// Checks that `value` is finite with magnitude at most [`MAX_MAGNITUDE`].
pub fn require_finite(name: &str, value: f64) -> Result<f64> {
    if is_real(value) {
        Ok(value)
    } else {
        Err(Error::invalid(
            name,
            value,
            "finite with magnitude <= 1e100",
        ))
    }
}
