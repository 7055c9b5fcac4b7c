//! EUROCAE ED-318 UAS geographical zones (the GeoJSON profile of "GeoZones"): import into
//! validated [`Zone`]s and export back.
//!
//! # What is read, and how
//!
//! | ED-318                                             | here                                                   |
//! |----------------------------------------------------|--------------------------------------------------------|
//! | `Polygon`, `MultiPolygon`                          | a zone with [`EdgeModel::GreatCircle`] edges (ED-318 edges are great circles on WGS84) |
//! | `Point` with `extent {subType: Circle, radius}`    | a geodesic circle ([`ZoneGeometry::Circle`]), radius in metres (no edges: edge model left at its default) |
//! | `GeometryCollection` of the above, each with its own `layer` | one zone per member, id `{id}#{k}` (see below) |
//! | `layer` (`upper`/`lower`, `AMSL`/`WGS84`/`AGL`, `m`/`ft`) | the zone's [`VerticalBand`] in metres (ft × 0.3048 exactly), see [`Ed318Options`] |
//! | `type`                                             | [`Ed318Zone::zone_type`]; the zone's [`ZoneKind`] from the caller's [`Ed318KindMap`] |
//! | `reason`                                           | [`Ed318Zone::reasons`]                                 |
//! | `limitedApplicability`                             | [`Ed318Zone::applicability`]: exact UTC [`TimeWindow`]s |
//! | `name`                                             | the zone's name (first entry's text); kept verbatim in [`Ed318Zone::properties`] |
//! | other properties (`country`, `variant`, `zoneAuthority`, `otherReasonInfo`, `message`, `extendedProperties`, ...) | kept verbatim in [`Ed318Zone::properties`] and written back on export |
//!
//! **Zone ids.** A feature's base id is its GeoJSON `id` when that is a non-empty string,
//! else its `identifier`. A feature whose geometry is a `GeometryCollection` becomes one
//! zone per member, `{base}#0`, `{base}#1`, ...
//!
//! **Layers with different horizontal extents** (the "wedding cake" of
//! `Example_GeoZone_2_Layers.json`: a wide polygon from 50 to 150 m over a small one from
//! 0 to 50 m) are kept as separate zones, each with its own horizontal extent and band. The
//! ED-318 volume is exactly the union of those zones, which is how the rule engine already
//! combines zones (any exclusion denies; the sanctuary area is the union of sanctuaries).
//! Nothing is merged into a bounding volume, so nothing is widened.
//!
//! # What is refused, or made conservative
//!
//! Anything this crate cannot honour exactly is refused with an [`Ed318Error`] naming the
//! place (`features[i].geometry.layer.lowerReference`, ...) and the ED-318 feature, or is
//! converted in the conservative direction *for the zone's kind*, as documented here:
//! an exclusion may only grow (in space or time), a sanctuary may only shrink.
//!
//! - **`AGL` limits** need a terrain model, which this crate does not have: refused unless
//!   the caller chooses an [`AglPolicy`] (a terrain elevation range, or dropping AGL limits
//!   of exclusions). AGL limits of sanctuaries are never dropped.
//! - **`WGS84` (ellipsoidal) limits when tracks carry `AMSL` altitudes**, or the reverse: the
//!   geoid undulation lies within [`GEOID_UNDULATION_BOUNDS_M`] (or a narrower range the
//!   caller gives), so a limit is widened (exclusions) or narrowed (sanctuaries) by it.
//! - **Sunrise/sunset events** (`startEvent`, `endEvent`: `SR`, `SS`, `BMCT`, `EECT`) need an
//!   ephemeris: refused.
//! - **Schedule times with seconds** are rounded to whole minutes, outwards for exclusions and
//!   inwards for sanctuaries. Schedule times must be UTC (`Z`).
//! - **`endDateTime`** is ambiguous in ED-318 (examples end at `23:59:59`): it is read as
//!   *included* for exclusions (window end one second later) and *excluded* for sanctuaries.
//! - **A schedule within an open-ended date range** cannot be written as windows exactly: an
//!   exclusion keeps the schedule without the date bound (in force more often), a sanctuary is
//!   refused. A schedule within a closed date range is expanded into exact intervals (at most
//!   [`MAX_APPLICABILITY_WINDOWS`]).
//! - **Lines and points without a circle extent** have no area: refused. So are unknown
//!   property names (ED-318 forbids them, and a misspelt `limitedApplicability` would silently
//!   make a zone permanent), unknown enumeration values, and malformed date-times.
//!
//! # Export
//!
//! [`Ed318Collection::to_json`] writes an ED-318 FeatureCollection; [`ed318_from_zones`] and
//! [`ed318_from_plan_phase`] turn this crate's zones into [`Ed318Zone`]s first. ED-318 edges are
//! great circles, so a plate-carrée zone is **densified**: vertices on its own edges are
//! added until every great-circle edge lies within
//! [`Ed318ExportOptions::densify_tolerance_m`] of the original edge at its middle. The
//! exported zone then differs from the original by about that tolerance, which is stated
//! rather than hidden. Time windows are written as periods; a period that combined a date
//! range and a schedule on import is written as its expansion (the same instants).

use crate::geometry::error::ZoneError;
use crate::geometry::geodesy::geodesic_distance_m;
use crate::geometry::geojson::read_bounded;
use crate::geometry::kernel::EdgeModel;
use crate::geometry::zone::{VerticalBand, Zone, ZoneGeometry, ZoneKind, ZoneSpec};
use crate::rules::plan::Plan;
use crate::rules::time::parse_rfc3339;
use crate::rules::window::TimeWindow;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Metres per international foot, exactly.
///
/// # Example
/// ```
/// assert_eq!(sanctuary::FEET_TO_METRES, 0.3048);
/// assert_eq!(500.0 * sanctuary::FEET_TO_METRES, 152.4);
/// ```
pub const FEET_TO_METRES: f64 = 0.3048;

/// The largest number of time windows one zone's `limitedApplicability` may expand to.
///
/// # Example
/// ```
/// assert_eq!(sanctuary::MAX_APPLICABILITY_WINDOWS, 100_000);
/// ```
pub const MAX_APPLICABILITY_WINDOWS: usize = 100_000;

/// Global bounds of the geoid undulation N (ellipsoidal height minus height above mean sea
/// level), metres: EGM2008 ranges from about −106.2 m to +85.8 m.
///
/// # Example
/// ```
/// use sanctuary::{Ed318KindMap, Ed318Options, ZoneKind, GEOID_UNDULATION_BOUNDS_M};
/// assert_eq!(GEOID_UNDULATION_BOUNDS_M, [-107.0, 86.0]);
/// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion));
/// assert_eq!(options.geoid_undulation_m, Some(GEOID_UNDULATION_BOUNDS_M));
/// ```
pub const GEOID_UNDULATION_BOUNDS_M: [f64; 2] = [-107.0, 86.0];

/// The largest ED-318 file accepted by [`ed318_from_file`], bytes.
///
/// # Example
/// ```
/// assert_eq!(sanctuary::MAX_ED318_FILE_BYTES, 256 * 1024 * 1024);
/// ```
pub const MAX_ED318_FILE_BYTES: u64 = 256 * 1024 * 1024;

const SECONDS_PER_DAY: i64 = 86_400;
const MINUTES_PER_DAY: u16 = 1440;

/// An ED-318 zone type (`type`).
///
/// # Example
/// ```
/// use sanctuary::Ed318Type;
/// let t: Ed318Type = serde_json::from_str(r#""REQ_AUTHORIZATION""#)?;
/// assert_eq!(t, Ed318Type::ReqAuthorization);
/// assert_eq!(serde_json::to_string(&Ed318Type::NoRestriction)?, r#""NO_RESTRICTION""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Ed318Type {
    /// `USPACE`: a U-space airspace.
    Uspace,
    /// `PROHIBITED`: UAS flights are prohibited.
    Prohibited,
    /// `REQ_AUTHORIZATION`: UAS flights need an authorisation.
    ReqAuthorization,
    /// `CONDITIONAL`: UAS flights are subject to conditions.
    Conditional,
    /// `NO_RESTRICTION`: no restriction applies.
    NoRestriction,
}

