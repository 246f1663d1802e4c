#!/usr/bin/python3
"""Expected tact-frontier figures, computed independently from the raw rows.

Reads tests/cli/data/frontier-fixture.csv (made by tact-simulate, every row
with consent and no missing value), computes for each intent and pooled the
net value V = 40 converted - 0.5 bounced - 12 unsubscribed of every visitor,
then with numpy/scipy: the means per arm, Welch's test and interval of the
difference (per-unit variances, Welch-Satterthwaite degrees of freedom),
the p-values adjusted with statsmodels' multipletests within each family
(the pooled row alone; the four intents), each row's interval level
1 - alpha p / p_adjusted and the intervals at it (difference, gain, cost;
the difference also at 95%), the verdicts from p_adjusted < alpha, the
break-even weights (closed form) and the weights where the verdict flips
(found numerically with scipy's brentq on the interval bounds at the row's
level, not with tact's quadratic), Cochran's Q, I^2 and the
Gail-Simon p-value (SAS/QualInt formula) across the four intents, and the
policy values per 1,000 visitors.  It also computes the interval that
ignores the covariance between outcomes, to show it differs.

Writes tests/cli/cases/frontier-verify/expected.csv (same columns as
tact-frontier's CSV, Holm), expected-bh.csv (--correction bh),
expected-none.csv (--correction none), expected-tests.csv (as --tests) and
expected-nocov.csv (as --ignore-covariance).
Run: /usr/bin/python3 tests/expected/frontier.py
"""
import csv
import math
import os

import numpy as np
from scipy import optimize, stats
from statsmodels.stats.multitest import multipletests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURE = os.path.join(ROOT, "tests/cli/data/frontier-fixture.csv")
OUT = os.path.join(ROOT, "tests/cli/cases/frontier-verify")
METRICS = ["converted", "bounced", "unsubscribed"]   # weighted
TESTED = METRICS + ["revenue"]                       # tested across segments
W = {"converted": 40.0, "bounced": -0.5, "unsubscribed": -12.0}
GAIN = ["converted"]
COST = ["bounced", "unsubscribed"]
CONF = 0.95


def load():
    rows = list(csv.DictReader(open(FIXTURE)))
    data = {}
    for r in rows:
        assert r["consent"] == "1"
        key = (r["intent"], r["arm"])
        data.setdefault(key, []).append([float(r[m]) for m in TESTED])
    return {k: np.array(v) for k, v in data.items()}


def mean_and_var(x, metrics, ignore_cov=False):
    """Mean of sum w x over the metrics, and the variance of that mean."""
    idx = [METRICS.index(m) for m in metrics]
    w = np.array([W[m] for m in metrics])
    sub = x[:, idx]
    n = len(sub)
    if ignore_cov:
        var = sum(w[i] ** 2 * np.var(sub[:, i], ddof=1) for i in range(len(idx)))
    else:
        v = sub @ w  # per-unit net value: the covariance is in here
        var = np.var(v, ddof=1)
    return float(np.mean(sub @ w)), var / n, n


def measure(ctrl, arm, ignore_cov=False):
    """The figures that do not depend on the other rows."""
    m0, v0, n0 = mean_and_var(ctrl, METRICS, ignore_cov)
    m1, v1, n1 = mean_and_var(arm, METRICS, ignore_cov)
    se = math.sqrt(v0 + v1)
    df = (v0 + v1) ** 2 / (v1 ** 2 / (n1 - 1) + v0 ** 2 / (n0 - 1))
    p = 2 * stats.t.sf(abs(m1 - m0) / se, df)
    return p


