//! The deadline index: one binary heap for every timer (ring-no-answer, fixed wrap-up end,
//! routing step), with lazy deletion. A cancelled timer stays in the heap; its token no
//! longer matches its owner's, and it is dropped when it reaches the top. Nothing ever scans
//! contacts or agents for due timers.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What a timer does when it fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TimerKind {
    /// A waiting contact reaches its next routing step (contact slot).
    Step(u32),
    /// An offer rings out (agent index).
    Ring(u32),
    /// A fixed wrap-up ends (agent index).
    WrapUp(u32),
}

/// Ordered by time, then class (routing steps first, so an agent freed at the same
/// instant already sees contacts at their new level), then token (creation order): a
/// deterministic total order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Timer {
    pub at: u64,
    pub class: u8,
    pub token: u64,
    pub kind: TimerKind,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Timers {
    heap: BinaryHeap<Reverse<Timer>>,
}

impl Timers {
    pub fn push(&mut self, at: u64, token: u64, kind: TimerKind) {
        let class = match kind {
            TimerKind::Step(_) => 0,
            TimerKind::Ring(_) | TimerKind::WrapUp(_) => 1,
        };
        self.heap.push(Reverse(Timer {
            at,
            class,
            token,
            kind,
        }));
    }

    pub fn peek(&self) -> Option<&Timer> {
        self.heap.peek().map(|r| &r.0)
    }

    pub fn pop(&mut self) -> Option<Timer> {
        self.heap.pop().map(|r| r.0)
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }
}
