//! Reading a batch's argument columns into tracks, row by row, the way the `decide`
//! example reads a CSV row.
//!
//! Every argument arrives coerced by the function's signature (numbers as `Float64`,
//! codes and ids as text in any of Arrow's layouts, dictionaries of text as `Utf8View`,
//! times as `Timestamp`, `Float64` or text), so a row
//! is read with plain array accesses and no allocation beyond an id longer than the
//! inline capacity of [`sanctuary::id::Id`].

use datafusion::arrow::array::{Array, ArrayRef, AsArray, LargeStringArray, StringArray, StringViewArray};
use datafusion::arrow::datatypes::{
    i256, DataType, Decimal128Type, Decimal256Type, Float64Type, TimeUnit, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use datafusion::common::{exec_datafusion_err, plan_err, Result};
use sanctuary::engine::Velocity;
use sanctuary::plan::{Identity, TargetClass};
use sanctuary::Track;

/// How many arguments a decision function takes, and where each one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Layout {
    /// A leading time argument (the by-time variant).
    pub(crate) time: bool,
    /// An id argument before `lon`.
    pub(crate) id: bool,
    /// The four optional intercept arguments after `identity`.
    pub(crate) intercept: bool,
}

impl Layout {
    /// The layout for `n` arguments, or a planning error naming the accepted counts.
    pub(crate) fn for_count(name: &str, time: bool, n: usize) -> Result<Layout> {
        let base = usize::from(time);
        let layout = |id, intercept| Layout { time, id, intercept };
        match n.checked_sub(base) {
            Some(5) => Ok(layout(false, false)),
            Some(6) => Ok(layout(true, false)),
            Some(9) => Ok(layout(false, true)),
            Some(10) => Ok(layout(true, true)),
            _ => plan_err!(
                "{name} takes {}: {}lon, lat, alt_m, class, identity, optionally preceded by an id \
                 and followed by uncertainty_m, speed_mps, heading_deg, tti_s; got {n} arguments",
                if time {
                    "6, 7, 10 or 11 arguments"
                } else {
                    "5, 6, 9 or 10 arguments"
                },
                if time { "time, " } else { "" }
            ),
        }
    }

    /// The argument's name at position `i`, for messages and coercion.
    pub(crate) fn role(self, i: usize) -> Role {
        let mut i = i;
        if self.time {
            if i == 0 {
                return Role::Time;
            }
            i -= 1;
        }
        if self.id {
            if i == 0 {
                return Role::Text("id");
            }
            i -= 1;
        }
        match i {
            0 => Role::Number("lon"),
            1 => Role::Number("lat"),
            2 => Role::Number("alt_m"),
            3 => Role::Text("class"),
            4 => Role::Text("identity"),
            5 => Role::Number("uncertainty_m"),
            6 => Role::Number("speed_mps"),
            7 => Role::Number("heading_deg"),
            _ => Role::Number("tti_s"),
        }
    }
}

