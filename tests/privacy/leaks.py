#!/usr/bin/python3
"""leaks.py BIN COUNT [SEED] [--strict] - the randomized suppression check.

Generates COUNT random exports (2-4 arms, 1-2 segment dimensions, small
cells, missing values), runs every tool that prints counts about them
(tact-compare --format json, tact-power, tact-frontier, tact-summarize
--format table, tact-validate --format json, and the missing values each
tool reports), and plays the attacker: every printed count is a linear
equation over the unknown cell counts (units per segment x arm, values per
segment x arm x metric); pooled rows, per-arm totals, per-label totals,
the units and the values overall are sums of them.  A count that no output
prints but that follows exactly from the equations (its unit vector lies in
their row space: NumPy's SVD null space) is recovered; when it lies between
1 and min_cell - 1, it is a leak.  A sample-ratio or independence
chi-square printed for a segment with such a hidden count is a leak too
(the statistic and the shown counts give it back).

With --tools=LIST only those tools' figures are read (tact-compare's always).
With --strict every tool runs with --privacy strict and tact-compare also
runs with each single --by dimension: the linked tables of issue 15 item 12.

Prints one line per leak and a count; exits 1 when any leak is found.
Needs NumPy (Debian's python3-numpy).
"""
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile

import numpy as np

MIN_CELL = 10
METRICS = ["converted", "revenue"]


def generate(rng):
    arms = ["control"] + ["p%d" % i for i in range(1, rng.randint(2, 4))]
    dims = ["intent"] if rng.random() < 0.5 else ["intent", "device"]
    labels = [["l%d" % i for i in range(rng.randint(2, 4))]]
    if len(dims) == 2:
        labels.append(["d%d" % i for i in range(rng.randint(2, 3))])
    combos = [(x,) for x in labels[0]]
    if len(dims) == 2:
        combos = [(x, y) for x in labels[0] for y in labels[1]]
    miss = [rng.choice([0, 0.05, 0.3]) for _ in METRICS]
    rows = []
    for combo in combos:
        for arm in arms:
            r = rng.random()
            n = rng.randint(0, 12) if r < 0.35 else rng.randint(8, 60)
            for _ in range(n):
                conv = "" if rng.random() < miss[0] else str(int(rng.random() < 0.3))
                rev = "" if rng.random() < miss[1] else "%.2f" % (rng.random() * 10)
                rows.append(list(combo) + [arm, conv, rev])
    rng.shuffle(rows)
    if not rows:
        rows.append(list(combos[0]) + ["control", "1", "1.00"])
    # every arm must occur: add a big control block to be safe
    header = dims + ["arm"] + METRICS
    return dims, arms, header, rows


class Model:
    """Unknowns and the equations the outputs give."""

    def __init__(self, dims, arms, rows):
        self.dims, self.arms = dims, arms
        self.combos = sorted({tuple(r[:len(dims)]) for r in rows})
        self.index = {}
        self.truth = []
        for c in self.combos:
            for a in arms:
                self.var(("u", c, a))
                for m in METRICS:
                    self.var(("n", c, a, m))
        for r in rows:
            c, a = tuple(r[:len(dims)]), r[len(dims)]
            self.truth[self.index[("u", c, a)]] += 1
            for k, m in enumerate(METRICS):
                if r[len(dims) + 1 + k] != "":
                    self.truth[self.index[("n", c, a, m)]] += 1
        self.equations = []   # (coefficients dict, value, where)
        self.printed = set()  # unknowns printed directly
        self.chisquare = []   # (segment combo or None, metric or None, where)

    def var(self, key):
        self.index[key] = len(self.truth)
        self.truth.append(0)

    def cells(self, labels):
        """The combos matching labels (dict dim -> label; empty: all)."""
        return [c for c in self.combos
                if all(c[self.dims.index(d)] == l for d, l in labels.items())]

    def add(self, keys, value, where):
        if value is None:
            return
        coefficients = {}
        for k in keys:
            coefficients[self.index[k]] = coefficients.get(self.index[k], 0) + 1
        if len(keys) == 1:
            self.printed.add(self.index[keys[0]])
        self.equations.append((coefficients, value, where))

    def units(self, labels, arm, value, where):
        arms = self.arms if arm is None else [arm]
        self.add([("u", c, a) for c in self.cells(labels) for a in arms],
                 value, where)

    def values(self, labels, arm, metric, value, where):
        arms = self.arms if arm is None else [arm]
        self.add([("n", c, a, metric) for c in self.cells(labels) for a in arms],
                 value, where)

    def leaks(self):
        found = []
        n = len(self.truth)
        truth = np.array(self.truth, dtype=float)
        if self.equations:
            e = np.zeros((len(self.equations), n))
            for i, (coefficients, value, where) in enumerate(self.equations):
                for j, k in coefficients.items():
                    e[i, j] = k
                if abs(e[i] @ truth - value) > 1e-6:
                    found.append("inconsistent figure %s: %s printed, %s true"
                                 % (where, value, e[i] @ truth))
            _, sv, vt = np.linalg.svd(e)
            rank = int((sv > 1e-9 * max(1.0, sv[0] if len(sv) else 1)).sum())
            null = vt[rank:].T
        else:
            null = np.eye(n)
        names = {v: k for k, v in self.index.items()}
        for j in range(n):
            if j in self.printed or not (0 < self.truth[j] < MIN_CELL):
                continue
            if null.shape[1] == 0 or np.abs(null[j]).max() < 1e-8:
                found.append("recovered %s = %d" % (describe(names[j]), self.truth[j]))
        for combo, metric, where in self.chisquare:
            combos = self.combos if combo is None else [combo]
            for a in self.arms:
                for c in combos:
                    key = ("u", c, a) if metric is None else ("n", c, a, metric)
                    if combo is None:
                        continue  # pooled: its counts are the arm totals
                    j = self.index[key]
                    if j not in self.printed and 0 < self.truth[j] < MIN_CELL:
                        found.append("%s printed over hidden %s = %d"
                                     % (where, describe(key), self.truth[j]))
        return found


