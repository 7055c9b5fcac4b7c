//! Inputs whose columns are not the generator's: ids that are numbers, text in each of
//! Arrow's layouts.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::prelude::SessionContext;
use sanctuary::plan::{Identity, TargetClass};
use sanctuary::{Engine, Plan, Track};
use sanctuary_datafusion::{replay, Binding};

use crate::TempDir;

/// Writes `columns` as one Parquet file; returns its metadata.
fn write_parquet(
    path: &std::path::Path,
    columns: Vec<(&str, ArrayRef)>,
    props: Option<datafusion::parquet::file::properties::WriterProperties>,
) -> Result<datafusion::parquet::file::metadata::ParquetMetaData, Box<dyn std::error::Error>> {
    let batch = RecordBatch::try_from_iter(columns)?;
    let mut w = ArrowWriter::try_new(std::fs::File::create(path)?, batch.schema(), props)?;
    w.write(&batch)?;
    Ok(w.close()?)
}

#[test]
fn numeric_ids_are_read_as_their_text() {
    let dir = TempDir::new("inputs");
    let archive = dir.join("numeric-ids.parquet");
    // Lviv (a sanctuary in phase 1) and Kharkiv (none).
    let (lon, lat) = (vec![24.03, 36.23], vec![49.84, 49.99]);
    write_parquet(
        &archive,
        vec![
            (
                "id",
                Arc::new(Int64Array::from(vec![7, 1_234_567_890_123])) as ArrayRef,
            ),
            ("lon", Arc::new(Float64Array::from(lon.clone()))),
            ("lat", Arc::new(Float64Array::from(lat.clone()))),
            ("alt_m", Arc::new(Float64Array::from(vec![800.0, 800.0]))),
            ("class", Arc::new(StringArray::from(vec!["uas", "uas"]))),
            (
                "identity",
                Arc::new(StringArray::from(vec!["hostile", "hostile"])),
            ),
        ],
        None,
    )
    .unwrap();

    let engine = Arc::new(Engine::new(Plan::safe_haven().unwrap()));
    let binding = Binding::new(Arc::clone(&engine), Some("1"), None).unwrap();
    let out = dir.join("decisions.csv");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let ctx = replay::in_process_context();
    let summary = runtime
        .block_on(replay::replay(&ctx, &binding, &archive, &out, |_| {}))
        .unwrap();
    assert_eq!(summary.rows, 2);
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().skip(1).collect();
    for (i, id) in ["7", "1234567890123"].iter().enumerate() {
        let track = Track::new(*id, lon[i], lat[i], 800.0, TargetClass::Uas, Identity::Hostile);
        let d = engine.decide(&track, "1", None);
        let verdict = if d.is_permit() { "PERMIT" } else { "DENY" };
        let line = lines.get(i).copied().unwrap_or_default();
        assert!(
            line.starts_with(&format!("{id},{verdict},")),
            "row {i}: {line} (expected id {id}, {verdict})"
        );
    }
    assert_eq!(summary.permits, 1, "Lviv is permitted, Kharkiv is not");
}

