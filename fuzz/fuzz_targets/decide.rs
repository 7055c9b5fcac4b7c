//! Fuzz target `decide`: see `common::decide` for what it feeds and checks.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::decide(data));
