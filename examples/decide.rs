//! `decide`: the rule engine's verdict for each track of a CSV file, in one phase of a plan.
//!
//! ```text
//! cargo run --release --example decide -- [--plan <PLAN>] --phase <PHASE> [--partner <ID>] [--format csv|geojson] --tracks <TRACKS.csv>
//! ```
//!
//! ```text
//! cargo run --release --example decide -- check [--plan <PLAN>] [--never-engage <ZONES.geojson>]
//! ```
//!
//! `check` lints the plan before activation ([`sanctuary::Plan::check`]) against the
//! never-engage areas of a GeoJSON zone file, without deciding any track: one line per
//! finding on stdout, `kind<TAB>place<TAB>message`; exit status 0 when there is none, 3
//! when there are findings, 1 when the plan or zone file cannot be read.
//!
//! # Input
//! - `--plan`: a JSON plan file, loaded with [`sanctuary::Plan::from_file`]; without it, the
//!   embedded illustrative plan [`sanctuary::Plan::safe_haven`].
//! - `--phase`: the id of a phase of the plan (e.g. `3`); an unknown id is an error.
//! - `--partner`: the id of the partner state engaging, if any; a partner the plan does
//!   not know is an error (exit status 1, the plan's partner ids listed), before any row
//!   is read.
//! - `--format`: `csv` (the default) or `geojson`, the output format below.
//! - `--tracks`: a CSV file whose header (line 1) has the columns `id`, `lon`, `lat`,
//!   `alt_m`, `class` and `identity`, and may have `uncertainty_m`, `speed_mps`,
//!   `heading_deg` and `tti_s`; each at most once, in any order; other columns are ignored.
//!   `class` and `identity` are the snake_case codes (`uas`, `cruise_missile`, ...;
//!   `hostile`, `suspect`, ...). An empty optional cell means the value is absent.
//!   Intercept data comes whole: `speed_mps`, `heading_deg` and `tti_s` together, or none
//!   of them; a row with some but not all is decided `DENY` `invalid_track`.
//!
//! # Output
//! On stdout, CSV with the header
//! `id,verdict,zone,phase,reasons,margin_m,exclusion,margin_bound` and one row per input
//! row, in input order, written as each row is read (constant memory):
//! - `id`: the track's id as given when it is a valid id; an id with control characters or
//!   longer than 128 bytes (decided `invalid_track`) is written escaped
//!   ([`sanctuary::id::escape_id`]: `\u{000A}` for a line break). Ids are never altered
//!   otherwise: one starting with `=`, `+`, `-` or `@` is written as is (quoted where
//!   RFC 4180 needs it), so a spreadsheet that opens the file directly may read it as a
//!   formula; import the file as text;
//! - `verdict`: `PERMIT` or `DENY`;
//! - `zone`: the deciding zone's id, empty when none;
//! - `phase`: the phase's id;
//! - `reasons`: the reason codes joined with `;`, empty for a permit;
//! - `margin_m`: the decision's margin in metres with one decimal, empty when it has none;
//! - `exclusion`: the id of the active exclusion that denied the track, empty when none;
//! - `margin_bound`: `exact` when `margin_m` was measured, `lower_bound` when the track is
//!   deeper inside than the engine measures (the 10 km horizon: the true margin is at least
//!   `margin_m`), empty when there is no margin.
//!
//! With `--format geojson`, an RFC 7946 FeatureCollection instead, streamed the same way:
//! `{"type":"FeatureCollection","features":[`, then one Point feature per input row, in
//! input order, one per line, as [`sanctuary::geojson::decisions_geojson`] builds it (properties
//! `track_id`, `verdict` (`permit`/`deny`), `reasons`, `zone`, `phase`, `margin_m`,
//! `margin_is_lower_bound`, `exclusion`, `plan_hash`, `alt_m`, `class`, `identity`), then `]}`. A track without a valid position
//! (an unreadable row, a latitude of 95) has a `null` geometry, which RFC 7946 allows; for
//! an unreadable row `alt_m`, `class` and `identity` are `null` too.
//!
//! A row that cannot be read as a track (a missing, non-numeric or non-finite number, an
//! unknown class or identity, a field count different from the header's, invalid UTF-8)
//! is not skipped: it gets a `DENY` row with the reason `invalid_track`, its `id` when it
//! has one, and the run goes on. Numbers out of range (a latitude of 95) are refused the
//! same way, by the engine.
//!
//! # Exit status
//! - `0`: the plan and the tracks file were read, and a row was written for every track;
//!   also when the reader of stdout goes away early (a broken pipe, e.g. `| head -1`): the
//!   run then stops quietly, writing nothing to stderr.
//! - `1`: the plan or the tracks file cannot be read or is invalid, the header lacks a
//!   required column, or the phase or partner is unknown. Exactly one line on stderr, `decide: ...`.
//! - `2`: bad command line (missing, repeated or unknown flag): a message and the usage
//!   on stderr.

