//! Plans: phases, partners, zones and their rules, loaded from a JSON plan file and
//! validated as a whole.
//!
//! # The plan file
//!
//! ```json
//! {
//!   "name": "Example",
//!   "phases": [{"id": "0", "name": "preparation", "start": "2027-01-01T00:00:00Z"}, ...],
//!   "partners": [{"id": "POL", "name": "Poland", "excluded_classes": [], "min_standoff_m": 0}],
//!   "default_rules": [{"classes": ["uas"], "weapons": "tight", "floor_m": 0,
//!                      "ceiling_m": 30000, "standoff_m": 2000}],
//!   "zones": [
//!     {"id": "UA-46", "source": {"file": "ukraine-oblasts.geojson", "feature": "UA-46"},
//!      "active_from": "1"},
//!     {"id": "npp", "geometry": {"type": "Point", "coordinates": [31.2, 47.8]},
//!      "radius_m": 30000, "active_from": "4", "rules": [...]},
//!     {"id": "POL", "kind": "exclusion", "source": {"file": "neighbours.geojson", "feature": "POL"}}
//!   ]
//! }
//! ```
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

pub(crate) mod file;
pub(crate) mod hash;

use crate::geometry::error::LoadError;
use crate::geometry::id::Id;
use crate::geometry::id::{check_id, escape_id, Num};
use crate::geometry::kernel::EdgeModel;
use crate::geometry::zone::{VerticalBand, Zone, ZoneKind, ZoneSpec};
use crate::index::nearby::NearbyZones;
use crate::index::ZoneIndex;
use crate::rules::time::parse_rfc3339;
use crate::rules::window::{windows_allow, TimeWindow};
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
/// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track, Verdict};
/// let engine = Engine::new(Plan::safe_haven()?);
/// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
/// // Lviv city is far more than the horizon inside the phase-1 sanctuary area.
/// assert_eq!(engine.decide(&lviv, "1", None).margin_m, Some(sanctuary::MARGIN_HORIZON_M));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const MARGIN_HORIZON_M: f64 = 10_000.0;

/// The largest plan file accepted, bytes.
///
/// # Example
/// ```
/// assert_eq!(sanctuary::MAX_PLAN_FILE_BYTES, 64 * 1024 * 1024);
/// ```
pub const MAX_PLAN_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most vertices a whole plan may hold.
///
/// # Example
/// ```
/// let plan = sanctuary::Plan::safe_haven()?;
/// let vertices: usize = plan.index().zones().iter().map(|z| z.vertex_count()).sum();
/// assert!(vertices <= sanctuary::MAX_PLAN_VERTICES);
/// # Ok::<(), sanctuary::PlanError>(())
/// ```
pub const MAX_PLAN_VERTICES: usize = 10_000_000;

/// What kind of object a track is.
///
/// # Example
/// ```
/// use sanctuary::TargetClass;
/// let c: TargetClass = serde_json::from_str(r#""cruise_missile""#)?;
/// assert_eq!(c, TargetClass::CruiseMissile);
/// assert_eq!(c.as_str(), "cruise_missile");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetClass {
    /// Cruise missile.
    CruiseMissile,
    /// Ballistic missile.
    BallisticMissile,
    /// Uncrewed aerial system (drone).
    Uas,
    /// Crewed aircraft.
    MannedAircraft,
    /// Class not determined.
    Unknown,
}

impl TargetClass {
    /// Every class, in declaration order.
    ///
    /// # Example
    /// ```
    /// use sanctuary::TargetClass;
    /// assert_eq!(TargetClass::ALL.len(), 5);
    /// assert!(TargetClass::ALL.iter().all(|&c| TargetClass::parse(c.as_str()) == Some(c)));
    /// ```
    pub const ALL: [TargetClass; 5] = [
        TargetClass::CruiseMissile,
        TargetClass::BallisticMissile,
        TargetClass::Uas,
        TargetClass::MannedAircraft,
        TargetClass::Unknown,
    ];

    /// The stable snake_case code.
    ///
    /// # Example
    /// ```
    /// use sanctuary::TargetClass;
    /// assert_eq!(TargetClass::MannedAircraft.as_str(), "manned_aircraft");
    /// assert_eq!(TargetClass::Uas.as_str(), "uas");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            TargetClass::CruiseMissile => "cruise_missile",
            TargetClass::BallisticMissile => "ballistic_missile",
            TargetClass::Uas => "uas",
            TargetClass::MannedAircraft => "manned_aircraft",
            TargetClass::Unknown => "unknown",
        }
    }

    /// Parses a snake_case code; `None` for anything else.
    ///
    /// # Example
    /// ```
    /// use sanctuary::TargetClass;
    /// assert_eq!(TargetClass::parse("uas"), Some(TargetClass::Uas));
    /// assert_eq!(TargetClass::parse("UAS"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// How a track is identified.
///
/// # Example
/// ```
/// use sanctuary::{Identity, WeaponsStatus};
/// let id: Identity = serde_json::from_str(r#""suspect""#)?;
/// assert_eq!(id, Identity::Suspect);
/// assert!(WeaponsStatus::Free.allows(id));
/// assert!(!WeaponsStatus::Tight.allows(id));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    /// Identified hostile.
    Hostile,
    /// Suspected hostile.
    Suspect,
    /// Not identified.
    Unknown,
    /// Identified neutral: never engaged.
    Neutral,
    /// Identified friend: never engaged.
    Friend,
}

impl Identity {
    const ALL: [Identity; 5] = [
        Identity::Hostile,
        Identity::Suspect,
        Identity::Unknown,
        Identity::Neutral,
        Identity::Friend,
    ];

