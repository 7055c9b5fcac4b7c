//! `locate`: where each point of a CSV file lies among the zones of a GeoJSON zone file.
//!
//! ```text
//! cargo run --release --example locate -- --zones <ZONES.geojson> --points <POINTS.csv>
//! ```
//!
//! The command-line contract (input and output columns, exit statuses) is the `--help`
//! text, [`AFTER_HELP`] below: `cargo run --example locate -- --help`.
//!
//! Points are read and rows written as a stream, one record buffer reused, so memory stays
//! constant whatever the file size. The run stops at the first bad row, naming the file
//! and the line.

// Shared with the other examples; `locate` has no check mode, so one variant stays unused.
#[allow(dead_code)]
#[path = "common/cli.rs"]
mod cli;
use clap::Parser;
use cli::{exit_status, input, io_write_failure, open_input, parse_command_line, write_failure, Failure};
use sanctuary::{
    geojson::{zones_from_geojson_file, LoadError},
    index::ZoneHandle,
    ZoneIndex,
};
use std::collections::VecDeque;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What `locate --help` says after the options: the input, the output, the exit statuses.
const AFTER_HELP: &str = "\
INPUT
  --zones: a GeoJSON FeatureCollection of zones: Polygon and MultiPolygon features, and
  Point features with a `radius_m` property (geodesic circles), each with an `id`
  property. Zone ids must not contain `;`, the separator of the output lists.

  --points: a CSV file (RFC 4180) whose first line is a header with the columns
    id    the point's id, copied verbatim to the output (it may be empty)
    lon   longitude, decimal degrees (WGS84), -180 to 180
    lat   latitude, decimal degrees (WGS84), -90 to 90
  each exactly once, in any order (names are case-sensitive); other columns are ignored.
  Every row must have as many fields as the header. Numbers must be finite; surrounding
  spaces are allowed. `--points -` reads standard input (a file named `-` is `./-`).

OUTPUT
  On standard output, CSV (RFC 4180) with the header
    id,inside,boundary,nearest_zone,distance_m
  then one row per input row, in input order, written as each row is read:
    id            the point's id, as given
    inside        the ids of the zones whose interior contains the point, sorted (byte
                  order), joined with `;`; empty when none
    boundary      the ids of the zones whose boundary holds the point exactly, the same way
    nearest_zone  the id of the zone whose boundary is nearest (a tie: the smallest id)
    distance_m    the geodesic distance to that boundary, metres, three decimals (0.000 on
                  a boundary)
  nearest_zone and distance_m are empty when the zone file has no zone.

EXIT STATUS
  0  every row was written; also when the reader of standard output goes away early (a
     broken pipe, e.g. `| head -1`): the run then stops quietly
  1  bad input or an I/O error: one line on standard error, `locate: <file>: ...`, naming
     the file and, for the points file, the line (1-based, the header is line 1) or, for
     the zone file, the feature or zone. The run stops at the first bad row: rows before
     it may already be written, no later row is
  2  bad command line (a missing, repeated or unknown flag): the error and the usage on
     standard error";

/// The command line.
#[derive(Parser)]
#[command(
    name = "locate",
    about = "Where each point of a CSV file lies among the zones of a GeoJSON zone file",
    long_about = "\
Where each point of a CSV file lies among the zones of a GeoJSON zone file.

For each point (one per row): the zones that contain it, the zones on whose boundary it
lies, and the nearest zone boundary with its geodesic distance.",
    after_long_help = AFTER_HELP,
    after_help = "Input columns, output columns and exit statuses: see --help."
)]
struct Cli {
    /// The zones: a GeoJSON FeatureCollection
    #[arg(long, value_name = "ZONES.geojson")]
    zones: PathBuf,

    /// The points: a CSV file with the columns id, lon and lat, or - for standard input
    #[arg(long, value_name = "POINTS.csv")]
    points: PathBuf,
}

/// The output header; every output row has these five fields.
const OUTPUT_HEADER: [&str; 5] = ["id", "inside", "boundary", "nearest_zone", "distance_m"];

/// Separator of the zone ids in the `inside` and `boundary` columns.
const ID_SEPARATOR: char = ';';

fn main() -> ExitCode {
    match parse_command_line::<Cli>() {
        Ok(cli) => exit_status("locate", run(&cli)),
        Err(status) => status,
    }
}

