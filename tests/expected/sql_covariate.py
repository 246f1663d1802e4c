#!/usr/bin/python3
"""sql_covariate.py - the independent check of tact-sql's covariate columns
(tests/sql/covariate.sh runs it on each engine's result).

Usage: sql_covariate.py EXPORT SUMMARY RESULT [--unit COL] [--order-by COL]
                        [--mixed-units drop|first] --covariate METRIC=COLUMN...

EXPORT   the export the engine's table was loaded from (CSV, tact's default
         roles: segments intent, arm arm, control control, goal converted,
         annoyance bounced,unsubscribed, value revenue, exposures exposures,
         consent consent);
SUMMARY  tact-summarize's summary of EXPORT (which knows no covariate here);
RESULT   the statement's result, exported as CSV with its header.

What the covariate adds is computed here from EXPORT with NumPy, by the
agreed format of the covariate in the summary (tact-sql(1), COVARIATES): per
group (segments x arm) and per pooled row (arm), over the units of the
consented rows (sessions folded by --unit: a goal or annoyance the largest
of the sessions, a value or exposures the sum, the segments, the arm and the
covariate those of the first session by --order-by; a unit in several arms
dropped, or kept in its first arm with --mixed-units first), a covariate's
value is its cell, a missing (empty) cell 0:
  covariate:NAME:n, :sum, :m2   units, sum, sum of squared deviations;
  cross:A:B:n, :sum_a, :sum_b, :c  for every pair A before B in metric
                                order (the covariates after every metric)
                                where either is a covariate, over the units
                                where both are present: count, sums,
                                co-moment sum((a - mean a)(b - mean b));
  meta covariate:METRIC = NAME, then meta covariate_missing:NAME = the
  units of the groups whose cell was missing.
The header must be tact-summarize's with these columns in their places;
every other field of RESULT must equal SUMMARY's (text exactly, numbers to
1e-9 relative or 1e-9 absolute, as tests/sql/close.awk), every covariate
figure the computation here to the same tolerance.
Prints the differences; exit status 1 when any.
"""
import csv
import math
import sys

import numpy as np

SEGMENTS = ["intent"]
ARM = "arm"
CONSENT = "consent"
METRICS = [("goal", "converted"), ("annoyance", "bounced"),
           ("annoyance", "unsubscribed"), ("value", "revenue"),
           ("exposures", "exposures")]
TOL = 1e-9
ABS = 1e-9


def parse_args(argv):
    options = {"unit": None, "order": None, "mixed": "drop", "covariates": []}
    files = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--unit":
            options["unit"] = argv[i + 1]
            i += 2
        elif a == "--order-by":
            options["order"] = argv[i + 1]
            i += 2
        elif a == "--mixed-units":
            options["mixed"] = argv[i + 1]
            i += 2
        elif a == "--covariate":
            metric, column = argv[i + 1].split("=", 1)
            options["covariates"].append((metric, column))
            i += 2
        else:
            files.append(a)
            i += 1
    if len(files) != 3 or not options["covariates"]:
        sys.exit(__doc__)
    return files, options


def outcome(text):
    """A metric cell as tact reads it: None when missing."""
    t = text.strip().lower()
    if t == "":
        return None
    if t in ("true", "yes"):
        return 1.0
    if t in ("false", "no"):
        return 0.0
    return float(t)


def read_units(export, options, covariate_names):
    """One dict per unit: labels, arm, metric values, covariate values and
    missing flags."""
    with open(export, newline="") as f:
        rows = list(csv.DictReader(f))
    kept = [r for r in rows
            if r[CONSENT].strip().lower() in ("1", "true", "yes")]

    def unit_of(sessions):
        first = sessions[0]
        arms = {s[ARM] for s in sessions}
        values = {}
        for role, name in METRICS:
            present = [v for v in (outcome(s[name]) for s in sessions)
                       if v is not None]
            if not present:
                values[name] = None
            elif role in ("goal", "annoyance"):
                values[name] = max(present)
            else:
                values[name] = math.fsum(present)
        cov = {}
        missing = {}
        for c in covariate_names:
            cell = first[c].strip()
            missing[c] = cell == ""
            cov[c] = 0.0 if cell == "" else float(cell)
        return {"labels": tuple(first[s] for s in SEGMENTS),
                "arm": first[ARM], "several": len(arms) > 1,
                "values": values, "cov": cov, "missing": missing}

    if not options["unit"]:
        return [unit_of([r]) for r in kept]
    by_unit = {}
    for r in kept:
        by_unit.setdefault(r[options["unit"]], []).append(r)
    units = []
    for sessions in by_unit.values():
        def key(s):
            order = ()
            if options["order"]:
                order = (s[options["order"]] == "", s[options["order"]])
            return order + tuple(s[x].encode() for x in SEGMENTS) + \
                (s[ARM].encode(),)
        unit = unit_of(sorted(sessions, key=key))
        if unit["several"] and options["mixed"] == "drop":
            continue
        units.append(unit)
    return units


