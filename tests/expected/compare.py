#!/usr/bin/python3
"""Fixtures and expected output for the tact-compare verification cases.

Run with Debian's /usr/bin/python3 (python3-scipy 1.10, python3-statsmodels
0.13, python3-pandas 1.5) from anywhere:

    /usr/bin/python3 tests/expected/compare.py

It draws four raw exports with fixed seeds and writes them to
tests/cli/data/compare-*.csv, then, for each option set of CASES_LIST
below, computes every figure of tact-compare's output from the raw rows
with pandas, SciPy and statsmodels, and writes
tests/cli/cases/compare-verify-NAME/{cmd,expected.csv or expected.flat,
status,stdout,stderr}: stdout is the checker's report ("N rows, M figures
agree"), stderr tact's warnings (and, for the sessions, its notes) in
tools/compare.c's and tools/cli/cli.c's words, so those templates here
follow any change of wording there.
It never runs tact: the cases compare tact's output with expected.csv
through tests/cli/csv-compare.awk (per-column tolerances) at test time,
without Python; the -json cases compare --format json the same way, after
tests/cli/json-flat.awk, with expected.flat (every figure, including each
segment's units, sample-ratio statistic and, with three arms, the
chi-square test of independence: scipy.stats.chi2_contingency(correction=
False) on arms x (had, had not), empty rows and columns left out); the
-summary cases run tact-summarize | tact-compare - against the same
expected.csv.  The script is deterministic: run twice, same files.

The fixtures
  compare-two.csv    two arms (control, variant), segments by intent and
                     device: large (a thousand units per arm) and tiny (3 and
                     4 units, 9, exactly 10, 11 and 12, one unit), rare events
                     (0.1% conversion), a segment with no conversion in the
                     control and one with none in the arm, one where every
                     unit converts (and none bounces or unsubscribes), one
                     without any revenue, one with units in the control only;
                     about 3% empty cells per metric (and a segment where
                     revenue is missing so often that only its row is
                     suppressed); rows without consent ("0", "no", "false"
                     or an empty cell) carrying values (2, 99999) that would
                     change every figure, and the binary/mean type of the
                     metric, if they were not left out; revenue zero for
                     non-buyers and lognormal for buyers (a few refunds,
                     negative, in "buy"), a count metric (pages, a goal that
                     is a mean); bounced written 0/1, no/yes or false/true;
                     labels in UTF-8 ("Zwölf") and in byte order
                     (upper case first).
  compare-three.csv  three arms (control, Zeta, alpha: byte order puts Zeta
                     first) planned 2:1:1, one segment drawn 1:1:1 (a
                     sample-ratio mismatch while the whole passes), a
                     segment without Zeta and one where nobody converts (the
                     independence test leaves out the empty row or column),
                     an annoyance metric that is a mean (complaints).
  compare-negative.csv no consent column; mean metrics only: profit (a
                     value metric) with negative control means (control
                     -10, arm -5: lift +50%; and a drop), a segment whose
                     control mean is not distinguishable from 0 (Fieller's
                     set unbounded: blank with a note), a lognormal segment
                     with sigma 2 (one unit outweighs hundreds), 12 and 11
                     units, and two equal arms; minutes (a goal that is a
                     non-negative heavy-tailed Pareto count: its lift never
                     below -100%).
  compare-sessions.csv sessions of 700 visitors (visitor_id) in time order,
                     1 to 5 each, alike within a visitor; a later session
                     may carry another intent, a few visitors' last session
                     is in the other arm (leaked), sessions without consent,
                     empty cells.  Folded into visitors by the reference as
                     lib/units.h documents (pandas groupby: max of goal and
                     annoyance outcomes, sum of values, missing only when
                     missing in every session, intent and arm of the first
                     session with consent), and with --unit '' as they are.
                     That case runs without --quiet and checks tact's notes
                     too (rows read, left out, missing values per metric,
                     groups, units, units in several arms), all but the
                     memory figure; --quiet silences all of them, the
                     warning about units in several arms included.
  compare-fisher.csv no consent column; 36 cohorts of 10 to 150 units per
                     arm, chosen on both sides of the rule "Fisher's test
                     when an expected cell count is under 5" (exactly 5 is a
                     z-test; 4.5, 4 and the failures' column are Fisher),
                     and two strong effects whose p-values are 1e-11 (Fisher)
                     and 1e-38 (z): p-values are compared relatively down to
                     1e-300.

The methods, as man/tact-compare.1 documents them, and where each comes from
  rate of a group     x / n
  its interval        statsmodels proportion_confint(method='wilson')
  families            the pooled "(all)" rows, and the segment rows, each
                      adjusted on its own (p_adjusted below)
  level               a_row = alpha p / p_adjusted (alpha when they are
                      equal or with --correction none; alpha / the family's
                      tested rows when p_adjusted = 0); interval_level =
                      1 - a_row; diff_low ... lift_high at that level, the
                      *_unadjusted columns at 1 - alpha.  The script asserts
                      on every row that the difference interval excludes 0
                      exactly when the verdict is better or worse.
  difference          the score interval that inverts the pooled z-test:
                      {d : |z(d)| <= c}, z(d) = (p1 - p0 - d) / sqrt(
                      p1~(1 - p1~)/n1 + p0~(1 - p0~)/n0), p~ the rates that
                      maximize the likelihood under p1 - p0 = d, found here
                      numerically (scipy brentq on the score equation), and
                      the bounds by brentq.  Not statsmodels'
                      confint_proportions_2indep(method='score'): 0.13.5
                      forces the N / (N - 1) factor on compare='diff' and its
                      cubic for the constrained rate has count0 where nobs0
                      belongs (its p~ is not the maximum: 0.05146 against
                      0.05163 for 173/2340 against 115/2304 at d = 0.02).
  lift (rates)        p1 / p0 - 1, the score interval of the ratio (the
                      same statistic at p1 = r p0, the compare='ratio' score
                      test of statsmodels with correction=False), by the
                      same numerical route; [-1, ...] when the arm has no
                      event, blank when the control has none.
  Fisher rows         both score intervals at the critical value
                      c |z0| / z_F (z_F = norm.isf(p_F / 2), one-sided
                      norm.isf(p_F)), capped at |z0| + c when Fisher does not
                      reject, c when z0 is 0 or undefined (man page).
  one-sided           proportions_ztest(alternative='larger'/'smaller'),
                      ttest_ind(alternative=...), fisher_exact(alternative=
                      ...); the interval's other end infinite (blank).
  z-test              statsmodels proportions_ztest (pooled variance, no
                      continuity correction).  The score test of
                      test_proportions_2indep(method='score') is the same
                      test only without Miettinen-Nurminen's N / (N - 1)
                      variance factor, and statsmodels 0.13.5 applies that
                      factor for compare='diff' even with correction=False
                      (proportion.py sets correction = True in that branch);
                      the script checks on every z row that
                      compare='ratio', value=1, correction=False gives
                      proportions_ztest's p-value, and that the 'diff' score
                      statistic is z sqrt((N - 1) / N).
  Fisher              scipy.stats.fisher_exact, two-sided, on
                      [[x1, n1 - x1], [x0, n0 - x0]]
  rule                Fisher when min(scipy.stats.contingency.expected_freq)
                      < 5, else z
  mean of a group     numpy mean of the non-missing values
  its interval        scipy.stats.t.interval(df = n - 1, scale = the
                      standard error with ddof = 1); [mean, mean] when the
                      variance is 0; rebuilt on a polished quantile (t_isf)
  difference (means)  scipy.stats.ttest_ind(equal_var=False) for t and p;
                      statsmodels CompareMeans.from_data(arm, control)
                      .tconfint_diff(usevar='unequal') for the interval,
                      rebuilt on the polished quantile at its dof_satt
  lift (means)        (m1 - m0) / |m0|, Fieller's interval in closed form:
                      the roots of (m1 - r m0)^2 = t^2 (s1^2/n1 + r^2 s0^2/n0)
                      at the polished t quantile of Welch's degrees of
                      freedom (r - 1, or 1 - r for a negative m0); blank
                      with a note when m0^2 <= t^2 s0^2/n0 (unbounded);
                      never below -1 for a goal or annoyance metric while
                      neither mean is negative
  fewer than 2 values no variance: the difference only, every other figure
                      blank and no test (only with --min-cell 1)
  p_adjusted          statsmodels multipletests(method='holm' or 'fdr_bh')
                      over the p-values of the tested rows of each family
  verdict             better / worse when p_adjusted < 1 - confidence (by
                      the sign of diff and the metric's direction), else
                      inconclusive; suppressed when a group has fewer than
                      --min-cell non-missing values (or none)
  chance, loss (rates) Beta(1 + x, 1 + n - x) posteriors, by
                      scipy.integrate.quad: chance = P(U > V) as the integral
                      of f_V(t) S_U(t) and again as that of f_U(t) F_V(t)
                      (the two must agree to 1e-9), the loss E[max(V - U, 0)]
                      as the integral of f_V(v) (v F_U(v) - E[U] F_U+(v)) with
                      U+ ~ Beta(a_U + 1, b_U) (the partial expectation of U),
                      where U is the arm for goals and the control for
                      annoyances.  A different integrand from lib/bayes.c's.
  chance, loss (means) normal posterior of the difference, d and s = sqrt(
                      s1^2/n1 + s0^2/n0): chance = norm.cdf(d / s), loss by
                      quad of -x times the N(d, s^2) density over x < 0
                      (checked against the closed form s phi(d/s) -
                      d Phi(-d/s)); with s = 0, 1 / 0.5 / 0 and max(-d, 0)
  srm_p_value         scipy.stats.chisquare(units per arm, f_exp = total x
                      planned share), units = rows with consent
  non-inferiority     statsmodels test_proportions_2indep(compare='ratio',
                      value=1 + margin, alternative='smaller',
                      method='score') (Miettinen-Nurminen, correction
                      N / (N - 1)); when it cannot run (no control event,
                      where it divides by p0 first) the score_test_
                      proportions_2indep it wraps; blank when no group has
                      an event
Suppressed rows: every figure blank, counts and srm_p_value included; the
labels, metric, direction, arms, verdict and the margin (a setting echoed,
not a figure of the data) remain.  In JSON a segment's units under
--min-cell (but not 0) are null, as compare_write.c does (the table prints
"<10"); the man page does not say so.

Standard error: a warning for each segment whose srm_p_value is under 0.001,
in tools/compare.c's words (the pooled one; a segment while the whole
passes; a segment while the whole fails), the p-value as %.3g.
"""
import csv
import io
import json
import math
import os
import re
import sys
import warnings

