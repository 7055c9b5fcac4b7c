//! Engine invariants as properties over random plans and tracks: an exclusion never turns
//! a deny into a permit, neither do more uncertainty or more standoff; nothing outside the
//! active sanctuaries is permitted; zone and rule order do not matter.

// Test helpers outside #[test] fns may unwrap and panic: clippy.toml's test allowances
// only reach #[test] functions.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use sanctuary::{
    geometry::{Position, ZoneKind},
    plan::{Identity, TargetClass},
    Engine, Plan, Track,
};
use serde_json::{json, Value};

#[derive(Debug, Clone)]
struct BoxZone {
    lon0: f64,
    lat0: f64,
    w: f64,
    h: f64,
    exclusion: bool,
    active_from: usize,
    classes: Vec<&'static str>,
    weapons: &'static str,
    standoff_m: f64,
}

const CLASSES: [&str; 5] = [
    "cruise_missile",
    "ballistic_missile",
    "uas",
    "manned_aircraft",
    "unknown",
];

fn box_zone() -> impl Strategy<Value = BoxZone> {
    (
        (0u32..8, 0u32..6, 1u32..9, 1u32..7),
        prop::bool::weighted(0.2),
        0usize..3,
        prop::sample::subsequence(CLASSES.to_vec(), 1..=5),
        // Weighted towards rules that can allow something, so permits are frequent.
        prop::sample::select(vec!["hold", "tight", "tight", "free", "free"]),
        prop::bool::weighted(0.8),
        prop::sample::select(vec![0.0, 500.0, 2000.0, 20_000.0]),
    )
        .prop_map(
            |((x, y, w, h), exclusion, active_from, mut classes, weapons, with_uas, standoff_m)| {
                if with_uas && !classes.contains(&"uas") {
                    classes.push("uas");
                }
                BoxZone {
                    // A quarter-degree lattice, so neighbouring boxes share exact edges.
                    lon0: 20.0 + f64::from(x) * 0.25,
                    lat0: 46.0 + f64::from(y) * 0.25,
                    w: f64::from(w) * 0.25,
                    h: f64::from(h) * 0.25,
                    exclusion,
                    active_from,
                    classes,
                    weapons,
                    standoff_m,
                }
            },
        )
}

fn plan_json(zones: &[BoxZone], standoff_extra: f64, duplicate_rules: bool) -> Value {
    let zones: Vec<Value> = zones
        .iter()
        .enumerate()
        .map(|(i, z)| {
            let ring = json!([[[z.lon0, z.lat0], [z.lon0 + z.w, z.lat0], [z.lon0 + z.w, z.lat0 + z.h], [z.lon0, z.lat0 + z.h], [z.lon0, z.lat0]]]);
            let mut v = json!({
                "id": format!("z{i:02}"),
                "geometry": {"type": "Polygon", "coordinates": ring},
                "active_from": z.active_from.to_string(),
            });
            if z.exclusion {
                v["kind"] = json!("exclusion");
            } else {
                let rule = json!({"classes": z.classes, "weapons": z.weapons, "floor_m": 0, "ceiling_m": 20000,
                                  "standoff_m": z.standoff_m + standoff_extra});
                v["rules"] = if duplicate_rules { json!([rule.clone(), rule]) } else { json!([rule]) };
            }
            v
        })
        .collect();
    json!({
        "name": "random",
        "phases": [{"id": "0", "name": "a"}, {"id": "1", "name": "b"}, {"id": "2", "name": "c"}],
        "zones": zones,
    })
}

fn engine(plan: &Value) -> Engine {
    Engine::new(Plan::from_json_str(&plan.to_string()).unwrap_or_else(|e| panic!("{e}")))
}

fn track() -> impl Strategy<Value = Track> {
    (
        // Lattice points (on edges and vertices) and points between them.
        0u32..=64,
        0u32..=48,
        prop::sample::select(vec![0.0, 1e-9, 0.003, 0.05, 0.1]),
        prop::sample::select(vec![0.0, 1e-9, 0.003, 0.05, 0.1]),
        prop::sample::select(vec![
            TargetClass::Uas,
            TargetClass::Uas,
            TargetClass::Uas,
            TargetClass::CruiseMissile,
            TargetClass::BallisticMissile,
            TargetClass::MannedAircraft,
            TargetClass::Unknown,
        ]),
        prop::sample::select(vec![
            Identity::Hostile,
            Identity::Hostile,
            Identity::Hostile,
            Identity::Suspect,
            Identity::Unknown,
            Identity::Neutral,
            Identity::Friend,
        ]),
        prop::sample::select(vec![0.0, 0.0, 100.0, 1000.0, 5000.0]),
        prop::sample::select(vec![-10.0, 500.0, 500.0, 500.0, 500.0, 500.0, 15_000.0, 25_000.0]),
    )
        .prop_map(|(x, y, dx, dy, class, identity, unc, alt)| {
            let lon = 20.0 + f64::from(x) * 0.0625 + dx;
            let lat = 46.0 + f64::from(y) * 0.0625 + dy;
            Track::new("t", lon, lat, alt, class, identity).with_uncertainty(unc)
        })
}

