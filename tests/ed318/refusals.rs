use super::*;
use sanctuary::ed318::{ed318_from_str, Ed318Error};
use serde_json::json;

fn refused(text: &str, opts: &Ed318Options) -> (String, Ed318Error) {
    let err = ed318_from_str(text, opts).expect_err("must be refused");
    (err.to_string(), err)
}

#[test]
fn the_invalid_upstream_example_is_refused() {
    let text = fixture("InvalidExample_GeoZone_2_Layers.json");
    let (msg, err) = refused(&text, &exclusions());
    assert!(matches!(err, Ed318Error::Format { .. }), "{msg}");
    assert!(msg.starts_with("metadata.validFrom"), "{msg}");
    // Each of its other defects is refused on its own too.
    let mut v = fixture_json("InvalidExample_GeoZone_2_Layers.json");
    v["metadata"]["validFrom"] = json!("2018-12-31T15:59:59Z");
    let (msg, _) = refused(&v.to_string(), &exclusions());
    assert!(msg.starts_with("features[0].properties.type"), "{msg}");
    assert!(msg.contains("`REQ_AUTHORISATION`"), "{msg}");
    v["features"][0]["properties"]["type"] = json!("REQ_AUTHORIZATION");
    let (msg, _) = refused(&v.to_string(), &exclusions());
    assert!(msg.starts_with("features[0].properties.name[0]"), "{msg}");
    assert!(msg.contains("`lang`"), "{msg}");
}

#[test]
fn agl_is_refused_without_a_policy_and_for_sanctuaries_without_terrain() {
    let text = fixture("Example_GeoZone_Circle.json");
    let strict = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion));
    let (msg, err) = refused(&text, &strict);
    assert!(
        matches!(
            err,
            Ed318Error::Unsupported {
                feature: "AGL limit",
                ..
            }
        ),
        "{msg}"
    );
    assert!(
        msg.starts_with("features[0].geometry.layer.lowerReference"),
        "{msg}"
    );
    let sanct =
        Ed318Options::new(Ed318KindMap::all(ZoneKind::Sanctuary)).agl(AglPolicy::UnboundedForExclusions);
    let (msg, _) = refused(&text, &sanct);
    assert!(msg.contains("sanctuary"), "{msg}");
}

#[test]
fn daylight_events_are_refused() {
    let mut p = minimal_properties();
    p.insert(
        "limitedApplicability".into(),
        json!([{"schedule": [{"day": ["ANY"], "startEvent": "SR", "endTime": "12:00:00Z"}]}]),
    );
    let (msg, err) = refused(&feature_with(serde_json::Value::Object(p)), &exclusions());
    assert!(
        matches!(
            err,
            Ed318Error::Unsupported {
                feature: "daylight event",
                ..
            }
        ),
        "{msg}"
    );
    assert_eq!(
        msg.split(':').next().unwrap(),
        "features[0].properties.limitedApplicability[0].schedule[0].startEvent"
    );
}

#[test]
fn unknown_properties_and_missing_required_ones_are_refused() {
    let mut p = minimal_properties();
    p.insert("limitedApplicabilty".into(), json!([]));
    let (msg, _) = refused(&feature_with(serde_json::Value::Object(p)), &exclusions());
    assert!(
        msg.starts_with("features[0].properties.limitedApplicabilty"),
        "{msg}"
    );
    for key in ["identifier", "country", "type", "variant", "zoneAuthority"] {
        let mut p = minimal_properties();
        p.remove(key);
        let (msg, _) = refused(&feature_with(serde_json::Value::Object(p)), &exclusions());
        assert!(msg.contains(&format!("`{key}`")), "{key}: {msg}");
    }
}

#[test]
fn sanctuary_schedule_in_open_ended_range_is_refused_exclusion_keeps_schedule() {
    let mut p = minimal_properties();
    p.insert(
        "limitedApplicability".into(),
        json!([{"startDateTime": "2027-01-01T00:00:00Z",
                "schedule": [{"day": ["MON"], "startTime": "08:00:00Z", "endTime": "09:00:00Z"}]}]),
    );
    let text = feature_with(serde_json::Value::Object(p));
    let (msg, _) = refused(&text, &sanctuaries());
    assert!(msg.contains("open-ended"), "{msg}");
    let c = ed318_from_str(&text, &exclusions()).unwrap();
    assert_eq!(
        c.zones[0].applicability,
        vec![sanctuary::plan::TimeWindow::Weekly {
            days: 1,
            start_minute: 480,
            end_minute: 540
        }]
    );
}

#[test]
fn lines_points_and_bad_geometry_are_refused() {
    let base = fixture_json("Example_GeoZone_Circle.json");
    let mut v = base.clone();
    v["features"][0]["geometry"] = json!({"type": "LineString", "coordinates": [[0, 0], [1, 1]]});
    let (msg, err) = refused(&v.to_string(), &exclusions());
    assert!(matches!(err, Ed318Error::Unsupported { .. }), "{msg}");
    let mut v = base.clone();
    v["features"][0]["geometry"]
        .as_object_mut()
        .unwrap()
        .remove("extent");
    let (msg, _) = refused(&v.to_string(), &exclusions());
    assert!(msg.contains("Point without extent"), "{msg}");
    let mut v = base.clone();
    v["features"][0]["geometry"]["extent"]["radius"] = json!(-5);
    let (msg, err) = refused(&v.to_string(), &exclusions());
    assert!(matches!(err, Ed318Error::Zone { .. }), "{msg}");
    let mut v = base;
    v["features"][0]["geometry"]["layer"]["uom"] = json!("km");
    let (msg, _) = refused(&v.to_string(), &exclusions());
    assert!(msg.starts_with("features[0].geometry.layer.uom"), "{msg}");
}

#[test]
fn duplicate_ids_and_empty_applicability_are_refused() {
    let mut v = fixture_json("Example_GeoZone_Circle.json");
    let f = v["features"][0].clone();
    v["features"].as_array_mut().unwrap().push(f);
    let (_, err) = refused(&v.to_string(), &exclusions());
    assert!(matches!(err, Ed318Error::DuplicateId { .. }));
    let mut p = minimal_properties();
    p.insert("limitedApplicability".into(), json!([]));
    let (msg, _) = refused(&feature_with(serde_json::Value::Object(p)), &exclusions());
    assert!(msg.contains("empty limitedApplicability"), "{msg}");
}
