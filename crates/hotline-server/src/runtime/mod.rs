//! The live routing engine: one task owns it (an actor), inputs arrive through a channel
//! and are applied in order, accepted entries are written to the event log in group
//! commits, and each caller is answered only once its entry is durable.
//!
//! ```text
//!  HTTP handlers ──Command──▶ routing task ──Batch──▶ writer task ──▶ Journal (store)
//!                               │ engine.handle(…)        │ after commit:
//!                               │ next_deadline → Tick     ├─▶ reply to each caller
//!                               ▼                          └─▶ push (desktops, wallboard)
//! ```
//!
//! While the writer commits one batch, the routing task keeps applying inputs into the
//! next one, so the batch size grows with the load and one `fsync` serves many events.

mod actor;
mod clock;
pub mod entry;
pub mod journal;
pub mod live;
pub mod tracker;

#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Instant;

use hotline_routing::{
    AgentConfig, AgentId, AgentView, ContactView, Decision, Event, QueueConfig, QueueId,
    RoutingConfig, RoutingError, Span, Time,
};
use tokio::sync::{broadcast, mpsc, oneshot, watch};

pub use self::clock::wall_clock;
use self::entry::ContactDetails;
pub use self::journal::{Batch, Genesis, Journal, JournalError};
pub use self::live::{Live, ReplayError};
use self::tracker::DesktopEvent;

/// What a caller asks the engine to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// A new contact; the routing task picks its id.
    Arrive {
        /// The queue it enters.
        queue: QueueId,
        /// Priority points for this contact.
        priority_boost: i32,
        /// Channel, customer, attributes.
        details: ContactDetails,
        /// Also compute the estimated wait (costs a walk over the contacts ahead).
        estimate: bool,
    },
    /// Any engine event but `ContactArrived` and `Tick` (those are the task's own).
    Event(Event),
    /// A new agent (logged out).
    AddAgent(AgentConfig),
    /// New skills, group or slots for an agent.
    UpdateAgent(AgentConfig),
    /// Removes a logged-out agent.
    RemoveAgent(AgentId),
    /// A new queue.
    AddQueue(QueueConfig),
    /// New rules for a queue.
    UpdateQueue(QueueConfig),
    /// Removes an empty queue.
    RemoveQueue(QueueId),
    /// Zeroes the live counters (a new day).
    ResetCounters,
}

/// The engine accepted the input and it is durable.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    /// The entry's place in the log.
    pub seq: u64,
    /// The engine time it was applied at.
    pub at: Time,
    /// What the engine decided, in order.
    pub decisions: Vec<Decision>,
    /// For an arrival or a contact event: the contact afterwards (`None` once it left).
    pub contact: Option<ContactView>,
    /// For an arrival: the contact id.
    pub contact_id: Option<hotline_routing::ContactId>,
    /// For an agent event: the agent afterwards.
    pub agent: Option<AgentView>,
    /// For an arrival with `estimate`: the estimated wait.
    pub estimated_wait: Option<Span>,
}

/// Why an input was not applied.
#[derive(Clone, Debug, thiserror::Error)]
pub enum ApplyError {
    /// The engine refused it (unknown id, wrong state); nothing changed, nothing logged.
    #[error(transparent)]
    Refused(#[from] RoutingError),
    /// The event log could not be written or the routing task is not running; the input
    /// may or may not have been applied, retry later.
    #[error("the routing engine is unavailable: {0}")]
    Unavailable(String),
}

/// Where the routing task is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Replaying the log.
    Replaying,
    /// Serving.
    Ready,
    /// A write failed; rebuilding from the log.
    Recovering,
    /// Stopped.
    Stopped,
}

/// Committed changes pushed to desktops and wallboards.
#[derive(Debug, Default)]
pub struct Push {
    /// Per-agent desktop notifications, in order.
    pub desktop: Vec<(AgentId, DesktopEvent)>,
    /// Queue or agent figures changed.
    pub wallboard_changed: bool,
}

/// Tuning of the routing task.
#[derive(Clone, Debug)]
pub struct RuntimeSettings {
    /// Commands waiting for the task before senders wait.
    pub channel_capacity: usize,
    /// Live contacts to make room for at start.
    pub reserve_contacts: usize,
    /// Entries read per page when replaying.
    pub replay_page: usize,
}

