"""Hotline's simulator and Ciw on the same M/M/c+M, timed in the same run.

Offered load 90% (lambda = 0.9 c / AHT), AHT 180 s, exponential patience of mean 300 s,
service-level threshold 20 s. Both simulate `callers / lambda` seconds and stop there
(cut-off); statistics count callers arriving after a 5% warm-up. The exact Erlang A values
(birth-death chain of M/M/c+M) are printed alongside.
"""

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
import time

import ciw

AHT = 180.0
PATIENCE = 300.0
LOAD = 0.9
SL_T = 20.0
WARMUP_SHARE = 0.05


def erlang_a(c, lam, mu, theta):
    """P(wait), P(abandon), mean wait of all callers, from the stationary distribution."""
    # log p_n, up to where the tail is negligible.
    logs = [0.0]
    n = 0
    while True:
        n += 1
        death = min(n, c) * mu + max(n - c, 0) * theta
        logs.append(logs[-1] + math.log(lam / death))
        if n > c and logs[-1] < max(logs) - 50:
            break
    top = max(logs)
    p = [math.exp(x - top) for x in logs]
    z = sum(p)
    p = [x / z for x in p]
    p_wait = sum(p[c:])
    queue = sum((k - c) * p[k] for k in range(c, len(p)))
    p_abandon = theta * queue / lam
    return {"p_wait": p_wait, "p_abandon": p_abandon, "asa_all_s": queue / lam, "occupancy": lam * (1 - p_abandon) / (c * mu)}


def run_hotline(binary, c, callers):
    lam = LOAD * c / AHT
    duration = callers / lam
    scenario = f"""
[run]
duration_s = {duration}
warmup_s = {duration * WARMUP_SHARE}
replications = 1
seed = 1
at_end = "cutoff"

[[queue]]
id = "calls"
arrivals_per_hour = {lam * 3600}
handle_time = {{ dist = "exponential", mean_s = {AHT} }}
patience = {{ dist = "exponential", mean_s = {PATIENCE} }}
service_level_s = {SL_T}

[[agents]]
group = "agents"
count = {c}
skills = {{ calls = 1 }}
"""
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        f.write(scenario)
        path = f.name
    started = time.perf_counter()
    out = subprocess.run(
        [binary, "simulate", path, "--json", "--timing", "--threads", "1"],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    m = re.search(r"simulated (\d+) contacts .* in ([0-9.]+) s", out.stderr)
    simulated, seconds = int(m.group(1)), float(m.group(2))
    report = json.loads(out.stdout)
    q = report["queues"]["calls"]
    stats = {k: q[k]["mean"] for k in ("p_wait", "p_abandon", "asa_served_s", "asa_all_s", "service_level")}
    stats["occupancy"] = report["groups"]["agents"]["occupancy"]["mean"]
    return {"callers": simulated, "seconds": seconds, "wall_s": wall, "stats": stats}


def number(x):
    return isinstance(x, (int, float)) and not math.isnan(x)


def busy(sim, start, end):
    total = 0.0
    for r in sim.get_all_records(only=["service", "incomplete"], include_incomplete=True):
        if not number(r.service_start_date):
            continue
        stop = r.service_end_date if number(r.service_end_date) else end
        total += max(0.0, min(stop, end) - max(r.service_start_date, start))
    return total


def run_ciw(c, callers):
    lam = LOAD * c / AHT
    duration = callers / lam
    warmup = duration * WARMUP_SHARE
    net = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=lam)],
        service_distributions=[ciw.dists.Exponential(rate=1 / AHT)],
        number_of_servers=[c],
        reneging_time_distributions=[ciw.dists.Exponential(rate=1 / PATIENCE)],
    )
    ciw.seed(1)
    sim = ciw.Simulation(net)
    started = time.perf_counter()
    sim.simulate_until_max_time(duration)
    seconds = time.perf_counter() - started
    recs = sim.get_all_records(only=["service", "renege"])
    counted = [r for r in recs if r.arrival_date >= warmup]
    served = [r for r in counted if r.record_type == "service"]
    reneged = [r for r in counted if r.record_type == "renege"]
    n = len(counted)
    stats = {
        "p_wait": sum(1 for r in counted if r.waiting_time > 0) / n,
        "p_abandon": len(reneged) / n,
        "asa_served_s": sum(r.waiting_time for r in served) / len(served),
        "asa_all_s": sum(r.waiting_time for r in counted) / n,
        "service_level": sum(1 for r in served if r.waiting_time <= SL_T) / n,
        # Agent time on calls in [warm-up, end] over agent time available, calls still
        # in service at the end included.
        "occupancy": busy(sim, warmup, duration) / (c * (duration - warmup)),
    }
    return {"callers": len(recs), "seconds": seconds, "stats": stats}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hotline", required=True)
    ap.add_argument("--callers", type=int, default=1_000_000)
    ap.add_argument("--ciw-callers-50", type=int)
    ap.add_argument("--ciw-callers-2000", type=int)
    ap.add_argument("--agents", type=int, nargs="*", default=[50, 2000])
    a = ap.parse_args()
    print(f"M/M/c+M, load {LOAD:.0%}, AHT {AHT:.0f} s, patience {PATIENCE:.0f} s, SL threshold {SL_T:.0f} s; "
          f"Ciw {ciw.__version__}, Python {sys.version.split()[0]}")
    for c in a.agents:
        ciw_callers = {50: a.ciw_callers_50, 2000: a.ciw_callers_2000}.get(c) or a.callers
        h = run_hotline(a.hotline, c, a.callers)
        w = run_ciw(c, ciw_callers)
        theory = erlang_a(c, LOAD * c / AHT, 1 / AHT, 1 / PATIENCE)
        print(f"\nc = {c}")
        print(f"  {'':22}{'Hotline':>14}{'Ciw':>14}{'Erlang A':>14}")
        print(f"  {'callers simulated':22}{h['callers']:>14,}{w['callers']:>14,}")
        print(f"  {'simulation time (s)':22}{h['seconds']:>14.3f}{w['seconds']:>14.1f}")
        print(f"  {'callers per second':22}{h['callers'] / h['seconds']:>14,.0f}{w['callers'] / w['seconds']:>14,.0f}")
        for k in ("p_wait", "p_abandon", "service_level", "asa_served_s", "asa_all_s", "occupancy"):
            t = theory.get(k)
            ts = f"{t:>14.4g}" if t is not None else f"{'':>14}"
            print(f"  {k:22}{h['stats'][k]:>14.4g}{w['stats'][k]:>14.4g}{ts}")
        print(f"  (Hotline process wall time incl. start-up: {h['wall_s']:.3f} s)")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
