//! The base layer: validated zones and the exact geometry under them.
//!
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
