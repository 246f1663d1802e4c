#!/usr/bin/python3
"""The suppression decision of lib/privacy.h, written again in Python.

Used by the scripts that compute tact's expected outputs (compare.py) and
by tests/unit/test_privacy.c's expected values (run this file: it prints
the decisions of the fixtures of that test).  The rules are privacy.h's:
primary suppression under min_cell; cells hidden as complements while a
printed total's hidden cells add up to 1..min_cell-1 (a segment total of
tact-validate holding a hidden cell is hidden itself instead); and while a hidden count follows
exactly from the printed totals, which is tested here with NumPy's matrix
rank (a vector lies in the row space of E when appending it leaves the
rank unchanged), not with the reduced row echelon form the C code uses.

Run with Debian's /usr/bin/python3 (python3-numpy).
"""
import numpy as np


class Plan:
    """cells[s][a][q]: hidden (q = 0 the units, 1 + m metric m);
    pooled[a][q]; labels[d][label]: tact-validate's total hidden."""

    def __init__(self, S, A, Q, D):
        self.cells = [[[False] * Q for _ in range(A)] for _ in range(S)]
        self.pooled = [[False] * Q for _ in range(A)]
        self.labels = [dict() for _ in range(D)]

    def hidden(self, s, a, m=None):
        """segment s as tact_segments counts it (0 = pooled); m None: units."""
        f = self.pooled[a] if s == 0 else self.cells[s - 1][a]
        return f[0] or (m is not None and f[1 + m])

    def segment_hidden(self, s, m=None):
        return any(self.hidden(s, a, m) for a in range(len(self.pooled)))


def decide(labels, units, values, min_cell):
    """labels[s]: a tuple of labels per dimension; units[s][a] (arm 0 the
    control, the others in byte order); values[s][a][m]: non-missing counts."""
    S = len(labels)
    A = len(units[0]) if S else 0
    M = len(values[0][0]) if S and A else 0
    D = len(labels[0]) if S else 0
    Q = 1 + M
    # Segments in the order of their labels (byte order).
    order = sorted(range(S), key=lambda s: tuple(l.encode() for l in labels[s]))
    lab = [labels[s] for s in order]
    val = {}
    for i, s in enumerate(order):
        for a in range(A):
            val[i * A + a, 0] = units[s][a]
            for m in range(M):
                val[i * A + a, 1 + m] = values[s][a][m]
    C = S * A
    hidden = [[False] * Q for _ in range(C)]
    stuck = [[False] * Q for _ in range(C)]
    lines = []

    def line(cells, kind, metrics, hideable, key=None):
        lines.append(dict(cells=cells, kind=kind, metrics=metrics, hideable=hideable,
                          family=(kind, None if key is None else key[0]), key=key,
                          hidden=[False] * Q, stuck=[False] * Q))

    line(list(range(C)), "grand", True, False)
    for a in range(A):
        line([s * A + a for s in range(S)], "arm", True, True, ("arm", a))
    for d in range(D):
        for label in sorted({l[d] for l in lab}, key=lambda x: x.encode()):
            line([s * A + a for s in range(S) if lab[s][d] == label for a in range(A)],
                 "label", False, True, (d, label))

    def printed(l, q):
        return (q == 0 or l["metrics"]) and not l["hidden"][q]

    def hide_cell(c, q):
        for k in (range(Q) if q == 0 else [q]):
            hidden[c][k] = True

    def hide_line(l, q):
        for k in (range(Q) if q == 0 else [q]):
            l["hidden"][k] = True

    def rank_key(c, q):
        s, a = divmod(c, A)
        return (val[c, q], a == 0, c)

    def smallest(cells, q):
        shown = [c for c in cells if not hidden[c][q] and val[c, q] > 0]
        return min(shown, key=lambda c: rank_key(c, q)) if shown else None

    def line_value(l, q):
        return sum(val[c, q] for c in l["cells"])

    # Primary suppression.
    for c in range(C):
        for q in range(Q):
            if val[c, q] < min_cell and (q > 0 or val[c, q] > 0):
                hide_cell(c, q)
    for l in lines:
        if l["kind"] == "grand":
            continue
        for q in range(Q):
            v = line_value(l, q)
            if (q == 0 or l["metrics"]) and v < min_cell and (q > 0 or v > 0):
                hide_line(l, q)

    def magnitude(q):
        for l in lines:
            if not printed(l, q) or l["stuck"][q]:
                continue
            total = sum(val[c, q] for c in l["cells"] if hidden[c][q] and val[c, q] > 0)
            if total > 0 and l["kind"] == "label" and l["hideable"]:
                hide_line(l, q)
                return True
            if not 0 < total < min_cell:
                continue
            c = smallest(l["cells"], q)
            if c is None:
                l["stuck"][q] = True
                continue
            hide_cell(c, q)
            return True
        return False

    def neighbour(cells, q):
        candidates = set()
        for c in cells:
            if not hidden[c][q] or val[c, q] <= 0:
                continue
            for l in lines:
                if c in l["cells"] and printed(l, q):
                    candidates.update(x for x in l["cells"]
                                      if not hidden[x][q] and val[x, q] > 0)
        return min(candidates, key=lambda c: rank_key(c, q)) if candidates else None

    def exactness(q):
        H = [c for c in range(C) if hidden[c][q] and val[c, q] > 0]
        if not H:
            return False
        column = {c: i for i, c in enumerate(H)}
        rows = []
        for l in lines:
            if printed(l, q):
                r = np.zeros(len(H))
                for c in l["cells"]:
                    if c in column:
                        r[column[c]] = 1
                if r.any():
                    rows.append(r)
        E = np.array(rows) if rows else np.zeros((0, len(H)))
        rank = np.linalg.matrix_rank(E) if rows else 0

        def follows(v):
            return np.linalg.matrix_rank(np.vstack([E, v])) == rank if rows else not v.any()

        for c in H:
            if stuck[c][q] or val[c, q] >= min_cell:
                continue
            v = np.zeros(len(H))
            v[column[c]] = 1
            if not follows(v):
                continue
            best = neighbour([c], q)
            if best is not None:
                hide_cell(best, q)
                return True
            stuck[c][q] = True
        for l in lines:
            if (l["kind"] == "grand" or not l["hidden"][q] or l["stuck"][q]
                    or (q > 0 and not l["metrics"]) or not 0 < line_value(l, q) < min_cell):
                continue
            v = np.zeros(len(H))
            for c in l["cells"]:
                if c in column:
                    v[column[c]] = 1
            if not follows(v):
                continue
            best = None if l["kind"] == "label" else smallest(l["cells"], q)
            other = None
            if best is None:
                for o in lines:
                    if (o is not l and o["family"] == l["family"] and o["hideable"]
                            and printed(o, q)
                            and any(hidden[c][q] and val[c, q] > 0 for c in o["cells"])
                            and (other is None or line_value(o, q) < line_value(other, q)
                                 or (line_value(o, q) == line_value(other, q)
                                     and other["key"] == ("arm", 0)))):
                        other = o
            if best is None and other is None:
                best = smallest(l["cells"], q)
            if best is None and other is None:
                best = neighbour(l["cells"], q)
            if best is not None:
                hide_cell(best, q)
                return True
            if other is not None:
                hide_line(other, q)
                return True
            l["stuck"][q] = True
        return False

    while True:
        changed = False
        for q in range(Q):
            changed = magnitude(q) or exactness(q)
            if changed:
                break
        if not changed:
            break
    plan = Plan(S, A, Q, D)
    for i, s in enumerate(order):
        for a in range(A):
            plan.cells[s][a] = list(hidden[i * A + a])
    for l in lines:
        if l["kind"] == "arm":
            a = l["key"][1]
            plan.pooled[a] = [l["hidden"][q] or l["hidden"][0] for q in range(Q)]
        if l["kind"] == "label":
            plan.labels[l["key"][0]][l["key"][1]] = l["hidden"][0]
    return plan


