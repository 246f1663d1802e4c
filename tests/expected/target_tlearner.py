#!/usr/bin/python3
"""The alternative tact-target weighed: a T-learner's uplift thresholded.

Per arm, the same penalized logistic models as tact-target (target.py's
fit) on pages_seen, cart, referrer (one-hot), fitted on all the units of
the arm; personalize where the predicted net gain is above 0.  Its capture
of the best policy's gain (as in target_sim.py), on the same simulated
experiments, against tact-target's tree.

Usage: /usr/bin/python3 tests/expected/target_tlearner.py BIN [ROWS] [SEEDS...]
"""
import csv
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from target import fit_logistic  # noqa: E402

WEIGHTS = {"converted": 40, "bounced": -0.5, "unsubscribed": -12}


def main():
    bin_dir = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    seeds = [int(s) for s in sys.argv[3:]] or [1, 2, 3, 4, 5]
    captures = []
    with tempfile.TemporaryDirectory() as work:
        for seed in seeds:
            export, truth = os.path.join(work, "x.csv"), os.path.join(work, "v.csv")
            subprocess.run([os.path.join(bin_dir, "tact-simulate"), "-n", str(rows),
                            "-s", str(seed), "--behaviour", "--visitor-truth", truth,
                            "-o", export], check=True)
            with open(export, newline="") as f:
                data = list(csv.DictReader(f))
            expected = np.genfromtxt(truth, delimiter=",", names=True, dtype=None,
                                     encoding=None)["expected_gain_personalized"]
            refs = ["social", "email", "direct"]
            x = np.array([[float(r["pages_seen"]), float(r["cart"])] +
                          [r["referrer"] == v for v in refs] for r in data], float)
            consent = np.array([r["consent"] == "1" for r in data])
            treated = np.array([r["arm"] == "personalized" for r in data])
            gain = np.zeros(len(data))
            for metric, w in WEIGHTS.items():
                y = np.array([float(r[metric]) for r in data])
                for arm, sign in ((True, 1), (False, -1)):
                    train = consent & (treated == arm)
                    gain += sign * w * fit_logistic(x[train], y[train])(x)
            policy = gain > 0
            base = max(expected.mean(), 0.0)
            best = np.maximum(expected, 0).mean()
            capture = ((policy * expected).mean() - base) / (best - base)
            captures.append(capture)
            print(f"seed {seed}: T-learner capture {capture:.3f}, "
                  f"personalizes {policy.mean():.3f}")
    print(f"mean capture {np.mean(captures):.3f}")


if __name__ == "__main__":
    main()
