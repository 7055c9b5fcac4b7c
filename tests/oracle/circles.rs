//! Geodesic circles against the geodesic distance from their centre: inside when the
//! distance is below the radius, on the boundary within 1 mm of it, outside beyond.

use crate::edge_distance::Rng;
use sanctuary::{
    geometry::{
        geodesic_destination, geodesic_distance_m, Position, ZoneGeometry, CIRCLE_BOUNDARY_TOLERANCE_M,
    },
    Zone, ZoneIndex,
};

fn expected(d: f64, r: f64) -> Position {
    if (d - r).abs() <= CIRCLE_BOUNDARY_TOLERANCE_M {
        Position::OnBoundary
    } else if d < r {
        Position::Inside
    } else {
        Position::Outside
    }
}

#[test]
fn tolerance_is_one_millimetre() {
    assert_eq!(CIRCLE_BOUNDARY_TOLERANCE_M, 1e-3);
}

#[test]
fn circle_position_follows_geodesic_distance() {
    let mut rng = Rng::new(0xC1C1E);
    let mut counts = [0usize; 3];
    for case in 0..200 {
        let (clon, clat) = (rng.range(-150.0, 150.0), rng.range(-60.0, 60.0));
        let r = 10f64.powf(rng.range(2.0, 5.7)); // 100 m .. 500 km
        let zone = Zone::builder(format!("c{case}"), ZoneGeometry::circle(clon, clat, r))
            .build()
            .unwrap_or_else(|e| panic!("case {case}: {e}"));
        let index = ZoneIndex::new(vec![zone.clone()]).unwrap();
        let h = index.handle(zone.id()).unwrap();
        let azi = rng.range(-180.0, 180.0);
        // Points at several multiples of the radius, plus just inside / on / just outside
        // the boundary by amounts around the 1 mm tolerance.
        let offsets = [-0.5 * r, -0.01, -2e-3, -5e-4, 0.0, 5e-4, 2e-3, 0.01, 0.5 * r];
        for off in offsets {
            let (lon, lat) = geodesic_destination(clon, clat, azi, r + off);
            let d = geodesic_distance_m(clon, clat, lon, lat);
            let want = expected(d, r);
            counts[want as usize] += 1;
            let got = zone.position(lon, lat).unwrap();
            assert_eq!(
                got, want,
                "case {case}: centre ({clon}, {clat}) r {r} d {d} (offset {off})"
            );
            let loc = index.locate(lon, lat).unwrap();
            assert_eq!(
                loc.inside.contains(&h),
                want == Position::Inside,
                "case {case} offset {off}"
            );
            assert_eq!(
                loc.boundary.contains(&h),
                want == Position::OnBoundary,
                "case {case} offset {off}"
            );
            let signed = zone.signed_distance_m(lon, lat).unwrap();
            match want {
                Position::OnBoundary => assert_eq!(signed, 0.0),
                _ => assert!(
                    (signed - (r - d)).abs() <= 1e-6,
                    "case {case}: signed {signed} vs {}",
                    r - d
                ),
            }
            let nearest = index.nearest_boundary(lon, lat).unwrap().unwrap();
            assert!(
                (nearest.distance_m - (d - r).abs()).abs() <= 1e-6,
                "case {case}: {nearest:?}"
            );
        }
    }
    // Every class was exercised.
    assert!(counts.iter().all(|&n| n >= 200), "{counts:?}");
}
