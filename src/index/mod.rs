//! The zone index: which zones hold a point, exactly, and how far boundaries are.
//!
//! A [`ZoneIndex`] answers [`ZoneIndex::locate`] (the zones whose interior or boundary holds
//! a point), [`ZoneIndex::nearest_boundary`] and [`ZoneIndex::distance_to_union_edge_m`] (the
//! edge of a union of zones, exact for any overlap to [`AREA_EDGE_TOLERANCE_M`]). Zones are
//! addressed by [`ZoneHandle`]s, assigned in id order.
//!
//! Inside: a uniform grid with per-cell exact answers for point location, the bounds of the
//! zones the grid does not cover (circles, great-circle edges: a list when there are a
//! few, an R-tree when there are many), and a packed
//! R-tree over boundary pieces (edges and circles) for distances, with a bucket grid for small
//! searches and, per piece, the spans other zones cover.

mod piece;
use piece::*;
mod build;
mod search;
use build::*;

pub use crate::geometry::error::IndexError;
pub use coverage::AREA_EDGE_TOLERANCE_M;

pub(crate) mod buckets;
pub(crate) mod coverage;
pub(crate) mod grid;
pub(crate) mod interior;
pub(crate) mod nearby;
pub(crate) mod piece_tree;

use crate::geometry::bounds::{Factors, QueryPoint};
use crate::geometry::error::PointError;
use crate::geometry::geodesy::{self, MIN_METRES_PER_DEGREE_LAT};
use crate::index::piece_tree::{HilbertCurve, PieceTree};

/// Points per rayon task in the batch calls: a point takes tens of nanoseconds, so smaller
/// tasks would spend more on scheduling than on work.
#[cfg(feature = "rayon")]
pub(crate) const PARALLEL_MIN_POINTS: usize = 1024;

/// Searches that would read more bucket cells than this use the piece tree instead.
const MAX_BUCKET_CELLS_PER_QUERY: usize = 256;
/// Bounded searches out to more than this many metres use the piece tree (measured on the
/// decide bench: buckets win for uncertainty discs, the tree for the 10 km margin).
const MAX_BUCKET_SEARCH_M: f64 = 3_000.0;

use crate::geometry::kernel::Position;
use crate::geometry::kernel::{edge_bounds, EdgeModel};
use crate::geometry::zone::{checked_point, Shape, Zone};
use crate::index::buckets::Buckets;
use crate::index::coverage::{Cover, CoverBuilder, PieceShape, Status};
use crate::index::grid::Grid;
use crate::index::interior::InteriorRaster;
use geo_types::Coord;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use std::sync::OnceLock;

/// A zone's place in a [`ZoneIndex`]. Handles are assigned in ascending id order, so
/// sorting handles sorts by id.
///
/// # Example
/// ```
/// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
/// let square = |id: &str, x: f64| {
///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
/// };
/// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
/// let a = index.handle("a").unwrap();
/// assert_eq!(index.zone(a).id(), "a");
/// assert!(a < index.handle("b").unwrap()); // handles follow id order
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ZoneHandle(pub(crate) u32);

impl ZoneHandle {
    /// The position of the zone in [`ZoneIndex::zones`].
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
    /// let square = |id: &str, x: f64| {
    ///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
    ///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
    /// };
    /// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
    /// assert_eq!(index.handle("b").unwrap().index(), 1);
    /// assert_eq!(index.zones()[1].id(), "b");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The answer of [`ZoneIndex::locate`]: every zone whose interior contains the point and
/// every zone on whose boundary it lies, each sorted by zone id.
///
/// # Example
/// ```
/// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
/// let square = |id: &str, x: f64| {
///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
/// };
/// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
/// let here = index.locate(0.5, 0.5)?;
/// assert_eq!(index.ids(&here.inside), vec!["a"]);
/// assert!(here.boundary.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// Zones whose interior contains the point.
    pub inside: Vec<ZoneHandle>,
    /// Zones whose boundary holds the point.
    pub boundary: Vec<ZoneHandle>,
}

