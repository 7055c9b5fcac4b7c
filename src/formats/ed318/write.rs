//! Export: zones and plan phases to ED-318.

use super::*;

// ---------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------

/// How to write this crate's zones as ED-318.
///
/// # Example
/// ```
/// use sanctuary::ed318::{Ed318ExportOptions, Ed318Type};
/// let options = Ed318ExportOptions::new("UKR").sanctuary_type(Ed318Type::Conditional);
/// assert_eq!(options.exclusion_type, Ed318Type::Prohibited);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[must_use]
pub struct Ed318ExportOptions {
    /// ISO 3166-1 alpha-3 country code (`country`, required by ED-318) of zones not in
    /// [`Self::zone_countries`].
    pub country: String,
    /// The country of each zone by zone id: the state whose airspace it covers (see
    /// [`Self::countries_from`] and [`CountryLookup`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub zone_countries: BTreeMap<String, String>,
    /// ED-318 type written for sanctuaries.
    pub sanctuary_type: Ed318Type,
    /// ED-318 type written for exclusions.
    pub exclusion_type: Ed318Type,
    /// The `zoneAuthority` array written for every zone (ED-318 requires one, with `purpose`).
    pub zone_authority: Value,
    /// Language tag of the names written.
    pub lang: String,
    /// The datum of the zones' bands, written as the layers' reference.
    pub altitude_datum: AltitudeDatum,
    /// Plate-carrée edges are densified until the great-circle edge's middle is within this
    /// many metres of the original edge.
    pub densify_tolerance_m: f64,
}

