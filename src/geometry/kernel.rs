//! Numerics in one place: exact planar predicates and the spherical tests for
//! great-circle edges. Nothing else in the crate compares coordinates ad hoc.
//!
//! Planar (plate carrée) answers are exact for `f64` input: orientation comes from
//! Shewchuk's adaptive predicates (the `robust` crate), so a point that lies exactly on an
//! edge or vertex is always reported on the boundary.
//!
//! Great-circle edges are tested on the unit sphere. Their sign test cannot be exact
//! (the unit vectors come from `sin`/`cos`), so a point within [`GREAT_CIRCLE_BOUNDARY_RAD`]
//! of a great-circle edge is reported *on the boundary*: the conservative side, because the
//! rule engine never treats the boundary as inside.

use geo_types::Coord;
use robust::{orient2d, Coord as RCoord};
use serde::{Deserialize, Serialize};

/// Where a point lies relative to a zone: the tri-state answer of every containment query.
///
/// The rule engine treats [`Position::OnBoundary`] as *not inside* a sanctuary (and as
/// touching an exclusion), so the boundary is always the conservative answer.
///
/// # Example
/// ```
/// use sanctuary::{Zone, geometry::{Position, ZoneGeometry}};
/// let square = Zone::builder("sq", ZoneGeometry::polygon(vec![vec![
///     [0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0],
/// ]])).build().unwrap();
/// assert_eq!(square.position(0.5, 0.5).unwrap(), Position::Inside);
/// assert_eq!(square.position(1.0, 0.25).unwrap(), Position::OnBoundary);
/// assert_eq!(square.position(0.0, 0.0).unwrap(), Position::OnBoundary);
/// assert_eq!(square.position(1.5, 0.5).unwrap(), Position::Outside);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// Strictly inside the zone's interior.
    Inside,
    /// Exactly on an edge or vertex (or, for great-circle edges and circles, within the
    /// documented tolerance of it).
    OnBoundary,
    /// Strictly outside the zone (this includes points inside a hole).
    Outside,
}

/// Points within this angle (radians on the unit sphere, about 6 µm on the Earth) of a
/// great-circle edge are reported on the boundary.
///
/// # Example
/// ```
/// use sanctuary::{Zone, geometry::{EdgeModel, GREAT_CIRCLE_BOUNDARY_RAD, Position, ZoneGeometry}};
/// assert_eq!(GREAT_CIRCLE_BOUNDARY_RAD, 1e-12);
/// let ring = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
/// let z = Zone::builder("sq", ZoneGeometry::polygon(vec![ring])).edges(EdgeModel::GreatCircle).build()?;
/// // The equator is a great circle: a point on it is on the boundary.
/// assert_eq!(z.position(0.5, 0.0)?, Position::OnBoundary);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const GREAT_CIRCLE_BOUNDARY_RAD: f64 = 1e-12;

#[inline]
fn rc(c: Coord<f64>) -> RCoord<f64> {
    RCoord { x: c.x, y: c.y }
}

/// How a zone's edges run between consecutive vertices.
///
/// At 50°N a 10°-long edge between two points on the same parallel lies on that parallel
/// as [`EdgeModel::PlateCarree`], but bulges about 0.11° (≈ 12 km) north as
/// [`EdgeModel::GreatCircle`] at its middle: the two are different zones.
///
/// # Example
/// ```
/// use sanctuary::geometry::EdgeModel;
/// assert_eq!(EdgeModel::default(), EdgeModel::PlateCarree);
/// let m: EdgeModel = serde_json::from_str(r#""great_circle""#)?;
/// assert_eq!(m, EdgeModel::GreatCircle);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EdgeModel {
    /// Straight lines in longitude/latitude, as GeoJSON (RFC 7946) specifies. Parallels and
    /// meridians are exact, and containment is exact for `f64` input. The default.
    #[default]
    PlateCarree,
    /// Great-circle arcs on the sphere through the vertices' geodetic coordinates, as in
    /// ED-318 and PostGIS geography data. A point within
    /// [`GREAT_CIRCLE_BOUNDARY_RAD`](crate::geometry::GREAT_CIRCLE_BOUNDARY_RAD) (≈ 6 µm) of an edge is
    /// reported on the boundary, the conservative side. Validation of ring topology
    /// (self-intersection, holes inside shells) is done on the lon/lat segments.
    GreatCircle,
}

