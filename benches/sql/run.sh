#!/usr/bin/env bash
# Issue 18, point 6: the same rule pack on the native engine, on DuckDB and on Spark local
# mode, over the same generated folder (CSV), for each case count given (default 1000000).
#
# Usage: benches/sql/run.sh [N ...]
# Environment: POLICYQC (default target/release/policyqc, built when missing), POLICYQC_SQL
# (the binary that prints the scripts, default POLICYQC; printing is not timed), BENCH_DIR
# (default target/bench-sql; data folders are kept and reused), DUCKDB (0 skips DuckDB), SPARK
# (0 skips Spark), SPARK_DRIVER_MEMORY (default 6g).
#
# Each engine's wall time and peak resident memory come from /usr/bin/time; every run writes
# its findings, and the run fails unless DuckDB's and Spark's findings have as many rows as
# the native check's findings.csv. Figures go to BENCHMARKS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
source benches/lib.sh
bench_binary
sqlbin=${POLICYQC_SQL:-$bin}
bash tests/sql/setup.sh >/dev/null
[ "${SPARK:-1}" = 0 ] || bash tests/sql/setup.sh --spark >/dev/null
venv=$repo/target/sqlvenv/bin
root=${BENCH_DIR:-target/bench-sql}
mkdir -p "$root"
root=$(cd "$root" && pwd)

# /usr/bin/time -f: wall seconds and peak RSS in KiB, into $2.
timed() { local out=$1; shift; /usr/bin/time -f '%e %M' -o "$out" "$@"; }
field() { cut -d' ' -f"$2" "$1"; }

printf '%-9s %-8s %9s %10s %9s  %s\n' cases engine wall_s peak_MiB findings note
for n in "${@:-1000000}"; do
  data=$root/csv-$n
  bench_folder "$n" csv "$data"
  work=$root/run-$n; rm -rf "$work"; mkdir -p "$work"
  # Native: the whole check (all outputs).
  timed "$work/native.time" "$bin" check "$data" --out "$work/native" --quiet --raw-csv || [ $? -eq 1 ]
  want=$(( $(wc -l < "$work/native/findings.csv") - 1 ))
  printf '%-9s %-8s %9s %10s %9s  %s\n' "$n" native "$(field "$work/native.time" 1)" \
    "$(( $(field "$work/native.time" 2) / 1024 ))" "$want" "policyqc check, every output"
  # DuckDB: the printed script, findings copied to Parquet.
  if [ "${DUCKDB:-1}" != 0 ]; then
  "$sqlbin" sql "$data" > "$work/duckdb.sql"
  timed "$work/duckdb.time" "$venv/python" benches/sql/duckdb_run.py "$data" "$work/duckdb.sql" \
    "$work/duckdb-findings.parquet" > "$work/duckdb.json"
  got=$("$venv/python" -c "import json,sys; print(json.load(open(sys.argv[1]))['findings'])" "$work/duckdb.json")
  printf '%-9s %-8s %9s %10s %9s  %s\n' "$n" duckdb "$(field "$work/duckdb.time" 1)" \
    "$(( $(field "$work/duckdb.time" 2) / 1024 ))" "$got" "$(cat "$work/duckdb.json")"
  [ "$got" = "$want" ] || { echo "DuckDB found $got, check $want" >&2; exit 1; }
  fi
  # Spark local mode: the examples/spark recipe (spark-submit, findings to Parquet).
  if [ "${SPARK:-1}" != 0 ]; then
    "$sqlbin" sql "$data" --dialect spark --files-at "$data" > "$work/spark.sql"
    PATH=$venv:$PATH PYSPARK_PYTHON=$venv/python QC_SQL=$work/spark.sql \
      timed "$work/spark.time" examples/spark/run.sh "$data" "$work/spark" \
      --master 'local[2]' --driver-memory "${SPARK_DRIVER_MEMORY:-6g}" > "$work/spark.log" 2>&1
    got=$("$venv/python" -c "import duckdb,sys; print(duckdb.sql(f\"SELECT count(*) FROM '{sys.argv[1]}'\").fetchone()[0])" "$work/spark/findings.parquet")
    printf '%-9s %-8s %9s %10s %9s  %s\n' "$n" spark "$(field "$work/spark.time" 1)" \
      "$(( $(field "$work/spark.time" 2) / 1024 ))" "$got" "examples/spark/run.sh: spark-submit local[2], JVM start included; peak: the JVM; $(grep -o "[a-z_.]* written in [0-9.]* s\|cases read, typed and cached in [0-9.]* s" "$work/spark.log" | tr "\n" ";")"
    [ "$got" = "$want" ] || { echo "Spark found $got, check $want" >&2; exit 1; }
  fi
done
