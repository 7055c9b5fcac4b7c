//! Zones: validated lon/lat polygons, multipolygons and geodesic circles, with their kind,
//! edge model and vertical band.
//!
//! A [`Zone`] can only be obtained through validation ([`ZoneBuilder::build`], GeoJSON
//! loading or deserialisation), so the index and the rule engine never see an open ring,
//! a NaN, a latitude beyond ±90 or a self-intersecting ring.

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
/// use sanctuary::{Position, Zone, ZoneGeometry, CIRCLE_BOUNDARY_TOLERANCE_M};
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
/// use sanctuary::{Zone, ZoneGeometry, ZoneKind};
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
/// use sanctuary::VerticalBand;
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
    /// let band = sanctuary::VerticalBand { floor_m: Some(0.0), ceiling_m: Some(100.0) };
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
/// # Example
/// ```
/// use sanctuary::ZoneGeometry;
/// let g: ZoneGeometry =
///     serde_json::from_str(r#"{"type": "circle", "center": [30.5, 50.4], "radius_m": 1000.0}"#)?;
/// assert_eq!(g, ZoneGeometry::circle(30.5, 50.4, 1000.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
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
    /// use sanctuary::{Zone, ZoneGeometry};
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
    /// use sanctuary::ZoneGeometry;
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
/// # Example
/// ```
/// use sanctuary::{Zone, ZoneKind, ZoneSpec};
/// let spec: ZoneSpec = serde_json::from_str(
///     r#"{"id": "c", "kind": "exclusion",
///         "geometry": {"type": "circle", "center": [0, 0], "radius_m": 500}}"#,
/// )?;
/// assert_eq!(spec.kind, ZoneKind::Exclusion);
/// let zone = Zone::try_from(spec.clone())?;
/// assert_eq!(zone.to_spec(), spec);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneSpec {
    /// Unique, non-empty id.
    pub id: String,
    /// Optional human-readable name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Sanctuary (default) or exclusion.
    #[serde(default)]
    pub kind: ZoneKind,
    /// Edge model; plate carrée by default.
    #[serde(default)]
    pub edges: EdgeModel,
    /// The geometry.
    pub geometry: ZoneGeometry,
    /// Optional vertical band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
/// use sanctuary::{EdgeModel, Position, Zone, ZoneGeometry, ZoneKind};
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
/// use sanctuary::{Zone, ZoneGeometry, ZoneKind};
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
    /// use sanctuary::{Zone, ZoneGeometry};
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneKind};
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
    /// use sanctuary::{EdgeModel, Zone, ZoneGeometry};
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
    /// use sanctuary::{VerticalBand, Zone, ZoneGeometry};
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneProblem};
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
    /// use sanctuary::{EdgeModel, Zone, ZoneGeometry, ZoneKind};
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
    /// use sanctuary::{Zone, ZoneGeometry};
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
    /// use sanctuary::{Zone, ZoneGeometry};
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
    /// use sanctuary::{Zone, ZoneGeometry, ZoneKind};
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
    /// use sanctuary::{EdgeModel, Zone, ZoneGeometry};
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
    /// use sanctuary::{Zone, ZoneGeometry};
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
    /// use sanctuary::{EdgeModel, Zone, ZoneGeometry};
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
    /// use sanctuary::{Zone, ZoneGeometry};
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
    /// use sanctuary::{Zone, ZoneGeometry};
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
    /// use sanctuary::{PointError, Position, Zone, ZoneGeometry};
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
    /// use sanctuary::{Zone, ZoneGeometry};
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

impl TryFrom<ZoneSpec> for Zone {
    type Error = ZoneError;

