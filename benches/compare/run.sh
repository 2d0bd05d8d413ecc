#!/usr/bin/env bash
# Issue 17, point 7: policyqc against a polars-python and a pandas script of twelve of the
# same checks, in one run, on the same generated folder (default 1,000,000 cases).
#
# Usage: benches/compare/run.sh [N]
# Environment: POLICYQC (default target/release/policyqc, built when missing), RUNS (best of
# RUNS, default 3), BENCH_DIR (default /work/bench-compare; the generated folders csv-N and
# parquet-N are kept there and reused).
#
# Times, each best of RUNS (runs interleaved), wall seconds and peak resident memory from
# /usr/bin/time: `policyqc check` (the whole default pack, every output) from the CSV folder
# and from the same data as Parquet, checks_polars.py and checks_pandas.py (twelve rules,
# README.md beside this file). Fails unless each script's count of failing cases for each of
# the twelve rules equals the count of distinct case_id of that rule_id in policyqc's
# findings.csv, and unless the Parquet run's findings are the CSV run's but for their row
# numbers. Prints the table, the ratios next to the issue's targets, and the SHA-256 of
# policyqc's findings.csv (header, then the data rows sorted bytewise) for comparison with an
# earlier run (BENCHMARKS.md).
# Figures go to BENCHMARKS.md by hand. Not part of `cargo nextest run`.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000000}
runs=${RUNS:-3}
source benches/lib.sh
bench_binary
bash benches/compare/setup.sh >/dev/null
py=$PWD/target/comparevenv/bin/python
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ beside the scripts
root=${BENCH_DIR:-/work/bench-compare}
mkdir -p "$root"
root=$(cd "$root" && pwd)

# The data: N cases over N/2000 days (at least 31), seed 1, as CSV and as Parquet.
for format in csv parquet; do bench_folder "$n" "$format" "$root/$format-$n"; done
csv=$root/csv-$n
parquet=$root/parquet-$n
work=$root/run-$n
rm -rf "$work"; mkdir -p "$work"

# run NAME CMD...: one timed run into $work/NAME.R.time (wall s, peak KiB) and .out (stdout).
# policyqc check exits 1 when a threshold is breached: a result, not a failure.
run() {
  local name=$1 r=$2; shift 2
  local code=0
  /usr/bin/time -f '%e %M' -o "$work/$name.$r.time" "$@" > "$work/$name.$r.out" || code=$?
  if [ "$code" -gt 1 ] || { [ "$code" -eq 1 ] && [ "${name#policyqc}" = "$name" ]; }; then
    echo "$name (run $r) exited $code:" >&2; cat "$work/$name.$r.out" >&2; exit 1
  fi
}
for r in $(seq "$runs"); do
  rm -rf "$work/out-csv" "$work/out-parquet"
  run policyqc_csv "$r" "$bin" check "$csv" --out "$work/out-csv" --quiet --raw-csv
  run policyqc_parquet "$r" "$bin" check "$parquet" --out "$work/out-parquet" --quiet --raw-csv
  run polars "$r" "$py" benches/compare/checks_polars.py "$csv"
  run pandas "$r" "$py" benches/compare/checks_pandas.py "$csv"
done

