//! The hotline-scorecard integration tests: one binary, one module per subject.

#[path = "scorecard/common.rs"]
mod common;

#[path = "scorecard/cascade.rs"]
mod cascade;
#[path = "scorecard/example.rs"]
mod example;
#[path = "scorecard/export.rs"]
mod export;
#[path = "scorecard/format.rs"]
mod format;
#[path = "scorecard/periods.rs"]
mod periods;
#[path = "scorecard/props.rs"]
mod props;
#[path = "scorecard/scoring.rs"]
mod scoring;
#[path = "scorecard/uses.rs"]
mod uses;
