//! Each semantic of `Engine::decide`, pinned on small plans.

use crate::common::*;
use sanctuary::{
    geometry::geodesic_distance_m,
    plan::{Identity, TargetClass},
    Reason, Track, Verdict,
};
use serde_json::json;

#[test]
fn deny_by_default_outside_every_active_sanctuary() {
    let e = engine(&two_box_plan());
    let d = e.decide(&drone(35.0, 49.0), "2", None);
    assert_eq!(d.verdict, Verdict::Deny);
    assert_eq!(d.reasons, vec![Reason::OutsideActiveSanctuary]);
    assert_eq!(d.zone, None);
    assert_eq!(d.margin_m, None);
    // Phase 0: nothing is active, even deep inside A.
    let d = e.decide(&drone(22.5, 49.0), "0", None);
    assert_eq!(d.reasons, vec![Reason::OutsideActiveSanctuary]);
}

#[test]
fn permit_well_inside_with_margin_and_zone() {
    let e = engine(&two_box_plan());
    let d = e.decide(&drone(22.5, 49.0), "1", None);
    assert_eq!(d.verdict, Verdict::Permit, "{:?}", d.reasons);
    assert!(d.reasons.is_empty());
    assert_eq!(d.zone.as_deref(), Some("A"));
    assert_eq!(d.phase.as_deref(), Some("1"));
    // The nearest edge of A is ~111 km away, beyond the horizon: the margin is reported at
    // the horizon, a lower bound.
    assert_eq!(d.margin_m, Some(sanctuary::engine::MARGIN_HORIZON_M));
    assert_eq!(d.plan_hash, *e.plan().hash());
    // 5 km south of the 50°N edge it is exact.
    let lat = 50.0 - 5_000.0 / 111_250.0;
    let d = e.decide(&drone(22.5, lat), "1", None);
    let m = d.margin_m.unwrap();
    let expected = geodesic_distance_m(22.5, lat, 22.5, 50.0);
    assert!((m - expected).abs() < 0.01, "{m} vs {expected}");
    // With an uncertainty, the margin is the distance minus the uncertainty.
    let d = e.decide(&drone(22.5, lat).with_uncertainty(500.0), "1", None);
    assert!((d.margin_m.unwrap() - (expected - 500.0)).abs() < 0.01);
    assert_eq!(d.plan_hash, *e.plan().hash());
}

#[test]
fn on_the_boundary_is_not_inside() {
    let e = engine(&two_box_plan());
    let d = e.decide(&drone(22.5, 50.0), "1", None);
    assert_eq!(d.verdict, Verdict::Deny);
    assert_eq!(d.reasons, vec![Reason::OnBoundary]);
    assert_eq!(d.zone.as_deref(), Some("A"));
    // A vertex too.
    let d = e.decide(&drone(20.0, 48.0), "1", None);
    assert_eq!(d.reasons, vec![Reason::OnBoundary]);
}

#[test]
fn standoff_is_measured_to_the_edge() {
    let e = engine(&two_box_plan());
    // 1 km south of the 50°N edge of A: inside, but within the 2 km standoff.
    let lat = 50.0 - 1000.0 / 111_250.0;
    let d = e.decide(&drone(22.5, lat), "1", None);
    assert_eq!(d.verdict, Verdict::Deny);
    assert_eq!(d.reasons, vec![Reason::StandoffNotMet]);
    let m = d.margin_m.unwrap();
    assert!((m - 1000.0).abs() < 20.0, "{m}");
    // 3 km inside: permitted.
    let lat = 50.0 - 3000.0 / 111_250.0;
    assert!(e.decide(&drone(22.5, lat), "1", None).is_permit());
}

#[test]
fn a_line_between_two_permitting_zones_is_not_an_edge() {
    let e = engine(&two_box_plan());
    // 1 km west of the A|B line at 25°E, phase 2: both permit, so the line is interior.
    let lon = 25.0 - 1000.0 / 73_000.0;
    let d = e.decide(&drone(lon, 49.5), "2", None);
    assert!(d.is_permit(), "{:?}", d.reasons);
    assert_eq!(
        d.margin_m,
        Some(sanctuary::engine::MARGIN_HORIZON_M),
        "the line is not an edge"
    );
    // In phase 1 B is inactive: the same line is the edge of the sanctuary area.
    let d = e.decide(&drone(lon, 49.5), "1", None);
    assert_eq!(d.reasons, vec![Reason::StandoffNotMet]);
    assert!(d.margin_m.unwrap() < 1_100.0);
}

