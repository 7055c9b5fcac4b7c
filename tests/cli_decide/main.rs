//! Runs the `decide`, `safe_haven` and `profile` examples through cargo and checks their
//! output, exit status, error messages and `--help` texts.

// Test code: a failed unwrap or index is a failed test. (clippy.toml's allow-*-in-tests
// covers only `#[test]` functions, not the helpers.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use sanctuary::{
    plan::{Identity, TargetClass},
    Engine, Plan, Track,
};
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

mod check;
mod geojson;
mod help;
mod stdin;

/// The exact output header of `decide`.
const HEADER: &str = "id,verdict,zone,phase,reasons,margin_m,exclusion,margin_bound";

/// The required columns, in the documented order.
const COLUMNS: &str = "id,lon,lat,alt_m,class,identity";

/// A path under the system temp directory, unique to this process and call, removed (file
/// or directory) on drop.
struct TempPath(PathBuf);

impl TempPath {
    fn name(name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        TempPath(std::env::temp_dir().join(format!("sanctuary-cli-decide-{}-{n}-{name}", std::process::id())))
    }

    fn file(name: &str, contents: impl AsRef<[u8]>) -> Self {
        let t = Self::name(name);
        std::fs::write(&t.0, contents).unwrap();
        t
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `cargo run --quiet --example <name> -- <args>` from the package root, with the target
/// dir (CARGO_TARGET_DIR) inherited from the environment.
///
/// `--message-format=json` sends cargo's own messages (compiler warnings included) to
/// stdout as JSON lines ahead of the program's output, where [`Run`] drops them, so stderr
/// holds only what the example writes.
fn example<S: AsRef<OsStr>>(name: &str, args: &[S]) -> Run {
    Run::of(example_command(name, args).output().unwrap())
}

/// [`example`] with `input` on its standard input.
fn example_with_stdin<S: AsRef<OsStr>>(name: &str, args: &[S], input: &[u8]) -> Run {
    let mut child = example_command(name, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Written from another thread, so that a program that stops reading early cannot
    // block the test; a closed pipe is not an error here.
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Run::of(out)
}

/// The command that runs an example, as [`example`] describes.
fn example_command<S: AsRef<OsStr>>(name: &str, args: &[S]) -> Command {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "run",
        "--quiet",
        "--message-format=json",
        "--example",
        name,
    ]);
    // Reuse the profile the tests were built with instead of building the example twice.
    if !cfg!(debug_assertions) {
        cmd.arg("--release");
    }
    cmd.arg("--").args(args);
    cmd
}

/// What one run did.
#[derive(Debug)]
struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Run {
    /// What a finished run wrote, cargo's JSON messages dropped.
    fn of(out: Output) -> Self {
        let stdout = String::from_utf8(out.stdout).unwrap();
        Run {
            status: out.status,
            stdout: stdout
                .split_inclusive('\n')
                .skip_while(|line| line.starts_with("{\"reason\":"))
                .collect(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    /// The output rows after the header, which must be exactly [`HEADER`].
    fn rows(&self) -> Vec<&str> {
        assert!(self.status.success(), "{self:?}");
        assert!(self.stderr.is_empty(), "{self:?}");
        let mut lines = self.stdout.lines();
        assert_eq!(lines.next(), Some(HEADER), "{self:?}");
        lines.collect()
    }

    /// A failed run: non-zero exit, exactly one line on stderr (returned), nothing on
    /// stdout.
    fn one_line_error(&self) -> &str {
        assert!(!self.status.success(), "{self:?}");
        assert_ne!(self.status.code(), Some(2), "not a usage error: {self:?}");
        assert!(self.stdout.is_empty(), "{self:?}");
        assert!(self.stderr.ends_with('\n'), "{self:?}");
        assert_eq!(self.stderr.lines().count(), 1, "{self:?}");
        assert!(self.stderr.starts_with("decide: "), "{self:?}");
        self.stderr.trim_end()
    }
}

/// `decide --phase <phase> --tracks <csv>` on a temporary tracks file.
fn decide(phase: &str, csv: &str) -> Run {
    let tracks = TempPath::file("tracks.csv", csv);
    example(
        "decide",
        &[
            OsStr::new("--phase"),
            OsStr::new(phase),
            OsStr::new("--tracks"),
            tracks.path().as_os_str(),
        ],
    )
}

/// The margin column as `decide` prints it, computed with the library.
fn expected_margin(track: &Track, phase: &str) -> String {
    let d = Engine::new(Plan::safe_haven().unwrap()).decide(track, phase, None);
    format!("{:.1}", d.margin_m.unwrap())
}

/// The last three cells `decide` writes for `track`: margin, exclusion, margin bound.
fn expected_tail(track: &Track, phase: &str) -> String {
    let d = Engine::new(Plan::safe_haven().unwrap()).decide(track, phase, None);
    let bound = if d.margin_is_lower_bound {
        "lower_bound"
    } else {
        "exact"
    };
    format!(
        "{:.1},{},{bound}",
        d.margin_m.unwrap(),
        d.exclusion.as_deref().unwrap_or_default()
    )
}

#[test]
fn header_and_rows_in_input_order() {
    let run = decide(
        "1",
        &format!(
            "{COLUMNS}\n\
             zulu,24.03,49.84,800,uas,hostile\n\
             alpha,36.23,49.99,800,uas,hostile\n\
             mike,24.03,49.84,800,cruise_missile,hostile\n\
             alpha,25.34,50.75,100,cruise_missile,hostile\n"
        ),
    );
    let ids: Vec<&str> = run.rows().iter().map(|r| r.split(',').next().unwrap()).collect();
    assert_eq!(ids, ["zulu", "alpha", "mike", "alpha"]);
    for row in run.rows() {
        assert_eq!(row.split(',').count(), 8, "{row}");
    }
}

#[test]
fn hostile_drone_over_lviv_in_phase_1_is_permitted_in_ua_46() {
    let run = decide("1", &format!("{COLUMNS}\nd1,24.03,49.84,800,uas,hostile\n"));
    let track = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    let margin = expected_margin(&track, "1");
    assert_eq!(
        run.rows(),
        [format!("d1,PERMIT,UA-46,1,,{margin},,lower_bound").as_str()]
    );
    // Lviv city is tens of kilometres from the sanctuary area's edge: beyond the horizon
    // out to which margins are measured exactly.
    assert_eq!(
        margin.parse::<f64>().unwrap(),
        sanctuary::engine::MARGIN_HORIZON_M,
        "{margin}"
    );
}

#[test]
fn the_same_drone_in_phase_0_is_denied_outside_active_sanctuary() {
    let run = decide("0", &format!("{COLUMNS}\nd1,24.03,49.84,800,uas,hostile\n"));
    assert_eq!(run.rows(), ["d1,DENY,,0,outside_active_sanctuary,,,"]);
}

#[test]
fn an_unreadable_row_is_denied_as_invalid_track_and_the_run_goes_on() {
    let run = decide(
        "1",
        &format!(
            "{COLUMNS}\n\
             ok1,24.03,49.84,800,uas,hostile\n\
             ufo,24.03,49.84,800,flying_saucer,hostile\n\
             who,24.03,49.84,800,uas,alien\n\
             nan,24.03,NaN,800,uas,hostile\n\
             inf,24.03,49.84,inf,uas,hostile\n\
             text,east,49.84,800,uas,hostile\n\
             empty,24.03,,800,uas,hostile\n\
             short,24.03,49.84\n\
             long,24.03,49.84,800,uas,hostile,extra\n\
             ,24.03,49.84,800,uas,nobody\n\
             range,24.03,95,800,uas,hostile\n\
             ok2,24.03,49.84,800,uas,hostile\n"
        ),
    );
    let rows = run.rows();
    assert_eq!(rows.len(), 12, "{run:?}");
    for (row, id) in rows[1..11].iter().zip([
        "ufo", "who", "nan", "inf", "text", "empty", "short", "long", "", "range",
    ]) {
        assert_eq!(*row, format!("{id},DENY,,1,invalid_track,,,"));
    }
    assert!(rows[0].starts_with("ok1,PERMIT,UA-46,1,,"), "{run:?}");
    assert!(rows[11].starts_with("ok2,PERMIT,UA-46,1,,"), "{run:?}");
}

#[test]
fn extra_and_reordered_columns_are_accepted() {
    let run = decide(
        "1",
        "note,identity,alt_m,lat,callsign,class,lon,id\n\
         over Lviv,hostile,800,49.84,X1,uas,24.03,d1\n\
         over Kharkiv,hostile,800,49.99,X2,uas,36.23,d2\n",
    );
    let rows = run.rows();
    assert!(rows[0].starts_with("d1,PERMIT,UA-46,1,,"), "{run:?}");
    assert_eq!(rows[1], "d2,DENY,,1,outside_active_sanctuary,,,");
}

#[test]
fn empty_optional_cells_mean_absent() {
    let run = decide(
        "1",
        &format!(
            "{COLUMNS},uncertainty_m,speed_mps,heading_deg,tti_s\n\
             plain,24.03,49.84,800,uas,hostile\n\
             empty,24.03,49.84,800,uas,hostile,,,,\n\
             spaces,24.03,49.84,800,uas,hostile, , , , \n\
             full,24.03,49.84,800,uas,hostile,5000,50,90,60\n"
        ),
    );
    let rows = run.rows();
    // `plain` has too few fields for this header: an invalid track.
    assert_eq!(rows[0], "plain,DENY,,1,invalid_track,,,");
    let track = Track::new("empty", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    let margin = expected_tail(&track, "1");
    assert_eq!(rows[1], format!("empty,PERMIT,UA-46,1,,{margin}"));
    assert_eq!(rows[2], format!("spaces,PERMIT,UA-46,1,,{margin}"));
    // The uncertainty is subtracted from the margin.
    let full = track.with_uncertainty(5000.0).with_intercept(50.0, 90.0, 60.0);
    assert_eq!(
        rows[3],
        format!("full,PERMIT,UA-46,1,,{}", expected_tail(&full, "1"))
    );
}

#[test]
fn uncertainty_and_a_predicted_point_can_deny() {
    // 1 km inside the Polish border (standoff 2 km), and a drone heading out of Volyn
    // into Poland within its time to intercept.
    let run = decide(
        "1",
        "id,lon,lat,alt_m,class,identity,speed_mps,heading_deg,tti_s\n\
         edge,23.058,49.9,500,uas,hostile,,,\n\
         leaving,24.3,50.8,600,uas,hostile,50,270,600\n\
         staying,24.3,50.8,600,uas,hostile,50,90,60\n",
    );
    let rows = run.rows();
    assert!(
        rows[0].starts_with("edge,DENY,UA-46,1,standoff_not_met,"),
        "{run:?}"
    );
    assert!(rows[1].starts_with("leaving,DENY,UA-07,1,"), "{run:?}");
    assert!(rows[1].contains("predicted_point_outside"), "{run:?}");
    assert!(rows[2].starts_with("staying,PERMIT,UA-07,1,,"), "{run:?}");
}

/// `decide` with `--partner <partner>` in phase 1 on one drone over Lviv.
fn decide_as_partner(partner: &str) -> Run {
    let tracks = TempPath::file(
        "partner.csv",
        format!("{COLUMNS}\nd1,24.03,49.84,800,uas,hostile\n"),
    );
    example(
        "decide",
        &[
            OsStr::new("--phase"),
            OsStr::new("1"),
            OsStr::new("--partner"),
            OsStr::new(partner),
            OsStr::new("--tracks"),
            tracks.path().as_os_str(),
        ],
    )
}

#[test]
fn a_known_partner_is_passed_to_the_engine() {
    let run = decide_as_partner("POL");
    let rows = run.rows();
    let track = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    let expected = Engine::new(Plan::safe_haven().unwrap()).decide(&track, "1", Some("POL"));
    assert_eq!(rows.len(), 1, "{run:?}");
    assert!(
        rows[0].starts_with(&format!(
            "d1,{},",
            if expected.is_permit() { "PERMIT" } else { "DENY" }
        )),
        "{run:?}"
    );
}

#[test]
fn an_unknown_partner_is_refused_before_any_row_is_read() {
    let run = decide_as_partner("NOBODY");
    let msg = run.one_line_error();
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert!(msg.contains("unknown partner `NOBODY`"), "{msg}");
    // The plan's partner ids are listed.
    for id in ["POL", "SVK", "HUN", "ROU"] {
        assert!(msg.contains(id), "{msg}");
    }
    // A partner id with a line break is named escaped, on the one line.
    let run = decide_as_partner("PO\nL");
    let msg = run.one_line_error();
    assert!(msg.contains("unknown partner `PO\\u{000A}L`"), "{msg}");
}

#[test]
fn an_unreadable_tracks_file_is_a_one_line_error() {
    let missing = TempPath::name("missing.csv");
    let run = example(
        "decide",
        &[
            OsStr::new("--phase"),
            OsStr::new("1"),
            OsStr::new("--tracks"),
            missing.path().as_os_str(),
        ],
    );
    let msg = run.one_line_error();
    assert!(msg.contains("missing.csv"), "{msg}");
}

#[test]
fn a_missing_required_column_is_a_one_line_error() {
    let run = decide("1", "id,lon,lat,alt_m,class\nd1,24.03,49.84,800,uas\n");
    let msg = run.one_line_error();
    assert!(msg.contains("identity"), "{msg}");
}

#[test]
fn an_unknown_phase_is_a_one_line_error() {
    let run = decide("7", &format!("{COLUMNS}\nd1,24.03,49.84,800,uas,hostile\n"));
    let msg = run.one_line_error();
    assert!(msg.contains("unknown phase `7`"), "{msg}");
}

#[test]
fn an_invalid_plan_file_is_a_one_line_error() {
    let plan = TempPath::file("bad.plan.json", "{\"name\": \"x\", \"phases\": []}");
    let tracks = TempPath::file("t.csv", format!("{COLUMNS}\nd1,24.03,49.84,800,uas,hostile\n"));
    let run = example(
        "decide",
        &[
            OsStr::new("--plan"),
            plan.path().as_os_str(),
            OsStr::new("--phase"),
            OsStr::new("1"),
            OsStr::new("--tracks"),
            tracks.path().as_os_str(),
        ],
    );
    let msg = run.one_line_error();
    assert!(msg.contains("bad.plan.json"), "{msg}");
}

#[test]
fn a_bad_command_line_is_a_usage_error() {
    for args in [
        &["--phase", "1"][..],
        &["--tracks", "x.csv"],
        &["--phase", "1", "--phase", "2", "--tracks", "x.csv"],
        &["--phase", "1", "--tracks", "x.csv", "--colour"],
        &["--phase", "--tracks", "x.csv"],
    ] {
        let run = example("decide", args);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
        // clap's message, then the usage.
        assert!(run.stderr.starts_with("error: "), "{run:?}");
        assert!(run.stderr.contains("\nUsage: decide "), "{run:?}");
    }
}

#[test]
fn a_custom_plan_file_with_an_inline_polygon() {
    let plan = TempPath::file(
        "square.plan.json",
        r#"{
          "name": "Square",
          "phases": [{"id": "off", "name": "nothing"}, {"id": "on", "name": "the square"}],
          "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 1000}],
          "zones": [{
            "id": "SQ",
            "geometry": {"type": "Polygon",
                         "coordinates": [[[10, 50], [11, 50], [11, 51], [10, 51], [10, 50]]]},
            "active_from": "on"
          }]
        }"#,
    );
    let tracks = TempPath::file(
        "square.csv",
        format!(
            "{COLUMNS}\n\
             in,10.5,50.5,100,uas,hostile\n\
             out,12.5,50.5,100,uas,hostile\n\
             missile,10.5,50.5,100,cruise_missile,hostile\n"
        ),
    );
    let run_in = |phase: &str| {
        example(
            "decide",
            &[
                OsStr::new("--plan"),
                plan.path().as_os_str(),
                OsStr::new("--phase"),
                OsStr::new(phase),
                OsStr::new("--tracks"),
                tracks.path().as_os_str(),
            ],
        )
    };
    let on = run_in("on");
    let rows = on.rows();
    let expected = Engine::new(Plan::from_file(plan.path()).unwrap()).decide(
        &Track::new("in", 10.5, 50.5, 100.0, TargetClass::Uas, Identity::Hostile),
        "on",
        None,
    );
    assert_eq!(
        rows[0],
        format!("in,PERMIT,SQ,on,,{:.1},,lower_bound", expected.margin_m.unwrap())
    );
    assert_eq!(rows[1], "out,DENY,,on,outside_active_sanctuary,,,");
    assert!(
        rows[2].starts_with("missile,DENY,SQ,on,class_not_authorised,"),
        "{on:?}"
    );
    let off = run_in("off");
    assert_eq!(off.rows()[0], "in,DENY,,off,outside_active_sanctuary,,,");
    // The embedded plan's phases are not this plan's.
    assert!(run_in("1").one_line_error().contains("unknown phase"));
}

#[test]
fn safe_haven_writes_a_map_per_phase_and_prints_every_phase() {
    let out = TempPath::name("maps");
    let run = example("safe_haven", &[OsStr::new("--out"), out.path().as_os_str()]);
    assert!(run.status.success(), "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
    for phase in 0..=6 {
        let svg = std::fs::read_to_string(out.path().join(format!("phase-{phase}.svg"))).unwrap();
        assert!(!svg.is_empty());
        assert!(
            svg.starts_with("<svg") || svg.starts_with("<?xml"),
            "phase {phase}"
        );
        assert!(svg.trim_end().ends_with("</svg>"), "phase {phase}");
        assert!(run.stdout.contains(&format!("== Phase {phase}:")), "{run:?}");
        assert!(run.stdout.contains(&format!("phase {phase}: ")), "{run:?}");
    }
    assert!(run.stdout.contains(&out.path().display().to_string()), "{run:?}");
}

#[test]
fn safe_haven_reports_an_unwritable_directory() {
    // A regular file where the directory should be.
    let file = TempPath::file("not-a-dir", "x");
    let run = example("safe_haven", &[OsStr::new("--out"), file.path().as_os_str()]);
    assert!(!run.status.success(), "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    assert!(run.stderr.starts_with("safe_haven: "), "{run:?}");
}

#[test]
fn incomplete_intercept_data_and_anonymous_rows_are_invalid_tracks() {
    let run = decide(
        "1",
        &format!(
            "{COLUMNS},speed_mps,heading_deg,tti_s\n\
             whole,24.03,49.84,800,uas,hostile,50,90,60\n\
             tti_only,24.03,49.84,800,uas,hostile,,,60\n\
             no_tti,24.03,49.84,800,uas,hostile,50,90,\n\
             speed_only,24.03,49.84,800,uas,hostile,50,,60\n\
             ,24.03,49.84,800,uas,hostile,,,\n\
             none,24.03,49.84,800,uas,hostile,,,\n"
        ),
    );
    let rows = run.rows();
    assert_eq!(rows.len(), 6, "{run:?}");
    assert!(rows[0].starts_with("whole,PERMIT,UA-46,1,,"), "{run:?}");
    for (row, id) in rows[1..5].iter().zip(["tti_only", "no_tti", "speed_only", ""]) {
        assert_eq!(*row, format!("{id},DENY,,1,invalid_track,,,"));
    }
    assert!(rows[5].starts_with("none,PERMIT,UA-46,1,,"), "{run:?}");
}

#[test]
fn ids_with_control_characters_are_denied_and_written_escaped_on_one_line() {
    let run = decide(
        "1",
        &format!(
            "{COLUMNS}\n\
             \"a\nb\",24.03,49.84,800,uas,hostile\n\
             \"esc\u{1b}[2J\",24.03,49.84,800,uas,hostile\n\
             {},24.03,49.84,800,uas,hostile\n\
             ok,24.03,49.84,800,uas,hostile\n",
            "x".repeat(sanctuary::id::MAX_ID_BYTES + 1)
        ),
    );
    let rows = run.rows();
    assert_eq!(rows.len(), 4, "one output line per input row: {run:?}");
    assert_eq!(rows[0], "a\\u{000A}b,DENY,,1,invalid_track,,,");
    assert_eq!(rows[1], "esc\\u{001B}[2J,DENY,,1,invalid_track,,,");
    assert!(rows[2].ends_with("…,DENY,,1,invalid_track,,,"), "{}", rows[2]);
    assert!(rows[3].starts_with("ok,PERMIT,"), "{run:?}");
}

#[test]
fn formula_like_ids_are_written_verbatim_as_documented() {
    // The README: ids are never altered, so the output joins back to the input; a
    // spreadsheet should import the file as text.
    let run = decide(
        "1",
        &format!(
            "{COLUMNS}\n\
             =1+1,24.03,49.84,800,uas,hostile\n\
             +cmd,24.03,49.84,800,uas,hostile\n\
             -7,24.03,49.84,800,uas,hostile\n\
             @sum,24.03,49.84,800,uas,hostile\n\
             \"=a,b\",24.03,49.84,800,uas,hostile\n"
        ),
    );
    let text = run.rows().join("\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().get(0).unwrap().to_string())
        .collect();
    assert_eq!(ids, ["=1+1", "+cmd", "-7", "@sum", "=a,b"]);
}

#[test]
fn an_exclusion_that_denies_is_named_in_its_column() {
    // Inside Poland (an exclusion in every phase), and 1 km inside Ukraine with a 5 km
    // uncertainty disc that reaches into Poland.
    let run = decide(
        "1",
        "id,lon,lat,alt_m,class,identity,uncertainty_m\n\
         poland,22.5,50.5,800,uas,hostile,\n\
         disc,23.058,49.9,500,uas,hostile,5000\n",
    );
    let rows = run.rows();
    let engine = Engine::new(Plan::safe_haven().unwrap());
    let poland = engine.decide(
        &Track::new("poland", 22.5, 50.5, 800.0, TargetClass::Uas, Identity::Hostile),
        "1",
        None,
    );
    let excl = poland.exclusion.as_deref().expect("an exclusion denies");
    let cells: Vec<&str> = rows[0].split(',').collect();
    assert_eq!(cells[6], excl, "{run:?}");
    assert!(cells[4].contains("inside_exclusion"), "{run:?}");
    let cells: Vec<&str> = rows[1].split(',').collect();
    assert!(cells[4].contains("inside_exclusion"), "{run:?}");
    assert_eq!(cells[6], excl, "the same neighbour: {run:?}");
}
