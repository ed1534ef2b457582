"""What both DuckDB benchmarks share (benches/vs_duckdb/duckdb_report.py and
bench/import_vs_duckdb/duckdb_import.py): the CSV's column types, the report in SQL with
Hotline's KPI definitions, and the row-by-row comparison with Hotline's report. One copy,
so the reference both benchmarks measure against cannot drift apart."""

import csv
import datetime

COLUMNS = (
    "{'contact_id': 'VARCHAR', 'queue': 'VARCHAR', 'channel': 'VARCHAR', "
    "'arrived_at': 'TIMESTAMPTZ', 'answered_at': 'TIMESTAMPTZ', 'ended_at': 'TIMESTAMPTZ', "
    "'wrap_up_end_at': 'TIMESTAMPTZ', 'agent': 'VARCHAR', 'outcome': 'VARCHAR', "
    "'customer': 'VARCHAR', 'hold_s': 'DOUBLE', 'transfers': 'INTEGER'}"
)


def read_csv(src):
    """DuckDB's reader of the CSV at `src` with the columns above."""
    return f"read_csv('{src}', header = true, columns = {COLUMNS})"


# Hotline's definitions (docs/kpis.md): booked at arrival; service level = answered
# within 20 s / offered; ASA over answered; AHT = talk + hold + wrap-up = wrap-up end
# (or end) − answer. `{src}`: a table or a reader.
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
FROM {src}
WHERE arrived_at >= TIMESTAMPTZ '2024-03-01 00:00:00+00' AND arrived_at < TIMESTAMPTZ '2024-04-01 00:00:00+00'
GROUP BY ALL
ORDER BY 1, 2
"""

KPIS = ["offered", "answered", "abandoned", "service_level", "asa_s", "aht_s", "abandon_rate"]


def compare(hotline_csv, table):
    """Checks DuckDB's rows against Hotline's report CSV (`interval_start, queue, <KPIS>`):
    the same (interval, queue) keys and every KPI within Hotline's 4-decimal rounding.
    Returns (rows, largest difference)."""
    mine = {}
    with open(hotline_csv, newline="") as f:
        for r in csv.DictReader(f):
            at = int(datetime.datetime.fromisoformat(r["interval_start"]).timestamp() * 1000)
            mine[(at, r["queue"])] = r
    theirs = {(r[0], r[1]): r for r in table}
    assert mine.keys() == theirs.keys(), (len(mine), len(theirs))
    worst = 0.0
    for key, r in theirs.items():
        for i, name in enumerate(KPIS):
            a, b = float(mine[key][name] or "nan"), r[2 + i]
            if b is None:
                assert mine[key][name] == "", (key, name)
                continue
            worst = max(worst, abs(a - b))
            assert abs(a - b) <= 1e-4 + 1e-9 * abs(b), (key, name, a, b)
    return len(theirs), worst
