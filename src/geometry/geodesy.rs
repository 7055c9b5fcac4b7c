//! Geodesic (WGS84 ellipsoid) distances: point to point, point to an edge of either
//! [`EdgeModel`], and the lower bounds that let the index skip far-away edges.
//!
//! Point-to-point distances come from GeographicLib's algorithm (the `geographiclib-rs`
//! crate, which the `geo` crate's `Geodesic` also uses): accurate to nanometres.
//!
//! Point-to-edge distance is a one-dimensional minimisation along the edge. It starts from
//! the foot of the perpendicular in a local tangent plane and then takes Newton steps that
//! use the geodesic azimuth at the current foot: at the true foot the geodesic to the point
//! meets the edge at a right angle. Every candidate is a real point of the edge, so the
//! answer is never below the true distance by more than the stopping tolerance, and in
//! practice it matches a dense reference to millimetres (see `tests/oracle/`).

use crate::geometry::kernel::EdgeModel;
use crate::geometry::kernel::{cross, dot, norm, on_great_circle_edge, on_segment, unit_vector};
use geo_types::Coord;
use geographiclib_rs::{Geodesic, InverseGeodesic};

/// WGS84 semi-major axis, metres.
///
/// # Example
/// ```
/// assert_eq!(sanctuary::geometry::WGS84_A, 6_378_137.0);
/// // A quarter of the equator is a quarter of 2πa.
/// let d = sanctuary::geometry::geodesic_distance_m(0.0, 0.0, 90.0, 0.0);
/// assert!((d - std::f64::consts::FRAC_PI_2 * sanctuary::geometry::WGS84_A).abs() < 1e-3);
/// ```
pub const WGS84_A: f64 = 6_378_137.0;
/// WGS84 flattening.
///
/// # Example
/// ```
/// assert!((1.0 / sanctuary::geometry::WGS84_F - 298.257_223_563).abs() < 1e-9);
/// // The semi-minor axis, b = a (1 - f).
/// let b = sanctuary::geometry::WGS84_A * (1.0 - sanctuary::geometry::WGS84_F);
/// assert!((b - 6_356_752.314_245).abs() < 1e-3);
/// ```
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;
const E2: f64 = WGS84_F * (2.0 - WGS84_F);
/// The shortest length of one degree of latitude (at the equator), metres.
pub(crate) const MIN_METRES_PER_DEGREE_LAT: f64 = 110_574.0;

/// The WGS84 geodesic, built once: `Geodesic` is a large value, so hand out a reference.
fn geod() -> &'static Geodesic {
    static GEOD: std::sync::OnceLock<Geodesic> = std::sync::OnceLock::new();
    GEOD.get_or_init(Geodesic::wgs84)
}

/// Geodesic distance in metres between two lon/lat points (degrees) on the WGS84 ellipsoid.
///
/// # Example
/// ```
/// // One degree of longitude along the equator.
/// let d = sanctuary::geometry::geodesic_distance_m(0.0, 0.0, 1.0, 0.0);
/// assert!((d - 111_319.491).abs() < 0.001);
/// ```
pub fn geodesic_distance_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    geod().inverse(lat1, lon1, lat2, lon2)
}

/// The point reached by travelling `distance_m` along the geodesic that leaves
/// (`lon`, `lat`) at `azimuth_deg` (clockwise from true north). Returns (lon, lat).
///
/// # Example
/// ```
/// let (lon, lat) = sanctuary::geometry::geodesic_destination(30.0, 50.0, 0.0, 1000.0);
/// assert_eq!(lon, 30.0);
/// assert!(lat > 50.0 && lat < 50.01);
/// ```
pub fn geodesic_destination(lon: f64, lat: f64, azimuth_deg: f64, distance_m: f64) -> (f64, f64) {
    use geographiclib_rs::DirectGeodesic;
    let (lat2, lon2): (f64, f64) = geod().direct(lat, lon, azimuth_deg, distance_m);
    (lon2, lat2)
}

/// Geodesic distance (m) from `a` to `b` and the azimuth at `a` (degrees clockwise from
/// north), by GeographicLib's algorithm.
#[inline]
pub(crate) fn distance_and_azimuth(a: Coord<f64>, b: Coord<f64>) -> (f64, f64) {
    let (s, azi1, _azi2, _a12): (f64, f64, f64, f64) = geod().inverse(a.y, a.x, b.y, b.x);
    (s, azi1)
}

