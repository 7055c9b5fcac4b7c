//! Hot plan replacement: a [`SharedEngine`] holds the plan in force and lets one thread
//! replace it while others keep deciding, without locks on the decision path.
//!
//! Every decision is made against one consistent snapshot of the plan (the decision's
//! `plan_hash` names it); a replacement is atomic, so a decision sees either the old plan
//! or the new one in full, never a mixture. A plan that fails validation (or whose hash is
//! not the one pinned) is refused and the plan in force stays in force.
//!
//! The batch calls ([`SharedEngine::decide_many`], [`SharedEngine::audit_many`]) decide a
//! whole batch under one snapshot: a replacement during the call never mixes two plans in
//! one batch. Every replacement returns a [`Replaced`]: the hashes of the plan it took
//! out of force and of the plan it put in force.

use crate::rules::audit::AuditRecord;
use crate::rules::engine::{Decision, Engine, Track};
use crate::rules::plan::{PhaseKey, Plan, PlanError, PlanHash};
use arc_swap::ArcSwap;
use std::path::Path;
use std::sync::Arc;

/// An [`Engine`] whose plan can be replaced atomically while other threads decide.
///
/// Share it between threads by reference (`&SharedEngine` is `Send + Sync`) or in an
/// [`Arc`].
///
/// # Example
/// ```
/// use sanctuary::{shared::SharedEngine, plan::{Identity, TargetClass}, Plan, Track};
/// let shared = SharedEngine::new(Plan::safe_haven()?);
/// let drone = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
/// let d = shared.decide(&drone, "1", None);
/// assert!(d.is_permit());
/// assert_eq!(d.plan_hash, shared.current_hash());
///
/// // A plan file that does not exist is refused; the plan in force stays.
/// let before = shared.current_hash();
/// assert!(shared.replace_from_file("no/such/plan.json", None).is_err());
/// assert_eq!(shared.current_hash(), before);
/// # Ok::<(), sanctuary::plan::PlanError>(())
/// ```
#[derive(Debug)]
pub struct SharedEngine {
    current: ArcSwap<Engine>,
}

impl SharedEngine {
    /// A shared engine with `plan` in force.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{shared::SharedEngine, Plan};
    /// let text = r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    ///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 50000}]}"#;
    /// let plan = Plan::from_json_str(text)?;
    /// let shared = SharedEngine::new(plan);
    /// assert_eq!(shared.snapshot().plan().name(), "demo");
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn new(plan: Plan) -> Self {
        Self::from_engine(Engine::new(plan))
    }

    /// A shared engine starting from an existing engine.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{shared::SharedEngine, Engine, Plan};
    /// let text = r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    ///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 50000}]}"#;
    /// let plan = Plan::from_json_str(text)?;
    /// let engine = Engine::new(plan);
    /// let hash = engine.plan().hash().clone();
    /// let shared = SharedEngine::from_engine(engine);
    /// assert_eq!(shared.current_hash(), hash);
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn from_engine(engine: Engine) -> Self {
        SharedEngine {
            current: ArcSwap::from_pointee(engine),
        }
    }

    /// Decides on a track against the plan in force when the call starts (see
    /// [`Engine::decide`]). One snapshot is used for the whole call, so the decision is
    /// the one an [`Engine`] on that plan alone makes, and its `plan_hash` names that plan.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{shared::SharedEngine, plan::{Identity, TargetClass}, Plan, Track};
    /// let text = r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    ///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 50000}]}"#;
    /// let plan = Plan::from_json_str(text)?;
    /// let shared = SharedEngine::new(plan);
    /// let inside = Track::new("t1", 0.0, 0.0, 100.0, TargetClass::Uas, Identity::Hostile);
    /// assert!(shared.decide(&inside, "0", None).is_permit());
    /// let friend = Track::new("t2", 0.0, 0.0, 100.0, TargetClass::Uas, Identity::Friend);
    /// assert!(!shared.decide(&friend, "0", None).is_permit());
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn decide(&self, track: &Track, phase: impl PhaseKey, partner: Option<&str>) -> Decision {
        self.current.load().decide(track, phase, partner)
    }