import numpy as np
import pandas as pd
import scipy
import statsmodels
from scipy import integrate, optimize, stats
from scipy.stats.contingency import expected_freq
from statsmodels.stats import proportion as smp
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import CompareMeans

warnings.simplefilter("ignore")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import privacy  # noqa: E402  (the suppression decision, beside this file)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "cli", "data")
CASES = os.path.join(ROOT, "tests", "cli", "cases")

COLUMNS = ["metric", "direction", "control", "arm", "n_control", "n_arm",
           "mean_control", "control_low", "control_high", "mean_arm", "arm_low",
           "arm_high", "diff", "diff_low", "diff_high", "lift", "lift_low",
           "lift_high", "test", "p_value", "p_adjusted", "chance_to_beat",
           "expected_loss", "srm_p_value", "verdict", "margin",
           "noninferiority_p_value", "family", "alternative", "interval_level",
           "lift_note", "diff_low_unadjusted", "diff_high_unadjusted",
           "lift_low_unadjusted", "lift_high_unadjusted"]
TEXT_COLUMNS = ("metric", "direction", "control", "arm", "test", "verdict", "family",
                "alternative", "lift_note")
NAN = math.nan


# ---- fixtures ---------------------------------------------------------

def money(rng):
    return "%.2f" % float(rng.lognormal(math.log(40.0), 0.9))


def write_export(name, header, rows):
    path = os.path.join(DATA, name)
    with open(path, "w", newline="", encoding="utf-8") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(r) + "\n")
    return path


def no_consent_rows(rng, count, make):
    """Rows without consent: their values would change the figures."""
    out = []
    for _ in range(count):
        row = make()
        row["consent"] = str(rng.choice(["0", "no", "false", ""]))
        out.append(row)
    return out


def fixture_two():
    """Two arms; large, tiny and degenerate segments; see the docstring."""
    rng = np.random.default_rng(20261129)
    header = ["intent", "device", "arm", "consent", "converted", "bounced",
              "unsubscribed", "revenue", "pages"]
    # intent: units (control, variant), conversion, bounce, unsubscribe
    # rates (control, variant), revenue missing rate
    plan = [
        ("browse", (1000, 1000), (0.02, 0.028), (0.40, 0.45), (0.002, 0.005)),
        ("buy", (400, 420), (0.10, 0.14), (0.20, 0.21), (0.01, 0.012)),
        ("rare", (700, 700), (0.001, 0.003), (0.30, 0.30), (0.001, 0.0015)),
        ("zero-control", (60, 60), (0.0, 0.12), (0.3, 0.3), (0.02, 0.02)),
        ("zero-arm", (60, 60), (0.12, 0.0), (0.3, 0.3), (0.02, 0.02)),
        ("everyone", (25, 30), (1.0, 1.0), (0.0, 0.0), (0.0, 0.0)),
        ("nospend", (40, 40), (0.0, 0.0), (0.5, 0.6), (0.05, 0.05)),
        ("tiny", (3, 4), (0.3, 0.5), (0.3, 0.5), (0.1, 0.1)),
        ("nine", (9, 15), (0.3, 0.3), (0.3, 0.3), (0.1, 0.1)),
        ("ten", (10, 10), (0.3, 0.5), (0.3, 0.3), (0.1, 0.1)),
        ("eleven", (11, 12), (0.2, 0.6), (0.4, 0.2), (0.1, 0.1)),
        ("Zwölf", (12, 12), (0.25, 0.5), (0.3, 0.2), (0.0, 0.1)),
        ("one", (1, 2), (1.0, 0.5), (0.0, 0.5), (0.0, 0.0)),
        ("control-only", (12, 0), (0.2, 0.2), (0.3, 0.3), (0.0, 0.0)),
        ("sparse-revenue", (50, 50), (0.3, 0.35), (0.3, 0.3), (0.02, 0.02)),
    ]
    rows = []
    for intent, units, conv, bounce, unsub in plan:
        for a, arm in enumerate(["control", "variant"]):
            for _ in range(units[a]):
                device = "mobile" if rng.random() < 0.6 else "desktop"
                c = int(rng.random() < conv[a])
                b = int(rng.random() < bounce[a])
                u = int(rng.random() < unsub[a])
                r = {"intent": intent, "device": device, "arm": arm,
                     "consent": str(rng.choice(["1", "1", "1", "1", "yes", "true"])),
                     "converted": str(c), "bounced": str(b), "unsubscribed": str(u),
                     "revenue": money(rng) if c and intent != "nospend" else "0",
                     "pages": str(int(rng.poisson(2.5 if a == 0 else 2.8)) + 1)}
                if intent == "everyone":
                    r["pages"] = str(int(rng.poisson(3)) + 1)
                # Empty cells, not in the boundary segments (whose counts
                # the cases rely on), except revenue in "ten" below.
                if intent not in ("ten", "nine", "eleven", "Zwölf", "tiny", "one"):
                    for k, rate in (("converted", 0.03), ("bounced", 0.02),
                                    ("unsubscribed", 0.02), ("revenue", 0.04),
                                    ("pages", 0.03)):
                        if rng.random() < rate:
                            r[k] = ""
                if intent == "sparse-revenue" and rng.random() < 0.85:
                    r["revenue"] = ""
                if rng.random() < 0.1:  # the other spellings of 0/1
                    r["bounced"] = str(rng.choice(["no", "false"] if b == 0 else ["yes", "true"]))
                if intent == "buy" and not c and rng.random() < 0.02:
                    r["revenue"] = "-%.2f" % float(rng.uniform(5, 60))  # a refund
                rows.append(r)
    # "ten": one revenue missing in the variant, so that only that row is
    # suppressed (9 values) while its rates are not (10 values).
    for r in rows:
        if r["intent"] == "ten" and r["arm"] == "variant":
            r["revenue"] = ""
            break

    def bad():
        return {"intent": str(rng.choice(["browse", "buy", "rare", "ten", "zero-control"])),
                "device": "mobile", "arm": str(rng.choice(["control", "variant"])),
                "converted": "2", "bounced": "1", "unsubscribed": "1",
                "revenue": "99999", "pages": "400"}
    rows += no_consent_rows(rng, 160, bad)
    order = rng.permutation(len(rows))
    write_export("compare-two.csv", header,
                 [[rows[i][k] for k in header] for i in order])


