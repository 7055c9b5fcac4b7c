//! Zones and tracks given in another coordinate reference system (optional `proj` feature).
//!
//! A [`CrsTransform`] converts coordinates from any CRS that the system PROJ library
//! knows (an `"EPSG:code"`, another `"AUTHORITY:code"`, a PROJ string or a WKT) to WGS84
//! longitude/latitude (EPSG:4326, **longitude first**, degrees), once, at load or at ingest:
//! the index and the rule engine only ever see WGS84.
//!
//! - PROJ chooses the operation (`proj_create_crs_to_crs`), and the `proj` crate normalises
//!   the axis order to easting/northing and longitude/latitude
//!   (`proj_normalize_for_visualization`), so EPSG:4326's official latitude-first order never
//!   reaches the caller.
//! - **Geocentric (ECEF) CRSs** such as EPSG:4978 need three numbers per position; the
//!   result's third number is the **ellipsoidal height above the WGS84 ellipsoid**, metres,
//!   not a height above mean sea level. Geocentric CRSs on another datum (whose operation
//!   to WGS84 is more than the geocentric-to-geographic conversion) are refused with
//!   [`CrsError::Unsupported`]: the `proj` 0.27 API is two-dimensional, so a datum shift
//!   would silently lose the height.
//! - For every other CRS the third number, if any, is passed through **unchanged**: a 2-D
//!   operation does not convert heights between datums.
//! - **No network access**: the crate is built without the `proj` crate's `network`
//!   feature, and a [`CrsTransform`] refuses to exist ([`CrsError::NetworkEnabled`]) when
//!   PROJ's own network switch is on (`PROJ_NETWORK=ON` or `network = on` in `proj.ini`),
//!   so no grid is ever downloaded. Operations that need a grid that is not installed are
//!   not chosen by PROJ.
//! - **Threads**: PROJ contexts are not thread-safe, so a [`CrsTransform`] is neither `Send`
//!   nor `Sync`: make one per thread, transform, and hand the resulting WGS84 [`Zone`]s or
//!   [`Track`]s to the shared index or engine. Never keep one inside a shared structure.
//! - **Errors** are typed ([`CrsError`]): an unknown CRS, a failed transformation (with the
//!   input coordinates), non-finite input or output. No point is ever skipped.
//! - PROJ itself prints its error messages (e.g. `proj_create: crs not found`) to standard
//!   error; the same text is in the returned error.

use crate::geometry::error::LoadError;
use crate::geometry::geojson::{read_bounded, zones_from_geojson_str, MAX_ZONE_FILE_BYTES};
use crate::geometry::zone::{Zone, ZoneGeometry, ZoneSpec};
use crate::rules::engine::Track;
use crate::rules::plan::{Identity, TargetClass};
use proj::{Proj, ProjBuilder};
use serde_json::Value;
use std::fmt;
use std::path::Path;

/// The CRS every coordinate is converted to: WGS84 geographic 2-D, used longitude first.
///
/// # Example
/// ```
/// assert_eq!(sanctuary::crs::WGS84_CRS, "EPSG:4326");
/// ```
pub const WGS84_CRS: &str = "EPSG:4326";

const CART_PREFIX: &str = "proj=pipeline step inv proj=cart ";
const RAD_TO_DEG: &str = "proj=unitconvert xy_in=rad xy_out=deg";