fn run(cli: &Cli) -> Result<(), Failure> {
    let index = load_index(&cli.zones)?;
    let stdout = io::stdout();
    locate_points(&index, &cli.points, BufWriter::new(stdout.lock()))
}

/// Loads and indexes the zone file; any problem names the file and the feature or zone.
fn load_index(path: &Path) -> Result<ZoneIndex, Failure> {
    let file = path.display();
    let zones = zones_from_geojson_file(path).map_err(|e| match e {
        // The library's message repeats the path; name it once, first, like every error.
        LoadError::Io { source, .. } => input(format!("{file}: cannot read: {source}")),
        other => input(format!("{file}: {other}")),
    })?;
    // An id with the separator in it would make the output lists ambiguous.
    if let Some(zone) = zones.iter().find(|z| z.id().contains(ID_SEPARATOR)) {
        return Err(input(format!(
            "{file}: zone `{}`: the id contains `{ID_SEPARATOR}`, the separator of the output lists",
            zone.id()
        )));
    }
    ZoneIndex::new(zones).map_err(|e| input(format!("{file}: {e}")))
}

/// Positions of the required columns in the points file.
struct Columns {
    id: usize,
    lon: usize,
    lat: usize,
}

impl Columns {
    /// Finds `id`, `lon` and `lat`, each exactly once (an ambiguous header is an error).
    fn find(header: &csv::StringRecord) -> Result<Self, String> {
        let position = |name: &str| {
            // Spreadsheets often start a UTF-8 file with a byte-order mark.
            let mut found = header
                .iter()
                .enumerate()
                .filter(|(i, h)| {
                    (if *i == 0 {
                        h.trim_start_matches('\u{feff}')
                    } else {
                        h
                    }) == name
                })
                .map(|(i, _)| i);
            match (found.next(), found.next()) {
                (Some(i), None) => Ok(i),
                (None, _) => Err(format!(
                    "missing column `{name}` (the header needs `id`, `lon` and `lat`)"
                )),
                (Some(_), Some(_)) => Err(format!("column `{name}` appears more than once")),
            }
        };
        Ok(Columns {
            id: position("id")?,
            lon: position("lon")?,
            lat: position("lat")?,
        })
    }
}

/// Streams the points file to `out`, one output row per input row, stopping at the first
/// bad row.
fn locate_points(index: &ZoneIndex, path: &Path, out: impl Write) -> Result<(), Failure> {
    let (file, source) = open_input(path)?;
    // `csv` buffers its input; rows must all have the header's field count (not flexible).
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(LineTracker::new(source));
    let (columns, header_line) = match reader.headers() {
        Ok(header) => (Columns::find(header), start_byte(header)),
        Err(e) => return Err(read_failure(&file, &mut reader, &e)),
    };
    let header_line = reader.get_mut().line_at(header_line);
    let columns = columns.map_err(|msg| input(format!("{file}: line {header_line}: {msg}")))?;

    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(OUTPUT_HEADER).map_err(write_failure)?;
    // One record buffer, reused: memory stays constant whatever the file size.
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(read_failure(&file, &mut reader, &e)),
        }
        let line = reader.get_mut().line_at(start_byte(&record));
        let row = locate_row(index, &record, &columns)
            .map_err(|msg| input(format!("{file}: line {line}: {msg}")))?;
        writer
            .write_record([
                row.id,
                &row.inside,
                &row.boundary,
                row.nearest_zone,
                &row.distance_m,
            ])
            .map_err(write_failure)?;
    }
    writer.flush().map_err(io_write_failure)
}

/// Byte offset where `csv` began parsing a record (before any blank lines it skipped).
fn start_byte(record: &csv::StringRecord) -> u64 {
    record.position().map_or(0, csv::Position::byte)
}

/// Turns the byte offset where `csv` began parsing a record into the 1-based line of the
/// record's first field.
///
/// `csv` reports the line where it *began* parsing, which is the previous line after a
/// CRLF ending (it ends a record at `\r` and skips the `\n` as an empty line) or a blank
/// line. This wrapper sees every byte the parser reads and remembers the line breaks not yet
/// passed: at most one read-ahead buffer and one record's worth, so memory stays bounded.
struct LineTracker<R> {
    inner: R,
    /// Offset of the next byte to be read from `inner`.
    read: u64,
    /// Offsets and values of the `\r` and `\n` bytes read but not yet passed.
    breaks: VecDeque<(u64, u8)>,
    /// `\n` bytes passed so far.
    newlines: u64,
}

