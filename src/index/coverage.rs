//! Which parts of a boundary piece lie inside other zones: the exact edge of a union of
//! zones.
//!
//! Let U be the union of some member zones. Every point of U's boundary lies on some
//! member's boundary, and a point q of a member's boundary is on U's boundary unless
//!
//! * q is strictly inside another member, or
//! * q lies on an edge of another member that runs along the same line the other way (a
//!   border shared in whole or in part: the two zones lie on either side of it), or
//! * q is a junction: the members around q cover all of its neighbourhood although none
//!   holds it strictly (where two such borders meet).
//!
//! Each piece is parameterised by `t` in `[0, 1]` (a plate-carrée edge linearly in lon/lat,
//! a great-circle edge by angle along its arc, a circle by azimuth / 360°) and gets a
//! [`Cover`]: for every other zone, the spans of `t` it covers in one of the first two ways.
//! The cover depends only on the zones, so the index works it out once per piece, on first
//! use. At query time the spans of the member zones are merged; what is left (the *gaps*) is
//! the piece's part of U's boundary, and the piece's distance is the distance to its nearest
//! gap. Gaps shorter than [`AREA_EDGE_TOLERANCE_M`] are junctions and are dropped.
//!
//! How a piece is split where other zones' boundaries meet it:
//!
//! * plate-carrée edge against plate-carrée edge: exactly ([`kernel::meet_along`], with
//!   collinear overlaps and their direction), and so also a meridian or the equator against
//!   a great-circle edge on the same line;
//! * anything curved: a bisection on a distance-like function `g ≥ 0` that is zero where
//!   the piece meets the other boundary and changes by at most 1 m per metre along the
//!   piece, so a stretch of length `L` with `g(t0) + g(t1) > L` holds no contact: none is
//!   missed. Contacts are located to [`CONTACT_TOLERANCE_M`].
//!
//! Each stretch between splits is classified by the exact point location of its middle
//! point (zones running along it there are classified by direction instead). Any failure
//! (a non-finite value, a search that does not settle, as for a great-circle edge running
//! along a curved boundary) leaves the piece covered only by its exact twins: a smaller
//! margin, never a larger one.

use crate::geometry::bounds::{Factors, QueryPoint};
use crate::geometry::geodesy;
use crate::geometry::kernel::EdgeModel;
use crate::geometry::kernel::{self, Meet};
use geo_types::Coord;

/// The tolerance (metres) of the sanctuary area's edge: gaps between covered spans of a
/// boundary piece shorter than this are junctions, interior to the area. A margin measured
/// to a piece that other allowing zones partly cover is reduced by this much, so that it
/// never exceeds the true distance to the area's edge.
pub const AREA_EDGE_TOLERANCE_M: f64 = 0.01;

/// How precisely (metres) contacts with curved boundaries are located.
pub(crate) const CONTACT_TOLERANCE_M: f64 = 0.001;
/// Most bisection steps for one pair of pieces before the search gives up.
const MAX_ROOT_STEPS: usize = 20_000;
/// Most split points on one piece before the cover gives up.
const MAX_SPLITS: usize = 10_000;
/// Largest radius of curvature of WGS84 (at the poles), m.
const MAX_RADIUS_M: f64 = 6_399_594.0;
/// Smallest radius of curvature of WGS84 (the meridian at the equator), m.
const MIN_RADIUS_M: f64 = 6_335_439.0;
/// Slack (m) in the no-contact test, for rounding in `g`.
const ROOT_SLACK_M: f64 = 1e-6;

/// One zone's covered span `[lo, hi]` of a piece.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Span {
    pub(crate) zone: u32,
    pub(crate) lo: f64,
    pub(crate) hi: f64,
}

/// The spans of a piece that other zones cover, sorted by `lo`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cover {
    spans: Box<[Span]>,
    /// [`AREA_EDGE_TOLERANCE_M`] in units of `t` (at most that long on the ground).
    gap_t: f64,
    /// A circle: `t = 1` is `t = 0`.
    periodic: bool,
}

/// How much of a piece is on the edge of a union.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// No member covers any of it.
    Whole,
    /// Members cover all of it: interior to the union.
    Covered,
    /// Some of it.
    Part,
}

