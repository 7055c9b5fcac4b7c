//! `safe_haven`: the project's main job. A fixed set of scenario tracks decided in every
//! phase of the embedded, illustrative Safe Haven plan, as tables and SVG maps.
//!
//! ```text
//! cargo run --release --example safe_haven [-- --out <DIR>]
//! ```
//!
//! The command-line contract (the tables' columns, the maps, exit statuses) is the
//! `--help` text, [`AFTER_HELP`] below: `cargo run --example safe_haven -- --help`.
//!
//! The SVG is written by hand: an equirectangular projection of lon 21°–41°E, lat
//! 43.5°–53°N, with longitudes scaled by cos 48° so shapes look right in the middle of
//! the map.

// Shared with the other examples; this one keeps its own failure kinds and uses only
// the one-line messages.
#[allow(dead_code)]
#[path = "common/cli.rs"]
mod cli;
use clap::Parser;
use cli::{one_line, parse_command_line};
use sanctuary::{
    geojson::zones_from_geojson_str,
    geometry::{geodesic_destination, ZoneGeometry, ZoneKind},
    plan::{Identity, TargetClass},
    Decision, Engine, Plan, Track, Verdict, Zone,
};
use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where the maps go without `--out`.
const DEFAULT_OUT: &str = "target/safe-haven";

/// What `safe_haven --help` says after the options: the output, the exit statuses.
const AFTER_HELP: &str = "\
OUTPUT
  On standard output: the plan's name and content hash; then, for each phase, a heading
  `== Phase <id>: <name>`, a table with one row per scenario track, and a summary line
  `phase <id>: <P> permit, <D> deny (of <N> tracks)`; at the end, where the maps were
  written. The table's columns:
    label      the scenario track's name
    class      target class: cruise_missile, ballistic_missile, uas, manned_aircraft,
               unknown
    identity   identification: hostile, suspect, unknown, neutral, friend
    verdict    PERMIT or DENY
    zone       the id of the deciding zone; - when none
    reasons    the reason codes of a deny, joined with `;` (the codes of `decide --help`);
               - for a permit
    margin_km  distance from the track to the edge of the sanctuary area, minus its
               position uncertainty, kilometres, one decimal; >= before it when it is a
               lower bound (deeper inside than the 10 km measuring horizon); - when none

  In DIR (created if needed; existing files of the same names are replaced): one SVG map
  per phase, phase-0.svg to phase-6.svg: Ukraine's outline, the plan's sanctuaries
  (active green, inactive grey), the neighbouring states (exclusions, hatched red) and
  the tracks (green: permitted, red: denied), with the uncertainty disc and the predicted
  intercept point of the tracks that have them.

EXIT STATUS
  0  every map was written and every table printed; also when the reader of standard
     output goes away early (a broken pipe): the run then stops quietly, and the maps of
     the later phases are not written
  1  the plan or the outline did not load, or the output directory or a map could not
     be written: one line on standard error, `safe_haven: ...`
  2  bad command line (an unknown or repeated flag, a missing value): the error and the
     usage on standard error";

/// The command line.
#[derive(Parser)]
#[command(
    name = "safe_haven",
    about = "The Safe Haven demo: scenario tracks decided in every phase of the embedded plan",
    long_about = "\
The Safe Haven demo: a fixed set of 17 scenario tracks (drones, missiles and aircraft over
and around Ukraine) decided in every phase of the embedded, illustrative Safe Haven plan,
printed as one table per phase and drawn as one SVG map per phase. It reads no input.",
    override_usage = "safe_haven [--out <DIR>]",
    after_long_help = AFTER_HELP,
    after_help = "The tables' columns, the maps and exit statuses: see --help."
)]
struct Cli {
    /// The directory the maps are written to (a relative one is taken from the current
    /// directory)
    #[arg(long, value_name = "DIR", default_value = DEFAULT_OUT)]
    out: PathBuf,
}

/// Ukraine's national outline, drawn as a thin line on every map.
const UKRAINE_OUTLINE: &str = include_str!("../data/ukraine-outline.geojson");

// ---------------------------------------------------------------------------------------
// The scenario.

/// One scenario track: where it is, what it is, and what else is known about it.
struct Scenario {
    label: &'static str,
    class: TargetClass,
    identity: Identity,
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

