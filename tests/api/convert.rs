//! Zone geometry from `geo_types`: the same zone as from `[lon, lat]` arrays, the same
//! positions (and geo's own answer), rings closed and turned round, empty and non-finite
//! input refused when the zone is built, non-areal geometries refused at conversion.

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo_types::{
    coord, line_string, point, polygon, Geometry, LineString, MultiPolygon, Polygon, Rect, Triangle,
};
use proptest::prelude::*;
use sanctuary::geometry::{GeometryKindError, Position, ZoneGeometry, ZoneKind, ZoneProblem};
use sanctuary::plan::{PlanZone, RuleSpec, TargetClass, WeaponsStatus};
use sanctuary::{Plan, Zone};

fn arrays(line: &LineString<f64>) -> Vec<[f64; 2]> {
    line.0.iter().map(|c| [c.x, c.y]).collect()
}

fn from_arrays(p: &Polygon<f64>) -> ZoneGeometry {
    ZoneGeometry::polygon(
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(arrays)
            .collect(),
    )
}

fn geo_position(p: &Polygon<f64>, lon: f64, lat: f64) -> Position {
    match p.coordinate_position(&coord! { x: lon, y: lat }) {
        CoordPos::Inside => Position::Inside,
        CoordPos::OnBoundary => Position::OnBoundary,
        CoordPos::Outside => Position::Outside,
    }
}

/// A star-shaped (so simple) polygon around (`lon`, `lat`): one vertex per angle step, at
/// the given radii, with a small square hole at the centre when asked.
fn star(lon: f64, lat: f64, radii: &[f64], hole: bool) -> Polygon<f64> {
    let n = radii.len() as f64;
    let shell: Vec<(f64, f64)> = radii
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let a = std::f64::consts::TAU * i as f64 / n;
            (lon + r * a.cos(), lat + r * a.sin())
        })
        .collect();
    let holes = if hole {
        let h = 0.1 * radii.iter().copied().fold(f64::INFINITY, f64::min);
        vec![LineString::from(vec![
            (lon - h, lat - h),
            (lon + h, lat - h),
            (lon + h, lat + h),
            (lon - h, lat + h),
        ])]
    } else {
        vec![]
    };
    Polygon::new(LineString::from(shell), holes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// From `geo_types` or from arrays: the same zone, the same positions, which are geo's.
    #[test]
    fn a_geo_polygon_is_the_same_zone_as_its_arrays(
        lon in -170.0..170.0f64,
        lat in -70.0..70.0f64,
        radii in proptest::collection::vec(0.5..3.0f64, 3..12),
        hole in any::<bool>(),
        reversed in any::<bool>(),
        probes in proptest::collection::vec((-4.0..4.0f64, -4.0..4.0f64), 1..20),
    ) {
        let mut p = star(lon, lat, &radii, hole);
        if reversed {
            p.exterior_mut(|ring| ring.0.reverse());
        }
        let converted = Zone::builder("z", ZoneGeometry::from(&p)).build().unwrap();
        prop_assert_eq!(&converted, &Zone::builder("z", from_arrays(&p)).build().unwrap());
        prop_assert_eq!(&converted, &Zone::builder("z", ZoneGeometry::from(p.clone())).build().unwrap());
        for (dx, dy) in probes {
            let (x, y) = (lon + dx, lat + dy);
            prop_assert_eq!(converted.position(x, y).unwrap(), geo_position(&p, x, y));
        }
        // Every vertex is on the boundary.
        for c in p.exterior().0.iter().chain(p.interiors().iter().flat_map(|r| r.0.iter())) {
            prop_assert_eq!(converted.position(c.x, c.y).unwrap(), Position::OnBoundary);
        }
        // And back: the zone's own rings, as a geo polygon, convert to the same zone.
        let ZoneGeometry::Polygon { rings } = converted.to_spec().geometry else {
            return Err(TestCaseError::fail("not a polygon"));
        };
        let line = |r: &Vec<[f64; 2]>| LineString::from(r.iter().map(|&[x, y]| (x, y)).collect::<Vec<_>>());
        let back = Polygon::new(line(&rings[0]), rings[1..].iter().map(line).collect());
        prop_assert_eq!(Zone::builder("z", ZoneGeometry::from(back)).build().unwrap(), converted);
    }
}

