//! Following tracks over time: zone entry, exit and crossing events with hysteresis.
//!
//! A [`TrackMonitor`] keeps, per track id, the last position and the zones the track is
//! inside. Each [`TrackMonitor::update`] looks at the geodesic segment from the previous
//! position to the new one and emits [`ZoneEvent`]s:
//!
//! - **Hysteresis.** A track counts as inside a zone once it is at least `hysteresis_m` inside
//!   ([`Zone::signed_distance_m`] ≥ `hysteresis_m`, and strictly inside), and as outside once it
//!   is at least `hysteresis_m` outside (≤ −`hysteresis_m`). In between, the previous state
//!   holds, so a track jittering on a boundary does not flap. The first update of a track sets
//!   its state without events: inside the zones that strictly contain it.
//! - **Entered / Exited** when the state changes, which is decided at the updates (the
//!   measured positions) only. The event's time and position are where the segment meets the
//!   boundary (bisection along the geodesic), or, if the segment starts already past the
//!   boundary, where it meets the hysteresis distance.
//! - **Crossed** when a track outside a zone at both ends of a segment went at least
//!   `hysteresis_m` deep in between (a fast track crossing a zone between two updates). The
//!   deepest excursion is found by branch and bound: the signed distance changes by at most
//!   the distance travelled, so a sub-segment of length `L` whose ends are at depths `a` and `b`
//!   reaches at most `(a + b + L) / 2`, and is skipped when that is below the threshold.
//!   Depths are resolved to [`CROSSING_TOLERANCE_M`]. The event is at the first point found at
//!   that depth.
//!
//! Between updates a track is assumed to follow the geodesic. A chord between two points on
//! a curved boundary dips inside by its sagitta (about `L² / 8r` for steps of length `L` on a
//! circle of radius `r`), so a track *sliding along* a boundary in long steps can be reported
//! as crossing once that exceeds the hysteresis; position noise around one point cannot.
//! This is why entry and exit are never decided on interpolated points.
//!
//! At most one transition per zone per segment is reported (entered, exited, or crossed):
//! updates should be frequent enough that a track does not leave and re-enter a zone between
//! two of them. Events of one update are ordered by time, then zone id; updates of one track
//! must come in time order.
//!
//! **Changing the zone set.** [`TrackMonitor::set_plan_phase`] (another phase, or another
//! plan after a hot swap) and [`TrackMonitor::set_zones`] move a monitor to a new set of
//! zones without losing its tracks: each keeps its last time and position, and its state is
//! worked out again at that position, the track not moving:
//!
//! - in a zone of the new set whose id was in the old set too, by the hysteresis rule above
//!   from the old state (so an unchanged zone keeps its state, and a boundary that moved a
//!   little does not flip it);
//! - in a zone whose id is new, as at first sight: inside if the zone strictly contains it.
//!
//! Each change of state is an event at the track's last time and position, of its own kind,
//! since the track did not cross anything: [`ZoneEventKind::Activated`] when the track is
//! now inside a zone it was not inside before (a zone that came into force around it, or
//! whose boundary moved over it), [`ZoneEventKind::Deactivated`] when it is no longer
//! inside a zone it was inside (a zone gone out of force, or whose boundary moved off it).
//! Such events come ordered by track id, then zone id.
//!
//! Candidate zones for a segment are found by their bounds, by a scan over the zones (the
//! public [`ZoneIndex`] API answers point queries, not box queries): fine for hundreds of
//! zones.

use crate::geometry::error::{IndexError, PointError};
use crate::geometry::zone::{checked_point, Zone};
use crate::index::ZoneIndex;
use crate::rules::plan::PhaseKey;
use crate::rules::plan::Plan;
use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// Depths along a segment are resolved to this many metres when looking for a crossing.
///
/// # Example
/// ```
/// assert_eq!(sanctuary::monitor::CROSSING_TOLERANCE_M, 0.01);
/// ```
pub const CROSSING_TOLERANCE_M: f64 = 0.01;