    fn track(&self) -> Track {
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

    /// The predicted intercept point, when the track has a velocity and a time to intercept.
    fn predicted(&self) -> Option<(f64, f64)> {
        self.intercept
            .map(|(speed, heading, tti)| geodesic_destination(self.lon, self.lat, heading, speed * tti))
    }
}

use Identity::{Friend, Hostile};
use TargetClass::{BallisticMissile, CruiseMissile, MannedAircraft, Uas};

/// The built-in scenario. Positions are from the crate's own zone files (Natural Earth
/// boundaries); distances to borders are as measured with the library.
const SCENARIOS: [Scenario; 17] = [
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

// ---------------------------------------------------------------------------------------
// The run.

/// Why a run stopped.
enum Failure {
    /// A load or write error: one line on stderr, exit 1.
    Fatal(String),
    /// Stdout was closed by its reader: exit 0 quietly.
    BrokenPipe,
}

fn main() -> ExitCode {
    let cli = match parse_command_line::<Cli>() {
        Ok(cli) => cli,
        Err(status) => return status,
    };
    match run(&cli.out) {
        Ok(()) | Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Fatal(msg)) => {
            // eprintln! panics when stderr is a broken pipe; a failed report is ignored.
            let _ = writeln!(io::stderr(), "safe_haven: {}", one_line(&msg));
            ExitCode::FAILURE
        }
    }
}

fn run(out_dir: &Path) -> Result<(), Failure> {
    let plan = Plan::safe_haven().map_err(|e| Failure::Fatal(format!("embedded plan: {e}")))?;
    let outline = zones_from_geojson_str(UKRAINE_OUTLINE)
        .map_err(|e| Failure::Fatal(format!("data/ukraine-outline.geojson: {e}")))?;
    let engine = Engine::new(plan);
    let tracks: Vec<Track> = SCENARIOS.iter().map(Scenario::track).collect();

    std::fs::create_dir_all(out_dir)
        .map_err(|e| Failure::Fatal(format!("{}: cannot create the directory: {e}", out_dir.display())))?;

    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let plan = engine.plan();
    writeln!(out, "{} — plan hash {}", plan.name(), plan.hash()).map_err(write_failure)?;
    let mut written = Vec::new();
    for (handle, phase) in plan.phase_handles().zip(plan.phases()) {
        let phase_index = handle.index();
        let decisions: Vec<Decision> = tracks.iter().map(|t| engine.decide(t, handle, None)).collect();
        let permits = decisions.iter().filter(|d| d.is_permit()).count();
        let denies = decisions.len() - permits;

        let svg = render_svg(plan, handle, &outline, &decisions, permits, denies);
        let path = out_dir.join(format!("phase-{phase_index}.svg"));
        std::fs::write(&path, svg)
            .map_err(|e| Failure::Fatal(format!("{}: cannot write: {e}", path.display())))?;
        written.push(path);

        writeln!(out, "\n== Phase {}: {}\n", phase.id, phase.name).map_err(write_failure)?;
        out.write_all(table(&decisions).as_bytes())
            .map_err(write_failure)?;
        writeln!(
            out,
            "phase {}: {permits} permit, {denies} deny (of {} tracks)",
            phase.id,
            decisions.len()
        )
        .map_err(write_failure)?;
    }
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    writeln!(
        out,
        "\nWrote {} SVG maps to {}: {}",
        written.len(),
        out_dir.display(),
        names.join(", ")
    )
    .map_err(write_failure)?;
    out.flush().map_err(write_failure)
}

/// The decisions of one phase as an aligned text table.
fn table(decisions: &[Decision]) -> String {
    let header = [
        "label",
        "class",
        "identity",
        "verdict",
        "zone",
        "reasons",
        "margin_km",
    ];
    let rows: Vec<[String; 7]> = SCENARIOS
        .iter()
        .zip(decisions)
        .map(|(s, d)| {
            [
                s.label.to_string(),
                s.class.as_str().to_string(),
                s.identity.as_str().to_string(),
                match d.verdict {
                    Verdict::Permit => "PERMIT".to_string(),
                    Verdict::Deny => "DENY".to_string(),
                },
                d.zone.as_deref().unwrap_or("-").to_string(),
                if d.reasons.is_empty() {
                    "-".into()
                } else {
                    d.reason_codes()
                },
                d.margin_m.map_or_else(
                    || "-".into(),
                    |m| {
                        // At the horizon the engine stops measuring: the margin is a lower bound.
                        if d.margin_is_lower_bound {
                            format!(">={}", km(m))
                        } else {
                            km(m)
                        }
                    },
                ),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    let mut line = |cells: &[String]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            // The margin, the last column, is a number: right-aligned.
            if i + 1 == cells.len() {
                let _ = write!(l, "{cell:>w$}");
            } else {
                let _ = write!(l, "{cell:<w$}  ");
            }
        }
        text.push_str(l.trim_end());
        text.push('\n');
    };
    line(&header.map(String::from));
    line(&widths.map(|w| "-".repeat(w)));
    for row in &rows {
        line(row);
    }
    text
}

/// Metres as kilometres with one decimal; never `-0.0`.
fn km(m: f64) -> String {
    let s = format!("{:.1}", m / 1000.0);
    if s == "-0.0" {
        "0.0".into()
    } else {
        s
    }
}

fn write_failure(e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::BrokenPipe
    } else {
        Failure::Fatal(format!("cannot write to stdout: {e}"))
    }
}

// ---------------------------------------------------------------------------------------
// The map.

/// The map's extent, degrees.
const LON_MIN: f64 = 21.0;
const LON_MAX: f64 = 41.0;
const LAT_MIN: f64 = 43.5;
const LAT_MAX: f64 = 53.0;
/// Pixels per degree of latitude.
const SCALE: f64 = 80.0;
/// Space around the map, above it (title) and below it (legend), pixels.
const PAD: f64 = 12.0;
const TITLE_H: f64 = 58.0;
const LEGEND_H: f64 = 64.0;
/// Points of a circle's outline.
const CIRCLE_POINTS: u32 = 72;

/// The equirectangular projection: lon/lat to SVG pixels.
#[derive(Clone, Copy)]
struct Projection {
    /// cos 48°: pixels per degree of longitude over pixels per degree of latitude.
    kx: f64,
}

impl Projection {
    fn new() -> Self {
        Projection {
            kx: 48f64.to_radians().cos(),
        }
    }

