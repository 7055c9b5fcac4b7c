//! The same archive decided four ways gives the same decisions, row for row: the `decide`
//! example (CSV), `Engine::decide_many` in this process, the `replay` pipeline on
//! DataFusion in-process, on Ballista standalone, and on a Ballista cluster of a scheduler
//! and two executors started as processes on loopback.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use datafusion::arrow::array::{Array, AsArray, Float64Array};
use datafusion::arrow::datatypes::TimestampMillisecondType;
use datafusion::prelude::SessionContext;
use sanctuary::plan::{Identity, TargetClass};
use sanctuary::{Engine, Plan, Track};
use sanctuary_datafusion::archive::Generator;
use sanctuary_datafusion::{cluster, replay, Binding};

const ROWS: u64 = 10_000;
const SEED: u64 = 4_242;
const PHASE: &str = "3";

use crate::TempDir as Dir;

fn binding() -> Binding {
    Binding::new(
        Arc::new(Engine::new(Plan::safe_haven().unwrap())),
        Some(PHASE),
        None,
    )
    .unwrap()
}

/// Writes the archive in both formats, with a few unreadable rows appended to the CSV.
fn archives(dir: &Dir) -> (PathBuf, PathBuf) {
    let plan = Plan::safe_haven().unwrap();
    let parquet = dir.join("a.parquet");
    let csv = dir.join("a.csv");
    sanctuary_datafusion::archive::write_archive(&plan, SEED, ROWS, &parquet).unwrap();
    sanctuary_datafusion::archive::write_archive(&plan, SEED, ROWS, &csv).unwrap();
    (parquet, csv)
}

/// The `decide` example's output for a CSV archive.
fn decide_example(tracks: &Path) -> String {
    let out = Command::new(env!("CARGO"))
        .args([
            "run",
            "-q",
            "-p",
            "sanctuary",
            "--example",
            "decide",
            "--",
            "--phase",
            PHASE,
            "--tracks",
        ])
        .arg(tracks)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stderr(Stdio::inherit())
        .output()
        .unwrap();
    assert!(out.status.success(), "decide failed: {:?}", out.status);
    String::from_utf8(out.stdout).unwrap()
}

fn replay_to_csv(ctx: &SessionContext, tracks: &Path, out: &Path) -> (String, replay::Summary) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let summary = runtime
        .block_on(replay::replay(ctx, &binding(), tracks, out, |_| {}))
        .unwrap();
    (std::fs::read_to_string(out).unwrap(), summary)
}

fn in_process() -> SessionContext {
    replay::in_process_context()
}

