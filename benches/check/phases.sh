#!/usr/bin/env bash
# Issue 17, point 1: where `policyqc check` spends its time, phase by phase, at each case
# count given (default 100000 1000000 5000000), from CSV and from Parquet.
#
# Usage: benches/check/phases.sh [N ...]
# Environment: POLICYQC (default target/release/policyqc, built when missing), RUNS (runs per
# size and format, default 1; the table shows the run with the least wall time), BENCH_DIR
# (default target/bench-phases; generated folders csv-N and parquet-N are kept and reused).
#
# Each run is `POLICYQC_TIMINGS=1 policyqc check DATA --out OUT --quiet --raw-csv` (the
# default pack, every output): the binary prints one `[timing]` line per phase to stderr
# (src/timing.rs: seconds since the previous line, resident and peak memory after it).
# This script prints those lines as one table, a column per run, with the wall time and peak
# RSS from /usr/bin/time and the findings count. Figures go to BENCHMARKS.md by hand. Not part
# of `cargo nextest run`.
set -euo pipefail
cd "$(dirname "$0")/../.."
source benches/lib.sh
bench_binary
runs=${RUNS:-1}
root=${BENCH_DIR:-target/bench-phases}
mkdir -p "$root"
root=$(cd "$root" && pwd)
sizes=("${@:-100000 1000000 5000000}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})

cols=()
for n in "${sizes[@]}"; do
  for format in csv parquet; do
    data=$root/$format-$n
    bench_folder "$n" "$format" "$data"
    best=
    for r in $(seq "$runs"); do
      out=$root/run-$format-$n
      rm -rf "$out"
      code=0
      POLICYQC_TIMINGS=1 /usr/bin/time -f '%e %M' -o "$root/$format-$n.$r.time" \
        "$bin" check "$data" --out "$out" --quiet --raw-csv 2> "$root/$format-$n.$r.err" || code=$?
      # Exit 1 is a breached threshold: a result, not a failure.
      if [ "$code" -gt 1 ]; then cat "$root/$format-$n.$r.err" >&2; exit 1; fi
      grep -v '^\[timing\]' "$root/$format-$n.$r.err" | grep -v '^$' | tail -n 2 > "$root/$format-$n.$r.tail" || true
      wall=$(cut -d' ' -f1 "$root/$format-$n.$r.time")
      if [ -z "$best" ] || awk -v a="$wall" -v b="$(cut -d' ' -f1 "$root/$format-$n.$best.time")" 'BEGIN{exit !(a<b)}'; then
        best=$r
      fi
    done
    findings=$(( $(wc -l < "$root/run-$format-$n/findings.csv") - 1 ))
    cp "$root/$format-$n.$best.err" "$root/$format-$n.best.err"
    echo "$(cut -d' ' -f1 "$root/$format-$n.$best.time") $(( $(cut -d' ' -f2 "$root/$format-$n.$best.time") / 1024 )) $findings" > "$root/$format-$n.best.sum"
    cols+=("$format-$n")
  done
done

# One row per phase (in the order the first run printed them), one column per run.
python3 - "$root" "${cols[@]}" <<'EOF'
import re, sys
root, cols = sys.argv[1], sys.argv[2:]
phases, table = [], {}
for c in cols:
    seen = {}
    for line in open(f"{root}/{c}.best.err", encoding="utf-8"):
        m = re.match(r"\[timing\] (.+?) +([0-9.]+) s +(\d+) MB resident +(\d+) MB peak", line)
        if not m:
            continue
        name = m.group(1).rstrip()
        # The steps of a table read repeat for the operators and authority tables: only the
        # cases table's are shown (the others are inside `reference`).
        k = seen.get(name, 0)
        seen[name] = k + 1
        if k > 0:
            continue
        key = name
        if key not in phases:
            phases.append(key)
        table[(key, c)] = (float(m.group(2)), int(m.group(4)))
head = "| phase | " + " | ".join(cols) + " |"
print(head)
print("|---|" + "---|" * len(cols))
for p in phases:
    cells = []
    for c in cols:
        v = table.get((p, c))
        cells.append("" if v is None else f"{v[0]:.3f}")
    print(f"| `{p.strip()}`{' (step)' if p.startswith('  ') else ''} | " + " | ".join(cells) + " |")
sums = [open(f"{root}/{c}.best.sum").read().split() for c in cols]
print("| **wall (time)** | " + " | ".join(f"**{s[0]} s**" for s in sums) + " |")
print("| peak RSS (MiB) | " + " | ".join(s[1] for s in sums) + " |")
print("| findings | " + " | ".join(s[2] for s in sums) + " |")
EOF
