//! The functions decide exactly as `Engine::decide` (and `decide_at_track_time`) on the
//! same tracks: random batches with nulls, NaN, infinities, out-of-range values, bad codes
//! and ids, half velocities, every class and identity, every phase and partner.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Float64Array, ListArray, RecordBatch, StringArray, StructArray,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use sanctuary::engine::Velocity;
use sanctuary::plan::{Identity, TargetClass};
use sanctuary::{Decision, Engine, Plan, Track, Verdict};
use sanctuary_datafusion::{register, replay, Binding};

static ENGINE: LazyLock<Arc<Engine>> = LazyLock::new(|| Arc::new(Engine::new(Plan::safe_haven().unwrap())));

#[derive(Debug, Clone)]
struct Row {
    id: Option<String>,
    time: Option<f64>,
    lon: Option<f64>,
    lat: Option<f64>,
    alt_m: Option<f64>,
    class: Option<String>,
    identity: Option<String>,
    uncertainty_m: Option<f64>,
    speed_mps: Option<f64>,
    heading_deg: Option<f64>,
    tti_s: Option<f64>,
}

fn special() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        Just(None),
        Just(Some(f64::NAN)),
        Just(Some(f64::INFINITY)),
        Just(Some(f64::NEG_INFINITY)),
        Just(Some(-0.0)),
    ]
}

fn number(lo: f64, hi: f64, wild_lo: f64, wild_hi: f64) -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        12 => (lo..hi).prop_map(Some),
        2 => (wild_lo..wild_hi).prop_map(Some),
        1 => special(),
    ]
}

fn optional(lo: f64, hi: f64) -> impl Strategy<Value = Option<f64>> {
    prop_oneof![3 => Just(None), 6 => (lo..hi).prop_map(Some), 1 => special()]
}

fn code(all: Vec<&'static str>) -> impl Strategy<Value = Option<String>> {
    let n = all.len();
    prop_oneof![
        10 => (0..n).prop_map(move |i| Some(all[i].to_string())),
        1 => (0..n).prop_map(move |i| Some(format!("  {}\t", ["uas", "hostile", "friend"][i % 3]))),
        1 => Just(Some("bogus".to_string())),
        1 => Just(Some(String::new())),
        1 => Just(None),
    ]
}

fn id() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        10 => "[a-z0-9-]{1,30}".prop_map(Some),
        1 => Just(Some(String::new())),
        1 => Just(Some("line\nbreak".to_string())),
        1 => Just(Some("x".repeat(200))),
        1 => Just(None),
    ]
}

fn row() -> impl Strategy<Value = Row> {
    // Every code the `decide` example documents.
    let classes = vec![
        "cruise_missile",
        "ballistic_missile",
        "uas",
        "manned_aircraft",
        "unknown",
    ];
    let identities = vec!["hostile", "suspect", "unknown", "neutral", "friend"];
    let starts: Vec<i64> = ENGINE
        .plan()
        .phases()
        .iter()
        .filter_map(|p| p.start_unix_s)
        .collect();
    let (t0, t1) = (
        *starts.iter().min().unwrap() as f64 - 86_400.0,
        *starts.iter().max().unwrap() as f64 + 86_400.0,
    );
    (
        id(),
        number(t0, t1, -1e12, 1e12),
        number(22.0, 41.0, -400.0, 400.0),
        number(44.0, 53.0, -120.0, 120.0),
        number(0.0, 12_000.0, -1e6, 1e6),
        code(classes),
        code(identities),
        (
            optional(0.0, 8_000.0),
            optional(0.0, 3_000.0),
            optional(0.0, 360.0),
            optional(0.0, 600.0),
        ),
        prop::bool::weighted(0.1),
    )
        .prop_map(
            |(id, time, lon, lat, alt_m, class, identity, (u, s, h, t), negative_u)| Row {
                id,
                time,
                lon,
                lat,
                alt_m,
                class,
                identity,
                uncertainty_m: if negative_u { Some(-10.0) } else { u },
                speed_mps: s,
                heading_deg: h,
                tti_s: t,
            },
        )
}

/// The track of a row for a function without a time argument.
fn untimed(r: &Row) -> Track {
    track(&Row {
        time: None,
        ..r.clone()
    })
}