impl Ed318ExportOptions {
    /// Options for a country: sanctuaries as `CONDITIONAL`, exclusions as `PROHIBITED`, an
    /// `INFORMATION` authority, English names, AMSL bands, 1 m densification tolerance.
    ///
    /// # Example
    /// ```
    /// use sanctuary::ed318::{AltitudeDatum, Ed318ExportOptions, Ed318Type};
    /// let options = Ed318ExportOptions::new("UKR");
    /// assert_eq!((options.country.as_str(), options.sanctuary_type), ("UKR", Ed318Type::Conditional));
    /// assert_eq!((options.altitude_datum, options.densify_tolerance_m), (AltitudeDatum::Amsl, 1.0));
    /// ```
    pub fn new(country: impl Into<String>) -> Self {
        Ed318ExportOptions {
            country: country.into(),
            zone_countries: BTreeMap::new(),
            sanctuary_type: Ed318Type::Conditional,
            exclusion_type: Ed318Type::Prohibited,
            zone_authority: json!([{"purpose": "INFORMATION"}]),
            lang: "en-GB".into(),
            altitude_datum: AltitudeDatum::Amsl,
            densify_tolerance_m: 1.0,
        }
    }
    /// Sets the country of each zone, by zone id (zones not in the map take
    /// [`Self::country`]).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ed318::{Ed318ExportOptions, Ed318Zone}, geometry::ZoneGeometry};
    /// let countries = [("c".to_string(), "POL".to_string())].into_iter().collect();
    /// let options = Ed318ExportOptions::new("UKR").zone_countries(countries);
    /// let zone = Zone::builder("c", ZoneGeometry::circle(21.0, 52.2, 1_000.0)).build()?;
    /// assert_eq!(Ed318Zone::from_zone(&zone, vec![], &options)?.country(), Some("POL"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn zone_countries(mut self, countries: BTreeMap<String, String>) -> Self {
        self.zone_countries = countries;
        self
    }
    /// Sets the country of each of these zones to the state whose airspace it covers, from
    /// boundary data ([`CountryLookup::countries_of`]); zones over no state keep
    /// [`Self::country`].
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Plan, ed318::{CountryLookup, Ed318ExportOptions, ed318_from_plan_phase}};
    /// let plan = Plan::safe_haven()?;
    /// let options = Ed318ExportOptions::new("UKR")
    ///     .countries_from(&CountryLookup::safe_haven()?, plan.index().zones());
    /// let c = ed318_from_plan_phase(&plan, "1", &options)?;
    /// let country = |id| c.zones.iter().find(|z| z.zone.id() == id).and_then(|z| z.country());
    /// assert_eq!(country("HUN"), Some("HUN")); // the neighbours' exclusions
    /// assert_eq!(country("UA-46"), Some("UKR"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn countries_from(self, lookup: &CountryLookup, zones: &[Zone]) -> Self {
        let countries = lookup.countries_of(zones);
        self.zone_countries(countries)
    }
    /// Sets the type written for sanctuaries.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ed318::{Ed318ExportOptions, Ed318Type, Ed318Zone}, geometry::ZoneGeometry};
    /// let options = Ed318ExportOptions::new("UKR").sanctuary_type(Ed318Type::Uspace);
    /// let zone = Zone::builder("c", ZoneGeometry::circle(30.5, 50.4, 1_000.0)).build()?;
    /// assert_eq!(Ed318Zone::from_zone(&zone, vec![], &options)?.zone_type, Ed318Type::Uspace);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sanctuary_type(mut self, t: Ed318Type) -> Self {
        self.sanctuary_type = t;
        self
    }
    /// Sets the type written for exclusions.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ed318::{Ed318ExportOptions, Ed318Type, Ed318Zone}, geometry::{ZoneGeometry, ZoneKind}};
    /// let options = Ed318ExportOptions::new("UKR").exclusion_type(Ed318Type::ReqAuthorization);
    /// let circle = ZoneGeometry::circle(30.5, 50.4, 1_000.0);
    /// let zone = Zone::builder("c", circle).kind(ZoneKind::Exclusion).build()?;
    /// assert_eq!(Ed318Zone::from_zone(&zone, vec![], &options)?.zone_type, Ed318Type::ReqAuthorization);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn exclusion_type(mut self, t: Ed318Type) -> Self {
        self.exclusion_type = t;
        self
    }
    /// Sets the bands' datum.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ed318::{AltitudeDatum, Ed318ExportOptions, Ed318Zone, VerticalReference}, geometry::ZoneGeometry};
    /// let options = Ed318ExportOptions::new("UKR").altitude_datum(AltitudeDatum::Wgs84);
    /// let circle = ZoneGeometry::circle(30.5, 50.4, 1_000.0);
    /// let zone = Zone::builder("c", circle).band(None, Some(500.0)).build()?;
    /// let layer = Ed318Zone::from_zone(&zone, vec![], &options)?.layer.ok_or("no layer")?;
    /// assert_eq!((layer.upper, layer.upper_reference), (Some(500.0), Some(VerticalReference::Wgs84)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn altitude_datum(mut self, datum: AltitudeDatum) -> Self {
        self.altitude_datum = datum;
        self
    }
    /// Sets the densification tolerance, metres.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ed318::{Ed318ExportOptions, Ed318Zone}, geometry::ZoneGeometry};
    /// let ring = vec![[20.0, 40.0], [30.0, 40.0], [30.0, 50.0], [20.0, 50.0], [20.0, 40.0]];
    /// let zone = Zone::builder("box", ZoneGeometry::polygon(vec![ring])).build()?;
    /// let coarse = Ed318ExportOptions::new("UKR").densify_tolerance_m(1_000.0);
    /// let fine = Ed318ExportOptions::new("UKR").densify_tolerance_m(1.0);
    /// let vertices = |o| Ed318Zone::from_zone(&zone, vec![], o).map(|z| z.zone.vertex_count());
    /// assert!(vertices(&coarse)? < vertices(&fine)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn densify_tolerance_m(mut self, tolerance_m: f64) -> Self {
        self.densify_tolerance_m = tolerance_m;
        self
    }
}

