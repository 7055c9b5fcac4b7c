//! Hot plan replacement under load: two threads decide while a third swaps between two
//! valid plans and tries an invalid one. Every decision must name one of the two plans
//! and equal what an engine on that plan alone decides.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failed expectation is a test failure (clippy.toml only covers #[test] fns)"
)]

use sanctuary::{
    plan::{Identity, PlanError, PlanHash, TargetClass},
    shared::SharedEngine,
    Decision, Engine, Plan, Track,
};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Decisions each decider makes at most.
const DECISIONS_PER_THREAD: usize = 40_000;
/// The test stops deciding after this long whatever the count.
const DEADLINE: Duration = Duration::from_secs(4);

fn boxed(lon0: f64, lat0: f64, lon1: f64, lat1: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]]})
}

/// The engine tests' two-box plan with a given standoff: sanctuaries A (20-25 E) and B
/// (25-30 E) between 48 and 50 N, an exclusion inside B.
fn two_box(name: &str, standoff_m: f64) -> Value {
    json!({
        "name": name,
        "phases": [{"id": "0", "name": "none"}, {"id": "1", "name": "A"}, {"id": "2", "name": "A+B"}],
        "partners": [{"id": "P1"}],
        "default_rules": [{"classes": ["uas", "cruise_missile"], "weapons": "tight", "floor_m": 0,
                           "ceiling_m": 10000, "standoff_m": standoff_m}],
        "zones": [
            {"id": "A", "geometry": boxed(20.0, 48.0, 25.0, 50.0), "active_from": "1"},
            {"id": "B", "geometry": boxed(25.0, 48.0, 30.0, 50.0), "active_from": "2"},
            {"id": "X", "kind": "exclusion", "geometry": boxed(26.0, 48.5, 27.0, 49.0), "active_from": "1"}
        ]
    })
}

fn write(dir: &Path, name: &str, plan: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(plan).unwrap()).unwrap();
    path
}

/// Tracks on a grid over both boxes and beyond, at distances from the edges on both sides
/// of the two standoffs.
fn tracks() -> Vec<Track> {
    let lons = [
        19.99, 20.05, 20.1, 20.2, 21.0, 22.5, 24.9, 25.0, 25.1, 26.5, 28.0, 29.9, 29.95, 30.05,
    ];
    let lats = [
        47.99, 48.01, 48.05, 48.1, 48.15, 48.5, 49.0, 49.85, 49.95, 49.99, 50.01,
    ];
    let mut out = Vec::new();
    for (i, &lon) in lons.iter().enumerate() {
        for (j, &lat) in lats.iter().enumerate() {
            let class = if (i + j) % 5 == 0 {
                TargetClass::MannedAircraft
            } else {
                TargetClass::Uas
            };
            out.push(Track::new(
                format!("t{i}-{j}"),
                lon,
                lat,
                1000.0,
                class,
                Identity::Hostile,
            ));
        }
    }
    out
}