/// The function reads text in each of Arrow's layouts (plain, large, views, and
/// dictionaries) the same way: numbers as text, codes, ids.
#[test]
fn every_text_layout_gives_the_same_decisions() {
    use datafusion::arrow::array::{LargeStringArray, StringViewArray};
    use datafusion::arrow::compute::cast;
    use datafusion::datasource::MemTable;

    let rows: [[&str; 6]; 5] = [
        ["a", "24.03", "49.84", "800", "uas", "hostile"],
        ["b", " 36.23 ", "49.99", "800", "uas", "hostile"],
        ["c", "24.03", "49.84", "800", " cruise_missile ", "friend"],
        ["d", "24.03", "", "800", "uas", "hostile"],
        ["e", "24.03", "49.84", "800", "frigate", "hostile"],
    ];
    let names = ["id", "lon", "lat", "alt_m", "class", "identity"];
    let plain: Vec<ArrayRef> = (0..6)
        .map(|c| Arc::new(StringArray::from(rows.iter().map(|r| r[c]).collect::<Vec<_>>())) as ArrayRef)
        .collect();
    let layouts: Vec<(&str, Vec<ArrayRef>)> = vec![
        ("plain", plain.clone()),
        (
            "large",
            plain
                .iter()
                .map(|a| {
                    Arc::new(LargeStringArray::from(
                        a.as_any()
                            .downcast_ref::<StringArray>()
                            .unwrap()
                            .iter()
                            .collect::<Vec<_>>(),
                    )) as ArrayRef
                })
                .collect(),
        ),
        (
            "views",
            plain
                .iter()
                .map(|a| {
                    Arc::new(StringViewArray::from_iter(
                        a.as_any().downcast_ref::<StringArray>().unwrap().iter(),
                    )) as ArrayRef
                })
                .collect(),
        ),
        (
            "dictionaries",
            plain
                .iter()
                .map(|a| {
                    cast(
                        a,
                        &DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
                    )
                    .unwrap()
                })
                .collect(),
        ),
    ];
    let engine = Arc::new(Engine::new(Plan::safe_haven().unwrap()));
    let binding = Binding::new(Arc::clone(&engine), Some("1"), None).unwrap();
    let expected: Vec<String> = rows
        .iter()
        .map(|r| {
            let number = |s: &str| s.trim().parse::<f64>().unwrap_or(f64::NAN);
            let track = Track::new(
                r[0],
                number(r[1]),
                number(r[2]),
                number(r[3]),
                TargetClass::parse(r[4].trim()).unwrap_or(TargetClass::Unknown),
                Identity::parse(r[5].trim()).unwrap_or(Identity::Unknown),
            );
            let known = TargetClass::parse(r[4].trim()).is_some() && Identity::parse(r[5].trim()).is_some();
            let d = if known {
                engine.decide(&track, "1", None)
            } else {
                // An unknown code: the row is unreadable.
                let bad = Track::new(
                    r[0],
                    f64::NAN,
                    f64::NAN,
                    f64::NAN,
                    TargetClass::Unknown,
                    Identity::Unknown,
                );
                engine.decide(&bad, "1", None)
            };
            let reasons: Vec<&str> = d.reasons.iter().map(|x| x.as_str()).collect();
            format!("{:?} {}", d.verdict, reasons.join(";"))
        })
        .collect();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for (layout, columns) in layouts {
        let fields: Vec<Field> = names
            .iter()
            .zip(&columns)
            .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
            .collect();
        let schema = Arc::new(Schema::new(fields));
        let batch = RecordBatch::try_new(Arc::clone(&schema), columns).unwrap();
        let ctx = SessionContext::new();
        sanctuary_datafusion::register(&ctx, &binding);
        ctx.register_table(
            "t",
            Arc::new(MemTable::try_new(schema, vec![vec![batch]]).unwrap()),
        )
        .unwrap();
        let got: Vec<String> = runtime.block_on(async {
            let sql = "SELECT d['verdict'] AS v, array_to_string(d['reasons'], ';') AS r \
                       FROM (SELECT sanctuary_decide(id, lon, lat, alt_m, class, identity) AS d FROM t)";
            let out = ctx.sql(sql).await.unwrap().collect().await.unwrap();
            let mut got = Vec::new();
            for b in out {
                let v = cast(b.column(0), &DataType::Utf8).unwrap();
                let r = cast(b.column(1), &DataType::Utf8).unwrap();
                let v = v.as_any().downcast_ref::<StringArray>().unwrap();
                let r = r.as_any().downcast_ref::<StringArray>().unwrap();
                for i in 0..b.num_rows() {
                    let verdict = if v.value(i) == "PERMIT" { "Permit" } else { "Deny" };
                    got.push(format!("{verdict} {}", r.value(i)));
                }
            }
            got
        });
        assert_eq!(got, expected, "layout {layout}");
    }
}

