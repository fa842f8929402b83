"""Text for people: the languages, dates as people read them, and phrases kept until shown.

This is the one date formatter for people: a day (``平成30年6月29日（金）`` / ``2018-06-29
(Fri)``), a span of days, the short and long forms a chart or a note uses, a week, a month,
and why a date moved off a closed day. Every form is a text of the catalogue's ``text``
domain; the parts of a date come from `cutover.jp.wareki`. Each formatter is cached: a
national run formats the same few dozen dates tens of thousands of times.

Every date the readers accept can be written, from 0001-01-01 to 9999-12-31: Japanese
writes a day from 昭和 (1926-12-25) on in its era, and a day before 昭和 in the Western year
with no era, ``1900年1月1日（月）`` (one rule, `cutover.jp.wareki.japanese_year`); English
writes every day the same way. An input dated before 昭和 is most likely a typo, but it is
the user's: it is shown as written, never a reason to stop a run.

Models keep what a person reads as codes and parameters until it is shown: a `Phrase` (a
catalogue code and its parameters, hashable so that its text is worked out once), a
`DataText` (a text the data gives in both languages: a calendar's title, a system's name)
and `Joined` (parts joined as a language joins them). A parameter that is a date is written
as `format_day` writes it.

Nothing here is Markdown-escaped: the renderers escape what they print. `display_width`
says how much room a text takes on a grid of half-width characters (a terminal, a sheet's
column, a narrow table cell): the one count of it.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Literal

import attrs

from cutover.errors import check_lang
from cutover.i18n.catalogue import LANGS, Lang, Msg, join_words, text
from cutover.jp.closed_days import Adjustment, Closure
from cutover.jp.wareki import WEEKDAYS_JA, format_english, format_wareki, japanese_year

__all__ = [
    "LANGS",
    "DataText",
    "Items",
    "Joined",
    "Lang",
    "MovedForm",
    "Numbers",
    "Phrase",
    "check_lang",
    "closed_reason",
    "day_said",
    "display_width",
    "for_people",
    "format_day",
    "format_month",
    "format_span",
    "format_week",
    "items_text",
    "long_day",
    "moved_note",
    "numbers_text",
    "reads_as_shift_jis",
    "section_note",
    "short_day",
    "words",
]


# --- files people save -----------------------------------------------------------------------


def reads_as_shift_jis(data: bytes) -> bool:
    """Return whether `data` reads as Shift_JIS text (cp932), as many Windows editors save a
    file that is not UTF-8 (cp932 decodes most bytes: be strict)."""
    try:
        decoded = data.decode("cp932")
    except UnicodeDecodeError:
        return False
    # Control bytes and the private-use characters cp932 maps stray bytes to mean binary.
    return all(c.isprintable() or c in "\t\r\n" for c in decoded)


# --- phrases -------------------------------------------------------------------------------


@attrs.frozen(cache_hash=True)
class DataText:
    """A text the data gives in both languages (a title, a name): not the catalogue's."""

    ja: str
    en: str

    def text(self, lang: Lang) -> str:
        """Return the text in `lang` (another value is a `CutoverError`, never Japanese)."""
        return self.en if check_lang(lang) == "en" else self.ja


@attrs.frozen(cache_hash=True)
class Phrase:
    """A text to be written in the reader's language: a catalogue code and its parameters.

    Like `cutover.i18n.catalogue.Msg`, but hashable (parameters as ``(name, value)`` pairs),
    so that its text is worked out once for each language however many models hold it,
    and with dates written as people read them (`format_day`).
    """

    code: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, code: str, /, **params: object) -> Phrase:
        """Return the phrase of `code` with `params`."""
        return cls(code, tuple((k, _hashable(v)) for k, v in params.items()))

    @property
    def parameters(self) -> dict[str, object]:
        """Return the parameters as a mapping."""
        return dict(self.params)

    def text(self, lang: Lang) -> str:
        """Return the text in `lang` (another value is a `CutoverError`)."""
        return _phrase_text(self, check_lang(lang))


@attrs.frozen(cache_hash=True)
class Joined:
    """Parts written one after the other as a sentence lists them (`join_words`): `sep` (a
    catalogue code) between two, `last` before the last one (``a, b and c``); a list of
    clauses gives `sep` for both (``…; …; …``)."""

    parts: tuple[object, ...]
    sep: str = "text.sep-list"
    last: str = "text.sep-list-last"

    def text(self, lang: Lang) -> str:
        """Return the parts in `lang`, joined."""
        return join_words((str(for_people(p, lang)) for p in self.parts), lang, self.sep, self.last)


@attrs.frozen
class Items:
    """Item numbers as a reader writes them: ``2番・21番`` / ``2, 21`` (`items_text`)."""

    numbers: tuple[int, ...]

    def text(self, lang: Lang) -> str:
        """Return the items in `lang`."""
        return items_text(self.numbers, lang)


