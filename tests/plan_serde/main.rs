//! Serde for `Plan`: a serialised plan is a plan document that `Plan::from_json_str` (and
//! `Deserialize`) read back into the same plan, with the same content hash.

// Test code: a failed unwrap or index is a failed test. (clippy.toml's allow-*-in-tests
// covers only `#[test]` functions, not the helpers.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use sanctuary::{geometry::ZoneGeometry, plan::TimeWindow, Plan};
use serde_json::{json, Value};

/// Everything the hash covers, and the rest, is equal.
fn assert_same_plan(a: &Plan, b: &Plan) {
    assert_eq!(a.name(), b.name());
    assert_eq!(a.description(), b.description());
    assert_eq!(a.phases(), b.phases());
    assert_eq!(a.partners(), b.partners());
    let specs = |p: &Plan| p.index().zones().iter().map(|z| z.to_spec()).collect::<Vec<_>>();
    assert_eq!(specs(a), specs(b));
    assert_eq!(a.zone_plans(), b.zone_plans());
    assert_eq!(a.hash(), b.hash());
}

/// Serialises, reloads through `from_json_str` and through `Deserialize`, and checks both
/// give the same plan; returns the document.
fn round_trip(plan: &Plan) -> Value {
    let text = serde_json::to_string(plan).unwrap();
    let back = Plan::from_json_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_same_plan(plan, &back);
    let de: Plan = serde_json::from_str(&text).unwrap();
    assert_same_plan(plan, &de);
    // Through a `serde_json::Value` too (another deserialiser than the text one).
    let value = serde_json::to_value(plan).unwrap();
    let from_value: Plan = serde_json::from_value(value.clone()).unwrap();
    assert_same_plan(plan, &from_value);
    // Writing the reloaded plan gives the same document.
    assert_eq!(serde_json::to_string(&back).unwrap(), text);
    value
}

#[test]
fn the_embedded_plan_round_trips_with_the_same_hash() {
    let plan = Plan::safe_haven().unwrap();
    let doc = round_trip(&plan);
    // Every zone is inline: no `source`, and no `default_rules` (rules are written out).
    let zones = doc["zones"].as_array().unwrap();
    assert_eq!(zones.len(), plan.index().zones().len());
    for z in zones {
        assert!(z.get("source").is_none(), "{z}");
        assert!(z.get("geometry").is_some(), "{z}");
        let sanctuary = z["kind"] == "sanctuary";
        assert_eq!(z.get("rules").is_some(), sanctuary, "{z}");
    }
    assert!(doc.get("default_rules").is_none());
    assert_eq!(doc["phases"][0]["start"], "2027-01-01T00:00:00Z");
    assert_eq!(doc["phases"][6]["start"], "2027-12-01T00:00:00Z");
    // A circle is a Point with `radius_m`.
    assert!(zones
        .iter()
        .any(|z| z["geometry"]["type"] == "Point" && z["radius_m"].is_number()));
}

