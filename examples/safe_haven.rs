//! `safe_haven`: the project's main job. A fixed set of scenario tracks decided in every
//! phase of the embedded, illustrative Safe Haven plan (or a plan given with `--plan`), as
//! tables, printable SVG maps and one interactive offline HTML page.
//!
//! ```text
//! cargo run --release --example safe_haven [-- --out <DIR>] [--plan <PLAN>]
//! ```
//!
//! The command-line contract (the tables' columns, the maps, exit statuses) is the
//! `--help` text, [`AFTER_HELP`] below: `cargo run --example safe_haven -- --help`.
//!
//! The maps and the page are drawn by the library (`sanctuary::map::MapScene`); this
//! example only picks the scenario (`common/scenario.rs`) and writes the files.

// Shared with the other examples; this one keeps its own failure kinds and uses only
// the one-line messages.
#[allow(dead_code)]
#[path = "common/cli.rs"]
mod cli;
#[path = "common/scenario.rs"]
mod scenario;
use clap::Parser;
use cli::{one_line, parse_command_line};
use sanctuary::ed318::{ed318_from_plan_phase, CountryLookup, Ed318ExportOptions};
use sanctuary::geojson::{active_zones_geojson, decisions_geojson, zones_from_geojson_str};
use sanctuary::kml::phase_kml;
use sanctuary::{map::MapScene, Decision, Engine, Plan, Track, Verdict};
use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where the maps go without `--out`.
const DEFAULT_OUT: &str = "target/safe-haven";

/// The page's file name in the output directory.
const PAGE: &str = "safe-haven.html";

/// What `safe_haven --help` says after the options: the output, the exit statuses.
const AFTER_HELP: &str = "\
OUTPUT
  On standard output: the plan's name and content hash; then, for each phase, a heading
  `== Phase <id>: <name>`, a table with one row per scenario track, and a summary line
  `phase <id>: <P> permit, <D> deny (of <N> tracks)`; at the end, where the maps and the
  page were written. The table's columns:
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

  In DIR (created if needed; existing files of the same names are replaced):
  - one SVG map per phase, phase-0.svg to phase-6.svg (phase-<index>.svg, from 0, for a
    plan given with --plan): Ukraine's outline, the plan's sanctuaries (active green,
    inactive dotted grey), the neighbouring states (exclusions, hatched red), every active
    zone and neighbour labelled by name and id, the standoff band inside the sanctuary
    area's edge and the uncertainty discs to scale, the predicted intercept points, a
    graticule every degree, a scale bar, a north arrow, the phase's name and start date,
    the tracks (circle: permitted, square: denied) and a rules table beside the map;
  - safe-haven.html: one self-contained page (no network) with a phase selector, pan and
    zoom, the rules of a zone on hover or click, the decision of a track on click, and
    the table of decisions.

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
and around Ukraine) decided in every phase of the embedded, illustrative Safe Haven plan
(or of the plan given with --plan), printed as one table per phase, drawn as one SVG map
per phase and as one interactive HTML page. It reads no other input.",
    override_usage = "safe_haven [--out <DIR>] [--plan <PLAN>]",
    after_long_help = AFTER_HELP,
    after_help = "The tables' columns, the maps and exit statuses: see --help."
)]
struct Cli {
    /// The directory the maps are written to (a relative one is taken from the current
    /// directory)
    #[arg(long, value_name = "DIR", default_value = DEFAULT_OUT)]
    out: PathBuf,
    /// A JSON plan file (the format of data/safe-haven.plan.json); without it, the embedded
    /// illustrative Safe Haven plan
    #[arg(long, value_name = "PLAN")]
    plan: Option<PathBuf>,
}

/// Ukraine's national outline, drawn as a thin line on every map.
const UKRAINE_OUTLINE: &str = include_str!("../data/ukraine-outline.geojson");

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
    match run(&cli.out, cli.plan.as_deref()) {
        Ok(()) | Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Fatal(msg)) => {
            // eprintln! panics when stderr is a broken pipe; a failed report is ignored.
            let _ = writeln!(io::stderr(), "safe_haven: {}", one_line(&msg));
            ExitCode::FAILURE
        }
    }
}

