//! Import: ED-318 features to zones (geometry, layers, vertical limits).

use super::*;

// ---------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------

/// Parses an ED-318 GeoZone collection (a FeatureCollection, or a single Feature).
///
/// # Errors
/// [`Ed318Error`] naming the place (`features[i]...`): invalid JSON, anything that does not
/// follow the ED-318 schema (missing required property, unknown property or enumeration value,
/// malformed date-time), anything refused (see the module docs: AGL limits without an
/// [`AglPolicy`], sunrise/sunset events, lines), a zone that fails validation, duplicate ids.
///
/// # Example
/// ```
/// use sanctuary::{ed318::{Ed318KindMap, Ed318Options, Ed318Type, ed318_from_str}, geometry::{Position, ZoneKind}};
/// let text = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
///   "geometry": {"type": "Point", "coordinates": [2.6, 50.1],
///                "extent": {"subType": "Circle", "radius": 3500},
///                "layer": {"upper": 500, "upperReference": "AMSL", "lower": 0,
///                          "lowerReference": "AMSL", "uom": "ft"}},
///   "properties": {"identifier": "ABC1234", "country": "FRA", "type": "PROHIBITED",
///                  "variant": "COMMON", "zoneAuthority": [{"purpose": "INFORMATION"}]}}]}"#;
/// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion));
/// let collection = ed318_from_str(text, &options)?;
/// let z = &collection.zones[0];
/// assert_eq!(z.zone_type, Ed318Type::Prohibited);
/// assert_eq!(z.zone.kind(), ZoneKind::Exclusion);
/// assert_eq!(z.zone.band().unwrap().ceiling_m, Some(152.4));
/// assert_eq!(z.zone.position(2.6, 50.1)?, Position::Inside);
///
/// // AGL limits need a terrain model: refused unless the caller chooses an `AglPolicy`.
/// let agl = text.replace("\"AMSL\"", "\"AGL\"");
/// let err = ed318_from_str(&agl, &options).unwrap_err();
/// assert!(err.to_string().starts_with("features[0].geometry.layer.lowerReference"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ed318_from_str(text: &str, options: &Ed318Options) -> Result<Ed318Collection, Ed318Error> {
    let value: Value = serde_json::from_str(text).map_err(|e| Ed318Error::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    ed318_from_value(&value, options)
}

/// Reads and parses an ED-318 file (see [`ed318_from_str`]).
///
/// # Errors
/// [`Ed318Error::Io`] when the file cannot be read or is larger than
/// [`MAX_ED318_FILE_BYTES`]; otherwise as [`ed318_from_str`].
///
/// # Example
/// ```
/// use sanctuary::{ed318::{Ed318Error, Ed318KindMap, Ed318Options, ed318_from_file}, geometry::ZoneKind};
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ed318/examples");
/// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion))
///     .agl(sanctuary::ed318::AglPolicy::UnboundedForExclusions);
/// let c = ed318_from_file(format!("{dir}/Example_GeoZone_2_Layers.json"), &options)?;
/// assert_eq!(c.zones.len(), 2);
/// let missing = ed318_from_file(format!("{dir}/no-such-file.json"), &options);
/// assert!(matches!(missing, Err(Ed318Error::Io { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ed318_from_file(
    path: impl AsRef<Path>,
    options: &Ed318Options,
) -> Result<Ed318Collection, Ed318Error> {
    let path = path.as_ref();
    let text = read_bounded(path, MAX_ED318_FILE_BYTES).map_err(|e| match e {
        crate::geometry::error::LoadError::Io { path, source } => Ed318Error::Io { path, source },
        other => Ed318Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(other.to_string()),
        },
    })?;
    ed318_from_str(&text, options)
}

