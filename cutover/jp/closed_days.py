"""Closed days of Japanese administrative agencies, and business-day arithmetic over them.

The closed days (行政機関の休日) are those of 行政機関の休日に関する法律 §1 (昭和63年法律第91号):

1. Sundays and Saturdays;
2. national holidays under 国民の祝日に関する法律, including 振替休日 and 国民の休日
   (and the one-off holidays of special laws, such as 即位の日 on 2019-05-01);
3. the year-end and New Year days, 12月29日 to 1月3日.

National holidays come from the `holidays` library, which covers 1949–2099; any date outside
those years is refused with `OutsideHolidayYears` (a `CutoverError`), be it the date asked
about or a day a count of business days steps onto. A calendar may declare extra closures
(planned outages of the network, say) with a reason, through `ClosedDays.extra`.

Today's rule is applied to every year: the historical rules before May 1992, when not every
Saturday was closed, are not modelled (the planner only schedules revisions from 2018 on).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

import attrs

from cutover.errors import CutoverError, check_lang, require_date
from cutover.i18n.catalogue import Lang, text

__all__ = [
    "FIRST_YEAR",
    "JAPAN",
    "JST",
    "LAST_YEAR",
    "Adjustment",
    "ClosedDays",
    "Closure",
    "ClosureCode",
    "OutsideHolidayYears",
    "in_holiday_years",
    "today_jst",
]

#: Japan Standard Time, the time of every day here: a request's day, the cutoff's, today's.
#: A fixed UTC+9: Japan has had no daylight saving time since 1951, and a fixed offset needs no
#: time-zone database (Windows has none: `zoneinfo` would need the tzdata package there).
JST = dt.timezone(dt.timedelta(hours=9), "JST")


def today_jst() -> dt.date:
    """Return today's date in Japan (a command's default as-of date)."""
    return dt.datetime.now(JST).date()


#: The first and last years the `holidays` library has Japanese national holidays for.
FIRST_YEAR = 1949
LAST_YEAR = 2099

# The longest run of closed days the law produces is ten (Golden Week 2019, 4/27–5/6); a
# longer run can only come from extra closures. A run this long means a calendar declares
# a whole year closed, which is a mistake, and stops the search instead of looping on.
_MAX_CLOSED_RUN = 366

_ONE_DAY = dt.timedelta(days=1)

#: Why a day is closed, as a code (`Closure.code`).
ClosureCode = Literal["saturday", "sunday", "holiday", "year-end", "declared"]


def _labels(code: str, **params: str) -> tuple[str, str]:
    """Return a closure's reason in Japanese and in English, from the catalogue."""
    return text(code, "ja", **params), text(code, "en", **params)


_SATURDAY = _labels("jp.closed-saturday")
_SUNDAY = _labels("jp.closed-sunday")
_YEAR_END = _labels("jp.closed-year-end")


@attrs.frozen
class Closure:
    """Why a day is closed: the day, and the reason in Japanese and in English.

    The reasons are the catalogue's words for the law's closed days (土曜日, 祝日（海の日）),
    or the reason a calendar gives for an extra closure, in each language.
    """

    day: dt.date
    ja: str
    en: str
    #: why, as a code the same in every language: ``saturday``, ``sunday``, ``holiday``
    #: (a national holiday, 振替休日 and 国民の休日 included), ``year-end`` (12/29–1/3), or
    #: ``declared`` (a closure the calendar declares)
    code: ClosureCode = attrs.field(default="declared", kw_only=True)

    def reason(self, lang: Lang) -> str:
        """Return why the day is closed, in `lang`."""
        return self.en if check_lang(lang) == "en" else self.ja


@attrs.frozen
class Adjustment:
    """A date moved off a closed day: where it was, where it is now, and why it moved."""

    original: dt.date
    date: dt.date
    #: The closure of `original`, or None when `original` was a business day (not moved).
    closure: Closure | None
    #: The days between `original` and `date` closed for more than being a weekend (a
    #: holiday, the year-end, a closure the calendar declares), in date order: the date
    #: moved past them too, and a note that named only `original`'s closure would not say
    #: why 6/30 (Sunday) became 6/26 (Wednesday), not 6/28 (Friday).
    passed: tuple[Closure, ...] = ()

    @property
    def moved(self) -> bool:
        """Return True when the date was moved off a closed day."""
        return self.closure is not None