/// A plan with every feature of the format: time windows (interval and weekly, one past
/// midnight), circles, a multipolygon with a hole, a great-circle zone, partners with
/// caveats, rule partner lists (one empty), bands on zones and rules, activation ranges,
/// default rules, an exclusion and pre-1970 and offset phase starts.
fn rich_plan_text() -> String {
    let square = |x: f64, y: f64, d: f64| json!([[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]);
    json!({
        "name": "Rich",
        "description": "every feature",
        "phases": [
            {"id": "a", "name": "before", "start": "1969-07-20T20:17:40Z"},
            {"id": "b", "name": "leap", "start": "2024-02-29T12:00:00+01:00"},
            {"id": "c", "name": "later", "start": "2027-03-01T00:00:00.5Z"}
        ],
        "partners": [
            {"id": "P1", "name": "One", "excluded_classes": ["manned_aircraft", "uas", "uas"],
             "min_standoff_m": 1500.5},
            {"id": "P2"}
        ],
        "default_rules": [
            {"classes": ["uas", "cruise_missile"], "weapons": "tight", "floor_m": 0,
             "ceiling_m": 12000, "standoff_m": 1000}
        ],
        "zones": [
            {"id": "poly", "name": "Polygon", "geometry": {"type": "Polygon",
              "coordinates": [square(24.0, 49.0, 1.0)]},
             "floor_m": -50.25, "ceiling_m": 9000, "active_until": "c",
             "windows": [{"start": "2027-01-01T00:00:00Z", "end": "2027-02-01T06:30:00+02:00"},
                         {"days": ["sat", "mon"], "from": "22:00", "to": "06:00"}]},
            {"id": "multi", "geometry": {"type": "MultiPolygon", "coordinates": [
                [square(30.0, 50.0, 1.0), [[30.2, 50.2], [30.2, 50.4], [30.4, 50.4], [30.4, 50.2], [30.2, 50.2]]],
                [square(32.0, 50.0, 0.5)]
             ]},
             "edges": "great_circle", "active_from": "b",
             "rules": [
                {"from_phase": "b", "until_phase": "c", "classes": ["uas"], "weapons": "free",
                 "standoff_m": 0, "partners": ["P2", "P1", "P2"],
                 "windows": [{"days": ["tue"], "from": "08:00", "to": "17:45"}]},
                {"classes": ["ballistic_missile"], "weapons": "hold", "ceiling_m": 100000,
                 "standoff_m": 250.125, "partners": []},
                {"from_phase": "c", "classes": ["unknown", "manned_aircraft"], "weapons": "tight",
                 "floor_m": 10, "standoff_m": 3000}
             ]},
            {"id": "circle", "geometry": {"type": "Point", "coordinates": [34.567891234, 47.123456789]},
             "radius_m": 12345.678, "ceiling_m": 500, "active_from": "a",
             "windows": [{"start": "1969-12-31T23:59:59Z", "end": "2100-03-01T00:00:00Z"}]},
            {"id": "mono", "geometry": {"type": "MultiPolygon", "coordinates": [[square(36.0, 48.0, 0.25)]]},
             "rules": []},
            {"id": "excl", "kind": "exclusion", "geometry": {"type": "Point", "coordinates": [22.0, 48.0]},
             "radius_m": 5000, "active_from": "b",
             "windows": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "to": "23:59"}]}
        ]
    })
    .to_string()
}

