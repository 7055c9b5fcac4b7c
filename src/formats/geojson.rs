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
//!   says `great_circle`, and the zone's own vertices are kept beside the drawing in the
//!   feature member `great_circle_vertices` (a Polygon or MultiPolygon; GIS tools ignore
//!   it), from which the loader reads the zone back.
//!
//! # Properties a GIS can style by
//!
//! Every zone feature has `id`, `name` (when it has one), `kind` (`sanctuary`/`exclusion`),
//! `edges` (`plate_carree`/`great_circle`), `floor_m` and `ceiling_m` (the zone's own band,
//! absent when unbounded), and for circles `radius_m`, `center_lon`, `center_lat`.
//! [`active_zones_geojson`] adds, on every feature (`null` where nothing applies, so that
//! GDAL, QGIS or ArcGIS read one schema with one type per field, and nothing is a list):
//!
//! | property | type | meaning |
//! |---|---|---|
//! | `phase` | string | the exported phase's id |
//! | `phase_name` | string | its name |
//! | `phase_start` | RFC 3339 string or `null` | its start |
//! | `phase_end` | RFC 3339 string or `null` | the next phase's start (when the next phase supersedes it) |
//! | `phase_from` | string | the id of the first phase in which the zone is active |
//! | `phase_to` | string or `null` | the id of the first phase in which it no longer is (`null`: to the end of the plan) |
//! | `valid_from` | RFC 3339 string or `null` | the start of `phase_from` |
//! | `valid_to` | RFC 3339 string or `null` | the start of `phase_to` |
//! | `time_windows` | integer | how many UTC windows the zone has besides its phases (0: in force throughout them) |
//! | `rule_count` | integer | how many of the zone's rules apply in this phase (0 for exclusions) |
//! | `rule_classes` | string | the target classes those rules allow, `;`-joined, no repeats (e.g. `cruise_missile;ballistic_missile;uas`); empty when none |
//! | `rule_weapons` | string | their weapon control statuses (`hold`, `tight`, `free`), `;`-joined; empty when none |
//! | `rule_partners` | string | the partners they allow, `;`-joined; `*` when some rule allows any partner; empty when no rule applies |
//! | `standoff_m` | number or `null` | the smallest standoff among them, metres |
//! | `band_floor_m`, `band_ceiling_m` | number or `null` | the lowest floor and highest ceiling of their altitude bands, metres (`null`: unbounded, or no rule) |
//! | `band_m` | string | the same as text, `floor..ceiling` (an open side left empty, e.g. `0..30000`); empty when no rule applies |
//! | `manned_from_phase` | string or `null` | the first phase, while the zone is active, in which one of its rules allows `manned_aircraft` |
//!
//! Decision features ([`decisions_geojson`]) carry `reasons` as an array and, beside it,
//! `reasons_joined`, the same codes as one `;`-joined string.
//!
//! Plate-carrée polygon zones are written exactly, with the properties the GeoJSON loader
//! reads, so they load back as equal zones ([`zones_from_geojson_str`]), and so do circles:
//! the loader takes a Polygon with `radius_m`, `center_lon` and `center_lat` as the circle it
//! draws, and a great-circle zone from its `great_circle_vertices`. Every zone the export
//! writes loads back as an equal zone.

pub use crate::geometry::error::LoadError;
pub use crate::geometry::geojson::{
    zones_from_geojson_file, zones_from_geojson_str, DRAWN_CIRCLE_TOLERANCE_FRACTION,
    DRAWN_CIRCLE_TOLERANCE_M, MAX_ZONE_FILE_BYTES,
};

use crate::formats::ed318::{great_circle_midpoint, phase_span_unix_s, zone_validity_unix_s};
use crate::geometry::geodesy::{geodesic_destination, geodesic_distance_m};
use crate::geometry::geojson::GREAT_CIRCLE_VERTICES;
use crate::geometry::kernel::EdgeModel;
use crate::geometry::zone::{Zone, ZoneGeometry, ZoneKind};
use crate::rules::engine::{Decision, Track};
use crate::rules::plan::{PhaseKey, Plan, Rule, TargetClass, WeaponsStatus, ZonePlan};
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
/// `edges`, `floor_m`, `ceiling_m` (absent when unbounded) and `phase` (the phase id), for
/// circles `radius_m`, `center_lon`, `center_lat`, and the flat properties of the
/// [module documentation](self) (rules, band, phase range and dates) by which a GIS can
/// style the zones. A phase the plan does not have gives an empty collection.
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
            .map(|(z, zp)| {
                let mut f = zone_feature(z, Some(id));
                if let Some(Value::Object(props)) = f.get_mut("properties") {
                    props.extend(plan_properties(plan, *phase, zp));
                }
                f
            })
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

