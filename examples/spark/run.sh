#!/usr/bin/env bash
# The cluster recipe (examples/spark/README.md): the rule pack as Spark SQL over a data
# folder's Parquet files, run by spark-submit, the findings written as Parquet, then read by
# `policyqc scorecard` and `policyqc sample` like native findings.
#
# Usage: examples/spark/run.sh DATA OUT [spark-submit options...]
#   DATA  a data folder (cases.parquet or cases.csv, operators, authority, calendar.yaml,
#         settings.yaml, columns.yaml), at the same path on the driver and the executors
#         (local mode, a shared disk); for HDFS or S3 see the README (--files-at).
#   OUT   where findings.parquet and data_findings.parquet are written.
# Environment: POLICYQC (default: policyqc on PATH), SPARK_SUBMIT (default: spark-submit),
# QC_SQL (a script already printed by `policyqc sql --dialect spark`, used instead).
set -euo pipefail
data=${1:?usage: run.sh DATA OUT [spark-submit options...]}
out=${2:?usage: run.sh DATA OUT [spark-submit options...]}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$data" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ -n "${QC_SQL:-}" ]; then
  cp "$QC_SQL" "$out/qc.sql"
else
  "${POLICYQC:-policyqc}" sql "$data" --dialect spark --files-at "$data" > "$out/qc.sql"
fi
# One UNION ALL of every rule: too large for whole-stage code generation, so it is off.
"${SPARK_SUBMIT:-spark-submit}" \
  --conf spark.sql.codegen.wholeStage=false \
  --conf spark.ui.enabled=false \
  --conf spark.log.level=WARN \
  "$@" "$here/findings.py" "$out/qc.sql" "$out"
echo "findings: $out/findings.parquet; data findings: $out/data_findings.parquet"
