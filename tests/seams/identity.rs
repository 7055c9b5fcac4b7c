//! A plan's identity does not depend on the build: the embedded plan's hash is pinned.

use sanctuary::{plan::PlanHash, Plan};

/// The embedded Safe Haven plan's content hash (the canonical encoding documented on
/// [`PlanHash`]). `tests/feature-probe` pins the same value under other serde_json
/// features; a change to the plan or to the encoding changes both.
pub const SAFE_HAVEN_HASH: &str = "a81d7c5f479aeeec30ec1258e16cbb05642203e72290832cde9cd8bc52d4df97";

#[test]
fn the_embedded_plan_hash_is_pinned() {
    let plan = Plan::safe_haven().unwrap();
    assert_eq!(plan.hash().to_string(), SAFE_HAVEN_HASH);
    assert_eq!(SAFE_HAVEN_HASH.parse::<PlanHash>().unwrap(), *plan.hash());
}

#[test]
fn layout_whitespace_and_key_order_do_not_change_the_hash() {
    let a = r#"{"name": "p", "description": "one", "phases": [{"id": "0", "name": "all"}],
        "zones": [{"id": "sq", "kind": "exclusion", "geometry": {"type": "Polygon",
        "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#;
    // Another description, keys reordered, numbers spelled otherwise, and -0 for 0.
    let b = r#"{"zones": [{"geometry": {"coordinates": [[[-0.0, 0e0], [1.0, 0.0], [1e0, 10e-1], [0, 1], [0, -0]]],
        "type": "Polygon"}, "kind": "exclusion", "id": "sq"}],
        "phases": [{"name": "all", "id": "0"}], "description": "two", "name": "p"}"#;
    let (a, b) = (Plan::from_json_str(a).unwrap(), Plan::from_json_str(b).unwrap());
    assert_eq!(a.hash(), b.hash());
    let c = Plan::from_json_str(
        r#"{"name": "p", "phases": [{"id": "0", "name": "all"}],
        "zones": [{"id": "sq", "kind": "exclusion", "geometry": {"type": "Polygon",
        "coordinates": [[[0, 0], [1.0000000000000002, 0], [1, 1], [0, 1], [0, 0]]]}}]}"#,
    )
    .unwrap();
    assert_ne!(a.hash(), c.hash(), "one ulp is another plan");
}
