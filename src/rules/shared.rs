//! Hot plan replacement: a [`SharedEngine`] holds the plan in force and lets one thread
//! replace it while others keep deciding, without locks on the decision path.
//!
//! Every decision is made against one consistent snapshot of the plan (the decision's
//! `plan_hash` names it); a replacement is atomic, so a decision sees either the old plan
//! or the new one in full, never a mixture. A plan that fails validation (or whose hash is
//! not the one pinned) is refused and the plan in force stays in force.

use crate::rules::engine::{Decision, Engine, Track};
use crate::rules::plan::{Plan, PlanError, PlanHash};
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
/// use sanctuary::{Plan, Track, engine::SharedEngine, plan::{Identity, TargetClass}};
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
    /// use sanctuary::{Plan, engine::SharedEngine};
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
    /// use sanctuary::{Engine, Plan, engine::SharedEngine};
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
    /// use sanctuary::{Plan, Track, engine::SharedEngine, plan::{Identity, TargetClass}};
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
    pub fn decide(&self, track: &Track, phase: &str, partner: Option<&str>) -> Decision {
        self.current.load().decide(track, phase, partner)
    }

    /// The engine in force now. Holding it keeps that plan alive and unchanged, e.g. to
    /// decide a batch of tracks against one plan.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Plan, engine::SharedEngine};
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
    /// use sanctuary::{Plan, engine::SharedEngine};
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
    /// finish on the plan they started with. Returns the hash of the plan replaced.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Plan, engine::SharedEngine};
    /// let text = r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    ///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 50000}]}"#;
    /// let plan = Plan::from_json_str(text)?;
    /// let old = plan.hash().clone();
    /// let shared = SharedEngine::new(plan);
    /// let new_plan = Plan::from_json_str(&text.replace("50000", "60000"))?;
    /// let new = new_plan.hash().clone();
    /// assert_eq!(shared.replace(new_plan), old);
    /// assert_eq!(shared.current_hash(), new);
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn replace(&self, plan: Plan) -> PlanHash {
        let old = self.current.swap(Arc::new(Engine::new(plan)));
        *old.plan().hash()
    }

    /// Loads and validates a plan file (see [`Plan::from_file`]) and, if it is valid and
    /// its hash is `expected_hash` (when given), puts it in force atomically. Returns the
    /// new plan's hash.
    ///
    /// # Errors
    /// Any [`PlanError`] of [`Plan::from_file`], and [`PlanError::HashMismatch`] when the
    /// plan's hash is not `expected_hash`. On error the plan in force is unchanged.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Plan, engine::SharedEngine, plan::PlanError};
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/safe-haven.plan.json");
    /// let shared = SharedEngine::new(Plan::safe_haven()?);
    /// let hash = shared.replace_from_file(path, None)?;
    /// assert_eq!(hash, shared.current_hash());
    ///
    /// let wrong = "0".repeat(64);
    /// let err = shared.replace_from_file(path, Some(&wrong)).unwrap_err();
    /// assert!(matches!(err, PlanError::HashMismatch { .. }));
    /// assert_eq!(shared.current_hash(), hash);
    /// # Ok::<(), PlanError>(())
    /// ```
    pub fn replace_from_file(
        &self,
        path: impl AsRef<Path>,
        expected_hash: Option<&str>,
    ) -> Result<PlanHash, PlanError> {
        let plan = match expected_hash {
            Some(expected) => Plan::from_file_pinned(path, expected)?,
            None => Plan::from_file(path)?,
        };
        let hash = *plan.hash();
        self.replace(plan);
        Ok(hash)
    }
}

impl From<Engine> for SharedEngine {
    fn from(engine: Engine) -> Self {
        Self::from_engine(engine)
    }
}