#[test]
fn decisions_stay_consistent_while_plans_are_swapped() {
    let dir = std::env::temp_dir().join(format!("sanctuary-hot-swap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let near = write(&dir, "near.plan.json", &two_box("near", 2_000.0));
    let far = write(&dir, "far.plan.json", &two_box("far", 20_000.0));
    let mut bad = two_box("bad", 2_000.0);
    bad["zones"][1]["active_from"] = json!("9");
    let bad = write(&dir, "bad.plan.json", &bad);

    let plan_near = Plan::from_file(&near).unwrap();
    let plan_far = Plan::from_file(&far).unwrap();
    let (h_near, h_far) = (*plan_near.hash(), *plan_far.hash());
    assert_ne!(h_near, h_far);

    // What an engine on each plan alone decides for every track.
    let tracks = tracks();
    let phase = "2";
    let mut expected: HashMap<PlanHash, Vec<Decision>> = HashMap::new();
    for plan in [plan_near.clone(), plan_far] {
        let engine = Engine::new(plan);
        expected.insert(*engine.plan().hash(), engine.decide_many(&tracks, phase, None));
    }
    let differ = (0..tracks.len())
        .filter(|&k| expected[&h_near][k].verdict != expected[&h_far][k].verdict)
        .count();
    assert!(differ >= 10, "only {differ} tracks differ between the plans");

    let shared = SharedEngine::new(plan_near);
    let done = AtomicBool::new(false);
    let swaps = AtomicUsize::new(0);
    let refused = AtomicUsize::new(0);
    let start = Instant::now();
    let (counts, elapsed) = std::thread::scope(|s| {
        let swapper = s.spawn(|| {
            let mut k = 0usize;
            while !done.load(Ordering::Acquire) {
                // far (pinned), the invalid plan, near, a valid plan with the wrong pin.
                match k % 4 {
                    0 => {
                        let r = shared.replace_from_file(&far, Some(&h_far.to_string())).unwrap();
                        assert_eq!((r.old, r.new), (h_near, h_far));
                        swaps.fetch_add(1, Ordering::Relaxed);
                    }
                    1 | 3 => {
                        let before = shared.current_hash();
                        let err = if k % 4 == 1 {
                            let e = shared.replace_from_file(&bad, None).unwrap_err();
                            assert_eq!(e.place(), Some("zones[1].active_from"), "{e}");
                            e
                        } else {
                            let e = shared
                                .replace_from_file(&near, Some(&h_far.to_string()))
                                .unwrap_err();
                            assert!(matches!(e, PlanError::HashMismatch { .. }), "{e}");
                            e
                        };
                        drop(err);
                        // The plan in force is unchanged (only this thread swaps).
                        assert_eq!(shared.current_hash(), before);
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        let r = shared.replace_from_file(&near, None).unwrap();
                        assert_eq!((r.old, r.new), (h_far, h_near));
                        swaps.fetch_add(1, Ordering::Relaxed);
                    }
                }
                k += 1;
            }
        });
        let deciders: Vec<_> = (0..2)
            .map(|t| {
                let (shared, tracks, expected, swaps) = (&shared, &tracks, &expected, &swaps);
                let (h_near, h_far) = (&h_near, &h_far);
                s.spawn(move || {
                    let mut seen: HashMap<PlanHash, usize> = HashMap::new();
                    let mut n = 0usize;
                    while n < DECISIONS_PER_THREAD || swaps.load(Ordering::Relaxed) < 4 {
                        if start.elapsed() > DEADLINE {
                            break;
                        }
                        let k = (n * 7 + t * 13) % tracks.len();
                        let d = shared.decide(&tracks[k], phase, None);
                        assert!(
                            d.plan_hash == *h_near || d.plan_hash == *h_far,
                            "unknown plan hash {}",
                            d.plan_hash
                        );
                        assert_eq!(
                            d, expected[&d.plan_hash][k],
                            "track {k} under plan {}",
                            d.plan_hash
                        );
                        *seen.entry(d.plan_hash).or_default() += 1;
                        n += 1;
                    }
                    seen
                })
            })
            .collect();
        let counts: Vec<HashMap<PlanHash, usize>> = deciders.into_iter().map(|h| h.join().unwrap()).collect();
        let elapsed = start.elapsed();
        done.store(true, Ordering::Release);
        swapper.join().unwrap();
        (counts, elapsed)
    });
    std::fs::remove_dir_all(&dir).ok();

    let total: usize = counts.iter().flat_map(|c| c.values()).sum();
    let per_plan = |h: &PlanHash| {
        counts
            .iter()
            .map(|c| c.get(h).copied().unwrap_or(0))
            .sum::<usize>()
    };
    let swaps = swaps.into_inner();
    eprintln!(
        "hot swap: {total} decisions in {:.2} s on 2 threads = {:.0} decisions/s during {swaps} swaps and {} refused replacements ({} under `near`, {} under `far`)",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        refused.into_inner(),
        per_plan(&h_near),
        per_plan(&h_far),
    );
    assert!(total > 0);
    assert!(swaps >= 4, "only {swaps} swaps");
    assert!(
        per_plan(&h_near) > 0 && per_plan(&h_far) > 0,
        "both plans must have decided"
    );
}

#[test]
fn a_batch_is_decided_under_one_plan_while_plans_are_swapped() {
    let plan_near = Plan::from_json_str(&two_box("near", 2_000.0).to_string()).unwrap();
    let plan_far = Plan::from_json_str(&two_box("far", 20_000.0).to_string()).unwrap();
    let (h_near, h_far) = (*plan_near.hash(), *plan_far.hash());
    // A long batch (the grid, many times over), so that swaps fall inside batches.
    let grid = tracks();
    let batch: Vec<Track> = (0..20).flat_map(|_| grid.iter().cloned()).collect();
    let phase = "2";
    let mut expected: HashMap<PlanHash, Vec<Decision>> = HashMap::new();
    for plan in [plan_near.clone(), plan_far.clone()] {
        let engine = Engine::new(plan);
        expected.insert(*engine.plan().hash(), engine.decide_many(&batch, phase, None));
    }
    assert_ne!(expected[&h_near], expected[&h_far]);

    let shared = SharedEngine::new(plan_near.clone());
    let done = AtomicBool::new(false);
    let swaps = AtomicUsize::new(0);
    let start = Instant::now();
    let seen = std::thread::scope(|s| {
        let swapper = s.spawn(|| {
            let mut k = 0usize;
            while !done.load(Ordering::Acquire) {
                let (plan, old) = if k.is_multiple_of(2) {
                    (plan_far.clone(), h_near)
                } else {
                    (plan_near.clone(), h_far)
                };
                let replaced = shared.replace(plan);
                assert_eq!(replaced.old, old);
                assert!(replaced.changed());
                swaps.fetch_add(1, Ordering::Relaxed);
                k += 1;
                std::thread::yield_now();
            }
        });
        let mut seen: HashMap<PlanHash, usize> = HashMap::new();
        let mut batches = 0usize;
        while batches < 40 || seen.len() < 2 {
            if start.elapsed() > DEADLINE {
                break;
            }
            let decisions = shared.decide_many(&batch, phase, None);
            let h = decisions[0].plan_hash;
            assert!(h == h_near || h == h_far, "unknown plan hash {h}");
            // Every decision of the batch is the one an engine on that plan alone makes.
            assert_eq!(decisions, expected[&h], "batch {batches} mixes plans");
            let records = shared.audit_many(&batch, phase, None);
            let h = records[0].decision.plan_hash;
            assert!(records
                .iter()
                .zip(&expected[&h])
                .all(|(r, d)| r.decision == *d && r.phase == phase));
            *seen.entry(h).or_default() += 1;
            batches += 1;
        }
        done.store(true, Ordering::Release);
        swapper.join().unwrap();
        seen
    });
    let swaps = swaps.into_inner();
    assert!(swaps >= 4, "only {swaps} swaps");
    assert_eq!(seen.len(), 2, "both plans must have decided batches: {seen:?}");
}
