//! Errors of loading a plan.

use super::*;

/// A plan failed to load or validate. `place` is the path in the plan file, e.g.
/// `zones[3].rules[1].from_phase`.
///
/// # Example
/// ```
/// use sanctuary::{Plan, plan::PlanError};
/// assert!(matches!(Plan::from_json_str("{"), Err(PlanError::Syntax { .. })));
/// let err = Plan::from_json_str(r#"{"name": "x", "phases": [], "zones": []}"#).unwrap_err();
/// assert!(matches!(err, PlanError::Invalid { .. }));
/// assert_eq!(err.to_string(), "phases: a plan needs at least one phase");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum PlanError {
    /// The plan file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The plan is not valid JSON or does not have the plan's structure (an unknown
    /// field, a wrong type, a missing field).
    Syntax {
        /// Path in the file where parsing failed (`.` for the top).
        place: String,
        /// Line of the text where parsing failed (1-based; 0 when not known).
        line: usize,
        /// Column of the text where parsing failed (1-based; 0 when not known).
        column: usize,
        /// What the parser said, without the position.
        message: String,
    },
    /// A phase id that the plan does not have.
    UnknownPhase {
        /// Path in the file.
        place: String,
        /// The id given.
        id: String,
        /// A phase id one edit away from it, if there is one.
        did_you_mean: Option<String>,
    },
    /// A partner id that the plan does not have.
    UnknownPartner {
        /// Path in the file.
        place: String,
        /// The id given.
        id: String,
        /// A partner id one edit away from it, if there is one.
        did_you_mean: Option<String>,
    },
    /// A `source` reference to a feature that its zone file does not have.
    UnknownFeature {
        /// Path in the file.
        place: String,
        /// The zone file.
        file: String,
        /// The feature id given.
        feature: String,
        /// A feature id of that file one edit away from it, if there is one.
        did_you_mean: Option<String>,
    },
    /// Two phases, partners or zones with one id.
    DuplicateId {
        /// Path in the file (of the second).
        place: String,
        /// The id.
        id: String,
        /// Path in the file of the first.
        first: String,
    },
    /// An id that is not allowed (see [`crate::id::check_id`]).
    InvalidId {
        /// Path in the file.
        place: String,
        /// Why it is refused.
        problem: IdProblem,
    },
    /// A value out of its range or in the wrong order: a standoff, an altitude band, a
    /// time, a phase range, a time window.
    BadValue {
        /// Path in the file.
        place: String,
        /// What is wrong.
        message: String,
    },
    /// A `source` file that may not be read: outside the plan's directory (absolute,
    /// `..`, a symlink that escapes), missing, or not embedded.
    FileConfinement {
        /// Path in the file.
        place: String,
        /// The file as given.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The plan is larger than a documented limit.
    TooLarge {
        /// Path in the file.
        place: String,
        /// What is counted (e.g. `vertices`).
        what: &'static str,
        /// The limit.
        limit: u64,
    },
    /// The plan's structure is incomplete or contradictory (no phases, no zones, both a
    /// geometry and a source, rules on an exclusion, a sanctuary without rules).
    Invalid {
        /// Path in the file.
        place: String,
        /// What is wrong.
        message: String,
    },
    /// A zone's geometry failed to load or validate.
    Zone {
        /// Path in the file.
        place: String,
        /// The underlying error.
        source: LoadError,
    },
    /// The plan's content hash is not the one the caller pinned.
    HashMismatch {
        /// The pinned hash.
        expected: String,
        /// The plan's hash.
        actual: String,
    },
}

/// Messages are complete: a wrapped error's message is part of the wrapper's, so
/// `source()` returns `None` (match the variant to reach the wrapped error); a place is
/// written once, even when the wrapped error names a place inside it.
impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let suggest = |f: &mut fmt::Formatter<'_>, s: &Option<String>| match s {
            Some(s) => write!(f, "; did you mean `{}`?", escape_id(s)),
            None => Ok(()),
        };
        match self {
            PlanError::Io { path, source } => write!(f, "cannot read plan `{}`: {source}", path.display()),
            PlanError::Syntax {
                place,
                line,
                column,
                message,
            } => {
                if *line > 0 {
                    write!(f, "{place}: {message} at line {line} column {column}")
                } else {
                    write!(f, "{place}: {message}")
                }
            }
            PlanError::UnknownPhase {
                place,
                id,
                did_you_mean,
            } => {
                write!(f, "{place}: unknown phase `{}`", escape_id(id))?;
                suggest(f, did_you_mean)
            }
            PlanError::UnknownPartner {
                place,
                id,
                did_you_mean,
            } => {
                write!(f, "{place}: unknown partner `{}`", escape_id(id))?;
                suggest(f, did_you_mean)
            }
            PlanError::UnknownFeature {
                place,
                file,
                feature,
                did_you_mean,
            } => {
                write!(
                    f,
                    "{place}: no feature with id `{}` in `{}`",
                    escape_id(feature),
                    escape_id(file)
                )?;
                suggest(f, did_you_mean)
            }
            PlanError::DuplicateId { place, id, first } => {
                write!(
                    f,
                    "{place}: duplicate id `{}` (first used by {first})",
                    escape_id(id)
                )
            }
            PlanError::InvalidId { place, problem } => write!(f, "{place}: invalid id: {problem}"),
            PlanError::FileConfinement { place, message, .. }
            | PlanError::BadValue { place, message }
            | PlanError::Invalid { place, message } => write!(f, "{place}: {message}"),
            PlanError::TooLarge { place, what, limit } => {
                write!(f, "{place}: the plan holds more than {limit} {what}")
            }
            PlanError::Zone { place, source } => match source.place() {
                // The inner place is the more precise: it alone.
                Some(inner) if inner.starts_with(place.as_str()) => write!(f, "{source}"),
                // The outer place is the more precise: it alone, then the inner message.
                Some(inner) if place.starts_with(inner) => write!(f, "{place}: {}", source.message()),
                _ => write!(f, "{place}: {source}"),
            },
            PlanError::HashMismatch { expected, actual } => {
                write!(f, "plan hash `{actual}` does not match the expected `{expected}`")
            }
        }
    }
}

