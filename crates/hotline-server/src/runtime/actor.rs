//! The routing task and its writer.

use std::mem;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hotline_routing::{AgentId, ContactId, Event, RoutingConfig, Time};
use tokio::sync::{broadcast, mpsc, oneshot, watch};

use super::clock::{instant_at, wall_clock};
use super::entry::{Entry, LoggedEntry};
use super::journal::{Batch, Genesis, Journal, JournalError};
use super::live::Live;
use super::tracker::Effects;
use super::{Applied, ApplyError, Command, Input, Push, RuntimeSettings, StartError, Status};

/// Commands handled in one go before the task looks at its timers and the writer again.
const DRAIN: usize = 512;

/// Reads the genesis (saving `seed` as the genesis of a new log) and replays every entry.
pub(super) async fn recover<J: Journal>(
    journal: &J,
    seed: Option<RoutingConfig>,
    settings: &RuntimeSettings,
) -> Result<Live, StartError> {
    let genesis = match journal.genesis().await? {
        Some(genesis) => genesis,
        None => {
            let config = seed.ok_or_else(|| JournalError("the event log has no genesis".into()))?;
            // Validate before saving: a genesis the engine refuses would block every start.
            hotline_routing::Engine::new(config.clone())?;
            let genesis = Genesis {
                config,
                at: wall_clock(),
            };
            journal.save_genesis(&genesis).await?;
            genesis
        }
    };
    let started = Instant::now();
    let mut live = Live::new(genesis.config, genesis.at)?;
    live.engine.reserve(settings.reserve_contacts);
    live.tracker.reserve(settings.reserve_contacts);
    let mut tail = Tail::default();
    loop {
        let page = journal.entries(live.seq, settings.replay_page).await?;
        if page.is_empty() {
            break;
        }
        for logged in &page {
            let mut fx = Effects::default();
            live.replay(logged, &mut fx)?;
            tail.keep(fx);
        }
    }
    let (records, spells) = tail.into_parts();
    journal.restore_effects(&records, &spells).await?;
    tracing::info!(
        entries = live.seq,
        live_contacts = live.engine.live_contacts(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "routing engine rebuilt from the event log"
    );
    metrics::gauge!("hotline_replayed_entries").set(live.seq as f64);
    Ok(live)
}

/// The most recent records and spells a replay produced: effects are written right
/// after their batch commits, so a crash can only lose the last few batches' worth.
#[derive(Default)]
struct Tail {
    records: std::collections::VecDeque<super::tracker::ContactRecord>,
    spells: std::collections::VecDeque<super::tracker::Spell>,
}

impl Tail {
    const KEEP: usize = 50_000;

    fn keep(&mut self, fx: Effects) {
        self.records.extend(fx.records);
        self.spells.extend(fx.spells);
        while self.records.len() > Self::KEEP {
            self.records.pop_front();
        }
        while self.spells.len() > Self::KEEP {
            self.spells.pop_front();
        }
    }

    fn into_parts(
        self,
    ) -> (
        Vec<super::tracker::ContactRecord>,
        Vec<super::tracker::Spell>,
    ) {
        (self.records.into(), self.spells.into())
    }
}

pub(super) fn spawn<J: Journal>(
    live: Live,
    journal: Arc<J>,
    rx: mpsc::Receiver<Command>,
    status: watch::Sender<Status>,
    push: broadcast::Sender<Arc<Push>>,
    settings: RuntimeSettings,
) -> tokio::task::JoinHandle<()> {
    let (to_writer, writer_rx) = mpsc::channel(1);
    let (writer_done, from_writer) = mpsc::channel(1);
    let writer = tokio::spawn(writer(journal.clone(), writer_rx, writer_done, push));
    let actor = Actor {
        live,
        journal,
        rx,
        status,
        settings,
        pending: Pending::default(),
        to_writer,
        from_writer,
        writer: Some(writer),
        writing: false,
        meters: Meters::new(),
    };
    tokio::spawn(actor.run())
}

struct Waiter {
    reply: oneshot::Sender<Result<Applied, ApplyError>>,
    applied: Applied,
    received: Instant,
}

/// Entries applied since the last flush, and who waits for them.
#[derive(Default)]
struct Pending {
    batch: Batch,
    push: Push,
    waiters: Vec<Waiter>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.batch.entries.is_empty()
    }
}

