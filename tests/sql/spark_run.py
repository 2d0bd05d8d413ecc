"""Runs `policyqc sql --dialect spark` scripts in one Spark session (local mode) and writes
the last two results of each (data_findings, findings) as polars writes CSV: a header, `\n`,
quotes where needed, an empty text as "", nothing for NULL.

Usage: python spark_run.py SCRIPT OUT [SCRIPT OUT ...]   (tests/sql/main.rs calls it)
"""
import sys

from pyspark.sql import SparkSession


def cell(v):
    if v is None:
        return ""
    t = str(v)
    if t == "" or any(c in t for c in ',"\n\r'):
        return '"' + t.replace('"', '""') + '"'
    return t


def statements(text):
    out = []
    for s in text.split(";\n"):
        s = "\n".join(l for l in s.split("\n") if not l.startswith("--")).strip()
        if s:
            out.append(s)
    return out


def main(args):
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("policyqc-sql-differential")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        # The findings query is one UNION ALL of every rule: too large for whole-stage code
        # generation (Spark would try, fail at 64 KB of Java and fall back, slowly).
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.driver.memory", "3g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        for script, out in zip(args[::2], args[1::2]):
            with open(script, encoding="utf-8") as f:
                stmts = statements(f.read())
            for s in stmts[:-2]:
                spark.sql(s)
            parts = []
            for s in stmts[-2:]:
                df = spark.sql(s)
                lines = [",".join(df.columns)]
                lines += [",".join(cell(v) for v in row) for row in df.collect()]
                parts.append("\n".join(lines) + "\n")
            with open(out, "w", encoding="utf-8") as f:
                f.write("\0".join(parts))
    finally:
        spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
