//! Unit tests of the grid.
use super::*;
use crate::geometry::zone::ZoneGeometry;

/// SplitMix64: a tiny deterministic generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn f(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f()
    }
}

/// Asserts the grid's answer equals `Zone::position_at` for every zone and point, and
/// that the probe set exercised all three answers.
fn check_all(zones: &[Zone], points: &[Coord<f64>]) {
    let grid = Grid::build(zones).expect("grid");
    let mut seen = [0usize; 3];
    for (zi, _) in zones.iter().enumerate() {
        assert!(grid.covers(zi as u32));
    }
    for &p in points {
        let mut got = vec![Position::Outside; zones.len()];
        let mut last = None;
        grid.visit(zones, p, |z, pos| {
            assert!(last < Some(z), "zones in ascending order");
            last = Some(z);
            got[z as usize] = pos;
        });
        for (zi, zone) in zones.iter().enumerate() {
            assert_eq!(got[zi], zone.position_at(p), "zone {} at {:?}", zone.id(), p);
            seen[got[zi] as usize] += 1;
        }
    }
    assert!(seen.iter().all(|&n| n > 100), "{seen:?}");
}

/// Points of interest: random ones, every vertex, edge midpoints, points on cell borders
/// and cell corners (where the grid's own arithmetic is most fragile).
fn probe_points(zones: &[Zone], rng: &mut Rng, n_random: usize) -> Vec<Coord<f64>> {
    let grid = Grid::build(zones).expect("grid");
    let mut pts = Vec::new();
    for _ in 0..n_random {
        pts.push(Coord {
            x: rng.range(grid.x0 - 0.1, grid.x1 + 0.1),
            y: rng.range(grid.y0 - 0.1, grid.y1 + 0.1),
        });
    }
    for z in zones {
        z.for_each_edge(|a, b| {
            pts.push(a);
            pts.push(Coord {
                x: (a.x + b.x) / 2.0,
                y: (a.y + b.y) / 2.0,
            });
            // A point on the edge's supporting axis (exactly on it when axis-aligned).
            pts.push(Coord {
                x: a.x,
                y: (a.y + b.y) / 2.0,
            });
        });
    }
    let f = grid.frame();
    for _ in 0..n_random {
        let c = (rng.next() % f.nx as u64) as usize;
        let r = (rng.next() % f.ny as u64) as usize;
        let corner = f.point(c, r, 0.0, 0.0);
        pts.push(corner);
        pts.push(Coord {
            x: corner.x,
            y: rng.range(grid.y0, grid.y1),
        });
        pts.push(Coord {
            x: rng.range(grid.x0, grid.x1),
            y: corner.y,
        });
        pts.push(f.point(c, r, 0.5, 0.5));
    }
    pts
}

fn zone(id: &str, rings: Vec<Vec<[f64; 2]>>) -> Zone {
    Zone::builder(id, ZoneGeometry::polygon(rings))
        .build()
        .expect("valid zone")
}

/// A star-shaped ring around (`cx`, `cy`), vertices snapped to a 1/8 lattice so that
/// axis-aligned edges, collinear vertices and points on edges are common.
fn star(rng: &mut Rng, cx: f64, cy: f64, rad: f64, n: usize) -> Vec<[f64; 2]> {
    let mut ring: Vec<[f64; 2]> = Vec::new();
    for i in 0..n {
        let t = std::f64::consts::TAU * i as f64 / n as f64;
        let r = rad * rng.range(0.4, 1.0);
        let x = ((cx + r * t.cos()) * 8.0).round() / 8.0;
        let y = ((cy + r * t.sin()) * 8.0).round() / 8.0;
        if ring.last() != Some(&[x, y]) {
            ring.push([x, y]);
        }
    }
    let first = ring[0];
    ring.push(first);
    ring
}

#[test]
fn squares_with_shared_borders_and_hole() {
    let a = zone(
        "a",
        vec![
            vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]],
            vec![[1.0, 1.0], [1.0, 3.0], [3.0, 3.0], [3.0, 1.0], [1.0, 1.0]],
        ],
    );
    let b = zone(
        "b",
        vec![vec![[4.0, 0.0], [8.0, 0.0], [8.0, 4.0], [4.0, 4.0], [4.0, 0.0]]],
    );
    let c = zone("c", vec![vec![[1.5, 1.5], [2.5, 1.5], [2.0, 2.5], [1.5, 1.5]]]);
    let zones = vec![a, b, c];
    let mut rng = Rng(7);
    let pts = probe_points(&zones, &mut rng, 3000);
    check_all(&zones, &pts);
}

#[test]
fn random_stars_match_reference() {
    let mut rng = Rng(42);
    for round in 0..6 {
        let mut zones = Vec::new();
        for i in 0..4 {
            for j in 0..3 {
                let n = 5 + (rng.next() % 60) as usize;
                let ring = star(&mut rng, i as f64 * 3.0, j as f64 * 3.0, 1.6, n);
                if let Ok(z) =
                    Zone::builder(format!("z{round}-{i}-{j}"), ZoneGeometry::polygon(vec![ring])).build()
                {
                    zones.push(z);
                }
            }
        }
        assert!(zones.len() > 4);
        let pts = probe_points(&zones, &mut rng, 4000);
        check_all(&zones, &pts);
    }
}

#[test]
fn real_oblasts_match_reference() {
    let path = format!("{}/data/ukraine-oblasts.geojson", env!("CARGO_MANIFEST_DIR"));
    let zones = crate::geometry::geojson::zones_from_geojson_file(&path).expect("load");
    let mut rng = Rng(3);
    let mut pts = probe_points(&zones, &mut rng, 3000);
    pts.truncate(40_000);
    check_all(&zones, &pts);
}

#[test]
fn skips_non_planar_zones() {
    let zones = vec![
        Zone::builder("c", ZoneGeometry::circle(10.0, 10.0, 1000.0))
            .build()
            .expect("circle"),
        zone("p", vec![vec![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]]),
    ];
    let grid = Grid::build(&zones).expect("grid");
    assert!(!grid.covers(0));
    assert!(grid.covers(1));
}
