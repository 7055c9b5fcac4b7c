//! GeoJSON loader errors: each names the feature (`features[i]`) and the problem.

use sanctuary::{
    geojson::{zones_from_geojson_file, zones_from_geojson_str, LoadError},
    geometry::ZoneProblem,
};

const SQUARE: &str = r#"{"type": "Polygon", "coordinates": [[[30,46],[31,46],[31,47],[30,47],[30,46]]]}"#;

/// A FeatureCollection from `(properties, geometry)` JSON snippets.
fn collection(features: &[(&str, &str)]) -> String {
    let fs: Vec<String> = features
        .iter()
        .map(|(props, geom)| format!(r#"{{"type": "Feature", "properties": {props}, "geometry": {geom}}}"#))
        .collect();
    format!(
        r#"{{"type": "FeatureCollection", "features": [{}]}}"#,
        fs.join(",\n")
    )
}

fn load_err(features: &[(&str, &str)]) -> LoadError {
    zones_from_geojson_str(&collection(features)).expect_err("should fail to load")
}

/// Asserts a `Format` error at `place` whose message contains `needle`, and that the
/// error text starts with the feature.
fn assert_format(err: &LoadError, place: &str, needle: &str) {
    match err {
        LoadError::Format { place: p, message } => {
            assert_eq!(p, place, "{err}");
            assert!(message.contains(needle), "{err}");
        }
        other => panic!("expected a format error at {place}, got {other:?}"),
    }
    let feature = place.split('.').next().unwrap();
    assert!(err.to_string().starts_with(feature), "{err}");
}

#[test]
fn valid_collection_loads() {
    let zones = zones_from_geojson_str(&collection(&[
        (
            r#"{"id": "a", "kind": "exclusion", "edges": "great_circle", "floor_m": 0, "ceiling_m": 100}"#,
            SQUARE,
        ),
        (
            r#"{"id": "b", "radius_m": 1000}"#,
            r#"{"type": "Point", "coordinates": [30.5, 46.5, 120]}"#,
        ),
    ]))
    .unwrap();
    assert_eq!(zones.len(), 2);
    assert_eq!(zones[0].kind(), sanctuary::geometry::ZoneKind::Exclusion);
    assert_eq!(zones[0].edge_model(), sanctuary::geometry::EdgeModel::GreatCircle);
    assert_eq!(zones[0].band().unwrap().ceiling_m, Some(100.0));
    assert_eq!(zones[1].id(), "b");
}

#[test]
fn missing_id() {
    let err = load_err(&[(r#"{"id": "a"}"#, SQUARE), (r#"{"name": "no id"}"#, SQUARE)]);
    assert_format(&err, "features[1].properties", "`id`");
}

#[test]
fn empty_id() {
    let err = load_err(&[(r#"{"id": ""}"#, SQUARE)]);
    assert_format(&err, "features[0].properties.id", "empty");
}

#[test]
fn duplicate_id_names_both_features() {
    let err = load_err(&[
        (r#"{"id": "a"}"#, SQUARE),
        (r#"{"id": "b"}"#, SQUARE),
        (r#"{"id": "a"}"#, SQUARE),
    ]);
    assert!(
        matches!(&err, LoadError::DuplicateId { id, first: 0, second: 2 } if id == "a"),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.starts_with("features[2]"), "{text}");
    assert!(text.contains("features[0]") && text.contains("`a`"), "{text}");
}

#[test]
fn wrong_property_types() {
    let cases = [
        (r#"{"id": 7}"#, "features[0].properties.id", "string"),
        (
            r#"{"id": "a", "name": 3}"#,
            "features[0].properties.name",
            "string",
        ),
        (
            r#"{"id": "a", "kind": true}"#,
            "features[0].properties.kind",
            "string",
        ),
        (
            r#"{"id": "a", "edges": 1}"#,
            "features[0].properties.edges",
            "string",
        ),
        (
            r#"{"id": "a", "floor_m": "low"}"#,
            "features[0].properties.floor_m",
            "number",
        ),
        (
            r#"{"id": "a", "ceiling_m": [1]}"#,
            "features[0].properties.ceiling_m",
            "number",
        ),
    ];
    for (props, place, needle) in cases {
        let err = load_err(&[(props, SQUARE)]);
        assert_format(&err, place, needle);
    }
    // And in a later feature, the index is that feature's.
    let err = load_err(&[
        (r#"{"id": "a"}"#, SQUARE),
        (r#"{"id": "b", "floor_m": "x"}"#, SQUARE),
    ]);
    assert_format(&err, "features[1].properties.floor_m", "number");
}

#[test]
fn unknown_kind_and_edges() {
    let err = load_err(&[(r#"{"id": "a", "kind": "sanctum"}"#, SQUARE)]);
    assert_format(&err, "features[0].properties.kind", "`sanctum`");
    let err = load_err(&[(r#"{"id": "a", "edges": "rhumb"}"#, SQUARE)]);
    assert_format(&err, "features[0].properties.edges", "`rhumb`");
}

#[test]
fn unsupported_geometry_type() {
    let line = r#"{"type": "LineString", "coordinates": [[30,46],[31,46]]}"#;
    let err = load_err(&[(r#"{"id": "a"}"#, SQUARE), (r#"{"id": "l"}"#, line)]);
    assert_format(&err, "features[1].geometry", "`LineString`");
    let err = load_err(&[(r#"{"id": "g"}"#, "null")]);
    assert_format(&err, "features[0].geometry", "missing");
}

#[test]
fn point_needs_radius() {
    let point = r#"{"type": "Point", "coordinates": [30.5, 46.5]}"#;
    let err = load_err(&[(r#"{"id": "p"}"#, point)]);
    assert_format(&err, "features[0].properties.radius_m", "`radius_m`");
    // And radius_m on a polygon is an error, not ignored.
    let err = load_err(&[(r#"{"id": "q", "radius_m": 5}"#, SQUARE)]);
    assert_format(&err, "features[0].properties.radius_m", "Point");
}

#[test]
fn invalid_zone_names_feature_and_zone() {
    let open = r#"{"type": "Polygon", "coordinates": [[[30,46],[31,46],[31,47],[30,47]]]}"#;
    let err = load_err(&[(r#"{"id": "ok"}"#, SQUARE), (r#"{"id": "open"}"#, open)]);
    match &err {
        LoadError::Zone { place, source } => {
            assert_eq!(place, "features[1]");
            assert_eq!(source.zone, "open");
            assert_eq!(
                source.problems,
                vec![ZoneProblem::RingNotClosed { polygon: 0, ring: 0 }]
            );
        }
        other => panic!("expected a zone error, got {other:?}"),
    }
    assert!(err.to_string().starts_with("features[1]: zone `open`"), "{err}");
}

#[test]
fn short_position_names_the_vertex() {
    let short = r#"{"type": "Polygon", "coordinates": [[[30,46],[31],[31,47],[30,46]]]}"#;
    let err = load_err(&[(r#"{"id": "s"}"#, short)]);
    match &err {
        LoadError::Zone { place, source } => {
            assert_eq!(place, "features[0]");
            assert_eq!(source.zone, "s");
            assert_eq!(
                source.problems,
                vec![ZoneProblem::ShortPosition {
                    polygon: 0,
                    ring: 0,
                    vertex: 1
                }]
            );
        }
        other => panic!("expected a zone error, got {other:?}"),
    }
}

#[test]
fn invalid_json_reports_line_and_column() {
    let text = "{\"type\": \"FeatureCollection\",\n \"features\": [\n   {\"type\": \"Feature\",, }\n ]}";
    let err = zones_from_geojson_str(text).unwrap_err();
    match &err {
        LoadError::Json { line, column, .. } => {
            assert_eq!(*line, 3, "{err}");
            assert!(*column > 1 && *column < 30, "{err}");
        }
        other => panic!("expected a JSON error, got {other:?}"),
    }
    assert!(
        err.to_string().starts_with("invalid JSON at line 3 column"),
        "{err}"
    );
}

#[test]
fn not_a_feature_collection() {
    let err = zones_from_geojson_str(SQUARE).unwrap_err();
    assert!(
        matches!(&err, LoadError::Format { place, .. } if place == "document"),
        "{err:?}"
    );
}

#[test]
fn missing_file_names_the_path() {
    let err = zones_from_geojson_file("/nonexistent/zones.geojson").unwrap_err();
    assert!(matches!(err, LoadError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("/nonexistent/zones.geojson"), "{err}");
}
