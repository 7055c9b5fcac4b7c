//! The rule engine: one call, [`Engine::decide`], answers whether a track point may be
//! engaged, with every reason and the plan hash. It never returns an error: whenever no
//! decision can safely be reached, the answer is [`Verdict::Deny`] with the reasons.

use crate::geometry::geodesy::geodesic_destination;
use crate::geometry::id::Id;
use crate::geometry::kernel::Position;
use crate::geometry::limits::{MAX_ALTITUDE_M, MIN_ALTITUDE_M};
use crate::geometry::zone::ZoneKind;
use crate::index::nearby::UNSHARED;
use crate::index::ZoneHandle;
use crate::rules::plan::{Identity, Plan, PlanHash, TargetClass, ZonePlan, MARGIN_HORIZON_M};
use geo_types::Coord;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::fmt;
use std::sync::Arc;

/// A track's velocity over the ground.
///
/// # Example
/// ```
/// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track, Verdict};
/// let engine = Engine::new(Plan::safe_haven()?);
/// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
/// let t = lviv.clone().with_intercept(250.0, 90.0, 60.0);
/// assert_eq!(t.velocity, Some(sanctuary::Velocity { speed_mps: 250.0, heading_deg: 90.0 }));
/// assert!(engine.decide(&t, "1", None).is_permit()); // 15 km east, still well inside
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Velocity {
    /// Speed, metres per second (≥ 0).
    pub speed_mps: f64,
    /// Heading, degrees clockwise from true north.
    pub heading_deg: f64,
}

/// One track point to decide on.
///
/// # Example
/// ```
/// use sanctuary::{Identity, TargetClass, Track};
/// let t = Track::new("t1", 24.03, 49.84, 500.0, TargetClass::Uas, Identity::Hostile)
///     .with_uncertainty(250.0);
/// assert_eq!(t.uncertainty_m, Some(250.0));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Track {
    /// Caller's id, echoed in the decision.
    pub id: Id,
    /// WGS84 longitude, degrees.
    pub lon: f64,
    /// WGS84 latitude, degrees.
    pub lat: f64,
    /// Altitude, metres (same datum as the plan's bands).
    pub alt_m: f64,
    /// Time of the point, Unix seconds (UTC), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_unix_s: Option<f64>,
    /// What the track is.
    pub class: TargetClass,
    /// How it is identified.
    pub identity: Identity,
    /// Radius (m) of the horizontal position uncertainty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty_m: Option<f64>,
    /// Velocity, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub velocity: Option<Velocity>,
    /// Time to intercept (s); with a velocity, defines the predicted intercept point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tti_s: Option<f64>,
}