    /// The stable snake_case code.
    ///
    /// # Example
    /// ```
    /// use sanctuary::Identity;
    /// assert_eq!(Identity::Hostile.as_str(), "hostile");
    /// assert_eq!(Identity::Friend.as_str(), "friend");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Identity::Hostile => "hostile",
            Identity::Suspect => "suspect",
            Identity::Unknown => "unknown",
            Identity::Neutral => "neutral",
            Identity::Friend => "friend",
        }
    }

    /// Parses a snake_case code; `None` for anything else.
    ///
    /// # Example
    /// ```
    /// use sanctuary::Identity;
    /// assert_eq!(Identity::parse("neutral"), Some(Identity::Neutral));
    /// assert_eq!(Identity::parse("Neutral"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Weapon control status of a rule.
///
/// # Example
/// ```
/// use sanctuary::WeaponsStatus;
/// let w: WeaponsStatus = serde_json::from_str(r#""tight""#)?;
/// assert_eq!(w, WeaponsStatus::Tight);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeaponsStatus {
    /// Nothing is engaged.
    Hold,
    /// Only tracks identified [`Identity::Hostile`].
    Tight,
    /// Tracks identified hostile, suspect or unknown; never neutral or friend.
    Free,
}

impl WeaponsStatus {
    /// Does this status allow engaging a track of this identity?
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Identity, WeaponsStatus};
    /// assert!(WeaponsStatus::Tight.allows(Identity::Hostile));
    /// assert!(!WeaponsStatus::Tight.allows(Identity::Unknown));
    /// assert!(WeaponsStatus::Free.allows(Identity::Unknown));
    /// assert!(!WeaponsStatus::Free.allows(Identity::Friend));
    /// assert!(!WeaponsStatus::Hold.allows(Identity::Hostile));
    /// ```
    pub fn allows(self, identity: Identity) -> bool {
        match self {
            WeaponsStatus::Hold => false,
            WeaponsStatus::Tight => identity == Identity::Hostile,
            WeaponsStatus::Free => matches!(
                identity,
                Identity::Hostile | Identity::Suspect | Identity::Unknown
            ),
        }
    }
}

/// One phase of a plan.
///
/// # Example
/// ```
/// let plan = sanctuary::Plan::safe_haven()?;
/// let kyiv = &plan.phases()[3];
/// assert_eq!((kyiv.id.as_str(), kyiv.name.as_str()), ("3", "Kyiv"));
/// assert_eq!(kyiv.start_unix_s, sanctuary::parse_rfc3339("2027-06-01T00:00:00Z"));
/// # Ok::<(), sanctuary::PlanError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    /// Unique id, e.g. `"3"`.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Start time, Unix seconds (UTC), if the plan gives one.
    pub start_unix_s: Option<i64>,
}

/// A partner state policing zones under the plan, with its own caveats.
///
/// # Example
/// ```
/// use sanctuary::TargetClass;
/// let plan = sanctuary::Plan::safe_haven()?;
/// let hun = &plan.partners()[plan.partner_index("HUN").ok_or("no HUN")?];
/// assert_eq!(hun.name.as_deref(), Some("Hungary"));
/// assert_eq!(hun.excluded_classes, vec![TargetClass::MannedAircraft]);
/// assert_eq!(hun.min_standoff_m, 5000.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Partner {
    /// Unique id, e.g. `"POL"`.
    pub id: String,
    /// Human-readable name.
    pub name: Option<String>,
    /// Classes this partner will not engage.
    pub excluded_classes: Vec<TargetClass>,
    /// A standoff this partner requires at least, metres.
    pub min_standoff_m: f64,
}

/// One engagement rule of a zone, resolved against the plan's phases and partners.
///
/// # Example
/// ```
/// use sanctuary::{TargetClass, WeaponsStatus};
/// let plan = sanctuary::Plan::from_json_str(r#"{"name": "demo",
///   "phases": [{"id": "0", "name": "prep"}, {"id": "1", "name": "live"}],
///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "from_phase": "1", "standoff_m": 0}],
///   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
///     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
/// let rule = &plan.zone_plans()[0].rules[0];
/// assert_eq!((rule.from_phase, rule.until_phase), (1, None));
/// assert_eq!(rule.classes, vec![TargetClass::Uas]);
/// assert_eq!(rule.weapons, WeaponsStatus::Tight);
/// # Ok::<(), sanctuary::PlanError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// First phase (index into [`Plan::phases`]) in which the rule applies.
    pub from_phase: usize,
    /// First phase in which it no longer applies, if any.
    pub until_phase: Option<usize>,
    /// Classes that may be engaged.
    pub classes: Vec<TargetClass>,
    /// Weapon control status.
    pub weapons: WeaponsStatus,
    /// Altitude band (closed).
    pub band: VerticalBand,
    /// Minimum distance from the sanctuary area's edge, metres.
    pub standoff_m: f64,
    /// Partners allowed to engage under this rule (indices into [`Plan::partners`]);
    /// `None` places no partner restriction.
    pub partners: Option<Vec<usize>>,
    /// UTC windows in which the rule applies, besides its phases; empty means always.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<TimeWindow>,
    #[serde(skip)]
    pub(crate) class_mask: u8,
}

impl Rule {
    /// Does the rule apply in this phase?
    ///
    /// # Example
    /// ```
    /// let plan = sanctuary::Plan::from_json_str(r#"{"name": "demo",
    ///   "phases": [{"id": "0", "name": "prep"}, {"id": "1", "name": "live"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "from_phase": "1", "standoff_m": 0}],
    ///   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    ///     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// let rule = &plan.zone_plans()[0].rules[0];
    /// assert!(!rule.applies_in(0)); // `from_phase` is "1"
    /// assert!(rule.applies_in(1));
    /// # Ok::<(), sanctuary::PlanError>(())
    /// ```
    pub fn applies_in(&self, phase: usize) -> bool {
        phase >= self.from_phase && self.until_phase.is_none_or(|u| phase < u)
    }