#[test]
fn a_line_to_a_zone_that_refuses_this_track_is_an_edge() {
    let mut plan = two_box_plan();
    // B allows only cruise missiles.
    plan["zones"][1]["rules"] =
        json!([{"classes": ["cruise_missile"], "weapons": "tight", "standoff_m": 2000}]);
    let e = engine(&plan);
    let lon = 25.0 - 1000.0 / 73_000.0;
    let d = e.decide(&drone(lon, 49.5), "2", None);
    assert_eq!(d.reasons, vec![Reason::StandoffNotMet]);
    let mut cm = drone(lon, 49.5);
    cm.class = TargetClass::CruiseMissile;
    assert!(e.decide(&cm, "2", None).is_permit());
}

#[test]
fn exclusion_denies_whatever_the_sanctuary_says() {
    let e = engine(&two_box_plan());
    // Inside X, itself inside B (phase 2).
    let d = e.decide(&drone(26.5, 48.75), "2", None);
    assert_eq!(d.verdict, Verdict::Deny);
    assert!(d.reasons.contains(&Reason::InsideExclusion), "{:?}", d.reasons);
    // On X's boundary: touching denies.
    let d = e.decide(&drone(26.5, 49.0), "2", None);
    assert!(d.reasons.contains(&Reason::InsideExclusion));
    // 1 km north of X with 1.5 km uncertainty: the disc touches X.
    let lat = 49.0 + 1000.0 / 111_200.0;
    let t = drone(26.5, lat).with_uncertainty(1500.0);
    assert!(e.decide(&t, "2", None).reasons.contains(&Reason::InsideExclusion));
    // With 500 m uncertainty it does not touch X, but the standoff to X's edge is not an
    // edge of the sanctuary area (X is not a sanctuary), so it is permitted.
    let t = drone(26.5, lat).with_uncertainty(500.0);
    let d = e.decide(&t, "2", None);
    assert!(d.is_permit(), "{:?}", d.reasons);
}

#[test]
fn overlapping_sanctuaries_permit_if_any_permits() {
    let plan = json!({
        "name": "overlap",
        "phases": [{"id": "1", "name": "one"}],
        "zones": [
            {"id": "big", "geometry": boxed(20.0, 48.0, 30.0, 50.0),
             "rules": [{"classes": ["cruise_missile"], "weapons": "tight", "standoff_m": 0}]},
            {"id": "small", "geometry": boxed(22.0, 48.5, 23.0, 49.5), "rules": [rule()]}
        ]
    });
    let e = engine(&plan);
    let d = e.decide(&drone(22.5, 49.0), "1", None);
    assert!(d.is_permit(), "{:?}", d.reasons);
    assert_eq!(d.zone.as_deref(), Some("small"));
    // Outside `small`, only `big` considers it, and refuses the class.
    let d = e.decide(&drone(25.0, 49.0), "1", None);
    assert_eq!(d.reasons, vec![Reason::ClassNotAuthorised]);
    assert_eq!(d.zone.as_deref(), Some("big"));
}

#[test]
fn invalid_input_is_a_deny_never_a_panic() {
    let e = engine(&two_box_plan());
    let bad = [
        drone(f64::NAN, 49.0),
        drone(22.5, f64::INFINITY),
        drone(22.5, 91.0),
        drone(181.0, 49.0),
        Track {
            alt_m: f64::NAN,
            ..drone(22.5, 49.0)
        },
        drone(22.5, 49.0).with_uncertainty(-1.0),
        drone(22.5, 49.0).with_uncertainty(f64::NAN),
        drone(22.5, 49.0).with_intercept(-5.0, 0.0, 10.0),
        drone(22.5, 49.0).with_intercept(100.0, f64::NAN, 10.0),
    ];
    for t in &bad {
        let d = e.decide(t, "1", None);
        assert_eq!(d.verdict, Verdict::Deny, "{t:?}");
        assert_eq!(d.reasons, vec![Reason::InvalidTrack], "{t:?}");
    }
    let d = e.decide(&drone(22.5, 49.0), "nope", None);
    assert_eq!(d.reasons, vec![Reason::UnknownPhase]);
}

