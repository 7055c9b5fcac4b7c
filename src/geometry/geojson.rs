//! Reading zones from GeoJSON.
//!
//! A zone file is a FeatureCollection. Each feature is one zone:
//!
//! | property    | type                             | default        |
//! |-------------|----------------------------------|----------------|
//! | `id`        | non-empty string, unique         | required       |
//! | `name`      | string                           | none           |
//! | `kind`      | `"sanctuary"` or `"exclusion"`   | `"sanctuary"`  |
//! | `edges`     | `"plate_carree"` or `"great_circle"` | `"plate_carree"` |
//! | `floor_m`   | number (metres)                  | none           |
//! | `ceiling_m` | number (metres)                  | none           |
//! | `radius_m`  | number (metres), Point features only | required for a Point |
//!
//! | `center_lon`, `center_lat` | numbers (degrees), Polygon features with `radius_m` only | none |
//!
//! Geometry is a Polygon, a MultiPolygon, or a Point with `radius_m` (a geodesic circle).
//! A **Polygon with `radius_m`, `center_lon` and `center_lat`** is a circle drawn as a
//! polygon, as this crate's GeoJSON export writes circles
//! ([`zones_geojson`](crate::geojson::zones_geojson)): the zone is the circle in the
//! properties, and the polygon must be one ring whose vertices lie on that circle (within
//! [`DRAWN_CIRCLE_TOLERANCE_M`] plus [`DRAWN_CIRCLE_TOLERANCE_FRACTION`] of the radius), so an export loads back as equal zones, and a drawing edited
//! in a GIS without its properties is refused rather than silently replaced. Likewise a
//! great-circle zone drawn densified carries its own vertices in the feature member
//! `great_circle_vertices` (a Polygon or MultiPolygon beside `geometry`): the zone is read
//! from them, once checked to be the drawing's vertices with the added points left out.
//! Other properties (the export's `phase`, `rule_classes`, ...) are ignored.
//! Positions may carry a third number (altitude), which is ignored. Any other geometry type,
//! property of the wrong type, unknown `kind` or `edges` value is an error naming the
//! feature: nothing is skipped silently.
//!
//! The document is read as a [`serde_json::Value`] and walked by hand (not through the
//! `geojson` crate's deserialiser, whose coordinate reader fails when a binary turns on
//! serde_json's `arbitrary_precision`): every coordinate is the nearest `f64` to its
//! literal, whatever serde_json features the final binary unifies.

use crate::geometry::error::{LoadError, ZoneError, ZoneProblem};
use crate::geometry::kernel::EdgeModel;
use crate::geometry::zone::{VerticalBand, Zone, ZoneGeometry, ZoneKind, ZoneSpec};
use serde_json::{Map as JsonObject, Value as JsonValue};
use std::collections::HashMap;
use std::path::Path;

/// The largest zone file accepted, bytes.
///
/// # Example
/// ```
/// assert_eq!(sanctuary::geojson::MAX_ZONE_FILE_BYTES, 256 * 1024 * 1024);
/// ```
pub const MAX_ZONE_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Parses a GeoJSON FeatureCollection of zones and validates every zone.
///
/// # Errors
/// [`LoadError`] naming the feature (`features[i]`) and the problem: invalid JSON, not a
/// FeatureCollection, a missing or duplicate id, a property of the wrong type, an
/// unsupported geometry, or a zone that fails validation.
///
/// # Example
/// ```
/// let text = r#"{"type": "FeatureCollection", "features": [
///   {"type": "Feature", "properties": {"id": "npp", "radius_m": 30000},
///    "geometry": {"type": "Point", "coordinates": [31.21667, 47.81667]}},
///   {"type": "Feature", "properties": {"id": "box", "kind": "exclusion"},
///    "geometry": {"type": "Polygon", "coordinates": [[[30,46],[31,46],[31,47],[30,46]]]}}
/// ]}"#;
/// let zones = sanctuary::geojson::zones_from_geojson_str(text)?;
/// assert_eq!(zones.len(), 2);
/// assert_eq!(zones[1].kind(), sanctuary::geometry::ZoneKind::Exclusion);
///
/// let bad = text.replace("\"npp\"", "\"\"");
/// let err = sanctuary::geojson::zones_from_geojson_str(&bad).unwrap_err();
/// assert!(err.to_string().starts_with("features[0]"));
/// # Ok::<(), sanctuary::geojson::LoadError>(())
/// ```
pub fn zones_from_geojson_str(text: &str) -> Result<Vec<Zone>, LoadError> {
    let geojson: JsonValue = serde_json::from_str(text).map_err(|e| LoadError::json(&e))?;
    zones_from_geojson(&geojson)
}

