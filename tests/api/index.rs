//! Index construction: ids must be unique; handles follow id order.

use sanctuary::{geometry::ZoneGeometry, index::IndexError, Zone, ZoneIndex};

fn circle(id: &str, lon: f64) -> Zone {
    Zone::builder(id, ZoneGeometry::circle(lon, 50.0, 1_000.0))
        .build()
        .unwrap()
}

#[test]
fn duplicate_ids_are_rejected() {
    let err = ZoneIndex::new(vec![circle("a", 10.0), circle("b", 11.0), circle("a", 12.0)]).unwrap_err();
    assert_eq!(err, IndexError::DuplicateId { id: "a".into() });
    assert_eq!(err.to_string(), "duplicate zone id `a`");
}

#[test]
fn handles_follow_id_order() {
    let index = ZoneIndex::new(vec![circle("c", 10.0), circle("a", 11.0), circle("b", 12.0)]).unwrap();
    let ids: Vec<&str> = index.zones().iter().map(|z| z.id()).collect();
    assert_eq!(ids, vec!["a", "b", "c"]);
    for id in ["a", "b", "c"] {
        let h = index.handle(id).unwrap();
        assert_eq!(index.zone(h).id(), id);
    }
    assert!(index.handle("d").is_none());
    assert_eq!(index.len(), 3);
    assert!(ZoneIndex::new(vec![]).unwrap().is_empty());
}

#[test]
fn empty_index_answers_nothing() {
    let index = ZoneIndex::new(vec![]).unwrap();
    let loc = index.locate(30.0, 50.0).unwrap();
    assert!(loc.inside.is_empty() && loc.boundary.is_empty());
    assert!(index.nearest_boundary(30.0, 50.0).unwrap().is_none());
}
