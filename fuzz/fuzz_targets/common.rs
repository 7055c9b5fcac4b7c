//! The logic of every fuzz target, shared with the stable replay test
//! `tests/fuzz_corpus/main.rs` (which includes this file by `#[path]`). Each function takes
//! the raw input bytes, feeds them through the public API and asserts the invariants; a
//! failed assertion is a finding.
#![allow(dead_code)]

use sanctuary::{
    engine::Velocity,
    geojson::zones_from_geojson_str,
    geometry::{EdgeModel, Position, ZoneGeometry, ZoneKind},
    plan::{Identity, TargetClass},
    Engine, Plan, Track, Verdict, Zone, ZoneIndex,
};
use std::sync::OnceLock;

/// The real oblasts, embedded.
const OBLASTS: &str = include_str!("../../data/ukraine-oblasts.geojson");

/// A small two-box plan (the engine tests' `two_box_plan`): sanctuaries A and B sharing
/// the 25°E edge, exclusion X inside B, two partners, one with caveats.
const TWO_BOX_PLAN: &str = r#"{
  "name": "two boxes",
  "phases": [{"id": "0", "name": "none"}, {"id": "1", "name": "A"}, {"id": "2", "name": "A+B"}],
  "partners": [{"id": "P1"}, {"id": "P2", "excluded_classes": ["cruise_missile"], "min_standoff_m": 50000}],
  "default_rules": [{"classes": ["uas", "cruise_missile"], "weapons": "tight", "floor_m": 0, "ceiling_m": 10000, "standoff_m": 2000}],
  "zones": [
    {"id": "A", "geometry": {"type": "Polygon", "coordinates": [[[20,48],[25,48],[25,50],[20,50],[20,48]]]}, "active_from": "1"},
    {"id": "B", "geometry": {"type": "Polygon", "coordinates": [[[25,48],[30,48],[30,50],[25,50],[25,48]]]}, "active_from": "2"},
    {"id": "X", "kind": "exclusion", "geometry": {"type": "Polygon", "coordinates": [[[26,48.5],[27,48.5],[27,49],[26,49],[26,48.5]]]}, "active_from": "1"}
  ]
}"#;

/// Reads values from the fuzzer's bytes; past the end everything reads as zero.
struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }

    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        for x in &mut b {
            *x = self.u8();
        }
        u64::from_le_bytes(b)
    }

    /// A number, steered by a tag byte towards the interesting ones: special values,
    /// raw bit patterns, lattice values (exact edges and vertices), values a hair off
    /// them, and values spread over `[lo, hi]`.
    fn f64_in(&mut self, lo: f64, hi: f64) -> f64 {
        const SPECIAL: [f64; 16] = [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            -0.0,
            5e-324,
            -5e-324,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
            180.0,
            -180.0,
            90.0,
            -90.0,
            1e300,
            -1e-300,
        ];
        match self.u8() % 8 {
            0 => SPECIAL.get(usize::from(self.u8() % 16)).copied().unwrap_or(0.0),
            1 => f64::from_bits(self.u64()),
            // A quarter-degree lattice value within [lo, hi].
            2 | 3 => {
                let steps = ((hi - lo) * 4.0).max(1.0);
                lo + (f64::from(self.u16()) % steps).floor() * 0.25
            }
            // A lattice value nudged by a few ulps or a few micro/milli-degrees.
            4 => {
                let steps = ((hi - lo) * 4.0).max(1.0);
                let v = lo + (f64::from(self.u16()) % steps).floor() * 0.25;
                let k = i64::from(self.u8() as i8);
                match self.u8() % 3 {
                    0 => f64::from_bits((v.to_bits() as i64).wrapping_add(k) as u64),
                    1 => v + k as f64 * 1e-9,
                    _ => v + k as f64 * 1e-4,
                }
            }
            _ => lo + (hi - lo) * f64::from(self.u16()) / f64::from(u16::MAX),
        }
    }

    /// An optional value: absent when the tag byte is even.
    fn opt_f64_in(&mut self, lo: f64, hi: f64) -> Option<f64> {
        if self.u8() & 1 == 0 {
            None
        } else {
            Some(self.f64_in(lo, hi))
        }
    }
}