    /// Decides on each track of a slice in the same phase (see [`Engine::decide_many`]),
    /// all against the plan in force when the call starts: one snapshot for the whole
    /// batch, so every decision names the same plan even if it is replaced meanwhile.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{shared::SharedEngine, plan::{Identity, TargetClass}, Plan, Track};
    /// let shared = SharedEngine::new(Plan::safe_haven()?);
    /// let tracks = vec![
    ///     Track::new("a", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile),
    ///     Track::new("b", 36.23, 49.99, 800.0, TargetClass::Uas, Identity::Hostile),
    /// ];
    /// let decisions = shared.decide_many(&tracks, "1", None);
    /// assert!(decisions[0].is_permit() && !decisions[1].is_permit());
    /// assert!(decisions.iter().all(|d| d.plan_hash == shared.current_hash()));
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn decide_many(
        &self,
        tracks: &[Track],
        phase: impl PhaseKey,
        partner: Option<&str>,
    ) -> Vec<Decision> {
        self.current.load().decide_many(tracks, phase, partner)
    }

    /// Decides on a track against the plan in force (as [`SharedEngine::decide`]) and
    /// returns the decision with its input, ready for an audit log (see
    /// [`Engine::audit`]).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{shared::SharedEngine, plan::{Identity, TargetClass}, Plan, Track};
    /// let shared = SharedEngine::new(Plan::safe_haven()?);
    /// let drone = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// let record = shared.audit(&drone, "1", None);
    /// assert!(record.decision.is_permit());
    /// assert_eq!(record.decision.plan_hash, shared.current_hash());
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn audit(&self, track: &Track, phase: &str, partner: Option<&str>) -> AuditRecord {
        self.current.load().audit(track, phase, partner)
    }

    /// Decides on each track of a slice in the same phase and returns the audit records
    /// (see [`Engine::audit_many`]), all against one snapshot of the plan in force when
    /// the call starts.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{shared::SharedEngine, plan::{Identity, TargetClass}, Plan, Track};
    /// let shared = SharedEngine::new(Plan::safe_haven()?);
    /// let tracks = vec![
    ///     Track::new("a", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile),
    ///     Track::new("b", 36.23, 49.99, 800.0, TargetClass::Uas, Identity::Hostile),
    /// ];
    /// let records = shared.audit_many(&tracks, "1", None);
    /// assert_eq!(records.len(), 2);
    /// assert!(records.iter().all(|r| r.phase == "1" && r.decision.plan_hash == shared.current_hash()));
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn audit_many(&self, tracks: &[Track], phase: &str, partner: Option<&str>) -> Vec<AuditRecord> {
        self.current.load().audit_many(tracks, phase, partner)
    }

    /// The engine in force now. Holding it keeps that plan alive and unchanged, e.g. to
    /// decide a batch of tracks against one plan, or to decide without allocating
    /// ([`Engine::decide_view`]: the view borrows the snapshot, which a replacement
    /// leaves as it is).
    ///
    /// # Example: decisions that allocate nothing
    /// ```
    /// use sanctuary::{shared::SharedEngine, plan::{Identity, TargetClass}, Plan, Track};
    /// let shared = SharedEngine::new(Plan::safe_haven()?);
    /// let engine = shared.snapshot();
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// let view = engine.decide_view(&lviv, "1", None);
    /// assert!(view.is_permit());
    /// assert_eq!(view.to_decision(&lviv), shared.decide(&lviv, "1", None));
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    ///
    /// # Example
    /// ```
    /// use sanctuary::{shared::SharedEngine, Plan};
    /// let text = r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    ///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 50000}]}"#;
    /// let plan = Plan::from_json_str(text)?;
    /// let shared = SharedEngine::new(plan);
    /// let snap = shared.snapshot();
    /// shared.replace(Plan::from_json_str(&text.replace("50000", "60000"))?);
    /// // The snapshot keeps the plan it was taken on.
    /// assert_ne!(*snap.plan().hash(), shared.current_hash());
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn snapshot(&self) -> Arc<Engine> {
        self.current.load_full()
    }

    /// The hash of the plan in force now.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{shared::SharedEngine, Plan};
    /// let text = r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    ///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 50000}]}"#;
    /// let plan = Plan::from_json_str(text)?;
    /// let hash = plan.hash().clone();
    /// let shared = SharedEngine::new(plan);
    /// assert_eq!(shared.current_hash(), hash);
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn current_hash(&self) -> PlanHash {
        *self.current.load().plan().hash()
    }