def fixture_three():
    """Three arms planned 2:1:1, one segment with a sample-ratio mismatch."""
    rng = np.random.default_rng(20261130)
    header = ["arm", "intent", "consent", "converted", "bounced", "revenue", "complaints"]
    arms = ["control", "Zeta", "alpha"]
    conv = {"control": 0.05, "Zeta": 0.04, "alpha": 0.075}
    bounce = {"control": 0.30, "Zeta": 0.36, "alpha": 0.29}
    complaints = {"control": 0.20, "Zeta": 0.35, "alpha": 0.18}
    # intent: units, planned probabilities of the arms
    plan = [("new", 900, (0.5, 0.25, 0.25)), ("returning", 1100, (0.5, 0.25, 0.25)),
            ("late", 330, (1 / 3, 1 / 3, 1 / 3)), ("mid", 90, (0.5, 0.25, 0.25)),
            ("small", 36, (0.5, 0.25, 0.25)),
            ("duo", 60, (2 / 3, 0.0, 1 / 3)),     # no Zeta: a row of zeros
            ("quiet", 80, (0.5, 0.25, 0.25))]     # nobody converts
    rows = []
    for intent, units, probs in plan:
        for _ in range(units):
            arm = arms[int(rng.choice(3, p=probs))]
            c = int(rng.random() < conv[arm]) if intent != "quiet" else 0
            r = {"arm": arm, "intent": intent,
                 "consent": str(rng.choice(["1", "1", "1", "yes"])),
                 "converted": str(c), "bounced": str(int(rng.random() < bounce[arm])),
                 "revenue": money(rng) if c else "0",
                 "complaints": str(int(rng.poisson(complaints[arm])))}
            for k, rate in (("converted", 0.02), ("bounced", 0.03), ("revenue", 0.03),
                            ("complaints", 0.05)):
                if rng.random() < rate:
                    r[k] = ""
            rows.append(r)

    def bad():
        return {"arm": str(rng.choice(arms)), "intent": str(rng.choice(["new", "late"])),
                "converted": "1", "bounced": "0", "revenue": "5000", "complaints": "9"}
    rows += no_consent_rows(rng, 80, bad)
    order = rng.permutation(len(rows))
    write_export("compare-three.csv", header,
                 [[rows[i][k] for k in header] for i in order])


def fixture_fisher():
    """Cohorts on both sides of the expected-count rule; no consent column."""
    rng = np.random.default_rng(20261201)
    header = ["cohort", "arm", "converted"]
    # (cohort, n_control, x_control, n_treatment, x_treatment): the first
    # ones are built on the rule's boundary (smallest expected count).
    cohorts = [
        ("b-exactly-5", 20, 4, 20, 6),       # 10 * 20 / 40 = 5: z
        ("b-4.5", 20, 4, 20, 5),             # 9 * 20 / 40 = 4.5: Fisher
        ("b-unequal-4", 40, 12, 10, 8),      # 10 * 20 / 50 = 4: Fisher
        ("b-unequal-5", 40, 17, 10, 8),      # 10 * 25 / 50 = 5: z
        ("b-failures-1", 40, 36, 10, 9),     # 10 * 5 / 50 = 1: Fisher
        ("b-failures-5", 30, 5, 30, 5),      # 30 * 10 / 60 = 5: z
        ("b-none", 25, 0, 25, 0),            # nobody: Fisher, p = 1
        ("b-all", 15, 15, 18, 18),           # everybody: Fisher, p = 1
        ("b-large-rare", 150, 1, 150, 6),    # 300 units, 7 events: Fisher
        ("b-large-z", 150, 20, 150, 35),
        ("b-strong-fisher", 150, 10, 10, 10),  # 10 * 20 / 160: Fisher, p ~ 1e-11
        ("b-strong-z", 150, 10, 150, 120),   # z ~ 13, p ~ 1e-38
    ]
    for k in range(24):
        n0 = int(rng.integers(10, 120))
        n1 = int(rng.integers(10, 120))
        p = float(rng.choice([0.02, 0.05, 0.1, 0.3, 0.5, 0.9]))
        lift = float(rng.choice([0.7, 1.0, 1.3, 2.0]))
        x0 = int(rng.binomial(n0, p))
        x1 = int(rng.binomial(n1, min(1.0, p * lift)))
        cohorts.append(("r%02d" % k, n0, x0, n1, x1))
    rows = []
    for cohort, n0, x0, n1, x1 in cohorts:
        assert 0 <= x0 <= n0 and 0 <= x1 <= n1, cohort
        for arm, n, x in (("control", n0, x0), ("treatment", n1, x1)):
            values = np.zeros(n, dtype=int)
            values[:x] = 1
            rng.shuffle(values)
            rows += [[cohort, arm, str(v)] for v in values]
    order = rng.permutation(len(rows))
    write_export("compare-fisher.csv", header, [rows[i] for i in order])


def fixture_negative():
    """Mean metrics only, heavy-tailed and negative (see the docstring)."""
    rng = np.random.default_rng(20261206)
    header = ["segment", "arm", "profit", "minutes"]
    # segment: units (control, treatment), profit means, profit sd, kind
    plan = [("loss", (150, 160), (-10.0, -5.0), 30.0, "normal"),
            ("loss-worse", (120, 110), (-4.0, -9.0), 12.0, "normal"),
            ("near-zero", (100, 100), (0.5, 3.0), 30.0, "normal"),
            ("heavy", (400, 380), (0.0, 0.0), 2.0, "lognormal"),
            ("small", (12, 11), (5.0, 9.0), 4.0, "normal"),
            ("flat", (80, 80), (20.0, 20.0), 0.5, "normal")]
    rows = []
    for segment, units, means, sd, kind in plan:
        for a, arm in enumerate(["control", "treatment"]):
            for _ in range(units[a]):
                if kind == "lognormal":  # one unit can outweigh hundreds
                    profit = float(rng.lognormal(1.0 + 0.3 * a, sd))
                else:
                    profit = float(rng.normal(means[a], sd))
                minutes = float(rng.pareto(1.5 if a else 1.8)) * 3
                rows.append([segment, arm, "%.2f" % profit, "%.3f" % minutes])
    order = rng.permutation(len(rows))
    write_export("compare-negative.csv", header, [rows[i] for i in order])


def fixture_sessions():
    """Sessions of visitors, in time order (see the docstring)."""
    rng = np.random.default_rng(20261202)
    header = ["visitor_id", "intent", "arm", "consent", "converted", "bounced", "revenue"]
    intents = ["browse", "buy", "research"]
    conv = {"browse": 0.02, "buy": 0.12, "research": 0.05}
    sessions = []
    for v in range(700):
        arm = "variant" if rng.random() < 0.5 else "control"
        intent = str(rng.choice(intents))
        taste = float(rng.lognormal(0, 0.7))  # what makes a visitor's sessions alike
        start = float(rng.uniform(0, 1000))
        count = min(1 + int(rng.poisson(0.9)), 5)
        for k in range(count):
            session_intent = intent if k == 0 or rng.random() < 0.8 else str(rng.choice(intents))
            session_arm = arm
            if v % 60 == 7 and k == count - 1 and count > 1:
                session_arm = "control" if arm == "variant" else "variant"  # leaked
            rate = min(1.0, conv[session_intent] * taste * (1.3 if session_arm == "variant" else 1.0))
            c = int(rng.random() < rate)
            r = {"visitor_id": "v%04d" % v, "intent": session_intent, "arm": session_arm,
                 "consent": "1" if rng.random() < 0.95 else str(rng.choice(["0", ""])),
                 "converted": str(c),
                 "bounced": str(int(rng.random() < min(1.0, 0.3 * taste))),
                 "revenue": money(rng) if c else "0"}
            for key, miss in (("converted", 0.04), ("bounced", 0.04), ("revenue", 0.06)):
                if rng.random() < miss:
                    r[key] = ""
            sessions.append((start + k * float(rng.uniform(1, 200)), r))
    sessions.sort(key=lambda t: t[0])
    write_export("compare-sessions.csv", header,
                 [[r[k] for k in header] for _, r in sessions])