/// Converting coordinates between a CRS and WGS84 failed.
///
/// # Example
/// ```
/// use sanctuary::crs::{CrsError, CrsTransform};
/// assert!(matches!(CrsTransform::from_epsg(999_999), Err(CrsError::UnknownCrs { .. })));
/// let utm = CrsTransform::from_epsg(32635)?;
/// let err = utm.to_wgs84(f64::NAN, 5_524_000.0).unwrap_err();
/// assert!(matches!(err, CrsError::NonFiniteInput { .. }));
/// # Ok::<(), CrsError>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CrsError {
    /// PROJ does not know the CRS, or cannot find an operation from it to WGS84.
    #[error("unknown coordinate reference system `{crs}`, or no operation to WGS84: {message}")]
    UnknownCrs {
        /// The CRS as given.
        crs: String,
        /// What PROJ said.
        message: String,
    },
    /// PROJ's network access is switched on (`PROJ_NETWORK=ON` or `network = on` in
    /// `proj.ini`); sanctuary never lets PROJ download anything.
    #[error(
        "PROJ network access is enabled (PROJ_NETWORK or proj.ini) while creating `{crs}`; switch it off"
    )]
    NetworkEnabled {
        /// The CRS as given.
        crs: String,
    },
    /// The CRS is known but not supported here.
    #[error("coordinate reference system `{crs}` is not supported: {message}")]
    Unsupported {
        /// The CRS as given.
        crs: String,
        /// Why.
        message: String,
    },
    /// A geocentric CRS needs three coordinates (x, y, z) per position.
    #[error("`{crs}` is geocentric: a position needs three coordinates (x, y, z), got {}", fmt_coords(.input))]
    NeedsThreeCoordinates {
        /// The CRS as given.
        crs: String,
        /// The coordinates given.
        input: Vec<f64>,
    },
    /// An input coordinate is NaN or infinite.
    #[error("coordinate {} in `{crs}` is not finite", fmt_coords(.input))]
    NonFiniteInput {
        /// The CRS of the input.
        crs: String,
        /// The coordinates given.
        input: Vec<f64>,
    },
    /// PROJ failed to transform a position.
    #[error("transforming {} between `{crs}` and WGS84 failed: {message}", fmt_coords(.input))]
    Transform {
        /// The CRS named in the transform.
        crs: String,
        /// The coordinates given.
        input: Vec<f64>,
        /// What PROJ said.
        message: String,
    },
    /// PROJ returned a NaN or infinite coordinate.
    #[error("transforming {} between `{crs}` and WGS84 gave the non-finite {}", fmt_coords(.input), fmt_coords(.output))]
    NonFiniteResult {
        /// The CRS named in the transform.
        crs: String,
        /// The coordinates given.
        input: Vec<f64>,
        /// What PROJ returned.
        output: Vec<f64>,
    },
}

fn fmt_coords(c: &[f64]) -> String {
    let parts: Vec<String> = c
        .iter()
        .map(|v| crate::geometry::id::Num(*v).to_string())
        .collect();
    format!("`({})`", parts.join(", "))
}

/// Loading zones given in another CRS failed.
///
/// # Example
/// ```
/// use sanctuary::crs::{CrsLoadError, CrsTransform, zones_from_geojson_str_in_crs};
/// let utm = CrsTransform::from_epsg(32635)?;
/// let text = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
///   "properties": {"id": "far"},
///   "geometry": {"type": "Point", "coordinates": [1e30, 0]}}]}"#;
/// let err = zones_from_geojson_str_in_crs(text, &utm).unwrap_err();
/// assert!(matches!(err, CrsLoadError::Crs { .. }));
/// assert!(err.to_string().starts_with("features[0].geometry.coordinates"));
/// # Ok::<(), sanctuary::crs::CrsError>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum CrsLoadError {
    /// The document or a zone is invalid (as for [`crate::geometry::geojson::zones_from_geojson_str`]).
    Load(LoadError),
    /// A position could not be transformed.
    Crs {
        /// Where, e.g. `features[3].geometry.coordinates[0][5]`.
        place: String,
        /// The transformation error, with the input coordinates.
        source: CrsError,
    },
}

impl std::fmt::Display for CrsLoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CrsLoadError::Load(inner) => std::fmt::Display::fmt(inner, f),
            CrsLoadError::Crs { place, source } => write!(f, "{place}: {source}"),
        }
    }
}

impl std::error::Error for CrsLoadError {}

impl From<LoadError> for CrsLoadError {
    fn from(e: LoadError) -> Self {
        CrsLoadError::Load(e)
    }
}

