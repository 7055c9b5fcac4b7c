//! Plans built in Rust: [`Plan::builder`] (documented on [`PlanBuilder`]).

use super::*;

/// Builds a [`Plan`] in Rust, with the same validation as a plan file.
///
/// A [`PlanBuilder`] gathers the same parts a plan file holds (phases, partners, default
/// rules, zones with their rules and windows) and [`PlanBuilder::build`] hands them to the
/// very validation a plan file goes through. So a plan built in Rust and the same plan
/// written as JSON fail with the same [`PlanError`] (same variant, same place in the
/// file's terms, e.g. `zones[1].rules[0].from_phase`, same message) or load into plans with
/// the same [`Plan::hash`].
///
/// Phases, partners, rules and zones are referred to by id, as in the file; the places in
/// errors count entries in the order they were added (`phases[0]` is the first phase
/// added). Times are the file's text (RFC 3339 for phase starts); time windows are
/// [`TimeWindow`] values, checked as the file's windows are.
///
/// ```
/// use sanctuary::geometry::{ZoneGeometry, ZoneKind};
/// use sanctuary::plan::{Identity, PlanZone, RuleSpec, TargetClass, WeaponsStatus};
/// use sanctuary::{Engine, Plan, Track};
/// let square = vec![[22.0, 48.0], [26.0, 48.0], [26.0, 51.0], [22.0, 51.0], [22.0, 48.0]];
/// let plan = Plan::builder("Example")
///     .phase("1", "west")
///     .default_rule(RuleSpec::new([TargetClass::Uas], WeaponsStatus::Tight, 2_000.0))
///     .zone(PlanZone::new("west", ZoneGeometry::polygon(vec![square])))
///     .zone(PlanZone::new("plant", ZoneGeometry::circle(24.0, 49.5, 5_000.0)).kind(ZoneKind::Exclusion))
///     .build()?;
/// // The same plan as a plan file: the same hash.
/// let text = r#"{"name": "Example", "phases": [{"id": "1", "name": "west"}],
///   "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 2000}],
///   "zones": [
///     {"id": "west", "geometry": {"type": "Polygon",
///       "coordinates": [[[22, 48], [26, 48], [26, 51], [22, 51], [22, 48]]]}},
///     {"id": "plant", "kind": "exclusion",
///      "geometry": {"type": "Point", "coordinates": [24, 49.5]}, "radius_m": 5000}]}"#;
/// assert_eq!(plan.hash(), Plan::from_json_str(text)?.hash());
/// let drone = Track::new("d1", 23.0, 50.0, 800.0, TargetClass::Uas, Identity::Hostile);
/// assert!(Engine::new(plan).decide(&drone, "1", None).is_permit());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Errors name the place the plan file would have:
/// ```
/// use sanctuary::geometry::ZoneGeometry;
/// use sanctuary::plan::{PlanZone, RuleSpec, TargetClass, WeaponsStatus};
/// use sanctuary::Plan;
/// let rule = RuleSpec::new([TargetClass::Uas], WeaponsStatus::Tight, 0.0).from_phase("9");
/// let err = Plan::builder("demo")
///     .phase("0", "all")
///     .zone(PlanZone::new("c", ZoneGeometry::circle(0.0, 0.0, 500.0)).rule(rule))
///     .build()
///     .unwrap_err();
/// // The place is the one the plan file would have.
/// assert_eq!(err.to_string(), "zones[0].rules[0].from_phase: unknown phase `9`");
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct PlanBuilder {
    file: PlanFile,
}

impl Plan {
    /// Starts building a plan named `name` in Rust (see [`PlanBuilder`]).
    ///
    /// # Example
    /// ```
    /// use sanctuary::geometry::ZoneGeometry;
    /// use sanctuary::plan::{PlanZone, RuleSpec, TargetClass, WeaponsStatus};
    /// let plan = sanctuary::Plan::builder("demo")
    ///     .description("one circle")
    ///     .phase("0", "all")
    ///     .default_rule(RuleSpec::new([TargetClass::Uas], WeaponsStatus::Free, 100.0))
    ///     .zone(PlanZone::new("c", ZoneGeometry::circle(30.0, 50.0, 5_000.0)))
    ///     .build()?;
    /// assert_eq!((plan.name(), plan.description()), ("demo", Some("one circle")));
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn builder(name: impl Into<String>) -> PlanBuilder {
        PlanBuilder {
            file: PlanFile {
                name: name.into(),
                description: None,
                phases: Vec::new(),
                partners: Vec::new(),
                default_rules: Vec::new(),
                zones: Vec::new(),
            },
        }
    }
}