def fold_sessions(df, unit, goal, annoyance, value):
    """Sessions (with consent) folded into units, as lib/units.h documents:
    a goal or annoyance outcome is the largest over the unit's sessions, a
    value the sum, missing only when missing in every session; segment and
    arm those of its first session.  Returns the units as strings, and the
    number of units seen in more than one arm."""
    numbers = df.copy()
    for m in goal + annoyance + value:
        numbers[m] = pd.to_numeric(numbers[m].replace("", np.nan))
    grouped = numbers.groupby(unit, sort=False)
    rules = {m: "max" for m in goal + annoyance}
    rules.update({c: "first" for c in df.columns if c not in goal + annoyance + value})
    units = grouped.agg(rules)
    for m in value:
        units[m] = grouped[m].sum(min_count=1)
    several = int((grouped["arm"].nunique() > 1).sum())
    for m in goal + annoyance + value:
        units[m] = [("" if math.isnan(x) else repr(float(x))) for x in units[m]]
    return units.reset_index(drop=True), several


# ---- the reference computation -------------------------------------------

def read_export(name, consent):
    """The raw rows as strings; the rows with consent (1, true, yes)."""
    df = pd.read_csv(os.path.join(DATA, name), dtype=str, keep_default_na=False,
                     encoding="utf-8")
    if consent:
        df = df[df[consent].isin(["1", "true", "yes"])]
    return df


def values(frame, metric):
    """Non-missing values of a metric: empty cells are missing; yes/true
    are 1 and no/false 0."""
    cells = frame[metric]
    cells = cells[cells != ""].replace({"yes": "1", "true": "1", "no": "0", "false": "0"})
    return cells.astype(float).to_numpy()


def wilson(x, n, alpha):
    return smp.proportion_confint(x, n, alpha=alpha, method="wilson")


def beta_window(laws):
    lo = min(l.mean() - 40 * l.std() for l in laws)
    hi = max(l.mean() + 40 * l.std() for l in laws)
    lo, hi = max(lo, 0.0), min(hi, 1.0)
    points = sorted({min(max(l.mean() + k * l.std(), lo), hi)
                     for l in laws for k in (-5, -1, 0, 1, 5)} - {lo, hi})
    return lo, hi, points


def quad(f, lo, hi, points):
    value, error = integrate.quad(f, lo, hi, points=points or None, limit=500,
                                  epsabs=1e-15, epsrel=1e-11)
    return value


def bayes_rates(x1, n1, x0, n0, up):
    arm = stats.beta(1 + x1, 1 + n1 - x1)
    control = stats.beta(1 + x0, 1 + n0 - x0)
    u, v = (arm, control) if up else (control, arm)  # u wins when larger
    a_u, b_u = u.args
    u_plus = stats.beta(a_u + 1, b_u)
    lo, hi, points = beta_window([u, v])
    chance = quad(lambda t: v.pdf(t) * u.sf(t), lo, hi, points)
    other = quad(lambda t: u.pdf(t) * v.cdf(t), lo, hi, points)
    assert abs(chance - other) < 1e-9, (x1, n1, x0, n0, chance, other)
    loss = quad(lambda t: v.pdf(t) * (t * u.cdf(t) - u.mean() * u_plus.cdf(t)),
                lo, hi, points)
    return chance, max(loss, 0.0)


def bayes_means(d, s):
    if s == 0:
        return (1.0 if d > 0 else 0.0 if d < 0 else 0.5), max(-d, 0.0) + 0.0
    chance = stats.norm.cdf(d / s)
    loss = integrate.quad(lambda x: -x * stats.norm.pdf(x, d, s), -np.inf, 0,
                          epsabs=0, epsrel=1e-12, limit=200)[0]
    closed = s * stats.norm.pdf(d / s) - d * stats.norm.cdf(-d / s)
    assert abs(loss - closed) <= 1e-9 * max(abs(closed), 1e-300) + 1e-300, (loss, closed)
    return chance, loss


SMALLER = {"greater": "larger", "less": "smaller"}


def rate_row(row, x1, n1, x0, n0, conf, up, margin, alternative):
    """The figures of a 0/1 row that do not depend on its family: the
    intervals come later (intervals())."""
    alpha = 1 - conf
    row["mean_arm"], row["mean_control"] = x1 / n1, x0 / n0
    row["arm_low"], row["arm_high"] = wilson(x1, n1, alpha)
    row["control_low"], row["control_high"] = wilson(x0, n0, alpha)
    row["diff"] = x1 / n1 - x0 / n0
    if x0 == 0:
        row["lift_note"] = "no event in the control"
    else:
        row["lift"] = (x1 / n1) / (x0 / n0) - 1
    table = np.array([[x1, n1 - x1], [x0, n0 - x0]])
    z0 = smp.proportions_ztest([x1, x0], [n1, n0])[0] if 0 < x1 + x0 < n1 + n0 else NAN
    if expected_freq(table).min() < 5:
        row["test"] = "fisher"
        row["p_value"] = stats.fisher_exact(
            table, alternative="two-sided" if alternative == "two-sided" else alternative)[1]
        row["statistic"] = NAN
    else:
        row["test"] = "z"
        z, p = smp.proportions_ztest([x1, x0], [n1, n0],
                                     alternative=SMALLER.get(alternative, "two-sided"))
        # The pooled z-test is the score test of p1 = p0 without the
        # N / (N - 1) factor.  statsmodels 0.13's compare='diff' score test
        # sets correction = True whatever it is given, so the check goes
        # through compare='ratio', value=1, whose constrained rates are
        # the pooled rate too; and the 'diff' statistic is z sqrt((N-1)/N).
        score = smp.test_proportions_2indep(x1, n1, x0, n0, method="score",
                                            compare="ratio", value=1, correction=False,
                                            alternative=SMALLER.get(alternative, "two-sided"))
        assert abs(score.pvalue - p) <= 1e-9 * p, (p, score.pvalue)
        diff_score = smp.test_proportions_2indep(x1, n1, x0, n0, method="score",
                                                 compare="diff", correction=False)
        total = n1 + n0
        assert abs(diff_score.statistic - z * math.sqrt((total - 1) / total)) <= 1e-9 * abs(z)
        row["p_value"], row["statistic"] = p, z
    row["_data"] = ("rate", x1, n1, x0, n0, z0)
    if not math.isnan(margin):
        if x1 + x0 > 0:
            if x0 > 0:
                res = smp.test_proportions_2indep(
                    x1, n1, x0, n0, value=1 + margin, compare="ratio",
                    alternative="smaller", method="score")
            else:  # test_proportions_2indep divides by p0 first
                res = smp.score_test_proportions_2indep(
                    x1, n1, x0, n0, value=1 + margin, compare="ratio",
                    alternative="smaller")
            if res.variance > 0:
                row["noninferiority_p_value"] = res.pvalue
    row["chance_to_beat"], row["expected_loss"] = bayes_rates(x1, n1, x0, n0, up)


def t_isf(q, df):
    """The t quantile with upper tail q.  SciPy 1.10's t.isf is good to
    about 1e-9 relative (7e-10 at 9 degrees of freedom, 3e-9 at 41, checked
    with mpmath): two Newton steps on t.sf, which is good to 1e-15, polish
    it to 1e-16.  A bound near 0 (a mean close to its half-width) would
    otherwise carry that error magnified, 1e-7 relative in these fixtures."""
    t = stats.t.isf(q, df)
    for _ in range(2):
        t += (stats.t.sf(t, df) - q) / stats.t.pdf(t, df)
    return t


def polished(low, high, centre, half):
    """SciPy's or statsmodels' interval (low, high) rebuilt on the polished
    quantile, after checking that their half-widths agree to 1e-8."""
    for theirs in (centre - low, high - centre):
        assert abs(theirs - half) <= 1e-8 * half, (low, high, centre, half)
    return centre - half, centre + half


