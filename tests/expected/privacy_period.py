#!/usr/bin/python3
"""The blocks of tact-compare --by-period (privacy.h, "periods"), written
again in Python, for tests/unit/test_privacy_period.c.

Draws seeded scenarios (days x segments x arms of small counts: units, and
the values of two metrics, converted present on every unit, revenue on
some), decides each by the rule of privacy.h with the whole comparison's
plan from tests/expected/privacy.py, and writes
tests/expected/privacy_period_expected.h: each scenario's counts and the
blocks (their last days), whether it is one block of every day, and which
segments have rows.

Run with Debian's /usr/bin/python3 (python3-numpy):
    /usr/bin/python3 tests/expected/privacy_period.py > tests/expected/privacy_period_expected.h
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import privacy  # noqa: E402

Q = 3  # units, converted's values, revenue's values


def printable(x, min_cell):
    return x == 0 or x >= min_cell


def rule(counts, min_cell, strict):
    """counts[p][s][a][q] over the segments (byte order of labels);
    returns (last days of the blocks, whole, shown segments)."""
    P, S, A = len(counts), len(counts[0]), len(counts[0][0])
    mc = max(min_cell, 1)
    pooled = [[[sum(counts[p][s][a][q] for s in range(S)) for q in range(Q)]
               for a in range(A)] for p in range(P)]
    # Rule 1: blocks from the pooled counts.
    last, total, open_ = [], [[0] * Q for _ in range(A)], False
    for p in range(P):
        for a in range(A):
            for q in range(Q):
                total[a][q] += pooled[p][a][q]
        open_ = True
        if all(printable(total[a][q], mc) for a in range(A) for q in range(Q)):
            last.append(p)
            total = [[0] * Q for _ in range(A)]
            open_ = False
    if open_:
        if last:
            last[-1] = P - 1
        else:
            last.append(P - 1)
    # The comparison of every unit.
    whole = [[[sum(counts[p][s][a][q] for p in range(P)) for q in range(Q)]
              for a in range(A)] for s in range(S)]
    labels = [("s%d" % s,) for s in range(S)]
    plan = privacy.decide(labels, [[whole[s][a][0] for a in range(A)] for s in range(S)],
                          [[whole[s][a][1:] for a in range(A)] for s in range(S)],
                          mc, "strict" if strict else "tables")

    def hidden(s, a, q, count):
        f = plan.pooled[a] if s == 0 else plan.cells[s - 1][a]
        if q == 0:
            return f[0]
        return count > 0 and (f[0] or f[q])

    pooled_whole = [[sum(whole[s][a][q] for s in range(S)) for q in range(Q)]
                    for a in range(A)]
    # Rule 3.
    if len(last) < 2 or any(hidden(0, a, q, pooled_whole[a][q])
                            for a in range(A) for q in range(Q)):
        return [P - 1], True, [True] * S
    if strict:
        return last, False, [False] * S
    firsts = [0] + [x + 1 for x in last[:-1]]

    def block_sum(b, segments, a, q):
        return sum(counts[p][s][a][q] for p in range(firsts[b], last[b] + 1)
                   for s in segments)

    def passes(segments):
        return all(printable(block_sum(b, segments, a, q), mc)
                   for b in range(len(last)) for a in range(A) for q in range(Q))

    # Rule 2.
    shown = [not any(hidden(s + 1, a, q, whole[s][a][q])
                     for a in range(A) for q in range(Q)) and passes([s])
             for s in range(S)]
    # The left-out segments' sum: where it is not printable (the first
    # block, then arm and count, in order), the printed segment with the
    # smallest count above 0 there joins them.
    while True:
        out = [s for s in range(S) if not shown[s]]
        failing = [(b, a, q) for b in range(len(last)) for a in range(A) for q in range(Q)
                   if not printable(block_sum(b, out, a, q), mc)]
        if not failing:
            return last, False, shown
        b, a, q = failing[0]
        candidates = [(block_sum(b, [s], a, q), s) for s in range(S)
                      if shown[s] and block_sum(b, [s], a, q) > 0]
        if not candidates:
            return last, False, [False] * S
        shown[min(candidates)[1]] = False


def scenario(rng, leader):
    """Every day, segment and arm has a unit somewhere (the loader knows
    only what occurs)."""
    while True:
        counts = draw(rng, leader)
        P, S, A = len(counts), len(counts[0]), len(counts[0][0])
        if (all(sum(counts[p][s][a][0] for s in range(S) for a in range(A)) for p in range(P))
                and all(sum(counts[p][s][a][0] for p in range(P) for a in range(A))
                        for s in range(S))
                and all(sum(counts[p][s][a][0] for p in range(P) for s in range(S))
                        for a in range(A))):
            return counts


def draw(rng, leader):
    """leader: segment 0 large with every revenue value, the others
    small (rows for some of them per block)."""
    P = rng.randint(2, 6) if not leader else 6
    S = rng.randint(1, 4) if not leader else rng.randint(3, 4)
    A = rng.randint(2, 3)
    big = rng.random() < 0.5
    counts = []
    for p in range(P):
        day = []
        for s in range(S):
            seg = []
            for a in range(A):
                u = rng.randint(0, 4) if rng.random() < 0.3 else rng.randint(2, 14 if big else 7)
                if leader:   # revenue in segment 0 only, 3 to 5 values a day
                    u = rng.randint(8, 14) if s == 0 else rng.randint(2, 5)
                r = rng.randint(0, u) if rng.random() < 0.7 else u
                if leader:
                    r = rng.randint(3, 5) if s == 0 else 0
                seg.append([u, u, r])
            day.append(seg)
        counts.append(day)
    return counts


def main():
    rng = random.Random(17)
    print("/* Written by tests/expected/privacy_period.py: the blocks of "
          "tact-compare --by-period. */")
    print("#define PRIVACY_PERIOD_SCENARIOS 40")
    print("static const struct privacy_period_expected {")
    print("\tint periods, segments, arms, min_cell, strict;")
    print("\tint counts[6][4][3][2]; /* units, revenue values (converted: every unit) */")
    print("\tint blocks, last[6], whole, shown[4];")
    print("} privacy_period_expected[PRIVACY_PERIOD_SCENARIOS] = {")
    for i in range(40):
        counts = scenario(rng, i % 4 == 1)
        min_cell = [10, 10, 10, 5, 1][i % 5]
        strict = i % 7 == 3
        last, whole, shown = rule(counts, min_cell, strict)
        P, S, A = len(counts), len(counts[0]), len(counts[0][0])
        cells = ", ".join(
            "{%s}" % ", ".join(
                "{%s}" % ", ".join("{%d, %d}" % (counts[p][s][a][0], counts[p][s][a][2])
                                   for a in range(A))
                for s in range(S))
            for p in range(P))
        print("\t{%d, %d, %d, %d, %d,\n\t {%s},\n\t %d, {%s}, %d, {%s}}," % (
            P, S, A, min_cell, int(strict), cells, len(last),
            ", ".join(map(str, last)), int(whole), ", ".join(str(int(x)) for x in shown)))
    print("};")


if __name__ == "__main__":
    main()
