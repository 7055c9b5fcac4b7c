//! The interactive page: one self-contained HTML file (inline SVG, CSS, data and script;
//! no network request of any kind, enforced by its Content-Security-Policy).

use super::labels::{Placer, Rect};
use super::svg::{decorations, DEFS, MARGIN};
use super::{
    active_text, distance_text, escape, margin_text, partner_texts, phase_id, phase_start, rule_text,
    track_text, zone_active, zone_standoff_m, MapScene,
};
use crate::geometry::zone::ZoneKind;
use crate::rules::plan::PhaseHandle;
use serde_json::{json, Value};
use std::fmt::Write as _;

/// The page's Content-Security-Policy: nothing may be fetched; inline script and style
/// only, images only from `data:` URLs.
///
/// # Example
/// ```
/// use sanctuary::{map::{MapScene, PAGE_CSP}, Engine, Plan};
/// let engine = Engine::new(Plan::safe_haven()?);
/// let html = MapScene::new(&engine, &[]).html();
/// assert!(PAGE_CSP.starts_with("default-src 'none'"));
/// assert!(html.contains(&format!(r#"http-equiv="Content-Security-Policy" content="{PAGE_CSP}""#)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const PAGE_CSP: &str =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

const PAGE_CSS: &str = include_str!("page.css");
const PAGE_JS: &str = include_str!("page.js");

