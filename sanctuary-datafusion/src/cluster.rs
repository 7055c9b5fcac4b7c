//! Ballista: sessions, schedulers and executors that carry the sanctuary functions.
//!
//! Every process of a cluster (the client, the scheduler, each executor) must use the
//! codecs of [`crate::codec`], wrapped around Ballista's own: the client writes each
//! function with its plan into the logical plan it sends, the scheduler reads it back and
//! writes it into each task's physical plan, and each executor reads it back, checking
//! the plan's content hash. A process without these codecs cannot read the functions and
//! fails the query; none decides with another plan.
//!
//! # Running a cluster on several machines
//! Build the binaries once (`cargo build --release -p sanctuary-datafusion --bins`) and
//! copy `sanctuary-scheduler` and `sanctuary-executor` to the machines. Then:
//!
//! ```text
//! scheduler-host$ sanctuary-scheduler --bind 0.0.0.0 --port 50050 --external-host scheduler-host
//! worker-1$       sanctuary-executor --scheduler scheduler-host:50050 --bind 0.0.0.0 --port 50051 --external-host worker-1
//! worker-2$       sanctuary-executor --scheduler scheduler-host:50050 --bind 0.0.0.0 --port 50051 --external-host worker-2
//! client$         cargo run --release -p sanctuary-datafusion --example replay -- \
//!                     --tracks /shared/archive.parquet --out /shared/decisions.parquet \
//!                     --phase 3 --ballista df://scheduler-host:50050
//! ```
//!
//! The archive path must name the same file on every executor (a shared file system);
//! the decisions come back to the client, which writes the output file.

use std::sync::Arc;

use ballista::prelude::{SessionConfigExt, SessionContextExt};
use ballista_core::serde::{BallistaLogicalExtensionCodec, BallistaPhysicalExtensionCodec};
use datafusion::common::Result;
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};
use datafusion_proto::logical_plan::LogicalExtensionCodec;
use datafusion_proto::physical_plan::PhysicalExtensionCodec;

use crate::codec::{SanctuaryLogicalCodec, SanctuaryPhysicalCodec};

/// The logical codec every Ballista process of a sanctuary cluster uses.
pub fn logical_codec() -> Arc<dyn LogicalExtensionCodec> {
    Arc::new(SanctuaryLogicalCodec::new(Arc::new(
        BallistaLogicalExtensionCodec::default(),
    )))
}

/// The physical codec every Ballista process of a sanctuary cluster uses.
pub fn physical_codec() -> Arc<dyn PhysicalExtensionCodec> {
    Arc::new(SanctuaryPhysicalCodec::new(Arc::new(
        BallistaPhysicalExtensionCodec::default(),
    )))
}

/// A Ballista session configuration with the sanctuary codecs, one ordered partition per
/// file and no statistics gathered from the files (as [`crate::replay::session_config`]).
pub fn session_config() -> SessionConfig {
    SessionConfig::new_with_ballista()
        .with_target_partitions(1)
        .with_repartition_file_scans(false)
        .with_collect_statistics(false)
        .with_ballista_logical_extension_codec(logical_codec())
        .with_ballista_physical_extension_codec(physical_codec())
}

/// A Ballista standalone session: a scheduler and an executor in this process, on
/// loopback, with the sanctuary codecs.
///
/// # Errors
/// When the scheduler or the executor cannot start.
pub async fn standalone() -> Result<SessionContext> {
    let config = session_config().with_ballista_standalone_parallelism(2);
    let state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    SessionContext::standalone_with_state(state).await
}

/// A session on a remote Ballista scheduler (`df://host:port`) with the sanctuary codecs.
///
/// # Errors
/// When the URL is not one, or the scheduler cannot be reached.
pub async fn remote(url: &str) -> Result<SessionContext> {
    let state = SessionStateBuilder::new()
        .with_config(session_config())
        .with_default_features()
        .build();
    SessionContext::remote_with_state(url, state).await
}