/// The nearest zone boundary to a point.
///
/// # Example
/// ```
/// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
/// let square = |id: &str, x: f64| {
///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
/// };
/// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
/// let nearest = index.nearest_boundary(0.5, 0.25)?.unwrap();
/// assert_eq!(index.zone(nearest.zone).id(), "a");
/// assert!((nearest.distance_m - 27_640.0).abs() < 50.0); // a quarter degree south
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearestBoundary {
    /// The zone whose boundary is nearest (ties: the smallest id).
    pub zone: ZoneHandle,
    /// Geodesic distance in metres (0 on the boundary).
    pub distance_m: f64,
}

/// Up to this many zones outside the grid are located by testing each one's box.
const LOOSE_MAX: usize = 32;

/// The bounds of the zones the grid does not cover (circles, great-circle polygons).
#[derive(Debug, Clone)]
enum Uncovered {
    /// A few: `(handle, [min lon, min lat, max lon, max lat])` in handle order, each box
    /// tested in turn (cheaper than setting up a tree search).
    Boxes(Vec<(u32, [f64; 4])>),
    /// Many: an R-tree of the boxes.
    Tree(RTree<GeomWithData<Rectangle<[f64; 2]>, u32>>),
}

impl Uncovered {
    fn new(boxes: Vec<(u32, [f64; 4])>) -> Uncovered {
        if boxes.len() <= LOOSE_MAX {
            Uncovered::Boxes(boxes)
        } else {
            Uncovered::Tree(RTree::bulk_load(
                boxes
                    .into_iter()
                    .map(|(i, b)| GeomWithData::new(Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]), i))
                    .collect(),
            ))
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Uncovered::Boxes(b) => b.is_empty(),
            Uncovered::Tree(t) => t.size() == 0,
        }
    }

    /// Calls `f` with each zone whose box holds `p` (boxes include their edges).
    #[inline]
    fn candidates(&self, p: Coord<f64>, mut f: impl FnMut(ZoneHandle)) {
        match self {
            Uncovered::Boxes(boxes) => {
                for &(i, b) in boxes {
                    if b[0] <= p.x && p.x <= b[2] && b[1] <= p.y && p.y <= b[3] {
                        f(ZoneHandle(i));
                    }
                }
            }
            Uncovered::Tree(tree) => {
                for item in tree.locate_all_at_point(&[p.x, p.y]) {
                    f(ZoneHandle(item.data));
                }
            }
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Uncovered::Boxes(b) => b.capacity() * std::mem::size_of::<(u32, [f64; 4])>(),
            Uncovered::Tree(t) => {
                t.size() * std::mem::size_of::<GeomWithData<Rectangle<[f64; 2]>, u32>>() * 2
            }
        }
    }
}

