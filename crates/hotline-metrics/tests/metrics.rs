//! The hotline-metrics integration tests: one binary (linked once), one module per
//! subject.

#[path = "metrics/common.rs"]
mod common;

#[path = "metrics/bank.rs"]
mod bank;
#[path = "metrics/csv_import.rs"]
mod csv_import;
#[path = "metrics/docs.rs"]
mod docs;
#[path = "metrics/kpis.rs"]
mod kpis;
#[path = "metrics/props.rs"]
mod props;
#[path = "metrics/queue_log.rs"]
mod queue_log;
