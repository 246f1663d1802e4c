#!/usr/bin/python3
"""Fixture and expected output of the seq-* and strat-* command-line cases.

Run with Debian's /usr/bin/python3 (NumPy, SciPy, statsmodels 0.13) from
anywhere:

    /usr/bin/python3 tests/expected/sequential_cli.py

It draws tests/cli/data/seqstrat.csv (three arms: control, a, b; six
segments intent x device of 15 to 600 units per arm; empty revenue cells)
with a fixed seed, computes from the raw rows, with NumPy/SciPy and
statsmodels' multipletests, the figures tact-compare and tact-frontier
print under --sequential and --stratify, and writes each case's
tests/cli/cases/NAME/{cmd,expected.csv,stdout,status}.  The cases keep
the columns these options change (an awk step selects them from tact's
output) and compare them with tests/cli/csv-compare.awk (1e-6 relative).

The formulas (see lib/sequential.h, lib/stratify.h, tact-compare(1)):
  sequential   GrowthBook's SequentialTwoSidedTTest (and its one-sided
               variant): rho from the nominal alpha and the tuning, the
               half-width at the row's level a_row, the p-value of eq. 155;
               estimate, SE and n: the difference of means (rates: of
               proportions), Welch's SE (rates: unpooled), the values of
               both groups (frontier: units);
  stratify     pooled rows: sum_s w_s d_s, w_s the segment's share of the
               units of the control and the arm, variance
               sum_s w_s^2 (v_arm_s + v_control_s), normal test;
  rule         p-values adjusted (Holm, BH) within the pooled and the
               segment families; a_row = alpha p / p_adjusted; intervals at
               1 - a_row; lift: Fieller's interval at the same multiplier
               with the groups' variances of means.
"""
import math
import os

import numpy as np
from scipy.stats import norm
from statsmodels.stats.multitest import multipletests

from sequential import rho_of, halfwidth, p_two_sided, p_one_sided

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "tests", "cli", "data", "seqstrat.csv")
CASES = os.path.join(ROOT, "tests", "cli", "cases")

ARMS = ["control", "a", "b"]
INTENTS = ["browse", "buy", "research"]
DEVICES = ["desktop", "mobile"]
METRICS = [("converted", "up", True), ("bounced", "down", True),
           ("revenue", "up", False)]


