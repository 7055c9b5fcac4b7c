//! The canonical byte encoding a plan's content hash is computed from (documented on
//! [`PlanHash`]). It is written by hand, field by field, so that no serialiser or parser
//! setting (serde_json's `float_roundtrip`, `arbitrary_precision`, `preserve_order`, a
//! future change to its number formatting) can change a plan's identity.

use crate::geometry::zone::{VerticalBand, ZoneGeometry, ZoneKind, ZoneSpec};

use crate::geometry::kernel::EdgeModel;
use crate::rules::plan::{Partner, Phase, PlanHash, Rule, TargetClass, WeaponsStatus, ZonePlan};
use crate::rules::window::TimeWindow;
use sha2::{Digest, Sha256};

/// The first bytes of every encoding; a change of the encoding changes the tag.
const VERSION_TAG: &str = "sanctuary/plan-hash/v1";

/// Feeds the canonical encoding straight into a SHA-256 hasher.
struct Canon(Sha256);

impl Canon {
    fn bytes(&mut self, b: &[u8]) {
        self.0.update(b);
    }

    fn u8(&mut self, v: u8) {
        self.bytes(&[v]);
    }

    fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }

    fn usize(&mut self, v: usize) {
        // usize is at most 64 bits on every supported target.
        self.u64(u64::try_from(v).unwrap_or(u64::MAX));
    }

    fn i64(&mut self, v: i64) {
        self.bytes(&v.to_le_bytes());
    }

    fn u16(&mut self, v: u16) {
        self.bytes(&v.to_le_bytes());
    }

    /// IEEE 754 bits, little-endian; -0.0 is written as 0.0 (they compare equal and every
    /// predicate treats them alike). Plans hold no NaN (validation refuses it).
    fn f64(&mut self, v: f64) {
        let v = if v == 0.0 { 0.0 } else { v };
        self.bytes(&v.to_bits().to_le_bytes());
    }

    fn str(&mut self, s: &str) {
        self.usize(s.len());
        self.bytes(s.as_bytes());
    }

    fn len(&mut self, n: usize) {
        self.usize(n);
    }

    fn option<T>(&mut self, v: Option<T>, mut some: impl FnMut(&mut Self, T)) {
        match v {
            None => self.u8(0),
            Some(x) => {
                self.u8(1);
                some(self, x);
            }
        }
    }

    fn list<'a, T: 'a>(&mut self, items: &'a [T], mut each: impl FnMut(&mut Self, &'a T)) {
        self.len(items.len());
        for item in items {
            each(self, item);
        }
    }

    fn position(&mut self, p: &[f64; 2]) {
        let [lon, lat] = *p;
        self.f64(lon);
        self.f64(lat);
    }

    fn ring(&mut self, ring: &[[f64; 2]]) {
        self.list(ring, Canon::position);
    }

    fn polygon(&mut self, rings: &[Vec<[f64; 2]>]) {
        self.list(rings, |c, r| c.ring(r));
    }

    fn band(&mut self, band: &VerticalBand) {
        let VerticalBand { floor_m, ceiling_m } = *band;
        self.option(floor_m, Canon::f64);
        self.option(ceiling_m, Canon::f64);
    }

    fn class(&mut self, class: &TargetClass) {
        self.u8(match class {
            TargetClass::CruiseMissile => 0,
            TargetClass::BallisticMissile => 1,
            TargetClass::Uas => 2,
            TargetClass::MannedAircraft => 3,
            TargetClass::Unknown => 4,
        });
    }

    fn window(&mut self, w: &TimeWindow) {
        match *w {
            TimeWindow::Interval {
                start_unix_s,
                end_unix_s,
            } => {
                self.u8(0);
                self.i64(start_unix_s);
                self.i64(end_unix_s);
            }
            TimeWindow::Weekly {
                days,
                start_minute,
                end_minute,
            } => {
                self.u8(1);
                self.u8(days);
                self.u16(start_minute);
                self.u16(end_minute);
            }
        }
    }

    fn phase(&mut self, p: &Phase) {
        let Phase {
            id,
            name,
            start_unix_s,
        } = p;
        self.str(id);
        self.str(name);
        self.option(*start_unix_s, Canon::i64);
    }

    fn partner(&mut self, p: &Partner) {
        let Partner {
            id,
            name,
            excluded_classes,
            min_standoff_m,
        } = p;
        self.str(id);
        self.option(name.as_deref(), Canon::str);
        self.list(excluded_classes, Canon::class);
        self.f64(*min_standoff_m);
    }

    fn rule(&mut self, r: &Rule) {
        let Rule {
            from_phase,
            until_phase,
            classes,
            weapons,
            band,
            standoff_m,
            partners,
            windows,
            class_mask: _, // derived from `classes`
        } = r;
        self.usize(*from_phase);
        self.option(*until_phase, Canon::usize);
        self.list(classes, Canon::class);
        self.u8(match weapons {
            WeaponsStatus::Hold => 0,
            WeaponsStatus::Tight => 1,
            WeaponsStatus::Free => 2,
        });
        self.band(band);
        self.f64(*standoff_m);
        self.option(partners.as_deref(), |c, list| c.list(list, |c, &i| c.usize(i)));
        self.list(windows, Canon::window);
    }

    fn zone(&mut self, spec: &ZoneSpec, plan: &ZonePlan) {
        let ZoneSpec {
            id,
            name,
            kind,
            edges,
            geometry,
            band,
        } = spec;
        self.str(id);
        self.option(name.as_deref(), Canon::str);
        self.u8(match kind {
            ZoneKind::Sanctuary => 0,
            ZoneKind::Exclusion => 1,
        });
        self.u8(match edges {
            EdgeModel::PlateCarree => 0,
            EdgeModel::GreatCircle => 1,
        });
        match geometry {
            ZoneGeometry::Polygon { rings } => {
                self.u8(0);
                self.polygon(rings);
            }
            ZoneGeometry::MultiPolygon { polygons } => {
                self.u8(1);
                self.list(polygons, |c, p| c.polygon(p));
            }
            ZoneGeometry::Circle { center, radius_m } => {
                self.u8(2);
                self.position(center);
                self.f64(*radius_m);
            }
        }
        self.option(band.as_ref(), Canon::band);
        let ZonePlan {
            active_from,
            active_until,
            rules,
            windows,
        } = plan;
        self.usize(*active_from);
        self.option(*active_until, Canon::usize);
        self.list(rules, Canon::rule);
        self.list(windows, Canon::window);
    }
}

