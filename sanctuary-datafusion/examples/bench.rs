//! Side-by-side timings on one archive, in one run: `decide_many` in-process, the
//! DataFusion function over in-memory batches, the replay end to end (Parquet in, Parquet
//! out) on DataFusion and on Ballista standalone, and SedonaDB's containment join of the
//! same points with the oblasts (when the `sedonadb` Python package is installed); and
//! the replay's two halves apart (its query with the decisions dropped; its writer over
//! decisions in memory), to show where its time goes.
//!
//! ```text
//! cargo run --release -p sanctuary-datafusion --example bench -- --rows 1000000
//! ```

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::Float64Type;
use datafusion::datasource::MemTable;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::prelude::SessionContext;
use futures::StreamExt;
use rayon::prelude::*;
use sanctuary::plan::{Identity, TargetClass};
use sanctuary::{Engine, Plan, Track};
use sanctuary_datafusion::archive::Generator;
use sanctuary_datafusion::{cluster, register, replay, Binding};

/// Times the replay paths side by side on one archive.
#[derive(Parser)]
struct Cli {
    /// Rows in the archive.
    #[arg(long, default_value_t = 1_000_000)]
    rows: u64,
    /// Seed of the archive.
    #[arg(long, default_value_t = 20_270_301)]
    seed: u64,
    /// Phase to decide in.
    #[arg(long, default_value = "3")]
    phase: String,
    /// Repetitions of each path (the median is reported).
    #[arg(long, default_value_t = 3)]
    reps: usize,
    /// Working directory for the archive and the outputs.
    #[arg(long, default_value = "target/bench-replay")]
    dir: PathBuf,
    /// Skip the in-memory paths (for archives too big to hold as tracks).
    #[arg(long, conflicts_with = "in_memory_only")]
    end_to_end_only: bool,
    /// Skip the end-to-end paths (for profiling the in-memory ones).
    #[arg(long)]
    in_memory_only: bool,
    /// Also time the Parquet writer column by column over the replay's output.
    #[arg(long, conflicts_with = "in_memory_only")]
    writer_columns: bool,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn tracks_of(batch: &RecordBatch) -> Vec<Track> {
    let f = |i: usize| batch.column(i).as_primitive::<Float64Type>();
    let (lon, lat, alt, unc, speed, heading, tti) = (f(2), f(3), f(4), f(7), f(8), f(9), f(10));
    let ids = batch.column(0).as_string::<i32>();
    let classes = batch.column(5).as_string::<i32>();
    let identities = batch.column(6).as_string::<i32>();
    (0..batch.num_rows())
        .map(|i| {
            let mut t = Track::new(
                ids.value(i),
                lon.value(i),
                lat.value(i),
                alt.value(i),
                TargetClass::parse(classes.value(i)).unwrap_or(TargetClass::Unknown),
                Identity::parse(identities.value(i)).unwrap_or(Identity::Unknown),
            )
            .with_uncertainty(unc.value(i));
            if speed.is_valid(i) {
                t = t.with_intercept(speed.value(i), heading.value(i), tti.value(i));
            }
            t
        })
        .collect()
}

/// The permits in a column of verdicts (a dictionary, as the function writes them).
fn permits_in(verdicts: &datafusion::arrow::array::ArrayRef) -> Result<usize, Box<dyn std::error::Error>> {
    let d = verdicts
        .as_dictionary_opt::<datafusion::arrow::datatypes::Int32Type>()
        .ok_or("verdicts are not a dictionary")?;
    let names = d
        .values()
        .as_string_opt::<i32>()
        .ok_or("verdict names are not text")?;
    let Some(permit) = (0..names.len()).find(|&k| names.value(k) == "PERMIT") else {
        return Ok(0);
    };
    Ok(d.keys()
        .iter()
        .filter(|k| *k == i32::try_from(permit).ok())
        .count())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&cli.dir)?;
    let plan = Plan::safe_haven()?;
    let archive = cli.dir.join(format!("archive-{}-{}.parquet", cli.rows, cli.seed));
    if !archive.exists() {
        let t = Instant::now();
        sanctuary_datafusion::archive::write_archive(&plan, cli.seed, cli.rows, &archive)?;
        eprintln!(
            "bench: wrote {} in {:.1} s",
            archive.display(),
            t.elapsed().as_secs_f64()
        );
    }
    let engine = Arc::new(Engine::new(plan));
    let binding = Binding::new(Arc::clone(&engine), Some(&cli.phase), None)?;
    let mut table: Vec<(String, f64)> = Vec::new();
    let mut by_kind = Vec::new();

