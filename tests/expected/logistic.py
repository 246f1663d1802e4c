#!/usr/bin/python3
"""logistic.py - expected values for tests/unit/test_logistic.c.

Run with Debian's Python (python3-numpy, python3-statsmodels, python3-sklearn):

    /usr/bin/python3 tests/expected/logistic.py > tests/expected/logistic_expected.h

The data are drawn here with a fixed seed and written into the header with 17
significant digits, so the C test fits exactly the numbers the references fitted.
The references, all independent of tact:

  - statsmodels Logit (Newton): the unregularized binary fit (coefficients,
    standard errors, z, p-values, log-likelihood, null log-likelihood).
  - statsmodels GLM(Binomial) with freq_weights: the weighted binary fit; with a
    (successes, failures) endog: the grouped binomial fit (deviance, null
    deviance); its get_prediction gives the delta-method interval (the interval
    on the logit scale, transformed back).
  - statsmodels Logit on the grouped data expanded to one row per trial: the
    grouped fit's log-likelihood without the binomial coefficients.
  - statsmodels MNLogit: the unregularized multinomial fit (class 0 reference).
  - scikit-learn LogisticRegression: the L2 fits, binary and multinomial, raw
    or behind StandardScaler (coefficients mapped back to the raw scale here).
    The values come from its exact-Newton solvers (newton-cholesky, newton-cg)
    at tol 1e-12; its default lbfgs (tol 1e-10) is run too and must agree to
    2e-4 (it stops early, see sk() below).  tact's lambda is 1/C: sklearn minimizes
    0.5*||w||^2 + C*sum(logloss), i.e. sum(logloss) + (1/(2C))*||w||^2.
  - numpy: the penalized covariance, inv(X'WX + lambda*D) (binary) and
    pinv of the penalized Hessian (multinomial), evaluated at sklearn's
    solution.  This checks tact's algebra with an independent evaluation of the
    same definition, not an independent definition.
"""
import sys
import warnings

import numpy as np
import sklearn
import statsmodels
import statsmodels.api as sm
from scipy.special import expit, gammaln, softmax
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

warnings.simplefilter("ignore")
rng = np.random.default_rng(20240611)
out = []


def emit_array(name, values):
    values = np.asarray(values, dtype=float).ravel()
    body = ",\n\t".join(", ".join(repr(float(v)) for v in values[i:i + 4])
                        for i in range(0, len(values), 4))
    out.append("static const double %s[%d] = {\n\t%s\n};" % (name, len(values), body))


def emit_scalar(name, value):
    out.append("#define %s (%r)" % (name, float(value)))


def emit_size(name, value):
    out.append("#define %s %d" % (name, int(value)))


# --- Data set A: 200 visitors, binary outcome, 3 features --------------------
n_a = 200
x1 = rng.normal(0.0, 1.0, n_a)
x2 = np.round(rng.uniform(0.0, 10.0, n_a), 1)      # exposures-like
x3 = (rng.uniform(size=n_a) < 0.4).astype(float)   # a device flag
xa = np.column_stack([x1, x2, x3])
eta = -0.5 + 0.8 * x1 - 0.15 * x2 + 0.6 * x3
ya = (rng.uniform(size=n_a) < expit(eta)).astype(float)
wa = rng.integers(1, 4, n_a).astype(float)         # frequency weights 1..3
Xa = sm.add_constant(xa)

emit_size("A_ROWS", n_a)
emit_size("A_FEATURES", 3)
emit_array("a_x", xa)
emit_array("a_y", ya)
emit_array("a_w", wa)

# Unregularized: statsmodels Logit.
logit = sm.Logit(ya, Xa).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
emit_array("a_logit_coef", logit.params)
emit_array("a_logit_se", logit.bse)
emit_array("a_logit_z", logit.tvalues)
emit_array("a_logit_p", logit.pvalues)
emit_array("a_logit_cov", logit.cov_params())
emit_scalar("A_LOGIT_LLF", logit.llf)
emit_scalar("A_LOGIT_LLNULL", logit.llnull)

# Delta-method interval for the predicted probability at one point, from GLM
# (same fit): the interval on the linear-predictor scale, transformed back.
glm_a = sm.GLM(ya, Xa, family=sm.families.Binomial()).fit(tol=1e-14)
point = np.array([0.5, 3.0, 1.0])
frame = glm_a.get_prediction(np.concatenate([[1.0], point])[None, :]).summary_frame(alpha=0.05)
emit_array("a_point", point)
emit_scalar("A_POINT_P", frame["mean"].iloc[0])
emit_scalar("A_POINT_LOW95", frame["mean_ci_lower"].iloc[0])
emit_scalar("A_POINT_HIGH95", frame["mean_ci_upper"].iloc[0])
frame90 = glm_a.get_prediction(np.concatenate([[1.0], point])[None, :]).summary_frame(alpha=0.10)
emit_scalar("A_POINT_LOW90", frame90["mean_ci_lower"].iloc[0])
emit_scalar("A_POINT_HIGH90", frame90["mean_ci_upper"].iloc[0])