/// A transformation from one CRS to WGS84 longitude/latitude and back, made by PROJ.
///
/// Create one per thread (it is neither `Send` nor `Sync`, as PROJ contexts are not
/// thread-safe); creation looks the CRS up in PROJ's database and takes milliseconds, each
/// conversion then takes microseconds.
///
/// # Example
/// ```
/// use sanctuary::crs::CrsTransform;
/// // Lviv in UTM zone 35N (WGS 84).
/// let utm = CrsTransform::from_epsg(32635)?;
/// let [lon, lat] = utm.to_wgs84(297_215.0, 5_524_430.0)?;
/// assert!((lon - 24.18).abs() < 0.01 && (lat - 49.84).abs() < 0.01);
/// let [e, n] = utm.from_wgs84(lon, lat)?;
/// assert!((e - 297_215.0).abs() < 1e-6 && (n - 5_524_430.0).abs() < 1e-6);
///
/// // Earth-centred, Earth-fixed: x, y, z in metres to lon, lat, ellipsoidal height.
/// let ecef = CrsTransform::from_epsg(4978)?;
/// let [lon, lat, h] = ecef.to_wgs84_3d(6_378_137.0, 0.0, 0.0)?;
/// assert!(lon.abs() < 1e-12 && lat.abs() < 1e-12 && h.abs() < 1e-6);
/// # Ok::<(), sanctuary::crs::CrsError>(())
/// ```
///
/// It cannot be sent to or shared with another thread:
/// ```compile_fail
/// fn needs_send<T: Send>() {}
/// needs_send::<sanctuary::crs::CrsTransform>();
/// ```
pub struct CrsTransform {
    crs: String,
    forward: Proj,
    inverse: Proj,
    /// Set for a geocentric source CRS.
    geocentric: Option<Geocentric>,
    /// The forward operation was known at creation (PROJ had a single candidate).
    single_operation: bool,
}

/// Two meridian-plane pipelines on the source ellipsoid: `(p, z) -> (lat, h)` and back,
/// where `p = hypot(x, y)`. Longitude comes from the forward operation, which does not
/// depend on `z`.
struct Geocentric {
    to_lat_h: Proj,
    from_lat_h: Proj,
}

impl fmt::Debug for CrsTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CrsTransform")
            .field("crs", &self.crs)
            .field("geocentric", &self.geocentric.is_some())
            .field("pipeline", &self.pipeline())
            .finish()
    }
}

impl CrsTransform {
    /// A transformation from `crs` to WGS84: an `"EPSG:32635"`-style code, a PROJ string
    /// (`"+proj=utm +zone=35 +datum=WGS84"`), a WKT, or a name in PROJ's database.
    ///
    /// # Errors
    /// [`CrsError::UnknownCrs`] when PROJ does not know the CRS or has no operation to
    /// WGS84; [`CrsError::NetworkEnabled`] when PROJ's network access is switched on;
    /// [`CrsError::Unsupported`] for a geocentric CRS on another datum.
    ///
    /// # Example
    /// ```
    /// use sanctuary::crs::CrsTransform;
    /// let t = CrsTransform::new("+proj=utm +zone=36 +datum=WGS84 +units=m")?;
    /// assert_eq!(t.crs(), "+proj=utm +zone=36 +datum=WGS84 +units=m");
    /// assert!(CrsTransform::new("EPSG:32636").is_ok());
    /// assert!(CrsTransform::new("not a crs").is_err());
    /// # Ok::<(), sanctuary::crs::CrsError>(())
    /// ```
    pub fn new(crs: &str) -> Result<Self, CrsError> {
        let forward = known_crs(crs, crs, WGS84_CRS)?;
        let inverse = known_crs(crs, WGS84_CRS, crs)?;
        let definition = forward.def().ok().filter(|d| d.starts_with("proj="));
        let single_operation = definition.is_some();
        let geocentric = match definition.as_deref().and_then(|d| d.strip_prefix(CART_PREFIX)) {
            None => None,
            Some(rest) => Some(Geocentric::new(crs, rest)?),
        };
        Ok(CrsTransform {
            crs: crs.to_string(),
            forward,
            inverse,
            geocentric,
            single_operation,
        })
    }

    /// A transformation from the EPSG CRS `code` to WGS84 (see [`CrsTransform::new`]).
    ///
    /// # Errors
    /// As [`CrsTransform::new`].
    ///
    /// # Example
    /// ```
    /// let t = sanctuary::crs::CrsTransform::from_epsg(5561)?; // UCS-2000, geographic
    /// assert_eq!(t.crs(), "EPSG:5561");
    /// # Ok::<(), sanctuary::crs::CrsError>(())
    /// ```
    pub fn from_epsg(code: u32) -> Result<Self, CrsError> {
        Self::new(&format!("EPSG:{code}"))
    }

