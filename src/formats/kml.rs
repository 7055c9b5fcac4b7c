//! KML 2.2 output for Google Earth and TAK clients: a plan phase's zones and decisions.
//!
//! [`phase_kml`] writes one KML document with two folders (GDAL reads each as a layer):
//!
//! - **`Zones`**: one Placemark per zone active in the phase, a `Polygon` (outer and inner
//!   boundaries, as the zone's rings) or a `MultiGeometry` of polygons, styled `#sanctuary`
//!   (green) or `#exclusion` (red). Its `ExtendedData` holds the properties of the GeoJSON
//!   export ([`crate::geojson`]: `id`, `kind`, `edges`, the band, and the rules, band, phase
//!   range and dates of [`active_zones_geojson`](crate::geojson::active_zones_geojson));
//!   the Placemark's `<name>` is the zone id, its `<description>` and the field `zone_name`
//!   the zone's name.
//! - **`Decisions`**: one Placemark per decision, a `Point` at the track's longitude,
//!   latitude and altitude (`altitudeMode` `absolute`: the track's altitude is above mean
//!   sea level), styled `#permit` (green) or `#deny` (red), with the properties of
//!   [`decisions_geojson`](crate::geojson::decisions_geojson) in its `ExtendedData`
//!   (`verdict`, `reasons` as one `;`-joined string, `margin_m`, `zone`, `plan_hash`, ...).
//!   A track whose position is not a valid longitude/latitude gets a Placemark without a
//!   geometry, so that every decision appears.
//!
//! The `ExtendedData` are typed: each folder's fields are declared in a `Schema`
//! (`double`, `int`, `bool` or `string`) and written as `SchemaData`, so GIS tools read
//! numbers as numbers.
//!
//! KML has neither circles nor great-circle edges, so, as in the GeoJSON export, two shapes
//! are drawn:
//!
//! - **Circles** become polygons inscribed in the circle, with a vertex every
//!   `2·acos(1 − t/r)` of azimuth for `t` = [`CIRCLE_TOLERANCE_M`] (at least 16 vertices and
//!   at most 3,600): between two vertices the polygon lies inside the circle by at most
//!   [`CIRCLE_TOLERANCE_M`]. The true centre and radius are in the `ExtendedData`
//!   (`center_lon`, `center_lat`, `radius_m`).
//! - **Great-circle zones** are densified to within
//!   [`DRAW_TOLERANCE_M`](crate::geojson::DRAW_TOLERANCE_M) of their arcs.
//!
//! Text is escaped for XML (`&`, `<`, `>`, `"`, `'`); characters XML 1.0 cannot hold
//! (control characters other than tab and line breaks) are written as `\u{…}` escapes.
//! Numbers are written in the shortest form that reads back as the same `f64`.

use crate::formats::geojson::{decisions_geojson, densify_arcs, plan_properties, zone_feature};
use crate::geometry::geodesy::geodesic_destination;
use crate::geometry::kernel::EdgeModel;
use crate::geometry::zone::{Zone, ZoneGeometry, ZoneKind};
use crate::rules::engine::{Decision, Track};
use crate::rules::plan::{PhaseKey, Plan};
use serde_json::{Map, Value};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Circles are drawn as inscribed polygons that stay within this many metres of the circle.
///
/// # Example
/// ```
/// use sanctuary::{Plan, kml::{CIRCLE_TOLERANCE_M, phase_kml}};
/// assert_eq!(CIRCLE_TOLERANCE_M, 1.0);
/// let plan = Plan::safe_haven()?;
/// // Phase 6 has 30 km circles: each drawn with ~120 vertices (1 m tolerance).
/// let kml = phase_kml(&plan, "6", &[])?;
/// assert!(kml.contains("<name>MYKOLAIV</name>"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const CIRCLE_TOLERANCE_M: f64 = 1.0;

