#!/usr/bin/env python3
"""Independent check of the binned --by cases (segbins-by-bins-summarize,
segbins-by-quantiles-file): units and conversions per bin and arm of
tests/cli/data/segbins-visits.csv, with numpy's inverted-CDF quantiles for
quantiles:4.  Run: /usr/bin/python3 tests/expected/segbins_bins.py"""
import csv, numpy as np, os
here = os.path.dirname(os.path.abspath(__file__))
rows = list(csv.DictReader(open(os.path.join(here, '../cli/data/segbins-visits.csv'))))
v = np.array([int(r['visits']) for r in rows])
def show(edges):
    for lo, hi in edges:
        for arm in ('control', 'treatment'):
            sel = [r for r in rows if r['arm'] == arm and lo <= int(r['visits']) <= hi]
            print(f"{lo}-{hi if hi < 10**9 else ''}", arm, len(sel), sum(int(r['converted']) for r in sel))
show([(0, 0), (1, 29), (30, 99), (100, 10**9)])
cuts = [int(np.quantile(v, q, method='inverted_cdf')) for q in (0.25, 0.5, 0.75)]
print('quantile cuts', cuts)
edges, lo = [], 0
for c in cuts:
    edges.append((lo, c)); lo = c + 1
edges.append((lo, 10**9))
show(edges)
