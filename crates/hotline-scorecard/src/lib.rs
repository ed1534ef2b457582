//! The balanced scorecard: objectives in four perspectives, measured by KPIs from the
//! registry with targets, thresholds and weights, cascaded center → department → team
//! → agent. Pure: no I/O, no clock.
