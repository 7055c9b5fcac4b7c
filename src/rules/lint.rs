//! Plan linting before activation: [`Plan::check`] looks for mistakes that validation
//! cannot call errors, without evaluating any track.
//!
//! | finding | what it means |
//! |---|---|
//! | [`FindingKind::OverlapsNeverEngage`] | a sanctuary's interior overlaps a declared never-engage area (touching along a shared border is not an overlap) |
//! | [`FindingKind::ZonesShrink`] | the set of active sanctuaries shrinks from one phase to the next |
//! | [`FindingKind::RuleNeverApplies`] | a rule can never permit anything: its phases lie outside the zone's activation, its altitude band misses the zone's, or no partner can use it |
//! | [`FindingKind::ZoneNeverActive`] | no phase that can ever be in force activates the zone |
//! | [`FindingKind::StandoffTooLarge`] | a rule's standoff is larger than the depth of the zone's deepest point |
//!
//! Places name the zone by id, since the plan's zones are kept in id order:
//! `zones[id=UA-46].rules[1].standoff_m`, and phases by their index in the file:
//! `phases[3]`.

use crate::geometry::kernel::EdgeModel;
use crate::geometry::kernel::Position;
use crate::geometry::zone::{VerticalBand, Zone, ZoneGeometry, ZoneKind, CIRCLE_BOUNDARY_TOLERANCE_M};
use crate::rules::plan::{Plan, Rule, ZonePlan};
use geo::Relate;
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use std::fmt;

/// What kind of problem a [`Finding`] is.
///
/// # Example
/// ```
/// use sanctuary::{Plan, lint::FindingKind};
/// // A 500 m circle cannot hold a 1 km standoff.
/// let plan = Plan::from_json_str(r#"{"name": "x", "phases": [{"id": "0", "name": "all"}],
///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 500,
///     "rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 1000}]}]}"#)?;
/// let kinds: Vec<FindingKind> = plan.check(&[]).iter().map(|f| f.kind).collect();
/// assert_eq!(kinds, [FindingKind::StandoffTooLarge]);
/// # Ok::<(), sanctuary::plan::PlanError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FindingKind {
    /// A sanctuary's interior overlaps a never-engage area. Polygons are compared exactly
    /// as straight lon/lat edges (plus an exact vertex-inside test in the zones' own edge
    /// models); circles by geodesic distance from the centre, within
    /// [`CIRCLE_BOUNDARY_TOLERANCE_M`]. Sharing a border is not an overlap.
    OverlapsNeverEngage,
    /// Some sanctuary active in one phase is not active in the next: engagements permitted
    /// in the earlier phase will be denied in the later one.
    ZonesShrink,
    /// A rule of a sanctuary can never permit: its phase window and the zone's activation
    /// do not meet, its altitude band and the zone's are disjoint, it lists no partner, or
    /// every partner it lists excludes every class it allows.
    RuleNeverApplies,
    /// No phase that can be in force activates the zone. A phase that starts at the same
    /// time as the next one is never in force by time.
    ZoneNeverActive,
    /// A rule's standoff is larger than the largest distance from the zone's edge found by
    /// sampling its interior: a conservative estimate of the zone's inscribed radius (exact
    /// for circles). A standoff exactly equal to it is not reported, since the engine permits
    /// a margin equal to the standoff. Adjacent sanctuaries that allow the same track extend
    /// the area, so the finding is about the zone on its own.
    StandoffTooLarge,
}

impl FindingKind {
    /// The stable snake_case code.
    ///
    /// # Example
    /// ```
    /// use sanctuary::lint::FindingKind;
    /// assert_eq!(FindingKind::ZonesShrink.as_str(), "zones_shrink");
    /// assert_eq!(FindingKind::StandoffTooLarge.to_string(), "standoff_too_large");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::OverlapsNeverEngage => "overlaps_never_engage",
            FindingKind::ZonesShrink => "zones_shrink",
            FindingKind::RuleNeverApplies => "rule_never_applies",
            FindingKind::ZoneNeverActive => "zone_never_active",
            FindingKind::StandoffTooLarge => "standoff_too_large",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found by [`Plan::check`].
///
/// # Example
/// ```
/// use sanctuary::{Plan, lint::FindingKind};
/// let plan = Plan::from_json_str(r#"{"name": "x", "phases": [{"id": "0", "name": "all"}],
///   "zones": [{"id": "c", "geometry": {"type": "Point", "coordinates": [0, 0]}, "radius_m": 500,
///     "rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 1000}]}]}"#)?;
/// let findings = plan.check(&[]);
/// let f = findings.first().ok_or("no finding")?;
/// assert_eq!(f.kind, FindingKind::StandoffTooLarge);
/// assert_eq!(f.place, "zones[id=c].rules[0].standoff_m");
/// assert!(f.to_string().starts_with("standoff_too_large: zones[id=c].rules[0].standoff_m: "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// What kind of problem.
    pub kind: FindingKind,
    /// Where: a zone, rule or phase path, e.g. `zones[id=UA-46].rules[0].standoff_m`.
    pub place: String,
    /// What is wrong, lowercase, user input in backticks.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.kind, self.place, self.message)
    }
}

