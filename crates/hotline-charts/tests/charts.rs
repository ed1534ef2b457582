//! The hotline-charts integration tests: one binary, one module per subject.

#[path = "charts/xml.rs"]
mod xml;

#[path = "charts/cases.rs"]
mod cases;
#[path = "charts/props.rs"]
mod props;
