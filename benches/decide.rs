//! Full decisions on the embedded Safe Haven plan: containment, rules, exclusions, standoff
//! and uncertainty. Group `decide`: `ours` on uniformly random tracks over the region,
//! `ours_near_boundary` on tracks within a few km of a sanctuary edge (where the exact
//! geodesic distance is needed). Per-track latency percentiles are printed as well.

// Benchmark set-up runs on fixed, known-good data: a failure there should stop the bench.
#![allow(clippy::expect_used, clippy::indexing_slicing)]

use criterion::{black_box, criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use sanctuary::{geometry::ZoneKind, Engine, Plan, Track};
use std::time::{Duration, Instant};

#[path = "common/inputs.rs"]
mod inputs;
use inputs::{random_track, uniform_tracks, SplitMix as Rng};

/// Tracks within a few km of an active sanctuary's edge in phase 6: walk from random points
/// inside sanctuaries until the signed distance to the zone is below 5 km.
fn near_boundary_tracks(engine: &Engine, n: usize) -> Vec<Track> {
    let plan = engine.plan();
    let index = plan.index();
    let sanctuaries: Vec<_> = index
        .zones()
        .iter()
        .enumerate()
        .filter(|(_, z)| z.kind() == ZoneKind::Sanctuary)
        .map(|(i, z)| (i, z.bounds()))
        .collect();
    let mut rng = Rng(0x5A17_C7A2_0000_0002);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let (zi, b) = rng.pick(&sanctuaries).expect("the plan has sanctuaries");
        let (lon, lat) = (rng.range(b[0], b[2]), rng.range(b[1], b[3]));
        let zone = &index.zones()[zi];
        if let Ok(d) = zone.signed_distance_m(lon, lat) {
            if d.abs() < 5_000.0 {
                let i = out.len();
                out.push(random_track(&mut rng, i, lon, lat));
            }
        }
    }
    out
}

/// Per-track latency: every track is timed once per round, over `ROUNDS` rounds of the
/// whole set, and each track's median is kept (a track's own cost, robust to the shared
/// machine's interruptions); the percentiles are over tracks. The first round alone (each
/// track decided once, caches cold for it) is reported beside it.
fn percentiles(engine: &Engine, tracks: &[Track], label: &str) {
    const ROUNDS: usize = 11;
    let mut per_track: Vec<Vec<Duration>> = vec![Vec::with_capacity(ROUNDS); tracks.len()];
    for _ in 0..ROUNDS {
        for (t, times) in tracks.iter().zip(per_track.iter_mut()) {
            let start = Instant::now();
            black_box(engine.decide(black_box(t), "6", None));
            times.push(start.elapsed());
        }
    }
    let report = |what: &str, mut times: Vec<Duration>| {
        times.sort();
        let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
        eprintln!(
            "decide/{label}: {what}: p50 {:?} p90 {:?} p99 {:?} max {:?} over {} tracks",
            at(0.5),
            at(0.9),
            at(0.99),
            at(1.0),
            times.len()
        );
    };
    report(
        "first pass, one call per track",
        per_track.iter().map(|t| t[0]).collect(),
    );
    report(
        "per-track median of 11 rounds",
        per_track
            .iter_mut()
            .map(|t| {
                t.sort();
                t[ROUNDS / 2]
            })
            .collect(),
    );
}

fn bench_decide(c: &mut Criterion) {
    let engine = Engine::new(Plan::safe_haven().expect("embedded plan loads"));
    let uniform = uniform_tracks(2_000);
    let near = near_boundary_tracks(&engine, 500);
    // The bench also checks: the same tracks give the same decisions twice, and some are
    // permitted, so the optimiser cannot skip the work and the set is not all-deny.
    let first: Vec<_> = uniform.iter().map(|t| engine.decide(t, "6", None)).collect();
    let second: Vec<_> = uniform.iter().map(|t| engine.decide(t, "6", None)).collect();
    assert_eq!(first, second);
    let permits = first.iter().filter(|d| d.is_permit()).count();
    assert!(permits > 0, "no permit among the random tracks");
    eprintln!(
        "decide: {permits} of {} uniform tracks permitted in phase 6",
        uniform.len()
    );
    percentiles(&engine, &uniform, "uniform");
    percentiles(&engine, &near, "near_boundary");

    let mut group = c.benchmark_group("decide");
    group.sample_size(20).measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Elements(uniform.len() as u64));
    group.bench_function(BenchmarkId::new("ours", "uniform"), |b| {
        b.iter(|| {
            let mut permits = 0usize;
            for t in &uniform {
                permits += usize::from(engine.decide(black_box(t), "6", None).is_permit());
            }
            permits
        })
    });
    group.throughput(Throughput::Elements(near.len() as u64));
    group.bench_function(BenchmarkId::new("ours_near_boundary", "near"), |b| {
        b.iter(|| {
            let mut permits = 0usize;
            for t in &near {
                permits += usize::from(engine.decide(black_box(t), "6", None).is_permit());
            }
            permits
        })
    });
    group.finish();

    // Group `decide_many`: the batch API, serial and (with the `rayon` feature) on 1 and 2
    // threads, same tracks, same answers.
    let expected = engine.decide_many(&uniform, "6", None);
    assert_eq!(expected, first);
    let mut group = c.benchmark_group("decide_many");
    group.sample_size(20).measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Elements(uniform.len() as u64));
    // Only the call is timed; each batch of decisions is dropped untimed right after it
    // (see `locate_many` in benches/point_in_zone.rs).
    #[cfg(not(feature = "rayon"))]
    group.bench_function("serial", |b| {
        b.iter_batched(
            || (),
            |()| engine.decide_many(black_box(&uniform), "6", None),
            BatchSize::PerIteration,
        )
    });
    #[cfg(feature = "rayon")]
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        assert_eq!(pool.install(|| engine.decide_many(&uniform, "6", None)), first);
        group.bench_function(format!("rayon_{threads}_threads"), |b| {
            b.iter_batched(
                || (),
                |()| pool.install(|| engine.decide_many(black_box(&uniform), "6", None)),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench_decide);
criterion_main!(benches);
