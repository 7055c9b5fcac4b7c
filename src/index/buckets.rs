//! A uniform bucket grid over boundary pieces, for the small searches the rule engine makes
//! on every decision (an uncertainty radius, a standoff, the margin horizon). For a box a
//! few cells wide it replaces an R-tree descent by a handful of array reads.

use rstar::{Envelope, AABB};

/// Pieces whose box covers more cells than this are kept in a separate list that every
/// query scans (circles, long edges).
const MAX_CELLS_PER_PIECE: usize = 64;
/// Target pieces per cell.
const PIECES_PER_CELL: f64 = 0.5;
/// Upper bound on the number of cells.
const MAX_CELLS: usize = 1 << 22;

/// Piece indices bucketed by the grid cells their boxes overlap.
#[derive(Debug, Clone)]
pub(crate) struct Buckets {
    lo: [f64; 2],
    cell: [f64; 2],
    nx: usize,
    ny: usize,
    /// `starts[c]..starts[c + 1]` indexes `items` for cell `c` (row-major).
    starts: Vec<u32>,
    items: Vec<u32>,
    /// Pieces with boxes too large to bucket.
    large: Vec<u32>,
    /// For each piece, the first cell (column, row) of its range: a piece listed in several
    /// cells is reported from the first of them that a query reads.
    first_cell: Vec<(u32, u32)>,
}

impl Buckets {
    /// Buckets the boxes `envs` (piece `i` has box `envs[i]`).
    pub(crate) fn build(envs: &[AABB<[f64; 2]>]) -> Buckets {
        let mut lo = [f64::INFINITY; 2];
        let mut hi = [f64::NEG_INFINITY; 2];
        for e in envs {
            let (l, h) = (e.lower(), e.upper());
            lo = [lo[0].min(l[0]), lo[1].min(l[1])];
            hi = [hi[0].max(h[0]), hi[1].max(h[1])];
        }
        if envs.is_empty() || !(lo[0].is_finite() && hi[0].is_finite()) {
            return Buckets {
                lo: [0.0; 2],
                cell: [1.0; 2],
                nx: 0,
                ny: 0,
                starts: vec![0],
                items: Vec::new(),
                large: Vec::new(),
                first_cell: Vec::new(),
            };
        }
        let (w, h) = ((hi[0] - lo[0]).max(1e-6), (hi[1] - lo[1]).max(1e-6));
        let target = (envs.len() as f64 / PIECES_PER_CELL).clamp(1.0, MAX_CELLS as f64);
        let side = (w * h / target).sqrt();
        let nx = ((w / side).ceil() as usize).clamp(1, MAX_CELLS);
        let ny = ((h / side).ceil() as usize).clamp(1, MAX_CELLS / nx);
        let cell = [w / nx as f64, h / ny as f64];
        let mut grid = Buckets {
            lo,
            cell,
            nx,
            ny,
            starts: vec![0; nx * ny + 1],
            items: Vec::new(),
            large: Vec::new(),
            first_cell: vec![(0, 0); envs.len()],
        };
        // Two passes: count, then fill (compressed rows).
        let mut counts = vec![0u32; nx * ny];
        let mut bucketed = Vec::with_capacity(envs.len());
        for (i, e) in envs.iter().enumerate() {
            let (x0, y0, x1, y1) = grid.cell_range(e);
            if (x1 - x0 + 1) * (y1 - y0 + 1) > MAX_CELLS_PER_PIECE {
                grid.large.push(i as u32);
                continue;
            }
            if let Some(first) = grid.first_cell.get_mut(i) {
                *first = (x0 as u32, y0 as u32);
            }
            bucketed.push((i as u32, x0, y0, x1, y1));
            for y in y0..=y1 {
                for x in x0..=x1 {
                    if let Some(c) = counts.get_mut(y * nx + x) {
                        *c += 1;
                    }
                }
            }
        }
        let mut total = 0u32;
        for (c, start) in counts.iter().zip(grid.starts.iter_mut()) {
            *start = total;
            total += c;
        }
        if let Some(last) = grid.starts.last_mut() {
            *last = total;
        }
        grid.items = vec![0; total as usize];
        let mut fill: Vec<u32> = grid.starts.clone();
        for (i, x0, y0, x1, y1) in bucketed {
            for y in y0..=y1 {
                for x in x0..=x1 {
                    if let Some(at) = fill.get_mut(y * nx + x) {
                        if let Some(slot) = grid.items.get_mut(*at as usize) {
                            *slot = i;
                        }
                        *at += 1;
                    }
                }
            }
        }
        grid
    }

