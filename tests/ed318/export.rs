use super::*;
use sanctuary::{
    ed318::{ed318_from_plan_phase, ed318_from_str, ed318_from_zones, Ed318ExportOptions, Ed318Type},
    geometry::{EdgeModel, Position, ZoneGeometry},
    plan::TimeWindow,
    Plan, Zone,
};
use serde_json::Value;

/// Checks, by hand, what the ED-318 schemas require of an exported collection.
fn check_schema(doc: &Value) {
    let types = schema("Schema_GeoZoneDataTypes.json");
    let enum_of = |def: &str| -> Vec<String> {
        let d = &types["definitions"][def];
        let e = if d["enum"].is_array() {
            &d["enum"]
        } else {
            &d["items"]["enum"]
        };
        e.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let props_schema = schema("Schema_GeoZoneProperties.json");
    let required: Vec<&str> = props_schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let allowed: Vec<&String> = props_schema["properties"].as_object().unwrap().keys().collect();
    let top = schema("Schema_GeoZones.json");
    for key in top["required"].as_array().unwrap() {
        assert!(doc.get(key.as_str().unwrap()).is_some(), "collection lacks {key}");
    }
    assert_eq!(doc["type"], "FeatureCollection");
    let refs = ["AGL", "AMSL", "WGS84"];
    for f in doc["features"].as_array().unwrap() {
        for key in ["type", "properties", "geometry"] {
            assert!(f.get(key).is_some(), "feature lacks {key}");
        }
        let p = f["properties"].as_object().unwrap();
        for key in &required {
            assert!(p.contains_key(*key), "properties lack {key}: {p:?}");
        }
        for key in p.keys() {
            assert!(allowed.contains(&key), "property {key} is not allowed");
        }
        assert!(p["identifier"].as_str().unwrap().chars().count() <= 7);
        assert_eq!(p["country"].as_str().unwrap().len(), 3);
        assert!(enum_of("zoneType").contains(&p["type"].as_str().unwrap().to_string()));
        assert!(enum_of("zoneVariant").contains(&p["variant"].as_str().unwrap().to_string()));
        for r in p.get("reason").and_then(Value::as_array).into_iter().flatten() {
            assert!(enum_of("zoneReason").contains(&r.as_str().unwrap().to_string()));
        }
        for a in p["zoneAuthority"].as_array().unwrap() {
            assert!(enum_of("authorityRole").contains(&a["purpose"].as_str().unwrap().to_string()));
        }
        for period in p
            .get("limitedApplicability")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for key in period.as_object().unwrap().keys() {
                assert!(["startDateTime", "endDateTime", "schedule"].contains(&key.as_str()));
            }
            for d in period
                .get("schedule")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                for day in d["day"].as_array().unwrap() {
                    assert!(enum_of("weekDayType").contains(&day.as_str().unwrap().to_string()));
                }
            }
        }
        let g = &f["geometry"];
        let members: Vec<&Value> = if g["type"] == "GeometryCollection" {
            g["geometries"].as_array().unwrap().iter().collect()
        } else {
            vec![g]
        };
        for m in members {
            assert!(["Polygon", "MultiPolygon", "Point"].contains(&m["type"].as_str().unwrap()));
            if m["type"] == "Point" {
                assert_eq!(m["extent"]["subType"], "Circle");
                assert!(m["extent"]["radius"].is_number());
            }
            if let Some(l) = m.get("layer") {
                for key in ["upperReference", "lowerReference"] {
                    if let Some(r) = l.get(key) {
                        assert!(refs.contains(&r.as_str().unwrap()));
                    }
                }
            }
        }
    }
}

