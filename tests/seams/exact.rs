//! Every number read from text is `str::parse::<f64>` of its literal.

use crate::literal::{self, Json};
use proptest::prelude::*;
use sanctuary::{
    ed318::{ed318_from_str, Ed318KindMap, Ed318Options},
    geojson::{zones_from_geojson_file, zones_from_geojson_str},
    geometry::{Position, ZoneGeometry, ZoneKind},
    Plan, Track, ZoneIndex,
};
use std::collections::{BTreeMap, BTreeSet};

const OBLASTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/ukraine-oblasts.geojson");

type Bits = (u64, u64);

fn bits(p: [f64; 2]) -> Bits {
    (p[0].to_bits(), p[1].to_bits())
}

/// Every position literal of each feature of a GeoJSON file, parsed with `str::parse`.
fn literal_vertices(text: &str) -> BTreeMap<String, Vec<[f64; 2]>> {
    let doc = literal::parse(text);
    let mut out = BTreeMap::new();
    for feature in doc.get("features").unwrap().items() {
        let id = feature
            .get("properties")
            .and_then(|p| p.get("id"))
            .and_then(Json::str)
            .unwrap();
        let coords = feature
            .get("geometry")
            .and_then(|g| g.get("coordinates"))
            .unwrap();
        let positions = coords
            .positions()
            .iter()
            .map(|[lon, lat]| [lon.parse::<f64>().unwrap(), lat.parse::<f64>().unwrap()])
            .collect();
        out.insert(id.to_owned(), positions);
    }
    out
}

fn spec_vertices(geometry: &ZoneGeometry) -> Vec<[f64; 2]> {
    match geometry {
        ZoneGeometry::Polygon { rings } => rings.iter().flatten().copied().collect(),
        ZoneGeometry::MultiPolygon { polygons } => polygons.iter().flatten().flatten().copied().collect(),
        ZoneGeometry::Circle { center, .. } => vec![*center],
    }
}

#[test]
fn every_oblast_vertex_is_the_nearest_f64_of_its_literal() {
    let text = std::fs::read_to_string(OBLASTS).unwrap();
    let literals = literal_vertices(&text);
    let zones = zones_from_geojson_file(OBLASTS).unwrap();
    assert_eq!(zones.len(), literals.len());
    let (mut n_literal, mut n_loaded) = (0, 0);
    for zone in &zones {
        let expected: BTreeSet<Bits> = literals[zone.id()].iter().map(|&p| bits(p)).collect();
        let loaded = spec_vertices(&zone.to_spec().geometry);
        let got: BTreeSet<Bits> = loaded.iter().map(|&p| bits(p)).collect();
        // Rings are normalised (orientation, closing and repeated vertices), so compare the
        // sets of vertices, bit for bit.
        assert_eq!(got, expected, "zone {}", zone.id());
        n_literal += literals[zone.id()].len();
        n_loaded += loaded.len();
    }
    eprintln!(
        "{} oblasts: {n_literal} position literals, {n_loaded} loaded vertices, all exact",
        zones.len()
    );
    assert!(n_literal > 10_000, "{n_literal}");
}

#[test]
fn a_vertex_shared_by_two_oblasts_is_on_both_boundaries_and_inside_neither() {
    let text = std::fs::read_to_string(OBLASTS).unwrap();
    let literals = literal_vertices(&text);
    let mut owners: BTreeMap<Bits, BTreeSet<&str>> = BTreeMap::new();
    for (id, positions) in &literals {
        for &p in positions {
            owners.entry(bits(p)).or_default().insert(id);
        }
    }
    let index = ZoneIndex::new(zones_from_geojson_file(OBLASTS).unwrap()).unwrap();
    let mut shared = 0;
    for (&(x, y), ids) in owners.iter().filter(|(_, ids)| ids.len() >= 2) {
        let (lon, lat) = (f64::from_bits(x), f64::from_bits(y));
        let here = index.locate(lon, lat).unwrap();
        assert!(
            here.inside.is_empty(),
            "({lon}, {lat}) inside {:?}",
            index.ids(&here.inside)
        );
        let on: BTreeSet<&str> = index.ids(&here.boundary).into_iter().collect();
        for id in ids {
            assert!(
                on.contains(id),
                "({lon}, {lat}) not on the boundary of {id}: {on:?}"
            );
            let h = index.handle(id).unwrap();
            assert_eq!(
                index.position(h, lon, lat).unwrap(),
                Position::OnBoundary,
                "{id} at ({lon}, {lat})"
            );
        }
        shared += 1;
    }
    eprintln!("{shared} vertices shared by two or more oblasts, each on all their boundaries");
    assert!(shared > 1_000, "{shared}");
}

