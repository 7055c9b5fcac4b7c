//! Real Natural Earth data (`data/`): files load and index; known cities fall in the right
//! oblast; Kyiv city is a hole of Kyiv oblast; shared borders are on both boundaries.

use sanctuary::{
    geojson::zones_from_geojson_file,
    geometry::{Position, ZoneGeometry},
    Zone, ZoneIndex,
};
use std::collections::HashSet;

fn load(name: &str) -> Vec<Zone> {
    let path = format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"));
    zones_from_geojson_file(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn oblasts() -> ZoneIndex {
    ZoneIndex::new(load("ukraine-oblasts.geojson")).unwrap()
}

#[test]
fn real_files_load() {
    assert_eq!(load("ukraine-oblasts.geojson").len(), 27);
    assert_eq!(load("ukraine-outline.geojson").len(), 1);
    assert_eq!(load("neighbours.geojson").len(), 7);
}

#[test]
fn cities_fall_in_their_oblast() {
    let index = oblasts();
    for (city, lon, lat, oblast) in [
        ("Lviv", 24.03, 49.84, "UA-46"),
        ("Kyiv", 30.52, 50.45, "UA-30"),
        ("Odesa", 30.73, 46.48, "UA-51"),
        ("Kharkiv", 36.23, 49.99, "UA-63"),
    ] {
        let loc = index.locate(lon, lat).unwrap();
        assert_eq!(index.ids(&loc.inside), vec![oblast], "{city}");
        assert!(loc.boundary.is_empty(), "{city}");
    }
}

#[test]
fn kyiv_city_is_a_hole_in_kyiv_oblast() {
    let index = oblasts();
    let oblast = index.handle("UA-32").unwrap();
    let city = index.handle("UA-30").unwrap();
    assert_eq!(index.position(oblast, 30.52, 50.45).unwrap(), Position::Outside);
    assert_eq!(index.position(city, 30.52, 50.45).unwrap(), Position::Inside);
    assert!(index.signed_distance_m(oblast, 30.52, 50.45).unwrap() < 0.0);
    // Every vertex of the city's outline is on the oblast's (hole) boundary.
    let ZoneGeometry::Polygon { rings } = index.zone(city).to_spec().geometry else {
        panic!("Kyiv city is one polygon")
    };
    let mut on_both = 0;
    for v in &rings[0] {
        let loc = index.locate(v[0], v[1]).unwrap();
        assert!(loc.inside.is_empty(), "{v:?} inside {:?}", index.ids(&loc.inside));
        if loc.boundary.contains(&oblast) && loc.boundary.contains(&city) {
            on_both += 1;
        }
    }
    assert_eq!(on_both, rings[0].len(), "every city vertex is on both boundaries");
}

fn vertices(zone: &Zone) -> HashSet<(u64, u64)> {
    let spec = zone.to_spec();
    let polygons = match spec.geometry {
        ZoneGeometry::Polygon { rings } => vec![rings],
        ZoneGeometry::MultiPolygon { polygons } => polygons,
        ZoneGeometry::Circle { .. } => vec![],
    };
    polygons
        .into_iter()
        .flatten()
        .flatten()
        .map(|p| (p[0].to_bits(), p[1].to_bits()))
        .collect()
}

#[test]
fn shared_border_vertices_are_on_both_boundaries() {
    let index = oblasts();
    let (lviv, ternopil) = (index.handle("UA-46").unwrap(), index.handle("UA-61").unwrap());
    let shared: Vec<_> = vertices(index.zone(lviv))
        .intersection(&vertices(index.zone(ternopil)))
        .copied()
        .collect();
    assert!(
        shared.len() >= 10,
        "Lviv and Ternopil oblasts share {} vertices",
        shared.len()
    );
    for (x, y) in shared {
        let (lon, lat) = (f64::from_bits(x), f64::from_bits(y));
        let loc = index.locate(lon, lat).unwrap();
        assert!(
            loc.inside.is_empty(),
            "({lon}, {lat}) inside {:?}",
            index.ids(&loc.inside)
        );
        assert!(
            loc.boundary.contains(&lviv) && loc.boundary.contains(&ternopil),
            "({lon}, {lat})"
        );
        assert_eq!(index.nearest_boundary(lon, lat).unwrap().unwrap().distance_m, 0.0);
        assert_eq!(index.signed_distance_m(lviv, lon, lat).unwrap(), 0.0);
    }
}

#[test]
fn nearest_boundary_from_lviv_city() {
    let index = oblasts();
    let nb = index.nearest_boundary(24.03, 49.84).unwrap().unwrap();
    // The nearest boundary is Lviv oblast's own; a shared border belongs to both zones
    // and the tie goes to the smaller id.
    let own = index
        .signed_distance_m(index.handle("UA-46").unwrap(), 24.03, 49.84)
        .unwrap();
    assert!((own - nb.distance_m).abs() < 1e-6, "{own} vs {}", nb.distance_m);
    assert!(index.zone(nb.zone).id() <= "UA-46");
    assert!(
        nb.distance_m > 1_000.0 && nb.distance_m < 100_000.0,
        "{}",
        nb.distance_m
    );
}
