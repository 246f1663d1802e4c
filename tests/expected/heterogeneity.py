#!/usr/bin/python3
"""heterogeneity.py - expected values for tests/unit/test_heterogeneity.c.

Run with Debian's Python (python3-numpy, python3-scipy):

    /usr/bin/python3 tests/expected/heterogeneity.py > tests/expected/heterogeneity_expected.h

Independent of tact: numpy for the inverse-variance sums, scipy.stats.chi2.sf
for the chi-square upper tails, scipy.special.comb for the binomial weights,
scipy.optimize.brentq for the critical values.

Gail-Simon p-value: p = sum_{h=1}^{K-1} C(K-1, h) / 2^(K-1) * chi2.sf(c, h), the
rejection probability at the least favourable null configuration (one effect
at 0, the other K-1 far on one side): as in Gail & Simon (1985), SAS PROC FREQ
(GAILSIMON: "B(h; n=(q-1), p=0.5)") and R's QualInt (alphaf: dbinom(1:times,
times, 0.5), times = nsbp - 1) and biostatUZH (gailSimon: dbinom(size =
nSubgroups - 1)).  The variant C(K, h) / 2^K does not reproduce the paper's
table of critical values (K = 3, alpha = 0.05: 4.58 instead of 4.23) and its
test has size about 4.1%, not 5%, at the least favourable point; both facts
are asserted below, the second by simulation.

The table of critical values: QualInt 1.0.0 (Yu, Suh, Pan; CRAN, 2014)
tabulates them in its cvaluef() for I = 2..10, 12, 14, 16, 18, 20, 25, 30
subsets and alpha = 0.20, 0.10, 0.05, 0.025, 0.001, the layout of Gail &
Simon's Table 1 (the paper itself was not available to us; the table is
quoted in the test as QualInt gives it, two decimals).
"""
import numpy as np
import scipy
from scipy.optimize import brentq
from scipy.special import comb
from scipy.stats import chi2

out = []


def gail_simon_p(c, k):
    h = np.arange(1, k)
    return float(np.sum(comb(k - 1, h) / 2.0 ** (k - 1) * chi2.sf(c, h)))


def brief_variant_p(c, k):   # C(K, h) / 2^K: refuted below
    h = np.arange(1, k)
    return float(np.sum(comb(k, h) / 2.0 ** k * chi2.sf(c, h)))


def critical(k, alpha, tail=gail_simon_p):
    return brentq(lambda c: tail(c, k) - alpha, 0.0, 400.0, xtol=1e-14, rtol=1e-15)


cases = [
    # biostatUZH's gailSimon example (risk differences in 4 subgroups)
    ("biostatuzh_example", [0.163, -0.114, -0.047, -0.151], [0.0788, 0.0689, 0.0614, 0.0547]),
    # conversion lift per intent: buyer, browser, researcher
    ("intent_three", [0.012, 0.004, -0.006], [0.003, 0.002, 0.0025]),
    ("two_opposite", [0.8, -0.5], [0.3, 0.25]),
    ("same_sign", [0.10, 0.25, 0.05, 0.30, 0.12], [0.05, 0.08, 0.04, 0.10, 0.06]),
    ("homogeneous", [0.020, 0.021, 0.019], [0.01, 0.012, 0.011]),   # Q < df: I^2 = 0
    ("with_zero", [0.0, 1.2, -0.4, 0.7], [0.5, 0.4, 0.3, 0.6]),
    ("eight_mixed", [1.5, -2.0, 0.3, 4.1, -0.2, 2.2, -3.5, 0.9],
     [0.9, 1.1, 0.4, 1.5, 0.3, 1.0, 1.2, 0.8]),
    ("strong", [3.0, -3.2, 2.5], [0.2, 0.25, 0.3]),   # tiny p-values
]

out.append("""typedef struct heterogeneity_case {
	const char *name;
	size_t segments;
	double effects[8];
	double standard_errors[8];
	double pooled_effect, pooled_standard_error;
	double q, q_p_value, i_squared;
	double q_positive, q_negative, gail_simon_statistic, gail_simon_p_value;
} heterogeneity_case;""")
rows = []
for name, d, s in cases:
    d = np.array(d)
    s = np.array(s)
    k = len(d)
    w = 1.0 / s ** 2
    pooled = np.sum(w * d) / np.sum(w)
    q = np.sum(w * (d - pooled) ** 2)
    i2 = max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0
    qpos = np.sum((d / s) ** 2 * (d > 0))
    qneg = np.sum((d / s) ** 2 * (d < 0))
    gs = min(qpos, qneg)
    values = [pooled, 1.0 / np.sqrt(np.sum(w)), q, chi2.sf(q, k - 1), i2,
              qpos, qneg, gs, gail_simon_p(gs, k)]
    pad = lambda v: ", ".join(repr(float(x)) for x in list(v) + [0.0] * (8 - k))
    rows.append('\t{"%s", %d,\n\t {%s},\n\t {%s},\n\t %s}' % (
        name, k, pad(d), pad(s), ",\n\t ".join(repr(float(v)) for v in values)))
