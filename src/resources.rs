//! Memory and time budgets, checked before anything is allocated.
//!
//! Every plan estimates the memory it will hold at once and, roughly, the time it will take
//! ([`Budget`]). A plan whose estimate exceeds the memory available on this machine is refused
//! with the estimate in the message ([`Error::TooLarge`]), instead of aborting halfway with an
//! allocation failure; a plan estimated to run longer than [`LONG_RUN_SECONDS`] is announced
//! with one warning line on stderr (terminal or not). Thread counts are capped at the number of
//! work items.

use crate::error::{Error, Result};

/// Runs estimated to take longer than this (s) are announced on stderr.
pub const LONG_RUN_SECONDS: f64 = 600.0;

/// Memory assumed when the machine's cannot be read (no `/proc/meminfo`): 8 GiB.
const ASSUMED_MEMORY_BYTES: f64 = 8.0 * 1024.0 * 1024.0 * 1024.0;

/// What a plan will need.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// The flag or field that sets the size (named in the refusal).
    pub field: String,
    /// Its value, as the user wrote it.
    pub value: String,
    /// Peak memory estimate (bytes).
    pub bytes: f64,
    /// Rough run-time estimate (s).
    pub seconds: f64,
    /// What to change when it is too large.
    pub hint: String,
}

impl Budget {
    /// A budget of `bytes` and `seconds` set by `field = value`.
    pub fn new(field: &str, value: impl std::fmt::Display, bytes: f64, seconds: f64) -> Self {
        Self {
            field: field.into(),
            value: value.to_string(),
            bytes,
            seconds,
            hint: format!("reduce {field}"),
        }
    }

    /// Replaces the hint.
    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = hint.into();
        self
    }

    /// Refuses the budget if its memory exceeds what this machine has available; announces a
    /// long run on stderr.
    pub fn check(&self, what: &str) -> Result<()> {
        let (available, known) = match available_memory_bytes() {
            Some(b) => (b, true),
            None => (ASSUMED_MEMORY_BYTES, false),
        };
        if self.bytes.is_nan() || self.bytes > available {
            return Err(Error::TooLarge {
                field: self.field.clone(),
                value: self.value.clone(),
                needed: format_bytes(self.bytes),
                available: if known {
                    format_bytes(available)
                } else {
                    format!("{} (assumed)", format_bytes(available))
                },
                hint: self.hint.clone(),
            });
        }
        if self.seconds > LONG_RUN_SECONDS {
            eprintln!(
                "warning: {what} is estimated to take {} ({} = {}; a rough estimate)",
                format_seconds(self.seconds),
                self.field,
                self.value
            );
        }
        Ok(())
    }
}

/// Memory available to a new allocation: `MemAvailable` of `/proc/meminfo` (Linux).
pub fn available_memory_bytes() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024.0)
}

/// `1.5 GB`, `80.0 TB`, `512 B` (powers of 1000).
pub fn format_bytes(bytes: f64) -> String {
    const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    if !bytes.is_finite() {
        return "more than any machine has".into();
    }
    let mut value = bytes;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `45 s`, `12 min`, `3.2 h`, `4.1 days`.
pub fn format_seconds(seconds: f64) -> String {
    if seconds < 120.0 {
        format!("{seconds:.0} s")
    } else if seconds < 7200.0 {
        format!("{:.0} min", seconds / 60.0)
    } else if seconds < 172_800.0 {
        format!("{:.1} h", seconds / 3600.0)
    } else {
        format!("{:.1} days", seconds / 86_400.0)
    }
}

/// Checks a count that sizes an allocation of `bytes_each` bytes per item (a grid's points,
/// a matrix's rows) before it is made.
pub fn check_count(field: &str, count: usize, bytes_each: f64) -> Result<()> {
    Budget::new(field, count, count as f64 * bytes_each, 0.0).check(field)
}

/// The thread count actually used: `requested` (0 = one per core), capped at the number of
/// work items (at least 1).
pub fn cap_threads(requested: usize, work_items: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let wanted = if requested == 0 { cores } else { requested };
    wanted.min(work_items.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_refuses_beyond_the_machine() {
        assert_eq!(format_bytes(512.0), "512 B");
        assert_eq!(format_bytes(8e11), "800.0 GB");
        assert_eq!(format_seconds(30.0), "30 s");
        assert_eq!(format_seconds(3.0 * 3600.0), "3.0 h");
        let e = Budget::new("n", 100_000, 8e10, 0.0)
            .check("spectrum")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("n = 100000: needs about 80.0 GB"), "{e}");
        Budget::new("n", 10, 800.0, 0.0).check("spectrum").unwrap();
        assert!(Budget::new("n", 1, f64::NAN, 0.0).check("x").is_err());
        assert!(Budget::new("n", 1, f64::INFINITY, 0.0).check("x").is_err());
    }

    #[test]
    fn threads_are_capped_at_the_work() {
        assert_eq!(cap_threads(64, 3), 3);
        assert_eq!(cap_threads(2, 100), 2);
        assert_eq!(cap_threads(5, 0), 1);
        assert!(cap_threads(0, 1000) >= 1);
    }
}
