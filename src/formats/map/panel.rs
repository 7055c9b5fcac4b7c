//! What the printable map has beside and below it: the rules and decisions tables, the
//! legend and the detail maps of the tracks denied near an edge.

use super::labels::{text_width, Placer, Rect};
use super::svg::{
    decorations, ACTIVE_FILL, ACTIVE_STROKE, ACTIVE_STYLE, BAND, DENY, EXCLUSION_STYLE, INACTIVE_STYLE,
    PANEL_W, PERMIT,
};
use super::{
    active_text, distance_text, escape, partner_texts, predicted_point, rule_text, short_name, zone_active,
    zone_standoff_m, Extent, MapScene, Projection, METRES_PER_DEGREE,
};
use crate::geometry::zone::{Zone, ZoneKind};
use crate::rules::engine::{Decision, Reason};
use std::fmt::Write as _;

/// Detail maps under the legend: at most this many, this wide.
const INSETS: usize = 4;
const INSET_W: f64 = 266.0;

impl MapScene<'_> {
    /// Detail maps, side by side from (`x`, `y`), of up to [`INSETS`] tracks denied near
    /// the edge of the sanctuary area (standoff not met, the uncertainty disc or the
    /// predicted point over the edge): there the standoff band and the disc are wide enough
    /// to see. Returns their height (0 without any).
    pub(super) fn insets(&self, p: usize, decisions: &[Decision], x: f64, y: f64, s: &mut String) -> f64 {
        let near_edge = |d: &Decision| {
            d.zone.is_some()
                && d.reasons.iter().any(|r| {
                    matches!(
                        r,
                        Reason::StandoffNotMet | Reason::PredictedPointOutside | Reason::OnBoundary
                    )
                })
        };
        let mut chosen: Vec<(usize, Extent)> = Vec::new();
        for (k, (t, d)) in self.tracks.iter().zip(decisions).enumerate() {
            if chosen.len() >= INSETS || !near_edge(d) {
                continue;
            }
            let standoff = d
                .zone
                .as_deref()
                .and_then(|z| self.plan().index().handle(z))
                .and_then(|h| zone_standoff_m(self.plan(), h.index(), p))
                .unwrap_or(0.0);
            let reach = [3.0 * standoff, 1.6 * t.uncertainty_m.unwrap_or(0.0), 5_000.0]
                .into_iter()
                .fold(0.0, f64::max);
            let (mut lon, mut lat) = (t.lon, t.lat);
            let mut half_h = reach / METRES_PER_DEGREE;
            if let Some((qlon, qlat)) = predicted_point(t) {
                // Show the track and its predicted point.
                lon = (lon + qlon) / 2.0;
                lat = (lat + qlat) / 2.0;
                half_h = half_h
                    .max((qlat - t.lat).abs() / 2.0 + 0.02)
                    .max((qlon - t.lon).abs() * lat.to_radians().cos() / 3.0 + 0.02);
            }
            let half_w = 1.5 * half_h / lat.to_radians().cos();
            let Some(e) = Extent::new(lon - half_w, lon + half_w, lat - half_h, lat + half_h) else {
                continue;
            };
            if chosen.iter().any(|(_, c)| {
                c.lon_min < t.lon && t.lon < c.lon_max && c.lat_min < t.lat && t.lat < c.lat_max
            }) {
                continue;
            }
            chosen.push((k, e));
        }
        if chosen.is_empty() {
            return 0.0;
        }
        let _ = writeln!(
            s,
            r##"<text x="{x:.1}" y="{:.1}" font-size="13" font-weight="bold">Details: tracks denied near the edge of the sanctuary area (to scale)</text>"##,
            y + 14.0
        );
        let (iw, ih) = (INSET_W, INSET_W / 1.5);
        for (n, (k, extent)) in chosen.into_iter().enumerate() {
            let (Some(t), Some(d)) = (self.tracks.get(k), decisions.get(k)) else {
                continue;
            };
            let x0 = x + n as f64 * (iw + 24.0);
            let y0 = y + 58.0;
            let proj = Projection::new(extent, iw, x0, y0);
            let clip = format!("inset{n}");
            let _ = writeln!(
                s,
                r##"<clipPath id="{clip}"><rect x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}"/></clipPath>"##,
                proj.width(),
                proj.height()
            );
            let _ = writeln!(
                s,
                r##"<text x="{x0:.1}" y="{:.1}" font-size="11.5"><tspan font-weight="bold">{}</tspan><tspan x="{x0:.1}" dy="14">{} · zone {} · margin {}</tspan></text>"##,
                y0 - 20.0,
                escape(&t.id),
                if d.is_permit() { "PERMIT" } else { "DENY" },
                escape(d.zone.as_deref().unwrap_or("–")),
                escape(&super::margin_text(d))
            );
            self.base(&proj, s, Some(p), &clip);
            let _ = writeln!(s, r##"<g clip-path="url(#{clip})">"##);
            self.band_tagged(&proj, p, &format!("{p}i{n}"), s);
            let mut placer = Placer::new(Rect {
                x0,
                y0,
                x1: x0 + proj.width(),
                y1: y0 + proj.height(),
            });
            decorations(&proj, s, &mut placer);
            self.track_marks(&proj, Some(decisions), s, &mut placer);
            s.push_str("</g>\n");
            let _ = writeln!(
                s,
                r##"<rect x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="#555" stroke-width="0.9"/>"##,
                proj.width(),
                proj.height()
            );
            let reasons = wrap(&d.reason_codes().replace(';', " "), 40);
            for (j, line) in reasons.iter().enumerate() {
                let _ = writeln!(
                    s,
                    r##"<text x="{x0:.1}" y="{:.1}" font-size="10.5" fill="{DENY}">{}</text>"##,
                    y0 + proj.height() + 14.0 + 13.0 * j as f64,
                    escape(line)
                );
            }
        }
        58.0 + ih + 46.0
    }

    /// The table of a phase's decisions at (`x`, `y`): track, verdict, margin, deciding
    /// zone and reasons; returns its height.
    pub(super) fn decisions_table(&self, decisions: &[Decision], x: f64, y: f64, s: &mut String) -> f64 {
        let mut yy = y + 12.0;
        let _ = writeln!(s, r##"<g font-size="10.5" fill="#222">"##);
        let _ = writeln!(
            s,
            r##"<text x="{x:.1}" y="{yy:.1}" font-size="13" font-weight="bold">Decisions</text>"##
        );
        yy += 18.0;
        let cols = [0.0, 128.0, 182.0, 246.0];
        table_header(s, x, yy, cols, ["track", "verdict", "margin", "zone · reasons"]);
        yy += 16.0;
        for (t, d) in self.tracks.iter().zip(decisions) {
            let (verdict, fill) = if d.is_permit() {
                ("PERMIT", PERMIT)
            } else {
                ("DENY", DENY)
            };
            let reasons = d.reason_codes().replace(';', " ");
            let why = match (d.zone.as_deref(), reasons.is_empty()) {
                (Some(z), true) => z.to_string(),
                (Some(z), false) => format!("{z} · {reasons}"),
                (None, _) => reasons,
            };
            for (k, line) in wrap(&why, 38).iter().enumerate() {
                if k == 0 {
                    let _ = write!(
                        s,
                        r##"<text y="{yy:.1}"><tspan x="{x:.1}">{}</tspan><tspan x="{:.1}" fill="{fill}" font-weight="bold">{verdict}</tspan><tspan x="{:.1}">{}</tspan></text>"##,
                        escape(&clip_text(&t.id, 20)),
                        x + cols[1],
                        x + cols[2],
                        escape(&super::margin_text(d))
                    );
                }
                let _ = writeln!(
                    s,
                    r##"<text x="{:.1}" y="{yy:.1}">{}</text>"##,
                    x + cols[3],
                    escape(line)
                );
                yy += 13.5;
            }
        }
        s.push_str("</g>\n");
        yy - y
    }

    /// The rules table of phase `p` at (`x`, `y`); returns its height.
    pub(super) fn rules_table(&self, p: usize, x: f64, y: f64, s: &mut String) -> f64 {
        let plan = self.plan();
        let zones = plan.index().zones();
        // Rule sets, lettered in order of first use.
        let mut sets: Vec<Vec<String>> = Vec::new();
        let mut rows = Vec::new();
        // Active sanctuaries, then exclusions, then the inactive sanctuaries.
        let mut order: Vec<usize> = (0..zones.len()).collect();
        order.sort_by_key(|&i| {
            let rank = match (zones.get(i).map(Zone::kind), zone_active(plan, i, p)) {
                (Some(ZoneKind::Sanctuary), true) => 0,
                (Some(ZoneKind::Exclusion), _) => 1,
                _ => 2,
            };
            (rank, i)
        });
        for i in order {
            let Some(zone) = zones.get(i) else { continue };
            let Some(zp) = plan.zone_plans().get(i) else {
                continue;
            };
            let active = zone_active(plan, i, p);
            let rules_col = if zone.kind() == ZoneKind::Exclusion {
                "never engage".to_string()
            } else {
                let texts: Vec<String> = zp.rules.iter().map(|r| rule_text(plan, r)).collect();
                let n = match sets.iter().position(|t| *t == texts) {
                    Some(n) => n,
                    None => {
                        sets.push(texts);
                        sets.len() - 1
                    }
                };
                let standoff = zone_standoff_m(plan, i, p).map_or_else(|| "no rule".into(), distance_text);
                format!("{} · {standoff}", set_letter(n))
            };
            rows.push((
                active,
                zone.kind(),
                zone.id().to_string(),
                short_name(zone),
                active_text(plan, i),
                rules_col,
            ));
        }
        let mut yy = y + 12.0;
        let _ = writeln!(s, r##"<g font-size="10.5" fill="#222">"##);
        let _ = writeln!(
            s,
            r##"<text x="{x:.1}" y="{yy:.1}" font-size="13" font-weight="bold">Zones and rules in phase {}</text>"##,
            escape(&super::phase_id(plan, p))
        );
        yy += 18.0;
        let cols = [0.0, 128.0, 248.0, 350.0];
        table_header(s, x, yy, cols, ["zone", "name", "active", "rules · standoff"]);
        yy += 16.0;
        for (active, kind, id, name, when, rules) in rows {
            let (mark, fill) = match (kind, active) {
                (ZoneKind::Exclusion, _) => ("✕ ", "#8e1c1c"),
                (_, true) => ("● ", "#143d17"),
                (_, false) => ("○ ", "#777"),
            };
            let weight = if active { "bold" } else { "normal" };
            let name = clip_text(&name, 17);
            let _ = writeln!(
                s,
                r##"<text y="{yy:.1}" fill="{fill}"><tspan x="{x:.1}" font-weight="{weight}">{mark}{}</tspan><tspan x="{:.1}">{}</tspan><tspan x="{:.1}">{}</tspan><tspan x="{:.1}">{}</tspan></text>"##,
                escape(&id),
                x + cols[1],
                escape(&name),
                x + cols[2],
                escape(&when),
                x + cols[3],
                escape(&rules)
            );
            yy += 14.0;
        }
        yy += 6.0;
        let _ = writeln!(
            s,
            r##"<text x="{x:.1}" y="{yy:.1}" font-weight="bold">Rule sets (class · weapons · altitudes · standoff · phases)</text>"##
        );
        yy += 15.0;
        for (n, texts) in sets.iter().enumerate() {
            for (j, t) in texts.iter().enumerate() {
                let prefix = if j == 0 {
                    format!("{}:", set_letter(n))
                } else {
                    String::new()
                };
                for (k, line) in wrap(t, 72).iter().enumerate() {
                    let _ = writeln!(
                        s,
                        r##"<text y="{yy:.1}"><tspan x="{x:.1}" font-weight="bold">{}</tspan><tspan x="{:.1}">{}{}</tspan></text>"##,
                        if k == 0 { prefix.as_str() } else { "" },
                        x + 18.0,
                        if k == 0 { "• " } else { "  " },
                        escape(line)
                    );
                    yy += 13.5;
                }
            }
        }
        yy += 6.0;
        let _ = writeln!(
            s,
            r##"<text x="{x:.1}" y="{yy:.1}" font-weight="bold">Partners and their caveats</text>"##
        );
        yy += 15.0;
        for t in partner_texts(plan) {
            for line in wrap(&t, 75) {
                let _ = writeln!(
                    s,
                    r##"<text x="{:.1}" y="{yy:.1}">{}</text>"##,
                    x + 6.0,
                    escape(&line)
                );
                yy += 13.5;
            }
        }
        s.push_str("</g>\n");
        yy - y
    }
}

/// The legend, two rows from (`x`, `y`).
pub(super) fn legend(s: &mut String, x0: f64, y: f64, band_m: Option<f64>) {
    let _ = writeln!(s, r##"<g font-size="11.5" fill="#222">"##);
    let band = band_m.map_or_else(
        || "standoff band".to_string(),
        |m| format!("standoff band ({}, to scale)", distance_text(m)),
    );
    let row1: [(String, String); 5] = [
        (
            format!(r##"<rect x="0" y="0" width="22" height="14" {ACTIVE_STYLE}/>"##),
            "active sanctuary".into(),
        ),
        (
            format!(r##"<rect x="0" y="0" width="22" height="14" {INACTIVE_STYLE}/>"##),
            "inactive sanctuary".into(),
        ),
        (
            format!(r##"<rect x="0" y="0" width="22" height="14" {EXCLUSION_STYLE}/>"##),
            "exclusion (never engage)".into(),
        ),
        (
            format!(
                r##"<rect x="0" y="0" width="22" height="14" fill="{ACTIVE_FILL}" stroke="{ACTIVE_STROKE}"/><rect x="0" y="0" width="5" height="14" fill="{BAND}"/>"##
            ),
            band,
        ),
        (
            r##"<path d="M0 7H22" stroke="#222" stroke-width="1.2"/>"##.to_string(),
            "national border".into(),
        ),
    ];
    let row2: [(String, String); 4] = [
        (format!(r##"<circle cx="11" cy="7" r="4.2" fill="{PERMIT}"/>"##), "track: PERMIT".into()),
        (format!(r##"<rect x="7" y="3" width="8.4" height="8.4" fill="{DENY}"/>"##), "track: DENY".into()),
        (r##"<circle cx="11" cy="7" r="6.5" fill="#888" fill-opacity="0.2" stroke="#666" stroke-dasharray="3 2"/>"##.to_string(), "position uncertainty (to scale)".into()),
        (r##"<path d="M0 7H14" stroke="#333" stroke-width="1.3" stroke-dasharray="4 2"/><path d="M18 2l5 5l-5 5l-5 -5Z" fill="#fff" stroke="#333"/>"##.to_string(), "predicted intercept point".into()),
    ];
    for (row, yy) in [(&row1[..], y), (&row2[..], y + 22.0)] {
        let mut x = x0;
        for (icon, text) in row {
            let _ = writeln!(
                s,
                r##"<g transform="translate({x:.1} {yy:.1})">{icon}</g><text x="{:.1}" y="{:.1}">{}</text>"##,
                x + 29.0,
                yy + 11.0,
                escape(text)
            );
            x += 29.0 + text_width(text, 11.5, false) + 16.0;
        }
    }
    s.push_str("</g>\n");
}

fn set_letter(n: usize) -> String {
    let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    letters
        .get(n..n + 1)
        .map_or_else(|| format!("R{}", n + 1), str::to_string)
}

fn clip_text(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Words wrapped to lines of at most `n` characters (a longer word has its own line).
pub(super) fn wrap(text: &str, n: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > n {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A table's bold column heads at `x + cols[i]` on the line `yy`, and the rule under them.
fn table_header(s: &mut String, x: f64, yy: f64, cols: [f64; 4], heads: [&str; 4]) {
    for (c, head) in cols.iter().zip(heads) {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{yy:.1}" font-weight="bold">{head}</text>"##,
            x + c
        );
    }
    let _ = writeln!(
        s,
        r##"<line x1="{x:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#888" stroke-width="0.6"/>"##,
        yy + 4.0,
        x + PANEL_W - 10.0,
        yy + 4.0
    );
}
