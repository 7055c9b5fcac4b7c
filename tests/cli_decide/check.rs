//! `decide check`: one line per finding and exit status 3, or one all-clear line and 0.

use super::{example, TempPath};
use sanctuary::Plan;
use std::ffi::OsStr;

#[test]
fn a_plan_without_findings_gets_the_all_clear_line() {
    let plan = Plan::safe_haven().unwrap();
    assert!(plan.check(&[]).is_empty(), "the embedded plan has no findings");
    let run = example("decide", &["check"]);
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
    assert_eq!(
        run.stdout,
        format!(
            "ok: plan {}, {} zones, {} phases, 0 never-engage areas: no findings\n",
            plan.hash(),
            plan.index().zones().len(),
            plan.phases().len()
        )
    );
    // With never-engage areas that only touch the sanctuaries along borders.
    let neighbours = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/neighbours.geojson");
    let areas = sanctuary::geojson::zones_from_geojson_file(&neighbours).unwrap();
    assert!(plan.check(&areas).is_empty());
    let run = example(
        "decide",
        &[
            OsStr::new("check"),
            OsStr::new("--never-engage"),
            neighbours.as_os_str(),
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    assert!(
        run.stdout.starts_with(&format!("ok: plan {}, ", plan.hash()))
            && run
                .stdout
                .ends_with(&format!(", {} never-engage areas: no findings\n", areas.len())),
        "{run:?}"
    );
}

#[test]
fn findings_are_listed_with_status_3_and_no_all_clear_line() {
    // A 500 m circle cannot hold a 1 km standoff.
    let plan = TempPath::file(
        "small.plan.json",
        r#"{"name": "x", "phases": [{"id": "0", "name": "all"}],
            "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 500,
              "rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 1000}]}]}"#,
    );
    let run = example(
        "decide",
        &[OsStr::new("check"), OsStr::new("--plan"), plan.path().as_os_str()],
    );
    assert_eq!(run.status.code(), Some(3), "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{run:?}");
    assert!(
        lines[0].starts_with("standoff_too_large\tzones[id=c].rules[0].standoff_m\t"),
        "{run:?}"
    );
    assert!(!run.stdout.contains("ok:"), "{run:?}");
}

#[test]
fn an_unreadable_plan_is_a_one_line_error_with_status_1() {
    let missing = TempPath::name("missing.plan.json");
    let run = example(
        "decide",
        &[
            OsStr::new("check"),
            OsStr::new("--plan"),
            missing.path().as_os_str(),
        ],
    );
    let msg = run.one_line_error();
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert!(msg.contains("missing.plan.json"), "{msg}");
}
