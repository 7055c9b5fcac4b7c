//! Writes a realistic archive of tracks over the embedded plan's region (see
//! `sanctuary_datafusion::archive`).
//!
//! ```text
//! cargo run --release -p sanctuary-datafusion --example generate -- --rows 1000000 --out archive.parquet
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use sanctuary::Plan;

/// Writes a realistic archive of tracks (Parquet or CSV by extension).
#[derive(Parser)]
#[command(name = "generate", version)]
struct Cli {
    /// Rows to write (10^4 to 10^8 are typical).
    #[arg(long, default_value_t = 10_000)]
    rows: u64,
    /// Random seed (the same seed and row count give the same archive).
    #[arg(long, default_value_t = 20_270_301)]
    seed: u64,
    /// Plan whose region and phase times the tracks cover (default: the embedded one).
    #[arg(long)]
    plan: Option<PathBuf>,
    /// The archive to write (.parquet or .csv).
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let plan = match &cli.plan {
        Some(p) => Plan::from_file(p),
        None => Plan::safe_haven(),
    };
    let result = plan.map_err(|e| e.to_string()).and_then(|plan| {
        sanctuary_datafusion::archive::write_archive(&plan, cli.seed, cli.rows, &cli.out)
            .map_err(|e| e.to_string())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("generate: {e}");
            ExitCode::FAILURE
        }
    }
}