/// What an argument holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Time,
    Number(&'static str),
    Text(&'static str),
}

/// The type an argument of `role` is coerced to, or a planning error.
pub(crate) fn coerce(function: &str, role: Role, given: &DataType) -> Result<DataType> {
    let text = |t: &DataType| {
        matches!(
            t,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
        ) || matches!(t, DataType::Dictionary(_, v) if matches!(**v, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View))
    };
    let number = |t: &DataType| t.is_numeric() || matches!(t, DataType::Null);
    // Plain text is read as it comes; dictionaries of text are cast to views.
    let as_text = |t: &DataType| match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => t.clone(),
        _ => DataType::Utf8View,
    };
    // Decimals are read from their digits, each to the nearest `f64` as `decide` reads the
    // same digits (Arrow's cast to `Float64` rounds twice: the mantissa, then its quotient
    // by a power of ten); the narrower ones are widened (exactly) to 128 bits first.
    let decimal = |t: &DataType| match t {
        DataType::Decimal32(_, s) | DataType::Decimal64(_, s) => Some(DataType::Decimal128(38, *s)),
        DataType::Decimal128(..) | DataType::Decimal256(..) => Some(t.clone()),
        _ => None,
    };
    if let (Role::Number(_) | Role::Time, Some(d)) = (role, decimal(given)) {
        return Ok(d);
    }
    match role {
        Role::Number(_) if number(given) => Ok(DataType::Float64),
        // Text is read as `decide` reads a CSV cell: trimmed, then as a decimal number.
        Role::Number(_) if text(given) => Ok(as_text(given)),
        Role::Number(name) => plan_err!("{function}: argument {name} must be a number or text, not {given}"),
        Role::Text(_) if text(given) => Ok(as_text(given)),
        Role::Text(name) => plan_err!("{function}: argument {name} must be a string, not {given}"),
        Role::Time => match given {
            DataType::Timestamp(_, _) => Ok(given.clone()),
            DataType::Date32 | DataType::Date64 => Ok(DataType::Timestamp(TimeUnit::Second, None)),
            t if number(t) => Ok(DataType::Float64),
            t if text(t) => Ok(as_text(t)),
            t => plan_err!(
                "{function}: argument time must be a timestamp, Unix seconds or RFC 3339 text, not {t}"
            ),
        },
    }
}

