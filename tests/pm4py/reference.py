"""pm4py's own cycle figures for an event log: the independent reference of
tests/cycle/pm4py.rs.

    python reference.py LOG.xes OUT        writes OUT.csv (per case) and OUT.json (mean, median)

The log is read with pm4py's XES importer, its timestamps converted to office time
(Europe/Amsterdam, with pandas' time-zone database) and made naive (pm4py counts business
hours on the wall clock). Per case, pm4py's case statistics give the case duration from the
first to the last event, on the calendar and in business hours of the office week the Rust
test writes as calendar.yaml: Monday to Friday, 08:00-12:00 and 13:00-17:00, no holidays.
Nothing here comes from policyqc.
"""

import json
import statistics
import sys

import pandas as pd
import pm4py
from pm4py.statistics.traces.generic.pandas import case_statistics

OFFICE_ZONE = "Europe/Amsterdam"
DAY = 24 * 3600
SLOTS = [
    slot
    for d in range(5)
    for slot in (
        (d * DAY + 8 * 3600, d * DAY + 12 * 3600),
        (d * DAY + 13 * 3600, d * DAY + 17 * 3600),
    )
]


def durations(df, business_hours):
    params = {
        case_statistics.Parameters.CASE_ID_KEY: "case:concept:name",
        case_statistics.Parameters.TIMESTAMP_KEY: "time:timestamp",
        case_statistics.Parameters.START_TIMESTAMP_KEY: "time:timestamp",
        case_statistics.Parameters.BUSINESS_HOURS: business_hours,
        case_statistics.Parameters.BUSINESS_HOUR_SLOTS: SLOTS,
    }
    cd = case_statistics.get_cases_description(df, parameters=params)
    return {str(case): v["caseDuration"] for case, v in cd.items()}


def main(log_path, out):
    df = pm4py.read_xes(log_path)
    ts = pd.to_datetime(df["time:timestamp"], utc=True)
    df["time:timestamp"] = ts.dt.tz_convert(OFFICE_ZONE).dt.tz_localize(None)
    df["case:concept:name"] = df["case:concept:name"].astype(str)
    wall = durations(df, False)
    work = durations(df, True)
    rows = sorted(wall)
    with open(out + ".csv", "w", encoding="utf-8") as f:
        f.write("case_id,cycle_hours,cycle_working_hours\n")
        for case in rows:
            f.write(f"{case},{wall[case] / 3600:.9f},{work[case] / 3600:.9f}\n")
    # pm4py's list of all case durations, for the summary figures.
    all_work = pm4py.get_all_case_durations(
        df,
        business_hours=True,
        business_hour_slots=SLOTS,
        case_id_key="case:concept:name",
        timestamp_key="time:timestamp",
    )
    all_wall = pm4py.get_all_case_durations(
        df, case_id_key="case:concept:name", timestamp_key="time:timestamp"
    )
    summary = {
        "log": log_path,
        "pm4py": pm4py.__version__,
        "cases": len(rows),
        "events": len(df),
        "cycle_hours_mean": statistics.fmean(all_wall) / 3600,
        "cycle_hours_median": statistics.median(all_wall) / 3600,
        "cycle_working_hours_mean": statistics.fmean(all_work) / 3600,
        "cycle_working_hours_median": statistics.median(all_work) / 3600,
    }
    with open(out + ".json", "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
    print(f"{log_path}: {len(rows)} cases, {len(df)} events")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
