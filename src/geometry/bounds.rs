//! Tight, cheap lower bounds on the geodesic distance from a point to a lon/lat box or to
//! a plate-carrée segment, for pruning nearest-boundary searches before any exact geodesic
//! is computed.
//!
//! # Why they hold
//! Along any path on the ellipsoid, `ds² = (ρ dφ)² + (r dλ)²`, with `ρ(φ)` the meridional
//! radius of curvature (growing with `|φ|`) and `r(φ) = ν cos φ` the radius of the parallel
//! (shrinking with `|φ|`). By Minkowski's inequality a path's length is at least
//! `hypot(∫ρ|dφ|, ∫r|dλ|) ≥ hypot(ρ_lo · |Δφ|, r_hi · |Δλ|)`, where `ρ_lo` is the smallest
//! `ρ` and `r_hi` the smallest `r` over the latitudes the path visits. The path we care
//! about is the shortest one, a geodesic: its latitudes lie between its endpoints' except
//! for a poleward bulge, bounded through Bessel's auxiliary sphere (where a geodesic is a
//! great circle in reduced latitude `β` and arc `σ`, with `s ≥ b σ`): a geodesic no longer
//! than `L` never rises above `asin(sin β_end / cos(L / 2b))`, `β_end` the more poleward
//! endpoint's reduced latitude ([`poleward_reach`]).
//!
//! The bulge allowance depends on the length, so each bound is computed for a few lengths
//! `L` ([`TIER_LENGTHS_M`]): "the geodesic is longer than `L`, or at least the bound made
//! with `L`'s allowance", so `min(L, bound)` is a lower bound for each tier, and so is the
//! largest of them. Beyond the last tier only the north–south part is used. The factors of
//! a box or segment are looked up once at build time ([`Factors`]), the query point's once
//! per query ([`QueryPoint`]), in a table over latitude rounded the safe way; a bound then
//! costs a few multiplications and one square root.
//!
//! The result is scaled by `1 - 1e-6` and lowered by a millimetre so that the bound also
//! stays below the *computed* distance, whose own error (Vincenty, GeographicLib) is far
//! below both; upper bounds get the same room the other way.

use crate::geometry::geodesy::{WGS84_A, WGS84_F};
use crate::geometry::kernel::{edge_bounds, EdgeModel};
use geo_types::Coord;

const E2: f64 = WGS84_F * (2.0 - WGS84_F);
const B: f64 = WGS84_A * (1.0 - WGS84_F);
/// Lengths (m) of the geodesics the two bulge allowances are valid for.
pub(crate) const TIER_LENGTHS_M: [f64; 2] = [300_000.0, 3_000_000.0];
/// Headroom for rounding and for the exact distances' own error.
const SAFETY: f64 = 1.0 - 1e-6;
/// The same headroom the other way, for upper bounds.
const UPPER_SAFETY: f64 = 1.0 + 1e-6;
/// Absolute headroom (m): the computed distances are exact to about 0.1 mm (Vincenty) and
/// to nanometres (GeographicLib), not to the last bit, so a bound must leave room for that
/// even at zero distance (a point 1e-14° off a vertex: bound 8e-10 m, computed 1.1e-9 m).
const ABSOLUTE_SLACK_M: f64 = 1e-3;

/// A lower bound from the exact value of a bound's formula.
#[inline]
fn lower(x: f64) -> f64 {
    fmax(x * SAFETY - ABSOLUTE_SLACK_M, 0.0)
}

/// `max` and `min` for numbers known not to be NaN (one instruction, unlike `f64::max`).
#[inline]
fn fmax(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else {
        b
    }
}

#[inline]
fn fmin(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else {
        b
    }
}

/// Metres per degree of latitude along the meridian at latitude `lat` (degrees).
pub(crate) fn meridian_metres_per_degree(lat: f64) -> f64 {
    let s = lat.to_radians().sin();
    let w2 = 1.0 - E2 * s * s;
    WGS84_A * (1.0 - E2) / (w2 * w2.sqrt()) * std::f64::consts::PI / 180.0
}

