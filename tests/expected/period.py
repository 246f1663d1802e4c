#!/usr/bin/python3
"""Expected tact-compare --by-period figures, computed independently from the
raw rows with Python's datetime, NumPy, SciPy and statsmodels.

Fixtures (made by tact-simulate --days):
  tests/cli/data/period-rows.csv      one row per unit, 7 days, a fading
                                      effect (--fade 2); periods: UTC days
  tests/cli/data/period-sessions.csv  sessions (visitor_id), 21 days;
                                      periods: ISO weeks, each visitor in the
                                      week of its first session (its first
                                      row), like its intent and arm

For each period (datetime.fromisoformat, the UTC date or isocalendar week)
and for the units of every period up to it (cumulative), per segment (the
pooled "(all)" and each intent), metric and arm: the counts, the means, the
difference, the p-value (0/1 metrics: the pooled two-proportion z-test of
statsmodels, or scipy's Fisher exact test when an expected cell is under 5;
revenue: scipy's Welch t-test), the Holm-adjusted p-value within each family
(the pooled rows; the segment rows) of that period or cumulative step, the
verdict, and for revenue Welch's 95% interval of the difference.

Writes tests/cli/cases/period-verify/expected-rows.csv, expected-rows-welch.csv,
expected-sessions.csv and expected-sessions-welch.csv.
Run: /usr/bin/python3 tests/expected/period.py
"""
import csv
import datetime
import os

import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "tests/cli/data")
OUT = os.path.join(ROOT, "tests/cli/cases/period-verify")
METRICS = ["converted", "bounced", "unsubscribed", "revenue"]
DIRECTION = {"converted": 1, "bounced": -1, "unsubscribed": -1, "revenue": 1}
ALPHA = 0.05


def utc_date(text):
    t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.tzinfo is not None:
        t = t.astimezone(datetime.timezone.utc)
    return t.date()


def label(day, kind):
    if kind == "day":
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return "%04d-W%02d" % (year, week)


def read_units(path, kind, unit_column=None):
    """Units as dicts: intent, arm, period, metric values."""
    units = {}
    order = []
    with open(path, newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            key = row[unit_column] if unit_column else i
            values = {m: float(row[m]) for m in METRICS}
            if key not in units:
                units[key] = {"intent": row["intent"], "arm": row["arm"],
                              "period": label(utc_date(row["time"]), kind),
                              **values}
                order.append(key)
            else:
                u = units[key]
                for m in METRICS:
                    # outcomes: any session; revenue: summed
                    u[m] = u[m] + values[m] if m == "revenue" else max(u[m], values[m])
    return [units[k] for k in order]


def test(metric, c, a):
    """p-value of one row (two-sided)."""
    if metric == "revenue":
        return stats.ttest_ind(a, c, equal_var=False).pvalue
    n1, n2 = len(c), len(a)
    k1, k2 = c.sum(), a.sum()
    pooled = (k1 + k2) / (n1 + n2)
    expected = [n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)]
    if min(expected) < 5:
        return stats.fisher_exact([[k2, n2 - k2], [k1, n1 - k1]]).pvalue
    if k1 + k2 == 0 or k1 + k2 == n1 + n2:
        return float("nan")
    return proportions_ztest([k2, k1], [n2, n1])[1]


def compare(units):
    """Rows (segment, metric, figures) of one comparison, tact's order."""
    segments = [("(all)", units)]
    for intent in sorted({u["intent"] for u in units}):
        segments.append((intent, [u for u in units if u["intent"] == intent]))
    rows = []
    for name, members in segments:
        for m in METRICS:
            c = np.array([u[m] for u in members if u["arm"] == "control"])
            a = np.array([u[m] for u in members if u["arm"] == "personalized"])
            row = {"segment": name, "metric": m, "n_control": len(c),
                   "n_arm": len(a), "mean_control": c.mean(),
                   "mean_arm": a.mean(), "diff": a.mean() - c.mean(),
                   "p": test(m, c, a), "family": "pooled" if name == "(all)"
                   else "segment"}
            if m == "revenue":
                v1, v2 = c.var(ddof=1) / len(c), a.var(ddof=1) / len(a)
                se = np.sqrt(v1 + v2)
                df = (v1 + v2) ** 2 / (v1 ** 2 / (len(c) - 1) + v2 ** 2 / (len(a) - 1))
                t = stats.t.ppf(0.975, df)
                row["low"], row["high"] = row["diff"] - t * se, row["diff"] + t * se
            rows.append(row)
    for family in ("pooled", "segment"):
        members = [r for r in rows if r["family"] == family and not np.isnan(r["p"])]
        adjusted = multipletests([r["p"] for r in members], method="holm")[1]
        for r, q in zip(members, adjusted):
            r["q"] = q
    for r in rows:
        q = r.get("q", float("nan"))
        r["verdict"] = "inconclusive"
        if q < ALPHA:
            r["verdict"] = "better" if r["diff"] * DIRECTION[r["metric"]] > 0 else "worse"
    return rows


def number(x):
    return "" if np.isnan(x) else repr(float(x))


def write(units, name):
    periods = sorted({u["period"] for u in units})
    main, welch = [], []
    for i, p in enumerate(periods):
        for scope, members in (("period", [u for u in units if u["period"] == p]),
                               ("cumulative", [u for u in units if u["period"] <= p])):
            for r in compare(members):
                main.append([p, scope, r["segment"], r["metric"], str(r["n_control"]),
                             str(r["n_arm"]), number(r["mean_control"]),
                             number(r["mean_arm"]), number(r["diff"]), number(r["p"]),
                             number(r.get("q", float("nan"))), r["verdict"]])
                if r["metric"] == "revenue":
                    welch.append([p, scope, r["segment"], number(r["low"]),
                                  number(r["high"])])
    for rows, suffix in ((main, ""), (welch, "-welch")):
        with open(os.path.join(OUT, "expected-%s%s.csv" % (name, suffix)), "w") as f:
            for row in rows:
                f.write(",".join(row) + "\n")


os.makedirs(OUT, exist_ok=True)
write(read_units(os.path.join(DATA, "period-rows.csv"), "day"), "rows")
write(read_units(os.path.join(DATA, "period-sessions.csv"), "week", "visitor_id"),
      "sessions")
