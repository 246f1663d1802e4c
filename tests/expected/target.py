#!/usr/bin/python3
"""tact-target's estimates computed again in NumPy, from the same folds.

Reads an export and the --scores file tact-target eval wrote (its folds and
out-of-fold decisions), and computes independently:
  - the outcome models: per fold and arm, for each 0/1 metric an L2-
    penalized logistic regression (lambda 1 on standardized features, the
    intercept unpenalized: scikit-learn's LogisticRegression(C=1) after
    StandardScaler; scikit-learn is not installed here, so Newton's method
    in NumPy), the arm's mean for other metrics; numbers as they are,
    labels one-hot against the first seen;
  - the AIPW scores g0, g1 (the treatment share as propensity);
  - the evaluation: out-of-fold value per 1,000 over no one and over
    everyone, everyone over no one, normal 95% intervals;
  - the best depth-2 tree on all units (exhaustive, numbers split at
    quantile cut points as target.h says, labels one against the rest,
    at least MIN_CELL units of each arm per leaf): its objective and the
    share it personalizes.
Prints the largest differences from tact's scores, and the figures.

  - with BY (one segment column), the segments policy out of fold: for
    each fold, personalize the segments whose D add up above 0 on the
    other folds.

Usage: target.py EXPORT SCORES ARM_COL CONTROL TREATMENT FEATURES WEIGHTS [BY]
       (FEATURES comma-separated; WEIGHTS as metric=w,...)
"""
import csv
import sys

import numpy as np
from scipy.stats import norm

MIN_CELL = 10
BY = sys.argv[8] if len(sys.argv) > 8 else None
BINS = 10


def fit_logistic(x, y, lam=1.0):
    mean = x.mean(axis=0)
    sd = x.std(axis=0)
    sd[sd == 0] = 1
    z = np.column_stack([np.ones(len(y)), (x - mean) / sd])
    b = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], lam)
    penalty[0] = 0
    for _ in range(100):
        p = 1 / (1 + np.exp(-z @ b))
        gradient = z.T @ (y - p) - penalty * b
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        b += step
        if np.max(np.abs(step)) < 1e-12:
            break
    return lambda xs: 1 / (1 + np.exp(-(b[0] + ((xs - mean) / sd) @ b[1:])))


def read(export, arm_col, control, treatment, features, metrics):
    with open(export, newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.DictReader(f)
                if r.get("consent", "1") == "1" and r[arm_col] in (control, treatment)]
    columns, kinds = [], []
    for name in features:
        cells = [r[name] for r in rows]
        try:
            columns.append(np.array([float(c) for c in cells]))
            kinds.append(("number", None))
        except ValueError:
            levels = list(dict.fromkeys(cells))
            columns.append(np.array([levels.index(c) for c in cells], float))
            kinds.append(("label", levels))
    treated = np.array([r[arm_col] == treatment for r in rows], float)
    y = np.array([[float(r[m] or 0) for m in metrics] for r in rows])
    segment = np.array([r[BY] for r in rows]) if BY else None
    return columns, kinds, treated, y, segment


def design(columns, kinds):
    parts = []
    for column, (kind, levels) in zip(columns, kinds):
        if kind == "number":
            parts.append(column[:, None])
        else:
            parts.append(np.column_stack([column == l for l in range(1, len(levels))]))
    return np.column_stack(parts).astype(float)


def scores(x, treated, y, weights, folds):
    n = len(treated)
    mu = np.zeros((2, n))
    binary = [set(np.unique(y[:, m])) <= {0.0, 1.0} for m in range(y.shape[1])]
    for k in np.unique(folds):
        test = folds == k
        for arm in (0, 1):
            train = (folds != k) & (treated == arm)
            for m, w in enumerate(weights):
                if binary[m]:
                    mu[arm, test] += w * fit_logistic(x[train], y[train, m])(x[test])
                else:
                    mu[arm, test] += w * y[train, m].mean()
    value = y @ np.array(weights)
    e = treated.mean()
    g1 = mu[1] + treated * (value - mu[1]) / e
    g0 = mu[0] + (1 - treated) * (value - mu[0]) / (1 - e)
    return g0, g1


