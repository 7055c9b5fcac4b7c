//! `locate --help` documents every input and output column and every exit status; `-`
//! reads the points from standard input; an unknown flag is clap's usage error.

use crate::support::{locate_csv, oblasts, run, run_with_stdin, HEADER};
use std::ffi::OsStr;

#[test]
fn help_documents_the_columns_and_the_exit_statuses() {
    let help = run(&["--help"]);
    assert!(help.status.success(), "{help:?}");
    assert_eq!(help.stderr, "", "{help:?}");
    let text = &help.stdout;
    assert!(text.starts_with("Where each point"), "{text}");
    assert!(text.contains(&format!("\n    {HEADER}\n")), "{text}");
    for column in HEADER.split(',').chain(["lon", "lat"]) {
        assert!(
            text.contains(&format!("\n    {column} ")),
            "column `{column}`: {text}"
        );
    }
    assert!(text.contains("--points -` reads standard input"), "{text}");
    let (_, statuses) = text
        .split_once("\nEXIT STATUS\n")
        .expect("an EXIT STATUS section");
    for status in ["0", "1", "2"] {
        assert!(
            statuses.contains(&format!("  {status}  ")),
            "status {status}: {statuses}"
        );
    }
}

#[test]
fn a_dash_reads_the_points_from_standard_input() {
    let points = "id,lon,lat\nlviv,24.03,49.84\nwarsaw,21.0122,52.2297\n";
    let (from_file, _f) = locate_csv(points);
    let zones = oblasts();
    let args = [
        OsStr::new("--zones"),
        zones.as_os_str(),
        OsStr::new("--points"),
        OsStr::new("-"),
    ];
    let from_stdin = run_with_stdin(&args, points.as_bytes());
    assert_eq!(from_stdin.ok_rows().len(), 2);
    assert_eq!(from_stdin.stdout, from_file.stdout);
    // Errors name standard input and the line.
    let bad = run_with_stdin(&args, b"id,lon,lat\nok,24,49\nbad,x,49\n");
    bad.one_error_line(&["locate: <stdin>: line 3:", "`x` is not a number"]);
}

#[test]
fn an_unknown_flag_is_clap_s_usage_error_with_status_2() {
    let zones = oblasts().display().to_string();
    let run = run(&["--zones", &zones, "--points", "p.csv", "--verbose"]);
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .starts_with("error: unexpected argument '--verbose' found\n"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("\nUsage: locate --zones <ZONES.geojson> --points <POINTS.csv>\n"),
        "{run:?}"
    );
}
