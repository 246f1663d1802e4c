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

Strict mode and the linked runs (tact_privacy_decide_runs, tact-dose):
runs() decides every subset of the dimensions, smallest first, each with
its subsets' shown figures as printed (fixed lines), zeros as complements
and hidden zeros as unknowns; decide(..., mode="strict") is runs()' full
table.

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
        self.keyed = {}   # a segment's labels (tuple) -> its cells[a][q]

    def hidden(self, s, a, m=None):
        """segment s as tact_segments counts it (0 = pooled); m None: units."""
        f = self.pooled[a] if s == 0 else self.cells[s - 1][a]
        return f[0] or (m is not None and f[1 + m])

    def segment_hidden(self, s, m=None):
        return any(self.hidden(s, a, m) for a in range(len(self.pooled)))


def byte_key(labels):
    return tuple(l.encode() for l in labels)


def kept(labels, mask):
    return tuple(l for d, l in enumerate(labels) if (mask >> d) & 1)


def runs(labels, units, values, min_cell):
    """Every subset (mask) of the dimensions decided as a strict run: a
    dict mask -> Plan (the cells summed over the other dimensions)."""
    D = len(labels[0])
    A = len(units[0])
    M = len(values[0][0])
    plans = {}

    def run(mask):
        if mask in plans:
            return plans[mask]
        sub = (mask - 1) & mask
        while mask:
            run(sub)
            if sub == 0:
                break
            sub = (sub - 1) & mask
        groups = {}
        for s, l in enumerate(labels):
            g = groups.setdefault(kept(l, mask), ([0] * A, [[0] * M for _ in range(A)]))
            for a in range(A):
                g[0][a] += units[s][a]
                for m in range(M):
                    g[1][a][m] += values[s][a][m]
        keys = sorted(groups, key=byte_key)
        lower = None
        if mask:
            # the subsets as the run of these dimensions numbers them
            dims = [d for d in range(D) if (mask >> d) & 1]
            lower = {}
            for local in range((1 << len(dims)) - 1):
                glob = sum(1 << dims[b] for b in range(len(dims)) if (local >> b) & 1)
                lower[local] = plans[glob]
        plans[mask] = decide(keys, [groups[k][0] for k in keys],
                             [groups[k][1] for k in keys], min_cell,
                             "strict", lower)
        return plans[mask]

    run((1 << D) - 1)
    return plans


def decide(labels, units, values, min_cell, mode="tables", lower=None):
    """labels[s]: a tuple of labels per dimension; units[s][a] (arm 0 the
    control, the others in byte order); values[s][a][m]: non-missing counts.
    mode "strict" with one dimension or more: runs()' full table; lower
    (inside runs()): the plans of the subsets, as this run numbers them."""
    if mode == "strict" and lower is None and labels and labels[0]:
        return runs(labels, units, values, min_cell)[(1 << len(labels[0])) - 1]
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

    def label_lines(d, hideable):
        for label in sorted({l[d] for l in lab}, key=lambda x: x.encode()):
            line([s * A + a for s in range(S) if lab[s][d] == label for a in range(A)],
                 "label", False, hideable, (d, label))

    line(list(range(C)), "grand", True, False)
    if lower is None:
        for a in range(A):
            line([s * A + a for s in range(S)], "arm", True, True, ("arm", a))
        for d in range(D):
            label_lines(d, True)
    else:
        # The lower runs' figures, as they print them (fixed).
        for mask in range((1 << D) - 1):
            for g in sorted({kept(l, mask) for l in lab}, key=byte_key):
                for a in range(A):
                    line([s * A + a for s in range(S) if kept(lab[s], mask) == g],
                         "arm" if mask == 0 else "lower", True, False, ("arm", a))
                    lines[-1]["fixed"] = True
                    lines[-1]["hidden"] = list(lower[mask].pooled[a] if mask == 0
                                               else lower[mask].keyed[g][a])
        for d in range(D):
            first = len(lines)
            label_lines(d, D == 1)
            if D > 1:
                for l in lines[first:]:
                    l["fixed"] = True
                    l["hidden"][0] = lower[1 << d].labels[0][l["key"][1]]
    zeros = lower is not None

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

    def smallest(cells, q, with_zeros=False):
        shown = [c for c in cells if not hidden[c][q] and val[c, q] >= (0 if with_zeros else 1)]
        return min(shown, key=lambda c: rank_key(c, q)) if shown else None

    def line_value(l, q):
        return sum(val[c, q] for c in l["cells"])

    # Primary suppression.
    for c in range(C):
        for q in range(Q):
            if val[c, q] < min_cell and (q > 0 or val[c, q] > 0):
                hide_cell(c, q)
    for l in lines:
        if l["kind"] == "grand" or l.get("fixed"):
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
                                      if not hidden[x][q] and val[x, q] >= (0 if zeros else 1))
        return min(candidates, key=lambda c: rank_key(c, q)) if candidates else None

    def exactness(q):
        def unknown_zero(c):
            return zeros and (q == 0 or hidden[c][0] or val[c, 0] > 0)

        H = [c for c in range(C) if hidden[c][q] and (val[c, q] > 0 or unknown_zero(c))]
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
            if stuck[c][q] or val[c, q] <= 0 or val[c, q] >= min_cell:
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
            best = None if l["kind"] == "label" else smallest(l["cells"], q, zeros)
            other = None
            if best is None and mode == "tables":
                for o in lines:
                    if (o is not l and o["family"] == l["family"] and o["hideable"]
                            and printed(o, q)
                            and any(hidden[c][q] and val[c, q] > 0 for c in o["cells"])
                            and (other is None or line_value(o, q) < line_value(other, q)
                                 or (line_value(o, q) == line_value(other, q)
                                     and other["key"] == ("arm", 0)))):
                        other = o
            if best is None and other is None:
                best = smallest(l["cells"], q, zeros)
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
        plan.keyed[tuple(labels[s])] = plan.cells[s]
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