impl Ed318Zone {
    /// An ED-318 zone from one of this crate's zones, with its time windows.
    ///
    /// The identifier is the zone id when it has at most 7 characters (the ED-318 limit),
    /// else `S` and 6 hex digits of the id's SHA-256; the full id is kept as the GeoJSON
    /// feature `id` on export, which the importer prefers. A plate-carrée zone is densified
    /// into a great-circle zone (see [`Ed318ExportOptions::densify_tolerance_m`]).
    ///
    /// # Errors
    /// [`Ed318Error::Zone`] when the densified zone fails validation (great-circle edges
    /// that cross), [`Ed318Error::Unsupported`] for a non-positive tolerance.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ed318::{Ed318Error, Ed318ExportOptions, Ed318Zone}, geometry::{EdgeModel, Position, ZoneGeometry}};
    /// let ring = vec![[20.0, 40.0], [30.0, 40.0], [30.0, 50.0], [20.0, 50.0], [20.0, 40.0]];
    /// let zone = Zone::builder("western-box", ZoneGeometry::polygon(vec![ring])).build()?;
    /// let options = Ed318ExportOptions::new("UKR");
    /// let z = Ed318Zone::from_zone(&zone, vec![], &options)?;
    /// assert_eq!(z.zone.edge_model(), EdgeModel::GreatCircle); // densified
    /// assert_eq!(z.zone.position(25.0, 50.1)?, Position::Outside); // still follows the 50°N parallel
    /// assert!(z.identifier.starts_with('S') && z.identifier.len() == 7); // id too long for ED-318
    /// let bad = Ed318Zone::from_zone(&zone, vec![], &options.densify_tolerance_m(0.0));
    /// assert!(matches!(bad, Err(Ed318Error::Unsupported { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_zone(
        zone: &Zone,
        applicability: Vec<TimeWindow>,
        options: &Ed318ExportOptions,
    ) -> Result<Ed318Zone, Ed318Error> {
        let zone = great_circle_zone(zone, options.densify_tolerance_m)?;
        let zone_type = match zone.kind() {
            ZoneKind::Sanctuary => options.sanctuary_type,
            ZoneKind::Exclusion => options.exclusion_type,
        };
        let reference = options.altitude_datum.reference();
        let layer = zone
            .band()
            .filter(|b| b.floor_m.is_some() || b.ceiling_m.is_some())
            .map(|b| Ed318Layer {
                upper: b.ceiling_m,
                upper_reference: b.ceiling_m.map(|_| reference),
                lower: b.floor_m,
                lower_reference: b.floor_m.map(|_| reference),
                uom: LengthUnit::M,
            });
        let mut properties = Map::new();
        let country = options.zone_countries.get(zone.id()).unwrap_or(&options.country);
        properties.insert("country".into(), Value::String(country.clone()));
        if let Some(name) = zone.name() {
            properties.insert("name".into(), json!([{"text": name, "lang": options.lang}]));
        }
        properties.insert("variant".into(), Value::String("COMMON".into()));
        properties.insert("zoneAuthority".into(), options.zone_authority.clone());
        let identifier = short_identifier(zone.id());
        Ok(Ed318Zone {
            zone,
            identifier,
            zone_type,
            reasons: Vec::new(),
            applicability,
            layer,
            properties,
        })
    }
}

pub(super) fn short_identifier(id: &str) -> String {
    if id.chars().count() <= 7 {
        return id.to_string();
    }
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(id.as_bytes());
    let hex: String = digest.iter().take(3).map(|b| format!("{b:02X}")).collect();
    format!("S{hex}")
}

/// The zone with great-circle edges: itself, or densified from plate carrée.
pub(super) fn great_circle_zone(zone: &Zone, tolerance_m: f64) -> Result<Zone, Ed318Error> {
    if zone.edge_model() == EdgeModel::GreatCircle || zone.vertex_count() == 0 {
        // Great-circle edges already, or a circle (no edges).
        return Ok(zone.clone());
    }
    if !(tolerance_m.is_finite() && tolerance_m > 0.0) {
        return Err(unsupported(
            zone.id(),
            "densification tolerance",
            "must be a positive number of metres",
        ));
    }
    let mut spec = zone.to_spec();
    let densify_rings = |rings: &mut Vec<Vec<[f64; 2]>>| {
        for ring in rings.iter_mut() {
            *ring = densify_ring(ring, tolerance_m);
        }
    };
    match &mut spec.geometry {
        ZoneGeometry::Polygon { rings } => densify_rings(rings),
        ZoneGeometry::MultiPolygon { polygons } => polygons.iter_mut().for_each(densify_rings),
        ZoneGeometry::Circle { .. } => {}
    }
    spec.edges = EdgeModel::GreatCircle;
    Zone::try_from(spec).map_err(|source| Ed318Error::Zone {
        place: zone.id().to_string(),
        source,
    })
}

pub(super) fn densify_ring(ring: &[[f64; 2]], tol: f64) -> Vec<[f64; 2]> {
    let mut out = Vec::with_capacity(ring.len());
    for w in ring.windows(2) {
        if let [a, b] = w {
            out.push(*a);
            densify_edge(*a, *b, tol, 0, &mut out);
        }
    }
    if let Some(last) = ring.last() {
        out.push(*last);
    }
    out
}