impl Plan {
    /// Lints the plan before it is put in force, without evaluating any track: sanctuaries
    /// overlapping `never_engage` areas (e.g. neighbouring states), phases where the active
    /// sanctuaries shrink, rules that can never apply, zones never active and standoffs
    /// larger than their zone can hold. See [`FindingKind`]. An empty list means nothing
    /// was found.
    ///
    /// Findings are ordered by kind, then place.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Plan, geojson::zones_from_geojson_file, lint::FindingKind};
    /// let plan = Plan::safe_haven()?;
    /// let neighbours = zones_from_geojson_file(concat!(env!("CARGO_MANIFEST_DIR"), "/data/neighbours.geojson"))?;
    /// // The oblasts border the neighbours but do not overlap them.
    /// assert!(plan.check(&neighbours).iter().all(|f| f.kind != FindingKind::OverlapsNeverEngage));
    ///
    /// // A sanctuary over Poland does.
    /// let text = r#"{"name": "bad", "phases": [{"id": "0", "name": "all"}],
    ///   "zones": [{"id": "W", "geometry": {"type": "Point", "coordinates": [23.5, 50.5]},
    ///              "radius_m": 50000,
    ///              "rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 1000}]}]}"#;
    /// let findings = Plan::from_json_str(text)?.check(&neighbours);
    /// assert_eq!(findings[0].kind, FindingKind::OverlapsNeverEngage);
    /// assert_eq!(findings[0].place, "zones[id=W]");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self, never_engage: &[Zone]) -> Vec<Finding> {
        let mut findings = Vec::new();
        let zones = self.index().zones();
        let plans = self.zone_plans();
        let reachable = reachable_phases(self);
        for (zone, zp) in zones.iter().zip(plans) {
            let at = format!("zones[id={}]", zone.id());
            let kind = match zone.kind() {
                ZoneKind::Sanctuary => "sanctuary",
                ZoneKind::Exclusion => "exclusion",
            };
            if !reachable
                .iter()
                .enumerate()
                .any(|(p, &r)| r && zp.active_in_index(p))
            {
                findings.push(Finding {
                    kind: FindingKind::ZoneNeverActive,
                    place: at.clone(),
                    message: format!(
                        "{kind} `{}` is active in no phase that can be in force",
                        zone.id()
                    ),
                });
            }
            if zone.kind() != ZoneKind::Sanctuary {
                continue;
            }
            for area in never_engage {
                if interiors_overlap(zone, area) {
                    findings.push(Finding {
                        kind: FindingKind::OverlapsNeverEngage,
                        place: at.clone(),
                        message: format!(
                            "sanctuary `{}` overlaps the never-engage area `{}`",
                            zone.id(),
                            area.id()
                        ),
                    });
                }
            }
            check_rules(self, zone, zp, &at, &mut findings);
        }
        check_shrinking(self, &mut findings);
        findings.sort_by(|a, b| (a.kind, &a.place).cmp(&(b.kind, &b.place)));
        findings
    }
}

/// Which phases can be in force at some time: all of them when phases have no start
/// times; otherwise those that start strictly before the next one (and the last).
fn reachable_phases(plan: &Plan) -> Vec<bool> {
    let phases = plan.phases();
    phases
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let next = phases.get(i.saturating_add(1));
            match (p.start_unix_s, next.and_then(|n| n.start_unix_s)) {
                (Some(s), Some(n)) => s < n,
                _ => true,
            }
        })
        .collect()
}

fn check_shrinking(plan: &Plan, findings: &mut Vec<Finding>) {
    let zones = plan.index().zones();
    let phases = plan.phases();
    for (i, pair) in phases.windows(2).enumerate() {
        let (Some(from), Some(to)) = (pair.first(), pair.get(1)) else {
            continue;
        };
        let next = i.saturating_add(1);
        let dropped: Vec<String> = zones
            .iter()
            .zip(plan.zone_plans())
            .filter(|(z, zp)| {
                z.kind() == ZoneKind::Sanctuary && zp.active_in_index(i) && !zp.active_in_index(next)
            })
            .map(|(z, _)| format!("`{}`", z.id()))
            .collect();
        if !dropped.is_empty() {
            findings.push(Finding {
                kind: FindingKind::ZonesShrink,
                place: format!("phases[{next}]"),
                message: format!(
                    "the active sanctuaries shrink from phase `{}` to phase `{}`: {} no longer active",
                    from.id,
                    to.id,
                    dropped.join(", ")
                ),
            });
        }
    }
}