impl PlanBuilder {
    /// Sets the description (the file's `description`).
    ///
    /// # Example
    /// ```
    /// let b = sanctuary::Plan::builder("demo").description("a test plan");
    /// assert!(format!("{b:?}").contains("a test plan"));
    /// ```
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.file.description = Some(description.into());
        self
    }

    /// Adds a phase without a start time. Phases are ordered as added; either every phase
    /// has a start or none has.
    ///
    /// # Example
    /// ```
    /// use sanctuary::geometry::ZoneGeometry;
    /// use sanctuary::plan::PlanZone;
    /// use sanctuary::geometry::ZoneKind;
    /// let plan = sanctuary::Plan::builder("demo")
    ///     .phase("0", "prep")
    ///     .phase("1", "live")
    ///     .zone(PlanZone::new("x", ZoneGeometry::circle(0.0, 0.0, 500.0)).kind(ZoneKind::Exclusion))
    ///     .build()?;
    /// assert_eq!(plan.phase("1").map(|p| p.index()), Some(1));
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn phase(mut self, id: impl Into<String>, name: impl Into<String>) -> Self {
        self.file.phases.push(PhaseFile {
            id: id.into(),
            name: name.into(),
            start: None,
        });
        self
    }

    /// Adds a phase that starts at `start`, an RFC 3339 time (the file's `start`).
    ///
    /// # Example
    /// ```
    /// use sanctuary::geometry::{ZoneGeometry, ZoneKind};
    /// use sanctuary::plan::{parse_rfc3339, PlanZone};
    /// let exclusion = PlanZone::new("x", ZoneGeometry::circle(0.0, 0.0, 500.0)).kind(ZoneKind::Exclusion);
    /// let plan = sanctuary::Plan::builder("demo")
    ///     .phase_starting("0", "prep", "2027-01-01T00:00:00Z")
    ///     .phase_starting("1", "live", "2027-03-01T00:00:00Z")
    ///     .zone(exclusion.clone())
    ///     .build()?;
    /// assert_eq!(plan.phase_at(parse_rfc3339("2027-04-01T00:00:00Z")?).map(|p| p.index()), Some(1));
    /// // A phase start that is not RFC 3339 is refused with its place.
    /// let err = sanctuary::Plan::builder("demo")
    ///     .phase_starting("0", "prep", "tomorrow")
    ///     .zone(exclusion)
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(err.place(), Some("phases[0].start"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn phase_starting(
        mut self,
        id: impl Into<String>,
        name: impl Into<String>,
        start: impl Into<String>,
    ) -> Self {
        self.file.phases.push(PhaseFile {
            id: id.into(),
            name: name.into(),
            start: Some(start.into()),
        });
        self
    }

    /// Adds a partner.
    ///
    /// # Example
    /// ```
    /// use sanctuary::geometry::{ZoneGeometry, ZoneKind};
    /// use sanctuary::plan::{PartnerSpec, PlanZone, TargetClass};
    /// let plan = sanctuary::Plan::builder("demo")
    ///     .phase("0", "all")
    ///     .partner(PartnerSpec::new("POL").name("Poland").min_standoff_m(5_000.0))
    ///     .zone(PlanZone::new("x", ZoneGeometry::circle(0.0, 0.0, 500.0)).kind(ZoneKind::Exclusion))
    ///     .build()?;
    /// assert_eq!(plan.partners()[0].min_standoff_m, 5_000.0);
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn partner(mut self, partner: PartnerSpec) -> Self {
        self.file.partners.push(partner.0);
        self
    }

    /// Adds a default rule: the rules of every sanctuary that has none of its own.
    ///
    /// # Example
    /// ```
    /// use sanctuary::geometry::ZoneGeometry;
    /// use sanctuary::plan::{PlanZone, RuleSpec, TargetClass, WeaponsStatus};
    /// let plan = sanctuary::Plan::builder("demo")
    ///     .phase("0", "all")
    ///     .default_rule(RuleSpec::new([TargetClass::Uas], WeaponsStatus::Tight, 0.0))
    ///     .zone(PlanZone::new("c", ZoneGeometry::circle(0.0, 0.0, 500.0)))
    ///     .build()?;
    /// assert_eq!(plan.zone_plans()[0].rules.len(), 1);
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn default_rule(mut self, rule: RuleSpec) -> Self {
        self.file.default_rules.push(rule.0);
        self
    }

    /// Adds a zone.
    ///
    /// # Example
    /// ```
    /// use sanctuary::geometry::{ZoneGeometry, ZoneKind};
    /// use sanctuary::plan::PlanZone;
    /// let plan = sanctuary::Plan::builder("demo")
    ///     .phase("0", "all")
    ///     .zone(PlanZone::new("x", ZoneGeometry::circle(0.0, 0.0, 500.0)).kind(ZoneKind::Exclusion))
    ///     .build()?;
    /// assert!(plan.index().handle("x").is_some());
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn zone(mut self, zone: PlanZone) -> Self {
        self.file.zones.push(zone.0);
        self
    }

    /// Validates and builds the plan, exactly as [`Plan::from_json_str`] validates the same
    /// plan written as a file.
    ///
    /// # Errors
    /// The [`PlanError`] the plan file would give, naming the same place.
    ///
    /// # Example
    /// ```
    /// use sanctuary::geometry::ZoneGeometry;
    /// use sanctuary::plan::{PlanZone, RuleSpec, TargetClass, WeaponsStatus};
    /// use sanctuary::Plan;
    /// let zone = |id: &str| PlanZone::new(id, ZoneGeometry::circle(0.0, 0.0, 500.0));
    /// let err = Plan::builder("demo")
    ///     .phase("0", "all")
    ///     .default_rule(RuleSpec::new([TargetClass::Uas], WeaponsStatus::Tight, 0.0))
    ///     .zone(zone("c"))
    ///     .zone(zone("c"))
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(err.to_string(), "zones[1].id: duplicate id `c` (first used by zones[0])");
    /// ```
    pub fn build(self) -> Result<Plan, PlanError> {
        build(self.file, &Sources::Embedded(&[]))
    }
}

/// A partner for [`PlanBuilder::partner`] (the file's `partners[i]`).
///
/// # Example
/// ```
/// use sanctuary::plan::{PartnerSpec, TargetClass};
/// let pol = PartnerSpec::new("POL")
///     .name("Poland")
///     .excluded_classes([TargetClass::MannedAircraft])
///     .min_standoff_m(5_000.0);
/// assert!(format!("{pol:?}").contains("Poland"));
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct PartnerSpec(PartnerFile);

impl PartnerSpec {
    /// A partner with this id, no name, no excluded class and no minimum standoff.
    ///
    /// # Example
    /// ```
    /// let p = sanctuary::plan::PartnerSpec::new("SVK");
    /// assert!(format!("{p:?}").contains("SVK"));
    /// ```
    pub fn new(id: impl Into<String>) -> Self {
        PartnerSpec(PartnerFile {
            id: id.into(),
            name: None,
            excluded_classes: Vec::new(),
            min_standoff_m: None,
        })
    }

    /// Sets the human-readable name.
    ///
    /// # Example
    /// ```
    /// let p = sanctuary::plan::PartnerSpec::new("SVK").name("Slovakia");
    /// assert!(format!("{p:?}").contains("Slovakia"));
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.0.name = Some(name.into());
        self
    }

    /// Adds classes the partner will not engage.
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::{PartnerSpec, TargetClass};
    /// let p = PartnerSpec::new("HUN").excluded_classes([TargetClass::MannedAircraft]);
    /// assert!(format!("{p:?}").contains("MannedAircraft"));
    /// ```
    pub fn excluded_classes(mut self, classes: impl IntoIterator<Item = TargetClass>) -> Self {
        self.0.excluded_classes.extend(classes);
        self
    }

    /// Sets a standoff (metres) that applies to all the partner's decisions.
    ///
    /// # Example
    /// ```
    /// let p = sanctuary::plan::PartnerSpec::new("ROU").min_standoff_m(3_000.0);
    /// assert!(format!("{p:?}").contains("3000"));
    /// ```
    pub fn min_standoff_m(mut self, standoff_m: f64) -> Self {
        self.0.min_standoff_m = Some(standoff_m);
        self
    }
}

