//! The API's JSON shapes. Times are RFC 3339 strings in UTC (`2026-11-23T09:15:02.125Z`),
//! durations whole milliseconds in fields ending `_ms` (or seconds in `_s`), ids numbers,
//! enumerations snake_case.
//!
//! Request types deny unknown fields, so a typo is a 422 naming the field rather than a
//! silently ignored setting.

use hotline_routing::{AgentState, Decision, Outcome, Time};
use hotline_store as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::runtime::entry::{Attributes, Channel, ContactDetails};

/// A time as RFC 3339 (UTC, milliseconds).
pub fn rfc3339(t: Time) -> String {
    let ms = i64::try_from(t.as_millis()).unwrap_or(i64::MAX);
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(ts) => format!("{ts:.3}"),
        Err(_) => format!("{ms}ms"),
    }
}

/// A store time as RFC 3339.
pub fn rfc3339_store(t: store::TimestampMs) -> String {
    rfc3339(Time::from_millis(u64::try_from(t.0).unwrap_or(0)))
}

// ----- roles, tiers ---------------------------------------------------------------------

/// What a person may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleDto {
    /// Everything, including people, keys and settings.
    Admin,
    /// Organisation, queues, reports.
    Manager,
    /// Wallboard, any agent's desktop, CTI events.
    Supervisor,
    /// Quality analyst: contact records.
    Quality,
    /// Trainer.
    Trainer,
    /// Their own desktop and records.
    Agent,
}

impl From<store::Role> for RoleDto {
    fn from(r: store::Role) -> RoleDto {
        match r {
            store::Role::Admin => RoleDto::Admin,
            store::Role::Manager => RoleDto::Manager,
            store::Role::Supervisor => RoleDto::Supervisor,
            store::Role::Quality => RoleDto::Quality,
            store::Role::Trainer => RoleDto::Trainer,
            store::Role::Agent => RoleDto::Agent,
        }
    }
}

impl From<RoleDto> for store::Role {
    fn from(r: RoleDto) -> store::Role {
        match r {
            RoleDto::Admin => store::Role::Admin,
            RoleDto::Manager => store::Role::Manager,
            RoleDto::Supervisor => store::Role::Supervisor,
            RoleDto::Quality => store::Role::Quality,
            RoleDto::Trainer => store::Role::Trainer,
            RoleDto::Agent => store::Role::Agent,
        }
    }
}

/// Career tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TierDto {
    /// Junior.
    Junior,
    /// Intermediate.
    Intermediate,
    /// Senior.
    Senior,
    /// Expert.
    Expert,
}

impl From<store::Tier> for TierDto {
    fn from(t: store::Tier) -> TierDto {
        match t {
            store::Tier::Junior => TierDto::Junior,
            store::Tier::Intermediate => TierDto::Intermediate,
            store::Tier::Senior => TierDto::Senior,
            store::Tier::Expert => TierDto::Expert,
        }
    }
}

impl From<TierDto> for store::Tier {
    fn from(t: TierDto) -> store::Tier {
        match t {
            TierDto::Junior => store::Tier::Junior,
            TierDto::Intermediate => store::Tier::Intermediate,
            TierDto::Senior => store::Tier::Senior,
            TierDto::Expert => store::Tier::Expert,
        }
    }
}

// ----- organisation ---------------------------------------------------------------------

/// A site to create or replace.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteIn {
    /// Unique name.
    pub name: String,
    /// IANA time zone (`Asia/Shanghai`).
    pub time_zone: String,
}

/// A site.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct SiteOut {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
}

impl From<store::Site> for SiteOut {
    fn from(s: store::Site) -> SiteOut {
        SiteOut {
            id: s.id.0,
            name: s.name,
            time_zone: s.time_zone,
        }
    }
}

/// A department to create or replace.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentIn {
    /// Its site.
    pub site_id: i64,
    /// Name, unique within the site.
    pub name: String,
}

/// A department.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct DepartmentOut {
    /// Id.
    pub id: i64,
    /// Its site.
    pub site_id: i64,
    /// Name.
    pub name: String,
}

impl From<store::Department> for DepartmentOut {
    fn from(d: store::Department) -> DepartmentOut {
        DepartmentOut {
            id: d.id.0,
            site_id: d.site_id.0,
            name: d.name,
        }
    }
}

