//! Signed boundary distance: exactly 0 on the boundary, and strictly growing along a ray
//! leaving a straight edge (north from a parallel edge of a plate-carrée box, east from a
//! meridian edge in either edge model), both outside and inside.

use crate::gen::STEP;
use proptest::prelude::*;
use sanctuary::{
    geometry::{geodesic_distance_m, EdgeModel, ZoneGeometry},
    Zone,
};

/// A lattice box `w` × `h` steps with its bottom-left corner at lattice point (ox, oy).
fn boxed(ox: i64, oy: i64, w: i64, h: i64, model: EdgeModel) -> (Zone, [f64; 4]) {
    let (x0, y0) = (ox as f64 * STEP, oy as f64 * STEP);
    let (x1, y1) = ((ox + w) as f64 * STEP, (oy + h) as f64 * STEP);
    let ring = vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
    let zone = Zone::builder("box", ZoneGeometry::polygon(vec![ring]))
        .edges(model)
        .build()
        .unwrap();
    (zone, [x0, y0, x1, y1])
}

/// Step along the ray, degrees; 8 steps stay well inside the box's half-extent.
const DELTA: f64 = 0.01;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn grows_north_of_a_parallel_edge(
        ox in -1300i64..1250, oy in -560i64..500,
        w in 16i64..48, h in 16i64..48,
        f in 0.25f64..0.75,
    ) {
        let (zone, [x0, _, x1, top]) = boxed(ox, oy, w, h, EdgeModel::PlateCarree);
        let lon = x0 + f * (x1 - x0);
        prop_assert_eq!(zone.signed_distance_m(lon, top).unwrap(), 0.0);
        let (mut prev_out, mut prev_in) = (0.0, 0.0);
        for k in 1..=8 {
            let d = k as f64 * DELTA;
            let out = zone.signed_distance_m(lon, top + d).unwrap();
            let inn = zone.signed_distance_m(lon, top - d).unwrap();
            prop_assert!(out < prev_out, "outside: {} then {} at step {}", prev_out, out, k);
            prop_assert!(inn > prev_in, "inside: {} then {} at step {}", prev_in, inn, k);
            // The nearest point of a parallel is due south (north): along the meridian.
            let along_out = geodesic_distance_m(lon, top, lon, top + d);
            let along_in = geodesic_distance_m(lon, top, lon, top - d);
            prop_assert!((out.abs() - along_out).abs() < 1e-3, "{} vs meridian arc {}", out, along_out);
            prop_assert!((inn - along_in).abs() < 1e-3, "{} vs meridian arc {}", inn, along_in);
            prev_out = out;
            prev_in = inn;
        }
    }

    #[test]
    fn grows_east_of_a_meridian_edge(
        ox in -1300i64..1250, oy in -560i64..500,
        w in 16i64..48, h in 16i64..48,
        f in 0.25f64..0.75,
        great_circle in any::<bool>(),
    ) {
        let model = if great_circle { EdgeModel::GreatCircle } else { EdgeModel::PlateCarree };
        let (zone, [_, y0, east, y1]) = boxed(ox, oy, w, h, model);
        let lat = y0 + f * (y1 - y0);
        prop_assert_eq!(zone.signed_distance_m(east, lat).unwrap(), 0.0);
        let (mut prev_out, mut prev_in) = (0.0, 0.0);
        for k in 1..=8 {
            let d = k as f64 * DELTA;
            let out = zone.signed_distance_m(east + d, lat).unwrap();
            let inn = zone.signed_distance_m(east - d, lat).unwrap();
            prop_assert!(out < prev_out, "{:?} outside: {} then {} at step {}", model, prev_out, out, k);
            prop_assert!(inn > prev_in, "{:?} inside: {} then {} at step {}", model, prev_in, inn, k);
            // Never more than the distance back to the starting point on the edge.
            prop_assert!(out.abs() <= geodesic_distance_m(east, lat, east + d, lat) + 1e-3);
            prev_out = out;
            prev_in = inn;
        }
    }
}
