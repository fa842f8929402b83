"""Inline Markdown helpers shared by the renderers."""

from __future__ import annotations

import datetime as dt
import functools

from cutover.i18n.catalogue import Lang, text
from cutover.i18n.text import format_day
from cutover.jp.closed_days import Closure
from cutover.render.markdown import escape_inline

__all__ = ["closed_day", "code_span"]


@functools.lru_cache(maxsize=4096)
def code_span(text: str) -> str:
    """Return `text` as a Markdown code span (ids), or escaped text when it cannot be one."""
    # Ids are validated ([a-z0-9:-]) and read best verbatim; anything that could close the
    # span or the line falls back to ordinary escaped text.
    if not text or any(ch in text for ch in "`\r\n\u2028\u2029\x85") or not text.isprintable():
        return escape_inline(text)
    return f"`{text}`"


def closed_day(day: dt.date, closure: Closure | None, lang: Lang) -> str:
    """Return `day` as people read it, Markdown-safe, saying when it is a closed day that a
    date stays on (a recurring obligation's day, a milestone): ``平成30年5月26日（土）（閉庁日:
    土曜日）``; `closure` is the day's (None: a business day)."""
    if closure is None:
        return format_day(day, lang)
    reason = escape_inline(closure.reason(lang))
    return text("checklist.closed-day", lang, day=format_day(day, lang), reason=reason)
