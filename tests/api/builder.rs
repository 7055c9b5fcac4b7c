//! Plans built in Rust (`Plan::builder`) and the same plans written as plan files: the same
//! hash, the same decisions, the same errors.

use proptest::prelude::*;
use sanctuary::engine::Velocity;
use sanctuary::geometry::{EdgeModel, ZoneGeometry, ZoneKind};
use sanctuary::plan::{
    Identity, PartnerSpec, PlanError, PlanZone, RuleSpec, TargetClass, TimeWindow, WeaponsStatus,
};
use sanctuary::{Engine, Plan, Track};
use serde_json::{json, Value};

fn square(lon: f64, lat: f64, size: f64) -> Vec<[f64; 2]> {
    vec![
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ]
}

/// The two forms must agree: the same hash and the same decisions on `tracks` in every
/// phase, for every partner (and none).
fn assert_same(built: &Plan, text: &str, tracks: &[Track]) {
    let read = Plan::from_json_str(text).unwrap();
    assert_eq!(built.hash(), read.hash());
    assert_eq!(built.phases(), read.phases());
    assert_eq!(built.partners(), read.partners());
    assert_eq!(built.zone_plans(), read.zone_plans());
    assert_eq!(
        serde_json::to_value(built).unwrap(),
        serde_json::to_value(&read).unwrap()
    );
    let (a, b) = (Engine::new(built.clone()), Engine::new(read));
    let mut partners: Vec<Option<&str>> = vec![None];
    partners.extend(built.partners().iter().map(|p| Some(p.id.as_str())));
    for phase in built.phases() {
        for partner in &partners {
            for t in tracks {
                assert_eq!(a.decide(t, &phase.id, *partner), b.decide(t, &phase.id, *partner));
            }
        }
    }
}

fn track(id: &str, lon: f64, lat: f64, alt: f64, class: TargetClass) -> Track {
    Track::new(id, lon, lat, alt, class, Identity::Hostile)
}

