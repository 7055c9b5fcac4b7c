//! The reference decision: the documented semantics of `Engine::decide`, written as simply
//! as possible over the test's own plan description. Brute force over every zone and rule,
//! no index: containment by `Zone::position`, exclusion contact by `Zone::position` and
//! `Zone::signed_distance_m`, the sanctuary area's edge as the lattice segments between a
//! cell of the area and a cell outside it, each measured by minimising
//! `geodesic_distance_m` along the segment.

use crate::gen::{lat_of, lon_of, PlanSpec, Query, RuleSpec, ZoneSpecO};
use sanctuary::{
    engine::MARGIN_HORIZON_M,
    geometry::{geodesic_destination, geodesic_distance_m, Position, ZoneGeometry, ZoneKind},
    plan::{Identity, WeaponsStatus},
    Reason, Zone,
};
use std::collections::BTreeSet;

/// The oracle's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub permit: bool,
    pub reasons: Vec<Reason>,
    pub zone: Option<String>,
    /// Given only where the semantics define it: on a boundary (`-uncertainty`) and when
    /// an allowing sanctuary holds the point (area distance, capped at the horizon,
    /// minus uncertainty).
    pub margin: Option<f64>,
    /// A quantity compared with a threshold came within a hair of it: numerical noise
    /// could decide either way, so the case is not compared.
    pub knife_edge: bool,
}

/// The plan's zones as `sanctuary::Zone`s, built directly (not through `Plan`).
pub fn zones(spec: &PlanSpec) -> Vec<Zone> {
    spec.zones
        .iter()
        .map(|z| {
            let (i0, i1, j0, j1) = z.cells;
            let (x0, x1, y0, y1) = (lon_of(i0), lon_of(i1), lat_of(j0), lat_of(j1));
            let ring = vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
            let kind = if z.exclusion {
                ZoneKind::Exclusion
            } else {
                ZoneKind::Sanctuary
            };
            Zone::builder(z.id.clone(), ZoneGeometry::polygon(vec![ring]))
                .kind(kind)
                .band(z.floor, z.ceiling)
                .build()
                .expect("lattice boxes are valid zones")
        })
        .collect()
}

const KNIFE_M: f64 = 0.01;

fn in_band(floor: Option<f64>, ceiling: Option<f64>, alt: f64) -> bool {
    floor.is_none_or(|f| alt >= f) && ceiling.is_none_or(|c| alt <= c)
}

fn active(z: &ZoneSpecO, phase: usize) -> bool {
    phase >= z.active_from && z.active_until.is_none_or(|u| phase < u)
}

fn rule_applies(r: &RuleSpec, phase: usize) -> bool {
    r.from.unwrap_or(0) <= phase && r.until.is_none_or(|u| phase < u)
}

fn weapons_allow(w: WeaponsStatus, id: Identity) -> bool {
    match w {
        WeaponsStatus::Hold => false,
        WeaponsStatus::Tight => id == Identity::Hostile,
        WeaponsStatus::Free => matches!(id, Identity::Hostile | Identity::Suspect | Identity::Unknown),
        // A status the oracle does not know allows nothing (deny by default).
        _ => false,
    }
}

