//! The printable map of one phase, and the layers the HTML page shares with it.

use super::labels::{text_width, Placer, Rect};
use super::panel::legend;
use super::{
    distance_text, escape, path_data, phase_start, phase_title, predicted_point, push_polyline, short_name,
    thin_polyline, zone_active, zone_rings, zone_standoff_m, zones_of, MapScene, Projection,
};
use crate::geometry::geodesy::geodesic_destination;
use crate::geometry::zone::{Zone, ZoneKind};
use crate::index::Location;
use crate::rules::engine::Decision;
use crate::rules::plan::PhaseHandle;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

pub(super) const PERMIT: &str = "#1b7a2c";
pub(super) const DENY: &str = "#c62828";
pub(super) const ACTIVE_FILL: &str = "#a5d6a7";
pub(super) const ACTIVE_STROKE: &str = "#2e7d32";
pub(super) const BAND: &str = "#e65100";
/// Space around the frame for the graticule's labels, pixels.
pub(super) const MARGIN: f64 = 40.0;
pub(super) const TITLE_H: f64 = 62.0;
pub(super) const PANEL_W: f64 = 490.0;

/// Patterns and markers the maps use (hatching and dots, so greyscale prints read).
pub(super) const DEFS: &str = r##"<pattern id="hatch" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="7" height="7" fill="#fbe3e3"/><line x1="0" y1="0" x2="0" y2="7" stroke="#c96464" stroke-width="1.6"/></pattern>
<pattern id="dots" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#f1f1f1"/><circle cx="3" cy="3" r="0.9" fill="#9a9a9a"/></pattern>
<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10Z" fill="#333"/></marker>"##;

/// Styles of the zone layers: exclusion, inactive sanctuary, active sanctuary.
pub(super) const EXCLUSION_STYLE: &str = r##"fill="url(#hatch)" stroke="#b23a3a" stroke-width="0.8""##;
pub(super) const INACTIVE_STYLE: &str =
    r##"fill="url(#dots)" stroke="#8a8a8a" stroke-width="0.6" stroke-dasharray="3 2""##;
pub(super) const ACTIVE_STYLE: &str = r##"fill="#a5d6a7" stroke="#2e7d32" stroke-width="1.1""##;

