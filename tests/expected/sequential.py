#!/usr/bin/python3
"""Expected values for tests/unit/test_sequential.c (lib/sequential.c).

Run with Debian's /usr/bin/python3 (NumPy, SciPy):
  /usr/bin/python3 tests/expected/sequential.py > tests/expected/sequential_expected.h

An independent NumPy/SciPy transcription of the formulas GrowthBook's
gbstats uses (packages/stats/gbstats/frequentist/tests.py:
sequential_rho, sequential_interval_halfwidth (eq. 9 of Waudby-Smith et
al. 2023, arXiv:2103.06476v7), sequential_interval_halfwidth_one_sided
(eq. 134), SequentialTwoSidedTTest.p_value (eq. 155)).  The one-sided
p-value is found as GrowthBook finds it, as the alpha at which the
one-sided bound touches 0, here by scipy.optimize.brentq on the bound
(not the closed form lib/sequential.c uses).

Inputs: the effect's estimate and standard error, computed here as
gbstats does: SampleMeanStatistic (variance (sum_squares - sum^2/n) /
(n - 1)), ProportionStatistic (variance p (1 - p), unpooled), absolute
difference var_b/n_b + var_a/n_a, relative difference (mean_b - mean_a) /
|mean_a| with the delta-method variance variance_of_ratios; n = n_a + n_b.
"""
import math

import numpy as np
from scipy.optimize import brentq


def rho_of(alpha, tuning, two_sided=True):
    a = alpha if two_sided else 2 * alpha
    return np.sqrt((-2 * np.log(a) + np.log(-2 * np.log(a) + 1)) / tuning)


def halfwidth(se, n, rho, a, two_sided=True):
    s2 = se ** 2 * n
    t = n * rho ** 2 + 1
    if two_sided:
        return np.sqrt(s2) * np.sqrt(2 * t * np.log(np.sqrt(t) / a) / (n * rho) ** 2)
    return np.sqrt(s2 * 2 * t / (n * rho) ** 2 * np.log(1 + np.sqrt(t) / (2 * a)))


def p_two_sided(est, se, n, rho):
    st2 = est ** 2 * n / se ** 2
    t = n * rho ** 2 + 1
    evalue = np.exp(rho ** 2 * st2 / (2 * t)) / np.sqrt(t)
    return min(1 / evalue, 1.0)


def p_one_sided(est, se, n, rho, greater):
    toward = est if greater else -est
    if toward <= 0:
        return 1.0
    f = lambda a: halfwidth(se, n, rho, a, False) - toward
    if f(1.0) > 0:  # even at a = 1 the bound holds 0
        return 1.0
    g = lambda la: f(math.exp(la))  # in log a: p can be tiny
    if g(-700.0) < 0:
        return 0.0  # below any double this test prints
    return math.exp(brentq(g, -700.0, 0.0, xtol=1e-15, rtol=1e-15, maxiter=500))


def mean_stat(s, ss, n):
    return s / n, (ss - s * s / n) / (n - 1), n


def prop_stat(s, n):
    p = s / n
    return p, p * (1 - p), n


def absolute(a, b):
    return b[0] - a[0], math.sqrt(b[1] / b[2] + a[1] / a[2]), a[2] + b[2]


def relative(a, b):
    ma, va, na = a
    mb, vb, nb = b
    est = (mb - ma) / abs(ma)
    var = (vb / nb) / ma ** 2 + (va / na) * mb ** 2 / ma ** 4
    return est, math.sqrt(var), na + nb


def c(v):
    """A double as C source: repr, or NAN, INFINITY, -INFINITY."""
    v = float(v)
    named = {math.inf: "INFINITY", -math.inf: "-INFINITY"}
    return "NAN" if v != v else named.get(v, repr(v))


SIDES = {"two-sided": "TACT_SEQUENTIAL_TWO_SIDED",
         "greater": "TACT_SEQUENTIAL_GREATER",
         "less": "TACT_SEQUENTIAL_LESS"}