struct Actor<J> {
    live: Live,
    journal: Arc<J>,
    rx: mpsc::Receiver<Command>,
    status: watch::Sender<Status>,
    settings: RuntimeSettings,
    pending: Pending,
    to_writer: mpsc::Sender<Pending>,
    from_writer: mpsc::Receiver<Result<(), JournalError>>,
    writer: Option<tokio::task::JoinHandle<()>>,
    /// A batch is with the writer.
    writing: bool,
    meters: Meters,
}

/// Metric handles looked up once (a lookup per event would cost more than the engine).
struct Meters {
    decision: metrics::Histogram,
    applied: std::collections::HashMap<&'static str, metrics::Counter>,
}

impl Meters {
    fn new() -> Meters {
        Meters {
            decision: metrics::histogram!("hotline_decision_seconds"),
            applied: std::collections::HashMap::new(),
        }
    }

    fn applied(&mut self, kind: &'static str) -> &metrics::Counter {
        self.applied
            .entry(kind)
            .or_insert_with(|| metrics::counter!("hotline_events_applied_total", "kind" => kind))
    }
}

enum Flow {
    Continue,
    Stop(Option<oneshot::Sender<()>>),
}

impl<J: Journal> Actor<J> {
    async fn run(mut self) {
        let stop = loop {
            let deadline = self.live.engine.next_deadline();
            let sleep = tokio::time::sleep_until(match deadline {
                Some(t) => instant_at(t),
                None => tokio::time::Instant::now() + Duration::from_secs(3600),
            });
            tokio::select! {
                biased;
                done = self.from_writer.recv(), if self.writing => {
                    self.writing = false;
                    match done {
                        Some(Ok(())) => {}
                        Some(Err(e)) => {
                            if let Flow::Stop(ack) = self.rebuild(e).await {
                                break ack;
                            }
                        }
                        None => break None,
                    }
                }
                cmd = self.rx.recv() => {
                    let Some(cmd) = cmd else { break None };
                    if let Flow::Stop(ack) = self.command(cmd) {
                        break ack;
                    }
                    let mut flow = Flow::Continue;
                    for _ in 0..DRAIN {
                        match self.rx.try_recv() {
                            Ok(cmd) => {
                                flow = self.command(cmd);
                                if matches!(flow, Flow::Stop(_)) {
                                    break;
                                }
                            }
                            Err(_) => break,
                        }
                    }
                    if let Flow::Stop(ack) = flow {
                        break ack;
                    }
                }
                () = sleep, if deadline.is_some() => {
                    let now = self.now();
                    self.fire_due(now);
                }
            }
            self.flush();
        };
        self.drain().await;
        // Closing the channel lets the writer store its last effects and end.
        let (closed, _) = mpsc::channel(1);
        drop(mem::replace(&mut self.to_writer, closed));
        if let Some(writer) = self.writer.take() {
            let _ = writer.await;
        }
        self.status.send_replace(Status::Stopped);
        if let Some(ack) = stop {
            let _ = ack.send(());
        }
    }

    fn command(&mut self, cmd: Command) -> Flow {
        match cmd {
            Command::Apply {
                input,
                reply,
                received,
            } => self.apply(input, reply, received),
            Command::Query(f) => {
                let now = self.now();
                f(&self.live, now);
            }
            Command::Stop(ack) => return Flow::Stop(Some(ack)),
        }
        Flow::Continue
    }

    /// The wall clock, never behind the engine.
    fn now(&self) -> Time {
        wall_clock().max(self.live.engine.now())
    }