/// Distance (m) and azimuth at `from` (degrees) of the geodesic from `from` to `to`.
///
/// Short lines (the edge searches' case) use Vincenty's inverse formula, which is exact to
/// about 0.1 mm there and several times cheaper; anything it does not settle quickly, and
/// every line over 1,000 km, goes to GeographicLib's algorithm.
#[inline]
fn inverse_with_azimuth(from: Coord<f64>, to: Coord<f64>) -> (f64, [f64; 2]) {
    if let Some(found) = vincenty_inverse(from, to) {
        return found;
    }
    let (s, azi1, _azi2, _a12): (f64, f64, f64, f64) = geod().inverse(from.y, from.x, to.y, to.x);
    let (sin_a, cos_a) = azi1.to_radians().sin_cos();
    (s, [sin_a, cos_a])
}

/// How far (m) the edge should move its foot along itself: the component of the
/// geodesic's length `s` along the edge's direction, from the geodesic's azimuth
/// (`[sin, cos]`) and the edge's (east, north) direction at the foot.
#[inline]
fn along_edge(s: f64, azimuth: [f64; 2], east: f64, north: f64, len: f64) -> f64 {
    s * (azimuth[0] * east + azimuth[1] * north) / len
}

/// Vincenty's inverse problem on WGS84: (distance m, `[sin, cos]` of the azimuth at
/// `from`), or `None` for lines longer than about 1,000 km or when the iteration does not
/// converge.
fn vincenty_inverse(from: Coord<f64>, to: Coord<f64>) -> Option<(f64, [f64; 2])> {
    let dlon = (to.x - from.x).to_radians();
    if dlon.abs() > 0.2 || (to.y - from.y).abs() > 10.0 {
        return None;
    }
    let (sin_u1, cos_u1) = reduced_latitude(from.y);
    let (sin_u2, cos_u2) = reduced_latitude(to.y);
    let mut lambda = dlon;
    for _ in 0..20 {
        let (sin_l, cos_l) = lambda.sin_cos();
        let x = cos_u2 * sin_l;
        let y = cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_l;
        // Components of unit vectors: no overflow, so a plain square root will do.
        let sin_sigma = (x * x + y * y).sqrt();
        if sin_sigma == 0.0 {
            return Some((0.0, [0.0, 1.0]));
        }
        let cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_l;
        let sigma = sin_sigma.atan2(cos_sigma);
        let sin_alpha = cos_u1 * cos_u2 * sin_l / sin_sigma;
        let cos2_alpha = 1.0 - sin_alpha * sin_alpha;
        let cos_2sm = if cos2_alpha == 0.0 {
            0.0
        } else {
            cos_sigma - 2.0 * sin_u1 * sin_u2 / cos2_alpha
        };
        let c = WGS84_F / 16.0 * cos2_alpha * (4.0 + WGS84_F * (4.0 - 3.0 * cos2_alpha));
        let next = dlon
            + (1.0 - c)
                * WGS84_F
                * sin_alpha
                * (sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (2.0 * cos_2sm * cos_2sm - 1.0)));
        if (next - lambda).abs() < 1e-13 {
            let b = WGS84_A * (1.0 - WGS84_F);
            let u2 = cos2_alpha * (WGS84_A * WGS84_A - b * b) / (b * b);
            let a_coef = 1.0 + u2 / 16384.0 * (4096.0 + u2 * (-768.0 + u2 * (320.0 - 175.0 * u2)));
            let b_coef = u2 / 1024.0 * (256.0 + u2 * (-128.0 + u2 * (74.0 - 47.0 * u2)));
            let delta_sigma = b_coef
                * sin_sigma
                * (cos_2sm
                    + b_coef / 4.0
                        * (cos_sigma * (2.0 * cos_2sm * cos_2sm - 1.0)
                            - b_coef / 6.0
                                * cos_2sm
                                * (4.0 * sin_sigma * sin_sigma - 3.0)
                                * (4.0 * cos_2sm * cos_2sm - 3.0)));
            let s = b * a_coef * (sigma - delta_sigma);
            let (sin_n, cos_n) = next.sin_cos();
            let (e, n) = (cos_u2 * sin_n, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_n);
            let norm = (e * e + n * n).sqrt();
            if norm == 0.0 {
                return None;
            }
            return Some((s, [e / norm, n / norm]));
        }
        lambda = next;
    }
    None
}