/// A team to create or replace.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamIn {
    /// Its department.
    pub department_id: i64,
    /// Name, unique within the department.
    pub name: String,
    /// The team leader (a person).
    #[serde(default)]
    pub leader_id: Option<i64>,
}

/// A team.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct TeamOut {
    /// Id.
    pub id: i64,
    /// Its department.
    pub department_id: i64,
    /// Name.
    pub name: String,
    /// The team leader.
    pub leader_id: Option<i64>,
}

impl From<store::Team> for TeamOut {
    fn from(t: store::Team) -> TeamOut {
        TeamOut {
            id: t.id.0,
            department_id: t.department_id.0,
            name: t.name,
            leader_id: t.leader_id.map(|p| p.0),
        }
    }
}

/// A skill and how well it is mastered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillLevel {
    /// The skill.
    pub skill_id: i64,
    /// 1 (novice) to 5 (expert).
    pub proficiency: u8,
}

/// A person to create.
#[derive(Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonIn {
    /// Login name: 2–64 of `a-z 0-9 . _ - @`.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Role.
    pub role: RoleDto,
    /// Career tier.
    #[serde(default = "default_tier")]
    pub tier: TierDto,
    /// Team.
    #[serde(default)]
    pub team_id: Option<i64>,
    /// Can log in and take contacts.
    #[serde(default = "yes")]
    pub active: bool,
    /// Initial password (8–256 characters); without one the person cannot log in until
    /// an admin sets it.
    #[serde(default)]
    pub password: Option<String>,
    /// Skills with proficiency.
    #[serde(default)]
    pub skills: Vec<SkillLevel>,
}

impl std::fmt::Debug for PersonIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonIn")
            .field("username", &self.username)
            .field("role", &self.role)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

fn default_tier() -> TierDto {
    TierDto::Junior
}

fn yes() -> bool {
    true
}

/// A person's new details (everything but password and skills).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonUpdateIn {
    /// Login name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Role.
    pub role: RoleDto,
    /// Career tier.
    pub tier: TierDto,
    /// Team.
    #[serde(default)]
    pub team_id: Option<i64>,
    /// Can log in and take contacts (an agent who is logged in cannot be deactivated).
    pub active: bool,
}

/// A person.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct PersonOut {
    /// Id (also the agent id on desktops and in the live views).
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Role.
    pub role: RoleDto,
    /// Career tier.
    pub tier: TierDto,
    /// Team.
    pub team_id: Option<i64>,
    /// Can log in and take contacts.
    pub active: bool,
}

impl From<store::Person> for PersonOut {
    fn from(p: store::Person) -> PersonOut {
        PersonOut {
            id: p.id.0,
            username: p.username,
            display_name: p.display_name,
            role: p.role.into(),
            tier: p.tier.into(),
            team_id: p.team_id.map(|t| t.0),
            active: p.active,
        }
    }
}

/// A new password set by an administrator.
#[derive(Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordIn {
    /// 8–256 characters.
    pub password: String,
}

impl std::fmt::Debug for PasswordIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordIn(<redacted>)")
    }
}

/// Changing one's own password.
#[derive(Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordIn {
    /// The password in use.
    pub current_password: String,
    /// The new one, 8–256 characters.
    pub new_password: String,
}

impl std::fmt::Debug for ChangePasswordIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangePasswordIn(<redacted>)")
    }
}

/// A skill to create or replace.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillIn {
    /// Unique name.
    pub name: String,
    /// What it covers.
    #[serde(default)]
    pub description: String,
}

/// A skill.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct SkillOut {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// What it covers.
    pub description: String,
}

impl From<store::Skill> for SkillOut {
    fn from(s: store::Skill) -> SkillOut {
        SkillOut {
            id: s.id.0,
            name: s.name,
            description: s.description,
        }
    }
}

/// What happens after a contact ends, before the agent is free again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum WrapUpDto {
    /// Exactly this long (0: none), unless the agent finishes earlier.
    Fixed {
        /// Seconds, 0 to 86400.
        seconds: u32,
    },
    /// Until the agent says they are done.
    Manual,
}