#[test]
fn weapon_control_status_and_identity() {
    let status = |weapons: &str| {
        let mut plan = two_box_plan();
        plan["default_rules"][0]["weapons"] = json!(weapons);
        engine(&plan)
    };
    let at = |identity| Track::new("t", 22.5, 49.0, 1000.0, TargetClass::Uas, identity);
    let hold = status("hold");
    assert_eq!(
        hold.decide(&at(Identity::Hostile), "1", None).reasons,
        vec![Reason::WeaponsHold]
    );
    let tight = status("tight");
    assert!(tight.decide(&at(Identity::Hostile), "1", None).is_permit());
    for id in [
        Identity::Suspect,
        Identity::Unknown,
        Identity::Neutral,
        Identity::Friend,
    ] {
        assert_eq!(
            tight.decide(&at(id), "1", None).reasons,
            vec![Reason::IdentityNotHostile]
        );
    }
    let free = status("free");
    for id in [Identity::Hostile, Identity::Suspect, Identity::Unknown] {
        assert!(free.decide(&at(id), "1", None).is_permit(), "{id:?}");
    }
    for id in [Identity::Neutral, Identity::Friend] {
        assert_eq!(
            free.decide(&at(id), "1", None).reasons,
            vec![Reason::IdentityNotHostile]
        );
    }
}

#[test]
fn class_and_altitude_band() {
    let e = engine(&two_box_plan());
    let mut t = drone(22.5, 49.0);
    t.class = TargetClass::MannedAircraft;
    assert_eq!(e.decide(&t, "1", None).reasons, vec![Reason::ClassNotAuthorised]);
    let t = Track {
        alt_m: 10_001.0,
        ..drone(22.5, 49.0)
    };
    assert_eq!(e.decide(&t, "1", None).reasons, vec![Reason::AltitudeOutsideBand]);
    let t = Track {
        alt_m: 10_000.0,
        ..drone(22.5, 49.0)
    };
    assert!(e.decide(&t, "1", None).is_permit());
    let t = Track {
        alt_m: -1.0,
        ..drone(22.5, 49.0)
    };
    assert_eq!(e.decide(&t, "1", None).reasons, vec![Reason::AltitudeOutsideBand]);
    // Every failing check is reported, in a fixed order.
    let t = Track {
        alt_m: -1.0,
        class: TargetClass::MannedAircraft,
        identity: Identity::Friend,
        ..drone(22.5, 49.0)
    };
    assert_eq!(
        e.decide(&t, "1", None).reasons,
        vec![
            Reason::ClassNotAuthorised,
            Reason::IdentityNotHostile,
            Reason::AltitudeOutsideBand
        ]
    );
}

#[test]
fn partners_and_their_caveats() {
    let mut plan = two_box_plan();
    plan["zones"][0]["rules"] = json!([{"classes": ["uas", "cruise_missile"], "weapons": "tight", "standoff_m": 2000, "partners": ["P1", "P2"]}]);
    let e = engine(&plan);
    let t = drone(22.5, 49.0);
    assert!(e.decide(&t, "1", Some("P1")).is_permit());
    assert_eq!(
        e.decide(&t, "1", None).reasons,
        vec![Reason::PartnerNotAuthorised]
    );
    assert_eq!(
        e.decide(&t, "1", Some("ZZZ")).reasons,
        vec![Reason::PartnerNotAuthorised]
    );
    // P2 will not engage cruise missiles.
    let mut cm = t.clone();
    cm.class = TargetClass::CruiseMissile;
    assert_eq!(
        e.decide(&cm, "1", Some("P2")).reasons,
        vec![Reason::PartnerCaveat]
    );
    // P2 needs 50 km of standoff: 30 km from the edge is not enough for P2, enough for P1.
    let lat = 50.0 - 30_000.0 / 111_250.0;
    let t = drone(22.5, lat);
    assert!(e.decide(&t, "1", Some("P1")).is_permit());
    assert_eq!(
        e.decide(&t, "1", Some("P2")).reasons,
        vec![Reason::StandoffNotMet]
    );
}

