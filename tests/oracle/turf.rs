//! Turf.js fixtures: the inline point-in-polygon cases of `turf-boolean-point-in-polygon`
//! and every point/multipoint versus polygon/multipolygon fixture of the `contains`,
//! `within`, `intersects`, `disjoint`, `touches` and `crosses` packages.
//!
//! Turf is planar in lon/lat degrees, so zones use `EdgeModel::PlateCarree`.

use crate::fixture;
use crate::planar::{prepare, Counts, Geom, Polygons, Skip, Tally};
use sanctuary::geometry::Position;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn position(v: &Value) -> [f64; 2] {
    let a = v.as_array().expect("a position is an array");
    [a[0].as_f64().expect("number"), a[1].as_f64().expect("number")]
}

fn ring(v: &Value) -> Vec<[f64; 2]> {
    v.as_array().expect("ring").iter().map(position).collect()
}

fn polygon(v: &Value) -> Vec<Vec<[f64; 2]>> {
    v.as_array().expect("polygon").iter().map(ring).collect()
}

/// A GeoJSON geometry (or a Feature holding one).
fn geom(v: &Value) -> Geom {
    let g = if v["type"] == "Feature" { &v["geometry"] } else { v };
    let c = &g["coordinates"];
    match g["type"].as_str().expect("geometry type") {
        "Point" => Geom::Points(vec![position(c)]),
        "MultiPoint" => Geom::Points(c.as_array().expect("multipoint").iter().map(position).collect()),
        "Polygon" => Geom::Areal(vec![polygon(c)]),
        "MultiPolygon" => Geom::Areal(
            c.as_array()
                .expect("multipolygon")
                .iter()
                .map(polygon)
                .collect::<Polygons>(),
        ),
        other => Geom::Other(other.to_string()),
    }
}

#[test]
fn point_in_polygon_inline_cases() {
    let doc = read_json(&fixture(
        "turf/derived/turf-boolean-point-in-polygon-inline-cases.json",
    ));
    let cases = doc["cases"].as_array().expect("cases");
    let mut tally = Tally::default();
    for case in cases {
        let id = case["id"].as_str().expect("id");
        let area = if let Some(name) = case["polygon"].as_str() {
            geom(&doc["polygons"][name])
        } else {
            let rel = case["polygon_file"].as_str().expect("polygon or polygon_file");
            geom(&read_json(&fixture(&format!("turf/{rel}"))))
        };
        let Geom::Areal(polys) = area else {
            panic!("{id}: not a polygon");
        };
        let point = position(&case["point"]);
        let prepared = match prepare(id, &polys, &[point]) {
            Ok(p) => p,
            Err(why) => {
                tally.skip(id, why);
                continue;
            }
        };
        tally.ran(prepared.fit);
        let pos = prepared.positions()[0];
        let included = case["expected_boundary_included"].as_bool().expect("bool");
        let ignored = case["expected_boundary_ignored"].as_bool().expect("bool");
        let on_boundary = case["on_boundary"].as_bool().expect("bool");
        assert_eq!(
            pos != Position::Outside,
            included,
            "{id}: {pos:?} with boundary included"
        );
        assert_eq!(
            pos == Position::Inside,
            ignored,
            "{id}: {pos:?} with boundary ignored"
        );
        assert_eq!(pos == Position::OnBoundary, on_boundary, "{id}: {pos:?}");
        tally.assertions += 3;
    }
    tally.report("turf point-in-polygon inline cases");
    assert_eq!(cases.len(), 50);
    assert!(
        tally.native + tally.scaled >= 45,
        "too few Turf inline cases ran: {tally:?}"
    );
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn boolean_package_fixtures() {
    let mut tally = Tally::default();
    for op in [
        "contains",
        "within",
        "intersects",
        "disjoint",
        "touches",
        "crosses",
    ] {
        for expected in [true, false] {
            let dir = fixture(&format!("turf/packages/turf-boolean-{op}/test/{expected}"));
            let mut files = Vec::new();
            files_under(&dir, &mut files);
            assert!(!files.is_empty(), "no fixtures in {}", dir.display());
            for path in files {
                let name = path
                    .strip_prefix(fixture("turf"))
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                let doc = read_json(&path);
                let features = doc["features"].as_array().expect("a FeatureCollection");
                let (g1, g2) = (geom(&features[0]), geom(&features[1]));
                let (polys, points, points_first) = match (g1, g2) {
                    (Geom::Points(p), Geom::Areal(a)) => (a, p, true),
                    (Geom::Areal(a), Geom::Points(p)) => (a, p, false),
                    _ => {
                        tally.skip(&name, Skip::NotPointVsArea);
                        continue;
                    }
                };
                let prepared = match prepare(&name, &polys, &points) {
                    Ok(p) => p,
                    Err(why) => {
                        tally.skip(&name, why);
                        continue;
                    }
                };
                tally.ran(prepared.fit);
                let positions = prepared.positions();
                let got = Counts::of(&positions)
                    .predicate(op, points_first)
                    .expect("known predicate");
                assert_eq!(got, expected, "{name}: boolean{op} with positions {positions:?}");
                tally.assertions += 1;
            }
        }
    }
    tally.report("turf boolean-* fixtures");
    assert!(
        tally.native + tally.scaled >= 70,
        "too few Turf fixtures ran: {tally:?}"
    );
}
