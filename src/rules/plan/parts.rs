//! The parts of a plan: phases, partners, rules and each zone's plan.

use super::*;

/// One phase of a plan.
///
/// # Example
/// ```
/// let plan = sanctuary::Plan::safe_haven()?;
/// let kyiv = &plan.phases()[3];
/// assert_eq!((kyiv.id.as_str(), kyiv.name.as_str()), ("3", "Kyiv"));
/// assert_eq!(kyiv.start_unix_s, sanctuary::plan::parse_rfc3339("2027-06-01T00:00:00Z").ok());
/// # Ok::<(), sanctuary::plan::PlanError>(())
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

impl Phase {
    /// The phase's start as an instant, if it has one.
    ///
    /// # Example
    /// ```
    /// let plan = sanctuary::Plan::safe_haven()?;
    /// let kyiv = &plan.phases()[3];
    /// assert_eq!(kyiv.start(), Some("2027-06-01T00:00:00Z".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn start(&self) -> Option<jiff::Timestamp> {
        jiff::Timestamp::from_second(self.start_unix_s?).ok()
    }
}

/// A partner state policing zones under the plan, with its own caveats.
///
/// # Example
/// ```
/// use sanctuary::plan::TargetClass;
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
/// use sanctuary::plan::{TargetClass, WeaponsStatus};
/// let plan = sanctuary::Plan::from_json_str(r#"{"name": "demo",
///   "phases": [{"id": "0", "name": "prep"}, {"id": "1", "name": "live"}],
///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "from_phase": "1", "standoff_m": 0}],
///   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
///     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
/// let rule = &plan.zone_plans()[0].rules[0];
/// assert_eq!((rule.from_phase(), rule.until_phase()), (1, None));
/// assert_eq!(rule.classes(), [TargetClass::Uas]);
/// assert_eq!(rule.weapons(), WeaponsStatus::Tight);
/// # Ok::<(), sanctuary::plan::PlanError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub(crate) from_phase: usize,
    pub(crate) until_phase: Option<usize>,
    pub(crate) classes: Vec<TargetClass>,
    pub(crate) weapons: WeaponsStatus,
    pub(crate) band: VerticalBand,
    pub(crate) standoff_m: f64,
    pub(crate) partners: Option<Vec<usize>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) windows: Vec<TimeWindow>,
    /// `classes` as bits, kept in step with them: the fields are private so that no edit
    /// can make the two disagree.
    #[serde(skip)]
    pub(crate) class_mask: u8,
}

impl Rule {
    /// First phase (index into [`Plan::phases`]) in which the rule applies.
    pub fn from_phase(&self) -> usize {
        self.from_phase
    }

    /// First phase in which it no longer applies, if any.
    pub fn until_phase(&self) -> Option<usize> {
        self.until_phase
    }

    /// Classes that may be engaged (sorted, without repeats).
    pub fn classes(&self) -> &[TargetClass] {
        &self.classes
    }

    /// Weapon control status.
    pub fn weapons(&self) -> WeaponsStatus {
        self.weapons
    }

    /// Altitude band (closed).
    pub fn band(&self) -> VerticalBand {
        self.band
    }

    /// Minimum distance from the sanctuary area's edge, metres.
    pub fn standoff_m(&self) -> f64 {
        self.standoff_m
    }

    /// Partners allowed to engage under this rule (indices into [`Plan::partners`]);
    /// `None` places no partner restriction.
    pub fn partners(&self) -> Option<&[usize]> {
        self.partners.as_deref()
    }

    /// UTC windows in which the rule applies, besides its phases; empty means always.
    pub fn windows(&self) -> &[TimeWindow] {
        &self.windows
    }

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
    /// let (prep, live) = (plan.phase("0").unwrap(), plan.phase("1").unwrap());
    /// assert!(!rule.applies_in(prep)); // `from_phase` is "1"
    /// assert!(rule.applies_in(live));
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn applies_in(&self, phase: PhaseHandle) -> bool {
        self.applies_in_index(phase.index())
    }