/// An immutable index of validated zones.
///
/// Containment of plate-carrée polygons uses one uniform grid over all of them: each cell
/// knows which zones contain it entirely and, for the zones whose boundary crosses it,
/// the few edges involved and the exact state of a reference point, so a query costs one
/// cell lookup and a handful of exact `orient2d` tests. Circles and great-circle zones use
/// their bounds (tested one by one when there are up to 32 of them, through an R-tree
/// beyond) and their own exact test. Answers are identical to
/// [`Zone::position`]. Distances use a packed R-tree over boundary pieces, walked nearest
/// first with tight geodesic lower bounds, so only a handful of exact geodesic computations
/// run per query.
///
/// # Example
/// ```
/// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
/// let west = Zone::builder("west", ZoneGeometry::polygon(vec![vec![
///     [20.0, 48.0], [25.0, 48.0], [25.0, 50.0], [20.0, 50.0], [20.0, 48.0],
/// ]])).build()?;
/// let east = Zone::builder("east", ZoneGeometry::polygon(vec![vec![
///     [25.0, 48.0], [30.0, 48.0], [30.0, 50.0], [25.0, 50.0], [25.0, 48.0],
/// ]])).build()?;
/// let index = ZoneIndex::new(vec![east, west])?;
///
/// let here = index.locate(22.0, 49.0)?;
/// assert_eq!(index.ids(&here.inside), vec!["west"]);
/// // On the shared border: on both boundaries, inside neither.
/// let border = index.locate(25.0, 49.0)?;
/// assert!(border.inside.is_empty());
/// assert_eq!(index.ids(&border.boundary), vec!["east", "west"]);
///
/// let nearest = index.nearest_boundary(22.0, 49.0)?.unwrap();
/// assert_eq!(index.zone(nearest.zone).id(), "west");
/// // One degree of latitude north, to the 50°N edge.
/// assert!((nearest.distance_m - 111_200.0).abs() < 300.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct ZoneIndex {
    zones: Vec<Zone>,
    /// Point location for the zones it covers.
    grid: Option<Grid>,
    /// Bounds of the zones the grid does not cover.
    uncovered: Uncovered,
    /// Boundary pieces, in the tree's (Hilbert) order.
    pieces: Vec<Piece>,
    /// A packed R-tree over the pieces (in Hilbert order), walked best-first with geodesic
    /// lower bounds (see [`ZoneIndex::nearest_piece`]).
    tree: PieceTree,
    /// The smallest and largest longitude of any piece's box centre.
    centre_lons: [f64; 2],
    /// The smallest and largest longitude of any piece's box.
    lon_extent: [f64; 2],
    /// The pieces' boxes, and a bucket grid over them for small searches.
    piece_envs: Vec<AABB<[f64; 2]>>,
    buckets: Buckets,
    /// Per zone (in handle order), a raster bounding the distance to its own boundary.
    interiors: Vec<Option<InteriorRaster>>,
    /// Per piece, the spans of it that other zones cover (see [`crate::index::coverage`]), worked
    /// out on first use.
    covers: Box<[OnceLock<Cover>]>,
}

