#!/usr/bin/python3
"""dose.py - expected values for tact-dose, computed independently of tact.

Run with Debian's Python (python3-pandas, python3-statsmodels):

    /usr/bin/python3 tests/expected/dose.py

It reads tests/expected/dose_fixture.csv (made once by
"tact-simulate -n 5000 --seed 11 --missing-rate 0.01") visitor by visitor, never
grouped, and writes:

  dose_statsmodels.csv  per segment ('(all)' and each intent), metric and
      transform (log1p, linear, categorical on the bins 0-2, 3-4, 5-), the
      coefficients and standard errors of statsmodels' Logit (0/1 metrics,
      Newton to 1e-14) or OLS with cov_type="HC1" (revenue).  A fit that
      statsmodels finds separated (an error, or a standard error above 1e4:
      a coefficient running off to infinity) is 'failed'.  The CLI case
      tests/cli/cases/dose-statsmodels compares tact-dose --fits with it to 1e-6.

  dose_marketing.csv  the Logit of converted on log(1 + total ads) over all
      users of datasets/marketing_AB_sample.csv (the CLI case
      dose-marketing-statsmodels compares).

  dose_net.csv  per segment, the net value curve at 0..9 exposures under the
      weights converted=40, bounced=-0.5, unsubscribed=-12, revenue=0.05 (log1p
      transform), with its delta-method interval at 95% from the joint
      covariance of the four models' coefficients: for every pair of models k,
      l (k = l included) the sandwich inv(A_k) B_kl inv(A_l) with A the
      information (Logit) or X'X (OLS) and B_kl = sum over the visitors who
      have both outcomes of x x' r_k r_l (r the residual y - fitted).  Here the cross-products are
      summed visitor by visitor; tact gets them from the summary's co-moments.
      The CLI case tests/cli/cases/dose-net-covariance compares tact-dose
      --curve with it to 1e-6.

The analysed units are those tact-dose analyses by default: rows with consent,
in the treated arm ('personalized'), with an exposure count.
"""
import os
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.special import expit
from scipy.stats import norm

warnings.simplefilter("ignore")
here = os.path.dirname(os.path.abspath(__file__))
data = pd.read_csv(os.path.join(here, "dose_fixture.csv"))
data = data[(data.consent == 1) & (data.arm == "personalized")]
data = data[data.exposures.notna()]

METRICS = ["converted", "bounced", "unsubscribed", "revenue"]
BINARY = {"converted", "bounced", "unsubscribed"}
BINS = [(0, 2), (3, 4), (5, None)]
WEIGHTS = {"converted": 40.0, "bounced": -0.5, "unsubscribed": -12.0, "revenue": 0.05}
GRID = np.arange(0, 10)


def label(b):
    low, high = b
    if high is None:
        return "%d-" % low
    return "%d" % low if low == high else "%d-%d" % (low, high)


def design(e, transform):
    e = np.asarray(e, dtype=float)
    if transform == "log":
        return np.column_stack([np.ones_like(e), np.log1p(e)]), ["intercept", "log1p(exposures)"]
    if transform == "linear":
        return np.column_stack([np.ones_like(e), e]), ["intercept", "exposures"]
    columns = [np.ones_like(e)]
    names = ["bin %s (reference)" % label(BINS[0])]
    for b in BINS[1:]:
        low, high = b
        inside = (e >= low) if high is None else (e >= low) & (e <= high)
        columns.append(inside.astype(float))
        names.append("bin %s" % label(b))
    return np.column_stack(columns), names


def fit(frame, metric, transform):
    rows = frame[frame[metric].notna()]
    X, names = design(rows.exposures.values, transform)
    y = rows[metric].values.astype(float)
    if metric in BINARY:
        try:
            model = sm.Logit(y, X).fit(method="newton", tol=1e-14, maxiter=200, disp=0)
        except Exception:  # PerfectSeparationError
            return None, names, rows, X
        # Quasi-separation: statsmodels 0.13 returns a coefficient run off
        # towards infinity with a huge standard error instead of failing.
        if np.max(model.bse) > 1e4:
            return None, names, rows, X
        return model, names, rows, X
    return sm.OLS(y, X).fit(cov_type="HC1"), names, rows, X


