"""Runs `policyqc sql` scripts on DuckDB or in one Spark session (local mode) and writes the
last two results of each (data_findings, findings) as polars writes CSV: a header, `\n`,
quotes where needed, an empty text as "", nothing for NULL; the two separated by a NUL.

Usage: python run.py duckdb|spark DIR SCRIPT OUT [DIR SCRIPT OUT ...]
Each script runs from its data folder DIR (the DuckDB script names its files relative to
it). tests/sql/main.rs calls it.
"""
import os
import sys


def cell(v):
    if v is None:
        return ""
    t = str(v)
    if t == "" or any(c in t for c in ',"\n\r'):
        return '"' + t.replace('"', '""') + '"'
    return t


def statements(text):
    """The script's statements (each ends its line with `;`), comment lines dropped."""
    out = []
    for s in text.split(";\n"):
        s = "\n".join(l for l in s.split("\n") if not l.startswith("--")).strip()
        if s:
            out.append(s)
    return out


def as_csv(columns, rows):
    lines = [",".join(columns)] + [",".join(cell(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def duckdb_engine():
    import duckdb

    def run(sql):
        con = duckdb.connect()
        for s in sql[:-2]:
            con.execute(s)
        parts = []
        for s in sql[-2:]:
            r = con.execute(s)
            parts.append(as_csv([d[0] for d in r.description], r.fetchall()))
        con.close()
        return parts

    return run, lambda: None


def spark_engine():
    from pyspark.sql import SparkSession

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

    def run(sql):
        for s in sql[:-2]:
            spark.sql(s)
        parts = []
        for s in sql[-2:]:
            df = spark.sql(s)
            parts.append(as_csv(df.columns, df.collect()))
        return parts

    return run, spark.stop


def main(engine, args):
    run, stop = {"duckdb": duckdb_engine, "spark": spark_engine}[engine]()
    try:
        for folder, script, out in zip(args[::3], args[1::3], args[2::3]):
            with open(script, encoding="utf-8") as f:
                sql = statements(f.read())
            here = os.getcwd()
            os.chdir(folder)
            try:
                parts = run(sql)
            finally:
                os.chdir(here)
            with open(out, "w", encoding="utf-8") as f:
                f.write("\0".join(parts))
    finally:
        stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
