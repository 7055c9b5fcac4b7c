//! Audit and replay: every decision written as one JSON line with its input, and a
//! replay that re-decides a log against a plan and reports every difference.
//!
//! A log is [JSON Lines](https://jsonlines.org): one [`AuditRecord`] per line, each
//! holding the track, the phase and partner asked for, and the decision with the plan's
//! hash. [`replay`] re-decides each record under the plan its hash names (one engine, or
//! several for a log written across hot swaps: see [`PlanResolver`]) and reports each
//! record whose replayed decision differs, with its line number and the field that
//! differs. A record of a plan the replay was not given is never passed silently: it is
//! listed, with its line, in [`ReplayReport::unknown_plan`], and the replay goes on.
//!
//! Numbers are written in their shortest round-trip form and read back as the nearest
//! `f64` (the crate turns on serde_json's `float_roundtrip`), so a replayed track is the
//! very track that was decided, bit for bit.
//!
//! A non-finite number has no JSON form: serde_json writes it as `null`. A track never
//! writes `null` otherwise (its absent options are left out), so
//! [`AuditRecord::from_json_line`] refuses a record with a `null` anywhere in its track,
//! and such a record is refused at replay. In the decision, `null` means an absent
//! `zone`, `phase` or `margin_m`; the engine's margins are always finite, so a decision is
//! read back exactly.

mod replay;
pub use replay::*;
#[cfg(test)]
mod tests;

use crate::rules::engine::{Decision, Engine, Track};
use crate::rules::plan::PlanHash;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::io::{BufRead, Write};

/// One audited decision: the input and the answer.
///
/// # Example
/// ```
/// use sanctuary::{audit::AuditRecord, plan::{Identity, TargetClass}, Engine, Plan, Track};
/// # let plan = Plan::from_json_str(r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
/// #   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
/// #   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
/// #     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
/// let engine = Engine::new(plan); // a 1° square sanctuary `sq`; UAS weapons tight
/// let t = Track::new("t1", 0.5, 0.5, 100.0, TargetClass::Uas, Identity::Hostile);
/// let record: AuditRecord = engine.audit(&t, "0", None);
/// assert_eq!((record.phase.as_str(), record.partner.as_deref()), ("0", None));
/// assert!(record.decision.is_permit());
/// assert_eq!(record.decision.plan_hash, *engine.plan().hash());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// The track decided on.
    pub track: Track,
    /// The phase id asked for.
    pub phase: String,
    /// The partner asked for, if any.
    pub partner: Option<String>,
    /// The decision, with the plan's hash.
    pub decision: Decision,
}