    /// The source CRS as given.
    ///
    /// # Example
    /// ```
    /// assert_eq!(sanctuary::crs::CrsTransform::from_epsg(32636)?.crs(), "EPSG:32636");
    /// # Ok::<(), sanctuary::crs::CrsError>(())
    /// ```
    pub fn crs(&self) -> &str {
        &self.crs
    }

    /// Is the source CRS geocentric (positions need x, y and z)?
    ///
    /// # Example
    /// ```
    /// use sanctuary::crs::CrsTransform;
    /// assert!(CrsTransform::from_epsg(4978)?.is_geocentric());
    /// assert!(!CrsTransform::from_epsg(32635)?.is_geocentric());
    /// # Ok::<(), sanctuary::crs::CrsError>(())
    /// ```
    pub fn is_geocentric(&self) -> bool {
        self.geocentric.is_some()
    }

    /// The PROJ pipeline of the operation to WGS84, for the record. When PROJ had several
    /// candidate operations (chosen per point by area of use, e.g. for UCS-2000), this is
    /// the one used by the latest conversion, or `None` before the first.
    ///
    /// # Example
    /// ```
    /// let t = sanctuary::crs::CrsTransform::from_epsg(32635)?;
    /// assert_eq!(
    ///     t.pipeline().as_deref(),
    ///     Some("proj=pipeline step inv proj=utm zone=35 ellps=WGS84 step proj=unitconvert xy_in=rad xy_out=deg")
    /// );
    /// # Ok::<(), sanctuary::crs::CrsError>(())
    /// ```
    pub fn pipeline(&self) -> Option<String> {
        self.forward.def().ok().filter(|d| d.starts_with("proj="))
    }

    /// Converts `(x, y)` in the source CRS to WGS84 `[lon, lat]`, degrees.
    ///
    /// # Errors
    /// [`CrsError::NeedsThreeCoordinates`] for a geocentric CRS (use
    /// [`CrsTransform::to_wgs84_3d`]); [`CrsError::NonFiniteInput`],
    /// [`CrsError::Transform`] or [`CrsError::NonFiniteResult`].
    ///
    /// # Example
    /// ```
    /// let gk = sanctuary::crs::CrsTransform::from_epsg(5564)?; // UCS-2000 / Gauss-Kruger zone 6
    /// let [lon, lat] = gk.to_wgs84(6_321_300.0, 5_593_000.0)?;
    /// assert!((lon - 30.5).abs() < 0.1 && (lat - 50.45).abs() < 0.1); // Kyiv
    /// # Ok::<(), sanctuary::crs::CrsError>(())
    /// ```
    pub fn to_wgs84(&self, x: f64, y: f64) -> Result<[f64; 2], CrsError> {
        if self.geocentric.is_some() {
            return Err(CrsError::NeedsThreeCoordinates {
                crs: self.crs.clone(),
                input: vec![x, y],
            });
        }
        let out = self.convert(&self.forward, &[x, y], x, y)?;
        if !self.single_operation && self.pipeline().is_some_and(|d| d.starts_with(CART_PREFIX)) {
            return Err(CrsError::NeedsThreeCoordinates {
                crs: self.crs.clone(),
                input: vec![x, y],
            });
        }
        Ok(out)
    }