impl Track {
    /// A track with the required fields and no optional ones.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Identity, TargetClass, Track};
    /// let t = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Suspect);
    /// assert_eq!((t.lon, t.lat, t.uncertainty_m), (30.0, 50.0, None));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        id: impl Into<Id>,
        lon: f64,
        lat: f64,
        alt_m: f64,
        class: TargetClass,
        identity: Identity,
    ) -> Self {
        Track {
            id: id.into(),
            lon,
            lat,
            alt_m,
            time_unix_s: None,
            class,
            identity,
            uncertainty_m: None,
            velocity: None,
            tti_s: None,
        }
    }

    /// Sets the position uncertainty radius (m).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Identity, TargetClass, Track};
    /// let t = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile).with_uncertainty(300.0);
    /// assert_eq!(t.uncertainty_m, Some(300.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_uncertainty(mut self, metres: f64) -> Self {
        self.uncertainty_m = Some(metres);
        self
    }

    /// Sets velocity and time to intercept.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Identity, TargetClass, Track};
    /// let t = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile).with_intercept(200.0, 0.0, 30.0);
    /// assert_eq!(t.tti_s, Some(30.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_intercept(mut self, speed_mps: f64, heading_deg: f64, tti_s: f64) -> Self {
        self.velocity = Some(Velocity {
            speed_mps,
            heading_deg,
        });
        self.tti_s = Some(tti_s);
        self
    }

    /// Sets the time (Unix seconds).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Identity, TargetClass, Track};
    /// let t = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile).at_time(1.8e9);
    /// assert_eq!(t.time_unix_s, Some(1.8e9));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn at_time(mut self, unix_s: f64) -> Self {
        self.time_unix_s = Some(unix_s);
        self
    }

    /// Is the track usable? The same as [`Track::validate`] returning `Ok`.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Identity, TargetClass, Track};
    /// let ok = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile);
    /// assert!(ok.is_valid());
    /// assert!(!Track { lat: 91.0, ..ok.clone() }.is_valid());
    /// assert!(!ok.with_uncertainty(f64::NAN).is_valid());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_valid(&self) -> bool {
        // The same checks as `validate`, as one branch-light expression: this runs once per
        // decision, and the detailed error is only worked out for an invalid track.
        let within = |v: f64, lo: f64, hi: f64| lo <= v && v <= hi; // false for NaN
        let opt = |v: Option<f64>, lo: f64, hi: f64| v.is_none_or(|v| within(v, lo, hi));
        self.id.is_valid_id()
            & within(self.lon, -180.0, 180.0)
            & within(self.lat, -90.0, 90.0)
            & within(self.alt_m, MIN_ALTITUDE_M, MAX_ALTITUDE_M)
            & opt(self.time_unix_s, MIN_TIME_UNIX_S, MAX_TIME_UNIX_S)
            & opt(self.uncertainty_m, 0.0, MAX_UNCERTAINTY_M)
            & opt(self.tti_s, 0.0, MAX_TTI_S)
            & (self.velocity.is_some() == self.tti_s.is_some())
            & self.velocity.is_none_or(|v| {
                within(v.speed_mps, 0.0, MAX_SPEED_MPS) & within(v.heading_deg, -360.0, 360.0)
            })
    }

    /// Checks every field, and says which one is unusable: the id (see
    /// [`crate::geometry::id::check_id`]: not empty, at most [`crate::MAX_ID_BYTES`] bytes, no control
    /// characters); a non-finite number; a latitude beyond ±90 or a longitude beyond ±180;
    /// an altitude outside [`MIN_ALTITUDE_M`, `MAX_ALTITUDE_M`]; a time outside the years
    /// 0001–9999; an uncertainty, speed or time to intercept that is negative or beyond
    /// [`MAX_UNCERTAINTY_M`], [`MAX_SPEED_MPS`], [`MAX_TTI_S`]; a heading outside
    /// [-360, 360]; and intercept data that is not whole (a velocity without a time to
    /// intercept, or the reverse). The engine decides an invalid track
    /// [`Reason::InvalidTrack`], whatever its position.
    ///
    /// # Errors
    /// The first problem found, as a [`TrackError`] naming the field.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Identity, TargetClass, Track, TrackError};
    /// let ok = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile);
    /// assert_eq!(ok.validate(), Ok(()));
    /// let mut half = ok.clone();
    /// half.tti_s = Some(30.0); // a time to intercept, but no velocity
    /// assert_eq!(half.validate(), Err(TrackError::IncompleteIntercept { missing: "speed_mps, heading_deg" }));
    /// assert_eq!(half.validate().unwrap_err().to_string(), "intercept data needs speed_mps, heading_deg too");
    /// let anonymous = Track { id: "".into(), ..ok };
    /// assert!(matches!(anonymous.validate(), Err(TrackError::Id(_))));
    /// ```
    pub fn validate(&self) -> Result<(), TrackError> {
        if self.is_valid() {
            return Ok(());
        }
        crate::geometry::id::check_id(&self.id).map_err(TrackError::Id)?;
        let check = |field: &'static str, v: f64, lo: f64, hi: f64| -> Result<(), TrackError> {
            if !v.is_finite() {
                Err(TrackError::NonFinite { field })
            } else if !(lo..=hi).contains(&v) {
                Err(TrackError::OutOfRange {
                    field,
                    value: v,
                    min: lo,
                    max: hi,
                })
            } else {
                Ok(())
            }
        };
        check("lon", self.lon, -180.0, 180.0)?;
        check("lat", self.lat, -90.0, 90.0)?;
        check("alt_m", self.alt_m, MIN_ALTITUDE_M, MAX_ALTITUDE_M)?;
        if let Some(t) = self.time_unix_s {
            check("time_unix_s", t, MIN_TIME_UNIX_S, MAX_TIME_UNIX_S)?;
        }
        if let Some(u) = self.uncertainty_m {
            check("uncertainty_m", u, 0.0, MAX_UNCERTAINTY_M)?;
        }
        if let Some(v) = self.velocity {
            check("speed_mps", v.speed_mps, 0.0, MAX_SPEED_MPS)?;
            check("heading_deg", v.heading_deg, -360.0, 360.0)?;
        }
        if let Some(t) = self.tti_s {
            check("tti_s", t, 0.0, MAX_TTI_S)?;
        }
        match (self.velocity, self.tti_s) {
            (Some(_), None) => Err(TrackError::IncompleteIntercept { missing: "tti_s" }),
            (None, Some(_)) => Err(TrackError::IncompleteIntercept {
                missing: "speed_mps, heading_deg",
            }),
            // Unreachable when `is_valid` is false; were it reached, the track is still not
            // decided (`is_valid` alone decides that).
            _ => Ok(()),
        }
    }
}

/// The largest position uncertainty (m) a track may carry (1,000 km).
///
/// # Example
/// ```
/// use sanctuary::{Identity, TargetClass, Track, MAX_UNCERTAINTY_M};
/// let t = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile);
/// assert!(!t.with_uncertainty(MAX_UNCERTAINTY_M * 2.0).is_valid());
/// ```
pub const MAX_UNCERTAINTY_M: f64 = 1_000_000.0;

/// The largest speed (m/s) a track may have: above orbital speed.
///
/// # Example
/// ```
/// use sanctuary::{Identity, TargetClass, Track, MAX_SPEED_MPS};
/// let t = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile);
/// assert!(!t.with_intercept(MAX_SPEED_MPS + 1.0, 0.0, 10.0).is_valid());
/// ```
pub const MAX_SPEED_MPS: f64 = 12_000.0;

/// The longest time to intercept (s) a track may give: one hour.
///
/// # Example
/// ```
/// use sanctuary::{Identity, TargetClass, Track, MAX_TTI_S};
/// let t = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile);
/// assert!(!t.with_intercept(100.0, 0.0, MAX_TTI_S + 1.0).is_valid());
/// ```
pub const MAX_TTI_S: f64 = 3_600.0;

/// 0001-01-01T00:00:00Z in Unix seconds: the earliest track time.
const MIN_TIME_UNIX_S: f64 = -62_135_596_800.0;
/// 9999-12-31T23:59:59Z in Unix seconds: the latest track time.
const MAX_TIME_UNIX_S: f64 = 253_402_300_799.0;

/// Why a track cannot be decided as given (see [`Track::validate`]).
///
/// # Example
/// ```
/// use sanctuary::{Identity, TargetClass, Track, TrackError};
/// let t = Track::new("t", 30.0, 95.0, 100.0, TargetClass::Uas, Identity::Hostile);
/// let err = t.validate().unwrap_err();
/// assert_eq!(err, TrackError::OutOfRange { field: "lat", value: 95.0, min: -90.0, max: 90.0 });
/// assert_eq!(err.to_string(), "`lat` is 95, outside [-90, 90]");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum TrackError {
    /// The id is not usable.
    Id(crate::geometry::id::IdProblem),
    /// A number is NaN or infinite.
    NonFinite {
        /// The field (as in the CSV columns: `lon`, `alt_m`, `speed_mps`, ...).
        field: &'static str,
    },
    /// A number is outside its range.
    OutOfRange {
        /// The field.
        field: &'static str,
        /// The value given.
        value: f64,
        /// The smallest allowed value.
        min: f64,
        /// The largest allowed value.
        max: f64,
    },
    /// Intercept data is speed, heading and time to intercept together; some are missing.
    IncompleteIntercept {
        /// The missing fields.
        missing: &'static str,
    },
}

