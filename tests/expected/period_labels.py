#!/usr/bin/python3
"""Expected period labels of times, computed with Python's datetime (its own
calendar, offsets and isocalendar), for tests/unit/test_period.c.

Edge cases (leap years, ISO weeks across year boundaries, offsets crossing
midnight, a year and the ends of the calendar, cells of no accepted form)
and 400 random times from 1890 to 2110 with random offsets and forms.
A label of None means the text must be refused.
Writes tests/expected/period_expected.h.
Run: /usr/bin/python3 tests/expected/period_labels.py
"""
import datetime
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))

FORM = re.compile(r"^(\d{4})-(\d{2})-(\d{2})"
                  r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
                  r"(Z|[+-]\d{2}:\d{2})?)?$", re.ASCII)


def labels(text):
    """(day label, week label) or (None, None): the documented forms only,
    checked by datetime (which also refuses 24:00, 60 seconds, Feb 29 of
    common years)."""
    m = FORM.match(text)
    if not m:
        return None, None
    y, mo, d, hh, mm, ss, frac, zone = m.groups()
    try:
        day = datetime.date(int(y), int(mo), int(d))
        if hh is None:
            return day.isoformat(), "%04d-W%02d" % day.isocalendar()[:2]
        t = datetime.datetime(int(y), int(mo), int(d), int(hh), int(mm),
                              int(ss or 0))
        if zone and zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            h, mi = int(zone[1:3]), int(zone[4:6])
            if h > 23 or mi > 59:
                return None, None
            t -= sign * datetime.timedelta(hours=h, minutes=mi)
        u = t.date()
    except (ValueError, OverflowError):
        return None, None
    return u.isoformat(), "%04d-W%02d" % u.isocalendar()[:2]


EDGES = [
    "2026-12-06", "2024-02-29", "2000-02-29", "1900-02-29", "2100-02-29",
    "2023-02-29", "2026-04-31", "2026-00-10", "2026-13-01", "2026-12-00",
    "2020-12-31", "2021-01-03", "2021-01-04", "2008-12-29", "2027-01-01",
    "2026-12-31", "2015-12-31", "2016-01-03", "2010-01-03", "2009-12-31",
    "2026-12-31T23:30-01:00", "2027-01-01T00:30+01:00",
    "2026-12-06T23:30-02:00", "2026-12-07T01:00+03:00",
    "2026-12-06 12:00", "2026-12-06T12:00:59", "2026-12-06T12:00:59.5Z",
    "2026-12-06T12:00:59.123456789+05:30", "2026-12-06T12:00:59.1234567890",
    "2026-12-06T24:00", "2026-12-06T12:60", "2026-12-06T12:00:60",
    "2026-12-06T12:00+24:00", "2026-12-06T12:00+01:60", "2026-12-06T12:00+0100",
    "2026-12-06T12:00:00.", "2026-12-06T12", "2026-12-06T", "2026-12-06Z",
    "2026-12-06 ", " 2026-12-06", "26-12-06", "2026-1-06", "2026/12/06",
    "2026-W49", "06/12/2026", "", "0001-01-01", "9999-12-31",
    "0001-01-01T00:30+01:00", "9999-12-31T23:30-01:00", "0000-12-31",
    "2026-12-06t12:00", "2026-12-06T12:00z", "\uff12026-12-06",
]


def random_times(count):
    rng = random.Random(49)
    out = []
    for _ in range(count):
        day = datetime.date(1890, 1, 1) + datetime.timedelta(days=rng.randrange(80000))
        text = day.isoformat()
        form = rng.randrange(5)
        if form > 0:
            text += rng.choice("T ") + "%02d:%02d" % (rng.randrange(24), rng.randrange(60))
        if form > 1:
            text += ":%02d" % rng.randrange(60)
        if form > 2:
            text += "." + str(rng.randrange(10 ** 6))
        if form > 0:
            zone = rng.randrange(3)
            if zone == 1:
                text += "Z"
            elif zone == 2:
                text += "%s%02d:%02d" % (rng.choice("+-"), rng.randrange(24), rng.choice([0, 30, 45]))
        out.append(text)
    return out


def c_string(text):
    """A C literal: printable ASCII as is, other bytes as octal escapes
    (a hex escape would swallow the digits after it)."""
    out = []
    for b in text.encode("utf-8"):
        c = chr(b)
        out.append(c if 32 <= b < 127 and c not in '"\\' else "\\%03o" % b)
    return '"' + "".join(out) + '"'


with open(os.path.join(HERE, "period_expected.h"), "w") as f:
    f.write("/* Written by tests/expected/period_labels.py (Python's datetime): "
            "do not edit. */\n")
    f.write("static const struct { const char *text, *day, *week; } "
            "period_expected[] = {\n")
    for text in EDGES + random_times(400):
        d, w = labels(text)
        f.write("\t{%s, %s, %s},\n" % (c_string(text),
                                       c_string(d) if d else "NULL",
                                       c_string(w) if w else "NULL"))
    f.write("};\n")