out.append("static const heterogeneity_case heterogeneity_cases[] = {\n%s\n};" % ",\n".join(rows))

# p-values of given statistics (including 0 and large ones).
pv = []
for k in (2, 3, 5, 10, 30):
    for c in (0.0, 0.5, 2.7, 7.0, 20.0, 60.0):
        pv.append("\t{%d, %r, %r}" % (k, c, gail_simon_p(c, k)))
out.append("typedef struct gail_simon_p_case { size_t segments; double statistic, p; } gail_simon_p_case;")
out.append("static const gail_simon_p_case gail_simon_p_cases[] = {\n%s\n};" % ",\n".join(pv))

# Critical values: SciPy, and the published table (two decimals).
sbp = [2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20, 25, 30]
sig = [0.20, 0.10, 0.05, 0.025, 0.001]
published = [  # QualInt cvaluef's alphaV, one column per level
    0.71, 1.73, 2.59, 3.39, 4.14, 4.86, 5.56, 6.75, 6.92, 8.24, 9.53, 10.79, 12.03, 13.26, 16.28, 19.25,
    1.64, 2.95, 4.01, 4.96, 5.84, 6.67, 7.48, 8.26, 9.02, 10.50, 11.93, 13.33, 14.70, 16.04, 19.34, 22.55,
    2.71, 4.23, 5.43, 6.50, 7.48, 8.41, 9.29, 10.15, 10.99, 12.60, 14.15, 15.66, 17.13, 18.57, 22.09, 25.50,
    3.84, 5.54, 6.86, 8.02, 9.09, 10.09, 11.05, 11.98, 12.87, 14.57, 16.25, 17.85, 19.41, 20.94, 24.65, 28.23,
    9.55, 11.76, 13.47, 14.95, 16.32, 17.58, 18.78, 19.93, 21.03, 23.13, 25.17, 27.10, 28.96, 30.79, 35.15, 39.33]
table = np.array(published).reshape(len(sig), len(sbp)).T
crit = []
for i, k in enumerate(sbp):
    for j, a in enumerate(sig):
        c = critical(k, a)
        # The formula reproduces the table to its rounding (0.005) or, for
        # 9 entries, within 0.025, except one entry (K = 9, alpha = 0.20):
        # 6.75 in the table, 6.25 here; the neighbours 5.56 (K = 8) and 6.92
        # (K = 10) make 6.75 a transcription slip for 6.25.
        if (k, a) == (9, 0.20):
            assert abs(c - 6.25) < 0.005 and abs(table[i, j] - 6.75) < 1e-9
        else:
            assert abs(c - table[i, j]) < 0.025, (k, a, c, table[i, j])
        crit.append("\t{%d, %r, %r, %r}" % (k, a, c, table[i, j]))
out.append("typedef struct gail_simon_critical_case { size_t segments; double alpha, critical, published; } gail_simon_critical_case;")
out.append("static const gail_simon_critical_case gail_simon_critical_cases[] = {\n%s\n};" % ",\n".join(crit))

# K = 2: the critical value is chi-square(1)'s upper 2*alpha point.
for a in sig:
    assert abs(critical(2, a) - chi2.isf(2 * a, 1)) < 1e-9
# The C(K, h)/2^K variant misses the table (K = 3, alpha = 0.05: 4.58)...
assert abs(critical(3, 0.05, brief_variant_p) - 4.58) < 0.005
# ...and at the least favourable null point (effects 0, 0, +huge) the K-1
# formula's critical value rejects 5% of the time (the size of the test),
# the variant's only about 4.1%.  z-scores drawn with a fixed seed.
rng = np.random.default_rng(1985)
z = rng.normal(size=(400000, 3))
z[:, 2] += 1e6
qpos = np.sum(z ** 2 * (z > 0), axis=1)
qneg = np.sum(z ** 2 * (z < 0), axis=1)
stat = np.minimum(qpos, qneg)
size_k1 = np.mean(stat > critical(3, 0.05))
size_variant = np.mean(stat > critical(3, 0.05, brief_variant_p))
assert abs(size_k1 - 0.05) < 0.002, size_k1          # MC s.e. 0.00034
assert abs(size_variant - 0.041) < 0.002, size_variant

print("/*")
print(" * heterogeneity_expected.h - generated by tests/expected/heterogeneity.py;")
print(" * do not edit.  numpy %s, SciPy %s." % (np.__version__, scipy.__version__))
print(" */")
print("#ifndef TACT_HETEROGENEITY_EXPECTED_H")
print("#define TACT_HETEROGENEITY_EXPECTED_H")
print()
print("#include <stddef.h>")
print()
print("\n\n".join(out))
print()
print("#endif")
