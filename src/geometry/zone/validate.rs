//! Validation: a zone specification to a `Zone` (rings, circles, topology), every problem named.

use super::*;

impl TryFrom<ZoneSpec> for Zone {
    type Error = ZoneError;

    fn try_from(spec: ZoneSpec) -> Result<Self, Self::Error> {
        let mut problems = Vec::new();
        match crate::geometry::id::check_id(&spec.id) {
            Ok(()) => {}
            Err(crate::geometry::id::IdProblem::Empty) => problems.push(ZoneProblem::EmptyId),
            Err(problem) => problems.push(ZoneProblem::InvalidId(problem)),
        }
        if let Some(band) = &spec.band {
            let finite = band.floor_m.is_none_or(f64::is_finite) && band.ceiling_m.is_none_or(f64::is_finite);
            let physical = |v: Option<f64>| {
                v.is_none_or(|v| {
                    (crate::geometry::limits::MIN_ALTITUDE_M..=crate::geometry::limits::MAX_ALTITUDE_M)
                        .contains(&v)
                })
            };
            if !finite {
                problems.push(ZoneProblem::NonFiniteBand);
            } else if let Some(value_m) = [band.floor_m, band.ceiling_m]
                .into_iter()
                .flatten()
                .find(|&v| !physical(Some(v)))
            {
                problems.push(ZoneProblem::AltitudeOutOfRange { value_m });
            } else if let (Some(f), Some(c)) = (band.floor_m, band.ceiling_m) {
                if f > c {
                    problems.push(ZoneProblem::FloorAboveCeiling {
                        floor_m: f,
                        ceiling_m: c,
                    });
                }
            }
        }
        let shape = match &spec.geometry {
            ZoneGeometry::Polygon { rings } => {
                validate_polygons(std::slice::from_ref(rings), spec.edges, &mut problems)
            }
            ZoneGeometry::MultiPolygon { polygons } => validate_polygons(polygons, spec.edges, &mut problems),
            ZoneGeometry::Circle { center, radius_m } => validate_circle(*center, *radius_m, &mut problems),
        };
        match shape {
            Some((shape, bounds)) if problems.is_empty() => Ok(Zone {
                id: spec.id,
                name: spec.name,
                kind: spec.kind,
                edges: spec.edges,
                band: spec.band,
                shape,
                bounds,
            }),
            _ => Err(ZoneError {
                zone: spec.id,
                problems,
            }),
        }
    }
}

pub(super) fn validate_circle(
    center: [f64; 2],
    radius_m: f64,
    problems: &mut Vec<ZoneProblem>,
) -> Option<(Shape, [f64; 4])> {
    let [lon, lat] = center;
    let centre_ok = checked_point(lon, lat).is_ok();
    if !centre_ok {
        problems.push(ZoneProblem::InvalidCentre { lon, lat });
    }
    let radius_ok =
        radius_m.is_finite() && radius_m > 0.0 && radius_m <= crate::geometry::limits::MAX_CIRCLE_RADIUS_M;
    if !radius_ok {
        problems.push(ZoneProblem::InvalidRadius { radius_m });
    }
    if !centre_ok || !radius_ok {
        return None;
    }
    let bounds = circle_bounds(lon, lat, radius_m);
    let Some(bounds) = bounds else {
        problems.push(ZoneProblem::CircleTooCloseToPoleOrAntimeridian);
        return None;
    };
    Some((
        Shape::Circle {
            center: Coord { x: lon, y: lat },
            radius_m,
        },
        bounds,
    ))
}

/// A conservative bounding box of a geodesic circle, or `None` when it would reach within
/// 1° of a pole or cross the antimeridian.
///
/// The latitude extent uses the shortest degree of latitude; the longitude extent uses the
/// shortest degree of longitude at the circle's most poleward latitude (a geodesic disc of
/// this size is convex, so every path to its points stays within that latitude). A 1 %
/// margin covers rounding.
pub(crate) fn circle_bounds(lon: f64, lat: f64, radius_m: f64) -> Option<[f64; 4]> {
    let dlat = radius_m / geodesy::MIN_METRES_PER_DEGREE_LAT * 1.01;
    let lat_hi = lat.abs() + dlat;
    if lat_hi >= 89.0 {
        return None;
    }
    let per_deg_lon = std::f64::consts::PI * geodesy::WGS84_A / 180.0 * lat_hi.to_radians().cos();
    let dlon = radius_m / per_deg_lon * 1.01;
    if lon - dlon < -180.0 || lon + dlon > 180.0 {
        return None;
    }
    Some([lon - dlon, lat - dlat, lon + dlon, lat + dlat])
}

pub(super) type Ring = Vec<Coord<f64>>;