fn check_rules(plan: &Plan, zone: &Zone, zp: &ZonePlan, at: &str, findings: &mut Vec<Finding>) {
    let phases = plan.phases().len();
    let mut inscribed: Option<f64> = None;
    for (j, rule) in zp.rules.iter().enumerate() {
        let place = format!("{at}.rules[{j}]");
        let mut never = |what: &str, message: String| {
            findings.push(Finding {
                kind: FindingKind::RuleNeverApplies,
                place: format!("{place}{what}"),
                message,
            });
        };
        if !(0..phases).any(|p| zp.active_in_index(p) && rule.applies_in_index(p)) {
            never(
                ".from_phase",
                format!(
                    "the rule's phases never meet the activation of sanctuary `{}`",
                    zone.id()
                ),
            );
            continue;
        }
        if let Some(zb) = zone.band() {
            if bands_disjoint(&rule.band, &zb) {
                never(
                    ".floor_m",
                    format!(
                        "the rule's altitude band {} is disjoint from the band {} of sanctuary `{}`",
                        band_text(&rule.band),
                        band_text(&zb),
                        zone.id()
                    ),
                );
                continue;
            }
        }
        if let Some(message) = partners_never_allow(plan, rule) {
            never(".partners", message);
            continue;
        }
        if rule.standoff_m > 0.0 {
            let best = *inscribed.get_or_insert_with(|| deepest_inside_m(zone, max_standoff(zp)));
            if best < rule.standoff_m {
                let found = if best.is_finite() {
                    format!("{best:.0} m")
                } else {
                    "no interior point".to_string()
                };
                findings.push(Finding {
                    kind: FindingKind::StandoffTooLarge,
                    place: format!("{place}.standoff_m"),
                    message: format!(
                        "standoff `{}` m cannot be met inside sanctuary `{}` (the deepest point found is {found} from its edge)",
                        rule.standoff_m,
                        zone.id()
                    ),
                });
            }
        }
    }
}

fn max_standoff(zp: &ZonePlan) -> f64 {
    zp.rules.iter().map(|r| r.standoff_m).fold(0.0, f64::max)
}

fn bands_disjoint(a: &VerticalBand, b: &VerticalBand) -> bool {
    let floor = match (a.floor_m, b.floor_m) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    };
    let ceiling = match (a.ceiling_m, b.ceiling_m) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    matches!((floor, ceiling), (Some(f), Some(c)) if f > c)
}

fn band_text(b: &VerticalBand) -> String {
    let f = b.floor_m.map_or("-inf".to_string(), |v| v.to_string());
    let c = b.ceiling_m.map_or("+inf".to_string(), |v| v.to_string());
    format!("[{f}, {c}] m")
}

/// Why no partner can ever use the rule, if none can.
fn partners_never_allow(plan: &Plan, rule: &Rule) -> Option<String> {
    let list = rule.partners.as_ref()?;
    if list.is_empty() {
        return Some("the rule lists no partner: no engagement can use it".to_string());
    }
    let all_excluded = list.iter().all(|&pi| {
        plan.partners()
            .get(pi)
            .is_some_and(|p| rule.classes.iter().all(|c| p.excluded_classes.contains(c)))
    });
    all_excluded.then(|| "every partner the rule lists excludes every class it allows".to_string())
}

