#!/usr/bin/python3
"""Expected figures of the options combined: CUPED (--covariate) with
--sequential, with --stratify, and each with --by-period, in tact-compare
and tact-frontier; for the combo-* command-line cases.

Run with Debian's /usr/bin/python3 (NumPy, SciPy, statsmodels) from
anywhere:

    /usr/bin/python3 tests/expected/combo.py

It never runs tact.  It draws tests/cli/data/combo.csv with a fixed seed
(three arms, three intents of about 45 to 520 units per arm, one row per
unit, a UTC timestamp over four days, covariate cells missing at random)
and computes from the raw rows, unit by unit:

  CUPED        per segment (and "(all)") and arm pair: x the covariate (a
               missing cell counts as 0), theta = cov(x, y) / var(x) over
               the units of both arms, y' = y - theta (x - mean x); each
               group's adjusted mean and variance of that mean
               var(y', ddof=1) / n (rates too);
  sequential   on the adjusted estimate and SE (tests/expected/sequential.py:
               GrowthBook's rho, half-width and p-value of eq. 155, the
               one-sided bound for --alternative greater), n the units of
               both groups;
  stratify     pooled rows: sum_s w_s d'_s, w_s the segment's share of the
               units of the control and the arm, d'_s the segment's CUPED
               difference with its own theta, variance
               sum_s w_s^2 (v'_arm_s + v'_control_s); normal test;
  otherwise    CUPED rows: Welch's test on y' (scipy.stats.ttest_ind);
  rule         Holm or BH (statsmodels multipletests) within the pooled and
               the segment families; a_row = alpha p / p_adjusted; the
               difference's interval at the row's multiplier (sequential,
               normal or t of level 1 - a_row); the lift d / |adjusted
               control mean| with Fieller's interval at the same multiplier
               on the adjusted means and variances of means;
  frontier     the net value of sum_k w_k y'_k per unit, each metric adjusted
               by its own theta; under --stratify each segment's with its
               own thetas, pooled as above;
  by period    each UTC day's units and the units of every day up to it
               (cumulative), each compared as above on those units alone.

It writes tests/cli/cases/combo-*/{cmd,expected.csv,stdout,status}: each
case runs tact, keeps the compared columns with tests/cli/csv-columns.awk
and compares them with expected.csv by tests/cli/csv-close.awk (1e-6
relative).  The script is deterministic: run twice, same files.
"""
import datetime
import math
import os
import sys

import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from sequential import rho_of, halfwidth, p_two_sided, p_one_sided  # noqa
from sequential_cli import adjust, a_row  # noqa

ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "tests", "cli", "data")
CASES = os.path.join(ROOT, "tests", "cli", "cases")

ARMS = ["control", "a", "b"]
SEGMENTS = ["browse", "buy", "support"]
METRICS = [("converted", True), ("spend", False)]  # both "up"
COVARIATES = {"converted": "prior_visits", "spend": "history"}
START = datetime.datetime(2026, 11, 30, tzinfo=datetime.timezone.utc)
DAYS = 4


def write_export(name, rows, columns):
    """Rows (dicts) as CSV: None as an empty cell, floats by repr."""
    with open(os.path.join(DATA, name), "w") as f:
        f.write(",".join(columns) + "\n")
        for r in rows:
            f.write(",".join("" if r[c] is None else
                             (repr(r[c]) if isinstance(r[c], float)
                              else str(r[c])) for c in columns) + "\n")