/// Decimal columns (Spark writes DECIMAL(38,18)) are read as their exact value, rounded
/// once to the nearest `f64`, as `decide` reads the same digits as text: Arrow's cast to
/// `Float64` divides a rounded mantissa by a power of ten, and rounds twice.
#[test]
fn decimal_numbers_are_read_as_their_exact_value() {
    use datafusion::arrow::array::{Array, AsArray, Decimal128Array};
    use datafusion::arrow::compute::cast;
    use datafusion::arrow::datatypes::Float64Type;
    use datafusion::datasource::MemTable;

    // Positions with six decimals around the edges of phase 1's sanctuaries, so that
    // most decisions measure their margin exactly.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = |lo: i64, span: i64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        lo + i64::try_from((state >> 33) % u64::try_from(span).unwrap()).unwrap()
    };
    let micro: Vec<(i64, i64)> = (0..400)
        .map(|_| (next(22_000_000, 5_000_000), next(47_500_000, 4_500_000)))
        .collect();
    let text = |m: i64| format!("{}.{:06}", m / 1_000_000, m % 1_000_000);
    let decimal = |values: Vec<i64>| -> ArrayRef {
        let scaled: Vec<i128> = values
            .iter()
            .map(|&m| i128::from(m) * 1_000_000_000_000)
            .collect();
        Arc::new(
            Decimal128Array::from(scaled)
                .with_precision_and_scale(38, 18)
                .unwrap(),
        )
    };
    let lon = decimal(micro.iter().map(|p| p.0).collect());
    let lat = decimal(micro.iter().map(|p| p.1).collect());
    // The trap is set: Arrow's cast gives another number than the digits for some rows.
    let as_cast = cast(&lat, &DataType::Float64).unwrap();
    let off = micro
        .iter()
        .zip(as_cast.as_primitive::<Float64Type>().values())
        .filter(|(p, v)| text(p.1).parse::<f64>().unwrap() != **v)
        .count();
    assert!(off > 0, "no latitude is rounded twice by the cast");

    let rows = micro.len();
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("id", Arc::new(StringArray::from(vec!["t"; rows]))),
        ("lon", lon),
        ("lat", lat),
        ("alt_m", decimal(vec![800_000_000; rows])),
        ("class", Arc::new(StringArray::from(vec!["uas"; rows]))),
        ("identity", Arc::new(StringArray::from(vec!["hostile"; rows]))),
    ];
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let engine = Arc::new(Engine::new(Plan::safe_haven().unwrap()));
    let binding = Binding::new(Arc::clone(&engine), Some("1"), None).unwrap();
    let ctx = SessionContext::new();
    sanctuary_datafusion::register(&ctx, &binding);
    ctx.register_table(
        "t",
        Arc::new(MemTable::try_new(batch.schema(), vec![vec![batch]]).unwrap()),
    )
    .unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let out = runtime.block_on(async {
        let sql = "SELECT d['margin_m'] AS m, d['verdict'] = 'PERMIT' AS p \
                   FROM (SELECT sanctuary_decide(id, lon, lat, alt_m, class, identity) AS d FROM t)";
        ctx.sql(sql).await.unwrap().collect().await.unwrap()
    });
    let mut got = Vec::new();
    for b in &out {
        let m = b.column(0).as_primitive::<Float64Type>();
        let p = b.column(1).as_boolean();
        for i in 0..b.num_rows() {
            got.push((m.is_valid(i).then(|| m.value(i).to_bits()), p.value(i)));
        }
    }
    let mut exact = 0;
    let expected: Vec<(Option<u64>, bool)> = micro
        .iter()
        .map(|&(x, y)| {
            let number = |m: i64| text(m).parse::<f64>().unwrap();
            let track = Track::new(
                "t",
                number(x),
                number(y),
                800.0,
                TargetClass::Uas,
                Identity::Hostile,
            );
            let d = engine.decide(&track, "1", None);
            exact += usize::from(d.margin_m.is_some() && !d.margin_is_lower_bound);
            (d.margin_m.map(f64::to_bits), d.is_permit())
        })
        .collect();
    assert!(exact >= 20, "only {exact} margins measured exactly");
    assert_eq!(got.len(), expected.len());
    // A mantissa wider than the declared precision (a file can hold one) is read whole,
    // not cut to the precision's digits: 1234.567890 is out of range, not 123.456789.
    // Narrow and wide decimals read as the same digits in 128 bits.
    let odd = |column: ArrayRef| -> Vec<String> {
        let n = column.len();
        let batch = RecordBatch::try_from_iter([
            ("lon", column),
            ("lat", Arc::new(Float64Array::from(vec![49.84; n])) as ArrayRef),
        ])
        .unwrap();
        let ctx = SessionContext::new();
        sanctuary_datafusion::register(&ctx, &binding);
        ctx.register_table(
            "o",
            Arc::new(MemTable::try_new(batch.schema(), vec![vec![batch]]).unwrap()),
        )
        .unwrap();
        let out = runtime.block_on(async {
            ctx.sql("SELECT array_to_string(sanctuary_decide(lon, lat, 800.0, 'uas', 'hostile')['reasons'], ';') FROM o")
                .await
                .unwrap()
                .collect()
                .await
                .unwrap()
        });
        out.iter()
            .flat_map(|b| {
                let r = cast(b.column(0), &DataType::Utf8).unwrap();
                let r = r.as_string::<i32>();
                (0..r.len()).map(|i| r.value(i).to_string()).collect::<Vec<_>>()
            })
            .collect()
    };
    let wide = Arc::new(
        Decimal128Array::from(vec![1_234_567_890_i128, 24_030_000])
            .with_precision_and_scale(9, 6)
            .unwrap(),
    );
    assert_eq!(odd(wide), ["invalid_track", ""]);
    let narrow = Arc::new(
        datafusion::arrow::array::Decimal32Array::from(vec![24_030_000, 36_230_000])
            .with_precision_and_scale(9, 6)
            .unwrap(),
    );
    let wider = Arc::new(
        datafusion::arrow::array::Decimal256Array::from(vec![
            datafusion::arrow::datatypes::i256::from_i128(24_030_000),
            datafusion::arrow::datatypes::i256::from_i128(36_230_000),
        ])
        .with_precision_and_scale(60, 6)
        .unwrap(),
    );
    assert_eq!(odd(narrow), ["", "outside_active_sanctuary"]);
    assert_eq!(odd(wider), ["", "outside_active_sanctuary"]);
    let differ: Vec<usize> = (0..rows).filter(|&i| got.get(i) != expected.get(i)).collect();
    assert!(
        differ.is_empty(),
        "{} rows differ from `decide`'s, first {:?}",
        differ.len(),
        differ.first()
    );
}

