//! Replaying an archive of tracks (Parquet or CSV) into a file of decisions, one row per
//! input row, in input order, with a summary.
//!
//! Input columns are those of the `decide` example's CSV: `id, lon, lat, alt_m, class,
//! identity`, optionally `uncertainty_m, speed_mps, heading_deg, tti_s`, and `time` for
//! decisions by time. In Parquet the numbers may be any numeric type (decimals are read
//! through their exact digits) and the time a timestamp, Unix seconds or text; in CSV
//! every cell is read as text, as `decide` reads it, so an unreadable cell is one invalid
//! track rather than a failed query. A time in text is Unix seconds (a decimal number)
//! or RFC 3339. A CSV archive is read with `decide`'s own reader into a scratch Parquet file
//! beside the output (removed at the end; on a cluster the executors must see that
//! directory under the same path, as they see the archive's), so that a row with fewer
//! or more fields than the header, or with bytes that are not UTF-8 in a column the
//! replay reads, is an invalid track, as in `decide`, never a failed query.
//!
//! Output columns are exactly `decide`'s: `id, verdict, zone, phase, reasons, margin_m,
//! exclusion, margin_bound`. In CSV every value is written as `decide` writes it (margin
//! with one decimal); in Parquet `margin_m` is the exact `Float64` and `reasons` the same
//! `;`-joined codes as text.
//!
//! The archive is scanned as one ordered stream (no repartitioning of the file, so the
//! output keeps the input's order); in process, the scan runs ahead of the decisions on a
//! task of its own (up to [`SCAN_AHEAD_BYTES`], see [`in_process_context`]); each batch is
//! decided on all cores by the function itself, and the output is written on a thread of
//! its own, two batches behind. Memory is bounded by the batch size and by the size of
//! the archive's largest row group, not by the archive: the Parquet reader holds the
//! compressed columns of one row group at a time (so an archive written as one huge row
//! group costs memory in proportion; `generate` writes row groups of 2^20 rows, about
//! 30 MB, and a 10^7-row replay peaks at about 125 MB of RSS, against about 360 MB for
//! the same rows as a single row group).
//!
//! The output is written under a hidden name beside it (`.NAME.PID-N.partial`) and
//! renamed to its name only once every row is written: a replay that fails leaves no
//! partial output, and a file already at that path as it was. An output that is the
//! archive itself, under any of its names, is refused before anything is written.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, DictionaryArray, Float64Array, Int32Array, ListArray,
    RecordBatch, StringArray, StringBuilder, StructArray,
};
use datafusion::arrow::datatypes::{DataType, Field, Int32Type, Schema, SchemaRef};
use datafusion::error::DataFusionError;
use datafusion::execution::SendableRecordBatchStream;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::file::properties::{EnabledStatistics, WriterProperties};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use futures::StreamExt;

use crate::csv_input;
use crate::files::{self, Scratch};
use crate::{register, Binding};

/// Why a replay failed (a bad row never fails it: it is decided as an invalid track).
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The file's name ends neither in `.parquet` nor in `.csv`.
    #[error("{path}: unknown format (the name must end in .parquet or .csv)")]
    UnknownFormat {
        /// The path.
        path: PathBuf,
    },
    /// The archive lacks a column the replay needs.
    #[error("{path}: missing column `{column}` (the archive needs id, lon, lat, alt_m, class, identity{})", if *by_time { " and time" } else { "" })]
    MissingColumn {
        /// The archive.
        path: PathBuf,
        /// The missing column.
        column: &'static str,
        /// Decisions by time (which need `time`)?
        by_time: bool,
    },
    /// The archive's header cannot be read.
    #[error("{path}: cannot read the header: {message}")]
    Header {
        /// The archive.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The archive cannot be read past its header.
    #[error("{path}: cannot read: {message}")]
    Read {
        /// The archive.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// Writing the output failed.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The output.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The output is the archive itself (the same path, or another name of the same
    /// file): writing it would destroy the archive being read.
    #[error("{out}: the output is the archive being replayed ({tracks}); choose another output")]
    OutputIsArchive {
        /// The archive.
        tracks: PathBuf,
        /// The output.
        out: PathBuf,
    },
    /// The query gave batches of another shape than the replay's (a bug, or a cluster
    /// whose processes run another version of this crate).
    #[error("unexpected query result: {0}")]
    Shape(String),
    /// The query engine failed.
    #[error("query failed: {0}")]
    Query(#[from] DataFusionError),
}

/// A file format, from the file's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Apache Parquet.
    Parquet,
    /// CSV (RFC 4180) with a header.
    Csv,
}

impl Format {
    /// The format of a path, by its extension (case-insensitive).
    ///
    /// # Errors
    /// [`ReplayError::UnknownFormat`] for any other extension.
    pub fn of(path: &Path) -> Result<Format, ReplayError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("parquet") => Ok(Format::Parquet),
            Some("csv") => Ok(Format::Csv),
            _ => Err(ReplayError::UnknownFormat {
                path: path.to_path_buf(),
            }),
        }
    }
}

