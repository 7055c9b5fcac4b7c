//! Coordinate reference systems through PROJ (`--features proj`), checked against published
//! values and against independent textbook formulas written out below.
#![cfg(feature = "proj")]

use sanctuary::{
    crs::{zones_from_geojson_str_in_crs, CrsError, CrsLoadError, CrsTransform},
    geometry::{Position, ZoneProblem},
    plan::{Identity, TargetClass},
    Engine, Plan, Verdict,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

// ---------------------------------------------------------------------------------------
// Independent formulas (not PROJ).

/// WGS84 semi-major axis and flattening.
const WGS84: (f64, f64) = (6_378_137.0, 1.0 / 298.257_223_563);
/// Krassowsky 1940, the ellipsoid of UCS-2000 (EPSG:7024).
const KRASS: (f64, f64) = (6_378_245.0, 1.0 / 298.3);

/// Geodetic (lon, lat degrees, h metres) to geocentric (x, y, z): the closed form of every
/// geodesy textbook (e.g. EPSG Guidance Note 7-2, method 9602).
fn geodetic_to_ecef((a, f): (f64, f64), lon: f64, lat: f64, h: f64) -> [f64; 3] {
    let e2 = f * (2.0 - f);
    let (sp, cp) = lat.to_radians().sin_cos();
    let (sl, cl) = lon.to_radians().sin_cos();
    let n = a / (1.0 - e2 * sp * sp).sqrt();
    [(n + h) * cp * cl, (n + h) * cp * sl, (n * (1.0 - e2) + h) * sp]
}

/// Geocentric to geodetic (lon, lat, h), by fixed-point iteration on the latitude
/// (converges to far below a micrometre near the Earth's surface).
fn ecef_to_geodetic((a, f): (f64, f64), [x, y, z]: [f64; 3]) -> [f64; 3] {
    let e2 = f * (2.0 - f);
    let p = x.hypot(y);
    let mut lat = z.atan2(p * (1.0 - e2));
    let mut h = 0.0;
    for _ in 0..20 {
        let n = a / (1.0 - e2 * lat.sin().powi(2)).sqrt();
        h = p / lat.cos() - n;
        lat = z.atan2(p * (1.0 - e2 * n / (n + h)));
    }
    [y.atan2(x).to_degrees(), lat.to_degrees(), h]
}

/// Transverse Mercator (easting, northing) by Krüger's series in n to order n^6
/// (Karney, "Transverse Mercator with an accuracy of a few nanometers", J. Geodesy 85, 2011,
/// eqs. 7, 9, 11, 35): micrometre-accurate within a few degrees of the central meridian.
fn transverse_mercator((a, f): (f64, f64), lon0: f64, k0: f64, fe: f64, lon: f64, lat: f64) -> [f64; 2] {
    let n = f / (2.0 - f);
    let big_a = a / (1.0 + n) * (1.0 + n.powi(2) / 4.0 + n.powi(4) / 64.0 + n.powi(6) / 256.0);
    let alpha = [
        n / 2.0 - 2.0 / 3.0 * n.powi(2) + 5.0 / 16.0 * n.powi(3) + 41.0 / 180.0 * n.powi(4)
            - 127.0 / 288.0 * n.powi(5)
            + 7891.0 / 37800.0 * n.powi(6),
        13.0 / 48.0 * n.powi(2) - 3.0 / 5.0 * n.powi(3)
            + 557.0 / 1440.0 * n.powi(4)
            + 281.0 / 630.0 * n.powi(5)
            - 1_983_433.0 / 1_935_360.0 * n.powi(6),
        61.0 / 240.0 * n.powi(3) - 103.0 / 140.0 * n.powi(4)
            + 15061.0 / 26880.0 * n.powi(5)
            + 167_603.0 / 181_440.0 * n.powi(6),
        49561.0 / 161_280.0 * n.powi(4) - 179.0 / 168.0 * n.powi(5) + 6_601_661.0 / 7_257_600.0 * n.powi(6),
        34729.0 / 80640.0 * n.powi(5) - 3_418_889.0 / 1_995_840.0 * n.powi(6),
        212_378_941.0 / 319_334_400.0 * n.powi(6),
    ];
    let phi = lat.to_radians();
    let dl = (lon - lon0).to_radians();
    let c = 2.0 * n.sqrt() / (1.0 + n);
    let t = (phi.sin().atanh() - c * (c * phi.sin()).atanh()).sinh();
    let xi_p = t.atan2(dl.cos());
    let eta_p = (dl.sin() / (1.0 + t * t).sqrt()).atanh();
    let (mut xi, mut eta) = (xi_p, eta_p);
    for (j, al) in alpha.iter().enumerate() {
        let k = 2.0 * (j as f64 + 1.0);
        xi += al * (k * xi_p).sin() * (k * eta_p).cosh();
        eta += al * (k * xi_p).cos() * (k * eta_p).sinh();
    }
    [fe + k0 * big_a * eta, k0 * big_a * xi]
}

/// Ground distance (m) between two nearby lon/lat points, good to far below a millimetre
/// for the sub-metre differences compared here.
fn ground_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    let lat = a[1].to_radians();
    let dx = (a[0] - b[0]).to_radians() * 6_378_137.0 * lat.cos();
    let dy = (a[1] - b[1]).to_radians() * 6_378_137.0;
    dx.hypot(dy)
}