impl MapScene<'_> {
    /// The printable SVG map of one phase: zones, labels, standoff bands, graticule, scale
    /// bar, north arrow, tracks with their decisions, a rules table beside the map and a
    /// legend below it. See the [module](super) for what is drawn.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{map::MapScene, plan::{Identity, TargetClass}, Engine, Plan, Track};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let tracks = [Track::new("kyiv-bm", 30.52, 50.45, 20_000.0, TargetClass::BallisticMissile, Identity::Hostile)];
    /// let scene = MapScene::new(&engine, &tracks);
    /// let svg = scene.svg(engine.plan().phase("3").ok_or("no phase 3")?);
    /// assert!(svg.contains("Phase 3: Kyiv") && svg.contains("from 2027-06-01"));
    /// assert!(svg.contains(">Kyiv city<") && svg.contains(">kyiv-bm<"));
    /// assert!(svg.contains("standoff band"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn svg(&self, phase: PhaseHandle) -> String {
        let p = phase.index();
        let plan = self.plan();
        let decisions = self.decisions(phase);
        let proj = self.projection(MARGIN, TITLE_H + 24.0);
        let (w, h) = (proj.width(), proj.height());
        let panel_x = proj.x0 + w + MARGIN + 16.0;
        let mut panel = String::new();
        let rules_h = self.rules_table(p, panel_x, proj.y0, &mut panel);
        let panel_h =
            rules_h + self.decisions_table(&decisions, panel_x, proj.y0 + rules_h + 10.0, &mut panel) + 10.0;
        let legend_y = proj.y0 + h + MARGIN - 6.0;
        let width = panel_x + PANEL_W;
        let mut insets = String::new();
        let insets_h = self.insets(p, &decisions, MARGIN, legend_y + 58.0, &mut insets);
        let height = (legend_y + 58.0 + insets_h).max(proj.y0 + panel_h + 10.0);
        let mut s = String::with_capacity(1 << 20);
        let _ = writeln!(
            s,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="DejaVu Sans, Verdana, Arial, sans-serif">"##
        );
        let _ = writeln!(
            s,
            r##"<defs>{DEFS}<clipPath id="frame"><rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{h:.1}"/></clipPath></defs>
<rect width="100%" height="100%" fill="#ffffff"/>"##,
            proj.x0, proj.y0
        );
        let permits = decisions.iter().filter(|d| d.is_permit()).count();
        let _ = writeln!(
            s,
            r##"<text x="{MARGIN}" y="28" font-size="21" font-weight="bold">{} <tspan font-weight="normal" fill="#333">({})</tspan></text>
<text x="{MARGIN}" y="50" font-size="12.5" fill="#333">{} · {} tracks: {permits} permit, {} deny · plan {}</text>"##,
            escape(&phase_title(plan, p)),
            escape(&phase_start(plan, p)),
            escape(plan.name()),
            decisions.len(),
            decisions.len() - permits,
            plan.hash().to_string().get(..12).unwrap_or_default()
        );
        self.base(&proj, &mut s, Some(p), "frame");
        let _ = writeln!(s, r##"<g clip-path="url(#frame)">"##);
        self.band(&proj, p, &mut s);
        self.marks_and_labels(&proj, p, &decisions, &mut s);
        s.push_str("</g>\n");
        let _ = writeln!(
            s,
            r##"<rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{h:.1}" fill="none" stroke="#555" stroke-width="0.9"/>"##,
            proj.x0, proj.y0
        );
        s.push_str(&panel);
        legend(&mut s, MARGIN, legend_y, self.band_m(p));
        s.push_str(&insets);
        s.push_str("</svg>\n");
        s
    }

    /// Decorations, track marks, then labels (tracks', zones'), each placed clear of what
    /// came before; returns the placer, which knows every box.
    fn marks_and_labels(
        &self,
        proj: &Projection,
        p: usize,
        decisions: &[Decision],
        s: &mut String,
    ) -> Placer {
        let mut placer = Placer::new(Rect {
            x0: proj.x0,
            y0: proj.y0,
            x1: proj.x0 + proj.width(),
            y1: proj.y0 + proj.height(),
        });
        decorations(proj, s, &mut placer);
        self.track_marks(proj, Some(decisions), s, &mut placer);
        self.track_labels(proj, s, &mut placer);
        self.zone_labels(proj, p, s, &mut placer);
        placer
    }

    /// The smallest standoff drawn in a phase (for the legend).
    fn band_m(&self, p: usize) -> Option<f64> {
        (0..self.plan().zone_plans().len())
            .filter(|&i| zone_active(self.plan(), i, p))
            .filter_map(|i| zone_standoff_m(self.plan(), i, p))
            .fold(None, |a: Option<f64>, s| Some(a.map_or(s, |a| a.min(s))))
    }

    /// Water, land (the outline), the zones and the outline's line, the graticule. With a
    /// phase, zones are styled as active or not in it; without one (the HTML page), each
    /// zone carries an id and classes (`z`, `s` or `x`) for a script to style.
    pub(super) fn base(&self, proj: &Projection, s: &mut String, phase: Option<usize>, clip: &str) {
        let (w, h) = (proj.width(), proj.height());
        let _ = writeln!(
            s,
            r##"<rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{h:.1}" fill="#d9e9f4"/>"##,
            proj.x0, proj.y0
        );
        let _ = writeln!(s, r##"<g clip-path="url(#{clip})" stroke-linejoin="round">"##);
        for zone in self.outline {
            let d = path_data(proj, &zone_rings(zone));
            let _ = writeln!(s, r##"<path d="{d}" fill-rule="evenodd" fill="#faf8f0"/>"##);
        }
        let plan = self.plan();
        let zones = plan.index().zones();
        let mut order: Vec<usize> = (0..zones.len()).collect();
        // Exclusions under sanctuaries; inactive sanctuaries under active ones.
        let rank = |i: usize| -> u8 {
            match (
                zones.get(i).map(Zone::kind),
                phase.map(|p| zone_active(plan, i, p)),
            ) {
                (Some(ZoneKind::Exclusion), _) => 0,
                (_, Some(false)) => 1,
                _ => 2,
            }
        };
        order.sort_by_key(|&i| (rank(i), i));
        for i in order {
            let Some(zone) = zones.get(i) else { continue };
            if !self.raster.shows(i) && !touches_frame(proj, zone) {
                continue;
            }
            let d = path_data(proj, &zone_rings(zone));
            if d.is_empty() {
                continue;
            }
            let title = escape(&format!("{} ({})", zone.name().unwrap_or(zone.id()), zone.id()));
            match phase {
                Some(p) => {
                    let style = match (zone.kind(), zone_active(plan, i, p)) {
                        (ZoneKind::Exclusion, _) => EXCLUSION_STYLE,
                        (ZoneKind::Sanctuary, false) => INACTIVE_STYLE,
                        (ZoneKind::Sanctuary, true) => ACTIVE_STYLE,
                    };
                    let _ = writeln!(
                        s,
                        r##"<path d="{d}" fill-rule="evenodd" {style}><title>{title}</title></path>"##
                    );
                }
                None => {
                    let kind = if zone.kind() == ZoneKind::Exclusion {
                        "x"
                    } else {
                        "s"
                    };
                    let _ = writeln!(
                        s,
                        r##"<path id="z{i}" class="z {kind}" data-i="{i}" d="{d}" fill-rule="evenodd"><title>{title}</title></path>"##
                    );
                }
            }
        }
        for zone in self.outline {
            let d = path_data(proj, &zone_rings(zone));
            let _ = writeln!(
                s,
                r##"<path d="{d}" fill="none" stroke="#222" stroke-width="1.2"/>"##
            );
        }
        self.graticule(proj, s);
        s.push_str("</g>\n");
        if clip == "frame" {
            self.graticule_labels(proj, s);
        }
    }

    fn graticule(&self, proj: &Projection, s: &mut String) {
        let e = proj.extent;
        let mut d = String::new();
        for lon in (e.lon_min.ceil() as i32)..=(e.lon_max.floor() as i32) {
            let (x, y0) = proj.xy(f64::from(lon), e.lat_max);
            let _ = write!(d, "M{x:.1} {y0:.1}V{:.1}", proj.y0 + proj.height());
        }
        for lat in (e.lat_min.ceil() as i32)..=(e.lat_max.floor() as i32) {
            let (x0, y) = proj.xy(e.lon_min, f64::from(lat));
            let _ = write!(d, "M{x0:.1} {y:.1}H{:.1}", proj.x0 + proj.width());
        }
        let _ = writeln!(
            s,
            r##"<path class="grat" d="{d}" fill="none" stroke="#5a7a94" stroke-width="0.5" stroke-opacity="0.7" stroke-dasharray="2 3"/>"##
        );
    }

    /// Degree labels outside the frame: longitudes above and below, latitudes left and right.
    fn graticule_labels(&self, proj: &Projection, s: &mut String) {
        let e = proj.extent;
        let (top, bottom) = (proj.y0 - 5.0, proj.y0 + proj.height() + 13.0);
        let (left, right) = (proj.x0 - 4.0, proj.x0 + proj.width() + 4.0);
        let _ = writeln!(s, r##"<g class="gl" font-size="10.5" fill="#333">"##);
        for lon in (e.lon_min.ceil() as i32)..=(e.lon_max.floor() as i32) {
            let (x, _) = proj.xy(f64::from(lon), e.lat_max);
            let t = degree_text(lon, 'E', 'W');
            let _ = writeln!(
                s,
                r##"<text x="{x:.1}" y="{top:.1}" text-anchor="middle">{t}</text><text x="{x:.1}" y="{bottom:.1}" text-anchor="middle">{t}</text>"##
            );
        }
        for lat in (e.lat_min.ceil() as i32)..=(e.lat_max.floor() as i32) {
            let (_, y) = proj.xy(e.lon_min, f64::from(lat));
            let t = degree_text(lat, 'N', 'S');
            let _ = writeln!(
                s,
                r##"<text x="{left:.1}" y="{:.1}" text-anchor="end">{t}</text><text x="{right:.1}" y="{:.1}">{t}</text>"##,
                y + 3.5,
                y + 3.5
            );
        }
        s.push_str("</g>\n");
    }

    /// The standoff band of phase `p`: inside the edge of the area of the active
    /// sanctuaries, as wide as each zone's smallest standoff in the phase, to scale.
    /// Edges two active sanctuaries share, and edges inside another active sanctuary, are
    /// not the area's edge and get no band.
    pub(super) fn band(&self, proj: &Projection, p: usize, s: &mut String) {
        self.band_tagged(proj, p, &p.to_string(), s);
    }

    /// [`Self::band`], its clip path named `area<tag>`.
    pub(super) fn band_tagged(&self, proj: &Projection, p: usize, tag: &str, s: &mut String) {
        let plan = self.plan();
        let zones = plan.index().zones();
        let active = zones_of(plan, ZoneKind::Sanctuary, p, true);
        if active.is_empty() {
            return;
        }
        let rings: BTreeMap<usize, Vec<Vec<[f64; 2]>>> = active
            .iter()
            .filter_map(|&i| zones.get(i).map(|z| (i, zone_rings(z))))
            .collect();
        let key = |a: [f64; 2], b: [f64; 2]| (a[0].to_bits(), a[1].to_bits(), b[0].to_bits(), b[1].to_bits());
        let mut edges = HashSet::new();
        for ring in rings.values().flatten() {
            for pair in ring.windows(2) {
                if let [a, b] = pair {
                    edges.insert(key(*a, *b));
                }
            }
        }
        let _ = writeln!(s, r##"<clipPath id="area{tag}">"##);
        for i in &active {
            let _ = write!(
                s,
                r##"<path d="{}"/>"##,
                path_data(proj, rings.get(i).map_or(&[][..], |r| &r[..]))
            );
        }
        s.push_str("</clipPath>\n");
        let mut loc = Location::default();
        let _ = writeln!(
            s,
            r##"<g class="band" clip-path="url(#area{tag})" fill="none" stroke="{BAND}" stroke-opacity="0.85" stroke-linejoin="round">"##
        );
        for (&i, zone_rings) in &rings {
            let Some(standoff) = zone_standoff_m(plan, i, p) else {
                continue;
            };
            let width = 2.0 * standoff * proj.px_per_m();
            let mut d = String::new();
            for ring in zone_rings {
                let mut run: Vec<[f64; 2]> = Vec::new();
                for pair in ring.windows(2) {
                    let [a, b] = pair else { continue };
                    let (mx, my) = ((a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0);
                    let inside_other = plan.index().locate_into(mx, my, &mut loc).is_ok()
                        && loc
                            .inside
                            .iter()
                            .any(|h| h.index() != i && active.contains(&h.index()));
                    let edge = !edges.contains(&key(*b, *a)) && !inside_other;
                    if edge {
                        if run.is_empty() {
                            run.push(*a);
                        }
                        run.push(*b);
                    } else if !run.is_empty() {
                        push_polyline(&mut d, &thin_polyline(proj, &run));
                        run.clear();
                    }
                }
                if !run.is_empty() {
                    push_polyline(&mut d, &thin_polyline(proj, &run));
                }
            }
            if !d.is_empty() {
                let _ = writeln!(
                    s,
                    r##"<path d="{d}" stroke-width="{width:.2}"><title>standoff band, {}</title></path>"##,
                    distance_text(standoff)
                );
            }
        }
        s.push_str("</g>\n");
    }

    /// The tracks: uncertainty discs to scale, lines to the predicted intercept points,
    /// then the marks (a circle for a permit, a square for a deny). With decisions, marks
    /// are coloured by them; without (the HTML page), each track is a group `t` with both
    /// marks for a script to choose.
    pub(super) fn track_marks(
        &self,
        proj: &Projection,
        decisions: Option<&[Decision]>,
        s: &mut String,
        placer: &mut Placer,
    ) {
        for (k, t) in self.tracks.iter().enumerate() {
            let (x, y) = proj.xy(t.lon, t.lat);
            let permit = decisions.and_then(|d| d.get(k)).map(Decision::is_permit);
            let colour = match permit {
                Some(true) => PERMIT,
                Some(false) => DENY,
                None => "currentColor",
            };
            let _ = write!(
                s,
                r##"<g class="t" data-t="{k}" color="#555"><title>{}</title>"##,
                escape(&format!("{}: {}", t.id, super::track_text(t)))
            );
            if let Some(r) = t.uncertainty_m.filter(|r| r.is_finite() && *r > 0.0) {
                let ring: Vec<[f64; 2]> = (0..=72)
                    .map(|j| {
                        let (lon, lat) = geodesic_destination(t.lon, t.lat, f64::from(j % 72) * 5.0, r);
                        [lon, lat]
                    })
                    .collect();
                let d = path_data(proj, &[ring]);
                let _ = write!(
                    s,
                    r##"<path d="{d}" fill="{colour}" fill-opacity="0.16" stroke="{colour}" stroke-width="1.2" stroke-dasharray="4 2"/>"##
                );
            }
            if let Some((qlon, qlat)) = predicted_point(t) {
                let (qx, qy) = proj.xy(qlon, qlat);
                let _ = write!(
                    s,
                    r##"<line x1="{x:.1}" y1="{y:.1}" x2="{qx:.1}" y2="{qy:.1}" stroke="#333" stroke-width="1.3" stroke-dasharray="4 2" marker-end="url(#arrow)"/><path class="pp" data-x="{qx:.1}" data-y="{qy:.1}" d="M{qx:.1} {:.1}l5 5l-5 5l-5 -5Z" fill="#fff" stroke="#333" stroke-width="1.3"><title>predicted intercept point</title></path>"##,
                    qy - 5.0
                );
                placer.take(Rect {
                    x0: x.min(qx) - 6.0,
                    y0: y.min(qy) - 6.0,
                    x1: x.max(qx) + 6.0,
                    y1: y.max(qy) + 6.0,
                });
            }
            let r = if t.uncertainty_m.is_some() { 3.2 } else { 4.2 };
            if permit != Some(false) {
                let _ = write!(
                    s,
                    r##"<circle class="ci" cx="{x:.1}" cy="{y:.1}" r="{r}" fill="{colour}" stroke="#fff" stroke-width="1.3"/>"##
                );
            }
            if permit != Some(true) {
                let _ = write!(
                    s,
                    r##"<rect class="sq" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{colour}" stroke="#fff" stroke-width="1.3"/>"##,
                    x - r,
                    y - r,
                    2.0 * r,
                    2.0 * r
                );
            }
            s.push_str("</g>\n");
            placer.take(Rect::around(x, y, 6.0));
        }
    }

    /// Each track's id beside its mark, clear of the other marks and labels.
    pub(super) fn track_labels(&self, proj: &Projection, s: &mut String, placer: &mut Placer) {
        const SIZE: f64 = 11.0;
        let _ = writeln!(
            s,
            r##"<g class="tl" font-size="{SIZE}" fill="#111" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">"##
        );
        for (k, t) in self.tracks.iter().enumerate() {
            let (x, y) = proj.xy(t.lon, t.lat);
            let mut text = t.id.to_string();
            if let Some(u) = t.uncertainty_m.filter(|u| *u >= 1000.0) {
                let _ = write!(text, " ±{}", distance_text(u));
            }
            let w = text_width(&text, SIZE, false);
            let candidates: [(f64, f64); 14] = [
                (8.0, 0.0),
                (-8.0 - w, 0.0),
                (-w / 2.0, -11.0),
                (-w / 2.0, 11.0),
                (6.0, -10.0),
                (6.0, 10.0),
                (-6.0 - w, -10.0),
                (-6.0 - w, 10.0),
                (-w / 2.0, -22.0),
                (-w / 2.0, 22.0),
                (4.0, -21.0),
                (4.0, 21.0),
                (-4.0 - w, -21.0),
                (-4.0 - w, 21.0),
            ];
            let rect_at = |(dx, dy): (f64, f64)| Rect {
                x0: x + dx,
                y0: y + dy - 7.0,
                x1: x + dx + w,
                y1: y + dy + 6.0,
            };
            let rect = candidates
                .iter()
                .map(|&c| rect_at(c))
                .find(|r| placer.free(r))
                .unwrap_or_else(|| rect_at((8.0, 0.0)));
            placer.take_label(rect);
            let _ = writeln!(
                s,
                r##"<text data-t="{k}" data-x="{x:.1}" data-y="{y:.1}" x="{:.1}" y="{:.1}">{}</text>"##,
                rect.x0,
                rect.y1 - 3.0,
                escape(&text)
            );
        }
        s.push_str("</g>\n");
    }

    /// Labels of the zones of phase `p`: every active zone (sanctuary or exclusion) in the
    /// frame, by name and id, with a leader line when it does not fit inside; then the
    /// inactive sanctuaries, in grey, only where they fit inside.
    pub(super) fn zone_labels(&self, proj: &Projection, p: usize, s: &mut String, placer: &mut Placer) {
        let plan = self.plan();
        let zones = plan.index().zones();
        let active_sanct = zones_of(plan, ZoneKind::Sanctuary, p, true);
        let exclusions = zones_of(plan, ZoneKind::Exclusion, p, true);
        let inactive = zones_of(plan, ZoneKind::Sanctuary, p, false);
        let _ = writeln!(
            s,
            r##"<g class="zl" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke" text-anchor="middle">"##
        );
        for (list, must) in [(&active_sanct, true), (&exclusions, true), (&inactive, false)] {
            for &i in list {
                let Some(zone) = zones.get(i) else { continue };
                if !self.raster.shows(i) {
                    continue;
                }
                let name = short_name(zone);
                let (fill, name_size) = match (zone.kind(), must) {
                    (ZoneKind::Exclusion, _) => ("#8e1c1c", 12.0),
                    (_, true) => ("#143d17", 11.5),
                    (_, false) => ("#666", 10.0),
                };
                let w = text_width(&name, name_size, true).max(text_width(zone.id(), 9.0, false)) + 4.0;
                let h = name_size + 12.0;
                let placed = self.raster.place(i, w, h, (proj.x0, proj.y0), must, placer);
                let Some((rect, leader)) = placed else { continue };
                let cx = (rect.x0 + rect.x1) / 2.0;
                if let Some([ax, ay, ex, ey]) = leader {
                    let _ = write!(
                        s,
                        r##"<g class="ld"><path d="M{ax:.1} {ay:.1}L{ex:.1} {ey:.1}" stroke="{fill}" stroke-width="0.9" fill="none"/><circle cx="{ax:.1}" cy="{ay:.1}" r="1.8" fill="{fill}" stroke="none"/></g>"##
                    );
                }
                let style = if must { "" } else { r##" font-style="italic""## };
                let _ = writeln!(
                    s,
                    r##"<text data-z="{i}" x="{cx:.1}" y="{:.1}" fill="{fill}"{style}><tspan font-size="{name_size}" font-weight="bold">{}</tspan><tspan x="{cx:.1}" dy="{:.1}" font-size="9">{}</tspan></text>"##,
                    rect.y0 + name_size,
                    escape(&name),
                    10.5,
                    escape(zone.id())
                );
            }
        }
        s.push_str("</g>\n");
    }
}

/// The scale bar (bottom left) and the north arrow (top right), inside the frame.
pub(super) fn decorations(proj: &Projection, s: &mut String, placer: &mut Placer) {
    let px_per_km = proj.px_per_m() * 1000.0;
    let km = [500.0, 200.0, 100.0, 50.0, 20.0, 10.0, 5.0, 2.0, 1.0]
        .into_iter()
        .find(|k| k * px_per_km <= proj.width() / 4.0)
        .unwrap_or(1.0);
    let len = km * px_per_km;
    let (x, y) = (proj.x0 + 14.0, proj.y0 + proj.height() - 16.0);
    let box_ = Rect {
        x0: x - 8.0,
        y0: y - 24.0,
        x1: x + len + 40.0,
        y1: y + 10.0,
    };
    placer.take(box_);
    let half = len / 2.0;
    let _ = writeln!(
        s,
        r##"<g class="scalebar" font-size="10.5" fill="#222"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#fff" fill-opacity="0.85" stroke="#999" stroke-width="0.5"/><rect x="{x:.1}" y="{:.1}" width="{half:.1}" height="5" fill="#222"/><rect x="{:.1}" y="{:.1}" width="{half:.1}" height="5" fill="#fff" stroke="#222" stroke-width="0.8"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">0</text><text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text><text x="{:.1}" y="{:.1}" text-anchor="start">{} km</text><text x="{:.1}" y="{:.1}" font-size="8.5" fill="#555">true at {:.1}°</text></g>"##,
        box_.x0,
        box_.y0,
        box_.x1 - box_.x0,
        box_.y1 - box_.y0,
        y - 5.0,
        x + half,
        y - 5.0,
        y - 9.0,
        x + half,
        y - 9.0,
        km / 2.0,
        x + len,
        y - 9.0,
        km,
        x,
        y + 7.0,
        proj.extent.mid_lat()
    );
    let (nx, ny) = (proj.x0 + proj.width() - 24.0, proj.y0 + 14.0);
    placer.take(Rect {
        x0: nx - 14.0,
        y0: ny - 6.0,
        x1: nx + 14.0,
        y1: ny + 40.0,
    });
    let _ = writeln!(
        s,
        r##"<g class="north"><path d="M{nx:.1} {ny:.1}l9 26l-9 -7l-9 7Z" fill="#222" stroke="#fff" stroke-width="1"/><text x="{nx:.1}" y="{:.1}" font-size="13" font-weight="bold" text-anchor="middle" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">N</text></g>"##,
        ny + 39.0
    );
}

fn touches_frame(proj: &Projection, zone: &Zone) -> bool {
    let [w, south, e, n] = zone.bounds();
    let ex = proj.extent;
    w <= ex.lon_max && e >= ex.lon_min && south <= ex.lat_max && n >= ex.lat_min
}

fn degree_text(v: i32, pos: char, neg: char) -> String {
    if v >= 0 {
        format!("{v}°{pos}")
    } else {
        format!("{}°{neg}", -v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Identity, TargetClass};
    use crate::rules::engine::Engine;
    use crate::rules::plan::Plan;
    use crate::Track;

    #[test]
    fn labels_never_overlap_and_every_active_zone_is_named() -> Result<(), Box<dyn std::error::Error>> {
        let engine = Engine::new(Plan::safe_haven()?);
        // Crowded places: the Polish border, Kyiv, a circle.
        let tracks: Vec<Track> = [
            (23.06, 49.9),
            (23.6, 50.3),
            (24.03, 49.84),
            (22.78, 49.5),
            (25.07, 49.8),
            (30.52, 50.45),
            (31.25, 47.85),
            (30.55, 46.0),
        ]
        .iter()
        .enumerate()
        .map(|(k, &(lon, lat))| {
            Track::new(
                format!("t{k}-uas"),
                lon,
                lat,
                500.0,
                TargetClass::Uas,
                Identity::Hostile,
            )
        })
        .collect();
        let scene = MapScene::new(&engine, &tracks);
        let plan = engine.plan();
        for handle in plan.phase_handles() {
            let p = handle.index();
            let proj = scene.projection(MARGIN, TITLE_H);
            let mut s = String::new();
            let placer = scene.marks_and_labels(&proj, p, &scene.decisions(handle), &mut s);
            assert!(
                placer.label_clashes().is_empty(),
                "phase {p}: {:?}",
                placer.label_clashes()
            );
            let active = (0..plan.zone_plans().len())
                .filter(|&i| zone_active(plan, i, p))
                .count();
            assert!(placer.label_count() >= tracks.len() + active, "phase {p}");
            for (i, zone) in plan.index().zones().iter().enumerate() {
                if zone_active(plan, i, p) {
                    assert!(
                        s.contains(&format!(r#"data-z="{i}""#)),
                        "phase {p}: {}",
                        zone.id()
                    );
                }
            }
        }
        Ok(())
    }

    #[test]
    fn uncertainty_discs_are_drawn_to_scale() -> Result<(), Box<dyn std::error::Error>> {
        let engine = Engine::new(Plan::safe_haven()?);
        let tracks = [
            Track::new("u", 31.0, 48.2, 500.0, TargetClass::Uas, Identity::Hostile).with_uncertainty(7_500.0),
        ];
        let scene = MapScene::new(&engine, &tracks);
        let proj = scene.projection(0.0, 0.0);
        let mut s = String::new();
        let mut placer = Placer::new(Rect::around(0.0, 0.0, 1e6));
        scene.track_marks(&proj, None, &mut s, &mut placer);
        // The disc is the group's first path: its height is the diameter, in pixels.
        let d = s
            .split(r#"<path d=""#)
            .nth(1)
            .and_then(|p| p.split('"').next())
            .ok_or("no disc")?;
        let ys: Vec<f64> = d
            .split(['M', 'L', 'Z'])
            .filter_map(|pair| pair.split(' ').nth(1).and_then(|y| y.parse::<f64>().ok()))
            .collect();
        let (lo, hi) = ys.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &y| {
            (a.min(y), b.max(y))
        });
        let expected = 2.0 * 7_500.0 * proj.px_per_m();
        assert!(
            ((hi - lo) - expected).abs() < 0.02 * expected,
            "{} px drawn, {expected} px expected",
            hi - lo
        );
        // The dot is smaller than the disc.
        assert!(expected > 4.0 * 3.2, "{expected}");
        Ok(())
    }

    #[test]
    fn tracks_denied_near_the_edge_get_a_detail_map() -> Result<(), Box<dyn std::error::Error>> {
        let engine = Engine::new(Plan::safe_haven()?);
        // About 1 km inside Lviv oblast from the Polish border: the 2 km standoff is not met
        // in phase 1; deep inside Lviv oblast: a permit, no detail.
        let tracks = [
            Track::new(
                "edge-uas",
                23.058,
                49.9,
                500.0,
                TargetClass::Uas,
                Identity::Hostile,
            ),
            Track::new(
                "deep-uas",
                24.03,
                49.84,
                500.0,
                TargetClass::Uas,
                Identity::Hostile,
            ),
        ];
        let scene = MapScene::new(&engine, &tracks);
        let phase = |id: &str| engine.plan().phase(id).ok_or("no such phase");
        let one = scene.svg(phase("1")?);
        assert!(one.contains(r#"<clipPath id="inset0">"#), "no detail map");
        assert!(!one.contains(r#"<clipPath id="inset1">"#), "one detail map only");
        assert!(one.contains(r#"<tspan font-weight="bold">edge-uas</tspan>"#));
        assert!(!one.contains(r#"<tspan font-weight="bold">deep-uas</tspan>"#));
        // Phase 0 has no sanctuary: every track is outside, none near an edge.
        assert!(!scene.svg(phase("0")?).contains("inset0"));
        Ok(())
    }

    #[test]
    fn the_band_leaves_out_borders_between_active_sanctuaries() -> Result<(), Box<dyn std::error::Error>> {
        let engine = Engine::new(Plan::safe_haven()?);
        let scene = MapScene::new(&engine, &[]);
        let proj = scene.projection(0.0, 0.0);
        // Band points near the line between Lviv and Ternopil oblasts (at 49.8°N): an
        // edge of the sanctuary area in phase 1 (Ternopil is not active yet), inside it
        // from phase 2, when both are. Phase 0 has no sanctuary and no band.
        let (bx, by) = proj.xy(25.08, 49.8);
        let near = |phase: &str| -> Result<(usize, usize), Box<dyn std::error::Error>> {
            let p = engine.plan().phase(phase).ok_or("phase")?.index();
            let mut s = String::new();
            scene.band(&proj, p, &mut s);
            let mut points = 0;
            let mut close = 0;
            // The band's own paths, after the clip path of the area.
            let band = s.split("class=\"band\"").nth(1).unwrap_or("");
            for path in band.split(" d=\"").skip(1) {
                let d = path.split('"').next().unwrap_or("");
                for pair in d.split(['M', 'L']).filter(|t| !t.is_empty()) {
                    let mut xy = pair.split(' ').filter_map(|v| v.parse::<f64>().ok());
                    if let (Some(x), Some(y)) = (xy.next(), xy.next()) {
                        points += 1;
                        if (x - bx).hypot(y - by) < 6.0 {
                            close += 1;
                        }
                    }
                }
            }
            Ok((points, close))
        };
        let (p0, _) = near("0")?;
        let (p1, c1) = near("1")?;
        let (p2, c2) = near("2")?;
        assert_eq!(p0, 0);
        assert!(p1 > 100 && c1 > 0, "{p1} {c1}");
        assert!(p2 > p1 && c2 == 0, "{p2} {c2}");
        Ok(())
    }
}