/// The columns `decide` writes, in order.
pub const OUTPUT_COLUMNS: [&str; 8] = [
    "id",
    "verdict",
    "zone",
    "phase",
    "reasons",
    "margin_m",
    "exclusion",
    "margin_bound",
];

const OPTIONAL: [&str; 4] = ["uncertainty_m", "speed_mps", "heading_deg", "tti_s"];

/// Counts of a replay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows decided (= rows read).
    pub rows: u64,
    /// Permits.
    pub permits: u64,
    /// Denies.
    pub denies: u64,
    /// Denies by reason code (a deny with several reasons counts once for each).
    pub denies_by_reason: BTreeMap<String, u64>,
    /// `(permits, denies)` by deciding zone (`-` for none).
    pub by_zone: BTreeMap<String, (u64, u64)>,
    /// `(permits, denies)` by phase (`-` for none).
    pub by_phase: BTreeMap<String, (u64, u64)>,
}

impl Summary {
    /// Adds a batch's tally.
    fn add(&mut self, tally: Tally<'_>) {
        self.rows += tally.rows;
        self.permits += tally.permits;
        self.denies += tally.rows - tally.permits;
        let add = |m: &mut BTreeMap<String, (u64, u64)>, counts: &[(u64, u64)], names: &Keyed<'_>| {
            for (k, &(p, d)) in counts.iter().enumerate() {
                if p + d > 0 {
                    let e = m.entry(names.name(k).unwrap_or("-").to_string()).or_default();
                    e.0 += p;
                    e.1 += d;
                }
            }
        };
        add(&mut self.by_zone, &tally.by_zone, &tally.zone);
        add(&mut self.by_phase, &tally.by_phase, &tally.phase);
        for (k, n) in tally.denies_by_reason {
            *self.denies_by_reason.entry(k.to_string()).or_default() += n;
        }
    }
}

/// A text field of the decision struct: keys into a dictionary of names.
struct Keyed<'a> {
    keys: &'a datafusion::arrow::array::Int32Array,
    names: &'a StringArray,
}

impl<'a> Keyed<'a> {
    /// The field as keys and names (the function writes dictionaries; text of another
    /// layout is first keyed into `scratch`).
    fn of(field: &'a ArrayRef, scratch: &'a mut Option<ArrayRef>) -> Result<Keyed<'a>, ReplayError> {
        let dictionary = crate::udf::dictionary();
        let a: &'a ArrayRef = if field.data_type() == &dictionary {
            field
        } else {
            scratch
                .insert(datafusion::arrow::compute::cast(field, &dictionary).map_err(DataFusionError::from)?)
        };
        let d = a
            .as_dictionary_opt::<datafusion::arrow::datatypes::Int32Type>()
            .ok_or_else(|| internal("a decision field is not text"))?;
        Ok(Keyed {
            keys: d.keys(),
            names: d
                .values()
                .as_string_opt::<i32>()
                .ok_or_else(|| internal("a decision field's dictionary is not Utf8"))?,
        })
    }

    /// The row's key, or the key past the names for a null.
    #[inline]
    fn key(&self, row: usize) -> usize {
        if self.keys.is_valid(row) {
            usize::try_from(self.keys.value(row)).map_or(self.names.len(), |k| k.min(self.names.len()))
        } else {
            self.names.len()
        }
    }

    /// The name of a key; `None` for the key past the names.
    fn name(&self, key: usize) -> Option<&'a str> {
        (key < self.names.len() && self.names.is_valid(key)).then(|| self.names.value(key))
    }
}