#[test]
fn two_phases_a_partner_a_corridor_and_a_no_fire_area() {
    let built = Plan::builder("Example")
        .description("two phases")
        .phase_starting("1", "west", "2027-01-01T00:00:00Z")
        .phase_starting("2", "west and centre", "2027-03-01T00:00:00Z")
        .partner(
            PartnerSpec::new("POL")
                .name("Poland")
                .excluded_classes([TargetClass::MannedAircraft])
                .min_standoff_m(5_000.0),
        )
        .default_rule(
            RuleSpec::new(
                [TargetClass::Uas, TargetClass::CruiseMissile],
                WeaponsStatus::Tight,
                2_000.0,
            )
            .band(Some(0.0), Some(30_000.0)),
        )
        .zone(
            PlanZone::new("west", ZoneGeometry::polygon(vec![square(22.0, 48.0, 3.0)]))
                .name("Western region"),
        )
        .zone(
            PlanZone::new("centre", ZoneGeometry::polygon(vec![square(25.0, 48.0, 3.0)]))
                .active_from("2")
                .rule(
                    RuleSpec::new([TargetClass::Uas], WeaponsStatus::Free, 1_000.0)
                        .from_phase("2")
                        .band(Some(100.0), Some(10_000.0))
                        .partners(["POL"])
                        .window(
                            TimeWindow::weekly(&["mon", "tue", "wed", "thu", "fri"], "06:00", "22:00")
                                .unwrap(),
                        ),
                ),
        )
        .zone(
            PlanZone::new("plant", ZoneGeometry::circle(27.0, 49.5, 20_000.0))
                .band(Some(0.0), Some(20_000.0))
                .active_until("2")
                .window(TimeWindow::interval("2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z").unwrap()),
        )
        .zone(
            PlanZone::new("no-fire", ZoneGeometry::polygon(vec![square(24.0, 49.0, 0.5)]))
                .kind(ZoneKind::Exclusion)
                .edges(EdgeModel::GreatCircle),
        )
        .build()
        .unwrap();
    let text = r#"{
      "name": "Example", "description": "two phases",
      "phases": [
        {"id": "1", "name": "west", "start": "2027-01-01T00:00:00Z"},
        {"id": "2", "name": "west and centre", "start": "2027-03-01T00:00:00Z"}],
      "partners": [{"id": "POL", "name": "Poland", "excluded_classes": ["manned_aircraft"], "min_standoff_m": 5000}],
      "default_rules": [{"classes": ["uas", "cruise_missile"], "weapons": "tight",
                         "floor_m": 0, "ceiling_m": 30000, "standoff_m": 2000}],
      "zones": [
        {"id": "west", "name": "Western region", "geometry": {"type": "Polygon",
          "coordinates": [[[22, 48], [25, 48], [25, 51], [22, 51], [22, 48]]]}},
        {"id": "centre", "geometry": {"type": "Polygon",
          "coordinates": [[[25, 48], [28, 48], [28, 51], [25, 51], [25, 48]]]},
         "active_from": "2",
         "rules": [{"from_phase": "2", "classes": ["uas"], "weapons": "free", "floor_m": 100,
                    "ceiling_m": 10000, "standoff_m": 1000, "partners": ["POL"],
                    "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "06:00", "to": "22:00"}]}]},
        {"id": "plant", "geometry": {"type": "Point", "coordinates": [27, 49.5]}, "radius_m": 20000,
         "floor_m": 0, "ceiling_m": 20000, "active_until": "2",
         "windows": [{"start": "2027-01-01T00:00:00Z", "end": "2027-02-01T00:00:00Z"}]},
        {"id": "no-fire", "kind": "exclusion", "edges": "great_circle",
         "geometry": {"type": "Polygon", "coordinates": [[[24, 49], [24.5, 49], [24.5, 49.5], [24, 49.5], [24, 49]]]}}
      ]}"#;
    let mut moving = track("m", 23.0, 50.0, 800.0, TargetClass::Uas);
    moving.velocity = Some(Velocity {
        speed_mps: 50.0,
        heading_deg: 270.0,
    });
    moving.tti_s = Some(60.0);
    let tracks = [
        track("west", 23.0, 50.0, 800.0, TargetClass::Uas),
        track("edge", 22.01, 50.0, 800.0, TargetClass::Uas),
        track("no-fire", 24.2, 49.2, 800.0, TargetClass::Uas),
        track("centre", 26.5, 50.5, 800.0, TargetClass::Uas),
        track("high", 26.5, 50.5, 20_000.0, TargetClass::Uas),
        track("plant", 27.0, 49.5, 800.0, TargetClass::CruiseMissile),
        track("manned", 23.0, 50.0, 800.0, TargetClass::MannedAircraft),
        track("outside", 35.0, 50.0, 800.0, TargetClass::Uas),
        moving,
    ];
    assert_same(&built, text, &tracks);
    let engine = Engine::new(built);
    assert!(engine.decide(&tracks[0], "1", None).is_permit());
    assert_eq!(
        engine.decide(&tracks[2], "1", None).exclusion.as_deref(),
        Some("no-fire")
    );
}

#[test]
fn a_multipolygon_and_zones_taken_from_validated_zones() {
    let zone = sanctuary::Zone::builder(
        "pair",
        ZoneGeometry::MultiPolygon {
            polygons: vec![vec![square(0.0, 0.0, 1.0)], vec![square(2.0, 0.0, 1.0)]],
        },
    )
    .name("Pair")
    .band(None, Some(5_000.0))
    .build()
    .unwrap();
    // A clockwise ring with a hole: the zone normalises both, the plan file gives them as is.
    let cw_with_hole = vec![
        vec![
            [10.0, 10.0],
            [10.0, 12.0],
            [12.0, 12.0],
            [12.0, 10.0],
            [10.0, 10.0],
        ],
        vec![
            [10.5, 10.5],
            [11.5, 10.5],
            [11.5, 11.5],
            [10.5, 11.5],
            [10.5, 10.5],
        ],
    ];
    let built = Plan::builder("multi")
        .phase("0", "prep")
        .phase("1", "live")
        .zone(
            PlanZone::from(&zone)
                .rule(RuleSpec::new([TargetClass::Uas], WeaponsStatus::Tight, 0.0).until_phase("1"))
                .rule(RuleSpec::new([TargetClass::Unknown], WeaponsStatus::Free, 500.0).from_phase("1")),
        )
        .zone(PlanZone::new("ring", ZoneGeometry::polygon(cw_with_hole)).rules([]))
        .build()
        .unwrap();
    let text = r#"{"name": "multi", "phases": [{"id": "0", "name": "prep"}, {"id": "1", "name": "live"}],
      "zones": [
        {"id": "pair", "name": "Pair", "ceiling_m": 5000, "geometry": {"type": "MultiPolygon", "coordinates": [
          [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]], [[[2, 0], [3, 0], [3, 1], [2, 1], [2, 0]]]]},
         "rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0, "until_phase": "1"},
                   {"classes": ["unknown"], "weapons": "free", "standoff_m": 500, "from_phase": "1"}]},
        {"id": "ring", "rules": [], "geometry": {"type": "Polygon", "coordinates": [
          [[10, 10], [10, 12], [12, 12], [12, 10], [10, 10]],
          [[10.5, 10.5], [11.5, 10.5], [11.5, 11.5], [10.5, 11.5], [10.5, 10.5]]]}}]}"#;
    let tracks = [
        track("a", 0.5, 0.5, 100.0, TargetClass::Uas),
        track("b", 2.5, 0.5, 100.0, TargetClass::Unknown),
        track("gap", 1.5, 0.5, 100.0, TargetClass::Uas),
        track("hole", 11.0, 11.0, 100.0, TargetClass::Uas),
        track("ring", 10.2, 10.2, 100.0, TargetClass::Uas),
        track("high", 0.5, 0.5, 6_000.0, TargetClass::Uas),
    ];
    assert_same(&built, text, &tracks);
}