/// Parses an already decoded ED-318 document (see [`ed318_from_str`]).
///
/// # Errors
/// As [`ed318_from_str`], except for JSON syntax.
///
/// # Example
/// ```
/// use sanctuary::{ed318::{Ed318Error, Ed318KindMap, Ed318Options, ed318_from_value}, geometry::ZoneKind};
/// let feature = serde_json::json!({"type": "Feature",
///     "geometry": {"type": "Point", "coordinates": [2.6, 50.1],
///                  "extent": {"subType": "Circle", "radius": 500}},
///     "properties": {"identifier": "X1", "country": "FRA", "type": "PROHIBITED", "variant": "COMMON",
///                    "zoneAuthority": [{"purpose": "INFORMATION"}]}});
/// let options = Ed318Options::new(Ed318KindMap::all(ZoneKind::Exclusion));
/// assert_eq!(ed318_from_value(&feature, &options)?.zones[0].zone.id(), "X1");
/// let not_geojson = serde_json::json!({"type": "Topology"});
/// assert!(matches!(ed318_from_value(&not_geojson, &options), Err(Ed318Error::Format { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ed318_from_value(value: &Value, options: &Ed318Options) -> Result<Ed318Collection, Ed318Error> {
    let obj = value
        .as_object()
        .ok_or_else(|| format_err("document", "expected a JSON object"))?;
    match obj.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {}
        Some("Feature") => {
            let mut zones = Vec::new();
            let mut seen = HashMap::new();
            read_feature(value, "feature", options, &mut zones, &mut seen)?;
            return Ok(Ed318Collection {
                name: None,
                metadata: None,
                zones,
            });
        }
        _ => {
            return Err(format_err(
                "type",
                "expected `FeatureCollection` (or a single `Feature`)",
            ))
        }
    }
    let name = match obj.get("name") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(format_err("name", "expected a string")),
    };
    let metadata = match obj.get("metadata") {
        None => None,
        Some(Value::Object(m)) => {
            for (key, v) in m {
                let place = format!("metadata.{key}");
                match key.as_str() {
                    "validFrom" | "validTo" | "issued" => {
                        date_time(v, &place)?;
                    }
                    "provider" | "description" | "technicalLimitations" => check_texts(v, &place)?,
                    "otherGeoid" => {
                        v.as_str()
                            .ok_or_else(|| format_err(&place, "expected a string"))?;
                    }
                    _ => {}
                }
            }
            Some(m.clone())
        }
        Some(_) => return Err(format_err("metadata", "expected an object")),
    };
    let features = obj
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| format_err("features", "missing or not an array"))?;
    let mut zones = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (i, f) in features.iter().enumerate() {
        read_feature(f, &format!("features[{i}]"), options, &mut zones, &mut seen)?;
    }
    Ok(Ed318Collection {
        name,
        metadata,
        zones,
    })
}

/// Properties the ED-318 schema allows (`additionalProperties: false`).
pub(super) const KNOWN_PROPERTIES: [&str; 16] = [
    "identifier",
    "country",
    "name",
    "type",
    "variant",
    "restrictionConditions",
    "region",
    "reason",
    "otherReasonInfo",
    "regulationExemption",
    "message",
    "zoneAuthority",
    "limitedApplicability",
    "dataSource",
    "extendedProperties",
    // Not in the schema's list, but harmless if a producer repeats the GeoJSON id.
    "id",
];