#[test]
fn the_issue_s_vertex_of_volyn_and_lviv_is_on_both_boundaries() {
    let text = std::fs::read_to_string(OBLASTS).unwrap();
    let literal = "25.048890007667694";
    assert!(text.contains(literal));
    let lon: f64 = literal.parse().unwrap();
    let literals = literal_vertices(&text);
    let [_, lat] = literals["UA-46"].iter().find(|p| p[0] == lon).copied().unwrap();
    let index = ZoneIndex::new(zones_from_geojson_file(OBLASTS).unwrap()).unwrap();
    let here = index.locate(lon, lat).unwrap();
    assert!(here.inside.is_empty());
    let on = index.ids(&here.boundary);
    assert!(on.contains(&"UA-46") && on.contains(&"UA-07"), "{on:?}");
}

/// A decimal literal of many digits, possibly with an exponent, whose value has magnitude
/// below `10^max_exp10` (so it is a valid longitude or latitude for small `max_exp10`).
fn literal(max_exp10: i32) -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        "[1-7]",
        "[0-9]{0,30}",
        -25i32..=max_exp10,
        any::<bool>(),
    )
        .prop_map(move |(neg, lead, frac, exp, plain)| {
            let sign = if neg { "-" } else { "" };
            if plain && (0..=max_exp10).contains(&exp) {
                // Plain decimal: move the point `exp` digits right.
                let digits = format!("{lead}{frac}{}", "0".repeat(exp as usize));
                let (int, rest) = digits.split_at(exp as usize + 1);
                format!("{sign}{int}.{}", if rest.is_empty() { "0" } else { rest })
            } else if plain {
                format!("{sign}0.{}{lead}{frac}", "0".repeat((-exp - 1) as usize))
            } else if frac.is_empty() {
                format!("{sign}{lead}e{exp}")
            } else {
                format!("{sign}{lead}.{frac}e{exp}")
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_literals_load_as_str_parse(lon in literal(1), lat in literal(1), r in literal(4), alt in ("[1-9]", "[0-9]{1,25}", -330i32..=307).prop_map(|(l, f, e)| format!("{l}.{f}e{e}"))) {
        let (x, y, radius): (f64, f64, f64) = (lon.parse().unwrap(), lat.parse().unwrap(), r.parse().unwrap());
        // A small right triangle at the random vertex.
        let ring = format!("[[{lon}, {lat}], [{e:?}, {lat}], [{e:?}, {n:?}], [{lon}, {lat}]]", e = x + 0.5, n = y + 0.5);
        let zones = zones_from_geojson_str(&format!(r#"{{"type": "FeatureCollection", "features": [
            {{"type": "Feature", "properties": {{"id": "t"}}, "geometry": {{"type": "Polygon", "coordinates": [{ring}]}}}}]}}"#)).unwrap();
        let got: BTreeSet<Bits> = spec_vertices(&zones[0].to_spec().geometry).into_iter().map(bits).collect();
        prop_assert!(got.contains(&bits([x, y])), "{lon} {lat}");

        // The same numbers in a plan: a polygon, a circle's centre and radius, a standoff.
        let radius_m = radius.abs().max(1.0);
        let plan = Plan::from_json_str(&format!(r#"{{"name": "p", "phases": [{{"id": "0", "name": "all"}}],
            "partners": [{{"id": "P", "min_standoff_m": {sr}}}],
            "default_rules": [{{"classes": ["uas"], "weapons": "tight", "standoff_m": {sr}}}],
            "zones": [{{"id": "a", "geometry": {{"type": "Polygon", "coordinates": [{ring}]}}}},
                      {{"id": "b", "kind": "exclusion", "radius_m": {radius_m:?}, "geometry": {{"type": "Point", "coordinates": [{lon}, {lat}]}}}}]}}"#,
            sr = r.trim_start_matches('-'))).unwrap();
        let zones = plan.index().zones();
        let a: BTreeSet<Bits> = spec_vertices(&zones[0].to_spec().geometry).into_iter().map(bits).collect();
        prop_assert!(a.contains(&bits([x, y])));
        match zones[1].to_spec().geometry {
            ZoneGeometry::Circle { center, radius_m: got } => {
                prop_assert_eq!(bits(center), bits([x, y]));
                prop_assert_eq!(got.to_bits(), radius_m.to_bits());
            }
            other => prop_assert!(false, "{other:?}"),
        }
        let standoff: f64 = r.trim_start_matches('-').parse().unwrap();
        prop_assert_eq!(plan.zone_plans()[0].rules[0].standoff_m().to_bits(), standoff.to_bits());
        prop_assert_eq!(plan.partners()[0].min_standoff_m.to_bits(), standoff.to_bits());

        // And in ED-318: a circle at the random point with the random radius (metres), and
        // the triangle.
        let ed318 = format!(r#"{{"type": "FeatureCollection", "features": [
            {{"type": "Feature", "geometry": {{"type": "Point", "coordinates": [{lon}, {lat}],
              "extent": {{"subType": "Circle", "radius": {radius_m:?}}},
              "layer": {{"upper": 500, "upperReference": "AMSL", "lower": 0, "lowerReference": "AMSL", "uom": "m"}}}},
              "properties": {{"identifier": "C1", "country": "FRA", "type": "PROHIBITED", "variant": "COMMON", "zoneAuthority": [{{"purpose": "INFORMATION"}}]}}}},
            {{"type": "Feature", "geometry": {{"type": "Polygon", "coordinates": [{ring}],
              "layer": {{"upper": 500, "upperReference": "AMSL", "lower": 0, "lowerReference": "AMSL", "uom": "m"}}}},
              "properties": {{"identifier": "P1", "country": "FRA", "type": "PROHIBITED", "variant": "COMMON", "zoneAuthority": [{{"purpose": "INFORMATION"}}]}}}}]}}"#);
        let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion));
        let collection = ed318_from_str(&ed318, &options).unwrap();
        match collection.zones[0].zone.to_spec().geometry {
            ZoneGeometry::Circle { center, radius_m: got } => {
                prop_assert_eq!(bits(center), bits([x, y]));
                prop_assert_eq!(got.to_bits(), radius_m.to_bits());
            }
            other => prop_assert!(false, "{other:?}"),
        }
        let p: BTreeSet<Bits> = spec_vertices(&collection.zones[1].zone.to_spec().geometry).into_iter().map(bits).collect();
        prop_assert!(p.contains(&bits([x, y])));

        // And in a track, including an altitude over the whole range (subnormals too).
        let track: Track = serde_json::from_str(&format!(r#"{{"id": "t", "lon": {lon}, "lat": {lat}, "alt_m": {alt},
            "class": "uas", "identity": "hostile"}}"#)).unwrap();
        prop_assert_eq!(track.lon.to_bits(), x.to_bits());
        prop_assert_eq!(track.lat.to_bits(), y.to_bits());
        prop_assert_eq!(track.alt_m.to_bits(), alt.parse::<f64>().unwrap().to_bits());
    }
}

