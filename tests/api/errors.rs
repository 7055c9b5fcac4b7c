//! Errors say each thing once: a message that includes a wrapped error's message does not
//! also return it from `source()`, a place is written once, plan-file errors name
//! plan-file fields, absurd numbers are refused and never printed as hundreds of digits,
//! and tracks that cannot be decided as given are refused with the field named.

use sanctuary::{
    ed318::ed318_from_str,
    engine::TrackError,
    geojson::{zones_from_geojson_file, zones_from_geojson_str},
    geometry::ZoneGeometry,
    monitor::TrackMonitor,
    plan::{Identity, TargetClass},
    Engine, Plan, Reason, Track, Zone, ZoneIndex,
};
use std::error::Error;

fn plan_with_zone(zone: &str) -> String {
    format!(
        r#"{{"name": "x", "phases": [{{"id": "0", "name": "a"}}],
        "default_rules": [{{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}}],
        "zones": [{zone}]}}"#
    )
}

/// Every error we can make, as (label, error).
fn errors() -> Vec<(String, Box<dyn Error>)> {
    let mut out: Vec<(String, Box<dyn Error>)> = Vec::new();
    let mut plan = |label: &str, text: String| {
        let e = Plan::from_json_str(&text).expect_err(label);
        out.push((label.to_string(), Box::new(e)));
    };
    let square = r#"{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}"#;
    plan(
        "open ring",
        plan_with_zone(
            r#"{"id": "z", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}}"#,
        ),
    );
    plan(
        "self-crossing",
        plan_with_zone(
            r#"{"id": "z", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}}"#,
        ),
    );
    plan(
        "point without radius",
        plan_with_zone(r#"{"id": "c", "geometry": {"type": "Point", "coordinates": [30, 50]}}"#),
    );
    plan(
        "radius on a polygon",
        plan_with_zone(&format!(r#"{{"id": "z", "radius_m": 5, "geometry": {square}}}"#)),
    );
    plan(
        "huge radius",
        plan_with_zone(
            r#"{"id": "c", "radius_m": 1e300, "geometry": {"type": "Point", "coordinates": [30, 50]}}"#,
        ),
    );
    plan(
        "huge longitude",
        plan_with_zone(
            r#"{"id": "z", "geometry": {"type": "Polygon", "coordinates": [[[1e300, 0], [1, 0], [1, 1], [0, 1], [1e300, 0]]]}}"#,
        ),
    );
    plan(
        "huge floor",
        plan_with_zone(&format!(
            r#"{{"id": "z", "floor_m": -1e300, "geometry": {square}}}"#
        )),
    );
    plan(
        "control id",
        plan_with_zone(&format!(r#"{{"id": "a\nb", "geometry": {square}}}"#)),
    );
    plan(
        "bad coordinates",
        plan_with_zone(r#"{"id": "z", "geometry": {"type": "Polygon", "coordinates": [[["a", 0]]]}}"#),
    );
    plan(
        "short position",
        plan_with_zone(
            r#"{"id": "z", "geometry": {"type": "Polygon", "coordinates": [[[0], [1, 0], [1, 1], [0, 1], [0]]]}}"#,
        ),
    );
    plan(
        "missing source",
        plan_with_zone(r#"{"id": "z", "source": {"file": "nope.geojson", "feature": "z"}}"#),
    );
    let e = Plan::from_file("/definitely/not/here.plan.json").expect_err("io");
    out.push(("plan io".into(), Box::new(e)));
    let e = zones_from_geojson_file("/definitely/not/here.geojson").expect_err("io");
    out.push(("zones io".into(), Box::new(e)));
    let e = zones_from_geojson_str("{").expect_err("json");
    out.push(("zones json".into(), Box::new(e)));
    let e = zones_from_geojson_str(r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "p"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}}]}"#).expect_err("zone");
    out.push(("zones zone".into(), Box::new(e)));
    let e = ed318_from_str(
        "{",
        &sanctuary::ed318::Ed318Options::new(sanctuary::ed318::Ed318KindMap::all(
            sanctuary::geometry::ZoneKind::Exclusion,
        )),
    )
    .expect_err("ed318 json");
    out.push(("ed318 json".into(), Box::new(e)));
    let index = ZoneIndex::new(vec![]).unwrap();
    let mut monitor = TrackMonitor::new(index, 10.0);
    let e = monitor.update("t\u{1b}", 0.0, 1e300, 0.0).expect_err("monitor");
    out.push(("monitor point".into(), Box::new(e)));
    let e = Zone::builder("c", ZoneGeometry::circle(0.0, 0.0, -1e300))
        .build()
        .expect_err("radius");
    out.push(("zone radius".into(), Box::new(e)));
    out
}

#[test]
fn messages_include_their_cause_and_source_does_not_repeat_it() {
    for (label, e) in errors() {
        let text = e.to_string();
        if let Some(source) = e.source() {
            let inner = source.to_string();
            assert!(
                !text.contains(&inner),
                "{label}: `{text}` repeats its source `{inner}`"
            );
        }
    }
}

#[test]
fn a_place_is_written_once_and_numbers_stay_short() {
    for (label, e) in errors() {
        let text = e.to_string();
        let first = text.split(": ").next().unwrap();
        if first.contains('[') {
            assert_eq!(
                text.matches(&format!("{first}: ")).count(),
                1,
                "{label}: `{text}`"
            );
        }
        assert!(!text.contains(&format!("{first}: {first}")), "{label}: `{text}`");
        // No place is followed by a place inside or around it (`zones[0].geometry: zones[0]: ...`).
        let places = text.split(": ").filter(|part| part.starts_with("zones[")).count();
        assert!(places <= 1, "{label}: `{text}`");
        assert!(text.len() < 300, "{label}: `{text}`");
        assert!(!text.contains("0000000000000000"), "{label}: `{text}`");
        assert!(
            !text.contains('\n') && !text.contains('\u{1b}'),
            "{label}: {text:?}"
        );
    }
}

#[test]
fn plan_file_errors_name_plan_file_fields() {
    for (label, e) in errors() {
        let text = e.to_string();
        if ["point without radius", "radius on a polygon", "huge radius"].contains(&label.as_str()) {
            assert!(!text.contains("properties"), "{label}: `{text}`");
            assert!(text.starts_with("zones[0]"), "{label}: `{text}`");
        }
    }
    let e = Plan::from_json_str(&plan_with_zone(
        r#"{"id": "c", "geometry": {"type": "Point", "coordinates": [30, 50]}}"#,
    ))
    .unwrap_err();
    assert_eq!(e.place(), Some("zones[0].radius_m"), "{e}");
}

#[test]
fn absurd_plan_numbers_are_refused_at_load_with_the_place() {
    let rule = |extra: &str| {
        format!(
            r#"{{"name": "x", "phases": [{{"id": "0", "name": "a"}}],
            "partners": [{{"id": "P", "min_standoff_m": 0}}],
            "default_rules": [{{"classes": ["uas"], "weapons": "tight", "standoff_m": 0 {extra}}}],
            "zones": [{{"id": "z", "geometry": {{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}}}]}}"#
        )
    };
    for (extra, place) in [
        (r#", "floor_m": 1e300"#, "default_rules[0].floor_m"),
        (r#", "ceiling_m": 3e6"#, "default_rules[0].ceiling_m"),
    ] {
        let e = Plan::from_json_str(&rule(extra)).unwrap_err();
        assert_eq!(e.place(), Some(place), "{e}");
    }
    let text = rule("").replace(r#""standoff_m": 0 "#, r#""standoff_m": 2e6 "#);
    let e = Plan::from_json_str(&text).unwrap_err();
    assert_eq!(e.place(), Some("default_rules[0].standoff_m"), "{e}");
    let text = rule("").replace(r#""min_standoff_m": 0"#, r#""min_standoff_m": 1e300"#);
    let e = Plan::from_json_str(&text).unwrap_err();
    assert_eq!(e.place(), Some("partners[0].min_standoff_m"), "{e}");
    assert!(e.to_string().contains("1e300"), "{e}");
    let text = rule("").replace(r#""id": "P""#, r#""id": "P\u001b[2J""#);
    let e = Plan::from_json_str(&text).unwrap_err();
    assert_eq!(e.place(), Some("partners[0].id"), "{e}");
}

#[test]
fn tracks_that_cannot_be_decided_as_given_are_invalid_with_the_field_named() {
    let engine = Engine::new(Plan::safe_haven().unwrap());
    let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    assert!(engine.decide(&lviv, "1", None).is_permit());
    let mut tti_only = lviv.clone();
    tti_only.tti_s = Some(10.0);
    let mut velocity_only = lviv.clone().with_intercept(100.0, 90.0, 10.0);
    velocity_only.tti_s = None;
    let cases = [
        (
            tti_only,
            TrackError::IncompleteIntercept {
                missing: "speed_mps, heading_deg",
            },
        ),
        (
            velocity_only,
            TrackError::IncompleteIntercept { missing: "tti_s" },
        ),
    ];
    for (track, expected) in cases {
        assert_eq!(track.validate(), Err(expected));
        let d = engine.decide(&track, "1", None);
        assert_eq!(d.reasons, vec![Reason::InvalidTrack], "{track:?}");
    }
    for id in ["", "a\nb", "\u{1b}[31m", "\u{202e}x"] {
        let t = Track {
            id: id.into(),
            ..lviv.clone()
        };
        assert!(matches!(t.validate(), Err(TrackError::Id(_))), "{id:?}");
        assert_eq!(engine.decide(&t, "1", None).reasons, vec![Reason::InvalidTrack]);
    }
    let long = Track {
        id: "x".repeat(sanctuary::id::MAX_ID_BYTES + 1).into(),
        ..lviv.clone()
    };
    assert_eq!(
        engine.decide(&long, "1", None).reasons,
        vec![Reason::InvalidTrack]
    );
    let absurd = lviv.clone().with_uncertainty(1e300);
    let e = absurd.validate().unwrap_err();
    assert!(
        matches!(
            e,
            TrackError::OutOfRange {
                field: "uncertainty_m",
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().len() < 80, "{e}");
}

#[test]
fn an_exclusion_that_denies_is_named_in_the_decision() {
    let engine = Engine::new(Plan::safe_haven().unwrap());
    // Inside Poland, in every phase.
    let poland = Track::new("p", 22.5, 50.5, 800.0, TargetClass::Uas, Identity::Hostile);
    for phase in ["0", "1", "4"] {
        let d = engine.decide(&poland, phase, None);
        assert!(d.reasons.contains(&Reason::InsideExclusion), "{d:?}");
        let id = d.exclusion.as_deref().expect("the exclusion is named");
        let zone = engine
            .plan()
            .index()
            .handle(id)
            .map(|h| engine.plan().index().zone(h).kind());
        assert_eq!(zone, Some(sanctuary::geometry::ZoneKind::Exclusion), "{d:?}");
    }
    // Deep inside Ukraine nothing excludes.
    let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    assert_eq!(engine.decide(&lviv, "1", None).exclusion, None);
    // 1 km inside the border with a 5 km disc: the neighbour is named, the deny stands.
    let edge =
        Track::new("e", 23.058, 49.9, 500.0, TargetClass::Uas, Identity::Hostile).with_uncertainty(5000.0);
    let d = engine.decide(&edge, "1", None);
    assert!(!d.is_permit());
    assert!(d.reasons.contains(&Reason::InsideExclusion), "{d:?}");
    assert!(d.exclusion.is_some(), "{d:?}");
}

/// Plan errors are kinds a caller can match, with the place kept and a suggestion for an
/// id one edit away from a known one.
#[test]
fn plan_errors_are_typed_kinds_with_places_and_suggestions() {
    use sanctuary::plan::PlanError;
    let plan = |zones: &str, rules: &str| {
        sanctuary::Plan::from_json_str(&format!(
            r#"{{"name": "x", "phases": [{{"id": "prep", "name": "a"}}, {{"id": "live", "name": "b"}}],
              "partners": [{{"id": "POL"}}, {{"id": "SVK"}}],
              "default_rules": [{rules}], "zones": [{zones}]}}"#
        ))
    };
    let square = r#"{"id": "sq", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}"#;
    let rule = r#"{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}"#;

    let zone = format!(r#"{square}, "active_from": "lvie"}}"#);
    let err = plan(&zone, rule).unwrap_err();
    match &err {
        PlanError::UnknownPhase {
            place,
            id,
            did_you_mean,
        } => {
            assert_eq!((place.as_str(), id.as_str()), ("zones[0].active_from", "lvie"));
            assert_eq!(did_you_mean.as_deref(), Some("live"));
        }
        other => panic!("expected UnknownPhase, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "zones[0].active_from: unknown phase `lvie`; did you mean `live`?"
    );

    let partner_rule = r#"{"classes": ["uas"], "weapons": "tight", "standoff_m": 0, "partners": ["PLO"]}"#;
    let err = plan(&format!("{square}}}"), partner_rule).unwrap_err();
    assert!(
        matches!(&err, PlanError::UnknownPartner { id, did_you_mean: Some(s), .. } if id == "PLO" && s == "POL"),
        "{err:?}"
    );
    let far_rule = r#"{"classes": ["uas"], "weapons": "tight", "standoff_m": 0, "partners": ["XXXX"]}"#;
    let err = plan(&format!("{square}}}"), far_rule).unwrap_err();
    assert!(
        matches!(
            &err,
            PlanError::UnknownPartner {
                did_you_mean: None,
                ..
            }
        ),
        "{err:?}"
    );

    let err = plan(&format!("{square}}}, {square}}}"), rule).unwrap_err();
    assert!(
        matches!(&err, PlanError::DuplicateId { place, id, first } if place == "zones[1].id" && id == "sq" && first == "zones[0]"),
        "{err:?}"
    );

    let negative = r#"{"classes": ["uas"], "weapons": "tight", "standoff_m": -1}"#;
    let err = plan(&format!("{square}}}"), negative).unwrap_err();
    assert!(
        matches!(&err, PlanError::BadValue { place, .. } if place == "default_rules[0].standoff_m"),
        "{err:?}"
    );

    // A syntax error has its line and column as fields, and still in its message.
    let err = sanctuary::Plan::from_json_str("{\n  \"name\": \"x\",\n  \"phases\": [1]\n}").unwrap_err();
    match &err {
        PlanError::Syntax {
            line,
            column,
            message,
            ..
        } => {
            assert_eq!((*line, *column), (3, 14));
            assert!(!message.contains("at line"), "{message}");
        }
        other => panic!("expected Syntax, got {other:?}"),
    }
    assert!(err.to_string().ends_with("at line 3 column 14"), "{err}");
}