/// Bounding box of one edge, including the poleward bulge of a great-circle arc.
pub(crate) fn edge_bounds(a: Coord<f64>, b: Coord<f64>, model: EdgeModel) -> [f64; 4] {
    let mut out = [a.x.min(b.x), a.y.min(b.y), a.x.max(b.x), a.y.max(b.y)];
    if model == EdgeModel::GreatCircle && a.x != b.x {
        let av = unit_vector(a);
        let bv = unit_vector(b);
        let n = cross(av, bv);
        // The great circle's northernmost point: the pole's projection onto its plane.
        let v = [-n[0] * n[2], -n[1] * n[2], n[0] * n[0] + n[1] * n[1]];
        for top in [v, [-v[0], -v[1], -v[2]]] {
            let within = dot(cross(av, top), n) >= 0.0 && dot(cross(top, bv), n) >= 0.0;
            if within {
                let lat = top[2].atan2(top[0].hypot(top[1])).to_degrees();
                out[1] = out[1].min(lat);
                out[3] = out[3].max(lat);
            }
        }
        // Rounding margin (≈ 0.1 mm).
        out[1] -= 1e-9;
        out[3] += 1e-9;
    }
    out
}

/// Exact orientation: positive when `p` is left of `a → b`, negative when right, zero when
/// collinear.
#[inline]
pub(crate) fn orient(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>) -> f64 {
    orient2d(rc(a), rc(b), rc(p))
}

/// Exact test: does `p` lie on the closed segment `a`–`b`?
#[inline]
pub(crate) fn on_segment(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>) -> bool {
    p.x >= a.x.min(b.x)
        && p.x <= a.x.max(b.x)
        && p.y >= a.y.min(b.y)
        && p.y <= a.y.max(b.y)
        && orient(a, b, p) == 0.0
}

/// Tri-state position of `p` against one closed ring whose edges are straight in lon/lat.
///
/// The crossing rule is half-open in latitude, so a ray never counts a vertex twice; the
/// boundary checks come first and are exact.
pub(crate) fn ring_position_planar(ring: &[Coord<f64>], p: Coord<f64>) -> Position {
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = match w {
            [a, b] => (*a, *b),
            _ => continue,
        };
        if a == p {
            return Position::OnBoundary;
        }
        if a.y == b.y {
            if p.y == a.y && p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) {
                return Position::OnBoundary;
            }
            continue;
        }
        let straddles = (a.y <= p.y && p.y < b.y) || (b.y <= p.y && p.y < a.y);
        if !straddles {
            continue;
        }
        let o = orient(a, b, p);
        if o == 0.0 {
            return Position::OnBoundary;
        }
        if (o > 0.0) == (b.y > a.y) {
            inside = !inside;
        }
    }
    if inside {
        Position::Inside
    } else {
        Position::Outside
    }
}

/// A point on the unit sphere, from geodetic longitude/latitude in degrees.
#[inline]
pub(crate) fn unit_vector(c: Coord<f64>) -> [f64; 3] {
    let (slat, clat) = c.y.to_radians().sin_cos();
    let (slon, clon) = c.x.to_radians().sin_cos();
    [clat * clon, clat * slon, slat]
}

#[inline]
pub(crate) fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

#[inline]
pub(crate) fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

#[inline]
pub(crate) fn norm(a: [f64; 3]) -> f64 {
    dot(a, a).sqrt()
}