/// What one active sanctuary's rules say about the track: `Ok(standoff)` when some rule
/// allows it (the smallest standoff of those that do), else the reasons of the rules that
/// came closest to allowing it (fewest failing checks), as `Decision::reasons` documents.
fn zone_rules(spec: &PlanSpec, z: &ZoneSpecO, phase: usize, q: &Query) -> Result<f64, BTreeSet<Reason>> {
    let rules = z.rules.as_ref().unwrap_or(&spec.default_rules);
    let mut failing: Vec<BTreeSet<Reason>> = Vec::new();
    let mut best: Option<f64> = None;
    let mut any = false;
    for r in rules.iter().filter(|r| rule_applies(r, phase)) {
        any = true;
        let mut why = BTreeSet::new();
        if r.weapons == WeaponsStatus::Hold {
            why.insert(Reason::WeaponsHold);
        } else if !weapons_allow(r.weapons, q.identity) {
            why.insert(Reason::IdentityNotHostile);
        }
        if !r.classes.contains(&q.class) {
            why.insert(Reason::ClassNotAuthorised);
        }
        if !in_band(r.floor, r.ceiling, q.alt) || !in_band(z.floor, z.ceiling, q.alt) {
            why.insert(Reason::AltitudeOutsideBand);
        }
        let mut standoff = r.standoff;
        match q.partner {
            None => {
                if r.partners.is_some() {
                    why.insert(Reason::PartnerNotAuthorised);
                }
            }
            Some(None) => {
                why.insert(Reason::PartnerNotAuthorised);
            }
            Some(Some(k)) => {
                if r.partners.as_ref().is_some_and(|ps| !ps.contains(&k)) {
                    why.insert(Reason::PartnerNotAuthorised);
                }
                let p = &spec.partners[k];
                if p.excluded.contains(&q.class) {
                    why.insert(Reason::PartnerCaveat);
                }
                standoff = standoff.max(p.min_standoff.unwrap_or(0.0));
            }
        }
        if why.is_empty() {
            best = Some(best.map_or(standoff, |b: f64| b.min(standoff)));
        } else {
            failing.push(why);
        }
    }
    // The reasons of the rule(s) that came closest to allowing: fewest failing checks.
    let fewest = failing.iter().map(BTreeSet::len).min().unwrap_or(0);
    let refusals: BTreeSet<Reason> = failing
        .into_iter()
        .filter(|why| why.len() == fewest)
        .flatten()
        .collect();
    match best {
        Some(s) => Ok(s),
        None if !any => Err(BTreeSet::from([Reason::NoApplicableRule])),
        None => Err(refusals),
    }
}

/// The documented validity of a track: finite numbers in range (altitude -12 km to
/// 2,000 km, uncertainty up to 1,000 km, speed up to 12 km/s, heading within ±360°, time to
/// intercept up to an hour), and intercept data whole or absent.
fn valid(q: &Query) -> bool {
    let within = |v: f64, lo: f64, hi: f64| v.is_finite() && lo <= v && v <= hi;
    let whole = q.velocity.is_some() == q.tti.is_some();
    whole
        && within(q.lon, -180.0, 180.0)
        && within(q.lat, -90.0, 90.0)
        && within(q.alt, -12_000.0, 2_000_000.0)
        && q.uncertainty.is_none_or(|u| within(u, 0.0, 1_000_000.0))
        && q.tti.is_none_or(|t| within(t, 0.0, 3_600.0))
        && q.velocity
            .is_none_or(|(s, h)| within(s, 0.0, 12_000.0) && within(h, -360.0, 360.0))
}

/// Geodesic distance (m) from `p` to the plate-carrée segment `a`–`b` (here always a piece
/// of a meridian or a parallel): dense samples, then golden-section refinement around the
/// best one.
pub fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let at = |t: f64| (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
    let f = |t: f64| {
        let (x, y) = at(t);
        geodesic_distance_m(p.0, p.1, x, y)
    };
    const N: usize = 32;
    let (mut best_k, mut best) = (0, f64::INFINITY);
    for k in 0..=N {
        let d = f(k as f64 / N as f64);
        if d < best {
            (best_k, best) = (k, d);
        }
    }
    let (mut lo, mut hi) = (
        (best_k.saturating_sub(1)) as f64 / N as f64,
        ((best_k + 1).min(N)) as f64 / N as f64,
    );
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut x1, mut x2) = (hi - g * (hi - lo), lo + g * (hi - lo));
    let (mut f1, mut f2) = (f(x1), f(x2));
    for _ in 0..60 {
        if f1 < f2 {
            hi = x2;
            (x2, f2) = (x1, f1);
            x1 = hi - g * (hi - lo);
            f1 = f(x1);
        } else {
            lo = x1;
            (x1, f1) = (x2, f2);
            x2 = lo + g * (hi - lo);
            f2 = f(x2);
        }
        if hi - lo < 1e-13 {
            break;
        }
    }
    best.min(f1).min(f2).min(f(lo)).min(f(hi))
}

