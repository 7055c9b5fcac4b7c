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
    /// The plan is not valid JSON or does not have the plan's structure.
    Syntax {
        /// Path in the file where parsing failed (`.` for the top).
        place: String,
        /// What the parser said, with line and column.
        message: String,
    },
    /// A value is invalid or a reference does not resolve.
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
        match self {
            PlanError::Io { path, source } => write!(f, "cannot read plan `{}`: {source}", path.display()),
            PlanError::Syntax { place, message } | PlanError::Invalid { place, message } => {
                write!(f, "{place}: {message}")
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
            | PlanError::Invalid { place, .. }
            | PlanError::Zone { place, .. } => Some(place),
            _ => None,
        }
    }
}
