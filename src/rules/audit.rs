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

/// Finds the engine for a plan hash: what [`replay`] asks to re-decide each record under
/// the plan it names.
///
/// Implemented by an [`Engine`] (its own plan only), by a slice, array or `Vec` of engines
/// (the one whose plan has the hash), by a `HashMap<PlanHash, Engine>`, and by any
/// `Fn(&PlanHash) -> Option<Engine>`. An [`Engine`] is a shared pointer to its plan, so
/// returning one by value is cheap; a replay asks once per distinct hash in the log.
///
/// # Example
/// ```
/// use sanctuary::{audit::PlanResolver, plan::PlanHash, Engine, Plan};
/// let a = Engine::new(Plan::safe_haven()?);
/// let hash = *a.plan().hash();
/// assert!(a.engine_for(&hash).is_some());
/// assert!(a.engine_for(&PlanHash([0; 32])).is_none());
/// // A closure: here, engines kept by hash elsewhere.
/// let by_hash = |h: &PlanHash| (*h == hash).then(|| a.clone());
/// assert!(by_hash.engine_for(&hash).is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait PlanResolver {
    /// The engine deciding under the plan with this hash, if known. It must be an engine
    /// on that very plan: a replay compares its hash with the record's and counts the
    /// record as of an unknown plan when they differ.
    fn engine_for(&self, hash: &PlanHash) -> Option<Engine>;
}

impl PlanResolver for Engine {
    fn engine_for(&self, hash: &PlanHash) -> Option<Engine> {
        (self.plan().hash() == hash).then(|| self.clone())
    }
}

impl PlanResolver for [Engine] {
    fn engine_for(&self, hash: &PlanHash) -> Option<Engine> {
        self.iter().find(|e| e.plan().hash() == hash).cloned()
    }
}

impl<const N: usize> PlanResolver for [Engine; N] {
    fn engine_for(&self, hash: &PlanHash) -> Option<Engine> {
        self.as_slice().engine_for(hash)
    }
}

impl PlanResolver for Vec<Engine> {
    fn engine_for(&self, hash: &PlanHash) -> Option<Engine> {
        self.as_slice().engine_for(hash)
    }
}

impl<S: std::hash::BuildHasher> PlanResolver for std::collections::HashMap<PlanHash, Engine, S> {
    fn engine_for(&self, hash: &PlanHash) -> Option<Engine> {
        self.get(hash).cloned()
    }
}

impl<F: Fn(&PlanHash) -> Option<Engine>> PlanResolver for F {
    fn engine_for(&self, hash: &PlanHash) -> Option<Engine> {
        self(hash)
    }
}