def fixture():
    rng = np.random.default_rng(1717)
    sizes = {"browse": 520, "buy": 300, "support": 45}
    effects = {"control": (0.0, 0.0), "a": (0.6, 0.08), "b": (-0.25, -0.03)}
    rows = []
    for intent, n in sizes.items():
        for arm in ARMS:
            m = n + int(rng.integers(-n // 10, n // 10 + 1))
            for _ in range(m):
                history = float(np.round(rng.gamma(2.0, 20.0), 2))
                visits = int(rng.poisson(3))
                spend_lift, conv_lift = effects[arm]
                spend = max(0.0, 0.35 * history + spend_lift * 10 +
                            rng.normal(0, 8))
                p = 1 / (1 + np.exp(-(-1.4 + 0.25 * visits))) + conv_lift
                converted = int(rng.random() < min(max(p, 0), 1))
                seconds = int(rng.integers(0, DAYS * 86400))
                t = (START + datetime.timedelta(seconds=seconds)).strftime(
                    "%Y-%m-%dT%H:%M:%SZ")
                h = None if rng.random() < 0.05 else history
                v = None if rng.random() < 0.04 else visits
                rows.append(dict(intent=intent, arm=arm, time=t,
                                 converted=converted,
                                 spend=float(np.round(spend, 2)),
                                 history=h, prior_visits=v))
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    write_export("combo.csv", rows, ["intent", "arm", "time", "converted",
                                     "spend", "history", "prior_visits"])
    return rows


def sessions_fixture():
    """tests/cli/data/combo-sessions.csv: 1 to 3 sessions per visitor in
    random order; a visitor's first row sets its segment, arm, period and
    covariates (later rows carry other covariate values, or none)."""
    rng = np.random.default_rng(1719)
    sizes = {"browse": 200, "buy": 120, "support": 40}
    effects = {"control": (0.0, 0.0), "a": (0.6, 0.08), "b": (-0.25, -0.03)}
    rows, k = [], 0
    for intent, n in sizes.items():
        for arm in ARMS:
            for _ in range(n):
                k += 1
                history = float(np.round(rng.gamma(2.0, 20.0), 2))
                visits = int(rng.poisson(3))
                spend_lift, conv_lift = effects[arm]
                p = 1 / (1 + np.exp(-(-2.0 + 0.25 * visits))) + conv_lift
                for j in range(int(rng.integers(1, 4))):
                    spend = max(0.0, 0.2 * history + spend_lift * 6 +
                                rng.normal(0, 6))
                    seconds = int(rng.integers(0, DAYS * 86400))
                    t = (START + datetime.timedelta(seconds=seconds)
                         ).strftime("%Y-%m-%dT%H:%M:%SZ")
                    h = history if j == 0 else float(rng.integers(0, 200))
                    v = visits if j == 0 else int(rng.integers(0, 9))
                    if rng.random() < 0.06:
                        h = None
                    if rng.random() < 0.04:
                        v = None
                    rows.append(dict(visitor_id="v%d" % k, intent=intent,
                                     arm=arm, time=t,
                                     converted=int(rng.random() < p),
                                     spend=float(np.round(spend, 2)),
                                     history=h, prior_visits=v))
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    write_export("combo-sessions.csv", rows,
                 ["visitor_id", "intent", "arm", "time", "converted", "spend",
                  "history", "prior_visits"])
    units, order = {}, []
    for r in rows:  # fold: the first row's all but the metrics
        u = units.get(r["visitor_id"])
        if u is None:
            units[r["visitor_id"]] = dict(r)
            order.append(r["visitor_id"])
        else:
            u["converted"] = max(u["converted"], r["converted"])
            u["spend"] += r["spend"]
    return [units[v] for v in order]


def fmt(x):
    if x is None or x == "":
        return ""
    if isinstance(x, str):
        return x
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    return repr(x) if math.isfinite(x) else ""


def values(units, seg, arm, metric, covariate):
    sel = [u for u in units if u["arm"] == arm and
           (seg == "(all)" or u["intent"] == seg)]
    y = np.array([float(u[metric]) for u in sel])
    if covariate is None:
        return y, None
    x = np.array([0.0 if u[covariate] is None else float(u[covariate])
                  for u in sel])
    return y, x


def cuped(ya, xa, yc, xc):
    """theta, adjusted samples of the arm and the control."""
    x = np.concatenate([xa, xc])
    y = np.concatenate([ya, yc])
    dx = x - x.mean()
    sxx = np.sum(dx * dx)
    theta = float(np.sum(dx * (y - y.mean())) / sxx) if sxx > 0 else 0.0
    return theta, ya - theta * (xa - x.mean()), yc - theta * (xc - x.mean())


def group(y, rate):
    m = y.mean()
    return m, (m * (1 - m) if rate else np.var(y, ddof=1)) / len(y)


def pair_effect(units, seg, arm, metric, rate, covariate):
    """The adjusted (or raw) effect of one segment and arm pair."""
    ya, xa = values(units, seg, arm, metric, covariate)
    yc, xc = values(units, seg, "control", metric, covariate)
    e = dict(na=len(ya), nc=len(yc), raw_a=ya.mean(), raw_c=yc.mean(),
             theta=None, vr=None, adj_a=ya, adj_c=yc)
    if covariate is not None:
        theta, adj_a, adj_c = cuped(ya, xa, yc, xc)
        am, cm = adj_a.mean(), adj_c.mean()
        av = np.var(adj_a, ddof=1) / len(ya)
        cv = np.var(adj_c, ddof=1) / len(yc)
        raw = np.var(ya, ddof=1) / len(ya) + np.var(yc, ddof=1) / len(yc)
        e.update(theta=theta, vr=1 - (av + cv) / raw, adj_a=adj_a,
                 adj_c=adj_c)
    else:
        am, av = group(ya, rate)
        cm, cv = group(yc, rate)
    e.update(am=am, av=av, cm=cm, cv=cv, est=am - cm, se=math.sqrt(av + cv),
             n=len(ya) + len(yc))
    return e


def stratified(units, arm, metric, rate, covariate):
    ws, parts = [], []
    for s in SEGMENTS:
        p = pair_effect(units, s, arm, metric, rate, covariate)
        ws.append(p["na"] + p["nc"])
        parts.append(p)
    w = np.array(ws, float) / sum(ws)
    am = float(w @ np.array([p["am"] for p in parts]))
    cm = float(w @ np.array([p["cm"] for p in parts]))
    av = float((w ** 2) @ np.array([p["av"] for p in parts]))
    cv = float((w ** 2) @ np.array([p["cv"] for p in parts]))
    return dict(am=am, cm=cm, av=av, cv=cv, est=am - cm,
                se=math.sqrt(av + cv))


def fieller(d, m0, v1, v0, cl, cu):
    """Lift d / |m0| and Fieller's interval with multipliers cl (lower) and
    cu (upper; inf: an open end), as the roots of
    (d - L |m0|)^2 = c^2 (v1 + L^2 v0) in L; blank when unbounded or open."""
    if m0 == 0:
        return None, None, None
    D, w1, w0, s = d / abs(m0), v1 / m0 ** 2, v0 / m0 ** 2, np.sign(m0)

    def root(c, upper):
        A = 1 - c * c * w0
        if A <= 0:
            return None
        B = D + s * c * c * w0
        C = D * D - c * c * (w1 + w0)
        q = math.sqrt(max(B * B - A * C, 0))
        return (B + q) / A if upper else (B - q) / A
    lo = root(cl, False) if math.isfinite(cl) else -math.inf
    hi = root(cu, True) if math.isfinite(cu) else math.inf
    if lo is None or hi is None:
        return D, None, None
    return D, lo, hi  # an open end is infinite, printed blank


COMPARE_COLUMNS = ["intent", "metric", "arm", "n_control", "n_arm",
                   "mean_control", "mean_arm", "diff", "diff_low",
                   "diff_high", "lift", "lift_low", "lift_high", "test",
                   "p_value", "p_adjusted", "verdict", "family",
                   "alternative", "interval_level", "diff_low_unadjusted",
                   "diff_high_unadjusted", "lift_low_unadjusted",
                   "lift_high_unadjusted", "covariate", "theta",
                   "variance_reduction"]


def compare(units, covariates, sequential=False, stratify=False, conf=0.95,
            correction="holm", tuning=5000, alternatives=None, min_cell=0):
    """tact-compare's rows (COMPARE_COLUMNS) for these units; each metric
    with a covariate adjusted, the others raw (sequential only)."""
    alpha = 1 - conf
    alternatives = alternatives or {}
    out = []
    for seg in ["(all)"] + SEGMENTS:
        for metric, rate in METRICS:
            covariate = covariates.get(metric)
            for arm in ARMS[1:]:
                alt = alternatives.get(metric, "two-sided")
                two = alt == "two-sided"
                e = pair_effect(units, seg, arm, metric, rate, covariate)
                r = dict(seg=seg, metric=metric, arm=arm, alt=alt, e=e,
                         rate=rate,
                         covariate=covariate or "",
                         family="pooled" if seg == "(all)" else "segment")
                out.append(r)
                if e["na"] < max(min_cell, 2) or e["nc"] < max(min_cell, 2):
                    r["suppressed"] = True
                    continue
                r["suppressed"] = False
                f = e
                r["strat_raw"] = None
                if stratify and seg == "(all)":
                    f = stratified(units, arm, metric, rate, covariate)
                    if covariate is not None:
                        r["strat_raw"] = stratified(units, arm, metric, rate,
                                                    None)
                est, se = f["est"], f["se"]
                if sequential:
                    rho = rho_of(alpha, tuning, two)
                    r["p"] = p_two_sided(est, se, e["n"], rho) if two else \
                        p_one_sided(est, se, e["n"], rho, alt == "greater")
                    r["test"] = "sequential"
                    r["mult"] = lambda a, rho=rho, n=e["n"], two=two: \
                        halfwidth(1.0, n, rho, a, two)
                elif stratify and seg == "(all)":
                    z = est / se
                    r["p"] = 2 * stats.norm.sf(abs(z)) if two else \
                        stats.norm.sf(z) if alt == "greater" else \
                        stats.norm.cdf(z)
                    r["test"] = "stratified"
                    r["mult"] = lambda a, two=two: \
                        stats.norm.isf(a / 2 if two else a)
                else:
                    assert covariate is not None and two
                    t = stats.ttest_ind(e["adj_a"], e["adj_c"],
                                        equal_var=False)
                    df = (e["av"] + e["cv"]) ** 2 / (
                        e["av"] ** 2 / (e["na"] - 1) +
                        e["cv"] ** 2 / (e["nc"] - 1))
                    r["p"] = float(t.pvalue)
                    r["test"] = "welch"
                    r["mult"] = lambda a, df=df: stats.t.isf(a / 2, df)
                r["f"] = f
    for fam in ("pooled", "segment"):
        tested = [r for r in out if r["family"] == fam and not r["suppressed"]]
        for r, pa in zip(tested, adjust([r["p"] for r in tested],
                                        correction)):
            r["padj"] = float(pa)
            r["m"] = len(tested)
    lines = [",".join(COMPARE_COLUMNS)]
    for r in out:
        e = r["e"]
        if r["suppressed"]:
            fields = [r["seg"], r["metric"], r["arm"]] + [""] * 13 + \
                ["suppressed", r["family"], r["alt"]] + [""] * 5 + \
                [r["covariate"], "", ""]
            lines.append(",".join(fmt(v) for v in fields))
            continue
        f = r["f"]
        est, se = f["est"], f["se"]
        rate, covariate = r["rate"], r["covariate"]

        def bounds(a):
            c = r["mult"](a)
            cl = math.inf if r["alt"] == "less" else c
            cu = math.inf if r["alt"] == "greater" else c
            lift, llo, lhi = fieller(est, f["cm"], f["av"], f["cv"], cl, cu)
            if rate and not covariate and llo is not None:
                # A raw 0/1 metric's lift cannot fall below -100% (adjusted
                # means can be negative: no such bound under CUPED).
                llo, lhi = max(llo, -1), max(lhi, -1)
            return (est - cl * se, est + cu * se, lift, llo, lhi)
        ar = a_row(alpha, r["p"], r["padj"], r["m"], correction)
        b, u = bounds(ar), bounds(alpha)
        toward = est > 0 if r["alt"] == "greater" else \
            est < 0 if r["alt"] == "less" else est != 0
        verdict = ("better" if est > 0 else "worse") \
            if r["padj"] < alpha and toward else "inconclusive"
        fields = [r["seg"], r["metric"], r["arm"], e["nc"], e["na"],
                  e["raw_c"], e["raw_a"], est, b[0], b[1], b[2], b[3], b[4],
                  r["test"], r["p"], r["padj"], verdict, r["family"],
                  r["alt"], 1 - ar, u[0], u[1], u[3], u[4], r["covariate"],
                  e["theta"], e["vr"]]
        if r.get("strat_raw") is not None:
            # A stratified pooled row: each segment has its own theta, and
            # the reduction is against --stratify without the covariate.
            fields[-2] = None
            fields[-1] = 1 - se ** 2 / r["strat_raw"]["se"] ** 2
        lines.append(",".join(fmt(v) for v in fields))
    return lines


FRONTIER_COLUMNS = ["intent", "arm", "n_control", "n_arm", "mean_control",
                    "mean_arm", "diff", "diff_low", "diff_high", "verdict",
                    "p_value", "p_adjusted", "interval_level",
                    "diff_low_unadjusted", "diff_high_unadjusted"]


def net(units, seg, arm, weights):
    """Per-unit net value of the arm and the control of one segment, each
    metric adjusted by the theta of its pair."""
    total_a = total_c = 0
    for metric, rate in METRICS:
        e = pair_effect(units, seg, arm, metric, rate, COVARIATES[metric])
        total_a = total_a + weights[metric] * e["adj_a"]
        total_c = total_c + weights[metric] * e["adj_c"]
    return total_a, total_c


def frontier(units, weights, sequential=False, stratify=False, conf=0.95,
             tuning=5000):
    alpha = 1 - conf
    out = []
    for seg in ["(all)"] + SEGMENTS:
        for arm in ARMS[1:]:
            if not sequential and seg != "(all)":
                continue  # --stratify alone changes the pooled rows only
            va, vc = net(units, seg, arm, weights)
            est = va.mean() - vc.mean()
            se = math.sqrt(np.var(va, ddof=1) / len(va) +
                           np.var(vc, ddof=1) / len(vc))
            n = len(va) + len(vc)
            r = dict(seg=seg, arm=arm, nc=len(vc), na=len(va), mc=vc.mean(),
                     ma=va.mean(), family="pooled" if seg == "(all)"
                     else "segment")
            if stratify and seg == "(all)":
                ws, ds, vs = [], [], []
                for s in SEGMENTS:
                    a_, c_ = net(units, s, arm, weights)
                    ws.append(len(a_) + len(c_))
                    ds.append(a_.mean() - c_.mean())
                    vs.append(np.var(a_, ddof=1) / len(a_) +
                              np.var(c_, ddof=1) / len(c_))
                w = np.array(ws, float) / sum(ws)
                est = float(w @ np.array(ds))
                se = math.sqrt((w ** 2) @ np.array(vs))
            if sequential:
                rho = rho_of(alpha, tuning)
                r["p"] = p_two_sided(est, se, n, rho)
                r["mult"] = lambda a, n=n, rho=rho: halfwidth(1.0, n, rho, a)
            else:
                assert stratify and seg == "(all)"
                r["p"] = 2 * stats.norm.sf(abs(est / se))
                r["mult"] = lambda a: stats.norm.isf(a / 2)
            r.update(est=est, se=se)
            out.append(r)
    for fam in ("pooled", "segment"):
        rows = [r for r in out if r["family"] == fam]
        if not rows:
            continue  # --stratify alone: no segment rows
        for r, pa in zip(rows, adjust([r["p"] for r in rows], "holm")):
            r["padj"] = float(pa)
            r["m"] = len(rows)
    lines = [",".join(FRONTIER_COLUMNS)]
    for r in out:
        ar = a_row(alpha, r["p"], r["padj"], r["m"], "holm")
        c, c0 = r["mult"](ar), r["mult"](alpha)
        verdict = "inconclusive"
        if r["padj"] < alpha:
            verdict = "personalize" if r["est"] > 0 else "hold back"
        fields = [r["seg"], r["arm"], r["nc"], r["na"], r["mc"], r["ma"],
                  r["est"], r["est"] - c * r["se"], r["est"] + c * r["se"],
                  verdict, r["p"], r["padj"], 1 - ar,
                  r["est"] - c0 * r["se"], r["est"] + c0 * r["se"]]
        lines.append(",".join(fmt(v) for v in fields))
    return lines


def day_of(u):
    t = datetime.datetime.strptime(u["time"], "%Y-%m-%dT%H:%M:%SZ")
    return t.date().isoformat()


def by_period(units, **options):
    """tact-compare --by-period: per day, its units' rows, then those of
    every day up to it; the compared columns with period and scope first."""
    days = sorted(set(day_of(u) for u in units))
    lines = None
    for i, day in enumerate(days):
        for scope, sel in (("period", [u for u in units
                                       if day_of(u) == day]),
                           ("cumulative", [u for u in units
                                           if day_of(u) <= day])):
            got = compare(sel, **options)
            if lines is None:
                lines = ["period,scope," + got[0]]
            lines += [day + "," + scope + "," + g for g in got[1:]]
    return lines


POOLED = "awk -F, 'NR == 1 || $1 == \"(all)\"' \"$OUT/got.csv\" | "


def write_case(name, command, columns, lines, comment, stderr="",
               pooled=False):
    folder = os.path.join(CASES, name)
    os.makedirs(folder, exist_ok=True)
    rows = len(lines) - 1
    source = POOLED + "awk" if pooled else "awk"
    with open(os.path.join(folder, "cmd"), "w") as f:
        f.write("# " + comment + " (tests/expected/combo.py)\n" +
                command + " > \"$OUT/got.csv\" &&\n" + source +
                " -F, -v COLUMNS=" + ",".join(columns) +
                " -f ../../csv-columns.awk" +
                ("" if pooled else " \"$OUT/got.csv\"") + " > "
                "\"$OUT/cols.csv\" &&\n"
                "awk -F, -v TOL=1e-6 -f ../../csv-close.awk expected.csv "
                "\"$OUT/cols.csv\" && echo '%d rows agree'\n" % rows)
    for name, text in (("expected.csv", "\n".join(lines) + "\n"),
                       ("stdout", "%d rows agree\n" % rows),
                       ("status", "0\n"), ("stderr", stderr)):
        path = os.path.join(folder, name)
        if text:
            with open(path, "w") as f:
                f.write(text)
        elif os.path.exists(path):
            os.remove(path)  # no stderr expected


def pooled_only(lines):
    return [lines[0]] + [l for l in lines[1:] if l.startswith("(all),")]


def main():
    units = fixture()
    data = " ../../data/combo.csv"
    roles = ("--goal converted --value spend --annoyance ''"
             " --covariate converted=prior_visits --covariate spend=history")

    def notes(tool):
        # In the order the covariates are given.
        return "".join("%s: covariate %s: %d units had no value, counted as "
                       "0\n" % (tool, c, sum(u[c] is None for u in units))
                       for c in ("prior_visits", "history"))
    compare_tool = "tact-compare --quiet --min-cell 0 " + roles
    cases = [
        ("combo-cuped-seq", compare_tool + " --sequential",
         compare(units, COVARIATES, sequential=True),
         "--covariate with --sequential: two-sided, Holm"),
        ("combo-cuped-seq-bh-greater",
         compare_tool + " --sequential --tuning 1000 --confidence 0.9"
         " --correction bh --alternative spend=greater",
         compare(units, COVARIATES, sequential=True, conf=0.9,
                 correction="bh", tuning=1000,
                 alternatives={"spend": "greater"}),
         "--covariate with --sequential: BH, spend one-sided, --tuning "
         "1000, 90%"),
        ("combo-cuped-strat", compare_tool + " --stratify",
         pooled_only(compare(units, COVARIATES, stratify=True)),
         "--covariate with --stratify: the pooled rows, each segment "
         "adjusted by its own theta"),
        ("combo-cuped-strat-seq",
         compare_tool + " --stratify --sequential --correction bh",
         compare(units, COVARIATES, stratify=True, sequential=True,
                 correction="bh"),
         "--covariate with --stratify and --sequential, BH"),
        ("combo-period-cuped", compare_tool + " --by-period --time time",
         by_period(units, covariates=COVARIATES),
         "--by-period with --covariate: each day's and the cumulative rows"),
        ("combo-period-cuped-seq",
         compare_tool + " --by-period --time time --sequential",
         by_period(units, covariates=COVARIATES, sequential=True),
         "--by-period with --covariate and --sequential"),
    ]
    period_columns = ["period", "scope"] + COMPARE_COLUMNS
    for name, command, lines, comment in cases:
        write_case(name, command + data,
                   period_columns if "period" in name else COMPARE_COLUMNS,
                   lines, comment, notes("tact-compare"),
                   pooled=name == "combo-cuped-strat")
    weights = {"converted": 40.0, "spend": 1.0}
    frontier_tool = ("tact-frontier --quiet --min-cell 0 " + roles +
                     " --weights converted=40,spend=1")
    write_case("combo-frontier-cuped-seq",
               frontier_tool + " --sequential" + data, FRONTIER_COLUMNS,
               frontier(units, weights, sequential=True),
               "tact-frontier: --covariate with --sequential",
               notes("tact-frontier"))
    write_case("combo-frontier-cuped-strat",
               frontier_tool + " --stratify" + data, FRONTIER_COLUMNS,
               frontier(units, weights, stratify=True),
               "tact-frontier: --covariate with --stratify, the pooled rows",
               notes("tact-frontier"), pooled=True)
    write_case("combo-frontier-cuped-strat-seq",
               frontier_tool + " --stratify --sequential" + data,
               FRONTIER_COLUMNS,
               frontier(units, weights, stratify=True, sequential=True),
               "tact-frontier: --covariate with --stratify and --sequential",
               notes("tact-frontier"))
    folded = sessions_fixture()
    missing = "".join("tact-compare: covariate %s: %d units had no value, "
                      "counted as 0\n" % (c, sum(u[c] is None for u in folded))
                      for c in ("prior_visits", "history"))
    write_case("combo-sessions-period-cuped-seq",
               compare_tool + " --by-period --time time --sequential"
               " ../../data/combo-sessions.csv", period_columns,
               by_period(folded, covariates=COVARIATES, sequential=True),
               "sessions folded by visitor_id, --by-period with --covariate "
               "and --sequential: a visitor's first row sets its period and "
               "covariates", missing)
    write_case("combo-period-cuped-strat-seq",
               compare_tool + " --by-period --time time --stratify"
               " --sequential" + data, period_columns,
               by_period(units, covariates=COVARIATES, sequential=True,
                         stratify=True),
               "--by-period with --covariate, --stratify and --sequential",
               notes("tact-compare"))
    plain = "tact-compare --quiet --min-cell 0 --goal converted " \
        "--value spend --annoyance '' --by-period --time time"
    write_case("combo-period-seq", plain + " --sequential" + data,
               period_columns[:-3],
               [",".join(l.split(",")[:-3]) for l in
                by_period(units, covariates={}, sequential=True)],
               "--by-period with --sequential: each day's and the "
               "cumulative rows")


if __name__ == "__main__":
    main()
