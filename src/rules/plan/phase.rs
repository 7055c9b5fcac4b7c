//! Phases as the APIs take them: by id, or by a handle from the plan.

use super::*;

/// One phase of one plan: its position in [`Plan::phases`], tied to the plan's hash.
///
/// Get one from [`Plan::phase`], [`Plan::phase_handles`] or [`Plan::phase_at`]. A handle
/// names a phase only in the plan it came from: given to another plan (after a hot swap,
/// say) it is an unknown phase there, never a phase that happens to sit at the same
/// position.
///
/// # Example
/// ```
/// use sanctuary::{Engine, Plan, Track};
/// use sanctuary::plan::{Identity, TargetClass};
/// let plan = Plan::safe_haven()?;
/// let one = plan.phase("1").unwrap();
/// assert_eq!(one.index(), 1);
/// assert_eq!(plan.phases()[one.index()].id.as_str(), "1");
/// let engine = Engine::new(plan);
/// let lviv = Track::new("d1", 24.03, 49.84, 800.0, TargetClass::Uas, Identity::Hostile);
/// // A handle and an id decide alike.
/// assert_eq!(engine.decide(&lviv, one, None), engine.decide(&lviv, "1", None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PhaseHandle {
    index: u32,
    plan: PlanHash,
}

impl PhaseHandle {
    pub(crate) fn new(index: usize, plan: PlanHash) -> PhaseHandle {
        PhaseHandle {
            index: u32::try_from(index).unwrap_or(u32::MAX),
            plan,
        }
    }

    /// The phase's position in [`Plan::phases`] of its plan.
    pub fn index(self) -> usize {
        self.index as usize
    }

    /// The hash of the plan the handle belongs to.
    pub fn plan_hash(&self) -> &PlanHash {
        &self.plan
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A phase as the APIs take it: its id (`&str`, `String`, [`Id`]) or a [`PhaseHandle`].
///
/// Sealed: the crate decides what names a phase. An id that is not a phase of the plan,
/// or a handle from another plan, is an unknown phase.
pub trait PhaseKey: sealed::Sealed {
    /// The phase's position in `plan`, if it names one of its phases.
    fn index_in(&self, plan: &Plan) -> Option<usize>;
}

impl sealed::Sealed for str {}
impl PhaseKey for str {
    fn index_in(&self, plan: &Plan) -> Option<usize> {
        plan.phase_index(self)
    }
}

impl sealed::Sealed for String {}
impl PhaseKey for String {
    fn index_in(&self, plan: &Plan) -> Option<usize> {
        plan.phase_index(self)
    }
}

impl sealed::Sealed for Id {}
impl PhaseKey for Id {
    fn index_in(&self, plan: &Plan) -> Option<usize> {
        plan.phase_index(self.as_str())
    }
}

impl sealed::Sealed for PhaseHandle {}
impl PhaseKey for PhaseHandle {
    fn index_in(&self, plan: &Plan) -> Option<usize> {
        (self.plan == *plan.hash() && self.index() < plan.phases().len()).then_some(self.index())
    }
}

impl<T: PhaseKey + ?Sized> sealed::Sealed for &T {}
impl<T: PhaseKey + ?Sized> PhaseKey for &T {
    fn index_in(&self, plan: &Plan) -> Option<usize> {
        (**self).index_in(plan)
    }
}
