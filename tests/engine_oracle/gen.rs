//! Random plans of lattice boxes and random tracks, with their JSON form for `Plan`.

use proptest::prelude::*;
use sanctuary::plan::{Identity, TargetClass, WeaponsStatus};
use serde_json::{json, Value};

/// Lattice origin and step (degrees): exact in binary, so shared edges are exact.
pub const LON0: f64 = 20.0;
pub const LAT0: f64 = 46.0;
pub const STEP: f64 = 0.5;
/// Lattice extent in cells.
pub const NX: i32 = 12;
pub const NY: i32 = 8;

pub fn lon_of(i: i32) -> f64 {
    LON0 + f64::from(i) * STEP
}
pub fn lat_of(j: i32) -> f64 {
    LAT0 + f64::from(j) * STEP
}

#[derive(Debug, Clone)]
pub struct RuleSpec {
    pub from: Option<usize>,
    pub until: Option<usize>,
    pub classes: Vec<TargetClass>,
    pub weapons: WeaponsStatus,
    pub floor: Option<f64>,
    pub ceiling: Option<f64>,
    pub standoff: f64,
    /// Indices into `PlanSpec::partners`.
    pub partners: Option<Vec<usize>>,
}

#[derive(Debug, Clone)]
pub struct ZoneSpecO {
    pub id: String,
    /// Lattice cells `[i0, i1) x [j0, j1)`.
    pub cells: (i32, i32, i32, i32),
    pub exclusion: bool,
    pub active_from: usize,
    pub active_until: Option<usize>,
    pub floor: Option<f64>,
    pub ceiling: Option<f64>,
    /// Own rules (sanctuaries only); `None` uses the plan's default rules.
    pub rules: Option<Vec<RuleSpec>>,
}

#[derive(Debug, Clone)]
pub struct PartnerSpec {
    pub id: String,
    pub excluded: Vec<TargetClass>,
    pub min_standoff: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct PlanSpec {
    pub phases: usize,
    pub partners: Vec<PartnerSpec>,
    pub default_rules: Vec<RuleSpec>,
    pub zones: Vec<ZoneSpecO>,
}

impl PlanSpec {
    pub fn phase_id(i: usize) -> String {
        format!("ph{i}")
    }

    pub fn to_json(&self) -> Value {
        let rule = |r: &RuleSpec| {
            let mut v = json!({
                "classes": r.classes,
                "weapons": r.weapons,
                "standoff_m": r.standoff,
            });
            if let Some(f) = r.from {
                v["from_phase"] = json!(Self::phase_id(f));
            }
            if let Some(u) = r.until {
                v["until_phase"] = json!(Self::phase_id(u));
            }
            if let Some(f) = r.floor {
                v["floor_m"] = json!(f);
            }
            if let Some(c) = r.ceiling {
                v["ceiling_m"] = json!(c);
            }
            if let Some(ps) = &r.partners {
                let ids: Vec<&str> = ps
                    .iter()
                    .filter_map(|&k| self.partners.get(k).map(|p| p.id.as_str()))
                    .collect();
                v["partners"] = json!(ids);
            }
            v
        };
        let zones: Vec<Value> = self
            .zones
            .iter()
            .map(|z| {
                let (i0, i1, j0, j1) = z.cells;
                let (x0, x1, y0, y1) = (lon_of(i0), lon_of(i1), lat_of(j0), lat_of(j1));
                let mut v = json!({
                    "id": z.id,
                    "kind": if z.exclusion { "exclusion" } else { "sanctuary" },
                    "geometry": {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]},
                    "active_from": Self::phase_id(z.active_from),
                });
                if let Some(u) = z.active_until {
                    v["active_until"] = json!(Self::phase_id(u));
                }
                if let Some(f) = z.floor {
                    v["floor_m"] = json!(f);
                }
                if let Some(c) = z.ceiling {
                    v["ceiling_m"] = json!(c);
                }
                if let Some(rules) = &z.rules {
                    v["rules"] = json!(rules.iter().map(rule).collect::<Vec<_>>());
                }
                v
            })
            .collect();
        json!({
            "name": "oracle plan",
            "phases": (0..self.phases).map(|i| json!({"id": Self::phase_id(i), "name": format!("phase {i}")})).collect::<Vec<_>>(),
            "partners": self.partners.iter().map(|p| {
                let mut v = json!({"id": p.id, "excluded_classes": p.excluded});
                if let Some(m) = p.min_standoff {
                    v["min_standoff_m"] = json!(m);
                }
                v
            }).collect::<Vec<_>>(),
            "default_rules": self.default_rules.iter().map(rule).collect::<Vec<_>>(),
            "zones": zones,
        })
    }
}

