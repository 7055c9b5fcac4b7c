//! The bad-input catalogue: every malformed plan, zone file and track row under
//! `files/` is listed in `catalogue.json` with the error kind and place it must produce.
//! One test runs the whole table and reports every row that does not match.
//!
//! Row fields: `file` (under `files/`), `kind`, `place` (or null; a trailing `*` matches
//! any continuation, for paths thousands of levels deep), and optionally `load`
//! (the [`LoadError`] kind inside a [`PlanError::Zone`]), `problem` (the [`ZoneProblem`]
//! variant), `pinned` (the hash to pin a plan to) and `generate` (`oversize`: the test
//! writes a sparse file one byte over the size limit; `absent`: the file must not exist).
//!
//! Kinds, by file name:
//! - `*.plan.json` ([`Plan::from_file`]): the [`PlanError`] variant (`io`, `syntax`,
//!   `invalid`, `zone`, `hash_mismatch`) and [`PlanError::place`].
//! - `*.geojson` ([`zones_from_geojson_file`]): the [`LoadError`] variant (`io`, `json`,
//!   `format`, `zone`, `duplicate_id`) and its place (`features[i]...`).
//! - `*.track.json` (one [`Track`] row as JSON): `syntax` with the JSON path of the bad
//!   field, or `invalid_track` when the row parses and the engine denies it with
//!   [`Reason::InvalidTrack`].
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failed expectation is a test failure (clippy.toml only covers #[test] fns)"
)]

use sanctuary::{
    geojson::{zones_from_geojson_file, LoadError, MAX_ZONE_FILE_BYTES},
    geometry::ZoneError,
    plan::{PlanError, MAX_PLAN_FILE_BYTES},
    Engine, Plan, Reason, Track,
};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    file: String,
    kind: String,
    place: Option<String>,
    #[serde(default)]
    load: Option<String>,
    #[serde(default)]
    problem: Option<String>,
    #[serde(default)]
    pinned: Option<String>,
    #[serde(default)]
    generate: Option<String>,
    #[allow(dead_code, reason = "documentation for the reader of the table")]
    note: String,
}

/// What an input produced: kind, place, and for zone errors the inner load kind and the
/// first zone problem.
#[derive(Debug, Default, PartialEq)]
struct Outcome {
    kind: String,
    place: Option<String>,
    load: Option<String>,
    problem: Option<String>,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs")
}

