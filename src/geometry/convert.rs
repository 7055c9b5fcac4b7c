//! Zone geometry from [`geo_types`] geometries (documented in [`geometry`](crate::geometry)).

use crate::geometry::zone::ZoneGeometry;
use geo_types::{Geometry, LineString, MultiPolygon, Polygon, Rect, Triangle};
use std::fmt;

/// A ring as `[lon, lat]` positions, closed if it was open and not empty.
fn ring(line: &LineString<f64>) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = line.0.iter().map(|c| [c.x, c.y]).collect();
    if let (Some(&first), Some(&last)) = (out.first(), out.last()) {
        if first != last {
            out.push(first);
        }
    }
    out
}

/// A polygon's rings, shell first; none for an empty polygon.
fn rings(polygon: &Polygon<f64>) -> Vec<Vec<[f64; 2]>> {
    if polygon.exterior().0.is_empty() && polygon.interiors().is_empty() {
        return Vec::new();
    }
    std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .map(ring)
        .collect()
}

/// A polygon zone geometry from a `geo_types` polygon (see [`geometry`](crate::geometry):
/// rings closed, any orientation, validated at build).
///
/// # Example
/// ```
/// use geo_types::{coord, LineString, Polygon};
/// use sanctuary::geometry::ZoneGeometry;
/// let shell = LineString::from(vec![(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]);
/// let hole = LineString::from(vec![(0.5, 0.5), (1.0, 0.5), (1.0, 1.0)]);
/// let g = ZoneGeometry::from(Polygon::new(shell, vec![hole]));
/// assert_eq!(g, ZoneGeometry::polygon(vec![
///     vec![[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0]],
///     vec![[0.5, 0.5], [1.0, 0.5], [1.0, 1.0], [0.5, 0.5]],
/// ]));
/// ```
impl From<Polygon<f64>> for ZoneGeometry {
    fn from(polygon: Polygon<f64>) -> Self {
        ZoneGeometry::from(&polygon)
    }
}

/// As `From<Polygon<f64>>`, without taking the polygon.
///
/// # Example
/// ```
/// use geo_types::polygon;
/// use sanctuary::{geometry::ZoneGeometry, Zone};
/// let p = polygon![(x: 30.0, y: 50.0), (x: 31.0, y: 50.0), (x: 31.0, y: 51.0)];
/// let zone = Zone::builder("t", ZoneGeometry::from(&p)).build()?;
/// assert_eq!(zone.vertex_count(), 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl From<&Polygon<f64>> for ZoneGeometry {
    fn from(polygon: &Polygon<f64>) -> Self {
        ZoneGeometry::Polygon {
            rings: rings(polygon),
        }
    }
}

/// A multipolygon zone geometry from a `geo_types` multipolygon, polygon by polygon (even
/// when it holds a single one).
///
/// # Example
/// ```
/// use geo_types::{polygon, MultiPolygon};
/// use sanctuary::{geometry::{Position, ZoneGeometry}, Zone};
/// let a = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
/// let b = polygon![(x: 2.0, y: 0.0), (x: 3.0, y: 0.0), (x: 3.0, y: 1.0), (x: 2.0, y: 1.0)];
/// let g = ZoneGeometry::from(MultiPolygon::new(vec![a, b]));
/// assert!(matches!(&g, ZoneGeometry::MultiPolygon { polygons } if polygons.len() == 2));
/// let zone = Zone::builder("ab", g).build()?;
/// assert_eq!(zone.position(1.5, 0.5)?, Position::Outside);
/// assert_eq!(zone.position(2.5, 0.5)?, Position::Inside);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl From<MultiPolygon<f64>> for ZoneGeometry {
    fn from(multi: MultiPolygon<f64>) -> Self {
        ZoneGeometry::from(&multi)
    }
}

/// As `From<MultiPolygon<f64>>`, without taking the multipolygon.
///
/// # Example
/// ```
/// use geo_types::{polygon, MultiPolygon};
/// use sanctuary::geometry::ZoneGeometry;
/// let m = MultiPolygon::new(vec![polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)]]);
/// assert!(matches!(ZoneGeometry::from(&m), ZoneGeometry::MultiPolygon { polygons } if polygons.len() == 1));
/// ```
impl From<&MultiPolygon<f64>> for ZoneGeometry {
    fn from(multi: &MultiPolygon<f64>) -> Self {
        ZoneGeometry::MultiPolygon {
            polygons: multi.0.iter().map(rings).collect(),
        }
    }
}

