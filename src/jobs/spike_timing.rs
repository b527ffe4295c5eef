//! stub
use crate::spec::Plan; use std::path::Path; /// stub
pub fn run(_plan: &Plan, _dir: &Path) -> crate::Result<serde_json::Value> { todo!() }
