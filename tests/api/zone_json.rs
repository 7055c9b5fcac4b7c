//! One JSON shape for a circle: a GeoJSON `Point` with `radius_m`, the same in a serialised
//! zone, a plan file and a GeoJSON zone file; the earlier serde form still reads and is
//! never written.

use proptest::prelude::*;
use sanctuary::geojson::zones_from_geojson_str;
use sanctuary::geometry::{EdgeModel, VerticalBand, ZoneGeometry, ZoneKind, ZoneSpec};
use sanctuary::{Plan, Zone};
use serde_json::{json, Value};

fn circle_zone() -> Zone {
    Zone::builder("c", ZoneGeometry::circle(30.5, 50.4, 1_000.0))
        .kind(ZoneKind::Exclusion)
        .band(Some(0.0), Some(2_000.0))
        .build()
        .unwrap()
}

#[test]
fn a_serialised_circle_zone_is_the_plan_files_zone() {
    let zone = circle_zone();
    let written = serde_json::to_value(&zone).unwrap();
    assert_eq!(
        written,
        json!({"id": "c", "kind": "exclusion", "edges": "plate_carree",
               "geometry": {"type": "Point", "coordinates": [30.5, 50.4]}, "radius_m": 1000.0,
               "band": {"floor_m": 0.0, "ceiling_m": 2000.0}})
    );
    // The same `geometry` and `radius_m` as the plan's own serialised zone.
    let plan = Plan::builder("p")
        .phase("0", "all")
        .zone(sanctuary::plan::PlanZone::from(&zone))
        .build()
        .unwrap();
    let plan_json = serde_json::to_value(&plan).unwrap();
    let plan_zone = &plan_json["zones"][0];
    assert_eq!(plan_zone["geometry"], written["geometry"]);
    assert_eq!(plan_zone["radius_m"], written["radius_m"]);
    // Its geometry and radius, put into a plan file, load as the same zone.
    let text = json!({"name": "p", "phases": [{"id": "0", "name": "all"}],
        "zones": [{"id": "c", "kind": "exclusion", "floor_m": 0, "ceiling_m": 2000,
                   "geometry": written["geometry"], "radius_m": written["radius_m"]}]})
    .to_string();
    assert_eq!(Plan::from_json_str(&text).unwrap().index().zones()[0], zone);
    // And into a GeoJSON zone file's feature, with the radius among the properties.
    let feature = json!({"type": "FeatureCollection", "features": [{"type": "Feature",
        "properties": {"id": "c", "kind": "exclusion", "radius_m": written["radius_m"], "floor_m": 0, "ceiling_m": 2000},
        "geometry": written["geometry"]}]});
    assert_eq!(
        zones_from_geojson_str(&feature.to_string()).unwrap(),
        vec![zone.clone()]
    );
    // And back.
    assert_eq!(serde_json::from_value::<Zone>(written).unwrap(), zone);
}

#[test]
fn polygons_are_geojson_too() {
    let ring = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
    let zone = Zone::builder("sq", ZoneGeometry::polygon(vec![ring.clone()]))
        .build()
        .unwrap();
    let written = serde_json::to_value(&zone).unwrap();
    assert_eq!(
        written["geometry"],
        json!({"type": "Polygon", "coordinates": [ring]})
    );
    assert!(written.get("radius_m").is_none());
    let two = ZoneGeometry::MultiPolygon {
        polygons: vec![
            vec![ring.clone()],
            vec![vec![[2.0, 0.0], [3.0, 0.0], [3.0, 1.0], [2.0, 0.0]]],
        ],
    };
    let written = serde_json::to_value(&two).unwrap();
    assert_eq!(written["type"], "MultiPolygon");
    assert_eq!(serde_json::from_value::<ZoneGeometry>(written).unwrap(), two);
}

#[test]
fn the_earlier_form_reads_and_is_never_written() {
    let old_circle = json!({"type": "circle", "center": [30.5, 50.4], "radius_m": 1000.0});
    let old_polygon = json!({"type": "polygon", "rings": [[[0, 0], [1, 0], [1, 1], [0, 0]]]});
    let old_multi = json!({"type": "multi_polygon", "polygons": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]});
    let expected = [
        ZoneGeometry::circle(30.5, 50.4, 1_000.0),
        ZoneGeometry::polygon(vec![vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]),
        ZoneGeometry::MultiPolygon {
            polygons: vec![vec![vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]],
        },
    ];
    for (old, want) in [old_circle, old_polygon, old_multi].into_iter().zip(expected) {
        // Bare, and in a spec.
        assert_eq!(serde_json::from_value::<ZoneGeometry>(old.clone()).unwrap(), want);
        let spec: ZoneSpec = serde_json::from_value(json!({"id": "z", "geometry": old})).unwrap();
        assert_eq!(spec.geometry, want);
        // Written: GeoJSON only.
        for text in [
            serde_json::to_string(&want).unwrap(),
            serde_json::to_string(&spec).unwrap(),
        ] {
            for old_key in [
                "\"center\"",
                "\"rings\"",
                "\"polygons\"",
                "\"circle\"",
                "\"polygon\"",
                "multi_polygon",
            ] {
                assert!(!text.contains(old_key), "{text}");
            }
        }
    }
}