impl fmt::Display for TrackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::geometry::id::Num;
        match self {
            TrackError::Id(problem) => write!(f, "`id`: {problem}"),
            TrackError::NonFinite { field } => write!(f, "`{field}` is not a finite number"),
            TrackError::OutOfRange {
                field,
                value,
                min,
                max,
            } => write!(
                f,
                "`{field}` is {}, outside [{}, {}]",
                Num(*value),
                Num(*min),
                Num(*max)
            ),
            TrackError::IncompleteIntercept { missing } => write!(f, "intercept data needs {missing} too"),
        }
    }
}

impl std::error::Error for TrackError {}

/// Permit or deny.
///
/// # Example
/// ```
/// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track, Verdict};
/// let engine = Engine::new(Plan::safe_haven()?);
/// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
/// assert_eq!(engine.decide(&lviv, "1", None).verdict, Verdict::Permit);
/// assert_eq!(engine.decide(&lviv, "0", None).verdict, Verdict::Deny);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The track may be engaged: an active sanctuary contains it strictly, a rule allows
    /// it, the standoff holds and nothing excludes it.
    Permit,
    /// The track may not be engaged. This is also the answer whenever no decision can
    /// safely be reached (invalid input, unknown phase, anything unexpected).
    Deny,
}

/// Why a decision denies. Codes are stable snake_case strings.
///
/// # Example
/// ```
/// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track, Verdict};
/// let engine = Engine::new(Plan::safe_haven()?);
/// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
/// let d = engine.decide(&lviv, "0", None);
/// assert_eq!(d.reasons, vec![Reason::OutsideActiveSanctuary]);
/// assert_eq!(serde_json::to_string(&d.reasons)?, r#"["outside_active_sanctuary"]"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The track's numbers are unusable (non-finite, out of range, unknown class).
    InvalidTrack,
    /// The phase asked for is not in the plan.
    UnknownPhase,
    /// No phase is in force at the track's time.
    NoActivePhase,
    /// The point is in no active sanctuary.
    OutsideActiveSanctuary,
    /// The point lies on an active sanctuary's boundary (not inside).
    OnBoundary,
    /// An active exclusion contains or touches the point or its uncertainty disc.
    InsideExclusion,
    /// No rule of the zone applies in this phase.
    NoApplicableRule,
    /// The rules do not list this target class.
    ClassNotAuthorised,
    /// Weapons hold: nothing is engaged.
    WeaponsHold,
    /// The identity does not meet the weapon control status.
    IdentityNotHostile,
    /// The altitude is outside the rule's or zone's band.
    AltitudeOutsideBand,
    /// The partner is unknown or not allowed under the rules.
    PartnerNotAuthorised,
    /// The partner's own caveats exclude this class.
    PartnerCaveat,
    /// Distance inside the sanctuary area minus uncertainty is below the standoff.
    StandoffNotMet,
    /// The predicted intercept point is not strictly inside the sanctuary area with the
    /// standoff met.
    PredictedPointOutside,
    /// An active exclusion contains or touches the predicted intercept point (or its
    /// uncertainty disc).
    PredictedPointInExclusion,
}

impl Reason {
    /// The stable code.
    ///
    /// # Example
    /// ```
    /// use sanctuary::Reason;
    /// assert_eq!(Reason::StandoffNotMet.as_str(), "standoff_not_met");
    /// assert_eq!(Reason::InsideExclusion.to_string(), "inside_exclusion");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::InvalidTrack => "invalid_track",
            Reason::UnknownPhase => "unknown_phase",
            Reason::NoActivePhase => "no_active_phase",
            Reason::OutsideActiveSanctuary => "outside_active_sanctuary",
            Reason::OnBoundary => "on_boundary",
            Reason::InsideExclusion => "inside_exclusion",
            Reason::NoApplicableRule => "no_applicable_rule",
            Reason::ClassNotAuthorised => "class_not_authorised",
            Reason::WeaponsHold => "weapons_hold",
            Reason::IdentityNotHostile => "identity_not_hostile",
            Reason::AltitudeOutsideBand => "altitude_outside_band",
            Reason::PartnerNotAuthorised => "partner_not_authorised",
            Reason::PartnerCaveat => "partner_caveat",
            Reason::StandoffNotMet => "standoff_not_met",
            Reason::PredictedPointOutside => "predicted_point_outside",
            Reason::PredictedPointInExclusion => "predicted_point_in_exclusion",
        }
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }

    const ALL: [Reason; 16] = [
        Reason::InvalidTrack,
        Reason::UnknownPhase,
        Reason::NoActivePhase,
        Reason::OutsideActiveSanctuary,
        Reason::OnBoundary,
        Reason::InsideExclusion,
        Reason::NoApplicableRule,
        Reason::ClassNotAuthorised,
        Reason::WeaponsHold,
        Reason::IdentityNotHostile,
        Reason::AltitudeOutsideBand,
        Reason::PartnerNotAuthorised,
        Reason::PartnerCaveat,
        Reason::StandoffNotMet,
        Reason::PredictedPointOutside,
        Reason::PredictedPointInExclusion,
    ];
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of reasons, kept as bits so that order never depends on evaluation order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Reasons(u32);

impl Reasons {
    fn add(&mut self, r: Reason) {
        self.0 |= r.bit();
    }
    fn union(&mut self, other: Reasons) {
        self.0 |= other.0;
    }
    fn is_empty(self) -> bool {
        self.0 == 0
    }
    fn count(self) -> u32 {
        self.0.count_ones()
    }
    fn to_vec(self) -> Vec<Reason> {
        let mut out = Vec::with_capacity(self.count() as usize);
        // Lowest bit first: the order of `Reason::ALL`, which is the bits' order.
        let mut bits = self.0;
        while bits != 0 {
            if let Some(&r) = Reason::ALL.get(bits.trailing_zeros() as usize) {
                out.push(r);
            }
            bits &= bits - 1;
        }
        out
    }
}

