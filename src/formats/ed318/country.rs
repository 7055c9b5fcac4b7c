//! The state whose airspace a zone covers, from boundary data: ED-318's `country`.

use super::*;
use crate::geometry::geojson::zones_from_geojson_str;
use crate::geometry::zone::ZoneGeometry;
use crate::index::ZoneIndex;
use geo::{Area, InteriorPoint};
use std::collections::BTreeMap;

/// Ukraine's de jure outline (Natural Earth, public domain; see `data/SOURCES.md`).
const UKRAINE_OUTLINE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/ukraine-outline.geojson"
));
/// Ukraine's neighbours (Natural Earth, public domain; see `data/SOURCES.md`).
const NEIGHBOURS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/neighbours.geojson"));

/// States' boundaries with their ISO 3166-1 alpha-3 codes, to find the state whose airspace
/// a zone covers (ED-318's `country`, see [`Ed318ExportOptions::countries_from`]).
///
/// **How a zone's state is found.** A circle's state is the one under its centre. A polygon
/// zone's state is found from one interior point per part (the part's interior point, kept
/// only when it is strictly inside the zone): each part votes for the state under its point
/// with its area, and the state with the largest area wins. A zone whose points are under no
/// state (over the sea, or outside the boundary data) has none, and the export falls back
/// to [`Ed318ExportOptions::country`]. Where two states' boundaries overlap (they should
/// not), the code first in alphabetical order of their ids is taken.
///
/// # Example
/// ```
/// use sanctuary::{Plan, ed318::CountryLookup};
/// let states = CountryLookup::safe_haven()?;
/// let plan = Plan::safe_haven()?;
/// let zone = |id| plan.index().handle(id).map(|h| &plan.index().zones()[h.index()]);
/// assert_eq!(states.country_of(zone("UA-46").ok_or("no UA-46")?), Some("UKR")); // Lviv
/// assert_eq!(states.country_of(zone("POL").ok_or("no POL")?), Some("POL"));
/// assert_eq!(states.country_of(zone("SUNPP").ok_or("no SUNPP")?), Some("UKR")); // a circle
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct CountryLookup {
    index: ZoneIndex,
    /// ISO 3166-1 alpha-3 code by zone id.
    codes: BTreeMap<String, String>,
}