pub(super) fn validate_polygons(
    input: &[Vec<Vec<[f64; 2]>>],
    model: EdgeModel,
    problems: &mut Vec<ZoneProblem>,
) -> Option<(Shape, [f64; 4])> {
    if input.is_empty() || input.iter().all(|p| p.is_empty()) {
        problems.push(ZoneProblem::NoPolygons);
        return None;
    }
    let before = problems.len();
    let mut polys: Vec<Vec<Ring>> = Vec::with_capacity(input.len());
    for (pi, poly) in input.iter().enumerate() {
        if poly.is_empty() {
            problems.push(ZoneProblem::NoPolygons);
            continue;
        }
        let mut rings = Vec::with_capacity(poly.len());
        for (ri, raw) in poly.iter().enumerate() {
            if let Some(ring) = validate_ring(raw, pi, ri, problems) {
                rings.push(ring);
            }
        }
        polys.push(rings);
    }
    if problems.len() > before {
        return None;
    }
    check_topology(&polys, model, problems);
    if problems.len() > before {
        return None;
    }
    // Normalise orientation: shells counter-clockwise, holes clockwise.
    for (pi, poly) in polys.iter_mut().enumerate() {
        for (ri, ring) in poly.iter_mut().enumerate() {
            let twice_area = ring_twice_area(ring);
            if twice_area == 0.0 {
                // A simple ring whose area rounds to zero (e.g. tiny coordinates).
                problems.push(ZoneProblem::ZeroArea {
                    polygon: pi,
                    ring: ri,
                });
            }
            let ccw = twice_area > 0.0;
            if ccw != (ri == 0) {
                ring.reverse();
            }
        }
    }
    if problems.len() > before {
        return None;
    }
    let bounds = polygon_bounds(&polys, model);
    Some((Shape::Polygons(polys), bounds))
}

/// Are all the ring's vertices on one straight line (exactly)?
pub(super) fn all_collinear(ring: &[Coord<f64>]) -> bool {
    let Some(&a) = ring.first() else { return true };
    let Some(&b) = ring.iter().find(|&&c| c != a) else {
        return true;
    };
    ring.iter().all(|&p| orient(a, b, p) == 0.0)
}

pub(super) fn validate_ring(
    raw: &[[f64; 2]],
    pi: usize,
    ri: usize,
    problems: &mut Vec<ZoneProblem>,
) -> Option<Ring> {
    let before = problems.len();
    for (vi, &[lon, lat]) in raw.iter().enumerate() {
        let place = (pi, ri, vi);
        if !lon.is_finite() || !lat.is_finite() {
            problems.push(ZoneProblem::NonFiniteCoordinate {
                polygon: place.0,
                ring: place.1,
                vertex: place.2,
            });
            continue;
        }
        if !(-180.0..=180.0).contains(&lon) {
            problems.push(ZoneProblem::LongitudeOutOfRange {
                polygon: pi,
                ring: ri,
                vertex: vi,
                lon,
            });
        }
        if !(-90.0..=90.0).contains(&lat) {
            problems.push(ZoneProblem::LatitudeOutOfRange {
                polygon: pi,
                ring: ri,
                vertex: vi,
                lat,
            });
        } else if lat.abs() == 90.0 {
            problems.push(ZoneProblem::TouchesPole {
                polygon: pi,
                ring: ri,
                vertex: vi,
            });
        }
    }
    if problems.len() > before {
        return None;
    }
    if raw.first() != raw.last() || raw.is_empty() {
        problems.push(ZoneProblem::RingNotClosed {
            polygon: pi,
            ring: ri,
        });
        return None;
    }
    let mut ring: Ring = Vec::with_capacity(raw.len());
    for &[x, y] in raw {
        let c = Coord { x, y };
        if ring.last() != Some(&c) {
            ring.push(c);
        }
    }
    if ring.len() < 4 {
        problems.push(ZoneProblem::TooFewPositions {
            polygon: pi,
            ring: ri,
            count: ring.len(),
        });
        return None;
    }
    for (ei, w) in ring.windows(2).enumerate() {
        if let [a, b] = w {
            if (a.x - b.x).abs() >= 180.0 {
                problems.push(ZoneProblem::CrossesAntimeridian {
                    polygon: pi,
                    ring: ri,
                    edge: ei,
                });
                return None;
            }
        }
    }
    // Zero signed area means either no area at all (every vertex on one line) or lobes of
    // opposite orientation and equal area, as in a symmetric bow-tie. The latter used to be
    // reported as `ZeroArea`, hiding the real problem: leave it to the topology check, which
    // names the crossing edges (tests/api/validation.rs, bow_tie_self_intersection).
    if ring_twice_area(&ring) == 0.0 && all_collinear(&ring) {
        problems.push(ZoneProblem::ZeroArea {
            polygon: pi,
            ring: ri,
        });
        return None;
    }
    Some(ring)
}