impl AuditRecord {
    /// The record as one line of JSON, without the line break.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{audit::AuditRecord, plan::{Identity, TargetClass}, Engine, Plan, Track};
    /// # let plan = Plan::from_json_str(r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    /// #   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    /// #   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    /// #     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// let engine = Engine::new(plan); // a 1° square sanctuary `sq`; UAS weapons tight
    /// let t = Track::new("t1", 0.5, 0.5, 100.0, TargetClass::Uas, Identity::Hostile);
    /// let record = engine.audit(&t, "0", None);
    /// let line = record.to_json_line();
    /// assert!(line.starts_with('{') && !line.contains('\n'));
    /// assert_eq!(AuditRecord::from_json_line(&line)?, record);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json_line(&self) -> String {
        // Serialising plain structs of strings and numbers does not fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Writes the record as one line of JSON followed by `\n`.
    ///
    /// # Errors
    /// The writer's I/O error.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{plan::{Identity, TargetClass}, Engine, Plan, Track};
    /// # let plan = Plan::from_json_str(r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    /// #   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    /// #   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    /// #     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// let engine = Engine::new(plan); // a 1° square sanctuary `sq`; UAS weapons tight
    /// let t = Track::new("t1", 0.5, 0.5, 100.0, TargetClass::Uas, Identity::Hostile);
    /// let record = engine.audit(&t, "0", None);
    /// let mut log = Vec::new();
    /// record.write_line(&mut log)?;
    /// assert_eq!(log, format!("{}\n", record.to_json_line()).into_bytes());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_line(&self, mut out: impl Write) -> std::io::Result<()> {
        serde_json::to_writer(&mut out, self).map_err(std::io::Error::other)?;
        out.write_all(b"\n")
    }

    /// Parses one line of a log, reading every number as the nearest `f64`.
    ///
    /// # Errors
    /// [`RecordError::Json`] when the line is not JSON of a record's shape,
    /// [`RecordError::NullInTrack`] for a track with a `null` (the trace of a non-finite
    /// number, which JSON cannot hold).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{audit::AuditRecord, plan::{Identity, TargetClass}, Engine, Plan, Track};
    /// # let plan = Plan::from_json_str(r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    /// #   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    /// #   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    /// #     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// let engine = Engine::new(plan); // a 1° square sanctuary `sq`; UAS weapons tight
    /// let t = Track::new("t1", 0.1, 0.3, 100.0, TargetClass::Uas, Identity::Hostile);
    /// let record = engine.audit(&t, "0", None);
    /// let back = AuditRecord::from_json_line(&record.to_json_line())?;
    /// assert_eq!(back.track.lat, 0.3); // read exactly
    /// assert!(AuditRecord::from_json_line("{}").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json_line(line: &str) -> Result<AuditRecord, RecordError> {
        let value: Value = serde_json::from_str(line).map_err(RecordError::Json)?;
        if let Some(track) = value.get("track") {
            if let Some(path) = null_path(track, "track") {
                return Err(RecordError::NullInTrack { path });
            }
        }
        serde_json::from_value(value).map_err(RecordError::Json)
    }
}

impl Engine {
    /// Decides on a track (as [`Engine::decide`]) and returns the decision with its input,
    /// ready to be written to an audit log.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{audit::replay, plan::{Identity, TargetClass}, Engine, Plan, Track};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let drone = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// let record = engine.audit(&drone, "1", None);
    /// assert!(record.decision.is_permit());
    ///
    /// let log = format!("{}\n", record.to_json_line());
    /// let report = replay(&engine, log.as_bytes())?;
    /// assert_eq!(report.records, 1);
    /// assert!(report.is_clean());
    ///
    /// // The same record with its verdict flipped is reported, with its line number.
    /// let tampered = log.replace("\"permit\"", "\"deny\"");
    /// let report = replay(&engine, tampered.as_bytes())?;
    /// assert_eq!(report.mismatches[0].line, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn audit(&self, track: &Track, phase: &str, partner: Option<&str>) -> AuditRecord {
        AuditRecord {
            track: track.clone(),
            phase: phase.to_string(),
            partner: partner.map(str::to_string),
            decision: self.decide(track, phase, partner),
        }
    }

    /// Decides on each track of a slice in the same phase (as [`Engine::decide_many`])
    /// and returns the decisions with their input, in order, ready for an audit log.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{audit::replay, plan::{Identity, TargetClass}, Engine, Plan, Track};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let tracks = vec![
    ///     Track::new("a", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile),
    ///     Track::new("b", 36.23, 49.99, 800.0, TargetClass::Uas, Identity::Hostile),
    /// ];
    /// let records = engine.audit_many(&tracks, "1", None);
    /// assert!(records[0].decision.is_permit() && !records[1].decision.is_permit());
    /// let mut log = Vec::new();
    /// for r in &records {
    ///     r.write_line(&mut log)?;
    /// }
    /// assert!(replay(&engine, log.as_slice())?.is_clean());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn audit_many(&self, tracks: &[Track], phase: &str, partner: Option<&str>) -> Vec<AuditRecord> {
        self.decide_many(tracks, phase, partner)
            .into_iter()
            .zip(tracks)
            .map(|(decision, track)| AuditRecord {
                track: track.clone(),
                phase: phase.to_string(),
                partner: partner.map(str::to_string),
                decision,
            })
            .collect()
    }
}