/// The track of a row, by the crate's documented reading rules (not its code).
fn track(r: &Row) -> Track {
    let id = r.id.clone().unwrap_or_default();
    let finite = |v: Option<f64>| v.filter(|x| x.is_finite());
    let unreadable = || {
        Track::new(
            id.clone(),
            f64::NAN,
            f64::NAN,
            f64::NAN,
            TargetClass::Unknown,
            Identity::Unknown,
        )
    };
    let (Some(lon), Some(lat), Some(alt)) = (finite(r.lon), finite(r.lat), finite(r.alt_m)) else {
        return unreadable();
    };
    let Some(class) = r.class.as_deref().and_then(|c| TargetClass::parse(c.trim())) else {
        return unreadable();
    };
    let Some(identity) = r.identity.as_deref().and_then(|c| Identity::parse(c.trim())) else {
        return unreadable();
    };
    // An optional value that is present must be finite.
    let opt = |v: Option<f64>| match v {
        None => Some(None),
        Some(x) if x.is_finite() => Some(Some(x)),
        Some(_) => None,
    };
    let (Some(u), Some(s), Some(h), Some(t)) = (
        opt(r.uncertainty_m),
        opt(r.speed_mps),
        opt(r.heading_deg),
        opt(r.tti_s),
    ) else {
        return unreadable();
    };
    let velocity = match (s, h) {
        (Some(speed_mps), Some(heading_deg)) => Some(Velocity {
            speed_mps,
            heading_deg,
        }),
        (None, None) => None,
        _ => return unreadable(),
    };
    let mut t_ = Track::new(id, lon, lat, alt, class, identity);
    t_.uncertainty_m = u;
    t_.velocity = velocity;
    t_.tti_s = t;
    t_.time_unix_s = finite(r.time);
    t_
}

fn batch(rows: &[Row]) -> RecordBatch {
    let f = |get: fn(&Row) -> Option<f64>| -> ArrayRef {
        Arc::new(Float64Array::from(rows.iter().map(get).collect::<Vec<_>>()))
    };
    let s = |get: fn(&Row) -> Option<String>| -> ArrayRef {
        Arc::new(StringArray::from(rows.iter().map(get).collect::<Vec<_>>()))
    };
    let schema = Schema::new(vec![
        Field::new("id", DataType::Utf8, true),
        Field::new("time", DataType::Float64, true),
        Field::new("lon", DataType::Float64, true),
        Field::new("lat", DataType::Float64, true),
        Field::new("alt_m", DataType::Float64, true),
        Field::new("class", DataType::Utf8, true),
        Field::new("identity", DataType::Utf8, true),
        Field::new("uncertainty_m", DataType::Float64, true),
        Field::new("speed_mps", DataType::Float64, true),
        Field::new("heading_deg", DataType::Float64, true),
        Field::new("tti_s", DataType::Float64, true),
    ]);
    RecordBatch::try_new(
        Arc::new(schema),
        vec![
            s(|r| r.id.clone()),
            f(|r| r.time),
            f(|r| r.lon),
            f(|r| r.lat),
            f(|r| r.alt_m),
            s(|r| r.class.clone()),
            s(|r| r.identity.clone()),
            f(|r| r.uncertainty_m),
            f(|r| r.speed_mps),
            f(|r| r.heading_deg),
            f(|r| r.tti_s),
        ],
    )
    .unwrap()
}

/// A runtime on the test's own thread.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Runs `sql` over table `t` of `rows` with the binding's functions; one struct column.
fn run(binding: &Binding, rows: &[Row], sql: &str) -> Vec<StructArray> {
    run_in(SessionContext::new(), binding, rows, sql)
}

/// [`run`] in `ctx`.
fn run_in(ctx: SessionContext, binding: &Binding, rows: &[Row], sql: &str) -> Vec<StructArray> {
    let runtime = runtime();
    runtime.block_on(async {
        register(&ctx, binding);
        let b = batch(rows);
        ctx.register_table(
            "t",
            Arc::new(MemTable::try_new(b.schema(), vec![vec![b]]).unwrap()),
        )
        .unwrap();
        let out = ctx.sql(sql).await.unwrap().collect().await.unwrap();
        out.iter().map(|b| b.column(0).as_struct().clone()).collect()
    })
}

