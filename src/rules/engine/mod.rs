//! The rule engine: one call, [`Engine::decide`], answers whether a track point may be
//! engaged, with every reason and the plan hash. It never returns an error: whenever no
//! decision can safely be reached, the answer is [`Verdict::Deny`] with the reasons.

pub use crate::rules::plan::MARGIN_HORIZON_M;

mod track;
pub use track::*;
mod decision;
pub use decision::*;
#[cfg(test)]
mod tests;

use crate::geometry::geodesy::geodesic_destination;
use crate::geometry::id::Id;
use crate::geometry::kernel::Position;
use crate::geometry::limits::{MAX_ALTITUDE_M, MIN_ALTITUDE_M};
use crate::geometry::zone::ZoneKind;
use crate::index::nearby::UNSHARED;
use crate::index::ZoneHandle;
use crate::rules::plan::{Identity, PhaseKey, Plan, PlanHash, TargetClass, ZonePlan};
use geo_types::Coord;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::fmt;
use std::sync::Arc;

/// Decides engagement under a validated [`Plan`]. Cheap to clone and share across threads.
///
/// # Example
/// ```
/// use sanctuary::{plan::{Identity, TargetClass}, Engine, Plan, Reason, Track};
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
/// # Ok::<(), sanctuary::plan::PlanError>(())
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
    /// use sanctuary::{plan::{Identity, TargetClass}, Engine, Plan, Reason, Track, Verdict};
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
    /// use sanctuary::{plan::{Identity, TargetClass}, Engine, Plan, Reason, Track, Verdict};
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
    /// use sanctuary::{plan::{Identity, TargetClass}, Engine, Plan, Reason, Track, Verdict};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// assert_eq!(engine.plan().name(), "Safe Haven (illustrative)");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Decides on a track in a phase (its id, or a [`PhaseHandle`](crate::plan::PhaseHandle) of this engine's plan),
    /// for an optional partner.
    ///
    /// Never fails: invalid input is a [`Verdict::Deny`] with [`Reason::InvalidTrack`],
    /// an unknown phase a deny with [`Reason::UnknownPhase`].
    ///
    /// # Example
    /// ```
    /// use sanctuary::{plan::{Identity, TargetClass}, Engine, Plan, Reason, Track, Verdict};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// assert!(engine.decide(&lviv, "1", Some("POL")).is_permit());
    /// assert_eq!(engine.decide(&lviv, "1", Some("XXX")).reasons, vec![Reason::PartnerNotAuthorised]);
    /// assert_eq!(engine.decide(&lviv, "9", None).reasons, vec![Reason::UnknownPhase]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide(&self, track: &Track, phase: impl PhaseKey, partner: Option<&str>) -> Decision {
        self.decide_view(track, phase, partner).to_decision(track)
    }

    /// Decides on a track in the phase in force at the track's time.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{plan::{Identity, TargetClass}, Engine, Plan, Reason, Track, Verdict};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// let march = sanctuary::plan::parse_rfc3339("2027-03-01T12:00:00Z").unwrap() as f64; // phase 1
    /// let d = engine.decide_at_track_time(&lviv.clone().at_time(march), None);
    /// assert_eq!(d.phase.as_deref(), Some("1"));
    /// assert_eq!(engine.decide_at_track_time(&lviv, None).reasons, vec![Reason::InvalidTrack]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide_at_track_time(&self, track: &Track, partner: Option<&str>) -> Decision {
        self.decide_view_at_track_time(track, partner).to_decision(track)
    }

    /// [`Engine::decide`]'s answer as a [`DecisionView`], without allocating.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{plan::{Identity, TargetClass}, Engine, Plan, Track};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// let view = engine.decide_view(&lviv, "1", None);
    /// assert!(view.is_permit());
    /// assert_eq!(view.zone().map(|z| z.as_str()), Some("UA-46"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide_view(
        &self,
        track: &Track,
        phase: impl PhaseKey,
        partner: Option<&str>,
    ) -> DecisionView<'_> {
        match phase.index_in(&self.plan) {
            Some(i) => self.view_in(track, i, partner),
            None => self.view_early(None, Reason::UnknownPhase),
        }
    }

    /// [`Engine::decide_at_track_time`]'s answer as a [`DecisionView`], without allocating.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{plan::{Identity, TargetClass}, Engine, Plan, Track};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// let march = sanctuary::plan::parse_rfc3339("2027-03-01T12:00:00Z").unwrap() as f64;
    /// let timed = lviv.at_time(march);
    /// let view = engine.decide_view_at_track_time(&timed, None);
    /// assert_eq!(view.to_decision(&timed), engine.decide_at_track_time(&timed, None));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide_view_at_track_time(&self, track: &Track, partner: Option<&str>) -> DecisionView<'_> {
        let Some(t) = track.time_unix_s.filter(|t| t.is_finite()) else {
            return self.view_early(None, Reason::InvalidTrack);
        };
        match self.plan.phase_index_at(t.floor() as i64) {
            Some(i) => self.view_in(track, i, partner),
            None => self.view_early(None, Reason::NoActivePhase),
        }
    }

    /// Decides on each track of a slice in the same phase, in order. With the `rayon`
    /// feature the tracks are shared among rayon's threads; the decisions are the same.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{plan::{Identity, TargetClass}, Engine, Plan, Track};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let tracks = vec![
    ///     Track::new("a", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile),
    ///     Track::new("b", 36.23, 49.99, 800.0, TargetClass::Uas, Identity::Hostile),
    /// ];
    /// let decisions = engine.decide_many(&tracks, "1", None);
    /// assert!(decisions[0].is_permit() && !decisions[1].is_permit());
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn decide_many(
        &self,
        tracks: &[Track],
        phase: impl PhaseKey,
        partner: Option<&str>,
    ) -> Vec<Decision> {
        let Some(phase) = phase.index_in(&self.plan) else {
            return tracks
                .iter()
                .map(|t| self.deny_early(t, None, Reason::UnknownPhase))
                .collect();
        };
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            tracks
                .par_iter()
                .map(|t| self.decide_in(t, phase, partner))
                .collect()
        }
        #[cfg(not(feature = "rayon"))]
        {
            tracks.iter().map(|t| self.decide_in(t, phase, partner)).collect()
        }
    }

    /// A deny made before any zone was considered.
    pub(crate) fn deny_early(&self, track: &Track, phase: Option<usize>, reason: Reason) -> Decision {
        self.view_early(phase, reason).to_decision(track)
    }

    /// The view of a deny made before any zone was considered.
    fn view_early(&self, phase: Option<usize>, reason: Reason) -> DecisionView<'_> {
        let mut reasons = Reasons::default();
        reasons.add(reason);
        DecisionView {
            plan: &self.plan,
            phase,
            reasons,
            zone: None,
            margin: Margin {
                metres: None,
                lower_bound: false,
            },
            exclusion: None,
        }
    }

    /// Decides in the phase with index `phase` (of this engine's plan).
    pub(crate) fn decide_in(&self, track: &Track, phase: usize, partner: Option<&str>) -> Decision {
        self.view_in(track, phase, partner).to_decision(track)
    }

    /// The decision in the phase with index `phase` (of this engine's plan), as a view.
    fn view_in(&self, track: &Track, phase: usize, partner: Option<&str>) -> DecisionView<'_> {
        if phase >= self.plan.phases().len() {
            return self.view_early(None, Reason::UnknownPhase);
        }
        if !track.is_valid() {
            return self.view_early(Some(phase), Reason::InvalidTrack);
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

        let mut here = Survey::default();
        self.survey_into(p, uncertainty, at, &mut here);
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
            return self.view(phase, reasons, zone, margin, exclusion);
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
            return self.view(phase, reasons, Some(first_inside), margin, exclusion);
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
        self.view(phase, reasons, Some(deciding), margin, exclusion)
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
    fn survey(&self, p: Coord<f64>, uncertainty: f64, at: (usize, Option<i64>)) -> Survey {
        let mut out = Survey::default();
        self.survey_into(p, uncertainty, at, &mut out);
        out
    }

    /// [`Engine::survey`] into a survey the caller holds (an empty one): the decision's
    /// own survey is written in place rather than copied out.
    fn survey_into(
        &self,
        p: Coord<f64>,
        uncertainty: f64,
        (phase, time): (usize, Option<i64>),
        out: &mut Survey,
    ) {
        let plan = &*self.plan;
        let index = plan.index();
        let active = |h: ZoneHandle, kind: ZoneKind| {
            plan.zone_plans()
                .get(h.index())
                .is_some_and(|zp| zp.active_at_index(phase, kind, time))
        };
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
    }

    fn view(
        &self,
        phase: usize,
        reasons: Reasons,
        zone: Option<ZoneHandle>,
        margin: Margin,
        exclusion: Option<ZoneHandle>,
    ) -> DecisionView<'_> {
        DecisionView {
            plan: &self.plan,
            phase: Some(phase),
            reasons,
            zone,
            margin,
            exclusion,
        }
    }
}

