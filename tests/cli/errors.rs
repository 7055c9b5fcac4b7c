//! Failing runs: bad zone files, bad points files and bad rows end with one stderr line
//! naming the file and the line or zone and exit status 1; usage errors exit 2 with clap's
//! message and the usage; a closed stdout ends the run quietly. Never a panic, never a
//! silently skipped row.

use crate::support::{locate, locate_command, locate_csv, oblasts, program_stdout, run, TempFile, HEADER};
use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

#[test]
fn unreadable_zone_file_names_the_file() {
    let missing = std::env::temp_dir().join(format!("sanctuary-cli-{}-no-such.geojson", std::process::id()));
    let points = TempFile::new("points.csv", "id,lon,lat\n");
    let run = locate(&missing, points.path());
    run.one_error_line(&[&missing.display().to_string(), "cannot read"]);
    assert_eq!(run.stdout, "");
}

#[test]
fn invalid_zone_files_name_the_file_and_the_feature_or_zone() {
    let open_ring = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
        "properties": {"id": "open-ring"}, "geometry": {"type": "Polygon",
        "coordinates": [[[20, 48], [25, 48], [25, 50], [20, 50]]]}}]}"#;
    let square = |id: &str| {
        format!(
            r#"{{"type": "Feature", "properties": {{"id": "{id}"}}, "geometry": {{"type": "Polygon",
            "coordinates": [[[20, 48], [25, 48], [25, 50], [20, 50], [20, 48]]]}}}}"#
        )
    };
    let duplicate = format!(
        r#"{{"type": "FeatureCollection", "features": [{}, {}]}}"#,
        square("twice"),
        square("twice")
    );
    let semicolon = format!(
        r#"{{"type": "FeatureCollection", "features": [{}]}}"#,
        square("a;b")
    );
    let cases: [(&str, &str, &[&str]); 5] = [
        (
            "not-json",
            "{\"type\": \"FeatureCollection\",\n  \"features\": [",
            &["invalid JSON", "line 2"],
        ),
        (
            "not-a-collection",
            r#"{"type": "Point", "coordinates": [1, 2]}"#,
            &["FeatureCollection"],
        ),
        (
            "open-ring",
            open_ring,
            &["features[0]", "open-ring", "not closed"],
        ),
        ("duplicate", &duplicate, &["duplicate zone id `twice`"]),
        ("semicolon", &semicolon, &["zone `a;b`", "`;`"]),
    ];
    let points = TempFile::new("points.csv", "id,lon,lat\np,24,49\n");
    for (name, text, needles) in cases {
        let zones = TempFile::new(&format!("{name}.geojson"), text);
        let run = locate(zones.path(), points.path());
        let line = run.one_error_line(needles);
        assert!(
            line.contains(&zones.path().display().to_string()),
            "{name}: {line}"
        );
        assert_eq!(run.stdout, "", "{name}: no output before the zones load");
    }
}

#[test]
fn unreadable_points_file_names_the_file() {
    let missing = std::env::temp_dir().join(format!("sanctuary-cli-{}-no-such.csv", std::process::id()));
    let run = locate(&oblasts(), &missing);
    run.one_error_line(&[&missing.display().to_string(), "cannot read"]);
    assert_eq!(run.stdout, "");
}

#[test]
fn header_without_id_lon_or_lat_is_an_error_on_line_1() {
    for (header, column) in [
        ("lon,lat", "`id`"),
        ("id,lat,note", "`lon`"),
        ("id,lon", "`lat`"),
        ("ID,LON,LAT", "`id`"),
    ] {
        let (run, f) = locate_csv(format!("{header}\np,24,49\n"));
        run.one_error_line(&[&f.path().display().to_string(), "line 1:", column]);
        assert_eq!(run.stdout, "", "no output header for a bad input header");
    }
    // An empty file has no header at all.
    let (run, _f) = locate_csv("");
    run.one_error_line(&["line 1:", "missing column `id`"]);
    assert_eq!(run.stdout, "");
    // After blank lines, the header's own line is named.
    let (run, _f) = locate_csv("\n\nid,lat\n");
    run.one_error_line(&["line 3:", "missing column `lon`"]);
    // An ambiguous header (a column twice) is not guessed at.
    let (run, _f) = locate_csv("id,lon,lat,lon\np,24,49,25\n");
    run.one_error_line(&["line 1:", "`lon` appears more than once"]);
}

