#!/usr/bin/python3
"""intent_statsmodels.py - statsmodels' numbers for tact-intent train --C inf.

Run with Debian's Python (python3-numpy, python3-statsmodels):

    /usr/bin/python3 tests/expected/intent_statsmodels.py

It draws a small fixed data set (seeded), writes it to
tests/cli/data/intent-small.csv, reads that file back (so the fit sees
exactly the digits tact reads), encodes it as tact-intent(1) documents
(numbers as numbers, yes/no as 1/0, a categorical column as indicators of
every level but the first in byte order) and fits, without a penalty:

  - statsmodels Logit (Newton, tol 1e-14): the binary label `bought` (classes
    no < yes: the model is P(yes)) on visits, minutes, returning, device;
  - statsmodels MNLogit (Newton): the three-class label `intent` (browse <
    buy < research, browse the reference) on the same features.

It writes tests/expected/intent_statsmodels.csv: the rows of the model file
tact writes for the same fits (record,feature,level,class,value,
standard_error: intercept and coefficient rows), which the CLI cases
intent-train-statsmodels and intent-train-mnlogit compare with tact's model
to 1e-6.
"""
import csv
import os

import numpy as np
import statsmodels
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "cli", "data", "intent-small.csv")
OUT = os.path.join(HERE, "intent_statsmodels.csv")

rng = np.random.default_rng(20261130)
n = 240
visits = rng.poisson(3.0, n)
minutes = np.round(rng.gamma(2.0, 4.0, n), 2)
returning = rng.uniform(size=n) < 0.45
device = rng.choice(["mobile", "desktop", "tablet"], n, p=[0.5, 0.35, 0.15])
eta = (-1.2 + 0.35 * visits - 0.06 * minutes + 0.7 * returning
       + np.where(device == "desktop", 0.5, 0.0)
       + np.where(device == "tablet", -0.4, 0.0))
bought = np.where(rng.uniform(size=n) < 1 / (1 + np.exp(-eta)), "yes", "no")
# Three intents: softmax of two linear predictors against browse.
eta_buy = -0.5 + 0.3 * visits - 0.05 * minutes + 0.6 * returning
eta_research = -0.8 + 0.08 * minutes + np.where(device == "desktop", 0.8, 0.0)
denominator = 1 + np.exp(eta_buy) + np.exp(eta_research)
u = rng.uniform(size=n)
p_browse = 1 / denominator
p_buy = np.exp(eta_buy) / denominator
intent = np.where(u < p_browse, "browse",
                  np.where(u < p_browse + p_buy, "buy", "research"))

with open(DATA, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["visitor", "visits", "minutes", "returning", "device",
                "bought", "intent"])
    for i in range(n):
        w.writerow(["v%03d" % (i + 1), int(visits[i]), "%.2f" % minutes[i],
                    "yes" if returning[i] else "no", device[i], bought[i],
                    intent[i]])

with open(DATA, newline="") as f:
    rows = list(csv.DictReader(f))
levels = sorted({r["device"] for r in rows}, key=lambda s: s.encode())
columns = [("visits", ""), ("minutes", ""), ("returning", "")] + \
          [("device", level) for level in levels[1:]]
x = np.column_stack(
    [np.array([float(r["visits"]) for r in rows]),
     np.array([float(r["minutes"]) for r in rows]),
     np.array([1.0 if r["returning"] == "yes" else 0.0 for r in rows])] +
    [np.array([1.0 if r["device"] == level else 0.0 for r in rows])
     for level in levels[1:]])
X = sm.add_constant(x)

out_file = open(OUT, "w", newline="")
out = csv.writer(out_file, lineterminator="\n")
out.writerow(["record", "feature", "level", "class", "value",
              "standard_error"])

y = np.array([1.0 if r["bought"] == "yes" else 0.0 for r in rows])
logit = sm.Logit(y, X).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
out.writerow(["intercept", "", "", "yes", repr(float(logit.params[0])),
              repr(float(logit.bse[0]))])
for j, (name, level) in enumerate(columns):
    out.writerow(["coefficient", name, level, "yes",
                  repr(float(logit.params[j + 1])),
                  repr(float(logit.bse[j + 1]))])

classes = sorted({r["intent"] for r in rows}, key=lambda s: s.encode())
k = np.array([classes.index(r["intent"]) for r in rows])
mn = sm.MNLogit(k, X).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
params, bse = np.asarray(mn.params), np.asarray(mn.bse)
for c in range(1, len(classes)):
    out.writerow(["intercept", "", "", classes[c], repr(float(params[0, c - 1])),
                  repr(float(bse[0, c - 1]))])
    for j, (name, level) in enumerate(columns):
        out.writerow(["coefficient", name, level, classes[c],
                      repr(float(params[j + 1, c - 1])),
                      repr(float(bse[j + 1, c - 1]))])
out_file.write("# statsmodels %s, numpy %s\n" % (statsmodels.__version__,
                                               np.__version__))
out_file.close()
