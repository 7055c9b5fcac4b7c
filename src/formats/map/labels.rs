//! Label placement: where each zone's label fits (a raster of the zones over the map frame,
//! with a distance transform per zone), and a placer that keeps labels off one another.

use super::Projection;
use crate::index::Location;
use crate::rules::plan::Plan;

/// Raster cell, pixels (larger for a very large frame: at most [`MAX_CELLS`] a side).
const CELL: f64 = 6.0;
const MAX_CELLS: f64 = 600.0;
/// Candidate label centres kept per zone, deepest first.
const CANDIDATES: usize = 400;

/// An axis-aligned box, pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn around(x: f64, y: f64, r: f64) -> Rect {
        Rect {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        }
    }

    pub fn centred(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect {
            x0: x - w / 2.0,
            y0: y - h / 2.0,
            x1: x + w / 2.0,
            y1: y + h / 2.0,
        }
    }

    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    fn within(&self, o: &Rect) -> bool {
        self.x0 >= o.x0 && self.x1 <= o.x1 && self.y0 >= o.y0 && self.y1 <= o.y1
    }

    /// The point of the box nearest to (x, y).
    pub fn nearest(&self, x: f64, y: f64) -> (f64, f64) {
        (x.clamp(self.x0, self.x1), y.clamp(self.y0, self.y1))
    }
}

/// Width of a text, pixels, at a font size: about 0.6 em a character (DejaVu Sans, a
/// little wide so that labels never touch).
pub(super) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let per = if bold { 0.66 } else { 0.6 };
    per * size * text.chars().count() as f64
}

/// Boxes already taken inside a frame.
#[derive(Clone)]
pub(super) struct Placer {
    frame: Rect,
    taken: Vec<Rect>,
    /// Which of `taken` are labels (the rest are marks, lines and decorations).
    labels: Vec<usize>,
}

impl Placer {
    pub fn new(frame: Rect) -> Placer {
        Placer {
            frame,
            taken: Vec::new(),
            labels: Vec::new(),
        }
    }

    pub fn free(&self, r: &Rect) -> bool {
        r.within(&self.frame) && !self.taken.iter().any(|t| t.overlaps(r))
    }

    pub fn take(&mut self, r: Rect) {
        self.taken.push(r);
    }

    /// Takes a label's box.
    pub fn take_label(&mut self, r: Rect) {
        self.labels.push(self.taken.len());
        self.taken.push(r);
    }

    /// Labels that overlap anything else taken, or leave the frame (none when every label
    /// found a free place).
    #[cfg(test)]
    pub fn label_clashes(&self) -> Vec<Rect> {
        self.labels
            .iter()
            .filter_map(|&i| {
                let r = self.taken.get(i)?;
                let clash = !r.within(&self.frame)
                    || self
                        .taken
                        .iter()
                        .enumerate()
                        .any(|(j, o)| j != i && o.overlaps(r));
                clash.then_some(*r)
            })
            .collect()
    }

    /// Number of labels taken.
    #[cfg(test)]
    pub fn label_count(&self) -> usize {
        self.labels.len()
    }
}

/// Which zones hold each raster cell, and per zone the cells deepest inside it.
pub(super) struct ZoneRaster {
    /// Cell size, pixels.
    cell: f64,
    nx: usize,
    ny: usize,
    /// Per zone: a bit per cell, inside or not.
    masks: Vec<Vec<bool>>,
    /// Per zone: cell centres (frame pixels) and their depth, pixels, deepest first.
    candidates: Vec<Vec<(f64, f64, f64)>>,
}