# Weighted (frequency weights): statsmodels GLM(Binomial, freq_weights).
glm_w = sm.GLM(ya, Xa, family=sm.families.Binomial(), freq_weights=wa).fit(tol=1e-14)
emit_array("a_weighted_coef", glm_w.params)
emit_array("a_weighted_se", glm_w.bse)
emit_scalar("A_WEIGHTED_LLF", glm_w.llf)   # Bernoulli rows: no binomial coefficient
emit_scalar("A_WEIGHTED_DEVIANCE", glm_w.deviance)

# L2, raw features: sklearn LogisticRegression(C=0.5).
def sk(C, X, y, w=None, multi=False):
    """sklearn's LogisticRegression at a tight optimum, cross-checked with lbfgs.

    lbfgs (sklearn's default) stops on scipy's relative objective change and
    leaves a gradient of about 1e-3 here: it agrees with the optimum to about
    1e-5.  The exact-Newton solvers of the same class and objective
    (newton-cholesky, binary; newton-cg, multinomial) reach a gradient under
    1e-10, so they give the expected values, and lbfgs must agree with them.
    """
    kw = dict(C=C, penalty="l2", max_iter=100000)
    if multi:
        kw["multi_class"] = "multinomial"
    exact = LogisticRegression(solver="newton-cg" if multi else "newton-cholesky",
                               tol=1e-12, **kw).fit(X, y, sample_weight=w)
    lbfgs = LogisticRegression(solver="lbfgs", tol=1e-10, **kw).fit(X, y, sample_weight=w)
    scale = max(1.0, np.max(np.abs(exact.coef_)))
    assert np.max(np.abs(exact.coef_ - lbfgs.coef_)) < 2e-4 * scale, (exact.coef_, lbfgs.coef_)
    assert np.max(np.abs(exact.intercept_ - lbfgs.intercept_)) < 2e-4 * scale
    return exact


C_raw = 0.5
m = sk(C_raw, xa, ya)
coef = np.concatenate([m.intercept_, m.coef_.ravel()])
emit_scalar("A_L2_C", C_raw)
emit_array("a_l2_coef", coef)
mu = expit(Xa @ coef)
H = Xa.T @ (Xa * (mu * (1 - mu))[:, None]) + np.diag([0.0, 1, 1, 1]) / C_raw
emit_array("a_l2_se", np.sqrt(np.diag(np.linalg.inv(H))))
emit_scalar("A_L2_LLF", np.sum(ya * np.log(mu) + (1 - ya) * np.log1p(-mu)))

# L2 on standardized features (StandardScaler, then LogisticRegression), with
# frequency weights, mapped back to the raw scale.
C_std = 0.05
scaler = StandardScaler().fit(xa, sample_weight=wa)
m = sk(C_std, scaler.transform(xa), ya, wa)
w_std = m.coef_.ravel()
slopes = w_std / scaler.scale_
intercept = m.intercept_[0] - np.sum(w_std * scaler.mean_ / scaler.scale_)
emit_scalar("A_L2STD_C", C_std)
emit_array("a_l2std_coef", np.concatenate([[intercept], slopes]))

# --- Data set B: grouped binomial, 10 exposure levels x 2 devices -------------
exposure = np.repeat(np.arange(10.0), 2)
device = np.tile([0.0, 1.0], 10)
xb = np.column_stack([exposure, device])
trials = rng.integers(50, 400, len(exposure)).astype(float)
successes = rng.binomial(trials.astype(int), expit(-1.2 + 0.12 * exposure - 0.4 * device)).astype(float)
Xb = sm.add_constant(xb)
emit_size("B_ROWS", len(exposure))
emit_size("B_FEATURES", 2)
emit_array("b_x", xb)
emit_array("b_successes", successes)
emit_array("b_trials", trials)

glm_b = sm.GLM(np.column_stack([successes, trials - successes]), Xb,
               family=sm.families.Binomial()).fit(tol=1e-14)
emit_array("b_glm_coef", glm_b.params)
emit_array("b_glm_se", glm_b.bse)
emit_scalar("B_GLM_DEVIANCE", glm_b.deviance)
emit_scalar("B_GLM_NULL_DEVIANCE", glm_b.null_deviance)
# GLM's llf includes log C(n, y); tact's log-likelihood is the Bernoulli one.
log_choose = np.sum(gammaln(trials + 1) - gammaln(successes + 1) - gammaln(trials - successes + 1))
# The same number from Logit on the data expanded to one row per trial.
rows_x, rows_y = [], []
for xi, s, t in zip(Xb, successes, trials):
    rows_x += [xi] * int(t)
    rows_y += [1.0] * int(s) + [0.0] * int(t - s)