impl CountryLookup {
    /// States from GeoJSON FeatureCollections of boundary zones (as
    /// [`zones_from_geojson_str`](crate::geojson::zones_from_geojson_str) reads them), each
    /// feature's ISO 3166-1 alpha-3 code in the property `code_property` (e.g. Natural
    /// Earth's `iso_a3`).
    ///
    /// # Errors
    /// [`Ed318Error::Format`] naming the document and feature when a document does not
    /// load, a feature has no code, or a code is not three capital letters (Natural Earth's
    /// `-99`, for instance); [`Ed318Error::DuplicateId`] when two features share an id.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ed318::{CountryLookup, Ed318Error}, geometry::ZoneGeometry};
    /// let doc = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
    ///   "properties": {"id": "a", "iso_a3": "AAA"},
    ///   "geometry": {"type": "Polygon", "coordinates": [[[0,0],[10,0],[10,10],[0,10],[0,0]]]}}]}"#;
    /// let states = CountryLookup::from_geojson_strs(&[doc], "iso_a3")?;
    /// let c = Zone::builder("c", ZoneGeometry::circle(5.0, 5.0, 1_000.0)).build()?;
    /// assert_eq!(states.country_of(&c), Some("AAA"));
    /// let bad = doc.replace("AAA", "-99");
    /// assert!(matches!(CountryLookup::from_geojson_strs(&[&bad], "iso_a3"), Err(Ed318Error::Format { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_geojson_strs(docs: &[&str], code_property: &str) -> Result<CountryLookup, Ed318Error> {
        let mut zones = Vec::new();
        let mut codes = BTreeMap::new();
        for (d, text) in docs.iter().enumerate() {
            let doc: Value = serde_json::from_str(text)
                .map_err(|e| format_err(&format!("documents[{d}]"), e.to_string()))?;
            let loaded = zones_from_geojson_str(text)
                .map_err(|e| format_err(&format!("documents[{d}]"), e.to_string()))?;
            let features = doc
                .get("features")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            for (i, (feature, zone)) in features.iter().zip(loaded).enumerate() {
                let place = format!("documents[{d}].features[{i}].properties.{code_property}");
                let code = feature
                    .get("properties")
                    .and_then(|p| p.get(code_property))
                    .and_then(Value::as_str)
                    .ok_or_else(|| format_err(&place, "missing: expected an ISO 3166-1 alpha-3 code"))?;
                if !(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())) {
                    return Err(format_err(
                        &place,
                        format!(
                            "`{}` is not an ISO 3166-1 alpha-3 code (three capital letters)",
                            crate::id::escape_id(code)
                        ),
                    ));
                }
                if codes.insert(zone.id().to_string(), code.to_string()).is_some() {
                    return Err(Ed318Error::DuplicateId {
                        place,
                        id: zone.id().to_string(),
                    });
                }
                zones.push(zone);
            }
        }
        let index = ZoneIndex::new(zones).map_err(|e| format_err("documents", e.to_string()))?;
        Ok(CountryLookup { index, codes })
    }

    /// The boundary data built into the crate: Ukraine's de jure outline (`UKR`) and its
    /// neighbours Poland, Slovakia, Hungary, Romania, Moldova, Belarus and Russia (Natural
    /// Earth 1:10m, their `iso_a3`; `data/SOURCES.md`), the states of the Safe Haven plan.
    ///
    /// # Errors
    /// Never in a released crate (the tests load it); as [`Self::from_geojson_strs`].
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ed318::CountryLookup, geometry::ZoneGeometry};
    /// let states = CountryLookup::safe_haven()?;
    /// let chisinau = Zone::builder("c", ZoneGeometry::circle(28.86, 47.01, 5_000.0)).build()?;
    /// assert_eq!(states.country_of(&chisinau), Some("MDA"));
    /// let black_sea = Zone::builder("s", ZoneGeometry::circle(32.0, 43.5, 5_000.0)).build()?;
    /// assert_eq!(states.country_of(&black_sea), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn safe_haven() -> Result<CountryLookup, Ed318Error> {
        Self::from_geojson_strs(&[UKRAINE_OUTLINE, NEIGHBOURS], "iso_a3")
    }

    /// The ISO 3166-1 alpha-3 code of the state whose airspace the zone covers (see the
    /// type's documentation), or `None` when it is over no state of the data.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Zone, ed318::CountryLookup, geometry::ZoneGeometry};
    /// let states = CountryLookup::safe_haven()?;
    /// // A box mostly over Poland with a corner in Ukraine: Poland.
    /// let ring = vec![[21.0, 50.0], [24.3, 50.0], [24.3, 51.0], [21.0, 51.0], [21.0, 50.0]];
    /// let zone = Zone::builder("b", ZoneGeometry::polygon(vec![ring])).build()?;
    /// assert_eq!(states.country_of(&zone), Some("POL"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn country_of(&self, zone: &Zone) -> Option<&str> {
        let mut votes: BTreeMap<&str, f64> = BTreeMap::new();
        for (lon, lat, weight) in sample_points(zone) {
            if let Some(code) = self.country_at(lon, lat) {
                *votes.entry(code).or_insert(0.0) += weight;
            }
        }
        // The largest area; ties go to the first code alphabetically.
        let mut best: Option<(&str, f64)> = None;
        for (code, w) in votes {
            if best.is_none_or(|(_, bw)| w > bw) {
                best = Some((code, w));
            }
        }
        best.map(|(code, _)| code)
    }

    /// The code of the state strictly containing a point, if any.
    ///
    /// # Example
    /// ```
    /// let states = sanctuary::ed318::CountryLookup::safe_haven()?;
    /// assert_eq!(states.country_at(24.03, 49.84), Some("UKR")); // Lviv
    /// assert_eq!(states.country_at(21.01, 52.23), Some("POL")); // Warsaw
    /// # Ok::<(), sanctuary::ed318::Ed318Error>(())
    /// ```
    pub fn country_at(&self, lon: f64, lat: f64) -> Option<&str> {
        let here = self.index.locate(lon, lat).ok()?;
        let ids = self.index.ids(&here.inside);
        let id = ids.first()?;
        self.codes.get(*id).map(String::as_str)
    }

    /// The countries of zones by zone id, for [`Ed318ExportOptions::zone_countries`]; zones
    /// over no state are left out (they take [`Ed318ExportOptions::country`]).
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Plan, ed318::CountryLookup};
    /// let plan = Plan::safe_haven()?;
    /// let countries = CountryLookup::safe_haven()?.countries_of(plan.index().zones());
    /// assert_eq!(countries.get("RUS").map(String::as_str), Some("RUS"));
    /// assert_eq!(countries.get("UA-30").map(String::as_str), Some("UKR")); // Kyiv
    /// assert_eq!(countries.get("ODESA-CORRIDOR"), None); // at sea
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn countries_of(&self, zones: &[Zone]) -> BTreeMap<String, String> {
        zones
            .iter()
            .filter_map(|z| Some((z.id().to_string(), self.country_of(z)?.to_string())))
            .collect()
    }
}

/// Points strictly inside the zone, each with a weight (its part's area, in squared degrees
/// scaled by the cosine of the latitude): a circle's centre, or one point per polygon part.
fn sample_points(zone: &Zone) -> Vec<(f64, f64, f64)> {
    let parts = match zone.to_spec().geometry {
        ZoneGeometry::Circle { center, .. } => return vec![(center[0], center[1], 1.0)],
        ZoneGeometry::Polygon { rings } => vec![rings],
        ZoneGeometry::MultiPolygon { polygons } => polygons,
    };
    let line =
        |ring: &Vec<[f64; 2]>| geo::LineString::from(ring.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>());
    let mut out = Vec::new();
    for rings in parts {
        let mut it = rings.iter();
        let Some(shell) = it.next() else { continue };
        let polygon = geo::Polygon::new(line(shell), it.map(line).collect());
        let Some(p) = polygon.interior_point() else {
            continue;
        };
        let (lon, lat) = (p.x(), p.y());
        if zone.position(lon, lat).ok() != Some(crate::geometry::Position::Inside) {
            continue;
        }
        let weight = polygon.unsigned_area() * lat.to_radians().cos();
        out.push((lon, lat, weight));
    }
    out
}
