//! Building the live views (agents, queues, contacts, the wallboard) from the engine,
//! inside the routing task, then adding names from the directory outside it.

use hotline_routing::{
    AgentId, AgentState, ContactId, ContactState, ContactView, Phase, Presence, Time,
};

use super::dto::{
    rfc3339, AgentCountsDto, AgentOut, ContactOut, ContactStateName, HeldContactDto, PhaseDto,
    QueueRealtime, ServiceLevelsDto, Wallboard,
};
use crate::runtime::Live;
use crate::state::Directory;

/// An agent's live state; `details` adds the customer details of held contacts.
pub fn agent_out(live: &Live, now: Time, agent: AgentId, details: bool) -> Option<AgentOut> {
    let view = live.engine.agent(agent)?;
    let since = live.tracker.agent_since(agent).map(|(_, t)| t);
    Some(AgentOut {
        agent_id: agent.0,
        display_name: None,
        team_id: None,
        state: view.state.into(),
        presence: match view.presence {
            Presence::LoggedOut => AgentState::LoggedOut,
            Presence::Ready => AgentState::Ready,
            Presence::NotReady(r) => AgentState::NotReady(r),
        }
        .into(),
        since: since.map(rfc3339),
        time_in_state_ms: since.map(|t| now.since(t).as_millis()),
        slots: view.slots,
        contacts: view
            .contacts
            .iter()
            .map(|h| {
                let (answered_at, callback) = live
                    .tracker
                    .conversation(h.contact)
                    .unwrap_or((None, false));
                HeldContactDto {
                    contact_id: h.contact.0,
                    queue_id: h.queue.0,
                    phase: match h.phase {
                        Phase::Offered => PhaseDto::Offered,
                        Phase::Connected => PhaseDto::Connected,
                        Phase::WrapUp => PhaseDto::WrapUp,
                    },
                    details: if details {
                        live.tracker.details(h.contact).map(|d| (**d).clone())
                    } else {
                        None
                    },
                    entered_queue_at: live.tracker.times(h.contact).map(|(e, _)| rfc3339(e)),
                    answered_at: answered_at
                        .filter(|_| h.phase != Phase::Offered)
                        .map(rfc3339),
                    callback,
                }
            })
            .collect(),
        contacts_accepted: view.contacts_accepted,
    })
}

/// A contact's live view (or `Ended` once it left every queue).
pub fn contact_out(live: &Live, id: ContactId, details: bool) -> ContactOut {
    match live.engine.contact(id) {
        Some(view) => contact_view_out(live, &view, details),
        None => ContactOut {
            contact_id: id.0,
            queue_id: None,
            state: ContactStateName::Ended,
            agent_id: None,
            callback: false,
            priority_boost: 0,
            routing_level: 0,
            entered_queue_at: None,
            estimated_wait_ms: None,
            details: if details {
                live.tracker.details(id).map(|d| (**d).clone())
            } else {
                None
            },
        },
    }
}

/// The API form of an engine contact view, with the details when asked.
pub fn contact_view_out(live: &Live, view: &ContactView, details: bool) -> ContactOut {
    let mut out = view_out(view);
    if details {
        out.details = live.tracker.details(view.id).map(|d| (**d).clone());
    }
    out
}

/// The API form of an engine contact view, without details.
pub fn view_out(view: &ContactView) -> ContactOut {
    let (state, agent) = match view.state {
        ContactState::Waiting => (ContactStateName::Waiting, None),
        ContactState::Offered(a) => (ContactStateName::Offered, Some(a.0)),
        ContactState::Connected(a) => (ContactStateName::Connected, Some(a.0)),
    };
    ContactOut {
        contact_id: view.id.0,
        queue_id: Some(view.queue.0),
        state,
        agent_id: agent,
        callback: view.callback,
        priority_boost: view.priority_boost,
        routing_level: view.level,
        entered_queue_at: Some(rfc3339(view.entered_queue)),
        estimated_wait_ms: None,
        details: None,
    }
}

/// Live figures of every queue.
pub fn queues(live: &Live, now: Time) -> Vec<QueueRealtime> {
    let mut ids: Vec<_> = live.engine.config().queues.iter().map(|q| q.id).collect();
    ids.sort_unstable();
    ids.into_iter()
        .filter_map(|id| live.engine.queue_stats(id, now).ok())
        .map(|s| {
            let abandon_rate = (s.offered > 0).then(|| s.abandoned as f64 / s.offered as f64);
            QueueRealtime {
                queue_id: s.queue.0,
                name: None,
                waiting: s.waiting,
                waiting_callbacks: s.waiting_callbacks,
                ringing: s.ringing,
                oldest_wait_ms: s.oldest_wait.map(|w| w.as_millis()),
                entered: s.entered,
                offered: s.offered,
                answered: s.answered,
                answered_within_threshold: s.answered_within_threshold,
                abandoned: s.abandoned,
                abandon_rate,
                callbacks_requested: s.callbacks_requested,
                transferred_out: s.transferred_out,
                handled: s.handled,
                service_level: ServiceLevelsDto {
                    of_offered: s.service_level.of_offered,
                    of_answered: s.service_level.of_answered,
                    asterisk_sl2: s.service_level.asterisk_sl2,
                },
                service_level_threshold_s: None,
                target_service_level_pct: None,
                asa_ms: s.asa.map(|w| w.as_millis()),
                aht_ms: s.aht.map(|w| w.as_millis()),
                estimated_wait_ms: s.estimated_wait_new.map(|w| w.as_millis()),
                agents: AgentCountsDto::from(&s.agents),
            }
        })
        .collect()
}

/// Every agent (logged-out ones only when asked).
pub fn agents(live: &Live, now: Time, logged_out: bool) -> Vec<AgentOut> {
    live.engine
        .agents()
        .filter(|a| logged_out || a.state != hotline_routing::AgentState::LoggedOut)
        .filter_map(|a| agent_out(live, now, a.id, false))
        .collect()
}

/// The whole wallboard.
pub fn wallboard(live: &Live, now: Time) -> Wallboard {
    Wallboard {
        at: rfc3339(now),
        counters_since: rfc3339(live.counters_since),
        queues: queues(live, now),
        agents: agents(live, now, false),
        totals: AgentCountsDto::from(&live.engine.agents_by_state()),
    }
}

/// Adds names and targets from the directory.
pub fn name_queues(queues: &mut [QueueRealtime], dir: &Directory) {
    for q in queues {
        if let Some(s) = dir.queues.get(&i64::from(q.queue_id)) {
            q.name = Some(s.name.clone());
            q.service_level_threshold_s = Some(s.service_level_threshold_s);
            q.target_service_level_pct = Some(s.target_service_level_pct);
        }
    }
}

/// Adds names and teams from the directory.
pub fn name_agents(agents: &mut [AgentOut], dir: &Directory) {
    for a in agents {
        if let Some((name, team)) = dir.people.get(&i64::from(a.agent_id)) {
            a.display_name = Some(name.clone());
            a.team_id = *team;
        }
    }
}

/// Adds names to a whole wallboard.
pub fn name_wallboard(w: &mut Wallboard, dir: &Directory) {
    name_queues(&mut w.queues, dir);
    name_agents(&mut w.agents, dir);
}
