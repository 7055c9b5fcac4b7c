//! How `locate` and the index build scale with the number of vertices.
//!
//! - `scaling_densified`: the 27 oblasts with every edge split into 1, 10 and 100 pieces
//!   (≈ 20k, 200k, 2M vertices). Shared borders are split identically from both sides, so
//!   they stay shared.
//! - `scaling_synthetic`: a 10 × 10 lattice of star-shaped polygons over the same box with
//!   1k, 10k, 100k and 1M vertices in all.
//! - `build`: `ZoneIndex::new` on the oblasts (20k) and on the 1M-vertex lattice.
//!
//! Every setup asserts that `locate` equals the reference `Zone::position` on every bench
//! point. Run with `cargo bench --bench scaling`. Under `cargo test` (no `--bench`
//! argument) only the small sets are built, so the test run stays quick.
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a bench aborts loudly when its fixed setup is broken"
)]

use criterion::{black_box, criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use sanctuary::{
    geojson::zones_from_geojson_file,
    geometry::{Position, ZoneGeometry},
    index::Location,
    Zone, ZoneIndex,
};
use std::time::{Duration, Instant};

const N_POINTS: usize = 10_000;

#[path = "common/inputs.rs"]
mod inputs;
use inputs::{uniform_points as points, SplitMix};

/// True under `cargo bench`; false under `cargo test --all-targets` (one quick pass).
fn full_run() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn oblasts() -> Vec<Zone> {
    let path = format!("{}/data/ukraine-oblasts.geojson", env!("CARGO_MANIFEST_DIR"));
    zones_from_geojson_file(&path).expect("oblasts load")
}

/// Splits every edge into `k` pieces. Points are computed from the lexicographically
/// smaller endpoint, so an edge shared by two zones gets the same new vertices.
fn densify(zones: &[Zone], k: usize) -> Vec<Zone> {
    let split = |ring: Vec<[f64; 2]>| -> Vec<[f64; 2]> {
        let mut out = Vec::with_capacity(ring.len() * k);
        for w in ring.windows(2) {
            let (a, b) = (w[0], w[1]);
            out.push(a);
            let (lo, hi, fwd) = if (a[0], a[1]) <= (b[0], b[1]) {
                (a, b, true)
            } else {
                (b, a, false)
            };
            let mut mids: Vec<[f64; 2]> = (1..k)
                .map(|i| {
                    let t = i as f64 / k as f64;
                    [lo[0] + (hi[0] - lo[0]) * t, lo[1] + (hi[1] - lo[1]) * t]
                })
                .collect();
            if !fwd {
                mids.reverse();
            }
            out.extend(mids);
        }
        out.extend(ring.last().copied());
        out
    };
    zones
        .iter()
        .map(|z| {
            let mut spec = z.to_spec();
            spec.geometry = match spec.geometry {
                ZoneGeometry::Polygon { rings } => ZoneGeometry::Polygon {
                    rings: rings.into_iter().map(split).collect(),
                },
                ZoneGeometry::MultiPolygon { polygons } => ZoneGeometry::MultiPolygon {
                    polygons: polygons
                        .into_iter()
                        .map(|p| p.into_iter().map(split).collect())
                        .collect(),
                },
                other => other,
            };
            Zone::try_from(spec).expect("densified zone stays valid")
        })
        .collect()
}

/// A 10 × 10 lattice of star-shaped polygons over lon 22..40.5, lat 44..52.5 with about
/// `total` vertices in all.
fn lattice(total: usize) -> Vec<Zone> {
    let per = (total / 100).max(3);
    let mut rng = SplitMix(0xC0FFEE ^ total as u64);
    let (w, h) = (18.5 / 10.0, 8.5 / 10.0);
    let mut zones = Vec::new();
    for i in 0..10 {
        for j in 0..10 {
            let (cx, cy) = (22.0 + (i as f64 + 0.5) * w, 44.0 + (j as f64 + 0.5) * h);
            // A smooth wavy outline, so edges stay short as vertices are added (like a
            // densified coastline) rather than turning into long spikes.
            let (f1, f2) = (
                std::f64::consts::TAU * rng.unit(),
                std::f64::consts::TAU * rng.unit(),
            );
            let mut ring: Vec<[f64; 2]> = (0..per)
                .map(|v| {
                    let t = std::f64::consts::TAU * v as f64 / per as f64;
                    let r = 0.4 + 0.05 * (5.0 * t + f1).sin() + 0.03 * (11.0 * t + f2).sin();
                    [cx + r * w * t.cos(), cy + r * h * t.sin()]
                })
                .collect();
            ring.push(ring[0]);
            zones.push(
                Zone::builder(format!("s{i:02}{j:02}"), ZoneGeometry::polygon(vec![ring]))
                    .build()
                    .expect("star polygon is valid"),
            );
        }
    }
    zones
}

fn vertices(zones: &[Zone]) -> usize {
    zones.iter().map(Zone::vertex_count).sum()
}

/// Asserts `locate` equals `Zone::position` for every point and every zone whose bounds
/// hold it (zones whose bounds do not hold the point are outside by construction, which
/// `locate` must also say).
fn assert_exact(index: &ZoneIndex, pts: &[(f64, f64)]) -> usize {
    let mut loc = Location::default();
    let mut sum = 0;
    for &(x, y) in pts {
        index.locate_into(x, y, &mut loc).expect("valid point");
        let mut inside = Vec::new();
        let mut boundary = Vec::new();
        for (i, z) in index.zones().iter().enumerate() {
            let b = z.bounds();
            if x < b[0] || x > b[2] || y < b[1] || y > b[3] {
                continue;
            }
            match z.position(x, y).expect("valid point") {
                Position::Inside => inside.push(i),
                Position::OnBoundary => boundary.push(i),
                Position::Outside => {}
            }
        }
        let got: Vec<usize> = loc.inside.iter().map(|h| h.index()).collect();
        assert_eq!(got, inside, "at ({x}, {y})");
        let got: Vec<usize> = loc.boundary.iter().map(|h| h.index()).collect();
        assert_eq!(got, boundary, "at ({x}, {y})");
        sum += inside.iter().map(|i| i + 1).sum::<usize>();
    }
    sum
}

fn checksum(index: &ZoneIndex, pts: &[(f64, f64)], loc: &mut Location) -> usize {
    let mut sum = 0;
    for &(x, y) in pts {
        index.locate_into(x, y, loc).expect("valid point");
        sum += loc.inside.iter().map(|h| h.index() + 1).sum::<usize>();
    }
    sum
}

fn run_set(c: &mut Criterion, group: &str, sets: Vec<(String, Vec<Zone>)>) {
    let pts = points(N_POINTS, 0x5A4C_7A01);
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(pts.len() as u64));
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for (label, zones) in sets {
        let n = vertices(&zones);
        let t = Instant::now();
        let index = ZoneIndex::new(zones).expect("index");
        let build = t.elapsed();
        let bytes = index.locate_index_bytes();
        eprintln!(
            "{group}/{label}: {n} vertices, build {:.1} ms, locate index {:.1} MB = {:.2}x raw vertices ({:.1} MB)",
            build.as_secs_f64() * 1e3,
            bytes as f64 / 1e6,
            bytes as f64 / (16.0 * n as f64),
            16.0 * n as f64 / 1e6
        );
        let expected = assert_exact(&index, &pts);
        let mut loc = Location::default();
        g.bench_function(BenchmarkId::new("ours", &label), |b| {
            b.iter(|| assert_eq!(checksum(&index, black_box(&pts), &mut loc), expected))
        });
    }
    g.finish();
}

