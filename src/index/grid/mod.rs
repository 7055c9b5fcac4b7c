//! Exact point location against many plate-carrée zones: one uniform grid over all of them.
//!
//! Every grid cell lists, for each zone that reaches it, one entry:
//! - **Inside**: no edge of the zone comes near the cell, and the cell is inside the zone;
//! - **Boundary**: edges of the zone touch the cell. The entry keeps those edges (as runs of
//!   consecutive ring vertices) and a *reference point* `r` in the cell that is not on the
//!   zone's boundary, with its precomputed state (inside or outside);
//! - **Check**: fall back to the zone's own exact test (only when no reference point can be
//!   found, which needs an absurd number of edges in one cell).
//!
//! Zones that do not reach a cell, or whose cells are wholly outside them, have no entry:
//! a query reads one cell, answers Inside entries at once, and runs the exact test below
//! only against the handful of edges of a Boundary entry.
//!
//! # Why the boundary test is exact
//!
//! Cells are conservative: an edge is listed in every cell whose rectangle, grown by
//! [`EPS`] (far above the rounding of the cell arithmetic), meets the closed edge. A query
//! point `p` and the reference `r` of its cell both lie in that rectangle, so every edge
//! that meets the closed segment `p–r` is listed. Then:
//!
//! 1. If `p` lies on a listed edge (exact `orient2d`), it is on the boundary. Any edge
//!    through `p` is listed, so otherwise `p` is off the boundary.
//! 2. Otherwise, the state of `p` is the state of `r` flipped once per crossing of the
//!    segment `p–r` with the boundary. Crossings are counted with *simulation of
//!    simplicity*: a vertex `v` counts as being on the left of the line `p→r` only when
//!    `orient(p, r, v) > 0`; vertices exactly on the line are treated as pushed an
//!    infinitesimal distance to its right. Every vertex gets one consistent answer, so this
//!    is a real (infinitesimal) perturbation of the rings in which no vertex lies on the
//!    line and every crossing is transversal. An edge `a–b` crosses iff its ends are on
//!    different sides of the line and `orient(a, b, p)` and `orient(a, b, r)` have
//!    different signs. Neither is zero when the ends differ in side: if `p` were on the
//!    line `a–b`, the two lines would meet only at `p`, and the edge reaching or crossing
//!    the line `p→r` would put `p` on the edge, excluded by step 1 (likewise for `r`, which
//!    was chosen off the boundary). The perturbation moves the boundary by less than the
//!    (positive) distance from `p` and `r` to it, so it changes neither state, and for a
//!    closed curve in general position the parity of crossings of `p–r` is exactly the
//!    difference of the even-odd states of `p` and `r`. Rings of a validated zone are
//!    disjoint simple curves, so the even-odd state over all rings is the zone's state.
//!
//! The same test, run between the reference points of neighbouring cells along each row
//! (starting from a point left of the zone, which is outside), computes the reference
//! states and classifies the empty cells at build time: the build is exact too.

#[cfg(test)]
mod tests;

use crate::geometry::kernel::EdgeModel;
use crate::geometry::kernel::{orient, Position};
use crate::geometry::zone::{Shape, Zone};
use geo_types::Coord;

/// Margin (degrees) by which cells are grown when listing edges: ~0.1 mm, far above the
/// rounding of the cell arithmetic (~1e-13 degrees) and far below any cell size.
const EPS: f64 = 1e-9;

/// Target number of cells per planar edge.
const CELLS_PER_EDGE: f64 = 4.0;

/// Upper bound on the number of cells.
const MAX_CELLS: f64 = (1u64 << 25) as f64;

/// What a cell entry says about its zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The whole cell is inside the zone.
    Inside,
    /// Edges of the zone touch the cell: index into `Grid::boundary`.
    Boundary(u32),
    /// Use the zone's own exact test.
    Check,
}

/// One zone in one cell, packed in 8 bytes: `tag` is `payload << 3 | last << 2 | kind`.
#[derive(Debug, Clone, Copy)]
struct Entry {
    zone: u32,
    tag: u32,
}

