//! Zones and the exact geometry under them: the base layer.
//!
//! A [`Zone`] is built from a [`ZoneGeometry`] (lon/lat polygons with holes, multipolygons,
//! or a geodesic circle) through [`Zone::builder`] and validated once: every problem is named
//! in a [`ZoneError`]. Its edges follow an [`EdgeModel`] (straight in lon/lat, or great
//! circles). A point is [`Position::Inside`], [`Position::OnBoundary`] or
//! [`Position::Outside`], exactly. Distances are WGS84 geodesics.
//!
//! ```
//! use sanctuary::geometry::{Position, Zone, ZoneGeometry};
//! let ring = vec![[20.0, 48.0], [25.0, 48.0], [25.0, 50.0], [20.0, 50.0], [20.0, 48.0]];
//! let zone = Zone::builder("west", ZoneGeometry::polygon(vec![ring])).build()?;
//! assert_eq!(zone.position(22.0, 49.0)?, Position::Inside);
//! assert_eq!(zone.position(25.0, 49.0)?, Position::OnBoundary);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Zones from `geo_types`
//!
//! A `geo_types` polygon or multipolygon becomes a [`ZoneGeometry`] as it stands, with `x`
//! as the longitude and `y` as the latitude (WGS84 degrees). The conversion checks
//! nothing, so it cannot fail: everything is validated where every zone geometry is, by
//! [`Zone::builder`](crate::Zone::builder)`(...).build()` or a plan's build, which name
//! each problem ([`ZoneProblem`]):
//!
//! - **Rings are closed**: `geo_types` closes a polygon's rings when it is made; a ring that
//!   is nonetheless open gets its first position repeated at its end. An empty ring stays
//!   empty (and is refused as too short).
//! - **Orientation is free**: shells and holes may run either way; a zone stores shells
//!   counter-clockwise and holes clockwise whatever it was given.
//! - **An empty polygon** (no exterior position and no hole) becomes a polygon without
//!   rings, and an empty multipolygon one without polygons: both are refused as
//!   [`NoPolygons`](crate::geometry::ZoneProblem::NoPolygons).
//! - **Non-finite or out-of-range coordinates**, self-intersections, holes outside their
//!   shell and the like are refused at validation, as from any other source.
//!
//! Of the other geometries, a [`Rect`](geo_types::Rect) (its ring counter-clockwise from
//! the south-west corner) and a [`Triangle`](geo_types::Triangle) (its corners in order)
//! are polygons too; `TryFrom<Geometry>` refuses points,
//! lines and collections with a [`GeometryKindError`] (a circle zone is a
//! [`ZoneGeometry::circle`], a centre and a radius, not a `geo_types` geometry).
//!
//! ```
//! use geo_types::{polygon, MultiPolygon};
//! use sanctuary::{Zone, geometry::{Position, ZoneGeometry}};
//! // Clockwise, and not written closed: `polygon!` closes it, the zone turns it round.
//! let square = polygon![(x: 0.0, y: 0.0), (x: 0.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0)];
//! let zone = Zone::builder("sq", ZoneGeometry::from(&square)).build()?;
//! assert_eq!(zone.position(0.5, 0.5)?, Position::Inside);
//! assert_eq!(zone.position(1.0, 0.5)?, Position::OnBoundary);
//! // An empty multipolygon converts, and is refused when the zone is built.
//! let empty = ZoneGeometry::from(MultiPolygon::<f64>::new(vec![]));
//! assert!(Zone::builder("e", empty).build().is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Inside:
//! Orientation and point-in-polygon predicates (`kernel`), WGS84 geodesics (`geodesy`),
//! cheap distance bounds for searches (`bounds`), zones and their validation (`zone`), ids
//! (`id`), physical bounds (`limits`), the errors of this layer (`error`), the reading of
//! zones from GeoJSON (`geojson`) and the conversions from `geo_types` (`convert`). Nothing
//! here knows about indexes, plans or decisions.

pub(crate) mod bounds;
mod convert;
pub(crate) mod error;
pub(crate) mod geodesy;
pub(crate) mod geojson;
pub(crate) mod id;
pub(crate) mod kernel;
pub(crate) mod limits;
pub(crate) mod zone;

pub use convert::GeometryKindError;
pub use error::{PointError, ZoneError, ZoneProblem};
pub use geodesy::{geodesic_destination, geodesic_distance_m, WGS84_A, WGS84_F};
pub use kernel::{EdgeModel, Position, GREAT_CIRCLE_BOUNDARY_RAD};
pub use limits::{MAX_ALTITUDE_M, MAX_CIRCLE_RADIUS_M, MIN_ALTITUDE_M};
pub use zone::{
    VerticalBand, Zone, ZoneBuilder, ZoneGeometry, ZoneKind, ZoneSpec, CIRCLE_BOUNDARY_TOLERANCE_M,
};
