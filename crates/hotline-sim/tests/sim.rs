//! The simulator's integration tests, one binary (link time): scenario parsing and its
//! error messages, validation against queueing theory, determinism and warm-up.

#[path = "sim/scenario_errors.rs"]
mod scenario_errors;
