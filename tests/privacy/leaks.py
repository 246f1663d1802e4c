#!/usr/bin/python3
"""leaks.py BIN COUNT [SEED] [--strict] - the randomized suppression check.

Generates COUNT random exports (2-4 arms, 1-2 segment dimensions, small
cells, missing values), runs every tool that prints counts about them
(tact-compare --format json, tact-power, tact-frontier, tact-summarize
--format table, tact-validate --format json, tact-dose --format json, and
the missing values each tool reports), and plays the attacker: every printed count is a linear equation over the
unknown cell counts (units per segment x arm x exposure bin, values per
segment x arm x metric x bin); pooled rows, per-arm totals, per-label
totals, tact-dose's bins (the treated arms pooled), segment totals and
pooled bins, the units and the values overall are sums of them.  A count
that some output prints or hides (a cell of tact-compare's segments x arms,
or of tact-dose's segments x bins, or one of tact-dose's totals) that no
output prints but that follows exactly from the equations (its vector lies
in their row space: NumPy's SVD null space) is recovered; when it lies
between 1 and min_cell - 1, it is a leak.  A sample-ratio or independence
chi-square printed for a segment with such a hidden count is a leak too
(the statistic and the shown counts give it back).

With --tools=LIST only those tools' figures are read (tact-compare's always,
unless --alone is given too: --tools=dose --alone reads tact-dose's only).
tact-dose is in the default list: then the exports get an exposure count
per unit (0 for the control, from a generator of their own, so that the
rest of each export is the one without dose) and tact-dose runs with --bins
0,1,2,3- and weights (its caps print each segment's units).  It pools the
treated arms, so its totals with tact-compare's per-arm cells could give
hidden treated cells back (and the other way round); its decision takes
the others' figures as printed (lib/dose_privacy.c), which this checks.
With --strict every tool runs with --privacy strict and tact-compare also
runs with each single --by dimension: the linked tables of issue 15 item 12.
tact-compare --by-period is in the default list too (period): then the
exports get a day per row (2 to 4 days, from a generator of their own), the
unknowns are per day as well, every tool's figures are sums over the days,
and tact-compare --by-period --time day prints each block's and each
cumulative step's rows (lib/privacy_period.c); a day's cell, a block's and
a cumulative step's are counts it prints or hides.

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
BINS = "0,1,2,3-"     # tact-dose's bins: exposure counts 0, 1, 2, 3 and more


def bins():
    """The exposure bins of the model: tact-dose's, or one without it."""
    return 4 if "dose" in TOOLS else 1


DAY0 = 20423   # 2025-12-01, days since 1970-01-01


def day_label(t):
    import datetime
    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=DAY0 + t)).isoformat()


def generate(rng, erng, trng):
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
    if bins() > 1:
        # The control sees no exposure; the treated arms 0 to 6, from their
        # own generator (the rest of the export is the one without dose).
        for r in rows:
            r.append("0" if r[len(dims)] == "control"
                     else str(erng.choice([0, 0, 1, 1, 2, 2, 3, 4, 6])))
        header = header + ["exposures"]
    if "period" in TOOLS:
        # Days 0 .. 1-3, some more frequent, from their own generator.
        days = trng.randint(2, 4)
        weights = [trng.choice([1, 1, 2, 4]) for _ in range(days)]
        for r in rows:
            r.append(day_label(trng.choices(range(days), weights)[0]))
        header = header + ["day"]
    return dims, arms, header, rows


def day_of(row):
    """The day index of a row (0 without tact-compare --by-period)."""
    if "period" not in TOOLS:
        return 0
    import datetime
    return (datetime.date.fromisoformat(row[-1]) - datetime.date(1970, 1, 1)).days - DAY0


def bin_of(row, dims):
    """The model's exposure bin of a row (0 without tact-dose)."""
    if bins() == 1:
        return 0
    return min(int(row[len(dims) + 1 + len(METRICS)]), 3)