/// One batch's counts, by the keys of its zone and phase fields (merged into a
/// [`Summary`] once per batch, so that a row costs two array increments).
struct Tally<'a> {
    rows: u64,
    permits: u64,
    zone: Keyed<'a>,
    phase: Keyed<'a>,
    /// `(permits, denies)` by zone key; the last entry counts rows with no zone.
    by_zone: Vec<(u64, u64)>,
    by_phase: Vec<(u64, u64)>,
    /// Denies by reason code: the few codes a batch holds, in the order first seen.
    denies_by_reason: Vec<(&'a str, u64)>,
    /// Where the last code was found in `denies_by_reason` (rows come in runs).
    last_reason: usize,
}

impl<'a> Tally<'a> {
    fn new(zone: Keyed<'a>, phase: Keyed<'a>) -> Self {
        Tally {
            rows: 0,
            permits: 0,
            by_zone: vec![(0, 0); zone.names.len() + 1],
            by_phase: vec![(0, 0); phase.names.len() + 1],
            zone,
            phase,
            denies_by_reason: Vec::new(),
            last_reason: 0,
        }
    }

    fn count(&mut self, permit: bool, row: usize) {
        self.rows += 1;
        let bump = |e: &mut (u64, u64)| {
            if permit {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        };
        let (z, p) = (self.zone.key(row), self.phase.key(row));
        if let Some(e) = self.by_zone.get_mut(z) {
            bump(e);
        }
        if let Some(e) = self.by_phase.get_mut(p) {
            bump(e);
        }
        if permit {
            self.permits += 1;
        }
    }

    fn reason(&mut self, code: &'a str) {
        // A plan has a handful of reason codes: a short scan, starting with the last one.
        let slot = match self.denies_by_reason.get(self.last_reason) {
            Some((c, _)) if *c == code => Some(self.last_reason),
            _ => self.denies_by_reason.iter().position(|(c, _)| *c == code),
        };
        let slot = slot.unwrap_or_else(|| {
            self.denies_by_reason.push((code, 0));
            self.denies_by_reason.len() - 1
        });
        if let Some((_, n)) = self.denies_by_reason.get_mut(slot) {
            *n += 1;
        }
        self.last_reason = slot;
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "rows {}  permits {}  denies {}",
            self.rows, self.permits, self.denies
        )?;
        writeln!(f, "denies by reason:")?;
        for (r, n) in &self.denies_by_reason {
            writeln!(f, "  {r:<30} {n}")?;
        }
        writeln!(f, "by zone (permits / denies):")?;
        for (z, (p, d)) in &self.by_zone {
            writeln!(f, "  {z:<30} {p} / {d}")?;
        }
        writeln!(f, "by phase (permits / denies):")?;
        for (z, (p, d)) in &self.by_phase {
            writeln!(f, "  {z:<30} {p} / {d}")?;
        }
        Ok(())
    }
}

/// The archive as registered: its column names and, for CSV, the flag column that is
/// false for a row `decide` could not read, and the scratch file the CSV was read into.
struct Registered {
    columns: Vec<String>,
    /// Is the `id` column text already (then it is read as it is, without a cast)?
    text_id: bool,
    readable: Option<&'static str>,
    _scratch: Option<Scratch>,
}

