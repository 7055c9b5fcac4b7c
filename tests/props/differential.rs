//! Differential agreement with the `geo` crate's own tri-state containment
//! (`CoordinatePosition`) on random star-shaped polygons, for plate-carrée zones.

use crate::gen::{star, zone, Ring};
use geo::algorithm::coordinate_position::{CoordPos, CoordinatePosition};
use geo::{Coord, LineString, Polygon};
use proptest::prelude::*;
use sanctuary::geometry::{EdgeModel, Position};

fn to_geo(ring: &Ring) -> Polygon<f64> {
    Polygon::new(
        LineString::from(ring.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>()),
        vec![],
    )
}

/// Planar distance (degrees) from `p` to the ring's edges.
fn planar_distance(ring: &Ring, p: [f64; 2]) -> f64 {
    ring.windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let t = (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
            (p[0] - a[0] - t * dx).hypot(p[1] - a[1] - t * dy)
        })
        .fold(f64::INFINITY, f64::min)
}

fn from_geo(p: CoordPos) -> Position {
    match p {
        CoordPos::Inside => Position::Inside,
        CoordPos::OnBoundary => Position::OnBoundary,
        CoordPos::Outside => Position::Outside,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn agrees_with_geo_away_from_the_boundary(
        ring in star(),
        queries in prop::collection::vec((-1.2f64..1.2, -1.2f64..1.2), 64),
    ) {
        let ours = zone("star", vec![ring.clone()], EdgeModel::PlateCarree);
        let theirs = to_geo(&ring);
        let [min_lon, min_lat, max_lon, max_lat] = ours.bounds();
        let (cx, cy) = ((min_lon + max_lon) / 2.0, (min_lat + max_lat) / 2.0);
        let (rx, ry) = ((max_lon - min_lon) / 2.0, (max_lat - min_lat) / 2.0);
        let (mut inside, mut outside) = (0, 0);
        for (u, v) in queries {
            let p = [cx + u * rx, cy + v * ry];
            if planar_distance(&ring, p) < 1e-9 {
                continue;
            }
            let want = from_geo(theirs.coordinate_position(&Coord { x: p[0], y: p[1] }));
            prop_assert_eq!(ours.position(p[0], p[1]).unwrap(), want, "at {:?}", p);
            match want {
                Position::Inside => inside += 1,
                _ => outside += 1,
            }
        }
        // Both classes are exercised across cases; per case, at least one point was compared.
        prop_assert!(inside + outside > 0);
        // Vertices: both say boundary.
        for v in &ring {
            prop_assert_eq!(from_geo(theirs.coordinate_position(&Coord { x: v[0], y: v[1] })), Position::OnBoundary);
            prop_assert_eq!(ours.position(v[0], v[1]).unwrap(), Position::OnBoundary);
        }
    }
}