/// Metres per degree of longitude along the parallel at latitude `lat` (degrees).
pub(crate) fn parallel_metres_per_degree(lat: f64) -> f64 {
    if lat.abs() >= 90.0 {
        return 0.0;
    }
    let (s, c) = lat.to_radians().sin_cos();
    (WGS84_A * c / (1.0 - E2 * s * s).sqrt() * std::f64::consts::PI / 180.0).max(0.0)
}

/// The most poleward |latitude| (degrees) that a geodesic no longer than `length_m` can
/// reach when neither endpoint is more poleward than `lat_abs` (degrees).
pub(crate) fn poleward_reach(lat_abs: f64, length_m: f64) -> f64 {
    let lat_abs = lat_abs.abs();
    if lat_abs >= 90.0 {
        return 90.0;
    }
    let half = length_m / (2.0 * B);
    if half >= std::f64::consts::FRAC_PI_2 {
        return 90.0;
    }
    let beta = ((1.0 - WGS84_F) * lat_abs.to_radians().tan()).atan();
    let sin_top = beta.sin() / half.cos();
    if sin_top >= 1.0 {
        return 90.0;
    }
    let top = (sin_top.asin().tan() / (1.0 - WGS84_F)).atan().to_degrees();
    // A hair more for the rounding of the trigonometry above.
    (top + 1e-9).min(90.0)
}

/// Step (degrees) of the latitude table behind [`Factors`] and [`QueryPoint`].
const TABLE_STEP_DEG: f64 = 0.02;

/// The factors at every multiple of [`TABLE_STEP_DEG`] from 0° to 90°, computed once: a
/// lookup rounds the latitude the conservative way (`ρ` down, the reach up), so no
/// trigonometry runs per query or per piece.
struct LatTable {
    rho: Vec<f64>,
    r_hi: [Vec<f64>; 2],
    /// Metres per degree of longitude on the parallel itself (no bulge), for upper bounds.
    r: Vec<f64>,
}

fn lat_table() -> &'static LatTable {
    static TABLE: std::sync::OnceLock<LatTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let n = (90.0 / TABLE_STEP_DEG).round() as usize + 1;
        let lat = |i: usize| (i as f64 * TABLE_STEP_DEG).min(90.0);
        LatTable {
            rho: (0..n).map(|i| meridian_metres_per_degree(lat(i))).collect(),
            r_hi: TIER_LENGTHS_M.map(|l| {
                (0..n)
                    .map(|i| parallel_metres_per_degree(poleward_reach(lat(i), l)))
                    .collect()
            }),
            r: (0..n).map(|i| parallel_metres_per_degree(lat(i))).collect(),
        }
    })
}

/// Metres per degree of latitude at or below `lat_abs` (degrees, 0..=90): a lower bound.
fn rho_at_most(lat_abs: f64) -> f64 {
    let t = lat_table();
    let i = (lat_abs / TABLE_STEP_DEG).floor();
    let i = if i.is_nan() || i < 0.0 { 0 } else { i as usize };
    t.rho.get(i).or(t.rho.last()).copied().unwrap_or(0.0)
}

/// Metres per degree of latitude at or above `lat_abs` (degrees): an upper bound.
fn rho_at_least(lat_abs: f64) -> f64 {
    let t = lat_table();
    let i = (lat_abs / TABLE_STEP_DEG).floor();
    let i = if i.is_nan() || i < 0.0 { 0 } else { i as usize + 1 };
    t.rho.get(i).or(t.rho.last()).copied().unwrap_or(f64::INFINITY)
}

/// Metres per degree of longitude on the parallel at or equatorward of `lat_abs`: an
/// upper bound.
fn r_at_least(lat_abs: f64) -> f64 {
    let t = lat_table();
    let i = (lat_abs / TABLE_STEP_DEG).floor();
    let i = if i.is_nan() || i < 0.0 { 0 } else { i as usize };
    t.r.get(i).or(t.r.first()).copied().unwrap_or(f64::INFINITY)
}