    fn try_from(spec: ZoneSpec) -> Result<Self, Self::Error> {
        let mut problems = Vec::new();
        match crate::geometry::id::check_id(&spec.id) {
            Ok(()) => {}
            Err(crate::geometry::id::IdProblem::Empty) => problems.push(ZoneProblem::EmptyId),
            Err(problem) => problems.push(ZoneProblem::InvalidId(problem)),
        }
        if let Some(band) = &spec.band {
            let finite = band.floor_m.is_none_or(f64::is_finite) && band.ceiling_m.is_none_or(f64::is_finite);
            let physical = |v: Option<f64>| {
                v.is_none_or(|v| {
                    (crate::geometry::limits::MIN_ALTITUDE_M..=crate::geometry::limits::MAX_ALTITUDE_M)
                        .contains(&v)
                })
            };
            if !finite {
                problems.push(ZoneProblem::NonFiniteBand);
            } else if let Some(value_m) = [band.floor_m, band.ceiling_m]
                .into_iter()
                .flatten()
                .find(|&v| !physical(Some(v)))
            {
                problems.push(ZoneProblem::AltitudeOutOfRange { value_m });
            } else if let (Some(f), Some(c)) = (band.floor_m, band.ceiling_m) {
                if f > c {
                    problems.push(ZoneProblem::FloorAboveCeiling {
                        floor_m: f,
                        ceiling_m: c,
                    });
                }
            }
        }
        let shape = match &spec.geometry {
            ZoneGeometry::Polygon { rings } => {
                validate_polygons(std::slice::from_ref(rings), spec.edges, &mut problems)
            }
            ZoneGeometry::MultiPolygon { polygons } => validate_polygons(polygons, spec.edges, &mut problems),
            ZoneGeometry::Circle { center, radius_m } => validate_circle(*center, *radius_m, &mut problems),
        };
        match shape {
            Some((shape, bounds)) if problems.is_empty() => Ok(Zone {
                id: spec.id,
                name: spec.name,
                kind: spec.kind,
                edges: spec.edges,
                band: spec.band,
                shape,
                bounds,
            }),
            _ => Err(ZoneError {
                zone: spec.id,
                problems,
            }),
        }
    }
}

fn validate_circle(
    center: [f64; 2],
    radius_m: f64,
    problems: &mut Vec<ZoneProblem>,
) -> Option<(Shape, [f64; 4])> {
    let [lon, lat] = center;
    let centre_ok = checked_point(lon, lat).is_ok();
    if !centre_ok {
        problems.push(ZoneProblem::InvalidCentre { lon, lat });
    }
    let radius_ok =
        radius_m.is_finite() && radius_m > 0.0 && radius_m <= crate::geometry::limits::MAX_CIRCLE_RADIUS_M;
    if !radius_ok {
        problems.push(ZoneProblem::InvalidRadius { radius_m });
    }
    if !centre_ok || !radius_ok {
        return None;
    }
    let bounds = circle_bounds(lon, lat, radius_m);
    let Some(bounds) = bounds else {
        problems.push(ZoneProblem::CircleTooCloseToPoleOrAntimeridian);
        return None;
    };
    Some((
        Shape::Circle {
            center: Coord { x: lon, y: lat },
            radius_m,
        },
        bounds,
    ))
}

/// A conservative bounding box of a geodesic circle, or `None` when it would reach within
/// 1° of a pole or cross the antimeridian.
///
/// The latitude extent uses the shortest degree of latitude; the longitude extent uses the
/// shortest degree of longitude at the circle's most poleward latitude (a geodesic disc of
/// this size is convex, so every path to its points stays within that latitude). A 1 %
/// margin covers rounding.
pub(crate) fn circle_bounds(lon: f64, lat: f64, radius_m: f64) -> Option<[f64; 4]> {
    let dlat = radius_m / geodesy::MIN_METRES_PER_DEGREE_LAT * 1.01;
    let lat_hi = lat.abs() + dlat;
    if lat_hi >= 89.0 {
        return None;
    }
    let per_deg_lon = std::f64::consts::PI * geodesy::WGS84_A / 180.0 * lat_hi.to_radians().cos();
    let dlon = radius_m / per_deg_lon * 1.01;
    if lon - dlon < -180.0 || lon + dlon > 180.0 {
        return None;
    }
    Some([lon - dlon, lat - dlat, lon + dlon, lat + dlat])
}

type Ring = Vec<Coord<f64>>;