/// An engagement rule for [`PlanBuilder::default_rule`] or [`PlanZone::rule`] (the file's
/// `default_rules[j]` or `zones[i].rules[j]`), referring to phases and partners by id.
///
/// # Example
/// ```
/// use sanctuary::geometry::ZoneGeometry;
/// use sanctuary::plan::{PartnerSpec, PlanZone, RuleSpec, TargetClass, TimeWindow, WeaponsStatus};
/// let rule = RuleSpec::new([TargetClass::Uas, TargetClass::CruiseMissile], WeaponsStatus::Free, 1_000.0)
///     .from_phase("1")
///     .band(Some(100.0), Some(10_000.0))
///     .partners(["POL"])
///     .window(TimeWindow::weekly(&["mon", "tue"], "06:00", "22:00")?);
/// let plan = sanctuary::Plan::builder("demo")
///     .phase("0", "prep")
///     .phase("1", "live")
///     .partner(PartnerSpec::new("POL"))
///     .zone(PlanZone::new("c", ZoneGeometry::circle(0.0, 0.0, 5_000.0)).rule(rule))
///     .build()?;
/// let built = &plan.zone_plans()[0].rules[0];
/// assert_eq!((built.from_phase(), built.partners()), (1, Some(&[0][..])));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct RuleSpec(RuleFile);