/// An edge for the topology check: (polygon, ring, edge index within the ring).
pub(super) type EdgeTag = (usize, usize, usize);

pub(super) fn check_topology(polys: &[Vec<Ring>], model: EdgeModel, problems: &mut Vec<ZoneProblem>) {
    let mut items = Vec::new();
    for (pi, poly) in polys.iter().enumerate() {
        for (ri, ring) in poly.iter().enumerate() {
            for (ei, w) in ring.windows(2).enumerate() {
                if let [a, b] = w {
                    items.push(GeomWithData::new(
                        Rectangle::from_corners([a.x, a.y], [b.x, b.y]),
                        (pi, ri, ei),
                    ));
                }
            }
        }
    }
    let tree: RTree<GeomWithData<Rectangle<[f64; 2]>, EdgeTag>> = RTree::bulk_load(items);
    let edge = |(pi, ri, ei): EdgeTag| -> Option<(Coord<f64>, Coord<f64>, usize)> {
        let ring = polys.get(pi)?.get(ri)?;
        Some((*ring.get(ei)?, *ring.get(ei + 1)?, ring.len() - 1))
    };
    let mut reported_pairs: Vec<(EdgeTag, EdgeTag)> = Vec::new();
    for item in tree.iter() {
        let tag = item.data;
        let Some((a, b, n_edges)) = edge(tag) else {
            continue;
        };
        let env: AABB<[f64; 2]> = item.envelope();
        for other in tree.locate_in_envelope_intersecting(&env) {
            let otag = other.data;
            if otag <= tag {
                continue;
            }
            let Some((c, d, _)) = edge(otag) else { continue };
            let contact = segment_contact(a, b, c, d);
            if contact == SegmentContact::None {
                continue;
            }
            let same_ring = tag.0 == otag.0 && tag.1 == otag.1;
            if same_ring {
                let (i, j) = (tag.2, otag.2);
                let adjacent = j == i + 1 || (i == 0 && j == n_edges - 1);
                if adjacent && contact == SegmentContact::SharedEndpoint {
                    continue;
                }
                problems.push(ZoneProblem::SelfIntersection {
                    polygon: tag.0,
                    ring: tag.1,
                    edge_a: i,
                    edge_b: j,
                });
            } else {
                let key = ((tag.0, tag.1, 0), (otag.0, otag.1, 0));
                if reported_pairs.contains(&key) {
                    continue;
                }
                reported_pairs.push(key);
                problems.push(ZoneProblem::RingsIntersect {
                    polygon_a: tag.0,
                    ring_a: tag.1,
                    polygon_b: otag.0,
                    ring_b: otag.1,
                });
            }
            if problems.len() > 64 {
                return;
            }
        }
    }
    if !problems.is_empty() {
        return;
    }
    // With no contacts between rings, one vertex decides how rings nest.
    for (pi, poly) in polys.iter().enumerate() {
        let Some(shell) = poly.first() else { continue };
        for (ri, hole) in poly.iter().enumerate().skip(1) {
            let Some(&v) = hole.first() else { continue };
            if ring_position(shell, v, model) != Position::Inside {
                problems.push(ZoneProblem::HoleOutsideShell {
                    polygon: pi,
                    ring: ri,
                });
            }
            for (oi, other) in poly.iter().enumerate().skip(1) {
                if oi != ri && ring_position(other, v, model) == Position::Inside {
                    problems.push(ZoneProblem::NestedHoles {
                        polygon: pi,
                        ring: ri,
                        outer: oi,
                    });
                }
            }
        }
        for (oi, other) in polys.iter().enumerate() {
            if oi == pi {
                continue;
            }
            let Some(&v) = shell.first() else { continue };
            if polygon_position(other, v, model) == Position::Inside {
                problems.push(ZoneProblem::OverlappingPolygons {
                    polygon: pi,
                    outer: oi,
                });
            }
        }
    }
}

pub(super) fn polygon_bounds(polys: &[Vec<Ring>], model: EdgeModel) -> [f64; 4] {
    let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for ring in polys.iter().flat_map(|p| p.iter()) {
        for w in ring.windows(2) {
            if let [a, c] = w {
                let e = edge_bounds(*a, *c, model);
                b[0] = b[0].min(e[0]);
                b[1] = b[1].min(e[1]);
                b[2] = b[2].max(e[2]);
                b[3] = b[3].max(e[3]);
            }
        }
    }
    b
}
