//! Generators shared by the properties: lattice polygons whose every coordinate is a
//! multiple of 1/8 (so midpoints and lattice steps along edges are exact `f64`), and
//! star-shaped polygons around a centre.

use proptest::prelude::*;
use sanctuary::{
    geometry::{EdgeModel, ZoneGeometry},
    Zone,
};

/// The lattice step, degrees.
pub(crate) const STEP: f64 = 0.125;

pub(crate) type Ring = Vec<[f64; 2]>;

/// A "histogram" polygon on the lattice: columns of width `STEP * widths[i]` standing on a
/// common base, column `i` reaching `heights[i]` steps up. Every edge is axis-aligned.
#[derive(Debug, Clone)]
pub(crate) struct Histogram {
    /// Lon/lat of the bottom-left corner (multiples of `STEP`).
    pub(crate) origin: [f64; 2],
    /// Column boundaries, in lattice steps from the origin (strictly increasing, from 0).
    pub(crate) xs: Vec<i64>,
    /// Column heights, in lattice steps (at least 1).
    pub(crate) heights: Vec<i64>,
}

impl Histogram {
    pub(crate) fn at(&self, x: i64, y: i64) -> [f64; 2] {
        [self.origin[0] + x as f64 * STEP, self.origin[1] + y as f64 * STEP]
    }

    /// The closed ring, counter-clockwise, starting at the bottom-left corner.
    pub(crate) fn ring(&self) -> Ring {
        let n = self.heights.len();
        let mut r = vec![self.at(0, 0), self.at(self.xs[n], 0)];
        for i in (0..n).rev() {
            r.push(self.at(self.xs[i + 1], self.heights[i]));
            r.push(self.at(self.xs[i], self.heights[i]));
        }
        r.push(self.at(0, 0));
        // Equal neighbouring heights give repeated vertices; validation drops them, but
        // drop them here too so that rotations are of the same distinct vertex cycle.
        r.dedup();
        r
    }

    /// Is the lattice cell whose lower-left corner is (x, y) inside the histogram?
    pub(crate) fn cell_inside(&self, x: i64, y: i64) -> bool {
        (0..self.heights.len())
            .any(|i| self.xs[i] <= x && x < self.xs[i + 1] && 0 <= y && y < self.heights[i])
    }

    /// Width and height in lattice steps.
    pub(crate) fn extent(&self) -> (i64, i64) {
        (*self.xs.last().unwrap(), *self.heights.iter().max().unwrap())
    }
}

pub(crate) fn histogram() -> impl Strategy<Value = Histogram> {
    (
        -1300i64..1300,
        -600i64..600,
        prop::collection::vec((1i64..6, 1i64..12), 1..7),
    )
        .prop_map(|(ox, oy, cols)| {
            let mut xs = vec![0];
            let mut heights = Vec::new();
            for (w, h) in cols {
                xs.push(xs.last().unwrap() + w);
                heights.push(h);
            }
            Histogram {
                origin: [ox as f64 * STEP, oy as f64 * STEP],
                xs,
                heights,
            }
        })
}

/// A star-shaped polygon: `n` vertices at increasing angles around `centre`, every angular
/// gap below 180°, radii between 0.05° and 4°.
pub(crate) fn star() -> impl Strategy<Value = Ring> {
    (
        -150.0f64..150.0,
        -60.0f64..60.0,
        prop::collection::vec((0.5f64..1.0, 0.05f64..4.0), 4..24),
        0.0f64..std::f64::consts::TAU,
    )
        .prop_map(|(cx, cy, parts, phase)| {
            let total: f64 = parts.iter().map(|p| p.0).sum();
            let mut angle = phase;
            let mut ring: Ring = parts
                .iter()
                .map(|&(gap, r)| {
                    let v = [cx + r * angle.cos(), cy + r * angle.sin()];
                    angle += gap / total * std::f64::consts::TAU;
                    v
                })
                .collect();
            ring.push(ring[0]);
            ring
        })
}

/// Builds a one-ring plate-carrée or great-circle zone.
pub(crate) fn zone(id: &str, rings: Vec<Ring>, model: EdgeModel) -> Zone {
    Zone::builder(id, ZoneGeometry::polygon(rings))
        .edges(model)
        .build()
        .unwrap_or_else(|e| panic!("generated polygon should be valid: {e}"))
}

/// The ring started at another vertex (`k` positions on), still closed.
pub(crate) fn rotate(ring: &Ring, k: usize) -> Ring {
    let open = &ring[..ring.len() - 1];
    let k = k % open.len();
    let mut r: Ring = open[k..].iter().chain(open[..k].iter()).copied().collect();
    r.push(r[0]);
    r
}

/// The ring walked the other way.
pub(crate) fn reverse(ring: &Ring) -> Ring {
    ring.iter().rev().copied().collect()
}

/// Every half-step lattice point on the edges of an axis-aligned ring (vertices
/// included), each with whether its edge is a meridian (vertical).
pub(crate) fn edge_lattice_points(ring: &Ring) -> Vec<([f64; 2], bool)> {
    let half = STEP / 2.0;
    let mut out = Vec::new();
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        assert!(
            a[0] == b[0] || a[1] == b[1],
            "edge {a:?}-{b:?} is not axis-aligned"
        );
        let vertical = a[0] == b[0];
        let steps = (((b[0] - a[0]).abs() + (b[1] - a[1]).abs()) / half).round() as i64;
        for i in 0..=steps {
            // Multiples of 1/16 added to multiples of 1/8 of modest size: exact in f64.
            let d = i as f64 * half;
            let p = if vertical {
                [a[0], a[1] + d * (b[1] - a[1]).signum()]
            } else {
                [a[0] + d * (b[0] - a[0]).signum(), a[1]]
            };
            out.push((p, vertical));
        }
    }
    out
}