/// Bounds the work spent looking for one crossing (signed-distance evaluations).
const MAX_EVALUATIONS: usize = 4096;

/// What happened between a track and a zone.
///
/// # Example
/// ```
/// use sanctuary::monitor::ZoneEventKind;
/// assert_eq!(serde_json::to_string(&ZoneEventKind::Entered)?, r#""entered""#);
/// let k: ZoneEventKind = serde_json::from_str(r#""crossed""#)?;
/// assert_eq!(k, ZoneEventKind::Crossed);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ZoneEventKind {
    /// The track is now inside the zone (at least the hysteresis distance deep).
    Entered,
    /// The track is now outside the zone (at least the hysteresis distance out).
    Exited,
    /// The track went through the zone between two updates, outside at both.
    Crossed,
    /// The zone set changed ([`TrackMonitor::set_plan_phase`], [`TrackMonitor::set_zones`])
    /// and the track, where it last was, is now inside this zone: the zone came into force
    /// around it, or its boundary moved over it. The track did not move.
    Activated,
    /// The zone set changed and the track, where it last was, is no longer inside this
    /// zone: the zone went out of force, or its boundary moved off the track. The track did
    /// not move.
    Deactivated,
}

/// One event between a track and a zone.
///
/// # Example
/// ```
/// use sanctuary::{geometry::ZoneGeometry, monitor::{TrackMonitor, ZoneEventKind}, Zone, ZoneIndex};
/// let zone = Zone::builder("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).build()?;
/// let mut monitor = TrackMonitor::new(ZoneIndex::new(vec![zone])?, 0.0);
/// monitor.update("t", 0.0, 29.95, 50.0)?;
/// let events = monitor.update("t", 10.0, 30.0, 50.0)?; // to the centre
/// let e = events.first().ok_or("no event")?;
/// assert_eq!((e.track_id.as_str(), e.zone_id.as_str(), e.kind), ("t", "c", ZoneEventKind::Entered));
/// // Where the segment meets the circle: about 1 km west of the centre.
/// assert!((sanctuary::geometry::geodesic_distance_m(30.0, 50.0, e.lon, e.lat) - 1_000.0).abs() < 1.0);
/// assert!(e.time_unix_s > 5.0 && e.time_unix_s < 10.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneEvent {
    /// The track's id.
    pub track_id: String,
    /// The zone's id.
    pub zone_id: String,
    /// Entered, exited, crossed, or (on a change of the zone set) activated or
    /// deactivated.
    pub kind: ZoneEventKind,
    /// When, Unix seconds (interpolated along the segment).
    pub time_unix_s: f64,
    /// Where: longitude, degrees.
    pub lon: f64,
    /// Where: latitude, degrees.
    pub lat: f64,
}

/// What the monitor knows of one track.
///
/// # Example
/// ```
/// use sanctuary::{geometry::ZoneGeometry, monitor::TrackMonitor, Zone, ZoneIndex};
/// let zone = Zone::builder("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).build()?;
/// let mut monitor = TrackMonitor::new(ZoneIndex::new(vec![zone])?, 50.0);
/// monitor.update("t", 5.0, 30.0, 50.0)?;
/// let status = monitor.track("t").ok_or("unknown track")?;
/// assert_eq!((status.time_unix_s, status.lon, status.lat), (5.0, 30.0, 50.0));
/// assert_eq!(status.inside, vec!["c"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackStatus {
    /// Time of the last update, Unix seconds.
    pub time_unix_s: f64,
    /// Last longitude, degrees.
    pub lon: f64,
    /// Last latitude, degrees.
    pub lat: f64,
    /// Ids of the zones the track is inside (after hysteresis), sorted.
    pub inside: Vec<String>,
}

