//! `decide --format geojson`: an RFC 7946 FeatureCollection, one feature per input row in
//! order, with the verdicts of the CSV output.

use super::{example, Run, TempPath, COLUMNS, HEADER};
use serde_json::Value;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

/// `decide --phase <phase> --tracks <csv>` with `extra` arguments, on a temporary file.
fn decide_with(phase: &str, csv: &str, extra: &[&str]) -> Run {
    let tracks = TempPath::file("tracks.csv", csv);
    let mut args = vec![
        OsStr::new("--phase"),
        OsStr::new(phase),
        OsStr::new("--tracks"),
        tracks.path().as_os_str(),
    ];
    args.extend(extra.iter().map(OsStr::new));
    example("decide", &args)
}

/// The GeoJSON output of a successful run, checked to be a FeatureCollection written as
/// documented; returns its features.
fn features(run: &Run) -> Vec<Value> {
    assert!(run.status.success(), "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
    assert!(
        run.stdout
            .starts_with("{\"type\":\"FeatureCollection\",\"features\":["),
        "{run:?}"
    );
    assert!(run.stdout.ends_with("]}\n"), "{run:?}");
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc.as_object().unwrap().len(), 2, "{doc}");
    assert_eq!(doc["type"], "FeatureCollection");
    let features = doc["features"].as_array().unwrap().clone();
    for f in &features {
        assert_eq!(f["type"], "Feature", "{f}");
        let g = &f["geometry"];
        assert!(
            g.is_null() || (g["type"] == "Point" && g["coordinates"].as_array().unwrap().len() == 2),
            "{f}"
        );
    }
    features
}

/// Mixed rows: permits, denials for several reasons, unreadable rows and an out-of-range
/// latitude, with the optional columns.
fn mixed_tracks() -> String {
    format!(
        "{COLUMNS},uncertainty_m,speed_mps,heading_deg,tti_s\n\
         lviv,24.03,49.84,800,uas,hostile,,,,\n\
         kharkiv,36.23,49.99,800,uas,hostile,,,,\n\
         ufo,24.03,49.84,800,flying_saucer,hostile,,,,\n\
         edge,23.058,49.9,500,uas,hostile,,,,\n\
         short,24.03,49.84\n\
         range,24.03,95,800,uas,hostile,,,,\n\
         leaving,24.3,50.8,600,uas,hostile,,50,270,600\n\
         fuzzy,24.03,49.84,800,uas,hostile,5000,50,90,60\n\
         ,east,49.84,800,uas,hostile,,,,\n\
         missile,24.03,49.84,800,cruise_missile,hostile,,,,\n\
         friend,24.03,49.84,800,uas,friend,,,,\n"
    )
}