fn class() -> impl Strategy<Value = TargetClass> {
    prop::sample::select(TargetClass::ALL.to_vec())
}

fn identity() -> impl Strategy<Value = Identity> {
    prop::sample::select(vec![
        Identity::Hostile,
        Identity::Hostile,
        Identity::Hostile,
        Identity::Hostile,
        Identity::Hostile,
        Identity::Suspect,
        Identity::Unknown,
        Identity::Neutral,
        Identity::Friend,
    ])
}

/// Phase range `[from, until)` in a plan of `n` phases: `until` is a later phase or none.
fn phase_range(n: usize) -> impl Strategy<Value = (usize, Option<usize>)> {
    (0..n, prop::option::weighted(0.3, 0..n)).prop_map(move |(from, until)| {
        let until = until.map(|u| u.max(from + 1)).filter(|&u| u < n);
        (from, until)
    })
}

/// A vertical band whose floor is never above its ceiling.
fn band() -> impl Strategy<Value = (Option<f64>, Option<f64>)> {
    (
        prop::option::weighted(0.35, prop::sample::select(vec![-500.0, 0.0, 100.0, 2000.0])),
        prop::option::weighted(
            0.35,
            prop::sample::select(vec![1000.0, 5000.0, 10_000.0, 30_000.0]),
        ),
    )
        .prop_map(|(f, c)| match (f, c) {
            (Some(f), Some(c)) if f > c => (Some(c), Some(f)),
            other => other,
        })
}

fn rule(n_phases: usize, n_partners: usize) -> impl Strategy<Value = RuleSpec> {
    (
        prop::option::weighted(0.4, phase_range(n_phases)),
        prop_oneof![
            Just(TargetClass::ALL.to_vec()),
            prop::sample::subsequence(TargetClass::ALL.to_vec(), 1..=5)
        ],
        prop::sample::select(vec![
            WeaponsStatus::Hold,
            WeaponsStatus::Tight,
            WeaponsStatus::Tight,
            WeaponsStatus::Tight,
            WeaponsStatus::Free,
            WeaponsStatus::Free,
            WeaponsStatus::Free,
            WeaponsStatus::Free,
        ]),
        band(),
        prop::sample::select(vec![0.0, 0.0, 500.0, 2000.0, 5000.0, 12_000.0]),
        prop::option::weighted(
            0.25,
            prop::sample::subsequence((0..n_partners).collect::<Vec<_>>(), 0..=n_partners),
        ),
    )
        .prop_map(
            |(phases, classes, weapons, (floor, ceiling), standoff, partners)| {
                let (from, until) = match phases {
                    Some((f, u)) => (Some(f), u),
                    None => (None, None),
                };
                RuleSpec {
                    from,
                    until,
                    classes,
                    weapons,
                    floor,
                    ceiling,
                    standoff,
                    partners,
                }
            },
        )
}

fn partner(k: usize) -> impl Strategy<Value = PartnerSpec> {
    (
        prop::sample::subsequence(TargetClass::ALL.to_vec(), 0..=2),
        prop::option::weighted(0.5, prop::sample::select(vec![0.0, 1000.0, 8000.0])),
    )
        .prop_map(move |(excluded, min_standoff)| PartnerSpec {
            id: format!("P{k}"),
            excluded,
            min_standoff,
        })
}