    /// Does the rule apply in this phase at this time (Unix seconds, if known)? A rule
    /// with time windows never applies at an unknown time.
    ///
    /// # Example
    /// ```
    /// let plan = sanctuary::Plan::from_json_str(r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0,
    ///     "windows": [{"days": ["mon"], "from": "08:00", "to": "17:00"}]}],
    ///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 500}]}"#)?;
    /// let rule = &plan.zone_plans()[0].rules[0];
    /// let t = |s| sanctuary::parse_rfc3339(s);
    /// assert!(rule.applies_at(0, t("2027-03-01T09:00:00Z"))); // a Monday morning
    /// assert!(!rule.applies_at(0, t("2027-03-02T09:00:00Z"))); // Tuesday
    /// assert!(!rule.applies_at(0, None)); // unknown time: a windowed rule never applies
    /// # Ok::<(), sanctuary::PlanError>(())
    /// ```
    pub fn applies_at(&self, phase: usize, unix_s: Option<i64>) -> bool {
        self.applies_in(phase) && windows_allow(&self.windows, unix_s)
    }

    /// Does the rule list this class?
    ///
    /// # Example
    /// ```
    /// use sanctuary::TargetClass;
    /// let plan = sanctuary::Plan::from_json_str(r#"{"name": "demo",
    ///   "phases": [{"id": "0", "name": "prep"}, {"id": "1", "name": "live"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "from_phase": "1", "standoff_m": 0}],
    ///   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    ///     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// let rule = &plan.zone_plans()[0].rules[0];
    /// assert!(rule.allows_class(TargetClass::Uas));
    /// assert!(!rule.allows_class(TargetClass::MannedAircraft));
    /// # Ok::<(), sanctuary::PlanError>(())
    /// ```
    pub fn allows_class(&self, class: TargetClass) -> bool {
        self.class_mask & class.bit() != 0
    }
}

/// How a zone takes part in a plan.
///
/// # Example
/// ```
/// let plan = sanctuary::Plan::safe_haven()?;
/// let volyn = plan.index().handle("UA-07").ok_or("no UA-07")?;
/// let zp = &plan.zone_plans()[volyn.index()];
/// assert_eq!((zp.active_from, zp.active_until), (1, None));
/// assert!(!zp.rules.is_empty() && zp.windows.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZonePlan {
    /// First phase in which the zone is active.
    pub active_from: usize,
    /// First phase in which it is no longer active, if any.
    pub active_until: Option<usize>,
    /// The zone's rules (empty for exclusions).
    pub rules: Vec<Rule>,
    /// UTC windows in which the zone is in force, besides its phases; empty means always.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<TimeWindow>,
}

impl ZonePlan {
    /// Is the zone active in this phase (ignoring time windows)?
    ///
    /// # Example
    /// ```
    /// use sanctuary::ZonePlan;
    /// let zp = ZonePlan { active_from: 1, active_until: Some(3), rules: vec![], windows: vec![] };
    /// assert!(!zp.active_in(0));
    /// assert!(zp.active_in(1) && zp.active_in(2));
    /// assert!(!zp.active_in(3)); // `active_until` is excluded
    /// ```
    pub fn active_in(&self, phase: usize) -> bool {
        phase >= self.active_from && self.active_until.is_none_or(|u| phase < u)
    }

    /// Is the zone in force in this phase at this time (Unix seconds, if known)?
    ///
    /// Time windows are resolved conservatively: at an unknown time a windowed
    /// sanctuary is *not* in force, while a windowed exclusion *is*.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{TimeWindow, ZoneKind, ZonePlan};
    /// let windows = vec![TimeWindow::Interval { start_unix_s: 100, end_unix_s: 200 }];
    /// let zp = ZonePlan { active_from: 0, active_until: None, rules: vec![], windows };
    /// assert!(zp.active_at(0, ZoneKind::Sanctuary, Some(150)));
    /// assert!(!zp.active_at(0, ZoneKind::Sanctuary, Some(200)));
    /// // At an unknown time the conservative answer depends on the kind.
    /// assert!(!zp.active_at(0, ZoneKind::Sanctuary, None));
    /// assert!(zp.active_at(0, ZoneKind::Exclusion, None));
    /// ```
    pub fn active_at(&self, phase: usize, kind: ZoneKind, unix_s: Option<i64>) -> bool {
        if !self.active_in(phase) {
            return false;
        }
        match (kind, unix_s) {
            (ZoneKind::Exclusion, None) => true,
            _ => windows_allow(&self.windows, unix_s),
        }
    }
}

