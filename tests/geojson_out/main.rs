//! GeoJSON output: RFC 7946 structure (closed rings, right-hand rule, lon/lat order), the
//! active zones of every phase loading back as equal zones, circles and great-circle zones
//! drawn where they are, and decisions as points.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failed expectation is a test failure (clippy.toml only covers #[test] fns)"
)]

mod flat;
mod gdal;
mod round_trip;

use sanctuary::{
    geojson::{active_zones_geojson, decisions_geojson, zones_from_geojson_str, zones_geojson},
    geometry::{EdgeModel, ZoneGeometry},
    plan::{Identity, TargetClass},
    Engine, Plan, Track, Zone,
};
use serde_json::{json, Value};

fn signed_area(ring: &[Value]) -> f64 {
    ring.windows(2)
        .map(|w| {
            let (a, b) = (&w[0], &w[1]);
            a[0].as_f64().unwrap() * b[1].as_f64().unwrap() - b[0].as_f64().unwrap() * a[1].as_f64().unwrap()
        })
        .sum::<f64>()
        / 2.0
}

fn check_polygon(rings: &Value) {
    for (i, ring) in rings.as_array().unwrap().iter().enumerate() {
        let ring = ring.as_array().unwrap();
        assert!(ring.len() >= 4);
        assert_eq!(ring.first(), ring.last(), "closed");
        for p in ring {
            let (lon, lat) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
            assert!(
                (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat),
                "lon, lat order"
            );
        }
        let a = signed_area(ring);
        if i == 0 {
            assert!(a > 0.0, "exterior counter-clockwise");
        } else {
            assert!(a < 0.0, "holes clockwise");
        }
    }
}

/// Checks the RFC 7946 structure of a FeatureCollection of polygon features.
fn check_rfc7946(fc: &Value) {
    assert_eq!(fc["type"], "FeatureCollection");
    for f in fc["features"].as_array().unwrap() {
        assert_eq!(f["type"], "Feature");
        assert!(f["properties"].is_object());
        let g = &f["geometry"];
        match g["type"].as_str().unwrap() {
            "Polygon" => check_polygon(&g["coordinates"]),
            "MultiPolygon" => g["coordinates"]
                .as_array()
                .unwrap()
                .iter()
                .for_each(check_polygon),
            other => panic!("unexpected {other}"),
        }
    }
}

#[test]
fn every_phase_is_valid_rfc7946_and_every_zone_loads_back_equal() {
    let plan = Plan::safe_haven().unwrap();
    for phase in plan.phase_handles() {
        let fc = active_zones_geojson(&plan, phase);
        check_rfc7946(&fc);
        let features = fc["features"].as_array().unwrap();
        let expected: Vec<&Zone> = plan
            .index()
            .zones()
            .iter()
            .zip(plan.zone_plans())
            .filter(|(_, zp)| zp.active_in(phase))
            .map(|(z, _)| z)
            .collect();
        assert_eq!(features.len(), expected.len(), "phase {phase:?}");
        for f in features {
            assert_eq!(f["properties"]["phase"], json!(plan.phases()[phase.index()].id));
        }
        // Every zone, circles (drawn as polygons, the circle in the properties) included,
        // loads back through the crate's own loader as an equal zone.
        let back = zones_from_geojson_str(&fc.to_string()).unwrap();
        assert_eq!(back.len(), expected.len());
        for (b, o) in back.iter().zip(expected) {
            assert_eq!(b, o, "phase {phase:?}");
        }
    }
    assert_eq!(active_zones_geojson(&plan, "99")["features"], json!([]));
}

#[test]
fn circles_are_drawn_every_five_degrees_with_centre_and_radius() {
    let c = Zone::builder("c", ZoneGeometry::circle(31.2, 47.8, 30_000.0))
        .band(Some(0.0), Some(3000.0))
        .build()
        .unwrap();
    let fc = zones_geojson(std::slice::from_ref(&c));
    check_rfc7946(&fc);
    let f = &fc["features"][0];
    assert_eq!(f["properties"]["radius_m"], 30_000.0);
    assert_eq!(f["properties"]["center_lon"], 31.2);
    assert_eq!(f["properties"]["floor_m"], 0.0);
    assert_eq!(f["properties"]["ceiling_m"], 3000.0);
    let ring = f["geometry"]["coordinates"][0].as_array().unwrap();
    assert_eq!(ring.len(), 73);
    for p in ring {
        let d = sanctuary::geometry::geodesic_distance_m(
            31.2,
            47.8,
            p[0].as_f64().unwrap(),
            p[1].as_f64().unwrap(),
        );
        assert!((d - 30_000.0).abs() < 1e-6, "{d}");
    }
}

