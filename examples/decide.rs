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
//! The command-line contract (input columns and codes, output columns, exit statuses) is
//! the `--help` text, [`AFTER_HELP`] and [`CHECK_AFTER_HELP`] below:
//! `cargo run --example decide -- --help`, `cargo run --example decide -- check --help`.
//!
//! Tracks are read and decisions written as a stream, one record buffer reused, so memory
//! stays constant whatever the file size. A row that cannot be read as a track is not
//! skipped: it is decided `DENY` `invalid_track` and the run goes on.

#[path = "common/cli.rs"]
mod cli;
use clap::{Parser, Subcommand, ValueEnum};
use cli::{
    exit_status, input, io_write_failure, one_line, open_input, parse_command_line, write_failure, Failure,
};
use sanctuary::{
    plan::{Identity, PlanError, TargetClass},
    Decision, Engine, Plan, Track, Verdict,
};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The usage lines (clap prints them after `Usage: `).
const USAGE: &str =
    "decide [--plan <PLAN>] --phase <PHASE> [--partner <ID>] [--format csv|geojson] --tracks <TRACKS.csv>
       decide check [--plan <PLAN>] [--never-engage <ZONES.geojson>]";

/// What `decide --help` says after the options: the input, the output, the exit statuses.
const AFTER_HELP: &str = "\
INPUT (--tracks)
  A CSV file (RFC 4180) whose first line is a header. Required columns, each exactly once,
  in any order:
    id             the track's id: not empty, at most 128 bytes, no control or
                   bidirectional formatting characters
    lon            longitude, decimal degrees (WGS84), -180 to 180
    lat            latitude, decimal degrees (WGS84), -90 to 90
    alt_m          altitude, metres (the datum of the plan's altitude bands)
    class          target class: cruise_missile, ballistic_missile, uas, manned_aircraft,
                   unknown
    identity       identification: hostile, suspect, unknown, neutral, friend
  Optional columns, each at most once; an empty cell means the value is absent:
    uncertainty_m  radius of the horizontal position uncertainty, metres
    speed_mps      speed, metres per second      } intercept data: all three
    heading_deg    heading, degrees from north   } or none of them
    tti_s          time to intercept, seconds    }
  Other columns are ignored. Codes are lowercase, exactly as listed; surrounding spaces
  in number and code cells are allowed. A row that cannot be read as a track (a missing,
  non-numeric or non-finite number, an unknown code, a field count different from the
  header's, invalid UTF-8, part of the intercept data) is not skipped: it gets a DENY row
  with the reason invalid_track, and the run goes on. So does a track the engine refuses
  (a latitude of 95, an invalid id). `--tracks -` reads standard input (a file named `-`
  is `./-`).

OUTPUT (--format csv, the default)
  On standard output, CSV (RFC 4180) with the header
    id,verdict,zone,phase,reasons,margin_m,exclusion,margin_bound
  then one row per input row, in input order, written as each row is read:
    id             the track's id as given (quoted where RFC 4180 needs it); an invalid id
                   is written escaped (\\u{000A} for a line break). An id starting with =, +,
                   - or @ is written as is: import the file into a spreadsheet as text
    verdict        PERMIT or DENY
    zone           the id of the deciding zone; empty when none
    phase          the phase's id
    reasons        the reason codes of a deny, joined with `;`; empty for a permit
    margin_m       distance from the track to the edge of the sanctuary area, minus its
                   position uncertainty, metres, one decimal; empty when there is none
    exclusion      the id of the active exclusion that denied the track; empty when none
    margin_bound   exact when margin_m was measured; lower_bound when the track is deeper
                   inside than the 10 km measuring horizon (the true margin is at least
                   margin_m); empty when margin_m is empty

  Reason codes:
    invalid_track                 the track's values are unusable (see INPUT)
    unknown_phase                 the phase is not in the plan (never here: decide
                                  refuses an unknown --phase before any row)
    no_active_phase               no phase is in force at the track's time (never
                                  here: --phase names the phase)
    outside_active_sanctuary      the point is in no active sanctuary
    on_boundary                   the point lies on an active sanctuary's boundary
    inside_exclusion              an active exclusion contains or touches the point or its
                                  uncertainty disc
    no_applicable_rule            no rule of the zone applies in this phase
    class_not_authorised          the rules do not list this target class
    weapons_hold                  weapons hold: nothing is engaged
    identity_not_hostile          the identity does not meet the weapon control status
    altitude_outside_band         the altitude is outside the rule's or the zone's band
    partner_not_authorised        the partner is not allowed under the rules
    partner_caveat                the partner's own caveats exclude this class
    standoff_not_met              margin_m is below the rule's standoff
    predicted_point_outside       the predicted intercept point is not inside the
                                  sanctuary area with the standoff met
    predicted_point_in_exclusion  an active exclusion contains or touches the predicted
                                  intercept point (or its uncertainty disc)