class Model:
    """Unknowns and the equations the outputs give."""

    def __init__(self, dims, arms, rows):
        self.dims, self.arms = dims, arms
        self.combos = sorted({tuple(r[:len(dims)]) for r in rows})
        self.treated = [a for a in arms if a != "control"]
        self.days = sorted({day_of(r) for r in rows})
        self.index = {}
        self.truth = []
        self.spans = set()    # the day sets of printed blocks and steps
        for c in self.combos:
            for a in arms:
                for b in range(bins()):
                    for t in self.days:
                        self.var(("u", c, a, b, t))
                        for m in METRICS:
                            self.var(("n", c, a, m, b, t))
        for r in rows:
            c, a, b = tuple(r[:len(dims)]), r[len(dims)], bin_of(r, dims)
            t = day_of(r)
            self.truth[self.index[("u", c, a, b, t)]] += 1
            for k, m in enumerate(METRICS):
                if r[len(dims) + 1 + k] != "":
                    self.truth[self.index[("n", c, a, m, b, t)]] += 1
        self.equations = []   # (coefficients dict, value, where)
        self.printed = set()  # figures printed directly (sets of unknowns)
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
        self.printed.add(frozenset(coefficients))
        self.equations.append((coefficients, value, where))

    def unit_keys(self, labels, arms, metric=None, b=None, days=None):
        """The unknowns of a figure: the cells matching labels, over arms,
        in bin b (None: every bin) and days (None: every day); metric
        None: the units."""
        binlist = range(bins()) if b is None else [b]
        daylist = self.days if days is None else days
        if metric is None:
            return [("u", c, a, x, t) for c in self.cells(labels) for a in arms
                    for x in binlist for t in daylist]
        return [("n", c, a, metric, x, t) for c in self.cells(labels) for a in arms
                for x in binlist for t in daylist]

    def units(self, labels, arm, value, where, b=None, arms=None, days=None):
        if arms is None:
            arms = self.arms if arm is None else [arm]
        self.add(self.unit_keys(labels, arms, None, b, days), value, where)

    def values(self, labels, arm, metric, value, where, b=None, arms=None,
               days=None):
        if arms is None:
            arms = self.arms if arm is None else [arm]
        self.add(self.unit_keys(labels, arms, metric, b, days), value, where)

    def targets(self):
        """The counts some output prints or hides: (name, unknowns)."""
        found = []
        spans = [None]
        if len(self.days) > 1:
            spans += sorted(({(t,) for t in self.days} | self.spans)
                            - {tuple(self.days)})
        for days in spans:
            when = "" if days is None else ", days %s" % "+".join(map(str, days))
            for c in self.combos:
                labels = dict(zip(self.dims, c))
                for a in self.arms:
                    found.append(("units[%s, %s%s]" % ("/".join(c), a, when),
                                  self.unit_keys(labels, [a], None, None, days)))
                    for m in METRICS:
                        found.append(("values[%s, %s, %s%s]" % ("/".join(c), a, m, when),
                                      self.unit_keys(labels, [a], m, None, days)))
        if bins() == 1 or not self.treated:
            return found
        for c in [None] + self.combos:
            labels = {} if c is None else dict(zip(self.dims, c))
            name = "(all)" if c is None else "/".join(c)
            for b in [None] + list(range(bins())):
                if c is None and b is None:
                    continue
                where = "dose %s%s" % (name, "" if b is None else " bin %d" % b)
                found.append(("units[%s]" % where,
                              self.unit_keys(labels, self.treated, None, b)))
                for m in METRICS:
                    found.append(("values[%s, %s]" % (where, m),
                                  self.unit_keys(labels, self.treated, m, b)))
        return found

    def quantity(self, j):
        """The quantity of unknown j: the units, or one metric's values
        (no figure adds two quantities: each is solved apart)."""
        return self.quantities[j]

    def leaks(self):
        found = []
        n = len(self.truth)
        truth = np.array(self.truth, dtype=float)
        self.quantities = [None] * n
        for key, j in self.index.items():
            self.quantities[j] = key[0] if key[0] == "u" else key[3]
        # Per quantity: the unknowns some figure touches, and an orthonormal
        # basis of the row space of its figures (the thin SVD of the distinct
        # rows); a target follows when its vector equals its projection.
        bases = {}
        for q in set(self.quantities):
            rows = [c for c, _, _ in self.equations
                    if self.quantity(next(iter(c))) == q]
            touched = sorted({j for c in rows for j in c})
            where = {j: i for i, j in enumerate(touched)}
            e = np.zeros((len(rows), len(touched)))
            for i, coefficients in enumerate(rows):
                for j, k in coefficients.items():
                    e[i, where[j]] = k
            if len(rows):
                e = np.unique(e, axis=0)
                _, sv, vt = np.linalg.svd(e, full_matrices=False)
                rank = int((sv > 1e-9 * max(1.0, sv[0] if len(sv) else 1)).sum())
                bases[q] = (where, vt[:rank])
            else:
                bases[q] = (where, np.zeros((0, 0)))
        for coefficients, value, where in self.equations:
            true = sum(k * truth[j] for j, k in coefficients.items())
            if abs(true - value) > 1e-6:
                found.append("inconsistent figure %s: %s printed, %s true"
                             % (where, value, true))
        for name, keys in self.targets():
            columns = frozenset(self.index[k] for k in keys)
            value = sum(self.truth[j] for j in columns)
            if columns in self.printed or not (0 < value < MIN_CELL):
                continue
            at, basis = bases[self.quantity(next(iter(columns)))]
            if any(j not in at for j in columns):
                continue   # an unknown no figure touches: it cannot follow
            vector = np.zeros(len(at))
            vector[[at[j] for j in columns]] = 1
            if np.abs(vector - (basis @ vector) @ basis).max() < 1e-8:
                found.append("recovered %s = %d" % (name, value))
        for combo, metric, where in self.chisquare:
            if combo is None:
                continue  # pooled: its counts are the arm totals
            labels = dict(zip(self.dims, combo))
            for a in self.arms:
                keys = self.unit_keys(labels, [a], metric)
                columns = frozenset(self.index[k] for k in keys)
                value = sum(self.truth[j] for j in columns)
                if columns not in self.printed and 0 < value < MIN_CELL:
                    found.append("%s printed over hidden %s[%s, %s] = %d"
                                 % (where, "units" if metric is None else "values",
                                    "/".join(combo), a, value))
        return found


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
    total = sum(model.truth[model.index[k]]
                for k in model.unit_keys({}, model.arms))
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


