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
//! Inside:
//! Orientation and point-in-polygon predicates (`kernel`), WGS84 geodesics (`geodesy`),
//! cheap distance bounds for searches (`bounds`), zones and their validation (`zone`), ids
//! (`id`), physical bounds (`limits`), the errors of this layer (`error`) and the reading of zones from GeoJSON
//! (`geojson`). Nothing here knows about indexes, plans or decisions.

pub(crate) mod bounds;
pub(crate) mod error;
pub(crate) mod geodesy;
pub(crate) mod geojson;
pub(crate) mod id;
pub(crate) mod kernel;
pub(crate) mod limits;
pub(crate) mod zone;

pub use error::{PointError, ZoneError, ZoneProblem};
pub use geodesy::{geodesic_destination, geodesic_distance_m, WGS84_A, WGS84_F};
pub use kernel::{EdgeModel, Position, GREAT_CIRCLE_BOUNDARY_RAD};
pub use limits::{MAX_ALTITUDE_M, MAX_CIRCLE_RADIUS_M, MIN_ALTITUDE_M};
pub use zone::{
    VerticalBand, Zone, ZoneBuilder, ZoneGeometry, ZoneKind, ZoneSpec, CIRCLE_BOUNDARY_TOLERANCE_M,
};
