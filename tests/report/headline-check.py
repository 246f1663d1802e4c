#!/usr/bin/env python3
"""headline-check.py [--no-table-rule] DOM.html - does a report's What to
do agree with its tables?  Reads the DOM as the browser rendered it (chromium --dump-dom) and
checks, printing one line per check, exit status 1 when any fails:

  - the headline says the overall result first: its first list is the
    "all units" one, every item of it is the pooled segment, and it states
    a verdict for every metric and arm of the pooled rows of the results
    table (every goal, annoyance and value metric);
  - every verdict the headline states (a "claim": a metric's verdict from
    tact-compare's rows, a net value's from tact-frontier's) is the verdict
    of the table row it names, with the same interval as printed there, and
    on the side of 0 the verdict says: better = in the metric's direction
    (above 0 for a goal, below for an annoyance), worse = against it,
    personalize = net value above 0, hold back = below, inconclusive = the
    interval holds 0;
  - every table row's verdict agrees with its own interval in the same way
    (the interval excludes 0 exactly when the verdict is not inconclusive;
    skipped with --no-table-rule: that rule is tact-compare's and
    tact-frontier's, the rest the page's);
  - a segment's line says "suppressed (fewer than N units)" exactly when
    every row of that segment is suppressed, and "no significant change"
    only when none of its rows is better or worse;
  - each segment's advice (personalize, hold back, no clear answer yet)
    is its net-value claim's verdict;
  - colours follow verdicts: each chip's class is its verdict's (better and
    personalize good, worse and hold back bad, inconclusive neutral,
    suppressed hidden); a line with a net value takes its verdict's colour,
    a line without is bad when any change is worse, else good when any is
    better, else neutral.

Standard library only (html.parser), so it runs with any python3.
"""
import re
import sys
from html.parser import HTMLParser

GOOD = {"better": "good", "worse": "bad", "inconclusive": "neutral",
        "suppressed": "hidden", "personalize": "good", "hold back": "bad"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], []

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def all_text(self):
        out = []
        for piece in self.text:
            out.append(piece if isinstance(piece, str) else piece.all_text())
        return "".join(out)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


VOID = {"meta", "br", "img", "hr", "input", "link", "col", "wbr"}


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.at = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.at)
        self.at.children.append(node)
        self.at.text.append(node)
        if tag not in VOID:
            self.at = node

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, attrs, self.at)
        self.at.children.append(node)
        self.at.text.append(node)

    def handle_endtag(self, tag):
        node = self.at
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.at = node.parent

    def handle_data(self, data):
        self.at.text.append(data)


def chip_of(node):
    for n in node.walk():
        if n.tag == "span" and "chip" in n.classes():
            return n
    return None


def key_of(node):
    a = node.attrs
    return (a.get("data-table"), a.get("data-segment"), a.get("data-metric"),
            a.get("data-arm"))


def interval_in(text):
    """The last "[low, high]" in a text, as two numbers (None if none)."""
    found = re.findall(r"\[([-+]?[0-9.,]+), ([-+]?[0-9.,]+)\]", text)
    if not found:
        return None
    low, high = found[-1]
    return (float(low.replace(",", "")), float(high.replace(",", "")))


def side_agrees(verdict, up, low, high):
    if verdict in ("better", "worse"):
        above = low > 0
        below = high < 0
        if verdict == "better":
            return above if up else below
        return below if up else above
    if verdict == "personalize":
        return low > 0
    if verdict == "hold back":
        return high < 0
    if verdict == "inconclusive":
        return low <= 0 <= high
    return True