/// Registers the archive as table `tracks`; a CSV archive is first read into a scratch
/// Parquet file in `scratch_dir`.
async fn register_tracks(
    ctx: &SessionContext,
    binding: &Binding,
    path: &Path,
    scratch_dir: &Path,
) -> Result<Registered, ReplayError> {
    // A session may replay several archives one after another.
    ctx.deregister_table("tracks")?;
    let (location, readable, scratch) = match Format::of(path)? {
        Format::Parquet => {
            // Said plainly, rather than as the query engine's "no files found".
            if let Err(e) = std::fs::metadata(path) {
                return Err(ReplayError::Read {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                });
            }
            (path.to_path_buf(), None, None)
        }
        Format::Csv => {
            // A missing column is reported before a big file is read.
            let scratch =
                csv_input::to_parquet(path, scratch_dir, |header| check_columns(binding, path, header))?;
            (
                scratch.path().to_path_buf(),
                Some(csv_input::ROW_OK),
                Some(scratch),
            )
        }
    };
    ctx.register_parquet(
        "tracks",
        &location.to_string_lossy(),
        ParquetReadOptions::default(),
    )
    .await?;
    let table = ctx.table("tracks").await?;
    let schema = table.schema();
    let columns = schema.fields().iter().map(|f| f.name().clone()).collect();
    let text_id = schema.fields().iter().any(|f| {
        f.name() == "id"
            && matches!(
                f.data_type(),
                DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8
            )
    });
    Ok(Registered {
        columns,
        text_id,
        readable,
        _scratch: scratch,
    })
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The query of a replay over table `tracks` with these columns.
/// The columns a replay with this binding needs, in the functions' argument order.
fn required(binding: &Binding) -> Vec<&'static str> {
    let mut required = vec!["id", "lon", "lat", "alt_m", "class", "identity"];
    if binding.phase_id().is_none() {
        required.insert(0, "time");
    }
    required
}

/// An error for the first column the replay needs that `columns` lacks.
fn check_columns(binding: &Binding, path: &Path, columns: &[String]) -> Result<(), ReplayError> {
    match required(binding)
        .into_iter()
        .find(|c| !columns.iter().any(|n| n == c))
    {
        Some(column) => Err(ReplayError::MissingColumn {
            path: path.to_path_buf(),
            column,
            by_time: binding.phase_id().is_none(),
        }),
        None => Ok(()),
    }
}

fn query(binding: &Binding, path: &Path, registered: &Registered) -> Result<String, ReplayError> {
    let columns = &registered.columns;
    let by_time = binding.phase_id().is_none();
    let has = |c: &str| columns.iter().any(|n| n == c);
    check_columns(binding, path, columns)?;
    let required = required(binding);
    // Ids of another type (numbers, say) are read as their text.
    let id = if registered.text_id {
        "\"id\""
    } else {
        "CAST(\"id\" AS VARCHAR)"
    };
    let mut args: Vec<String> = required
        .iter()
        .map(|c| {
            if *c == "id" {
                id.to_string()
            } else if let (true, Some(readable)) = (*c == "lon", registered.readable) {
                // A CSV row `decide` cannot read has no position: an invalid track.
                format!("CASE WHEN {} THEN \"lon\" END", quote(readable))
            } else {
                quote(c)
            }
        })
        .collect();
    if OPTIONAL.iter().any(|c| has(c)) {
        for c in OPTIONAL {
            args.push(if has(c) {
                quote(c)
            } else {
                "CAST(NULL AS DOUBLE)".to_string()
            });
        }
    }
    let function = if by_time { crate::DECIDE_AT } else { crate::DECIDE };
    Ok(format!(
        "SELECT {id} AS id, {function}({}) AS d FROM tracks",
        args.join(", ")
    ))
}

/// Runs the replay's query and returns its ordered stream of `(id, d)` batches, with the
/// registration (whose scratch file must outlive the stream).
async fn decisions_stream(
    ctx: &SessionContext,
    binding: &Binding,
    tracks: &Path,
    scratch_dir: &Path,
) -> Result<(SendableRecordBatchStream, Registered), ReplayError> {
    register(ctx, binding);
    let registered = register_tracks(ctx, binding, tracks, scratch_dir).await?;
    let sql = query(binding, tracks, &registered)?;
    Ok((ctx.sql(&sql).await?.execute_stream().await?, registered))
}

/// A session for replays: one ordered partition per file (so the output keeps the
/// input's order; the decision function itself uses every core), and no statistics
/// gathered from the files (see [`crate`]'s "Parquet statistics": with them, DataFusion
/// reads a float column of one value and NaNs as that value everywhere).
///
/// # Example
/// ```
/// let config = sanctuary_datafusion::replay::session_config();
/// assert!(!config.collect_statistics());
/// assert_eq!(config.target_partitions(), 1);
/// ```
pub fn session_config() -> datafusion::prelude::SessionConfig {
    datafusion::prelude::SessionConfig::new()
        .with_target_partitions(1)
        .with_repartition_file_scans(false)
        .with_collect_statistics(false)
}