/// A text column, in any of Arrow's three layouts of UTF-8 text.
#[derive(Clone, Copy)]
pub(crate) enum TextColumn<'a> {
    Views(&'a StringViewArray),
    Plain(&'a StringArray),
    Large(&'a LargeStringArray),
}

impl<'a> TextColumn<'a> {
    /// The array as text, or `None` for another type.
    fn of(a: &'a ArrayRef) -> Option<Self> {
        if let Some(v) = a.as_string_view_opt() {
            Some(TextColumn::Views(v))
        } else if let Some(p) = a.as_string_opt::<i32>() {
            Some(TextColumn::Plain(p))
        } else {
            a.as_string_opt::<i64>().map(TextColumn::Large)
        }
    }

    /// The row's text; `None` when null.
    #[inline]
    pub(crate) fn get(self, row: usize) -> Option<&'a str> {
        match self {
            TextColumn::Views(a) => a.is_valid(row).then(|| a.value(row)),
            TextColumn::Plain(a) => a.is_valid(row).then(|| a.value(row)),
            TextColumn::Large(a) => a.is_valid(row).then(|| a.value(row)),
        }
    }
}

/// A time column, read as Unix seconds: timestamps, numbers, or text that is either a
/// decimal number of seconds or an RFC 3339 time.
pub(crate) enum TimeColumn<'a> {
    Seconds(NumberColumn<'a>),
    Stamp {
        values: &'a [i64],
        nulls: Option<&'a datafusion::arrow::buffer::NullBuffer>,
        per_second: i64,
    },
    Text(TextColumn<'a>),
}

impl TimeColumn<'_> {
    /// The row's time as Unix seconds; `None` when null or unreadable. A timestamp with a
    /// fraction of a second keeps it, but never rounds up into the next second (the phase
    /// in force is chosen by the whole second).
    fn at(&self, row: usize) -> Option<f64> {
        match self {
            TimeColumn::Seconds(a) => a.required(row),
            TimeColumn::Stamp {
                values,
                nulls,
                per_second,
            } => {
                if nulls.is_some_and(|n| n.is_null(row)) {
                    return None;
                }
                let v = *values.get(row)?;
                let whole = v.div_euclid(*per_second);
                let part = v.rem_euclid(*per_second);
                let t = whole as f64 + part as f64 / *per_second as f64;
                // Seconds beyond 2^53 are not times a plan has; keep the whole second.
                Some(if t.floor() == whole as f64 {
                    t
                } else {
                    whole as f64
                })
            }
            // Unix seconds written as a decimal number (a finite one), or RFC 3339 text
            // (which never reads as a number).
            TimeColumn::Text(a) => {
                let t = trim(a.get(row)?);
                match t.parse::<f64>() {
                    Ok(seconds) => seconds.is_finite().then_some(seconds),
                    Err(_) => sanctuary::plan::parse_rfc3339(t).ok().map(|s| s as f64),
                }
            }
        }
    }
}

/// A number column: numbers, or text read as `decide` reads a CSV cell.
#[derive(Clone, Copy)]
pub(crate) enum NumberColumn<'a> {
    /// The values and nulls of a `Float64` column (read without the array's checks).
    Numbers {
        values: &'a [f64],
        nulls: Option<&'a datafusion::arrow::buffer::NullBuffer>,
    },
    /// The mantissas and nulls of a decimal column, and its scale.
    Decimal128 {
        values: &'a [i128],
        nulls: Option<&'a datafusion::arrow::buffer::NullBuffer>,
        scale: i8,
    },
    /// As `Decimal128`, 256 bits wide.
    Decimal256 {
        values: &'a [i256],
        nulls: Option<&'a datafusion::arrow::buffer::NullBuffer>,
        scale: i8,
    },
    Text(TextColumn<'a>),
}

/// Decimal digits written out, for reading back as a number.
struct Digits {
    bytes: [u8; 96],
    len: usize,
}

impl std::fmt::Write for Digits {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let to = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        to.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The nearest `f64` to `mantissa × 10^-scale`, rounded once: the digits are written out
/// with their exponent and read as `decide` reads a number (NaN if that fails, which
/// makes the row unreadable; a 256-bit mantissa has at most 77 digits).
fn decimal_value(mantissa: impl std::fmt::Display, scale: i8) -> f64 {
    use std::fmt::Write as _;
    let mut digits = Digits {
        bytes: [0; 96],
        len: 0,
    };
    if write!(digits, "{mantissa}e{}", -i32::from(scale)).is_err() {
        return f64::NAN;
    }
    digits
        .bytes
        .get(..digits.len)
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|t| t.parse().ok())
        .unwrap_or(f64::NAN)
}

/// The cell at `row` of a decimal column.
fn decimal_cell<T: std::fmt::Display>(
    values: &[T],
    nulls: Option<&datafusion::arrow::buffer::NullBuffer>,
    scale: i8,
    row: usize,
) -> Cell {
    if nulls.is_some_and(|n| n.is_null(row)) {
        return Cell::Absent;
    }
    values
        .get(row)
        .map_or(Cell::Absent, |v| finite(decimal_value(v, scale)))
}

/// A cell of a number column.
enum Cell {
    /// Null, or text that is empty once trimmed.
    Absent,
    /// A finite number.
    Number(f64),
    /// Not a finite number.
    Bad,
}

impl NumberColumn<'_> {
    #[inline]
    fn cell(self, row: usize) -> Cell {
        match self {
            NumberColumn::Numbers { values, nulls: None } => {
                values.get(row).map_or(Cell::Absent, |v| finite(*v))
            }
            NumberColumn::Numbers {
                values,
                nulls: Some(nulls),
            } => {
                if nulls.is_null(row) {
                    return Cell::Absent;
                }
                values.get(row).map_or(Cell::Absent, |v| finite(*v))
            }
            NumberColumn::Decimal128 { values, nulls, scale } => decimal_cell(values, nulls, scale, row),
            NumberColumn::Decimal256 { values, nulls, scale } => decimal_cell(values, nulls, scale, row),
            NumberColumn::Text(a) => {
                let Some(t) = a.get(row) else {
                    return Cell::Absent;
                };
                let t = trim(t);
                if t.is_empty() {
                    Cell::Absent
                } else {
                    t.parse::<f64>().map_or(Cell::Bad, finite)
                }
            }
        }
    }

    /// A required value: finite, else `None`.
    #[inline]
    pub(crate) fn required(self, row: usize) -> Option<f64> {
        match self.cell(row) {
            Cell::Number(v) => Some(v),
            Cell::Absent | Cell::Bad => None,
        }
    }

    /// An optional value: `Some(None)` when absent, `None` when not a finite number.
    #[inline]
    fn optional(self, row: usize) -> Option<Option<f64>> {
        match self.cell(row) {
            Cell::Number(v) => Some(Some(v)),
            Cell::Absent => Some(None),
            Cell::Bad => None,
        }
    }
}

