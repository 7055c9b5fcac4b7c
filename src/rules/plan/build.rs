//! Validation: a plan file (and its zone sources) to a `Plan`.

use super::*;

pub(super) fn build(file: PlanFile, sources: &Sources<'_>) -> Result<Plan, PlanError> {
    if file.phases.is_empty() {
        return Err(PlanError::invalid("phases", "a plan needs at least one phase"));
    }
    if file.zones.is_empty() {
        return Err(PlanError::invalid("zones", "a plan needs at least one zone"));
    }
    // Phases.
    let mut phase_ids: HashMap<&str, usize> = HashMap::new();
    let mut phases = Vec::with_capacity(file.phases.len());
    let with_start = file.phases.iter().filter(|p| p.start.is_some()).count();
    for (i, p) in file.phases.iter().enumerate() {
        if let Err(problem) = check_id(&p.id) {
            return Err(PlanError::InvalidId {
                place: format!("phases[{i}].id"),
                problem,
            });
        }
        if let Some(first) = phase_ids.insert(&p.id, i) {
            return Err(PlanError::DuplicateId {
                place: format!("phases[{i}].id"),
                id: p.id.clone(),
                first: format!("phases[{first}]"),
            });
        }
        let start_unix_s = match &p.start {
            None if with_start > 0 => {
                return Err(PlanError::bad_value(
                    format!("phases[{i}].start"),
                    "missing start: give every phase a start time or none",
                ))
            }
            None => None,
            Some(s) => Some(
                parse_rfc3339(s)
                    .map_err(|e| PlanError::bad_value(format!("phases[{i}].start"), e.to_string()))?,
            ),
        };
        if let (Some(prev), Some(s)) = (phases.last().and_then(|q: &Phase| q.start_unix_s), start_unix_s) {
            if s < prev {
                return Err(PlanError::bad_value(
                    format!("phases[{i}].start"),
                    "phase starts must not go back in time",
                ));
            }
        }
        phases.push(Phase {
            id: p.id.clone(),
            name: p.name.clone(),
            start_unix_s,
        });
    }
    let phase_ref = |place: String, id: &str| -> Result<usize, PlanError> {
        phase_ids.get(id).copied().ok_or_else(|| PlanError::UnknownPhase {
            place,
            id: id.to_string(),
            did_you_mean: one_edit_away(id, file.phases.iter().map(|p| p.id.as_str())),
        })
    };
    // Partners.
    let mut partner_ids: HashMap<&str, usize> = HashMap::new();
    let mut partners = Vec::with_capacity(file.partners.len());
    for (i, p) in file.partners.iter().enumerate() {
        if let Err(problem) = check_id(&p.id) {
            return Err(PlanError::InvalidId {
                place: format!("partners[{i}].id"),
                problem,
            });
        }
        if let Some(first) = partner_ids.insert(&p.id, i) {
            return Err(PlanError::DuplicateId {
                place: format!("partners[{i}].id"),
                id: p.id.clone(),
                first: format!("partners[{first}]"),
            });
        }
        let min_standoff_m = p.min_standoff_m.unwrap_or(0.0);
        check_standoff(&format!("partners[{i}].min_standoff_m"), min_standoff_m)?;
        let mut excluded_classes = p.excluded_classes.clone();
        excluded_classes.sort();
        excluded_classes.dedup();
        partners.push(Partner {
            id: p.id.clone(),
            name: p.name.clone(),
            excluded_classes,
            min_standoff_m,
        });
    }
    let resolve_rule = |place: &str, r: &RuleFile| -> Result<Rule, PlanError> {
        let from_phase = match &r.from_phase {
            Some(id) => phase_ref(format!("{place}.from_phase"), id)?,
            None => 0,
        };
        let until_phase = match &r.until_phase {
            Some(id) => Some(phase_ref(format!("{place}.until_phase"), id)?),
            None => None,
        };
        if until_phase.is_some_and(|u| u <= from_phase) {
            return Err(PlanError::bad_value(
                format!("{place}.until_phase"),
                "must be a later phase than from_phase",
            ));
        }
        if r.classes.is_empty() {
            return Err(PlanError::invalid(
                format!("{place}.classes"),
                "a rule must allow at least one class",
            ));
        }
        check_standoff(&format!("{place}.standoff_m"), r.standoff_m)?;
        check_band(place, r.floor_m, r.ceiling_m)?;
        let partners = match &r.partners {
            None => None,
            Some(list) => {
                let mut out = Vec::with_capacity(list.len());
                for (k, id) in list.iter().enumerate() {
                    let Some(&pi) = partner_ids.get(id.as_str()) else {
                        return Err(PlanError::UnknownPartner {
                            place: format!("{place}.partners[{k}]"),
                            id: id.clone(),
                            did_you_mean: one_edit_away(id, file.partners.iter().map(|p| p.id.as_str())),
                        });
                    };
                    out.push(pi);
                }
                out.sort_unstable();
                out.dedup();
                Some(out)
            }
        };
        let mut classes = r.classes.clone();
        classes.sort();
        classes.dedup();
        let class_mask = classes.iter().fold(0u8, |m, c| m | c.bit());
        let windows = resolve_windows(place, &r.windows)?;
        Ok(Rule {
            from_phase,
            until_phase,
            classes,
            weapons: r.weapons,
            band: VerticalBand {
                floor_m: r.floor_m,
                ceiling_m: r.ceiling_m,
            },
            standoff_m: r.standoff_m,
            partners,
            windows,
            class_mask,
        })
    };
    let mut default_rules = Vec::with_capacity(file.default_rules.len());
    for (j, r) in file.default_rules.iter().enumerate() {
        default_rules.push(resolve_rule(&format!("default_rules[{j}]"), r)?);
    }
    // Zones.
    let mut cache: HashMap<String, HashMap<String, Zone>> = HashMap::new();
    let mut zone_ids: HashMap<&str, usize> = HashMap::new();
    let mut zones = Vec::with_capacity(file.zones.len());
    let mut plans_by_id: BTreeMap<String, ZonePlan> = BTreeMap::new();
    let mut vertices = 0usize;
    for (i, z) in file.zones.iter().enumerate() {
        let place = format!("zones[{i}]");
        if let Err(problem) = check_id(&z.id) {
            return Err(PlanError::InvalidId {
                place: format!("{place}.id"),
                problem,
            });
        }
        if let Some(first) = zone_ids.insert(&z.id, i) {
            return Err(PlanError::DuplicateId {
                place: format!("{place}.id"),
                id: z.id.clone(),
                first: format!("zones[{first}]"),
            });
        }
        check_band(&place, z.floor_m, z.ceiling_m)?;
        let geometry = match (&z.geometry, &z.source, &z.typed_geometry) {
            (None, None, Some(g)) => {
                if z.radius_m.is_some() {
                    return Err(PlanError::invalid(
                        format!("{place}.radius_m"),
                        "`radius_m` goes with an inline Point geometry",
                    ));
                }
                g.clone()
            }
            (Some(g), None, None) => {
                crate::geometry::geojson::zone_geometry(
                    &place,
                    &z.id,
                    Some(g),
                    z.radius_m,
                    &format!("{place}.radius_m"),
                )
                .map_err(|source| PlanError::Zone {
                    // Where the inner error names a field inside this zone, that field.
                    place: source
                        .place()
                        .filter(|inner| inner.starts_with(&format!("{place}.")))
                        .map_or_else(|| format!("{place}.geometry"), str::to_string),
                    source,
                })?
            }
            (None, Some(src), None) => {
                if z.radius_m.is_some() {
                    return Err(PlanError::invalid(
                        format!("{place}.radius_m"),
                        "`radius_m` goes with an inline Point geometry",
                    ));
                }
                let zone = source_zone(&mut cache, sources, &format!("{place}.source"), src)?;
                zone.to_spec().geometry
            }
            (None, None, None) => return Err(PlanError::invalid(&place, "missing `geometry` or `source`")),
            _ => {
                return Err(PlanError::invalid(
                    &place,
                    "give either `geometry` or `source`, not both",
                ))
            }
        };
        let band = (z.floor_m.is_some() || z.ceiling_m.is_some()).then_some(VerticalBand {
            floor_m: z.floor_m,
            ceiling_m: z.ceiling_m,
        });
        let spec = ZoneSpec {
            id: z.id.clone(),
            name: z.name.clone(),
            kind: z.kind,
            edges: z.edges.unwrap_or_default(),
            geometry,
            band,
        };
        let zone = Zone::try_from(spec).map_err(|source| PlanError::Zone {
            place: place.clone(),
            source: LoadError::Zone {
                place: place.clone(),
                source,
            },
        })?;
        vertices = vertices.saturating_add(zone.vertex_count());
        if vertices > MAX_PLAN_VERTICES {
            return Err(PlanError::TooLarge {
                place,
                what: "vertices",
                limit: MAX_PLAN_VERTICES as u64,
            });
        }
        let active_from = match &z.active_from {
            Some(id) => phase_ref(format!("{place}.active_from"), id)?,
            None => 0,
        };
        let active_until = match &z.active_until {
            Some(id) => Some(phase_ref(format!("{place}.active_until"), id)?),
            None => None,
        };
        if active_until.is_some_and(|u| u <= active_from) {
            return Err(PlanError::bad_value(
                format!("{place}.active_until"),
                "must be a later phase than active_from",
            ));
        }
        let rules = match (z.kind, &z.rules) {
            (ZoneKind::Exclusion, Some(_)) => {
                return Err(PlanError::invalid(
                    format!("{place}.rules"),
                    "an exclusion has no rules: it always denies",
                ))
            }
            (ZoneKind::Exclusion, None) => Vec::new(),
            (ZoneKind::Sanctuary, Some(rules)) => {
                let mut out = Vec::with_capacity(rules.len());
                for (j, r) in rules.iter().enumerate() {
                    out.push(resolve_rule(&format!("{place}.rules[{j}]"), r)?);
                }
                out
            }
            (ZoneKind::Sanctuary, None) => {
                if default_rules.is_empty() {
                    return Err(PlanError::invalid(
                        format!("{place}.rules"),
                        "a sanctuary needs rules (its own or the plan's default_rules)",
                    ));
                }
                default_rules.clone()
            }
        };
        let windows = resolve_windows(&place, &z.windows)?;
        plans_by_id.insert(
            z.id.clone(),
            ZonePlan {
                active_from,
                active_until,
                rules,
                windows,
            },
        );
        zones.push(zone);
    }
    let index = ZoneIndex::new(zones).map_err(|e| PlanError::invalid("zones", e.to_string()))?;
    // Zone plans in handle (id) order.
    let zone_plans: Vec<ZonePlan> = plans_by_id.into_values().collect();
    let specs: Vec<(ZoneSpec, &ZonePlan)> = index
        .zones()
        .iter()
        .map(Zone::to_spec)
        .zip(zone_plans.iter())
        .collect();
    let hash = crate::rules::plan::hash::content_hash(&file.name, &phases, &partners, &specs);
    let nearby = NearbyZones::build(&index, MARGIN_HORIZON_M);
    let phase_ids = phases.iter().map(|p| Id::from(&p.id)).collect();
    let zone_ids = index.zones().iter().map(|z| Id::from(z.id())).collect();
    Ok(Plan {
        name: file.name,
        description: file.description,
        phases,
        partners,
        index,
        zone_plans,
        hash,
        nearby,
        phase_ids,
        zone_ids,
    })
}