/// An update was refused; the track's state is unchanged.
///
/// # Example
/// ```
/// use sanctuary::{geometry::PointError, monitor::{MonitorError, TrackMonitor}, ZoneIndex};
/// let mut monitor = TrackMonitor::new(ZoneIndex::new(vec![])?, 0.0);
/// let err = monitor.update("t", 0.0, 200.0, 0.0).unwrap_err();
/// assert!(matches!(err, MonitorError::Point { source: PointError::LongitudeOutOfRange { .. }, .. }));
/// monitor.update("t", 10.0, 0.0, 0.0)?;
/// let err = monitor.update("t", 9.0, 0.0, 0.0).unwrap_err();
/// assert!(matches!(err, MonitorError::Time { last_unix_s, .. } if last_unix_s == 10.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MonitorError {
    /// The position is not a valid lon/lat.
    Point {
        /// The track.
        track_id: String,
        /// What is wrong with the point.
        source: PointError,
    },
    /// The time is not finite, or earlier than the track's last update.
    Time {
        /// The track.
        track_id: String,
        /// The time given.
        time_unix_s: f64,
        /// The last update's time (NaN if none).
        last_unix_s: f64,
    },
    /// The phase is not one of the plan's (an id it does not have, or a handle of another
    /// plan).
    UnknownPhase,
    /// The monitored zones did not make an index (not for the zones of a valid plan,
    /// whose ids are distinct).
    Index(IndexError),
}

impl std::fmt::Display for MonitorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MonitorError::Point { track_id, source } => {
                write!(
                    f,
                    "track `{}`: {source}",
                    crate::geometry::id::escape_id(track_id)
                )
            }
            MonitorError::Time {
                track_id,
                time_unix_s,
                last_unix_s,
            } => write!(
                f,
                "track `{}`: time {} is not finite or is before the last update ({})",
                crate::geometry::id::escape_id(track_id),
                crate::geometry::id::Num(*time_unix_s),
                crate::geometry::id::Num(*last_unix_s)
            ),
            MonitorError::UnknownPhase => write!(f, "not a phase of the plan"),
            MonitorError::Index(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for MonitorError {}

#[derive(Debug, Clone)]
struct State {
    time: f64,
    lon: f64,
    lat: f64,
    inside: BTreeSet<usize>,
}

/// Follows tracks against a set of zones and reports entries, exits and crossings.
///
/// # Example
/// ```
/// use sanctuary::{geometry::ZoneGeometry, monitor::{TrackMonitor, ZoneEventKind}, Zone, ZoneIndex};
/// let zone = Zone::builder("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).build()?;
/// let mut monitor = TrackMonitor::new(ZoneIndex::new(vec![zone])?, 50.0);
/// assert!(monitor.update("t", 0.0, 29.95, 50.0)?.is_empty()); // first sight: state only
/// // One minute later the track is 7 km east: it went straight through the circle.
/// let events = monitor.update("t", 60.0, 30.05, 50.0)?;
/// assert_eq!(events.len(), 1);
/// assert_eq!(events[0].kind, ZoneEventKind::Crossed);
/// assert!(events[0].time_unix_s > 0.0 && events[0].time_unix_s < 60.0);
/// // Time must not go backwards.
/// assert!(monitor.update("t", 30.0, 30.0, 50.0).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct TrackMonitor {
    index: ZoneIndex,
    hysteresis_m: f64,
    tracks: HashMap<String, State>,
}

impl TrackMonitor {
    /// A monitor over every zone of the index. A negative or non-finite hysteresis is
    /// taken as 0.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{monitor::TrackMonitor, ZoneIndex};
    /// assert_eq!(TrackMonitor::new(ZoneIndex::new(vec![])?, 25.0).hysteresis_m(), 25.0);
    /// // A negative or non-finite hysteresis is taken as 0.
    /// assert_eq!(TrackMonitor::new(ZoneIndex::new(vec![])?, f64::NAN).hysteresis_m(), 0.0);
    /// # Ok::<(), sanctuary::index::IndexError>(())
    /// ```
    pub fn new(index: ZoneIndex, hysteresis_m: f64) -> Self {
        let hysteresis_m = if hysteresis_m.is_finite() && hysteresis_m > 0.0 {
            hysteresis_m
        } else {
            0.0
        };
        TrackMonitor {
            index,
            hysteresis_m,
            tracks: HashMap::new(),
        }
    }

