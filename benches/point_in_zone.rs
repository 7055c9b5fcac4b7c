//! Point location against the 27 Ukrainian oblasts: ours beside three `geo` baselines, on
//! the same 10,000 fixed-seed points. Each setup asserts that every answer agrees with the
//! reference (`Zone::position` for ours, our inside-sets for the baselines), so the
//! optimiser cannot cheat and a fast wrong index cannot pass.
//!
//! `cargo bench --bench point_in_zone` (add `--features rayon` for the parallel group).
#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a bench aborts loudly when its fixed setup is broken"
)]

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, SamplingMode, Throughput};
use geo::algorithm::indexed::IntervalTreeMultiPolygon;
use geo::{Contains, LineString, MultiPolygon, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::RTree;
use sanctuary::{
    geojson::zones_from_geojson_file,
    geometry::{Position, ZoneGeometry},
    index::Location,
    Zone, ZoneIndex,
};
use std::time::Duration;

const N_POINTS: usize = 10_000;

#[path = "common/inputs.rs"]
mod inputs;
use inputs::uniform_points as points;

fn oblasts() -> Vec<Zone> {
    let path = format!("{}/data/ukraine-oblasts.geojson", env!("CARGO_MANIFEST_DIR"));
    zones_from_geojson_file(&path).expect("oblasts load")
}

/// The zone as a `geo` multipolygon (same coordinates).
fn to_geo(zone: &Zone) -> MultiPolygon<f64> {
    let polys = match zone.to_spec().geometry {
        ZoneGeometry::Polygon { rings } => vec![rings],
        ZoneGeometry::MultiPolygon { polygons } => polygons,
        ZoneGeometry::Circle { .. } => unreachable!("oblasts are polygons"),
    };
    let ls = |r: Vec<[f64; 2]>| LineString::from(r.into_iter().map(|[x, y]| (x, y)).collect::<Vec<_>>());
    MultiPolygon(
        polys
            .into_iter()
            .map(|mut rings| {
                let shell = rings.remove(0);
                Polygon::new(ls(shell), rings.into_iter().map(ls).collect())
            })
            .collect(),
    )
}

type BoundsTree = RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>;

fn bounds_tree(zones: &[Zone]) -> BoundsTree {
    RTree::bulk_load(
        zones
            .iter()
            .enumerate()
            .map(|(i, z)| {
                let b = z.bounds();
                GeomWithData::new(Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]), i)
            })
            .collect(),
    )
}

/// Sum of (handle + 1) over the zones whose interior holds the point: one number that
/// changes if any answer changes.
fn ours_checksum(index: &ZoneIndex, pts: &[(f64, f64)], loc: &mut Location) -> usize {
    let mut sum = 0;
    for &(x, y) in pts {
        index.locate_into(x, y, loc).expect("valid point");
        sum += loc.inside.iter().map(|h| h.index() + 1).sum::<usize>();
    }
    sum
}

fn baseline_checksum(
    tree: &BoundsTree,
    pts: &[(f64, f64)],
    contains: impl Fn(usize, geo::Coord) -> bool,
) -> usize {
    let mut sum = 0;
    for &(x, y) in pts {
        let c = geo::Coord { x, y };
        for item in tree.locate_all_at_point(&[x, y]) {
            if contains(item.data, c) {
                sum += item.data + 1;
            }
        }
    }
    sum
}

fn bench_locate(c: &mut Criterion) {
    let zones = oblasts();
    let index = ZoneIndex::new(zones.clone()).expect("index");
    let zones = index.zones().to_vec(); // handle order
    let pts = points(N_POINTS, 0x5A4C_7A01);
    let geo_mps: Vec<MultiPolygon<f64>> = zones.iter().map(to_geo).collect();
    let trees: Vec<IntervalTreeMultiPolygon<f64>> =
        geo_mps.iter().map(IntervalTreeMultiPolygon::new).collect();
    let tree = bounds_tree(&zones);

    // Setup check 1: ours is exactly the reference tri-state on every point and zone.
    let mut loc = Location::default();
    let mut counts = [0usize; 3];
    for &(x, y) in &pts {
        index.locate_into(x, y, &mut loc).expect("valid point");
        for (i, z) in zones.iter().enumerate() {
            let reference = z.position(x, y).expect("valid point");
            let h = index.handle(z.id()).expect("handle");
            assert_eq!(h.index(), i);
            let ours = if loc.inside.contains(&h) {
                Position::Inside
            } else if loc.boundary.contains(&h) {
                Position::OnBoundary
            } else {
                Position::Outside
            };
            assert_eq!(ours, reference, "zone {} at ({x}, {y})", z.id());
            counts[ours as usize] += 1;
        }
    }
    assert!(
        counts[0] > N_POINTS / 3,
        "many points fall in some oblast: {counts:?}"
    );
    // Setup check 2: every baseline agrees with ours (interior membership).
    let expected = ours_checksum(&index, &pts, &mut loc);
    let it = |i: usize, c: geo::Coord| trees.get(i).is_some_and(|t| t.contains(&c));
    let mp = |i: usize, c: geo::Coord| geo_mps.get(i).is_some_and(|m| m.contains(&c));
    assert_eq!(baseline_checksum(&tree, &pts, it), expected);
    assert_eq!(baseline_checksum(&tree, &pts, mp), expected);
    let all = |pts: &[(f64, f64)]| -> usize {
        let mut sum = 0;
        for &(x, y) in pts {
            let c = geo::Coord { x, y };
            for (i, m) in geo_mps.iter().enumerate() {
                if m.contains(&c) {
                    sum += i + 1;
                }
            }
        }
        sum
    };
    assert_eq!(all(&pts), expected);

    let mut g = c.benchmark_group("locate");
    g.throughput(Throughput::Elements(pts.len() as u64));
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("ours", |b| {
        b.iter(|| assert_eq!(ours_checksum(&index, black_box(&pts), &mut loc), expected))
    });
    g.bench_function("ours_locate_alloc", |b| {
        b.iter(|| {
            let mut sum = 0;
            for &(x, y) in black_box(&pts) {
                let l = index.locate(x, y).expect("valid point");
                sum += l.inside.iter().map(|h| h.index() + 1).sum::<usize>();
            }
            assert_eq!(sum, expected)
        })
    });
    g.bench_function("geo_interval_tree", |b| {
        b.iter(|| assert_eq!(baseline_checksum(&tree, black_box(&pts), it), expected))
    });
    g.bench_function("geo_rstar", |b| {
        b.iter(|| assert_eq!(baseline_checksum(&tree, black_box(&pts), mp), expected))
    });
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function("geo_all", |b| {
        b.iter(|| assert_eq!(all(black_box(&pts)), expected))
    });
    g.finish();

    bench_many(c, &index, &pts, expected);
    bench_nearest(c, &index, pts.get(..2_000).unwrap_or(&pts));
}

