//! Conformance against references: Turf and JTS point-in-polygon fixtures, GeographicLib's
//! GeodTest geodesics, a dense brute-force reference for point-to-edge distances, and
//! circles checked against the geodesic distance from their centre.
//!
//! The fixtures live in `tests/fixtures/` with their licences and a `SOURCES.md` each.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failed expectation is a test failure (clippy.toml only covers #[test] fns)"
)]

mod circles;
mod edge_distance;
mod geodtest;
mod jts;
mod planar;
mod turf;

use std::path::PathBuf;

/// Path of a file under `tests/fixtures/`.
pub(crate) fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}