/// Largest boundary index an [`Entry`] can hold.
const MAX_PAYLOAD: u32 = u32::MAX >> 3;

impl Entry {
    fn new(zone: u32, kind: Kind, last: bool) -> Entry {
        let (k, payload) = match kind {
            Kind::Inside => (0, 0),
            Kind::Boundary(b) => (1, b),
            Kind::Check => (2, 0),
        };
        Entry {
            zone,
            tag: payload << 3 | u32::from(last) << 2 | k,
        }
    }
    #[inline]
    fn kind(self) -> Kind {
        match self.tag & 3 {
            0 => Kind::Inside,
            1 => Kind::Boundary(self.tag >> 3),
            _ => Kind::Check,
        }
    }
    #[inline]
    fn last(self) -> bool {
        self.tag & 4 != 0
    }
}

/// A run of `edges` consecutive edges starting at vertex `start` of [`Grid::verts`].
#[derive(Debug, Clone, Copy)]
struct Run {
    start: u32,
    edges: u32,
}

/// The reference point of a boundary entry, its state, and its edges: the first run inline
/// (usually the only one), any others in [`Grid::runs`].
#[derive(Debug, Clone, Copy)]
struct BoundaryCell {
    r: Coord<f64>,
    run: Run,
    more_start: u32,
    /// `more_len << 1 | inside`.
    flags: u32,
}

/// The grid. See the module documentation.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    sx: f64,
    sy: f64,
    inv_sx: f64,
    inv_sy: f64,
    nx: usize,
    ny: usize,
    /// One word per cell: 0 when no zone reaches the cell; odd when the whole cell is inside
    /// zone `w >> 1` and no other zone reaches it (one memory access answers most queries);
    /// otherwise the cell's entries, by zone, start at `entries[(w >> 1) - 1]` and end at
    /// the one marked last.
    cells: Vec<u32>,
    entries: Vec<Entry>,
    boundary: Vec<BoundaryCell>,
    runs: Vec<Run>,
    /// Ring vertices of all gridded zones, each ring closed; edge `k` is `verts[k]–verts[k + 1]`.
    verts: Vec<Coord<f64>>,
    /// Which zones the grid answers for (the others need another path).
    covered: Vec<bool>,
}

/// Exact parity of the crossings of segment `p–r` with `edges`, by the rule of the module
/// documentation. `p` and `r` must be off the boundary.
fn crossing_parity(
    p: Coord<f64>,
    r: Coord<f64>,
    edges: impl Iterator<Item = (Coord<f64>, Coord<f64>)>,
) -> bool {
    let mut odd = false;
    if p == r {
        return odd;
    }
    for (a, b) in edges {
        let sa = orient(p, r, a) > 0.0;
        let sb = orient(p, r, b) > 0.0;
        if sa != sb && (orient(a, b, p) > 0.0) != (orient(a, b, r) > 0.0) {
            odd = !odd;
        }
    }
    odd
}

#[inline]
fn on_edge(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>) -> bool {
    p.x >= a.x.min(b.x)
        && p.x <= a.x.max(b.x)
        && p.y >= a.y.min(b.y)
        && p.y <= a.y.max(b.y)
        && orient(a, b, p) == 0.0
}

/// Cell geometry shared by build and query (the same float operations in both).
#[derive(Debug, Clone, Copy)]
struct Frame {
    x0: f64,
    y0: f64,
    sx: f64,
    sy: f64,
    inv_sx: f64,
    inv_sy: f64,
    nx: usize,
    ny: usize,
}

#[inline]
fn index_of(v: f64, origin: f64, inv: f64, n: usize) -> usize {
    let f = (v - origin) * inv;
    if f <= 0.0 {
        0
    } else {
        // Truncation is `floor` for positive values (and needs no libm call); the cast
        // saturates, then the clamp: monotone in `v`.
        (f as usize).min(n - 1)
    }
}