/// Per tier, metres per degree of longitude at the most poleward reach of a geodesic from
/// latitude `lat_abs` (degrees): a lower bound (0 beyond the table).
fn r_hi_at(lat_abs: f64) -> [f64; 2] {
    let t = lat_table();
    let i = (lat_abs / TABLE_STEP_DEG).floor();
    let i = if i.is_nan() || i < 0.0 { 0 } else { i as usize + 1 };
    t.r_hi.each_ref().map(|v| v.get(i).copied().unwrap_or(0.0))
}

/// The latitude factors of a box or segment spanning latitudes `lat_lo..=lat_hi`.
///
/// The `[_; 2]` fields are for a query point in the northern (index 0, latitude ≥ 0) and
/// the southern hemisphere: a path to a span in (or reaching into) the other hemisphere
/// crosses the equator, where a degree of latitude is shortest and one of longitude longest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Factors {
    /// Smallest metres per degree of latitude on a path to the span.
    rho_lo: [f64; 2],
    /// Per tier, metres per degree of longitude at the span's most poleward reach.
    r_hi: [f64; 2],
    /// Largest metres per degree of latitude anywhere in the span (for upper bounds).
    rho_hi: f64,
    /// Largest metres per degree of longitude on a straight path to the span.
    r_lo: [f64; 2],
}

impl Factors {
    pub(crate) fn new(lat_lo: f64, lat_hi: f64) -> Factors {
        let equatorward = if lat_lo <= 0.0 && lat_hi >= 0.0 {
            0.0
        } else {
            lat_lo.abs().min(lat_hi.abs())
        };
        let poleward = lat_lo.abs().max(lat_hi.abs());
        let crosses = [lat_lo < 0.0, lat_hi > 0.0];
        Factors {
            rho_lo: crosses.map(|c| rho_at_most(if c { 0.0 } else { equatorward })),
            r_hi: r_hi_at(poleward),
            rho_hi: rho_at_least(poleward),
            r_lo: crosses.map(|c| r_at_least(if c { 0.0 } else { equatorward })),
        }
    }
}

/// The query point with its own latitude factors, computed once per search.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QueryPoint {
    pub(crate) p: Coord<f64>,
    /// 0 in the northern hemisphere (latitude ≥ 0), 1 in the southern.
    hemisphere: usize,
    /// May a box or segment lie more than 180° of longitude away (so that it is nearer the
    /// other way round)? Cleared by the caller when it knows none can.
    wraps: bool,
    rho: f64,
    r_hi: [f64; 2],
    rho_up: f64,
    r_up: f64,
}

impl QueryPoint {
    pub(crate) fn new(p: Coord<f64>) -> QueryPoint {
        QueryPoint {
            p,
            hemisphere: usize::from(p.y < 0.0),
            wraps: true,
            rho: rho_at_most(p.y.abs()),
            r_hi: r_hi_at(p.y.abs()),
            rho_up: rho_at_least(p.y.abs()),
            r_up: r_at_least(p.y.abs()),
        }
    }

    /// The same point, for spans all known to lie within 180° of longitude of it.
    pub(crate) fn without_wrap(self) -> QueryPoint {
        QueryPoint { wraps: false, ..self }
    }

    /// The same point moved by `shift` degrees of longitude (across the antimeridian).
    pub(crate) fn shifted(&self, shift: f64) -> QueryPoint {
        QueryPoint {
            p: Coord {
                x: self.p.x + shift,
                y: self.p.y,
            },
            ..*self
        }
    }

    /// Metres per degree of latitude to use towards a span with factors `f`.
    #[inline]
    fn ky(&self, f: &Factors) -> f64 {
        let span = if self.hemisphere == 0 {
            f.rho_lo[0]
        } else {
            f.rho_lo[1]
        };
        fmin(self.rho, span)
    }

