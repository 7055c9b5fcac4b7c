//! KML export: every phase of the Safe Haven plan, with decisions, read by GDAL (`ogrinfo`,
//! KML or LIBKML driver): the layers, their feature counts, fields and geometry types match
//! what was written. Under `CI=true` a missing `ogrinfo` fails the tests
//! (`.ci/install-gis` installs it); elsewhere they say so and skip the GDAL part.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failed expectation is a test failure (clippy.toml only covers #[test] fns)"
)]

use sanctuary::{
    geojson::decisions_geojson,
    geometry::{ZoneGeometry, ZoneKind},
    kml::{phase_kml, write_phase_kml, zones_kml, KmlError},
    plan::{Identity, TargetClass},
    Decision, Engine, Plan, Track, Zone,
};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `ogrinfo`, or `None` (after saying so) when it is missing outside CI.
fn ogrinfo() -> Option<&'static str> {
    let found = Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("ogrinfo");
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("ogrinfo (GDAL) is missing under CI=true: run .ci/install-gis");
    }
    eprintln!("SKIPPED the GDAL checks: ogrinfo (GDAL) is not installed; .ci/install-gis installs it");
    None
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kml");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One layer of `ogrinfo -so` output.
#[derive(Debug, Default)]
struct Layer {
    name: String,
    geometry: String,
    count: usize,
    fields: Vec<(String, String)>,
}

/// Runs `ogrinfo -ro -al -so` on a file and parses its layers.
fn layers(bin: &str, path: &Path) -> Vec<Layer> {
    let out = Command::new(bin)
        .args(["-ro", "-al", "-so"])
        .arg(path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "ogrinfo failed on {}: {stderr}",
        path.display()
    );
    assert!(!stderr.contains("ERROR"), "ogrinfo reported: {stderr}");
    let mut layers: Vec<Layer> = Vec::new();
    for line in stdout.lines() {
        if let Some(name) = line.strip_prefix("Layer name: ") {
            layers.push(Layer {
                name: name.trim().to_string(),
                ..Layer::default()
            });
            continue;
        }
        let Some(layer) = layers.last_mut() else { continue };
        if let Some(g) = line.strip_prefix("Geometry: ") {
            layer.geometry = g.trim().to_string();
        } else if let Some(c) = line.strip_prefix("Feature Count: ") {
            layer.count = c.trim().parse().unwrap();
        } else if let Some((name, rest)) = line.split_once(": ") {
            // Field lines: `name: Type (width.precision)`.
            let t = rest.split_whitespace().next().unwrap_or("");
            if ["String", "Real", "Integer", "Integer64", "Date", "DateTime"].contains(&t)
                && !name.contains(' ')
            {
                layer.fields.push((name.to_string(), t.to_string()));
            }
        }
    }
    layers
}

fn tracks() -> Vec<Track> {
    vec![
        Track::new("lviv", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile),
        Track::new(
            "kyiv",
            30.52,
            50.45,
            1_200.0,
            TargetClass::CruiseMissile,
            Identity::Hostile,
        ),
        Track::new(
            "kharkiv",
            36.23,
            49.99,
            800.0,
            TargetClass::Uas,
            Identity::Hostile,
        ),
        Track::new(
            "warsaw & <co>",
            21.01,
            52.23,
            9_000.0,
            TargetClass::MannedAircraft,
            Identity::Unknown,
        ),
        Track::new("bad", f64::NAN, 49.0, 800.0, TargetClass::Uas, Identity::Hostile),
    ]
}

fn decided(plan: &Plan, phase: &str) -> Vec<(Track, Decision)> {
    let engine = Engine::new(plan.clone());
    tracks()
        .into_iter()
        .map(|t| {
            let d = engine.decide(&t, phase, None);
            (t, d)
        })
        .collect()
}

#[test]
fn every_phase_reads_in_gdal_with_its_zones_decisions_and_fields() {
    let plan = Plan::safe_haven().unwrap();
    let bin = ogrinfo();
    for phase in plan.phases() {
        let decisions = decided(&plan, &phase.id);
        let path = out_dir().join(format!("phase-{}.kml", phase.id));
        write_phase_kml(&path, &plan, phase.id.as_str(), &decisions).unwrap();
        let h = plan.phase(&phase.id).unwrap();
        let active = plan.zone_plans().iter().filter(|zp| zp.active_in(h)).count();
        let text = std::fs::read_to_string(&path).unwrap();
        // Written: one Placemark per active zone and per decision.
        assert_eq!(text.matches("<Placemark>").count(), active + decisions.len());
        assert!(text.contains("warsaw &amp; &lt;co&gt;"), "names are escaped");
        let Some(bin) = bin else { continue };
        let layers = layers(bin, &path);
        let zones = layers.iter().find(|l| l.name == "Zones").unwrap();
        let points = layers.iter().find(|l| l.name == "Decisions").unwrap();
        assert_eq!(zones.count, active, "phase {}", phase.id);
        assert_eq!(points.count, decisions.len(), "phase {}", phase.id);
        // One decision has no position, so the layer's type is mixed ("Unknown (any)").
        assert!(
            points.geometry.contains("Point") || points.geometry.contains("Unknown"),
            "{}",
            points.geometry
        );
        if active > 0 {
            assert!(
                zones.geometry.contains("Polygon") || zones.geometry.contains("Unknown"),
                "{}",
                zones.geometry
            );
        }
        // The ExtendedData are read as fields, numbers as numbers (LIBKML), or at least
        // present (the plain KML driver).
        let field = |l: &Layer, name: &str| l.fields.iter().find(|(n, _)| n == name).map(|(_, t)| t.clone());
        for name in ["verdict", "reasons", "margin_m", "plan_hash", "track_id"] {
            assert!(
                field(points, name).is_some(),
                "decisions lack {name}: {:?}",
                points.fields
            );
        }
        assert_eq!(field(points, "margin_m").as_deref(), Some("Real"));
        if active > 0 {
            for name in [
                "id",
                "kind",
                "phase_from",
                "valid_from",
                "rule_classes",
                "standoff_m",
            ] {
                assert!(
                    field(zones, name).is_some(),
                    "zones lack {name}: {:?}",
                    zones.fields
                );
            }
            assert_eq!(
                field(zones, "standoff_m").as_deref(),
                Some("Real"),
                "phase {}",
                phase.id
            );
            assert_eq!(
                field(zones, "rule_count").as_deref(),
                Some("Integer"),
                "phase {}",
                phase.id
            );
        }
    }
}

