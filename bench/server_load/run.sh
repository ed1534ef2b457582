#!/usr/bin/env bash
# Load test of the event API: the release `hotline serve` on loopback with the SQLite
# default (WAL, synchronous=FULL: every acknowledged event is on disk), driven by wrk as a
# CTI adapter with an API key. Two workloads:
#   MODE=mix     (default) two events per contact: it arrives, then its caller hangs up
#                (bench/server_load/mix.lua); the live set stays small, every contact
#                gets its contact record;
#   MODE=arrive  arrivals only (arrive.lua): nobody answers, the queue grows by every
#                event (hundreds of thousands of waiting contacts by the end).
# Prints events/s and latency percentiles, then checks that every acknowledged event is
# in the event log on disk.
#
#   bench/server_load/run.sh                 # 30 s, 48 connections, 2 wrk threads
#   MODE=arrive DURATION=60 CONNECTIONS=64 bench/server_load/run.sh
#   SERVER_ARGS="--worker-threads 1" bench/server_load/run.sh   # flags for hotline serve
#   HOTLINE_BIN=/tmp/hotline-a bench/server_load/run.sh           # a given build
#
# Needs wrk (installed from Debian's package when missing), curl and python3.
set -euo pipefail

cd "$(dirname "$0")/../.."
MODE="${MODE:-mix}"
DURATION="${DURATION:-30}"
CONNECTIONS="${CONNECTIONS:-48}"
THREADS="${THREADS:-2}"
SERVER_ARGS="${SERVER_ARGS:-}"
PORT="${PORT:-18181}"
TARGET="${CARGO_TARGET_DIR:-target}"

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)" >&2
  (apt-get install -y wrk || (apt-get update && apt-get install -y wrk)) >/dev/null
fi

# HOTLINE_BIN: compare a given binary (an A/B of two builds) instead of building one.
if [[ -n "${HOTLINE_BIN:-}" ]]; then
  BIN="$HOTLINE_BIN"
else
  cargo build --release -p hotline >&2
  BIN="$TARGET/release/hotline"
fi
DATA="$(mktemp -d /var/tmp/hotline-load.XXXXXX)"
LOG="$DATA/server.log"
cleanup() {
  [[ -n "${SERVER:-}" ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$DATA"
}
trap cleanup EXIT

HOTLINE_ADMIN_PASSWORD=load-test-admin "$BIN" serve --port "$PORT" --data-dir "$DATA/data" \
  --log warn --ring-timeout 0 --expected-live-contacts 1000000 $SERVER_ARGS >"$DATA/stdout" 2>"$LOG" &
SERVER=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "$BASE/readyz" >/dev/null || { echo "the server did not start:" >&2; cat "$LOG" >&2; exit 1; }

json() { python3 -c "import sys, json; print(json.load(sys.stdin)$1)"; }
post() { curl -sf -X POST "$BASE$1" -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "$2"; }
TOKEN=$(curl -sf -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"load-test-admin"}' | json '["token"]')
SKILL=$(post /api/v1/skills '{"name":"billing"}' | json '["id"]')
QUEUE=$(post /api/v1/queues "{\"name\":\"Billing\",\"skill_id\":$SKILL}" | json '["id"]')
export HOTLINE_KEY=$(post /api/v1/api-keys '{"name":"load-test","role":"supervisor"}' | json '["secret"]')
export HOTLINE_QUEUE="$QUEUE"

SCRIPT="bench/server_load/$MODE.lua"
[[ -f "$SCRIPT" ]] || { echo "MODE=$MODE: no $SCRIPT" >&2; exit 2; }
echo "warm-up: 5 s" >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$SCRIPT" "$BASE/api/v1/contacts" >/dev/null
echo "run: $MODE, ${DURATION} s, $CONNECTIONS connections, $THREADS wrk threads" >&2
OUT=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$SCRIPT" "$BASE/api/v1/contacts")
echo "$OUT"
RESULT=$(echo "$OUT" | grep '^RESULT')

# Every acknowledged event (warm-up included) is in the engine and in the event log.
ENTERED=$(curl -sf "$BASE/api/v1/realtime/queues" -H "Authorization: Bearer $TOKEN" | json '[0]["entered"]')
METRICS=$(curl -sf "$BASE/metrics")
BATCH=$(echo "$METRICS" | awk '/^hotline_commit_batch_entries_sum/ {s=$2} /^hotline_commit_batch_entries_count/ {c=$2} END {if (c > 0) printf "%.1f", s / c}')
COMMIT=$(echo "$METRICS" | awk '/^hotline_commit_seconds_sum/ {s=$2} /^hotline_commit_seconds_count/ {c=$2} END {if (c > 0) printf "%.2f", 1000 * s / c}')
ACK99=$(echo "$METRICS" | python3 -c '
import sys, re
b = [(float(m.group(1)), float(m.group(2))) for m in re.finditer(r"^hotline_event_ack_seconds_bucket\{le=\"([0-9.e+-]+)\"\} ([0-9.]+)", sys.stdin.read(), re.M)]
total = b[-1][1] if b else 0
print(next((f"{1000 * le:g}" for le, n in b if n >= 0.99 * total), "?"))')
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
read -r ARRIVALS ABANDONS RECORDS < <(python3 - "$DATA/data/hotline.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
q = lambda sql: db.execute(sql).fetchone()[0]
print(q("SELECT COUNT(*) FROM event_log WHERE kind = 'arrived'"),
      q("SELECT COUNT(*) FROM event_log WHERE kind = 'engine.contact-abandoned'"),
      q("SELECT COUNT(*) FROM contact_records"))
PY
)
# A restart replays the whole log: how long does it take?
"$BIN" serve --port "$PORT" --data-dir "$DATA/data" --log info --expected-live-contacts 1000000 \
  >"$DATA/stdout2" 2>"$DATA/restart.log" &
SERVER=$!
for _ in $(seq 600); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.1; done
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
REPLAY=$(grep -o 'entries=[0-9]* live_contacts=[0-9]* elapsed_ms=[0-9]*' "$DATA/restart.log" | head -1)

field() { echo "$RESULT" | sed -nE "s/.* $1=([0-9]+).*/\1/p"; }
CREATED=$(field created); ABANDONED=$(field abandoned); ABANDONED=${ABANDONED:-0}
echo
echo "$RESULT"
echo "engine: $ENTERED contacts entered; event log on disk: $ARRIVALS arrivals, $ABANDONS abandons; $RECORDS contact records"
echo "group commit: $BATCH events per transaction on average, $COMMIT ms per commit; server-side p99 (received → durable, answered) ≤ $ACK99 ms"
echo "restart: replayed $REPLAY"
if (( ARRIVALS < CREATED || ABANDONS < ABANDONED || RECORDS != ABANDONS )); then
  echo "FAIL: acknowledged events missing from the log, or records missing" >&2
  exit 1
fi