    fn map_width(self) -> f64 {
        (LON_MAX - LON_MIN) * self.kx * SCALE
    }

    fn map_height(self) -> f64 {
        (LAT_MAX - LAT_MIN) * SCALE
    }

    fn xy(self, lon: f64, lat: f64) -> (f64, f64) {
        (
            PAD + (lon - LON_MIN) * self.kx * SCALE,
            TITLE_H + (LAT_MAX - lat) * SCALE,
        )
    }

    /// On which sides of the map (with a margin) a pixel lies: bits left, right, top,
    /// bottom. Zero inside.
    fn outcode(self, (x, y): (f64, f64)) -> u8 {
        const MARGIN: f64 = 20.0;
        let mut code = 0;
        if x < PAD - MARGIN {
            code |= 1;
        }
        if x > PAD + self.map_width() + MARGIN {
            code |= 2;
        }
        if y < TITLE_H - MARGIN {
            code |= 4;
        }
        if y > TITLE_H + self.map_height() + MARGIN {
            code |= 8;
        }
        code
    }
}

/// The rings of a zone's outline as lon/lat points; a circle sampled geodesically.
fn zone_rings(zone: &Zone) -> Vec<Vec<[f64; 2]>> {
    match zone.to_spec().geometry {
        ZoneGeometry::Polygon { rings } => rings,
        ZoneGeometry::MultiPolygon { polygons } => polygons.into_iter().flatten().collect(),
        ZoneGeometry::Circle { center, radius_m } => vec![circle_ring(center, radius_m)],
    }
}

fn circle_ring([lon, lat]: [f64; 2], radius_m: f64) -> Vec<[f64; 2]> {
    (0..=CIRCLE_POINTS)
        .map(|k| {
            let azimuth = 360.0 * f64::from(k % CIRCLE_POINTS) / f64::from(CIRCLE_POINTS);
            let (x, y) = geodesic_destination(lon, lat, azimuth, radius_m);
            [x, y]
        })
        .collect()
}

/// SVG path data for closed rings, at 0.1 px. Points that add nothing inside the map are
/// left out: repeats of the previous pixel, and runs of points all beyond the same side of
/// the map (the chord that replaces such a run stays beyond that side, so what is drawn
/// inside the map is unchanged).
fn path_data(proj: Projection, rings: &[Vec<[f64; 2]>]) -> String {
    let mut d = String::new();
    for ring in rings {
        let px: Vec<(f64, f64)> = ring
            .iter()
            .map(|&[lon, lat]| {
                let (x, y) = proj.xy(lon, lat);
                ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0)
            })
            .collect();
        let codes: Vec<u8> = px.iter().map(|&p| proj.outcode(p)).collect();
        if codes.iter().fold(0xff, |acc, &c| acc & c) != 0 {
            // The whole ring is beyond one side of the map.
            continue;
        }
        let mut kept: Vec<(f64, f64)> = Vec::with_capacity(px.len());
        let mut run_mask = 0u8;
        let mut points = px.iter().zip(&codes).peekable();
        while let Some((&p, &code)) = points.next() {
            let next_code = points.peek().map(|(_, &c)| c);
            if kept.last() == Some(&p) {
                continue;
            }
            let mask = run_mask & code & next_code.unwrap_or(0);
            if !kept.is_empty() && mask != 0 {
                // Dropped: it, the last kept point and the next point share a side.
                run_mask = mask;
                continue;
            }
            kept.push(p);
            run_mask = code;
        }
        if kept.len() < 3 {
            continue;
        }
        for (i, (x, y)) in kept.iter().enumerate() {
            let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
        }
        d.push('Z');
    }
    d
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const PERMIT_COLOUR: &str = "#1b8a2f";
const DENY_COLOUR: &str = "#c62828";

/// The map of one phase.
fn render_svg(
    plan: &Plan,
    phase: sanctuary::plan::PhaseHandle,
    outline: &[Zone],
    decisions: &[Decision],
    permits: usize,
    denies: usize,
) -> String {
    let proj = Projection::new();
    let (map_w, map_h) = (proj.map_width(), proj.map_height());
    let width = map_w + 2.0 * PAD;
    let height = TITLE_H + map_h + LEGEND_H;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="DejaVu Sans, Arial, sans-serif">"##
    );
    let _ = writeln!(
        s,
        r##"<defs>
<clipPath id="map"><rect x="{PAD}" y="{TITLE_H}" width="{map_w:.1}" height="{map_h:.1}"/></clipPath>
<pattern id="hatch" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="7" height="7" fill="#fbe3e3"/><line x1="0" y1="0" x2="0" y2="7" stroke="#e57373" stroke-width="1.6"/></pattern>
<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10Z" fill="#444"/></marker>
</defs>
<rect width="100%" height="100%" fill="#ffffff"/>
<rect x="{PAD}" y="{TITLE_H}" width="{map_w:.1}" height="{map_h:.1}" fill="#dcebf5"/>"##
    );

