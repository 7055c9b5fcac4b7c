//! Zones: validated lon/lat polygons, multipolygons and geodesic circles, with their kind,
//! edge model and vertical band.
//!
//! A [`Zone`] can only be obtained through validation ([`ZoneBuilder::build`], GeoJSON
//! loading or deserialisation), so the index and the rule engine never see an open ring,
//! a NaN, a latitude beyond ±90 or a self-intersecting ring.

mod json;
mod validate;

use crate::geometry::error::{PointError, ZoneError, ZoneProblem};
use crate::geometry::geodesy;
use crate::geometry::kernel::{
    edge_bounds, orient, ring_position_great_circle, ring_position_planar, ring_twice_area, segment_contact,
    EdgeModel, Position, SegmentContact,
};
use geo_types::Coord;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject, AABB};
use serde::{Deserialize, Serialize};

/// Points whose geodesic distance from a circle's centre is within this many metres of the
/// radius are on the circle's boundary.
///
/// # Example
/// ```
/// use sanctuary::{Zone, geometry::{CIRCLE_BOUNDARY_TOLERANCE_M, Position, ZoneGeometry}};
/// assert_eq!(CIRCLE_BOUNDARY_TOLERANCE_M, 1e-3);
/// let c = Zone::builder("c", ZoneGeometry::circle(0.0, 0.0, 1_000.0)).build()?;
/// // The centre is far from the boundary: strictly inside.
/// assert_eq!(c.position(0.0, 0.0)?, Position::Inside);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const CIRCLE_BOUNDARY_TOLERANCE_M: f64 = 1e-3;

/// What a zone means to the rule engine.
///
/// # Example
/// ```
/// use sanctuary::{Zone, geometry::{ZoneGeometry, ZoneKind}};
/// assert_eq!(ZoneKind::default(), ZoneKind::Sanctuary);
/// let c = Zone::builder("no-go", ZoneGeometry::circle(0.0, 0.0, 500.0))
///     .kind(ZoneKind::Exclusion)
///     .build()?;
/// assert_eq!(c.kind(), ZoneKind::Exclusion);
/// assert_eq!(serde_json::to_string(&ZoneKind::Exclusion)?, r#""exclusion""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ZoneKind {
    /// An area in which engagement may be permitted, subject to the plan's rules.
    #[default]
    Sanctuary,
    /// An area where engagement is never permitted. An active exclusion that contains or
    /// touches a track (or its uncertainty disc) denies, whatever any sanctuary says.
    Exclusion,
}

/// An optional vertical band: a track is inside it when `floor_m <= alt <= ceiling_m`
/// (either limit may be absent). Metres, the same datum as the tracks' altitudes.
///
/// # Example
/// ```
/// use sanctuary::geometry::VerticalBand;
/// let open_top = VerticalBand { floor_m: Some(150.0), ceiling_m: None };
/// assert!(open_top.contains(10_000.0));
/// assert!(!open_top.contains(149.9));
/// // No limits at all: every finite altitude is inside.
/// assert!(VerticalBand::default().contains(-50.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct VerticalBand {
    /// Lowest altitude included, metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor_m: Option<f64>,
    /// Highest altitude included, metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceiling_m: Option<f64>,
}

impl VerticalBand {
    /// Does the closed band contain `alt_m`? A NaN altitude is never contained.
    ///
    /// # Example
    /// ```
    /// let band = sanctuary::geometry::VerticalBand { floor_m: Some(0.0), ceiling_m: Some(100.0) };
    /// assert!(band.contains(100.0));
    /// assert!(!band.contains(100.5));
    /// assert!(!band.contains(f64::NAN));
    /// ```
    pub fn contains(&self, alt_m: f64) -> bool {
        alt_m.is_finite()
            && self.floor_m.is_none_or(|f| alt_m >= f)
            && self.ceiling_m.is_none_or(|c| alt_m <= c)
    }
}