/// Pushes the points strictly between `a` and `b` needed so that great-circle edges follow
/// the lon/lat segment `a`–`b` within `tol` metres at their middles.
pub(super) fn densify_edge(a: [f64; 2], b: [f64; 2], tol: f64, depth: u32, out: &mut Vec<[f64; 2]>) {
    let mid = [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
    if depth >= 24 || a[0] == b[0] {
        return; // meridians are great circles
    }
    let gc = great_circle_midpoint(a, b);
    if geodesic_distance_m(gc[0], gc[1], mid[0], mid[1]) <= tol {
        return;
    }
    densify_edge(a, mid, tol, depth + 1, out);
    out.push(mid);
    densify_edge(mid, b, tol, depth + 1, out);
}

/// The midpoint of the great-circle arc between two lon/lat points (spherical, through the
/// geodetic coordinates, as [`EdgeModel::GreatCircle`] defines its edges).
pub(crate) fn great_circle_midpoint(a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    let v = |p: [f64; 2]| {
        let (lon, lat) = (p[0].to_radians(), p[1].to_radians());
        [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
    };
    let (va, vb) = (v(a), v(b));
    let m = [va[0] + vb[0], va[1] + vb[1], va[2] + vb[2]];
    [
        m[1].atan2(m[0]).to_degrees(),
        m[2].atan2(m[0].hypot(m[1])).to_degrees(),
    ]
}

/// This crate's zones as an ED-318 collection (no time windows).
///
/// # Errors
/// As [`Ed318Zone::from_zone`].
///
/// # Example
/// ```
/// use sanctuary::{Zone, ed318::{Ed318ExportOptions, Ed318KindMap, Ed318Options, ed318_from_str, ed318_from_zones}, geometry::{ZoneGeometry, ZoneKind}};
/// let zone = Zone::builder("npp", ZoneGeometry::circle(31.2, 47.8, 30_000.0))
///     .kind(ZoneKind::Exclusion)
///     .band(Some(0.0), Some(3000.0))
///     .build()?;
/// let text = ed318_from_zones(&[zone.clone()], &Ed318ExportOptions::new("UKR"))?.to_json().to_string();
/// let back = ed318_from_str(&text, &Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion)))?;
/// assert_eq!(back.zones[0].zone, zone);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ed318_from_zones(zones: &[Zone], options: &Ed318ExportOptions) -> Result<Ed318Collection, Ed318Error> {
    let zones = zones
        .iter()
        .map(|z| Ed318Zone::from_zone(z, Vec::new(), options))
        .collect::<Result<_, _>>()?;
    Ok(Ed318Collection {
        name: None,
        metadata: None,
        zones,
    })
}

/// The zones of a plan active in a phase (its id or a handle), with their validity and
/// time windows as `limitedApplicability`, as an ED-318 collection named after the plan and
/// phase.
///
/// **Validity.** A zone is exported with this phase's rules, which hold from the phase's
/// start until the next phase supersedes it (within the zone's own span, from the phase that
/// activates it to the phase that ends it), when the plan gives those starts
/// ([`Phase::start_unix_s`](crate::plan::Phase::start_unix_s)): ED-318 consumers see when
/// each zone begins and ends rather than a permanent zone. The validity is written as a
/// `limitedApplicability` period (`startDateTime`, and `endDateTime` when a later phase
/// supersedes it); a zone with time windows gets each window within its validity (a weekly
/// window within a closed validity expanded into its exact intervals; within an open-ended
/// one, an exclusion keeps the bare schedule, in force more often, and a sanctuary is
/// refused), and a zone none of whose windows falls within it is left out (never in force
/// in the phase). The collection's `metadata` carries the phase's own span:
/// `validFrom` its start, `validTo` the next phase's start.
///
/// Every zone gets [`Ed318ExportOptions::country`] unless [`Ed318ExportOptions::zone_countries`]
/// names its state ([`Ed318ExportOptions::countries_from`] fills it from boundary data).
///
/// # Errors
/// As [`Ed318Zone::from_zone`]; [`Ed318Error::Format`] for a phase the plan does not have.
///
/// # Example
/// ```
/// use sanctuary::{Plan, ed318::{Ed318ExportOptions, ed318_from_plan_phase}};
/// let plan = Plan::safe_haven()?;
/// let collection = ed318_from_plan_phase(&plan, "1", &Ed318ExportOptions::new("UKR"))?;
/// assert!(collection.zones.iter().any(|z| z.zone.id() == "UA-46"));
/// assert!(collection.to_json()["features"].as_array().is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ed318_from_plan_phase(
    plan: &Plan,
    phase: impl PhaseKey,
    options: &Ed318ExportOptions,
) -> Result<Ed318Collection, Ed318Error> {
    let Some((phase, p)) = phase
        .index_in(plan)
        .and_then(|i| Some((i, plan.phases().get(i)?)))
    else {
        return Err(format_err("phase", "not a phase of the plan"));
    };
    let mut zones = Vec::new();
    for (zone, zp) in plan.index().zones().iter().zip(plan.zone_plans()) {
        if zp.active_in_index(phase) {
            // The zone is exported with this phase's rules, which hold from the phase's
            // start until the next phase supersedes it: that is its validity here.
            let (from, to) = phase_validity_unix_s(plan, phase, zp);
            let windows = within_validity(&zp.windows, from, to, zone.kind(), zone.id())?;
            if windows.is_empty() {
                // None of its time windows falls within this phase: never in force here.
                continue;
            }
            zones.push(Ed318Zone::from_zone(zone, windows, options)?);
        }
    }
    let mut description = Map::new();
    description.insert(
        "description".into(),
        json!([{"text": format!("{}: phase {} ({}), plan hash {}", plan.name(), p.id, p.name, plan.hash()), "lang": options.lang}]),
    );
    // The collection is valid for the phase: from its start until the next phase's.
    let (valid_from, valid_to) = phase_span_unix_s(plan, phase);
    if let Some(t) = valid_from {
        description.insert("validFrom".into(), Value::String(format_rfc3339(t)));
    }
    if let Some(t) = valid_to {
        description.insert("validTo".into(), Value::String(format_rfc3339(t)));
    }
    Ok(Ed318Collection {
        name: Some(truncate(&format!("{} phase {}", plan.name(), p.id), 200)),
        metadata: Some(description),
        zones,
    })
}

