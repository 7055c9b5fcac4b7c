//! Maps for planners: a plan's phases, zones, rules and decided tracks drawn as printable
//! SVG maps ([`MapScene::svg`]) and as one self-contained, interactive HTML page
//! ([`MapScene::html`]).
//!
//! A [`MapScene`] holds an engine (its plan), the tracks to show and, optionally, an outline
//! (a country's border, drawn as a line). Every map says what decided each track:
//!
//! - zone labels (name and id) placed inside their zones where they fit, beside them with a
//!   leader line where they do not, never over one another or over a track;
//! - a graticule every degree, labelled at the frame (the plan's lines follow parallels and
//!   meridians), a scale bar and a north arrow;
//! - the phase's name and start date;
//! - the **standoff band** of each active sanctuary, inside the sanctuary area's edge, at the
//!   width of the zone's smallest standoff in that phase, to scale (borders shared by two
//!   active sanctuaries are not edges of the area and carry no band);
//! - each track's position uncertainty as a geodesic disc to scale, and its predicted
//!   intercept point;
//! - a compact per-zone rules table (classes, weapon control status, altitude band, standoff,
//!   from which phase each rule applies, partners' caveats).
//!
//! Fills are told apart without colour too (hatching for exclusions, dots for inactive
//! sanctuaries, squares for denied tracks), so a greyscale print reads.
//!
//! The projection is equirectangular, with longitudes scaled by the cosine of the map's
//! middle latitude; lengths (scale bar, bands) are true at that latitude.
//!
//! # Example
//! ```
//! use sanctuary::{map::MapScene, plan::{Identity, TargetClass}, Engine, Plan, Track};
//! let engine = Engine::new(Plan::safe_haven()?);
//! let tracks = [Track::new("lviv-uas", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile)];
//! let scene = MapScene::new(&engine, &tracks);
//! let phase = engine.plan().phase("1").ok_or("no phase 1")?;
//! let svg = scene.svg(phase);
//! assert!(svg.starts_with("<svg") && svg.contains(">Lviv<") && svg.contains("UA-46"));
//! let html = scene.html();
//! assert!(html.contains("Content-Security-Policy") && !html.contains("https://"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod html;
mod labels;
mod panel;
mod svg;

pub use html::PAGE_CSP;

use crate::formats::ed318::great_circle_midpoint;
use crate::geometry::geodesy::geodesic_destination;
use crate::geometry::kernel::EdgeModel;
use crate::geometry::zone::{Zone, ZoneGeometry, ZoneKind};
use crate::rules::engine::{Decision, Engine, Track};
use crate::rules::plan::{PhaseHandle, Plan, Rule};
use std::fmt::Write as _;

use labels::ZoneRaster;

/// Metres per degree of latitude (mean), for drawing lengths to scale.
pub const METRES_PER_DEGREE: f64 = 111_195.0;

/// Points of a drawn circle.
const CIRCLE_POINTS: u32 = 96;

/// A map's extent, degrees (WGS84 longitude and latitude).
///
/// # Example
/// ```
/// use sanctuary::map::Extent;
/// let e = Extent::new(22.0, 40.0, 44.0, 53.0).ok_or("bad extent")?;
/// assert_eq!(e.mid_lat(), 48.5);
/// assert!(Extent::new(22.0, 22.0, 44.0, 53.0).is_none()); // empty
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extent {
    /// Western edge.
    pub lon_min: f64,
    /// Eastern edge.
    pub lon_max: f64,
    /// Southern edge.
    pub lat_min: f64,
    /// Northern edge.
    pub lat_max: f64,
}

impl Extent {
    /// An extent, if it is finite, not empty, within ±180° and ±85°.
    pub fn new(lon_min: f64, lon_max: f64, lat_min: f64, lat_max: f64) -> Option<Extent> {
        let ok = [lon_min, lon_max, lat_min, lat_max].iter().all(|v| v.is_finite())
            && lon_min < lon_max
            && lat_min < lat_max
            && lon_min >= -180.0
            && lon_max <= 180.0
            && lat_min >= -85.0
            && lat_max <= 85.0;
        ok.then_some(Extent {
            lon_min,
            lon_max,
            lat_min,
            lat_max,
        })
    }

    /// The middle latitude, where the map's scale is true.
    pub fn mid_lat(&self) -> f64 {
        (self.lat_min + self.lat_max) / 2.0
    }

