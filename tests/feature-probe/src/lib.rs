//! Nothing but a build of `sanctuary` beside serde_json with `preserve_order` and
//! `arbitrary_precision` turned on; the checks are in `tests/probe.rs`.
