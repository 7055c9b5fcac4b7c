//! Plans: phases, partners, zones and their rules, loaded from a JSON plan file and
//! validated as a whole.
//!
//! # The plan file
//!
//! A plan file is one JSON object. This one uses every field (those marked optional below
//! may be left out); it loads as it stands:
//!
//! ```
//! use sanctuary::engine::Velocity;
//! use sanctuary::plan::{Identity, TargetClass};
//! use sanctuary::{Engine, Plan, Track};
//! let text = r#"{
//!   "name": "Example",
//!   "description": "Two phases over a western region, with a corridor and a no-fire area",
//!   "phases": [
//!     {"id": "1", "name": "west", "start": "2027-01-01T00:00:00Z"},
//!     {"id": "2", "name": "west and centre", "start": "2027-03-01T00:00:00Z"}
//!   ],
//!   "partners": [
//!     {"id": "POL", "name": "Poland", "excluded_classes": ["manned_aircraft"], "min_standoff_m": 5000}
//!   ],
//!   "default_rules": [
//!     {"classes": ["uas", "cruise_missile"], "weapons": "tight",
//!      "floor_m": 0, "ceiling_m": 30000, "standoff_m": 2000}
//!   ],
//!   "zones": [
//!     {"id": "west", "name": "Western region", "kind": "sanctuary", "edges": "plate_carree",
//!      "geometry": {"type": "Polygon", "coordinates":
//!        [[[22.0, 48.0], [26.0, 48.0], [26.0, 51.0], [22.0, 51.0], [22.0, 48.0]]]},
//!      "active_from": "1"},
//!     {"id": "centre", "geometry": {"type": "Polygon", "coordinates":
//!        [[[26.0, 48.0], [30.0, 48.0], [30.0, 51.0], [26.0, 51.0], [26.0, 48.0]]]},
//!      "active_from": "2",
//!      "rules": [
//!        {"from_phase": "2", "classes": ["uas"], "weapons": "free", "floor_m": 100,
//!         "ceiling_m": 10000, "standoff_m": 1000, "partners": ["POL"],
//!         "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "06:00", "to": "22:00"}]}
//!      ]},
//!     {"id": "plant", "geometry": {"type": "Point", "coordinates": [28.0, 49.5]},
//!      "radius_m": 20000, "floor_m": 0, "ceiling_m": 20000, "active_from": "1", "active_until": "2",
//!      "windows": [{"start": "2027-01-01T00:00:00Z", "end": "2027-02-01T00:00:00Z"}]},
//!     {"id": "no-fire", "kind": "exclusion", "edges": "great_circle",
//!      "geometry": {"type": "Polygon", "coordinates":
//!        [[[24.0, 49.0], [24.5, 49.0], [24.5, 49.5], [24.0, 49.5], [24.0, 49.0]]]}}
//!   ]
//! }"#;
//! let plan = Plan::from_json_str(text)?;
//! assert_eq!(plan.phases().len(), 2);
//! let engine = Engine::new(plan);
//! let drone = Track::new("d1", 23.0, 50.0, 800.0, TargetClass::Uas, Identity::Hostile);
//! assert!(engine.decide(&drone, "1", None).is_permit());
//! // Inside the no-fire area: denied, and the decision names it.
//! let there = Track::new("d2", 24.2, 49.2, 800.0, TargetClass::Uas, Identity::Hostile);
//! assert_eq!(engine.decide(&there, "1", None).exclusion.as_deref(), Some("no-fire"));
//! // Intercept data comes whole: speed, heading and time to intercept together.
//! let mut moving = drone.clone();
//! moving.velocity = Some(Velocity { speed_mps: 50.0, heading_deg: 270.0 });
//! moving.tti_s = Some(60.0);
//! assert!(engine.decide(&moving, "1", None).is_permit());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The fields:
//!
//! - `name` (text) and `description` (optional text).
//! - `phases`: in order; each an `id`, a `name` and an optional `start` (RFC 3339). Either
//!   every phase has a start, increasing, or none has.
//! - `partners` (optional): each an `id`, an optional `name`, `excluded_classes` the partner
//!   will not engage, and an optional `min_standoff_m` that applies to all its decisions.
//! - `default_rules` (optional): the rules of every sanctuary that has no `rules` of its own.
//!   A rule: `classes` (`cruise_missile`, `ballistic_missile`, `uas`, `manned_aircraft`,
//!   `unknown`), `weapons` (`hold`: nothing, `tight`: hostile, `free`: hostile, suspect and
//!   unknown identities), `standoff_m`, and optionally `floor_m`/`ceiling_m` (metres, the
//!   tracks' datum), `from_phase`/`until_phase`, `partners` (ids; none listed: any partner)
//!   and `windows`.
//! - `zones`: each an `id`, optionally a `name`, a `kind` (`sanctuary`, the default, or
//!   `exclusion`), `edges` (`plate_carree`, the default, or `great_circle`), a geometry (see
//!   below), `floor_m`/`ceiling_m`, `active_from`/`active_until` (phase ids), `rules` and
//!   `windows`.
//! - A window is an interval `{"start", "end"}` (RFC 3339) or a weekly schedule
//!   `{"days": ["mon", ...], "from": "HH:MM", "to": "HH:MM"}`, UTC, half-open.
//! - Unknown fields are errors, so a typo does not go unnoticed.
//!
//! - A zone's geometry is either inline GeoJSON (`geometry`, a Polygon, MultiPolygon or a
//!   Point with `radius_m`) or a feature of a GeoJSON zone file (`source`), whose path is
//!   relative to the plan file and must stay inside the plan's directory.
//! - A zone is active from `active_from` (default: the first phase) up to but not including
//!   `active_until` (default: never ends). Phases are ordered as listed.
//! - A sanctuary's rules are its own `rules` or else the plan's `default_rules`. A rule
//!   applies from `from_phase` (default: whenever the zone is active) up to but not
//!   including `until_phase`. An exclusion has no rules: it always denies.
//! - Every reference (phase, partner, source feature) is checked; errors name the path in
//!   the file, e.g. `zones[3].rules[1].from_phase`.
//!
//! # Plans built in Rust
//!
//! [`Plan::builder`] puts the same plan together in code ([`PlanBuilder`], with
//! [`PlanZone`], [`RuleSpec`] and [`PartnerSpec`]) and validates it exactly as the file:
//! the same errors, at the same places, and the same [`Plan::hash`].