impl std::error::Error for PlanError {}

impl PlanError {
    pub(super) fn invalid(place: impl Into<String>, message: impl Into<String>) -> Self {
        PlanError::Invalid {
            place: place.into(),
            message: message.into(),
        }
    }

    pub(super) fn bad_value(place: impl Into<String>, message: impl Into<String>) -> Self {
        PlanError::BadValue {
            place: place.into(),
            message: message.into(),
        }
    }

    /// The path in the plan file where the problem is, when there is one.
    ///
    /// # Example
    /// ```
    /// use sanctuary::{Plan, plan::PlanError};
    /// let err = Plan::from_json_str(r#"{"name": "x", "phases": [{"id": "0", "name": "a"}], "zones": []}"#)
    ///     .unwrap_err();
    /// assert_eq!(err.place(), Some("zones"));
    /// let pinned = PlanError::HashMismatch { expected: "00".into(), actual: "11".into() };
    /// assert_eq!(pinned.place(), None);
    /// ```
    pub fn place(&self) -> Option<&str> {
        match self {
            PlanError::Syntax { place, .. }
            | PlanError::UnknownPhase { place, .. }
            | PlanError::UnknownPartner { place, .. }
            | PlanError::UnknownFeature { place, .. }
            | PlanError::DuplicateId { place, .. }
            | PlanError::InvalidId { place, .. }
            | PlanError::BadValue { place, .. }
            | PlanError::FileConfinement { place, .. }
            | PlanError::TooLarge { place, .. }
            | PlanError::Invalid { place, .. }
            | PlanError::Zone { place, .. } => Some(place),
            _ => None,
        }
    }
}

/// The candidate one edit (an insertion, a deletion, a substitution or a swap of two
/// neighbouring characters) away from `id`, the first in order, if any. Ids shorter than
/// three characters get no suggestion: any other short id is one edit away (`9` and `0`).
pub(super) fn one_edit_away<'a>(id: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    const SHORTEST: usize = 3;
    let a: Vec<char> = id.chars().collect();
    if a.len() < SHORTEST {
        return None;
    }
    candidates
        .into_iter()
        .find(|c| {
            let b: Vec<char> = c.chars().collect();
            b.len() >= SHORTEST && is_one_edit(&a, &b)
        })
        .map(str::to_string)
}

fn is_one_edit(a: &[char], b: &[char]) -> bool {
    if a == b {
        return false;
    }
    let (la, lb) = (a.len(), b.len());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = |x: &[char], y: &[char]| x.get(prefix + 1..) == y.get(prefix..);
    if la == lb {
        // One substitution, or one swap of neighbours.
        let rest_equal = a.get(prefix + 1..) == b.get(prefix + 1..);
        let swapped = a.get(prefix) == b.get(prefix + 1)
            && a.get(prefix + 1) == b.get(prefix)
            && a.get(prefix + 2..) == b.get(prefix + 2..);
        rest_equal || swapped
    } else if la == lb + 1 {
        tail(a, b)
    } else if lb == la + 1 {
        tail(b, a)
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_away_finds_typos_and_nothing_else() {
        let ids = ["POL", "SVK", "HUN", "ROU"];
        assert_eq!(one_edit_away("PLO", ids), Some("POL".into())); // a swap
        assert_eq!(one_edit_away("SVKK", ids), Some("SVK".into())); // an insertion
        assert_eq!(one_edit_away("ROMNIA", ["ROMANIA"]), Some("ROMANIA".into())); // a letter left out
        assert_eq!(one_edit_away("HUNN", ids), Some("HUN".into())); // one too many
        assert_eq!(one_edit_away("HU", ids), None); // too short to guess
        assert_eq!(one_edit_away("RUU", ids), Some("ROU".into())); // a substitution
        assert_eq!(one_edit_away("POL", ids), None); // the same id is no typo
        assert_eq!(one_edit_away("XYZ", ids), None);
        assert_eq!(one_edit_away("9", ["0", "1"]), None);
        assert_eq!(one_edit_away("Kiyv", ["Kyiv"]), Some("Kyiv".into()));
        assert_eq!(one_edit_away("abc", ["cba"]), None);
    }
}