/// A field of a decision.
///
/// # Example
/// ```
/// use sanctuary::{audit::{DecisionField, replay}, plan::{Identity, TargetClass}, Engine, Plan, Track};
/// # let plan = Plan::from_json_str(r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
/// #   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
/// #   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
/// #     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
/// let engine = Engine::new(plan); // a 1° square sanctuary `sq`; UAS weapons tight
/// let t = Track::new("t1", 0.5, 0.5, 100.0, TargetClass::Uas, Identity::Hostile);
/// let line = engine.audit(&t, "0", None).to_json_line();
/// let tampered = line.replace(r#""zone":"sq""#, r#""zone":"other""#);
/// let report = replay(&engine, tampered.as_bytes())?;
/// assert_eq!(report.mismatches[0].field, DecisionField::Zone);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecisionField {
    /// The track id echoed in the decision.
    TrackId,
    /// Permit or deny.
    Verdict,
    /// The deciding zone.
    Zone,
    /// The phase decided in.
    Phase,
    /// The reasons.
    Reasons,
    /// The margin to the sanctuary area's edge.
    Margin,
    /// Whether the margin is the measuring horizon's lower bound.
    MarginIsLowerBound,
    /// The exclusion that denied the track.
    Exclusion,
}

impl DecisionField {
    /// The field's name in the JSON record.
    ///
    /// # Example
    /// ```
    /// use sanctuary::audit::DecisionField;
    /// assert_eq!(DecisionField::Margin.as_str(), "margin_m");
    /// assert_eq!(DecisionField::TrackId.to_string(), "track_id");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionField::TrackId => "track_id",
            DecisionField::Verdict => "verdict",
            DecisionField::Zone => "zone",
            DecisionField::Phase => "phase",
            DecisionField::Reasons => "reasons",
            DecisionField::Margin => "margin_m",
            DecisionField::MarginIsLowerBound => "margin_is_lower_bound",
            DecisionField::Exclusion => "exclusion",
        }
    }
}

impl fmt::Display for DecisionField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One field of one record whose replayed decision differs from the recorded one.
///
/// # Example
/// ```
/// use sanctuary::{audit::{DecisionField, replay}, plan::{Identity, TargetClass}, Engine, Plan, Track};
/// # let plan = Plan::from_json_str(r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
/// #   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
/// #   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
/// #     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
/// let engine = Engine::new(plan); // a 1° square sanctuary `sq`; UAS weapons tight
/// let t = Track::new("t1", 0.5, 0.5, 100.0, TargetClass::Uas, Identity::Hostile);
/// let line = engine.audit(&t, "0", None).to_json_line();
/// let report = replay(&engine, line.replace(r#""permit""#, r#""deny""#).as_bytes())?;
/// let m = &report.mismatches[0];
/// assert_eq!((m.line, m.track_id.as_str(), m.field), (1, "t1", DecisionField::Verdict));
/// assert_eq!(m.to_string(), r#"line 1: track `t1`: decision.verdict was `"deny"`, replays as `"permit"`"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// 1-based line number in the log.
    pub line: usize,
    /// The record's track id.
    pub track_id: String,
    /// The field that differs.
    pub field: DecisionField,
    /// The recorded value, as JSON.
    pub recorded: String,
    /// The replayed value, as JSON.
    pub replayed: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}: track `{}`: decision.{} was `{}`, replays as `{}`",
            self.line,
            crate::geometry::id::escape_id(&self.track_id),
            self.field,
            self.recorded,
            self.replayed
        )
    }
}