    /// [`Self::applies_in`] by the phase's index.
    pub(crate) fn applies_in_index(&self, phase: usize) -> bool {
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
    /// let t = |s| sanctuary::plan::parse_rfc3339(s).ok();
    /// let all = plan.phase("0").unwrap();
    /// assert!(rule.applies_at(all, t("2027-03-01T09:00:00Z"))); // a Monday morning
    /// assert!(!rule.applies_at(all, t("2027-03-02T09:00:00Z"))); // Tuesday
    /// assert!(!rule.applies_at(all, None)); // unknown time: a windowed rule never applies
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn applies_at(&self, phase: PhaseHandle, unix_s: Option<i64>) -> bool {
        self.applies_at_index(phase.index(), unix_s)
    }

    /// [`Self::applies_at`] by the phase's index.
    pub(crate) fn applies_at_index(&self, phase: usize, unix_s: Option<i64>) -> bool {
        self.applies_in_index(phase) && windows_allow(&self.windows, unix_s)
    }

    /// Does the rule list this class?
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::TargetClass;
    /// let plan = sanctuary::Plan::from_json_str(r#"{"name": "demo",
    ///   "phases": [{"id": "0", "name": "prep"}, {"id": "1", "name": "live"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "from_phase": "1", "standoff_m": 0}],
    ///   "zones": [{"id": "sq", "geometry": {"type": "Polygon",
    ///     "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#)?;
    /// let rule = &plan.zone_plans()[0].rules[0];
    /// assert!(rule.allows_class(TargetClass::Uas));
    /// assert!(!rule.allows_class(TargetClass::MannedAircraft));
    /// # Ok::<(), sanctuary::plan::PlanError>(())
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
    /// let plan = sanctuary::Plan::safe_haven()?;
    /// let kyiv = plan.index().handle("UA-30").ok_or("no UA-30")?; // Kyiv city, from phase 3
    /// let zp = &plan.zone_plans()[kyiv.index()];
    /// assert!(!zp.active_in(plan.phase("2").unwrap()));
    /// assert!(zp.active_in(plan.phase("3").unwrap()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn active_in(&self, phase: PhaseHandle) -> bool {
        self.active_in_index(phase.index())
    }

    /// [`Self::active_in`] by the phase's index.
    pub(crate) fn active_in_index(&self, phase: usize) -> bool {
        phase >= self.active_from && self.active_until.is_none_or(|u| phase < u)
    }

    /// Is the zone in force in this phase at this time (Unix seconds, if known)?
    ///
    /// Time windows are resolved conservatively: at an unknown time a windowed
    /// sanctuary is *not* in force, while a windowed exclusion *is*.
    ///
    /// # Example
    /// ```
    /// use sanctuary::geometry::ZoneKind;
    /// let plan = sanctuary::Plan::from_json_str(r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
    ///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
    ///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 500,
    ///     "windows": [{"start": "1970-01-01T00:01:40Z", "end": "1970-01-01T00:03:20Z"}]}]}"#)?;
    /// let (zp, all) = (&plan.zone_plans()[0], plan.phase("0").unwrap());
    /// assert!(zp.active_at(all, ZoneKind::Sanctuary, Some(150)));
    /// assert!(!zp.active_at(all, ZoneKind::Sanctuary, Some(200)));
    /// // At an unknown time the conservative answer depends on the kind.
    /// assert!(!zp.active_at(all, ZoneKind::Sanctuary, None));
    /// assert!(zp.active_at(all, ZoneKind::Exclusion, None));
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn active_at(&self, phase: PhaseHandle, kind: ZoneKind, unix_s: Option<i64>) -> bool {
        self.active_at_index(phase.index(), kind, unix_s)
    }

    /// [`Self::active_at`] by the phase's index.
    pub(crate) fn active_at_index(&self, phase: usize, kind: ZoneKind, unix_s: Option<i64>) -> bool {
        if !self.active_in_index(phase) {
            return false;
        }
        match (kind, unix_s) {
            (ZoneKind::Exclusion, None) => true,
            _ => windows_allow(&self.windows, unix_s),
        }
    }
}
