#!/usr/bin/python3
"""pandas_groupby.py EXPORT - the bench's group-by with pandas (read_csv, usecols).

Per intent x arm, over rows whose consent is 1: the row count, and per
metric the count of non-missing values, their sum and their sum of squares.
Writes CSV: intent,arm,units,M_n,M_sum,M_sumsq,... (see check.py).
"""
import sys

import pandas as pd

METRICS = ["converted", "bounced", "unsubscribed", "revenue", "exposures"]


def main():
    frame = pd.read_csv(
        sys.argv[1],
        usecols=["intent", "arm", "consent"] + METRICS,
        dtype={"intent": "category", "arm": "category"},
    )
    frame = frame[frame["consent"] == 1]
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