impl Frame {
    #[inline]
    fn col(&self, x: f64) -> usize {
        index_of(x, self.x0, self.inv_sx, self.nx)
    }
    #[inline]
    fn row(&self, y: f64) -> usize {
        index_of(y, self.y0, self.inv_sy, self.ny)
    }
    /// A point of cell (`c`, `r`) at fractions (`fx`, `fy`) of its width and height.
    #[inline]
    fn point(&self, c: usize, r: usize, fx: f64, fy: f64) -> Coord<f64> {
        Coord {
            x: self.x0 + (c as f64 + fx) * self.sx,
            y: self.y0 + (r as f64 + fy) * self.sy,
        }
    }
}

/// The planar rings of a zone, or `None` when the zone needs another path.
fn planar_rings(zone: &Zone) -> Option<Vec<&[Coord<f64>]>> {
    if zone.edge_model() != EdgeModel::PlateCarree {
        return None;
    }
    match &zone.shape {
        Shape::Polygons(polys) => Some(
            polys
                .iter()
                .flat_map(|p| p.iter())
                .map(|r| r.as_slice())
                .collect(),
        ),
        Shape::Circle { .. } => None,
    }
}

/// Reference candidates: the centre first, then a lattice of interior points.
fn candidates() -> impl Iterator<Item = (f64, f64)> {
    std::iter::once((0.5, 0.5)).chain(
        (0..15u32).flat_map(|i| {
            (0..15u32).map(move |j| (f64::from(2 * i + 1) / 30.0, f64::from(2 * j + 1) / 30.0))
        }),
    )
}

