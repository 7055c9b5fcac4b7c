//! Unit tests of the audit log.
use super::*;

#[test]
fn numbers_are_read_exactly() {
    // serde_json without `float_roundtrip` reads this literal one ulp off.
    let v: Value = serde_json::from_str("[25.048890007667694]").unwrap_or(Value::Null);
    assert_eq!(v[0].as_f64(), "25.048890007667694".parse::<f64>().ok());
}

#[test]
fn nulls_in_a_track_are_found() {
    let v = serde_json::json!({"lon": 1.0, "velocity": {"speed_mps": null}});
    assert_eq!(
        null_path(&v, "track").as_deref(),
        Some("track.velocity.speed_mps")
    );
    assert_eq!(null_path(&serde_json::json!({"a": [1, 2]}), "track"), None);
}
