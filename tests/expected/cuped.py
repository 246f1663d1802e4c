#!/usr/bin/python3
"""Fixtures and expected figures of CUPED (--covariate), for
tests/unit/test_cuped.c and the cuped-verify-* CLI cases.

Run with Debian's /usr/bin/python3 (NumPy, SciPy, statsmodels) from
anywhere:

    /usr/bin/python3 tests/expected/cuped.py

It never runs tact.  It draws exports with a fixed seed, writes them to
tests/cli/data/cuped-*.csv, computes from the raw rows, unit by unit:

  CUPED (Deng, Xu, Kohavi and Walker 2013) per segment (and "(all)") and
  arm pair: x the covariate (a missing cell counts as 0), theta =
  cov(x, y) / var(x) over the units of both arms, y' = y - theta (x -
  mean x over both arms); Welch's test on y' (scipy.stats.ttest_ind,
  equal_var=False) for rates and means alike; Holm within the two families
  (statsmodels multipletests), the row's level 1 - a_row (a_row = alpha p /
  p_adjusted), the difference's interval at Welch's t of that level, the
  lift (adjusted difference over |adjusted control mean|) with Fieller's
  interval at the same t; variance_reduction = 1 - (var y'_arm / n_arm +
  var y'_control / n_control) / (the same of y);

and checks on the way that the CUPED difference is close to the OLS
coefficient of the arm in y ~ arm + (x - mean x) (statsmodels; the two
differ only by theta pooled over both arms versus OLS's within-arm slope).

It writes tests/cli/cases/cuped-verify-NAME/{cmd,expected.csv,stdout,
stderr,status}: each case runs tact, keeps the compared columns with
tests/cli/csv-columns.awk and compares them with expected.csv by
tests/cli/csv-close.awk (1e-6 relative).  The frontier case checks
tact-frontier's net value under CUPED against the variance of the
per-unit adjusted net value (each metric adjusted by its own theta), which
is what its covariance of adjusted metrics must give.

Sessions (cuped-sessions.csv): a unit's covariate is its first session's
cell; its metrics fold as tact folds them (0/1 goal: max; value: sum).

And tests/expected/cuped_expected.h: a small sample's theta, adjusted
means and variances, and variance reduction, for the unit test.
The script is deterministic: run twice, same files.
"""
import os
import sys

import numpy as np
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "tests", "cli", "data")
CASES = os.path.join(ROOT, "tests", "cli", "cases")
ALPHA = 0.05

COLUMNS = ("intent,metric,arm,n_control,n_arm,mean_control,mean_arm,diff,"
           "diff_low,diff_high,lift,lift_low,lift_high,test,p_value,"
           "p_adjusted,interval_level,verdict,covariate,theta,"
           "variance_reduction")


def fmt(x):
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return ""
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, str):
        return x
    return repr(float(x))


def draw(seed, sizes):
    """Rows (intent, arm, converted, spend, history, prior_visits) with
    history and prior_visits sometimes missing (None)."""
    rng = np.random.default_rng(seed)
    rows = []
    effects = {"control": (0.0, 0.0), "a": (0.6, 0.03), "b": (-0.2, 0.0)}
    for intent, n in sizes.items():
        for arm in ("control", "a", "b"):
            for _ in range(n[arm]):
                history = float(np.round(rng.gamma(2.0, 20.0), 2))
                visits = int(rng.poisson(3))
                spend_lift, conv_lift = effects[arm]
                spend = max(0.0, 0.35 * history + spend_lift * 10 +
                            rng.normal(0, 8))
                spend = float(np.round(spend, 2))
                p = 1 / (1 + np.exp(-(-1.6 + 0.25 * visits))) + conv_lift
                converted = int(rng.random() < min(max(p, 0), 1))
                h = None if rng.random() < 0.05 else history
                v = None if rng.random() < 0.03 else visits
                rows.append((intent, arm, converted, spend, h, v))
    order = rng.permutation(len(rows))
    return [rows[i] for i in order]