/// How many bytes of scanned batches the in-process replay reads ahead of the decisions.
pub const SCAN_AHEAD_BYTES: usize = 8 << 20;

/// The session an in-process replay runs in: [`session_config`], and the scan read
/// ahead on a task of its own (DataFusion's `BufferExec`, up to [`SCAN_AHEAD_BYTES`]), so
/// that decoding the next batches of the archive overlaps deciding this one. The order
/// of the rows and the bound on memory are unchanged.
///
/// # Example
/// ```
/// let ctx = sanctuary_datafusion::replay::in_process_context();
/// assert_eq!(ctx.state().config().target_partitions(), 1);
/// ```
pub fn in_process_context() -> SessionContext {
    let state = datafusion::execution::SessionStateBuilder::new()
        .with_config(session_config())
        .with_default_features()
        .with_physical_optimizer_rule(Arc::new(ScanAhead))
        .build();
    SessionContext::new_with_state(state)
}

/// Puts a `BufferExec` above each file scan.
#[derive(Debug)]
struct ScanAhead;

impl datafusion::physical_optimizer::PhysicalOptimizerRule for ScanAhead {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        _config: &datafusion::config::ConfigOptions,
    ) -> datafusion::common::Result<Arc<dyn ExecutionPlan>> {
        use datafusion::common::tree_node::{Transformed, TreeNode};
        use datafusion::datasource::source::DataSourceExec;
        use datafusion::physical_plan::buffer::BufferExec;
        plan.transform_up(|node| {
            Ok(if node.is::<DataSourceExec>() {
                Transformed::yes(Arc::new(BufferExec::new(node, SCAN_AHEAD_BYTES)) as Arc<dyn ExecutionPlan>)
            } else {
                Transformed::no(node)
            })
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "sanctuary_scan_ahead"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// Replays the archive `tracks` into `out` (formats by extension) on `ctx` (in-process
/// DataFusion, or a Ballista session), calling `progress` with the rows decided so far
/// after each batch.
///
/// The output is written under a hidden name beside it and renamed into place when every
/// row is written, replacing an existing file; an output that is a symbolic link is
/// written through it (the file it names is replaced, the link kept).
///
/// # Errors
/// [`ReplayError`]: an unknown format, a missing column, an output that is the archive
/// itself (refused before anything is written), a query or write failure. No row is
/// ever dropped: the output has one row per input row or the replay fails.
pub async fn replay(
    ctx: &SessionContext,
    binding: &Binding,
    tracks: &Path,
    out: &Path,
    mut progress: impl FnMut(u64),
) -> Result<Summary, ReplayError> {
    let format = Format::of(out)?;
    if same_file(tracks, out) {
        return Err(ReplayError::OutputIsArchive {
            tracks: tracks.to_path_buf(),
            out: out.to_path_buf(),
        });
    }
    check_output(out)?;
    let write_err = |source: std::io::Error| ReplayError::Write {
        path: out.to_path_buf(),
        source,
    };
    // An output that is a symbolic link is written through it: the file it names is
    // replaced, the link kept.
    let target = files::link_target(out).map_err(write_err)?;
    // A CSV archive is read into a scratch file beside the output (whose directory is
    // writable; on a cluster the executors must see it under the same path).
    let scratch_dir = files::directory_of(&target);
    let (mut stream, _registered) = decisions_stream(ctx, binding, tracks, scratch_dir).await?;
    // The output is written under a hidden name beside it and renamed into place only
    // when every row is written: a failed replay leaves no partial output (and an
    // existing file at `out` as it was).
    let partial = Scratch::beside(scratch_dir, &target, "partial");
    let file = File::create(partial.path()).map_err(write_err)?;
    let mut writer = match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(BufWriter::new(file));
            w.write_record(OUTPUT_COLUMNS)
                .map_err(|e| write_err(std::io::Error::other(e)))?;
            Writer::Csv(Box::new(w))
        }
        Format::Parquet => Writer::Parquet(Box::new(
            ArrowWriter::try_new(file, output_schema(), Some(writer_properties()))
                .map_err(|e| write_err(std::io::Error::other(e)))?,
        )),
    };
    // The output is written on its own thread, behind a channel of two batches, so that
    // writing overlaps the scan and the decisions while memory stays bounded.
    let (tx, rx) = std::sync::mpsc::sync_channel::<RecordBatch>(2);
    let out_path = out.to_path_buf();
    let writing = std::thread::spawn(move || -> Result<Summary, ReplayError> {
        let write_err = |source: std::io::Error| ReplayError::Write {
            path: out_path.clone(),
            source,
        };
        let mut summary = Summary::default();
        for batch in rx {
            let batch = output_batch(&batch, &mut summary)?;
            match &mut writer {
                Writer::Csv(w) => write_csv(w.as_mut(), &batch).map_err(write_err)?,
                Writer::Parquet(w) => w.write(&batch).map_err(|e| write_err(std::io::Error::other(e)))?,
            }
        }
        match writer {
            Writer::Csv(mut w) => w.flush().map_err(write_err)?,
            Writer::Parquet(w) => {
                w.close().map_err(|e| write_err(std::io::Error::other(e)))?;
            }
        }
        Ok(summary)
    });
    let mut decided = 0u64;
    let mut failure = None;
    while let Some(batch) = stream.next().await {
        match batch {
            Ok(batch) => {
                decided += batch.num_rows() as u64;
                // A closed channel means the writer stopped on an error: it is reported below.
                if tx.send(batch).is_err() {
                    break;
                }
                progress(decided);
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    drop(tx);
    let written = writing
        .join()
        .map_err(|_| ReplayError::Shape("the writer thread panicked".into()))?;
    if let Some(e) = failure {
        return Err(e.into());
    }
    let summary = written?;
    partial.keep_as(&target).map_err(write_err)?;
    Ok(summary)
}

/// An error for an output path that names a directory, found before any work is done
/// (the output is renamed into place at the end).
pub(crate) fn check_output(out: &Path) -> Result<(), ReplayError> {
    if out.is_dir() {
        return Err(ReplayError::Write {
            path: out.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a directory"),
        });
    }
    Ok(())
}

/// Do `a` and `b` name the same existing file (the same path once resolved, or on Unix
/// the same device and inode, which also catches hard links)? `false` when either
/// does not exist.
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if (ma.dev(), ma.ino()) == (mb.dev(), mb.ino()) {
            return true;
        }
    }
    let _ = (ma, mb);
    matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}

enum Writer {
    Csv(Box<csv::Writer<BufWriter<File>>>),
    Parquet(Box<ArrowWriter<File>>),
}

/// How the Parquet output is written: without statistics on the text columns (their
/// minimum and maximum prune nothing for a mix of decisions, and computing them was a
/// third of the writer's time), with them on `margin_m`; otherwise the Parquet writer's
/// defaults (dictionary encoding, no compression).
///
/// # Example
/// ```
/// use datafusion::parquet::file::properties::EnabledStatistics;
/// use datafusion::parquet::schema::types::ColumnPath;
/// let props = sanctuary_datafusion::replay::writer_properties();
/// let id = ColumnPath::from("id");
/// assert_eq!(props.statistics_enabled(&id), EnabledStatistics::None);
/// assert_ne!(props.statistics_enabled(&ColumnPath::from("margin_m")), EnabledStatistics::None);
/// ```
pub fn writer_properties() -> WriterProperties {
    let mut props = WriterProperties::builder();
    for column in [
        "id",
        "verdict",
        "zone",
        "phase",
        "reasons",
        "exclusion",
        "margin_bound",
    ] {
        props = props.set_column_statistics_enabled(column.into(), EnabledStatistics::None);
    }
    props.build()
}

/// The schema of the output: `decide`'s columns.
pub fn output_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("verdict", DataType::Utf8, false),
        Field::new("zone", DataType::Utf8, true),
        Field::new("phase", DataType::Utf8, true),
        Field::new("reasons", DataType::Utf8, false),
        Field::new("margin_m", DataType::Float64, true),
        Field::new("exclusion", DataType::Utf8, true),
        Field::new("margin_bound", DataType::Utf8, true),
    ]))
}