/// What a routing step changes; steps only widen who may take the contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum StepActionDto {
    /// Lower the minimum proficiency in the queue's skill.
    RelaxProficiency {
        /// The new minimum, below the one in force.
        min: u8,
    },
    /// Also accept agents with another skill at this level or better.
    AddSkill {
        /// The skill.
        skill_id: i64,
        /// Minimum proficiency.
        min: u8,
    },
    /// Also accept every member of this team (overflow).
    AddTeam {
        /// The team.
        team_id: i64,
    },
}

/// After a contact has waited `after_s` in the queue, `action` applies (bullseye).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingStepDto {
    /// Seconds in the queue, 1 to 86400, not decreasing from step to step.
    pub after_s: u32,
    /// What changes.
    pub action: StepActionDto,
}

/// A queue and its routing settings, to create or replace.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueueIn {
    /// Unique name.
    pub name: String,
    /// Medium of its contacts.
    #[serde(default)]
    pub channel: Channel,
    /// The skill an agent needs.
    pub skill_id: i64,
    /// Minimum proficiency, 1 to 5.
    #[serde(default = "one")]
    pub min_proficiency: u8,
    /// Base priority points (a VIP queue gets more).
    #[serde(default)]
    pub base_priority: i32,
    /// Priority points gained per second waited (0: no aging).
    #[serde(default)]
    pub aging_points_per_s: f64,
    /// Cap on the points gained by aging.
    #[serde(default)]
    pub aging_cap: Option<u32>,
    /// Service-level threshold T in seconds.
    #[serde(default = "twenty")]
    pub service_level_threshold_s: u32,
    /// Target share answered within T, percent (wallboard colours).
    #[serde(default = "eighty")]
    pub target_service_level_pct: f64,
    /// Wrap-up after each contact.
    #[serde(default = "no_wrap_up")]
    pub wrap_up: WrapUpDto,
    /// Handle time the wait estimate assumes until it has observed some, seconds.
    #[serde(default)]
    pub expected_handle_time_s: Option<u32>,
    /// Bullseye steps.
    #[serde(default)]
    pub routing_steps: Vec<RoutingStepDto>,
}

fn one() -> u8 {
    1
}
fn twenty() -> u32 {
    20
}
fn eighty() -> f64 {
    80.0
}
fn no_wrap_up() -> WrapUpDto {
    WrapUpDto::Fixed { seconds: 0 }
}

/// A queue.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct QueueOut {
    /// Id.
    pub id: i64,
    /// Its settings.
    #[serde(flatten)]
    pub settings: QueueIn,
}

fn proficiency(field: &str, level: u8) -> Result<store::Proficiency, ApiError> {
    store::Proficiency::parse(field, i64::from(level)).map_err(ApiError::from)
}

impl QueueIn {
    /// The store's settings; proficiencies out of range name their field.
    pub fn to_store(&self) -> Result<store::QueueSettings, ApiError> {
        let mut steps = Vec::with_capacity(self.routing_steps.len());
        for (i, s) in self.routing_steps.iter().enumerate() {
            let field = format!("routing_steps[{i}].action.min");
            let action = match s.action {
                StepActionDto::RelaxProficiency { min } => store::StepAction::RelaxProficiency {
                    min: proficiency(&field, min)?,
                },
                StepActionDto::AddSkill { skill_id, min } => store::StepAction::AddSkill {
                    skill_id: store::SkillId(skill_id),
                    min: proficiency(&field, min)?,
                },
                StepActionDto::AddTeam { team_id } => store::StepAction::AddTeam {
                    team_id: store::TeamId(team_id),
                },
            };
            steps.push(store::RoutingStep {
                after_s: s.after_s,
                action,
            });
        }
        Ok(store::QueueSettings {
            name: self.name.clone(),
            channel: self.channel.to_store(),
            skill_id: store::SkillId(self.skill_id),
            min_proficiency: proficiency("min_proficiency", self.min_proficiency)?,
            base_priority: self.base_priority,
            aging_points_per_s: self.aging_points_per_s,
            aging_cap: self.aging_cap,
            service_level_threshold_s: self.service_level_threshold_s,
            target_service_level_pct: self.target_service_level_pct,
            wrap_up: match self.wrap_up {
                WrapUpDto::Fixed { seconds } => store::WrapUp::Fixed { seconds },
                WrapUpDto::Manual => store::WrapUp::Manual,
            },
            expected_handle_time_s: self.expected_handle_time_s,
            routing_steps: steps,
        })
    }
}

