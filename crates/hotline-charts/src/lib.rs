//! Server-drawn SVG charts for Hotline's reports and pages: data in, an SVG string out.
//! Pure: no I/O, no clock.