impl RuleSpec {
    /// A rule allowing `classes` under `weapons` at least `standoff_m` metres inside the
    /// sanctuary area's edge, in every phase the zone is active, for any partner, at any
    /// altitude and time.
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::{RuleSpec, TargetClass, WeaponsStatus};
    /// let r = RuleSpec::new([TargetClass::Uas], WeaponsStatus::Tight, 2_000.0);
    /// assert!(format!("{r:?}").contains("Tight"));
    /// ```
    pub fn new(
        classes: impl IntoIterator<Item = TargetClass>,
        weapons: WeaponsStatus,
        standoff_m: f64,
    ) -> Self {
        RuleSpec(RuleFile {
            from_phase: None,
            until_phase: None,
            classes: classes.into_iter().collect(),
            weapons,
            floor_m: None,
            ceiling_m: None,
            standoff_m,
            partners: None,
            windows: Vec::new(),
        })
    }

    /// The first phase (id) in which the rule applies.
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::{RuleSpec, TargetClass, WeaponsStatus};
    /// let r = RuleSpec::new([TargetClass::Uas], WeaponsStatus::Tight, 0.0).from_phase("2");
    /// assert!(format!("{r:?}").contains("\"2\""));
    /// ```
    pub fn from_phase(mut self, phase: impl Into<String>) -> Self {
        self.0.from_phase = Some(phase.into());
        self
    }

    /// The first phase (id) in which the rule no longer applies.
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::{RuleSpec, TargetClass, WeaponsStatus};
    /// let r = RuleSpec::new([TargetClass::Uas], WeaponsStatus::Tight, 0.0).until_phase("3");
    /// assert!(format!("{r:?}").contains("\"3\""));
    /// ```
    pub fn until_phase(mut self, phase: impl Into<String>) -> Self {
        self.0.until_phase = Some(phase.into());
        self
    }

    /// The altitude band (metres, closed; either limit may be absent).
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::{RuleSpec, TargetClass, WeaponsStatus};
    /// let r = RuleSpec::new([TargetClass::Uas], WeaponsStatus::Tight, 0.0).band(Some(0.0), Some(3_000.0));
    /// assert!(format!("{r:?}").contains("3000"));
    /// ```
    pub fn band(mut self, floor_m: Option<f64>, ceiling_m: Option<f64>) -> Self {
        self.0.floor_m = floor_m;
        self.0.ceiling_m = ceiling_m;
        self
    }

    /// Restricts the rule to these partners (ids). Called with no id, the rule allows no
    /// partner at all; never called, it places no partner restriction.
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::{RuleSpec, TargetClass, WeaponsStatus};
    /// let r = RuleSpec::new([TargetClass::Uas], WeaponsStatus::Tight, 0.0).partners(["POL", "SVK"]);
    /// assert!(format!("{r:?}").contains("SVK"));
    /// ```
    pub fn partners<S: Into<String>>(mut self, partners: impl IntoIterator<Item = S>) -> Self {
        self.0
            .partners
            .get_or_insert_with(Vec::new)
            .extend(partners.into_iter().map(Into::into));
        self
    }

    /// Adds a time window in which the rule applies (besides its phases).
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::{RuleSpec, TargetClass, TimeWindow, WeaponsStatus};
    /// let w = TimeWindow::Interval { start_unix_s: 0, end_unix_s: 3_600 };
    /// let r = RuleSpec::new([TargetClass::Uas], WeaponsStatus::Tight, 0.0).window(w);
    /// assert!(format!("{r:?}").contains("3600"));
    /// ```
    pub fn window(mut self, window: TimeWindow) -> Self {
        self.0.windows.push(WindowFile::Typed(window));
        self
    }
}