def write_rows(path, rows, header="intent,arm,converted,spend,history,"
               "prior_visits"):
    with open(path, "w") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(",".join("" if c is None else
                             (repr(c) if isinstance(c, float) else str(c))
                             for c in r) + "\n")


def cuped(y_arm, x_arm, y_control, x_control):
    y = np.concatenate([y_arm, y_control])
    x = np.concatenate([x_arm, x_control])
    xc = x - x.mean()
    theta = float(np.sum(xc * (y - y.mean())) / np.sum(xc * xc)) \
        if np.sum(xc * xc) > 0 else 0.0
    adj_arm = y_arm - theta * (x_arm - x.mean())
    adj_control = y_control - theta * (x_control - x.mean())
    return theta, adj_arm, adj_control


def ols_check(y_arm, x_arm, y_control, x_control, diff, se):
    y = np.concatenate([y_arm, y_control])
    x = np.concatenate([x_arm, x_control])
    d = np.concatenate([np.ones(len(y_arm)), np.zeros(len(y_control))])
    design = sm.add_constant(np.column_stack([d, x - x.mean()]))
    fit = sm.OLS(y, design).fit()
    gap = abs(fit.params[1] - diff)
    if gap > 0.1 * se:
        sys.exit("CUPED and OLS disagree: %r vs %r (se %r)" %
                 (diff, fit.params[1], se))


def fieller(d, m0, v1, v0, c):
    """Lift (d / |m0|) and Fieller's two-sided interval at critical c, on
    the samples' variances of their means (tact_means_fieller)."""
    if m0 == 0:
        return float("nan"), float("nan"), float("nan")
    a, s = abs(m0), np.sign(m0)
    lift = d / a
    qa = a * a - c * c * v0
    if qa <= 0:
        return lift, float("nan"), float("nan")
    qb = d * a + c * c * s * v0
    qc = d * d - c * c * v1 - c * c * v0
    disc = qb * qb - qa * qc
    root = np.sqrt(max(disc, 0))
    return lift, (qb - root) / qa, (qb + root) / qa


def units_of(rows, covariates):
    """Per row: intent, arm, {metric: (y, x)} with a missing x as 0."""
    out = []
    for intent, arm, converted, spend, history, visits in rows:
        vals = {"converted": float(converted), "spend": float(spend)}
        cov = {"history": 0.0 if history is None else history,
               "prior_visits": 0.0 if visits is None else float(visits)}
        out.append((intent, arm,
                    {m: (vals[m], cov[covariates[m]]) for m in covariates}))
    return out


def compare_rows(units, covariates, segments, metrics, arms, min_cell=10):
    rows = []
    for seg in ["(all)"] + segments:
        for metric in metrics:
            for arm in arms[1:]:
                def pick(a):
                    sel = [u for u in units if u[1] == a and
                           (seg == "(all)" or u[0] == seg)]
                    y = np.array([u[2][metric][0] for u in sel])
                    x = np.array([u[2][metric][1] for u in sel])
                    return y, x
                ya, xa = pick(arm)
                yc, xc = pick(arms[0])
                if len(ya) < min_cell or len(yc) < min_cell:
                    rows.append(dict(intent=seg, metric=metric, arm=arm,
                                     suppressed=True,
                                     family=seg == "(all)"))
                    continue
                theta, adj_a, adj_c = cuped(ya, xa, yc, xc)
                va, vc = np.var(adj_a, ddof=1) / len(ya), \
                    np.var(adj_c, ddof=1) / len(yc)
                raw = np.var(ya, ddof=1) / len(ya) + \
                    np.var(yc, ddof=1) / len(yc)
                diff = adj_a.mean() - adj_c.mean()
                se = np.sqrt(va + vc)
                df = (va + vc) ** 2 / (va ** 2 / (len(ya) - 1) +
                                       vc ** 2 / (len(yc) - 1))
                t = stats.ttest_ind(adj_a, adj_c, equal_var=False)
                ols_check(ya, xa, yc, xc, diff, se)
                rows.append(dict(
                    intent=seg, metric=metric, arm=arm, suppressed=False,
                    family=seg == "(all)", n_control=len(yc), n_arm=len(ya),
                    mean_control=yc.mean(), mean_arm=ya.mean(), diff=diff,
                    se=se, df=df, p=float(t.pvalue), theta=theta,
                    vr=1 - (va + vc) / raw, m0=adj_c.mean(), v1=va, v0=vc,
                    covariate=covariates[metric]))
    for family in (True, False):
        tested = [r for r in rows if r["family"] == family and
                  not r["suppressed"]]
        if not tested:
            continue
        adjusted = multipletests([r["p"] for r in tested], method="holm")[1]
        for r, pa in zip(tested, adjusted):
            r["p_adj"] = float(pa)
            if pa == r["p"]:
                a = ALPHA
            elif pa == 0:
                a = ALPHA / len(tested)
            else:
                a = ALPHA * r["p"] / pa
            r["level"] = 1 - a
            c = stats.t.isf(a / 2, r["df"])
            r["low"], r["high"] = r["diff"] - c * r["se"], r["diff"] + c * r["se"]
            r["lift"], r["lift_low"], r["lift_high"] = fieller(
                r["diff"], r["m0"], r["v1"], r["v0"], c)
            r["verdict"] = ("better" if r["diff"] > 0 else "worse") \
                if pa < ALPHA else "inconclusive"
    return rows


