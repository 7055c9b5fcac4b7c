//! Differential test of the rule engine: `Engine::decide` against a deliberately simple
//! reference decision (`oracle.rs`) written from the documented semantics, on random
//! plans of lattice boxes and random tracks, many of them exactly on or metres from edges
//! and vertices. Verdicts, reason lists and deciding zones must be identical, margins
//! within 1 m. Prints the number of cases, permits and denies compared.

// Test code: a failed expectation should stop the test with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod gen;
mod oracle;

use gen::{Layout, PlanSpec, Query};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use sanctuary::{engine::Velocity, Engine, Plan, Track};
use std::cell::Cell;

#[derive(Default)]
struct Stats {
    plans: Cell<usize>,
    cases: Cell<usize>,
    permits: Cell<usize>,
    denies: Cell<usize>,
    knife_edge: Cell<usize>,
}

fn bump(c: &Cell<usize>) {
    c.set(c.get() + 1);
}

fn track(q: &Query) -> Track {
    let mut t = Track::new("q", q.lon, q.lat, q.alt, q.class, q.identity);
    t.uncertainty_m = q.uncertainty;
    t.velocity = q.velocity.map(|(speed_mps, heading_deg)| Velocity {
        speed_mps,
        heading_deg,
    });
    t.tti_s = q.tti;
    t
}

fn compare(spec: &PlanSpec, queries: &[Query], stats: &Stats) -> Result<(), TestCaseError> {
    let json = spec.to_json();
    let plan = Plan::from_json_str(&json.to_string())
        .map_err(|e| TestCaseError::fail(format!("generated plan refused: {e}\n{json}")))?;
    let engine = Engine::new(plan);
    let zones = oracle::zones(spec);
    bump(&stats.plans);
    for q in queries {
        let phase = q
            .phase
            .map_or_else(|| "no-such-phase".to_string(), PlanSpec::phase_id);
        let partner = match q.partner {
            None => None,
            Some(None) => Some("ZZZ".to_string()),
            Some(Some(k)) => Some(spec.partners[k].id.clone()),
        };
        let got = engine.decide(&track(q), &phase, partner.as_deref());
        let want = oracle::decide(spec, &zones, q);
        if want.knife_edge {
            bump(&stats.knife_edge);
            continue;
        }
        bump(&stats.cases);
        bump(if want.permit {
            &stats.permits
        } else {
            &stats.denies
        });
        let same = |want: &oracle::Answer| {
            got.is_permit() == want.permit
                && got.reasons == want.reasons
                && got.zone.as_deref() == want.zone.as_deref()
                && match (got.margin_m, want.margin) {
                    (Some(a), Some(b)) => (a - b).abs() <= 1.0,
                    _ => true,
                }
        };
        let context = || {
            format!("\nplan: {json}\nquery: {q:?}\nphase {phase}, partner {partner:?}\nengine: {got:?}\noracle: {want:?}")
        };
        if !same(&want) {
            return Err(TestCaseError::fail(format!(
                "engine and oracle disagree (verdict, reasons, zone, or margin by more than 1 m){}",
                context()
            )));
        }
    }
    Ok(())
}

fn run(layout: Layout, debug_cases: u32, release_cases: u32) {
    let cases = std::env::var("ORACLE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            debug_cases
        } else {
            release_cases
        });
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let stats = Stats::default();
    let result = runner.run(&gen::case(layout), |(spec, queries)| {
        compare(&spec, &queries, &stats)
    });
    eprintln!(
        "engine_oracle {layout:?}: {} plans, {} cases compared: {} permits, {} denies \
         ({} knife-edge cases skipped)",
        stats.plans.get(),
        stats.cases.get(),
        stats.permits.get(),
        stats.denies.get(),
        stats.knife_edge.get(),
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Any lattice boxes: overlapping, nested, sharing whole or partial edges.
#[test]
fn engine_agrees_with_oracle_on_free_lattice_boxes() {
    run(Layout::Free, 4000, 30_000);
}

/// Boxes from one rectilinear tiling (possibly repeated): only whole shared edges.
#[test]
fn engine_agrees_with_oracle_on_tiled_boxes() {
    run(Layout::Tiled, 2500, 20_000);
}

/// The oracle's distance to a segment matches the geodesic distance to its nearest
/// endpoint when that is the nearest point, and is symmetric in the segment's direction.
#[test]
fn oracle_segment_distance_is_sane() {
    let p = (22.3, 47.1);
    let d = oracle::segment_distance(p, (22.0, 47.0), (22.0, 47.5));
    let d_rev = oracle::segment_distance(p, (22.0, 47.5), (22.0, 47.0));
    assert!((d - d_rev).abs() < 1e-6);
    // Along a meridian, the nearest point is at the same latitude (to within metres).
    let direct = sanctuary::geometry::geodesic_distance_m(p.0, p.1, 22.0, 47.1);
    assert!(d <= direct && direct - d < 5.0, "{d} vs {direct}");
    // Beyond the end, the endpoint is nearest.
    let q = (22.0, 48.0);
    let end = sanctuary::geometry::geodesic_distance_m(q.0, q.1, 22.0, 47.5);
    assert!((oracle::segment_distance(q, (22.0, 47.0), (22.0, 47.5)) - end).abs() < 1e-6);
}