class OutsideHolidayYears(CutoverError):
    """A day outside the years the holiday data covers: the day asked about, or one a count
    of business days stepped onto (`day`).

    Its message can only name that day. Code that works a date out from one the user wrote
    catches it and says which date and what moved it out (`cutover.schedule.years`).
    """

    #: the day outside `FIRST_YEAR`–`LAST_YEAR`
    day: dt.date


def in_holiday_years(d: dt.date) -> bool:
    """Return True when the holiday data covers the year of `d` (`FIRST_YEAR`–`LAST_YEAR`)."""
    return FIRST_YEAR <= d.year <= LAST_YEAR


def _check_year(d: dt.date) -> None:
    """Raise `OutsideHolidayYears` unless the holiday data covers the year of `d`, and
    `TypeError` unless `d` is a day (every `ClosedDays` question goes through here)."""
    if type(d) is not dt.date:
        require_date(d, "d")
    if not in_holiday_years(d):
        err = OutsideHolidayYears.of(
            "jp.outside-holiday-years", date=d.isoformat(), first=FIRST_YEAR, last=LAST_YEAR
        )
        err.day = d
        raise err


#: Makes the national holidays of some years in a language: ``japan(years=…, language=…)``.
_Holidays = Callable[..., Mapping[dt.date, str]]


def _load_japan(path: Path) -> _Holidays | None:
    """Return the `Japan` class of the `holidays` module at `path`, loaded alone under a name
    of cutover's; None when it cannot be (no such file, another layout)."""
    spec = importlib.util.spec_from_file_location("cutover.jp._holidays_japan", path)
    if spec is None or spec.loader is None or not path.is_file():
        return None
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception:  # (whatever a changed file raises: the documented way follows)
        return None
    japan: _Holidays | None = getattr(module, "Japan", None)
    return japan


@functools.cache
def _japan() -> _Holidays:
    """Return what makes Japan's national holidays: the `holidays` library's `Japan`.

    `holidays.country_holidays("JP")` imports the package `holidays.countries`, which first
    imports every one of its 250 countries: about 0.06 s of each command (docs/performance.md).
    Its module for Japan is loaded alone from its file instead, under a name of cutover's
    (none of the library's own modules is replaced or touched); where it cannot be, the
    documented `country_holidays` is used. Both give the same holidays (tested).
    """
    # Imported here, not at the top: `holidays` is slow to import and start-up time matters.
    import holidays

    japan = _load_japan(Path(holidays.__file__).with_name("countries") / "japan.py")
    return japan or functools.partial(holidays.country_holidays, "JP")


@functools.lru_cache(maxsize=LAST_YEAR - FIRST_YEAR + 1)
def _national_holidays(year: int) -> Mapping[dt.date, tuple[str, str]]:
    """Return the national holidays of `year`, each with its Japanese and English label."""
    japan = _japan()
    names_ja = japan(years=year, language="ja")
    names_en = japan(years=year, language="en_US")
    labels: dict[dt.date, tuple[str, str]] = {}
    for day, ja in names_ja.items():
        en = names_en.get(day, ja)
        if ja == "振替休日":
            # Name the holiday the substitute stands in for: the Sunday holiday at the start
            # of the run of holidays that ends the day before (国民の祝日に関する法律 §3②).
            ja_for, en_for = _substituted(day, names_ja, names_en)
            labels[day] = (
                text("jp.closed-substitute-for", "ja", name=ja_for)
                if ja_for
                else text("jp.closed-substitute", "ja"),
                text("jp.closed-substitute-for", "en", name=en_for)
                if en_for
                else text("jp.closed-substitute", "en"),
            )
        elif ja == "国民の休日":
            # A weekday between two holidays (国民の祝日に関する法律 §3③).
            labels[day] = _labels("jp.closed-between-holidays")
        else:
            labels[day] = (
                text("jp.closed-holiday", "ja", name=ja),
                text("jp.closed-holiday", "en", name=en),
            )
    return types.MappingProxyType(labels)


