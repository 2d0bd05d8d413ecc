#!/usr/bin/env bash
# Installs DuckDB for the SQL differential tests (src/sql/differential.rs): a Python venv
# with the duckdb package under target/sqlvenv (kept between runs, like the build). The
# Python package rather than the `duckdb` crate: its wheel installs in seconds, where the
# bundled crate compiles DuckDB's C++ for many minutes on CI's two cores. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/venv.sh
out=target/sqlvenv
DUCKDB=1.1.3
venv "$out"
if ! "$out/bin/python" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB')" 2>/dev/null; then
  "$out/bin/pip" install -q --disable-pip-version-check "duckdb==$DUCKDB"
fi
echo "DuckDB $DUCKDB ready in $out"