fn internal(msg: &str) -> ReplayError {
    ReplayError::Shape(msg.to_string())
}

/// A batch's id column.
enum Ids<'a> {
    Views(&'a datafusion::arrow::array::StringViewArray),
    Plain(&'a StringArray),
}

impl Ids<'_> {
    /// The row's id; empty when null.
    fn at(&self, row: usize) -> &str {
        match self {
            Ids::Views(a) if a.is_valid(row) => a.value(row),
            Ids::Plain(a) if a.is_valid(row) => a.value(row),
            _ => "",
        }
    }
}

/// Turns a batch of `(id, d)` into `decide`'s columns, counting it into `summary`.
///
/// The columns are those of [`output_schema`], but a text column may hold its text in
/// another layout (a dictionary, text views), as Parquet's writer takes it; their values
/// are the same.
///
/// # Errors
/// Only when the batch is not the shape the replay query makes.
pub fn output_batch(batch: &RecordBatch, summary: &mut Summary) -> Result<RecordBatch, ReplayError> {
    let rows = batch.num_rows();
    // Ids arrive as text views (as Parquet is read) or as plain text.
    let plain;
    let ids = match batch.column(0).as_string_view_opt() {
        Some(views) => Ids::Views(views),
        None => {
            plain = datafusion::arrow::compute::cast(batch.column(0), &DataType::Utf8)
                .map_err(DataFusionError::from)?;
            Ids::Plain(
                plain
                    .as_string_opt::<i32>()
                    .ok_or_else(|| internal("id is not text"))?,
            )
        }
    };
    let d: &StructArray = batch
        .column(1)
        .as_struct_opt()
        .ok_or_else(|| internal("d is not a struct"))?;
    let field = |name: &str| {
        d.column_by_name(name)
            .ok_or_else(|| internal("a decision field is missing"))
    };
    let (mut scratch_verdict, mut scratch_zone, mut scratch_phase) = (None, None, None);
    let verdict = Keyed::of(field("verdict")?, &mut scratch_verdict)?;
    let zone = Keyed::of(field("zone")?, &mut scratch_zone)?;
    let phase = Keyed::of(field("phase")?, &mut scratch_phase)?;
    // The key of PERMIT in this batch's verdicts (none when no row is a permit).
    let permit_key = (0..verdict.names.len()).find(|&k| verdict.name(k) == Some("PERMIT"));
    let reasons: &ListArray = field("reasons")?
        .as_list_opt::<i32>()
        .ok_or_else(|| internal("reasons"))?;
    let margin: &Float64Array = field("margin_m")?
        .as_primitive_opt()
        .ok_or_else(|| internal("margin_m"))?;
    let lower: &BooleanArray = field("margin_is_lower_bound")?
        .as_boolean_opt()
        .ok_or_else(|| internal("bound"))?;

    let offsets = reasons.value_offsets();
    let codes = reasons
        .values()
        .as_string_opt::<i32>()
        .ok_or_else(|| internal("reason codes"))?;
    // Ids go out as they came in when every one is valid (the usual case); otherwise each
    // invalid one is escaped, as `decide` does.
    let ids_valid = (0..rows).all(|row| sanctuary::id::check_id(ids.at(row)).is_ok());
    let id_column: ArrayRef = if ids_valid {
        match ids {
            Ids::Views(_) => Arc::clone(batch.column(0)),
            Ids::Plain(a) => Arc::new(a.clone()),
        }
    } else {
        let mut id_out = StringBuilder::with_capacity(rows, rows * 8);
        for row in 0..rows {
            let id = ids.at(row);
            match sanctuary::id::check_id(id) {
                Ok(()) => id_out.append_value(id),
                Err(_) => id_out.append_value(sanctuary::id::escape_id(id)),
            }
        }
        Arc::new(id_out.finish())
    };
    let mut reasons_out = StringBuilder::with_capacity(rows, rows * 16);
    let mut bound_keys = Vec::with_capacity(rows);
    let mut joined = String::new();
    let mut tally = Tally::new(zone, phase);
    for row in 0..rows {
        joined.clear();
        // The row's codes, read in place (no sliced array per row).
        let (start, end) = match (offsets.get(row), offsets.get(row + 1)) {
            (Some(&a), Some(&b)) => (a.max(0) as usize, b.max(0) as usize),
            _ => return Err(internal("reasons offsets")),
        };
        let permit = permit_key.is_some_and(|k| verdict.key(row) == k);
        for j in start..end {
            if j > start {
                joined.push(';');
            }
            if codes.is_valid(j) {
                let code = codes.value(j);
                joined.push_str(code);
                if !permit && !code.is_empty() {
                    tally.reason(code);
                }
            }
        }
        reasons_out.append_value(&joined);
        // Keys into `bounds` below.
        bound_keys.push(match (margin.is_valid(row), lower.value(row)) {
            (false, _) => None,
            (true, false) => Some(0),
            (true, true) => Some(1),
        });
        tally.count(permit, row);
    }
    summary.add(tally);
    let bounds: ArrayRef = Arc::new(StringArray::from(vec!["exact", "lower_bound"]));
    let bound_column = DictionaryArray::<Int32Type>::try_new(Int32Array::from(bound_keys), bounds)
        .map_err(DataFusionError::from)?;
    // The decision's text fields go out in the layout they arrive in (the function's
    // dictionaries): Parquet's writer takes any layout of text for a text column and
    // writes the same values; other layouts are cast to plain text.
    let text = |name: &str| -> Result<ArrayRef, ReplayError> {
        let a = field(name)?;
        let t = a.data_type();
        Ok(
            if matches!(t, DataType::Utf8 | DataType::Utf8View) || t == &crate::udf::dictionary() {
                Arc::clone(a)
            } else {
                datafusion::arrow::compute::cast(a, &DataType::Utf8).map_err(DataFusionError::from)?
            },
        )
    };
    let columns: Vec<ArrayRef> = vec![
        id_column,
        text("verdict")?,
        text("zone")?,
        text("phase")?,
        Arc::new(reasons_out.finish()),
        Arc::clone(field("margin_m")?),
        text("exclusion")?,
        Arc::new(bound_column),
    ];
    let schema = output_schema();
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .zip(&columns)
        .map(|(f, c)| f.as_ref().clone().with_data_type(c.data_type().clone()))
        .collect();
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).map_err(DataFusionError::from)?)
}

