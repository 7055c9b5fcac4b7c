//! GeoJSON output for maps: the zones active in a plan phase, and decisions as points.
//!
//! Both functions return RFC 7946 FeatureCollections that QGIS, Leaflet, OpenLayers or
//! geojson.io open as they are: positions are `[lon, lat]`, rings are closed, exterior rings
//! run counter-clockwise and holes clockwise (the right-hand rule of RFC 7946 §3.1.6).
//!
//! GeoJSON has neither circles nor great-circle edges, so two shapes are drawn, not stored:
//!
//! - **Circles** become polygons through points at the radius every 5° of azimuth
//!   ([`geodesic_destination`]); the true centre and radius are in the properties
//!   (`center_lon`, `center_lat`, `radius_m`). The polygon is inscribed: between two samples it
//!   lies inside the circle by at most `radius_m × (1 − cos 2.5°)` (0.1 % of the radius).
//! - **Great-circle zones** are densified: points on each great-circle edge are added until the
//!   straight lon/lat segments a GIS draws lie within [`DRAW_TOLERANCE_M`] of the arc, so the
//!   12 km bulge of a long edge at 50°N is drawn where it is. The `edges` property still
//!   says `great_circle`.
//!
//! Plate-carrée polygon zones are written exactly, with the properties the GeoJSON loader
//! reads, so they load back as equal zones ([`zones_from_geojson_str`](crate::geometry::geojson::zones_from_geojson_str)).
//! These files are for display: load zones from their source, not from a drawing.

pub use crate::geometry::error::LoadError;
pub use crate::geometry::geojson::{
    zones_from_geojson_file, zones_from_geojson_str, DRAWN_CIRCLE_TOLERANCE_FRACTION,
    DRAWN_CIRCLE_TOLERANCE_M, MAX_ZONE_FILE_BYTES,
};

use crate::formats::ed318::great_circle_midpoint;
use crate::geometry::geodesy::{geodesic_destination, geodesic_distance_m};
use crate::geometry::kernel::EdgeModel;
use crate::geometry::zone::{Zone, ZoneGeometry, ZoneKind};
use crate::rules::engine::{Decision, Track};
use crate::rules::plan::{PhaseKey, Plan};
use serde_json::{json, Map, Value};

/// Great-circle edges are densified until the drawn segments are within this many metres of
/// the arc at their middles.
///
/// # Example
/// ```
/// use sanctuary::{Zone, geojson::{DRAW_TOLERANCE_M, zones_geojson}, geometry::{EdgeModel, ZoneGeometry}};
/// assert_eq!(DRAW_TOLERANCE_M, 1.0);
/// let ring = vec![[20.0, 40.0], [30.0, 40.0], [30.0, 50.0], [20.0, 50.0], [20.0, 40.0]];
/// let z = Zone::builder("gc", ZoneGeometry::polygon(vec![ring])).edges(EdgeModel::GreatCircle).build()?;
/// let map = zones_geojson(&[z]);
/// let drawn = map["features"][0]["geometry"]["coordinates"][0].as_array().ok_or("no ring")?;
/// // The long edges are densified: the northern one is drawn bulging past 50.1°N.
/// assert!(drawn.len() > 5);
/// assert!(drawn.iter().filter_map(|p| p[1].as_f64()).any(|lat| lat > 50.1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const DRAW_TOLERANCE_M: f64 = 1.0;

/// Azimuth step, degrees, of the polygons that draw circles.
///
/// # Example
/// ```
/// use sanctuary::{Zone, geojson::{CIRCLE_STEP_DEG, zones_geojson}, geometry::ZoneGeometry};
/// let c = Zone::builder("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).build()?;
/// let map = zones_geojson(&[c]);
/// let ring = map["features"][0]["geometry"]["coordinates"][0].as_array().ok_or("no ring")?;
/// assert_eq!(ring.len(), (360.0 / CIRCLE_STEP_DEG) as usize + 1); // closed
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const CIRCLE_STEP_DEG: f64 = 5.0;