    /// Converts `(x, y, z)` in the source CRS to WGS84 `[lon, lat, h]`.
    ///
    /// For a geocentric CRS, `h` is the height above the WGS84 ellipsoid (metres, not above
    /// mean sea level); for any other CRS `z` is returned unchanged as `h`.
    ///
    /// # Errors
    /// As [`CrsTransform::to_wgs84`] (without the three-coordinate error).
    ///
    /// # Example
    /// ```
    /// let ecef = sanctuary::crs::CrsTransform::from_epsg(4978)?;
    /// // The North Pole, 100 m above the ellipsoid (b = 6 356 752.314 245 m).
    /// let [_, lat, h] = ecef.to_wgs84_3d(0.0, 0.0, 6_356_852.314_245)?;
    /// assert!((lat - 90.0).abs() < 1e-12 && (h - 100.0).abs() < 1e-6);
    /// # Ok::<(), sanctuary::crs::CrsError>(())
    /// ```
    pub fn to_wgs84_3d(&self, x: f64, y: f64, z: f64) -> Result<[f64; 3], CrsError> {
        let input = [x, y, z];
        let Some(geo) = &self.geocentric else {
            if !z.is_finite() {
                return Err(self.non_finite_input(&input));
            }
            let [lon, lat] = self.to_wgs84(x, y).map_err(|e| with_input(e, &input))?;
            return Ok([lon, lat, z]);
        };
        if !input.iter().all(|v| v.is_finite()) {
            return Err(self.non_finite_input(&input));
        }
        let [lon, _] = self.convert(&self.forward, &input, x, y)?;
        let [lat, h] = self.convert(&geo.to_lat_h, &input, x.hypot(y), z)?;
        Ok([lon, lat, h])
    }

    /// Converts WGS84 `(lon, lat)` (degrees) to the source CRS `[x, y]`.
    ///
    /// # Errors
    /// As [`CrsTransform::to_wgs84`].
    ///
    /// # Example
    /// ```
    /// let utm = sanctuary::crs::CrsTransform::from_epsg(32636)?;
    /// let [e, n] = utm.from_wgs84(33.0, 0.0)?; // central meridian on the equator
    /// assert!((e - 500_000.0).abs() < 1e-6 && n.abs() < 1e-6);
    /// # Ok::<(), sanctuary::crs::CrsError>(())
    /// ```
    pub fn from_wgs84(&self, lon: f64, lat: f64) -> Result<[f64; 2], CrsError> {
        if self.geocentric.is_some() {
            return Err(CrsError::NeedsThreeCoordinates {
                crs: self.crs.clone(),
                input: vec![lon, lat],
            });
        }
        self.convert(&self.inverse, &[lon, lat], lon, lat)
    }

    /// Converts WGS84 `(lon, lat, h)` to the source CRS `[x, y, z]`; the inverse of
    /// [`CrsTransform::to_wgs84_3d`].
    ///
    /// # Errors
    /// As [`CrsTransform::to_wgs84`].
    ///
    /// # Example
    /// ```
    /// let ecef = sanctuary::crs::CrsTransform::from_epsg(4978)?;
    /// let [x, y, z] = ecef.from_wgs84_3d(90.0, 0.0, 0.0)?;
    /// assert!(x.abs() < 1e-6 && (y - 6_378_137.0).abs() < 1e-6 && z.abs() < 1e-6);
    /// # Ok::<(), sanctuary::crs::CrsError>(())
    /// ```
    pub fn from_wgs84_3d(&self, lon: f64, lat: f64, h: f64) -> Result<[f64; 3], CrsError> {
        let input = [lon, lat, h];
        let Some(geo) = &self.geocentric else {
            if !h.is_finite() {
                return Err(self.non_finite_input(&input));
            }
            let [x, y] = self.from_wgs84(lon, lat).map_err(|e| with_input(e, &input))?;
            return Ok([x, y, h]);
        };
        if !input.iter().all(|v| v.is_finite()) {
            return Err(self.non_finite_input(&input));
        }
        let [p, z] = self.convert(&geo.from_lat_h, &input, lat, h)?;
        let (sin, cos) = lon.to_radians().sin_cos();
        let out = [p * cos, p * sin, z];
        if out.iter().all(|v| v.is_finite()) {
            Ok(out)
        } else {
            Err(CrsError::NonFiniteResult {
                crs: self.crs.clone(),
                input: input.to_vec(),
                output: out.to_vec(),
            })
        }
    }

