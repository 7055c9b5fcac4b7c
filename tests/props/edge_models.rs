//! Plate carrée versus great circle: the same ring, different zones. North of a 50°N
//! edge from 20°E to 30°E, a point can be outside the plate-carrée zone (the edge follows
//! the parallel) yet inside the great-circle one (the arc bulges poleward).

use proptest::prelude::*;
use sanctuary::{
    geometry::{EdgeModel, Position, ZoneGeometry},
    Zone, ZoneIndex,
};

fn zones() -> (Zone, Zone) {
    let ring = vec![
        [20.0, 40.0],
        [30.0, 40.0],
        [30.0, 50.0],
        [20.0, 50.0],
        [20.0, 40.0],
    ];
    let flat = Zone::builder("flat", ZoneGeometry::polygon(vec![ring.clone()]))
        .build()
        .unwrap();
    let round = Zone::builder("round", ZoneGeometry::polygon(vec![ring]))
        .edges(EdgeModel::GreatCircle)
        .build()
        .unwrap();
    (flat, round)
}

/// Latitude of the great circle through (20, 50) and (30, 50) at `lon`, on the sphere
/// whose latitudes are the geodetic ones: tan φ = tan 50° · cos(λ − 25°) / cos 5°.
fn arc_lat(lon: f64) -> f64 {
    (50f64.to_radians().tan() * (lon - 25.0).to_radians().cos() / 5f64.to_radians().cos())
        .atan()
        .to_degrees()
}

#[test]
fn just_north_of_the_parallel_edge() {
    let (flat, round) = zones();
    assert_eq!(flat.position(25.0, 50.1).unwrap(), Position::Outside);
    assert_eq!(round.position(25.0, 50.1).unwrap(), Position::Inside);
    assert_eq!(flat.position(25.0, 50.0).unwrap(), Position::OnBoundary);
    assert_eq!(round.position(25.0, 50.0).unwrap(), Position::Inside);
    // Beyond the bulge (0.1075° at 25°E, about 12 km) both are outside.
    assert!((arc_lat(25.0) - 50.1075).abs() < 1e-4, "{}", arc_lat(25.0));
    assert_eq!(round.position(25.0, 50.2).unwrap(), Position::Outside);
    assert_eq!(flat.position(25.0, 50.2).unwrap(), Position::Outside);
    // The signed distances disagree in sign.
    assert!(flat.signed_distance_m(25.0, 50.1).unwrap() < 0.0);
    assert!(round.signed_distance_m(25.0, 50.1).unwrap() > 0.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn between_the_parallel_and_the_arc(lon in 20.25f64..29.75, frac in 0.05f64..0.95) {
        let (flat, round) = zones();
        let top = arc_lat(lon);
        prop_assert!(top > 50.0);
        let lat = 50.0 + frac * (top - 50.0);
        prop_assert_eq!(flat.position(lon, lat).unwrap(), Position::Outside);
        prop_assert_eq!(round.position(lon, lat).unwrap(), Position::Inside);
        // On the arc itself (to f64 rounding, far below the 1e-12 rad tolerance).
        prop_assert_eq!(round.position(lon, top).unwrap(), Position::OnBoundary);
        prop_assert_eq!(round.signed_distance_m(lon, top).unwrap(), 0.0);
        let index = ZoneIndex::new(vec![round.clone()]).unwrap();
        prop_assert_eq!(index.nearest_boundary(lon, top).unwrap().unwrap().distance_m, 0.0);
        // North of the arc: outside both.
        let beyond = top + frac * 0.5;
        prop_assert_eq!(round.position(lon, beyond).unwrap(), Position::Outside);
        prop_assert_eq!(flat.position(lon, beyond).unwrap(), Position::Outside);
    }
}