impl From<store::Queue> for QueueOut {
    fn from(q: store::Queue) -> QueueOut {
        let s = q.settings;
        QueueOut {
            id: q.id.0,
            settings: QueueIn {
                name: s.name,
                channel: Channel::from_store(s.channel),
                skill_id: s.skill_id.0,
                min_proficiency: s.min_proficiency.get(),
                base_priority: s.base_priority,
                aging_points_per_s: s.aging_points_per_s,
                aging_cap: s.aging_cap,
                service_level_threshold_s: s.service_level_threshold_s,
                target_service_level_pct: s.target_service_level_pct,
                wrap_up: match s.wrap_up {
                    store::WrapUp::Fixed { seconds } => WrapUpDto::Fixed { seconds },
                    store::WrapUp::Manual => WrapUpDto::Manual,
                },
                expected_handle_time_s: s.expected_handle_time_s,
                routing_steps: s
                    .routing_steps
                    .into_iter()
                    .map(|r| RoutingStepDto {
                        after_s: r.after_s,
                        action: match r.action {
                            store::StepAction::RelaxProficiency { min } => {
                                StepActionDto::RelaxProficiency { min: min.get() }
                            }
                            store::StepAction::AddSkill { skill_id, min } => {
                                StepActionDto::AddSkill {
                                    skill_id: skill_id.0,
                                    min: min.get(),
                                }
                            }
                            store::StepAction::AddTeam { team_id } => {
                                StepActionDto::AddTeam { team_id: team_id.0 }
                            }
                        },
                    })
                    .collect(),
            },
        }
    }
}

// ----- auth -----------------------------------------------------------------------------

/// Credentials.
#[derive(Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
}

impl std::fmt::Debug for LoginIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginIn")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// A session: use `token` as `Authorization: Bearer <token>` (the same token is set as
/// the `hotline_session` cookie for browsers).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct LoginOut {
    /// The bearer token (shown once).
    pub token: String,
    /// When it expires.
    pub expires_at: String,
    /// Who logged in.
    pub person: PersonOut,
}

/// An API key to create.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyIn {
    /// What it is for (`asterisk-adapter`).
    pub name: String,
    /// The role it acts with.
    pub role: RoleDto,
}

/// An API key (without its secret).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiKeyOut {
    /// Id.
    pub id: i64,
    /// What it is for.
    pub name: String,
    /// The role it acts with.
    pub role: RoleDto,
    /// When it was created.
    pub created_at: String,
    /// When it was revoked.
    pub revoked_at: Option<String>,
}

impl From<store::ApiKey> for ApiKeyOut {
    fn from(k: store::ApiKey) -> ApiKeyOut {
        ApiKeyOut {
            id: k.id.0,
            name: k.name,
            role: k.role.into(),
            created_at: rfc3339_store(k.created_at),
            revoked_at: k.revoked_at.map(rfc3339_store),
        }
    }
}

/// A new API key with its secret, shown this once.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ApiKeyCreated {
    /// The key.
    #[serde(flatten)]
    pub key: ApiKeyOut,
    /// The secret: send it as `X-API-Key` or `Authorization: Bearer`.
    pub secret: String,
}

/// Who is calling.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct MeOut {
    /// The role in force.
    pub role: RoleDto,
    /// The person, when a person is logged in.
    pub person: Option<PersonOut>,
    /// The API key's name, when a key is used.
    pub api_key: Option<String>,
}

// ----- live state -----------------------------------------------------------------------

/// An agent's displayed state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgentStateName {
    /// Not logged in.
    LoggedOut,
    /// Ready, holding nothing.
    Ready,
    /// A contact rings at the agent.
    Offered,
    /// Connected.
    OnContact,
    /// After-contact work.
    WrapUp,
    /// Logged in, not ready (see `reason`).
    NotReady,
}

/// An agent's displayed state with its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AgentStateDto {
    /// The state.
    pub state: AgentStateName,
    /// For not ready: the reason's name (`lunch`, `no_answer` …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl From<AgentState> for AgentStateDto {
    fn from(s: AgentState) -> AgentStateDto {
        let (state, reason) = match s {
            AgentState::LoggedOut => (AgentStateName::LoggedOut, None),
            AgentState::Ready => (AgentStateName::Ready, None),
            AgentState::Offered => (AgentStateName::Offered, None),
            AgentState::OnContact => (AgentStateName::OnContact, None),
            AgentState::WrapUp => (AgentStateName::WrapUp, None),
            AgentState::NotReady(code) => {
                (AgentStateName::NotReady, Some(crate::reasons::name(code)))
            }
        };
        AgentStateDto { state, reason }
    }
}