/// Times given as text are Unix seconds (a decimal number) or RFC 3339, in CSV and in
/// Parquet; a decimal time column is read through its digits. Each row is decided in the
/// phase in force at that time, the whole second at a phase's start included.
#[test]
fn times_in_text_and_decimals_are_read_as_unix_seconds() {
    use datafusion::arrow::array::Decimal128Array;
    let dir = TempDir::new("times");
    let engine = Arc::new(Engine::new(Plan::safe_haven().unwrap()));
    let binding = Binding::new(Arc::clone(&engine), None, None).unwrap();
    // Each phase's first second and the second before it, plus a fraction.
    let starts: Vec<i64> = engine
        .plan()
        .phases()
        .iter()
        .filter_map(|p| p.start_unix_s)
        .collect();
    assert!(starts.len() >= 3, "the plan's phases have start times");
    let mut times: Vec<String> = Vec::new();
    for s in &starts {
        times.push(s.to_string());
        times.push(format!("{}.999999", s - 1));
        times.push(format!("{s}.5"));
    }
    // Just before the first phase starts (2027-01-01), by digits whose nearest `f64` is
    // still before it; Arrow's cast of the decimal to `Float64` rounds it up to the start.
    let before_first = "1798761599.999999880353312562";
    assert_eq!(starts.first(), Some(&1_798_761_600));
    let cast = datafusion::arrow::compute::cast(
        &(Arc::new(
            Decimal128Array::from(vec![1_798_761_599_999_999_880_353_312_562_i128])
                .with_precision_and_scale(38, 18)
                .unwrap(),
        ) as ArrayRef),
        &DataType::Float64,
    )
    .unwrap();
    let cast = cast.as_any().downcast_ref::<Float64Array>().unwrap().value(0);
    assert!(cast.floor() == 1_798_761_600.0 && before_first.parse::<f64>().unwrap().floor() < cast);
    times.push(before_first.into());
    times.push("2030-03-17T17:46:40Z".into());
    times.push("not a time".into());
    times.push("NaN".into());
    let expected: Vec<String> = times
        .iter()
        .map(|t| {
            let track = Track::new("t", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
            let seconds = match t.parse::<f64>() {
                Ok(v) => v,
                Err(_) => sanctuary::plan::parse_rfc3339(t).map_or(f64::NAN, |s| s as f64),
            };
            let d = engine.decide_at_track_time(&track.at_time(seconds), None);
            let verdict = if d.is_permit() { "PERMIT" } else { "DENY" };
            let reasons: Vec<&str> = d.reasons.iter().map(|r| r.as_str()).collect();
            format!("{verdict},{},{}", d.phase.unwrap_or_default(), reasons.join(";"))
        })
        .collect();
    assert!(expected.iter().any(|e| e.starts_with("PERMIT")));
    assert!(expected.iter().any(|e| e.contains("invalid_track")));
    let run = |archive: &std::path::Path, out: &std::path::Path| -> Vec<String> {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let ctx = replay::in_process_context();
        runtime
            .block_on(replay::replay(&ctx, &binding, archive, out, |_| {}))
            .unwrap();
        std::fs::read_to_string(out)
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                format!("{},{},{}", f[1], f[3], f[4])
            })
            .collect()
    };
    // CSV: every time as text.
    let csv = dir.join("times.csv");
    let mut text = String::from("id,lon,lat,alt_m,class,identity,time\n");
    for t in &times {
        text.push_str(&format!("t,24.03,49.84,800,uas,hostile,{t}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    assert_eq!(run(&csv, &dir.join("csv.csv")), expected, "CSV");
    // Parquet: the numeric times as DECIMAL(38,18), each with its digits.
    let numeric: Vec<(usize, i128)> = times
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let (whole, part) = t.split_once('.').unwrap_or((t, ""));
            let whole: i128 = whole.parse().ok()?;
            let part: i128 = format!("{part:0<18}").parse().ok()?;
            Some((i, whole * 10_i128.pow(18) + part))
        })
        .collect();
    let n = numeric.len();
    let parquet = dir.join("times.parquet");
    write_parquet(
        &parquet,
        vec![
            ("id", Arc::new(StringArray::from(vec!["t"; n])) as ArrayRef),
            ("lon", Arc::new(Float64Array::from(vec![24.03; n]))),
            ("lat", Arc::new(Float64Array::from(vec![49.84; n]))),
            ("alt_m", Arc::new(Float64Array::from(vec![800.0; n]))),
            ("class", Arc::new(StringArray::from(vec!["uas"; n]))),
            ("identity", Arc::new(StringArray::from(vec!["hostile"; n]))),
            (
                "time",
                Arc::new(
                    Decimal128Array::from(numeric.iter().map(|p| p.1).collect::<Vec<_>>())
                        .with_precision_and_scale(38, 18)
                        .unwrap(),
                ),
            ),
        ],
        None,
    )
    .unwrap();
    let want: Vec<String> = numeric.iter().map(|p| expected[p.0].clone()).collect();
    assert_eq!(run(&parquet, &dir.join("parquet.csv")), want, "Parquet decimals");
}