#[test]
fn a_circle_needs_its_radius_in_its_one_place() {
    let spec = |v: Value| serde_json::from_value::<ZoneSpec>(v).map_err(|e| e.to_string());
    let point = json!({"type": "Point", "coordinates": [0, 0]});
    assert!(spec(json!({"id": "c", "geometry": point}))
        .unwrap_err()
        .contains("radius_m"));
    // In a zone the radius goes beside the geometry, not inside it.
    let inside = json!({"type": "Point", "coordinates": [0, 0], "radius_m": 5});
    assert!(spec(json!({"id": "c", "geometry": inside}))
        .unwrap_err()
        .contains("beside"));
    assert!(spec(json!({"id": "c", "geometry": inside, "radius_m": 5})).is_err());
    // A radius does not go with a polygon, nor with the earlier circle form.
    let square = json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]});
    assert!(spec(json!({"id": "c", "geometry": square, "radius_m": 5}))
        .unwrap_err()
        .contains("Point"));
    let old = json!({"type": "circle", "center": [0, 0], "radius_m": 5});
    assert!(spec(json!({"id": "c", "geometry": old, "radius_m": 5})).is_err());
    // A bare geometry holds it inside; without it, it is refused.
    let bare = |v: Value| serde_json::from_value::<ZoneGeometry>(v).map_err(|e| e.to_string());
    assert_eq!(bare(inside).unwrap(), ZoneGeometry::circle(0.0, 0.0, 5.0));
    assert!(bare(point).unwrap_err().contains("radius_m"));
    assert!(bare(json!({"type": "LineString", "coordinates": [[0, 0], [1, 1]]})).is_err());
    // A third number in a position (an altitude) is ignored, as in plan files.
    let high = json!({"id": "c", "geometry": {"type": "Point", "coordinates": [1, 2, 300]}, "radius_m": 5});
    assert_eq!(spec(high).unwrap().geometry, ZoneGeometry::circle(1.0, 2.0, 5.0));
}

fn spec_strategy() -> impl Strategy<Value = ZoneSpec> {
    let geometry = prop_oneof![
        (-179.0..179.0f64, -80.0..80.0f64, 1.0..100_000.0f64)
            .prop_map(|(x, y, r)| ZoneGeometry::circle(x, y, r)),
        (-179.0..178.0f64, -80.0..79.0f64, 0.0001..1.0f64).prop_map(|(x, y, d)| ZoneGeometry::polygon(vec![
            vec![[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y],]
        ])),
        (-179.0..170.0f64, -80.0..79.0f64, 0.0001..1.0f64).prop_map(|(x, y, d)| ZoneGeometry::MultiPolygon {
            polygons: vec![
                vec![vec![[x, y], [x + d, y], [x + d, y + d], [x, y]]],
                vec![vec![
                    [x + 3.0, y],
                    [x + 3.0 + d, y],
                    [x + 3.0 + d, y + d],
                    [x + 3.0, y]
                ]],
            ],
        }),
    ];
    (
        geometry,
        any::<bool>(),
        any::<bool>(),
        proptest::option::of((
            proptest::option::of(-400.0..0.0f64),
            proptest::option::of(0.0..30_000.0f64),
        )),
        proptest::option::of("[a-z]{1,8}"),
    )
        .prop_map(|(geometry, exclusion, great_circle, band, name)| ZoneSpec {
            id: "z".into(),
            name,
            kind: if exclusion {
                ZoneKind::Exclusion
            } else {
                ZoneKind::Sanctuary
            },
            edges: if great_circle {
                EdgeModel::GreatCircle
            } else {
                EdgeModel::PlateCarree
            },
            geometry,
            band: band.map(|(floor_m, ceiling_m)| VerticalBand { floor_m, ceiling_m }),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Specs, bare geometries and zones come back bit for bit; a circle is always written
    /// as a Point with `radius_m` beside it.
    #[test]
    fn specs_round_trip_exactly(spec in spec_strategy()) {
        let text = serde_json::to_string(&spec).unwrap();
        let back: ZoneSpec = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(format!("{back:?}"), format!("{spec:?}"));
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), text.clone());
        let bare = serde_json::to_string(&spec.geometry).unwrap();
        prop_assert_eq!(serde_json::from_str::<ZoneGeometry>(&bare).unwrap(), spec.geometry.clone());
        let value: Value = serde_json::from_str(&text).unwrap();
        if let ZoneGeometry::Circle { center, radius_m } = spec.geometry {
            prop_assert_eq!(&value["geometry"], &json!({"type": "Point", "coordinates": center}));
            prop_assert_eq!(value["radius_m"].as_f64().unwrap().to_bits(), radius_m.to_bits());
        } else {
            prop_assert!(value.get("radius_m").is_none());
        }
        if let Ok(zone) = Zone::try_from(spec) {
            let zone_text = serde_json::to_string(&zone).unwrap();
            prop_assert_eq!(serde_json::from_str::<Zone>(&zone_text).unwrap(), zone);
        }
    }
}
