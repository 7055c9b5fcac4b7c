//! Import: applicability (time schedules) to time windows.

use super::*;

pub(super) fn date_time(v: &Value, place: &str) -> Result<i64, Ed318Error> {
    v.as_str()
        .and_then(|s| parse_rfc3339(s).ok())
        .ok_or_else(|| format_err(place, "expected an RFC 3339 date-time"))
}

/// A daily period after rounding: (days mask, start minute, end minute); `None` when the
/// period is empty after narrowing.
pub(super) type Daily = Option<(u8, u16, u16)>;

pub(super) fn applicability(v: &Value, place: &str, kind: ZoneKind) -> Result<Vec<TimeWindow>, Ed318Error> {
    let periods = v
        .as_array()
        .ok_or_else(|| format_err(place, "expected an array of time periods"))?;
    if periods.is_empty() {
        return Err(unsupported(
            place,
            "empty limitedApplicability",
            "an empty list could mean never or always; omit it for a permanent zone",
        ));
    }
    let mut windows = Vec::new();
    for (j, p) in periods.iter().enumerate() {
        let pp = format!("{place}[{j}]");
        let o = p
            .as_object()
            .ok_or_else(|| format_err(&pp, "expected a time period object"))?;
        for key in o.keys() {
            if !["startDateTime", "endDateTime", "schedule"].contains(&key.as_str()) {
                return Err(format_err(
                    &format!("{pp}.{key}"),
                    format!("unknown property `{key}`"),
                ));
            }
        }
        let start = o
            .get("startDateTime")
            .map(|s| date_time(s, &format!("{pp}.startDateTime")))
            .transpose()?;
        let end = o
            .get("endDateTime")
            .map(|s| date_time(s, &format!("{pp}.endDateTime")))
            .transpose()?
            // Inclusive for exclusions: the window ends one second later.
            .map(|e| {
                if kind == ZoneKind::Exclusion {
                    e.saturating_add(1)
                } else {
                    e
                }
            });
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                return Err(format_err(&pp, "endDateTime is not after startDateTime"));
            }
        }
        let schedule = match o.get("schedule") {
            None => None,
            Some(s) => {
                let a = s
                    .as_array()
                    .ok_or_else(|| format_err(&format!("{pp}.schedule"), "expected an array"))?;
                let mut daily = Vec::with_capacity(a.len());
                for (k, d) in a.iter().enumerate() {
                    daily.push(daily_period(d, &format!("{pp}.schedule[{k}]"), kind)?);
                }
                Some(daily)
            }
        };
        match (schedule, start, end) {
            (None, None, None) => return Ok(Vec::new()), // always: nothing can widen it further
            (None, s, e) => windows.push(TimeWindow::Interval {
                start_unix_s: s.unwrap_or(i64::MIN),
                end_unix_s: e.unwrap_or(i64::MAX),
            }),
            (Some(daily), None, None) => windows.extend(daily.into_iter().flatten().map(weekly)),
            (Some(daily), Some(s), Some(e)) => expand(&daily, s, e, &mut windows, &pp)?,
            (Some(daily), _, _) => {
                if kind == ZoneKind::Exclusion {
                    windows.extend(daily.into_iter().flatten().map(weekly));
                } else {
                    return Err(unsupported(
                        &pp,
                        "schedule within an open-ended date range",
                        "a sanctuary's schedule needs both startDateTime and endDateTime to be written as exact windows",
                    ));
                }
            }
        }
        if windows.len() > MAX_APPLICABILITY_WINDOWS {
            return Err(unsupported(
                &pp,
                "long schedule",
                format!("expands to more than {MAX_APPLICABILITY_WINDOWS} windows"),
            ));
        }
    }
    if windows.is_empty() {
        return Err(unsupported(
            place,
            "limitedApplicability",
            "the zone would never apply (every period is empty)",
        ));
    }
    Ok(windows)
}

pub(super) fn weekly((days, start_minute, end_minute): (u8, u16, u16)) -> TimeWindow {
    TimeWindow::Weekly {
        days,
        start_minute,
        end_minute,
    }
}

