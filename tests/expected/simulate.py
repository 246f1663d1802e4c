#!/usr/bin/python3
"""Expected truth tables for tests/unit/test_simulate.c.

Run with Debian's /usr/bin/python3 (python3-scipy 1.10):
  /usr/bin/python3 tests/expected/simulate.py > tests/expected/simulate_expected.h

The model is the one lib/simulate.h documents, recomputed here from its
description (not from the C code): per intent i and arm a with exposure
mean mu,
  rate_k = sum_e Poisson(e; mu) * expit(logit(base_ik) + slope_ik * log(1 + e))
(the base rate itself when mu = 0), revenue = rate_converted * revenue_mean_i,
net value = w . (converted, bounced, unsubscribed, revenue); the pooled row
weights intents by their normalized shares; differences are against the
control arm of the same intent (or pooled); per-session figures divide by
the mean number of sessions m (a bounce repeats in the other m - 1 sessions
with the repeat rate); the optimal cap is the exposure count in 0..cap_max
that maximizes the intent's net value (the first one on ties).

Poisson masses come from scipy.stats.poisson.pmf, the logistic from
scipy.special.expit/logit, summed up to e = 400 (the largest mean is 9).
"""
import math

import numpy as np
import scipy
from scipy import special, stats

PROFILES = {  # share, base (c, b, u), slope (c, b, u), revenue per converter
    "browse": (0.40, (0.008, 0.40, 0.005), (0.05, 0.60, 1.30), 35.0),
    "buy": (0.20, (0.060, 0.20, 0.001), (0.70, 0.05, 2.50), 90.0),
    "research": (0.25, (0.030, 0.30, 0.003), (0.25, 0.15, 1.20), 60.0),
    "unknown": (0.15, (0.020, 0.35, 0.004), (0.15, 0.20, 0.80), 50.0),
}


def default_spec():
    return {
        "intents": [[name, *map(list, PROFILES[name][1:3]), PROFILES[name][3], PROFILES[name][0]]
                    for name in ("browse", "buy", "research", "unknown")],
        "arms": [["control", 0.5, 0.0], ["personalized", 0.5, 4.0]],
        "control": "control",
        "weights": [40.0, -0.5, -12.0, 0.0],
        "sessions_mean": 1.0,
        "repeat_rate": 0.5,
        "cap_max": 30,
    }


def custom_spec():
    # tact_sim_spec_set(intents "buy=0.3,browse=0.5,newcomer=0.2"),
    # (arms "control=0.4,light=0.3,heavy=0.3"),
    # (exposure-mean "light=1.5,heavy=9"), (rate "converted:buy=0.05/0.9,
    # unsubscribed:newcomer=0.01"), (revenue "buy=120"),
    # (weights "converted=30,bounced=-1,unsubscribed=-20,revenue=0.1"),
    # sessions_mean 2.5, cap_max 12.
    spec = default_spec()
    u = PROFILES["unknown"]
    # Listed intents keep their original order; new ones come last.
    spec["intents"] = [
        ["browse", list(PROFILES["browse"][1]), list(PROFILES["browse"][2]), 35.0, 0.5],
        ["buy", [0.05, 0.20, 0.001], [0.9, 0.05, 2.50], 120.0, 0.3],
        ["newcomer", [u[1][0], u[1][1], 0.01], list(u[2]), u[3], 0.2],
    ]
    spec["arms"] = [["control", 0.4, 0.0], ["light", 0.3, 1.5], ["heavy", 0.3, 9.0]]
    spec["weights"] = [30.0, -1.0, -20.0, 0.1]
    spec["sessions_mean"] = 2.5
    spec["cap_max"] = 12
    return spec


def rate_at(base, slope, e):
    if e == 0:
        return base
    return float(special.expit(special.logit(base) + slope * math.log1p(e)))


def expected_rates(base, slope, mu):
    if mu <= 0:
        return list(base)
    e = np.arange(0, 401)
    mass = stats.poisson.pmf(e, mu)
    out = []
    for k in range(3):
        r = special.expit(special.logit(base[k]) + slope[k] * np.log1p(e))
        r[0] = base[k]
        out.append(float(np.sum(mass * r)))
    return out


def truth(spec):
    w = spec["weights"]
    m = spec["sessions_mean"]
    intents = spec["intents"]
    arms = spec["arms"]
    total_i = sum(i[4] for i in intents)
    total_a = sum(a[1] for a in arms)
    control = [a[0] for a in arms].index(spec["control"])

    def net(r, revenue):
        return w[0] * r[0] + w[1] * r[1] + w[2] * r[2] + w[3] * revenue

    rows = {}
    pooled = [[0.0] * 6 for _ in arms]  # rates x3, revenue, exposures, net
    for name, base, slope, revenue_mean, share in intents:
        s = share / total_i
        for a, (arm, _, mu) in enumerate(arms):
            r = expected_rates(base, slope, mu)
            revenue = r[0] * revenue_mean
            row = r + [revenue, mu, net(r, revenue)]
            rows[(name, a)] = row
            for k in range(6):
                pooled[a][k] += s * row[k]
    lines = []
    for index, intent in enumerate(intents + [None]):
        if intent is not None:
            name, base, slope, revenue_mean, share = intent
            values = [net([rate_at(base[k], slope[k], e) for k in range(3)],
                          rate_at(base[0], slope[0], e) * revenue_mean)
                      for e in range(spec["cap_max"] + 1)]
            cap = int(np.argmax(values))  # the first maximum
            extra = [cap, values[cap], values[0], base[0], slope[0], base[1], slope[1],
                     base[2], slope[2], revenue_mean]
            get = lambda a: rows[(name, a)]
            intent_share = share / total_i
        else:
            name = "(all)"
            extra = [math.nan] * 10
            get = lambda a: pooled[a]
            intent_share = 1.0
        c = get(control)
        for a, (arm, arm_share, _) in enumerate(arms):
            r = get(a)
            lines.append((name, arm, [intent_share, arm_share / total_a] + r[:6] +
                          [r[k] - c[k] for k in (0, 1, 2, 3, 5)] +
                          [r[0] / m, r[1] * (1 + (m - 1) * spec["repeat_rate"]) / m,
                           r[2] / m, r[3] / m] + extra))
    return lines


def c(v):
    return "NAN" if math.isnan(v) else repr(float(v))


print("/* Generated by tests/expected/simulate.py with SciPy %s: do not edit. */" % scipy.__version__)
print("#define TRUTH_COLUMNS 27 /* the numeric columns after intent and arm */")
for label, spec in (("default", default_spec()), ("custom", custom_spec())):
    lines = truth(spec)
    print("static const struct { const char *intent, *arm; double values[TRUTH_COLUMNS]; }"
          " truth_%s[] = {" % label)
    for name, arm, values in lines:
        assert len(values) == 27
        print('\t{"%s", "%s", {%s}},' % (name, arm, ", ".join(c(v) for v in values)))
    print("};")