impl<R> LineTracker<R> {
    fn new(inner: R) -> Self {
        LineTracker {
            inner,
            read: 0,
            breaks: VecDeque::new(),
            newlines: 0,
        }
    }

    /// The line of the first byte at or after `start` that is not a line break. Offsets must
    /// not decrease from call to call (records are read in order).
    fn line_at(&mut self, start: u64) -> u64 {
        let mut first = start;
        while let Some(&(offset, byte)) = self.breaks.front() {
            if offset > first {
                break;
            }
            if offset == first {
                // A line break where the record would start: skipped by the parser.
                first += 1;
            }
            if byte == b'\n' {
                self.newlines += 1;
            }
            self.breaks.pop_front();
        }
        self.newlines + 1
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = buf.get(..n).unwrap_or_default();
        let base = self.read;
        self.breaks.extend(
            (base..)
                .zip(chunk)
                .filter(|(_, &b)| b == b'\n' || b == b'\r')
                .map(|(offset, &b)| (offset, b)),
        );
        self.read += n as u64;
        Ok(n)
    }
}

/// The output fields for one point.
struct Row<'a> {
    id: &'a str,
    inside: String,
    boundary: String,
    nearest_zone: &'a str,
    distance_m: String,
}

/// Locates one input row. The error is the message, without file and line.
fn locate_row<'a>(
    index: &'a ZoneIndex,
    record: &'a csv::StringRecord,
    columns: &Columns,
) -> Result<Row<'a>, String> {
    let lon = coordinate(record, columns.lon, "lon")?;
    let lat = coordinate(record, columns.lat, "lat")?;
    // The library checks the ranges; its message names the value and the range.
    let location = index.locate(lon, lat).map_err(|e| e.to_string())?;
    let (nearest_zone, distance_m) = match index.nearest_boundary(lon, lat).map_err(|e| e.to_string())? {
        // `+ 0.0` turns a -0.0 into 0.0, so a boundary point always prints `0.000`.
        Some(nearest) => (
            index.zone(nearest.zone).id(),
            format!("{:.3}", nearest.distance_m + 0.0),
        ),
        None => ("", String::new()),
    };
    Ok(Row {
        id: record.get(columns.id).unwrap_or_default(),
        inside: joined_ids(index, &location.inside),
        boundary: joined_ids(index, &location.boundary),
        nearest_zone,
        distance_m,
    })
}

/// Parses one coordinate field: present, a number, finite (the range is checked later).
fn coordinate(record: &csv::StringRecord, column: usize, name: &str) -> Result<f64, String> {
    // Every row has the header's field count, so the field exists; absent reads as empty.
    let raw = record.get(column).unwrap_or_default().trim();
    if raw.is_empty() {
        return Err(format!("`{name}` is missing"));
    }
    let value: f64 = raw
        .parse()
        .map_err(|_| format!("`{name}` value `{raw}` is not a number"))?;
    // `str::parse` accepts `NaN` and `inf`; they are not coordinates.
    if !value.is_finite() {
        return Err(format!("`{name}` value `{raw}` is not finite"));
    }
    Ok(value)
}

/// Zone ids of `handles` (already sorted by id) joined with the separator.
fn joined_ids(index: &ZoneIndex, handles: &[ZoneHandle]) -> String {
    index.ids(handles).join(&ID_SEPARATOR.to_string())
}

/// A read error of the points file, naming the file and the line.
fn read_failure<R: Read>(file: &str, reader: &mut csv::Reader<LineTracker<R>>, e: &csv::Error) -> Failure {
    // Errors about a record carry its position; an I/O error happens where reading stopped.
    let start = e.position().unwrap_or(reader.position()).byte();
    let line = reader.get_mut().line_at(start);
    let what = match e.kind() {
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        csv::ErrorKind::Utf8 { err, .. } => format!("field {} is not valid UTF-8", err.field() + 1),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("malformed row: {len} fields, but the header has {expected_len}")
        }
        _ => e.to_string(),
    };
    input(format!("{file}: line {line}: {what}"))
}