/// The answer for one track: verdict, deciding zone, phase, every reason, margin and the
/// plan's hash.
///
/// # Example
/// ```
/// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track, Verdict};
/// let engine = Engine::new(Plan::safe_haven()?);
/// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
/// let d = engine.decide(&lviv, "1", None);
/// assert_eq!((d.zone.as_deref(), d.phase.as_deref()), (Some("UA-46"), Some("1")));
/// assert_eq!(&d.plan_hash, engine.plan().hash());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The track's id.
    pub track_id: Id,
    /// Permit or deny.
    pub verdict: Verdict,
    /// The deciding zone: for a permit the sanctuary whose rule permits (smallest
    /// standoff, then smallest id); for a deny the zone that was considered, if any.
    pub zone: Option<Id>,
    /// The phase the decision was made in.
    pub phase: Option<Id>,
    /// Every reason that applies, in a fixed order; empty for a permit. When a zone's
    /// rules all refuse the track, the reasons are those of the rule(s) that came closest
    /// to allowing it (fewest failing checks); across several zones, their union.
    pub reasons: Vec<Reason>,
    /// Distance inside the sanctuary area's edge minus the uncertainty, metres (negative
    /// when the uncertainty disc crosses the edge); `None` when no zone was considered.
    ///
    /// The distance is measured exactly out to [`MARGIN_HORIZON_M`] (or further, when the
    /// standoff plus the uncertainty needs it); a track farther inside than that is
    /// reported at the horizon, a lower bound. For a denied track inside a sanctuary whose
    /// rules refuse it, the distance is to that zone's own boundary.
    pub margin_m: Option<f64>,
    /// Is `margin_m` a lower bound rather than a measurement? True when the track is
    /// farther inside the sanctuary area than the engine measures
    /// ([`MARGIN_HORIZON_M`], or the standoff plus the uncertainty when larger): the
    /// margin then reports that horizon minus the uncertainty, and the true margin is at
    /// least that. False when the margin was measured, or there is none.
    #[serde(default, skip_serializing_if = "is_false")]
    pub margin_is_lower_bound: bool,
    /// The active exclusion that denied the track, when one did
    /// ([`Reason::InsideExclusion`] or [`Reason::PredictedPointInExclusion`]): one that
    /// contains or touches the point, else the nearest one within its uncertainty disc,
    /// else the same for the predicted intercept point; among equals, the smallest id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusion: Option<Id>,
    /// The plan's content hash.
    pub plan_hash: PlanHash,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Decision {
    /// Is this a permit?
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track, Verdict};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// assert!(engine.decide(&lviv, "1", None).is_permit());
    /// assert!(!engine.decide(&lviv, "nope", None).is_permit());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_permit(&self) -> bool {
        self.verdict == Verdict::Permit
    }

    /// The reasons as codes joined by `;`.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track, Verdict};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// let friend = Track { identity: Identity::Friend, alt_m: 40_000.0, ..lviv.clone() };
    /// assert_eq!(engine.decide(&friend, "1", None).reason_codes(), "identity_not_hostile;altitude_outside_band");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reason_codes(&self) -> String {
        self.reasons
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(";")
    }
}

/// Decides engagement under a validated [`Plan`]. Cheap to clone and share across threads.
///
/// # Example
/// ```
/// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track};
/// let engine = Engine::new(Plan::safe_haven()?);
/// // A hostile drone over Lviv in phase 1: permitted.
/// let drone = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
/// let d = engine.decide(&drone, "1", None);
/// assert!(d.is_permit(), "{:?}", d.reasons);
/// assert_eq!(d.zone.as_deref(), Some("UA-46"));
/// // Over Kharkiv nothing is a sanctuary: denied, with the reason.
/// let east = Track::new("d2", 36.23, 49.99, 800.0, TargetClass::Uas, Identity::Hostile);
/// let d = engine.decide(&east, "6", None);
/// assert!(!d.is_permit());
/// assert_eq!(d.reasons, vec![Reason::OutsideActiveSanctuary]);
/// # Ok::<(), sanctuary::PlanError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Engine {
    plan: Arc<Plan>,
}

/// What a decision found at one point.
#[derive(Debug, Default)]
struct Survey {
    inside: Handles,
    boundary: Handles,
    /// The active exclusion that contains or touches the point (smallest id), else the
    /// nearest one within the uncertainty disc.
    excluded: Option<ZoneHandle>,
}

/// Handles kept inline, without touching the allocator, until there are more than a
/// point usually has zones around it.
#[derive(Debug)]
struct Handles {
    inline: [ZoneHandle; 8],
    len: usize,
    spilled: Vec<ZoneHandle>,
}

impl Default for Handles {
    fn default() -> Self {
        Handles {
            inline: [ZoneHandle(0); 8],
            len: 0,
            spilled: Vec::new(),
        }
    }
}

impl Handles {
    fn push(&mut self, h: ZoneHandle) {
        if self.len < self.inline.len() {
            if let Some(slot) = self.inline.get_mut(self.len) {
                *slot = h;
            }
        } else {
            if self.spilled.is_empty() {
                self.spilled.extend_from_slice(&self.inline);
            }
            self.spilled.push(h);
        }
        self.len += 1;
    }

    fn as_mut_slice(&mut self) -> &mut [ZoneHandle] {
        if self.len <= self.inline.len() {
            self.inline.get_mut(..self.len).unwrap_or_default()
        } else {
            &mut self.spilled
        }
    }

    fn as_slice(&self) -> &[ZoneHandle] {
        if self.len <= self.inline.len() {
            self.inline.get(..self.len).unwrap_or_default()
        } else {
            &self.spilled
        }
    }

    fn sort(&mut self) {
        self.as_mut_slice().sort_unstable();
    }