/// Where a live contact is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactStateName {
    /// In line.
    Waiting,
    /// Ringing at `agent_id`.
    Offered,
    /// Connected to `agent_id`.
    Connected,
    /// No longer in any queue (ended, abandoned; its wrap-up may still run).
    Ended,
}

/// A contact as the API shows it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ContactOut {
    /// The contact id (for the CTI events that follow).
    pub contact_id: u64,
    /// Its current queue.
    pub queue_id: Option<u32>,
    /// Where it is.
    pub state: ContactStateName,
    /// The agent it rings at or is connected to.
    pub agent_id: Option<u32>,
    /// A callback request.
    pub callback: bool,
    /// Priority points.
    pub priority_boost: i32,
    /// Routing step level (0 = the queue's own requirement).
    pub routing_level: u16,
    /// When it entered its current queue.
    pub entered_queue_at: Option<String>,
    /// Estimated wait, when asked for and known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated_wait_ms: Option<u64>,
    /// Channel, customer, attributes (for supervisors and the agent it is with).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<ContactDetails>,
}

/// A new contact from a telephony or chat adapter.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArriveIn {
    /// The queue it enters.
    pub queue_id: i64,
    /// Its channel (default: the queue's).
    #[serde(default)]
    pub channel: Option<Channel>,
    /// The customer's id in the CRM, at most 128 characters.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// A VIP customer: adds the server's VIP boost unless `priority_boost` is given.
    #[serde(default)]
    pub vip: bool,
    /// Priority points for this contact, −1000 to 1000.
    #[serde(default)]
    pub priority_boost: Option<i32>,
    /// Facts from the IVR (`{"language": "es", "reason": "roaming"}`): at most 32
    /// string, number or boolean values; keys 1–64 characters.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub attributes: Attributes,
    /// Answer with the estimated wait (what an IVR announces).
    #[serde(default)]
    pub estimate_wait: bool,
}

/// Moving a contact to another queue.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferIn {
    /// The queue it goes to.
    pub queue_id: i64,
}

/// Going not ready.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotReadyIn {
    /// The reason's name (see `GET /api/v1/reason-codes`).
    pub reason: String,
}

/// The contact an agent action is about.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRefIn {
    /// The contact.
    pub contact_id: u64,
}

/// How a stay in a queue ended (the engine's view).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StayOutcome {
    /// Answered, then ended.
    Completed,
    /// A callback answered and ended.
    CallbackCompleted,
    /// Left before being connected.
    Abandoned,
    /// Moved to another queue.
    TransferredOut,
}

/// One thing the engine decided, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DecisionDto {
    /// The contact waits in line.
    ContactQueued {
        /// Contact.
        contact_id: u64,
        /// Queue.
        queue_id: u32,
        /// A waiting callback.
        callback: bool,
    },
    /// The contact reached a routing step.
    RoutingStepReached {
        /// Contact.
        contact_id: u64,
        /// Queue.
        queue_id: u32,
        /// Step level now in force.
        level: u16,
    },
    /// The contact rings at the agent.
    Offer {
        /// Contact.
        contact_id: u64,
        /// Agent.
        agent_id: u32,
        /// Queue.
        queue_id: u32,
        /// The agent calls back.
        callback: bool,
    },
    /// Connected.
    ContactAnswered {
        /// Contact.
        contact_id: u64,
        /// Agent.
        agent_id: u32,
        /// Queue.
        queue_id: u32,
        /// Wait from entering the queue to the answer.
        waited_ms: u64,
    },
    /// A ringing offer was withdrawn.
    OfferWithdrawn {
        /// Contact.
        contact_id: u64,
        /// Agent.
        agent_id: u32,
    },
    /// The offer rang out.
    RingNoAnswer {
        /// Agent.
        agent_id: u32,
        /// Contact.
        contact_id: u64,
    },
    /// The stay in a queue ended.
    ContactEnded {
        /// Contact.
        contact_id: u64,
        /// Queue of the stay.
        queue_id: u32,
        /// Agent who answered, if any.
        agent_id: Option<u32>,
        /// How.
        outcome: StayOutcome,
        /// For a transfer: the queue it went to.
        #[serde(skip_serializing_if = "Option::is_none")]
        transferred_to: Option<u32>,
        /// Wait to the answer, or to leaving unanswered.
        waited_ms: u64,
    },
    /// Wrap-up started.
    WrapUpStarted {
        /// Agent.
        agent_id: u32,
        /// Contact.
        contact_id: u64,
        /// When a fixed wrap-up ends.
        until: Option<String>,
    },
    /// Wrap-up ended.
    WrapUpEnded {
        /// Agent.
        agent_id: u32,
        /// Contact.
        contact_id: u64,
    },
    /// The agent's displayed state changed.
    AgentStateChanged {
        /// Agent.
        agent_id: u32,
        /// New state.
        state: AgentStateDto,
    },
}

