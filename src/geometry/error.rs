//! Typed errors, one per concern. Every variant names the place (zone id, feature index,
//! ring, vertex, file, line) and says what is wrong in lowercase, user input in backticks.

use crate::geometry::id::Num;
use std::fmt;
use std::path::PathBuf;

/// One problem found while validating a zone's geometry or attributes.
///
/// Rings are numbered within their polygon: ring 0 is the shell, rings 1.. are holes.
///
/// # Example
/// ```
/// use sanctuary::{Zone, geometry::{ZoneGeometry, ZoneProblem}};
/// let err = Zone::builder("c", ZoneGeometry::circle(0.0, 0.0, -1.0)).build().unwrap_err();
/// assert_eq!(err.problems, vec![ZoneProblem::InvalidRadius { radius_m: -1.0 }]);
/// assert_eq!(
///     ZoneProblem::ZeroArea { polygon: 0, ring: 1 }.to_string(),
///     "polygon 0 ring 1 encloses no area"
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ZoneProblem {
    /// The zone id is empty.
    EmptyId,
    /// The zone id is too long or holds a control character (see [`crate::id::check_id`]).
    InvalidId(crate::geometry::id::IdProblem),
    /// A vertical band limit is outside [`crate::geometry::MIN_ALTITUDE_M`, `crate::geometry::MAX_ALTITUDE_M`].
    AltitudeOutOfRange {
        /// The offending limit in metres.
        value_m: f64,
    },
    /// The geometry has no polygon at all.
    NoPolygons,
    /// A ring has fewer than 4 positions (after dropping exact repeats of a vertex).
    TooFewPositions {
        /// Polygon index within the zone.
        polygon: usize,
        /// Ring index within the polygon.
        ring: usize,
        /// Positions found.
        count: usize,
    },
    /// A ring's last position differs from its first.
    RingNotClosed {
        /// Polygon index within the zone.
        polygon: usize,
        /// Ring index within the polygon.
        ring: usize,
    },
    /// A position has fewer than two numbers.
    ShortPosition {
        /// Polygon index within the zone.
        polygon: usize,
        /// Ring index within the polygon.
        ring: usize,
        /// Vertex index within the ring.
        vertex: usize,
    },
    /// A coordinate is NaN or infinite.
    NonFiniteCoordinate {
        /// Polygon index within the zone.
        polygon: usize,
        /// Ring index within the polygon.
        ring: usize,
        /// Vertex index within the ring.
        vertex: usize,
    },
    /// A longitude lies outside [-180, 180].
    LongitudeOutOfRange {
        /// Polygon index within the zone.
        polygon: usize,
        /// Ring index within the polygon.
        ring: usize,
        /// Vertex index within the ring.
        vertex: usize,
        /// The offending value.
        lon: f64,
    },
    /// A latitude lies outside [-90, 90].
    LatitudeOutOfRange {
        /// Polygon index within the zone.
        polygon: usize,
        /// Ring index within the polygon.
        ring: usize,
        /// Vertex index within the ring.
        vertex: usize,
        /// The offending value.
        lat: f64,
    },
    /// A vertex lies on a pole (latitude ±90), where longitude is undefined.
    TouchesPole {
        /// Polygon index within the zone.
        polygon: usize,
        /// Ring index within the polygon.
        ring: usize,
        /// Vertex index within the ring.
        vertex: usize,
    },
    /// An edge spans 180° of longitude or more: it crosses the antimeridian (or, as a
    /// great circle, is ambiguous). Split such zones at ±180°.
    CrossesAntimeridian {
        /// Polygon index within the zone.
        polygon: usize,
        /// Ring index within the polygon.
        ring: usize,
        /// Index of the edge's first vertex.
        edge: usize,
    },
    /// The ring encloses no area.
    ZeroArea {
        /// Polygon index within the zone.
        polygon: usize,
        /// Ring index within the polygon.
        ring: usize,
    },
    /// Two edges of one ring touch or cross (other than neighbours meeting at their vertex).
    SelfIntersection {
        /// Polygon index within the zone.
        polygon: usize,
        /// Ring index within the polygon.
        ring: usize,
        /// First edge (index of its first vertex).
        edge_a: usize,
        /// Second edge.
        edge_b: usize,
    },
    /// Two different rings of the zone touch or cross.
    RingsIntersect {
        /// Polygon of the first ring.
        polygon_a: usize,
        /// The first ring.
        ring_a: usize,
        /// Polygon of the second ring.
        polygon_b: usize,
        /// The second ring.
        ring_b: usize,
    },
    /// A hole is not inside its polygon's shell.
    HoleOutsideShell {
        /// Polygon index within the zone.
        polygon: usize,
        /// Ring index of the hole.
        ring: usize,
    },
    /// A hole lies inside another hole of the same polygon.
    NestedHoles {
        /// Polygon index within the zone.
        polygon: usize,
        /// The inner hole.
        ring: usize,
        /// The hole that contains it.
        outer: usize,
    },
    /// One polygon of a multipolygon lies inside another.
    OverlappingPolygons {
        /// The inner polygon.
        polygon: usize,
        /// The polygon that contains it.
        outer: usize,
    },
    /// A circle's radius is negative, zero, not finite, or larger than the supported
    /// maximum.
    InvalidRadius {
        /// The offending radius in metres.
        radius_m: f64,
    },
    /// A circle's centre is not a valid coordinate.
    InvalidCentre {
        /// Longitude given.
        lon: f64,
        /// Latitude given.
        lat: f64,
    },
    /// A circle reaches a pole or the antimeridian; such circles are not supported.
    CircleTooCloseToPoleOrAntimeridian,
    /// A vertical band limit is not finite.
    NonFiniteBand,
    /// The floor of the vertical band is above its ceiling.
    FloorAboveCeiling {
        /// Floor in metres.
        floor_m: f64,
        /// Ceiling in metres.
        ceiling_m: f64,
    },
}

