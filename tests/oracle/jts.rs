//! JTS TestXML conformance: `TestRelatePA.xml` (general and validate suites) and
//! `TestPreparedPointPredicate.xml`. A tiny hand parser reads the `<case>`, `<a>`, `<b>`
//! and `<op>` elements and the WKT of points, multipoints, polygons and multipolygons; only
//! point-set-versus-area cases apply, the rest are counted and skipped.
//!
//! JTS is planar, so zones use `EdgeModel::PlateCarree`; cases outside lon/lat range are
//! rescaled exactly (see [`crate::planar::Fit`]).

use crate::fixture;
use crate::planar::{matches_pattern, prepare, transpose, Counts, Geom, Skip, Tally};

/// One `<op>` of a case.
#[derive(Debug)]
struct Op {
    name: String,
    arg1: String,
    arg2: String,
    arg3: Option<String>,
    expected: bool,
}

#[derive(Debug)]
struct Case {
    desc: String,
    a: String,
    b: String,
    ops: Vec<Op>,
}

/// The text between `<tag ...>` and `</tag>` for every occurrence, with the opening tag's
/// attribute text.
fn elements<'t>(text: &'t str, tag: &str) -> Vec<(&'t str, &'t str)> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        // Skip longer tag names that merely start with `tag`.
        if !after.starts_with(['>', ' ', '\t', '\n', '\r']) {
            rest = after;
            continue;
        }
        let gt = after.find('>').expect("unterminated tag");
        let attrs = &after[..gt];
        let body_start = &after[gt + 1..];
        let end = body_start.find(&close).unwrap_or_else(|| panic!("no {close}"));
        out.push((attrs, &body_start[..end]));
        rest = &body_start[end + close.len()..];
    }
    out
}

fn attr(attrs: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let i = attrs.find(&key)? + key.len();
    let j = attrs[i..].find('"')? + i;
    Some(attrs[i..j].to_string())
}

fn parse_cases(text: &str) -> Vec<Case> {
    elements(text, "case")
        .into_iter()
        .map(|(_, body)| {
            let one = |tag: &str| {
                elements(body, tag)
                    .first()
                    .map(|(_, t)| t.trim().to_string())
                    .unwrap_or_default()
            };
            let ops = elements(body, "op")
                .into_iter()
                .map(|(attrs, t)| Op {
                    name: attr(attrs, "name").expect("op name"),
                    arg1: attr(attrs, "arg1").unwrap_or_default(),
                    arg2: attr(attrs, "arg2").unwrap_or_default(),
                    arg3: attr(attrs, "arg3"),
                    expected: match t.trim() {
                        "true" => true,
                        "false" => false,
                        other => panic!("unexpected op result `{other}`"),
                    },
                })
                .collect();
            Case {
                desc: one("desc"),
                a: one("a"),
                b: one("b"),
                ops,
            }
        })
        .collect()
}

// ---- WKT ----

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Num(f64),
    Open,
    Close,
    Comma,
}

fn tokens(wkt: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = wkt.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            '(' => {
                out.push(Tok::Open);
                chars.next();
            }
            ')' => {
                out.push(Tok::Close);
                chars.next();
            }
            ',' => {
                out.push(Tok::Comma);
                chars.next();
            }
            c if c.is_whitespace() => {
                chars.next();
            }
            _ => {
                let mut s = String::new();
                while let Some(&c) = chars.peek() {
                    if c == '(' || c == ')' || c == ',' || c.is_whitespace() {
                        break;
                    }
                    s.push(c);
                    chars.next();
                }
                out.push(match s.parse::<f64>() {
                    Ok(v) => Tok::Num(v),
                    Err(_) => Tok::Word(s.to_ascii_uppercase()),
                });
            }
        }
    }
    out
}

struct Wkt {
    toks: Vec<Tok>,
    at: usize,
}

impl Wkt {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }
    fn next(&mut self) -> Tok {
        let t = self.toks.get(self.at).cloned().expect("unexpected end of WKT");
        self.at += 1;
        t
    }
    fn expect(&mut self, want: Tok) {
        let got = self.next();
        assert_eq!(got, want, "WKT syntax");
    }
    /// `EMPTY` in place of a parenthesised list?
    fn empty(&mut self) -> bool {
        if self.peek() == Some(&Tok::Word("EMPTY".into())) {
            self.at += 1;
            true
        } else {
            false
        }
    }
    fn coord(&mut self) -> [f64; 2] {
        let x = match self.next() {
            Tok::Num(v) => v,
            t => panic!("expected a number, got {t:?}"),
        };
        let y = match self.next() {
            Tok::Num(v) => v,
            t => panic!("expected a number, got {t:?}"),
        };
        // Ignore Z/M.
        while let Some(Tok::Num(_)) = self.peek() {
            self.at += 1;
        }
        [x, y]
    }
    /// `( item , item ... )`, or `EMPTY` (an empty list).
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Vec<T> {
        if self.empty() {
            return Vec::new();
        }
        self.expect(Tok::Open);
        let mut out = Vec::new();
        loop {
            if let Some(v) = item(self) {
                out.push(v);
            }
            match self.next() {
                Tok::Comma => continue,
                Tok::Close => break,
                t => panic!("expected `,` or `)`, got {t:?}"),
            }
        }
        out
    }
    fn ring(&mut self) -> Option<Vec<[f64; 2]>> {
        let r = self.list(|w| Some(w.coord()));
        (!r.is_empty()).then_some(r)
    }
    fn polygon(&mut self) -> Option<Vec<Vec<[f64; 2]>>> {
        let p = self.list(Self::ring);
        (!p.is_empty()).then_some(p)
    }
    /// A multipoint member: `(x y)`, bare `x y`, or `EMPTY`.
    fn multipoint_member(&mut self) -> Option<[f64; 2]> {
        match self.peek() {
            Some(Tok::Open) => {
                self.at += 1;
                let c = self.coord();
                self.expect(Tok::Close);
                Some(c)
            }
            Some(Tok::Word(w)) if w == "EMPTY" => {
                self.at += 1;
                None
            }
            _ => Some(self.coord()),
        }
    }
}