impl Ed318Type {
    const ALL: [Ed318Type; 5] = [
        Ed318Type::Uspace,
        Ed318Type::Prohibited,
        Ed318Type::ReqAuthorization,
        Ed318Type::Conditional,
        Ed318Type::NoRestriction,
    ];

    /// The ED-318 code, e.g. `"PROHIBITED"`.
    ///
    /// # Example
    /// ```
    /// use sanctuary::Ed318Type;
    /// assert_eq!(Ed318Type::Prohibited.as_str(), "PROHIBITED");
    /// assert_eq!(Ed318Type::Uspace.as_str(), "USPACE");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Ed318Type::Uspace => "USPACE",
            Ed318Type::Prohibited => "PROHIBITED",
            Ed318Type::ReqAuthorization => "REQ_AUTHORIZATION",
            Ed318Type::Conditional => "CONDITIONAL",
            Ed318Type::NoRestriction => "NO_RESTRICTION",
        }
    }

    /// Parses an ED-318 code (exact spelling).
    ///
    /// # Example
    /// ```
    /// use sanctuary::Ed318Type;
    /// assert_eq!(Ed318Type::parse("CONDITIONAL"), Some(Ed318Type::Conditional));
    /// assert_eq!(Ed318Type::parse("conditional"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// An ED-318 zone reason (`reason`).
///
/// # Example
/// ```
/// use sanctuary::Ed318Reason;
/// let reasons: Vec<Ed318Reason> = serde_json::from_str(r#"["AIR_TRAFFIC", "NATURE"]"#)?;
/// assert_eq!(reasons, [Ed318Reason::AirTraffic, Ed318Reason::Nature]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Ed318Reason {
    /// `AIR_TRAFFIC`.
    AirTraffic,
    /// `SENSITIVE`.
    Sensitive,
    /// `PRIVACY`.
    Privacy,
    /// `POPULATION`.
    Population,
    /// `NATURE`.
    Nature,
    /// `NOISE`.
    Noise,
    /// `EMERGENCY`.
    Emergency,
    /// `DAR`.
    Dar,
    /// `OTHER`.
    Other,
}

impl Ed318Reason {
    const ALL: [Ed318Reason; 9] = [
        Ed318Reason::AirTraffic,
        Ed318Reason::Sensitive,
        Ed318Reason::Privacy,
        Ed318Reason::Population,
        Ed318Reason::Nature,
        Ed318Reason::Noise,
        Ed318Reason::Emergency,
        Ed318Reason::Dar,
        Ed318Reason::Other,
    ];

    /// The ED-318 code, e.g. `"AIR_TRAFFIC"`.
    ///
    /// # Example
    /// ```
    /// use sanctuary::Ed318Reason;
    /// assert_eq!(Ed318Reason::AirTraffic.as_str(), "AIR_TRAFFIC");
    /// assert_eq!(Ed318Reason::Dar.as_str(), "DAR");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Ed318Reason::AirTraffic => "AIR_TRAFFIC",
            Ed318Reason::Sensitive => "SENSITIVE",
            Ed318Reason::Privacy => "PRIVACY",
            Ed318Reason::Population => "POPULATION",
            Ed318Reason::Nature => "NATURE",
            Ed318Reason::Noise => "NOISE",
            Ed318Reason::Emergency => "EMERGENCY",
            Ed318Reason::Dar => "DAR",
            Ed318Reason::Other => "OTHER",
        }
    }

    /// Parses an ED-318 code (exact spelling).
    ///
    /// # Example
    /// ```
    /// use sanctuary::Ed318Reason;
    /// assert_eq!(Ed318Reason::parse("PRIVACY"), Some(Ed318Reason::Privacy));
    /// assert_eq!(Ed318Reason::parse("Privacy"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// An ED-318 vertical reference.
///
/// # Example
/// ```
/// use sanctuary::VerticalReference;
/// let r: VerticalReference = serde_json::from_str(r#""WGS84""#)?;
/// assert_eq!(r, VerticalReference::Wgs84);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VerticalReference {
    /// `AGL`: above ground (or water) level.
    #[serde(rename = "AGL")]
    Agl,
    /// `AMSL`: above mean sea level.
    #[serde(rename = "AMSL")]
    Amsl,
    /// `WGS84`: above the WGS84 ellipsoid (ellipsoidal height).
    #[serde(rename = "WGS84")]
    Wgs84,
}

impl VerticalReference {
    /// The ED-318 code.
    ///
    /// # Example
    /// ```
    /// use sanctuary::VerticalReference;
    /// assert_eq!(VerticalReference::Agl.as_str(), "AGL");
    /// assert_eq!(VerticalReference::Amsl.as_str(), "AMSL");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            VerticalReference::Agl => "AGL",
            VerticalReference::Amsl => "AMSL",
            VerticalReference::Wgs84 => "WGS84",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "AGL" => Some(VerticalReference::Agl),
            "AMSL" => Some(VerticalReference::Amsl),
            "WGS84" => Some(VerticalReference::Wgs84),
            _ => None,
        }
    }
}

/// The unit of an ED-318 layer (`uom`).
///
/// # Example
/// ```
/// use sanctuary::{Ed318Layer, LengthUnit};
/// assert_eq!(LengthUnit::default(), LengthUnit::M);
/// let layer: Ed318Layer = serde_json::from_str(r#"{"upper": 400, "uom": "ft"}"#)?;
/// assert_eq!(layer.uom, LengthUnit::Ft);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LengthUnit {
    /// Metres (the ED-318 default).
    #[default]
    M,
    /// International feet, 0.3048 m exactly.
    Ft,
}

impl LengthUnit {
    fn metres(self, v: f64) -> f64 {
        match self {
            LengthUnit::M => v,
            LengthUnit::Ft => v * FEET_TO_METRES,
        }
    }
}

/// An ED-318 `layer`, as declared in the file (before any conversion).
///
/// # Example
/// ```
/// use sanctuary::{Ed318Layer, LengthUnit, VerticalReference};
/// let layer: Ed318Layer = serde_json::from_str(
///     r#"{"upper": 120, "upperReference": "AGL", "lower": 0, "lowerReference": "AGL"}"#,
/// )?;
/// assert_eq!((layer.lower, layer.upper), (Some(0.0), Some(120.0)));
/// assert_eq!(layer.upper_reference, Some(VerticalReference::Agl));
/// assert_eq!(layer.uom, LengthUnit::M); // the default unit
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Ed318Layer {
    /// Upper limit, in `uom`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper: Option<f64>,
    /// Reference of the upper limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper_reference: Option<VerticalReference>,
    /// Lower limit, in `uom`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower: Option<f64>,
    /// Reference of the lower limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_reference: Option<VerticalReference>,
    /// Unit of both limits.
    #[serde(default)]
    pub uom: LengthUnit,
}

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
/// use sanctuary::{Ed318KindMap, Ed318Type, ZoneKind};
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
    /// use sanctuary::{Ed318KindMap, Ed318Type, ZoneKind};
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
    /// use sanctuary::{Ed318KindMap, Ed318Type};
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
    /// use sanctuary::{Ed318KindMap, Ed318Type, ZoneKind};
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
/// use sanctuary::{ed318_from_str, AglPolicy, Ed318KindMap, Ed318Options, ZoneKind};
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
/// use sanctuary::{ed318_from_str, AltitudeDatum, Ed318KindMap, Ed318Options, ZoneKind};
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
pub enum AltitudeDatum {
    /// Height above mean sea level (the default).
    #[default]
    Amsl,
    /// Height above the WGS84 ellipsoid.
    Wgs84,
}

