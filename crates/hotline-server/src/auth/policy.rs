//! Who may call what: one table of route → roles, checked by the authentication
//! middleware for every protected route before the handler runs. A route missing from
//! the table is refused (deny by default), and a test checks that the table and the
//! router list exactly the same routes.
//!
//! Rows marked "self" are further narrowed by the handler: an agent may act only on
//! themselves and read only their own records; supervisors and above act on anyone.

use axum::http::Method;
use hotline_store::Role;

use Role::{Admin, Agent, Manager, Quality, Supervisor, Trainer};

/// Everyone who can log in.
pub const ALL: &[Role] = &[Admin, Manager, Supervisor, Quality, Trainer, Agent];
/// Everyone but agents (office staff reading the organisation and live figures).
pub const STAFF: &[Role] = &[Admin, Manager, Supervisor, Quality, Trainer];
/// Floor management: CTI events, anyone's desktop.
pub const SUPERVISORS: &[Role] = &[Admin, Manager, Supervisor];
/// Desktop users: supervisors on anyone, agents on themselves.
pub const DESKTOP: &[Role] = &[Admin, Manager, Supervisor, Agent];
/// The organisation's owners.
pub const MANAGERS: &[Role] = &[Admin, Manager];
/// Keys and system settings.
pub const ADMIN: &[Role] = &[Admin];

/// One row of the table.
#[derive(Debug)]
pub struct Rule {
    /// The HTTP method.
    pub method: Method,
    /// The route as the router spells it (`/api/v1/people/{id}`).
    pub path: &'static str,
    /// Roles allowed.
    pub roles: &'static [Role],
}

/// Declares a table of rules named `$name` (`RULES` here; the report and management
/// modules keep theirs beside their handlers, and [`all`] joins them).
macro_rules! rules {
    ($name:ident { $($method:ident $path:literal => $roles:ident,)* }) => {
        /// Route → roles.
        pub static $name: &[$crate::auth::policy::Rule] = &[
            $($crate::auth::policy::Rule {
                method: ::axum::http::Method::$method,
                path: $path,
                roles: $crate::auth::policy::$roles,
            },)*
        ];
    };
}
pub(crate) use rules;

rules! { RULES {
    GET "/api/v1/auth/me" => ALL,
    POST "/api/v1/auth/logout" => ALL,
    PUT "/api/v1/auth/password" => ALL,
    GET "/api/v1/api-keys" => ADMIN,
    POST "/api/v1/api-keys" => ADMIN,
    DELETE "/api/v1/api-keys/{id}" => ADMIN,
    GET "/api/v1/sites" => STAFF,
    POST "/api/v1/sites" => MANAGERS,
    GET "/api/v1/sites/{id}" => STAFF,
    PUT "/api/v1/sites/{id}" => MANAGERS,
    DELETE "/api/v1/sites/{id}" => MANAGERS,
    GET "/api/v1/departments" => STAFF,
    POST "/api/v1/departments" => MANAGERS,
    GET "/api/v1/departments/{id}" => STAFF,
    PUT "/api/v1/departments/{id}" => MANAGERS,
    DELETE "/api/v1/departments/{id}" => MANAGERS,
    GET "/api/v1/teams" => STAFF,
    POST "/api/v1/teams" => MANAGERS,
    GET "/api/v1/teams/{id}" => STAFF,
    PUT "/api/v1/teams/{id}" => MANAGERS,
    DELETE "/api/v1/teams/{id}" => MANAGERS,
    GET "/api/v1/people" => STAFF,
    POST "/api/v1/people" => MANAGERS,
    GET "/api/v1/people/{id}" => ALL, // self
    PUT "/api/v1/people/{id}" => MANAGERS,
    DELETE "/api/v1/people/{id}" => MANAGERS,
    PUT "/api/v1/people/{id}/password" => MANAGERS,
    GET "/api/v1/people/{id}/skills" => ALL, // self
    PUT "/api/v1/people/{id}/skills" => SUPERVISORS,
    GET "/api/v1/skills" => ALL,
    POST "/api/v1/skills" => MANAGERS,
    GET "/api/v1/skills/{id}" => ALL,
    PUT "/api/v1/skills/{id}" => MANAGERS,
    DELETE "/api/v1/skills/{id}" => MANAGERS,
    GET "/api/v1/queues" => ALL,
    POST "/api/v1/queues" => MANAGERS,
    GET "/api/v1/queues/{id}" => ALL,
    PUT "/api/v1/queues/{id}" => MANAGERS,
    DELETE "/api/v1/queues/{id}" => MANAGERS,
    GET "/api/v1/reason-codes" => ALL,
    POST "/api/v1/contacts" => SUPERVISORS,
    GET "/api/v1/contacts" => SUPERVISORS,
    GET "/api/v1/contacts/{id}" => DESKTOP, // self: contacts offered or connected to them
    POST "/api/v1/contacts/{id}/abandon" => SUPERVISORS,
    POST "/api/v1/contacts/{id}/callback" => SUPERVISORS,
    POST "/api/v1/contacts/{id}/end" => DESKTOP, // self
    POST "/api/v1/contacts/{id}/transfer" => DESKTOP, // self
    GET "/api/v1/agents/{id}" => DESKTOP, // self
    POST "/api/v1/agents/{id}/login" => DESKTOP, // self
    POST "/api/v1/agents/{id}/logout" => DESKTOP, // self
    POST "/api/v1/agents/{id}/ready" => DESKTOP, // self
    POST "/api/v1/agents/{id}/not-ready" => DESKTOP, // self
    POST "/api/v1/agents/{id}/accept" => DESKTOP, // self
    POST "/api/v1/agents/{id}/reject" => DESKTOP, // self
    POST "/api/v1/agents/{id}/wrap-up-done" => DESKTOP, // self
    GET "/api/v1/realtime/queues" => ALL,
    GET "/api/v1/realtime/agents" => STAFF,
    GET "/api/v1/stream/wallboard" => STAFF,
    GET "/api/v1/stream/desktop" => DESKTOP, // self
    GET "/api/v1/contact-records" => ALL, // self
}}

/// Every rule: this table and the modules' own.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    RULES
        .iter()
        .chain(crate::api::reports::RULES)
        .chain(crate::api::imports::RULES)
        .chain(crate::api::management::RULES)
}

/// The roles allowed on `method path`; `None` for a route the table does not list.
pub fn roles_for(method: &Method, path: &str) -> Option<&'static [Role]> {
    all()
        .find(|r| r.method == *method && r.path == path)
        .map(|r| r.roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for r in all() {
            assert!(
                seen.insert((r.method.clone(), r.path)),
                "{} {} twice",
                r.method,
                r.path
            );
            assert!(!r.roles.is_empty());
        }
    }

    #[test]
    fn agents_cannot_manage_and_only_admins_hold_keys() {
        assert_eq!(roles_for(&Method::POST, "/api/v1/api-keys"), Some(ADMIN));
        assert!(!roles_for(&Method::POST, "/api/v1/people")
            .unwrap()
            .contains(&Agent));
        assert!(!roles_for(&Method::GET, "/api/v1/realtime/agents")
            .unwrap()
            .contains(&Agent));
        assert!(roles_for(&Method::POST, "/api/v1/agents/{id}/ready")
            .unwrap()
            .contains(&Agent));
        assert_eq!(roles_for(&Method::GET, "/api/v1/unknown"), None);
    }
}