#[test]
fn a_missing_column_is_a_typed_error_and_writes_nothing() {
    let dir = TempDir::new("missing");
    let engine = Arc::new(Engine::new(Plan::safe_haven().unwrap()));
    let by_phase = Binding::new(Arc::clone(&engine), Some("1"), None).unwrap();
    let by_time = Binding::new(Arc::clone(&engine), None, None).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let run = |binding: &Binding, archive: &std::path::Path| {
        let ctx = replay::in_process_context();
        let out = dir.join("missing-out.csv");
        runtime.block_on(replay::replay(&ctx, binding, archive, &out, |_| {}))
    };
    let leftovers = || {
        std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".replay.parquet"))
            .count()
    };

    // A CSV without `identity` (its rows would otherwise be read).
    let csv = dir.join("no-identity.csv");
    std::fs::write(&csv, "id,lon,lat,alt_m,class\na,24.03,49.84,800,uas\n").unwrap();
    let r = run(&by_phase, &csv);
    assert!(
        matches!(&r, Err(replay::ReplayError::MissingColumn { column: "identity", by_time: false, path }) if *path == csv),
        "expected a missing `identity`, got {r:?}"
    );
    assert_eq!(leftovers(), 0, "no scratch file is left behind");
    assert!(!dir.join("missing-out.csv").exists(), "no output is started");

    // A whole track, but decisions by time need `time`.
    let csv = dir.join("no-time.csv");
    std::fs::write(
        &csv,
        "id,lon,lat,alt_m,class,identity\na,24.03,49.84,800,uas,hostile\n",
    )
    .unwrap();
    let r = run(&by_time, &csv);
    assert!(
        matches!(
            &r,
            Err(replay::ReplayError::MissingColumn {
                column: "time",
                by_time: true,
                ..
            })
        ),
        "expected a missing `time`, got {r:?}"
    );
    let message = r.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("and time"), "{message}");
    assert!(run(&by_phase, &csv).is_ok(), "the same file replays by phase");

    // A Parquet archive without `lat`.
    let archive = dir.join("no-lat.parquet");
    write_parquet(
        &archive,
        vec![
            ("id", Arc::new(StringArray::from(vec!["a"])) as ArrayRef),
            ("lon", Arc::new(Float64Array::from(vec![24.03]))),
            ("alt_m", Arc::new(Float64Array::from(vec![800.0]))),
            ("class", Arc::new(StringArray::from(vec!["uas"]))),
            ("identity", Arc::new(StringArray::from(vec!["hostile"]))),
        ],
        None,
    )
    .unwrap();
    let r = run(&by_phase, &archive);
    assert!(
        matches!(&r, Err(replay::ReplayError::MissingColumn { column: "lat", .. })),
        "expected a missing `lat`, got {r:?}"
    );

    // No archive at all, in either format: a read error naming it.
    for name in ["nowhere.parquet", "nowhere.csv"] {
        let missing = dir.join(name);
        let r = run(&by_phase, &missing);
        assert!(
            matches!(&r, Err(replay::ReplayError::Read { path, .. } | replay::ReplayError::Header { path, .. }) if *path == missing),
            "{name}: {r:?}"
        );
    }
}

