"""Recurring obligations' rules (RFC 5545 RRULE, dateutil): checked part by part, and their
dates computed without running away.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING

from cutover.calendar.reader import _Reader
from cutover.errors import CutoverError, Problem, clip, suggest
from cutover.jp.closed_days import FIRST_YEAR, LAST_YEAR

if TYPE_CHECKING:
    from dateutil.rrule import rrule


# --- recurrence rules -----------------------------------------------------------------
# dateutil runs a rule until it has found the dates asked for. A rule that finds none (no
# 30 February) it runs to the year 9999, day by day for a daily rule: seconds per call,
# and the checklists ask once per agency. A rule with INTERVAL=0 it runs for ever. So a
# rule is checked part by part before dateutil sees it, and always run on dates moved
# close to the year 9999 (see `_rule_dates`), where dateutil soon runs out of years.

#: The parts of a rule cutover reads. Not BYHOUR, BYMINUTE, BYSECOND (an obligation falls
#: on days), nor dateutil's own BYEASTER (not a date of Japanese administration, and the
#: only one that does not repeat every 400 years, which `_rule_dates` relies on).
_RULE_PARTS = (
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "WKST",
    "BYDAY",
    "BYMONTH",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYSETPOS",
)
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
#: How often a rule repeats: by days at the finest (the finer ones are refused as such).
_FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
_WEEKDAY = re.compile(r"MO|TU|WE|TH|FR|SA|SU")
#: A day of the week in BYDAY, after its place in the month or the year if need be
#: (``-1FR``, the last Friday; ``20MO``, the 20th Monday): at most the 53rd.
_BYDAY = re.compile(r"(?:[+-]?(?:[1-9]|[1-4][0-9]|5[0-3]))?(?:MO|TU|WE|TH|FR|SA|SU)")
_NUMBER_LISTS = ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS")
#: The longest rule: the shipped ones are under 40 characters.
_MAX_RULE_TEXT = 200
#: The largest INTERVAL and COUNT: every 9999th day is once in 27 years; an obligation that
#: falls at most weekly has fewer than 9999 dates in the years cutover knows.
_MAX_RULE_NUMBER = 9999
#: An obligation falls at most weekly: no more than 53 days in a year. A checklist lists
#: every date of every obligation, for every agency.
_MAX_PER_YEAR = 53
#: The Gregorian calendar repeats every 400 years (146,097 days, 20,871 weeks): a date
#: moved by a multiple of 400 years keeps its weekday, its week number and its leap day.
_CYCLE_YEARS = 400
_LAST_DAY = dt.date(LAST_YEAR, 12, 31)


class _BadRule(ValueError):
    """A recurrence rule cutover does not run: what is wrong with it, as a catalogue code
    (``calendar.rule-…``, whose texts quote the rule as ``rule``) and its parameters."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def error(self, rule: str) -> CutoverError:
        """Return the error that refuses `rule` (quoted shortened)."""
        params = {"rule": clip(rule, 80), **self.params}
        return CutoverError.from_problems([Problem(code=self.code, params=params)])