impl Grid {
    /// Builds the grid over the plate-carrée polygonal zones; `None` when there are none
    /// or the sizes do not fit the grid's 32-bit offsets.
    pub(crate) fn build(zones: &[Zone]) -> Option<Grid> {
        let mut verts: Vec<Coord<f64>> = Vec::new();
        // Per zone: the range of its vertices in `verts`, and its edges' start indices.
        let mut zone_edges: Vec<Option<Vec<u32>>> = Vec::with_capacity(zones.len());
        let (mut x0, mut y0, mut x1, mut y1) =
            (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
        for zone in zones {
            let Some(rings) = planar_rings(zone) else {
                zone_edges.push(None);
                continue;
            };
            let mut edges = Vec::new();
            for ring in rings {
                let base = verts.len();
                verts.extend_from_slice(ring);
                for (k, v) in ring.iter().enumerate() {
                    x0 = x0.min(v.x);
                    y0 = y0.min(v.y);
                    x1 = x1.max(v.x);
                    y1 = y1.max(v.y);
                    if k + 1 < ring.len() {
                        edges.push(u32::try_from(base + k).ok()?);
                    }
                }
            }
            zone_edges.push(Some(edges));
        }
        u32::try_from(verts.len()).ok()?;
        let n_edges: usize = zone_edges.iter().flatten().map(Vec::len).sum();
        if n_edges == 0 || x1 <= x0 || y1 <= y0 {
            return None;
        }
        let (w, h) = (x1 - x0, y1 - y0);
        let target = (n_edges as f64 * CELLS_PER_EDGE).clamp(16.0, MAX_CELLS);
        let s = (w * h / target).sqrt();
        let nx = ((w / s).ceil() as usize).max(1);
        let ny = ((h / s).ceil() as usize).max(1);
        let (sx, sy) = (w / nx as f64, h / ny as f64);
        let frame = Frame {
            x0,
            y0,
            sx,
            sy,
            inv_sx: 1.0 / sx,
            inv_sy: 1.0 / sy,
            nx,
            ny,
        };

        let mut placed: Vec<(u32, Entry)> = Vec::new();
        let mut boundary: Vec<BoundaryCell> = Vec::new();
        let mut runs: Vec<Run> = Vec::new();
        let mut covered = vec![false; zones.len()];
        for (zi, (zone, edges)) in zones.iter().zip(&zone_edges).enumerate() {
            let Some(edges) = edges else { continue };
            let zone_id = u32::try_from(zi).ok()?;
            let before = (placed.len(), boundary.len(), runs.len());
            let ok = rasterise_zone(
                &frame,
                zone,
                zone_id,
                &verts,
                edges,
                &mut placed,
                &mut boundary,
                &mut runs,
            );
            if ok.is_none() {
                // No reference point found somewhere: this zone takes the plain path.
                placed.truncate(before.0);
                boundary.truncate(before.1);
                runs.truncate(before.2);
                continue;
            }
            if let Some(c) = covered.get_mut(zi) {
                *c = true;
            }
        }
        u32::try_from(placed.len()).ok()?;
        if u32::try_from(boundary.len()).ok()? > MAX_PAYLOAD {
            return None;
        }
        u32::try_from(runs.len()).ok()?;

        // Counting sort of the entries by cell; stable, so each cell lists zones in order.
        let n_cells = nx.checked_mul(ny)?;
        let mut start = vec![0u32; n_cells + 1];
        for (c, _) in &placed {
            *start.get_mut(*c as usize + 1)? += 1;
        }
        let mut acc = 0u32;
        for n in &mut start {
            acc += *n;
            *n = acc;
        }
        let mut fill: Vec<u32> = start.clone();
        let mut sorted = vec![(0u32, Kind::Check); placed.len()];
        for (c, e) in placed {
            let slot = fill.get_mut(c as usize)?;
            *sorted.get_mut(*slot as usize)? = (e.zone, e.kind());
            *slot += 1;
        }
        drop(fill);
        let mut cells = vec![0u32; n_cells];
        let mut entries: Vec<Entry> = Vec::new();
        for (ci, word) in cells.iter_mut().enumerate() {
            let (s, e) = (*start.get(ci)? as usize, *start.get(ci + 1)? as usize);
            match sorted.get(s..e)? {
                [] => {}
                [(zone, Kind::Inside)] if *zone < 1 << 31 => *word = zone << 1 | 1,
                list => {
                    let at = u32::try_from(entries.len() + 1).ok().filter(|&a| a < 1 << 31)?;
                    *word = at << 1;
                    for (i, &(zone, kind)) in list.iter().enumerate() {
                        entries.push(Entry::new(zone, kind, i + 1 == list.len()));
                    }
                }
            }
        }
        Some(Grid {
            x0,
            y0,
            x1,
            y1,
            sx,
            sy,
            inv_sx: frame.inv_sx,
            inv_sy: frame.inv_sy,
            nx,
            ny,
            cells,
            entries,
            boundary,
            runs,
            verts,
            covered,
        })
    }

    /// Does the grid answer for this zone?
    pub(crate) fn covers(&self, zone: u32) -> bool {
        self.covered.get(zone as usize).copied().unwrap_or(false)
    }

    /// Approximate heap bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.cells.capacity() * size_of::<u32>()
            + self.entries.capacity() * size_of::<Entry>()
            + self.boundary.capacity() * size_of::<BoundaryCell>()
            + self.runs.capacity() * size_of::<Run>()
            + self.verts.capacity() * size_of::<Coord<f64>>()
            + self.covered.capacity()
    }

    /// Calls `f(zone, position)` for every covered zone whose interior or boundary holds
    /// the validated point `p`, in ascending zone order.
    #[inline]
    pub(crate) fn visit(&self, zones: &[Zone], p: Coord<f64>, mut f: impl FnMut(u32, Position)) {
        if !(p.x >= self.x0 && p.x <= self.x1 && p.y >= self.y0 && p.y <= self.y1) {
            return;
        }
        let frame = self.frame();
        let c = frame.row(p.y) * self.nx + frame.col(p.x);
        let Some(&word) = self.cells.get(c) else {
            return;
        };
        if word & 1 == 1 {
            f(word >> 1, Position::Inside);
            return;
        }
        if word == 0 {
            return;
        }
        let Some(entries) = self.entries.get((word >> 1) as usize - 1..) else {
            return;
        };
        for &entry in entries {
            let pos = match entry.kind() {
                Kind::Inside => Position::Inside,
                Kind::Boundary(b) => self.boundary_position(b, p),
                Kind::Check => match zones.get(entry.zone as usize) {
                    Some(z) => z.position_at(p),
                    None => Position::Outside,
                },
            };
            if pos != Position::Outside {
                f(entry.zone, pos);
            }
            if entry.last() {
                break;
            }
        }
    }

