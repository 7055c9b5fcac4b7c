use super::*;
use sanctuary::{
    ed318::{ed318_from_file, ed318_from_str, Ed318Error, Ed318Reason, Ed318Type},
    geometry::{EdgeModel, Position, VerticalBand, ZoneKind},
    plan::{parse_rfc3339, TimeWindow},
};
use serde_json::json;

#[test]
fn every_valid_example_imports() {
    for name in VALID_DOCUMENTS {
        let c = ed318_from_str(&fixture(name), &exclusions()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!c.zones.is_empty(), "{name}");
        for z in &c.zones {
            if z.zone.vertex_count() > 0 {
                assert_eq!(z.zone.edge_model(), EdgeModel::GreatCircle, "{name}");
            }
            assert_eq!(z.zone.kind(), ZoneKind::Exclusion, "{name}");
        }
    }
}

#[test]
fn two_layers_become_two_zones_with_their_own_extent_and_band() {
    // Sanctuaries over terrain 100..110 m: AGL 50..150 narrows to 160..250, 0..50 to 110..150.
    let narrow = sanctuaries().agl(sanctuary::ed318::AglPolicy::TerrainRange {
        min_m: 100.0,
        max_m: 110.0,
    });
    let c = ed318_from_str(&fixture("Example_GeoZone_2_Layers.json"), &narrow).unwrap();
    assert_eq!(c.zones.len(), 2);
    let (upper, lower) = (&c.zones[0], &c.zones[1]);
    assert_eq!(upper.zone.id(), "NFZ6547#0");
    assert_eq!(lower.zone.id(), "NFZ6547#1");
    assert_eq!(upper.identifier, "NFZ6547");
    assert_eq!(upper.zone.name(), Some("LFPG-2"));
    assert_eq!(upper.zone_type, Ed318Type::ReqAuthorization);
    assert_eq!(upper.reasons, vec![Ed318Reason::AirTraffic, Ed318Reason::Other]);
    assert_eq!(
        upper.zone.band(),
        Some(VerticalBand {
            floor_m: Some(160.0),
            ceiling_m: Some(250.0)
        })
    );
    assert_eq!(
        lower.zone.band(),
        Some(VerticalBand {
            floor_m: Some(110.0),
            ceiling_m: Some(150.0)
        })
    );
    // The extents differ: a point in the wide upper polygon but outside the small lower one.
    let (lon, lat) = (2.62, 48.995);
    assert_eq!(c.zones[0].zone.position(lon, lat).unwrap(), Position::Inside);
    assert_eq!(c.zones[1].zone.position(lon, lat).unwrap(), Position::Outside);
}

#[test]
fn sanctuary_band_that_narrows_to_nothing_is_refused() {
    let err = ed318_from_str(&fixture("Example_GeoZone_2_Layers.json"), &sanctuaries()).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("features[0].geometry.geometries[1].layer: unsupported vertical layer"),
        "{msg}"
    );
    assert!(matches!(err, Ed318Error::Unsupported { .. }));
}

#[test]
fn exclusions_widen_with_terrain_and_drop_agl_without_it() {
    let terrain = exclusions().agl(sanctuary::ed318::AglPolicy::TerrainRange {
        min_m: 30.0,
        max_m: 130.0,
    });
    let c = ed318_from_str(&fixture("Example_GeoZone_Circle.json"), &terrain).unwrap();
    assert_eq!(
        c.zones[0].zone.band(),
        Some(VerticalBand {
            floor_m: Some(80.0),
            ceiling_m: Some(280.0)
        })
    );
    let c = ed318_from_str(&fixture("Example_GeoZone_Circle.json"), &exclusions()).unwrap();
    assert_eq!(c.zones[0].zone.band(), None, "unbounded both ways");
    // The declared layer is kept as written.
    let layer = c.zones[0].layer.unwrap();
    assert_eq!((layer.lower, layer.upper), (Some(50.0), Some(150.0)));
}

