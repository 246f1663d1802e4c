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
  Fieller      the interval of the relative lift (m1 - m0) / |m0| that
               inverts Welch's statistic (tact_means_fieller): for each
               side, the roots of Fieller's quadratic in the ratio
               (m0^2 - c^2 v0) r^2 - 2 m1 m0 r + (m1^2 - c^2 v1) = 0 in
               mpmath (40 digits), the root on the right side of the
               statistic's sign taken (m1 - r m0 > 0 for the lower bound),
               mapped to the lift sign(m0) (r - 1); NumPy's np.roots on the
               same quadratic agrees to 1e-9.  Blank (why) when m0 = 0,
               when v1 + v0 = 0, or when m0^2 <= c^2 v0 for a finite c.
               For every two-sided case the script checks that the
               interval excludes 0 exactly when
               scipy.stats.ttest_ind_from_stats(equal_var=False) rejects at
               the level matching c (p < alpha).
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



# Fieller: the samples above, the cases and edge cases.
def fieller_mp(n1, m1, v1, n0, m0, v0, cl, cu, nonneg):
    """lift, lower, upper, why (0 shown, 1 control mean 0, 2 unbounded,
    3 no variance)."""
    if m0 == 0:
        return math.nan, math.nan, math.nan, 1
    M1, M0 = mpmath.mpf(m1), mpmath.mpf(m0)
    s = 1 if m0 > 0 else -1
    lift = (M1 - M0) / abs(M0)
    w1, w0 = mpmath.mpf(v1) / n1, mpmath.mpf(v0) / n0
    if w1 + w0 == 0:
        return float(lift), math.nan, math.nan, 3
    bounds = []
    for crit, want in ((cl, 1), (cu, -1)):
        if math.isinf(crit):
            bounds.append(-math.inf if want > 0 else math.inf)
            continue
        c2 = mpmath.mpf(crit) ** 2
        a = M0 ** 2 - c2 * w0
        if a <= 0:
            return float(lift), math.nan, math.nan, 2
        b = -2 * M1 * M0
        c = M1 ** 2 - c2 * w1
        disc = mpmath.sqrt(max(b * b - 4 * a * c, 0))
        roots = [(-b - disc) / (2 * a), (-b + disc) / (2 * a)]
        # NumPy's roots of the same quadratic, as a check.
        nproots = sorted(np.roots([float(a), float(b), float(c)]).real)
        for r, q in zip(sorted(roots), nproots):
            assert abs(float(r) - q) <= 1e-9 * max(1.0, abs(float(r))), (r, q)
        # The statistic T = (m1 - r m0) / sqrt(v1 + r^2 v0) equals +c at
        # the lower bound of the lift and -c at its upper bound.
        pick = [r for r in roots if want * (M1 - r * M0) >= 0]
        r = pick[0] if want * s > 0 else pick[-1]
        bounds.append(s * (r - 1))
    lo, hi = bounds
    if nonneg:
        lo, hi = max(lo, -1), max(hi, -1)
    return float(lift), float(lo), float(hi), 0


fieller_samples = []
for name, a, b in cases:
    fieller_samples.append((name, len(a), float(np.mean(a)), float(np.var(a, ddof=1)),
                            len(b), float(np.mean(b)), float(np.var(b, ddof=1)),
                            bool(a.min() >= 0 and b.min() >= 0)))
fieller_samples += [
    # The issue's: control n=20, mean 3, variance 81; arm n=18, mean 0.7
    # (variance 1.6: Welch p 0.27): blank, the control mean is not
    # distinguishable from 0 at 95%.
    ("issue: control 3 (var 81), arm 0.7", 18, 0.7, 1.6, 20, 3.0, 81.0, True),
    ("issue, 5 times the units", 90, 0.7, 1.6, 100, 3.0, 81.0, True),
    # Control -10, arm -5: +50%, like the difference +5.
    ("issue: negative control", 50, -5.0, 100.0, 50, -10.0, 100.0, False),
    ("negative control, arm worse", 40, -12.0, 30.0, 60, -10.0, 20.0, False),
    ("negative control, positive arm", 40, 2.0, 30.0, 60, -10.0, 20.0, False),
    # A count whose Fieller lower bound falls below -100%: clipped.
    ("nonnegative, bound below -1", 10, 0.5, 25.0, 100, 5.0, 4.0, True),
    ("same, not declared nonnegative", 10, 0.5, 25.0, 100, 5.0, 4.0, False),
    ("arm constant at 0", 30, 0.0, 0.0, 30, 4.0, 9.0, True),
    ("control constant", 30, 5.0, 9.0, 30, 4.0, 0.0, True),
    ("no variance", 30, 5.0, 0.0, 30, 4.0, 0.0, True),
    ("control mean 0", 30, 5.0, 1.0, 30, 0.0, 1.0, False),
    ("tiny means", 1000, 3e-12, 1e-22, 1000, 2e-12, 1e-22, True),
]
fieller_rows = []
for name, n1, m1, v1, n0, m0, v0, nonneg in fieller_samples:
    se2 = v1 / n1 + v0 / n0
    df = se2 ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v0 / n0) ** 2 / (n0 - 1)) if se2 > 0 else math.nan
    crits = []
    for alpha in (0.05, 0.1, 0.01):
        q = float(t_isf(alpha / 2, df)) if se2 > 0 else float(stats.norm.isf(alpha / 2))
        crits.append((q, q, alpha))
    q95 = float(t_isf(0.05, df)) if se2 > 0 else 1.6448536269514722
    crits += [(q95, math.inf, None), (math.inf, q95, None), (1.5, 2.5, None)]
    for cl, cu, alpha in crits:
        for flag in sorted({nonneg, False}):
            lift, lo, hi, why = fieller_mp(n1, m1, v1, n0, m0, v0, cl, cu, flag)
            if alpha is not None and se2 > 0:
                res = stats.ttest_ind_from_stats(m1, math.sqrt(v1), n1, m0, math.sqrt(v0), n0,
                                                 equal_var=False)
                rejects = res.pvalue < alpha
                if why == 0:
                    assert (lo > 0 or hi < 0) == rejects, (name, alpha, lo, hi, res)
                    assert (lo > 0) == (res.statistic > cl) and (hi < 0) == (res.statistic < -cu)
            fieller_rows.append("\t{%s, %s, %s, %s, %s, %s, %s, %s, %d, %s, %s, %s, %d}, /* %s */" % (
                c(n1), c(m1), c(v1), c(n0), c(m0), c(v0), c(cl), c(cu), int(flag), c(lift), c(lo),
                c(hi), why, name))

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
print("static const struct { double n1, m1, v1, n0, m0, v0, crit_lower, crit_upper; int nonnegative; "
      "double lift, lower, upper; int why; } fieller_cases[] = {")
print("\n".join(fieller_rows))
print("};")