segments = [("(all)", data)] + [(k, g) for k, g in sorted(data.groupby("intent"))]

with open(os.path.join(here, "dose_statsmodels.csv"), "w") as out:
    out.write("intent,metric,transform,term,coefficient,standard_error,status\n")
    for name, frame in segments:
        for transform in ["log", "linear", "categorical"]:
            for metric in METRICS:
                model, names, _, _ = fit(frame, metric, transform)
                if model is None:
                    out.write("%s,%s,%s,,,,failed\n" % (name, metric, transform))
                    continue
                for term, b, se in zip(names, model.params, model.bse):
                    out.write("%s,%s,%s,%s,%r,%r,ok\n" % (name, metric, transform, term, b, se))

z = norm.ppf(0.975)
with open(os.path.join(here, "dose_net.csv"), "w") as out:
    out.write("intent,exposures,fitted,low,high\n")
    for name, frame in segments:
        models = [fit(frame, m, "log") for m in METRICS]
        P = sum(len(names) for _, names, _, _ in models)
        V = np.zeros((P, P))
        offsets = np.cumsum([0] + [len(names) for _, names, _, _ in models])
        residuals, breads = [], []
        for k, (model, names, rows, X) in enumerate(models):
            if METRICS[k] in BINARY:
                mu = expit(X @ model.params)
                breads.append(np.linalg.inv(X.T @ (X * (mu * (1 - mu))[:, None])))
            else:
                mu = X @ model.params
                breads.append(np.linalg.inv(X.T @ X))
            residuals.append(pd.Series(rows[METRICS[k]].values - mu, index=rows.index))
        for k in range(len(models)):
            for l in range(k, len(models)):
                both = residuals[k].index.intersection(residuals[l].index)
                e = frame.loc[both, "exposures"].values
                X, _ = design(e, "log")
                s = residuals[k][both].values * residuals[l][both].values
                B = X.T @ (X * s[:, None])
                C = breads[k] @ B @ breads[l]
                ok, ol = offsets[k], offsets[l]
                V[ok:ok + C.shape[0], ol:ol + C.shape[1]] = C
                V[ol:ol + C.shape[1], ok:ok + C.shape[0]] = C.T
        for e in GRID:
            x, _ = design([e], "log")
            x = x[0]
            net, gradient = 0.0, np.zeros(P)
            for k, (model, names, _, _) in enumerate(models):
                eta = x @ model.params
                w = WEIGHTS[METRICS[k]]
                if METRICS[k] in BINARY:
                    p = expit(eta)
                    net += w * p
                    gradient[offsets[k]:offsets[k + 1]] = w * p * (1 - p) * x
                else:
                    net += w * eta
                    gradient[offsets[k]:offsets[k + 1]] = w * x
            sd = np.sqrt(gradient @ V @ gradient)
            out.write("%s,%d,%r,%r,%r\n" % (name, e, net, net - z * sd, net + z * sd))

# The Marketing A/B sample (datasets/marketing_AB_sample.csv): conversion on
# log(1 + total ads) over all users, both arms, as the CLI case
# dose-marketing-statsmodels fits it.
ads = pd.read_csv(os.path.join(here, "..", "..", "datasets", "marketing_AB_sample.csv"))
X = np.column_stack([np.ones(len(ads)), np.log1p(ads["total ads"].values)])
model = sm.Logit(ads["converted"].astype(float).values, X).fit(method="newton", tol=1e-14, disp=0)
with open(os.path.join(here, "dose_marketing.csv"), "w") as out:
    out.write("term,coefficient,standard_error\n")
    for term, b, se in zip(["intercept", "log1p(exposures)"], model.params, model.bse):
        out.write("%s,%r,%r\n" % (term, b, se))