    if !cli.end_to_end_only {
        let mut generator = Generator::new(engine.plan(), cli.seed);
        let mut batches = Vec::new();
        let mut left = cli.rows;
        while left > 0 {
            let k = left.min(8_192);
            batches.push(generator.batch(k as usize)?);
            left -= k;
        }
        let tracks: Vec<Track> = batches.iter().flat_map(tracks_of).collect();
        let phase = cli.phase.as_str();
        // Warm the engine's lazily built structures once, as a long-running service has.
        let _ = engine.decide_many(&tracks, phase, None);
        let permits_of = |c: &[Track]| {
            engine
                .decide_many(c, phase, None)
                .iter()
                .filter(|d| d.is_permit())
                .count()
        };

        let schema = batches.first().map(|b| b.schema()).ok_or("no batches")?;
        let sql = "SELECT sanctuary_decide(id, lon, lat, alt_m, class, identity, uncertainty_m, speed_mps, \
                   heading_deg, tti_s)['verdict'] AS v FROM t";
        // One ordered partition (as the replay reads a file), then one partition per core
        // (as a query that needs no order runs).
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut contexts = Vec::new();
        for partitions in [1, cores] {
            let mut parts: Vec<Vec<RecordBatch>> = vec![Vec::new(); partitions];
            for (i, b) in batches.iter().enumerate() {
                if let Some(p) = parts.get_mut(i % partitions) {
                    p.push(b.clone());
                }
            }
            let config = replay::session_config().with_target_partitions(partitions);
            let ctx = SessionContext::new_with_config(config);
            register(&ctx, &binding);
            ctx.register_table("t", Arc::new(MemTable::try_new(Arc::clone(&schema), parts)?))?;
            contexts.push((partitions, ctx));
        }

        // The paths take turns, repetition by repetition, so that the machine's moods
        // fall on all of them alike.
        let names = [
            "decide_many, 1 thread, one call (tracks in memory)".to_string(),
            "decide_many, 1 thread, 4,096 tracks per call (tracks in memory)".to_string(),
            "decide_many, all cores, 4,096 tracks per call (tracks in memory)".to_string(),
            "decide_many, all cores, tracks built from the batches in each call".to_string(),
        ];
        let mut times: Vec<Vec<f64>> = vec![Vec::new(); names.len() + contexts.len()];
        let mut counts = Vec::new();
        for _ in 0..cli.reps.max(1) {
            let mut lap = |i: usize, f: &mut dyn FnMut() -> usize| {
                let t = Instant::now();
                counts.push(f());
                if let Some(v) = times.get_mut(i) {
                    v.push(t.elapsed().as_secs_f64());
                }
            };
            lap(0, &mut || permits_of(&tracks));
            lap(1, &mut || tracks.chunks(4_096).map(permits_of).sum());
            lap(2, &mut || tracks.par_chunks(4_096).map(permits_of).sum());
            lap(3, &mut || {
                batches.par_iter().map(|b| permits_of(&tracks_of(b))).sum()
            });
            for (k, (_, ctx)) in contexts.iter().enumerate() {
                let t = Instant::now();
                let mut stream = ctx.sql(sql).await?.execute_stream().await?;
                let mut permits = 0;
                while let Some(b) = stream.next().await {
                    let b = b?;
                    permits += permits_in(b.column(0))?;
                }
                counts.push(permits);
                if let Some(v) = times.get_mut(names.len() + k) {
                    v.push(t.elapsed().as_secs_f64());
                }
            }
        }
        if let Some(&first) = counts.first() {
            for &c in &counts {
                assert_same(first, c)?;
            }
        }
        let mut all_names = names.to_vec();
        for (partitions, _) in &contexts {
            all_names.push(format!(
                "DataFusion sanctuary_decide over in-memory batches, {partitions} partition(s)"
            ));
        }
        for (name, t) in all_names.into_iter().zip(times) {
            table.push((name, median(t)));
        }
        by_kind = by_kinds(&engine, &tracks, phase, cli.reps);
    }

