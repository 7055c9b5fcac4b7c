//! Boundary pieces (edges and circles): their distances, bounds and twins.

use super::*;

/// One boundary piece: a polygon edge or a whole circle.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub(crate) zone: u32,
    pub(super) a: Coord<f64>,
    pub(super) b: Coord<f64>,
    pub(super) kind: PieceKind,
    /// Every other zone that has this exact edge, walked the other way (a shared border).
    pub(super) twins: Box<[u32]>,
    pub(super) env: AABB<[f64; 2]>,
    /// Latitude factors of `env`, for its lower bounds.
    pub(super) factors: Factors,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum PieceKind {
    Edge(EdgeModel),
    Circle { radius_m: f64 },
}

impl Piece {
    /// Is this `other` walked the other way (same model, endpoints swapped)?
    pub(super) fn reverses(&self, other: &Piece) -> bool {
        match (self.kind, other.kind) {
            (PieceKind::Edge(m1), PieceKind::Edge(m2)) => m1 == m2 && self.a == other.b && self.b == other.a,
            _ => false,
        }
    }

    /// Is this the same edge as `other` (same model, same endpoints either way round)?
    pub(super) fn same_edge(&self, other: &Piece) -> bool {
        match (self.kind, other.kind) {
            (PieceKind::Edge(m1), PieceKind::Edge(m2)) => {
                m1 == m2
                    && ((self.a == other.a && self.b == other.b) || (self.a == other.b && self.b == other.a))
            }
            _ => false,
        }
    }

    /// Exact geodesic distance (m) from `p` to this piece.
    pub(super) fn distance_m(&self, p: Coord<f64>) -> f64 {
        match self.kind {
            PieceKind::Edge(model) => geodesy::distance_to_edge(p, self.a, self.b, model),
            PieceKind::Circle { radius_m } => (geodesy::distance(self.a, p) - radius_m).abs(),
        }
    }

    /// A cheap lower bound (m) on [`Piece::distance_m`] from `q`.
    pub(super) fn lower_bound_m(&self, q: &QueryPoint) -> f64 {
        match self.kind {
            PieceKind::Edge(EdgeModel::PlateCarree) => q.segment_lower_bound_m(self.a, self.b, &self.factors),
            // A great-circle edge bulges off the straight lon/lat segment: bound its box.
            PieceKind::Edge(EdgeModel::GreatCircle) | PieceKind::Circle { .. } => {
                q.box_lower_bound_m(&self.bounds(), &self.factors)
            }
        }
    }

    /// An upper bound (m) on [`Piece::distance_m`] from `q`: the distance to one end of an
    /// edge (infinite for circles, which have no point known to be on them).
    pub(super) fn upper_bound_m(&self, q: &QueryPoint) -> f64 {
        match self.kind {
            PieceKind::Edge(_) => q.upper_bound_m(self.a, &self.factors),
            PieceKind::Circle { .. } => f64::INFINITY,
        }
    }

    /// The piece's geometry, parameterised for its cover.
    pub(super) fn shape(&self) -> PieceShape {
        match self.kind {
            PieceKind::Edge(model) => PieceShape::edge(self.a, self.b, model),
            PieceKind::Circle { radius_m } => PieceShape::Circle {
                center: self.a,
                radius_m,
            },
        }
    }

    pub(super) fn bounds(&self) -> [f64; 4] {
        let (lo, hi) = (self.env.lower(), self.env.upper());
        [lo[0], lo[1], hi[0], hi[1]]
    }

    /// Longitude of the middle of the piece's box.
    pub(super) fn centre_lon(&self) -> f64 {
        (self.env.lower()[0] + self.env.upper()[0]) / 2.0
    }
}