    /// The tiered bound from the north–south metres `ns` and the longitude gap `dx`.
    #[inline]
    fn tiered(&self, f: &Factors, ns: f64, dx: f64) -> f64 {
        let [l1, l2] = TIER_LENGTHS_M;
        let kx1 = fmin(self.r_hi[0], f.r_hi[0]) * dx;
        let lb1 = lower((ns * ns + kx1 * kx1).sqrt());
        if lb1 < l1 {
            return lb1;
        }
        let kx2 = fmin(self.r_hi[1], f.r_hi[1]) * dx;
        let lb2 = lower((ns * ns + kx2 * kx2).sqrt());
        if lb2 < l2 {
            return fmax(lb2, l1);
        }
        fmax(lower(ns), l2)
    }

    /// An upper bound (m) on the geodesic distance to the point `a` of a span with factors
    /// `f`: the length of the straight lon/lat path to it, on which a degree of latitude
    /// is at most `ρ` at the more poleward end and one of longitude at most `r` at the more
    /// equatorward end (or the equator, if the path crosses it).
    #[inline]
    pub(crate) fn upper_bound_m(&self, a: Coord<f64>, f: &Factors) -> f64 {
        let p = self.p;
        let dx = (a.x - p.x).abs();
        if self.wraps && dx > 180.0 {
            return f64::INFINITY;
        }
        let ky = fmax(self.rho_up, f.rho_hi);
        let span = if self.hemisphere == 0 {
            f.r_lo[0]
        } else {
            f.r_lo[1]
        };
        let kx = fmax(self.r_up, span);
        let (ns, ew) = ((a.y - p.y) * ky, dx * kx);
        (ns * ns + ew * ew).sqrt() * UPPER_SAFETY + ABSOLUTE_SLACK_M
    }

    /// A lower bound (m) on the geodesic distance to the edge `a`–`b` of either model, for
    /// callers that keep no [`Factors`] per edge (a great-circle edge is bounded through its
    /// box, which holds its bulge).
    pub(crate) fn edge_lower_bound_m(&self, a: Coord<f64>, b: Coord<f64>, model: EdgeModel) -> f64 {
        match model {
            EdgeModel::PlateCarree => {
                self.segment_lower_bound_m(a, b, &Factors::new(fmin(a.y, b.y), fmax(a.y, b.y)))
            }
            EdgeModel::GreatCircle => {
                let e = edge_bounds(a, b, model);
                self.box_lower_bound_m(&e, &Factors::new(e[1], e[3]))
            }
        }
    }

    /// A lower bound (m) on the geodesic distance to any point of the box
    /// `[min_lon, min_lat, max_lon, max_lat]` whose factors are `f`.
    #[inline]
    pub(crate) fn box_lower_bound_m(&self, b: &[f64; 4], f: &Factors) -> f64 {
        let p = self.p;
        // The shorter way round: a path may also leave westwards to reach an eastern box.
        let mut dx = fmax(fmax(b[0] - p.x, p.x - b[2]), 0.0);
        if self.wraps {
            let far = fmax((b[0] - p.x).abs(), (b[2] - p.x).abs());
            if far > 180.0 {
                dx = fmin(dx, fmax(360.0 - far, 0.0));
            }
        }
        let dy = fmax(fmax(b[1] - p.y, p.y - b[3]), 0.0);
        if dx == 0.0 && dy == 0.0 {
            return 0.0;
        }
        self.tiered(f, self.ky(f) * dy, dx)
    }