impl Cover {
    /// Bytes on the heap.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.spans.len() * std::mem::size_of::<Span>()
    }

    /// Is there no span at all (the common case, checked first)?
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Calls `f(t0, t1)` for every gap left by the member spans, in order (for a circle the
    /// last gap may run past 1, meaning through `t = 0`).
    fn for_each_gap(&self, member: &impl Fn(u32) -> bool, mut f: impl FnMut(f64, f64)) {
        let gap = self.gap_t;
        let mut first: Option<f64> = None;
        let mut reach = 0.0;
        for s in self.spans.iter().filter(|s| member(s.zone)) {
            match first {
                None => {
                    first = Some(s.lo);
                    if !self.periodic && s.lo > gap {
                        f(0.0, s.lo);
                    }
                    reach = s.hi;
                }
                Some(_) => {
                    if s.lo - reach > gap {
                        f(reach, s.lo);
                    }
                    if s.hi > reach {
                        reach = s.hi;
                    }
                }
            }
        }
        match first {
            None => f(0.0, 1.0),
            Some(lo) if self.periodic => {
                if (1.0 - reach) + lo > gap {
                    f(reach, 1.0 + lo);
                }
            }
            Some(_) => {
                if 1.0 - reach > gap {
                    f(reach, 1.0);
                }
            }
        }
    }

    /// How much of the piece is on the edge of the union of the zones for which `member`
    /// is true.
    #[inline]
    pub(crate) fn status(&self, member: &impl Fn(u32) -> bool) -> Status {
        if !self.spans.iter().any(|s| member(s.zone)) {
            return Status::Whole;
        }
        let mut any = false;
        self.for_each_gap(member, |_, _| any = true);
        if any {
            Status::Part
        } else {
            Status::Covered
        }
    }

    /// Distance (m) from `q` to the nearest gap, or a value above `limit_m` when every gap
    /// is farther than that. Never less than the distance to the whole piece.
    pub(crate) fn gap_distance_m(
        &self,
        shape: &PieceShape,
        q: &QueryPoint,
        factors: &Factors,
        member: &impl Fn(u32) -> bool,
        limit_m: f64,
    ) -> f64 {
        let p = q.p;
        let mut best = f64::INFINITY;
        match *shape {
            PieceShape::Segment { .. } | PieceShape::Arc { .. } => {
                let model = if matches!(shape, PieceShape::Segment { .. }) {
                    EdgeModel::PlateCarree
                } else {
                    EdgeModel::GreatCircle
                };
                self.for_each_gap(member, |t0, t1| {
                    let (a, b) = (shape.point_at(t0), shape.point_at(t1));
                    let lb = match model {
                        EdgeModel::PlateCarree => q.segment_lower_bound_m(a, b, factors),
                        EdgeModel::GreatCircle => q.edge_lower_bound_m(a, b, model),
                    };
                    if lb > best.min(limit_m) {
                        return;
                    }
                    let d = geodesy::distance_to_edge(p, a, b, model);
                    if d.is_nan() || d < best {
                        best = d;
                    }
                });
            }
            PieceShape::Circle { center, radius_m } => {
                // The nearest point of the whole circle is on the geodesic from the centre
                // through `p`, and the distance grows away from it both ways round: a gap
                // that does not hold that azimuth is nearest at one of its ends.
                let (d, azimuth) = geodesy::distance_and_azimuth(center, p);
                let foot = (azimuth / 360.0).rem_euclid(1.0);
                let full = (d - radius_m).abs();
                self.for_each_gap(member, |t0, t1| {
                    if best <= full {
                        return;
                    }
                    let holds_foot = (t0 <= foot && foot <= t1) || (t0 <= foot + 1.0 && foot + 1.0 <= t1);
                    let here = if d == 0.0 || holds_foot {
                        full
                    } else {
                        geodesy::distance(p, shape.point_at(t0)).min(geodesy::distance(p, shape.point_at(t1)))
                    };
                    if here.is_nan() || here < best {
                        best = here;
                    }
                });
            }
        }
        if best.is_nan() {
            return 0.0;
        }
        best
    }
}

