#!/usr/bin/env bash
# Installs DuckDB for the SQL differential tests (tests/sql): a
# Python venv with the duckdb package under target/sqlvenv (kept between runs, like the
# build); with `--spark`, also pyspark (Spark local mode on the machine's Java 17) for the
# Spark comparison .ci/run runs after the tests. The
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
# sqlglot: the Trino script is parsed with its Trino grammar and run on DuckDB transpiled.
SQLGLOT=30.31.0
if ! "$out/bin/python" -c "import sqlglot, sys; sys.exit(sqlglot.__version__ != '$SQLGLOT')" 2>/dev/null; then
  "$out/bin/pip" install -q --disable-pip-version-check "sqlglot==$SQLGLOT"
fi
echo "DuckDB $DUCKDB and sqlglot $SQLGLOT ready in $out"
if [ "${1:-}" = "--spark" ]; then
  PYSPARK=3.5.3
  command -v java >/dev/null || { echo "Spark needs Java (17): not found" >&2; exit 2; }
  if ! "$out/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK')" 2>/dev/null; then
    "$out/bin/pip" install -q --disable-pip-version-check "pyspark==$PYSPARK"
  fi
  echo "pyspark $PYSPARK ready in $out"
fi
