//! The crate's integration tests, in one binary (each binary that links DataFusion and
//! Ballista takes its own link step and a few hundred megabytes of disk).
//!
//! - [`udf_identity`]: the functions decide as `Engine::decide` does (proptest over batches
//!   with nulls, NaN, out-of-range values and every class and identity).
//! - [`sql_fields`]: the decision struct's fields filter, group and read as SQL text and lists.
//! - [`codec`]: a plan travels with the query; a payload naming another plan is refused.
//! - [`replay_inputs`]: every input layout a replay reads gives the same decisions; missing
//!   columns, an output that is the archive and a replay failing midway are refused cleanly.
//! - [`replay_cli`]: the `replay` example's exit status and messages.
//! - [`three_way`]: `decide`, `decide_many`, DataFusion, Ballista standalone and a cluster of
//!   processes agree row for row.

mod codec;
mod replay_cli;
mod replay_inputs;
mod sql_fields;
mod three_way;
mod udf_identity;