def compare(ctrl, arm, ignore_cov=False, p_adjusted=None, family=1,
            no_correction=False):
    m0, v0, n0 = mean_and_var(ctrl, METRICS, ignore_cov)
    m1, v1, n1 = mean_and_var(arm, METRICS, ignore_cov)
    diff = m1 - m0
    se = math.sqrt(v0 + v1)
    df = (v0 + v1) ** 2 / (v1 ** 2 / (n1 - 1) + v0 ** 2 / (n0 - 1))
    p = 2 * stats.t.sf(abs(diff) / se, df)
    alpha = 1 - CONF
    if no_correction:
        a = alpha
    elif p_adjusted == 0:
        a = alpha / family
    else:
        a = alpha * p / p_adjusted
    t = stats.t.ppf(1 - a / 2, df)
    t0 = stats.t.ppf(1 - alpha / 2, df)
    g0, gv0, _ = mean_and_var(ctrl, GAIN, ignore_cov)
    g1, gv1, _ = mean_and_var(arm, GAIN, ignore_cov)
    c0, cv0, _ = mean_and_var(ctrl, COST, ignore_cov)
    c1, cv1, _ = mean_and_var(arm, COST, ignore_cov)
    out = dict(n_control=n0, n_arm=n1, mean_control=m0, mean_arm=m1, diff=diff,
               diff_low=diff - t * se, diff_high=diff + t * se, se=se, df=df,
               p_value=p, p_adjusted=p_adjusted, interval_level=1 - a,
               diff_low_unadjusted=diff - t0 * se,
               diff_high_unadjusted=diff + t0 * se,
               se_control=math.sqrt(v0), se_arm=math.sqrt(v1),
               gain=g1 - g0, gain_low=g1 - g0 - t * math.sqrt(gv0 + gv1),
               gain_high=g1 - g0 + t * math.sqrt(gv0 + gv1),
               cost=-(c1 - c0), cost_low=-(c1 - c0) - t * math.sqrt(cv0 + cv1),
               cost_high=-(c1 - c0) + t * math.sqrt(cv0 + cv1))
    out["verdict"] = ("inconclusive" if not p_adjusted < alpha else
                      "personalize" if diff > 0 else "hold back")
    # The rule: the interval excludes 0 exactly when the verdict is not
    # inconclusive.
    assert (out["diff_low"] > 0 or out["diff_high"] < 0) == (out["verdict"] != "inconclusive")
    # Break-even and flip weights, one metric at a time.
    for m in METRICS:
        k = METRICS.index(m)
        delta = arm[:, k].mean() - ctrl[:, k].mean()
        out["breakeven_" + m] = W[m] - diff / delta if delta != 0 else float("nan")

        def bounds(weight):
            saved = W[m]
            W[m] = weight
            a, va, na = mean_and_var(ctrl, METRICS, ignore_cov)
            b, vb, nb = mean_and_var(arm, METRICS, ignore_cov)
            W[m] = saved
            dd = b - a
            tt = t  # df and the row's level held at their values
            return dd - tt * math.sqrt(va + vb), dd + tt * math.sqrt(va + vb)

        # Where does a bound cross 0?  Scan outwards from the weight in small,
        # slowly growing steps for a sign change of either bound (the bounds
        # are not monotone in the weight), then refine with brentq.
        best = float("nan")
        for which in (0, 1):
            f = lambda x: bounds(x)[which]
            for direction in (-1, 1):
                step = 0.01 * max(1.0, abs(W[m]))
                lo, f_lo = W[m], f(W[m])
                for _ in range(400):
                    hi = lo + direction * step
                    f_hi = f(hi)
                    if f_lo == 0 or f_lo * f_hi < 0:
                        root = optimize.brentq(f, min(lo, hi), max(lo, hi), xtol=1e-13, rtol=1e-14)
                        if math.isnan(best) or abs(root - W[m]) < abs(best - W[m]):
                            best = root
                        break
                    lo, f_lo = hi, f_hi
                    step *= 1.05
        out["flip_" + m] = best
    return out


def fmt(x):
    if isinstance(x, str):
        return x
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return repr(float(x))


