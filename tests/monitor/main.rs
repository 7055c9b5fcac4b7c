//! TrackMonitor: property tests (no flapping on a jittering boundary, one entry and one exit
//! or one crossing for a straight pass, events in time order, nothing for zones never
//! approached) and examples of each event.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failed expectation is a test failure (clippy.toml only covers #[test] fns)"
)]

use proptest::prelude::*;
use sanctuary::{
    geometry::{geodesic_destination, geodesic_distance_m, ZoneGeometry},
    monitor::{MonitorError, TrackMonitor, TrackStatus, ZoneEvent, ZoneEventKind},
    Plan, Zone, ZoneIndex,
};

fn circle(id: &str, lon: f64, lat: f64, r: f64) -> Zone {
    Zone::builder(id, ZoneGeometry::circle(lon, lat, r))
        .build()
        .unwrap()
}

fn square(id: &str, lon: f64, lat: f64, size: f64) -> Zone {
    let ring = vec![
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ];
    Zone::builder(id, ZoneGeometry::polygon(vec![ring]))
        .build()
        .unwrap()
}

fn monitor(zones: Vec<Zone>, h: f64) -> TrackMonitor {
    TrackMonitor::new(ZoneIndex::new(zones).unwrap(), h)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A track within ±h/2 of a circle's boundary emits nothing after its first state.
    #[test]
    fn jitter_on_a_circle_boundary_does_not_flap(
        r in 500.0f64..20_000.0,
        h in 5.0f64..200.0,
        az0 in 0.0f64..360.0,
        steps in prop::collection::vec((-0.5f64..0.5, -0.5f64..0.5), 2..40),
    ) {
        let (clon, clat) = (30.0, 50.0);
        let mut m = monitor(vec![circle("c", clon, clat, r)], h);
        let mut t = 0.0;
        // Noise around one boundary point: radially and along the boundary within ±h/2.
        let dazimuth = (h / r).to_degrees();
        for (k, (frac, lateral)) in steps.iter().enumerate() {
            let (lon, lat) = geodesic_destination(clon, clat, az0 + lateral * dazimuth, r + frac * h);
            let events = m.update("j", t, lon, lat).unwrap();
            prop_assert!(events.is_empty(), "step {k}: {events:?}");
            t += 1.0;
        }
    }

    /// The same on a polygon edge (the southern edge of a 1° square, near its middle).
    #[test]
    fn jitter_on_a_polygon_edge_does_not_flap(
        h in 5.0f64..200.0,
        lon0 in 30.2f64..30.8,
        steps in prop::collection::vec((-0.5f64..0.5, -0.5f64..0.5), 2..40),
    ) {
        let mut m = monitor(vec![square("s", 30.0, 50.0, 1.0)], h);
        for (k, (frac, lateral)) in steps.iter().enumerate() {
            let d = frac * h;
            let (lon, lat) = geodesic_destination(lon0, 50.0, 90.0, lateral * h);
            let (lon, lat) = geodesic_destination(lon, lat, if d >= 0.0 { 0.0 } else { 180.0 }, d.abs());
            let events = m.update("j", k as f64, lon, lat).unwrap();
            prop_assert!(events.is_empty(), "step {k}: {events:?}");
        }
    }

    /// A straight track through a circle: Entered then Exited, or one Crossed when no update
    /// falls inside; events in time order, near the boundary.
    #[test]
    fn straight_pass_enters_then_exits_or_crosses(
        r in 1_000.0f64..10_000.0,
        h in 0.0f64..100.0,
        offset_frac in -0.8f64..0.8,
        heading in 0.0f64..360.0,
        mut fractions in prop::collection::vec(0.0f64..1.0, 0..8),
    ) {
        let (clon, clat) = (30.0, 50.0);
        let offset = offset_frac * (r - 2.0 * h);
        // The chord's closest point to the centre, and its ends well outside.
        let (plon, plat) = geodesic_destination(clon, clat, heading + 90.0, offset);
        let half = r + 3.0 * h + 500.0;
        let (alon, alat) = geodesic_destination(plon, plat, heading + 180.0, half);
        let length = 2.0 * half;
        let mut m = monitor(vec![circle("c", clon, clat, r)], h);
        fractions.sort_by(f64::total_cmp);
        let mut points = vec![0.0];
        points.extend(fractions);
        points.push(1.0);
        let mut events: Vec<ZoneEvent> = Vec::new();
        let mut any_update_deep = false;
        let mut any_update_maybe_deep = false;
        for (k, f) in points.iter().enumerate() {
            // Along the geodesic from A through P.
            let (lon, lat) = geodesic_destination(alon, alat, azimuth(alon, alat, plon, plat), f * length);
            let sd = r - geodesic_distance_m(clon, clat, lon, lat);
            if sd >= h + 1.0 && sd > 1.0 {
                any_update_deep = true;
            }
            if sd >= h - 1.0 {
                any_update_maybe_deep = true;
            }
            events.extend(m.update("p", k as f64, lon, lat).unwrap());
        }
        let kinds: Vec<ZoneEventKind> = events.iter().map(|e| e.kind).collect();
        prop_assert!(
            kinds == vec![ZoneEventKind::Entered, ZoneEventKind::Exited] || kinds == vec![ZoneEventKind::Crossed],
            "{kinds:?}"
        );
        if any_update_deep {
            prop_assert_eq!(kinds.len(), 2);
        }
        if !any_update_maybe_deep {
            prop_assert_eq!(&kinds, &vec![ZoneEventKind::Crossed]);
        }
        if points.len() == 2 {
            prop_assert_eq!(kinds, vec![ZoneEventKind::Crossed]);
        }
        prop_assert!(events.windows(2).all(|w| w[0].time_unix_s <= w[1].time_unix_s));
        for e in &events {
            let d = geodesic_distance_m(clon, clat, e.lon, e.lat);
            match e.kind {
                // Entered/Exited at the boundary, or at the hysteresis distance.
                ZoneEventKind::Entered | ZoneEventKind::Exited => prop_assert!((d - r).abs() <= h + 1.0, "{e:?} {d}"),
                ZoneEventKind::Crossed => prop_assert!(r - d >= h - 0.02, "{e:?} {d}"),
                // Updates never emit the kinds of a change of the zone set.
                other => prop_assert!(false, "{other:?} from an update"),
            }
        }
    }

    /// A random walk among zones: events in time order, none for a zone far away.
    #[test]
    fn events_are_ordered_and_far_zones_are_silent(
        h in 0.0f64..300.0,
        walk in prop::collection::vec((0.0f64..360.0, 0.0f64..8_000.0, 0.0f64..120.0), 1..30),
    ) {
        let zones = vec![
            circle("a", 30.0, 50.0, 3_000.0),
            circle("b", 30.05, 50.02, 2_000.0),
            square("s", 29.95, 49.97, 0.04),
            circle("far", 33.0, 52.0, 5_000.0),
        ];
        let mut m = monitor(zones, h);
        let (mut lon, mut lat, mut t) = (30.0, 50.0, 0.0);
        let mut all = m.update("w", t, lon, lat).unwrap();
        for (az, dist, dt) in walk {
            let (x, y) = geodesic_destination(lon, lat, az, dist);
            // Stay within ~20 km of the start.
            if geodesic_distance_m(30.0, 50.0, x, y) > 20_000.0 { continue; }
            lon = x;
            lat = y;
            t += dt;
            all.extend(m.update("w", t, lon, lat).unwrap());
        }
        prop_assert!(all.windows(2).all(|w| w[0].time_unix_s <= w[1].time_unix_s), "{all:?}");
        prop_assert!(all.iter().all(|e| e.zone_id != "far"));
        // Entered and Exited alternate per zone.
        for id in ["a", "b", "s"] {
            let kinds: Vec<ZoneEventKind> = all.iter().filter(|e| e.zone_id == id && e.kind != ZoneEventKind::Crossed).map(|e| e.kind).collect();
            prop_assert!(kinds.windows(2).all(|w| w[0] != w[1]), "{id}: {kinds:?}");
        }
    }
}

