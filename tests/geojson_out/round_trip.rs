//! The crate's own loader reads its GeoJSON export back as equal zones, for every zone
//! kind: polygons, polygons with holes, multipolygons with holes, circles (drawn as
//! polygons), each with plate-carrée or great-circle edges (drawn densified), any kind, band
//! and name; and a drawing moved off its circle or its great-circle vertices is refused.

use proptest::prelude::*;
use sanctuary::{
    geojson::{zones_from_geojson_str, zones_geojson},
    geometry::{EdgeModel, ZoneGeometry, ZoneKind},
    Zone,
};

/// A counter-clockwise box ring.
fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<[f64; 2]> {
    vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
}

/// A clockwise box ring (a hole).
fn hole(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<[f64; 2]> {
    vec![[x0, y0], [x0, y1], [x1, y1], [x1, y0], [x0, y0]]
}

fn shape() -> impl Strategy<Value = ZoneGeometry> {
    let corner = || (-170.0..165.0f64, -80.0..75.0f64, 0.01..4.0f64, 0.01..4.0f64);
    prop_oneof![
        (-175.0..175.0f64, -85.0..85.0f64, 1.0..500_000.0f64)
            .prop_map(|(lon, lat, r)| ZoneGeometry::circle(lon, lat, r)),
        corner().prop_map(|(x, y, w, h)| ZoneGeometry::polygon(vec![rect(x, y, x + w, y + h)])),
        (corner(), 0.1..0.4f64).prop_map(|((x, y, w, h), f)| {
            ZoneGeometry::polygon(vec![
                rect(x, y, x + w, y + h),
                hole(x + f * w, y + f * h, x + (1.0 - f) * w, y + (1.0 - f) * h),
            ])
        }),
        (corner(), 0.1..0.4f64, 0.01..3.0f64).prop_map(|((x, y, w, h), f, gap)| {
            let x2 = x + w + gap;
            ZoneGeometry::MultiPolygon {
                polygons: vec![
                    vec![
                        rect(x, y, x + w, y + h),
                        hole(x + f * w, y + f * h, x + (1.0 - f) * w, y + (1.0 - f) * h),
                    ],
                    vec![rect(x2, y, x2 + w, y + h)],
                ],
            }
        }),
    ]
}

fn zone() -> impl Strategy<Value = Zone> {
    (
        shape(),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(0.0..5_000.0f64),
        proptest::option::of(5_000.0..30_000.0f64),
        proptest::option::of("[A-Za-z ,;\"<>&'é-]{0,12}"),
    )
        .prop_filter_map("a valid zone", |(g, excl, great_circle, floor, ceiling, name)| {
            let kind = if excl {
                ZoneKind::Exclusion
            } else {
                ZoneKind::Sanctuary
            };
            let edges = if great_circle {
                EdgeModel::GreatCircle
            } else {
                EdgeModel::PlateCarree
            };
            let mut b = Zone::builder("z", g).kind(kind).edges(edges);
            // `band(None, None)` gives an empty band, which the file cannot tell from none.
            if floor.is_some() || ceiling.is_some() {
                b = b.band(floor, ceiling);
            }
            if let Some(n) = name {
                b = b.name(n);
            }
            b.build().ok()
        })
}

proptest! {
    #[test]
    fn every_zone_kind_loads_back_equal(zones in proptest::collection::vec(zone(), 1..6)) {
        // Distinct ids.
        let zones: Vec<Zone> = zones
            .into_iter()
            .enumerate()
            .map(|(i, z)| {
                let spec = sanctuary::geometry::ZoneSpec { id: format!("z{i}"), ..z.to_spec() };
                Zone::try_from(spec)
            })
            .collect::<Result<_, _>>()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let text = zones_geojson(&zones).to_string();
        let back = zones_from_geojson_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, zones);
    }
}