def main():
    data = load()
    intents = sorted({k[0] for k in data})
    arms = ("control", "personalized")
    pooled = {a: np.vstack([data[(i, a)] for i in intents]) for a in arms}
    header = ["intent", "arm", "n_control", "n_arm", "mean_control", "mean_arm",
              "diff", "diff_low", "diff_high", "verdict", "se", "df", "p_value",
              "p_adjusted", "interval_level", "diff_low_unadjusted",
              "diff_high_unadjusted", "gain", "gain_low", "gain_high", "cost",
              "cost_low", "cost_high", "share"]
    for m in METRICS:
        header += ["breakeven_" + m, "flip_" + m]
    total = sum(len(pooled[a]) for a in arms)
    runs = ((False, "holm", "expected.csv"), (False, "fdr_bh", "expected-bh.csv"),
            (False, None, "expected-none.csv"), (True, "holm", "expected-nocov.csv"))
    for ignore_cov, method, name in runs:
        rows = []
        results = {}
        groups = {i: (pooled["control"], pooled["personalized"]) if i == "(all)"
                  else (data[(i, "control")], data[(i, "personalized")])
                  for i in ["(all)"] + intents}
        # Two families: the pooled row (one arm: alone), the intents.
        adjusted = {}
        for family in (["(all)"], intents):
            p = [measure(*groups[i], ignore_cov) for i in family]
            q = p if method is None else list(multipletests(p, method=method)[1])
            adjusted.update({i: (float(v), len(family)) for i, v in zip(family, q)})
        for intent in ["(all)"] + intents:
            c, a = groups[intent]
            r = compare(c, a, ignore_cov, *adjusted[intent],
                        no_correction=method is None)
            r["share"] = (len(c) + len(a)) / total
            results[intent] = r
            rows.append([intent, "personalized"] + [r[h] for h in header[2:]])
        with open(os.path.join(OUT, name), "w") as f:
            for row in [header] + rows:
                f.write(",".join(fmt(x) for x in row) + "\n")
        if name != "expected.csv":
            continue
        # Tests across the four intents and policies.
        tests = [["kind", "arm", "metric", "segments", "statistic", "df", "p_value",
                  "i_squared", "pooled_effect", "pooled_se", "policy",
                  "value_per_1000", "low", "high", "gain_per_1000", "gain_low",
                  "gain_high"]]
        for metric in TESTED + ["net value"]:
            d, s = [], []
            for intent in intents:
                c, a = data[(intent, "control")], data[(intent, "personalized")]
                if metric == "net value":
                    d.append(results[intent]["diff"])
                    s.append(results[intent]["se"])
                else:
                    k = TESTED.index(metric)
                    d.append(a[:, k].mean() - c[:, k].mean())
                    s.append(math.sqrt(np.var(a[:, k], ddof=1) / len(a) +
                                       np.var(c[:, k], ddof=1) / len(c)))
            d, s = np.array(d), np.array(s)
            w = 1 / s ** 2
            pooled_effect = (w * d).sum() / w.sum()
            q = (w * (d - pooled_effect) ** 2).sum()
            K = len(d)
            i2 = max(0.0, (q - (K - 1)) / q) if q > 0 else 0.0
            qp = ((d / s) ** 2)[d > 0].sum()
            qn = ((d / s) ** 2)[d < 0].sum()
            c = min(qp, qn)
            gs = sum(math.comb(K - 1, h) / 2 ** (K - 1) * stats.chi2.sf(c, h)
                     for h in range(1, K))
            tests.append(["cochran_q", "personalized", metric, K, q, K - 1,
                          stats.chi2.sf(q, K - 1), i2, pooled_effect,
                          1 / math.sqrt(w.sum())] + [""] * 7)
            tests.append(["gail_simon", "personalized", metric, K, c, "", gs] + [""] * 10)
        z = stats.norm.ppf(1 - (1 - CONF) / 2)
        share_total = sum(results[i]["n_control"] + results[i]["n_arm"] for i in intents)
        for policy in ("no one", "everyone", "targeted"):
            value = var = gain = gvar = 0.0
            chosen = 0
            for i in intents:
                r = results[i]
                share = (r["n_control"] + r["n_arm"]) / share_total
                treat = policy == "everyone" or (policy == "targeted" and r["verdict"] == "personalize")
                if treat:
                    chosen += 1
                    value += share * r["mean_arm"]
                    var += share ** 2 * r["se_arm"] ** 2
                    gain += share * r["diff"]
                    gvar += share ** 2 * r["se"] ** 2
                else:
                    value += share * r["mean_control"]
                    var += share ** 2 * r["se_control"] ** 2
            tests.append(["policy", "personalized", "net value", chosen] + [""] * 6 +
                         [policy, 1000 * value, 1000 * (value - z * math.sqrt(var)),
                          1000 * (value + z * math.sqrt(var)), 1000 * gain,
                          1000 * (gain - z * math.sqrt(gvar)), 1000 * (gain + z * math.sqrt(gvar))])
        with open(os.path.join(OUT, "expected-tests.csv"), "w") as f:
            for row in tests:
                f.write(",".join(fmt(x) for x in row) + "\n")


if __name__ == "__main__":
    main()
