"""Erlang C staffing on the same 10,000 cases: pyworkforce's ErlangC.required_positions,
a careful pure-Python loop, and Hotline (timed by crates/hotline-wfm/examples/sweep.rs).

usage: python compare.py generate CASES.csv DIST   (DIST: loguniform | uniform)
       python compare.py run CASES.csv HOTLINE_ANSWERS.csv
"""
import csv
import math
import random
import sys
import time


def generate(path, dist):
    rng = random.Random(2024 if dist == "loguniform" else 2025)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["calls", "interval", "aht", "answer_within", "target_sl"])
        for _ in range(10_000):
            if dist == "loguniform":
                load = math.exp(rng.uniform(math.log(0.5), math.log(2000.0)))
            else:
                load = rng.uniform(0.5, 2000.0)
            aht = round(rng.uniform(60, 600), 1)
            interval = 1800
            calls = round(load * interval / aht, 3)
            w.writerow([calls, interval, aht, round(rng.uniform(10, 60)), round(rng.uniform(0.8, 0.95), 3)])


def careful(calls, interval, aht, t, sl):
    """Exact smallest N: search from floor(A) + 1 with the Erlang B recursion carried
    along, one exp per case."""
    a = calls / interval * aht
    n = math.floor(a) + 1
    inv = 1.0
    for m in range(1, n + 1):
        inv = 1.0 + m / a * inv
    step = math.exp(-t / aht)
    decay = math.exp(-(n - a) * t / aht)
    while True:
        c = n / (inv * (n - a) + a)
        if 1.0 - c * decay >= sl:
            return n
        n += 1
        inv = 1.0 + n / a * inv
        decay *= step


def run(cases_path, hotline_path):
    from pyworkforce.queuing import ErlangC

    with open(cases_path) as f:
        cases = [tuple(float(x) for x in row) for row in list(csv.reader(f))[1:]]
    with open(hotline_path) as f:
        hotline = [int(x) for x in f.read().split()[1:]]

    start = time.perf_counter()
    careful_answers = [careful(*c) for c in cases]
    careful_s = time.perf_counter() - start

    start = time.perf_counter()
    pwf = []
    for calls, interval, aht, t, sl in cases:
        e = ErlangC(transactions=calls, aht=aht, asa=t, interval=interval)
        pwf.append(e.required_positions(service_level=sl, max_occupancy=1.0)["raw_positions"])
    pwf_s = time.perf_counter() - start

    n = len(cases)
    print(f"pyworkforce      {n / pwf_s:12.0f} cases/s  ({pwf_s:.2f} s)")
    print(f"careful Python   {n / careful_s:12.0f} cases/s  ({careful_s:.2f} s)")
    same_careful = sum(h == c for h, c in zip(hotline, careful_answers))
    same_pwf = sum(h == p for h, p in zip(hotline, pwf))
    print(f"Hotline = careful Python on {same_careful}/{n} cases")
    print(f"Hotline = pyworkforce    on {same_pwf}/{n} cases")
    shown = 0
    for c, h, p, k in zip(cases, hotline, pwf, careful_answers):
        if h != p and shown < 5:
            calls, interval, aht, t, sl = c
            a = calls / interval * aht
            print(f"  differs: load {a:.3f} Erlangs, t {t:.0f} s, target {sl}: Hotline {h}, "
                  f"careful {k}, pyworkforce {p} (its search starts at round(A + 1) = {round(a + 1)})")
            shown += 1


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], sys.argv[3])
    else:
        run(sys.argv[2], sys.argv[3])