/// `str::trim`, without decoding a code that neither starts nor ends with a space or a
/// byte outside ASCII (the usual case).
#[inline]
fn trim(s: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    if plain(s.as_bytes().first()) && plain(s.as_bytes().last()) {
        s
    } else {
        s.trim()
    }
}

#[inline]
fn finite(v: f64) -> Cell {
    if v.is_finite() {
        Cell::Number(v)
    } else {
        Cell::Bad
    }
}

/// A batch's argument columns, typed.
pub(crate) struct Columns<'a> {
    time: Option<TimeColumn<'a>>,
    id: Option<TextColumn<'a>>,
    lon: NumberColumn<'a>,
    lat: NumberColumn<'a>,
    alt_m: NumberColumn<'a>,
    class: TextColumn<'a>,
    identity: TextColumn<'a>,
    intercept: Option<[NumberColumn<'a>; 4]>,
}

/// Argument `i` as a number column (numbers, or text read as `decide` reads a cell).
pub(crate) fn number<'a>(arrays: &'a [ArrayRef], i: usize) -> Result<NumberColumn<'a>> {
    let a = arrays
        .get(i)
        .ok_or_else(|| exec_datafusion_err!("sanctuary: argument {} is missing", i + 1))?;
    if let Some(n) = a.as_primitive_opt::<Float64Type>() {
        Ok(NumberColumn::Numbers {
            values: n.values(),
            // A column without nulls is read without looking at its validity bits.
            nulls: n.nulls().filter(|b| b.null_count() > 0),
        })
    } else if let (Some(n), DataType::Decimal128(_, scale)) =
        (a.as_primitive_opt::<Decimal128Type>(), a.data_type())
    {
        Ok(NumberColumn::Decimal128 {
            values: n.values(),
            nulls: n.nulls(),
            scale: *scale,
        })
    } else if let (Some(n), DataType::Decimal256(_, scale)) =
        (a.as_primitive_opt::<Decimal256Type>(), a.data_type())
    {
        Ok(NumberColumn::Decimal256 {
            values: n.values(),
            nulls: n.nulls(),
            scale: *scale,
        })
    } else if let Some(t) = TextColumn::of(a) {
        Ok(NumberColumn::Text(t))
    } else {
        Err(exec_datafusion_err!(
            "sanctuary: argument {} is neither Float64 nor text",
            i + 1
        ))
    }
}

fn text(arrays: &[ArrayRef], i: usize) -> Result<TextColumn<'_>> {
    arrays
        .get(i)
        .and_then(TextColumn::of)
        .ok_or_else(|| exec_datafusion_err!("sanctuary: argument {} is not a text column", i + 1))
}

