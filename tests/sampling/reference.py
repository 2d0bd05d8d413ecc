#!/usr/bin/env python3
"""Independent re-implementation of policyqc's sample selection (src/sampling/select.rs), from
its documented rules, on fixtures/sampling. Writes tests/sampling/golden/demo.json, which the
integration tests compare with what `policyqc sample` selects.

It reads the fixture files directly (cases.csv, expected_findings.csv for the flagged cases,
rules/*.yaml for severities) and never runs policyqc.

    python3 tests/sampling/reference.py      # rewrites the golden file
"""
import csv
import hashlib
import json
import os
import struct
from decimal import Decimal
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO = os.path.join(ROOT, "fixtures", "sampling")
SEED = 20261101


def key(seed, case_id):
    """first 8 bytes, big-endian, of SHA-256("<seed>:<case_id>")"""
    return int.from_bytes(hashlib.sha256(f"{seed}:{case_id}".encode()).digest()[:8], "big")


# ---- ChaCha20 (RFC 8439 block function), as rand_chacha's ChaCha20Rng uses it --------------
def _rotl(v, c):
    return ((v << c) & 0xFFFFFFFF) | (v >> (32 - c))


def _qr(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = _rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = _rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = _rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = _rotl(s[b] ^ s[c], 7)


def chacha20_block(key32, words12_15):
    const = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
    init = const + list(struct.unpack("<8I", key32)) + list(words12_15)
    s = init[:]
    for _ in range(10):
        _qr(s, 0, 4, 8, 12); _qr(s, 1, 5, 9, 13); _qr(s, 2, 6, 10, 14); _qr(s, 3, 7, 11, 15)
        _qr(s, 0, 5, 10, 15); _qr(s, 1, 6, 11, 12); _qr(s, 2, 7, 8, 13); _qr(s, 3, 4, 9, 14)
    return [(a + b) & 0xFFFFFFFF for a, b in zip(s, init)]


# RFC 8439 section 2.3.2 test vector: key 00..1f, counter 1, nonce 00:00:00:09:00:00:00:4a:00:00:00:00.
_out = chacha20_block(bytes(range(32)), [1, 0x09000000, 0x4A000000, 0])
assert _out[:4] == [0xE4E7F110, 0x15593BD1, 0x1FDD0F50, 0xC47120A3], [hex(x) for x in _out[:4]]


def stream_u64(seed, purpose):
    """First u64 of ChaCha20Rng::from_seed(SHA-256("<seed>:<purpose>")): block 0 of stream 0,
    words 0 (low) and 1 (high)."""
    k = hashlib.sha256(f"{seed}:{purpose}".encode()).digest()
    w = chacha20_block(k, [0, 0, 0, 0])
    return w[0] | (w[1] << 32)


# ---- the fixture ------------------------------------------------------------------------------
def rule_severities():
    out = {}
    rules = os.path.join(ROOT, "rules")
    for name in sorted(os.listdir(rules)):
        if not name.endswith(".yaml"):
            continue
        current = None
        for line in open(os.path.join(rules, name), encoding="utf-8"):
            t = line.strip()
            if t.startswith("- id:"):
                current = t[5:].strip()
            elif current and t.startswith("severity:"):
                out[current] = t[9:].strip()
    return out


def load():
    cases = list(csv.DictReader(open(os.path.join(DEMO, "cases.csv"), encoding="utf-8")))
    sev = rule_severities()
    rank = {"critical": 0, "major": 1, "minor": 2}
    flag = {}
    for r in csv.DictReader(open(os.path.join(DEMO, "expected_findings.csv"), encoding="utf-8")):
        s = rank[sev[r["rule_id"]]]
        flag[r["case_id"]] = min(flag.get(r["case_id"], 9), s)
    return cases, flag


def ordered(ids, seed):
    return sorted(ids, key=lambda c: (key(seed, c), c))


def random_sample(ids, n, seed):
    return ordered(ids, seed)[:n]


def flagged_first(ids, flag, n, seed):
    out = []
    for r in (0, 1, 2):
        out += ordered([c for c in ids if flag.get(c) == r], seed)
    out += ordered([c for c in ids if c not in flag], seed)
    return out[:n]


def proportional(sizes, n, minimum):
    """sizes: {stratum: N_h}; documented rule of select::allocate (Proportional)."""
    fixed = {}
    while True:
        free = [s for s in sorted(sizes) if s not in fixed]
        rest = n - sum(fixed.values())
        total = sum(sizes[s] for s in free)
        below = [s for s in free if Fraction(rest * sizes[s], total) < min(minimum, sizes[s])]
        if not below:
            out = dict(fixed)
            q = {s: Fraction(rest * sizes[s], total) for s in free}
            for s in free:
                out[s] = int(q[s])
            left = rest - sum(int(q[s]) for s in free)
            order = sorted(free, key=lambda s: (-(q[s] - int(q[s])), -sizes[s], s))
            for s in order[:left]:
                out[s] += 1
            return out
        for s in below:
            fixed[s] = min(minimum, sizes[s])


def stratified(cases, field, n, minimum, seed):
    groups = {}
    for c in cases:
        groups.setdefault(c[field] or "(empty)", []).append(c["case_id"])
    alloc = proportional({s: len(v) for s, v in groups.items()}, n, minimum)
    out = []
    for s in sorted(groups):
        out += [(c, s) for c in ordered(groups[s], seed)[: alloc[s]]]
    return out, alloc


def pps(cases, n, seed):
    w = {c["case_id"]: abs(int(Decimal(c["amount"] or "0") * 100)) for c in cases}
    units = [c for c in ordered(list(w), seed) if w[c] > 0]
    taken, picks, left, weight = set(), [], n, sum(w[c] for c in units)
    while left > 0:
        big = [c for c in units if c not in taken and w[c] * left >= weight]
        if not big:
            break
        for c in big:
            taken.add(c); picks.append((c, "certainty")); left -= 1; weight -= w[c]
    start = 0
    if left > 0:
        start = (stream_u64(seed, "pps-start") * weight) >> 64
        points = [start + k * weight for k in range(left)]
        run = 0
        for c in units:
            if c in taken:
                continue
            lo, run = run * left, run + w[c]
            hi = run * left
            if any(lo <= p < hi for p in points):
                picks.append((c, "pps"))
    return picks, start


def main():
    cases, flag = load()
    ids = [c["case_id"] for c in cases]
    strat, alloc = stratified(cases, "branch", 50, 3, SEED)
    pick, start = pps(cases, 30, SEED)
    golden = {
        "seed": SEED,
        "flagged_cases": len(flag),
        "random_60": random_sample(ids, 60, SEED),
        "flagged_first_125": flagged_first(ids, flag, 125, SEED),
        "stratified_branch_50_min3": [c for c, _ in strat],
        "stratified_branch_50_min3_allocation": alloc,
        "pps_amount_30": [c for c, _ in pick],
        "pps_amount_30_certainty": [c for c, r in pick if r == "certainty"],
        "pps_amount_30_start": str(start),
    }
    path = os.path.join(ROOT, "tests", "sampling", "golden", "demo.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(golden, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
