//! Archives whose columns are not the generator's: ids that are numbers.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::prelude::SessionContext;
use sanctuary::plan::{Identity, TargetClass};
use sanctuary::{Engine, Plan, Track};
use sanctuary_datafusion::{replay, Binding};

#[test]
fn numeric_ids_are_read_as_their_text() {
    let dir = std::env::temp_dir().join(format!("sanctuary-df-inputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let archive = dir.join("numeric-ids.parquet");
    // Lviv (a sanctuary in phase 1) and Kharkiv (none).
    let (lon, lat) = (vec![24.03, 36.23], vec![49.84, 49.99]);
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("lon", DataType::Float64, false),
        Field::new("lat", DataType::Float64, false),
        Field::new("alt_m", DataType::Float64, false),
        Field::new("class", DataType::Utf8, false),
        Field::new("identity", DataType::Utf8, false),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(vec![7, 1_234_567_890_123])),
        Arc::new(Float64Array::from(lon.clone())),
        Arc::new(Float64Array::from(lat.clone())),
        Arc::new(Float64Array::from(vec![800.0, 800.0])),
        Arc::new(StringArray::from(vec!["uas", "uas"])),
        Arc::new(StringArray::from(vec!["hostile", "hostile"])),
    ];
    let mut w = ArrowWriter::try_new(std::fs::File::create(&archive).unwrap(), schema.clone(), None).unwrap();
    w.write(&RecordBatch::try_new(schema, columns).unwrap()).unwrap();
    w.close().unwrap();

    let engine = Arc::new(Engine::new(Plan::safe_haven().unwrap()));
    let binding = Binding::new(Arc::clone(&engine), Some("1"), None).unwrap();
    let out = dir.join("decisions.csv");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let ctx = SessionContext::new_with_config(replay::session_config());
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
    let _ = std::fs::remove_dir_all(&dir);
}
