#![deny(missing_docs)]
#![doc = include_str!("../README.md")]
//!
//! # Modules
//! - [`Zone`] and friends: validated zones (polygons, multipolygons, geodesic circles).
//! - [`ZoneIndex`]: the R-tree index, tri-state `locate`, geodesic boundary distances.
//! - [`zones_from_geojson_str`] / [`zones_from_geojson_file`]: GeoJSON loading.

mod formats;
mod geometry;
mod index;
mod rules;

#[cfg(feature = "proj")]
pub use formats::crs::{
    zones_from_geojson_file_in_crs, zones_from_geojson_str_in_crs, CrsError, CrsLoadError, CrsTransform,
    WGS84_CRS,
};
pub use formats::ed318::{
    ed318_from_file, ed318_from_plan_phase, ed318_from_str, ed318_from_value, ed318_from_zones, AglPolicy,
    AltitudeDatum, Ed318Collection, Ed318Error, Ed318ExportOptions, Ed318KindMap, Ed318Layer, Ed318Options,
    Ed318Reason, Ed318Type, Ed318Zone, LengthUnit, VerticalReference, FEET_TO_METRES,
    GEOID_UNDULATION_BOUNDS_M, MAX_APPLICABILITY_WINDOWS, MAX_ED318_FILE_BYTES,
};
pub use formats::geojson::{
    active_zones_geojson, decisions_geojson, zones_geojson, CIRCLE_STEP_DEG, DRAW_TOLERANCE_M,
};
pub use geometry::error::{IndexError, LoadError, PointError, ZoneError, ZoneProblem};
pub use geometry::geodesy::{geodesic_destination, geodesic_distance_m, WGS84_A, WGS84_F};
pub use geometry::geojson::{zones_from_geojson_file, zones_from_geojson_str, MAX_ZONE_FILE_BYTES};
pub use geometry::id::{check_id, escape_id, Id, IdProblem, MAX_ID_BYTES};
pub use geometry::kernel::EdgeModel;
pub use geometry::kernel::{Position, GREAT_CIRCLE_BOUNDARY_RAD};
pub use geometry::limits::MAX_CIRCLE_RADIUS_M;
pub use geometry::limits::{MAX_ALTITUDE_M, MIN_ALTITUDE_M};
pub use geometry::zone::{
    VerticalBand, Zone, ZoneBuilder, ZoneGeometry, ZoneKind, ZoneSpec, CIRCLE_BOUNDARY_TOLERANCE_M,
};
pub use index::coverage::AREA_EDGE_TOLERANCE_M;
pub use index::{Location, NearestBoundary, ZoneHandle, ZoneIndex};
pub use rules::audit::{replay, AuditRecord, DecisionField, Mismatch, ReplayError, ReplayReport};
pub use rules::engine::{
    Decision, Engine, Reason, Track, TrackError, Velocity, Verdict, MAX_SPEED_MPS, MAX_TTI_S,
    MAX_UNCERTAINTY_M,
};
pub use rules::lint::{Finding, FindingKind};
pub use rules::monitor::{
    MonitorError, TrackMonitor, TrackStatus, ZoneEvent, ZoneEventKind, CROSSING_TOLERANCE_M,
};
pub use rules::plan::MARGIN_HORIZON_M;
pub use rules::plan::{
    Identity, Partner, Phase, Plan, PlanError, PlanHash, PlanHashError, Rule, TargetClass, WeaponsStatus,
    ZonePlan, MAX_PLAN_FILE_BYTES, MAX_PLAN_VERTICES, MAX_STANDOFF_M,
};
pub use rules::shared::SharedEngine;
pub use rules::time::parse_rfc3339;
pub use rules::window::TimeWindow;
