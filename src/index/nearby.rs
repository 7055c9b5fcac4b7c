//! Which zones have boundary near a point: a coarse grid whose every cell lists the zones
//! with a boundary piece within a fixed radius of *some* point of the cell.
//!
//! The rule engine asks two questions of every track, both about a disc around it: does
//! the boundary of an active exclusion come within the track's uncertainty, and how far is
//! the edge of the sanctuary area (the union of the zones whose rules allow the track)? The
//! exact searches are costly; this grid settles most tracks at once:
//!
//! * no active exclusion among the cell's zones: no exclusion boundary is within the radius;
//! * every zone in the cell allows the track and no piece is unshared: every boundary piece
//!   within the radius is a border between two allowing zones, interior to the area, so its
//!   edge is farther than the radius.
//!
//! Pieces that no other zone shares (outer borders, circles, partly shared borders) are
//! listed under their zone and also under [`UNSHARED`], which is never an allowing zone. A cell is marked from each
//! piece's box grown by the radius (as the index's bounded searches grow theirs), so the
//! lists can only be too long, never too short: the grid only ever skips a search whose
//! answer is known.

use crate::geometry::geodesy::{self, MIN_METRES_PER_DEGREE_LAT};
use crate::index::ZoneIndex;
use geo_types::Coord;

/// The id listed for pieces that no other zone shares.
pub(crate) const UNSHARED: u32 = u32::MAX;
/// Most cells in the grid; larger extents get larger cells.
const MAX_CELLS: usize = 1 << 20;

/// The grid (see the module docs).
#[derive(Debug, Clone, Default)]
pub(crate) struct NearbyZones {
    radius_m: f64,
    lo: [f64; 2],
    cell: [f64; 2],
    nx: usize,
    ny: usize,
    /// Cell `k` lists `ids[offsets[k]..offsets[k + 1]]`, in increasing order.
    offsets: Vec<u32>,
    ids: Vec<u32>,
}

/// `b` grown by `radius_m` in every direction: every point within that geodesic distance of
/// the box lies in the result (see `index::search_boxes` for the argument). `None` when the
/// growth reaches a pole.
fn grow(b: [f64; 4], radius_m: f64) -> Option<[f64; 4]> {
    let dlat = radius_m / MIN_METRES_PER_DEGREE_LAT * 1.0001 + 1e-9;
    let pole_lat = b[1].abs().max(b[3].abs()) + dlat + 0.5 + (radius_m / 1_000_000.0).powi(2);
    if pole_lat >= 89.9 || radius_m >= 1_000_000.0 {
        return None;
    }
    let per_deg_lon = std::f64::consts::PI * geodesy::WGS84_A / 180.0 * pole_lat.to_radians().cos();
    let dlon = radius_m / per_deg_lon * 1.0001 + 1e-9;
    Some([b[0] - dlon, b[1] - dlat, b[2] + dlon, b[3] + dlat])
}

impl NearbyZones {
    /// The grid for `index` and `radius_m`; an empty grid (which settles nothing) when the
    /// zones reach a pole or straddle the antimeridian once grown.
    pub(crate) fn build(index: &ZoneIndex, radius_m: f64) -> NearbyZones {
        let empty = NearbyZones {
            radius_m,
            ..NearbyZones::default()
        };
        // (zone or UNSHARED, grown box) for every piece.
        let mut grown: Vec<(u32, [f64; 4])> = Vec::new();
        let mut fits = true;
        index.for_each_piece(|zone, bounds, shared| match grow(bounds, radius_m) {
            Some(g) if g[0] >= -180.0 && g[2] <= 180.0 => {
                grown.push((zone, g));
                if !shared {
                    grown.push((UNSHARED, g));
                }
            }
            _ => fits = false,
        });
        if !fits || grown.is_empty() {
            return empty;
        }
        let mut ext = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for (_, g) in &grown {
            ext = [
                ext[0].min(g[0]),
                ext[1].min(g[1]),
                ext[2].max(g[2]),
                ext[3].max(g[3]),
            ];
        }
        // Cells about half the radius on a side, at the extent's middle latitude.
        let mid = ((ext[1] + ext[3]) / 2.0).to_radians().cos().max(0.01);
        let side = (radius_m / 2.0).max(100.0);
        let mut cell = [
            side / (MIN_METRES_PER_DEGREE_LAT * mid),
            side / MIN_METRES_PER_DEGREE_LAT,
        ];
        let (w, h) = ((ext[2] - ext[0]).max(1e-9), (ext[3] - ext[1]).max(1e-9));
        let cells = (w / cell[0]).ceil() * (h / cell[1]).ceil();
        if cells > MAX_CELLS as f64 {
            let factor = (cells / MAX_CELLS as f64).sqrt() * 1.01;
            cell = [cell[0] * factor, cell[1] * factor];
        }
        let nx = ((w / cell[0]).ceil() as usize).max(1);
        let ny = ((h / cell[1]).ceil() as usize).max(1);
        let mut grid = NearbyZones {
            radius_m,
            lo: [ext[0], ext[1]],
            cell,
            nx,
            ny,
            offsets: Vec::new(),
            ids: Vec::new(),
        };
        // Zone by zone (UNSHARED last), mark each cell once per zone.
        grown.sort_unstable_by_key(|(z, _)| *z);
        let mut stamp: Vec<u32> = vec![u32::MAX; nx * ny];
        let mut seen_unshared: Vec<bool> = vec![false; nx * ny];
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for (zone, g) in &grown {
            let (x0, y0) = grid.cell_of(g[0], g[1]);
            let (x1, y1) = grid.cell_of(g[2], g[3]);
            for y in y0..=y1 {
                for x in x0..=x1 {
                    let k = y * nx + x;
                    let first = if *zone == UNSHARED {
                        seen_unshared
                            .get_mut(k)
                            .is_some_and(|s| !std::mem::replace(s, true))
                    } else {
                        stamp
                            .get_mut(k)
                            .is_some_and(|s| std::mem::replace(s, *zone) != *zone)
                    };
                    if first {
                        pairs.push((k as u32, *zone));
                    }
                }
            }
        }
        // Counting sort by cell into the offsets/ids layout; zones stay in order.
        let mut counts = vec![0u32; nx * ny + 1];
        for &(k, _) in &pairs {
            if let Some(c) = counts.get_mut(k as usize + 1) {
                *c += 1;
            }
        }
        for k in 1..counts.len() {
            let before = counts.get(k - 1).copied().unwrap_or(0);
            if let Some(c) = counts.get_mut(k) {
                *c += before;
            }
        }
        let mut next = counts.clone();
        let mut ids = vec![0u32; pairs.len()];
        for &(k, zone) in &pairs {
            if let Some(slot) = next.get_mut(k as usize) {
                if let Some(id) = ids.get_mut(*slot as usize) {
                    *id = zone;
                }
                *slot += 1;
            }
        }
        grid.offsets = counts;
        grid.ids = ids;
        grid
    }