#[test]
fn exclusions_only_and_a_serialised_plan_read_back() {
    let built = Plan::builder("x")
        .phase("a", "only")
        .zone(PlanZone::new("c", ZoneGeometry::circle(-70.0, -33.0, 1_500.5)).kind(ZoneKind::Exclusion))
        .build()
        .unwrap();
    let text = r#"{"name": "x", "phases": [{"id": "a", "name": "only"}], "zones": [{"id": "c", "kind": "exclusion",
      "geometry": {"type": "Point", "coordinates": [-70, -33]}, "radius_m": 1500.5}]}"#;
    assert_same(&built, text, &[track("t", -70.0, -33.0, 0.0, TargetClass::Uas)]);
    // The safe haven plan, written out and rebuilt zone by zone from its own parts.
    let haven = Plan::safe_haven().unwrap();
    let written = serde_json::to_string(&haven).unwrap();
    assert_eq!(Plan::from_json_str(&written).unwrap().hash(), haven.hash());
}

// ---------------------------------------------------------------------------------------
// Errors.

/// The same error both ways: same variant, place and message (`PlanError` holds I/O errors
/// and is not `PartialEq`; its `Debug` form shows every field).
fn assert_same_error(built: Result<Plan, PlanError>, text: &str) {
    let built = built.expect_err("the builder accepted a bad plan");
    let read = Plan::from_json_str(text).expect_err("the plan file was accepted");
    assert_eq!(format!("{built:?}"), format!("{read:?}"));
    assert_eq!(built.to_string(), read.to_string());
    assert_eq!(built.place(), read.place());
}

fn base() -> sanctuary::plan::PlanBuilder {
    Plan::builder("x")
        .phase("0", "prep")
        .phase("1", "live")
        .partner(PartnerSpec::new("POL"))
}

fn base_text(default_rules: &str, zones: &str) -> String {
    format!(
        r#"{{"name": "x", "phases": [{{"id": "0", "name": "prep"}}, {{"id": "1", "name": "live"}}],
        "partners": [{{"id": "POL"}}], "default_rules": [{default_rules}], "zones": [{zones}]}}"#
    )
}

fn circle(id: &str) -> PlanZone {
    PlanZone::new(id, ZoneGeometry::circle(0.0, 0.0, 500.0))
}

