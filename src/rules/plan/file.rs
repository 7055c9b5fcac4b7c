//! Serde support for [`Plan`]: a plan serialises to a plan document in exactly the format
//! [`Plan::from_json_str`] reads, and deserialises from one with the same validation.
//!
//! # Serialising
//!
//! The document holds everything the plan's content hash covers, so loading it back gives a
//! plan with the same [`Plan::hash`]:
//!
//! - every zone inline, in id order: its geometry as GeoJSON (the normalised rings of
//!   [`Zone::to_spec`] as a `Polygon` or `MultiPolygon`, a circle as a `Point` with
//!   `radius_m`), `kind`, `edges`, `floor_m`/`ceiling_m`, `active_from`/`active_until` as
//!   phase ids, its time windows, and (sanctuaries) its rules written out in full, so no
//!   `default_rules` are needed;
//! - rules with `from_phase`/`until_phase` as phase ids and `partners` as partner ids;
//! - time windows as `{"start", "end"}` RFC 3339 times or `{"days", "from", "to"}`;
//! - phase starts as RFC 3339 times in UTC (`2027-01-01T00:00:00Z`).
//!
//! # Deserialising
//!
//! The document is read as a JSON value (refusing a key repeated in one object), then
//! validated by [`Plan::from_json_str`]; its errors become the deserialiser's custom error
//! with the same text, naming the path in the document (``zones[1].active_from: unknown
//! phase `9` ``). A zone with a `source` reference is refused: without a plan file there is
//! no directory to resolve it in ([`Plan::from_file`] reads such plans).
//!
//! ```
//! let plan = sanctuary::Plan::safe_haven()?;
//! let text = serde_json::to_string(&plan)?;
//! let back: sanctuary::Plan = serde_json::from_str(&text)?;
//! assert_eq!(back.hash(), plan.hash());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::geometry::zone::{ZoneGeometry, ZoneKind};

use crate::geometry::kernel::EdgeModel;
use crate::rules::plan::{Plan, PlanError, Rule, TargetClass, WeaponsStatus};
use crate::rules::window::TimeWindow;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize, Serializer};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Number, Value};
use std::fmt;

// ---------------------------------------------------------------------------------------
// Serialising.

#[derive(serde::Serialize)]
struct PlanOut<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    phases: Vec<PhaseOut<'a>>,
    partners: Vec<PartnerOut<'a>>,
    zones: Vec<ZoneOut<'a>>,
}

#[derive(serde::Serialize)]
struct PhaseOut<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<String>,
}

#[derive(serde::Serialize)]
struct PartnerOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    excluded_classes: &'a [TargetClass],
    min_standoff_m: f64,
}

#[derive(serde::Serialize)]
struct ZoneOut<'a> {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    kind: ZoneKind,
    edges: EdgeModel,
    geometry: GeometryOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    radius_m: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    floor_m: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ceiling_m: Option<f64>,
    active_from: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    active_until: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rules: Option<Vec<RuleOut<'a>>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    windows: Vec<WindowOut>,
}

/// A GeoJSON geometry object.
#[derive(serde::Serialize)]
#[serde(tag = "type")]
enum GeometryOut {
    Polygon { coordinates: Vec<Vec<[f64; 2]>> },
    MultiPolygon { coordinates: Vec<Vec<Vec<[f64; 2]>>> },
    Point { coordinates: [f64; 2] },
}

#[derive(serde::Serialize)]
struct RuleOut<'a> {
    from_phase: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    until_phase: Option<&'a str>,
    classes: &'a [TargetClass],
    weapons: WeaponsStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    floor_m: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ceiling_m: Option<f64>,
    standoff_m: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    partners: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    windows: Vec<WindowOut>,
}

