"""Escaping user strings for Markdown, so that a name can never break a table or inject markup.

Names and details come from CSV files a coordinator edits by hand; a `|` would split a
table cell, a newline would end a table row, `<script>` or `[x](y)` would become HTML or
a link in a renderer. Every user string passes through one of these before it is written.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["escape_cell", "escape_inline"]

# CommonMark backslash-escapes any ASCII punctuation. Only the characters that can open
# markup in the middle of a line are escaped (emphasis, code, links, HTML, entities, GFM
# tables and strikethrough), so that the raw file stays readable in a text editor: user
# strings are always written after a prefix ("- [ ] ", "| "), never at the start of a line.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_NEWLINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")


def escape_inline(text: str) -> str:
    """Return `text` as literal Markdown inline text: punctuation escaped, lines joined.

    Control and format characters become spaces; a name's spaces stay as written, the
    full-width space (U+3000) of 鳥取県　総務部 included.
    """
    flat = _NEWLINES.sub(" ", text)
    if not flat.isprintable():
        # Character by character only when needed: most names and details are printable.
        flat = "".join(ch if ch.isprintable() or _is_space(ch) else " " for ch in flat)
    return _SPECIAL.sub(r"\\\1", flat)


def _is_space(ch: str) -> bool:
    """Return True for a space character (Unicode Zs): U+3000, no-break spaces, ..."""
    return unicodedata.category(ch) == "Zs"


def escape_cell(text: str) -> str:
    """Return `text` safe inside a GFM table cell (``|`` escaped, one line)."""
    return escape_inline(text)