/// Reads and parses a GeoJSON zone file (see [`zones_from_geojson_str`]).
///
/// # Errors
/// [`LoadError::Io`] when the file cannot be read or is larger than
/// [`MAX_ZONE_FILE_BYTES`]; otherwise as [`zones_from_geojson_str`].
///
/// # Example
/// ```
/// use sanctuary::geojson::{LoadError, zones_from_geojson_file};
/// let path = std::env::temp_dir().join(format!("sanctuary-doc-{}.geojson", std::process::id()));
/// std::fs::write(&path, r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
///   "properties": {"id": "npp", "radius_m": 30000},
///   "geometry": {"type": "Point", "coordinates": [31.21667, 47.81667]}}]}"#)?;
/// let zones = zones_from_geojson_file(&path)?;
/// assert_eq!(zones[0].id(), "npp");
/// std::fs::remove_file(&path)?;
/// assert!(matches!(zones_from_geojson_file(&path), Err(LoadError::Io { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn zones_from_geojson_file(path: impl AsRef<Path>) -> Result<Vec<Zone>, LoadError> {
    let text = read_bounded(path.as_ref(), MAX_ZONE_FILE_BYTES)?;
    zones_from_geojson_str(&text)
}

/// Reads a UTF-8 text file no larger than `max` bytes.
pub(crate) fn read_bounded(path: &Path, max: u64) -> Result<String, LoadError> {
    use std::io::Read;
    let io_err = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_err)?;
    let mut text = String::new();
    let read = file.take(max + 1).read_to_string(&mut text).map_err(io_err)?;
    if read as u64 > max {
        return Err(io_err(std::io::Error::other(format!(
            "file is larger than {max} bytes"
        ))));
    }
    Ok(text)
}

