//! The `replay` example as a user runs it: its exit status and messages.

use std::process::{Command, Stdio};

/// The `replay` example as `cargo test` built it (beside this test binary, in
/// `examples/`). Not through `cargo run`: that resolves features for this package alone
/// and would build DataFusion a second time.
fn replay_command(args: &[&std::ffi::OsStr]) -> Result<Command, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let profile = exe
        .parent()
        .and_then(|deps| deps.parent())
        .ok_or("the test binary has no profile directory")?;
    let bin = profile
        .join("examples")
        .join(format!("replay{}", std::env::consts::EXE_SUFFIX));
    if !bin.is_file() {
        return Err(format!(
            "{} is missing: `cargo test` builds the examples",
            bin.display()
        ));
    }
    let mut cmd = Command::new(bin);
    cmd.args(args);
    Ok(cmd)
}

fn scratch_dir(name: &str) -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("sanctuary-df-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

const TRACKS: &str = "id,lon,lat,alt_m,class,identity\na,24.03,49.84,800,uas,hostile\n";

#[test]
fn an_output_that_is_the_archive_fails_with_one_line_and_status_1() {
    let dir = scratch_dir("same").unwrap();
    let csv = dir.join("tracks.csv");
    std::fs::write(&csv, TRACKS).unwrap();
    let out = replay_command(&[
        "--phase".as_ref(),
        "1".as_ref(),
        "--tracks".as_ref(),
        csv.as_os_str(),
        "--out".as_ref(),
        csv.as_os_str(),
    ])
    .unwrap()
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].starts_with("replay: ") && lines[0].contains("the output is the archive being replayed"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        TRACKS,
        "the archive is kept"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_closed_stdout_ends_the_run_quietly_with_status_0() {
    let dir = scratch_dir("pipe").unwrap();
    let csv = dir.join("tracks.csv");
    std::fs::write(&csv, TRACKS).unwrap();
    let decisions = dir.join("decisions.csv");
    let mut child = replay_command(&[
        "--phase".as_ref(),
        "1".as_ref(),
        "--tracks".as_ref(),
        csv.as_os_str(),
        "--out".as_ref(),
        decisions.as_os_str(),
    ])
    .unwrap()
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // Nobody reads the summary: the pipe is closed before the replay writes it.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    let written = std::fs::read_to_string(&decisions).unwrap();
    assert_eq!(written.lines().count(), 2, "{written}");
    let _ = std::fs::remove_dir_all(&dir);
}
