//! A CSV archive, read as the `decide` example reads it, into a Parquet file the replay's
//! query scans.
//!
//! Query engines' CSV readers cannot tell a row with fewer fields than the header from
//! one whose last cells are empty (both read as nulls), and stop at a row with more
//! fields. `decide` reads either as an invalid track, so the replay reads the CSV itself,
//! with the same reader `decide` uses, and writes the columns the replay needs as text,
//! with a flag column that is false for a row `decide` could not read: one with another
//! number of fields than the header, or with bytes that are not UTF-8 in one of those
//! columns. The flag makes the query decide that row as an invalid track.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanBuilder, RecordBatch, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::parquet::arrow::ArrowWriter;

use crate::replay::ReplayError;

/// The name of the flag column: true when `decide` can read the row.
pub(crate) const ROW_OK: &str = "sanctuary_row_ok";

/// The columns the replay reads from an archive.
const WANTED: [&str; 11] = [
    "id",
    "time",
    "lon",
    "lat",
    "alt_m",
    "class",
    "identity",
    "uncertainty_m",
    "speed_mps",
    "heading_deg",
    "tti_s",
];

/// Rows per batch written.
const BATCH: usize = 8_192;

/// The directory a file at `path` is in (`.` for a bare file name): where the hidden
/// files beside an output go.
pub(crate) fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The file an output path names: `out` itself, or, when `out` is a symbolic link, the
/// file at the end of its links (each link's target read against the link's own
/// directory; the file need not exist yet). Writing an output replaces that file and
/// keeps the links, as writing through the link would.
///
/// # Errors
/// A link that cannot be read, or a chain of links that does not end (a loop).
pub(crate) fn link_target(out: &Path) -> std::io::Result<PathBuf> {
    // As many links as Linux follows before it gives up on a path.
    const MAX_LINKS: usize = 40;
    let mut path = out.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                // An absolute target replaces the directory in `join`.
                path = directory_of(&path).join(std::fs::read_link(&path)?);
            }
            _ => return Ok(path),
        }
    }
    Err(std::io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links in a row (a loop?)"
    )))
}

/// A file removed when dropped (unless kept under another name).
pub(crate) struct Scratch {
    path: PathBuf,
    armed: bool,
}