def case(name, eff, alpha, tuning, side, a=None):
    est, se, n = eff
    a = alpha if a is None else a
    two = side == "two-sided"
    rho = rho_of(alpha, tuning, two)
    hw = halfwidth(se, n, rho, a, two)
    if two:
        p = p_two_sided(est, se, n, rho)
        low, high = est - hw, est + hw
    else:
        p = p_one_sided(est, se, n, rho, side == "greater")
        low, high = (est - hw, math.inf) if side == "greater" else (-math.inf, est + hw)
    return (name, est, se, n, alpha, tuning, a, SIDES[side], rho, hw, low, high, p)


# GrowthBook's fixtures' inputs (packages/stats/tests/frequentist/test_tests.py)
gb_mean_a = mean_stat(1396.87, 52377.9767, 3000)
gb_mean_b = mean_stat(2422.7, 134698.29, 3461)
gb_prop_a = prop_stat(1396, 3000)
gb_prop_b = prop_stat(2422, 3461)

if __name__ == "__main__":
    rng = np.random.default_rng(17)
    cases = [
        # TestSequentialTTest.test_sequential_test_runs (relative, tuning 1000)
        case("gb means relative tuning 1000", relative(gb_mean_a, gb_mean_b), 0.05, 1000, "two-sided"),
        # TestSequentialTTest.test_sequential_test_runs_prop (relative, 5000)
        case("gb rates relative", relative(gb_prop_a, gb_prop_b), 0.05, 5000, "two-sided"),
        # TestSequentialOneSided{Greater,Lesser}TTest.test_one_sided_ttest_absolute
        case("gb means absolute greater", absolute(gb_mean_a, gb_mean_b), 0.05, 5000, "greater"),
        case("gb means absolute less", absolute(gb_mean_a, gb_mean_b), 0.05, 5000, "less"),
        # the same inputs, absolute and two-sided
        case("gb means absolute", absolute(gb_mean_a, gb_mean_b), 0.05, 5000, "two-sided"),
        case("gb rates absolute", absolute(gb_prop_a, gb_prop_b), 0.05, 5000, "two-sided"),
        case("gb rates absolute greater", absolute(gb_prop_a, gb_prop_b), 0.05, 5000, "greater"),
        case("gb rates absolute less", absolute(gb_prop_a, gb_prop_b), 0.05, 5000, "less"),
        # a row level a_row below the nominal alpha: rho from alpha, a in the log
        case("means at a_row", absolute(gb_mean_a, gb_mean_b), 0.05, 5000, "two-sided", a=0.0125),
        case("rates 90% tuning 200", absolute(prop_stat(52, 400), prop_stat(71, 410)), 0.10, 200, "two-sided"),
        case("rates small effect", absolute(prop_stat(52, 400), prop_stat(60, 410)), 0.05, 5000, "two-sided"),
        case("negative effect less", absolute(prop_stat(90, 1000), prop_stat(61, 1000)), 0.05, 5000, "less"),
        case("negative effect greater", absolute(prop_stat(90, 1000), prop_stat(61, 1000)), 0.05, 5000, "greater"),
        case("one-sided at a_row", absolute(prop_stat(90, 1000), prop_stat(61, 1000)), 0.05, 5000, "less", a=0.02),
    ]
    for i in range(6):
        na, nb = int(rng.integers(50, 20000)), int(rng.integers(50, 20000))
        ma, sa = rng.normal(10, 3), rng.uniform(1, 20)
        mb = ma + rng.normal(0, 1)
        eff = absolute((ma, sa * sa, na), (mb, sa * sa * rng.uniform(0.5, 2), nb))
        side = ["two-sided", "greater", "less"][i % 3]
        cases.append(case("random %d" % i, eff, [0.05, 0.01, 0.2][i % 3],
                          [5000, 100, 1e5][i // 2 % 3], side))

    print("/* Generated by tests/expected/sequential.py: do not edit. */")
    print("typedef struct sequential_case {")
    print("\tconst char *name;")
    print("\tdouble estimate, se, n, alpha, tuning, a;")
    print("\ttact_sequential_side side;")
    print("\tdouble rho, half_width, low, high, p_value;")
    print("} sequential_case;")
    print("static const sequential_case cases[] = {")
    for k in cases:
        print('\t{"%s", %s, %s},' % (k[0], ", ".join(c(v) for v in k[1:7]),
                                      ", ".join([k[7]] + [c(v) for v in k[8:]])))
    print("};")