/// Unvalidated zone geometry, as given by a caller or a file: positions are `[lon, lat]`
/// in WGS84 degrees.
///
/// # JSON
///
/// A zone geometry is GeoJSON: a `Polygon` or `MultiPolygon` (`coordinates`), and a circle
/// is a `Point` with `radius_m`, in metres. That is the one shape of a circle everywhere:
/// in a zone ([`ZoneSpec`], a serialised [`Zone`]), a plan file's zone and a GeoJSON zone
/// file's feature, `radius_m` sits beside the geometry (in a feature, among its
/// properties); a bare `ZoneGeometry`, with no zone around it, holds it as a member of the
/// `Point`. The earlier serde form (`{"type": "circle", "center": [lon, lat], "radius_m": r}`,
/// `{"type": "polygon", "rings": …}`, `{"type": "multi_polygon", "polygons": …}`) is still
/// read, and never written.
///
/// # Example
/// ```
/// use sanctuary::geometry::ZoneGeometry;
/// let g: ZoneGeometry =
///     serde_json::from_str(r#"{"type": "Point", "coordinates": [30.5, 50.4], "radius_m": 1000.0}"#)?;
/// assert_eq!(g, ZoneGeometry::circle(30.5, 50.4, 1000.0));
/// assert_eq!(
///     serde_json::to_string(&g)?,
///     r#"{"type":"Point","coordinates":[30.5,50.4],"radius_m":1000.0}"#
/// );
/// // The earlier form still reads.
/// let old: ZoneGeometry =
///     serde_json::from_str(r#"{"type": "circle", "center": [30.5, 50.4], "radius_m": 1000.0}"#)?;
/// assert_eq!(old, g);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum ZoneGeometry {
    /// One polygon: a shell followed by holes, each a closed ring.
    Polygon {
        /// Rings; the first is the shell.
        rings: Vec<Vec<[f64; 2]>>,
    },
    /// Several non-overlapping polygons.
    MultiPolygon {
        /// Polygons, each a list of rings.
        polygons: Vec<Vec<Vec<[f64; 2]>>>,
    },
    /// Every point whose WGS84 geodesic distance from the centre is at most the radius.
    Circle {
        /// Centre `[lon, lat]`.
        center: [f64; 2],
        /// Radius in metres.
        radius_m: f64,
    },
}

impl ZoneGeometry {
    /// A polygon from its rings (shell first).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::ZoneGeometry};
    /// let square = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
    /// let g = ZoneGeometry::polygon(vec![square]);
    /// assert!(matches!(&g, ZoneGeometry::Polygon { rings } if rings.len() == 1));
    /// assert_eq!(Zone::builder("sq", g).build()?.vertex_count(), 4);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn polygon(rings: Vec<Vec<[f64; 2]>>) -> Self {
        ZoneGeometry::Polygon { rings }
    }

    /// A geodesic circle.
    ///
    /// # Example
    /// ```
    /// use sanctuary::geometry::ZoneGeometry;
    /// let g = ZoneGeometry::circle(30.5, 50.4, 1000.0);
    /// assert_eq!(g, ZoneGeometry::Circle { center: [30.5, 50.4], radius_m: 1000.0 });
    /// ```
    pub fn circle(lon: f64, lat: f64, radius_m: f64) -> Self {
        ZoneGeometry::Circle {
            center: [lon, lat],
            radius_m,
        }
    }
}

/// Everything needed to build a zone; the serialised form of a [`Zone`].
///
/// In JSON its geometry is GeoJSON and a circle is a `Point` with `radius_m` beside it, as
/// in a plan file's zone (see [`ZoneGeometry`]); `band` is an object with `floor_m` and
/// `ceiling_m`.
///
/// # Example
/// ```
/// use sanctuary::{Zone, geometry::{ZoneGeometry, ZoneKind, ZoneSpec}};
/// let text = r#"{"id":"c","kind":"exclusion","edges":"plate_carree","geometry":{"type":"Point","coordinates":[0.0,0.0]},"radius_m":500.0}"#;
/// let spec: ZoneSpec = serde_json::from_str(text)?;
/// assert_eq!((spec.kind, &spec.geometry), (ZoneKind::Exclusion, &ZoneGeometry::circle(0.0, 0.0, 500.0)));
/// assert_eq!(serde_json::to_string(&spec)?, text);
/// let zone = Zone::try_from(spec.clone())?;
/// assert_eq!(zone.to_spec(), spec);
/// // The earlier form of a circle still reads, as the same spec.
/// let old: ZoneSpec = serde_json::from_str(
///     r#"{"id": "c", "kind": "exclusion", "geometry": {"type": "circle", "center": [0, 0], "radius_m": 500}}"#,
/// )?;
/// assert_eq!(old, spec);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneSpec {
    /// Unique, non-empty id.
    pub id: String,
    /// Optional human-readable name.
    pub name: Option<String>,
    /// Sanctuary (default) or exclusion.
    pub kind: ZoneKind,
    /// Edge model; plate carrée by default.
    pub edges: EdgeModel,
    /// The geometry.
    pub geometry: ZoneGeometry,
    /// Optional vertical band.
    pub band: Option<VerticalBand>,
}

