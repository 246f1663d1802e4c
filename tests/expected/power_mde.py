"""Expected units for the power-mde-forms case (tact-power --mde forms):
statsmodels' NormalIndPower with Cohen's h (proportion_effectsize) for
rates and d = delta / sd for means, ratio = n_arm / n_control as observed.
Run with /usr/bin/python3; prints ceil(n_control), ceil(n_arm)."""
import math
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

def rate(baseline, absolute, n_control, n_arm):
    h = proportion_effectsize(baseline + absolute, baseline)
    ratio = n_arm / n_control
    n = NormalIndPower().solve_power(h, alpha=0.05, power=0.8, ratio=ratio)
    return math.ceil(n), math.ceil(n * ratio)

def mean(sd, absolute, n_control, n_arm):
    ratio = n_arm / n_control
    n = NormalIndPower().solve_power(absolute / sd, alpha=0.05, power=0.8,
                                     ratio=ratio)
    return math.ceil(n), math.ceil(n * ratio)

# datasets/sample.csv pooled rows (baseline, sd and units from the same output)
print("converted 0.005abs", rate(0.02606903657908295, 0.005, 9705, 9638))
print("bounced 10%", rate(0.323338485316847, 0.0323338485316847, 9705, 9642))
print("unsubscribed 10%", rate(0.0024734618159332165, 0.00024734618159332166, 9703, 9632))
print("revenue 10%", mean(12.627705017292453, 0.1744863945578231, 9702, 9636))
print("converted 5% (default)", rate(0.02606903657908295, 0.0013034518289541475, 9705, 9638))
print("planning 20% of 0.05", rate(0.05, 0.01, 1, 1))

# tests/unit/test_powerplan.c: 100 control and 100 arm units; control
# converted 30 of 100 (0.3), revenue i % 10 (mean 4.5, sd with ddof 1).
import numpy as np
revenue = np.array([i % 10 for i in range(100)], dtype=float)
print("powerplan converted 5%% of 0.3: %r %r" % rate(0.3, 0.3 * 0.05, 100, 100))
print("powerplan revenue 10%% of 4.5: %r %r"
      % mean(revenue.std(ddof=1), 0.45, 100, 100))
