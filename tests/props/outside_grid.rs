//! Zones the grid does not cover (circles, great-circle polygons) are located by testing
//! each one's box when there are few of them and through an R-tree when there are many:
//! either way `locate` names exactly the zones whose own `position` holds the point, also
//! on the boxes' edges and corners, beside grid-covered polygons.

use proptest::prelude::*;
use sanctuary::{
    geometry::{EdgeModel, Position, ZoneGeometry},
    Zone, ZoneIndex,
};

fn circles() -> impl Strategy<Value = Vec<(f64, f64, f64)>> {
    // Up to 60 circles: indexes with fewer and with more zones outside the grid than the
    // box list holds (32).
    prop::collection::vec((0.0..4.0f64, 0.0..4.0f64, 1_000.0..80_000.0f64), 1..60)
}

fn index(circles: &[(f64, f64, f64)]) -> ZoneIndex {
    let square = |x: f64, y: f64| vec![[x, y], [x + 1.0, y], [x + 1.0, y + 1.0], [x, y + 1.0], [x, y]];
    let mut zones = vec![
        Zone::builder("pc-a", ZoneGeometry::polygon(vec![square(0.0, 0.0)]))
            .build()
            .unwrap(),
        Zone::builder("pc-b", ZoneGeometry::polygon(vec![square(1.0, 1.0)]))
            .build()
            .unwrap(),
        Zone::builder("gc", ZoneGeometry::polygon(vec![square(2.0, 2.0)]))
            .edges(EdgeModel::GreatCircle)
            .build()
            .unwrap(),
    ];
    for (i, &(lon, lat, r)) in circles.iter().enumerate() {
        zones.push(
            Zone::builder(format!("c{i:02}"), ZoneGeometry::circle(lon, lat, r))
                .build()
                .unwrap(),
        );
    }
    ZoneIndex::new(zones).unwrap()
}

/// The ids `locate` should give: each zone asked on its own, in handle order.
fn by_hand(index: &ZoneIndex, lon: f64, lat: f64) -> (Vec<String>, Vec<String>) {
    let (mut inside, mut boundary) = (Vec::new(), Vec::new());
    for z in index.zones() {
        match z.position(lon, lat).unwrap() {
            Position::Inside => inside.push(z.id().to_string()),
            Position::OnBoundary => boundary.push(z.id().to_string()),
            Position::Outside => {}
        }
    }
    (inside, boundary)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn locate_names_the_zones_that_hold_the_point(
        circles in circles(),
        points in prop::collection::vec((-0.5..4.5f64, -0.5..4.5f64), 1..40),
    ) {
        let index = index(&circles);
        // Random points, and every zone's box corners and edge midpoints (a box test
        // must keep its edges, as the tree's does).
        let mut all = points;
        for z in index.zones() {
            let [x0, y0, x1, y1] = z.bounds();
            let (xm, ym) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
            all.extend([(x0, y0), (x1, y1), (x0, y1), (x1, y0), (xm, y0), (xm, y1), (x0, ym), (x1, ym), (xm, ym)]);
        }
        for (lon, lat) in all {
            let loc = index.locate(lon, lat).unwrap();
            let got = (
                index.ids(&loc.inside).iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                index.ids(&loc.boundary).iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            );
            prop_assert_eq!(got, by_hand(&index, lon, lat), "at ({}, {})", lon, lat);
        }
    }
}