/// The zones active in `phase` (its id or a handle) as a GeoJSON
/// FeatureCollection, one feature per zone with the properties `id`, `name`, `kind`,
/// `edges`, `floor_m`, `ceiling_m` (absent when unbounded) and `phase` (the phase id), and for
/// circles `radius_m`, `center_lon`, `center_lat`. A phase the plan does not have gives an
/// empty collection.
///
/// # Example
/// ```
/// use sanctuary::{Plan, geojson::active_zones_geojson};
/// let plan = Plan::safe_haven()?;
/// let map = active_zones_geojson(&plan, "1");
/// let features = map["features"].as_array().unwrap();
/// assert!(features.iter().any(|f| f["properties"]["id"] == "UA-46"));
/// assert!(features.iter().all(|f| f["properties"]["phase"] == "1"));
/// // Nothing is active in phase 0 but the neighbours' exclusions.
/// let phase0 = active_zones_geojson(&plan, "0");
/// assert!(phase0["features"].as_array().unwrap().iter().all(|f| f["properties"]["kind"] == "exclusion"));
/// # Ok::<(), sanctuary::plan::PlanError>(())
/// ```
pub fn active_zones_geojson(plan: &Plan, phase: impl PhaseKey) -> Value {
    let found = phase
        .index_in(plan)
        .and_then(|i| Some((i, plan.phases().get(i)?.id.clone())));
    let features: Vec<Value> = match &found {
        None => Vec::new(),
        Some((phase, id)) => plan
            .index()
            .zones()
            .iter()
            .zip(plan.zone_plans())
            .filter(|(_, zp)| zp.active_in_index(*phase))
            .map(|(z, _)| zone_feature(z, Some(id)))
            .collect(),
    };
    json!({"type": "FeatureCollection", "features": features})
}

/// Any zones as a GeoJSON FeatureCollection, drawn as [`active_zones_geojson`] draws them
/// (without the `phase` property).
///
/// # Example
/// ```
/// use sanctuary::{Zone, geojson::zones_geojson, geometry::ZoneGeometry};
/// let c = Zone::builder("c", ZoneGeometry::circle(30.0, 50.0, 10_000.0)).build()?;
/// let map = zones_geojson(&[c]);
/// let ring = map["features"][0]["geometry"]["coordinates"][0].as_array().unwrap();
/// assert_eq!(ring.len(), 73); // every 5°, closed
/// assert_eq!(map["features"][0]["properties"]["radius_m"], 10_000.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn zones_geojson(zones: &[Zone]) -> Value {
    let features: Vec<Value> = zones.iter().map(|z| zone_feature(z, None)).collect();
    json!({"type": "FeatureCollection", "features": features})
}

fn zone_feature(z: &Zone, phase: Option<&str>) -> Value {
    let mut props = Map::new();
    props.insert("id".into(), Value::String(z.id().into()));
    if let Some(name) = z.name() {
        props.insert("name".into(), Value::String(name.into()));
    }
    props.insert(
        "kind".into(),
        Value::String(
            match z.kind() {
                ZoneKind::Sanctuary => "sanctuary",
                ZoneKind::Exclusion => "exclusion",
            }
            .into(),
        ),
    );
    let edges = match z.edge_model() {
        EdgeModel::PlateCarree => "plate_carree",
        EdgeModel::GreatCircle => "great_circle",
    };
    props.insert("edges".into(), Value::String(edges.into()));
    if let Some(band) = z.band() {
        if let Some(f) = band.floor_m {
            props.insert("floor_m".into(), json!(f));
        }
        if let Some(c) = band.ceiling_m {
            props.insert("ceiling_m".into(), json!(c));
        }
    }
    if let Some(p) = phase {
        props.insert("phase".into(), Value::String(p.into()));
    }
    let great_circle = z.edge_model() == EdgeModel::GreatCircle;
    let geometry = match z.to_spec().geometry {
        ZoneGeometry::Polygon { rings } => {
            json!({"type": "Polygon", "coordinates": polygon_coords(&rings, great_circle)})
        }
        ZoneGeometry::MultiPolygon { polygons } => json!({
            "type": "MultiPolygon",
            "coordinates": polygons.iter().map(|p| polygon_coords(p, great_circle)).collect::<Vec<_>>()
        }),
        ZoneGeometry::Circle { center, radius_m } => {
            props.insert("radius_m".into(), json!(radius_m));
            props.insert("center_lon".into(), json!(center[0]));
            props.insert("center_lat".into(), json!(center[1]));
            json!({"type": "Polygon", "coordinates": [circle_ring(center, radius_m)]})
        }
    };
    json!({"type": "Feature", "id": z.id(), "geometry": geometry, "properties": props})
}

