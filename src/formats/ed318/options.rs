//! Options of the import: which ED-318 types become which zone kinds, altitude datums and policies.

use super::*;

/// Which [`ZoneKind`] each ED-318 type becomes. `None` refuses features of that type.
///
/// The mapping is the caller's decision, because ED-318 zones restrict *flying* while this
/// crate's kinds govern *engagement*: a `PROHIBITED` zone around a nuclear plant could be a
/// place where nothing may be engaged (an exclusion) or a place to protect (a sanctuary).
/// [`Ed318KindMap::all`] with [`ZoneKind::Exclusion`] is the conservative choice: exclusions
/// only ever deny.
///
/// # Example
/// ```
/// use sanctuary::{ed318::{Ed318KindMap, Ed318Type}, geometry::ZoneKind};
/// // Prohibited zones become exclusions, U-space zones sanctuaries, the rest are refused.
/// let kinds = Ed318KindMap {
///     prohibited: Some(ZoneKind::Exclusion),
///     uspace: Some(ZoneKind::Sanctuary),
///     ..Ed318KindMap::none()
/// };
/// assert_eq!(kinds.kind_of(Ed318Type::Uspace), Some(ZoneKind::Sanctuary));
/// assert_eq!(kinds.kind_of(Ed318Type::Conditional), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ed318KindMap {
    /// Kind of `USPACE` zones.
    pub uspace: Option<ZoneKind>,
    /// Kind of `PROHIBITED` zones.
    pub prohibited: Option<ZoneKind>,
    /// Kind of `REQ_AUTHORIZATION` zones.
    pub req_authorization: Option<ZoneKind>,
    /// Kind of `CONDITIONAL` zones.
    pub conditional: Option<ZoneKind>,
    /// Kind of `NO_RESTRICTION` zones.
    pub no_restriction: Option<ZoneKind>,
}

impl Ed318KindMap {
    /// Every type becomes `kind`.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{ed318::{Ed318KindMap, Ed318Type}, geometry::ZoneKind};
    /// let kinds = Ed318KindMap::all(ZoneKind::Exclusion);
    /// assert_eq!(kinds.kind_of(Ed318Type::NoRestriction), Some(ZoneKind::Exclusion));
    /// ```
    pub const fn all(kind: ZoneKind) -> Self {
        Ed318KindMap {
            uspace: Some(kind),
            prohibited: Some(kind),
            req_authorization: Some(kind),
            conditional: Some(kind),
            no_restriction: Some(kind),
        }
    }

    /// Every type is refused; set the ones you accept.
    ///
    /// # Example
    /// ```
    /// use sanctuary::ed318::{Ed318KindMap, Ed318Type};
    /// let kinds = Ed318KindMap::none();
    /// assert_eq!(kinds.kind_of(Ed318Type::Prohibited), None);
    /// ```
    pub const fn none() -> Self {
        Ed318KindMap {
            uspace: None,
            prohibited: None,
            req_authorization: None,
            conditional: None,
            no_restriction: None,
        }
    }

    /// The kind for a type, if accepted.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{ed318::{Ed318KindMap, Ed318Type}, geometry::ZoneKind};
    /// let kinds = Ed318KindMap { conditional: Some(ZoneKind::Sanctuary), ..Ed318KindMap::none() };
    /// assert_eq!(kinds.kind_of(Ed318Type::Conditional), Some(ZoneKind::Sanctuary));
    /// assert_eq!(kinds.kind_of(Ed318Type::Prohibited), None);
    /// ```
    pub fn kind_of(&self, t: Ed318Type) -> Option<ZoneKind> {
        match t {
            Ed318Type::Uspace => self.uspace,
            Ed318Type::Prohibited => self.prohibited,
            Ed318Type::ReqAuthorization => self.req_authorization,
            Ed318Type::Conditional => self.conditional,
            Ed318Type::NoRestriction => self.no_restriction,
        }
    }
}

