//! The JSON (serde) form of zone geometry and zone specs: GeoJSON geometry, and one shape
//! for a circle, a GeoJSON `Point` with `radius_m`.
//!
//! - In a zone ([`ZoneSpec`], and so a serialised [`Zone`](super::Zone)), as in a plan
//!   file's zone and a GeoJSON zone file's feature, `radius_m` sits beside the geometry:
//!   `{"id": "c", "geometry": {"type": "Point", "coordinates": [30.5, 50.4]}, "radius_m": 1000}`.
//! - A bare [`ZoneGeometry`], which has no zone around it, carries `radius_m` as a member of
//!   the `Point`: `{"type": "Point", "coordinates": [30.5, 50.4], "radius_m": 1000}`.
//!
//! Polygons are GeoJSON `Polygon` and `MultiPolygon` objects (`coordinates`). The earlier
//! serde form (`{"type": "circle", "center": [lon, lat], "radius_m": r}`,
//! `{"type": "polygon", "rings": …}`, `{"type": "multi_polygon", "polygons": …}`) is still
//! read, in both places, and never written.
//!
//! Geometry is read as the plan file's is (the same function): every coordinate is the
//! nearest `f64` to its literal, a third number in a position (an altitude) is ignored.

use super::{VerticalBand, ZoneGeometry, ZoneKind, ZoneSpec};
use crate::geometry::kernel::EdgeModel;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A GeoJSON geometry object as written; `radius_m` only for a bare circle.
#[derive(Serialize)]
#[serde(tag = "type")]
enum GeometryOut<'a> {
    Polygon {
        coordinates: &'a [Vec<[f64; 2]>],
    },
    MultiPolygon {
        coordinates: &'a [Vec<Vec<[f64; 2]>>],
    },
    Point {
        coordinates: [f64; 2],
        #[serde(skip_serializing_if = "Option::is_none")]
        radius_m: Option<f64>,
    },
}

/// The geometry object, and the circle's radius when it goes beside it.
fn geometry_out(g: &ZoneGeometry, radius_inside: bool) -> (GeometryOut<'_>, Option<f64>) {
    match g {
        ZoneGeometry::Polygon { rings } => (GeometryOut::Polygon { coordinates: rings }, None),
        ZoneGeometry::MultiPolygon { polygons } => (
            GeometryOut::MultiPolygon {
                coordinates: polygons,
            },
            None,
        ),
        ZoneGeometry::Circle { center, radius_m } if radius_inside => (
            GeometryOut::Point {
                coordinates: *center,
                radius_m: Some(*radius_m),
            },
            None,
        ),
        ZoneGeometry::Circle { center, radius_m } => (
            GeometryOut::Point {
                coordinates: *center,
                radius_m: None,
            },
            Some(*radius_m),
        ),
    }
}

/// A geometry from its JSON value, with a circle's radius found beside it (`outer_radius`,
/// in a zone spec) or, for a `bare` geometry, inside it.
fn geometry_in(
    mut value: Value,
    outer_radius: Option<f64>,
    bare: bool,
    id: &str,
) -> Result<ZoneGeometry, String> {
    let radius_at = if bare { "geometry.radius_m" } else { "radius_m" };
    let kind = value.get("type").and_then(Value::as_str).map(str::to_string);
    match kind.as_deref() {
        Some(old @ ("polygon" | "multi_polygon" | "circle")) => {
            // The earlier form, rewritten as GeoJSON (the numbers kept as they were read)
            // and read as GeoJSON is.
            if outer_radius.is_some() {
                return Err(format!(
                    "{radius_at}: `radius_m` goes with a GeoJSON Point geometry"
                ));
            }
            let (new_type, key) = match old {
                "polygon" => ("Polygon", "rings"),
                "multi_polygon" => ("MultiPolygon", "polygons"),
                _ => ("Point", "center"),
            };
            let field = |name: &str| {
                value
                    .get(name)
                    .cloned()
                    .ok_or_else(|| format!("geometry: missing field `{name}`"))
            };
            let coordinates = field(key)?;
            let radius_m = match old {
                "circle" => Some(
                    field("radius_m")?
                        .as_f64()
                        .ok_or("geometry.radius_m: expected a number")?,
                ),
                _ => None,
            };
            let geojson = serde_json::json!({"type": new_type, "coordinates": coordinates});
            crate::geometry::geojson::zone_geometry("zone", id, Some(&geojson), radius_m, "geometry.radius_m")
                .map_err(|e| e.to_string())
        }
        _ => {
            // A bare geometry carries its radius inside; a zone's beside it.
            let inner = match value.as_object_mut().and_then(|o| o.remove("radius_m")) {
                None => None,
                Some(r) if bare => Some(r.as_f64().ok_or("geometry.radius_m: expected a number")?),
                Some(_) => {
                    return Err(format!(
                        "geometry.radius_m: give `radius_m` beside the geometry ({radius_at})"
                    ))
                }
            };
            crate::geometry::geojson::zone_geometry(
                "zone",
                id,
                Some(&value),
                outer_radius.or(inner),
                radius_at,
            )
            .map_err(|e| e.to_string())
        }
    }
}

/// GeoJSON, a circle as a `Point` with a `radius_m` member (see [`ZoneGeometry`]).
impl Serialize for ZoneGeometry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        geometry_out(self, true).0.serialize(serializer)
    }
}

/// GeoJSON (a circle as a `Point` with a `radius_m` member), or the earlier
/// `circle`/`polygon`/`multi_polygon` form.
impl<'de> Deserialize<'de> for ZoneGeometry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        geometry_in(value, None, true, "").map_err(D::Error::custom)
    }
}

/// A zone spec as written: a plan file's zone, without the plan's fields.
#[derive(Serialize)]
struct SpecOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    kind: ZoneKind,
    edges: EdgeModel,
    geometry: GeometryOut<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    radius_m: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    band: Option<VerticalBand>,
}

/// A zone spec as read: the geometry as a JSON value, walked by hand.
#[derive(Deserialize)]
struct SpecIn {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    kind: ZoneKind,
    #[serde(default)]
    edges: EdgeModel,
    geometry: Value,
    #[serde(default)]
    radius_m: Option<f64>,
    #[serde(default)]
    band: Option<VerticalBand>,
}

/// The geometry as GeoJSON, a circle's `radius_m` beside it (as in a plan file's zone).
impl Serialize for ZoneSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (geometry, radius_m) = geometry_out(&self.geometry, false);
        SpecOut {
            id: &self.id,
            name: self.name.as_deref(),
            kind: self.kind,
            edges: self.edges,
            geometry,
            radius_m,
            band: self.band,
        }
        .serialize(serializer)
    }
}

/// GeoJSON geometry with a circle's `radius_m` beside it, or the earlier form of the
/// geometry (`{"type": "circle", "center", "radius_m"}` and the like).
impl<'de> Deserialize<'de> for ZoneSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spec = SpecIn::deserialize(deserializer)?;
        let geometry =
            geometry_in(spec.geometry, spec.radius_m, false, &spec.id).map_err(D::Error::custom)?;
        Ok(ZoneSpec {
            id: spec.id,
            name: spec.name,
            kind: spec.kind,
            edges: spec.edges,
            geometry,
            band: spec.band,
        })
    }
}