/// A rectangle, as the polygon of its four corners, counter-clockwise from the south-west
/// one: `[min_x, min_y]`, `[max_x, min_y]`, `[max_x, max_y]`, `[min_x, max_y]`, then
/// `[min_x, min_y]` again (the ring a box is usually written with, so a plan built from a
/// `Rect` has the hash of the plan file that writes the box that way).
///
/// # Example
/// ```
/// use geo_types::{coord, Rect};
/// use sanctuary::{geometry::{Position, ZoneGeometry}, Zone};
/// let r = Rect::new(coord! { x: 20.0, y: 48.0 }, coord! { x: 25.0, y: 50.0 });
/// let zone = Zone::builder("r", ZoneGeometry::from(r)).build()?;
/// assert_eq!(zone.bounds(), [20.0, 48.0, 25.0, 50.0]);
/// assert_eq!(zone.position(25.0, 49.0)?, Position::OnBoundary);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl From<Rect<f64>> for ZoneGeometry {
    fn from(rect: Rect<f64>) -> Self {
        let (min, max) = (rect.min(), rect.max());
        ZoneGeometry::Polygon {
            rings: vec![vec![
                [min.x, min.y],
                [max.x, min.y],
                [max.x, max.y],
                [min.x, max.y],
                [min.x, min.y],
            ]],
        }
    }
}

/// A triangle, as the polygon of its three corners in their order (closed by the first
/// again).
///
/// # Example
/// ```
/// use geo_types::{coord, Triangle};
/// use sanctuary::{geometry::ZoneGeometry, Zone};
/// let t = Triangle::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 1.0, y: 0.0 }, coord! { x: 0.0, y: 1.0 });
/// assert_eq!(Zone::builder("t", ZoneGeometry::from(t)).build()?.vertex_count(), 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl From<Triangle<f64>> for ZoneGeometry {
    fn from(triangle: Triangle<f64>) -> Self {
        let [a, b, c] = triangle.to_array();
        ZoneGeometry::Polygon {
            rings: vec![vec![[a.x, a.y], [b.x, b.y], [c.x, c.y], [a.x, a.y]]],
        }
    }
}

/// A `geo_types` geometry that is not an area (a point, a line, a collection) cannot be a
/// zone's geometry.
///
/// # Example
/// ```
/// use geo_types::{point, Geometry};
/// use sanctuary::geometry::{GeometryKindError, ZoneGeometry};
/// let err = ZoneGeometry::try_from(Geometry::Point(point!(x: 30.0, y: 50.0))).unwrap_err();
/// assert_eq!(err, GeometryKindError { found: "Point" });
/// assert_eq!(err.to_string(), "a `Point` is not a zone geometry: expected a Polygon, MultiPolygon, Rect or Triangle");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeometryKindError {
    /// The `geo_types` variant found, e.g. `"LineString"`.
    pub found: &'static str,
}

impl fmt::Display for GeometryKindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a `{}` is not a zone geometry: expected a Polygon, MultiPolygon, Rect or Triangle",
            self.found
        )
    }
}

impl std::error::Error for GeometryKindError {}

/// A zone geometry from any `geo_types` geometry that is an area: a polygon, multipolygon,
/// rectangle or triangle (converted as their own `From` impls do).
///
/// # Errors
/// [`GeometryKindError`] for points, lines and geometry collections.
///
/// # Example
/// ```
/// use geo_types::{line_string, polygon, Geometry};
/// use sanctuary::geometry::ZoneGeometry;
/// let p = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)];
/// assert_eq!(ZoneGeometry::try_from(Geometry::Polygon(p.clone()))?, ZoneGeometry::from(p));
/// let line = Geometry::LineString(line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0)]);
/// assert_eq!(ZoneGeometry::try_from(line).map_err(|e| e.found), Err("LineString"));
/// # Ok::<(), sanctuary::geometry::GeometryKindError>(())
/// ```
impl TryFrom<Geometry<f64>> for ZoneGeometry {
    type Error = GeometryKindError;

    fn try_from(geometry: Geometry<f64>) -> Result<Self, Self::Error> {
        ZoneGeometry::try_from(&geometry)
    }
}

/// As `TryFrom<Geometry<f64>>`, without taking the geometry.
///
/// # Errors
/// [`GeometryKindError`] for points, lines and geometry collections.
///
/// # Example
/// ```
/// use geo_types::{coord, Geometry, Rect};
/// use sanctuary::geometry::ZoneGeometry;
/// let g = Geometry::Rect(Rect::new(coord! { x: 0.0, y: 0.0 }, coord! { x: 1.0, y: 1.0 }));
/// assert!(matches!(ZoneGeometry::try_from(&g)?, ZoneGeometry::Polygon { .. }));
/// # Ok::<(), sanctuary::geometry::GeometryKindError>(())
/// ```
impl TryFrom<&Geometry<f64>> for ZoneGeometry {
    type Error = GeometryKindError;

    fn try_from(geometry: &Geometry<f64>) -> Result<Self, Self::Error> {
        let found = match geometry {
            Geometry::Polygon(p) => return Ok(ZoneGeometry::from(p)),
            Geometry::MultiPolygon(m) => return Ok(ZoneGeometry::from(m)),
            Geometry::Rect(r) => return Ok(ZoneGeometry::from(*r)),
            Geometry::Triangle(t) => return Ok(ZoneGeometry::from(*t)),
            Geometry::Point(_) => "Point",
            Geometry::Line(_) => "Line",
            Geometry::LineString(_) => "LineString",
            Geometry::MultiPoint(_) => "MultiPoint",
            Geometry::MultiLineString(_) => "MultiLineString",
            Geometry::GeometryCollection(_) => "GeometryCollection",
        };
        Err(GeometryKindError { found })
    }
}