def show(name, labels, units, values, min_cell):
    plan = decide(labels, units, values, min_cell)
    A = len(units[0])
    print("%s:" % name)
    for s, l in enumerate(labels):
        print("  %-8s units %s" % ("/".join(l), " ".join(
            "%d%s" % (units[s][a], "*" if plan.cells[s][a][0] else "") for a in range(A))))
        for m in range(len(values[0][0])):
            print("  %-8s m%d    %s" % ("", m, " ".join(
                "%d%s" % (values[s][a][m], "*" if plan.cells[s][a][1 + m] else "")
                for a in range(A))))
    print("  pooled units %s" % " ".join("*" if p[0] else "-" for p in plan.pooled))
    for d, totals in enumerate(plan.labels):
        print("  labels %d: %s" % (d, " ".join("%s%s" % (k, "*" if v else "")
                                               for k, v in sorted(totals.items()))))


if __name__ == "__main__":
    # The fixtures of tests/unit/test_privacy.c (test_decide_*); '*' marks
    # a hidden figure.
    show("three arms (issue 15 item 9)",
         [("a",), ("b",), ("c",)],
         [[60, 60, 5], [50, 3, 40], [30, 30, 30]],
         [[[55], [60], [5]], [[50], [3], [40]], [[30], [30], [30]]], 10)
    show("a segment total gives the hidden arm back (item 8)",
         [("x",), ("y",), ("z",)],
         [[50, 5], [40, 40], [30, 30]],
         [[[50], [5]], [[40], [40]], [[30], [30]]], 10)
    show("missing values: a metric's count small, the units not (item 10)",
         [("a",), ("b",), ("c",)],
         [[40, 40], [40, 40], [40, 40]],
         [[[40], [3]], [[40], [40]], [[35], [20]]], 10)
    show("two dimensions",
         [("buy", "desktop"), ("buy", "mobile"), ("look", "desktop"), ("look", "mobile")],
         [[30, 4], [30, 30], [30, 30], [30, 30]],
         [[[30], [4]], [[30], [30]], [[30], [30]], [[30], [30]]], 10)
    show("a tiny arm overall",
         [("a",), ("b",)],
         [[30, 30, 2], [30, 30, 3]],
         [[[30], [30], [2]], [[30], [30], [3]]], 10)
