"""Runs `policyqc sql` scripts on DuckDB or in one Spark session (local mode) and writes the
last two results of each (data_findings, findings) as polars writes CSV: a header, `\n`,
quotes where needed, an empty text as "", nothing for NULL; the two separated by a NUL.

Usage: python run.py duckdb|spark|trino DIR SCRIPT OUT [DIR SCRIPT OUT ...]
Each script runs from its data folder DIR (the DuckDB script names its files relative to
it). A script may start with statements for the engine itself (the tables a `--table` script
reads), ended by a line `-- end of setup`. `trino`: the script is parsed with sqlglot's Trino
grammar (a syntax error fails), transpiled to DuckDB's SQL and run on DuckDB, its `WITH`
views materialised once each (Trino itself plans them per use). tests/sql/main.rs calls it.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "spark"))
from findings import statements  # noqa: E402  (the recipe's own splitter)


def cell(v):
    if v is None:
        return ""
    t = str(v)
    if t == "" or any(c in t for c in ',"\n\r'):
        return '"' + t.replace('"', '""') + '"'
    return t


def as_csv(columns, rows):
    lines = [",".join(columns)] + [",".join(cell(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


SETUP = "\n-- end of setup\n"


def duckdb_engine(translate=lambda s: s):
    import duckdb

    def run(setup, sql):
        con = duckdb.connect()
        for s in setup:
            con.execute(s)
        sql = [translate(s) for s in sql]
        for s in sql[:-2]:
            con.execute(s)
        parts = []
        for s in sql[-2:]:
            r = con.execute(s)
            parts.append(as_csv([d[0] for d in r.description], r.fetchall()))
        con.close()
        return parts

    return run, lambda: None


def trino_engine():
    """DuckDB running the Trino script as sqlglot transpiles it."""
    import sqlglot
    from sqlglot import exp

    def duckdb_node(n):
        # Trino's try(date_parse(...)) is DuckDB's TRY_STRPTIME (DuckDB 1.1 has no try()).
        if isinstance(n, exp.Try):
            inner = n.this.sql(dialect="duckdb")
            if inner.startswith("STRPTIME("):
                return sqlglot.parse_one("TRY_" + inner, read="duckdb")
        if isinstance(n, exp.CTE):
            n.set("materialized", True)
        return n

    def translate(s):
        tree = sqlglot.parse_one(s, read="trino", error_level=sqlglot.ErrorLevel.RAISE)
        return tree.transform(duckdb_node).sql(dialect="duckdb")

    return duckdb_engine(translate)


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

    def run(setup, sql):
        for s in setup + sql[:-2]:
            spark.sql(s)
        parts = []
        for s in sql[-2:]:
            df = spark.sql(s)
            parts.append(as_csv(df.columns, df.collect()))
        return parts

    return run, spark.stop


def main(engine, args):
    run, stop = {"duckdb": duckdb_engine, "spark": spark_engine, "trino": trino_engine}[
        engine
    ]()
    try:
        for folder, script, out in zip(args[::3], args[1::3], args[2::3]):
            with open(script, encoding="utf-8") as f:
                text = f.read()
            setup, text = text.split(SETUP, 1) if SETUP in text else ("", text)
            setup, sql = statements(setup), statements(text)
            here = os.getcwd()
            os.chdir(folder)
            try:
                parts = run(setup, sql)
            finally:
                os.chdir(here)
            with open(out, "w", encoding="utf-8") as f:
                f.write("\0".join(parts))
    finally:
        stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
