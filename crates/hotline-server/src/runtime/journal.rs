//! The durable side of the runtime: what the actor needs from storage.
//!
//! A trait rather than the store itself so the actor's durability rules (acknowledge only
//! after commit, rebuild after a failed write) are tested with a journal that fails on
//! demand; the server implements it over `hotline-store` (see `crate::store`).

use std::future::Future;

use hotline_routing::{RoutingConfig, Time};

use super::entry::LoggedEntry;
use super::tracker::{ContactRecord, Spell};

/// Storage failed; the message is for operators (it never holds personal data).
#[derive(Clone, Debug, thiserror::Error)]
#[error("event log: {0}")]
pub struct JournalError(pub String);

/// Where the log starts: the engine configuration it was created with.
///
/// The engine keeps its live state (waiting contacts, agents' states, counters) in memory
/// only and offers no way to serialise it, so the only point from which a replay can start
/// is one where that state is empty: the start of the log. The genesis therefore holds the
/// configuration at that point; a restart rebuilds the engine from it plus every entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Genesis {
    /// The configuration at the start of the log.
    pub config: RoutingConfig,
    /// When the log started.
    pub at: Time,
}

/// What one group commit writes.
#[derive(Debug, Default)]
pub struct Batch {
    /// Entries, in order, with consecutive sequence numbers.
    pub entries: Vec<LoggedEntry>,
    /// Contact records finished by these entries.
    pub records: Vec<ContactRecord>,
    /// Agents' finished spells in a state.
    pub spells: Vec<Spell>,
}

/// Durable storage for the event log, the contact records and the agents' state history.
///
/// The entries are the source of truth and are acknowledged once [`Journal::append`]
/// returns. Records and spells are derived from them and written afterwards, in log
/// order, by [`Journal::store_effects`]; what a crash loses of them a replay produces
/// again, and [`Journal::restore_effects`] writes the part that is missing.
pub trait Journal: Send + Sync + 'static {
    /// The start of the log, if one was saved.
    fn genesis(&self) -> impl Future<Output = Result<Option<Genesis>, JournalError>> + Send;

    /// Saves the start of the log (once, before any entry).
    fn save_genesis(
        &self,
        genesis: &Genesis,
    ) -> impl Future<Output = Result<(), JournalError>> + Send;

    /// Up to `limit` entries with `seq > after`, in order.
    fn entries(
        &self,
        after: u64,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<LoggedEntry>, JournalError>> + Send;

    /// Writes the entries in one transaction (all or nothing); when this returns `Ok` they
    /// are durable.
    fn append(
        &self,
        entries: &[LoggedEntry],
    ) -> impl Future<Output = Result<(), JournalError>> + Send;

    /// Writes records and spells of entries already appended.
    fn store_effects(
        &self,
        records: &[ContactRecord],
        spells: &[Spell],
    ) -> impl Future<Output = Result<(), JournalError>> + Send;

    /// After a replay: writes those of the replayed records and spells (all of them, in
    /// log order) that are not stored yet. Effects are stored in log order, so what is
    /// missing is a suffix.
    fn restore_effects(
        &self,
        records: &[ContactRecord],
        spells: &[Spell],
    ) -> impl Future<Output = Result<(), JournalError>> + Send;
}