// Lviv and Kyiv city centres (WGS84, approximate; any point near them will do).
const LVIV: [f64; 2] = [24.0316, 49.8397];
const KYIV: [f64; 2] = [30.5234, 50.4501];

// ---------------------------------------------------------------------------------------
// UTM

/// GeographicLib's GeoConvert manual (EXAMPLES / UTM input): 33.3°N 44.4°E is
/// `38n 444140.54 3684706.36` (published to the centimetre). EPSG:32638 is UTM zone 38N.
#[test]
fn utm_matches_geoconvert_published_example() -> TestResult {
    let utm = CrsTransform::from_epsg(32638)?;
    let [e, n] = utm.from_wgs84(44.4, 33.3)?;
    assert!((e - 444_140.54).abs() <= 0.005, "easting {e}");
    assert!((n - 3_684_706.36).abs() <= 0.005, "northing {n}");
    let [lon, lat] = utm.to_wgs84(444_140.54, 3_684_706.36)?;
    assert!(ground_m([lon, lat], [44.4, 33.3]) <= 0.01);
    // The independent Krüger series agrees with the published value too.
    let [ke, kn] = transverse_mercator(WGS84, 45.0, 0.9996, 500_000.0, 44.4, 33.3);
    assert!((ke - 444_140.54).abs() <= 0.005 && (kn - 3_684_706.36).abs() <= 0.005);
    Ok(())
}