/// The flat, GIS-ready properties of a zone in a plan phase (see the module docs). Every
/// key is present on every zone (`null` when it does not apply), so that a GIS reads one
/// schema for the whole file.
pub(crate) fn plan_properties(plan: &Plan, phase: usize, zp: &ZonePlan) -> Map<String, Value> {
    let phases = plan.phases();
    let phase_id = |i: usize| {
        phases
            .get(i)
            .map(|p| Value::String(p.id.clone()))
            .unwrap_or(Value::Null)
    };
    let rfc3339 = |t: Option<i64>| {
        t.and_then(|t| jiff::Timestamp::from_second(t).ok())
            .map_or(Value::Null, |ts| Value::String(ts.to_string()))
    };
    let (valid_from, valid_to) = zone_validity_unix_s(plan, zp);
    let (phase_start, phase_end) = phase_span_unix_s(plan, phase);
    let rules: Vec<&Rule> = zp.rules.iter().filter(|r| r.applies_in_index(phase)).collect();
    let mut classes: Vec<TargetClass> = rules.iter().flat_map(|r| r.classes().iter().copied()).collect();
    classes.sort_unstable();
    classes.dedup();
    let mut weapons: Vec<&str> = Vec::new();
    for r in &rules {
        let w = match r.weapons() {
            WeaponsStatus::Hold => "hold",
            WeaponsStatus::Tight => "tight",
            WeaponsStatus::Free => "free",
        };
        if !weapons.contains(&w) {
            weapons.push(w);
        }
    }
    let standoff = rules.iter().map(|r| r.standoff_m()).min_by(f64::total_cmp);
    let partners = if rules.iter().any(|r| r.partners().is_none()) {
        if rules.is_empty() {
            String::new()
        } else {
            "*".to_string()
        }
    } else {
        let mut ids: Vec<&str> = rules
            .iter()
            .flat_map(|r| r.partners().unwrap_or_default())
            .filter_map(|&i| plan.partners().get(i).map(|p| p.id.as_str()))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.join(";")
    };
    // The band in which some rule applying now allows engagement: the lowest floor and the
    // highest ceiling of their bands (`None` = unbounded).
    let (floor, ceiling) = if rules.is_empty() {
        (None, None)
    } else {
        let floor = rules
            .iter()
            .map(|r| r.band().floor_m)
            .try_fold(f64::INFINITY, |acc, f| f.map(|f| acc.min(f)));
        let ceiling = rules
            .iter()
            .map(|r| r.band().ceiling_m)
            .try_fold(f64::NEG_INFINITY, |acc, c| c.map(|c| acc.max(c)));
        (floor, ceiling)
    };
    let manned_from = (zp.active_from..phases.len())
        .take_while(|&i| zp.active_in_index(i))
        .find(|&i| {
            zp.rules
                .iter()
                .any(|r| r.applies_in_index(i) && r.allows_class(TargetClass::MannedAircraft))
        });
    let number = |v: Option<f64>| v.map_or(Value::Null, |v| json!(v));
    let band_text = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut props = Map::new();
    let phase_name = phases
        .get(phase)
        .map(|p| Value::String(p.name.clone()))
        .unwrap_or(Value::Null);
    props.insert("phase_name".into(), phase_name);
    props.insert("phase_start".into(), rfc3339(phase_start));
    props.insert("phase_end".into(), rfc3339(phase_end));
    props.insert("phase_from".into(), phase_id(zp.active_from));
    props.insert("phase_to".into(), zp.active_until.map_or(Value::Null, phase_id));
    props.insert("valid_from".into(), rfc3339(valid_from));
    props.insert("valid_to".into(), rfc3339(valid_to));
    props.insert("time_windows".into(), json!(zp.windows.len()));
    props.insert("rule_count".into(), json!(rules.len()));
    let classes: Vec<&str> = classes.iter().map(|c| c.as_str()).collect();
    props.insert("rule_classes".into(), Value::String(classes.join(";")));
    props.insert("rule_weapons".into(), Value::String(weapons.join(";")));
    props.insert("rule_partners".into(), Value::String(partners));
    props.insert("standoff_m".into(), number(standoff));
    props.insert("band_floor_m".into(), number(floor));
    props.insert("band_ceiling_m".into(), number(ceiling));
    let band = if rules.is_empty() {
        String::new()
    } else {
        format!("{}..{}", band_text(floor), band_text(ceiling))
    };
    props.insert("band_m".into(), Value::String(band));
    props.insert(
        "manned_from_phase".into(),
        manned_from.map_or(Value::Null, phase_id),
    );
    props
}

pub(crate) fn zone_feature(z: &Zone, phase: Option<&str>) -> Value {
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
    let spec = z.to_spec();
    // A great-circle zone's own vertices, which its densified drawing passes through.
    let own = match &spec.geometry {
        ZoneGeometry::Polygon { rings } if great_circle => {
            Some(json!({"type": "Polygon", "coordinates": polygon_coords(rings, false)}))
        }
        ZoneGeometry::MultiPolygon { polygons } if great_circle => Some(json!({
            "type": "MultiPolygon",
            "coordinates": polygons.iter().map(|p| polygon_coords(p, false)).collect::<Vec<_>>()
        })),
        _ => None,
    };
    let geometry = match spec.geometry {
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
    let mut feature = json!({"type": "Feature", "id": z.id(), "geometry": geometry, "properties": props});
    if let (Some(own), Value::Object(f)) = (own, &mut feature) {
        f.insert(GREAT_CIRCLE_VERTICES.into(), own);
    }
    feature
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

pub(crate) fn densify_arcs(ring: &[[f64; 2]]) -> Vec<[f64; 2]> {
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
/// `track_id`, `verdict` (`permit`/`deny`), `reasons` (codes, an array), `reasons_joined`
/// (the same codes joined with `;`, as in the `decide` example's CSV: one string field in
/// every GIS, where an array becomes a list type some formats cannot hold; empty for a
/// permit), `zone`, `phase`, `margin_m`,
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
            let reasons_joined = reasons.join(";");
            json!({
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "track_id": d.track_id,
                    "verdict": if d.is_permit() { "permit" } else { "deny" },
                    "reasons": reasons,
                    "reasons_joined": reasons_joined,
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