impl fmt::Display for ZoneProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ZoneProblem::*;
        match self {
            EmptyId => write!(f, "the zone id is empty"),
            InvalidId(problem) => write!(f, "invalid zone id: {problem}"),
            AltitudeOutOfRange { value_m } => write!(
                f,
                "vertical band limit `{}` m is outside [{}, {}] m",
                Num(*value_m),
                Num(crate::geometry::limits::MIN_ALTITUDE_M),
                Num(crate::geometry::limits::MAX_ALTITUDE_M)
            ),
            NoPolygons => write!(f, "the geometry has no polygon"),
            TooFewPositions { polygon, ring, count } => write!(
                f,
                "polygon {polygon} ring {ring} has {count} distinct positions; a ring needs at least 4"
            ),
            RingNotClosed { polygon, ring } => {
                write!(f, "polygon {polygon} ring {ring} is not closed (last position differs from first)")
            }
            ShortPosition { polygon, ring, vertex } => {
                write!(f, "polygon {polygon} ring {ring} vertex {vertex} has fewer than two numbers")
            }
            NonFiniteCoordinate { polygon, ring, vertex } => {
                write!(f, "polygon {polygon} ring {ring} vertex {vertex} is not finite")
            }
            LongitudeOutOfRange { polygon, ring, vertex, lon } => write!(
                f,
                "polygon {polygon} ring {ring} vertex {vertex} has longitude `{}` outside [-180, 180]",
                Num(*lon)
            ),
            LatitudeOutOfRange { polygon, ring, vertex, lat } => write!(
                f,
                "polygon {polygon} ring {ring} vertex {vertex} has latitude `{}` outside [-90, 90]",
                Num(*lat)
            ),
            TouchesPole { polygon, ring, vertex } => write!(
                f,
                "polygon {polygon} ring {ring} vertex {vertex} lies on a pole; zones that touch or contain a pole are not supported"
            ),
            CrossesAntimeridian { polygon, ring, edge } => write!(
                f,
                "polygon {polygon} ring {ring} edge {edge} spans 180 degrees of longitude or more; split zones that cross the antimeridian"
            ),
            ZeroArea { polygon, ring } => write!(f, "polygon {polygon} ring {ring} encloses no area"),
            SelfIntersection { polygon, ring, edge_a, edge_b } => write!(
                f,
                "polygon {polygon} ring {ring} intersects itself (edges {edge_a} and {edge_b})"
            ),
            RingsIntersect { polygon_a, ring_a, polygon_b, ring_b } => write!(
                f,
                "polygon {polygon_a} ring {ring_a} touches or crosses polygon {polygon_b} ring {ring_b}"
            ),
            HoleOutsideShell { polygon, ring } => {
                write!(f, "polygon {polygon} hole {ring} is not inside the shell")
            }
            NestedHoles { polygon, ring, outer } => {
                write!(f, "polygon {polygon} hole {ring} lies inside hole {outer}")
            }
            OverlappingPolygons { polygon, outer } => {
                write!(f, "polygon {polygon} lies inside polygon {outer}")
            }
            InvalidRadius { radius_m } => write!(
                f,
                "circle radius `{}` m is not a positive finite number up to {} m",
                Num(*radius_m),
                crate::geometry::limits::MAX_CIRCLE_RADIUS_M
            ),
            InvalidCentre { lon, lat } => {
                write!(f, "circle centre `({}, {})` is not a valid longitude/latitude", Num(*lon), Num(*lat))
            }
            CircleTooCloseToPoleOrAntimeridian => write!(
                f,
                "circle reaches a pole or the antimeridian; such circles are not supported"
            ),
            NonFiniteBand => write!(f, "vertical band limit is not finite"),
            FloorAboveCeiling { floor_m, ceiling_m } => write!(
                f,
                "floor `{}` m is above ceiling `{}` m",
                Num(*floor_m),
                Num(*ceiling_m)
            ),
        }
    }
}

