//! Running the `locate` example through cargo, temporary input files, and the expected
//! output computed with the library itself.

use sanctuary::ZoneIndex;
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The exact output header.
pub const HEADER: &str = "id,inside,boundary,nearest_zone,distance_m";

/// A file of the repository's `data/` directory.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(name)
}

/// The oblast zone file.
pub fn oblasts() -> PathBuf {
    data("ukraine-oblasts.geojson")
}

/// A file under the system temp directory, unique to this process and call, removed on drop.
pub struct TempFile(PathBuf);

impl TempFile {
    pub fn new(name: &str, contents: impl AsRef<[u8]>) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("sanctuary-cli-{}-{n}-{name}", std::process::id()));
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `cargo run --quiet --example locate -- <args>`, from the package root, with the target
/// dir (CARGO_TARGET_DIR) inherited from the test's environment.
///
/// `--message-format=json` sends cargo's own build messages (warnings of the library
/// included) to stdout as JSON lines ahead of the program's output, where
/// [`program_stdout`] drops them, so stderr holds only what `locate` writes.
pub fn locate_command<S: AsRef<OsStr>>(args: &[S]) -> Command {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "run",
        "--quiet",
        "--message-format=json",
        "--example",
        "locate",
    ]);
    // Reuse the profile the tests were built with instead of building the example twice.
    if !cfg!(debug_assertions) {
        cmd.arg("--release");
    }
    cmd.arg("--").args(args);
    cmd
}

/// The program's stdout: cargo's JSON messages (lines starting `{"reason":`) removed.
pub fn program_stdout(raw: &str) -> String {
    raw.split_inclusive('\n')
        .skip_while(|line| line.starts_with("{\"reason\":"))
        .collect()
}

/// What one run of `locate` did.
#[derive(Debug)]
pub struct Run {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The output rows, header included, parsed as CSV.
    pub fn rows(&self) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(self.stdout.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    /// Asserts a clean success and returns the data rows (after checking the header).
    pub fn ok_rows(&self) -> Vec<Vec<String>> {
        assert!(self.status.success(), "locate failed: {self:?}");
        assert_eq!(self.stderr, "", "nothing on stderr on success");
        let mut rows = self.rows();
        assert!(!rows.is_empty(), "no output header: {self:?}");
        assert_eq!(rows.remove(0).join(","), HEADER);
        rows
    }

    /// Asserts a bad-input failure: exit status 1, exactly one stderr line containing every
    /// `needle`, no panic. Returns the line.
    pub fn one_error_line(&self, needles: &[&str]) -> String {
        assert_eq!(self.status.code(), Some(1), "exit status: {self:?}");
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "exactly one stderr line: {:?}", self.stderr);
        assert!(self.stderr.ends_with('\n'));
        let line = lines[0];
        assert!(line.starts_with("locate: "), "{line}");
        for needle in needles {
            assert!(line.contains(needle), "`{needle}` not in: {line}");
        }
        line.to_string()
    }
}

/// Runs `locate` with these arguments.
pub fn run<S: AsRef<OsStr>>(args: &[S]) -> Run {
    let out = locate_command(args).output().unwrap();
    Run {
        status: out.status,
        stdout: program_stdout(&String::from_utf8(out.stdout).unwrap()),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs `locate` with these arguments and `input` on its standard input.
pub fn run_with_stdin<S: AsRef<OsStr>>(args: &[S], input: &[u8]) -> Run {
    let mut child = locate_command(args)
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
    Run {
        status: out.status,
        stdout: program_stdout(&String::from_utf8(out.stdout).unwrap()),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs `locate --zones <zones> --points <points>`.
pub fn locate(zones: &Path, points: &Path) -> Run {
    run(&[
        OsStr::new("--zones"),
        zones.as_os_str(),
        OsStr::new("--points"),
        points.as_os_str(),
    ])
}

/// Runs `locate` on the oblasts with these CSV contents as the points file.
pub fn locate_csv(csv_text: impl AsRef<[u8]>) -> (Run, TempFile) {
    let points = TempFile::new("points.csv", csv_text);
    (locate(&oblasts(), points.path()), points)
}

/// The index the CLI builds from a zone file.
pub fn index_of(zones: &Path) -> ZoneIndex {
    ZoneIndex::new(sanctuary::geojson::zones_from_geojson_file(zones).unwrap()).unwrap()
}

/// The output row the contract prescribes for one point, computed with the library.
pub fn expected_row(index: &ZoneIndex, id: &str, lon: f64, lat: f64) -> Vec<String> {
    let loc = index.locate(lon, lat).unwrap();
    let (nearest, distance) = match index.nearest_boundary(lon, lat).unwrap() {
        Some(nb) => (
            index.zone(nb.zone).id().to_string(),
            format!("{:.3}", nb.distance_m),
        ),
        None => (String::new(), String::new()),
    };
    vec![
        id.to_string(),
        index.ids(&loc.inside).join(";"),
        index.ids(&loc.boundary).join(";"),
        nearest,
        distance,
    ]
}