    /// The extent that shows a plan's sanctuaries, the outline and the tracks (with their
    /// predicted points), half a degree around them, rounded out to half degrees.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{map::Extent, Plan};
    /// let plan = Plan::safe_haven()?;
    /// let e = Extent::fit(&plan, &[], &[]);
    /// // Every sanctuary, from Zakarpattia (22°E) to the Dnipro circle (35°E).
    /// assert!(e.lon_min <= 22.0 && e.lon_max >= 35.5 && e.lat_min <= 46.0 && e.lat_max >= 52.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fit(plan: &Plan, outline: &[Zone], tracks: &[Track]) -> Extent {
        let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        let mut add = |lon: f64, lat: f64| {
            if lon.is_finite() && lat.is_finite() {
                b = [b[0].min(lon), b[1].min(lat), b[2].max(lon), b[3].max(lat)];
            }
        };
        for zone in plan
            .index()
            .zones()
            .iter()
            .filter(|z| z.kind() == ZoneKind::Sanctuary)
            .chain(outline)
        {
            let [w, s, e, n] = zone.bounds();
            add(w, s);
            add(e, n);
        }
        for t in tracks {
            add(t.lon, t.lat);
            if let Some((lon, lat)) = predicted_point(t) {
                add(lon, lat);
            }
        }
        let round_down = |v: f64| ((v - 0.5) * 2.0).floor() / 2.0;
        let round_up = |v: f64| ((v + 0.5) * 2.0).ceil() / 2.0;
        Extent::new(
            round_down(b[0]).max(-180.0),
            round_up(b[2]).min(180.0),
            round_down(b[1]).max(-85.0),
            round_up(b[3]).min(85.0),
        )
        .unwrap_or(Extent {
            lon_min: -10.0,
            lon_max: 40.0,
            lat_min: 35.0,
            lat_max: 60.0,
        })
    }
}

/// The equirectangular projection of a map: degrees to pixels inside its frame.
#[derive(Debug, Clone, Copy)]
struct Projection {
    extent: Extent,
    /// Pixels per degree of latitude.
    scale: f64,
    /// cos(middle latitude): degrees of longitude to degrees of latitude.
    kx: f64,
    /// The frame's top-left corner, pixels.
    x0: f64,
    y0: f64,
}

impl Projection {
    fn new(extent: Extent, width_px: f64, x0: f64, y0: f64) -> Projection {
        let kx = extent.mid_lat().to_radians().cos();
        let scale = width_px / ((extent.lon_max - extent.lon_min) * kx);
        Projection {
            extent,
            scale,
            kx,
            x0,
            y0,
        }
    }

    fn width(&self) -> f64 {
        (self.extent.lon_max - self.extent.lon_min) * self.kx * self.scale
    }

    fn height(&self) -> f64 {
        (self.extent.lat_max - self.extent.lat_min) * self.scale
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.x0 + (lon - self.extent.lon_min) * self.kx * self.scale,
            self.y0 + (self.extent.lat_max - lat) * self.scale,
        )
    }

    fn lonlat(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.extent.lon_min + (x - self.x0) / (self.kx * self.scale),
            self.extent.lat_max - (y - self.y0) / self.scale,
        )
    }

    /// Pixels per metre on the ground (true at the middle latitude).
    fn px_per_m(&self) -> f64 {
        self.scale / METRES_PER_DEGREE
    }

    /// On which sides of the frame (with a margin) a pixel lies: bits left, right, top,
    /// bottom. Zero inside.
    fn outcode(&self, (x, y): (f64, f64)) -> u8 {
        const MARGIN: f64 = 20.0;
        let mut code = 0;
        if x < self.x0 - MARGIN {
            code |= 1;
        }
        if x > self.x0 + self.width() + MARGIN {
            code |= 2;
        }
        if y < self.y0 - MARGIN {
            code |= 4;
        }
        if y > self.y0 + self.height() + MARGIN {
            code |= 8;
        }
        code
    }
}

/// A plan, its decided tracks and an optional outline, ready to be drawn.
///
/// The tracks are decided by the engine in each phase drawn; their ids are their labels.
pub struct MapScene<'a> {
    engine: &'a Engine,
    tracks: &'a [Track],
    outline: &'a [Zone],
    extent: Extent,
    width_px: f64,
    raster: ZoneRaster,
}