impl AltitudeDatum {
    fn reference(self) -> VerticalReference {
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
/// use sanctuary::{AglPolicy, Ed318KindMap, Ed318Options, ZoneKind};
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
    /// use sanctuary::{AglPolicy, AltitudeDatum, Ed318KindMap, Ed318Options, ZoneKind};
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
    /// use sanctuary::{AglPolicy, Ed318KindMap, Ed318Options, ZoneKind};
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
    /// use sanctuary::{AltitudeDatum, Ed318KindMap, Ed318Options, ZoneKind};
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
    /// use sanctuary::{ed318_from_str, Ed318Error, Ed318KindMap, Ed318Options, ZoneKind};
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

/// One imported ED-318 zone (one member of a multi-layer feature), with what ED-318 says
/// about it beside the validated [`Zone`].
///
/// # Example
/// ```
/// use sanctuary::{ed318_from_str, Ed318KindMap, Ed318Options, Ed318Type, ZoneKind};
/// # let text = r#"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.6, 50.1],
/// #   "extent": {"subType": "Circle", "radius": 3500},
/// #   "layer": {"upper": 100, "upperReference": "AMSL",
/// #             "lower": 0, "lowerReference": "AMSL", "uom": "m"}},
/// #   "properties": {"identifier": "ABC1234", "country": "FRA", "type": "PROHIBITED",
/// #                  "variant": "COMMON", "zoneAuthority": [{"purpose": "INFORMATION"}]}}"#;
/// // `text`: a 3.5 km ED-318 circle `ABC1234` in France, PROHIBITED, 0 to 100 m AMSL.
/// let c = ed318_from_str(text, &Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion)))?;
/// let z = &c.zones[0];
/// assert_eq!((z.identifier.as_str(), z.zone_type), ("ABC1234", Ed318Type::Prohibited));
/// assert_eq!(z.zone.id(), "ABC1234");
/// assert!(z.reasons.is_empty() && z.applicability.is_empty());
/// assert_eq!(z.properties["country"], "FRA");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ed318Zone {
    /// The validated zone: great-circle edges, kind from the [`Ed318KindMap`], band in metres
    /// in the tracks' datum (converted conservatively, see the module docs).
    pub zone: Zone,
    /// The ED-318 `identifier` (at most 7 characters in ED-318).
    pub identifier: String,
    /// The ED-318 `type`.
    pub zone_type: Ed318Type,
    /// The ED-318 `reason`s, in file order.
    #[serde(default)]
    pub reasons: Vec<Ed318Reason>,
    /// When the zone applies, as UTC windows (any one suffices); empty means always.
    #[serde(default)]
    pub applicability: Vec<TimeWindow>,
    /// The vertical layer as declared (written back on export; the zone's band is derived
    /// from it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<Ed318Layer>,
    /// Every other ED-318 property, verbatim (`country`, `name`, `variant`, `zoneAuthority`, ...).
    #[serde(default)]
    pub properties: Map<String, Value>,
}

/// An imported ED-318 collection.
///
/// # Example
/// ```
/// use sanctuary::{ed318_from_str, Ed318KindMap, Ed318Options, ZoneKind};
/// # let text = r#"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.6, 50.1],
/// #   "extent": {"subType": "Circle", "radius": 3500},
/// #   "layer": {"upper": 100, "upperReference": "AMSL",
/// #             "lower": 0, "lowerReference": "AMSL", "uom": "m"}},
/// #   "properties": {"identifier": "ABC1234", "country": "FRA", "type": "PROHIBITED",
/// #                  "variant": "COMMON", "zoneAuthority": [{"purpose": "INFORMATION"}]}}"#;
/// // `text`: a 3.5 km ED-318 circle `ABC1234` in France, PROHIBITED, 0 to 100 m AMSL.
/// let c = ed318_from_str(text, &Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion)))?;
/// assert_eq!((c.name.as_deref(), c.zones.len()), (None, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Ed318Collection {
    /// The collection's `name`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The collection's `metadata` (`issued`, `validFrom`, `validTo`, ...), verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// The zones, in file order (members of a multi-layer feature consecutively).
    pub zones: Vec<Ed318Zone>,
}

/// Reading or writing ED-318 failed.
///
/// # Example
/// ```
/// use sanctuary::{ed318_from_str, Ed318Error, Ed318KindMap, Ed318Options, ZoneKind};
/// # let text = r#"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.6, 50.1],
/// #   "extent": {"subType": "Circle", "radius": 3500},
/// #   "layer": {"upper": 100, "upperReference": "AMSL",
/// #             "lower": 0, "lowerReference": "AMSL", "uom": "m"}},
/// #   "properties": {"identifier": "ABC1234", "country": "FRA", "type": "PROHIBITED",
/// #                  "variant": "COMMON", "zoneAuthority": [{"purpose": "INFORMATION"}]}}"#;
/// // `text`: a 3.5 km ED-318 circle `ABC1234` in France, PROHIBITED, 0 to 100 m AMSL.
/// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion));
/// assert!(matches!(ed318_from_str("{", &options), Err(Ed318Error::Json { .. })));
/// // Prohibited zones refused by the kind map.
/// let err = ed318_from_str(text, &Ed318Options::new(Ed318KindMap::none())).unwrap_err();
/// assert!(matches!(err, Ed318Error::Unsupported { feature: "zone type", .. }));
/// assert!(err.to_string().starts_with("feature.properties.type: unsupported zone type"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Ed318Error {
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The text is not valid JSON.
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The document does not follow the ED-318 schema.
    Format {
        /// Where, e.g. `features[0].properties.type`.
        place: String,
        /// What is wrong.
        message: String,
    },
    /// Valid ED-318 that this crate cannot honour exactly or conservatively.
    Unsupported {
        /// Where, e.g. `features[0].geometry.layer.lowerReference`.
        place: String,
        /// The ED-318 feature, e.g. `AGL limit`.
        feature: &'static str,
        /// Why, and what to do.
        message: String,
    },
    /// A zone failed validation.
    Zone {
        /// Where, e.g. `features[3].geometry.geometries[1]`, or the zone id on export.
        place: String,
        /// The validation error.
        source: ZoneError,
    },
    /// Two zones would share an id.
    DuplicateId {
        /// Where the second one is.
        place: String,
        /// The id.
        id: String,
    },
}

impl std::fmt::Display for Ed318Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ed318Error::Io { path, source } => write!(f, "cannot read `{}`: {source}", path.display()),
            Ed318Error::Json {
                line,
                column,
                message,
            } => write!(f, "invalid JSON at line {line} column {column}: {message}"),
            Ed318Error::Format { place, message } => write!(f, "{place}: {message}"),
            Ed318Error::Unsupported {
                place,
                feature,
                message,
            } => write!(f, "{place}: unsupported {feature}: {message}"),
            Ed318Error::Zone { place, source } => write!(f, "{place}: {source}"),
            Ed318Error::DuplicateId { place, id } => write!(f, "{place}: duplicate zone id `{id}`"),
        }
    }
}

impl std::error::Error for Ed318Error {}

fn format_err(place: &str, message: impl Into<String>) -> Ed318Error {
    Ed318Error::Format {
        place: place.to_string(),
        message: message.into(),
    }
}

fn unsupported(place: &str, feature: &'static str, message: impl Into<String>) -> Ed318Error {
    Ed318Error::Unsupported {
        place: place.to_string(),
        feature,
        message: message.into(),
    }
}

// ---------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------

/// Parses an ED-318 GeoZone collection (a FeatureCollection, or a single Feature).
///
/// # Errors
/// [`Ed318Error`] naming the place (`features[i]...`): invalid JSON, anything that does not
/// follow the ED-318 schema (missing required property, unknown property or enumeration value,
/// malformed date-time), anything refused (see the module docs: AGL limits without an
/// [`AglPolicy`], sunrise/sunset events, lines), a zone that fails validation, duplicate ids.
///
/// # Example
/// ```
/// use sanctuary::{ed318_from_str, Ed318KindMap, Ed318Options, Ed318Type, Position, ZoneKind};
/// let text = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
///   "geometry": {"type": "Point", "coordinates": [2.6, 50.1],
///                "extent": {"subType": "Circle", "radius": 3500},
///                "layer": {"upper": 500, "upperReference": "AMSL", "lower": 0,
///                          "lowerReference": "AMSL", "uom": "ft"}},
///   "properties": {"identifier": "ABC1234", "country": "FRA", "type": "PROHIBITED",
///                  "variant": "COMMON", "zoneAuthority": [{"purpose": "INFORMATION"}]}}]}"#;
/// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion));
/// let collection = ed318_from_str(text, &options)?;
/// let z = &collection.zones[0];
/// assert_eq!(z.zone_type, Ed318Type::Prohibited);
/// assert_eq!(z.zone.kind(), ZoneKind::Exclusion);
/// assert_eq!(z.zone.band().unwrap().ceiling_m, Some(152.4));
/// assert_eq!(z.zone.position(2.6, 50.1)?, Position::Inside);
///
/// // AGL limits need a terrain model: refused unless the caller chooses an `AglPolicy`.
/// let agl = text.replace("\"AMSL\"", "\"AGL\"");
/// let err = ed318_from_str(&agl, &options).unwrap_err();
/// assert!(err.to_string().starts_with("features[0].geometry.layer.lowerReference"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ed318_from_str(text: &str, options: &Ed318Options) -> Result<Ed318Collection, Ed318Error> {
    let value: Value = serde_json::from_str(text).map_err(|e| Ed318Error::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    ed318_from_value(&value, options)
}