pub(super) fn check_band(place: &str, floor: Option<f64>, ceiling: Option<f64>) -> Result<(), PlanError> {
    use crate::geometry::limits::{MAX_ALTITUDE_M, MIN_ALTITUDE_M};
    for (name, v) in [("floor_m", floor), ("ceiling_m", ceiling)] {
        if v.is_some_and(|v| !v.is_finite()) {
            return Err(PlanError::bad_value(
                format!("{place}.{name}"),
                "must be a finite number",
            ));
        }
        if let Some(v) = v.filter(|v| !(MIN_ALTITUDE_M..=MAX_ALTITUDE_M).contains(v)) {
            return Err(PlanError::bad_value(
                format!("{place}.{name}"),
                format!(
                    "altitude `{}` m is outside [{}, {}] m",
                    Num(v),
                    Num(MIN_ALTITUDE_M),
                    Num(MAX_ALTITUDE_M)
                ),
            ));
        }
    }
    if let (Some(f), Some(c)) = (floor, ceiling) {
        if f > c {
            return Err(PlanError::bad_value(
                format!("{place}.floor_m"),
                format!("floor `{}` m is above ceiling `{}` m", Num(f), Num(c)),
            ));
        }
    }
    Ok(())
}

/// A standoff is a finite number of metres from 0 to [`MAX_STANDOFF_M`].
pub(super) fn check_standoff(place: &str, standoff_m: f64) -> Result<(), PlanError> {
    if standoff_m.is_finite() && (0.0..=MAX_STANDOFF_M).contains(&standoff_m) {
        Ok(())
    } else {
        Err(PlanError::bad_value(
            place,
            format!(
                "`{}` is not a number of metres from 0 to {}",
                Num(standoff_m),
                Num(MAX_STANDOFF_M)
            ),
        ))
    }
}