#[test]
fn predicted_intercept_point_must_satisfy_the_rules() {
    let e = engine(&two_box_plan());
    // 10 km inside A's northern edge, heading north at 200 m/s: in 100 s it is 10 km
    // beyond the edge.
    let lat = 50.0 - 10_000.0 / 111_250.0;
    let leaving = drone(22.5, lat).with_intercept(200.0, 0.0, 100.0);
    assert_eq!(
        e.decide(&leaving, "1", None).reasons,
        vec![Reason::PredictedPointOutside]
    );
    // Heading south it stays well inside.
    let staying = drone(22.5, lat).with_intercept(200.0, 180.0, 100.0);
    assert!(e.decide(&staying, "1", None).is_permit());
    // Heading north but stopping 1 km short of the edge: within the standoff.
    let short = drone(22.5, lat).with_intercept(90.0, 0.0, 100.0);
    assert_eq!(
        e.decide(&short, "1", None).reasons,
        vec![Reason::PredictedPointOutside]
    );
    // Heading into the exclusion X from inside B.
    let into_x = drone(26.5, 48.3).with_intercept(100.0, 0.0, 500.0);
    let d = e.decide(&into_x, "2", None);
    // The intercept point lies in X, itself inside B: in the exclusion, not outside the
    // sanctuary area (X is not an edge of it).
    assert_eq!(d.reasons, vec![Reason::PredictedPointInExclusion]);
}

#[test]
fn phase_from_time() {
    let mut plan = two_box_plan();
    plan["phases"][0]["start"] = json!("2027-01-01T00:00:00Z");
    plan["phases"][1]["start"] = json!("2027-02-01T00:00:00Z");
    plan["phases"][2]["start"] = json!("2027-03-01T00:00:00Z");
    let e = engine(&plan);
    let feb = sanctuary::plan::parse_rfc3339("2027-02-01T00:00:00Z").unwrap() as f64;
    let t = drone(22.5, 49.0).at_time(feb);
    let d = e.decide_at_track_time(&t, None);
    assert_eq!(d.phase.as_deref(), Some("1"));
    assert!(d.is_permit());
    // One second earlier it is phase 0 (half-open phase starts).
    let d = e.decide_at_track_time(&drone(22.5, 49.0).at_time(feb - 1.0), None);
    assert_eq!(d.phase.as_deref(), Some("0"));
    assert_eq!(d.reasons, vec![Reason::OutsideActiveSanctuary]);
    // Before the first phase: no phase in force.
    let d = e.decide_at_track_time(&drone(22.5, 49.0).at_time(0.0), None);
    assert_eq!(d.reasons, vec![Reason::NoActivePhase]);
    // No time: invalid.
    assert_eq!(
        e.decide_at_track_time(&drone(22.5, 49.0), None).reasons,
        vec![Reason::InvalidTrack]
    );
}

#[test]
fn same_plan_and_track_give_the_same_decision() {
    let e = engine(&two_box_plan());
    let t = drone(24.9, 49.3).with_uncertainty(300.0);
    let a = e.decide(&t, "2", Some("P1"));
    for _ in 0..5 {
        assert_eq!(e.decide(&t, "2", Some("P1")), a);
    }
    // A plan with its zones in reverse order decides identically, with the same hash.
    let mut plan = two_box_plan();
    plan["zones"].as_array_mut().unwrap().reverse();
    let r = engine(&plan);
    assert_eq!(r.plan().hash(), e.plan().hash());
    assert_eq!(r.decide(&t, "2", Some("P1")), a);
}

#[test]
fn decisions_serialise_with_stable_codes() {
    let e = engine(&two_box_plan());
    let d = e.decide(&drone(35.0, 49.0), "2", None);
    let text = serde_json::to_string(&d).unwrap();
    assert!(text.contains("\"verdict\":\"deny\""), "{text}");
    assert!(text.contains("\"outside_active_sanctuary\""), "{text}");
    let back: sanctuary::Decision = serde_json::from_str(&text).unwrap();
    assert_eq!(back, d);
}
