"""Twelve rules of policyqc's default pack written in polars, the way an analyst fluent in
polars would: one lazy scan_csv of the columns the rules need, typed, every rule a boolean
expression, one pass (issue 17, point 7). Prints each rule's count of failing cases as JSON.

Usage: python checks_polars.py DATA_DIR
"""
import sys

import polars as pl

from common import (DATE_FORMAT, DATETIME_FORMAT, FIELDS, TRUE_WORDS, cents, column_map,
                    report, settings)


def typed(name, kind, column):
    """The column parsed as policyqc's reader does; an unreadable value becomes null."""
    c = pl.col(column)
    if kind == "date":
        c = c.str.to_date(DATE_FORMAT, strict=False)
    elif kind == "datetime":
        # cache=False: nearly every timestamp is distinct, a cache of parsed values only costs.
        c = c.str.to_datetime(DATETIME_FORMAT, time_unit="ms", strict=False, cache=False)
    elif kind == "money":
        c = (c.cast(pl.Float64, strict=False) * 100).round(0).cast(pl.Int64)
    elif kind == "integer":
        c = c.cast(pl.Int64, strict=False)
    elif kind == "bool":
        # Only the rules' `true` matters here: false, empty and unreadable all fail
        # `values: [true]` with `missing: fail`, and none satisfies `when: {x: true}`.
        c = c.is_in(TRUE_WORDS).fill_null(False)
    return c.alias(name)


def main(folder):
    names = column_map(folder)
    s = settings(folder)
    low, high = cents(s["payout.min_amount"]), cents(s["payout.max_amount"])
    cases = pl.scan_csv(f"{folder}/cases.csv", infer_schema=False).select(
        typed(f, kind, names[f]) for f, kind in FIELDS.items())
    c = pl.col
    # `when` conditions and "applies" are part of each expression; a comparison with an
    # empty side is null, counted as not failing (fill_null(False) below).
    rules = {
        "intake.application_date_missing": c("application_date").is_null(),
        "intake.application_after_receipt":
            c("application_date").cast(pl.Datetime("ms")) > c("received_at"),
        "review.query_not_closed": c("query_opened_at").is_not_null()
            & c("reviewed_at").is_not_null() & c("query_closed_at").is_null(),
        "review.sum_increase_premium_not_raised": (c("change_type") == "sum_increase")
            & ~(c("premium_after") > c("premium_before")),
        "entry.finance_referral_missing": c("change_type").is_in(s["referral.finance"])
            & c("entered_at").is_not_null()
            & ~(c("referral_dept") == "finance").fill_null(False),
        "entry.amount_out_of_range": c("change_type").is_in(s["payout.change_types"])
            & ~c("amount").is_between(low, high),
        "entry.premium_miscomputed": c("premium_charged") != c("premium_expected"),
        "double_check.four_eyes_entry": c("entry_operator") == c("checker"),
        "binding.bound_before_check": c("checked_at") > c("bound_at"),
        "controls.documents_missing": c("docs_received") < c("docs_required"),
        "controls.seal_missing": c("seal_required") & c("bound_at").is_not_null()
            & ~c("seal_applied"),
        "printing.notice_not_printed": c("bound_at").is_not_null() & ~c("notice_printed"),
    }
    counts = cases.select(
        c("case_id").filter(fails.fill_null(False)).n_unique().alias(rule)
        for rule, fails in rules.items()).collect()
    report(counts.row(0, named=True))


if __name__ == "__main__":
    main(sys.argv[1])
