"""Japanese-era (和暦) dates, fuzzy dates (上旬・中旬・下旬) and fiscal years (年度).

Government schedules write dates in many ways: ``2018-06-30``, ``平成30年6月30日（土）``,
``H30.6.30``, ``令和元年5月1日``, often with full-width digits, and often only as precise as
``平成30年5月下旬`` or ``平成30年度``. `parse_date` reads one day, `parse_fuzzy` reads a span
of days (`DateRange`); both raise `CutoverError` saying why a text is not a date (a day
outside its era, February 30, a weekday that does not match). The ``format_*`` functions
write dates back the way a Japanese document does.

Eras supported: 昭和 (S, from 1926-12-25), 平成 (H, from 1989-01-08), 令和 (R, from 2019-05-01).
The first year of an era is 元年. A day before 昭和 is written in the Western year with no era
(``1900年1月1日（月）``), as a Japanese document writes such a day (`japanese_year`): every
date the readers accept can be written. The fiscal year (年度) runs from 1 April to 31 March.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from datetime import date, datetime, timedelta
from typing import Literal

import attrs

from cutover.errors import CutoverError, require_date, require_text
from cutover.i18n.catalogue import Lang, Msg, text
from cutover.jp.vocabulary import normalize_text

__all__ = [
    "WEEKDAYS_JA",
    "DateRange",
    "Precision",
    "era_of",
    "excel_serial",
    "fiscal_year",
    "fiscal_year_range",
    "format_english",
    "format_range",
    "format_wareki",
    "format_wareki_short",
    "japanese_year",
    "month_day",
    "parse_date",
    "parse_fuzzy",
]

# A date as Excel stores it: days since 1899-12-30, a time as the fraction of a day.
_EXCEL_SERIAL = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")


def excel_serial(text: str) -> datetime | None:
    """Return the moment an Excel serial date stands for (``43281.5``: 2018-06-30 12:00), when
    `text` is one from 1982 to 2064; else None.

    Only to say what went wrong when a date column was saved as numbers: the 1904 date system
    of old Mac workbooks reads the same digits four years apart, so the number is never taken
    for the date.
    """
    if _EXCEL_SERIAL.fullmatch(text) is None or not 30_000 <= float(text) < 60_000:
        return None
    return datetime(1899, 12, 30) + timedelta(days=float(text))


# A day without its year, as a cell formatted 「m月d日」 or m/d shows it: 6月8日, 6/8, 6/8(金).
_NO_YEAR = re.compile(
    r"(?P<m>[0-9]{1,2})\s*(?:月\s*(?P<d>[0-9]{1,2})\s*日|/\s*(?P<d2>[0-9]{1,2}))"
    r"(?:\s*\([^()]{1,12}\))?"
)


def month_day(text: str) -> tuple[int, int] | None:
    """Return the month and day of a date written without its year (``6月8日``, ``6/8``,
    ``6/8(金)``; digits as NFKC leaves them), when `text` is one of a real month and a day
    up to 31; else None.

    Only to say what went wrong: a day without its year is never taken for a date (which
    year is meant is the writer's to say).
    """
    match = _NO_YEAR.fullmatch(text)
    if match is None:
        return None
    month, day = int(match["m"]), int(match["d"] or match["d2"])
    return (month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None


WEEKDAYS_JA = ("月", "火", "水", "木", "金", "土", "日")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Spelled out rather than taken from strftime, whose names follow the process locale.
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: The thirds of a month (上旬・中旬・下旬), as the catalogue names them (``jp.dekad-…``).
_DEKADS = ("early", "mid", "late")

#: How precisely a `DateRange` was given: exact days, a third of a month, a month, a fiscal year.
Precision = Literal["day", "dekad", "month", "fiscal-year"]


@attrs.frozen
class _Era:
    """An era: its name, its letter in short dates, and its first and last days."""

    name: str
    letter: str
    start: date
    end: date


# The day each era began is the day after the previous emperor's death or abdication.
_ERAS = (
    _Era("昭和", "S", date(1926, 12, 25), date(1989, 1, 7)),
    _Era("平成", "H", date(1989, 1, 8), date(2019, 4, 30)),
    _Era("令和", "R", date(2019, 5, 1), date.max),
)
_ERA_BY_NAME = {e.name: e for e in _ERAS} | {e.letter.lower(): e for e in _ERAS}

#: The ways of writing a day, and a span of days, that a fix lists.
_ACCEPTED_DAYS = Msg("jp.accepted-days")
_ACCEPTED_SPANS = Msg("jp.accepted-spans")

# Patterns run on text already folded by `normalize_text` (NFKC, lower case), so full-width
# digits and letters, （）, ．and ／ need no cases of their own.
_YEAR = r"(?:(?P<era>昭和|平成|令和|[shr])\s*(?P<ey>[0-9]{1,3}|元)|(?P<y>[0-9]{4}))"
_SEP = r"\s*(?P<sep>[-/.])\s*"
_DAY_RE = re.compile(
    rf"{_YEAR}\s*(?:年\s*(?P<m>[0-9]{{1,2}})\s*月\s*(?P<d>[0-9]{{1,2}})\s*日"
    rf"|{_SEP}(?P<m2>[0-9]{{1,2}})\s*(?P=sep)\s*(?P<d2>[0-9]{{1,2}}))"
    r"(?:\s*\(\s*(?P<wd>[^()]{1,12}?)\s*\))?"
)
_MONTH_RE = re.compile(
    rf"{_YEAR}\s*(?:年\s*(?P<m>[0-9]{{1,2}})\s*月|{_SEP}(?P<m2>[0-9]{{1,2}}))"
    r"(?:[\s-]*(?P<part>上旬|初旬|中旬|下旬|early|mid|late|末日?|end))?"
)
_FISCAL_RE = re.compile(rf"{_YEAR}\s*年度|fy\s*(?P<fy>[0-9]{{4}})")
# A month, or part of one, without its year (6月下旬, 6月末, 6月): a span as much as with it.
_MONTH_NO_YEAR_RE = re.compile(r"(?P<m>[0-9]{1,2})\s*月(?:\s*(?P<part>上旬|初旬|中旬|下旬|末日?))?")

_WEEKDAY_TOKENS = {ja: i for i, ja in enumerate(WEEKDAYS_JA)} | {
    token: i for i, name in enumerate(_WEEKDAYS_EN) for token in (name.lower(), name[:3].lower())
}
_WEEKDAY_TOKENS |= {"tues": 1, "thur": 3, "thurs": 3}

# Where each part of a month starts and ends; None is the month's last day.
_PARTS: dict[str, tuple[int | None, int | None, Precision]] = {
    "上旬": (1, 10, "dekad"),
    "初旬": (1, 10, "dekad"),
    "early": (1, 10, "dekad"),
    "中旬": (11, 20, "dekad"),
    "mid": (11, 20, "dekad"),
    "下旬": (21, None, "dekad"),
    "late": (21, None, "dekad"),
    "末": (None, None, "day"),
    "末日": (None, None, "day"),
    "end": (None, None, "day"),
}


@attrs.frozen
class DateRange:
    """A fuzzy date resolved to its days: ``start`` to ``end``, both included.

    `label` is how the text was written (for a parsed range) or a canonical Japanese text
    such as ``平成30年度``; `precision` says how the range was given. A ``"day"`` range with
    ``start != end`` is a plain span of exact days.
    """

    start: date
    end: date
    label: str
    precision: Precision

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise CutoverError.of(
                "jp.range-ends-before-start", label=self.label, start=self.start, end=self.end
            )
        if not _precision_fits(self.start, self.end, self.precision):
            raise CutoverError.of(
                "jp.range-not-one-unit",
                label=self.label,
                start=self.start,
                end=self.end,
                precision=Msg(f"jp.precision-{self.precision}"),
            )

    def __contains__(self, d: object) -> bool:
        """Return True when `d` is a date from `start` to `end`, both included."""
        return isinstance(d, date) and self.start <= d <= self.end


def _precision_fits(start: date, end: date, precision: Precision) -> bool:
    """Return True when ``start..end`` is exactly one unit of `precision`."""
    if precision == "day":
        return True
    if precision == "fiscal-year":
        return (start.month, start.day) == (4, 1) and end == date(start.year + 1, 3, 31)
    if (start.year, start.month) != (end.year, end.month):
        return False
    last = _days_in_month(start.year, start.month)
    if precision == "month":
        return start.day == 1 and end.day == last
    return (start.day, end.day) in ((1, 10), (11, 20), (21, last))


def _days_in_month(year: int, month: int) -> int:
    """Return how many days the month has."""
    return calendar.monthrange(year, month)[1]


# --- eras -------------------------------------------------------------------------------


def _era(d: date) -> _Era:
    for era in reversed(_ERAS):
        if d >= era.start:
            return era
    raise CutoverError.of("jp.before-showa", date=d.isoformat())


def era_of(d: date) -> tuple[str, int]:
    """Return the era name and the year in that era of `d`, e.g. ``("平成", 30)``.

    A day before 昭和 has no era this module knows: `CutoverError` (`japanese_year` writes
    such a day's year in the Western calendar).
    """
    era = _era(d)
    return era.name, d.year - era.start.year + 1


def _era_year_text(name: str, year: int) -> str:
    """Return ``平成30年`` or, for the first year, ``令和元年``."""
    return f"{name}{'元' if year == 1 else year}年"


def japanese_year(d: date) -> str:
    """Return the year of `d` as a Japanese document writes it: ``平成30年``, ``令和元年``.

    A day before 昭和 (1926-12-25), the first era supported, is written in the Western
    year with no era, in four digits as ISO writes it: ``1900年``, ``0900年``. Anyone reads it
    as the Western calendar, the user could only have written such a day that way (`parse_date`
    reads no earlier era), and it reads back to the same day. 大正 and 明治 are not used:
    `parse_date` does not read them, and before 1873 明治 counted a lunar calendar.
    """
    if d < _ERAS[0].start:
        return f"{d.year:04d}年"
    return _era_year_text(*era_of(d))


def _month_ja(start: date, end: date) -> str:
    """Return ``平成30年5月`` for the month of `start`, or ``1989年1月`` when it spans two eras
    (``1900年1月`` before 昭和: `japanese_year`)."""
    if start < _ERAS[0].start or _era(start) is _era(end):
        return f"{japanese_year(start)}{start.month}月"
    return f"{start.year}年{start.month}月"


def _fiscal_year_ja(year: int) -> str:
    """Return the fiscal year's Japanese name, e.g. ``平成30年度``; ``令和元年度`` for FY2019
    (``0900年度`` before 昭和: `japanese_year`)."""
    fy_start, fy_end = date(year, 4, 1), date(year + 1, 3, 31)
    # The latest era that has begun by this fiscal year names it: FY2019 began under 平成
    # but is 令和元年度 in every document written after the era changed.
    for era in reversed(_ERAS):
        if era.start.year <= year and era.start <= fy_end and fy_start <= era.end:
            return _era_year_text(era.name, year - era.start.year + 1) + "度"
    return japanese_year(fy_start) + "度"


# --- formatting -------------------------------------------------------------------------


def format_wareki(d: date, *, weekday: bool = True) -> str:
    """Return `d` as a Japanese-era date: ``平成30年6月29日（金）``, ``令和元年5月1日（水）``.

    A day before 昭和 is written in the Western year (`japanese_year`): ``1900年1月1日（月）``.
    """
    require_date(d, "d")
    text = f"{japanese_year(d)}{d.month}月{d.day}日"
    return f"{text}（{WEEKDAYS_JA[d.weekday()]}）" if weekday else text


def format_wareki_short(d: date) -> str:
    """Return `d` in the short era form, e.g. ``H30.6.29`` or ``R1.5.1``."""
    era = _era(d)
    return f"{era.letter}{d.year - era.start.year + 1}.{d.month}.{d.day}"


def format_english(d: date) -> str:
    """Return `d` in English, e.g. ``Fri 29 Jun 2018``, whatever the locale."""
    require_date(d, "d")
    return f"{_WEEKDAYS_EN[d.weekday()][:3]} {d.day} {_MONTHS_EN[d.month - 1][:3]} {d.year}"


def format_range(r: DateRange, *, lang: Lang = "ja") -> str:
    """Return `r` as a document would write it, e.g. ``平成30年5月下旬`` or ``late May 2018``.

    Plain spans of days are written from start to end:
    ``平成30年5月21日（月）〜平成30年6月29日（金）`` / ``Mon 21 May 2018 – Fri 29 Jun 2018``.
    (Each language's form is the catalogue's, ``jp.range-…``: it takes the parts it needs
    of those given, Japanese era names or English month names.)
    """
    start, end = r.start, r.end
    if r.precision == "fiscal-year":
        return text("jp.range-fiscal-year", lang, year=start.year, name=_fiscal_year_ja(start.year))
    if r.precision in ("month", "dekad"):
        month = {
            "month_ja": _month_ja(start, end),
            "month_en": _MONTHS_EN[start.month - 1],
            "year": start.year,
        }
        if r.precision == "month":
            return text("jp.range-month", lang, **month)
        dekad = Msg(f"jp.dekad-{_DEKADS[(start.day - 1) // 10]}")
        return text("jp.range-dekad", lang, dekad=dekad, **month)
    days = {"start_ja": format_wareki(start), "start_en": format_english(start)}
    if start == end:
        return text("jp.range-day", lang, **days)
    return text(
        "jp.range-days", lang, end_ja=format_wareki(end), end_en=format_english(end), **days
    )


# --- fiscal years -----------------------------------------------------------------------


def fiscal_year(d: date) -> int:
    """Return the fiscal year (年度) of `d`: the year it began on 1 April (2019-03-31 → 2018)."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_range(year: int) -> DateRange:
    """Return fiscal year `year` as a range, 1 April `year` to 31 March of the next year."""
    if not 1 <= year < date.max.year:
        raise CutoverError.of("jp.fiscal-year-out-of-range", year=year, last=date.max.year - 1)
    return DateRange(date(year, 4, 1), date(year + 1, 3, 31), _fiscal_year_ja(year), "fiscal-year")


# --- parsing ----------------------------------------------------------------------------


def parse_date(text: str) -> date:
    """Return the day `text` names, in ISO, Western-calendar or Japanese-era form.

    Accepts ``2018-06-30`` (and every ISO 8601 day Python reads: ``20180630``),
    ``2018/6/30``, ``2018年6月30日``, ``平成30年6月30日``, ``H30.6.30``
    (also ``H30/6/30``, ``H30-6-30``, ``h30.6.30``), ``令和元年5月1日``, ``R1.5.1``, with
    full-width digits and letters, and an optional trailing weekday (``（金）``, ``(Fri)``)
    that must match the date.
    """
    if type(text) is not str:
        require_text(text, "text")
    # Fast path: most machine-written rows are plain ISO dates.
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # 2018-02-30 and the like: the slow path says why.
    written, folded = _short_enough(text)
    # Every ISO 8601 day Python reads, 20180601 too (as many a business system writes a
    # day), as the file readers take a date before this parser (`cutover.inputs.rows`):
    # --as-of 20180625 was refused where a readiness file's 20180625 was read.
    with contextlib.suppress(ValueError):
        return date.fromisoformat(folded)
    day = _parse_day(folded, written)
    if day is not None:
        return day
    if any(p.fullmatch(folded) for p in (_MONTH_RE, _FISCAL_RE, _MONTH_NO_YEAR_RE)):
        raise _span_not_date(folded, written)
    raise CutoverError.of("jp.unrecognized-date", written=written, days=_ACCEPTED_DAYS)


def _span_not_date(folded: str, written: str) -> CutoverError:
    """Return the error for a span written where one day is asked for. A month's end
    (7月末) is one day, its last: the fix gives that day, with its year (2018 when none is
    written, said as an example). Any other span's fix gives no day: it would be a guess."""
    dated = _MONTH_RE.fullmatch(folded)
    found = dated or _MONTH_NO_YEAR_RE.fullmatch(folded)
    if found is not None and found["part"] in ("末", "末日", "end"):
        if dated is not None:
            with contextlib.suppress(CutoverError):  # (a month or era out of range: no day)
                end = _month_range(dated, written).end
                return CutoverError.of(
                    "jp.month-end-not-date",
                    written=written,
                    year=end.year,
                    month=end.month,
                    day=end.day,
                )
        elif 1 <= (month := int(found["m"])) <= 12:
            last = _days_in_month(2018, month)
            return CutoverError.of("jp.month-end-no-year", written=written, month=month, day=last)
    return CutoverError.of("jp.span-not-date", written=written)


def parse_fuzzy(text: str) -> DateRange:
    """Return the span of days `text` names: a day, part of a month, a month or a fiscal year.

    Accepts everything `parse_date` does (precision ``"day"``), plus ``2018-05 下旬``,
    ``平成30年5月下旬``, ``2018-05 late`` (上旬/初旬/early 1–10, 中旬/mid 11–20, 下旬/late
    21–end; precision ``"dekad"``), ``2018-06 末`` / ``平成30年6月末`` / ``2018-06 end`` (the
    last day of the month, precision ``"day"``), ``2018-07`` / ``平成30年7月`` (precision
    ``"month"``) and ``平成30年度`` / ``2018年度`` / ``FY2018`` (precision ``"fiscal-year"``).
    The range's label is the text as written.
    """
    require_text(text, "text")
    written, folded = _short_enough(text)
    day = _parse_day(folded, written)
    if day is not None:
        return DateRange(day, day, written, "day")
    match = _MONTH_RE.fullmatch(folded)
    if match is not None:
        return _month_range(match, written)
    match = _FISCAL_RE.fullmatch(folded)
    if match is not None:
        return _fiscal_range(match, written)
    raise CutoverError.of(
        "jp.unrecognized-date-or-span", written=written, days=_ACCEPTED_DAYS, spans=_ACCEPTED_SPANS
    )


#: The longest text read as a date: ``平成30年6月30日（土曜日）`` is 17 characters, and
#: spaces may stand between its parts. The patterns take time growing with the square of
#: a run of spaces (50,000 took over a minute): a longer text is refused before them.
_MAX_DATE_TEXT = 64


def _short_enough(text: str) -> tuple[str, str]:
    """Return `text` trimmed, and folded (`normalize_text`); raise when too long for a date."""
    written = text.strip()
    # Folding may lengthen a text (one character of ㍻ is 平成): both are measured.
    folded = normalize_text(written) if len(written) <= _MAX_DATE_TEXT else written
    if len(folded) > _MAX_DATE_TEXT:
        # Not quoted: no date is in it, and it could be anything, a personal number too.
        raise CutoverError.of("jp.date-text-too-long", length=len(folded))
    return written, folded


def _parse_day(folded: str, written: str) -> date | None:
    """Return the day `folded` names, None when it is not written as one day."""
    match = _DAY_RE.fullmatch(folded)
    if match is None:
        return None
    year, era = _year(match, written)
    day = _date(year, int(match["m"] or match["m2"]), int(match["d"] or match["d2"]), written)
    if era is not None:
        _check_in_era(era, day, day, written, day.isoformat())
    if match["wd"] is not None:
        _check_weekday(day, match["wd"], written)
    return day


def _month_range(match: re.Match[str], written: str) -> DateRange:
    """Return the month, part of a month, or last day of a month that `match` names."""
    year, era = _year(match, written)
    month = int(match["m"] or match["m2"])
    first = _date(year, month, 1, written)
    last = _days_in_month(year, month)
    part = match["part"]
    precision: Precision
    if part is None:
        start, end, precision = 1, last, "month"
    else:
        from_day, to_day, precision = _PARTS[part]
        start, end = from_day or last, to_day or last
    result = DateRange(first.replace(day=start), first.replace(day=end), written, precision)
    if era is not None:
        western = f"{year}-{month:02d}" + (f" {part}" if part else "")
        _check_in_era(era, result.start, result.end, written, western)
    return result


def _fiscal_range(match: re.Match[str], written: str) -> DateRange:
    """Return the fiscal year that `match` names, checking its era name was in use."""
    if match["fy"] is not None:
        year, era = int(match["fy"]), None
    else:
        year, era = _year(match, written)
    if not 1 <= year < date.max.year:
        raise CutoverError.of(
            "jp.fiscal-year-text-out-of-range", written=written, year=year, last=date.max.year - 1
        )
    result = DateRange(date(year, 4, 1), date(year + 1, 3, 31), written, "fiscal-year")
    # A fiscal year is named by any era that was in force during it: FY2019 is both
    # 平成31年度 (named before May 2019) and 令和元年度.
    if era is not None and not (era.start <= result.end and result.start <= era.end):
        raise CutoverError.of(
            "jp.fiscal-year-not-in-era",
            written=written,
            era=era.name,
            bound=_era_bound(era, result.start),
            year=year,
            name=_fiscal_year_ja(year),
        )
    return result


def _year(match: re.Match[str], written: str) -> tuple[int, _Era | None]:
    """Return the Western year `match` names, and its era when written as one."""
    if match["y"] is not None:
        return int(match["y"]), None
    era = _ERA_BY_NAME[match["era"]]
    era_year = 1 if match["ey"] == "元" else int(match["ey"])
    if era_year == 0:
        raise CutoverError.of("jp.era-year-zero", written=written, era=era.name)
    return era.start.year + era_year - 1, era


def _date(year: int, month: int, day: int, written: str) -> date:
    """Return the date, or raise saying which part of it does not exist."""
    if not 1 <= year <= date.max.year:
        raise CutoverError.of(
            "jp.year-out-of-range", written=written, year=year, last=date.max.year
        )
    if not 1 <= month <= 12:
        raise CutoverError.of("jp.no-such-month", written=written, month=month)
    last = _days_in_month(year, month)
    if not 1 <= day <= last:
        raise CutoverError.of(
            "jp.no-such-day",
            written=written,
            year=year,
            month=month,
            month_name=_MONTHS_EN[month - 1],
            last=last,
        )
    return date(year, month, day)


def _era_bound(era: _Era, outside: date) -> Msg:
    """Return ``平成 ended on 平成31年4月30日 (2019-04-30)``, or when the era began."""
    if outside > era.end:
        day, code = era.end, "jp.era-ended"
    else:
        day, code = era.start, "jp.era-began"
    return Msg(
        code, {"era": era.name, "wareki": format_wareki(day, weekday=False), "iso": day.isoformat()}
    )


def _check_in_era(era: _Era, start: date, end: date, written: str, western: str) -> None:
    """Raise unless every day from `start` to `end` lies in `era` (`western`: the fix)."""
    if era.start <= start and end <= era.end:
        return
    outside = end if end > era.end else start
    bound = _era_bound(era, outside)
    if start == end:
        iso = start.isoformat()
        if start < _ERAS[0].start:
            raise CutoverError.of(
                "jp.not-in-era-before-showa", written=written, era=era.name, bound=bound, iso=iso
            )
        raise CutoverError.of(
            "jp.not-in-era",
            written=written,
            era=era.name,
            bound=bound,
            iso=iso,
            wareki=format_wareki(start, weekday=False),
        )
    span = f"{start.isoformat()}..{end.isoformat()}"
    if end < era.start or start > era.end:
        raise CutoverError.of(
            "jp.span-not-in-era",
            written=written,
            era=era.name,
            bound=bound,
            span=span,
            month=_month_ja(start, end),
            western=western,
        )
    raise CutoverError.of(
        "jp.span-across-eras",
        written=written,
        era=era.name,
        bound=bound,
        span=span,
        western=western,
    )


def _check_weekday(d: date, token: str, written: str) -> None:
    """Raise unless the weekday written after the date is the date's weekday."""
    key = token.strip().rstrip(".").removesuffix("曜日").removesuffix("曜")
    weekday = _WEEKDAY_TOKENS.get(key)
    if weekday is None:
        raise CutoverError.of("jp.not-a-weekday", written=written, token=token)
    actual = d.weekday()
    if weekday != actual:
        raise CutoverError.of(
            "jp.wrong-weekday",
            written=written,
            day=format_wareki(d, weekday=False),
            weekday_en=_WEEKDAYS_EN[actual],
            weekday_ja=WEEKDAYS_JA[actual],
            given=token if not token.isascii() else token.title(),
        )