fn circle_text(id: &str, extra: &str) -> String {
    format!(
        r#"{{"id": "{id}", "geometry": {{"type": "Point", "coordinates": [0, 0]}}, "radius_m": 500{extra}}}"#
    )
}

fn uas(standoff_m: f64) -> RuleSpec {
    RuleSpec::new([TargetClass::Uas], WeaponsStatus::Tight, standoff_m)
}

const UAS: &str = r#"{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}"#;

#[test]
fn bad_phase_references_are_the_same_errors() {
    // A default rule's from_phase.
    assert_same_error(
        base()
            .default_rule(uas(0.0).from_phase("9"))
            .zone(circle("c"))
            .build(),
        &base_text(
            r#"{"classes": ["uas"], "weapons": "tight", "standoff_m": 0, "from_phase": "9"}"#,
            &circle_text("c", ""),
        ),
    );
    // A zone rule's until_phase, and one not after from_phase.
    assert_same_error(
        base()
            .zone(circle("c").rule(uas(0.0)).rule(uas(0.0).until_phase("nope")))
            .build(),
        &base_text(
            "",
            &circle_text(
                "c",
                &format!(
                    r#", "rules": [{UAS}, {}]"#,
                    r#"{"classes": ["uas"], "weapons": "tight", "standoff_m": 0, "until_phase": "nope"}"#
                ),
            ),
        ),
    );
    assert_same_error(
        base()
            .zone(circle("c").rule(uas(0.0).from_phase("1").until_phase("0")))
            .build(),
        &base_text(
            "",
            &circle_text(
                "c",
                r#", "rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0, "from_phase": "1", "until_phase": "0"}]"#,
            ),
        ),
    );
    // A zone's active_from / active_until.
    assert_same_error(
        base()
            .default_rule(uas(0.0))
            .zone(circle("a"))
            .zone(circle("c").active_from("7"))
            .build(),
        &base_text(
            UAS,
            &format!(
                "{}, {}",
                circle_text("a", ""),
                circle_text("c", r#", "active_from": "7""#)
            ),
        ),
    );
    assert_same_error(
        base()
            .default_rule(uas(0.0))
            .zone(circle("c").active_from("1").active_until("1"))
            .build(),
        &base_text(
            UAS,
            &circle_text("c", r#", "active_from": "1", "active_until": "1""#),
        ),
    );
    // An unknown partner in a rule.
    assert_same_error(
        base()
            .default_rule(uas(0.0).partners(["FRA"]))
            .zone(circle("c"))
            .build(),
        &base_text(
            r#"{"classes": ["uas"], "weapons": "tight", "standoff_m": 0, "partners": ["FRA"]}"#,
            &circle_text("c", ""),
        ),
    );
}

#[test]
fn bad_standoffs_are_the_same_errors() {
    for (standoff, literal) in [(-1.0, "-1"), (1e300, "1e300"), (1_000_000.5, "1000000.5")] {
        assert_same_error(
            base().default_rule(uas(standoff)).zone(circle("c")).build(),
            &base_text(
                &format!(r#"{{"classes": ["uas"], "weapons": "tight", "standoff_m": {literal}}}"#),
                &circle_text("c", ""),
            ),
        );
        assert_same_error(
            base()
                .zone(circle("c").rule(uas(0.0)).rule(uas(standoff)))
                .build(),
            &base_text(
                "",
                &circle_text(
                    "c",
                    &format!(
                        r#", "rules": [{UAS}, {{"classes": ["uas"], "weapons": "tight", "standoff_m": {literal}}}]"#
                    ),
                ),
            ),
        );
        assert_same_error(
            Plan::builder("x")
                .phase("0", "prep")
                .phase("1", "live")
                .partner(PartnerSpec::new("POL").min_standoff_m(standoff))
                .default_rule(uas(0.0))
                .zone(circle("c"))
                .build(),
            &format!(
                r#"{{"name": "x", "phases": [{{"id": "0", "name": "prep"}}, {{"id": "1", "name": "live"}}],
                "partners": [{{"id": "POL", "min_standoff_m": {literal}}}], "default_rules": [{UAS}], "zones": [{}]}}"#,
                circle_text("c", "")
            ),
        );
    }
    // Not a number: the builder reaches validation, the file cannot even hold it.
    let err = base()
        .default_rule(uas(f64::NAN))
        .zone(circle("c"))
        .build()
        .unwrap_err();
    assert_eq!(err.place(), Some("default_rules[0].standoff_m"));
}

#[test]
fn duplicate_ids_are_the_same_errors() {
    assert_same_error(
        base()
            .default_rule(uas(0.0))
            .zone(circle("c"))
            .zone(circle("d"))
            .zone(circle("c"))
            .build(),
        &base_text(
            UAS,
            &format!(
                "{}, {}, {}",
                circle_text("c", ""),
                circle_text("d", ""),
                circle_text("c", "")
            ),
        ),
    );
    assert_same_error(
        base()
            .phase("0", "again")
            .default_rule(uas(0.0))
            .zone(circle("c"))
            .build(),
        &format!(
            r#"{{"name": "x", "phases": [{{"id": "0", "name": "prep"}}, {{"id": "1", "name": "live"}}, {{"id": "0", "name": "again"}}],
            "partners": [{{"id": "POL"}}], "default_rules": [{UAS}], "zones": [{}]}}"#,
            circle_text("c", "")
        ),
    );
    assert_same_error(
        base()
            .partner(PartnerSpec::new("POL"))
            .default_rule(uas(0.0))
            .zone(circle("c"))
            .build(),
        &format!(
            r#"{{"name": "x", "phases": [{{"id": "0", "name": "prep"}}, {{"id": "1", "name": "live"}}],
            "partners": [{{"id": "POL"}}, {{"id": "POL"}}], "default_rules": [{UAS}], "zones": [{}]}}"#,
            circle_text("c", "")
        ),
    );
}