fn run(out_dir: &Path, plan_file: Option<&Path>) -> Result<(), Failure> {
    let plan = match plan_file {
        Some(path) => {
            Plan::from_file(path).map_err(|e| Failure::Fatal(format!("{}: {e}", path.display())))?
        }
        None => Plan::safe_haven().map_err(|e| Failure::Fatal(format!("embedded plan: {e}")))?,
    };
    let outline = zones_from_geojson_str(UKRAINE_OUTLINE)
        .map_err(|e| Failure::Fatal(format!("data/ukraine-outline.geojson: {e}")))?;
    let engine = Engine::new(plan);
    let tracks: Vec<Track> = scenario::tracks();
    let scene = MapScene::new(&engine, &tracks).with_outline(&outline);

    std::fs::create_dir_all(out_dir)
        .map_err(|e| Failure::Fatal(format!("{}: cannot create the directory: {e}", out_dir.display())))?;
    let write = |name: &str, text: String| -> Result<PathBuf, Failure> {
        let path = out_dir.join(name);
        std::fs::write(&path, text)
            .map_err(|e| Failure::Fatal(format!("{}: cannot write: {e}", path.display())))?;
        Ok(path)
    };

    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let plan = engine.plan();
    writeln!(out, "{} — plan hash {}", plan.name(), plan.hash()).map_err(write_failure)?;
    let mut written = Vec::new();
    let mut exports = Vec::new();
    let countries = CountryLookup::safe_haven().map_err(|e| Failure::Fatal(format!("boundary data: {e}")))?;
    let ed318_options = Ed318ExportOptions::new("UKR").countries_from(&countries, plan.index().zones());
    for (handle, phase) in plan.phase_handles().zip(plan.phases()) {
        let decisions = scene.decisions(handle);
        let permits = decisions.iter().filter(|d| d.is_permit()).count();
        let denies = decisions.len() - permits;
        written.push(write(
            &format!("phase-{}.svg", handle.index()),
            scene.svg(handle),
        )?);
        // GIS-ready exports of the phase: zones and decisions as GeoJSON and KML, zones as
        // ED-318 (each zone's country from the boundary data, valid for the phase's span).
        let pairs: Vec<(Track, Decision)> = tracks.iter().cloned().zip(decisions.iter().cloned()).collect();
        let stem = format!("phase-{}", handle.index());
        let json = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
        exports.push(write(
            &format!("{stem}.zones.geojson"),
            json(&active_zones_geojson(plan, handle)),
        )?);
        exports.push(write(
            &format!("{stem}.decisions.geojson"),
            json(&decisions_geojson(&pairs)),
        )?);
        let kml = phase_kml(plan, handle, &pairs).map_err(|e| Failure::Fatal(format!("{stem}.kml: {e}")))?;
        exports.push(write(&format!("{stem}.kml"), kml)?);
        let ed318 = ed318_from_plan_phase(plan, handle, &ed318_options)
            .map_err(|e| Failure::Fatal(format!("{stem}.ed318.json: {e}")))?;
        exports.push(write(&format!("{stem}.ed318.json"), json(&ed318.to_json()))?);

        writeln!(out, "\n== Phase {}: {}\n", phase.id, phase.name).map_err(write_failure)?;
        out.write_all(table(&tracks, &decisions).as_bytes())
            .map_err(write_failure)?;
        writeln!(
            out,
            "phase {}: {permits} permit, {denies} deny (of {} tracks)",
            phase.id,
            decisions.len()
        )
        .map_err(write_failure)?;
    }
    written.push(write(PAGE, scene.html())?);
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    writeln!(
        out,
        "\nWrote {} SVG maps and the interactive page to {}: {}",
        written.len() - 1,
        out_dir.display(),
        names.join(", ")
    )
    .map_err(write_failure)?;
    writeln!(
        out,
        "and {} GIS exports (phase-N.zones.geojson, phase-N.decisions.geojson, phase-N.kml, phase-N.ed318.json)",
        exports.len()
    )
    .map_err(write_failure)?;
    out.flush().map_err(write_failure)
}

/// The decisions of one phase as an aligned text table.
fn table(tracks: &[Track], decisions: &[Decision]) -> String {
    let header = [
        "label",
        "class",
        "identity",
        "verdict",
        "zone",
        "reasons",
        "margin_km",
    ];
    let rows: Vec<[String; 7]> = tracks
        .iter()
        .zip(decisions)
        .map(|(t, d)| {
            [
                t.id.to_string(),
                t.class.as_str().to_string(),
                t.identity.as_str().to_string(),
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