def estimate(c):
    z = norm.isf(0.025)
    value = 1000 * c.mean()
    se = 1000 * c.std(ddof=1) / np.sqrt(len(c))
    return value, value - z * se, value + z * se


def codes_of(columns, kinds):
    """Bins as target.c draws them: cut points at quantiles, codes below."""
    out, splits = [], []
    for column, (kind, levels) in zip(columns, kinds):
        if kind == "label":
            out.append(column.astype(int))
            count = 1 if len(levels) == 2 else len(levels)
            splits.append([("label", j) for j in range(count)])
            continue
        s = np.sort(column)
        n = len(s)
        cuts = []
        for k in range(1, BINS):
            at = (k * n + BINS - 1) // BINS
            t = s[at - 1 if at else 0]
            if t >= s[-1]:
                break
            if not cuts or t > cuts[-1]:
                cuts.append(t)
        out.append(np.searchsorted(np.array(cuts), column, side="left"))
        splits.append([("number", j) for j in range(1, len(cuts) + 1)])
    return out, splits


def best_tree(codes, splits, d, treated):
    def ok(m):
        return (treated[m] == 1).sum() >= MIN_CELL and (treated[m] == 0).sum() >= MIN_CELL

    def leaf(m):
        return m if d[m].sum() > 0 else np.zeros_like(m)

    def better(v, b):
        return v > b + 1e-9 * (abs(b) + 1)

    all_masks = [(codes[f] == j) if kind == "label" else (codes[f] < j)
                 for f, options in enumerate(splits) for kind, j in options]
    everyone = np.ones(len(d), bool)
    best, chosen = max(0, d.sum()), leaf(everyone)
    for first in all_masks:
        sides = [first, ~first]
        if not all(ok(s) for s in sides):
            continue
        total, picked = 0, np.zeros(len(d), bool)
        for side in sides:
            b, pick = max(0, d[side].sum()), leaf(side)
            for second in all_masks:
                l, r = side & second, side & ~second
                if not (ok(l) and ok(r)):
                    continue
                v = max(0, d[l].sum()) + max(0, d[r].sum())
                if better(v, b):
                    b, pick = v, leaf(l) | leaf(r)
            total += b
            picked |= pick
        if better(total, best):
            best, chosen = total, picked
    return best, chosen


def main():
    export, scores_file, arm_col, control, treatment, features, weights = sys.argv[1:8]
    features = features.split(",")
    pairs = [w.split("=") for w in weights.split(",")]
    metrics = [m for m, _ in pairs]
    w = [float(v) for _, v in pairs]
    columns, kinds, treated, y, segment = read(export, arm_col, control, treatment, features, metrics)
    tact = np.genfromtxt(scores_file, delimiter=",", names=True)
    folds = tact["fold"].astype(int)
    g0, g1 = scores(design(columns, kinds), treated, y, w, folds)
    print(f"units {len(treated)}; largest |g0 - tact| {np.max(np.abs(g0 - tact['g0'])):.3g}, "
          f"|g1 - tact| {np.max(np.abs(g1 - tact['g1'])):.3g}")
    d = g1 - g0
    decision = tact["decision"]
    for name, c in (("learned (out of fold)", decision * d),
                    ("learned vs everyone", (decision - 1) * d),
                    ("everyone", d)):
        v, lo, hi = estimate(c)
        print(f"{name}: {v:.6f} [{lo:.6f}, {hi:.6f}] per 1000")
    print(f"share personalized out of fold {decision.mean():.6f}")
    if BY:
        on = np.zeros(len(d), bool)
        for k in np.unique(folds):
            for label in np.unique(segment):
                train = (folds != k) & (segment == label)
                if d[train].sum() > 0:
                    on |= (folds == k) & (segment == label)
        for name, c in (("segments that gain", on * d), ("segments vs everyone", (on - 1.0) * d)):
            v, lo, hi = estimate(c)
            print(f"{name}: {v:.6f} [{lo:.6f}, {hi:.6f}] per 1000")
        print(f"segments share {on.mean():.6f}")
    codes, splits = codes_of(columns, kinds)
    value, chosen = best_tree(codes, splits, d, treated)
    print(f"best depth-2 tree on all units: objective {value:.6f}, "
          f"personalizes {chosen.mean():.6f}")


if __name__ == "__main__":
    main()