/// SHA-256 over the canonical encoding of the plan's name, phases, partners and zones
/// (each zone's normalised spec, in id order, with its zone plan).
pub(crate) fn content_hash(
    name: &str,
    phases: &[Phase],
    partners: &[Partner],
    zones: &[(ZoneSpec, &ZonePlan)],
) -> PlanHash {
    let mut c = Canon(Sha256::new());
    c.str(VERSION_TAG);
    c.str(name);
    c.list(phases, Canon::phase);
    c.list(partners, Canon::partner);
    c.list(zones, |c, (spec, plan)| c.zone(spec, plan));
    PlanHash(c.0.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(f: impl FnOnce(&mut Canon)) -> [u8; 32] {
        let mut c = Canon(Sha256::new());
        f(&mut c);
        c.0.finalize().into()
    }

    #[test]
    fn zeros_of_either_sign_encode_alike_and_other_values_do_not() {
        assert_eq!(digest(|c| c.f64(0.0)), digest(|c| c.f64(-0.0)));
        assert_ne!(digest(|c| c.f64(1.0)), digest(|c| c.f64(1.0 + f64::EPSILON)));
        assert_ne!(digest(|c| c.f64(f64::MIN_POSITIVE)), digest(|c| c.f64(0.0)));
    }

    #[test]
    fn lengths_keep_neighbouring_fields_apart() {
        assert_ne!(
            digest(|c| {
                c.str("ab");
                c.str("c");
            }),
            digest(|c| {
                c.str("a");
                c.str("bc");
            })
        );
        assert_ne!(
            digest(|c| c.option(None::<f64>, Canon::f64)),
            digest(|c| c.option(Some(0.0), Canon::f64))
        );
    }
}
