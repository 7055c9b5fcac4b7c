//! Replaying track archives against sanctuary plans on Apache DataFusion, distributed on
//! Apache Ballista.
//!
//! The core crate decides one track at a time; this crate puts the same engine behind
//! three scalar functions over Arrow arrays, so an archive in Parquet or CSV is replayed
//! by a query engine:
//!
//! | function | arguments | result |
//! |---|---|---|
//! | `sanctuary_decide` | `[id,] lon, lat, alt_m, class, identity [, uncertainty_m, speed_mps, heading_deg, tti_s]` | the decision struct, in the bound phase |
//! | `sanctuary_decide_at` | `time, ` then as `sanctuary_decide` | the decision struct, in the phase in force at `time` |
//! | `sanctuary_locate` | `lon, lat` (numbers or text, read as `sanctuary_decide` reads them) | `{inside, boundary}`: lists of zone ids; null for a point that is null, unreadable, not finite or out of range |
//!
//! The decision struct has the fields `verdict` (`PERMIT` or `DENY`), `zone`, `phase`,
//! `reasons` (a list of reason codes), `margin_m`, `margin_is_lower_bound`, `exclusion`
//! and `plan_hash`, each as in [`sanctuary::Decision`]. `verdict`, `zone`, `phase`,
//! `exclusion` and `plan_hash` are dictionaries (`Int32` keys into the plan's own values:
//! the two verdicts, its zone ids, its phase ids, its hash), so a row costs a key per
//! field; SQL compares and groups them as text. A batch is decided without allocating per row
//! beyond the output arrays ([`sanctuary::engine::DecisionView`]); a batch of 2,048 rows
//! or more is shared among rayon's threads.
//!
//! Rows are read as the `decide` example reads a CSV row, and each decision is exactly
//! [`sanctuary::Engine::decide`]'s (or [`sanctuary::Engine::decide_at_track_time`]'s) for
//! that track: numbers may be numeric columns or text (trimmed, then read as a decimal
//! number); `class` and `identity` are the lowercase codes (trimmed). A row with a null or
//! non-finite required number, an unknown code, or a speed without a heading (or the
//! reverse) is decided as an unreadable track: a DENY with `invalid_track`, never an
//! error that stops the query. Without an id argument every track is called `track`; a
//! null id is an empty, invalid one. Times may be timestamps (any unit; the phase is
//! chosen by the whole second), Unix seconds (a number, or its decimal text) or RFC 3339
//! text. Decimal columns (numbers and times) are read through their exact digits, so
//! that each value is the nearest `f64`, as the same digits are read from text.
//!
//! A binding ([`Binding`]) fixes the plan, the phase (or decisions by time) and the
//! partner when the functions are registered; a query never decides with a plan other
//! than the one it named: across processes the functions travel with their plan and its
//! content hash ([`codec`]), and a plan whose hash differs is refused.
//!
//! # Parquet statistics
//!
//! DataFusion 55 reads a column whose file statistics show a single value and no nulls
//! as that value, without reading the column; and Parquet's statistics leave NaN out of
//! a float column's minimum and maximum. A file whose longitudes are all 24.03 but one,
//! which is NaN, is therefore read as 24.03 on every row: the NaN row, an invalid track
//! that must be denied, is decided at 24.03 and may be permitted. The replay's sessions
//! ([`replay::session_config`], [`cluster::session_config`]) gather no statistics from
//! the files, so every value is read. A session of your own that decides tracks from
//! Parquet files should do the same, before it registers them:
//!
//! ```
//! use datafusion::prelude::{SessionConfig, SessionContext};
//! let ctx = SessionContext::new_with_config(SessionConfig::new().with_collect_statistics(false));
//! assert!(!ctx.state().config().collect_statistics());
//! ```
//!
//! # Example
//! ```
//! use std::sync::Arc;
//! use datafusion::prelude::SessionContext;
//! use sanctuary::{Engine, Plan};
//! use sanctuary_datafusion::{register, Binding};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let engine = Arc::new(Engine::new(Plan::safe_haven()?));
//! let ctx = SessionContext::new();
//! register(&ctx, &Binding::new(engine, Some("1"), None)?);
//! let batches = ctx
//!     .sql("SELECT sanctuary_decide(24.03, 49.84, 800.0, 'uas', 'hostile')['verdict'] AS v")
//!     .await?
//!     .collect()
//!     .await?;
//! let text = datafusion::arrow::util::pretty::pretty_format_batches(&batches)?.to_string();
//! assert!(text.contains("PERMIT"));
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]

pub mod archive;
pub mod cluster;
pub mod codec;
mod columns;
mod csv_input;
mod files;
pub mod replay;
mod udf;

pub use udf::{decision_fields, location_fields, Binding, PhaseChoice, DECIDE, DECIDE_AT, LOCATE};

use datafusion::prelude::SessionContext;

/// Why a binding cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BindError {
    /// The plan has no phase of this id.
    #[error("unknown phase `{phase}` (the plan's phases: {})", known.join(", "))]
    UnknownPhase {
        /// The phase asked for.
        phase: String,
        /// The plan's phase ids.
        known: Vec<String>,
    },
    /// The plan has no partner of this id.
    #[error("unknown partner `{partner}` (the plan's partners: {})", known.join(", "))]
    UnknownPartner {
        /// The partner asked for.
        partner: String,
        /// The plan's partner ids.
        known: Vec<String>,
    },
}

/// Registers the binding's decision function (`sanctuary_decide` for a phase,
/// `sanctuary_decide_at` for decisions by time) and `sanctuary_locate` with `ctx`.
pub fn register(ctx: &SessionContext, binding: &Binding) {
    ctx.register_udf(binding.decide_udf());
    ctx.register_udf(binding.locate_udf());
}