    /// Inclusive cell range of a box, clamped to the grid.
    fn cell_range(&self, e: &AABB<[f64; 2]>) -> (usize, usize, usize, usize) {
        let (l, h) = (e.lower(), e.upper());
        // Truncation is the floor here: the value is clamped to zero or more first.
        let cx =
            |v: f64| (((v - self.lo[0]) / self.cell[0]).max(0.0) as usize).min(self.nx.saturating_sub(1));
        let cy =
            |v: f64| (((v - self.lo[1]) / self.cell[1]).max(0.0) as usize).min(self.ny.saturating_sub(1));
        (cx(l[0]), cy(l[1]), cx(h[0]), cy(h[1]))
    }

    /// How many cells a query box would read (the caller picks the R-tree for big ones).
    pub(crate) fn cells_in(&self, query: &AABB<[f64; 2]>) -> usize {
        if self.nx == 0 {
            return 0;
        }
        let (x0, y0, x1, y1) = self.cell_range(query);
        (x1 - x0 + 1) * (y1 - y0 + 1)
    }

    /// Calls `f` once for every piece whose box may meet `query` (a superset: callers test
    /// distances anyway). `envs` are the boxes the grid was built from.
    pub(crate) fn for_each(&self, query: &AABB<[f64; 2]>, envs: &[AABB<[f64; 2]>], mut f: impl FnMut(u32)) {
        for &i in &self.large {
            if envs.get(i as usize).is_some_and(|e| e.intersects(query)) {
                f(i);
            }
        }
        if self.nx == 0 {
            return;
        }
        let (ql, qh) = (query.lower(), query.upper());
        let outside = qh[0] < self.lo[0]
            || qh[1] < self.lo[1]
            || ql[0] > self.lo[0] + self.cell[0] * self.nx as f64
            || ql[1] > self.lo[1] + self.cell[1] * self.ny as f64;
        if outside {
            return;
        }
        let (x0, y0, x1, y1) = self.cell_range(query);
        for y in y0..=y1 {
            for x in x0..=x1 {
                let c = y * self.nx + x;
                let (Some(&start), Some(&end)) = (self.starts.get(c), self.starts.get(c + 1)) else {
                    continue;
                };
                let Some(cell_items) = self.items.get(start as usize..end as usize) else {
                    continue;
                };
                for &i in cell_items {
                    // A piece listed in several cells is reported once: from the first
                    // cell of its range that the query reads.
                    let Some(&(px0, py0)) = self.first_cell.get(i as usize) else {
                        continue;
                    };
                    if x == (px0 as usize).max(x0) && y == (py0 as usize).max(y0) {
                        f(i);
                    }
                }
            }
        }
    }

    /// Bytes on the heap.
    pub(crate) fn heap_bytes(&self) -> usize {
        (self.starts.capacity() + self.items.capacity() + self.large.capacity()) * 4
            + self.first_cell.capacity() * 8
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// SplitMix64 in [0, 1), for fixed sets of random test inputs (also used by `nearby`).
    pub(crate) fn rng(state: &mut u64) -> f64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn every_intersecting_box_is_reported_exactly_once() {
        let mut s = 7u64;
        let mut envs = Vec::new();
        for i in 0..2_000 {
            let (x, y) = (20.0 + 10.0 * rng(&mut s), 45.0 + 5.0 * rng(&mut s));
            // Mostly small boxes, some large ones (the separate list), some degenerate.
            let size = if i % 97 == 0 {
                3.0
            } else if i % 13 == 0 {
                0.0
            } else {
                0.05 * rng(&mut s)
            };
            envs.push(AABB::from_corners([x, y], [x + size, y + size * 0.5]));
        }
        let grid = Buckets::build(&envs);
        for _ in 0..500 {
            let (x, y) = (19.5 + 11.0 * rng(&mut s), 44.5 + 6.0 * rng(&mut s));
            let w = 0.3 * rng(&mut s);
            let query = AABB::from_corners([x, y], [x + w, y + w]);
            let mut seen = vec![0u32; envs.len()];
            grid.for_each(&query, &envs, |i| seen[i as usize] += 1);
            for (i, e) in envs.iter().enumerate() {
                assert!(seen[i] <= 1, "box {i} reported {} times", seen[i]);
                if e.intersects(&query) {
                    assert_eq!(seen[i], 1, "box {i} missed");
                }
            }
        }
    }
}