/// Reads and parses an ED-318 file (see [`ed318_from_str`]).
///
/// # Errors
/// [`Ed318Error::Io`] when the file cannot be read or is larger than
/// [`MAX_ED318_FILE_BYTES`]; otherwise as [`ed318_from_str`].
///
/// # Example
/// ```
/// use sanctuary::{ed318_from_file, Ed318Error, Ed318KindMap, Ed318Options, ZoneKind};
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ed318/examples");
/// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion))
///     .agl(sanctuary::AglPolicy::UnboundedForExclusions);
/// let c = ed318_from_file(format!("{dir}/Example_GeoZone_2_Layers.json"), &options)?;
/// assert_eq!(c.zones.len(), 2);
/// let missing = ed318_from_file(format!("{dir}/no-such-file.json"), &options);
/// assert!(matches!(missing, Err(Ed318Error::Io { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ed318_from_file(
    path: impl AsRef<Path>,
    options: &Ed318Options,
) -> Result<Ed318Collection, Ed318Error> {
    let path = path.as_ref();
    let text = read_bounded(path, MAX_ED318_FILE_BYTES).map_err(|e| match e {
        crate::geometry::error::LoadError::Io { path, source } => Ed318Error::Io { path, source },
        other => Ed318Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(other.to_string()),
        },
    })?;
    ed318_from_str(&text, options)
}

/// Parses an already decoded ED-318 document (see [`ed318_from_str`]).
///
/// # Errors
/// As [`ed318_from_str`], except for JSON syntax.
///
/// # Example
/// ```
/// use sanctuary::{ed318_from_value, Ed318Error, Ed318KindMap, Ed318Options, ZoneKind};
/// let feature = serde_json::json!({"type": "Feature",
///     "geometry": {"type": "Point", "coordinates": [2.6, 50.1],
///                  "extent": {"subType": "Circle", "radius": 500}},
///     "properties": {"identifier": "X1", "country": "FRA", "type": "PROHIBITED", "variant": "COMMON",
///                    "zoneAuthority": [{"purpose": "INFORMATION"}]}});
/// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion));
/// assert_eq!(ed318_from_value(&feature, &options)?.zones[0].zone.id(), "X1");
/// let not_geojson = serde_json::json!({"type": "Topology"});
/// assert!(matches!(ed318_from_value(&not_geojson, &options), Err(Ed318Error::Format { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ed318_from_value(value: &Value, options: &Ed318Options) -> Result<Ed318Collection, Ed318Error> {
    let obj = value
        .as_object()
        .ok_or_else(|| format_err("document", "expected a JSON object"))?;
    match obj.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {}
        Some("Feature") => {
            let mut zones = Vec::new();
            let mut seen = HashMap::new();
            read_feature(value, "feature", options, &mut zones, &mut seen)?;
            return Ok(Ed318Collection {
                name: None,
                metadata: None,
                zones,
            });
        }
        _ => {
            return Err(format_err(
                "type",
                "expected `FeatureCollection` (or a single `Feature`)",
            ))
        }
    }
    let name = match obj.get("name") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(format_err("name", "expected a string")),
    };
    let metadata = match obj.get("metadata") {
        None => None,
        Some(Value::Object(m)) => {
            for (key, v) in m {
                let place = format!("metadata.{key}");
                match key.as_str() {
                    "validFrom" | "validTo" | "issued" => {
                        date_time(v, &place)?;
                    }
                    "provider" | "description" | "technicalLimitations" => check_texts(v, &place)?,
                    "otherGeoid" => {
                        v.as_str()
                            .ok_or_else(|| format_err(&place, "expected a string"))?;
                    }
                    _ => {}
                }
            }
            Some(m.clone())
        }
        Some(_) => return Err(format_err("metadata", "expected an object")),
    };
    let features = obj
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| format_err("features", "missing or not an array"))?;
    let mut zones = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (i, f) in features.iter().enumerate() {
        read_feature(f, &format!("features[{i}]"), options, &mut zones, &mut seen)?;
    }
    Ok(Ed318Collection {
        name,
        metadata,
        zones,
    })
}

/// Properties the ED-318 schema allows (`additionalProperties: false`).
const KNOWN_PROPERTIES: [&str; 16] = [
    "identifier",
    "country",
    "name",
    "type",
    "variant",
    "restrictionConditions",
    "region",
    "reason",
    "otherReasonInfo",
    "regulationExemption",
    "message",
    "zoneAuthority",
    "limitedApplicability",
    "dataSource",
    "extendedProperties",
    // Not in the schema's list, but harmless if a producer repeats the GeoJSON id.
    "id",
];

