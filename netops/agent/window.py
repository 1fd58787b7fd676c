"""The time window of a "what changed?" question ("what changed on r2 today?", "... in the last
hour", "since yesterday", "this week", "in the last 2 days", "since 14:00").

"today", "yesterday", weekdays and clock times are the machine's local time zone; a span ("the
last 2 days", "2 hours ago") counts back from now; "3 days ago" is that calendar day, "2 weeks ago"
that Monday-to-Monday week; parts of a day are said with their bounds ("this morning" 00:00-12:00,
"overnight" / "last night" 18:00 yesterday to 08:00 today, "this evening" / "tonight" from 18:00, asked
before 08:00 from 18:00 yesterday);
"this month", "last month" (calendar) and "the last month" (30 days); "last weekend"; one calendar
day ("on monday", "last tuesday", "on 2026-11-30", "on 30 nov"), one calendar month ("in april",
"during nov 2026"; "since april" from its first day), the most recent one unless a year is said. A window
netops cannot read ("since the maintenance", "before the upgrade") is returned as not understood,
so the answer can say so instead of silently listing every change as if it were the window's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

_UNITS = {"min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes", "m": "minutes",
          "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
          "d": "days", "day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "wk": "weeks", "wks": "weeks"}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "twelve": 12, "twenty-four": 24, "couple": 2, "couple of": 2, "few": 3}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_SPAN = re.compile(r"\b(?:in|over|during|within|for)?\s*(?:the\s+)?(?:last|past|previous)\s+"
                   r"(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty-four|couple(?:\s+of)?|few)?"
                   r"\s*(?P<unit>mins?|minutes?|m|h|hrs?|hours?|d|days?|weeks?|wks?)\b", re.IGNORECASE)
_CLOCK = re.compile(r"\bsince\s+(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<ampm>[ap]\.?m\.?)?(?=\s|$|[?.!,;])", re.IGNORECASE)
_SINCE_DAY = re.compile(r"\bsince\s+(?:(?:last|this)\s+)?(?P<day>yesterday|today|" + "|".join(_WEEKDAYS) +
                        r"|\d{4}-\d\d-\d\d)\b", re.IGNORECASE)
_NUM = r"(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty-four|couple(?:\s+of)?|few)"
_AGO = re.compile(_NUM + r"\s*(?P<unit>mins?|minutes?|h|hrs?|hours?|d|days?|weeks?|wks?)\s+ago\b", re.IGNORECASE)
# parts of a day, said with their bounds in the answer ("overnight (yesterday 18:00 to today 08:00 CET)")
_PART = re.compile(r"\b(?P<part>this\s+morning|this\s+afternoon|this\s+evening|tonight|overnight|last\s+night)\b",
                   re.IGNORECASE)
_PARTS = {"this morning": (0, 0, 12), "this afternoon": (0, 12, 18), "this evening": (0, 18, 24), "tonight": (0, 18, 24),
          "overnight": (-1, 18, 32), "last night": (-1, 18, 32)}
"""part of a day -> (day offset from today, start hour, end hour counted from that day's midnight)."""
_MONTH = re.compile(r"\b(?P<which>this|last|(?:in\s+|over\s+|during\s+)?the\s+(?:last|past))\s+month\b", re.IGNORECASE)
_LAST_WEEKEND = re.compile(r"\b(?:last|this\s+past|over\s+the)\s+weekend\b", re.IGNORECASE)
_TODAY = re.compile(r"\btoday\b", re.IGNORECASE)
_YESTERDAY = re.compile(r"\byesterday\b", re.IGNORECASE)
_THIS_WEEK = re.compile(r"\bthis\s+week\b", re.IGNORECASE)
_LAST_WEEK = re.compile(r"(?<!the )\blast\s+week\b", re.IGNORECASE)  # the calendar week before this one
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_MON = {m[:3]: i for i, m in enumerate(_MONTHS, 1)} | {m: i for i, m in enumerate(_MONTHS, 1)} | {"sept": 9}
_MON_RX = r"(?:" + "|".join(sorted(_MON, key=len, reverse=True)) + r")\.?"
# one calendar day: "on monday", "last tuesday", "monday's changes", "on 2026-11-30", "on 30 nov", "nov 30th"
_ON_WEEKDAY = re.compile(r"\b(?:(?P<last>last|this\s+past|past)\s+|(?:on|this)\s+)?(?P<day>" + "|".join(_WEEKDAYS) +
                         r")(?:'s)?\b", re.IGNORECASE)
_ON_DATE = re.compile(r"\b(?:on\s+)?(?:(?P<iso>\d{4}-\d\d-\d\d)|(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>" + _MON_RX +
                      r")|(?P<m2>" + _MON_RX + r")\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?)(?:,?\s+(?P<y>\d{4}))?(?![\w:-])",
                      re.IGNORECASE)
# one calendar month: "in april", "during nov 2026"; "since april" starts on its first day
_BETWEEN = re.compile(r"\bbetween\s+(?P<a>[^,.;?!]+?)\s+and\s+(?P<b>[^,.;?!]+)", re.IGNORECASE)
_IN_MONTH = re.compile(r"\b(?P<prep>in|during|over|for|throughout|since)\s+(?P<mon>" + _MON_RX +
                       r")(?:\s+(?P<y>\d{4}))?(?![\w-])", re.IGNORECASE)
# words that name a window netops may not read: said, never dropped in silence
_WINDOWISH = re.compile(r"\bsince\s+(?P<a>[^,.;?!]+)|\b(?:in|over|during|within)\s+the\s+(?:last|past)\s+(?P<b>[^,.;?!]+)|"
                        r"\b(?P<c>overnight|tonight|last\s+night|this\s+(?:morning|afternoon|evening|month|year)|"
                        r"last\s+(?:month|year|weekend)|(?:\d+|an?|few|couple(?:\s+of)?)\s+\w+\s+ago)\b|"
                        r"\b(?P<d>between|after|before|during)\s+(?P<e>[^,.;?!]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Window:
    """A window of time: ``start`` (aware, local) up to ``end`` (None: up to now). ``said`` is how
    the answer names it ("today (since 00:00 CET)"); ``understood`` False: the words named a
    window netops could not read (``start`` None, ``said`` the words)."""

    start: datetime | None
    end: datetime | None
    said: str
    understood: bool = True

    def holds(self, ts: str) -> bool:
        """Whether an audit record's ISO timestamp is in the window."""
        if not self.understood or self.start is None:
            return True
        when = datetime.fromisoformat(ts)
        return when >= self.start and (self.end is None or when < self.end)


def _zone(when: datetime) -> str:
    """The local zone's name on ``when``'s day ("CET", "CEST", "UTC"), the one the answer's change
    times carry too; "local" where the zone has no name."""
    return when.tzname() or "local"


def _clock(when: datetime, now: datetime) -> str:
    """A local time as the answer says it, with its zone's name (the day too when it is not today),
    and UTC beside it when the machine is not on UTC."""
    offset = when.utcoffset()
    utc = "" if not offset else f", {(when - offset).replace(tzinfo=None):%Y-%m-%d %H:%M} UTC"
    day = "" if when.date() == now.date() else f"{when:%Y-%m-%d} "
    return f"{day}{when:%H:%M} {_zone(when)}{utc}"


def _day_clock(when: datetime, now: datetime) -> str:
    """:func:`_clock`, with "today" said when the day is not."""
    return f"today {_clock(when, now)}" if when.date() == now.date() else _clock(when, now)


def _wall(when: datetime) -> datetime:
    """``when``'s date and clock time in the machine's local zone with *that day's* offset. Calendar
    arithmetic on ``now`` keeps ``now``'s offset, which is an hour off on a day the clocks change
    (midnight before a spring-forward is still in winter time)."""
    return when.replace(tzinfo=None).astimezone()


def _local_midnight(midnight: datetime, days: int) -> datetime:
    """The local midnight ``days`` calendar days from ``midnight``."""
    return _wall(midnight + timedelta(days=days))


def _at_hour(midnight: datetime, hour: int) -> datetime:
    """``hour`` o'clock of the local day that starts at ``midnight`` (32: 08:00 the next day)."""
    return _wall(midnight.replace(tzinfo=None) + timedelta(days=hour // 24, hours=hour % 24))


def history_window(question: str, now: datetime | None = None) -> Window | None:
    """The window ``question`` names, a :class:`Window` not understood, or None when it names none."""
    now = (now or datetime.now().astimezone()).astimezone()
    midnight = _wall(now.replace(hour=0, minute=0, second=0, microsecond=0))
    if _LAST_WEEK.search(question) and not re.search(r"\b(?:in|over|during|within|past)\s+last\s+week", question, re.I):
        end = _local_midnight(midnight, -now.weekday())
        start = _local_midnight(end, -7)
        return Window(start, end, f"last week ({_clock(start, now)} to {_clock(end, now)}, Monday to Monday)")
    if m := _SPAN.search(question):
        raw = (m.group("n") or "1").lower()
        n = int(raw) if raw.isdigit() else _NUMBERS.get(" ".join(raw.split()), 1)
        unit = _UNITS[m.group("unit").lower()]
        start = now - timedelta(**{unit: n})
        name = unit[:-1] if n == 1 else unit
        said = f"in the last {name}" if n == 1 else f"in the last {n} {name}"
        return Window(start, None, f"{said} (since {_clock(start, now)})")
    if m := _CLOCK.search(question):
        hour, minute, ampm = int(m.group("h")), int(m.group("m") or 0), (m.group("ampm") or "").lower()
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
        if hour < 24 and minute < 60 and (m.group("m") or ampm):
            start = _wall(midnight.replace(hour=hour, minute=minute))
            if start > now:  # "since 23:00" in the morning: last night's
                start = _wall(_local_midnight(midnight, -1).replace(hour=hour, minute=minute))
            return Window(start, None, f"since {_clock(start, now)}")
    if m := _SINCE_DAY.search(question):
        day = m.group("day").lower()
        if day == "today":
            start = midnight
        elif day == "yesterday":
            start = _local_midnight(midnight, -1)
        elif day in _WEEKDAYS:
            start = _local_midnight(midnight, -((now.weekday() - _WEEKDAYS.index(day)) % 7))
        else:
            try:
                start = _wall(datetime.fromisoformat(day))
            except ValueError:
                start = None
        if start is not None:
            return Window(start, None, f"since {day} (from {_clock(start, now)})")
    if m := _BETWEEN.search(question):  # "between monday and wednesday": both ends read, or not understood
        a, b = (history_window(m.group(g), now) for g in ("a", "b"))
        if a and b and a.understood and b.understood and a.start and b.start and a.start < (b.end or now):
            return Window(a.start, b.end, f"between {a.start:%A %Y-%m-%d} and {b.start:%A %Y-%m-%d} "
                                          f"({_clock(a.start, now)} to {_day_clock(b.end, now) if b.end else 'now'})")
        return Window(None, None, " ".join(m.group(0).split()), understood=False)
    if m := _IN_MONTH.search(question):
        month = _MON[m.group("mon").lower().rstrip(".")]
        year = int(m.group("y")) if m.group("y") else (now.year if month <= now.month else now.year - 1)
        try:
            first = _wall(datetime(year, month, 1))
        except (ValueError, OverflowError):
            return Window(None, None, " ".join(m.group(0).split()), understood=False)
        name = f"{_MONTHS[month - 1].capitalize()} {year}"
        if m.group("prep").lower() == "since":
            return Window(first, None, f"since {name} (from {_clock(first, now)})")
        after = _wall(datetime(year + month // 12, month % 12 + 1, 1))
        end = None if after > now else after
        if first > now:
            return Window(first, after, f"in {name} (not yet begun)")
        return Window(first, end, f"in {name} ({_clock(first, now)} to {_clock(end, now) if end else 'now'})")
    if m := _ON_DATE.search(question):
        try:
            if m.group("iso"):
                day = datetime.fromisoformat(m.group("iso"))
            else:
                month = _MON[(m.group("m1") or m.group("m2")).lower().rstrip(".")]
                dom = int(m.group("d1") or m.group("d2"))
                year = int(m.group("y")) if m.group("y") else now.year
                day = datetime(year, month, dom)
                if not m.group("y") and day.date() > now.date():  # "on 30 dec" in January: last year's
                    day = day.replace(year=year - 1)
            start = _wall(day)
            end = _local_midnight(start, 1)
        except (ValueError, OverflowError):
            return Window(None, None, " ".join(m.group(0).split()), understood=False)
        return Window(start, end, f"on {start:%A %Y-%m-%d} ({_zone(start)})")
    if m := _ON_WEEKDAY.search(question):
        back = (now.weekday() - _WEEKDAYS.index(m.group("day").lower())) % 7
        if m.group("last") and back == 0:  # "last monday" on a Monday: a week ago
            back = 7
        start = _local_midnight(midnight, -back)
        end = _local_midnight(start, 1)
        return Window(start, end if end <= now else None, f"on {start:%A %Y-%m-%d} ({_zone(start)})")
    if m := _AGO.search(question):
        raw = m.group("n").lower()
        n = int(raw) if raw.isdigit() else _NUMBERS.get(" ".join(raw.split()), 1)
        unit = _UNITS[m.group("unit").lower()]
        words = " ".join(m.group(0).split())
        if unit == "days":   # that calendar day
            start = _local_midnight(midnight, -n)
            end = _local_midnight(midnight, -n + 1)
            return Window(start, end, f"{words} ({start:%A %Y-%m-%d}, {_zone(start)})")
        if unit == "weeks":  # that calendar week, Monday to Monday
            end = _local_midnight(midnight, -now.weekday() - 7 * (n - 1))
            start = _local_midnight(end, -7)
            return Window(start, end, f"{words} ({_clock(start, now)} to {_clock(end, now)}, Monday to Monday)")
        start = now - timedelta(**{unit: n})  # minutes, hours: since then
        return Window(start, None, f"since {words} ({_clock(start, now)})")
    if m := _PART.search(question):
        part = " ".join(m.group("part").lower().split())
        day, first, last = _PARTS[part]
        base = _local_midnight(midnight, day)
        start, end = _at_hour(base, first), _at_hour(base, last)
        if part in ("this evening", "tonight"):
            end = None
            if start > now and now < _at_hour(midnight, _PARTS["overnight"][2] - 24):
                # asked in the small hours (before 08:00, where "overnight" ends): the night under way,
                # from 18:00 yesterday (trial37: at 02:00 "tonight" began at 18:00 today, in the future,
                # and the night's changes were listed as before it)
                start = _at_hour(_local_midnight(midnight, -1), first)
        return Window(start, end, f"{part} ({_clock(start, now)} to {_clock(end, now) if end else 'now'})")
    if m := _MONTH.search(question):
        which = m.group("which").lower()
        first = _wall(midnight.replace(day=1))
        if which == "this":
            return Window(first, None, f"this month (since {_clock(first, now)})")
        if which == "last":
            prev = _wall(_local_midnight(first, -1).replace(day=1))
            return Window(prev, first, f"last month ({_clock(prev, now)} to {_clock(first, now)})")
        start = now - timedelta(days=30)
        return Window(start, None, f"in the last 30 days (since {_clock(start, now)})")
    if _LAST_WEEKEND.search(question):
        monday = _local_midnight(midnight, -now.weekday())
        start = _local_midnight(monday, -2)
        return Window(start, monday, f"last weekend ({_clock(start, now)} to {_clock(monday, now)})")
    if _TODAY.search(question):
        return Window(midnight, None, f"today (since {_clock(midnight, now)})")
    if _YESTERDAY.search(question):
        start = _local_midnight(midnight, -1)
        return Window(start, midnight, f"yesterday ({_clock(start, now)} to today {_clock(midnight, now)})")
    if _THIS_WEEK.search(question):
        start = _local_midnight(midnight, -now.weekday())
        return Window(start, None, f"this week (since Monday, {_clock(start, now)})")
    if m := _WINDOWISH.search(question):
        return Window(None, None, " ".join(m.group(0).split()), understood=False)
    return None


_SAID_OF_WHEN = re.compile(r"\b(?:recently|lately|so\s+far)\b", re.IGNORECASE)


def spans() -> "tuple[re.Pattern[str], ...]":
    """Every pattern here that names a time window (read, or not understood), and "recently" /
    "lately" / "so far" (no window, but said of when): what a question's other words are read without."""
    return (_BETWEEN, _LAST_WEEK, _SPAN, _CLOCK, _SINCE_DAY, _AGO, _IN_MONTH, _ON_DATE, _ON_WEEKDAY, _PART, _MONTH,
            _LAST_WEEKEND, _TODAY, _YESTERDAY, _THIS_WEEK, _WINDOWISH, _SAID_OF_WHEN)


def without_window(text: str) -> tuple[str, str]:
    """``text`` without the time window it names, and the window's own words ("" for none)."""
    said = []
    for pattern in spans():
        said.extend(m.group(0).strip() for m in pattern.finditer(text))
        text = pattern.sub(" ", text)
    return text, " ".join(said)
