#!/usr/bin/env bash
# A month of contact records as CSV -> imported into the store -> a 30-minute report by
# queue (Europe/Paris) read back from the store; and DuckDB (PyPI) loading the same CSV
# into a table in a database file and computing the same report. The two reports are
# compared row by row.
#   bench/import_vs_duckdb/run.sh [ROWS]     (default 10,000,000)
# The CSV (about 1.4 GB for 10M rows, made by hotline-metrics' report_csv generator)
# and a venv are shared with crates/hotline-metrics/benches/vs_duckdb in
# $HOTLINE_BENCH_DIR (default /var/tmp/hotline-metrics-bench); the SQLite data
# directory and the DuckDB file are made afresh on every run (about 6 GB for 10M rows).
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/hotline-target}"
rows=${1:-10000000}
work=${HOTLINE_BENCH_DIR:-/var/tmp/hotline-metrics-bench}
mkdir -p "$work"
venv="$work/venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet duckdb
# Two builds: with --example, cargo builds only the example, and a stale hotline binary
# would be measured.
cargo build --quiet --release -p hotline --bin hotline
cargo build --quiet --release -p hotline-metrics --example report_csv
hotline="$CARGO_TARGET_DIR/release/hotline"
csv="$work/records-$rows.csv"
[ -s "$csv" ] || "$CARGO_TARGET_DIR/release/examples/report_csv" generate "$csv" "$rows"
data="$work/import-data-$rows"
rm -rf "$data" "$work/import-$rows.duckdb"
echo "== $rows rows, $(du -h "$csv" | cut -f1), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg); DuckDB $("$venv/bin/python" -c 'import duckdb; print(duckdb.__version__)')"
cat "$csv" > /dev/null
echo "-- hotline import records (SQLite, one transaction)"
/usr/bin/time -f "   wall %e s, peak %M KiB" "$hotline" import records "$csv" --data-dir "$data"
echo "   database: $(du -sh "$data" | cut -f1)"
echo "-- hotline report --interval 30m --by queue, from the store"
/usr/bin/time -f "   wall %e s, peak %M KiB" env HOTLINE_REPORT_TIMING=1 "$hotline" report \
  --from 2024-03-01T00:00:00Z --to 2024-04-01T00:00:00Z --timezone Europe/Paris \
  --interval 30m --by queue --skip-empty --format csv --data-dir "$data" \
  -o "$work/store-report-$rows.csv"
echo "   $(($(wc -l < "$work/store-report-$rows.csv") - 1)) report rows"
echo "-- hotline import again (the same file: recognised by its SHA-256)"
/usr/bin/time -f "   wall %e s" "$hotline" import records "$csv" --data-dir "$data" > /dev/null
cat "$csv" > /dev/null
echo "-- DuckDB ($(nproc) threads): load into a database file, then the report"
"$venv/bin/python" bench/import_vs_duckdb/duckdb_import.py "$csv" "$work/import-$rows.duckdb" \
  "$work/store-report-$rows.csv"
rm -rf "$work/import-$rows.duckdb"