impl From<&Decision> for DecisionDto {
    fn from(d: &Decision) -> DecisionDto {
        match *d {
            Decision::ContactQueued {
                contact,
                queue,
                callback,
            } => DecisionDto::ContactQueued {
                contact_id: contact.0,
                queue_id: queue.0,
                callback,
            },
            Decision::RoutingStepReached {
                contact,
                queue,
                level,
            } => DecisionDto::RoutingStepReached {
                contact_id: contact.0,
                queue_id: queue.0,
                level,
            },
            Decision::Offer {
                contact,
                agent,
                queue,
                callback,
            } => DecisionDto::Offer {
                contact_id: contact.0,
                agent_id: agent.0,
                queue_id: queue.0,
                callback,
            },
            Decision::ContactAnswered {
                contact,
                agent,
                queue,
                waited,
            } => DecisionDto::ContactAnswered {
                contact_id: contact.0,
                agent_id: agent.0,
                queue_id: queue.0,
                waited_ms: waited.as_millis(),
            },
            Decision::OfferWithdrawn { contact, agent } => DecisionDto::OfferWithdrawn {
                contact_id: contact.0,
                agent_id: agent.0,
            },
            Decision::RingNoAnswer { agent, contact } => DecisionDto::RingNoAnswer {
                agent_id: agent.0,
                contact_id: contact.0,
            },
            Decision::ContactEnded {
                contact,
                queue,
                agent,
                outcome,
                waited,
            } => {
                let (outcome, to) = match outcome {
                    Outcome::Completed => (StayOutcome::Completed, None),
                    Outcome::CallbackCompleted => (StayOutcome::CallbackCompleted, None),
                    Outcome::Abandoned => (StayOutcome::Abandoned, None),
                    Outcome::TransferredOut { to, .. } => (StayOutcome::TransferredOut, Some(to.0)),
                };
                DecisionDto::ContactEnded {
                    contact_id: contact.0,
                    queue_id: queue.0,
                    agent_id: agent.map(|a| a.0),
                    outcome,
                    transferred_to: to,
                    waited_ms: waited.as_millis(),
                }
            }
            Decision::WrapUpStarted {
                agent,
                contact,
                until,
            } => DecisionDto::WrapUpStarted {
                agent_id: agent.0,
                contact_id: contact.0,
                until: until.map(rfc3339),
            },
            Decision::WrapUpEnded { agent, contact } => DecisionDto::WrapUpEnded {
                agent_id: agent.0,
                contact_id: contact.0,
            },
            Decision::AgentStateChanged { agent, state } => DecisionDto::AgentStateChanged {
                agent_id: agent.0,
                state: state.into(),
            },
        }
    }
}

/// What an accepted event did; sent once it is durable.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct EventAck {
    /// Its position in the event log.
    pub seq: u64,
    /// When the engine applied it.
    pub at: String,
    /// The contact afterwards (contact events).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<ContactOut>,
    /// The agent afterwards (agent events).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentOut>,
    /// What the engine decided, in order.
    pub decisions: Vec<DecisionDto>,
}

/// One contact an agent holds.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct HeldContactDto {
    /// The contact.
    pub contact_id: u64,
    /// Its queue.
    pub queue_id: u32,
    /// Ringing, connected or in wrap-up.
    pub phase: PhaseDto,
    /// Who and how (for the agent's own desktop and supervisors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<ContactDetails>,
    /// When it entered the queue (live contacts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entered_queue_at: Option<String>,
    /// When the current conversation started (while connected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<String>,
    /// A callback the customer asked for (the agent calls them back).
    #[serde(default)]
    pub callback: bool,
}