pub(super) fn read_feature(
    f: &Value,
    place: &str,
    options: &Ed318Options,
    out: &mut Vec<Ed318Zone>,
    seen: &mut HashMap<String, String>,
) -> Result<(), Ed318Error> {
    let fo = f
        .as_object()
        .ok_or_else(|| format_err(place, "expected a Feature object"))?;
    if fo.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err(format_err(&format!("{place}.type"), "expected `Feature`"));
    }
    let pplace = format!("{place}.properties");
    let props = fo.get("properties").and_then(Value::as_object).ok_or_else(|| {
        format_err(
            &pplace,
            "missing properties (identifier, country, type, variant, zoneAuthority are required)",
        )
    })?;
    for key in props.keys() {
        if !KNOWN_PROPERTIES.contains(&key.as_str()) {
            return Err(format_err(
                &format!("{pplace}.{key}"),
                format!("unknown property `{key}`; ED-318 allows no others (put extensions in `extendedProperties`)"),
            ));
        }
    }
    let required_str = |key: &str| -> Result<String, Ed318Error> {
        match props.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            Some(_) => Err(format_err(
                &format!("{pplace}.{key}"),
                "expected a non-empty string",
            )),
            None => Err(format_err(&pplace, format!("missing required property `{key}`"))),
        }
    };
    let identifier = required_str("identifier")?;
    required_str("country")?;
    let type_str = required_str("type")?;
    let zone_type = Ed318Type::parse(&type_str).ok_or_else(|| {
        format_err(
            &format!("{pplace}.type"),
            format!("unknown zone type `{type_str}`; expected USPACE, PROHIBITED, REQ_AUTHORIZATION, CONDITIONAL or NO_RESTRICTION"),
        )
    })?;
    let variant = required_str("variant")?;
    if variant != "COMMON" && variant != "CUSTOMIZED" {
        return Err(format_err(
            &format!("{pplace}.variant"),
            format!("unknown variant `{variant}`; expected COMMON or CUSTOMIZED"),
        ));
    }
    match props.get("zoneAuthority") {
        Some(Value::Array(a)) if !a.is_empty() => {
            for (j, auth) in a.iter().enumerate() {
                let ap = format!("{pplace}.zoneAuthority[{j}]");
                let purpose = auth
                    .get("purpose")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format_err(&ap, "missing required property `purpose`"))?;
                if !["AUTHORIZATION", "NOTIFICATION", "INFORMATION"].contains(&purpose) {
                    return Err(format_err(
                        &format!("{ap}.purpose"),
                        format!("unknown purpose `{purpose}`"),
                    ));
                }
            }
        }
        Some(_) => {
            return Err(format_err(
                &format!("{pplace}.zoneAuthority"),
                "expected a non-empty array",
            ))
        }
        None => {
            return Err(format_err(&pplace, "missing required property `zoneAuthority`"));
        }
    }
    for key in ["name", "otherReasonInfo", "message"] {
        if let Some(v) = props.get(key) {
            check_texts(v, &format!("{pplace}.{key}"))?;
        }
    }
    if let Some(v) = props.get("regulationExemption") {
        if !matches!(v.as_str(), Some("YES" | "NO")) {
            return Err(format_err(
                &format!("{pplace}.regulationExemption"),
                "expected `YES` or `NO`",
            ));
        }
    }
    let reasons = match props.get("reason") {
        None => Vec::new(),
        Some(Value::Array(a)) => {
            let mut rs = Vec::with_capacity(a.len());
            for (j, r) in a.iter().enumerate() {
                let rp = format!("{pplace}.reason[{j}]");
                let s = r.as_str().ok_or_else(|| format_err(&rp, "expected a string"))?;
                rs.push(
                    Ed318Reason::parse(s).ok_or_else(|| format_err(&rp, format!("unknown reason `{s}`")))?,
                );
            }
            rs
        }
        Some(_) => return Err(format_err(&format!("{pplace}.reason"), "expected an array")),
    };
    let Some(kind) = options.kinds.kind_of(zone_type) else {
        return Err(unsupported(
            &format!("{pplace}.type"),
            "zone type",
            format!("no zone kind is mapped for `{type_str}` (see Ed318KindMap)"),
        ));
    };
    let applicability = match props.get("limitedApplicability") {
        None => Vec::new(),
        Some(v) => applicability(v, &format!("{pplace}.limitedApplicability"), kind)?,
    };
    let name = props
        .get("name")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|t| t.get("text"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut properties = props.clone();
    for key in ["identifier", "type", "reason", "limitedApplicability"] {
        properties.remove(key);
    }
    let base = match fo.get("id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => identifier.clone(),
    };

    let gplace = format!("{place}.geometry");
    let geometry = fo
        .get("geometry")
        .and_then(Value::as_object)
        .ok_or_else(|| format_err(&gplace, "missing geometry: a zone needs one"))?;
    let mut parts: Vec<(String, String, ZoneGeometry, Option<Ed318Layer>)> = Vec::new();
    if geometry.get("type").and_then(Value::as_str) == Some("GeometryCollection") {
        let outer_layer = geometry
            .get("layer")
            .map(|l| read_layer(l, &format!("{gplace}.layer")))
            .transpose()?;
        let members = geometry
            .get("geometries")
            .and_then(Value::as_array)
            .ok_or_else(|| format_err(&format!("{gplace}.geometries"), "missing or not an array"))?;
        if members.is_empty() {
            return Err(format_err(
                &format!("{gplace}.geometries"),
                "a GeometryCollection zone needs at least one geometry",
            ));
        }
        for (k, m) in members.iter().enumerate() {
            let mplace = format!("{gplace}.geometries[{k}]");
            let mo = m
                .as_object()
                .ok_or_else(|| format_err(&mplace, "expected a geometry object"))?;
            let (geom, own_layer) = read_simple_geometry(mo, &mplace)?;
            let layer = match (own_layer, outer_layer) {
                (Some(l), None) => Some(l),
                (None, l) => l,
                (Some(_), Some(_)) => {
                    return Err(format_err(
                        &format!("{mplace}.layer"),
                        "both the GeometryCollection and its member carry a `layer`: which one applies is ambiguous",
                    ))
                }
            };
            parts.push((format!("{base}#{k}"), mplace, geom, layer));
        }
    } else {
        let (geom, layer) = read_simple_geometry(geometry, &gplace)?;
        parts.push((base, gplace, geom, layer));
    }
    for (id, gp, geometry, layer) in parts {
        let band = match &layer {
            None => None,
            Some(l) => convert_layer(l, kind, options, &format!("{gp}.layer"))?,
        };
        if let Some(first) = seen.get(&id) {
            return Err(Ed318Error::DuplicateId {
                place: format!("{gp} (first used at {first})"),
                id,
            });
        }
        seen.insert(id.clone(), gp.clone());
        // Circles have no edges: their edge model is left at the default.
        let edges = match geometry {
            ZoneGeometry::Circle { .. } => EdgeModel::default(),
            _ => EdgeModel::GreatCircle,
        };
        let zone = Zone::try_from(ZoneSpec {
            id,
            name: name.clone(),
            kind,
            edges,
            geometry,
            band,
        })
        .map_err(|source| Ed318Error::Zone { place: gp, source })?;
        out.push(Ed318Zone {
            zone,
            identifier: identifier.clone(),
            zone_type,
            reasons: reasons.clone(),
            applicability: applicability.clone(),
            layer,
            properties: properties.clone(),
        });
    }
    Ok(())
}

