//! Regression tests: one `#[test]` per bug found by the differential oracle
//! (`tests/engine_oracle`) or by fuzzing (`fuzz/`), each the smallest case that shows it.
//!
//! Tests of bugs not yet fixed in the engine are `#[ignore]`d with the bug named, so the
//! suite stays green meanwhile: `cargo test --test regress -- --ignored` runs them; remove
//! the `ignore` with the fix.

// Test code: a failed expectation should stop the test with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use sanctuary::{
    engine::MARGIN_HORIZON_M,
    plan::{Identity, TargetClass},
    Engine, Plan, Reason, Track,
};
use serde_json::{json, Value};

fn boxed(lon0: f64, lat0: f64, lon1: f64, lat1: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]]})
}

fn engine(plan: &Value) -> Engine {
    match Plan::from_json_str(&plan.to_string()) {
        Ok(p) => Engine::new(p),
        Err(e) => panic!("regression plan invalid: {e}"),
    }
}

fn drone(lon: f64, lat: f64) -> Track {
    Track::new("t", lon, lat, 1000.0, TargetClass::Uas, Identity::Hostile)
}

/// A plan of sanctuaries `(id, box, active_from, active_until)` sharing one rule: uas,
/// weapons tight, 2 km standoff.
fn plan(zones: &[(&str, Value, &str, Option<&str>)]) -> Value {
    let zones: Vec<Value> = zones
        .iter()
        .map(|(id, geometry, from, until)| {
            let mut z = json!({"id": id, "geometry": geometry, "active_from": from});
            if let Some(u) = until {
                z["active_until"] = json!(u);
            }
            z
        })
        .collect();
    json!({
        "name": "regress",
        "phases": [{"id": "0", "name": "zero"}, {"id": "1", "name": "one"}],
        "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 2000}],
        "zones": zones,
    })
}

/// Bug: when every rule of a zone refuses, `Decision::reasons` should be the reasons of
/// the rule(s) with the fewest failing checks. The engine compares each rule's count with
/// the size of the union gathered so far, so after two 1-check rules tie (union of 2), a
/// later 2-check rule also "ties" and its reasons are added; in the other rule order the
/// answer differs.
#[test]
fn closest_rule_reasons_are_those_of_the_fewest_failing_checks_in_any_rule_order() {
    let rules = vec![
        // Fails 1 check: weapons hold.
        json!({"classes": ["uas"], "weapons": "hold", "standoff_m": 0}),
        // Fails 1 check: class.
        json!({"classes": ["cruise_missile"], "weapons": "free", "standoff_m": 0}),
        // Fails 2 checks: class and altitude.
        json!({"classes": ["cruise_missile"], "weapons": "free", "ceiling_m": 100, "standoff_m": 0}),
    ];
    let mut p = plan(&[("A", boxed(20.0, 48.0, 25.0, 50.0), "0", None)]);
    let t = drone(22.5, 49.0);
    let want = vec![Reason::ClassNotAuthorised, Reason::WeaponsHold];
    p["zones"][0]["rules"] = json!(rules);
    assert_eq!(engine(&p).decide(&t, "0", None).reasons, want, "rules in order");
    let reversed: Vec<Value> = rules.into_iter().rev().collect();
    p["zones"][0]["rules"] = json!(reversed);
    assert_eq!(engine(&p).decide(&t, "0", None).reasons, want, "rules reversed");
}

