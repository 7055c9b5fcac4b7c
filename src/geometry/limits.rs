//! Physical bounds that every zone, rule and track obeys: values beyond them are refused
//! at load (or make a track invalid), with the place named.

/// The largest circle radius accepted, metres.
///
/// # Example
/// ```
/// use sanctuary::{Zone, geometry::{MAX_CIRCLE_RADIUS_M, ZoneGeometry}};
/// assert_eq!(MAX_CIRCLE_RADIUS_M, 2_000_000.0);
/// let too_big = ZoneGeometry::circle(0.0, 0.0, MAX_CIRCLE_RADIUS_M + 1.0);
/// assert!(Zone::builder("c", too_big).build().is_err());
/// ```
pub const MAX_CIRCLE_RADIUS_M: f64 = 2_000_000.0;

/// The lowest altitude (m) a track, a rule's floor or a zone's floor may have: below the
/// deepest ocean floor.
///
/// # Example
/// ```
/// use sanctuary::{Track, geometry::MIN_ALTITUDE_M, plan::{Identity, TargetClass}};
/// let deep = Track::new("t", 30.0, 50.0, MIN_ALTITUDE_M - 1.0, TargetClass::Uas, Identity::Hostile);
/// assert!(!deep.is_valid());
/// ```
pub const MIN_ALTITUDE_M: f64 = -12_000.0;

/// The highest altitude (m) a track, a rule's ceiling or a zone's ceiling may have: above
/// the apogee of any ballistic missile.
///
/// # Example
/// ```
/// use sanctuary::{Track, geometry::MAX_ALTITUDE_M, plan::{Identity, TargetClass}};
/// let t = Track::new("t", 30.0, 50.0, MAX_ALTITUDE_M, TargetClass::BallisticMissile, Identity::Hostile);
/// assert!(t.is_valid());
/// assert!(!Track { alt_m: 1e300, ..t }.is_valid());
/// ```
pub const MAX_ALTITUDE_M: f64 = 2_000_000.0;