fn azimuth(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    use geographiclib_rs::{Geodesic, InverseGeodesic};
    let (_s, azi1, _azi2, _a): (f64, f64, f64, f64) = Geodesic::wgs84().inverse(lat1, lon1, lat2, lon2);
    azi1
}

#[test]
fn entry_needs_the_hysteresis_depth_and_exit_the_same_outside() {
    let r = 5_000.0;
    let h = 100.0;
    let mut m = monitor(vec![circle("c", 30.0, 50.0, r)], h);
    let at = |d_from_centre: f64| geodesic_destination(30.0, 50.0, 90.0, d_from_centre);
    let (lon, lat) = at(r + 500.0);
    assert!(m.update("t", 0.0, lon, lat).unwrap().is_empty());
    let (lon, lat) = at(r - 50.0); // inside, but only 50 m
    assert!(m.update("t", 1.0, lon, lat).unwrap().is_empty());
    assert!(m.track("t").unwrap().inside.is_empty());
    let (lon, lat) = at(r - 150.0);
    let e = m.update("t", 2.0, lon, lat).unwrap();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].kind, ZoneEventKind::Entered);
    // The crossing happened before this segment: reported where the depth reached h.
    assert!((geodesic_distance_m(30.0, 50.0, e[0].lon, e[0].lat) - (r - h)).abs() < 0.1);
    assert_eq!(m.track("t").unwrap().inside, vec!["c"]);
    let (lon, lat) = at(r + 50.0); // outside, but only 50 m
    assert!(m.update("t", 3.0, lon, lat).unwrap().is_empty());
    let (lon, lat) = at(r + 1_000.0);
    let e = m.update("t", 4.0, lon, lat).unwrap();
    assert_eq!(e[0].kind, ZoneEventKind::Exited);
    assert!((geodesic_distance_m(30.0, 50.0, e[0].lon, e[0].lat) - (r + h)).abs() < 0.1);
}