fn bench_densified(c: &mut Criterion) {
    let base = oblasts();
    let factors: &[usize] = if full_run() { &[1, 10, 100] } else { &[1, 2] };
    let sets = factors
        .iter()
        .map(|&k| {
            let zones = densify(&base, k);
            (format!("x{k}_{}v", vertices(&zones)), zones)
        })
        .collect();
    run_set(c, "scaling_densified", sets);
}

fn bench_synthetic(c: &mut Criterion) {
    let totals: &[usize] = if full_run() {
        &[1_000, 10_000, 100_000, 1_000_000]
    } else {
        &[1_000, 10_000]
    };
    let sets = totals.iter().map(|&n| (format!("{n}v"), lattice(n))).collect();
    run_set(c, "scaling_synthetic", sets);
}

fn bench_build(c: &mut Criterion) {
    let mut g = c.benchmark_group("build");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let mut sets = vec![("oblasts_20k".to_string(), oblasts())];
    if full_run() {
        sets.push(("lattice_1M".to_string(), lattice(1_000_000)));
    }
    for (label, zones) in sets {
        let n = vertices(&zones);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::new("zone_index_new", &label), |b| {
            b.iter_batched(
                || zones.clone(),
                |z| {
                    let index = ZoneIndex::new(z).expect("index");
                    assert!(index.locate_index_bytes() > 0);
                    index
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bench_densified, bench_synthetic, bench_build);
criterion_main!(benches);
