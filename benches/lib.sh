# Sourced by the bench scripts (benches/*/run.sh, benches/check/phases.sh), from the repo root.

# bench_binary: sets $bin to the absolute path of $POLICYQC (default target/release/policyqc),
# building the release binary when it is missing.
bench_binary() {
  bin=${POLICYQC:-target/release/policyqc}
  if [ ! -x "$bin" ]; then cargo build --release --bin policyqc; fi
  bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
}

# bench_folder N FORMAT DIR: the generated folder of N cases in DIR (seed 1, received from
# 2026-10-01 over N/2000 days, at least 31), as csv or parquet; kept and reused.
bench_folder() {
  local n=$1 format=$2 data=$3 days
  days=$(( (n + 1999) / 2000 )); [ "$days" -ge 31 ] || days=31
  if [ ! -f "$data/cases.$format" ]; then
    "$bin" generate --cases "$n" --seed 1 --start 2026-10-01 --days "$days" \
      --format "$format" --out "$data" --quiet
  fi
}