#[test]
fn other_validation_errors_are_the_same() {
    // No phase, no zone.
    assert_same_error(
        Plan::builder("x").build(),
        r#"{"name": "x", "phases": [], "zones": []}"#,
    );
    assert_same_error(base().build(), &base_text("", ""));
    // An exclusion with rules; a sanctuary without any.
    assert_same_error(
        base()
            .zone(circle("c").kind(ZoneKind::Exclusion).rule(uas(0.0)))
            .build(),
        &base_text(
            "",
            &circle_text(
                "c",
                r#", "kind": "exclusion", "rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}]"#,
            ),
        ),
    );
    assert_same_error(
        base().zone(circle("c")).build(),
        &base_text("", &circle_text("c", "")),
    );
    // A bad zone geometry, a bad band, a rule without classes, an invalid id.
    assert_same_error(
        base()
            .default_rule(uas(0.0))
            .zone(PlanZone::new("c", ZoneGeometry::circle(0.0, 0.0, -5.0)))
            .build(),
        &base_text(
            UAS,
            r#"{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": -5}"#,
        ),
    );
    assert_same_error(
        base()
            .default_rule(uas(0.0))
            .zone(PlanZone::new(
                "c",
                ZoneGeometry::polygon(vec![vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]]),
            ))
            .build(),
        &base_text(
            UAS,
            r#"{"id": "c", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}}"#,
        ),
    );
    assert_same_error(
        base()
            .default_rule(uas(0.0))
            .zone(circle("c").band(Some(500.0), Some(100.0)))
            .build(),
        &base_text(UAS, &circle_text("c", r#", "floor_m": 500, "ceiling_m": 100"#)),
    );
    assert_same_error(
        base()
            .default_rule(RuleSpec::new([], WeaponsStatus::Free, 0.0))
            .zone(circle("c"))
            .build(),
        &base_text(
            r#"{"classes": [], "weapons": "free", "standoff_m": 0}"#,
            &circle_text("c", ""),
        ),
    );
    assert_same_error(
        base().default_rule(uas(0.0)).zone(circle("")).build(),
        &base_text(UAS, &circle_text("", "")),
    );
    // Phase starts: not RFC 3339, going back, given for some phases only.
    assert_same_error(
        Plan::builder("x")
            .phase_starting("0", "a", "soon")
            .zone(circle("c"))
            .build(),
        &format!(
            r#"{{"name": "x", "phases": [{{"id": "0", "name": "a", "start": "soon"}}], "zones": [{}]}}"#,
            circle_text("c", "")
        ),
    );
    assert_same_error(
        Plan::builder("x")
            .phase_starting("0", "a", "2027-02-01T00:00:00Z")
            .phase_starting("1", "b", "2027-01-01T00:00:00Z")
            .zone(circle("c"))
            .build(),
        &format!(
            r#"{{"name": "x", "phases": [{{"id": "0", "name": "a", "start": "2027-02-01T00:00:00Z"}},
            {{"id": "1", "name": "b", "start": "2027-01-01T00:00:00Z"}}], "zones": [{}]}}"#,
            circle_text("c", "")
        ),
    );
    assert_same_error(
        Plan::builder("x")
            .phase("0", "a")
            .phase_starting("1", "b", "2027-01-01T00:00:00Z")
            .zone(circle("c"))
            .build(),
        &format!(
            r#"{{"name": "x", "phases": [{{"id": "0", "name": "a"}}, {{"id": "1", "name": "b", "start": "2027-01-01T00:00:00Z"}}], "zones": [{}]}}"#,
            circle_text("c", "")
        ),
    );
}