/// Tri-state position of `p` against one closed ring whose edges are great-circle arcs.
///
/// A ray runs from `p` north along its meridian to the pole (validation guarantees that no
/// zone contains a pole and that every edge spans less than 180° of longitude, so the pole
/// is outside and each arc meets the meridian at most once). Crossings are counted half-open
/// in longitude. Meridian edges, which are great circles, are tested exactly in lon/lat.
pub(crate) fn ring_position_great_circle(ring: &[Coord<f64>], p: Coord<f64>) -> Position {
    let pv = unit_vector(p);
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = match w {
            [a, b] => (*a, *b),
            _ => continue,
        };
        if a == p {
            return Position::OnBoundary;
        }
        if a.x == b.x {
            if p.x == a.x && p.y >= a.y.min(b.y) && p.y <= a.y.max(b.y) {
                return Position::OnBoundary;
            }
            continue;
        }
        let straddles = (a.x <= p.x && p.x < b.x) || (b.x <= p.x && p.x < a.x);
        if !straddles {
            continue;
        }
        let n = cross(unit_vector(a), unit_vector(b));
        let n_len = norm(n);
        let side = dot(n, pv) / n_len;
        if side.abs() <= GREAT_CIRCLE_BOUNDARY_RAD {
            return Position::OnBoundary;
        }
        let eastward = b.x > a.x;
        // Eastward arcs have their normal on the northern side: p south of the arc means
        // the northward ray crosses it.
        if (side < 0.0) == eastward {
            inside = !inside;
        }
    }
    if inside {
        Position::Inside
    } else {
        Position::Outside
    }
}

/// Does `p` lie on the great-circle edge `a`–`b`, by the same test (and tolerance) that
/// [`ring_position_great_circle`] uses to report a point on the boundary?
pub(crate) fn on_great_circle_edge(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>) -> bool {
    if p == a || p == b {
        return true;
    }
    if a.x == b.x {
        return p.x == a.x && p.y >= a.y.min(b.y) && p.y <= a.y.max(b.y);
    }
    if p.x < a.x.min(b.x) || p.x > a.x.max(b.x) {
        return false;
    }
    let n = cross(unit_vector(a), unit_vector(b));
    (dot(n, unit_vector(p)) / norm(n)).abs() <= GREAT_CIRCLE_BOUNDARY_RAD
}

/// Twice the signed planar area of a closed ring (positive when counter-clockwise).
pub(crate) fn ring_twice_area(ring: &[Coord<f64>]) -> f64 {
    let mut sum = 0.0;
    for w in ring.windows(2) {
        if let [a, b] = w {
            sum += (a.x - b.x) * (a.y + b.y);
        }
    }
    sum
}

/// How two closed segments meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SegmentContact {
    /// No common point.
    None,
    /// Exactly one common point, which is an endpoint of both segments.
    SharedEndpoint,
    /// Any other contact: a crossing, a touch in an interior, or a collinear overlap.
    Other,
}

/// Exact classification of how segments `a`–`b` and `c`–`d` meet.
pub(crate) fn segment_contact(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>, d: Coord<f64>) -> SegmentContact {
    let o1 = orient(a, b, c);
    let o2 = orient(a, b, d);
    let o3 = orient(c, d, a);
    let o4 = orient(c, d, b);
    if o1 == 0.0 && o2 == 0.0 {
        // Collinear: overlap in more than a point is "other"; a single shared endpoint is
        // an endpoint contact.
        let (lo1, hi1) = sorted_along(a, b);
        let (lo2, hi2) = sorted_along(c, d);
        let lo = if less(lo1, lo2) { lo2 } else { lo1 };
        let hi = if less(hi1, hi2) { hi1 } else { hi2 };
        if less(hi, lo) {
            return SegmentContact::None;
        }
        if lo == hi {
            let is_end_ab = lo == a || lo == b;
            let is_end_cd = lo == c || lo == d;
            return if is_end_ab && is_end_cd {
                SegmentContact::SharedEndpoint
            } else {
                SegmentContact::Other
            };
        }
        return SegmentContact::Other;
    }
    let touches = (o1 == 0.0 && on_segment(a, b, c))
        || (o2 == 0.0 && on_segment(a, b, d))
        || (o3 == 0.0 && on_segment(c, d, a))
        || (o4 == 0.0 && on_segment(c, d, b));
    let proper = (o1 > 0.0) != (o2 > 0.0)
        && (o3 > 0.0) != (o4 > 0.0)
        && o1 != 0.0
        && o2 != 0.0
        && o3 != 0.0
        && o4 != 0.0;
    if proper {
        return SegmentContact::Other;
    }
    if touches {
        let shared = (a == c || a == d || b == c || b == d)
            && !(o1 == 0.0 && c != a && c != b && on_segment(a, b, c))
            && !(o2 == 0.0 && d != a && d != b && on_segment(a, b, d))
            && !(o3 == 0.0 && a != c && a != d && on_segment(c, d, a))
            && !(o4 == 0.0 && b != c && b != d && on_segment(c, d, b));
        return if shared {
            SegmentContact::SharedEndpoint
        } else {
            SegmentContact::Other
        };
    }
    SegmentContact::None
}