fn is_valid_point(lon: f64, lat: f64) -> bool {
    lon.is_finite() && lat.is_finite() && (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

// ---------------------------------------------------------------------------------------
// plan_json

/// `Plan::from_json_str` on arbitrary text. It must never panic; a plan it accepts must
/// hash deterministically and decide a track without panicking.
pub fn plan_json(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(plan) = Plan::from_json_str(&text) else {
        return;
    };
    let again = Plan::from_json_str(&text);
    assert!(
        again.as_ref().is_ok_and(|p| p.hash() == plan.hash()),
        "the same text must load to the same hash"
    );
    let probe = plan.index().zones().first().map(|z| {
        let b = z.bounds();
        ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0)
    });
    let phase = plan.phases().first().map(|p| p.id.clone()).unwrap_or_default();
    let engine = Engine::new(plan);
    if let Some((lon, lat)) = probe {
        let t = Track::new("p", lon, lat, 1000.0, TargetClass::Uas, Identity::Hostile);
        check_decision_shape(&engine, &t, &engine.decide(&t, &phase, None), Some(&phase));
    }
}

// ---------------------------------------------------------------------------------------
// zones_geojson

/// `zones_from_geojson_str` on arbitrary text. It must never panic; zones it accepts must
/// index, rebuild from their own spec, and locate consistently with `Zone::position`.
pub fn zones_geojson(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(zones) = zones_from_geojson_str(&text) else {
        return;
    };
    for z in &zones {
        let rebuilt = Zone::try_from(z.to_spec());
        assert!(
            rebuilt.as_ref().is_ok_and(|r| r.to_spec() == z.to_spec()),
            "zone `{}` must rebuild from its own spec: {:?}",
            z.id(),
            rebuilt.err()
        );
    }
    let probes: Vec<(f64, f64)> = zones
        .iter()
        .flat_map(|z| {
            let b = z.bounds();
            [
                ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0),
                (b[0], b[1]),
                (b[2], b[3]),
            ]
        })
        .collect();
    let index = ZoneIndex::new(zones);
    assert!(index.is_ok(), "loaded zones have unique ids: {:?}", index.err());
    if let Ok(index) = index {
        for (lon, lat) in probes {
            check_locate(&index, lon, lat, true);
        }
    }
}

// ---------------------------------------------------------------------------------------
// locate

fn square(lon0: f64, lat0: f64, lon1: f64, lat1: f64) -> Vec<[f64; 2]> {
    vec![
        [lon0, lat0],
        [lon1, lat0],
        [lon1, lat1],
        [lon0, lat1],
        [lon0, lat0],
    ]
}

/// A small fixed zone set: a plate-carrée box sharing its east edge with a great-circle
/// box, a box with a hole, a geodesic circle, and a multipolygon.
fn small_zones() -> &'static ZoneIndex {
    static INDEX: OnceLock<ZoneIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let build = |id: &str, rings: Vec<Vec<[f64; 2]>>, edges: EdgeModel| {
            Zone::builder(id, ZoneGeometry::polygon(rings))
                .edges(edges)
                .build()
        };
        let zones = [
            build(
                "flat",
                vec![square(20.0, 48.0, 25.0, 50.0)],
                EdgeModel::PlateCarree,
            ),
            build(
                "round",
                vec![square(25.0, 48.0, 30.0, 50.0)],
                EdgeModel::GreatCircle,
            ),
            build(
                "holed",
                vec![square(20.0, 44.0, 24.0, 47.0), square(21.0, 45.0, 22.0, 46.0)],
                EdgeModel::PlateCarree,
            ),
            Zone::builder("circle", ZoneGeometry::circle(31.21667, 47.81667, 30_000.0)).build(),
            Zone::builder(
                "multi",
                ZoneGeometry::MultiPolygon {
                    polygons: vec![
                        vec![square(34.0, 44.0, 35.0, 45.0)],
                        vec![square(35.5, 45.0, 36.5, 46.0)],
                    ],
                },
            )
            .kind(ZoneKind::Exclusion)
            .build(),
        ];
        for z in &zones {
            assert!(z.is_ok(), "the fixed zones are valid: {z:?}");
        }
        let zones: Vec<Zone> = zones.into_iter().filter_map(Result::ok).collect();
        ZoneIndex::new(zones).unwrap_or_else(|e| unreachable!("fixed zones index: {e}"))
    })
}

