//! [`Id`]: the identifiers (of tracks, zones and phases) that every decision carries,
//! stored inline when short so that copying them into a decision costs no allocation.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// Longest id (bytes) kept inline.
const INLINE: usize = 22;

/// An identifier: a track's, zone's or phase's id, as text.
///
/// Ids of up to 22 bytes (all the ids of the embedded plan, and typical track ids) live
/// inside the value itself, so a [`crate::Decision`] is built without touching the
/// allocator and can be sent between threads without sharing anything; longer ids live on
/// the heap. An `Id` behaves as a `str`: it dereferences to one, compares, orders and
/// hashes as one, and (de)serialises as a JSON string.
///
/// # Example
/// ```
/// use sanctuary::id::Id;
/// let id = Id::from("UA-46");
/// assert_eq!(id, "UA-46");
/// assert_eq!(id.as_str(), "UA-46");
/// assert_eq!(id.len(), 5); // through `Deref<Target = str>`
/// let long = Id::from("a-track-id-longer-than-twenty-two-bytes".to_string());
/// assert!(long.starts_with("a-track"));
/// assert_eq!(serde_json::to_string(&id).unwrap(), "\"UA-46\"");
/// ```
#[derive(Clone)]
pub struct Id(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Id {
    /// Does [`check_id`] accept this id? Printable ASCII ids are checked on their bytes,
    /// without decoding (this runs once per decision).
    pub(crate) fn is_valid_id(&self) -> bool {
        let bytes = match &self.0 {
            Repr::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Heap(s) => s.as_bytes(),
        };
        if bytes.is_empty() || bytes.len() > MAX_ID_BYTES {
            return false;
        }
        bytes.iter().all(|b| (0x20..0x7f).contains(b)) || check_id(self.as_str()).is_ok()
    }

    /// The id as a string slice.
    ///
    /// # Example
    /// ```
    /// assert_eq!(sanctuary::id::Id::from("t1").as_str(), "t1");
    /// ```
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // The bytes were copied whole from a `str`, so they are valid UTF-8; checking
            // costs a few instructions on an id this short, and no `unsafe` is needed.
            Repr::Inline { len, bytes } => bytes
                .get(..usize::from(*len))
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default(),
            Repr::Heap(s) => s,
        }
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Id {
        let mut bytes = [0u8; INLINE];
        match bytes.get_mut(..s.len()) {
            Some(prefix) => {
                prefix.copy_from_slice(s.as_bytes());
                Id(Repr::Inline {
                    len: s.len() as u8,
                    bytes,
                })
            }
            None => Id(Repr::Heap(s.into())),
        }
    }
}

