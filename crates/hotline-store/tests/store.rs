//! The conformance suite of hotline-store: every test runs twice, against SQLite (a file
//! in a temporary directory) and against PostgreSQL (a fresh database per test on the
//! server named by `HOTLINE_TEST_POSTGRES_URL`; `eval "$(scripts/postgres)"` starts
//! one). Without that variable the PostgreSQL half fails: nothing is skipped.
//!
//! One test binary with submodules, to link once.

#[macro_use]
#[path = "store/harness.rs"]
mod harness;

#[path = "store/agent_states.rs"]
mod agent_states;
#[path = "store/auth.rs"]
mod auth;
#[path = "store/connect.rs"]
mod connect;
#[path = "store/contacts.rs"]
mod contacts;
#[path = "store/events.rs"]
mod events;
#[path = "store/fixtures.rs"]
mod fixtures;
#[path = "store/imports.rs"]
mod imports;
#[path = "store/intervals.rs"]
mod intervals;
#[path = "store/org.rs"]
mod org;
#[path = "store/scorecards.rs"]
mod scorecards;