fn oblasts() -> &'static ZoneIndex {
    static INDEX: OnceLock<ZoneIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let zones = zones_from_geojson_str(OBLASTS).unwrap_or_else(|e| unreachable!("oblasts load: {e}"));
        ZoneIndex::new(zones).unwrap_or_else(|e| unreachable!("oblasts index: {e}"))
    })
}

/// `ZoneIndex::locate` against brute force `Zone::position` over every zone (or every zone
/// whose bounds hold the point), signed distances against positions, and nearest
/// boundaries against the signed distances.
fn check_locate(index: &ZoneIndex, lon: f64, lat: f64, all_distances: bool) {
    let valid = is_valid_point(lon, lat);
    let loc = index.locate(lon, lat);
    assert_eq!(loc.is_ok(), valid, "locate({lon:?}, {lat:?}) validity");
    // Far from every zone a nearest-boundary search visits most of the pieces (about
    // 0.1 s on the oblasts): only the small set is asked everywhere.
    let near = all_distances || ((10.0..=50.0).contains(&lon) && (35.0..=60.0).contains(&lat));
    let nearest = if near || !valid {
        index.nearest_boundary(lon, lat)
    } else {
        Ok(None)
    };
    assert_eq!(
        nearest.is_ok(),
        valid,
        "nearest_boundary({lon:?}, {lat:?}) validity"
    );
    let (Ok(loc), Ok(nearest)) = (loc, nearest) else {
        return;
    };
    let mut min_abs = f64::INFINITY;
    for (k, zone) in index.zones().iter().enumerate() {
        let b = zone.bounds();
        let in_bounds = b[0] <= lon && lon <= b[2] && b[1] <= lat && lat <= b[3];
        if !in_bounds && !all_distances {
            let h = index.handle(zone.id());
            assert!(
                h.is_some_and(|h| !loc.inside.contains(&h) && !loc.boundary.contains(&h)),
                "({lon:?}, {lat:?}) located in `{}` outside its bounds {b:?}",
                zone.id()
            );
            continue;
        }
        let pos = zone.position(lon, lat);
        assert!(pos.is_ok(), "position of a valid point");
        let Ok(pos) = pos else { return };
        if !in_bounds {
            assert_eq!(
                pos,
                Position::Outside,
                "`{}` bounds {b:?} must cover it",
                zone.id()
            );
        }
        let h = index.handle(zone.id());
        assert_eq!(h.map(|h| h.index()), Some(k), "handles follow zones()");
        let Some(h) = h else { return };
        let by_index = if loc.inside.contains(&h) {
            Position::Inside
        } else if loc.boundary.contains(&h) {
            Position::OnBoundary
        } else {
            Position::Outside
        };
        assert_eq!(
            by_index,
            pos,
            "({lon:?}, {lat:?}) in `{}`: index says {by_index:?}, Zone::position {pos:?}",
            zone.id()
        );
        if all_distances {
            let d = zone.signed_distance_m(lon, lat);
            assert!(d.is_ok(), "signed distance of a valid point");
            let Ok(d) = d else { return };
            assert!(
                d.is_finite(),
                "signed distance {d} to `{}` must be finite",
                zone.id()
            );
            let sign_ok = match pos {
                Position::Inside => d >= 0.0,
                Position::OnBoundary => d == 0.0,
                Position::Outside => d <= 0.0,
            };
            assert!(
                sign_ok,
                "({lon:?}, {lat:?}): {pos:?} but signed distance {d} to `{}`",
                zone.id()
            );
            min_abs = min_abs.min(d.abs());
        }
    }
    let nearest = nearest.map(|n| n.distance_m);
    assert!(
        nearest.is_some() || !near,
        "a non-empty index has a nearest boundary"
    );
    if let Some(n) = nearest {
        assert!(n.is_finite() && n >= 0.0, "nearest boundary distance {n}");
        if all_distances {
            assert!(
                (n - min_abs).abs() <= 1e-6 + 1e-9 * min_abs,
                "({lon:?}, {lat:?}): nearest boundary {n} m, but the closest zone boundary is {min_abs} m"
            );
        }
    }
}

