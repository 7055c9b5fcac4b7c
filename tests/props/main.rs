//! Property tests (proptest) pinning the core's boundary semantics: invariance under ring
//! rotation and reversal, exact boundaries on a dyadic lattice, holes, shared edges,
//! agreement with `geo`, distances, edge models, and no panics on hostile input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failed expectation is a test failure (clippy.toml only covers #[test] fns)"
)]

mod boundary;
mod differential;
mod distance;
mod edge_models;
mod gen;
mod invariance;
mod nearest;
mod outside_grid;
mod robustness;