/// Kyiv in UTM 36N and Lviv in UTM 35N (and the neighbouring zones 34N and 37N, which
/// cover Ukraine's west and east ends): PROJ agrees with Krüger's series within 1 mm and
/// round-trips within 1 mm.
#[test]
fn utm_zones_34_to_37_round_trip_within_a_millimetre() -> TestResult {
    for (code, central, point) in [
        (32634, 21.0, [22.2879, 48.6208]), // Uzhhorod, 34N
        (32635, 27.0, LVIV),
        (32636, 33.0, KYIV),
        (32637, 39.0, [37.5383, 47.0958]), // Mariupol, 37N
    ] {
        let utm = CrsTransform::from_epsg(code)?;
        let [e, n] = utm.from_wgs84(point[0], point[1])?;
        let [ke, kn] = transverse_mercator(WGS84, central, 0.9996, 500_000.0, point[0], point[1]);
        assert!(
            (e - ke).abs() < 1e-3 && (n - kn).abs() < 1e-3,
            "EPSG:{code}: {e} {n} vs {ke} {kn}"
        );
        let back = utm.to_wgs84(e, n)?;
        assert!(ground_m(back, point) < 1e-3, "EPSG:{code}: {back:?}");
        assert!(
            utm.pipeline().is_some_and(|p| p.contains("proj=utm")),
            "{:?}",
            utm.pipeline()
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// ECEF

/// GeographicLib's CartConvert manual (EXAMPLES): `echo 33.3 44.4 6000 | CartConvert` gives
/// `3816209.60 3737108.55 3485109.57` (WGS84 geocentric, to the centimetre).
#[test]
fn ecef_matches_cartconvert_published_example() -> TestResult {
    let ecef = CrsTransform::from_epsg(4978)?;
    assert!(ecef.is_geocentric());
    let published = [3_816_209.60, 3_737_108.55, 3_485_109.57];
    // The textbook formula reproduces the published numbers (they are rounded to 1 cm).
    let exact = geodetic_to_ecef(WGS84, 44.4, 33.3, 6000.0);
    for (e, p) in exact.iter().zip(published) {
        assert!((e - p).abs() <= 0.005, "{exact:?}");
    }
    // The published (rounded) point: within the rounding.
    let [lon, lat, h] = ecef.to_wgs84_3d(published[0], published[1], published[2])?;
    assert!(ground_m([lon, lat], [44.4, 33.3]) < 0.01 && (h - 6000.0).abs() < 0.01);
    // The exact point: within 1 mm.
    let [lon, lat, h] = ecef.to_wgs84_3d(exact[0], exact[1], exact[2])?;
    assert!(ground_m([lon, lat], [44.4, 33.3]) < 1e-3, "{lon} {lat}");
    assert!((h - 6000.0).abs() < 1e-3, "{h}");
    // And back.
    let xyz = ecef.from_wgs84_3d(lon, lat, h)?;
    for (e, p) in xyz.iter().zip(exact) {
        assert!((e - p).abs() < 1e-3, "{xyz:?}");
    }
    Ok(())
}

/// ECEF positions all over the globe (including near the poles and the antimeridian) agree
/// with the independent iteration within 1 mm.
#[test]
fn ecef_agrees_with_independent_iteration() -> TestResult {
    let ecef = CrsTransform::from_epsg(4978)?;
    for (lon, lat, h) in [
        (24.03, 49.84, 800.0),
        (-179.9, -33.0, 12_000.0),
        (179.9, 89.9, -50.0),
        (0.0, 0.0, 0.0),
        (-75.0, -89.5, 400_000.0),
    ] {
        let xyz = geodetic_to_ecef(WGS84, lon, lat, h);
        let got = ecef.to_wgs84_3d(xyz[0], xyz[1], xyz[2])?;
        let want = ecef_to_geodetic(WGS84, xyz);
        assert!(
            ground_m([got[0], got[1]], [want[0], want[1]]) < 1e-3,
            "{got:?} vs {want:?}"
        );
        assert!(ground_m([got[0], got[1]], [lon, lat]) < 1e-3, "{got:?}");
        assert!(
            (got[2] - h).abs() < 1e-3 && (want[2] - h).abs() < 1e-3,
            "{got:?} {want:?}"
        );
    }
    Ok(())
}

#[test]
fn ecef_needs_three_coordinates() -> TestResult {
    let ecef = CrsTransform::from_epsg(4978)?;
    assert!(matches!(
        ecef.to_wgs84(3_816_209.6, 3_737_108.55),
        Err(CrsError::NeedsThreeCoordinates { .. })
    ));
    assert!(matches!(
        ecef.from_wgs84(24.0, 49.0),
        Err(CrsError::NeedsThreeCoordinates { .. })
    ));
    Ok(())
}

/// A geocentric CRS on another datum would need a 3-D datum shift, which the 2-D `proj`
/// 0.27 API cannot carry: refused, not answered with a lost height.
#[test]
fn geocentric_with_datum_shift_is_refused() {
    let err = CrsTransform::from_epsg(5558).unwrap_err(); // UCS-2000 (geocentric)
    assert!(matches!(err, CrsError::Unsupported { .. }), "{err}");
}

/// An ECEF track becomes a WGS84 track whose altitude is the ellipsoidal height, and the
/// rule engine decides on it as on the README's Lviv example.
#[test]
fn ecef_track_through_the_engine() -> TestResult {
    let ecef = CrsTransform::from_epsg(4978)?;
    let [x, y, z] = geodetic_to_ecef(WGS84, 24.03, 49.84, 800.0);
    let track = ecef
        .track("d1", x, y, z, TargetClass::Uas, Identity::Hostile)?
        .with_uncertainty(200.0);
    assert!(ground_m([track.lon, track.lat], [24.03, 49.84]) < 1e-3);
    assert!((track.alt_m - 800.0).abs() < 1e-3);
    let engine = Engine::new(Plan::safe_haven()?);
    let decision = engine.decide(&track, "1", None);
    assert_eq!(decision.verdict, Verdict::Permit, "{decision:?}");
    assert_eq!(decision.zone.as_deref(), Some("UA-46"));

    // A position that fails to convert gives an error, never a track.
    assert!(ecef
        .track("bad", f64::NAN, y, z, TargetClass::Uas, Identity::Hostile)
        .is_err());
    Ok(())
}

// ---------------------------------------------------------------------------------------
// UCS-2000 (Ukraine)

/// UCS-2000 is **not** WGS84 with another name: it is on the Krassowsky 1940 ellipsoid and
/// was defined to be close to Pulkovo 1942 (S-42). The EPSG dataset's operation
/// "UCS-2000 to WGS 84 (2)" (EPSG:5840, accuracy 1 m) is a geocentric translation of
/// dX = +24 m, dY = -121 m, dZ = -76 m (rounded from EPSG:7817, UCS-2000 to ITRF2000 at
/// epoch 2005.0). PROJ must use exactly that, and the result must equal the textbook
/// computation within 1 mm. The same numbers of degrees name places about 120 m apart.
#[test]
fn ucs2000_geographic_uses_epsg_5840() -> TestResult {
    let ucs = CrsTransform::from_epsg(5561)?;
    for point in [KYIV, LVIV, [34.5514, 49.5883] /* Poltava */] {
        let got = ucs.to_wgs84(point[0], point[1])?;
        let pipeline = ucs.pipeline().unwrap_or_default();
        assert!(
            pipeline.contains(
                "proj=cart ellps=krass step proj=helmert x=24 y=-121 z=-76 step inv proj=cart ellps=WGS84"
            ),
            "{pipeline}"
        );
        let [x, y, z] = geodetic_to_ecef(KRASS, point[0], point[1], 0.0);
        let want = ecef_to_geodetic(WGS84, [x + 24.0, y - 121.0, z - 76.0]);
        assert!(ground_m(got, [want[0], want[1]]) < 1e-3, "{got:?} vs {want:?}");
        let offset = ground_m(got, point);
        assert!((100.0..150.0).contains(&offset), "offset {offset} m");
        // And back within 1 mm.
        let back = ucs.from_wgs84(got[0], got[1])?;
        assert!(ground_m(back, point) < 1e-3, "{back:?}");
    }
    Ok(())
}

/// The projected UCS-2000 / Gauss-Kruger zone 6 (EPSG:5564: central meridian 33°E, scale 1,
/// false easting 6 500 000 m with the zone number in front, Krassowsky ellipsoid) gives the
/// same WGS84 point as the geographic UCS-2000 one within 1 mm; the other 6-degree zones
/// (EPSG:5562, 5563, 5565) and the current 3-degree Ukraine TM zones (EPSG:6381..6387;
/// the older 3-degree codes 5570..5583 are deprecated in the EPSG dataset) load too.
#[test]
fn ucs2000_gauss_kruger_zone() -> TestResult {
    let geographic = CrsTransform::from_epsg(5561)?;
    let gk = CrsTransform::from_epsg(5564)?;
    for point in [KYIV, [34.5514, 49.5883]] {
        let [e, n] = transverse_mercator(KRASS, 33.0, 1.0, 6_500_000.0, point[0], point[1]);
        let via_gk = gk.to_wgs84(e, n)?;
        let via_geographic = geographic.to_wgs84(point[0], point[1])?;
        assert!(
            ground_m(via_gk, via_geographic) < 1e-3,
            "{via_gk:?} {via_geographic:?}"
        );
        let [e2, n2] = gk.from_wgs84(via_gk[0], via_gk[1])?;
        assert!((e2 - e).abs() < 1e-3 && (n2 - n).abs() < 1e-3);
    }
    for code in [5562, 5563, 5565, 6381, 6384, 6387] {
        CrsTransform::from_epsg(code)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Zone files

/// A box around Lviv, a circle around Kyiv and a two-part zone, all in UTM (EPSG:32635 and
/// 32636), with a third (height) number on some positions.
#[test]
fn utm_geojson_zone_file_loads_and_contains_its_city() -> TestResult {
    let text = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"id": "lviv-box", "kind": "sanctuary"},
       "geometry": {"type": "Polygon", "coordinates": [[
         [276000, 5512000], [296000, 5512000, 300], [296000, 5534000], [276000, 5534000], [276000, 5512000]
       ]]}},
      {"type": "Feature", "properties": {"id": "lviv-circle", "radius_m": 5000},
       "geometry": {"type": "Point", "coordinates": [286400, 5522500]}},
      {"type": "Feature", "properties": {"id": "two", "kind": "exclusion"},
       "geometry": {"type": "MultiPolygon", "coordinates": [
         [[[400000, 5500000], [410000, 5500000], [410000, 5510000], [400000, 5500000]]],
         [[[420000, 5500000], [430000, 5500000], [430000, 5510000], [420000, 5500000]]]
       ]}}
    ]}"#;
    let zones = zones_from_geojson_str_in_crs(text, &CrsTransform::from_epsg(32635)?)?;
    assert_eq!(zones.len(), 3);
    assert_eq!(zones[0].position(LVIV[0], LVIV[1])?, Position::Inside);
    assert_eq!(zones[1].position(LVIV[0], LVIV[1])?, Position::Inside);
    assert_eq!(zones[2].position(LVIV[0], LVIV[1])?, Position::Outside);
    // The box's corners are where PROJ puts them: west of the central meridian (27°E) in
    // the north, the grid's west edge is the westernmost; the south edge bends down.
    let utm = CrsTransform::from_epsg(32635)?;
    let [w, _] = utm.to_wgs84(276_000.0, 5_534_000.0)?;
    let [_, s] = utm.to_wgs84(276_000.0, 5_512_000.0)?;
    let b = zones[0].bounds();
    assert!(
        (b[0] - w).abs() < 1e-9 && (b[1] - s).abs() < 1e-9,
        "{b:?} vs {w} {s}"
    );
    Ok(())
}

#[test]
fn zone_file_errors_name_the_position() -> TestResult {
    let utm = CrsTransform::from_epsg(32635)?;
    let text = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"id": "bad"},
       "geometry": {"type": "Polygon", "coordinates": [[
         [276000, 5512000], [296000, 5512000], [1e300, 5534000], [276000, 5512000]
       ]]}}]}"#;
    let err = zones_from_geojson_str_in_crs(text, &utm).unwrap_err();
    let CrsLoadError::Crs { place, source } = &err else {
        panic!("{err}");
    };
    assert_eq!(place, "features[0].geometry.coordinates[0][2]");
    assert!(matches!(source, CrsError::Transform { input, .. } if input == &vec![1e300, 5_534_000.0]));

    // Validation still runs on the converted zone: an open ring is named as usual.
    let open = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"id": "open"},
       "geometry": {"type": "Polygon", "coordinates": [[
         [276000, 5512000], [296000, 5512000], [296000, 5534000], [276000, 5534000]
       ]]}}]}"#;
    let err = zones_from_geojson_str_in_crs(open, &utm).unwrap_err();
    let CrsLoadError::Load(sanctuary::geojson::LoadError::Zone { source, .. }) = &err else {
        panic!("{err}");
    };
    assert!(matches!(source.problems[0], ZoneProblem::RingNotClosed { .. }));

    // A geocentric file needs three numbers per position.
    let ecef = CrsTransform::from_epsg(4978)?;
    let text = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"id": "c", "radius_m": 1000},
       "geometry": {"type": "Point", "coordinates": [3816209.6, 3737108.55]}}]}"#;
    let err = zones_from_geojson_str_in_crs(text, &ecef).unwrap_err();
    assert!(matches!(
        err,
        CrsLoadError::Crs {
            source: CrsError::NeedsThreeCoordinates { .. },
            ..
        }
    ));
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Errors

