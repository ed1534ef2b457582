"""DuckDB's side of bench/import_vs_duckdb/run.sh: load the CSV into a table of a
database file (DuckDB's import), compute the report Hotline computed from its store,
and check both reports agree row by row."""

import csv
import datetime
import os
import resource
import sys
import time

import duckdb

src, db_file, hotline_csv = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect(db_file)
COLUMNS = (
    "{'contact_id': 'VARCHAR', 'queue': 'VARCHAR', 'channel': 'VARCHAR', "
    "'arrived_at': 'TIMESTAMPTZ', 'answered_at': 'TIMESTAMPTZ', 'ended_at': 'TIMESTAMPTZ', "
    "'wrap_up_end_at': 'TIMESTAMPTZ', 'agent': 'VARCHAR', 'outcome': 'VARCHAR', "
    "'customer': 'VARCHAR', 'hold_s': 'DOUBLE', 'transfers': 'INTEGER'}"
)
# Hotline's definitions (docs/kpis.md): booked at arrival; service level = answered
# within 20 s / offered; ASA over answered; AHT = talk + hold + wrap-up = wrap-up end
# (or end) − answer.
REPORT = """
SELECT epoch_ms(time_bucket(INTERVAL 30 MINUTE, arrived_at, 'Europe/Paris')) AS interval_ms,
       queue,
       count(*) AS offered,
       count(answered_at) AS answered,
       count_if(outcome = 'abandoned') AS abandoned,
       100.0 * count_if(epoch_ms(answered_at) - epoch_ms(arrived_at) <= 20000) / count(*) AS service_level,
       avg(epoch_ms(answered_at) - epoch_ms(arrived_at)) / 1000.0 AS asa_s,
       avg(epoch_ms(coalesce(wrap_up_end_at, ended_at)) - epoch_ms(answered_at)) / 1000.0 AS aht_s,
       100.0 * count_if(outcome = 'abandoned') / count(*) AS abandon_rate
FROM records
WHERE arrived_at >= TIMESTAMPTZ '2024-03-01 00:00:00+00' AND arrived_at < TIMESTAMPTZ '2024-04-01 00:00:00+00'
GROUP BY ALL
ORDER BY 1, 2
"""


def timed(label, sql, fetch=True):
    t = time.perf_counter()
    out = con.execute(sql).fetchall() if fetch else con.execute(sql)
    dt = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"   {label:<34}{dt:.2f} s   peak {peak} MiB")
    return out


# The same contract as the store: the contact id is the key.
con.execute(f"CREATE TABLE records AS SELECT * FROM read_csv('{src}', header = true, columns = {COLUMNS}) LIMIT 0")
con.execute("ALTER TABLE records ADD PRIMARY KEY (contact_id)")
timed("load the CSV (contact_id key)", f"INSERT INTO records SELECT * FROM read_csv('{src}', header = true, columns = {COLUMNS})", fetch=False)
con.execute("CHECKPOINT")
n = con.execute("SELECT count(*) FROM records").fetchone()[0]
print(f"   database file: {os.path.getsize(db_file) / 2**30:.1f} GiB, {n} rows")
table = timed("report over the table", REPORT)

mine = {}
with open(hotline_csv, newline="") as f:
    for r in csv.DictReader(f):
        at = int(datetime.datetime.fromisoformat(r["interval_start"]).timestamp() * 1000)
        mine[(at, r["queue"])] = r
theirs = {(r[0], r[1]): r for r in table}
assert mine.keys() == theirs.keys(), (len(mine), len(theirs))
names = ["offered", "answered", "abandoned", "service_level", "asa_s", "aht_s", "abandon_rate"]
worst = 0.0
for key, r in theirs.items():
    for i, name in enumerate(names):
        a, b = float(mine[key][name] or "nan"), r[2 + i]
        if b is None:
            assert mine[key][name] == "", (key, name)
            continue
        worst = max(worst, abs(a - b))
        assert abs(a - b) <= 1e-4 + 1e-9 * abs(b), (key, name, a, b)
print(f"   same answers: {len(theirs)} rows x {len(names)} KPIs agree with the report from "
      f"Hotline's store (largest difference {worst:.1e}; Hotline's CSV rounds to 4 decimals)")
