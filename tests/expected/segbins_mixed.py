#!/usr/bin/env python3
"""Independent check of --mixed-units drop (case segbins-mixed-units-drop):
tests/cli/data/compare-sessions.csv folded into visitors with pandas, the
visitors seen in more than one arm dropped, then per intent (of the first
session) and arm: units, and n and sum of 'converted' (largest over a
visitor's sessions, missing only when missing in all).
Run: /usr/bin/python3 tests/expected/segbins_mixed.py"""
import os
import pandas as pd
here = os.path.dirname(os.path.abspath(__file__))
df = pd.read_csv(os.path.join(here, '../cli/data/compare-sessions.csv'),
                 dtype={'consent': str})
df = df[df['consent'].isin(['1', 'true', 'yes'])]
arms = df.groupby('visitor_id')['arm'].nunique()
print('units in several arms', int((arms > 1).sum()))
kept = df[df['visitor_id'].isin(arms[arms == 1].index)]
first = kept.groupby('visitor_id', sort=False).first()
conv = kept.groupby('visitor_id')['converted'].max()
first['converted'] = conv
for (intent, arm), g in first.groupby(['intent', 'arm']):
    print(intent, arm, len(g), int(g['converted'].notna().sum()),
          int(g['converted'].sum()))