    if cli.in_memory_only {
        print_table(&cli, &table);
        print_kinds(&by_kind);
        return Ok(());
    }
    let out = cli.dir.join("decisions.parquet");
    let rewritten = cli.dir.join("decisions-rewritten.parquet");
    let ballista = cluster::standalone().await?;
    let (mut df, mut bl, mut floor, mut scan, mut write) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut decisions = Vec::new();
    for _ in 0..cli.reps.max(1) {
        let ctx = replay::in_process_context();
        for (ctx, times) in [(&ctx, &mut df), (&ballista, &mut bl)] {
            let t = Instant::now();
            let rows = replay::replay(ctx, &binding, &archive, &out, |_| {}).await?.rows;
            times.push(t.elapsed().as_secs_f64());
            check_rows(rows, cli.rows)?;
        }
        // The replay's parts apart: its query with the decisions dropped (reading and
        // deciding), then its writer alone over the decisions it wrote.
        for (decide, times) in [(true, &mut floor), (false, &mut scan)] {
            let t = Instant::now();
            let rows = scan_and_decide(&binding, &archive, decide).await?;
            times.push(t.elapsed().as_secs_f64());
            check_rows(rows, cli.rows)?;
        }
        if decisions.is_empty() {
            decisions = read_parquet(&out)?;
        }
        let t = Instant::now();
        write_parquet(&decisions, &rewritten)?;
        write.push(t.elapsed().as_secs_f64());
    }
    table.push(("replay on DataFusion, Parquet in, Parquet out".into(), median(df)));
    table.push((
        "replay on Ballista standalone, Parquet in, Parquet out".into(),
        median(bl),
    ));
    table.push((
        "  its query alone: Parquet in, decided, the decisions dropped".into(),
        median(floor),
    ));
    table.push((
        "  its scan alone: Parquet in, the function's columns read, nothing decided".into(),
        median(scan),
    ));
    table.push((
        "  its writer alone: decide's columns (in memory) to Parquet, 1 thread".into(),
        median(write),
    ));

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/sedona_join.py");
    let oblasts = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/ukraine-oblasts.geojson");
    match Command::new("python3")
        .args([script, oblasts])
        .arg(&archive)
        .arg(cli.reps.to_string())
        .output()
    {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            if let Some(secs) = text
                .lines()
                .find_map(|l| l.strip_prefix("seconds "))
                .and_then(|s| s.trim().parse().ok())
            {
                table.push((
                    "SedonaDB ST_Contains join with the oblasts (containment only)".into(),
                    secs,
                ));
            }
            eprint!("{}", String::from_utf8_lossy(&o.stderr));
            print!("{text}");
        }
        Ok(o) => eprintln!(
            "bench: SedonaDB skipped: {}",
            String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or("")
        ),
        Err(e) => eprintln!("bench: SedonaDB skipped: {e}"),
    }

    print_table(&cli, &table);
    print_kinds(&by_kind);
    if cli.writer_columns {
        print_writer_columns(&decisions, cli.reps)?;
    }
    Ok(())
}

fn check_rows(rows: u64, expected: u64) -> Result<(), String> {
    if rows == expected {
        Ok(())
    } else {
        Err(format!("a path gave {rows} rows of {expected}"))
    }
}

/// Runs the replay's query over the archive on in-process DataFusion and drops the
/// decisions: what a replay costs before anything is written (without `decide`, the same
/// columns read and nothing decided). Returns the rows read.
async fn scan_and_decide(
    binding: &Binding,
    archive: &std::path::Path,
    decide: bool,
) -> Result<u64, Box<dyn std::error::Error>> {
    let ctx = replay::in_process_context();
    register(&ctx, binding);
    ctx.register_parquet(
        "tracks",
        &archive.to_string_lossy(),
        datafusion::prelude::ParquetReadOptions::default(),
    )
    .await?;
    let columns = "id, lon, lat, alt_m, class, identity, uncertainty_m, speed_mps, heading_deg, tti_s";
    let sql = if decide {
        format!("SELECT id, sanctuary_decide({columns}) AS d FROM tracks")
    } else {
        format!("SELECT {columns} FROM tracks")
    };
    let mut stream = ctx.sql(&sql).await?.execute_stream().await?;
    let mut rows = 0u64;
    while let Some(b) = stream.next().await {
        rows += b?.num_rows() as u64;
    }
    Ok(rows)
}

fn read_parquet(path: &std::path::Path) -> Result<Vec<RecordBatch>, Box<dyn std::error::Error>> {
    let file = std::fs::File::open(path)?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)?
        .with_batch_size(8_192)
        .build()?;
    Ok(reader.collect::<Result<Vec<_>, _>>()?)
}

/// Writes `batches` (all of one schema) as the replay writes its output.
fn write_parquet(batches: &[RecordBatch], path: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let schema = batches.first().map(|b| b.schema()).ok_or("no decisions")?;
    let file = std::fs::File::create(path)?;
    let mut w = ArrowWriter::try_new(file, schema, Some(replay::writer_properties()))?;
    for b in batches {
        w.write(b)?;
    }
    w.close()?;
    Ok(())
}

