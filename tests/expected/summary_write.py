"""Expected cells of tact_summary_write_table (tests/unit/
test_summary_write.c): the export the test builds, row i of 44 with intent
buy (i < 40) or browse, arm control (i even) or personalized, converted
1 when i % 5 == 0, revenue i % 7.  Rates in % and means with two decimals.
Run with /usr/bin/python3; prints the C lines to paste."""
import numpy as np

i = np.arange(44)
intent = np.where(i < 40, "buy", "browse")
arm = np.where(i % 2 == 0, "control", "personalized")
converted = (i % 5 == 0).astype(float)
revenue = (i % 7).astype(float)
# Each group's cells as the table joins them in the test: units|rate|mean.
for segment in ["buy", "browse"]:
    for a in ["control", "personalized"]:
        rows = (intent == segment) & (arm == a)
        print('#define %s_%s "%d|%.2f%%|%.2f"'
              % (segment.upper(), a.upper(), rows.sum(),
                 100 * converted[rows].mean(), revenue[rows].mean()))
