//! Shared machinery for the planar (Turf, JTS) fixtures: point sets against an areal
//! geometry, the exact power-of-two rescaling that brings planar test coordinates into
//! lon/lat range, and the DE-9IM predicates of a point set against a polygon.

use sanctuary::{
    geometry::{EdgeModel, Position, ZoneError, ZoneGeometry},
    Zone,
};

/// Polygons as `[shell, holes...]` rings of `[x, y]`.
pub(crate) type Polygons = Vec<Vec<Vec<[f64; 2]>>>;

/// One side of a planar fixture case.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Geom {
    /// A point or multipoint (empty members already dropped).
    Points(Vec<[f64; 2]>),
    /// A polygon or multipolygon (empty members already dropped).
    Areal(Polygons),
    /// Anything else (lines, collections): the case does not apply.
    Other(String),
}

/// How a case was brought into lon/lat range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fit {
    /// Coordinates were already valid longitudes/latitudes.
    Native,
    /// Every coordinate was divided by `2^k`. Planar containment is invariant under uniform
    /// scaling, and dividing by a power of two is exact in `f64`, so the expected answers
    /// are unchanged.
    Scaled(u32),
}

/// A planar point-set-versus-area case, ready to run.
pub(crate) struct Prepared {
    pub(crate) zone: Zone,
    pub(crate) points: Vec<[f64; 2]>,
    pub(crate) fit: Fit,
}

/// Why a case could not run.
#[derive(Debug)]
pub(crate) enum Skip {
    /// Not a point set against an area (e.g. a line).
    NotPointVsArea,
    /// Our validation rejects the polygon (e.g. a hole touching its shell, which OGC allows).
    Rejected(ZoneError),
}

/// Builds the zone (plate carrée: the fixtures are planar), rescaling when needed.
pub(crate) fn prepare(id: &str, polygons: &Polygons, points: &[[f64; 2]]) -> Result<Prepared, Skip> {
    let all = polygons.iter().flatten().flatten().chain(points.iter());
    let (mut mx, mut my) = (0.0_f64, 0.0_f64);
    for p in all {
        mx = mx.max(p[0].abs());
        my = my.max(p[1].abs());
    }
    let fit = if mx <= 180.0 && my < 90.0 {
        Fit::Native
    } else {
        // Bring longitudes within ±90 and latitudes within ±45, so no edge spans 180°.
        let mut k = 0;
        while mx / f64::powi(2.0, k) > 90.0 || my / f64::powi(2.0, k) > 45.0 {
            k += 1;
        }
        Fit::Scaled(k as u32)
    };
    let s = match fit {
        Fit::Native => 1.0,
        Fit::Scaled(k) => f64::powi(0.5, k as i32),
    };
    let scale = |p: &[f64; 2]| [p[0] * s, p[1] * s];
    let polys: Polygons = polygons
        .iter()
        .map(|poly| poly.iter().map(|ring| ring.iter().map(scale).collect()).collect())
        .collect();
    let geometry = if polys.len() == 1 {
        ZoneGeometry::polygon(polys.into_iter().next().unwrap_or_default())
    } else {
        ZoneGeometry::MultiPolygon { polygons: polys }
    };
    let zone = Zone::builder(id, geometry)
        .edges(EdgeModel::PlateCarree)
        .build()
        .map_err(Skip::Rejected)?;
    Ok(Prepared {
        zone,
        points: points.iter().map(scale).collect(),
        fit,
    })
}

impl Prepared {
    /// Tri-state positions of every point.
    pub(crate) fn positions(&self) -> Vec<Position> {
        self.points
            .iter()
            .map(|p| self.zone.position(p[0], p[1]).expect("fitted point is in range"))
            .collect()
    }
}

/// Counts of a point set's positions against an area.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Counts {
    pub(crate) inside: usize,
    pub(crate) boundary: usize,
    pub(crate) outside: usize,
}