#[test]
fn entry_from_outside_is_placed_on_the_boundary_with_interpolated_time() {
    let r = 5_000.0;
    let mut m = monitor(vec![circle("c", 30.0, 50.0, r)], 10.0);
    let (lon, lat) = geodesic_destination(30.0, 50.0, 90.0, r + 1_000.0);
    m.update("t", 100.0, lon, lat).unwrap();
    let (lon, lat) = geodesic_destination(30.0, 50.0, 90.0, r - 1_000.0);
    let e = m.update("t", 200.0, lon, lat).unwrap();
    assert_eq!(e[0].kind, ZoneEventKind::Entered);
    assert!((geodesic_distance_m(30.0, 50.0, e[0].lon, e[0].lat) - r).abs() < 0.05);
    assert!((e[0].time_unix_s - 150.0).abs() < 0.01, "{}", e[0].time_unix_s);
}

#[test]
fn a_grazing_pass_shallower_than_the_hysteresis_is_not_a_crossing() {
    let r = 5_000.0;
    let mut m = monitor(vec![circle("c", 30.0, 50.0, r)], 100.0);
    // A chord whose deepest point is 50 m inside.
    let (plon, plat) = geodesic_destination(30.0, 50.0, 90.0, r - 50.0);
    let (alon, alat) = geodesic_destination(plon, plat, 0.0, 5_000.0);
    let (blon, blat) = geodesic_destination(plon, plat, 180.0, 5_000.0);
    m.update("g", 0.0, alon, alat).unwrap();
    assert!(m.update("g", 1.0, blon, blat).unwrap().is_empty());
    // With 10 m hysteresis it is one.
    let mut m = monitor(vec![circle("c", 30.0, 50.0, r)], 10.0);
    m.update("g", 0.0, alon, alat).unwrap();
    assert_eq!(
        m.update("g", 1.0, blon, blat).unwrap()[0].kind,
        ZoneEventKind::Crossed
    );
}