    fn iter(&self) -> impl Iterator<Item = ZoneHandle> + '_ {
        self.as_slice().iter().copied()
    }

    fn first(&self) -> Option<ZoneHandle> {
        self.as_slice().first().copied()
    }
}

/// Zone verdicts worked out on first use and remembered for the rest of one decision (the
/// first few zones looked at; any more are worked out again, with the same result).
struct Verdicts<F> {
    seen: [Cell<Option<(ZoneHandle, ZoneVerdict)>>; 8],
    compute: F,
}

impl<F: Fn(ZoneHandle) -> ZoneVerdict> Verdicts<F> {
    fn new(compute: F) -> Self {
        Verdicts {
            seen: Default::default(),
            compute,
        }
    }

    fn get(&self, h: ZoneHandle) -> ZoneVerdict {
        for slot in &self.seen {
            match slot.get() {
                Some((k, v)) if k == h => return v,
                Some(_) => {}
                None => {
                    let v = (self.compute)(h);
                    slot.set(Some((h, v)));
                    return v;
                }
            }
        }
        (self.compute)(h)
    }
}

/// What the rules of one zone say about a track's attributes (not its position).
#[derive(Debug, Clone, Copy)]
enum ZoneVerdict {
    /// Not an active sanctuary in this phase.
    Inactive,
    /// An active sanctuary whose rules allow the track, needing this standoff.
    Allows { standoff_m: f64 },
    /// An active sanctuary whose rules all refuse the track, for these reasons.
    Refuses(Reasons),
}

