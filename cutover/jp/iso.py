"""ISO 8601 moments as Python reads them, checked where Python does not check.

`datetime.fromisoformat` takes any one character between the date and the time: it reads
``2018-07-01+12:00`` (a day with an offset) as noon on 7/1, ``2018-06-29-05:00`` as 5 a.m.,
``2018-06-29505:00`` as 05:00. A request received at 7/1 00:00 UTC+12 (6/30 21:00 JST) would
land after the provision cutoff. `iso_moment` is `fromisoformat` that takes a time only
after a ``T`` or a space (RFC 3339's ``t`` too); `joined_by_t_or_space` is its test, and
`column_joined_by_t_or_space` the same test over a column of two million moments, in C
scans when every value has one length (a log writes one form in every row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

__all__ = ["column_joined_by_t_or_space", "iso_moment", "joined_by_t_or_space"]

# What may join a date and its time.
_JOINS = " Tt"


def _date_end(text: str) -> int | None:
    """Return where the date of `text` ends when it is a calendar date (2018-06-29,
    20180629), or None (another of ISO's forms: a week date)."""
    if text[4:5] == "-" and text[7:8] == "-":
        return 10
    head = text[:8]
    if len(head) == 8 and head.isascii() and head.isdigit():
        return 8
    return None


def joined_by_t_or_space(text: str) -> bool:
    """Return whether `text`, which `datetime.fromisoformat` reads, is a date alone or a
    calendar date and a time joined by ``T`` or a space (not ``2018-07-01+12:00``)."""
    end = _date_end(text)
    if end is None or len(text) == end:
        try:
            dt.date.fromisoformat(text)  # a date alone, of any of ISO's forms
        except ValueError:
            return False
        return True
    return text[end] in _JOINS


def iso_moment(text: str) -> dt.datetime:
    """Return `datetime.fromisoformat(text)`, or raise ValueError as it does for a text
    whose time follows its date without a ``T`` or a space (an offset after a bare date,
    ``2018-07-01+12:00``, read by Python as a time)."""
    moment = dt.datetime.fromisoformat(text)
    if not joined_by_t_or_space(text):
        msg = f"the date and time of {text!r} are joined by neither 'T' nor a space"
        raise ValueError(msg)
    return moment


def column_joined_by_t_or_space(texts: Sequence[str], joined: str) -> bool:
    """Return whether every text of `texts` (each read by `datetime.fromisoformat`; `joined`
    is them joined with nothing between) passes `joined_by_t_or_space`.

    When every text has one length and is a date (2018-06-29) or a date, a ``T`` or a
    space and a time, the answer comes from five C scans of `joined`; otherwise each text
    is tested.
    """
    n = len(texts)
    lengths = set(map(len, texts))
    if len(lengths) == 1:
        width = lengths.pop()
        if (
            width >= 10
            and joined[4::width].count("-") == n
            and joined[7::width].count("-") == n
            and (width == 10 or not joined[10::width].strip(_JOINS))
        ):
            return True
    return all(map(joined_by_t_or_space, texts))