#[test]
fn every_valid_example_round_trips() {
    for opts in [
        exclusions(),
        sanctuaries().agl(AglPolicy::TerrainRange {
            min_m: 100.0,
            max_m: 110.0,
        }),
    ] {
        for name in VALID_DOCUMENTS {
            let first = ed318_from_str(&fixture(name), &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
            let exported = first.to_json();
            check_schema(&exported);
            let again =
                ed318_from_str(&exported.to_string(), &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(again.zones, first.zones, "{name}");
            assert_eq!(again, first, "{name}");
        }
    }
}

#[test]
fn layers_are_written_back_as_one_feature() {
    let first = ed318_from_str(&fixture("Example_Collection.json"), &exclusions()).unwrap();
    let exported = first.to_json();
    let features = exported["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    assert_eq!(features[0]["geometry"]["type"], "GeometryCollection");
    assert_eq!(
        features[0]["geometry"]["geometries"][1]["layer"]["upperReference"],
        "AGL"
    );
    assert_eq!(features[1]["geometry"]["extent"]["radius"], 3500.0);
    assert_eq!(features[0]["properties"]["otherReasonInfo"][1]["lang"], "fr-BE");
}

#[test]
fn our_zones_export_and_import_back() {
    let circle = Zone::builder("SUNPP", ZoneGeometry::circle(31.2, 47.8, 30_000.0))
        .kind(sanctuary::geometry::ZoneKind::Exclusion)
        .band(Some(0.0), Some(3000.0))
        .name("nuclear plant")
        .build()
        .unwrap();
    let gc = Zone::builder(
        "ODESA-CORRIDOR",
        ZoneGeometry::polygon(vec![vec![
            [30.0, 45.0],
            [31.0, 45.0],
            [31.0, 46.0],
            [30.0, 46.0],
            [30.0, 45.0],
        ]]),
    )
    .edges(EdgeModel::GreatCircle)
    .build()
    .unwrap();
    let opts = Ed318ExportOptions::new("UKR");
    let c = ed318_from_zones(&[circle.clone(), gc.clone()], &opts).unwrap();
    let doc = c.to_json();
    check_schema(&doc);
    assert_eq!(doc["features"][1]["id"], "ODESA-CORRIDOR");
    let mut map = Ed318KindMap::none();
    map.prohibited = Some(sanctuary::geometry::ZoneKind::Exclusion);
    map.conditional = Some(sanctuary::geometry::ZoneKind::Sanctuary);
    let back = ed318_from_str(&doc.to_string(), &Ed318Options::new(map)).unwrap();
    assert_eq!(back.zones[0].zone, circle);
    assert_eq!(back.zones[1].zone, gc);
    assert_eq!(back.zones[1].zone_type, Ed318Type::Conditional);
}

#[test]
fn plate_carree_zones_are_densified_within_tolerance() {
    // A 10°-long edge on 50°N: as a great circle it would bulge ~12 km north.
    let flat = Zone::builder(
        "FLAT",
        ZoneGeometry::polygon(vec![vec![
            [20.0, 40.0],
            [30.0, 40.0],
            [30.0, 50.0],
            [20.0, 50.0],
            [20.0, 40.0],
        ]]),
    )
    .build()
    .unwrap();
    let opts = Ed318ExportOptions::new("UKR").densify_tolerance_m(1.0);
    let c = ed318_from_zones(std::slice::from_ref(&flat), &opts).unwrap();
    let z = &c.zones[0].zone;
    assert_eq!(z.edge_model(), EdgeModel::GreatCircle);
    assert!(z.vertex_count() > 100, "{}", z.vertex_count());
    // Just north of 50°N at 25°E: outside the original, and outside the export too.
    assert_eq!(flat.position(25.0, 50.001).unwrap(), Position::Outside);
    assert_eq!(z.position(25.0, 50.001).unwrap(), Position::Outside);
    // Points along the original edges are within about a metre of the export's boundary.
    for k in 0..=100 {
        let lon = 20.0 + 0.1 * f64::from(k);
        let d = z.signed_distance_m(lon, 50.0).unwrap().abs();
        assert!(d < 1.5, "{lon}: {d}");
    }
}

#[test]
fn plan_phase_exports_active_zones_with_windows() {
    let plan = Plan::safe_haven().unwrap();
    let opts = Ed318ExportOptions::new("UKR");
    for phase in plan.phase_handles() {
        let c = ed318_from_plan_phase(&plan, phase, &opts).unwrap();
        let expected: Vec<&str> = plan
            .index()
            .zones()
            .iter()
            .zip(plan.zone_plans())
            .filter(|(_, zp)| zp.active_in(phase))
            .map(|(z, _)| z.id())
            .collect();
        let got: Vec<&str> = c.zones.iter().map(|z| z.zone.id()).collect();
        assert_eq!(got, expected, "phase {phase:?}");
        check_schema(&c.to_json());
    }
    assert!(ed318_from_plan_phase(&plan, "99", &opts).is_err());
    // Windows are written and read back exactly.
    let z = Zone::builder("W", ZoneGeometry::circle(30.0, 50.0, 1000.0))
        .build()
        .unwrap();
    let windows = vec![
        TimeWindow::interval("2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z").unwrap(),
        TimeWindow::weekly(&["mon", "fri"], "22:00", "06:00").unwrap(),
    ];
    for kind in [
        sanctuary::geometry::ZoneKind::Sanctuary,
        sanctuary::geometry::ZoneKind::Exclusion,
    ] {
        let z = Zone::try_from(sanctuary::geometry::ZoneSpec { kind, ..z.to_spec() }).unwrap();
        let e = sanctuary::ed318::Ed318Zone::from_zone(&z, windows.clone(), &opts).unwrap();
        let c = sanctuary::ed318::Ed318Collection {
            zones: vec![e],
            ..Default::default()
        };
        let back = ed318_from_str(
            &c.to_json().to_string(),
            &Ed318Options::new(Ed318KindMap::all(kind)),
        )
        .unwrap();
        assert_eq!(back.zones[0].applicability, windows, "{kind:?}");
    }
}