#[test]
fn bad_coordinates_are_errors_naming_file_and_line() {
    let cases = [
        ("", "49", "`lon` is missing"),
        ("24", "", "`lat` is missing"),
        ("  ", "49", "`lon` is missing"),
        ("abc", "49", "`abc` is not a number"),
        ("24", "49,5", "malformed row"),
        ("24°", "49", "not a number"),
        ("NaN", "49", "`NaN` is not finite"),
        ("24", "nan", "`nan` is not finite"),
        ("inf", "49", "`inf` is not finite"),
        ("-infinity", "49", "`-infinity` is not finite"),
        ("180.5", "49", "longitude `180.5` is outside [-180, 180]"),
        ("-181", "49", "longitude `-181` is outside"),
        ("24", "91", "latitude `91` is outside [-90, 90]"),
        ("24", "-90.0001", "latitude `-90.0001` is outside"),
        ("1e400", "49", "not finite"),
    ];
    for (lon, lat, message) in cases {
        let (run, f) = locate_csv(format!(
            "id,lon,lat\ngood,24.03,49.84\nbad,{lon},{lat}\nafter,24.03,49.84\n"
        ));
        run.one_error_line(&[&f.path().display().to_string(), "line 3:", message]);
        // The rows before the bad one may be written; nothing after it is.
        assert!(run.stdout.starts_with(HEADER), "{lon},{lat}: {}", run.stdout);
        assert!(
            !run.stdout.contains("after"),
            "{lon},{lat}: a row after the bad one was written"
        );
        assert!(
            !run.stdout.contains("bad,"),
            "{lon},{lat}: the bad row was written"
        );
    }
}

#[test]
fn malformed_rows_are_errors_naming_file_and_line() {
    let cases: [(&[u8], &str); 4] = [
        (
            b"id,lon,lat\ngood,24,49\nshort,24\n",
            "2 fields, but the header has 3",
        ),
        (
            b"id,lon,lat\ngood,24,49\nlong,24,49,x\n",
            "4 fields, but the header has 3",
        ),
        (b"id,lon,lat\ngood,24,49\n\xff\xfe,24,49\n", "not valid UTF-8"),
        (b"id,lon,lat\ngood,24,49\nx\n", "1 fields"),
    ];
    for (text, message) in cases {
        let (run, f) = locate_csv(text);
        run.one_error_line(&[&f.path().display().to_string(), "line 3:", message]);
    }
}

#[test]
fn line_numbers_count_file_lines_with_crlf_blank_lines_and_quoted_newlines() {
    // Line 1 header, 2 a row, 3-4 blank, 5-6 one row with a newline in its id, 7 bad.
    let (run, _f) = locate_csv("id,lon,lat\r\na,24,49\r\n\r\n\r\n\"two\r\nlines\",24,49\r\nbad,x,49\r\n");
    run.one_error_line(&["line 7:", "`x` is not a number"]);
    let (run, _f) = locate_csv("\n\nid,lon,lat\n\nbad,24,95\n");
    run.one_error_line(&["line 5:", "latitude `95`"]);
}

#[test]
fn usage_errors_exit_2_with_the_usage() {
    let zones = oblasts().display().to_string();
    let cases: [&[&str]; 7] = [
        &[],
        &["--zones", &zones],
        &["--points", "p.csv"],
        &["--zones", &zones, "--points"],
        &["--zones", "--points", "p.csv"],
        &["--zones", &zones, "--points", "p.csv", "--zones", &zones],
        &["--zones", &zones, "--points", "p.csv", "--verbose"],
    ];
    for args in cases {
        let run = run(args);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {run:?}");
        // clap's message, then the usage.
        assert!(
            run.stderr
                .contains("\nUsage: locate --zones <ZONES.geojson> --points <POINTS.csv>\n"),
            "{run:?}"
        );
        assert!(run.stderr.starts_with("error: "), "{run:?}");
        assert!(!run.stderr.contains("panicked"), "{run:?}");
        assert_eq!(run.stdout, "", "{args:?}");
    }
    let help = run(&["--help"]);
    assert!(
        help.status.success() && help.stdout.contains("\nUsage: locate --zones"),
        "{help:?}"
    );
}

#[test]
fn a_closed_stdout_ends_the_run_quietly_with_status_0() {
    // Far more output than a pipe buffers, so the writer must meet the closed pipe.
    let zones = TempFile::new(
        "box.geojson",
        r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "box"},
           "geometry": {"type": "Polygon", "coordinates": [[[20, 48], [25, 48], [25, 50], [20, 50], [20, 48]]]}}]}"#,
    );
    let mut text = String::from("id,lon,lat\n");
    for i in 0..20_000 {
        text.push_str(&format!("p{i},22,49\n"));
    }
    let points = TempFile::new("many.csv", text);
    let mut child = locate_command(&[
        "--zones".as_ref(),
        zones.path().as_os_str(),
        "--points".as_ref(),
        points.path().as_os_str(),
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    // Skip cargo's JSON build messages, then read the output header and one row.
    while program_stdout(&first).is_empty() {
        first.clear();
        assert!(stdout.read_line(&mut first).unwrap() > 0, "stdout ended early");
    }
    assert_eq!(first, format!("{HEADER}\n"));
    let mut row = String::new();
    stdout.read_line(&mut row).unwrap();
    assert!(row.starts_with("p0,box,,box,"), "{row}");
    drop(stdout);
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(stderr, "", "quiet on a broken pipe");
    assert!(status.success(), "{status:?}");
}