# Agreement: per rule, the scripts' counts (every run) and policyqc's distinct case_id.
"$py" - "$work" "$runs" <<'EOF'
import csv, json, sys
sys.path.insert(0, "benches/compare")
from common import RULES
work, runs = sys.argv[1], int(sys.argv[2])
cases = {rule: set() for rule in RULES}
with open(f"{work}/out-csv/findings.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        if row["rule_id"] in cases:
            cases[row["rule_id"]].add(row["case_id"])
want = {rule: len(ids) for rule, ids in cases.items()}
bad = []
for tool in ("polars", "pandas"):
    for r in range(1, runs + 1):
        got = json.load(open(f"{work}/{tool}.{r}.out"))
        bad += [f"{tool} run {r}: {rule} {got.get(rule)} failing cases, policyqc {want[rule]}"
                for rule in RULES if got.get(rule) != want[rule]]
print(f"{'rule':<42} {'failing cases (policyqc = polars = pandas)':>44}")
for rule in RULES:
    print(f"{rule:<42} {want[rule]:>44}")
if bad:
    sys.exit("DISAGREEMENT, the comparison is void:\n" + "\n".join(bad))
EOF

# The findings, header first and the data rows sorted bytewise.
sorted_sha() { { head -n 1 "$1"; tail -n +2 "$1" | LC_ALL=C sort; } | sha256sum | cut -d' ' -f1; }
sha_csv=$(sorted_sha "$work/out-csv/findings.csv")
sha_parquet=$(sorted_sha "$work/out-parquet/findings.csv")
findings=$(( $(wc -l < "$work/out-csv/findings.csv") - 1 ))
# From Parquet the findings are the same but for `row`, the last column: a CSV file's row
# number counts its header line, a Parquet file's does not.
but_row() { sed 's/,[0-9]*$//' "$1" | LC_ALL=C sort; }
if ! cmp -s <(but_row "$work/out-csv/findings.csv") \
  <(but_row "$work/out-parquet/findings.csv"); then
  echo "the Parquet run's findings differ from the CSV run's beyond their row numbers" >&2
  exit 1
fi

# best TOOL: the shortest wall time of its runs; peak TOOL: the largest peak RSS (MiB).
best() { cat "$work/$1".*.time | cut -d' ' -f1 | sort -g | head -n 1; }
all() { cat "$work/$1".*.time | cut -d' ' -f1 | tr '\n' ' '; }
peak() { echo $(( $(cat "$work/$1".*.time | cut -d' ' -f2 | sort -g | tail -n 1) / 1024 )); }
echo
model=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $model"
echo "$n cases ($(du -m "$csv/cases.csv" | cut -f1) MB cases.csv), best of $runs runs (interleaved)"
printf '%-18s %8s  %-22s %9s  %s\n' tool best_s runs_s peak_MiB what
printf '%-18s %8s  %-22s %9s  %s\n' policyqc_csv "$(best policyqc_csv)" "$(all policyqc_csv)" \
  "$(peak policyqc_csv)" "policyqc check, default pack (every rule), every output, from CSV"
printf '%-18s %8s  %-22s %9s  %s\n' policyqc_parquet "$(best policyqc_parquet)" \
  "$(all policyqc_parquet)" "$(peak policyqc_parquet)" "the same from the Parquet folder"
printf '%-18s %8s  %-22s %9s  %s\n' polars "$(best polars)" "$(all polars)" "$(peak polars)" \
  "checks_polars.py: twelve rules, lazy scan_csv (interpreter start included)"
printf '%-18s %8s  %-22s %9s  %s\n' pandas "$(best pandas)" "$(all pandas)" "$(peak pandas)" \
  "checks_pandas.py: the same twelve rules"
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v x="$1" -v t="$2" 'BEGIN { print (x >= t) ? "met" : "NOT met" }'; }
r_polars=$(ratio "$(best polars)" "$(best policyqc_csv)")
r_pandas=$(ratio "$(best pandas)" "$(best policyqc_csv)")
r_parquet=$(ratio "$(best policyqc_csv)" "$(best policyqc_parquet)")
printf '%-46s %6s  %-24s %s\n' ratio value "target (issue 17)" verdict
printf '%-46s %6s  %-24s %s\n' "vs polars-python (polars_s / policyqc_csv_s)" "$r_polars" \
  ">= 1.0 (goal 1.5)" "$(verdict "$r_polars" 1.0), goal $(verdict "$r_polars" 1.5)"
printf '%-46s %6s  %-24s %s\n' "vs pandas (pandas_s / policyqc_csv_s)" "$r_pandas" ">= 3" \
  "$(verdict "$r_pandas" 3)"
printf '%-46s %6s  %-24s %s\n' "Parquet speedup (policyqc_csv_s / parquet_s)" "$r_parquet" ">= 2" \
  "$(verdict "$r_parquet" 2)"
echo "(a ratio above 1 means policyqc is the faster)"
echo
echo "findings: $findings rows; sha256 of findings.csv, header then rows sorted (LC_ALL=C sort):"
echo "$sha_csv  (from Parquet: $sha_parquet; the same findings, row numbers one less)"
