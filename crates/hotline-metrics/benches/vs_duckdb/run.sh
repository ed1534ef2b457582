#!/usr/bin/env bash
# A month of contact records as CSV -> a 30-minute report by queue (Europe/Paris):
# Hotline (hotline-metrics, one thread) and DuckDB (PyPI, all cores) on the same file,
# in the same run, with their answers compared.
#   crates/hotline-metrics/benches/vs_duckdb/run.sh [ROWS]     (default 10,000,000)
# The file (about 1.4 GB for 10M rows) and a venv are kept in $HOTLINE_BENCH_DIR
# (default /var/tmp/hotline-metrics-bench) for the next run.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/hotline-target}"
rows=${1:-10000000}
work=${HOTLINE_BENCH_DIR:-/var/tmp/hotline-metrics-bench}
mkdir -p "$work"
venv="$work/venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet duckdb
cargo build --quiet --release -p hotline-metrics --example report_csv
bin="$CARGO_TARGET_DIR/release/examples/report_csv"
csv="$work/records-$rows.csv"
[ -s "$csv" ] || "$bin" generate "$csv" "$rows"
echo "== $rows rows, $(du -h "$csv" | cut -f1), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg); DuckDB $("$venv/bin/python" -c 'import duckdb; print(duckdb.__version__)')"
# Each tool reads the file from the page cache, not the disk.
cat "$csv" > /dev/null
echo "-- Hotline (one thread)"
"$bin" run "$csv" "$work/hotline-report.csv"
cat "$csv" > /dev/null
echo "-- DuckDB ($(nproc) threads)"
"$venv/bin/python" crates/hotline-metrics/benches/vs_duckdb/duckdb_report.py "$csv" "$work/hotline-report.csv"