pub use crate::rules::time::{parse_rfc3339, TimeError};
pub use crate::rules::window::{TimeWindow, WindowError};

mod codes;
mod phase;
pub use codes::*;
pub use phase::*;
mod parts;
pub use parts::*;
mod identity;
pub use identity::*;
mod error;
pub use error::*;
mod format;
use format::*;
mod build;
pub use build::*;
mod builder;
pub use builder::*;

pub(crate) mod file;
pub(crate) mod hash;

use crate::geometry::error::LoadError;
use crate::geometry::id::Id;
use crate::geometry::id::{check_id, escape_id, IdProblem, Num};
use crate::geometry::kernel::EdgeModel;
use crate::geometry::zone::{VerticalBand, Zone, ZoneGeometry, ZoneKind, ZoneSpec};
use crate::index::nearby::NearbyZones;
use crate::index::ZoneIndex;
use crate::rules::window::windows_allow;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// How far inside the sanctuary area the engine measures a track's margin exactly, metres.
///
/// Beyond it the margin is reported as this horizon (minus the uncertainty): a lower bound
/// that is ample for every standoff up to it, and that keeps a decision deep inside a
/// sanctuary from searching hundreds of kilometres of borders.
///
/// # Example
/// ```
/// use sanctuary::{Engine, Plan, Reason, Track, Verdict, plan::{Identity, TargetClass}};
/// let engine = Engine::new(Plan::safe_haven()?);
/// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
/// // Lviv city is far more than the horizon inside the phase-1 sanctuary area.
/// assert_eq!(engine.decide(&lviv, "1", None).margin_m, Some(sanctuary::engine::MARGIN_HORIZON_M));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const MARGIN_HORIZON_M: f64 = 10_000.0;