    /// Converts every vertex and circle centre of `spec` to WGS84; the radius (a geodesic
    /// distance on the ground, metres) is kept. Validate the result with
    /// [`Zone::try_from`].
    ///
    /// # Errors
    /// The first position that fails, as [`CrsTransform::to_wgs84`].
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, crs::CrsTransform, geometry::{EdgeModel, ZoneGeometry, ZoneKind, ZoneSpec}};
    /// let utm = CrsTransform::from_epsg(32635)?;
    /// let spec = ZoneSpec {
    ///     id: "lviv".into(), name: None, kind: ZoneKind::Sanctuary,
    ///     edges: EdgeModel::PlateCarree, band: None,
    ///     geometry: ZoneGeometry::circle(297_215.0, 5_524_430.0, 5_000.0),
    /// };
    /// let zone = Zone::try_from(utm.zone_spec_to_wgs84(spec)?).unwrap();
    /// assert!(zone.position(24.18, 49.84).unwrap() == sanctuary::geometry::Position::Inside);
    /// # Ok::<(), sanctuary::crs::CrsError>(())
    /// ```
    pub fn zone_spec_to_wgs84(&self, mut spec: ZoneSpec) -> Result<ZoneSpec, CrsError> {
        let ring = |ring: &mut Vec<[f64; 2]>| -> Result<(), CrsError> {
            for p in ring.iter_mut() {
                let [x, y] = *p;
                *p = self.to_wgs84(x, y)?;
            }
            Ok(())
        };
        match &mut spec.geometry {
            ZoneGeometry::Polygon { rings } => rings.iter_mut().try_for_each(ring)?,
            ZoneGeometry::MultiPolygon { polygons } => polygons.iter_mut().flatten().try_for_each(ring)?,
            ZoneGeometry::Circle { center, .. } => {
                let [x, y] = *center;
                *center = self.to_wgs84(x, y)?;
            }
        }
        Ok(spec)
    }

    /// A [`Track`] whose position `(x, y, z)` is given in this CRS: `lon`/`lat` become
    /// WGS84, and `alt_m` becomes the WGS84 ellipsoidal height for a geocentric CRS, or `z`
    /// unchanged otherwise (then `z` must already be in the plan's altitude datum). Only the
    /// position is converted: a velocity's heading must be relative to true north.
    ///
    /// # Errors
    /// As [`CrsTransform::to_wgs84_3d`]: a track is never created with a position that
    /// failed to convert.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{crs::CrsTransform, plan::{Identity, TargetClass}};
    /// let utm = CrsTransform::from_epsg(32635)?;
    /// let t = utm.track("d1", 297_215.0, 5_524_430.0, 800.0, TargetClass::Uas, Identity::Hostile)?;
    /// assert!((t.lon - 24.18).abs() < 0.01 && (t.lat - 49.84).abs() < 0.01);
    /// assert_eq!(t.alt_m, 800.0);
    /// # Ok::<(), sanctuary::crs::CrsError>(())
    /// ```
    pub fn track(
        &self,
        id: impl Into<crate::geometry::id::Id>,
        x: f64,
        y: f64,
        z: f64,
        class: TargetClass,
        identity: Identity,
    ) -> Result<Track, CrsError> {
        let [lon, lat, alt_m] = self.to_wgs84_3d(x, y, z)?;
        Ok(Track::new(id, lon, lat, alt_m, class, identity))
    }

    fn non_finite_input(&self, input: &[f64]) -> CrsError {
        CrsError::NonFiniteInput {
            crs: self.crs.clone(),
            input: input.to_vec(),
        }
    }

    /// One 2-D PROJ call; `input` is what the caller gave, for errors.
    fn convert(&self, op: &Proj, input: &[f64], a: f64, b: f64) -> Result<[f64; 2], CrsError> {
        if !(a.is_finite() && b.is_finite()) {
            return Err(self.non_finite_input(input));
        }
        let (u, v) = op.convert((a, b)).map_err(|e| CrsError::Transform {
            crs: self.crs.clone(),
            input: input.to_vec(),
            message: e.to_string(),
        })?;
        if u.is_finite() && v.is_finite() {
            Ok([u, v])
        } else {
            Err(CrsError::NonFiniteResult {
                crs: self.crs.clone(),
                input: input.to_vec(),
                output: vec![u, v],
            })
        }
    }
}