#[path = "common/cli.rs"]
mod cli;
use cli::{exit_status, input, io_write_failure, one_line, usage, write_failure, Failure};
use sanctuary::{
    plan::{Identity, PlanError, TargetClass},
    Decision, Engine, Plan, Track, Verdict,
};
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: decide [--plan <PLAN>] --phase <PHASE> [--partner <ID>] [--format csv|geojson] --tracks <TRACKS.csv>\n       decide check [--plan <PLAN>] [--never-engage <ZONES.geojson>]";

/// The output header; every output row has these eight fields.
const OUTPUT_HEADER: [&str; 8] = [
    "id",
    "verdict",
    "zone",
    "phase",
    "reasons",
    "margin_m",
    "exclusion",
    "margin_bound",
];

/// The start of the GeoJSON output; features follow, then [`GEOJSON_END`].
const GEOJSON_START: &str = "{\"type\":\"FeatureCollection\",\"features\":[";
/// The end of the GeoJSON output.
const GEOJSON_END: &str = "]}";

/// The output format.
#[derive(Clone, Copy)]
enum Format {
    Csv,
    GeoJson,
}

struct Args {
    plan: Option<PathBuf>,
    phase: String,
    partner: Option<String>,
    format: Format,
    tracks: PathBuf,
}

enum Command {
    Run(Args),
    Check {
        plan: Option<PathBuf>,
        never_engage: Option<PathBuf>,
    },
    Help,
}

fn main() -> ExitCode {
    exit_status(
        "decide",
        USAGE,
        parse_args(std::env::args_os().skip(1)).and_then(run),
    )
}