impl<'a> MapScene<'a> {
    /// A scene of these tracks under the engine's plan, its extent fitted to the plan's
    /// sanctuaries and the tracks ([`Extent::fit`]), 1100 px wide.
    pub fn new(engine: &'a Engine, tracks: &'a [Track]) -> MapScene<'a> {
        let extent = Extent::fit(engine.plan(), &[], tracks);
        MapScene::build(engine, tracks, &[], extent, 1100.0)
    }

    fn build(
        engine: &'a Engine,
        tracks: &'a [Track],
        outline: &'a [Zone],
        extent: Extent,
        width_px: f64,
    ) -> MapScene<'a> {
        let proj = Projection::new(extent, width_px, 0.0, 0.0);
        let raster = ZoneRaster::new(engine.plan(), &proj);
        MapScene {
            engine,
            tracks,
            outline,
            extent,
            width_px,
            raster,
        }
    }

    /// The same scene with an outline (e.g. a country's border) drawn over the zones; the
    /// extent is fitted again to include it.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{geojson::zones_from_geojson_file, map::MapScene, Engine, Plan};
    /// let outline = zones_from_geojson_file(concat!(env!("CARGO_MANIFEST_DIR"), "/data/ukraine-outline.geojson"))?;
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let scene = MapScene::new(&engine, &[]).with_outline(&outline);
    /// assert!(scene.extent().lon_max >= 40.0); // the outline reaches 40.2°E
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_outline(self, outline: &'a [Zone]) -> MapScene<'a> {
        let extent = Extent::fit(self.engine.plan(), outline, self.tracks);
        MapScene::build(self.engine, self.tracks, outline, extent, self.width_px)
    }

    /// The same scene over another extent and at another width of the map frame, pixels
    /// (clamped to 300–4000).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{map::{Extent, MapScene}, Engine, Plan};
    /// let engine = Engine::new(Plan::safe_haven()?);
    /// let west = Extent::new(22.0, 27.0, 47.5, 52.0).ok_or("extent")?;
    /// let scene = MapScene::new(&engine, &[]).with_extent(west, 800.0);
    /// assert_eq!(scene.extent(), west);
    /// let svg = scene.svg(engine.plan().phase("1").ok_or("phase")?);
    /// // Zone labels end with the id in small type: Volyn is labelled, Dnipro is off the map.
    /// assert!(svg.contains(r#"font-size="9">UA-07<"#) && !svg.contains(r#"font-size="9">DNIPRO<"#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// An extent that [`Extent::new`] would refuse (its fields are public) leaves the
    /// extent as it was.
    pub fn with_extent(self, extent: Extent, width_px: f64) -> MapScene<'a> {
        let width = if width_px.is_finite() {
            width_px.clamp(300.0, 4000.0)
        } else {
            1100.0
        };
        let extent = Extent::new(extent.lon_min, extent.lon_max, extent.lat_min, extent.lat_max)
            .unwrap_or(self.extent);
        MapScene::build(self.engine, self.tracks, self.outline, extent, width)
    }

    /// The extent drawn.
    pub fn extent(&self) -> Extent {
        self.extent
    }

    /// The tracks decided in a phase, in order.
    pub fn decisions(&self, phase: PhaseHandle) -> Vec<Decision> {
        self.tracks
            .iter()
            .map(|t| self.engine.decide(t, phase, None))
            .collect()
    }

    fn plan(&self) -> &Plan {
        self.engine.plan()
    }

    fn projection(&self, x0: f64, y0: f64) -> Projection {
        Projection::new(self.extent, self.width_px, x0, y0)
    }
}

/// The predicted intercept point of a track that has a velocity and a time to intercept.
fn predicted_point(t: &Track) -> Option<(f64, f64)> {
    let v = t.velocity?;
    let tti = t.tti_s?;
    let d = v.speed_mps * tti;
    (d.is_finite() && t.lon.is_finite() && t.lat.is_finite())
        .then(|| geodesic_destination(t.lon, t.lat, v.heading_deg, d))
}

/// The rings of a zone's outline as lon/lat points: a circle sampled geodesically, a
/// great-circle edge densified.
fn zone_rings(zone: &Zone) -> Vec<Vec<[f64; 2]>> {
    let rings = match zone.to_spec().geometry {
        ZoneGeometry::Polygon { rings } => rings,
        ZoneGeometry::MultiPolygon { polygons } => polygons.into_iter().flatten().collect(),
        ZoneGeometry::Circle { center, radius_m } => return vec![circle_ring(center, radius_m)],
    };
    if zone.edge_model() == EdgeModel::GreatCircle {
        rings.iter().map(|r| densify_great_circle(r)).collect()
    } else {
        rings
    }
}