/// What each output column costs the writer: each written alone, as the replay writes it.
fn print_writer_columns(batches: &[RecordBatch], reps: usize) -> Result<(), Box<dyn std::error::Error>> {
    let schema = batches.first().map(|b| b.schema()).ok_or("no decisions")?;
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    println!();
    println!("the writer by output column, each written alone into memory, 1 thread (median)");
    println!("| column | ns per row | bytes |");
    println!("|---|---:|---:|");
    for (i, field) in schema.fields().iter().enumerate() {
        let one = Arc::new(datafusion::arrow::datatypes::Schema::new(vec![field
            .as_ref()
            .clone()]));
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..reps.max(1) {
            let mut sink = Vec::new();
            let t = Instant::now();
            let mut w = ArrowWriter::try_new(&mut sink, Arc::clone(&one), Some(replay::writer_properties()))?;
            for b in batches {
                w.write(&RecordBatch::try_new(
                    Arc::clone(&one),
                    vec![Arc::clone(b.column(i))],
                )?)?;
            }
            w.close()?;
            times.push(t.elapsed().as_secs_f64());
            bytes = sink.len();
        }
        println!(
            "| {} | {:.1} | {bytes} |",
            field.name(),
            median(times) / rows.max(1) as f64 * 1e9
        );
    }
    Ok(())
}

/// One kind of decision: its name, its rows and the median time to decide them.
struct Kind {
    name: &'static str,
    rows: usize,
    seconds: f64,
}

/// The tracks split by what deciding them takes (no deciding zone; inside, the margin
/// beyond the horizon; inside, the margin measured exactly), each kind timed on one
/// thread with `decide_view`, so that the share of time of each shows where to look.
fn by_kinds(engine: &Engine, tracks: &[Track], phase: &str, reps: usize) -> Vec<Kind> {
    let mut groups: [(&'static str, Vec<&Track>); 3] = [
        ("no deciding zone (outside, on a boundary, invalid)", Vec::new()),
        ("inside, margin beyond the horizon (a lower bound)", Vec::new()),
        ("inside, margin measured exactly", Vec::new()),
    ];
    for t in tracks {
        let v = engine.decide_view(t, phase, None);
        let k = match (v.zone_handle(), v.margin_is_lower_bound()) {
            (None, _) => 0,
            (Some(_), true) => 1,
            (Some(_), false) => 2,
        };
        if let Some((_, g)) = groups.get_mut(k) {
            g.push(t);
        }
    }
    let mut times: [Vec<f64>; 3] = Default::default();
    for _ in 0..reps.max(1) {
        for ((_, g), v) in groups.iter().zip(times.iter_mut()) {
            let t = Instant::now();
            let permits = g
                .iter()
                .filter(|t| engine.decide_view(t, phase, None).is_permit())
                .count();
            std::hint::black_box(permits);
            v.push(t.elapsed().as_secs_f64());
        }
    }
    groups
        .into_iter()
        .zip(times)
        .map(|((name, g), t)| Kind {
            name,
            rows: g.len(),
            seconds: median(t),
        })
        .collect()
}

fn print_kinds(kinds: &[Kind]) {
    if kinds.is_empty() {
        return;
    }
    let rows: usize = kinds.iter().map(|k| k.rows).sum();
    let total: f64 = kinds.iter().map(|k| k.seconds).sum();
    println!();
    println!("decisions by kind, 1 thread, decide_view (median)");
    println!("| kind | rows | share of rows | ns per row | share of time |");
    println!("|---|---:|---:|---:|---:|");
    for k in kinds {
        println!(
            "| {} | {} | {:.1}% | {:.0} | {:.1}% |",
            k.name,
            k.rows,
            100.0 * k.rows as f64 / rows.max(1) as f64,
            k.seconds / k.rows.max(1) as f64 * 1e9,
            100.0 * k.seconds / total
        );
    }
}

fn print_table(cli: &Cli, table: &[(String, f64)]) {
    let n = cli.rows as f64;
    let base = table.first().map(|(_, t)| *t).unwrap_or(f64::NAN);
    println!(
        "rows {}  phase {}  reps {} (median)",
        cli.rows, cli.phase, cli.reps
    );
    println!("| path | seconds | ns per row | vs first row |");
    println!("|---|---:|---:|---:|");
    for (name, t) in table {
        println!("| {name} | {t:.3} | {:.0} | {:.2}x |", t / n * 1e9, t / base);
    }
}

fn assert_same(a: usize, b: usize) -> Result<(), String> {
    if a == b {
        Ok(())
    } else {
        Err(format!("paths disagree: {a} permits vs {b}"))
    }
}