/// A piece's geometry, parameterised by `t` in `[0, 1]`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PieceShape {
    /// A plate-carrée edge: `a + t (b − a)` in lon/lat.
    Segment { a: Coord<f64>, b: Coord<f64> },
    /// A great-circle edge: `t` of the way along the arc, by angle.
    Arc {
        a: Coord<f64>,
        b: Coord<f64>,
        /// Unit vector of `a`.
        av: [f64; 3],
        /// Unit vector 90° along the arc from `a`.
        u: [f64; 3],
        /// Unit normal of the arc's plane.
        normal: [f64; 3],
        /// The arc's angle (radians).
        theta: f64,
    },
    /// A circle: the point at azimuth `360 t` degrees from the centre.
    Circle { center: Coord<f64>, radius_m: f64 },
}

impl PieceShape {
    pub(crate) fn edge(a: Coord<f64>, b: Coord<f64>, model: EdgeModel) -> PieceShape {
        match model {
            EdgeModel::PlateCarree => PieceShape::Segment { a, b },
            EdgeModel::GreatCircle => {
                let av = kernel::unit_vector(a);
                let bv = kernel::unit_vector(b);
                let n = kernel::cross(av, bv);
                let n_len = kernel::norm(n);
                let theta = n_len.atan2(kernel::dot(av, bv));
                let normal = if n_len > 0.0 {
                    [n[0] / n_len, n[1] / n_len, n[2] / n_len]
                } else {
                    [f64::NAN; 3]
                };
                let u = kernel::cross(normal, av);
                PieceShape::Arc {
                    a,
                    b,
                    av,
                    u,
                    normal,
                    theta,
                }
            }
        }
    }

    pub(crate) fn point_at(&self, t: f64) -> Coord<f64> {
        match *self {
            PieceShape::Segment { a, b } => {
                if t <= 0.0 {
                    a
                } else if t >= 1.0 {
                    b
                } else {
                    Coord {
                        x: a.x + t * (b.x - a.x),
                        y: a.y + t * (b.y - a.y),
                    }
                }
            }
            PieceShape::Arc {
                a, b, av, u, theta, ..
            } => {
                if t <= 0.0 {
                    return a;
                }
                if t >= 1.0 {
                    return b;
                }
                let (s, c) = (t * theta).sin_cos();
                let v = [av[0] * c + u[0] * s, av[1] * c + u[1] * s, av[2] * c + u[2] * s];
                Coord {
                    x: v[1].atan2(v[0]).to_degrees(),
                    y: v[2].atan2(v[0].hypot(v[1])).to_degrees(),
                }
            }
            PieceShape::Circle { center, radius_m } => {
                let (x, y) =
                    geodesy::geodesic_destination(center.x, center.y, 360.0 * t.rem_euclid(1.0), radius_m);
                Coord { x, y }
            }
        }
    }

    /// An upper bound on the metres travelled along the piece per unit of `t`.
    fn speed_m(&self) -> f64 {
        match *self {
            PieceShape::Segment { a, b } => MAX_RADIUS_M * (b.x - a.x).hypot(b.y - a.y).to_radians(),
            PieceShape::Arc { theta, .. } => MAX_RADIUS_M * theta,
            PieceShape::Circle { radius_m, .. } => std::f64::consts::TAU * radius_m * 1.001,
        }
    }

    /// The two ends of a straight edge (a segment, or an arc).
    fn ends(&self) -> Option<(Coord<f64>, Coord<f64>)> {
        match *self {
            PieceShape::Segment { a, b } | PieceShape::Arc { a, b, .. } => Some((a, b)),
            PieceShape::Circle { .. } => None,
        }
    }
}

/// Where `c`–`d` runs along `a`–`b` on a meridian or on the equator, where a plate-carrée
/// edge and a great-circle edge are the same line: the parameters of `c` and `d` along
/// `a → b` (linear in the coordinate that varies, as both shapes are there).
fn along_meridian_or_equator(
    a: Coord<f64>,
    b: Coord<f64>,
    c: Coord<f64>,
    d: Coord<f64>,
) -> Option<(f64, f64)> {
    if a.x == b.x && c.x == a.x && d.x == a.x && a.y != b.y {
        let f = |p: Coord<f64>| (p.y - a.y) / (b.y - a.y);
        return Some((f(c), f(d)));
    }
    if a.y == 0.0 && b.y == 0.0 && c.y == 0.0 && d.y == 0.0 && a.x != b.x && (b.x - a.x).abs() < 180.0 {
        let f = |p: Coord<f64>| (p.x - a.x) / (b.x - a.x);
        return Some((f(c), f(d)));
    }
    None
}