fn check(d: &Decision, s: &StructArray, row: usize) -> Result<(), TestCaseError> {
    let text = |name: &str| {
        let column = s.column_by_name(name).unwrap();
        let a = datafusion::arrow::compute::cast(column, &DataType::Utf8).unwrap();
        let a = a.as_string::<i32>();
        a.is_valid(row).then(|| a.value(row).to_string())
    };
    let verdict = match d.verdict {
        Verdict::Permit => "PERMIT",
        Verdict::Deny => "DENY",
    };
    let verdict_got = text("verdict");
    prop_assert_eq!(verdict_got.as_deref(), Some(verdict));
    let zone_got = text("zone");
    prop_assert_eq!(zone_got.as_deref(), d.zone.as_deref());
    let phase_got = text("phase");
    prop_assert_eq!(phase_got.as_deref(), d.phase.as_deref());
    let exclusion_got = text("exclusion");
    prop_assert_eq!(exclusion_got.as_deref(), d.exclusion.as_deref());
    prop_assert_eq!(text("plan_hash"), Some(d.plan_hash.to_string()));
    let reasons: &ListArray = s.column_by_name("reasons").unwrap().as_list();
    let codes = reasons.value(row);
    let codes: Vec<&str> = codes.as_string::<i32>().iter().map(|c| c.unwrap()).collect();
    let want: Vec<&str> = d.reasons.iter().map(|r| r.as_str()).collect();
    prop_assert_eq!(codes, want);
    let margin: &Float64Array = s.column_by_name("margin_m").unwrap().as_primitive();
    let got = margin.is_valid(row).then(|| margin.value(row).to_bits());
    prop_assert_eq!(got, d.margin_m.map(f64::to_bits));
    let bound: &BooleanArray = s.column_by_name("margin_is_lower_bound").unwrap().as_boolean();
    prop_assert_eq!(bound.value(row), d.margin_is_lower_bound);
    Ok(())
}

fn compare(results: &[StructArray], expected: &[Decision]) -> Result<(), TestCaseError> {
    let mut i = 0;
    for s in results {
        for row in 0..s.len() {
            prop_assert!(i < expected.len(), "more rows than input rows");
            check(&expected[i], s, row)?;
            i += 1;
        }
    }
    prop_assert_eq!(i, expected.len(), "one output row per input row");
    Ok(())
}

