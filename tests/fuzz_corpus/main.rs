//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the same checks the
//! fuzz targets run (`fuzz/fuzz_targets/common.rs`), as an ordinary test on stable: no
//! libFuzzer needed. A failing input here is a regression of a fuzz finding.

// Test code: the shared fuzz checks assert, and a failed check should stop the test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../../fuzz/fuzz_targets/common.rs"]
mod common;

use std::path::Path;

/// Feeds every file of `fuzz/corpus/<target>/` to `check`, in name order.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", dir.display());
    for path in &files {
        let data = std::fs::read(path).expect("corpus file");
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(
            outcome.is_ok(),
            "{target}: input {} fails its checks",
            path.display()
        );
    }
    eprintln!("fuzz_corpus {target}: {} inputs replayed", files.len());
}

#[test]
fn plan_json_corpus() {
    replay("plan_json", common::plan_json);
}

#[test]
fn zones_geojson_corpus() {
    replay("zones_geojson", common::zones_geojson);
}

#[test]
fn locate_corpus() {
    replay("locate", common::locate);
}

#[test]
fn decide_corpus() {
    replay("decide", common::decide);
}