@attrs.frozen
class Numbers:
    """Numbers as a list of them reads: ``2・21`` / ``2, 21`` (`numbers_text`)."""

    numbers: tuple[int, ...]

    def text(self, lang: Lang) -> str:
        """Return the numbers in `lang`."""
        return numbers_text(self.numbers, lang)


_SAID = (Phrase, DataText, Joined, Items, Numbers)


def _hashable(value: object) -> object:
    """Return `value` as a phrase keeps it: a catalogue message becomes a `Phrase`."""
    if isinstance(value, Msg):
        return Phrase.of(value.code, **value.params)
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


def for_people(value: object, lang: Lang) -> object:
    """Return a parameter as a text shows it: dates and phrases written in `lang`."""
    if isinstance(value, _SAID):
        return value.text(lang)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return format_day(value, lang)
    if isinstance(value, tuple):
        return tuple(for_people(v, lang) for v in value)
    return value


@functools.lru_cache(maxsize=8192)
def _phrase_text(phrase: Phrase, lang: Lang) -> str:
    return text(phrase.code, lang, **{k: for_people(v, lang) for k, v in phrase.params})


def words(lang: Lang, *codes: str) -> tuple[str, ...]:
    """Return the texts of `codes` in `lang` (a table's headers, a list of labels)."""
    return tuple(text(code, lang) for code in codes)


# --- dates ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2048)
def _parts(d: dt.date) -> Mapping[str, object]:
    """Return the parts the catalogue's date forms name, in both languages."""
    weekday_en, day, month_en, year = format_english(d).split()
    return {
        "wareki": format_wareki(d, weekday=False),
        "weekday_ja": WEEKDAYS_JA[d.weekday()],
        "iso": d.isoformat(),
        "weekday_en": weekday_en,
        "year": year,
        "month": d.month,
        "day": day,
        "month_en": month_en,
        "year_ja": japanese_year(d),
    }


@functools.lru_cache(maxsize=2048)
def format_day(d: dt.date, lang: Lang) -> str:
    """Return ``平成30年6月29日（金）`` (ja) or ``2018-06-29 (Fri)`` (en)."""
    return text("text.day", lang, **_parts(d))


def day_said(d: dt.date) -> Msg:
    """Return `format_day`'s text of `d` as a `Msg`, for a `Problem`'s parameters: a problem
    writes a `Msg` in its reader's language, and a date only as its ISO form."""
    return Msg("text.day", dict(_parts(d)))


@functools.lru_cache(maxsize=1024)
def format_span(start: dt.date, end: dt.date, lang: Lang) -> str:
    """Return one day, or a span of days written the way each language writes it."""
    if start == end:
        return format_day(start, lang)
    return text("text.span", lang, start=format_day(start, lang), end=format_day(end, lang))


@functools.lru_cache(maxsize=2048)
def short_day(d: dt.date, lang: Lang) -> str:
    """Return ``6/30（土）`` or ``Sat 30 Jun``: a day beside a full date, or on a chart."""
    return text("text.short-day", lang, **_parts(d))


@functools.lru_cache(maxsize=2048)
def long_day(d: dt.date, lang: Lang) -> str:
    """Return ``平成30年6月30日（土）`` or ``Sat 30 Jun 2018``."""
    return text("text.long-day", lang, **_parts(d))


@functools.lru_cache(maxsize=512)
def format_week(monday: dt.date, lang: Lang) -> str:
    """Return a week by its Monday: ``平成30年6月4日`` or ``2018-06-04``."""
    return text("text.week", lang, **_parts(monday))


@functools.lru_cache(maxsize=512)
def format_month(d: dt.date, lang: Lang, *, with_year: bool) -> str:
    """Return the month of `d`: ``平成30年6月`` / ``Jun 2018``, or ``6月`` / ``Jun``."""
    code = "text.month-of-year" if with_year else "text.month"
    return text(code, lang, **_parts(d))


def section_note(section: str, lang: Lang) -> str:
    """Return a source section as it follows a title: ``（§5）`` or `` (§5)``; "" for none."""
    if not section:
        return ""
    return text("text.section", lang, section=section)


def numbers_text(numbers: Iterable[int], lang: Lang) -> str:
    """Return numbers as a list of them reads: ``2・21`` / ``2, 21``."""
    return text("text.sep-items", lang).join(str(n) for n in sorted(numbers))


def items_text(numbers: Iterable[int], lang: Lang) -> str:
    """Return item numbers as a reader writes them: ``2番・21番`` / ``2, 21``; none: なし."""
    found = sorted(numbers)
    if not found:
        return text("text.no-items", lang)
    return text("text.sep-items", lang).join(text("text.item", lang, n=n) for n in found)