    /// A monitor over the zones of a plan active in `phase` (its id or a handle; ignoring
    /// time windows).
    ///
    /// # Errors
    /// [`MonitorError::UnknownPhase`] when the plan has no such phase.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{monitor::TrackMonitor, Plan};
    /// let plan = Plan::safe_haven()?;
    /// let mut monitor = TrackMonitor::for_plan_phase(&plan, "1", 100.0)?;
    /// assert!(TrackMonitor::for_plan_phase(&plan, "9", 100.0).is_err());
    /// monitor.update("d1", 0.0, 24.03, 49.84)?; // Lviv
    /// assert_eq!(monitor.track("d1").unwrap().inside, vec!["UA-46"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn for_plan_phase(
        plan: &Plan,
        phase: impl PhaseKey,
        hysteresis_m: f64,
    ) -> Result<Self, MonitorError> {
        Ok(Self::new(phase_zones(plan, phase)?, hysteresis_m))
    }

    /// Moves the monitor to the zones of a plan active in `phase` (its id or a handle of
    /// that plan; ignoring time windows), as after a phase change or a hot swap of the plan,
    /// keeping every track. Returns the events of the change (see [`TrackMonitor::set_zones`]
    /// and the [module docs](self)).
    ///
    /// # Errors
    /// [`MonitorError::UnknownPhase`] when the plan has no such phase; the monitor is then
    /// unchanged.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{monitor::{TrackMonitor, ZoneEventKind}, Plan};
    /// let plan = Plan::safe_haven()?;
    /// // Phase 0 has no sanctuaries; phase 1 brings Lviv oblast (UA-46) into force.
    /// let mut monitor = TrackMonitor::for_plan_phase(&plan, "0", 100.0)?;
    /// monitor.update("d1", 0.0, 24.03, 49.84)?; // over Lviv
    /// assert!(monitor.track("d1").ok_or("no track")?.inside.is_empty());
    /// let events = monitor.set_plan_phase(&plan, plan.phase("1").ok_or("no phase")?)?;
    /// let e = events.first().ok_or("no event")?;
    /// assert_eq!((e.zone_id.as_str(), e.kind, e.time_unix_s), ("UA-46", ZoneEventKind::Activated, 0.0));
    /// assert_eq!(monitor.track("d1").ok_or("no track")?.inside, vec!["UA-46"]);
    /// // Back to phase 0: the sanctuary goes out of force under the track.
    /// let events = monitor.set_plan_phase(&plan, "0")?;
    /// assert_eq!(events.iter().map(|e| e.kind).collect::<Vec<_>>(), [ZoneEventKind::Deactivated]);
    /// // An unknown phase is refused and changes nothing.
    /// assert!(monitor.set_plan_phase(&plan, "9").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_plan_phase(
        &mut self,
        plan: &Plan,
        phase: impl PhaseKey,
    ) -> Result<Vec<ZoneEvent>, MonitorError> {
        let index = phase_zones(plan, phase)?;
        Ok(self.set_zones(index))
    }

    /// Moves the monitor to another set of zones, keeping every track's last time and
    /// position, and works out again which zones each track is inside, where it last was:
    /// for a zone whose id was monitored before, by the hysteresis rule from the track's
    /// state in it; for a zone with a new id, as at first sight (inside if the zone strictly
    /// contains the point). Returns a [`ZoneEventKind::Activated`] or
    /// [`ZoneEventKind::Deactivated`] event for each change of state, at the track's last
    /// time and position, ordered by track id, then zone id. The hysteresis distance is
    /// kept.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{geometry::ZoneGeometry, monitor::{TrackMonitor, ZoneEventKind}, Zone, ZoneIndex};
    /// let small = Zone::builder("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).build()?;
    /// let mut monitor = TrackMonitor::new(ZoneIndex::new(vec![small])?, 50.0);
    /// let east = sanctuary::geometry::geodesic_destination(30.0, 50.0, 90.0, 1_500.0);
    /// monitor.update("t", 0.0, east.0, east.1)?; // 500 m outside `c`
    /// // `c` grows to 2 km around the track, and `d` comes into force far away.
    /// let big = Zone::builder("c", ZoneGeometry::circle(30.0, 50.0, 2_000.0)).build()?;
    /// let far = Zone::builder("d", ZoneGeometry::circle(31.0, 50.0, 1_000.0)).build()?;
    /// let events = monitor.set_zones(ZoneIndex::new(vec![big, far])?);
    /// assert_eq!(events.len(), 1);
    /// assert_eq!((events[0].zone_id.as_str(), events[0].kind), ("c", ZoneEventKind::Activated));
    /// assert_eq!((events[0].lon, events[0].lat), east);
    /// assert_eq!(monitor.track("t").ok_or("no track")?.inside, vec!["c"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_zones(&mut self, index: ZoneIndex) -> Vec<ZoneEvent> {
        let h = self.hysteresis_m;
        let old_ids: HashMap<&str, usize> = self
            .index
            .zones()
            .iter()
            .enumerate()
            .map(|(i, z)| (z.id(), i))
            .collect();
        let new_ids: HashMap<&str, usize> = index
            .zones()
            .iter()
            .enumerate()
            .map(|(i, z)| (z.id(), i))
            .collect();
        let mut track_ids: Vec<&String> = self.tracks.keys().collect();
        track_ids.sort();
        let mut events = Vec::new();
        let mut states: Vec<(String, BTreeSet<usize>)> = Vec::with_capacity(track_ids.len());
        for track_id in track_ids {
            let Some(state) = self.tracks.get(track_id) else {
                continue;
            };
            let strictly_inside: BTreeSet<usize> = index
                .locate(state.lon, state.lat)
                .map(|loc| loc.inside.iter().map(|z| z.index()).collect())
                .unwrap_or_default();
            let mut inside = BTreeSet::new();
            for (j, zone) in index.zones().iter().enumerate() {
                let now = match old_ids.get(zone.id()) {
                    Some(i) => {
                        let sd = zone
                            .signed_distance_m(state.lon, state.lat)
                            .unwrap_or(f64::NEG_INFINITY);
                        if state.inside.contains(i) {
                            sd > -h
                        } else {
                            sd >= h && sd > 0.0
                        }
                    }
                    None => strictly_inside.contains(&j),
                };
                if now {
                    inside.insert(j);
                }
            }
            // One event per zone id whose state changed, in zone id order.
            let mut changes: Vec<(&str, ZoneEventKind)> = Vec::new();
            for &j in &inside {
                let was = index
                    .zones()
                    .get(j)
                    .and_then(|z| old_ids.get(z.id()))
                    .is_some_and(|i| state.inside.contains(i));
                if let (false, Some(z)) = (was, index.zones().get(j)) {
                    changes.push((z.id(), ZoneEventKind::Activated));
                }
            }
            for &i in &state.inside {
                let Some(z) = self.index.zones().get(i) else {
                    continue;
                };
                if !new_ids.get(z.id()).is_some_and(|j| inside.contains(j)) {
                    changes.push((z.id(), ZoneEventKind::Deactivated));
                }
            }
            changes.sort_by(|a, b| a.0.cmp(b.0));
            events.extend(changes.into_iter().map(|(zone_id, kind)| ZoneEvent {
                track_id: track_id.clone(),
                zone_id: zone_id.to_string(),
                kind,
                time_unix_s: state.time,
                lon: state.lon,
                lat: state.lat,
            }));
            states.push((track_id.clone(), inside));
        }
        for (track_id, inside) in states {
            if let Some(state) = self.tracks.get_mut(&track_id) {
                state.inside = inside;
            }
        }
        self.index = index;
        events
    }

    /// The hysteresis distance, metres.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{monitor::TrackMonitor, ZoneIndex};
    /// let monitor = TrackMonitor::new(ZoneIndex::new(vec![])?, -5.0);
    /// assert_eq!(monitor.hysteresis_m(), 0.0);
    /// # Ok::<(), sanctuary::index::IndexError>(())
    /// ```
    pub fn hysteresis_m(&self) -> f64 {
        self.hysteresis_m
    }

    /// The zones monitored.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{geometry::ZoneKind, monitor::TrackMonitor, Plan};
    /// let plan = Plan::safe_haven()?;
    /// // Phase 0 is preparation: only the neighbours' exclusions are active.
    /// let phase0 = TrackMonitor::for_plan_phase(&plan, "0", 0.0)?;
    /// assert!(phase0.zones().iter().all(|z| z.kind() == ZoneKind::Exclusion));
    /// assert!(TrackMonitor::for_plan_phase(&plan, "1", 0.0)?.zones().iter().any(|z| z.id() == "UA-46"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn zones(&self) -> &[Zone] {
        self.index.zones()
    }

    /// What the monitor knows of a track, if it has seen it.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{monitor::TrackMonitor, ZoneIndex};
    /// let mut monitor = TrackMonitor::new(ZoneIndex::new(vec![])?, 0.0);
    /// assert!(monitor.track("t").is_none());
    /// monitor.update("t", 1.0, 30.0, 50.0)?;
    /// assert_eq!(monitor.track("t").map(|s| s.time_unix_s), Some(1.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn track(&self, track_id: &str) -> Option<TrackStatus> {
        self.tracks.get(track_id).map(|s| TrackStatus {
            time_unix_s: s.time,
            lon: s.lon,
            lat: s.lat,
            inside: s
                .inside
                .iter()
                .filter_map(|&i| self.zone_id(i))
                .map(str::to_string)
                .collect(),
        })
    }

    /// Forgets a track; returns whether it was known.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{monitor::TrackMonitor, ZoneIndex};
    /// let mut monitor = TrackMonitor::new(ZoneIndex::new(vec![])?, 0.0);
    /// monitor.update("t", 1.0, 30.0, 50.0)?;
    /// assert!(monitor.forget("t"));
    /// assert!(!monitor.forget("t"));
    /// // A forgotten track starts afresh: an earlier time is accepted.
    /// assert!(monitor.update("t", 0.0, 30.0, 50.0).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn forget(&mut self, track_id: &str) -> bool {
        self.tracks.remove(track_id).is_some()
    }

    fn zone_id(&self, i: usize) -> Option<&str> {
        self.index.zones().get(i).map(Zone::id)
    }

    /// Records a new position of a track and returns the events since its last update,
    /// ordered by time (then zone id).
    ///
    /// # Errors
    /// [`MonitorError::Point`] for an invalid position, [`MonitorError::Time`] for a
    /// non-finite time or one before the track's last update. The state is then unchanged.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{geometry::ZoneGeometry, monitor::{TrackMonitor, ZoneEventKind}, Zone, ZoneIndex};
    /// let zone = Zone::builder("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).build()?;
    /// let mut monitor = TrackMonitor::new(ZoneIndex::new(vec![zone])?, 50.0);
    /// assert!(monitor.update("t", 0.0, 30.0, 50.0)?.is_empty()); // first sight, inside
    /// // 30 m outside the boundary: within the hysteresis, still inside.
    /// let edge = sanctuary::geometry::geodesic_destination(30.0, 50.0, 90.0, 1_030.0);
    /// assert!(monitor.update("t", 1.0, edge.0, edge.1)?.is_empty());
    /// let events = monitor.update("t", 2.0, 30.1, 50.0)?;
    /// assert_eq!(events.iter().map(|e| e.kind).collect::<Vec<_>>(), [ZoneEventKind::Exited]);
    /// assert!(monitor.update("t", 3.0, f64::NAN, 50.0).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn update(
        &mut self,
        track_id: &str,
        time_unix_s: f64,
        lon: f64,
        lat: f64,
    ) -> Result<Vec<ZoneEvent>, MonitorError> {
        checked_point(lon, lat).map_err(|source| MonitorError::Point {
            track_id: track_id.to_string(),
            source,
        })?;
        let last = self.tracks.get(track_id);
        if !time_unix_s.is_finite() || last.is_some_and(|s| time_unix_s < s.time) {
            return Err(MonitorError::Time {
                track_id: track_id.to_string(),
                time_unix_s,
                last_unix_s: last.map_or(f64::NAN, |s| s.time),
            });
        }
        let h = self.hysteresis_m;
        let Some(prev) = last.cloned() else {
            // First sight: inside the zones that strictly contain the point.
            let inside = self
                .index
                .locate(lon, lat)
                .map(|loc| loc.inside.iter().map(|z| z.index()).collect())
                .unwrap_or_default();
            self.tracks.insert(
                track_id.to_string(),
                State {
                    time: time_unix_s,
                    lon,
                    lat,
                    inside,
                },
            );
            return Ok(Vec::new());
        };
        let seg = Segment::new(&prev, time_unix_s, lon, lat);
        let mut events = Vec::new();
        let mut inside = prev.inside.clone();
        for (i, zone) in self.index.zones().iter().enumerate() {
            let was_inside = prev.inside.contains(&i);
            if !was_inside && !seg.may_reach(zone, h) {
                continue;
            }
            let sd = |f: f64| {
                let (x, y) = seg.at(f);
                zone.signed_distance_m(x, y).unwrap_or(f64::NEG_INFINITY)
            };
            let (sd0, sd1) = (sd(0.0), sd(1.0));
            let event = if was_inside {
                if sd1 <= -h {
                    inside.remove(&i);
                    let c = if sd0 >= 0.0 { 0.0 } else { -h };
                    Some((ZoneEventKind::Exited, bisect(&sd, c, false)))
                } else {
                    None
                }
            } else if sd1 >= h && sd1 > 0.0 {
                inside.insert(i);
                let c = if sd0 <= 0.0 { 0.0 } else { h };
                Some((ZoneEventKind::Entered, bisect(&sd, c, true)))
            } else {
                // Outside at both updates: did the segment go through?
                deep_point(&sd, sd0, sd1, seg.length_m, h).map(|f| (ZoneEventKind::Crossed, f))
            };
            if let Some((kind, f)) = event {
                let (x, y) = seg.at(f);
                events.push(ZoneEvent {
                    track_id: track_id.to_string(),
                    zone_id: zone.id().to_string(),
                    kind,
                    time_unix_s: seg.t0 + f * (seg.t1 - seg.t0),
                    lon: x,
                    lat: y,
                });
            }
        }
        events.sort_by(|a, b| {
            a.time_unix_s
                .total_cmp(&b.time_unix_s)
                .then_with(|| a.zone_id.cmp(&b.zone_id))
        });
        self.tracks.insert(
            track_id.to_string(),
            State {
                time: time_unix_s,
                lon,
                lat,
                inside,
            },
        );
        Ok(events)
    }
}

