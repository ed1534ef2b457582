#!/usr/bin/env bash
# Hotline's simulator against Ciw on M/M/c+M at 90% offered load, side by side in one run.
#
#   bench/sim_vs_ciw/run.sh                      # 1,000,000 callers, c = 50 and c = 2000
#   CALLERS=200000 bench/sim_vs_ciw/run.sh       # fewer callers
#   CIW_CALLERS_2000=100000 bench/sim_vs_ciw/run.sh   # cap Ciw at c = 2000 (it is slow)
#
# Creates a throwaway virtual environment for Ciw (default /tmp/hotline-ciw-venv, or
# $VENV), builds `hotline` in release mode, and prints callers per second and the key
# statistics of both. Figures are recorded in docs/benchmarks.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${VENV:-/tmp/hotline-ciw-venv}
ciw_version=${CIW_VERSION:-3.2.7}

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check "ciw==$ciw_version"

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
(cd "$root" && cargo build --release --quiet -p hotline)

exec "$venv/bin/python" "$here/compare.py" \
  --hotline "$CARGO_TARGET_DIR/release/hotline" \
  --callers "${CALLERS:-1000000}" \
  ${CIW_CALLERS_50:+--ciw-callers-50 "$CIW_CALLERS_50"} \
  ${CIW_CALLERS_2000:+--ciw-callers-2000 "$CIW_CALLERS_2000"} \
  ${AGENTS:+--agents $AGENTS}
