//! Interior distance rasters: for each polygonal zone, a coarse grid over its bounds that
//! gives, for any point, a cheap lower bound on the geodesic distance to the zone's own
//! boundary. The rule engine uses it to skip the exact margin search for tracks deep inside
//! a sanctuary: the distance to the edge of the sanctuary area is at least the distance to
//! the boundary of any allowing zone that contains the track.
//!
//! Cells touched by the box of any edge are boundary cells (distance 0); every other cell
//! holds its Chebyshev distance, in cells, to the nearest boundary cell. If a point's cell
//! is `k ≥ 1` cells from every boundary cell, any path from the point to the boundary
//! crosses at least `k − 1` whole cells east–west or north–south, so the distance is at
//! least `(k − 1)` times the shorter side of a cell in metres.

use crate::geometry::geodesy::{self, MIN_METRES_PER_DEGREE_LAT};
use crate::geometry::kernel::edge_bounds;
use crate::geometry::zone::{Shape, Zone};
use geo_types::Coord;

/// Target cell side, metres.
const CELL_M: f64 = 2_000.0;
/// Most cells per zone; larger zones get larger cells.
const MAX_CELLS: usize = 1 << 18;

/// A distance raster over one zone's bounds.
#[derive(Debug, Clone)]
pub(crate) struct InteriorRaster {
    lo: [f64; 2],
    cell: [f64; 2],
    nx: usize,
    ny: usize,
    /// Chebyshev distance in cells to the nearest boundary cell (saturating).
    steps: Vec<u16>,
    /// Metres per step: the shorter side of a cell, at the zone's most poleward latitude.
    metres_per_step: f64,
}

impl InteriorRaster {
    /// The raster of a polygonal zone; `None` for circles (their distance is cheap).
    pub(crate) fn build(zone: &Zone) -> Option<InteriorRaster> {
        let Shape::Polygons(_) = &zone.shape else {
            return None;
        };
        let b = zone.bounds();
        let lat_hi = (b[1].abs().max(b[3].abs()) + 0.1).min(89.0);
        let per_deg_lon = std::f64::consts::PI * geodesy::WGS84_A / 180.0 * lat_hi.to_radians().cos();
        let (w, h) = ((b[2] - b[0]).max(1e-9), (b[3] - b[1]).max(1e-9));
        let mut cell = [CELL_M / per_deg_lon, CELL_M / MIN_METRES_PER_DEGREE_LAT];
        let cells = (w / cell[0]).ceil() * (h / cell[1]).ceil();
        if cells > MAX_CELLS as f64 {
            let grow = (cells / MAX_CELLS as f64).sqrt();
            cell = [cell[0] * grow, cell[1] * grow];
        }
        let nx = ((w / cell[0]).ceil() as usize).max(1);
        let ny = ((h / cell[1]).ceil() as usize).max(1);
        let mut raster = InteriorRaster {
            lo: [b[0], b[1]],
            cell,
            nx,
            ny,
            steps: vec![u16::MAX; nx * ny],
            metres_per_step: 0.999 * (cell[0] * per_deg_lon).min(cell[1] * MIN_METRES_PER_DEGREE_LAT),
        };
        let model = zone.edge_model();
        zone.for_each_edge(|a, c| {
            let e = edge_bounds(a, c, model);
            let (x0, y0) = raster.cell_of(e[0] - 1e-9, e[1] - 1e-9);
            let (x1, y1) = raster.cell_of(e[2] + 1e-9, e[3] + 1e-9);
            for y in y0..=y1 {
                for x in x0..=x1 {
                    if let Some(s) = raster.steps.get_mut(y * nx + x) {
                        *s = 0;
                    }
                }
            }
        });
        raster.transform();
        Some(raster)
    }

    fn cell_of(&self, lon: f64, lat: f64) -> (usize, usize) {
        // Truncation is the floor: values are clamped to zero or more first.
        let x = (((lon - self.lo[0]) / self.cell[0]).max(0.0) as usize).min(self.nx - 1);
        let y = (((lat - self.lo[1]) / self.cell[1]).max(0.0) as usize).min(self.ny - 1);
        (x, y)
    }

    /// Two-pass Chebyshev distance transform (8 neighbours, unit steps).
    fn transform(&mut self) {
        let (nx, ny) = (self.nx, self.ny);
        let at = |steps: &Vec<u16>, x: isize, y: isize| -> u16 {
            if x < 0 || y < 0 || x as usize >= nx || y as usize >= ny {
                // Outside the bounds is outside the zone: as good as boundary, one step out.
                return 0;
            }
            steps.get(y as usize * nx + x as usize).copied().unwrap_or(0)
        };
        for y in 0..ny as isize {
            for x in 0..nx as isize {
                let here = at(&self.steps, x, y);
                let best = [(-1, -1), (0, -1), (1, -1), (-1, 0)]
                    .iter()
                    .map(|(dx, dy)| at(&self.steps, x + dx, y + dy).saturating_add(1))
                    .fold(here, u16::min);
                if let Some(s) = self.steps.get_mut(y as usize * nx + x as usize) {
                    *s = best;
                }
            }
        }
        for y in (0..ny as isize).rev() {
            for x in (0..nx as isize).rev() {
                let here = at(&self.steps, x, y);
                let best = [(1, 1), (0, 1), (-1, 1), (1, 0)]
                    .iter()
                    .map(|(dx, dy)| at(&self.steps, x + dx, y + dy).saturating_add(1))
                    .fold(here, u16::min);
                if let Some(s) = self.steps.get_mut(y as usize * nx + x as usize) {
                    *s = best;
                }
            }
        }
    }

    /// A lower bound (m) on the geodesic distance from `p` to the zone's boundary. Zero
    /// outside the zone's bounds or near its boundary.
    pub(crate) fn lower_bound_m(&self, p: Coord<f64>) -> f64 {
        let inside_box = p.x >= self.lo[0]
            && p.y >= self.lo[1]
            && p.x <= self.lo[0] + self.cell[0] * self.nx as f64
            && p.y <= self.lo[1] + self.cell[1] * self.ny as f64;
        if !inside_box {
            return 0.0;
        }
        let (x, y) = self.cell_of(p.x, p.y);
        let k = self.steps.get(y * self.nx + x).copied().unwrap_or(0);
        f64::from(k.saturating_sub(1)) * self.metres_per_step
    }

    /// Bytes on the heap.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.steps.capacity() * 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::zone::ZoneGeometry;

    #[test]
    fn lower_bound_never_exceeds_the_true_distance() {
        let zone = Zone::builder(
            "z",
            ZoneGeometry::polygon(vec![vec![
                [20.0, 48.0],
                [23.0, 48.0],
                [23.5, 49.5],
                [21.0, 50.5],
                [20.0, 48.0],
            ]]),
        )
        .build()
        .unwrap();
        let raster = InteriorRaster::build(&zone).unwrap();
        let mut found_positive = false;
        for i in 0..60 {
            for j in 0..60 {
                let p = Coord {
                    x: 20.0 + 3.5 * f64::from(i) / 59.0,
                    y: 48.0 + 2.5 * f64::from(j) / 59.0,
                };
                let lb = raster.lower_bound_m(p);
                let d = zone.boundary_distance_at(p);
                assert!(lb <= d, "({}, {}): {lb} > {d}", p.x, p.y);
                found_positive |= lb > 20_000.0;
            }
        }
        assert!(found_positive, "the bound is useful deep inside");
    }
}
