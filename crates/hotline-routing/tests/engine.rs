//! Integration tests of the routing engine, in one binary (one link).
//!
//! - `support`: builders and a small driver that records decisions.
//! - `scenarios`: step-by-step scenarios with the exact decisions expected.
//! - `errors`: refused events leave the engine exactly as it was.
//! - `metrics`: live queue metrics and the wait estimate, against hand-computed figures.
//! - `properties`: long random event sequences checked against an independent,
//!   brute-force model of the invariants.

#[path = "engine/support.rs"]
mod support;

#[path = "engine/scenarios.rs"]
mod scenarios;

#[path = "engine/errors.rs"]
mod errors;

#[path = "engine/metrics.rs"]
mod metrics;

#[path = "engine/properties.rs"]
mod properties;