impl Scratch {
    /// A new, unique (within this process, and by its process id across processes) hidden
    /// file name in `dir`, beginning with `.{name}.` and ending with `.{suffix}`; nothing
    /// is created.
    pub(crate) fn beside(dir: &Path, name: &Path, suffix: &str) -> Scratch {
        let stem = name
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        // Unique within the process too: replays may run side by side.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Scratch {
            path: dir.join(format!(".{stem}.{}-{n}.{suffix}", std::process::id())),
            armed: true,
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the file to `dest` (replacing it), so that it is no longer removed.
    pub(crate) fn keep_as(mut self, dest: &Path) -> std::io::Result<()> {
        std::fs::rename(&self.path, dest)?;
        self.armed = false;
        Ok(())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The CSV reader `decide` uses (every row read, whatever its number of fields), past
/// the header, and the header's names (trimmed, without a byte-order mark).
fn open(csv: &Path) -> Result<(csv::Reader<BufReader<File>>, Vec<String>), ReplayError> {
    let header_err = |message: String| ReplayError::Header {
        path: csv.to_path_buf(),
        message,
    };
    let file = File::open(csv).map_err(|e| header_err(e.to_string()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(BufReader::new(file));
    let header = reader.headers().map_err(|e| header_err(e.to_string()))?;
    if header.is_empty() || (header.len() == 1 && header.get(0).is_some_and(str::is_empty)) {
        return Err(header_err("the file is empty".into()));
    }
    let names = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            // Spreadsheets often start a UTF-8 file with a byte-order mark.
            let h = if i == 0 {
                h.trim_start_matches('\u{feff}')
            } else {
                h
            };
            h.trim().to_string()
        })
        .collect();
    Ok((reader, names))
}

/// Reads the CSV archive `csv` and writes the replay's columns (those of [`WANTED`] its
/// header has, as text) and [`ROW_OK`] to a Parquet file in `dir`, removed when the
/// returned [`Scratch`] is dropped. `check` sees the header's names first: its error
/// stops the replay before any row is read.
pub(crate) fn to_parquet(
    csv: &Path,
    dir: &Path,
    check: impl FnOnce(&[String]) -> Result<(), ReplayError>,
) -> Result<Scratch, ReplayError> {
    let header_err = |message: String| ReplayError::Header {
        path: csv.to_path_buf(),
        message,
    };
    let read_err = |e: csv::Error| ReplayError::Read {
        path: csv.to_path_buf(),
        message: e.to_string(),
    };
    let (mut reader, names) = open(csv)?;
    check(&names)?;
    // The wanted columns the header has, with their positions.
    let mut columns: Vec<(&str, usize)> = Vec::new();
    for name in WANTED {
        let mut at = names.iter().enumerate().filter(|(_, n)| n.as_str() == name);
        match (at.next(), at.next()) {
            (Some((i, _)), None) => columns.push((name, i)),
            (None, _) => {}
            (Some(_), Some(_)) => return Err(header_err(format!("column `{name}` appears more than once"))),
        }
    }
    let mut fields: Vec<Field> = columns
        .iter()
        .map(|(n, _)| Field::new(*n, DataType::Utf8, true))
        .collect();
    fields.push(Field::new(ROW_OK, DataType::Boolean, false));
    let schema: SchemaRef = Arc::new(Schema::new(fields));

    let scratch = Scratch::beside(dir, csv, "replay.parquet");
    let write_err = |e: &dyn std::fmt::Display| ReplayError::Write {
        path: scratch.path().to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    };
    let out = File::create(scratch.path()).map_err(|e| write_err(&e))?;
    let mut writer = ArrowWriter::try_new(out, Arc::clone(&schema), None).map_err(|e| write_err(&e))?;

    let mut record = csv::ByteRecord::new();
    let mut builders: Vec<StringBuilder> = columns.iter().map(|_| StringBuilder::new()).collect();
    let mut ok = BooleanBuilder::new();
    let mut rows = 0;
    loop {
        if !reader.read_byte_record(&mut record).map_err(read_err)? {
            break;
        }
        let mut readable = record.len() == names.len();
        for ((name, i), b) in columns.iter().zip(builders.iter_mut()) {
            match record.get(*i) {
                None => b.append_null(),
                Some(bytes) => match std::str::from_utf8(bytes) {
                    Ok(text) => b.append_value(text),
                    Err(_) => {
                        // `decide` keeps such an id (lossily) and reads no track. A time
                        // that is not text is unreadable by itself when decisions go by
                        // time, and not read otherwise.
                        readable &= *name == "time";
                        b.append_value(String::from_utf8_lossy(bytes));
                    }
                },
            }
        }
        ok.append_value(readable);
        rows += 1;
        if rows == BATCH {
            flush(&mut writer, &schema, &mut builders, &mut ok).map_err(|e| write_err(&e))?;
            rows = 0;
        }
    }
    if rows > 0 {
        flush(&mut writer, &schema, &mut builders, &mut ok).map_err(|e| write_err(&e))?;
    }
    writer.close().map_err(|e| write_err(&e))?;
    Ok(scratch)
}

fn flush(
    writer: &mut ArrowWriter<File>,
    schema: &SchemaRef,
    builders: &mut [StringBuilder],
    ok: &mut BooleanBuilder,
) -> Result<(), datafusion::error::DataFusionError> {
    let mut arrays: Vec<ArrayRef> = builders
        .iter_mut()
        .map(|b| Arc::new(b.finish()) as ArrayRef)
        .collect();
    arrays.push(Arc::new(ok.finish()));
    let batch = RecordBatch::try_new(Arc::clone(schema), arrays)?;
    writer.write(&batch)?;
    Ok(())
}