fn validate_polygons(
    input: &[Vec<Vec<[f64; 2]>>],
    model: EdgeModel,
    problems: &mut Vec<ZoneProblem>,
) -> Option<(Shape, [f64; 4])> {
    if input.is_empty() || input.iter().all(|p| p.is_empty()) {
        problems.push(ZoneProblem::NoPolygons);
        return None;
    }
    let before = problems.len();
    let mut polys: Vec<Vec<Ring>> = Vec::with_capacity(input.len());
    for (pi, poly) in input.iter().enumerate() {
        if poly.is_empty() {
            problems.push(ZoneProblem::NoPolygons);
            continue;
        }
        let mut rings = Vec::with_capacity(poly.len());
        for (ri, raw) in poly.iter().enumerate() {
            if let Some(ring) = validate_ring(raw, pi, ri, problems) {
                rings.push(ring);
            }
        }
        polys.push(rings);
    }
    if problems.len() > before {
        return None;
    }
    check_topology(&polys, model, problems);
    if problems.len() > before {
        return None;
    }
    // Normalise orientation: shells counter-clockwise, holes clockwise.
    for (pi, poly) in polys.iter_mut().enumerate() {
        for (ri, ring) in poly.iter_mut().enumerate() {
            let twice_area = ring_twice_area(ring);
            if twice_area == 0.0 {
                // A simple ring whose area rounds to zero (e.g. tiny coordinates).
                problems.push(ZoneProblem::ZeroArea {
                    polygon: pi,
                    ring: ri,
                });
            }
            let ccw = twice_area > 0.0;
            if ccw != (ri == 0) {
                ring.reverse();
            }
        }
    }
    if problems.len() > before {
        return None;
    }
    let bounds = polygon_bounds(&polys, model);
    Some((Shape::Polygons(polys), bounds))
}

/// Are all the ring's vertices on one straight line (exactly)?
fn all_collinear(ring: &[Coord<f64>]) -> bool {
    let Some(&a) = ring.first() else { return true };
    let Some(&b) = ring.iter().find(|&&c| c != a) else {
        return true;
    };
    ring.iter().all(|&p| orient(a, b, p) == 0.0)
}

fn validate_ring(raw: &[[f64; 2]], pi: usize, ri: usize, problems: &mut Vec<ZoneProblem>) -> Option<Ring> {
    let before = problems.len();
    for (vi, &[lon, lat]) in raw.iter().enumerate() {
        let place = (pi, ri, vi);
        if !lon.is_finite() || !lat.is_finite() {
            problems.push(ZoneProblem::NonFiniteCoordinate {
                polygon: place.0,
                ring: place.1,
                vertex: place.2,
            });
            continue;
        }
        if !(-180.0..=180.0).contains(&lon) {
            problems.push(ZoneProblem::LongitudeOutOfRange {
                polygon: pi,
                ring: ri,
                vertex: vi,
                lon,
            });
        }
        if !(-90.0..=90.0).contains(&lat) {
            problems.push(ZoneProblem::LatitudeOutOfRange {
                polygon: pi,
                ring: ri,
                vertex: vi,
                lat,
            });
        } else if lat.abs() == 90.0 {
            problems.push(ZoneProblem::TouchesPole {
                polygon: pi,
                ring: ri,
                vertex: vi,
            });
        }
    }
    if problems.len() > before {
        return None;
    }
    if raw.first() != raw.last() || raw.is_empty() {
        problems.push(ZoneProblem::RingNotClosed {
            polygon: pi,
            ring: ri,
        });
        return None;
    }
    let mut ring: Ring = Vec::with_capacity(raw.len());
    for &[x, y] in raw {
        let c = Coord { x, y };
        if ring.last() != Some(&c) {
            ring.push(c);
        }
    }
    if ring.len() < 4 {
        problems.push(ZoneProblem::TooFewPositions {
            polygon: pi,
            ring: ri,
            count: ring.len(),
        });
        return None;
    }
    for (ei, w) in ring.windows(2).enumerate() {
        if let [a, b] = w {
            if (a.x - b.x).abs() >= 180.0 {
                problems.push(ZoneProblem::CrossesAntimeridian {
                    polygon: pi,
                    ring: ri,
                    edge: ei,
                });
                return None;
            }
        }
    }
    // Zero signed area means either no area at all (every vertex on one line) or lobes of
    // opposite orientation and equal area, as in a symmetric bow-tie. The latter used to be
    // reported as `ZeroArea`, hiding the real problem: leave it to the topology check, which
    // names the crossing edges (tests/api/validation.rs, bow_tie_self_intersection).
    if ring_twice_area(&ring) == 0.0 && all_collinear(&ring) {
        problems.push(ZoneProblem::ZeroArea {
            polygon: pi,
            ring: ri,
        });
        return None;
    }
    Some(ring)
}

/// An edge for the topology check: (polygon, ring, edge index within the ring).
type EdgeTag = (usize, usize, usize);