#[derive(serde::Serialize)]
#[serde(untagged)]
enum WindowOut {
    Interval {
        start: String,
        end: String,
    },
    Weekly {
        days: Vec<&'static str>,
        from: String,
        to: String,
    },
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Writes the plan as a plan document that [`Plan::from_json_str`] reads back into a plan
/// with the same content hash: every zone inline (its normalised rings as a GeoJSON
/// `Polygon` or `MultiPolygon`, a circle as a `Point` with `radius_m`) with its rules written
/// out in full, phases and partners referred to by id, time windows and phase starts as
/// RFC 3339 UTC times.
///
/// # Errors
/// Only the serialiser's own; a plan built by this crate always has a document.
impl Serialize for Plan {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        plan_out(self).map_err(ser::Error::custom)?.serialize(serializer)
    }
}

fn phase_id(plan: &Plan, i: usize) -> Result<&str, String> {
    plan.phases()
        .get(i)
        .map(|p| p.id.as_str())
        .ok_or_else(|| format!("phase index {i} is out of range"))
}

fn partner_id(plan: &Plan, i: usize) -> Result<&str, String> {
    plan.partners()
        .get(i)
        .map(|p| p.id.as_str())
        .ok_or_else(|| format!("partner index {i} is out of range"))
}

fn rule_out<'a>(plan: &'a Plan, r: &'a Rule) -> Result<RuleOut<'a>, String> {
    Ok(RuleOut {
        from_phase: phase_id(plan, r.from_phase)?,
        until_phase: r.until_phase.map(|u| phase_id(plan, u)).transpose()?,
        classes: &r.classes,
        weapons: r.weapons,
        floor_m: r.band.floor_m,
        ceiling_m: r.band.ceiling_m,
        standoff_m: r.standoff_m,
        partners: r
            .partners
            .as_ref()
            .map(|list| list.iter().map(|&i| partner_id(plan, i)).collect())
            .transpose()?,
        windows: windows_out(&r.windows)?,
    })
}

fn plan_out(plan: &Plan) -> Result<PlanOut<'_>, String> {
    let phases = plan
        .phases()
        .iter()
        .map(|p| {
            Ok(PhaseOut {
                id: &p.id,
                name: &p.name,
                start: p.start_unix_s.map(rfc3339).transpose()?,
            })
        })
        .collect::<Result<_, String>>()?;
    let partners = plan
        .partners()
        .iter()
        .map(|p| PartnerOut {
            id: &p.id,
            name: p.name.as_deref(),
            excluded_classes: &p.excluded_classes,
            min_standoff_m: p.min_standoff_m,
        })
        .collect();
    let zones = plan.index().zones();
    if zones.len() != plan.zone_plans().len() {
        return Err("the plan has a different number of zones and zone plans".into());
    }
    let mut zones_out = Vec::with_capacity(zones.len());
    for (zone, zp) in zones.iter().zip(plan.zone_plans()) {
        let spec = zone.to_spec();
        let (geometry, radius_m) = match spec.geometry {
            ZoneGeometry::Polygon { rings } => (GeometryOut::Polygon { coordinates: rings }, None),
            ZoneGeometry::MultiPolygon { polygons } => (
                GeometryOut::MultiPolygon {
                    coordinates: polygons,
                },
                None,
            ),
            ZoneGeometry::Circle { center, radius_m } => {
                (GeometryOut::Point { coordinates: center }, Some(radius_m))
            }
        };
        let rules = match spec.kind {
            ZoneKind::Exclusion => None,
            ZoneKind::Sanctuary => Some(
                zp.rules
                    .iter()
                    .map(|r| rule_out(plan, r))
                    .collect::<Result<_, _>>()?,
            ),
        };
        zones_out.push(ZoneOut {
            id: spec.id,
            name: spec.name,
            kind: spec.kind,
            edges: spec.edges,
            geometry,
            radius_m,
            floor_m: spec.band.and_then(|b| b.floor_m),
            ceiling_m: spec.band.and_then(|b| b.ceiling_m),
            active_from: phase_id(plan, zp.active_from)?,
            active_until: zp.active_until.map(|u| phase_id(plan, u)).transpose()?,
            rules,
            windows: windows_out(&zp.windows)?,
        });
    }
    Ok(PlanOut {
        name: plan.name(),
        description: plan.description(),
        phases,
        partners,
        zones: zones_out,
    })
}