def moments(a, b):
    """n, sum_a, sum_b, co-moment over the pairs where both are present."""
    pairs = [(x, y) for x, y in zip(a, b) if x is not None and y is not None]
    if not pairs:
        return 0, 0.0, 0.0, 0.0
    x = np.array([p[0] for p in pairs])
    y = np.array([p[1] for p in pairs])
    return len(pairs), x.sum(), y.sum(), float(np.sum((x - x.mean()) *
                                                      (y - y.mean())))


def expected_covariates(units, names):
    """Per row key ('group', labels, arm) or ('pooled', arm): the covariate
    columns by header name."""
    order = [name for _, name in METRICS] + names
    cells = {}
    for u in units:
        cells.setdefault(("group",) + u["labels"] + (u["arm"],), []).append(u)
        cells.setdefault(("pooled",) + ("(all)",) * len(SEGMENTS) +
                         (u["arm"],), []).append(u)
    out = {}
    for key, members in cells.items():
        row = {}
        columns = {name: [m["cov"][name] if name in names
                          else m["values"][name] for m in members]
                   for name in order}

        def column(name):
            return columns[name]
        for c in names:
            x = np.array(column(c))
            row["covariate:%s:n" % c] = len(x)
            row["covariate:%s:sum" % c] = x.sum()
            row["covariate:%s:m2" % c] = float(np.sum((x - x.mean()) ** 2))
        for i, a in enumerate(order):
            for b in order[i + 1:]:
                if a not in names and b not in names:
                    continue
                n, sa, sb, c = moments(column(a), column(b))
                for stat, v in zip(("n", "sum_a", "sum_b", "c"),
                                   (n, sa, sb, c)):
                    row["cross:%s:%s:%s" % (a, b, stat)] = v
        out[key] = row
    return out


def expected_header(summary_header, names):
    """tact-summarize's header with the covariate columns in their places."""
    order = [name for _, name in METRICS] + names
    words = dict((name, role) for role, name in METRICS)
    words.update((name, "covariate") for name in names)
    fixed = [h for h in summary_header
             if not h.split(":")[0] in ("goal", "annoyance", "value",
                                        "exposures", "cross")]
    header = fixed + ["%s:%s:%s" % (words[m], m, s) for m in order
                      for s in ("n", "sum", "m2")]
    for i, a in enumerate(order):
        for b in order[i + 1:]:
            header += ["cross:%s:%s:%s" % (a, b, s)
                       for s in ("n", "sum_a", "sum_b", "c")]
    return header


def numeric(text):
    try:
        float(text)
        return text.strip() != "" and text.strip().lower() not in (
            "nan", "inf", "-inf", "infinity")
    except ValueError:
        return False


def close(expected, actual):
    e, a = float(expected), float(actual)
    d = abs(e - a)
    return d <= TOL * max(abs(e), abs(a)) or d <= ABS


def main():
    (export, summary, result), options = parse_args(sys.argv[1:])
    names = []
    for _, c in options["covariates"]:
        if c not in names:
            names.append(c)
    with open(summary, newline="") as f:
        plain = list(csv.reader(f))
    with open(result, newline="") as f:
        got = list(csv.reader(f))
    problems = []
    header = expected_header(plain[0], names)
    if got[0] != header:
        problems.append("header: expected %s\n  got %s" % (header, got[0]))
        print("\n".join(problems))
        return 1
    units = read_units(export, options, names)
    covariates = expected_covariates(units, names)

    plain_meta = [r[:3] for r in plain[1:] if r[0] == "meta"]
    got_meta = [r[:3] for r in got[1:] if r[0] == "meta"]
    meta = plain_meta + [["meta", "covariate:" + m, c]
                         for _, m in METRICS
                         for m2, c in options["covariates"] if m2 == m]
    # units holds the units of the groups (the dropped ones left out)
    meta += [["meta", "covariate_missing:" + c,
              str(sum(u["missing"][c] for u in units))] for c in names]
    if got_meta != meta:
        problems.append("meta rows: expected %s\n  got %s" % (meta, got_meta))

    plain_rows = [dict(zip(plain[0], r)) for r in plain[1:] if r[0] != "meta"]
    got_rows = [dict(zip(got[0], r)) for r in got[1:] if r[0] != "meta"]
    if len(plain_rows) != len(got_rows):
        problems.append("%d group and pooled rows, expected %d"
                        % (len(got_rows), len(plain_rows)))
    checked = 0
    for want, have in zip(plain_rows, got_rows):
        key = tuple(have[h] for h in header[:2 + len(SEGMENTS)])
        for h in header:
            if h in want:
                ok = close(want[h], have[h]) if numeric(want[h]) and \
                    numeric(have[h]) else want[h] == have[h]
                expected = want[h]
            else:
                expected = covariates.get(key, {}).get(h)
                ok = expected is not None and numeric(have[h]) and \
                    close(expected, have[h])
            checked += 1
            if not ok:
                problems.append("%s %s: expected %s, got %s"
                                % (",".join(key), h, expected, have[h]))
    if checked == 0 or len(covariates) != len(got_rows):
        problems.append("%d rows computed, %d in the result"
                        % (len(covariates), len(got_rows)))
    for p in problems[:20]:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