#[test]
fn bad_window_values_are_refused_with_their_place() {
    // An empty interval, no day, a time of day past midnight, a year beyond 9999.
    let bad = [
        TimeWindow::Interval {
            start_unix_s: 10,
            end_unix_s: 10,
        },
        TimeWindow::Weekly {
            days: 0,
            start_minute: 0,
            end_minute: 60,
        },
        TimeWindow::Weekly {
            days: 1,
            start_minute: 0,
            end_minute: 1_440,
        },
        TimeWindow::Weekly {
            days: 0xff,
            start_minute: 0,
            end_minute: 60,
        },
        TimeWindow::Interval {
            start_unix_s: 0,
            end_unix_s: i64::MAX,
        },
    ];
    for w in bad {
        let err = base()
            .default_rule(uas(0.0))
            .zone(circle("c").window(w.clone()))
            .build()
            .unwrap_err();
        assert!(matches!(err, PlanError::BadValue { .. }), "{w:?}: {err:?}");
        assert_eq!(err.place(), Some("zones[0].windows[0]"), "{w:?}");
        let err = base()
            .default_rule(uas(0.0).window(w.clone()))
            .zone(circle("c"))
            .build()
            .unwrap_err();
        assert_eq!(err.place(), Some("default_rules[0].windows[0]"), "{w:?}");
    }
    // The ones the file can write give the file's errors.
    assert_same_error(
        base()
            .default_rule(uas(0.0))
            .zone(circle("c").window(TimeWindow::Interval {
                start_unix_s: 10,
                end_unix_s: 10,
            }))
            .build(),
        &base_text(
            UAS,
            &circle_text(
                "c",
                r#", "windows": [{"start": "1970-01-01T00:00:10Z", "end": "1970-01-01T00:00:10Z"}]"#,
            ),
        ),
    );
    assert_same_error(
        base()
            .default_rule(uas(0.0))
            .zone(circle("c").window(TimeWindow::Weekly {
                days: 0,
                start_minute: 0,
                end_minute: 60,
            }))
            .build(),
        &base_text(
            UAS,
            &circle_text(
                "c",
                r#", "windows": [{"days": [], "from": "00:00", "to": "01:00"}]"#,
            ),
        ),
    );
}

// ---------------------------------------------------------------------------------------
// Random small plans, both ways.

#[derive(Debug, Clone)]
struct RandomRule {
    classes: Vec<TargetClass>,
    weapons: WeaponsStatus,
    standoff_m: f64,
    from: Option<usize>,
    until: Option<usize>,
    band: (Option<f64>, Option<f64>),
}

#[derive(Debug, Clone)]
struct RandomZone {
    id: usize,
    circle: bool,
    lon: f64,
    lat: f64,
    size: f64,
    exclusion: bool,
    great_circle: bool,
    from: Option<usize>,
    until: Option<usize>,
    rules: Option<Vec<RandomRule>>,
}