    #[inline]
    fn frame(&self) -> Frame {
        Frame {
            x0: self.x0,
            y0: self.y0,
            sx: self.sx,
            sy: self.sy,
            inv_sx: self.inv_sx,
            inv_sy: self.inv_sy,
            nx: self.nx,
            ny: self.ny,
        }
    }

    /// The exact state of `p` in a boundary entry (see the module documentation).
    #[inline]
    fn boundary_position(&self, b: u32, p: Coord<f64>) -> Position {
        let Some(cell) = self.boundary.get(b as usize) else {
            return Position::Outside;
        };
        let r = cell.r;
        let more = cell.more_start as usize..(cell.more_start + (cell.flags >> 1)) as usize;
        let more = self.runs.get(more).unwrap_or(&[]);
        let mut inside = cell.flags & 1 == 1;
        let moving = p != r;
        for run in std::iter::once(&cell.run).chain(more) {
            let start = run.start as usize;
            let Some(vs) = self.verts.get(start..=start + run.edges as usize) else {
                continue;
            };
            let Some((&first, rest)) = vs.split_first() else {
                continue;
            };
            let mut a = first;
            let mut sa = orient(p, r, a) > 0.0;
            for &b in rest {
                if on_edge(a, b, p) {
                    return Position::OnBoundary;
                }
                let sb = orient(p, r, b) > 0.0;
                if moving && sa != sb && (orient(a, b, p) > 0.0) != (orient(a, b, r) > 0.0) {
                    inside = !inside;
                }
                a = b;
                sa = sb;
            }
        }
        if inside {
            Position::Inside
        } else {
            Position::Outside
        }
    }
}

/// The end points of the edges `ids` (start indices into `verts`).
fn edge_coords<'a>(
    verts: &'a [Coord<f64>],
    ids: &'a [u32],
) -> impl Iterator<Item = (Coord<f64>, Coord<f64>)> + 'a {
    ids.iter()
        .filter_map(move |&k| Some((*verts.get(k as usize)?, *verts.get(k as usize + 1)?)))
}