#[test]
fn an_output_that_is_the_archive_is_refused_and_the_archive_kept() {
    let dir = TempDir::new("same");
    let engine = Arc::new(Engine::new(Plan::safe_haven().unwrap()));
    let binding = Binding::new(Arc::clone(&engine), Some("1"), None).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let csv = dir.join("tracks.csv");
    std::fs::write(
        &csv,
        "id,lon,lat,alt_m,class,identity\na,24.03,49.84,800,uas,hostile\n",
    )
    .unwrap();
    // Any Parquet file will do: the refusal comes before the archive is read.
    let parquet = dir.join("tracks.parquet");
    let ctx = replay::in_process_context();
    runtime
        .block_on(replay::replay(&ctx, &binding, &csv, &parquet, |_| {}))
        .unwrap();
    let hard = dir.join("hard-link.parquet");
    std::fs::hard_link(&parquet, &hard).unwrap();
    #[cfg(unix)]
    let symbolic = {
        let link = dir.join("symbolic-link.csv");
        std::os::unix::fs::symlink(&csv, &link).unwrap();
        Some(link)
    };
    #[cfg(not(unix))]
    let symbolic: Option<std::path::PathBuf> = None;
    let mut cases = vec![
        (csv.clone(), csv.clone()),
        (csv.clone(), dir.join(".").join("tracks.csv")),
        (parquet.clone(), parquet.clone()),
        (parquet.clone(), hard.clone()),
    ];
    if let Some(link) = symbolic {
        cases.push((csv.clone(), link));
    }
    for (tracks, out) in cases {
        let before = std::fs::read(&tracks).unwrap();
        let ctx = replay::in_process_context();
        let r = runtime.block_on(replay::replay(&ctx, &binding, &tracks, &out, |_| {}));
        assert!(
            matches!(&r, Err(replay::ReplayError::OutputIsArchive { .. })),
            "{} into {}: {r:?}",
            tracks.display(),
            out.display()
        );
        assert_eq!(
            std::fs::read(&tracks).unwrap(),
            before,
            "{} is unchanged",
            tracks.display()
        );
    }
    // An output that is a directory is refused before the archive is read.
    let folder = dir.join("folder.csv");
    std::fs::create_dir_all(&folder).unwrap();
    let ctx = replay::in_process_context();
    let r = runtime.block_on(replay::replay(&ctx, &binding, &csv, &folder, |_| {}));
    assert!(
        matches!(&r, Err(replay::ReplayError::Write { path, .. }) if *path == folder),
        "{r:?}"
    );
    // A new output beside the archive is fine.
    let ctx = replay::in_process_context();
    let summary = runtime
        .block_on(replay::replay(&ctx, &binding, &csv, &dir.join("out.csv"), |_| {}))
        .unwrap();
    assert_eq!(summary.rows, 1);
}