#[test]
fn gdal_reads_the_values_written() {
    let Some(bin) = ogrinfo() else { return };
    let plan = Plan::safe_haven().unwrap();
    let decisions = decided(&plan, "3");
    let path = out_dir().join("values.kml");
    write_phase_kml(&path, &plan, "3", &decisions).unwrap();
    let out = Command::new(bin)
        .args(["-ro", "-al", "-where", "track_id = 'kharkiv'"])
        .arg(&path)
        .arg("Decisions")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    // The decision as the GeoJSON export states it.
    let expected = decisions_geojson(&decisions);
    let kharkiv = expected["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["track_id"] == "kharkiv")
        .unwrap();
    let reasons = kharkiv["properties"]["reasons_joined"].as_str().unwrap();
    assert!(!reasons.is_empty());
    assert!(text.contains(&format!("reasons (String) = {reasons}")), "{text}");
    assert!(text.contains("verdict (String) = deny"), "{text}");
    assert!(text.contains("POINT Z (36.23 49.99 800)"), "{text}");
}

#[test]
fn circles_and_holes_are_drawn_and_read_back_by_gdal() {
    let circle = Zone::builder("npp", ZoneGeometry::circle(31.2, 47.8, 30_000.0))
        .kind(ZoneKind::Exclusion)
        .name("Plant \"South\" <NPP> & co")
        .build()
        .unwrap();
    let holed = Zone::builder(
        "holed",
        ZoneGeometry::polygon(vec![
            vec![
                [30.0, 45.0],
                [31.0, 45.0],
                [31.0, 46.0],
                [30.0, 46.0],
                [30.0, 45.0],
            ],
            vec![
                [30.2, 45.2],
                [30.2, 45.8],
                [30.8, 45.8],
                [30.8, 45.2],
                [30.2, 45.2],
            ],
        ]),
    )
    .build()
    .unwrap();
    let text = zones_kml("test", &[circle.clone(), holed], &[]);
    assert!(text.contains("<name>npp</name>"));
    assert!(text.contains(r#"<SimpleData name="zone_name">Plant &quot;South&quot;"#));
    assert_eq!(text.matches("<innerBoundaryIs>").count(), 1);
    assert!(text.contains("Plant &quot;South&quot; &lt;NPP&gt; &amp; co"));
    // The circle's vertices are on it.
    let start = text.find("<coordinates>").unwrap() + "<coordinates>".len();
    let end = start + text[start..].find("</coordinates>").unwrap();
    let vertices: Vec<(f64, f64)> = text[start..end]
        .split(' ')
        .map(|p| {
            let mut it = p.split(',').map(|v| v.parse::<f64>().unwrap());
            (it.next().unwrap(), it.next().unwrap())
        })
        .collect();
    assert!(vertices.len() > 100, "{}", vertices.len());
    for (lon, lat) in &vertices {
        let d = sanctuary::geometry::geodesic_distance_m(31.2, 47.8, *lon, *lat);
        assert!((d - 30_000.0).abs() < 1e-6, "{d}");
    }
    let Some(bin) = ogrinfo() else { return };
    let path = out_dir().join("shapes.kml");
    std::fs::write(&path, &text).unwrap();
    let layers = layers(bin, &path);
    let zones = layers.iter().find(|l| l.name == "Zones").unwrap();
    assert_eq!(zones.count, 2);
    let radius = zones.fields.iter().find(|(n, _)| n == "radius_m");
    assert_eq!(
        radius.map(|(_, t)| t.as_str()),
        Some("Real"),
        "{:?}",
        zones.fields
    );
    // Both read as polygons, the hole as an inner ring; the Placemark's name is the id.
    let out = Command::new(bin)
        .args(["-ro", "-al"])
        .arg(&path)
        .output()
        .unwrap();
    let full = String::from_utf8_lossy(&out.stdout);
    assert!(full.contains("Name (String) = npp"), "{full}");
    assert!(
        full.contains("zone_name (String) = Plant \"South\" <NPP> & co"),
        "{full}"
    );
    assert_eq!(full.matches("POLYGON ((").count(), 2, "{full}");
    assert!(full.contains("),("), "the hole is an inner ring: {full}");
}

#[test]
fn an_unknown_phase_is_a_typed_error() {
    let plan = Plan::safe_haven().unwrap();
    assert!(matches!(
        phase_kml(&plan, "99", &[]),
        Err(KmlError::UnknownPhase { .. })
    ));
    let dir = out_dir().join("no-such-dir").join("x.kml");
    assert!(matches!(
        write_phase_kml(&dir, &plan, "1", &[]),
        Err(KmlError::Io { .. })
    ));
}