impl ZoneIndex {
    /// Builds the index. Zones are ordered by id.
    ///
    /// # Errors
    /// [`IndexError::DuplicateId`] when two zones share an id.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
    /// let square = |id: &str, x: f64| {
    ///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
    ///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
    /// };
    /// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
    /// assert_eq!(index.len(), 2);
    /// // Two zones with one id are refused.
    /// assert!(ZoneIndex::new(vec![square("a", 0.0)?, square("a", 5.0)?]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(mut zones: Vec<Zone>) -> Result<Self, IndexError> {
        zones.sort_by(|a, b| a.id().cmp(b.id()));
        for w in zones.windows(2) {
            if let [a, b] = w {
                if a.id() == b.id() {
                    return Err(IndexError::DuplicateId {
                        id: a.id().to_string(),
                    });
                }
            }
        }
        if zones.len() > u32::MAX as usize {
            return Err(IndexError::TooManyZones { count: zones.len() });
        }
        let grid = Grid::build(&zones);
        let uncovered = Uncovered::new(
            zones
                .iter()
                .enumerate()
                .filter(|(i, _)| !grid.as_ref().is_some_and(|g| g.covers(*i as u32)))
                .map(|(i, z)| (i as u32, z.bounds()))
                .collect(),
        );
        let mut pieces = build_pieces(&zones);
        let curve = HilbertCurve::over(pieces.iter().map(Piece::bounds));
        pieces.sort_by_cached_key(|piece| curve.key(&piece.bounds()));
        let boxes: Vec<[f64; 4]> = pieces.iter().map(Piece::bounds).collect();
        let tree = PieceTree::build(&boxes);
        let lon_extent = boxes.iter().fold([f64::INFINITY, f64::NEG_INFINITY], |m, b| {
            [m[0].min(b[0]), m[1].max(b[2])]
        });
        let centre_lons = pieces
            .iter()
            .map(Piece::centre_lon)
            .fold([f64::INFINITY, f64::NEG_INFINITY], |m, x| {
                [m[0].min(x), m[1].max(x)]
            });
        let piece_envs: Vec<AABB<[f64; 2]>> = pieces.iter().map(|piece| piece.env).collect();
        let buckets = Buckets::build(&piece_envs);
        let interiors = zones.iter().map(InteriorRaster::build).collect();
        let covers = pieces.iter().map(|_| OnceLock::new()).collect();
        Ok(ZoneIndex {
            zones,
            grid,
            uncovered,
            pieces,
            tree,
            centre_lons,
            lon_extent,
            piece_envs,
            buckets,
            interiors,
            covers,
        })
    }

    /// All zones, in id order (the order of their handles).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
    /// let square = |id: &str, x: f64| {
    ///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
    ///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
    /// };
    /// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
    /// let ids: Vec<&str> = index.zones().iter().map(|z| z.id()).collect();
    /// assert_eq!(ids, ["a", "b"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// The zone behind a handle.
    ///
    /// # Panics
    /// When the handle comes from another, larger index: use handles only with the index
    /// that produced them.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
    /// let square = |id: &str, x: f64| {
    ///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
    ///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
    /// };
    /// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
    /// let b = index.handle("b").unwrap();
    /// assert_eq!(index.zone(b).bounds(), [1.0, 0.0, 2.0, 1.0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn zone(&self, handle: ZoneHandle) -> &Zone {
        // Handles are only made by this index, so the index is in range.
        #[allow(clippy::indexing_slicing)]
        &self.zones[handle.index()]
    }

    /// The handle of the zone with this id.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
    /// let square = |id: &str, x: f64| {
    ///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
    ///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
    /// };
    /// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
    /// assert!(index.handle("a").is_some());
    /// assert!(index.handle("zz").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handle(&self, id: &str) -> Option<ZoneHandle> {
        self.zones
            .binary_search_by(|z| z.id().cmp(id))
            .ok()
            .map(|i| ZoneHandle(i as u32))
    }

    /// The ids of some handles, in the order given.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
    /// let square = |id: &str, x: f64| {
    ///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
    ///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
    /// };
    /// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
    /// let border = index.locate(1.0, 0.5)?;
    /// assert_eq!(index.ids(&border.boundary), vec!["a", "b"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn ids(&self, handles: &[ZoneHandle]) -> Vec<&str> {
        handles.iter().map(|h| self.zone(*h).id()).collect()
    }

    /// Number of zones.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
    /// let square = |id: &str, x: f64| {
    ///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
    ///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
    /// };
    /// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
    /// assert_eq!(index.len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn len(&self) -> usize {
        self.zones.len()
    }

    /// True when the index holds no zone.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
    /// let square = |id: &str, x: f64| {
    ///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
    ///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
    /// };
    /// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
    /// assert!(!index.is_empty());
    /// assert!(ZoneIndex::new(vec![])?.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.zones.is_empty()
    }

    /// Calls `f(handle, position)` for every zone whose interior or boundary holds the
    /// validated point, in no particular order. No allocation.
    #[inline]
    pub(crate) fn visit_at(&self, p: Coord<f64>, mut f: impl FnMut(ZoneHandle, Position)) {
        if let Some(grid) = &self.grid {
            grid.visit(&self.zones, p, |z, pos| f(ZoneHandle(z), pos));
        }
        self.uncovered
            .candidates(p, |h| match self.zone(h).position_at(p) {
                Position::Outside => {}
                pos => f(h, pos),
            });
    }

    /// Every zone whose interior contains (`lon`, `lat`) and every zone on whose boundary
    /// it lies.
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
    /// assert_eq!(index.ids(&index.locate(1.5, 0.5)?.inside), vec!["b"]);
    /// assert!(index.locate(5.0, 5.0)?.inside.is_empty());
    /// assert!(index.locate(f64::NAN, 0.0).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn locate(&self, lon: f64, lat: f64) -> Result<Location, PointError> {
        let mut loc = Location::default();
        self.locate_into(lon, lat, &mut loc)?;
        Ok(loc)
    }

    /// Like [`ZoneIndex::locate`], but clears and refills `out`, so a caller that keeps one
    /// [`Location`] makes no allocation once its vectors have grown. On error `out` is left
    /// empty.
    ///
    /// # Errors
    /// [`PointError`] when the point is not finite or out of range.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry, index::Location};
    /// let sq = Zone::builder("sq", ZoneGeometry::polygon(vec![vec![
    ///     [0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0],
    /// ]])).build()?;
    /// let index = ZoneIndex::new(vec![sq])?;
    /// let mut loc = Location::default();
    /// index.locate_into(0.5, 0.5, &mut loc)?;
    /// assert_eq!(index.ids(&loc.inside), vec!["sq"]);
    /// index.locate_into(1.0, 0.5, &mut loc)?;
    /// assert!(loc.inside.is_empty());
    /// assert_eq!(index.ids(&loc.boundary), vec!["sq"]);
    /// assert!(index.locate_into(f64::NAN, 0.5, &mut loc).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn locate_into(&self, lon: f64, lat: f64, out: &mut Location) -> Result<(), PointError> {
        out.inside.clear();
        out.boundary.clear();
        let p = checked_point(lon, lat)?;
        self.visit_at(p, |h, pos| match pos {
            Position::Inside => out.inside.push(h),
            _ => out.boundary.push(h),
        });
        // The grid reports zones in handle order; the uncovered zones come after: sort them in.
        if !self.uncovered.is_empty() {
            out.inside.sort_unstable();
            out.boundary.sort_unstable();
        }
        Ok(())
    }

    /// [`ZoneIndex::locate`] for many points, in order. With the `rayon` feature the points
    /// are shared among rayon's threads.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
    /// let sq = Zone::builder("sq", ZoneGeometry::polygon(vec![vec![
    ///     [0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0],
    /// ]])).build()?;
    /// let index = ZoneIndex::new(vec![sq])?;
    /// let out = index.locate_many(&[(0.5, 0.5), (2.0, 0.5), (f64::NAN, 0.0)]);
    /// assert_eq!(out[0].as_ref().unwrap().inside.len(), 1);
    /// assert!(out[1].as_ref().unwrap().inside.is_empty());
    /// assert!(out[2].is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn locate_many(&self, points: &[(f64, f64)]) -> Vec<Result<Location, PointError>> {
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            points
                .par_iter()
                .with_min_len(PARALLEL_MIN_POINTS)
                .map(|&(lon, lat)| self.locate(lon, lat))
                .collect()
        }
        #[cfg(not(feature = "rayon"))]
        {
            points.iter().map(|&(lon, lat)| self.locate(lon, lat)).collect()
        }
    }

    /// [`ZoneIndex::locate_many`] into a reused buffer: `out` ends up with one entry per
    /// point, and each `Ok` entry already there lends its [`Location`]'s buffers, so a warm
    /// buffer is refilled without allocating (the batch then scales across threads instead
    /// of queueing at the allocator). With the `rayon` feature the points are shared among
    /// rayon's threads.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
    /// let sq = Zone::builder("sq", ZoneGeometry::polygon(vec![vec![
    ///     [0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0],
    /// ]])).build()?;
    /// let index = ZoneIndex::new(vec![sq])?;
    /// let mut out = Vec::new();
    /// index.locate_many_into(&[(0.5, 0.5), (2.0, 0.5), (f64::NAN, 0.0)], &mut out);
    /// assert_eq!(out.len(), 3);
    /// assert_eq!(out[0].as_ref().unwrap().inside.len(), 1);
    /// assert!(out[1].as_ref().unwrap().inside.is_empty());
    /// assert!(out[2].is_err());
    /// // Refilled in place for the next batch.
    /// index.locate_many_into(&[(2.0, 0.5)], &mut out);
    /// assert_eq!(out.len(), 1);
    /// assert!(out[0].as_ref().unwrap().inside.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn locate_many_into(&self, points: &[(f64, f64)], out: &mut Vec<Result<Location, PointError>>) {
        out.truncate(points.len());
        let missing = points.len() - out.len();
        out.extend(std::iter::repeat_with(|| Ok(Location::default())).take(missing));
        let fill = |(slot, &(lon, lat)): (&mut Result<Location, PointError>, &(f64, f64))| {
            let result = match slot {
                Ok(loc) => self.locate_into(lon, lat, loc),
                Err(_) => {
                    let mut loc = Location::default();
                    self.locate_into(lon, lat, &mut loc).map(|()| *slot = Ok(loc))
                }
            };
            if let Err(e) = result {
                *slot = Err(e);
            }
        };
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            out.par_iter_mut()
                .zip(points.par_iter())
                .with_min_len(PARALLEL_MIN_POINTS)
                .for_each(fill);
        }
        #[cfg(not(feature = "rayon"))]
        {
            out.iter_mut().zip(points.iter()).for_each(fill);
        }
    }

    /// Approximate heap bytes of the point-location structures (the grid and the bounds of
    /// the zones it does not cover), not counting the zones themselves or the distance index.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
    /// let square = |id: &str, x: f64| {
    ///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
    ///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
    /// };
    /// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
    /// assert!(index.locate_index_bytes() > 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn locate_index_bytes(&self) -> usize {
        self.grid.as_ref().map_or(0, Grid::heap_bytes) + self.uncovered.heap_bytes()
    }
    /// Approximate heap bytes of the distance structures (boundary pieces, their R-tree and
    /// bucket grid, interior rasters, and the covers of the pieces worked out so far, which
    /// grow as searches reach more pieces), for memory reports.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneIndex, geometry::ZoneGeometry};
    /// let square = |id: &str, x: f64| {
    ///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
    ///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
    /// };
    /// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
    /// assert!(index.distance_index_bytes() > 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn distance_index_bytes(&self) -> usize {
        self.pieces.capacity() * std::mem::size_of::<Piece>()
            + self.tree.heap_bytes()
            + self.piece_envs.capacity() * std::mem::size_of::<AABB<[f64; 2]>>()
            + self.buckets.heap_bytes()
            + self
                .interiors
                .iter()
                .flatten()
                .map(InteriorRaster::heap_bytes)
                .sum::<usize>()
            + self.covers.len() * std::mem::size_of::<OnceLock<Cover>>()
            + self
                .covers
                .iter()
                .filter_map(OnceLock::get)
                .map(Cover::heap_bytes)
                .sum::<usize>()
    }

    /// Calls `f(zone, box, shared)` for every boundary piece: its zone's handle index, its
    /// lon/lat box, and whether another zone has the same edge (a shared border).
    pub(crate) fn for_each_piece(&self, mut f: impl FnMut(u32, [f64; 4], bool)) {
        for piece in &self.pieces {
            f(piece.zone, piece.bounds(), !piece.twins.is_empty());
        }
    }

    /// A cheap lower bound (m) on the distance from a validated point to one zone's own
    /// boundary (0 when nothing better is known).
    pub(crate) fn interior_lower_bound_m(&self, zone: ZoneHandle, p: Coord<f64>) -> f64 {
        match self.interiors.get(zone.index()) {
            Some(Some(raster)) => raster.lower_bound_m(p),
            _ => 0.0,
        }
    }

    /// Where (`lon`, `lat`) lies relative to one zone.
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
    /// use sanctuary::geometry::Position;
    /// let a = index.handle("a").unwrap();
    /// assert_eq!(index.position(a, 0.5, 0.5)?, Position::Inside);
    /// assert_eq!(index.position(a, 1.0, 0.5)?, Position::OnBoundary);
    /// assert_eq!(index.position(a, 1.5, 0.5)?, Position::Outside);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn position(&self, zone: ZoneHandle, lon: f64, lat: f64) -> Result<Position, PointError> {
        self.zone(zone).position(lon, lat)
    }

    /// Signed geodesic distance (m) from (`lon`, `lat`) to one zone's boundary: positive
    /// inside, negative outside, zero on the boundary.
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
    /// let a = index.handle("a").unwrap();
    /// assert!(index.signed_distance_m(a, 0.5, 0.5)? > 50_000.0);
    /// assert!(index.signed_distance_m(a, 1.5, 0.5)? < -50_000.0);
    /// assert_eq!(index.signed_distance_m(a, 1.0, 0.5)?, 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn signed_distance_m(&self, zone: ZoneHandle, lon: f64, lat: f64) -> Result<f64, PointError> {
        self.zone(zone).signed_distance_m(lon, lat)
    }
}