fn read_feature(
    f: &Value,
    place: &str,
    options: &Ed318Options,
    out: &mut Vec<Ed318Zone>,
    seen: &mut HashMap<String, String>,
) -> Result<(), Ed318Error> {
    let fo = f
        .as_object()
        .ok_or_else(|| format_err(place, "expected a Feature object"))?;
    if fo.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err(format_err(&format!("{place}.type"), "expected `Feature`"));
    }
    let pplace = format!("{place}.properties");
    let props = fo.get("properties").and_then(Value::as_object).ok_or_else(|| {
        format_err(
            &pplace,
            "missing properties (identifier, country, type, variant, zoneAuthority are required)",
        )
    })?;
    for key in props.keys() {
        if !KNOWN_PROPERTIES.contains(&key.as_str()) {
            return Err(format_err(
                &format!("{pplace}.{key}"),
                format!("unknown property `{key}`; ED-318 allows no others (put extensions in `extendedProperties`)"),
            ));
        }
    }
    let required_str = |key: &str| -> Result<String, Ed318Error> {
        match props.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            Some(_) => Err(format_err(
                &format!("{pplace}.{key}"),
                "expected a non-empty string",
            )),
            None => Err(format_err(&pplace, format!("missing required property `{key}`"))),
        }
    };
    let identifier = required_str("identifier")?;
    required_str("country")?;
    let type_str = required_str("type")?;
    let zone_type = Ed318Type::parse(&type_str).ok_or_else(|| {
        format_err(
            &format!("{pplace}.type"),
            format!("unknown zone type `{type_str}`; expected USPACE, PROHIBITED, REQ_AUTHORIZATION, CONDITIONAL or NO_RESTRICTION"),
        )
    })?;
    let variant = required_str("variant")?;
    if variant != "COMMON" && variant != "CUSTOMIZED" {
        return Err(format_err(
            &format!("{pplace}.variant"),
            format!("unknown variant `{variant}`; expected COMMON or CUSTOMIZED"),
        ));
    }
    match props.get("zoneAuthority") {
        Some(Value::Array(a)) if !a.is_empty() => {
            for (j, auth) in a.iter().enumerate() {
                let ap = format!("{pplace}.zoneAuthority[{j}]");
                let purpose = auth
                    .get("purpose")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format_err(&ap, "missing required property `purpose`"))?;
                if !["AUTHORIZATION", "NOTIFICATION", "INFORMATION"].contains(&purpose) {
                    return Err(format_err(
                        &format!("{ap}.purpose"),
                        format!("unknown purpose `{purpose}`"),
                    ));
                }
            }
        }
        Some(_) => {
            return Err(format_err(
                &format!("{pplace}.zoneAuthority"),
                "expected a non-empty array",
            ))
        }
        None => {
            return Err(format_err(&pplace, "missing required property `zoneAuthority`"));
        }
    }
    for key in ["name", "otherReasonInfo", "message"] {
        if let Some(v) = props.get(key) {
            check_texts(v, &format!("{pplace}.{key}"))?;
        }
    }
    if let Some(v) = props.get("regulationExemption") {
        if !matches!(v.as_str(), Some("YES" | "NO")) {
            return Err(format_err(
                &format!("{pplace}.regulationExemption"),
                "expected `YES` or `NO`",
            ));
        }
    }
    let reasons = match props.get("reason") {
        None => Vec::new(),
        Some(Value::Array(a)) => {
            let mut rs = Vec::with_capacity(a.len());
            for (j, r) in a.iter().enumerate() {
                let rp = format!("{pplace}.reason[{j}]");
                let s = r.as_str().ok_or_else(|| format_err(&rp, "expected a string"))?;
                rs.push(
                    Ed318Reason::parse(s).ok_or_else(|| format_err(&rp, format!("unknown reason `{s}`")))?,
                );
            }
            rs
        }
        Some(_) => return Err(format_err(&format!("{pplace}.reason"), "expected an array")),
    };
    let Some(kind) = options.kinds.kind_of(zone_type) else {
        return Err(unsupported(
            &format!("{pplace}.type"),
            "zone type",
            format!("no zone kind is mapped for `{type_str}` (see Ed318KindMap)"),
        ));
    };
    let applicability = match props.get("limitedApplicability") {
        None => Vec::new(),
        Some(v) => applicability(v, &format!("{pplace}.limitedApplicability"), kind)?,
    };
    let name = props
        .get("name")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|t| t.get("text"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut properties = props.clone();
    for key in ["identifier", "type", "reason", "limitedApplicability"] {
        properties.remove(key);
    }
    let base = match fo.get("id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => identifier.clone(),
    };

    let gplace = format!("{place}.geometry");
    let geometry = fo
        .get("geometry")
        .and_then(Value::as_object)
        .ok_or_else(|| format_err(&gplace, "missing geometry: a zone needs one"))?;
    let mut parts: Vec<(String, String, ZoneGeometry, Option<Ed318Layer>)> = Vec::new();
    if geometry.get("type").and_then(Value::as_str) == Some("GeometryCollection") {
        let outer_layer = geometry
            .get("layer")
            .map(|l| read_layer(l, &format!("{gplace}.layer")))
            .transpose()?;
        let members = geometry
            .get("geometries")
            .and_then(Value::as_array)
            .ok_or_else(|| format_err(&format!("{gplace}.geometries"), "missing or not an array"))?;
        if members.is_empty() {
            return Err(format_err(
                &format!("{gplace}.geometries"),
                "a GeometryCollection zone needs at least one geometry",
            ));
        }
        for (k, m) in members.iter().enumerate() {
            let mplace = format!("{gplace}.geometries[{k}]");
            let mo = m
                .as_object()
                .ok_or_else(|| format_err(&mplace, "expected a geometry object"))?;
            let (geom, own_layer) = read_simple_geometry(mo, &mplace)?;
            let layer = match (own_layer, outer_layer) {
                (Some(l), None) => Some(l),
                (None, l) => l,
                (Some(_), Some(_)) => {
                    return Err(format_err(
                        &format!("{mplace}.layer"),
                        "both the GeometryCollection and its member carry a `layer`: which one applies is ambiguous",
                    ))
                }
            };
            parts.push((format!("{base}#{k}"), mplace, geom, layer));
        }
    } else {
        let (geom, layer) = read_simple_geometry(geometry, &gplace)?;
        parts.push((base, gplace, geom, layer));
    }
    for (id, gp, geometry, layer) in parts {
        let band = match &layer {
            None => None,
            Some(l) => convert_layer(l, kind, options, &format!("{gp}.layer"))?,
        };
        if let Some(first) = seen.get(&id) {
            return Err(Ed318Error::DuplicateId {
                place: format!("{gp} (first used at {first})"),
                id,
            });
        }
        seen.insert(id.clone(), gp.clone());
        // Circles have no edges: their edge model is left at the default.
        let edges = match geometry {
            ZoneGeometry::Circle { .. } => EdgeModel::default(),
            _ => EdgeModel::GreatCircle,
        };
        let zone = Zone::try_from(ZoneSpec {
            id,
            name: name.clone(),
            kind,
            edges,
            geometry,
            band,
        })
        .map_err(|source| Ed318Error::Zone { place: gp, source })?;
        out.push(Ed318Zone {
            zone,
            identifier: identifier.clone(),
            zone_type,
            reasons: reasons.clone(),
            applicability: applicability.clone(),
            layer,
            properties: properties.clone(),
        });
    }
    Ok(())
}

/// Checks an array of `{text, lang}` (ED-318 `textShortType`: `lang` required).
fn check_texts(v: &Value, place: &str) -> Result<(), Ed318Error> {
    let a = v
        .as_array()
        .ok_or_else(|| format_err(place, "expected an array of texts"))?;
    for (j, t) in a.iter().enumerate() {
        let tp = format!("{place}[{j}]");
        let o = t
            .as_object()
            .ok_or_else(|| format_err(&tp, "expected a text object"))?;
        match o.get("lang") {
            Some(Value::String(_)) => {}
            Some(_) => return Err(format_err(&format!("{tp}.lang"), "expected a string")),
            None => return Err(format_err(&tp, "missing required property `lang`")),
        }
        if let Some(text) = o.get("text") {
            if !text.is_string() {
                return Err(format_err(&format!("{tp}.text"), "expected a string"));
            }
        }
    }
    Ok(())
}

fn number(v: &Value, place: &str) -> Result<f64, Ed318Error> {
    v.as_f64()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format_err(place, "expected a finite number"))
}

fn position(v: &Value, place: &str) -> Result<[f64; 2], Ed318Error> {
    match v.as_array().map(Vec::as_slice) {
        Some([x, y, ..]) => Ok([number(x, place)?, number(y, place)?]),
        _ => Err(format_err(place, "a position needs two numbers")),
    }
}

fn rings(v: &Value, place: &str) -> Result<Vec<Vec<[f64; 2]>>, Ed318Error> {
    let a = v
        .as_array()
        .ok_or_else(|| format_err(place, "expected an array of rings"))?;
    a.iter()
        .enumerate()
        .map(|(r, ring)| {
            let rp = format!("{place}[{r}]");
            ring.as_array()
                .ok_or_else(|| format_err(&rp, "expected an array of positions"))?
                .iter()
                .enumerate()
                .map(|(k, p)| position(p, &format!("{rp}[{k}]")))
                .collect()
        })
        .collect()
}

fn read_simple_geometry(
    g: &Map<String, Value>,
    place: &str,
) -> Result<(ZoneGeometry, Option<Ed318Layer>), Ed318Error> {
    let layer = g
        .get("layer")
        .map(|l| read_layer(l, &format!("{place}.layer")))
        .transpose()?;
    let coords = || {
        g.get("coordinates")
            .ok_or_else(|| format_err(&format!("{place}.coordinates"), "missing coordinates"))
    };
    let cplace = format!("{place}.coordinates");
    let geometry = match g.get("type").and_then(Value::as_str) {
        Some("Polygon") => ZoneGeometry::Polygon {
            rings: rings(coords()?, &cplace)?,
        },
        Some("MultiPolygon") => {
            let a = coords()?
                .as_array()
                .ok_or_else(|| format_err(&cplace, "expected an array of polygons"))?;
            ZoneGeometry::MultiPolygon {
                polygons: a
                    .iter()
                    .enumerate()
                    .map(|(p, poly)| rings(poly, &format!("{cplace}[{p}]")))
                    .collect::<Result<_, _>>()?,
            }
        }
        Some("Point") => {
            let center = position(coords()?, &cplace)?;
            let eplace = format!("{place}.extent");
            let Some(extent) = g.get("extent") else {
                return Err(unsupported(
                    place,
                    "Point without extent",
                    "a point has no area; a circle needs `extent {subType: Circle, radius}`",
                ));
            };
            match extent.get("subType").and_then(Value::as_str) {
                Some("Circle") => {}
                Some(other) => {
                    return Err(unsupported(
                        &format!("{eplace}.subType"),
                        "extent subType",
                        format!("`{other}`; only `Circle` is defined"),
                    ))
                }
                None => return Err(format_err(&eplace, "missing required property `subType`")),
            }
            let radius_m = number(
                extent
                    .get("radius")
                    .ok_or_else(|| format_err(&eplace, "missing required property `radius`"))?,
                &format!("{eplace}.radius"),
            )?;
            ZoneGeometry::Circle { center, radius_m }
        }
        Some(other @ ("LineString" | "MultiLineString" | "MultiPoint")) => {
            return Err(unsupported(
                &format!("{place}.type"),
                "geometry type",
                format!("`{other}` has no area, so it cannot be a zone"),
            ))
        }
        Some("GeometryCollection") => {
            return Err(unsupported(
                &format!("{place}.type"),
                "nested GeometryCollection",
                "ED-318 allows one level of GeometryCollection",
            ))
        }
        Some(other) => {
            return Err(format_err(
                &format!("{place}.type"),
                format!("unknown geometry type `{other}`"),
            ))
        }
        None => return Err(format_err(place, "missing geometry `type`")),
    };
    Ok((geometry, layer))
}

