//! Plan linting: the Safe Haven plan with its neighbours is clean; one small plan per
//! finding kind triggers exactly that finding.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failed expectation is a test failure (clippy.toml only covers #[test] fns)"
)]

use sanctuary::{
    geojson::zones_from_geojson_file,
    geometry::{ZoneGeometry, ZoneKind},
    lint::{Finding, FindingKind},
    Plan, Zone,
};
use serde_json::{json, Value};
use std::path::Path;

fn neighbours() -> Vec<Zone> {
    zones_from_geojson_file(concat!(env!("CARGO_MANIFEST_DIR"), "/data/neighbours.geojson")).unwrap()
}

fn boxed(lon0: f64, lat0: f64, lon1: f64, lat1: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]]})
}

fn rule(standoff_m: f64) -> Value {
    json!({"classes": ["uas"], "weapons": "tight", "floor_m": 0, "ceiling_m": 10000, "standoff_m": standoff_m})
}

/// Three phases, one default rule (2 km standoff) and the given zones.
fn plan(zones: Value) -> Plan {
    let text = json!({
        "name": "lint",
        "phases": [{"id": "0", "name": "a"}, {"id": "1", "name": "b"}, {"id": "2", "name": "c"}],
        "partners": [{"id": "P1", "excluded_classes": ["uas"]}],
        "default_rules": [rule(2000.0)],
        "zones": zones
    });
    Plan::from_json_str(&text.to_string()).unwrap_or_else(|e| panic!("test plan invalid: {e}"))
}

fn area(id: &str, geometry: ZoneGeometry) -> Zone {
    Zone::builder(id, geometry)
        .kind(ZoneKind::Exclusion)
        .build()
        .unwrap()
}

fn area_box(id: &str, lon0: f64, lat0: f64, lon1: f64, lat1: f64) -> Zone {
    area(
        id,
        ZoneGeometry::polygon(vec![vec![
            [lon0, lat0],
            [lon1, lat0],
            [lon1, lat1],
            [lon0, lat1],
            [lon0, lat0],
        ]]),
    )
}

fn only(findings: &[Finding], kind: FindingKind, place: &str) {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].kind, kind, "{findings:#?}");
    assert_eq!(findings[0].place, place, "{findings:#?}");
    assert!(!findings[0].message.is_empty());
}