/// Where the closed segment `c`–`d` meets the segment `a`–`b` (`a ≠ b`), as parameters
/// `t` along `a → b` (`a + t (b − a)`). Whether and how they meet is decided exactly with
/// [`orient`]; only the parameters are rounded. `c`–`d` is taken in a fixed order of its
/// ends, so an edge and its twin (the same edge walked the other way) give the same
/// parameters to the last bit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Meet {
    /// No common point.
    None,
    /// One or two isolated common points (`n` of `ts` are used).
    Points { ts: [f64; 2], n: usize },
    /// `c`–`d` lies on the line of `a`–`b`: the parameters of `c` and `d` (which may lie
    /// outside `[0, 1]`; the caller clips them).
    Collinear { tc: f64, td: f64 },
}

/// See [`Meet`].
pub(crate) fn meet_along(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>, d: Coord<f64>) -> Meet {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let along = |p: Coord<f64>| ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2;
    let o_c = orient(a, b, c);
    let o_d = orient(a, b, d);
    if o_c == 0.0 && o_d == 0.0 {
        return Meet::Collinear {
            tc: along(c),
            td: along(d),
        };
    }
    // Canonical order of the other segment's ends (see the type's docs).
    let (c, d, o_c, o_d) = if less(d, c) {
        (d, c, o_d, o_c)
    } else {
        (c, d, o_c, o_d)
    };
    let mut ts = [0.0; 2];
    let mut n = 0;
    let mut push = |t: f64| {
        if let Some(slot) = ts.get_mut(n) {
            *slot = t.clamp(0.0, 1.0);
            n += 1;
        }
    };
    if o_c == 0.0 && on_segment(a, b, c) {
        push(along(c));
    }
    if o_d == 0.0 && on_segment(a, b, d) {
        push(along(d));
    }
    if (o_c > 0.0 && o_d < 0.0) || (o_c < 0.0 && o_d > 0.0) {
        let o_a = orient(c, d, a);
        let o_b = orient(c, d, b);
        if o_a == 0.0 {
            push(0.0);
        } else if o_b == 0.0 {
            push(1.0);
        } else if (o_a > 0.0) != (o_b > 0.0) {
            push(o_a / (o_a - o_b));
        }
    }
    if n == 0 {
        Meet::None
    } else {
        Meet::Points { ts, n }
    }
}

/// Does `p` lie on the great circle with unit normal `normal` (within
/// [`GREAT_CIRCLE_BOUNDARY_RAD`], the great-circle kernel's boundary tolerance)?
#[inline]
pub(crate) fn on_great_circle(normal: [f64; 3], p: Coord<f64>) -> bool {
    dot(normal, unit_vector(p)).abs() <= GREAT_CIRCLE_BOUNDARY_RAD
}

#[inline]
fn less(p: Coord<f64>, q: Coord<f64>) -> bool {
    (p.x, p.y) < (q.x, q.y)
}