/// A conservative estimate of the largest distance (m) from the zone's edge of a point
/// strictly inside it: the radius of a circle; for polygons the best of grid samples of
/// increasing density, each refined by a local search, stopping once `enough` is reached.
/// `-inf` when no sample falls inside.
fn deepest_inside_m(zone: &Zone, enough: f64) -> f64 {
    if let ZoneGeometry::Circle { radius_m, .. } = zone.to_spec().geometry {
        return radius_m;
    }
    let [x0, y0, x1, y1] = zone.bounds();
    let depth = |x: f64, y: f64| -> Option<f64> {
        match zone.position(x, y) {
            Ok(Position::Inside) => zone.signed_distance_m(x, y).ok(),
            _ => None,
        }
    };
    let mut best = f64::NEG_INFINITY;
    for n in [16u32, 64, 192] {
        let (dx, dy) = ((x1 - x0) / f64::from(n), (y1 - y0) / f64::from(n));
        let mut best_at: Option<(f64, f64)> = None;
        for i in 0..n {
            for j in 0..n {
                let x = x0 + (f64::from(i) + 0.5) * dx;
                let y = y0 + (f64::from(j) + 0.5) * dy;
                if let Some(d) = depth(x, y) {
                    if d > best {
                        best = d;
                        best_at = Some((x, y));
                    }
                }
            }
        }
        // Local search from the best sample: move to a better neighbour, else halve the step.
        if let Some((mut x, mut y)) = best_at {
            let (mut sx, mut sy) = (dx, dy);
            for _ in 0..40 {
                if best >= enough {
                    break;
                }
                let mut moved = false;
                for (ox, oy) in [
                    (1.0, 0.0),
                    (-1.0, 0.0),
                    (0.0, 1.0),
                    (0.0, -1.0),
                    (1.0, 1.0),
                    (-1.0, -1.0),
                    (1.0, -1.0),
                    (-1.0, 1.0),
                ] {
                    let (nx, ny) = (x + ox * sx, y + oy * sy);
                    if let Some(d) = depth(nx, ny) {
                        if d > best {
                            best = d;
                            (x, y) = (nx, ny);
                            moved = true;
                        }
                    }
                }
                if !moved {
                    sx /= 2.0;
                    sy /= 2.0;
                }
            }
        }
        if best >= enough {
            break;
        }
    }
    best
}

/// Do the interiors of two zones overlap (more than touching along a border)?
fn interiors_overlap(a: &Zone, b: &Zone) -> bool {
    let [ax0, ay0, ax1, ay1] = a.bounds();
    let [bx0, by0, bx1, by1] = b.bounds();
    if ax1 <= bx0 || bx1 <= ax0 || ay1 <= by0 || by1 <= ay0 {
        return false;
    }
    match (a.to_spec().geometry, b.to_spec().geometry) {
        (
            ZoneGeometry::Circle {
                center: ca,
                radius_m: ra,
            },
            ZoneGeometry::Circle {
                center: cb,
                radius_m: rb,
            },
        ) => {
            let d = crate::geometry::geodesy::geodesic_distance_m(ca[0], ca[1], cb[0], cb[1]);
            ra + rb - d > CIRCLE_BOUNDARY_TOLERANCE_M
        }
        (ZoneGeometry::Circle { center, radius_m }, _) => circle_overlaps(center, radius_m, b),
        (_, ZoneGeometry::Circle { center, radius_m }) => circle_overlaps(center, radius_m, a),
        (ga, gb) => {
            let (Some(pa), Some(pb)) = (to_geo(&ga), to_geo(&gb)) else {
                return false;
            };
            if pa.relate(&pb).get(
                geo::coordinate_position::CoordPos::Inside,
                geo::coordinate_position::CoordPos::Inside,
            ) != geo::dimensions::Dimensions::Empty
            {
                return true;
            }
            // Curved edges: the lon/lat test above is only approximate, so also ask the
            // zones' own exact kernel whether a vertex of one lies strictly inside the other.
            let curved = a.edge_model() == EdgeModel::GreatCircle || b.edge_model() == EdgeModel::GreatCircle;
            curved && (vertex_inside(&pa, b) || vertex_inside(&pb, a))
        }
    }
}

/// Does a geodesic circle overlap a polygonal zone's interior?
fn circle_overlaps(center: [f64; 2], radius_m: f64, zone: &Zone) -> bool {
    let [lon, lat] = center;
    match zone.signed_distance_m(lon, lat) {
        Ok(d) => d + radius_m > CIRCLE_BOUNDARY_TOLERANCE_M,
        Err(_) => false,
    }
}

fn vertex_inside(polys: &MultiPolygon<f64>, zone: &Zone) -> bool {
    polys.0.iter().any(|p| {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .flat_map(|r| r.0.iter())
            .any(|c| zone.position(c.x, c.y) == Ok(Position::Inside))
    })
}

fn to_geo(g: &ZoneGeometry) -> Option<MultiPolygon<f64>> {
    let ring =
        |r: &Vec<[f64; 2]>| LineString::from(r.iter().map(|&[x, y]| Coord { x, y }).collect::<Vec<_>>());
    let poly = |rings: &Vec<Vec<[f64; 2]>>| {
        let mut it = rings.iter();
        let shell = it.next().map(ring).unwrap_or_else(|| LineString::new(vec![]));
        Polygon::new(shell, it.map(ring).collect())
    };
    match g {
        ZoneGeometry::Polygon { rings } => Some(MultiPolygon(vec![poly(rings)])),
        ZoneGeometry::MultiPolygon { polygons } => Some(MultiPolygon(polygons.iter().map(poly).collect())),
        ZoneGeometry::Circle { .. } => None,
    }
}