/// Builds one piece's [`Cover`]: feed it every other zone's piece that may meet it, then
/// [`CoverBuilder::finish`].
#[derive(Debug)]
pub(crate) struct CoverBuilder {
    shape: PieceShape,
    zone: u32,
    splits: Vec<f64>,
    /// (zone, lo, hi, walked the other way): stretches along another zone's boundary.
    collinear: Vec<(u32, f64, f64, bool)>,
    /// The exact twins, each covering the whole piece: kept even when the rest fails.
    known: Vec<Span>,
    /// Metres per degree on the lon/lat plane, scaled so that the lon/lat distance to a
    /// segment changes by at most 1 m per metre along the piece.
    lonlat_scale: f64,
    failed: bool,
}

impl CoverBuilder {
    /// `bounds` is the piece's box (its most poleward latitude sets the lon/lat scale).
    pub(crate) fn new(shape: PieceShape, zone: u32, bounds: [f64; 4]) -> CoverBuilder {
        let lat_max = bounds[1].abs().max(bounds[3].abs()).min(89.999);
        let lonlat_scale = MIN_RADIUS_M * lat_max.to_radians().cos() / std::f64::consts::SQRT_2
            * std::f64::consts::PI
            / 180.0;
        let speed = shape.speed_m();
        CoverBuilder {
            shape,
            zone,
            splits: vec![0.0, 1.0],
            collinear: Vec::new(),
            known: Vec::new(),
            lonlat_scale,
            failed: !(speed.is_finite() && speed > 0.0 && lonlat_scale > 0.0),
        }
    }

    /// `zone` has this exact edge, walked the other way: it covers all of it.
    pub(crate) fn twin(&mut self, zone: u32) {
        self.known.push(Span {
            zone,
            lo: 0.0,
            hi: 1.0,
        });
    }