def main():
    args = sys.argv[1:]
    table_rule = "--no-table-rule" not in args
    args = [a for a in args if a != "--no-table-rule"]
    tree = Tree()
    with open(args[0], encoding="utf-8") as f:
        tree.feed(f.read())
    problems = []

    def fail(message):
        problems.append(message)
        print("FAIL " + message)

    sections = {n.attrs.get("id"): n for n in tree.root.walk()
                if n.tag == "section"}
    head = sections.get("headline")
    if head is None:
        print("FAIL no headline section")
        return 1

    # The table rows, keyed as the claims are.
    rows = {}
    for name, section in sections.items():
        if name == "headline":
            continue
        for n in section.walk():
            if n.tag == "tr" and "data-table" in n.attrs:
                chip = chip_of(n)
                verdict = chip.all_text() if chip else None
                diff_cell = None
                for cell in n.walk():
                    if cell.tag == "td" and (cell.attrs.get("data-figure") or
                                             "").endswith("|diff"):
                        diff_cell = cell
                rows[key_of(n)] = {
                    "verdict": verdict, "chip": chip,
                    "up": n.attrs.get("data-up") == "1",
                    "low": float(n.attrs["data-low"]) if n.attrs.get("data-low") else None,
                    "high": float(n.attrs["data-high"]) if n.attrs.get("data-high") else None,
                    "shown": interval_in(diff_cell.all_text()) if diff_cell else None,
                }
    if not rows:
        fail("no table row carries its keys")

    # Every table row: verdict and interval agree, chip colour follows.
    disagree = 0
    for key, row in rows.items() if table_rule else ():
        if row["verdict"] is None:
            fail("table row %s has no verdict" % (key,))
            continue
        if row["chip"] is not None and GOOD.get(row["verdict"]) not in row["chip"].classes():
            fail("table row %s: chip %s coloured %s" % (key, row["verdict"], row["chip"].classes()))
        if row["verdict"] != "suppressed" and row["low"] is not None and \
                not side_agrees(row["verdict"], row["up"], row["low"], row["high"]):
            disagree += 1
            fail("table row %s: verdict %s beside the interval [%r, %r]"
                 % (key, row["verdict"], row["low"], row["high"]))
    if disagree == 0 and table_rule:
        print("table rows: %d, each verdict agrees with its interval" % len(rows))

    # The headline's lists: the overall one first.
    lists = [n for n in head.walk() if n.tag == "ul"]
    if not lists or lists[0].attrs.get("id") != "headline-overall":
        fail("the headline does not start with the overall result")
    else:
        items = [n for n in lists[0].children if n.tag == "li"]
        if not items or any(i.attrs.get("data-segment") != "(all)" for i in items):
            fail("the overall list holds a segment other than all units")
        claimed = {key_of(c) for i in items for c in i.walk()
                   if "claim" in c.classes()}
        pooled = {k for k in rows if k[0] == "compare" and k[1] == "(all)"}
        missing = pooled - claimed
        if missing:
            fail("overall result missing for %s" % sorted(missing))
        else:
            print("overall first: %d pooled rows stated (every metric and arm)"
                  % len(pooled))
    text = head.all_text()
    if "By segment" in text and text.index("Overall") > text.index("By segment"):
        fail("segments come before the overall result")

    # Every claim against its row.
    claims = [n for n in head.walk() if "claim" in n.classes()]
    checked = 0
    for claim in claims:
        key = key_of(claim)
        chip = chip_of(claim)
        verdict = chip.all_text() if chip else None
        row = rows.get(key)
        if row is None:
            fail("claim %s names no table row" % (key,))
            continue
        checked += 1
        if verdict != row["verdict"]:
            fail("claim %s says %s, its row %s" % (key, verdict, row["verdict"]))
        if chip is not None and GOOD.get(verdict) not in chip.classes():
            fail("claim %s: chip %s coloured %s" % (key, verdict, chip.classes()))
        if verdict == "suppressed":
            continue
        if row["low"] is not None and not side_agrees(verdict, row["up"], row["low"], row["high"]):
            fail("claim %s: %s, but its row's interval is [%r, %r]"
                 % (key, verdict, row["low"], row["high"]))
        shown = interval_in(claim.all_text())
        if row["shown"] is not None and shown != row["shown"]:
            fail("claim %s shows %s, its row %s" % (key, shown, row["shown"]))
    print("claims: %d in the headline, each the verdict and interval of its row"
          % checked if checked == len(claims) and not problems else
          "claims: %d checked" % checked)

    # The segment lines.
    lines = [n for ul in lists[1:] for n in ul.children if n.tag == "li"]
    for li in lines:
        segment = li.attrs.get("data-segment")
        words = li.all_text()
        own = [r for k, r in rows.items() if k[0] == "compare" and k[1] == segment]
        verdicts = [r["verdict"] for r in own]
        line_claims = [c for c in li.walk() if "claim" in c.classes()]
        net = [c for c in line_claims if c.attrs.get("data-table") == "frontier"]
        if "suppressed (fewer than" in words:
            suppressed_rows = ([rows[key_of(c)]["verdict"] for c in net] if net else verdicts)
            if not suppressed_rows or any(v != "suppressed" for v in suppressed_rows):
                fail("segment %s called suppressed, its rows %s" % (segment, verdicts))
        elif net:
            pass
        elif all(v == "suppressed" for v in verdicts):
            fail("segment %s: every row suppressed, the line says %r" % (segment, words))
        if "no significant change" in words and any(v in ("better", "worse") for v in verdicts):
            fail("segment %s: 'no significant change' beside %s" % (segment, verdicts))
        stated = [chip_of(c).all_text() for c in line_claims]
        if net:
            advice = chip_of(net[0]).all_text()
            said = {"personalize": "personalize", "hold back": "hold back",
                    "inconclusive": "no clear answer yet"}.get(advice)
            if said and said not in words.split(":")[1]:
                fail("segment %s: advice does not say %r" % (segment, said))
            expected = GOOD.get(advice)
        else:
            expected = ("bad" if "worse" in stated else "good" if "better" in stated
                        else "hidden" if verdicts and all(v == "suppressed" for v in verdicts)
                        else "neutral")
        if expected not in li.classes():
            fail("segment %s: line coloured %s, its verdicts say %s" % (segment, li.classes(), expected))
    # Overall lines' colours.
    for li in (lists[0].children if lists else []):
        if li.tag != "li":
            continue
        line_claims = [c for c in li.walk() if "claim" in c.classes()]
        net = [c for c in line_claims if c.attrs.get("data-table") == "frontier"]
        stated = [chip_of(c).all_text() for c in line_claims]
        expected = (GOOD.get(chip_of(net[0]).all_text()) if net else
                    "bad" if "worse" in stated else "good" if "better" in stated
                    else "neutral")
        if expected not in li.classes():
            fail("overall line coloured %s, its verdicts say %s" % (li.classes(), expected))
    print("segment lines: %d, wording and colour follow their rows' verdicts"
          % len(lines))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
