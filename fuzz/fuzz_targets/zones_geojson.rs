//! Fuzz target `zones_geojson`: see `common::zones_geojson` for what it feeds and checks.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::zones_geojson(data));