fn zones_from_geojson(geojson: &JsonValue) -> Result<Vec<Zone>, LoadError> {
    let features = match geojson {
        JsonValue::Object(doc)
            if doc.get("type").and_then(JsonValue::as_str) == Some("FeatureCollection") =>
        {
            match doc.get("features") {
                Some(JsonValue::Array(features)) => features,
                _ => {
                    return Err(LoadError::format(
                        "document.features",
                        "expected an array of features",
                    ))
                }
            }
        }
        _ => {
            return Err(LoadError::format(
                "document",
                "expected a GeoJSON FeatureCollection",
            ))
        }
    };
    let mut zones = Vec::with_capacity(features.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    let no_properties = JsonObject::new();
    for (i, feature) in features.iter().enumerate() {
        let place = format!("features[{i}]");
        let feature = match feature {
            JsonValue::Object(f) if f.get("type").and_then(JsonValue::as_str) == Some("Feature") => f,
            _ => return Err(LoadError::format(&place, "expected a GeoJSON Feature")),
        };
        let props = match feature.get("properties") {
            None | Some(JsonValue::Null) => &no_properties,
            Some(JsonValue::Object(props)) => props,
            Some(_) => {
                return Err(LoadError::format(
                    format!("{place}.properties"),
                    "expected an object",
                ))
            }
        };
        let geometry = feature.get("geometry").filter(|g| !g.is_null());
        let mut spec = feature_spec(&place, props, geometry)?;
        if let Some(own) = feature.get(GREAT_CIRCLE_VERTICES) {
            spec.geometry = great_circle_vertices(&place, &spec, own)?;
        }
        if let Some(&first) = seen.get(&spec.id) {
            return Err(LoadError::DuplicateId {
                id: spec.id,
                first,
                second: i,
            });
        }
        seen.insert(spec.id.clone(), i);
        let zone = Zone::try_from(spec).map_err(|source| LoadError::Zone {
            place: place.clone(),
            source,
        })?;
        zones.push(zone);
    }
    Ok(zones)
}

fn feature_spec(
    place: &str,
    props: &JsonObject<String, JsonValue>,
    geometry: Option<&JsonValue>,
) -> Result<ZoneSpec, LoadError> {
    let id = match props.get("id") {
        Some(JsonValue::String(s)) if !s.is_empty() => s.clone(),
        Some(JsonValue::String(_)) => {
            return Err(LoadError::format(
                format!("{place}.properties.id"),
                "the zone id is empty",
            ))
        }
        Some(_) => {
            return Err(LoadError::format(
                format!("{place}.properties.id"),
                "expected a string",
            ))
        }
        None => {
            return Err(LoadError::format(
                format!("{place}.properties"),
                "missing required property `id`",
            ))
        }
    };
    let string_prop = |key: &str| -> Result<Option<String>, LoadError> {
        match props.get(key) {
            None | Some(JsonValue::Null) => Ok(None),
            Some(JsonValue::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(LoadError::format(
                format!("{place}.properties.{key}"),
                "expected a string",
            )),
        }
    };
    let number_prop = |key: &str| -> Result<Option<f64>, LoadError> {
        match props.get(key) {
            None | Some(JsonValue::Null) => Ok(None),
            Some(JsonValue::Number(n)) => n
                .as_f64()
                .map(Some)
                .ok_or_else(|| LoadError::format(format!("{place}.properties.{key}"), "number out of range")),
            Some(_) => Err(LoadError::format(
                format!("{place}.properties.{key}"),
                "expected a number",
            )),
        }
    };
    let name = string_prop("name")?;
    let kind = match string_prop("kind")?.as_deref() {
        None | Some("sanctuary") => ZoneKind::Sanctuary,
        Some("exclusion") => ZoneKind::Exclusion,
        Some(other) => {
            return Err(LoadError::format(
                format!("{place}.properties.kind"),
                format!("unknown kind `{other}`; expected `sanctuary` or `exclusion`"),
            ))
        }
    };
    let edges = match string_prop("edges")?.as_deref() {
        None | Some("plate_carree") => EdgeModel::PlateCarree,
        Some("great_circle") => EdgeModel::GreatCircle,
        Some(other) => {
            return Err(LoadError::format(
                format!("{place}.properties.edges"),
                format!("unknown edge model `{other}`; expected `plate_carree` or `great_circle`"),
            ))
        }
    };
    let floor_m = number_prop("floor_m")?;
    let ceiling_m = number_prop("ceiling_m")?;
    let band = (floor_m.is_some() || ceiling_m.is_some()).then_some(VerticalBand { floor_m, ceiling_m });
    let radius_m = number_prop("radius_m")?;
    let center = match (number_prop("center_lon")?, number_prop("center_lat")?) {
        (Some(lon), Some(lat)) => Some([lon, lat]),
        _ => None,
    };
    let drawn = geometry.and_then(|g| g.get("type")).and_then(JsonValue::as_str) == Some("Polygon");
    let geometry = match (radius_m, center) {
        // A circle drawn as a polygon (this crate's GeoJSON export): the circle is in the
        // properties, the polygon is its drawing and must lie on it.
        (Some(radius_m), Some(center)) if drawn => {
            let drawing = zone_geometry(place, &id, geometry, None, "")?;
            check_drawn_circle(place, &drawing, center, radius_m)?;
            ZoneGeometry::Circle { center, radius_m }
        }
        _ => zone_geometry(
            place,
            &id,
            geometry,
            radius_m,
            &format!("{place}.properties.radius_m"),
        )?,
    };
    Ok(ZoneSpec {
        id,
        name,
        kind,
        edges,
        geometry,
        band,
    })
}

/// The feature member (beside `geometry`, outside `properties`) in which this crate's GeoJSON
/// export keeps a great-circle zone's own vertices, which its densified drawing passes
/// through.
pub(crate) const GREAT_CIRCLE_VERTICES: &str = "great_circle_vertices";

/// A great-circle zone's own vertices (`own`, a Polygon or MultiPolygon), checked to be the
/// drawing's vertices with the densified points left out: the same rings, in the same order,
/// each starting and ending at the same vertex.
fn great_circle_vertices(place: &str, spec: &ZoneSpec, own: &JsonValue) -> Result<ZoneGeometry, LoadError> {
    let at = format!("{place}.{GREAT_CIRCLE_VERTICES}");
    if spec.edges != EdgeModel::GreatCircle {
        return Err(LoadError::format(
            at,
            "applies only to zones with `\"edges\": \"great_circle\"`",
        ));
    }
    let own = zone_geometry(&at, &spec.id, Some(own), None, "")?;
    let parts = |g: &ZoneGeometry| -> Option<Vec<Vec<Vec<[f64; 2]>>>> {
        match g {
            ZoneGeometry::Polygon { rings } => Some(vec![rings.clone()]),
            ZoneGeometry::MultiPolygon { polygons } => Some(polygons.clone()),
            ZoneGeometry::Circle { .. } => None,
        }
    };
    let follows = match (parts(&own), parts(&spec.geometry)) {
        (Some(own_parts), Some(drawn_parts)) if own_parts.len() == drawn_parts.len() => own_parts
            .iter()
            .zip(&drawn_parts)
            .all(|(o, d)| o.len() == d.len() && o.iter().zip(d).all(|(or, dr)| is_thinned(or, dr))),
        _ => false,
    };
    if !follows {
        return Err(LoadError::format(
            at,
            "the drawn geometry does not pass through these vertices (edited in a GIS?): \
             remove this member to load the drawing",
        ));
    }
    Ok(own)
}

/// Is `drawn` the ring `own` with points added on its great-circle edges: the same first
/// and last vertex, every vertex of `own` in order, and every added point on the arc
/// between the two vertices of `own` around it (within [`DRAWN_CIRCLE_TOLERANCE_M`])?
fn is_thinned(own: &[[f64; 2]], drawn: &[[f64; 2]]) -> bool {
    if own.first() != drawn.first() || own.last() != drawn.last() {
        return false;
    }
    let unit = |p: &[f64; 2]| {
        let (lon, lat) = (p[0].to_radians(), p[1].to_radians());
        [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
    };
    let cross = |a: [f64; 3], b: [f64; 3]| {
        [
            a[1] * b[2] - a[2] * b[1],
            a[2] * b[0] - a[0] * b[2],
            a[0] * b[1] - a[1] * b[0],
        ]
    };
    let dot = |a: [f64; 3], b: [f64; 3]| a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    // Metres to radians on a sphere of the Earth's mean radius.
    let tolerance = DRAWN_CIRCLE_TOLERANCE_M / 6_371_008.8;
    let mut drawn = drawn.iter().peekable();
    for w in own.windows(2) {
        let [a, b] = w else { return false };
        // Skip to `a`, which must be the next drawn vertex.
        if drawn.next() != Some(a) {
            return false;
        }
        let (ua, ub) = (unit(a), unit(b));
        let normal = cross(ua, ub);
        let length = dot(normal, normal).sqrt();
        while let Some(p) = drawn.next_if(|p| *p != b) {
            let up = unit(p);
            let off_circle = if length > 0.0 {
                dot(up, normal).abs() / length
            } else {
                f64::INFINITY
            };
            let between = dot(cross(ua, up), normal) >= 0.0 && dot(cross(up, ub), normal) >= 0.0;
            if !(off_circle <= tolerance && between) {
                return false;
            }
        }
    }
    // Only the closing vertex is left.
    drawn.next() == own.last() && drawn.next().is_none()
}

/// How far a vertex of a circle drawn as a polygon may be from the circle: this many metres
/// plus [`DRAWN_CIRCLE_TOLERANCE_FRACTION`] of the radius (GIS tools may round coordinates;
/// a drawing edited away from its circle is refused).
///
/// # Example
/// ```
/// use sanctuary::geojson::{DRAWN_CIRCLE_TOLERANCE_FRACTION, DRAWN_CIRCLE_TOLERANCE_M};
/// // A 30 km circle's drawing may be 31 m off its radius.
/// assert_eq!(DRAWN_CIRCLE_TOLERANCE_M + DRAWN_CIRCLE_TOLERANCE_FRACTION * 30_000.0, 31.0);
/// ```
pub const DRAWN_CIRCLE_TOLERANCE_M: f64 = 1.0;

/// The part of a drawn circle's tolerance proportional to its radius (see
/// [`DRAWN_CIRCLE_TOLERANCE_M`]).
pub const DRAWN_CIRCLE_TOLERANCE_FRACTION: f64 = 1e-3;

/// Checks that a polygon drawing of a circle lies on the circle: one ring, every vertex
/// within [`DRAWN_CIRCLE_TOLERANCE_M`] (and the fraction) of the radius.
fn check_drawn_circle(
    place: &str,
    drawing: &ZoneGeometry,
    center: [f64; 2],
    radius_m: f64,
) -> Result<(), LoadError> {
    let at = format!("{place}.geometry");
    let ZoneGeometry::Polygon { rings } = drawing else {
        return Err(LoadError::format(at, "a drawn circle must be a Polygon"));
    };
    let [ring] = rings.as_slice() else {
        return Err(LoadError::format(
            at,
            "a circle drawn as a Polygon (`radius_m`, `center_lon`, `center_lat`) has exactly one ring",
        ));
    };
    let valid = |v: f64, limit: f64| v.is_finite() && v.abs() <= limit;
    if !(valid(center[0], 180.0) && valid(center[1], 90.0) && radius_m.is_finite() && radius_m > 0.0) {
        // Left to the zone's validation, which names the problem.
        return Ok(());
    }
    let allowed = DRAWN_CIRCLE_TOLERANCE_M + DRAWN_CIRCLE_TOLERANCE_FRACTION * radius_m;
    for (k, p) in ring.iter().enumerate() {
        if !(valid(p[0], 180.0) && valid(p[1], 90.0)) {
            return Err(LoadError::format(
                format!("{at}.coordinates[0][{k}]"),
                "not a longitude/latitude position",
            ));
        }
        let d = crate::geometry::geodesy::geodesic_distance_m(center[0], center[1], p[0], p[1]);
        // A NaN distance is not on the circle either.
        let on_circle = (d - radius_m).abs() <= allowed;
        if !on_circle {
            return Err(LoadError::format(
                format!("{at}.coordinates[0][{k}]"),
                format!(
                    "the drawn circle's vertex is {d:.1} m from `center_lon`/`center_lat`, not on `radius_m` ({radius_m:.1} m): \
                     edit the circle's properties, not its drawing (or drop `radius_m` to load the polygon)"
                ),
            ));
        }
    }
    Ok(())
}

/// Converts a GeoJSON geometry object (plus the optional `radius_m` of a circle, found at
/// `radius_at`: `properties.radius_m` in a GeoJSON feature, `radius_m` in a plan) into an
/// unvalidated [`ZoneGeometry`]. `place` names the feature or plan entry in errors.
pub(crate) fn zone_geometry(
    place: &str,
    id: &str,
    geometry: Option<&JsonValue>,
    radius_m: Option<f64>,
    radius_at: &str,
) -> Result<ZoneGeometry, LoadError> {
    let short = |(polygon, ring, vertex): ShortAt| LoadError::Zone {
        place: place.to_string(),
        source: ZoneError {
            zone: id.to_string(),
            problems: vec![ZoneProblem::ShortPosition {
                polygon,
                ring,
                vertex,
            }],
        },
    };
    let Some(geometry) = geometry else {
        return Err(LoadError::format(format!("{place}.geometry"), "missing geometry"));
    };
    let Some(kind) = geometry.get("type").and_then(JsonValue::as_str) else {
        return Err(LoadError::format(
            format!("{place}.geometry"),
            "expected a GeoJSON geometry object with a `type`",
        ));
    };
    let coordinates = || {
        geometry
            .get("coordinates")
            .ok_or_else(|| LoadError::format(format!("{place}.geometry"), "missing `coordinates`"))
    };
    let bad_coordinates = |what: &str| {
        LoadError::format(
            format!("{place}.geometry.coordinates"),
            format!("expected {what}"),
        )
    };
    let no_radius = || {
        if radius_m.is_some() {
            return Err(LoadError::format(
                radius_at,
                "`radius_m` applies only to Point geometries",
            ));
        }
        Ok(())
    };
    let geometry = match kind {
        "Polygon" => {
            no_radius()?;
            let rings = convert_polygon(coordinates()?, 0)
                .map_err(|e| e.map_or_else(|| bad_coordinates("an array of rings of [lon, lat] positions"), short))?;
            ZoneGeometry::Polygon { rings }
        }
        "MultiPolygon" => {
            no_radius()?;
            let JsonValue::Array(list) = coordinates()? else {
                return Err(bad_coordinates("an array of polygons"));
            };
            let mut polygons = Vec::with_capacity(list.len());
            for (pi, poly) in list.iter().enumerate() {
                polygons.push(
                    convert_polygon(poly, pi)
                        .map_err(|e| e.map_or_else(|| bad_coordinates("an array of polygons of rings of [lon, lat] positions"), short))?,
                );
            }
            ZoneGeometry::MultiPolygon { polygons }
        }
        "Point" => {
            let Some(radius_m) = radius_m else {
                return Err(LoadError::format(
                    radius_at,
                    "a Point zone needs `radius_m`, its radius in metres",
                ));
            };
            let center = position2(coordinates()?)
                .map_err(|_| LoadError::format(format!("{place}.geometry.coordinates"), "a position needs two numbers"))?;
            ZoneGeometry::Circle { center, radius_m }
        }
        other => {
            return Err(LoadError::format(
                format!("{place}.geometry"),
                format!("unsupported geometry type `{other}`; expected Polygon, MultiPolygon or Point with `radius_m`"),
            ))
        }
    };
    Ok(geometry)
}

/// Why a position could not be read: fewer than two numbers (`Short`), or not an array of
/// numbers at all (`NotNumbers`).
enum BadPosition {
    Short,
    NotNumbers,
}

/// A GeoJSON position: two or more numbers, of which the first two are kept (a third,
/// the altitude, is ignored).
fn position2(p: &JsonValue) -> Result<[f64; 2], BadPosition> {
    let JsonValue::Array(items) = p else {
        return Err(BadPosition::NotNumbers);
    };
    let mut numbers = items.iter().map(JsonValue::as_f64);
    if items.iter().any(|v| !v.is_number()) {
        return Err(BadPosition::NotNumbers);
    }
    match (numbers.next(), numbers.next()) {
        (Some(Some(x)), Some(Some(y))) => Ok([x, y]),
        (None, _) | (_, None) => Err(BadPosition::Short),
        // A number serde_json cannot hold as an f64 (out of range).
        _ => Err(BadPosition::NotNumbers),
    }
}

/// (polygon, ring, vertex) of a position with fewer than two numbers.
type ShortAt = (usize, usize, usize);

/// A polygon's rings; `Err(Some(at))` for a short position, `Err(None)` for a value of the
/// wrong shape.
fn convert_polygon(rings: &JsonValue, pi: usize) -> Result<Vec<Vec<[f64; 2]>>, Option<ShortAt>> {
    let JsonValue::Array(rings) = rings else {
        return Err(None);
    };
    rings
        .iter()
        .enumerate()
        .map(|(ri, ring)| {
            let JsonValue::Array(ring) = ring else {
                return Err(None);
            };
            ring.iter()
                .enumerate()
                .map(|(vi, p)| {
                    position2(p).map_err(|e| match e {
                        BadPosition::Short => Some((pi, ri, vi)),
                        BadPosition::NotNumbers => None,
                    })
                })
                .collect()
        })
        .collect()
}
