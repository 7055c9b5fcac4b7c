//! Decisions: the verdict, its reasons, the deciding zone and the margin.

use super::*;

/// Permit or deny.
///
/// # Example
/// ```
/// use sanctuary::{Engine, Plan, Reason, Track, Verdict, plan::{Identity, TargetClass}};
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
/// New reasons may be added in later versions (the enum is `#[non_exhaustive]`). A
/// consumer built against this version reads a decision written by a newer one without
/// error: a code it does not know becomes [`Reason::Unrecognised`], which this engine never
/// produces, so a replay flags such a record instead of failing on it. Treat it as "denied
/// for a reason this version cannot name".
///
/// # Example
/// ```
/// use sanctuary::{Engine, Plan, Reason, Track, Verdict, plan::{Identity, TargetClass}};
/// let engine = Engine::new(Plan::safe_haven()?);
/// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
/// let d = engine.decide(&lviv, "0", None);
/// assert_eq!(d.reasons, vec![Reason::OutsideActiveSanctuary]);
/// assert_eq!(serde_json::to_string(&d.reasons)?, r#"["outside_active_sanctuary"]"#);
/// // A code from a newer version is read, not refused.
/// let newer: Vec<Reason> = serde_json::from_str(r#"["standoff_not_met", "some_future_reason"]"#)?;
/// assert_eq!(newer, vec![Reason::StandoffNotMet, Reason::Unrecognised]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
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
    /// A code this version does not know, read from a decision written by a newer version
    /// (see the type's docs). Never produced by the engine; written as `unrecognised`.
    #[serde(other)]
    Unrecognised,
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
            Reason::Unrecognised => "unrecognised",
        }
    }

    pub(super) fn bit(self) -> u32 {
        1 << (self as u32)
    }

    pub(super) const ALL: [Reason; 16] = [
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
pub(super) struct Reasons(u32);

impl Reasons {
    pub(super) fn add(&mut self, r: Reason) {
        self.0 |= r.bit();
    }
    pub(super) fn union(&mut self, other: Reasons) {
        self.0 |= other.0;
    }
    pub(super) fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub(super) fn count(self) -> u32 {
        self.0.count_ones()
    }
    pub(super) fn to_vec(self) -> Vec<Reason> {
        let mut out = Vec::with_capacity(self.count() as usize);
        out.extend(self.iter());
        out
    }
    /// The reasons in the order of `Reason::ALL` (lowest bit first, the bits' order).
    pub(super) fn iter(self) -> impl Iterator<Item = Reason> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            while bits != 0 {
                let r = Reason::ALL.get(bits.trailing_zeros() as usize).copied();
                bits &= bits - 1;
                if r.is_some() {
                    return r;
                }
            }
            None
        })
    }
}

/// The answer for one track: verdict, deciding zone, phase, every reason, margin and the
/// plan's hash.
///
/// # Example
/// ```
/// use sanctuary::{Engine, Plan, Reason, Track, Verdict, plan::{Identity, TargetClass}};
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

pub(super) fn is_false(b: &bool) -> bool {
    !*b
}

impl Decision {
    /// Is this a permit?
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Engine, Plan, Reason, Track, Verdict, plan::{Identity, TargetClass}};
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
    /// use sanctuary::{Engine, Plan, Reason, Track, Verdict, plan::{Identity, TargetClass}};
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