/// A zone failed validation. Carries the zone id and every problem found.
///
/// # Example
/// ```
/// use sanctuary::{Zone, geometry::{ZoneGeometry, ZoneProblem}};
/// let err = Zone::builder("open", ZoneGeometry::polygon(vec![vec![
///     [0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0],
/// ]])).build().unwrap_err();
/// assert_eq!(err.zone, "open");
/// assert!(matches!(err.problems[0], ZoneProblem::RingNotClosed { polygon: 0, ring: 0 }));
/// assert_eq!(err.to_string(), "zone `open`: polygon 0 ring 0 is not closed (last position differs from first)");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneError {
    /// The zone's id as given (possibly empty).
    pub zone: String,
    /// Every problem found, in a stable order.
    pub problems: Vec<ZoneProblem>,
}

impl fmt::Display for ZoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "zone `{}`: ", crate::geometry::id::escape_id(&self.zone))?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ZoneError {}

/// A set of zones cannot be indexed together.
///
/// # Example
/// ```
/// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry, index::IndexError};
/// let a = Zone::builder("a", ZoneGeometry::circle(0.0, 0.0, 500.0)).build()?;
/// let b = Zone::builder("a", ZoneGeometry::circle(1.0, 1.0, 500.0)).build()?;
/// let err = ZoneIndex::new(vec![a, b]).unwrap_err();
/// assert_eq!(err, IndexError::DuplicateId { id: "a".into() });
/// assert_eq!(err.to_string(), "duplicate zone id `a`");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// Two zones share an id.
    #[error("duplicate zone id `{id}`")]
    DuplicateId {
        /// The repeated id.
        id: String,
    },
    /// More zones than the index can address.
    #[error("too many zones: {count}")]
    TooManyZones {
        /// How many were given.
        count: usize,
    },
}

/// A query point is not a valid WGS84 longitude/latitude.
///
/// # Example
/// ```
/// use sanctuary::{ZoneIndex, geometry::PointError};
/// let index = ZoneIndex::new(vec![]).unwrap();
/// assert_eq!(index.locate(f64::NAN, 0.0).unwrap_err(), PointError::NonFinite);
/// assert!(matches!(index.locate(0.0, 91.0), Err(PointError::LatitudeOutOfRange { .. })));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PointError {
    /// A coordinate is NaN or infinite.
    #[error("coordinate is not finite")]
    NonFinite,
    /// Longitude outside [-180, 180].
    #[error("longitude `{}` is outside [-180, 180]", Num(*.lon))]
    LongitudeOutOfRange {
        /// The value given.
        lon: f64,
    },
    /// Latitude outside [-90, 90].
    #[error("latitude `{}` is outside [-90, 90]", Num(*.lat))]
    LatitudeOutOfRange {
        /// The value given.
        lat: f64,
    },
}

/// Loading zones from a file or string failed.
///
/// # Example
/// ```
/// use sanctuary::geojson::{LoadError, zones_from_geojson_str};
/// let err = zones_from_geojson_str("{").unwrap_err();
/// assert!(matches!(err, LoadError::Json { line: 1, .. }));
/// let err = zones_from_geojson_str(r#"{"type": "Feature"}"#).unwrap_err();
/// assert!(matches!(err, LoadError::Format { .. }));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The text is not valid JSON / GeoJSON.
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The document is valid JSON but not the expected structure.
    Format {
        /// Where, e.g. `features[3].properties.kind`.
        place: String,
        /// What is wrong.
        message: String,
    },
    /// A feature's zone failed validation.
    Zone {
        /// Where, e.g. `features[3]`.
        place: String,
        /// The validation error, naming the zone id.
        source: ZoneError,
    },
    /// Two features share a zone id.
    DuplicateId {
        /// The repeated id.
        id: String,
        /// Index of the first feature with it.
        first: usize,
        /// Index of the second.
        second: usize,
    },
}

/// Messages are complete (a wrapped error's message is part of this one's), so `source()`
/// returns `None`: match the variant to reach the wrapped error.
impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io { path, source } => write!(f, "cannot read `{}`: {source}", path.display()),
            LoadError::Json {
                line,
                column,
                message,
            } => {
                write!(f, "invalid JSON at line {line} column {column}: {message}")
            }
            LoadError::Format { place, message } => write!(f, "{place}: {message}"),
            LoadError::Zone { place, source } => write!(f, "{place}: {source}"),
            LoadError::DuplicateId { id, first, second } => write!(
                f,
                "features[{second}]: duplicate zone id `{}` (first used by features[{first}])",
                crate::geometry::id::escape_id(id)
            ),
        }
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    /// The message without the place it starts with.
    pub(crate) fn message(&self) -> String {
        match self {
            LoadError::Format { message, .. } => message.clone(),
            LoadError::Zone { source, .. } => source.to_string(),
            other => other.to_string(),
        }
    }

    /// The place the message starts with, when it has one.
    pub(crate) fn place(&self) -> Option<&str> {
        match self {
            LoadError::Format { place, .. } | LoadError::Zone { place, .. } => Some(place),
            _ => None,
        }
    }

    pub(crate) fn json(e: &serde_json::Error) -> Self {
        LoadError::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        }
    }

    pub(crate) fn format(place: impl Into<String>, message: impl Into<String>) -> Self {
        LoadError::Format {
            place: place.into(),
            message: message.into(),
        }
    }
}