fn run(command: Command) -> Result<(), Failure> {
    let args = match command {
        Command::Help => {
            let _ = writeln!(io::stdout(), "{USAGE}");
            return Ok(());
        }
        Command::Run(args) => args,
        Command::Check { plan, never_engage } => return check(plan.as_deref(), never_engage.as_deref()),
    };
    let plan = load_plan(args.plan.as_deref())?;
    let Some(phase) = plan.phase(&args.phase) else {
        let known: Vec<&str> = plan.phases().iter().map(|p| p.id.as_str()).collect();
        return Err(input(format!(
            "unknown phase `{}` (the plan's phases: {})",
            sanctuary::id::escape_id(&args.phase),
            known.join(", ")
        )));
    };
    if let Some(partner) = args.partner.as_deref() {
        if plan.partner_index(partner).is_none() {
            let known: Vec<&str> = plan.partners().iter().map(|p| p.id.as_str()).collect();
            return Err(input(format!(
                "unknown partner `{}` (the plan's partners: {})",
                sanctuary::id::escape_id(partner),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    let engine = Engine::new(plan);
    let stdout = io::stdout();
    decide_tracks(
        &engine,
        phase,
        args.partner.as_deref(),
        &args.tracks,
        Output::new(args.format, BufWriter::new(stdout.lock())),
    )
}

/// Parses the flags (any order) or `-h`/`--help`. Arguments are taken as `OsString`s, so
/// non-UTF-8 paths work and never panic; the phase and partner ids must be UTF-8.
fn parse_args(args: impl Iterator<Item = OsString>) -> Result<Command, Failure> {
    let mut args = args.peekable();
    if args.peek().and_then(|a| a.to_str()) == Some("check") {
        args.next();
        let (mut plan, mut never_engage) = (None, None);
        while let Some(arg) = args.next() {
            let slot = match arg.to_str() {
                Some("--plan") => &mut plan,
                Some("--never-engage") => &mut never_engage,
                _ => return Err(usage(format!("unexpected argument `{}`", arg.to_string_lossy()))),
            };
            let flag = arg.to_string_lossy();
            let value = args
                .next()
                .filter(|v| !v.to_string_lossy().starts_with("--"))
                .ok_or_else(|| usage(format!("`{flag}` needs a value")))?;
            if slot.replace(PathBuf::from(value)).is_some() {
                return Err(usage(format!("`{flag}` given more than once")));
            }
        }
        return Ok(Command::Check { plan, never_engage });
    }
    let (mut plan, mut phase, mut partner, mut format, mut tracks) = (None, None, None, None, None);
    while let Some(arg) = args.next() {
        let slot = match arg.to_str() {
            Some("-h" | "--help") => return Ok(Command::Help),
            Some("--plan") => &mut plan,
            Some("--phase") => &mut phase,
            Some("--partner") => &mut partner,
            Some("--format") => &mut format,
            Some("--tracks") => &mut tracks,
            _ => return Err(usage(format!("unexpected argument `{}`", arg.to_string_lossy()))),
        };
        let flag = arg.to_string_lossy();
        // A following flag is a forgotten value, not a file named `--tracks`.
        let value = args
            .next()
            .filter(|v| !v.to_string_lossy().starts_with("--"))
            .ok_or_else(|| usage(format!("`{flag}` needs a value")))?;
        if slot.replace(value).is_some() {
            return Err(usage(format!("`{flag}` given more than once")));
        }
    }
    let utf8 = |flag: &str, v: OsString| {
        v.into_string()
            .map_err(|v| usage(format!("`{flag}` value `{}` is not UTF-8", v.to_string_lossy())))
    };
    let phase = utf8(
        "--phase",
        phase.ok_or_else(|| usage("missing `--phase <PHASE>`"))?,
    )?;
    let partner = partner.map(|p| utf8("--partner", p)).transpose()?;
    let format = match format.as_ref().map(|f| f.to_str()) {
        None | Some(Some("csv")) => Format::Csv,
        Some(Some("geojson")) => Format::GeoJson,
        Some(_) => {
            let f = format.unwrap_or_default();
            return Err(usage(format!(
                "unknown format `{}`; expected `csv` or `geojson`",
                f.to_string_lossy()
            )));
        }
    };
    let tracks = tracks.ok_or_else(|| usage("missing `--tracks <TRACKS.csv>`"))?;
    Ok(Command::Run(Args {
        plan: plan.map(PathBuf::from),
        phase,
        partner,
        format,
        tracks: PathBuf::from(tracks),
    }))
}

/// `check`: lints the plan against the never-engage areas; one line per finding.
fn check(plan: Option<&Path>, never_engage: Option<&Path>) -> Result<(), Failure> {
    let plan = load_plan(plan)?;
    let areas = match never_engage {
        Some(path) => sanctuary::geojson::zones_from_geojson_file(path)
            .map_err(|e| input(format!("{}: {e}", path.display())))?,
        None => Vec::new(),
    };
    let findings = plan.check(&areas);
    let mut out = BufWriter::new(io::stdout().lock());
    for f in &findings {
        writeln!(out, "{}\t{}\t{}", f.kind, f.place, one_line(&f.message)).map_err(io_write_failure)?;
    }
    out.flush().map_err(io_write_failure)?;
    if findings.is_empty() {
        Ok(())
    } else {
        Err(Failure::Findings)
    }
}

/// The plan file, or the embedded plan without one; errors name the file.
fn load_plan(path: Option<&Path>) -> Result<Plan, Failure> {
    let Some(path) = path else {
        return Plan::safe_haven().map_err(|e| input(format!("embedded plan: {e}")));
    };
    let file = path.display();
    Plan::from_file(path).map_err(|e| match e {
        // The library's message repeats the path; name it once, first, like every error.
        PlanError::Io { source, .. } => input(format!("{file}: cannot read: {source}")),
        other => input(format!("{file}: {other}")),
    })
}

/// Positions of the columns in the tracks file.
struct Columns {
    /// Fields per row, as in the header.
    len: usize,
    id: usize,
    lon: usize,
    lat: usize,
    alt_m: usize,
    class: usize,
    identity: usize,
    uncertainty_m: Option<usize>,
    speed_mps: Option<usize>,
    heading_deg: Option<usize>,
    tti_s: Option<usize>,
}

impl Columns {
    /// Finds the required columns (each exactly once) and the optional ones (at most once).
    fn find(header: &csv::StringRecord) -> Result<Self, String> {
        let optional = |name: &str| {
            // Spreadsheets often start a UTF-8 file with a byte-order mark.
            let mut found = header
                .iter()
                .enumerate()
                .filter(|(i, h)| {
                    let h = if *i == 0 {
                        h.trim_start_matches('\u{feff}')
                    } else {
                        h
                    };
                    h.trim() == name
                })
                .map(|(i, _)| i);
            match (found.next(), found.next()) {
                (found, None) => Ok(found),
                (_, Some(_)) => Err(format!("column `{name}` appears more than once")),
            }
        };
        let required = |name: &str| {
            optional(name)?.ok_or_else(|| {
                format!(
                    "missing column `{name}` (the header needs `id`, `lon`, `lat`, `alt_m`, \
                     `class` and `identity`)"
                )
            })
        };
        Ok(Columns {
            len: header.len(),
            id: required("id")?,
            lon: required("lon")?,
            lat: required("lat")?,
            alt_m: required("alt_m")?,
            class: required("class")?,
            identity: required("identity")?,
            uncertainty_m: optional("uncertainty_m")?,
            speed_mps: optional("speed_mps")?,
            heading_deg: optional("heading_deg")?,
            tti_s: optional("tti_s")?,
        })
    }
}

/// Streams the tracks file to `out`, one output row (or feature) per input row.
fn decide_tracks<W: Write>(
    engine: &Engine,
    phase: sanctuary::plan::PhaseHandle,
    partner: Option<&str>,
    path: &Path,
    mut out: Output<W>,
) -> Result<(), Failure> {
    let file = path.display();
    let source = File::open(path).map_err(|e| input(format!("{file}: cannot read: {e}")))?;
    // Flexible: a row with the wrong field count is an invalid track, not the end of the run.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(source);
    let header = reader
        .headers()
        .map_err(|e| input(format!("{file}: line 1: {}", csv_error(&e))))?;
    let columns = Columns::find(header).map_err(|msg| input(format!("{file}: line 1: {msg}")))?;

    out.start()?;
    // One record buffer, reused: memory stays constant whatever the file size. Bytes, so
    // that a row with invalid UTF-8 is one invalid track rather than a failed run.
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(input(format!("{file}: {}", csv_error(&e)))),
        }
        match parse_track(&record, &columns) {
            Some(track) => {
                let decision = engine.decide(&track, phase, partner);
                out.write(track, true, decision)?;
            }
            None => {
                let id = record
                    .get(columns.id)
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default();
                let unreadable = Track::new(
                    id,
                    f64::NAN,
                    f64::NAN,
                    f64::NAN,
                    TargetClass::Unknown,
                    Identity::Unknown,
                );
                // Not a number where one is needed: decided as given, an invalid track.
                let decision = engine.decide(&unreadable, phase, partner);
                out.write(unreadable, false, decision)?;
            }
        }
    }
    out.finish()
}

/// Where the decisions go, in the chosen format.
enum Output<W: Write> {
    // Boxed: the CSV writer's buffer state is much larger than the other variant.
    Csv(Box<csv::Writer<W>>),
    GeoJson {
        out: W,
        /// Features written so far (a comma goes before every one but the first).
        features: u64,
    },
}

impl<W: Write> Output<W> {
    fn new(format: Format, out: W) -> Self {
        match format {
            Format::Csv => Output::Csv(Box::new(csv::Writer::from_writer(out))),
            Format::GeoJson => Output::GeoJson { out, features: 0 },
        }
    }

    /// Writes the header.
    fn start(&mut self) -> Result<(), Failure> {
        match self {
            Output::Csv(writer) => writer.write_record(OUTPUT_HEADER).map_err(write_failure),
            Output::GeoJson { out, .. } => out.write_all(GEOJSON_START.as_bytes()).map_err(io_write_failure),
        }
    }

    /// Writes one decision; `readable` is false for a row that could not be read as a
    /// track (`track` then holds only its id).
    fn write(&mut self, track: Track, readable: bool, decision: Decision) -> Result<(), Failure> {
        match self {
            Output::Csv(writer) => write_decision(writer, &decision),
            Output::GeoJson { out, features } => {
                let mut collection = sanctuary::geojson::decisions_geojson(&[(track, decision)]);
                let mut feature = collection
                    .get_mut("features")
                    .and_then(serde_json::Value::as_array_mut)
                    .and_then(Vec::pop)
                    .ok_or_else(|| input("decisions_geojson gave no feature for a decision"))?;
                if !readable {
                    // The row's values are unknown: do not report the placeholders.
                    if let Some(props) = feature
                        .get_mut("properties")
                        .and_then(serde_json::Value::as_object_mut)
                    {
                        for key in ["alt_m", "class", "identity"] {
                            props.insert(key.into(), serde_json::Value::Null);
                        }
                    }
                }
                let separator: &[u8] = if *features == 0 { b"\n" } else { b",\n" };
                out.write_all(separator).map_err(io_write_failure)?;
                // serde_json's error keeps the kind of an I/O error (a broken pipe).
                serde_json::to_writer(&mut *out, &feature).map_err(|e| io_write_failure(e.into()))?;
                *features += 1;
                Ok(())
            }
        }
    }

    /// Writes the end and flushes.
    fn finish(self) -> Result<(), Failure> {
        match self {
            Output::Csv(mut writer) => writer.flush().map_err(io_write_failure),
            Output::GeoJson { mut out, features } => {
                let end = if features == 0 {
                    format!("{GEOJSON_END}\n")
                } else {
                    format!("\n{GEOJSON_END}\n")
                };
                out.write_all(end.as_bytes()).map_err(io_write_failure)?;
                out.flush().map_err(io_write_failure)
            }
        }
    }
}

/// The track of one row, or `None` when the row cannot be read as one.
fn parse_track(record: &csv::ByteRecord, columns: &Columns) -> Option<Track> {
    if record.len() != columns.len {
        return None;
    }
    let text = |column: usize| record.get(column).and_then(|b| std::str::from_utf8(b).ok());
    let number = |column: usize| -> Option<f64> {
        let value: f64 = text(column)?.trim().parse().ok()?;
        // `str::parse` accepts `NaN` and `inf`; they are not numbers a track can have.
        value.is_finite().then_some(value)
    };
    // An optional column: `Some(None)` when absent or empty, `None` when unreadable.
    let optional = |column: Option<usize>| -> Option<Option<f64>> {
        match column {
            None => Some(None),
            Some(c) if text(c)?.trim().is_empty() => Some(None),
            Some(c) => number(c).map(Some),
        }
    };
    let mut track = Track::new(
        text(columns.id)?,
        number(columns.lon)?,
        number(columns.lat)?,
        number(columns.alt_m)?,
        TargetClass::parse(text(columns.class)?.trim())?,
        Identity::parse(text(columns.identity)?.trim())?,
    );
    track.uncertainty_m = optional(columns.uncertainty_m)?;
    track.velocity = match (optional(columns.speed_mps)?, optional(columns.heading_deg)?) {
        (Some(speed_mps), Some(heading_deg)) => Some(sanctuary::engine::Velocity {
            speed_mps,
            heading_deg,
        }),
        (None, None) => None,
        // Half a velocity is not a velocity.
        _ => return None,
    };
    track.tti_s = optional(columns.tti_s)?;
    Some(track)
}

fn write_decision<W: Write>(writer: &mut csv::Writer<W>, d: &Decision) -> Result<(), Failure> {
    let verdict = match d.verdict {
        Verdict::Permit => "PERMIT",
        Verdict::Deny => "DENY",
    };
    let margin = d.margin_m.map(format_margin).unwrap_or_default();
    let bound = match (d.margin_m, d.margin_is_lower_bound) {
        (None, _) => "",
        (Some(_), false) => "exact",
        (Some(_), true) => "lower_bound",
    };
    // A valid id is written as given (so the output joins back to the input); an invalid
    // one (control characters, too long) is escaped, so it cannot split or disguise a row.
    let id = match sanctuary::id::check_id(&d.track_id) {
        Ok(()) => std::borrow::Cow::Borrowed(d.track_id.as_str()),
        Err(_) => std::borrow::Cow::Owned(sanctuary::id::escape_id(&d.track_id)),
    };
    writer
        .write_record([
            &id,
            verdict,
            d.zone.as_deref().unwrap_or_default(),
            d.phase.as_deref().unwrap_or_default(),
            &d.reason_codes(),
            &margin,
            d.exclusion.as_deref().unwrap_or_default(),
            bound,
        ])
        .map_err(write_failure)
}

/// Metres with one decimal; never `-0.0`.
fn format_margin(m: f64) -> String {
    let s = format!("{m:.1}");
    if s == "-0.0" {
        "0.0".to_string()
    } else {
        s
    }
}

/// A CSV read error without the `csv` crate's position prefix.
fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        csv::ErrorKind::Utf8 { err, .. } => format!("field {} is not valid UTF-8", err.field() + 1),
        _ => e.to_string(),
    }
}
