//! What the command-line examples share: how a run fails, and how a failure becomes a
//! one-line message and an exit status. Included by `#[path]`, so each example keeps a
//! single file of its own.

use std::io::{self, Write};
use std::process::ExitCode;

/// Why a run stopped before the end of its input.
pub enum Failure {
    /// Bad command line: message and usage on stderr, exit 2.
    Usage(String),
    /// Bad input or an I/O error: one line on stderr, exit 1.
    Input(String),
    /// Stdout was closed by its reader: nothing more to do, exit 0 quietly.
    BrokenPipe,
    /// A check found problems (listed on stdout): exit 3.
    Findings,
}

/// The exit status of a run, reporting a failure on stderr as `name: message`.
pub fn exit_status(name: &str, usage: &str, result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) | Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            // eprintln! panics when stderr is a broken pipe; a failed report is ignored.
            let _ = writeln!(io::stderr(), "{name}: {}\n{usage}", one_line(&msg));
            ExitCode::from(2)
        }
        Err(Failure::Input(msg)) => {
            let _ = writeln!(io::stderr(), "{name}: {}", one_line(&msg));
            ExitCode::FAILURE
        }
        Err(Failure::Findings) => ExitCode::from(3),
    }
}

pub fn usage(msg: impl Into<String>) -> Failure {
    Failure::Usage(msg.into())
}

pub fn input(msg: impl Into<String>) -> Failure {
    Failure::Input(msg.into())
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