/// The largest plan file accepted, bytes.
///
/// # Example
/// ```
/// assert_eq!(sanctuary::plan::MAX_PLAN_FILE_BYTES, 64 * 1024 * 1024);
/// ```
pub const MAX_PLAN_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most vertices a whole plan may hold.
///
/// # Example
/// ```
/// let plan = sanctuary::Plan::safe_haven()?;
/// let vertices: usize = plan.index().zones().iter().map(|z| z.vertex_count()).sum();
/// assert!(vertices <= sanctuary::plan::MAX_PLAN_VERTICES);
/// # Ok::<(), sanctuary::plan::PlanError>(())
/// ```
pub const MAX_PLAN_VERTICES: usize = 10_000_000;

// ---------------------------------------------------------------------------------------
// The validated plan.

/// A validated plan: phases, partners, zones (in a [`ZoneIndex`]) and each zone's
/// activation and rules, with a stable content hash.
///
/// # Example
/// ```
/// let plan = sanctuary::Plan::safe_haven()?;
/// assert_eq!(plan.phases().len(), 7);
/// assert_eq!(plan.phase("3").map(|p| p.index()), Some(3));
/// assert_eq!(plan.hash().to_string().len(), 64);
/// # Ok::<(), sanctuary::plan::PlanError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Plan {
    name: String,
    description: Option<String>,
    phases: Vec<Phase>,
    partners: Vec<Partner>,
    index: ZoneIndex,
    zone_plans: Vec<ZonePlan>,
    hash: PlanHash,
    /// Which zones have boundary near each place, out to the margin horizon.
    nearby: NearbyZones,
    /// Phase ids (in phase order) and zone ids (in handle order), ready to copy into
    /// decisions.
    phase_ids: Vec<Id>,
    zone_ids: Vec<Id>,
}

/// The embedded Safe Haven plan and the zone files it references.
const SAFE_HAVEN_PLAN: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/safe-haven.plan.json"));
const SAFE_HAVEN_SOURCES: &[(&str, &str)] = &[
    (
        "ukraine-oblasts.geojson",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/ukraine-oblasts.geojson"
        )),
    ),
    (
        "neighbours.geojson",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/neighbours.geojson")),
    ),
];

impl Plan {
    /// The embedded, illustrative Safe Haven plan (phases 0–6) built into the crate.
    ///
    /// Its lines and numbers are illustrative; a real plan file replaces them.
    ///
    /// # Errors
    /// Never in a released crate: the test suite loads the embedded plan. The `Result`
    /// keeps a broken build from ever answering with a plan it could not validate.
    ///
    /// # Example
    /// ```
    /// let plan = sanctuary::Plan::safe_haven()?;
    /// assert_eq!(plan.name(), "Safe Haven (illustrative)");
    /// assert!(plan.index().handle("UA-46").is_some());
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn safe_haven() -> Result<Plan, PlanError> {
        Self::from_sources(SAFE_HAVEN_PLAN, Sources::Embedded(SAFE_HAVEN_SOURCES))
    }