/// Arbitrary (lon, lat) pairs, including NaN, ±inf, ±0.0, subnormals and huge values,
/// against the small zone set (every zone, with distances) and the real oblasts.
pub fn locate(data: &[u8]) {
    let mut b = Bytes::new(data);
    let mut n = 0;
    while !b.is_empty() && n < 16 {
        n += 1;
        let which = b.u8();
        let (lon, lat) = if which & 1 == 0 {
            (b.f64_in(18.0, 38.0), b.f64_in(43.0, 52.0))
        } else {
            (b.f64_in(-180.0, 180.0), b.f64_in(-90.0, 90.0))
        };
        check_locate(small_zones(), lon, lat, true);
        check_locate(oblasts(), lon, lat, false);
    }
}

// ---------------------------------------------------------------------------------------
// decide

fn safe_haven() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(Plan::safe_haven().unwrap_or_else(|e| unreachable!("safe haven: {e}"))))
}

fn two_box() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::new(Plan::from_json_str(TWO_BOX_PLAN).unwrap_or_else(|e| unreachable!("two-box plan: {e}")))
    })
}

/// The invariants of any decision: the track id is echoed, a permit has no reasons and a
/// deny has some, a margin is never NaN, and a permit is strictly inside an active
/// sanctuary (by `Zone::position`), with a valid track and a non-negative margin.
fn check_decision_shape(engine: &Engine, track: &Track, d: &sanctuary::Decision, phase: Option<&str>) {
    assert_eq!(d.track_id, track.id);
    assert_eq!(&d.plan_hash, engine.plan().hash());
    assert!(d.margin_m.is_none_or(|m| !m.is_nan()), "NaN margin: {d:?}");
    match d.verdict {
        Verdict::Deny => assert!(!d.reasons.is_empty(), "a deny needs reasons: {d:?}"),
        Verdict::Permit => {
            assert!(d.reasons.is_empty(), "a permit has no reasons: {d:?}");
            assert!(track.is_valid(), "permit for an invalid track {track:?}");
            assert!(d.margin_m.is_some_and(|m| m >= 0.0), "permit margin: {d:?}");
            let plan = engine.plan();
            let phase_ix = d.phase.as_deref().and_then(|p| plan.phase(p));
            assert!(phase_ix.is_some(), "a permit names its phase: {d:?}");
            if let Some(p) = phase {
                assert_eq!(d.phase.as_deref(), Some(p));
            }
            let time = track.time_unix_s.map(|t| t.floor() as i64);
            let active_inside = |z: &Zone, zp: &sanctuary::plan::ZonePlan| {
                z.kind() == ZoneKind::Sanctuary
                    && phase_ix.is_some_and(|i| zp.active_at(i, ZoneKind::Sanctuary, time))
                    && z.position(track.lon, track.lat)
                        .is_ok_and(|p| p == Position::Inside)
            };
            let zones = plan.index().zones();
            assert!(
                zones
                    .iter()
                    .zip(plan.zone_plans())
                    .any(|(z, zp)| active_inside(z, zp)),
                "permit outside every active sanctuary: {track:?} {d:?}"
            );
            let named = zones
                .iter()
                .zip(plan.zone_plans())
                .find(|(z, _)| Some(z.id()) == d.zone.as_deref());
            assert!(
                named.is_some_and(|(z, zp)| active_inside(z, zp)),
                "the permitting zone must be an active sanctuary holding the track: {d:?}"
            );
            // No active exclusion holds the point.
            for (z, zp) in zones.iter().zip(plan.zone_plans()) {
                if z.kind() == ZoneKind::Exclusion
                    && phase_ix.is_some_and(|i| zp.active_at(i, ZoneKind::Exclusion, time))
                {
                    assert!(
                        z.position(track.lon, track.lat)
                            .is_ok_and(|p| p == Position::Outside),
                        "permit inside or on exclusion `{}`: {d:?}",
                        z.id()
                    );
                }
            }
        }
    }
}