#[test]
fn unknown_crs_is_a_typed_error() {
    for bad in ["EPSG:999999", "EPSG:0", "not a crs", "", "EPSG:32635\0"] {
        let err = CrsTransform::new(bad).unwrap_err();
        assert!(matches!(err, CrsError::UnknownCrs { .. }), "{bad:?}: {err}");
        assert!(err.to_string().contains("unknown coordinate reference system"));
    }
    assert!(matches!(
        CrsTransform::from_epsg(999_999),
        Err(CrsError::UnknownCrs { .. })
    ));
}

#[test]
fn non_finite_input_is_a_typed_error() -> TestResult {
    for code in [32635, 4978, 5561, 5564] {
        let t = CrsTransform::from_epsg(code)?;
        for (x, y, z) in [
            (f64::NAN, 5e6, 0.0),
            (3e5, f64::INFINITY, 0.0),
            (3e5, 5e6, f64::NAN),
        ] {
            let err = t.to_wgs84_3d(x, y, z).unwrap_err();
            assert!(
                matches!(err, CrsError::NonFiniteInput { .. }),
                "EPSG:{code}: {err}"
            );
        }
        if !t.is_geocentric() {
            assert!(matches!(
                t.to_wgs84(f64::NAN, 1.0),
                Err(CrsError::NonFiniteInput { .. })
            ));
            assert!(matches!(
                t.from_wgs84(24.0, f64::NAN),
                Err(CrsError::NonFiniteInput { .. })
            ));
        }
    }
    Ok(())
}