#[test]
fn a_circle_loads_back_as_a_circle() {
    let c = Zone::builder("npp", ZoneGeometry::circle(31.21667, 47.81667, 30_000.0))
        .kind(ZoneKind::Exclusion)
        .band(None, Some(3000.0))
        .name("South Ukraine NPP")
        .build()
        .unwrap();
    let doc = zones_geojson(std::slice::from_ref(&c));
    assert_eq!(doc["features"][0]["geometry"]["type"], "Polygon");
    let back = zones_from_geojson_str(&doc.to_string()).unwrap();
    assert_eq!(back, vec![c.clone()]);
    assert_eq!(back[0].vertex_count(), 0, "a circle, not its 72-gon drawing");
}

#[test]
fn a_drawing_moved_off_its_circle_is_refused() {
    let c = Zone::builder("npp", ZoneGeometry::circle(31.2, 47.8, 30_000.0))
        .build()
        .unwrap();
    let mut doc = zones_geojson(std::slice::from_ref(&c));
    // Move one vertex 0.1° north (about 11 km): the drawing no longer is the circle.
    let lat = doc["features"][0]["geometry"]["coordinates"][0][3][1]
        .as_f64()
        .unwrap();
    doc["features"][0]["geometry"]["coordinates"][0][3][1] = serde_json::json!(lat + 0.1);
    let err = zones_from_geojson_str(&doc.to_string()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("features[0].geometry.coordinates[0][3]"), "{msg}");
    assert!(msg.contains("not on `radius_m`"), "{msg}");
    // Without the circle's properties, the same drawing is an ordinary polygon.
    let props = doc["features"][0]["properties"].as_object_mut().unwrap();
    props.remove("radius_m");
    let zones = zones_from_geojson_str(&doc.to_string()).unwrap();
    assert_eq!(zones[0].vertex_count(), 72);
    // A `radius_m` without a centre on a polygon is still an error (not a silent polygon).
    let mut partial = zones_geojson(std::slice::from_ref(&c));
    partial["features"][0]["properties"]
        .as_object_mut()
        .unwrap()
        .remove("center_lat");
    assert!(zones_from_geojson_str(&partial.to_string()).is_err());
}

#[test]
fn a_great_circle_zone_loads_back_from_its_own_vertices() {
    let z = Zone::builder(
        "gc",
        ZoneGeometry::polygon(vec![rect(20.0, 40.0, 30.0, 50.0), hole(22.0, 42.0, 25.0, 45.0)]),
    )
    .edges(EdgeModel::GreatCircle)
    .build()
    .unwrap();
    let mut doc = zones_geojson(std::slice::from_ref(&z));
    let drawn = doc["features"][0]["geometry"]["coordinates"][0]
        .as_array()
        .unwrap()
        .len();
    assert!(drawn > 5, "densified: {drawn}");
    let back = zones_from_geojson_str(&doc.to_string()).unwrap();
    assert_eq!(back, vec![z.clone()]);
    // A drawing edited in a GIS (a vertex moved) no longer passes through the vertices.
    let lat = doc["features"][0]["geometry"]["coordinates"][0][2][1]
        .as_f64()
        .unwrap();
    doc["features"][0]["geometry"]["coordinates"][0][2][1] = serde_json::json!(lat + 0.5);
    let moved = doc.clone();
    let err = zones_from_geojson_str(&moved.to_string())
        .unwrap_err()
        .to_string();
    assert!(err.contains("features[0].great_circle_vertices"), "{err}");
    // Without the member the drawing loads as it is: more vertices on the same arcs.
    doc["features"][0]
        .as_object_mut()
        .unwrap()
        .remove("great_circle_vertices");
    let drawing = zones_from_geojson_str(&doc.to_string()).unwrap();
    assert!(drawing[0].vertex_count() > z.vertex_count());
}

#[test]
fn great_circle_and_plate_carree_polygons_keep_their_edge_model() {
    let z = Zone::builder("pc", ZoneGeometry::polygon(vec![rect(30.0, 45.0, 31.0, 46.0)]))
        .edges(EdgeModel::PlateCarree)
        .build()
        .unwrap();
    let back = zones_from_geojson_str(&zones_geojson(std::slice::from_ref(&z)).to_string()).unwrap();
    assert_eq!(back, vec![z]);
}
