"""Finished strings shared by the plan, summary and checklist renderers: dates, words, languages.

Templates receive these strings ready to print; nothing here is Markdown-escaped except
where a docstring says so (closure reasons come from a calendar, and are escaped).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Literal, TypeGuard

from cutover.errors import CutoverError
from cutover.jp.closed_days import Adjustment
from cutover.jp.wareki import WEEKDAYS_JA, format_english, format_wareki
from cutover.plan.flags import Severity
from cutover.render.markdown import escape_inline

__all__ = [
    "LANGS",
    "Lang",
    "check_lang",
    "format_day",
    "format_span",
    "moved_note",
    "section_note",
    "severity_label",
    "short_day_ja",
]

Lang = Literal["ja", "en"]
#: The languages every renderer speaks; Japanese is the default.
LANGS: tuple[Lang, ...] = ("ja", "en")

_SEVERITY_JA = {Severity.ERROR: "エラー", Severity.WARNING: "警告", Severity.INFO: "情報"}


def _is_lang(lang: str) -> TypeGuard[Lang]:
    """Return True when `lang` is one of `LANGS`."""
    return lang in LANGS


def check_lang(lang: str) -> Lang:
    """Return `lang` when it is a language the renderers speak, or raise `CutoverError`."""
    if not _is_lang(lang):
        raise CutoverError(f"unknown language {lang!r}", fix="use 'ja' or 'en'")
    return lang


@functools.lru_cache(maxsize=1024)
def format_day(d: dt.date, lang: Lang) -> str:
    """Return ``平成30年6月29日（金）`` (ja) or ``2018-06-29 (Fri)`` (en)."""
    # Cached: a national run formats the same few dozen dates tens of thousands of times.
    if lang == "ja":
        return format_wareki(d)
    return f"{d.isoformat()} ({format_english(d)[:3]})"


def format_span(start: dt.date, end: dt.date, lang: Lang) -> str:
    """Return one day, or a span of days written the way each language writes it."""
    if start == end:
        return format_day(start, lang)
    joiner = "〜" if lang == "ja" else " – "
    return f"{format_day(start, lang)}{joiner}{format_day(end, lang)}"


def short_day_ja(d: dt.date) -> str:
    """Return ``6/30（土）``, the form a Japanese schedule uses beside a full date."""
    return f"{d.month}/{d.day}（{WEEKDAYS_JA[d.weekday()]}）"


@functools.lru_cache(maxsize=256)
def moved_note(adjustment: Adjustment, lang: Lang, *, opening: bool) -> str:
    """Return why a date moved off a closed day (Markdown-safe), or "" when it did not move.

    A due date moves back (``6/30（土）は閉庁日のため前倒し``); a window's opening moves
    on (``7/1（日）は閉庁日のため7/2（月）から``).
    """
    closure = adjustment.closure
    if closure is None:
        return ""
    original, moved = adjustment.original, adjustment.date
    if lang == "ja":
        # A weekend is plain from the weekday shown; a holiday gets its name.
        weekend = closure.ja in ("土曜日", "日曜日")
        why = "閉庁日" if weekend else f"閉庁日（{escape_inline(closure.ja)}）"
        if opening:
            return f"{short_day_ja(original)}は{why}のため{short_day_ja(moved)}から"
        return f"{short_day_ja(original)}は{why}のため前倒し"
    closed = f"{format_english(original)} is a closed day ({escape_inline(closure.en)})"
    if opening:
        return f"opens {format_english(moved)}: {closed}"
    return f"brought forward: {closed}"


def section_note(section: str, lang: Lang) -> str:
    """Return a source section as it follows a title: ``（§5）`` or `` (§5)``; "" for none."""
    if not section:
        return ""
    return f"（{section}）" if lang == "ja" else f" ({section})"


def severity_label(severity: Severity, lang: Lang) -> str:
    """Return the severity as a reader sees it: エラー / 警告 / 情報, or error / warning / info."""
    return _SEVERITY_JA[severity] if lang == "ja" else severity.value