    /// Fires every timer due by `now`, each `Tick` at its own deadline, so a timer fires
    /// at the time it was due even when the task woke late or events came first.
    fn fire_due(&mut self, now: Time) {
        while let Some(due) = self.live.engine.next_deadline() {
            if due > now {
                break;
            }
            let at = due.max(self.live.engine.now());
            let entry = Entry::Engine { event: Event::Tick };
            let mut fx = Effects::default();
            if let Err(e) = self.live.apply(at, &entry, &mut fx) {
                tracing::error!(error = %e, "tick refused");
                break;
            }
            self.log(at, entry, fx);
            if self
                .live
                .engine
                .next_deadline()
                .is_some_and(|next| next <= at)
            {
                tracing::error!(
                    at = at.as_millis(),
                    "a tick left a timer due; retrying later"
                );
                break;
            }
        }
    }

    fn log(&mut self, at: Time, entry: Entry, mut fx: Effects) -> u64 {
        self.live.seq += 1;
        let seq = self.live.seq;
        self.meters.applied(entry.kind()).increment(1);
        self.pending
            .batch
            .entries
            .push(LoggedEntry { seq, at, entry });
        self.pending.batch.records.append(&mut fx.records);
        self.pending.batch.spells.append(&mut fx.spells);
        self.pending.push.desktop.append(&mut fx.desktop);
        self.pending.push.wallboard_changed |= fx.wallboard_changed;
        seq
    }

    fn apply(
        &mut self,
        input: Input,
        reply: oneshot::Sender<Result<Applied, ApplyError>>,
        received: Instant,
    ) {
        let now = self.now();
        self.fire_due(now);
        let mut estimate = false;
        let entry = match input {
            Input::Arrive {
                queue,
                priority_boost,
                details,
                estimate: e,
            } => {
                estimate = e;
                Entry::Arrived {
                    contact: ContactId(self.live.next_contact),
                    queue,
                    priority_boost,
                    details,
                }
            }
            Input::Event(Event::ContactArrived {
                contact,
                queue,
                priority_boost,
            }) => Entry::Arrived {
                contact,
                queue,
                priority_boost,
                details: Default::default(),
            },
            Input::Event(event) => Entry::Engine { event },
            Input::AddAgent(agent) => Entry::AgentAdded { agent },
            Input::UpdateAgent(agent) => Entry::AgentUpdated { agent },
            Input::RemoveAgent(agent) => Entry::AgentRemoved { agent },
            Input::AddQueue(queue) => Entry::QueueAdded { queue },
            Input::UpdateQueue(queue) => Entry::QueueUpdated { queue },
            Input::RemoveQueue(queue) => Entry::QueueRemoved { queue },
            Input::ResetCounters => Entry::CountersReset,
        };
        let mut fx = Effects::default();
        let started = Instant::now();
        let result = self.live.apply(now, &entry, &mut fx).map(<[_]>::to_vec);
        self.meters.decision.record(started.elapsed().as_secs_f64());
        let decisions = match result {
            Ok(decisions) => decisions,
            Err(e) => {
                metrics::counter!("hotline_events_refused_total", "kind" => entry.kind())
                    .increment(1);
                let _ = reply.send(Err(ApplyError::Refused(e)));
                return;
            }
        };
        let (contact, agent) = subjects(&entry);
        let engine = &self.live.engine;
        let contact_view = contact.and_then(|c| engine.contact(c));
        let applied = Applied {
            seq: 0,
            at: now,
            decisions,
            contact: contact_view,
            contact_id: match entry {
                Entry::Arrived { contact, .. } => Some(contact),
                _ => None,
            },
            agent: agent.and_then(|a| engine.agent(a)),
            estimated_wait: match (estimate, contact) {
                (true, Some(c)) => engine.estimated_wait(c, now),
                _ => None,
            },
        };
        let seq = self.log(now, entry, fx);
        self.pending.waiters.push(Waiter {
            reply,
            applied: Applied { seq, ..applied },
            received,
        });
    }