    fn cell_of(&self, lon: f64, lat: f64) -> (usize, usize) {
        // Truncation is the floor: values are clamped to zero or more first.
        let x = (((lon - self.lo[0]) / self.cell[0]).max(0.0) as usize).min(self.nx.saturating_sub(1));
        let y = (((lat - self.lo[1]) / self.cell[1]).max(0.0) as usize).min(self.ny.saturating_sub(1));
        (x, y)
    }

    /// The zones (and [`UNSHARED`]) that may have boundary within `radius_m` of `p`, or
    /// `None` when the grid cannot tell (radius beyond the grid's, point outside it).
    #[inline]
    pub(crate) fn near(&self, p: Coord<f64>, radius_m: f64) -> Option<&[u32]> {
        if radius_m > self.radius_m || self.offsets.is_empty() {
            return None;
        }
        let (fx, fy) = (
            (p.x - self.lo[0]) / self.cell[0],
            (p.y - self.lo[1]) / self.cell[1],
        );
        if !(fx >= 0.0 && fy >= 0.0 && fx < self.nx as f64 && fy < self.ny as f64) {
            return None;
        }
        let k = fy as usize * self.nx + fx as usize;
        let start = *self.offsets.get(k)? as usize;
        let end = *self.offsets.get(k + 1)? as usize;
        self.ids.get(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::zone::ZoneKind;
    use crate::index::buckets::tests::rng;
    use crate::index::ZoneHandle;

    /// Whenever the grid settles a question, the exact search agrees: for random points,
    /// radii and sets of member zones (the allowing zones of a decision), "every zone near
    /// is a member" means no boundary of the members' union within the radius, and "no
    /// exclusion near" means no exclusion boundary within it.
    #[test]
    fn the_grid_only_settles_what_the_exact_search_confirms() {
        let plan = crate::Plan::safe_haven().unwrap();
        let index = plan.index();
        let grid = NearbyZones::build(index, 10_000.0);
        assert!(!grid.ids.is_empty());
        let mut state = 7u64;
        let (mut settled_union, mut settled_exclusion) = (0, 0);
        for _ in 0..4_000 {
            let p = Coord {
                x: 20.0 + 22.0 * rng(&mut state),
                y: 43.0 + 11.0 * rng(&mut state),
            };
            let radius = 10_000.0 * rng(&mut state);
            // Members: each sanctuary with probability 0.8 (most sets are large).
            let members: Vec<bool> = index
                .zones()
                .iter()
                .map(|z| z.kind() == ZoneKind::Sanctuary && rng(&mut state) < 0.8)
                .collect();
            let member = |h: ZoneHandle| members.get(h.index()).copied().unwrap_or(false);
            let Some(near) = grid.near(p, radius) else {
                continue;
            };
            if near.iter().all(|&z| z != UNSHARED && member(ZoneHandle(z))) {
                settled_union += 1;
                let d = index.distance_to_union_boundary_within(p, radius, member);
                assert!(d.is_none(), "{p:?}: union boundary at {d:?} within {radius}");
            }
            let exclusion = |h: ZoneHandle| index.zone(h).kind() == ZoneKind::Exclusion;
            if !near.iter().any(|&z| z != UNSHARED && exclusion(ZoneHandle(z))) {
                settled_exclusion += 1;
                let d = index.distance_to_union_boundary_within(p, radius, exclusion);
                assert!(d.is_none(), "{p:?}: exclusion boundary at {d:?} within {radius}");
            }
        }
        // The grid is useful: it settles a good share of the questions.
        assert!(
            settled_union > 1_000 && settled_exclusion > 2_000,
            "{settled_union} {settled_exclusion}"
        );
    }

    #[test]
    fn beyond_its_radius_or_extent_the_grid_does_not_answer() {
        let plan = crate::Plan::safe_haven().unwrap();
        let grid = NearbyZones::build(plan.index(), 10_000.0);
        assert!(grid.near(Coord { x: 30.0, y: 49.0 }, 10_000.0).is_some());
        assert!(grid.near(Coord { x: 30.0, y: 49.0 }, 10_001.0).is_none());
        assert!(grid.near(Coord { x: -100.0, y: 10.0 }, 1.0).is_none());
        let empty = NearbyZones::build(&ZoneIndex::new(vec![]).unwrap(), 10_000.0);
        assert!(empty.near(Coord { x: 30.0, y: 49.0 }, 1.0).is_none());
    }
}