/// Checks an array of `{text, lang}` (ED-318 `textShortType`: `lang` required).
pub(super) fn check_texts(v: &Value, place: &str) -> Result<(), Ed318Error> {
    let a = v
        .as_array()
        .ok_or_else(|| format_err(place, "expected an array of texts"))?;
    for (j, t) in a.iter().enumerate() {
        let tp = format!("{place}[{j}]");
        let o = t
            .as_object()
            .ok_or_else(|| format_err(&tp, "expected a text object"))?;
        match o.get("lang") {
            Some(Value::String(_)) => {}
            Some(_) => return Err(format_err(&format!("{tp}.lang"), "expected a string")),
            None => return Err(format_err(&tp, "missing required property `lang`")),
        }
        if let Some(text) = o.get("text") {
            if !text.is_string() {
                return Err(format_err(&format!("{tp}.text"), "expected a string"));
            }
        }
    }
    Ok(())
}

pub(super) fn number(v: &Value, place: &str) -> Result<f64, Ed318Error> {
    v.as_f64()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format_err(place, "expected a finite number"))
}

pub(super) fn position(v: &Value, place: &str) -> Result<[f64; 2], Ed318Error> {
    match v.as_array().map(Vec::as_slice) {
        Some([x, y, ..]) => Ok([number(x, place)?, number(y, place)?]),
        _ => Err(format_err(place, "a position needs two numbers")),
    }
}

pub(super) fn rings(v: &Value, place: &str) -> Result<Vec<Vec<[f64; 2]>>, Ed318Error> {
    let a = v
        .as_array()
        .ok_or_else(|| format_err(place, "expected an array of rings"))?;
    a.iter()
        .enumerate()
        .map(|(r, ring)| {
            let rp = format!("{place}[{r}]");
            ring.as_array()
                .ok_or_else(|| format_err(&rp, "expected an array of positions"))?
                .iter()
                .enumerate()
                .map(|(k, p)| position(p, &format!("{rp}[{k}]")))
                .collect()
        })
        .collect()
}