impl Geocentric {
    /// `rest` is the forward pipeline after `inv proj=cart `: the ellipsoid parameters, then
    /// the unit conversion to degrees and nothing else.
    fn new(crs: &str, rest: &str) -> Result<Self, CrsError> {
        let unsupported = |message: &str| CrsError::Unsupported {
            crs: crs.to_string(),
            message: message.to_string(),
        };
        let ellipsoid = match rest.split_once(" step ") {
            Some((ellipsoid, tail)) if tail == RAD_TO_DEG => ellipsoid,
            _ => {
                return Err(unsupported(
                    "a geocentric CRS is supported only when its operation to WGS84 is the plain \
                     geocentric-to-geographic conversion (a datum shift would lose the height)",
                ))
            }
        };
        let to_lat_h = format!(
            "proj=pipeline step proj=axisswap order=1,3,2 step inv proj=cart {ellipsoid} \
             step {RAD_TO_DEG} step proj=axisswap order=2,3,1"
        );
        let from_lat_h = format!(
            "proj=pipeline step proj=axisswap order=3,1,2 step proj=unitconvert xy_in=deg xy_out=rad \
             step proj=cart {ellipsoid} step proj=axisswap order=1,3,2"
        );
        Ok(Geocentric {
            to_lat_h: pipeline(crs, &to_lat_h)?,
            from_lat_h: pipeline(crs, &from_lat_h)?,
        })
    }
}

/// A fresh PROJ context with network access verified off.
fn builder(crs: &str) -> Result<ProjBuilder, CrsError> {
    let builder = ProjBuilder::new();
    if builder.network_enabled() {
        return Err(CrsError::NetworkEnabled { crs: crs.to_string() });
    }
    Ok(builder)
}

fn known_crs(crs: &str, from: &str, to: &str) -> Result<Proj, CrsError> {
    builder(crs)?
        .proj_known_crs(from, to, None)
        .map_err(|e| CrsError::UnknownCrs {
            crs: crs.to_string(),
            message: e.to_string(),
        })
}

fn pipeline(crs: &str, definition: &str) -> Result<Proj, CrsError> {
    builder(crs)?.proj(definition).map_err(|e| CrsError::Unsupported {
        crs: crs.to_string(),
        message: format!("PROJ refused the pipeline `{definition}`: {e}"),
    })
}

/// Replaces the input coordinates of an error by `input` (the 3-D position given).
fn with_input(e: CrsError, input: &[f64]) -> CrsError {
    match e {
        CrsError::NonFiniteInput { crs, .. } => CrsError::NonFiniteInput {
            crs,
            input: input.to_vec(),
        },
        CrsError::Transform { crs, message, .. } => CrsError::Transform {
            crs,
            input: input.to_vec(),
            message,
        },
        CrsError::NonFiniteResult { crs, output, .. } => CrsError::NonFiniteResult {
            crs,
            input: input.to_vec(),
            output,
        },
        other => other,
    }
}

/// Parses a GeoJSON FeatureCollection of zones whose coordinates are in `crs`, converts
/// every position (polygon vertices, circle centres) to WGS84 once, then loads and
/// validates the zones exactly as [`crate::geometry::geojson::zones_from_geojson_str`] does. A third number in
/// a position is kept (and ignored by the loader); a geocentric CRS needs it. Circle radii
/// (`radius_m`) are geodesic ground distances and are kept. The document's own `crs` member,
/// if any, is not read: the caller names the CRS.
///
/// # Errors
/// [`CrsLoadError::Crs`] naming the position (`features[i].geometry.coordinates[..]`) that
/// failed to convert; [`CrsLoadError::Load`] as [`crate::geometry::geojson::zones_from_geojson_str`].
///
/// # Example
/// ```
/// use sanctuary::{crs::{CrsTransform, zones_from_geojson_str_in_crs}, geometry::Position};
/// // A box around Lviv in UTM zone 35N (EPSG:32635), easting/northing in metres.
/// let text = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
///   "properties": {"id": "lviv"},
///   "geometry": {"type": "Polygon", "coordinates": [[[276000, 5512000], [296000, 5512000],
///     [296000, 5534000], [276000, 5534000], [276000, 5512000]]]}}]}"#;
/// let zones = zones_from_geojson_str_in_crs(text, &CrsTransform::from_epsg(32635)?)?;
/// assert_eq!(zones[0].position(24.03, 49.84)?, Position::Inside);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn zones_from_geojson_str_in_crs(text: &str, crs: &CrsTransform) -> Result<Vec<Zone>, CrsLoadError> {
    let mut doc: Value = serde_json::from_str(text).map_err(|e| LoadError::json(&e))?;
    if let Some(features) = doc.get_mut("features").and_then(Value::as_array_mut) {
        for (i, feature) in features.iter_mut().enumerate() {
            let Some(geometry) = feature.get_mut("geometry").filter(|g| g.is_object()) else {
                continue;
            };
            let depth = match geometry.get("type").and_then(Value::as_str) {
                Some("Point") => 0,
                Some("Polygon") => 2,
                Some("MultiPolygon") => 3,
                // Anything else is refused by the loader with its own message.
                _ => continue,
            };
            if let Some(coordinates) = geometry.get_mut("coordinates") {
                let mut place = format!("features[{i}].geometry.coordinates");
                convert_nested(coordinates, depth, &mut place, crs)?;
            }
        }
    }
    let text = serde_json::to_string(&doc).map_err(|e| LoadError::json(&e))?;
    Ok(zones_from_geojson_str(&text)?)
}