/// Distance (m) from `p` to the edge of the union of the boxes `members`: the lattice
/// segments with a member cell on exactly one side. Every such segment is measured; a
/// generous equirectangular estimate only skips segments that cannot be the nearest.
pub fn union_edge_distance(spec: &PlanSpec, members: &[usize], p: (f64, f64)) -> f64 {
    let cell_in = |i: i32, j: i32| {
        members.iter().any(|&m| {
            let (i0, i1, j0, j1) = spec.zones[m].cells;
            i0 <= i && i < i1 && j0 <= j && j < j1
        })
    };
    let mut segs = Vec::new();
    for i in -1..=crate::gen::NX {
        for j in -1..=crate::gen::NY {
            // The west side of cell (i, j) and its south side.
            if cell_in(i, j) != cell_in(i - 1, j) {
                segs.push(((lon_of(i), lat_of(j)), (lon_of(i), lat_of(j + 1))));
            }
            if cell_in(i, j) != cell_in(i, j - 1) {
                segs.push(((lon_of(i), lat_of(j)), (lon_of(i + 1), lat_of(j))));
            }
        }
    }
    let k = p.1.to_radians().cos();
    let estimate = |(a, b): &((f64, f64), (f64, f64))| {
        let cx = p.0.clamp(a.0.min(b.0), a.0.max(b.0));
        let cy = p.1.clamp(a.1.min(b.1), a.1.max(b.1));
        ((cx - p.0) * k).hypot(cy - p.1) * 111_000.0
    };
    let floor = segs.iter().map(estimate).fold(f64::INFINITY, f64::min);
    segs.iter()
        .filter(|s| estimate(s) <= floor * 1.5 + 5_000.0)
        .map(|&(a, b)| segment_distance(p, a, b))
        .fold(f64::INFINITY, f64::min)
}

struct Ctx<'a> {
    spec: &'a PlanSpec,
    zones: &'a [Zone],
    phase: usize,
    knife_edge: bool,
}

impl Ctx<'_> {
    /// Distance (m) from `p` to the edge of the sanctuary area made of `members`.
    fn area_distance(&self, members: &[usize], p: (f64, f64)) -> f64 {
        union_edge_distance(self.spec, members, p)
    }

    /// Does an active exclusion contain or touch `p`, or come within `u` metres of it?
    fn touches_exclusion(&mut self, p: (f64, f64), u: f64) -> bool {
        let mut hit = false;
        for (z, zone) in self.spec.zones.iter().zip(self.zones) {
            if !(z.exclusion && active(z, self.phase)) {
                continue;
            }
            let pos = zone.position(p.0, p.1).expect("valid point");
            if pos != Position::Outside {
                hit = true;
                continue;
            }
            if u > 0.0 {
                let d = -zone.signed_distance_m(p.0, p.1).expect("valid point");
                if (d - u).abs() < KNIFE_M {
                    self.knife_edge = true;
                }
                hit |= d <= u;
            }
        }
        hit
    }

    /// Active sanctuaries strictly holding `p`, and those with `p` on their boundary.
    fn sanctuaries_at(&self, p: (f64, f64)) -> (Vec<usize>, Vec<usize>) {
        let (mut inside, mut boundary) = (Vec::new(), Vec::new());
        for (k, (z, zone)) in self.spec.zones.iter().zip(self.zones).enumerate() {
            if z.exclusion || !active(z, self.phase) {
                continue;
            }
            match zone.position(p.0, p.1).expect("valid point") {
                Position::Inside => inside.push(k),
                Position::OnBoundary => boundary.push(k),
                Position::Outside => {}
            }
        }
        let by_id =
            |v: &mut Vec<usize>| v.sort_by(|&a, &b| self.spec.zones[a].id.cmp(&self.spec.zones[b].id));
        by_id(&mut inside);
        by_id(&mut boundary);
        (inside, boundary)
    }
}