fn catalogue() -> Vec<Row> {
    let text = std::fs::read_to_string(dir().join("catalogue.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The variant name of a zone problem, e.g. `SelfIntersection`.
fn first_problem(e: &ZoneError) -> Option<String> {
    e.problems.first().map(|p| {
        format!("{p:?}")
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect()
    })
}

fn load_outcome(e: &LoadError) -> Outcome {
    let (kind, place, problem) = match e {
        LoadError::Io { .. } => ("io", None, None),
        LoadError::Json { .. } => ("json", None, None),
        LoadError::Format { place, .. } => ("format", Some(place.clone()), None),
        LoadError::Zone { place, source } => ("zone", Some(place.clone()), first_problem(source)),
        LoadError::DuplicateId { second, .. } => ("duplicate_id", Some(format!("features[{second}]")), None),
        other => panic!("unexpected load error variant: {other:?}"),
    };
    Outcome {
        kind: kind.to_string(),
        place,
        load: None,
        problem,
    }
}

fn plan_outcome(e: &PlanError) -> Outcome {
    let kind = match e {
        PlanError::Io { .. } => "io",
        PlanError::Syntax { .. } => "syntax",
        PlanError::Invalid { .. } => "invalid",
        PlanError::UnknownPhase { .. } => "unknown_phase",
        PlanError::UnknownPartner { .. } => "unknown_partner",
        PlanError::UnknownFeature { .. } => "unknown_feature",
        PlanError::DuplicateId { .. } => "duplicate_id",
        PlanError::InvalidId { .. } => "invalid_id",
        PlanError::BadValue { .. } => "bad_value",
        PlanError::FileConfinement { .. } => "file_confinement",
        PlanError::TooLarge { .. } => "too_large",
        PlanError::Zone { .. } => "zone",
        PlanError::HashMismatch { .. } => "hash_mismatch",
        other => panic!("unexpected plan error variant: {other:?}"),
    };
    let (load, problem) = match e {
        PlanError::Zone { source, .. } => {
            let inner = load_outcome(source);
            (Some(inner.kind), inner.problem)
        }
        _ => (None, None),
    };
    Outcome {
        kind: kind.to_string(),
        place: e.place().map(str::to_string),
        load,
        problem,
    }
}

fn track_outcome(path: &Path) -> Result<(), Outcome> {
    let text = std::fs::read_to_string(path).unwrap();
    let de = &mut serde_json::Deserializer::from_str(&text);
    let track: Track = serde_path_to_error::deserialize(de).map_err(|e| Outcome {
        kind: "syntax".to_string(),
        place: Some(e.path().to_string()),
        ..Outcome::default()
    })?;
    let engine = Engine::new(Plan::safe_haven().unwrap());
    let d = engine.decide(&track, "1", None);
    if d.reasons == [Reason::InvalidTrack] {
        return Err(Outcome {
            kind: "invalid_track".to_string(),
            ..Outcome::default()
        });
    }
    Ok(())
}

/// Runs one row; `Err` holds what it produced when that is an error.
fn run(row: &Row, path: &Path) -> Result<(), Outcome> {
    if row.file.ends_with(".plan.json") {
        let result = match &row.pinned {
            Some(hash) => Plan::from_file_pinned(path, hash),
            None => Plan::from_file(path),
        };
        result.map(drop).map_err(|e| plan_outcome(&e))
    } else if row.file.ends_with(".geojson") {
        zones_from_geojson_file(path)
            .map(drop)
            .map_err(|e| load_outcome(&e))
    } else if row.file.ends_with(".track.json") {
        track_outcome(path)
    } else {
        panic!("{}: unknown file type", row.file)
    }
}

/// Does an outcome match the catalogue's, with a trailing `*` in the place as a wildcard?
fn matches(got: &Outcome, want: &Outcome) -> bool {
    let place = match (&got.place, &want.place) {
        (Some(g), Some(w)) => match w.strip_suffix('*') {
            Some(prefix) => g.starts_with(prefix),
            None => g == w,
        },
        (g, w) => g == w,
    };
    place && got.kind == want.kind && got.load == want.load && got.problem == want.problem
}

/// Writes a sparse file one byte larger than `limit` (no disk space used).
fn sparse(path: &Path, limit: u64) {
    let f = std::fs::File::create(path).unwrap();
    f.set_len(limit + 1).unwrap();
}

#[test]
fn every_bad_input_fails_with_its_catalogued_kind_and_place() {
    let rows = catalogue();
    let tmp = std::env::temp_dir().join(format!("sanctuary-bad-inputs-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut failures = Vec::new();
    for row in &rows {
        let path = match row.generate.as_deref() {
            None => dir().join("files").join(&row.file),
            Some("oversize") => {
                let path = tmp.join(&row.file);
                let limit = if row.file.ends_with(".plan.json") {
                    MAX_PLAN_FILE_BYTES
                } else {
                    MAX_ZONE_FILE_BYTES
                };
                sparse(&path, limit);
                path
            }
            Some("absent") => tmp.join(&row.file),
            Some(other) => panic!("{}: unknown generator `{other}`", row.file),
        };
        let got = run(row, &path);
        if row.generate.as_deref() == Some("oversize") {
            std::fs::remove_file(&path).ok();
        }
        let want = Outcome {
            kind: row.kind.clone(),
            place: row.place.clone(),
            load: row.load.clone(),
            problem: row.problem.clone(),
        };
        match got {
            Ok(()) => failures.push(format!("{}: accepted, expected {want:?}", row.file)),
            Err(got) if !matches(&got, &want) => {
                failures.push(format!("{}: got {got:?}, expected {want:?}", row.file))
            }
            Err(_) => {}
        }
    }
    std::fs::remove_dir_all(&tmp).ok();
    assert!(
        failures.is_empty(),
        "{} of {} rows differ:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

#[test]
fn the_catalogue_covers_every_file() {
    let rows = catalogue();
    assert!(rows.len() >= 25);
    let listed: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.file.as_str()).collect();
    assert_eq!(listed.len(), rows.len(), "a file is listed twice");
    for entry in std::fs::read_dir(dir().join("files")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        // good.geojson is the valid source file some plans refer to.
        if name != "good.geojson" {
            assert!(listed.contains(name.as_str()), "{name} is not in the catalogue");
        }
    }
    for row in rows.iter().filter(|r| r.generate.is_none()) {
        assert!(
            dir().join("files").join(&row.file).is_file(),
            "{} is missing",
            row.file
        );
    }
}

#[test]
fn deep_nesting_is_refused_by_the_recursion_limit() {
    let files = dir().join("files");
    let plan = Plan::from_file(files.join("deep_nesting.plan.json")).unwrap_err();
    assert!(plan.to_string().contains("recursion limit"), "{plan}");
    let zones = zones_from_geojson_file(files.join("deep_nesting.geojson")).unwrap_err();
    assert!(zones.to_string().contains("recursion limit"), "{zones}");
}
