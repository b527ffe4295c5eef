//! PLACEHOLDER (helper writing it).