fn parse_wkt(text: &str) -> Geom {
    let mut w = Wkt {
        toks: tokens(text),
        at: 0,
    };
    let Tok::Word(kind) = w.next() else {
        panic!("WKT must start with a type: `{text}`")
    };
    match kind.as_str() {
        "POINT" => {
            let pts = w.list(|w| Some(w.coord()));
            Geom::Points(pts)
        }
        "MULTIPOINT" => Geom::Points(w.list(Wkt::multipoint_member)),
        "POLYGON" => Geom::Areal(w.polygon().into_iter().collect()),
        "MULTIPOLYGON" => Geom::Areal(w.list(Wkt::polygon)),
        other => Geom::Other(other.to_string()),
    }
}

/// Runs one JTS file; returns its tally.
fn run_file(rel: &str) -> Tally {
    let path = fixture(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cases = parse_cases(&text);
    assert!(!cases.is_empty(), "{rel}: no <case> parsed");
    let mut tally = Tally::default();
    for (i, case) in cases.iter().enumerate() {
        let name = format!("{rel} case {} ({})", i + 1, case.desc);
        let (a, b) = (parse_wkt(&case.a), parse_wkt(&case.b));
        let (polys, points, a_is_points) = match (a, b) {
            (Geom::Points(p), Geom::Areal(x)) => (x, p, true),
            (Geom::Areal(x), Geom::Points(p)) => (x, p, false),
            _ => {
                tally.skip(&name, Skip::NotPointVsArea);
                continue;
            }
        };
        if points.is_empty() || polys.is_empty() {
            tally.skip(&name, Skip::NotPointVsArea);
            continue;
        }
        let prepared = match prepare(&format!("jts-{}", i + 1), &polys, &points) {
            Ok(p) => p,
            Err(why) => {
                tally.skip(&name, why);
                continue;
            }
        };
        tally.ran(prepared.fit);
        let positions = prepared.positions();
        let counts = Counts::of(&positions);
        assert!(!case.ops.is_empty(), "{name}: no ops");
        for op in &case.ops {
            let points_first = match (
                op.arg1.to_ascii_uppercase().as_str(),
                op.arg2.to_ascii_uppercase().as_str(),
            ) {
                ("A", "B") => a_is_points,
                ("B", "A") => !a_is_points,
                other => panic!("{name}: unexpected op arguments {other:?}"),
            };
            let got = if op.name == "relate" {
                let pattern = op.arg3.as_deref().expect("relate has a pattern");
                let m = counts.matrix_points_area();
                let m = if points_first { m } else { transpose(&m) };
                matches_pattern(&m, pattern)
            } else {
                counts
                    .predicate(&op.name, points_first)
                    .unwrap_or_else(|| panic!("{name}: unknown op `{}`", op.name))
            };
            assert_eq!(
                got, op.expected,
                "{name}: {}({}, {}) {:?} with positions {positions:?}",
                op.name, op.arg1, op.arg2, op.arg3
            );
            tally.assertions += 1;
        }
    }
    tally.report(rel);
    tally
}

#[test]
fn relate_pa_general() {
    let t = run_file("jts/general/TestRelatePA.xml");
    assert!(t.native + t.scaled >= 10, "{t:?}");
    assert!(t.assertions >= 100, "{t:?}");
}

#[test]
fn relate_pa_validate() {
    let t = run_file("jts/validate/TestRelatePA.xml");
    assert!(t.native + t.scaled >= 35, "{t:?}");
    assert!(t.assertions >= 350, "{t:?}");
}

#[test]
fn prepared_point_predicate() {
    let t = run_file("jts/general/TestPreparedPointPredicate.xml");
    assert_eq!(t.native + t.scaled, 3, "{t:?}");
}

#[test]
fn wkt_parser_reads_what_the_suite_uses() {
    assert_eq!(parse_wkt("POINT(1 2)"), Geom::Points(vec![[1.0, 2.0]]));
    assert_eq!(parse_wkt("POINT EMPTY"), Geom::Points(vec![]));
    assert_eq!(
        parse_wkt("MULTIPOINT(EMPTY,(0 0), 3 4)"),
        Geom::Points(vec![[0.0, 0.0], [3.0, 4.0]])
    );
    assert_eq!(
        parse_wkt("MULTIPOLYGON (EMPTY, ((1 0,0 1,-1 0, 1 0)))"),
        Geom::Areal(vec![vec![vec![[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [1.0, 0.0]]]])
    );
    assert_eq!(
        parse_wkt("LINESTRING(0 0, 1 1)"),
        Geom::Other("LINESTRING".into())
    );
}
