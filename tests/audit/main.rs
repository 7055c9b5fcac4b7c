//! Audit and replay: a log of random decisions on the Safe Haven plan replays
//! identically; tampered records are reported with their line numbers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failed expectation is a test failure (clippy.toml only covers #[test] fns)"
)]

use sanctuary::{
    audit::{replay, AuditRecord, DecisionField, PlanResolver, RecordError, ReplayError},
    plan::PlanHash,
    plan::{Identity, TargetClass},
    shared::SharedEngine,
    Engine, Plan, Track, Verdict,
};

/// xorshift64: a fixed-seed generator, enough for test inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

fn engine() -> Engine {
    Engine::new(Plan::safe_haven().unwrap())
}

/// 200 random tracks over Ukraine and its neighbours, in random phases, with and without
/// partners, uncertainty and intercept points: full-precision coordinates.
fn log(engine: &Engine) -> String {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let phases = ["0", "1", "2", "3", "4", "5", "6", "7"];
    let partners = [None, Some("POL"), Some("HUN"), Some("XXX")];
    let identities = [
        Identity::Hostile,
        Identity::Hostile,
        Identity::Suspect,
        Identity::Friend,
    ];
    let mut out = Vec::new();
    for i in 0..200 {
        let lon = 22.0 + rng.unit() * 12.0;
        let lat = 44.0 + rng.unit() * 8.5;
        let mut t = Track::new(
            format!("r{i}"),
            lon,
            lat,
            rng.unit() * 12_000.0,
            rng.pick(&TargetClass::ALL),
            rng.pick(&identities),
        );
        if rng.next().is_multiple_of(2) {
            t = t.with_uncertainty(rng.unit() * 5_000.0);
        }
        if rng.next().is_multiple_of(3) {
            t = t.with_intercept(rng.unit() * 300.0, rng.unit() * 360.0, rng.unit() * 120.0);
        }
        engine
            .audit(&t, rng.pick(&phases), rng.pick(&partners))
            .write_line(&mut out)
            .unwrap();
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn a_log_of_random_decisions_replays_identically() {
    let engine = engine();
    let text = log(&engine);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 200);
    let permits = lines
        .iter()
        .filter(|l| l.contains("\"verdict\":\"permit\""))
        .count();
    assert!(permits >= 5, "only {permits} permits in the log");

    let report = replay(&engine, text.as_bytes()).unwrap();
    assert_eq!(report.records, 200);
    assert!(report.is_clean(), "{:#?}", report.mismatches);

    // Records read back are the records written, to the last bit of every number.
    let again = Engine::new(Plan::safe_haven().unwrap());
    for line in &lines {
        let r = AuditRecord::from_json_line(line).unwrap();
        assert_eq!(r.decision, again.decide(&r.track, &r.phase, r.partner.as_deref()));
        assert_eq!(&r.to_json_line(), line);
    }
}

/// Rewrites the decision of line `n` (1-based) of a log.
fn tamper(text: &str, n: usize, f: impl Fn(&mut AuditRecord)) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == n {
                let mut r = AuditRecord::from_json_line(l).unwrap();
                f(&mut r);
                r.to_json_line()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn tampered_records_are_reported_with_their_line_numbers() {
    let engine = engine();
    let text = log(&engine);

    // A flipped verdict on line 17, an edited reason on line 42 (a record that denies),
    // an edited margin on line 99.
    let text = tamper(&text, 17, |r| {
        r.decision.verdict = match r.decision.verdict {
            Verdict::Permit => Verdict::Deny,
            Verdict::Deny => Verdict::Permit,
        }
    });
    let deny_line = text
        .lines()
        .enumerate()
        .skip(30)
        .find(|(_, l)| l.contains("\"verdict\":\"deny\""))
        .map(|(i, _)| i + 1)
        .unwrap();
    let text = tamper(&text, deny_line, |r| {
        r.decision.reasons = vec![sanctuary::Reason::WeaponsHold, sanctuary::Reason::PartnerCaveat]
    });
    let text = tamper(&text, 99, |r| {
        r.decision.margin_m = Some(r.decision.margin_m.unwrap_or(0.0) + 1e-9)
    });

    let report = replay(&engine, text.as_bytes()).unwrap();
    assert_eq!(report.records, 200);
    assert_eq!(report.mismatched_lines(), vec![17, deny_line, 99]);
    let fields: Vec<(usize, DecisionField)> = report.mismatches.iter().map(|m| (m.line, m.field)).collect();
    assert_eq!(
        fields,
        vec![
            (17, DecisionField::Verdict),
            (deny_line, DecisionField::Reasons),
            (99, DecisionField::Margin)
        ]
    );
    assert!(report.mismatches[0]
        .to_string()
        .starts_with("line 17: track `r16`: decision.verdict"));

    // A record from another plan is reported with its line number, not passed, and the
    // replay goes on past it.
    let other = tamper(&text, 150, |r| {
        r.decision.plan_hash = sanctuary::plan::PlanHash([0; 32])
    });
    let report = replay(&engine, other.as_bytes()).unwrap();
    assert_eq!(report.records, 199);
    assert_eq!(report.unknown_plan_lines(), vec![150]);
    assert_eq!(report.unknown_plan[0].track_id, "r149");
    assert_eq!(report.unknown_plan[0].plan_hash.to_string(), "0".repeat(64));
    assert_eq!(report.mismatched_lines(), vec![17, deny_line, 99]);
    assert!(!report.is_clean());

    // A line that is not a record is refused with its line number; blank lines are skipped.
    let mut broken: Vec<String> = text.lines().map(str::to_string).collect();
    broken.insert(5, String::new());
    broken[120] = "{\"track\": 1}".to_string();
    let err = replay(&engine, broken.join("\n").as_bytes()).unwrap_err();
    assert!(
        matches!(
            err,
            ReplayError::Record {
                line: 121,
                source: RecordError::Json(_)
            }
        ),
        "{err}"
    );
}

#[test]
fn a_track_edited_in_the_log_replays_differently() {
    // Moving the track changes the replayed decision: the record is reported, not trusted.
    let engine = engine();
    let t = Track::new("lviv", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    let line = engine.audit(&t, "1", None).to_json_line();
    let moved = line.replace("\"lon\":24.03", "\"lon\":36.23");
    assert_ne!(moved, line);
    let report = replay(&engine, moved.as_bytes()).unwrap();
    let fields: Vec<DecisionField> = report.mismatches.iter().map(|m| m.field).collect();
    assert!(fields.contains(&DecisionField::Verdict), "{fields:?}");
}

/// Plan A is the Safe Haven plan; plan B is the same with every standoff 20 km longer and
/// weapons hold in every rule, so many decisions differ between them.
fn plans_a_and_b() -> (Plan, Plan) {
    let a = Plan::safe_haven().unwrap();
    let mut value = serde_json::to_value(&a).unwrap();
    tighten(&mut value);
    let b: Plan = serde_json::from_value(value).unwrap();
    assert_ne!(a.hash(), b.hash());
    (a, b)
}

fn tighten(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                if k == "standoff_m" {
                    if let Some(s) = x.as_f64() {
                        *x = serde_json::json!(s + 20_000.0);
                    }
                } else if k == "weapons" {
                    *x = serde_json::json!("hold");
                } else {
                    tighten(x);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(tighten),
        _ => {}
    }
}

/// The random log's tracks and requests, decided through a shared engine: the first 120
/// under plan A, then a hot swap, then the rest under plan B. Returns the log and the
/// first line written under B.
fn log_across_a_swap(a: &Plan, b: &Plan) -> (String, usize) {
    let requests: Vec<AuditRecord> = log(&Engine::new(a.clone()))
        .lines()
        .map(|l| AuditRecord::from_json_line(l).unwrap())
        .collect();
    let shared = SharedEngine::new(a.clone());
    let mut out = Vec::new();
    for (i, r) in requests.iter().enumerate() {
        if i == 120 {
            let replaced = shared.replace(b.clone());
            assert_eq!((replaced.old, replaced.new), (*a.hash(), *b.hash()));
        }
        shared
            .audit(&r.track, &r.phase, r.partner.as_deref())
            .write_line(&mut out)
            .unwrap();
    }
    (String::from_utf8(out).unwrap(), 121)
}

#[test]
fn a_log_written_across_a_hot_swap_replays_with_both_plans() {
    let (a, b) = plans_a_and_b();
    let (text, first_b) = log_across_a_swap(&a, &b);
    let (ea, eb) = (Engine::new(a.clone()), Engine::new(b.clone()));

    // The swap changed some decisions, so replaying B's records under A would not be clean.
    let differ = text
        .lines()
        .skip(first_b - 1)
        .map(|l| AuditRecord::from_json_line(l).unwrap())
        .filter(|r| {
            let mut under_a = ea.decide(&r.track, &r.phase, r.partner.as_deref());
            under_a.plan_hash = r.decision.plan_hash;
            under_a != r.decision
        })
        .count();
    assert!(differ >= 5, "only {differ} decisions differ between A and B");

    // Every way of giving both plans replays the whole log, clean.
    let both_vec = vec![ea.clone(), eb.clone()];
    let mut by_hash = std::collections::HashMap::new();
    by_hash.insert(*a.hash(), ea.clone());
    by_hash.insert(*b.hash(), eb.clone());
    let closure = |h: &PlanHash| [&ea, &eb].into_iter().find(|e| e.plan().hash() == h).cloned();
    let resolvers: [&dyn PlanResolver; 4] = [&[eb.clone(), ea.clone()], &both_vec, &by_hash, &closure];
    for plans in resolvers {
        let report = replay(plans, text.as_bytes()).unwrap();
        assert_eq!(report.records, 200);
        assert!(
            report.is_clean(),
            "{:#?} {:#?}",
            report.mismatches,
            report.unknown_plan
        );
    }

    // Plan A alone: B's records are reported as of an unknown plan, every one of them, and
    // A's records still replay clean.
    let report = replay(&ea, text.as_bytes()).unwrap();
    assert_eq!(report.records, first_b - 1);
    assert!(report.mismatches.is_empty(), "{:#?}", report.mismatches);
    assert_eq!(report.unknown_plan_lines(), (first_b..=200).collect::<Vec<_>>());
    assert!(report.unknown_plan.iter().all(|u| u.plan_hash == *b.hash()));
    assert_eq!(report.unknown_plan[0].track_id, format!("r{}", first_b - 1));
    assert!(!report.is_clean());

    // Plan B alone: the other way round, and the replay does not stop at line 1.
    let report = replay(&eb, text.as_bytes()).unwrap();
    assert_eq!(report.records, 200 - (first_b - 1));
    assert!(report.mismatches.is_empty());
    assert_eq!(report.unknown_plan_lines(), (1..first_b).collect::<Vec<_>>());

    // Neither plan: nothing is replayed, every record is named.
    let none = |_: &PlanHash| None;
    let report = replay(&none, text.as_bytes()).unwrap();
    assert_eq!((report.records, report.unknown_plan.len()), (0, 200));
}

#[test]
fn a_tampered_record_after_a_swap_is_reported_under_its_own_plan() {
    let (a, b) = plans_a_and_b();
    let (text, first_b) = log_across_a_swap(&a, &b);
    let line = first_b + 10;
    let text = tamper(&text, line, |r| {
        r.decision.verdict = match r.decision.verdict {
            Verdict::Permit => Verdict::Deny,
            Verdict::Deny => Verdict::Permit,
        }
    });
    let plans = [Engine::new(a), Engine::new(b)];
    let report = replay(&plans, text.as_bytes()).unwrap();
    assert_eq!(report.records, 200);
    assert_eq!(report.mismatched_lines(), vec![line]);
    assert_eq!(report.mismatches[0].field, DecisionField::Verdict);
    assert!(report.unknown_plan.is_empty());
}

#[test]
fn a_resolver_giving_an_engine_on_another_plan_is_not_trusted() {
    // The resolver answers every hash with plan A: B's records are unknown, not replayed
    // under A.
    let (a, b) = plans_a_and_b();
    let (text, first_b) = log_across_a_swap(&a, &b);
    let ea = Engine::new(a);
    let liar = |_: &PlanHash| Some(ea.clone());
    let report = replay(&liar, text.as_bytes()).unwrap();
    assert_eq!(report.records, first_b - 1);
    assert_eq!(report.unknown_plan.len(), 200 - (first_b - 1));
    assert!(report.mismatches.is_empty());
}

#[test]
fn a_null_in_a_track_is_a_typed_record_error() {
    let engine = engine();
    let t = Track::new("lviv", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
    let line = engine.audit(&t, "1", None).to_json_line();
    let nulled = line.replace("\"lon\":24.03", "\"lon\":null");
    match AuditRecord::from_json_line(&nulled) {
        Err(RecordError::NullInTrack { path }) => assert_eq!(path, "track.lon"),
        other => panic!("expected a null in the track, got {other:?}"),
    }
    let err = replay(&engine, nulled.as_bytes()).unwrap_err();
    assert!(matches!(
        err,
        ReplayError::Record {
            line: 1,
            source: RecordError::NullInTrack { .. }
        }
    ));
    assert!(std::error::Error::source(&err).is_some());
}
