//! Plan validation: every error names its place in the file; the content hash is stable.

use crate::common::*;
use sanctuary::{plan::PlanError, Plan};
use serde_json::json;

fn err(plan: &serde_json::Value) -> PlanError {
    match Plan::from_json_str(&plan.to_string()) {
        Ok(_) => panic!("plan should be refused"),
        Err(e) => e,
    }
}

fn place(plan: &serde_json::Value) -> String {
    err(plan).place().unwrap_or("").to_string()
}

#[test]
fn unknown_references_name_their_path() {
    let mut p = two_box_plan();
    p["zones"][1]["active_from"] = json!("9");
    assert_eq!(place(&p), "zones[1].active_from");

    let mut p = two_box_plan();
    p["zones"][1]["rules"] =
        json!([rule(), {"classes": ["uas"], "weapons": "tight", "standoff_m": 0, "from_phase": "x"}]);
    assert_eq!(place(&p), "zones[1].rules[1].from_phase");

    let mut p = two_box_plan();
    p["zones"][0]["rules"] =
        json!([{"classes": ["uas"], "weapons": "tight", "standoff_m": 0, "partners": ["P1", "NOPE"]}]);
    assert_eq!(place(&p), "zones[0].rules[0].partners[1]");
    assert!(err(&p).to_string().contains("`NOPE`"));
}

#[test]
fn structural_errors_name_their_path() {
    let mut p = two_box_plan();
    p["zones"][2]["kind"] = json!("forbidden");
    assert!(place(&p).starts_with("zones[2].kind"), "{}", place(&p));

    let mut p = two_box_plan();
    p["default_rules"][0]["classes"] = json!(["uas", "spaceship"]);
    assert!(place(&p).starts_with("default_rules[0].classes"), "{}", place(&p));

    let mut p = two_box_plan();
    p["zones"][0]["colour"] = json!("red");
    assert!(err(&p).to_string().contains("colour"));

    assert!(matches!(Plan::from_json_str("{"), Err(PlanError::Syntax { .. })));
}

#[test]
fn contradictions_and_empty_plans_are_refused() {
    let mut p = two_box_plan();
    p["phases"][2]["id"] = json!("1");
    assert_eq!(place(&p), "phases[2].id");

    let mut p = two_box_plan();
    p["zones"] = json!([]);
    assert_eq!(place(&p), "zones");

    let mut p = two_box_plan();
    p["phases"] = json!([]);
    assert_eq!(place(&p), "phases");

    let mut p = two_box_plan();
    p["default_rules"][0]["floor_m"] = json!(5000);
    p["default_rules"][0]["ceiling_m"] = json!(100);
    assert_eq!(place(&p), "default_rules[0].floor_m");

    let mut p = two_box_plan();
    p["zones"][1]["id"] = json!("A");
    assert_eq!(place(&p), "zones[1].id");

    let mut p = two_box_plan();
    p["zones"][1]["active_until"] = json!("1");
    assert_eq!(place(&p), "zones[1].active_until");

    let mut p = two_box_plan();
    p["zones"][2]["rules"] = json!([rule()]);
    assert_eq!(place(&p), "zones[2].rules");

    let mut p = two_box_plan();
    p["default_rules"][0]["standoff_m"] = json!(-1);
    assert_eq!(place(&p), "default_rules[0].standoff_m");

    let mut p = two_box_plan();
    p["phases"][1]["start"] = json!("2027-01-01T00:00:00Z");
    assert_eq!(place(&p), "phases[0].start");
}

#[test]
fn invalid_zone_geometry_names_the_zone() {
    let mut p = two_box_plan();
    p["zones"][1]["geometry"] =
        json!({"type": "Polygon", "coordinates": [[[25, 48], [30, 48], [30, 50], [25, 48.5]]]});
    let e = err(&p);
    assert!(e.place().unwrap().starts_with("zones[1]"), "{e}");
    assert!(e.to_string().contains("`B`"), "{e}");
}

#[test]
fn source_paths_stay_inside_the_plan_directory() {
    let dir = std::env::temp_dir().join(format!("sanctuary-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("zones.geojson"),
        json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": "Z"}, "geometry": boxed(20.0, 48.0, 25.0, 50.0)}
        ]})
        .to_string(),
    )
    .unwrap();
    let plan = |file: &str| {
        json!({
            "name": "src", "phases": [{"id": "1", "name": "one"}], "default_rules": [rule()],
            "zones": [{"id": "A", "source": {"file": file, "feature": "Z"}}]
        })
        .to_string()
    };
    let ok = Plan::from_json_str_in(&plan("zones.geojson"), &dir).unwrap();
    assert_eq!(ok.index().zones()[0].id(), "A");
    for bad in ["../zones.geojson", "/etc/passwd", "sub/../../x.geojson"] {
        let e = Plan::from_json_str_in(&plan(bad), &dir).unwrap_err();
        assert_eq!(e.place(), Some("zones[0].source.file"), "{bad}: {e}");
    }
    let e = Plan::from_json_str_in(&plan("missing.geojson"), &dir).unwrap_err();
    assert_eq!(e.place(), Some("zones[0].source.file"));
    // A feature that is not in the file.
    let text = plan("zones.geojson").replace("\"Z\"", "\"Q\"");
    let e = Plan::from_json_str_in(&text, &dir).unwrap_err();
    assert_eq!(e.place(), Some("zones[0].source.feature"));
    #[cfg(unix)]
    {
        let outside = std::env::temp_dir().join(format!("sanctuary-outside-{}.geojson", std::process::id()));
        std::fs::copy(dir.join("zones.geojson"), &outside).unwrap();
        let link = dir.join("link.geojson");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        let e = Plan::from_json_str_in(&plan("link.geojson"), &dir).unwrap_err();
        assert!(e.to_string().contains("outside"), "{e}");
        let _ = std::fs::remove_file(&outside);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn content_hash_is_stable_and_sensitive() {
    let p = two_box_plan();
    let a = Plan::from_json_str(&p.to_string()).unwrap();
    let b = Plan::from_json_str(&serde_json::to_string_pretty(&p).unwrap()).unwrap();
    assert_eq!(a.hash(), b.hash());
    let mut q = two_box_plan();
    q["default_rules"][0]["standoff_m"] = json!(2001);
    let c = Plan::from_json_str(&q.to_string()).unwrap();
    assert_ne!(a.hash(), c.hash());
    let mut r = two_box_plan();
    r["zones"][0]["geometry"] = boxed(20.0, 48.0, 25.0, 50.000001);
    assert_ne!(a.hash(), Plan::from_json_str(&r.to_string()).unwrap().hash());
}

#[test]
fn a_pinned_hash_refuses_a_changed_plan() {
    let dir = std::env::temp_dir().join(format!("sanctuary-pin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("plan.json");
    std::fs::write(&path, two_box_plan().to_string()).unwrap();
    let hash = Plan::from_file(&path).unwrap().hash().to_string();
    assert!(Plan::from_file_pinned(&path, &hash).is_ok());
    let mut tampered = two_box_plan();
    tampered["zones"][2]["active_from"] = json!("2");
    std::fs::write(&path, tampered.to_string()).unwrap();
    assert!(matches!(
        Plan::from_file_pinned(&path, &hash),
        Err(PlanError::HashMismatch { .. })
    ));
    let _ = std::fs::remove_dir_all(&dir);
}