/// A record whose plan the replay was not given: it is counted and named, not replayed.
///
/// # Example
/// ```
/// use sanctuary::{audit::replay, plan::{Identity, TargetClass}, Engine, Plan, Track};
/// # let plan = Plan::from_json_str(r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
/// #   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
/// #   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
/// #     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
/// let engine = Engine::new(plan); // a 1° square sanctuary `sq`; UAS weapons tight
/// let t = Track::new("t1", 0.5, 0.5, 100.0, TargetClass::Uas, Identity::Hostile);
/// let line = engine.audit(&t, "0", None).to_json_line();
/// let other = line.replace(&engine.plan().hash().to_string(), &"0".repeat(64));
/// let report = replay(&engine, other.as_bytes())?;
/// let u = &report.unknown_plan[0];
/// assert_eq!((u.line, u.track_id.as_str()), (1, "t1"));
/// assert_eq!(u.to_string(), format!("line 1: track `t1`: plan {} was not given", "0".repeat(64)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnknownPlanRecord {
    /// 1-based line number in the log.
    pub line: usize,
    /// The record's track id.
    pub track_id: String,
    /// The plan hash in the record, which the replay could not resolve.
    pub plan_hash: PlanHash,
}

impl fmt::Display for UnknownPlanRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}: track `{}`: plan {} was not given",
            self.line,
            crate::geometry::id::escape_id(&self.track_id),
            self.plan_hash
        )
    }
}

/// What a replay found.
///
/// `records` counts the records re-decided; the records of plans the replay was not given
/// are in `unknown_plan` instead. [`ReplayReport::is_clean`] asks both: every record was
/// replayed, and identically.
///
/// # Example
/// ```
/// use sanctuary::{audit::replay, Engine, Plan};
/// # let plan = Plan::from_json_str(r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
/// #   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
/// #   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
/// #     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
/// let engine = Engine::new(plan); // a 1° square sanctuary `sq`; UAS weapons tight
/// // Blank lines are not records.
/// let report = replay(&engine, "\n\n".as_bytes())?;
/// assert_eq!(report.records, 0);
/// assert!(report.is_clean());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReplayReport {
    /// Records replayed: re-decided under their own plan (blank lines are not records, and
    /// neither are the records in `unknown_plan` counted here).
    pub records: usize,
    /// Every differing field, in line order.
    pub mismatches: Vec<Mismatch>,
    /// The records whose plan hash the replay could not resolve, in line order. They are
    /// not replayed; the replay goes on past them.
    pub unknown_plan: Vec<UnknownPlanRecord>,
}

impl ReplayReport {
    /// Was every record replayed (no record of an unknown plan), and identically (no
    /// mismatch)?
    ///
    /// # Example
    /// ```
    /// use sanctuary::audit::ReplayReport;
    /// assert!(ReplayReport::default().is_clean());
    /// ```
    pub fn is_clean(&self) -> bool {
        self.mismatches.is_empty() && self.unknown_plan.is_empty()
    }

    /// The line numbers with at least one mismatch, ascending, without repeats.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{audit::replay, plan::{Identity, TargetClass}, Engine, Plan, Track};
    /// # let plan = Plan::from_json_str(r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    /// #   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    /// #   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    /// #     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// let engine = Engine::new(plan); // a 1° square sanctuary `sq`; UAS weapons tight
    /// let t = Track::new("t1", 0.5, 0.5, 100.0, TargetClass::Uas, Identity::Hostile);
    /// let line = engine.audit(&t, "0", None).to_json_line();
    /// let bad = line.replace(r#""permit""#, r#""deny""#).replace(r#""zone":"sq""#, r#""zone":"x""#);
    /// let report = replay(&engine, format!("{line}\n{bad}\n{line}\n{bad}\n").as_bytes())?;
    /// assert_eq!(report.mismatches.len(), 4); // two fields on each of two lines
    /// assert_eq!(report.mismatched_lines(), vec![2, 4]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mismatched_lines(&self) -> Vec<usize> {
        let mut lines: Vec<usize> = self.mismatches.iter().map(|m| m.line).collect();
        lines.dedup();
        lines
    }

    /// The line numbers of the records of unknown plans, ascending.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{audit::replay, plan::{Identity, TargetClass}, Engine, Plan, Track};
    /// # let plan = Plan::from_json_str(r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    /// #   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    /// #   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    /// #     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// let engine = Engine::new(plan); // a 1° square sanctuary `sq`; UAS weapons tight
    /// let t = Track::new("t1", 0.5, 0.5, 100.0, TargetClass::Uas, Identity::Hostile);
    /// let line = engine.audit(&t, "0", None).to_json_line();
    /// let other = line.replace(&engine.plan().hash().to_string(), &"f".repeat(64));
    /// let report = replay(&engine, format!("{line}\n{other}\n{line}\n").as_bytes())?;
    /// assert_eq!((report.records, report.unknown_plan_lines()), (2, vec![2]));
    /// assert!(report.mismatches.is_empty() && !report.is_clean());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unknown_plan_lines(&self) -> Vec<usize> {
        self.unknown_plan.iter().map(|u| u.line).collect()
    }
}

