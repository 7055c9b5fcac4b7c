//! GeographicLib's GeodTest-short.dat (10,000 WGS84 geodesics): inverse distances and the
//! direct problem against `geodesic_distance_m` and `geodesic_destination`.

use crate::fixture;
use flate2::read::GzDecoder;
use sanctuary::geometry::{geodesic_destination, geodesic_distance_m};
use std::io::{BufRead, BufReader};

/// One line: `lat1 lon1 azi1 lat2 lon2 azi2 s12 a12 m12 S12`.
struct Line {
    lat1: f64,
    lon1: f64,
    azi1: f64,
    lat2: f64,
    lon2: f64,
    s12: f64,
}

fn read_lines() -> Vec<Line> {
    let file = std::fs::File::open(fixture("geographiclib/GeodTest-short.dat.gz")).expect("GeodTest fixture");
    let reader = BufReader::new(GzDecoder::new(file));
    let mut out = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line.expect("readable gzip text");
        let v: Vec<f64> = line
            .split_whitespace()
            .map(|t| t.parse().unwrap_or_else(|e| panic!("line {}: `{t}`: {e}", n + 1)))
            .collect();
        assert_eq!(v.len(), 10, "line {} has {} fields", n + 1, v.len());
        out.push(Line {
            lat1: v[0],
            lon1: v[1],
            azi1: v[2],
            lat2: v[3],
            lon2: v[4],
            s12: v[6],
        });
    }
    out
}

/// Allowed error of an inverse distance: 1 mm, or 1e-9 of the distance for long lines.
fn inverse_tolerance_m(s12: f64) -> f64 {
    (1e-9 * s12).max(1e-3)
}

#[test]
fn inverse_distance_matches_all_geodtest_lines() {
    let lines = read_lines();
    assert_eq!(lines.len(), 10_000, "GeodTest-short.dat has 10,000 geodesics");
    let (mut max_abs, mut max_rel) = (0.0_f64, 0.0_f64);
    let mut worst = 0;
    let mut failures = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let d = geodesic_distance_m(l.lon1, l.lat1, l.lon2, l.lat2);
        let err = (d - l.s12).abs();
        if err > max_abs {
            max_abs = err;
            worst = i;
        }
        if l.s12 > 0.0 {
            max_rel = max_rel.max(err / l.s12);
        }
        if err > inverse_tolerance_m(l.s12) {
            failures.push((i + 1, l.s12, d, err));
        }
    }
    println!(
        "GeodTest inverse: {} lines, max abs error {max_abs:.3e} m (line {}), max relative error {max_rel:.3e}",
        lines.len(),
        worst + 1
    );
    assert!(
        failures.is_empty(),
        "{} lines out of tolerance, first: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
}

/// Angular difference in degrees, folding longitudes that differ by a whole turn.
fn lon_diff(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(360.0);
    d.min(360.0 - d)
}

#[test]
fn direct_problem_matches_geodtest_subset() {
    let lines = read_lines();
    let mut checked = 0;
    let (mut max_dlat, mut max_dlon_m) = (0.0_f64, 0.0_f64);
    // Every 10th line: 1,000 direct problems.
    for (i, l) in lines.iter().enumerate().step_by(10) {
        let (lon2, lat2) = geodesic_destination(l.lon1, l.lat1, l.azi1, l.s12);
        // Compare as metres on the ellipsoid's surface: a degree of latitude is at most
        // 111.7 km; a degree of longitude shrinks with cos(lat) (and is meaningless at a pole).
        let dlat_m = (lat2 - l.lat2).abs() * 111_700.0;
        let dlon_m = lon_diff(lon2, l.lon2) * 111_400.0 * l.lat2.to_radians().cos();
        max_dlat = max_dlat.max(dlat_m);
        max_dlon_m = max_dlon_m.max(dlon_m);
        assert!(
            dlat_m <= 1e-3 && dlon_m <= 1e-3,
            "line {}: got ({lon2}, {lat2}), expected ({}, {}): {dlat_m:.3e} m N-S, {dlon_m:.3e} m E-W",
            i + 1,
            l.lon2,
            l.lat2
        );
        checked += 1;
    }
    println!("GeodTest direct: {checked} lines, max error {max_dlat:.3e} m N-S, {max_dlon_m:.3e} m E-W");
    assert_eq!(checked, 1_000);
}