/// Writing KML failed.
///
/// # Example
/// ```
/// use sanctuary::{Plan, kml::{KmlError, phase_kml}};
/// let plan = Plan::safe_haven()?;
/// let err = phase_kml(&plan, "99", &[]).unwrap_err();
/// assert!(matches!(err, KmlError::UnknownPhase { .. }));
/// assert_eq!(err.to_string(), "phase \"99\" is not a phase of the plan");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum KmlError {
    /// The plan has no such phase.
    UnknownPhase {
        /// The phase asked for, in its debug form (quoted and escaped).
        phase: String,
    },
    /// The file could not be written.
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl std::fmt::Display for KmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KmlError::UnknownPhase { phase } => write!(f, "phase {phase} is not a phase of the plan"),
            KmlError::Io { path, source } => write!(f, "cannot write `{}`: {source}", path.display()),
        }
    }
}

impl std::error::Error for KmlError {}

/// A plan phase's active zones and a batch of decisions as a KML 2.2 document (see the
/// module documentation). `phase` is a phase id or handle; `decisions` may be empty.
///
/// # Errors
/// [`KmlError::UnknownPhase`] for a phase the plan does not have.
///
/// # Example
/// ```
/// use sanctuary::{Engine, Plan, Track, kml::phase_kml, plan::{Identity, TargetClass}};
/// let plan = Plan::safe_haven()?;
/// let engine = Engine::new(plan.clone());
/// let t = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
/// let d = engine.decide(&t, "1", None);
/// let kml = phase_kml(&plan, "1", &[(t, d)])?;
/// assert!(kml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
/// assert!(kml.contains("<coordinates>24.03,49.84,800</coordinates>"));
/// assert!(kml.contains("<styleUrl>#permit</styleUrl>"));
/// assert!(kml.contains("<name>UA-46</name>"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn phase_kml(
    plan: &Plan,
    phase: impl PhaseKey + std::fmt::Debug,
    decisions: &[(Track, Decision)],
) -> Result<String, KmlError> {
    let Some((index, p)) = phase
        .index_in(plan)
        .and_then(|i| Some((i, plan.phases().get(i)?)))
    else {
        return Err(KmlError::UnknownPhase {
            phase: format!("{phase:?}"),
        });
    };
    let zones: Vec<(&Zone, Map<String, Value>)> = plan
        .index()
        .zones()
        .iter()
        .zip(plan.zone_plans())
        .filter(|(_, zp)| zp.active_in_index(index))
        .map(|(z, zp)| {
            let mut props = properties_of(&zone_feature(z, Some(&p.id)));
            props.extend(plan_properties(plan, index, zp));
            (z, props)
        })
        .collect();
    let title = format!("{}: phase {} ({})", plan.name(), p.id, p.name);
    let description = format!(
        "Plan hash {}. Zones active in the phase and decisions.",
        plan.hash()
    );
    Ok(document(&title, &description, &zones, decisions))
}

/// Any zones (and decisions) as a KML 2.2 document, drawn as [`phase_kml`] draws them,
/// without the plan's properties.
///
/// # Example
/// ```
/// use sanctuary::{Zone, geometry::{ZoneGeometry, ZoneKind}, kml::zones_kml};
/// let c = Zone::builder("npp", ZoneGeometry::circle(31.2, 47.8, 30_000.0))
///     .kind(ZoneKind::Exclusion)
///     .name("Plant <South> & co")
///     .build()?;
/// let kml = zones_kml("demo", &[c], &[]);
/// assert!(kml.contains("<description>Plant &lt;South&gt; &amp; co</description>"));
/// assert!(kml.contains("<styleUrl>#exclusion</styleUrl>"));
/// assert!(kml.contains(r#"<SimpleData name="radius_m">30000</SimpleData>"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn zones_kml(title: &str, zones: &[Zone], decisions: &[(Track, Decision)]) -> String {
    let zones: Vec<(&Zone, Map<String, Value>)> = zones
        .iter()
        .map(|z| (z, properties_of(&zone_feature(z, None))))
        .collect();
    document(title, "Zones and decisions.", &zones, decisions)
}

