#!/usr/bin/env bash
# Issue 17, point 7: `cycle` over a month of 1M cases and their task list (about 8 tasks a
# case), and `scorecard` over the same month, each end to end through the CLI.
#
# Usage: benches/month/run.sh [N]   (N cases, default 1000000, received over one month)
# Environment: POLICYQC (default target/release/policyqc, built when missing), RUNS (best of
# RUNS, default 2), BENCH_DIR (default target/bench-month; the generated folder month-N is
# kept and reused).
#
# The data: `policyqc generate --cases N --seed 1 --start 2026-10-01 --days 31` (cases,
# tasks, operators, authority, calendar as CSV). Timed, wall seconds and peak resident memory
# from /usr/bin/time: `policyqc cycle DATA` (every output) and `policyqc scorecard DATA --month
# 2026-10 --no-history` (every output, no history so each run does the same work). Prints the
# table with the input sizes and the output row counts. Figures go to BENCHMARKS.md by hand.
# Not part of `cargo nextest run`.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000000}
runs=${RUNS:-2}
source benches/lib.sh
bench_binary
root=${BENCH_DIR:-target/bench-month}
mkdir -p "$root"
root=$(cd "$root" && pwd)
data=$root/month-$n
if [ ! -f "$data/tasks.csv" ]; then
  "$bin" generate --cases "$n" --seed 1 --start 2026-10-01 --days 31 --out "$data" --quiet
fi
rows() { echo $(( $(wc -l < "$1") - 1 )); }
echo "data: $data: $(rows "$data/cases.csv") cases, $(rows "$data/tasks.csv") tasks, $(du -sm "$data" | cut -f1) MB"

# run NAME CMD...: RUNS timed runs, prints the best wall time, every run, and the best's peak.
# Exit 1 (a breached threshold or an auto-fail) is a result, not a failure.
run() {
  local name=$1; shift
  local best= all=
  for r in $(seq "$runs"); do
    rm -rf "$root/out-$name"
    local code=0
    /usr/bin/time -f '%e %M' -o "$root/$name.$r.time" "$@" --out "$root/out-$name" \
      > "$root/$name.$r.log" 2>&1 || code=$?
    if [ "$code" -gt 1 ]; then echo "$name exited $code:" >&2; cat "$root/$name.$r.log" >&2; exit 1; fi
    local t; t=$(cut -d' ' -f1 "$root/$name.$r.time")
    all="$all${all:+, }$t"
    if [ -z "$best" ] || awk -v a="$t" -v b="$(cut -d' ' -f1 "$root/$name.$best.time")" 'BEGIN{exit !(a<b)}'; then
      best=$r
    fi
  done
  printf '| %s | %s s | %s | %s MiB |' "$name" "$(cut -d' ' -f1 "$root/$name.$best.time")" "$all" \
    "$(( $(cut -d' ' -f2 "$root/$name.$best.time") / 1024 ))"
}
echo "| command | best | runs | peak RSS | outputs |"
echo "|---|---|---|---|---|"
run cycle "$bin" cycle "$data" --quiet
echo " $(rows "$root/out-cycle/case_times.csv") case_times rows, $(rows "$root/out-cycle/stage_times.csv") stage_times rows |"
run scorecard "$bin" scorecard "$data" --month 2026-10 --no-history --quiet
echo " $(rows "$root/out-scorecard/scorecard.csv") operators, $(rows "$root/out-scorecard/scorecard_errors.csv") errors |"