/// The names in `dir` that begin with a dot: the hidden files a run leaves behind.
#[cfg(unix)]
fn hidden_files(dir: &std::path::Path) -> std::io::Result<Vec<String>> {
    let mut hidden = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            hidden.push(name);
        }
    }
    Ok(hidden)
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_symbolic_link_is_written_through_it() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new("link");
    let runs = dir.join("runs");
    std::fs::create_dir_all(&runs).unwrap();
    let engine = Arc::new(Engine::new(Plan::safe_haven().unwrap()));
    let binding = Binding::new(Arc::clone(&engine), Some("1"), None).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let csv = dir.join("tracks.csv");
    std::fs::write(
        &csv,
        "id,lon,lat,alt_m,class,identity\na,24.03,49.84,800,uas,hostile\nb,36.0,50.0,800,uas,hostile\n",
    )
    .unwrap();
    let run = |out: &std::path::Path| {
        let ctx = replay::in_process_context();
        runtime.block_on(replay::replay(&ctx, &binding, &csv, out, |_| {}))
    };
    let is_link = |p: &std::path::Path| std::fs::symlink_metadata(p).unwrap().file_type().is_symlink();

    // A link (relative, as `ln -s runs/decisions.csv latest.csv` makes) to an existing
    // file, and a link to that link: the file is replaced, both links stay.
    let file = runs.join("decisions.csv");
    std::fs::write(&file, "old\n").unwrap();
    let latest = dir.join("latest.csv");
    symlink("runs/decisions.csv", &latest).unwrap();
    let again = dir.join("again.csv");
    symlink(&latest, &again).unwrap();
    for out in [&latest, &again] {
        std::fs::write(&file, "old\n").unwrap();
        assert_eq!(run(out).unwrap().rows, 2, "{}", out.display());
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.starts_with("id,verdict,zone,phase,reasons"), "{text}");
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(is_link(&latest) && is_link(&again), "the links are kept");
        assert_eq!(
            std::fs::read_link(&latest).unwrap(),
            std::path::Path::new("runs/decisions.csv")
        );
    }
    // A link to a file not there yet: the file is made where the link points.
    let fresh = dir.join("fresh.parquet");
    symlink(runs.join("fresh.parquet"), &fresh).unwrap();
    assert_eq!(run(&fresh).unwrap().rows, 2);
    assert!(is_link(&fresh) && runs.join("fresh.parquet").is_file());
    // Links in a loop: a write error naming the output, and nothing written.
    let (a, b) = (dir.join("a.csv"), dir.join("b.csv"));
    symlink(&b, &a).unwrap();
    symlink(&a, &b).unwrap();
    let r = run(&a);
    assert!(
        matches!(&r, Err(replay::ReplayError::Write { path, .. }) if *path == a),
        "{r:?}"
    );
    // The archive generator writes through a link the same way.
    let archive = dir.join("archive.parquet");
    symlink("runs/archive.parquet", &archive).unwrap();
    sanctuary_datafusion::archive::write_archive(engine.plan(), 7, 100, &archive).unwrap();
    assert!(is_link(&archive) && runs.join("archive.parquet").is_file());
    assert!(hidden_files(&dir).unwrap().is_empty() && hidden_files(&runs).unwrap().is_empty());
}