/// Writes [`phase_kml`] to a file (for example `target/safe-haven/phase-1.kml`).
///
/// # Errors
/// As [`phase_kml`]; [`KmlError::Io`] when the file cannot be written.
///
/// # Example
/// ```
/// use sanctuary::{Plan, kml::write_phase_kml};
/// let plan = Plan::safe_haven()?;
/// let path = std::env::temp_dir().join(format!("sanctuary-doc-{}.kml", std::process::id()));
/// write_phase_kml(&path, &plan, "2", &[])?;
/// assert!(std::fs::read_to_string(&path)?.contains("<Folder>"));
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_phase_kml(
    path: impl AsRef<Path>,
    plan: &Plan,
    phase: impl PhaseKey + std::fmt::Debug,
    decisions: &[(Track, Decision)],
) -> Result<(), KmlError> {
    let text = phase_kml(plan, phase, decisions)?;
    let path = path.as_ref();
    std::fs::write(path, text).map_err(|source| KmlError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// A GeoJSON feature's properties, `name` renamed `zone_name`: GIS tools read a `name`
/// field as the Placemark's own `<name>` (the zone id here), which it would replace.
fn properties_of(feature: &Value) -> Map<String, Value> {
    let mut props = feature
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(name) = props.remove("name") {
        props.insert("zone_name".into(), name);
    }
    props
}

/// The KML type of a JSON value: `None` for `null`.
fn kml_type(v: &Value) -> Option<&'static str> {
    match v {
        Value::Null => None,
        Value::Bool(_) => Some("bool"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("int"),
        Value::Number(_) => Some("double"),
        Value::String(_) | Value::Array(_) | Value::Object(_) => Some("string"),
    }
}

/// The fields of a set of features, in order of first appearance, each with one type (a
/// field that is `null` everywhere is a string).
fn schema_fields<'a>(props: impl Iterator<Item = &'a Map<String, Value>>) -> Vec<(String, &'static str)> {
    let mut fields: Vec<(String, Option<&'static str>)> = Vec::new();
    for p in props {
        for (k, v) in p {
            let t = kml_type(v);
            match fields.iter_mut().find(|(name, _)| name == k) {
                None => fields.push((k.clone(), t)),
                Some((_, old)) => {
                    *old = match (*old, t) {
                        (None, t) | (t, None) => t,
                        (Some(a), Some(b)) if a == b => Some(a),
                        (Some("int"), Some("double")) | (Some("double"), Some("int")) => Some("double"),
                        _ => Some("string"),
                    };
                }
            }
        }
    }
    fields
        .into_iter()
        .map(|(name, t)| {
            let t = NUMERIC_FIELDS
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(t.unwrap_or("string"), |(_, t)| t);
            (name, t)
        })
        .collect()
}

/// The exports' numeric fields, typed even where every value is `null` (a phase in which
/// no decision has a margin still has a numeric `margin_m`).
const NUMERIC_FIELDS: [(&str, &str); 12] = [
    ("margin_m", "double"),
    ("alt_m", "double"),
    ("standoff_m", "double"),
    ("band_floor_m", "double"),
    ("band_ceiling_m", "double"),
    ("floor_m", "double"),
    ("ceiling_m", "double"),
    ("radius_m", "double"),
    ("center_lon", "double"),
    ("center_lat", "double"),
    ("rule_count", "int"),
    ("time_windows", "int"),
];

fn document(
    title: &str,
    description: &str,
    zones: &[(&Zone, Map<String, Value>)],
    decisions: &[(Track, Decision)],
) -> String {
    let decision_props: Vec<Map<String, Value>> = decisions_geojson(decisions)
        .get("features")
        .and_then(Value::as_array)
        .map(|fs| fs.iter().map(properties_of).collect())
        .unwrap_or_default();
    let zone_fields = schema_fields(zones.iter().map(|(_, p)| p));
    let decision_fields = schema_fields(decision_props.iter());
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n");
    let _ = writeln!(out, "<name>{}</name>", xml(title));
    let _ = writeln!(out, "<description>{}</description>", xml(description));
    // Colours are aabbggrr.
    for (id, line, fill) in [
        ("sanctuary", "ff2e9e2e", "402e9e2e"),
        ("exclusion", "ff2020d0", "402020d0"),
    ] {
        let _ = writeln!(
            out,
            "<Style id=\"{id}\"><LineStyle><color>{line}</color><width>2</width></LineStyle>\
             <PolyStyle><color>{fill}</color></PolyStyle></Style>"
        );
    }
    for (id, colour) in [("permit", "ff00c000"), ("deny", "ff0000e0")] {
        let _ = writeln!(
            out,
            "<Style id=\"{id}\"><IconStyle><color>{colour}</color><scale>0.8</scale></IconStyle>\
             <LabelStyle><scale>0.7</scale></LabelStyle></Style>"
        );
    }
    write_schema(&mut out, "zone", &zone_fields);
    write_schema(&mut out, "decision", &decision_fields);
    out.push_str("<Folder>\n<name>Zones</name>\n");
    for (zone, props) in zones {
        out.push_str("<Placemark>\n");
        let _ = writeln!(out, "<name>{}</name>", xml(zone.id()));
        if let Some(name) = zone.name() {
            let _ = writeln!(out, "<description>{}</description>", xml(name));
        }
        let style = match zone.kind() {
            ZoneKind::Sanctuary => "sanctuary",
            ZoneKind::Exclusion => "exclusion",
        };
        let _ = writeln!(out, "<styleUrl>#{style}</styleUrl>");
        write_data(&mut out, "zone", &zone_fields, props);
        write_zone_geometry(&mut out, zone);
        out.push_str("</Placemark>\n");
    }
    out.push_str("</Folder>\n<Folder>\n<name>Decisions</name>\n");
    for ((track, decision), props) in decisions.iter().zip(&decision_props) {
        out.push_str("<Placemark>\n");
        let _ = writeln!(out, "<name>{}</name>", xml(&decision.track_id));
        let style = if decision.is_permit() { "permit" } else { "deny" };
        let _ = writeln!(out, "<styleUrl>#{style}</styleUrl>");
        write_data(&mut out, "decision", &decision_fields, props);
        let valid = track.lon.is_finite()
            && track.lat.is_finite()
            && (-180.0..=180.0).contains(&track.lon)
            && (-90.0..=90.0).contains(&track.lat);
        if valid {
            if track.alt_m.is_finite() {
                let _ = writeln!(
                    out,
                    "<Point><altitudeMode>absolute</altitudeMode><coordinates>{},{},{}</coordinates></Point>",
                    track.lon, track.lat, track.alt_m
                );
            } else {
                let _ = writeln!(
                    out,
                    "<Point><coordinates>{},{}</coordinates></Point>",
                    track.lon, track.lat
                );
            }
        }
        out.push_str("</Placemark>\n");
    }
    out.push_str("</Folder>\n</Document>\n</kml>\n");
    out
}

fn write_schema(out: &mut String, id: &str, fields: &[(String, &'static str)]) {
    let _ = writeln!(out, "<Schema name=\"{id}\" id=\"{id}\">");
    for (name, t) in fields {
        let _ = writeln!(out, "<SimpleField name=\"{}\" type=\"{t}\"/>", xml(name));
    }
    out.push_str("</Schema>\n");
}

fn write_data(out: &mut String, schema: &str, fields: &[(String, &'static str)], props: &Map<String, Value>) {
    let _ = writeln!(out, "<ExtendedData><SchemaData schemaUrl=\"#{schema}\">");
    for (name, _) in fields {
        let text = match props.get(name) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join(";"),
            // The shortest text that reads back as the same number (`30000`, not `30000.0`).
            Some(Value::Number(n)) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => i.to_string(),
                (_, Some(u), _) => u.to_string(),
                (_, _, Some(f)) => f.to_string(),
                _ => n.to_string(),
            },
            Some(v) => v.to_string(),
        };
        let _ = writeln!(
            out,
            "<SimpleData name=\"{}\">{}</SimpleData>",
            xml(name),
            xml(&text)
        );
    }
    out.push_str("</SchemaData></ExtendedData>\n");
}

fn write_zone_geometry(out: &mut String, zone: &Zone) {
    let great_circle = zone.edge_model() == EdgeModel::GreatCircle;
    match zone.to_spec().geometry {
        ZoneGeometry::Polygon { rings } => write_polygon(out, &rings, great_circle),
        ZoneGeometry::MultiPolygon { polygons } => {
            out.push_str("<MultiGeometry>\n");
            for rings in &polygons {
                write_polygon(out, rings, great_circle);
            }
            out.push_str("</MultiGeometry>\n");
        }
        ZoneGeometry::Circle { center, radius_m } => {
            write_polygon(out, &[circle_ring(center, radius_m)], false);
        }
    }
}

fn write_polygon(out: &mut String, rings: &[Vec<[f64; 2]>], great_circle: bool) {
    out.push_str("<Polygon>\n");
    for (i, ring) in rings.iter().enumerate() {
        let ring = if great_circle {
            densify_arcs(ring)
        } else {
            ring.clone()
        };
        let tag = if i == 0 {
            "outerBoundaryIs"
        } else {
            "innerBoundaryIs"
        };
        let _ = write!(out, "<{tag}><LinearRing><coordinates>");
        for (k, p) in ring.iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            let _ = write!(out, "{},{}", p[0], p[1]);
        }
        let _ = writeln!(out, "</coordinates></LinearRing></{tag}>");
    }
    out.push_str("</Polygon>\n");
}

/// The number of vertices of a circle's drawing (see [`CIRCLE_TOLERANCE_M`]).
fn circle_vertices(radius_m: f64) -> u32 {
    let ratio = (1.0 - CIRCLE_TOLERANCE_M / radius_m).clamp(-1.0, 1.0);
    let step = 2.0 * ratio.acos();
    let n = if step > 0.0 {
        (std::f64::consts::TAU / step).ceil()
    } else {
        3600.0
    };
    // Bounded, so the cast cannot truncate.
    n.clamp(16.0, 3600.0) as u32
}

/// A closed counter-clockwise ring inscribed in the circle.
fn circle_ring(center: [f64; 2], radius_m: f64) -> Vec<[f64; 2]> {
    let n = circle_vertices(radius_m);
    let mut ring: Vec<[f64; 2]> = (0..n)
        .map(|k| {
            // Decreasing azimuth (clockwise from north) walks counter-clockwise.
            let azimuth = 360.0 - 360.0 * f64::from(k) / f64::from(n);
            let (lon, lat) = geodesic_destination(center[0], center[1], azimuth % 360.0, radius_m);
            [lon, lat]
        })
        .collect();
    if let Some(first) = ring.first().copied() {
        ring.push(first);
    }
    ring
}

/// Text escaped for XML 1.0 character data and attribute values.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "\\u{{{:04X}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_characters_xml_cannot_hold() {
        assert_eq!(xml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(xml("x\u{1}y\tz"), "x\\u{0001}y\tz");
    }

    #[test]
    fn circles_have_enough_vertices_for_the_tolerance() {
        for r in [10.0, 1_000.0, 30_000.0, 500_000.0] {
            let n = f64::from(circle_vertices(r));
            // The sagitta of one step is within the tolerance (or the cap applies).
            let sagitta = r * (1.0 - (std::f64::consts::PI / n).cos());
            assert!(
                sagitta <= CIRCLE_TOLERANCE_M * 1.000_001 || n >= 3600.0,
                "{r}: {n} {sagitta}"
            );
            assert!(n >= 16.0);
        }
    }
}