fn densify_great_circle(ring: &[[f64; 2]]) -> Vec<[f64; 2]> {
    fn split(a: [f64; 2], b: [f64; 2], depth: u32, out: &mut Vec<[f64; 2]>) {
        let long = (a[0] - b[0]).abs().max((a[1] - b[1]).abs()) > 0.1;
        if depth < 8 && long {
            let m = great_circle_midpoint(a, b);
            split(a, m, depth + 1, out);
            split(m, b, depth + 1, out);
        } else {
            out.push(b);
        }
    }
    let mut out = Vec::with_capacity(ring.len());
    if let Some(&first) = ring.first() {
        out.push(first);
    }
    for pair in ring.windows(2) {
        if let [a, b] = pair {
            split(*a, *b, 0, &mut out);
        }
    }
    out
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

/// SVG path data for closed rings, at 0.1 px. Points that add nothing inside the frame are
/// left out: repeats of the previous pixel, and runs of points all beyond the same side of
/// the frame (the chord that replaces such a run stays beyond that side, so what is drawn
/// inside the frame is unchanged).
fn path_data(proj: &Projection, rings: &[Vec<[f64; 2]>]) -> String {
    let mut d = String::new();
    for ring in rings {
        let kept = thin_polyline(proj, ring);
        if kept.len() < 3 {
            continue;
        }
        push_polyline(&mut d, &kept);
        d.push('Z');
    }
    d
}

/// The pixels of a line of lon/lat points, thinned as [`path_data`] says.
fn thin_polyline(proj: &Projection, line: &[[f64; 2]]) -> Vec<(f64, f64)> {
    let px: Vec<(f64, f64)> = line
        .iter()
        .map(|&[lon, lat]| {
            let (x, y) = proj.xy(lon, lat);
            ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0)
        })
        .collect();
    let codes: Vec<u8> = px.iter().map(|&p| proj.outcode(p)).collect();
    if codes.iter().fold(0xff, |acc, &c| acc & c) != 0 {
        return Vec::new();
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
            run_mask = mask;
            continue;
        }
        kept.push(p);
        run_mask = code;
    }
    kept
}

fn push_polyline(d: &mut String, points: &[(f64, f64)]) {
    for (i, (x, y)) in points.iter().enumerate() {
        let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
    }
}

/// Text for XML and HTML: `&`, `<`, `>`, `"` and `'` escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A zone's short name for a label: its name up to the first " (" (or its id).
fn short_name(zone: &Zone) -> String {
    let name = zone.name().unwrap_or(zone.id());
    name.split(" (").next().unwrap_or(name).trim().to_string()
}

/// Metres as a short distance: "2 km", "7.5 km", "800 m" (a no-break space before the
/// unit, so that a wrapped line never splits them).
fn distance_text(m: f64) -> String {
    if m >= 1000.0 {
        let km = m / 1000.0;
        if (km - km.round()).abs() < 0.05 {
            format!("{km:.0}\u{a0}km")
        } else {
            format!("{km:.1}\u{a0}km")
        }
    } else {
        format!("{m:.0}\u{a0}m")
    }
}

/// A phase's label: "Phase 3: Kyiv".
fn phase_title(plan: &Plan, phase: usize) -> String {
    plan.phases().get(phase).map_or_else(
        || format!("Phase #{phase}"),
        |p| format!("Phase {}: {}", p.id, p.name),
    )
}

/// A phase's start date, "from 2027-06-01", or "no start date".
fn phase_start(plan: &Plan, phase: usize) -> String {
    match plan.phases().get(phase).and_then(|p| p.start()) {
        Some(t) => {
            let s = t.to_string();
            format!("from {}", s.get(..10).unwrap_or(&s))
        }
        None => "no start date".to_string(),
    }
}

fn phase_id(plan: &Plan, phase: usize) -> String {
    plan.phases()
        .get(phase)
        .map_or_else(|| format!("#{phase}"), |p| p.id.clone())
}