const CLASSES: [TargetClass; 5] = [
    TargetClass::CruiseMissile,
    TargetClass::BallisticMissile,
    TargetClass::Uas,
    TargetClass::MannedAircraft,
    TargetClass::Unknown,
];
const WEAPONS: [WeaponsStatus; 3] = [WeaponsStatus::Hold, WeaponsStatus::Tight, WeaponsStatus::Free];

fn class_name(c: TargetClass) -> Value {
    serde_json::to_value(c).unwrap()
}

fn rule_strategy() -> impl Strategy<Value = RandomRule> {
    // Mostly valid rules, sometimes not: an unknown phase, a bad standoff, no class, a
    // floor above the ceiling.
    (
        prop_oneof![
            9 => proptest::sample::subsequence(CLASSES.to_vec(), 1..=3),
            1 => Just(Vec::new()),
        ],
        proptest::sample::select(WEAPONS.to_vec()),
        prop_oneof![3 => Just(0.0), 6 => 0.0..20_000.0, 1 => Just(-1.0)],
        proptest::option::weighted(0.3, 0usize..4),
        proptest::option::weighted(0.15, 0usize..4),
        (
            proptest::option::of(prop_oneof![9 => -100.0..5_000.0f64, 1 => 15_000.0..20_000.0f64]),
            proptest::option::of(5_000.0..20_000.0f64),
        ),
    )
        .prop_map(|(classes, weapons, standoff_m, from, until, band)| RandomRule {
            classes,
            weapons,
            standoff_m,
            from,
            until,
            band,
        })
}

fn zone_strategy() -> impl Strategy<Value = RandomZone> {
    (
        0usize..5,
        any::<bool>(),
        -170.0..170.0f64,
        -70.0..70.0f64,
        0.001..3.0f64,
        proptest::bool::weighted(0.2),
        any::<bool>(),
        proptest::option::weighted(0.3, 0usize..4),
        proptest::option::weighted(0.15, 0usize..4),
        proptest::option::weighted(0.3, proptest::collection::vec(rule_strategy(), 0..3)),
    )
        .prop_map(
            |(id, circle, lon, lat, size, exclusion, great_circle, from, until, rules)| RandomZone {
                // An exclusion with rules is refused: now and then only.
                rules: rules.filter(|r| !exclusion || r.len() == 1),
                id,
                circle,
                lon,
                lat,
                size,
                exclusion,
                great_circle,
                from,
                until,
            },
        )
}

/// Phase `i` is called `p{i}`; ids beyond the plan's phases are unknown references.
fn phase_id(i: usize) -> String {
    format!("p{i}")
}

fn rule_spec(r: &RandomRule) -> RuleSpec {
    let mut spec = RuleSpec::new(r.classes.iter().copied(), r.weapons, r.standoff_m).band(r.band.0, r.band.1);
    if let Some(f) = r.from {
        spec = spec.from_phase(phase_id(f));
    }
    if let Some(u) = r.until {
        spec = spec.until_phase(phase_id(u));
    }
    spec
}

fn rule_json(r: &RandomRule) -> Value {
    let mut v = json!({
        "classes": r.classes.iter().map(|c| class_name(*c)).collect::<Vec<_>>(),
        "weapons": serde_json::to_value(r.weapons).unwrap(),
        "standoff_m": r.standoff_m,
    });
    let obj = v.as_object_mut().unwrap();
    if let Some(f) = r.from {
        obj.insert("from_phase".into(), json!(phase_id(f)));
    }
    if let Some(u) = r.until {
        obj.insert("until_phase".into(), json!(phase_id(u)));
    }
    if let Some(f) = r.band.0 {
        obj.insert("floor_m".into(), json!(f));
    }
    if let Some(c) = r.band.1 {
        obj.insert("ceiling_m".into(), json!(c));
    }
    v
}

fn zone_geometry(z: &RandomZone) -> ZoneGeometry {
    if z.circle {
        ZoneGeometry::circle(z.lon, z.lat, z.size * 10_000.0)
    } else {
        ZoneGeometry::polygon(vec![square(z.lon, z.lat, z.size)])
    }
}

