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
//!
//! **What a plan export says.** [`ed318_from_plan_phase`] writes each zone's validity: the
//! exported phase's span, from its start until the next phase supersedes it (within the
//! zone's own phases; as a `limitedApplicability` period, its time windows kept within
//! it), and the phase's own span
//! as the collection's `metadata.validFrom` / `validTo`; [`Ed318Zone::validity`] reads it
//! back. Each zone's `country` is the state whose airspace it covers when the options carry
//! it ([`Ed318ExportOptions::countries_from`] with a [`CountryLookup`] of boundary data, e.g.
//! [`CountryLookup::safe_haven`]: the neighbours' exclusions get `POL`, `SVK`, `HUN`, `ROU`,
//! `MDA`, `BLR`, `RUS`), else [`Ed318ExportOptions::country`]; [`Ed318Zone::country`] reads
//! it back.

mod options;
pub use options::*;
mod read;
pub use read::*;
mod applicability;
use applicability::*;
mod write;
pub use write::*;
mod country;
pub use country::CountryLookup;
#[cfg(test)]
mod tests;

use crate::geometry::error::ZoneError;
use crate::geometry::geodesy::geodesic_distance_m;
use crate::geometry::geojson::read_bounded;
use crate::geometry::kernel::EdgeModel;
use crate::geometry::zone::{VerticalBand, Zone, ZoneGeometry, ZoneKind, ZoneSpec};
use crate::rules::plan::{PhaseKey, Plan};
use crate::rules::time::parse_rfc3339;
use crate::rules::window::TimeWindow;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Metres per international foot, exactly.
///
/// # Example
/// ```
/// assert_eq!(sanctuary::ed318::FEET_TO_METRES, 0.3048);
/// assert_eq!(500.0 * sanctuary::ed318::FEET_TO_METRES, 152.4);
/// ```
pub const FEET_TO_METRES: f64 = 0.3048;

/// The largest number of time windows one zone's `limitedApplicability` may expand to.
///
/// # Example
/// ```
/// assert_eq!(sanctuary::ed318::MAX_APPLICABILITY_WINDOWS, 100_000);
/// ```
pub const MAX_APPLICABILITY_WINDOWS: usize = 100_000;

/// Global bounds of the geoid undulation N (ellipsoidal height minus height above mean sea
/// level), metres: EGM2008 ranges from about −106.2 m to +85.8 m.
///
/// # Example
/// ```
/// use sanctuary::{ed318::{Ed318KindMap, Ed318Options, GEOID_UNDULATION_BOUNDS_M}, geometry::ZoneKind};
/// assert_eq!(GEOID_UNDULATION_BOUNDS_M, [-107.0, 86.0]);
/// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion));
/// assert_eq!(options.geoid_undulation_m, Some(GEOID_UNDULATION_BOUNDS_M));
/// ```
pub const GEOID_UNDULATION_BOUNDS_M: [f64; 2] = [-107.0, 86.0];

/// The largest ED-318 file accepted by [`ed318_from_file`], bytes.
///
/// # Example
/// ```
/// assert_eq!(sanctuary::ed318::MAX_ED318_FILE_BYTES, 256 * 1024 * 1024);
/// ```
pub const MAX_ED318_FILE_BYTES: u64 = 256 * 1024 * 1024;

const SECONDS_PER_DAY: i64 = 86_400;
const MINUTES_PER_DAY: u16 = 1440;

