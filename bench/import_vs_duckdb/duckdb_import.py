"""DuckDB's side of bench/import_vs_duckdb/run.sh: load the CSV into a table of a
database file (DuckDB's import), compute the report Hotline computed from its store,
and check both reports agree row by row."""

import os
import resource
import sys
import time

import duckdb

# The column types, the report and the comparison: one copy, with the report benchmark.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "../../crates/hotline-metrics/benches/vs_duckdb"))
from duckdb_shared import KPIS, REPORT, compare, read_csv  # noqa: E402

src, db_file, hotline_csv = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect(db_file)


def timed(label, sql, fetch=True):
    t = time.perf_counter()
    out = con.execute(sql).fetchall() if fetch else con.execute(sql)
    dt = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"   {label:<34}{dt:.2f} s   peak {peak} MiB")
    return out


# The same contract as the store: the contact id is the key.
con.execute(f"CREATE TABLE records AS SELECT * FROM {read_csv(src)} LIMIT 0")
con.execute("ALTER TABLE records ADD PRIMARY KEY (contact_id)")
timed("load the CSV (contact_id key)", f"INSERT INTO records SELECT * FROM {read_csv(src)}", fetch=False)
con.execute("CHECKPOINT")
n = con.execute("SELECT count(*) FROM records").fetchone()[0]
print(f"   database file: {os.path.getsize(db_file) / 2**30:.1f} GiB, {n} rows")
table = timed("report over the table", REPORT.format(src="records"))

n_rows, worst = compare(hotline_csv, table)
print(f"   same answers: {n_rows} rows x {len(KPIS)} KPIs agree with the report from "
      f"Hotline's store (largest difference {worst:.1e}; Hotline's CSV rounds to 4 decimals)")