/// How the boxes are laid out.
#[derive(Debug, Clone, Copy)]
pub enum Layout {
    /// Any lattice boxes: they may overlap, nest, share whole or partial edges.
    Free,
    /// Cells of one random rectilinear grid: boxes never overlap (but may repeat) and
    /// neighbours share whole edges exactly.
    Tiled,
}

fn cells(layout: Layout, n: usize) -> BoxedStrategy<Vec<(i32, i32, i32, i32)>> {
    match layout {
        Layout::Free => prop::collection::vec((0..NX - 1, 0..NY - 1, 1..=4i32, 1..=3i32), n)
            .prop_map(|v| {
                v.into_iter()
                    .map(|(i, j, w, h)| (i, (i + w).min(NX), j, (j + h).min(NY)))
                    .collect()
            })
            .boxed(),
        Layout::Tiled => (
            prop::sample::subsequence((1..NX).collect::<Vec<_>>(), 2..=4),
            prop::sample::subsequence((1..NY).collect::<Vec<_>>(), 2..=3),
            prop::collection::vec((0usize..8, 0usize..8), n),
        )
            .prop_map(|(xs, ys, picks)| {
                let xs: Vec<i32> = std::iter::once(0).chain(xs).chain(std::iter::once(NX)).collect();
                let ys: Vec<i32> = std::iter::once(0).chain(ys).chain(std::iter::once(NY)).collect();
                picks
                    .into_iter()
                    .map(|(a, b)| {
                        let a = a % (xs.len() - 1);
                        let b = b % (ys.len() - 1);
                        let at = |v: &[i32], k: usize| v.get(k).copied().unwrap_or(0);
                        (at(&xs, a), at(&xs, a + 1), at(&ys, b), at(&ys, b + 1))
                    })
                    .collect()
            })
            .boxed(),
    }
}

pub fn plan(layout: Layout) -> impl Strategy<Value = PlanSpec> {
    (2usize..=4, 0usize..=3, 1usize..=5).prop_flat_map(move |(n_phases, n_partners, n_zones)| {
        let zone_extra = prop::collection::vec(
            (
                prop::bool::weighted(0.25),
                phase_range(n_phases),
                prop::option::weighted(0.2, band()),
                prop::option::weighted(
                    0.6,
                    prop_oneof![
                        1 => Just(Vec::new()),
                        6 => prop::collection::vec(rule(n_phases, n_partners), 1..=3)
                    ],
                ),
            ),
            n_zones,
        );
        (
            (0..n_partners).map(partner).collect::<Vec<_>>(),
            prop::collection::vec(rule(n_phases, n_partners), 1..=2),
            cells(layout, n_zones),
            zone_extra,
        )
            .prop_map(move |(partners, default_rules, cells, extra)| {
                let zones = cells
                    .into_iter()
                    .zip(extra)
                    .enumerate()
                    .map(|(k, (cells, (exclusion, (from, until), band, rules)))| {
                        let (floor, ceiling) = band.unwrap_or((None, None));
                        ZoneSpecO {
                            id: format!("z{k}"),
                            cells,
                            exclusion,
                            active_from: from,
                            active_until: until,
                            floor,
                            ceiling,
                            rules: if exclusion { None } else { rules },
                        }
                    })
                    .collect();
                PlanSpec {
                    phases: n_phases,
                    partners,
                    default_rules,
                    zones,
                }
            })
    })
}

/// One track to decide, with the phase and partner asked for.
#[derive(Debug, Clone)]
pub struct Query {
    pub lon: f64,
    pub lat: f64,
    pub alt: f64,
    pub class: TargetClass,
    pub identity: Identity,
    pub uncertainty: Option<f64>,
    pub velocity: Option<(f64, f64)>,
    pub tti: Option<f64>,
    /// Phase index; `None` asks for an unknown phase.
    pub phase: Option<usize>,
    /// `Some(None)`: an unknown partner id; `Some(Some(k))`: partner k.
    pub partner: Option<Option<usize>>,
}