/// Metres with one decimal; never `-0.0` (as `decide` writes them).
pub fn format_margin(m: f64) -> String {
    let s = format!("{m:.1}");
    if s == "-0.0" {
        "0.0".to_string()
    } else {
        s
    }
}

fn write_csv<W: Write>(w: &mut csv::Writer<W>, batch: &RecordBatch) -> std::io::Result<()> {
    // Text in any layout is first cast to plain text.
    let plain = batch
        .columns()
        .iter()
        .map(|c| match c.data_type() {
            DataType::Float64 | DataType::Utf8 => Ok(Arc::clone(c)),
            _ => datafusion::arrow::compute::cast(c, &DataType::Utf8),
        })
        .collect::<Result<Vec<ArrayRef>, _>>()
        .map_err(std::io::Error::other)?;
    let text = |i: usize| plain.get(i).and_then(|c| c.as_string_opt::<i32>());
    let (Some(id), Some(verdict), Some(zone), Some(phase), Some(reasons), Some(exclusion), Some(bound)) =
        (text(0), text(1), text(2), text(3), text(4), text(6), text(7))
    else {
        return Err(std::io::Error::other(
            "replay: an output batch of the wrong shape",
        ));
    };
    let margin: Option<&Float64Array> = plain.get(5).and_then(|c| c.as_primitive_opt());
    let Some(margin) = margin else {
        return Err(std::io::Error::other("replay: margin_m is not Float64"));
    };
    fn get(a: &StringArray, row: usize) -> &str {
        if a.is_valid(row) {
            a.value(row)
        } else {
            ""
        }
    }
    for row in 0..batch.num_rows() {
        let m = if margin.is_valid(row) {
            format_margin(margin.value(row))
        } else {
            String::new()
        };
        w.write_record([
            get(id, row),
            get(verdict, row),
            get(zone, row),
            get(phase, row),
            get(reasons, row),
            &m,
            get(exclusion, row),
            get(bound, row),
        ])
        .map_err(std::io::Error::other)?;
    }
    Ok(())
}