/// The zones of a plan active in a phase (ignoring time windows).
fn phase_zones(plan: &Plan, phase: impl PhaseKey) -> Result<ZoneIndex, MonitorError> {
    let Some(phase) = phase.index_in(plan) else {
        return Err(MonitorError::UnknownPhase);
    };
    let zones: Vec<Zone> = plan
        .index()
        .zones()
        .iter()
        .zip(plan.zone_plans())
        .filter(|(_, zp)| zp.active_in_index(phase))
        .map(|(z, _)| z.clone())
        .collect();
    // The plan's zones have distinct ids, so the index builds.
    ZoneIndex::new(zones).map_err(MonitorError::Index)
}

/// The geodesic from the previous position to the new one.
struct Segment {
    t0: f64,
    t1: f64,
    lon0: f64,
    lat0: f64,
    lon1: f64,
    lat1: f64,
    azimuth: f64,
    length_m: f64,
    bbox: [f64; 4],
}

impl Segment {
    fn new(prev: &State, t1: f64, lon1: f64, lat1: f64) -> Self {
        let (length_m, azimuth, _, _): (f64, f64, f64, f64) =
            Geodesic::wgs84().inverse(prev.lat, prev.lon, lat1, lon1);
        // The geodesic may bulge poleward of its ends; a margin of its length covers that.
        let mut seg = Segment {
            t0: prev.time,
            t1,
            lon0: prev.lon,
            lat0: prev.lat,
            lon1,
            lat1,
            azimuth,
            length_m,
            bbox: [0.0; 4],
        };
        let bulge = degrees_for(length_m * 0.05 + 1.0, prev.lat.abs().max(lat1.abs()));
        seg.bbox = [
            prev.lon.min(lon1) - bulge,
            prev.lat.min(lat1) - bulge,
            prev.lon.max(lon1) + bulge,
            prev.lat.max(lat1) + bulge,
        ];
        seg
    }