/// Sine and cosine of the reduced latitude β of a geodetic latitude φ (degrees), where
/// tan β = (1 − f) tan φ, without the tangent's trouble at the poles.
#[inline]
fn reduced_latitude(lat_deg: f64) -> (f64, f64) {
    let (sin_phi, cos_phi) = lat_deg.to_radians().sin_cos();
    let (y, x) = ((1.0 - WGS84_F) * sin_phi, cos_phi);
    let r = (x * x + y * y).sqrt();
    (y / r, x / r)
}

#[inline]
pub(crate) fn distance(a: Coord<f64>, b: Coord<f64>) -> f64 {
    geod().inverse(a.y, a.x, b.y, b.x)
}

/// Meridional (M) and prime-vertical (N) radii of curvature at a geodetic latitude.
#[inline]
fn radii(lat_deg: f64) -> (f64, f64) {
    let s = lat_deg.to_radians().sin();
    let w2 = 1.0 - E2 * s * s;
    let w = w2.sqrt();
    let n = WGS84_A / w;
    let m = WGS84_A * (1.0 - E2) / (w2 * w);
    (m, n)
}

/// Geodesic distance (m) from `p` to the edge `a`–`b` under the given edge model.
pub(crate) fn distance_to_edge(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>, model: EdgeModel) -> f64 {
    // A point the kernel reports on this edge is at distance 0, exactly: the foot search
    // below only gets within rounding of it (e.g. 1e-9 m on a great-circle meridian edge),
    // so `nearest_boundary` said 1e-9 m for a point that `locate` put on the boundary
    // (tests/props/boundary.rs, shared_axis_aligned_edge).
    let on_edge = match model {
        EdgeModel::PlateCarree => on_segment(a, b, p),
        EdgeModel::GreatCircle => on_great_circle_edge(a, b, p),
    };
    if on_edge {
        return 0.0;
    }
    match model {
        EdgeModel::PlateCarree => distance_to_plate_carree_edge(p, a, b),
        EdgeModel::GreatCircle => distance_to_great_circle_edge(p, a, b),
    }
}

const MAX_NEWTON_STEPS: usize = 12;
/// Stop once a Newton step moves the foot by less than this many metres.
const FOOT_TOLERANCE_M: f64 = 1e-4;
/// Stop once the next step could shorten the distance by less than this many metres.
const DISTANCE_TOLERANCE_M: f64 = 1e-4;

/// Could moving the foot `moved` metres along the edge shorten a distance `s` by more than
/// [`DISTANCE_TOLERANCE_M`]? Near the foot the distance behaves like `hypot(d, x)` of the
/// offset `x` along the edge, so the best possible gain is `s - sqrt(s² - moved²)`.
fn close_enough(s: f64, moved: f64) -> bool {
    moved < s && s - (s * s - moved * moved).sqrt() < DISTANCE_TOLERANCE_M
}

/// Stop the approximate phase after a step shorter than this many metres: the model's
/// frame turns so little over such a step (its error is about the step squared over the
/// Earth's radius, millimetres to centimetres) that the exact phase confirms the foot.
const APPROX_FOOT_TOLERANCE_M: f64 = 500.0;

/// Where `p` lies from `q`, in metres east and north in the tangent frame at `q`: a local
/// model of the geodesic (radii of curvature at the mid-latitude, turned by half the
/// convergence of the meridians between the two points). Its error grows as the square of
/// the distance (centimetres at 10 km); it only guides the foot search, never measures.
#[inline]
fn local_offset(q: Coord<f64>, p: Coord<f64>) -> (f64, f64) {
    let (sin_m, cos_m) = (0.5 * (q.y + p.y)).to_radians().sin_cos();
    let w2 = 1.0 - E2 * sin_m * sin_m;
    let w = w2.sqrt();
    let (n, m) = (WGS84_A / w, WGS84_A * (1.0 - E2) / (w2 * w));
    let dlon = (p.x - q.x).to_radians();
    let east = n * cos_m * dlon;
    let north = m * (p.y - q.y).to_radians();
    let half_gamma = 0.5 * dlon * sin_m;
    (east - north * half_gamma, north + east * half_gamma)
}