#[test]
fn plan_phase_monitor_and_errors() {
    let plan = Plan::safe_haven().unwrap();
    let mut m = TrackMonitor::for_plan_phase(&plan, "1", 100.0).unwrap();
    assert!(m.zones().iter().any(|z| z.id() == "UA-46"));
    m.update("d", 0.0, 24.03, 49.84).unwrap();
    assert_eq!(m.track("d").unwrap().inside, vec!["UA-46"]);
    // Lviv to Volyn (Lutsk).
    let e = m.update("d", 600.0, 25.33, 50.75).unwrap();
    let kinds: Vec<(&str, ZoneEventKind)> = e.iter().map(|e| (e.zone_id.as_str(), e.kind)).collect();
    assert!(kinds.contains(&("UA-46", ZoneEventKind::Exited)), "{kinds:?}");
    assert!(kinds.contains(&("UA-07", ZoneEventKind::Entered)), "{kinds:?}");
    assert!(matches!(
        m.update("d", 10.0, 25.0, 50.0),
        Err(MonitorError::Time { .. })
    ));
    assert!(matches!(
        m.update("d", f64::NAN, 25.0, 50.0),
        Err(MonitorError::Time { .. })
    ));
    assert!(matches!(
        m.update("d", 700.0, 25.0, 95.0),
        Err(MonitorError::Point { .. })
    ));
    assert!(m.forget("d"));
    assert!(m.track("d").is_none());
}

#[test]
fn monitor_types_serde_round_trip() {
    let e = ZoneEvent {
        track_id: "t".into(),
        zone_id: "z".into(),
        kind: ZoneEventKind::Crossed,
        time_unix_s: 12.5,
        lon: 30.0,
        lat: 50.0,
    };
    let text = serde_json::to_string(&e).unwrap();
    assert!(text.contains("\"crossed\""));
    assert_eq!(serde_json::from_str::<ZoneEvent>(&text).unwrap(), e);
    let s = TrackStatus {
        time_unix_s: 1.0,
        lon: 2.0,
        lat: 3.0,
        inside: vec!["a".into()],
    };
    assert_eq!(
        serde_json::from_str::<TrackStatus>(&serde_json::to_string(&s).unwrap()).unwrap(),
        s
    );
}

#[test]
fn a_phase_change_keeps_the_tracks_and_reports_zones_coming_into_and_out_of_force() {
    let plan = Plan::safe_haven().unwrap();
    let mut m = TrackMonitor::for_plan_phase(&plan, "0", 100.0).unwrap();
    m.update("lviv", 0.0, 24.03, 49.84).unwrap();
    m.update("kharkiv", 5.0, 36.23, 49.99).unwrap();
    assert!(m.track("lviv").unwrap().inside.is_empty());

    let events = m.set_plan_phase(&plan, plan.phase("1").unwrap()).unwrap();
    // Only Lviv's track is inside a sanctuary of phase 1; the event is where and when the
    // track last was.
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    assert_eq!(
        (e.track_id.as_str(), e.zone_id.as_str(), e.kind),
        ("lviv", "UA-46", ZoneEventKind::Activated)
    );
    assert_eq!((e.time_unix_s, e.lon, e.lat), (0.0, 24.03, 49.84));
    let status = m.track("lviv").unwrap();
    assert_eq!((status.time_unix_s, status.lon, status.lat), (0.0, 24.03, 49.84));
    assert_eq!(status.inside, vec!["UA-46"]);
    assert_eq!(m.hysteresis_m(), 100.0);

    // The tracks go on under the new zones: Lviv to Lutsk exits UA-46 and enters UA-07.
    let e = m.update("lviv", 600.0, 25.33, 50.75).unwrap();
    let kinds: Vec<(&str, ZoneEventKind)> = e.iter().map(|e| (e.zone_id.as_str(), e.kind)).collect();
    assert!(kinds.contains(&("UA-46", ZoneEventKind::Exited)), "{kinds:?}");
    assert!(kinds.contains(&("UA-07", ZoneEventKind::Entered)), "{kinds:?}");
    // Times still only go forward.
    assert!(matches!(
        m.update("kharkiv", 4.0, 36.23, 49.99),
        Err(MonitorError::Time { .. })
    ));

    // Back to phase 0: UA-07 goes out of force under the track.
    let events = m.set_plan_phase(&plan, "0").unwrap();
    let got: Vec<(&str, &str, ZoneEventKind)> = events
        .iter()
        .map(|e| (e.track_id.as_str(), e.zone_id.as_str(), e.kind))
        .collect();
    assert_eq!(got, vec![("lviv", "UA-07", ZoneEventKind::Deactivated)]);
    assert!(m.track("lviv").unwrap().inside.is_empty());
}