/// Fixed bug: the sanctuary area is the union of the allowing sanctuaries, but the engine
/// skipped only edges that another allowing zone has *exactly*, walked the other way. A
/// border shared only in part (B's south edge is half of A's north edge) or an edge lying
/// inside another allowing sanctuary (C inside D) counted as the area's edge: a track near
/// it was denied `standoff_not_met` although it is tens of kilometres inside the area.
/// Margins stop at the measuring horizon, so the far edges show as the horizon.
#[test]
fn borders_partly_shared_or_covered_by_allowing_sanctuaries_are_not_edges() {
    // A 20–22°E x 48–49°N; B 20–21°E x 49–50°N on half of A's north edge.
    let e = engine(&plan(&[
        ("A", boxed(20.0, 48.0, 22.0, 49.0), "0", None),
        ("B", boxed(20.0, 49.0, 21.0, 50.0), "0", None),
    ]));
    // ~1.1 km south of the A–B border, ~36 km from the union's edge.
    let d = e.decide(&drone(20.5, 48.99), "0", None);
    assert!(d.is_permit(), "partly shared border: {d:?}");
    assert!(d.margin_m.is_some_and(|m| m >= MARGIN_HORIZON_M), "{d:?}");

    // C 21–22°E x 48.5–49.5°N inside D 20–24°E x 48–50°N.
    let e = engine(&plan(&[
        ("C", boxed(21.0, 48.5, 22.0, 49.5), "0", None),
        ("D", boxed(20.0, 48.0, 24.0, 50.0), "0", None),
    ]));
    // ~1.1 km inside C's north edge, ~56 km from D's.
    let d = e.decide(&drone(21.5, 49.49), "0", None);
    assert!(d.is_permit(), "covered edge: {d:?}");
    assert!(d.margin_m.is_some_and(|m| m >= MARGIN_HORIZON_M), "{d:?}");
}

/// Bug: each boundary edge remembers only one "twin" zone (the first, in id order, that
/// walks it the other way). With two zones of the same geometry (A0 active in phase 0,
/// A1 from phase 1) beside B, B's border with them is skipped only when A0 allows the
/// track: in phase 1, where A1 and B allow, the border counts as an edge and a track
/// 0.7 km from it is denied `standoff_not_met`, while in phase 0 the same track passes.
#[test]
fn a_shared_border_is_not_an_edge_whichever_same_geometry_zone_is_active() {
    let e = engine(&plan(&[
        ("A0", boxed(20.0, 48.0, 22.0, 50.0), "0", Some("1")),
        ("A1", boxed(20.0, 48.0, 22.0, 50.0), "1", None),
        ("B", boxed(22.0, 48.0, 24.0, 50.0), "0", None),
    ]));
    let t = drone(22.01, 49.0);
    let zero = e.decide(&t, "0", None);
    assert!(zero.is_permit(), "phase 0 (A0 + B): {zero:?}");
    let one = e.decide(&t, "1", None);
    assert!(one.is_permit(), "phase 1 (A1 + B): {one:?}");
}

/// Found by the oracle after the distance bounds were tightened: a point 1e-14° off an
/// exclusion's corner is 1e-9 m from it, but the computed geodesic (1.06e-9 m) exceeded the
/// exact upper bound of the distance to that corner (7.9e-10 m), so the search threw the
/// nearest edge away and the uncertainty disc "missed" the exclusion. Bounds now leave a
/// millimetre for the geodesics' own rounding.
#[test]
fn a_disc_around_a_point_next_to_an_exclusion_corner_touches_it() {
    let plan = json!({
        "name": "corner",
        "phases": [{"id": "1", "name": "one"}],
        "default_rules": [{"classes": ["uas"], "standoff_m": 0.0, "weapons": "hold"}],
        "zones": [
            {"id": "z0", "kind": "exclusion", "active_from": "1", "geometry": boxed(23.0, 46.0, 26.0, 47.0)},
            {"id": "z1", "kind": "exclusion", "active_from": "1", "geometry": boxed(22.0, 49.0, 23.0, 50.0)}
        ]
    });
    let e = engine(&plan);
    for (lon, lat, uncertainty) in [
        (22.0, 50.000_000_000_000_01, 6_000.0),
        (22.0, 50.000_000_000_000_01, 1.0),
    ] {
        let d = e.decide(&drone(lon, lat).with_uncertainty(uncertainty), "1", None);
        assert!(
            d.reasons.contains(&Reason::InsideExclusion),
            "{uncertainty}: {d:?}"
        );
    }
    let nearest = e
        .plan()
        .index()
        .nearest_boundary(22.0, 50.000_000_000_000_01)
        .unwrap();
    assert!(nearest.is_some_and(|n| n.distance_m < 1e-6), "{nearest:?}");
}