/// Why a line is not an audit record.
///
/// # Example
/// ```
/// use sanctuary::audit::{AuditRecord, RecordError};
/// assert!(matches!(AuditRecord::from_json_line("not json"), Err(RecordError::Json(_))));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum RecordError {
    /// Not JSON, or not JSON of the shape of a record.
    Json(serde_json::Error),
    /// The track holds a `null`: the trace of a non-finite number, which JSON cannot hold,
    /// so the track cannot be replayed as it was decided.
    NullInTrack {
        /// Where, e.g. `track.velocity.speed_mps`.
        path: String,
    },
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::Json(e) => write!(f, "{e}"),
            RecordError::NullInTrack { path } => {
                write!(f, "`{path}` is null: a non-finite number cannot be replayed")
            }
        }
    }
}

impl std::error::Error for RecordError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RecordError::Json(e) => Some(e),
            RecordError::NullInTrack { .. } => None,
        }
    }
}

/// A log could not be replayed.
///
/// A record of a plan the replay was not given is no error: it is reported in
/// [`ReplayReport::unknown_plan`].
///
/// # Example
/// ```
/// use sanctuary::{audit::{ReplayError, replay}, Engine, Plan};
/// # let plan = Plan::from_json_str(r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
/// #   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
/// #   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
/// #     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
/// let engine = Engine::new(plan); // a 1° square sanctuary `sq`; UAS weapons tight
/// let err = replay(&engine, "\nnot json\n".as_bytes()).unwrap_err();
/// assert!(matches!(err, ReplayError::Record { line: 2, .. }));
/// assert!(err.to_string().starts_with("line 2: not an audit record"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ReplayError {
    /// The log could not be read.
    Io {
        /// 1-based line number.
        line: usize,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A line is not an audit record.
    Record {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        source: RecordError,
    },
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplayError::Io { line, source } => write!(f, "line {line}: cannot read the log: {source}"),
            ReplayError::Record { line, source } => write!(f, "line {line}: not an audit record: {source}"),
        }
    }
}

impl std::error::Error for ReplayError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReplayError::Io { source, .. } => Some(source),
            ReplayError::Record { source, .. } => Some(source),
        }
    }
}

impl ReplayError {
    /// The 1-based line number of the problem.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{audit::replay, Engine, Plan};
    /// # let plan = Plan::from_json_str(r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    /// #   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    /// #   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    /// #     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// let engine = Engine::new(plan); // a 1° square sanctuary `sq`; UAS weapons tight
    /// let err = replay(&engine, "{}\n".as_bytes()).unwrap_err();
    /// assert_eq!(err.line(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn line(&self) -> usize {
        match self {
            ReplayError::Io { line, .. } | ReplayError::Record { line, .. } => *line,
        }
    }
}

/// The path of the first `null` in `value`, if any (a track writes `null` only for a
/// non-finite number).
fn null_path(value: &Value, path: &str) -> Option<String> {
    match value {
        Value::Null => Some(path.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(k, v)| null_path(v, &format!("{path}[{k}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| null_path(v, &format!("{path}.{k}"))),
        _ => None,
    }
}