/// The Unix-seconds span of a zone's phases: the start of its first active phase, and the
/// start of the phase that ends it (each when the plan gives it).
pub(crate) fn zone_validity_unix_s(
    plan: &Plan,
    zp: &crate::rules::plan::ZonePlan,
) -> (Option<i64>, Option<i64>) {
    let start = |i: usize| plan.phases().get(i).and_then(|p| p.start_unix_s);
    (start(zp.active_from), zp.active_until.and_then(start))
}

/// A zone's validity in a phase's export: the phase's span within the zone's own span
/// (the latest start, the earliest end; either open when the plan gives no time).
pub(crate) fn phase_validity_unix_s(
    plan: &Plan,
    phase: usize,
    zp: &crate::rules::plan::ZonePlan,
) -> (Option<i64>, Option<i64>) {
    let (zone_from, zone_to) = zone_validity_unix_s(plan, zp);
    let (phase_from, phase_to) = phase_span_unix_s(plan, phase);
    let from = match (zone_from, phase_from) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let to = match (zone_to, phase_to) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    (from, to)
}

/// The span of a phase: its start, and the next phase's start (each when the plan gives it).
pub(crate) fn phase_span_unix_s(plan: &Plan, phase: usize) -> (Option<i64>, Option<i64>) {
    let start = |i: usize| plan.phases().get(i).and_then(|p| p.start_unix_s);
    (start(phase), start(phase + 1))
}

/// The zone's time windows within its validity `[from, to)` (either end open when `None`);
/// empty when none of them falls within it.
pub(super) fn within_validity(
    windows: &[TimeWindow],
    from: Option<i64>,
    to: Option<i64>,
    kind: ZoneKind,
    zone: &str,
) -> Result<Vec<TimeWindow>, Ed318Error> {
    if from.is_none() && to.is_none() {
        return Ok(windows.to_vec());
    }
    let (s, e) = (from.unwrap_or(i64::MIN), to.unwrap_or(i64::MAX));
    if s >= e {
        return Err(unsupported(
            zone,
            "validity",
            "the phase that ends the zone starts when the phase that activates it does: the zone is never in force",
        ));
    }
    if windows.is_empty() {
        return Ok(vec![TimeWindow::Interval {
            start_unix_s: s,
            end_unix_s: e,
        }]);
    }
    let mut out = Vec::new();
    for w in windows {
        match *w {
            TimeWindow::Interval {
                start_unix_s,
                end_unix_s,
            } => {
                let (a, b) = (start_unix_s.max(s), end_unix_s.min(e));
                if a < b {
                    out.push(TimeWindow::Interval {
                        start_unix_s: a,
                        end_unix_s: b,
                    });
                }
            }
            TimeWindow::Weekly {
                days,
                start_minute,
                end_minute,
            } => {
                if from.is_some() && to.is_some() {
                    expand(&[Some((days, start_minute, end_minute))], s, e, &mut out, zone)?;
                } else if kind == ZoneKind::Exclusion {
                    out.push(w.clone()); // in force more often: conservative for an exclusion
                } else {
                    return Err(unsupported(
                        zone,
                        "weekly window in an open-ended validity",
                        "ED-318 periods cannot bound a schedule on one side only without widening a sanctuary; give the plan's later phase a start",
                    ));
                }
            }
        }
    }
    // Empty when none of the windows falls within the validity: never in force then.
    Ok(out)
}