    fn at(&self, f: f64) -> (f64, f64) {
        if f <= 0.0 {
            return (self.lon0, self.lat0);
        }
        if f >= 1.0 {
            return (self.lon1, self.lat1);
        }
        let (lat, lon): (f64, f64) =
            Geodesic::wgs84().direct(self.lat0, self.lon0, self.azimuth, f * self.length_m);
        (lon, lat)
    }

    /// Could the segment come within `h` of the inside of the zone? A bounds test.
    fn may_reach(&self, zone: &Zone, h: f64) -> bool {
        let b = zone.bounds();
        let m = degrees_for(h + 1.0, b[1].abs().max(b[3].abs()).max(self.lat0.abs()));
        !(self.bbox[2] < b[0] - m
            || self.bbox[0] > b[2] + m
            || self.bbox[3] < b[1] - m
            || self.bbox[1] > b[3] + m)
    }
}

/// Degrees of latitude or longitude (at latitude `lat`) that span at least `metres`.
fn degrees_for(metres: f64, lat: f64) -> f64 {
    let cos = lat.min(89.0).to_radians().cos();
    metres / (110_574.0 * cos) * 1.01
}

/// The first fraction along the segment at which the depth reaches `h` (strictly inside),
/// if any, by Lipschitz branch and bound.
fn deep_point(sd: &impl Fn(f64) -> f64, sd0: f64, sd1: f64, length_m: f64, h: f64) -> Option<f64> {
    let deep = |d: f64| d >= h && d > 0.0;
    if deep(sd0) {
        return Some(0.0);
    }
    let mut stack = vec![(0.0, 1.0, sd0, sd1)];
    let mut evaluations = 0;
    let mut best_end = if deep(sd1) { Some(1.0) } else { None };
    while let Some((a, b, da, db)) = stack.pop() {
        let len = (b - a) * length_m;
        if (da + db + len) / 2.0 < h.max(0.0) || len < CROSSING_TOLERANCE_M || evaluations >= MAX_EVALUATIONS
        {
            continue;
        }
        if best_end.is_some_and(|e| a >= e) {
            continue;
        }
        let m = (a + b) / 2.0;
        let dm = sd(m);
        evaluations += 1;
        if deep(dm) {
            best_end = Some(best_end.map_or(m, |e: f64| e.min(m)));
            // Look for an earlier one on the left only.
            stack.push((a, m, da, dm));
            continue;
        }
        // Depth-first, left half last pushed so it is searched first.
        stack.push((m, b, dm, db));
        stack.push((a, m, da, dm));
    }
    best_end
}

/// Where `sd - c` changes sign along the whole segment.
fn bisect(sd: &impl Fn(f64) -> f64, c: f64, rising: bool) -> f64 {
    bisect_between(sd, c, rising, 0.0, 1.0)
}

/// Bisection on `[lo, hi]` for `sd = c`, `rising` when `sd` goes from below to above `c`.
fn bisect_between(sd: &impl Fn(f64) -> f64, c: f64, rising: bool, lo: f64, hi: f64) -> f64 {
    let (mut lo, mut hi) = (lo, hi);
    for _ in 0..60 {
        let m = (lo + hi) / 2.0;
        let above = sd(m) >= c;
        if above == rising {
            hi = m;
        } else {
            lo = m;
        }
        if hi - lo < 1e-12 {
            break;
        }
    }
    hi
}