    // Title.
    let phase_info = plan.phases().get(phase.index());
    let title = phase_info.map_or_else(String::new, |p| format!("Phase {}: {}", p.id, p.name));
    let _ = writeln!(
        s,
        r##"<text x="{PAD}" y="26" font-size="20" font-weight="bold">{}</text>"##,
        xml_escape(&title)
    );
    let _ = writeln!(
        s,
        r##"<text x="{PAD}" y="46" font-size="12" fill="#444">{} · {permits} permit, {denies} deny · plan {}…</text>"##,
        xml_escape(plan.name()),
        plan.hash().to_string().get(..12).unwrap_or_default()
    );

    // Zones: exclusions, inactive then active sanctuaries, then Ukraine's outline on top.
    let _ = writeln!(s, r##"<g clip-path="url(#map)" stroke-linejoin="round">"##);
    let zones: Vec<(&Zone, bool)> = plan
        .index()
        .zones()
        .iter()
        .zip(plan.zone_plans())
        .map(|(z, zp)| (z, zp.active_in(phase)))
        .collect();
    // Ukraine's land under the zones, so that what is no sanctuary is not mistaken for sea.
    for zone in outline {
        let d = path_data(proj, &zone_rings(zone));
        let _ = writeln!(
            s,
            r##"<path d="{d}" fill-rule="evenodd" fill="#fbfaf4" stroke="none"/>"##
        );
    }
    let layers: [(ZoneKind, bool, &str); 4] = [
        (
            ZoneKind::Exclusion,
            false,
            r##"fill="#f6eded" stroke="#d8b4b4" stroke-width="0.6""##,
        ),
        (
            ZoneKind::Exclusion,
            true,
            r##"fill="url(#hatch)" stroke="#c62828" stroke-width="0.8""##,
        ),
        (
            ZoneKind::Sanctuary,
            false,
            r##"fill="#dedede" stroke="#a0a0a0" stroke-width="0.6""##,
        ),
        (
            ZoneKind::Sanctuary,
            true,
            r##"fill="#9fd89f" stroke="#2e7d32" stroke-width="0.9""##,
        ),
    ];
    for (kind, active, style) in layers {
        for (zone, _) in zones.iter().filter(|(z, a)| z.kind() == kind && *a == active) {
            let d = path_data(proj, &zone_rings(zone));
            if !d.is_empty() {
                let _ = writeln!(
                    s,
                    r##"<path d="{d}" fill-rule="evenodd" {style}><title>{}</title></path>"##,
                    xml_escape(zone.name().unwrap_or(zone.id()))
                );
            }
        }
    }
    for zone in outline {
        let d = path_data(proj, &zone_rings(zone));
        let _ = writeln!(
            s,
            r##"<path d="{d}" fill="none" stroke="#222" stroke-width="1.1"/>"##
        );
    }
    let _ = writeln!(s, "</g>");

    // Tracks: uncertainty discs and predicted points first, then dots, then labels.
    let _ = writeln!(s, r##"<g clip-path="url(#map)">"##);
    for (scenario, decision) in SCENARIOS.iter().zip(decisions) {
        let colour = verdict_colour(decision);
        if let Some(r) = scenario.uncertainty_m {
            let d = path_data(proj, &[circle_ring([scenario.lon, scenario.lat], r)]);
            let _ = writeln!(
                s,
                r##"<path d="{d}" fill="{colour}" fill-opacity="0.15" stroke="{colour}" stroke-width="1" stroke-dasharray="3 2"/>"##
            );
        }
        if let Some((qlon, qlat)) = scenario.predicted() {
            let (x1, y1) = proj.xy(scenario.lon, scenario.lat);
            let (x2, y2) = proj.xy(qlon, qlat);
            let _ = writeln!(
                s,
                r##"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#444" stroke-width="1.3" stroke-dasharray="4 2" marker-end="url(#arrow)"/>"##
            );
        }
    }
    let dots: Vec<(f64, f64)> = SCENARIOS.iter().map(|t| proj.xy(t.lon, t.lat)).collect();
    for ((x, y), decision) in dots.iter().zip(decisions) {
        let _ = writeln!(
            s,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="4.5" fill="{}" stroke="#fff" stroke-width="1.2"/>"##,
            verdict_colour(decision)
        );
    }
    // Labels keep clear of the dots and of the lines to predicted points.
    let mut placed: Vec<Rect> = dots.iter().map(|&(x, y)| Rect::around(x, y, 5.0)).collect();
    placed.extend(SCENARIOS.iter().filter_map(|t| {
        let (x1, y1) = proj.xy(t.lon, t.lat);
        let (x2, y2) = t.predicted().map(|(lon, lat)| proj.xy(lon, lat))?;
        Some(Rect {
            x0: x1.min(x2) - 3.0,
            y0: y1.min(y2) - 3.0,
            x1: x1.max(x2) + 3.0,
            y1: y1.max(y2) + 3.0,
        })
    }));
    for (scenario, &(x, y)) in SCENARIOS.iter().zip(&dots) {
        let (lx, ly, anchor, rect) = place_label(proj, scenario.label, x, y, &placed);
        placed.push(rect);
        let _ = writeln!(
            s,
            r##"<text x="{lx:.1}" y="{ly:.1}" font-size="11" text-anchor="{anchor}" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke" fill="#111">{}</text>"##,
            xml_escape(scenario.label)
        );
    }
    let _ = writeln!(s, "</g>");
    let _ = writeln!(
        s,
        r##"<rect x="{PAD}" y="{TITLE_H}" width="{map_w:.1}" height="{map_h:.1}" fill="none" stroke="#888" stroke-width="0.8"/>"##
    );
    legend(&mut s, TITLE_H + map_h + 12.0);
    s.push_str("</svg>\n");
    s
}

fn verdict_colour(d: &Decision) -> &'static str {
    if d.is_permit() {
        PERMIT_COLOUR
    } else {
        DENY_COLOUR
    }
}

/// An axis-aligned box, pixels.
#[derive(Clone, Copy)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    fn around(x: f64, y: f64, r: f64) -> Self {
        Rect {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        }
    }

    fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// A place for a track's label next to its dot (x, y), not over another dot or label and