impl Engine {
    /// An engine for a validated plan.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track, Verdict};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// assert_eq!(engine.plan().phases().len(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(plan: Plan) -> Self {
        Engine { plan: Arc::new(plan) }
    }

    /// An engine sharing an already shared plan.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track, Verdict};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// let shared = std::sync::Arc::new(Plan::safe_haven()?);
    /// let a = Engine::from_arc(shared.clone());
    /// let b = Engine::from_arc(shared);
    /// assert_eq!(a.decide(&lviv, "1", None), b.decide(&lviv, "1", None));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_arc(plan: Arc<Plan>) -> Self {
        Engine { plan }
    }

    /// The plan.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track, Verdict};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// assert_eq!(engine.plan().name(), "Safe Haven (illustrative)");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Decides on a track in the phase with id `phase`, for an optional partner.
    ///
    /// Never fails: invalid input is a [`Verdict::Deny`] with [`Reason::InvalidTrack`],
    /// an unknown phase a deny with [`Reason::UnknownPhase`].
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track, Verdict};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// assert!(engine.decide(&lviv, "1", Some("POL")).is_permit());
    /// assert_eq!(engine.decide(&lviv, "1", Some("XXX")).reasons, vec![Reason::PartnerNotAuthorised]);
    /// assert_eq!(engine.decide(&lviv, "9", None).reasons, vec![Reason::UnknownPhase]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide(&self, track: &Track, phase: &str, partner: Option<&str>) -> Decision {
        match self.plan.phase_index(phase) {
            Some(i) => self.decide_in(track, i, partner),
            None => self.deny_early(track, None, Reason::UnknownPhase),
        }
    }

    /// Decides on a track in the phase in force at the track's time.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track, Verdict};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// let march = sanctuary::parse_rfc3339("2027-03-01T12:00:00Z").unwrap() as f64; // phase 1
    /// let d = engine.decide_at_track_time(&lviv.clone().at_time(march), None);
    /// assert_eq!(d.phase.as_deref(), Some("1"));
    /// assert_eq!(engine.decide_at_track_time(&lviv, None).reasons, vec![Reason::InvalidTrack]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide_at_track_time(&self, track: &Track, partner: Option<&str>) -> Decision {
        let Some(t) = track.time_unix_s.filter(|t| t.is_finite()) else {
            return self.deny_early(track, None, Reason::InvalidTrack);
        };
        match self.plan.phase_at(t.floor() as i64) {
            Some(i) => self.decide_in(track, i, partner),
            None => self.deny_early(track, None, Reason::NoActivePhase),
        }
    }

    /// Decides on each track of a slice in the same phase, in order. With the `rayon`
    /// feature the tracks are shared among rayon's threads; the decisions are the same.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Engine, Identity, Plan, TargetClass, Track};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let tracks = vec![
    ///     Track::new("a", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile),
    ///     Track::new("b", 36.23, 49.99, 800.0, TargetClass::Uas, Identity::Hostile),
    /// ];
    /// let decisions = engine.decide_many(&tracks, "1", None);
    /// assert!(decisions[0].is_permit() && !decisions[1].is_permit());
    /// # Ok::<(), sanctuary::PlanError>(())
    /// ```
    pub fn decide_many(&self, tracks: &[Track], phase: &str, partner: Option<&str>) -> Vec<Decision> {
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            tracks
                .par_iter()
                .map(|t| self.decide(t, phase, partner))
                .collect()
        }
        #[cfg(not(feature = "rayon"))]
        {
            tracks.iter().map(|t| self.decide(t, phase, partner)).collect()
        }
    }

    /// A deny made before any zone was considered.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track, Verdict};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// let d = engine.deny_early(&lviv, Some(1), Reason::InvalidTrack);
    /// assert_eq!((d.verdict, d.phase.as_deref()), (Verdict::Deny, Some("1")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn deny_early(&self, track: &Track, phase: Option<usize>, reason: Reason) -> Decision {
        Decision {
            track_id: track.id.clone(),
            verdict: Verdict::Deny,
            zone: None,
            phase: phase.and_then(|i| self.plan.phase_id(i)).cloned(),
            reasons: vec![reason],
            margin_m: None,
            margin_is_lower_bound: false,
            exclusion: None,
            plan_hash: *self.plan.hash(),
        }
    }

    /// Decides in the phase with index `phase`.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Engine, Identity, Plan, Reason, TargetClass, Track, Verdict};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// assert_eq!(engine.decide_in(&lviv, 1, None), engine.decide(&lviv, "1", None));
    /// assert_eq!(engine.decide_in(&lviv, 99, None).reasons, vec![Reason::UnknownPhase]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide_in(&self, track: &Track, phase: usize, partner: Option<&str>) -> Decision {
        if phase >= self.plan.phases().len() {
            return self.deny_early(track, None, Reason::UnknownPhase);
        }
        if !track.is_valid() {
            return self.deny_early(track, Some(phase), Reason::InvalidTrack);
        }
        let plan = &*self.plan;
        let index = plan.index();
        // An unknown partner is authorised nowhere; keep evaluating so every reason shows.
        let partner = match partner {
            None => Ok(None),
            Some(id) => plan.partner_index(id).map(Some).ok_or(()),
        };
        // Whole seconds decide time windows; a given time is finite here (validated above).
        let time = track.time_unix_s.map(|t| t.floor() as i64);
        let at = (phase, time);
        let p = Coord {
            x: track.lon,
            y: track.lat,
        };
        let uncertainty = track.uncertainty_m.unwrap_or(0.0);
        let mut reasons = Reasons::default();

        let here = self.survey(p, uncertainty, at);
        let mut exclusion = here.excluded;
        if exclusion.is_some() {
            reasons.add(Reason::InsideExclusion);
        }
        let Some(first_inside) = here.inside.first() else {
            // Not strictly inside any active sanctuary.
            let (zone, margin) = match here.boundary.first() {
                Some(h) => {
                    reasons.add(Reason::OnBoundary);
                    (Some(h), Some(-uncertainty))
                }
                None => {
                    reasons.add(Reason::OutsideActiveSanctuary);
                    (None, None)
                }
            };
            let margin = Margin {
                metres: margin,
                lower_bound: false,
            };
            return self.finish(track, phase, reasons, zone, margin, exclusion);
        };

        // What each zone's rules say about this track, worked out only for the zones the
        // decision looks at.
        let verdicts = Verdicts::new(|h: ZoneHandle| {
            zone_verdict(
                plan,
                index.zone(h),
                plan.zone_plans().get(h.index()),
                at,
                track,
                partner,
            )
        });
        // The sanctuaries here whose rules allow this track; pick the smallest standoff.
        let mut best: Option<(ZoneHandle, f64)> = None;
        let mut refusals = Reasons::default();
        for h in here.inside.iter() {
            match verdicts.get(h) {
                ZoneVerdict::Allows { standoff_m } if best.is_none_or(|(_, s)| standoff_m < s) => {
                    best = Some((h, standoff_m));
                }
                ZoneVerdict::Allows { .. } | ZoneVerdict::Inactive => {}
                ZoneVerdict::Refuses(r) => refusals.union(r),
            }
        }
        let Some((deciding, standoff_m)) = best else {
            reasons.union(refusals);
            let own = |h: ZoneHandle| h == first_inside;
            let measured = if index.interior_lower_bound_m(first_inside, p) >= MARGIN_HORIZON_M {
                None
            } else {
                index.distance_to_union_boundary_within(p, MARGIN_HORIZON_M, own)
            };
            let margin = Margin {
                metres: Some(measured.unwrap_or(MARGIN_HORIZON_M) - uncertainty),
                lower_bound: measured.is_none(),
            };
            return self.finish(track, phase, reasons, Some(first_inside), margin, exclusion);
        };

        // Measure the distance to the area's edge out to the horizon (or as far as the
        // standoff needs): beyond it, the horizon itself is a lower bound.
        let horizon = MARGIN_HORIZON_M.max(standoff_m + uncertainty);
        let allows = |h: ZoneHandle| matches!(verdicts.get(h), ZoneVerdict::Allows { .. });
        // The area contains every allowing zone here: deep inside one of them, the edge of
        // the area is beyond the horizon and no search is needed.
        let deep = here
            .inside
            .iter()
            .any(|h| allows(h) && index.interior_lower_bound_m(h, p) >= horizon)
            || self.all_near_allow(p, horizon, &allows);
        let measured = if deep {
            None
        } else {
            index.distance_to_union_boundary_within(p, horizon, allows)
        };
        let margin = measured.unwrap_or(horizon) - uncertainty;
        if margin < standoff_m {
            reasons.add(Reason::StandoffNotMet);
        }

        if let (Some(v), Some(tti)) = (track.velocity, track.tti_s) {
            let (qlon, qlat) = geodesic_destination(track.lon, track.lat, v.heading_deg, v.speed_mps * tti);
            let (there, there_exclusion) =
                self.predicted_point_reasons(Coord { x: qlon, y: qlat }, uncertainty, at, &verdicts);
            reasons.union(there);
            exclusion = exclusion.or(there_exclusion);
        }
        let margin = Margin {
            metres: Some(margin),
            lower_bound: measured.is_none(),
        };
        self.finish(track, phase, reasons, Some(deciding), margin, exclusion)
    }

    /// Does the predicted point satisfy the same rules: strictly inside an allowing
    /// sanctuary, standoff met within the sanctuary area, no exclusion touched? Returns the
    /// reasons it does not (empty when it does), and the exclusion it touches, if any.
    fn predicted_point_reasons<F: Fn(ZoneHandle) -> ZoneVerdict>(
        &self,
        q: Coord<f64>,
        uncertainty: f64,
        at: (usize, Option<i64>),
        verdicts: &Verdicts<F>,
    ) -> (Reasons, Option<ZoneHandle>) {
        let mut reasons = Reasons::default();
        if !(q.x.is_finite()
            && q.y.is_finite()
            && (-180.0..=180.0).contains(&q.x)
            && (-90.0..=90.0).contains(&q.y))
        {
            reasons.add(Reason::PredictedPointOutside);
            return (reasons, None);
        }
        let there = self.survey(q, uncertainty, at);
        if there.excluded.is_some() {
            reasons.add(Reason::PredictedPointInExclusion);
        }
        let standoff = there
            .inside
            .iter()
            .filter_map(|h| match verdicts.get(h) {
                ZoneVerdict::Allows { standoff_m } => Some(standoff_m),
                _ => None,
            })
            .fold(None, |acc: Option<f64>, s| Some(acc.map_or(s, |a| a.min(s))));
        let Some(standoff) = standoff else {
            reasons.add(Reason::PredictedPointOutside);
            return (reasons, there.excluded);
        };
        let allows = |h: ZoneHandle| matches!(verdicts.get(h), ZoneVerdict::Allows { .. });
        let needed = standoff + uncertainty;
        let index = self.plan.index();
        let deep = there
            .inside
            .iter()
            .any(|h| allows(h) && index.interior_lower_bound_m(h, q) >= needed)
            || self.all_near_allow(q, needed, &allows);
        if deep {
            return (reasons, there.excluded);
        }
        // Any edge of the area closer than `needed` fails the predicted point.
        if let Some(d) = index.distance_to_union_boundary_within(q, needed, allows) {
            if d < needed {
                reasons.add(Reason::PredictedPointOutside);
            }
        }
        (reasons, there.excluded)
    }

    /// Is every boundary piece within `radius_m` of `p` (a point inside the sanctuary
    /// area) a border between two zones that both allow the track? Then the area's edge is
    /// farther than `radius_m` (see [`crate::index::nearby`]). `false` when that is not known.
    fn all_near_allow(&self, p: Coord<f64>, radius_m: f64, allows: &impl Fn(ZoneHandle) -> bool) -> bool {
        self.plan
            .nearby()
            .near(p, radius_m)
            .is_some_and(|zones| zones.iter().all(|&z| z != UNSHARED && allows(ZoneHandle(z))))
    }

    /// One pass over the zones at `p`: the active sanctuaries that strictly contain it and
    /// those on whose boundary it lies (each sorted by id), and whether an active exclusion
    /// contains or touches it or comes within `uncertainty` of it.
    fn survey(&self, p: Coord<f64>, uncertainty: f64, (phase, time): (usize, Option<i64>)) -> Survey {
        let plan = &*self.plan;
        let index = plan.index();
        let active = |h: ZoneHandle, kind: ZoneKind| {
            plan.zone_plans()
                .get(h.index())
                .is_some_and(|zp| zp.active_at(phase, kind, time))
        };
        let mut out = Survey::default();
        index.visit_at(p, |h, pos| {
            let kind = index.zone(h).kind();
            if !active(h, kind) {
                return;
            }
            match (kind, pos) {
                // Handles come in no fixed order here: keep the smallest (the smallest id).
                (ZoneKind::Exclusion, _) => out.excluded = Some(out.excluded.map_or(h, |e| e.min(h))),
                (ZoneKind::Sanctuary, Position::Inside) => out.inside.push(h),
                (ZoneKind::Sanctuary, _) => out.boundary.push(h),
            }
        });
        if out.excluded.is_none() && uncertainty > 0.0 {
            let is_active_exclusion = |h: ZoneHandle| {
                let kind = index.zone(h).kind();
                kind == ZoneKind::Exclusion && active(h, kind)
            };
            // Most places have no exclusion boundary anywhere near: settled without a search.
            let maybe = plan.nearby().near(p, uncertainty).is_none_or(|zones| {
                zones
                    .iter()
                    .any(|&z| z != UNSHARED && is_active_exclusion(ZoneHandle(z)))
            });
            // The point is outside every active exclusion here, so the nearest exclusion
            // boundary is the nearest point of any exclusion: one search names it.
            if maybe {
                out.excluded = index.nearest_member_within(p, uncertainty, is_active_exclusion);
            }
        }
        out.inside.sort();
        out.boundary.sort();
        out
    }

    fn finish(
        &self,
        track: &Track,
        phase: usize,
        reasons: Reasons,
        zone: Option<ZoneHandle>,
        margin: Margin,
        exclusion: Option<ZoneHandle>,
    ) -> Decision {
        Decision {
            track_id: track.id.clone(),
            verdict: if reasons.is_empty() {
                Verdict::Permit
            } else {
                Verdict::Deny
            },
            zone: zone.and_then(|h| self.plan.zone_id(h)).cloned(),
            phase: self.plan.phase_id(phase).cloned(),
            reasons: reasons.to_vec(),
            margin_m: margin.metres,
            margin_is_lower_bound: margin.lower_bound && margin.metres.is_some(),
            exclusion: exclusion.and_then(|h| self.plan.zone_id(h)).cloned(),
            plan_hash: *self.plan.hash(),
        }
    }
}