/// A validated zone.
///
/// Rings are stored closed, without repeated consecutive vertices, shells counter-clockwise
/// and holes clockwise (in lon/lat), so that two zones sharing a border walk it in opposite
/// directions.
///
/// # Example
/// ```
/// use sanctuary::{Zone, geometry::{EdgeModel, Position, ZoneGeometry, ZoneKind}};
/// let ring = vec![[20.0, 40.0], [30.0, 40.0], [30.0, 50.0], [20.0, 50.0], [20.0, 40.0]];
/// let flat = Zone::builder("flat", ZoneGeometry::polygon(vec![ring.clone()])).build()?;
/// let round = Zone::builder("round", ZoneGeometry::polygon(vec![ring]))
///     .edges(EdgeModel::GreatCircle)
///     .build()?;
/// // Just north of the 50°N edge: outside the plate-carrée zone, inside the great-circle one.
/// assert_eq!(flat.position(25.0, 50.1)?, Position::Outside);
/// assert_eq!(round.position(25.0, 50.1)?, Position::Inside);
/// assert_eq!(flat.kind(), ZoneKind::Sanctuary);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ZoneSpec", into = "ZoneSpec")]
pub struct Zone {
    id: String,
    name: Option<String>,
    kind: ZoneKind,
    edges: EdgeModel,
    band: Option<VerticalBand>,
    pub(crate) shape: Shape,
    bounds: [f64; 4],
}

/// The validated geometry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    /// Polygons; each is `[shell, holes...]`.
    Polygons(Vec<Vec<Vec<Coord<f64>>>>),
    Circle {
        center: Coord<f64>,
        radius_m: f64,
    },
}

/// Builds a [`Zone`], validating everything at [`ZoneBuilder::build`].
///
/// # Example
/// ```
/// use sanctuary::{Zone, geometry::{ZoneGeometry, ZoneKind}};
/// let zone = Zone::builder("c", ZoneGeometry::circle(0.0, 0.0, 500.0))
///     .name("Camp")
///     .kind(ZoneKind::Exclusion)
///     .band(None, Some(3_000.0))
///     .build()?;
/// assert_eq!(zone.name(), Some("Camp"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ZoneBuilder {
    spec: ZoneSpec,
}