/// inside the map when possible: the text position, its anchor and its box.
fn place_label(
    proj: Projection,
    label: &str,
    x: f64,
    y: f64,
    placed: &[Rect],
) -> (f64, f64, &'static str, Rect) {
    // About 6.2 px per character at 11 px, 11 px from baseline to the top of capitals.
    let w = 6.2 * label.chars().count() as f64;
    let map = Rect {
        x0: PAD,
        y0: TITLE_H,
        x1: PAD + proj.map_width(),
        y1: TITLE_H + proj.map_height(),
    };
    let candidates: [(f64, f64, &'static str); 8] = [
        (8.0, 4.0, "start"),
        (-8.0, 4.0, "end"),
        (0.0, -9.0, "middle"),
        (0.0, 17.0, "middle"),
        (6.0, -6.0, "start"),
        (6.0, 15.0, "start"),
        (-6.0, -6.0, "end"),
        (-6.0, 15.0, "end"),
    ];
    let boxed = |(dx, dy, anchor): (f64, f64, &'static str)| {
        let (lx, ly) = (x + dx, y + dy);
        let x0 = match anchor {
            "start" => lx,
            "end" => lx - w,
            _ => lx - w / 2.0,
        };
        let rect = Rect {
            x0,
            y0: ly - 11.0,
            x1: x0 + w,
            y1: ly + 3.0,
        };
        (lx, ly, anchor, rect)
    };
    let fits = |r: &Rect| {
        r.x0 >= map.x0
            && r.x1 <= map.x1
            && r.y0 >= map.y0
            && r.y1 <= map.y1
            && !placed.iter().any(|p| p.overlaps(r))
    };
    candidates
        .into_iter()
        .map(boxed)
        .find(|(_, _, _, r)| fits(r))
        .unwrap_or_else(|| boxed((8.0, 4.0, "start")))
}

/// The legend, in one row below the map starting at `y`.
fn legend(s: &mut String, y: f64) {
    let mut x = PAD;
    let _ = writeln!(s, r##"<g font-size="12" fill="#222">"##);
    let swatches: [(&str, &str); 3] = [
        (
            r##"fill="#9fd89f" stroke="#2e7d32" stroke-width="0.9""##,
            "active sanctuary",
        ),
        (
            r##"fill="#dedede" stroke="#a0a0a0" stroke-width="0.6""##,
            "inactive sanctuary",
        ),
        (
            r##"fill="url(#hatch)" stroke="#c62828" stroke-width="0.8""##,
            "exclusion (neighbouring state)",
        ),
    ];
    for (style, text) in swatches {
        let _ = writeln!(
            s,
            r##"<rect x="{x:.1}" y="{y:.1}" width="22" height="14" {style}/><text x="{:.1}" y="{:.1}">{text}</text>"##,
            x + 28.0,
            y + 11.5
        );
        x += 28.0 + 7.2 * text.len() as f64 + 18.0;
    }
    let _ = writeln!(
        s,
        r##"<line x1="{x:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#222" stroke-width="1.1"/><text x="{:.1}" y="{:.1}">Ukraine</text>"##,
        y + 7.0,
        x + 22.0,
        y + 7.0,
        x + 28.0,
        y + 11.5
    );
    let y2 = y + 26.0;
    let mut x = PAD;
    for (colour, text) in [(PERMIT_COLOUR, "track: PERMIT"), (DENY_COLOUR, "track: DENY")] {
        let _ = writeln!(
            s,
            r##"<circle cx="{:.1}" cy="{:.1}" r="4.5" fill="{colour}" stroke="#fff" stroke-width="1.2"/><text x="{:.1}" y="{:.1}">{text}</text>"##,
            x + 11.0,
            y2 + 7.0,
            x + 28.0,
            y2 + 11.5
        );
        x += 28.0 + 7.2 * text.len() as f64 + 18.0;
    }
    let _ = writeln!(
        s,
        r##"<line x1="{x:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#444" stroke-width="1.3" stroke-dasharray="4 2" marker-end="url(#arrow)"/><text x="{:.1}" y="{:.1}">to the predicted intercept point</text>"##,
        y2 + 7.0,
        x + 22.0,
        y2 + 7.0,
        x + 28.0,
        y2 + 11.5
    );
    x += 28.0 + 7.2 * 32.0 + 18.0;
    let _ = writeln!(
        s,
        r##"<circle cx="{:.1}" cy="{:.1}" r="6" fill="#888" fill-opacity="0.15" stroke="#888" stroke-dasharray="3 2"/><text x="{:.1}" y="{:.1}">position uncertainty</text>"##,
        x + 11.0,
        y2 + 7.0,
        x + 28.0,
        y2 + 11.5
    );
    let _ = writeln!(s, "</g>");
}