def describe(key):
    if key[0] == "u":
        return "units[%s, %s]" % ("/".join(key[1]), key[2])
    return "values[%s, %s, %s]" % ("/".join(key[1]), key[2], key[3])


def number(text):
    if text in ("", None):
        return None
    try:
        return int(text)
    except ValueError:
        return None


def run(bin_dir, tool, args, path):
    p = subprocess.run([os.path.join(bin_dir, "tact-" + tool)] + args + [path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError("tact-%s %s: exit %d: %s" % (tool, " ".join(args), p.returncode,
                                                       p.stderr.decode()[:300]))
    return p.stdout.decode(), p.stderr.decode()


def labels_of(model, row, by):
    """Segment labels of a CSV/JSON row: dict, or {} for '(all)'."""
    values = {d: row[d] for d in by}
    if any(v == "(all)" for v in values.values()):
        return {}
    return values


def read_missing(model, stderr, where):
    total = sum(model.truth[model.index[("u", c, a)]]
                for c in model.combos for a in model.arms)
    for line in stderr.splitlines():
        if "missing values:" not in line:
            continue
        part = line.split("missing values:")[1]
        for item in part.split(";")[0].split(","):
            words = item.split()
            if len(words) == 2 and words[0] in METRICS:
                # units printed elsewhere; here: sum n = units - missing
                model.values({}, None, words[0], total - int(words[1]),
                             where + " missing " + words[0])


TOOLS = {"compare", "power", "frontier", "summarize", "validate"}


def observe(model, bin_dir, path, by, common):
    byarg = ["--by", ",".join(by)]
    # tact-compare, JSON: per-arm units, chi-squares, rows.
    out, err = run(bin_dir, "compare", common + byarg + ["--format", "json"], path)
    doc = json.loads(out)
    read_missing(model, err, "compare")
    for seg in doc["segments"]:
        labels = {} if seg["pooled"] else seg["labels"]
        combo = None if seg["pooled"] else tuple(seg["labels"][d] for d in by)
        for a, v in seg["units"].items():
            model.units(labels, a, v, "compare units")
        if seg["sample_ratio"]["p_value"] is not None and len(by) == len(model.dims):
            model.chisquare.append((combo, None, "compare sample ratio"))
        for m, figures in seg["independence"].items():
            if figures.get("p_value") is not None and len(by) == len(model.dims):
                model.chisquare.append((combo, m, "compare independence " + m))
    for row in doc["rows"]:
        labels = labels_of(model, row, by)
        model.values(labels, row["control"], row["metric"], row["n_control"], "compare n_control")
        model.values(labels, row["arm"], row["metric"], row["n_arm"], "compare n_arm")
    if len(by) < len(model.dims):
        return
    # tact-power: rows like compare's.
    out, _ = run(bin_dir, "power", common + byarg, path)
    lines = out.splitlines() if "power" in TOOLS else ["x"]
    head = lines[0].split(",")
    for line in lines[1:]:
        row = dict(zip(head, line.split(",")))
        labels = labels_of(model, row, by)
        model.values(labels, row["control"], row["metric"], number(row["n_control"]), "power n_control")
        model.values(labels, row["arm"], row["metric"], number(row["n_arm"]), "power n_arm")
    # tact-frontier: units per segment and arm.
    out, _ = run(bin_dir, "frontier", common + byarg + ["--weights", "converted=1,revenue=0.1"], path)
    lines = out.splitlines() if "frontier" in TOOLS else ["x"]
    head = lines[0].split(",")
    for line in lines[1:]:
        row = dict(zip(head, line.split(",")))
        labels = labels_of(model, row, by)
        model.units(labels, "control", number(row["n_control"]), "frontier n_control")
        model.units(labels, row["arm"], number(row["n_arm"]), "frontier n_arm")
    # tact-summarize --format table: units per group.
    out, _ = run(bin_dir, "summarize", common + byarg + ["--format", "table"], path)
    for line in out.splitlines()[2:] if "summarize" in TOOLS else []:
        words = line.split()
        if len(words) != len(by) + 2 + len(METRICS):
            continue
        labels = dict(zip(by, words[:len(by)]))
        model.units(labels, words[len(by)], number(words[len(by) + 1]), "summarize units")
    # tact-validate: totals per arm, per label, overall; values per column.
    out, _ = run(bin_dir, "validate", common + byarg + ["--format", "json"], path)
    doc = json.loads(out)
    if "validate" not in TOOLS:
        return
    model.units({}, None, doc["units"]["units"], "validate units")
    for label in doc["arms"]["labels"]:
        model.units({}, label["label"], label["units"], "validate arm")
    for d, seg in zip(by, doc["segments"]):
        for label in seg["labels"]:
            model.units({d: label["label"]}, None, label["units"], "validate segment " + d)
    for column in doc["columns"]:
        if column["name"] in METRICS:
            model.values({}, None, column["name"], column["present"],
                         "validate present " + column["name"])


def check(bin_dir, rng, strict, tmp):
    dims, arms, header, rows = generate(rng)
    path = os.path.join(tmp, "export.csv")
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(r) + "\n")
    present = {r[len(dims)] for r in rows}
    if "control" not in present or len(present) < 2:
        return None, []
    model = Model(dims, [a for a in arms if a in present], rows)
    common = ["--goal", "converted", "--annoyance", "", "--value", "revenue",
              "--exposures", "", "--consent", "", "--unit", "",
              "--min-cell", str(MIN_CELL), "--quiet"]
    if strict:
        common += ["--privacy", "strict"]
    # --quiet drops the counts on standard error; the missing values are
    # read from a run without it.
    quiet = [a for a in common if a != "--quiet"]
    observe(model, bin_dir, path, dims, quiet)
    if strict and len(dims) > 1:
        for d in dims:
            observe(model, bin_dir, path, [d], quiet)
    return model, model.leaks()


def one(job):
    """Export number i of the run: its own generator, so that a run splits
    over processes and export i is the same whatever the split."""
    bin_dir, seed, i, strict = job
    rng = random.Random("%d/%d" % (seed, i))
    with tempfile.TemporaryDirectory() as tmp:
        model, found = check(bin_dir, rng, strict, tmp)
    if model is None:
        return i, None, []
    return i, (len(model.arms), ",".join(model.dims)), found


def main():
    global TOOLS
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    for a in sys.argv[1:]:
        if a.startswith("--tools="):
            TOOLS = set(a[len("--tools="):].split(","))
    strict = "--strict" in sys.argv
    bin_dir, count = args[0], int(args[1])
    seed = int(args[2]) if len(args) > 2 else 15
    leaks = exports = 0
    jobs = [(bin_dir, seed, i, strict) for i in range(count)]
    with multiprocessing.Pool(os.cpu_count() or 1) as pool:
        for i, shape, found in pool.imap(one, jobs, chunksize=4):
            if shape is None:
                continue
            exports += 1
            if found:
                leaks += len(found)
                print("export %d (seed %d): %d arms, by %s" % (i, seed, shape[0], shape[1]))
                for line in found[:5]:
                    print("  " + line)
    print("%d leak%s in %d random exports%s" % (leaks, "" if leaks == 1 else "s",
                                                exports, " (strict)" if strict else ""))
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
