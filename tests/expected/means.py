#!/usr/bin/python3
"""Expected values for tests/unit/test_means.c.

Run with Debian's /usr/bin/python3 (python3-scipy 1.10, python3-statsmodels
0.13):  /usr/bin/python3 tests/expected/means.py > tests/expected/means_expected.h

Each case draws raw values with a seeded NumPy generator, and the header
carries their count, mean and sample variance (ddof=1) as the C code's
input, with:
  t interval   statsmodels.stats.weightstats._tconfint_generic (what
               DescrStatsW.tconfint_mean calls) on the summary statistics,
               with its quantile polished: SciPy's t.isf is good to about
               1e-9, so the header carries the interval built on the
               quantile solved with mpmath (40 digits), after checking
               statsmodels' interval agrees to 1e-8
  Welch        scipy.stats.ttest_ind(arm, control, equal_var=False) on the
               raw values for t and p; the interval is statsmodels'
               _tconfint_generic (quantile polished with mpmath as above)
               with the Satterthwaite df of
               CompareMeans.dof_satt, both on the summary statistics, since
               DescrStatsW's own mean (a dot product) loses digits on values
               like 1e9 + noise.  Elsewhere the script checks that
               CompareMeans(...).ttest_ind and tconfint_diff(usevar='unequal')
               on the raw values agree to 1e-9.
  lift         the delta method done numerically: statsmodels'
               tools.numdiff.approx_fprime (centered) differentiates
               m1 / m0 - 1 and the gradient is applied to the covariance
               diag(s1^2/n1, s0^2/n0); the normal quantile from SciPy.  The
               script also checks the closed form used in lib/means.c.
"""
import math
import warnings

import mpmath
import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW, _tconfint_generic
from statsmodels.tools.numdiff import approx_fprime

warnings.simplefilter("ignore")
mpmath.mp.dps = 40


def c(v):
    v = float(v)
    if math.isnan(v):
        return "NAN"
    if math.isinf(v):
        return "INFINITY" if v > 0 else "-INFINITY"
    return repr(v)


def close(a, b, rel):
    return abs(a - b) <= rel * abs(b)


def t_isf(q, df):
    """The t quantile with upper tail q, solved with mpmath at 40 digits:
    SciPy 1.10's t.isf (which statsmodels uses) is good to about 1e-9 only
    (2.0095752344892093 for df 49, q 0.025; the root is 2.00957523712924)."""
    q, df = mpmath.mpf(q), mpmath.mpf(df)
    upper = lambda t: mpmath.betainc(df / 2, mpmath.mpf(1) / 2, 0, df / (df + t * t),
                                     regularized=True) / 2 - q
    return mpmath.findroot(upper, mpmath.mpf(stats.t.isf(float(q), float(df))))


rng = np.random.default_rng(20241129)
# (name, arm values, control values)
cases = [
    ("normal 50 vs 60", rng.normal(10.5, 3, 50), rng.normal(10, 2, 60)),
    ("tiny 2 vs 3", np.array([4.0, 7.5]), np.array([1.0, 2.0, 6.0])),
    ("revenue, mostly zeros", rng.binomial(1, 0.03, 5000) * rng.lognormal(3, 1.2, 5000),
     rng.binomial(1, 0.025, 5000) * rng.lognormal(3, 1.2, 5000)),
    ("huge n", rng.normal(100.02, 15, 1000000), rng.normal(100, 15, 1000000)),
    ("unequal sizes and spreads", rng.normal(3, 10, 30), rng.normal(5, 1, 4000)),
    ("constant control", rng.normal(2, 1, 25), np.full(40, 2.0)),
    ("large offset", 1e9 + rng.normal(0, 1, 200), 1e9 + rng.normal(0.1, 1, 300)),
    ("negative means", rng.normal(-5, 2, 80), rng.normal(-4, 2, 90)),
    ("arm far better", rng.normal(20, 1, 100), rng.normal(10, 1, 100)),
]

