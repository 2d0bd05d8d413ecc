"""Runs a `policyqc sql` script on DuckDB from its data folder and writes its findings as
Parquet (`COPY ... TO`), timing the steps: the views and the typed cases table, the data
findings, the findings. Prints one JSON line.

Usage: python duckdb_run.py DIR SCRIPT OUT.parquet

Environment: DUCKDB_DATABASE=path runs the script in that database file (created afresh)
instead of in memory, with the script's temporary tables created as the file's own tables,
which DuckDB may write out and evict. (Both modes ran out of memory at 5M cases while the
script's lookups were correlated subqueries; with the lookups as lists, the in-memory run
peaks at 5.5 GB there, BENCHMARKS.md.)
The queries are the script's, unchanged.
DUCKDB_MEMORY_LIMIT (e.g. 12GB) sets DuckDB's memory_limit (default: 80% of the RAM).
"""
import json
import os
import sys
import time

import duckdb

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "spark"))
from findings import statements  # noqa: E402  (the recipe's own splitter)


def main(folder, script, out):
    with open(script, encoding="utf-8") as f:
        sql = statements(f.read())
    out = os.path.abspath(out)
    os.chdir(folder)
    database = os.environ.get("DUCKDB_DATABASE")
    if database:
        database = os.path.abspath(database)
        for leftover in (database, database + ".wal"):
            if os.path.exists(leftover):
                os.remove(leftover)
        sql = [s.replace("CREATE TEMPORARY TABLE ", "CREATE TABLE ", 1) for s in sql]
    con = duckdb.connect(database or ":memory:")
    if os.environ.get("DUCKDB_MEMORY_LIMIT"):
        con.execute(f"SET memory_limit = '{os.environ['DUCKDB_MEMORY_LIMIT']}'")
    t0 = time.perf_counter()
    for s in sql[:-2]:
        con.execute(s)
    t1 = time.perf_counter()
    unread = con.execute(f"SELECT count(*) FROM ({sql[-2].rstrip(';')})").fetchone()[0]
    t2 = time.perf_counter()
    con.execute(f"COPY ({sql[-1].rstrip(';')}) TO '{out}' (FORMAT parquet)")
    t3 = time.perf_counter()
    n = con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]
    print(json.dumps({
        "typed_cases_s": round(t1 - t0, 2),
        "data_findings_s": round(t2 - t1, 2),
        "findings_s": round(t3 - t2, 2),
        "total_s": round(t3 - t0, 2),
        "findings": n,
        "data_findings": unread,
    }))


if __name__ == "__main__":
    main(*sys.argv[1:4])
