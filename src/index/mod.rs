//! The zone index: a uniform grid with per-cell exact answers for point location (see
//! [`crate::index::grid`]), an R-tree over the bounds of the zones the grid does not cover
//! (circles, great-circle edges), and a packed R-tree over boundary pieces (edges and
//! circles, see [`crate::index::piece_tree`]) for nearest-boundary distances, with a bucket grid
//! for small searches.

pub(crate) mod buckets;
pub(crate) mod coverage;
pub(crate) mod grid;
pub(crate) mod interior;
pub(crate) mod nearby;
pub(crate) mod piece_tree;

use crate::geometry::bounds::{Factors, QueryPoint};
use crate::geometry::error::{IndexError, PointError};
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
use crate::index::coverage::{Cover, CoverBuilder, PieceShape, Status, AREA_EDGE_TOLERANCE_M};
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
/// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
/// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
/// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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

/// One boundary piece: a polygon edge or a whole circle.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub(crate) zone: u32,
    a: Coord<f64>,
    b: Coord<f64>,
    kind: PieceKind,
    /// Every other zone that has this exact edge, walked the other way (a shared border).
    twins: Box<[u32]>,
    env: AABB<[f64; 2]>,
    /// Latitude factors of `env`, for its lower bounds.
    factors: Factors,
}

#[derive(Debug, Clone, Copy)]
enum PieceKind {
    Edge(EdgeModel),
    Circle { radius_m: f64 },
}

impl Piece {
    /// Is this `other` walked the other way (same model, endpoints swapped)?
    fn reverses(&self, other: &Piece) -> bool {
        match (self.kind, other.kind) {
            (PieceKind::Edge(m1), PieceKind::Edge(m2)) => m1 == m2 && self.a == other.b && self.b == other.a,
            _ => false,
        }
    }

    /// Is this the same edge as `other` (same model, same endpoints either way round)?
    fn same_edge(&self, other: &Piece) -> bool {
        match (self.kind, other.kind) {
            (PieceKind::Edge(m1), PieceKind::Edge(m2)) => {
                m1 == m2
                    && ((self.a == other.a && self.b == other.b) || (self.a == other.b && self.b == other.a))
            }
            _ => false,
        }
    }

    /// Exact geodesic distance (m) from `p` to this piece.
    fn distance_m(&self, p: Coord<f64>) -> f64 {
        match self.kind {
            PieceKind::Edge(model) => geodesy::distance_to_edge(p, self.a, self.b, model),
            PieceKind::Circle { radius_m } => (geodesy::distance(self.a, p) - radius_m).abs(),
        }
    }

