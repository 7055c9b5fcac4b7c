//! Integration tests of the `locate` example's command-line contract: they build and run it
//! with `cargo run --example locate` and check stdout, stderr and the exit status.

// Test code: a failed unwrap or index is a failed test. (clippy.toml's allow-*-in-tests
// covers only `#[test]` functions, not the helpers in `support`.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod errors;
mod help;
mod output;
mod support;
