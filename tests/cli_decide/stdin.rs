//! `--tracks -` reads the tracks from standard input, with the same output as from a file.

use super::{decide, example_with_stdin, COLUMNS};

#[test]
fn a_dash_reads_the_tracks_from_standard_input() {
    let tracks = format!(
        "{COLUMNS}\n\
         d1,24.03,49.84,800,uas,hostile\n\
         kharkiv,36.23,49.99,800,uas,hostile\n\
         ufo,24.03,49.84,800,flying_saucer,hostile\n"
    );
    let from_file = decide("1", &tracks);
    assert_eq!(from_file.rows().len(), 3, "{from_file:?}");
    for format in ["csv", "geojson"] {
        let args = ["--phase", "1", "--format", format, "--tracks", "-"];
        let from_stdin = example_with_stdin("decide", &args, tracks.as_bytes());
        assert!(from_stdin.status.success(), "{from_stdin:?}");
        assert!(from_stdin.stderr.is_empty(), "{from_stdin:?}");
        if format == "csv" {
            assert_eq!(from_stdin.stdout, from_file.stdout);
        } else {
            assert_eq!(from_stdin.stdout.lines().count(), 5, "{from_stdin:?}");
        }
    }
}

#[test]
fn errors_in_standard_input_name_it() {
    let run = example_with_stdin(
        "decide",
        &["--phase", "1", "--tracks", "-"],
        b"id,lon,lat,alt_m,class\nd1,24.03,49.84,800,uas\n",
    );
    let msg = run.one_line_error();
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert!(
        msg.starts_with("decide: <stdin>: line 1: missing column `identity`"),
        "{msg}"
    );
}
