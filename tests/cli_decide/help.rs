//! The `--help` texts are the command-line contract a newcomer reads without the source:
//! every input and output column, every code the library accepts or writes, and every exit
//! status. And a flag no tool knows is clap's usage error, exit status 2.

use super::{example, Run, HEADER};
use sanctuary::{
    plan::{Identity, TargetClass},
    Reason,
};

/// The reason codes `decide` can write (every `Reason`).
const REASON_CODES: [&str; 16] = [
    "invalid_track",
    "unknown_phase",
    "no_active_phase",
    "outside_active_sanctuary",
    "on_boundary",
    "inside_exclusion",
    "no_applicable_rule",
    "class_not_authorised",
    "weapons_hold",
    "identity_not_hostile",
    "altitude_outside_band",
    "partner_not_authorised",
    "partner_caveat",
    "standoff_not_met",
    "predicted_point_outside",
    "predicted_point_in_exclusion",
];

/// The identity codes the library accepts.
const IDENTITY_CODES: [&str; 5] = ["hostile", "suspect", "unknown", "neutral", "friend"];

/// A successful `--help`: status 0, the text on stdout, nothing on stderr.
fn help(name: &str, args: &[&str]) -> String {
    let run = example(name, args);
    assert!(run.status.success(), "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
    run.stdout
}

/// Asserts that `text` has an `EXIT STATUS` section listing each status, one per line,
/// as `  <status>  ...`.
fn assert_exit_statuses(text: &str, statuses: &[u8]) {
    let section = text
        .split_once("\nEXIT STATUS\n")
        .map(|(_, s)| s)
        .unwrap_or_else(|| panic!("no EXIT STATUS section: {text}"));
    for status in statuses {
        assert!(
            section.contains(&format!("\n  {status}  ")) || section.starts_with(&format!("  {status}  ")),
            "status {status} not documented: {section}"
        );
    }
}

#[test]
fn decide_help_documents_columns_codes_and_exit_statuses() {
    let text = help("decide", &["--help"]);
    assert!(text.starts_with("The rule engine's verdict"), "{text}");
    // The output header, as written, and each output column with its own line.
    assert!(text.contains(&format!("\n    {HEADER}\n")), "{text}");
    for column in HEADER.split(',') {
        assert!(
            text.contains(&format!("\n    {column} ")),
            "output column `{column}`: {text}"
        );
    }
    for column in [
        "id",
        "lon",
        "lat",
        "alt_m",
        "class",
        "identity",
        "uncertainty_m",
        "speed_mps",
        "heading_deg",
        "tti_s",
    ] {
        assert!(
            text.contains(&format!("\n    {column} ")),
            "input column `{column}`: {text}"
        );
    }
    for class in TargetClass::ALL {
        assert!(
            text.contains(class.as_str()),
            "class `{}`: {text}",
            class.as_str()
        );
    }
    for code in IDENTITY_CODES {
        assert!(Identity::parse(code).is_some(), "`{code}` is an identity code");
        assert!(text.contains(code), "identity `{code}`: {text}");
    }
    for code in REASON_CODES {
        let reason: Reason = serde_json::from_value(serde_json::Value::from(code)).unwrap();
        assert_eq!(reason.as_str(), code);
        assert!(
            text.contains(&format!("\n    {code} ")),
            "reason `{code}`: {text}"
        );
    }
    for flag in ["--plan", "--phase", "--partner", "--format", "--tracks"] {
        assert!(text.contains(flag), "{flag}: {text}");
    }
    assert!(text.contains("--tracks -` reads standard input"), "{text}");
    assert!(
        text.contains("\n  check "),
        "the check subcommand is listed: {text}"
    );
    assert_exit_statuses(&text, &[0, 1, 2, 3]);
    // The short help points to the long one.
    let short = help("decide", &["-h"]);
    assert!(short.contains("see --help"), "{short}");
    assert!(short.len() < text.len());
}

#[test]
fn decide_check_help_documents_its_output_and_exit_statuses() {
    let text = help("decide", &["check", "--help"]);
    assert!(text.contains("kind<TAB>place<TAB>message"), "{text}");
    for kind in [
        "overlaps_never_engage",
        "zones_shrink",
        "rule_never_applies",
        "zone_never_active",
        "standoff_too_large",
    ] {
        assert!(text.contains(kind), "finding kind `{kind}`: {text}");
    }
    assert!(
        text.contains("ok: plan <HASH>, <N> zones, <M> phases, <K> never-engage areas: no findings"),
        "{text}"
    );
    assert!(text.contains("--never-engage <ZONES.geojson>"), "{text}");
    assert_exit_statuses(&text, &[0, 1, 2, 3]);
}

#[test]
fn safe_haven_help_documents_its_output_and_exit_statuses() {
    let text = help("safe_haven", &["--help"]);
    for column in [
        "label",
        "class",
        "identity",
        "verdict",
        "zone",
        "reasons",
        "margin_km",
    ] {
        assert!(
            text.contains(&format!("\n    {column} ")),
            "table column `{column}`: {text}"
        );
    }
    assert!(text.contains("phase-0.svg"), "{text}");
    assert!(text.contains("[default: target/safe-haven]"), "{text}");
    assert_exit_statuses(&text, &[0, 1, 2]);
}

#[test]
fn profile_help_documents_its_workloads_and_exit_statuses() {
    let text = help("profile", &["--help"]);
    for workload in ["decide", "decide-warm", "nearest"] {
        assert!(
            text.contains(&format!("\n  {workload} ")),
            "workload `{workload}`: {text}"
        );
    }
    assert!(text.contains("standard error"), "{text}");
    assert_exit_statuses(&text, &[0, 2]);
}

/// Asserts clap's usage error: status 2, its message naming `flag`, the usage, nothing on
/// stdout.
fn assert_unknown_flag(run: &Run, flag: &str, usage: &str) {
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(
        run.stderr
            .starts_with(&format!("error: unexpected argument '{flag}' found\n")),
        "{run:?}"
    );
    assert!(run.stderr.contains(&format!("\nUsage: {usage}")), "{run:?}");
    assert!(!run.stderr.contains("panicked"), "{run:?}");
}

#[test]
fn an_unknown_flag_is_clap_s_usage_error_with_status_2() {
    assert_unknown_flag(
        &example("decide", &["--phase", "1", "--tracks", "x.csv", "--verbose"]),
        "--verbose",
        "decide [--plan <PLAN>] --phase <PHASE>",
    );
    assert_unknown_flag(
        &example("decide", &["check", "--verbose"]),
        "--verbose",
        "decide check [--plan <PLAN>] [--never-engage <ZONES.geojson>]",
    );
    assert_unknown_flag(
        &example("safe_haven", &["--verbose"]),
        "--verbose",
        "safe_haven [--out <DIR>]",
    );
    assert_unknown_flag(
        &example("profile", &["decide", "--verbose"]),
        "--verbose",
        "profile <WORKLOAD> [N]",
    );
}