    /// A lower bound (m) on the geodesic distance to the plate-carrée segment `a`–`b`
    /// whose factors (of its latitude span) are `f`: the distance in the plane scaled by
    /// the bound's factors, where every point of the segment is at least that far.
    #[inline]
    pub(crate) fn segment_lower_bound_m(&self, a: Coord<f64>, b: Coord<f64>, f: &Factors) -> f64 {
        let p = self.p;
        let seg_box = || [fmin(a.x, b.x), fmin(a.y, b.y), fmax(a.x, b.x), fmax(a.y, b.y)];
        if self.wraps && ((a.x - p.x).abs() > 180.0 || (b.x - p.x).abs() > 180.0) {
            // Nearer the other way round: the box bound knows about that.
            return self.box_lower_bound_m(&seg_box(), f);
        }
        let ky = self.ky(f);
        let kx = fmin(self.r_hi[0], f.r_hi[0]);
        // Find the nearest point of the segment in the tier-1 plane, then bound with its
        // offsets: any point's tiered bound is at least the tier bound of that point, and
        // the segment's nearest point in the tier-1 plane minimises the tier-1 bound; for
        // the wider tiers (smaller kx) the tier-1 bound is only used as a floor of `l1`.
        let (ax, ay) = ((a.x - p.x) * kx, (a.y - p.y) * ky);
        let (bx, by) = ((b.x - p.x) * kx, (b.y - p.y) * ky);
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = if len2 == 0.0 {
            0.0
        } else {
            (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
        };
        let (x, y) = (ax + t * dx, ay + t * dy);
        let lb1 = lower((x * x + y * y).sqrt());
        let [l1, _] = TIER_LENGTHS_M;
        if lb1 < l1 {
            return lb1;
        }
        // Far away: the tiered bound of the box around the segment is plenty.
        fmax(self.box_lower_bound_m(&seg_box(), f), l1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::geodesy::{distance, distance_to_edge};
    use proptest::prelude::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    #[test]
    fn factors_match_the_textbook_radii() {
        // One degree of latitude: 110,574 m at the equator, 111,694 m at the pole.
        assert!((meridian_metres_per_degree(0.0) - 110_574.3).abs() < 1.0);
        assert!((meridian_metres_per_degree(90.0) - 111_693.9).abs() < 1.0);
        // One degree of longitude: 111,319.5 m at the equator, 0 at the pole.
        assert!((parallel_metres_per_degree(0.0) - 111_319.5).abs() < 0.1);
        assert_eq!(parallel_metres_per_degree(90.0), 0.0);
    }

    #[test]
    fn poleward_reach_is_small_for_short_lines_and_grows() {
        let short = poleward_reach(48.0, 50_000.0);
        assert!(short > 48.0 && short < 48.001, "{short}");
        let tier = poleward_reach(48.0, 300_000.0);
        assert!(tier > short && tier < 48.02, "{tier}");
        let long = poleward_reach(48.0, 1_000_000.0);
        assert!(long > short && long < 48.5, "{long}");
        assert_eq!(poleward_reach(89.99, 1_000_000.0), 90.0);
        // An east-west geodesic of 1,000 km at 48°N really bulges: below the bound.
        use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};
        let g = Geodesic::wgs84();
        let lon2 = 36.0 + 1_000_000.0 / parallel_metres_per_degree(48.0);
        let (s12, azi1, _, _): (f64, f64, f64, f64) = g.inverse(48.0, 36.0, 48.0, lon2);
        let (mid, _): (f64, f64) = g.direct(48.0, 36.0, azi1, s12 / 2.0);
        assert!(mid > 48.0 && mid <= long, "{mid} vs {long}");
        // And the bound is not far above it: within 0.2°.
        assert!(long - mid < 0.2, "{mid} vs {long}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// The segment bound never exceeds the exact distance, near or far, at any
        /// latitude, across the equator.
        #[test]
        fn segment_bound_is_below_the_exact_distance(
            px in -180.0..180.0f64, py in -85.0..85.0f64,
            ax in -5.0..5.0f64, ay in -5.0..5.0f64,
            bx in -1.0..1.0f64, by in -1.0..1.0f64,
            scale in prop::sample::select(vec![1e-14, 1e-10, 1e-6, 0.001, 0.01, 0.1, 1.0, 5.0]),
        ) {
            let p = c(px, py);
            let wrap = |x: f64| if x > 180.0 { x - 360.0 } else if x < -180.0 { x + 360.0 } else { x };
            let a = c(wrap(px + ax * scale), (py + ay * scale).clamp(-89.0, 89.0));
            let b = c(wrap(a.x + bx * scale), (a.y + by * scale).clamp(-89.0, 89.0));
            let f = Factors::new(a.y.min(b.y), a.y.max(b.y));
            let lb = QueryPoint::new(p).segment_lower_bound_m(a, b, &f);
            let exact = distance_to_edge(p, a, b, EdgeModel::PlateCarree);
            prop_assert!(lb <= exact, "lb {} > exact {}", lb, exact);
        }

        /// The box bound never exceeds the distance to any point of the box.
        #[test]
        fn box_bound_is_below_the_distance_to_any_point_in_the_box(
            px in -180.0..180.0f64, py in -85.0..85.0f64,
            ox in -20.0..20.0f64, oy in -20.0..20.0f64,
            w in 0.0..3.0f64, h in 0.0..3.0f64,
            u in 0.0..1.0f64, v in 0.0..1.0f64,
        ) {
            let lo = c((px + ox).clamp(-180.0, 177.0), (py + oy).clamp(-89.0, 86.0));
            let b = [lo.x, lo.y, lo.x + w, lo.y + h];
            let f = Factors::new(b[1], b[3]);
            let lb = QueryPoint::new(c(px, py)).box_lower_bound_m(&b, &f);
            let q = c(b[0] + u * w, b[1] + v * h);
            let d = distance(c(px, py), q);
            prop_assert!(lb <= d, "lb {} > distance {} to {:?}", lb, d, q);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// The upper bound is never below the exact distance.
        #[test]
        fn upper_bound_is_above_the_exact_distance(
            px in -180.0..180.0f64, py in -89.0..89.0f64,
            ox in -10.0..10.0f64, oy in -10.0..10.0f64,
            h in 0.0..2.0f64,
            scale in prop::sample::select(vec![1e-14, 1e-10, 1e-6, 1e-3, 1.0]),
        ) {
            let a = c((px + ox * scale).clamp(-180.0, 180.0), (py + oy * scale).clamp(-89.0, 89.0));
            let f = Factors::new(a.y.min((a.y + h).min(89.0)), (a.y + h).min(89.0).max(a.y));
            let ub = QueryPoint::new(c(px, py)).upper_bound_m(a, &f);
            let d = distance(c(px, py), a);
            prop_assert!(ub >= d, "ub {} < distance {}", ub, d);
        }
    }

    #[test]
    fn upper_bound_is_tight_nearby() {
        let p = c(30.0, 48.0);
        let a = c(30.1, 48.05);
        let f = Factors::new(48.0, 48.2);
        let ub = QueryPoint::new(p).upper_bound_m(a, &f);
        let d = distance(p, a);
        assert!(ub >= d && ub < 1.01 * d, "{ub} vs {d}");
    }

    #[test]
    fn bounds_are_tight_nearby() {
        // 10 km north and 10 km east of a segment at 48°N: within 0.1 % of the exact.
        let p = c(30.0, 48.0);
        let a = c(29.0, 48.09);
        let b = c(31.0, 48.09);
        let f = Factors::new(48.09, 48.09);
        let lb = QueryPoint::new(p).segment_lower_bound_m(a, b, &f);
        let exact = distance_to_edge(p, a, b, EdgeModel::PlateCarree);
        assert!(lb <= exact && lb > 0.999 * exact, "{lb} vs {exact}");
        let a = c(30.13, 47.0);
        let b = c(30.13, 49.0);
        let f = Factors::new(47.0, 49.0);
        let lb = QueryPoint::new(p).segment_lower_bound_m(a, b, &f);
        let exact = distance_to_edge(p, a, b, EdgeModel::PlateCarree);
        assert!(lb <= exact && lb > 0.97 * exact, "{lb} vs {exact}");
    }
}
