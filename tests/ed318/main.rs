//! ED-318 import and export: every upstream example, the invalid one refused, round trips,
//! conservative conversions, refusals naming the place, and hand checks of the schema's
//! required fields on exported JSON.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failed expectation is a test failure (clippy.toml only covers #[test] fns)"
)]

mod export;
mod import;
mod refusals;

use sanctuary::{
    ed318::{AglPolicy, Ed318KindMap, Ed318Options},
    geometry::ZoneKind,
};
use serde_json::Value;

pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/ed318/examples/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

pub fn schema(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/ed318/schema/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Exclusions, AGL limits of exclusions dropped (conservative): accepts every valid example.
pub fn exclusions() -> Ed318Options {
    Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion)).agl(AglPolicy::UnboundedForExclusions)
}

/// Sanctuaries with a terrain range: AGL converted and narrowed.
pub fn sanctuaries() -> Ed318Options {
    Ed318Options::new(Ed318KindMap::all(ZoneKind::Sanctuary)).agl(AglPolicy::TerrainRange {
        min_m: 30.0,
        max_m: 130.0,
    })
}

/// The valid examples that are whole documents (collections or a feature).
pub const VALID_DOCUMENTS: [&str; 5] = [
    "Example_Collection.json",
    "Example_GeoZone_2_Layers.json",
    "Example_GeoZone_Circle.json",
    "Example_GeoZone_with_extension.json",
    "PartialExample_featureGeoJSON.json",
];

/// A feature with the given properties and a small triangle, as text.
pub fn feature_with(properties: Value) -> String {
    serde_json::json!({"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [[[2.0, 49.0], [2.1, 49.0], [2.1, 49.1], [2.0, 49.0]]]},
        "properties": properties
    }]})
    .to_string()
}

pub fn minimal_properties() -> serde_json::Map<String, Value> {
    serde_json::json!({
        "identifier": "T1", "country": "FRA", "type": "PROHIBITED", "variant": "COMMON",
        "zoneAuthority": [{"purpose": "INFORMATION"}]
    })
    .as_object()
    .unwrap()
    .clone()
}
