//! `mesonet verify`: every claim of MODEL.md §8 with the poster's value beside the model's,
//! their relative error, the method and a verdict.
//!
//! * [`row`] — one claim's row and how its verdict is decided.
//! * [`claims`] — computes the rows (closed forms, finite differences, simulations).
//! * [`report`] — the Markdown report and the text table.

pub mod claims;
pub mod report;
pub mod row;

pub use claims::{verify, Settings};
pub use row::{ClaimRow, Method, Verdict};
