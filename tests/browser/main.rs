//! The maps and the interactive page of `safe_haven`, checked by the tools that read them:
//! every SVG map rendered to PNG by `rsvg-convert` (malformed SVG fails), and the HTML page
//! loaded in headless Chromium, offline, where its `#selftest` switches every phase through
//! the selector and reports what the DOM shows. The expected zones and decisions are worked
//! out here with the library.
//!
//! Screenshots of phases 1 and 6 and the PNG maps are written to
//! `target/browser-review/` for review.
//!
//! Needs `chromium` and `rsvg-convert` (`.ci/install-browser` installs them). Without them
//! the tests print why and pass, unless the environment variable `CI` is set (then they
//! fail).

#[path = "../../examples/common/scenario.rs"]
mod scenario;

use sanctuary::{plan::PhaseHandle, Engine, Plan};
use std::error::Error;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

type TestResult = Result<(), Box<dyn Error>>;

/// Is this a CI run (where a missing tool is a failure)?
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The path of a program on `PATH`, if any.
fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// The tool, or `None` after printing why the test is skipped; under CI, an error.
fn tool(names: &[&str], package: &str) -> Result<Option<PathBuf>, Box<dyn Error>> {
    match find_program(names) {
        Some(p) => Ok(Some(p)),
        None if in_ci() => Err(format!(
            "{} not found (CI is set): run .ci/install-browser ({package})",
            names.join(" or ")
        )
        .into()),
        None => {
            // Written to stderr directly, not with eprintln!, so that the test harness does
            // not capture it: a skip is seen.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: {} not found; install {package} (.ci/install-browser) to run this test",
                names.join(" or ")
            );
            Ok(None)
        }
    }
}

/// Where the review files go: target/browser-review (or under CARGO_TARGET_DIR).
fn review_dir() -> Result<PathBuf, Box<dyn Error>> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let target = if target.is_relative() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(target)
    } else {
        target
    };
    let dir = target.join("browser-review");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Runs `safe_haven --out <dir> [args]` through cargo (the profile the tests were built
/// with) and returns the directory.
fn run_safe_haven(name: &str, args: &[&str]) -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("sanctuary-browser-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--quiet", "--example", "safe_haven"]);
    if !cfg!(debug_assertions) {
        cmd.arg("--release");
    }
    cmd.arg("--").arg("--out").arg(&dir).args(args);
    let out = cmd.output().map_err(|e| format!("cargo run: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "safe_haven failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(dir)
}

/// The output of one `safe_haven` run, shared by the tests.
fn outputs() -> Result<&'static Path, Box<dyn Error>> {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match DIR.get_or_init(|| run_safe_haven("embedded", &[])) {
        Ok(dir) => Ok(dir.as_path()),
        Err(e) => Err(e.clone().into()),
    }
}

fn phases(plan: &Plan) -> Vec<(PhaseHandle, String)> {
    plan.phase_handles()
        .zip(plan.phases())
        .map(|(h, p)| (h, p.id.clone()))
        .collect()
}