    /// A cheap lower bound (m) on [`Piece::distance_m`] from `q`.
    fn lower_bound_m(&self, q: &QueryPoint) -> f64 {
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
    fn upper_bound_m(&self, q: &QueryPoint) -> f64 {
        match self.kind {
            PieceKind::Edge(_) => q.upper_bound_m(self.a, &self.factors),
            PieceKind::Circle { .. } => f64::INFINITY,
        }
    }

    /// The piece's geometry, parameterised for its cover.
    fn shape(&self) -> PieceShape {
        match self.kind {
            PieceKind::Edge(model) => PieceShape::edge(self.a, self.b, model),
            PieceKind::Circle { radius_m } => PieceShape::Circle {
                center: self.a,
                radius_m,
            },
        }
    }

    fn bounds(&self) -> [f64; 4] {
        let (lo, hi) = (self.env.lower(), self.env.upper());
        [lo[0], lo[1], hi[0], hi[1]]
    }

    /// Longitude of the middle of the piece's box.
    fn centre_lon(&self) -> f64 {
        (self.env.lower()[0] + self.env.upper()[0]) / 2.0
    }
}

/// An immutable index of validated zones.
///
/// Containment of plate-carrée polygons uses one uniform grid over all of them: each cell
/// knows which zones contain it entirely and, for the zones whose boundary crosses it,
/// the few edges involved and the exact state of a reference point, so a query costs one
/// cell lookup and a handful of exact `orient2d` tests. Circles and great-circle zones use
/// an R-tree over their bounds and their own exact test. Answers are identical to
/// [`Zone::position`]. Distances use a packed R-tree over boundary pieces, walked nearest
/// first with tight geodesic lower bounds, so only a handful of exact geodesic computations
/// run per query.
///
/// # Example
/// ```
/// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
    zone_tree: RTree<GeomWithData<Rectangle<[f64; 2]>, u32>>,
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
        let zone_tree = RTree::bulk_load(
            zones
                .iter()
                .enumerate()
                .filter(|(i, _)| !grid.as_ref().is_some_and(|g| g.covers(*i as u32)))
                .map(|(i, z)| {
                    let b = z.bounds();
                    GeomWithData::new(Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]), i as u32)
                })
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
            zone_tree,
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
        if self.zone_tree.size() == 0 {
            return;
        }
        for item in self.zone_tree.locate_all_at_point(&[p.x, p.y]) {
            let h = ZoneHandle(item.data);
            match self.zone(h).position_at(p) {
                Position::Outside => {}
                pos => f(h, pos),
            }
        }
    }

    /// Every zone whose interior contains (`lon`, `lat`) and every zone on whose boundary
    /// it lies.
    ///
    /// # Errors
    /// [`PointError`] when the point is not finite or out of range.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
    /// use sanctuary::{Location, Zone, ZoneGeometry, ZoneIndex};
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
        // The grid reports zones in handle order; only the R-tree's need sorting in.
        if self.zone_tree.size() > 0 {
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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

    /// Approximate heap bytes of the point-location structures (the grid and the R-tree of
    /// zone bounds), not counting the zones themselves or the distance index.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
    /// let square = |id: &str, x: f64| {
    ///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
    ///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
    /// };
    /// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
    /// assert!(index.locate_index_bytes() > 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn locate_index_bytes(&self) -> usize {
        let tree = self.zone_tree.size() * std::mem::size_of::<GeomWithData<Rectangle<[f64; 2]>, u32>>() * 2;
        self.grid.as_ref().map_or(0, Grid::heap_bytes) + tree
    }
    /// Approximate heap bytes of the distance structures (boundary pieces, their R-tree and
    /// bucket grid, interior rasters, and the covers of the pieces worked out so far, which
    /// grow as searches reach more pieces), for memory reports.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
    /// let square = |id: &str, x: f64| {
    ///     let ring = vec![[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]];
    ///     Zone::builder(id, ZoneGeometry::polygon(vec![ring])).build()
    /// };
    /// let index = ZoneIndex::new(vec![square("b", 1.0)?, square("a", 0.0)?])?;
    /// use sanctuary::Position;
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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

    /// The nearest zone boundary to (`lon`, `lat`) and its geodesic distance, or `None`
    /// when the index is empty.
    ///
    /// # Errors
    /// [`PointError`] when the point is not finite or out of range.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
    /// it. Exact to within [`crate::AREA_EDGE_TOLERANCE_M`], and never more than the true
    /// distance: where other members cover part of a boundary piece, the distance to the
    /// rest of it is reduced by that tolerance. From a point outside the union this is the
    /// distance to the union.
    ///
    /// # Errors
    /// [`PointError`] when the point is not finite or out of range.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ZoneGeometry, ZoneIndex};
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
    fn walk_nearest(
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
    fn nearest_piece_within(
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
    fn cover(&self, i: usize, piece: &Piece) -> Option<&Cover> {
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
enum Take {
    /// Not at all.
    Skip,
    /// All of it.
    Whole,
    /// Only the parts of it that other members do not cover.
    Part,
}

/// [`Take::Whole`] for the pieces `accept` accepts, [`Take::Skip`] for the others.
fn whole_if(accept: impl Fn(&Piece) -> bool) -> impl Fn(usize, &Piece) -> Take {
    move |_, piece| if accept(piece) { Take::Whole } else { Take::Skip }
}

/// For searches that take no piece in part.
fn no_part(_: usize, piece: &Piece, q: &QueryPoint, _: f64) -> f64 {
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
fn search_boxes(p: Coord<f64>, limit_m: f64) -> [Option<(AABB<[f64; 2]>, f64)>; 2] {
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

fn build_pieces(zones: &[Zone]) -> Vec<Piece> {
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
fn undirected_edge_hash(a: Coord<f64>, b: Coord<f64>, model: EdgeModel) -> u64 {
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