    /// Hands the pending batch to the writer if it is idle.
    fn flush(&mut self) {
        if self.writing || self.pending.is_empty() {
            return;
        }
        let batch = mem::take(&mut self.pending);
        match self.to_writer.try_send(batch) {
            Ok(()) => self.writing = true,
            Err(
                mpsc::error::TrySendError::Full(batch) | mpsc::error::TrySendError::Closed(batch),
            ) => {
                // The writer is gone (the runtime is shutting down): nothing can be made
                // durable, so nobody may be told it was.
                for w in batch.waiters {
                    let _ = w.reply.send(Err(ApplyError::Unavailable(
                        "the event log writer has stopped".into(),
                    )));
                }
            }
        }
    }

    /// Writes everything still pending before the task ends.
    async fn drain(&mut self) {
        loop {
            if self.writing {
                match self.from_writer.recv().await {
                    Some(Ok(())) => self.writing = false,
                    Some(Err(e)) => {
                        tracing::error!(error = %e, "event log write failed while stopping");
                        self.writing = false;
                    }
                    None => return,
                }
            }
            if self.pending.is_empty() {
                return;
            }
            self.flush();
        }
    }

    /// A write failed: the engine is ahead of the log. Refuse what is pending, then rebuild
    /// the engine from the log, which holds exactly what was acknowledged. While the
    /// database stays unreachable, commands are still answered (events refused as
    /// unavailable, queries from the last state) and a stop ends the retries, so a
    /// server whose database is gone still shuts down on SIGTERM.
    async fn rebuild(&mut self, error: JournalError) -> Flow {
        tracing::error!(error = %error, "event log write failed; rebuilding the engine from the log");
        self.status.send_replace(super::Status::Recovering);
        for w in mem::take(&mut self.pending).waiters {
            let _ = w
                .reply
                .send(Err(ApplyError::Unavailable(error.to_string())));
        }
        let mut delay = Duration::from_millis(100);
        let journal = self.journal.clone();
        let settings = self.settings.clone();
        loop {
            let attempt = recover(&*journal, None, &settings);
            let result = tokio::select! {
                result = attempt => result,
                flow = self.refuse_until_stop() => return flow,
            };
            match result {
                Ok(live) => {
                    self.live = live;
                    break;
                }
                Err(e) => {
                    tracing::error!(error = %e, "rebuilding the engine failed; retrying");
                    let pause = tokio::time::sleep(delay);
                    tokio::select! {
                        () = pause => {}
                        flow = self.refuse_until_stop() => return flow,
                    }
                    delay = (delay * 2).min(Duration::from_secs(5));
                }
            }
        }
        self.status.send_replace(super::Status::Ready);
        Flow::Continue
    }

    /// Answers commands while the engine is being rebuilt; returns only on a stop (or
    /// when every handle is gone).
    async fn refuse_until_stop(&mut self) -> Flow {
        loop {
            match self.rx.recv().await {
                None => return Flow::Stop(None),
                Some(Command::Stop(ack)) => return Flow::Stop(Some(ack)),
                Some(Command::Apply { reply, .. }) => {
                    let _ = reply.send(Err(ApplyError::Unavailable(
                        "the server is rebuilding its routing engine after a database failure; \
                         retry later"
                            .into(),
                    )));
                }
                Some(Command::Query(f)) => {
                    let now = self.now();
                    f(&self.live, now);
                }
            }
        }
    }
}

/// The contact and the agent an entry is about.
fn subjects(entry: &Entry) -> (Option<ContactId>, Option<AgentId>) {
    match *entry {
        Entry::Arrived { contact, .. } => (Some(contact), None),
        Entry::Engine { event } => match event {
            Event::ContactArrived { contact, .. }
            | Event::ContactAbandoned { contact }
            | Event::CallbackRequested { contact }
            | Event::ContactTransferred { contact, .. }
            | Event::ContactEnded { contact } => (Some(contact), None),
            Event::AgentLoggedIn { agent }
            | Event::AgentLoggedOut { agent }
            | Event::AgentReady { agent }
            | Event::AgentNotReady { agent, .. } => (None, Some(agent)),
            Event::OfferAccepted { agent, contact }
            | Event::OfferRejected { agent, contact }
            | Event::WrapUpDone { agent, contact } => (Some(contact), Some(agent)),
            Event::Tick => (None, None),
        },
        Entry::AgentAdded { ref agent } | Entry::AgentUpdated { ref agent } => {
            (None, Some(agent.id))
        }
        _ => (None, None),
    }
}

