//! Serde round trips of tracks, decisions, audit records and plans are bit-exact: every
//! `f64` is compared with `to_bits`, over the whole finite range (subnormals, ±0, many
//! digits). JSON has no NaN or infinity: serde_json writes them as `null`; an audit record
//! holding one is refused when read back, and a track's required number is refused too.

use proptest::prelude::*;
use sanctuary::{
    audit::AuditRecord,
    engine::Velocity,
    geometry::{ZoneGeometry, ZoneSpec},
    plan::{Identity, TargetClass},
    Decision, Engine, Plan, Track,
};
use std::sync::OnceLock;

/// Any finite `f64`: random bits (all magnitudes, subnormals included), the edge values,
/// and short decimals.
fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => any::<u64>().prop_map(f64::from_bits).prop_filter("finite", |x| x.is_finite()),
        1 => prop::sample::select(vec![0.0, -0.0, f64::MIN_POSITIVE, 5e-324, -5e-324, f64::MAX, f64::MIN, f64::EPSILON, 0.1, 1e23]),
        2 => (-1_000_000i64..1_000_000, 0u32..8).prop_map(|(m, e)| m as f64 / 10f64.powi(e as i32)),
    ]
}

fn opt_finite() -> impl Strategy<Value = Option<f64>> {
    prop::option::of(finite())
}

fn track() -> impl Strategy<Value = Track> {
    (
        "[a-zA-Z0-9_-]{1,30}",
        (finite(), finite(), finite()),
        (0..TargetClass::ALL.len(), 0..5usize),
        (
            opt_finite(),
            opt_finite(),
            prop::option::of((finite(), finite())),
            opt_finite(),
        ),
    )
        .prop_map(|(id, (lon, lat, alt), (c, i), (time, unc, vel, tti))| {
            let identity = [
                Identity::Hostile,
                Identity::Suspect,
                Identity::Unknown,
                Identity::Neutral,
                Identity::Friend,
            ][i];
            let mut t = Track::new(id.as_str(), lon, lat, alt, TargetClass::ALL[c], identity);
            t.time_unix_s = time;
            t.uncertainty_m = unc;
            t.velocity = vel.map(|(speed_mps, heading_deg)| Velocity {
                speed_mps,
                heading_deg,
            });
            t.tti_s = tti;
            t
        })
}

/// Every number of a track, as bits.
fn track_bits(t: &Track) -> Vec<Option<u64>> {
    let b = |x: Option<f64>| x.map(f64::to_bits);
    vec![
        Some(t.lon.to_bits()),
        Some(t.lat.to_bits()),
        Some(t.alt_m.to_bits()),
        b(t.time_unix_s),
        b(t.uncertainty_m),
        b(t.velocity.map(|v| v.speed_mps)),
        b(t.velocity.map(|v| v.heading_deg)),
        b(t.tti_s),
    ]
}

/// A 1° square sanctuary at the origin, UAS weapons tight.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::new(
            Plan::from_json_str(
                r#"{"name": "demo", "phases": [{"id": "0", "name": "all"}],
                "default_rules": [{"classes": ["uas"], "weapons": "tight", "standoff_m": 0}],
                "zones": [{"id": "sq", "geometry": {"type": "Polygon",
                  "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#,
            )
            .unwrap(),
        )
    })
}

fn decision_bits(d: &Decision) -> Option<u64> {
    d.margin_m.map(f64::to_bits)
}

const CASES: u32 = 1000;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn tracks_round_trip_bit_exactly(t in track()) {
        let back: Track = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        prop_assert_eq!(track_bits(&back), track_bits(&t));
        prop_assert_eq!(back, t);
    }

    #[test]
    fn decisions_and_audit_records_round_trip_bit_exactly(t in track(), inside in any::<bool>(), margin in opt_finite(), keep in any::<bool>()) {
        // A real decision (half the time on a valid track inside the square, so permits
        // with real margins occur), then, half the time, a random margin.
        let t = if inside {
            Track::new(t.id.as_str(), t.lon.abs().fract(), t.lat.abs().fract(), 100.0, TargetClass::Uas, Identity::Hostile)
        } else {
            t
        };
        let mut record = engine().audit(&t, "0", None);
        if !keep {
            record.decision = Decision { margin_m: margin, ..record.decision };
        }
        let d = &record.decision;
        let back: Decision = serde_json::from_str(&serde_json::to_string(d).unwrap()).unwrap();
        prop_assert_eq!(decision_bits(&back), decision_bits(d));
        prop_assert_eq!(&back, d);

        let line = record.to_json_line();
        let back = AuditRecord::from_json_line(&line).unwrap();
        prop_assert_eq!(track_bits(&back.track), track_bits(&record.track));
        prop_assert_eq!(decision_bits(&back.decision), decision_bits(&record.decision));
        prop_assert_eq!(back, record);
    }

    #[test]
    fn a_non_finite_number_in_an_audited_track_is_refused(t in track(), field in 0..8usize, bad in prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY])) {
        let mut t = t;
        match field {
            0 => t.lon = bad,
            1 => t.lat = bad,
            2 => t.alt_m = bad,
            3 => t.time_unix_s = Some(bad),
            4 => t.uncertainty_m = Some(bad),
            5 => t.velocity = Some(Velocity { speed_mps: bad, heading_deg: 0.0 }),
            6 => t.velocity = Some(Velocity { speed_mps: 1.0, heading_deg: bad }),
            _ => t.tti_s = Some(bad),
        }
        let record = engine().audit(&t, "0", None);
        let line = record.to_json_line();
        prop_assert!(line.contains("null"), "{line}");
        prop_assert!(AuditRecord::from_json_line(&line).is_err(), "{line}");
        if field < 3 {
            // A required number of a track: refused by plain serde too.
            prop_assert!(serde_json::from_str::<Track>(&serde_json::to_string(&t).unwrap()).is_err());
        }
    }
}