def _check_rule_parts(text: str) -> None:
    """Raise `_BadRule` unless `text` is one rule of day-based parts, each number small."""
    if len(text) > _MAX_RULE_TEXT:
        raise _BadRule("calendar.rule-too-long", length=len(text), most=_MAX_RULE_TEXT)
    # dateutil reads the text in upper case, each run of spaces or newlines ending a line.
    lines = text.upper().split()
    for line in lines:
        name = line.partition(":")[0].partition(";")[0] if ":" in line else "RRULE"
        if name not in ("RRULE", "DTSTART"):
            raise _BadRule("calendar.rule-other-line", line=clip(line, 40))
        # (A time zone would make dateutil compare it with the days cutover asks about.)
        if name == "DTSTART" and not _is_moment(line.removeprefix("DTSTART:"), utc=False):
            raise _BadRule("calendar.rule-bad-dtstart", line=clip(line, 40))
    rules = [
        line.removeprefix("RRULE:")
        for line in lines
        if ":" not in line or line.startswith("RRULE:")
    ]
    if len(rules) != 1:
        raise _BadRule("calendar.rule-not-one")
    parts: dict[str, str] = {}
    for part in rules[0].split(";"):
        name, sep, value = part.partition("=")
        if not (name and sep and value):
            raise _BadRule("calendar.rule-not-a-part", part=clip(part, 40))
        if name in _TIME_PARTS:
            raise _BadRule("calendar.rule-time-of-day", name=name)
        if name not in _RULE_PARTS:
            raise _BadRule(
                "calendar.rule-unknown-part",
                name=clip(name, 40),
                suggestion=suggest(name, _RULE_PARTS),
            )
        if name in parts:
            raise _BadRule("calendar.rule-part-twice", name=name)
        if name not in ("UNTIL", "INTERVAL", "COUNT") and re.search(r"[0-9]{5}", value):
            raise _BadRule("calendar.rule-number-too-long", name=name, value=clip(value, 20))
        parts[name] = value
    if "FREQ" not in parts:
        raise _BadRule("calendar.rule-no-freq")
    freq = parts["FREQ"]
    if freq in ("HOURLY", "MINUTELY", "SECONDLY"):
        raise _BadRule("calendar.rule-not-daily", freq=freq)
    if freq not in _FREQS:
        raise _BadRule(
            "calendar.rule-unknown-freq", value=clip(freq, 20), suggestion=suggest(freq, _FREQS)
        )
    for name, pattern in (("BYDAY", _BYDAY), ("WKST", _WEEKDAY)):
        for entry in parts[name].split(",") if name in parts else ():
            if not pattern.fullmatch(entry):
                raise _BadRule(
                    "calendar.rule-not-a-day",
                    name=name,
                    value=clip(parts[name], 20),
                    entry=clip(entry, 20),
                )
    if "UNTIL" in parts and not _is_moment(parts["UNTIL"], utc=True):
        raise _BadRule("calendar.rule-bad-until", value=clip(parts["UNTIL"], 20))
    for name in ("INTERVAL", "COUNT"):
        value = parts.get(name, "1")
        if not (re.fullmatch(r"[0-9]{1,4}", value) and 1 <= int(value) <= _MAX_RULE_NUMBER):
            raise _BadRule(
                "calendar.rule-bad-interval" if name == "INTERVAL" else "calendar.rule-bad-count",
                value=clip(value, 20),
                most=_MAX_RULE_NUMBER,
            )
    if "COUNT" in parts and "UNTIL" in parts:
        raise _BadRule("calendar.rule-count-and-until")
    for name in _NUMBER_LISTS:
        for entry in parts[name].split(",") if name in parts else ():
            if not re.fullmatch(r"[+-]?[0-9]{1,3}", entry):
                raise _BadRule(
                    "calendar.rule-not-a-number",
                    name=name,
                    value=clip(parts[name], 20),
                    entry=clip(entry, 20),
                )


def _is_moment(value: str, *, utc: bool) -> bool:
    """Return True when `value` is a day as RFC 5545 writes it (``20200331``), or a day and
    a time (``20200331T000000``; with `utc`, also ``…Z``, in UTC)."""
    if not re.fullmatch(r"[0-9]{8}(?:T[0-9]{6}Z?)?" if utc else r"[0-9]{8}(?:T[0-9]{6})?", value):
        return False
    try:
        dt.datetime.strptime(value[:8], "%Y%m%d")
    except ValueError:
        return False
    return True


def _rrule(text: str, dtstart: dt.date) -> rrule:
    """Return the rule dateutil reads in `text`, starting on `dtstart` (or its DTSTART line)."""
    from dateutil.rrule import rrule, rrulestr

    _check_rule_parts(text)
    parsed = rrulestr(text, dtstart=dt.datetime.combine(dtstart, dt.time()))
    if not isinstance(parsed, rrule):
        raise _BadRule("calendar.rule-not-one-rule")
    return parsed