def mean_row(row, a, c, conf, up, alternative):
    n1, n0 = len(a), len(c)
    m1, m0 = float(np.mean(a)), float(np.mean(c))
    row["mean_arm"], row["mean_control"] = m1, m0
    row["diff"] = m1 - m0
    if n1 < 2 or n0 < 2:
        row["test"] = ""
        return
    if m0 == 0:
        row["lift_note"] = "control mean is 0"
    else:  # relative to |control| (GrowthBook's convention)
        row["lift"] = (m1 - m0) / abs(m0)
        if m0 < 0:
            row["lift_note"] = "relative to |control mean| (negative)"
    v1, v0 = float(np.var(a, ddof=1)), float(np.var(c, ddof=1))
    q = (1 - conf) / 2
    for key, x, m, v in (("arm", a, m1, v1), ("control", c, m0, v0)):
        if v == 0:
            row[key + "_low"] = row[key + "_high"] = m
        else:
            low, high = stats.t.interval(conf, len(x) - 1, loc=m, scale=stats.sem(x))
            row[key + "_low"], row[key + "_high"] = polished(
                low, high, m, t_isf(q, len(x) - 1) * stats.sem(x))
    if v1 == 0 and v0 == 0:
        row["test"] = ""
    else:
        row["test"] = "welch"
        t, p = stats.ttest_ind(a, c, equal_var=False, alternative=alternative)
        row["p_value"], row["statistic"] = p, t
        means = CompareMeans.from_data(a, c)
        # the nominal two-sided interval, as statsmodels gives it, checks
        # the degrees of freedom and standard error used below
        low, high = means.tconfint_diff(alpha=1 - conf, usevar="unequal")
        polished(low, high, m1 - m0, t_isf(q, means.dof_satt()) * means.std_meandiff_separatevar)
        row["_data"] = ("mean", m1, v1 / n1, m0, v0 / n0, means.dof_satt())
    d = (m1 - m0) if up else (m0 - m1)
    row["chance_to_beat"], row["expected_loss"] = bayes_means(d, math.sqrt(v1 / n1 + v0 / n0))


# ---- intervals that invert the tests ----------------------------------------

SCAN = [1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 0.01, 0.03, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7,
        0.8, 0.9] + [1 - 2.0 ** -k for k in range(4, 60)]


def crossing(stat, start, end, target, log=False, beyond=None):
    """The point between start (the estimate, where stat is 0 or
    undefined) and end where stat(x) crosses target, stat decreasing:
    scanned towards end, then scipy's brentq; `beyond` (default end) when
    it never crosses (or statsmodels' constrained estimate fails next to
    the boundary).  log: scan and solve in log x."""
    inside_sign = -1 if target > 0 else 1
    to = (lambda u: math.log(u)) if log else (lambda u: u)
    back = (lambda u: math.exp(u)) if log else (lambda u: u)
    f = lambda y: stat(back(y)) - target
    s0, s1 = to(start), to(end)
    inside = None
    for u in SCAN:
        y = s0 + (s1 - s0) * u
        v = float(f(y))
        if not math.isfinite(v):
            break
        if (v > 0) - (v < 0) == inside_sign or v == 0:
            inside = y
            continue
        if inside is None:
            raise AssertionError("no inside point", start, end, target)
        return back(optimize.brentq(f, inside, y, xtol=1e-300, rtol=1e-15, maxiter=500))
    return end if beyond is None else beyond


def share(count, p):
    """count / p in a score equation: 0 without a count, infinite at p = 0."""
    return 0.0 if count == 0 else math.inf if p <= 0 else count / p


def constrained_p0(x1, n1, x0, n0, d):
    """The control rate that maximizes the likelihood under p1 = p0 + d,
    found numerically (brentq on the score in p0, concave likelihood)
    rather than by Miettinen and Nurminen's cubic, whose trigonometric form
    statsmodels evaluates to NaN near d = -1 or 1."""
    lo, hi = max(0.0, -d), min(1.0, 1.0 - d)

    def g(p0):
        p1 = p0 + d
        return (share(x1, p1) - share(n1 - x1, 1 - p1) +
                share(x0, p0) - share(n0 - x0, 1 - p0))
    eps = (hi - lo) * 1e-15
    a, b = lo + eps, hi - eps
    if g(a) <= 0:
        return lo
    if g(b) >= 0:
        return hi
    return optimize.brentq(g, a, b, xtol=1e-300, rtol=1e-15, maxiter=500)


def diff_stat(x1, n1, x0, n0):
    """The pooled score statistic of p1 - p0 = d, without Miettinen and
    Nurminen's N / (N - 1) factor (Farrington and Manning's)."""
    def stat(d):
        if d == 0:
            return float(smp.proportions_ztest([x1, x0], [n1, n0])[0])
        p0 = constrained_p0(x1, n1, x0, n0, d)
        p1 = p0 + d
        var = p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0
        num = x1 / n1 - x0 / n0 - d
        return num / math.sqrt(var) if var > 0 else math.copysign(math.inf, num)
    return stat


def ratio_stat(x1, n1, x0, n0):
    """The score statistic of p1 / p0 = r (Miettinen and Nurminen's without
    the N / (N - 1) factor, statsmodels' test_proportions_2indep(compare=
    'ratio', method='score', correction=False)), with the constrained
    rates found numerically, as for the difference (statsmodels fails on
    p = 1, dividing by 1 - p1 for its odds ratio)."""
    def stat(r):
        if r == 1:
            return float(smp.proportions_ztest([x1, x0], [n1, n0])[0])
        lo, hi = 0.0, min(1.0, 1.0 / r)

        def g(p0):
            p1 = r * p0
            return (share(x1, p0) - r * share(n1 - x1, 1 - p1) +
                    share(x0, p0) - share(n0 - x0, 1 - p0))
        eps = (hi - lo) * 1e-15
        if g(lo + eps) <= 0:
            p0 = lo
        elif g(hi - eps) >= 0:
            p0 = hi
        else:
            p0 = optimize.brentq(g, lo + eps, hi - eps, xtol=1e-300, rtol=1e-15, maxiter=500)
        p1 = r * p0
        var = p1 * (1 - p1) / n1 + r * r * p0 * (1 - p0) / n0
        num = x1 / n1 - r * x0 / n0
        return num / math.sqrt(var) if var > 0 else math.copysign(math.inf, num)
    return stat


def score_bounds(stat, estimate, low_end, high_end, crit, lower, upper, log=False):
    """{v : -crit <= stat(v) <= crit}, stat decreasing, by brentq on each
    side of the estimate; the untested end infinite."""
    if log:
        lo = crossing(stat, estimate, 1e-300, crit, True, 0.0) if lower else -math.inf
        hi = crossing(stat, estimate, 1e300, -crit, True, math.inf) if upper else math.inf
    else:
        lo = crossing(stat, estimate, low_end, crit) if lower else -math.inf
        hi = crossing(stat, estimate, high_end, -crit) if upper else math.inf
    return lo, hi


def fisher_critical(c, z0, p, a, alternative):
    """The Fisher row's critical value, as man/tact-compare.1 states it."""
    z = 0.0 if math.isnan(z0) else (abs(z0) if alternative == "two-sided"
                                    else z0 if alternative == "greater" else -z0)
    zf = stats.norm.isf(p / 2 if alternative == "two-sided" else p)
    if not z > 0:
        return c
    if p < a:
        return c * z / zf
    return min(c * z / zf, z + c) if zf > 0 else z + c


