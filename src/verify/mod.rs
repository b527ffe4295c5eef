//! `mesonet verify`: every claim of MODEL.md §8 with the poster's value beside the model's,
//! their relative error, the method and a verdict.
//!
//! * [`row`] — one claim's row and how its verdict is decided.
//! * [`claims`] — computes the rows (closed forms, finite differences, simulations).
//! * [`network`] — the edge-of-chaos row from a grid of trained networks.
//! * [`report`] — the Markdown report and the text table.

pub mod claims;
pub mod network;
pub mod report;
pub mod row;

pub use claims::{verify, Settings};
pub use row::{ClaimRow, Method, Verdict};
