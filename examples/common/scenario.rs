//! The Safe Haven demo's scenario: a fixed set of tracks over and around Ukraine, shared
//! by the `safe_haven` example and the tests of its maps (included with `#[path]`).

use sanctuary::{
    plan::{Identity, TargetClass},
    Track,
};

/// One scenario track: where it is, what it is, and what else is known about it.
pub struct Scenario {
    pub label: &'static str,
    pub class: TargetClass,
    pub identity: Identity,
    lon: f64,
    lat: f64,
    alt_m: f64,
    /// Radius of the position uncertainty, metres.
    uncertainty_m: Option<f64>,
    /// Speed (m/s), heading (degrees) and time to intercept (s).
    intercept: Option<(f64, f64, f64)>,
}

impl Scenario {
    const fn new(
        label: &'static str,
        class: TargetClass,
        identity: Identity,
        lon: f64,
        lat: f64,
        alt_m: f64,
    ) -> Self {
        Scenario {
            label,
            class,
            identity,
            lon,
            lat,
            alt_m,
            uncertainty_m: None,
            intercept: None,
        }
    }

    const fn uncertain(mut self, metres: f64) -> Self {
        self.uncertainty_m = Some(metres);
        self
    }

    const fn moving(mut self, speed_mps: f64, heading_deg: f64, tti_s: f64) -> Self {
        self.intercept = Some((speed_mps, heading_deg, tti_s));
        self
    }

    pub fn track(&self) -> Track {
        let mut track = Track::new(
            self.label,
            self.lon,
            self.lat,
            self.alt_m,
            self.class,
            self.identity,
        );
        track.uncertainty_m = self.uncertainty_m;
        if let Some((speed, heading, tti)) = self.intercept {
            track = track.with_intercept(speed, heading, tti);
        }
        track
    }
}

use Identity::{Friend, Hostile};
use TargetClass::{BallisticMissile, CruiseMissile, MannedAircraft, Uas};

/// The built-in scenario. Positions are from the crate's own zone files (Natural Earth
/// boundaries); distances to borders are as measured with the library.
pub const SCENARIOS: [Scenario; 17] = [
    // Lviv city, deep inside Lviv oblast (UA-46).
    Scenario::new("lviv-uas", Uas, Hostile, 24.03, 49.84, 800.0),
    // Lutsk, Volyn (UA-07).
    Scenario::new("volyn-cm", CruiseMissile, Hostile, 25.34, 50.75, 100.0),
    // Rivne (UA-56), a sanctuary from phase 2.
    Scenario::new("rivne-uas", Uas, Hostile, 26.25, 50.62, 1000.0),
    // Vinnytsia (UA-05), a sanctuary from phase 2.
    Scenario::new("vinnytsia-cm", CruiseMissile, Hostile, 28.47, 49.23, 150.0),
    // Kyiv city (UA-30), a sanctuary from phase 3.
    Scenario::new("kyiv-bm", BallisticMissile, Hostile, 30.52, 50.45, 20_000.0),
    // Zhytomyr (UA-18): a sanctuary from phase 2, crewed aircraft ruled from phase 3.
    Scenario::new("zhytomyr-fighter", MannedAircraft, Hostile, 28.66, 50.25, 8000.0),
    // A friendly aircraft over Ternopil (UA-61): never engaged.
    Scenario::new("ternopil-friend", MannedAircraft, Friend, 25.6, 49.55, 9000.0),
    // About 1 km inside Lviv oblast from the Polish border: below the 2 km standoff.
    Scenario::new("border-1km-uas", Uas, Hostile, 23.058, 49.9, 500.0),
    // About 1.4 km over the border, in Poland (an exclusion).
    Scenario::new("poland-uas", Uas, Hostile, 23.6, 50.3, 500.0),
    // North of Chernihiv, about 2.6 km into Belarus (an exclusion).
    Scenario::new("belarus-uas", Uas, Hostile, 31.0, 52.1, 500.0),
    // Lviv oblast, about 1 km from the line with Ternopil oblast: that line is inside the
    // sanctuary area once both are active (phase 2), an edge of it in phase 1.
    Scenario::new("lviv-ternopil-uas", Uas, Hostile, 25.068, 49.8, 600.0),
    // Mid-channel in the Odesa sea corridor (about 6 km from its sides), from phase 4.
    Scenario::new("odesa-corridor-uas", Uas, Hostile, 30.55, 46.0, 300.0),
    // Inside the 30 km circle around the South Ukraine NPP, from phase 4.
    Scenario::new("sunpp-cm", CruiseMissile, Hostile, 31.25, 47.85, 80.0),
    // Dnipro city, inside its 30 km circle: critical infrastructure in the east, phase 6.
    Scenario::new("dnipro-uas", Uas, Hostile, 35.05, 48.47, 900.0),
    // Donetsk oblast, near the front: never a sanctuary.
    Scenario::new("donetsk-uas", Uas, Hostile, 37.6, 48.6, 700.0),
    // Volyn, 12.7 km from the Polish border, heading west: in 10 minutes it is in Poland.
    Scenario::new("leaving-uas", Uas, Hostile, 24.3, 50.8, 600.0).moving(50.0, 270.0, 600.0),
    // Lviv oblast, about 8.5 km from the Polish border, but known only to within 7.5 km.
    Scenario::new("uncertain-uas", Uas, Hostile, 22.78, 49.5, 500.0).uncertain(7500.0),
];

/// The scenario's tracks, in order; each track's id is its label.
pub fn tracks() -> Vec<Track> {
    SCENARIOS.iter().map(Scenario::track).collect()
}