fn distance_to_plate_carree_edge(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    // Work with the copy of p (moved by 360°, which changes no distance) nearest the edge in
    // longitude, so that the start and the local model see the short way round.
    let mid = (a.x + b.x) / 2.0;
    let p = Coord {
        x: p.x + 360.0 * ((mid - p.x) / 360.0).round(),
        y: p.y,
    };
    let d = Coord {
        x: b.x - a.x,
        y: b.y - a.y,
    };
    // Start at the perpendicular foot in a tangent plane at p.
    let kx = p.y.to_radians().cos();
    let (ex, ey) = (d.x * kx, d.y);
    let len2 = ex * ex + ey * ey;
    if len2 == 0.0 {
        return distance(p, a);
    }
    let mut t = (((p.x - a.x) * kx * ex + (p.y - a.y) * ey) / len2).clamp(0.0, 1.0);
    // The edge point at t, and the edge's (east, north) metres per unit of t there.
    let at = |t: f64| {
        let q = Coord {
            x: a.x + t * d.x,
            y: a.y + t * d.y,
        };
        let (m, n) = radii(q.y);
        (
            q,
            d.x.to_radians() * n * q.y.to_radians().cos(),
            d.y.to_radians() * m,
        )
    };
    // Phase 1: settle the foot with a cheap local model of the geodesic (no iteration
    // inside), so that the exact phase usually confirms it with one inverse problem.
    for _ in 0..MAX_NEWTON_STEPS {
        let (q, east, north) = at(t);
        let (to_east, to_north) = local_offset(q, p);
        let len = (east * east + north * north).sqrt();
        if len == 0.0 {
            break;
        }
        let along = (to_east * east + to_north * north) / len;
        let t_new = (t + along / len).clamp(0.0, 1.0);
        let moved = (t_new - t).abs() * len;
        t = t_new;
        if moved < APPROX_FOOT_TOLERANCE_M {
            break;
        }
    }
    refine_foot(p, t, at)
}

/// The exact phase of either edge model's search: Newton steps on exact geodesics from
/// the foot `t`, where `at(t)` gives the edge point and the edge's (east, north) metres per
/// unit of `t` there. Every distance measured is to a real point of the edge, so the answer
/// never undercuts the true distance.
fn refine_foot(p: Coord<f64>, mut t: f64, at: impl Fn(f64) -> (Coord<f64>, f64, f64)) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..MAX_NEWTON_STEPS {
        let (q, east, north) = at(t);
        let (s, azi_to_p) = inverse_with_azimuth(q, p);
        best = best.min(s);
        if s == 0.0 {
            return 0.0;
        }
        let len = (east * east + north * north).sqrt();
        if len == 0.0 {
            break;
        }
        let along = along_edge(s, azi_to_p, east, north, len);
        let t_new = (t + along / len).clamp(0.0, 1.0);
        let moved = (t_new - t).abs() * len;
        t = t_new;
        if moved < FOOT_TOLERANCE_M || close_enough(s, moved) {
            break;
        }
    }
    best
}

fn to_lonlat(v: [f64; 3]) -> Coord<f64> {
    Coord {
        x: v[1].atan2(v[0]).to_degrees(),
        y: v[2].atan2(v[0].hypot(v[1])).to_degrees(),
    }
}

