//! Exact at every seam: numbers read from text are the nearest `f64` (serde_json's
//! `float_roundtrip` is on for the crate), a plan's hash does not depend on the build, and
//! serde round trips of tracks, decisions, audit records and plans are bit-exact.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failed expectation is a test failure (clippy.toml only covers #[test] fns)"
)]

mod exact;
mod identity;
mod literal;
mod roundtrip;