expanded = sm.Logit(np.array(rows_y), np.array(rows_x)).fit(method="newton", tol=1e-14, disp=0)
assert abs(expanded.llf - (glm_b.llf - log_choose)) < 1e-8 * abs(expanded.llf)
assert np.max(np.abs(expanded.params - glm_b.params)) < 1e-9
emit_scalar("B_BERNOULLI_LLF", expanded.llf)

# Grouped data, L2 on standardized features: sklearn on the expanded form
# (each group as a success row weighted by its successes and a failure row
# weighted by its failures), StandardScaler with the same weights.
C_b = 0.01
xe = np.vstack([xb, xb])
ye = np.concatenate([np.ones(len(xb)), np.zeros(len(xb))])
we = np.concatenate([successes, trials - successes])
scaler = StandardScaler().fit(xe, sample_weight=we)
m = sk(C_b, scaler.transform(xe), ye, we)
w_std = m.coef_.ravel()
emit_scalar("B_L2STD_C", C_b)
emit_array("b_l2std_coef", np.concatenate(
    [[m.intercept_[0] - np.sum(w_std * scaler.mean_ / scaler.scale_)], w_std / scaler.scale_]))

# --- Data set M: 300 rows, 3 classes, 2 features ----------------------------
n_m = 300
m1 = rng.normal(0.0, 1.0, n_m)
m2 = np.round(rng.uniform(0.0, 5.0, n_m), 2)
xm = np.column_stack([m1, m2])
Xm = sm.add_constant(xm)
B = np.array([[0.0, 0.0, 0.0], [0.5, 1.0, -0.3], [-0.2, -0.8, 0.4]])
prob = softmax(Xm @ B.T, axis=1)
ym = np.array([rng.choice(3, p=p) for p in prob])
emit_size("M_ROWS", n_m)
emit_size("M_FEATURES", 2)
emit_size("M_CLASSES", 3)
out.append("static const size_t m_y[%d] = {\n\t%s\n};" % (
    n_m, ",\n\t".join(", ".join(str(int(v)) for v in ym[i:i + 16]) for i in range(0, n_m, 16))))
emit_array("m_x", xm)
mpoint = np.array([0.3, 2.0])
emit_array("m_point", mpoint)

# Unregularized: statsmodels MNLogit (class 0 is the reference).
mn = sm.MNLogit(ym, Xm).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
emit_array("m_mnlogit_coef", np.asarray(mn.params).T)   # class 1 row, class 2 row
emit_array("m_mnlogit_se", np.asarray(mn.bse).T)
emit_scalar("M_MNLOGIT_LLF", mn.llf)
emit_array("m_mnlogit_point_p", mn.predict(np.concatenate([[1.0], mpoint])[None, :]).ravel())

# L2 multinomial, raw: sklearn (symmetric K-class parameterisation).
C_m = 0.8
m = sk(C_m, xm, ym, multi=True)
W = np.column_stack([m.intercept_, m.coef_])          # K x (p+1)
# lbfgs starts at 0 and the intercept gradient sums to 0 over classes, so the
# intercepts sum to 0; tact fixes the same constraint.  Checked, not assumed:
assert abs(np.sum(m.intercept_)) < 1e-8, m.intercept_
emit_scalar("M_L2_C", C_m)
emit_array("m_l2_coef", W)
emit_array("m_l2_point_p", m.predict_proba(mpoint[None, :]).ravel())
P = softmax(Xm @ W.T, axis=1)
emit_scalar("M_L2_LLF", np.sum(np.log(P[np.arange(n_m), ym])))
K, q = 3, 3
Hm = np.zeros((K * q, K * q))
for k in range(K):
    for l in range(K):
        a = P[:, k] * ((k == l) - P[:, l])
        Hm[k * q:(k + 1) * q, l * q:(l + 1) * q] = Xm.T @ (Xm * a[:, None])
for k in range(K):
    for j in range(1, q):
        Hm[k * q + j, k * q + j] += 1.0 / C_m
# pinv: the covariance under the constraint that the intercepts sum to 0.
emit_array("m_l2_se", np.sqrt(np.diag(np.linalg.pinv(Hm, rcond=1e-12))))

# L2 multinomial on standardized features.
C_ms = 0.2
scaler = StandardScaler().fit(xm)
m = sk(C_ms, scaler.transform(xm), ym, multi=True)
slopes = m.coef_ / scaler.scale_
intercepts = m.intercept_ - m.coef_ @ (scaler.mean_ / scaler.scale_)
emit_scalar("M_L2STD_C", C_ms)
emit_array("m_l2std_coef", np.column_stack([intercepts, slopes]))

print("/*")
print(" * logistic_expected.h - generated by tests/expected/logistic.py; do not edit.")
print(" * numpy %s, statsmodels %s, scikit-learn %s." % (np.__version__, statsmodels.__version__, sklearn.__version__))
print(" */")
print("#ifndef TACT_LOGISTIC_EXPECTED_H")
print("#define TACT_LOGISTIC_EXPECTED_H")
print()
print("#include <stddef.h>")
print()
print("\n\n".join(out))
print()
print("#endif")