pub(super) fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

impl Ed318Collection {
    /// All the zones, e.g. for [`ZoneIndex::new`](crate::ZoneIndex::new).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{ZoneIndex, ed318::{Ed318KindMap, Ed318Options, ed318_from_str}, geometry::ZoneKind};
    /// # let text = r#"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.6, 50.1],
    /// #   "extent": {"subType": "Circle", "radius": 3500},
    /// #   "layer": {"upper": 100, "upperReference": "AMSL",
    /// #             "lower": 0, "lowerReference": "AMSL", "uom": "m"}},
    /// #   "properties": {"identifier": "ABC1234", "country": "FRA", "type": "PROHIBITED",
    /// #                  "variant": "COMMON", "zoneAuthority": [{"purpose": "INFORMATION"}]}}"#;
    /// // `text`: a 3.5 km ED-318 circle `ABC1234` in France, PROHIBITED, 0 to 100 m AMSL.
    /// let c = ed318_from_str(text, &Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion)))?;
    /// let index = ZoneIndex::new(c.into_zones())?;
    /// assert_eq!(index.ids(&index.locate(2.6, 50.1)?.inside), ["ABC1234"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_zones(self) -> Vec<Zone> {
        self.zones.into_iter().map(|z| z.zone).collect()
    }

    /// The collection as ED-318 GeoJSON. Zones that share an identifier and came from one
    /// multi-layer feature (ids `{base}#k`, consecutive) are written back as one feature
    /// with a `GeometryCollection`.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{ed318::{AglPolicy, Ed318KindMap, Ed318Options, ed318_from_str}, geometry::ZoneKind};
    /// let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"),
    ///     "/tests/fixtures/ed318/examples/Example_GeoZone_2_Layers.json"))?;
    /// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion))
    ///     .agl(AglPolicy::UnboundedForExclusions);
    /// let first = ed318_from_str(&text, &options)?;
    /// assert_eq!(first.zones.len(), 2); // two layers, two zones
    /// let again = ed318_from_str(&first.to_json().to_string(), &options)?;
    /// assert_eq!(again, first);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> Value {
        let mut features = Vec::new();
        let mut i = 0;
        while let Some(z) = self.zones.get(i) {
            // Members `{base}#0`, `{base}#1`, ... of one identifier go back into one feature.
            let base = base_id(z.zone.id()).filter(|(_, k)| *k == 0).map(|(b, _)| b);
            let mut j = i + 1;
            if let Some(b) = base {
                while self
                    .zones
                    .get(j)
                    .is_some_and(|n| n.identifier == z.identifier && base_id(n.zone.id()) == Some((b, j - i)))
                {
                    j += 1;
                }
            }
            let group = self.zones.get(i..j).unwrap_or_default();
            features.push(feature_json(
                z,
                base.unwrap_or(z.zone.id()),
                group,
                base.is_some(),
            ));
            i = j;
        }
        let mut out = Map::new();
        out.insert("type".into(), Value::String("FeatureCollection".into()));
        if let Some(name) = &self.name {
            out.insert("name".into(), Value::String(name.clone()));
        }
        if let Some(m) = &self.metadata {
            out.insert("metadata".into(), Value::Object(m.clone()));
        }
        out.insert("features".into(), Value::Array(features));
        Value::Object(out)
    }
}

/// The base and member number of a multi-layer member's id `{base}#{k}`.
pub(super) fn base_id(id: &str) -> Option<(&str, usize)> {
    let (base, k) = id.rsplit_once('#')?;
    if k.is_empty() || !k.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((base, k.parse().ok()?))
}

