//! Exact boundaries on a dyadic lattice: vertices, points along axis-aligned edges, holes,
//! and edges shared by two zones.

use crate::gen::{edge_lattice_points, histogram, reverse, zone, Ring, STEP};
use proptest::prelude::*;
use sanctuary::{
    geometry::{EdgeModel, Position, ZoneGeometry},
    Zone, ZoneIndex,
};

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Ring {
    vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Every vertex and every half-step lattice point on an edge is on the boundary, with
    /// signed distance exactly 0; lattice cell centres are inside exactly when the cell is.
    /// Under great-circle edges, vertices and meridian edges are still exact, and the
    /// poleward bulge of these short parallel edges stays well below half a cell.
    #[test]
    fn lattice_points_on_edges_are_on_the_boundary(h in histogram()) {
        let ring = h.ring();
        let pc = zone("pc", vec![ring.clone()], EdgeModel::PlateCarree);
        let gc = zone("gc", vec![ring.clone()], EdgeModel::GreatCircle);
        for v in &ring {
            prop_assert_eq!(pc.position(v[0], v[1]).unwrap(), Position::OnBoundary, "vertex {:?}", v);
            prop_assert_eq!(gc.position(v[0], v[1]).unwrap(), Position::OnBoundary, "vertex {:?}", v);
            prop_assert_eq!(pc.signed_distance_m(v[0], v[1]).unwrap(), 0.0);
        }
        for (p, meridian) in edge_lattice_points(&ring) {
            prop_assert_eq!(pc.position(p[0], p[1]).unwrap(), Position::OnBoundary, "{:?}", p);
            prop_assert_eq!(pc.signed_distance_m(p[0], p[1]).unwrap(), 0.0, "{:?}", p);
            if meridian {
                prop_assert_eq!(gc.position(p[0], p[1]).unwrap(), Position::OnBoundary, "{:?}", p);
                prop_assert_eq!(gc.signed_distance_m(p[0], p[1]).unwrap(), 0.0, "{:?}", p);
            }
        }
        let (w, ht) = h.extent();
        for x in -1..=w {
            for y in -1..=ht {
                let c = h.at(x, y).map(|v| v + STEP / 2.0);
                let want = if h.cell_inside(x, y) { Position::Inside } else { Position::Outside };
                prop_assert_eq!(pc.position(c[0], c[1]).unwrap(), want, "cell centre {:?}", c);
                prop_assert_eq!(gc.position(c[0], c[1]).unwrap(), want, "cell centre {:?}", c);
            }
        }
    }

    /// Points inside a hole are outside the zone; points on the hole's ring are on its
    /// boundary; the rest of the shell is inside. Holes may be given in either orientation.
    #[test]
    fn holes(
        ox in -1300i64..1300, oy in -600i64..600,
        w in 4i64..20, h in 4i64..20,
        hx in (1i64..19, 1i64..19), hy in (1i64..19, 1i64..19),
        flip in any::<bool>(),
    ) {
        let (hx0, hx1) = (hx.0.min(hx.1).min(w - 2), hx.0.max(hx.1).min(w - 1));
        let (hy0, hy1) = (hy.0.min(hy.1).min(h - 2), hy.0.max(hy.1).min(h - 1));
        prop_assume!(hx0 < hx1 && hy0 < hy1);
        let at = |x: i64, y: i64| [(ox + x) as f64 * STEP, (oy + y) as f64 * STEP];
        let shell = rect(at(0, 0)[0], at(0, 0)[1], at(w, h)[0], at(w, h)[1]);
        let mut hole = rect(at(hx0, hy0)[0], at(hx0, hy0)[1], at(hx1, hy1)[0], at(hx1, hy1)[1]);
        if flip {
            hole = reverse(&hole);
        }
        let pc = zone("pc", vec![shell.clone(), hole.clone()], EdgeModel::PlateCarree);
        let gc = zone("gc", vec![shell, hole.clone()], EdgeModel::GreatCircle);
        for (p, meridian) in edge_lattice_points(&hole) {
            prop_assert_eq!(pc.position(p[0], p[1]).unwrap(), Position::OnBoundary, "{:?}", p);
            prop_assert_eq!(pc.signed_distance_m(p[0], p[1]).unwrap(), 0.0);
            if meridian {
                prop_assert_eq!(gc.position(p[0], p[1]).unwrap(), Position::OnBoundary, "{:?}", p);
            }
        }
        for x in 0..w {
            for y in 0..h {
                let c = at(x, y).map(|v| v + STEP / 2.0);
                let in_hole = hx0 <= x && x < hx1 && hy0 <= y && y < hy1;
                let want = if in_hole { Position::Outside } else { Position::Inside };
                prop_assert_eq!(pc.position(c[0], c[1]).unwrap(), want, "cell centre {:?}", c);
                prop_assert_eq!(gc.position(c[0], c[1]).unwrap(), want, "cell centre {:?}", c);
                let d = pc.signed_distance_m(c[0], c[1]).unwrap();
                prop_assert!(if in_hole { d < 0.0 } else { d > 0.0 }, "signed distance {} at {:?}", d, c);
            }
        }
    }

    /// Two zones sharing a meridian edge (both edge models) or a parallel edge (plate
    /// carrée): every lattice point of the shared part is on both boundaries, inside neither.
    #[test]
    fn shared_axis_aligned_edge(
        ox in -1300i64..1300, oy in -600i64..600,
        w1 in 1i64..10, w2 in 1i64..10,
        a in (0i64..12, 1i64..12), b in (0i64..12, 1i64..12),
        horizontal in any::<bool>(),
        great_circle in any::<bool>(),
    ) {
        // Intervals [a.0, a.0 + a.1] and [b.0, b.0 + b.1] along the shared line.
        let (lo, hi) = (a.0.max(b.0), (a.0 + a.1).min(b.0 + b.1));
        prop_assume!(lo < hi);
        let model = if great_circle && !horizontal { EdgeModel::GreatCircle } else { EdgeModel::PlateCarree };
        // Build in (u, v) = (across, along) lattice coordinates, then map.
        let map = |u: i64, v: i64| {
            let (x, y) = if horizontal { (v, u) } else { (u, v) };
            [(ox + x) as f64 * STEP, (oy + y) as f64 * STEP]
        };
        let uv_rect = |u0: i64, v0: i64, u1: i64, v1: i64| {
            let (p, q) = (map(u0, v0), map(u1, v1));
            rect(p[0].min(q[0]), p[1].min(q[1]), p[0].max(q[0]), p[1].max(q[1]))
        };
        let first = Zone::builder("first", ZoneGeometry::polygon(vec![uv_rect(-w1, a.0, 0, a.0 + a.1)]))
            .edges(model).build().unwrap();
        let second = Zone::builder("second", ZoneGeometry::polygon(vec![uv_rect(0, b.0, w2, b.0 + b.1)]))
            .edges(model).build().unwrap();
        let index = ZoneIndex::new(vec![second, first]).unwrap();
        for k in 2 * lo..=2 * hi {
            let p = map(0, 0);
            let d = k as f64 * STEP / 2.0;
            let p = if horizontal { [p[0] + d, p[1]] } else { [p[0], p[1] + d] };
            let loc = index.locate(p[0], p[1]).unwrap();
            prop_assert!(loc.inside.is_empty(), "{:?} inside {:?}", p, index.ids(&loc.inside));
            prop_assert_eq!(index.ids(&loc.boundary), vec!["first", "second"], "at {:?}", p);
            let nb = index.nearest_boundary(p[0], p[1]).unwrap().unwrap();
            prop_assert_eq!(nb.distance_m, 0.0);
        }
        // A quarter step off the shared edge, each side is inside its own zone only.
        for k in 2 * lo + 1..2 * hi {
            let p = map(0, 0);
            let (d, off) = (k as f64 * STEP / 2.0, STEP / 4.0);
            let (west, east) = if horizontal {
                ([p[0] + d, p[1] - off], [p[0] + d, p[1] + off])
            } else {
                ([p[0] - off, p[1] + d], [p[0] + off, p[1] + d])
            };
            let w = index.locate(west[0], west[1]).unwrap();
            let e = index.locate(east[0], east[1]).unwrap();
            prop_assert_eq!(index.ids(&w.inside), vec!["first"], "at {:?}", west);
            prop_assert_eq!(index.ids(&e.inside), vec!["second"], "at {:?}", east);
            prop_assert!(w.boundary.is_empty() && e.boundary.is_empty());
        }
    }

    /// Two triangles sharing a diagonal edge with dyadic endpoints: exact points along it
    /// (dyadic fractions of the way) are on both boundaries, inside neither.
    #[test]
    fn shared_diagonal_edge(
        ox in -1300i64..1300, oy in -600i64..600,
        dx in 1i64..24, dy in 1i64..24, neg in any::<bool>(),
        c in (1i64..12, 1i64..12),
    ) {
        let dy = if neg { -dy } else { dy };
        let at = |x: i64, y: i64| [(ox + x) as f64 * STEP, (oy + y) as f64 * STEP];
        let (pa, pb) = (at(0, 0), at(dx, dy));
        // Third vertices on either side of a-b: left and right of the direction (dx, dy).
        let left = at(dx / 2 - c.0 * dy.signum(), dy / 2 + c.1);
        let right = at(dx / 2 + c.0 * dy.signum(), dy / 2 - c.1);
        let t1 = Zone::builder("t1", ZoneGeometry::polygon(vec![vec![pa, pb, left, pa]])).build();
        let t2 = Zone::builder("t2", ZoneGeometry::polygon(vec![vec![pb, pa, right, pb]])).build();
        let (t1, t2) = (t1.unwrap(), t2.unwrap());
        let index = ZoneIndex::new(vec![t1, t2]).unwrap();
        for i in 0..=64 {
            let f = i as f64 / 64.0;
            let p = [pa[0] + f * (pb[0] - pa[0]), pa[1] + f * (pb[1] - pa[1])];
            let loc = index.locate(p[0], p[1]).unwrap();
            prop_assert!(loc.inside.is_empty(), "{:?} inside {:?}", p, index.ids(&loc.inside));
            prop_assert_eq!(index.ids(&loc.boundary), vec!["t1", "t2"], "at {:?}", p);
            prop_assert_eq!(index.nearest_boundary(p[0], p[1]).unwrap().unwrap().distance_m, 0.0);
        }
    }
}