#[test]
fn decide_decide_many_and_datafusion_agree() {
    let dir = Dir::new("three-way");
    let (parquet, csv) = archives(&dir);
    // Rows `decide` cannot read as tracks: the replay must decide them too, not drop them.
    let mut text = std::fs::read_to_string(&csv).unwrap();
    text.push_str("bad1,2027-05-01T00:00:00.000Z,abc,49.8,100,uas,hostile,,,,\n");
    text.push_str("bad2,2027-05-01T00:00:00.000Z,24.0,49.8,100,frigate,hostile,,,,\n");
    text.push_str("bad3,2027-05-01T00:00:00.000Z,24.0,49.8,100,uas,hostile,,250,,\n");
    text.push_str("bad4,2027-05-01T00:00:00.000Z,24.0\n");
    // Fewer and more fields than the header: a position inside a sanctuary, yet invalid.
    text.push_str("bad5,2027-05-01T00:00:00.000Z,24.03,49.84,800,uas,hostile\n");
    text.push_str("bad6,2027-05-01T00:00:00.000Z,24.03,49.84,800,uas,hostile,,,,,\n");
    text.push_str("bad7,2027-05-01T00:00:00.000Z,24.03,49.84,800,uas,hostile,,,,,1,2,3\n");
    // The same row with exactly the header's fields, and empty optional cells, is read.
    text.push_str("good1,2027-05-01T00:00:00.000Z,24.03,49.84,800,uas,hostile,,,,\n");
    let mut bytes = text.into_bytes();
    // Bytes that are not UTF-8, in a code and in an id.
    bytes.extend_from_slice(b"bad8,2027-05-01T00:00:00.000Z,24.03,49.84,800,u\xffas,hostile,,,,\n");
    bytes.extend_from_slice(b"bad\xff9,2027-05-01T00:00:00.000Z,24.03,49.84,800,uas,hostile,,,,\n");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, bytes).unwrap();

    let reference = decide_example(&bad);
    assert_eq!(
        reference.lines().count() as u64,
        ROWS + 11,
        "decide writes a header and one row per input row"
    );
    let (from_csv, summary) = replay_to_csv(&in_process(), &bad, &dir.join("d1.csv"));
    assert_eq!(from_csv, reference, "replay of the CSV = decide");
    // The scratch file the CSV was read into is gone.
    let left: Vec<String> = std::fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".replay.parquet"))
        .collect();
    assert!(left.is_empty(), "scratch files left: {left:?}");
    assert_eq!(summary.rows, ROWS + 10);
    assert_eq!(
        summary
            .denies_by_reason
            .get("invalid_track")
            .copied()
            .unwrap_or(0),
        9
    );
    assert!(
        reference.lines().any(|l| l.starts_with("good1,PERMIT,")),
        "the control row is a permit"
    );
    assert!(summary.permits > 0, "the archive should hold permits");

    // The same archive in Parquet gives the same decisions (minus the bad rows).
    let (from_parquet, _) = replay_to_csv(&in_process(), &parquet, &dir.join("d2.csv"));
    let clean: String = reference
        .lines()
        .take(ROWS as usize + 1)
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(from_parquet, clean, "replay of the Parquet = decide");
    // And the Parquet output holds the same decisions as the CSV output.
    let (_, parquet_summary) = {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let out = dir.join("d3.parquet");
        let s = runtime
            .block_on(replay::replay(&in_process(), &binding(), &parquet, &out, |_| {}))
            .unwrap();
        let back = runtime.block_on(async {
            let ctx = SessionContext::new();
            ctx.read_parquet(out.to_str().unwrap(), Default::default())
                .await
                .unwrap()
                .collect()
                .await
                .unwrap()
        });
        let rows: usize = back.iter().map(|b| b.num_rows()).sum();
        assert_eq!(rows as u64, ROWS);
        let names: Vec<String> = back[0]
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert_eq!(names, replay::OUTPUT_COLUMNS);
        // Every value, written out as `decide` writes it, is the CSV output's.
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(replay::OUTPUT_COLUMNS).unwrap();
        for b in &back {
            let text: Vec<_> = b
                .columns()
                .iter()
                .map(|c| {
                    datafusion::arrow::compute::cast(c, &datafusion::arrow::datatypes::DataType::Utf8)
                        .unwrap()
                })
                .collect();
            let margin = b
                .column(5)
                .as_primitive::<datafusion::arrow::datatypes::Float64Type>();
            for row in 0..b.num_rows() {
                let cells: Vec<String> = (0..text.len())
                    .map(|i| {
                        if i == 5 {
                            if margin.is_valid(row) {
                                replay::format_margin(margin.value(row))
                            } else {
                                String::new()
                            }
                        } else {
                            let t = text[i].as_string::<i32>();
                            if t.is_valid(row) {
                                t.value(row).to_string()
                            } else {
                                String::new()
                            }
                        }
                    })
                    .collect();
                w.write_record(&cells).unwrap();
            }
        }
        let written = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(written, from_parquet, "the Parquet output = the CSV output");
        ((), s)
    };
    assert_eq!(parquet_summary.rows, ROWS);

    // decide_many on the generator's own rows.
    let engine = binding();
    let mut generator = Generator::new(engine.engine().plan(), SEED);
    let batch = generator.batch(ROWS as usize).unwrap();
    let f = |i: usize| {
        batch
            .column(i)
            .as_primitive::<datafusion::arrow::datatypes::Float64Type>()
            .clone()
    };
    let (lon, lat, alt, unc, speed, heading, tti): (
        Float64Array,
        _,
        _,
        _,
        Float64Array,
        Float64Array,
        Float64Array,
    ) = (f(2), f(3), f(4), f(7), f(8), f(9), f(10));
    let ids = batch.column(0).as_string::<i32>();
    let classes = batch.column(5).as_string::<i32>();
    let identities = batch.column(6).as_string::<i32>();
    let _times = batch.column(1).as_primitive::<TimestampMillisecondType>();
    let tracks: Vec<Track> = (0..batch.num_rows())
        .map(|i| {
            let mut t = Track::new(
                ids.value(i),
                lon.value(i),
                lat.value(i),
                alt.value(i),
                TargetClass::parse(classes.value(i)).unwrap(),
                Identity::parse(identities.value(i)).unwrap(),
            )
            .with_uncertainty(unc.value(i));
            if speed.is_valid(i) {
                t = t.with_intercept(speed.value(i), heading.value(i), tti.value(i));
            }
            t
        })
        .collect();
    let decisions = engine.engine().decide_many(&tracks, PHASE, None);
    let mut lines = from_parquet.lines().skip(1);
    for d in &decisions {
        let line = lines.next().unwrap();
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields[1], if d.is_permit() { "PERMIT" } else { "DENY" }, "{line}");
        assert_eq!(fields[2], d.zone.as_deref().unwrap_or(""), "{line}");
        assert_eq!(fields[4], d.reason_codes(), "{line}");
        assert_eq!(
            fields[5],
            d.margin_m.map(replay::format_margin).unwrap_or_default(),
            "{line}"
        );
    }
}

