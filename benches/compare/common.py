"""What checks_polars.py and checks_pandas.py share: the twelve rules they run, the cases
fields they read with their types, the column map and the insurer settings those rules use.
Both scripts take their column names and setting values from here, so they read the same
columns and apply the same limits (see README.md beside this file).
"""
import json
import os
import sys

import yaml

# The twelve rules, in the default pack's order (rules/*.yaml).
RULES = [
    "intake.application_date_missing",  # intake.yaml: required
    "intake.application_after_receipt",  # intake.yaml: compare, date <= timestamp
    "review.query_not_closed",  # review.yaml: required, with `when: present`
    "review.sum_increase_premium_not_raised",  # review.yaml: compare money, `when`
    "entry.finance_referral_missing",  # entry.yaml: allowed, missing: fail, `when`
    "entry.amount_out_of_range",  # entry.yaml: range of money, `when`
    "entry.premium_miscomputed",  # entry.yaml: compare money, tolerance 0.00
    "double_check.four_eyes_entry",  # double_check.yaml: four_eyes
    "binding.bound_before_check",  # binding.yaml: date_order
    "controls.documents_missing",  # controls.yaml: compare integers
    "controls.seal_missing",  # controls.yaml: allowed bool, missing: fail, `when`
    "printing.notice_not_printed",  # printing.yaml: allowed bool, missing: fail, `when`
]

# The cases fields the twelve rules read (reference names, shared/SCHEMA.md) and their types.
FIELDS = {
    "case_id": "text",
    "change_type": "text",
    "application_date": "date",
    "received_at": "datetime",
    "reviewed_at": "datetime",
    "entered_at": "datetime",
    "checked_at": "datetime",
    "bound_at": "datetime",
    "query_opened_at": "datetime",
    "query_closed_at": "datetime",
    "entry_operator": "text",
    "checker": "text",
    "referral_dept": "text",
    "amount": "money",
    "premium_before": "money",
    "premium_after": "money",
    "premium_charged": "money",
    "premium_expected": "money",
    "docs_required": "integer",
    "docs_received": "integer",
    "seal_required": "bool",
    "seal_applied": "bool",
    "notice_printed": "bool",
}

# policyqc's readers: the formats `policyqc generate` writes (a folder's columns.yaml may
# declare others; these scripts refuse such a folder, see column_map) and the words read as
# true (src/input/mod.rs, BOOL_WORDS).
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
TRUE_WORDS = ["true", "TRUE", "True", "yes", "YES", "Yes", "Y", "y", "1"]

# Defaults of the settings the rules use (rules/README.md, the settings table).
SETTING_DEFAULTS = {
    "referral.finance": ["surrender", "partial_withdrawal", "policy_loan", "maturity_payment"],
    "payout.change_types": ["surrender", "partial_withdrawal", "policy_loan", "maturity_payment"],
    "payout.min_amount": "0.01",
    "payout.max_amount": "5000000.00",
}


def column_map(folder):
    """Reference field name -> column of cases.csv. Without a columns.yaml the columns are
    the reference names (what `policyqc generate` writes). With one, its `cases:` renames
    are applied; anything else it may declare (formats, encodings, value maps, custom
    types) is not reproduced here, so such a folder is refused rather than misread."""
    names = {f: f for f in FIELDS}
    path = os.path.join(folder, "columns.yaml")
    if not os.path.exists(path):
        return names
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f) or {}
    other = sorted(set(doc) - {"cases"})
    if other:
        sys.exit(f"{path}: only `cases:` renames are supported here, not {other}")
    for field, spec in (doc.get("cases") or {}).items():
        if isinstance(spec, dict) and set(spec) == {"column"}:
            spec = spec["column"]
        if not isinstance(spec, str):
            sys.exit(f"{path}: `{field}` is not a plain rename")
        if field in names:
            names[field] = spec
    return names


def settings(folder):
    """The settings the twelve rules use: the folder's settings.yaml (nested or dotted
    keys), else the defaults."""
    path = os.path.join(folder, "settings.yaml")
    doc = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f) or {}
    out = {}
    for key, default in SETTING_DEFAULTS.items():
        group, member = key.split(".")
        value = doc.get(key, (doc.get(group) or {}).get(member, default))
        out[key] = value
    return out


def cents(text):
    """An amount setting (a number with at most two decimals) in integer cents."""
    units, _, frac = str(text).partition(".")
    sign = -1 if units.startswith("-") else 1
    return sign * (abs(int(units)) * 100 + int((frac + "00")[:2]))


def report(counts):
    """Prints the failing-case count of every rule as one JSON object, in RULES order."""
    print(json.dumps({rule: int(counts[rule]) for rule in RULES}))
