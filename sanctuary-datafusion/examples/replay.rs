//! Replays an archive of tracks against a plan, on DataFusion in this process or on a
//! Ballista cluster, into a file of decisions, and prints a summary.
//!
//! ```text
//! cargo run --release -p sanctuary-datafusion --example replay -- \
//!     --tracks archive.parquet --out decisions.parquet --phase 3
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use sanctuary::{Engine, Plan};
use sanctuary_datafusion::{cluster, replay, Binding};

const AFTER_HELP: &str = "\
INPUT (--tracks)
  Parquet (.parquet) or CSV (.csv, with a header). Columns as the `decide` example's CSV:
  id, lon, lat, alt_m, class, identity; optional uncertainty_m, speed_mps, heading_deg,
  tti_s; and time with --by-time (a timestamp; Unix seconds, as a number or as decimal
  text; or RFC 3339 text). Decimal columns are read through their exact digits. A row that
  cannot be read as a track is decided DENY invalid_track, never dropped. A CSV archive is
  read as `decide` reads it (a row with another number of fields than the header is an
  invalid track) into a hidden scratch Parquet file beside the output, removed at the end.

OUTPUT (--out)
  Parquet or CSV by extension, one row per input row, in input order, with exactly the
  columns of `decide`: id, verdict, zone, phase, reasons (`;`-joined codes), margin_m,
  exclusion, margin_bound. A summary (rows, permits, denies by reason, per zone, per
  phase) goes to standard output; a progress line to standard error every few seconds.
  The file appears only when every row is written (a failed run leaves no partial file
  and an existing file as it was); an existing file is then replaced, except the archive
  itself (under any of its names), which is refused before anything is written. An
  output that is a symbolic link is written through it: the file it names is replaced
  and the link kept.

EXIT STATUS
  0  every row was decided and written
  1  the plan, the archive or the output cannot be used, or the query failed
  2  bad command line";

/// Replays an archive of tracks against a sanctuary plan.
#[derive(Parser)]
#[command(name = "replay", version, after_help = AFTER_HELP)]
struct Cli {
    /// Plan file (default: the embedded Safe Haven plan).
    #[arg(long)]
    plan: Option<PathBuf>,
    /// Phase to decide in.
    #[arg(long, conflicts_with = "by_time", required_unless_present = "by_time")]
    phase: Option<String>,
    /// Decide each row in the phase in force at its `time`.
    #[arg(long)]
    by_time: bool,
    /// Partner whose caveats apply.
    #[arg(long)]
    partner: Option<String>,
    /// The archive of tracks (.parquet or .csv).
    #[arg(long)]
    tracks: PathBuf,
    /// The decisions file to write (.parquet or .csv).
    #[arg(long)]
    out: PathBuf,
    /// Run on a Ballista cluster (`df://host:port`); `standalone` starts one in this process.
    #[arg(long)]
    ballista: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("replay: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let plan = match &cli.plan {
        Some(p) => Plan::from_file(p)?,
        None => Plan::safe_haven()?,
    };
    let binding = Binding::new(
        Arc::new(Engine::new(plan)),
        cli.phase.as_deref(),
        cli.partner.as_deref(),
    )?;
    let ctx = match cli.ballista.as_deref() {
        None => replay::in_process_context(),
        Some("standalone") => cluster::standalone().await?,
        Some(url) => cluster::remote(url).await?,
    };
    let started = Instant::now();
    let mut last = Instant::now();
    let summary = replay::replay(&ctx, &binding, &cli.tracks, &cli.out, |rows| {
        if last.elapsed() >= Duration::from_secs(2) {
            last = Instant::now();
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "replay: {rows} rows in {secs:.1} s ({:.0} rows/s)",
                rows as f64 / secs.max(1e-9)
            );
        }
    })
    .await?;
    let secs = started.elapsed().as_secs_f64();
    let mut stdout = std::io::stdout().lock();
    let printed = write!(
        stdout,
        "plan {}  hash {}\n{summary}time {secs:.2} s ({:.0} rows/s)\n",
        binding.engine().plan().name(),
        binding.engine().plan().hash(),
        summary.rows as f64 / secs.max(1e-9)
    )
    .and_then(|()| stdout.flush());
    match printed {
        // The decisions are written: a reader that stopped reading the summary early
        // (`| head`) is not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