/// A plan's content hash: the SHA-256 digest of its canonical byte encoding. It displays
/// and (de)serialises as 64 lowercase hex digits; it is a plain 32-byte value, so every
/// decision carries a copy without an allocation.
///
/// # The canonical encoding
///
/// The hash covers everything that affects a decision, and nothing that depends on how the
/// plan was written or on how the binary was built (serde_json's features, map order,
/// number formatting, whitespace, file layout, the description). It is computed from bytes
/// written field by field in a fixed order:
///
/// - **scalars**: `u64`, `i64`, `u16` little-endian; indices and lengths as `u64`; an enum
///   as one byte, its variant's position in this list: classes `cruise_missile` 0,
///   `ballistic_missile` 1, `uas` 2, `manned_aircraft` 3, `unknown` 4; weapons `hold` 0,
///   `tight` 1, `free` 2; kinds `sanctuary` 0, `exclusion` 1; edges `plate_carree` 0,
///   `great_circle` 1;
/// - **`f64`**: its IEEE 754 bits (`to_bits`) little-endian, except that **-0.0 is written
///   as 0.0**: the two compare equal and every predicate treats them alike, so plans that
///   differ only in the sign of a zero decide alike and hash alike (a plan holds no NaN or
///   infinity: validation refuses them);
/// - **strings**: the UTF-8 length as `u64`, then the bytes;
/// - **options**: one byte, 0 for none, or 1 followed by the value;
/// - **lists**: the length as `u64`, then each item.
///
/// The plan is then: the version tag `"sanctuary/plan-hash/v1"` (as a string), the plan's
/// name; the phases (id, name, optional start as Unix seconds `i64`); the partners (id,
/// optional name, excluded classes, minimum standoff); the zones in id order, each as its
/// normalised spec ([`Zone::to_spec`]: id, optional name, kind, edges, geometry: byte 0
/// and the rings of a polygon (each ring a list of `[lon, lat]`), byte 1 and the polygons
/// of a multipolygon, byte 2 and the centre and radius of a circle; optional band of
/// optional floor and ceiling) followed by its zone plan (first phase index, optional end
/// phase index, rules, windows). A rule is its first phase index, optional end phase
/// index, classes, weapons, band (optional floor, optional ceiling), standoff, optional
/// list of partner indices, windows; a window is byte 0 and start and end (`i64`), or
/// byte 1 and the day mask (one byte), start and end minutes (`u16`).
///
/// The embedded plan's hash is pinned by a test (`tests/seams`), and a separate crate
/// (`tests/feature-probe`) checks it under other serde_json features.
///
/// # Example
/// ```
/// let plan = sanctuary::Plan::safe_haven()?;
/// let hash = plan.hash();
/// let hex = hash.to_string();
/// assert!(hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
/// assert_eq!(hex.parse::<sanctuary::PlanHash>()?, *hash);
/// assert_eq!(serde_json::to_string(hash)?, format!("\"{hex}\""));
/// assert!("not hex".parse::<sanctuary::PlanHash>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlanHash(pub [u8; 32]);

impl fmt::Display for PlanHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// A text that is not 64 hex digits, given as a [`PlanHash`].
///
/// # Example
/// ```
/// let err = "abc".parse::<sanctuary::PlanHash>().unwrap_err();
/// assert_eq!(err.to_string(), "a plan hash is 64 hex digits, not `abc`");
/// // A sign is not a digit, and the text is echoed escaped.
/// assert!("+a".repeat(32).parse::<sanctuary::PlanHash>().is_err());
/// let err = "a\nb".parse::<sanctuary::PlanHash>().unwrap_err();
/// assert_eq!(err.to_string(), "a plan hash is 64 hex digits, not `a\\u{000A}b`");
/// // Either case of hex digit; shown in lower case.
/// let hash: sanctuary::PlanHash = "AB".repeat(32).parse()?;
/// assert_eq!(hash.to_string(), "ab".repeat(32));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a plan hash is 64 hex digits, not `{0}`")]
pub struct PlanHashError(pub String);

impl std::str::FromStr for PlanHash {
    type Err = PlanHashError;
    fn from_str(s: &str) -> Result<PlanHash, PlanHashError> {
        // The text is echoed bounded and escaped (it may hold anything).
        let bad = || {
            PlanHashError(crate::geometry::id::escape_id(
                &s.chars().take(80).collect::<String>(),
            ))
        };
        // Exactly 64 hex digits: `from_str_radix` alone would also take a sign (`+f`).
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let digit = |b: u8| match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => b.to_ascii_lowercase().wrapping_sub(b'a').wrapping_add(10),
        };
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(s.as_bytes().chunks_exact(2)) {
            if let [hi, lo] = pair {
                *byte = digit(*hi) << 4 | digit(*lo);
            }
        }
        Ok(PlanHash(out))
    }
}

impl Serialize for PlanHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PlanHash {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<PlanHash, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A plan failed to load or validate. `place` is the path in the plan file, e.g.
/// `zones[3].rules[1].from_phase`.
///
/// # Example
/// ```
/// use sanctuary::{Plan, PlanError};
/// assert!(matches!(Plan::from_json_str("{"), Err(PlanError::Syntax { .. })));
/// let err = Plan::from_json_str(r#"{"name": "x", "phases": [], "zones": []}"#).unwrap_err();
/// assert!(matches!(err, PlanError::Invalid { .. }));
/// assert_eq!(err.to_string(), "phases: a plan needs at least one phase");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum PlanError {
    /// The plan file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The plan is not valid JSON or does not have the plan's structure.
    Syntax {
        /// Path in the file where parsing failed (`.` for the top).
        place: String,
        /// What the parser said, with line and column.
        message: String,
    },
    /// A value is invalid or a reference does not resolve.
    Invalid {
        /// Path in the file.
        place: String,
        /// What is wrong.
        message: String,
    },
    /// A zone's geometry failed to load or validate.
    Zone {
        /// Path in the file.
        place: String,
        /// The underlying error.
        source: LoadError,
    },
    /// The plan's content hash is not the one the caller pinned.
    HashMismatch {
        /// The pinned hash.
        expected: String,
        /// The plan's hash.
        actual: String,
    },
}

/// Messages are complete: a wrapped error's message is part of the wrapper's, so
/// `source()` returns `None` (match the variant to reach the wrapped error); a place is
/// written once, even when the wrapped error names a place inside it.
impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Io { path, source } => write!(f, "cannot read plan `{}`: {source}", path.display()),
            PlanError::Syntax { place, message } | PlanError::Invalid { place, message } => {
                write!(f, "{place}: {message}")
            }
            PlanError::Zone { place, source } => match source.place() {
                // The inner place is the more precise: it alone.
                Some(inner) if inner.starts_with(place.as_str()) => write!(f, "{source}"),
                // The outer place is the more precise: it alone, then the inner message.
                Some(inner) if place.starts_with(inner) => write!(f, "{place}: {}", source.message()),
                _ => write!(f, "{place}: {source}"),
            },
            PlanError::HashMismatch { expected, actual } => {
                write!(f, "plan hash `{actual}` does not match the expected `{expected}`")
            }
        }
    }
}