#[test]
fn ballista_standalone_agrees_with_datafusion() {
    let dir = Dir::new("standalone");
    let (parquet, _) = archives(&dir);
    let (expected, _) = replay_to_csv(&in_process(), &parquet, &dir.join("d1.csv"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let ctx = runtime.block_on(cluster::standalone()).unwrap();
    let summary = runtime
        .block_on(replay::replay(
            &ctx,
            &binding(),
            &parquet,
            &dir.join("d2.csv"),
            |_| {},
        ))
        .unwrap();
    assert_eq!(summary.rows, ROWS);
    assert_eq!(std::fs::read_to_string(dir.join("d2.csv")).unwrap(), expected);
}

/// A child process killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16, what: &str) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{what} did not start listening on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_cluster_of_processes_agrees_with_datafusion() {
    let dir = Dir::new("cluster");
    let (parquet, _) = archives(&dir);
    let (expected, _) = replay_to_csv(&in_process(), &parquet, &dir.join("d1.csv"));

    let log = |name: &str| std::fs::File::create(dir.join(name)).unwrap();
    let scheduler_port = free_port();
    let _scheduler = Process(
        Command::new(env!("CARGO_BIN_EXE_sanctuary-scheduler"))
            .args([
                "--bind",
                "127.0.0.1",
                "--port",
                &scheduler_port.to_string(),
                "--external-host",
                "127.0.0.1",
            ])
            .stdout(log("scheduler.log"))
            .stderr(log("scheduler.err"))
            .spawn()
            .unwrap(),
    );
    wait_for_port(scheduler_port, "the scheduler");
    let mut executors = Vec::new();
    for i in 0..2 {
        let (port, grpc) = (free_port(), free_port());
        let work = dir.join(format!("work{i}"));
        std::fs::create_dir_all(&work).unwrap();
        executors.push(Process(
            Command::new(env!("CARGO_BIN_EXE_sanctuary-executor"))
                .args([
                    "--scheduler",
                    &format!("127.0.0.1:{scheduler_port}"),
                    "--bind",
                    "127.0.0.1",
                ])
                .args(["--port", &port.to_string(), "--grpc-port", &grpc.to_string()])
                .args(["--external-host", "127.0.0.1", "--slots", "1"])
                .arg("--work-dir")
                .arg(&work)
                .stdout(log(&format!("executor{i}.log")))
                .stderr(log(&format!("executor{i}.err")))
                .spawn()
                .unwrap(),
        ));
        wait_for_port(port, "an executor");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let url = format!("df://127.0.0.1:{scheduler_port}");
    let ctx = runtime.block_on(cluster::remote(&url)).unwrap();
    let result = runtime.block_on(replay::replay(
        &ctx,
        &binding(),
        &parquet,
        &dir.join("d2.csv"),
        |_| {},
    ));
    if let Err(e) = &result {
        for name in ["scheduler.err", "executor0.err", "executor1.err"] {
            eprintln!(
                "== {name}\n{}",
                std::fs::read_to_string(dir.join(name)).unwrap_or_default()
            );
        }
        panic!("replay on the cluster failed: {e}");
    }
    assert_eq!(result.unwrap().rows, ROWS);
    assert_eq!(std::fs::read_to_string(dir.join("d2.csv")).unwrap(), expected);

    // A longitude that is NaN beside equal ones (the file's statistics show one value):
    // the cluster reads it, as in-process DataFusion does, and denies the track.
    let trap = dir.join("nan.parquet");
    let batch = datafusion::arrow::array::RecordBatch::try_from_iter([
        (
            "id",
            Arc::new(datafusion::arrow::array::StringArray::from(vec!["a", "b"])) as _,
        ),
        ("lon", Arc::new(Float64Array::from(vec![30.52, f64::NAN])) as _),
        ("lat", Arc::new(Float64Array::from(vec![50.45, 50.45])) as _),
        ("alt_m", Arc::new(Float64Array::from(vec![800.0, 800.0])) as _),
        (
            "class",
            Arc::new(datafusion::arrow::array::StringArray::from(vec!["uas"; 2])) as _,
        ),
        (
            "identity",
            Arc::new(datafusion::arrow::array::StringArray::from(vec!["hostile"; 2])) as _,
        ),
    ])
    .unwrap();
    let mut w = datafusion::parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(&trap).unwrap(),
        batch.schema(),
        None,
    )
    .unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let (local, _) = replay_to_csv(&in_process(), &trap, &dir.join("nan1.csv"));
    runtime
        .block_on(replay::replay(
            &ctx,
            &binding(),
            &trap,
            &dir.join("nan2.csv"),
            |_| {},
        ))
        .unwrap();
    assert_eq!(std::fs::read_to_string(dir.join("nan2.csv")).unwrap(), local);
    assert!(local.lines().nth(2).unwrap().contains("invalid_track"), "{local}");
}