#[test]
fn rings_are_closed_and_turned_round() {
    // `polygon!` closes the ring; the zone stores the shell counter-clockwise, the hole clockwise.
    let cw = polygon!(
        exterior: [(x: 0.0, y: 0.0), (x: 0.0, y: 4.0), (x: 4.0, y: 4.0), (x: 4.0, y: 0.0)],
        interiors: [[(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 2.0)]],
    );
    let g = ZoneGeometry::from(&cw);
    let ZoneGeometry::Polygon { rings } = &g else {
        panic!("{g:?}")
    };
    assert!(rings.iter().all(|r| r.first() == r.last() && r.len() == 5));
    let zone = Zone::builder("z", g).build().unwrap();
    let ZoneGeometry::Polygon { rings } = zone.to_spec().geometry else {
        panic!()
    };
    assert_eq!(
        rings[0],
        vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]]
    );
    assert_eq!(
        rings[1],
        vec![[1.0, 1.0], [1.0, 2.0], [2.0, 2.0], [2.0, 1.0], [1.0, 1.0]]
    );
    assert_eq!(zone.position(1.5, 1.5).unwrap(), Position::Outside);
    assert_eq!(zone.position(3.0, 3.0).unwrap(), Position::Inside);
    assert_eq!(zone.position(2.0, 1.5).unwrap(), Position::OnBoundary);
}

#[test]
fn empty_and_bad_input_is_refused_when_the_zone_is_built() {
    let problems = |g: ZoneGeometry| Zone::builder("z", g).build().unwrap_err().problems;
    let empty = Polygon::<f64>::new(LineString::new(vec![]), vec![]);
    assert_eq!(ZoneGeometry::from(&empty), ZoneGeometry::polygon(vec![]));
    assert_eq!(
        problems(ZoneGeometry::from(empty.clone())),
        vec![ZoneProblem::NoPolygons]
    );
    assert_eq!(
        problems(MultiPolygon::<f64>::new(vec![]).into()),
        vec![ZoneProblem::NoPolygons]
    );
    assert_eq!(
        problems(MultiPolygon::new(vec![empty]).into()),
        vec![ZoneProblem::NoPolygons]
    );
    let nan = polygon![(x: 0.0, y: 0.0), (x: f64::NAN, y: 0.0), (x: 1.0, y: 1.0)];
    assert!(problems(nan.into()).iter().any(|p| matches!(
        p,
        ZoneProblem::NonFiniteCoordinate {
            polygon: 0,
            ring: 0,
            vertex: 1
        }
    )));
    let far = polygon![(x: 0.0, y: 0.0), (x: 200.0, y: 0.0), (x: 1.0, y: 1.0)];
    assert!(problems(far.into())
        .iter()
        .any(|p| matches!(p, ZoneProblem::LongitudeOutOfRange { .. })));
    let bowtie = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)];
    assert!(problems(bowtie.into())
        .iter()
        .any(|p| matches!(p, ZoneProblem::SelfIntersection { .. })));
}

