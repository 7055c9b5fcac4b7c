//! Small plans built in code for the engine tests.

use sanctuary::{
    plan::{Identity, TargetClass},
    Engine, Plan, Track,
};
use serde_json::{json, Value};

/// A lon/lat box as a closed GeoJSON polygon ring.
pub fn boxed(lon0: f64, lat0: f64, lon1: f64, lat1: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]]})
}

/// The default rule used by most test plans: uas and cruise missiles, tight, 0–10 km,
/// 2 km standoff.
pub fn rule() -> Value {
    json!({"classes": ["uas", "cruise_missile"], "weapons": "tight", "floor_m": 0, "ceiling_m": 10000, "standoff_m": 2000})
}

/// Two adjacent sanctuaries A (20–25°E) and B (25–30°E) between 48° and 50°N; A from
/// phase 1, B from phase 2; an exclusion X (26–27°E, 48.5–49°N) inside B from phase 1.
pub fn two_box_plan() -> Value {
    json!({
        "name": "two boxes",
        "phases": [{"id": "0", "name": "none"}, {"id": "1", "name": "A"}, {"id": "2", "name": "A+B"}],
        "partners": [{"id": "P1"}, {"id": "P2", "excluded_classes": ["cruise_missile"], "min_standoff_m": 50000}],
        "default_rules": [rule()],
        "zones": [
            {"id": "A", "geometry": boxed(20.0, 48.0, 25.0, 50.0), "active_from": "1"},
            {"id": "B", "geometry": boxed(25.0, 48.0, 30.0, 50.0), "active_from": "2"},
            {"id": "X", "kind": "exclusion", "geometry": boxed(26.0, 48.5, 27.0, 49.0), "active_from": "1"}
        ]
    })
}

pub fn engine(plan: &Value) -> Engine {
    match Plan::from_json_str(&plan.to_string()) {
        Ok(p) => Engine::new(p),
        Err(e) => panic!("test plan invalid: {e}"),
    }
}

pub fn drone(lon: f64, lat: f64) -> Track {
    Track::new("t", lon, lat, 1000.0, TargetClass::Uas, Identity::Hostile)
}
