//! Target classes, identities and weapon control statuses: the codes of rules and tracks.

use super::*;

/// What kind of object a track is.
///
/// # Example
/// ```
/// use sanctuary::plan::TargetClass;
/// let c: TargetClass = serde_json::from_str(r#""cruise_missile""#)?;
/// assert_eq!(c, TargetClass::CruiseMissile);
/// assert_eq!(c.as_str(), "cruise_missile");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TargetClass {
    /// Cruise missile.
    CruiseMissile,
    /// Ballistic missile.
    BallisticMissile,
    /// Uncrewed aerial system (drone).
    Uas,
    /// Crewed aircraft.
    MannedAircraft,
    /// Class not determined.
    Unknown,
}

impl TargetClass {
    /// Every class, in declaration order.
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::TargetClass;
    /// assert_eq!(TargetClass::ALL.len(), 5);
    /// assert!(TargetClass::ALL.iter().all(|&c| TargetClass::parse(c.as_str()) == Some(c)));
    /// ```
    pub const ALL: [TargetClass; 5] = [
        TargetClass::CruiseMissile,
        TargetClass::BallisticMissile,
        TargetClass::Uas,
        TargetClass::MannedAircraft,
        TargetClass::Unknown,
    ];

    /// The stable snake_case code.
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::TargetClass;
    /// assert_eq!(TargetClass::MannedAircraft.as_str(), "manned_aircraft");
    /// assert_eq!(TargetClass::Uas.as_str(), "uas");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            TargetClass::CruiseMissile => "cruise_missile",
            TargetClass::BallisticMissile => "ballistic_missile",
            TargetClass::Uas => "uas",
            TargetClass::MannedAircraft => "manned_aircraft",
            TargetClass::Unknown => "unknown",
        }
    }

    /// Parses a snake_case code; `None` for anything else.
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::TargetClass;
    /// assert_eq!(TargetClass::parse("uas"), Some(TargetClass::Uas));
    /// assert_eq!(TargetClass::parse("UAS"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub(super) fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// How a track is identified.
///
/// # Example
/// ```
/// use sanctuary::plan::{Identity, WeaponsStatus};
/// let id: Identity = serde_json::from_str(r#""suspect""#)?;
/// assert_eq!(id, Identity::Suspect);
/// assert!(WeaponsStatus::Free.allows(id));
/// assert!(!WeaponsStatus::Tight.allows(id));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Identity {
    /// Identified hostile.
    Hostile,
    /// Suspected hostile.
    Suspect,
    /// Not identified.
    Unknown,
    /// Identified neutral: never engaged.
    Neutral,
    /// Identified friend: never engaged.
    Friend,
}

impl Identity {
    const ALL: [Identity; 5] = [
        Identity::Hostile,
        Identity::Suspect,
        Identity::Unknown,
        Identity::Neutral,
        Identity::Friend,
    ];

    /// The stable snake_case code.
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::Identity;
    /// assert_eq!(Identity::Hostile.as_str(), "hostile");
    /// assert_eq!(Identity::Friend.as_str(), "friend");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Identity::Hostile => "hostile",
            Identity::Suspect => "suspect",
            Identity::Unknown => "unknown",
            Identity::Neutral => "neutral",
            Identity::Friend => "friend",
        }
    }

    /// Parses a snake_case code; `None` for anything else.
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::Identity;
    /// assert_eq!(Identity::parse("neutral"), Some(Identity::Neutral));
    /// assert_eq!(Identity::parse("Neutral"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Weapon control status of a rule.
///
/// # Example
/// ```
/// use sanctuary::plan::WeaponsStatus;
/// let w: WeaponsStatus = serde_json::from_str(r#""tight""#)?;
/// assert_eq!(w, WeaponsStatus::Tight);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WeaponsStatus {
    /// Nothing is engaged.
    Hold,
    /// Only tracks identified [`Identity::Hostile`].
    Tight,
    /// Tracks identified hostile, suspect or unknown; never neutral or friend.
    Free,
}

impl WeaponsStatus {
    /// Does this status allow engaging a track of this identity?
    ///
    /// # Example
    /// ```
    /// use sanctuary::plan::{Identity, WeaponsStatus};
    /// assert!(WeaponsStatus::Tight.allows(Identity::Hostile));
    /// assert!(!WeaponsStatus::Tight.allows(Identity::Unknown));
    /// assert!(WeaponsStatus::Free.allows(Identity::Unknown));
    /// assert!(!WeaponsStatus::Free.allows(Identity::Friend));
    /// assert!(!WeaponsStatus::Hold.allows(Identity::Hostile));
    /// ```
    pub fn allows(self, identity: Identity) -> bool {
        match self {
            WeaponsStatus::Hold => false,
            WeaponsStatus::Tight => identity == Identity::Hostile,
            WeaponsStatus::Free => matches!(
                identity,
                Identity::Hostile | Identity::Suspect | Identity::Unknown
            ),
        }
    }
}
