//! Unit tests of the ED-318 reader and writer.
use super::*;

#[test]
fn rfc3339_round_trips() {
    for t in [0, 86_399, 1_546_271_999, 1_577_807_999, 951_782_400, -1] {
        assert_eq!(parse_rfc3339(&format_rfc3339(t)).ok(), Some(t), "{t}");
    }
}

#[test]
fn short_identifiers_fit_ed318() {
    assert_eq!(short_identifier("UA-46"), "UA-46");
    let s = short_identifier("ODESA-CORRIDOR");
    assert_eq!(s.len(), 7);
    assert!(s.starts_with('S'));
}

#[test]
fn base_ids() {
    assert_eq!(base_id("NFZ#0"), Some(("NFZ", 0)));
    assert_eq!(base_id("NFZ#12"), Some(("NFZ", 12)));
    assert_eq!(base_id("NFZ"), None);
    assert_eq!(base_id("A#b"), None);
}