/// A decision's margin, and whether it is the horizon's lower bound.
#[derive(Debug, Clone, Copy)]
struct Margin {
    metres: Option<f64>,
    lower_bound: bool,
}

/// A decision as the engine reaches it, before it is written out as a [`Decision`]: the
/// same answer, read through accessors that borrow the zone and phase ids from the plan,
/// so that making one allocates nothing. For callers that decide many tracks and copy the
/// answers elsewhere (into columns, say); [`DecisionView::to_decision`] gives the owned
/// [`Decision`], equal to [`Engine::decide`]'s for the same track.
///
/// # Example
/// ```
/// use sanctuary::{plan::{Identity, TargetClass}, Engine, Plan, Reason, Track, Verdict};
/// let engine = Engine::new(Plan::safe_haven()?);
/// let east = Track::new("d2", 36.23, 49.99, 800.0, TargetClass::Uas, Identity::Hostile);
/// let view = engine.decide_view(&east, "1", None);
/// assert_eq!(view.verdict(), Verdict::Deny);
/// assert_eq!(view.reasons().collect::<Vec<_>>(), vec![Reason::OutsideActiveSanctuary]);
/// assert_eq!(view.to_decision(&east), engine.decide(&east, "1", None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DecisionView<'e> {
    plan: &'e Plan,
    phase: Option<usize>,
    reasons: Reasons,
    zone: Option<ZoneHandle>,
    margin: Margin,
    exclusion: Option<ZoneHandle>,
}

