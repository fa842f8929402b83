"""Inline Markdown helpers shared by the renderers."""

from __future__ import annotations

import functools

from cutover.render.markdown import escape_inline

__all__ = ["code_span"]


@functools.lru_cache(maxsize=4096)
def code_span(text: str) -> str:
    """Return `text` as a Markdown code span (ids), or escaped text when it cannot be one."""
    # Ids are validated ([a-z0-9:-]) and read best verbatim; anything that could close the
    # span or the line falls back to ordinary escaped text.
    if not text or any(ch in text for ch in "`\r\n\u2028\u2029\x85") or not text.isprintable():
        return escape_inline(text)
    return f"`{text}`"