def expected_csv(rows):
    lines = [COLUMNS]
    for r in rows:
        if r["suppressed"]:
            cells = [r["intent"], r["metric"], r["arm"]] + [""] * 13 + \
                ["suppressed", r.get("covariate", ""), "", ""]
            lines.append(",".join(cells))
            continue
        cells = [r["intent"], r["metric"], r["arm"], r["n_control"],
                 r["n_arm"], r["mean_control"], r["mean_arm"], r["diff"],
                 r["low"], r["high"], r["lift"], r["lift_low"],
                 r["lift_high"], "welch", r["p"], r["p_adj"], r["level"],
                 r["verdict"], r["covariate"], r["theta"], r["vr"]]
        lines.append(",".join(fmt(c) for c in cells))
    return "\n".join(lines) + "\n"


def write_case(name, command, expected, stderr="", columns=COLUMNS):
    folder = os.path.join(CASES, name)
    os.makedirs(folder, exist_ok=True)
    rows = expected.count("\n") - 1
    with open(os.path.join(folder, "cmd"), "w") as f:
        f.write(command + " > \"$OUT/got.csv\" &&\n"
                "awk -F, -v COLUMNS=" + columns +
                " -f ../../csv-columns.awk \"$OUT/got.csv\" > \"$OUT/cols.csv\" &&\n"
                "awk -F, -v TOL=1e-6 -f ../../csv-close.awk expected.csv "
                "\"$OUT/cols.csv\" && echo '%d rows agree'\n" % rows)
    with open(os.path.join(folder, "expected.csv"), "w") as f:
        f.write(expected)
    with open(os.path.join(folder, "stdout"), "w") as f:
        f.write("%d rows agree\n" % rows)
    with open(os.path.join(folder, "status"), "w") as f:
        f.write("0\n")
    path = os.path.join(folder, "stderr")
    if stderr:
        with open(path, "w") as f:
            f.write(stderr)
    elif os.path.exists(path):
        os.remove(path)


