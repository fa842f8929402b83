"""Values that run over lines of a CSV file: where a value too long to read is.

The csv module stops at a value longer than its field size limit (128 KiB), saying only
that some value is: `overlong_value` says which one, and whether a quote left open (a stray
``"`` at the start of a value, which makes one value of every line up to the next quote) is
the likely cause.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["overlong_value"]


def overlong_value(lines: Iterable[str], limit: int) -> tuple[int, bool, int] | None:
    """Return the first value longer than `limit` characters in the record that starts at
    the first of `lines` (each with its line break): its position in the record, whether it
    is quoted, and the number of lines read up to where it passes the limit. None when the
    record ends first.

    The csv module says only that some value is too long: this reads the record again as
    it does (its default dialect, quotes not strict), to say which one. Only for that
    error: a Python loop over at most `limit` characters.
    """
    position, length, quoted = 0, 0, False
    state = "start"  # start | plain | quoted | quote (a quote inside a quoted value)
    for count, text in enumerate(lines, start=1):
        for char in text:
            if state == "quoted":
                if char == '"':
                    state = "quote"
                    continue
            elif state == "quote" and char == '"':
                state = "quoted"  # a doubled quote: one quote of the value
            elif char == ",":
                position, length, quoted, state = position + 1, 0, False, "start"
                continue
            elif char in "\r\n":
                return None  # the record ends
            elif state == "start" and char == '"':
                quoted, state = True, "quoted"
                continue
            else:
                state = "plain"  # (after a closing quote, what follows joins the value)
            length += 1
            if length > limit:
                return position, quoted, count
    return None