impl MapScene<'_> {
    /// One self-contained interactive HTML page of the whole plan: a phase selector that
    /// redraws the active zones, their labels and standoff bands and the decisions; pan
    /// and zoom (wheel, drag, buttons); hover or click a zone for its rules and partners;
    /// click a track, or its row in the table of decisions, for its decision, reasons and
    /// margin (the track is highlighted on the map).
    ///
    /// The page needs no network: the map is inline SVG, the data inline JSON, the script
    /// and styles inline, and its Content-Security-Policy ([`PAGE_CSP`]) blocks any
    /// request. `#phase=<id>` in the address opens a phase; `#selftest` runs a check of
    /// every phase and writes what the page shows into `<pre id="selftest">` (one line per
    /// finding, for a headless browser's `--dump-dom`).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{map::MapScene, plan::{Identity, TargetClass}, Engine, Plan, Track};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let tracks = [Track::new("lviv-uas", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile)];
    /// let html = MapScene::new(&engine, &tracks).html();
    /// assert!(html.starts_with("<!DOCTYPE html>"));
    /// assert!(html.contains(r#"<option value="6">"#) && html.contains("\"lviv-uas\""));
    /// assert!(!html.contains("http://") && !html.contains("https://"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn html(&self) -> String {
        let plan = self.plan();
        let proj = self.projection(MARGIN, MARGIN);
        let (w, h) = (proj.width() + 2.0 * MARGIN, proj.height() + 2.0 * MARGIN);
        let handles: Vec<PhaseHandle> = plan.phase_handles().collect();

        let mut map = String::with_capacity(1 << 21);
        let _ = writeln!(
            map,
            r##"<svg id="map" viewBox="0 0 {w:.0} {h:.0}" preserveAspectRatio="xMidYMid meet" font-family="DejaVu Sans, Verdana, Arial, sans-serif"><defs>{DEFS}<clipPath id="frame"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}"/></clipPath></defs>"##,
            proj.x0,
            proj.y0,
            proj.width(),
            proj.height()
        );
        self.base(&proj, &mut map, None, "frame");
        let mut placer = Placer::new(Rect {
            x0: proj.x0,
            y0: proj.y0,
            x1: proj.x0 + proj.width(),
            y1: proj.y0 + proj.height(),
        });
        let mut marks = String::new();
        let _ = writeln!(marks, r##"<g clip-path="url(#frame)">"##);
        decorations(&proj, &mut marks, &mut placer);
        self.track_marks(&proj, None, &mut marks, &mut placer);
        self.track_labels(&proj, &mut marks, &mut placer);
        marks.push_str("</g>\n");
        let _ = writeln!(map, r##"<g clip-path="url(#frame)">"##);
        for handle in &handles {
            let p = handle.index();
            let _ = writeln!(map, r##"<g class="ph" data-p="{p}">"##);
            self.band(&proj, p, &mut map);
            let mut phase_placer = placer.clone();
            self.zone_labels(&proj, p, &mut map, &mut phase_placer);
            map.push_str("</g>\n");
        }
        map.push_str("</g>\n");
        map.push_str(&marks);
        let _ = writeln!(
            map,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="#555" stroke-width="0.9"/></svg>"##,
            proj.x0,
            proj.y0,
            proj.width(),
            proj.height()
        );

        let mut data = self.page_data(&handles);
        if let Some(obj) = data.as_object_mut() {
            // Map units (pixels of the drawing) per kilometre, true at the middle latitude.
            obj.insert("unitsPerKm".into(), json!(proj.px_per_m() * 1000.0));
            obj.insert("scaleLat".into(), json!(format!("{:.1}", self.extent.mid_lat())));
        }
        // Inside a script element, "</script" or "<!--" in a name could end or upset it: every
        // "<" (only ever inside a JSON string) is written as the escape \u003c, the same JSON.
        let data = data.to_string().replace('<', "\\u003c");
        let options: String = plan
            .phases()
            .iter()
            .enumerate()
            .map(|(i, p)| {
                format!(
                    r#"<option value="{i}">{}: {}</option>"#,
                    escape(&p.id),
                    escape(&p.name)
                )
            })
            .collect();
        let partners: String = partner_texts(plan)
            .iter()
            .map(|t| format!("<li>{}</li>", escape(t)))
            .collect();
        format!(
            r##"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{PAGE_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — sanctuary map</title>
<style>{PAGE_CSS}</style></head>
<body>
<header><h1>{title}</h1><label>Phase <select id="phase">{options}</select></label><span id="phase-start"></span><span id="counts"></span><span class="hash">plan {hash}</span></header>
<main>
<div id="mapwrap">{map}
<div id="scale"><i id="scalebar"></i><span id="scaletext"></span></div>
<div id="zoom"><button id="zin" title="zoom in">+</button><button id="zout" title="zoom out">−</button><button id="zreset" title="whole map">⌂</button></div>
<div class="legend"><span><i class="sw act"></i>active sanctuary</span><span><i class="sw ina"></i>inactive sanctuary</span><span><i class="sw exc"></i>exclusion (never engage)</span><span><i class="sw band"></i>standoff band (to scale)</span><span><i class="dot p"></i>PERMIT</span><span><i class="dot d"></i>DENY</span><span>dashed disc: position uncertainty · ◇ predicted intercept point</span></div>
</div>
<aside>
<section id="info"><h2>Details</h2><div id="info-body">Hover over or click a zone or a track.</div></section>
<section><h2>Decisions</h2><table id="decisions"><thead><tr><th>track</th><th>verdict</th><th>zone</th><th>reasons</th><th>margin</th></tr></thead><tbody></tbody></table></section>
<section><h2>Partners</h2><ul class="partners">{partners}</ul></section>
</aside>
</main>
<pre id="selftest" hidden></pre>
<script type="application/json" id="data">{data}</script>
<script>{PAGE_JS}</script>
</body></html>
"##,
            title = escape(plan.name()),
            hash = plan.hash().to_string().get(..12).unwrap_or_default(),
        )
    }

    /// The page's data: phases, zones with their rules, tracks and every phase's decisions.
    fn page_data(&self, handles: &[PhaseHandle]) -> Value {
        let plan = self.plan();
        let phases: Vec<Value> = plan
            .phases()
            .iter()
            .enumerate()
            .map(|(i, p)| json!({"id": p.id, "name": p.name, "start": phase_start(plan, i)}))
            .collect();
        let zones: Vec<Value> = plan
            .index()
            .zones()
            .iter()
            .enumerate()
            .map(|(i, z)| {
                let zp = plan.zone_plans().get(i);
                let standoff: Vec<Value> = handles
                    .iter()
                    .map(|h| {
                        let p = h.index();
                        match (zone_active(plan, i, p), zone_standoff_m(plan, i, p)) {
                            (true, Some(m)) => Value::from(distance_text(m)),
                            _ => Value::Null,
                        }
                    })
                    .collect();
                json!({
                    "id": z.id(),
                    "name": z.name().unwrap_or(z.id()),
                    "kind": if z.kind() == ZoneKind::Exclusion { "exclusion" } else { "sanctuary" },
                    "from": zp.map_or(0, |zp| zp.active_from),
                    "until": zp.and_then(|zp| zp.active_until),
                    "when": active_text(plan, i),
                    "rules": zp.map(|zp| zp.rules.iter().map(|r| rule_text(plan, r)).collect::<Vec<_>>()).unwrap_or_default(),
                    "standoff": standoff,
                })
            })
            .collect();
        let tracks: Vec<Value> = self
            .tracks
            .iter()
            .map(|t| json!({"id": t.id.as_str(), "desc": track_text(t)}))
            .collect();
        let decisions: Vec<Value> = handles
            .iter()
            .map(|&h| {
                Value::from(
                    self.decisions(h)
                        .iter()
                        .map(|d| {
                            json!({
                                "v": if d.is_permit() { "PERMIT" } else { "DENY" },
                                "zone": d.zone.as_deref(),
                                "reasons": d.reasons.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                                "margin": margin_text(d),
                                "excl": d.exclusion.as_deref(),
                            })
                        })
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        json!({
            "plan": plan.name(),
            "phaseIds": handles.iter().map(|h| phase_id(plan, h.index())).collect::<Vec<_>>(),
            "phases": phases,
            "zones": zones,
            "partners": partner_texts(plan),
            "tracks": tracks,
            "decisions": decisions,
        })
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
    fn names_cannot_break_out_of_the_page() -> Result<(), Box<dyn std::error::Error>> {
        let name = r#"</script><!--<script>alert("x")</script>"#;
        let plan = Plan::from_json_str(&format!(
            r#"{{"name": "demo <b>", "phases": [{{"id": "0", "name": "<i>all</i>"}}],
              "default_rules": [{{"classes": ["uas"], "weapons": "tight", "standoff_m": 100}}],
              "zones": [{{"id": "sq", "name": {}, "geometry": {{"type": "Polygon",
                "coordinates": [[[30, 50], [31, 50], [31, 51], [30, 51], [30, 50]]]}}}}]}}"#,
            serde_json::to_string(name)?
        ))?;
        let engine = Engine::new(plan);
        let tracks = [Track::new(
            "<t>&",
            30.5,
            50.5,
            100.0,
            TargetClass::Uas,
            Identity::Hostile,
        )];
        let html = MapScene::new(&engine, &tracks).html();
        // Only the page's own two scripts end.
        assert_eq!(html.matches("</script>").count(), 2);
        let start = r#"<script type="application/json" id="data">"#;
        // The markup before the scripts has the names escaped.
        let markup = html.split(start).next().ok_or("no markup")?;
        assert!(!markup.contains("<b>") && !markup.contains("<i>") && !markup.contains("<t>"));
        assert!(markup.contains("&lt;i&gt;all&lt;/i&gt;") && markup.contains("&lt;t&gt;&amp;"));
        let json = html
            .split(start)
            .nth(1)
            .and_then(|rest| rest.split("</script>").next())
            .ok_or("no data")?;
        let data: Value = serde_json::from_str(json)?;
        assert_eq!(data["zones"][0]["name"], name);
        assert_eq!(data["tracks"][0]["id"], "<t>&");
        assert_eq!(data["decisions"][0][0]["v"], "PERMIT");
        Ok(())
    }
}
