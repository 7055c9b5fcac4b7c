use super::*;
use sanctuary::{
    ed318::{
        ed318_from_plan_phase, ed318_from_str, ed318_from_zones, CountryLookup, Ed318ExportOptions, Ed318Type,
    },
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

/// The ISO 3166-1 alpha-3 code of each neighbour in the boundary data, by zone id.
fn neighbour_codes() -> std::collections::BTreeMap<String, String> {
    let path = format!("{}/data/neighbours.geojson", env!("CARGO_MANIFEST_DIR"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (
                p["id"].as_str().unwrap().to_string(),
                p["iso_a3"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn each_zone_names_the_state_whose_airspace_it_covers_and_round_trips() {
    let plan = Plan::safe_haven().unwrap();
    let states = CountryLookup::safe_haven().unwrap();
    let opts = Ed318ExportOptions::new("UKR").countries_from(&states, plan.index().zones());
    let neighbours = neighbour_codes();
    assert_eq!(neighbours.len(), 7);
    let mut seen_neighbours = 0;
    for phase in plan.phase_handles() {
        let c = ed318_from_plan_phase(&plan, phase, &opts).unwrap();
        let doc = c.to_json();
        check_schema(&doc);
        let back = ed318_from_str(&doc.to_string(), &Ed318Options::new(round_trip_kinds())).unwrap();
        assert_eq!(back.zones.len(), c.zones.len());
        for (z, b) in c.zones.iter().zip(&back.zones) {
            let id = z.zone.id();
            let expected = match neighbours.get(id) {
                Some(code) => {
                    seen_neighbours += 1;
                    code.as_str()
                }
                // Oblasts (Crimea and Sevastopol included: the outline is de jure) and
                // circles over Ukraine; the sea corridor is over no state's land and takes
                // the default.
                None => "UKR",
            };
            assert_eq!(z.country(), Some(expected), "{id}");
            assert_eq!(b.country(), Some(expected), "{id} read back");
        }
    }
    assert!(seen_neighbours >= 7, "every neighbour exported at least once");
    // Without boundary data, every zone takes the default (the old behaviour, now explicit).
    let plain = ed318_from_plan_phase(&plan, "1", &Ed318ExportOptions::new("UKR")).unwrap();
    assert!(plain.zones.iter().all(|z| z.country() == Some("UKR")));
}

/// Sanctuaries as CONDITIONAL, exclusions as PROHIBITED: the export's defaults, read back.
fn round_trip_kinds() -> Ed318KindMap {
    let mut map = Ed318KindMap::none();
    map.prohibited = Some(sanctuary::geometry::ZoneKind::Exclusion);
    map.conditional = Some(sanctuary::geometry::ZoneKind::Sanctuary);
    map
}

#[test]
fn each_zone_is_valid_from_the_phase_start_until_the_next_phase() {
    let plan = Plan::safe_haven().unwrap();
    let start = |i: usize| plan.phases().get(i).and_then(|p| p.start_unix_s);
    let opts = Ed318ExportOptions::new("UKR");
    let mut bounded = 0;
    for phase in plan.phase_handles() {
        let c = ed318_from_plan_phase(&plan, phase, &opts).unwrap();
        let doc = c.to_json();
        check_schema(&doc);
        // The collection is valid for the phase.
        let metadata = &doc["metadata"];
        let rfc = |t: Option<i64>| t.map(|t| jiff::Timestamp::from_second(t).unwrap().to_string());
        assert_eq!(
            metadata["validFrom"].as_str().map(str::to_string),
            rfc(start(phase.index())),
            "{phase:?}"
        );
        assert_eq!(
            metadata["validTo"].as_str().map(str::to_string),
            rfc(start(phase.index() + 1)),
            "{phase:?}"
        );
        let back = ed318_from_str(&doc.to_string(), &Ed318Options::new(round_trip_kinds())).unwrap();
        for (z, b) in c.zones.iter().zip(&back.zones) {
            let h = plan.index().handle(z.zone.id()).unwrap();
            let zp = &plan.zone_plans()[h.index()];
            // This phase's rules, from its start until the next phase (or the zone's end).
            let until = [zp.active_until.and_then(start), start(phase.index() + 1)]
                .into_iter()
                .flatten()
                .min();
            let from = [start(zp.active_from), start(phase.index())]
                .into_iter()
                .flatten()
                .max();
            let expected = (from, until);
            assert!(expected.0.is_some(), "every phase of the plan has a start");
            assert_eq!(z.validity(), expected, "{}", z.zone.id());
            assert_eq!(b.validity(), expected, "{} read back", z.zone.id());
            assert_eq!(b.applicability, z.applicability, "{} read back", z.zone.id());
            bounded += usize::from(expected.1.is_some());
            // The validity is in the file: a start date on every zone.
            let f = doc["features"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["id"] == z.zone.id())
                .unwrap();
            assert_eq!(
                f["properties"]["limitedApplicability"][0]["startDateTime"].as_str(),
                rfc(expected.0).as_deref()
            );
        }
    }
    // Whether some zone also ends depends on the plan; count them to show the test saw both.
    eprintln!("{bounded} zone exports with an end date");
}

#[test]
fn time_windows_are_kept_within_the_validity() {
    let plan = Plan::from_json_str(
        r#"{"name": "w", "phases": [
          {"id": "a", "name": "a", "start": "2027-03-01T00:00:00Z"},
          {"id": "b", "name": "b", "start": "2027-03-15T00:00:00Z"},
          {"id": "c", "name": "c", "start": "2027-04-01T00:00:00Z"}],
        "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
        "zones": [
          {"id": "interval", "geometry": {"type": "Point", "coordinates": [30, 50]}, "radius_m": 1000,
           "active_from": "a", "active_until": "c",
           "windows": [{"start": "2027-02-01T00:00:00Z", "end": "2027-03-10T00:00:00Z"},
                       {"start": "2027-04-01T00:00:00Z", "end": "2027-05-01T00:00:00Z"}]},
          {"id": "weekly", "geometry": {"type": "Point", "coordinates": [31, 50]}, "radius_m": 1000,
           "active_from": "b", "active_until": "c",
           "windows": [{"days": ["mon"], "from": "08:00", "to": "17:00"}]},
          {"id": "open", "kind": "exclusion", "geometry": {"type": "Point", "coordinates": [32, 50]}, "radius_m": 1000,
           "active_from": "b",
           "windows": [{"days": ["sat", "sun"], "from": "06:00", "to": "22:00"}]}
        ]}"#,
    )
    .unwrap();
    let t = |s: &str| sanctuary::plan::parse_rfc3339(s).unwrap();
    // In phase a (1 to 15 March) the interval window is cut to the phase; the one after
    // it is gone.
    let a = ed318_from_plan_phase(&plan, "a", &Ed318ExportOptions::new("UKR")).unwrap();
    let interval = a.zones.iter().find(|z| z.zone.id() == "interval").unwrap();
    assert_eq!(
        interval.applicability,
        vec![TimeWindow::Interval {
            start_unix_s: t("2027-03-01T00:00:00Z"),
            end_unix_s: t("2027-03-10T00:00:00Z"),
        }]
    );
    let c = ed318_from_plan_phase(&plan, "b", &Ed318ExportOptions::new("UKR")).unwrap();
    let by_id = |id: &str| c.zones.iter().find(|z| z.zone.id() == id).unwrap();
    // In phase b (15 March to 1 April) none of its windows is in force: not exported.
    assert!(c.zones.iter().all(|z| z.zone.id() != "interval"));
    // Mondays 08:00-17:00 between 15 March and 1 April 2027: the 15th, 22nd and 29th.
    let weekly = &by_id("weekly").applicability;
    assert_eq!(weekly.len(), 3, "{weekly:?}");
    assert_eq!(
        weekly[0],
        TimeWindow::Interval {
            start_unix_s: t("2027-03-15T08:00:00Z"),
            end_unix_s: t("2027-03-15T17:00:00Z"),
        }
    );
    // Within phase b the exclusion's weekend schedule is expanded to its dates...
    assert!(by_id("open")
        .applicability
        .iter()
        .all(|w| matches!(w, TimeWindow::Interval { .. })));
    // ...and in the last phase, which no later phase ends, an exclusion with a schedule
    // keeps the schedule (in force more often).
    let last = ed318_from_plan_phase(&plan, "c", &Ed318ExportOptions::new("UKR")).unwrap();
    let open = last.zones.iter().find(|z| z.zone.id() == "open").unwrap();
    assert!(matches!(open.applicability[..], [TimeWindow::Weekly { .. }]));
    // Read back: the same instants.
    let back = ed318_from_str(&c.to_json().to_string(), &Ed318Options::new(round_trip_kinds())).unwrap();
    for (z, b) in c.zones.iter().zip(&back.zones) {
        assert_eq!(b.applicability, z.applicability, "{}", z.zone.id());
    }
}