#[test]
fn circle_is_a_geodesic_circle_of_the_radius() {
    let c = ed318_from_str(&fixture("Example_GeoZone_Circle.json"), &exclusions()).unwrap();
    let z = &c.zones[0];
    assert_eq!(z.zone.id(), "ABC1234");
    assert_eq!(z.zone_type, Ed318Type::Prohibited);
    assert_eq!(z.reasons, vec![Ed318Reason::Population, Ed318Reason::Nature]);
    let (lon, lat) = sanctuary::geometry::geodesic_destination(2.636866, 50.122901, 45.0, 3499.0);
    assert_eq!(z.zone.position(lon, lat).unwrap(), Position::Inside);
    let (lon, lat) = sanctuary::geometry::geodesic_destination(2.636866, 50.122901, 45.0, 3501.0);
    assert_eq!(z.zone.position(lon, lat).unwrap(), Position::Outside);
    assert!(z.applicability.is_empty(), "no limitedApplicability: always");
    assert_eq!(z.properties["country"], json!("FRA"));
}

#[test]
fn feet_convert_exactly() {
    let text = fixture("Example_GeoZone_Circle.json")
        .replace("\"AGL\"", "\"AMSL\"")
        .replace("\"uom\": \"m\"", "\"uom\": \"ft\"");
    let c = ed318_from_str(&text, &exclusions()).unwrap();
    assert_eq!(
        c.zones[0].zone.band(),
        Some(VerticalBand {
            floor_m: Some(50.0 * 0.3048),
            ceiling_m: Some(150.0 * 0.3048)
        })
    );
}

#[test]
fn wgs84_limits_are_widened_or_narrowed_by_the_geoid_range() {
    let text = fixture("Example_GeoZone_Circle.json").replace("\"AGL\"", "\"WGS84\"");
    let opts = exclusions().geoid_undulation_m(Some([40.0, 50.0]));
    let band = ed318_from_str(&text, &opts).unwrap().zones[0]
        .zone
        .band()
        .unwrap();
    // AMSL = h − N, N in [40, 50]: the exclusion takes 0..110.
    assert_eq!((band.floor_m, band.ceiling_m), (Some(0.0), Some(110.0)));
    let opts = sanctuaries().geoid_undulation_m(Some([40.0, 50.0]));
    let band = ed318_from_str(&text, &opts).unwrap().zones[0]
        .zone
        .band()
        .unwrap();
    assert_eq!((band.floor_m, band.ceiling_m), (Some(10.0), Some(100.0)));
    // With tracks in WGS84 the limits are exact.
    let opts = sanctuaries().altitude_datum(sanctuary::ed318::AltitudeDatum::Wgs84);
    let band = ed318_from_str(&text, &opts).unwrap().zones[0]
        .zone
        .band()
        .unwrap();
    assert_eq!((band.floor_m, band.ceiling_m), (Some(50.0), Some(150.0)));
    // No geoid range: refused.
    let err = ed318_from_str(&text, &sanctuaries().geoid_undulation_m(None)).unwrap_err();
    assert!(err.to_string().contains("layer.lowerReference"), "{err}");
}

fn t(s: &str) -> i64 {
    parse_rfc3339(s).unwrap()
}

#[test]
fn limited_applicability_expands_to_exact_intervals() {
    // 2018-12-31T15:59:59Z .. 2019-12-31T15:59:59Z, daily 16:00-17:00 and Sundays 10:00-12:00.
    let c = ed318_from_str(&fixture("Example_GeoZone_2_Layers.json"), &exclusions()).unwrap();
    let w = &c.zones[0].applicability;
    let active = |s: &str| w.iter().any(|w| w.contains(t(s)));
    assert!(active("2018-12-31T16:00:00Z")); // the first day
    assert!(active("2019-06-15T16:59:59Z"));
    assert!(!active("2019-06-15T17:00:00Z"));
    assert!(active("2019-06-16T10:30:00Z")); // a Sunday
    assert!(!active("2019-06-15T10:30:00Z")); // a Saturday
    assert!(!active("2019-12-31T16:00:00Z")); // after the end
    assert!(!active("2018-12-30T16:30:00Z")); // before the start
                                              // 365 daily + 52 Sunday occurrences (2019 has 52 Sundays before 31 December 15:59:59).
    assert_eq!(w.len(), 365 + 52);
    assert!(w.iter().all(|w| matches!(w, TimeWindow::Interval { .. })));
}