/// One rule as text: "cruise_missile, uas · tight · 0–30000 m · standoff 2 km · from phase 3".
fn rule_text(plan: &Plan, rule: &Rule) -> String {
    let classes: Vec<&str> = rule.classes().iter().map(|c| c.as_str()).collect();
    let band = rule.band();
    let mut s = format!("{} · {} ·", classes.join(", "), weapons_text(rule));
    match (band.floor_m, band.ceiling_m) {
        (Some(f), Some(c)) => {
            let _ = write!(s, " {f:.0}–{c:.0} m ·");
        }
        (Some(f), None) => {
            let _ = write!(s, " above {f:.0} m ·");
        }
        (None, Some(c)) => {
            let _ = write!(s, " below {c:.0} m ·");
        }
        (None, None) => {}
    }
    let _ = write!(s, " standoff {}", distance_text(rule.standoff_m()));
    if rule.from_phase() > 0 {
        let _ = write!(s, " · from phase {}", phase_id(plan, rule.from_phase()));
    }
    if let Some(u) = rule.until_phase() {
        let _ = write!(s, " · until phase {}", phase_id(plan, u));
    }
    if let Some(partners) = rule.partners() {
        let ids: Vec<&str> = partners
            .iter()
            .filter_map(|&i| plan.partners().get(i).map(|p| p.id.as_str()))
            .collect();
        let _ = write!(s, " · partners {}", ids.join(", "));
    }
    if !rule.windows().is_empty() {
        s.push_str(" · time windows");
    }
    s
}

fn weapons_text(rule: &Rule) -> &'static str {
    use crate::rules::plan::WeaponsStatus;
    match rule.weapons() {
        WeaponsStatus::Hold => "hold",
        WeaponsStatus::Tight => "tight",
        WeaponsStatus::Free => "free",
    }
}

/// The partners' caveats as text, one per partner: "HUN Hungary: not manned_aircraft;
/// standoff ≥ 5 km".
fn partner_texts(plan: &Plan) -> Vec<String> {
    plan.partners()
        .iter()
        .map(|p| {
            let mut s = p.id.clone();
            if let Some(name) = &p.name {
                let _ = write!(s, " {name}");
            }
            let mut caveats = Vec::new();
            if !p.excluded_classes.is_empty() {
                let c: Vec<&str> = p.excluded_classes.iter().map(|c| c.as_str()).collect();
                caveats.push(format!("never {}", c.join(", ")));
            }
            if p.min_standoff_m > 0.0 {
                caveats.push(format!("standoff ≥ {}", distance_text(p.min_standoff_m)));
            }
            if !caveats.is_empty() {
                let _ = write!(s, ": {}", caveats.join("; "));
            }
            s
        })
        .collect()
}

/// When a zone is active: "phases 1–", "phases 2–4", "always".
fn active_text(plan: &Plan, zone: usize) -> String {
    let Some(zp) = plan.zone_plans().get(zone) else {
        return String::new();
    };
    let from = if zp.active_from == 0 {
        None
    } else {
        Some(phase_id(plan, zp.active_from))
    };
    let until = zp
        .active_until
        .and_then(|u| u.checked_sub(1))
        .map(|u| phase_id(plan, u));
    let mut s = match (from, until) {
        (None, None) => "all phases".to_string(),
        (Some(f), None) => format!("from phase {f}"),
        (None, Some(u)) => format!("up to phase {u}"),
        (Some(f), Some(u)) => format!("phases {f}–{u}"),
    };
    if !zp.windows.is_empty() {
        s.push_str(", in time windows");
    }
    s
}

/// Is zone `i` active in phase index `phase` (ignoring time windows)?
fn zone_active(plan: &Plan, i: usize, phase: usize) -> bool {
    plan.zone_plans()
        .get(i)
        .is_some_and(|zp| phase >= zp.active_from && zp.active_until.is_none_or(|u| phase < u))
}

/// The indices of the zones of `kind` that are (or, with `active` false, are not) active
/// in phase index `phase`, in index order.
fn zones_of(plan: &Plan, kind: ZoneKind, phase: usize, active: bool) -> Vec<usize> {
    let zones = plan.index().zones();
    (0..zones.len())
        .filter(|&i| zones.get(i).is_some_and(|z| z.kind() == kind) && zone_active(plan, i, phase) == active)
        .collect()
}

/// The smallest standoff of the rules of zone `i` that apply in phase `phase`, if any.
fn zone_standoff_m(plan: &Plan, i: usize, phase: usize) -> Option<f64> {
    let zp = plan.zone_plans().get(i)?;
    zp.rules
        .iter()
        .filter(|r| phase >= r.from_phase() && r.until_phase().is_none_or(|u| phase < u))
        .map(Rule::standoff_m)
        .fold(None, |acc: Option<f64>, s| Some(acc.map_or(s, |a| a.min(s))))
}