def _substituted(
    day: dt.date, names_ja: Mapping[dt.date, str], names_en: Mapping[dt.date, str]
) -> tuple[str, str]:
    """Return the names of the Sunday holiday a 振替休日 stands in for, or empty strings."""
    before = day - _ONE_DAY
    # Bounded: a run of consecutive holidays is never longer than a week.
    for _ in range(7):
        if before not in names_ja:
            break
        if before.weekday() == 6:
            return names_ja[before], names_en.get(before, names_ja[before])
        before -= _ONE_DAY
    return "", ""


def _freeze_extra(extra: Mapping[dt.date, str]) -> Mapping[dt.date, str]:
    """Return the extra closures as a read-only mapping, after checking each entry."""
    checked: dict[dt.date, str] = {}
    for day, reason in extra.items():
        # A datetime is a date too, but would never equal the plain dates looked up later.
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise CutoverError.of("jp.extra-closure-not-date", day=day)
        if not isinstance(reason, str) or not reason.strip():
            raise CutoverError.of("jp.extra-closure-no-reason", date=day.isoformat(), reason=reason)
        checked[day] = reason.strip()
    return types.MappingProxyType(checked)


@attrs.frozen
class ClosedDays:
    """The closed days of 行政機関の休日に関する法律 §1, plus extra closures a calendar declares."""

    #: Extra closures (planned outages, …): date → reason. Read-only once built. Left out of the
    #: hash because a mapping has none; equality still compares it.
    extra: Mapping[dt.date, str] = attrs.field(factory=dict, converter=_freeze_extra, hash=False)
    #: The extra closures' reasons in English, where a calendar gives them (``reason_en``):
    #: an English note says "planned outage", not the Japanese reason. A day without one
    #: falls back on its `extra` reason.
    extra_en: Mapping[dt.date, str] = attrs.field(
        factory=dict, converter=_freeze_extra, hash=False, kw_only=True
    )

    def closure(self, d: dt.date) -> Closure | None:
        """Return why `d` is closed, or None when it is a business day."""
        _check_year(d)
        # Order: the most general reason first (a Sunday holiday has the code of a Sunday,
        # and is said to be both: 日曜日・祝日（山の日）).
        weekday = d.weekday()
        holiday = _national_holidays(d.year).get(d)
        if weekday >= 5:
            ja, en = _SATURDAY if weekday == 5 else _SUNDAY
            if holiday is not None:
                ja = text("jp.closed-weekend-holiday", "ja", day=ja, holiday=holiday[0])
                en = text("jp.closed-weekend-holiday", "en", day=en, holiday=holiday[1])
            return Closure(d, ja, en, code="saturday" if weekday == 5 else "sunday")
        if holiday is not None:
            return Closure(d, *holiday, code="holiday")
        if _is_year_end(d):
            return Closure(d, *_YEAR_END, code="year-end")
        reason = self.extra.get(d)
        if reason is not None:
            return Closure(d, reason, self.extra_en.get(d, reason))
        return None

    def is_closed(self, d: dt.date) -> bool:
        """Return True when `d` is a closed day."""
        _check_year(d)
        # Same tests as `closure`, without building a Closure: this is the hot path.
        return (
            d.weekday() >= 5
            or _is_year_end(d)
            or d in _national_holidays(d.year)
            or d in self.extra
        )

    def is_business_day(self, d: dt.date) -> bool:
        """Return True when `d` is a business day (not closed)."""
        return not self.is_closed(d)

    def previous_business_day(self, d: dt.date, *, inclusive: bool = True) -> dt.date:
        """Return the last business day on or before `d` (strictly before if not inclusive)."""
        require_date(d, "d")
        return self._step(d if inclusive else d - _ONE_DAY, -_ONE_DAY)

    def next_business_day(self, d: dt.date, *, inclusive: bool = True) -> dt.date:
        """Return the first business day on or after `d` (strictly after if not inclusive)."""
        require_date(d, "d")
        return self._step(d if inclusive else d + _ONE_DAY, _ONE_DAY)

    def add_business_days(self, d: dt.date, n: int) -> dt.date:
        """Return the date `n` business days away from `d`.

        - ``n > 0``: the n-th business day after `d` (``n == 1`` is the next business day);
        - ``n < 0``: the |n|-th business day before `d`;
        - ``n == 0``: `d` itself when it is a business day, else the next business day.

        `d` need not be a business day. The result is always a business day, and for
        ``n > 0`` exactly `n` business days lie in ``(d, result]``; for ``n < 0`` exactly
        ``-n`` lie in ``[result, d)``. So when `d` is a business day,
        ``add_business_days(add_business_days(d, n), -n) == d``.
        """
        require_date(d, "d")
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(text("common.not-a-count", "en", name="n", kind=type(n).__name__))
        if n == 0:
            return self.next_business_day(d)
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        day = d
        for _ in range(abs(n)):
            day = self._step(day + step, step)
        return day

    def business_days_between(self, start: dt.date, end: dt.date) -> int:
        """Return the count of business days in ``[start, end]`` (0 when end < start)."""
        require_date(start, "start")
        require_date(end, "end")
        count = 0
        day = start
        while day <= end:
            if not self.is_closed(day):
                count += 1
            day += _ONE_DAY
        return count

    def adjust_deadline(self, d: dt.date) -> Adjustment:
        """Return the deadline `d` moved back to the previous business day when `d` is closed.

        A deadline on a closed day must be met on the last business day before it:
        2018-06-30 (Saturday) becomes 2018-06-29 (Friday).
        """
        closure = self.closure(d)
        moved = d if closure is None else self.previous_business_day(d)
        passed = self._passed(moved, d, d)
        return Adjustment(original=d, date=moved, closure=closure, passed=passed)

    def adjust_opening(self, d: dt.date) -> Adjustment:
        """Return the opening `d` moved forward to the next business day when `d` is closed.

        A window that opens on a closed day opens in practice on the first business day after:
        2018-07-01 (Sunday) becomes 2018-07-02 (Monday).
        """
        closure = self.closure(d)
        moved = d if closure is None else self.next_business_day(d)
        passed = self._passed(d, moved, d)
        return Adjustment(original=d, date=moved, closure=closure, passed=passed)

    def _passed(self, first: dt.date, last: dt.date, original: dt.date) -> tuple[Closure, ...]:
        """Return the closures of the days strictly between `first` and `last` that are
        more than a weekend's (`Adjustment.passed`), but for the rest of the year-end
        closure (12/29–1/3) when `original` is in it: its own reason says so already."""
        passed = []
        year_end = _is_year_end(original)
        day = first + _ONE_DAY
        while day < last:
            closure = self.closure(day)
            weekend = closure is None or closure.code in ("saturday", "sunday")
            if closure is not None and not weekend and not (year_end and _is_year_end(day)):
                passed.append(closure)
            day += _ONE_DAY
        return tuple(passed)

    def with_extra(self, extra: Mapping[dt.date, str]) -> ClosedDays:
        """Return these closed days plus the `extra` closures (a new reason replaces an old one)."""
        english = {d: r for d, r in self.extra_en.items() if d not in extra}
        return ClosedDays(extra={**self.extra, **extra}, extra_en=english)

    def _step(self, day: dt.date, step: dt.timedelta) -> dt.date:
        """Return the first business day from `day` (included) going by `step`."""
        start = day
        for _ in range(_MAX_CLOSED_RUN):
            if not self.is_closed(day):
                return day
            day += step
        raise CutoverError.of("jp.no-business-day", days=_MAX_CLOSED_RUN, date=start.isoformat())


def _is_year_end(d: dt.date) -> bool:
    """Return True from 12月29日 to 1月3日 (行政機関の休日に関する法律 §1 ①三)."""
    return (d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3)


#: Japan's closed days with no extra closures: the default calendar.
JAPAN: ClosedDays = ClosedDays()
