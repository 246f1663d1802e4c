#!/usr/bin/python3
"""intent_sklearn.py - scikit-learn's numbers for tact-intent eval.

Run with Debian's Python (python3-numpy, python3-sklearn):

    /usr/bin/python3 tests/expected/intent_sklearn.py

It cross-validates scikit-learn's LogisticRegression exactly as

    tact-intent eval --label LABEL --features FEATURES --C 1 --folds 5 --seed 1

does, independently of tact's code, on two data sets:

  - datasets/online_shoppers_intention.csv, label Revenue (two classes),
    into tests/expected/intent_sklearn.csv (CLI case intent-eval-sklearn);
  - tests/cli/data/intent-small.csv, label intent (three classes, the
    multinomial model), into tests/expected/intent_sklearn_small.csv (CLI
    case intent-eval-multinomial-sklearn).

What tact does, rewritten here from tact-intent(1):

  - encoding as documented in tact-intent(1): numeric columns as numbers,
    booleans (TRUE/FALSE) as 1/0, categorical columns (VisitorType, Month) as
    one indicator per level but the first in byte order (pandas
    get_dummies(drop_first=True) on sorted levels);
  - classes sorted by their bytes (FALSE, TRUE): the model gives P(TRUE);
  - folds dealt as tact-intent(1) documents: splitmix64 from the seed,
    Fisher-Yates within each class (j = next() mod (i + 1)), rows dealt to
    folds 0..k-1 in turn across the classes;
  - per fold: StandardScaler fitted on the training folds, then
    LogisticRegression(penalty='l2', C=1) by an exact Newton solver at tol
    1e-12 (newton-cholesky for two classes; newton-cg, multinomial, for
    three), which minimizes 0.5 ||w||^2 + C sum(logloss): tact's
    lambda = 1 / C;
  - measures: sklearn.metrics accuracy_score, roc_auc_score (three classes:
    multi_class='ovr', average='macro') and log_loss on the pooled
    out-of-fold predictions ("all"), on each fold, and their mean over the
    folds ("mean"); precision, recall and the confusion matrix of the pooled
    predictions.

Output: CSV "metric,fold,class,predicted,value", the rows tact writes for the
same figures (tests/cli/cases/intent-eval-sklearn checks the agreement).
"""
import csv
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, confusion_matrix, log_loss,
                             precision_score, recall_score, roc_auc_score)
from sklearn.preprocessing import StandardScaler

warnings.simplefilter("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDS, SEED, C = 5, 1, 1.0
MASK = (1 << 64) - 1
SETS = [
    {"data": os.path.join(HERE, "..", "..", "datasets",
                          "online_shoppers_intention.csv"),
     "out": os.path.join(HERE, "intent_sklearn.csv"),
     "label": "Revenue",
     "features": ["Administrative", "Administrative_Duration", "Informational",
                  "Informational_Duration", "ProductRelated",
                  "ProductRelated_Duration", "BounceRates", "ExitRates",
                  "PageValues", "SpecialDay", "VisitorType", "Weekend", "Month"],
     "boolean": ["Weekend"], "categorical": ["VisitorType", "Month"]},
    {"data": os.path.join(HERE, "..", "cli", "data", "intent-small.csv"),
     "out": os.path.join(HERE, "intent_sklearn_small.csv"),
     "label": "intent",
     "features": ["visits", "minutes", "returning", "device"],
     "boolean": ["returning"], "categorical": ["device"]},
]
TRUTH = {"TRUE": 1.0, "FALSE": 0.0, "YES": 1.0, "NO": 0.0}


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def folds_of(labels, classes, k, seed):
    fold = [0] * len(labels)
    state, next_fold = seed, 0
    for c in range(classes):
        members = [i for i, y in enumerate(labels) if y == c]
        for i in range(len(members) - 1, 0, -1):
            state, r = splitmix64(state)
            j = r % (i + 1)
            members[i], members[j] = members[j], members[i]
        for i in members:
            fold[i] = next_fold
            next_fold = (next_fold + 1) % k
    return np.array(fold)


def load(spec):
    with open(spec["data"], newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    blocks = []
    for name in spec["features"]:
        values = [r[name] for r in rows]
        if name in spec["categorical"]:
            levels = sorted(set(values), key=lambda s: s.encode("utf-8"))
            blocks += [np.array([1.0 if v == level else 0.0 for v in values])
                       for level in levels[1:]]
        elif name in spec["boolean"]:
            blocks.append(np.array([TRUTH[v.upper()] for v in values]))
        else:
            blocks.append(np.array([float(v) for v in values]))
    x = np.column_stack(blocks)
    label = spec["label"]
    classes = sorted({r[label] for r in rows}, key=lambda s: s.encode("utf-8"))
    y = np.array([classes.index(r[label]) for r in rows])
    return x, y, classes


def auc(y, p, k):
    if k == 2:
        return roc_auc_score(y, p[:, 1])
    return roc_auc_score(y, p, multi_class="ovr", average="macro")


def run(spec):
    x, y, classes = load(spec)
    k = len(classes)
    fold = folds_of(list(y), k, FOLDS, SEED)
    scores = np.zeros((len(y), k))
    per_fold = []
    for f in range(FOLDS):
        train, test = fold != f, fold == f
        scaler = StandardScaler().fit(x[train])
        if k == 2:
            model = LogisticRegression(penalty="l2", C=C,
                                       solver="newton-cholesky", tol=1e-12,
                                       max_iter=1000)
        else:
            model = LogisticRegression(penalty="l2", C=C, solver="newton-cg",
                                       multi_class="multinomial", tol=1e-12,
                                       max_iter=1000)
        model.fit(scaler.transform(x[train]), y[train])
        p = model.predict_proba(scaler.transform(x[test]))
        scores[test] = p
        per_fold.append((accuracy_score(y[test], p.argmax(axis=1)),
                         auc(y[test], p, k),
                         log_loss(y[test], p, labels=list(range(k)))))
    predicted = scores.argmax(axis=1)
    with open(spec["out"], "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["metric", "fold", "class", "predicted", "value"])
        out.writerow(["accuracy", "all", "", "",
                      repr(accuracy_score(y, predicted))])
        out.writerow(["auc", "all", "", "", repr(auc(y, scores, k))])
        out.writerow(["log_loss", "all", "", "", repr(log_loss(y, scores))])
        precision = precision_score(y, predicted, average=None)
        recall = recall_score(y, predicted, average=None)
        for c, name in enumerate(classes):
            out.writerow(["precision", "all", name, "", repr(float(precision[c]))])
            out.writerow(["recall", "all", name, "", repr(float(recall[c]))])
        matrix = confusion_matrix(y, predicted)
        for a, actual in enumerate(classes):
            for b, guess in enumerate(classes):
                out.writerow(["confusion", "all", actual, guess,
                              int(matrix[a, b])])
        for i, (acc, area, loss) in enumerate(per_fold):
            out.writerow(["accuracy", i + 1, "", "", repr(acc)])
            out.writerow(["auc", i + 1, "", "", repr(area)])
            out.writerow(["log_loss", i + 1, "", "", repr(loss)])
        means = np.mean(np.array(per_fold), axis=0)
        for name, value in zip(["accuracy", "auc", "log_loss"], means):
            out.writerow([name, "mean", "", "", repr(float(value))])
        f.write("# scikit-learn %s, numpy %s\n" % (sklearn.__version__,
                                                   np.__version__))


if __name__ == "__main__":
    for spec in SETS:
        run(spec)
