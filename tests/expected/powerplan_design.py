"""Expected figures of tact_powerplan_design_write_csv (tests/unit/
test_powerplan.c, test_design_*): statsmodels' NormalIndPower, two-sided,
with Cohen's h for rates (proportion_effectsize) and d = delta / sd for
means.  Run with /usr/bin/python3; prints the C lines to paste."""
import math
from scipy.optimize import brentq
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

power = NormalIndPower()

# A rate of 0.05, a relative 20% (0.06), alpha 0.05, power 0.8, ratio 1.
h = proportion_effectsize(0.06, 0.05)
n = power.solve_power(h, alpha=0.05, power=0.8, ratio=1)
print("#define DESIGN_RATE_N %.17g" % n)

# A mean of 10 with sd 2, an absolute 0.5, alpha 0.1, power 0.9, ratio 2.
n = power.solve_power(0.5 / 2, alpha=0.1, power=0.9, ratio=2)
print("#define DESIGN_MEAN_N %.17g" % n)

# The rise of a rate of 0.2 detectable with 1000 control units (ratio 1,
# alpha 0.05, power 0.8): h from the power, then the rate with that h.
# (solve_power's own root finder stops near 1e-6: brentq on its power.)
h = brentq(lambda e: power.power(e, nobs1=1000, alpha=0.05, ratio=1) - 0.8,
           1e-3, 1, xtol=1e-15, rtol=1e-15)
p = brentq(lambda q: proportion_effectsize(q, 0.2) - h, 0.2, 0.999999,
           xtol=1e-15, rtol=1e-15)
print("#define DESIGN_DETECTABLE_ABSOLUTE %.17g" % (p - 0.2))
