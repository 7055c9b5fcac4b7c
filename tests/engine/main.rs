//! The rule engine's semantics, one test per rule of the decision.

mod common;
mod plans;
mod safe_haven;
mod semantics;
mod windows;
