//! Fuzz target `plan_json`: see `common::plan_json` for what it feeds and checks.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::plan_json(data));
