//! The plan file's JSON shape, as read (before validation).

use super::*;

// ---------------------------------------------------------------------------------------
// The file format.

/// A plan as read from a file, or as put together by a [`PlanBuilder`]: both go through
/// the same validation ([`build`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlanFile {
    pub(super) name: String,
    #[serde(default)]
    pub(super) description: Option<String>,
    pub(super) phases: Vec<PhaseFile>,
    #[serde(default)]
    pub(super) partners: Vec<PartnerFile>,
    #[serde(default)]
    pub(super) default_rules: Vec<RuleFile>,
    pub(super) zones: Vec<ZoneFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PhaseFile {
    pub(super) id: String,
    pub(super) name: String,
    #[serde(default)]
    pub(super) start: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PartnerFile {
    pub(super) id: String,
    #[serde(default)]
    pub(super) name: Option<String>,
    #[serde(default)]
    pub(super) excluded_classes: Vec<TargetClass>,
    #[serde(default)]
    pub(super) min_standoff_m: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleFile {
    #[serde(default)]
    pub(super) from_phase: Option<String>,
    #[serde(default)]
    pub(super) until_phase: Option<String>,
    pub(super) classes: Vec<TargetClass>,
    pub(super) weapons: WeaponsStatus,
    #[serde(default)]
    pub(super) floor_m: Option<f64>,
    #[serde(default)]
    pub(super) ceiling_m: Option<f64>,
    pub(super) standoff_m: f64,
    #[serde(default)]
    pub(super) partners: Option<Vec<String>>,
    #[serde(default)]
    pub(super) windows: Vec<WindowFile>,
}

/// A time window in a plan file: an interval or a weekly schedule (UTC, half-open).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub(super) enum WindowFile {
    Interval {
        start: String,
        end: String,
    },
    Weekly {
        days: Vec<String>,
        from: String,
        to: String,
    },
    /// A window given as a value by a [`PlanBuilder`]; never read from a file. It is
    /// written out as text and validated as the file's windows are.
    #[serde(skip)]
    Typed(TimeWindow),
}

/// The text form of a window, as a plan file holds it; `Err` (a message) when a time falls
/// outside the years 0000–9999 an RFC 3339 time can write, or a field is out of range.
fn window_text(w: &TimeWindow) -> Result<WindowFile, String> {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let time = |s: i64| {
        file::format_rfc3339_utc(s)
            .ok_or_else(|| format!("`{s}` s is not a time an RFC 3339 timestamp can write (years 0000-9999)"))
    };
    let hhmm = |m: u16| {
        if m < 24 * 60 {
            Ok(format!("{:02}:{:02}", m / 60, m % 60))
        } else {
            Err(format!("{m} minutes after midnight is not a time of day"))
        }
    };
    match *w {
        TimeWindow::Interval {
            start_unix_s,
            end_unix_s,
        } => Ok(WindowFile::Interval {
            start: time(start_unix_s)?,
            end: time(end_unix_s)?,
        }),
        TimeWindow::Weekly {
            days,
            start_minute,
            end_minute,
        } => {
            if days >> DAYS.len() != 0 {
                return Err(format!("day mask {days:#b} has bits beyond Sunday"));
            }
            let days = DAYS
                .iter()
                .enumerate()
                .filter(|(i, _)| days & (1 << i) != 0)
                .map(|(_, d)| (*d).to_string())
                .collect();
            Ok(WindowFile::Weekly {
                days,
                from: hhmm(start_minute)?,
                to: hhmm(end_minute)?,
            })
        }
    }
}

pub(super) fn resolve_windows(place: &str, windows: &[WindowFile]) -> Result<Vec<TimeWindow>, PlanError> {
    windows
        .iter()
        .enumerate()
        .map(|(k, w)| {
            let text;
            let w = match w {
                WindowFile::Typed(typed) => {
                    text = window_text(typed)
                        .map_err(|m| PlanError::bad_value(format!("{place}.windows[{k}]"), m))?;
                    &text
                }
                other => other,
            };
            match w {
                WindowFile::Interval { start, end } => TimeWindow::interval(start, end),
                WindowFile::Weekly { days, from, to } => {
                    let days: Vec<&str> = days.iter().map(String::as_str).collect();
                    TimeWindow::weekly(&days, from, to)
                }
                WindowFile::Typed(_) => {
                    return Err(PlanError::bad_value(
                        format!("{place}.windows[{k}]"),
                        "a window value that has no text form",
                    ))
                }
            }
            .map_err(|m| PlanError::bad_value(format!("{place}.windows[{k}]"), m.to_string()))
        })
        .collect()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourceRef {
    pub(super) file: String,
    pub(super) feature: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ZoneFile {
    pub(super) id: String,
    #[serde(default)]
    pub(super) name: Option<String>,
    #[serde(default)]
    pub(super) kind: ZoneKind,
    #[serde(default)]
    pub(super) edges: Option<EdgeModel>,
    #[serde(default)]
    pub(super) geometry: Option<serde_json::Value>,
    #[serde(default)]
    pub(super) radius_m: Option<f64>,
    #[serde(default)]
    pub(super) source: Option<SourceRef>,
    #[serde(default)]
    pub(super) floor_m: Option<f64>,
    #[serde(default)]
    pub(super) ceiling_m: Option<f64>,
    #[serde(default)]
    pub(super) active_from: Option<String>,
    #[serde(default)]
    pub(super) active_until: Option<String>,
    #[serde(default)]
    pub(super) rules: Option<Vec<RuleFile>>,
    #[serde(default)]
    pub(super) windows: Vec<WindowFile>,
    /// The geometry as a value, given by a [`PlanBuilder`] in place of `geometry` or
    /// `source`; never read from a file.
    #[serde(skip)]
    pub(super) typed_geometry: Option<ZoneGeometry>,
}

/// Where `source` files of a plan come from.
pub(super) enum Sources<'a> {
    /// Built into the binary: (file name, contents).
    Embedded(&'a [(&'a str, &'a str)]),
    /// A directory on disk; references must stay inside it.
    Dir(&'a Path),
}