impl<'a> Columns<'a> {
    /// Types the arrays (already coerced by the signature) of a layout.
    pub(crate) fn new(layout: Layout, arrays: &'a [ArrayRef]) -> Result<Self> {
        let mut at = 0;
        let time = if layout.time {
            at = 1;
            let a = arrays
                .first()
                .ok_or_else(|| exec_datafusion_err!("sanctuary: the time argument is missing"))?;
            let stamp = |values: &'a [i64], per_second| TimeColumn::Stamp {
                values,
                nulls: a.nulls(),
                per_second,
            };
            Some(match a.data_type() {
                DataType::Float64 | DataType::Decimal128(..) | DataType::Decimal256(..) => {
                    TimeColumn::Seconds(number(arrays, 0)?)
                }
                DataType::Utf8View | DataType::Utf8 | DataType::LargeUtf8 => {
                    TimeColumn::Text(text(arrays, 0)?)
                }
                DataType::Timestamp(TimeUnit::Second, _) => {
                    stamp(a.as_primitive::<TimestampSecondType>().values(), 1)
                }
                DataType::Timestamp(TimeUnit::Millisecond, _) => {
                    stamp(a.as_primitive::<TimestampMillisecondType>().values(), 1_000)
                }
                DataType::Timestamp(TimeUnit::Microsecond, _) => {
                    stamp(a.as_primitive::<TimestampMicrosecondType>().values(), 1_000_000)
                }
                DataType::Timestamp(TimeUnit::Nanosecond, _) => stamp(
                    a.as_primitive::<TimestampNanosecondType>().values(),
                    1_000_000_000,
                ),
                t => return Err(exec_datafusion_err!("sanctuary: a time column of type {t}")),
            })
        } else {
            None
        };
        let id = if layout.id {
            at += 1;
            Some(text(arrays, at - 1)?)
        } else {
            None
        };
        let intercept = if layout.intercept {
            Some([
                number(arrays, at + 5)?,
                number(arrays, at + 6)?,
                number(arrays, at + 7)?,
                number(arrays, at + 8)?,
            ])
        } else {
            None
        };
        Ok(Columns {
            time,
            id,
            lon: number(arrays, at)?,
            lat: number(arrays, at + 1)?,
            alt_m: number(arrays, at + 2)?,
            class: text(arrays, at + 3)?,
            identity: text(arrays, at + 4)?,
            intercept,
        })
    }

    /// Fills `track` with the row's values, as the `decide` example reads a CSV row: a
    /// null, a non-finite number, an unknown code or half of the intercept data makes the
    /// row unreadable, and `track` then holds NaN position and altitude (which the engine
    /// decides as an invalid track). A null or invalid id makes the track's id empty (an
    /// invalid track); a valid one, and a missing id column, make it `track`.
    pub(crate) fn read(&self, row: usize, track: &mut Track) {
        // A decision depends on the id only through its validity (the id itself is not in
        // the decision struct): the track carries `track` for a valid id, an empty (invalid)
        // one otherwise, so that no id is copied per row.
        let valid_id = match self.id {
            Some(ids) => ids.get(row).is_some_and(|id| sanctuary::id::check_id(id).is_ok()),
            None => true,
        };
        if track.id.as_str().is_empty() == valid_id {
            track.id = if valid_id { "track" } else { "" }.into();
        }
        track.time_unix_s = self
            .time
            .as_ref()
            .and_then(|t| t.at(row))
            .filter(|t| t.is_finite());
        if !self.read_values(row, track) {
            track.lon = f64::NAN;
            track.lat = f64::NAN;
            track.alt_m = f64::NAN;
            track.class = TargetClass::Unknown;
            track.identity = Identity::Unknown;
            track.uncertainty_m = None;
            track.velocity = None;
            track.tti_s = None;
            track.time_unix_s = None;
        }
    }

    /// The row's values into `track`; false when the row is unreadable.
    fn read_values(&self, row: usize, track: &mut Track) -> bool {
        let finite = |a: NumberColumn<'_>| a.required(row);
        let optional = |a: NumberColumn<'_>| a.optional(row);
        fn code(a: TextColumn<'_>, row: usize) -> Option<&str> {
            a.get(row).map(trim)
        }
        let (Some(lon), Some(lat), Some(alt_m)) = (finite(self.lon), finite(self.lat), finite(self.alt_m))
        else {
            return false;
        };
        let Some(class) = code(self.class, row).and_then(TargetClass::parse) else {
            return false;
        };
        let Some(identity) = code(self.identity, row).and_then(Identity::parse) else {
            return false;
        };
        let (uncertainty_m, velocity, tti_s) = match self.intercept {
            None => (None, None, None),
            Some([u, s, h, t]) => {
                let (Some(u), Some(s), Some(h), Some(t)) =
                    (optional(u), optional(s), optional(h), optional(t))
                else {
                    return false;
                };
                let velocity = match (s, h) {
                    (Some(speed_mps), Some(heading_deg)) => Some(Velocity {
                        speed_mps,
                        heading_deg,
                    }),
                    (None, None) => None,
                    // Half a velocity is not a velocity.
                    _ => return false,
                };
                (u, velocity, t)
            }
        };
        track.lon = lon;
        track.lat = lat;
        track.alt_m = alt_m;
        track.class = class;
        track.identity = identity;
        track.uncertainty_m = uncertainty_m;
        track.velocity = velocity;
        track.tti_s = tti_s;
        true
    }
}