TOOLS = {"compare", "power", "frontier", "summarize", "validate", "dose", "period"}
ALONE = False


def observe_dose(model, bin_dir, path, by, common):
    """tact-dose, JSON: per segment (and the pooled one) and bin, the
    treated arms' units and values; per segment, its units (caps) and each
    metric's values (fits); the units overall."""
    if "dose" not in TOOLS or not model.treated:
        return
    # tact-dose always decides its runs linked: it has no --privacy.
    common = [a for i, a in enumerate(common)
              if a != "--privacy" and (i == 0 or common[i - 1] != "--privacy")]
    out, _ = run(bin_dir, "dose", common + ["--by", ",".join(by), "--format", "json",
                                            "--exposures", "exposures", "--bins", BINS,
                                            "--weights", "converted=1,revenue=0.1",
                                            "--draws", "0"], path)
    doc = json.loads(out)
    labels_of_bin = {label: b for b, label in enumerate(BINS.split(","))}
    arms = model.treated
    model.units({}, None, doc["data"]["units"], "dose units", arms=arms)
    for row in doc["bins"]:
        labels = labels_of(model, row, by)
        b = labels_of_bin[row["bin"]]
        model.units(labels, None, row["units"], "dose bin units", b=b, arms=arms)
        model.values(labels, None, row["metric"], row["n"], "dose bin n", b=b, arms=arms)
    seen = set()
    for row in doc["fits"]:
        labels = labels_of(model, row, by)
        key = (tuple(sorted(labels.items())), row["metric"])
        if key not in seen:
            seen.add(key)
            model.values(labels, None, row["metric"], row["n"], "dose fit n", arms=arms)
    for row in doc["caps"]:
        model.units(labels_of(model, row, by), None, row["units"], "dose cap units",
                    arms=arms)


def observe_periods(model, bin_dir, path, by, common):
    """tact-compare --by-period --time day, JSON: per block ("day" or
    "first..last") its own rows and the cumulative ones (every day up to the
    block's last): n_control and n_arm of each row's metric."""
    if "period" not in TOOLS:
        return
    out, _ = run(bin_dir, "compare", common + ["--by", ",".join(by), "--format", "json",
                                                "--time", "day", "--by-period"], path)
    doc = json.loads(out)
    index = {day_label(t): t for t in model.days}
    for row in doc["rows"]:
        first, _, last = row["period"].partition("..")
        last = last or first
        days = [t for t in model.days if index[first] <= t <= index[last]]
        if row["scope"] == "cumulative":
            days = [t for t in model.days if t <= index[last]]
        model.spans.add(tuple(days))
        labels = labels_of(model, row, by)
        where = "by-period %s %s" % (row["period"], row["scope"])
        model.values(labels, row["control"], row["metric"], row["n_control"],
                     where + " n_control", days=days)
        model.values(labels, row["arm"], row["metric"], row["n_arm"],
                     where + " n_arm", days=days)


def observe(model, bin_dir, path, by, common):
    byarg = ["--by", ",".join(by)]
    observe_periods(model, bin_dir, path, by, common)
    # tact-dose has no --privacy strict: its tables are decided per run, with
    # every other tool's figures of that run and of the runs of fewer --by
    # columns (README, Privacy); under --strict the attacker reads them for
    # the finest --by only (its coarser runs are the linked-tables limit).
    if len(by) == len(model.dims):
        observe_dose(model, bin_dir, path, by, common)
    if ALONE and "compare" not in TOOLS:
        return
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


def check(bin_dir, rng, erng, trng, strict, tmp):
    dims, arms, header, rows = generate(rng, erng, trng)
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
    erng = random.Random("%d/%d/exposures" % (seed, i))
    trng = random.Random("%d/%d/days" % (seed, i))
    with tempfile.TemporaryDirectory() as tmp:
        model, found = check(bin_dir, rng, erng, trng, strict, tmp)
    if model is None:
        return i, None, []
    return i, (len(model.arms), ",".join(model.dims)), found


def main():
    global TOOLS, ALONE
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    for a in sys.argv[1:]:
        if a.startswith("--tools="):
            TOOLS = set(a[len("--tools="):].split(","))
    strict = "--strict" in sys.argv
    ALONE = "--alone" in sys.argv
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
