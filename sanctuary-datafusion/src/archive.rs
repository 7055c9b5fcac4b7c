//! A realistic archive generator: tracks that fly over the region of a plan, sampled at
//! 1 Hz, written as Parquet (or CSV), from a fixed seed.
//!
//! Each track flies one great-circle leg at a speed and altitude profile of its kind:
//! missiles and drones from the east (31–38.5°E) towards the west (22.5–31°E), airliners
//! across the wider region (14–40°E, 44–55°N), fighters over the west. 256 tracks are in
//! the air at once and the rows go round them in turn, as in a recorded air picture:
//!
//! | kind | class / identity | speed | altitude |
//! |---|---|---|---|
//! | cruise missile | `cruise_missile` / hostile | 220–260 m/s | 30–150 m, terrain-following |
//! | ballistic missile | `ballistic_missile` / hostile | 1.5–2.5 km/s | a parabolic arc, apex 60–120 km |
//! | drone | `uas` / hostile, suspect or unknown | 40–55 m/s | 100–2,500 m |
//! | airliner | `manned_aircraft` / neutral or friend | 220–250 m/s | climb, cruise at 10–12 km, descent |
//! | fighter | `manned_aircraft` / friend, hostile or unknown | 250–500 m/s | 1–12 km, varying |
//!
//! Times start across the plan's phases (from a day before the first phase's start to
//! sixty days after the last); each row carries a position uncertainty, and every other
//! row the velocity and a time to intercept. The same seed and row count give the same
//! archive, byte for byte.
//!
//! Columns: `id, time, lon, lat, alt_m, class, identity, uncertainty_m, speed_mps,
//! heading_deg, tti_s` (in Parquet `time` is a UTC timestamp in milliseconds; in CSV, RFC
//! 3339 text).

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, Float64Builder, RecordBatch, StringBuilder, TimestampMillisecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::{Compression, ZstdLevel};
use datafusion::parquet::file::properties::WriterProperties;
use sanctuary::Plan;

use crate::replay::{Format, ReplayError};

/// The archive's schema (Parquet).
pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new(
            "time",
            DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
            false,
        ),
        Field::new("lon", DataType::Float64, false),
        Field::new("lat", DataType::Float64, false),
        Field::new("alt_m", DataType::Float64, false),
        Field::new("class", DataType::Utf8, false),
        Field::new("identity", DataType::Utf8, false),
        Field::new("uncertainty_m", DataType::Float64, true),
        Field::new("speed_mps", DataType::Float64, true),
        Field::new("heading_deg", DataType::Float64, true),
        Field::new("tti_s", DataType::Float64, true),
    ]))
}

/// SplitMix64: small, fast, and the same everywhere.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = (self.next() % items.len().max(1) as u64) as usize;
        items.get(i).copied().unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Cruise,
    Ballistic,
    Drone,
    Airliner,
    Fighter,
}

/// One leg being flown.
struct Leg {
    id: String,
    kind: Kind,
    class: &'static str,
    identity: &'static str,
    from: [f64; 3],
    to: [f64; 3],
    /// Angle between the ends, radians.
    angle: f64,
    speed: f64,
    /// Samples (seconds) in the leg.
    duration: u64,
    start_ms: i64,
    cruise_alt: f64,
    uncertainty: f64,
}

const EARTH_RADIUS_M: f64 = 6_371_008.8;

