//! The embedded Safe Haven plan: phases, activation, default rules, and that no sanctuary
//! ever permits over a neighbouring state.

use sanctuary::{
    geojson::zones_from_geojson_file,
    geometry::{Position, ZoneKind},
    plan::{Identity, TargetClass},
    Engine, Plan, Reason, Track,
};

fn engine() -> Engine {
    Engine::new(Plan::safe_haven().unwrap_or_else(|e| panic!("embedded plan: {e}")))
}

fn track(lon: f64, lat: f64, class: TargetClass) -> Track {
    Track::new("t", lon, lat, 1000.0, class, Identity::Hostile)
}

fn active_ids(e: &Engine, phase: &str) -> Vec<String> {
    let plan = e.plan();
    let i = plan.phase(phase).unwrap();
    plan.index()
        .zones()
        .iter()
        .zip(plan.zone_plans())
        .filter(|(z, zp)| z.kind() == ZoneKind::Sanctuary && zp.active_in(i))
        .map(|(z, _)| z.id().to_string())
        .collect()
}

#[test]
fn phases_are_cumulative_and_add_the_agreed_regions() {
    let e = engine();
    assert_eq!(
        e.plan()
            .phases()
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>(),
        ["0", "1", "2", "3", "4", "5", "6"]
    );
    assert!(active_ids(&e, "0").is_empty());
    let p1 = active_ids(&e, "1");
    assert_eq!(p1, ["UA-07", "UA-21", "UA-26", "UA-46", "UA-77"]);
    let p2 = active_ids(&e, "2");
    assert_eq!(p2.len(), 10);
    assert!(!p2.contains(&"UA-32".to_string()) && !p2.contains(&"UA-30".to_string()));
    let p3 = active_ids(&e, "3");
    assert!(p3.contains(&"UA-30".to_string()) && p3.contains(&"UA-32".to_string()));
    let p4 = active_ids(&e, "4");
    assert!(p4.contains(&"SUNPP".to_string()) && p4.contains(&"ODESA-CORRIDOR".to_string()));
    assert_eq!(active_ids(&e, "5"), p4);
    let p6 = active_ids(&e, "6");
    for id in ["MYKOLAIV", "CHERNIHIV", "POLTAVA", "DNIPRO"] {
        assert!(p6.contains(&id.to_string()), "{id}");
    }
    for w in ["0", "1", "2", "3", "4", "5", "6"].windows(2) {
        let (a, b) = (active_ids(&e, w[0]), active_ids(&e, w[1]));
        assert!(a.iter().all(|z| b.contains(z)), "phase {} drops a zone", w[1]);
    }
}

#[test]
fn default_rules_manned_aircraft_only_from_phase_three() {
    let e = engine();
    // Zhytomyr city, active from phase 2.
    let fighter = track(28.66, 50.25, TargetClass::MannedAircraft);
    assert_eq!(
        e.decide(&fighter, "2", None).reasons,
        vec![Reason::ClassNotAuthorised]
    );
    assert!(e.decide(&fighter, "3", None).is_permit());
    for class in [
        TargetClass::CruiseMissile,
        TargetClass::BallisticMissile,
        TargetClass::Uas,
    ] {
        assert!(
            e.decide(&track(28.66, 50.25, class), "2", None).is_permit(),
            "{class:?}"
        );
    }
    assert_eq!(
        e.decide(&track(28.66, 50.25, TargetClass::Unknown), "6", None)
            .reasons,
        vec![Reason::ClassNotAuthorised]
    );
    let high = Track {
        alt_m: 30_500.0,
        ..track(28.66, 50.25, TargetClass::Uas)
    };
    assert_eq!(
        e.decide(&high, "2", None).reasons,
        vec![Reason::AltitudeOutsideBand]
    );
}

#[test]
fn kyiv_is_added_in_phase_three() {
    let e = engine();
    let kyiv = track(30.52, 50.45, TargetClass::BallisticMissile);
    assert_eq!(
        e.decide(&kyiv, "2", None).reasons,
        vec![Reason::OutsideActiveSanctuary]
    );
    let d = e.decide(&kyiv, "3", None);
    assert!(d.is_permit());
    assert_eq!(d.zone.as_deref(), Some("UA-30"));
}

#[test]
fn southern_infrastructure_from_phase_four() {
    let e = engine();
    let npp = track(31.22, 47.90, TargetClass::CruiseMissile);
    assert!(!e.decide(&npp, "3", None).is_permit());
    let d = e.decide(&npp, "4", None);
    assert!(d.is_permit(), "{:?}", d.reasons);
    assert_eq!(d.zone.as_deref(), Some("SUNPP"));
    let corridor = track(30.55, 46.00, TargetClass::Uas);
    assert!(e.decide(&corridor, "4", None).is_permit());
}

