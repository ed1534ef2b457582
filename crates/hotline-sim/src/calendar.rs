//! The event calendar: future events ordered by (time, sequence number).
//!
//! The sequence number breaks ties in insertion order, so events at the same instant are
//! processed in the order they were scheduled and a run never depends on how the heap
//! happens to arrange equal keys: same seed, same run.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

#[derive(Debug, Clone, Copy)]
struct Entry<T, E> {
    time: T,
    seq: u64,
    event: E,
}

impl<T: Ord, E> PartialEq for Entry<T, E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<T: Ord, E> Eq for Entry<T, E> {}
impl<T: Ord, E> PartialOrd for Entry<T, E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T: Ord, E> Ord for Entry<T, E> {
    // Reversed: BinaryHeap is a max-heap and the calendar pops the earliest event.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .cmp(&self.time)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// Future events keyed by time; ties pop in scheduling order.
#[derive(Debug, Clone)]
pub struct Calendar<T, E> {
    heap: BinaryHeap<Entry<T, E>>,
    seq: u64,
}

impl<T: Ord + Copy, E> Default for Calendar<T, E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Ord + Copy, E> Calendar<T, E> {
    pub fn new() -> Self {
        Calendar {
            heap: BinaryHeap::new(),
            seq: 0,
        }
    }

    pub fn with_capacity(n: usize) -> Self {
        Calendar {
            heap: BinaryHeap::with_capacity(n),
            seq: 0,
        }
    }

    #[inline]
    pub fn schedule(&mut self, time: T, event: E) {
        self.seq += 1;
        self.heap.push(Entry {
            time,
            seq: self.seq,
            event,
        });
    }

    #[inline]
    pub fn pop(&mut self) -> Option<(T, E)> {
        self.heap.pop().map(|e| (e.time, e.event))
    }

    #[inline]
    pub fn peek_time(&self) -> Option<T> {
        self.heap.peek().map(|e| e.time)
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_insertion_order() {
        let mut c = Calendar::new();
        c.schedule(5u64, 'a');
        c.schedule(3, 'b');
        c.schedule(5, 'c');
        c.schedule(3, 'd');
        c.schedule(1, 'e');
        let order: Vec<_> = std::iter::from_fn(|| c.pop()).collect();
        assert_eq!(order, [(1, 'e'), (3, 'b'), (3, 'd'), (5, 'a'), (5, 'c')]);
    }
}