impl ZoneRaster {
    /// The raster of a plan's zones over a projection's frame (at its origin).
    pub fn new(plan: &Plan, proj: &Projection) -> ZoneRaster {
        let (w, h) = (proj.width(), proj.height());
        let (w, h) = if w.is_finite() && h.is_finite() {
            (w.max(0.0), h.max(0.0))
        } else {
            (0.0, 0.0)
        };
        let cell = CELL.max(w.max(h) / MAX_CELLS);
        let nx = (w / cell).ceil().clamp(1.0, MAX_CELLS) as usize;
        let ny = (h / cell).ceil().clamp(1.0, MAX_CELLS) as usize;
        let n_zones = plan.index().zones().len();
        let mut masks = vec![vec![false; nx * ny]; n_zones];
        let mut loc = Location::default();
        for row in 0..ny {
            for col in 0..nx {
                let (x, y) = (
                    proj.x0 + (col as f64 + 0.5) * cell,
                    proj.y0 + (row as f64 + 0.5) * cell,
                );
                let (lon, lat) = proj.lonlat(x, y);
                if plan.index().locate_into(lon, lat, &mut loc).is_err() {
                    continue;
                }
                for h in &loc.inside {
                    if let Some(slot) = masks.get_mut(h.index()).and_then(|m| m.get_mut(row * nx + col)) {
                        *slot = true;
                    }
                }
            }
        }
        let candidates = masks.iter().map(|m| deepest_cells(m, nx, ny, cell)).collect();
        ZoneRaster {
            cell,
            nx,
            ny,
            masks,
            candidates,
        }
    }

    /// Is the frame pixel (x, y) (relative to the frame's corner) inside zone `zone`?
    fn inside(&self, zone: usize, x: f64, y: f64) -> bool {
        if x < 0.0 || y < 0.0 {
            return false;
        }
        let (col, row) = ((x / self.cell) as usize, (y / self.cell) as usize);
        col < self.nx
            && row < self.ny
            && self
                .masks
                .get(zone)
                .and_then(|m| m.get(row * self.nx + col))
                .copied()
                .unwrap_or(false)
    }

    /// Is the box (frame pixels) inside zone `zone`, at its corners, edge middles and centre?
    fn holds(&self, zone: usize, r: &Rect) -> bool {
        let xs = [r.x0, (r.x0 + r.x1) / 2.0, r.x1];
        let ys = [r.y0, (r.y0 + r.y1) / 2.0, r.y1];
        xs.iter().all(|&x| ys.iter().all(|&y| self.inside(zone, x, y)))
    }

    /// Number of cells.
    #[cfg(test)]
    pub fn cells(&self) -> usize {
        self.nx * self.ny
    }

    /// Does zone `zone` show in the frame at all?
    pub fn shows(&self, zone: usize) -> bool {
        self.candidates.get(zone).is_some_and(|c| !c.is_empty())
    }

    /// A place for a `w` × `h` label of zone `zone`, frame offset (`ox`, `oy`): inside the
    /// zone where it fits, else beside its deepest point with a leader line, else over its
    /// deepest point. The label's box (page pixels) and the leader's ends, if any. Without
    /// `force`, `None` rather than a label over others.
    pub fn place(
        &self,
        zone: usize,
        w: f64,
        h: f64,
        (ox, oy): (f64, f64),
        force: bool,
        placer: &mut Placer,
    ) -> Option<(Rect, Option<[f64; 4]>)> {
        let cands = self.candidates.get(zone)?;
        let &(ax, ay, _) = cands.first()?;
        for &(cx, cy, _) in cands {
            let local = Rect::centred(cx, cy, w, h);
            let page = shift(&local, ox, oy);
            if self.holds(zone, &local) && placer.free(&page) {
                placer.take_label(page);
                return Some((page, None));
            }
        }
        // Beside the deepest point, with a leader line.
        let (px, py) = (ax + ox, ay + oy);
        for step in 1..=8 {
            let r = 6.0 + 9.0 * f64::from(step);
            for k in 0..16 {
                let a = std::f64::consts::TAU * f64::from(k) / 16.0;
                let (dx, dy) = (a.cos(), a.sin());
                let cx = px + dx * (r + w / 2.0);
                let cy = py + dy * (r + h / 2.0);
                let page = Rect::centred(cx, cy, w, h);
                if placer.free(&page) {
                    placer.take_label(page);
                    let (ex, ey) = page.nearest(px, py);
                    return Some((page, Some([px, py, ex, ey])));
                }
            }
        }
        if !force {
            return None;
        }
        let page = Rect::centred(px, py, w, h);
        placer.take_label(page);
        Some((page, None))
    }
}

fn shift(r: &Rect, dx: f64, dy: f64) -> Rect {
    Rect {
        x0: r.x0 + dx,
        y0: r.y0 + dy,
        x1: r.x1 + dx,
        y1: r.y1 + dy,
    }
}

