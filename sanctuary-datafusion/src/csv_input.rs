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
use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanBuilder, RecordBatch, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::parquet::arrow::ArrowWriter;

use crate::files::Scratch;
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
