//! Time windows: when a zone or a rule is in force, in addition to its phases.
//!
//! A window is either an absolute interval or a weekly schedule, always in UTC, always
//! **half-open**: a window `[start, end)` includes its start and excludes its end, so two
//! windows that meet (`…–12:00` and `12:00–…`) never overlap and never leave a gap. A weekly
//! window whose end time is earlier than its start time runs past midnight into the next
//! day (`22:00`–`06:00` on Monday covers Monday 22:00 to Tuesday 06:00).

use crate::geometry::id::escape_id;
use crate::rules::time::TimeError;
use serde::{Deserialize, Serialize};
use std::fmt;

const MINUTES_PER_DAY: i64 = 1440;
const MINUTES_PER_WEEK: i64 = 7 * MINUTES_PER_DAY;

/// A UTC time window.
///
/// # Example
/// ```
/// use sanctuary::plan::{TimeWindow, parse_rfc3339};
/// // Every Monday 22:00 to Tuesday 06:00 UTC.
/// let w = TimeWindow::weekly(&["mon"], "22:00", "06:00").unwrap();
/// let t = |s| parse_rfc3339(s).unwrap();
/// assert!(w.contains(t("2027-03-01T22:00:00Z")));  // a Monday, at the start: included
/// assert!(w.contains(t("2027-03-02T05:59:59Z")));  // Tuesday morning
/// assert!(!w.contains(t("2027-03-02T06:00:00Z"))); // the end is excluded
/// assert!(!w.contains(t("2027-03-01T21:59:59Z")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TimeWindow {
    /// From `start_unix_s` (included) to `end_unix_s` (excluded).
    Interval {
        /// Start, Unix seconds.
        start_unix_s: i64,
        /// End, Unix seconds.
        end_unix_s: i64,
    },
    /// On the given weekdays, from a time of day (included) to a time of day (excluded).
    Weekly {
        /// Bit 0 is Monday … bit 6 Sunday: the days on which the window *starts*.
        days: u8,
        /// Start, minutes after midnight UTC.
        start_minute: u16,
        /// End, minutes after midnight UTC; at or before the start means the next day.
        end_minute: u16,
    },
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl TimeWindow {
    /// A weekly window from day names (`mon` … `sun`) and `HH:MM` times.
    ///
    /// # Errors
    /// [`WindowError`] when a day or time is not recognised, no day is given, or start
    /// equals end (ambiguous: empty or a full day).
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::{TimeWindow, WindowError};
    /// let w = TimeWindow::weekly(&["mon", "fri"], "08:00", "17:30")?;
    /// // Bits 0 (Monday) and 4 (Friday); times in minutes after midnight.
    /// assert_eq!(w, TimeWindow::Weekly { days: 0b1_0001, start_minute: 480, end_minute: 1050 });
    /// assert!(matches!(TimeWindow::weekly(&["monday"], "08:00", "17:30"), Err(WindowError::UnknownDay { .. })));
    /// assert_eq!(TimeWindow::weekly(&["mon"], "08:00", "08:00"), Err(WindowError::SameStartAndEnd));
    /// # Ok::<(), WindowError>(())
    /// ```
    pub fn weekly(days: &[&str], from: &str, to: &str) -> Result<Self, WindowError> {
        let bounded = |t: &str| escape_id(&t.chars().take(80).collect::<String>());
        let mut mask = 0u8;
        for d in days {
            let Some(i) = DAY_NAMES.iter().position(|n| n == d) else {
                return Err(WindowError::UnknownDay { day: bounded(d) });
            };
            mask |= 1 << i;
        }
        if mask == 0 {
            return Err(WindowError::NoDays);
        }
        let start_minute =
            parse_hhmm(from).ok_or_else(|| WindowError::BadTimeOfDay { text: bounded(from) })?;
        let end_minute = parse_hhmm(to).ok_or_else(|| WindowError::BadTimeOfDay { text: bounded(to) })?;
        if start_minute == end_minute {
            return Err(WindowError::SameStartAndEnd);
        }
        Ok(TimeWindow::Weekly {
            days: mask,
            start_minute,
            end_minute,
        })
    }

    /// An interval between two RFC 3339 times.
    ///
    /// # Errors
    /// [`WindowError::Time`] when a time does not parse, [`WindowError::EndNotAfterStart`]
    /// when the end is not after the start.
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::{TimeWindow, WindowError};
    /// let w = TimeWindow::interval("2027-01-01T00:00:00Z", "2027-01-01T01:00:00Z")?;
    /// assert_eq!(w, TimeWindow::Interval { start_unix_s: 1_798_761_600, end_unix_s: 1_798_765_200 });
    /// let err = TimeWindow::interval("2027-01-01T01:00:00Z", "2027-01-01T00:00:00Z").unwrap_err();
    /// assert_eq!(err, WindowError::EndNotAfterStart);
    /// assert_eq!(err.to_string(), "the end must be after the start");
    /// # Ok::<(), WindowError>(())
    /// ```
    pub fn interval(start: &str, end: &str) -> Result<Self, WindowError> {
        let s = crate::rules::time::parse_rfc3339(start).map_err(WindowError::Time)?;
        let e = crate::rules::time::parse_rfc3339(end).map_err(WindowError::Time)?;
        if e <= s {
            return Err(WindowError::EndNotAfterStart);
        }
        Ok(TimeWindow::Interval {
            start_unix_s: s,
            end_unix_s: e,
        })
    }

    /// Is the time (Unix seconds, UTC) inside the window?
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::TimeWindow;
    /// let w = TimeWindow::Interval { start_unix_s: 100, end_unix_s: 200 };
    /// assert!(w.contains(100));
    /// assert!(w.contains(199));
    /// assert!(!w.contains(200)); // half-open: the end is excluded
    /// ```
    pub fn contains(&self, unix_s: i64) -> bool {
        match *self {
            TimeWindow::Interval {
                start_unix_s,
                end_unix_s,
            } => start_unix_s <= unix_s && unix_s < end_unix_s,
            TimeWindow::Weekly {
                days,
                start_minute,
                end_minute,
            } => {
                // Minutes since Monday 00:00 UTC; 1970-01-01 was a Thursday.
                let minute_of_week =
                    (unix_s.div_euclid(60) + 3 * MINUTES_PER_DAY).rem_euclid(MINUTES_PER_WEEK);
                let (s, e) = (i64::from(start_minute), i64::from(end_minute));
                let len = if e > s { e - s } else { e + MINUTES_PER_DAY - s };
                (0..7).filter(|d| days & (1 << d) != 0).any(|d| {
                    let start = d * MINUTES_PER_DAY + s;
                    (minute_of_week - start).rem_euclid(MINUTES_PER_WEEK) < len
                })
            }
        }
    }
}