#[test]
fn great_circle_zones_are_densified_to_follow_the_arcs() {
    let ring = vec![
        [20.0, 40.0],
        [30.0, 40.0],
        [30.0, 50.0],
        [20.0, 50.0],
        [20.0, 40.0],
    ];
    let z = Zone::builder("gc", ZoneGeometry::polygon(vec![ring]))
        .edges(EdgeModel::GreatCircle)
        .build()
        .unwrap();
    let fc = zones_geojson(std::slice::from_ref(&z));
    check_rfc7946(&fc);
    assert_eq!(fc["features"][0]["properties"]["edges"], "great_circle");
    let drawn = fc["features"][0]["geometry"]["coordinates"][0]
        .as_array()
        .unwrap();
    assert!(drawn.len() > 100, "{}", drawn.len());
    // Every drawn vertex is on the zone's boundary, and the northern edge bulges ~0.11°.
    let mut max_lat: f64 = 0.0;
    for p in drawn {
        let (lon, lat) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
        assert!(z.signed_distance_m(lon, lat).unwrap().abs() < 0.01, "{lon} {lat}");
        max_lat = max_lat.max(lat);
    }
    assert!(max_lat > 50.1, "{max_lat}");
    // Holes stay clockwise after densification.
    let with_hole = Zone::builder(
        "h",
        ZoneGeometry::polygon(vec![
            vec![
                [20.0, 40.0],
                [30.0, 40.0],
                [30.0, 50.0],
                [20.0, 50.0],
                [20.0, 40.0],
            ],
            vec![
                [22.0, 42.0],
                [22.0, 45.0],
                [25.0, 45.0],
                [25.0, 42.0],
                [22.0, 42.0],
            ],
        ]),
    )
    .edges(EdgeModel::GreatCircle)
    .build()
    .unwrap();
    check_rfc7946(&zones_geojson(&[with_hole]));
}

#[test]
fn decisions_are_points_with_their_verdicts() {
    let engine = Engine::new(Plan::safe_haven().unwrap());
    let tracks = vec![
        Track::new("lviv", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile),
        Track::new(
            "kharkiv",
            36.23,
            49.99,
            800.0,
            TargetClass::Uas,
            Identity::Hostile,
        ),
        Track::new("bad", f64::NAN, 49.0, 800.0, TargetClass::Uas, Identity::Hostile),
    ];
    let pairs: Vec<(Track, sanctuary::Decision)> = tracks
        .into_iter()
        .map(|t| (t.clone(), engine.decide(&t, "1", None)))
        .collect();
    let fc = decisions_geojson(&pairs);
    assert_eq!(fc["type"], "FeatureCollection");
    let fs = fc["features"].as_array().unwrap();
    assert_eq!(fs.len(), 3);
    assert_eq!(
        fs[0]["geometry"],
        json!({"type": "Point", "coordinates": [24.03, 49.84]})
    );
    let p = &fs[0]["properties"];
    assert_eq!(p["verdict"], "permit");
    assert_eq!(p["reasons"], json!([]));
    assert_eq!(p["zone"], "UA-46");
    assert_eq!(p["phase"], "1");
    assert!(p["margin_m"].as_f64().unwrap() > 0.0);
    assert_eq!(p["plan_hash"].as_str().unwrap().len(), 64);
    assert_eq!(fs[1]["properties"]["verdict"], "deny");
    assert_eq!(
        fs[1]["properties"]["reasons"],
        json!(["outside_active_sanctuary"])
    );
    assert_eq!(fs[2]["geometry"], Value::Null);
    assert_eq!(fs[2]["properties"]["reasons"], json!(["invalid_track"]));
    // The output is plain JSON that parses back.
    let text = fc.to_string();
    let _: Value = serde_json::from_str(&text).unwrap();
}