/// Parquet's statistics leave NaN out of a float column's minimum and maximum, and
/// DataFusion 55 reads a column whose statistics show one value (and no nulls) as that
/// value without reading it. A longitude that is NaN beside valid ones of a single value
/// must still be read as NaN, an invalid track, on every session a replay runs on.
#[test]
fn a_nan_beside_one_repeated_value_is_read_as_nan_not_from_the_statistics() {
    let dir = TempDir::new("nan");
    let archive = dir.join("nan.parquet");
    let meta = write_parquet(
        &archive,
        vec![
            ("id", Arc::new(StringArray::from(vec!["a", "b", "c"])) as ArrayRef),
            ("lon", Arc::new(Float64Array::from(vec![24.03, f64::NAN, 24.03]))),
            ("lat", Arc::new(Float64Array::from(vec![49.84, 49.84, f64::NAN]))),
            ("alt_m", Arc::new(Float64Array::from(vec![800.0; 3]))),
            ("class", Arc::new(StringArray::from(vec!["uas"; 3]))),
            ("identity", Arc::new(StringArray::from(vec!["hostile"; 3]))),
        ],
        None,
    )
    .unwrap();
    // The trap is set: the file's statistics say the longitudes are all 24.03.
    let lon = meta.row_groups()[0].column(1).statistics().unwrap();
    assert_eq!(lon.min_bytes_opt(), lon.max_bytes_opt());
    assert_eq!(lon.null_count_opt(), Some(0));

    let engine = Arc::new(Engine::new(Plan::safe_haven().unwrap()));
    let binding = Binding::new(Arc::clone(&engine), Some("1"), None).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let contexts = [
        ("in-process", replay::in_process_context()),
        (
            "Ballista standalone",
            runtime
                .block_on(sanctuary_datafusion::cluster::standalone())
                .unwrap(),
        ),
    ];
    for (name, ctx) in contexts {
        let out = dir.join(format!("{}.csv", name.replace(' ', "-")));
        let summary = runtime
            .block_on(replay::replay(&ctx, &binding, &archive, &out, |_| {}))
            .unwrap();
        let text = std::fs::read_to_string(&out).unwrap();
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(rows.len(), 3, "{name}: {text}");
        assert!(rows[0].starts_with("a,PERMIT,"), "{name}: {text}");
        for row in &rows[1..] {
            assert!(
                row.contains(",DENY,") && row.contains("invalid_track"),
                "{name}: {text}"
            );
        }
        assert_eq!(summary.permits, 1, "{name}");
    }
}

#[test]
fn a_replay_that_fails_midway_leaves_no_partial_output() {
    use datafusion::parquet::file::properties::WriterProperties;
    let dir = TempDir::new("partial");
    // An archive of three row groups whose last one is damaged: the first batches are
    // decided and written before the scan fails.
    let archive = dir.join("damaged.parquet");
    let rows = 3_000;
    // Values that vary: a column whose statistics show one value may be taken from them
    // without reading its pages.
    let varying = |from: f64| {
        Arc::new(Float64Array::from(
            (0..rows).map(|i| from + i as f64 * 1e-6).collect::<Vec<_>>(),
        ))
    };
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(1_000))
        .build();
    let meta = write_parquet(
        &archive,
        vec![
            (
                "id",
                Arc::new(StringArray::from(
                    (0..rows).map(|i| format!("t{i}")).collect::<Vec<_>>(),
                )) as ArrayRef,
            ),
            ("lon", varying(24.03)),
            ("lat", varying(49.84)),
            ("alt_m", Arc::new(Float64Array::from(vec![800.0; rows]))),
            ("class", Arc::new(StringArray::from(vec!["uas"; rows]))),
            ("identity", Arc::new(StringArray::from(vec!["hostile"; rows]))),
        ],
        Some(props),
    )
    .unwrap();
    let groups = meta.row_groups();
    assert_eq!(groups.len(), 3);
    let lon = groups[2].column(1);
    let start = usize::try_from(lon.data_page_offset()).unwrap();
    let mut bytes = std::fs::read(&archive).unwrap();
    // The page header of the longitudes' first data page.
    for b in bytes.iter_mut().skip(start).take(16) {
        *b = 0xff;
    }
    std::fs::write(&archive, &bytes).unwrap();

    let engine = Arc::new(Engine::new(Plan::safe_haven().unwrap()));
    let binding = Binding::new(Arc::clone(&engine), Some("1"), None).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for name in ["decisions.csv", "decisions.parquet"] {
        let out = dir.join(name);
        std::fs::write(&out, b"an earlier output").unwrap();
        let ctx = replay::in_process_context();
        let mut decided = 0;
        let r = runtime.block_on(replay::replay(&ctx, &binding, &archive, &out, |n| decided = n));
        assert!(matches!(&r, Err(replay::ReplayError::Query(_))), "{name}: {r:?}");
        assert!(
            decided > 0,
            "{name}: the failure came after some rows were decided"
        );
        assert_eq!(
            std::fs::read(&out).unwrap(),
            b"an earlier output",
            "{name} is untouched"
        );
        let partial = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
            .count();
        assert_eq!(partial, 0, "{name}: no partial output is left");
    }
}
