//! The rule engine's semantics, one test per rule of the decision.

// Test helpers outside #[test] fns may unwrap and panic: clippy.toml's test allowances
// only reach #[test] functions.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
mod plans;
mod safe_haven;
mod semantics;
mod windows;