fn read_layer(v: &Value, place: &str) -> Result<Ed318Layer, Ed318Error> {
    let o = v
        .as_object()
        .ok_or_else(|| format_err(place, "expected an object"))?;
    let num = |key: &str| -> Result<Option<f64>, Ed318Error> {
        o.get(key)
            .map(|x| number(x, &format!("{place}.{key}")))
            .transpose()
    };
    let reference = |key: &str| -> Result<Option<VerticalReference>, Ed318Error> {
        match o.get(key) {
            None => Ok(None),
            Some(x) => {
                let s = x.as_str().unwrap_or_default();
                VerticalReference::parse(s).map(Some).ok_or_else(|| {
                    format_err(
                        &format!("{place}.{key}"),
                        format!("unknown vertical reference `{x}`; expected AGL, AMSL or WGS84"),
                    )
                })
            }
        }
    };
    let uom = match o.get("uom").map(|u| u.as_str()) {
        None | Some(Some("m")) => LengthUnit::M,
        Some(Some("ft")) => LengthUnit::Ft,
        Some(_) => {
            return Err(format_err(
                &format!("{place}.uom"),
                "unknown unit; expected `m` or `ft`",
            ))
        }
    };
    Ok(Ed318Layer {
        upper: num("upper")?,
        upper_reference: reference("upperReference")?,
        lower: num("lower")?,
        lower_reference: reference("lowerReference")?,
        uom,
    })
}

/// Which end of the band a limit is.
#[derive(Clone, Copy, PartialEq)]
enum End {
    Floor,
    Ceiling,
}

/// Converts a declared layer into a band in the tracks' datum, conservatively for `kind`.
fn convert_layer(
    layer: &Ed318Layer,
    kind: ZoneKind,
    options: &Ed318Options,
    place: &str,
) -> Result<Option<VerticalBand>, Ed318Error> {
    let floor_m = convert_limit(
        layer.lower,
        layer.lower_reference,
        layer.uom,
        End::Floor,
        kind,
        options,
        place,
        "lower",
    )?;
    let ceiling_m = convert_limit(
        layer.upper,
        layer.upper_reference,
        layer.uom,
        End::Ceiling,
        kind,
        options,
        place,
        "upper",
    )?;
    if let (Some(f), Some(c)) = (floor_m, ceiling_m) {
        if f > c {
            let message = if kind == ZoneKind::Sanctuary {
                format!("the band is empty once narrowed for a sanctuary (floor {f} m above ceiling {c} m)")
            } else {
                format!("the floor ({f} m) is above the ceiling ({c} m)")
            };
            return Err(unsupported(place, "vertical layer", message));
        }
    }
    Ok((floor_m.is_some() || ceiling_m.is_some()).then_some(VerticalBand { floor_m, ceiling_m }))
}

#[allow(
    clippy::too_many_arguments,
    reason = "one private helper with the limit's full context"
)]
fn convert_limit(
    value: Option<f64>,
    reference: Option<VerticalReference>,
    uom: LengthUnit,
    end: End,
    kind: ZoneKind,
    options: &Ed318Options,
    place: &str,
    key: &str,
) -> Result<Option<f64>, Ed318Error> {
    let Some(v) = value else {
        return Ok(None);
    };
    let rplace = format!("{place}.{key}Reference");
    let Some(reference) = reference else {
        return Err(format_err(
            &format!("{place}.{key}"),
            format!("`{key}` needs `{key}Reference`"),
        ));
    };
    let m = uom.metres(v);
    let datum = options.altitude_datum.reference();
    // The limit lies between m + lo and m + hi in the tracks' datum.
    let (lo, hi) =
        if reference == datum {
            (0.0, 0.0)
        } else {
            match reference {
                VerticalReference::Agl => match options.agl {
                    AglPolicy::Refuse => return Err(unsupported(
                        &rplace,
                        "AGL limit",
                        "heights above ground need a terrain model; choose an AglPolicy to import AGL layers",
                    )),
                    AglPolicy::UnboundedForExclusions => {
                        if kind == ZoneKind::Exclusion {
                            return Ok(None);
                        }
                        return Err(unsupported(
                        &rplace,
                        "AGL limit",
                        "a sanctuary's AGL limit cannot be dropped without widening it; give a terrain range",
                    ));
                    }
                    AglPolicy::TerrainRange { min_m, max_m } => {
                        if !(min_m.is_finite() && max_m.is_finite() && min_m <= max_m) {
                            return Err(unsupported(
                                &rplace,
                                "AGL limit",
                                "the terrain range is not a finite `[min, max]`",
                            ));
                        }
                        (min_m, max_m)
                    }
                },
                VerticalReference::Amsl | VerticalReference::Wgs84 => {
                    let Some([nmin, nmax]) = options
                        .geoid_undulation_m
                        .filter(|[a, b]| a.is_finite() && b.is_finite() && a <= b)
                    else {
                        return Err(unsupported(
                            &rplace,
                            "vertical reference",
                            format!(
                                "`{}` differs from the tracks' datum and no geoid undulation range is given",
                                reference.as_str()
                            ),
                        ));
                    };
                    if reference == VerticalReference::Wgs84 {
                        // AMSL = ellipsoidal − N.
                        (-nmax, -nmin)
                    } else {
                        // Ellipsoidal = AMSL + N.
                        (nmin, nmax)
                    }
                }
            }
        };
    let widen = kind == ZoneKind::Exclusion;
    let out = match (end, widen) {
        (End::Floor, true) | (End::Ceiling, false) => m + lo,
        (End::Floor, false) | (End::Ceiling, true) => m + hi,
    };
    Ok(Some(out))
}

fn date_time(v: &Value, place: &str) -> Result<i64, Ed318Error> {
    v.as_str()
        .and_then(parse_rfc3339)
        .ok_or_else(|| format_err(place, "expected an RFC 3339 date-time"))
}

/// A daily period after rounding: (days mask, start minute, end minute); `None` when the
/// period is empty after narrowing.
type Daily = Option<(u8, u16, u16)>;