    /// Puts an already validated plan in force, atomically. Decisions already under way
    /// finish on the plan they started with. Returns the hashes of the plan replaced and
    /// of the plan now in force.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{shared::SharedEngine, Plan};
    /// let text = r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    ///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 50000}]}"#;
    /// let plan = Plan::from_json_str(text)?;
    /// let old = plan.hash().clone();
    /// let shared = SharedEngine::new(plan);
    /// let new_plan = Plan::from_json_str(&text.replace("50000", "60000"))?;
    /// let new = new_plan.hash().clone();
    /// let replaced = shared.replace(new_plan);
    /// assert_eq!((replaced.old, replaced.new), (old, new));
    /// assert!(replaced.changed());
    /// assert_eq!(shared.current_hash(), new);
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn replace(&self, plan: Plan) -> Replaced {
        self.replace_engine(Engine::new(plan))
    }

    /// Puts an engine's plan in force, atomically (as [`SharedEngine::replace`]).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{shared::SharedEngine, Engine, Plan};
    /// let text = r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    ///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 50000}]}"#;
    /// let shared = SharedEngine::new(Plan::from_json_str(text)?);
    /// let engine = Engine::new(Plan::from_json_str(&text.replace("50000", "60000"))?);
    /// let replaced = shared.replace_engine(engine.clone());
    /// assert_eq!(replaced.new, *engine.plan().hash());
    /// assert_eq!(shared.current_hash(), replaced.new);
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn replace_engine(&self, engine: Engine) -> Replaced {
        let new = *engine.plan().hash();
        let old = self.current.swap(Arc::new(engine));
        Replaced {
            old: *old.plan().hash(),
            new,
        }
    }

    /// Loads and validates a plan file (see [`Plan::from_file`]) and, if it is valid and
    /// its hash is `expected_hash` (when given), puts it in force atomically. Returns the
    /// hashes of the plan replaced and of the plan now in force, as
    /// [`SharedEngine::replace`].
    ///
    /// # Errors
    /// Any [`PlanError`] of [`Plan::from_file`], and [`PlanError::HashMismatch`] when the
    /// plan's hash is not `expected_hash`. On error the plan in force is unchanged.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{shared::SharedEngine, plan::PlanError, Plan};
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/safe-haven.plan.json");
    /// let shared = SharedEngine::new(Plan::safe_haven()?);
    /// let replaced = shared.replace_from_file(path, None)?;
    /// assert_eq!(replaced.new, shared.current_hash());
    ///
    /// let wrong = "0".repeat(64);
    /// let err = shared.replace_from_file(path, Some(&wrong)).unwrap_err();
    /// assert!(matches!(err, PlanError::HashMismatch { .. }));
    /// assert_eq!(shared.current_hash(), replaced.new);
    /// # Ok::<(), PlanError>(())
    /// ```
    pub fn replace_from_file(
        &self,
        path: impl AsRef<Path>,
        expected_hash: Option<&str>,
    ) -> Result<Replaced, PlanError> {
        let plan = match expected_hash {
            Some(expected) => Plan::from_file_pinned(path, expected)?,
            None => Plan::from_file(path)?,
        };
        Ok(self.replace(plan))
    }
}

/// What a replacement of the plan in force did: every `replace` method of
/// [`SharedEngine`] returns one.
///
/// # Example
/// ```
/// use sanctuary::{shared::SharedEngine, Plan};
/// let shared = SharedEngine::new(Plan::safe_haven()?);
/// // Putting the same plan in force again changes nothing a decision can see.
/// let replaced = shared.replace(Plan::safe_haven()?);
/// assert_eq!(replaced.old, replaced.new);
/// assert!(!replaced.changed());
/// # Ok::<(), sanctuary::plan::PlanError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Replaced {
    /// The hash of the plan taken out of force.
    pub old: PlanHash,
    /// The hash of the plan put in force.
    pub new: PlanHash,
}

impl Replaced {
    /// Is the plan now in force another plan than before (the hashes differ)?
    pub fn changed(&self) -> bool {
        self.old != self.new
    }
}

impl From<Engine> for SharedEngine {
    fn from(engine: Engine) -> Self {
        Self::from_engine(engine)
    }
}
