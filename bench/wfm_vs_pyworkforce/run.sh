#!/usr/bin/env bash
# Erlang C staffing sweep: Hotline vs pyworkforce (and a careful pure-Python loop) on
# the same 10,000 cases, in one run. Installs pyworkforce in a throwaway venv.
#   bench/wfm_vs_pyworkforce/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/hotline-target}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pyworkforce
echo "pyworkforce $("$work/venv/bin/pip" show pyworkforce | awk '/^Version/ {print $2}'), $(python3 --version)"
cargo build --quiet --release -p hotline-wfm --example sweep
for dist in loguniform uniform; do
  echo "== 10,000 cases, loads $dist over 0.5-2,000 Erlangs"
  "$work/venv/bin/python" bench/wfm_vs_pyworkforce/compare.py generate "$work/cases-$dist.csv" "$dist"
  printf 'Hotline          '
  "$CARGO_TARGET_DIR/release/examples/sweep" "$work/cases-$dist.csv" "$work/hotline-$dist.csv"
  "$work/venv/bin/python" bench/wfm_vs_pyworkforce/compare.py run "$work/cases-$dist.csv" "$work/hotline-$dist.csv"
done