#[test]
fn malformed_coordinates_are_typed_errors_naming_the_place() {
    use sanctuary::{geojson::LoadError, geometry::ZoneProblem};
    let doc = |coords: &str| {
        format!(
            r#"{{"type": "FeatureCollection", "features": [{{"type": "Feature", "properties": {{"id": "z"}},
            "geometry": {{"type": "Polygon", "coordinates": {coords}}}}}]}}"#
        )
    };
    for bad in [
        r#"[[[0, 0], ["1", 0], [1, 1], [0, 0]]]"#,
        r#"[[0, 0]]"#,
        "7",
        r#"[[[0, 0], [1, 0, "x"], [1, 1], [0, 0]]]"#,
    ] {
        match zones_from_geojson_str(&doc(bad)) {
            Err(LoadError::Format { place, .. }) => {
                assert_eq!(place, "features[0].geometry.coordinates", "{bad}")
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    match zones_from_geojson_str(&doc("[[[0, 0], [1], [1, 1], [0, 0]]]")) {
        Err(LoadError::Zone { place, source }) => {
            assert_eq!(place, "features[0]");
            assert!(matches!(
                source.problems[..],
                [ZoneProblem::ShortPosition {
                    polygon: 0,
                    ring: 0,
                    vertex: 1
                }]
            ));
        }
        other => panic!("{other:?}"),
    }
    // A third number (altitude) is ignored; integers are numbers.
    assert!(zones_from_geojson_str(&doc("[[[0, 0, 5.5], [1, 0, 1e3], [1, 1], [0, 0]]]")).is_ok());
}