impl Default for RuntimeSettings {
    fn default() -> Self {
        RuntimeSettings {
            channel_capacity: 16_384,
            reserve_contacts: 50_000,
            replay_page: 10_000,
        }
    }
}

type QueryFn = Box<dyn FnOnce(&Live, Time) + Send>;

enum Command {
    Apply {
        input: Input,
        reply: oneshot::Sender<Result<Applied, ApplyError>>,
        received: Instant,
    },
    Query(QueryFn),
    Stop(oneshot::Sender<()>),
}

/// A cloneable handle on the routing task.
#[derive(Clone, Debug)]
pub struct RuntimeHandle {
    tx: mpsc::Sender<Command>,
    status: watch::Receiver<Status>,
    push: broadcast::Sender<Arc<Push>>,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Command::Apply { input, .. } => write!(f, "Apply({})", input_kind(input)),
            Command::Query(_) => f.write_str("Query"),
            Command::Stop(_) => f.write_str("Stop"),
        }
    }
}

fn input_kind(input: &Input) -> &'static str {
    match input {
        Input::Arrive { .. } => "ContactArrived",
        Input::Event(e) => e.name(),
        Input::AddAgent(_) => "AgentAdded",
        Input::UpdateAgent(_) => "AgentUpdated",
        Input::RemoveAgent(_) => "AgentRemoved",
        Input::AddQueue(_) => "QueueAdded",
        Input::UpdateQueue(_) => "QueueUpdated",
        Input::RemoveQueue(_) => "QueueRemoved",
        Input::ResetCounters => "CountersReset",
    }
}

impl RuntimeHandle {
    /// Applies `input` and waits until it is durable.
    pub async fn apply(&self, input: Input) -> Result<Applied, ApplyError> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Command::Apply {
                input,
                reply,
                received: Instant::now(),
            })
            .await
            .map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?
    }

    /// Runs `f` on the live state inside the routing task (with the current time) and
    /// returns its result. Keep it short: the task applies nothing meanwhile.
    pub async fn query<R, F>(&self, f: F) -> Result<R, ApplyError>
    where
        R: Send + 'static,
        F: FnOnce(&Live, Time) -> R + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        self.tx
            .send(Command::Query(Box::new(move |live, now| {
                let _ = tx.send(f(live, now));
            })))
            .await
            .map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())
    }

    /// The task's status now.
    pub fn status(&self) -> Status {
        *self.status.borrow()
    }

    /// Waits until the task is ready (or stopped).
    pub async fn ready(&self) -> Status {
        let mut rx = self.status.clone();
        let status = rx
            .wait_for(|s| matches!(s, Status::Ready | Status::Stopped))
            .await
            .map(|s| *s);
        status.unwrap_or(Status::Stopped)
    }

    /// Committed changes, as they commit.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Push>> {
        self.push.subscribe()
    }

    /// Flushes what is pending, then stops the task.
    pub async fn stop(&self) {
        let (tx, rx) = oneshot::channel();
        if self.tx.send(Command::Stop(tx)).await.is_ok() {
            let _ = rx.await;
        }
    }
}

fn stopped() -> ApplyError {
    ApplyError::Unavailable("the routing task has stopped".into())
}

/// Rebuilds the engine from the journal (creating the log with `seed` if there is none)
/// and starts the routing task. Returns once the replay is done.
pub async fn start<J: Journal>(
    journal: Arc<J>,
    seed: RoutingConfig,
    settings: RuntimeSettings,
) -> Result<(RuntimeHandle, tokio::task::JoinHandle<()>), StartError> {
    let live = actor::recover(&*journal, Some(seed), &settings).await?;
    let (tx, rx) = mpsc::channel(settings.channel_capacity);
    let (status_tx, status_rx) = watch::channel(Status::Ready);
    let (push, _) = broadcast::channel(4096);
    let task = actor::spawn(live, journal, rx, status_tx, push.clone(), settings);
    Ok((
        RuntimeHandle {
            tx,
            status: status_rx,
            push,
        },
        task,
    ))
}

/// The routing task could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Reading or creating the log failed.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The log does not replay.
    #[error(transparent)]
    Replay(#[from] ReplayError),
    /// The configuration is invalid.
    #[error("routing configuration: {0}")]
    Config(#[from] hotline_routing::ConfigError),
}
