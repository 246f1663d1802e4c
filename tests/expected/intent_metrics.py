#!/usr/bin/python3
"""intent_metrics.py - expected values for tests/unit/test_crossval.c.

Run with Debian's Python (python3-numpy, python3-sklearn):

    /usr/bin/python3 tests/expected/intent_metrics.py \
        > tests/expected/intent_metrics_expected.h

Scores and labels are drawn with a fixed seed, rounded to two decimals so
that many scores tie, and written with 17 significant digits.  References:

  - scikit-learn 1.2 metrics: roc_auc_score (binary; multi_class='ovr',
    average='macro' for three classes), log_loss, accuracy_score,
    precision_score and recall_score (average=None), confusion_matrix,
    roc_curve (drop_intermediate=False), calibration_curve
    (strategy='uniform': its bins are [0, 0.2), ..., [0.8, 1], as tact's);
  - the fold assignment of tact-intent(1), rewritten here from its
    documentation (splitmix64, Fisher-Yates per class, dealt across classes),
    as tests/expected/intent_sklearn.py does.
"""
import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (accuracy_score, confusion_matrix, log_loss,
                             precision_score, recall_score, roc_auc_score,
                             roc_curve)

rng = np.random.default_rng(20261201)
out = []
MASK = (1 << 64) - 1


def emit_array(name, values, kind="double"):
    values = np.asarray(values).ravel()
    if kind == "double":
        text = [repr(float(v)) for v in values]
    else:
        text = ["%d" % int(v) for v in values]
    body = ",\n\t".join(", ".join(text[i:i + 6]) for i in range(0, len(text), 6))
    out.append("static const %s %s[%d] = {\n\t%s\n};" % (kind, name, len(values), body))


def emit_scalar(name, value):
    out.append("#define %s (%r)" % (name, float(value)))


def emit_size(name, value):
    out.append("#define %s %d" % (name, int(value)))


# --- binary: 60 rows, scores in steps of 0.05 (ties) --------------------------
n = 60
y = (rng.uniform(size=n) < 0.4).astype(int)
# Steps of 0.05 offset by 0.01: many ties, none on a calibration bin's edge
# (sklearn puts an edge into the bin below, tact into the bin above).
p = np.clip(np.round((0.3 + 0.35 * y + rng.normal(0, 0.22, n)) * 20) / 20,
            0, 0.95) + 0.01
predicted = (p > 0.5).astype(int)
emit_size("B_ROWS", n)
emit_array("b_labels", y, "size_t")
emit_array("b_p1", p)
emit_scalar("B_AUC", roc_auc_score(y, p))
emit_scalar("B_LOG_LOSS", log_loss(y, np.column_stack([1 - p, p])))
emit_scalar("B_ACCURACY", accuracy_score(y, predicted))
emit_array("b_precision", precision_score(y, predicted, average=None))
emit_array("b_recall", recall_score(y, predicted, average=None))
emit_array("b_confusion", confusion_matrix(y, predicted))
fpr, tpr, thresholds = roc_curve(y, p, drop_intermediate=False)
emit_size("B_ROC_POINTS", len(fpr))
emit_array("b_roc_fpr", fpr)
emit_array("b_roc_tpr", tpr)
emit_array("b_roc_threshold", thresholds[1:])  # [0] is sklearn's max + 1
prob_true, prob_pred = calibration_curve(y, p, n_bins=5, strategy="uniform")
# calibration_curve leaves empty bins out; tact keeps them (count 0).
counts = np.bincount(np.minimum((p * 5).astype(int), 4), minlength=5)
emit_array("b_calibration_count", counts)
emit_array("b_calibration_observed", prob_true)
emit_array("b_calibration_predicted", prob_pred)

# --- three classes: 45 rows ---------------------------------------------------
m = 45
labels = rng.integers(0, 3, m)
raw = rng.uniform(0.05, 1, (m, 3))
raw[np.arange(m), labels] += 0.6
scores = raw / raw.sum(axis=1, keepdims=True)
guess = scores.argmax(axis=1)
emit_size("M_ROWS", m)
emit_array("m_labels", labels, "size_t")
emit_array("m_scores", scores)
emit_scalar("M_AUC", roc_auc_score(labels, scores, multi_class="ovr",
                                   average="macro"))
emit_array("m_class_auc", [roc_auc_score(labels == k, scores[:, k])
                           for k in range(3)])
emit_scalar("M_LOG_LOSS", log_loss(labels, scores))
emit_scalar("M_ACCURACY", accuracy_score(labels, guess))


# --- folds ----------------------------------------------------------------------
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
        members = [i for i, v in enumerate(labels) if v == c]
        for i in range(len(members) - 1, 0, -1):
            state, r = splitmix64(state)
            j = r % (i + 1)
            members[i], members[j] = members[j], members[i]
        for i in members:
            fold[i] = next_fold
            next_fold = (next_fold + 1) % k
    return fold


state, first = splitmix64(0)
out.append("#define SPLITMIX64_FIRST_FROM_0 UINT64_C(%d)" % first)
emit_array("fold_labels", labels[:30], "size_t")
emit_array("fold_expected", folds_of(list(labels[:30]), 3, 4, 12345), "size_t")

print("/* Generated by tests/expected/intent_metrics.py (scikit-learn %s, "
      "numpy %s); do not edit. */" % (sklearn.__version__, np.__version__))
print("\n".join(out))
