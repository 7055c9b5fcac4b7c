//! Distance searches over the boundary pieces: nearest piece, nearest member, the edge of a union.

use super::*;

// Distance searches.
impl ZoneIndex {
    /// The nearest zone boundary to (`lon`, `lat`) and its geodesic distance, or `None`
    /// when the index is empty.
    ///
    /// # Errors
    /// [`PointError`] when the point is not finite or out of range.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
    /// let square = |id: &str, x: f64| {
    ///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
    ///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
    /// };
    /// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
    /// let nearest = index.nearest_boundary(1.0, 0.5)?.unwrap();
    /// assert_eq!(nearest.distance_m, 0.0);
    /// assert_eq!(index.zone(nearest.zone).id(), "a"); // a tie goes to the smallest id
    /// assert!(ZoneIndex::new(vec![])?.nearest_boundary(0.0, 0.0)?.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn nearest_boundary(&self, lon: f64, lat: f64) -> Result<Option<NearestBoundary>, PointError> {
        let p = checked_point(lon, lat)?;
        Ok(self
            .nearest_piece(p, |_| true)
            .map(|(zone, distance_m)| NearestBoundary { zone, distance_m }))
    }

    /// Geodesic distance (m) from (`lon`, `lat`) to the edge of the union of the zones for
    /// which `member` is true, or `None` when no zone is a member.
    ///
    /// The edge is where the union meets its outside: a border that two members share, in
    /// whole or in part, and a member's boundary inside another member are not part of
    /// it. Exact to within [`crate::index::AREA_EDGE_TOLERANCE_M`], and never more than the true
    /// distance: where other members cover part of a boundary piece, the distance to the
    /// rest of it is reduced by that tolerance. From a point outside the union this is the
    /// distance to the union.
    ///
    /// # Errors
    /// [`PointError`] when the point is not finite or out of range.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
    /// let boxed = |id: &str, x0: f64, y0: f64, x1: f64, y1: f64| {
    ///     let ring = vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
    ///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
    /// };
    /// // B sits on half of A's north edge.
    /// let index = ZoneIndex::new(vec![boxed("a", 20.0, 48.0, 22.0, 49.0)?, boxed("b", 20.0, 49.0, 21.0, 50.0)?])?;
    /// // Just south of the border A and B share: the union's edge is A's west edge, 20°E.
    /// let d = index.distance_to_union_edge_m(20.1, 48.99, |_| true)?.unwrap();
    /// assert!((d - 7_330.0).abs() < 20.0);
    /// // A alone: its north edge, 1.1 km away.
    /// let a = index.handle("a").unwrap();
    /// let d = index.distance_to_union_edge_m(20.1, 48.99, |h| h == a)?.unwrap();
    /// assert!((d - 1_112.0).abs() < 5.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn distance_to_union_edge_m(
        &self,
        lon: f64,
        lat: f64,
        member: impl Fn(ZoneHandle) -> bool,
    ) -> Result<Option<f64>, PointError> {
        let p = checked_point(lon, lat)?;
        Ok(self.distance_to_union_boundary_within(p, f64::INFINITY, member))
    }

    /// Nearest accepted boundary piece: (zone, metres). Ties go to the smallest handle.
    pub(crate) fn nearest_piece(
        &self,
        p: Coord<f64>,
        accept: impl Fn(&Piece) -> bool,
    ) -> Option<(ZoneHandle, f64)> {
        self.walk_nearest(p, f64::INFINITY, whole_if(accept), no_part)
    }

    /// The nearest piece (or part of a piece, see [`Take`]) no farther than `limit_m`
    /// (which may be infinite), by a best-first walk of the piece tree: pieces come out in
    /// order of their lower bounds (see [`crate::geometry::bounds`]) and only those whose bound does
    /// not exceed the best exact distance so far are measured. Ties go to the smallest
    /// handle. `part(i, piece, q, limit)` measures a [`Take::Part`] piece from `q.p`.
    ///
    /// Each piece is measured from the copy of `p` (shifted by 0 or ±360°) within 180° of
    /// longitude of the piece's centre, so pieces across the antimeridian are reached by a
    /// second walk from the shifted point, which only runs when there can be such pieces.
    pub(super) fn walk_nearest(
        &self,
        p: Coord<f64>,
        limit_m: f64,
        take: impl Fn(usize, &Piece) -> Take,
        part: impl Fn(usize, &Piece, &QueryPoint, f64) -> f64,
    ) -> Option<(ZoneHandle, f64)> {
        let mut best: Option<(u32, f64)> = None;
        // The piece behind `best`: a copy of it (the same edge in another zone, which other
        // zones cover alike) is at the same distance, so it needs no second computation.
        let mut best_piece: Option<&Piece> = None;
        let mut limit = limit_m;
        let base = QueryPoint::new(p);
        let [west, east] = self.centre_lons;
        let mut shifts = [Some(0.0), None];
        if west < p.x - 180.0 {
            shifts[1] = Some(-360.0);
        } else if east > p.x + 180.0 {
            shifts[1] = Some(360.0);
        }
        for shift in shifts.into_iter().flatten() {
            let mut q = base.shifted(shift);
            let [lon_lo, lon_hi] = self.lon_extent;
            if lon_lo >= q.p.x - 180.0 && lon_hi <= q.p.x + 180.0 {
                q = q.without_wrap();
            }
            // With one walk every piece is measured from `p` itself.
            let single = shifts[1].is_none();
            let near = |piece: &Piece| single || (piece.centre_lon() - q.p.x).abs() <= 180.0;
            self.tree.walk(
                &q,
                &mut limit,
                |i| {
                    let piece = self.pieces.get(i)?;
                    (near(piece) && take(i, piece) != Take::Skip).then(|| piece.lower_bound_m(&q))
                },
                |i| match self.pieces.get(i) {
                    // An end of a partly covered piece may be covered: no upper bound.
                    Some(piece) if take(i, piece) == Take::Whole => piece.upper_bound_m(&q),
                    _ => f64::INFINITY,
                },
                |i, lb, limit| {
                    let Some(piece) = self.pieces.get(i) else {
                        return;
                    };
                    if let Some((best_zone, best_m)) = best {
                        if best_piece.is_some_and(|b| b.same_edge(piece)) {
                            if piece.zone < best_zone {
                                best = Some((piece.zone, best_m));
                            }
                            return;
                        }
                        if lb == best_m && piece.zone >= best_zone {
                            return;
                        }
                    }
                    let d = match take(i, piece) {
                        Take::Skip => return,
                        Take::Whole => piece.distance_m(q.p),
                        Take::Part => part(i, piece, &q, *limit).max(lb),
                    };
                    if d > *limit {
                        return;
                    }
                    match best {
                        Some((z, m)) if m < d || (m == d && z <= piece.zone) => {}
                        _ => {
                            best = Some((piece.zone, d));
                            best_piece = Some(piece);
                            *limit = d;
                        }
                    }
                },
            );
        }
        best.map(|(z, m)| (ZoneHandle(z), m))
    }

    /// The nearest accepted piece (or part of one, see [`ZoneIndex::walk_nearest`]) whose
    /// geodesic distance from `p` is at most `limit_m`, or `None` when there is none. Ties
    /// go to the smallest handle.
    pub(super) fn nearest_piece_within(
        &self,
        p: Coord<f64>,
        limit_m: f64,
        take: impl Fn(usize, &Piece) -> Take,
        part: impl Fn(usize, &Piece, &QueryPoint, f64) -> f64,
    ) -> Option<(ZoneHandle, f64)> {
        // Small searches (an uncertainty disc) go through the bucket grid; from a few
        // kilometres up, the tree's best-first walk opens fewer pieces.
        if limit_m > MAX_BUCKET_SEARCH_M {
            return self.walk_nearest(p, limit_m, take, part);
        }
        let boxes = search_boxes(p, limit_m);
        if boxes
            .iter()
            .flatten()
            .any(|(query, _)| self.buckets.cells_in(query) > MAX_BUCKET_CELLS_PER_QUERY)
        {
            return self.walk_nearest(p, limit_m, take, part);
        }
        // Candidates with their lower bounds; `shift` moves p by ±360° for pieces found
        // across the antimeridian.
        let mut candidates: Vec<(f64, u32, f64, Take)> = Vec::new();
        let base = QueryPoint::new(p);
        for (query, shift) in boxes.into_iter().flatten() {
            let q = base.shifted(shift);
            let consider = |i: u32| {
                let Some(piece) = self.pieces.get(i as usize) else {
                    return;
                };
                let how = take(i as usize, piece);
                if how == Take::Skip {
                    return;
                }
                let lb = piece.lower_bound_m(&q);
                if lb <= limit_m {
                    candidates.push((lb, i, shift, how));
                }
            };
            self.buckets.for_each(&query, &self.piece_envs, consider);
        }
        candidates.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut best: Option<(u32, f64)> = None;
        for (lb, i, shift, how) in candidates {
            let Some(piece) = self.pieces.get(i as usize) else {
                continue;
            };
            if let Some((best_zone, best_m)) = best {
                if lb > best_m {
                    break;
                }
                if lb == best_m && piece.zone >= best_zone {
                    continue;
                }
            }
            let q = base.shifted(shift);
            let d = match how {
                Take::Part => part(i as usize, piece, &q, best.map_or(limit_m, |(_, m)| m)).max(lb),
                _ => piece.distance_m(q.p),
            };
            if d > limit_m {
                continue;
            }
            best = match best {
                Some((z, m)) if m < d || (m == d && z <= piece.zone) => Some((z, m)),
                _ => Some((piece.zone, d)),
            };
        }
        best.map(|(z, m)| (ZoneHandle(z), m))
    }

    /// The zone, among those for which `member` is true, with a boundary piece nearest to
    /// `p` within `limit_m` (ties: the smallest handle), or `None` when none is that near.
    /// For a point outside every member this is the nearest member, at its distance (the
    /// distance to their union).
    pub(crate) fn nearest_member_within(
        &self,
        p: Coord<f64>,
        limit_m: f64,
        member: impl Fn(ZoneHandle) -> bool,
    ) -> Option<ZoneHandle> {
        self.nearest_piece_within(
            p,
            limit_m,
            whole_if(|piece: &Piece| member(ZoneHandle(piece.zone))),
            no_part,
        )
        .map(|(h, _)| h)
    }

    /// The cover of piece `i` (see [`crate::index::coverage`]), worked out on first use.
    pub(super) fn cover(&self, i: usize, piece: &Piece) -> Option<&Cover> {
        let cell = self.covers.get(i)?;
        Some(cell.get_or_init(|| {
            let shape = piece.shape();
            let mut builder = CoverBuilder::new(shape, piece.zone, piece.bounds());
            for &twin in piece.twins.iter() {
                builder.twin(twin);
            }
            // Every piece of another zone whose box meets this piece's box. Copies of this
            // edge walked the same way are fed too: they mark it as running along their
            // zone, so that rounding in a middle point cannot put it inside that zone.
            self.buckets.for_each(&piece.env, &self.piece_envs, |j| {
                if let Some(other) = self.pieces.get(j as usize) {
                    if other.zone != piece.zone {
                        builder.meet(other.zone, &other.shape());
                    }
                }
            });
            // A zone that holds the piece without its boundary meeting it: its boxes hold
            // the piece's box, and the middle-point test finds it.
            builder.finish(|pt, out| {
                self.visit_at(pt, |h, pos| {
                    if pos == Position::Inside {
                        out.push(h.0);
                    }
                });
            })
        }))
    }

    /// Distance (m) from a validated point to the boundary of the union of the zones for
    /// which `member` is true: the nearest point of a member's boundary that is neither
    /// strictly inside another member nor on a border it shares with another member (see
    /// [`crate::index::coverage`]). Where other members cover part of a piece, the distance to the
    /// rest is reduced by [`AREA_EDGE_TOLERANCE_M`], so the answer never exceeds the true
    /// distance.
    ///
    /// Looks only as far as `limit_m` (which may be infinite): `None` means the boundary is
    /// farther than that.
    pub(crate) fn distance_to_union_boundary_within(
        &self,
        p: Coord<f64>,
        limit_m: f64,
        member: impl Fn(ZoneHandle) -> bool,
    ) -> Option<f64> {
        let is_member = |z: u32| member(ZoneHandle(z));
        let take = |i: usize, piece: &Piece| {
            if !is_member(piece.zone) {
                return Take::Skip;
            }
            match self.cover(i, piece) {
                Some(cover) if !cover.is_empty() => match cover.status(&is_member) {
                    Status::Whole => Take::Whole,
                    Status::Covered => Take::Skip,
                    Status::Part => Take::Part,
                },
                _ => Take::Whole,
            }
        };
        let part = |i: usize, piece: &Piece, q: &QueryPoint, limit: f64| {
            let Some(cover) = self.cover(i, piece) else {
                return piece.distance_m(q.p);
            };
            let d = cover.gap_distance_m(
                &piece.shape(),
                q,
                &piece.factors,
                &is_member,
                limit + AREA_EDGE_TOLERANCE_M,
            );
            d - AREA_EDGE_TOLERANCE_M
        };
        if limit_m.is_finite() {
            self.nearest_piece_within(p, limit_m, take, part)
        } else {
            self.walk_nearest(p, f64::INFINITY, take, part)
        }
        .map(|(_, d)| d)
    }
}