#[test]
fn every_svg_map_renders_to_png_and_names_its_zones() -> TestResult {
    let Some(rsvg) = tool(&["rsvg-convert"], "librsvg2-bin")? else {
        return Ok(());
    };
    let dir = outputs()?;
    let review = review_dir()?;
    let plan = Plan::safe_haven()?;
    for (handle, id) in phases(&plan) {
        let svg_path = dir.join(format!("phase-{}.svg", handle.index()));
        let svg = std::fs::read_to_string(&svg_path)?;
        let png = review.join(format!("map-phase-{}.png", handle.index()));
        let out = Command::new(&rsvg).arg(&svg_path).arg("-o").arg(&png).output()?;
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "rsvg-convert {}: {}",
            svg_path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&png)?;
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{}: not a PNG",
            png.display()
        );
        // The PNG is as large as the SVG says (IHDR width and height, big-endian).
        let dims = bytes.get(16..24).ok_or("short PNG")?;
        let (w, h) = (
            u32::from_be_bytes(dims.get(..4).ok_or("short")?.try_into()?),
            u32::from_be_bytes(dims.get(4..).ok_or("short")?.try_into()?),
        );
        assert!(
            svg.contains(&format!(r#"width="{w}" height="{h}""#)),
            "phase {id}: {w}×{h}"
        );
        assert!(svg.contains(&format!("Phase {id}: ")), "phase {id}: title");
        // Every active zone and every neighbour is labelled by id on the map.
        for (i, zone) in plan.index().zones().iter().enumerate() {
            let zp = plan.zone_plans().get(i).ok_or("zone plan")?;
            if zp.active_in(handle) {
                assert!(
                    svg.contains(&format!(r#"font-size="9">{}</tspan>"#, zone.id())),
                    "phase {id}: no label for {}",
                    zone.id()
                );
            }
        }
    }
    Ok(())
}

#[test]
fn the_page_fetches_nothing() -> TestResult {
    let dir = outputs()?;
    let html = std::fs::read_to_string(dir.join("safe-haven.html"))?;
    assert!(html.contains(r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none';"#));
    for needle in [
        "http://",
        "https://",
        "//cdn",
        " src=",
        " href=",
        "url(http",
        "@import",
        "fetch(",
        "XMLHttpRequest",
    ] {
        assert!(!html.contains(needle), "the page contains {needle:?}");
    }
    // The plan given with --plan gives the same page (the same plan, the same hash).
    let again = run_safe_haven(
        "plan-file",
        &[
            "--plan",
            concat!(env!("CARGO_MANIFEST_DIR"), "/data/safe-haven.plan.json"),
        ],
    )?;
    let html2 = std::fs::read_to_string(again.join("safe-haven.html"))?;
    assert!(
        html2 == html,
        "--plan data/safe-haven.plan.json wrote another page"
    );
    let _ = std::fs::remove_dir_all(again);
    Ok(())
}

/// The text of `<pre id="selftest">` in a dumped DOM, unescaped.
fn selftest_text(dom: &str) -> Option<String> {
    let start = dom.find(r#"<pre id="selftest""#)?;
    let body = dom.get(start..)?;
    let open = body.find('>')?;
    let close = body.find("</pre>")?;
    let text = body.get(open + 1..close)?;
    Some(
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
    )
}

/// Console messages in Chromium's log (`--enable-logging=stderr`): any is a failure.
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

fn chromium(browser: &Path, args: &[&str], url: &str) -> Result<(String, String), Box<dyn Error>> {
    let profile = std::env::temp_dir().join(format!("sanctuary-chromium-{}", std::process::id()));
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .args(["--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()?;
    let _ = std::fs::remove_dir_all(&profile);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        return Err(format!("chromium failed ({}): {stderr}", out.status).into());
    }
    Ok((stdout, stderr))
}

#[test]
fn the_page_switches_phases_and_shows_every_decision_in_headless_chromium() -> TestResult {
    let Some(browser) = tool(&["chromium", "chromium-browser"], "chromium")? else {
        return Ok(());
    };
    let started = Instant::now();
    let dir = outputs()?;
    let page = dir.join("safe-haven.html");
    let url = format!("file://{}", page.canonicalize()?.display());

    let (dom, stderr) = chromium(&browser, &["--dump-dom"], &format!("{url}#selftest"))?;
    assert!(
        console_lines(&stderr).is_empty(),
        "console messages: {:#?}",
        console_lines(&stderr)
    );
    let text = selftest_text(&dom).ok_or("no <pre id=selftest> in the dumped DOM")?;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.last().copied(), Some("done"), "{text}");
    assert!(lines.contains(&"errors 0"), "{text}");

    // What the page must show, worked out with the library.
    let engine = Engine::new(Plan::safe_haven()?);
    let plan = engine.plan();
    let tracks = scenario::tracks();
    let mut expected_lines = 0;
    for (handle, id) in phases(plan) {
        let mut active: Vec<&str> = Vec::new();
        for (i, zone) in plan.index().zones().iter().enumerate() {
            if plan.zone_plans().get(i).is_some_and(|zp| zp.active_in(handle)) {
                active.push(zone.id());
            }
        }
        let shown = |what: &str| -> Vec<&str> {
            let prefix = format!("phase {id} {what} ");
            lines
                .iter()
                .find_map(|l| l.strip_prefix(&prefix))
                .map(|rest| rest.split(',').filter(|s| !s.is_empty()).collect())
                .unwrap_or_default()
        };
        let mut zones = shown("zones");
        zones.sort_unstable();
        assert_eq!(zones, active, "phase {id}: active zones");
        let labels = shown("labels");
        for z in &active {
            assert!(labels.contains(z), "phase {id}: no label for {z}: {labels:?}");
        }
        for t in &tracks {
            let d = engine.decide(t, handle, None);
            let verdict = if d.is_permit() { "PERMIT" } else { "DENY" };
            let reasons = if d.reasons.is_empty() {
                "–".to_string()
            } else {
                d.reason_codes()
            };
            let row = format!(
                "phase {id} track {} {verdict} {} {reasons} map={}",
                t.id,
                d.zone.as_deref().unwrap_or("–"),
                verdict.to_lowercase()
            );
            assert!(lines.contains(&row.as_str()), "missing {row:?} in:\n{text}");
            let rowclick = format!("phase {id} rowclick {} hl=true", t.id);
            assert!(lines.contains(&rowclick.as_str()), "missing {rowclick:?}");
            let click = format!("phase {id} click {} {verdict} hl=true row=true", t.id);
            assert!(lines.contains(&click.as_str()), "missing {click:?}");
            expected_lines += 3;
        }
        for z in &active {
            let info = format!("phase {id} zoneinfo {z} true active=true");
            assert!(lines.contains(&info.as_str()), "missing {info:?}");
            expected_lines += 1;
        }
        expected_lines += 2;
    }
    assert_eq!(lines.len(), expected_lines + 2, "{text}");

    // The harness sees a request: the same page with an image from the network logs the
    // Content-Security-Policy's refusal on the console.
    let leaky = dir.join("leaky.html");
    let html = std::fs::read_to_string(&page)?;
    std::fs::write(
        &leaky,
        html.replacen(
            "<main>",
            r#"<main><img src="http://127.0.0.1:9/x.png" alt="">"#,
            1,
        ),
    )?;
    let leaky_url = format!("file://{}", leaky.canonicalize()?.display());
    let (_, stderr) = chromium(&browser, &["--dump-dom"], &leaky_url)?;
    let refused = console_lines(&stderr);
    assert!(
        refused
            .iter()
            .any(|l| l.contains("127.0.0.1:9") && l.contains("Content Security Policy")),
        "a request went unnoticed: {stderr}"
    );
    let _ = std::fs::remove_file(&leaky);

    // Screenshots of two phases for review, and no console message there either.
    let review = review_dir()?;
    for id in ["1", "6"] {
        let shot = review.join(format!("page-phase-{id}.png"));
        let _ = std::fs::remove_file(&shot);
        let (_, stderr) = chromium(
            &browser,
            &[
                "--hide-scrollbars",
                "--window-size=1600,1000",
                &format!("--screenshot={}", shot.display()),
            ],
            &format!("{url}#phase={id}"),
        )?;
        assert!(
            console_lines(&stderr).is_empty(),
            "console messages: {:#?}",
            console_lines(&stderr)
        );
        let bytes = std::fs::read(&shot)?;
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 50_000,
            "{}",
            shot.display()
        );
    }
    println!(
        "browser test: {:.1} s; screenshots and PNG maps in {}",
        started.elapsed().as_secs_f64(),
        review.display()
    );
    Ok(())
}