/// A decision's margin, and whether it is the horizon's lower bound.
#[derive(Debug, Clone, Copy)]
struct Margin {
    metres: Option<f64>,
    lower_bound: bool,
}

/// What one zone's rules say about the track's class, identity, altitude and partner.
fn zone_verdict(
    plan: &Plan,
    zone: &crate::geometry::zone::Zone,
    zp: Option<&ZonePlan>,
    (phase, time): (usize, Option<i64>),
    track: &Track,
    partner: Result<Option<usize>, ()>,
) -> ZoneVerdict {
    let (kind, zone_band) = (zone.kind(), zone.band());
    let Some(zp) = zp.filter(|zp| kind == ZoneKind::Sanctuary && zp.active_at(phase, kind, time)) else {
        return ZoneVerdict::Inactive;
    };
    let mut refusals = Reasons::default();
    // Failing checks of the closest rule so far.
    let mut closest: Option<u32> = None;
    let mut best: Option<f64> = None;
    let mut any_rule = false;
    for rule in zp.rules.iter().filter(|r| r.applies_at(phase, time)) {
        any_rule = true;
        let mut r = Reasons::default();
        if rule.weapons == crate::rules::plan::WeaponsStatus::Hold {
            r.add(Reason::WeaponsHold);
        } else if !rule.weapons.allows(track.identity) {
            r.add(Reason::IdentityNotHostile);
        }
        if !rule.allows_class(track.class) {
            r.add(Reason::ClassNotAuthorised);
        }
        if !rule.band.contains(track.alt_m) || zone_band.is_some_and(|b| !b.contains(track.alt_m)) {
            r.add(Reason::AltitudeOutsideBand);
        }
        let mut standoff = rule.standoff_m;
        match partner {
            Err(()) => r.add(Reason::PartnerNotAuthorised),
            Ok(None) => {
                if rule.partners.is_some() {
                    r.add(Reason::PartnerNotAuthorised);
                }
            }
            Ok(Some(pi)) => {
                if rule.partners.as_ref().is_some_and(|list| !list.contains(&pi)) {
                    r.add(Reason::PartnerNotAuthorised);
                }
                if let Some(partner) = plan.partners().get(pi) {
                    if partner.excluded_classes.contains(&track.class) {
                        r.add(Reason::PartnerCaveat);
                    }
                    standoff = standoff.max(partner.min_standoff_m);
                } else {
                    r.add(Reason::PartnerNotAuthorised);
                }
            }
        }
        if r.is_empty() {
            best = Some(best.map_or(standoff, |b| b.min(standoff)));
        } else {
            // Report the rules that came closest to allowing: fewest failing checks.
            match closest.map(|c| r.count().cmp(&c)) {
                None | Some(std::cmp::Ordering::Less) => {
                    closest = Some(r.count());
                    refusals = r;
                }
                Some(std::cmp::Ordering::Equal) => refusals.union(r),
                Some(std::cmp::Ordering::Greater) => {}
            }
        }
    }
    match best {
        Some(standoff_m) => ZoneVerdict::Allows { standoff_m },
        None if !any_rule => {
            let mut r = Reasons::default();
            r.add(Reason::NoApplicableRule);
            ZoneVerdict::Refuses(r)
        }
        None => ZoneVerdict::Refuses(refusals),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn reasons_come_out_in_their_fixed_order() {
        let mut all = Reasons::default();
        for r in Reason::ALL.iter().rev() {
            all.add(*r);
        }
        assert_eq!(all.to_vec(), Reason::ALL.to_vec());
        for r in Reason::ALL {
            let mut one = Reasons::default();
            one.add(r);
            assert_eq!(one.to_vec(), vec![r]);
        }
        assert!(Reasons::default().to_vec().is_empty());
    }

    #[test]
    fn is_valid_agrees_with_validate() {
        let ok = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile);
        let bad_numbers = [
            f64::NAN,
            f64::INFINITY,
            -f64::INFINITY,
            -1e300,
            1e300,
            -0.0,
            -1.0,
            0.0,
            5e-324,
        ];
        let mut tracks = vec![ok.clone(), ok.clone().with_intercept(100.0, 90.0, 10.0)];
        for v in bad_numbers {
            tracks.push(Track { lon: v, ..ok.clone() });
            tracks.push(Track { lat: v, ..ok.clone() });
            tracks.push(Track {
                alt_m: v,
                ..ok.clone()
            });
            tracks.push(ok.clone().at_time(v));
            tracks.push(ok.clone().with_uncertainty(v));
            tracks.push(ok.clone().with_intercept(v, 0.0, 10.0));
            tracks.push(ok.clone().with_intercept(10.0, v, 10.0));
            tracks.push(ok.clone().with_intercept(10.0, 0.0, v));
        }
        for (lo, hi) in [(MIN_ALTITUDE_M, MAX_ALTITUDE_M)] {
            for v in [lo, hi, lo - 1.0, hi + 1.0] {
                tracks.push(Track {
                    alt_m: v,
                    ..ok.clone()
                });
            }
        }
        let mut half = ok.clone();
        half.tti_s = Some(1.0);
        tracks.push(half);
        let mut half = ok.clone().with_intercept(1.0, 1.0, 1.0);
        half.tti_s = None;
        tracks.push(half);
        for id in ["", "a\nb", "é", "\u{202e}", &"x".repeat(129), &"x".repeat(128)] {
            tracks.push(Track {
                id: id.into(),
                ..ok.clone()
            });
        }
        for t in tracks {
            // `validate` checks field by field without `is_valid`'s shortcut.
            let slow = {
                let mut u = t.clone();
                u.id = t.id.clone();
                validate_slowly(&u)
            };
            assert_eq!(t.is_valid(), slow.is_ok(), "{t:?}: {slow:?}");
            assert_eq!(t.validate().is_ok(), slow.is_ok(), "{t:?}");
        }
    }

    /// `Track::validate` without the `is_valid` shortcut.
    fn validate_slowly(t: &Track) -> Result<(), ()> {
        let ok = |v: f64, lo: f64, hi: f64| v.is_finite() && lo <= v && v <= hi;
        let fine = crate::geometry::id::check_id(&t.id).is_ok()
            && ok(t.lon, -180.0, 180.0)
            && ok(t.lat, -90.0, 90.0)
            && ok(t.alt_m, MIN_ALTITUDE_M, MAX_ALTITUDE_M)
            && t.time_unix_s
                .is_none_or(|v| ok(v, MIN_TIME_UNIX_S, MAX_TIME_UNIX_S))
            && t.uncertainty_m.is_none_or(|v| ok(v, 0.0, MAX_UNCERTAINTY_M))
            && t.tti_s.is_none_or(|v| ok(v, 0.0, MAX_TTI_S))
            && t.velocity
                .is_none_or(|v| ok(v.speed_mps, 0.0, MAX_SPEED_MPS) && ok(v.heading_deg, -360.0, 360.0))
            && t.velocity.is_some() == t.tti_s.is_some();
        if fine {
            Ok(())
        } else {
            Err(())
        }
    }

    #[test]
    fn engines_plans_and_indexes_are_send_and_sync() {
        assert_send_sync::<Engine>();
        assert_send_sync::<Plan>();
        assert_send_sync::<crate::index::ZoneIndex>();
        assert_send_sync::<Decision>();
    }
}