/// A coordinate: anywhere, on a lattice line, or metres (or ulps) off one.
fn coord(n: i32, of: fn(i32) -> f64, metres_per_deg: f64) -> impl Strategy<Value = f64> {
    let lo = of(-1);
    let hi = of(n + 1);
    prop_oneof![
        3 => lo..hi,
        2 => (-1..=n + 1).prop_map(of),
        2 => ((-1..=n + 1), prop::sample::select(vec![-50.0, -5.0, -1.0, -0.3, 0.3, 1.0, 5.0, 50.0]))
            .prop_map(move |(k, m)| of(k) + m / metres_per_deg),
        1 => ((-1..=n + 1), prop::sample::select(vec![-1i64, 1])).prop_map(move |(k, u)| {
            f64::from_bits((of(k).to_bits() as i64 + u) as u64)
        }),
    ]
}

/// A point anywhere on or around the lattice, or inside one of the plan's boxes.
fn point(boxes: Vec<(i32, i32, i32, i32)>) -> impl Strategy<Value = (f64, f64)> {
    let n = boxes.len();
    prop_oneof![
        3 => (coord(NX, lon_of, 76_000.0), coord(NY, lat_of, 111_200.0)),
        4 => (0..n, 0.0..1.0f64, 0.0..1.0f64).prop_map(move |(k, fx, fy)| {
            let (i0, i1, j0, j1) = boxes[k];
            (
                lon_of(i0) + fx * f64::from(i1 - i0) * STEP,
                lat_of(j0) + fy * f64::from(j1 - j0) * STEP,
            )
        }),
    ]
}

pub fn query(
    n_phases: usize,
    n_partners: usize,
    boxes: Vec<(i32, i32, i32, i32)>,
) -> impl Strategy<Value = Query> {
    (
        (
            point(boxes),
            prop::sample::select(vec![
                -600.0, -500.0, 0.0, 99.0, 1000.0, 1000.0, 1000.0, 1000.0, 4999.0, 5000.0, 10_000.0,
                10_000.5, 31_000.0,
            ]),
            class(),
            identity(),
        ),
        (
            prop::option::weighted(
                0.6,
                prop_oneof![
                    // -1 m is an invalid uncertainty: the track is refused.
                    3 => prop::sample::select(vec![0.0, 1.0, 100.0, 1000.0, 6000.0, -1.0]),
                    1 => 0.0..20_000.0f64
                ],
            ),
            // Intercept data: mostly whole (speed, heading and time to intercept), sometimes
            // with a part missing, which makes the track invalid.
            prop::option::weighted(
                0.45,
                (
                    prop::option::weighted(0.95, (0.0..300.0f64, 0.0..360.0f64)),
                    prop::option::weighted(0.95, 0.0..120.0f64),
                ),
            ),
            prop::option::weighted(0.97, 0..n_phases),
            prop::option::weighted(0.35, prop::option::weighted(0.9, 0..n_partners.max(1))),
        ),
    )
        .prop_map(
            move |(((lon, lat), alt, class, identity), (uncertainty, intercept, phase, partner))| {
                let (velocity, tti) = intercept.unwrap_or((None, None));
                // With no partners in the plan, a named partner is an unknown one.
                let partner = partner.map(|p| p.filter(|_| n_partners > 0));
                Query {
                    lon,
                    lat,
                    alt,
                    class,
                    identity,
                    uncertainty,
                    velocity,
                    tti,
                    phase,
                    partner,
                }
            },
        )
}

/// A plan and a few tracks on it.
pub fn case(layout: Layout) -> impl Strategy<Value = (PlanSpec, Vec<Query>)> {
    plan(layout).prop_flat_map(|spec| {
        let boxes = spec.zones.iter().map(|z| z.cells).collect();
        let q = prop::collection::vec(query(spec.phases, spec.partners.len(), boxes), 6);
        (Just(spec), q)
    })
}