#[test]
fn end_date_time_is_included_for_exclusions_and_excluded_for_sanctuaries() {
    let mut p = minimal_properties();
    p.insert(
        "limitedApplicability".into(),
        json!([{"startDateTime": "2027-01-01T00:00:00Z", "endDateTime": "2027-01-31T23:59:59Z"}]),
    );
    let text = feature_with(serde_json::Value::Object(p));
    let ex = ed318_from_str(&text, &exclusions()).unwrap().zones[0]
        .applicability
        .clone();
    assert_eq!(
        ex,
        vec![TimeWindow::Interval {
            start_unix_s: t("2027-01-01T00:00:00Z"),
            end_unix_s: t("2027-02-01T00:00:00Z")
        }]
    );
    let sa = ed318_from_str(&text, &sanctuaries()).unwrap().zones[0]
        .applicability
        .clone();
    assert_eq!(
        sa,
        vec![TimeWindow::Interval {
            start_unix_s: t("2027-01-01T00:00:00Z"),
            end_unix_s: t("2027-01-31T23:59:59Z")
        }]
    );
}

#[test]
fn schedule_only_periods_are_weekly_windows_and_seconds_round_conservatively() {
    let mut p = minimal_properties();
    p.insert(
        "limitedApplicability".into(),
        json!([{"schedule": [
            {"day": ["MON", "WED"], "startTime": "22:00:30Z", "endTime": "06:00:30Z"},
            {"day": ["SUN"]}
        ]}]),
    );
    let text = feature_with(serde_json::Value::Object(p));
    let ex = ed318_from_str(&text, &exclusions()).unwrap().zones[0]
        .applicability
        .clone();
    assert_eq!(
        ex,
        vec![
            TimeWindow::Weekly {
                days: 0b101,
                start_minute: 22 * 60,
                end_minute: 6 * 60 + 1
            },
            TimeWindow::Weekly {
                days: 0b100_0000,
                start_minute: 0,
                end_minute: 0
            },
        ]
    );
    let sa = ed318_from_str(&text, &sanctuaries()).unwrap().zones[0]
        .applicability
        .clone();
    assert_eq!(
        sa[0],
        TimeWindow::Weekly {
            days: 0b101,
            start_minute: 22 * 60 + 1,
            end_minute: 6 * 60
        }
    );
    // The whole Sunday (no times), Monday 00:00 excluded.
    assert!(sa[1].contains(t("2027-03-07T23:59:59Z")));
    assert!(!sa[1].contains(t("2027-03-08T00:00:00Z")));
}

#[test]
fn partial_examples_wrapped_into_features() {
    // Properties.
    let props = fixture_json("PartialExample_GeoZoneProperties.json");
    let c = ed318_from_str(&feature_with(props), &exclusions()).unwrap();
    assert_eq!(c.zones[0].zone.id(), "NFZ6547");
    assert_eq!(c.zones[0].applicability.len(), 365 + 52);
    // Time period (2023-10-29 .. 2024-03-31T23:59:59Z).
    let mut p = minimal_properties();
    p.insert(
        "limitedApplicability".into(),
        json!([fixture_json("PartialExample_TimePeriod.json")]),
    );
    let c = ed318_from_str(&feature_with(serde_json::Value::Object(p)), &exclusions()).unwrap();
    let w = &c.zones[0].applicability;
    assert!(w.iter().any(|w| w.contains(t("2024-03-31T16:30:00Z")))); // a Sunday, daily slot
    assert!(w.iter().any(|w| w.contains(t("2024-03-31T11:00:00Z")))); // Sunday slot
    assert!(!w.iter().any(|w| w.contains(t("2024-04-01T16:30:00Z"))));
    // Zone authority.
    let mut p = minimal_properties();
    p.insert(
        "zoneAuthority".into(),
        json!([fixture_json("PartialExample_ZoneAuthority.json")]),
    );
    let c = ed318_from_str(&feature_with(serde_json::Value::Object(p)), &exclusions()).unwrap();
    assert_eq!(
        c.zones[0].properties["zoneAuthority"][0]["purpose"],
        json!("NOTIFICATION")
    );
}