const CLASSES: [TargetClass; 5] = TargetClass::ALL;
const IDENTITIES: [Identity; 5] = [
    Identity::Hostile,
    Identity::Suspect,
    Identity::Unknown,
    Identity::Neutral,
    Identity::Friend,
];

/// Arbitrary track fields against the embedded Safe Haven plan and a small two-box plan,
/// in a named phase (known or not), at the track's time, with or without a partner.
pub fn decide(data: &[u8]) {
    let mut b = Bytes::new(data);
    let mut n = 0;
    while !b.is_empty() && n < 8 {
        n += 1;
        let engine = if b.u8() & 1 == 0 { safe_haven() } else { two_box() };
        let lon = b.f64_in(18.0, 42.0);
        let lat = b.f64_in(43.0, 53.0);
        let alt_m = b.f64_in(-1000.0, 40_000.0);
        let class = CLASSES
            .get(usize::from(b.u8() % 5))
            .copied()
            .unwrap_or(TargetClass::Uas);
        let identity = IDENTITIES
            .get(usize::from(b.u8() % 5))
            .copied()
            .unwrap_or(Identity::Hostile);
        let mut track = Track::new("fz", lon, lat, alt_m, class, identity);
        // 2027-01-01 .. 2028-07-01 covers every Safe Haven phase start.
        track.time_unix_s = b.opt_f64_in(1_790_000_000.0, 1_830_000_000.0);
        track.uncertainty_m = b.opt_f64_in(0.0, 60_000.0);
        if b.u8() % 2 == 1 {
            track.velocity = Some(Velocity {
                speed_mps: b.f64_in(0.0, 3000.0),
                heading_deg: b.f64_in(-360.0, 720.0),
            });
        }
        track.tti_s = b.opt_f64_in(0.0, 600.0);
        let phases = engine.plan().phases();
        let sel = usize::from(b.u8());
        let phase = match phases.get(sel % (phases.len() + 1)) {
            Some(p) => p.id.clone(),
            None => "no such phase".to_string(),
        };
        let partners = engine.plan().partners();
        let psel = usize::from(b.u8());
        let partner = match psel % (partners.len() + 2) {
            0 => None,
            k => Some(partners.get(k - 1).map_or("ZZZ".to_string(), |p| p.id.clone())),
        };
        let known_phase = engine.plan().phase(&phase).is_some();
        let d = engine.decide(&track, &phase, partner.as_deref());
        check_decision_shape(engine, &track, &d, known_phase.then_some(phase.as_str()));
        if !track.is_valid() {
            assert!(!d.is_permit(), "invalid track permitted: {track:?}");
        }
        let again = engine.decide(&track, &phase, partner.as_deref());
        assert!(
            again.verdict == d.verdict && again.reasons == d.reasons && again.zone == d.zone,
            "decide must be deterministic"
        );
        let d = engine.decide_at_track_time(&track, partner.as_deref());
        check_decision_shape(engine, &track, &d, None);
    }
}