#[test]
fn an_unknown_phase_or_a_handle_of_another_plan_leaves_the_monitor_unchanged() {
    let plan = Plan::safe_haven().unwrap();
    let mut value = serde_json::to_value(&plan).unwrap();
    value["name"] = serde_json::json!("renamed");
    let other: Plan = serde_json::from_value(value).unwrap();
    assert_ne!(plan.hash(), other.hash());

    let mut m = TrackMonitor::for_plan_phase(&plan, "1", 100.0).unwrap();
    m.update("d", 0.0, 24.03, 49.84).unwrap();
    let before = (m.track("d"), m.zones().len());
    assert_eq!(m.set_plan_phase(&plan, "9"), Err(MonitorError::UnknownPhase));
    // A handle of one plan is no phase of another.
    assert_eq!(
        m.set_plan_phase(&other, plan.phase("1").unwrap()),
        Err(MonitorError::UnknownPhase)
    );
    assert_eq!((m.track("d"), m.zones().len()), before);
    // The other plan's own handle works, and the same zones in force mean no events.
    assert!(m
        .set_plan_phase(&other, other.phase("1").unwrap())
        .unwrap()
        .is_empty());
    assert_eq!(m.track("d").unwrap().inside, vec!["UA-46"]);
}

#[test]
fn the_same_zones_again_change_nothing_even_within_the_hysteresis() {
    let h = 50.0;
    let mut m = monitor(
        vec![circle("c", 30.0, 50.0, 1_000.0), square("s", 31.0, 50.0, 0.1)],
        h,
    );
    m.update("a", 0.0, 30.0, 50.0).unwrap();
    // 30 m outside `c`: within the hysteresis, still inside.
    let (lon, lat) = geodesic_destination(30.0, 50.0, 90.0, 1_030.0);
    assert!(m.update("a", 1.0, lon, lat).unwrap().is_empty());
    // 30 m inside `c`, coming from outside: still outside.
    m.update("b", 0.0, 30.1, 50.0).unwrap();
    let (lon, lat) = geodesic_destination(30.0, 50.0, 90.0, 970.0);
    assert!(m.update("b", 1.0, lon, lat).unwrap().is_empty());
    let before: Vec<Option<TrackStatus>> = ["a", "b"].iter().map(|t| m.track(t)).collect();
    assert_eq!(before[0].as_ref().unwrap().inside, vec!["c"]);
    assert!(before[1].as_ref().unwrap().inside.is_empty());

    let same = ZoneIndex::new(vec![
        circle("c", 30.0, 50.0, 1_000.0),
        square("s", 31.0, 50.0, 0.1),
    ])
    .unwrap();
    assert!(m.set_zones(same).is_empty());
    let after: Vec<Option<TrackStatus>> = ["a", "b"].iter().map(|t| m.track(t)).collect();
    assert_eq!(after, before);

    // `c` shrinks by 10 m (both tracks stay within the hysteresis band): no change either.
    let shrunk = ZoneIndex::new(vec![circle("c", 30.0, 50.0, 990.0)]).unwrap();
    assert!(m.set_zones(shrunk).is_empty());
    assert_eq!(m.track("a").unwrap().inside, vec!["c"]);
    // `c` shrinks to 900 m: `a` is now 130 m out, no longer inside.
    let events = m.set_zones(ZoneIndex::new(vec![circle("c", 30.0, 50.0, 900.0)]).unwrap());
    let got: Vec<(&str, ZoneEventKind)> = events.iter().map(|e| (e.track_id.as_str(), e.kind)).collect();
    assert_eq!(got, vec![("a", ZoneEventKind::Deactivated)]);
    // `c` grows to 1.1 km: `b` is now 130 m inside, `a` 70 m inside: both inside.
    let events = m.set_zones(ZoneIndex::new(vec![circle("c", 30.0, 50.0, 1_100.0)]).unwrap());
    let got: Vec<(&str, ZoneEventKind)> = events.iter().map(|e| (e.track_id.as_str(), e.kind)).collect();
    assert_eq!(
        got,
        vec![("a", ZoneEventKind::Activated), ("b", ZoneEventKind::Activated)]
    );
}

