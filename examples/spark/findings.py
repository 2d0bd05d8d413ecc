"""Runs a `policyqc sql --dialect spark` script on a Spark cluster (or local mode) and writes
its two results as Parquet: `data_findings.parquet` (the values the script could not read) and
`findings.parquet` (the rules' findings, the columns and order of `findings.csv`), each one
file, which `policyqc scorecard` and `policyqc sample` read with `--rule-findings`.

Usage: spark-submit findings.py SCRIPT OUT
SCRIPT is the printed script (read by the driver); OUT a folder any Hadoop file system
names (`hdfs:///qc/2026-10/out`, `s3a://bucket/qc/out`, `/tmp/out`).
"""
import sys
import time


def say(what, since):
    """A line on standard error: a step and its seconds."""
    print(f"policyqc findings.py: {what} in {time.perf_counter() - since:.1f} s", file=sys.stderr, flush=True)


def statements(text):
    """The script's statements (each ends its line with `;`), comment lines dropped (also
    used by tests/sql/run.py and benches/sql/duckdb_run.py)."""
    out = []
    for s in text.split(";\n"):
        s = "\n".join(l for l in s.split("\n") if not l.startswith("--")).strip()
        if s:
            out.append(s)
    return out


def write_one_file(spark, df, out, name):
    """`df` as the single Parquet file OUT/NAME (Spark writes a folder of parts: the one part
    is renamed into place through the Hadoop file system, on HDFS, S3 or a local disk)."""
    parts = f"{out}/.{name}.parts"
    df.coalesce(1).write.mode("overwrite").parquet(parts)
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path(parts)
    fs = path.getFileSystem(conf)
    part = [s.getPath() for s in fs.listStatus(path) if s.getPath().getName().endswith(".parquet")]
    if len(part) != 1:
        raise SystemExit(f"{parts}: expected one Parquet part, found {len(part)}")
    target = jvm.org.apache.hadoop.fs.Path(f"{out}/{name}")
    fs.delete(target, False)
    if not fs.rename(part[0], target):
        raise SystemExit(f"cannot move {part[0]} to {target}")
    fs.delete(path, True)


def main(script, out):
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("policyqc findings").getOrCreate()
    try:
        with open(script, encoding="utf-8") as f:
            sql = statements(f.read())
        t = time.perf_counter()
        for s in sql[:-2]:
            spark.sql(s)
        say("cases read, typed and cached", t)
        # The findings keep the script's order (ORDER BY case_id, rule_id, row) in the one
        # part: coalesce does not shuffle.
        t = time.perf_counter()
        write_one_file(spark, spark.sql(sql[-2]), out, "data_findings.parquet")
        say("data_findings.parquet written", t)
        t = time.perf_counter()
        write_one_file(spark, spark.sql(sql[-1]), out, "findings.parquet")
        say("findings.parquet written", t)
    finally:
        spark.stop()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