fn windows_out(windows: &[TimeWindow]) -> Result<Vec<WindowOut>, String> {
    windows.iter().map(window_out).collect()
}

fn window_out(w: &TimeWindow) -> Result<WindowOut, String> {
    match *w {
        TimeWindow::Interval {
            start_unix_s,
            end_unix_s,
        } => Ok(WindowOut::Interval {
            start: rfc3339(start_unix_s)?,
            end: rfc3339(end_unix_s)?,
        }),
        TimeWindow::Weekly {
            days,
            start_minute,
            end_minute,
        } => {
            if days >> DAY_NAMES.len() != 0 {
                return Err(format!("weekly window day mask {days:#b} has bits beyond Sunday"));
            }
            let days = DAY_NAMES
                .iter()
                .enumerate()
                .filter(|(i, _)| days & (1 << i) != 0)
                .map(|(_, d)| *d)
                .collect();
            Ok(WindowOut::Weekly {
                days,
                from: hhmm(start_minute)?,
                to: hhmm(end_minute)?,
            })
        }
    }
}

/// Minutes after midnight as `HH:MM`.
fn hhmm(minute: u16) -> Result<String, String> {
    if minute >= 24 * 60 {
        return Err(format!("{minute} minutes is not a time of day"));
    }
    Ok(format!("{:02}:{:02}", minute / 60, minute % 60))
}