/// How a search takes a piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Take {
    /// Not at all.
    Skip,
    /// All of it.
    Whole,
    /// Only the parts of it that other members do not cover.
    Part,
}

/// [`Take::Whole`] for the pieces `accept` accepts, [`Take::Skip`] for the others.
pub(super) fn whole_if(accept: impl Fn(&Piece) -> bool) -> impl Fn(usize, &Piece) -> Take {
    move |_, piece| if accept(piece) { Take::Whole } else { Take::Skip }
}

/// For searches that take no piece in part.
pub(super) fn no_part(_: usize, piece: &Piece, q: &QueryPoint, _: f64) -> f64 {
    piece.distance_m(q.p)
}

/// Lon/lat boxes that together hold every point within `limit_m` (geodesic) of `p`, each
/// with the longitude shift (0 or ±360°) that brings `p` next to it across the
/// antimeridian.
///
/// A path of length `s` changes latitude by at most `s / 110 574 m` degrees and, by the
/// Minkowski argument of [`crate::geometry::bounds`], longitude by at most `s` over the length of
/// a degree of longitude at its most poleward latitude; that latitude exceeds the box's by a
/// bulge far below the 0.5° allowed here for any radius the searches use near the box's
/// edge. Beyond ~1,000 km the box simply grows to the whole longitude range.
pub(super) fn search_boxes(p: Coord<f64>, limit_m: f64) -> [Option<(AABB<[f64; 2]>, f64)>; 2] {
    let dlat = limit_m / MIN_METRES_PER_DEGREE_LAT * 1.0001 + 1e-9;
    let (lat_lo, lat_hi) = ((p.y - dlat).max(-90.0), (p.y + dlat).min(90.0));
    let pole_lat = p.y.abs() + dlat + 0.5 + (limit_m / 1_000_000.0).powi(2);
    let whole = |lo: f64, hi: f64| AABB::from_corners([lo, lat_lo], [hi, lat_hi]);
    if pole_lat >= 89.9 || limit_m >= 1_000_000.0 {
        return [Some((whole(-180.0, 180.0), 0.0)), None];
    }
    let per_deg_lon = std::f64::consts::PI * geodesy::WGS84_A / 180.0 * pole_lat.to_radians().cos();
    let dlon = limit_m / per_deg_lon * 1.0001 + 1e-9;
    if dlon >= 180.0 {
        return [Some((whole(-180.0, 180.0), 0.0)), None];
    }
    let (lo, hi) = (p.x - dlon, p.x + dlon);
    let main = Some((whole(lo.max(-180.0), hi.min(180.0)), 0.0));
    // At most one side can wrap, since the box is narrower than 360°. Pieces near +180 seen
    // from p near -180: shift p by +360 to sit next to them, and the other way round.
    let wrapped = if lo < -180.0 {
        Some((whole(lo + 360.0, 180.0), 360.0))
    } else if hi > 180.0 {
        Some((whole(-180.0, hi - 360.0), -360.0))
    } else {
        None
    };
    [main, wrapped]
}