def fixture():
    rng = np.random.default_rng(2017)
    sizes = {("browse", "desktop"): 600, ("browse", "mobile"): 420,
             ("buy", "desktop"): 150, ("buy", "mobile"): 90,
             ("research", "desktop"): 25, ("research", "mobile"): 300}
    base = {"browse": 0.03, "buy": 0.22, "research": 0.15}
    lift = {"control": 0.0, "a": 0.6, "b": -0.3}
    rows = []
    for (intent, device), n in sizes.items():
        for arm in ARMS:
            m = n + int(rng.integers(-n // 10, n // 10 + 1))
            for _ in range(m):
                p = base[intent] * (1 + lift[arm]) * (1.3 if device == "mobile" else 1)
                conv = int(rng.random() < p)
                bounce = int(rng.random() < (0.3 + (0.15 if arm == "a" else 0)))
                rev = conv * rng.lognormal(3, 0.8) if conv else 0.0
                revenue = "" if (rng.random() < 0.03 and n > 25) else "%.2f" % rev
                rows.append((intent, device, arm, conv, bounce, revenue))
    order = rng.permutation(len(rows))
    with open(DATA, "w") as f:
        f.write("intent,device,arm,converted,bounced,revenue\n")
        for i in order:
            r = rows[i]
            f.write("%s,%s,%s,%d,%d,%s\n" % r)
    return [rows[i] for i in order]


def values(rows, intent, device, arm, k):
    out = []
    for r in rows:
        if (intent is None or (r[0], r[1]) == (intent, device)) and r[2] == arm:
            v = r[3 + k]
            if v != "":
                out.append(float(v))
    return np.array(out)


def units(rows, intent, device, arm):
    return sum(1 for r in rows if (intent is None or (r[0], r[1]) == (intent, device))
               and r[2] == arm)


def group(x, rate):
    n = len(x)
    m = x.mean()
    return m, (m * (1 - m) / n if rate else np.var(x, ddof=1) / n), n


def segments():
    return [(i, d) for i in INTENTS for d in DEVICES]


def effect(rows, seg, arm, k, rate, stratify):
    """(estimate, se, n, arm mean, arm v, control mean, control v)."""
    xa = values(rows, *seg, arm, k)
    xc = values(rows, *seg, "control", k)
    n = len(xa) + len(xc)
    if stratify and seg == (None, None):
        ws, da, dc = [], [], []
        for s in segments():
            ws.append(units(rows, *s, arm) + units(rows, *s, "control"))
            da.append(group(values(rows, *s, arm, k), rate))
            dc.append(group(values(rows, *s, "control", k), rate))
        w = np.array(ws, float) / sum(ws)
        am = w @ np.array([g[0] for g in da])
        cm = w @ np.array([g[0] for g in dc])
        av = (w ** 2) @ np.array([g[1] for g in da])
        cv = (w ** 2) @ np.array([g[1] for g in dc])
    else:
        am, av, _ = group(xa, rate)
        cm, cv, _ = group(xc, rate)
    return am - cm, math.sqrt(av + cv), n, am, av, cm, cv


def fieller(am, av, cm, cv, cl, cu, nonnegative):
    """Lift (arm / control - 1) interval with multipliers cl (lower) and cu
    (upper), inf for an open side; control mean > 0 here."""
    def roots(c):
        a = cm * cm - c * c * cv
        b = am * cm
        disc = b * b - a * (am * am - c * c * av)
        if a <= 0:
            return None
        r = math.sqrt(disc)
        return (b - r) / a - 1, (b + r) / a - 1
    lo = hi = None
    if math.isfinite(cl):
        r = roots(cl)
        if r is None:
            return "", ""
        lo = max(r[0], -1) if nonnegative else r[0]
    if math.isfinite(cu):
        r = roots(cu)
        if r is None:
            return "", ""
        hi = max(r[1], -1) if nonnegative else r[1]
    return lo, hi


def fmt(v):
    if v is None or v == "" or (isinstance(v, float) and (math.isnan(v) or math.isinf(v))):
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return repr(float(v))


def adjust(ps, correction):
    if correction == "none":
        return list(ps)
    method = {"holm": "holm", "bh": "fdr_bh"}[correction]
    return list(multipletests(ps, method=method)[1])


def a_row(alpha, p, padj, m, correction):
    if correction == "none" or padj == p:
        return alpha
    if padj == 0:
        return alpha / m
    return alpha * p / padj


COMPARE_COLUMNS = ["intent", "device", "metric", "arm", "n_control", "n_arm",
                   "mean_control", "mean_arm", "diff", "diff_low", "diff_high",
                   "lift", "lift_low", "lift_high", "test", "p_value",
                   "p_adjusted", "verdict", "family", "alternative",
                   "interval_level", "diff_low_unadjusted",
                   "diff_high_unadjusted", "lift_low_unadjusted",
                   "lift_high_unadjusted"]


def compare(rows, sequential, stratify, conf=0.95, correction="holm", tuning=5000,
            alternatives=None):
    alpha = 1 - conf
    alternatives = alternatives or {}
    out = []
    for seg in [(None, None)] + segments():
        for k, (metric, direction, rate) in enumerate(METRICS):
            for arm in ARMS[1:]:
                alt = alternatives.get(metric, "two-sided")
                e = effect(rows, seg, arm, k, rate, stratify)
                est, se, n = e[:3]
                xa = values(rows, *seg, arm, k)
                xc = values(rows, *seg, "control", k)
                two = alt == "two-sided"
                if sequential:
                    rho = rho_of(alpha, tuning, two)
                    p = p_two_sided(est, se, n, rho) if two else \
                        p_one_sided(est, se, n, rho, alt == "greater")
                    test = "sequential"
                else:
                    z = est / se
                    p = 2 * norm.sf(abs(z)) if two else \
                        (norm.sf(z) if alt == "greater" else norm.cdf(z))
                    rho = None
                    test = "stratified"
                out.append(dict(seg=seg, metric=metric, direction=direction,
                                rate=rate, arm=arm, alt=alt, e=e, p=p, test=test,
                                rho=rho, n_control=len(xc), n_arm=len(xa),
                                mean_control=xc.mean(), mean_arm=xa.mean(),
                                family="pooled" if seg == (None, None) else "segment"))
    for fam in ("pooled", "segment"):
        idx = [i for i, r in enumerate(out) if r["family"] == fam]
        adj = adjust([out[i]["p"] for i in idx], correction)
        for i, pa in zip(idx, adj):
            out[i]["padj"] = pa
            out[i]["m"] = len(idx)
    lines = [",".join(COMPARE_COLUMNS)]
    for r in out:
        est, se, n, am, av, cm, cv = r["e"]
        two = r["alt"] == "two-sided"

        def mult(a):
            if r["test"] == "sequential":
                return halfwidth(1.0, n, r["rho"], a, two)
            return norm.isf(a / 2 if two else a)

        def bounds(a):
            c = mult(a)
            cl = math.inf if r["alt"] == "less" else c
            cu = math.inf if r["alt"] == "greater" else c
            lo, hi = est - cl * se, est + cu * se
            # 0/1 metrics cannot fall below -100%; revenue (a value
            # metric, refunds allowed) is not assumed non-negative.
            llo, lhi = fieller(am, av, cm, cv, cl, cu, r["rate"])
            return lo, hi, llo, lhi
        ar = a_row(alpha, r["p"], r["padj"], r["m"], correction)
        b = bounds(ar)
        u = bounds(alpha)
        toward = est > 0 if r["alt"] == "greater" else est < 0 if r["alt"] == "less" else est != 0
        if r["padj"] < alpha and toward:
            verdict = "better" if (est > 0) == (r["direction"] == "up") else "worse"
        else:
            verdict = "inconclusive"
        intent, device = r["seg"]
        lift = est / abs(cm)
        fields = [intent or "(all)", device or "(all)", r["metric"], r["arm"],
                  r["n_control"], r["n_arm"], r["mean_control"], r["mean_arm"],
                  est, b[0], b[1], lift, b[2], b[3], r["test"], r["p"], r["padj"],
                  verdict, r["family"], r["alt"], 1 - ar, u[0], u[1], u[2], u[3]]
        lines.append(",".join(fmt(v) for v in fields))
    return "\n".join(lines) + "\n"


FRONTIER_COLUMNS = ["intent", "device", "arm", "n_control", "n_arm", "mean_control",
                    "mean_arm", "diff", "diff_low", "diff_high", "verdict",
                    "p_value", "p_adjusted", "interval_level",
                    "diff_low_unadjusted", "diff_high_unadjusted"]
WEIGHTS = {0: 40.0, 1: -0.5}


def net(rows, seg, arm):
    sel = [r for r in rows if (seg == (None, None) or (r[0], r[1]) == seg) and r[2] == arm]
    return np.array([sum(w * float(r[3 + k]) for k, w in WEIGHTS.items()) for r in sel])


def frontier(rows, sequential, stratify, conf=0.95, tuning=5000):
    alpha = 1 - conf
    out = []
    for seg in [(None, None)] + segments():
        for arm in ARMS[1:]:
            va, vc = net(rows, seg, arm), net(rows, seg, "control")
            est = va.mean() - vc.mean()
            se = math.sqrt(np.var(va, ddof=1) / len(va) + np.var(vc, ddof=1) / len(vc))
            n = len(va) + len(vc)
            normal = False
            if stratify and seg == (None, None):
                ws, ds, vs = [], [], []
                for s in segments():
                    a_, c_ = net(rows, s, arm), net(rows, s, "control")
                    ws.append(len(a_) + len(c_))
                    ds.append(a_.mean() - c_.mean())
                    vs.append(np.var(a_, ddof=1) / len(a_) + np.var(c_, ddof=1) / len(c_))
                w = np.array(ws, float) / sum(ws)
                est = w @ np.array(ds)
                se = math.sqrt((w ** 2) @ np.array(vs))
                normal = True
            if sequential:
                rho = rho_of(alpha, tuning)
                p = p_two_sided(est, se, n, rho)
            else:
                p = 2 * norm.sf(abs(est / se))
                rho = None
            out.append(dict(seg=seg, arm=arm, est=est, se=se, n=n, p=p, rho=rho,
                            normal=normal, mc=vc.mean(), ma=va.mean(),
                            nc=len(vc), na=len(va),
                            family="pooled" if seg == (None, None) else "segment"))
    for fam in ("pooled", "segment"):
        idx = [i for i, r in enumerate(out) if r["family"] == fam]
        adj = adjust([out[i]["p"] for i in idx], "holm")
        for i, pa in zip(idx, adj):
            out[i]["padj"] = pa
            out[i]["m"] = len(idx)
    lines = [",".join(FRONTIER_COLUMNS)]
    for r in out:
        def mult(a):
            if r["rho"] is not None:
                return halfwidth(1.0, r["n"], r["rho"], a)
            return norm.isf(a / 2)
        ar = a_row(alpha, r["p"], r["padj"], r["m"], "holm")
        c, c0 = mult(ar), mult(alpha)
        verdict = "inconclusive"
        if r["padj"] < alpha:
            verdict = "personalize" if r["est"] > 0 else "hold back"
        intent, device = r["seg"]
        fields = [intent or "(all)", device or "(all)", r["arm"], r["nc"], r["na"],
                  r["mc"], r["ma"], r["est"], r["est"] - c * r["se"],
                  r["est"] + c * r["se"], verdict, r["p"], r["padj"],
                  1 - ar, r["est"] - c0 * r["se"], r["est"] + c0 * r["se"]]
        lines.append(",".join(fmt(v) for v in fields))
    return "\n".join(lines) + "\n"


SELECT = ("awk -F, -v keep=%s -v pooled=%d 'NR == 1 { for (i = 1; i <= NF; i++) "
          "at[$i] = i; n = split(keep, k, \",\") } NR > 1 && pooled && $1 != \"(all)\" "
          "{ next } { s = \"\"; for (j = 1; j <= n; j++) "
          "s = s (j > 1 ? \",\" : \"\") $(at[k[j]]); print s }'")


def write_case(name, tool_args, columns, expected, frontier_tool=False, pooled=False):
    d = os.path.join(CASES, name)
    os.makedirs(d, exist_ok=True)
    tool = "tact-frontier" if frontier_tool else "tact-compare"
    cmd = ("%s --quiet %s ../../data/seqstrat.csv > \"$OUT/got.csv\" &&\n"
           "%s \"$OUT/got.csv\" > \"$OUT/kept.csv\" &&\n"
           "awk -F, -f ../../csv-compare.awk expected.csv \"$OUT/kept.csv\"\n"
           % (tool, tool_args, SELECT % (",".join(columns), pooled)))
    with open(os.path.join(d, "cmd"), "w") as f:
        f.write(cmd)
    with open(os.path.join(d, "expected.csv"), "w") as f:
        f.write(expected)
    rows = expected.count("\n") - 1
    figures = 0
    for line in expected.splitlines()[1:]:
        for v, col in zip(line.split(","), columns):
            if v != "" and col not in ("intent", "device", "metric", "arm", "test",
                                       "verdict", "family", "alternative"):
                figures += 1
    with open(os.path.join(d, "stdout"), "w") as f:
        f.write("%d rows, %d figures agree\n" % (rows, figures))
    with open(os.path.join(d, "status"), "w") as f:
        f.write("0\n")


ROLES = "--by intent,device --goal converted --annoyance bounced --value revenue"

if __name__ == "__main__":
    rows = fixture()
    write_case("seq-compare", "--sequential " + ROLES, COMPARE_COLUMNS,
               compare(rows, True, False))
    write_case("seq-compare-bh-one-sided",
               "--sequential --tuning 1000 --confidence 0.9 --correction bh "
               "--alternative converted=greater --alternative bounced=less " + ROLES,
               COMPARE_COLUMNS,
               compare(rows, True, False, conf=0.9, correction="bh", tuning=1000,
                       alternatives={"converted": "greater", "bounced": "less"}))
    strat = compare(rows, False, True)
    # --stratify changes the pooled rows only: keep those.
    strat = "\n".join(l for l in strat.splitlines() if not l.startswith(("browse", "buy", "research"))) + "\n"
    write_case("strat-compare", "--stratify " + ROLES, COMPARE_COLUMNS, strat,
               pooled=True)
    write_case("strat-seq-compare", "--stratify --sequential " + ROLES,
               COMPARE_COLUMNS, compare(rows, True, True))
    fargs = "--by intent,device --weights converted=40,bounced=-0.5"
    write_case("seq-frontier", "--sequential " + fargs, FRONTIER_COLUMNS,
               frontier(rows, True, False), frontier_tool=True)
    fs = frontier(rows, False, True)
    fs = "\n".join(l for l in fs.splitlines() if not l.startswith(("browse", "buy", "research"))) + "\n"
    write_case("strat-frontier", "--stratify " + fargs, FRONTIER_COLUMNS, fs,
               frontier_tool=True, pooled=True)