/// A plan with random numbers everywhere a plan has numbers: a rectangle's corners, a
/// circle's centre and radius, bands, standoffs.
fn plan_text() -> impl Strategy<Value = String> {
    let unit = || (0u64..1 << 52).prop_map(|m| m as f64 / (1u64 << 52) as f64);
    (
        (unit(), unit(), unit(), unit()),
        (unit(), unit(), 1.0f64..100_000.0),
        (finite(), finite(), 0.0f64..1e6, 0.0f64..1e5),
        any::<bool>(),
    )
        .prop_map(|((x, y, w, h), (cx, cy, r), (floor, span, standoff, min_standoff), neg_zero)| {
            let lon0 = -170.0 + 100.0 * x;
            let lat0 = -60.0 + 50.0 * y;
            let (lon1, lat1) = (lon0 + 0.001 + 20.0 * w, lat0 + 0.001 + 20.0 * h);
            let (clon, clat) = (40.0 + 100.0 * cx, -60.0 + 120.0 * cy);
            let floor = floor.clamp(sanctuary::geometry::MIN_ALTITUDE_M, 1e6);
            let ceiling = floor + span.abs().min(1e6);
            // Write 0 as -0.0 sometimes: the hash treats them alike, the round trip keeps the bits.
            let z = if neg_zero { "-0.0" } else { "0" };
            format!(
                r#"{{"name": "random", "phases": [{{"id": "0", "name": "a", "start": "2026-06-01T12:00:00Z"}}, {{"id": "1", "name": "b", "start": "2027-01-01T00:00:00Z"}}],
                "partners": [{{"id": "P", "min_standoff_m": {min_standoff:?}, "excluded_classes": ["manned_aircraft"]}}],
                "default_rules": [{{"classes": ["uas"], "weapons": "tight", "standoff_m": {standoff:?}, "floor_m": {floor:?}, "ceiling_m": {ceiling:?}, "partners": ["P"],
                    "windows": [{{"days": ["mon", "fri"], "from": "08:00", "to": "10:30"}}]}}],
                "zones": [
                  {{"id": "box", "geometry": {{"type": "Polygon", "coordinates": [[[{lon0:?}, {lat0:?}], [{lon1:?}, {lat0:?}], [{lon1:?}, {lat1:?}], [{lon0:?}, {lat1:?}], [{lon0:?}, {lat0:?}]]]}},
                   "windows": [{{"start": "2027-01-01T00:00:00Z", "end": "2028-01-01T00:00:00Z"}}]}},
                  {{"id": "c", "kind": "exclusion", "floor_m": {z}, "geometry": {{"type": "Point", "coordinates": [{clon:?}, {clat:?}]}}, "radius_m": {r:?}, "active_from": "1"}}]}}"#
            )
        })
}

/// A zone spec's id, coordinates (and radius) and band, numbers as bits.
type SpecBits = (String, Vec<u64>, Option<(Option<u64>, Option<u64>)>);

fn spec_bits(s: &ZoneSpec) -> SpecBits {
    let coords: Vec<u64> = match &s.geometry {
        ZoneGeometry::Polygon { rings } => rings.iter().flatten().flatten().map(|x| x.to_bits()).collect(),
        ZoneGeometry::MultiPolygon { polygons } => polygons
            .iter()
            .flatten()
            .flatten()
            .flatten()
            .map(|x| x.to_bits())
            .collect(),
        ZoneGeometry::Circle { center, radius_m } => {
            vec![center[0].to_bits(), center[1].to_bits(), radius_m.to_bits()]
        }
    };
    let band = s
        .band
        .map(|b| (b.floor_m.map(f64::to_bits), b.ceiling_m.map(f64::to_bits)));
    (s.id.clone(), coords, band)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn plans_round_trip_with_the_same_hash_and_zones(text in plan_text()) {
        let plan = Plan::from_json_str(&text).unwrap();
        let json = serde_json::to_string(&plan).unwrap();
        let back: Plan = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back.hash(), plan.hash());
        let specs = |p: &Plan| p.index().zones().iter().map(|z| z.to_spec()).collect::<Vec<_>>();
        let (a, b) = (specs(&plan), specs(&back));
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.iter().map(spec_bits).collect::<Vec<_>>(), b.iter().map(spec_bits).collect::<Vec<_>>());
        prop_assert_eq!(back.zone_plans(), plan.zone_plans());
        let standoffs = |p: &Plan| p.zone_plans().iter().flat_map(|z| z.rules.iter().map(|r| r.standoff_m().to_bits())).collect::<Vec<_>>();
        prop_assert_eq!(standoffs(&back), standoffs(&plan));
        prop_assert_eq!(back.partners()[0].min_standoff_m.to_bits(), plan.partners()[0].min_standoff_m.to_bits());
        // Writing again gives the same text.
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }
}
