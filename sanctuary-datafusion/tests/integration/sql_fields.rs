//! The decision struct's fields as a SQL user meets them: the dictionary-encoded text
//! fields compare, filter and group as text, and `reasons` is a list of text codes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Int64Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::prelude::SessionContext;
use sanctuary::plan::{Identity, TargetClass};
use sanctuary::{Engine, Plan, Track};
use sanctuary_datafusion::{register, Binding};

/// Lviv (UA-46, a permit in phase 1), Kharkiv (outside every phase-1 sanctuary), and Lviv
/// again as a friend (a deny inside UA-46).
const VALUES: &str = "(VALUES ('a', 24.03, 49.84, 800.0, 'uas', 'hostile'), \
     ('b', 36.23, 49.99, 800.0, 'uas', 'hostile'), \
     ('c', 24.03, 49.84, 800.0, 'uas', 'friend')) AS t(id, lon, lat, alt_m, class, identity)";

async fn ctx() -> (SessionContext, Arc<Engine>) {
    let engine = Arc::new(Engine::new(Plan::safe_haven().unwrap()));
    let ctx = SessionContext::new();
    register(&ctx, &Binding::new(Arc::clone(&engine), Some("1"), None).unwrap());
    (ctx, engine)
}

async fn strings(ctx: &SessionContext, sql: &str) -> Vec<Option<String>> {
    let batches = ctx.sql(sql).await.unwrap().collect().await.unwrap();
    let mut out = Vec::new();
    for b in batches {
        let a = datafusion::arrow::compute::cast(b.column(0), &DataType::Utf8).unwrap();
        let a = a.as_string::<i32>();
        out.extend(a.iter().map(|v| v.map(str::to_string)));
    }
    out
}

#[tokio::test]
async fn text_fields_filter_and_group_as_text() {
    let (ctx, engine) = ctx().await;
    let decide = "sanctuary_decide(id, lon, lat, alt_m, class, identity)";
    // Filtering on a verdict and a zone written as text literals.
    let permits = strings(
        &ctx,
        &format!(
            "SELECT id FROM {VALUES} WHERE {decide}['verdict'] = 'PERMIT' AND {decide}['zone'] = 'UA-46'"
        ),
    )
    .await;
    assert_eq!(permits, vec![Some("a".to_string())]);

    // Grouping by zone: the same counts as the engine's decisions.
    let sql = format!(
        "SELECT z, count(*) AS n FROM (SELECT {decide}['zone'] AS z FROM {VALUES}) GROUP BY z ORDER BY z NULLS LAST"
    );
    let batches = ctx.sql(&sql).await.unwrap().collect().await.unwrap();
    let mut got = Vec::new();
    for b in &batches {
        let z = datafusion::arrow::compute::cast(b.column(0), &DataType::Utf8).unwrap();
        let z = z.as_string::<i32>();
        let n: &Int64Array = b.column(1).as_primitive();
        for i in 0..b.num_rows() {
            got.push((z.is_valid(i).then(|| z.value(i).to_string()), n.value(i)));
        }
    }
    let tracks = [
        Track::new("a", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile),
        Track::new("b", 36.23, 49.99, 800.0, TargetClass::Uas, Identity::Hostile),
        Track::new("c", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Friend),
    ];
    let mut want: std::collections::BTreeMap<Option<String>, i64> = Default::default();
    for t in &tracks {
        *want
            .entry(engine.decide(t, "1", None).zone.map(|z| z.to_string()))
            .or_default() += 1;
    }
    // `ORDER BY z NULLS LAST` puts the zone-less row last; a BTreeMap puts `None` first.
    let mut want: Vec<(Option<String>, i64)> = want.into_iter().collect();
    want.rotate_left(1);
    assert_eq!(got, want);

    // Phase and exclusion are text too; a zone-less deny has a null zone.
    let phases = strings(&ctx, &format!("SELECT {decide}['phase'] FROM {VALUES}")).await;
    assert_eq!(phases, vec![Some("1".to_string()); 3]);
    let zones = strings(
        &ctx,
        &format!("SELECT {decide}['zone'] FROM {VALUES} WHERE id = 'b'"),
    )
    .await;
    assert_eq!(zones, vec![None]);
}

#[tokio::test]
async fn reasons_are_a_list_of_codes() {
    let (ctx, _) = ctx().await;
    let decide = "sanctuary_decide(id, lon, lat, alt_m, class, identity)";
    let ids = strings(
        &ctx,
        &format!(
            "SELECT id FROM {VALUES} WHERE array_has({decide}['reasons'], 'identity_not_hostile') ORDER BY id"
        ),
    )
    .await;
    assert_eq!(ids, vec![Some("c".to_string())]);
}
