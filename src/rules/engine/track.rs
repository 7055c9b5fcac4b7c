//! Tracks: what the engine decides, and when a track is whole and physical.

use super::*;

/// A track's velocity over the ground.
///
/// # Example
/// ```
/// use sanctuary::{Engine, Plan, Reason, Track, Verdict, plan::{Identity, TargetClass}};
/// let engine = Engine::new(Plan::safe_haven()?);
/// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
/// let t = lviv.clone().with_intercept(250.0, 90.0, 60.0);
/// assert_eq!(t.velocity, Some(sanctuary::engine::Velocity { speed_mps: 250.0, heading_deg: 90.0 }));
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
/// use sanctuary::{Track, plan::{Identity, TargetClass}};
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
    /// use sanctuary::{Track, plan::{Identity, TargetClass}};
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
    /// use sanctuary::{Track, plan::{Identity, TargetClass}};
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
    /// use sanctuary::{Track, plan::{Identity, TargetClass}};
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
    /// use sanctuary::{Track, plan::{Identity, TargetClass}};
    /// let t = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile).at_time(1.8e9);
    /// assert_eq!(t.time_unix_s, Some(1.8e9));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn at_time(mut self, unix_s: f64) -> Self {
        self.time_unix_s = Some(unix_s);
        self
    }

    /// Sets the time from an instant.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Track, plan::{Identity, TargetClass}};
    /// let at: jiff::Timestamp = "2027-03-01T12:00:00.25Z".parse()?;
    /// let t = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile).at_timestamp(at);
    /// let whole = sanctuary::plan::parse_rfc3339("2027-03-01T12:00:00Z")? as f64;
    /// assert_eq!(t.time_unix_s, Some(whole + 0.25));
    /// assert_eq!(t.timestamp(), Some(at));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn at_timestamp(self, at: jiff::Timestamp) -> Self {
        let unix_s = at.as_second() as f64 + f64::from(at.subsec_nanosecond()) / 1e9;
        self.at_time(unix_s)
    }

    /// Sets the time from the system clock's type.
    ///
    /// # Errors
    /// [`TrackError::OutOfRange`] (field `time_unix_s`) for a time outside the years 1 to
    /// 9999.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Track, plan::{Identity, TargetClass}};
    /// let t = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile)
    ///     .at_system_time(std::time::SystemTime::now())?;
    /// assert!(t.time_unix_s.is_some_and(|s| s > 1.7e9));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn at_system_time(self, at: std::time::SystemTime) -> Result<Self, TrackError> {
        let out_of_range = |value: f64| TrackError::OutOfRange {
            field: "time_unix_s",
            value,
            min: MIN_TIME_UNIX_S,
            max: MAX_TIME_UNIX_S,
        };
        let ts = jiff::Timestamp::try_from(at).map_err(|_| out_of_range(f64::INFINITY))?;
        let track = self.at_timestamp(ts);
        match track.time_unix_s {
            Some(t) if (MIN_TIME_UNIX_S..=MAX_TIME_UNIX_S).contains(&t) => Ok(track),
            Some(t) => Err(out_of_range(t)),
            None => Err(out_of_range(f64::NAN)),
        }
    }

    /// The track's time as an instant, when it has one that is one (finite, in range).
    pub fn timestamp(&self) -> Option<jiff::Timestamp> {
        let t = self.time_unix_s.filter(|t| t.is_finite())?;
        let whole = t.floor();
        let nanos = ((t - whole) * 1e9).round() as i32;
        jiff::Timestamp::new(whole as i64, nanos.min(999_999_999)).ok()
    }

    /// Is the track usable? The same as [`Track::validate`] returning `Ok`.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Track, plan::{Identity, TargetClass}};
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
    /// [`crate::id::check_id`]: not empty, at most [`crate::id::MAX_ID_BYTES`] bytes, no control
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
    /// use sanctuary::{Track, engine::TrackError, plan::{Identity, TargetClass}};
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
/// use sanctuary::{Track, engine::MAX_UNCERTAINTY_M, plan::{Identity, TargetClass}};
/// let t = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile);
/// assert!(!t.with_uncertainty(MAX_UNCERTAINTY_M * 2.0).is_valid());
/// ```
pub const MAX_UNCERTAINTY_M: f64 = 1_000_000.0;

/// The largest speed (m/s) a track may have: above orbital speed.
///
/// # Example
/// ```
/// use sanctuary::{Track, engine::MAX_SPEED_MPS, plan::{Identity, TargetClass}};
/// let t = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile);
/// assert!(!t.with_intercept(MAX_SPEED_MPS + 1.0, 0.0, 10.0).is_valid());
/// ```
pub const MAX_SPEED_MPS: f64 = 12_000.0;

/// The longest time to intercept (s) a track may give: one hour.
///
/// # Example
/// ```
/// use sanctuary::{Track, engine::MAX_TTI_S, plan::{Identity, TargetClass}};
/// let t = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile);
/// assert!(!t.with_intercept(100.0, 0.0, MAX_TTI_S + 1.0).is_valid());
/// ```
pub const MAX_TTI_S: f64 = 3_600.0;

/// 0001-01-01T00:00:00Z in Unix seconds: the earliest track time.
pub(super) const MIN_TIME_UNIX_S: f64 = -62_135_596_800.0;
/// 9999-12-31T23:59:59Z in Unix seconds: the latest track time.
pub(super) const MAX_TIME_UNIX_S: f64 = 253_402_300_799.0;

/// Why a track cannot be decided as given (see [`Track::validate`]).
///
/// # Example
/// ```
/// use sanctuary::{Track, engine::TrackError, plan::{Identity, TargetClass}};
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