def _years_later(moment: dt.datetime, years: int) -> dt.datetime:
    # `years` is a multiple of 400: 29 February stays a day.
    return moment.replace(year=moment.year + years)


@functools.lru_cache(maxsize=512)
def _rule_dates(
    text: str, dtstart: dt.date, start: dt.date, end: dt.date, limit: int | None = None
) -> tuple[dt.date, ...]:
    """Return the dates rule `text` from `dtstart` falls on from `start` to `end` (at most
    `limit` of them); only up to 2099-12-31, the last day whose closed days are known.

    dateutil is given the rule moved forward by whole 400-year cycles, so that `end` falls
    within 400 years of the year 9999, where dateutil stops: a rule that finds no more
    dates costs at most 550 years of search, not 8,000. The dates it finds are moved back.
    Cached: the checklists ask the same question once per agency.
    """
    rule = _rrule(text, dtstart)
    # dateutil keeps the rule's first day and its UNTIL only here; the first day is
    # `dtstart` unless a DTSTART line in the rule replaced it.
    state = vars(rule)
    first: dt.datetime = state["_dtstart"]
    until: dt.datetime | None = state["_until"]
    if not FIRST_YEAR <= first.year <= LAST_YEAR:
        raise _BadRule(
            "calendar.rule-start-year", year=first.year, first=FIRST_YEAR, last=LAST_YEAR
        )
    last = dt.datetime.combine(min(end, _LAST_DAY), dt.time())
    if last.date() < max(start, first.date()):
        return ()
    if until is not None and until > last:
        # An UNTIL past the last day asked for changes none of the dates found.
        until = last
    years = _CYCLE_YEARS * ((dt.MAXYEAR - last.year) // _CYCLE_YEARS)
    moved = rule.replace(
        dtstart=_years_later(first, years),
        until=None if until is None else _years_later(until, years),
    )
    found: list[dt.date] = []
    after = _years_later(dt.datetime.combine(start, dt.time()), years)
    before = _years_later(last, years)
    for moment in moved.xafter(after, inc=True):
        if moment > before or (limit is not None and len(found) >= limit):
            break
        found.append(moment.replace(year=moment.year - years).date())
    return tuple(found)


def _check_rule(r: _Reader, key: str, rule: str, dtstart: dt.date | None) -> None:
    """Record a problem unless `rule` falls on a day in the years cutover knows, and on no
    more than `_MAX_PER_YEAR` days in the year from its first (`dtstart`; when it is
    missing or wrong, reported already, only the rule's parts are checked)."""
    shown = clip(rule, 80)
    try:
        if dtstart is None:
            _check_rule_parts(rule)
            return
        # Its first dates, one more than a year may hold: some mistakes (a DTSTART with a
        # time zone inside the rule, say) only show when dateutil runs the rule.
        days = _rule_dates(rule, dtstart, dtstart, _LAST_DAY, _MAX_PER_YEAR + 1)
    except _BadRule as exc:
        r.problem(key, exc.code, rule=shown, **exc.params)
        return
    # dateutil reports a bad rule with whichever exception its parser meets first.
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
        # (What dateutil refuses beyond the parts checked first: a DTSTART line it cannot
        # read, an UNTIL in UTC for a day without a time zone. Its words are English.)
        r.problem(key, "calendar.rule-not-rrule", rule=shown)
        return
    if not days:
        r.problem(
            key,
            "calendar.rule-never-falls",
            rule=shown,
            first=dtstart.isoformat(),
            last=_LAST_DAY.isoformat(),
        )
    elif len(days) > _MAX_PER_YEAR and (days[-1] - days[0]).days < 365:
        r.problem(
            key,
            "calendar.rule-too-often",
            rule=shown,
            most=_MAX_PER_YEAR,
            first=days[0].isoformat(),
        )