impl<'e> DecisionView<'e> {
    /// Permit or deny: a permit exactly when there is no reason.
    pub fn verdict(&self) -> Verdict {
        if self.reasons.is_empty() {
            Verdict::Permit
        } else {
            Verdict::Deny
        }
    }

    /// Is this a permit?
    pub fn is_permit(&self) -> bool {
        self.reasons.is_empty()
    }

    /// The deciding zone's id, as [`Decision::zone`].
    pub fn zone(&self) -> Option<&'e Id> {
        self.zone.and_then(|h| self.plan.zone_id(h))
    }

    /// The phase's id, as [`Decision::phase`].
    pub fn phase(&self) -> Option<&'e Id> {
        self.phase.and_then(|i| self.plan.phase_id(i))
    }

    /// The reasons, in the order of [`Decision::reasons`].
    pub fn reasons(&self) -> impl Iterator<Item = Reason> {
        self.reasons.iter()
    }

    /// The margin, as [`Decision::margin_m`].
    pub fn margin_m(&self) -> Option<f64> {
        self.margin.metres
    }

    /// Is the margin a lower bound? As [`Decision::margin_is_lower_bound`].
    pub fn margin_is_lower_bound(&self) -> bool {
        self.margin.lower_bound && self.margin.metres.is_some()
    }

    /// The denying exclusion's id, as [`Decision::exclusion`].
    pub fn exclusion(&self) -> Option<&'e Id> {
        self.exclusion.and_then(|h| self.plan.zone_id(h))
    }

    /// The deciding zone's handle (the zone of [`DecisionView::zone`]), for callers that
    /// keep their own table of zones (one entry per [`crate::ZoneIndex::zones`]).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{plan::{Identity, TargetClass}, Engine, Plan, Track};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    /// let view = engine.decide_view(&lviv, "1", None);
    /// let h = view.zone_handle().unwrap();
    /// assert_eq!(engine.plan().index().zone(h).id(), "UA-46");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn zone_handle(&self) -> Option<ZoneHandle> {
        self.zone
    }

    /// The phase's handle (the phase of [`DecisionView::phase`]).
    pub fn phase_handle(&self) -> Option<crate::plan::PhaseHandle> {
        self.phase
            .map(|i| crate::plan::PhaseHandle::new(i, *self.plan.hash()))
    }

    /// The denying exclusion's handle (the zone of [`DecisionView::exclusion`]).
    pub fn exclusion_handle(&self) -> Option<ZoneHandle> {
        self.exclusion
    }

    /// The plan's content hash.
    pub fn plan_hash(&self) -> &'e PlanHash {
        self.plan.hash()
    }

    /// The owned decision for `track` (the track this view was decided for: its id is
    /// the decision's `track_id`).
    pub fn to_decision(&self, track: &Track) -> Decision {
        Decision {
            track_id: track.id.clone(),
            verdict: self.verdict(),
            zone: self.zone().cloned(),
            phase: self.phase().cloned(),
            reasons: self.reasons.to_vec(),
            margin_m: self.margin_m(),
            margin_is_lower_bound: self.margin_is_lower_bound(),
            exclusion: self.exclusion().cloned(),
            plan_hash: *self.plan.hash(),
        }
    }
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
    let Some(zp) = zp.filter(|zp| kind == ZoneKind::Sanctuary && zp.active_at_index(phase, kind, time))
    else {
        return ZoneVerdict::Inactive;
    };
    let mut refusals = Reasons::default();
    // Failing checks of the closest rule so far.
    let mut closest: Option<u32> = None;
    let mut best: Option<f64> = None;
    let mut any_rule = false;
    for rule in zp.rules.iter().filter(|r| r.applies_at_index(phase, time)) {
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