pub(super) fn read_simple_geometry(
    g: &Map<String, Value>,
    place: &str,
) -> Result<(ZoneGeometry, Option<Ed318Layer>), Ed318Error> {
    let layer = g
        .get("layer")
        .map(|l| read_layer(l, &format!("{place}.layer")))
        .transpose()?;
    let coords = || {
        g.get("coordinates")
            .ok_or_else(|| format_err(&format!("{place}.coordinates"), "missing coordinates"))
    };
    let cplace = format!("{place}.coordinates");
    let geometry = match g.get("type").and_then(Value::as_str) {
        Some("Polygon") => ZoneGeometry::Polygon {
            rings: rings(coords()?, &cplace)?,
        },
        Some("MultiPolygon") => {
            let a = coords()?
                .as_array()
                .ok_or_else(|| format_err(&cplace, "expected an array of polygons"))?;
            ZoneGeometry::MultiPolygon {
                polygons: a
                    .iter()
                    .enumerate()
                    .map(|(p, poly)| rings(poly, &format!("{cplace}[{p}]")))
                    .collect::<Result<_, _>>()?,
            }
        }
        Some("Point") => {
            let center = position(coords()?, &cplace)?;
            let eplace = format!("{place}.extent");
            let Some(extent) = g.get("extent") else {
                return Err(unsupported(
                    place,
                    "Point without extent",
                    "a point has no area; a circle needs `extent {subType: Circle, radius}`",
                ));
            };
            match extent.get("subType").and_then(Value::as_str) {
                Some("Circle") => {}
                Some(other) => {
                    return Err(unsupported(
                        &format!("{eplace}.subType"),
                        "extent subType",
                        format!("`{other}`; only `Circle` is defined"),
                    ))
                }
                None => return Err(format_err(&eplace, "missing required property `subType`")),
            }
            let radius_m = number(
                extent
                    .get("radius")
                    .ok_or_else(|| format_err(&eplace, "missing required property `radius`"))?,
                &format!("{eplace}.radius"),
            )?;
            ZoneGeometry::Circle { center, radius_m }
        }
        Some(other @ ("LineString" | "MultiLineString" | "MultiPoint")) => {
            return Err(unsupported(
                &format!("{place}.type"),
                "geometry type",
                format!("`{other}` has no area, so it cannot be a zone"),
            ))
        }
        Some("GeometryCollection") => {
            return Err(unsupported(
                &format!("{place}.type"),
                "nested GeometryCollection",
                "ED-318 allows one level of GeometryCollection",
            ))
        }
        Some(other) => {
            return Err(format_err(
                &format!("{place}.type"),
                format!("unknown geometry type `{other}`"),
            ))
        }
        None => return Err(format_err(place, "missing geometry `type`")),
    };
    Ok((geometry, layer))
}

pub(super) fn read_layer(v: &Value, place: &str) -> Result<Ed318Layer, Ed318Error> {
    let o = v
        .as_object()
        .ok_or_else(|| format_err(place, "expected an object"))?;
    let num = |key: &str| -> Result<Option<f64>, Ed318Error> {
        o.get(key)
            .map(|x| number(x, &format!("{place}.{key}")))
            .transpose()
    };
    let reference = |key: &str| -> Result<Option<VerticalReference>, Ed318Error> {
        match o.get(key) {
            None => Ok(None),
            Some(x) => {
                let s = x.as_str().unwrap_or_default();
                VerticalReference::parse(s).map(Some).ok_or_else(|| {
                    format_err(
                        &format!("{place}.{key}"),
                        format!("unknown vertical reference `{x}`; expected AGL, AMSL or WGS84"),
                    )
                })
            }
        }
    };
    let uom = match o.get("uom").map(|u| u.as_str()) {
        None | Some(Some("m")) => LengthUnit::M,
        Some(Some("ft")) => LengthUnit::Ft,
        Some(_) => {
            return Err(format_err(
                &format!("{place}.uom"),
                "unknown unit; expected `m` or `ft`",
            ))
        }
    };
    Ok(Ed318Layer {
        upper: num("upper")?,
        upper_reference: reference("upperReference")?,
        lower: num("lower")?,
        lower_reference: reference("lowerReference")?,
        uom,
    })
}