fn unit_vector(lon: f64, lat: f64) -> [f64; 3] {
    let (lon, lat) = (lon.to_radians(), lat.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

fn lon_lat(v: [f64; 3]) -> (f64, f64) {
    let [x, y, z] = v;
    (y.atan2(x).to_degrees(), z.atan2(x.hypot(y)).to_degrees())
}

impl Leg {
    /// Position at fraction `f` of the leg (spherical interpolation on the great circle).
    fn at(&self, f: f64) -> (f64, f64) {
        let s = self.angle.sin();
        if s.abs() < 1e-12 {
            return lon_lat(self.from);
        }
        let a = ((1.0 - f) * self.angle).sin() / s;
        let b = (f * self.angle).sin() / s;
        lon_lat([
            a * self.from[0] + b * self.to[0],
            a * self.from[1] + b * self.to[1],
            a * self.from[2] + b * self.to[2],
        ])
    }

    fn altitude(&self, f: f64, t: f64, wobble: f64) -> f64 {
        match self.kind {
            Kind::Cruise => self.cruise_alt + 20.0 * (t / 37.0).sin() + wobble,
            Kind::Ballistic => 4.0 * self.cruise_alt * f * (1.0 - f),
            Kind::Drone => self.cruise_alt + 50.0 * (t / 90.0).sin(),
            Kind::Airliner => {
                let ramp = (f / 0.15).min((1.0 - f) / 0.15).clamp(0.0, 1.0);
                300.0 + (self.cruise_alt - 300.0) * ramp
            }
            Kind::Fighter => (self.cruise_alt + 2_000.0 * (t / 120.0).sin()).max(500.0),
        }
    }
}

/// Tracks in the air at once: rows go round them in turn, as in a recorded air picture.
const IN_FLIGHT: usize = 256;

/// The generator's state: the legs in flight, each with its next sample.
pub struct Generator {
    rng: Rng,
    time_range: (i64, i64),
    next_track: u64,
    legs: Vec<(Leg, u64)>,
    turn: usize,
}

impl Generator {
    /// A generator over `plan`'s region (the bounding box of its zones, clipped to 22–41°E,
    /// 44–53°N) and the plan's phase times, from `seed`.
    pub fn new(plan: &Plan, seed: u64) -> Self {
        let starts: Vec<i64> = plan.phases().iter().filter_map(|p| p.start_unix_s).collect();
        let first = starts.iter().copied().min().unwrap_or(1_767_225_600);
        let last = starts.iter().copied().max().unwrap_or(first);
        Generator {
            rng: Rng(seed),
            time_range: (first - 86_400, last + 60 * 86_400),
            next_track: 0,
            legs: Vec::with_capacity(IN_FLIGHT),
            turn: 0,
        }
    }

    fn new_leg(&mut self) -> Leg {
        let r = &mut self.rng;
        let kind = match r.next() % 100 {
            0..=24 => Kind::Cruise,
            25..=31 => Kind::Ballistic,
            32..=71 => Kind::Drone,
            72..=87 => Kind::Airliner,
            _ => Kind::Fighter,
        };
        // Threats fly from the east and the Black Sea towards the west; aircraft anywhere.
        let (from, to) = match kind {
            Kind::Cruise | Kind::Ballistic | Kind::Drone => (
                unit_vector(r.range(31.0, 38.5), r.range(45.5, 51.5)),
                unit_vector(r.range(22.5, 31.0), r.range(46.5, 51.5)),
            ),
            Kind::Airliner => (
                unit_vector(r.range(14.0, 40.0), r.range(44.0, 55.0)),
                unit_vector(r.range(14.0, 40.0), r.range(44.0, 55.0)),
            ),
            Kind::Fighter => (
                unit_vector(r.range(22.0, 33.0), r.range(45.0, 52.0)),
                unit_vector(r.range(22.0, 33.0), r.range(45.0, 52.0)),
            ),
        };
        let dot = (from[0] * to[0] + from[1] * to[1] + from[2] * to[2]).clamp(-1.0, 1.0);
        let angle = dot.acos();
        let (class, identity, speed, cruise_alt) = match kind {
            Kind::Cruise => (
                "cruise_missile",
                "hostile",
                r.range(220.0, 260.0),
                r.range(30.0, 150.0),
            ),
            Kind::Ballistic => (
                "ballistic_missile",
                "hostile",
                r.range(1_500.0, 2_500.0),
                r.range(60_000.0, 120_000.0),
            ),
            Kind::Drone => (
                "uas",
                r.pick(&["hostile", "hostile", "suspect", "unknown"]),
                r.range(40.0, 55.0),
                r.range(100.0, 2_500.0),
            ),
            Kind::Airliner => (
                "manned_aircraft",
                r.pick(&["neutral", "friend"]),
                r.range(220.0, 250.0),
                r.range(10_000.0, 12_000.0),
            ),
            Kind::Fighter => (
                "manned_aircraft",
                r.pick(&["friend", "hostile", "unknown"]),
                r.range(250.0, 500.0),
                r.range(1_000.0, 12_000.0),
            ),
        };
        let distance = angle * EARTH_RADIUS_M;
        let duration = ((distance / speed).ceil() as u64).max(1);
        let (t0, t1) = self.time_range;
        let start_ms = (r.range(t0 as f64, t1 as f64) as i64) * 1_000 + (r.next() % 1_000) as i64;
        let uncertainty = match kind {
            Kind::Ballistic => r.range(500.0, 7_500.0),
            Kind::Cruise | Kind::Drone => r.range(50.0, 2_000.0),
            Kind::Airliner | Kind::Fighter => r.range(20.0, 300.0),
        };
        self.next_track += 1;
        Leg {
            id: format!("T{:07}", self.next_track),
            kind,
            class,
            identity,
            from,
            to,
            angle,
            speed,
            duration,
            start_ms,
            cruise_alt,
            uncertainty,
        }
    }

    /// The next batch of at most `rows` rows.
    pub fn batch(&mut self, rows: usize) -> Result<RecordBatch, ReplayError> {
        let mut id = StringBuilder::with_capacity(rows, rows * 8);
        let mut time = TimestampMillisecondBuilder::with_capacity(rows).with_timezone("UTC");
        let mut lon = Float64Builder::with_capacity(rows);
        let mut lat = Float64Builder::with_capacity(rows);
        let mut alt = Float64Builder::with_capacity(rows);
        let mut class = StringBuilder::with_capacity(rows, rows * 12);
        let mut identity = StringBuilder::with_capacity(rows, rows * 8);
        let mut unc = Float64Builder::with_capacity(rows);
        let mut speed = Float64Builder::with_capacity(rows);
        let mut heading = Float64Builder::with_capacity(rows);
        let mut tti = Float64Builder::with_capacity(rows);
        for _ in 0..rows {
            if self.legs.len() < IN_FLIGHT {
                let leg = self.new_leg();
                self.legs.push((leg, 0));
            }
            self.turn = (self.turn + 1) % self.legs.len();
            let slot = self.turn;
            if self.legs.get(slot).is_some_and(|(leg, t)| *t >= leg.duration) {
                let leg = self.new_leg();
                if let Some(s) = self.legs.get_mut(slot) {
                    *s = (leg, 0);
                }
            }
            let Some((leg, t)) = self.legs.get(slot) else {
                continue;
            };
            let t = *t;
            let f = t as f64 / leg.duration as f64;
            let (x, y) = leg.at(f);
            let (x2, y2) = leg.at(((t + 1) as f64 / leg.duration as f64).min(1.0));
            let a = self.rng.unit();
            let wobble = self.rng.range(-5.0, 5.0);
            let tti_s = self.rng.range(5.0, 120.0).round();
            id.append_value(&leg.id);
            time.append_value(leg.start_ms + 1_000 * t as i64);
            lon.append_value(x);
            lat.append_value(y);
            alt.append_value(leg.altitude(f, t as f64, wobble));
            class.append_value(leg.class);
            identity.append_value(leg.identity);
            unc.append_value(leg.uncertainty);
            if a < 0.5 {
                let dy = (y2 - y).to_radians();
                let dx = (x2 - x).to_radians() * y.to_radians().cos();
                speed.append_value(leg.speed);
                heading.append_value(dx.atan2(dy).to_degrees().rem_euclid(360.0));
                tti.append_value(tti_s);
            } else {
                speed.append_null();
                heading.append_null();
                tti.append_null();
            }
            if let Some(s) = self.legs.get_mut(slot) {
                s.1 = t + 1;
            }
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(id.finish()),
            Arc::new(time.finish()),
            Arc::new(lon.finish()),
            Arc::new(lat.finish()),
            Arc::new(alt.finish()),
            Arc::new(class.finish()),
            Arc::new(identity.finish()),
            Arc::new(unc.finish()),
            Arc::new(speed.finish()),
            Arc::new(heading.finish()),
            Arc::new(tti.finish()),
        ];
        RecordBatch::try_new(schema(), columns).map_err(|e| ReplayError::Query(e.into()))
    }
}

/// Writes an archive of `rows` rows from `seed` over `plan` to `out` (Parquet or CSV, by
/// extension), in batches of 65,536 rows. The archive is written under a hidden name
/// beside `out` and renamed to it once complete, so that a failed run (a full disk, say)
/// leaves no truncated archive behind; an `out` that is a symbolic link is written
/// through it (the file it names is replaced, the link kept).
///
/// # Errors
/// [`ReplayError::UnknownFormat`] or [`ReplayError::Write`].
pub fn write_archive(plan: &Plan, seed: u64, rows: u64, out: &Path) -> Result<(), ReplayError> {
    const BATCH: u64 = 65_536;
    let format = Format::of(out)?;
    let write_err = |e: std::io::Error| ReplayError::Write {
        path: out.to_path_buf(),
        source: e,
    };
    crate::replay::check_output(out)?;
    // Written through a symbolic link, as the replay's output is.
    let target = crate::files::link_target(out).map_err(write_err)?;
    let partial = crate::files::Scratch::beside(crate::files::directory_of(&target), &target, "partial");
    let file = BufWriter::new(File::create(partial.path()).map_err(write_err)?);
    let mut generator = Generator::new(plan, seed);
    let mut left = rows;
    match format {
        Format::Parquet => {
            let props = WriterProperties::builder()
                .set_compression(Compression::ZSTD(ZstdLevel::default()))
                .set_max_row_group_row_count(Some(1 << 20))
                .build();
            let mut w = ArrowWriter::try_new(file, schema(), Some(props))
                .map_err(|e| write_err(std::io::Error::other(e)))?;
            while left > 0 {
                let n = left.min(BATCH);
                w.write(&generator.batch(n as usize)?)
                    .map_err(|e| write_err(std::io::Error::other(e)))?;
                left -= n;
            }
            w.close().map_err(|e| write_err(std::io::Error::other(e)))?;
        }
        Format::Csv => {
            let mut w = datafusion::arrow::csv::WriterBuilder::new()
                .with_header(true)
                .with_timestamp_tz_format("%Y-%m-%dT%H:%M:%S%.3fZ".to_string())
                .build(file);
            while left > 0 {
                let n = left.min(BATCH);
                w.write(&generator.batch(n as usize)?)
                    .map_err(|e| write_err(std::io::Error::other(e)))?;
                left -= n;
            }
            // Flushed here, so that an error in the last bytes is reported.
            w.into_inner()
                .into_inner()
                .map_err(|e| write_err(e.into_error()))?;
        }
    }
    partial.keep_as(&target).map_err(write_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_archive_appears_whole_and_leaves_nothing_beside_it() {
        let dir = std::env::temp_dir().join(format!("sanctuary-df-archive-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let plan = Plan::safe_haven().unwrap();
        for name in ["a.csv", "a.parquet"] {
            let out = dir.join(name);
            std::fs::write(&out, b"an earlier file").unwrap();
            write_archive(&plan, 3, 1_000, &out).unwrap();
            let first = std::fs::read(&out).unwrap();
            assert_ne!(first, b"an earlier file", "{name} is replaced");
            write_archive(&plan, 3, 1_000, &out).unwrap();
            assert_eq!(
                std::fs::read(&out).unwrap(),
                first,
                "{name}: the same seed, the same bytes"
            );
        }
        let csv = std::fs::read_to_string(dir.join("a.csv")).unwrap();
        assert_eq!(csv.lines().count(), 1_001, "a header and every row");
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names.len(), 2, "nothing but the archives: {names:?}");
        // A directory that does not exist, or an output that is a directory: a typed
        // error, nothing written.
        let r = write_archive(&plan, 3, 10, &dir.join("missing").join("a.csv"));
        assert!(matches!(r, Err(ReplayError::Write { .. })), "{r:?}");
        let folder = dir.join("folder.csv");
        std::fs::create_dir_all(&folder).unwrap();
        let r = write_archive(&plan, 3, 10, &folder);
        assert!(matches!(r, Err(ReplayError::Write { .. })), "{r:?}");
        assert!(folder.is_dir());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
