//! Hotline's discrete-event simulator: a digital twin of a contact center.
//!
//! It drives the *same* routing engine as the live server ([`hotline_routing`]) under a
//! virtual clock, with random arrivals, handle times and patience from a scenario file,
//! and reports what would happen: service level, waits, abandonment, occupancy, and the
//! error of the engine's estimated wait time.
//!
//! Pure library: no I/O, no wall clock, no threads. Time is virtual and randomness comes
//! from the scenario's seed, so the same scenario and seed always give the same numbers.
//! Replications are independent and may be run on any number of threads by the caller.

pub mod arrivals;
pub mod calendar;
pub mod dist;
mod model;
pub mod report;
pub mod rng;
pub mod scenario;
mod sim;
pub mod stats;
pub mod tally;

pub use report::{IntervalRow, Metric, Report};
pub use scenario::{Scenario, ScenarioError};
pub use sim::{SimError, Simulation, END_OF_SHIFT};
pub use tally::{ContactLog, LogOutcome, ReplicationTally};
