//! Live contacts in a slab: dense slots reused after a contact ends, found from the
//! caller's id through one hash lookup per event.

use super::hash::IdMap;
use crate::ids::{AgentId, ContactId, QueueId};
use crate::time::Time;
use crate::view::{ContactState, ContactView};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Where {
    Free,
    Waiting,
    Offered(AgentId),
    Connected(AgentId),
}

impl Where {
    pub fn name(self) -> &'static str {
        match self {
            Where::Free => "ended",
            Where::Waiting => "waiting",
            Where::Offered(_) => "offered",
            Where::Connected(_) => "connected",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct ContactRec {
    pub id: ContactId,
    pub queue: QueueId,
    pub at: Where,
    pub callback: bool,
    pub boost: i32,
    /// Place in line: orders and ages the contact.
    pub place: Time,
    /// Global arrival sequence: breaks ties between equal places, first come first served.
    pub seq: u64,
    /// Entered the current queue (steps, service level, ASA count from here).
    pub entered: Time,
    /// When an agent was connected, during this stay.
    pub answered_at: Option<Time>,
    pub level: u16,
    /// Token of the pending routing-step timer (0: none).
    pub step_token: u64,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Contacts {
    pub recs: Vec<ContactRec>,
    free: Vec<u32>,
    pub ids: IdMap<ContactId, u32>,
}

impl Contacts {
    pub fn slot(&self, id: ContactId) -> Option<u32> {
        self.ids.get(&id).copied()
    }

    pub fn get(&self, slot: u32) -> &ContactRec {
        &self.recs[slot as usize]
    }

    pub fn get_mut(&mut self, slot: u32) -> &mut ContactRec {
        &mut self.recs[slot as usize]
    }

    pub fn insert(&mut self, rec: ContactRec) -> u32 {
        let id = rec.id;
        let slot = match self.free.pop() {
            Some(slot) => {
                self.recs[slot as usize] = rec;
                slot
            }
            None => {
                self.recs.push(rec);
                (self.recs.len() - 1) as u32
            }
        };
        self.ids.insert(id, slot);
        slot
    }

    pub fn release(&mut self, slot: u32) {
        let rec = &mut self.recs[slot as usize];
        self.ids.remove(&rec.id);
        rec.at = Where::Free;
        rec.step_token = 0;
        self.free.push(slot);
    }

    pub fn reserve(&mut self, total: usize) {
        self.recs.reserve(total.saturating_sub(self.recs.len()));
        self.ids.reserve(total.saturating_sub(self.ids.len()));
    }

    pub fn live(&self) -> impl Iterator<Item = &ContactRec> {
        self.recs.iter().filter(|c| c.at != Where::Free)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }
}

impl ContactRec {
    pub fn view(&self) -> ContactView {
        ContactView {
            id: self.id,
            queue: self.queue,
            state: match self.at {
                Where::Offered(a) => ContactState::Offered(a),
                Where::Connected(a) => ContactState::Connected(a),
                Where::Waiting | Where::Free => ContactState::Waiting,
            },
            callback: self.callback,
            priority_boost: self.boost,
            place: self.place,
            sequence: self.seq,
            entered_queue: self.entered,
            level: self.level,
        }
    }
}
