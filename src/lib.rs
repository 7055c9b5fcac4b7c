#![deny(missing_docs)]
#![doc = include_str!("../README.md")]
//!
//! # The crate at a glance
//!
//! The root holds what a user needs first: a [`Plan`] (zones, phases, rules and partners),
//! the [`Engine`] that decides a [`Track`] against it, giving a [`Decision`] (a [`Verdict`]
//! and its [`Reason`]s), and, under both, the [`Zone`] and the [`ZoneIndex`]. Everything
//! else lives in a public module, and [`prelude`] imports the usual set at once.
//!
//! | module | what it holds |
//! |---|---|
//! | [`geometry`] | zones (polygons, multipolygons, geodesic circles), their validation, positions, geodesics, physical limits |
//! | [`id`] | ids of zones, phases, partners and tracks: what is allowed, how they are echoed |
//! | [`index`] | the zone index: tri-state location, boundary distances, the edge of a union of zones |
//! | [`plan`] | plans: phases, rules, partners, time windows, the plan file format, the plan hash |
//! | [`engine`] | the rule engine: tracks, decisions, reasons |
//! | [`shared`] | the engine shared among threads, its plan replaced atomically (hot swap) |
//! | [`lint`] | findings about a plan that loads but may not mean what its author meant |
//! | [`audit`] | the audit log of decisions and its replay |
//! | [`monitor`] | per-track zone entry and exit events, with hysteresis |
//! | [`geojson`] | zones from GeoJSON; zones, plans and decisions to GeoJSON |
//! | [`kml`] | a plan phase's zones and decisions as KML 2.2 (Google Earth, TAK) |
//! | [`ed318`] | EUROCAE ED-318 geographical zones, both ways |
//! | [`map`] | printable SVG maps of a phase and an interactive offline HTML page of a plan |
//! | `crs` | zones in other coordinate reference systems (feature `proj`) |
//!
//! Inside, the source is in four layers whose imports run one way: `geometry`, then
//! `index`, then `rules` (plans, the engine and what runs on decisions), then `formats`
//! (ARCHITECTURE.md has the map).

mod formats;
pub mod geometry;
pub mod index;
mod rules;

#[cfg(feature = "proj")]
pub use formats::crs;
pub use formats::{ed318, geojson, kml, map};
pub use rules::{audit, engine, lint, monitor, plan, shared};

pub use engine::{Decision, Engine, Reason, Track, Verdict};
pub use geometry::Zone;
pub use index::ZoneIndex;
pub use plan::Plan;

pub mod id {
    //! Ids of zones, phases, partners and tracks.
    //!
    //! An id is echoed into CSV, GeoJSON, audit logs and terminals, so it is bounded
    //! ([`MAX_ID_BYTES`]) and free of control and bidirectional formatting characters
    //! ([`check_id`] says why one is refused; [`escape_id`] shows any text safely).
    pub use crate::geometry::id::{check_id, escape_id, Id, IdProblem, MAX_ID_BYTES};
}

pub mod prelude {
    //! The usual imports at once: `use sanctuary::prelude::*;`.
    //!
    //! ```
    //! use sanctuary::prelude::*;
    //! let engine = Engine::new(Plan::safe_haven()?);
    //! let track = Track::new("t1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    //! assert_eq!(engine.decide(&track, "1", None).verdict, Verdict::Permit);
    //! # Ok::<(), Box<dyn std::error::Error>>(())
    //! ```
    pub use crate::engine::{Decision, Engine, Reason, Track, Velocity, Verdict};
    pub use crate::geometry::{Position, Zone, ZoneGeometry, ZoneKind};
    pub use crate::index::ZoneIndex;
    pub use crate::plan::{Identity, Plan, TargetClass};
    pub use crate::shared::SharedEngine;
}