#[test]
fn failed_transform_carries_the_input() -> TestResult {
    let utm = CrsTransform::from_epsg(32635)?;
    let err = utm.to_wgs84(1e30, 0.0).unwrap_err();
    assert!(
        matches!(&err, CrsError::Transform { input, .. } if input == &vec![1e30, 0.0]),
        "{err}"
    );
    assert!(err.to_string().contains("`(1e30, 0)`"), "{err}");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Network

/// With PROJ's own network switch on, no transform is created (checked in a child process,
/// since the variable is process-wide).
#[test]
fn network_switch_is_refused() -> TestResult {
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["--ignored", "--exact", "network_child", "--nocapture"])
        .env("PROJ_NETWORK", "ON")
        .output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 passed"), "{stdout}");
    Ok(())
}

#[test]
#[ignore = "run by network_switch_is_refused with PROJ_NETWORK=ON"]
fn network_child() {
    let err = CrsTransform::from_epsg(32635).unwrap_err();
    assert!(matches!(err, CrsError::NetworkEnabled { .. }), "{err}");
}

#[test]
fn network_is_off_by_default() -> TestResult {
    // Creation itself checks PROJ's switch (PROJ_NETWORK, proj.ini): off unless asked for.
    if std::env::var_os("PROJ_NETWORK").is_none() {
        CrsTransform::from_epsg(32635)?;
    }
    Ok(())
}