fn applicability(v: &Value, place: &str, kind: ZoneKind) -> Result<Vec<TimeWindow>, Ed318Error> {
    let periods = v
        .as_array()
        .ok_or_else(|| format_err(place, "expected an array of time periods"))?;
    if periods.is_empty() {
        return Err(unsupported(
            place,
            "empty limitedApplicability",
            "an empty list could mean never or always; omit it for a permanent zone",
        ));
    }
    let mut windows = Vec::new();
    for (j, p) in periods.iter().enumerate() {
        let pp = format!("{place}[{j}]");
        let o = p
            .as_object()
            .ok_or_else(|| format_err(&pp, "expected a time period object"))?;
        for key in o.keys() {
            if !["startDateTime", "endDateTime", "schedule"].contains(&key.as_str()) {
                return Err(format_err(
                    &format!("{pp}.{key}"),
                    format!("unknown property `{key}`"),
                ));
            }
        }
        let start = o
            .get("startDateTime")
            .map(|s| date_time(s, &format!("{pp}.startDateTime")))
            .transpose()?;
        let end = o
            .get("endDateTime")
            .map(|s| date_time(s, &format!("{pp}.endDateTime")))
            .transpose()?
            // Inclusive for exclusions: the window ends one second later.
            .map(|e| {
                if kind == ZoneKind::Exclusion {
                    e.saturating_add(1)
                } else {
                    e
                }
            });
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                return Err(format_err(&pp, "endDateTime is not after startDateTime"));
            }
        }
        let schedule = match o.get("schedule") {
            None => None,
            Some(s) => {
                let a = s
                    .as_array()
                    .ok_or_else(|| format_err(&format!("{pp}.schedule"), "expected an array"))?;
                let mut daily = Vec::with_capacity(a.len());
                for (k, d) in a.iter().enumerate() {
                    daily.push(daily_period(d, &format!("{pp}.schedule[{k}]"), kind)?);
                }
                Some(daily)
            }
        };
        match (schedule, start, end) {
            (None, None, None) => return Ok(Vec::new()), // always: nothing can widen it further
            (None, s, e) => windows.push(TimeWindow::Interval {
                start_unix_s: s.unwrap_or(i64::MIN),
                end_unix_s: e.unwrap_or(i64::MAX),
            }),
            (Some(daily), None, None) => windows.extend(daily.into_iter().flatten().map(weekly)),
            (Some(daily), Some(s), Some(e)) => expand(&daily, s, e, &mut windows, &pp)?,
            (Some(daily), _, _) => {
                if kind == ZoneKind::Exclusion {
                    windows.extend(daily.into_iter().flatten().map(weekly));
                } else {
                    return Err(unsupported(
                        &pp,
                        "schedule within an open-ended date range",
                        "a sanctuary's schedule needs both startDateTime and endDateTime to be written as exact windows",
                    ));
                }
            }
        }
        if windows.len() > MAX_APPLICABILITY_WINDOWS {
            return Err(unsupported(
                &pp,
                "long schedule",
                format!("expands to more than {MAX_APPLICABILITY_WINDOWS} windows"),
            ));
        }
    }
    if windows.is_empty() {
        return Err(unsupported(
            place,
            "limitedApplicability",
            "the zone would never apply (every period is empty)",
        ));
    }
    Ok(windows)
}

fn weekly((days, start_minute, end_minute): (u8, u16, u16)) -> TimeWindow {
    TimeWindow::Weekly {
        days,
        start_minute,
        end_minute,
    }
}

