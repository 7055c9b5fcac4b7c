//! The rules layer: plans (phases, zones' rules, partners, time windows), the rule engine
//! that decides a track against a plan, and what runs on decisions: lint, the shared
//! engine, the audit log and the track monitor. Uses the index and geometry layers.

pub mod audit;
pub mod engine;
pub mod lint;
pub mod monitor;
pub mod plan;
pub mod shared;
pub(crate) mod time;
pub(crate) mod window;