#[test]
fn a_new_zone_counts_as_at_first_sight_and_events_are_ordered() {
    let h = 200.0;
    let mut m = monitor(vec![circle("old", 30.0, 50.0, 5_000.0)], h);
    // Both tracks 100 m inside the new zones' edges (less than the hysteresis).
    let (lon, lat) = geodesic_destination(30.0, 50.0, 90.0, 900.0);
    m.update("z-track", 3.0, lon, lat).unwrap();
    m.update("a-track", 7.0, lon, lat).unwrap();
    assert_eq!(m.track("a-track").unwrap().inside, vec!["old"]);
    let zones = vec![
        circle("new-2", 30.0, 50.0, 1_000.0),
        circle("new-1", 30.0, 50.0, 1_000.0),
    ];
    let events = m.set_zones(ZoneIndex::new(zones).unwrap());
    let got: Vec<(&str, &str, ZoneEventKind, f64)> = events
        .iter()
        .map(|e| (e.track_id.as_str(), e.zone_id.as_str(), e.kind, e.time_unix_s))
        .collect();
    assert_eq!(
        got,
        vec![
            ("a-track", "new-1", ZoneEventKind::Activated, 7.0),
            ("a-track", "new-2", ZoneEventKind::Activated, 7.0),
            ("a-track", "old", ZoneEventKind::Deactivated, 7.0),
            ("z-track", "new-1", ZoneEventKind::Activated, 3.0),
            ("z-track", "new-2", ZoneEventKind::Activated, 3.0),
            ("z-track", "old", ZoneEventKind::Deactivated, 3.0),
        ]
    );
    assert_eq!(m.track("z-track").unwrap().inside, vec!["new-1", "new-2"]);
    // No zones at all: every track is outside everything, and stays known.
    let events = m.set_zones(ZoneIndex::new(vec![]).unwrap());
    assert_eq!(events.len(), 4);
    assert!(events.iter().all(|e| e.kind == ZoneEventKind::Deactivated));
    assert!(m.track("a-track").unwrap().inside.is_empty());
    assert!(m.zones().is_empty());
}

#[test]
fn change_events_serialise_with_their_own_kinds() {
    for (kind, name) in [
        (ZoneEventKind::Activated, "\"activated\""),
        (ZoneEventKind::Deactivated, "\"deactivated\""),
    ] {
        assert_eq!(serde_json::to_string(&kind).unwrap(), name);
        assert_eq!(serde_json::from_str::<ZoneEventKind>(name).unwrap(), kind);
    }
}
