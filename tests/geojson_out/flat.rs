//! GIS-ready properties: zones carry their rules, band, phase range and dates as flat
//! properties, one JSON type per property across the file; decisions carry their reasons
//! as one joined string beside the array.

use sanctuary::{
    geojson::{active_zones_geojson, decisions_geojson},
    plan::{Identity, TargetClass},
    Engine, Plan, Track,
};
use serde_json::Value;
use std::collections::BTreeMap;

fn rfc3339(t: Option<i64>) -> Value {
    t.map_or(Value::Null, |t| {
        Value::String(jiff::Timestamp::from_second(t).unwrap().to_string())
    })
}

#[test]
fn zone_properties_are_flat_typed_once_and_match_the_plan() {
    let plan = Plan::safe_haven().unwrap();
    let start = |i: usize| plan.phases().get(i).and_then(|p| p.start_unix_s);
    let id = |i: usize| Value::String(plan.phases()[i].id.clone());
    let mut types: BTreeMap<String, &'static str> = BTreeMap::new();
    let mut with_rules = 0;
    for phase in plan.phase_handles() {
        let p = phase.index();
        let fc = active_zones_geojson(&plan, phase);
        for f in fc["features"].as_array().unwrap() {
            let props = f["properties"].as_object().unwrap();
            // Flat, one type per property across every phase's file.
            for (k, v) in props {
                let t = match v {
                    Value::Null => continue,
                    Value::Bool(_) => "bool",
                    Value::Number(_) => "number",
                    Value::String(_) => "string",
                    Value::Array(_) | Value::Object(_) => panic!("{k} is not flat: {v}"),
                };
                assert_eq!(*types.entry(k.clone()).or_insert(t), t, "{k}");
            }
            let zone_id = props["id"].as_str().unwrap();
            let h = plan.index().handle(zone_id).unwrap();
            let zp = &plan.zone_plans()[h.index()];
            assert_eq!(props["phase"], id(p));
            assert_eq!(props["phase_start"], rfc3339(start(p)));
            assert_eq!(props["phase_end"], rfc3339(start(p + 1)));
            assert_eq!(props["phase_from"], id(zp.active_from));
            assert_eq!(props["phase_to"], zp.active_until.map_or(Value::Null, id));
            assert_eq!(props["valid_from"], rfc3339(start(zp.active_from)));
            assert_eq!(props["valid_to"], rfc3339(zp.active_until.and_then(start)));
            let rules: Vec<_> = zp.rules.iter().filter(|r| r.applies_in(phase)).collect();
            assert_eq!(props["rule_count"], rules.len());
            for class in TargetClass::ALL {
                let listed = props["rule_classes"]
                    .as_str()
                    .unwrap()
                    .split(';')
                    .any(|c| c == class.as_str());
                assert_eq!(
                    listed,
                    rules.iter().any(|r| r.allows_class(class)),
                    "{zone_id} {class:?}"
                );
            }
            let standoff = rules.iter().map(|r| r.standoff_m()).reduce(f64::min);
            assert_eq!(props["standoff_m"].as_f64(), standoff, "{zone_id}");
            if !rules.is_empty() {
                with_rules += 1;
                let band = props["band_m"].as_str().unwrap();
                let floor = props["band_floor_m"]
                    .as_f64()
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                let ceiling = props["band_ceiling_m"]
                    .as_f64()
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                assert_eq!(band, format!("{floor}..{ceiling}"));
                for r in &rules {
                    if let (Some(f), Some(rf)) = (props["band_floor_m"].as_f64(), r.band().floor_m) {
                        assert!(f <= rf);
                    }
                }
            } else {
                assert_eq!(props["rule_classes"], "");
                assert_eq!(props["band_m"], "");
            }
        }
    }
    assert!(with_rules > 0, "some sanctuaries were seen");
    for key in [
        "valid_from",
        "rule_classes",
        "standoff_m",
        "manned_from_phase",
        "phase_from",
    ] {
        assert!(types.contains_key(key), "{key} never set");
    }
}

#[test]
fn manned_from_phase_is_the_first_phase_a_manned_aircraft_may_be_engaged() {
    // An oracle that knows nothing of the export: decide a hostile manned aircraft deep in
    // Lviv oblast in every phase and take the first permit.
    let plan = Plan::safe_haven().unwrap();
    let engine = Engine::new(plan.clone());
    let jet = Track::new(
        "j",
        24.03,
        49.84,
        8_000.0,
        TargetClass::MannedAircraft,
        Identity::Hostile,
    );
    let first_permit = plan
        .phase_handles()
        .find(|&p| engine.decide(&jet, p, None).is_permit())
        .map(|p| plan.phases()[p.index()].id.clone());
    assert!(first_permit.is_some(), "some phase permits");
    for phase in plan.phase_handles() {
        let fc = active_zones_geojson(&plan, phase);
        if let Some(f) = fc["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["id"] == "UA-46")
        {
            assert_eq!(
                f["properties"]["manned_from_phase"].as_str(),
                first_permit.as_deref()
            );
        }
    }
}

#[test]
fn decisions_carry_their_reasons_joined() {
    let engine = Engine::new(Plan::safe_haven().unwrap());
    let tracks = [
        Track::new("lviv", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile),
        Track::new("friend", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Friend),
        Track::new("bad", f64::NAN, 49.0, 800.0, TargetClass::Uas, Identity::Hostile),
        Track::new(
            "warsaw",
            21.01,
            52.23,
            800.0,
            TargetClass::MannedAircraft,
            Identity::Unknown,
        ),
    ];
    let pairs: Vec<_> = tracks
        .iter()
        .map(|t| (t.clone(), engine.decide(t, "1", None)))
        .collect();
    let fc = decisions_geojson(&pairs);
    let mut several = false;
    for ((_, d), f) in pairs.iter().zip(fc["features"].as_array().unwrap()) {
        let p = &f["properties"];
        let codes: Vec<&str> = d.reasons.iter().map(|r| r.as_str()).collect();
        assert_eq!(p["reasons"], serde_json::json!(codes));
        assert_eq!(p["reasons_joined"], codes.join(";"));
        assert_eq!(
            p["reasons_joined"]
                .as_str()
                .unwrap()
                .split(';')
                .filter(|s| !s.is_empty())
                .count(),
            codes.len()
        );
        several |= codes.len() > 1;
    }
    assert!(
        several,
        "some decision has several reasons, so the join is exercised"
    );
}
