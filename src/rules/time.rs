//! Time: instants as Unix seconds, read and written as RFC 3339 with the `jiff` library.
//!
//! Plans, windows and tracks keep times as whole Unix seconds (phase starts, windows) or
//! seconds as `f64` (track times). Text is read and written by `jiff`: RFC 3339 timestamps
//! with an offset (`2027-01-01T00:00:00Z`, `2027-01-01T02:00:00+02:00`); a fraction of a
//! second is dropped (the instant is floored to its second); a leap second `:60` reads as
//! `:59`, as `jiff` reads it.

use crate::geometry::id::escape_id;
use std::fmt;

/// A text that is not an RFC 3339 timestamp, or an instant out of the range this crate
/// writes (years 0000 to 9999).
///
/// # Example
/// ```
/// let err = sanctuary::plan::parse_rfc3339("2027-02-30T00:00:00Z").unwrap_err();
/// assert!(err.to_string().starts_with("`2027-02-30T00:00:00Z` is not an RFC 3339 time"));
/// assert_eq!(err.text(), "2027-02-30T00:00:00Z");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    text: String,
    reason: String,
}

impl TimeError {
    /// The text given (escaped and cut to 80 characters: it may hold anything).
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an RFC 3339 time like `2027-01-01T00:00:00Z` ({})",
            self.text, self.reason
        )
    }
}

impl std::error::Error for TimeError {}

/// Parses an RFC 3339 timestamp (`YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`) to Unix seconds,
/// floored to the second.
///
/// # Errors
/// [`TimeError`] for anything else (a date that does not exist, a missing offset, ...).
///
/// # Example
/// ```
/// use sanctuary::plan::parse_rfc3339;
/// assert_eq!(parse_rfc3339("1970-01-02T00:00:00Z")?, 86_400);
/// assert_eq!(parse_rfc3339("2027-03-01T01:00:00+01:00")?, parse_rfc3339("2027-03-01T00:00:00Z")?);
/// assert_eq!(parse_rfc3339("1969-12-31T23:59:59.5Z")?, -1); // floored
/// assert!(parse_rfc3339("2027-02-30T00:00:00Z").is_err());
/// assert!(parse_rfc3339("2027-03-01T00:00:00").is_err()); // no offset: which instant?
/// # Ok::<(), sanctuary::plan::TimeError>(())
/// ```
pub fn parse_rfc3339(s: &str) -> Result<i64, TimeError> {
    let fail = |reason: &str| TimeError {
        text: escape_id(&s.chars().take(80).collect::<String>()),
        reason: reason.to_string(),
    };
    // jiff parses the text (RFC 3339 is a profile of what it reads); the instant is
    // computed here so that the whole of years 0000 to 9999 is reachable with any offset.
    let pieces = jiff::fmt::temporal::Pieces::parse(s).map_err(|e| fail(&e.to_string()))?;
    let time = pieces.time().ok_or_else(|| fail("no time of day"))?;
    let offset_s = match pieces.offset() {
        Some(jiff::fmt::temporal::PiecesOffset::Zulu) => 0,
        Some(jiff::fmt::temporal::PiecesOffset::Numeric(n)) => i64::from(n.offset().seconds()),
        _ => return Err(fail("no UTC offset (`Z` or `+HH:MM`)")),
    };
    if pieces.time_zone_annotation().is_some() {
        return Err(fail("a time zone annotation is not RFC 3339"));
    }
    let days = pieces
        .date()
        .since(epoch())
        .map_err(|e| fail(&e.to_string()))?
        .get_days();
    let second_of_day =
        i64::from(time.hour()) * 3600 + i64::from(time.minute()) * 60 + i64::from(time.second());
    Ok(i64::from(days) * 86_400 + second_of_day - offset_s)
}

fn epoch() -> jiff::civil::Date {
    jiff::civil::Date::constant(1970, 1, 1)
}

/// `YYYY-MM-DDTHH:MM:SS` of the UTC wall clock at `unix_s`, for years 0000 to 9999; `None`
/// outside them.
pub(crate) fn utc_wall_clock(unix_s: i64) -> Option<String> {
    let days = unix_s.div_euclid(86_400);
    let secs = unix_s.rem_euclid(86_400);
    let date = epoch().checked_add(jiff::Span::new().try_days(days).ok()?).ok()?;
    if !(0..=9999).contains(&date.year()) {
        return None;
    }
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        date.year(),
        date.month(),
        date.day(),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    ))
}