    /// A piece of `zone`'s boundary that may meet this one.
    pub(crate) fn meet(&mut self, zone: u32, other: &PieceShape) {
        if self.failed || zone == self.zone {
            return;
        }
        match (self.shape, *other) {
            (PieceShape::Segment { a, b }, PieceShape::Segment { a: c, b: d }) => {
                match kernel::meet_along(a, b, c, d) {
                    Meet::None => {}
                    Meet::Points { ts, n } => self.splits.extend(ts.iter().take(n)),
                    Meet::Collinear { tc, td } => self.collinear_stretch(zone, tc, td),
                }
                return;
            }
            (
                PieceShape::Circle { center, radius_m },
                PieceShape::Circle {
                    center: c2,
                    radius_m: r2,
                },
            ) if center == c2 && radius_m == r2 => {
                // The same circle: both zones lie inside it, so it covers nothing.
                self.collinear.push((zone, 0.0, 1.0, false));
                return;
            }
            _ => {}
        }
        if let (Some((a, b)), Some((c, d))) = (self.shape.ends(), other.ends()) {
            if let Some((tc, td)) = along_meridian_or_equator(a, b, c, d) {
                self.collinear_stretch(zone, tc, td);
                return;
            }
        }
        if let (
            PieceShape::Arc {
                av, u, normal, theta, ..
            },
            PieceShape::Arc {
                a: c,
                b: d,
                normal: other_normal,
                theta: other_theta,
                ..
            },
        ) = (self.shape, *other)
        {
            if kernel::on_great_circle(normal, c) && kernel::on_great_circle(normal, d) {
                // On the same great circle: the overlap of the two arcs, by angle.
                let along = |p: Coord<f64>| {
                    let v = kernel::unit_vector(p);
                    kernel::dot(v, u).atan2(kernel::dot(v, av)) / theta
                };
                let (tc, td) = (along(c), along(d));
                // An arc is the shorter way round: its ends' parameters must span its angle.
                if ((td - tc).abs() * theta - other_theta).abs() <= 1e-9 {
                    let opposite = kernel::dot(normal, other_normal) < 0.0;
                    let (lo, hi) = (tc.min(td).max(0.0), tc.max(td).min(1.0));
                    if lo < hi {
                        self.splits.extend([lo, hi]);
                        self.collinear.push((zone, lo, hi, opposite));
                    } else if lo == hi {
                        self.splits.push(lo);
                    }
                } else {
                    self.failed = true;
                }
                return;
            }
        }
        match (self.shape, *other) {
            // A plate-carrée edge against a great circle: where it crosses the circle's
            // plane (second-order bisection, which settles shallow crossings quickly).
            (PieceShape::Segment { a, b }, PieceShape::Arc { normal, .. }) => {
                let tol = CONTACT_TOLERANCE_M / self.shape.speed_m();
                match segment_plane_crossings(a, b, normal, tol) {
                    Some(ts) => self.splits.extend(ts),
                    None => self.failed = true,
                }
                return;
            }
            // Two great circles cross at two opposite points, found in closed form.
            (PieceShape::Arc { av, u, theta, .. }, PieceShape::Arc { normal, .. }) => {
                let (ca, cb) = (kernel::dot(normal, av), kernel::dot(normal, u));
                let psi = (-ca).atan2(cb);
                for angle in [psi - std::f64::consts::PI, psi, psi + std::f64::consts::PI] {
                    let t = angle / theta;
                    if (-1e-12..=1.0 + 1e-12).contains(&t) {
                        self.splits.push(t.clamp(0.0, 1.0));
                    }
                }
                return;
            }
            // A great-circle edge against a plate-carrée one: where the latter crosses the
            // former's plane, carried over to the arc.
            (
                PieceShape::Arc {
                    av, u, normal, theta, ..
                },
                PieceShape::Segment { a: c, b: d },
            ) => {
                let tol = CONTACT_TOLERANCE_M / other.speed_m();
                match segment_plane_crossings(c, d, normal, tol) {
                    Some(ss) => {
                        for s in ss {
                            let v = kernel::unit_vector(other.point_at(s));
                            let t = kernel::dot(v, u).atan2(kernel::dot(v, av)) / theta;
                            if (-1e-9..=1.0 + 1e-9).contains(&t) {
                                self.splits.push(t.clamp(0.0, 1.0));
                            }
                        }
                    }
                    None => self.failed = true,
                }
                return;
            }
            _ => {}
        }
        match *other {
            PieceShape::Circle { center, radius_m } => {
                self.contacts(|x| (geodesy::distance(center, x) - radius_m).abs());
            }
            PieceShape::Arc { normal, .. } => {
                self.contacts(|x| {
                    kernel::dot(normal, kernel::unit_vector(x))
                        .clamp(-1.0, 1.0)
                        .asin()
                        .abs()
                        * MIN_RADIUS_M
                });
            }
            PieceShape::Segment { a: c, b: d } => {
                let scale = self.lonlat_scale;
                self.contacts(|x| lonlat_segment_distance(x, c, d) * scale);
            }
        }
    }

    /// A straight edge of `zone` lies along this one from `tc` to `td` (unclipped).
    fn collinear_stretch(&mut self, zone: u32, tc: f64, td: f64) {
        let lo = tc.min(td).max(0.0);
        let hi = tc.max(td).min(1.0);
        if lo < hi {
            self.splits.extend([lo, hi]);
            self.collinear.push((zone, lo, hi, tc > td));
        } else if lo == hi {
            self.splits.push(lo);
        }
    }

    /// Splits where `g` (≥ 0, zero where the piece meets the other boundary, changing by at
    /// most 1 m per metre along the piece) comes within the contact tolerance of zero.
    fn contacts(&mut self, g: impl Fn(Coord<f64>) -> f64) {
        let shape = self.shape;
        let speed = shape.speed_m();
        let tol_t = CONTACT_TOLERANCE_M / speed;
        let eval = |t: f64| g(shape.point_at(t));
        let mut stack = vec![(0.0, eval(0.0), 1.0, eval(1.0))];
        let mut steps = 0;
        while let Some((t0, g0, t1, g1)) = stack.pop() {
            if !(g0.is_finite() && g1.is_finite()) {
                self.failed = true;
                return;
            }
            if g0 + g1 > speed * (t1 - t0) + ROOT_SLACK_M {
                continue;
            }
            if t1 - t0 <= tol_t {
                self.splits.push(0.5 * (t0 + t1));
                continue;
            }
            steps += 1;
            if steps > MAX_ROOT_STEPS || self.splits.len() > MAX_SPLITS {
                self.failed = true;
                return;
            }
            let tm = 0.5 * (t0 + t1);
            let gm = eval(tm);
            stack.push((tm, gm, t1, g1));
            stack.push((t0, g0, tm, gm));
        }
    }

