//! Fuzz target `locate`: see `common::locate` for what it feeds and checks.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::locate(data));
