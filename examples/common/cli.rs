//! What the command-line examples share: parsing the command line with clap, opening an
//! input that may be standard input, how a run fails, and how a failure becomes a
//! one-line message and an exit status. Included by `#[path]`, so each example keeps a
//! single file of its own.

use clap::error::{ContextKind, ContextValue};
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

/// The file argument that means standard input.
pub const STDIN_ARG: &str = "-";

/// How standard input is named in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// Why a run stopped before the end of its input.
pub enum Failure {
    /// Bad input or an I/O error: one line on stderr, exit 1.
    Input(String),
    /// Stdout was closed by its reader: nothing more to do, exit 0 quietly.
    BrokenPipe,
    /// A check found problems (listed on stdout): exit 3.
    Findings,
}

/// The parsed command line; for `--help` (printed on stdout) or a bad command line (clap's
/// message and the usage on stderr), the exit status to end with: clap's, 0 or 2.
pub fn parse_command_line<P: clap::Parser>() -> Result<P, ExitCode> {
    P::try_parse().map_err(|mut e| {
        // clap leaves the usage out of some messages (a bad or missing value); every bad
        // command line shows it here.
        if e.use_stderr() && e.get(ContextKind::Usage).is_none() {
            let usage = P::command().render_usage();
            e.insert(ContextKind::Usage, ContextValue::StyledStr(usage));
        }
        // A failed print (a closed stdout or stderr) is ignored: there is no one to tell.
        let _ = e.print();
        ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
    })
}

/// The exit status of a run, reporting a failure on stderr as `name: message`.
pub fn exit_status(name: &str, result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) | Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            // eprintln! panics when stderr is a broken pipe; a failed report is ignored.
            let _ = writeln!(io::stderr(), "{name}: {}", one_line(&msg));
            ExitCode::FAILURE
        }
        Err(Failure::Findings) => ExitCode::from(3),
    }
}

pub fn input(msg: impl Into<String>) -> Failure {
    Failure::Input(msg.into())
}

/// An input file opened for reading, or standard input for `-`, with the name that
/// messages give it (the path as given, or [`STDIN_NAME`]).
pub fn open_input(path: &Path) -> Result<(String, Box<dyn Read>), Failure> {
    if path.as_os_str() == STDIN_ARG {
        return Ok((STDIN_NAME.to_string(), Box::new(io::stdin().lock())));
    }
    let name = path.display().to_string();
    match File::open(path) {
        Ok(file) => Ok((name, Box::new(file))),
        Err(e) => Err(input(format!("{name}: cannot read: {e}"))),
    }
}

/// A failed CSV write: a closed stdout ends the run quietly.
pub fn write_failure(e: csv::Error) -> Failure {
    match e.kind() {
        csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe => Failure::BrokenPipe,
        _ => input(format!("cannot write the output: {e}")),
    }
}

/// A failed plain write: a closed stdout ends the run quietly.
pub fn io_write_failure(e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::BrokenPipe
    } else {
        input(format!("cannot write the output: {e}"))
    }
}

/// Escapes control characters (a newline in a quoted field, an id or a file name) so a
/// message stays on one line.
pub fn one_line(msg: &str) -> String {
    msg.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
