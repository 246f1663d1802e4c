#!/usr/bin/python3
"""strict_cost.py BIN COUNT - what --privacy strict costs: over the first
COUNT random exports of leaks.py (seed 15) with two segment columns, the
unit cells tact-compare --by intent,device hides with tables and strict
(min-cell 10).  Run from the top directory; the figures are README's."""
import os, random, subprocess, sys, tempfile, json
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import leaks
binp, count = sys.argv[1], int(sys.argv[2])
tot = {"tables": [0, 0], "strict": [0, 0]}; n = 0
for i in range(count):
    rng = random.Random("15/%d" % i)
    dims, arms, header, rows = leaks.generate(rng)
    if len(dims) < 2: continue
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "e.csv")
        open(p, "w").write(",".join(header) + "\n" + "".join(",".join(r) + "\n" for r in rows))
        ok = True
        res = {}
        for mode in tot:
            r = subprocess.run([binp + "/tact-compare", "--quiet", "--format", "json", "--by", "intent,device",
                 "--goal", "converted", "--annoyance=", "--value", "revenue", "--exposures=", "--consent=", "--unit=",
                 "--min-cell", "10", "--privacy", mode, p], capture_output=True, text=True)
            if r.returncode: ok = False; break
            d = json.loads(r.stdout)
            res[mode] = [sum(1 for s in d["segments"] if not s["pooled"] for v in s["units"].values() if v is None),
                         sum(1 for s in d["segments"] if not s["pooled"] for v in s["units"].values() if v)]
        if not ok: continue
        n += 1
        for m in tot: tot[m][0] += res[m][0]; tot[m][1] += res[m][1]
for m in tot: print("%s: %d exports, %d unit cells hidden, %d cells above 0 shown" % (m, n, tot[m][0], tot[m][1]))