/// The reference decision for query `q` on the plan `spec` (whose zones are `zones`).
pub fn decide(spec: &PlanSpec, zones: &[Zone], q: &Query) -> Answer {
    let deny = |reasons: Vec<Reason>| Answer {
        permit: false,
        reasons,
        zone: None,
        margin: None,
        knife_edge: false,
    };
    let Some(phase) = q.phase else {
        return deny(vec![Reason::UnknownPhase]);
    };
    if !valid(q) {
        return deny(vec![Reason::InvalidTrack]);
    }
    let mut cx = Ctx {
        spec,
        zones,
        phase,
        knife_edge: false,
    };
    let p = (q.lon, q.lat);
    let u = q.uncertainty.unwrap_or(0.0);
    let mut reasons = BTreeSet::new();
    if cx.touches_exclusion(p, u) {
        reasons.insert(Reason::InsideExclusion);
    }
    // Every active sanctuary's verdict on the track's attributes.
    let verdicts: Vec<Option<Result<f64, BTreeSet<Reason>>>> = spec
        .zones
        .iter()
        .map(|z| (!z.exclusion && active(z, phase)).then(|| zone_rules(spec, z, phase, q)))
        .collect();
    let allowing: Vec<usize> = (0..spec.zones.len())
        .filter(|&k| matches!(verdicts[k], Some(Ok(_))))
        .collect();

    let (inside, boundary) = cx.sanctuaries_at(p);
    let (zone, margin) = if inside.is_empty() {
        match boundary.first() {
            Some(&k) => {
                reasons.insert(Reason::OnBoundary);
                (Some(k), Some(-u))
            }
            None => {
                reasons.insert(Reason::OutsideActiveSanctuary);
                (None, None)
            }
        }
    } else {
        // The allowing sanctuaries here: smallest standoff, then smallest id.
        let best = inside
            .iter()
            .filter_map(|&k| match &verdicts[k] {
                Some(Ok(s)) => Some((k, *s)),
                _ => None,
            })
            .fold(None, |acc: Option<(usize, f64)>, (k, s)| match acc {
                Some((_, bs)) if bs <= s => acc,
                _ => Some((k, s)),
            });
        match best {
            None => {
                for &k in &inside {
                    if let Some(Err(r)) = &verdicts[k] {
                        reasons.extend(r.iter().copied());
                    }
                }
                (inside.first().copied(), None)
            }
            Some((k, standoff)) => {
                // Measured exactly out to the horizon (or as far as the standoff needs);
                // beyond it the horizon is reported, as `Decision::margin_m` documents.
                let horizon = MARGIN_HORIZON_M.max(standoff + u);
                let distance = cx.area_distance(&allowing, p);
                let margin = distance.min(horizon) - u;
                if (distance - u - standoff).abs() < KNIFE_M {
                    cx.knife_edge = true;
                }
                if margin < standoff {
                    reasons.insert(Reason::StandoffNotMet);
                }
                if let (Some((speed, heading)), Some(tti)) = (q.velocity, q.tti) {
                    let (qx, qy) = geodesic_destination(q.lon, q.lat, heading, speed * tti);
                    predicted_reasons(&mut cx, &verdicts, &allowing, (qx, qy), u, &mut reasons);
                }
                (Some(k), Some(margin))
            }
        }
    };
    Answer {
        permit: reasons.is_empty(),
        reasons: reasons.into_iter().collect(),
        zone: zone.map(|k| spec.zones[k].id.clone()),
        margin,
        knife_edge: cx.knife_edge,
    }
}

/// What is wrong with the predicted point, per the reasons' documentation: an active
/// exclusion touching it (or its disc) is `PredictedPointInExclusion`; not strictly inside
/// an allowing active sanctuary, or the standoff not met within the area, or not a usable
/// point at all, is `PredictedPointOutside`.
fn predicted_reasons(
    cx: &mut Ctx<'_>,
    verdicts: &[Option<Result<f64, BTreeSet<Reason>>>],
    allowing: &[usize],
    p: (f64, f64),
    u: f64,
    reasons: &mut BTreeSet<Reason>,
) {
    if !(p.0.is_finite()
        && p.1.is_finite()
        && (-180.0..=180.0).contains(&p.0)
        && (-90.0..=90.0).contains(&p.1))
    {
        reasons.insert(Reason::PredictedPointOutside);
        return;
    }
    if cx.touches_exclusion(p, u) {
        reasons.insert(Reason::PredictedPointInExclusion);
    }
    let (inside, _) = cx.sanctuaries_at(p);
    let standoff = inside
        .iter()
        .filter_map(|&k| match &verdicts[k] {
            Some(Ok(s)) => Some(*s),
            _ => None,
        })
        .fold(None, |acc: Option<f64>, s| Some(acc.map_or(s, |a| a.min(s))));
    let Some(standoff) = standoff else {
        reasons.insert(Reason::PredictedPointOutside);
        return;
    };
    let margin = cx.area_distance(allowing, p) - u;
    if (margin - standoff).abs() < KNIFE_M {
        cx.knife_edge = true;
    }
    if margin < standoff {
        reasons.insert(Reason::PredictedPointOutside);
    }
}
