//! `nearest_boundary` against the plain per-zone search: for random sets of zones anywhere
//! on the globe (star polygons in either edge model, circles; next to the antimeridian and
//! up to 84° of latitude) and random points (near the zones, anywhere, and across the
//! antimeridian from them), the distance is the smallest |signed distance| of any zone and
//! the zone named attains it. This pins the tree walk and its lower bounds, which may skip
//! a piece only when it cannot be the nearest.

use proptest::prelude::*;
use sanctuary::{
    geometry::{EdgeModel, ZoneGeometry},
    Zone, ZoneIndex,
};

/// A star-shaped ring around (cx, cy) with radii up to 4°.
fn star_ring(cx: f64, cy: f64, parts: &[(f64, f64)], phase: f64) -> Vec<[f64; 2]> {
    let total: f64 = parts.iter().map(|p| p.0).sum();
    let mut angle = phase;
    let mut ring: Vec<[f64; 2]> = parts
        .iter()
        .map(|&(gap, r)| {
            let v = [cx + r * angle.cos(), cy + r * angle.sin()];
            angle += gap / total * std::f64::consts::TAU;
            v
        })
        .collect();
    ring.push(ring[0]);
    ring
}

fn zones() -> impl Strategy<Value = Vec<Zone>> {
    let star = (
        -179.0f64..179.0,
        -84.0f64..84.0,
        prop::collection::vec((0.5f64..1.0, 0.05f64..4.0), 4..16),
        0.0f64..std::f64::consts::TAU,
        any::<bool>(),
    );
    let circle = (-179.0f64..179.0, -84.0f64..84.0, 500.0f64..300_000.0);
    (
        prop::collection::vec(star, 0..4),
        prop::collection::vec(circle, 0..3),
    )
        .prop_map(|(stars, circles)| {
            let mut out = Vec::new();
            for (i, (cx, cy, parts, phase, great_circle)) in stars.into_iter().enumerate() {
                let model = if great_circle {
                    EdgeModel::GreatCircle
                } else {
                    EdgeModel::PlateCarree
                };
                let ring = star_ring(cx, cy, &parts, phase);
                // Zones across the antimeridian or onto a pole are refused: leave them out.
                if let Ok(z) = Zone::builder(format!("s{i}"), ZoneGeometry::polygon(vec![ring]))
                    .edges(model)
                    .build()
                {
                    out.push(z);
                }
            }
            for (i, (lon, lat, r)) in circles.into_iter().enumerate() {
                if let Ok(z) = Zone::builder(format!("c{i}"), ZoneGeometry::circle(lon, lat, r)).build() {
                    out.push(z);
                }
            }
            out
        })
        .prop_filter("at least one zone", |z| !z.is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn nearest_boundary_is_the_per_zone_minimum(
        zones in zones(),
        anywhere in prop::collection::vec((-180.0f64..180.0, -90.0f64..90.0), 1..8),
        near in prop::collection::vec((0usize..16, -5.0f64..5.0, -5.0f64..5.0, any::<bool>()), 1..16),
    ) {
        let index = ZoneIndex::new(zones).unwrap();
        // Points near a zone's vertices, some moved by 360° of longitude to the other side of
        // the antimeridian when that is still a valid longitude.
        let mut points = anywhere;
        for (k, dx, dy, wrap) in near {
            let zone = &index.zones()[k % index.len()];
            let b = zone.bounds();
            let (mut lon, lat) = (b[0] + dx, (b[1] + dy).clamp(-90.0, 90.0));
            if wrap {
                lon += if lon > 0.0 { -360.0 } else { 360.0 };
            }
            if (-180.0..=180.0).contains(&lon) {
                points.push((lon, lat));
            }
        }
        for (lon, lat) in points {
            let nearest = index.nearest_boundary(lon, lat).unwrap().unwrap();
            let per_zone: Vec<f64> = index
                .zones()
                .iter()
                .map(|z| z.signed_distance_m(lon, lat).unwrap().abs())
                .collect();
            let best = per_zone.iter().copied().fold(f64::INFINITY, f64::min);
            let tol = 1e-6 * best + 1e-3;
            prop_assert!(
                (nearest.distance_m - best).abs() <= tol,
                "({}, {}): nearest {} vs per-zone minimum {}", lon, lat, nearest.distance_m, best
            );
            let named = per_zone[nearest.zone.index()];
            prop_assert!(named <= best + tol, "({}, {}): zone {} is {} away, the nearest {}",
                lon, lat, index.zone(nearest.zone).id(), named, best);
        }
    }
}
