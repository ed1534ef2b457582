//! End-to-end tests of the real `hotline` binary, one module per command.
mod cli {
    mod import;
    mod report;
    mod serve;
    mod simulate;
    mod staff;
}