fn distance_to_great_circle_edge(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let av = unit_vector(a);
    let bv = unit_vector(b);
    let pv = unit_vector(p);
    let nrm = cross(av, bv);
    let n_len = norm(nrm);
    let theta = n_len.atan2(dot(av, bv));
    if n_len == 0.0 || theta == 0.0 {
        return distance(p, a);
    }
    let nu = [nrm[0] / n_len, nrm[1] / n_len, nrm[2] / n_len];
    // u is the unit tangent at a, towards b, so that slerp(t) = a cos(tθ) + u sin(tθ).
    let u = cross(nu, av);
    let slerp = |t: f64| {
        let (s, c) = (t * theta).sin_cos();
        [av[0] * c + u[0] * s, av[1] * c + u[1] * s, av[2] * c + u[2] * s]
    };
    // Start at the projection of p onto the great circle.
    let along0 = dot(pv, u).atan2(dot(pv, av));
    let t = (along0 / theta).clamp(0.0, 1.0);
    let at = |t: f64| {
        let q = to_lonlat(slerp(t));
        // Tangent of the arc at q.
        let (st, ct) = (t * theta).sin_cos();
        let tangent = [
            -av[0] * st + u[0] * ct,
            -av[1] * st + u[1] * ct,
            -av[2] * st + u[2] * ct,
        ];
        let (slat, clat) = q.y.to_radians().sin_cos();
        let (slon, clon) = q.x.to_radians().sin_cos();
        let east_v = [-slon, clon, 0.0];
        let north_v = [-slat * clon, -slat * slon, clat];
        // The arc is drawn on the sphere but measured on the ellipsoid, where a unit of
        // latitude and one of longitude have different lengths (M and N cos φ). Taking the
        // spherical tangent's azimuth and a spherical length here put the foot where the
        // geodesic meets the arc at a right angle *on the sphere*, which overestimated the
        // distance by up to ~0.3 m at 100 km (tests/oracle/edge_distance.rs). Scale the
        // tangent's components by the ellipsoid's radii instead.
        let (m, n) = radii(q.y);
        (
            q,
            dot(tangent, east_v) * theta * n,
            dot(tangent, north_v) * theta * m,
        )
    };
    refine_foot(p, t, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    /// Dense reference: the minimum over many points along the edge.
    fn dense(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>, model: EdgeModel) -> f64 {
        let n = 20_000;
        let mut best = f64::INFINITY;
        for i in 0..=n {
            let t = i as f64 / n as f64;
            let q = match model {
                EdgeModel::PlateCarree => c(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)),
                EdgeModel::GreatCircle => {
                    let av = unit_vector(a);
                    let bv = unit_vector(b);
                    let th = dot(av, bv).clamp(-1.0, 1.0).acos();
                    let s = th.sin();
                    let (wa, wb) = (((1.0 - t) * th).sin() / s, (t * th).sin() / s);
                    to_lonlat([
                        av[0] * wa + bv[0] * wb,
                        av[1] * wa + bv[1] * wb,
                        av[2] * wa + bv[2] * wb,
                    ])
                }
            };
            best = best.min(distance(p, q));
        }
        best
    }

    #[test]
    fn vincenty_agrees_with_geographiclib_on_short_lines() {
        let mut worst: f64 = 0.0;
        for i in 0..400 {
            let t = f64::from(i);
            let a = c(22.0 + (t * 0.37) % 15.0, 44.0 + (t * 0.53) % 9.0);
            let b = c(
                a.x + ((t * 0.11) % 2.0 - 1.0) * 0.15,
                a.y + ((t * 0.07) % 2.0 - 1.0) * 0.9,
            );
            let (s, [sin_a, cos_a]) = vincenty_inverse(a, b).unwrap();
            let azi = sin_a.atan2(cos_a).to_degrees();
            let (s_ref, azi_ref, _, _): (f64, f64, f64, f64) = geod().inverse(a.y, a.x, b.y, b.x);
            worst = worst.max((s - s_ref).abs());
            assert!((s - s_ref).abs() < 1e-3, "{a:?} {b:?}: {s} vs {s_ref}");
            if s_ref > 1.0 {
                let d_azi = ((azi - azi_ref + 540.0) % 360.0 - 180.0).abs();
                assert!(d_azi < 1e-6, "azimuth {azi} vs {azi_ref}");
            }
        }
        assert!(worst < 1e-3);
        // Long lines are left to GeographicLib.
        assert!(vincenty_inverse(c(0.0, 0.0), c(30.0, 40.0)).is_none());
    }

    #[test]
    fn edge_distance_matches_dense_reference() {
        let cases = [
            (c(25.0, 51.0), c(20.0, 50.0), c(30.0, 50.0)),
            (c(25.0, 49.0), c(20.0, 50.0), c(30.0, 50.0)),
            (c(31.0, 50.0), c(20.0, 50.0), c(30.0, 50.0)),
            (c(24.1, 48.3), c(24.0, 48.0), c(24.5, 48.9)),
            (c(33.0, 46.0), c(32.0, 47.0), c(34.0, 47.5)),
        ];
        for (p, a, b) in cases {
            for model in [EdgeModel::PlateCarree, EdgeModel::GreatCircle] {
                let ours = distance_to_edge(p, a, b, model);
                let reference = dense(p, a, b, model);
                let tol = (reference * 1e-3).max(1.0);
                assert!(
                    (ours - reference).abs() <= tol,
                    "{model:?} p={p:?}: ours {ours} reference {reference}"
                );
            }
        }
    }
}
