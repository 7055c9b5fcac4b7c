//! The fixed inputs the benches and `examples/profile.rs` share: one seeded generator
//! (SplitMix64, no `rand` dependency), the uniform points over Ukraine's box and the random
//! tracks of the decide bench. Included by
//! `#[path]`, so each bench stays one file of its own and every run uses the same inputs.
#![allow(dead_code, reason = "each includer uses part of it")]

use sanctuary::{
    plan::{Identity, TargetClass},
    Track,
};

/// SplitMix64 from a fixed seed.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// One of `items` (none when it is empty).
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        let n = items.len().max(1) as u64;
        items.get((self.next_u64() % n) as usize).copied()
    }
}

/// `n` uniform points over lon 22..40.5, lat 44..52.5 (Ukraine's box and a margin).
pub fn uniform_points(n: usize, seed: u64) -> Vec<(f64, f64)> {
    let mut rng = SplitMix(seed);
    (0..n)
        .map(|_| (rng.range(22.0, 40.5), rng.range(44.0, 52.5)))
        .collect()
}

/// A track at (`lon`, `lat`) with a random class, identity (hostile half the time),
/// altitude (0–12 km) and position uncertainty (0–1 km).
pub fn random_track(rng: &mut SplitMix, i: usize, lon: f64, lat: f64) -> Track {
    let identities = [
        Identity::Hostile,
        Identity::Hostile,
        Identity::Suspect,
        Identity::Friend,
    ];
    let class = rng.pick(&TargetClass::ALL).unwrap_or(TargetClass::Uas);
    let identity = rng.pick(&identities).unwrap_or(Identity::Hostile);
    Track::new(
        format!("t{i}"),
        lon,
        lat,
        rng.range(0.0, 12_000.0),
        class,
        identity,
    )
    .with_uncertainty(rng.range(0.0, 1_000.0))
}

/// `n` random tracks uniform over Ukraine's box (the decide bench's `uniform` set).
pub fn uniform_tracks(n: usize) -> Vec<Track> {
    let mut rng = SplitMix(0x5A17_C7A2_0000_0001);
    (0..n)
        .map(|i| {
            let (lon, lat) = (rng.range(22.0, 40.5), rng.range(44.0, 52.5));
            random_track(&mut rng, i, lon, lat)
        })
        .collect()
}