/// A zone of a plan for [`PlanBuilder::zone`] (the file's `zones[i]`): its geometry as a
/// [`ZoneGeometry`] (validated at [`PlanBuilder::build`], as an inline geometry of the
/// file is), what it is, when it is active and its rules.
///
/// A sanctuary given no [`rule`](PlanZone::rule) takes the plan's default rules; one given
/// an empty list through [`rules`](PlanZone::rules) has none.
///
/// # Example
/// ```
/// use sanctuary::geometry::{EdgeModel, ZoneGeometry, ZoneKind};
/// use sanctuary::plan::{PlanZone, TimeWindow};
/// let ring = vec![[24.0, 49.0], [24.5, 49.0], [24.5, 49.5], [24.0, 49.5], [24.0, 49.0]];
/// let zone = PlanZone::new("no-fire", ZoneGeometry::polygon(vec![ring]))
///     .name("No-fire area")
///     .kind(ZoneKind::Exclusion)
///     .edges(EdgeModel::GreatCircle)
///     .band(None, Some(5_000.0))
///     .active_from("1")
///     .active_until("2")
///     .window(TimeWindow::weekly(&["sat", "sun"], "00:00", "23:59")?);
/// let plan = sanctuary::Plan::builder("demo")
///     .phase("0", "a").phase("1", "b").phase("2", "c")
///     .zone(zone)
///     .build()?;
/// assert_eq!((plan.zone_plans()[0].active_from, plan.zone_plans()[0].active_until), (1, Some(2)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct PlanZone(ZoneFile);

impl PlanZone {
    /// A plate-carrée sanctuary with this id and geometry, without name or band, active
    /// from the first phase on, taking the plan's default rules.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{geometry::ZoneGeometry, plan::PlanZone};
    /// let z = PlanZone::new("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0));
    /// assert!(format!("{z:?}").contains("Circle"));
    /// ```
    pub fn new(id: impl Into<String>, geometry: ZoneGeometry) -> Self {
        PlanZone(ZoneFile {
            id: id.into(),
            name: None,
            kind: ZoneKind::Sanctuary,
            edges: None,
            geometry: None,
            radius_m: None,
            source: None,
            floor_m: None,
            ceiling_m: None,
            active_from: None,
            active_until: None,
            rules: None,
            windows: Vec::new(),
            typed_geometry: Some(geometry),
        })
    }