/// Lists the cells each edge of one zone touches, then classifies the zone's cells row by
/// row. `None` when some boundary cell has no usable reference point.
#[allow(clippy::too_many_arguments)]
fn rasterise_zone(
    frame: &Frame,
    zone: &Zone,
    zone_id: u32,
    verts: &[Coord<f64>],
    edges: &[u32],
    placed: &mut Vec<(u32, Entry)>,
    boundary: &mut Vec<BoundaryCell>,
    runs: &mut Vec<Run>,
) -> Option<()> {
    let zb = zone.bounds();
    let (c0, c1) = (frame.col(zb[0] - EPS), frame.col(zb[2] + EPS));
    let (r0, r1) = (frame.row(zb[1] - EPS), frame.row(zb[3] + EPS));
    let w = c1 - c0 + 1;
    let h = r1 - r0 + 1;
    let edge = |k: u32| -> Option<(Coord<f64>, Coord<f64>)> {
        let k = k as usize;
        Some((*verts.get(k)?, *verts.get(k + 1)?))
    };

    // (local cell, edge) pairs, in edge order.
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(edges.len() * 3);
    for &k in edges {
        let (a, b) = edge(k)?;
        let (xa, xb) = (a.x.min(b.x), a.x.max(b.x));
        let (ya, yb) = (a.y.min(b.y), a.y.max(b.y));
        let (ca, cb) = (frame.col(xa - EPS), frame.col(xb + EPS));
        for c in ca..=cb {
            let lo = (frame.x0 + c as f64 * frame.sx - EPS).max(xa);
            let hi = (frame.x0 + (c + 1) as f64 * frame.sx + EPS).min(xb);
            if lo > hi {
                continue;
            }
            let (ylo, yhi) = if ca == cb || xb == xa {
                (ya, yb)
            } else {
                let slope = (b.y - a.y) / (b.x - a.x);
                let (u, v) = (a.y + (lo - a.x) * slope, a.y + (hi - a.x) * slope);
                (u.min(v).max(ya), u.max(v).min(yb))
            };
            let (ra, rb) = (frame.row(ylo - EPS), frame.row(yhi + EPS));
            for r in ra..=rb {
                let local = (r.checked_sub(r0)?) * w + c.checked_sub(c0)?;
                pairs.push((u32::try_from(local).ok()?, k));
            }
        }
    }
    // Counting sort by local cell (stable: edges stay sorted within a cell).
    let mut start = vec![0u32; w * h + 1];
    for (c, _) in &pairs {
        *start.get_mut(*c as usize + 1)? += 1;
    }
    let mut acc = 0u32;
    for n in &mut start {
        acc += *n;
        *n = acc;
    }
    let mut fill = start.clone();
    let mut cell_edges = vec![0u32; pairs.len()];
    for (c, k) in pairs {
        let slot = fill.get_mut(c as usize)?;
        *cell_edges.get_mut(*slot as usize)? = k;
        *slot += 1;
    }
    let list = |local: usize| -> &[u32] {
        match (start.get(local), start.get(local + 1)) {
            (Some(&s), Some(&e)) => cell_edges.get(s as usize..e as usize).unwrap_or(&[]),
            _ => &[],
        }
    };
    let coords = |ids| edge_coords(verts, ids);

    for r in r0..=r1 {
        let row_y = frame.point(0, r, 0.0, 0.5).y;
        // Left of the zone: outside, and nothing between it and the first cell.
        let mut prev_ref = Coord {
            x: zb[0] - 1.0,
            y: row_y,
        };
        let mut prev_inside = false;
        let mut prev_list: &[u32] = &[];
        for c in c0..=c1 {
            let local = (r - r0) * w + (c - c0);
            let here = list(local);
            let cell = u32::try_from(r * frame.nx + c).ok()?;
            if here.is_empty() {
                let centre = frame.point(c, r, 0.5, 0.5);
                let inside = prev_inside ^ crossing_parity(prev_ref, centre, coords(prev_list));
                if inside {
                    placed.push((cell, Entry::new(zone_id, Kind::Inside, false)));
                }
                prev_ref = centre;
                prev_inside = inside;
                prev_list = &[];
                continue;
            }
            let rp = candidates().map(|(fx, fy)| frame.point(c, r, fx, fy)).find(|q| {
                frame.col(q.x) == c && frame.row(q.y) == r && !coords(here).any(|(a, b)| on_edge(a, b, *q))
            })?;
            // Edges of both cells, each once (both lists are sorted).
            let fresh = here.iter().filter(|k| prev_list.binary_search(k).is_err());
            let both = coords(prev_list).chain(fresh.filter_map(|&k| edge(k)));
            let inside = prev_inside ^ crossing_parity(prev_ref, rp, both);
            // Runs of consecutive edges: the first inline, the others in `runs`.
            let base = runs.len();
            for &k in here {
                let extends = runs.len() > base && runs.last().is_some_and(|run| run.start + run.edges == k);
                match runs.last_mut() {
                    Some(run) if extends => run.edges += 1,
                    _ => runs.push(Run { start: k, edges: 1 }),
                }
            }
            let first = runs.get(base).copied();
            if first.is_some() {
                // Only this cell's runs follow `base`: the shift is short.
                runs.remove(base);
            }
            let more_start = u32::try_from(base).ok()?;
            let more_len = u32::try_from(runs.len()).ok()? - more_start;
            let b = u32::try_from(boundary.len()).ok()?;
            boundary.push(BoundaryCell {
                r: rp,
                run: first?,
                more_start,
                flags: more_len << 1 | u32::from(inside),
            });
            placed.push((cell, Entry::new(zone_id, Kind::Boundary(b), false)));
            prev_ref = rp;
            prev_inside = inside;
            prev_list = here;
        }
    }
    Some(())
}