    /// The cover. `inside_at(point, out)` pushes onto `out` every zone whose interior holds
    /// the point.
    pub(crate) fn finish(mut self, mut inside_at: impl FnMut(Coord<f64>, &mut Vec<u32>)) -> Cover {
        let periodic = matches!(self.shape, PieceShape::Circle { .. });
        let speed = self.shape.speed_m();
        if self.failed || self.splits.len() > MAX_SPLITS || self.splits.iter().any(|t| !t.is_finite()) {
            // The exact twins alone: the conservative cover.
            return Cover {
                spans: std::mem::take(&mut self.known).into_boxed_slice(),
                gap_t: 0.0,
                periodic,
            };
        }
        self.splits.sort_unstable_by(f64::total_cmp);
        self.splits.dedup();
        let mut spans = std::mem::take(&mut self.known);
        let mut zones = Vec::new();
        for w in self.splits.windows(2) {
            let [t0, t1] = w else { continue };
            let (t0, t1) = (*t0, *t1);
            if t0 >= t1 {
                continue;
            }
            let mid = 0.5 * (t0 + t1);
            let pt = self.shape.point_at(mid);
            if !(pt.x.is_finite()
                && pt.y.is_finite()
                && (-180.0..=180.0).contains(&pt.x)
                && (-90.0..=90.0).contains(&pt.y))
            {
                continue;
            }
            zones.clear();
            inside_at(pt, &mut zones);
            for &z in &zones {
                let along = self
                    .collinear
                    .iter()
                    .any(|&(cz, lo, hi, _)| cz == z && lo <= mid && mid <= hi);
                if z != self.zone && !along {
                    spans.push(Span {
                        zone: z,
                        lo: t0,
                        hi: t1,
                    });
                }
            }
        }
        spans.extend(
            self.collinear
                .iter()
                .filter(|c| c.3)
                .map(|&(zone, lo, hi, _)| Span { zone, lo, hi }),
        );
        // One zone's touching spans become one span.
        spans.sort_unstable_by(|x, y| x.zone.cmp(&y.zone).then(x.lo.total_cmp(&y.lo)));
        let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
        for s in spans {
            match merged.last_mut() {
                Some(m) if m.zone == s.zone && s.lo <= m.hi => m.hi = m.hi.max(s.hi),
                _ => merged.push(s),
            }
        }
        merged.sort_unstable_by(|x, y| x.lo.total_cmp(&y.lo).then(x.zone.cmp(&y.zone)));
        Cover {
            spans: merged.into_boxed_slice(),
            gap_t: AREA_EDGE_TOLERANCE_M / speed,
            periodic,
        }
    }
}

/// Where the plate-carrée edge `a`–`b` crosses (or touches) the plane through the Earth's
/// centre with unit normal `normal`, as parameters along it, each within `tol` of a zero;
/// `None` when the search does not settle.
///
/// `h(s) = normal · unit(a + s (b − a))` has `|h''| ≤ (|Δλ| + |Δφ|)²` (radians), so a stretch
/// whose ends have the same sign and stay above the parabola's dip `M Δs² / 8` holds no zero.
fn segment_plane_crossings(a: Coord<f64>, b: Coord<f64>, normal: [f64; 3], tol: f64) -> Option<Vec<f64>> {
    let bound = ((b.x - a.x).abs() + (b.y - a.y).abs()).to_radians().powi(2);
    let h = |s: f64| {
        let p = Coord {
            x: a.x + s * (b.x - a.x),
            y: a.y + s * (b.y - a.y),
        };
        kernel::dot(normal, kernel::unit_vector(p))
    };
    if !(bound.is_finite() && tol > 0.0 && normal.iter().all(|c| c.is_finite())) {
        return None;
    }
    let mut out = Vec::new();
    let mut stack = vec![(0.0, h(0.0), 1.0, h(1.0))];
    let mut steps = 0;
    while let Some((s0, h0, s1, h1)) = stack.pop() {
        let ds = s1 - s0;
        let same_sign = (h0 > 0.0 && h1 > 0.0) || (h0 < 0.0 && h1 < 0.0);
        if same_sign && h0.abs().min(h1.abs()) > bound * ds * ds / 8.0 + 1e-15 {
            continue;
        }
        if ds <= tol {
            out.push(0.5 * (s0 + s1));
            continue;
        }
        steps += 1;
        if steps > MAX_ROOT_STEPS || out.len() > MAX_SPLITS {
            return None;
        }
        let sm = 0.5 * (s0 + s1);
        let hm = h(sm);
        stack.push((sm, hm, s1, h1));
        stack.push((s0, h0, sm, hm));
    }
    Some(out)
}

