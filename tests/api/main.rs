//! Public behaviour and typed errors: one test per validation problem, GeoJSON loader
//! errors that name the feature, index construction, and real Natural Earth data.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failed expectation is a test failure (clippy.toml only covers #[test] fns)"
)]

mod builder;
mod convert;
mod errors;
mod index;
mod loader;
mod real_data;
mod validation;
mod zone_json;