#[inline]
fn sorted_along(a: Coord<f64>, b: Coord<f64>) -> (Coord<f64>, Coord<f64>) {
    if less(b, a) {
        (b, a)
    } else {
        (a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    #[test]
    fn meet_along_finds_crossings_touches_and_overlaps() {
        let (a, b) = (c(0.0, 0.0), c(4.0, 0.0));
        let one = |t: f64| Meet::Points { ts: [t, 0.0], n: 1 };
        assert_eq!(meet_along(a, b, c(1.0, -1.0), c(1.0, 1.0)), one(0.25));
        assert_eq!(meet_along(a, b, c(2.0, 0.0), c(2.0, 1.0)), one(0.5));
        assert_eq!(meet_along(a, b, c(4.0, -1.0), c(4.0, 1.0)), one(1.0));
        assert_eq!(meet_along(a, b, c(5.0, -1.0), c(5.0, 1.0)), Meet::None);
        assert_eq!(meet_along(a, b, c(0.0, 1.0), c(4.0, 1.0)), Meet::None);
        assert_eq!(
            meet_along(a, b, c(3.0, 0.0), c(1.0, 0.0)),
            Meet::Collinear { tc: 0.75, td: 0.25 }
        );
        // An edge and its twin give the same parameter, bit for bit.
        let (p, q) = (c(0.1, -0.7), c(3.3, 0.9));
        assert_eq!(meet_along(a, b, p, q), meet_along(a, b, q, p));
    }

    fn square() -> Vec<Coord<f64>> {
        vec![c(0., 0.), c(2., 0.), c(2., 2.), c(0., 2.), c(0., 0.)]
    }

    #[test]
    fn planar_ring_tri_state() {
        let r = square();
        assert_eq!(ring_position_planar(&r, c(1., 1.)), Position::Inside);
        assert_eq!(ring_position_planar(&r, c(2., 1.)), Position::OnBoundary);
        assert_eq!(ring_position_planar(&r, c(1., 2.)), Position::OnBoundary);
        assert_eq!(ring_position_planar(&r, c(2., 2.)), Position::OnBoundary);
        assert_eq!(ring_position_planar(&r, c(3., 1.)), Position::Outside);
        assert_eq!(ring_position_planar(&r, c(-1., 0.)), Position::Outside);
        assert_eq!(ring_position_planar(&r, c(1., -1e-300)), Position::Outside);
    }

    #[test]
    fn planar_diagonal_edge_is_exact() {
        // 0.1 and 0.3 are not representable, but the point is still exactly collinear
        // with the f64 endpoints when it is their f64 midpoint on an axis-scaled edge.
        let r = vec![c(0., 0.), c(4., 4.), c(0., 4.), c(0., 0.)];
        assert_eq!(ring_position_planar(&r, c(0.5, 0.5)), Position::OnBoundary);
        assert_eq!(ring_position_planar(&r, c(0.5, 0.5 + 1e-15)), Position::Inside);
        assert_eq!(ring_position_planar(&r, c(0.5, 0.5 - 1e-15)), Position::Outside);
    }

    #[test]
    fn great_circle_parallel_edge_bulges_north() {
        // A ring whose northern edge runs from (30, 50) to (20, 50): as a great circle it
        // bulges about 0.5° north at 25°E.
        let r = vec![c(20., 40.), c(30., 40.), c(30., 50.), c(20., 50.), c(20., 40.)];
        assert_eq!(ring_position_planar(&r, c(25., 50.1)), Position::Outside);
        assert_eq!(ring_position_great_circle(&r, c(25., 50.1)), Position::Inside);
        assert_eq!(ring_position_great_circle(&r, c(25., 51.0)), Position::Outside);
        assert_eq!(ring_position_great_circle(&r, c(30., 45.)), Position::OnBoundary);
        assert_eq!(ring_position_great_circle(&r, c(20., 50.)), Position::OnBoundary);
    }

    #[test]
    fn contacts() {
        assert_eq!(
            segment_contact(c(0., 0.), c(1., 1.), c(0., 1.), c(1., 0.)),
            SegmentContact::Other
        );
        assert_eq!(
            segment_contact(c(0., 0.), c(1., 1.), c(1., 1.), c(2., 0.)),
            SegmentContact::SharedEndpoint
        );
        assert_eq!(
            segment_contact(c(0., 0.), c(2., 0.), c(1., 0.), c(1., 1.)),
            SegmentContact::Other
        );
        assert_eq!(
            segment_contact(c(0., 0.), c(2., 0.), c(1., 0.), c(3., 0.)),
            SegmentContact::Other
        );
        assert_eq!(
            segment_contact(c(0., 0.), c(1., 0.), c(1., 0.), c(3., 0.)),
            SegmentContact::SharedEndpoint
        );
        assert_eq!(
            segment_contact(c(0., 0.), c(1., 0.), c(2., 0.), c(3., 0.)),
            SegmentContact::None
        );
        assert_eq!(
            segment_contact(c(0., 0.), c(1., 0.), c(0., 1.), c(1., 1.)),
            SegmentContact::None
        );
    }
}
