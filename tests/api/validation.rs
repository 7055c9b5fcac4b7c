//! One test per `ZoneProblem`: the exact variant, and an error that names the zone.

use sanctuary::{
    geometry::{ZoneBuilder, ZoneError, ZoneGeometry, ZoneProblem},
    Zone,
};

type Ring = Vec<[f64; 2]>;

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Ring {
    vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
}

/// Builds and expects failure; checks the error names the zone.
fn fails(id: &str, builder: ZoneBuilder) -> ZoneError {
    let err = builder.build().expect_err("zone should be invalid");
    assert_eq!(err.zone, id);
    assert!(err.to_string().starts_with(&format!("zone `{id}`: ")), "{err}");
    assert!(!err.problems.is_empty());
    err
}

fn poly(id: &str, rings: Vec<Ring>) -> ZoneError {
    fails(id, Zone::builder(id, ZoneGeometry::polygon(rings)))
}

fn multi(id: &str, polygons: Vec<Vec<Ring>>) -> ZoneError {
    fails(id, Zone::builder(id, ZoneGeometry::MultiPolygon { polygons }))
}

fn circle(id: &str, lon: f64, lat: f64, r: f64) -> ZoneError {
    fails(id, Zone::builder(id, ZoneGeometry::circle(lon, lat, r)))
}

#[test]
fn ring_with_fewer_than_four_positions() {
    let e = poly("short", vec![vec![[0.0, 0.0], [1.0, 0.0], [0.0, 0.0]]]);
    assert_eq!(
        e.problems,
        vec![ZoneProblem::TooFewPositions {
            polygon: 0,
            ring: 0,
            count: 3
        }]
    );
    // Repeated vertices do not count.
    let e = poly(
        "repeats",
        vec![vec![[0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 0.0], [0.0, 0.0]]],
    );
    assert_eq!(
        e.problems,
        vec![ZoneProblem::TooFewPositions {
            polygon: 0,
            ring: 0,
            count: 3
        }]
    );
}

#[test]
fn ring_not_closed() {
    let e = poly("open", vec![vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]]);
    assert_eq!(
        e.problems,
        vec![ZoneProblem::RingNotClosed { polygon: 0, ring: 0 }]
    );
    assert!(e.to_string().contains("not closed"), "{e}");
}

#[test]
fn empty_ring_is_not_closed() {
    let e = poly("empty-ring", vec![vec![]]);
    assert_eq!(
        e.problems,
        vec![ZoneProblem::RingNotClosed { polygon: 0, ring: 0 }]
    );
}

#[test]
fn non_finite_coordinates() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut ring = square(0.0, 0.0, 1.0, 1.0);
        ring[2][1] = bad;
        let e = poly("nan", vec![ring]);
        assert_eq!(
            e.problems,
            vec![ZoneProblem::NonFiniteCoordinate {
                polygon: 0,
                ring: 0,
                vertex: 2
            }]
        );
    }
}

#[test]
fn longitude_out_of_range() {
    let e = poly(
        "lon",
        vec![vec![[0.0, 0.0], [181.0, 0.0], [1.0, 1.0], [0.0, 0.0]]],
    );
    assert_eq!(
        e.problems,
        vec![ZoneProblem::LongitudeOutOfRange {
            polygon: 0,
            ring: 0,
            vertex: 1,
            lon: 181.0
        }]
    );
    assert!(e.to_string().contains("`181`"), "{e}");
}

#[test]
fn latitude_out_of_range() {
    let e = poly(
        "lat",
        vec![vec![[0.0, 0.0], [1.0, 0.0], [1.0, -90.5], [0.0, 0.0]]],
    );
    assert_eq!(
        e.problems,
        vec![ZoneProblem::LatitudeOutOfRange {
            polygon: 0,
            ring: 0,
            vertex: 2,
            lat: -90.5
        }]
    );
}

#[test]
fn vertex_on_a_pole() {
    let e = poly(
        "pole",
        vec![vec![[0.0, 80.0], [10.0, 80.0], [10.0, 90.0], [0.0, 80.0]]],
    );
    assert_eq!(
        e.problems,
        vec![ZoneProblem::TouchesPole {
            polygon: 0,
            ring: 0,
            vertex: 2
        }]
    );
}

#[test]
fn edge_crossing_the_antimeridian() {
    let e = poly(
        "am",
        vec![vec![[170.0, 0.0], [-170.0, 0.0], [-170.0, 1.0], [170.0, 0.0]]],
    );
    assert_eq!(
        e.problems,
        vec![ZoneProblem::CrossesAntimeridian {
            polygon: 0,
            ring: 0,
            edge: 0
        }]
    );
    // Exactly 180 degrees of longitude is ambiguous too.
    let e = poly(
        "am180",
        vec![vec![[-90.0, 0.0], [90.0, 0.0], [90.0, 1.0], [-90.0, 0.0]]],
    );
    assert_eq!(
        e.problems,
        vec![ZoneProblem::CrossesAntimeridian {
            polygon: 0,
            ring: 0,
            edge: 0
        }]
    );
}