    /// Sets the human-readable name.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{geometry::ZoneGeometry, plan::PlanZone};
    /// let z = PlanZone::new("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).name("Camp");
    /// assert!(format!("{z:?}").contains("Camp"));
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.0.name = Some(name.into());
        self
    }

    /// Sets the kind (sanctuary by default).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{geometry::{ZoneGeometry, ZoneKind}, plan::PlanZone};
    /// let z = PlanZone::new("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).kind(ZoneKind::Exclusion);
    /// assert!(format!("{z:?}").contains("Exclusion"));
    /// ```
    pub fn kind(mut self, kind: ZoneKind) -> Self {
        self.0.kind = kind;
        self
    }

    /// Sets the edge model (plate carrée by default).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{geometry::{EdgeModel, ZoneGeometry}, plan::PlanZone};
    /// let z = PlanZone::new("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).edges(EdgeModel::GreatCircle);
    /// assert!(format!("{z:?}").contains("GreatCircle"));
    /// ```
    pub fn edges(mut self, edges: EdgeModel) -> Self {
        self.0.edges = Some(edges);
        self
    }

    /// Sets the vertical band (metres, closed; either limit may be absent).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{geometry::ZoneGeometry, plan::PlanZone};
    /// let z = PlanZone::new("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).band(Some(0.0), Some(120.0));
    /// assert!(format!("{z:?}").contains("120"));
    /// ```
    pub fn band(mut self, floor_m: Option<f64>, ceiling_m: Option<f64>) -> Self {
        self.0.floor_m = floor_m;
        self.0.ceiling_m = ceiling_m;
        self
    }

    /// The first phase (id) in which the zone is active (default: the first phase).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{geometry::ZoneGeometry, plan::PlanZone};
    /// let z = PlanZone::new("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).active_from("2");
    /// assert!(format!("{z:?}").contains("\"2\""));
    /// ```
    pub fn active_from(mut self, phase: impl Into<String>) -> Self {
        self.0.active_from = Some(phase.into());
        self
    }

    /// The first phase (id) in which the zone is no longer active (default: never).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{geometry::ZoneGeometry, plan::PlanZone};
    /// let z = PlanZone::new("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).active_until("4");
    /// assert!(format!("{z:?}").contains("\"4\""));
    /// ```
    pub fn active_until(mut self, phase: impl Into<String>) -> Self {
        self.0.active_until = Some(phase.into());
        self
    }

    /// Adds a rule of the zone's own (it then ignores the plan's default rules).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{geometry::ZoneGeometry, plan::{PlanZone, RuleSpec, TargetClass, WeaponsStatus}};
    /// let r = RuleSpec::new([TargetClass::Uas], WeaponsStatus::Hold, 0.0);
    /// let z = PlanZone::new("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).rule(r);
    /// assert!(format!("{z:?}").contains("Hold"));
    /// ```
    pub fn rule(mut self, rule: RuleSpec) -> Self {
        self.0.rules.get_or_insert_with(Vec::new).push(rule.0);
        self
    }

    /// Adds rules of the zone's own; with an empty list, gives the zone its own (empty)
    /// list of rules instead of the plan's defaults (a sanctuary with no rule never
    /// permits).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{geometry::ZoneGeometry, plan::{PlanZone, RuleSpec, TargetClass, WeaponsStatus}};
    /// let plan = sanctuary::Plan::builder("demo")
    ///     .phase("0", "all")
    ///     .default_rule(RuleSpec::new([TargetClass::Uas], WeaponsStatus::Tight, 0.0))
    ///     .zone(PlanZone::new("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).rules([]))
    ///     .build()?;
    /// assert!(plan.zone_plans()[0].rules.is_empty());
    /// # Ok::<(), sanctuary::plan::PlanError>(())
    /// ```
    pub fn rules(mut self, rules: impl IntoIterator<Item = RuleSpec>) -> Self {
        self.0
            .rules
            .get_or_insert_with(Vec::new)
            .extend(rules.into_iter().map(|r| r.0));
        self
    }

    /// Adds a time window in which the zone is in force (besides its phases).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{geometry::ZoneGeometry, plan::{PlanZone, TimeWindow}};
    /// let w = TimeWindow::interval("2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z")?;
    /// let z = PlanZone::new("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).window(w);
    /// assert!(format!("{z:?}").contains("Interval"));
    /// # Ok::<(), sanctuary::plan::WindowError>(())
    /// ```
    pub fn window(mut self, window: TimeWindow) -> Self {
        self.0.windows.push(WindowFile::Typed(window));
        self
    }
}

/// A zone's id, name, kind, edge model, band and geometry, as a sanctuary of the plan
/// (active from the first phase, taking the default rules) to refine further.
///
/// # Example
/// ```
/// use sanctuary::{geometry::{ZoneGeometry, ZoneKind}, plan::PlanZone, Zone};
/// let zone = Zone::builder("x", ZoneGeometry::circle(0.0, 0.0, 500.0)).kind(ZoneKind::Exclusion).build()?;
/// let plan = sanctuary::Plan::builder("demo").phase("0", "all").zone(PlanZone::from(zone)).build()?;
/// assert_eq!(plan.index().zones()[0].kind(), ZoneKind::Exclusion);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl From<ZoneSpec> for PlanZone {
    fn from(spec: ZoneSpec) -> Self {
        let mut zone = PlanZone::new(spec.id, spec.geometry)
            .kind(spec.kind)
            .edges(spec.edges);
        zone.0.name = spec.name;
        if let Some(band) = spec.band {
            zone = zone.band(band.floor_m, band.ceiling_m);
        }
        zone
    }
}

/// As `From<ZoneSpec>`, through [`Zone::to_spec`].
///
/// # Example
/// ```
/// use sanctuary::{geometry::ZoneGeometry, plan::PlanZone, Zone};
/// let zone = Zone::builder("c", ZoneGeometry::circle(0.0, 0.0, 500.0)).name("Camp").build()?;
/// assert!(format!("{:?}", PlanZone::from(zone)).contains("Camp"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl From<Zone> for PlanZone {
    fn from(zone: Zone) -> Self {
        PlanZone::from(ZoneSpec::from(zone))
    }
}

/// As `From<Zone>`, cloning.
///
/// # Example
/// ```
/// use sanctuary::{geometry::ZoneGeometry, plan::PlanZone, Zone};
/// let zone = Zone::builder("c", ZoneGeometry::circle(0.0, 0.0, 500.0)).build()?;
/// assert!(format!("{:?}", PlanZone::from(&zone)).contains("Circle"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl From<&Zone> for PlanZone {
    fn from(zone: &Zone) -> Self {
        PlanZone::from(zone.to_spec())
    }
}