/// The earliest time an RFC 3339 UTC timestamp can write: 0000-01-01T00:00:00Z.
const MIN_UTC_S: i64 = -62_167_219_200;
/// The latest: 9999-12-31T23:59:59Z.
const MAX_UTC_S: i64 = 253_402_300_799;
/// The largest UTC offset [`parse_rfc3339`](crate::rules::time::parse_rfc3339) accepts, seconds (23:59).
const MAX_OFFSET_S: i64 = (23 * 60 + 59) * 60;

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`, the inverse of [`parse_rfc3339`](crate::rules::time::parse_rfc3339) on such
/// strings; `None` outside years 0000–9999.
pub(crate) fn format_rfc3339_utc(unix_s: i64) -> Option<String> {
    if !(MIN_UTC_S..=MAX_UTC_S).contains(&unix_s) {
        return None;
    }
    Some(format!("{}Z", local_time(unix_s)))
}

/// `YYYY-MM-DDTHH:MM:SS` of a time within years 0000–9999 (the caller checks).
fn local_time(unix_s: i64) -> String {
    crate::rules::time::utc_wall_clock(unix_s).unwrap_or_default()
}

/// A string [`parse_rfc3339`](crate::rules::time::parse_rfc3339) reads back as `unix_s`: UTC when the year has four digits,
/// else (within a day of the ends of year 0000 or 9999, which an offset can reach) local
/// time with the offset that brings it into range.
fn rfc3339(unix_s: i64) -> Result<String, String> {
    if let Some(s) = format_rfc3339_utc(unix_s) {
        return Ok(s);
    }
    let out_of_range = || format!("time {unix_s} s cannot be written as an RFC 3339 timestamp");
    let (sign, offset) = if unix_s < MIN_UTC_S {
        // Local time = UTC + offset, at or after the start of year 0000.
        ('+', MIN_UTC_S.checked_sub(unix_s).ok_or_else(out_of_range)?)
    } else {
        ('-', unix_s.checked_sub(MAX_UTC_S).ok_or_else(out_of_range)?)
    };
    // Whole minutes, rounded up so the local time stays in range.
    let offset = offset.saturating_add(59) / 60 * 60;
    if offset > MAX_OFFSET_S {
        return Err(out_of_range());
    }
    let local = if sign == '+' {
        unix_s + offset
    } else {
        unix_s - offset
    };
    Ok(format!(
        "{}{sign}{:02}:{:02}",
        local_time(local),
        offset / 3600,
        offset / 60 % 60
    ))
}

// ---------------------------------------------------------------------------------------
// Deserialising.

/// Reads a plan document and validates it as [`Plan::from_json_str`] does; errors carry the
/// [`PlanError`] text, naming the path in the document (``zones[1].active_from: unknown
/// phase `9` ``). A key repeated in one object is refused, and so is a zone with a `source`
/// reference: there is no plan directory to resolve it in ([`Plan::from_file`] reads such
/// plans).
impl<'de> Deserialize<'de> for Plan {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = StrictValue { path: &DocPath::Root }.deserialize(deserializer)?;
        Plan::from_json_str(&value.to_string()).map_err(|e| de::Error::custom(plan_error_text(e)))
    }
}

/// The text of a validation error. Syntax errors lose the line and column, which are those
/// of the re-encoded document rather than the caller's input, and a `source` reference is
/// explained.
fn plan_error_text(e: PlanError) -> String {
    match e {
        PlanError::Syntax { place, message, .. } => format!("{place}: {message}"),
        PlanError::FileConfinement { place, message, .. } if place.ends_with(".source.file") => {
            let place = place.trim_end_matches(".file");
            format!(
                "{place}: a plan deserialised without a plan file has no directory to resolve \
                 `source` references in; give the zone an inline `geometry` \
                 (or load the file with Plan::from_file) ({message})"
            )
        }
        other => other.to_string(),
    }
}

/// A path in the document, built only when an error needs it.
enum DocPath<'a> {
    Root,
    Key(&'a DocPath<'a>, &'a str),
    Index(&'a DocPath<'a>, usize),
}

impl fmt::Display for DocPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocPath::Root => f.write_str("."),
            DocPath::Key(DocPath::Root, key) => f.write_str(key),
            DocPath::Key(parent, key) => write!(f, "{parent}.{key}"),
            DocPath::Index(DocPath::Root, i) => write!(f, "[{i}]"),
            DocPath::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// The key under which serde_json, when a binary turns on its `arbitrary_precision`
/// feature (Cargo unifies features), hands a number to a visitor: a one-entry map whose
/// value is the number's text. Without this the plan would not load in such a binary.
const ARBITRARY_PRECISION_NUMBER: &str = "$serde_json::private::Number";

/// The rest of a map that holds a number's text under [`ARBITRARY_PRECISION_NUMBER`], as a
/// JSON number.
fn arbitrary_precision_number<'de, A: MapAccess<'de>>(
    path: &DocPath<'_>,
    mut map: A,
) -> Result<Value, A::Error> {
    let text: String = map.next_value()?;
    if map.next_key::<String>()?.is_some() {
        return Err(de::Error::custom(format!("{path}: a number with other fields")));
    }
    match text.parse::<Value>() {
        Ok(number @ Value::Number(_)) => Ok(number),
        _ => Err(de::Error::custom(format!(
            "{path}: `{text}` is not a JSON number"
        ))),
    }
}

/// Reads any self-describing input as a JSON value, refusing a key given twice in one
/// object (as the plan loader does) and numbers JSON cannot hold.
struct StrictValue<'a> {
    path: &'a DocPath<'a>,
}

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a plan document (a JSON value)")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{}: `{v}` is not a JSON number", self.path)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let path = DocPath::Index(self.path, out.len());
            match seq.next_element_seed(StrictValue { path: &path })? {
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.is_empty() && key == ARBITRARY_PRECISION_NUMBER {
                return arbitrary_precision_number(self.path, map);
            }
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "{}: duplicate field `{key}`",
                    self.path
                )));
            }
            let path = DocPath::Key(self.path, &key);
            let value = map.next_value_seed(StrictValue { path: &path })?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::time::parse_rfc3339;

    #[test]
    fn known_timestamps() {
        for (t, s) in [
            (0, "1970-01-01T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (86_400, "1970-01-02T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (951_868_799, "2000-02-29T23:59:59Z"),
            (1_709_210_096, "2024-02-29T12:34:56Z"),
            (-2_203_891_200, "1900-03-01T00:00:00Z"),
            (-2_203_977_600, "1900-02-28T00:00:00Z"),
            (4_107_542_400, "2100-03-01T00:00:00Z"),
            (1_798_761_600, "2027-01-01T00:00:00Z"),
            (MIN_UTC_S, "0000-01-01T00:00:00Z"),
            (MAX_UTC_S, "9999-12-31T23:59:59Z"),
            (-62_162_035_200, "0000-03-01T00:00:00Z"),
        ] {
            assert_eq!(format_rfc3339_utc(t).as_deref(), Some(s), "{t}");
            assert_eq!(parse_rfc3339(s).ok(), Some(t), "{s}");
        }
        // Year 0000 is a leap year (divisible by 400), 1900 and 2100 are not.
        assert!(parse_rfc3339("0000-02-29T00:00:00Z").is_ok());
        assert!(parse_rfc3339("1900-02-29T00:00:00Z").is_err());
        assert_eq!(format_rfc3339_utc(MIN_UTC_S - 1), None);
        assert_eq!(format_rfc3339_utc(MAX_UTC_S + 1), None);
    }

    #[test]
    fn formatting_inverts_parsing_over_many_values() {
        // A stride that is prime and not a multiple of a minute, hour or day visits every
        // second of the minute, hour of the day and day of the 400-year cycle.
        let mut t = MIN_UTC_S;
        let mut n = 0u32;
        while t <= MAX_UTC_S {
            let s = format_rfc3339_utc(t).unwrap();
            assert_eq!(parse_rfc3339(&s).ok(), Some(t), "{s}");
            t += 1_000_003;
            n += 1;
        }
        assert!(n > 300_000, "{n}");
        // Every second around the epoch and around leap days.
        for base in [0, 951_782_400, -2_203_977_600, 4_107_542_400] {
            for t in base - 90_000..base + 90_000 {
                let s = format_rfc3339_utc(t).unwrap();
                assert_eq!(parse_rfc3339(&s).ok(), Some(t), "{s}");
            }
        }
    }

    #[test]
    fn times_beyond_four_digit_years_use_an_offset() {
        for t in [
            MIN_UTC_S - 1,
            MIN_UTC_S - 60,
            MIN_UTC_S - 61,
            MIN_UTC_S - MAX_OFFSET_S,
            MAX_UTC_S + 1,
            MAX_UTC_S + 60,
            MAX_UTC_S + MAX_OFFSET_S,
        ] {
            let s = rfc3339(t).unwrap();
            assert_eq!(parse_rfc3339(&s).ok(), Some(t), "{t} {s}");
        }
        assert_eq!(rfc3339(MIN_UTC_S - 1).unwrap(), "0000-01-01T00:00:59+00:01");
        assert!(rfc3339(MIN_UTC_S - MAX_OFFSET_S - 1).is_err());
        assert!(rfc3339(i64::MIN).is_err());
        assert!(rfc3339(i64::MAX).is_err());
    }

    #[test]
    fn weekly_windows_write_day_names_and_times() {
        let w = TimeWindow::weekly(&["sun", "mon"], "22:00", "06:30").unwrap();
        let v = serde_json::to_value(window_out(&w).unwrap()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"days": ["mon", "sun"], "from": "22:00", "to": "06:30"})
        );
        let bad = TimeWindow::Weekly {
            days: 0x80,
            start_minute: 0,
            end_minute: 1,
        };
        assert!(window_out(&bad).is_err());
        assert!(hhmm(1440).is_err());
    }
}
