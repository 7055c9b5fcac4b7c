//! Building the pieces of an index and finding their twins.

use super::*;

pub(super) fn build_pieces(zones: &[Zone]) -> Vec<Piece> {
    let mut pieces = Vec::with_capacity(zones.iter().map(Zone::vertex_count).sum());
    for (zi, zone) in zones.iter().enumerate() {
        let zi = zi as u32;
        let model = zone.edge_model();
        match &zone.shape {
            Shape::Circle { center, radius_m } => {
                let b = zone.bounds();
                pieces.push(Piece {
                    zone: zi,
                    a: *center,
                    b: *center,
                    kind: PieceKind::Circle { radius_m: *radius_m },
                    twins: Box::new([]),
                    env: AABB::from_corners([b[0], b[1]], [b[2], b[3]]),
                    factors: Factors::new(b[1], b[3]),
                });
            }
            Shape::Polygons(_) => zone.for_each_edge(|a, b| {
                let e = edge_bounds(a, b, model);
                pieces.push(Piece {
                    zone: zi,
                    a,
                    b,
                    kind: PieceKind::Edge(model),
                    twins: Box::new([]),
                    env: AABB::from_corners([e[0], e[1]], [e[2], e[3]]),
                    factors: Factors::new(e[1], e[3]),
                });
            }),
        }
    }
    // Twins: the edges sorted by a hash of their endpoints taken either way round, so that
    // every copy of an edge sits in one run (equal hashes are checked exactly: a collision
    // only costs a comparison). One sort and a pass, no map of lists.
    let mut by_edge: Vec<(u64, usize)> = pieces
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p.kind {
            PieceKind::Edge(model) => Some((undirected_edge_hash(p.a, p.b, model), i)),
            PieceKind::Circle { .. } => None,
        })
        .collect();
    by_edge.sort_unstable();
    let mut found: Vec<(usize, Box<[u32]>)> = Vec::new();
    for run in by_edge.chunk_by(|x, y| x.0 == y.0).filter(|run| run.len() > 1) {
        for &(_, i) in run {
            let Some(piece) = pieces.get(i) else {
                continue;
            };
            let mut twins: Vec<u32> = run
                .iter()
                .filter_map(|&(_, j)| pieces.get(j))
                .filter(|other| other.zone != piece.zone && other.reverses(piece))
                .map(|other| other.zone)
                .collect();
            if !twins.is_empty() {
                twins.sort_unstable();
                twins.dedup();
                found.push((i, twins.into_boxed_slice()));
            }
        }
    }
    for (i, twins) in found {
        if let Some(piece) = pieces.get_mut(i) {
            piece.twins = twins;
        }
    }
    pieces
}

/// A hash of an edge's exact endpoints and model that does not depend on its direction.
pub(super) fn undirected_edge_hash(a: Coord<f64>, b: Coord<f64>, model: EdgeModel) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let point = |c: Coord<f64>| (c.x.to_bits() ^ c.y.to_bits().rotate_left(29)).wrapping_mul(K);
    let (p, q) = (point(a), point(b));
    let (lo, hi) = (p.min(q), p.max(q));
    let model = match model {
        EdgeModel::PlateCarree => 1,
        EdgeModel::GreatCircle => 2,
    };
    ((lo ^ hi.rotate_left(17)).wrapping_mul(K) ^ model).wrapping_mul(K)
}