def intervals(row, a, nonnegative):
    """diff_low, diff_high, lift_low, lift_high, note at level 1 - a."""
    alternative = row["alternative"]
    lower, upper = alternative != "less", alternative != "greater"
    q = a / 2 if alternative == "two-sided" else a
    data = row["_data"]
    note = None
    if data[0] == "rate":
        _, x1, n1, x0, n0, z0 = data
        c = stats.norm.isf(q)
        if row["test"] == "fisher":
            c = fisher_critical(c, z0, row["p_value"], a, alternative)
        d = x1 / n1 - x0 / n0
        dl, dh = score_bounds(diff_stat(x1, n1, x0, n0), d, -1.0, 1.0, c, lower, upper)
        ll = lh = NAN
        if x0 > 0:
            ratio = (x1 / n1) / (x0 / n0)
            if x1 > 0:
                rl, rh = score_bounds(ratio_stat(x1, n1, x0, n0), ratio, 0.0, 1e300, c,
                                      lower, upper, log=True)
            else:  # no arm event: the ratio's lower end is 0
                rl = 0.0 if lower else -math.inf
                rh = (crossing(ratio_stat(x1, n1, x0, n0), 1e-300, 1e300, -c, True, math.inf)
                      if upper else math.inf)
            if 0 < x1 < n1 and 0 < x0 < n0 and alternative == "two-sided":
                kl, kh = smp.confint_proportions_2indep(
                    x1, n1, x0, n0, method="score", compare="ratio", correction=False,
                    alpha=2 * stats.norm.sf(c))
                assert abs(kl - rl) <= 1e-7 * rl and abs(kh - rh) <= 1e-7 * rh, (kl, rl, kh, rh)
            ll, lh = rl - 1, rh - 1
        return dl, dh, ll, lh, note
    _, m1, s1, m0, s0, dof = data
    t = t_isf(q, dof)
    se = math.sqrt(s1 + s0)
    dl = m1 - m0 - t * se if lower else -math.inf
    dh = m1 - m0 + t * se if upper else math.inf
    ll = lh = NAN
    if m0 != 0:
        # Fieller: (m1 - r m0)^2 <= t^2 (s1 + r^2 s0), a quadratic in r
        qa, qb, qc = m0 * m0 - t * t * s0, -2 * m1 * m0, m1 * m1 - t * t * s1
        if qa > 0:
            root = math.sqrt(max(0.0, qb * qb - 4 * qa * qc))
            rl, rh = (-qb - root) / (2 * qa), (-qb + root) / (2 * qa)
            for r in (rl, rh):  # the ends solve Fieller's equation
                assert abs((m1 - r * m0) ** 2 - t * t * (s1 + r * r * s0)) <= \
                    1e-9 * (m1 * m1 + r * r * m0 * m0 + t * t * (s1 + r * r * s0))
            ll, lh = (rl - 1, rh - 1) if m0 > 0 else (1 - rh, 1 - rl)
            if nonnegative and ll < -1:
                ll = -1.0
            if not lower:  # the open end of a one-sided interval: blank
                ll = -math.inf
            if not upper:
                lh = math.inf
        else:
            note = "control mean not distinguishable from 0 at this level"
    return dl, dh, ll, lh, note


def compare(df, by, goal, annoyance, value, control, conf=0.95, correction="holm",
            min_cell=10, split=None, margins=None, alternative="two-sided",
            alternatives=None):
    """Every row of tact-compare's CSV, from the raw rows (with consent)."""
    margins = margins or {}
    alternatives = alternatives or {}
    arms = [control] + sorted(a for a in df["arm"].unique() if a != control)
    weights = np.array([1.0] * len(arms) if split is None else [split[a] for a in arms])
    metrics = ([(m, True) for m in goal] + [(m, False) for m in annoyance] +
               [(m, True) for m in value])
    binary = {m: m not in value and set(values(df, m)) <= {0.0, 1.0} for m, _ in metrics}
    if by:
        keys = sorted(df.groupby(by).groups.keys(), key=lambda k: k if isinstance(k, tuple) else (k,))
        segments = [(("(all)",) * len(by), df)]
        grouped = df.groupby(by)
        for k in keys:
            segments.append((k if isinstance(k, tuple) else (k,), grouped.get_group(k)))
    else:
        segments = [((), df)]
    rows = []
    warnings_ = []
    infos = []
    pooled_flagged = False
    # Privacy: the one decision of lib/privacy.h (privacy.py): a segment
    # with a hidden arm shows no sample-ratio or independence figure.
    cells = segments[1:] if by else segments
    plan = privacy.decide(
        [labels for labels, _ in cells],
        [[int((seg["arm"] == a).sum()) for a in arms] for _, seg in cells],
        [[[len(values(seg[seg["arm"] == a], m)) for m, _ in metrics] for a in arms]
         for _, seg in cells], min_cell)
    metric_index = {m: i for i, (m, _) in enumerate(metrics)}
    hidden_units = [[plan.hidden(s, a) for a in range(len(arms))]
                    for s in range(len(segments))]
    for s, (labels, seg) in enumerate(segments):
        units = np.array([(seg["arm"] == a).sum() for a in arms], dtype=float)
        expected = units.sum() * weights / weights.sum()
        srm_statistic, srm = stats.chisquare(units, expected)
        if any(hidden_units[s]):
            srm_statistic = srm = NAN
        info = {"labels": labels, "pooled": seg is df, "units": units,
                "hidden": hidden_units[s],
                "srm": (srm_statistic, NAN if any(hidden_units[s]) else len(arms) - 1, srm),
                "independence": []}
        for metric, up in metrics:
            if (len(arms) < 3 or not binary[metric]
                    or plan.segment_hidden(s, metric_index[metric])):
                continue
            # arms x (had, had not), rows and columns of zeros left out
            table = np.array([[values(seg[seg["arm"] == a], metric).sum(),
                               (values(seg[seg["arm"] == a], metric) == 0).sum()]
                              for a in arms])
            table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
            if table.shape[0] >= 2 and table.shape[1] >= 2:
                chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
                info["independence"].append((metric, chi2, dof, p))
        infos.append(info)
        if srm < 0.001:
            if seg is df:
                pooled_flagged = True
                warnings_.append("sample-ratio mismatch over all units (p = %.3g): the arms "
                                 "do not match the planned split; check the assignment "
                                 "before trusting any comparison" % srm)
            else:
                name = ", ".join("%s=%s" % (d, l) for d, l in zip(by, labels))
                if not pooled_flagged:
                    warnings_.append("sample-ratio mismatch in segment %s (p = %.3g) while the "
                                     "whole passes: the segment may not be pre-treatment (was it "
                                     "inferred after personalization was shown?)" % (name, srm))
                else:
                    warnings_.append("sample-ratio mismatch in segment %s (p = %.3g)" % (name, srm))
        for metric, up in metrics:
            for arm in arms[1:]:
                row = {c: NAN for c in COLUMNS + ["statistic"]}
                row.update({"labels": labels, "metric": metric,
                            "kind": "rate" if binary[metric] else "mean",
                            "direction": "up" if up else "down",
                            "control": control, "arm": arm, "test": "",
                            "margin": margins.get(metric, NAN) if binary[metric] else NAN,
                            "family": "pooled" if seg is df else "segment",
                            "alternative": alternatives.get(metric, alternative),
                            "lift_note": None,
                            "role": ("value" if metric in value else
                                     "annoyance" if metric in annoyance else "goal")})
                a = values(seg[seg["arm"] == arm], metric)
                c = values(seg[seg["arm"] == control], metric)
                row["segment"], row["counts"] = s, (len(a), len(c))
                if (len(a) < min_cell or len(c) < min_cell or len(a) == 0 or len(c) == 0
                        or plan.hidden(s, arms.index(arm), metric_index[metric])
                        or plan.hidden(s, 0, metric_index[metric])):
                    row["verdict"] = "suppressed"
                    row["n_control"] = row["n_arm"] = None
                    rows.append(row)
                    continue
                row["n_control"], row["n_arm"] = len(c), len(a)
                row["srm_p_value"] = srm
                if binary[metric]:
                    rate_row(row, int(a.sum()), len(a), int(c.sum()), len(c), conf, up,
                             margins.get(metric, NAN), row["alternative"])
                else:
                    mean_row(row, a, c, conf, up, row["alternative"])
                rows.append(row)
    # Two families: the pooled rows, and the segment rows.
    size = {}
    for family in ("pooled", "segment"):
        tested = [i for i, r in enumerate(rows) if r["verdict"] != "suppressed"
                  and not math.isnan(r["p_value"]) and r["family"] == family]
        size[family] = len(tested)
        if tested and correction != "none":
            method = {"holm": "holm", "bh": "fdr_bh"}[correction]
            adjusted = multipletests([rows[i]["p_value"] for i in tested], method=method)[1]
        else:
            adjusted = [rows[i]["p_value"] for i in tested]
        for i, p in zip(tested, adjusted):
            rows[i]["p_adjusted"] = p
    alpha = 1 - conf
    for r in rows:
        if r["verdict"] == "suppressed":
            continue
        toward = {"greater": r["diff"] > 0, "less": r["diff"] < 0}.get(r["alternative"],
                                                                       r["diff"] != 0)
        if r["p_adjusted"] < alpha and not math.isnan(r["diff"]) and toward:
            r["verdict"] = "better" if (r["diff"] > 0) == (r["direction"] == "up") else "worse"
        else:
            r["verdict"] = "inconclusive"
        if math.isnan(r["p_value"]):
            continue
        # The level of the row's adjusted test: alpha p / p_adjusted.
        p, q = r["p_value"], r["p_adjusted"]
        if correction == "none" or q == p:
            a_row = alpha
        elif q == 0:
            a_row = alpha / size[r["family"]]
        else:
            a_row = alpha * p / q
        r["interval_level"] = 1 - a_row
        nonnegative = r["kind"] == "rate" or (r["role"] != "value" and r["mean_arm"] >= 0
                                              and r["mean_control"] >= 0)
        r["diff_low"], r["diff_high"], r["lift_low"], r["lift_high"], note = \
            intervals(r, a_row, nonnegative)
        if note:
            r["lift_note"] = note
        (r["diff_low_unadjusted"], r["diff_high_unadjusted"], r["lift_low_unadjusted"],
         r["lift_high_unadjusted"], _) = intervals(r, alpha, nonnegative)
        # The promise: the printed interval excludes 0 exactly when the
        # verdict is better or worse.
        low, high = r["diff_low"], r["diff_high"]
        assert (low > 0 or high < 0) == (r["verdict"] != "inconclusive"), r
    return rows, ["tact-compare: warning: " + w + "\n" for w in warnings_], infos