#[test]
fn geojson_has_one_feature_per_row_in_order_with_the_csv_verdicts() {
    let tracks = mixed_tracks();
    let csv_run = decide_with("1", &tracks, &[]);
    let rows = csv_run.rows();
    let geo_run = decide_with("1", &tracks, &["--format", "geojson"]);
    let features = features(&geo_run);
    assert_eq!(features.len(), rows.len(), "{geo_run:?}");
    assert_eq!(rows.len(), tracks.lines().count() - 1);
    for (row, f) in rows.iter().zip(&features) {
        let cells: Vec<&str> = row.split(',').collect();
        let [id, verdict, zone, phase, reasons, margin, exclusion, bound] = cells[..] else {
            panic!("{row}");
        };
        let p = &f["properties"];
        assert_eq!(p["track_id"], id, "{row} / {f}");
        assert_eq!(p["verdict"], verdict.to_lowercase(), "{row} / {f}");
        assert_eq!(p["zone"].as_str().unwrap_or_default(), zone, "{row} / {f}");
        assert_eq!(p["phase"], phase, "{row} / {f}");
        let codes: Vec<&str> = p["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        assert_eq!(codes.join(";"), reasons, "{row} / {f}");
        let m = p["margin_m"]
            .as_f64()
            .map(|m| format!("{m:.1}"))
            .unwrap_or_default();
        assert_eq!(m.replace("-0.0", "0.0"), margin, "{row} / {f}");
        assert_eq!(p["plan_hash"].as_str().unwrap().len(), 64, "{f}");
        assert_eq!(
            p["exclusion"].as_str().unwrap_or_default(),
            exclusion,
            "{row} / {f}"
        );
        let expected_bound = match (p["margin_m"].is_null(), p["margin_is_lower_bound"].as_bool()) {
            (true, _) => "",
            (false, Some(true)) => "lower_bound",
            (false, _) => "exact",
        };
        assert_eq!(bound, expected_bound, "{row} / {f}");
    }
    // Verdicts as expected, not merely equal.
    let verdict = |i: usize| features[i]["properties"]["verdict"].as_str().unwrap().to_string();
    assert_eq!(verdict(0), "permit");
    assert!((1..features.len()).filter(|&i| verdict(i) == "deny").count() >= 8);
    // Positions as given.
    assert_eq!(
        features[0]["geometry"],
        serde_json::json!({"type": "Point", "coordinates": [24.03, 49.84]})
    );
    assert_eq!(features[0]["properties"]["alt_m"], 800.0);
    assert_eq!(features[0]["properties"]["class"], "uas");
    assert_eq!(features[0]["properties"]["identity"], "hostile");
}

#[test]
fn invalid_rows_have_a_null_geometry_and_the_invalid_track_decision() {
    let features = features(&decide_with("1", &mixed_tracks(), &["--format", "geojson"]));
    for (i, id) in [(2, "ufo"), (4, "short"), (5, "range"), (8, "")] {
        let f = &features[i];
        assert!(f["geometry"].is_null(), "{f}");
        assert_eq!(f["properties"]["track_id"], id, "{f}");
        assert_eq!(f["properties"]["verdict"], "deny", "{f}");
        assert_eq!(
            f["properties"]["reasons"],
            serde_json::json!(["invalid_track"]),
            "{f}"
        );
        assert!(f["properties"]["zone"].is_null(), "{f}");
        assert!(f["properties"]["margin_m"].is_null(), "{f}");
    }
    // An unreadable row reports no made-up track values; a readable one out of range keeps
    // its own.
    assert!(features[2]["properties"]["class"].is_null());
    assert!(features[2]["properties"]["identity"].is_null());
    assert!(features[2]["properties"]["alt_m"].is_null());
    assert_eq!(features[5]["properties"]["class"], "uas");
    assert_eq!(features[5]["properties"]["alt_m"], 800.0);
    // Every other row has a point.
    for (i, f) in features.iter().enumerate() {
        if ![2, 4, 5, 8].contains(&i) {
            assert!(f["geometry"].is_object(), "{f}");
        }
    }
}

#[test]
fn a_header_only_file_is_an_empty_collection_and_csv_is_the_default() {
    let geo = decide_with("1", &format!("{COLUMNS}\n"), &["--format", "geojson"]);
    assert!(features(&geo).is_empty());
    assert_eq!(geo.stdout, "{\"type\":\"FeatureCollection\",\"features\":[]}\n");
    let tracks = format!("{COLUMNS}\nd1,24.03,49.84,800,uas,hostile\n");
    let default = decide_with("1", &tracks, &[]);
    let csv = decide_with("1", &tracks, &["--format", "csv"]);
    assert!(default.stdout.starts_with(&format!("{HEADER}\n")), "{default:?}");
    assert_eq!(default.stdout, csv.stdout);
    assert_eq!(default.rows().len(), 1);
}

#[test]
fn a_bad_format_is_a_usage_error_and_the_usage_names_the_flag() {
    for extra in [
        &["--format", "xml"][..],
        &["--format"],
        &["--format", "csv", "--format", "csv"],
    ] {
        let run = decide_with("1", &format!("{COLUMNS}\n"), extra);
        assert_eq!(run.status.code(), Some(2), "{extra:?}: {run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
        assert!(run.stderr.contains("[--format csv|geojson]"), "{run:?}");
    }
    let help = example("decide", &["--help"]);
    assert!(help.stdout.contains("[--format csv|geojson]"), "{help:?}");
}

#[test]
fn a_closed_stdout_ends_a_geojson_run_quietly_with_status_0() {
    // Far more output than a pipe buffers, so the writer must meet the closed pipe.
    let mut text = format!("{COLUMNS}\n");
    for i in 0..5_000 {
        text.push_str(&format!("d{i},24.03,49.84,800,uas,hostile\n"));
    }
    let tracks = TempPath::file("many.csv", text);
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "run",
        "--quiet",
        "--message-format=json",
        "--example",
        "decide",
    ]);
    if !cfg!(debug_assertions) {
        cmd.arg("--release");
    }
    let mut child = cmd
        .args(["--", "--format", "geojson", "--phase", "1", "--tracks"])
        .arg(tracks.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    // Skip cargo's JSON build messages, then read the header line and one feature.
    loop {
        first.clear();
        assert!(stdout.read_line(&mut first).unwrap() > 0, "stdout ended early");
        if !first.starts_with("{\"reason\":") {
            break;
        }
    }
    assert_eq!(first, "{\"type\":\"FeatureCollection\",\"features\":[\n");
    let mut feature = String::new();
    stdout.read_line(&mut feature).unwrap();
    let f: Value = serde_json::from_str(feature.trim_end().trim_end_matches(',')).unwrap();
    assert_eq!(f["properties"]["track_id"], "d0");
    drop(stdout);
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(stderr, "", "quiet on a broken pipe");
    assert!(status.success(), "{status:?}");
}