t_rows, welch_rows, lift_rows = [], [], []
for name, a, b in cases:
    groups = []
    for v in (a, b):
        groups.append((len(v), float(np.mean(v)), float(np.var(v, ddof=1))))
    (n1, m1, v1), (n0, m0, v0) = groups
    for conf in (0.95, 0.9, 0.99):
        alpha = 1 - conf
        for (n, m, v), values in zip(groups, (a, b)):
            slo, shi = _tconfint_generic(m, math.sqrt(v / n), n - 1, alpha, "two-sided")
            q = t_isf(alpha / 2, n - 1)
            lo, hi = float(m - q * math.sqrt(v / n)), float(m + q * math.sqrt(v / n))
            assert close(slo, lo, 1e-8) and close(shi, hi, 1e-8), (name, slo, lo)
            t_rows.append("\t{%s, %s, %s, %s, %s, %s}, /* %s */" % (
                c(n), c(m), c(v), c(conf), c(lo), c(hi), name))
        tt = stats.ttest_ind(a, b, equal_var=False)
        # CompareMeans.dof_satt and std_meandiff_separatevar, on the summary.
        sem1, sem0 = v1 / n1, v0 / n0
        df = 1.0 / ((sem1 / (sem1 + sem0)) ** 2 / (n1 - 1) + (sem0 / (sem1 + sem0)) ** 2 / (n0 - 1))
        denom = math.sqrt(sem1 + sem0)
        slo, shi = _tconfint_generic(m1 - m0, denom, df, alpha, "two-sided")
        q = t_isf(alpha / 2, df)
        lo, hi = float(m1 - m0 - q * denom), float(m1 - m0 + q * denom)
        assert close(slo, lo, 1e-8) and close(shi, hi, 1e-8), (name, slo, lo)
        if name != "large offset":
            cm = CompareMeans(DescrStatsW(a), DescrStatsW(b))
            st, sp, sdf = cm.ttest_ind(usevar="unequal")
            slo, shi = cm.tconfint_diff(alpha=alpha, usevar="unequal")
            assert abs(st - tt.statistic) <= 1e-9 * abs(tt.statistic), (name, st, tt)
            assert abs(sp - tt.pvalue) <= 1e-9 * tt.pvalue, (name, sp, tt)
            assert abs(sdf - df) <= 1e-9 * df
            assert close(slo, lo, 1e-8) and close(shi, hi, 1e-8)
        welch_rows.append("\t{%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s}, /* %s */" % (
            c(n1), c(m1), c(v1), c(n0), c(m0), c(v0), c(conf), c(m1 - m0), c(lo), c(hi),
            c(tt.statistic), c(df), c(tt.pvalue), name))
        # Delta method, numerically.
        params = np.array([m1, m0])
        cov = np.diag([v1 / n1, v0 / n0])
        grad = approx_fprime(params, lambda p: np.array([p[0] / p[1] - 1]), centered=True)
        se = math.sqrt(float(grad @ cov @ grad.T))
        r = m1 / m0
        closed = math.sqrt((v1 / n1 + r * r * v0 / n0) / m0 ** 2)
        assert abs(se - closed) <= 1e-7 * closed, (name, se, closed)
        z = stats.norm.isf(alpha / 2)
        # m1 / m0 - 1 in floating point cancels when the means are close
        # (1e9 + noise): take the exact value of the quotient.
        lift = float(mpmath.mpf(m1) / mpmath.mpf(m0) - 1)
        lift_rows.append("\t{%s, %s, %s, %s, %s, %s, %s, %s, %s, %s}, /* %s */" % (
            c(n1), c(m1), c(v1), c(n0), c(m0), c(v0), c(conf), c(lift), c(lift - z * se),
            c(lift + z * se), name))

print("/* Generated by tests/expected/means.py with SciPy %s and statsmodels %s: do not edit. */"
      % (scipy.__version__, statsmodels.__version__))
print("static const struct { double n, mean, variance, confidence, lower, upper; } t_interval_cases[] = {")
print("\n".join(t_rows))
print("};")
print("static const struct { double n1, m1, v1, n0, m0, v0, confidence, difference, lower, upper, "
      "statistic, df, p_value; } welch_cases[] = {")
print("\n".join(welch_rows))
print("};")
print("static const struct { double n1, m1, v1, n0, m0, v0, confidence, lift, lower, upper; } lift_cases[] = {")
print("\n".join(lift_rows))
print("};")