/// The cells of a mask, deepest first (a 3-4 chamfer distance to the nearest cell outside
/// the mask or the frame), at most [`CANDIDATES`], as frame pixels and depth in pixels.
fn deepest_cells(mask: &[bool], nx: usize, ny: usize, cell: f64) -> Vec<(f64, f64, f64)> {
    if !mask.iter().any(|&b| b) {
        return Vec::new();
    }
    let big = u32::MAX / 4;
    let mut d: Vec<u32> = mask.iter().map(|&b| if b { big } else { 0 }).collect();
    let at = |d: &[u32], col: isize, row: isize| -> u32 {
        if col < 0 || row < 0 || col as usize >= nx || row as usize >= ny {
            0
        } else {
            d.get(row as usize * nx + col as usize).copied().unwrap_or(0)
        }
    };
    let (inx, iny) = (nx as isize, ny as isize);
    for row in 0..iny {
        for col in 0..inx {
            let i = row as usize * nx + col as usize;
            if d.get(i).copied().unwrap_or(0) == 0 {
                continue;
            }
            let v = [
                at(&d, col - 1, row) + 3,
                at(&d, col, row - 1) + 3,
                at(&d, col - 1, row - 1) + 4,
                at(&d, col + 1, row - 1) + 4,
            ]
            .into_iter()
            .fold(d.get(i).copied().unwrap_or(0), u32::min);
            if let Some(c) = d.get_mut(i) {
                *c = v;
            }
        }
    }
    for row in (0..iny).rev() {
        for col in (0..inx).rev() {
            let i = row as usize * nx + col as usize;
            if d.get(i).copied().unwrap_or(0) == 0 {
                continue;
            }
            let v = [
                at(&d, col + 1, row) + 3,
                at(&d, col, row + 1) + 3,
                at(&d, col + 1, row + 1) + 4,
                at(&d, col - 1, row + 1) + 4,
            ]
            .into_iter()
            .fold(d.get(i).copied().unwrap_or(0), u32::min);
            if let Some(c) = d.get_mut(i) {
                *c = v;
            }
        }
    }
    let mut cells: Vec<(u32, usize)> = d
        .iter()
        .enumerate()
        .filter(|(_, &v)| v > 0)
        .map(|(i, &v)| (v, i))
        .collect();
    // Deepest first; among equals, the one nearest the top left, so the order is fixed.
    cells.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    cells
        .into_iter()
        .take(CANDIDATES)
        .map(|(v, i)| {
            let (col, row) = (i % nx, i / nx);
            (
                (col as f64 + 0.5) * cell,
                (row as f64 + 0.5) * cell,
                f64::from(v) / 3.0 * cell,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deepest_cell_of_a_square_is_its_middle() {
        let (nx, ny) = (9, 9);
        let mut mask = vec![false; nx * ny];
        for row in 2..7 {
            for col in 2..7 {
                if let Some(c) = mask.get_mut(row * nx + col) {
                    *c = true;
                }
            }
        }
        let cells = deepest_cells(&mask, nx, ny, CELL);
        assert_eq!(cells.len(), 25);
        assert_eq!(cells.first().map(|c| (c.0, c.1)), Some((4.5 * CELL, 4.5 * CELL)));
    }

    #[test]
    fn the_placer_refuses_overlaps_and_the_outside() {
        let mut p = Placer::new(Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 100.0,
            y1: 100.0,
        });
        let a = Rect::centred(50.0, 50.0, 20.0, 10.0);
        assert!(p.free(&a));
        p.take(a);
        assert!(!p.free(&Rect::centred(55.0, 52.0, 20.0, 10.0)));
        assert!(!p.free(&Rect::centred(99.0, 50.0, 20.0, 10.0)));
        assert!(p.free(&Rect::centred(20.0, 20.0, 20.0, 10.0)));
        p.take_label(Rect::centred(20.0, 20.0, 20.0, 10.0));
        assert!(p.label_clashes().is_empty());
        p.take_label(Rect::centred(25.0, 22.0, 20.0, 10.0));
        assert_eq!(p.label_clashes().len(), 2);
    }
}
