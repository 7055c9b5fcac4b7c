//! Hostile input never panics: queries with NaN, infinities and out-of-range coordinates
//! return typed errors, and garbage rings either build or return a `ZoneError`.

use proptest::prelude::*;
use sanctuary::{
    geometry::{EdgeModel, PointError, ZoneGeometry},
    Zone, ZoneIndex,
};

fn valid(lon: f64, lat: f64) -> bool {
    lon.is_finite() && lat.is_finite() && (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

fn index() -> ZoneIndex {
    let sq = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
    let zones = vec![
        Zone::builder("pc", ZoneGeometry::polygon(vec![sq.clone()]))
            .build()
            .unwrap(),
        Zone::builder("gc", ZoneGeometry::polygon(vec![sq]))
            .edges(EdgeModel::GreatCircle)
            .build()
            .unwrap(),
        Zone::builder("circle", ZoneGeometry::circle(0.5, 0.5, 50_000.0))
            .build()
            .unwrap(),
    ];
    ZoneIndex::new(zones).unwrap()
}

/// Any f64, with the awkward values well represented.
fn coord() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        -200.0f64..200.0,
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(90.0),
        Just(-90.0),
        Just(180.0),
        Just(-180.0),
        Just(180.000_000_000_000_03),
        Just(-0.0),
        Just(f64::MIN_POSITIVE),
        (-4i32..8).prop_map(|k| k as f64 * 0.5),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn queries_never_panic(lon in coord(), lat in coord()) {
        let index = index();
        let ok = valid(lon, lat);
        let loc = index.locate(lon, lat);
        prop_assert_eq!(loc.is_ok(), ok, "locate({}, {}) = {:?}", lon, lat, loc);
        if let Err(e) = loc {
            let want_non_finite = !lon.is_finite() || !lat.is_finite();
            prop_assert_eq!(e == PointError::NonFinite, want_non_finite, "{:?}", e);
        }
        prop_assert_eq!(index.nearest_boundary(lon, lat).is_ok(), ok);
        for zone in index.zones() {
            prop_assert_eq!(zone.position(lon, lat).is_ok(), ok);
            let d = zone.signed_distance_m(lon, lat);
            prop_assert_eq!(d.is_ok(), ok);
            if let Ok(d) = d {
                prop_assert!(!d.is_nan(), "{} at ({}, {})", zone.id(), lon, lat);
            }
        }
    }

    #[test]
    fn garbage_rings_build_or_fail_cleanly(
        rings in prop::collection::vec((prop::collection::vec((coord(), coord()), 0..10), any::<bool>()), 1..4),
        multi in any::<bool>(),
        great_circle in any::<bool>(),
    ) {
        let rings: Vec<Vec<[f64; 2]>> = rings
            .into_iter()
            .map(|(pts, close)| {
                let mut r: Vec<[f64; 2]> = pts.into_iter().map(|(x, y)| [x, y]).collect();
                if close && !r.is_empty() {
                    r.push(r[0]);
                }
                r
            })
            .collect();
        let geometry = if multi {
            ZoneGeometry::MultiPolygon { polygons: rings.into_iter().map(|r| vec![r]).collect() }
        } else {
            ZoneGeometry::polygon(rings)
        };
        let model = if great_circle { EdgeModel::GreatCircle } else { EdgeModel::PlateCarree };
        match Zone::builder("junk", geometry).edges(model).build() {
            Ok(zone) => {
                // A valid zone answers every valid query.
                let b = zone.bounds();
                let (lon, lat) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
                prop_assert!(zone.position(lon, lat).is_ok());
                let index = ZoneIndex::new(vec![zone]).unwrap();
                prop_assert!(index.locate(lon, lat).is_ok());
                prop_assert!(index.nearest_boundary(lon, lat).unwrap().is_some());
            }
            Err(e) => {
                prop_assert_eq!(e.zone.as_str(), "junk");
                prop_assert!(!e.problems.is_empty());
                prop_assert!(e.to_string().starts_with("zone `junk`: "));
            }
        }
    }

    #[test]
    fn garbage_circles_build_or_fail_cleanly(lon in coord(), lat in coord(), r in coord()) {
        match Zone::builder("c", ZoneGeometry::circle(lon, lat, r)).build() {
            Ok(zone) => {
                prop_assert!(valid(lon, lat) && r > 0.0 && r.is_finite());
                prop_assert!(zone.position(lon, lat).is_ok());
            }
            Err(e) => prop_assert!(!e.problems.is_empty()),
        }
    }
}
