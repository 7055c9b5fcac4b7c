//! Real Natural Earth data loads, validates and indexes.
use sanctuary::*;

fn load(name: &str) -> Vec<Zone> {
    let path = format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"));
    zones_from_geojson_file(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn real_files_load() {
    assert_eq!(load("ukraine-oblasts.geojson").len(), 27);
    assert_eq!(load("ukraine-outline.geojson").len(), 1);
    assert_eq!(load("neighbours.geojson").len(), 7);
}

#[test]
fn lviv_city_is_in_lviv_oblast() {
    let index = ZoneIndex::new(load("ukraine-oblasts.geojson")).unwrap();
    let loc = index.locate(24.03, 49.84).unwrap();
    assert_eq!(index.ids(&loc.inside), vec!["UA-46"]);
    let nb = index.nearest_boundary(24.03, 49.84).unwrap().unwrap();
    // The nearest boundary is Lviv oblast's own; a shared border belongs to both zones
    // and the tie goes to the smaller id.
    let own = index.signed_distance_m(index.handle("UA-46").unwrap(), 24.03, 49.84).unwrap();
    assert!((own - nb.distance_m).abs() < 1e-6, "{own} vs {}", nb.distance_m);
    assert!(index.zone(nb.zone).id() <= "UA-46");
    assert!(nb.distance_m > 1_000.0 && nb.distance_m < 100_000.0, "{}", nb.distance_m);
}
