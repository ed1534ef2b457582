"""DuckDB's side of benches/vs_duckdb/run.sh: the same report from the same CSV, timed
three ways (straight from the file; loading it into a table; the report over the
table), then checked against Hotline's report row by row."""

import os
import resource
import sys
import time

import duckdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from duckdb_shared import KPIS, REPORT, compare, read_csv  # noqa: E402

src, hotline_csv = sys.argv[1], sys.argv[2]
con = duckdb.connect()
READ = read_csv(src)


def timed(label, sql, rows=None):
    t = time.perf_counter()
    out = con.execute(sql).fetchall() if rows is None else con.execute(sql)
    dt = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{label:<26}{dt:.2f} s   peak {peak} MiB")
    return out


direct = timed("report from the CSV", REPORT.format(src=READ))
timed("load the CSV (import)", f"CREATE TABLE records AS SELECT * FROM {READ}", rows=False)
n = con.execute("SELECT count(*) FROM records").fetchone()[0]
table = timed("report over the table", REPORT.format(src="records"))
assert direct == table

n_rows, worst = compare(hotline_csv, table)
print(f"same answers: {n_rows} rows x {len(KPIS)} KPIs agree (largest difference {worst:.1e}, "
      f"Hotline's CSV rounds to 4 decimals); {n} rows loaded")