OUTPUT (--format geojson)
  An RFC 7946 FeatureCollection, streamed the same way: the opening line, then one Point
  feature per input row, in input order, one per line, then `]}`. Properties: track_id,
  verdict (permit or deny), reasons (a list of codes), zone, phase, margin_m,
  margin_is_lower_bound, exclusion, plan_hash, alt_m, class, identity. A track without a
  valid position has a null geometry; an unreadable row also has null alt_m, class and
  identity.

EXIT STATUS
  0  a row was written for every input row; also when the reader of standard output goes
     away early (a broken pipe, e.g. `| head -1`): the run then stops quietly
  1  the plan or the tracks file cannot be read or is invalid, the header lacks a required
     column, or the phase or partner is unknown (checked before any row is read): one line
     on standard error, `decide: ...`. Rows before an unreadable part of the tracks file
     may already be written
  2  bad command line (a missing, repeated or unknown flag, a bad --format, a value that
     is not UTF-8): the error and the usage on standard error
  3  `decide check` only: the plan has findings

See also `decide check --help`.";

/// What `decide check --help` says after the options.
const CHECK_AFTER_HELP: &str = "\
OUTPUT
  On standard output, one line per finding, three fields separated by tabs:
    kind<TAB>place<TAB>message
  kind     overlaps_never_engage  a sanctuary's interior overlaps a never-engage area
           zones_shrink           a sanctuary active in one phase is not in the next
           rule_never_applies     a rule of a sanctuary can never permit anything
           zone_never_active      no phase that can be in force activates the zone
           standoff_too_large     a rule's standoff is larger than the zone is deep
  place    where: a zone, rule or phase path, e.g. zones[id=UA-46].rules[0].standoff_m
  message  what is wrong (control characters escaped, so it stays on its line)
  When there is no finding, one line instead:
    ok: plan <HASH>, <N> zones, <M> phases, <K> never-engage areas: no findings
  (<HASH>: the plan's content hash, 64 hexadecimal digits).

EXIT STATUS
  0  no finding: the `ok:` line was written
  1  the plan or the never-engage zone file cannot be read or is invalid: one line on
     standard error, `decide: ...`
  2  bad command line: the error and the usage on standard error
  3  there are findings, listed on standard output";

/// The command line.
#[derive(Parser)]
#[command(
    name = "decide",
    about = "The rule engine's verdict for each track of a CSV file, in one phase of a plan",
    long_about = "\
The rule engine's verdict for each track of a CSV file, in one phase of a plan.

Reads the tracks (one per row), decides each one under the plan's rules for the phase
(deny by default), and writes one decision per track, in input order: PERMIT or DENY,
the deciding zone, the reasons, and the margin to the sanctuary area's edge. With
`check`, lints the plan instead.",
    override_usage = USAGE,
    after_long_help = AFTER_HELP,
    after_help = "Input columns, output columns, reason codes and exit statuses: see --help.",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    disable_help_subcommand = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// A JSON plan file (the format of data/safe-haven.plan.json); without it, the embedded
    /// illustrative Safe Haven plan
    #[arg(long, value_name = "PLAN")]
    plan: Option<PathBuf>,

    /// The id of a phase of the plan (e.g. 3); an unknown id is an error
    #[arg(long, value_name = "PHASE", required = true)]
    phase: Option<String>,

    /// The id of the partner state engaging, if any; one the plan does not know is an error
    #[arg(long, value_name = "ID")]
    partner: Option<String>,

    /// The output format
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Csv)]
    format: Format,

    /// The tracks: a CSV file (columns below), or - for standard input
    #[arg(long, value_name = "TRACKS.csv", required = true)]
    tracks: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Lint the plan before it is put in force, without deciding any track
    #[command(
        long_about = "\
Lints the plan before it is put in force (Plan::check), without deciding any track:
sanctuaries overlapping never-engage areas, sanctuaries that shrink from one phase to the
next, rules that can never apply, zones never active, standoffs larger than the zone.",
        override_usage = "decide check [--plan <PLAN>] [--never-engage <ZONES.geojson>]",
        after_long_help = CHECK_AFTER_HELP,
        after_help = "Output and exit statuses: see --help."
    )]
    Check {
        /// A JSON plan file; without it, the embedded illustrative Safe Haven plan
        #[arg(long, value_name = "PLAN")]
        plan: Option<PathBuf>,

        /// A GeoJSON FeatureCollection of areas no sanctuary may overlap; without it, none
        #[arg(long, value_name = "ZONES.geojson")]
        never_engage: Option<PathBuf>,
    },
}