impl Counts {
    pub(crate) fn of(positions: &[Position]) -> Self {
        let n = |want| positions.iter().filter(|&&p| p == want).count();
        Counts {
            inside: n(Position::Inside),
            boundary: n(Position::OnBoundary),
            outside: n(Position::Outside),
        }
    }

    /// The DE-9IM matrix of the point set (first) against the area (second). A point set
    /// has no boundary, so the middle row is `FFF`; the area's interior and boundary always
    /// meet the point set's exterior.
    pub(crate) fn matrix_points_area(self) -> String {
        let d = |n: usize| if n > 0 { '0' } else { 'F' };
        format!("{}{}{}FFF212", d(self.inside), d(self.boundary), d(self.outside))
    }

    /// Evaluates a named OGC predicate with the point set as the first argument (`true`)
    /// or the second (`false`). `None` for predicates this harness does not know.
    pub(crate) fn predicate(self, op: &str, points_first: bool) -> Option<bool> {
        let any_in = self.inside > 0;
        let any_b = self.boundary > 0;
        let any_out = self.outside > 0;
        let intersects = any_in || any_b;
        Some(match (op, points_first) {
            ("intersects", _) => intersects,
            ("disjoint", _) => !intersects,
            ("touches", _) => !any_in && any_b,
            // P/A and A/P: the point set's interior meets both the area's interior and its
            // exterior.
            ("crosses", _) => any_in && any_out,
            // An area is never within, nor covered by, a finite point set.
            ("contains", false) | ("within", true) => any_in && !any_out,
            ("covers", false) | ("coveredBy", true) => intersects && !any_out,
            ("contains", true) | ("within", false) | ("covers", true) | ("coveredBy", false) => false,
            // Different dimensions never overlap nor are equal.
            ("overlaps", _) | ("equalsTopo", _) | ("equals", _) => false,
            _ => return None,
        })
    }
}

/// Does a DE-9IM matrix match a pattern of `T`, `F`, `*`, `0`, `1`, `2`?
pub(crate) fn matches_pattern(matrix: &str, pattern: &str) -> bool {
    matrix.len() == 9
        && pattern.len() == 9
        && matrix.chars().zip(pattern.chars()).all(|(m, p)| match p {
            '*' => true,
            'T' | 't' => m != 'F',
            'F' | 'f' => m == 'F',
            digit => m == digit,
        })
}

/// Transposes a DE-9IM matrix (swaps the arguments).
pub(crate) fn transpose(matrix: &str) -> String {
    let c: Vec<char> = matrix.chars().collect();
    [0, 3, 6, 1, 4, 7, 2, 5, 8].iter().map(|&i| c[i]).collect()
}

/// Tally of what ran and what was skipped, printed by each harness.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub(crate) native: usize,
    pub(crate) scaled: usize,
    pub(crate) assertions: usize,
    pub(crate) not_point_vs_area: usize,
    pub(crate) rejected: Vec<String>,
}

impl Tally {
    pub(crate) fn ran(&mut self, fit: Fit) {
        match fit {
            Fit::Native => self.native += 1,
            Fit::Scaled(_) => self.scaled += 1,
        }
    }
    pub(crate) fn skip(&mut self, name: &str, why: Skip) {
        match why {
            Skip::NotPointVsArea => self.not_point_vs_area += 1,
            Skip::Rejected(e) => self.rejected.push(format!("{name}: {e}")),
        }
    }
    pub(crate) fn report(&self, what: &str) {
        println!(
            "{what}: {} cases ran ({} native, {} rescaled by 2^-k), {} expectations checked; \
             skipped {} not point-vs-area, {} rejected by validation",
            self.native + self.scaled,
            self.native,
            self.scaled,
            self.assertions,
            self.not_point_vs_area,
            self.rejected.len()
        );
        for r in &self.rejected {
            println!("  rejected {r}");
        }
    }
}