#[test]
fn kind_comes_from_the_callers_map() {
    let mut map = Ed318KindMap::none();
    map.prohibited = Some(ZoneKind::Exclusion);
    map.req_authorization = Some(ZoneKind::Sanctuary);
    let opts = Ed318Options::new(map).agl(sanctuary::ed318::AglPolicy::TerrainRange {
        min_m: 0.0,
        max_m: 10.0,
    });
    let c = ed318_from_str(&fixture("Example_Collection.json"), &opts).unwrap();
    let kinds: Vec<_> = c
        .zones
        .iter()
        .map(|z| (z.zone.id().to_string(), z.zone.kind()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("NFZ6547#0".to_string(), ZoneKind::Sanctuary),
            ("NFZ6547#1".to_string(), ZoneKind::Sanctuary),
            ("ABC1234".to_string(), ZoneKind::Exclusion),
        ]
    );
    // An unmapped type is refused, naming it.
    let err = ed318_from_str(
        &fixture("Example_Collection.json"),
        &Ed318Options::new(Ed318KindMap::none()),
    )
    .unwrap_err();
    assert!(err.to_string().contains("REQ_AUTHORIZATION"), "{err}");
}

#[test]
fn zones_feed_the_index() {
    let c = ed318_from_str(&fixture("Example_Collection.json"), &exclusions()).unwrap();
    let index = sanctuary::ZoneIndex::new(c.into_zones()).unwrap();
    let here = index.locate(2.636866, 50.122901).unwrap();
    assert_eq!(index.ids(&here.inside), vec!["ABC1234"]);
}

#[test]
fn from_file_reads_and_reports_io_errors() {
    let path = format!(
        "{}/tests/fixtures/ed318/examples/Example_GeoZone_Circle.json",
        env!("CARGO_MANIFEST_DIR")
    );
    assert_eq!(ed318_from_file(&path, &exclusions()).unwrap().zones.len(), 1);
    let err = ed318_from_file("/nonexistent/ed318.json", &exclusions()).unwrap_err();
    assert!(matches!(err, Ed318Error::Io { .. }));
}

#[test]
fn ed318_types_serde_round_trip() {
    let c = ed318_from_str(&fixture("Example_Collection.json"), &exclusions()).unwrap();
    let text = serde_json::to_string(&c).unwrap();
    let back: sanctuary::ed318::Ed318Collection = serde_json::from_str(&text).unwrap();
    assert_eq!(back, c);
    for opts in [exclusions(), sanctuaries()] {
        let back: Ed318Options = serde_json::from_str(&serde_json::to_string(&opts).unwrap()).unwrap();
        assert_eq!(back, opts);
    }
    let e = sanctuary::ed318::Ed318ExportOptions::new("UKR");
    let back: sanctuary::ed318::Ed318ExportOptions =
        serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
    assert_eq!(back, e);
    assert_eq!(
        serde_json::to_value(Ed318Type::ReqAuthorization).unwrap(),
        json!("REQ_AUTHORIZATION")
    );
    assert_eq!(
        serde_json::to_value(sanctuary::ed318::VerticalReference::Wgs84).unwrap(),
        json!("WGS84")
    );
    assert_eq!(
        serde_json::to_value(Ed318Reason::AirTraffic).unwrap(),
        json!("AIR_TRAFFIC")
    );
}
