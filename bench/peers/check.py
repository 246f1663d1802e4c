#!/usr/bin/python3
"""check.py SUMMARY FORMAT OUTPUT - does a peer's group-by give tact's numbers?

SUMMARY is tact-summarize's output on the same export.  OUTPUT is a peer's
result in one of three shapes (FORMAT):
  plain     CSV with header intent,arm,units,M_n,M_sum,M_sumsq per metric
            (pandas, data.table, SQLite);
  datamash  no header: intent,arm,consent,units, then per metric
            count,sum,pvar; only the consent=1 groups are kept;
  mlr       Miller's stats1 names: consent_count (the units), M_count,
            M_sum, M_var (sample variance).
From the summary: n and sum as written, and the sum of squares rebuilt as
m2 + sum^2 / n.  Counts must agree exactly; sums and sums of squares to
1e-9 relative (or 1e-9 absolute).  Exit 0 when they agree, 1 otherwise,
with each difference on stderr.
"""
import csv
import sys

METRICS = ["converted", "bounced", "unsubscribed", "revenue", "exposures"]
TOLERANCE = 1e-9


def from_summary(path):
    groups = {}
    with open(path, newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        index = {name: i for i, name in enumerate(header)}
        role = {}
        for name in header:
            parts = name.split(":")
            if len(parts) == 3 and parts[1] in METRICS:
                role[parts[1]] = parts[0]
        for row in rows:
            if row[0] != "group":
                continue
            key = (row[index["segment:intent"]], row[index["arm:arm"]])
            numbers = {"units": int(row[index["units"]])}
            for metric in METRICS:
                prefix = role[metric] + ":" + metric + ":"
                n = int(row[index[prefix + "n"]])
                total = float(row[index[prefix + "sum"]])
                m2 = float(row[index[prefix + "m2"]])
                numbers[metric] = (n, total, m2 + total * total / n if n else 0.0)
            groups[key] = numbers
    return groups


def rebuild(n, total, variance, ddof):
    """Sum of squares from a count, a sum and a variance."""
    if n == 0:
        return 0.0
    if n - ddof <= 0 or variance in ("", "NA", "nan"):
        variance = 0.0
    return float(variance) * (n - ddof) + total * total / n


def from_peer(path, shape):
    groups = {}
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    if shape == "datamash":
        for row in rows:
            if float(row[2]) != 1:
                continue
            numbers = {"units": int(float(row[3]))}
            for i, metric in enumerate(METRICS):
                n = int(float(row[4 + 3 * i]))
                total = float(row[5 + 3 * i]) if n else 0.0
                numbers[metric] = (n, total, rebuild(n, total, row[6 + 3 * i], 0))
            groups[(row[0], row[1])] = numbers
        return groups
    header, body = rows[0], rows[1:]
    index = {name: i for i, name in enumerate(header)}
    for row in body:
        if shape == "mlr":
            numbers = {"units": int(row[index["consent_count"]])}
            for metric in METRICS:
                n = int(row[index[metric + "_count"]])
                total = float(row[index[metric + "_sum"]] or 0)
                numbers[metric] = (n, total,
                                   rebuild(n, total, row[index[metric + "_var"]], 1))
        else:
            numbers = {"units": int(float(row[index["units"]]))}
            for metric in METRICS:
                numbers[metric] = (int(float(row[index[metric + "_n"]])),
                                   float(row[index[metric + "_sum"]]),
                                   float(row[index[metric + "_sumsq"]]))
        groups[(row[index["intent"]], row[index["arm"]])] = numbers
    return groups


def close(a, b):
    return abs(a - b) <= max(TOLERANCE * max(abs(a), abs(b)), TOLERANCE)


def main():
    summary_path, shape, peer_path = sys.argv[1:4]
    expected = from_summary(summary_path)
    actual = from_peer(peer_path, shape)
    problems = []
    if sorted(expected) != sorted(actual):
        problems.append("groups differ: %s against %s"
                        % (sorted(expected), sorted(actual)))
    for key in sorted(set(expected) & set(actual)):
        e, a = expected[key], actual[key]
        if e["units"] != a["units"]:
            problems.append("%s units: %d against %d" % (key, e["units"], a["units"]))
        for metric in METRICS:
            (en, es, eq), (an, as_, aq) = e[metric], a[metric]
            if en != an:
                problems.append("%s %s n: %d against %d" % (key, metric, en, an))
            if not close(es, as_):
                problems.append("%s %s sum: %r against %r" % (key, metric, es, as_))
            if not close(eq, aq):
                problems.append("%s %s sum of squares: %r against %r"
                                % (key, metric, eq, aq))
    for problem in problems[:10]:
        print("check: " + problem, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