    /// Reads and validates a plan file. `source` paths resolve relative to its directory.
    ///
    /// # Errors
    /// [`PlanError`] naming the path in the file for every kind of problem.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Plan, plan::PlanError};
    /// let dir = std::env::temp_dir().join(format!("sanctuary-doc-plan-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let zones = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
    ///   "properties": {"id": "c", "radius_m": 500},
    ///   "geometry": {"type": "Point", "coordinates": [0, 0]}}]}"#;
    /// std::fs::write(dir.join("zones.geojson"), zones)?;
    /// std::fs::write(dir.join("p.plan.json"), r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    ///   "zones": [{"id": "c", "kind": "exclusion", "source": {"file": "zones.geojson", "feature": "c"}}]}"#)?;
    /// let plan = Plan::from_file(dir.join("p.plan.json"))?;
    /// assert_eq!(plan.index().len(), 1);
    /// assert!(matches!(Plan::from_file(dir.join("missing.json")), Err(PlanError::Io { .. })));
    /// std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_file(path: impl AsRef<Path>) -> Result<Plan, PlanError> {
        let path = path.as_ref();
        let text =
            crate::geometry::geojson::read_bounded(path, MAX_PLAN_FILE_BYTES).map_err(|e| match e {
                LoadError::Io { path, source } => PlanError::Io { path, source },
                other => PlanError::Zone {
                    place: ".".into(),
                    source: other,
                },
            })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        Self::from_sources(&text, Sources::Dir(&dir))
    }

    /// Reads a plan file and refuses it unless its content hash is `expected`.
    ///
    /// # Errors
    /// As [`Plan::from_file`], plus [`PlanError::HashMismatch`].
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Plan, plan::PlanError};
    /// let path = std::env::temp_dir().join(format!("sanctuary-doc-pinned-{}.json", std::process::id()));
    /// std::fs::write(&path, r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    ///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 500}]}"#)?;
    /// let hash = Plan::from_file(&path)?.hash().to_string();
    /// assert_eq!(Plan::from_file_pinned(&path, &hash)?.hash().to_string(), hash);
    /// let wrong = Plan::from_file_pinned(&path, "0000");
    /// assert!(matches!(wrong, Err(PlanError::HashMismatch { .. })));
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_file_pinned(path: impl AsRef<Path>, expected: &str) -> Result<Plan, PlanError> {
        let plan = Self::from_file(path)?;
        let actual = plan.hash.to_string();
        if actual != expected {
            return Err(PlanError::HashMismatch {
                expected: expected.to_string(),
                actual,
            });
        }
        Ok(plan)
    }

    /// Parses and validates a plan whose zones are all inline (no `source` references).
    ///
    /// # Errors
    /// [`PlanError`] naming the path in the text.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Plan, plan::PlanError};
    /// let text = r#"{"name": "demo",
    ///   "phases": [{"id": "0", "name": "prep"}, {"id": "1", "name": "live"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "from_phase": "1", "standoff_m": 0}],
    ///   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    ///     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#;
    /// let plan = Plan::from_json_str(text)?;
    /// assert_eq!(plan.phases().len(), 2);
    /// // A rule naming a phase the plan lacks is refused, with its place.
    /// let bad = text.replace(r#""from_phase": "1""#, r#""from_phase": "9""#);
    /// let err = Plan::from_json_str(&bad).unwrap_err();
    /// assert!(matches!(err, PlanError::UnknownPhase { .. }));
    /// assert_eq!(err.place(), Some("default_rules[0].from_phase"));
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn from_json_str(text: &str) -> Result<Plan, PlanError> {
        Self::from_sources(text, Sources::Embedded(&[]))
    }

    /// Parses and validates a plan, resolving `source` files relative to `dir`.
    ///
    /// # Errors
    /// [`PlanError`] naming the path in the text.
    ///
    /// # Example
    /// ```
    /// use sanctuary::Plan;
    /// let dir = std::env::temp_dir().join(format!("sanctuary-doc-in-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let zones = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
    ///   "properties": {"id": "c", "radius_m": 500},
    ///   "geometry": {"type": "Point", "coordinates": [0, 0]}}]}"#;
    /// std::fs::write(dir.join("z.geojson"), zones)?;
    /// let text = r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    ///   "zones": [{"id": "c", "kind": "exclusion", "source": {"file": "z.geojson", "feature": "c"}}]}"#;
    /// assert_eq!(Plan::from_json_str_in(text, &dir)?.index().len(), 1);
    /// // Without a directory, `source` references cannot resolve.
    /// assert!(Plan::from_json_str(text).is_err());
    /// std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json_str_in(text: &str, dir: &Path) -> Result<Plan, PlanError> {
        Self::from_sources(text, Sources::Dir(dir))
    }

    fn from_sources(text: &str, sources: Sources<'_>) -> Result<Plan, PlanError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let file: PlanFile = serde_path_to_error::deserialize(de).map_err(|e| {
            let (line, column) = (e.inner().line(), e.inner().column());
            let message = e.inner().to_string();
            // serde_json ends its message with the position, which has its own fields here.
            let suffix = format!(" at line {line} column {column}");
            let message = message.strip_suffix(&suffix).unwrap_or(&message).to_string();
            PlanError::Syntax {
                place: e.path().to_string(),
                line,
                column,
                message,
            }
        })?;
        build(file, &sources)
    }

    /// The plan's name.
    ///
    /// # Example
    /// ```
    /// let plan = sanctuary::Plan::from_json_str(r#"{"name": "demo",
    ///   "phases": [{"id": "0", "name": "prep"}, {"id": "1", "name": "live"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "from_phase": "1", "standoff_m": 0}],
    ///   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    ///     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// assert_eq!(plan.name(), "demo");
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The plan's description, if any.
    ///
    /// # Example
    /// ```
    /// let plan = sanctuary::Plan::from_json_str(r#"{"name": "demo",
    ///   "phases": [{"id": "0", "name": "prep"}, {"id": "1", "name": "live"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "from_phase": "1", "standoff_m": 0}],
    ///   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    ///     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// assert_eq!(plan.description(), None);
    /// let haven = sanctuary::Plan::safe_haven()?;
    /// assert!(haven.description().is_some_and(|d| d.contains("illustrative")));
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    /// Phases in order.
    ///
    /// # Example
    /// ```
    /// let plan = sanctuary::Plan::from_json_str(r#"{"name": "demo",
    ///   "phases": [{"id": "0", "name": "prep"}, {"id": "1", "name": "live"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "from_phase": "1", "standoff_m": 0}],
    ///   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    ///     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// let ids: Vec<&str> = plan.phases().iter().map(|p| p.id.as_str()).collect();
    /// assert_eq!(ids, ["0", "1"]);
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn phases(&self) -> &[Phase] {
        &self.phases
    }
    /// Partners.
    ///
    /// # Example
    /// ```
    /// let plan = sanctuary::Plan::safe_haven()?;
    /// let ids: Vec<&str> = plan.partners().iter().map(|p| p.id.as_str()).collect();
    /// assert_eq!(ids, ["POL", "SVK", "HUN", "ROU"]);
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn partners(&self) -> &[Partner] {
        &self.partners
    }
    /// The zone index.
    ///
    /// # Example
    /// ```
    /// use sanctuary::geometry::Position;
    /// let plan = sanctuary::Plan::from_json_str(r#"{"name": "demo",
    ///   "phases": [{"id": "0", "name": "prep"}, {"id": "1", "name": "live"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "from_phase": "1", "standoff_m": 0}],
    ///   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    ///     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// let sq = plan.index().handle("sq").ok_or("no zone `sq`")?;
    /// assert_eq!(plan.index().position(sq, 0.5, 0.5)?, Position::Inside);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn index(&self) -> &ZoneIndex {
        &self.index
    }

    /// Which zones have boundary near each place (see [`NearbyZones`]).
    pub(crate) fn nearby(&self) -> &NearbyZones {
        &self.nearby
    }

    /// The id of the phase with index `i`, as decisions carry it.
    pub(crate) fn phase_id(&self, i: usize) -> Option<&Id> {
        self.phase_ids.get(i)
    }

    /// The id of a zone, as decisions carry it.
    pub(crate) fn zone_id(&self, h: crate::index::ZoneHandle) -> Option<&Id> {
        self.zone_ids.get(h.index())
    }
    /// Activation and rules of each zone, in handle order.
    ///
    /// # Example
    /// ```
    /// let plan = sanctuary::Plan::from_json_str(r#"{"name": "demo",
    ///   "phases": [{"id": "0", "name": "prep"}, {"id": "1", "name": "live"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "from_phase": "1", "standoff_m": 0}],
    ///   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    ///     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// assert_eq!(plan.zone_plans().len(), plan.index().len());
    /// // The zone has no rules of its own: it takes the plan's default rules.
    /// assert_eq!(plan.zone_plans()[0].rules.len(), 1);
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn zone_plans(&self) -> &[ZonePlan] {
        &self.zone_plans
    }
    /// The content hash.
    ///
    /// # Example
    /// ```
    /// use sanctuary::Plan;
    /// let text = r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    ///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 500}]}"#;
    /// // Formatting does not change the hash; content does.
    /// let a = Plan::from_json_str(text)?;
    /// assert_eq!(a.hash(), Plan::from_json_str(&text.replace(", ", ",\n  "))?.hash());
    /// assert_ne!(a.hash(), Plan::from_json_str(&text.replace("500", "600"))?.hash());
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn hash(&self) -> &PlanHash {
        &self.hash
    }
    /// The phase with this id (or the phase a handle names, if it is of this plan).
    ///
    /// # Example
    /// ```
    /// let plan = sanctuary::Plan::from_json_str(r#"{"name": "demo",
    ///   "phases": [{"id": "0", "name": "prep"}, {"id": "1", "name": "live"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "from_phase": "1", "standoff_m": 0}],
    ///   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    ///     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// assert_eq!(plan.phase("1").map(|p| p.index()), Some(1));
    /// assert_eq!(plan.phase("live"), None); // ids, not names
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn phase(&self, key: impl PhaseKey) -> Option<PhaseHandle> {
        key.index_in(self).map(|i| PhaseHandle::new(i, self.hash))
    }

    /// Every phase's handle, in order.
    ///
    /// # Example
    /// ```
    /// let plan = sanctuary::Plan::safe_haven()?;
    /// let ids: Vec<&str> = plan.phase_handles().map(|p| plan.phases()[p.index()].id.as_str()).collect();
    /// assert_eq!(ids, ["0", "1", "2", "3", "4", "5", "6"]);
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn phase_handles(&self) -> impl Iterator<Item = PhaseHandle> + '_ {
        (0..self.phases.len()).map(|i| PhaseHandle::new(i, self.hash))
    }

    /// Index of the phase with this id.
    pub(crate) fn phase_index(&self, id: &str) -> Option<usize> {
        // Phase ids are short: comparing the bytes in place is cheaper than a call to
        // `memcmp` per phase, and this runs once per decision.
        let id = id.as_bytes();
        self.phases.iter().position(|p| {
            let own = p.id.as_bytes();
            own.len() == id.len() && own.iter().zip(id).all(|(a, b)| a == b)
        })
    }
    /// Index of the partner with this id.
    ///
    /// # Example
    /// ```
    /// let plan = sanctuary::Plan::safe_haven()?;
    /// assert_eq!(plan.partner_index("HUN"), Some(2));
    /// assert_eq!(plan.partner_index("FRA"), None);
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn partner_index(&self, id: &str) -> Option<usize> {
        self.partners.iter().position(|p| p.id == id)
    }
    /// The phase in force at a time (Unix seconds): the last phase whose start is at or
    /// before it. `None` before the first start, or when phases have no start times.
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::parse_rfc3339;
    /// let plan = sanctuary::Plan::safe_haven()?;
    /// let at = |s| parse_rfc3339(s).ok().and_then(|t| plan.phase_at(t)).map(|p| p.index());
    /// assert_eq!(at("2026-12-31T23:59:59Z"), None);
    /// assert_eq!(at("2027-06-01T00:00:00Z"), Some(3));
    /// assert_eq!(at("2030-01-01T00:00:00Z"), Some(6));
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn phase_at(&self, unix_s: i64) -> Option<PhaseHandle> {
        self.phase_index_at(unix_s)
            .map(|i| PhaseHandle::new(i, self.hash))
    }

    /// The index of the phase in force at a time (see [`Plan::phase_at`]).
    pub(crate) fn phase_index_at(&self, unix_s: i64) -> Option<usize> {
        let mut found = None;
        for (i, p) in self.phases.iter().enumerate() {
            match p.start_unix_s {
                Some(s) if s <= unix_s => found = Some(i),
                _ => break,
            }
        }
        found
    }
}