#[test]
fn multipolygons_rects_triangles_and_other_geometries() {
    let a = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
    let b = polygon![(x: 2.0, y: 0.0), (x: 3.0, y: 0.0), (x: 3.0, y: 1.0), (x: 2.0, y: 1.0)];
    let multi = MultiPolygon::new(vec![a.clone(), b.clone()]);
    let zone = Zone::builder("ab", ZoneGeometry::from(&multi)).build().unwrap();
    assert_eq!(
        zone,
        Zone::builder(
            "ab",
            ZoneGeometry::MultiPolygon {
                polygons: vec![vec![arrays(a.exterior())], vec![arrays(b.exterior())]]
            }
        )
        .build()
        .unwrap()
    );
    for (x, y) in [(0.5, 0.5), (1.5, 0.5), (2.5, 0.5), (3.0, 0.5), (2.0, 1.0)] {
        let geo = match multi.coordinate_position(&coord! { x: x, y: y }) {
            CoordPos::Inside => Position::Inside,
            CoordPos::OnBoundary => Position::OnBoundary,
            CoordPos::Outside => Position::Outside,
        };
        assert_eq!(zone.position(x, y).unwrap(), geo, "({x}, {y})");
    }
    let rect = Rect::new(coord! { x: 1.0, y: 0.0 }, coord! { x: 0.0, y: 1.0 });
    // The corners come in sorted, the ring starts at the south-west one.
    assert_eq!(ZoneGeometry::from(rect), ZoneGeometry::from(&a));
    assert_eq!(
        Zone::builder("r", rect.into()).build().unwrap(),
        Zone::builder("r", a.clone().into()).build().unwrap()
    );
    let tri = Triangle::new(
        coord! { x: 0.0, y: 0.0 },
        coord! { x: 1.0, y: 0.0 },
        coord! { x: 0.0, y: 1.0 },
    );
    assert_eq!(
        ZoneGeometry::from(tri),
        ZoneGeometry::polygon(vec![vec![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]])
    );
    assert_eq!(Zone::builder("t", tri.into()).build().unwrap().vertex_count(), 3);
    // Areas convert through `Geometry`; points, lines and collections do not.
    assert_eq!(
        ZoneGeometry::try_from(Geometry::Polygon(a.clone())),
        Ok(ZoneGeometry::from(&a))
    );
    assert_eq!(
        ZoneGeometry::try_from(&Geometry::MultiPolygon(multi.clone())),
        Ok(ZoneGeometry::from(&multi))
    );
    assert_eq!(
        ZoneGeometry::try_from(Geometry::Rect(rect)),
        Ok(ZoneGeometry::from(rect))
    );
    assert_eq!(
        ZoneGeometry::try_from(Geometry::Triangle(tri)),
        Ok(ZoneGeometry::from(tri))
    );
    let refused = [
        (Geometry::Point(point!(x: 0.0, y: 0.0)), "Point"),
        (
            Geometry::LineString(line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0)]),
            "LineString",
        ),
        (
            Geometry::Line(geo_types::Line::new(
                coord! { x: 0.0, y: 0.0 },
                coord! { x: 1.0, y: 1.0 },
            )),
            "Line",
        ),
        (
            Geometry::MultiPoint(vec![point!(x: 0.0, y: 0.0)].into()),
            "MultiPoint",
        ),
        (
            Geometry::MultiLineString(geo_types::MultiLineString::new(vec![])),
            "MultiLineString",
        ),
        (
            Geometry::GeometryCollection(geo_types::GeometryCollection::new_from(vec![Geometry::Polygon(
                a,
            )])),
            "GeometryCollection",
        ),
    ];
    for (g, found) in refused {
        assert_eq!(ZoneGeometry::try_from(&g), Err(GeometryKindError { found }));
    }
}

#[test]
fn a_plan_built_from_geo_polygons_has_the_hash_of_its_file() {
    let west = polygon![(x: 22.0, y: 48.0), (x: 25.0, y: 48.0), (x: 25.0, y: 51.0), (x: 22.0, y: 51.0)];
    let no_fire = Rect::new(coord! { x: 24.0, y: 49.0 }, coord! { x: 24.5, y: 49.5 });
    let built = Plan::builder("geo")
        .phase("0", "all")
        .default_rule(RuleSpec::new([TargetClass::Uas], WeaponsStatus::Tight, 1_000.0))
        .zone(PlanZone::new("west", west.into()))
        .zone(PlanZone::new("no-fire", no_fire.into()).kind(ZoneKind::Exclusion))
        .build()
        .unwrap();
    let text = r#"{"name": "geo", "phases": [{"id": "0", "name": "all"}],
      "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 1000}],
      "zones": [
        {"id": "west", "geometry": {"type": "Polygon", "coordinates": [[[22, 48], [25, 48], [25, 51], [22, 51], [22, 48]]]}},
        {"id": "no-fire", "kind": "exclusion",
         "geometry": {"type": "Polygon", "coordinates": [[[24, 49], [24.5, 49], [24.5, 49.5], [24, 49.5], [24, 49]]]}}]}"#;
    assert_eq!(built.hash(), Plan::from_json_str(text).unwrap().hash());
}