/// The phase of a held contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhaseDto {
    /// Ringing.
    Offered,
    /// Connected.
    Connected,
    /// After-contact work.
    WrapUp,
}

/// An agent's live state.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct AgentOut {
    /// The agent (= person id).
    pub agent_id: u32,
    /// Name shown.
    pub display_name: Option<String>,
    /// Team.
    pub team_id: Option<i64>,
    /// Displayed state.
    pub state: AgentStateDto,
    /// What the agent said, whatever they hold: `logged_out`, `ready` or `not_ready` with
    /// a reason (an agent on a call who went not ready stays on the call: "pending not
    /// ready").
    pub presence: AgentStateDto,
    /// Since when (absent when unchanged since the log started).
    pub since: Option<String>,
    /// Time in the state so far.
    pub time_in_state_ms: Option<u64>,
    /// Concurrent contacts allowed.
    pub slots: u16,
    /// Contacts held.
    pub contacts: Vec<HeldContactDto>,
    /// Contacts accepted since the counters were reset.
    pub contacts_accepted: u64,
}

/// Agents by state.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct AgentCountsDto {
    /// Logged in.
    pub online: u32,
    /// Ready and free.
    pub available: u32,
    /// Ringing.
    pub offered: u32,
    /// On a contact.
    pub on_contact: u32,
    /// In wrap-up.
    pub wrap_up: u32,
    /// Not ready, by reason.
    pub not_ready: Vec<ReasonCount>,
}

/// Agents not ready for one reason.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ReasonCount {
    /// The reason.
    pub reason: String,
    /// How many.
    pub count: u32,
}

impl From<&hotline_routing::AgentCounts> for AgentCountsDto {
    fn from(c: &hotline_routing::AgentCounts) -> AgentCountsDto {
        AgentCountsDto {
            online: c.online,
            available: c.available,
            offered: c.offered,
            on_contact: c.on_contact,
            wrap_up: c.wrap_up,
            not_ready: c
                .not_ready
                .iter()
                .map(|(code, count)| ReasonCount {
                    reason: crate::reasons::name(*code),
                    count: *count,
                })
                .collect(),
        }
    }
}

/// The three service-level definitions (fractions 0–1, absent while undefined).
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct ServiceLevelsDto {
    /// Answered within T / offered (abandons count as missed): the headline figure.
    pub of_offered: Option<f64>,
    /// Answered within T / answered (Asterisk SL).
    pub of_answered: Option<f64>,
    /// (Answered within T + short abandons) / (answered + abandoned) (Asterisk SL2).
    pub asterisk_sl2: Option<f64>,
}

/// Live figures of one queue since the counters started (`counters_since`: the start
/// of the day in the server's time zone, or the server's first start that day).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct QueueRealtime {
    /// Queue.
    pub queue_id: u32,
    /// Its name.
    pub name: Option<String>,
    /// Waiting now (callbacks included).
    pub waiting: u32,
    /// Of which callbacks.
    pub waiting_callbacks: u32,
    /// Ringing at an agent now.
    pub ringing: u32,
    /// Longest current wait.
    pub oldest_wait_ms: Option<u64>,
    /// Contacts that entered.
    pub entered: u64,
    /// Stays whose wait ended (answered + abandoned + callbacks requested + transferred
    /// out unanswered).
    pub offered: u64,
    /// Answered.
    pub answered: u64,
    /// Answered within the threshold.
    pub answered_within_threshold: u64,
    /// Abandoned.
    pub abandoned: u64,
    /// Abandoned / offered (absent while nothing was offered).
    pub abandon_rate: Option<f64>,
    /// Callbacks requested.
    pub callbacks_requested: u64,
    /// Transferred out.
    pub transferred_out: u64,
    /// Handled (talk and wrap-up over).
    pub handled: u64,
    /// Service level, three definitions.
    pub service_level: ServiceLevelsDto,
    /// The threshold T, seconds.
    pub service_level_threshold_s: Option<u32>,
    /// The target for `service_level.of_offered`, percent.
    pub target_service_level_pct: Option<f64>,
    /// Average speed of answer.
    pub asa_ms: Option<u64>,
    /// Average handle time.
    pub aht_ms: Option<u64>,
    /// Estimated wait for a contact arriving now.
    pub estimated_wait_ms: Option<u64>,
    /// Agents who can serve the queue, by state.
    pub agents: AgentCountsDto,
}