/// What to do with `AGL` (above ground level) limits, which need the terrain height.
///
/// # Example
/// ```
/// use sanctuary::{ed318::{AglPolicy, Ed318KindMap, Ed318Options, ed318_from_str}, geometry::ZoneKind};
/// # let text = r#"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.6, 50.1],
/// #   "extent": {"subType": "Circle", "radius": 3500},
/// #   "layer": {"upper": 100, "upperReference": "AGL",
/// #             "lower": 0, "lowerReference": "AGL", "uom": "m"}},
/// #   "properties": {"identifier": "ABC1234", "country": "FRA", "type": "PROHIBITED",
/// #                  "variant": "COMMON", "zoneAuthority": [{"purpose": "INFORMATION"}]}}"#;
/// // `text`: a 3.5 km ED-318 circle, PROHIBITED, 0 to 100 m AGL.
/// let exclusions = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion));
/// assert!(ed318_from_str(text, &exclusions).is_err()); // refused by default
/// let terrain = AglPolicy::TerrainRange { min_m: 20.0, max_m: 180.0 };
/// let c = ed318_from_str(text, &exclusions.agl(terrain))?;
/// // An exclusion takes the wider band: 0 + 20 m up to 100 + 180 m.
/// let band = c.zones[0].zone.band().ok_or("no band")?;
/// assert_eq!((band.floor_m, band.ceiling_m), (Some(20.0), Some(280.0)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "policy", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AglPolicy {
    /// Refuse every AGL limit (the default): without a terrain model an AGL height cannot be
    /// compared with a track's altitude.
    #[default]
    Refuse,
    /// The caller vouches that the terrain under every imported zone lies between `min_m`
    /// and `max_m` in the tracks' datum ([`Ed318Options::altitude_datum`]). An AGL height `h`
    /// is then between `h + min_m` and `h + max_m`: exclusions take the wider band,
    /// sanctuaries the narrower one (refused if it is empty).
    TerrainRange {
        /// Lowest terrain elevation, metres.
        min_m: f64,
        /// Highest terrain elevation, metres.
        max_m: f64,
    },
    /// Drop AGL limits of exclusions (the exclusion then reaches down to, or up from, any
    /// altitude: only larger), and refuse AGL limits of sanctuaries.
    UnboundedForExclusions,
}

/// The datum of the altitudes the tracks carry, and so of the zones' bands.
///
/// # Example
/// ```
/// use sanctuary::{ed318::{AltitudeDatum, Ed318KindMap, Ed318Options, ed318_from_str}, geometry::ZoneKind};
/// # let text = r#"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.6, 50.1],
/// #   "extent": {"subType": "Circle", "radius": 3500},
/// #   "layer": {"upper": 100, "upperReference": "WGS84",
/// #             "lower": 0, "lowerReference": "WGS84", "uom": "m"}},
/// #   "properties": {"identifier": "ABC1234", "country": "FRA", "type": "PROHIBITED",
/// #                  "variant": "COMMON", "zoneAuthority": [{"purpose": "INFORMATION"}]}}"#;
/// // `text`: a 3.5 km ED-318 circle, PROHIBITED, 0 to 100 m above the WGS84 ellipsoid.
/// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion));
/// assert_eq!(options.altitude_datum, AltitudeDatum::Amsl);
/// // Tracks in WGS84 heights: WGS84 limits are taken exactly.
/// let c = ed318_from_str(text, &options.altitude_datum(AltitudeDatum::Wgs84))?;
/// let band = c.zones[0].zone.band().ok_or("no band")?;
/// assert_eq!((band.floor_m, band.ceiling_m), (Some(0.0), Some(100.0)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AltitudeDatum {
    /// Height above mean sea level (the default).
    #[default]
    Amsl,
    /// Height above the WGS84 ellipsoid.
    Wgs84,
}

impl AltitudeDatum {
    pub(super) fn reference(self) -> VerticalReference {
        match self {
            AltitudeDatum::Amsl => VerticalReference::Amsl,
            AltitudeDatum::Wgs84 => VerticalReference::Wgs84,
        }
    }
}