impl ZoneBuilder {
    /// Sets the human-readable name.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::ZoneGeometry};
    /// let z = Zone::builder("c", ZoneGeometry::circle(0.0, 0.0, 500.0)).name("Camp").build()?;
    /// assert_eq!(z.name(), Some("Camp"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.spec.name = Some(name.into());
        self
    }
    /// Sets the kind (sanctuary by default).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::{ZoneGeometry, ZoneKind}};
    /// let z = Zone::builder("c", ZoneGeometry::circle(0.0, 0.0, 500.0))
    ///     .kind(ZoneKind::Exclusion)
    ///     .build()?;
    /// assert_eq!(z.kind(), ZoneKind::Exclusion);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kind(mut self, kind: ZoneKind) -> Self {
        self.spec.kind = kind;
        self
    }
    /// Sets the edge model (plate carrée by default).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::{EdgeModel, ZoneGeometry}};
    /// let ring = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
    /// let z = Zone::builder("sq", ZoneGeometry::polygon(vec![ring]))
    ///     .edges(EdgeModel::GreatCircle)
    ///     .build()?;
    /// assert_eq!(z.edge_model(), EdgeModel::GreatCircle);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn edges(mut self, edges: EdgeModel) -> Self {
        self.spec.edges = edges;
        self
    }
    /// Sets the vertical band.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::{VerticalBand, ZoneGeometry}};
    /// let c = ZoneGeometry::circle(0.0, 0.0, 500.0);
    /// let z = Zone::builder("c", c.clone()).band(Some(0.0), Some(120.0)).build()?;
    /// assert_eq!(z.band(), Some(VerticalBand { floor_m: Some(0.0), ceiling_m: Some(120.0) }));
    /// // A floor above the ceiling is rejected at build.
    /// assert!(Zone::builder("c", c).band(Some(200.0), Some(100.0)).build().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn band(mut self, floor_m: Option<f64>, ceiling_m: Option<f64>) -> Self {
        self.spec.band = Some(VerticalBand { floor_m, ceiling_m });
        self
    }
    /// Validates and builds the zone.
    ///
    /// # Errors
    /// A [`ZoneError`] naming the zone and every [`ZoneProblem`] found.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::{ZoneGeometry, ZoneProblem}};
    /// let ok = Zone::builder("sq", ZoneGeometry::polygon(vec![vec![
    ///     [0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0],
    /// ]]))
    /// .build()?;
    /// assert_eq!(ok.id(), "sq");
    /// // An open ring is refused, with the problem named.
    /// let open = vec![vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]];
    /// let err = Zone::builder("open", ZoneGeometry::polygon(open)).build().unwrap_err();
    /// assert_eq!(err.problems, vec![ZoneProblem::RingNotClosed { polygon: 0, ring: 0 }]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(self) -> Result<Zone, ZoneError> {
        Zone::try_from(self.spec)
    }
}

