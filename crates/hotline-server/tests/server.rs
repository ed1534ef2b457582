//! Black-box tests of the server on a free port, each test on a fresh database: every API
//! test runs on SQLite and on PostgreSQL (`HOTLINE_TEST_POSTGRES_URL`; the tests fail
//! without it — `eval "$(scripts/postgres)"` starts one).
mod server {
    mod helpers;

    mod auth;
    mod browser;
    mod crud;
    mod cti;
    mod imports;
    mod logs;
    mod management;
    mod management_browser;
    mod ops;
    mod playwright;
    mod reports;
    mod restart;
}
