//! Time windows on zones and rules: half-open edges, midnight wrap-around, and the
//! conservative reading of an unknown time.

use crate::common::*;
use sanctuary::{plan::parse_rfc3339, Reason};
use serde_json::json;

fn at(s: &str) -> f64 {
    parse_rfc3339(s).unwrap() as f64
}

#[test]
fn a_windowed_sanctuary_is_in_force_only_inside_its_window() {
    let mut plan = two_box_plan();
    // A: nights only, Monday to Friday starts, 22:00–06:00 UTC.
    plan["zones"][0]["windows"] =
        json!([{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "22:00", "to": "06:00"}]);
    let e = engine(&plan);
    let t = |time: &str| drone(22.5, 49.0).at_time(at(time));
    // 2027-03-05 is a Friday.
    assert!(
        e.decide(&t("2027-03-05T22:00:00Z"), "1", None).is_permit(),
        "window start is included"
    );
    assert!(
        e.decide(&t("2027-03-06T05:59:59Z"), "1", None).is_permit(),
        "past midnight into Saturday"
    );
    assert_eq!(
        e.decide(&t("2027-03-06T06:00:00Z"), "1", None).reasons,
        vec![Reason::OutsideActiveSanctuary]
    );
    assert_eq!(
        e.decide(&t("2027-03-06T22:30:00Z"), "1", None).reasons,
        vec![Reason::OutsideActiveSanctuary]
    );
    // Without a time the windowed sanctuary is not in force.
    assert_eq!(
        e.decide(&drone(22.5, 49.0), "1", None).reasons,
        vec![Reason::OutsideActiveSanctuary]
    );
}

#[test]
fn a_windowed_exclusion_applies_whenever_the_time_is_unknown() {
    let mut plan = two_box_plan();
    plan["zones"][2]["windows"] = json!([{"start": "2027-01-01T00:00:00Z", "end": "2027-01-02T00:00:00Z"}]);
    let e = engine(&plan);
    let inside_x = |time: Option<&str>| {
        let t = drone(26.5, 48.75);
        match time {
            Some(s) => t.at_time(at(s)),
            None => t,
        }
    };
    let reasons = |time| e.decide(&inside_x(time), "2", None).reasons;
    assert!(reasons(Some("2027-01-01T12:00:00Z")).contains(&Reason::InsideExclusion));
    assert!(
        !reasons(Some("2027-01-02T00:00:00Z")).contains(&Reason::InsideExclusion),
        "end excluded"
    );
    assert!(
        reasons(None).contains(&Reason::InsideExclusion),
        "unknown time: exclusion in force"
    );
}

#[test]
fn a_windowed_rule_applies_only_inside_its_window() {
    let mut plan = two_box_plan();
    plan["zones"][0]["rules"] = json!([{"classes": ["uas"], "weapons": "tight", "standoff_m": 0,
        "windows": [{"start": "2027-05-01T00:00:00Z", "end": "2027-06-01T00:00:00Z"}]}]);
    let e = engine(&plan);
    let t = drone(22.5, 49.0);
    assert!(e
        .decide(&t.clone().at_time(at("2027-05-31T23:59:59Z")), "1", None)
        .is_permit());
    assert_eq!(
        e.decide(&t.clone().at_time(at("2027-06-01T00:00:00Z")), "1", None)
            .reasons,
        vec![Reason::NoApplicableRule]
    );
    assert_eq!(e.decide(&t, "1", None).reasons, vec![Reason::NoApplicableRule]);
}

#[test]
fn malformed_windows_name_their_place() {
    let mut plan = two_box_plan();
    plan["zones"][1]["windows"] = json!([{"days": ["mon"], "from": "22:00", "to": "06:00"}, {"days": ["funday"], "from": "01:00", "to": "02:00"}]);
    let e = sanctuary::Plan::from_json_str(&plan.to_string()).unwrap_err();
    assert_eq!(e.place(), Some("zones[1].windows[1]"), "{e}");
    let mut plan = two_box_plan();
    plan["default_rules"][0]["windows"] =
        json!([{"start": "2027-01-02T00:00:00Z", "end": "2027-01-01T00:00:00Z"}]);
    let e = sanctuary::Plan::from_json_str(&plan.to_string()).unwrap_err();
    assert_eq!(e.place(), Some("default_rules[0].windows[0]"), "{e}");
}