fn zone_spec(z: &RandomZone) -> PlanZone {
    let mut spec = PlanZone::new(format!("z{}", z.id), zone_geometry(z))
        .kind(if z.exclusion {
            ZoneKind::Exclusion
        } else {
            ZoneKind::Sanctuary
        })
        .edges(if z.great_circle {
            EdgeModel::GreatCircle
        } else {
            EdgeModel::PlateCarree
        });
    if let Some(f) = z.from {
        spec = spec.active_from(phase_id(f));
    }
    if let Some(u) = z.until {
        spec = spec.active_until(phase_id(u));
    }
    if let Some(rules) = &z.rules {
        spec = spec.rules(rules.iter().map(rule_spec));
    }
    spec
}

fn zone_json(z: &RandomZone) -> Value {
    let mut v = json!({
        "id": format!("z{}", z.id),
        "kind": if z.exclusion { "exclusion" } else { "sanctuary" },
        "edges": if z.great_circle { "great_circle" } else { "plate_carree" },
    });
    let obj = v.as_object_mut().unwrap();
    if z.circle {
        obj.insert(
            "geometry".into(),
            json!({"type": "Point", "coordinates": [z.lon, z.lat]}),
        );
        obj.insert("radius_m".into(), json!(z.size * 10_000.0));
    } else {
        obj.insert(
            "geometry".into(),
            json!({"type": "Polygon", "coordinates": [square(z.lon, z.lat, z.size)]}),
        );
    }
    if let Some(f) = z.from {
        obj.insert("active_from".into(), json!(phase_id(f)));
    }
    if let Some(u) = z.until {
        obj.insert("active_until".into(), json!(phase_id(u)));
    }
    if let Some(rules) = &z.rules {
        obj.insert(
            "rules".into(),
            Value::Array(rules.iter().map(rule_json).collect()),
        );
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A random small plan (boxes and circles, phases, default and own rules, some of them
    /// invalid), built and written: the same hash and decisions, or the same error.
    #[test]
    fn builder_and_plan_file_agree(
        phases in 1usize..5,
        defaults in prop_oneof![1 => Just(Vec::new()), 4 => proptest::collection::vec(rule_strategy(), 1..3)],
        zones in proptest::collection::vec(zone_strategy(), 1..4),
        probes in proptest::collection::vec((-1.0..1.0f64, -1.0..1.0f64, 0.0..6_000.0f64), 1..4),
    ) {
        let mut builder = Plan::builder("random");
        for i in 0..phases {
            builder = builder.phase(phase_id(i), format!("phase {i}"));
        }
        for r in &defaults {
            builder = builder.default_rule(rule_spec(r));
        }
        for z in &zones {
            builder = builder.zone(zone_spec(z));
        }
        let text = json!({
            "name": "random",
            "phases": (0..phases).map(|i| json!({"id": phase_id(i), "name": format!("phase {i}")})).collect::<Vec<_>>(),
            "default_rules": defaults.iter().map(rule_json).collect::<Vec<_>>(),
            "zones": zones.iter().map(zone_json).collect::<Vec<_>>(),
        })
        .to_string();
        match (builder.build(), Plan::from_json_str(&text)) {
            (Ok(built), Ok(read)) => {
                prop_assert_eq!(built.hash(), read.hash());
                let (a, b) = (Engine::new(built), Engine::new(read));
                for z in &zones {
                    for &(dx, dy, alt) in &probes {
                        let t = track("t", z.lon + dx * z.size, z.lat + dy * z.size, alt, TargetClass::Uas);
                        for p in 0..phases {
                            prop_assert_eq!(a.decide(&t, phase_id(p), None), b.decide(&t, phase_id(p), None));
                        }
                    }
                }
            }
            (Err(built), Err(read)) => prop_assert_eq!(format!("{built:?}"), format!("{read:?}")),
            (built, read) => prop_assert!(false, "built: {:?}\nread: {:?}", built.map(|p| p.hash().to_string()), read.map(|p| p.hash().to_string())),
        }
    }
}