def show_runs(name, segments, bins, units, values, min_cell):
    """A segments x bins table of one arm and one metric (tact-dose's):
    every run's figures, '*' hidden (units, then the metric)."""
    labels = [(s, b) for s in segments for b in bins]
    u = [[units[i][j]] for i in range(len(segments)) for j in range(len(bins))]
    v = [[[values[i][j]]] for i in range(len(segments)) for j in range(len(bins))]
    plans = runs(labels, u, v, min_cell)

    def mark(f):
        return ("U" if f[0] else "u") + ("M" if f[0] or f[1] else "m")

    print("%s:" % name)
    print("  cells   %s" % " ".join(
        "%s/%s:%s" % (s, b, mark(plans[3].keyed[(s, b)][0])) for s in segments for b in bins))
    print("  segments %s" % " ".join("%s:%s" % (s, mark(plans[1].keyed[(s,)][0]))
                                     for s in segments))
    print("  bins     %s" % " ".join("%s:%s" % (b, mark(plans[2].keyed[(b,)][0]))
                                     for b in bins))
    print("  pooled   %s" % mark(plans[0].pooled[0]))



def lines_follow(cells, printed, target):
    """Does target (a list of cells) follow from the printed lines (lists of
    cells) by sums and differences?  Matrix rank, every cell an unknown."""
    if not printed:
        return False
    e = np.zeros((len(printed), cells))
    for i, line in enumerate(printed):
        for c in line:
            e[i, c] += 1
    x = np.zeros(cells)
    for c in target:
        x[c] += 1
    return np.linalg.matrix_rank(np.vstack([e, x])) == np.linalg.matrix_rank(e)


def show_joint(name, units, fixed, hideable, min_cell):
    """tact_privacy_decide_lines' fixture: the fewest hideable lines (then
    the smallest sum) to hide so that no hidden line of 1..min_cell-1
    follows; fixed: (cells, hidden) that may not change; found by trying
    every subset (not the greedy the C code uses)."""
    import itertools

    def value(line):
        return sum(units[c] for c in line)

    def safe(hidden):
        printed = [l for l, h in fixed if not h] + \
                  [l for i, l in enumerate(hideable) if i not in hidden]
        targets = [l for l, h in fixed if h] + [hideable[i] for i in hidden]
        return not any(0 < value(t) < min_cell and
                       lines_follow(len(units), printed, t) for t in targets)

    print(name + ":")
    print("  every line printed: %s" % ("safe" if safe(set()) else "leaks"))
    best = None
    for k in range(len(hideable) + 1):
        for hidden in itertools.combinations(range(len(hideable)), k):
            if safe(set(hidden)) and (best is None or
                                      sum(value(hideable[i]) for i in hidden) <
                                      sum(value(hideable[i]) for i in best)):
                best = hidden
        if best is not None:
            break
    print("  hidden: %s" % ", ".join("line %d (%d)" % (i, value(hideable[i]))
                                     for i in best))

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
    # The linked runs (test_dose_runs*): segments x exposure bins, one arm.
    show_runs("tact-dose: segments x bins",
              ["A", "B", "C"], ["0", "1", "2"],
              [[5, 12, 40], [13, 30, 30], [20, 30, 30]],
              [[5, 12, 40], [13, 30, 30], [20, 30, 25]], 10)
    show_runs("tact-dose: a small segment",
              ["A", "B", "C"], ["0", "1", "2"],
              [[2, 2, 2], [20, 10, 10], [0, 0, 0]],
              [[2, 2, 2], [20, 10, 10], [0, 0, 0]], 10)
    # tact-dose's totals of the treated arms with tact-compare's figures
    # (test_decide_lines_dose): cells s * 3 + a, segments a and b, arms
    # control, p1, p2; compare's plan is decide()'s (a/p1, b/p1 hidden, the
    # label totals too); dose prints each segment's p1 + p2 and both's.
    joint_units = [30, 4, 40, 30, 30, 30]
    joint_fixed = ([([c], c % 3 == 1) for c in range(6)] +
                   [([a, 3 + a], False) for a in range(3)] +
                   [([0, 1, 2], True), ([3, 4, 5], True)] +
                   [(list(range(6)), False)])
    show_joint("tact-dose with tact-compare", joint_units, joint_fixed,
               [[1, 2], [4, 5], [1, 2, 4, 5]], 10)