/// Expands daily periods within `[s, e)` into exact intervals, merging overlaps.
fn expand(daily: &[Daily], s: i64, e: i64, out: &mut Vec<TimeWindow>, place: &str) -> Result<(), Ed318Error> {
    let first_day = s.div_euclid(SECONDS_PER_DAY) - 1;
    let last_day = e.div_euclid(SECONDS_PER_DAY);
    if last_day.saturating_sub(first_day) > (MAX_APPLICABILITY_WINDOWS as i64) {
        return Err(unsupported(
            place,
            "long schedule",
            format!("the date range spans more than {MAX_APPLICABILITY_WINDOWS} days"),
        ));
    }
    let mut intervals: Vec<(i64, i64)> = Vec::new();
    for day in first_day..=last_day {
        // 1970-01-01 was a Thursday; bit 0 is Monday.
        let weekday = (day + 3).rem_euclid(7);
        for &(mask, sm, em) in daily.iter().flatten() {
            if mask & (1 << weekday) == 0 {
                continue;
            }
            let len = if em > sm {
                em - sm
            } else {
                em + MINUTES_PER_DAY - sm
            };
            let a = day * SECONDS_PER_DAY + i64::from(sm) * 60;
            let b = a + i64::from(len) * 60;
            let (a, b) = (a.max(s), b.min(e));
            if a < b {
                intervals.push((a, b));
            }
        }
        if intervals.len() > MAX_APPLICABILITY_WINDOWS {
            return Err(unsupported(
                place,
                "long schedule",
                format!("expands to more than {MAX_APPLICABILITY_WINDOWS} windows"),
            ));
        }
    }
    intervals.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(intervals.len());
    for (a, b) in intervals {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    out.extend(merged.into_iter().map(|(a, b)| TimeWindow::Interval {
        start_unix_s: a,
        end_unix_s: b,
    }));
    Ok(())
}

const DAY_CODES: [&str; 7] = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

fn daily_period(v: &Value, place: &str, kind: ZoneKind) -> Result<Daily, Ed318Error> {
    let o = v
        .as_object()
        .ok_or_else(|| format_err(place, "expected a daily period object"))?;
    for key in o.keys() {
        match key.as_str() {
            "day" | "startTime" | "endTime" => {}
            "startEvent" | "endEvent" => {
                return Err(unsupported(
                    &format!("{place}.{key}"),
                    "daylight event",
                    "sunrise, sunset and twilight times need an ephemeris, which this crate does not have",
                ))
            }
            _ => {
                return Err(format_err(
                    &format!("{place}.{key}"),
                    format!("unknown property `{key}`"),
                ))
            }
        }
    }
    let days = o
        .get("day")
        .and_then(Value::as_array)
        .ok_or_else(|| format_err(place, "missing required property `day`"))?;
    let mut mask = 0u8;
    for (k, d) in days.iter().enumerate() {
        let s = d.as_str().unwrap_or_default();
        if s == "ANY" {
            mask = 0x7f;
        } else if let Some(i) = DAY_CODES.iter().position(|c| *c == s) {
            mask |= 1 << i;
        } else {
            return Err(format_err(
                &format!("{place}.day[{k}]"),
                format!("unknown day `{d}`"),
            ));
        }
    }
    if mask == 0 {
        return Err(format_err(&format!("{place}.day"), "no day given"));
    }
    let time = |key: &str| {
        o.get(key)
            .map(|t| time_of_day(t, &format!("{place}.{key}")))
            .transpose()
    };
    let (start, end) = match (time("startTime")?, time("endTime")?) {
        // A day without times is the whole day.
        (None, None) => return Ok(Some((mask, 0, 0))),
        (Some(s), Some(e)) => (s, e),
        _ => {
            return Err(format_err(
                place,
                "give both startTime and endTime, or neither for the whole day",
            ))
        }
    };
    if start == end {
        return Err(format_err(
            place,
            "startTime equals endTime: empty or a whole day is ambiguous",
        ));
    }
    const DAY_S: i64 = SECONDS_PER_DAY;
    let raw_len = (end - start).rem_euclid(DAY_S);
    let (sm, em, len) = if kind == ZoneKind::Exclusion {
        let sm = start.div_euclid(60);
        let em = (end + 59).div_euclid(60);
        let len = raw_len + (start - sm * 60) + (em * 60 - end);
        (sm, em, len)
    } else {
        let sm = (start + 59).div_euclid(60);
        let em = end.div_euclid(60);
        let len = raw_len - (sm * 60 - start) - (end - em * 60);
        (sm, em, len)
    };
    if len <= 0 {
        return Ok(None);
    }
    let mut sm = sm;
    if sm >= i64::from(MINUTES_PER_DAY) {
        // Rounded up to the next midnight: the period starts on the next day.
        mask = ((mask << 1) | (mask >> 6)) & 0x7f;
        sm -= i64::from(MINUTES_PER_DAY);
    }
    let em = if len >= SECONDS_PER_DAY {
        sm
    } else {
        em.rem_euclid(i64::from(MINUTES_PER_DAY))
    };
    let to_u16 = |m: i64| u16::try_from(m).map_err(|_| format_err(place, "time out of range"));
    Ok(Some((mask, to_u16(sm)?, to_u16(em)?)))
}

/// Seconds after midnight UTC of an RFC 3339 `full-time` (`HH:MM:SS[.frac]Z`). Fractions
/// are dropped (rounding to the minute follows).
fn time_of_day(v: &Value, place: &str) -> Result<i64, Ed318Error> {
    let s = v
        .as_str()
        .ok_or_else(|| format_err(place, "expected a time like `16:00:00Z`"))?;
    let (body, utc) = if let Some(b) = s.strip_suffix('Z').or_else(|| s.strip_suffix('z')) {
        (b, true)
    } else if let Some(b) = s.strip_suffix("+00:00").or_else(|| s.strip_suffix("-00:00")) {
        (b, true)
    } else {
        (s, false)
    };
    if !utc {
        return Err(unsupported(
            place,
            "schedule time zone",
            format!("`{s}`: schedule times must be UTC (`Z`)"),
        ));
    }
    let body = body.split('.').next().unwrap_or_default();
    let parts: Vec<&str> = body.split(':').collect();
    let parse = |p: Option<&&str>, max: i64| -> Option<i64> {
        let p = p?;
        if p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok().filter(|&n| n < max)
    };
    match (
        parse(parts.first(), 24),
        parse(parts.get(1), 60),
        parse(parts.get(2), 60),
        parts.len(),
    ) {
        (Some(h), Some(m), Some(sec), 3) => Ok(h * 3600 + m * 60 + sec),
        _ => Err(format_err(place, format!("`{s}` is not a time like `16:00:00Z`"))),
    }
}

// ---------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------

/// How to write this crate's zones as ED-318.
///
/// # Example
/// ```
/// use sanctuary::{Ed318ExportOptions, Ed318Type};
/// let options = Ed318ExportOptions::new("UKR").sanctuary_type(Ed318Type::Conditional);
/// assert_eq!(options.exclusion_type, Ed318Type::Prohibited);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[must_use]
pub struct Ed318ExportOptions {
    /// ISO 3166-1 alpha-3 country code (`country`, required by ED-318).
    pub country: String,
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
    /// use sanctuary::{AltitudeDatum, Ed318ExportOptions, Ed318Type};
    /// let options = Ed318ExportOptions::new("UKR");
    /// assert_eq!((options.country.as_str(), options.sanctuary_type), ("UKR", Ed318Type::Conditional));
    /// assert_eq!((options.altitude_datum, options.densify_tolerance_m), (AltitudeDatum::Amsl, 1.0));
    /// ```
    pub fn new(country: impl Into<String>) -> Self {
        Ed318ExportOptions {
            country: country.into(),
            sanctuary_type: Ed318Type::Conditional,
            exclusion_type: Ed318Type::Prohibited,
            zone_authority: json!([{"purpose": "INFORMATION"}]),
            lang: "en-GB".into(),
            altitude_datum: AltitudeDatum::Amsl,
            densify_tolerance_m: 1.0,
        }
    }
    /// Sets the type written for sanctuaries.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Ed318ExportOptions, Ed318Type, Ed318Zone, Zone, ZoneGeometry};
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
    /// use sanctuary::{Ed318ExportOptions, Ed318Type, Ed318Zone, Zone, ZoneGeometry, ZoneKind};
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
    /// use sanctuary::{AltitudeDatum, Ed318ExportOptions, Ed318Zone, VerticalReference, Zone, ZoneGeometry};
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
    /// use sanctuary::{Ed318ExportOptions, Ed318Zone, Zone, ZoneGeometry};
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
    /// use sanctuary::{EdgeModel, Ed318Error, Ed318ExportOptions, Ed318Zone, Position, Zone, ZoneGeometry};
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
        properties.insert("country".into(), Value::String(options.country.clone()));
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

fn short_identifier(id: &str) -> String {
    if id.chars().count() <= 7 {
        return id.to_string();
    }
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(id.as_bytes());
    let hex: String = digest.iter().take(3).map(|b| format!("{b:02X}")).collect();
    format!("S{hex}")
}

/// The zone with great-circle edges: itself, or densified from plate carrée.
fn great_circle_zone(zone: &Zone, tolerance_m: f64) -> Result<Zone, Ed318Error> {
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

fn densify_ring(ring: &[[f64; 2]], tol: f64) -> Vec<[f64; 2]> {
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
fn densify_edge(a: [f64; 2], b: [f64; 2], tol: f64, depth: u32, out: &mut Vec<[f64; 2]>) {
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
/// use sanctuary::{ed318_from_str, ed318_from_zones, Ed318ExportOptions, Ed318KindMap, Ed318Options,
///     Zone, ZoneGeometry, ZoneKind};
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

/// The zones of a plan active in a phase (index into [`Plan::phases`]), with their time
/// windows as `limitedApplicability`, as an ED-318 collection named after the plan and phase.
///
/// # Errors
/// As [`Ed318Zone::from_zone`]; [`Ed318Error::Format`] for a phase out of range.
///
/// # Example
/// ```
/// use sanctuary::{ed318_from_plan_phase, Ed318ExportOptions, Plan};
/// let plan = Plan::safe_haven()?;
/// let collection = ed318_from_plan_phase(&plan, 1, &Ed318ExportOptions::new("UKR"))?;
/// assert!(collection.zones.iter().any(|z| z.zone.id() == "UA-46"));
/// assert!(collection.to_json()["features"].as_array().is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ed318_from_plan_phase(
    plan: &Plan,
    phase: usize,
    options: &Ed318ExportOptions,
) -> Result<Ed318Collection, Ed318Error> {
    let Some(p) = plan.phases().get(phase) else {
        return Err(format_err(
            "phase",
            format!(
                "phase index {phase} is out of range (the plan has {})",
                plan.phases().len()
            ),
        ));
    };
    let mut zones = Vec::new();
    for (zone, zp) in plan.index().zones().iter().zip(plan.zone_plans()) {
        if zp.active_in(phase) {
            zones.push(Ed318Zone::from_zone(zone, zp.windows.clone(), options)?);
        }
    }
    let mut description = Map::new();
    description.insert(
        "description".into(),
        json!([{"text": format!("{}: phase {} ({}), plan hash {}", plan.name(), p.id, p.name, plan.hash()), "lang": options.lang}]),
    );
    Ok(Ed318Collection {
        name: Some(truncate(&format!("{} phase {}", plan.name(), p.id), 200)),
        metadata: Some(description),
        zones,
    })
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

impl Ed318Collection {
    /// All the zones, e.g. for [`ZoneIndex::new`](crate::ZoneIndex::new).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{ed318_from_str, Ed318KindMap, Ed318Options, ZoneIndex, ZoneKind};
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
    /// use sanctuary::{ed318_from_str, Ed318KindMap, Ed318Options, ZoneKind, AglPolicy};
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
fn base_id(id: &str) -> Option<(&str, usize)> {
    let (base, k) = id.rsplit_once('#')?;
    if k.is_empty() || !k.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((base, k.parse().ok()?))
}

fn feature_json(first: &Ed318Zone, base: &str, group: &[Ed318Zone], collection: bool) -> Value {
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

fn geometry_json(z: &Ed318Zone) -> Value {
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

fn period_json(w: &TimeWindow, kind: ZoneKind) -> Value {
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

fn hhmm(minute: u16) -> String {
    format!("{:02}:{:02}:00Z", (minute / 60) % 24, minute % 60)
}

/// Unix seconds to `YYYY-MM-DDTHH:MM:SSZ`.
fn format_rfc3339(t: i64) -> String {
    let days = t.div_euclid(SECONDS_PER_DAY);
    let secs = t.rem_euclid(SECONDS_PER_DAY);
    let (y, m, d) = crate::rules::time::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips() {
        for t in [0, 86_399, 1_546_271_999, 1_577_807_999, 951_782_400, -1] {
            assert_eq!(parse_rfc3339(&format_rfc3339(t)), Some(t), "{t}");
        }
    }

    #[test]
    fn short_identifiers_fit_ed318() {
        assert_eq!(short_identifier("UA-46"), "UA-46");
        let s = short_identifier("ODESA-CORRIDOR");
        assert_eq!(s.len(), 7);
        assert!(s.starts_with('S'));
    }

    #[test]
    fn base_ids() {
        assert_eq!(base_id("NFZ#0"), Some(("NFZ", 0)));
        assert_eq!(base_id("NFZ#12"), Some(("NFZ", 12)));
        assert_eq!(base_id("NFZ"), None);
        assert_eq!(base_id("A#b"), None);
    }
}