fn phase() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["0", "1", "2"])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, .. ProptestConfig::default() })]

    #[test]
    fn adding_an_exclusion_never_turns_deny_into_permit(
        zones in prop::collection::vec(box_zone(), 1..5),
        extra in box_zone(),
        t in track(),
        ph in phase(),
    ) {
        let base = engine(&plan_json(&zones, 0.0, false));
        let mut more = zones.clone();
        more.push(BoxZone { exclusion: true, ..extra });
        let with = engine(&plan_json(&more, 0.0, false));
        let before = base.decide(&t, ph, None);
        let after = with.decide(&t, ph, None);
        prop_assert!(before.is_permit() || !after.is_permit(), "{before:?} -> {after:?}");
    }

    #[test]
    fn more_uncertainty_or_standoff_never_turns_deny_into_permit(
        zones in prop::collection::vec(box_zone(), 1..5),
        t in track(),
        ph in phase(),
        more_unc in prop::sample::select(vec![1.0, 500.0, 3000.0]),
        more_standoff in prop::sample::select(vec![1.0, 500.0, 3000.0]),
    ) {
        let e = engine(&plan_json(&zones, 0.0, false));
        let d = e.decide(&t, ph, None);
        let wider = t.clone().with_uncertainty(t.uncertainty_m.unwrap_or(0.0) + more_unc);
        let d_unc = e.decide(&wider, ph, None);
        prop_assert!(d.is_permit() || !d_unc.is_permit(), "{d:?} -> {d_unc:?}");
        let stricter = engine(&plan_json(&zones, more_standoff, false));
        let d_so = stricter.decide(&t, ph, None);
        prop_assert!(d.is_permit() || !d_so.is_permit(), "{d:?} -> {d_so:?}");
    }

    #[test]
    fn no_permit_unless_strictly_inside_an_active_sanctuary_and_clear_of_exclusions(
        zones in prop::collection::vec(box_zone(), 1..5),
        t in track(),
        ph in phase(),
    ) {
        let e = engine(&plan_json(&zones, 0.0, false));
        let d = e.decide(&t, ph, None);
        if d.is_permit() {
            let plan = e.plan();
            let phase = plan.phase(ph).unwrap();
            let mut inside_active = false;
            for (z, zp) in plan.index().zones().iter().zip(plan.zone_plans()) {
                if !zp.active_in(phase) { continue; }
                let pos = z.position(t.lon, t.lat).unwrap();
                match z.kind() {
                    ZoneKind::Sanctuary => inside_active |= pos == Position::Inside,
                    ZoneKind::Exclusion => {
                        prop_assert_eq!(pos, Position::Outside);
                        let d = z.signed_distance_m(t.lon, t.lat).unwrap();
                        prop_assert!(-d > t.uncertainty_m.unwrap_or(0.0));
                    }
                    other => prop_assert!(false, "a zone kind this test does not know: {other:?}"),
                }
            }
            prop_assert!(inside_active);
            // And some applicable rule allowed it.
            prop_assert!(d.margin_m.unwrap() >= 0.0);
        }
    }

    #[test]
    fn decisions_do_not_depend_on_zone_order_or_duplicated_rules(
        zones in prop::collection::vec(box_zone(), 1..5),
        t in track(),
        ph in phase(),
    ) {
        let e = engine(&plan_json(&zones, 0.0, false));
        let d = e.decide(&t, ph, None);
        // Reversed zones keep their ids (ids come from the original positions).
        let mut plan = plan_json(&zones, 0.0, false);
        plan["zones"].as_array_mut().unwrap().reverse();
        let r = engine(&plan).decide(&t, ph, None);
        prop_assert_eq!(&r, &d);
        let dup = engine(&plan_json(&zones, 0.0, true));
        let dd = dup.decide(&t, ph, None);
        prop_assert_eq!(dd.verdict, d.verdict);
        prop_assert_eq!(dd.reasons, d.reasons);
        prop_assert_eq!(dd.zone, d.zone);
    }
}

/// The properties above are only meaningful if the random plans and tracks produce permits
/// as well as denies: count both over a fixed-seed sample.
#[test]
fn the_generators_produce_both_permits_and_denies() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let (mut permits, mut denies) = (0, 0);
    for _ in 0..300 {
        let zones = prop::collection::vec(box_zone(), 1..5)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let t = track().new_tree(&mut runner).unwrap().current();
        let e = engine(&plan_json(&zones, 0.0, false));
        for ph in ["0", "1", "2"] {
            let d = e.decide(&t, ph, None);
            if d.is_permit() {
                permits += 1;
            } else {
                denies += 1;
            }
        }
    }
    eprintln!("{permits} permits, {denies} denies");
    assert!(permits >= 15, "{permits} permits");
    assert!(denies >= 10, "{denies} denies");
}