/// A time window that cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WindowError {
    /// A day name other than `mon` … `sun` (escaped, at most 80 characters).
    UnknownDay {
        /// The name given.
        day: String,
    },
    /// A weekly window without days.
    NoDays,
    /// A time of day that is not `HH:MM` (escaped, at most 80 characters).
    BadTimeOfDay {
        /// The text given.
        text: String,
    },
    /// Equal start and end times of day: the window would be empty or a full day.
    SameStartAndEnd,
    /// A time that is not RFC 3339.
    Time(TimeError),
    /// An interval whose end is not after its start.
    EndNotAfterStart,
}

impl fmt::Display for WindowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WindowError::UnknownDay { day } => {
                write!(
                    f,
                    "unknown day `{day}`; expected one of mon, tue, wed, thu, fri, sat, sun"
                )
            }
            WindowError::NoDays => write!(f, "a weekly window needs at least one day"),
            WindowError::BadTimeOfDay { text } => write!(f, "`{text}` is not a time like `06:30`"),
            WindowError::SameStartAndEnd => {
                write!(
                    f,
                    "start and end times are equal: the window would be empty or a full day"
                )
            }
            WindowError::Time(e) => write!(f, "{e}"),
            WindowError::EndNotAfterStart => write!(f, "the end must be after the start"),
        }
    }
}

impl std::error::Error for WindowError {}

fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Does a list of windows allow time `t`? No windows: always. Windows but no time: never.
pub(crate) fn windows_allow(windows: &[TimeWindow], t: Option<i64>) -> bool {
    windows.is_empty() || t.is_some_and(|t| windows.iter().any(|w| w.contains(t)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::time::parse_rfc3339;

    fn t(s: &str) -> i64 {
        parse_rfc3339(s).unwrap()
    }

    #[test]
    fn interval_is_half_open() {
        let w = TimeWindow::interval("2027-01-01T00:00:00Z", "2027-01-02T00:00:00Z").unwrap();
        assert!(w.contains(t("2027-01-01T00:00:00Z")));
        assert!(w.contains(t("2027-01-01T23:59:59Z")));
        assert!(!w.contains(t("2027-01-02T00:00:00Z")));
        assert!(!w.contains(t("2026-12-31T23:59:59Z")));
        assert!(TimeWindow::interval("2027-01-02T00:00:00Z", "2027-01-01T00:00:00Z").is_err());
    }

    #[test]
    fn weekly_wraps_midnight_and_the_week() {
        // Sunday 23:00 to Monday 01:00 wraps the end of the week too.
        let w = TimeWindow::weekly(&["sun"], "23:00", "01:00").unwrap();
        assert!(w.contains(t("2027-03-07T23:00:00Z"))); // Sunday
        assert!(w.contains(t("2027-03-08T00:59:59Z"))); // Monday
        assert!(!w.contains(t("2027-03-08T01:00:00Z")));
        assert!(!w.contains(t("2027-03-07T22:59:59Z")));
        assert!(w.contains(t("2027-03-01T00:30:00Z"))); // Monday after Sunday 28 February
        assert!(!w.contains(t("2027-03-02T00:30:00Z"))); // Tuesday: no Monday start
                                                         // Same-day window.
        let w = TimeWindow::weekly(&["mon", "wed"], "08:00", "17:00").unwrap();
        assert!(w.contains(t("2027-03-03T08:00:00Z"))); // Wednesday
        assert!(!w.contains(t("2027-03-02T09:00:00Z"))); // Tuesday
        assert!(!w.contains(t("2027-03-01T17:00:00Z")));
    }

    #[test]
    fn bad_windows_are_refused() {
        assert!(TimeWindow::weekly(&[], "08:00", "09:00").is_err());
        assert!(TimeWindow::weekly(&["monday"], "08:00", "09:00").is_err());
        assert!(TimeWindow::weekly(&["mon"], "24:00", "09:00").is_err());
        assert!(TimeWindow::weekly(&["mon"], "8:00", "09:00").is_err());
        assert!(TimeWindow::weekly(&["mon"], "09:00", "09:00").is_err());
    }

    #[test]
    fn no_windows_always_allow_and_unknown_time_never_matches_a_window() {
        assert!(windows_allow(&[], None));
        let w = [TimeWindow::weekly(&["mon"], "08:00", "09:00").unwrap()];
        assert!(!windows_allow(&w, None));
    }
}