/// Which end of the band a limit is.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum End {
    Floor,
    Ceiling,
}

/// Converts a declared layer into a band in the tracks' datum, conservatively for `kind`.
pub(super) fn convert_layer(
    layer: &Ed318Layer,
    kind: ZoneKind,
    options: &Ed318Options,
    place: &str,
) -> Result<Option<VerticalBand>, Ed318Error> {
    let floor_m = convert_limit(
        layer.lower,
        layer.lower_reference,
        layer.uom,
        End::Floor,
        kind,
        options,
        place,
        "lower",
    )?;
    let ceiling_m = convert_limit(
        layer.upper,
        layer.upper_reference,
        layer.uom,
        End::Ceiling,
        kind,
        options,
        place,
        "upper",
    )?;
    if let (Some(f), Some(c)) = (floor_m, ceiling_m) {
        if f > c {
            let message = if kind == ZoneKind::Sanctuary {
                format!("the band is empty once narrowed for a sanctuary (floor {f} m above ceiling {c} m)")
            } else {
                format!("the floor ({f} m) is above the ceiling ({c} m)")
            };
            return Err(unsupported(place, "vertical layer", message));
        }
    }
    Ok((floor_m.is_some() || ceiling_m.is_some()).then_some(VerticalBand { floor_m, ceiling_m }))
}

#[allow(
    clippy::too_many_arguments,
    reason = "one private helper with the limit's full context"
)]
pub(super) fn convert_limit(
    value: Option<f64>,
    reference: Option<VerticalReference>,
    uom: LengthUnit,
    end: End,
    kind: ZoneKind,
    options: &Ed318Options,
    place: &str,
    key: &str,
) -> Result<Option<f64>, Ed318Error> {
    let Some(v) = value else {
        return Ok(None);
    };
    let rplace = format!("{place}.{key}Reference");
    let Some(reference) = reference else {
        return Err(format_err(
            &format!("{place}.{key}"),
            format!("`{key}` needs `{key}Reference`"),
        ));
    };
    let m = uom.metres(v);
    let datum = options.altitude_datum.reference();
    // The limit lies between m + lo and m + hi in the tracks' datum.
    let (lo, hi) =
        if reference == datum {
            (0.0, 0.0)
        } else {
            match reference {
                VerticalReference::Agl => match options.agl {
                    AglPolicy::Refuse => return Err(unsupported(
                        &rplace,
                        "AGL limit",
                        "heights above ground need a terrain model; choose an AglPolicy to import AGL layers",
                    )),
                    AglPolicy::UnboundedForExclusions => {
                        if kind == ZoneKind::Exclusion {
                            return Ok(None);
                        }
                        return Err(unsupported(
                        &rplace,
                        "AGL limit",
                        "a sanctuary's AGL limit cannot be dropped without widening it; give a terrain range",
                    ));
                    }
                    AglPolicy::TerrainRange { min_m, max_m } => {
                        if !(min_m.is_finite() && max_m.is_finite() && min_m <= max_m) {
                            return Err(unsupported(
                                &rplace,
                                "AGL limit",
                                "the terrain range is not a finite `[min, max]`",
                            ));
                        }
                        (min_m, max_m)
                    }
                },
                VerticalReference::Amsl | VerticalReference::Wgs84 => {
                    let Some([nmin, nmax]) = options
                        .geoid_undulation_m
                        .filter(|[a, b]| a.is_finite() && b.is_finite() && a <= b)
                    else {
                        return Err(unsupported(
                            &rplace,
                            "vertical reference",
                            format!(
                                "`{}` differs from the tracks' datum and no geoid undulation range is given",
                                reference.as_str()
                            ),
                        ));
                    };
                    if reference == VerticalReference::Wgs84 {
                        // AMSL = ellipsoidal − N.
                        (-nmax, -nmin)
                    } else {
                        // Ellipsoidal = AMSL + N.
                        (nmin, nmax)
                    }
                }
            }
        };
    let widen = kind == ZoneKind::Exclusion;
    let out = match (end, widen) {
        (End::Floor, true) | (End::Ceiling, false) => m + lo,
        (End::Floor, false) | (End::Ceiling, true) => m + hi,
    };
    Ok(Some(out))
}