/// Rings as stored by [`Zone`] (shells counter-clockwise, holes clockwise, closed), densified
/// for great-circle zones.
fn polygon_coords(rings: &[Vec<[f64; 2]>], great_circle: bool) -> Value {
    Value::Array(
        rings
            .iter()
            .map(|ring| {
                let ring = if great_circle {
                    densify_arcs(ring)
                } else {
                    ring.clone()
                };
                Value::Array(ring.iter().map(|p| json!([p[0], p[1]])).collect())
            })
            .collect(),
    )
}

fn densify_arcs(ring: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut out = Vec::with_capacity(ring.len());
    for w in ring.windows(2) {
        if let [a, b] = w {
            out.push(*a);
            arc_points(*a, *b, 0, &mut out);
        }
    }
    if let Some(last) = ring.last() {
        out.push(*last);
    }
    out
}

fn arc_points(a: [f64; 2], b: [f64; 2], depth: u32, out: &mut Vec<[f64; 2]>) {
    if depth >= 24 || a[0] == b[0] {
        return; // meridians are drawn right already
    }
    let gc = great_circle_midpoint(a, b);
    let flat = [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
    if geodesic_distance_m(gc[0], gc[1], flat[0], flat[1]) <= DRAW_TOLERANCE_M {
        return;
    }
    arc_points(a, gc, depth + 1, out);
    out.push(gc);
    arc_points(gc, b, depth + 1, out);
}

/// A counter-clockwise closed ring through the circle every [`CIRCLE_STEP_DEG`].
fn circle_ring(center: [f64; 2], radius_m: f64) -> Vec<Value> {
    let steps = (360.0 / CIRCLE_STEP_DEG).round() as u32;
    let mut ring: Vec<Value> = (0..steps)
        .map(|k| {
            // Decreasing azimuth (clockwise from north) walks counter-clockwise.
            let azimuth = 360.0 - f64::from(k) * CIRCLE_STEP_DEG;
            let (lon, lat) = geodesic_destination(center[0], center[1], azimuth % 360.0, radius_m);
            json!([lon, lat])
        })
        .collect();
    if let Some(first) = ring.first().cloned() {
        ring.push(first);
    }
    ring
}

/// Decisions as GeoJSON Point features at their tracks' positions, with the properties
/// `track_id`, `verdict` (`permit`/`deny`), `reasons` (codes), `zone`, `phase`, `margin_m`,
/// `margin_is_lower_bound` (see [`crate::Decision::margin_is_lower_bound`]), `exclusion`
/// (the denying exclusion's id, or `null`), `plan_hash`, and the track's `alt_m`, `class` and `identity`. A track whose position is
/// not a valid lon/lat gets a `null` geometry (allowed by RFC 7946), so every decision
/// appears.
///
/// # Example
/// ```
/// use sanctuary::{Engine, Plan, Track, geojson::decisions_geojson, plan::{Identity, TargetClass}};
/// let engine = Engine::new(Plan::safe_haven()?);
/// let t = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
/// let d = engine.decide(&t, "1", None);
/// let map = decisions_geojson(&[(t, d)]);
/// let f = &map["features"][0];
/// assert_eq!(f["geometry"]["coordinates"][0], 24.03);
/// assert_eq!(f["properties"]["verdict"], "permit");
/// assert_eq!(f["properties"]["zone"], "UA-46");
/// # Ok::<(), sanctuary::plan::PlanError>(())
/// ```
pub fn decisions_geojson(decisions: &[(Track, Decision)]) -> Value {
    let features: Vec<Value> = decisions
        .iter()
        .map(|(t, d)| {
            let valid = t.lon.is_finite()
                && t.lat.is_finite()
                && (-180.0..=180.0).contains(&t.lon)
                && (-90.0..=90.0).contains(&t.lat);
            let geometry = if valid {
                json!({"type": "Point", "coordinates": [t.lon, t.lat]})
            } else {
                Value::Null
            };
            let reasons: Vec<&str> = d.reasons.iter().map(|r| r.as_str()).collect();
            json!({
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "track_id": d.track_id,
                    "verdict": if d.is_permit() { "permit" } else { "deny" },
                    "reasons": reasons,
                    "zone": d.zone,
                    "phase": d.phase,
                    "margin_m": d.margin_m,
                    "margin_is_lower_bound": d.margin_is_lower_bound,
                    "exclusion": d.exclusion,
                    "plan_hash": d.plan_hash.to_string(),
                    "alt_m": t.alt_m,
                    "class": t.class.as_str(),
                    "identity": t.identity.as_str(),
                }
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}
