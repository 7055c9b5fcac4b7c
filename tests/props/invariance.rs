//! Answers do not depend on where a ring starts nor on which way it is walked.

use crate::gen::{edge_lattice_points, histogram, reverse, rotate, star, zone, Ring, STEP};
use proptest::prelude::*;
use sanctuary::{geometry::EdgeModel, Zone};

/// Query points for a ring: its vertices, random points around its bounding box and, for
/// lattice rings, the lattice points along its edges.
fn compare(ring: &Ring, queries: &[[f64; 2]], k: usize) {
    for model in [EdgeModel::PlateCarree, EdgeModel::GreatCircle] {
        let base = zone("z", vec![ring.clone()], model);
        let variants: [(&str, Zone); 3] = [
            ("rotated", zone("z", vec![rotate(ring, k)], model)),
            ("reversed", zone("z", vec![reverse(ring)], model)),
            (
                "rotated+reversed",
                zone("z", vec![reverse(&rotate(ring, k))], model),
            ),
        ];
        for q in queries.iter().chain(ring.iter()) {
            let want = base.position(q[0], q[1]).unwrap();
            for (what, z) in &variants {
                assert_eq!(
                    z.position(q[0], q[1]).unwrap(),
                    want,
                    "{model:?} {what} by {k} at {q:?}, ring {ring:?}"
                );
            }
        }
    }
}

/// Random points in the box `[min - 0.5, max + 0.5]` of a ring, from unit fractions.
fn spread(ring: &Ring, fractions: &[(f64, f64)]) -> Vec<[f64; 2]> {
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in ring {
        for i in 0..2 {
            lo[i] = lo[i].min(p[i]);
            hi[i] = hi[i].max(p[i]);
        }
    }
    fractions
        .iter()
        .map(|&(u, v)| {
            [
                lo[0] - 0.5 + u * (hi[0] - lo[0] + 1.0),
                lo[1] - 0.5 + v * (hi[1] - lo[1] + 1.0),
            ]
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn star_rotation_and_reversal(ring in star(), k in 0usize..64, fr in prop::collection::vec((0.0f64..1.0, 0.0f64..1.0), 32)) {
        let queries = spread(&ring, &fr);
        compare(&ring, &queries, k);
    }

    #[test]
    fn lattice_rotation_and_reversal(h in histogram(), k in 0usize..64, fr in prop::collection::vec((0.0f64..1.0, 0.0f64..1.0), 16)) {
        let ring = h.ring();
        let mut queries = spread(&ring, &fr);
        queries.extend(edge_lattice_points(&ring).into_iter().map(|(p, _)| p));
        // Cell centres, inside and outside.
        let (w, ht) = h.extent();
        for x in -1..=w {
            for y in -1..=ht {
                queries.push(h.at(x, y).map(|c| c + STEP / 2.0));
            }
        }
        compare(&ring, &queries, k);
    }
}
