//! Replaying an audit log: each record re-decided under the plan its hash names.

use super::*;

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
pub(super) fn compare(line: usize, recorded: &Decision, replayed: &Decision, out: &mut Vec<Mismatch>) {
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

pub(super) fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