def frontier_rows(units, segments, arms, weights, min_cell=10):
    """tact-frontier's net value under CUPED, from per-unit adjusted
    values: each weighted metric adjusted by the theta of its pair."""
    lines = ["intent,arm,n_control,n_arm,mean_control,mean_arm,diff,se,df,"
             "p_value"]
    for seg in ["(all)"] + segments:
        for arm in arms[1:]:
            def pick(a):
                return [u for u in units if u[1] == a and
                        (seg == "(all)" or u[0] == seg)]
            ua, uc = pick(arm), pick(arms[0])
            if len(ua) < min_cell or len(uc) < min_cell:
                continue
            net_a = np.zeros(len(ua))
            net_c = np.zeros(len(uc))
            for metric, w in weights.items():
                ya = np.array([u[2][metric][0] for u in ua])
                xa = np.array([u[2][metric][1] for u in ua])
                yc = np.array([u[2][metric][0] for u in uc])
                xc = np.array([u[2][metric][1] for u in uc])
                theta, adj_a, adj_c = cuped(ya, xa, yc, xc)
                net_a += w * adj_a
                net_c += w * adj_c
            v1 = np.var(net_a, ddof=1) / len(ua)
            v0 = np.var(net_c, ddof=1) / len(uc)
            df = (v0 + v1) ** 2 / (v1 ** 2 / (len(ua) - 1) +
                                   v0 ** 2 / (len(uc) - 1))
            diff = net_a.mean() - net_c.mean()
            se = np.sqrt(v0 + v1)
            p = 2 * stats.t.sf(abs(diff) / se, df)
            lines.append(",".join(fmt(c) for c in (
                seg, arm, len(uc), len(ua), net_c.mean(), net_a.mean(), diff,
                se, df, p)))
    return "\n".join(lines) + "\n"


def fold_sessions(rows):
    """Sessions (visitor, intent, arm, converted, spend, history, visits)
    folded into units: first session's segment, arm and covariates;
    converted max, spend sum."""
    units, order = {}, []
    for v, intent, arm, conv, spend, history, visits in rows:
        if v not in units:
            units[v] = [intent, arm, conv, spend, history, visits]
            order.append(v)
        else:
            u = units[v]
            u[2] = max(u[2], conv)
            u[3] = u[3] + spend
    return [tuple(units[v]) for v in order]