/// Effects (records, spells) are written when the writer has been idle this long …
const EFFECTS_IDLE: Duration = Duration::from_millis(20);
/// … or at least this often under load …
const EFFECTS_EVERY: Duration = Duration::from_millis(50);
/// … or when this many are waiting.
const EFFECTS_MAX: usize = 5_000;

/// Commits batches one at a time; answers the callers and pushes the changes only after
/// the commit. Records and spells follow in log order, in their own transactions, off
/// the acknowledgement path: a few times a second under load, at once when idle.
async fn writer<J: Journal>(
    journal: Arc<J>,
    mut rx: mpsc::Receiver<Pending>,
    done: mpsc::Sender<Result<(), JournalError>>,
    push: broadcast::Sender<Arc<Push>>,
) {
    let mut effects = Effects::default();
    let mut last_effects = Instant::now();
    let commit_seconds = metrics::histogram!("hotline_commit_seconds");
    let batch_entries = metrics::histogram!("hotline_commit_batch_entries");
    let ack_seconds = metrics::histogram!("hotline_event_ack_seconds");
    loop {
        let next = if effects.records.is_empty() && effects.spells.is_empty() {
            rx.recv().await
        } else {
            match tokio::time::timeout(EFFECTS_IDLE, rx.recv()).await {
                Ok(next) => next,
                Err(_) => {
                    store_effects(&*journal, &mut effects).await;
                    last_effects = Instant::now();
                    continue;
                }
            }
        };
        let Some(mut pending) = next else {
            store_effects(&*journal, &mut effects).await;
            return;
        };
        let started = Instant::now();
        let result = append(&*journal, &pending.batch.entries).await;
        commit_seconds.record(started.elapsed().as_secs_f64());
        batch_entries.record(pending.batch.entries.len() as f64);
        match &result {
            Ok(()) => {
                for w in pending.waiters {
                    ack_seconds.record(w.received.elapsed().as_secs_f64());
                    let _ = w.reply.send(Ok(w.applied));
                }
                if !pending.push.desktop.is_empty() || pending.push.wallboard_changed {
                    let _ = push.send(Arc::new(pending.push));
                }
                effects.records.append(&mut pending.batch.records);
                effects.spells.append(&mut pending.batch.spells);
            }
            Err(e) => {
                for w in pending.waiters {
                    let _ = w.reply.send(Err(ApplyError::Unavailable(e.to_string())));
                }
            }
        }
        if done.send(result).await.is_err() {
            store_effects(&*journal, &mut effects).await;
            return;
        }
        if effects.records.len() + effects.spells.len() >= EFFECTS_MAX
            || last_effects.elapsed() >= EFFECTS_EVERY
        {
            store_effects(&*journal, &mut effects).await;
            last_effects = Instant::now();
        }
    }
}

/// Writes the effects waiting; on failure they stay, in order, for the next attempt (the
/// entries are durable: at worst a replay writes them).
async fn store_effects<J: Journal>(journal: &J, effects: &mut Effects) {
    if effects.records.is_empty() && effects.spells.is_empty() {
        return;
    }
    match journal
        .store_effects(&effects.records, &effects.spells)
        .await
    {
        Ok(()) => {
            metrics::counter!("hotline_contact_records_total")
                .increment(effects.records.len() as u64);
            effects.records.clear();
            effects.spells.clear();
        }
        Err(e) => {
            tracing::error!(error = %e, pending_records = effects.records.len(), "writing contact records failed; retrying later");
        }
    }
}

/// One append with two quick retries: a failed transaction rolled back, so retrying it
/// cannot write anything twice (a duplicate sequence number is refused by the log).
async fn append<J: Journal>(journal: &J, entries: &[LoggedEntry]) -> Result<(), JournalError> {
    let mut result = journal.append(entries).await;
    for delay in [20, 200] {
        if result.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(delay)).await;
        result = journal.append(entries).await;
    }
    result
}