fn phase_and_partner() -> impl Strategy<Value = (usize, Option<usize>)> {
    let phases = ENGINE.plan().phases().len();
    let partners = ENGINE.plan().partners().len();
    (0..phases, prop::option::of(0..partners.max(1)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn decide_matches_the_engine(rows in prop::collection::vec(row(), 1..300), (phase, partner) in phase_and_partner()) {
        let plan = ENGINE.plan();
        let phase = plan.phases()[phase].id.clone();
        let partner = partner.and_then(|p| plan.partners().get(p)).map(|p| p.id.to_string());
        let binding = Binding::new(Arc::clone(&ENGINE), Some(&phase), partner.as_deref()).unwrap();
        let expected: Vec<Decision> = rows.iter().map(|r| ENGINE.decide(&untimed(r), phase.as_str(), partner.as_deref())).collect();
        let full = run(&binding, &rows, "SELECT sanctuary_decide(id, lon, lat, alt_m, class, identity, uncertainty_m, speed_mps, heading_deg, tti_s) FROM t");
        compare(&full, &expected)?;
        // Without the intercept columns and the id: every track is called `track`.
        let short: Vec<Row> = rows.iter().map(|r| Row { id: Some("track".into()), uncertainty_m: None, speed_mps: None, heading_deg: None, tti_s: None, ..r.clone() }).collect();
        let expected: Vec<Decision> = short.iter().map(|r| ENGINE.decide(&untimed(r), phase.as_str(), partner.as_deref())).collect();
        let got = run(&binding, &rows, "SELECT sanctuary_decide(lon, lat, alt_m, class, identity) FROM t");
        compare(&got, &expected)?;
    }

    #[test]
    fn decide_at_matches_the_engine(rows in prop::collection::vec(row(), 1..300), (_, partner) in phase_and_partner()) {
        let plan = ENGINE.plan();
        let partner = partner.and_then(|p| plan.partners().get(p)).map(|p| p.id.to_string());
        let binding = Binding::new(Arc::clone(&ENGINE), None, partner.as_deref()).unwrap();
        let expected: Vec<Decision> = rows.iter().map(|r| ENGINE.decide_at_track_time(&track(r), partner.as_deref())).collect();
        let got = run(&binding, &rows, "SELECT sanctuary_decide_at(time, id, lon, lat, alt_m, class, identity, uncertainty_m, speed_mps, heading_deg, tti_s) FROM t");
        compare(&got, &expected)?;
    }
}

/// A batch large enough to be decided on several threads gives the same decisions, in
/// order: split into chunks on rayon's threads when the query runs fewer partitions than
/// rayon has threads (as the replay's single ordered partition does; three chunks for
/// 3,500 rows), whole otherwise.
#[test]
fn a_large_batch_keeps_order_and_decisions() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let rows: Vec<Row> = (0..3_500)
        .map(|_| row().new_tree(&mut runner).unwrap().current())
        .collect();
    let binding = Binding::new(Arc::clone(&ENGINE), Some("3"), None).unwrap();
    let expected: Vec<Decision> = rows
        .iter()
        .map(|r| ENGINE.decide(&untimed(r), "3", None))
        .collect();
    let sql = "SELECT sanctuary_decide(id, lon, lat, alt_m, class, identity, uncertainty_m, speed_mps, heading_deg, tti_s) FROM t";
    for partitions in [1, 8] {
        let config = replay::session_config().with_target_partitions(partitions);
        let got = run_in(SessionContext::new_with_config(config), &binding, &rows, sql);
        compare(&got, &expected).unwrap();
    }
    let got = run(&binding, &rows, sql);
    compare(&got, &expected).unwrap();
    assert!(
        expected.iter().any(Decision::is_permit),
        "the batch should hold permits too"
    );
}

#[test]
fn unknown_phase_or_partner_is_refused_at_binding() {
    let e = Binding::new(Arc::clone(&ENGINE), Some("9"), None).unwrap_err();
    assert!(e.to_string().contains("unknown phase `9`"), "{e}");
    let e = Binding::new(Arc::clone(&ENGINE), Some("1"), Some("XXX")).unwrap_err();
    assert!(e.to_string().contains("unknown partner `XXX`"), "{e}");
}

#[test]
fn wrong_argument_counts_and_types_fail_at_planning() {
    let binding = Binding::new(Arc::clone(&ENGINE), Some("1"), None).unwrap();
    let runtime = runtime();
    runtime.block_on(async {
        let ctx = SessionContext::new();
        register(&ctx, &binding);
        let e = ctx
            .sql("SELECT sanctuary_decide(1.0, 2.0, 3.0)")
            .await
            .unwrap_err();
        assert!(e.to_string().contains("takes 5, 6, 9 or 10 arguments"), "{e}");
        let e = ctx
            .sql("SELECT sanctuary_decide(1.0, 2.0, 3.0, true, 'hostile')")
            .await
            .unwrap_err();
        assert!(e.to_string().contains("argument class must be a string"), "{e}");
    });
}

#[test]
fn locate_names_the_zones_of_the_index() {
    let binding = Binding::new(Arc::clone(&ENGINE), Some("1"), None).unwrap();
    let rows: Vec<Row> = [(24.03, 49.84), (30.52, 50.45), (f64::NAN, 50.0), (200.0, 50.0)]
        .iter()
        .map(|&(lon, lat)| Row {
            id: None,
            time: None,
            lon: Some(lon),
            lat: Some(lat),
            alt_m: None,
            class: None,
            identity: None,
            uncertainty_m: None,
            speed_mps: None,
            heading_deg: None,
            tti_s: None,
        })
        .collect();
    let got = run(&binding, &rows, "SELECT sanctuary_locate(lon, lat) FROM t");
    let s = &got[0];
    let index = ENGINE.plan().index();
    for (row, r) in rows.iter().enumerate() {
        match index.locate(r.lon.unwrap(), r.lat.unwrap()) {
            Ok(loc) => {
                assert!(s.is_valid(row));
                let inside: &ListArray = s.column_by_name("inside").unwrap().as_list();
                let ids = inside.value(row);
                let ids: Vec<&str> = ids.as_string::<i32>().iter().map(|c| c.unwrap()).collect();
                assert_eq!(ids, index.ids(&loc.inside));
            }
            Err(_) => assert!(s.is_null(row), "row {row} should be null"),
        }
    }
}

/// `sanctuary_locate` reads decimal and text columns as the decision function does: each
/// value the nearest `f64` to its digits; text that is not a finite number is a null.
#[test]
fn locate_reads_decimals_and_text_as_numbers() {
    use datafusion::arrow::array::Decimal128Array;
    let points = [
        ("24.03", "49.84"),
        ("30.52", "50.45"),
        ("36.23", "49.99"),
        (" 24.123456 ", "49.876543"),
        ("23.999999", "50.000001"),
        ("abc", "50.0"),
        ("NaN", "50.0"),
        ("200.0", "50.0"),
    ];
    let digits = |t: &str| -> Option<i128> {
        let t = t.trim();
        let (whole, part) = t.split_once('.').unwrap_or((t, ""));
        let whole: i128 = whole.parse().ok()?;
        let part: i128 = format!("{part:0<18}").parse().ok()?;
        Some(whole * 10_i128.pow(18) + part)
    };
    let decimal = |column: Vec<Option<i128>>| -> ArrayRef {
        Arc::new(
            Decimal128Array::from(column)
                .with_precision_and_scale(38, 18)
                .unwrap(),
        )
    };
    let batch = RecordBatch::try_from_iter([
        (
            "lon_t",
            Arc::new(StringArray::from(points.iter().map(|p| p.0).collect::<Vec<_>>())) as ArrayRef,
        ),
        (
            "lat_t",
            Arc::new(StringArray::from(points.iter().map(|p| p.1).collect::<Vec<_>>())) as ArrayRef,
        ),
        ("lon_d", decimal(points.iter().map(|p| digits(p.0)).collect())),
        ("lat_d", decimal(points.iter().map(|p| digits(p.1)).collect())),
    ])
    .unwrap();
    let ctx = SessionContext::new();
    let binding = Binding::new(Arc::clone(&ENGINE), Some("1"), None).unwrap();
    register(&ctx, &binding);
    ctx.register_table(
        "p",
        Arc::new(MemTable::try_new(batch.schema(), vec![vec![batch]]).unwrap()),
    )
    .unwrap();
    let out = runtime().block_on(async {
        ctx.sql("SELECT sanctuary_locate(lon_t, lat_t), sanctuary_locate(lon_d, lat_d) FROM p")
            .await
            .unwrap()
            .collect()
            .await
            .unwrap()
    });
    let index = ENGINE.plan().index();
    let ids = |s: &StructArray, field: &str, row: usize| -> Vec<String> {
        let list: &ListArray = s.column_by_name(field).unwrap().as_list();
        list.value(row)
            .as_string::<i32>()
            .iter()
            .map(|c| c.unwrap().to_string())
            .collect()
    };
    let mut located = 0;
    for b in &out {
        for column in 0..2 {
            let s = b.column(column).as_struct();
            for (row, (lon, lat)) in points.iter().enumerate() {
                let number = |t: &str| t.trim().parse::<f64>().ok().filter(|v| v.is_finite());
                let want = match (number(lon), number(lat)) {
                    (Some(x), Some(y)) => index.locate(x, y).ok(),
                    _ => None,
                };
                // A decimal column cannot hold the text that is not a number: a null there.
                match want {
                    Some(loc) => {
                        assert!(s.is_valid(row), "column {column} row {row}");
                        assert_eq!(
                            ids(s, "inside", row),
                            index.ids(&loc.inside),
                            "column {column} row {row}"
                        );
                        assert_eq!(
                            ids(s, "boundary", row),
                            index.ids(&loc.boundary),
                            "column {column} row {row}"
                        );
                        located += 1;
                    }
                    None => assert!(s.is_null(row), "column {column} row {row} should be null"),
                }
            }
        }
    }
    assert_eq!(located, 2 * 5);
}