#[test]
fn bow_tie_self_intersection() {
    let e = poly(
        "bowtie",
        vec![vec![[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]],
    );
    assert_eq!(
        e.problems,
        vec![ZoneProblem::SelfIntersection {
            polygon: 0,
            ring: 0,
            edge_a: 0,
            edge_b: 2
        }]
    );
}

#[test]
fn lopsided_bow_tie_self_intersection() {
    // Unequal lobes: non-zero signed area, same diagnosis.
    let e = poly(
        "bowtie2",
        vec![vec![[0.0, 0.0], [2.0, 2.0], [2.0, 0.0], [0.0, 1.0], [0.0, 0.0]]],
    );
    assert_eq!(
        e.problems,
        vec![ZoneProblem::SelfIntersection {
            polygon: 0,
            ring: 0,
            edge_a: 0,
            edge_b: 2
        }]
    );
}

#[test]
fn ring_touching_itself_at_a_vertex() {
    // A figure eight through (1, 1): the two lobes meet at one vertex.
    let e = poly(
        "eight",
        vec![vec![
            [0.0, 0.0],
            [1.0, 1.0],
            [2.0, 0.0],
            [2.0, 2.0],
            [1.0, 1.0],
            [0.0, 2.0],
            [0.0, 0.0],
        ]],
    );
    assert!(
        e.problems.iter().all(|p| matches!(
            p,
            ZoneProblem::SelfIntersection {
                polygon: 0,
                ring: 0,
                ..
            }
        )),
        "{:?}",
        e.problems
    );
}

#[test]
fn ring_retracing_an_edge() {
    // A spike: out along an edge and back.
    let e = poly(
        "spike",
        vec![vec![
            [0.0, 0.0],
            [2.0, 0.0],
            [3.0, 0.0],
            [2.0, 0.0],
            [2.0, 2.0],
            [0.0, 0.0],
        ]],
    );
    assert!(
        e.problems
            .iter()
            .any(|p| matches!(p, ZoneProblem::SelfIntersection { .. })),
        "{:?}",
        e.problems
    );
}

#[test]
fn hole_outside_the_shell() {
    let e = poly(
        "hole-out",
        vec![square(0.0, 0.0, 4.0, 4.0), square(5.0, 5.0, 6.0, 6.0)],
    );
    assert_eq!(
        e.problems,
        vec![ZoneProblem::HoleOutsideShell { polygon: 0, ring: 1 }]
    );
}

#[test]
fn hole_crossing_the_shell() {
    let e = poly(
        "hole-cross",
        vec![square(0.0, 0.0, 4.0, 4.0), square(3.0, 1.0, 5.0, 2.0)],
    );
    assert_eq!(
        e.problems,
        vec![ZoneProblem::RingsIntersect {
            polygon_a: 0,
            ring_a: 0,
            polygon_b: 0,
            ring_b: 1
        }]
    );
}

#[test]
fn nested_holes() {
    let e = poly(
        "nested",
        vec![
            square(0.0, 0.0, 10.0, 10.0),
            square(1.0, 1.0, 9.0, 9.0),
            square(3.0, 3.0, 5.0, 5.0),
        ],
    );
    assert_eq!(
        e.problems,
        vec![ZoneProblem::NestedHoles {
            polygon: 0,
            ring: 2,
            outer: 1
        }]
    );
}

#[test]
fn overlapping_multipolygon_parts() {
    let e = multi(
        "overlap",
        vec![
            vec![square(0.0, 0.0, 10.0, 10.0)],
            vec![square(2.0, 2.0, 3.0, 3.0)],
        ],
    );
    assert_eq!(
        e.problems,
        vec![ZoneProblem::OverlappingPolygons { polygon: 1, outer: 0 }]
    );
    // Parts whose edges cross.
    let e = multi(
        "cross",
        vec![vec![square(0.0, 0.0, 2.0, 2.0)], vec![square(1.0, 1.0, 3.0, 3.0)]],
    );
    assert!(
        e.problems.iter().all(|p| matches!(
            p,
            ZoneProblem::RingsIntersect {
                polygon_a: 0,
                polygon_b: 1,
                ..
            }
        )),
        "{:?}",
        e.problems
    );
}

#[test]
fn zero_area() {
    let e = poly("flat", vec![vec![[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [0.0, 0.0]]]);
    assert_eq!(e.problems, vec![ZoneProblem::ZeroArea { polygon: 0, ring: 0 }]);
}

#[test]
fn no_polygons() {
    let e = poly("none", vec![]);
    assert_eq!(e.problems, vec![ZoneProblem::NoPolygons]);
    let e = multi("none-multi", vec![]);
    assert_eq!(e.problems, vec![ZoneProblem::NoPolygons]);
}

#[test]
fn invalid_radius() {
    for r in [
        -1.0,
        0.0,
        -0.0,
        f64::INFINITY,
        sanctuary::geometry::MAX_CIRCLE_RADIUS_M * 1.5,
    ] {
        let e = circle("r", 30.0, 50.0, r);
        assert_eq!(
            e.problems,
            vec![ZoneProblem::InvalidRadius { radius_m: r }],
            "radius {r}"
        );
    }
    let e = circle("nan", 30.0, 50.0, f64::NAN);
    assert!(
        matches!(e.problems.as_slice(), [ZoneProblem::InvalidRadius { radius_m }] if radius_m.is_nan()),
        "{:?}",
        e.problems
    );
}

#[test]
fn invalid_centre() {
    let e = circle("centre", 200.0, 50.0, 1_000.0);
    assert_eq!(
        e.problems,
        vec![ZoneProblem::InvalidCentre {
            lon: 200.0,
            lat: 50.0
        }]
    );
}

#[test]
fn circle_near_a_pole_or_the_antimeridian() {
    for (lon, lat, r) in [
        (0.0, 89.5, 1_000.0),
        (0.0, -88.5, 100_000.0),
        (179.99, 0.0, 10_000.0),
        (-179.9, 10.0, 50_000.0),
    ] {
        let e = circle("edge", lon, lat, r);
        assert_eq!(
            e.problems,
            vec![ZoneProblem::CircleTooCloseToPoleOrAntimeridian],
            "({lon}, {lat}) r {r}"
        );
    }
    // The same circles further away are fine.
    assert!(Zone::builder("ok", ZoneGeometry::circle(0.0, 85.0, 1_000.0))
        .build()
        .is_ok());
    assert!(Zone::builder("ok", ZoneGeometry::circle(179.0, 0.0, 10_000.0))
        .build()
        .is_ok());
}

#[test]
fn floor_above_ceiling() {
    let b = Zone::builder("band", ZoneGeometry::polygon(vec![square(0.0, 0.0, 1.0, 1.0)]))
        .band(Some(500.0), Some(100.0));
    let e = fails("band", b);
    assert_eq!(
        e.problems,
        vec![ZoneProblem::FloorAboveCeiling {
            floor_m: 500.0,
            ceiling_m: 100.0
        }]
    );
    // Equal limits are a valid (thin) band.
    let ok = Zone::builder("thin", ZoneGeometry::polygon(vec![square(0.0, 0.0, 1.0, 1.0)]))
        .band(Some(100.0), Some(100.0));
    assert!(ok.build().is_ok());
}

#[test]
fn non_finite_band() {
    let b = Zone::builder("band", ZoneGeometry::polygon(vec![square(0.0, 0.0, 1.0, 1.0)]))
        .band(Some(f64::NAN), None);
    let e = fails("band", b);
    assert_eq!(e.problems, vec![ZoneProblem::NonFiniteBand]);
}

#[test]
fn empty_id() {
    let e = poly("", vec![square(0.0, 0.0, 1.0, 1.0)]);
    assert_eq!(e.problems, vec![ZoneProblem::EmptyId]);
    assert!(e.to_string().contains("id is empty"), "{e}");
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let e = fails(
        "many",
        Zone::builder(
            "many",
            ZoneGeometry::polygon(vec![vec![[0.0, 0.0], [181.0, 0.0], [1.0, 95.0], [0.0, 0.0]]]),
        )
        .band(Some(10.0), Some(0.0)),
    );
    assert_eq!(
        e.problems,
        vec![
            ZoneProblem::FloorAboveCeiling {
                floor_m: 10.0,
                ceiling_m: 0.0
            },
            ZoneProblem::LongitudeOutOfRange {
                polygon: 0,
                ring: 0,
                vertex: 1,
                lon: 181.0
            },
            ZoneProblem::LatitudeOutOfRange {
                polygon: 0,
                ring: 0,
                vertex: 2,
                lat: 95.0
            },
        ]
    );
}

#[test]
fn problems_name_polygon_and_ring_of_a_multipolygon() {
    let e = multi(
        "where",
        vec![
            vec![square(0.0, 0.0, 1.0, 1.0)],
            vec![
                square(5.0, 5.0, 6.0, 6.0),
                vec![[5.2, 5.2], [5.4, 5.2], [5.2, 5.2]],
            ],
        ],
    );
    assert_eq!(
        e.problems,
        vec![ZoneProblem::TooFewPositions {
            polygon: 1,
            ring: 1,
            count: 3
        }]
    );
    assert!(e.to_string().contains("polygon 1 ring 1"), "{e}");
}