/// Expands daily periods within `[s, e)` into exact intervals, merging overlaps.
pub(super) fn expand(
    daily: &[Daily],
    s: i64,
    e: i64,
    out: &mut Vec<TimeWindow>,
    place: &str,
) -> Result<(), Ed318Error> {
    let first_day = s.div_euclid(SECONDS_PER_DAY) - 1;
    let last_day = e.div_euclid(SECONDS_PER_DAY);
    if last_day.saturating_sub(first_day) > (MAX_APPLICABILITY_WINDOWS as i64) {
        return Err(unsupported(
            place,
            "long schedule",
            format!("the date range spans more than {MAX_APPLICABILITY_WINDOWS} days"),
        ));
    }
    let mut intervals: Vec<(i64, i64)> = Vec::new();
    for day in first_day..=last_day {
        // 1970-01-01 was a Thursday; bit 0 is Monday.
        let weekday = (day + 3).rem_euclid(7);
        for &(mask, sm, em) in daily.iter().flatten() {
            if mask & (1 << weekday) == 0 {
                continue;
            }
            let len = if em > sm {
                em - sm
            } else {
                em + MINUTES_PER_DAY - sm
            };
            let a = day * SECONDS_PER_DAY + i64::from(sm) * 60;
            let b = a + i64::from(len) * 60;
            let (a, b) = (a.max(s), b.min(e));
            if a < b {
                intervals.push((a, b));
            }
        }
        if intervals.len() > MAX_APPLICABILITY_WINDOWS {
            return Err(unsupported(
                place,
                "long schedule",
                format!("expands to more than {MAX_APPLICABILITY_WINDOWS} windows"),
            ));
        }
    }
    intervals.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(intervals.len());
    for (a, b) in intervals {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    out.extend(merged.into_iter().map(|(a, b)| TimeWindow::Interval {
        start_unix_s: a,
        end_unix_s: b,
    }));
    Ok(())
}

pub(super) const DAY_CODES: [&str; 7] = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

pub(super) fn daily_period(v: &Value, place: &str, kind: ZoneKind) -> Result<Daily, Ed318Error> {
    let o = v
        .as_object()
        .ok_or_else(|| format_err(place, "expected a daily period object"))?;
    for key in o.keys() {
        match key.as_str() {
            "day" | "startTime" | "endTime" => {}
            "startEvent" | "endEvent" => {
                return Err(unsupported(
                    &format!("{place}.{key}"),
                    "daylight event",
                    "sunrise, sunset and twilight times need an ephemeris, which this crate does not have",
                ))
            }
            _ => {
                return Err(format_err(
                    &format!("{place}.{key}"),
                    format!("unknown property `{key}`"),
                ))
            }
        }
    }
    let days = o
        .get("day")
        .and_then(Value::as_array)
        .ok_or_else(|| format_err(place, "missing required property `day`"))?;
    let mut mask = 0u8;
    for (k, d) in days.iter().enumerate() {
        let s = d.as_str().unwrap_or_default();
        if s == "ANY" {
            mask = 0x7f;
        } else if let Some(i) = DAY_CODES.iter().position(|c| *c == s) {
            mask |= 1 << i;
        } else {
            return Err(format_err(
                &format!("{place}.day[{k}]"),
                format!("unknown day `{d}`"),
            ));
        }
    }
    if mask == 0 {
        return Err(format_err(&format!("{place}.day"), "no day given"));
    }
    let time = |key: &str| {
        o.get(key)
            .map(|t| time_of_day(t, &format!("{place}.{key}")))
            .transpose()
    };
    let (start, end) = match (time("startTime")?, time("endTime")?) {
        // A day without times is the whole day.
        (None, None) => return Ok(Some((mask, 0, 0))),
        (Some(s), Some(e)) => (s, e),
        _ => {
            return Err(format_err(
                place,
                "give both startTime and endTime, or neither for the whole day",
            ))
        }
    };
    if start == end {
        return Err(format_err(
            place,
            "startTime equals endTime: empty or a whole day is ambiguous",
        ));
    }
    const DAY_S: i64 = SECONDS_PER_DAY;
    let raw_len = (end - start).rem_euclid(DAY_S);
    let (sm, em, len) = if kind == ZoneKind::Exclusion {
        let sm = start.div_euclid(60);
        let em = (end + 59).div_euclid(60);
        let len = raw_len + (start - sm * 60) + (em * 60 - end);
        (sm, em, len)
    } else {
        let sm = (start + 59).div_euclid(60);
        let em = end.div_euclid(60);
        let len = raw_len - (sm * 60 - start) - (end - em * 60);
        (sm, em, len)
    };
    if len <= 0 {
        return Ok(None);
    }
    let mut sm = sm;
    if sm >= i64::from(MINUTES_PER_DAY) {
        // Rounded up to the next midnight: the period starts on the next day.
        mask = ((mask << 1) | (mask >> 6)) & 0x7f;
        sm -= i64::from(MINUTES_PER_DAY);
    }
    let em = if len >= SECONDS_PER_DAY {
        sm
    } else {
        em.rem_euclid(i64::from(MINUTES_PER_DAY))
    };
    let to_u16 = |m: i64| u16::try_from(m).map_err(|_| format_err(place, "time out of range"));
    Ok(Some((mask, to_u16(sm)?, to_u16(em)?)))
}

/// Seconds after midnight UTC of an RFC 3339 `full-time` (`HH:MM:SS[.frac]Z`). Fractions
/// are dropped (rounding to the minute follows).
pub(super) fn time_of_day(v: &Value, place: &str) -> Result<i64, Ed318Error> {
    let s = v
        .as_str()
        .ok_or_else(|| format_err(place, "expected a time like `16:00:00Z`"))?;
    let (body, utc) = if let Some(b) = s.strip_suffix('Z').or_else(|| s.strip_suffix('z')) {
        (b, true)
    } else if let Some(b) = s.strip_suffix("+00:00").or_else(|| s.strip_suffix("-00:00")) {
        (b, true)
    } else {
        (s, false)
    };
    if !utc {
        return Err(unsupported(
            place,
            "schedule time zone",
            format!("`{s}`: schedule times must be UTC (`Z`)"),
        ));
    }
    let body = body.split('.').next().unwrap_or_default();
    let parts: Vec<&str> = body.split(':').collect();
    let parse = |p: Option<&&str>, max: i64| -> Option<i64> {
        let p = p?;
        if p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok().filter(|&n| n < max)
    };
    match (
        parse(parts.first(), 24),
        parse(parts.get(1), 60),
        parse(parts.get(2), 60),
        parts.len(),
    ) {
        (Some(h), Some(m), Some(sec), 3) => Ok(h * 3600 + m * 60 + sec),
        _ => Err(format_err(place, format!("`{s}` is not a time like `16:00:00Z`"))),
    }
}
