//! Unit tests of the engine.
use super::*;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn reasons_come_out_in_their_fixed_order() {
    let mut all = Reasons::default();
    for r in Reason::ALL.iter().rev() {
        all.add(*r);
    }
    assert_eq!(all.to_vec(), Reason::ALL.to_vec());
    for r in Reason::ALL {
        let mut one = Reasons::default();
        one.add(r);
        assert_eq!(one.to_vec(), vec![r]);
    }
    assert!(Reasons::default().to_vec().is_empty());
}

#[test]
fn is_valid_agrees_with_validate() {
    let ok = Track::new("t", 30.0, 50.0, 100.0, TargetClass::Uas, Identity::Hostile);
    let bad_numbers = [
        f64::NAN,
        f64::INFINITY,
        -f64::INFINITY,
        -1e300,
        1e300,
        -0.0,
        -1.0,
        0.0,
        5e-324,
    ];
    let mut tracks = vec![ok.clone(), ok.clone().with_intercept(100.0, 90.0, 10.0)];
    for v in bad_numbers {
        tracks.push(Track { lon: v, ..ok.clone() });
        tracks.push(Track { lat: v, ..ok.clone() });
        tracks.push(Track {
            alt_m: v,
            ..ok.clone()
        });
        tracks.push(ok.clone().at_time(v));
        tracks.push(ok.clone().with_uncertainty(v));
        tracks.push(ok.clone().with_intercept(v, 0.0, 10.0));
        tracks.push(ok.clone().with_intercept(10.0, v, 10.0));
        tracks.push(ok.clone().with_intercept(10.0, 0.0, v));
    }
    for (lo, hi) in [(MIN_ALTITUDE_M, MAX_ALTITUDE_M)] {
        for v in [lo, hi, lo - 1.0, hi + 1.0] {
            tracks.push(Track {
                alt_m: v,
                ..ok.clone()
            });
        }
    }
    let mut half = ok.clone();
    half.tti_s = Some(1.0);
    tracks.push(half);
    let mut half = ok.clone().with_intercept(1.0, 1.0, 1.0);
    half.tti_s = None;
    tracks.push(half);
    for id in ["", "a\nb", "é", "\u{202e}", &"x".repeat(129), &"x".repeat(128)] {
        tracks.push(Track {
            id: id.into(),
            ..ok.clone()
        });
    }
    for t in tracks {
        // `validate` checks field by field without `is_valid`'s shortcut.
        let slow = {
            let mut u = t.clone();
            u.id = t.id.clone();
            validate_slowly(&u)
        };
        assert_eq!(t.is_valid(), slow.is_ok(), "{t:?}: {slow:?}");
        assert_eq!(t.validate().is_ok(), slow.is_ok(), "{t:?}");
    }
}

/// `Track::validate` without the `is_valid` shortcut.
fn validate_slowly(t: &Track) -> Result<(), ()> {
    let ok = |v: f64, lo: f64, hi: f64| v.is_finite() && lo <= v && v <= hi;
    let fine = crate::geometry::id::check_id(&t.id).is_ok()
        && ok(t.lon, -180.0, 180.0)
        && ok(t.lat, -90.0, 90.0)
        && ok(t.alt_m, MIN_ALTITUDE_M, MAX_ALTITUDE_M)
        && t.time_unix_s
            .is_none_or(|v| ok(v, MIN_TIME_UNIX_S, MAX_TIME_UNIX_S))
        && t.uncertainty_m.is_none_or(|v| ok(v, 0.0, MAX_UNCERTAINTY_M))
        && t.tti_s.is_none_or(|v| ok(v, 0.0, MAX_TTI_S))
        && t.velocity
            .is_none_or(|v| ok(v.speed_mps, 0.0, MAX_SPEED_MPS) && ok(v.heading_deg, -360.0, 360.0))
        && t.velocity.is_some() == t.tti_s.is_some();
    if fine {
        Ok(())
    } else {
        Err(())
    }
}

#[test]
fn engines_plans_and_indexes_are_send_and_sync() {
    assert_send_sync::<Engine>();
    assert_send_sync::<Plan>();
    assert_send_sync::<crate::index::ZoneIndex>();
    assert_send_sync::<Decision>();
}