impl Zone {
    /// Starts building a zone with the given id and geometry.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::{EdgeModel, ZoneGeometry, ZoneKind}};
    /// let z = Zone::builder("c", ZoneGeometry::circle(30.0, 50.0, 1_000.0)).build()?;
    /// // Defaults: a plate-carrée sanctuary without name or band.
    /// assert_eq!((z.kind(), z.edge_model()), (ZoneKind::Sanctuary, EdgeModel::PlateCarree));
    /// assert_eq!((z.name(), z.band()), (None, None));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(id: impl Into<String>, geometry: ZoneGeometry) -> ZoneBuilder {
        ZoneBuilder {
            spec: ZoneSpec {
                id: id.into(),
                name: None,
                kind: ZoneKind::Sanctuary,
                edges: EdgeModel::PlateCarree,
                geometry,
                band: None,
            },
        }
    }

    /// The zone's id.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::ZoneGeometry};
    /// let z = Zone::builder("camp-7", ZoneGeometry::circle(0.0, 0.0, 500.0)).build()?;
    /// assert_eq!(z.id(), "camp-7");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The zone's name, if any.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::ZoneGeometry};
    /// let z = Zone::builder("c", ZoneGeometry::circle(0.0, 0.0, 500.0)).build()?;
    /// assert_eq!(z.name(), None);
    /// let named = Zone::builder("c", ZoneGeometry::circle(0.0, 0.0, 500.0)).name("Camp").build()?;
    /// assert_eq!(named.name(), Some("Camp"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    /// Sanctuary or exclusion.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::{ZoneGeometry, ZoneKind}};
    /// let z = Zone::builder("c", ZoneGeometry::circle(0.0, 0.0, 500.0)).build()?;
    /// assert_eq!(z.kind(), ZoneKind::Sanctuary);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kind(&self) -> ZoneKind {
        self.kind
    }
    /// How edges run between vertices.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::{EdgeModel, ZoneGeometry}};
    /// let z = Zone::builder("c", ZoneGeometry::circle(0.0, 0.0, 500.0)).build()?;
    /// assert_eq!(z.edge_model(), EdgeModel::PlateCarree);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn edge_model(&self) -> EdgeModel {
        self.edges
    }
    /// The vertical band, if any.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::ZoneGeometry};
    /// let z = Zone::builder("c", ZoneGeometry::circle(0.0, 0.0, 500.0)).band(Some(10.0), None).build()?;
    /// let band = z.band().ok_or("no band")?;
    /// assert_eq!((band.floor_m, band.ceiling_m), (Some(10.0), None));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn band(&self) -> Option<VerticalBand> {
        self.band
    }
    /// Bounding box `[min_lon, min_lat, max_lon, max_lat]`, including the poleward bulge of
    /// great-circle edges and the full extent of circles.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::{EdgeModel, ZoneGeometry}};
    /// let ring = vec![[20.0, 40.0], [30.0, 40.0], [30.0, 50.0], [20.0, 50.0], [20.0, 40.0]];
    /// let flat = Zone::builder("f", ZoneGeometry::polygon(vec![ring.clone()])).build()?;
    /// assert_eq!(flat.bounds(), [20.0, 40.0, 30.0, 50.0]);
    /// // Great-circle edges bulge poleward: the northern edge peaks above 50°N.
    /// let round = Zone::builder("r", ZoneGeometry::polygon(vec![ring]))
    ///     .edges(EdgeModel::GreatCircle)
    ///     .build()?;
    /// assert!(round.bounds()[3] > 50.1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bounds(&self) -> [f64; 4] {
        self.bounds
    }
    /// Number of distinct vertices (0 for a circle).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::ZoneGeometry};
    /// let ring = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
    /// assert_eq!(Zone::builder("sq", ZoneGeometry::polygon(vec![ring])).build()?.vertex_count(), 4);
    /// assert_eq!(Zone::builder("c", ZoneGeometry::circle(0.0, 0.0, 500.0)).build()?.vertex_count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn vertex_count(&self) -> usize {
        match &self.shape {
            Shape::Polygons(ps) => ps
                .iter()
                .flat_map(|p| p.iter())
                .map(|r| r.len().saturating_sub(1))
                .sum(),
            Shape::Circle { .. } => 0,
        }
    }
    /// The zone as a spec (normalised rings), e.g. to serialise or rebuild it.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::ZoneGeometry};
    /// // A clockwise shell is stored counter-clockwise.
    /// let cw = vec![[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]];
    /// let z = Zone::builder("sq", ZoneGeometry::polygon(vec![cw])).build()?;
    /// let spec = z.to_spec();
    /// let ccw = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
    /// assert_eq!(spec.geometry, ZoneGeometry::polygon(vec![ccw]));
    /// assert_eq!(Zone::try_from(spec)?, z);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_spec(&self) -> ZoneSpec {
        ZoneSpec::from(self.clone())
    }

    /// Where (`lon`, `lat`) lies relative to this zone.
    ///
    /// # Errors
    /// [`PointError`] when the point is not finite or out of range.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::{PointError, Position, ZoneGeometry}};
    /// let ring = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
    /// let sq = Zone::builder("sq", ZoneGeometry::polygon(vec![ring])).build()?;
    /// assert_eq!(sq.position(0.5, 0.5)?, Position::Inside);
    /// assert_eq!(sq.position(1.0, 0.5)?, Position::OnBoundary);
    /// assert_eq!(sq.position(0.5, 91.0), Err(PointError::LatitudeOutOfRange { lat: 91.0 }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn position(&self, lon: f64, lat: f64) -> Result<Position, PointError> {
        let p = checked_point(lon, lat)?;
        Ok(self.position_at(p))
    }

    /// Position of an already validated point.
    pub(crate) fn position_at(&self, p: Coord<f64>) -> Position {
        match &self.shape {
            Shape::Polygons(polys) => {
                let mut boundary = false;
                for poly in polys {
                    match polygon_position(poly, p, self.edges) {
                        Position::Inside => return Position::Inside,
                        Position::OnBoundary => boundary = true,
                        Position::Outside => {}
                    }
                }
                if boundary {
                    Position::OnBoundary
                } else {
                    Position::Outside
                }
            }
            Shape::Circle { center, radius_m } => {
                let d = geodesy::distance(*center, p);
                if (d - radius_m).abs() <= CIRCLE_BOUNDARY_TOLERANCE_M {
                    Position::OnBoundary
                } else if d < *radius_m {
                    Position::Inside
                } else {
                    Position::Outside
                }
            }
        }
    }

    /// Geodesic distance (m) from a validated point to this zone's boundary, unsigned.
    pub(crate) fn boundary_distance_at(&self, p: Coord<f64>) -> f64 {
        match &self.shape {
            Shape::Polygons(polys) => {
                let mut best = f64::INFINITY;
                let q = crate::geometry::bounds::QueryPoint::new(p);
                for ring in polys.iter().flat_map(|p| p.iter()) {
                    for w in ring.windows(2) {
                        if let [a, b] = w {
                            // A cheap lower bound first.
                            let lb = q.edge_lower_bound_m(*a, *b, self.edges);
                            if lb >= best {
                                continue;
                            }
                            best = best.min(geodesy::distance_to_edge(p, *a, *b, self.edges));
                        }
                    }
                }
                best
            }
            Shape::Circle { center, radius_m } => (geodesy::distance(*center, p) - radius_m).abs(),
        }
    }

    /// Signed geodesic distance (m) from (`lon`, `lat`) to this zone's boundary: positive
    /// inside, negative outside, zero on the boundary.
    ///
    /// # Errors
    /// [`PointError`] when the point is not finite or out of range.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, geometry::ZoneGeometry};
    /// let c = Zone::builder("c", ZoneGeometry::circle(30.0, 50.0, 10_000.0)).build()?;
    /// let d = c.signed_distance_m(30.0, 50.0)?;
    /// assert!((d - 10_000.0).abs() < 1e-6);
    /// assert!(c.signed_distance_m(31.0, 50.0)? < 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn signed_distance_m(&self, lon: f64, lat: f64) -> Result<f64, PointError> {
        let p = checked_point(lon, lat)?;
        Ok(match self.position_at(p) {
            Position::OnBoundary => 0.0,
            Position::Inside => self.boundary_distance_at(p),
            Position::Outside => -self.boundary_distance_at(p),
        })
    }

    /// Calls `f(a, b)` for every boundary edge of a polygonal zone.
    pub(crate) fn for_each_edge(&self, mut f: impl FnMut(Coord<f64>, Coord<f64>)) {
        if let Shape::Polygons(polys) = &self.shape {
            for ring in polys.iter().flat_map(|p| p.iter()) {
                for w in ring.windows(2) {
                    if let [a, b] = w {
                        f(*a, *b);
                    }
                }
            }
        }
    }
}