def text(v):
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    return "" if not math.isfinite(v) else repr(v)


def write_expected(f, by, rows):
    w = csv.writer(f, lineterminator="\n")
    w.writerow(list(by) + COLUMNS)
    for r in rows:
        w.writerow(list(r["labels"]) + [text(r[c]) for c in COLUMNS])


# ---- the cases -------------------------------------------------------------

def quote(arg):
    return arg if arg and all(ch.isalnum() or ch in "-_=.,/" for ch in arg) else "'%s'" % arg


def json_token(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    return "null" if not math.isfinite(v) else repr(v)


def flatten(value, path, out):
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(v, path + [k], out)
    elif isinstance(value, list):
        for k, v in enumerate(value):
            flatten(v, path + [str(k)], out)
    else:
        out.append(".".join(path) + "\t" + json_token(value))


def expected_json(reference, raw_rows, consent_rows, rows, infos):
    """tact-compare --format json, as documented (compare.h, the man page)."""
    by, control, min_cell = reference["by"], reference["control"], reference.get("min_cell", 10)
    arms = [control] + sorted(a for a in consent_rows["arm"].unique() if a != control)
    split = reference.get("split")
    doc = {
        "confidence": reference.get("conf", 0.95),
        "correction": reference.get("correction", "holm"),
        "min_cell": min_cell, "control": control, "arms": arms,
        "planned_split": [1 if split is None else split[a] for a in arms],
        "data": {"rows_read": raw_rows, "rows_rejected": 0,
                 "rows_excluded_consent": raw_rows - len(consent_rows),
                 "rows_suppressed": sum(r["verdict"] == "suppressed" for r in rows)},
        "segments": [], "rows": []}
    for info in infos:
        srm_statistic, srm_df, srm_p = info["srm"]
        doc["segments"].append({
            "labels": dict(zip(by, info["labels"])), "pooled": info["pooled"],
            # a count under --min-cell (but not 0) is not shown, nor its
            # complements
            "units": {a: (None if h else int(u))
                      for a, u, h in zip(arms, info["units"], info["hidden"])},
            "sample_ratio": {"statistic": srm_statistic, "df": srm_df, "p_value": srm_p,
                             "mismatch": bool(srm_p < 0.001)},
            "independence": {m: {"statistic": chi2, "df": dof, "p_value": p}
                             for m, chi2, dof, p in info["independence"]}})
    for r in rows:
        item = dict(zip(by, r["labels"]))
        for c in COLUMNS:
            if c == "test":
                item["statistic"] = r["statistic"]
            if c == "control":
                item["kind"] = r["kind"]
            item[c] = r[c]
        doc["rows"].append(item)
    out = []
    flatten(doc, [], out)
    return sorted(out, key=lambda line: line.encode())


# Each case: the fixture, its consent column, the options of the input (also
# tact-summarize's) and of the comparison, the reference's arguments, and
# which variants to make: "csv" (compare-verify-NAME), "json"
# (compare-verify-NAME-json: every figure of --format json, segments' units,
# sample-ratio and independence tests included) and "summary"
# (compare-verify-NAME-summary: tact-summarize | tact-compare -, same CSV).
CASES_LIST = [
    dict(name="two-default", fixture="compare-two.csv", consent="consent",
         input=["--goal", "converted,pages"], options=[],
         reference=dict(by=["intent"], goal=["converted", "pages"],
                        annoyance=["bounced", "unsubscribed"], value=["revenue"],
                        control="control"),
         variants=["csv", "summary"]),
    dict(name="two-device-bh-margins", fixture="compare-two.csv", consent="consent",
         input=["--by", "intent,device"],
         options=["--correction", "bh", "--confidence", "0.9", "--margin", "unsubscribed=0.2",
                  "--margin", "bounced=0.1"],
         reference=dict(by=["intent", "device"], goal=["converted"],
                        annoyance=["bounced", "unsubscribed"], value=["revenue"],
                        control="control", conf=0.9, correction="bh",
                        margins={"unsubscribed": 0.2, "bounced": 0.1}),
         variants=["csv", "json"]),
    dict(name="two-min-cell-1", fixture="compare-two.csv", consent="consent",
         input=["--goal", "converted,pages"],
         options=["--min-cell", "1", "--correction", "none", "--confidence", "0.99",
                  "--margin", "unsubscribed=0.3"],
         reference=dict(by=["intent"], goal=["converted", "pages"],
                        annoyance=["bounced", "unsubscribed"], value=["revenue"],
                        control="control", conf=0.99, correction="none", min_cell=1,
                        margins={"unsubscribed": 0.3}),
         variants=["csv"]),
    dict(name="three-split", fixture="compare-three.csv", consent="consent",
         input=["--annoyance", "bounced,complaints"],
         options=["--split", "control=2,Zeta=1,alpha=1"],
         reference=dict(by=["intent"], goal=["converted"], annoyance=["bounced", "complaints"],
                        value=["revenue"], control="control",
                        split={"control": 2, "Zeta": 1, "alpha": 1}),
         variants=["csv", "json", "summary"]),
    dict(name="three-bh-mincell-margin", fixture="compare-three.csv", consent="consent",
         input=["--annoyance", "bounced,complaints"],
         options=["--split", "2,1,1", "--correction", "bh", "--min-cell", "20",
                  "--margin", "bounced=0.05"],
         reference=dict(by=["intent"], goal=["converted"], annoyance=["bounced", "complaints"],
                        value=["revenue"], control="control", correction="bh", min_cell=20,
                        split={"control": 2, "Zeta": 1, "alpha": 1},
                        margins={"bounced": 0.05}),
         variants=["csv", "json"]),
    dict(name="three-pooled-equal", fixture="compare-three.csv", consent="consent",
         input=["--by", "", "--annoyance", "bounced,complaints"], options=[],
         reference=dict(by=[], goal=["converted"], annoyance=["bounced", "complaints"],
                        value=["revenue"], control="control"),
         variants=["csv", "json"]),
    dict(name="fisher-cohorts", fixture="compare-fisher.csv", consent=None,
         input=["--by", "cohort", "--annoyance", "", "--value", ""], options=[],
         reference=dict(by=["cohort"], goal=["converted"], annoyance=[], value=[],
                        control="control"),
         variants=["csv", "json"]),
    dict(name="sessions-visitors", fixture="compare-sessions.csv", consent="consent",
         unit="visitor_id", input=[], options=[],
         reference=dict(by=["intent"], goal=["converted"], annoyance=["bounced"],
                        value=["revenue"], control="control"),
         variants=["csv", "summary"]),
    dict(name="sessions-as-units", fixture="compare-sessions.csv", consent="consent",
         input=["--unit", ""], options=[],
         reference=dict(by=["intent"], goal=["converted"], annoyance=["bounced"],
                        value=["revenue"], control="control"),
         variants=["csv"]),
    dict(name="two-one-sided", fixture="compare-two.csv", consent="consent",
         input=["--goal", "converted,pages"],
         options=["--alternative", "greater", "--alternative", "bounced=less",
                  "--alternative", "unsubscribed=less", "--correction", "none"],
         reference=dict(by=["intent"], goal=["converted", "pages"],
                        annoyance=["bounced", "unsubscribed"], value=["revenue"],
                        control="control", correction="none", alternative="greater",
                        alternatives={"bounced": "less", "unsubscribed": "less"}),
         variants=["csv", "json"]),
    dict(name="three-less-bh", fixture="compare-three.csv", consent="consent",
         input=["--annoyance", "bounced,complaints"],
         options=["--split", "2,1,1", "--alternative", "less", "--correction", "bh"],
         reference=dict(by=["intent"], goal=["converted"], annoyance=["bounced", "complaints"],
                        value=["revenue"], control="control", correction="bh",
                        split={"control": 2, "Zeta": 1, "alpha": 1}, alternative="less"),
         variants=["csv"]),
    dict(name="fisher-cohorts-greater", fixture="compare-fisher.csv", consent=None,
         input=["--by", "cohort", "--annoyance", "", "--value", ""],
         options=["--alternative", "greater"],
         reference=dict(by=["cohort"], goal=["converted"], annoyance=[], value=[],
                        control="control", alternative="greater"),
         variants=["csv"]),
    dict(name="negative-heavy", fixture="compare-negative.csv", consent=None,
         input=["--by", "segment", "--goal", "minutes", "--annoyance", "", "--value", "profit"],
         options=["--correction", "bh"],
         reference=dict(by=["segment"], goal=["minutes"], annoyance=[], value=["profit"],
                        control="control", correction="bh"),
         variants=["csv", "json"]),
    dict(name="fisher-cohorts-bh-80", fixture="compare-fisher.csv", consent=None,
         input=["--by", "cohort", "--annoyance", "", "--value", ""],
         options=["--correction", "bh", "--confidence", "0.8"],
         reference=dict(by=["cohort"], goal=["converted"], annoyance=[], value=[],
                        control="control", conf=0.8, correction="bh"),
         variants=["csv"]),
]

CHECK = 'awk -F, -f ../../csv-compare.awk expected.csv "$OUT/got.csv"\n'
CHECK_JSON = ('awk -f ../../json-flat.awk "$OUT/got.json" | LC_ALL=C sort > "$OUT/got.flat" &&\n'
              'awk -F\'\t\' -v FLAT=1 -f ../../csv-compare.awk expected.flat "$OUT/got.flat"\n')


def write_case(name, command, expected_name, expected_lines, report, messages):
    case = os.path.join(CASES, "compare-verify-" + name)
    os.makedirs(case, exist_ok=True)
    for old in ("expected.csv", "expected.flat"):
        if old != expected_name and os.path.exists(os.path.join(case, old)):
            os.remove(os.path.join(case, old))
    with open(os.path.join(case, expected_name), "w", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in expected_lines))
    files = {"cmd": command, "status": "0\n", "stdout": report + "\n",
             "stderr": "".join(messages)}
    for file, content in files.items():
        path = os.path.join(case, file)
        if content:
            with open(path, "w", encoding="utf-8") as f:
                f.write(content)
        elif os.path.exists(path):
            os.remove(path)


