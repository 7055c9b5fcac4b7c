//! A plan's identity: its content hash as a value and as text.

use super::*;

/// A plan's content hash: the SHA-256 digest of its canonical byte encoding. It displays
/// and (de)serialises as 64 lowercase hex digits; it is a plain 32-byte value, so every
/// decision carries a copy without an allocation.
///
/// # The canonical encoding
///
/// The hash covers everything that affects a decision, and nothing that depends on how the
/// plan was written or on how the binary was built (serde_json's features, map order,
/// number formatting, whitespace, file layout, the description). It is computed from bytes
/// written field by field in a fixed order:
///
/// - **scalars**: `u64`, `i64`, `u16` little-endian; indices and lengths as `u64`; an enum
///   as one byte, its variant's position in this list: classes `cruise_missile` 0,
///   `ballistic_missile` 1, `uas` 2, `manned_aircraft` 3, `unknown` 4; weapons `hold` 0,
///   `tight` 1, `free` 2; kinds `sanctuary` 0, `exclusion` 1; edges `plate_carree` 0,
///   `great_circle` 1;
/// - **`f64`**: its IEEE 754 bits (`to_bits`) little-endian, except that **-0.0 is written
///   as 0.0**: the two compare equal and every predicate treats them alike, so plans that
///   differ only in the sign of a zero decide alike and hash alike (a plan holds no NaN or
///   infinity: validation refuses them);
/// - **strings**: the UTF-8 length as `u64`, then the bytes;
/// - **options**: one byte, 0 for none, or 1 followed by the value;
/// - **lists**: the length as `u64`, then each item.
///
/// The plan is then: the version tag `"sanctuary/plan-hash/v1"` (as a string), the plan's
/// name; the phases (id, name, optional start as Unix seconds `i64`); the partners (id,
/// optional name, excluded classes, minimum standoff); the zones in id order, each as its
/// normalised spec ([`Zone::to_spec`]: id, optional name, kind, edges, geometry: byte 0
/// and the rings of a polygon (each ring a list of `[lon, lat]`), byte 1 and the polygons
/// of a multipolygon, byte 2 and the centre and radius of a circle; optional band of
/// optional floor and ceiling) followed by its zone plan (first phase index, optional end
/// phase index, rules, windows). A rule is its first phase index, optional end phase
/// index, classes, weapons, band (optional floor, optional ceiling), standoff, optional
/// list of partner indices, windows; a window is byte 0 and start and end (`i64`), or
/// byte 1 and the day mask (one byte), start and end minutes (`u16`).
///
/// The embedded plan's hash is pinned by a test (`tests/seams`), and a separate crate
/// (`tests/feature-probe`) checks it under other serde_json features.
///
/// # Example
/// ```
/// let plan = sanctuary::Plan::safe_haven()?;
/// let hash = plan.hash();
/// let hex = hash.to_string();
/// assert!(hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
/// assert_eq!(hex.parse::<sanctuary::plan::PlanHash>()?, *hash);
/// assert_eq!(serde_json::to_string(hash)?, format!("\"{hex}\""));
/// assert!("not hex".parse::<sanctuary::plan::PlanHash>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlanHash(pub [u8; 32]);

impl fmt::Display for PlanHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// A text that is not 64 hex digits, given as a [`PlanHash`].
///
/// # Example
/// ```
/// let err = "abc".parse::<sanctuary::plan::PlanHash>().unwrap_err();
/// assert_eq!(err.to_string(), "a plan hash is 64 hex digits, not `abc`");
/// // A sign is not a digit, and the text is echoed escaped.
/// assert!("+a".repeat(32).parse::<sanctuary::plan::PlanHash>().is_err());
/// let err = "a\nb".parse::<sanctuary::plan::PlanHash>().unwrap_err();
/// assert_eq!(err.to_string(), "a plan hash is 64 hex digits, not `a\\u{000A}b`");
/// // Either case of hex digit; shown in lower case.
/// let hash: sanctuary::plan::PlanHash = "AB".repeat(32).parse()?;
/// assert_eq!(hash.to_string(), "ab".repeat(32));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a plan hash is 64 hex digits, not `{0}`")]
pub struct PlanHashError(pub String);

impl std::str::FromStr for PlanHash {
    type Err = PlanHashError;
    fn from_str(s: &str) -> Result<PlanHash, PlanHashError> {
        // The text is echoed bounded and escaped (it may hold anything).
        let bad = || {
            PlanHashError(crate::geometry::id::escape_id(
                &s.chars().take(80).collect::<String>(),
            ))
        };
        // Exactly 64 hex digits: `from_str_radix` alone would also take a sign (`+f`).
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let digit = |b: u8| match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => b.to_ascii_lowercase().wrapping_sub(b'a').wrapping_add(10),
        };
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(s.as_bytes().chunks_exact(2)) {
            if let [hi, lo] = pair {
                *byte = digit(*hi) << 4 | digit(*lo);
            }
        }
        Ok(PlanHash(out))
    }
}

impl Serialize for PlanHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PlanHash {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<PlanHash, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