/// Euclidean lon/lat distance (degrees) from `x` to the segment `c`–`d`.
fn lonlat_segment_distance(x: Coord<f64>, c: Coord<f64>, d: Coord<f64>) -> f64 {
    let (dx, dy) = (d.x - c.x, d.y - c.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((x.x - c.x) * dx + (x.y - c.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (x.x - c.x - t * dx).hypot(x.y - c.y - t * dy)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    fn cover(spans: &[(u32, f64, f64)], periodic: bool) -> Cover {
        Cover {
            spans: spans
                .iter()
                .map(|&(zone, lo, hi)| Span { zone, lo, hi })
                .collect(),
            gap_t: 1e-6,
            periodic,
        }
    }

    fn gaps(cover: &Cover, member: impl Fn(u32) -> bool) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        cover.for_each_gap(&member, |a, b| out.push((a, b)));
        out
    }

    #[test]
    fn gaps_are_the_complement_of_the_member_spans() {
        let c = cover(&[(1, 0.2, 0.4), (2, 0.3, 0.6), (3, 0.6 + 1e-9, 0.8)], false);
        assert_eq!(gaps(&c, |_| true), vec![(0.0, 0.2), (0.8, 1.0)]);
        assert_eq!(gaps(&c, |z| z == 1), vec![(0.0, 0.2), (0.4, 1.0)]);
        assert_eq!(
            gaps(&c, |z| z != 2),
            vec![(0.0, 0.2), (0.4, 0.6 + 1e-9), (0.8, 1.0)]
        );
        assert_eq!(gaps(&c, |_| false), vec![(0.0, 1.0)]);
        assert_eq!(c.status(&|_| false), Status::Whole);
        assert_eq!(c.status(&|_| true), Status::Part);
        let full = cover(&[(1, 0.0, 0.5), (2, 0.5, 1.0)], false);
        assert_eq!(full.status(&|_| true), Status::Covered);
        assert_eq!(full.status(&|z| z == 2), Status::Part);
    }

    #[test]
    fn a_circle_gap_may_run_through_t_zero() {
        let c = cover(&[(1, 0.1, 0.3), (2, 0.5, 0.9)], true);
        assert_eq!(gaps(&c, |_| true), vec![(0.3, 0.5), (0.9, 1.1)]);
        let wrapped = cover(&[(1, 0.0, 0.4), (2, 0.4, 1.0)], true);
        assert_eq!(wrapped.status(&|_| true), Status::Covered);
    }

    #[test]
    fn contacts_find_both_crossings_of_a_circle_with_a_segment() {
        // A segment along 49°N through the centre of a 10 km circle.
        let shape = PieceShape::Segment {
            a: c(29.0, 49.0),
            b: c(31.0, 49.0),
        };
        let mut builder = CoverBuilder::new(shape, 0, [29.0, 49.0, 31.0, 49.0]);
        let center = c(30.0, 49.0);
        builder.meet(
            1,
            &PieceShape::Circle {
                center,
                radius_m: 10_000.0,
            },
        );
        assert!(!builder.failed);
        let mut hits: Vec<f64> = builder
            .splits
            .iter()
            .copied()
            .filter(|&t| t > 0.0 && t < 1.0)
            .collect();
        hits.sort_by(f64::total_cmp);
        assert!(!hits.is_empty());
        for t in hits {
            let off = (geodesy::distance(center, shape.point_at(t)) - 10_000.0).abs();
            assert!(off < 0.01, "a split {off} m off the circle");
        }
    }
}