/// The largest standoff (m) a rule or a partner may ask for: 1,000 km, beyond the width
/// of any sanctuary.
///
/// # Example
/// ```
/// use sanctuary::{Plan, plan::MAX_STANDOFF_M};
/// let plan = |standoff: f64| Plan::from_json_str(&format!(r#"{{"name": "x", "phases": [{{"id": "0", "name": "a"}}],
///   "default_rules": [{{"classes": ["uas"], "weapons": "tight", "standoff_m": {standoff}}}],
///   "zones": [{{"id": "z", "geometry": {{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}}}]}}"#));
/// assert!(plan(MAX_STANDOFF_M).is_ok());
/// let err = plan(1e300).unwrap_err();
/// assert_eq!(err.to_string(), "default_rules[0].standoff_m: `1e300` is not a number of metres from 0 to 1000000");
/// ```
pub const MAX_STANDOFF_M: f64 = 1_000_000.0;

/// The zone of a `source` reference, loading (and caching) its file.
pub(super) fn source_zone<'c>(
    cache: &'c mut HashMap<String, HashMap<String, Zone>>,
    sources: &Sources<'_>,
    place: &str,
    src: &SourceRef,
) -> Result<&'c Zone, PlanError> {
    if !cache.contains_key(&src.file) {
        let zones = match sources {
            Sources::Embedded(files) => {
                let Some((_, text)) = files.iter().find(|(name, _)| *name == src.file) else {
                    return Err(PlanError::FileConfinement {
                        place: format!("{place}.file"),
                        file: src.file.clone(),
                        message: format!("no embedded zone file `{}`", escape_id(&src.file)),
                    });
                };
                crate::geometry::geojson::zones_from_geojson_str(text)
            }
            Sources::Dir(dir) => {
                let path = confined_path(dir, &src.file).map_err(|message| PlanError::FileConfinement {
                    place: format!("{place}.file"),
                    file: src.file.clone(),
                    message,
                })?;
                crate::geometry::geojson::zones_from_geojson_file(path)
            }
        }
        .map_err(|source| PlanError::Zone {
            place: format!("{place}.file"),
            source,
        })?;
        let by_id = zones.into_iter().map(|z| (z.id().to_string(), z)).collect();
        cache.insert(src.file.clone(), by_id);
    }
    let by_id = cache.get(&src.file);
    by_id.and_then(|m| m.get(&src.feature)).ok_or_else(|| {
        let mut ids: Vec<&str> = by_id
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        ids.sort_unstable();
        PlanError::UnknownFeature {
            place: format!("{place}.feature"),
            file: src.file.clone(),
            feature: src.feature.clone(),
            did_you_mean: one_edit_away(&src.feature, ids),
        }
    })
}

/// Resolves `rel` inside `dir`, refusing absolute paths, `..`, and symlinks that escape.
pub(super) fn confined_path(dir: &Path, rel: &str) -> Result<PathBuf, String> {
    let rel_path = Path::new(rel);
    if rel.is_empty()
        || rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(format!(
            "`{rel}` must be a relative path inside the plan's directory (no absolute paths or `..`)"
        ));
    }
    let base = dir
        .canonicalize()
        .map_err(|e| format!("cannot resolve the plan's directory: {e}"))?;
    let full = base
        .join(rel_path)
        .canonicalize()
        .map_err(|e| format!("cannot open `{rel}`: {e}"))?;
    if !full.starts_with(&base) {
        return Err(format!("`{rel}` resolves outside the plan's directory"));
    }
    Ok(full)
}
