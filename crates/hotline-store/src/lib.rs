//! Persistence for Hotline: the organisation (sites, departments, teams, people, skills,
//! queues), authentication records (API keys, sessions), the durable event log with
//! snapshots, contact records and agent state history — on **SQLite** (the default: one
//! file, WAL, `synchronous=FULL`) or **PostgreSQL**, with the same repository code.
//!
//! ```no_run
//! # async fn demo() -> Result<(), hotline_store::StoreError> {
//! use hotline_store::{NewSkill, Store};
//! let store = Store::connect("./hotline-data/hotline.db").await?; // or postgres://…
//! let billing = store.create_skill(&NewSkill { name: "billing".into(), description: String::new() }).await?;
//! # let _ = billing; Ok(()) }
//! ```
//!
//! Every repository is an async verb-noun method on [`Store`]; errors are one
//! [`StoreError`] whose variants map onto HTTP statuses. Times are milliseconds since
//! the Unix epoch ([`TimestampMs`]). See `docs/storage.md` for the schema, migrations
//! and durability settings.

mod agent_states;
mod auth;
mod contacts;
mod db;
mod error;
mod events;
mod ids;
mod import;
mod intervals;
mod org;
mod reports;
mod scan;
mod scorecards;
mod values;
mod writer_lock;

pub use agent_states::{AgentState, NewAgentState, MAX_REASON_CHARS};
pub use auth::{ApiKey, NewApiKey, NewSession, Session};
pub use contacts::{
    ContactCursor, ContactFilter, ContactPage, ContactRecord, MAX_ATTRIBUTES_BYTES, MAX_ID_CHARS,
    MAX_PAGE,
};
pub use db::{BackendKind, Store, StoreOptions};
pub use error::{Result, StoreError};
pub use events::{LoggedEvent, NewLoggedEvent, Snapshot, KEEP_SNAPSHOTS, MAX_REPLAY_BATCH};
pub use ids::{
    AgentStateId, ApiKeyId, DepartmentId, DurationMs, PersonId, QueueId, Seq, SiteId, SkillId,
    TeamId, TimestampMs,
};
pub use import::{
    check_import_record, check_import_records, check_import_state, check_import_states,
    import_reject, username_for, BatchOutcome, CreatedPerson, Import, ImportEnd, ImportId,
    ImportKind, ImportRun, NewImport, RECORD_CHUNK,
};
pub use intervals::{ContactSink, ContactsRead};
pub use org::people::{
    Login, NewPerson, Person, PersonFilter, PersonSkill, PersonSkillRow, PersonUpdate,
};
pub use org::queues::{
    Queue, QueueSettings, RoutingStep, StepAction, WrapUp, MAX_AGING_RATE, MAX_QUEUE_SECONDS,
    MAX_ROUTING_STEPS,
};
pub use org::skills::{NewSkill, Skill, MAX_DESCRIPTION_CHARS};
pub use org::structure::{Department, NewDepartment, NewSite, NewTeam, Site, Team, MAX_NAME_CHARS};
pub use reports::ReportQuery;
pub use scan::{RecordFields, ScanSink};
pub use scorecards::{
    DefinitionFormat, NewScorecardDefinition, ScorecardDefinition, MAX_DEFINITION_BYTES,
};
pub use values::{AgentStateKind, Channel, Outcome, Proficiency, Role, Tier};
pub use writer_lock::WriterLock;