/// The wallboard: every queue, every logged-in agent, and totals.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Wallboard {
    /// When the figures were taken.
    pub at: String,
    /// Since when the counters run.
    pub counters_since: String,
    /// Queues, by id.
    pub queues: Vec<QueueRealtime>,
    /// Agents not logged out, by id.
    pub agents: Vec<AgentOut>,
    /// All agents by state.
    pub totals: AgentCountsDto,
}

// ----- contact records ------------------------------------------------------------------

/// How a contact ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeDto {
    /// Answered and ended.
    Answered,
    /// Left before an agent answered.
    Abandoned,
    /// A callback completed.
    CallbackCompleted,
    /// Transferred out (answered first if `answered_at` is set).
    TransferredOut,
    /// Still open when recorded.
    Unfinished,
}

impl From<store::Outcome> for OutcomeDto {
    fn from(o: store::Outcome) -> OutcomeDto {
        match o {
            store::Outcome::Answered => OutcomeDto::Answered,
            store::Outcome::Abandoned => OutcomeDto::Abandoned,
            store::Outcome::CallbackCompleted => OutcomeDto::CallbackCompleted,
            store::Outcome::TransferredOut => OutcomeDto::TransferredOut,
            store::Outcome::Unfinished => OutcomeDto::Unfinished,
        }
    }
}

impl From<OutcomeDto> for store::Outcome {
    fn from(o: OutcomeDto) -> store::Outcome {
        match o {
            OutcomeDto::Answered => store::Outcome::Answered,
            OutcomeDto::Abandoned => store::Outcome::Abandoned,
            OutcomeDto::CallbackCompleted => store::Outcome::CallbackCompleted,
            OutcomeDto::TransferredOut => store::Outcome::TransferredOut,
            OutcomeDto::Unfinished => store::Outcome::Unfinished,
        }
    }
}

/// One finished contact.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RecordOut {
    /// The contact id.
    pub contact_id: String,
    /// The queue where it ended.
    pub queue_id: i64,
    /// Its channel.
    pub channel: Channel,
    /// The customer's id ("" when unknown).
    pub customer_id: String,
    /// The (last) agent who answered.
    pub agent_id: Option<i64>,
    /// First arrival.
    pub arrived_at: String,
    /// First answer.
    pub answered_at: Option<String>,
    /// End of the conversation or the wait.
    pub ended_at: String,
    /// End of the last wrap-up.
    pub wrap_up_end_at: Option<String>,
    /// How it ended.
    pub outcome: OutcomeDto,
    /// Waiting, summed over queues.
    pub wait_ms: i64,
    /// Connected, summed over agents.
    pub talk_ms: i64,
    /// On hold.
    pub hold_ms: i64,
    /// After-contact work, summed over agents.
    pub wrap_up_ms: i64,
    /// Transfers between queues.
    pub transfers: u32,
    /// The IVR's attributes plus `vip` and the routing facts under `routing`.
    #[schema(value_type = Object)]
    pub attributes: serde_json::Value,
}

impl From<store::ContactRecord> for RecordOut {
    fn from(r: store::ContactRecord) -> RecordOut {
        RecordOut {
            contact_id: r.contact_id,
            queue_id: r.queue_id.0,
            channel: Channel::from_store(r.channel),
            customer_id: r.customer_id,
            agent_id: r.agent_id.map(|a| a.0),
            arrived_at: rfc3339_store(r.arrived_at),
            answered_at: r.answered_at.map(rfc3339_store),
            ended_at: rfc3339_store(r.ended_at),
            wrap_up_end_at: r.wrap_up_end_at.map(rfc3339_store),
            outcome: r.outcome.into(),
            wait_ms: r.wait_ms.0,
            talk_ms: r.talk_ms.0,
            hold_ms: r.hold_ms.0,
            wrap_up_ms: r.wrap_up_ms.0,
            transfers: r.transfers,
            attributes: r.attributes,
        }
    }
}

/// A page of contact records, oldest arrival first.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RecordPage {
    /// The records.
    pub records: Vec<RecordOut>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// A not-ready reason.
pub use crate::reasons::Reason as ReasonDto;