/// The track's short description: "uas, hostile, 800 m".
fn track_text(t: &Track) -> String {
    let mut s = format!("{}, {}, {:.0} m", t.class.as_str(), t.identity.as_str(), t.alt_m);
    if let Some(u) = t.uncertainty_m {
        let _ = write!(s, ", ±{}", distance_text(u));
    }
    if let (Some(v), Some(tti)) = (t.velocity, t.tti_s) {
        let _ = write!(
            s,
            ", {:.0} m/s to {:.0}°, intercept in {:.0} s",
            v.speed_mps, v.heading_deg, tti
        );
    }
    s
}

/// A decision's margin as text: "3.2 km", "≥ 10.0 km", or "–".
fn margin_text(d: &Decision) -> String {
    match d.margin_m {
        Some(m) => {
            let km = format!("{:.1} km", m / 1000.0);
            let km = if km == "-0.0 km" { "0.0 km".to_string() } else { km };
            if d.margin_is_lower_bound {
                format!("≥ {km}")
            } else {
                km
            }
        }
        None => "–".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Identity, TargetClass};

    #[test]
    fn extent_fit_covers_the_tracks() -> Result<(), Box<dyn std::error::Error>> {
        let plan = Plan::safe_haven()?;
        let far = Track::new("far", 39.7, 44.2, 100.0, TargetClass::Uas, Identity::Hostile);
        let e = Extent::fit(&plan, &[], std::slice::from_ref(&far));
        assert!(e.lon_max >= 40.0 && e.lat_min <= 43.7, "{e:?}");
        let e0 = Extent::fit(&plan, &[], &[]);
        assert!(e0.lon_max < e.lon_max);
        Ok(())
    }

    #[test]
    fn rule_and_partner_texts_say_the_plan() -> Result<(), Box<dyn std::error::Error>> {
        let plan = Plan::safe_haven()?;
        let lviv = plan.index().handle("UA-46").ok_or("no UA-46")?.index();
        let zp = plan.zone_plans().get(lviv).ok_or("no plan")?;
        let texts: Vec<String> = zp.rules.iter().map(|r| rule_text(&plan, r)).collect();
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("manned_aircraft") && t.ends_with("from phase 3")),
            "{texts:?}"
        );
        assert!(
            texts.iter().all(|t| t.contains("standoff 2\u{a0}km")),
            "{texts:?}"
        );
        let partners = partner_texts(&plan);
        assert!(
            partners
                .iter()
                .any(|p| p == "HUN Hungary: never manned_aircraft; standoff ≥ 5\u{a0}km"),
            "{partners:?}"
        );
        assert_eq!(active_text(&plan, lviv), "from phase 1");
        assert_eq!(zone_standoff_m(&plan, lviv, 0), Some(2000.0));
        Ok(())
    }

    #[test]
    fn odd_extents_and_widths_are_refused_or_bounded() -> Result<(), Box<dyn std::error::Error>> {
        let engine = Engine::new(Plan::safe_haven()?);
        let scene = MapScene::new(&engine, &[]);
        let before = scene.extent();
        // An empty extent, built by hand: refused, the extent stays.
        let empty = Extent {
            lon_min: 30.0,
            lon_max: 30.0,
            lat_min: 40.0,
            lat_max: 50.0,
        };
        let scene = scene.with_extent(empty, f64::NAN);
        assert_eq!(scene.extent(), before);
        // A tall, thin extent at the largest width: the raster stays bounded and the map is drawn.
        let thin = Extent::new(30.0, 30.2, 40.0, 55.0).ok_or("extent")?;
        let scene = scene.with_extent(thin, 1e9);
        let svg = scene.svg(engine.plan().phase("1").ok_or("phase")?);
        assert!(
            svg.contains(r#"width="4000.0""#) || svg.contains("viewBox"),
            "no map"
        );
        assert!(scene.raster.cells() <= 600 * 600);
        Ok(())
    }

    #[test]
    fn escaping_and_distances() {
        assert_eq!(escape("a<b>&\"'\n"), "a&lt;b&gt;&amp;&quot;&#39; ");
        assert_eq!(distance_text(7500.0), "7.5\u{a0}km");
        assert_eq!(distance_text(2000.0), "2\u{a0}km");
        assert_eq!(distance_text(800.0), "800\u{a0}m");
    }
}