#[test]
fn the_line_between_two_active_oblasts_is_not_an_edge() {
    let e = engine();
    let plan = e.plan();
    let lviv = plan.index().handle("UA-46").unwrap();
    let ternopil = plan.index().handle("UA-61").unwrap();
    // Walk east from inside Lviv until we are within 1–1.5 km of Ternopil.
    let lat = 49.55;
    let mut lon = 24.6;
    while plan.index().signed_distance_m(ternopil, lon, lat).unwrap() < -1_000.0 {
        lon += 0.001;
    }
    assert_eq!(plan.index().position(lviv, lon, lat).unwrap(), Position::Inside);
    let t = track(lon, lat, TargetClass::Uas);
    // Phase 1: Ternopil inactive, the line is an edge.
    let d1 = e.decide(&t, "1", None);
    assert_eq!(d1.reasons, vec![Reason::StandoffNotMet], "{d1:?}");
    // Phase 2: both active, the line is interior to the sanctuary area.
    let d2 = e.decide(&t, "2", None);
    assert!(d2.is_permit(), "{d2:?}");
    assert_eq!(d2.margin_m, Some(sanctuary::engine::MARGIN_HORIZON_M));
}

#[test]
fn no_permit_over_a_neighbouring_state_in_any_phase() {
    let e = engine();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/neighbours.geojson");
    let neighbours = zones_from_geojson_file(path).unwrap();
    let mut checked = 0;
    // A grid over the region near Ukraine, every point inside or on a neighbour.
    let (mut lon, step) = (21.0, 0.1);
    while lon <= 41.0 {
        let mut lat = 44.0;
        while lat <= 53.0 {
            let over_neighbour = neighbours
                .iter()
                .any(|n| n.position(lon, lat).unwrap() != Position::Outside);
            if over_neighbour {
                for phase in ["1", "2", "3", "4", "5", "6"] {
                    for class in TargetClass::ALL {
                        let t = Track::new("n", lon, lat, 1000.0, class, Identity::Hostile);
                        let d = e.decide(&t, phase, None);
                        assert!(
                            !d.is_permit(),
                            "permit over a neighbour at ({lon}, {lat}) phase {phase}"
                        );
                    }
                }
                checked += 1;
            }
            lat += step;
        }
        lon += step;
    }
    assert!(checked > 1_000, "only {checked} points over neighbours");
}

#[test]
fn sanctuaries_stay_off_neighbours_territory() {
    let e = engine();
    let index = e.plan().index();
    let neighbours: Vec<_> = index
        .zones()
        .iter()
        .filter(|z| z.kind() == ZoneKind::Exclusion)
        .collect();
    assert_eq!(neighbours.len(), 7);
    for z in index.zones().iter().filter(|z| z.kind() == ZoneKind::Sanctuary) {
        let spec = z.to_spec();
        match spec.geometry {
            sanctuary::geometry::ZoneGeometry::Circle { center, radius_m } => {
                for n in &neighbours {
                    let d = n.signed_distance_m(center[0], center[1]).unwrap();
                    assert!(
                        -d > radius_m + 2_000.0,
                        "{} comes within 2 km of {}",
                        z.id(),
                        n.id()
                    );
                }
            }
            sanctuary::geometry::ZoneGeometry::Polygon { rings } => {
                for v in rings.iter().flatten() {
                    for n in &neighbours {
                        assert_ne!(
                            n.position(v[0], v[1]).unwrap(),
                            Position::Inside,
                            "{} vertex in {}",
                            z.id(),
                            n.id()
                        );
                    }
                }
            }
            sanctuary::geometry::ZoneGeometry::MultiPolygon { polygons } => {
                for v in polygons.iter().flatten().flatten() {
                    for n in &neighbours {
                        assert_ne!(
                            n.position(v[0], v[1]).unwrap(),
                            Position::Inside,
                            "{} vertex in {}",
                            z.id(),
                            n.id()
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_sea_corridor_is_at_least_ten_km_wide_around_its_waypoints() {
    let e = engine();
    let corridor = e.plan().index().handle("ODESA-CORRIDOR").unwrap();
    for (lon, lat) in [(30.85, 46.40), (30.72, 46.25), (30.55, 46.00), (30.15, 45.70)] {
        let d = e.plan().index().signed_distance_m(corridor, lon, lat).unwrap();
        assert!(d >= 5_000.0, "waypoint ({lon}, {lat}) only {d} m inside");
    }
}