/// Re-decides every record of a JSON Lines audit log under the plan its hash names, and
/// reports each field of each decision that differs. Blank lines are skipped (they still
/// count for line numbers).
///
/// `plans` resolves a record's plan hash to an engine ([`PlanResolver`]): one [`Engine`]
/// for a log of one plan, several (a slice, an array, a `Vec`, a map by hash, or a
/// closure) for a log written across hot swaps. A record whose plan `plans` does not
/// resolve is not replayed: it is listed in [`ReplayReport::unknown_plan`] and the replay
/// goes on.
///
/// # Errors
/// [`ReplayError::Record`] at the first line that is not an audit record;
/// [`ReplayError::Io`] when reading fails.
///
/// # Example
/// ```
/// use sanctuary::{audit::replay, plan::{Identity, TargetClass}, Engine, Plan, Track};
/// let engine = Engine::new(Plan::safe_haven()?);
/// let t = Track::new("t1", 30.52, 50.45, 500.0, TargetClass::CruiseMissile, Identity::Hostile);
/// let mut log = Vec::new();
/// engine.audit(&t, "3", Some("POL")).write_line(&mut log)?;
/// engine.audit(&t, "2", None).write_line(&mut log)?;
/// assert!(replay(&engine, log.as_slice())?.is_clean());
///
/// // A record of another plan is reported by line, and the replay goes on.
/// let text = String::from_utf8(log)?;
/// let other = text.replacen(&engine.plan().hash().to_string(), &"0".repeat(64), 1);
/// let report = replay(&engine, other.as_bytes())?;
/// assert_eq!((report.records, report.unknown_plan_lines()), (1, vec![1]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A log written across a hot swap replays with both plans:
/// ```
/// use sanctuary::{audit::replay, shared::SharedEngine, Engine, Plan, Track};
/// use sanctuary::plan::{Identity, TargetClass};
/// let text = r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 50000}]}"#;
/// let a = Plan::from_json_str(text)?;
/// let b = Plan::from_json_str(&text.replace("50000", "60000"))?;
/// let shared = SharedEngine::new(a.clone());
/// let t = Track::new("t1", 0.5, 0.0, 100.0, TargetClass::Uas, Identity::Hostile);
/// let mut log = Vec::new();
/// shared.audit(&t, "0", None).write_line(&mut log)?;
/// shared.replace(b.clone());
/// shared.audit(&t, "0", None).write_line(&mut log)?;
///
/// let report = replay(&[Engine::new(a.clone()), Engine::new(b)], log.as_slice())?;
/// assert!(report.is_clean() && report.records == 2);
/// let report = replay(&Engine::new(a), log.as_slice())?; // B was not given
/// assert_eq!((report.records, report.unknown_plan_lines()), (1, vec![2]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn replay<R: PlanResolver + ?Sized>(
    plans: &R,
    records: impl BufRead,
) -> Result<ReplayReport, ReplayError> {
    let mut report = ReplayReport::default();
    // Each distinct hash is resolved once; logs change plan rarely, so a short list.
    let mut resolved: Vec<(PlanHash, Option<Engine>)> = Vec::new();
    for (i, line) in records.lines().enumerate() {
        let line_no = i.saturating_add(1);
        let text = line.map_err(|source| ReplayError::Io {
            line: line_no,
            source,
        })?;
        if text.trim().is_empty() {
            continue;
        }
        let record = AuditRecord::from_json_line(&text).map_err(|source| ReplayError::Record {
            line: line_no,
            source,
        })?;
        let hash = record.decision.plan_hash;
        let engine = match resolved.iter().find(|(h, _)| *h == hash) {
            Some((_, engine)) => engine.clone(),
            None => {
                // An engine on another plan than the one asked for proves nothing.
                let engine = plans.engine_for(&hash).filter(|e| *e.plan().hash() == hash);
                resolved.push((hash, engine.clone()));
                engine
            }
        };
        let Some(engine) = engine else {
            report.unknown_plan.push(UnknownPlanRecord {
                line: line_no,
                track_id: record.decision.track_id.to_string(),
                plan_hash: hash,
            });
            continue;
        };
        let replayed = engine.decide(&record.track, &record.phase, record.partner.as_deref());
        compare(line_no, &record.decision, &replayed, &mut report.mismatches);
        report.records = report.records.saturating_add(1);
    }
    Ok(report)
}

/// Appends one [`Mismatch`] per differing field.
fn compare(line: usize, recorded: &Decision, replayed: &Decision, out: &mut Vec<Mismatch>) {
    // Compare through JSON: the recorded margin went through JSON, so the replayed one
    // must too (it is written in shortest round-trip form, so equal values give equal
    // text).
    let json = |v: Value| v.to_string();
    let fields: [(DecisionField, Value, Value); 8] = [
        (
            DecisionField::TrackId,
            Value::from(recorded.track_id.as_str()),
            Value::from(replayed.track_id.as_str()),
        ),
        (
            DecisionField::Verdict,
            to_value(&recorded.verdict),
            to_value(&replayed.verdict),
        ),
        (
            DecisionField::Zone,
            to_value(&recorded.zone),
            to_value(&replayed.zone),
        ),
        (
            DecisionField::Phase,
            to_value(&recorded.phase),
            to_value(&replayed.phase),
        ),
        (
            DecisionField::Reasons,
            to_value(&recorded.reasons),
            to_value(&replayed.reasons),
        ),
        (
            DecisionField::Margin,
            to_value(&recorded.margin_m),
            to_value(&replayed.margin_m),
        ),
        (
            DecisionField::MarginIsLowerBound,
            Value::from(recorded.margin_is_lower_bound),
            Value::from(replayed.margin_is_lower_bound),
        ),
        (
            DecisionField::Exclusion,
            to_value(&recorded.exclusion),
            to_value(&replayed.exclusion),
        ),
    ];
    for (field, a, b) in fields {
        let (a, b) = (json(a), json(b));
        if a != b {
            out.push(Mismatch {
                line,
                track_id: recorded.track_id.to_string(),
                field,
                recorded: a,
                replayed: b,
            });
        }
    }
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_exactly() {
        // serde_json without `float_roundtrip` reads this literal one ulp off.
        let v: Value = serde_json::from_str("[25.048890007667694]").unwrap_or(Value::Null);
        assert_eq!(v[0].as_f64(), "25.048890007667694".parse::<f64>().ok());
    }

    #[test]
    fn nulls_in_a_track_are_found() {
        let v = serde_json::json!({"lon": 1.0, "velocity": {"speed_mps": null}});
        assert_eq!(
            null_path(&v, "track").as_deref(),
            Some("track.velocity.speed_mps")
        );
        assert_eq!(null_path(&serde_json::json!({"a": [1, 2]}), "track"), None);
    }
}