#[test]
fn a_plan_with_windows_circles_multipolygons_partners_and_bands_round_trips() {
    let plan = Plan::from_json_str(&rich_plan_text()).unwrap();
    let doc = round_trip(&plan);
    let zone = |id: &str| {
        doc["zones"]
            .as_array()
            .unwrap()
            .iter()
            .find(|z| z["id"] == id)
            .unwrap()
            .clone()
    };
    // Zones in id order.
    let ids: Vec<&str> = doc["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["circle", "excl", "mono", "multi", "poly"]);
    // Phase starts in UTC: the offset and the fraction are resolved.
    assert_eq!(doc["phases"][0]["start"], "1969-07-20T20:17:40Z");
    assert_eq!(doc["phases"][1]["start"], "2024-02-29T11:00:00Z");
    assert_eq!(doc["phases"][2]["start"], "2027-03-01T00:00:00Z");
    let poly = zone("poly");
    assert_eq!(poly["active_from"], "a");
    assert_eq!(poly["active_until"], "c");
    assert_eq!(poly["floor_m"], -50.25);
    assert_eq!(
        poly["windows"],
        json!([{"start": "2027-01-01T00:00:00Z", "end": "2027-02-01T04:30:00Z"},
               {"days": ["mon", "sat"], "from": "22:00", "to": "06:00"}])
    );
    // The default rules are written out.
    assert_eq!(poly["rules"][0]["classes"], json!(["cruise_missile", "uas"]));
    let multi = zone("multi");
    assert_eq!(multi["geometry"]["type"], "MultiPolygon");
    assert_eq!(multi["edges"], "great_circle");
    assert_eq!(multi["rules"][0]["partners"], json!(["P1", "P2"]));
    assert_eq!(multi["rules"][0]["until_phase"], "c");
    assert_eq!(multi["rules"][1]["partners"], json!([]));
    assert!(multi["rules"][2].get("partners").is_none());
    // A one-polygon MultiPolygon is stored, and written, as a Polygon.
    assert_eq!(zone("mono")["geometry"]["type"], "Polygon");
    assert_eq!(zone("mono")["rules"], json!([]));
    let circle = zone("circle");
    assert_eq!(
        circle["geometry"],
        json!({"type": "Point", "coordinates": [34.567891234, 47.123456789]})
    );
    assert_eq!(circle["radius_m"], 12345.678);
    let excl = zone("excl");
    assert_eq!(excl["kind"], "exclusion");
    assert!(excl.get("rules").is_none());
    let circle_zone = plan.index().zones().iter().find(|z| z.id() == "circle").unwrap();
    assert!(matches!(
        circle_zone.to_spec().geometry,
        ZoneGeometry::Circle { .. }
    ));
    assert_eq!(plan.partners()[0].min_standoff_m, 1500.5);
    // The reloaded plan decides the same way: its windows are equal.
    let back = Plan::from_json_str(&doc.to_string()).unwrap();
    let weekly = TimeWindow::weekly(&["mon", "sat"], "22:00", "06:00").unwrap();
    let poly_plan = &back.zone_plans()[4];
    assert_eq!(poly_plan.windows[1], weekly);
}

#[test]
fn phases_without_start_times_round_trip() {
    let text = json!({
        "name": "No times",
        "phases": [{"id": "0", "name": "zero"}, {"id": "1", "name": "one"}],
        "zones": [{"id": "z", "geometry": {"type": "Point", "coordinates": [10.0, 10.0]},
                   "radius_m": 1000, "rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}]}]
    })
    .to_string();
    let plan = Plan::from_json_str(&text).unwrap();
    let doc = round_trip(&plan);
    assert!(doc["phases"][0].get("start").is_none());
    assert!(doc.get("description").is_none());
}

#[test]
fn an_invalid_document_is_refused_naming_the_path() {
    let mut doc: Value = serde_json::from_str(&rich_plan_text()).unwrap();
    doc["zones"][1]["active_from"] = json!("nope");
    let err = serde_json::from_value::<Plan>(doc.clone())
        .unwrap_err()
        .to_string();
    assert!(err.contains("zones[1].active_from"), "{err}");
    assert!(err.contains("unknown phase `nope`"), "{err}");
    // The same text as `from_json_str`'s error.
    let direct = Plan::from_json_str(&doc.to_string()).unwrap_err().to_string();
    assert!(err.starts_with(&direct), "{err} / {direct}");
    // Through the text deserialiser the position of the input is added, not that of the
    // re-encoded document.
    let err = serde_json::from_str::<Plan>(&doc.to_string())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with(&direct), "{err} / {direct}");
}

#[test]
fn structural_errors_name_the_path_without_a_stale_position() {
    let mut doc: Value = serde_json::from_str(&rich_plan_text()).unwrap();
    doc["zones"][2]["rules"] = json!([{"classes": ["uas"], "weapons": "sometimes", "standoff_m": 0}]);
    let err = serde_json::from_value::<Plan>(doc).unwrap_err().to_string();
    assert!(
        err.starts_with("zones[2].rules[0].weapons: unknown variant `sometimes`"),
        "{err}"
    );
    assert!(!err.contains("line"), "{err}");
    let mut doc: Value = serde_json::from_str(&rich_plan_text()).unwrap();
    doc["phases"][1].as_object_mut().unwrap().remove("name");
    let err = serde_json::from_value::<Plan>(doc).unwrap_err().to_string();
    assert!(err.starts_with("phases[1]: missing field `name`"), "{err}");
}

#[test]
fn a_source_reference_is_refused() {
    let plan_text = json!({
        "name": "Sourced",
        "phases": [{"id": "0", "name": "zero"}],
        "zones": [{"id": "UA-46", "source": {"file": "ukraine-oblasts.geojson", "feature": "UA-46"},
                   "rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}]}]
    })
    .to_string();
    let err = serde_json::from_str::<Plan>(&plan_text).unwrap_err().to_string();
    assert!(err.starts_with("zones[0].source: "), "{err}");
    assert!(err.contains("inline `geometry`"), "{err}");
}

#[test]
fn a_key_given_twice_is_refused() {
    let text = rich_plan_text().replacen("\"name\":\"Rich\"", "\"name\":\"Rich\",\"name\":\"Again\"", 1);
    assert!(text.contains("Again"));
    // The plan loader refuses it, and so does `Deserialize` (a JSON value would keep the last).
    assert!(Plan::from_json_str(&text).is_err());
    let err = serde_json::from_str::<Plan>(&text).unwrap_err().to_string();
    assert!(err.starts_with(".: duplicate field `name`"), "{err}");
    let text = rich_plan_text().replacen("\"id\":\"b\"", "\"id\":\"b\",\"id\":\"b\"", 1);
    assert!(Plan::from_json_str(&text).is_err());
    let err = serde_json::from_str::<Plan>(&text).unwrap_err().to_string();
    assert!(err.starts_with("phases[1]: duplicate field `id`"), "{err}");
}

#[test]
fn a_plan_nested_in_another_document_round_trips() {
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Envelope {
        version: u32,
        plan: Plan,
    }
    let plan = Plan::from_json_str(&rich_plan_text()).unwrap();
    let text = serde_json::to_string(&Envelope { version: 1, plan }).unwrap();
    let back: Envelope = serde_json::from_str(&text).unwrap();
    assert_eq!(back.version, 1);
    assert_eq!(
        back.plan.hash(),
        Plan::from_json_str(&rich_plan_text()).unwrap().hash()
    );
}
