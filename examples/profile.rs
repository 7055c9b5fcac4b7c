//! A fixed workload for instruction counts (the figures in BENCHMARKS.md marked
//! "callgrind"): the same inputs as the benches, run once, with nothing else timed.
//!
//! ```text
//! cargo build --release --example profile
//! valgrind --tool=callgrind --toggle-collect='sanctuary::engine::Engine::decide' \
//!     target/release/examples/profile decide 20000
//! valgrind --tool=callgrind --toggle-collect='*nearest_boundary*' \
//!     target/release/examples/profile nearest 5000
//! ```
//!
//! The workloads and the exit statuses are in the `--help` text, [`AFTER_HELP`] below.
//! Divide callgrind's instruction total by N.

use clap::{Parser, ValueEnum};
use sanctuary::{geojson::zones_from_geojson_file, Engine, Plan, ZoneIndex};
use std::hint::black_box;
use std::io::{self, Write};
use std::process::ExitCode;

// Shared with the other examples; only the command-line parsing is used here.
#[allow(dead_code)]
#[path = "common/cli.rs"]
mod cli;
use cli::parse_command_line;

#[path = "../benches/common/inputs.rs"]
mod inputs;
use inputs::{uniform_points, uniform_tracks};

/// What `profile --help` says after the arguments: the output, the exit statuses.
const AFTER_HELP: &str = "\
WORKLOADS
  decide       N uniform random tracks (as benches/decide.rs), decided in phase 6 of the
               embedded plan
  decide-warm  the same, decided twice; collect only the second pass, after the index
               has worked out the covers of the boundary pieces the tracks reach (as a
               long-running engine, or criterion after its warm-up, sees it):
               --toggle-collect='profile::measured_pass'
  nearest      N uniform random points (as benches/point_in_zone.rs), each one's
               nearest oblast boundary

OUTPUT
  One summary line on standard error, `profile: ...`: the number of permits of the
  tracks, or the mean distance to the nearest boundary. Nothing on standard output.

EXIT STATUS
  0  the workload ran
  2  bad command line (an unknown workload, an N that is not a whole number): the error
     and the usage on standard error; or the workload failed (the embedded plan or
     data/ukraine-oblasts.geojson did not load, or the two passes of decide-warm
     differ): one line on standard error, `profile: ...`";

/// The command line.
#[derive(Parser)]
#[command(
    name = "profile",
    about = "A fixed workload for instruction counts under callgrind (see BENCHMARKS.md)",
    after_long_help = AFTER_HELP,
    after_help = "The workloads, the output and exit statuses: see --help."
)]
struct Cli {
    /// The workload
    #[arg(value_enum)]
    workload: Workload,

    /// How many tracks or points
    #[arg(default_value_t = 10_000)]
    n: usize,
}

/// The workloads.
#[derive(Clone, Copy, ValueEnum)]
enum Workload {
    /// Decide N tracks once
    Decide,
    /// Decide N tracks twice; collect the second pass
    DecideWarm,
    /// The nearest oblast boundary of N points
    Nearest,
}

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
    let cli = match parse_command_line::<Cli>() {
        Ok(cli) => cli,
        Err(status) => return status,
    };
    let n = cli.n;
    let result = match cli.workload {
        Workload::Decide => decide(n),
        Workload::DecideWarm => decide_warm(n),
        Workload::Nearest => nearest(n),
    };
    // eprintln! panics when stderr is a broken pipe; a failed report is ignored.
    match result {
        Ok(summary) => {
            let _ = writeln!(io::stderr(), "profile: {summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(io::stderr(), "profile: {e}");
            ExitCode::from(2)
        }
    }
}