/// An ED-318 zone type (`type`).
///
/// # Example
/// ```
/// use sanctuary::ed318::Ed318Type;
/// let t: Ed318Type = serde_json::from_str(r#""REQ_AUTHORIZATION""#)?;
/// assert_eq!(t, Ed318Type::ReqAuthorization);
/// assert_eq!(serde_json::to_string(&Ed318Type::NoRestriction)?, r#""NO_RESTRICTION""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
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
    /// use sanctuary::ed318::Ed318Type;
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
    /// use sanctuary::ed318::Ed318Type;
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
/// use sanctuary::ed318::Ed318Reason;
/// let reasons: Vec<Ed318Reason> = serde_json::from_str(r#"["AIR_TRAFFIC", "NATURE"]"#)?;
/// assert_eq!(reasons, [Ed318Reason::AirTraffic, Ed318Reason::Nature]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
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
    /// use sanctuary::ed318::Ed318Reason;
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
    /// use sanctuary::ed318::Ed318Reason;
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
/// use sanctuary::ed318::VerticalReference;
/// let r: VerticalReference = serde_json::from_str(r#""WGS84""#)?;
/// assert_eq!(r, VerticalReference::Wgs84);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
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
    /// use sanctuary::ed318::VerticalReference;
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
/// use sanctuary::ed318::{Ed318Layer, LengthUnit};
/// assert_eq!(LengthUnit::default(), LengthUnit::M);
/// let layer: Ed318Layer = serde_json::from_str(r#"{"upper": 400, "uom": "ft"}"#)?;
/// assert_eq!(layer.uom, LengthUnit::Ft);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
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
/// use sanctuary::ed318::{Ed318Layer, LengthUnit, VerticalReference};
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

/// One imported ED-318 zone (one member of a multi-layer feature), with what ED-318 says
/// about it beside the validated [`Zone`].
///
/// # Example
/// ```
/// use sanctuary::{ed318::{Ed318KindMap, Ed318Options, Ed318Type, ed318_from_str}, geometry::ZoneKind};
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

impl Ed318Zone {
    /// The zone's ED-318 `country` (ISO 3166-1 alpha-3), if it has one.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ed318::{Ed318ExportOptions, Ed318Zone}, geometry::ZoneGeometry};
    /// let zone = Zone::builder("c", ZoneGeometry::circle(30.5, 50.4, 1_000.0)).build()?;
    /// let e = Ed318Zone::from_zone(&zone, vec![], &Ed318ExportOptions::new("UKR"))?;
    /// assert_eq!(e.country(), Some("UKR"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn country(&self) -> Option<&str> {
        self.properties.get("country").and_then(Value::as_str)
    }

    /// The span of the zone's applicability: the earliest start and latest end of its
    /// windows, `None` at an end that is open (or for a zone without windows, which always
    /// applies, or whose windows include a weekly schedule).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Plan, ed318::{Ed318ExportOptions, ed318_from_plan_phase}, plan::parse_rfc3339};
    /// let plan = Plan::safe_haven()?;
    /// let c = ed318_from_plan_phase(&plan, "3", &Ed318ExportOptions::new("UKR"))?;
    /// let kyiv = c.zones.iter().find(|z| z.zone.id() == "UA-30").ok_or("no UA-30")?;
    /// // Exported with phase 3's rules, Kyiv is valid from phase 3's start (1 June 2027)
    /// // until phase 4 supersedes it.
    /// let phase_4 = plan.phases().get(4).and_then(|p| p.start_unix_s);
    /// assert!(phase_4.is_some());
    /// assert_eq!(kyiv.validity(), (parse_rfc3339("2027-06-01T00:00:00Z").ok(), phase_4));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validity(&self) -> (Option<i64>, Option<i64>) {
        let mut span: Option<(i64, i64)> = None;
        for w in &self.applicability {
            let TimeWindow::Interval {
                start_unix_s,
                end_unix_s,
            } = *w
            else {
                return (None, None);
            };
            span = Some(span.map_or((start_unix_s, end_unix_s), |(a, b)| {
                (a.min(start_unix_s), b.max(end_unix_s))
            }));
        }
        match span {
            None => (None, None),
            Some((a, b)) => ((a != i64::MIN).then_some(a), (b != i64::MAX).then_some(b)),
        }
    }
}

/// An imported ED-318 collection.
///
/// # Example
/// ```
/// use sanctuary::{ed318::{Ed318KindMap, Ed318Options, ed318_from_str}, geometry::ZoneKind};
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
/// use sanctuary::{ed318::{Ed318Error, Ed318KindMap, Ed318Options, ed318_from_str}, geometry::ZoneKind};
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
