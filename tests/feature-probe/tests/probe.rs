//! Under serde_json's `preserve_order` and `arbitrary_precision` (turned on by this crate,
//! unified into `sanctuary`'s build), the embedded plan has the same hash as in the
//! crate's own tests, zones load with the exact vertices, and the serde round trips hold.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a failed expectation is a test failure"
)]

use sanctuary::{audit::AuditRecord, geojson::zones_from_geojson_file, geometry::ZoneGeometry, Engine, Plan, Track};

/// The same constant as `tests/seams/identity.rs` in the crate.
const SAFE_HAVEN_HASH: &str = "a81d7c5f479aeeec30ec1258e16cbb05642203e72290832cde9cd8bc52d4df97";

const OBLASTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/ukraine-oblasts.geojson");

#[test]
fn the_features_are_really_on() {
    // `arbitrary_precision` keeps a number's text; `preserve_order` keeps key order.
    let v: serde_json::Value = serde_json::from_str(r#"{"b": 1, "a": 0.10000000000000000000001}"#).unwrap();
    assert_eq!(v.to_string(), r#"{"b":1,"a":0.10000000000000000000001}"#);
}

#[test]
fn the_embedded_plan_has_the_pinned_hash() {
    let plan = Plan::safe_haven().unwrap();
    assert_eq!(plan.hash().to_string(), SAFE_HAVEN_HASH);
    // A serde round trip keeps it.
    let back: Plan = serde_json::from_str(&serde_json::to_string(&plan).unwrap()).unwrap();
    assert_eq!(back.hash(), plan.hash());
}

#[test]
fn oblast_vertices_are_the_numbers_in_the_file() {
    let zones = zones_from_geojson_file(OBLASTS).unwrap();
    let vertices = |id: &str| -> Vec<[f64; 2]> {
        let zone = zones.iter().find(|z| z.id() == id).unwrap();
        match zone.to_spec().geometry {
            ZoneGeometry::Polygon { rings } => rings.concat(),
            ZoneGeometry::MultiPolygon { polygons } => polygons.concat().concat(),
            ZoneGeometry::Circle { center, .. } => vec![center],
        }
    };
    // Literals copied from the file; the first is the issue's (one ulp off without
    // `float_roundtrip`).
    for (id, lon, lat) in [
        ("UA-46", "25.048890007667694", "50.347288927342106"),
        ("UA-07", "25.048890007667694", "50.347288927342106"),
        ("UA-46", "25.038503044879576", "50.34943349925658"),
        ("UA-46", "25.05369591633348", "50.3448342961658"),
    ] {
        let p = [lon.parse::<f64>().unwrap(), lat.parse::<f64>().unwrap()];
        assert!(
            vertices(id)
                .iter()
                .any(|v| v[0].to_bits() == p[0].to_bits() && v[1].to_bits() == p[1].to_bits()),
            "{id} ({lon}, {lat})"
        );
    }
}

#[test]
fn tracks_and_audit_records_round_trip_exactly() {
    let engine = Engine::new(Plan::safe_haven().unwrap());
    let track: Track = serde_json::from_str(
        r#"{"id": "t", "lon": 25.048890007667694, "lat": 49.84000000000000341, "alt_m": 5e-324,
            "class": "uas", "identity": "hostile", "uncertainty_m": 0.1, "velocity": {"speed_mps": 1e2, "heading_deg": -0.0}}"#,
    )
    .unwrap();
    assert_eq!(
        track.lon.to_bits(),
        "25.048890007667694".parse::<f64>().unwrap().to_bits()
    );
    assert_eq!(track.alt_m.to_bits(), 1);
    let record = engine.audit(&track, "1", None);
    let back = AuditRecord::from_json_line(&record.to_json_line()).unwrap();
    assert_eq!(back, record);
    assert_eq!(
        back.track.velocity.unwrap().heading_deg.to_bits(),
        (-0.0f64).to_bits()
    );
    assert_eq!(
        back.decision.margin_m.map(f64::to_bits),
        record.decision.margin_m.map(f64::to_bits)
    );
}

#[test]
fn plan_files_with_windows_load() {
    // Time windows are read through an untagged enum, which buffers its content.
    let plan = Plan::from_json_str(
        r#"{"name": "w", "phases": [{"id": "0", "name": "all"}],
        "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0.1,
            "windows": [{"days": ["mon"], "from": "08:00", "to": "10:00"}]}],
        "zones": [{"id": "sq", "geometry": {"type": "Polygon",
            "coordinates": [[[0, 0], [1.0000000000000002, 0], [1, 1], [0, 1], [0, 0]]]},
            "windows": [{"start": "2027-01-01T00:00:00Z", "end": "2028-01-01T00:00:00Z"}]}]}"#,
    )
    .unwrap();
    assert_eq!(plan.zone_plans()[0].rules[0].standoff_m(), 0.1);
    let back: Plan = serde_json::from_str(&serde_json::to_string(&plan).unwrap()).unwrap();
    assert_eq!(back.hash(), plan.hash());
}

#[test]
fn ed318_zones_load_exactly() {
    use sanctuary::{ed318::{Ed318KindMap, Ed318Options, ed318_from_str}, geometry::ZoneKind};
    let text = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
      "geometry": {"type": "Point", "coordinates": [25.048890007667694, 50.347288927342106],
                   "extent": {"subType": "Circle", "radius": 3500.0000000000005},
                   "layer": {"upper": 500, "upperReference": "AMSL", "lower": 0,
                             "lowerReference": "AMSL", "uom": "ft"}},
      "properties": {"identifier": "ABC1234", "country": "FRA", "type": "PROHIBITED",
                     "variant": "COMMON", "zoneAuthority": [{"purpose": "INFORMATION"}]}}]}"#;
    let c = ed318_from_str(text, &Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion))).unwrap();
    let ZoneGeometry::Circle { center, radius_m } = c.zones[0].zone.to_spec().geometry else {
        panic!("not a circle")
    };
    assert_eq!(
        center[0].to_bits(),
        "25.048890007667694".parse::<f64>().unwrap().to_bits()
    );
    assert_eq!(
        center[1].to_bits(),
        "50.347288927342106".parse::<f64>().unwrap().to_bits()
    );
    assert_eq!(
        radius_m.to_bits(),
        "3500.0000000000005".parse::<f64>().unwrap().to_bits()
    );
}

#[test]
fn zones_round_trip_through_their_json_form() {
    use sanctuary::{geometry::ZoneSpec, Zone};
    let circle = Zone::builder("c", ZoneGeometry::circle(30.123456789012345, 50.1, 1_000.000_000_1)).build().unwrap();
    let square = vec![[0.1, 0.2], [1.3, 0.2], [1.3, 1.7], [0.1, 1.7], [0.1, 0.2]];
    let polygon = Zone::builder("p", ZoneGeometry::polygon(vec![square])).build().unwrap();
    for zone in [circle, polygon] {
        let text = serde_json::to_string(&zone).unwrap();
        assert_eq!(serde_json::from_str::<Zone>(&text).unwrap(), zone, "{text}");
    }
    // The earlier form of a circle still reads, exactly.
    let old: ZoneSpec = serde_json::from_str(
        r#"{"id": "c", "geometry": {"type": "circle", "center": [30.123456789012345, 50.1], "radius_m": 1000.0000001}}"#,
    )
    .unwrap();
    assert_eq!(old.geometry, ZoneGeometry::circle(30.123456789012345, 50.1, 1_000.000_000_1));
}
