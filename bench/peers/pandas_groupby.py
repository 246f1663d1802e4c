#!/usr/bin/python3
"""pandas_groupby.py EXPORT [SHAPE] - the bench's group-by with pandas.

Per intent x arm, over rows whose consent is 1: the row count, and per
metric the count of non-missing values, their sum and their sum of squares.
SHAPE as in shape.sh (default quoted, which reads any plain numeric export):
  plain   read_csv with true/yes as true and false/no as false
  quoted  read_csv as it is (it unquotes)
  units   sessions folded by visitor_id first: the first session's intent
          and arm, the largest outcome, the sum of revenue and exposures
          (missing when every session's cell is), then the group-by
Writes CSV: intent,arm,units,M_n,M_sum,M_sumsq,... (see check.py).
"""
import sys

import pandas as pd

METRICS = ["converted", "bounced", "unsubscribed", "revenue", "exposures"]
OUTCOMES = ["converted", "bounced", "unsubscribed"]
VALUES = ["revenue", "exposures"]


def read(path, shape):
    columns = ["intent", "arm", "consent"] + METRICS
    if shape == "units":
        frame = pd.read_csv(path, usecols=["visitor_id"] + columns,
                            dtype={"visitor_id": "category"})
        frame = frame[frame["consent"] == 1]
        groups = frame.groupby("visitor_id", observed=True, sort=False)
        return pd.concat([groups[["intent", "arm"]].first(),
                          groups[OUTCOMES].max(),
                          groups[VALUES].sum(min_count=1)], axis=1)
    if shape == "plain":
        frame = pd.read_csv(path, usecols=columns,
                            dtype={"intent": "category", "arm": "category"},
                            true_values=["true", "yes"],
                            false_values=["false", "no"])
        for name in ("converted", "bounced", "consent"):
            frame[name] = frame[name].astype(float)
    else:
        frame = pd.read_csv(path, usecols=columns,
                            dtype={"intent": "category", "arm": "category"})
    return frame[frame["consent"] == 1]


def main():
    frame = read(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "quoted")
    squares = [m + "_sq" for m in METRICS]
    for metric, square in zip(METRICS, squares):
        frame[square] = frame[metric] * frame[metric]
    groups = frame.groupby(["intent", "arm"], observed=True, sort=True)
    units = groups.size().rename("units")
    counts = groups[METRICS].count().add_suffix("_n")
    sums = groups[METRICS].sum().add_suffix("_sum")
    sumsq = groups[squares].sum()
    sumsq.columns = [m + "_sumsq" for m in METRICS]
    result = pd.concat([units, counts, sums, sumsq], axis=1)
    result.to_csv(sys.stdout, float_format="%.17g")


if __name__ == "__main__":
    main()