def unit_header():
    """The small sample of the unit test: theta, adjusted samples."""
    y_arm = np.array([3.0, 4.0, 7.5, 2.0, 9.0, 5.5, 6.0])
    x_arm = np.array([2.0, 3.5, 6.0, 1.0, 8.0, 0.0, 4.0])
    y_control = np.array([1.0, 2.5, 6.0, 3.0, 0.5, 4.0])
    x_control = np.array([1.5, 2.0, 7.0, 3.0, 0.0, 5.0])
    theta, adj_a, adj_c = cuped(y_arm, x_arm, y_control, x_control)
    raw = np.var(y_arm, ddof=1) / 7 + np.var(y_control, ddof=1) / 6
    adj = np.var(adj_a, ddof=1) / 7 + np.var(adj_c, ddof=1) / 6
    xbar = np.concatenate([x_arm, x_control]).mean()
    lines = ["/* Written by tests/expected/cuped.py: do not edit. */",
             "static const double CUPED_Y_ARM[] = {%s};" %
             ", ".join(repr(v) for v in y_arm),
             "static const double CUPED_X_ARM[] = {%s};" %
             ", ".join(repr(v) for v in x_arm),
             "static const double CUPED_Y_CONTROL[] = {%s};" %
             ", ".join(repr(v) for v in y_control),
             "static const double CUPED_X_CONTROL[] = {%s};" %
             ", ".join(repr(v) for v in x_control),
             "#define CUPED_THETA %r" % theta,
             "#define CUPED_X_BAR %r" % xbar,
             "#define CUPED_MEAN_ARM %r" % adj_a.mean(),
             "#define CUPED_MEAN_CONTROL %r" % adj_c.mean(),
             "#define CUPED_VARIANCE_ARM %r" % np.var(adj_a, ddof=1),
             "#define CUPED_VARIANCE_CONTROL %r" % np.var(adj_c, ddof=1),
             "#define CUPED_VARIANCE_REDUCTION %r" % (1 - adj / raw)]
    with open(os.path.join(HERE, "cuped_expected.h"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    segments = ["browse", "buy", "support"]
    sizes = {"browse": dict(control=420, a=400, b=380),
             "buy": dict(control=260, a=250, b=270),
             "support": dict(control=150, a=160, b=140)}
    rows = draw(17, sizes)
    write_rows(os.path.join(DATA, "cuped-three.csv"), rows)
    half = len(rows) // 2
    write_rows(os.path.join(DATA, "cuped-shard1.csv"), rows[:half])
    write_rows(os.path.join(DATA, "cuped-shard2.csv"), rows[half:])
    covariates = {"converted": "prior_visits", "spend": "history"}
    units = units_of(rows, covariates)
    arms = ["control", "a", "b"]
    expected = expected_csv(compare_rows(units, covariates, segments,
                                         ["converted", "spend"], arms))
    missing_h = sum(1 for r in rows if r[4] is None)
    missing_v = sum(1 for r in rows if r[5] is None)
    flags = ("--goal converted --value spend --annoyance '' "
             "--covariate spend=history --covariate converted=prior_visits")

    def note(tool, count, name):
        return "%s: covariate %s: %d units had no value, counted as 0\n" % (
            tool, name, count)
    # In the order the covariates are given: history, then prior_visits.
    notes = note("tact-compare", missing_h, "history") + \
        note("tact-compare", missing_v, "prior_visits")
    write_case("cuped-verify-three",
               "tact-compare --quiet " + flags + " ../../data/cuped-three.csv",
               expected, notes)
    write_case("cuped-verify-summary",
               "tact-summarize --quiet " + flags +
               " ../../data/cuped-three.csv 2>/dev/null |\n"
               "tact-compare --quiet -", expected, notes)
    write_case("cuped-verify-shards",
               "tact-summarize --quiet " + flags +
               " ../../data/cuped-shard1.csv > \"$OUT/1.csv\" 2>/dev/null &&\n"
               "tact-summarize --quiet " + flags +
               " ../../data/cuped-shard2.csv > \"$OUT/2.csv\" 2>/dev/null &&\n"
               "tact-merge --quiet \"$OUT/1.csv\" \"$OUT/2.csv\" 2>/dev/null |\n"
               "tact-compare --quiet -", expected, notes)
    # The frontier: net value of the adjusted metrics.
    weights = {"converted": 40.0, "spend": 1.0}
    write_case("cuped-verify-frontier",
               "tact-frontier --quiet " + flags +
               " --weights converted=40,spend=1 ../../data/cuped-three.csv",
               frontier_rows(units, segments, arms, weights),
               note("tact-frontier", missing_h, "history") +
               note("tact-frontier", missing_v, "prior_visits"),
               columns="intent,arm,n_control,n_arm,mean_control,mean_arm,"
                       "diff,se,df,p_value")
    # Sessions folded by visitor: the first session's covariate.
    rng = np.random.default_rng(29)
    sessions = []
    small = draw(31, {"browse": dict(control=150, a=140, b=160),
                      "buy": dict(control=120, a=130, b=110)})
    for i, r in enumerate(small):
        for k in range(int(rng.integers(1, 4))):
            history = r[4] if k == 0 else (
                None if rng.random() < 0.5 else float(rng.integers(0, 500)))
            sessions.append(("v%d" % i, r[0], r[1], int(rng.random() < 0.2),
                             float(np.round(rng.gamma(1.5, 10.0), 2)),
                             history, r[5]))
    order = rng.permutation(len(sessions))
    sessions = [sessions[i] for i in order]
    write_rows(os.path.join(DATA, "cuped-sessions.csv"), sessions,
               "visitor_id,intent,arm,converted,spend,history,prior_visits")
    folded = fold_sessions(sessions)
    s_units = units_of(folded, {"spend": "history"})
    s_expected = expected_csv(compare_rows(s_units, {"spend": "history"},
                                           ["browse", "buy"], ["spend"],
                                           arms))
    write_case("cuped-verify-sessions",
               "tact-compare --quiet --goal '' --value spend --annoyance '' "
               "--covariate spend=history ../../data/cuped-sessions.csv",
               s_expected,
               note("tact-compare", sum(1 for u in folded if u[4] is None),
                    "history"))
    unit_header()


if __name__ == "__main__":
    main()
