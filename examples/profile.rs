//! A fixed workload for instruction counts (the figures in BENCHMARKS.md marked
//! "callgrind"): the same inputs as the benches, run once, with nothing else timed.
//!
//! ```text
//! cargo build --release --example profile
//! valgrind --tool=callgrind --toggle-collect='sanctuary::engine::Engine::decide' \
//!     target/release/examples/profile decide 20000
//! valgrind --tool=callgrind --toggle-collect='*ZoneIndex::nearest_boundary*' \
//!     target/release/examples/profile nearest 5000
//! ```
//!
//! `decide N`: N uniform random tracks (as `benches/decide.rs`), phase 6 of the embedded plan.
//! `decide-warm N`: the same, decided twice; collect only the second pass, after the index
//! has worked out the covers of the boundary pieces the tracks reach (as a long-running
//! engine, or criterion after its warm-up, sees it):
//! `--toggle-collect='profile::measured_pass'`.
//! `nearest N`: N uniform random points (as `benches/point_in_zone.rs`), nearest oblast boundary.
//! Divide callgrind's instruction total by N.

use sanctuary::{zones_from_geojson_file, Engine, Plan, ZoneIndex};
use std::hint::black_box;
use std::process::ExitCode;

#[path = "../benches/common/inputs.rs"]
mod inputs;
use inputs::{uniform_points, uniform_tracks};

fn decide(n: usize) -> Result<String, String> {
    let engine = Engine::new(Plan::safe_haven().map_err(|e| e.to_string())?);
    let tracks = uniform_tracks(n);
    let permits = tracks
        .iter()
        .filter(|t| engine.decide(black_box(t), "6", None).is_permit())
        .count();
    Ok(format!("{permits} of {n} tracks permitted"))
}

/// The warm-up pass of `decide-warm` (not collected).
#[inline(never)]
fn warm_up_pass(engine: &Engine, tracks: &[sanctuary::Track]) -> usize {
    tracks
        .iter()
        .filter(|t| engine.decide(black_box(t), "6", None).is_permit())
        .count()
}

/// The collected pass of `decide-warm` (it counts denies, so that the compiler cannot
/// fold it into the warm-up pass).
#[inline(never)]
fn measured_pass(engine: &Engine, tracks: &[sanctuary::Track]) -> usize {
    tracks
        .iter()
        .filter(|t| !engine.decide(black_box(t), "6", None).is_permit())
        .count()
}

fn decide_warm(n: usize) -> Result<String, String> {
    let engine = Engine::new(Plan::safe_haven().map_err(|e| e.to_string())?);
    let tracks = uniform_tracks(n);
    let first = warm_up_pass(&engine, &tracks);
    let permits = tracks.len() - measured_pass(&engine, &tracks);
    if first != permits {
        return Err(format!("the two passes differ: {first} and {permits} permits"));
    }
    Ok(format!("{permits} of {n} tracks permitted (twice)"))
}

fn nearest(n: usize) -> Result<String, String> {
    let path = format!("{}/data/ukraine-oblasts.geojson", env!("CARGO_MANIFEST_DIR"));
    let zones = zones_from_geojson_file(&path).map_err(|e| e.to_string())?;
    let index = ZoneIndex::new(zones).map_err(|e| e.to_string())?;
    let mut total = 0.0;
    // The nearest_boundary bench's points and seed.
    for (lon, lat) in uniform_points(n, 0x5A4C_7A01) {
        let found = index.nearest_boundary(black_box(lon), black_box(lat));
        total += found.map_err(|e| e.to_string())?.map_or(0.0, |b| b.distance_m);
    }
    Ok(format!(
        "mean distance to the nearest boundary {:.0} m",
        total / n.max(1) as f64
    ))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n = args
        .get(1)
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(10_000);
    let result = match args.first().map(String::as_str) {
        Some("decide") => decide(n),
        Some("decide-warm") => decide_warm(n),
        Some("nearest") => nearest(n),
        _ => Err("usage: profile (decide | decide-warm | nearest) [N]".to_string()),
    };
    match result {
        Ok(summary) => {
            eprintln!("profile: {summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("profile: {e}");
            ExitCode::from(2)
        }
    }
}