/// The output format.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// CSV, one row per track
    Csv,
    /// An RFC 7946 FeatureCollection, one Point feature per track
    #[value(name = "geojson")]
    GeoJson,
}

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

fn main() -> ExitCode {
    match parse_command_line::<Cli>() {
        Ok(cli) => exit_status("decide", run(cli)),
        Err(status) => status,
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    if let Some(Command::Check { plan, never_engage }) = cli.command {
        return check(plan.as_deref(), never_engage.as_deref());
    }
    // clap makes both required when there is no subcommand.
    let (Some(phase), Some(tracks)) = (cli.phase, cli.tracks) else {
        return Err(input("missing `--phase` or `--tracks`"));
    };
    let plan = load_plan(cli.plan.as_deref())?;
    let Some(phase_handle) = plan.phase(&phase) else {
        let known: Vec<&str> = plan.phases().iter().map(|p| p.id.as_str()).collect();
        return Err(input(format!(
            "unknown phase `{}` (the plan's phases: {})",
            sanctuary::id::escape_id(&phase),
            known.join(", ")
        )));
    };
    if let Some(partner) = cli.partner.as_deref() {
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
        phase_handle,
        cli.partner.as_deref(),
        &tracks,
        Output::new(cli.format, BufWriter::new(stdout.lock())),
    )
}

/// `check`: lints the plan against the never-engage areas; one line per finding, or the
/// all-clear line when there is none.
fn check(plan_path: Option<&Path>, never_engage: Option<&Path>) -> Result<(), Failure> {
    let plan = load_plan(plan_path)?;
    let areas = match never_engage {
        Some(path) => sanctuary::geojson::zones_from_geojson_file(path)
            .map_err(|e| input(format!("{}: {e}", path.display())))?,
        None => Vec::new(),
    };
    let findings = plan.check(&areas);
    let mut out = BufWriter::new(io::stdout().lock());
    let written = write_check(&mut out, &plan, areas.len(), &findings);
    // Findings are the status whether or not their lines could all be written.
    if !findings.is_empty() {
        return Err(Failure::Findings);
    }
    written
}

/// The lines of `check`: the findings, or the all-clear line.
fn write_check(
    out: &mut impl Write,
    plan: &Plan,
    areas: usize,
    findings: &[sanctuary::lint::Finding],
) -> Result<(), Failure> {
    for f in findings {
        writeln!(out, "{}\t{}\t{}", f.kind, f.place, one_line(&f.message)).map_err(io_write_failure)?;
    }
    if findings.is_empty() {
        writeln!(
            out,
            "ok: plan {}, {}, {}, {}: no findings",
            plan.hash(),
            count(plan.index().zones().len(), "zone"),
            count(plan.phases().len(), "phase"),
            count(areas, "never-engage area")
        )
        .map_err(io_write_failure)?;
    }
    out.flush().map_err(io_write_failure)
}

/// `1 zone`, `2 zones`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
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
    let (file, source) = open_input(path)?;
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