impl From<String> for Id {
    fn from(s: String) -> Id {
        if s.len() <= INLINE {
            Id::from(s.as_str())
        } else {
            Id(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl From<&String> for Id {
    fn from(s: &String) -> Id {
        Id::from(s.as_str())
    }
}

impl From<std::borrow::Cow<'_, str>> for Id {
    fn from(s: std::borrow::Cow<'_, str>) -> Id {
        match s {
            std::borrow::Cow::Borrowed(b) => Id::from(b),
            std::borrow::Cow::Owned(o) => Id::from(o),
        }
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.as_str().to_string()
    }
}

impl Default for Id {
    fn default() -> Id {
        Id::from("")
    }
}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Id {
    fn eq(&self, other: &Id) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Id {}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Id> for str {
    fn eq(&self, other: &Id) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Id> for &str {
    fn eq(&self, other: &Id) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Id> for String {
    fn eq(&self, other: &Id) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Id) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Id {
    fn cmp(&self, other: &Id) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Id {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Id, D::Error> {
        String::deserialize(deserializer).map(Id::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_ids_stay_inline_and_long_ones_go_to_the_heap() {
        assert!(matches!(Id::from("").0, Repr::Inline { len: 0, .. }));
        assert!(matches!(Id::from("x".repeat(22)).0, Repr::Inline { len: 22, .. }));
        assert!(matches!(Id::from("x".repeat(23)).0, Repr::Heap(_)));
        assert!(matches!(Id::from(&"x".repeat(23)).0, Repr::Heap(_)));
    }

    proptest! {
        /// Any string survives the round trip, inline or not, and compares, orders and
        /// hashes like itself.
        #[test]
        fn an_id_is_its_string(a in ".{0,40}", b in ".{0,40}") {
            let (ia, ib) = (Id::from(a.as_str()), Id::from(b.clone()));
            prop_assert_eq!(ia.as_str(), a.as_str());
            prop_assert_eq!(String::from(ib.clone()), b.clone());
            prop_assert_eq!(ia == ib, a == b);
            prop_assert_eq!(ia.cmp(&ib), a.cmp(&b));
            let hash = |x: &dyn Fn(&mut std::collections::hash_map::DefaultHasher)| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                x(&mut h);
                h.finish()
            };
            prop_assert_eq!(hash(&|h| ia.hash(h)), hash(&|h| a.as_str().hash(h)));
            let json = serde_json::to_string(&ia).unwrap();
            prop_assert_eq!(&json, &serde_json::to_string(&a).unwrap());
            prop_assert_eq!(serde_json::from_str::<Id>(&json).unwrap(), ia);
        }
    }
}

/// The longest id (in bytes of UTF-8) that a track, zone, phase or partner may have.
///
/// Ids are echoed into CSV, GeoJSON, audit logs and terminals; a bound keeps every such
/// line short and every id readable.
///
/// # Example
/// ```
/// use sanctuary::id::{IdProblem, MAX_ID_BYTES, check_id};
/// assert!(check_id(&"a".repeat(MAX_ID_BYTES)).is_ok());
/// assert_eq!(
///     check_id(&"a".repeat(MAX_ID_BYTES + 1)),
///     Err(IdProblem::TooLong { bytes: MAX_ID_BYTES + 1 })
/// );
/// ```
pub const MAX_ID_BYTES: usize = 128;

/// Why a text is not usable as an id (see [`check_id`]).
///
/// # Example
/// ```
/// use sanctuary::id::{IdProblem, check_id};
/// assert_eq!(check_id(""), Err(IdProblem::Empty));
/// assert_eq!(check_id("a\nb"), Err(IdProblem::ControlCharacter { index: 1, code_point: 0x0a }));
/// assert_eq!(
///     IdProblem::ControlCharacter { index: 1, code_point: 0x1b }.to_string(),
///     "control character U+001B at byte 1"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdProblem {
    /// The id is empty.
    Empty,
    /// The id is longer than [`MAX_ID_BYTES`].
    TooLong {
        /// Its length in bytes.
        bytes: usize,
    },
    /// The id holds a control character (`char::is_control`: C0 controls such as line
    /// breaks, tabs and escape, DEL, C1 controls) or a Unicode bidirectional formatting
    /// character (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which could split or
    /// disguise a line where the id is echoed.
    ControlCharacter {
        /// Byte offset of the character in the id.
        index: usize,
        /// Its code point.
        code_point: u32,
    },
}

impl fmt::Display for IdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdProblem::Empty => f.write_str("empty id"),
            IdProblem::TooLong { bytes } => {
                write!(f, "id of {bytes} bytes is longer than the {MAX_ID_BYTES} allowed")
            }
            IdProblem::ControlCharacter { index, code_point } => {
                write!(f, "control character U+{code_point:04X} at byte {index}")
            }
        }
    }
}

impl std::error::Error for IdProblem {}

/// Is `c` a character that must not appear in an id?
fn is_forbidden_in_id(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Checks that `id` can be used as a track, zone, phase or partner id: not empty, at most
/// [`MAX_ID_BYTES`] bytes, and without control or bidirectional formatting characters.
///
/// # Errors
/// The first problem found, as an [`IdProblem`].
///
/// # Example
/// ```
/// use sanctuary::id::{IdProblem, check_id};
/// assert!(check_id("UA-46").is_ok());
/// assert!(check_id("track 7 / Ωmega").is_ok()); // spaces and any script are fine
/// assert_eq!(check_id("a\u{1b}[31mb"), Err(IdProblem::ControlCharacter { index: 1, code_point: 0x1b }));
/// assert_eq!(check_id("\u{202E}cba"), Err(IdProblem::ControlCharacter { index: 0, code_point: 0x202e }));
/// ```
pub fn check_id(id: &str) -> Result<(), IdProblem> {
    if id.is_empty() {
        return Err(IdProblem::Empty);
    }
    if id.len() > MAX_ID_BYTES {
        return Err(IdProblem::TooLong { bytes: id.len() });
    }
    // Printable ASCII, the usual case, needs no decoding (this runs once per decision).
    if id.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Ok(());
    }
    match id.char_indices().find(|&(_, c)| is_forbidden_in_id(c)) {
        Some((index, c)) => Err(IdProblem::ControlCharacter {
            index,
            code_point: u32::from(c),
        }),
        None => Ok(()),
    }
}

/// The id made safe to echo on one line: each control or bidirectional formatting
/// character written as `\u{XXXX}` and a backslash as `\\`, cut to [`MAX_ID_BYTES`] bytes
/// (at a character boundary) with `…` appended when longer. A valid id that holds no
/// backslash comes back unchanged.
///
/// # Example
/// ```
/// use sanctuary::id::escape_id;
/// assert_eq!(escape_id("UA-46"), "UA-46");
/// assert_eq!(escape_id("a\nb"), "a\\u{000A}b");
/// assert_eq!(escape_id(&"x".repeat(200)).len(), 128 + "…".len());
/// ```
pub fn escape_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len().min(MAX_ID_BYTES));
    for c in id.chars() {
        let before = out.len();
        if is_forbidden_in_id(c) {
            out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
        } else if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
        if out.len() > MAX_ID_BYTES {
            out.truncate(before);
            out.push('…');
            break;
        }
    }
    out
}

/// A number formatted for a message: its shortest round-trip form when that is short,
/// scientific notation otherwise, so that an absurd input never becomes a 300-digit text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Num(pub(crate) f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        if v == 0.0 || !v.is_finite() || (1e-6..1e16).contains(&v.abs()) {
            write!(f, "{v}")
        } else {
            write!(f, "{v:e}")
        }
    }
}

#[cfg(test)]
mod id_checks {
    use super::*;

    #[test]
    fn numbers_in_messages_stay_short() {
        for v in [
            1e300,
            -1e300,
            1e-300,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            123.25,
            -0.5,
            0.0,
        ] {
            let s = Num(v).to_string();
            assert!(s.len() <= 24, "{v}: {s}");
            assert_eq!(s.parse::<f64>().ok(), Some(v));
        }
    }

    #[test]
    fn escaped_ids_are_valid_ids_or_cut() {
        for id in ["a\nb", "\u{1b}[2J", "\u{202E}x", "ok", "back\\slash", "\u{7f}"] {
            let e = escape_id(id);
            assert!(check_id(&e).is_ok(), "{id:?} -> {e:?}");
        }
    }
}
