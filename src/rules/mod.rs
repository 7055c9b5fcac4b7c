//! The rules layer: plans (phases, zones' rules, partners, time windows), the rule engine
//! that decides a track against a plan, and what runs on decisions: lint, the shared
//! engine, the audit log and the track monitor. Uses the index and geometry layers.

pub(crate) mod audit;
pub(crate) mod engine;
pub(crate) mod lint;
pub(crate) mod monitor;
pub(crate) mod plan;
pub(crate) mod shared;
pub(crate) mod time;
pub(crate) mod window;