pub(super) fn feature_json(first: &Ed318Zone, base: &str, group: &[Ed318Zone], collection: bool) -> Value {
    let mut props = Map::new();
    props.insert("identifier".into(), Value::String(first.identifier.clone()));
    props.insert("type".into(), Value::String(first.zone_type.as_str().into()));
    if !first.reasons.is_empty() {
        props.insert(
            "reason".into(),
            Value::Array(
                first
                    .reasons
                    .iter()
                    .map(|r| Value::String(r.as_str().into()))
                    .collect(),
            ),
        );
    }
    if !first.applicability.is_empty() {
        let periods = first
            .applicability
            .iter()
            .map(|w| period_json(w, first.zone.kind()))
            .collect();
        props.insert("limitedApplicability".into(), Value::Array(periods));
    }
    for (k, v) in &first.properties {
        props.entry(k.clone()).or_insert_with(|| v.clone());
    }
    let geometry = if collection {
        json!({"type": "GeometryCollection", "geometries": group.iter().map(geometry_json).collect::<Vec<_>>()})
    } else {
        geometry_json(first)
    };
    json!({"type": "Feature", "id": base, "geometry": geometry, "properties": props})
}

pub(super) fn geometry_json(z: &Ed318Zone) -> Value {
    let ring = |r: &Vec<[f64; 2]>| Value::Array(r.iter().map(|p| json!([p[0], p[1]])).collect());
    let poly = |rs: &Vec<Vec<[f64; 2]>>| Value::Array(rs.iter().map(ring).collect());
    let mut g = match z.zone.to_spec().geometry {
        ZoneGeometry::Polygon { rings } => json!({"type": "Polygon", "coordinates": poly(&rings)}),
        ZoneGeometry::MultiPolygon { polygons } => {
            json!({"type": "MultiPolygon", "coordinates": polygons.iter().map(poly).collect::<Vec<_>>()})
        }
        ZoneGeometry::Circle { center, radius_m } => json!({
            "type": "Point",
            "coordinates": [center[0], center[1]],
            "extent": {"subType": "Circle", "radius": radius_m}
        }),
    };
    if let (Some(layer), Value::Object(o)) = (&z.layer, &mut g) {
        if let Ok(l) = serde_json::to_value(layer) {
            o.insert("layer".into(), l);
        }
    }
    g
}

pub(super) fn period_json(w: &TimeWindow, kind: ZoneKind) -> Value {
    match *w {
        TimeWindow::Interval {
            start_unix_s,
            end_unix_s,
        } => {
            let mut o = Map::new();
            if start_unix_s != i64::MIN {
                o.insert(
                    "startDateTime".into(),
                    Value::String(format_rfc3339(start_unix_s)),
                );
            }
            if end_unix_s != i64::MAX {
                // Exclusions read `endDateTime` as included.
                let e = if kind == ZoneKind::Exclusion {
                    end_unix_s - 1
                } else {
                    end_unix_s
                };
                o.insert("endDateTime".into(), Value::String(format_rfc3339(e)));
            }
            Value::Object(o)
        }
        TimeWindow::Weekly {
            days,
            start_minute,
            end_minute,
        } => {
            let day: Vec<&str> = if days & 0x7f == 0x7f {
                vec!["ANY"]
            } else {
                DAY_CODES
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| days & (1 << i) != 0)
                    .map(|(_, d)| *d)
                    .collect()
            };
            let mut entry = json!({"day": day});
            if start_minute != end_minute {
                if let Value::Object(o) = &mut entry {
                    o.insert("startTime".into(), Value::String(hhmm(start_minute)));
                    o.insert("endTime".into(), Value::String(hhmm(end_minute)));
                }
            }
            json!({"schedule": [entry]})
        }
    }
}

pub(super) fn hhmm(minute: u16) -> String {
    format!("{:02}:{:02}:00Z", (minute / 60) % 24, minute % 60)
}

/// Unix seconds to `YYYY-MM-DDTHH:MM:SSZ` (years 0000 to 9999; beyond them, `jiff`'s
/// extended form).
pub(super) fn format_rfc3339(t: i64) -> String {
    match crate::rules::time::utc_wall_clock(t) {
        Some(clock) => format!("{clock}Z"),
        None => jiff::Timestamp::from_second(t).map_or_else(|_| t.to_string(), |ts| ts.to_string()),
    }
}
