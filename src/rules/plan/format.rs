//! The plan file's JSON shape, as read (before validation).

use super::*;

// ---------------------------------------------------------------------------------------
// The file format.

#[derive(Debug, Deserialize)]
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PhaseFile {
    pub(super) id: String,
    pub(super) name: String,
    #[serde(default)]
    pub(super) start: Option<String>,
}

#[derive(Debug, Deserialize)]
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
}

pub(super) fn resolve_windows(place: &str, windows: &[WindowFile]) -> Result<Vec<TimeWindow>, PlanError> {
    windows
        .iter()
        .enumerate()
        .map(|(k, w)| {
            match w {
                WindowFile::Interval { start, end } => TimeWindow::interval(start, end),
                WindowFile::Weekly { days, from, to } => {
                    let days: Vec<&str> = days.iter().map(String::as_str).collect();
                    TimeWindow::weekly(&days, from, to)
                }
            }
            .map_err(|m| PlanError::bad_value(format!("{place}.windows[{k}]"), m.to_string()))
        })
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourceRef {
    pub(super) file: String,
    pub(super) feature: String,
}

#[derive(Debug, Deserialize)]
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
}

/// Where `source` files of a plan come from.
pub(super) enum Sources<'a> {
    /// Built into the binary: (file name, contents).
    Embedded(&'a [(&'a str, &'a str)]),
    /// A directory on disk; references must stay inside it.
    Dir(&'a Path),
}