#[test]
fn safe_haven_with_neighbours_is_clean() {
    let plan = Plan::safe_haven().unwrap();
    let findings = plan.check(&neighbours());
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn a_clean_plan_has_no_findings() {
    let p = plan(json!([{"id": "A", "geometry": boxed(20.0, 48.0, 25.0, 50.0)}]));
    assert!(p.check(&[]).is_empty());
    // Sharing a border, touching at a corner, or lying far away is not an overlap.
    let areas = [
        area_box("east", 25.0, 48.0, 30.0, 50.0),
        area_box("corner", 25.0, 50.0, 26.0, 51.0),
        area_box("south-edge-part", 21.0, 47.0, 22.0, 48.0),
        area_box("far", 40.0, 40.0, 41.0, 41.0),
        // A circle touching the west edge from outside: centre 1 km west of 20°E.
        area("touching-circle", ZoneGeometry::circle(19.9, 49.0, 1.0)),
    ];
    assert!(p.check(&areas).is_empty(), "{:#?}", p.check(&areas));
}

#[test]
fn a_sanctuary_overlapping_a_never_engage_area_is_found() {
    let p = plan(json!([{"id": "A", "geometry": boxed(20.0, 48.0, 25.0, 50.0)}]));
    only(
        &p.check(&[area_box("X", 24.0, 49.0, 26.0, 51.0)]),
        FindingKind::OverlapsNeverEngage,
        "zones[id=A]",
    );
    // Entirely inside, with no edge crossing.
    only(
        &p.check(&[area_box("in", 21.0, 48.5, 22.0, 49.0)]),
        FindingKind::OverlapsNeverEngage,
        "zones[id=A]",
    );
    // Sharing the whole south edge and reaching inside.
    only(
        &p.check(&[area_box("half", 20.0, 48.0, 25.0, 49.0)]),
        FindingKind::OverlapsNeverEngage,
        "zones[id=A]",
    );
    // Identical.
    only(
        &p.check(&[area_box("same", 20.0, 48.0, 25.0, 50.0)]),
        FindingKind::OverlapsNeverEngage,
        "zones[id=A]",
    );
    // A circle reaching 0.1 degree (about 7 km) past the west edge.
    let circle = area("c", ZoneGeometry::circle(19.9, 49.0, 15_000.0));
    only(
        &p.check(&[circle]),
        FindingKind::OverlapsNeverEngage,
        "zones[id=A]",
    );

    // Circular sanctuaries: against a polygon and against a circle.
    let p = plan(
        json!([{"id": "C", "geometry": {"type": "Point", "coordinates": [30.0, 50.0]}, "radius_m": 10000}]),
    );
    only(
        &p.check(&[area_box("X", 30.1, 49.0, 31.0, 51.0)]),
        FindingKind::OverlapsNeverEngage,
        "zones[id=C]",
    );
    assert!(p.check(&[area_box("X", 30.2, 49.0, 31.0, 51.0)]).is_empty());
    let near = area("near", ZoneGeometry::circle(30.0, 50.2, 15_000.0));
    only(&p.check(&[near]), FindingKind::OverlapsNeverEngage, "zones[id=C]");
    let apart = area("apart", ZoneGeometry::circle(30.0, 50.3, 15_000.0));
    assert!(p.check(&[apart]).is_empty());
}

#[test]
fn real_borders_touch_but_do_not_overlap() {
    // Poland declared as a sanctuary overlaps Poland, and only Poland: its shared borders
    // with Belarus, Slovakia and Russia (Kaliningrad) are touching, not overlap.
    let text = json!({
        "name": "poland", "phases": [{"id": "0", "name": "a"}], "default_rules": [rule(2000.0)],
        "zones": [{"id": "PL", "source": {"file": "neighbours.geojson", "feature": "POL"}}]
    });
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data"));
    let p = Plan::from_json_str_in(&text.to_string(), dir).unwrap();
    let findings = p.check(&neighbours());
    only(&findings, FindingKind::OverlapsNeverEngage, "zones[id=PL]");
    assert!(findings[0].message.contains("`POL`"), "{}", findings[0].message);
}

#[test]
fn a_shrinking_sanctuary_set_is_found() {
    let p = plan(json!([
        {"id": "A", "geometry": boxed(20.0, 48.0, 25.0, 50.0), "active_until": "2"},
        {"id": "B", "geometry": boxed(25.0, 48.0, 30.0, 50.0)}
    ]));
    let findings = p.check(&[]);
    only(&findings, FindingKind::ZonesShrink, "phases[2]");
    assert!(findings[0].message.contains("`A`"));
}

#[test]
fn a_rule_outside_the_zones_activation_is_found() {
    let mut r = rule(2000.0);
    r["from_phase"] = json!("1");
    let p = plan(json!([
        {"id": "A", "geometry": boxed(20.0, 48.0, 25.0, 50.0), "rules": [rule(2000.0), r]},
        {"id": "B", "geometry": boxed(25.0, 48.0, 30.0, 50.0), "active_until": "1", "rules": [r]}
    ]));
    // Phase 0 -> 1 also shrinks (B ends): that is the other finding.
    let findings: Vec<_> = p
        .check(&[])
        .into_iter()
        .filter(|f| f.kind != FindingKind::ZonesShrink)
        .collect();
    only(
        &findings,
        FindingKind::RuleNeverApplies,
        "zones[id=B].rules[0].from_phase",
    );
}

#[test]
fn a_rule_whose_band_misses_the_zones_band_is_found() {
    let p = plan(json!([
        {"id": "A", "geometry": boxed(20.0, 48.0, 25.0, 50.0), "floor_m": 12000, "ceiling_m": 20000}
    ]));
    only(
        &p.check(&[]),
        FindingKind::RuleNeverApplies,
        "zones[id=A].rules[0].floor_m",
    );
}

#[test]
fn a_rule_no_partner_can_use_is_found() {
    let mut r = rule(2000.0);
    r["partners"] = json!(["P1"]);
    let p = plan(json!([{"id": "A", "geometry": boxed(20.0, 48.0, 25.0, 50.0), "rules": [r]}]));
    only(
        &p.check(&[]),
        FindingKind::RuleNeverApplies,
        "zones[id=A].rules[0].partners",
    );
}

#[test]
fn a_zone_no_reachable_phase_activates_is_found() {
    // Phases 0 and 1 start together: phase 0 is never in force, so an exclusion active
    // only in phase 0 never is either.
    let text = json!({
        "name": "lint",
        "phases": [
            {"id": "0", "name": "a", "start": "2027-01-01T00:00:00Z"},
            {"id": "1", "name": "b", "start": "2027-01-01T00:00:00Z"},
            {"id": "2", "name": "c", "start": "2027-02-01T00:00:00Z"}
        ],
        "default_rules": [rule(2000.0)],
        "zones": [
            {"id": "A", "geometry": boxed(20.0, 48.0, 25.0, 50.0)},
            {"id": "X", "kind": "exclusion", "geometry": boxed(21.0, 48.5, 22.0, 49.0), "active_until": "1"}
        ]
    });
    let p = Plan::from_json_str(&text.to_string()).unwrap();
    only(&p.check(&[]), FindingKind::ZoneNeverActive, "zones[id=X]");
}

#[test]
fn a_standoff_the_zone_cannot_hold_is_found() {
    // A 0.1 x 0.1 degree box at 48 N is about 7.4 km wide: its deepest point is about
    // 3.7 km from the edge.
    let small = boxed(20.0, 48.0, 20.1, 48.1);
    let p = plan(json!([{"id": "S", "geometry": small, "rules": [rule(5000.0)]}]));
    only(
        &p.check(&[]),
        FindingKind::StandoffTooLarge,
        "zones[id=S].rules[0].standoff_m",
    );
    let p = plan(json!([{"id": "S", "geometry": small, "rules": [rule(3000.0)]}]));
    assert!(p.check(&[]).is_empty(), "{:#?}", p.check(&[]));

    // A circle holds exactly its radius: at its centre a standoff equal to the radius is
    // met (the engine permits a margin equal to the standoff), a larger one is not.
    let c = json!({"type": "Point", "coordinates": [30.0, 50.0]});
    let p = plan(json!([{"id": "C", "geometry": c, "radius_m": 1999}]));
    only(
        &p.check(&[]),
        FindingKind::StandoffTooLarge,
        "zones[id=C].rules[0].standoff_m",
    );
    let p = plan(json!([{"id": "C", "geometry": c, "radius_m": 2000}]));
    assert!(p.check(&[]).is_empty());

    // A narrow diagonal corridor 0.02 degrees across: sampling still finds its middle.
    let corridor = json!({"type": "Polygon", "coordinates": [[[30.0, 46.0], [31.0, 46.98], [31.0, 47.0], [30.0, 46.02], [30.0, 46.0]]]});
    let p = plan(json!([{"id": "K", "geometry": corridor, "rules": [rule(600.0)]}]));
    assert!(p.check(&[]).is_empty(), "{:#?}", p.check(&[]));
    let p = plan(json!([{"id": "K", "geometry": corridor, "rules": [rule(1000.0)]}]));
    only(
        &p.check(&[]),
        FindingKind::StandoffTooLarge,
        "zones[id=K].rules[0].standoff_m",
    );
}
