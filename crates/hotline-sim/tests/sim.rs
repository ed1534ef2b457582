//! The simulator's integration tests, one binary (link time): scenario parsing and its
//! error messages, validation against queueing theory, and the simulator's own behaviour.

#[path = "sim/behaviour.rs"]
mod behaviour;
#[path = "sim/scenario_errors.rs"]
mod scenario_errors;
#[path = "sim/theory.rs"]
mod theory;