impl std::error::Error for PlanError {}

impl PlanError {
    fn invalid(place: impl Into<String>, message: impl Into<String>) -> Self {
        PlanError::Invalid {
            place: place.into(),
            message: message.into(),
        }
    }

    /// The path in the plan file where the problem is, when there is one.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Plan, PlanError};
    /// let err = Plan::from_json_str(r#"{"name": "x", "phases": [{"id": "0", "name": "a"}], "zones": []}"#)
    ///     .unwrap_err();
    /// assert_eq!(err.place(), Some("zones"));
    /// let pinned = PlanError::HashMismatch { expected: "00".into(), actual: "11".into() };
    /// assert_eq!(pinned.place(), None);
    /// ```
    pub fn place(&self) -> Option<&str> {
        match self {
            PlanError::Syntax { place, .. }
            | PlanError::Invalid { place, .. }
            | PlanError::Zone { place, .. } => Some(place),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------
// The file format.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    name: String,
    #[serde(default)]
    description: Option<String>,
    phases: Vec<PhaseFile>,
    #[serde(default)]
    partners: Vec<PartnerFile>,
    #[serde(default)]
    default_rules: Vec<RuleFile>,
    zones: Vec<ZoneFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhaseFile {
    id: String,
    name: String,
    #[serde(default)]
    start: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartnerFile {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    excluded_classes: Vec<TargetClass>,
    #[serde(default)]
    min_standoff_m: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    from_phase: Option<String>,
    #[serde(default)]
    until_phase: Option<String>,
    classes: Vec<TargetClass>,
    weapons: WeaponsStatus,
    #[serde(default)]
    floor_m: Option<f64>,
    #[serde(default)]
    ceiling_m: Option<f64>,
    standoff_m: f64,
    #[serde(default)]
    partners: Option<Vec<String>>,
    #[serde(default)]
    windows: Vec<WindowFile>,
}

/// A time window in a plan file: an interval or a weekly schedule (UTC, half-open).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
enum WindowFile {
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

fn resolve_windows(place: &str, windows: &[WindowFile]) -> Result<Vec<TimeWindow>, PlanError> {
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
            .map_err(|m| PlanError::invalid(format!("{place}.windows[{k}]"), m))
        })
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceRef {
    file: String,
    feature: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneFile {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    kind: ZoneKind,
    #[serde(default)]
    edges: Option<EdgeModel>,
    #[serde(default)]
    geometry: Option<serde_json::Value>,
    #[serde(default)]
    radius_m: Option<f64>,
    #[serde(default)]
    source: Option<SourceRef>,
    #[serde(default)]
    floor_m: Option<f64>,
    #[serde(default)]
    ceiling_m: Option<f64>,
    #[serde(default)]
    active_from: Option<String>,
    #[serde(default)]
    active_until: Option<String>,
    #[serde(default)]
    rules: Option<Vec<RuleFile>>,
    #[serde(default)]
    windows: Vec<WindowFile>,
}

/// Where `source` files of a plan come from.
enum Sources<'a> {
    /// Built into the binary: (file name, contents).
    Embedded(&'a [(&'a str, &'a str)]),
    /// A directory on disk; references must stay inside it.
    Dir(&'a Path),
}

// ---------------------------------------------------------------------------------------
// The validated plan.

/// A validated plan: phases, partners, zones (in a [`ZoneIndex`]) and each zone's
/// activation and rules, with a stable content hash.
///
/// # Example
/// ```
/// let plan = sanctuary::Plan::safe_haven()?;
/// assert_eq!(plan.phases().len(), 7);
/// assert_eq!(plan.phase_index("3"), Some(3));
/// assert_eq!(plan.hash().to_string().len(), 64);
/// # Ok::<(), sanctuary::PlanError>(())
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
    /// # Ok::<(), sanctuary::PlanError>(())
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
    /// use sanctuary::{Plan, PlanError};
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
    /// use sanctuary::{Plan, PlanError};
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
    /// use sanctuary::{Plan, PlanError};
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
    /// assert!(matches!(err, PlanError::Invalid { .. }));
    /// assert_eq!(err.place(), Some("default_rules[0].from_phase"));
    /// # Ok::<(), sanctuary::PlanError>(())
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
        let file: PlanFile = serde_path_to_error::deserialize(de).map_err(|e| PlanError::Syntax {
            place: e.path().to_string(),
            message: e.inner().to_string(),
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
    /// # Ok::<(), sanctuary::PlanError>(())
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
    /// # Ok::<(), sanctuary::PlanError>(())
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
    /// # Ok::<(), sanctuary::PlanError>(())
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
    /// # Ok::<(), sanctuary::PlanError>(())
    /// ```
    pub fn partners(&self) -> &[Partner] {
        &self.partners
    }
    /// The zone index.
    ///
    /// # Example
    /// ```
    /// use sanctuary::Position;
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
    /// # Ok::<(), sanctuary::PlanError>(())
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
    /// # Ok::<(), sanctuary::PlanError>(())
    /// ```
    pub fn hash(&self) -> &PlanHash {
        &self.hash
    }
    /// Index of the phase with this id.
    ///
    /// # Example
    /// ```
    /// let plan = sanctuary::Plan::from_json_str(r#"{"name": "demo",
    ///   "phases": [{"id": "0", "name": "prep"}, {"id": "1", "name": "live"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "from_phase": "1", "standoff_m": 0}],
    ///   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    ///     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// assert_eq!(plan.phase_index("1"), Some(1));
    /// assert_eq!(plan.phase_index("live"), None); // ids, not names
    /// # Ok::<(), sanctuary::PlanError>(())
    /// ```
    pub fn phase_index(&self, id: &str) -> Option<usize> {
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
    /// # Ok::<(), sanctuary::PlanError>(())
    /// ```
    pub fn partner_index(&self, id: &str) -> Option<usize> {
        self.partners.iter().position(|p| p.id == id)
    }
    /// The phase in force at a time (Unix seconds): the last phase whose start is at or
    /// before it. `None` before the first start, or when phases have no start times.
    ///
    /// # Example
    /// ```
    /// use sanctuary::parse_rfc3339;
    /// let plan = sanctuary::Plan::safe_haven()?;
    /// let at = |s| parse_rfc3339(s).and_then(|t| plan.phase_at(t));
    /// assert_eq!(at("2026-12-31T23:59:59Z"), None);
    /// assert_eq!(at("2027-06-01T00:00:00Z"), Some(3));
    /// assert_eq!(at("2030-01-01T00:00:00Z"), Some(6));
    /// # Ok::<(), sanctuary::PlanError>(())
    /// ```
    pub fn phase_at(&self, unix_s: i64) -> Option<usize> {
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

fn build(file: PlanFile, sources: &Sources<'_>) -> Result<Plan, PlanError> {
    if file.phases.is_empty() {
        return Err(PlanError::invalid("phases", "a plan needs at least one phase"));
    }
    if file.zones.is_empty() {
        return Err(PlanError::invalid("zones", "a plan needs at least one zone"));
    }
    // Phases.
    let mut phase_ids: HashMap<&str, usize> = HashMap::new();
    let mut phases = Vec::with_capacity(file.phases.len());
    let with_start = file.phases.iter().filter(|p| p.start.is_some()).count();
    for (i, p) in file.phases.iter().enumerate() {
        if let Err(problem) = check_id(&p.id) {
            return Err(PlanError::invalid(
                format!("phases[{i}].id"),
                format!("invalid phase id: {problem}"),
            ));
        }
        if phase_ids.insert(&p.id, i).is_some() {
            return Err(PlanError::invalid(
                format!("phases[{i}].id"),
                format!("duplicate phase id `{}`", p.id),
            ));
        }
        let start_unix_s = match &p.start {
            None if with_start > 0 => {
                return Err(PlanError::invalid(
                    format!("phases[{i}].start"),
                    "missing start: give every phase a start time or none",
                ))
            }
            None => None,
            Some(s) => Some(parse_rfc3339(s).ok_or_else(|| {
                PlanError::invalid(
                    format!("phases[{i}].start"),
                    format!("`{s}` is not an RFC 3339 time like `2027-01-01T00:00:00Z`"),
                )
            })?),
        };
        if let (Some(prev), Some(s)) = (phases.last().and_then(|q: &Phase| q.start_unix_s), start_unix_s) {
            if s < prev {
                return Err(PlanError::invalid(
                    format!("phases[{i}].start"),
                    "phase starts must not go back in time",
                ));
            }
        }
        phases.push(Phase {
            id: p.id.clone(),
            name: p.name.clone(),
            start_unix_s,
        });
    }
    let phase_ref = |place: String, id: &str| -> Result<usize, PlanError> {
        phase_ids
            .get(id)
            .copied()
            .ok_or_else(|| PlanError::invalid(place, format!("unknown phase `{}`", escape_id(id))))
    };
    // Partners.
    let mut partner_ids: HashMap<&str, usize> = HashMap::new();
    let mut partners = Vec::with_capacity(file.partners.len());
    for (i, p) in file.partners.iter().enumerate() {
        if let Err(problem) = check_id(&p.id) {
            return Err(PlanError::invalid(
                format!("partners[{i}].id"),
                format!("invalid partner id: {problem}"),
            ));
        }
        if partner_ids.insert(&p.id, i).is_some() {
            return Err(PlanError::invalid(
                format!("partners[{i}].id"),
                format!("duplicate partner id `{}`", p.id),
            ));
        }
        let min_standoff_m = p.min_standoff_m.unwrap_or(0.0);
        check_standoff(&format!("partners[{i}].min_standoff_m"), min_standoff_m)?;
        let mut excluded_classes = p.excluded_classes.clone();
        excluded_classes.sort();
        excluded_classes.dedup();
        partners.push(Partner {
            id: p.id.clone(),
            name: p.name.clone(),
            excluded_classes,
            min_standoff_m,
        });
    }
    let resolve_rule = |place: &str, r: &RuleFile| -> Result<Rule, PlanError> {
        let from_phase = match &r.from_phase {
            Some(id) => phase_ref(format!("{place}.from_phase"), id)?,
            None => 0,
        };
        let until_phase = match &r.until_phase {
            Some(id) => Some(phase_ref(format!("{place}.until_phase"), id)?),
            None => None,
        };
        if until_phase.is_some_and(|u| u <= from_phase) {
            return Err(PlanError::invalid(
                format!("{place}.until_phase"),
                "must be a later phase than from_phase",
            ));
        }
        if r.classes.is_empty() {
            return Err(PlanError::invalid(
                format!("{place}.classes"),
                "a rule must allow at least one class",
            ));
        }
        check_standoff(&format!("{place}.standoff_m"), r.standoff_m)?;
        check_band(place, r.floor_m, r.ceiling_m)?;
        let partners = match &r.partners {
            None => None,
            Some(list) => {
                let mut out = Vec::with_capacity(list.len());
                for (k, id) in list.iter().enumerate() {
                    let Some(&pi) = partner_ids.get(id.as_str()) else {
                        return Err(PlanError::invalid(
                            format!("{place}.partners[{k}]"),
                            format!("unknown partner `{}`", escape_id(id)),
                        ));
                    };
                    out.push(pi);
                }
                out.sort_unstable();
                out.dedup();
                Some(out)
            }
        };
        let mut classes = r.classes.clone();
        classes.sort();
        classes.dedup();
        let class_mask = classes.iter().fold(0u8, |m, c| m | c.bit());
        let windows = resolve_windows(place, &r.windows)?;
        Ok(Rule {
            from_phase,
            until_phase,
            classes,
            weapons: r.weapons,
            band: VerticalBand {
                floor_m: r.floor_m,
                ceiling_m: r.ceiling_m,
            },
            standoff_m: r.standoff_m,
            partners,
            windows,
            class_mask,
        })
    };
    let mut default_rules = Vec::with_capacity(file.default_rules.len());
    for (j, r) in file.default_rules.iter().enumerate() {
        default_rules.push(resolve_rule(&format!("default_rules[{j}]"), r)?);
    }
    // Zones.
    let mut cache: HashMap<String, HashMap<String, Zone>> = HashMap::new();
    let mut zone_ids: HashMap<&str, usize> = HashMap::new();
    let mut zones = Vec::with_capacity(file.zones.len());
    let mut plans_by_id: BTreeMap<String, ZonePlan> = BTreeMap::new();
    let mut vertices = 0usize;
    for (i, z) in file.zones.iter().enumerate() {
        let place = format!("zones[{i}]");
        if let Err(problem) = check_id(&z.id) {
            return Err(PlanError::invalid(
                format!("{place}.id"),
                format!("invalid zone id: {problem}"),
            ));
        }
        if let Some(first) = zone_ids.insert(&z.id, i) {
            return Err(PlanError::invalid(
                format!("{place}.id"),
                format!("duplicate zone id `{}` (first used by zones[{first}])", z.id),
            ));
        }
        check_band(&place, z.floor_m, z.ceiling_m)?;
        let geometry = match (&z.geometry, &z.source) {
            (Some(g), None) => {
                crate::geometry::geojson::zone_geometry(
                    &place,
                    &z.id,
                    Some(g),
                    z.radius_m,
                    &format!("{place}.radius_m"),
                )
                .map_err(|source| PlanError::Zone {
                    // Where the inner error names a field inside this zone, that field.
                    place: source
                        .place()
                        .filter(|inner| inner.starts_with(&format!("{place}.")))
                        .map_or_else(|| format!("{place}.geometry"), str::to_string),
                    source,
                })?
            }
            (None, Some(src)) => {
                if z.radius_m.is_some() {
                    return Err(PlanError::invalid(
                        format!("{place}.radius_m"),
                        "`radius_m` goes with an inline Point geometry",
                    ));
                }
                let zone = source_zone(&mut cache, sources, &format!("{place}.source"), src)?;
                zone.to_spec().geometry
            }
            (Some(_), Some(_)) => {
                return Err(PlanError::invalid(
                    &place,
                    "give either `geometry` or `source`, not both",
                ))
            }
            (None, None) => return Err(PlanError::invalid(&place, "missing `geometry` or `source`")),
        };
        let band = (z.floor_m.is_some() || z.ceiling_m.is_some()).then_some(VerticalBand {
            floor_m: z.floor_m,
            ceiling_m: z.ceiling_m,
        });
        let spec = ZoneSpec {
            id: z.id.clone(),
            name: z.name.clone(),
            kind: z.kind,
            edges: z.edges.unwrap_or_default(),
            geometry,
            band,
        };
        let zone = Zone::try_from(spec).map_err(|source| PlanError::Zone {
            place: place.clone(),
            source: LoadError::Zone {
                place: place.clone(),
                source,
            },
        })?;
        vertices = vertices.saturating_add(zone.vertex_count());
        if vertices > MAX_PLAN_VERTICES {
            return Err(PlanError::invalid(
                &place,
                format!("the plan holds more than {MAX_PLAN_VERTICES} vertices"),
            ));
        }
        let active_from = match &z.active_from {
            Some(id) => phase_ref(format!("{place}.active_from"), id)?,
            None => 0,
        };
        let active_until = match &z.active_until {
            Some(id) => Some(phase_ref(format!("{place}.active_until"), id)?),
            None => None,
        };
        if active_until.is_some_and(|u| u <= active_from) {
            return Err(PlanError::invalid(
                format!("{place}.active_until"),
                "must be a later phase than active_from",
            ));
        }
        let rules = match (z.kind, &z.rules) {
            (ZoneKind::Exclusion, Some(_)) => {
                return Err(PlanError::invalid(
                    format!("{place}.rules"),
                    "an exclusion has no rules: it always denies",
                ))
            }
            (ZoneKind::Exclusion, None) => Vec::new(),
            (ZoneKind::Sanctuary, Some(rules)) => {
                let mut out = Vec::with_capacity(rules.len());
                for (j, r) in rules.iter().enumerate() {
                    out.push(resolve_rule(&format!("{place}.rules[{j}]"), r)?);
                }
                out
            }
            (ZoneKind::Sanctuary, None) => {
                if default_rules.is_empty() {
                    return Err(PlanError::invalid(
                        format!("{place}.rules"),
                        "a sanctuary needs rules (its own or the plan's default_rules)",
                    ));
                }
                default_rules.clone()
            }
        };
        let windows = resolve_windows(&place, &z.windows)?;
        plans_by_id.insert(
            z.id.clone(),
            ZonePlan {
                active_from,
                active_until,
                rules,
                windows,
            },
        );
        zones.push(zone);
    }
    let index = ZoneIndex::new(zones).map_err(|e| PlanError::invalid("zones", e.to_string()))?;
    // Zone plans in handle (id) order.
    let zone_plans: Vec<ZonePlan> = plans_by_id.into_values().collect();
    let specs: Vec<(ZoneSpec, &ZonePlan)> = index
        .zones()
        .iter()
        .map(Zone::to_spec)
        .zip(zone_plans.iter())
        .collect();
    let hash = crate::rules::plan::hash::content_hash(&file.name, &phases, &partners, &specs);
    let nearby = NearbyZones::build(&index, MARGIN_HORIZON_M);
    let phase_ids = phases.iter().map(|p| Id::from(&p.id)).collect();
    let zone_ids = index.zones().iter().map(|z| Id::from(z.id())).collect();
    Ok(Plan {
        name: file.name,
        description: file.description,
        phases,
        partners,
        index,
        zone_plans,
        hash,
        nearby,
        phase_ids,
        zone_ids,
    })
}

fn check_band(place: &str, floor: Option<f64>, ceiling: Option<f64>) -> Result<(), PlanError> {
    use crate::geometry::limits::{MAX_ALTITUDE_M, MIN_ALTITUDE_M};
    for (name, v) in [("floor_m", floor), ("ceiling_m", ceiling)] {
        if v.is_some_and(|v| !v.is_finite()) {
            return Err(PlanError::invalid(
                format!("{place}.{name}"),
                "must be a finite number",
            ));
        }
        if let Some(v) = v.filter(|v| !(MIN_ALTITUDE_M..=MAX_ALTITUDE_M).contains(v)) {
            return Err(PlanError::invalid(
                format!("{place}.{name}"),
                format!(
                    "altitude `{}` m is outside [{}, {}] m",
                    Num(v),
                    Num(MIN_ALTITUDE_M),
                    Num(MAX_ALTITUDE_M)
                ),
            ));
        }
    }
    if let (Some(f), Some(c)) = (floor, ceiling) {
        if f > c {
            return Err(PlanError::invalid(
                format!("{place}.floor_m"),
                format!("floor `{}` m is above ceiling `{}` m", Num(f), Num(c)),
            ));
        }
    }
    Ok(())
}

/// A standoff is a finite number of metres from 0 to [`MAX_STANDOFF_M`].
fn check_standoff(place: &str, standoff_m: f64) -> Result<(), PlanError> {
    if standoff_m.is_finite() && (0.0..=MAX_STANDOFF_M).contains(&standoff_m) {
        Ok(())
    } else {
        Err(PlanError::invalid(
            place,
            format!(
                "`{}` is not a number of metres from 0 to {}",
                Num(standoff_m),
                Num(MAX_STANDOFF_M)
            ),
        ))
    }
}

/// The largest standoff (m) a rule or a partner may ask for: 1,000 km, beyond the width
/// of any sanctuary.
///
/// # Example
/// ```
/// use sanctuary::{Plan, MAX_STANDOFF_M};
/// let plan = |standoff: f64| Plan::from_json_str(&format!(r#"{{"name": "x", "phases": [{{"id": "0", "name": "a"}}],
///   "default_rules": [{{"classes": ["uas"], "weapons": "tight", "standoff_m": {standoff}}}],
///   "zones": [{{"id": "z", "geometry": {{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}}}]}}"#));
/// assert!(plan(MAX_STANDOFF_M).is_ok());
/// let err = plan(1e300).unwrap_err();
/// assert_eq!(err.to_string(), "default_rules[0].standoff_m: `1e300` is not a number of metres from 0 to 1000000");
/// ```
pub const MAX_STANDOFF_M: f64 = 1_000_000.0;

/// The zone of a `source` reference, loading (and caching) its file.
fn source_zone<'c>(
    cache: &'c mut HashMap<String, HashMap<String, Zone>>,
    sources: &Sources<'_>,
    place: &str,
    src: &SourceRef,
) -> Result<&'c Zone, PlanError> {
    if !cache.contains_key(&src.file) {
        let zones = match sources {
            Sources::Embedded(files) => {
                let Some((_, text)) = files.iter().find(|(name, _)| *name == src.file) else {
                    return Err(PlanError::invalid(
                        format!("{place}.file"),
                        format!("no embedded zone file `{}`", src.file),
                    ));
                };
                crate::geometry::geojson::zones_from_geojson_str(text)
            }
            Sources::Dir(dir) => {
                let path = confined_path(dir, &src.file)
                    .map_err(|m| PlanError::invalid(format!("{place}.file"), m))?;
                crate::geometry::geojson::zones_from_geojson_file(path)
            }
        }
        .map_err(|source| PlanError::Zone {
            place: format!("{place}.file"),
            source,
        })?;
        let by_id = zones.into_iter().map(|z| (z.id().to_string(), z)).collect();
        cache.insert(src.file.clone(), by_id);
    }
    cache
        .get(&src.file)
        .and_then(|m| m.get(&src.feature))
        .ok_or_else(|| {
            PlanError::invalid(
                format!("{place}.feature"),
                format!("no feature with id `{}` in `{}`", src.feature, src.file),
            )
        })
}

/// Resolves `rel` inside `dir`, refusing absolute paths, `..`, and symlinks that escape.
fn confined_path(dir: &Path, rel: &str) -> Result<PathBuf, String> {
    let rel_path = Path::new(rel);
    if rel.is_empty()
        || rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(format!(
            "`{rel}` must be a relative path inside the plan's directory (no absolute paths or `..`)"
        ));
    }
    let base = dir
        .canonicalize()
        .map_err(|e| format!("cannot resolve the plan's directory: {e}"))?;
    let full = base
        .join(rel_path)
        .canonicalize()
        .map_err(|e| format!("cannot open `{rel}`: {e}"))?;
    if !full.starts_with(&base) {
        return Err(format!("`{rel}` resolves outside the plan's directory"));
    }
    Ok(full)
}