/// Reads a GeoJSON zone file in `crs` (see [`zones_from_geojson_str_in_crs`]).
///
/// # Errors
/// [`LoadError::Io`] (inside [`CrsLoadError::Load`]) when the file cannot be read or is
/// larger than [`MAX_ZONE_FILE_BYTES`]; otherwise as [`zones_from_geojson_str_in_crs`].
///
/// # Example
/// ```
/// use sanctuary::crs::{CrsLoadError, CrsTransform, zones_from_geojson_file_in_crs};
/// let utm = CrsTransform::from_epsg(32635)?;
/// let err = zones_from_geojson_file_in_crs("/nonexistent/zones.geojson", &utm).unwrap_err();
/// assert!(matches!(err, CrsLoadError::Load(sanctuary::geojson::LoadError::Io { .. })));
/// # Ok::<(), sanctuary::crs::CrsError>(())
/// ```
pub fn zones_from_geojson_file_in_crs(
    path: impl AsRef<Path>,
    crs: &CrsTransform,
) -> Result<Vec<Zone>, CrsLoadError> {
    let text = read_bounded(path.as_ref(), MAX_ZONE_FILE_BYTES)?;
    zones_from_geojson_str_in_crs(&text, crs)
}

/// Converts the positions `depth` array levels below `value`. Anything that is not an
/// array of numbers where a position belongs is left for the loader to report.
fn convert_nested(
    value: &mut Value,
    depth: usize,
    place: &mut String,
    crs: &CrsTransform,
) -> Result<(), CrsLoadError> {
    let Some(items) = value.as_array_mut() else {
        return Ok(());
    };
    if depth == 0 {
        return convert_position(items, place, crs);
    }
    let len = place.len();
    for (i, item) in items.iter_mut().enumerate() {
        place.push_str(&format!("[{i}]"));
        convert_nested(item, depth - 1, place, crs)?;
        place.truncate(len);
    }
    Ok(())
}

fn convert_position(position: &mut [Value], place: &str, crs: &CrsTransform) -> Result<(), CrsLoadError> {
    let numbers: Option<Vec<f64>> = position.iter().map(Value::as_f64).collect();
    let err = |source| CrsLoadError::Crs {
        place: place.to_string(),
        source,
    };
    let converted: Vec<f64> = match numbers.as_deref() {
        Some([x, y, z, ..]) => crs.to_wgs84_3d(*x, *y, *z).map_err(err)?.to_vec(),
        Some([x, y]) => crs.to_wgs84(*x, *y).map_err(err)?.to_vec(),
        // Short or non-numeric positions: the loader names them.
        _ => return Ok(()),
    };
    for (slot, v) in position.iter_mut().zip(converted) {
        *slot = serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| {
                err(CrsError::NonFiniteResult {
                    crs: crs.crs().to_string(),
                    input: numbers.clone().unwrap_or_default(),
                    output: vec![v],
                })
            })?;
    }
    Ok(())
}
