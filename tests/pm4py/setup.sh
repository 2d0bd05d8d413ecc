#!/usr/bin/env bash
# Installs the independent reference for the event-log tests (tests/cycle/pm4py.rs):
# - a Python venv with pm4py (the process-mining library the figures are compared with);
# - public event logs pm4py ships in its source distribution (tests/input_data: receipt,
#   reviewing), as CSV with XES column names and as XES;
# - pm4py's own per-case figures for them (tests/pm4py/reference.py).
# Everything goes under target/pm4py (kept between runs, like the build). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/venv.sh
out=target/pm4py
mkdir -p "$out"
PM4PY=2.7.23.11      # the reference library
DATA_FROM=2.2.32     # the last sdist that ships tests/input_data
venv "$out/venv"
if ! "$out/venv/bin/python" -c "import pm4py" 2>/dev/null; then
  "$out/venv/bin/pip" install -q --disable-pip-version-check "pm4py==$PM4PY"
fi
if [ ! -f "$out/data/receipt.xes" ]; then
  tmp=$(mktemp -d)
  "$out/venv/bin/pip" download -q --disable-pip-version-check --no-deps --no-binary :all: \
    "pm4py==$DATA_FROM" -d "$tmp"
  mkdir -p "$out/data"
  for f in receipt.csv receipt.xes reviewing.csv reviewing.xes; do
    tar xzf "$tmp/pm4py-$DATA_FROM.tar.gz" -O "pm4py-$DATA_FROM/tests/input_data/$f" > "$out/data/$f"
  done
  rm -rf "$tmp"
fi
for log in receipt reviewing; do
  if [ ! -f "$out/ref/$log.csv" ] || [ tests/pm4py/reference.py -nt "$out/ref/$log.csv" ]; then
    mkdir -p "$out/ref"
    "$out/venv/bin/python" tests/pm4py/reference.py "$out/data/$log.xes" "$out/ref/$log"
  fi
done
echo "pm4py reference ready in $out"