fn check_topology(polys: &[Vec<Ring>], model: EdgeModel, problems: &mut Vec<ZoneProblem>) {
    let mut items = Vec::new();
    for (pi, poly) in polys.iter().enumerate() {
        for (ri, ring) in poly.iter().enumerate() {
            for (ei, w) in ring.windows(2).enumerate() {
                if let [a, b] = w {
                    items.push(GeomWithData::new(
                        Rectangle::from_corners([a.x, a.y], [b.x, b.y]),
                        (pi, ri, ei),
                    ));
                }
            }
        }
    }
    let tree: RTree<GeomWithData<Rectangle<[f64; 2]>, EdgeTag>> = RTree::bulk_load(items);
    let edge = |(pi, ri, ei): EdgeTag| -> Option<(Coord<f64>, Coord<f64>, usize)> {
        let ring = polys.get(pi)?.get(ri)?;
        Some((*ring.get(ei)?, *ring.get(ei + 1)?, ring.len() - 1))
    };
    let mut reported_pairs: Vec<(EdgeTag, EdgeTag)> = Vec::new();
    for item in tree.iter() {
        let tag = item.data;
        let Some((a, b, n_edges)) = edge(tag) else {
            continue;
        };
        let env: AABB<[f64; 2]> = item.envelope();
        for other in tree.locate_in_envelope_intersecting(&env) {
            let otag = other.data;
            if otag <= tag {
                continue;
            }
            let Some((c, d, _)) = edge(otag) else { continue };
            let contact = segment_contact(a, b, c, d);
            if contact == SegmentContact::None {
                continue;
            }
            let same_ring = tag.0 == otag.0 && tag.1 == otag.1;
            if same_ring {
                let (i, j) = (tag.2, otag.2);
                let adjacent = j == i + 1 || (i == 0 && j == n_edges - 1);
                if adjacent && contact == SegmentContact::SharedEndpoint {
                    continue;
                }
                problems.push(ZoneProblem::SelfIntersection {
                    polygon: tag.0,
                    ring: tag.1,
                    edge_a: i,
                    edge_b: j,
                });
            } else {
                let key = ((tag.0, tag.1, 0), (otag.0, otag.1, 0));
                if reported_pairs.contains(&key) {
                    continue;
                }
                reported_pairs.push(key);
                problems.push(ZoneProblem::RingsIntersect {
                    polygon_a: tag.0,
                    ring_a: tag.1,
                    polygon_b: otag.0,
                    ring_b: otag.1,
                });
            }
            if problems.len() > 64 {
                return;
            }
        }
    }
    if !problems.is_empty() {
        return;
    }
    // With no contacts between rings, one vertex decides how rings nest.
    for (pi, poly) in polys.iter().enumerate() {
        let Some(shell) = poly.first() else { continue };
        for (ri, hole) in poly.iter().enumerate().skip(1) {
            let Some(&v) = hole.first() else { continue };
            if ring_position(shell, v, model) != Position::Inside {
                problems.push(ZoneProblem::HoleOutsideShell {
                    polygon: pi,
                    ring: ri,
                });
            }
            for (oi, other) in poly.iter().enumerate().skip(1) {
                if oi != ri && ring_position(other, v, model) == Position::Inside {
                    problems.push(ZoneProblem::NestedHoles {
                        polygon: pi,
                        ring: ri,
                        outer: oi,
                    });
                }
            }
        }
        for (oi, other) in polys.iter().enumerate() {
            if oi == pi {
                continue;
            }
            let Some(&v) = shell.first() else { continue };
            if polygon_position(other, v, model) == Position::Inside {
                problems.push(ZoneProblem::OverlappingPolygons {
                    polygon: pi,
                    outer: oi,
                });
            }
        }
    }
}

fn polygon_bounds(polys: &[Vec<Ring>], model: EdgeModel) -> [f64; 4] {
    let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for ring in polys.iter().flat_map(|p| p.iter()) {
        for w in ring.windows(2) {
            if let [a, c] = w {
                let e = edge_bounds(*a, *c, model);
                b[0] = b[0].min(e[0]);
                b[1] = b[1].min(e[1]);
                b[2] = b[2].max(e[2]);
                b[3] = b[3].max(e[3]);
            }
        }
    }
    b
}