# --- a date moved off a closed day ---------------------------------------------------------

#: Where a moved date is told: a checklist's or plan's note, the timeline's table, the chart,
#: the calendar file's description.
MovedForm = Literal["note", "table", "chart", "calendar"]


def _weekend(closure: Closure) -> bool:
    """Return True when the day is closed for being a Saturday or Sunday (plain from the
    weekday shown beside it: a holiday gets its name)."""
    return closure.ja in (text("jp.closed-saturday", "ja"), text("jp.closed-sunday", "ja"))


def closed_reason(closure: Closure, lang: Lang) -> str:
    """Return why a day is closed, in a moved date's note: 閉庁日 / closed for a weekend,
    閉庁日（海の日） / closed: Marine Day for any other closure."""
    if _weekend(closure):
        return text("text.closed", lang)
    return text("text.closed-for", lang, closure=closure.reason(lang))


@functools.lru_cache(maxsize=512)
def moved_note(
    adjustment: Adjustment,
    lang: Lang,
    *,
    opening: bool,
    window: bool = False,
    form: MovedForm = "note",
) -> str:
    """Return why a date moved off a closed day, or "" when it did not move.

    A due date moves back (``6/30（土）は閉庁日のため前倒し``); a window's opening moves on
    (``7/1（日）は閉庁日のため7/2（月）から``). `window` says the date is one end of a
    window (the table and the chart then say which end); `form` is where the note is told.
    """
    closure = adjustment.closure
    if closure is None:
        return ""
    if form == "note":
        end = "on" if opening else "back"
    else:
        end = ("opening" if opening else "end") if window else "date"
    own = _moved_text(adjustment, closure, lang, f"text.moved-{form}-{end}")
    return own + _passed_note(adjustment.passed, lang)


def _passed_note(passed: tuple[Closure, ...], lang: Lang) -> str:
    """Return the note naming the closed days a moved date passed besides its own (a
    planned outage on the Thursday and Friday before a Sunday deadline), or ""."""
    if not passed:
        return ""
    # Runs of consecutive days, each written as one day or a span of days.
    runs: list[list[dt.date]] = []
    for closure in passed:
        if runs and closure.day == runs[-1][-1] + dt.timedelta(days=1):
            runs[-1].append(closure.day)
        else:
            runs.append([closure.day])
    days = join_words(
        (
            short_day(run[0], lang)
            if len(run) == 1
            else text(
                "text.span", lang, start=short_day(run[0], lang), end=short_day(run[-1], lang)
            )
            for run in runs
        ),
        lang,
    )
    reasons = join_words(dict.fromkeys(c.reason(lang) for c in passed), lang)
    return text("text.moved-passed", lang, days=days, reasons=reasons)


def _moved_text(adjustment: Adjustment, closure: Closure, lang: Lang, code: str) -> str:
    """Return the note `code` of `moved_note` for the date's own `closure`."""
    original, moved = adjustment.original, adjustment.date
    return text(
        code,
        lang,
        original=short_day(original, lang),
        moved=short_day(moved, lang),
        original_long=long_day(original, lang),
        moved_long=long_day(moved, lang),
        original_md=f"{original.month}/{original.day}",
        moved_md=f"{moved.month}/{moved.day}",
        original_weekday=_parts(original)["weekday_en"],
        moved_weekday=_parts(moved)["weekday_en"],
        closure=closure.reason(lang),
        why=closed_reason(closure, lang),
    )


def display_width(value: str) -> int:
    """Return how many half-width columns `value` takes: two for a full-width character
    (漢字, かな, ＡＢＣ: East Asian Wide or Fullwidth) and for one of ambiguous width (※ ○ …
    ― ① ×: East Asian Ambiguous, which a Japanese font, MS ゴシック or Excel's, draws two
    columns wide), none for a combining mark (the accent of é written as e and U+0301 is
    drawn over its letter), one for any other."""
    if value.isascii():
        return len(value)
    return _wide_text_width(value)


@functools.lru_cache(maxsize=4096)
def _wide_text_width(value: str) -> int:
    # (Cached: a sheet repeats its texts, a triage's reasons on every row.)
    widths = list(map(unicodedata.east_asian_width, value))
    if any(map(unicodedata.combining, value)):  # (rare: text is nearly always composed)
        return sum(
            0 if unicodedata.combining(char) else 2 if width in _FULL_WIDTH else 1
            for char, width in zip(value, widths, strict=True)
        )
    return len(value) + sum(map(_FULL_WIDTH.__contains__, widths))


#: The East Asian widths of the characters a screen shows two columns wide: in a Japanese
#: font (the terminals' and Excel's), the ambiguous ones too (※ ○ … ①, UAX #11's East Asian
#: context): counted narrow, a column of ※ notes was cut off.
_FULL_WIDTH = frozenset({"W", "F", "A"})