/// Group `nearest_boundary`: `ours` (`ZoneIndex::nearest_boundary`) beside `per_zone`, the
/// plain per-zone search (`Zone::signed_distance_m` for every zone, minimum taken). The setup
/// asserts both give the same distance on every point.
fn bench_nearest(c: &mut Criterion, index: &ZoneIndex, pts: &[(f64, f64)]) {
    let ours = |pts: &[(f64, f64)]| -> f64 {
        pts.iter()
            .map(|&(x, y)| {
                index
                    .nearest_boundary(x, y)
                    .expect("valid")
                    .expect("zones")
                    .distance_m
            })
            .sum()
    };
    let per_zone = |pts: &[(f64, f64)]| -> f64 {
        pts.iter()
            .map(|&(x, y)| {
                index
                    .zones()
                    .iter()
                    .map(|z| z.signed_distance_m(x, y).expect("valid").abs())
                    .fold(f64::INFINITY, f64::min)
            })
            .sum()
    };
    let few = pts.get(..200).unwrap_or(pts);
    for &(x, y) in few {
        let a = index
            .nearest_boundary(x, y)
            .expect("valid")
            .expect("zones")
            .distance_m;
        let b = per_zone(&[(x, y)]);
        assert!((a - b).abs() <= 1e-6 * b.max(1.0), "({x}, {y}): {a} vs {b}");
    }
    let expected = ours(pts);
    let mut g = c.benchmark_group("nearest_boundary");
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(pts.len() as u64));
    g.bench_function("ours", |b| b.iter(|| assert_eq!(ours(black_box(pts)), expected)));
    g.throughput(Throughput::Elements(few.len() as u64));
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function("per_zone", |b| b.iter(|| per_zone(black_box(few))));
    g.finish();
}

fn bench_many(c: &mut Criterion, index: &ZoneIndex, pts: &[(f64, f64)], expected: usize) {
    let check = |out: Vec<Result<Location, sanctuary::geometry::PointError>>| -> usize {
        out.into_iter()
            .map(|l| {
                l.expect("valid point")
                    .inside
                    .iter()
                    .map(|h| h.index() + 1)
                    .sum::<usize>()
            })
            .sum()
    };
    assert_eq!(check(index.locate_many(pts)), expected);
    let mut g = c.benchmark_group("locate_many");
    g.throughput(Throughput::Elements(pts.len() as u64));
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    #[cfg(not(feature = "rayon"))]
    g.bench_function("serial", |b| {
        b.iter_batched(
            || (),
            |()| index.locate_many(black_box(pts)),
            BatchSize::PerIteration,
        )
    });
    #[cfg(not(feature = "rayon"))]
    {
        let mut out = Vec::new();
        g.bench_function("into_serial", |b| {
            b.iter(|| index.locate_many_into(black_box(pts), &mut out))
        });
    }
    #[cfg(feature = "rayon")]
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        assert_eq!(pool.install(|| check(index.locate_many(pts))), expected);
        // Only the call is timed: the results are checked above and each batch is dropped
        // untimed right after its call (a serial drop inside the timing would cap the
        // parallel speed-up being measured; keeping many batches alive would measure the
        // allocator instead).
        g.bench_function(format!("rayon_{threads}_threads"), |b| {
            b.iter_batched(
                || (),
                |()| pool.install(|| index.locate_many(black_box(pts))),
                BatchSize::PerIteration,
            )
        });
        // The reusing form: one warm buffer, refilled in place (no allocation).
        let mut out = Vec::new();
        pool.install(|| index.locate_many_into(pts, &mut out));
        assert_eq!(check(out.clone()), expected);
        g.bench_function(format!("into_rayon_{threads}_threads"), |b| {
            b.iter(|| pool.install(|| index.locate_many_into(black_box(pts), &mut out)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_locate);
criterion_main!(benches);