/// Validates a query point.
pub(crate) fn checked_point(lon: f64, lat: f64) -> Result<Coord<f64>, PointError> {
    if !lon.is_finite() || !lat.is_finite() {
        return Err(PointError::NonFinite);
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(PointError::LongitudeOutOfRange { lon });
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(PointError::LatitudeOutOfRange { lat });
    }
    Ok(Coord { x: lon, y: lat })
}

fn ring_position(ring: &[Coord<f64>], p: Coord<f64>, model: EdgeModel) -> Position {
    match model {
        EdgeModel::PlateCarree => ring_position_planar(ring, p),
        EdgeModel::GreatCircle => ring_position_great_circle(ring, p),
    }
}

/// Tri-state position against one polygon `[shell, holes...]`.
pub(crate) fn polygon_position(poly: &[Vec<Coord<f64>>], p: Coord<f64>, model: EdgeModel) -> Position {
    let mut rings = poly.iter();
    let Some(shell) = rings.next() else {
        return Position::Outside;
    };
    match ring_position(shell, p, model) {
        Position::Inside => {}
        other => return other,
    }
    for hole in rings {
        match ring_position(hole, p, model) {
            Position::Inside => return Position::Outside,
            Position::OnBoundary => return Position::OnBoundary,
            Position::Outside => {}
        }
    }
    Position::Inside
}

impl From<Zone> for ZoneSpec {
    fn from(z: Zone) -> Self {
        let geometry = match z.shape {
            Shape::Polygons(polys) => {
                let to_arr = |ring: Vec<Coord<f64>>| ring.into_iter().map(|c| [c.x, c.y]).collect();
                let mut polys: Vec<Vec<Vec<[f64; 2]>>> = polys
                    .into_iter()
                    .map(|p| p.into_iter().map(to_arr).collect())
                    .collect();
                if polys.len() == 1 {
                    ZoneGeometry::Polygon {
                        rings: polys.pop().unwrap_or_default(),
                    }
                } else {
                    ZoneGeometry::MultiPolygon { polygons: polys }
                }
            }
            Shape::Circle { center, radius_m } => ZoneGeometry::Circle {
                center: [center.x, center.y],
                radius_m,
            },
        };
        ZoneSpec {
            id: z.id,
            name: z.name,
            kind: z.kind,
            edges: z.edges,
            geometry,
            band: z.band,
        }
    }
}