/// How to import ED-318 zones. The kind mapping has no default: see [`Ed318KindMap`].
///
/// # Example
/// ```
/// use sanctuary::{ed318::{AglPolicy, Ed318KindMap, Ed318Options}, geometry::ZoneKind};
/// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion))
///     .agl(AglPolicy::TerrainRange { min_m: 20.0, max_m: 180.0 });
/// assert_eq!(options.kinds.prohibited, Some(ZoneKind::Exclusion));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[must_use]
pub struct Ed318Options {
    /// ED-318 type to zone kind.
    pub kinds: Ed318KindMap,
    /// What to do with AGL limits.
    pub agl: AglPolicy,
    /// The datum of the tracks' altitudes.
    pub altitude_datum: AltitudeDatum,
    /// Range `[min, max]` of the geoid undulation (m) over the imported zones, used to
    /// convert limits between `AMSL` and `WGS84`; `None` refuses such limits.
    pub geoid_undulation_m: Option<[f64; 2]>,
}

impl Ed318Options {
    /// Options with this kind mapping, AGL refused, AMSL altitudes, and the global geoid
    /// undulation bounds [`GEOID_UNDULATION_BOUNDS_M`].
    ///
    /// # Example
    /// ```
    /// use sanctuary::{ed318::{AglPolicy, AltitudeDatum, Ed318KindMap, Ed318Options}, geometry::ZoneKind};
    /// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion));
    /// assert_eq!(options.agl, AglPolicy::Refuse);
    /// assert_eq!(options.altitude_datum, AltitudeDatum::Amsl);
    /// ```
    pub fn new(kinds: Ed318KindMap) -> Self {
        Ed318Options {
            kinds,
            agl: AglPolicy::Refuse,
            altitude_datum: AltitudeDatum::Amsl,
            geoid_undulation_m: Some(GEOID_UNDULATION_BOUNDS_M),
        }
    }
    /// Sets the AGL policy.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{ed318::{AglPolicy, Ed318KindMap, Ed318Options}, geometry::ZoneKind};
    /// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion))
    ///     .agl(AglPolicy::UnboundedForExclusions);
    /// assert_eq!(options.agl, AglPolicy::UnboundedForExclusions);
    /// ```
    pub fn agl(mut self, agl: AglPolicy) -> Self {
        self.agl = agl;
        self
    }
    /// Sets the tracks' altitude datum.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{ed318::{AltitudeDatum, Ed318KindMap, Ed318Options}, geometry::ZoneKind};
    /// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion))
    ///     .altitude_datum(AltitudeDatum::Wgs84);
    /// assert_eq!(options.altitude_datum, AltitudeDatum::Wgs84);
    /// ```
    pub fn altitude_datum(mut self, datum: AltitudeDatum) -> Self {
        self.altitude_datum = datum;
        self
    }
    /// Sets (or, with `None`, forbids) the geoid undulation range.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{ed318::{Ed318Error, Ed318KindMap, Ed318Options, ed318_from_str}, geometry::ZoneKind};
    /// # let text = r#"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.6, 50.1],
    /// #   "extent": {"subType": "Circle", "radius": 3500},
    /// #   "layer": {"upper": 100, "upperReference": "WGS84",
    /// #             "lower": 0, "lowerReference": "WGS84", "uom": "m"}},
    /// #   "properties": {"identifier": "ABC1234", "country": "FRA", "type": "PROHIBITED",
    /// #                  "variant": "COMMON", "zoneAuthority": [{"purpose": "INFORMATION"}]}}"#;
    /// // `text`: a 3.5 km ED-318 circle, PROHIBITED, 0 to 100 m above the WGS84 ellipsoid.
    /// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion));
    /// // WGS84 limits for AMSL tracks: an exclusion widens by the undulation range.
    /// let c = ed318_from_str(text, &options.geoid_undulation_m(Some([40.0, 50.0])))?;
    /// let band = c.zones[0].zone.band().ok_or("no band")?;
    /// assert_eq!((band.floor_m, band.ceiling_m), (Some(-50.0), Some(60.0)));
    /// let refused = ed318_from_str(text, &options.geoid_undulation_m(None));
    /// assert!(matches!(refused, Err(Ed318Error::Unsupported { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn geoid_undulation_m(mut self, range: Option<[f64; 2]>) -> Self {
        self.geoid_undulation_m = range;
        self
    }
}