def main():
    fixture_two()
    fixture_three()
    fixture_fisher()
    fixture_sessions()
    fixture_negative()
    total_rows = total_figures = total_values = 0
    for spec in CASES_LIST:
        df = read_export(spec["fixture"], None)
        raw_rows = len(df)
        if spec["consent"]:
            df = read_export(spec["fixture"], spec["consent"])
        reference = spec["reference"]
        notes = []
        several = 0
        if spec.get("unit"):
            consenting = len(df)
            df, several = fold_sessions(df, spec["unit"], reference["goal"],
                                        reference["annoyance"], reference["value"])
            # Without --quiet: tact's notes on what it read, the memory
            # figure masked by the case's sed.
            name = "tact-compare: ../../data/" + spec["fixture"]
            missing = ", ".join("%s %s" % (m, "{:,}".format(int((df[m] == "").sum())))
                                for m in reference["goal"] + reference["annoyance"] +
                                reference["value"] if (df[m] == "").sum())
            groups = len(df.groupby(reference["by"] + ["arm"]))
            notes.append("%s: %s rows read, 0 rejected, %s left out for lack of consent%s; "
                         "%d group%s\n" % (name, "{:,}".format(raw_rows),
                                           "{:,}".format(raw_rows - consenting),
                                           "; missing values: " + missing if missing else "",
                                           groups, "" if groups == 1 else "s"))
            notes.append("%s: sessions folded into %s units by '%s' (... MB held in memory; "
                         "give --unit '' when rows are already units)\n"
                         % (name, "{:,}".format(len(df)), spec["unit"]))
            if several:
                notes.append("tact-compare: warning: ../../data/%s: %s units appear in more "
                             "than one arm (each kept in its first): randomization may have "
                             "leaked\n" % (spec["fixture"], "{:,}".format(several)))
        rows, messages, infos = compare(df, **reference)
        data = "../../data/" + spec["fixture"]
        input_options = " ".join(quote(o) for o in spec["input"])
        options = " ".join(quote(o) for o in spec["options"])

        lines = io.StringIO()
        write_expected(lines, reference["by"], rows)
        figures = sum(1 for r in rows for c in COLUMNS
                      if text(r[c]) != "" and c not in TEXT_COLUMNS)
        report = "%d rows, %d figures agree" % (len(rows), figures)
        compare_command = " ".join(filter(None, ["tact-compare --quiet", input_options,
                                                 options, data]))
        if "csv" in spec["variants"] and notes:
            command = (compare_command.replace("tact-compare --quiet", "tact-compare") +
                       ' > "$OUT/got.csv" 2> "$OUT/err" &&\n'
                       'sed \'s/([0-9.]* MB held/(... MB held/\' "$OUT/err" >&2 &&\n' + CHECK)
            write_case(spec["name"], command, "expected.csv", lines.getvalue().splitlines(),
                       report, notes + messages)
        elif "csv" in spec["variants"]:
            write_case(spec["name"], compare_command + ' > "$OUT/got.csv" &&\n' + CHECK,
                       "expected.csv", lines.getvalue().splitlines(), report, messages)
        if "csv" in spec["variants"]:
            total_rows += len(rows)
            total_figures += figures
            print("compare-verify-%s: %s" % (spec["name"], report))
        if "summary" in spec["variants"]:
            command = ("tact-summarize --quiet %s %s |\ntact-compare --quiet %s - > \"$OUT/got.csv\" &&\n"
                       % (input_options, data, options)).replace("  ", " ") + CHECK
            # The warning about units in several arms is shown under --quiet
            # too: by tact-summarize reading the export, and by tact-compare
            # reading the summary (which records the count).
            arms_warning = []
            if several:
                for tool, source in (("tact-summarize", "../../data/" + spec["fixture"]),
                                     ("tact-compare", "<stdin>")):
                    arms_warning.append("%s: warning: %s: %s units appear in more than one "
                                        "arm (each kept in its first): randomization may "
                                        "have leaked\n" % (tool, source,
                                                           "{:,}".format(several)))
            write_case(spec["name"] + "-summary", command, "expected.csv",
                       lines.getvalue().splitlines(), report, arms_warning + messages)
            total_rows += len(rows)
            total_figures += figures
            print("compare-verify-%s-summary: %s" % (spec["name"], report))
        if "json" in spec["variants"]:
            flat = expected_json(reference, raw_rows, df, rows, infos)
            json_figures = sum(1 for line in flat if re.search(r"\t-?[0-9]", line))
            report_json = "%d values, %d figures agree" % (len(flat), json_figures)
            write_case(spec["name"] + "-json",
                       compare_command.replace("--quiet", "--quiet --format json") +
                       ' > "$OUT/got.json" &&\n' + CHECK_JSON,
                       "expected.flat", flat, report_json, messages)
            total_values += len(flat)
            total_figures += json_figures
            print("compare-verify-%s-json: %s" % (spec["name"], report_json))
    print("total: %d CSV rows and %d JSON values, %d figures (SciPy %s, statsmodels %s, pandas %s)"
          % (total_rows, total_values, total_figures, scipy.__version__,
             statsmodels.__version__, pd.__version__))


if __name__ == "__main__":
    main()
